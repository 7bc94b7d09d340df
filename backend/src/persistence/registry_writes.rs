//! Writes to the registry: create, update and archive households and persons, each in one
//! transaction with an optimistic version check and an audit entry.
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter, Set,
};

use super::alerts::{refresh_alerts, AlertScope};
use super::audit::AuditEntry;
use super::database::begin_write;
use super::entities::{building, flat, household, person, site, village};
use crate::error::{ApiError, ApiResult};

/// Who is acting: stored as `created_by`/`updated_by` and in the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub label: String,
    pub role_codes: String,
}

/// A validated person, ready to store (sex and birth date come from the ID number).
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: String,
    pub id_number: String,
    pub sex: &'static str,
    pub birth_date: NaiveDate,
    pub relation: &'static str,
    pub labour_capacity: &'static str,
    pub employment_status: &'static str,
    pub phone: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewHousehold {
    pub code: String,
    pub site_id: i64,
    pub flat_id: Option<i64>,
    pub origin_village_id: Option<i64>,
    pub registered_poor: bool,
    pub relocated_on: Option<NaiveDate>,
    pub members: Vec<NewPerson>,
}

/// Changes to a household; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct HouseholdChanges {
    pub code: Option<String>,
    pub site_id: Option<i64>,
    pub flat_id: Option<Option<i64>>,
    pub origin_village_id: Option<Option<i64>>,
    pub registered_poor: Option<bool>,
    pub relocated_on: Option<Option<NaiveDate>>,
}

/// Changes to a person; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct PersonChanges {
    pub name: Option<String>,
    /// A new ID number with the sex and birth date it encodes.
    pub id_number: Option<(String, &'static str, NaiveDate)>,
    pub relation: Option<&'static str>,
    pub labour_capacity: Option<&'static str>,
    pub employment_status: Option<&'static str>,
    pub phone: Option<Option<String>>,
}

const HEAD: &str = "head";

