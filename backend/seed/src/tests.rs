//! Loads reference and demo data into throwaway SQLite (and PostgreSQL when configured) databases.
use chrono::NaiveDate;
use migration::MigratorTrait;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement, TransactionTrait};

use crate::demo::shape::*;

struct TestDb {
    db: DatabaseConnection,
    _dir: Option<tempfile::TempDir>,
    drop_on: Option<(String, String)>,
}

impl TestDb {
    async fn close(self) {
        let TestDb { db, drop_on, .. } = self;
        let _ = db.close().await;
        if let Some((admin_url, name)) = drop_on {
            if let Ok(admin) = Database::connect(&admin_url).await {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
                let _ = admin.close().await;
            }
        }
    }
}

async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("seed.db").display());
    let db = Database::connect(&url).await.unwrap();
    migration::Migrator::up(&db, None).await.unwrap();
    TestDb {
        db,
        _dir: Some(dir),
        drop_on: None,
    }
}

/// A fresh PostgreSQL database when TEST_DATABASE_URL is set; fails under REQUIRE_POSTGRES=1.
async fn postgres() -> Option<TestDb> {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        assert!(
            std::env::var("REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set"
        );
        return None;
    };
    let name = format!("seed_{}", rand::random::<u64>() % 1_000_000_000_000);
    let admin = Database::connect(&admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await.unwrap();
    let base = admin_url.rsplit_once('/').map(|(base, _)| base).unwrap();
    let db = Database::connect(format!("{base}/{name}")).await.unwrap();
    migration::Migrator::up(&db, None).await.unwrap();
    Some(TestDb {
        db,
        _dir: None,
        drop_on: Some((admin_url, name)),
    })
}

async fn load_all(db: &DatabaseConnection) -> crate::DemoSummary {
    let tx = db.begin().await.unwrap();
    crate::load_reference_data(&tx).await.unwrap();
    let summary = crate::load_demo_data(&tx).await.unwrap();
    tx.commit().await.unwrap();
    summary
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// Every column of every table (SQLite), in rowid order, except the timestamps the database
/// fills in itself.
async fn database_snapshot(db: &DatabaseConnection) -> Vec<String> {
    let backend = db.get_database_backend();
    let tables: Vec<String> = db
        .query_all(Statement::from_string(
            backend,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> 'seaql_migrations' ORDER BY name",
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.try_get("", "name").unwrap())
        .collect();
    let mut out = Vec::new();
    for table in tables {
        let columns: Vec<String> = db
            .query_all(Statement::from_string(
                backend,
                format!("PRAGMA table_info({table})"),
            ))
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.try_get::<String>("", "name").unwrap())
            .filter(|c| {
                !matches!(
                    c.as_str(),
                    "created_at" | "updated_at" | "added_at" | "granted_at"
                )
            })
            .collect();
        let sql = format!(
            "SELECT {} FROM {table} ORDER BY rowid",
            columns
                .iter()
                .map(|c| format!("COALESCE(CAST({c} AS TEXT), '-')"))
                .collect::<Vec<_>>()
                .join(" || '|' || ")
        );
        for row in db
            .query_all(Statement::from_string(backend, sql))
            .await
            .unwrap()
        {
            out.push(format!("{table}: {row:?}"));
        }
    }
    out
}

struct PersonRow {
    id_number: String,
    sex: String,
    birth_date: NaiveDate,
}

async fn persons(db: &DatabaseConnection) -> Vec<PersonRow> {
    db.query_all(Statement::from_string(
        db.get_database_backend(),
        "SELECT id_number, sex, birth_date FROM person ORDER BY id",
    ))
    .await
    .unwrap()
    .into_iter()
    .map(|row| PersonRow {
        id_number: row.try_get("", "id_number").unwrap(),
        sex: row.try_get("", "sex").unwrap(),
        birth_date: row.try_get("", "birth_date").unwrap(),
    })
    .collect()
}

async fn assert_demo_is_complete(db: &DatabaseConnection) {
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM household").await,
        DEMO_HOUSEHOLDS as i64
    );
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM person").await,
        DEMO_PERSONS as i64
    );
    for site in DEMO_SITES {
        let sql = format!(
            "SELECT COUNT(*) FROM person p JOIN household h ON h.id = p.household_id \
             JOIN site s ON s.id = h.site_id WHERE s.code = '{}'",
            site.site_code
        );
        assert_eq!(
            count(db, &sql).await,
            site.persons as i64,
            "{}",
            site.site_code
        );
    }
    assert_eq!(count(db, "SELECT COUNT(*) FROM bureau").await, 19);
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM bureau WHERE is_lead").await,
        1
    );
    assert_eq!(count(db, "SELECT COUNT(*) FROM role").await, 19 + 2 + 5);
    assert_eq!(count(db, "SELECT COUNT(*) FROM industry").await, 7);
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM household h WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND p.relation = 'head')").await,
        0,
        "every household has a head"
    );

    for person in persons(db).await {
        let id = &person.id_number;
        assert_eq!(id.len(), 18);
        assert!(id.starts_with("610202"), "{id}");
        assert_eq!(
            crate::id_number::check_digit(&id[..17]),
            id.chars().nth(17),
            "{id}"
        );
        assert!(domain::id_number::IdNumber::parse(id).is_ok(), "{id}");
        assert_eq!(
            id[6..14],
            person.birth_date.format("%Y%m%d").to_string(),
            "{id}"
        );
        let odd = id[16..17].parse::<u32>().unwrap() % 2 == 1;
        assert_eq!(person.sex, if odd { "M" } else { "F" }, "{id}");
    }

    // Ages from infants to 85+.
    let as_of = demo_as_of();
    let ages: Vec<u32> = persons(db)
        .await
        .iter()
        .map(|p| as_of.years_since(p.birth_date).unwrap())
        .collect();
    assert_eq!(ages.iter().min(), Some(&0));
    assert!(ages.iter().max().copied().unwrap() >= 85);

    // A2§1: households with labour and nobody employed.
    let zero_employment = count(
        db,
        "SELECT COUNT(*) FROM household h WHERE EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND p.labour_capacity <> 'none') \
         AND NOT EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND p.employment_status = 'employed')",
    )
    .await;
    assert_eq!(zero_employment, ZERO_EMPLOYMENT_HOUSEHOLDS.len() as i64);
    assert!(zero_employment >= 2);
    // Labour capacity consistent with age: nobody under 16 has capacity or a job.
    let minors_working = count(
        db,
        &format!(
            "SELECT COUNT(*) FROM person WHERE birth_date > '{}' AND (labour_capacity <> 'none' OR employment_status <> 'not_in_labour_force')",
            as_of.with_year(as_of.year() - 16).unwrap()
        ),
    )
    .await;
    assert_eq!(minors_working, 0);
}

