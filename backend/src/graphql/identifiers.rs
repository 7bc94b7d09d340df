//! Official codes as alternate keys: a provincial platform finds the district, a town, a
//! site, a household or a person by the code it already holds, without our internal ids.
//!
//! Every lookup answers with the same access rules as the lists: a record the principal's
//! lists would not show (another town's) is `null`, exactly like one that does not exist, so
//! a lookup never reveals what the principal may not see.
use async_graphql::{Context, Enum, Object, Result};
use domain::division::{self, DivisionCode, DivisionLevel as DomainLevel};
use domain::id_number::IdNumber;

use super::access::{principal, read};
use super::database;
use super::registry::{Household, Person, Site, Town};
use crate::error::ApiError;
use crate::persistence::audit::{self, AuditEntry};
use crate::persistence::entities::town;
use crate::persistence::registry;
use auth::policy::{DataDomain, Visibility};

/// The level of an administrative division (GB/T 2260; towns by their statistical codes).
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum DivisionLevel {
    Province,
    City,
    County,
    Town,
}

impl From<DomainLevel> for DivisionLevel {
    fn from(level: DomainLevel) -> DivisionLevel {
        match level {
            DomainLevel::Province => DivisionLevel::Province,
            DomainLevel::City => DivisionLevel::City,
            DomainLevel::County => DivisionLevel::County,
            DomainLevel::Town => DivisionLevel::Town,
        }
    }
}

/// An administrative division this system knows: 陕西省 610000, 铜川市 610200, 王益区 610202
/// and the district's towns and sub-districts (9-digit statistical codes).
pub struct AdministrativeDivision {
    code: DivisionCode,
    name: String,
    town: Option<town::Model>,
}

#[Object]
impl AdministrativeDivision {
    /// GB/T 2260 code (6 digits) or a town's statistical code (9 digits).
    async fn code(&self) -> &str {
        self.code.as_str()
    }
    async fn name(&self) -> &str {
        &self.name
    }
    async fn level(&self) -> DivisionLevel {
        self.code.level().into()
    }
    /// The division one level up; `null` for the province.
    async fn parent(&self) -> Option<AdministrativeDivision> {
        let parent = self.code.parent()?;
        let name = division::named_division(&parent)?;
        Some(AdministrativeDivision {
            code: parent,
            name: name.to_string(),
            town: None,
        })
    }
    /// The town record, for a division of level TOWN.
    async fn town(&self) -> Option<Town> {
        self.town.clone().map(Town)
    }
}

#[derive(Default)]
pub struct IdentifiersQuery;

#[Object]
impl IdentifiersQuery {
    /// A division by its code: the district, the divisions above it, or one of its towns
    /// (`610202100`; 12-digit statistical codes ending in 000 are accepted). `null` for a
    /// well-formed code this system does not cover.
    async fn division(
        &self,
        ctx: &Context<'_>,
        code: String,
    ) -> Result<Option<AdministrativeDivision>> {
        principal(ctx)?;
        let code = DivisionCode::parse(&code).map_err(|e| ApiError::invalid("code", e))?;
        if let Some(name) = division::named_division(&code) {
            return Ok(Some(AdministrativeDivision {
                code,
                name: name.to_string(),
                town: None,
            }));
        }
        if code.level() != DomainLevel::Town || !code.is_within(&division::district_code()) {
            return Ok(None);
        }
        let town = registry::find_town_by_division_code(database(ctx), code.as_str())
            .await
            .map_err(ApiError::from)?;
        Ok(town.map(|town| AdministrativeDivision {
            code,
            name: town.name.clone(),
            town: Some(town),
        }))
    }

    /// A town or sub-district by its statistical division code (`610202100`).
    async fn town(&self, ctx: &Context<'_>, division_code: String) -> Result<Option<Town>> {
        principal(ctx)?;
        let code = DivisionCode::parse(&division_code)
            .map_err(|e| ApiError::invalid("divisionCode", e))?;
        if code.level() != DomainLevel::Town {
            return Err(ApiError::invalid(
                "divisionCode",
                format!("{code} is not a town's code: a town has 9 digits (e.g. 610202100)"),
            )
            .into());
        }
        let town = registry::find_town_by_division_code(database(ctx), code.as_str())
            .await
            .map_err(ApiError::from)?;
        Ok(town.map(Town))
    }

    /// A resettlement site by its code; `null` if there is none the caller may see.
    async fn site_by_code(&self, ctx: &Context<'_>, code: String) -> Result<Option<Site>> {
        let principal = principal(ctx)?;
        let site =
            registry::find_site_by_code(database(ctx), principal.scope.town_ids(), code.trim())
                .await
                .map_err(ApiError::from)?;
        Ok(site.map(Site))
    }

    /// A household by its code; `null` if there is none the caller may see. Needs the
    /// identity domain, as `households`.
    async fn household_by_code(
        &self,
        ctx: &Context<'_>,
        code: String,
    ) -> Result<Option<Household>> {
        let principal = read(ctx, DataDomain::Identity, "Query.householdByCode")?;
        let household = registry::find_household_by_code(
            database(ctx),
            principal.scope.town_ids(),
            code.trim(),
        )
        .await
        .map_err(ApiError::from)?;
        Ok(household.map(Household))
    }

    /// A person by national ID number (GB 11643; spaces and a lower-case x are accepted);
    /// `null` if there is none the caller may see. Only roles that may read full ID numbers
    /// may look one up, with a `reason`; every lookup is audited with it, found or not.
    async fn person_by_id_number(
        &self,
        ctx: &Context<'_>,
        id_number: String,
        reason: String,
    ) -> Result<Option<Person>> {
        let principal = principal(ctx)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ApiError::invalid(
                "reason",
                "say why you look this person up (the reason is audited)",
            )
            .into());
        }
        if auth::policy::id_number_visibility(&principal.permissions, true) != Visibility::Full {
            return Err(ApiError::ForbiddenField {
                field: "Query.personByIdNumber".into(),
                domain: DataDomain::IdNumber.code(),
            }
            .into());
        }
        let id_number =
            IdNumber::parse(&id_number).map_err(|e| ApiError::invalid("idNumber", e))?;
        let db = database(ctx);
        let person =
            registry::find_person_by_id_number(db, principal.scope.town_ids(), id_number.as_str())
                .await
                .map_err(ApiError::from)?;
        let entry = AuditEntry::by(
            principal,
            "read.lookup",
            "Person",
            person.as_ref().map(|p| p.id),
        )
        .detail(format!(
            "Query.personByIdNumber {} ({})",
            id_number.masked(),
            if person.is_some() {
                "found"
            } else {
                "not found"
            }
        ))
        .reason(reason.to_string());
        audit::record(db, entry).await?;
        Ok(person.map(Person))
    }
}
