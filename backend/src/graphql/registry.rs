//! The resettlement registry in GraphQL: sites, households and persons, their computed fields
//! from the domain rules, the lists with filters and keyset paging, and the mutations.
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Datelike as _, NaiveDate, Utc};
use domain::person::AgeBand as DomainAgeBand;

use super::access::{principal, read};
use super::connection::{
    connection_complexity, HouseholdConnection, PersonConnection, SiteConnection, TotalCount,
};
use super::employment::{EmploymentSpell, TrainingEnrolment};
use super::enums::{
    decode, AgeBand, EmploymentStatus, FamilyRelation, GovernanceUnitKind, LabourCapacity,
    PartyOrganisationKind, Sex, SiteAreaType, TownKind,
};
use super::ids::{decode_id, encode_id, NodeType};
use super::loaders::{
    CommunityKey, FlatLabel, FormalPartyMembersOfSite, HouseholdCountOfSite, HouseholdKey,
    HouseholdsOfSite, InsuranceOfPerson, MembersOfHousehold, RegistryLoader, SiteKey,
    SpellsOfPerson, StatsOfSite, TermsOfClass, TownKey, TrainingOfPerson, VillageKey,
};
use super::public_services::InsuranceEnrolment;
use super::{database, load_one, loader};
use crate::access::RowScope;
use crate::clock::today_in_china;
use crate::error::ApiError;
use crate::persistence::audit::{self, AuditEntry};
use crate::persistence::entities::{bureau, community, household, person, site, town, village};
use crate::persistence::paging::PageRequest;
use crate::persistence::registry::{
    self, HouseholdFilter, HouseholdOrder, PersonFilter, PersonOrder, RecordTable, SiteStats,
};
use auth::policy::{DataDomain, Visibility};

/// A town or sub-district (镇办).
pub struct Town(pub town::Model);

#[Object]
impl Town {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::Town, self.0.id)
    }
    /// Statistical division code (e.g. 610202100).
    async fn division_code(&self) -> &str {
        &self.0.division_code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> Result<TownKind> {
        Ok(TownKind::from_code(&self.0.kind)?)
    }
}

/// An urban community (社区) that manages sites (A4§2.2).
pub struct Community(pub community::Model);

#[Object]
impl Community {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::Community, self.0.id)
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn town(&self, ctx: &Context<'_>) -> Result<Town> {
        Ok(Town(load_one(ctx, TownKey(self.0.town_id), "town").await?))
    }
}

/// A village of origin (迁出村).
pub struct Village(pub village::Model);

#[Object]
impl Village {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::Village, self.0.id)
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
}

/// A district bureau and the duties it owns (A7§2).
pub struct Bureau(pub bureau::Model);

#[Object]
impl Bureau {
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn short_name(&self) -> &str {
        &self.0.short_name
    }
    /// Its duties in follow-up support, from annex 7 §2.
    async fn duties(&self) -> &str {
        &self.0.duties
    }
    /// The lead bureau (区发改局) owns the responsibility list.
    async fn is_lead(&self) -> bool {
        self.0.is_lead
    }
}

/// The self-governance unit a site must have, with the reason (A4§2.1).
#[derive(SimpleObject)]
pub struct GovernanceUnit {
    pub kind: GovernanceUnitKind,
    /// Chinese name of the unit.
    pub label: String,
    /// Why: the numbers and the boundary applied.
    pub basis: String,
    pub clause: String,
}

/// The party organisation a site must have, with the reason (A6§1.1).
#[derive(SimpleObject)]
pub struct PartyOrganisationRequirement {
    pub kind: PartyOrganisationKind,
    pub label: String,
    pub basis: String,
    pub clause: String,
}

/// Live totals of the whole district.
#[derive(SimpleObject)]
pub struct DistrictOverview {
    pub site_count: i64,
    pub household_count: i64,
    pub population: i64,
    /// Persons with full or partial labour capacity.
    pub labour_force_count: i64,
    pub employed_count: i64,
    /// Households with labour and nobody employed (零就业, A2§1).
    pub zero_employment_household_count: i64,
}

/// A resettlement site (安置点).
pub struct Site(pub site::Model);

impl Site {
    async fn stats(&self, ctx: &Context<'_>) -> Result<SiteStats> {
        Ok(loader(ctx)
            .load_one(StatsOfSite(self.0.id))
            .await
            .map_err(internal)?
            .unwrap_or_default())
    }
}

