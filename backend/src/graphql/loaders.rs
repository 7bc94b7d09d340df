//! DataLoaders: every relation the schema exposes is loaded in batches, one statement per
//! batch, so nested lists cost one query per level whatever the page size.
use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

use super::employment::{class_terms, ClassTerms};
use crate::persistence::entities::{
    community, employment_spell, household, insurance_enrolment, site, town, training_enrolment,
    village,
};
use crate::persistence::paging::{PageDirection, PageRequest};
use crate::persistence::registry::{self, Page, SiteStats};
use crate::persistence::{employment, public_services};

/// The one loader type; each key type below is a relation it loads.
pub struct RegistryLoader {
    pub db: DatabaseConnection,
}

pub type LoadError = Arc<DbErr>;

macro_rules! by_id_loader {
    ($key:ident, $entity:ident) => {
        /// Loads a row by primary key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub i64);

        impl Loader<$key> for RegistryLoader {
            type Value = $entity::Model;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let rows = $entity::Entity::find()
                    .filter($entity::Column::Id.is_in(keys.iter().map(|key| key.0)))
                    .all(&self.db)
                    .await
                    .map_err(Arc::new)?;
                Ok(rows.into_iter().map(|row| ($key(row.id), row)).collect())
            }
        }
    };
}

by_id_loader!(TownKey, town);
by_id_loader!(CommunityKey, community);
by_id_loader!(VillageKey, village);
by_id_loader!(SiteKey, site);
by_id_loader!(HouseholdKey, household);

/// The current members of a household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MembersOfHousehold(pub i64);

impl Loader<MembersOfHousehold> for RegistryLoader {
    type Value = Vec<crate::persistence::entities::person::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[MembersOfHousehold],
    ) -> Result<HashMap<MembersOfHousehold, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|key| key.0).collect();
        let mut members = registry::members_of_households(&self.db, &ids)
            .await
            .map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|key| (*key, members.remove(&key.0).unwrap_or_default()))
            .collect())
    }
}

/// Live totals of a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatsOfSite(pub i64);

impl Loader<StatsOfSite> for RegistryLoader {
    type Value = SiteStats;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[StatsOfSite],
    ) -> Result<HashMap<StatsOfSite, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|key| key.0).collect();
        let mut stats = registry::site_stats(&self.db, Some(&ids), None)
            .await
            .map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|key| (*key, stats.remove(&key.0).unwrap_or_default()))
            .collect())
    }
}

/// Formal party members living at a site (A6§1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FormalPartyMembersOfSite(pub i64);

impl Loader<FormalPartyMembersOfSite> for RegistryLoader {
    type Value = i64;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[FormalPartyMembersOfSite],
    ) -> Result<HashMap<FormalPartyMembersOfSite, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|key| key.0).collect();
        let mut counts = registry::formal_party_members_by_site(&self.db, &ids)
            .await
            .map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|key| (*key, counts.remove(&key.0).unwrap_or_default()))
            .collect())
    }
}

/// "Building · flat" label of a flat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FlatLabel(pub i64);

impl Loader<FlatLabel> for RegistryLoader {
    type Value = String;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[FlatLabel],
    ) -> Result<HashMap<FlatLabel, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|key| key.0).collect();
        let labels = registry::flat_labels(&self.db, &ids)
            .await
            .map_err(Arc::new)?;
        Ok(labels
            .into_iter()
            .map(|(id, label)| (FlatLabel(id), label))
            .collect())
    }
}

/// One page of a site's households; keys with the same direction and size share one statement
/// whatever their sites and cursors.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HouseholdsOfSite {
    pub site_id: i64,
    pub page: PageRequest,
    pub include_archived: bool,
}

impl Loader<HouseholdsOfSite> for RegistryLoader {
    type Value = Page<household::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[HouseholdsOfSite],
    ) -> Result<HashMap<HouseholdsOfSite, Self::Value>, Self::Error> {
        let mut groups: HashMap<(PageDirection, u64, bool), Vec<&HouseholdsOfSite>> =
            HashMap::new();
        for key in keys {
            groups
                .entry((key.page.direction, key.page.size, key.include_archived))
                .or_default()
                .push(key);
        }
        let mut loaded = HashMap::new();
        for ((direction, size, include_archived), keys) in groups {
            let pages: Vec<(i64, Option<i64>)> = keys
                .iter()
                .map(|key| {
                    (
                        key.site_id,
                        key.page.cursor.as_ref().map(|cursor| cursor.id),
                    )
                })
                .collect();
            let shape = PageRequest {
                direction,
                size,
                cursor: None,
            };
            let fetched = registry::household_pages(&self.db, &pages, &shape, include_archived)
                .await
                .map_err(Arc::new)?;
            loaded.extend(keys.into_iter().cloned().zip(fetched));
        }
        Ok(loaded)
    }
}

