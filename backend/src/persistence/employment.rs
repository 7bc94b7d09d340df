//! Queries and writes of annex 2: the job database, one-to-one job pushes to zero-employment
//! households, employment spells (which keep `person.employment_status` in step), training
//! institutions, classes and enrolments, and the working-day calendar. Each write is one
//! transaction with its audit entry and an alert refresh.
use super::database::begin_write;
use super::scope::sites_of_towns;
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, Set,
};

use domain::employment::{
    check_push, check_push_outcome_change, check_spell_dates, employment_status_from_spells,
    JobPostingStatus, JobPushOutcome,
};
use domain::person::{EmploymentStatus, LabourCapacity};

use super::alerts::{refresh_alerts, AlertScope};
use super::entities::{
    employment_spell, household, job_posting, job_push, person, training_allowance_payment,
    training_class, training_enrolment, training_institution, working_day_calendar,
};
use super::paging::{PageDirection, PageRequest};
use super::registry::Page;
use super::registry_writes::{audit, Actor};
use crate::error::{ApiError, ApiResult};

// ---------------------------------------------------------------- paging

/// Keyset paging on the id alone: rows past the cursor, one extra to learn whether more exist.
fn by_id<E: EntityTrait>(mut select: Select<E>, id: E::Column, page: &PageRequest) -> Select<E> {
    let forward = page.direction == PageDirection::Forward;
    if let Some(cursor) = &page.cursor {
        select = select.filter(if forward {
            id.gt(cursor.id)
        } else {
            id.lt(cursor.id)
        });
    }
    let select = if forward {
        select.order_by_asc(id)
    } else {
        select.order_by_desc(id)
    };
    select.limit(page.size + 1)
}

/// Trims the extra row and restores display order (ascending id).
fn into_page<M>(mut rows: Vec<M>, page: &PageRequest) -> Page<M> {
    let has_more = rows.len() as u64 > page.size;
    rows.truncate(page.size as usize);
    if page.direction == PageDirection::Backward {
        rows.reverse();
    }
    Page { rows, has_more }
}

// ---------------------------------------------------------------- job database

/// Which postings a list shows. A town-scoped principal sees the district database and its
/// own towns' databases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobPostingFilter {
    pub level: Option<&'static str>,
    pub town_id: Option<i64>,
    pub statuses: Vec<&'static str>,
    pub employment_type: Option<&'static str>,
    pub scope_town_ids: Option<Vec<i64>>,
}

impl JobPostingFilter {
    fn apply(&self, mut select: Select<job_posting::Entity>) -> Select<job_posting::Entity> {
        if let Some(level) = self.level {
            select = select.filter(job_posting::Column::Level.eq(level));
        }
        if let Some(town_id) = self.town_id {
            select = select.filter(job_posting::Column::TownId.eq(town_id));
        }
        if !self.statuses.is_empty() {
            select = select.filter(job_posting::Column::Status.is_in(self.statuses.clone()));
        }
        if let Some(kind) = self.employment_type {
            select = select.filter(job_posting::Column::EmploymentType.eq(kind));
        }
        if let Some(towns) = &self.scope_town_ids {
            select = select.filter(
                Condition::any()
                    .add(job_posting::Column::Level.eq("district"))
                    .add(job_posting::Column::TownId.is_in(towns.clone())),
            );
        }
        select
    }
}

pub async fn job_posting_page(
    db: &impl ConnectionTrait,
    filter: &JobPostingFilter,
    page: &PageRequest,
) -> ApiResult<Page<job_posting::Model>> {
    let select = filter.apply(job_posting::Entity::find());
    let rows = by_id(select, job_posting::Column::Id, page).all(db).await?;
    Ok(into_page(rows, page))
}

pub async fn count_job_postings(
    db: &impl ConnectionTrait,
    filter: &JobPostingFilter,
) -> ApiResult<u64> {
    Ok(filter.apply(job_posting::Entity::find()).count(db).await?)
}

pub async fn find_job_posting(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<job_posting::Model>> {
    Ok(job_posting::Entity::find_by_id(id).one(db).await?)
}

/// Postings by id, in one statement.
pub async fn job_postings_by_id(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> ApiResult<HashMap<i64, job_posting::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(job_posting::Entity::find()
        .filter(job_posting::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|posting| (posting.id, posting))
        .collect())
}

/// A validated posting to store.
#[derive(Debug, Clone)]
pub struct NewJobPosting {
    pub level: &'static str,
    pub town_id: Option<i64>,
    pub employer_name: String,
    pub title: String,
    pub employment_type: &'static str,
    pub location: String,
    pub vacancies: i32,
    pub monthly_wage_min_fen: Option<i64>,
    pub monthly_wage_max_fen: Option<i64>,
    pub requirements: String,
    pub contact_phone: Option<String>,
    pub published_on: NaiveDate,
    pub closes_on: Option<NaiveDate>,
    pub owning_bureau_id: Option<i64>,
}

/// Changes to a posting; `None` keeps a field, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct JobPostingChanges {
    pub employer_name: Option<String>,
    pub title: Option<String>,
    pub employment_type: Option<&'static str>,
    pub location: Option<String>,
    pub vacancies: Option<i32>,
    pub monthly_wage_min_fen: Option<Option<i64>>,
    pub monthly_wage_max_fen: Option<Option<i64>>,
    pub requirements: Option<String>,
    pub contact_phone: Option<Option<String>>,
    pub closes_on: Option<Option<NaiveDate>>,
    pub status: Option<&'static str>,
}