pub async fn create_household(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewHousehold,
) -> ApiResult<household::Model> {
    let heads = new.members.iter().filter(|m| m.relation == HEAD).count();
    if heads != 1 {
        return Err(ApiError::invalid(
            "input.members",
            format!(
                "a household needs exactly one member whose relation is HEAD (户主), found {heads}"
            ),
        ));
    }
    let transaction = begin_write(db).await?;
    ensure_site_exists(&transaction, "input.siteId", new.site_id).await?;
    if let Some(flat_id) = new.flat_id {
        ensure_flat_in_site(&transaction, flat_id, new.site_id).await?;
    }
    if let Some(village_id) = new.origin_village_id {
        ensure_village_exists(&transaction, village_id).await?;
    }
    let now = Utc::now();
    let created = household::ActiveModel {
        code: Set(new.code),
        site_id: Set(new.site_id),
        flat_id: Set(new.flat_id),
        origin_village_id: Set(new.origin_village_id),
        registered_poor: Set(new.registered_poor),
        relocated_on: Set(new.relocated_on),
        archived_at: Set(None),
        archive_reason: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    for member in new.members {
        insert_person(&transaction, actor, created.id, member).await?;
    }
    refresh_alerts(&transaction, AlertScope::Households(vec![created.id])).await?;
    audit(
        &transaction,
        actor,
        "household.create",
        "Household",
        created.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(created)
}

pub async fn update_household(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    changes: HouseholdChanges,
) -> ApiResult<household::Model> {
    let transaction = begin_write(db).await?;
    let current = find_household(&transaction, id).await?;
    if current.version != expected_version {
        return Err(ApiError::stale_version("household", id, expected_version));
    }
    if current.archived_at.is_some() {
        return Err(ApiError::Conflict(format!(
            "household {} is archived and cannot be changed",
            current.code
        )));
    }
    let site_id = changes.site_id.unwrap_or(current.site_id);
    if changes.site_id.is_some() {
        ensure_site_exists(&transaction, "input.siteId", site_id).await?;
    }
    let flat_id = changes.flat_id.unwrap_or(current.flat_id);
    if let Some(flat_id) = flat_id {
        if changes.flat_id.is_some() || changes.site_id.is_some() {
            ensure_flat_in_site(&transaction, flat_id, site_id).await?;
        }
    }
    if let Some(Some(village_id)) = changes.origin_village_id {
        ensure_village_exists(&transaction, village_id).await?;
    }
    let mut update = household::ActiveModel {
        id: Set(id),
        version: Set(expected_version + 1),
        updated_at: Set(Utc::now()),
        updated_by: Set(actor.user_id),
        ..Default::default()
    };
    if let Some(code) = changes.code {
        update.code = Set(code);
    }
    if changes.site_id.is_some() {
        update.site_id = Set(site_id);
    }
    if changes.flat_id.is_some() {
        update.flat_id = Set(flat_id);
    }
    if let Some(origin) = changes.origin_village_id {
        update.origin_village_id = Set(origin);
    }
    if let Some(registered_poor) = changes.registered_poor {
        update.registered_poor = Set(registered_poor);
    }
    if let Some(relocated_on) = changes.relocated_on {
        update.relocated_on = Set(relocated_on);
    }
    let result = household::Entity::update_many()
        .set(update)
        .filter(household::Column::Id.eq(id))
        .filter(household::Column::Version.eq(expected_version))
        .exec(&transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::stale_version("household", id, expected_version));
    }
    refresh_alerts(&transaction, AlertScope::Households(vec![id])).await?;
    audit(
        &transaction,
        actor,
        "household.update",
        "Household",
        id,
        None,
    )
    .await?;
    let updated = find_household(&transaction, id).await?;
    transaction.commit().await?;
    Ok(updated)
}

/// Archives a household and its current members (records are kept, never deleted).
pub async fn archive_household(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    reason: String,
) -> ApiResult<household::Model> {
    let transaction = begin_write(db).await?;
    let current = find_household(&transaction, id).await?;
    if current.version != expected_version {
        return Err(ApiError::stale_version("household", id, expected_version));
    }
    if current.archived_at.is_some() {
        return Err(ApiError::Conflict(format!(
            "household {} is already archived",
            current.code
        )));
    }
    let now = Utc::now();
    let result = household::Entity::update_many()
        .col_expr(household::Column::ArchivedAt, Expr::value(now))
        .col_expr(
            household::Column::ArchiveReason,
            Expr::value(reason.clone()),
        )
        .col_expr(
            household::Column::Version,
            Expr::value(expected_version + 1),
        )
        .col_expr(household::Column::UpdatedAt, Expr::value(now))
        .col_expr(household::Column::UpdatedBy, Expr::value(actor.user_id))
        .filter(household::Column::Id.eq(id))
        .filter(household::Column::Version.eq(expected_version))
        .exec(&transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::stale_version("household", id, expected_version));
    }
    person::Entity::update_many()
        .col_expr(person::Column::ArchivedAt, Expr::value(now))
        .col_expr(person::Column::ArchiveReason, Expr::value(reason.clone()))
        .col_expr(
            person::Column::Version,
            Expr::col(person::Column::Version).add(1),
        )
        .col_expr(person::Column::UpdatedAt, Expr::value(now))
        .col_expr(person::Column::UpdatedBy, Expr::value(actor.user_id))
        .filter(person::Column::HouseholdId.eq(id))
        .filter(person::Column::ArchivedAt.is_null())
        .exec(&transaction)
        .await?;
    refresh_alerts(&transaction, AlertScope::Households(vec![id])).await?;
    audit(
        &transaction,
        actor,
        "household.archive",
        "Household",
        id,
        Some(reason),
    )
    .await?;
    let archived = find_household(&transaction, id).await?;
    transaction.commit().await?;
    Ok(archived)
}

