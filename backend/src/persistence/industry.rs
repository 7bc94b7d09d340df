//! Queries and writes of the industry records of annex 1: business entities and their "3+X"
//! industries, benefit linkages with their dues and how they were honoured, sales channels and
//! "五进" sales. Also the small keyset-paging helpers the annex 1, 3 and 4 stores share.
use super::database::begin_write;
use super::scope::households_of_towns;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
    Set,
};

use super::alerts::{refresh_alerts, AlertScope};
use super::entities::{
    benefit_fulfilment, benefit_linkage, business_entity, business_entity_industry,
    five_channel_sale, industry, sales_channel,
};
use super::paging::{PageDirection, PageRequest};
use super::registry::Page;
use super::registry_writes::{audit, Actor};
use crate::error::{ApiError, ApiResult};
use domain::industry::{Due, FulfilmentStatus};

/// Counts the rows of a list lazily, when its `totalCount` is asked for.
pub type Counter = Arc<
    dyn Fn(DatabaseConnection) -> Pin<Box<dyn Future<Output = Result<u64, DbErr>> + Send>>
        + Send
        + Sync,
>;

/// The counter of a filtered select.
pub fn counter<E>(select: Select<E>) -> Counter
where
    E: EntityTrait,
    E::Model: Sync,
{
    Arc::new(move |db: DatabaseConnection| {
        let select = select.clone();
        Box::pin(async move { select.count(&db).await })
    })
}

/// One keyset page in id order of a filtered select: rows past the cursor, one extra row to
/// learn whether more exist, in display order.
pub async fn id_page<E>(
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
        select = select.filter(if forward {
            id_column.gt(cursor.id)
        } else {
            id_column.lt(cursor.id)
        });
    }
    let select = if forward {
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

/// Writes the set fields of `update` to row `id` only if it still has `expected_version`, then
/// reads it back: the optimistic-concurrency check holds even against a concurrent writer.
pub async fn update_if_version<E, A>(
    db: &impl ConnectionTrait,
    update: A,
    (id_column, version_column): (E::Column, E::Column),
    id: i64,
    expected_version: i32,
    what: &'static str,
) -> ApiResult<E::Model>
where
    E: EntityTrait,
    A: ActiveModelTrait<Entity = E> + Send,
{
    let result = E::update_many()
        .set(update)
        .filter(id_column.eq(id))
        .filter(version_column.eq(expected_version))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::stale_version(what, id, expected_version));
    }
    E::find()
        .filter(id_column.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found(what, id))
}

// ---------------------------------------------------------------------------------------------
// Business entities and industries

pub async fn all_industries(db: &impl ConnectionTrait) -> ApiResult<Vec<industry::Model>> {
    Ok(industry::Entity::find()
        .order_by_asc(industry::Column::Id)
        .all(db)
        .await?)
}

/// Which business entities to list.
#[derive(Debug, Clone, Default)]
pub struct BusinessEntityFilter {
    pub kind: Option<&'static str>,
    pub town_id: Option<i64>,
    pub industry_id: Option<i64>,
}

pub fn business_entity_select(filter: &BusinessEntityFilter) -> Select<business_entity::Entity> {
    let mut select = business_entity::Entity::find();
    if let Some(kind) = filter.kind {
        select = select.filter(business_entity::Column::Kind.eq(kind));
    }
    if let Some(town_id) = filter.town_id {
        select = select.filter(business_entity::Column::TownId.eq(town_id));
    }
    if let Some(industry_id) = filter.industry_id {
        select = select.filter(
            business_entity::Column::Id.in_subquery(
                Query::select()
                    .column(business_entity_industry::Column::BusinessEntityId)
                    .from(business_entity_industry::Entity)
                    .and_where(business_entity_industry::Column::IndustryId.eq(industry_id))
                    .to_owned(),
            ),
        );
    }
    select
}

/// The industries of each entity, in one statement.
pub async fn industries_of_entities(
    db: &impl ConnectionTrait,
    entity_ids: &[i64],
) -> ApiResult<HashMap<i64, Vec<i64>>> {
    let rows = business_entity_industry::Entity::find()
        .filter(business_entity_industry::Column::BusinessEntityId.is_in(entity_ids.to_vec()))
        .order_by_asc(business_entity_industry::Column::IndustryId)
        .all(db)
        .await?;
    let mut by_entity: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in rows {
        by_entity
            .entry(row.business_entity_id)
            .or_default()
            .push(row.industry_id);
    }
    Ok(by_entity)
}