fn check_wages_and_dates(
    wage_min: Option<i64>,
    wage_max: Option<i64>,
    published_on: NaiveDate,
    closes_on: Option<NaiveDate>,
) -> ApiResult<()> {
    if let (Some(min), Some(max)) = (wage_min, wage_max) {
        if min > max {
            return Err(ApiError::invalid(
                "input.monthlyWageMin",
                "the minimum monthly wage is more than the maximum; swap them or correct one",
            ));
        }
    }
    if let Some(closes_on) = closes_on {
        if closes_on < published_on {
            return Err(ApiError::invalid(
                "input.closesOn",
                format!(
                    "the posting closes on {closes_on}, before it was published on {published_on}"
                ),
            ));
        }
    }
    Ok(())
}

pub async fn create_job_posting(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewJobPosting,
) -> ApiResult<job_posting::Model> {
    check_wages_and_dates(
        new.monthly_wage_min_fen,
        new.monthly_wage_max_fen,
        new.published_on,
        new.closes_on,
    )?;
    let transaction = begin_write(db).await?;
    let now = Utc::now();
    let created = job_posting::ActiveModel {
        level: Set(new.level.to_string()),
        town_id: Set(new.town_id),
        employer_name: Set(new.employer_name),
        title: Set(new.title),
        employment_type: Set(new.employment_type.to_string()),
        location: Set(new.location),
        vacancies: Set(new.vacancies),
        monthly_wage_min_fen: Set(new.monthly_wage_min_fen),
        monthly_wage_max_fen: Set(new.monthly_wage_max_fen),
        requirements: Set(new.requirements),
        contact_phone: Set(new.contact_phone),
        published_on: Set(new.published_on),
        closes_on: Set(new.closes_on),
        status: Set(JobPostingStatus::Open.code().to_string()),
        owning_bureau_id: Set(new.owning_bureau_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "job_posting.create",
        "JobPosting",
        created.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(created)
}

pub async fn update_job_posting(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    changes: JobPostingChanges,
) -> ApiResult<job_posting::Model> {
    let transaction = begin_write(db).await?;
    let current = job_posting::Entity::find_by_id(id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("job posting", "with this ID"))?;
    if current.version != expected_version {
        return Err(ApiError::stale_version("job posting", id, expected_version));
    }
    check_wages_and_dates(
        changes
            .monthly_wage_min_fen
            .unwrap_or(current.monthly_wage_min_fen),
        changes
            .monthly_wage_max_fen
            .unwrap_or(current.monthly_wage_max_fen),
        current.published_on,
        changes.closes_on.unwrap_or(current.closes_on),
    )?;
    let mut update = job_posting::ActiveModel {
        id: Set(id),
        version: Set(expected_version + 1),
        updated_at: Set(Utc::now()),
        updated_by: Set(actor.user_id),
        ..Default::default()
    };
    if let Some(value) = changes.employer_name {
        update.employer_name = Set(value);
    }
    if let Some(value) = changes.title {
        update.title = Set(value);
    }
    if let Some(value) = changes.employment_type {
        update.employment_type = Set(value.to_string());
    }
    if let Some(value) = changes.location {
        update.location = Set(value);
    }
    if let Some(value) = changes.vacancies {
        update.vacancies = Set(value);
    }
    if let Some(value) = changes.monthly_wage_min_fen {
        update.monthly_wage_min_fen = Set(value);
    }
    if let Some(value) = changes.monthly_wage_max_fen {
        update.monthly_wage_max_fen = Set(value);
    }
    if let Some(value) = changes.requirements {
        update.requirements = Set(value);
    }
    if let Some(value) = changes.contact_phone {
        update.contact_phone = Set(value);
    }
    if let Some(value) = changes.closes_on {
        update.closes_on = Set(value);
    }
    let action = match changes.status {
        Some(status) => {
            update.status = Set(status.to_string());
            "job_posting.status"
        }
        None => "job_posting.update",
    };
    let result = job_posting::Entity::update_many()
        .set(update)
        .filter(job_posting::Column::Id.eq(id))
        .filter(job_posting::Column::Version.eq(expected_version))
        .exec(&transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::stale_version("job posting", id, expected_version));
    }
    audit(&transaction, actor, action, "JobPosting", id, None).await?;
    let updated = job_posting::Entity::find_by_id(id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("job posting", "with this ID"))?;
    transaction.commit().await?;
    Ok(updated)
}

// ---------------------------------------------------------------- zero-employment households

/// `household.id IN (households with labour and nobody employed)`: the SQL form of
/// `domain::employment::is_zero_employment_household` (A2§1), so that the list can be paged
/// and counted in the database; the integration tests check both agree on the demo data.
fn zero_employment_condition() -> sea_orm::sea_query::SimpleExpr {
    Expr::cust(
        "household.id IN (SELECT zp.household_id FROM person zp WHERE zp.archived_at IS NULL \
         GROUP BY zp.household_id \
         HAVING SUM(CASE WHEN zp.labour_capacity IN ('full', 'partial') THEN 1 ELSE 0 END) > 0 \
         AND SUM(CASE WHEN zp.employment_status = 'employed' THEN 1 ELSE 0 END) = 0)",
    )
}

/// Which zero-employment households to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZeroEmploymentFilter {
    pub site_id: Option<i64>,
    pub town_id: Option<i64>,
    pub scope_town_ids: Option<Vec<i64>>,
}

impl ZeroEmploymentFilter {
    fn apply(&self) -> Select<household::Entity> {
        let mut select = household::Entity::find()
            .filter(household::Column::ArchivedAt.is_null())
            .filter(zero_employment_condition());
        if let Some(site_id) = self.site_id {
            select = select.filter(household::Column::SiteId.eq(site_id));
        }
        if let Some(town_id) = self.town_id {
            select =
                select.filter(household::Column::SiteId.in_subquery(sites_of_towns(&[town_id])));
        }
        if let Some(towns) = &self.scope_town_ids {
            select = select.filter(household::Column::SiteId.in_subquery(sites_of_towns(towns)));
        }
        select
    }
}

