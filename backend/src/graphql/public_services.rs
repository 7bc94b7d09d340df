//! Public services over GraphQL (annex 3): the guarantees of each relocated person — schooling
//! (A3§2), insurance as applicable (应保尽保, A3§4), a family doctor (A3§3), 低保/特困 (A3§4) and
//! household registration or a residence permit (A3§5) — each field behind its data domain and
//! recorded by its bureau; the persons with a gap; the per-site needs list (缺什么补什么, A3§1)
//! and property-service tickets.
//!
//! Health and social assistance are sensitive (PIPL): every list that shows them writes one
//! audit entry naming the persons and fields read.
use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use auth::policy::DataDomain;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::services::{
    InsuranceKind as DomainInsuranceKind, InsuranceStatus as DomainInsuranceStatus, LedgerRow,
    PersonServiceFacts, RegistrationStatus as DomainRegistrationStatus,
    SafetyNetProgramme as DomainSafetyNetProgramme, SchoolEnrolmentStatus as DomainEnrolmentStatus,
    SchoolStage as DomainSchoolStage, ServiceGap, SiteNeedStatus as DomainSiteNeedStatus,
    TicketStatus as DomainTicketStatus,
};

use super::access::{principal, read};
use super::connection::connection_complexity;
use super::database;
use super::ids::{decode_id, encode_id, NodeType};
use super::industry::{
    amount_fen, coded_mirror, ensure_in_scope, id_page_request, notes_field, optional_id,
    optional_line, paged_connection,
};
use super::loaders::SiteKey;
use super::registry::{Person, Site};
use super::responsibility::{actor_of, text_field, ResponsibleUnit, Units};
use crate::access::Principal;
use crate::clock::today_in_china;
use crate::error::ApiError;
use crate::persistence::audit::{self, AuditEntry};
use crate::persistence::entities::{
    family_doctor_contract, household_registration, insurance_enrolment, person, property_ticket,
    school, school_enrolment, site_need, social_assistance,
};
use crate::persistence::industry::{counter, id_page};
use crate::persistence::public_services::{
    self as store, GapFilter, InsuranceRecord, NewAssistance, NewContract, NewSchoolEnrolment,
    NewSiteNeed, NewTicket, PersonServiceFilter, RegistrationRecord, SiteNeedChanges,
    SiteRecordFilter, TicketChanges,
};
use crate::persistence::registry::RecordTable;
use crate::persistence::responsibility::UnitId;

coded_mirror! {
    /// The insurances every relocated person should have as applicable (A3§4).
    InsuranceKind mirrors DomainInsuranceKind {
        /// 基本医疗保险
        BasicMedical,
        /// 大病保险
        SeriousIllness,
        /// 养老保险
        Pension,
    }
}

coded_mirror! {
    /// How a person's insurance for a year stands; enrolled and exempt cover (A3§4).
    InsuranceStatus mirrors DomainInsuranceStatus { Enrolled, Pending, Exempt, NotApplicable, Refused }
}

coded_mirror! {
    /// School stages of the ledger (A3§2).
    SchoolStage mirrors DomainSchoolStage { Preschool, Primary, JuniorMiddle, SeniorHigh, Vocational }
}

coded_mirror! {
    /// A row of the compulsory-education ledger (A3§2).
    SchoolEnrolmentStatus mirrors DomainEnrolmentStatus { Enrolled, TransferredOut, DroppedOut, Graduated, Suspended }
}

coded_mirror! {
    /// 低保 / 特困 / 临时救助 (A3§4).
    SocialAssistanceKind mirrors DomainSafetyNetProgramme { SubsistenceAllowance, DestituteSupport, TemporaryAssistance }
}

coded_mirror! {
    /// Where a person's 户籍 stands (A3§5).
    RegistrationStatus mirrors DomainRegistrationStatus { Transferred, ResidencePermit, KeptAtOrigin }
}

coded_mirror! {
    /// Where an item of the needs list stands (A3§1).
    SiteNeedStatus mirrors DomainSiteNeedStatus { Identified, Planned, InProgress, Completed, Cancelled }
}

coded_mirror! {
    /// Where a property-service ticket stands.
    TicketStatus mirrors DomainTicketStatus { Open, Assigned, InProgress, Resolved, Closed, Cancelled }
}

/// Declares a GraphQL enum stored as a code, without a domain counterpart.
macro_rules! stored_code {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl $name {
            fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            fn decode(column: &str, code: &str) -> Result<$name, ApiError> {
                match code {
                    $($code => Ok($name::$variant),)+
                    _ => Err(ApiError::Internal(anyhow::anyhow!("{column} holds the unknown code {code:?}"))),
                }
            }
        }
    };
}

stored_code! {
    /// What a site lacks (A3§1 需求清单).
    SiteNeedCategory {
        Road => "road",
        DrinkingWater => "drinking_water",
        Power => "power",
        Telecom => "telecom",
        Gas => "gas",
        Culture => "culture",
        Education => "education",
        Health => "health",
        ElderlyCare => "elderly_care",
        Convenience => "convenience",
        PropertyService => "property_service",
        Employment => "employment",
        Other => "other",
    }
}

stored_code! {
    /// The fault a property-service ticket reports.
    TicketCategory { Water => "water", Power => "power", Gas => "gas", Other => "other" }
}

stored_code! {
    /// How often social assistance is paid.
    AssistancePeriod { Monthly => "monthly", OneOff => "one_off" }
}

stored_code! {
    /// Where an application for social assistance stands.
    AssistanceStatus {
        Applied => "applied",
        Approved => "approved",
        Suspended => "suspended",
        Ended => "ended",
        Rejected => "rejected",
    }
}

/// A gap in a person's guarantees, with its clause.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceGapKind {
    /// A3§4: basic medical insurance applies and is missing.
    MissingBasicMedical,
    /// A3§4: serious-illness insurance applies and is missing.
    MissingSeriousIllness,
    /// A3§4: pension insurance applies (16 and over, not in school) and is missing.
    MissingPension,
    /// A3§2: a child of 6–15 out of school without completing the nine years.
    SchoolDropout,
    /// A3§3: no family-doctor contract in force.
    NoFamilyDoctor,
    /// A3§5: neither 户籍 transferred nor a residence permit.
    NoRegistrationOrResidencePermit,
}

impl ServiceGapKind {
    fn of(gap: ServiceGap) -> ServiceGapKind {
        match gap {
            ServiceGap::Insurance(DomainInsuranceKind::BasicMedical) => {
                ServiceGapKind::MissingBasicMedical
            }
            ServiceGap::Insurance(DomainInsuranceKind::SeriousIllness) => {
                ServiceGapKind::MissingSeriousIllness
            }
            ServiceGap::Insurance(DomainInsuranceKind::Pension) => ServiceGapKind::MissingPension,
            ServiceGap::SchoolDropout => ServiceGapKind::SchoolDropout,
            ServiceGap::NoFamilyDoctor => ServiceGapKind::NoFamilyDoctor,
            ServiceGap::NoRegistrationOrResidencePermit => {
                ServiceGapKind::NoRegistrationOrResidencePermit
            }
        }
    }

