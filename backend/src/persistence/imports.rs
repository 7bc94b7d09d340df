//! Spreadsheet imports: what the registry already holds (batched look-ups for the checks) and
//! the all-or-nothing writes — every row in one transaction, inserted in batches, one audit
//! entry, alerts refreshed before commit.
use std::collections::{HashMap, HashSet};

use chrono::Utc;
use domain::import::{
    CurrentEnrolment, HouseholdRow, LabourRow, RegisteredPerson, SchoolRef, SchoolingChange,
    SiteRef,
};
use domain::services::{SchoolEnrolmentStatus, SchoolStage};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::alerts::{refresh_alerts, AlertScope};
use super::audit::AuditEntry;
use super::change_feed::ChangeKind;
use super::database::begin_write;
use super::entities::{employment_spell, household, person, school, school_enrolment, site};
use super::registry_writes::Actor;
use crate::error::ApiResult;

/// Values per `IN (…)` list and rows per multi-row INSERT: far below SQLite's and
/// PostgreSQL's bound-parameter limits (32 766 and 65 535) for tables of ~16 columns.
const BATCH: usize = 500;

/// Every site by code (a handful: the district has two).
pub async fn sites_by_code(db: &impl ConnectionTrait) -> Result<HashMap<String, SiteRef>, DbErr> {
    Ok(site::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|site| {
            (
                site.code.to_ascii_uppercase(),
                SiteRef {
                    id: site.id,
                    town_id: site.town_id,
                },
            )
        })
        .collect())
}