pub async fn zero_employment_household_page(
    db: &impl ConnectionTrait,
    filter: &ZeroEmploymentFilter,
    page: &PageRequest,
) -> ApiResult<Page<household::Model>> {
    let rows = by_id(filter.apply(), household::Column::Id, page)
        .all(db)
        .await?;
    Ok(into_page(rows, page))
}

pub async fn count_zero_employment_households(
    db: &impl ConnectionTrait,
    filter: &ZeroEmploymentFilter,
) -> ApiResult<u64> {
    Ok(filter.apply().count(db).await?)
}

/// The pushes to each of several households, newest first, in one statement.
pub async fn pushes_of_households(
    db: &impl ConnectionTrait,
    household_ids: &[i64],
) -> ApiResult<HashMap<i64, Vec<job_push::Model>>> {
    if household_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let pushes = job_push::Entity::find()
        .filter(job_push::Column::HouseholdId.is_in(household_ids.iter().copied()))
        .order_by_desc(job_push::Column::PushedOn)
        .order_by_desc(job_push::Column::Id)
        .all(db)
        .await?;
    let mut by_household: HashMap<i64, Vec<job_push::Model>> = HashMap::new();
    for push in pushes {
        by_household
            .entry(push.household_id)
            .or_default()
            .push(push);
    }
    Ok(by_household)
}

/// Persons by id, in one statement.
pub async fn persons_by_id(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> ApiResult<HashMap<i64, person::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|person| (person.id, person))
        .collect())
}

/// The household a push went to (for row-scope checks).
pub async fn household_of_push(db: &impl ConnectionTrait, push_id: i64) -> ApiResult<Option<i64>> {
    Ok(job_push::Entity::find_by_id(push_id)
        .select_only()
        .column(job_push::Column::HouseholdId)
        .into_tuple::<i64>()
        .one(db)
        .await?)
}

/// A validated push to store.
#[derive(Debug, Clone)]
pub struct NewJobPush {
    pub job_posting_id: i64,
    pub household_id: i64,
    pub person_id: Option<i64>,
    pub pushed_on: NaiveDate,
    pub method: &'static str,
    pub notes: String,
}

/// Pushes a job one-to-one to a household or one of its members (A2§1).
pub async fn push_job(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewJobPush,
    today: NaiveDate,
) -> ApiResult<job_push::Model> {
    if new.pushed_on > today {
        return Err(ApiError::invalid(
            "input.pushedOn",
            format!("{} is in the future (today is {today})", new.pushed_on),
        ));
    }
    let transaction = begin_write(db).await?;
    let posting = job_posting::Entity::find_by_id(new.job_posting_id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::invalid("input.jobPostingId", "no job posting has this ID"))?;
    let posting_status = JobPostingStatus::from_code(&posting.status)
        .ok_or_else(|| corrupt("job_posting.status", &posting.status))?;
    let household = household::Entity::find_by_id(new.household_id)
        .one(&transaction)
        .await?
        .filter(|household| household.archived_at.is_none())
        .ok_or_else(|| {
            ApiError::invalid("input.householdId", "no current household has this ID")
        })?;
    let members = person::Entity::find()
        .filter(person::Column::HouseholdId.eq(household.id))
        .filter(person::Column::ArchivedAt.is_null())
        .all(&transaction)
        .await?;
    let capacity = match new.person_id {
        Some(person_id) => {
            let member = members
                .iter()
                .find(|member| member.id == person_id)
                .ok_or_else(|| {
                    ApiError::invalid(
                        "input.personId",
                        "this person is not a current member of the household",
                    )
                })?;
            labour_of(member)?
        }
        // A push to the household as a whole needs someone with labour in it.
        None => {
            let mut best = LabourCapacity::None;
            for member in &members {
                if labour_of(member)?.has_labour() {
                    best = LabourCapacity::Full;
                }
            }
            best
        }
    };
    check_push(capacity, posting_status).map_err(|error| {
        let field = match error {
            domain::employment::EmploymentError::NoLabourCapacity => "input.personId",
            _ => "input.jobPostingId",
        };
        ApiError::invalid(field, error)
    })?;
    let now = Utc::now();
    let created = job_push::ActiveModel {
        job_posting_id: Set(new.job_posting_id),
        household_id: Set(new.household_id),
        person_id: Set(new.person_id),
        pushed_on: Set(new.pushed_on),
        pushed_by_user_id: Set(actor.user_id),
        method: Set(new.method.to_string()),
        outcome: Set(JobPushOutcome::Pending.code().to_string()),
        outcome_on: Set(None),
        notes: Set(new.notes),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "job_push.create",
        "JobPush",
        created.id,
        None,
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Households(vec![new.household_id])).await?;
    transaction.commit().await?;
    Ok(created)
}

/// The outcome of a push; a hire also opens the employment spell it led to.
#[derive(Debug, Clone)]
pub struct PushOutcome {
    pub outcome: JobPushOutcome,
    pub outcome_on: NaiveDate,
    pub notes: Option<String>,
    /// For a hire: the monthly income, if known.
    pub monthly_income_fen: Option<i64>,
}

