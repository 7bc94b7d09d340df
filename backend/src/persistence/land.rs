//! Queries and writes of land linkage (annex 5): old homesteads, projects, quotas and their
//! ledger, transfers, revenue and the repayment reserve. Each write is one transaction with its
//! audit entry and the alert refresh; the rules come from `domain::land`.
use super::database::begin_write;
use super::scope::households_of_towns;
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use domain::land::{
    apply_homestead_event, HomesteadError, HomesteadEvent, HomesteadStatus, LandRuleError,
    QuotaHolding, QuotaLedgerKind, ReclaimedUse, TransferScope,
};
use domain::money::{Area, Money};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set,
};

use super::alerts::{refresh_alerts, AlertScope};
use super::entities::{
    homestead, household, land_linkage_project, land_quota, land_revenue, quota_transfer,
    quota_use_ledger, repayment_reserve_account, repayment_reserve_entry,
};
use super::paging::{PageDirection, PageRequest};
use super::registry::Page;
use super::registry_writes::{audit, Actor};
use crate::error::{ApiError, ApiResult};

/// One keyset page of `select` in id order (the cursor carries the id).
pub async fn page_by_id<E>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    id_column: E::Column,
    page: &PageRequest,
) -> Result<Page<E::Model>, DbErr>
where
    E: EntityTrait,
{
    let forward = page.direction == PageDirection::Forward;
    let mut select = select;
    if let Some(cursor) = &page.cursor {
        select = if forward {
            select.filter(id_column.gt(cursor.id))
        } else {
            select.filter(id_column.lt(cursor.id))
        };
    }
    select = if forward {
        select.order_by_asc(id_column)
    } else {
        select.order_by_desc(id_column)
    };
    let mut rows = select.limit(page.size + 1).all(db).await?;
    let has_more = rows.len() as u64 > page.size;
    rows.truncate(page.size as usize);
    if !forward {
        rows.reverse();
    }
    Ok(Page { rows, has_more })
}

fn area(value: i64) -> Area {
    Area::from_ten_thousandths(value)
}

// ---------------------------------------------------------------------------------------------
// Homesteads (A5§1, A5§3, A5§5)

/// Which homesteads to list.
#[derive(Debug, Clone, Default)]
pub struct HomesteadFilter {
    pub site_id: Option<i64>,
    pub state: Option<&'static str>,
    pub project_id: Option<i64>,
    /// The principal's towns, when row-scoped.
    pub scope_town_ids: Option<Vec<i64>>,
}

fn homesteads(filter: &HomesteadFilter) -> Select<homestead::Entity> {
    let mut select = homestead::Entity::find();
    if let Some(site_id) = filter.site_id {
        select = select.filter(
            homestead::Column::HouseholdId.in_subquery(
                Query::select()
                    .column(household::Column::Id)
                    .from(household::Entity)
                    .and_where(household::Column::SiteId.eq(site_id))
                    .to_owned(),
            ),
        );
    }
    if let Some(state) = filter.state {
        select = select.filter(homestead::Column::State.eq(state));
    }
    if let Some(project_id) = filter.project_id {
        select = select.filter(homestead::Column::ProjectId.eq(project_id));
    }
    if let Some(towns) = &filter.scope_town_ids {
        select =
            select.filter(homestead::Column::HouseholdId.in_subquery(households_of_towns(towns)));
    }
    select
}

pub async fn homestead_page(
    db: &impl ConnectionTrait,
    filter: &HomesteadFilter,
    page: &PageRequest,
) -> ApiResult<Page<homestead::Model>> {
    Ok(page_by_id(db, homesteads(filter), homestead::Column::Id, page).await?)
}

pub async fn count_homesteads(
    db: &impl ConnectionTrait,
    filter: &HomesteadFilter,
) -> ApiResult<i64> {
    Ok(homesteads(filter).count(db).await? as i64)
}

