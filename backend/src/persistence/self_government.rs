//! Queries and writes of self-governance (annex 4): public disclosures (居务公开), consultation
//! meetings (民主协商) with their relocated representatives and the adoption and feedback of
//! their outcomes, and democratic evaluations (民主评议). Each write is one transaction with
//! its audit entry.
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Select, Set,
};

use super::alerts::{refresh_alerts, AlertScope};
use super::database::begin_write;
use super::entities::{community, consultation_meeting, democratic_evaluation, public_disclosure};
use super::industry::update_if_version;
use super::registry_writes::{audit, Actor};
use super::scope::sites_of_towns;
use crate::error::{ApiError, ApiResult};

/// Which site records to list.
#[derive(Debug, Clone, Default)]
pub struct GovernanceFilter {
    pub site_id: Option<i64>,
    pub year: Option<i32>,
    /// Disclosures: include withdrawn ones.
    pub include_withdrawn: bool,
    /// Meetings: only those on residents' labour without relocated representatives (A4§3.2).
    pub lacking_representatives_only: bool,
    pub scope_town_ids: Option<Vec<i64>>,
}

fn year_bounds(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_ymd_opt(year, 1, 1)?,
        NaiveDate::from_ymd_opt(year, 12, 31)?,
    ))
}

pub fn disclosure_select(filter: &GovernanceFilter) -> Select<public_disclosure::Entity> {
    let mut select = public_disclosure::Entity::find();
    if let Some(site_id) = filter.site_id {
        select = select.filter(public_disclosure::Column::SiteId.eq(site_id));
    }
    if !filter.include_withdrawn {
        select = select.filter(public_disclosure::Column::WithdrawnOn.is_null());
    }
    if let Some((first, last)) = filter.year.and_then(year_bounds) {
        select = select.filter(public_disclosure::Column::PublishedOn.between(first, last));
    }
    if let Some(towns) = &filter.scope_town_ids {
        let communities = Query::select()
            .column(community::Column::Id)
            .from(community::Entity)
            .and_where(community::Column::TownId.is_in(towns.clone()))
            .to_owned();
        select = select.filter(
            Condition::any()
                .add(public_disclosure::Column::SiteId.in_subquery(sites_of_towns(towns)))
                .add(
                    Condition::all()
                        .add(public_disclosure::Column::SiteId.is_null())
                        .add(public_disclosure::Column::CommunityId.in_subquery(communities)),
                ),
        );
    }
    select
}

pub fn meeting_select(filter: &GovernanceFilter) -> Select<consultation_meeting::Entity> {
    let mut select = consultation_meeting::Entity::find();
    if let Some(site_id) = filter.site_id {
        select = select.filter(consultation_meeting::Column::SiteId.eq(site_id));
    }
    if let Some((first, last)) = filter.year.and_then(year_bounds) {
        select = select.filter(consultation_meeting::Column::HeldOn.between(first, last));
    }
    if filter.lacking_representatives_only {
        // The SQL of `domain::governance::consultation_lacks_relocated_representatives`.
        select = select
            .filter(consultation_meeting::Column::InvolvesResidentLabour.eq(true))
            .filter(consultation_meeting::Column::RelocatedRepresentativesCount.eq(0));
    }
    if let Some(towns) = &filter.scope_town_ids {
        select =
            select.filter(consultation_meeting::Column::SiteId.in_subquery(sites_of_towns(towns)));
    }
    select
}

pub fn evaluation_select(filter: &GovernanceFilter) -> Select<democratic_evaluation::Entity> {
    let mut select = democratic_evaluation::Entity::find();
    if let Some(site_id) = filter.site_id {
        select = select.filter(democratic_evaluation::Column::SiteId.eq(site_id));
    }
    if let Some(year) = filter.year {
        select = select.filter(democratic_evaluation::Column::Year.eq(year));
    }
    if let Some(towns) = &filter.scope_town_ids {
        select =
            select.filter(democratic_evaluation::Column::SiteId.in_subquery(sites_of_towns(towns)));
    }
    select
}

#[derive(Debug, Clone)]
pub struct NewDisclosure {
    pub site_id: i64,
    pub community_id: Option<i64>,
    pub kind: &'static str,
    pub title: String,
    pub content: String,
    pub published_on: NaiveDate,
}

