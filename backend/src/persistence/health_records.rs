//! Queries and writes of chronic-disease management (A3§3): the chronic conditions of relocated
//! persons and their follow-ups. Health data is sensitive: the reads are audited by the caller
//! (`graphql::health_records`); each write is one transaction with its audit entry.
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Select, Set,
};

use super::database::begin_write;
use super::entities::{chronic_condition, family_doctor_contract, health_follow_up};
use super::industry::update_if_version;
use super::registry_writes::Actor;
use super::site_records::{audit_write, current_person, RecordScope};
use crate::error::{ApiError, ApiResult};

/// Which conditions to list.
#[derive(Debug, Clone, Default)]
pub struct ConditionFilter {
    pub scope: RecordScope,
    pub person_id: Option<i64>,
    pub under_management: Option<bool>,
}

/// The conditions the filter selects, for keyset paging by id.
pub fn condition_select(filter: &ConditionFilter) -> Select<chronic_condition::Entity> {
    let mut select = chronic_condition::Entity::find();
    if let Some(persons) = filter.scope.persons() {
        select = select.filter(chronic_condition::Column::PersonId.in_subquery(persons));
    }
    if let Some(person_id) = filter.person_id {
        select = select.filter(chronic_condition::Column::PersonId.eq(person_id));
    }
    if let Some(managed) = filter.under_management {
        select = select.filter(chronic_condition::Column::UnderManagement.eq(managed));
    }
    select
}

