//! Queries and writes of the town committee's monthly reviews of the sites' party building
//! (A6§3.1). A review is one transaction with its audit entry and the alert refresh of its
//! site, so a missed month's alert closes in the request that records the review.
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use domain::party::SiteOccupancy;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, Select, Set, Statement,
};

use super::alerts::{refresh_alerts, AlertScope};
use super::database::begin_write;
use super::entities::{party_organisation, site, town_committee_review};
use super::registry_writes::Actor;
use super::site_records::{audit_write, existing_site, RecordScope};
use crate::error::ApiResult;

/// Which reviews to list.
#[derive(Debug, Clone, Default)]
pub struct ReviewFilter {
    pub scope: RecordScope,
    /// Reviews on or after this day.
    pub from: Option<NaiveDate>,
    /// Reviews on or before this day.
    pub through: Option<NaiveDate>,
}

/// The reviews the filter selects, for keyset paging by id.
pub fn review_select(filter: &ReviewFilter) -> Select<town_committee_review::Entity> {
    let mut select = town_committee_review::Entity::find();
    if let Some(sites) = filter.scope.sites() {
        select = select.filter(town_committee_review::Column::SiteId.in_subquery(sites));
    }
    if let Some(from) = filter.from {
        select = select.filter(town_committee_review::Column::ReviewedOn.gte(from));
    }
    if let Some(through) = filter.through {
        select = select.filter(town_committee_review::Column::ReviewedOn.lte(through));
    }
    select
}

/// Party organisations by id (one statement).
pub async fn organisations_by_id(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> ApiResult<HashMap<i64, party_organisation::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(party_organisation::Entity::find()
        .filter(party_organisation::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect())
}

/// A review to record, validated.
#[derive(Debug, Clone)]
pub struct NewReview {
    pub site_id: i64,
    pub reviewed_on: NaiveDate,
    pub reviewer_name: String,
    pub findings: String,
    pub follow_up: String,
}

/// Records a review of a site by its town's committee: the town is the site's, the
/// organisation the site's party organisation on the day (if it had one). The site's alerts
/// are recomputed in the same transaction (A6§3.1).
pub async fn record_review(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewReview,
) -> ApiResult<town_committee_review::Model> {
    let transaction = begin_write(db).await?;
    let site = existing_site(&transaction, new.site_id, "input.siteId").await?;
    let organisation = party_organisation::Entity::find()
        .filter(party_organisation::Column::SiteId.eq(site.id))
        .filter(party_organisation::Column::EstablishedOn.lte(new.reviewed_on))
        .filter(
            Condition::any()
                .add(party_organisation::Column::DissolvedOn.is_null())
                .add(party_organisation::Column::DissolvedOn.gte(new.reviewed_on)),
        )
        .order_by_desc(party_organisation::Column::EstablishedOn)
        .one(&transaction)
        .await?;
    let now = Utc::now();
    let stored = town_committee_review::ActiveModel {
        town_id: Set(site.town_id),
        site_id: Set(site.id),
        organisation_id: Set(organisation.map(|organisation| organisation.id)),
        reviewed_on: Set(new.reviewed_on),
        reviewer_name: Set(new.reviewer_name),
        findings: Set(new.findings),
        follow_up: Set(new.follow_up),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit_write::<town_committee_review::Model>(
        &transaction,
        actor,
        "town_committee_review.create",
        "TownCommitteeReview",
        stored.id,
        None,
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Sites(vec![site.id])).await?;
    transaction.commit().await?;
    Ok(stored)
}

/// A site with what A6§3.1 needs to know about it over a period.
#[derive(Debug, Clone)]
pub struct SiteReviewFacts {
    pub site: site::Model,
    pub occupancy: SiteOccupancy,
    /// The days of its reviews within the period, in order.
    pub reviews: Vec<NaiveDate>,
}

fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

/// The sites of the scope with their occupancy and their reviews from `from` through
/// `through` (three statements, whatever the number of sites).
pub async fn site_review_facts(
    db: &impl ConnectionTrait,
    scope: &RecordScope,
    from: NaiveDate,
    through: NaiveDate,
) -> ApiResult<Vec<SiteReviewFacts>> {
    #[derive(FromQueryResult)]
    struct OccupancyRow {
        site_id: i64,
        current_households: i64,
        undated_households: i64,
        earliest_relocation: Option<String>,
    }
    let mut sites = site::Entity::find();
    if let Some(site_id) = scope.site_id {
        sites = sites.filter(site::Column::Id.eq(site_id));
    }
    if let Some(towns) = &scope.town_ids {
        sites = sites.filter(site::Column::TownId.is_in(towns.iter().copied()));
    }
    let sites = sites.order_by_asc(site::Column::Id).all(db).await?;
    if sites.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = sites.iter().map(|site| site.id).collect();
    let occupancy: HashMap<i64, SiteOccupancy> =
        OccupancyRow::find_by_statement(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT site_id, CAST(COUNT(*) AS BIGINT) AS current_households,
                        CAST(SUM(CASE WHEN relocated_on IS NULL THEN 1 ELSE 0 END) AS BIGINT)
                          AS undated_households,
                        CAST(MIN(relocated_on) AS TEXT) AS earliest_relocation
                 FROM household WHERE archived_at IS NULL AND site_id IN ({})
                 GROUP BY site_id",
                id_list(&ids)
            ),
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            (
                row.site_id,
                SiteOccupancy {
                    current_households: u64::try_from(row.current_households).unwrap_or(0),
                    undated_households: u64::try_from(row.undated_households).unwrap_or(0),
                    earliest_relocation: row.earliest_relocation.as_deref().and_then(parse_day),
                },
            )
        })
        .collect();
    let mut reviews: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    for review in town_committee_review::Entity::find()
        .filter(town_committee_review::Column::SiteId.is_in(ids.iter().copied()))
        .filter(town_committee_review::Column::ReviewedOn.gte(from))
        .filter(town_committee_review::Column::ReviewedOn.lte(through))
        .order_by_asc(town_committee_review::Column::ReviewedOn)
        .all(db)
        .await?
    {
        reviews
            .entry(review.site_id)
            .or_default()
            .push(review.reviewed_on);
    }
    Ok(sites
        .into_iter()
        .map(|site| SiteReviewFacts {
            occupancy: occupancy.get(&site.id).copied().unwrap_or_default(),
            reviews: reviews.remove(&site.id).unwrap_or_default(),
            site,
        })
        .collect())
}
