//! What the GraphQL modules of the smaller annex records share: the row scope of a list, the
//! scope check of a write, the resident a record is about, and the audit of sensitive reads.
use async_graphql::{Context, Object, Result, ID};
use auth::policy::DataDomain;
use chrono::NaiveDate;

use super::database;
use super::ids::NodeType;
use super::industry::optional_id;
use super::load_one;
use super::loaders::SiteKey;
use super::registry::{Household, Person, Site};
use crate::access::Principal;
use crate::clock::today_in_china;
use crate::error::ApiError;
use crate::persistence::audit::{self, AuditEntry};
use crate::persistence::site_records::{PersonAtSite, RecordScope};

/// The sites a list covers: the one asked for (`siteId`), within the principal's towns.
pub(crate) fn record_scope(
    principal: &Principal,
    field: &str,
    site_id: &Option<ID>,
) -> Result<RecordScope, ApiError> {
    Ok(RecordScope {
        site_id: optional_id(field, NodeType::Site, site_id)?,
        town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
    })
}

/// Refuses a day after today (China Standard Time).
pub(crate) fn not_in_future(field: &str, day: NaiveDate) -> Result<(), ApiError> {
    if day > today_in_china() {
        return Err(ApiError::invalid(
            field,
            format!("{day} is in the future; give today or an earlier day"),
        ));
    }
    Ok(())
}

/// The site with this id, through the loader.
pub(crate) async fn site_of(ctx: &Context<'_>, site_id: i64) -> Result<Site> {
    Ok(Site(load_one(ctx, SiteKey(site_id), "site").await?))
}

/// The relocated person a record is about, with the household and site.
#[derive(Clone)]
pub struct Resident(pub(crate) PersonAtSite);

#[Object]
impl Resident {
    /// The person (the name needs the `identity` domain).
    async fn person(&self) -> Person {
        Person(self.0.person.clone())
    }
    async fn household(&self) -> Household {
        Household(self.0.household.clone())
    }
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        site_of(ctx, self.0.household.site_id).await
    }
}

/// One audit entry for a read of sensitive records of persons (PIPL: every access auditable),
/// in the shape of the other sensitive reads: the domain, the field read and the persons.
pub(crate) async fn audit_sensitive_read(
    ctx: &Context<'_>,
    principal: &Principal,
    domain: DataDomain,
    field: &str,
    person_ids: &[i64],
) -> Result<(), ApiError> {
    let mut ids = person_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let detail = serde_json::json!({
        "domain": domain.code(),
        "fields": field,
        "person_ids": ids,
    });
    let entry = AuditEntry::by(
        principal,
        "read.sensitive",
        "Person",
        (ids.len() == 1).then(|| ids[0]),
    )
    .detail(detail.to_string());
    audit::record(database(ctx), entry).await
}
