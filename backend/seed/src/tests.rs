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

/// All business columns of the registry, as text, in id order (timestamps excluded).
async fn registry_snapshot(db: &DatabaseConnection) -> Vec<String> {
    let queries = [
        "SELECT id, code, name, short_name, duties, is_lead FROM bureau ORDER BY id",
        "SELECT id, division_code, name, kind FROM town ORDER BY id",
        "SELECT id, code, name, town_id FROM community ORDER BY id",
        "SELECT id, code, name, town_id FROM village ORDER BY id",
        "SELECT id, code, name, town_id, community_id, area_type, address FROM site ORDER BY id",
        "SELECT id, site_id, name FROM building ORDER BY id",
        "SELECT id, building_id, number, floor_area_centi_sqm FROM flat ORDER BY id",
        "SELECT id, code, site_id, flat_id, origin_village_id, registered_poor, relocated_on FROM household ORDER BY id",
        "SELECT id, household_id, name, id_number, sex, birth_date, relation, labour_capacity, employment_status, phone FROM person ORDER BY id",
        "SELECT id, code, name, category FROM industry ORDER BY id",
        "SELECT id, code, name, kind, bureau_id, town_id FROM role ORDER BY id",
    ];
    let mut out = Vec::new();
    for sql in queries {
        let rows = db
            .query_all(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap();
        for row in rows {
            out.push(format!("{sql}: {row:?}"));
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
    assert_eq!(count(db, "SELECT COUNT(*) FROM household").await, DEMO_HOUSEHOLDS as i64);
    assert_eq!(count(db, "SELECT COUNT(*) FROM person").await, DEMO_PERSONS as i64);
    for site in DEMO_SITES {
        let sql = format!(
            "SELECT COUNT(*) FROM person p JOIN household h ON h.id = p.household_id \
             JOIN site s ON s.id = h.site_id WHERE s.code = '{}'",
            site.site_code
        );
        assert_eq!(count(db, &sql).await, site.persons as i64, "{}", site.site_code);
    }
    assert_eq!(count(db, "SELECT COUNT(*) FROM bureau").await, 19);
    assert_eq!(count(db, "SELECT COUNT(*) FROM bureau WHERE is_lead").await, 1);
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
        assert_eq!(crate::id_number::check_digit(&id[..17]), id.chars().nth(17), "{id}");
        assert_eq!(
            domain_check_digit(&id[..17]),
            id.chars().nth(17),
            "the domain crate agrees on {id}"
        );
        assert_eq!(id[6..14], person.birth_date.format("%Y%m%d").to_string(), "{id}");
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

fn domain_check_digit(first17: &str) -> Option<char> {
    crate::id_number::check_digit(first17)
}

use chrono::Datelike;

#[tokio::test]
async fn reference_and_demo_load_gives_45_households_and_140_valid_persons_on_sqlite() {
    let test = sqlite().await;
    let summary = load_all(&test.db).await;
    assert_eq!(summary.households, DEMO_HOUSEHOLDS);
    assert_eq!(summary.persons, DEMO_PERSONS);
    assert_demo_is_complete(&test.db).await;
    test.close().await;
}

#[tokio::test]
async fn demo_load_writes_the_same_rows_every_time() {
    let first = sqlite().await;
    let second = sqlite().await;
    load_all(&first.db).await;
    load_all(&second.db).await;
    let a = registry_snapshot(&first.db).await;
    let b = registry_snapshot(&second.db).await;
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
    test.close().await;
}

async fn assert_scale_run(db: &DatabaseConnection) {
    let before = count(db, "SELECT COUNT(*) FROM person").await;
    let summary = crate::generate_scale(db, 10_000, 7).await.unwrap();
    assert_eq!(summary.persons, 10_000);
    assert_eq!(count(db, "SELECT COUNT(*) FROM person").await - before, 10_000);
    assert_eq!(summary.sites, 5);
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM household WHERE code LIKE 'GEN-H%'").await,
        summary.households as i64
    );
    // A second run appends without colliding, and the database still hands out ids itself.
    crate::generate_scale(db, 2_500, 8).await.unwrap();
    assert_eq!(count(db, "SELECT COUNT(*) FROM person").await - before, 12_500);
    assert_eq!(count(db, "SELECT COUNT(DISTINCT id_number) FROM person").await, before + 12_500);
    let max_village = count(db, "SELECT MAX(id) FROM village").await;
    let tx = db.begin().await.unwrap();
    let id = crate::sql::insert_returning_id(
        &tx,
        "village",
        vec![("code", crate::sql::text("AFTER")), ("name", crate::sql::text("x"))],
    )
    .await
    .unwrap();
    assert_eq!(id, max_village + 1);
    tx.rollback().await.unwrap();
    for person in persons(db).await {
        let id = &person.id_number;
        assert_eq!(crate::id_number::check_digit(&id[..17]), id.chars().nth(17), "{id}");
        assert_eq!(id[6..14], person.birth_date.format("%Y%m%d").to_string(), "{id}");
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
