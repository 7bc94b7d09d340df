//! Database schema of 后续扶持: one migration file per change, run in order on SQLite and PostgreSQL.
pub use sea_orm_migration::prelude::*;

mod common;
pub mod m20261128_000001_reference_and_registry;
pub mod m20261128_000002_employment_and_training;
pub mod m20261128_000003_industry;
pub mod m20261128_000004_public_services;
pub mod m20261128_000005_self_government;
pub mod m20261128_000006_land;
pub mod m20261128_000007_party;
pub mod m20261128_000008_responsibility_and_assessment;
pub mod m20261128_000009_access_policy;
pub mod m20261128_000010_sessions_and_audit;
pub mod m20261201_000012_service_clients;
pub mod m20261201_000013_persisted_queries;
pub mod m20261201_000014_change_feed;
pub mod m20261207_000015_alert_refresh_runs;
pub mod m20261207_000016_access_notifications;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_reference_and_registry::Migration),
            Box::new(m20261128_000002_employment_and_training::Migration),
            Box::new(m20261128_000003_industry::Migration),
            Box::new(m20261128_000004_public_services::Migration),
            Box::new(m20261128_000005_self_government::Migration),
            Box::new(m20261128_000006_land::Migration),
            Box::new(m20261128_000007_party::Migration),
            Box::new(m20261128_000008_responsibility_and_assessment::Migration),
            Box::new(m20261128_000009_access_policy::Migration),
            Box::new(m20261128_000010_sessions_and_audit::Migration),
            Box::new(m20261201_000012_service_clients::Migration),
            Box::new(m20261201_000013_persisted_queries::Migration),
            Box::new(m20261201_000014_change_feed::Migration),
            Box::new(m20261207_000015_alert_refresh_runs::Migration),
            Box::new(m20261207_000016_access_notifications::Migration),
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
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("schema.db").display()
        );
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
        let admin = Database::connect(&admin_url)
            .await
            .expect("connect to TEST_DATABASE_URL");
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
        // Run in a task so that the throwaway database is dropped even when a check fails.
        let outcome = tokio::spawn(async move {
            let db = Database::connect(&url)
                .await
                .expect("connect to throwaway database");
            migrate_up_down_up(&db).await;
            db.close().await.expect("close throwaway database");
        })
        .await;
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .expect("drop throwaway database");
        if let Err(failure) = outcome {
            std::panic::resume_unwind(failure.into_panic());
        }
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

        async fn run(
            db: &DatabaseConnection,
            sql: &str,
        ) -> Result<(), sea_orm_migration::sea_orm::DbErr> {
            db.execute(Statement::from_string(
                db.get_database_backend(),
                sql.to_owned(),
            ))
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

        /// Minimal reference rows the checks below build on. Rows of tables that later get
        /// generated ids carry no explicit id (PostgreSQL sequences would not move past it).
        const FIXTURE: &[&str] = &[
            "INSERT INTO bureau (id, code, name, short_name, duties) VALUES (1, 'drc', '区发展和改革局', '发改局', ''), (2, 'hrss', '区人社局', '人社局', ''), (3, 'nr', '自然资源局王益分局', '自然资源', '')",
            "INSERT INTO town (id, division_code, name, kind) VALUES (1, '610202100', '黄堡镇', 'town')",
            "INSERT INTO community (id, code, name, town_id) VALUES (1, 'nansi', '南寺社区', 1)",
            "INSERT INTO site (id, code, name, town_id, community_id, area_type) VALUES (1, 'huangbao', '黄堡新镇区集中安置点', 1, 1, 'town_planning_area')",
            "INSERT INTO household (id, code, site_id) VALUES (1, 'H1', 1), (2, 'H2', 1)",
            "INSERT INTO person (id, household_id, name, id_number, sex, birth_date, relation, labour_capacity, employment_status) VALUES (1, 1, '张三', '610202199001011234', 'M', '1990-01-01', 'head', 'full', 'unemployed')",
            "INSERT INTO \"user\" (id, username, display_name, password_hash) VALUES (1, 'admin', '管理员', 'x')",
        ];

        const ACCEPTED: &[&str] = &[
            // Ids are generated (autoincrement) on both databases.
            "INSERT INTO job_posting (level, town_id, employer_name, title, employment_type, vacancies, published_on) VALUES ('town', 1, '社区工厂', '缝纫工', 'community_factory', 5, '2026-01-01')",
            "INSERT INTO training_institution (id, code, name) VALUES (1, 'ti1', '职业培训学校')",
            "INSERT INTO training_class (id, institution_id, code, name, speciality, kind, allowance_category, class_hours, courses, starts_on, ends_on) VALUES (1, 1, 'c1', '家政', '家政服务', 'skills', 'yuan_50', 80, '课程', '2026-03-02', '2026-03-20')",
            "INSERT INTO training_enrolment (id, class_id, person_id, enrolled_on) VALUES (1, 1, 1, '2026-03-02')",
            "INSERT INTO training_allowance_payment (enrolment_id, days, daily_rate_fen, amount_fen, paid_on) VALUES (1, 15, 5000, 75000, '2026-03-21')",
            "INSERT INTO insurance_enrolment (person_id, kind, year, status, enrolled_on) VALUES (1, 'pension', 2026, 'enrolled', '2026-01-05')",
            "INSERT INTO homestead (household_id, area_ten_thousandth_mu, state) VALUES (1, 3500, 'occupied')",
            "INSERT INTO land_linkage_project (id, code, name) VALUES (1, 'p1', '黄堡增减挂钩项目')",
            "INSERT INTO land_quota (id, code, origin, project_id, area_ten_thousandth_mu, confirmed_on) VALUES (1, 'q1', 'produced', 1, 100000, '2026-05-01')",
            "INSERT INTO land_quota (id, code, origin, area_ten_thousandth_mu, confirmed_on) VALUES (2, 'q2', 'received_by_transfer', 50000, '2026-05-01')",
            // 10 mu × 200,000 yuan = 2,000,000 yuan within the city (A5§10).
            "INSERT INTO quota_transfer (quota_id, buyer_government, scope, price_per_mu_fen, area_ten_thousandth_mu, amount_fen, platform_reference, contracted_on) VALUES (1, '印台区人民政府', 'within_city', 20000000, 100000, 200000000, 'SX-1', '2026-06-01')",
            "INSERT INTO quota_transfer (quota_id, buyer_government, scope, price_per_mu_fen, area_ten_thousandth_mu, amount_fen, platform_reference, contracted_on) VALUES (1, '西安市某区', 'across_cities', 22000000, 1, 2200, 'SX-2', '2026-06-01')",
            // Exactly 5 % to the reserve (A5§11).
            "INSERT INTO land_revenue (transfer_id, payer, received_on, amount_fen, reserve_fen) VALUES (1, '印台区财政局', '2026-06-10', 200000000, 10000000)",
            "INSERT INTO responsibility_task (code, title, annex, clause_ref, lead_leader_name, responsible_bureau_id, deadline) VALUES ('t1', '岗位信息库', 2, 'A2§1', '王副区长', 2, '2026-12-31')",
            "INSERT INTO responsibility_task (code, title, annex, clause_ref, lead_leader_name, responsible_town_id, deadline) VALUES ('t-town', '每月走访', 6, 'A6§2.2', '镇党委书记', 1, '2026-12-31')",
            "INSERT INTO task_cooperating_bureau (task_id, bureau_id) VALUES (2, 2)",
            "INSERT INTO task_cooperating_bureau (task_id, responsible_bureau_id, bureau_id) VALUES (1, 2, 1)",
            "INSERT INTO task_progress_report (task_id, reported_on, percent_complete, narrative) VALUES (1, '2026-04-01', 100, '完成')",
            "INSERT INTO assessment_plan (year, title, follow_up_weight_bp) VALUES (2026, '2026年专项考核', 3000)",
            "INSERT INTO assessment_plan_component (plan_id, code, name, weight_bp) VALUES (1, 'employment', '就业', 10000)",
            "INSERT INTO assessment_indicator (plan_id, code, name, method, rule_code, max_points_hundredths) VALUES (1, 'zero_employment', '零就业家庭动态清零', 'computed', 'zero_employment', 1000)",
            "INSERT INTO assessment_score (plan_id, indicator_id, subject_kind, bureau_id, points_hundredths, reason) VALUES (1, 1, 'bureau', 2, 950, '一户零就业超过30天')",
            "INSERT INTO assessment_score (plan_id, indicator_id, subject_kind, town_id, points_hundredths, reason) VALUES (1, 1, 'town', 1, 1000, '无')",
            "INSERT INTO assessment_publication (plan_id, title, as_of, snapshot_json, published_by) VALUES (1, '通报', '2026-12-01', '{}', 1)",
            "INSERT INTO data_domain (code, name, sensitive) VALUES ('health', '健康', TRUE)",
            "INSERT INTO role (id, code, name, kind, bureau_id) VALUES (1, 'health_bureau', '卫健局', 'bureau', 1)",
            "INSERT INTO role_domain_permission (role_id, domain, can_read, can_write) VALUES (1, 'health', TRUE, TRUE)",
            "INSERT INTO alert (rule_code, clause_ref, message, dedupe_key, household_id) VALUES ('zero_employment', 'A2§1', '零就业', 'zero_employment:1', 1)",
            "UPDATE alert SET resolved_at = CURRENT_TIMESTAMP WHERE dedupe_key = 'zero_employment:1'",
            "INSERT INTO alert (rule_code, clause_ref, message, dedupe_key, household_id) VALUES ('zero_employment', 'A2§1', '零就业', 'zero_employment:1', 1)",
            "INSERT INTO party_organisation (site_id, town_id, kind, name, instructor_name, established_on) VALUES (1, 1, 'none_with_instructor', '黄堡安置点', '李指导员', '2026-01-01')",
            "INSERT INTO working_day_calendar (day, kind, name) VALUES ('2026-10-01', 'holiday', '国庆节')",
        ];

        const REFUSED: &[&str] = &[
            // A town-level job posting needs its town.
            "INSERT INTO job_posting (level, employer_name, title, employment_type, vacancies, published_on) VALUES ('town', 'e', 't', 'nearby', 1, '2026-01-01')",
            // Allowance is 20 or 50 yuan a day and amount = days × rate (A2§3.1).
            "INSERT INTO training_allowance_payment (enrolment_id, days, daily_rate_fen, amount_fen, paid_on) VALUES (1, 2, 3000, 6000, '2026-01-01')",
            "INSERT INTO training_allowance_payment (enrolment_id, days, daily_rate_fen, amount_fen, paid_on) VALUES (1, 2, 2000, 5000, '2026-01-01')",
            // One insurance enrolment per person, kind and year (A3§4).
            "INSERT INTO insurance_enrolment (person_id, kind, year) VALUES (1, 'pension', 2026)",
            // One household, one homestead (A5§1); no vacating without recorded consent (A5§5);
            // restoring to green needs certification (A5§3).
            "INSERT INTO homestead (household_id, area_ten_thousandth_mu) VALUES (1, 100)",
            "INSERT INTO homestead (household_id, area_ten_thousandth_mu, state) VALUES (2, 100, 'vacated')",
            "INSERT INTO homestead (household_id, area_ten_thousandth_mu, state, consent_recorded_on) VALUES (2, 100, 'restored_green', '2026-01-01')",
            // A quota received by transfer may not be transferred again (A5§8).
            "INSERT INTO quota_transfer (quota_id, buyer_government, scope, price_per_mu_fen, area_ten_thousandth_mu, amount_fen, platform_reference, contracted_on) VALUES (2, '某县', 'within_city', 20000000, 10000, 20000000, 'SX-3', '2026-06-01')",
            "INSERT INTO quota_transfer (quota_id, quota_origin, buyer_government, scope, price_per_mu_fen, area_ten_thousandth_mu, amount_fen, platform_reference, contracted_on) VALUES (2, 'received_by_transfer', '某县', 'within_city', 20000000, 10000, 20000000, 'SX-4', '2026-06-01')",
            "UPDATE land_quota SET origin = 'received_by_transfer' WHERE id = 1",
            // Price: 200,000 yuan/mu within the city, ±10 % across cities (A5§10).
            "INSERT INTO quota_transfer (quota_id, buyer_government, scope, price_per_mu_fen, area_ten_thousandth_mu, amount_fen, platform_reference, contracted_on) VALUES (1, '某区', 'within_city', 21000000, 10000, 21000000, 'SX-5', '2026-06-01')",
            "INSERT INTO quota_transfer (quota_id, buyer_government, scope, price_per_mu_fen, area_ten_thousandth_mu, amount_fen, platform_reference, contracted_on) VALUES (1, '某市', 'across_cities', 22000001, 10000, 22000001, 'SX-6', '2026-06-01')",
            "INSERT INTO quota_transfer (quota_id, buyer_government, scope, price_per_mu_fen, area_ten_thousandth_mu, amount_fen, platform_reference, contracted_on) VALUES (1, '某市', 'across_cities', 17999999, 10000, 17999999, 'SX-7', '2026-06-01')",
            // Amount must be price × area.
            "INSERT INTO quota_transfer (quota_id, buyer_government, scope, price_per_mu_fen, area_ten_thousandth_mu, amount_fen, platform_reference, contracted_on) VALUES (1, '某区', 'within_city', 20000000, 10000, 19000000, 'SX-8', '2026-06-01')",
            // The platform reference is mandatory and unique (A5§8).
            "INSERT INTO quota_transfer (quota_id, buyer_government, scope, price_per_mu_fen, area_ten_thousandth_mu, amount_fen, platform_reference, contracted_on) VALUES (1, '某区', 'within_city', 20000000, 10000, 20000000, 'SX-1', '2026-06-01')",
            // Reserve below 5 % of the revenue (A5§11).
            "INSERT INTO land_revenue (payer, received_on, amount_fen, reserve_fen) VALUES ('x', '2026-06-10', 200000000, 9999999)",
            // The responsible bureau cannot also co-operate; a co-operating one cannot become
            // responsible while listed (A7§2); a task needs its lead leader.
            "INSERT INTO task_cooperating_bureau (task_id, responsible_bureau_id, bureau_id) VALUES (1, 2, 2)",
            "INSERT INTO task_cooperating_bureau (task_id, responsible_bureau_id, bureau_id) VALUES (1, 3, 2)",
            "UPDATE responsibility_task SET responsible_bureau_id = 1 WHERE id = 1",
            "INSERT INTO responsibility_task (code, title, annex, clause_ref, responsible_bureau_id, deadline) VALUES ('t2', 'x', 7, 'A7§2', 1, '2026-12-31')",
            // One responsible unit: a bureau or a town, not both, not neither (A7§2).
            "INSERT INTO responsibility_task (code, title, annex, clause_ref, lead_leader_name, responsible_bureau_id, responsible_town_id, deadline) VALUES ('t4', 'x', 7, 'A7§2', '王', 1, 1, '2026-12-31')",
            "INSERT INTO responsibility_task (code, title, annex, clause_ref, lead_leader_name, deadline) VALUES ('t5', 'x', 7, 'A7§2', '王', '2026-12-31')",
            // A publication never changes.
            "UPDATE assessment_publication SET title = 'changed'",
            "DELETE FROM assessment_publication",
            "INSERT INTO responsibility_task (code, title, annex, clause_ref, lead_leader_name, responsible_bureau_id) VALUES ('t3', 'x', 7, 'A7§2', '王', 1)",
            // Progress is a percentage.
            "INSERT INTO task_progress_report (task_id, reported_on, percent_complete, narrative) VALUES (1, '2026-04-01', 101, 'x')",
            // One plan per year; follow-up support weighs at least 30 % (A7§4); weights ≤ 10000 bp.
            "INSERT INTO assessment_plan (year, title, follow_up_weight_bp) VALUES (2026, 'again', 5000)",
            "INSERT INTO assessment_plan (year, title, follow_up_weight_bp) VALUES (2027, 'low', 2999)",
            "INSERT INTO assessment_plan_component (plan_id, code, name, weight_bp) VALUES (1, 'x', 'x', 10001)",
            // A score names exactly the subject its kind says.
            "INSERT INTO assessment_score (plan_id, indicator_id, subject_kind, town_id, points_hundredths, reason) VALUES (1, 1, 'bureau', 1, 100, 'x')",
            // One score per subject and indicator; a computed indicator names its rule.
            "INSERT INTO assessment_score (plan_id, indicator_id, subject_kind, bureau_id, points_hundredths, reason) VALUES (1, 1, 'bureau', 2, 900, 'again')",
            "INSERT INTO assessment_indicator (plan_id, code, name, method, max_points_hundredths) VALUES (1, 'x', 'x', 'computed', 100)",
            // One permission row per role and domain; writing implies reading; domains must exist.
            "INSERT INTO role_domain_permission (role_id, domain, can_read) VALUES (1, 'health', TRUE)",
            "INSERT INTO role_domain_permission (role_id, domain, can_read, can_write) VALUES (1, 'health', FALSE, TRUE)",
            "INSERT INTO role_domain_permission (role_id, domain, can_read) VALUES (1, 'no_such_domain', TRUE)",
            // One open alert per problem.
            "INSERT INTO alert (rule_code, clause_ref, message, dedupe_key) VALUES ('zero_employment', 'A2§1', '零就业', 'zero_employment:1')",
            // A site without party members needs an instructor; one current organisation per site.
            "INSERT INTO party_organisation (site_id, town_id, kind, name, established_on) VALUES (1, 1, 'none_with_instructor', 'x', '2026-01-01')",
            "INSERT INTO party_organisation (site_id, town_id, kind, name, established_on) VALUES (1, 1, 'branch', 'x', '2026-01-01')",
            "INSERT INTO working_day_calendar (day, kind) VALUES ('2026-10-01', 'makeup_workday')",
            // Code columns only take their codes.
            "INSERT INTO working_day_calendar (day, kind) VALUES ('2026-10-02', 'weekend')",
        ];
    }
}