    fn filter(self, year: i32) -> GapFilter {
        match self {
            ServiceGapKind::MissingBasicMedical => {
                GapFilter::MissingInsurance(DomainInsuranceKind::BasicMedical, year)
            }
            ServiceGapKind::MissingSeriousIllness => {
                GapFilter::MissingInsurance(DomainInsuranceKind::SeriousIllness, year)
            }
            ServiceGapKind::MissingPension => {
                GapFilter::MissingInsurance(DomainInsuranceKind::Pension, year)
            }
            ServiceGapKind::SchoolDropout => GapFilter::SchoolDropout,
            ServiceGapKind::NoFamilyDoctor => GapFilter::NoFamilyDoctor,
            ServiceGapKind::NoRegistrationOrResidencePermit => {
                GapFilter::NoRegistrationOrResidencePermit
            }
        }
    }

    /// The data domain that holds the facts of this gap.
    fn domain(self) -> DataDomain {
        match self {
            ServiceGapKind::MissingBasicMedical
            | ServiceGapKind::MissingSeriousIllness
            | ServiceGapKind::MissingPension => DataDomain::Insurance,
            ServiceGapKind::SchoolDropout => DataDomain::Education,
            ServiceGapKind::NoFamilyDoctor => DataDomain::Health,
            ServiceGapKind::NoRegistrationOrResidencePermit => DataDomain::HouseholdRegistration,
        }
    }
}

/// A gap with its clause.
#[derive(SimpleObject)]
pub struct ServiceGapInfo {
    pub kind: ServiceGapKind,
    pub clause: String,
}

/// The services facts of a page of persons, loaded once (one statement per domain the
/// reader may read, whatever the page size).
struct ServicesBundle {
    today: NaiveDate,
    year: i32,
    permissions: auth::policy::Permissions,
    enrolments: HashMap<i64, Vec<school_enrolment::Model>>,
    schools: HashMap<i64, school::Model>,
    insurance: HashMap<i64, Vec<insurance_enrolment::Model>>,
    contracts: HashMap<i64, Vec<family_doctor_contract::Model>>,
    assistance: HashMap<i64, Vec<social_assistance::Model>>,
    registrations: HashMap<i64, household_registration::Model>,
}

impl ServicesBundle {
    async fn load(
        ctx: &Context<'_>,
        principal: &Principal,
        persons: &[person::Model],
        year: i32,
    ) -> Result<ServicesBundle, ApiError> {
        let db = database(ctx);
        let can = |domain| principal.permissions.can_read(domain);
        let ids: Vec<i64> = persons.iter().map(|person| person.id).collect();
        let mut households: Vec<i64> = persons.iter().map(|person| person.household_id).collect();
        households.sort_unstable();
        households.dedup();
        let none = ids.is_empty();
        // Schooling is loaded for the insurance rule too (pension does not apply in school).
        let enrolments = if !none && (can(DataDomain::Education) || can(DataDomain::Insurance)) {
            store::enrolments_of(db, &ids).await?
        } else {
            HashMap::new()
        };
        let schools = if can(DataDomain::Education) && !enrolments.is_empty() {
            let mut school_ids: Vec<i64> = enrolments
                .values()
                .flatten()
                .flat_map(|row| [Some(row.school_id), row.transferred_from_school_id])
                .flatten()
                .collect();
            school_ids.sort_unstable();
            school_ids.dedup();
            store::schools_by_ids(db, &school_ids).await?
        } else {
            HashMap::new()
        };
        Ok(ServicesBundle {
            today: today_in_china(),
            year,
            permissions: principal.permissions.clone(),
            insurance: if !none && can(DataDomain::Insurance) {
                store::insurance_of(db, &ids, year).await?
            } else {
                HashMap::new()
            },
            contracts: if !none && can(DataDomain::Health) {
                store::contracts_of(db, &ids).await?
            } else {
                HashMap::new()
            },
            assistance: if !none && can(DataDomain::SocialAssistance) {
                store::assistance_of_households(db, &households).await?
            } else {
                HashMap::new()
            },
            registrations: if !none && can(DataDomain::HouseholdRegistration) {
                store::registrations_of(db, &ids).await?
            } else {
                HashMap::new()
            },
            enrolments,
            schools,
        })
    }

    fn ledger(&self, person_id: i64) -> Vec<LedgerRow> {
        self.enrolments
            .get(&person_id)
            .into_iter()
            .flatten()
            .filter_map(|row| {
                Some(LedgerRow {
                    stage: DomainSchoolStage::from_code(&row.stage)?,
                    status: DomainEnrolmentStatus::from_code(&row.status)?,
                })
            })
            .collect()
    }

    fn insured(&self, person_id: i64, kind: DomainInsuranceKind) -> bool {
        self.insurance
            .get(&person_id)
            .into_iter()
            .flatten()
            .any(|row| {
                row.kind == kind.code()
                    && DomainInsuranceStatus::from_code(&row.status).is_some_and(|s| s.covers())
            })
    }

    fn doctor_in_force(&self, person_id: i64) -> bool {
        self.contracts
            .get(&person_id)
            .into_iter()
            .flatten()
            .any(|row| contract_in_force(row, self.today))
    }

    fn registration(&self, person_id: i64) -> DomainRegistrationStatus {
        self.registrations
            .get(&person_id)
            .and_then(|row| DomainRegistrationStatus::from_code(&row.status))
            .unwrap_or(DomainRegistrationStatus::KeptAtOrigin)
    }

    /// The facts of `domain::services` for a person; `service_gaps` of them, keeping only the
    /// gaps whose domain the reader may read.
    fn gaps(&self, person: &person::Model) -> Vec<ServiceGapKind> {
        let ledger = self.ledger(person.id);
        let facts = PersonServiceFacts {
            age: domain::person::age_on(person.birth_date, self.today),
            in_school: domain::services::in_school(&ledger),
            completed_compulsory_education: domain::services::completed_compulsory_education(
                &ledger,
            ),
            basic_medical_insured: self.insured(person.id, DomainInsuranceKind::BasicMedical),
            serious_illness_insured: self.insured(person.id, DomainInsuranceKind::SeriousIllness),
            pension_insured: self.insured(person.id, DomainInsuranceKind::Pension),
            family_doctor_contract: self.doctor_in_force(person.id),
            registration: self.registration(person.id),
        };
        domain::services::service_gaps(&facts)
            .into_iter()
            .map(ServiceGapKind::of)
            .filter(|gap| self.permissions.can_read(gap.domain()))
            .collect()
    }
}

fn contract_in_force(row: &family_doctor_contract::Model, today: NaiveDate) -> bool {
    domain::services::family_doctor_contract_in_force(
        row.status == "active",
        row.signed_on,
        row.expires_on,
        today,
    )
}

/// A row of the compulsory-education ledger (A3§2).
#[derive(SimpleObject)]
pub struct SchoolEnrolment {
    pub id: ID,
    pub school_code: String,
    pub school_name: String,
    pub stage: SchoolStage,
    pub grade: i32,
    pub school_year: i32,
    pub status: SchoolEnrolmentStatus,
    pub enrolled_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    /// The school the child came from (籍随人走).
    pub transferred_from_school_name: Option<String>,
    pub leaving_reason: Option<String>,
    /// Education aid, in fen.
    pub aid_fen: Option<i64>,
    pub version: i32,
}

