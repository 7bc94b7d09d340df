//! Rule alerts (预警): recomputed inside the transaction of every write that changes the data
//! they depend on, and read as one feed with counts per site and per bureau.
//!
//! Each rule is one set-based statement (the same SQL on SQLite and PostgreSQL) that finds the
//! violations within a scope; the rule's decision is then taken by `domain` (ages, which
//! insurances apply, which months were missed, whether a linkage is overdue) and
//! `domain::alerts::plan_refresh` reconciles the violations with the open alerts of the scope
//! by their dedupe key: new ones are raised (`raised_at` = now), open ones no longer violated
//! are resolved (`resolved_at` = now, note [`RESOLVED_BY_DATA_NOTE`]), the others are kept
//! (their location, severity and message brought up to date, `raised_at` unchanged).
//!
//! | rule | subjects of the scope | found by |
//! |---|---|---|
//! | `zero_employment` | households | current households with a member of full or partial labour capacity and none employed |
//! | `school_dropout`, `missing_insurance`, `no_family_doctor` | persons | one statement over current persons: school ledger, insurance for this year, a family-doctor contract valid today |
//! | `overdue_benefit_linkage` | households | active linkages with a due before today not honoured nor waived, or a `next_due_on` passed without a record |
//! | `missed_party_visit` | sites | committee members of the site's party organisation and their visits in the year's window |
//! | `missed_town_review` | sites | the occupied sites, when their current households moved in, and the town committee's reviews in the same window |
//! | `overdue_task` | tasks (only `Tasks`) | tasks with a deadline before today and no completion |
//!
//! A scope of households also covers their members and their sites; a scope of persons their
//! households and sites; a scope of sites their households and persons.
//!
//! Date-driven changes (a deadline passing, a month ending, a contract expiring) have no write
//! to trigger them: [`refresh_all`] recomputes everything, site chunk by site chunk, just after
//! each midnight (China Standard Time, [`spawn_daily_refresh`]) and at start-up unless an
//! instance already did it that day.
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use anyhow::Context as _;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::alerts::{
    dedupe_key, missed_review_message, missed_visit_message, missing_insurances,
    no_family_doctor_message, overdue_linkage_message, overdue_task_message, overdue_task_severity,
    party_visit_window, plan_refresh, town_review_window, zero_employment_message, AlertOwner,
    AlertRule, AlertSeverity, RESOLVED_BY_DATA_NOTE,
};
use domain::industry::{linkage_overdue, Due, FulfilmentStatus};
use domain::person::{age_on, AgeBand};
use domain::services::is_dropout_alert;
use sea_orm::sea_query::{Alias, Expr, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait,
    FromQueryResult, Order, QueryFilter, QueryOrder, QuerySelect, Statement,
};

use super::audit::{self, AuditEntry};
use super::database::begin_write;
use super::entities::{alert, household, person, responsibility_task, site};
use super::paging::{Cursor, PageRequest};
use crate::clock::today_in_china;
use crate::error::{ApiError, ApiResult};

/// Which records' alerts to recompute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertScope {
    /// Households: their household rules, their members' person rules, their sites' rules.
    Households(Vec<i64>),
    /// Persons: their person rules, their households' rules, their sites' rules.
    Persons(Vec<i64>),
    /// Sites: the site rules and every household and person of the sites.
    Sites(Vec<i64>),
    /// Responsibility tasks (A7§1): only the overdue-task rule.
    Tasks(Vec<i64>),
}

/// Rows per multi-row statement (far below either database's limit of bound values).
const CHUNK: usize = 500;

/// Recomputes the alerts of `scope` and raises or resolves them; call it in the write's own
/// transaction, after the write.
pub async fn refresh_alerts(db: &impl ConnectionTrait, scope: AlertScope) -> ApiResult<()> {
    refresh_alerts_as_of(db, scope, today_in_china(), Utc::now()).await
}

/// [`refresh_alerts`] on a given day and instant.
pub async fn refresh_alerts_as_of(
    db: &impl ConnectionTrait,
    scope: AlertScope,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let subjects = ScopeSubjects::of(&scope);
    let bureaus = bureau_ids(db).await?;
    let context = RuleContext {
        backend: db.get_database_backend(),
        today,
        bureaus,
    };
    if let Some(households) = &subjects.households {
        let found = zero_employment(db, &context, households).await?;
        reconcile(
            db,
            &[AlertRule::ZeroEmployment],
            "household_id",
            households,
            found,
            now,
        )
        .await?;
        let found = overdue_benefit_linkages(db, &context, households).await?;
        reconcile(
            db,
            &[AlertRule::OverdueBenefitLinkage],
            "household_id",
            households,
            found,
            now,
        )
        .await?;
    }
    if let Some(persons) = &subjects.persons {
        let found = person_service_gaps(db, &context, persons).await?;
        reconcile(
            db,
            &[
                AlertRule::SchoolDropout,
                AlertRule::MissingInsurance,
                AlertRule::NoFamilyDoctor,
            ],
            "person_id",
            persons,
            found,
            now,
        )
        .await?;
    }
    if let Some(sites) = &subjects.sites {
        let found = missed_party_visits(db, &context, sites).await?;
        reconcile(
            db,
            &[AlertRule::MissedPartyVisit],
            "site_id",
            sites,
            found,
            now,
        )
        .await?;
        let found = missed_town_reviews(db, &context, sites).await?;
        reconcile(
            db,
            &[AlertRule::MissedTownReview],
            "site_id",
            sites,
            found,
            now,
        )
        .await?;
    }
    if let Some(tasks) = &subjects.tasks {
        let found = overdue_tasks(db, &context, tasks).await?;
        reconcile(db, &[AlertRule::OverdueTask], "task_id", tasks, found, now).await?;
    }
    Ok(())
}

/// Sites per transaction of the full refresh. The full refresh goes site by site so that it
/// holds one chunk's violations and open alerts in memory, not the whole population's
/// (4 alerts per person are possible: at 100 000 persons an all-at-once pass held ~400 MB).
const SITES_PER_REFRESH: usize = 8;