/// How many households a site has (archived ones included on request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HouseholdCountOfSite {
    pub site_id: i64,
    pub include_archived: bool,
}

impl Loader<HouseholdCountOfSite> for RegistryLoader {
    type Value = u64;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[HouseholdCountOfSite],
    ) -> Result<HashMap<HouseholdCountOfSite, Self::Value>, Self::Error> {
        let mut loaded = HashMap::new();
        for include_archived in [false, true] {
            let ids: Vec<i64> = keys
                .iter()
                .filter(|key| key.include_archived == include_archived)
                .map(|key| key.site_id)
                .collect();
            if ids.is_empty() {
                continue;
            }
            let mut counts = registry::household_counts_by_site(&self.db, &ids, include_archived)
                .await
                .map_err(Arc::new)?;
            for site_id in ids {
                loaded.insert(
                    HouseholdCountOfSite {
                        site_id,
                        include_archived,
                    },
                    counts.remove(&site_id).unwrap_or(0),
                );
            }
        }
        Ok(loaded)
    }
}

/// A person's employment spells (current first, then the newest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SpellsOfPerson(pub i64);

impl Loader<SpellsOfPerson> for RegistryLoader {
    type Value = Vec<employment_spell::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[SpellsOfPerson],
    ) -> Result<HashMap<SpellsOfPerson, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|key| key.0).collect();
        let mut spells = employment::spells_of_persons(&self.db, &ids)
            .await
            .map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|key| (*key, spells.remove(&key.0).unwrap_or_default()))
            .collect())
    }
}

/// A person's training enrolments, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TrainingOfPerson(pub i64);

impl Loader<TrainingOfPerson> for RegistryLoader {
    type Value = Vec<training_enrolment::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[TrainingOfPerson],
    ) -> Result<HashMap<TrainingOfPerson, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|key| key.0).collect();
        let mut enrolments = employment::training_enrolments_of_persons(&self.db, &ids)
            .await
            .map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|key| (*key, enrolments.remove(&key.0).unwrap_or_default()))
            .collect())
    }
}

/// The allowance terms of a training class (its category, and whether its filing makes it
/// eligible for the subsidy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TermsOfClass(pub i64);

impl Loader<TermsOfClass> for RegistryLoader {
    type Value = ClassTerms;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[TermsOfClass],
    ) -> Result<HashMap<TermsOfClass, Self::Value>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|key| key.0).collect();
        let terms = class_terms(&self.db, &ids)
            .await
            .map_err(|error| Arc::new(DbErr::Custom(error.message())))?;
        Ok(terms
            .into_iter()
            .map(|(id, terms)| (TermsOfClass(id), terms))
            .collect())
    }
}

/// A person's stored insurance rows of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InsuranceOfPerson {
    pub person_id: i64,
    pub year: i32,
}

impl Loader<InsuranceOfPerson> for RegistryLoader {
    type Value = Vec<insurance_enrolment::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[InsuranceOfPerson],
    ) -> Result<HashMap<InsuranceOfPerson, Self::Value>, Self::Error> {
        let mut years: HashMap<i32, Vec<i64>> = HashMap::new();
        for key in keys {
            years.entry(key.year).or_default().push(key.person_id);
        }
        let mut loaded = HashMap::with_capacity(keys.len());
        for (year, ids) in years {
            let mut rows = public_services::insurance_of(&self.db, &ids, year)
                .await
                .map_err(|error| Arc::new(DbErr::Custom(error.message())))?;
            for person_id in ids {
                loaded.insert(
                    InsuranceOfPerson { person_id, year },
                    rows.remove(&person_id).unwrap_or_default(),
                );
            }
        }
        Ok(loaded)
    }
}
