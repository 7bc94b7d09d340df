//! Mutations of the registry: each input becomes domain types once, here, then one transaction.
use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result, ID};
use chrono::NaiveDate;
use domain::id_number::IdNumber;
use domain::phone::PhoneNumber;
use domain::text::{clean_line, PersonName};

use super::access::principal;
use super::database;
use super::enums::{EmploymentStatus, FamilyRelation, LabourCapacity};
use super::ids::{decode_id, NodeType};
use super::registry::{Household, Person};
use crate::access::{Principal, RowScope};
use crate::error::ApiError;
use crate::persistence::registry::{self, RecordTable};
use crate::persistence::registry_writes::{
    self, Actor, HouseholdChanges, NewHousehold, NewPerson, PersonChanges,
};
use auth::policy::DataDomain;

/// A person to register. Sex and birth date are taken from the ID number.
#[derive(InputObject)]
pub struct PersonInput {
    pub name: String,
    /// 18-character national ID number; full-width digits, spaces and a lower-case x are accepted.
    pub id_number: String,
    pub relation: FamilyRelation,
    pub labour_capacity: LabourCapacity,
    pub employment_status: EmploymentStatus,
    /// Mainland mobile number.
    pub phone: Option<String>,
}

#[derive(InputObject)]
pub struct CreateHouseholdInput {
    pub site_id: ID,
    /// Unique household code, e.g. HB-046.
    pub code: String,
    pub origin_village_id: Option<ID>,
    #[graphql(default = true)]
    pub registered_poor: bool,
    pub relocated_on: Option<NaiveDate>,
    /// The members, exactly one of them with relation HEAD.
    pub members: Vec<PersonInput>,
}

#[derive(InputObject)]
pub struct UpdateHouseholdInput {
    pub id: ID,
    /// The version last read; a stale version is refused with CONFLICT.
    pub version: i32,
    pub code: Option<String>,
    pub site_id: Option<ID>,
    pub origin_village_id: MaybeUndefined<ID>,
    pub registered_poor: Option<bool>,
    pub relocated_on: MaybeUndefined<NaiveDate>,
}

#[derive(InputObject)]
pub struct AddPersonInput {
    pub household_id: ID,
    pub person: PersonInput,
}

#[derive(InputObject)]
pub struct UpdatePersonInput {
    pub id: ID,
    /// The version last read; a stale version is refused with CONFLICT.
    pub version: i32,
    pub name: Option<String>,
    pub id_number: Option<String>,
    pub relation: Option<FamilyRelation>,
    pub labour_capacity: Option<LabourCapacity>,
    pub employment_status: Option<EmploymentStatus>,
    pub phone: MaybeUndefined<String>,
}

/// Archiving keeps the record (and its history) but takes it out of lists and totals.
#[derive(InputObject)]
pub struct ArchiveInput {
    pub id: ID,
    pub version: i32,
    /// Why (e.g. 迁出, 死亡, 重复登记); 1–200 characters.
    pub reason: String,
}

#[derive(Default)]
pub struct RegistryMutation;

#[Object]
impl RegistryMutation {
    /// Registers a household with its members, in one transaction.
    async fn create_household(
        &self,
        ctx: &Context<'_>,
        input: CreateHouseholdInput,
    ) -> Result<Household> {
        let mut members = Vec::with_capacity(input.members.len());
        for (index, member) in input.members.into_iter().enumerate() {
            members.push(parse_person(&format!("input.members[{index}]"), member)?);
        }
        if members.is_empty() {
            return Err(ApiError::invalid(
                "input.members",
                "a household needs at least one member",
            )
            .into());
        }
        let new = NewHousehold {
            code: parse_household_code("input.code", &input.code)?,
            site_id: decode_id("input.siteId", NodeType::Site, &input.site_id)?,
            flat_id: None,
            origin_village_id: input
                .origin_village_id
                .map(|id| decode_id("input.originVillageId", NodeType::Village, &id))
                .transpose()?,
            registered_poor: input.registered_poor,
            relocated_on: input.relocated_on,
            members,
        };
        let principal = writer(ctx, DataDomain::Identity, "households")?;
        if input_sets_employment(new.members.iter()) {
            principal.require_write(
                DataDomain::Employment,
                "labour capacity and employment status",
            )?;
        }
        ensure_in_scope(ctx, principal, RecordTable::Site, new.site_id, "site").await?;
        let created =
            registry_writes::create_household(database(ctx), &actor_of(principal), new).await?;
        Ok(Household(created))
    }