/// Recomputes every alert (the daily date change, and start-up unless done today): every
/// rule over the sites in chunks of [`SITES_PER_REFRESH`] — a chunk's scope covers its
/// households, persons and the sites themselves — each in its own transaction, then the
/// responsibility tasks; the day is recorded in `alert_refresh_run` when all are done.
pub async fn refresh_all(db: &DatabaseConnection) -> anyhow::Result<()> {
    let today = today_in_china();
    let sites: Vec<i64> = site::Entity::find()
        .select_only()
        .column(site::Column::Id)
        .order_by_asc(site::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .context("cannot list the sites")?;
    let tasks: Vec<i64> = responsibility_task::Entity::find()
        .select_only()
        .column(responsibility_task::Column::Id)
        .order_by_asc(responsibility_task::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .context("cannot list the responsibility tasks")?;
    let scopes = sites
        .chunks(SITES_PER_REFRESH)
        .map(|chunk| AlertScope::Sites(chunk.to_vec()))
        .chain(std::iter::once(AlertScope::Tasks(tasks)));
    for (index, scope) in scopes.enumerate() {
        let outcome: ApiResult<()> = async {
            let transaction = begin_write(db).await?;
            refresh_alerts_as_of(&transaction, scope, today, Utc::now()).await?;
            transaction.commit().await?;
            Ok(())
        }
        .await;
        outcome.map_err(|error| match error {
            ApiError::Internal(cause) => cause.context("cannot recompute the alerts"),
            other => anyhow::anyhow!(
                "cannot recompute the alerts: {} ({})",
                other.message(),
                other.code()
            ),
        })?;
        // PostgreSQL plans each chunk's reads of `alert` with the table's statistics. A refresh
        // that fills a new or bulk-loaded database would plan every chunk for the empty table
        // (at 2.5M persons: 7 s per chunk instead of 30 ms), so the table is analysed after
        // chunks 1, 2, 4, 8, …: its statistics are never more than one doubling behind.
        if db.get_database_backend() == DatabaseBackend::Postgres && (index + 1).is_power_of_two() {
            db.execute_unprepared("ANALYZE alert")
                .await
                .context("cannot analyse the alerts")?;
        }
    }
    let record = Query::insert()
        .into_table(Alias::new("alert_refresh_run"))
        .columns([Alias::new("as_of"), Alias::new("completed_at")])
        .values_panic([today.into(), Utc::now().into()])
        .on_conflict(
            OnConflict::column(Alias::new("as_of"))
                .update_column(Alias::new("completed_at"))
                .to_owned(),
        )
        .to_owned();
    db.execute(db.get_database_backend().build(&record))
        .await
        .context("cannot record the alert refresh")?;
    Ok(())
}

/// Whether the full refresh has already completed today (China Standard Time).
pub async fn refreshed_today(db: &DatabaseConnection) -> anyhow::Result<bool> {
    let query = Query::select()
        .expr(Expr::val(1))
        .from(Alias::new("alert_refresh_run"))
        .and_where(Expr::col(Alias::new("as_of")).eq(today_in_china()))
        .to_owned();
    let row = db
        .query_one(db.get_database_backend().build(&query))
        .await
        .context("cannot read the alert refresh runs")?;
    Ok(row.is_some())
}

/// At start-up: the full refresh, unless an instance already completed it today.
pub async fn refresh_all_unless_done_today(db: &DatabaseConnection) -> anyhow::Result<()> {
    if refreshed_today(db).await? {
        return Ok(());
    }
    refresh_all(db).await
}

/// Recomputes every alert a minute after each midnight, China Standard Time: deadlines pass,
/// months end and contracts expire without any write to trigger a refresh.
pub fn spawn_daily_refresh(db: DatabaseConnection) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let today = today_in_china();
            let next_midnight_china = today
                .succ_opt()
                .and_then(|day| day.and_hms_opt(0, 1, 0))
                .map(|local| local.and_utc() - Duration::hours(8));
            let wait = next_midnight_china
                .and_then(|at| (at - Utc::now()).to_std().ok())
                .unwrap_or(std::time::Duration::from_secs(3600));
            tokio::time::sleep(wait).await;
            if let Err(error) = refresh_all(&db).await {
                tracing::error!(error = ?error, "the daily alert refresh failed");
            }
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Scopes and the facts every rule needs.
// ---------------------------------------------------------------------------------------------

/// The subjects of one kind a scope covers: those an SQL list or subquery gives.
#[derive(Debug, Clone)]
struct Subjects(String);

impl Subjects {
    /// ` AND column IN (…)`.
    fn filter(&self, column: &str) -> String {
        format!(" AND {column} IN ({})", self.0)
    }
}

/// For each kind of subject, whether the scope covers some of them.
struct ScopeSubjects {
    households: Option<Subjects>,
    persons: Option<Subjects>,
    sites: Option<Subjects>,
    tasks: Option<Subjects>,
}

fn id_list(ids: &[i64]) -> Option<String> {
    if ids.is_empty() {
        return None;
    }
    let mut list = String::new();
    for (index, id) in ids.iter().enumerate() {
        if index > 0 {
            list.push_str(", ");
        }
        let _ = write!(list, "{id}");
    }
    Some(list)
}

impl ScopeSubjects {
    fn of(scope: &AlertScope) -> ScopeSubjects {
        let only = |sql: String| Some(Subjects(sql));
        let none = ScopeSubjects {
            households: None,
            persons: None,
            sites: None,
            tasks: None,
        };
        match scope {
            AlertScope::Households(ids) => match id_list(ids) {
                Some(ids) => ScopeSubjects {
                    households: only(ids.clone()),
                    persons: only(format!(
                        "SELECT scope_p.id FROM person scope_p WHERE scope_p.household_id IN ({ids})"
                    )),
                    sites: only(format!(
                        "SELECT scope_h.site_id FROM household scope_h WHERE scope_h.id IN ({ids})"
                    )),
                    tasks: None,
                },
                None => none,
            },
            AlertScope::Persons(ids) => match id_list(ids) {
                Some(ids) => ScopeSubjects {
                    households: only(format!(
                        "SELECT scope_p.household_id FROM person scope_p WHERE scope_p.id IN ({ids})"
                    )),
                    persons: only(ids.clone()),
                    sites: only(format!(
                        "SELECT scope_h.site_id FROM household scope_h \
                         JOIN person scope_p ON scope_p.household_id = scope_h.id \
                         WHERE scope_p.id IN ({ids})"
                    )),
                    tasks: None,
                },
                None => none,
            },
            AlertScope::Sites(ids) => match id_list(ids) {
                Some(ids) => ScopeSubjects {
                    households: only(format!(
                        "SELECT scope_h.id FROM household scope_h WHERE scope_h.site_id IN ({ids})"
                    )),
                    persons: only(format!(
                        "SELECT scope_p.id FROM person scope_p \
                         JOIN household scope_h ON scope_h.id = scope_p.household_id \
                         WHERE scope_h.site_id IN ({ids})"
                    )),
                    sites: only(ids),
                    tasks: None,
                },
                None => none,
            },
            AlertScope::Tasks(ids) => ScopeSubjects {
                tasks: id_list(ids).map(Subjects),
                ..none
            },
        }
    }
}

struct RuleContext {
    backend: DatabaseBackend,
    today: NaiveDate,
    /// Bureau ids by code, for the owners of the rules.
    bureaus: HashMap<String, i64>,
}

impl RuleContext {
    fn date(&self, date: NaiveDate) -> String {
        date_sql(self.backend, date)
    }

    fn owner(&self, rule: AlertRule) -> Option<i64> {
        match rule.owner() {
            AlertOwner::Bureau(code) | AlertOwner::TownWithBureau(code) => {
                self.bureaus.get(code).copied()
            }
            AlertOwner::ResponsibleUnit => None,
        }
    }

    fn statement(&self, sql: String) -> Statement {
        Statement::from_string(self.backend, sql)
    }
}

/// A date as an SQL literal of the backend (PostgreSQL needs a typed date; SQLite stores text).
fn date_sql(backend: DatabaseBackend, date: NaiveDate) -> String {
    let text = date.format("%Y-%m-%d");
    match backend {
        DatabaseBackend::Postgres => format!("DATE '{text}'"),
        _ => format!("'{text}'"),
    }
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

async fn bureau_ids(db: &impl ConnectionTrait) -> ApiResult<HashMap<String, i64>> {
    #[derive(FromQueryResult)]
    struct Row {
        id: i64,
        code: String,
    }
    let rows = Row::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        "SELECT id, code FROM bureau",
    ))
    .all(db)
    .await?;
    Ok(rows.into_iter().map(|row| (row.code, row.id)).collect())
}

/// One violation of a rule, as it would be stored.
#[derive(Debug, Clone)]
struct Violation {
    rule: AlertRule,
    key: String,
    severity: AlertSeverity,
    owning_bureau_id: Option<i64>,
    town_id: Option<i64>,
    site_id: Option<i64>,
    household_id: Option<i64>,
    person_id: Option<i64>,
    task_id: Option<i64>,
    message: String,
}

impl Violation {
    fn differs_from(&self, open: &alert::Model) -> bool {
        open.severity != self.severity.code()
            || open.clause_ref != self.rule.clause()
            || open.owning_bureau_id != self.owning_bureau_id
            || open.town_id != self.town_id
            || open.site_id != self.site_id
            || open.household_id != self.household_id
            || open.person_id != self.person_id
            || open.task_id != self.task_id
            || open.message != self.message
    }
}

// ---------------------------------------------------------------------------------------------
// The rules.
// ---------------------------------------------------------------------------------------------

/// A2§1: current households with labour and nobody employed.
async fn zero_employment(
    db: &impl ConnectionTrait,
    context: &RuleContext,
    households: &Subjects,
) -> ApiResult<Vec<Violation>> {
    #[derive(FromQueryResult)]
    struct Row {
        household_id: i64,
        household_code: String,
        site_id: i64,
        town_id: i64,
        labour: i64,
    }
    let labour = "CASE WHEN p.labour_capacity IN ('full', 'partial') THEN 1 ELSE 0 END";
    let employed = "CASE WHEN p.employment_status = 'employed' THEN 1 ELSE 0 END";
    let sql = format!(
        "SELECT h.id AS household_id, h.code AS household_code, h.site_id AS site_id,
                s.town_id AS town_id, CAST(SUM({labour}) AS BIGINT) AS labour
         FROM household h
         JOIN site s ON s.id = h.site_id
         JOIN person p ON p.household_id = h.id AND p.archived_at IS NULL
         WHERE h.archived_at IS NULL{scope}
         GROUP BY h.id, h.code, h.site_id, s.town_id
         HAVING SUM({labour}) > 0 AND SUM({employed}) = 0",
        scope = households.filter("h.id"),
    );
    let rule = AlertRule::ZeroEmployment;
    Ok(Row::find_by_statement(context.statement(sql))
        .all(db)
        .await?
        .into_iter()
        .map(|row| Violation {
            rule,
            key: dedupe_key(rule, "household", row.household_id, None),
            severity: rule.severity(),
            owning_bureau_id: context.owner(rule),
            town_id: Some(row.town_id),
            site_id: Some(row.site_id),
            household_id: Some(row.household_id),
            person_id: None,
            task_id: None,
            message: zero_employment_message(&row.household_code, row.labour),
        })
        .collect())
}

/// A3§2, A3§3, A3§4: one statement over the current persons of the scope that may lack
/// schooling, insurance or a family doctor; `domain` decides which gaps each one has.
async fn person_service_gaps(
    db: &impl ConnectionTrait,
    context: &RuleContext,
    persons: &Subjects,
) -> ApiResult<Vec<Violation>> {
    #[derive(FromQueryResult)]
    struct Row {
        person_id: i64,
        household_id: i64,
        household_code: String,
        relation: String,
        birth_date: String,
        site_id: i64,
        town_id: i64,
        enrolled: i64,
        keeps_school_record: i64,
        completed_compulsory: i64,
        basic_medical: i64,
        serious_illness: i64,
        pension: i64,
        family_doctor: i64,
    }
    let today = context.today;
    let year = chrono::Datelike::year(&today);
    let today_sql = context.date(today);
    let flag =
        |condition: String| format!("CAST(CASE WHEN {condition} THEN 1 ELSE 0 END AS BIGINT)");
    let school = |condition: &str| {
        flag(format!(
            "EXISTS (SELECT 1 FROM school_enrolment e WHERE e.person_id = p.id AND {condition})"
        ))
    };
    let insured = |kind: &str| {
        flag(format!(
            "EXISTS (SELECT 1 FROM insurance_enrolment i
                     WHERE i.person_id = p.id AND i.kind = '{kind}' AND i.year = {year}
                       AND i.status IN ('enrolled', 'exempt', 'not_applicable'))"
        ))
    };
    // Only a pre-filter: the decision below is domain's. It keeps everyone without a contract
    // or a medical insurance, everyone 16 or older without pension, and every child of
    // compulsory-school age without a school record.
    let (Some(pension_born_by), (Some(school_earliest), Some(school_latest))) = (
        AgeBand::WorkingAge.birth_date_range(today).1,
        AgeBand::CompulsorySchool.birth_date_range(today),
    ) else {
        return Ok(Vec::new());
    };
    let sql = format!(
        "SELECT * FROM (
           SELECT p.id AS person_id, h.id AS household_id, h.code AS household_code,
                  p.relation AS relation, CAST(p.birth_date AS TEXT) AS birth_date,
                  h.site_id AS site_id, s.town_id AS town_id,
                  {enrolled} AS enrolled, {keeps_record} AS keeps_school_record,
                  {completed} AS completed_compulsory,
                  {basic_medical} AS basic_medical, {serious_illness} AS serious_illness,
                  {pension} AS pension, {family_doctor} AS family_doctor,
                  p.birth_date AS born_on
           FROM person p
           JOIN household h ON h.id = p.household_id AND h.archived_at IS NULL
           JOIN site s ON s.id = h.site_id
           WHERE p.archived_at IS NULL AND p.birth_date <= {today_sql}{scope}
         ) facts
         WHERE family_doctor = 0 OR basic_medical = 0 OR serious_illness = 0
            OR (pension = 0 AND born_on <= {pension_born_by})
            OR (born_on >= {school_earliest} AND born_on <= {school_latest}
                AND keeps_school_record = 0 AND completed_compulsory = 0)",
        enrolled = school("e.status = 'enrolled'"),
        keeps_record = school("e.status IN ('enrolled', 'suspended')"),
        completed = school(
            "e.status = 'graduated' AND e.stage IN ('junior_middle', 'senior_high', 'vocational')"
        ),
        basic_medical = insured("basic_medical"),
        serious_illness = insured("serious_illness"),
        pension = insured("pension"),
        family_doctor = flag(format!(
            "EXISTS (SELECT 1 FROM family_doctor_contract c
                     WHERE c.person_id = p.id AND c.status = 'active'
                       AND c.signed_on <= {today_sql} AND c.expires_on >= {today_sql})"
        )),
        pension_born_by = context.date(pension_born_by),
        school_earliest = context.date(school_earliest),
        school_latest = context.date(school_latest),
        scope = persons.filter("p.id"),
    );
    let rows = Row::find_by_statement(context.statement(sql))
        .all(db)
        .await?;
    let mut found = Vec::new();
    for row in rows {
        let Some(birth_date) = parse_date(&row.birth_date) else {
            continue;
        };
        let age = age_on(birth_date, today);
        let violation = |rule: AlertRule, qualifier: Option<&str>, message: String| Violation {
            rule,
            key: dedupe_key(rule, "person", row.person_id, qualifier),
            severity: rule.severity(),
            owning_bureau_id: context.owner(rule),
            town_id: Some(row.town_id),
            site_id: Some(row.site_id),
            household_id: Some(row.household_id),
            person_id: Some(row.person_id),
            task_id: None,
            message,
        };
        // A3§2: enrolled or suspended (休学 keeps the 学籍) counts as in school.
        if is_dropout_alert(
            age,
            row.keeps_school_record == 1,
            row.completed_compulsory == 1,
        ) {
            found.push(violation(
                AlertRule::SchoolDropout,
                None,
                domain::alerts::dropout_message(&row.household_code, &row.relation, age),
            ));
        }
        for kind in missing_insurances(
            age,
            row.enrolled == 1,
            row.basic_medical == 1,
            row.serious_illness == 1,
            row.pension == 1,
        ) {
            found.push(violation(
                AlertRule::MissingInsurance,
                Some(kind.code()),
                domain::alerts::missing_insurance_message(
                    &row.household_code,
                    &row.relation,
                    kind,
                    year,
                ),
            ));
        }
        if row.family_doctor == 0 {
            found.push(violation(
                AlertRule::NoFamilyDoctor,
                None,
                no_family_doctor_message(&row.household_code, &row.relation),
            ));
        }
    }
    Ok(found)
}