#[Object]
impl Site {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::Site, self.0.id)
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn address(&self) -> &str {
        &self.0.address
    }
    async fn area_type(&self) -> Result<SiteAreaType> {
        Ok(decode(
            "site.area_type",
            &self.0.area_type,
            domain::governance::SiteAreaType::from_code,
        )?
        .into())
    }
    async fn town(&self, ctx: &Context<'_>) -> Result<Town> {
        Ok(Town(load_one(ctx, TownKey(self.0.town_id), "town").await?))
    }
    async fn community(&self, ctx: &Context<'_>) -> Result<Community> {
        Ok(Community(
            load_one(ctx, CommunityKey(self.0.community_id), "community").await?,
        ))
    }
    /// Households living at the site (archived ones not counted).
    async fn household_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self.stats(ctx).await?.households)
    }
    /// Persons living at the site.
    async fn population(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self.stats(ctx).await?.population)
    }
    async fn labour_force_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self.stats(ctx).await?.labour_force)
    }
    async fn employed_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self.stats(ctx).await?.employed)
    }
    /// Households with labour and nobody employed (A2§1).
    async fn zero_employment_household_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self.stats(ctx).await?.zero_employment_households)
    }
    /// Formal party members living at the site (probationary members excluded, A6§1.1).
    async fn formal_party_member_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(loader(ctx)
            .load_one(FormalPartyMembersOfSite(self.0.id))
            .await
            .map_err(internal)?
            .unwrap_or(0))
    }
    /// The self-governance unit the site must have, from its location and size (A4§2.1).
    async fn governance_unit(&self, ctx: &Context<'_>) -> Result<GovernanceUnit> {
        let stats = self.stats(ctx).await?;
        let area = decode(
            "site.area_type",
            &self.0.area_type,
            domain::governance::SiteAreaType::from_code,
        )?;
        let unit = domain::governance::self_governance_unit(
            area,
            clamp_u32(stats.households),
            clamp_u32(stats.population),
        );
        Ok(GovernanceUnit {
            kind: unit.kind.into(),
            label: unit.label_zh.to_string(),
            basis: unit.basis,
            clause: unit.clause.to_string(),
        })
    }
    /// The party organisation the site must have, from its formal members (A6§1.1).
    async fn party_organisation_requirement(
        &self,
        ctx: &Context<'_>,
    ) -> Result<PartyOrganisationRequirement> {
        let members = loader(ctx)
            .load_one(FormalPartyMembersOfSite(self.0.id))
            .await
            .map_err(internal)?
            .unwrap_or(0);
        let requirement = domain::party::required_party_organisation(clamp_u32(members));
        Ok(PartyOrganisationRequirement {
            kind: requirement.kind.into(),
            label: requirement.label_zh.to_string(),
            basis: requirement.basis,
            clause: requirement.clause.to_string(),
        })
    }
    /// The site's households in id order.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn households(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(default = false)] include_archived: bool,
    ) -> Result<HouseholdConnection> {
        let order = HouseholdOrder::IdAsc;
        let page = PageRequest::from_arguments(first, after, last, before, order.cursor_name())?;
        let key = HouseholdsOfSite {
            site_id: self.0.id,
            page: page.clone(),
            include_archived,
        };
        let loaded = loader(ctx)
            .load_one(key)
            .await
            .map_err(internal)?
            .unwrap_or(registry::Page {
                rows: Vec::new(),
                has_more: false,
            });
        Ok(HouseholdConnection::from_page(
            loaded,
            &page,
            |row| order.cursor_of(row),
            Household,
            TotalCount::SiteHouseholds(HouseholdCountOfSite {
                site_id: self.0.id,
                include_archived,
            }),
        ))
    }
}

/// A relocated household (搬迁户). Its facts belong to the identity domain, its employment
/// figures to the employment domain; a field outside the reader's domains is null with a
/// FORBIDDEN_FIELD error.
pub struct Household(pub household::Model);

impl Household {
    async fn members_of(&self, ctx: &Context<'_>) -> Result<Vec<person::Model>> {
        Ok(loader(ctx)
            .load_one(MembersOfHousehold(self.0.id))
            .await
            .map_err(internal)?
            .unwrap_or_default())
    }
}