pub async fn entities_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> ApiResult<HashMap<i64, business_entity::Model>> {
    Ok(business_entity::Entity::find()
        .filter(business_entity::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|entity| (entity.id, entity))
        .collect())
}

#[derive(Debug, Clone)]
pub struct NewBusinessEntity {
    pub code: String,
    pub credit_code: Option<String>,
    pub name: String,
    pub kind: &'static str,
    pub town_id: Option<i64>,
    pub site_id: Option<i64>,
    pub legal_representative: Option<String>,
    pub contact_phone: Option<String>,
    pub address: String,
    pub does_processing: bool,
    pub does_storage: bool,
    pub does_order_farming: bool,
    pub brand: Option<String>,
    pub industry_ids: Vec<i64>,
}

pub async fn create_business_entity(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewBusinessEntity,
) -> ApiResult<business_entity::Model> {
    let transaction = begin_write(db).await?;
    let now = Utc::now();
    let stored = business_entity::ActiveModel {
        code: Set(new.code),
        credit_code: Set(new.credit_code),
        name: Set(new.name),
        kind: Set(new.kind.to_string()),
        town_id: Set(new.town_id),
        village_id: Set(None),
        site_id: Set(new.site_id),
        legal_representative: Set(new.legal_representative),
        contact_phone: Set(new.contact_phone),
        address: Set(new.address),
        does_processing: Set(new.does_processing),
        does_storage: Set(new.does_storage),
        does_order_farming: Set(new.does_order_farming),
        brand: Set(new.brand),
        status: Set("active".into()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    for industry_id in new.industry_ids {
        business_entity_industry::ActiveModel {
            business_entity_id: Set(stored.id),
            industry_id: Set(industry_id),
        }
        .insert(&transaction)
        .await?;
    }
    audit(
        &transaction,
        actor,
        "business_entity.create",
        "BusinessEntity",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

// ---------------------------------------------------------------------------------------------
// Benefit linkages

/// Which benefit linkages to list.
#[derive(Debug, Clone, Default)]
pub struct LinkageFilter {
    pub business_entity_id: Option<i64>,
    pub household_id: Option<i64>,
    pub kind: Option<&'static str>,
    /// Only active linkages overdue on this day (A1§2, see `domain::industry::linkage_overdue`).
    pub overdue_on: Option<NaiveDate>,
    /// The principal's row scope: only households of these towns' sites.
    pub scope_town_ids: Option<Vec<i64>>,
}

/// The SQL form of `domain::industry::linkage_overdue`: active, and a recorded due past its
/// date neither honoured nor waived, or an announced due date past with no honoured or
/// waived record for it.
fn overdue_condition(today: NaiveDate) -> Condition {
    let open_past_due = Query::select()
        .column(benefit_fulfilment::Column::BenefitLinkageId)
        .from(benefit_fulfilment::Entity)
        .and_where(benefit_fulfilment::Column::DueOn.lt(today))
        .and_where(benefit_fulfilment::Column::FulfilledOn.is_null())
        .and_where(benefit_fulfilment::Column::Status.ne(FulfilmentStatus::Waived.code()))
        .to_owned();
    let settled_announced_due = Query::select()
        .column(benefit_fulfilment::Column::BenefitLinkageId)
        .from(benefit_fulfilment::Entity)
        .and_where(
            Expr::col((
                benefit_fulfilment::Entity,
                benefit_fulfilment::Column::DueOn,
            ))
            .equals((benefit_linkage::Entity, benefit_linkage::Column::NextDueOn)),
        )
        .and_where(
            Expr::col((
                benefit_fulfilment::Entity,
                benefit_fulfilment::Column::BenefitLinkageId,
            ))
            .equals((benefit_linkage::Entity, benefit_linkage::Column::Id)),
        )
        .cond_where(
            Condition::any()
                .add(benefit_fulfilment::Column::FulfilledOn.is_not_null())
                .add(benefit_fulfilment::Column::Status.eq(FulfilmentStatus::Waived.code())),
        )
        .to_owned();
    Condition::all()
        .add(benefit_linkage::Column::Status.eq("active"))
        .add(
            Condition::any()
                .add(benefit_linkage::Column::Id.in_subquery(open_past_due))
                .add(
                    Condition::all()
                        .add(benefit_linkage::Column::NextDueOn.lt(today))
                        .add(Expr::exists(settled_announced_due).not()),
                ),
        )
}

pub fn linkage_select(filter: &LinkageFilter) -> Select<benefit_linkage::Entity> {
    let mut select = benefit_linkage::Entity::find();
    if let Some(id) = filter.business_entity_id {
        select = select.filter(benefit_linkage::Column::BusinessEntityId.eq(id));
    }
    if let Some(id) = filter.household_id {
        select = select.filter(benefit_linkage::Column::HouseholdId.eq(id));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(benefit_linkage::Column::Kind.eq(kind));
    }
    if let Some(today) = filter.overdue_on {
        select = select.filter(overdue_condition(today));
    }
    if let Some(towns) = &filter.scope_town_ids {
        select = select
            .filter(benefit_linkage::Column::HouseholdId.in_subquery(households_of_towns(towns)));
    }
    select
}

/// The dues of each linkage in due-date order, in one statement.
pub async fn fulfilments_of_linkages(
    db: &impl ConnectionTrait,
    linkage_ids: &[i64],
) -> ApiResult<HashMap<i64, Vec<benefit_fulfilment::Model>>> {
    let rows = benefit_fulfilment::Entity::find()
        .filter(benefit_fulfilment::Column::BenefitLinkageId.is_in(linkage_ids.to_vec()))
        .order_by_asc(benefit_fulfilment::Column::BenefitLinkageId)
        .order_by_asc(benefit_fulfilment::Column::DueOn)
        .all(db)
        .await?;
    let mut by_linkage: HashMap<i64, Vec<benefit_fulfilment::Model>> = HashMap::new();
    for row in rows {
        by_linkage
            .entry(row.benefit_linkage_id)
            .or_default()
            .push(row);
    }
    Ok(by_linkage)
}

/// A stored due as the domain rule sees it.
pub fn due_of(row: &benefit_fulfilment::Model) -> Due {
    Due {
        due_on: row.due_on,
        fulfilled_on: row.fulfilled_on,
        status: FulfilmentStatus::from_code(&row.status).unwrap_or(FulfilmentStatus::Due),
    }
}

pub async fn find_linkage(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<benefit_linkage::Model>> {
    Ok(benefit_linkage::Entity::find_by_id(id).one(db).await?)
}

pub async fn find_fulfilment(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<benefit_fulfilment::Model>> {
    Ok(benefit_fulfilment::Entity::find_by_id(id).one(db).await?)
}

#[derive(Debug, Clone)]
pub struct NewLinkage {
    pub business_entity_id: i64,
    pub household_id: i64,
    pub industry_id: Option<i64>,
    pub kind: &'static str,
    pub agreement_no: String,
    pub terms: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub land_area_ten_thousandth_mu: Option<i64>,
    pub capital_fen: Option<i64>,
    pub expected_annual_income_fen: Option<i64>,
    /// The dues the agreement sets: (date, amount in fen).
    pub dues: Vec<(NaiveDate, i64)>,
}

pub async fn create_linkage(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewLinkage,
) -> ApiResult<benefit_linkage::Model> {
    let transaction = begin_write(db).await?;
    if business_entity::Entity::find_by_id(new.business_entity_id)
        .one(&transaction)
        .await?
        .is_none()
    {
        return Err(ApiError::invalid(
            "input.businessEntityId",
            "this business entity does not exist",
        ));
    }
    let now = Utc::now();
    let next_due_on = new.dues.iter().map(|(on, _)| *on).min();
    let stored = benefit_linkage::ActiveModel {
        business_entity_id: Set(new.business_entity_id),
        household_id: Set(new.household_id),
        industry_id: Set(new.industry_id),
        kind: Set(new.kind.to_string()),
        agreement_no: Set(new.agreement_no),
        terms: Set(new.terms),
        starts_on: Set(new.starts_on),
        ends_on: Set(new.ends_on),
        land_area_ten_thousandth_mu: Set(new.land_area_ten_thousandth_mu),
        capital_fen: Set(new.capital_fen),
        expected_annual_income_fen: Set(new.expected_annual_income_fen),
        next_due_on: Set(next_due_on),
        honoured_status: Set("pending".into()),
        status: Set("active".into()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    for (due_on, amount_fen) in new.dues {
        insert_due(&transaction, actor, stored.id, due_on, amount_fen).await?;
    }
    audit(
        &transaction,
        actor,
        "benefit_linkage.create",
        "BenefitLinkage",
        stored.id,
        None,
    )
    .await?;
    refresh_alerts(
        &transaction,
        AlertScope::Households(vec![stored.household_id]),
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

async fn insert_due(
    transaction: &impl ConnectionTrait,
    actor: &Actor,
    linkage_id: i64,
    due_on: NaiveDate,
    amount_fen: i64,
) -> ApiResult<benefit_fulfilment::Model> {
    let now = Utc::now();
    Ok(benefit_fulfilment::ActiveModel {
        benefit_linkage_id: Set(linkage_id),
        due_on: Set(due_on),
        fulfilled_on: Set(None),
        amount_fen: Set(amount_fen),
        status: Set(FulfilmentStatus::Due.code().into()),
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

/// Adds a due to a linkage (a payment or service the agreement owes on a date).
pub async fn schedule_due(
    db: &DatabaseConnection,
    actor: &Actor,
    linkage_id: i64,
    due_on: NaiveDate,
    amount_fen: i64,
    today: NaiveDate,
) -> ApiResult<benefit_linkage::Model> {
    let transaction = begin_write(db).await?;
    let linkage = benefit_linkage::Entity::find_by_id(linkage_id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("BenefitLinkage", "with this ID"))?;
    if linkage.status != "active" {
        return Err(ApiError::Conflict(format!(
            "benefit linkage {} is {}; dues are added to active linkages only",
            linkage.agreement_no, linkage.status
        )));
    }
    let due = insert_due(&transaction, actor, linkage_id, due_on, amount_fen).await?;
    audit(
        &transaction,
        actor,
        "benefit_fulfilment.create",
        "BenefitFulfilment",
        due.id,
        None,
    )
    .await?;
    let updated = settle_linkage(&transaction, actor, linkage, today).await?;
    transaction.commit().await?;
    Ok(updated)
}

/// Records that a due was honoured on `fulfilled_on` (on time or late, A1§2), or waived.
pub async fn record_fulfilment(
    db: &DatabaseConnection,
    actor: &Actor,
    fulfilment_id: i64,
    fulfilled_on: Option<NaiveDate>,
    waived: bool,
    notes: Option<String>,
    today: NaiveDate,
) -> ApiResult<benefit_linkage::Model> {
    let transaction = begin_write(db).await?;
    let due = benefit_fulfilment::Entity::find_by_id(fulfilment_id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("BenefitFulfilment", "with this ID"))?;
    if due.fulfilled_on.is_some() || due.status == FulfilmentStatus::Waived.code() {
        return Err(ApiError::Conflict(format!(
            "the due of {} is already settled ({})",
            due.due_on, due.status
        )));
    }
    let status = match (fulfilled_on, waived) {
        (Some(on), false) => domain::industry::fulfilment_status(due.due_on, on),
        (None, true) => FulfilmentStatus::Waived,
        _ => {
            return Err(ApiError::invalid(
                "input.fulfilledOn",
                "give either fulfilledOn (the day it was honoured) or waived: true, not both",
            ))
        }
    };
    let linkage = benefit_linkage::Entity::find_by_id(due.benefit_linkage_id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("BenefitLinkage", "with this ID"))?;
    let mut update = due.clone().into_active_model();
    update.fulfilled_on = Set(fulfilled_on);
    update.status = Set(status.code().to_string());
    if let Some(notes) = notes {
        update.notes = Set(notes);
    }
    update.version = Set(due.version + 1);
    update.updated_at = Set(Utc::now());
    update.updated_by = Set(actor.user_id);
    update.update(&transaction).await?;
    audit(
        &transaction,
        actor,
        "benefit_fulfilment.fulfil",
        "BenefitFulfilment",
        fulfilment_id,
        None,
    )
    .await?;
    let updated = settle_linkage(&transaction, actor, linkage, today).await?;
    transaction.commit().await?;
    Ok(updated)
}

/// Recomputes a linkage's record of honouring and its next due date from its dues, bumps its
/// version and refreshes the alerts of its household.
async fn settle_linkage(
    transaction: &impl ConnectionTrait,
    actor: &Actor,
    linkage: benefit_linkage::Model,
    today: NaiveDate,
) -> ApiResult<benefit_linkage::Model> {
    let dues: Vec<Due> = benefit_fulfilment::Entity::find()
        .filter(benefit_fulfilment::Column::BenefitLinkageId.eq(linkage.id))
        .all(transaction)
        .await?
        .iter()
        .map(due_of)
        .collect();
    let open = |due: &&Due| due.fulfilled_on.is_none() && due.status != FulfilmentStatus::Waived;
    let earliest_open = dues.iter().filter(open).map(|due| due.due_on).min();
    // With nothing open, an announced date stays unless a record settles it.
    let next_due_on = earliest_open.or_else(|| {
        linkage
            .next_due_on
            .filter(|next| !dues.iter().any(|due| due.due_on == *next))
    });
    let honoured = domain::industry::honoured_status(&dues, today);
    let household_id = linkage.household_id;
    let version = linkage.version;
    let mut update = linkage.into_active_model();
    update.next_due_on = Set(next_due_on);
    update.honoured_status = Set(honoured.code().to_string());
    update.version = Set(version + 1);
    update.updated_at = Set(Utc::now());
    update.updated_by = Set(actor.user_id);
    let updated = update.update(transaction).await?;
    refresh_alerts(transaction, AlertScope::Households(vec![household_id])).await?;
    Ok(updated)
}

// ---------------------------------------------------------------------------------------------
// Sales channels and "五进" sales

#[derive(Debug, Clone, Default)]
pub struct SalesChannelFilter {
    pub kind: Option<&'static str>,
    pub site_id: Option<i64>,
    pub business_entity_id: Option<i64>,
}

pub fn sales_channel_select(filter: &SalesChannelFilter) -> Select<sales_channel::Entity> {
    let mut select = sales_channel::Entity::find();
    if let Some(kind) = filter.kind {
        select = select.filter(sales_channel::Column::Kind.eq(kind));
    }
    if let Some(site_id) = filter.site_id {
        select = select.filter(sales_channel::Column::SiteId.eq(site_id));
    }
    if let Some(id) = filter.business_entity_id {
        select = select.filter(sales_channel::Column::BusinessEntityId.eq(id));
    }
    select
}

#[derive(Debug, Clone)]
pub struct NewSalesChannel {
    pub kind: &'static str,
    pub name: String,
    pub site_id: Option<i64>,
    pub household_id: Option<i64>,
    pub business_entity_id: Option<i64>,
    pub operator: String,
    pub address_or_url: String,
    pub opened_on: Option<NaiveDate>,
}

pub async fn create_sales_channel(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewSalesChannel,
) -> ApiResult<sales_channel::Model> {
    let transaction = begin_write(db).await?;
    let now = Utc::now();
    let stored = sales_channel::ActiveModel {
        kind: Set(new.kind.to_string()),
        name: Set(new.name),
        site_id: Set(new.site_id),
        household_id: Set(new.household_id),
        business_entity_id: Set(new.business_entity_id),
        operator: Set(new.operator),
        address_or_url: Set(new.address_or_url),
        opened_on: Set(new.opened_on),
        closed_on: Set(None),
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
        "sales_channel.create",
        "SalesChannel",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

#[derive(Debug, Clone, Default)]
pub struct FiveChannelSaleFilter {
    pub channel: Option<&'static str>,
    pub business_entity_id: Option<i64>,
    pub year: Option<i32>,
}

pub fn five_channel_sale_select(
    filter: &FiveChannelSaleFilter,
) -> Select<five_channel_sale::Entity> {
    let mut select = five_channel_sale::Entity::find();
    if let Some(channel) = filter.channel {
        select = select.filter(five_channel_sale::Column::Channel.eq(channel));
    }
    if let Some(id) = filter.business_entity_id {
        select = select.filter(five_channel_sale::Column::BusinessEntityId.eq(id));
    }
    if let Some(year) = filter.year {
        if let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) {
            select = select.filter(five_channel_sale::Column::SoldOn.between(first, last));
        }
    }
    select
}

#[derive(Debug, Clone)]
pub struct NewFiveChannelSale {
    pub channel: &'static str,
    pub buyer_name: String,
    pub business_entity_id: Option<i64>,
    pub household_id: Option<i64>,
    pub industry_id: Option<i64>,
    pub sales_channel_id: Option<i64>,
    pub product: String,
    pub quantity: String,
    pub amount_fen: i64,
    pub sold_on: NaiveDate,
}

pub async fn record_five_channel_sale(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewFiveChannelSale,
) -> ApiResult<five_channel_sale::Model> {
    let transaction = begin_write(db).await?;
    let now = Utc::now();
    let stored = five_channel_sale::ActiveModel {
        channel: Set(new.channel.to_string()),
        buyer_name: Set(new.buyer_name),
        business_entity_id: Set(new.business_entity_id),
        household_id: Set(new.household_id),
        industry_id: Set(new.industry_id),
        sales_channel_id: Set(new.sales_channel_id),
        product: Set(new.product),
        quantity: Set(new.quantity),
        amount_fen: Set(new.amount_fen),
        sold_on: Set(new.sold_on),
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
        "five_channel_sale.create",
        "FiveChannelSale",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}
