//! Queries and writes of the public services of annex 3: the per-person guarantees (schooling
//! ledger, insurance, family doctors, social assistance, household registration), each
//! recorded by its bureau, the persons with a gap found in SQL by the same rules as
//! `domain::services`, the per-site needs list and property-service tickets.
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Select, Set,
};

use super::alerts::{refresh_alerts, AlertScope};
use super::database::begin_write;
use super::entities::{
    family_doctor_contract, household, household_registration, insurance_enrolment, person,
    property_ticket, school, school_enrolment, site_need, social_assistance,
};
use super::group;
use super::industry::update_if_version;
use super::registry_writes::{audit, Actor};
use super::scope::{households_of_towns, sites_of_towns};
use crate::error::{ApiError, ApiResult};
use domain::person::AgeBand;
use domain::services::{InsuranceKind, InsuranceStatus, SchoolEnrolmentStatus};

/// A gap to list persons by; each is the SQL form of a rule of `domain::services`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapFilter {
    /// A3§2: aged 6–15, not enrolled, compulsory education not completed.
    SchoolDropout,
    /// A3§4: the insurance applies and no enrolled or exempt row for the year.
    MissingInsurance(InsuranceKind, i32),
    /// A3§3: no active contract in force today.
    NoFamilyDoctor,
    /// A3§5: neither transferred nor holding a residence permit.
    NoRegistrationOrResidencePermit,
}

/// Which persons to list with their services.
#[derive(Debug, Clone, Default)]
pub struct PersonServiceFilter {
    pub site_id: Option<i64>,
    pub household_id: Option<i64>,
    pub scope_town_ids: Option<Vec<i64>>,
    pub gap: Option<GapFilter>,
    pub today: Option<NaiveDate>,
}

fn persons_without(statement: SelectStatement) -> Condition {
    Condition::all().add(person::Column::Id.not_in_subquery(statement))
}

fn enrolled_now() -> SelectStatement {
    Query::select()
        .column(school_enrolment::Column::PersonId)
        .from(school_enrolment::Entity)
        .and_where(school_enrolment::Column::Status.eq(SchoolEnrolmentStatus::Enrolled.code()))
        .to_owned()
}

/// The SQL of `domain::services::completed_compulsory_education`.
fn completed_compulsory() -> SelectStatement {
    Query::select()
        .column(school_enrolment::Column::PersonId)
        .from(school_enrolment::Entity)
        .cond_where(
            Condition::any()
                .add(
                    Condition::all()
                        .add(school_enrolment::Column::Stage.eq("junior_middle"))
                        .add(
                            school_enrolment::Column::Status
                                .eq(SchoolEnrolmentStatus::Graduated.code()),
                        ),
                )
                .add(school_enrolment::Column::Stage.is_in(["senior_high", "vocational"])),
        )
        .to_owned()
}