pub async fn find_condition(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<chronic_condition::Model>> {
    Ok(chronic_condition::Entity::find_by_id(id).one(db).await?)
}

/// Conditions by id (one statement).
pub async fn conditions_by_id(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> ApiResult<HashMap<i64, chronic_condition::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(chronic_condition::Entity::find()
        .filter(chronic_condition::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect())
}

/// A condition to record, validated.
#[derive(Debug, Clone)]
pub struct NewCondition {
    pub person_id: i64,
    pub condition_code: String,
    pub condition_name: String,
    pub diagnosed_on: Option<NaiveDate>,
    pub serious_illness: bool,
    pub treat_first_pay_later: bool,
    pub notes: String,
}

/// Records a chronic condition of a current resident, under management (one per person and
/// code: a second is a CONFLICT).
pub async fn record_condition(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewCondition,
) -> ApiResult<chronic_condition::Model> {
    let transaction = begin_write(db).await?;
    current_person(&transaction, new.person_id, "input.personId").await?;
    let already = chronic_condition::Entity::find()
        .filter(chronic_condition::Column::PersonId.eq(new.person_id))
        .filter(chronic_condition::Column::ConditionCode.eq(new.condition_code.clone()))
        .one(&transaction)
        .await?;
    if already.is_some() {
        return Err(ApiError::Conflict(format!(
            "this person already has a record of condition {}: update it instead",
            new.condition_code
        )));
    }
    let now = Utc::now();
    let stored = chronic_condition::ActiveModel {
        person_id: Set(new.person_id),
        condition_code: Set(new.condition_code),
        condition_name: Set(new.condition_name),
        diagnosed_on: Set(new.diagnosed_on),
        under_management: Set(true),
        serious_illness: Set(new.serious_illness),
        treat_first_pay_later: Set(new.treat_first_pay_later),
        resolved_on: Set(None),
        notes: Set(new.notes),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit_write::<chronic_condition::Model>(
        &transaction,
        actor,
        "chronic_condition.create",
        "ChronicCondition",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

/// Changes to a condition (`None`: unchanged; for `resolved_on`, `Some(None)` clears it).
#[derive(Debug, Clone, Default)]
pub struct ConditionChanges {
    pub under_management: Option<bool>,
    pub serious_illness: Option<bool>,
    pub treat_first_pay_later: Option<bool>,
    pub resolved_on: Option<Option<NaiveDate>>,
    pub notes: Option<String>,
}

/// Updates a condition if it still has `expected_version`; `check` applies the domain rules to
/// the condition as it would be stored.
pub async fn update_condition(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    changes: ConditionChanges,
    check: impl FnOnce(&chronic_condition::Model) -> ApiResult<()>,
) -> ApiResult<chronic_condition::Model> {
    let transaction = begin_write(db).await?;
    let current = find_condition(&transaction, id)
        .await?
        .ok_or_else(|| ApiError::not_found("ChronicCondition", "with this ID"))?;
    if current.version != expected_version {
        return Err(ApiError::stale_version(
            "chronic condition",
            id,
            expected_version,
        ));
    }
    let mut next = current.clone();
    if let Some(value) = changes.under_management {
        next.under_management = value;
    }
    if let Some(value) = changes.serious_illness {
        next.serious_illness = value;
    }
    if let Some(value) = changes.treat_first_pay_later {
        next.treat_first_pay_later = value;
    }
    if let Some(value) = changes.resolved_on {
        next.resolved_on = value;
    }
    if let Some(value) = changes.notes {
        next.notes = value;
    }
    check(&next)?;
    let mut update = current.clone().into_active_model();
    update.under_management = Set(next.under_management);
    update.serious_illness = Set(next.serious_illness);
    update.treat_first_pay_later = Set(next.treat_first_pay_later);
    update.resolved_on = Set(next.resolved_on);
    update.notes = Set(next.notes);
    update.version = Set(expected_version + 1);
    update.updated_at = Set(Utc::now());
    update.updated_by = Set(actor.user_id);
    let updated = update_if_version(
        &transaction,
        update,
        (
            chronic_condition::Column::Id,
            chronic_condition::Column::Version,
        ),
        id,
        expected_version,
        "chronic condition",
    )
    .await?;
    audit_write(
        &transaction,
        actor,
        "chronic_condition.update",
        "ChronicCondition",
        id,
        Some((&current, &updated)),
    )
    .await?;
    transaction.commit().await?;
    Ok(updated)
}

/// Which follow-ups to list.
#[derive(Debug, Clone, Default)]
pub struct FollowUpFilter {
    pub scope: RecordScope,
    pub person_id: Option<i64>,
    pub chronic_condition_id: Option<i64>,
    /// Only those whose next follow-up was due before this day.
    pub next_due_before: Option<NaiveDate>,
}

/// The follow-ups the filter selects, for keyset paging by id.
pub fn follow_up_select(filter: &FollowUpFilter) -> Select<health_follow_up::Entity> {
    let mut select = health_follow_up::Entity::find();
    if let Some(persons) = filter.scope.persons() {
        select = select.filter(health_follow_up::Column::PersonId.in_subquery(persons));
    }
    if let Some(person_id) = filter.person_id {
        select = select.filter(health_follow_up::Column::PersonId.eq(person_id));
    }
    if let Some(condition) = filter.chronic_condition_id {
        select = select.filter(health_follow_up::Column::ChronicConditionId.eq(condition));
    }
    if let Some(day) = filter.next_due_before {
        select = select.filter(health_follow_up::Column::NextDueOn.lt(day));
    }
    select
}

/// A follow-up to record, validated.
#[derive(Debug, Clone)]
pub struct NewFollowUp {
    pub person_id: i64,
    pub chronic_condition_id: Option<i64>,
    pub followed_up_on: NaiveDate,
    pub method: &'static str,
    pub by_name: String,
    pub notes: String,
    pub next_due_on: Option<NaiveDate>,
}

/// Records a follow-up of a current resident. A condition named must be the person's; the
/// follow-up is linked to the person's family-doctor contract in force on the day, if any.
pub async fn record_follow_up(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewFollowUp,
) -> ApiResult<health_follow_up::Model> {
    let transaction = begin_write(db).await?;
    current_person(&transaction, new.person_id, "input.personId").await?;
    if let Some(condition_id) = new.chronic_condition_id {
        let condition = find_condition(&transaction, condition_id).await?;
        if condition.is_none_or(|condition| condition.person_id != new.person_id) {
            return Err(ApiError::invalid(
                "input.chronicConditionId",
                "this condition is not one of the person's",
            ));
        }
    }
    let contract = family_doctor_contract::Entity::find()
        .filter(family_doctor_contract::Column::PersonId.eq(new.person_id))
        .filter(family_doctor_contract::Column::Status.eq("active"))
        .filter(family_doctor_contract::Column::SignedOn.lte(new.followed_up_on))
        .filter(family_doctor_contract::Column::ExpiresOn.gte(new.followed_up_on))
        .order_by_desc(family_doctor_contract::Column::SignedOn)
        .one(&transaction)
        .await?;
    let now = Utc::now();
    let stored = health_follow_up::ActiveModel {
        person_id: Set(new.person_id),
        contract_id: Set(contract.map(|contract| contract.id)),
        chronic_condition_id: Set(new.chronic_condition_id),
        followed_up_on: Set(new.followed_up_on),
        method: Set(new.method.to_string()),
        by_name: Set(new.by_name),
        notes: Set(new.notes),
        next_due_on: Set(new.next_due_on),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit_write::<health_follow_up::Model>(
        &transaction,
        actor,
        "health_follow_up.create",
        "HealthFollowUp",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}