pub async fn publish_disclosure(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewDisclosure,
) -> ApiResult<public_disclosure::Model> {
    let transaction = begin_write(db).await?;
    let now = Utc::now();
    let stored = public_disclosure::ActiveModel {
        site_id: Set(Some(new.site_id)),
        community_id: Set(new.community_id),
        kind: Set(new.kind.into()),
        title: Set(new.title),
        content: Set(new.content),
        published_on: Set(new.published_on),
        withdrawn_on: Set(None),
        published_by_user_id: Set(actor.user_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "public_disclosure.publish",
        "PublicDisclosure",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

pub async fn find_disclosure(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<public_disclosure::Model>> {
    Ok(public_disclosure::Entity::find_by_id(id).one(db).await?)
}

pub async fn withdraw_disclosure(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    withdrawn_on: NaiveDate,
    reason: String,
) -> ApiResult<public_disclosure::Model> {
    let transaction = begin_write(db).await?;
    let row = public_disclosure::Entity::find_by_id(id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("PublicDisclosure", "with this ID"))?;
    if row.version != expected_version {
        return Err(ApiError::stale_version(
            "public disclosure",
            id,
            expected_version,
        ));
    }
    if row.withdrawn_on.is_some() {
        return Err(ApiError::Conflict(
            "this disclosure is already withdrawn".into(),
        ));
    }
    if withdrawn_on < row.published_on {
        return Err(ApiError::invalid(
            "input.withdrawnOn",
            format!(
                "it was published on {}; it cannot be withdrawn before",
                row.published_on
            ),
        ));
    }
    let mut update = row.into_active_model();
    update.withdrawn_on = Set(Some(withdrawn_on));
    update.version = Set(expected_version + 1);
    update.updated_at = Set(Utc::now());
    update.updated_by = Set(actor.user_id);
    let updated = update_if_version(
        &transaction,
        update,
        (
            public_disclosure::Column::Id,
            public_disclosure::Column::Version,
        ),
        id,
        expected_version,
        "public disclosure",
    )
    .await?;
    audit(
        &transaction,
        actor,
        "public_disclosure.withdraw",
        "PublicDisclosure",
        id,
        Some(reason),
    )
    .await?;
    transaction.commit().await?;
    Ok(updated)
}

#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub site_id: i64,
    pub kind: &'static str,
    pub topic: String,
    pub held_on: NaiveDate,
    pub led_by_party_organisation: bool,
    pub involves_resident_labour: bool,
    pub attendees_count: i32,
    pub relocated_representatives_count: i32,
    pub outcome: String,
}

pub async fn record_meeting(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewMeeting,
) -> ApiResult<consultation_meeting::Model> {
    let transaction = begin_write(db).await?;
    let now = Utc::now();
    let stored = consultation_meeting::ActiveModel {
        site_id: Set(new.site_id),
        kind: Set(new.kind.into()),
        topic: Set(new.topic),
        held_on: Set(new.held_on),
        led_by_party_organisation: Set(new.led_by_party_organisation),
        involves_resident_labour: Set(new.involves_resident_labour),
        attendees_count: Set(new.attendees_count),
        relocated_representatives_count: Set(new.relocated_representatives_count),
        outcome: Set(new.outcome),
        adoption_status: Set("pending".into()),
        implemented: Set(false),
        feedback: Set(String::new()),
        feedback_on: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "consultation_meeting.create",
        "ConsultationMeeting",
        stored.id,
        None,
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Sites(vec![new.site_id])).await?;
    transaction.commit().await?;
    Ok(stored)
}

pub async fn find_meeting(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<consultation_meeting::Model>> {
    Ok(consultation_meeting::Entity::find_by_id(id).one(db).await?)
}

/// The adoption, implementation and feedback of a consultation's outcome (A4§3.2).
#[derive(Debug, Clone)]
pub struct OutcomeRecord {
    pub adoption_status: &'static str,
    pub implemented: bool,
    pub feedback: String,
    pub feedback_on: Option<NaiveDate>,
}

pub async fn record_outcome(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    record: OutcomeRecord,
) -> ApiResult<consultation_meeting::Model> {
    let transaction = begin_write(db).await?;
    let row = consultation_meeting::Entity::find_by_id(id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("ConsultationMeeting", "with this ID"))?;
    if row.version != expected_version {
        return Err(ApiError::stale_version(
            "consultation meeting",
            id,
            expected_version,
        ));
    }
    if record.feedback_on.is_some_and(|on| on < row.held_on) {
        return Err(ApiError::invalid(
            "input.feedbackOn",
            format!(
                "the meeting was held on {}; feedback cannot come before",
                row.held_on
            ),
        ));
    }
    let site_id = row.site_id;
    let mut update = row.into_active_model();
    update.adoption_status = Set(record.adoption_status.into());
    update.implemented = Set(record.implemented);
    update.feedback = Set(record.feedback);
    update.feedback_on = Set(record.feedback_on);
    update.version = Set(expected_version + 1);
    update.updated_at = Set(Utc::now());
    update.updated_by = Set(actor.user_id);
    let updated = update_if_version(
        &transaction,
        update,
        (
            consultation_meeting::Column::Id,
            consultation_meeting::Column::Version,
        ),
        id,
        expected_version,
        "consultation meeting",
    )
    .await?;
    audit(
        &transaction,
        actor,
        "consultation_meeting.outcome",
        "ConsultationMeeting",
        id,
        None,
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Sites(vec![site_id])).await?;
    transaction.commit().await?;
    Ok(updated)
}

#[derive(Debug, Clone)]
pub struct NewEvaluation {
    pub site_id: i64,
    pub subject_kind: &'static str,
    pub subject_name: String,
    pub organised_by_town_id: Option<i64>,
    pub year: i32,
    pub held_on: NaiveDate,
    pub participants_count: i32,
    pub satisfied_count: i32,
    pub basically_satisfied_count: i32,
    pub dissatisfied_count: i32,
    pub score: Option<i32>,
    pub comments: String,
}

pub async fn record_evaluation(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewEvaluation,
) -> ApiResult<democratic_evaluation::Model> {
    let transaction = begin_write(db).await?;
    let now = Utc::now();
    let stored = democratic_evaluation::ActiveModel {
        site_id: Set(new.site_id),
        subject_kind: Set(new.subject_kind.into()),
        subject_name: Set(new.subject_name),
        organised_by_town_id: Set(new.organised_by_town_id),
        year: Set(new.year),
        held_on: Set(new.held_on),
        participants_count: Set(new.participants_count),
        satisfied_count: Set(new.satisfied_count),
        basically_satisfied_count: Set(new.basically_satisfied_count),
        dissatisfied_count: Set(new.dissatisfied_count),
        score: Set(new.score),
        comments: Set(new.comments),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "democratic_evaluation.create",
        "DemocraticEvaluation",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}