fn gap_condition(gap: GapFilter, today: NaiveDate) -> Condition {
    match gap {
        GapFilter::SchoolDropout => {
            let (earliest, latest) = AgeBand::CompulsorySchool.birth_date_range(today);
            let mut condition = Condition::all()
                .add(persons_without(enrolled_now()))
                .add(persons_without(completed_compulsory()));
            if let Some(earliest) = earliest {
                condition = condition.add(person::Column::BirthDate.gte(earliest));
            }
            if let Some(latest) = latest {
                condition = condition.add(person::Column::BirthDate.lte(latest));
            }
            condition
        }
        GapFilter::MissingInsurance(kind, year) => {
            let covered: Vec<&str> = InsuranceStatus::ALL
                .iter()
                .filter(|status| status.covers())
                .map(|status| status.code())
                .collect();
            let insured = Query::select()
                .column(insurance_enrolment::Column::PersonId)
                .from(insurance_enrolment::Entity)
                .and_where(insurance_enrolment::Column::Kind.eq(kind.code()))
                .and_where(insurance_enrolment::Column::Year.eq(year))
                .and_where(insurance_enrolment::Column::Status.is_in(covered))
                .to_owned();
            let mut condition = Condition::all().add(persons_without(insured));
            if kind == InsuranceKind::Pension {
                // `insurance_applies`: from PENSION_MIN_AGE, and not in school.
                let (_, latest) = AgeBand::WorkingAge.birth_date_range(today);
                if let Some(latest) = latest {
                    condition = condition.add(person::Column::BirthDate.lte(latest));
                }
                condition = condition.add(persons_without(enrolled_now()));
            }
            condition
        }
        GapFilter::NoFamilyDoctor => persons_without(
            Query::select()
                .column(family_doctor_contract::Column::PersonId)
                .from(family_doctor_contract::Entity)
                .and_where(family_doctor_contract::Column::Status.eq("active"))
                .and_where(family_doctor_contract::Column::SignedOn.lte(today))
                .and_where(family_doctor_contract::Column::ExpiresOn.gte(today))
                .to_owned(),
        ),
        GapFilter::NoRegistrationOrResidencePermit => persons_without(
            Query::select()
                .column(household_registration::Column::PersonId)
                .from(household_registration::Entity)
                .and_where(
                    household_registration::Column::Status
                        .is_in(["transferred", "residence_permit"]),
                )
                .to_owned(),
        ),
    }
}

/// The current persons of the filter (archived ones are not served).
pub fn person_select(filter: &PersonServiceFilter) -> Select<person::Entity> {
    let mut select = person::Entity::find().filter(person::Column::ArchivedAt.is_null());
    if let Some(household_id) = filter.household_id {
        select = select.filter(person::Column::HouseholdId.eq(household_id));
    }
    if let Some(site_id) = filter.site_id {
        select = select.filter(
            person::Column::HouseholdId.in_subquery(
                Query::select()
                    .column(household::Column::Id)
                    .from(household::Entity)
                    .and_where(household::Column::SiteId.eq(site_id))
                    .to_owned(),
            ),
        );
    }
    if let Some(towns) = &filter.scope_town_ids {
        select = select.filter(person::Column::HouseholdId.in_subquery(households_of_towns(towns)));
    }
    if let (Some(gap), Some(today)) = (filter.gap, filter.today) {
        select = select.filter(gap_condition(gap, today));
    }
    select
}

/// The ledger rows of each person, oldest first.
pub async fn enrolments_of(
    db: &impl ConnectionTrait,
    person_ids: &[i64],
) -> ApiResult<HashMap<i64, Vec<school_enrolment::Model>>> {
    let rows = school_enrolment::Entity::find()
        .filter(school_enrolment::Column::PersonId.is_in(person_ids.to_vec()))
        .order_by_asc(school_enrolment::Column::EnrolledOn)
        .order_by_asc(school_enrolment::Column::Id)
        .all(db)
        .await?;
    Ok(group(rows, |row| row.person_id))
}

/// The insurance rows of each person for a year.
pub async fn insurance_of(
    db: &impl ConnectionTrait,
    person_ids: &[i64],
    year: i32,
) -> ApiResult<HashMap<i64, Vec<insurance_enrolment::Model>>> {
    let rows = insurance_enrolment::Entity::find()
        .filter(insurance_enrolment::Column::PersonId.is_in(person_ids.to_vec()))
        .filter(insurance_enrolment::Column::Year.eq(year))
        .order_by_asc(insurance_enrolment::Column::Id)
        .all(db)
        .await?;
    Ok(group(rows, |row| row.person_id))
}

/// The family-doctor contracts of each person, newest first.
pub async fn contracts_of(
    db: &impl ConnectionTrait,
    person_ids: &[i64],
) -> ApiResult<HashMap<i64, Vec<family_doctor_contract::Model>>> {
    let rows = family_doctor_contract::Entity::find()
        .filter(family_doctor_contract::Column::PersonId.is_in(person_ids.to_vec()))
        .order_by_desc(family_doctor_contract::Column::SignedOn)
        .order_by_desc(family_doctor_contract::Column::Id)
        .all(db)
        .await?;
    Ok(group(rows, |row| row.person_id))
}