    /// Changes a household's own fields (not its members).
    async fn update_household(
        &self,
        ctx: &Context<'_>,
        input: UpdateHouseholdInput,
    ) -> Result<Household> {
        let id = decode_id("input.id", NodeType::Household, &input.id)?;
        let changes = HouseholdChanges {
            code: input
                .code
                .map(|code| parse_household_code("input.code", &code))
                .transpose()?,
            site_id: input
                .site_id
                .map(|id| decode_id("input.siteId", NodeType::Site, &id))
                .transpose()?,
            flat_id: None,
            origin_village_id: maybe(input.origin_village_id, |id| {
                decode_id("input.originVillageId", NodeType::Village, &id)
            })?,
            registered_poor: input.registered_poor,
            relocated_on: maybe(input.relocated_on, Ok)?,
        };
        let principal = writer(ctx, DataDomain::Identity, "households")?;
        ensure_in_scope(ctx, principal, RecordTable::Household, id, "household").await?;
        if let Some(site_id) = changes.site_id {
            // A town may not move a household to another town's site.
            ensure_in_scope(ctx, principal, RecordTable::Site, site_id, "site").await?;
        }
        let updated = registry_writes::update_household(
            database(ctx),
            &actor_of(principal),
            id,
            input.version,
            changes,
        )
        .await?;
        Ok(Household(updated))
    }

    /// Archives a household and its members.
    async fn archive_household(&self, ctx: &Context<'_>, input: ArchiveInput) -> Result<Household> {
        let id = decode_id("input.id", NodeType::Household, &input.id)?;
        let reason = clean_line(&input.reason, "input.reason", 200)
            .map_err(|error| ApiError::invalid("input.reason", error))?;
        let principal = writer(ctx, DataDomain::Identity, "households")?;
        ensure_in_scope(ctx, principal, RecordTable::Household, id, "household").await?;
        let archived = registry_writes::archive_household(
            database(ctx),
            &actor_of(principal),
            id,
            input.version,
            reason,
        )
        .await?;
        Ok(Household(archived))
    }

    /// Adds a person to a household.
    async fn add_person(&self, ctx: &Context<'_>, input: AddPersonInput) -> Result<Person> {
        let household_id = decode_id(
            "input.householdId",
            NodeType::Household,
            &input.household_id,
        )?;
        let new = parse_person("input.person", input.person)?;
        let principal = writer(ctx, DataDomain::Identity, "persons")?;
        if input_sets_employment(std::iter::once(&new)) {
            principal.require_write(
                DataDomain::Employment,
                "labour capacity and employment status",
            )?;
        }
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Household,
            household_id,
            "household",
        )
        .await?;
        let created =
            registry_writes::add_person(database(ctx), &actor_of(principal), household_id, new)
                .await?;
        Ok(Person(created))
    }

    /// Changes a person; a new ID number also changes sex and birth date.
    async fn update_person(&self, ctx: &Context<'_>, input: UpdatePersonInput) -> Result<Person> {
        let id = decode_id("input.id", NodeType::Person, &input.id)?;
        let changes = PersonChanges {
            name: input
                .name
                .map(|name| parse_name("input.name", &name))
                .transpose()?,
            id_number: input
                .id_number
                .map(|text| {
                    let id_number = parse_id_number("input.idNumber", &text)?;
                    Ok::<_, ApiError>((
                        id_number.as_str().to_string(),
                        id_number.sex().code(),
                        id_number.birth_date(),
                    ))
                })
                .transpose()?,
            relation: input
                .relation
                .map(|relation| domain::person::FamilyRelation::from(relation).code()),
            labour_capacity: input
                .labour_capacity
                .map(|value| domain::person::LabourCapacity::from(value).code()),
            employment_status: input
                .employment_status
                .map(|value| domain::person::EmploymentStatus::from(value).code()),
            phone: maybe(input.phone, |text| parse_phone("input.phone", &text))?,
        };
        let principal = writer(ctx, DataDomain::Identity, "persons")?;
        if changes.labour_capacity.is_some() || changes.employment_status.is_some() {
            principal.require_write(
                DataDomain::Employment,
                "labour capacity and employment status",
            )?;
        }
        ensure_in_scope(ctx, principal, RecordTable::Person, id, "person").await?;
        let updated = registry_writes::update_person(
            database(ctx),
            &actor_of(principal),
            id,
            input.version,
            changes,
        )
        .await?;
        Ok(Person(updated))
    }

    /// Archives a person (moved away, deceased, registered twice, …).
    async fn archive_person(&self, ctx: &Context<'_>, input: ArchiveInput) -> Result<Person> {
        let id = decode_id("input.id", NodeType::Person, &input.id)?;
        let reason = clean_line(&input.reason, "input.reason", 200)
            .map_err(|error| ApiError::invalid("input.reason", error))?;
        let principal = writer(ctx, DataDomain::Identity, "persons")?;
        ensure_in_scope(ctx, principal, RecordTable::Person, id, "person").await?;
        let archived = registry_writes::archive_person(
            database(ctx),
            &actor_of(principal),
            id,
            input.version,
            reason,
        )
        .await?;
        Ok(Person(archived))
    }
}