use chrono::Datelike;

#[tokio::test]
async fn reference_and_demo_load_gives_45_households_and_140_valid_persons_on_sqlite() {
    let test = sqlite().await;
    let summary = load_all(&test.db).await;
    assert_eq!(summary.households, DEMO_HOUSEHOLDS);
    assert_eq!(summary.persons, DEMO_PERSONS);
    assert_demo_is_complete(&test.db).await;
    assert_every_rule_has_an_example(&test.db).await;
    assert_every_rule_has_an_example(&test.db).await;
    test.close().await;
}

#[tokio::test]
async fn demo_load_writes_the_same_rows_every_time() {
    let first = sqlite().await;
    let second = sqlite().await;
    load_all(&first.db).await;
    load_all(&second.db).await;
    let a = database_snapshot(&first.db).await;
    let b = database_snapshot(&second.db).await;
    assert!(a.len() > 1_000, "{} rows", a.len());
    assert_eq!(a.len(), b.len());
    for (left, right) in a.iter().zip(&b) {
        assert_eq!(left, right);
    }
    first.close().await;
    second.close().await;
}

#[tokio::test]
async fn reference_and_demo_load_works_on_postgres() {
    let Some(test) = postgres().await else {
        return;
    };
    let summary = load_all(&test.db).await;
    assert_eq!(summary.persons, DEMO_PERSONS);
    assert_demo_is_complete(&test.db).await;
    assert_every_rule_has_an_example(&test.db).await;
    test.close().await;
}