#[Object]
impl Household {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::Household, self.0.id)
    }
    async fn code(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        read(ctx, DataDomain::Identity, "Household.code")?;
        Ok(Some(&self.0.code))
    }
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        Ok(Site(load_one(ctx, SiteKey(self.0.site_id), "site").await?))
    }
    async fn origin_village(&self, ctx: &Context<'_>) -> Result<Option<Village>> {
        read(ctx, DataDomain::Identity, "Household.originVillage")?;
        match self.0.origin_village_id {
            Some(id) => Ok(Some(Village(
                load_one(ctx, VillageKey(id), "village").await?,
            ))),
            None => Ok(None),
        }
    }
    /// Building and flat number, e.g. "3号楼 502".
    async fn flat_label(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        read(ctx, DataDomain::Identity, "Household.flatLabel")?;
        match self.0.flat_id {
            Some(id) => Ok(loader(ctx)
                .load_one(FlatLabel(id))
                .await
                .map_err(internal)?),
            None => Ok(None),
        }
    }
    /// 建档立卡: registered as poor before relocation.
    async fn registered_poor(&self, ctx: &Context<'_>) -> Result<Option<bool>> {
        read(ctx, DataDomain::Identity, "Household.registeredPoor")?;
        Ok(Some(self.0.registered_poor))
    }
    async fn relocated_on(&self, ctx: &Context<'_>) -> Result<Option<NaiveDate>> {
        read(ctx, DataDomain::Identity, "Household.relocatedOn")?;
        Ok(self.0.relocated_on)
    }
    /// Name of the head of household (户主).
    async fn head_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        read(ctx, DataDomain::Identity, "Household.headName")?;
        Ok(self
            .members_of(ctx)
            .await?
            .into_iter()
            .find(|member| member.relation == "head")
            .map(|member| member.name))
    }
    async fn member_count(&self, ctx: &Context<'_>) -> Result<Option<i64>> {
        read(ctx, DataDomain::Identity, "Household.memberCount")?;
        Ok(Some(self.members_of(ctx).await?.len() as i64))
    }
    /// Members with full or partial labour capacity.
    async fn labour_force_count(&self, ctx: &Context<'_>) -> Result<Option<i64>> {
        read(ctx, DataDomain::Employment, "Household.labourForceCount")?;
        let members = self.members_of(ctx).await?;
        let mut count = 0;
        for member in &members {
            if labour_of(member)?.has_labour() {
                count += 1;
            }
        }
        Ok(Some(count))
    }
    async fn employed_count(&self, ctx: &Context<'_>) -> Result<Option<i64>> {
        read(ctx, DataDomain::Employment, "Household.employedCount")?;
        let members = self.members_of(ctx).await?;
        Ok(Some(
            members
                .iter()
                .filter(|member| member.employment_status == "employed")
                .count() as i64,
        ))
    }
    /// Labour but nobody employed (零就业, A2§1): the household gets one-to-one job pushes.
    async fn is_zero_employment(&self, ctx: &Context<'_>) -> Result<Option<bool>> {
        read(ctx, DataDomain::Employment, "Household.isZeroEmployment")?;
        let members = self.members_of(ctx).await?;
        let mut facts = Vec::with_capacity(members.len());
        for member in &members {
            facts.push((labour_of(member)?, employment_of(member)?));
        }
        Ok(Some(domain::employment::is_zero_employment_household(
            &facts,
        )))
    }
    /// Current members in id order.
    async fn members(&self, ctx: &Context<'_>) -> Result<Option<Vec<Person>>> {
        read(ctx, DataDomain::Identity, "Household.members")?;
        Ok(Some(
            self.members_of(ctx)
                .await?
                .into_iter()
                .map(Person)
                .collect(),
        ))
    }
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
    async fn archive_reason(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        read(ctx, DataDomain::Identity, "Household.archiveReason")?;
        Ok(self.0.archive_reason.as_deref())
    }
    /// Send it back with an update: a stale version is refused with CONFLICT.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A relocated person. Identity facts, the ID number and phone (masked unless a reason is
/// given and the role holds the id-number / contact domain) and employment facts are each
/// checked against the reader's domains.
pub struct Person(pub person::Model);

