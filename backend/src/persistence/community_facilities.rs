//! Queries and writes of a site's community life: its facilities (A3§1), its mass councils
//! (A6§2.4) and its dispute rooms with their cases (说事室, A6§2.2). Each write is one
//! transaction with its audit entry; updates check the version.
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Select, Set,
};

use super::database::begin_write;
use super::entities::{dispute_case, dispute_room, household, site_council, site_facility};
use super::industry::update_if_version;
use super::registry_writes::Actor;
use super::site_records::{audit_write, existing_site, RecordScope};
use crate::error::{ApiError, ApiResult};

fn stamp(actor: &Actor) -> (chrono::DateTime<Utc>, Option<i64>) {
    (Utc::now(), actor.user_id)
}

// ---------------------------------------------------------------------------------------------
// Facilities (A3§1)

/// Which facilities to list.
#[derive(Debug, Clone, Default)]
pub struct FacilityFilter {
    pub scope: RecordScope,
    pub kinds: Vec<&'static str>,
    pub statuses: Vec<&'static str>,
}

/// The facilities of the scope's sites, by site then id (a site has a handful).
pub async fn facilities(
    db: &impl ConnectionTrait,
    filter: &FacilityFilter,
) -> ApiResult<Vec<site_facility::Model>> {
    let mut select = site_facility::Entity::find();
    if let Some(sites) = filter.scope.sites() {
        select = select.filter(site_facility::Column::SiteId.in_subquery(sites));
    }
    if !filter.kinds.is_empty() {
        select = select.filter(site_facility::Column::Kind.is_in(filter.kinds.iter().copied()));
    }
    if !filter.statuses.is_empty() {
        select =
            select.filter(site_facility::Column::Status.is_in(filter.statuses.iter().copied()));
    }
    Ok(select
        .order_by_asc(site_facility::Column::SiteId)
        .order_by_asc(site_facility::Column::Id)
        .all(db)
        .await?)
}