pub async fn find_homestead(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<homestead::Model>> {
    Ok(homestead::Entity::find_by_id(id).one(db).await?)
}

/// A homestead to record for a household (occupied until vacated with consent).
#[derive(Debug, Clone)]
pub struct NewHomestead {
    pub household_id: i64,
    pub village_id: Option<i64>,
    pub project_id: Option<i64>,
    pub location: String,
    pub area: Area,
}

pub async fn create_homestead(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewHomestead,
) -> ApiResult<homestead::Model> {
    let transaction = begin_write(db).await?;
    let existing = homestead::Entity::find()
        .filter(homestead::Column::HouseholdId.eq(new.household_id))
        .count(&transaction)
        .await?;
    if let Err(error) =
        domain::land::validate_homestead_count(u32::try_from(existing + 1).unwrap_or(u32::MAX))
    {
        return Err(ApiError::Conflict(error.to_string()));
    }
    let now = Utc::now();
    let stored = homestead::ActiveModel {
        household_id: Set(new.household_id),
        village_id: Set(new.village_id),
        project_id: Set(new.project_id),
        location: Set(new.location),
        area_ten_thousandth_mu: Set(new.area.ten_thousandths()),
        state: Set(HomesteadStatus::Occupied.code().to_string()),
        consent_recorded_on: Set(None),
        vacated_on: Set(None),
        reclaimed_on: Set(None),
        certified_by_bureau_id: Set(None),
        certified_on: Set(None),
        registration_updated_on: Set(None),
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
        "homestead.create",
        "Homestead",
        stored.id,
        None,
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Households(vec![new.household_id])).await?;
    transaction.commit().await?;
    Ok(stored)
}

async fn current_homestead(
    transaction: &DatabaseTransaction,
    id: i64,
    expected_version: i32,
) -> ApiResult<homestead::Model> {
    let current = find_homestead(transaction, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Homestead", "with this ID"))?;
    if current.version != expected_version {
        return Err(ApiError::stale_version("homestead", id, expected_version));
    }
    Ok(current)
}

/// Records the household's consent to vacate its homestead (A5§5: no forced demolition).
pub async fn record_homestead_consent(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    consented_on: NaiveDate,
) -> ApiResult<homestead::Model> {
    let transaction = begin_write(db).await?;
    let current = current_homestead(&transaction, id, expected_version).await?;
    if current.consent_recorded_on.is_some() {
        return Err(ApiError::Conflict(
            "the household's consent to vacate this homestead is already on record".into(),
        ));
    }
    let update = homestead::ActiveModel {
        consent_recorded_on: Set(Some(consented_on)),
        ..bump(expected_version, actor)
    };
    let updated = save_homestead(&transaction, id, expected_version, update).await?;
    audit(
        &transaction,
        actor,
        "homestead.consent",
        "Homestead",
        id,
        Some(format!("consent recorded on {consented_on}")),
    )
    .await?;
    refresh_alerts(
        &transaction,
        AlertScope::Households(vec![updated.household_id]),
    )
    .await?;
    transaction.commit().await?;
    Ok(updated)
}

/// A step of the homestead's reclamation, with the certifying bureau for restoring to green.
#[derive(Debug, Clone, Copy)]
pub enum HomesteadStep {
    Vacate,
    Reclaim(ReclaimedUse),
    /// `certified_by_bureau_id`: the natural-resources bureau certifying the land cannot be
    /// reclaimed (A5§3), or `None` when no such certification was given.
    RestoreToGreen {
        certified_by_bureau_id: Option<i64>,
    },
}

/// Moves a homestead on (A5§1, A5§3, A5§5) with `domain::land::apply_homestead_event`.
pub async fn advance_homestead(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    step: HomesteadStep,
    on: NaiveDate,
) -> ApiResult<homestead::Model> {
    let transaction = begin_write(db).await?;
    let current = current_homestead(&transaction, id, expected_version).await?;
    let from = HomesteadStatus::from_code(&current.state).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "homestead {id} has the unknown state {}",
            current.state
        ))
    })?;
    let event = match step {
        HomesteadStep::Vacate => HomesteadEvent::Vacate {
            consent_recorded: current.consent_recorded_on.is_some(),
        },
        HomesteadStep::Reclaim(use_) => HomesteadEvent::Reclaim(use_),
        HomesteadStep::RestoreToGreen {
            certified_by_bureau_id,
        } => HomesteadEvent::RestoreToGreen {
            certified_not_reclaimable: certified_by_bureau_id.is_some(),
        },
    };
    let to = apply_homestead_event(from, event).map_err(|error| match error {
        HomesteadError::CertificationRequired => {
            ApiError::invalid("input.certifiedNotReclaimable", error)
        }
        HomesteadError::ConsentRequired | HomesteadError::NotAllowed { .. } => {
            ApiError::Conflict(error.to_string())
        }
    })?;
    if let Some(consented) = current.consent_recorded_on {
        if step_is_vacate(step) && on < consented {
            return Err(ApiError::invalid(
                "input.on",
                format!("the homestead cannot be vacated on {on}, before the household consented on {consented} (A5§5)"),
            ));
        }
    }
    if let Some(vacated) = current.vacated_on {
        if on < vacated {
            return Err(ApiError::invalid(
                "input.on",
                format!("the land cannot be reclaimed on {on}, before the homestead was vacated on {vacated}"),
            ));
        }
    }
    let mut update = homestead::ActiveModel {
        state: Set(to.code().to_string()),
        ..bump(expected_version, actor)
    };
    match step {
        HomesteadStep::Vacate => update.vacated_on = Set(Some(on)),
        HomesteadStep::Reclaim(_) => update.reclaimed_on = Set(Some(on)),
        HomesteadStep::RestoreToGreen {
            certified_by_bureau_id,
        } => {
            update.reclaimed_on = Set(Some(on));
            update.certified_by_bureau_id = Set(certified_by_bureau_id);
            update.certified_on = Set(Some(on));
        }
    }
    let updated = save_homestead(&transaction, id, expected_version, update).await?;
    audit(
        &transaction,
        actor,
        "homestead.advance",
        "Homestead",
        id,
        Some(format!("{} → {}", from.code(), to.code())),
    )
    .await?;
    refresh_alerts(
        &transaction,
        AlertScope::Households(vec![updated.household_id]),
    )
    .await?;
    transaction.commit().await?;
    Ok(updated)
}