/// A1§2: active linkages of current households that may be overdue, with their dues;
/// `domain::industry::linkage_overdue` decides.
async fn overdue_benefit_linkages(
    db: &impl ConnectionTrait,
    context: &RuleContext,
    households: &Subjects,
) -> ApiResult<Vec<Violation>> {
    #[derive(FromQueryResult)]
    struct LinkageRow {
        linkage_id: i64,
        agreement_no: String,
        next_due_on: Option<String>,
        entity_name: String,
        household_id: i64,
        household_code: String,
        site_id: i64,
        town_id: i64,
    }
    #[derive(FromQueryResult)]
    struct DueRow {
        linkage_id: i64,
        due_on: String,
        fulfilled_on: Option<String>,
        status: String,
    }
    let today = context.date(context.today);
    let sql = format!(
        "SELECT l.id AS linkage_id, l.agreement_no AS agreement_no,
                CAST(l.next_due_on AS TEXT) AS next_due_on, e.name AS entity_name,
                h.id AS household_id, h.code AS household_code, h.site_id AS site_id,
                s.town_id AS town_id
         FROM benefit_linkage l
         JOIN business_entity e ON e.id = l.business_entity_id
         JOIN household h ON h.id = l.household_id AND h.archived_at IS NULL
         JOIN site s ON s.id = h.site_id
         WHERE l.status = 'active'
           AND ((l.next_due_on IS NOT NULL AND l.next_due_on < {today})
                OR EXISTS (SELECT 1 FROM benefit_fulfilment f
                           WHERE f.benefit_linkage_id = l.id AND f.fulfilled_on IS NULL
                             AND f.status <> 'waived' AND f.due_on < {today})){scope}",
        scope = households.filter("h.id"),
    );
    let linkages = LinkageRow::find_by_statement(context.statement(sql))
        .all(db)
        .await?;
    let mut dues: HashMap<i64, Vec<Due>> = HashMap::new();
    for chunk in linkages.chunks(CHUNK) {
        let ids: Vec<i64> = chunk.iter().map(|linkage| linkage.linkage_id).collect();
        let Some(ids) = id_list(&ids) else {
            continue;
        };
        let sql = format!(
            "SELECT benefit_linkage_id AS linkage_id, CAST(due_on AS TEXT) AS due_on,
                    CAST(fulfilled_on AS TEXT) AS fulfilled_on, status
             FROM benefit_fulfilment WHERE benefit_linkage_id IN ({ids})"
        );
        for row in DueRow::find_by_statement(context.statement(sql))
            .all(db)
            .await?
        {
            let (Some(due_on), Some(status)) = (
                parse_date(&row.due_on),
                FulfilmentStatus::from_code(&row.status),
            ) else {
                continue;
            };
            dues.entry(row.linkage_id).or_default().push(Due {
                due_on,
                fulfilled_on: row.fulfilled_on.as_deref().and_then(parse_date),
                status,
            });
        }
    }
    let rule = AlertRule::OverdueBenefitLinkage;
    let mut found = Vec::new();
    for linkage in linkages {
        let next_due_on = linkage.next_due_on.as_deref().and_then(parse_date);
        let linkage_dues = dues.remove(&linkage.linkage_id).unwrap_or_default();
        if !linkage_overdue(true, next_due_on, &linkage_dues, context.today) {
            continue;
        }
        // The earliest date missed: an overdue recorded due, or the announced one.
        let missed = linkage_dues
            .iter()
            .filter(|due| due.is_overdue(context.today))
            .map(|due| due.due_on)
            .chain(next_due_on.filter(|next| *next < context.today))
            .min()
            .unwrap_or(context.today);
        found.push(Violation {
            rule,
            key: dedupe_key(rule, "linkage", linkage.linkage_id, None),
            severity: rule.severity(),
            owning_bureau_id: context.owner(rule),
            town_id: Some(linkage.town_id),
            site_id: Some(linkage.site_id),
            household_id: Some(linkage.household_id),
            person_id: None,
            task_id: None,
            message: overdue_linkage_message(
                &linkage.entity_name,
                &linkage.agreement_no,
                &linkage.household_code,
                missed,
            ),
        });
    }
    Ok(found)
}

