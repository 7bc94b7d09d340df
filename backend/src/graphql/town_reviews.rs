//! The town committee's reviews of the sites' party building over GraphQL (A6§3.1: at least
//! once a month): the reviews, the months a site went without one, and recording a review.
//!
//! Party building is the `party` domain, whose reads are audited (`read.party`) like those of
//! `graphql::party`. The towns record their own sites' reviews (row scope); the Organization
//! Department reads and writes district-wide. Recording a review recomputes the site's alerts
//! in the same transaction, so the A6§3.1 alert of that month closes at once.
use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use auth::policy::DataDomain;
use chrono::NaiveDate;
use domain::calendar::YearMonth;

use super::access::principal;
use super::connection::connection_complexity;
use super::database;
use super::ids::{decode_id, encode_id, NodeType};
use super::industry::{ensure_in_scope, id_page_request, notes_field, paged_connection};
use super::land::line;
use super::load_one;
use super::loaders::TownKey;
use super::registry::{Site, Town};
use super::responsibility::actor_of;
use super::site_records::{not_in_future, record_scope, site_of};
use crate::access::Principal;
use crate::clock::today_in_china;
use crate::error::ApiError;
use crate::persistence::audit::{self, AuditEntry};
use crate::persistence::entities::town_committee_review;
use crate::persistence::industry::{counter, id_page};
use crate::persistence::registry::RecordTable;
use crate::persistence::town_reviews::{self as store, NewReview, ReviewFilter};

/// A review of a site's party building by its town's committee (A6§3.1).
pub struct TownCommitteeReview {
    model: town_committee_review::Model,
    organisation_name: Option<String>,
}

#[Object]
impl TownCommitteeReview {
    async fn id(&self) -> ID {
        encode_id(NodeType::TownCommitteeReview, self.model.id)
    }
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        site_of(ctx, self.model.site_id).await
    }
    async fn town(&self, ctx: &Context<'_>) -> Result<Town> {
        Ok(Town(
            load_one(ctx, TownKey(self.model.town_id), "town").await?,
        ))
    }
    /// The site's party organisation on the day, if it had one.
    async fn organisation_id(&self) -> Option<ID> {
        self.model
            .organisation_id
            .map(|id| encode_id(NodeType::PartyOrganisation, id))
    }
    async fn organisation_name(&self) -> Option<&str> {
        self.organisation_name.as_deref()
    }
    async fn reviewed_on(&self) -> NaiveDate {
        self.model.reviewed_on
    }
    /// Who reviewed, for the town committee.
    async fn reviewer_name(&self) -> &str {
        &self.model.reviewer_name
    }
    /// What the review found (研判情况).
    async fn findings(&self) -> &str {
        &self.model.findings
    }
    /// What is to be done about it.
    async fn follow_up(&self) -> &str {
        &self.model.follow_up
    }
    async fn version(&self) -> i32 {
        self.model.version
    }
}

paged_connection!(
    TownCommitteeReviewConnection,
    TownCommitteeReviewEdge,
    TownCommitteeReview
);

/// One site and the months of a period in which its town committee made no review (A6§3.1).
#[derive(SimpleObject)]
pub struct SiteReviewGap {
    pub site: Site,
    /// The first month checked (YYYY-MM).
    pub from: String,
    /// The last month checked (YYYY-MM): at latest the last finished month.
    pub through: String,
    /// The day the site's first current household moved in; none when nobody lives there
    /// (then no review is owed).
    pub occupied_since: Option<NaiveDate>,
    /// Reviews within the period.
    pub review_count: i32,
    pub last_reviewed_on: Option<NaiveDate>,
    /// Months (YYYY-MM) owed a review and without one.
    pub missing_months: Vec<String>,
}

/// Which reviews to list.
#[derive(InputObject, Default)]
pub struct TownCommitteeReviewFilterInput {
    pub site_id: Option<ID>,
    /// Reviews on or after this day.
    pub from: Option<NaiveDate>,
    /// Reviews on or before this day.
    pub through: Option<NaiveDate>,
}

fn party_reader<'a>(ctx: &Context<'a>, field: &str) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_read(DataDomain::Party, field)?;
    Ok(principal)
}

/// Party building is sensitive: each read is audited with what it returned.
async fn audit_party_read(
    ctx: &Context<'_>,
    principal: &Principal,
    field: &str,
    entity_type: &str,
    ids: &[i64],
) -> Result<(), ApiError> {
    let listed: Vec<String> = ids.iter().take(200).map(i64::to_string).collect();
    let detail = format!("{field}: {} record(s) [{}]", ids.len(), listed.join(","));
    audit::record(
        database(ctx),
        AuditEntry::by(principal, "read.party", entity_type, None).detail(detail),
    )
    .await
}

fn month(field: &str, text: &str) -> Result<YearMonth, ApiError> {
    domain::party::parse_year_month(text).map_err(|error| ApiError::invalid(field, error))
}

#[derive(Default)]
pub struct TownReviewsQuery;