fn step_is_vacate(step: HomesteadStep) -> bool {
    matches!(step, HomesteadStep::Vacate)
}

fn bump(expected_version: i32, actor: &Actor) -> homestead::ActiveModel {
    homestead::ActiveModel {
        version: Set(expected_version + 1),
        updated_at: Set(Utc::now()),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
}

async fn save_homestead(
    transaction: &DatabaseTransaction,
    id: i64,
    expected_version: i32,
    update: homestead::ActiveModel,
) -> ApiResult<homestead::Model> {
    let result = homestead::Entity::update_many()
        .set(update)
        .filter(homestead::Column::Id.eq(id))
        .filter(homestead::Column::Version.eq(expected_version))
        .exec(transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::stale_version("homestead", id, expected_version));
    }
    find_homestead(transaction, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Homestead", "with this ID"))
}

// ---------------------------------------------------------------------------------------------
// Projects

pub async fn project_page(
    db: &impl ConnectionTrait,
    page: &PageRequest,
) -> ApiResult<Page<land_linkage_project::Model>> {
    Ok(page_by_id(
        db,
        land_linkage_project::Entity::find(),
        land_linkage_project::Column::Id,
        page,
    )
    .await?)
}

pub async fn count_projects(db: &impl ConnectionTrait) -> ApiResult<i64> {
    Ok(land_linkage_project::Entity::find().count(db).await? as i64)
}

#[derive(Debug, Clone)]
pub struct NewProject {
    pub code: String,
    pub name: String,
    pub town_id: Option<i64>,
    pub platform_reference: Option<String>,
    pub approved_on: Option<NaiveDate>,
}

pub async fn create_project(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewProject,
) -> ApiResult<land_linkage_project::Model> {
    let transaction = begin_write(db).await?;
    let now = Utc::now();
    let status = if new.approved_on.is_some() {
        "approved"
    } else {
        "planned"
    };
    let stored = land_linkage_project::ActiveModel {
        code: Set(new.code),
        name: Set(new.name),
        town_id: Set(new.town_id),
        platform_reference: Set(new.platform_reference),
        approved_on: Set(new.approved_on),
        accepted_on: Set(None),
        demolition_area_ten_thousandth_mu: Set(0),
        reclaimed_area_ten_thousandth_mu: Set(0),
        status: Set(status.to_string()),
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
        "land_linkage_project.create",
        "LandLinkageProject",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

// ---------------------------------------------------------------------------------------------
// Quotas and their ledger (A5§3, A5§8, A5§9)

pub async fn quota_page(
    db: &impl ConnectionTrait,
    page: &PageRequest,
) -> ApiResult<Page<land_quota::Model>> {
    Ok(page_by_id(db, land_quota::Entity::find(), land_quota::Column::Id, page).await?)
}

pub async fn count_quotas(db: &impl ConnectionTrait) -> ApiResult<i64> {
    Ok(land_quota::Entity::find().count(db).await? as i64)
}

/// The ledger entries of the given quotas, in date order, in one statement.
pub async fn ledger_of_quotas(
    db: &impl ConnectionTrait,
    quota_ids: &[i64],
) -> ApiResult<HashMap<i64, Vec<quota_use_ledger::Model>>> {
    let mut by_quota: HashMap<i64, Vec<quota_use_ledger::Model>> = HashMap::new();
    if quota_ids.is_empty() {
        return Ok(by_quota);
    }
    let rows = quota_use_ledger::Entity::find()
        .filter(quota_use_ledger::Column::QuotaId.is_in(quota_ids.iter().copied()))
        .order_by_asc(quota_use_ledger::Column::EntryOn)
        .order_by_asc(quota_use_ledger::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        by_quota.entry(row.quota_id).or_default().push(row);
    }
    Ok(by_quota)
}

/// The area left of a quota by its ledger (A5§9).
pub fn remaining_area(
    quota: &land_quota::Model,
    ledger: &[quota_use_ledger::Model],
) -> ApiResult<Area> {
    let mut entries = Vec::with_capacity(ledger.len());
    for entry in ledger {
        let kind = QuotaLedgerKind::from_code(&entry.kind).ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "ledger entry {} has the unknown kind {}",
                entry.id,
                entry.kind
            ))
        })?;
        entries.push((kind, area(entry.area_ten_thousandth_mu)));
    }
    domain::land::remaining_quota_in_ledger(area(quota.area_ten_thousandth_mu), &entries)
        .ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "the ledger of quota {} overflows",
                quota.id
            ))
        })
}