/// Which of these ID numbers are registered already (archived persons too: the column is unique).
pub async fn registered_id_numbers(
    db: &impl ConnectionTrait,
    id_numbers: &[String],
) -> Result<HashSet<String>, DbErr> {
    let mut found = HashSet::new();
    for chunk in id_numbers.chunks(BATCH) {
        let rows: Vec<String> = person::Entity::find()
            .select_only()
            .column(person::Column::IdNumber)
            .filter(person::Column::IdNumber.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}

/// Which of these household codes are in use.
pub async fn used_household_codes(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> Result<HashSet<String>, DbErr> {
    let mut found = HashSet::new();
    for chunk in codes.chunks(BATCH) {
        let rows: Vec<String> = household::Entity::find()
            .select_only()
            .column(household::Column::Code)
            .filter(household::Column::Code.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}

/// The current (not archived) persons with these ID numbers, with their household and town.
pub async fn registered_persons(
    db: &impl ConnectionTrait,
    id_numbers: &[String],
) -> Result<HashMap<String, RegisteredPerson>, DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        id: i64,
        id_number: String,
        household_code: String,
        town_id: i64,
    }
    let mut found = HashMap::new();
    for chunk in id_numbers.chunks(BATCH) {
        let rows = person::Entity::find()
            .select_only()
            .column(person::Column::Id)
            .column(person::Column::IdNumber)
            .column_as(household::Column::Code, "household_code")
            .column_as(site::Column::TownId, "town_id")
            .join(
                sea_orm::JoinType::InnerJoin,
                person::Entity::belongs_to(household::Entity)
                    .from(person::Column::HouseholdId)
                    .to(household::Column::Id)
                    .into(),
            )
            .join(
                sea_orm::JoinType::InnerJoin,
                household::Entity::belongs_to(site::Entity)
                    .from(household::Column::SiteId)
                    .to(site::Column::Id)
                    .into(),
            )
            .filter(person::Column::IdNumber.is_in(chunk.iter().cloned()))
            .filter(person::Column::ArchivedAt.is_null())
            .into_model::<Row>()
            .all(db)
            .await?;
        for row in rows {
            found.insert(
                row.id_number,
                RegisteredPerson {
                    id: row.id,
                    household_code: row.household_code,
                    town_id: row.town_id,
                },
            );
        }
    }
    Ok(found)
}

/// What an import wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub households_created: usize,
    pub persons_created: usize,
    pub persons_updated: usize,
    pub employment_spells_created: usize,
    pub enrolments_created: usize,
    pub enrolments_updated: usize,
}

/// Inserts the households and persons of a checked file in one transaction: households in
/// multi-row INSERTs, their ids read back by code, then persons in multi-row INSERTs; one
/// audit entry; alerts refreshed for the new households before commit.
pub async fn insert_households(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    rows: &[HouseholdRow],
    sites: &HashMap<String, SiteRef>,
) -> ApiResult<ImportCounts> {
    let now = Utc::now();
    let households = domain::import::group_households(rows);
    let mut codes: Vec<&str> = households.keys().copied().collect();
    codes.sort_unstable();
    let transaction = begin_write(db).await?;
    for chunk in codes.chunks(BATCH) {
        let models = chunk
            .iter()
            .filter_map(|code| {
                let first = households.get(code)?.first()?;
                let site = sites.get(&first.site_code)?;
                Some(household::ActiveModel {
                    code: Set(first.household_code.clone()),
                    site_id: Set(site.id),
                    flat_id: Set(None),
                    origin_village_id: Set(None),
                    registered_poor: Set(first.registered_poor),
                    relocated_on: Set(first.relocated_on),
                    archived_at: Set(None),
                    archive_reason: Set(None),
                    version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                    created_by: Set(actor.user_id),
                    updated_by: Set(actor.user_id),
                    ..Default::default()
                })
            })
            .collect::<Vec<_>>();
        if models.is_empty() {
            continue;
        }
        household::Entity::insert_many(models)
            .exec_without_returning(&transaction)
            .await?;
    }
    let mut ids_by_code: HashMap<String, i64> = HashMap::new();
    for chunk in codes.chunks(BATCH) {
        let found: Vec<(i64, String)> = household::Entity::find()
            .select_only()
            .column(household::Column::Id)
            .column(household::Column::Code)
            .filter(household::Column::Code.is_in(chunk.iter().map(|code| code.to_string())))
            .into_tuple()
            .all(&transaction)
            .await?;
        ids_by_code.extend(found.into_iter().map(|(id, code)| (code, id)));
    }
    for chunk in rows.chunks(BATCH) {
        let models = chunk
            .iter()
            .filter_map(|row| {
                let household_id = *ids_by_code.get(&row.household_code)?;
                Some(person::ActiveModel {
                    household_id: Set(household_id),
                    name: Set(row.name.as_str().to_string()),
                    id_number: Set(row.id_number.as_str().to_string()),
                    sex: Set(row.id_number.sex().code().to_string()),
                    birth_date: Set(row.id_number.birth_date()),
                    relation: Set(row.relation.code().to_string()),
                    labour_capacity: Set(row.labour_capacity.code().to_string()),
                    employment_status: Set(row.employment_status.code().to_string()),
                    phone: Set(row.phone.as_ref().map(|phone| phone.as_str().to_string())),
                    archived_at: Set(None),
                    archive_reason: Set(None),
                    version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                    created_by: Set(actor.user_id),
                    updated_by: Set(actor.user_id),
                    ..Default::default()
                })
            })
            .collect::<Vec<_>>();
        if models.is_empty() {
            continue;
        }
        person::Entity::insert_many(models)
            .exec_without_returning(&transaction)
            .await?;
    }
    let household_ids: Vec<i64> = ids_by_code.values().copied().collect();
    refresh_alerts(&transaction, AlertScope::Households(household_ids.clone())).await?;
    let counts = ImportCounts {
        households_created: codes.len(),
        persons_created: rows.len(),
        ..ImportCounts::default()
    };
    let detail = serde_json::json!({
        "kind": "households",
        "householdsCreated": counts.households_created,
        "personsCreated": counts.persons_created,
    });
    super::audit::record(
        &transaction,
        AuditEntry::system("import.households", "Household", None)
            .changed("Household", ChangeKind::Created, household_ids)
            .actor(actor.user_id, &actor.label)
            .roles(&actor.role_codes)
            .detail(detail.to_string()),
    )
    .await?;
    transaction.commit().await?;
    Ok(counts)
}

/// Applies a checked labour ledger in one transaction: persons updated in one UPDATE per
/// (labour capacity, employment status) pair (at most nine), a version bump each; an open
/// employment spell (starting today) for every employed row that names an employment type
/// and whose person has none open; one audit entry; alerts refreshed before commit.
pub async fn apply_labour(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    rows: &[LabourRow],
    persons: &HashMap<String, RegisteredPerson>,
    today: chrono::NaiveDate,
) -> ApiResult<ImportCounts> {
    let now = Utc::now();
    let mut groups: HashMap<(&'static str, &'static str), Vec<i64>> = HashMap::new();
    let mut person_ids = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(person) = persons.get(row.id_number.as_str()) {
            person_ids.push(person.id);
            groups
                .entry((row.labour_capacity.code(), row.employment_status.code()))
                .or_default()
                .push(person.id);
        }
    }
    let transaction = begin_write(db).await?;
    let mut updated = 0usize;
    for ((labour, status), ids) in &groups {
        for chunk in ids.chunks(BATCH) {
            let result = person::Entity::update_many()
                .col_expr(person::Column::LabourCapacity, Expr::value(*labour))
                .col_expr(person::Column::EmploymentStatus, Expr::value(*status))
                .col_expr(
                    person::Column::Version,
                    Expr::col(person::Column::Version).add(1),
                )
                .col_expr(person::Column::UpdatedAt, Expr::value(now))
                .col_expr(person::Column::UpdatedBy, Expr::value(actor.user_id))
                .filter(person::Column::Id.is_in(chunk.iter().copied()))
                .exec(&transaction)
                .await?;
            updated += usize::try_from(result.rows_affected).unwrap_or(usize::MAX);
        }
    }
    // Persons with an open spell keep it: the ledger does not close or duplicate jobs.
    let mut with_open_spell: HashSet<i64> = HashSet::new();
    for chunk in person_ids.chunks(BATCH) {
        let open: Vec<i64> = employment_spell::Entity::find()
            .select_only()
            .column(employment_spell::Column::PersonId)
            .filter(employment_spell::Column::PersonId.is_in(chunk.iter().copied()))
            .filter(employment_spell::Column::EndsOn.is_null())
            .into_tuple()
            .all(&transaction)
            .await?;
        with_open_spell.extend(open);
    }
    let spells: Vec<employment_spell::ActiveModel> = rows
        .iter()
        .filter_map(|row| {
            let employment_type = row.employment_type?;
            let person = persons.get(row.id_number.as_str())?;
            if with_open_spell.contains(&person.id) {
                return None;
            }
            Some(employment_spell::ActiveModel {
                person_id: Set(person.id),
                employment_type: Set(employment_type.code().to_string()),
                employer_name: Set(row.employer.clone().unwrap_or_default()),
                location: Set(String::new()),
                job_posting_id: Set(None),
                job_push_id: Set(None),
                starts_on: Set(today),
                ends_on: Set(None),
                monthly_income_fen: Set(None),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                created_by: Set(actor.user_id),
                updated_by: Set(actor.user_id),
                ..Default::default()
            })
        })
        .collect();
    let spells_created = spells.len();
    for chunk in spells.chunks(BATCH) {
        employment_spell::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&transaction)
            .await?;
    }
    refresh_alerts(&transaction, AlertScope::Persons(person_ids.clone())).await?;
    let counts = ImportCounts {
        persons_updated: updated,
        employment_spells_created: spells_created,
        ..ImportCounts::default()
    };
    let detail = serde_json::json!({
        "kind": "labour",
        "personsUpdated": counts.persons_updated,
        "employmentSpellsCreated": counts.employment_spells_created,
    });
    super::audit::record(
        &transaction,
        AuditEntry::system("import.labour", "Person", None)
            .changed("Person", ChangeKind::Updated, person_ids)
            .actor(actor.user_id, &actor.label)
            .roles(&actor.role_codes)
            .detail(detail.to_string()),
    )
    .await?;
    transaction.commit().await?;
    Ok(counts)
}