pub async fn add_person(
    db: &DatabaseConnection,
    actor: &Actor,
    household_id: i64,
    new: NewPerson,
) -> ApiResult<person::Model> {
    let transaction = begin_write(db).await?;
    let household = find_household(&transaction, household_id).await?;
    if household.archived_at.is_some() {
        return Err(ApiError::Conflict(format!(
            "household {} is archived; a person cannot be added to it",
            household.code
        )));
    }
    if new.relation == HEAD {
        ensure_no_other_head(&transaction, household_id, None).await?;
    }
    let created = insert_person(&transaction, actor, household_id, new).await?;
    refresh_alerts(&transaction, AlertScope::Persons(vec![created.id])).await?;
    audit(
        &transaction,
        actor,
        "person.create",
        "Person",
        created.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(created)
}

pub async fn update_person(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    changes: PersonChanges,
) -> ApiResult<person::Model> {
    let transaction = begin_write(db).await?;
    let current = find_person(&transaction, id).await?;
    if current.version != expected_version {
        return Err(ApiError::stale_version("person", id, expected_version));
    }
    if current.archived_at.is_some() {
        return Err(ApiError::Conflict(format!(
            "person {id} is archived and cannot be changed"
        )));
    }
    if changes.relation == Some(HEAD) && current.relation != HEAD {
        ensure_no_other_head(&transaction, current.household_id, Some(id)).await?;
    }
    let mut update = person::ActiveModel {
        id: Set(id),
        version: Set(expected_version + 1),
        updated_at: Set(Utc::now()),
        updated_by: Set(actor.user_id),
        ..Default::default()
    };
    if let Some(name) = changes.name {
        update.name = Set(name);
    }
    if let Some((id_number, sex, birth_date)) = changes.id_number {
        update.id_number = Set(id_number);
        update.sex = Set(sex.to_string());
        update.birth_date = Set(birth_date);
    }
    if let Some(relation) = changes.relation {
        update.relation = Set(relation.to_string());
    }
    if let Some(labour_capacity) = changes.labour_capacity {
        update.labour_capacity = Set(labour_capacity.to_string());
    }
    if let Some(employment_status) = changes.employment_status {
        update.employment_status = Set(employment_status.to_string());
    }
    if let Some(phone) = changes.phone {
        update.phone = Set(phone);
    }
    let result = person::Entity::update_many()
        .set(update)
        .filter(person::Column::Id.eq(id))
        .filter(person::Column::Version.eq(expected_version))
        .exec(&transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::stale_version("person", id, expected_version));
    }
    refresh_alerts(&transaction, AlertScope::Persons(vec![id])).await?;
    let updated = find_person(&transaction, id).await?;
    audit_change(
        &transaction,
        actor,
        "person.update",
        "Person",
        id,
        &current,
        &updated,
    )
    .await?;
    transaction.commit().await?;
    Ok(updated)
}

pub async fn archive_person(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    reason: String,
) -> ApiResult<person::Model> {
    let transaction = begin_write(db).await?;
    let current = find_person(&transaction, id).await?;
    if current.version != expected_version {
        return Err(ApiError::stale_version("person", id, expected_version));
    }
    if current.archived_at.is_some() {
        return Err(ApiError::Conflict(format!(
            "person {id} is already archived"
        )));
    }
    let now = Utc::now();
    let result = person::Entity::update_many()
        .col_expr(person::Column::ArchivedAt, Expr::value(now))
        .col_expr(person::Column::ArchiveReason, Expr::value(reason.clone()))
        .col_expr(person::Column::Version, Expr::value(expected_version + 1))
        .col_expr(person::Column::UpdatedAt, Expr::value(now))
        .col_expr(person::Column::UpdatedBy, Expr::value(actor.user_id))
        .filter(person::Column::Id.eq(id))
        .filter(person::Column::Version.eq(expected_version))
        .exec(&transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::stale_version("person", id, expected_version));
    }
    refresh_alerts(&transaction, AlertScope::Persons(vec![id])).await?;
    audit(
        &transaction,
        actor,
        "person.archive",
        "Person",
        id,
        Some(reason),
    )
    .await?;
    let archived = find_person(&transaction, id).await?;
    transaction.commit().await?;
    Ok(archived)
}

