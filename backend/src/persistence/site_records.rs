//! What the stores of the smaller annex records share: which sites a list or write covers
//! (one site, the principal's towns, or both), the persons and households of those sites, and
//! the audit entry of an update with the fields before and after.
use std::collections::HashMap;

use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::audit::AuditEntry;
use super::entities::{household, person, site};
use super::registry_writes::Actor;
use crate::error::{ApiError, ApiResult};

/// Which sites a query covers: one site, the principal's towns (`None`: the whole district),
/// or both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordScope {
    pub site_id: Option<i64>,
    pub town_ids: Option<Vec<i64>>,
}

impl RecordScope {
    /// `SELECT id FROM site WHERE …`, or `None` when every site is covered.
    pub fn sites(&self) -> Option<SelectStatement> {
        if self.site_id.is_none() && self.town_ids.is_none() {
            return None;
        }
        let mut query = Query::select();
        query.column(site::Column::Id).from(site::Entity);
        if let Some(site_id) = self.site_id {
            query.and_where(site::Column::Id.eq(site_id));
        }
        if let Some(towns) = &self.town_ids {
            query.and_where(site::Column::TownId.is_in(towns.iter().copied()));
        }
        Some(query.to_owned())
    }

    /// `SELECT id FROM household WHERE site_id IN (…)`, or `None` for every household.
    pub fn households(&self) -> Option<SelectStatement> {
        let sites = self.sites()?;
        Some(
            Query::select()
                .column(household::Column::Id)
                .from(household::Entity)
                .and_where(household::Column::SiteId.in_subquery(sites))
                .to_owned(),
        )
    }

    /// `SELECT id FROM person WHERE household_id IN (…)`, or `None` for every person.
    pub fn persons(&self) -> Option<SelectStatement> {
        let households = self.households()?;
        Some(
            Query::select()
                .column(person::Column::Id)
                .from(person::Entity)
                .and_where(person::Column::HouseholdId.in_subquery(households))
                .to_owned(),
        )
    }
}

/// A person with the household they belong to.
#[derive(Debug, Clone)]
pub struct PersonAtSite {
    pub person: person::Model,
    pub household: household::Model,
}

/// The persons with these ids and their households (two statements, whatever the number).
pub async fn persons_at_sites(
    db: &impl ConnectionTrait,
    person_ids: &[i64],
) -> ApiResult<HashMap<i64, PersonAtSite>> {
    if person_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let persons = person::Entity::find()
        .filter(person::Column::Id.is_in(person_ids.iter().copied()))
        .all(db)
        .await?;
    let mut household_ids: Vec<i64> = persons.iter().map(|person| person.household_id).collect();
    household_ids.sort_unstable();
    household_ids.dedup();
    let households: HashMap<i64, household::Model> = household::Entity::find()
        .filter(household::Column::Id.is_in(household_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|household| (household.id, household))
        .collect();
    Ok(persons
        .into_iter()
        .filter_map(|person| {
            let household = households.get(&person.household_id)?.clone();
            Some((person.id, PersonAtSite { person, household }))
        })
        .collect())
}

/// The current (not archived) person a record is about, with their household; `field` names
/// the input in the error.
pub async fn current_person(
    db: &impl ConnectionTrait,
    person_id: i64,
    field: &str,
) -> ApiResult<PersonAtSite> {
    let found = persons_at_sites(db, &[person_id])
        .await?
        .remove(&person_id)
        .ok_or_else(|| ApiError::invalid(field, "this person does not exist"))?;
    if found.person.archived_at.is_some() || found.household.archived_at.is_some() {
        return Err(ApiError::Conflict(
            "this person is archived; records are kept only for current residents".into(),
        ));
    }
    Ok(found)
}

/// The site with this id; `field` names the input in the error.
pub async fn existing_site(
    db: &impl ConnectionTrait,
    site_id: i64,
    field: &str,
) -> ApiResult<site::Model> {
    site::Entity::find_by_id(site_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::invalid(field, "this site does not exist"))
}

/// Appends a write to the audit log, in the write's transaction; for an update, `change` gives
/// the record before and after and the entry lists the fields that changed.
pub async fn audit_write<T: serde::Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: i64,
    change: Option<(&T, &T)>,
) -> ApiResult<()> {
    let mut entry = AuditEntry::system(action, entity_type, Some(entity_id))
        .actor(actor.user_id, &actor.label)
        .roles(&actor.role_codes);
    if let Some((before, after)) = change {
        if let (Ok(serde_json::Value::Object(before)), Ok(serde_json::Value::Object(after))) =
            (serde_json::to_value(before), serde_json::to_value(after))
        {
            let mut changed_before = serde_json::Map::new();
            let mut changed_after = serde_json::Map::new();
            for (field, new_value) in &after {
                let old_value = before
                    .get(field)
                    .cloned()
                    .unwrap_or(serde_json::Value::Null);
                if &old_value != new_value
                    && !matches!(field.as_str(), "updated_at" | "updated_by" | "version")
                {
                    changed_before.insert(field.clone(), old_value);
                    changed_after.insert(field.clone(), new_value.clone());
                }
            }
            entry = entry.detail(
                serde_json::json!({ "before": changed_before, "after": changed_after }).to_string(),
            );
        }
    }
    super::audit::record(db, entry).await
}