/// A6§2.2: the committee members of the sites' party organisations and the months of the
/// window in which they made no visit (`domain::party::missing_visit_months_in_term`).
async fn missed_party_visits(
    db: &impl ConnectionTrait,
    context: &RuleContext,
    sites: &Subjects,
) -> ApiResult<Vec<Violation>> {
    #[derive(FromQueryResult)]
    struct MemberRow {
        committee_member_id: i64,
        member_id: i64,
        position: String,
        starts_on: String,
        ends_on: Option<String>,
        established_on: String,
        dissolved_on: Option<String>,
        organisation_name: String,
        site_id: i64,
        town_id: i64,
        person_id: Option<i64>,
        household_id: Option<i64>,
    }
    #[derive(FromQueryResult)]
    struct VisitRow {
        member_id: i64,
        visited_on: String,
    }
    let Some((from, through)) = party_visit_window(context.today) else {
        return Ok(Vec::new());
    };
    let Some(window_end) = through
        .next()
        .and_then(|month| month.first_day().pred_opt())
    else {
        return Ok(Vec::new());
    };
    let (start, end) = (context.date(from.first_day()), context.date(window_end));
    let sql = format!(
        "SELECT cm.id AS committee_member_id, cm.member_id AS member_id, cm.position AS position,
                CAST(cm.starts_on AS TEXT) AS starts_on, CAST(cm.ends_on AS TEXT) AS ends_on,
                CAST(o.established_on AS TEXT) AS established_on,
                CAST(o.dissolved_on AS TEXT) AS dissolved_on,
                o.name AS organisation_name, o.site_id AS site_id, s.town_id AS town_id,
                pm.person_id AS person_id, p.household_id AS household_id
         FROM party_committee_member cm
         JOIN party_organisation o ON o.id = cm.organisation_id
         JOIN site s ON s.id = o.site_id
         JOIN party_member pm ON pm.id = cm.member_id
         LEFT JOIN person p ON p.id = pm.person_id
         WHERE cm.starts_on <= {end} AND (cm.ends_on IS NULL OR cm.ends_on >= {start})
           AND o.established_on <= {end} AND (o.dissolved_on IS NULL OR o.dissolved_on >= {start}){scope}",
        scope = sites.filter("o.site_id"),
    );
    let members = MemberRow::find_by_statement(context.statement(sql))
        .all(db)
        .await?;
    let mut visits: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    let member_ids: Vec<i64> = members
        .iter()
        .map(|member| member.member_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    for chunk in member_ids.chunks(CHUNK) {
        let Some(ids) = id_list(chunk) else {
            continue;
        };
        let sql = format!(
            "SELECT member_id, CAST(visited_on AS TEXT) AS visited_on FROM party_visit
             WHERE member_id IN ({ids}) AND visited_on >= {start} AND visited_on <= {end}"
        );
        for row in VisitRow::find_by_statement(context.statement(sql))
            .all(db)
            .await?
        {
            if let Some(day) = parse_date(&row.visited_on) {
                visits.entry(row.member_id).or_default().push(day);
            }
        }
    }
    let rule = AlertRule::MissedPartyVisit;
    let mut found = Vec::new();
    for member in members {
        let (Some(starts_on), Some(established_on)) = (
            parse_date(&member.starts_on),
            parse_date(&member.established_on),
        ) else {
            continue;
        };
        // The member serves while both the term and the organisation last.
        let serves_from = starts_on.max(established_on);
        let serves_until = match (
            member.ends_on.as_deref().and_then(parse_date),
            member.dissolved_on.as_deref().and_then(parse_date),
        ) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let member_visits = visits.get(&member.member_id).cloned().unwrap_or_default();
        for month in domain::party::missing_visit_months_in_term(
            &member_visits,
            serves_from,
            serves_until,
            from,
            through,
        ) {
            found.push(Violation {
                rule,
                key: dedupe_key(
                    rule,
                    "committee_member",
                    member.committee_member_id,
                    Some(&month.to_string()),
                ),
                severity: rule.severity(),
                owning_bureau_id: context.owner(rule),
                town_id: Some(member.town_id),
                site_id: Some(member.site_id),
                household_id: member.household_id,
                person_id: member.person_id,
                task_id: None,
                message: missed_visit_message(&member.organisation_name, &member.position, month),
            });
        }
    }
    Ok(found)
}

/// A6§3.1: the sites of the scope, since when relocated households live there, and the months
/// of the window in which the town committee made no review (`domain::party::site_review_gaps`).
async fn missed_town_reviews(
    db: &impl ConnectionTrait,
    context: &RuleContext,
    sites: &Subjects,
) -> ApiResult<Vec<Violation>> {
    #[derive(FromQueryResult)]
    struct SiteRow {
        site_id: i64,
        site_name: String,
        town_id: i64,
        town_name: String,
        current_households: i64,
        undated_households: i64,
        earliest_relocation: Option<String>,
    }
    #[derive(FromQueryResult)]
    struct ReviewRow {
        site_id: i64,
        reviewed_on: String,
    }
    let Some((from, through)) = town_review_window(context.today) else {
        return Ok(Vec::new());
    };
    let Some(window_end) = through
        .next()
        .and_then(|month| month.first_day().pred_opt())
    else {
        return Ok(Vec::new());
    };
    let (start, end) = (context.date(from.first_day()), context.date(window_end));
    let sql = format!(
        "SELECT s.id AS site_id, s.name AS site_name, s.town_id AS town_id, t.name AS town_name,
                CAST(COUNT(h.id) AS BIGINT) AS current_households,
                CAST(SUM(CASE WHEN h.id IS NOT NULL AND h.relocated_on IS NULL THEN 1 ELSE 0 END)
                     AS BIGINT) AS undated_households,
                CAST(MIN(h.relocated_on) AS TEXT) AS earliest_relocation
         FROM site s
         JOIN town t ON t.id = s.town_id
         LEFT JOIN household h ON h.site_id = s.id AND h.archived_at IS NULL
         WHERE 1 = 1{scope}
         GROUP BY s.id, s.name, s.town_id, t.name",
        scope = sites.filter("s.id"),
    );
    let site_rows = SiteRow::find_by_statement(context.statement(sql))
        .all(db)
        .await?;
    let sql = format!(
        "SELECT site_id, CAST(reviewed_on AS TEXT) AS reviewed_on FROM town_committee_review
         WHERE reviewed_on >= {start} AND reviewed_on <= {end}{scope}",
        scope = sites.filter("site_id"),
    );
    let mut reviews: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    for row in ReviewRow::find_by_statement(context.statement(sql))
        .all(db)
        .await?
    {
        if let Some(day) = parse_date(&row.reviewed_on) {
            reviews.entry(row.site_id).or_default().push(day);
        }
    }
    let rule = AlertRule::MissedTownReview;
    let mut found = Vec::new();
    for site in site_rows {
        let occupancy = domain::party::SiteOccupancy {
            current_households: u64::try_from(site.current_households).unwrap_or(0),
            undated_households: u64::try_from(site.undated_households).unwrap_or(0),
            earliest_relocation: site.earliest_relocation.as_deref().and_then(parse_date),
        };
        let site_reviews = reviews.get(&site.site_id).cloned().unwrap_or_default();
        for month in domain::party::site_review_gaps(
            &site_reviews,
            occupancy.occupied_since(),
            from,
            through,
        ) {
            found.push(Violation {
                rule,
                key: dedupe_key(rule, "site", site.site_id, Some(&month.to_string())),
                severity: rule.severity(),
                owning_bureau_id: context.owner(rule),
                town_id: Some(site.town_id),
                site_id: Some(site.site_id),
                household_id: None,
                person_id: None,
                task_id: None,
                message: missed_review_message(&site.town_name, &site.site_name, month),
            });
        }
    }
    Ok(found)
}

/// A7§1: tasks past their deadline and not completed, owned by their responsible unit.
async fn overdue_tasks(
    db: &impl ConnectionTrait,
    context: &RuleContext,
    tasks: &Subjects,
) -> ApiResult<Vec<Violation>> {
    #[derive(FromQueryResult)]
    struct Row {
        id: i64,
        code: String,
        title: String,
        deadline: String,
        responsible_bureau_id: Option<i64>,
        responsible_town_id: Option<i64>,
    }
    let sql = format!(
        "SELECT t.id AS id, t.code AS code, t.title AS title, CAST(t.deadline AS TEXT) AS deadline,
                t.responsible_bureau_id AS responsible_bureau_id,
                t.responsible_town_id AS responsible_town_id
         FROM responsibility_task t
         WHERE t.completed_on IS NULL AND t.deadline < {today}{scope}",
        today = context.date(context.today),
        scope = tasks.filter("t.id"),
    );
    let rule = AlertRule::OverdueTask;
    let mut found = Vec::new();
    for row in Row::find_by_statement(context.statement(sql))
        .all(db)
        .await?
    {
        let Some(deadline) = parse_date(&row.deadline) else {
            continue;
        };
        if domain::responsibility::task_status(0, deadline, context.today, None)
            != domain::responsibility::TaskStatus::Overdue
        {
            continue;
        }
        found.push(Violation {
            rule,
            key: dedupe_key(rule, "task", row.id, None),
            severity: overdue_task_severity(deadline, context.today),
            owning_bureau_id: row.responsible_bureau_id,
            town_id: row.responsible_town_id,
            site_id: None,
            household_id: None,
            person_id: None,
            task_id: Some(row.id),
            message: overdue_task_message(&row.code, &row.title, deadline, context.today),
        });
    }
    Ok(found)
}

// ---------------------------------------------------------------------------------------------
// Reconciling the violations with the open alerts.
// ---------------------------------------------------------------------------------------------

fn rule_list(rules: &[AlertRule]) -> String {
    rules
        .iter()
        .map(|rule| format!("'{}'", rule.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Raises, keeps and resolves the alerts of `rules` whose subject (`subject_column`) is in
/// the scope, so that exactly the violations `found` are open.
async fn reconcile(
    db: &impl ConnectionTrait,
    rules: &[AlertRule],
    subject_column: &str,
    subjects: &Subjects,
    found: Vec<Violation>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let backend = db.get_database_backend();
    let rule_codes = rule_list(rules);
    let scope = subjects.filter(subject_column);
    let open = alert::Entity::find()
        .from_raw_sql(Statement::from_string(
            backend,
            format!(
                "SELECT * FROM alert WHERE resolved_at IS NULL AND rule_code IN ({rule_codes}){scope}"
            ),
        ))
        .all(db)
        .await?;
    let by_hand: Vec<AlertRule> = rules
        .iter()
        .copied()
        .filter(|rule| rule.resolvable_by_hand())
        .collect();
    let settled: Vec<String> = if by_hand.is_empty() {
        Vec::new()
    } else {
        #[derive(FromQueryResult)]
        struct Key {
            dedupe_key: String,
        }
        Key::find_by_statement(Statement::from_string(
            backend,
            format!(
                "SELECT DISTINCT dedupe_key FROM alert
                 WHERE resolved_by_user_id IS NOT NULL AND rule_code IN ({}){scope}",
                rule_list(&by_hand)
            ),
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|key| key.dedupe_key)
        .collect()
    };
    let found_keys: Vec<&str> = found.iter().map(|v| v.key.as_str()).collect();
    let open_keys: Vec<(i64, &str)> = open
        .iter()
        .map(|alert| (alert.id, alert.dedupe_key.as_str()))
        .collect();
    let settled: HashSet<&str> = settled.iter().map(String::as_str).collect();
    let plan = plan_refresh(&found_keys, &open_keys, &settled);

    for ids in plan.resolve.chunks(CHUNK) {
        alert::Entity::update_many()
            .col_expr(alert::Column::ResolvedAt, Expr::value(now))
            .col_expr(
                alert::Column::ResolutionNote,
                Expr::value(RESOLVED_BY_DATA_NOTE),
            )
            .col_expr(alert::Column::UpdatedAt, Expr::value(now))
            .col_expr(
                alert::Column::Version,
                Expr::col(alert::Column::Version).add(1),
            )
            .filter(alert::Column::Id.is_in(ids.iter().copied()))
            .filter(alert::Column::ResolvedAt.is_null())
            .exec(db)
            .await?;
    }

    let open_by_id: HashMap<i64, &alert::Model> =
        open.iter().map(|alert| (alert.id, alert)).collect();
    for (id, index) in &plan.keep {
        let (Some(current), Some(violation)) = (open_by_id.get(id), found.get(*index)) else {
            continue;
        };
        if !violation.differs_from(current) {
            continue;
        }
        alert::Entity::update_many()
            .col_expr(
                alert::Column::Severity,
                Expr::value(violation.severity.code()),
            )
            .col_expr(
                alert::Column::ClauseRef,
                Expr::value(violation.rule.clause()),
            )
            .col_expr(
                alert::Column::OwningBureauId,
                Expr::value(violation.owning_bureau_id),
            )
            .col_expr(alert::Column::TownId, Expr::value(violation.town_id))
            .col_expr(alert::Column::SiteId, Expr::value(violation.site_id))
            .col_expr(
                alert::Column::HouseholdId,
                Expr::value(violation.household_id),
            )
            .col_expr(alert::Column::PersonId, Expr::value(violation.person_id))
            .col_expr(alert::Column::TaskId, Expr::value(violation.task_id))
            .col_expr(
                alert::Column::Message,
                Expr::value(violation.message.clone()),
            )
            .col_expr(alert::Column::UpdatedAt, Expr::value(now))
            .col_expr(
                alert::Column::Version,
                Expr::col(alert::Column::Version).add(1),
            )
            .filter(alert::Column::Id.eq(*id))
            .exec(db)
            .await?;
    }

    for indexes in plan.raise.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table(alert::Entity).columns([
            alert::Column::RuleCode,
            alert::Column::ClauseRef,
            alert::Column::Severity,
            alert::Column::OwningBureauId,
            alert::Column::TownId,
            alert::Column::SiteId,
            alert::Column::HouseholdId,
            alert::Column::PersonId,
            alert::Column::TaskId,
            alert::Column::Message,
            alert::Column::DedupeKey,
            alert::Column::RaisedAt,
            alert::Column::Version,
            alert::Column::CreatedAt,
            alert::Column::UpdatedAt,
        ]);
        for index in indexes {
            let Some(violation) = found.get(*index) else {
                continue;
            };
            insert.values_panic([
                violation.rule.code().into(),
                violation.rule.clause().into(),
                violation.severity.code().into(),
                violation.owning_bureau_id.into(),
                violation.town_id.into(),
                violation.site_id.into(),
                violation.household_id.into(),
                violation.person_id.into(),
                violation.task_id.into(),
                violation.message.clone().into(),
                violation.key.clone().into(),
                now.into(),
                1.into(),
                now.into(),
                now.into(),
            ]);
        }
        // Another transaction may have raised the same problem meanwhile: keep theirs.
        insert.on_conflict(
            OnConflict::column(alert::Column::DedupeKey)
                .target_and_where(Expr::col(alert::Column::ResolvedAt).is_null())
                .do_nothing()
                .to_owned(),
        );
        db.execute(backend.build(&insert)).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reading the feed and the counts.
// ---------------------------------------------------------------------------------------------

/// Which alerts a principal may see: all of them, or those its bureaus own and those at its
/// towns (their sites, and the tasks the towns are responsible for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertVisibility {
    All,
    Units {
        bureau_ids: Vec<i64>,
        town_ids: Vec<i64>,
    },
}

impl AlertVisibility {
    fn condition(&self) -> Condition {
        match self {
            AlertVisibility::All => Condition::all(),
            AlertVisibility::Units {
                bureau_ids,
                town_ids,
            } => Condition::any()
                .add(alert::Column::OwningBureauId.is_in(bureau_ids.iter().copied()))
                .add(alert::Column::TownId.is_in(town_ids.iter().copied())),
        }
    }

    /// Whether an alert is visible.
    pub fn allows(&self, alert: &alert::Model) -> bool {
        match self {
            AlertVisibility::All => true,
            AlertVisibility::Units {
                bureau_ids,
                town_ids,
            } => {
                alert
                    .owning_bureau_id
                    .is_some_and(|id| bureau_ids.contains(&id))
                    || alert.town_id.is_some_and(|id| town_ids.contains(&id))
            }
        }
    }
}

/// A filter of the feed.
#[derive(Debug, Clone, Default)]
pub struct AlertFilter {
    pub rules: Vec<AlertRule>,
    pub bureau_id: Option<i64>,
    pub town_id: Option<i64>,
    pub site_id: Option<i64>,
    /// `Some(true)`: open only; `Some(false)`: resolved only; `None`: both.
    pub open: Option<bool>,
    pub raised_from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub raised_before: Option<DateTime<Utc>>,
}

impl AlertFilter {
    fn condition(&self, visibility: &AlertVisibility) -> Condition {
        let mut condition = Condition::all().add(visibility.condition());
        if !self.rules.is_empty() {
            condition = condition
                .add(alert::Column::RuleCode.is_in(self.rules.iter().map(|rule| rule.code())));
        }
        if let Some(id) = self.bureau_id {
            condition = condition.add(alert::Column::OwningBureauId.eq(id));
        }
        if let Some(id) = self.town_id {
            condition = condition.add(alert::Column::TownId.eq(id));
        }
        if let Some(id) = self.site_id {
            condition = condition.add(alert::Column::SiteId.eq(id));
        }
        match self.open {
            Some(true) => condition = condition.add(alert::Column::ResolvedAt.is_null()),
            Some(false) => condition = condition.add(alert::Column::ResolvedAt.is_not_null()),
            None => {}
        }
        if let Some(from) = self.raised_from {
            condition = condition.add(alert::Column::RaisedAt.gte(from));
        }
        if let Some(before) = self.raised_before {
            condition = condition.add(alert::Column::RaisedAt.lt(before));
        }
        condition
    }
}

/// The sort of the feed, baked into its cursors.
pub const FEED_SORT: &str = "RAISED_AT";

/// The cursor of an alert in the feed.
pub fn feed_cursor(alert: &alert::Model) -> Cursor {
    Cursor {
        sort: FEED_SORT.to_string(),
        key: Some(alert.raised_at.to_rfc3339()),
        id: alert.id,
    }
}

/// One page of the feed, newest first (`raised_at`, then id, both descending), and whether
/// more follow.
pub async fn alert_page(
    db: &DatabaseConnection,
    visibility: &AlertVisibility,
    filter: &AlertFilter,
    page: &PageRequest,
) -> ApiResult<(Vec<alert::Model>, bool)> {
    let mut condition = filter.condition(visibility);
    if let Some(cursor) = &page.cursor {
        let raised_at = cursor
            .key
            .as_deref()
            .and_then(|key| DateTime::parse_from_rfc3339(key).ok())
            .map(|at| at.with_timezone(&Utc))
            .ok_or_else(|| {
                ApiError::invalid(
                    "after",
                    "this cursor was not issued by this list in this order; start again without it",
                )
            })?;
        condition = condition.add(
            Condition::any()
                .add(alert::Column::RaisedAt.lt(raised_at))
                .add(
                    Condition::all()
                        .add(alert::Column::RaisedAt.eq(raised_at))
                        .add(alert::Column::Id.lt(cursor.id)),
                ),
        );
    }
    let mut rows = alert::Entity::find()
        .filter(condition)
        .order_by(alert::Column::RaisedAt, Order::Desc)
        .order_by(alert::Column::Id, Order::Desc)
        .limit(page.size + 1)
        .all(db)
        .await?;
    let has_more = rows.len() as u64 > page.size;
    rows.truncate(page.size as usize);
    Ok((rows, has_more))
}

/// How many alerts the filter finds (all pages).
pub async fn count_alerts(
    db: &DatabaseConnection,
    visibility: &AlertVisibility,
    filter: &AlertFilter,
) -> ApiResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(alert::Entity::find()
        .filter(filter.condition(visibility))
        .count(db)
        .await?)
}

/// One alert the principal may see, or NOT_FOUND.
pub async fn visible_alert(
    db: &impl ConnectionTrait,
    visibility: &AlertVisibility,
    id: i64,
) -> ApiResult<alert::Model> {
    alert::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|alert| visibility.allows(alert))
        .ok_or_else(|| ApiError::not_found("alert", id))
}

/// Open alerts counted by site, owning bureau, town, rule and severity (one statement).
#[derive(Debug, Clone, Default)]
pub struct OpenAlertCounts {
    pub total: i64,
    /// (site, town) → (open, critical).
    pub by_site: BTreeMap<(i64, Option<i64>), (i64, i64)>,
    pub by_bureau: BTreeMap<i64, (i64, i64)>,
    pub by_town: BTreeMap<i64, (i64, i64)>,
    pub by_rule: BTreeMap<String, (i64, i64)>,
}

pub async fn open_alert_counts(
    db: &DatabaseConnection,
    visibility: &AlertVisibility,
    rules: &[AlertRule],
) -> ApiResult<OpenAlertCounts> {
    #[derive(FromQueryResult)]
    struct Row {
        site_id: Option<i64>,
        town_id: Option<i64>,
        owning_bureau_id: Option<i64>,
        rule_code: String,
        severity: String,
        alerts: i64,
    }
    let filter = AlertFilter {
        rules: rules.to_vec(),
        open: Some(true),
        ..AlertFilter::default()
    };
    let rows = alert::Entity::find()
        .select_only()
        .column(alert::Column::SiteId)
        .column(alert::Column::TownId)
        .column(alert::Column::OwningBureauId)
        .column(alert::Column::RuleCode)
        .column(alert::Column::Severity)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "alerts")
        .filter(filter.condition(visibility))
        .group_by(alert::Column::SiteId)
        .group_by(alert::Column::TownId)
        .group_by(alert::Column::OwningBureauId)
        .group_by(alert::Column::RuleCode)
        .group_by(alert::Column::Severity)
        .into_model::<Row>()
        .all(db)
        .await?;
    let mut counts = OpenAlertCounts::default();
    let add = |entry: &mut (i64, i64), row: &Row| {
        entry.0 += row.alerts;
        if row.severity == AlertSeverity::Critical.code() {
            entry.1 += row.alerts;
        }
    };
    for row in &rows {
        counts.total += row.alerts;
        if let Some(site) = row.site_id {
            add(counts.by_site.entry((site, row.town_id)).or_default(), row);
        }
        if let Some(bureau) = row.owning_bureau_id {
            add(counts.by_bureau.entry(bureau).or_default(), row);
        }
        if let Some(town) = row.town_id {
            add(counts.by_town.entry(town).or_default(), row);
        }
        add(
            counts.by_rule.entry(row.rule_code.clone()).or_default(),
            row,
        );
    }
    Ok(counts)
}

/// Closes an open alert by hand with a note, in one transaction with its audit entry. Only
/// rules that allow it (`AlertRule::resolvable_by_hand`); the others close by the data.
pub async fn resolve_by_hand(
    db: &DatabaseConnection,
    visibility: &AlertVisibility,
    id: i64,
    user_id: i64,
    note: String,
    audit_entry: AuditEntry,
) -> ApiResult<alert::Model> {
    let transaction = begin_write(db).await?;
    let current = visible_alert(&transaction, visibility, id).await?;
    let rule = AlertRule::from_code(&current.rule_code).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!("unknown alert rule {}", current.rule_code))
    })?;
    if current.resolved_at.is_some() {
        return Err(ApiError::Conflict(format!(
            "alert {id} is already resolved; reload the feed"
        )));
    }
    if !rule.resolvable_by_hand() {
        return Err(ApiError::Conflict(format!(
            "a {} alert ({}) closes by itself once the data no longer breaks the rule: record the change (for example the employment, enrolment, contract, payment or completion) instead of resolving it by hand",
            rule.label_zh(),
            rule.clause()
        )));
    }
    let now = Utc::now();
    let result = alert::Entity::update_many()
        .col_expr(alert::Column::ResolvedAt, Expr::value(now))
        .col_expr(alert::Column::ResolvedByUserId, Expr::value(user_id))
        .col_expr(alert::Column::ResolutionNote, Expr::value(note.clone()))
        .col_expr(alert::Column::UpdatedAt, Expr::value(now))
        .col_expr(alert::Column::UpdatedBy, Expr::value(user_id))
        .col_expr(
            alert::Column::Version,
            Expr::col(alert::Column::Version).add(1),
        )
        .filter(alert::Column::Id.eq(id))
        .filter(alert::Column::ResolvedAt.is_null())
        .exec(&transaction)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::Conflict(format!(
            "alert {id} was resolved meanwhile; reload the feed"
        )));
    }
    audit::record(&transaction, audit_entry.reason(note)).await?;
    let resolved = visible_alert(&transaction, &AlertVisibility::All, id).await?;
    transaction.commit().await?;
    Ok(resolved)
}