/// The acting principal, if its roles may write `domain`.
fn writer<'a>(
    ctx: &Context<'a>,
    domain: DataDomain,
    what: &str,
) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_write(domain, what)?;
    Ok(principal)
}

fn actor_of(principal: &Principal) -> Actor {
    Actor {
        user_id: Some(principal.user_id),
        label: principal.username.clone(),
        role_codes: principal.role_codes(),
    }
}

/// Refuses a write to a record outside the principal's towns (as if it did not exist).
async fn ensure_in_scope(
    ctx: &Context<'_>,
    principal: &Principal,
    table: RecordTable,
    id: i64,
    what: &'static str,
) -> Result<(), ApiError> {
    if principal.scope == RowScope::District {
        return Ok(());
    }
    let town = registry::town_of_record(database(ctx), table, id).await?;
    if town.is_some_and(|town| principal.scope.allows_town(town)) {
        Ok(())
    } else {
        Err(ApiError::not_found(what, "with this ID"))
    }
}

fn maybe<T, U>(
    value: MaybeUndefined<T>,
    parse: impl FnOnce(T) -> Result<U, ApiError>,
) -> Result<Option<Option<U>>, ApiError> {
    match value {
        MaybeUndefined::Undefined => Ok(None),
        MaybeUndefined::Null => Ok(Some(None)),
        MaybeUndefined::Value(value) => Ok(Some(Some(parse(value)?))),
    }
}

fn parse_person(path: &str, input: PersonInput) -> Result<NewPerson, ApiError> {
    let id_number = parse_id_number(&format!("{path}.idNumber"), &input.id_number)?;
    let relation = domain::person::FamilyRelation::from(input.relation);
    let labour_capacity = domain::person::LabourCapacity::from(input.labour_capacity);
    let employment_status = domain::person::EmploymentStatus::from(input.employment_status);
    Ok(NewPerson {
        name: parse_name(&format!("{path}.name"), &input.name)?,
        sex: id_number.sex().code(),
        birth_date: id_number.birth_date(),
        id_number: id_number.as_str().to_string(),
        relation: relation.code(),
        labour_capacity: labour_capacity.code(),
        employment_status: employment_status.code(),
        phone: input
            .phone
            .filter(|phone| !phone.trim().is_empty())
            .map(|phone| parse_phone(&format!("{path}.phone"), &phone))
            .transpose()?,
    })
}

fn parse_id_number(field: &str, text: &str) -> Result<IdNumber, ApiError> {
    IdNumber::parse(text).map_err(|error| ApiError::invalid(field, error))
}

fn parse_name(field: &str, text: &str) -> Result<String, ApiError> {
    PersonName::parse(text)
        .map(|name| name.as_str().to_string())
        .map_err(|error| ApiError::invalid(field, error))
}

fn parse_phone(field: &str, text: &str) -> Result<String, ApiError> {
    PhoneNumber::parse(text)
        .map(|phone| phone.as_str().to_string())
        .map_err(|error| ApiError::invalid(field, error))
}

/// Household codes: 1–32 characters of letters, digits and hyphens (e.g. HB-046).
fn parse_household_code(field: &str, text: &str) -> Result<String, ApiError> {
    let code = text.trim();
    let valid = !code.is_empty()
        && code.chars().count() <= 32
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid {
        return Err(ApiError::invalid(
            field,
            format!("{text:?} is not a household code: use 1–32 letters, digits and hyphens, e.g. HB-046"),
        ));
    }
    Ok(code.to_ascii_uppercase())
}

/// Whether new persons carry employment facts beyond the defaults of someone outside the
/// labour force (writing them needs the employment domain).
fn input_sets_employment<'a>(mut members: impl Iterator<Item = &'a NewPerson>) -> bool {
    members.any(|member| {
        member.labour_capacity != "none" || member.employment_status != "not_in_labour_force"
    })
}