impl SchoolEnrolment {
    fn new(
        row: &school_enrolment::Model,
        schools: &HashMap<i64, school::Model>,
    ) -> Result<SchoolEnrolment, ApiError> {
        let school = schools.get(&row.school_id);
        Ok(SchoolEnrolment {
            id: encode_id(NodeType::SchoolEnrolment, row.id),
            school_code: school.map(|s| s.code.clone()).unwrap_or_default(),
            school_name: school.map(|s| s.name.clone()).unwrap_or_default(),
            stage: SchoolStage::decode("school_enrolment.stage", &row.stage)?,
            grade: row.grade,
            school_year: row.school_year,
            status: SchoolEnrolmentStatus::decode("school_enrolment.status", &row.status)?,
            enrolled_on: row.enrolled_on,
            left_on: row.left_on,
            transferred_from_school_name: row
                .transferred_from_school_id
                .and_then(|id| schools.get(&id))
                .map(|s| s.name.clone()),
            leaving_reason: row.leaving_reason.clone(),
            aid_fen: row.aid_fen,
            version: row.version,
        })
    }
}

/// A person's schooling (A3§2).
#[derive(SimpleObject)]
pub struct Schooling {
    pub in_school: bool,
    pub completed_compulsory_education: bool,
    /// Aged 6–15 today.
    pub compulsory_school_age: bool,
    /// Of compulsory-school age, out of school, nine years not completed: an alert (A3§2).
    pub dropout_alert: bool,
    /// The ledger, oldest first.
    pub ledger: Vec<SchoolEnrolment>,
}

/// One insurance for the year, as applicable (A3§4).
#[derive(SimpleObject)]
pub struct InsuranceCoverage {
    pub kind: InsuranceKind,
    pub year: i32,
    /// Whether it applies to the person (pension: 16 and over, not in school).
    pub applies: bool,
    /// The recorded status; null when nothing is recorded.
    pub status: Option<InsuranceStatus>,
    /// Enrolled or insured elsewhere.
    pub covered: bool,
    /// Applies and not covered: a gap (应保尽保).
    pub gap: bool,
    pub enrolled_on: Option<NaiveDate>,
    pub premium_fen: Option<i64>,
    pub subsidy_fen: Option<i64>,
    pub record_id: Option<ID>,
    pub version: Option<i32>,
}

/// A family-doctor contract (A3§3).
#[derive(SimpleObject)]
pub struct FamilyDoctorContract {
    pub id: ID,
    pub doctor_name: String,
    pub clinic_name: String,
    pub team_name: String,
    pub signed_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub status: String,
    /// Active and within its term today.
    pub in_force: bool,
}

impl FamilyDoctorContract {
    fn new(row: &family_doctor_contract::Model, today: NaiveDate) -> FamilyDoctorContract {
        FamilyDoctorContract {
            id: encode_id(NodeType::FamilyDoctorContract, row.id),
            doctor_name: row.doctor_name.clone(),
            clinic_name: row.clinic_name.clone(),
            team_name: row.team_name.clone(),
            signed_on: row.signed_on,
            expires_on: row.expires_on,
            status: row.status.clone(),
            in_force: contract_in_force(row, today),
        }
    }
}

/// A person's family doctor (A3§3).
#[derive(SimpleObject)]
pub struct FamilyDoctor {
    /// A contract is in force today.
    pub in_force: bool,
    /// Contracts, newest first.
    pub contracts: Vec<FamilyDoctorContract>,
}

/// 低保 / 特困 / 临时救助 received by the person or their household (A3§4).
#[derive(SimpleObject)]
pub struct SocialAssistanceRecord {
    pub id: ID,
    pub kind: SocialAssistanceKind,
    pub period: AssistancePeriod,
    /// Amount in fen (per month when monthly).
    pub amount_fen: i64,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub status: AssistanceStatus,
    /// Approved and within its term today.
    pub in_force: bool,
    /// Granted to the household as a whole rather than to this person.
    pub whole_household: bool,
    pub reason: String,
}

impl SocialAssistanceRecord {
    fn new(
        row: &social_assistance::Model,
        today: NaiveDate,
    ) -> Result<SocialAssistanceRecord, ApiError> {
        Ok(SocialAssistanceRecord {
            id: encode_id(NodeType::SocialAssistance, row.id),
            kind: SocialAssistanceKind::decode("social_assistance.kind", &row.kind)?,
            period: AssistancePeriod::decode("social_assistance.period", &row.period)?,
            amount_fen: row.amount_fen,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            status: AssistanceStatus::decode("social_assistance.status", &row.status)?,
            in_force: domain::services::assistance_in_force(
                row.status == "approved",
                row.starts_on,
                row.ends_on,
                today,
            ),
            whole_household: row.person_id.is_none(),
            reason: row.reason.clone(),
        })
    }
}

/// Where a person's 户籍 stands (A3§5).
#[derive(SimpleObject)]
pub struct Registration {
    /// KEPT_AT_ORIGIN when nothing is recorded.
    pub status: RegistrationStatus,
    pub transferred_on: Option<NaiveDate>,
    pub residence_permit_no: Option<String>,
    pub permit_issued_on: Option<NaiveDate>,
    /// Rights at the origin (contracted land, collective income) stay (A3§4, A3§5).
    pub origin_rights_retained: bool,
    /// Neither transferred nor a residence permit: a gap.
    pub gap: bool,
    pub record_id: Option<ID>,
    pub version: Option<i32>,
}

impl Registration {
    fn new(row: Option<&household_registration::Model>) -> Result<Registration, ApiError> {
        let status = match row {
            Some(row) => RegistrationStatus::decode("household_registration.status", &row.status)?,
            None => RegistrationStatus::KeptAtOrigin,
        };
        Ok(Registration {
            gap: status == RegistrationStatus::KeptAtOrigin,
            status,
            transferred_on: row.and_then(|row| row.transferred_on),
            residence_permit_no: row.and_then(|row| row.residence_permit_no.clone()),
            permit_issued_on: row.and_then(|row| row.permit_issued_on),
            origin_rights_retained: row.is_none_or(|row| row.origin_rights_retained),
            record_id: row.map(|row| encode_id(NodeType::HouseholdRegistration, row.id)),
            version: row.map(|row| row.version),
        })
    }
}

/// The guarantees of one relocated person (A3); each field is null with FORBIDDEN_FIELD
/// outside the reader's data domains.
pub struct PersonServices {
    person: person::Model,
    bundle: Arc<ServicesBundle>,
}