async fn assert_scale_run(db: &DatabaseConnection) {
    let before = count(db, "SELECT COUNT(*) FROM person").await;
    let summary = crate::generate_scale(db, 10_000, 7).await.unwrap();
    assert_eq!(summary.persons, 10_000);
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM person").await - before,
        10_000
    );
    assert_eq!(summary.sites, 5);
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM household WHERE code LIKE 'GEN-H%'"
        )
        .await,
        summary.households as i64
    );
    // Every employed generated person holds one job; three insurance rows of the year each;
    // one finished class per site, its trainees able to work.
    let generated = "SELECT id FROM person WHERE household_id IN \
                     (SELECT id FROM household WHERE code LIKE 'GEN-H%')";
    assert_eq!(
        count(db, &format!("SELECT COUNT(*) FROM employment_spell WHERE person_id IN ({generated})")).await,
        count(db, &format!("SELECT COUNT(*) FROM person WHERE id IN ({generated}) AND employment_status = 'employed'")).await,
    );
    assert_eq!(
        count(db, &format!("SELECT COUNT(*) FROM insurance_enrolment WHERE year = 2026 AND person_id IN ({generated})")).await,
        3 * 10_000
    );
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM training_class WHERE code LIKE 'GEN-TC%'"
        )
        .await,
        5
    );
    let trainees = count(
        db,
        &format!(
            "SELECT COUNT(*) FROM training_enrolment e JOIN person p ON p.id = e.person_id \
                  WHERE p.id IN ({generated}) AND p.labour_capacity = 'full'"
        ),
    )
    .await;
    assert!(trainees > 100, "{trainees} trainees");
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM training_enrolment e JOIN training_class c ON c.id = e.class_id WHERE c.code LIKE 'GEN-TC%'").await,
        trainees
    );
    // A second run appends without colliding, and the database still hands out ids itself.
    crate::generate_scale(db, 2_500, 8).await.unwrap();
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM person").await - before,
        12_500
    );
    assert_eq!(
        count(db, "SELECT COUNT(DISTINCT id_number) FROM person").await,
        before + 12_500
    );
    let max_village = count(db, "SELECT MAX(id) FROM village").await;
    let tx = db.begin().await.unwrap();
    let id = crate::sql::insert_returning_id(
        &tx,
        "village",
        vec![
            ("code", crate::sql::text("AFTER")),
            ("name", crate::sql::text("x")),
        ],
    )
    .await
    .unwrap();
    assert_eq!(id, max_village + 1);
    tx.rollback().await.unwrap();
    for person in persons(db).await {
        let id = &person.id_number;
        assert_eq!(
            crate::id_number::check_digit(&id[..17]),
            id.chars().nth(17),
            "{id}"
        );
        assert_eq!(
            id[6..14],
            person.birth_date.format("%Y%m%d").to_string(),
            "{id}"
        );
    }
}

#[tokio::test]
async fn scale_generator_appends_exactly_the_requested_persons_on_sqlite() {
    let test = sqlite().await;
    load_all(&test.db).await;
    assert_scale_run(&test.db).await;
    test.close().await;
}