/// Social assistance of each household (rows for the household and for its members).
pub async fn assistance_of_households(
    db: &impl ConnectionTrait,
    household_ids: &[i64],
) -> ApiResult<HashMap<i64, Vec<social_assistance::Model>>> {
    let rows = social_assistance::Entity::find()
        .filter(social_assistance::Column::HouseholdId.is_in(household_ids.to_vec()))
        .order_by_desc(social_assistance::Column::StartsOn)
        .order_by_desc(social_assistance::Column::Id)
        .all(db)
        .await?;
    Ok(group(rows, |row| row.household_id))
}

pub async fn registrations_of(
    db: &impl ConnectionTrait,
    person_ids: &[i64],
) -> ApiResult<HashMap<i64, household_registration::Model>> {
    Ok(household_registration::Entity::find()
        .filter(household_registration::Column::PersonId.is_in(person_ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.person_id, row))
        .collect())
}

pub async fn all_schools(db: &impl ConnectionTrait) -> ApiResult<Vec<school::Model>> {
    Ok(school::Entity::find()
        .order_by_asc(school::Column::Id)
        .all(db)
        .await?)
}

pub async fn schools_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> ApiResult<HashMap<i64, school::Model>> {
    Ok(school::Entity::find()
        .filter(school::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect())
}

pub async fn find_person(db: &impl ConnectionTrait, id: i64) -> ApiResult<Option<person::Model>> {
    Ok(person::Entity::find_by_id(id).one(db).await?)
}

async fn current_person(
    transaction: &impl ConnectionTrait,
    person_id: i64,
) -> ApiResult<person::Model> {
    match person::Entity::find_by_id(person_id)
        .one(transaction)
        .await?
    {
        Some(person) if person.archived_at.is_none() => Ok(person),
        Some(_) => Err(ApiError::Conflict(format!(
            "person {person_id} is archived; services are recorded for current residents only"
        ))),
        None => Err(ApiError::not_found("Person", "with this ID")),
    }
}

fn stamp(actor: &Actor) -> (chrono::DateTime<Utc>, Option<i64>) {
    (Utc::now(), actor.user_id)
}

// ---------------------------------------------------------------------------------------------
// Schooling (A3§2)

#[derive(Debug, Clone)]
pub struct NewSchoolEnrolment {
    pub person_id: i64,
    pub school_id: i64,
    pub stage: &'static str,
    pub grade: i32,
    pub school_year: i32,
    pub enrolled_on: NaiveDate,
    pub aid_fen: Option<i64>,
}

/// Enrols a child; a current enrolment elsewhere is closed as transferred out on the same day
/// and the new row names the school it came from (籍随人走, A3§2).
pub async fn record_school_enrolment(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewSchoolEnrolment,
) -> ApiResult<school_enrolment::Model> {
    let transaction = begin_write(db).await?;
    current_person(&transaction, new.person_id).await?;
    if school::Entity::find_by_id(new.school_id)
        .one(&transaction)
        .await?
        .is_none()
    {
        return Err(ApiError::invalid(
            "input.schoolCode",
            "this school does not exist",
        ));
    }
    let (now, by) = stamp(actor);
    let current = school_enrolment::Entity::find()
        .filter(school_enrolment::Column::PersonId.eq(new.person_id))
        .filter(school_enrolment::Column::Status.eq(SchoolEnrolmentStatus::Enrolled.code()))
        .all(&transaction)
        .await?;
    let mut transferred_from = None;
    for row in current {
        if row.school_id == new.school_id && row.school_year == new.school_year {
            return Err(ApiError::Conflict(
                "the child is already enrolled at this school for this school year".into(),
            ));
        }
        if new.enrolled_on < row.enrolled_on {
            return Err(ApiError::invalid(
                "input.enrolledOn",
                format!(
                    "the child is enrolled elsewhere since {}; a new enrolment cannot start before it",
                    row.enrolled_on
                ),
            ));
        }
        transferred_from = Some(row.school_id);
        let id = row.id;
        let version = row.version;
        let mut closing = row.into_active_model();
        closing.status = Set(SchoolEnrolmentStatus::TransferredOut.code().into());
        closing.left_on = Set(Some(new.enrolled_on));
        closing.leaving_reason = Set(Some("转学".into()));
        closing.version = Set(version + 1);
        closing.updated_at = Set(now);
        closing.updated_by = Set(by);
        closing.update(&transaction).await?;
        audit(
            &transaction,
            actor,
            "school_enrolment.transfer_out",
            "SchoolEnrolment",
            id,
            None,
        )
        .await?;
    }
    let stored = school_enrolment::ActiveModel {
        person_id: Set(new.person_id),
        school_id: Set(new.school_id),
        stage: Set(new.stage.into()),
        grade: Set(new.grade),
        school_year: Set(new.school_year),
        status: Set(SchoolEnrolmentStatus::Enrolled.code().into()),
        enrolled_on: Set(new.enrolled_on),
        left_on: Set(None),
        transferred_from_school_id: Set(transferred_from),
        record_at_school: Set(true),
        leaving_reason: Set(None),
        aid_fen: Set(new.aid_fen),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(by),
        updated_by: Set(by),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "school_enrolment.create",
        "SchoolEnrolment",
        stored.id,
        None,
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Persons(vec![new.person_id])).await?;
    transaction.commit().await?;
    Ok(stored)
}

/// Closes a current enrolment: dropped out (an alert for a child of compulsory-school age,
/// A3§2), graduated, transferred out or suspended.
pub async fn record_school_leaving(
    db: &DatabaseConnection,
    actor: &Actor,
    enrolment_id: i64,
    expected_version: i32,
    status: SchoolEnrolmentStatus,
    left_on: NaiveDate,
    reason: String,
) -> ApiResult<school_enrolment::Model> {
    let transaction = begin_write(db).await?;
    let row = school_enrolment::Entity::find_by_id(enrolment_id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("SchoolEnrolment", "with this ID"))?;
    if row.version != expected_version {
        return Err(ApiError::stale_version(
            "school enrolment",
            enrolment_id,
            expected_version,
        ));
    }
    if row.status != SchoolEnrolmentStatus::Enrolled.code() {
        return Err(ApiError::Conflict(format!(
            "this enrolment is already closed ({})",
            row.status
        )));
    }
    if left_on < row.enrolled_on {
        return Err(ApiError::invalid(
            "input.leftOn",
            format!(
                "the child was enrolled on {}; leaving cannot come before",
                row.enrolled_on
            ),
        ));
    }
    let person_id = row.person_id;
    let (now, by) = stamp(actor);
    let mut update = row.into_active_model();
    update.status = Set(status.code().into());
    update.left_on = Set(Some(left_on));
    update.leaving_reason = Set(Some(reason));
    update.version = Set(expected_version + 1);
    update.updated_at = Set(now);
    update.updated_by = Set(by);
    let updated = update_if_version(
        &transaction,
        update,
        (
            school_enrolment::Column::Id,
            school_enrolment::Column::Version,
        ),
        enrolment_id,
        expected_version,
        "school enrolment",
    )
    .await?;
    audit(
        &transaction,
        actor,
        "school_enrolment.leave",
        "SchoolEnrolment",
        enrolment_id,
        None,
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Persons(vec![person_id])).await?;
    transaction.commit().await?;
    Ok(updated)
}

// ---------------------------------------------------------------------------------------------
// Insurance (A3§4)

#[derive(Debug, Clone)]
pub struct InsuranceRecord {
    pub person_id: i64,
    pub kind: InsuranceKind,
    pub year: i32,
    pub status: InsuranceStatus,
    pub enrolled_on: Option<NaiveDate>,
    pub premium_fen: Option<i64>,
    pub subsidy_fen: Option<i64>,
}

/// Records a person's insurance for a year: one row per person, kind and year, updated in place.
pub async fn record_insurance(
    db: &DatabaseConnection,
    actor: &Actor,
    record: InsuranceRecord,
) -> ApiResult<insurance_enrolment::Model> {
    let transaction = begin_write(db).await?;
    current_person(&transaction, record.person_id).await?;
    let (now, by) = stamp(actor);
    let existing = insurance_enrolment::Entity::find()
        .filter(insurance_enrolment::Column::PersonId.eq(record.person_id))
        .filter(insurance_enrolment::Column::Kind.eq(record.kind.code()))
        .filter(insurance_enrolment::Column::Year.eq(record.year))
        .one(&transaction)
        .await?;
    let stored = match existing {
        Some(row) => {
            let version = row.version;
            let mut update = row.into_active_model();
            update.status = Set(record.status.code().into());
            update.enrolled_on = Set(record.enrolled_on);
            update.premium_fen = Set(record.premium_fen);
            update.subsidy_fen = Set(record.subsidy_fen);
            update.version = Set(version + 1);
            update.updated_at = Set(now);
            update.updated_by = Set(by);
            let updated = update.update(&transaction).await?;
            audit(
                &transaction,
                actor,
                "insurance_enrolment.update",
                "InsuranceEnrolment",
                updated.id,
                None,
            )
            .await?;
            updated
        }
        None => {
            let created = insurance_enrolment::ActiveModel {
                person_id: Set(record.person_id),
                kind: Set(record.kind.code().into()),
                year: Set(record.year),
                status: Set(record.status.code().into()),
                enrolled_on: Set(record.enrolled_on),
                premium_fen: Set(record.premium_fen),
                subsidy_fen: Set(record.subsidy_fen),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                created_by: Set(by),
                updated_by: Set(by),
                ..Default::default()
            }
            .insert(&transaction)
            .await?;
            audit(
                &transaction,
                actor,
                "insurance_enrolment.create",
                "InsuranceEnrolment",
                created.id,
                None,
            )
            .await?;
            created
        }
    };
    refresh_alerts(&transaction, AlertScope::Persons(vec![record.person_id])).await?;
    transaction.commit().await?;
    Ok(stored)
}

// ---------------------------------------------------------------------------------------------
// Family doctors (A3§3)

#[derive(Debug, Clone)]
pub struct NewContract {
    pub person_id: i64,
    pub doctor_name: String,
    pub clinic_name: String,
    pub team_name: String,
    pub signed_on: NaiveDate,
    pub expires_on: NaiveDate,
}

/// Signs a family-doctor contract; the person's earlier active contracts end (one family
/// doctor at a time).
pub async fn record_family_doctor_contract(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewContract,
) -> ApiResult<family_doctor_contract::Model> {
    let transaction = begin_write(db).await?;
    current_person(&transaction, new.person_id).await?;
    let (now, by) = stamp(actor);
    family_doctor_contract::Entity::update_many()
        .col_expr(
            family_doctor_contract::Column::Status,
            sea_orm::sea_query::Expr::value("expired"),
        )
        .col_expr(
            family_doctor_contract::Column::Version,
            sea_orm::sea_query::Expr::col(family_doctor_contract::Column::Version).add(1),
        )
        .col_expr(
            family_doctor_contract::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            family_doctor_contract::Column::UpdatedBy,
            sea_orm::sea_query::Expr::value(by),
        )
        .filter(family_doctor_contract::Column::PersonId.eq(new.person_id))
        .filter(family_doctor_contract::Column::Status.eq("active"))
        .exec(&transaction)
        .await?;
    let stored = family_doctor_contract::ActiveModel {
        person_id: Set(new.person_id),
        doctor_name: Set(new.doctor_name),
        clinic_name: Set(new.clinic_name),
        team_name: Set(new.team_name),
        signed_on: Set(new.signed_on),
        expires_on: Set(new.expires_on),
        status: Set("active".into()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(by),
        updated_by: Set(by),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "family_doctor_contract.create",
        "FamilyDoctorContract",
        stored.id,
        None,
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Persons(vec![new.person_id])).await?;
    transaction.commit().await?;
    Ok(stored)
}

// ---------------------------------------------------------------------------------------------
// Social assistance (A3§4)

#[derive(Debug, Clone)]
pub struct NewAssistance {
    pub household_id: i64,
    pub person_id: Option<i64>,
    pub kind: &'static str,
    pub period: &'static str,
    pub amount_fen: i64,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub status: &'static str,
    pub approved_by_bureau_id: Option<i64>,
    pub reason: String,
}

pub async fn record_social_assistance(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewAssistance,
) -> ApiResult<social_assistance::Model> {
    let transaction = begin_write(db).await?;
    match household::Entity::find_by_id(new.household_id)
        .one(&transaction)
        .await?
    {
        Some(found) if found.archived_at.is_none() => {}
        Some(_) => {
            return Err(ApiError::Conflict(
                "this household is archived; assistance is recorded for current residents only"
                    .into(),
            ))
        }
        None => return Err(ApiError::not_found("Household", "with this ID")),
    }
    if let Some(person_id) = new.person_id {
        let member = current_person(&transaction, person_id).await?;
        if member.household_id != new.household_id {
            return Err(ApiError::invalid(
                "input.personId",
                "this person is not a member of the household",
            ));
        }
    }
    let (now, by) = stamp(actor);
    let stored = social_assistance::ActiveModel {
        household_id: Set(new.household_id),
        person_id: Set(new.person_id),
        kind: Set(new.kind.into()),
        period: Set(new.period.into()),
        amount_fen: Set(new.amount_fen),
        starts_on: Set(new.starts_on),
        ends_on: Set(new.ends_on),
        status: Set(new.status.into()),
        approved_by_bureau_id: Set(new.approved_by_bureau_id),
        reason: Set(new.reason),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(by),
        updated_by: Set(by),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "social_assistance.create",
        "SocialAssistance",
        stored.id,
        None,
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Households(vec![new.household_id])).await?;
    transaction.commit().await?;
    Ok(stored)
}

// ---------------------------------------------------------------------------------------------
// Household registration (A3§5)

#[derive(Debug, Clone)]
pub struct RegistrationRecord {
    pub person_id: i64,
    pub status: &'static str,
    pub transferred_on: Option<NaiveDate>,
    pub residence_permit_no: Option<String>,
    pub permit_issued_on: Option<NaiveDate>,
    pub origin_rights_retained: bool,
}

/// Records where a person's 户籍 stands: one row per person, updated in place (the history is
/// in the audit log).
pub async fn record_registration(
    db: &DatabaseConnection,
    actor: &Actor,
    record: RegistrationRecord,
) -> ApiResult<household_registration::Model> {
    let transaction = begin_write(db).await?;
    current_person(&transaction, record.person_id).await?;
    let (now, by) = stamp(actor);
    let existing = household_registration::Entity::find()
        .filter(household_registration::Column::PersonId.eq(record.person_id))
        .one(&transaction)
        .await?;
    let stored = match existing {
        Some(row) => {
            let version = row.version;
            let mut update = row.into_active_model();
            update.status = Set(record.status.into());
            update.transferred_on = Set(record.transferred_on);
            update.residence_permit_no = Set(record.residence_permit_no);
            update.permit_issued_on = Set(record.permit_issued_on);
            update.origin_rights_retained = Set(record.origin_rights_retained);
            update.version = Set(version + 1);
            update.updated_at = Set(now);
            update.updated_by = Set(by);
            update.update(&transaction).await?
        }
        None => {
            household_registration::ActiveModel {
                person_id: Set(record.person_id),
                status: Set(record.status.into()),
                transferred_on: Set(record.transferred_on),
                residence_permit_no: Set(record.residence_permit_no),
                permit_issued_on: Set(record.permit_issued_on),
                origin_rights_retained: Set(record.origin_rights_retained),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                created_by: Set(by),
                updated_by: Set(by),
                ..Default::default()
            }
            .insert(&transaction)
            .await?
        }
    };
    audit(
        &transaction,
        actor,
        "household_registration.record",
        "HouseholdRegistration",
        stored.id,
        None,
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Persons(vec![record.person_id])).await?;
    transaction.commit().await?;
    Ok(stored)
}

// ---------------------------------------------------------------------------------------------
// Site needs (A3§1) and property tickets

#[derive(Debug, Clone, Default)]
pub struct SiteRecordFilter {
    pub site_id: Option<i64>,
    pub statuses: Vec<&'static str>,
    pub scope_town_ids: Option<Vec<i64>>,
}

pub fn site_need_select(filter: &SiteRecordFilter) -> Select<site_need::Entity> {
    let mut select = site_need::Entity::find();
    if let Some(site_id) = filter.site_id {
        select = select.filter(site_need::Column::SiteId.eq(site_id));
    }
    if !filter.statuses.is_empty() {
        select = select.filter(site_need::Column::Status.is_in(filter.statuses.clone()));
    }
    if let Some(towns) = &filter.scope_town_ids {
        select = select.filter(site_need::Column::SiteId.in_subquery(sites_of_towns(towns)));
    }
    select
}

pub fn property_ticket_select(filter: &SiteRecordFilter) -> Select<property_ticket::Entity> {
    let mut select = property_ticket::Entity::find();
    if let Some(site_id) = filter.site_id {
        select = select.filter(property_ticket::Column::SiteId.eq(site_id));
    }
    if !filter.statuses.is_empty() {
        select = select.filter(property_ticket::Column::Status.is_in(filter.statuses.clone()));
    }
    if let Some(towns) = &filter.scope_town_ids {
        select = select.filter(property_ticket::Column::SiteId.in_subquery(sites_of_towns(towns)));
    }
    select
}

pub async fn find_site_need(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<site_need::Model>> {
    Ok(site_need::Entity::find_by_id(id).one(db).await?)
}

pub async fn find_property_ticket(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<property_ticket::Model>> {
    Ok(property_ticket::Entity::find_by_id(id).one(db).await?)
}

#[derive(Debug, Clone)]
pub struct NewSiteNeed {
    pub site_id: i64,
    pub category: &'static str,
    pub title: String,
    pub description: String,
    pub plan: String,
    pub owning_bureau_id: i64,
    pub budget_fen: Option<i64>,
    pub planned_completion_on: Option<NaiveDate>,
}

pub async fn create_site_need(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewSiteNeed,
) -> ApiResult<site_need::Model> {
    let transaction = begin_write(db).await?;
    let (now, by) = stamp(actor);
    let stored = site_need::ActiveModel {
        site_id: Set(new.site_id),
        category: Set(new.category.into()),
        title: Set(new.title),
        description: Set(new.description),
        plan: Set(new.plan),
        owning_bureau_id: Set(new.owning_bureau_id),
        budget_fen: Set(new.budget_fen),
        planned_completion_on: Set(new.planned_completion_on),
        completed_on: Set(None),
        status: Set(if new.planned_completion_on.is_some() {
            "planned"
        } else {
            "identified"
        }
        .into()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(by),
        updated_by: Set(by),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "site_need.create",
        "SiteNeed",
        stored.id,
        None,
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Sites(vec![new.site_id])).await?;
    transaction.commit().await?;
    Ok(stored)
}

#[derive(Debug, Clone, Default)]
pub struct SiteNeedChanges {
    pub status: Option<&'static str>,
    pub completed_on: Option<NaiveDate>,
    pub plan: Option<String>,
    pub planned_completion_on: Option<NaiveDate>,
}

pub async fn update_site_need(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    changes: SiteNeedChanges,
) -> ApiResult<site_need::Model> {
    let transaction = begin_write(db).await?;
    let row = site_need::Entity::find_by_id(id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("SiteNeed", "with this ID"))?;
    if row.version != expected_version {
        return Err(ApiError::stale_version("site need", id, expected_version));
    }
    let site_id = row.site_id;
    let (now, by) = stamp(actor);
    let mut update = row.into_active_model();
    if let Some(status) = changes.status {
        update.status = Set(status.into());
    }
    if let Some(on) = changes.completed_on {
        update.completed_on = Set(Some(on));
    }
    if let Some(plan) = changes.plan {
        update.plan = Set(plan);
    }
    if let Some(on) = changes.planned_completion_on {
        update.planned_completion_on = Set(Some(on));
    }
    update.version = Set(expected_version + 1);
    update.updated_at = Set(now);
    update.updated_by = Set(by);
    let updated = update_if_version(
        &transaction,
        update,
        (site_need::Column::Id, site_need::Column::Version),
        id,
        expected_version,
        "site need",
    )
    .await?;
    audit(
        &transaction,
        actor,
        "site_need.update",
        "SiteNeed",
        id,
        None,
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Sites(vec![site_id])).await?;
    transaction.commit().await?;
    Ok(updated)
}

#[derive(Debug, Clone)]
pub struct NewTicket {
    pub site_id: i64,
    pub household_id: Option<i64>,
    pub category: &'static str,
    pub description: String,
}

pub async fn create_property_ticket(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewTicket,
) -> ApiResult<property_ticket::Model> {
    let transaction = begin_write(db).await?;
    if let Some(household_id) = new.household_id {
        let found = household::Entity::find_by_id(household_id)
            .one(&transaction)
            .await?;
        if found.is_none_or(|household| household.site_id != new.site_id) {
            return Err(ApiError::invalid(
                "input.householdId",
                "this household does not live at the ticket's site",
            ));
        }
    }
    let (now, by) = stamp(actor);
    let stored = property_ticket::ActiveModel {
        site_id: Set(new.site_id),
        household_id: Set(new.household_id),
        category: Set(new.category.into()),
        description: Set(new.description),
        status: Set("open".into()),
        reported_at: Set(now),
        assigned_at: Set(None),
        resolved_at: Set(None),
        closed_at: Set(None),
        assignee_name: Set(None),
        resolution: Set(None),
        satisfaction: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(by),
        updated_by: Set(by),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "property_ticket.create",
        "PropertyTicket",
        stored.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

#[derive(Debug, Clone, Default)]
pub struct TicketChanges {
    pub status: Option<&'static str>,
    pub assignee_name: Option<String>,
    pub resolution: Option<String>,
    pub satisfaction: Option<i32>,
}

pub async fn update_property_ticket(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    changes: TicketChanges,
) -> ApiResult<property_ticket::Model> {
    let transaction = begin_write(db).await?;
    let row = property_ticket::Entity::find_by_id(id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("PropertyTicket", "with this ID"))?;
    if row.version != expected_version {
        return Err(ApiError::stale_version(
            "property ticket",
            id,
            expected_version,
        ));
    }
    let (now, by) = stamp(actor);
    let mut update = row.into_active_model();
    if let Some(status) = changes.status {
        update.status = Set(status.into());
        match status {
            "assigned" => update.assigned_at = Set(Some(now)),
            "resolved" => update.resolved_at = Set(Some(now)),
            "closed" => update.closed_at = Set(Some(now)),
            _ => {}
        }
    }
    if let Some(name) = changes.assignee_name {
        update.assignee_name = Set(Some(name));
    }
    if let Some(resolution) = changes.resolution {
        update.resolution = Set(Some(resolution));
    }
    if let Some(satisfaction) = changes.satisfaction {
        update.satisfaction = Set(Some(satisfaction));
    }
    update.version = Set(expected_version + 1);
    update.updated_at = Set(now);
    update.updated_by = Set(by);
    let updated = update_if_version(
        &transaction,
        update,
        (
            property_ticket::Column::Id,
            property_ticket::Column::Version,
        ),
        id,
        expected_version,
        "property ticket",
    )
    .await?;
    audit(
        &transaction,
        actor,
        "property_ticket.update",
        "PropertyTicket",
        id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(updated)
}

pub async fn enrolments_by_id(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<school_enrolment::Model>> {
    Ok(school_enrolment::Entity::find_by_id(id).one(db).await?)
}