#[Object]
impl PersonServices {
    /// The person's global ID.
    async fn id(&self) -> ID {
        encode_id(NodeType::Person, self.person.id)
    }
    async fn person(&self) -> Person {
        Person(self.person.clone())
    }
    /// Schooling and the ledger (education domain).
    async fn schooling(&self, ctx: &Context<'_>) -> Result<Option<Schooling>> {
        read(ctx, DataDomain::Education, "PersonServices.schooling")?;
        let ledger = self.bundle.ledger(self.person.id);
        let age = domain::person::age_on(self.person.birth_date, self.bundle.today);
        let in_school = domain::services::in_school(&ledger);
        let completed = domain::services::completed_compulsory_education(&ledger);
        let mut rows = Vec::new();
        for row in self
            .bundle
            .enrolments
            .get(&self.person.id)
            .into_iter()
            .flatten()
        {
            rows.push(SchoolEnrolment::new(row, &self.bundle.schools)?);
        }
        Ok(Some(Schooling {
            in_school,
            completed_compulsory_education: completed,
            compulsory_school_age: domain::person::AgeBand::of(age)
                == domain::person::AgeBand::CompulsorySchool,
            dropout_alert: domain::services::is_dropout_alert(age, in_school, completed),
            ledger: rows,
        }))
    }
    /// The three insurances for the year asked for (insurance domain).
    async fn insurance(&self, ctx: &Context<'_>) -> Result<Option<Vec<InsuranceCoverage>>> {
        read(ctx, DataDomain::Insurance, "PersonServices.insurance")?;
        let age = domain::person::age_on(self.person.birth_date, self.bundle.today);
        let in_school = domain::services::in_school(&self.bundle.ledger(self.person.id));
        let rows = self.bundle.insurance.get(&self.person.id);
        let mut coverage = Vec::new();
        for kind in DomainInsuranceKind::ALL {
            let row = rows
                .into_iter()
                .flatten()
                .find(|row| row.kind == kind.code());
            let status = row
                .map(|row| InsuranceStatus::decode("insurance_enrolment.status", &row.status))
                .transpose()?;
            let covered = status.is_some_and(|s| DomainInsuranceStatus::from(s).covers());
            let applies = domain::services::insurance_applies(*kind, age, in_school);
            coverage.push(InsuranceCoverage {
                kind: (*kind).into(),
                year: self.bundle.year,
                applies,
                status,
                covered,
                gap: applies && !covered,
                enrolled_on: row.and_then(|row| row.enrolled_on),
                premium_fen: row.and_then(|row| row.premium_fen),
                subsidy_fen: row.and_then(|row| row.subsidy_fen),
                record_id: row.map(|row| encode_id(NodeType::InsuranceEnrolment, row.id)),
                version: row.map(|row| row.version),
            });
        }
        Ok(Some(coverage))
    }
    /// The family doctor (health domain: sensitive, the read is audited).
    async fn family_doctor(&self, ctx: &Context<'_>) -> Result<Option<FamilyDoctor>> {
        read(ctx, DataDomain::Health, "PersonServices.familyDoctor")?;
        let contracts: Vec<FamilyDoctorContract> = self
            .bundle
            .contracts
            .get(&self.person.id)
            .into_iter()
            .flatten()
            .map(|row| FamilyDoctorContract::new(row, self.bundle.today))
            .collect();
        Ok(Some(FamilyDoctor {
            in_force: contracts.iter().any(|contract| contract.in_force),
            contracts,
        }))
    }
    /// 低保 / 特困 / 临时救助 of the person or the household (social-assistance domain:
    /// sensitive, the read is audited).
    async fn social_assistance(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<Vec<SocialAssistanceRecord>>> {
        read(
            ctx,
            DataDomain::SocialAssistance,
            "PersonServices.socialAssistance",
        )?;
        let mut records = Vec::new();
        for row in self
            .bundle
            .assistance
            .get(&self.person.household_id)
            .into_iter()
            .flatten()
            .filter(|row| row.person_id.is_none_or(|id| id == self.person.id))
        {
            records.push(SocialAssistanceRecord::new(row, self.bundle.today)?);
        }
        Ok(Some(records))
    }
    /// 户籍 or residence permit (household-registration domain).
    async fn registration(&self, ctx: &Context<'_>) -> Result<Option<Registration>> {
        read(
            ctx,
            DataDomain::HouseholdRegistration,
            "PersonServices.registration",
        )?;
        Ok(Some(Registration::new(
            self.bundle.registrations.get(&self.person.id),
        )?))
    }
    /// Everything the person is missing, with its clause — only the gaps whose data domain
    /// the reader may read.
    async fn gaps(&self) -> Vec<ServiceGapInfo> {
        self.bundle
            .gaps(&self.person)
            .into_iter()
            .map(|kind| ServiceGapInfo {
                clause: match kind {
                    ServiceGapKind::SchoolDropout => "A3§2",
                    ServiceGapKind::NoFamilyDoctor => "A3§3",
                    ServiceGapKind::NoRegistrationOrResidencePermit => "A3§5",
                    _ => "A3§4",
                }
                .to_string(),
                kind,
            })
            .collect()
    }
}

paged_connection!(PersonServicesConnection, PersonServicesEdge, PersonServices);

/// A school taking relocated children (A3§2).
#[derive(SimpleObject)]
pub struct School {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub seats: Option<i32>,
    pub near_site: bool,
}

/// An item of a site's needs list (需求清单, 缺什么补什么, A3§1).
pub struct SiteNeed {
    model: site_need::Model,
    units: Arc<Units>,
}

#[Object]
impl SiteNeed {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::SiteNeed, self.model.id)
    }
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        Ok(Site(
            super::load_one(ctx, SiteKey(self.model.site_id), "site").await?,
        ))
    }
    async fn category(&self) -> Result<SiteNeedCategory> {
        Ok(SiteNeedCategory::decode(
            "site_need.category",
            &self.model.category,
        )?)
    }
    async fn title(&self) -> &str {
        &self.model.title
    }
    async fn description(&self) -> &str {
        &self.model.description
    }
    async fn plan(&self) -> &str {
        &self.model.plan
    }
    /// The bureau that owns it.
    async fn owning_bureau(&self) -> ResponsibleUnit {
        self.units.unit(UnitId::Bureau(self.model.owning_bureau_id))
    }
    /// Budget in fen.
    async fn budget_fen(&self) -> Option<i64> {
        self.model.budget_fen
    }
    async fn planned_completion_on(&self) -> Option<NaiveDate> {
        self.model.planned_completion_on
    }
    async fn completed_on(&self) -> Option<NaiveDate> {
        self.model.completed_on
    }
    async fn status(&self) -> Result<SiteNeedStatus> {
        Ok(SiteNeedStatus::decode(
            "site_need.status",
            &self.model.status,
        )?)
    }
    async fn version(&self) -> i32 {
        self.model.version
    }
}

/// A property-service fault ticket (water, power, gas).
pub struct PropertyTicket(property_ticket::Model);

#[Object]
impl PropertyTicket {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::PropertyTicket, self.0.id)
    }
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        Ok(Site(
            super::load_one(ctx, SiteKey(self.0.site_id), "site").await?,
        ))
    }
    async fn household_id(&self) -> Option<ID> {
        self.0
            .household_id
            .map(|id| encode_id(NodeType::Household, id))
    }
    async fn category(&self) -> Result<TicketCategory> {
        Ok(TicketCategory::decode(
            "property_ticket.category",
            &self.0.category,
        )?)
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    async fn status(&self) -> Result<TicketStatus> {
        Ok(TicketStatus::decode(
            "property_ticket.status",
            &self.0.status,
        )?)
    }
    async fn reported_at(&self) -> DateTime<Utc> {
        self.0.reported_at
    }
    async fn assigned_at(&self) -> Option<DateTime<Utc>> {
        self.0.assigned_at
    }
    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.0.resolved_at
    }
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    async fn assignee_name(&self) -> Option<&str> {
        self.0.assignee_name.as_deref()
    }
    async fn resolution(&self) -> Option<&str> {
        self.0.resolution.as_deref()
    }
    /// 1 (very dissatisfied) to 5 (very satisfied).
    async fn satisfaction(&self) -> Option<i32> {
        self.0.satisfaction
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

paged_connection!(SiteNeedConnection, SiteNeedEdge, SiteNeed);
paged_connection!(PropertyTicketConnection, PropertyTicketEdge, PropertyTicket);

/// Which persons to list with their services.
#[derive(InputObject, Default)]
pub struct PersonServicesFilterInput {
    pub site_id: Option<ID>,
    pub household_id: Option<ID>,
    /// Only persons with this gap (needs the read right of the gap's domain).
    pub gap: Option<ServiceGapKind>,
}

/// Which needs or tickets to list.
#[derive(InputObject, Default)]
pub struct SiteNeedFilterInput {
    pub site_id: Option<ID>,
    pub statuses: Option<Vec<SiteNeedStatus>>,
}

#[derive(InputObject, Default)]
pub struct PropertyTicketFilterInput {
    pub site_id: Option<ID>,
    pub statuses: Option<Vec<TicketStatus>>,
}

/// Whether the selection of a connection asks for a field of its nodes.
fn selects_node_field(ctx: &Context<'_>, field: &str) -> bool {
    let look = ctx.look_ahead();
    look.field("nodes").field(field).exists()
        || look.field("edges").field("node").field(field).exists()
}

/// One audit entry for a sensitive read of a page of persons (PIPL: every access auditable).
async fn audit_sensitive_read(
    ctx: &Context<'_>,
    principal: &Principal,
    domain: DataDomain,
    fields: &str,
    person_ids: &[i64],
) -> Result<(), ApiError> {
    let detail = serde_json::json!({
        "domain": domain.code(),
        "fields": fields,
        "person_ids": person_ids,
    });
    let entry = AuditEntry::by(
        principal,
        "read.sensitive",
        "Person",
        (person_ids.len() == 1).then(|| person_ids[0]),
    )
    .detail(detail.to_string());
    audit::record(database(ctx), entry).await
}

fn services_writer<'a>(
    ctx: &Context<'a>,
    domain: DataDomain,
    what: &str,
) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    principal.require_write(domain, what)?;
    Ok(principal)
}