#[tokio::test]
async fn scale_generator_appends_exactly_the_requested_persons_on_postgres() {
    let Some(test) = postgres().await else {
        return;
    };
    let tx = test.db.begin().await.unwrap();
    crate::load_reference_data(&tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_scale_run(&test.db).await;
    test.close().await;
}

async fn dates(db: &DatabaseConnection, sql: &str) -> Vec<(i64, NaiveDate)> {
    db.query_all(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .into_iter()
        .map(|row| {
            (
                row.try_get_by_index(0).unwrap(),
                row.try_get_by_index(1).unwrap(),
            )
        })
        .collect()
}

/// Every rule and alert of DOMAIN.md has at least one example in the demo.
async fn assert_every_rule_has_an_example(db: &DatabaseConnection) {
    let at_least = |n: i64, min: i64, what: &str| assert!(n >= min, "{what}: {n} < {min}");
    // A2§1: zero-employment households, each with job pushes.
    let zero_with_pushes = count(
        db,
        "SELECT COUNT(DISTINCT h.id) FROM household h JOIN job_push j ON j.household_id = h.id \
         WHERE EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND p.labour_capacity <> 'none') \
         AND NOT EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND p.employment_status = 'employed')",
    )
    .await;
    at_least(
        zero_with_pushes,
        2,
        "zero-employment households with pushes",
    );
    at_least(
        count(db, "SELECT COUNT(*) FROM job_push WHERE outcome = 'hired'").await,
        1,
        "push that led to a hire",
    );
    // A2§3.1: classes filed on time and late, both allowance categories, no allowance for the late one.
    assert_eq!(
        count(
            db,
            "SELECT COUNT(DISTINCT allowance_category) FROM training_class"
        )
        .await,
        2
    );
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM training_allowance_payment p JOIN training_enrolment e ON e.id = p.enrolment_id JOIN training_class c ON c.id = e.class_id WHERE c.code = 'TC-2026-03'").await,
        0
    );
    at_least(
        count(
            db,
            "SELECT COUNT(DISTINCT daily_rate_fen) FROM training_allowance_payment",
        )
        .await,
        2,
        "20 and 50 yuan",
    );
    let calendar = domain_calendar(db).await;
    let filings = dates(
        db,
        "SELECT id, filed_on FROM training_class WHERE filed_on IS NOT NULL ORDER BY id",
    )
    .await;
    let starts = dates(
        db,
        "SELECT id, starts_on FROM training_class WHERE filed_on IS NOT NULL ORDER BY id",
    )
    .await;
    let working_days: Vec<u32> = filings
        .iter()
        .zip(&starts)
        .map(|((_, filed), (_, starts))| calendar.working_days_between(*filed, *starts))
        .collect();
    assert!(
        working_days.iter().any(|d| *d < 10),
        "a late filing: {working_days:?}"
    );
    assert!(
        working_days.iter().any(|d| *d > 10),
        "a timely filing: {working_days:?}"
    );
    assert!(
        working_days.contains(&10),
        "a filing exactly on the boundary: {working_days:?}"
    );
    // A3§2: children enrolled, one dropped out.
    at_least(count(db, "SELECT COUNT(*) FROM school_enrolment WHERE status = 'enrolled' AND stage IN ('primary', 'junior_middle')").await, 10, "compulsory enrolments");
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM school_enrolment WHERE status = 'dropped_out'"
        )
        .await,
        1
    );
    at_least(
        count(
            db,
            "SELECT COUNT(*) FROM school_enrolment WHERE transferred_from_school_id IS NOT NULL",
        )
        .await,
        1,
        "transfer",
    );
    // A3§3: persons without a family doctor; A3§4: insurance gaps.
    at_least(count(db, "SELECT COUNT(*) FROM person p WHERE NOT EXISTS (SELECT 1 FROM family_doctor_contract c WHERE c.person_id = p.id)").await, 1, "no family doctor");
    at_least(
        count(
            db,
            "SELECT COUNT(*) FROM insurance_enrolment WHERE status = 'pending'",
        )
        .await,
        1,
        "pending insurance",
    );
    at_least(
        count(db, "SELECT COUNT(*) FROM person p WHERE NOT EXISTS (SELECT 1 FROM insurance_enrolment i WHERE i.person_id = p.id AND i.kind = 'pension')").await,
        1,
        "missing pension row",
    );
    for kind in [
        "subsistence_allowance",
        "destitute_support",
        "temporary_assistance",
    ] {
        at_least(
            count(
                db,
                &format!("SELECT COUNT(*) FROM social_assistance WHERE kind = '{kind}'"),
            )
            .await,
            1,
            kind,
        );
    }
    // A3§5.
    for status in ["transferred", "residence_permit", "kept_at_origin"] {
        at_least(
            count(
                db,
                &format!("SELECT COUNT(*) FROM household_registration WHERE status = '{status}'"),
            )
            .await,
            1,
            status,
        );
    }
    // A6§1.1: ≥ 3 formal members and a branch at one site; 1–2 formal + others held locally at the other.
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM party_organisation WHERE kind = 'branch'"
        )
        .await,
        1
    );
    at_least(count(db, "SELECT COUNT(*) FROM party_member WHERE status = 'formal' AND organisation_id IS NOT NULL").await, 3, "branch members");
    let local_formal = count(
        db,
        "SELECT COUNT(*) FROM party_member WHERE status = 'formal' AND organisation_id IS NULL",
    )
    .await;
    assert!((1..=2).contains(&local_formal));
    for status in ["probationary", "activist"] {
        at_least(count(db, &format!("SELECT COUNT(*) FROM party_member WHERE status = '{status}' AND organisation_id IS NULL")).await, 1, status);
    }
    // A6§2.2: a committee member with a month without visits; A6§3.1: a month without a review.
    let visits = dates(
        db,
        "SELECT member_id, visited_on FROM party_visit ORDER BY id",
    )
    .await;
    let mut months: std::collections::HashMap<i64, std::collections::BTreeSet<u32>> =
        Default::default();
    for (member, day) in visits {
        months.entry(member).or_default().insert(day.month());
    }
    assert!(
        months.values().any(|m| m.len() < 11),
        "a missed visit month"
    );
    assert!(
        months.values().any(|m| m.len() == 11),
        "a member visiting every month"
    );
    let reviews = dates(
        db,
        "SELECT site_id, reviewed_on FROM town_committee_review ORDER BY id",
    )
    .await;
    let mut review_months: std::collections::HashMap<i64, std::collections::BTreeSet<u32>> =
        Default::default();
    for (site, day) in reviews {
        review_months.entry(site).or_default().insert(day.month());
    }
    assert!(review_months.values().any(|m| m.len() < 11));
    // A5§1, §3, §5: every homestead state, consent where vacated, certification where green.
    assert_eq!(
        count(db, "SELECT COUNT(DISTINCT state) FROM homestead").await,
        6
    );
    assert_eq!(count(db, "SELECT COUNT(*) FROM homestead WHERE state <> 'occupied' AND consent_recorded_on IS NULL").await, 0);
    // A5§10: transfers within the city at the base price and across cities at both bounds.
    assert_eq!(count(db, "SELECT COUNT(*) FROM quota_transfer WHERE scope = 'within_city' AND price_per_mu_fen = 20000000").await, 1);
    assert_eq!(count(db, "SELECT COUNT(*) FROM quota_transfer WHERE scope = 'across_cities' AND price_per_mu_fen IN (18000000, 22000000)").await, 2);
    // A5§11: each revenue with a reserve of at least 5 %, one exactly at the boundary.
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM land_revenue WHERE reserve_fen * 20 < amount_fen"
        )
        .await,
        0
    );
    at_least(
        count(
            db,
            "SELECT COUNT(*) FROM land_revenue WHERE reserve_fen * 20 - amount_fen < 20",
        )
        .await,
        1,
        "5 % reserve",
    );
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM repayment_reserve_entry WHERE kind = 'revenue_share'"
        )
        .await,
        3
    );
    // A1: linkages of several kinds, one overdue on the demo date.
    at_least(
        count(db, "SELECT COUNT(DISTINCT kind) FROM benefit_linkage").await,
        12,
        "linkage kinds",
    );
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM benefit_fulfilment WHERE fulfilled_on IS NULL AND due_on < '2026-11-28'").await,
        1
    );
    assert_annex_7(db).await;
    // A4§2: a governance unit per site.
    assert_eq!(count(db, "SELECT COUNT(*) FROM site_governance").await, 2);
}