/// Records what came of a push (A2§1). A hire opens an employment spell of the pushed person
/// with the posting's type and employer, makes the person employed and so resolves a
/// zero-employment household — all in this one transaction.
pub async fn record_push_outcome(
    db: &DatabaseConnection,
    actor: &Actor,
    push_id: i64,
    expected_version: i32,
    outcome: PushOutcome,
    today: NaiveDate,
) -> ApiResult<job_push::Model> {
    let transaction = begin_write(db).await?;
    let current = job_push::Entity::find_by_id(push_id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("job push", "with this ID"))?;
    if current.version != expected_version {
        return Err(ApiError::stale_version(
            "job push",
            push_id,
            expected_version,
        ));
    }
    let from = JobPushOutcome::from_code(&current.outcome)
        .ok_or_else(|| corrupt("job_push.outcome", &current.outcome))?;
    check_push_outcome_change(from, outcome.outcome)
        .map_err(|error| ApiError::invalid("input.outcome", error))?;
    if outcome.outcome_on < current.pushed_on || outcome.outcome_on > today {
        return Err(ApiError::invalid(
            "input.outcomeOn",
            format!(
                "the outcome date must lie between the push on {} and today ({today})",
                current.pushed_on
            ),
        ));
    }
    let mut update = job_push::ActiveModel {
        id: Set(push_id),
        outcome: Set(outcome.outcome.code().to_string()),
        outcome_on: Set(Some(outcome.outcome_on)),
        version: Set(expected_version + 1),
        updated_at: Set(Utc::now()),
        updated_by: Set(actor.user_id),
        ..Default::default()
    };
    if let Some(notes) = outcome.notes {
        update.notes = Set(notes);
    }
    let result = job_push::Entity::update_many()
        .set(update)
        .filter(job_push::Column::Id.eq(push_id))
        .filter(job_push::Column::Version.eq(expected_version))
        .exec(&transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::stale_version(
            "job push",
            push_id,
            expected_version,
        ));
    }
    audit(
        &transaction,
        actor,
        "job_push.outcome",
        "JobPush",
        push_id,
        Some(outcome.outcome.code().to_string()),
    )
    .await?;
    if outcome.outcome == JobPushOutcome::Hired {
        let Some(person_id) = current.person_id else {
            return Err(ApiError::invalid(
                "input.outcome",
                "this push went to the household as a whole; push the job to the member who was hired and record the hire there",
            ));
        };
        let posting = job_posting::Entity::find_by_id(current.job_posting_id)
            .one(&transaction)
            .await?
            .ok_or_else(|| ApiError::not_found("job posting", current.job_posting_id))?;
        let spell = NewSpell {
            employment_type: domain::employment::EmploymentType::from_code(
                &posting.employment_type,
            )
            .ok_or_else(|| corrupt("job_posting.employment_type", &posting.employment_type))?
            .code(),
            employer_name: posting.employer_name.clone(),
            location: posting.location.clone(),
            job_posting_id: Some(posting.id),
            job_push_id: Some(push_id),
            starts_on: outcome.outcome_on,
            monthly_income_fen: outcome.monthly_income_fen,
        };
        insert_spell(&transaction, actor, person_id, spell, today).await?;
    }
    refresh_alerts(
        &transaction,
        AlertScope::Households(vec![current.household_id]),
    )
    .await?;
    let updated = job_push::Entity::find_by_id(push_id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("job push", "with this ID"))?;
    transaction.commit().await?;
    Ok(updated)
}

// ---------------------------------------------------------------- employment spells

/// A person's spells, current ones first, then newest first.
pub async fn spells_of_person(
    db: &impl ConnectionTrait,
    person_id: i64,
) -> ApiResult<Vec<employment_spell::Model>> {
    Ok(spells_of_persons(db, &[person_id])
        .await?
        .remove(&person_id)
        .unwrap_or_default())
}

/// The employment spells of each of `person_ids` (one statement): current spells first, then
/// the newest.
pub async fn spells_of_persons(
    db: &impl ConnectionTrait,
    person_ids: &[i64],
) -> Result<HashMap<i64, Vec<employment_spell::Model>>, sea_orm::DbErr> {
    let rows = employment_spell::Entity::find()
        .filter(employment_spell::Column::PersonId.is_in(person_ids.iter().copied()))
        .order_by_desc(employment_spell::Column::StartsOn)
        .order_by_desc(employment_spell::Column::Id)
        .all(db)
        .await?;
    let mut by_person = super::group(rows, |row| row.person_id);
    for spells in by_person.values_mut() {
        spells.sort_by_key(|spell| spell.ends_on.is_some());
    }
    Ok(by_person)
}

/// The training enrolments of each of `person_ids` (one statement), oldest first.
pub async fn training_enrolments_of_persons(
    db: &impl ConnectionTrait,
    person_ids: &[i64],
) -> Result<HashMap<i64, Vec<training_enrolment::Model>>, sea_orm::DbErr> {
    let rows = training_enrolment::Entity::find()
        .filter(training_enrolment::Column::PersonId.is_in(person_ids.iter().copied()))
        .order_by_asc(training_enrolment::Column::EnrolledOn)
        .order_by_asc(training_enrolment::Column::Id)
        .all(db)
        .await?;
    Ok(super::group(rows, |row| row.person_id))
}

/// Training classes by id (one statement).
pub async fn classes_by_id(
    db: &impl ConnectionTrait,
    class_ids: &[i64],
) -> Result<Vec<training_class::Model>, sea_orm::DbErr> {
    training_class::Entity::find()
        .filter(training_class::Column::Id.is_in(class_ids.iter().copied()))
        .all(db)
        .await
}

/// The person a spell belongs to (for row-scope checks).
pub async fn person_of_spell(db: &impl ConnectionTrait, spell_id: i64) -> ApiResult<Option<i64>> {
    Ok(employment_spell::Entity::find_by_id(spell_id)
        .select_only()
        .column(employment_spell::Column::PersonId)
        .into_tuple::<i64>()
        .one(db)
        .await?)
}