/// The sites, households and persons a page of alerts refers to (one statement each).
#[derive(Debug, Clone, Default)]
pub struct AlertSubjects {
    pub sites: HashMap<i64, site::Model>,
    pub households: HashMap<i64, household::Model>,
    pub persons: HashMap<i64, person::Model>,
}

fn distinct(ids: impl Iterator<Item = Option<i64>>) -> Vec<i64> {
    let mut ids: Vec<i64> = ids.flatten().collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

pub async fn alert_subjects(
    db: &impl ConnectionTrait,
    alerts: &[alert::Model],
) -> ApiResult<AlertSubjects> {
    let household_ids = distinct(alerts.iter().map(|alert| alert.household_id));
    let person_ids = distinct(alerts.iter().map(|alert| alert.person_id));
    let site_ids = distinct(alerts.iter().map(|alert| alert.site_id));
    let households = if household_ids.is_empty() {
        HashMap::new()
    } else {
        household::Entity::find()
            .filter(household::Column::Id.is_in(household_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|row| (row.id, row))
            .collect()
    };
    let persons = if person_ids.is_empty() {
        HashMap::new()
    } else {
        person::Entity::find()
            .filter(person::Column::Id.is_in(person_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|row| (row.id, row))
            .collect()
    };
    Ok(AlertSubjects {
        sites: sites_by_id(db, &site_ids).await?,
        households,
        persons,
    })
}

/// Sites by id (one statement; none for no ids).
pub async fn sites_by_id(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> ApiResult<HashMap<i64, site::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(site::Entity::find()
        .filter(site::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect())
}

/// The day `date` starts in China Standard Time, as an instant.
pub fn china_day_start(date: NaiveDate) -> Option<DateTime<Utc>> {
    date.and_hms_opt(0, 0, 0)
        .map(|local| local.and_utc() - Duration::hours(8))
}