/// The working-day calendar as loaded, for the filing rule.
async fn domain_calendar(db: &DatabaseConnection) -> domain::calendar::WorkingCalendar {
    let rows = db
        .query_all(Statement::from_string(
            db.get_database_backend(),
            "SELECT day, kind FROM working_day_calendar ORDER BY day",
        ))
        .await
        .unwrap();
    let mut holidays = Vec::new();
    let mut makeup = Vec::new();
    for row in rows {
        let day: NaiveDate = row.try_get("", "day").unwrap();
        let kind: String = row.try_get("", "kind").unwrap();
        if kind == "holiday" {
            holidays.push(day);
        } else {
            makeup.push(day);
        }
    }
    domain::calendar::WorkingCalendar::new(holidays, makeup)
}

/// The derived status of every task on `as_of`, progress being the latest accepted report.
async fn task_statuses(
    db: &DatabaseConnection,
    as_of: NaiveDate,
) -> std::collections::BTreeMap<String, domain::responsibility::TaskStatus> {
    db.query_all(Statement::from_string(
        db.get_database_backend(),
        "SELECT t.code, t.deadline, t.completed_on, COALESCE((SELECT r.percent_complete \
         FROM task_progress_report r WHERE r.task_id = t.id AND r.status = 'accepted' \
         ORDER BY r.reported_on DESC, r.id DESC LIMIT 1), 0) AS progress \
         FROM responsibility_task t ORDER BY t.code",
    ))
    .await
    .unwrap()
    .into_iter()
    .map(|row| {
        let code: String = row.try_get("", "code").unwrap();
        let deadline: NaiveDate = row.try_get("", "deadline").unwrap();
        let completed: Option<NaiveDate> = row.try_get("", "completed_on").unwrap();
        let progress: i32 = row.try_get("", "progress").unwrap();
        let status = domain::responsibility::task_status(
            u8::try_from(progress).unwrap(),
            deadline,
            as_of,
            completed,
        );
        (code, status)
    })
    .collect()
}