#[derive(Default)]
pub struct PublicServicesQuery;

#[Object]
impl PublicServicesQuery {
    /// Relocated persons with their guarantees (A3), in id order; `filter.gap` lists those
    /// missing one (dropouts, 应保尽保 gaps, no family doctor, no registration or permit).
    /// `year` is the insurance year (default: this year).
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    #[allow(clippy::too_many_arguments)]
    async fn person_services(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<PersonServicesFilterInput>,
        year: Option<i32>,
    ) -> Result<PersonServicesConnection> {
        let principal = read(ctx, DataDomain::Identity, "Query.personServices")?;
        let page = id_page_request(first, after, last, before)?;
        let today = today_in_china();
        let year = year.unwrap_or_else(|| today.year());
        if !(2000..=2100).contains(&year) {
            return Err(ApiError::invalid("year", "give a year between 2000 and 2100").into());
        }
        let filter = filter.unwrap_or_default();
        if let Some(gap) = filter.gap {
            if !principal.permissions.can_read(gap.domain()) {
                return Err(ApiError::Forbidden(format!(
                    "you may not list persons by this gap: your roles may not read the {} domain",
                    gap.domain().code()
                ))
                .into());
            }
        }
        let store_filter = PersonServiceFilter {
            site_id: optional_id("filter.siteId", NodeType::Site, &filter.site_id)?,
            household_id: optional_id(
                "filter.householdId",
                NodeType::Household,
                &filter.household_id,
            )?,
            scope_town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
            gap: filter.gap.map(|gap| gap.filter(year)),
            today: Some(today),
        };
        let select = store::person_select(&store_filter);
        let loaded = id_page(database(ctx), select.clone(), person::Column::Id, &page)
            .await
            .map_err(ApiError::from)?;
        let bundle = Arc::new(ServicesBundle::load(ctx, principal, &loaded.rows, year).await?);
        let ids: Vec<i64> = loaded.rows.iter().map(|person| person.id).collect();
        let health_read = selects_node_field(ctx, "familyDoctor")
            || selects_node_field(ctx, "gaps")
            || filter.gap == Some(ServiceGapKind::NoFamilyDoctor);
        if health_read && principal.permissions.can_read(DataDomain::Health) {
            audit_sensitive_read(
                ctx,
                principal,
                DataDomain::Health,
                "PersonServices.familyDoctor",
                &ids,
            )
            .await?;
        }
        if selects_node_field(ctx, "socialAssistance")
            && principal.permissions.can_read(DataDomain::SocialAssistance)
        {
            audit_sensitive_read(
                ctx,
                principal,
                DataDomain::SocialAssistance,
                "PersonServices.socialAssistance",
                &ids,
            )
            .await?;
        }
        let rows = loaded
            .rows
            .into_iter()
            .map(|person| {
                (
                    person.id,
                    PersonServices {
                        person,
                        bundle: bundle.clone(),
                    },
                )
            })
            .collect();
        Ok(PersonServicesConnection::new(
            rows,
            loaded.has_more,
            &page,
            counter(select),
        ))
    }

    /// The schools that take relocated children (A3§2).
    async fn schools(&self, ctx: &Context<'_>) -> Result<Vec<School>> {
        principal(ctx)?;
        Ok(store::all_schools(database(ctx))
            .await?
            .into_iter()
            .map(|row| School {
                code: row.code,
                name: row.name,
                kind: row.kind,
                seats: row.seats,
                near_site: row.near_site,
            })
            .collect())
    }

    /// The needs lists of the sites (缺什么补什么, A3§1), in id order.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn site_needs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<SiteNeedFilterInput>,
    ) -> Result<SiteNeedConnection> {
        let principal = read(ctx, DataDomain::PublicServices, "Query.siteNeeds")?;
        let page = id_page_request(first, after, last, before)?;
        let filter = filter.unwrap_or_default();
        let filter = SiteRecordFilter {
            site_id: optional_id("filter.siteId", NodeType::Site, &filter.site_id)?,
            statuses: filter
                .statuses
                .unwrap_or_default()
                .into_iter()
                .map(SiteNeedStatus::code)
                .collect(),
            scope_town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
        };
        let select = store::site_need_select(&filter);
        let loaded = id_page(database(ctx), select.clone(), site_need::Column::Id, &page)
            .await
            .map_err(ApiError::from)?;
        let units = Units::load(ctx).await?;
        let rows = loaded
            .rows
            .into_iter()
            .map(|model| {
                (
                    model.id,
                    SiteNeed {
                        model,
                        units: units.clone(),
                    },
                )
            })
            .collect();
        Ok(SiteNeedConnection::new(
            rows,
            loaded.has_more,
            &page,
            counter(select),
        ))
    }

    /// Property-service tickets (water, power, gas), in id order.
    #[graphql(complexity = "connection_complexity(child_complexity, first, last)")]
    async fn property_tickets(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<PropertyTicketFilterInput>,
    ) -> Result<PropertyTicketConnection> {
        let principal = read(ctx, DataDomain::PublicServices, "Query.propertyTickets")?;
        let page = id_page_request(first, after, last, before)?;
        let filter = filter.unwrap_or_default();
        let filter = SiteRecordFilter {
            site_id: optional_id("filter.siteId", NodeType::Site, &filter.site_id)?,
            statuses: filter
                .statuses
                .unwrap_or_default()
                .into_iter()
                .map(TicketStatus::code)
                .collect(),
            scope_town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
        };
        let select = store::property_ticket_select(&filter);
        let loaded = id_page(
            database(ctx),
            select.clone(),
            property_ticket::Column::Id,
            &page,
        )
        .await
        .map_err(ApiError::from)?;
        let rows = loaded
            .rows
            .into_iter()
            .map(|model| (model.id, PropertyTicket(model)))
            .collect();
        Ok(PropertyTicketConnection::new(
            rows,
            loaded.has_more,
            &page,
            counter(select),
        ))
    }
}