#[Object]
impl Person {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::Person, self.0.id)
    }
    async fn name(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        read(ctx, DataDomain::Identity, "Person.name")?;
        Ok(Some(&self.0.name))
    }
    /// National ID number (GB 11643), masked as 610202********123X unless `reason` is given
    /// by a role with the id-number domain; every full read is audited with its reason.
    async fn id_number(&self, ctx: &Context<'_>, reason: Option<String>) -> Result<Option<String>> {
        let principal = principal(ctx)?;
        let reason = reason
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty());
        match auth::policy::id_number_visibility(&principal.permissions, reason.is_some()) {
            Visibility::Forbidden => Err(ApiError::ForbiddenField {
                field: "Person.idNumber".into(),
                domain: DataDomain::IdNumber.code(),
            }
            .into()),
            Visibility::Masked => Ok(Some(auth::policy::mask_id_number(&self.0.id_number))),
            Visibility::Full => {
                audit_full_read(ctx, principal, "Person.idNumber", self.0.id, reason).await?;
                Ok(Some(self.0.id_number.clone()))
            }
        }
    }
    /// Mobile number, masked as 138****5678 unless `reason` is given by a role with the
    /// contact domain; every full read is audited with its reason.
    async fn phone(&self, ctx: &Context<'_>, reason: Option<String>) -> Result<Option<String>> {
        let principal = principal(ctx)?;
        let Some(phone) = &self.0.phone else {
            principal.require_read(DataDomain::Identity, "Person.phone")?;
            return Ok(None);
        };
        let reason = reason
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty());
        match auth::policy::phone_visibility(&principal.permissions, reason.is_some()) {
            Visibility::Forbidden => Err(ApiError::ForbiddenField {
                field: "Person.phone".into(),
                domain: DataDomain::Contact.code(),
            }
            .into()),
            Visibility::Masked => Ok(Some(auth::policy::mask_phone(phone))),
            Visibility::Full => {
                audit_full_read(ctx, principal, "Person.phone", self.0.id, reason).await?;
                Ok(Some(phone.clone()))
            }
        }
    }
    async fn sex(&self, ctx: &Context<'_>) -> Result<Option<Sex>> {
        read(ctx, DataDomain::Identity, "Person.sex")?;
        Ok(Some(
            decode("person.sex", &self.0.sex, domain::person::Sex::from_code)?.into(),
        ))
    }
    async fn birth_date(&self, ctx: &Context<'_>) -> Result<Option<NaiveDate>> {
        read(ctx, DataDomain::Identity, "Person.birthDate")?;
        Ok(Some(self.0.birth_date))
    }
    /// Age in completed years today (China Standard Time).
    async fn age(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        read(ctx, DataDomain::Identity, "Person.age")?;
        Ok(Some(
            domain::person::age_on(self.0.birth_date, today_in_china()) as i32,
        ))
    }
    async fn age_band(&self, ctx: &Context<'_>) -> Result<Option<AgeBand>> {
        read(ctx, DataDomain::Identity, "Person.ageBand")?;
        Ok(Some(
            DomainAgeBand::of(domain::person::age_on(self.0.birth_date, today_in_china())).into(),
        ))
    }
    async fn relation(&self, ctx: &Context<'_>) -> Result<Option<FamilyRelation>> {
        read(ctx, DataDomain::Identity, "Person.relation")?;
        Ok(Some(
            decode(
                "person.relation",
                &self.0.relation,
                domain::person::FamilyRelation::from_code,
            )?
            .into(),
        ))
    }
    async fn labour_capacity(&self, ctx: &Context<'_>) -> Result<Option<LabourCapacity>> {
        read(ctx, DataDomain::Employment, "Person.labourCapacity")?;
        Ok(Some(labour_of(&self.0)?.into()))
    }
    async fn employment_status(&self, ctx: &Context<'_>) -> Result<Option<EmploymentStatus>> {
        read(ctx, DataDomain::Employment, "Person.employmentStatus")?;
        Ok(Some(employment_of(&self.0)?.into()))
    }
    async fn household(&self, ctx: &Context<'_>) -> Result<Household> {
        Ok(Household(
            load_one(ctx, HouseholdKey(self.0.household_id), "household").await?,
        ))
    }
    /// The person's jobs, current ones first, then the newest (A2§1–2; employment domain).
    async fn employment_spells(&self, ctx: &Context<'_>) -> Result<Option<Vec<EmploymentSpell>>> {
        read(ctx, DataDomain::Employment, "Person.employmentSpells")?;
        let spells = load_one(ctx, SpellsOfPerson(self.0.id), "employment spells").await?;
        Ok(Some(spells.into_iter().map(EmploymentSpell).collect()))
    }
    /// The person's vocational-training enrolments, oldest first (A2§3; training domain).
    async fn training_enrolments(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<Vec<TrainingEnrolment>>> {
        read(ctx, DataDomain::Training, "Person.trainingEnrolments")?;
        let enrolments = load_one(ctx, TrainingOfPerson(self.0.id), "training enrolments").await?;
        let terms = loader(ctx)
            .load_many(enrolments.iter().map(|row| TermsOfClass(row.class_id)))
            .await
            .map_err(|error| ApiError::Internal(anyhow::anyhow!("{error}")))?;
        let mut nodes = Vec::with_capacity(enrolments.len());
        for enrolment in enrolments {
            let terms = *terms
                .get(&TermsOfClass(enrolment.class_id))
                .ok_or_else(|| ApiError::not_found("training class", enrolment.class_id))?;
            nodes.push(TrainingEnrolment::of_person(enrolment, &self.0, terms));
        }
        Ok(Some(nodes))
    }
    /// The person's stored insurance rows of `year` (this year by default, China Standard
    /// Time): what is recorded, not what applies — `personServices` weighs that (A3§4;
    /// insurance domain).
    async fn insurance_enrolments(
        &self,
        ctx: &Context<'_>,
        year: Option<i32>,
    ) -> Result<Option<Vec<InsuranceEnrolment>>> {
        read(ctx, DataDomain::Insurance, "Person.insuranceEnrolments")?;
        let year = year.unwrap_or_else(|| today_in_china().year());
        let rows = load_one(
            ctx,
            InsuranceOfPerson {
                person_id: self.0.id,
                year,
            },
            "insurance enrolments",
        )
        .await?;
        let mut nodes = Vec::with_capacity(rows.len());
        for row in &rows {
            nodes.push(InsuranceEnrolment::of_row(row)?);
        }
        Ok(Some(nodes))
    }
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A full (unmasked) read of a sensitive value: audited with the stated reason.
async fn audit_full_read(
    ctx: &Context<'_>,
    principal: &crate::access::Principal,
    field: &str,
    person_id: i64,
    reason: Option<String>,
) -> Result<(), ApiError> {
    let mut entry =
        AuditEntry::by(principal, "read.unmasked", "Person", Some(person_id)).detail(field);
    if let Some(reason) = reason {
        entry = entry.reason(reason);
    }
    audit::record(database(ctx), entry).await
}

fn labour_of(member: &person::Model) -> Result<domain::person::LabourCapacity, ApiError> {
    decode(
        "person.labour_capacity",
        &member.labour_capacity,
        domain::person::LabourCapacity::from_code,
    )
}

fn employment_of(member: &person::Model) -> Result<domain::person::EmploymentStatus, ApiError> {
    decode(
        "person.employment_status",
        &member.employment_status,
        domain::person::EmploymentStatus::from_code,
    )
}

fn clamp_u32(value: i64) -> u32 {
    u32::try_from(value.max(0)).unwrap_or(u32::MAX)
}

fn internal(error: std::sync::Arc<sea_orm::DbErr>) -> async_graphql::Error {
    ApiError::Internal(anyhow::anyhow!("{error}")).into()
}

/// Which households to list.
#[derive(InputObject, Default)]
pub struct HouseholdFilterInput {
    pub site_id: Option<ID>,
    pub town_id: Option<ID>,
    /// Households whose code starts with this text.
    pub code_prefix: Option<String>,
    #[graphql(default = false)]
    pub include_archived: bool,
}

#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum HouseholdOrderBy {
    #[default]
    IdAsc,
    CodeAsc,
}