/// A7: the reference list with the demo's planted cases on 2026-11-28, and the 2026 plan.
async fn assert_annex_7(db: &DatabaseConnection) {
    use crate::demo::assessment::{MANUAL_SCORES, TIED_UNITS};
    use crate::demo::responsibility::*;
    use domain::responsibility::TaskStatus;

    let tasks = crate::responsibility_list::RESPONSIBILITY_LIST.len() as i64;
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM responsibility_task").await,
        tasks
    );
    // A7§2: exactly one responsible unit; the towns hold their own tasks (A6§2.2, A7§3).
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM responsibility_task WHERE (responsible_bureau_id IS NULL) = (responsible_town_id IS NULL)"
        )
        .await,
        0
    );
    for division in ["610202100", "610202004"] {
        assert_eq!(
            count(
                db,
                &format!(
                    "SELECT COUNT(*) FROM responsibility_task t JOIN town w ON w.id = t.responsible_town_id \
                     WHERE w.division_code = '{division}' AND t.clause_ref IN ('A6§2.2', 'A7§3')"
                ),
            )
            .await,
            2,
            "{division}"
        );
    }
    assert_eq!(
        count(
            db,
            "SELECT COUNT(DISTINCT responsible_bureau_id) FROM responsibility_task"
        )
        .await,
        19,
        "every bureau is responsible for a task"
    );

    // The statuses on the demo date.
    let statuses = task_statuses(db, demo_as_of()).await;
    let with = |status: TaskStatus| -> Vec<String> {
        statuses
            .iter()
            .filter(|(_, s)| **s == status)
            .map(|(code, _)| code.clone())
            .collect()
    };
    let sorted = |codes: &[&str]| {
        let mut codes: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
        codes.sort();
        codes
    };
    assert_eq!(with(TaskStatus::Done), sorted(DONE_TASKS));
    assert_eq!(with(TaskStatus::Overdue), sorted(OVERDUE_TASKS));
    assert_eq!(with(TaskStatus::DueSoon), sorted(DUE_SOON_TASKS));
    assert_eq!(with(TaskStatus::OnTrack), sorted(ON_TRACK_TASKS));
    assert_eq!(with(TaskStatus::Done).len(), 9);
    assert_eq!(with(TaskStatus::Overdue).len(), 4);
    assert_eq!(with(TaskStatus::DueSoon).len(), 4);
    assert_eq!(with(TaskStatus::OnTrack).len(), 10);
    assert_eq!(with(TaskStatus::NotStarted).len() as i64, tasks - 27);
    // Not started means no report at all.
    assert_eq!(
        count(
            db,
            "SELECT COUNT(DISTINCT task_id) FROM task_progress_report"
        )
        .await,
        27 - 1,
        "every task but the overdue one without any report (RT-A5-05)"
    );
    // Done tasks, one of them late; none completed after the demo date.
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM responsibility_task WHERE completed_on > deadline"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            db,
            &format!(
                "SELECT COUNT(*) FROM responsibility_task WHERE completed_on > deadline AND code = '{COMPLETED_LATE_TASK}'"
            )
        )
        .await,
        1
    );
    // Reports in every review state; reviewed ones carry the review time, returned ones a comment.
    for status in ["submitted", "returned", "accepted"] {
        assert!(
            count(
                db,
                &format!("SELECT COUNT(*) FROM task_progress_report WHERE status = '{status}'")
            )
            .await
                >= 2,
            "{status}"
        );
    }
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM task_progress_report WHERE (status = 'submitted') <> (reviewed_at IS NULL) \
             OR (status = 'returned' AND (review_comment IS NULL OR review_comment = ''))"
        )
        .await,
        0
    );
    // One pending extension; one approved that moved the task's deadline.
    assert_eq!(
        count(
            db,
            &format!(
                "SELECT COUNT(*) FROM task_extension_request e JOIN responsibility_task t ON t.id = e.task_id \
                 WHERE e.status = 'pending' AND t.code = '{PENDING_EXTENSION_TASK}' AND t.deadline = e.current_deadline"
            )
        )
        .await,
        1
    );
    assert_eq!(
        count(
            db,
            &format!(
                "SELECT COUNT(*) FROM task_extension_request e JOIN responsibility_task t ON t.id = e.task_id \
                 WHERE e.status = 'approved' AND t.code = '{EXTENDED_TASK}' AND t.deadline = e.requested_deadline \
                 AND e.decided_at IS NOT NULL"
            )
        )
        .await,
        1
    );
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM task_extension_request").await,
        2
    );
    // A missed stage goal belongs to an overdue task.
    let missed: Vec<String> = db
        .query_all(Statement::from_string(
            db.get_database_backend(),
            "SELECT DISTINCT t.code FROM task_stage_goal g JOIN responsibility_task t ON t.id = g.task_id \
             WHERE g.achieved_on IS NULL AND g.deadline < '2026-11-28' ORDER BY t.code",
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.try_get("", "code").unwrap())
        .collect();
    assert_eq!(missed, sorted(OVERDUE_TASKS));
    // The history: one `created` per task, one event per report and review, extension and
    // completion, statuses among the derived codes.
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM task_event WHERE kind = 'created' AND status_before IS NULL"
        )
        .await,
        tasks
    );
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM task_event WHERE kind = 'report_submitted'"
        )
        .await,
        count(db, "SELECT COUNT(*) FROM task_progress_report").await
    );
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM task_event WHERE kind IN ('report_accepted', 'report_returned')"
        )
        .await,
        count(
            db,
            "SELECT COUNT(*) FROM task_progress_report WHERE status <> 'submitted'"
        )
        .await
    );
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM task_event WHERE kind = 'completed' AND status_after = 'done'"
        )
        .await,
        9
    );
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM task_event WHERE kind = 'completed' AND status_before = 'overdue'"
        )
        .await,
        1,
        "the late completion"
    );
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM task_event WHERE kind = 'extension_requested'"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM task_event WHERE kind = 'extension_approved' AND status_before = 'due_soon' AND status_after = 'on_track'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM task_event WHERE status_after NOT IN ('not_started', 'on_track', 'due_soon', 'overdue', 'done')"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM task_attachment a JOIN task_attachment_content c ON c.attachment_id = a.id"
        )
        .await,
        1
    );

    // A7§4: the 2026 plan weighs follow-up support 30 %; each component's indicators add up to 100 points.
    assert_eq!(
        count(
            db,
            "SELECT CAST(follow_up_weight_bp AS BIGINT) FROM assessment_plan WHERE year = 2026"
        )
        .await,
        3000
    );
    assert_eq!(
        count(
            db,
            "SELECT CAST(SUM(weight_bp) AS BIGINT) FROM assessment_plan_component WHERE is_follow_up_support"
        )
        .await,
        3000
    );
    assert_eq!(
        count(
            db,
            "SELECT CAST(SUM(weight_bp) AS BIGINT) FROM assessment_plan_component"
        )
        .await,
        10000
    );
    for component in ["follow_up", "other"] {
        assert_eq!(
            count(
                db,
                &format!(
                    "SELECT CAST(SUM(i.max_points_hundredths) AS BIGINT) FROM assessment_indicator i \
                     JOIN assessment_plan_component c ON c.id = i.component_id WHERE c.code = '{component}'"
                )
            )
            .await,
            10000,
            "{component}"
        );
    }
    for (code, owner) in [
        ("on_time_completion", None),
        ("zero_employment_resolved", Some("hrss")),
        ("insurance_coverage", Some("hrss")),
        ("schooling_no_dropouts", Some("education")),
        ("family_doctor_contracts", Some("health")),
        ("homestead_reclamation", Some("natural_resources")),
        ("monthly_party_visits", Some("organization")),
        ("post_training_employment", Some("hrss")),
    ] {
        let owner_condition = match owner {
            Some(owner) => format!("b.code = '{owner}'"),
            None => "i.owner_bureau_id IS NULL".to_string(),
        };
        assert_eq!(
            count(
                db,
                &format!(
                    "SELECT COUNT(*) FROM assessment_indicator i LEFT JOIN bureau b ON b.id = i.owner_bureau_id \
                     WHERE i.code = '{code}' AND i.method = 'computed' AND i.rule_code = '{code}' AND {owner_condition}"
                )
            )
            .await,
            1,
            "{code}"
        );
    }
    // Manual scores for every assessed unit on both manual indicators, with a tie.
    let units = MANUAL_SCORES.len() as i64;
    assert_eq!(units, 21);
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM assessment_score WHERE reason <> ''"
        )
        .await,
        2 * units
    );
    let tie = format!(
        "SELECT COUNT(DISTINCT s.points_hundredths) FROM assessment_score s JOIN bureau b ON b.id = s.bureau_id \
         JOIN assessment_indicator i ON i.id = s.indicator_id WHERE i.code = 'work_quality' AND b.code IN ('{}', '{}')",
        TIED_UNITS.0.code(),
        TIED_UNITS.1.code()
    );
    assert_eq!(count(db, &tie).await, 1);
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM assessment_deduction d JOIN bureau b ON b.id = d.bureau_id \
             JOIN inspection_finding f ON f.id = d.finding_id \
             WHERE b.code = 'education' AND d.points_hundredths = 200 AND f.status <> 'closed' AND d.reason <> ''"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn reference_data_alone_holds_the_responsibility_list_without_demo_history() {
    let test = sqlite().await;
    let tx = test.db.begin().await.unwrap();
    crate::load_reference_data(&tx).await.unwrap();
    tx.commit().await.unwrap();
    let db = &test.db;
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM responsibility_task").await,
        crate::responsibility_list::RESPONSIBILITY_LIST.len() as i64
    );
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM task_stage_goal").await,
        crate::responsibility_list::RESPONSIBILITY_LIST
            .iter()
            .map(|t| t.stage_goals.len() as i64)
            .sum::<i64>()
    );
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM task_cooperating_bureau c JOIN responsibility_task t ON t.id = c.task_id \
                   WHERE c.responsible_bureau_id IS NOT t.responsible_bureau_id").await,
        0,
        "the co-operating rows mirror the responsible bureau (null for a town's task)"
    );
    for table in [
        "task_progress_report",
        "task_event",
        "task_extension_request",
        "assessment_plan",
    ] {
        assert_eq!(
            count(db, &format!("SELECT COUNT(*) FROM {table}")).await,
            0,
            "{table}"
        );
    }
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM responsibility_task WHERE completed_on IS NOT NULL"
        )
        .await,
        0
    );
    test.close().await;
}