/// A validated spell to store.
#[derive(Debug, Clone)]
pub struct NewSpell {
    pub employment_type: &'static str,
    pub employer_name: String,
    pub location: String,
    pub job_posting_id: Option<i64>,
    pub job_push_id: Option<i64>,
    pub starts_on: NaiveDate,
    pub monthly_income_fen: Option<i64>,
}

/// Opens an employment spell; the person becomes employed in the same transaction.
pub async fn add_employment_spell(
    db: &DatabaseConnection,
    actor: &Actor,
    person_id: i64,
    new: NewSpell,
    today: NaiveDate,
) -> ApiResult<employment_spell::Model> {
    let transaction = begin_write(db).await?;
    if let Some(posting_id) = new.job_posting_id {
        if job_posting::Entity::find_by_id(posting_id)
            .one(&transaction)
            .await?
            .is_none()
        {
            return Err(ApiError::invalid(
                "input.jobPostingId",
                "no job posting has this ID",
            ));
        }
    }
    let spell = insert_spell(&transaction, actor, person_id, new, today).await?;
    transaction.commit().await?;
    Ok(spell)
}

async fn insert_spell(
    transaction: &DatabaseTransaction,
    actor: &Actor,
    person_id: i64,
    new: NewSpell,
    today: NaiveDate,
) -> ApiResult<employment_spell::Model> {
    check_spell_dates(new.starts_on, None, today)
        .map_err(|error| ApiError::invalid("input.startsOn", error))?;
    let person = current_person(transaction, person_id).await?;
    let now = Utc::now();
    let created = employment_spell::ActiveModel {
        person_id: Set(person_id),
        employment_type: Set(new.employment_type.to_string()),
        employer_name: Set(new.employer_name),
        location: Set(new.location),
        job_posting_id: Set(new.job_posting_id),
        job_push_id: Set(new.job_push_id),
        starts_on: Set(new.starts_on),
        ends_on: Set(None),
        monthly_income_fen: Set(new.monthly_income_fen),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(transaction)
    .await?;
    audit(
        transaction,
        actor,
        "employment_spell.create",
        "EmploymentSpell",
        created.id,
        None,
    )
    .await?;
    sync_employment_status(transaction, actor, &person).await?;
    Ok(created)
}

/// Ends a spell; when it was the person's last open one, the person becomes unemployed.
pub async fn end_employment_spell(
    db: &DatabaseConnection,
    actor: &Actor,
    spell_id: i64,
    expected_version: i32,
    ends_on: NaiveDate,
    today: NaiveDate,
) -> ApiResult<employment_spell::Model> {
    let transaction = begin_write(db).await?;
    let current = employment_spell::Entity::find_by_id(spell_id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("employment spell", "with this ID"))?;
    if current.version != expected_version {
        return Err(ApiError::stale_version(
            "employment spell",
            spell_id,
            expected_version,
        ));
    }
    if current.ends_on.is_some() {
        return Err(ApiError::Conflict(format!(
            "employment spell {spell_id} has already ended"
        )));
    }
    check_spell_dates(current.starts_on, Some(ends_on), today)
        .map_err(|error| ApiError::invalid("input.endsOn", error))?;
    let person = current_person(&transaction, current.person_id).await?;
    let result = employment_spell::Entity::update_many()
        .col_expr(employment_spell::Column::EndsOn, Expr::value(ends_on))
        .col_expr(
            employment_spell::Column::Version,
            Expr::value(expected_version + 1),
        )
        .col_expr(employment_spell::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(
            employment_spell::Column::UpdatedBy,
            Expr::value(actor.user_id),
        )
        .filter(employment_spell::Column::Id.eq(spell_id))
        .filter(employment_spell::Column::Version.eq(expected_version))
        .exec(&transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::stale_version(
            "employment spell",
            spell_id,
            expected_version,
        ));
    }
    audit(
        &transaction,
        actor,
        "employment_spell.end",
        "EmploymentSpell",
        spell_id,
        None,
    )
    .await?;
    sync_employment_status(&transaction, actor, &person).await?;
    let updated = employment_spell::Entity::find_by_id(spell_id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("employment spell", "with this ID"))?;
    transaction.commit().await?;
    Ok(updated)
}

async fn current_person(
    transaction: &DatabaseTransaction,
    person_id: i64,
) -> ApiResult<person::Model> {
    person::Entity::find_by_id(person_id)
        .one(transaction)
        .await?
        .filter(|person| person.archived_at.is_none())
        .ok_or_else(|| ApiError::invalid("input.personId", "no current person has this ID"))
}

/// Sets `person.employment_status` from the person's open spells (A2§1–2), bumping its
/// version and auditing the change, and refreshes the household's alerts.
async fn sync_employment_status(
    transaction: &DatabaseTransaction,
    actor: &Actor,
    person: &person::Model,
) -> ApiResult<()> {
    let open = employment_spell::Entity::find()
        .filter(employment_spell::Column::PersonId.eq(person.id))
        .filter(employment_spell::Column::EndsOn.is_null())
        .count(transaction)
        .await?;
    let current = EmploymentStatus::from_code(&person.employment_status)
        .ok_or_else(|| corrupt("person.employment_status", &person.employment_status))?;
    let next = employment_status_from_spells(current, usize::try_from(open).unwrap_or(usize::MAX));
    if next != current {
        person::Entity::update_many()
            .col_expr(person::Column::EmploymentStatus, Expr::value(next.code()))
            .col_expr(
                person::Column::Version,
                Expr::col(person::Column::Version).add(1),
            )
            .col_expr(person::Column::UpdatedAt, Expr::value(Utc::now()))
            .col_expr(person::Column::UpdatedBy, Expr::value(actor.user_id))
            .filter(person::Column::Id.eq(person.id))
            .exec(transaction)
            .await?;
        audit(
            transaction,
            actor,
            "person.employment_status",
            "Person",
            person.id,
            Some(format!(
                "{} → {} (from employment spells)",
                current.code(),
                next.code()
            )),
        )
        .await?;
    }
    refresh_alerts(transaction, AlertScope::Persons(vec![person.id])).await?;
    refresh_alerts(
        transaction,
        AlertScope::Households(vec![person.household_id]),
    )
    .await?;
    Ok(())
}

fn labour_of(member: &person::Model) -> ApiResult<LabourCapacity> {
    LabourCapacity::from_code(&member.labour_capacity)
        .ok_or_else(|| corrupt("person.labour_capacity", &member.labour_capacity))
}

fn corrupt(column: &str, value: &str) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("unknown code {value:?} in column {column}"))
}