/// Which persons to list; every filter is on an indexed column.
#[derive(InputObject, Default)]
pub struct PersonFilterInput {
    pub site_id: Option<ID>,
    pub town_id: Option<ID>,
    pub household_id: Option<ID>,
    pub labour_capacity: Option<Vec<LabourCapacity>>,
    pub employment_status: Option<Vec<EmploymentStatus>>,
    pub age_band: Option<AgeBand>,
    /// Persons whose name starts with this text.
    pub name_prefix: Option<String>,
    #[graphql(default = false)]
    pub include_archived: bool,
}

#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum PersonOrderBy {
    #[default]
    IdAsc,
    NameAsc,
    BirthDateAsc,
    BirthDateDesc,
}

#[derive(Default)]
pub struct RegistryQuery;

#[Object]
impl RegistryQuery {
    /// Totals of the whole district, live.
    async fn district_overview(&self, ctx: &Context<'_>) -> Result<DistrictOverview> {
        let principal = principal(ctx)?;
        let towns = principal.scope.town_ids();
        let db = database(ctx);
        let stats = registry::site_stats(db, None, towns)
            .await
            .map_err(ApiError::from)?;
        let site_count = registry::count_sites(db, towns)
            .await
            .map_err(ApiError::from)?;
        let mut overview = DistrictOverview {
            site_count: site_count as i64,
            household_count: 0,
            population: 0,
            labour_force_count: 0,
            employed_count: 0,
            zero_employment_household_count: 0,
        };
        for site in stats.values() {
            overview.household_count += site.households;
            overview.population += site.population;
            overview.labour_force_count += site.labour_force;
            overview.employed_count += site.employed;
            overview.zero_employment_household_count += site.zero_employment_households;
        }
        Ok(overview)
    }

