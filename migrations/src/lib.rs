//! Database schema of 后续扶持: one migration file per change, run in order on SQLite and PostgreSQL.
pub use sea_orm_migration::prelude::*;

mod common;
pub mod m20261128_000001_reference_and_registry;
pub mod m20261128_000002_employment_and_training;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_reference_and_registry::Migration),
            Box::new(m20261128_000002_employment_and_training::Migration),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm_migration::sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};

    /// Runs every migration up, all the way down, and up again, then checks the constraints
    /// that the API relies on to refuse bad data.
    async fn migrate_up_down_up(db: &DatabaseConnection) {
        Migrator::up(db, None).await.expect("first up");
        Migrator::down(db, None).await.expect("down");
        let left = Migrator::get_applied_migrations(db).await.expect("status");
        assert!(left.is_empty(), "down left migrations applied");
        Migrator::up(db, None).await.expect("second up");
        constraints::check_all(db).await;
    }

    #[tokio::test]
    async fn migrations_run_up_down_up_on_sqlite() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("schema.db").display());
        let db = Database::connect(&url).await.expect("connect to sqlite");
        migrate_up_down_up(&db).await;
        db.close().await.expect("close sqlite");
    }

    #[tokio::test]
    async fn migrations_run_up_down_up_on_a_throwaway_postgres_database() {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            assert!(
                std::env::var("REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set"
            );
            return;
        };
        let admin = Database::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_nanos();
        let name = format!("mig_{}_{}", std::process::id(), nanos);
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create throwaway database");
        let url = with_database(&admin_url, &name);
        let db = Database::connect(&url).await.expect("connect to throwaway database");
        migrate_up_down_up(&db).await;
        db.close().await.expect("close throwaway database");
        admin
            .execute_unprepared(&format!("DROP DATABASE {name}"))
            .await
            .expect("drop throwaway database");
    }

    /// Replaces the database name of a `postgres://…/name?params` URL.
    fn with_database(url: &str, name: &str) -> String {
        let (base, query) = match url.split_once('?') {
            Some((base, query)) => (base, format!("?{query}")),
            None => (url, String::new()),
        };
        let scheme_end = base.find("://").map_or(0, |at| at + 3);
        let host_end = base[scheme_end..]
            .find('/')
            .map_or(base.len(), |at| scheme_end + at);
        format!("{}/{name}{query}", &base[..host_end])
    }

    #[test]
    fn with_database_replaces_only_the_path() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "mig_1"),
            "postgres://postgres@127.0.0.1:5432/mig_1"
        );
        assert_eq!(
            with_database("postgres://u:p@h/test?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h:1", "x"), "postgres://h:1/x");
    }

    mod constraints {
        use super::*;

        async fn run(db: &DatabaseConnection, sql: &str) -> Result<(), sea_orm_migration::sea_orm::DbErr> {
            db.execute(Statement::from_string(db.get_database_backend(), sql.to_owned()))
                .await
                .map(|_| ())
        }

        async fn accepts(db: &DatabaseConnection, sql: &str) {
            if let Err(error) = run(db, sql).await {
                panic!("expected to be accepted: {sql}\n{error}");
            }
        }

        async fn refuses(db: &DatabaseConnection, sql: &str) {
            assert!(run(db, sql).await.is_err(), "expected to be refused: {sql}");
        }

        pub async fn check_all(db: &DatabaseConnection) {
            for sql in FIXTURE {
                accepts(db, sql).await;
            }
            for sql in ACCEPTED {
                accepts(db, sql).await;
            }
            for sql in REFUSED {
                refuses(db, sql).await;
            }
        }

        /// Minimal reference rows the checks below build on.
        const FIXTURE: &[&str] = &[
            "INSERT INTO bureau (id, code, name, short_name, duties) VALUES (1, 'drc', '区发展和改革局', '发改局', ''), (2, 'hrss', '区人社局', '人社局', ''), (3, 'nr', '自然资源局王益分局', '自然资源', '')",
            "INSERT INTO town (id, division_code, name, kind) VALUES (1, '610202100', '黄堡镇', 'town')",
            "INSERT INTO community (id, code, name, town_id) VALUES (1, 'nansi', '南寺社区', 1)",
            "INSERT INTO site (id, code, name, town_id, community_id, area_type) VALUES (1, 'huangbao', '黄堡新镇区集中安置点', 1, 1, 'town_planning_area')",
            "INSERT INTO household (id, code, site_id) VALUES (1, 'H1', 1), (2, 'H2', 1)",
            "INSERT INTO person (id, household_id, name, id_number, sex, birth_date, relation, labour_capacity, employment_status) VALUES (1, 1, '张三', '610202199001011234', 'M', '1990-01-01', 'head', 'full', 'unemployed')",
            "INSERT INTO \"user\" (id, username, display_name, password_hash) VALUES (1, 'admin', '管理员', 'x')",
        ];

        const ACCEPTED: &[&str] = &[];

        const REFUSED: &[&str] = &[
            // A town-level job posting needs its town.
            "INSERT INTO job_posting (level, employer_name, title, employment_type, vacancies, published_on) VALUES ('town', 'e', 't', 'nearby', 1, '2026-01-01')",
            // Allowance is 20 or 50 yuan a day and amount = days × rate (A2§3.1).
            "INSERT INTO training_allowance_payment (enrolment_id, days, daily_rate_fen, amount_fen, paid_on) VALUES (1, 2, 3000, 6000, '2026-01-01')",
        ];
    }
}