pub async fn find_facility(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<site_facility::Model>> {
    Ok(site_facility::Entity::find_by_id(id).one(db).await?)
}

/// A facility to add, validated.
#[derive(Debug, Clone)]
pub struct NewFacility {
    pub site_id: i64,
    pub kind: &'static str,
    pub name: String,
    pub operator: String,
    pub capacity: Option<i32>,
    pub opened_on: Option<NaiveDate>,
    pub status: &'static str,
}

pub async fn add_facility(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewFacility,
) -> ApiResult<site_facility::Model> {
    let transaction = begin_write(db).await?;
    existing_site(&transaction, new.site_id, "input.siteId").await?;
    let (now, by) = stamp(actor);
    let stored = site_facility::ActiveModel {
        site_id: Set(new.site_id),
        kind: Set(new.kind.to_string()),
        name: Set(new.name),
        operator: Set(new.operator),
        capacity: Set(new.capacity),
        opened_on: Set(new.opened_on),
        status: Set(new.status.to_string()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(by),
        updated_by: Set(by),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit_write::<site_facility::Model>(
        &transaction,
        actor,
        "site_facility.create",
        "SiteFacility",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

/// Changes to a facility (`None`: unchanged; `Some(None)` clears an optional value).
#[derive(Debug, Clone, Default)]
pub struct FacilityChanges {
    pub name: Option<String>,
    pub operator: Option<String>,
    pub capacity: Option<Option<i32>>,
    pub opened_on: Option<Option<NaiveDate>>,
    pub status: Option<&'static str>,
}

/// Updates a facility if it still has `expected_version`; `check` applies the domain rules to
/// the current and the changed facility.
pub async fn update_facility(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    changes: FacilityChanges,
    check: impl FnOnce(&site_facility::Model, &site_facility::Model) -> ApiResult<()>,
) -> ApiResult<site_facility::Model> {
    let transaction = begin_write(db).await?;
    let current = find_facility(&transaction, id)
        .await?
        .ok_or_else(|| ApiError::not_found("SiteFacility", "with this ID"))?;
    if current.version != expected_version {
        return Err(ApiError::stale_version(
            "site facility",
            id,
            expected_version,
        ));
    }
    let mut next = current.clone();
    if let Some(name) = changes.name {
        next.name = name;
    }
    if let Some(operator) = changes.operator {
        next.operator = operator;
    }
    if let Some(capacity) = changes.capacity {
        next.capacity = capacity;
    }
    if let Some(opened_on) = changes.opened_on {
        next.opened_on = opened_on;
    }
    if let Some(status) = changes.status {
        next.status = status.to_string();
    }
    check(&current, &next)?;
    let mut update = current.clone().into_active_model();
    update.name = Set(next.name);
    update.operator = Set(next.operator);
    update.capacity = Set(next.capacity);
    update.opened_on = Set(next.opened_on);
    update.status = Set(next.status);
    update.version = Set(expected_version + 1);
    let (now, by) = stamp(actor);
    update.updated_at = Set(now);
    update.updated_by = Set(by);
    let updated = update_if_version(
        &transaction,
        update,
        (site_facility::Column::Id, site_facility::Column::Version),
        id,
        expected_version,
        "site facility",
    )
    .await?;
    audit_write(
        &transaction,
        actor,
        "site_facility.update",
        "SiteFacility",
        id,
        Some((&current, &updated)),
    )
    .await?;
    transaction.commit().await?;
    Ok(updated)
}

// ---------------------------------------------------------------------------------------------
// Councils (A6§2.4)

/// The councils of the scope's sites, by site then id (at most five a site).
pub async fn councils(
    db: &impl ConnectionTrait,
    scope: &RecordScope,
    active: Option<bool>,
) -> ApiResult<Vec<site_council::Model>> {
    let mut select = site_council::Entity::find();
    if let Some(sites) = scope.sites() {
        select = select.filter(site_council::Column::SiteId.in_subquery(sites));
    }
    if let Some(active) = active {
        select = select.filter(site_council::Column::Active.eq(active));
    }
    Ok(select
        .order_by_asc(site_council::Column::SiteId)
        .order_by_asc(site_council::Column::Id)
        .all(db)
        .await?)
}

pub async fn find_council(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<site_council::Model>> {
    Ok(site_council::Entity::find_by_id(id).one(db).await?)
}

/// A council to record, validated.
#[derive(Debug, Clone)]
pub struct NewCouncil {
    pub site_id: i64,
    pub kind: &'static str,
    pub name: String,
    pub chair_name: String,
    pub member_count: i32,
    pub established_on: Option<NaiveDate>,
}

/// Records a council of a site; a site has one of each kind (a second is a CONFLICT).
pub async fn establish_council(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewCouncil,
) -> ApiResult<site_council::Model> {
    let transaction = begin_write(db).await?;
    existing_site(&transaction, new.site_id, "input.siteId").await?;
    let already = site_council::Entity::find()
        .filter(site_council::Column::SiteId.eq(new.site_id))
        .filter(site_council::Column::Kind.eq(new.kind))
        .one(&transaction)
        .await?;
    if already.is_some() {
        return Err(ApiError::Conflict(
            "this site already has a council of this kind (one of each kind per site, A6§2.4): update it instead"
                .into(),
        ));
    }
    let (now, by) = stamp(actor);
    let stored = site_council::ActiveModel {
        site_id: Set(new.site_id),
        kind: Set(new.kind.to_string()),
        name: Set(new.name),
        chair_name: Set(new.chair_name),
        member_count: Set(new.member_count),
        established_on: Set(new.established_on),
        active: Set(true),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(by),
        updated_by: Set(by),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit_write::<site_council::Model>(
        &transaction,
        actor,
        "site_council.create",
        "SiteCouncil",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

/// Changes to a council (`None`: unchanged).
#[derive(Debug, Clone, Default)]
pub struct CouncilChanges {
    pub name: Option<String>,
    pub chair_name: Option<String>,
    pub member_count: Option<i32>,
    pub active: Option<bool>,
}

pub async fn update_council(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    changes: CouncilChanges,
) -> ApiResult<site_council::Model> {
    let transaction = begin_write(db).await?;
    let current = find_council(&transaction, id)
        .await?
        .ok_or_else(|| ApiError::not_found("SiteCouncil", "with this ID"))?;
    if current.version != expected_version {
        return Err(ApiError::stale_version(
            "site council",
            id,
            expected_version,
        ));
    }
    let mut update = current.clone().into_active_model();
    if let Some(name) = changes.name {
        update.name = Set(name);
    }
    if let Some(chair) = changes.chair_name {
        update.chair_name = Set(chair);
    }
    if let Some(count) = changes.member_count {
        update.member_count = Set(count);
    }
    if let Some(active) = changes.active {
        update.active = Set(active);
    }
    update.version = Set(expected_version + 1);
    let (now, by) = stamp(actor);
    update.updated_at = Set(now);
    update.updated_by = Set(by);
    let updated = update_if_version(
        &transaction,
        update,
        (site_council::Column::Id, site_council::Column::Version),
        id,
        expected_version,
        "site council",
    )
    .await?;
    audit_write(
        &transaction,
        actor,
        "site_council.update",
        "SiteCouncil",
        id,
        Some((&current, &updated)),
    )
    .await?;
    transaction.commit().await?;
    Ok(updated)
}

// ---------------------------------------------------------------------------------------------
// Dispute rooms and cases (A6§2.2)

/// The dispute rooms of the scope's sites, by site then id.
pub async fn rooms(
    db: &impl ConnectionTrait,
    scope: &RecordScope,
) -> ApiResult<Vec<dispute_room::Model>> {
    let mut select = dispute_room::Entity::find();
    if let Some(sites) = scope.sites() {
        select = select.filter(dispute_room::Column::SiteId.in_subquery(sites));
    }
    Ok(select
        .order_by_asc(dispute_room::Column::SiteId)
        .order_by_asc(dispute_room::Column::Id)
        .all(db)
        .await?)
}

pub async fn find_room(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<dispute_room::Model>> {
    Ok(dispute_room::Entity::find_by_id(id).one(db).await?)
}

/// Rooms by id (one statement).
pub async fn rooms_by_id(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> ApiResult<HashMap<i64, dispute_room::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(dispute_room::Entity::find()
        .filter(dispute_room::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|room| (room.id, room))
        .collect())
}

/// A room to open, validated.
#[derive(Debug, Clone)]
pub struct NewRoom {
    pub site_id: i64,
    pub name: String,
    pub location: String,
    pub host_name: String,
    pub opened_on: Option<NaiveDate>,
}

pub async fn open_room(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewRoom,
) -> ApiResult<dispute_room::Model> {
    let transaction = begin_write(db).await?;
    existing_site(&transaction, new.site_id, "input.siteId").await?;
    let (now, by) = stamp(actor);
    let stored = dispute_room::ActiveModel {
        site_id: Set(new.site_id),
        name: Set(new.name),
        location: Set(new.location),
        host_name: Set(new.host_name),
        opened_on: Set(new.opened_on),
        active: Set(true),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(by),
        updated_by: Set(by),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit_write::<dispute_room::Model>(
        &transaction,
        actor,
        "dispute_room.create",
        "DisputeRoom",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

/// Changes to a room (`None`: unchanged).
#[derive(Debug, Clone, Default)]
pub struct RoomChanges {
    pub name: Option<String>,
    pub location: Option<String>,
    pub host_name: Option<String>,
    pub active: Option<bool>,
}

pub async fn update_room(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    changes: RoomChanges,
) -> ApiResult<dispute_room::Model> {
    let transaction = begin_write(db).await?;
    let current = find_room(&transaction, id)
        .await?
        .ok_or_else(|| ApiError::not_found("DisputeRoom", "with this ID"))?;
    if current.version != expected_version {
        return Err(ApiError::stale_version(
            "dispute room",
            id,
            expected_version,
        ));
    }
    let mut update = current.clone().into_active_model();
    if let Some(name) = changes.name {
        update.name = Set(name);
    }
    if let Some(location) = changes.location {
        update.location = Set(location);
    }
    if let Some(host) = changes.host_name {
        update.host_name = Set(host);
    }
    if let Some(active) = changes.active {
        update.active = Set(active);
    }
    update.version = Set(expected_version + 1);
    let (now, by) = stamp(actor);
    update.updated_at = Set(now);
    update.updated_by = Set(by);
    let updated = update_if_version(
        &transaction,
        update,
        (dispute_room::Column::Id, dispute_room::Column::Version),
        id,
        expected_version,
        "dispute room",
    )
    .await?;
    audit_write(
        &transaction,
        actor,
        "dispute_room.update",
        "DisputeRoom",
        id,
        Some((&current, &updated)),
    )
    .await?;
    transaction.commit().await?;
    Ok(updated)
}

/// Which dispute cases to list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub scope: RecordScope,
    pub room_id: Option<i64>,
    pub statuses: Vec<&'static str>,
}

/// The cases the filter selects, for keyset paging by id.
pub fn case_select(filter: &CaseFilter) -> Select<dispute_case::Entity> {
    let mut select = dispute_case::Entity::find();
    if let Some(sites) = filter.scope.sites() {
        select = select.filter(
            dispute_case::Column::RoomId.in_subquery(
                Query::select()
                    .column(dispute_room::Column::Id)
                    .from(dispute_room::Entity)
                    .and_where(dispute_room::Column::SiteId.in_subquery(sites))
                    .to_owned(),
            ),
        );
    }
    if let Some(room_id) = filter.room_id {
        select = select.filter(dispute_case::Column::RoomId.eq(room_id));
    }
    if !filter.statuses.is_empty() {
        select = select.filter(dispute_case::Column::Status.is_in(filter.statuses.iter().copied()));
    }
    select
}

pub async fn find_case(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<dispute_case::Model>> {
    Ok(dispute_case::Entity::find_by_id(id).one(db).await?)
}

/// Households by id (one statement).
pub async fn households_by_id(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> ApiResult<HashMap<i64, household::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(household::Entity::find()
        .filter(household::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect())
}

/// A case to receive, validated.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub room_id: i64,
    pub household_id: Option<i64>,
    pub received_on: NaiveDate,
    pub summary: String,
    pub mediator_name: String,
}

/// Receives a case in a room; `check` decides whether the room takes it (active, opened); a
/// household named must live at the room's site.
pub async fn receive_case(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewCase,
    check: impl FnOnce(&dispute_room::Model) -> ApiResult<()>,
) -> ApiResult<dispute_case::Model> {
    let transaction = begin_write(db).await?;
    let room = find_room(&transaction, new.room_id)
        .await?
        .ok_or_else(|| ApiError::not_found("DisputeRoom", "with this ID"))?;
    check(&room)?;
    if let Some(household_id) = new.household_id {
        let household = household::Entity::find_by_id(household_id)
            .one(&transaction)
            .await?;
        if household.is_none_or(|household| household.site_id != room.site_id) {
            return Err(ApiError::invalid(
                "input.householdId",
                "this household does not live at the room's site",
            ));
        }
    }
    let (now, by) = stamp(actor);
    let stored = dispute_case::ActiveModel {
        room_id: Set(new.room_id),
        household_id: Set(new.household_id),
        received_on: Set(new.received_on),
        summary: Set(new.summary),
        mediator_name: Set(new.mediator_name),
        status: Set("open".to_string()),
        resolved_on: Set(None),
        outcome: Set(String::new()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(by),
        updated_by: Set(by),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit_write::<dispute_case::Model>(
        &transaction,
        actor,
        "dispute_case.create",
        "DisputeCase",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

/// Settles a case if it still has `expected_version`: `settle` decides the new status from the
/// stored case (`domain::community::settle_dispute_case`).
pub async fn settle_case(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    resolved_on: NaiveDate,
    outcome: String,
    settle: impl FnOnce(&dispute_case::Model) -> ApiResult<&'static str>,
) -> ApiResult<dispute_case::Model> {
    let transaction = begin_write(db).await?;
    let current = find_case(&transaction, id)
        .await?
        .ok_or_else(|| ApiError::not_found("DisputeCase", "with this ID"))?;
    if current.version != expected_version {
        return Err(ApiError::stale_version(
            "dispute case",
            id,
            expected_version,
        ));
    }
    let status = settle(&current)?;
    let mut update = current.clone().into_active_model();
    update.status = Set(status.to_string());
    update.resolved_on = Set(Some(resolved_on));
    update.outcome = Set(outcome);
    update.version = Set(expected_version + 1);
    let (now, by) = stamp(actor);
    update.updated_at = Set(now);
    update.updated_by = Set(by);
    let updated = update_if_version(
        &transaction,
        update,
        (dispute_case::Column::Id, dispute_case::Column::Version),
        id,
        expected_version,
        "dispute case",
    )
    .await?;
    audit_write(
        &transaction,
        actor,
        "dispute_case.settle",
        "DisputeCase",
        id,
        Some((&current, &updated)),
    )
    .await?;
    transaction.commit().await?;
    Ok(updated)
}