#[Object]
impl TownReviewsQuery {
    /// The town committees' reviews of the principal's sites, in id order (A6§3.1; the
    /// `party` domain, audited).
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    #[allow(clippy::too_many_arguments)]
    async fn town_committee_reviews(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<TownCommitteeReviewFilterInput>,
    ) -> Result<TownCommitteeReviewConnection> {
        let principal = party_reader(ctx, "Query.townCommitteeReviews")?;
        let page = id_page_request(first, after, last, before)?;
        let filter = filter.unwrap_or_default();
        let store_filter = ReviewFilter {
            scope: record_scope(principal, "filter.siteId", &filter.site_id)?,
            from: filter.from,
            through: filter.through,
        };
        let select = store::review_select(&store_filter);
        let db = database(ctx);
        let loaded = id_page(db, select.clone(), town_committee_review::Column::Id, &page)
            .await
            .map_err(ApiError::from)?;
        let ids: Vec<i64> = loaded.rows.iter().map(|row| row.id).collect();
        audit_party_read(
            ctx,
            principal,
            "Query.townCommitteeReviews",
            "TownCommitteeReview",
            &ids,
        )
        .await?;
        let organisation_ids: Vec<i64> = loaded
            .rows
            .iter()
            .filter_map(|row| row.organisation_id)
            .collect();
        let organisations = store::organisations_by_id(db, &organisation_ids).await?;
        let rows = loaded
            .rows
            .into_iter()
            .map(|model| {
                let node = TownCommitteeReview {
                    organisation_name: model
                        .organisation_id
                        .and_then(|id| organisations.get(&id))
                        .map(|organisation| organisation.name.clone()),
                    model,
                };
                (node.model.id, node)
            })
            .collect();
        Ok(TownCommitteeReviewConnection::new(
            rows,
            loaded.has_more,
            &page,
            counter(select),
        ))
    }

    /// For each of the principal's sites: the months from `from` through `through` (YYYY-MM;
    /// by default January through the last finished month, the window of the alert feed, and
    /// never a later month) in which the town committee owed a review of the site's party
    /// building and made none (A6§3.1: at least once a month).
    async fn town_review_gaps(
        &self,
        ctx: &Context<'_>,
        site_id: Option<ID>,
        from: Option<String>,
        through: Option<String>,
    ) -> Result<Vec<SiteReviewGap>> {
        let principal = party_reader(ctx, "Query.townReviewGaps")?;
        let scope = record_scope(principal, "siteId", &site_id)?;
        let last_finished = domain::party::last_finished_month(today_in_china())
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no month before today")))?;
        let through = match through {
            Some(text) => month("through", &text)?,
            None => last_finished,
        };
        if through > last_finished {
            return Err(ApiError::invalid(
                "through",
                format!("{through} is not over yet: check at most through {last_finished}, the last finished month"),
            )
            .into());
        }
        let from = match from {
            Some(text) => month("from", &text)?,
            None => YearMonth::new(through.year(), 1).unwrap_or(through),
        };
        if from > through {
            return Err(ApiError::invalid(
                "from",
                domain::party::PartyRuleError::MonthsReversed { from, through },
            )
            .into());
        }
        let last_day = through
            .next()
            .and_then(|next| next.first_day().pred_opt())
            .unwrap_or(through.first_day());
        let facts =
            store::site_review_facts(database(ctx), &scope, from.first_day(), last_day).await?;
        let site_ids: Vec<i64> = facts.iter().map(|fact| fact.site.id).collect();
        audit_party_read(ctx, principal, "Query.townReviewGaps", "Site", &site_ids).await?;
        Ok(facts
            .into_iter()
            .map(|fact| {
                let occupied_since = fact.occupancy.occupied_since();
                let missing =
                    domain::party::site_review_gaps(&fact.reviews, occupied_since, from, through);
                SiteReviewGap {
                    from: from.to_string(),
                    through: through.to_string(),
                    occupied_since: occupied_since.filter(|day| *day > NaiveDate::MIN),
                    review_count: i32::try_from(fact.reviews.len()).unwrap_or(i32::MAX),
                    last_reviewed_on: fact.reviews.iter().max().copied(),
                    missing_months: missing.iter().map(ToString::to_string).collect(),
                    site: Site(fact.site),
                }
            })
            .collect())
    }
}

/// A review to record.
#[derive(InputObject)]
pub struct RecordTownCommitteeReviewInput {
    pub site_id: ID,
    /// The day of the review (today or earlier).
    pub reviewed_on: NaiveDate,
    /// Who reviewed, for the town committee.
    pub reviewer_name: String,
    #[graphql(default)]
    pub findings: String,
    #[graphql(default)]
    pub follow_up: String,
}

#[derive(Default)]
pub struct TownReviewsMutation;

#[Object]
impl TownReviewsMutation {
    /// Records a town committee's review of a site's party building (A6§3.1). The site's
    /// alerts are recomputed in the same request: a missed month's alert closes.
    async fn record_town_committee_review(
        &self,
        ctx: &Context<'_>,
        input: RecordTownCommitteeReviewInput,
    ) -> Result<TownCommitteeReview> {
        let principal = principal(ctx)?;
        principal.require_write(DataDomain::Party, "town committee reviews")?;
        let site_id = decode_id("input.siteId", NodeType::Site, &input.site_id)?;
        not_in_future("input.reviewedOn", input.reviewed_on)?;
        let reviewer_name = line("input.reviewerName", &input.reviewer_name, 40)?;
        let findings = notes_field("input.findings", &input.findings, 5000)?;
        let follow_up = notes_field("input.followUp", &input.follow_up, 5000)?;
        ensure_in_scope(ctx, principal, RecordTable::Site, site_id, "site").await?;
        let db = database(ctx);
        let stored = store::record_review(
            db,
            &actor_of(principal),
            NewReview {
                site_id,
                reviewed_on: input.reviewed_on,
                reviewer_name,
                findings,
                follow_up,
            },
        )
        .await?;
        let organisation_name = match stored.organisation_id {
            Some(id) => store::organisations_by_id(db, &[id])
                .await?
                .remove(&id)
                .map(|organisation| organisation.name),
            None => None,
        };
        Ok(TownCommitteeReview {
            model: stored,
            organisation_name,
        })
    }
}