    /// Every town and sub-district.
    async fn towns(&self, ctx: &Context<'_>) -> Result<Vec<Town>> {
        principal(ctx)?;
        let towns = registry::all_towns(database(ctx))
            .await
            .map_err(ApiError::from)?;
        Ok(towns.into_iter().map(Town).collect())
    }

    /// The district bureaus and their duties (A7§2).
    async fn bureaus(&self, ctx: &Context<'_>) -> Result<Vec<Bureau>> {
        principal(ctx)?;
        let bureaus = registry::all_bureaus(database(ctx))
            .await
            .map_err(ApiError::from)?;
        Ok(bureaus.into_iter().map(Bureau).collect())
    }

    /// Resettlement sites in id order.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn sites(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<SiteConnection> {
        let principal = principal(ctx)?;
        let page = PageRequest::from_arguments(first, after, last, before, "ID")?;
        let loaded = registry::site_page(database(ctx), principal.scope.town_ids(), &page)
            .await
            .map_err(ApiError::from)?;
        Ok(SiteConnection::from_page(
            loaded,
            &page,
            |row| crate::persistence::paging::Cursor {
                sort: "ID".into(),
                key: None,
                id: row.id,
            },
            Site,
            TotalCount::Sites(principal.scope.town_ids().map(<[i64]>::to_vec)),
        ))
    }

    /// Households of the district, filtered and ordered on indexed columns.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    #[allow(clippy::too_many_arguments)]
    async fn households(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<HouseholdFilterInput>,
        #[graphql(default)] order_by: HouseholdOrderBy,
    ) -> Result<HouseholdConnection> {
        let principal = read(ctx, DataDomain::Identity, "Query.households")?;
        let filter = filter.unwrap_or_default();
        let filter = HouseholdFilter {
            site_id: optional_id("filter.siteId", NodeType::Site, &filter.site_id)?,
            town_id: optional_id("filter.townId", NodeType::Town, &filter.town_id)?,
            scope_town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
            code_prefix: filter.code_prefix.filter(|prefix| !prefix.is_empty()),
            include_archived: filter.include_archived,
        };
        let order = match order_by {
            HouseholdOrderBy::IdAsc => HouseholdOrder::IdAsc,
            HouseholdOrderBy::CodeAsc => HouseholdOrder::CodeAsc,
        };
        let page = PageRequest::from_arguments(first, after, last, before, order.cursor_name())?;
        let loaded = registry::household_page(database(ctx), &filter, order, &page)
            .await
            .map_err(ApiError::from)?;
        Ok(HouseholdConnection::from_page(
            loaded,
            &page,
            |row| order.cursor_of(row),
            Household,
            TotalCount::Households(filter),
        ))
    }

    /// Persons of the district, filtered and ordered on indexed columns.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    #[allow(clippy::too_many_arguments)]
    async fn persons(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<PersonFilterInput>,
        #[graphql(default)] order_by: PersonOrderBy,
    ) -> Result<PersonConnection> {
        let principal = read(ctx, DataDomain::Identity, "Query.persons")?;
        let filter = filter.unwrap_or_default();
        let filters_on_employment = filter
            .labour_capacity
            .as_ref()
            .is_some_and(|v| !v.is_empty())
            || filter
                .employment_status
                .as_ref()
                .is_some_and(|v| !v.is_empty());
        if filters_on_employment && !principal.permissions.can_read(DataDomain::Employment) {
            return Err(ApiError::Forbidden(
                "you may not filter on labour capacity or employment status: your roles may not read the employment domain".into(),
            )
            .into());
        }
        let (born_on_or_after, born_on_or_before) = match filter.age_band {
            Some(band) => DomainAgeBand::from(band).birth_date_range(today_in_china()),
            None => (None, None),
        };
        let filter = PersonFilter {
            site_id: optional_id("filter.siteId", NodeType::Site, &filter.site_id)?,
            town_id: optional_id("filter.townId", NodeType::Town, &filter.town_id)?,
            household_id: optional_id(
                "filter.householdId",
                NodeType::Household,
                &filter.household_id,
            )?,
            scope_town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
            labour_capacities: filter
                .labour_capacity
                .unwrap_or_default()
                .into_iter()
                .map(|value| domain::person::LabourCapacity::from(value).code())
                .collect(),
            employment_statuses: filter
                .employment_status
                .unwrap_or_default()
                .into_iter()
                .map(|value| domain::person::EmploymentStatus::from(value).code())
                .collect(),
            born_on_or_after,
            born_on_or_before,
            name_prefix: filter.name_prefix.filter(|prefix| !prefix.is_empty()),
            include_archived: filter.include_archived,
        };
        let order = match order_by {
            PersonOrderBy::IdAsc => PersonOrder::IdAsc,
            PersonOrderBy::NameAsc => PersonOrder::NameAsc,
            PersonOrderBy::BirthDateAsc => PersonOrder::BirthDateAsc,
            PersonOrderBy::BirthDateDesc => PersonOrder::BirthDateDesc,
        };
        let page = PageRequest::from_arguments(first, after, last, before, order.cursor_name())?;
        let loaded = registry::person_page(database(ctx), &filter, order, &page)
            .await
            .map_err(ApiError::from)?;
        Ok(PersonConnection::from_page(
            loaded,
            &page,
            |row| order.cursor_of(row),
            Person,
            TotalCount::Persons(Box::new(filter)),
        ))
    }
}