/// Every school by code (tens of them).
pub async fn schools_by_code(
    db: &impl ConnectionTrait,
) -> Result<HashMap<String, SchoolRef>, DbErr> {
    Ok(school::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|school| {
            (
                school.code.to_ascii_uppercase(),
                SchoolRef {
                    id: school.id,
                    kind: school.kind,
                },
            )
        })
        .collect())
}

/// The current (在读) enrolment of each of these persons (the latest, should there be two).
pub async fn current_enrolments(
    db: &impl ConnectionTrait,
    person_ids: &[i64],
) -> Result<HashMap<i64, CurrentEnrolment>, DbErr> {
    let mut found = HashMap::new();
    for chunk in person_ids.chunks(BATCH) {
        let rows: Vec<(i64, i64, i64)> = school_enrolment::Entity::find()
            .select_only()
            .column(school_enrolment::Column::Id)
            .column(school_enrolment::Column::PersonId)
            .column(school_enrolment::Column::SchoolId)
            .filter(school_enrolment::Column::PersonId.is_in(chunk.iter().copied()))
            .filter(school_enrolment::Column::Status.eq(SchoolEnrolmentStatus::Enrolled.code()))
            .order_by_asc(school_enrolment::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        for (id, person_id, school_id) in rows {
            found.insert(person_id, CurrentEnrolment { id, school_id });
        }
    }
    Ok(found)
}

/// Applies a checked schooling ledger in one transaction, in batches: grades changed in
/// place (one UPDATE per grade), enrolments ended (one UPDATE per status, left today),
/// transfers closed as 转出 and the new enrolments inserted naming the school they came from;
/// one audit entry; alerts refreshed before commit.
pub async fn apply_schooling(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    changes: &[SchoolingChange],
    person_ids: Vec<i64>,
    today: chrono::NaiveDate,
) -> ApiResult<ImportCounts> {
    let now = Utc::now();
    let mut regrades: HashMap<(i32, SchoolStage), Vec<i64>> = HashMap::new();
    let mut leaving: HashMap<SchoolEnrolmentStatus, Vec<i64>> = HashMap::new();
    let mut new_enrolments = Vec::new();
    for change in changes {
        match change {
            SchoolingChange::Regrade {
                enrolment_id,
                grade,
                stage,
            } => regrades
                .entry((*grade, *stage))
                .or_default()
                .push(*enrolment_id),
            SchoolingChange::Leave {
                enrolment_id,
                status,
            } => leaving.entry(*status).or_default().push(*enrolment_id),
            SchoolingChange::Enrol {
                person_id,
                school_id,
                grade,
                stage,
                closes,
            } => {
                if let Some(closed) = closes {
                    leaving
                        .entry(SchoolEnrolmentStatus::TransferredOut)
                        .or_default()
                        .push(closed.id);
                }
                new_enrolments.push(school_enrolment::ActiveModel {
                    person_id: Set(*person_id),
                    school_id: Set(*school_id),
                    stage: Set(stage.code().to_string()),
                    grade: Set(*grade),
                    school_year: Set(domain::import::school_year_of(today)),
                    status: Set(SchoolEnrolmentStatus::Enrolled.code().to_string()),
                    enrolled_on: Set(today),
                    left_on: Set(None),
                    transferred_from_school_id: Set(closes.map(|closed| closed.school_id)),
                    record_at_school: Set(true),
                    leaving_reason: Set(None),
                    aid_fen: Set(None),
                    version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                    created_by: Set(actor.user_id),
                    updated_by: Set(actor.user_id),
                    ..Default::default()
                });
            }
        }
    }
    let transaction = begin_write(db).await?;
    let mut updated = 0usize;
    for ((grade, stage), ids) in &regrades {
        for chunk in ids.chunks(BATCH) {
            let result = school_enrolment::Entity::update_many()
                .col_expr(school_enrolment::Column::Grade, Expr::value(*grade))
                .col_expr(school_enrolment::Column::Stage, Expr::value(stage.code()))
                .col_expr(
                    school_enrolment::Column::Version,
                    Expr::col(school_enrolment::Column::Version).add(1),
                )
                .col_expr(school_enrolment::Column::UpdatedAt, Expr::value(now))
                .col_expr(
                    school_enrolment::Column::UpdatedBy,
                    Expr::value(actor.user_id),
                )
                .filter(school_enrolment::Column::Id.is_in(chunk.iter().copied()))
                .exec(&transaction)
                .await?;
            updated += usize::try_from(result.rows_affected).unwrap_or(usize::MAX);
        }
    }
    for (status, ids) in &leaving {
        let reason = if *status == SchoolEnrolmentStatus::TransferredOut {
            "转学（台账导入）"
        } else {
            "台账导入"
        };
        for chunk in ids.chunks(BATCH) {
            let result = school_enrolment::Entity::update_many()
                .col_expr(school_enrolment::Column::Status, Expr::value(status.code()))
                .col_expr(school_enrolment::Column::LeftOn, Expr::value(today))
                .col_expr(school_enrolment::Column::LeavingReason, Expr::value(reason))
                .col_expr(
                    school_enrolment::Column::Version,
                    Expr::col(school_enrolment::Column::Version).add(1),
                )
                .col_expr(school_enrolment::Column::UpdatedAt, Expr::value(now))
                .col_expr(
                    school_enrolment::Column::UpdatedBy,
                    Expr::value(actor.user_id),
                )
                .filter(school_enrolment::Column::Id.is_in(chunk.iter().copied()))
                .exec(&transaction)
                .await?;
            updated += usize::try_from(result.rows_affected).unwrap_or(usize::MAX);
        }
    }
    let created = new_enrolments.len();
    for chunk in new_enrolments.chunks(BATCH) {
        school_enrolment::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&transaction)
            .await?;
    }
    refresh_alerts(&transaction, AlertScope::Persons(person_ids.clone())).await?;
    let counts = ImportCounts {
        enrolments_created: created,
        enrolments_updated: updated,
        ..ImportCounts::default()
    };
    let detail = serde_json::json!({
        "kind": "schooling",
        "enrolmentsCreated": counts.enrolments_created,
        "enrolmentsUpdated": counts.enrolments_updated,
    });
    super::audit::record(
        &transaction,
        AuditEntry::system("import.schooling", "SchoolEnrolment", None)
            .changed("Person", ChangeKind::Updated, person_ids)
            .actor(actor.user_id, &actor.label)
            .roles(&actor.role_codes)
            .detail(detail.to_string()),
    )
    .await?;
    transaction.commit().await?;
    Ok(counts)
}