#[derive(InputObject)]
pub struct RecordSchoolEnrolmentInput {
    pub person_id: ID,
    pub school_code: String,
    pub stage: SchoolStage,
    pub grade: i32,
    pub school_year: i32,
    pub enrolled_on: NaiveDate,
    /// Education aid, in fen.
    pub aid_fen: Option<i64>,
}

/// How a child leaves a school.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchoolLeaving {
    DroppedOut,
    Graduated,
    TransferredOut,
    Suspended,
}

#[derive(InputObject)]
pub struct RecordSchoolLeavingInput {
    pub enrolment_id: ID,
    pub version: i32,
    pub status: SchoolLeaving,
    pub left_on: NaiveDate,
    pub reason: String,
}

#[derive(InputObject)]
pub struct RecordInsuranceEnrolmentInput {
    pub person_id: ID,
    pub kind: InsuranceKind,
    pub year: i32,
    pub status: InsuranceStatus,
    /// Required when ENROLLED.
    pub enrolled_on: Option<NaiveDate>,
    pub premium_fen: Option<i64>,
    /// Part of the premium paid by the government.
    pub subsidy_fen: Option<i64>,
}

#[derive(InputObject)]
pub struct RecordFamilyDoctorContractInput {
    pub person_id: ID,
    pub doctor_name: String,
    pub clinic_name: String,
    #[graphql(default)]
    pub team_name: String,
    pub signed_on: NaiveDate,
    pub expires_on: NaiveDate,
}

#[derive(InputObject)]
pub struct RecordSocialAssistanceInput {
    pub household_id: ID,
    /// The member it is for; none for the whole household.
    pub person_id: Option<ID>,
    pub kind: SocialAssistanceKind,
    pub period: AssistancePeriod,
    /// Amount in fen (per month when monthly), positive.
    pub amount_fen: i64,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub status: AssistanceStatus,
    #[graphql(default)]
    pub reason: String,
}

#[derive(InputObject)]
pub struct RecordHouseholdRegistrationInput {
    pub person_id: ID,
    pub status: RegistrationStatus,
    /// Required when TRANSFERRED.
    pub transferred_on: Option<NaiveDate>,
    /// Required when RESIDENCE_PERMIT.
    pub residence_permit_no: Option<String>,
    pub permit_issued_on: Option<NaiveDate>,
    #[graphql(default = true)]
    pub origin_rights_retained: bool,
}