fn optional_id(field: &str, expected: NodeType, id: &Option<ID>) -> Result<Option<i64>, ApiError> {
    id.as_ref()
        .map(|id| decode_id(field, expected, id))
        .transpose()
}

/// Resolves the global ID of any registry record.
pub async fn resolve_node(
    ctx: &Context<'_>,
    node_type: NodeType,
    id: i64,
) -> Result<Option<super::node::Node>> {
    use super::node::Node;
    let principal = principal(ctx)?;
    if let RowScope::Towns(_) = &principal.scope {
        let table = match node_type {
            NodeType::Site => Some(RecordTable::Site),
            NodeType::Household => Some(RecordTable::Household),
            NodeType::Person => Some(RecordTable::Person),
            _ => None,
        };
        if let Some(table) = table {
            let town = registry::town_of_record(database(ctx), table, id)
                .await
                .map_err(ApiError::from)?;
            if !town.is_some_and(|town| principal.scope.allows_town(town)) {
                return Err(ApiError::not_found(node_type.name(), "with this ID").into());
            }
        }
    }
    let loader: &DataLoader<RegistryLoader> = loader(ctx);
    let node = match node_type {
        NodeType::Town => loader
            .load_one(TownKey(id))
            .await
            .map_err(internal)?
            .map(|m| Node::Town(Town(m))),
        NodeType::Community => loader
            .load_one(CommunityKey(id))
            .await
            .map_err(internal)?
            .map(|m| Node::Community(Community(m))),
        NodeType::Village => loader
            .load_one(VillageKey(id))
            .await
            .map_err(internal)?
            .map(|m| Node::Village(Village(m))),
        NodeType::Site => loader
            .load_one(SiteKey(id))
            .await
            .map_err(internal)?
            .map(|m| Node::Site(Site(m))),
        NodeType::Household => loader
            .load_one(HouseholdKey(id))
            .await
            .map_err(internal)?
            .map(|m| Node::Household(Household(m))),
        NodeType::Person => registry::find_person(database(ctx), id)
            .await
            .map_err(ApiError::from)?
            .map(|m| Node::Person(Person(m))),
        // Records of other areas resolve in their own modules (see node.rs).
        _ => None,
    };
    Ok(node)
}