// ---------------------------------------------------------------- training

pub async fn all_institutions(
    db: &impl ConnectionTrait,
) -> ApiResult<Vec<training_institution::Model>> {
    Ok(training_institution::Entity::find()
        .order_by_asc(training_institution::Column::Id)
        .all(db)
        .await?)
}

#[derive(Debug, Clone)]
pub struct NewInstitution {
    pub code: String,
    pub name: String,
    pub licence_no: Option<String>,
    pub contact_phone: Option<String>,
    pub address: String,
}

pub async fn create_institution(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewInstitution,
) -> ApiResult<training_institution::Model> {
    let transaction = begin_write(db).await?;
    let exists = training_institution::Entity::find()
        .filter(training_institution::Column::Code.eq(new.code.clone()))
        .count(&transaction)
        .await?;
    if exists > 0 {
        return Err(ApiError::Conflict(format!(
            "a training institution with code {} already exists",
            new.code
        )));
    }
    let now = Utc::now();
    let created = training_institution::ActiveModel {
        code: Set(new.code),
        name: Set(new.name),
        licence_no: Set(new.licence_no),
        contact_phone: Set(new.contact_phone),
        address: Set(new.address),
        active: Set(true),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "training_institution.create",
        "TrainingInstitution",
        created.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(created)
}

/// Which classes to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrainingClassFilter {
    pub institution_id: Option<i64>,
    /// Classes starting in this calendar year.
    pub year: Option<i32>,
}

impl TrainingClassFilter {
    fn apply(&self) -> Select<training_class::Entity> {
        let mut select = training_class::Entity::find();
        if let Some(id) = self.institution_id {
            select = select.filter(training_class::Column::InstitutionId.eq(id));
        }
        if let Some(year) = self.year {
            if let (Some(first), Some(last)) = (
                NaiveDate::from_ymd_opt(year, 1, 1),
                NaiveDate::from_ymd_opt(year, 12, 31),
            ) {
                select = select
                    .filter(training_class::Column::StartsOn.gte(first))
                    .filter(training_class::Column::StartsOn.lte(last));
            }
        }
        select
    }
}

pub async fn training_class_page(
    db: &impl ConnectionTrait,
    filter: &TrainingClassFilter,
    page: &PageRequest,
) -> ApiResult<Page<training_class::Model>> {
    let rows = by_id(filter.apply(), training_class::Column::Id, page)
        .all(db)
        .await?;
    Ok(into_page(rows, page))
}

pub async fn count_training_classes(
    db: &impl ConnectionTrait,
    filter: &TrainingClassFilter,
) -> ApiResult<u64> {
    Ok(filter.apply().count(db).await?)
}

pub async fn find_training_class(
    db: &impl ConnectionTrait,
    id: i64,
) -> ApiResult<Option<training_class::Model>> {
    Ok(training_class::Entity::find_by_id(id).one(db).await?)
}

/// The enrolments of several classes (within the principal's towns when scoped), by class,
/// in one statement.
pub async fn enrolments_of_classes(
    db: &impl ConnectionTrait,
    class_ids: &[i64],
    scope_town_ids: Option<&[i64]>,
) -> ApiResult<HashMap<i64, Vec<training_enrolment::Model>>> {
    if class_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut select = training_enrolment::Entity::find()
        .filter(training_enrolment::Column::ClassId.is_in(class_ids.iter().copied()));
    if let Some(towns) = scope_town_ids {
        select = select.filter(
            training_enrolment::Column::PersonId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(person::Column::Id)
                    .from(person::Entity)
                    .and_where(
                        person::Column::HouseholdId.in_subquery(
                            sea_orm::sea_query::Query::select()
                                .column(household::Column::Id)
                                .from(household::Entity)
                                .and_where(
                                    household::Column::SiteId.in_subquery(sites_of_towns(towns)),
                                )
                                .to_owned(),
                        ),
                    )
                    .to_owned(),
            ),
        );
    }
    let rows = select
        .order_by_asc(training_enrolment::Column::ClassId)
        .order_by_asc(training_enrolment::Column::Id)
        .all(db)
        .await?;
    let mut by_class: HashMap<i64, Vec<training_enrolment::Model>> = HashMap::new();
    for row in rows {
        by_class.entry(row.class_id).or_default().push(row);
    }
    Ok(by_class)
}