#[derive(InputObject)]
pub struct CreateSiteNeedInput {
    pub site_id: ID,
    pub category: SiteNeedCategory,
    pub title: String,
    #[graphql(default)]
    pub description: String,
    #[graphql(default)]
    pub plan: String,
    /// The bureau that owns it, by code (e.g. `water`).
    pub owning_bureau_code: String,
    pub budget_fen: Option<i64>,
    pub planned_completion_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct UpdateSiteNeedInput {
    pub id: ID,
    pub version: i32,
    pub status: Option<SiteNeedStatus>,
    /// Required when COMPLETED.
    pub completed_on: Option<NaiveDate>,
    pub plan: Option<String>,
    pub planned_completion_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct ReportPropertyTicketInput {
    pub site_id: ID,
    pub household_id: Option<ID>,
    pub category: TicketCategory,
    pub description: String,
}

#[derive(InputObject)]
pub struct UpdatePropertyTicketInput {
    pub id: ID,
    pub version: i32,
    pub status: Option<TicketStatus>,
    pub assignee_name: Option<String>,
    pub resolution: Option<String>,
    /// 1 to 5.
    pub satisfaction: Option<i32>,
}

/// A stored insurance row, as returned by its mutation.
#[derive(SimpleObject)]
pub struct InsuranceEnrolment {
    pub id: ID,
    pub person_id: ID,
    pub kind: InsuranceKind,
    pub year: i32,
    pub status: InsuranceStatus,
    pub enrolled_on: Option<NaiveDate>,
    pub premium_fen: Option<i64>,
    pub subsidy_fen: Option<i64>,
    pub version: i32,
}

impl InsuranceEnrolment {
    /// The stored row as the API shows it.
    pub(crate) fn of_row(row: &insurance_enrolment::Model) -> Result<InsuranceEnrolment, ApiError> {
        Ok(InsuranceEnrolment {
            id: encode_id(NodeType::InsuranceEnrolment, row.id),
            person_id: encode_id(NodeType::Person, row.person_id),
            kind: InsuranceKind::decode("insurance_enrolment.kind", &row.kind)?,
            year: row.year,
            status: InsuranceStatus::decode("insurance_enrolment.status", &row.status)?,
            enrolled_on: row.enrolled_on,
            premium_fen: row.premium_fen,
            subsidy_fen: row.subsidy_fen,
            version: row.version,
        })
    }
}

async fn writable_person(
    ctx: &Context<'_>,
    principal: &Principal,
    field: &str,
    id: &ID,
) -> Result<i64, ApiError> {
    let person_id = decode_id(field, NodeType::Person, id)?;
    ensure_in_scope(ctx, principal, RecordTable::Person, person_id, "Person").await?;
    Ok(person_id)
}

async fn enrolment_node(
    ctx: &Context<'_>,
    row: &school_enrolment::Model,
) -> Result<SchoolEnrolment, ApiError> {
    let ids: Vec<i64> = [Some(row.school_id), row.transferred_from_school_id]
        .into_iter()
        .flatten()
        .collect();
    let schools = store::schools_by_ids(database(ctx), &ids).await?;
    SchoolEnrolment::new(row, &schools)
}

#[derive(Default)]
pub struct PublicServicesMutation;

#[Object]
impl PublicServicesMutation {
    /// Enrols a child at a school (education bureau); a current enrolment elsewhere closes as
    /// transferred out (籍随人走, A3§2). Removes a dropout gap.
    async fn record_school_enrolment(
        &self,
        ctx: &Context<'_>,
        input: RecordSchoolEnrolmentInput,
    ) -> Result<SchoolEnrolment> {
        let principal = services_writer(ctx, DataDomain::Education, "the schooling ledger")?;
        let person_id = writable_person(ctx, principal, "input.personId", &input.person_id).await?;
        if !(0..=12).contains(&input.grade) {
            return Err(ApiError::invalid("input.grade", "a grade is 0 (preschool) to 12").into());
        }
        if !(2000..=2100).contains(&input.school_year) {
            return Err(ApiError::invalid(
                "input.schoolYear",
                "give a school year between 2000 and 2100",
            )
            .into());
        }
        let school_id = store::all_schools(database(ctx))
            .await?
            .into_iter()
            .find(|school| school.code == input.school_code.trim())
            .map(|school| school.id)
            .ok_or_else(|| {
                ApiError::invalid(
                    "input.schoolCode",
                    format!(
                        "there is no school with the code {:?}; see `schools`",
                        input.school_code
                    ),
                )
            })?;
        let new = NewSchoolEnrolment {
            person_id,
            school_id,
            stage: input.stage.code(),
            grade: input.grade,
            school_year: input.school_year,
            enrolled_on: input.enrolled_on,
            aid_fen: input
                .aid_fen
                .map(|fen| amount_fen("input.aidFen", fen))
                .transpose()?,
        };
        let stored =
            store::record_school_enrolment(database(ctx), &actor_of(principal), new).await?;
        Ok(enrolment_node(ctx, &stored).await?)
    }

    /// Closes an enrolment (education bureau): a child of 6–15 who drops out is an alert (A3§2).
    async fn record_school_leaving(
        &self,
        ctx: &Context<'_>,
        input: RecordSchoolLeavingInput,
    ) -> Result<SchoolEnrolment> {
        let principal = services_writer(ctx, DataDomain::Education, "the schooling ledger")?;
        let id = decode_id(
            "input.enrolmentId",
            NodeType::SchoolEnrolment,
            &input.enrolment_id,
        )?;
        let row = store::enrolments_by_id(database(ctx), id)
            .await?
            .ok_or_else(|| ApiError::not_found("SchoolEnrolment", "with this ID"))?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Person,
            row.person_id,
            "SchoolEnrolment",
        )
        .await?;
        let status = match input.status {
            SchoolLeaving::DroppedOut => DomainEnrolmentStatus::DroppedOut,
            SchoolLeaving::Graduated => DomainEnrolmentStatus::Graduated,
            SchoolLeaving::TransferredOut => DomainEnrolmentStatus::TransferredOut,
            SchoolLeaving::Suspended => DomainEnrolmentStatus::Suspended,
        };
        let stored = store::record_school_leaving(
            database(ctx),
            &actor_of(principal),
            id,
            input.version,
            status,
            input.left_on,
            text_field("input.reason", &input.reason, 500)?,
        )
        .await?;
        Ok(enrolment_node(ctx, &stored).await?)
    }

    /// Records a person's insurance for a year (insurance writers: HR & social security).
    async fn record_insurance_enrolment(
        &self,
        ctx: &Context<'_>,
        input: RecordInsuranceEnrolmentInput,
    ) -> Result<InsuranceEnrolment> {
        let principal = services_writer(ctx, DataDomain::Insurance, "insurance enrolment")?;
        let person_id = writable_person(ctx, principal, "input.personId", &input.person_id).await?;
        if !(2000..=2100).contains(&input.year) {
            return Err(
                ApiError::invalid("input.year", "give a year between 2000 and 2100").into(),
            );
        }
        if input.status == InsuranceStatus::Enrolled && input.enrolled_on.is_none() {
            return Err(ApiError::invalid(
                "input.enrolledOn",
                "an enrolment needs the day it was made",
            )
            .into());
        }
        let record = InsuranceRecord {
            person_id,
            kind: input.kind.into(),
            year: input.year,
            status: input.status.into(),
            enrolled_on: input.enrolled_on,
            premium_fen: input
                .premium_fen
                .map(|fen| amount_fen("input.premiumFen", fen))
                .transpose()?,
            subsidy_fen: input
                .subsidy_fen
                .map(|fen| amount_fen("input.subsidyFen", fen))
                .transpose()?,
        };
        let row = store::record_insurance(database(ctx), &actor_of(principal), record).await?;
        Ok(InsuranceEnrolment::of_row(&row)?)
    }

    /// Signs a family-doctor contract (health bureau, A3§3); earlier active contracts expire.
    async fn record_family_doctor_contract(
        &self,
        ctx: &Context<'_>,
        input: RecordFamilyDoctorContractInput,
    ) -> Result<FamilyDoctorContract> {
        let principal = services_writer(ctx, DataDomain::Health, "family-doctor contracts")?;
        let person_id = writable_person(ctx, principal, "input.personId", &input.person_id).await?;
        if input.expires_on < input.signed_on {
            return Err(ApiError::invalid(
                "input.expiresOn",
                "a contract cannot expire before it is signed",
            )
            .into());
        }
        let new = NewContract {
            person_id,
            doctor_name: text_field("input.doctorName", &input.doctor_name, 40)?,
            clinic_name: text_field("input.clinicName", &input.clinic_name, 100)?,
            team_name: domain::text::clean_optional_line(&input.team_name, "input.teamName", 100)
                .map_err(|error| ApiError::invalid("input.teamName", error))?
                .unwrap_or_default(),
            signed_on: input.signed_on,
            expires_on: input.expires_on,
        };
        let row =
            store::record_family_doctor_contract(database(ctx), &actor_of(principal), new).await?;
        Ok(FamilyDoctorContract::new(&row, today_in_china()))
    }

    /// Records 低保, 特困 or 临时救助 for a household or one member (civil affairs, A3§4).
    async fn record_social_assistance(
        &self,
        ctx: &Context<'_>,
        input: RecordSocialAssistanceInput,
    ) -> Result<SocialAssistanceRecord> {
        let principal = services_writer(ctx, DataDomain::SocialAssistance, "social assistance")?;
        let household_id = decode_id(
            "input.householdId",
            NodeType::Household,
            &input.household_id,
        )?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Household,
            household_id,
            "Household",
        )
        .await?;
        let person_id = optional_id("input.personId", NodeType::Person, &input.person_id)?;
        if input.amount_fen <= 0 {
            return Err(ApiError::invalid(
                "input.amountFen",
                "the amount must be positive, in fen",
            )
            .into());
        }
        if input.kind == SocialAssistanceKind::TemporaryAssistance
            && input.period != AssistancePeriod::OneOff
        {
            return Err(
                ApiError::invalid("input.period", "临时救助 is paid once: use ONE_OFF").into(),
            );
        }
        if input.ends_on.is_some_and(|end| end < input.starts_on) {
            return Err(ApiError::invalid(
                "input.endsOn",
                "assistance cannot end before it starts",
            )
            .into());
        }
        let new = NewAssistance {
            household_id,
            person_id,
            kind: input.kind.code(),
            period: input.period.code(),
            amount_fen: input.amount_fen,
            starts_on: input.starts_on,
            ends_on: input.ends_on,
            status: input.status.code(),
            approved_by_bureau_id: (input.status == AssistanceStatus::Approved)
                .then(|| principal.bureau_ids.first().copied())
                .flatten(),
            reason: notes_field("input.reason", &input.reason, 1000)?,
        };
        let row = store::record_social_assistance(database(ctx), &actor_of(principal), new).await?;
        Ok(SocialAssistanceRecord::new(&row, today_in_china())?)
    }

    /// Records where a person's 户籍 stands (public security, A3§5).
    async fn record_household_registration(
        &self,
        ctx: &Context<'_>,
        input: RecordHouseholdRegistrationInput,
    ) -> Result<Registration> {
        let principal = services_writer(
            ctx,
            DataDomain::HouseholdRegistration,
            "household registration",
        )?;
        let person_id = writable_person(ctx, principal, "input.personId", &input.person_id).await?;
        let permit_no = optional_line("input.residencePermitNo", &input.residence_permit_no, 32)?;
        match input.status {
            RegistrationStatus::Transferred if input.transferred_on.is_none() => {
                return Err(ApiError::invalid(
                    "input.transferredOn",
                    "a transfer needs the day the 户籍 moved",
                )
                .into())
            }
            RegistrationStatus::ResidencePermit
                if permit_no.is_none() || input.permit_issued_on.is_none() =>
            {
                return Err(ApiError::invalid(
                    "input.residencePermitNo",
                    "a residence permit needs its number and the day it was issued",
                )
                .into())
            }
            _ => {}
        }
        let record = RegistrationRecord {
            person_id,
            status: input.status.code(),
            transferred_on: input.transferred_on,
            residence_permit_no: permit_no,
            permit_issued_on: input.permit_issued_on,
            origin_rights_retained: input.origin_rights_retained,
        };
        let row = store::record_registration(database(ctx), &actor_of(principal), record).await?;
        Ok(Registration::new(Some(&row))?)
    }