#[derive(Debug, Clone)]
pub struct NewProducedQuota {
    pub project_id: i64,
    pub code: String,
    pub area: Area,
    pub confirmed_on: NaiveDate,
    pub platform_reference: Option<String>,
    pub source_description: String,
}

/// Confirms a quota produced by a project, within the area its finished homesteads reclaimed
/// (先垦后用, A5§3), with its first ledger entry (A5§9).
pub async fn record_produced_quota(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewProducedQuota,
) -> ApiResult<land_quota::Model> {
    let transaction = begin_write(db).await?;
    // Serialises concurrent confirmations of the same project (a row lock on PostgreSQL).
    let locked = land_linkage_project::Entity::update_many()
        .col_expr(
            land_linkage_project::Column::Version,
            Expr::col(land_linkage_project::Column::Version).add(1),
        )
        .col_expr(
            land_linkage_project::Column::UpdatedAt,
            Expr::value(Utc::now()),
        )
        .col_expr(
            land_linkage_project::Column::UpdatedBy,
            Expr::value(actor.user_id),
        )
        .filter(land_linkage_project::Column::Id.eq(new.project_id))
        .exec(&transaction)
        .await?;
    if locked.rows_affected != 1 {
        return Err(ApiError::invalid(
            "input.projectId",
            "this land-linkage project does not exist",
        ));
    }
    let finished: Vec<&str> = HomesteadStatus::ALL
        .iter()
        .filter(|status| status.is_finished())
        .map(|status| status.code())
        .collect();
    let finished_area: Option<i64> = homestead::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(SUM(area_ten_thousandth_mu) AS BIGINT)"),
            "total",
        )
        .filter(homestead::Column::ProjectId.eq(new.project_id))
        .filter(homestead::Column::State.is_in(finished))
        .into_tuple::<Option<i64>>()
        .one(&transaction)
        .await?
        .flatten();
    let produced_area: Option<i64> = land_quota::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(SUM(area_ten_thousandth_mu) AS BIGINT)"),
            "total",
        )
        .filter(land_quota::Column::ProjectId.eq(new.project_id))
        .filter(land_quota::Column::Origin.eq(QuotaHolding::Produced.code()))
        .into_tuple::<Option<i64>>()
        .one(&transaction)
        .await?
        .flatten();
    domain::land::validate_quota_production(
        area(finished_area.unwrap_or(0)),
        area(produced_area.unwrap_or(0)),
        new.area,
    )
    .map_err(|error| ApiError::invalid("input.areaMu", error))?;
    let now = Utc::now();
    let stored = land_quota::ActiveModel {
        code: Set(new.code),
        origin: Set(QuotaHolding::Produced.code().to_string()),
        project_id: Set(Some(new.project_id)),
        area_ten_thousandth_mu: Set(new.area.ten_thousandths()),
        confirmed_on: Set(new.confirmed_on),
        platform_reference: Set(new.platform_reference),
        source_description: Set(new.source_description),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    insert_ledger_entry(
        &transaction,
        actor,
        stored.id,
        QuotaLedgerKind::Produced,
        new.area,
        new.confirmed_on,
        None,
        "",
    )
    .await?;
    audit(
        &transaction,
        actor,
        "land_quota.create",
        "LandQuota",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

#[allow(clippy::too_many_arguments)]
async fn insert_ledger_entry(
    transaction: &DatabaseTransaction,
    actor: &Actor,
    quota_id: i64,
    kind: QuotaLedgerKind,
    entry_area: Area,
    entry_on: NaiveDate,
    transfer_id: Option<i64>,
    used_for: &str,
) -> ApiResult<quota_use_ledger::Model> {
    let now = Utc::now();
    Ok(quota_use_ledger::ActiveModel {
        quota_id: Set(quota_id),
        kind: Set(kind.code().to_string()),
        area_ten_thousandth_mu: Set(entry_area.ten_thousandths()),
        entry_on: Set(entry_on),
        transfer_id: Set(transfer_id),
        used_for: Set(used_for.chars().take(200).collect()),
        notes: Set(String::new()),
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

// ---------------------------------------------------------------------------------------------
// Transfers (A5§8, A5§9, A5§10)

pub async fn transfer_page(
    db: &impl ConnectionTrait,
    quota_id: Option<i64>,
    page: &PageRequest,
) -> ApiResult<Page<quota_transfer::Model>> {
    Ok(page_by_id(db, transfers(quota_id), quota_transfer::Column::Id, page).await?)
}

pub async fn count_transfers(db: &impl ConnectionTrait, quota_id: Option<i64>) -> ApiResult<i64> {
    Ok(transfers(quota_id).count(db).await? as i64)
}

fn transfers(quota_id: Option<i64>) -> Select<quota_transfer::Entity> {
    let mut select = quota_transfer::Entity::find();
    if let Some(quota_id) = quota_id {
        select = select.filter(quota_transfer::Column::QuotaId.eq(quota_id));
    }
    select
}

/// A transfer whose price is already checked against its scope (A5§10).
#[derive(Debug, Clone)]
pub struct NewTransfer {
    pub quota_id: i64,
    pub buyer_government: String,
    pub scope: TransferScope,
    pub price_per_mu: Money,
    pub area: Area,
    pub platform_reference: String,
    pub contracted_on: NaiveDate,
}

/// Registers a transfer of part of a produced quota: never of a received one (A5§8), never
/// beyond what the ledger leaves (A5§9), always with the platform's reference; the amount is
/// area × price to the fen (A5§10). The ledger entry is written with it.
pub async fn register_transfer(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewTransfer,
) -> ApiResult<quota_transfer::Model> {
    let transaction = begin_write(db).await?;
    // Serialises concurrent transfers of one quota (a row lock on PostgreSQL), so two of them
    // cannot both spend the same remaining area.
    let locked = land_quota::Entity::update_many()
        .col_expr(
            land_quota::Column::Version,
            Expr::col(land_quota::Column::Version).add(1),
        )
        .col_expr(land_quota::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(land_quota::Column::UpdatedBy, Expr::value(actor.user_id))
        .filter(land_quota::Column::Id.eq(new.quota_id))
        .exec(&transaction)
        .await?;
    if locked.rows_affected != 1 {
        return Err(ApiError::invalid(
            "input.quotaId",
            "this quota does not exist",
        ));
    }
    let quota = land_quota::Entity::find_by_id(new.quota_id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::invalid("input.quotaId", "this quota does not exist"))?;
    let holding = QuotaHolding::from_code(&quota.origin).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "quota {} has the unknown origin {}",
            quota.id,
            quota.origin
        ))
    })?;
    let ledger = ledger_of_quotas(&transaction, &[quota.id])
        .await?
        .remove(&quota.id)
        .unwrap_or_default();
    let available = remaining_area(&quota, &ledger)?;
    let reference =
        domain::land::validate_transfer(holding, new.area, available, &new.platform_reference)
            .map_err(|error| {
                let field = match error {
                    LandRuleError::SecondTransferForbidden => "input.quotaId",
                    LandRuleError::MissingPlatformReference => "input.platformReference",
                    _ => "input.areaMu",
                };
                ApiError::invalid(field, format!("quota {}: {error}", quota.code))
            })?;
    let amount = domain::land::checked_quota_transfer_amount(new.area, new.price_per_mu)
        .ok_or_else(|| {
            ApiError::invalid("input.areaMu", "the amount of this transfer is too large")
        })?;
    let now = Utc::now();
    let stored = quota_transfer::ActiveModel {
        quota_id: Set(quota.id),
        quota_origin: Set(quota.origin.clone()),
        buyer_government: Set(new.buyer_government.clone()),
        scope: Set(new.scope.code().to_string()),
        price_per_mu_fen: Set(new.price_per_mu.fen()),
        area_ten_thousandth_mu: Set(new.area.ten_thousandths()),
        amount_fen: Set(amount.fen()),
        platform_reference: Set(reference),
        contracted_on: Set(new.contracted_on),
        status: Set("registered".to_string()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    insert_ledger_entry(
        &transaction,
        actor,
        quota.id,
        QuotaLedgerKind::TransferredOut,
        new.area,
        new.contracted_on,
        Some(stored.id),
        &new.buyer_government,
    )
    .await?;
    audit(
        &transaction,
        actor,
        "quota_transfer.create",
        "QuotaTransfer",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

// ---------------------------------------------------------------------------------------------
// Revenue and the repayment reserve (A5§11)

pub async fn revenue_page(
    db: &impl ConnectionTrait,
    page: &PageRequest,
) -> ApiResult<Page<land_revenue::Model>> {
    Ok(page_by_id(
        db,
        land_revenue::Entity::find(),
        land_revenue::Column::Id,
        page,
    )
    .await?)
}

pub async fn count_revenues(db: &impl ConnectionTrait) -> ApiResult<i64> {
    Ok(land_revenue::Entity::find().count(db).await? as i64)
}

/// The reserve entries booked for the given revenues, in one statement.
pub async fn reserve_entries_of_revenues(
    db: &impl ConnectionTrait,
    revenue_ids: &[i64],
) -> ApiResult<HashMap<i64, repayment_reserve_entry::Model>> {
    if revenue_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(repayment_reserve_entry::Entity::find()
        .filter(repayment_reserve_entry::Column::RevenueId.is_in(revenue_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|entry| entry.revenue_id.map(|id| (id, entry)))
        .collect())
}

pub async fn reserve_accounts(
    db: &impl ConnectionTrait,
) -> ApiResult<Vec<repayment_reserve_account::Model>> {
    Ok(repayment_reserve_account::Entity::find()
        .order_by_asc(repayment_reserve_account::Column::Id)
        .all(db)
        .await?)
}

/// The entries of the given accounts in date order, in one statement.
pub async fn entries_of_accounts(
    db: &impl ConnectionTrait,
    account_ids: &[i64],
) -> ApiResult<HashMap<i64, Vec<repayment_reserve_entry::Model>>> {
    let mut by_account: HashMap<i64, Vec<repayment_reserve_entry::Model>> = HashMap::new();
    if account_ids.is_empty() {
        return Ok(by_account);
    }
    let rows = repayment_reserve_entry::Entity::find()
        .filter(repayment_reserve_entry::Column::AccountId.is_in(account_ids.iter().copied()))
        .order_by_asc(repayment_reserve_entry::Column::EntryOn)
        .order_by_asc(repayment_reserve_entry::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        by_account.entry(row.account_id).or_default().push(row);
    }
    Ok(by_account)
}

/// A revenue whose reserve is already checked (A5§11).
#[derive(Debug, Clone)]
pub struct NewRevenue {
    pub transfer_id: Option<i64>,
    pub project_id: Option<i64>,
    pub payer: String,
    pub received_on: NaiveDate,
    pub amount: Money,
    pub reserve: Money,
    pub voucher_no: Option<String>,
    /// The reserve account by number; `None` for the only one.
    pub account_no: Option<String>,
}

/// Books a revenue and, in the same transaction, its share in the reserve account (A5§11).
pub async fn record_revenue(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewRevenue,
) -> ApiResult<(land_revenue::Model, repayment_reserve_entry::Model)> {
    let transaction = begin_write(db).await?;
    let mut accounts = repayment_reserve_account::Entity::find();
    if let Some(number) = &new.account_no {
        accounts = accounts.filter(repayment_reserve_account::Column::AccountNo.eq(number.clone()));
    }
    let accounts = accounts.limit(2).all(&transaction).await?;
    let account = match (accounts.as_slice(), &new.account_no) {
        ([account], _) => account.clone(),
        ([], Some(number)) => {
            return Err(ApiError::invalid(
                "input.accountNo",
                format!("there is no repayment-reserve account {number:?}"),
            ))
        }
        ([], None) => {
            return Err(ApiError::Conflict(
                "no repayment-reserve account is open; Finance opens it before revenue is booked (A5§11)".into(),
            ))
        }
        _ => {
            return Err(ApiError::invalid(
                "input.accountNo",
                "several repayment-reserve accounts are open: name the account to book the reserve in",
            ))
        }
    };
    let mut project_id = new.project_id;
    if let Some(transfer_id) = new.transfer_id {
        let transfer = quota_transfer::Entity::find_by_id(transfer_id)
            .one(&transaction)
            .await?
            .ok_or_else(|| {
                ApiError::invalid("input.transferId", "this quota transfer does not exist")
            })?;
        if transfer.status == "cancelled" {
            return Err(ApiError::Conflict(
                "this quota transfer is cancelled: it brings no revenue".into(),
            ));
        }
        if project_id.is_none() {
            project_id = land_quota::Entity::find_by_id(transfer.quota_id)
                .one(&transaction)
                .await?
                .and_then(|quota| quota.project_id);
        }
    }
    let now = Utc::now();
    let revenue = land_revenue::ActiveModel {
        transfer_id: Set(new.transfer_id),
        project_id: Set(project_id),
        payer: Set(new.payer),
        received_on: Set(new.received_on),
        amount_fen: Set(new.amount.fen()),
        reserve_fen: Set(new.reserve.fen()),
        voucher_no: Set(new.voucher_no.clone()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    let entry = repayment_reserve_entry::ActiveModel {
        account_id: Set(account.id),
        kind: Set("revenue_share".to_string()),
        revenue_id: Set(Some(revenue.id)),
        amount_fen: Set(new.reserve.fen()),
        entry_on: Set(new.received_on),
        voucher_no: Set(new.voucher_no),
        notes: Set(format!(
            "at least 5 % of revenue {} yuan (A5§11)",
            new.amount
        )),
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
        "land_revenue.create",
        "LandRevenue",
        revenue.id,
        None,
    )
    .await?;
    audit(
        &transaction,
        actor,
        "repayment_reserve_entry.create",
        "RepaymentReserveEntry",
        entry.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok((revenue, entry))
}