/// Allowance paid per class (fen), in one grouped statement.
pub async fn allowance_paid_by_class(
    db: &impl ConnectionTrait,
    class_ids: &[i64],
) -> ApiResult<HashMap<i64, i64>> {
    #[derive(FromQueryResult)]
    struct Row {
        class_id: i64,
        paid: i64,
    }
    if class_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = training_allowance_payment::Entity::find()
        .select_only()
        .column_as(training_enrolment::Column::ClassId, "class_id")
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(training_allowance_payment.amount_fen), 0) AS BIGINT)"),
            "paid",
        )
        .join(
            sea_orm::JoinType::InnerJoin,
            training_allowance_payment::Entity::belongs_to(training_enrolment::Entity)
                .from(training_allowance_payment::Column::EnrolmentId)
                .to(training_enrolment::Column::Id)
                .into(),
        )
        .filter(training_enrolment::Column::ClassId.is_in(class_ids.iter().copied()))
        .group_by(training_enrolment::Column::ClassId)
        .into_model::<Row>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| (row.class_id, row.paid))
        .collect())
}

#[derive(Debug, Clone)]
pub struct NewTrainingClass {
    pub institution_id: i64,
    pub code: String,
    pub name: String,
    pub speciality: String,
    pub kind: &'static str,
    pub allowance_category: &'static str,
    pub class_hours: i32,
    pub courses: String,
    pub capacity: Option<i32>,
    pub filed_on: Option<NaiveDate>,
    pub filing_reference: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

pub async fn create_training_class(
    db: &DatabaseConnection,
    actor: &Actor,
    new: NewTrainingClass,
) -> ApiResult<training_class::Model> {
    let transaction = begin_write(db).await?;
    if training_institution::Entity::find_by_id(new.institution_id)
        .one(&transaction)
        .await?
        .is_none()
    {
        return Err(ApiError::invalid(
            "input.institutionId",
            "no training institution has this ID",
        ));
    }
    let taken = training_class::Entity::find()
        .filter(training_class::Column::Code.eq(new.code.clone()))
        .count(&transaction)
        .await?;
    if taken > 0 {
        return Err(ApiError::Conflict(format!(
            "a training class with code {} already exists",
            new.code
        )));
    }
    let now = Utc::now();
    let status = if new.filed_on.is_some() {
        "filed"
    } else {
        "planned"
    };
    let created = training_class::ActiveModel {
        institution_id: Set(new.institution_id),
        code: Set(new.code),
        name: Set(new.name),
        speciality: Set(new.speciality),
        kind: Set(new.kind.to_string()),
        allowance_category: Set(new.allowance_category.to_string()),
        class_hours: Set(new.class_hours),
        courses: Set(new.courses),
        capacity: Set(new.capacity),
        filed_on: Set(new.filed_on),
        filing_reference: Set(new.filing_reference),
        starts_on: Set(new.starts_on),
        ends_on: Set(new.ends_on),
        remote_monitored: Set(false),
        status: Set(status.to_string()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "training_class.create",
        "TrainingClass",
        created.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(created)
}

/// Records the filing of a class plan with HR&SS (A2§3.1).
pub async fn file_training_class(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    filed_on: NaiveDate,
    filing_reference: Option<String>,
) -> ApiResult<training_class::Model> {
    let transaction = begin_write(db).await?;
    let current = training_class::Entity::find_by_id(id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("training class", "with this ID"))?;
    if current.version != expected_version {
        return Err(ApiError::stale_version(
            "training class",
            id,
            expected_version,
        ));
    }
    if current.filed_on.is_some() {
        return Err(ApiError::Conflict(format!(
            "training class {} was already filed; a filing date is not changed afterwards",
            current.code
        )));
    }
    let status = if current.status == "planned" {
        "filed".to_string()
    } else {
        current.status.clone()
    };
    let result = training_class::Entity::update_many()
        .col_expr(training_class::Column::FiledOn, Expr::value(filed_on))
        .col_expr(
            training_class::Column::FilingReference,
            Expr::value(filing_reference),
        )
        .col_expr(training_class::Column::Status, Expr::value(status))
        .col_expr(
            training_class::Column::Version,
            Expr::value(expected_version + 1),
        )
        .col_expr(training_class::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(
            training_class::Column::UpdatedBy,
            Expr::value(actor.user_id),
        )
        .filter(training_class::Column::Id.eq(id))
        .filter(training_class::Column::Version.eq(expected_version))
        .exec(&transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::stale_version(
            "training class",
            id,
            expected_version,
        ));
    }
    audit(
        &transaction,
        actor,
        "training_class.file",
        "TrainingClass",
        id,
        None,
    )
    .await?;
    let updated = training_class::Entity::find_by_id(id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("training class", "with this ID"))?;
    transaction.commit().await?;
    Ok(updated)
}

/// Enrols a current person in a class.
pub async fn enrol_person(
    db: &DatabaseConnection,
    actor: &Actor,
    class_id: i64,
    person_id: i64,
    enrolled_on: NaiveDate,
) -> ApiResult<training_enrolment::Model> {
    let transaction = begin_write(db).await?;
    let class = training_class::Entity::find_by_id(class_id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::invalid("input.classId", "no training class has this ID"))?;
    current_person(&transaction, person_id).await?;
    let already = training_enrolment::Entity::find()
        .filter(training_enrolment::Column::ClassId.eq(class_id))
        .filter(training_enrolment::Column::PersonId.eq(person_id))
        .count(&transaction)
        .await?;
    if already > 0 {
        return Err(ApiError::Conflict(format!(
            "this person is already enrolled in class {}",
            class.code
        )));
    }
    if let Some(capacity) = class.capacity {
        let enrolled = training_enrolment::Entity::find()
            .filter(training_enrolment::Column::ClassId.eq(class_id))
            .count(&transaction)
            .await?;
        if enrolled >= u64::try_from(capacity).unwrap_or(0) {
            return Err(ApiError::Conflict(format!(
                "class {} is full ({capacity} places)",
                class.code
            )));
        }
    }
    let now = Utc::now();
    let created = training_enrolment::ActiveModel {
        class_id: Set(class_id),
        person_id: Set(person_id),
        enrolled_on: Set(enrolled_on),
        attended_days: Set(0),
        completed: Set(false),
        certificate_no: Set(None),
        employed_after_training: Set(false),
        employment_spell_id: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "training_enrolment.create",
        "TrainingEnrolment",
        created.id,
        None,
    )
    .await?;
    transaction.commit().await?;
    Ok(created)
}

/// Changes to an enrolment; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct EnrolmentChanges {
    pub attended_days: Option<u32>,
    pub completed: Option<bool>,
    pub certificate_no: Option<Option<String>>,
    pub employed_after_training: Option<bool>,
}

pub async fn update_enrolment(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    changes: EnrolmentChanges,
) -> ApiResult<training_enrolment::Model> {
    let transaction = begin_write(db).await?;
    let current = training_enrolment::Entity::find_by_id(id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("training enrolment", "with this ID"))?;
    if current.version != expected_version {
        return Err(ApiError::stale_version(
            "training enrolment",
            id,
            expected_version,
        ));
    }
    let class = training_class::Entity::find_by_id(current.class_id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("training class", current.class_id))?;
    let attended = changes
        .attended_days
        .unwrap_or(u32::try_from(current.attended_days).unwrap_or(0));
    let completed = changes.completed.unwrap_or(current.completed);
    domain::training::check_attendance(
        attended,
        completed,
        domain::training::class_days(class.starts_on, class.ends_on),
    )
    .map_err(|error| {
        let field = if changes.attended_days.is_some() {
            "input.attendedDays"
        } else {
            "input.completed"
        };
        ApiError::invalid(field, error)
    })?;
    let mut update = training_enrolment::ActiveModel {
        id: Set(id),
        version: Set(expected_version + 1),
        updated_at: Set(Utc::now()),
        updated_by: Set(actor.user_id),
        ..Default::default()
    };
    if changes.attended_days.is_some() {
        update.attended_days = Set(i32::try_from(attended).unwrap_or(i32::MAX));
    }
    if let Some(completed) = changes.completed {
        update.completed = Set(completed);
    }
    if let Some(certificate_no) = changes.certificate_no {
        update.certificate_no = Set(certificate_no);
    }
    if let Some(employed) = changes.employed_after_training {
        update.employed_after_training = Set(employed);
    }
    let result = training_enrolment::Entity::update_many()
        .set(update)
        .filter(training_enrolment::Column::Id.eq(id))
        .filter(training_enrolment::Column::Version.eq(expected_version))
        .exec(&transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::stale_version(
            "training enrolment",
            id,
            expected_version,
        ));
    }
    audit(
        &transaction,
        actor,
        "training_enrolment.update",
        "TrainingEnrolment",
        id,
        None,
    )
    .await?;
    refresh_alerts(&transaction, AlertScope::Persons(vec![current.person_id])).await?;
    let updated = training_enrolment::Entity::find_by_id(id)
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::not_found("training enrolment", "with this ID"))?;
    transaction.commit().await?;
    Ok(updated)
}