    /// Adds an item to a site's needs list (public-services writers; towns for their sites).
    async fn create_site_need(
        &self,
        ctx: &Context<'_>,
        input: CreateSiteNeedInput,
    ) -> Result<SiteNeed> {
        let principal = services_writer(ctx, DataDomain::PublicServices, "the needs list")?;
        let site_id = decode_id("input.siteId", NodeType::Site, &input.site_id)?;
        ensure_in_scope(ctx, principal, RecordTable::Site, site_id, "Site").await?;
        let units = Units::load(ctx).await?;
        let new = NewSiteNeed {
            site_id,
            category: input.category.code(),
            title: text_field("input.title", &input.title, 200)?,
            description: notes_field("input.description", &input.description, 4000)?,
            plan: notes_field("input.plan", &input.plan, 4000)?,
            owning_bureau_id: units
                .bureau_by_code("input.owningBureauCode", &input.owning_bureau_code)?,
            budget_fen: input
                .budget_fen
                .map(|fen| amount_fen("input.budgetFen", fen))
                .transpose()?,
            planned_completion_on: input.planned_completion_on,
        };
        let model = store::create_site_need(database(ctx), &actor_of(principal), new).await?;
        Ok(SiteNeed { model, units })
    }

    /// Moves an item of the needs list forward (or cancels it); completed needs its date.
    async fn update_site_need(
        &self,
        ctx: &Context<'_>,
        input: UpdateSiteNeedInput,
    ) -> Result<SiteNeed> {
        let principal = services_writer(ctx, DataDomain::PublicServices, "the needs list")?;
        let id = decode_id("input.id", NodeType::SiteNeed, &input.id)?;
        let current = store::find_site_need(database(ctx), id)
            .await?
            .ok_or_else(|| ApiError::not_found("SiteNeed", "with this ID"))?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Site,
            current.site_id,
            "SiteNeed",
        )
        .await?;
        if let Some(next) = input.status {
            let from = SiteNeedStatus::decode("site_need.status", &current.status)?;
            if !DomainSiteNeedStatus::from(from).may_become(next.into()) {
                return Err(ApiError::Conflict(format!(
                    "a need that is {} cannot become {}",
                    from.code(),
                    next.code()
                ))
                .into());
            }
            if next == SiteNeedStatus::Completed && input.completed_on.is_none() {
                return Err(ApiError::invalid(
                    "input.completedOn",
                    "a completed need records the day it was completed",
                )
                .into());
            }
        }
        let changes = SiteNeedChanges {
            status: input.status.map(SiteNeedStatus::code),
            completed_on: input.completed_on,
            plan: input
                .plan
                .as_deref()
                .map(|plan| notes_field("input.plan", plan, 4000))
                .transpose()?,
            planned_completion_on: input.planned_completion_on,
        };
        let model = store::update_site_need(
            database(ctx),
            &actor_of(principal),
            id,
            input.version,
            changes,
        )
        .await?;
        Ok(SiteNeed {
            model,
            units: Units::load(ctx).await?,
        })
    }

    /// Reports a property-service fault (water, power, gas) at a site.
    async fn report_property_ticket(
        &self,
        ctx: &Context<'_>,
        input: ReportPropertyTicketInput,
    ) -> Result<PropertyTicket> {
        let principal = services_writer(ctx, DataDomain::PublicServices, "property tickets")?;
        let site_id = decode_id("input.siteId", NodeType::Site, &input.site_id)?;
        ensure_in_scope(ctx, principal, RecordTable::Site, site_id, "Site").await?;
        let new = NewTicket {
            site_id,
            household_id: optional_id(
                "input.householdId",
                NodeType::Household,
                &input.household_id,
            )?,
            category: input.category.code(),
            description: notes_field("input.description", &input.description, 2000)?,
        };
        if new.description.is_empty() {
            return Err(ApiError::invalid("input.description", "say what is wrong").into());
        }
        Ok(PropertyTicket(
            store::create_property_ticket(database(ctx), &actor_of(principal), new).await?,
        ))
    }

    /// Moves a ticket along (assigned, in progress, resolved, closed) or cancels it.
    async fn update_property_ticket(
        &self,
        ctx: &Context<'_>,
        input: UpdatePropertyTicketInput,
    ) -> Result<PropertyTicket> {
        let principal = services_writer(ctx, DataDomain::PublicServices, "property tickets")?;
        let id = decode_id("input.id", NodeType::PropertyTicket, &input.id)?;
        let current = store::find_property_ticket(database(ctx), id)
            .await?
            .ok_or_else(|| ApiError::not_found("PropertyTicket", "with this ID"))?;
        ensure_in_scope(
            ctx,
            principal,
            RecordTable::Site,
            current.site_id,
            "PropertyTicket",
        )
        .await?;
        if let Some(next) = input.status {
            let from = TicketStatus::decode("property_ticket.status", &current.status)?;
            if !DomainTicketStatus::from(from).may_become(next.into()) {
                return Err(ApiError::Conflict(format!(
                    "a ticket that is {} cannot become {}",
                    from.code(),
                    next.code()
                ))
                .into());
            }
        }
        if input.satisfaction.is_some_and(|s| !(1..=5).contains(&s)) {
            return Err(ApiError::invalid("input.satisfaction", "rate from 1 to 5").into());
        }
        let changes = TicketChanges {
            status: input.status.map(TicketStatus::code),
            assignee_name: optional_line("input.assigneeName", &input.assignee_name, 40)?,
            resolution: input
                .resolution
                .as_deref()
                .map(|text| notes_field("input.resolution", text, 2000))
                .transpose()?,
            satisfaction: input.satisfaction,
        };
        Ok(PropertyTicket(
            store::update_property_ticket(
                database(ctx),
                &actor_of(principal),
                id,
                input.version,
                changes,
            )
            .await?,
        ))
    }
}

/// `node(id:)` for site needs and property tickets, through their lists' own selects: readers
/// of `public_services`, a town its own sites' records only.
pub(super) async fn resolve_node(
    ctx: &Context<'_>,
    node_type: NodeType,
    id: i64,
) -> Result<Option<super::node::Node>> {
    use super::node::{page_at, the_row, Node};
    let principal = read(ctx, DataDomain::PublicServices, "Query.node")?;
    let filter = SiteRecordFilter {
        scope_town_ids: principal.scope.town_ids().map(<[i64]>::to_vec),
        ..SiteRecordFilter::default()
    };
    let db = database(ctx);
    Ok(match node_type {
        NodeType::SiteNeed => {
            let select = store::site_need_select(&filter);
            let loaded = id_page(db, select, site_need::Column::Id, &page_at(id))
                .await
                .map_err(ApiError::from)?;
            match the_row(loaded.rows, id, |row| row.id) {
                Some(model) => Some(Node::SiteNeed(SiteNeed {
                    model,
                    units: Units::load(ctx).await?,
                })),
                None => None,
            }
        }
        NodeType::PropertyTicket => {
            let select = store::property_ticket_select(&filter);
            let loaded = id_page(db, select, property_ticket::Column::Id, &page_at(id))
                .await
                .map_err(ApiError::from)?;
            the_row(loaded.rows, id, |row| row.id)
                .map(|row| Node::PropertyTicket(PropertyTicket(row)))
        }
        _ => None,
    })
}