async fn insert_person(
    transaction: &DatabaseTransaction,
    actor: &Actor,
    household_id: i64,
    new: NewPerson,
) -> ApiResult<person::Model> {
    let now = Utc::now();
    Ok(person::ActiveModel {
        household_id: Set(household_id),
        name: Set(new.name),
        id_number: Set(new.id_number),
        sex: Set(new.sex.to_string()),
        birth_date: Set(new.birth_date),
        relation: Set(new.relation.to_string()),
        labour_capacity: Set(new.labour_capacity.to_string()),
        employment_status: Set(new.employment_status.to_string()),
        phone: Set(new.phone),
        archived_at: Set(None),
        archive_reason: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(transaction)
    .await?)
}

async fn find_household(transaction: &DatabaseTransaction, id: i64) -> ApiResult<household::Model> {
    household::Entity::find_by_id(id)
        .one(transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("household", id))
}

async fn find_person(transaction: &DatabaseTransaction, id: i64) -> ApiResult<person::Model> {
    person::Entity::find_by_id(id)
        .one(transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("person", id))
}

async fn ensure_site_exists(
    transaction: &DatabaseTransaction,
    field: &str,
    site_id: i64,
) -> ApiResult<()> {
    match site::Entity::find_by_id(site_id).one(transaction).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::invalid(
            field,
            format!("site {site_id} does not exist"),
        )),
    }
}

async fn ensure_village_exists(
    transaction: &DatabaseTransaction,
    village_id: i64,
) -> ApiResult<()> {
    match village::Entity::find_by_id(village_id)
        .one(transaction)
        .await?
    {
        Some(_) => Ok(()),
        None => Err(ApiError::invalid(
            "input.originVillageId",
            format!("village {village_id} does not exist"),
        )),
    }
}

async fn ensure_flat_in_site(
    transaction: &DatabaseTransaction,
    flat_id: i64,
    site_id: i64,
) -> ApiResult<()> {
    let found = flat::Entity::find_by_id(flat_id)
        .find_also_related(building::Entity)
        .one(transaction)
        .await?;
    match found {
        Some((_, Some(building))) if building.site_id == site_id => Ok(()),
        Some(_) => Err(ApiError::invalid(
            "input.flatId",
            format!("flat {flat_id} is not in site {site_id}"),
        )),
        None => Err(ApiError::invalid(
            "input.flatId",
            format!("flat {flat_id} does not exist"),
        )),
    }
}

async fn ensure_no_other_head(
    transaction: &DatabaseTransaction,
    household_id: i64,
    except_person: Option<i64>,
) -> ApiResult<()> {
    let mut heads = person::Entity::find()
        .filter(person::Column::HouseholdId.eq(household_id))
        .filter(person::Column::Relation.eq(HEAD))
        .filter(person::Column::ArchivedAt.is_null());
    if let Some(person_id) = except_person {
        heads = heads.filter(person::Column::Id.ne(person_id));
    }
    if heads.count(transaction).await? > 0 {
        return Err(ApiError::Conflict(
            "this household already has a head (户主); change the current head's relation first"
                .into(),
        ));
    }
    Ok(())
}

/// Appends a change to the audit log with the fields that changed, before and after.
async fn audit_change<T: serde::Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: i64,
    before: &T,
    after: &T,
) -> ApiResult<()> {
    let (before, after) = (serde_json::to_value(before), serde_json::to_value(after));
    let (Ok(serde_json::Value::Object(before)), Ok(serde_json::Value::Object(after))) =
        (before, after)
    else {
        return audit(db, actor, action, entity_type, entity_id, None).await;
    };
    let mut changed_before = serde_json::Map::new();
    let mut changed_after = serde_json::Map::new();
    for (field, new_value) in &after {
        let old_value = before
            .get(field)
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        if &old_value != new_value && !matches!(field.as_str(), "updated_at" | "updated_by") {
            changed_before.insert(field.clone(), old_value);
            changed_after.insert(field.clone(), new_value.clone());
        }
    }
    let detail = serde_json::json!({ "before": changed_before, "after": changed_after });
    let entry = AuditEntry::system(action, entity_type, Some(entity_id))
        .actor(actor.user_id, &actor.label)
        .roles(&actor.role_codes)
        .detail(detail.to_string());
    super::audit::record(db, entry).await
}

/// Appends to the audit log inside the write's own transaction.
pub async fn audit(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: i64,
    reason: Option<String>,
) -> ApiResult<()> {
    let mut entry = AuditEntry::system(action, entity_type, Some(entity_id))
        .actor(actor.user_id, &actor.label)
        .roles(&actor.role_codes);
    if let Some(reason) = reason {
        entry = entry.reason(reason);
    }
    super::audit::record(db, entry).await
}