// ---------------------------------------------------------------- working-day calendar

/// The listed days from `from` through `through`, in date order.
pub async fn calendar_days_between(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    through: NaiveDate,
) -> ApiResult<Vec<working_day_calendar::Model>> {
    Ok(working_day_calendar::Entity::find()
        .filter(working_day_calendar::Column::Day.gte(from))
        .filter(working_day_calendar::Column::Day.lte(through))
        .order_by_asc(working_day_calendar::Column::Day)
        .all(db)
        .await?)
}

/// Lists a holiday or make-up working day (one row per day; the day is unique).
pub async fn add_calendar_day(
    db: &DatabaseConnection,
    actor: &Actor,
    day: NaiveDate,
    kind: &'static str,
    name: String,
) -> ApiResult<working_day_calendar::Model> {
    let transaction = begin_write(db).await?;
    let existing = working_day_calendar::Entity::find()
        .filter(working_day_calendar::Column::Day.eq(day))
        .one(&transaction)
        .await?;
    if let Some(existing) = existing {
        return Err(ApiError::Conflict(format!(
            "{day} is already listed as {} ({}); remove it first to change it",
            existing.kind, existing.name
        )));
    }
    let now = Utc::now();
    let created = working_day_calendar::ActiveModel {
        day: Set(day),
        kind: Set(kind.to_string()),
        name: Set(name),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor.user_id),
        updated_by: Set(actor.user_id),
        ..Default::default()
    }
    .insert(&transaction)
    .await?;
    audit(
        &transaction,
        actor,
        "working_day_calendar.create",
        "WorkingDayCalendar",
        created.id,
        Some(format!("{day} {kind}")),
    )
    .await?;
    transaction.commit().await?;
    Ok(created)
}

/// Takes a day off the list (it becomes an ordinary weekday or weekend day again).
pub async fn remove_calendar_day(
    db: &DatabaseConnection,
    actor: &Actor,
    day: NaiveDate,
) -> ApiResult<working_day_calendar::Model> {
    let transaction = begin_write(db).await?;
    let existing = working_day_calendar::Entity::find()
        .filter(working_day_calendar::Column::Day.eq(day))
        .one(&transaction)
        .await?
        .ok_or_else(|| ApiError::invalid("date", format!("{day} is not listed in the calendar")))?;
    working_day_calendar::Entity::delete_by_id(existing.id)
        .exec(&transaction)
        .await?;
    audit(
        &transaction,
        actor,
        "working_day_calendar.delete",
        "WorkingDayCalendar",
        existing.id,
        Some(format!("{day} {}", existing.kind)),
    )
    .await?;
    transaction.commit().await?;
    Ok(existing)
}
