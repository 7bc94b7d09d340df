//! Connecting to SQLite or PostgreSQL, migrating, and loading reference and demo data on a new database.
use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, EntityTrait, PaginatorTrait,
    TransactionTrait,
};

use super::access_seed;
use super::entities::bureau;
use crate::config::{redact_password, Config};

/// Begins a transaction that will write. On SQLite it takes the write lock at once, as
/// `BEGIN IMMEDIATE` would: a deferred transaction that reads first and writes later fails
/// with SQLITE_BUSY, without waiting, when another writer committed in between (WAL mode);
/// one whose first statement writes waits for the lock (up to the busy timeout) instead.
/// On PostgreSQL it is a plain `BEGIN`. Use it for every transaction that may write.
pub async fn begin_write<C>(db: &C) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr>
where
    C: TransactionTrait + ConnectionTrait,
{
    let transaction = db.begin().await?;
    if transaction.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        // A write that changes nothing: it takes the lock, and its statement is the first.
        transaction
            .execute_unprepared("UPDATE seaql_migrations SET version = version WHERE 0")
            .await?;
    }
    Ok(transaction)
}

/// Whether the access policy's data domains are loaded.
async fn has_data_domains(db: &DatabaseConnection) -> Result<bool, sea_orm::DbErr> {
    let row = db
        .query_one(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT 1 AS present FROM data_domain LIMIT 1",
        ))
        .await?;
    Ok(row.is_some())
}

/// What start-up did to the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartupReport {
    pub new_database: bool,
    pub demo_households: u32,
    pub demo_persons: u32,
    /// The demo accounts created (all with the demo password).
    pub demo_accounts: Vec<String>,
}

/// Connects, runs pending migrations, and loads the reference (and optionally demo) data when
/// the database has none yet — all of it in one transaction so a failed load leaves nothing.
pub async fn connect_and_prepare(
    config: &Config,
) -> anyhow::Result<(DatabaseConnection, StartupReport)> {
    let url = config.effective_database_url()?;
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                config.data_dir.display()
            )
        })?;
    }
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(config.database_max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|options| {
            options
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    let db = Database::connect(options)
        .await
        .with_context(|| format!("cannot connect to the database {}", redact_password(&url)))?;

    Migrator::up(&db, None)
        .await
        .context("cannot migrate the database")?;

    let mut report = StartupReport {
        new_database: false,
        demo_households: 0,
        demo_persons: 0,
        demo_accounts: Vec::new(),
    };
    let new_database = bureau::Entity::find().count(&db).await? == 0;
    // A database filled by `houxu-generate` has reference data but no access policy yet.
    let without_policy = new_database || !has_data_domains(&db).await?;
    if without_policy {
        report.new_database = new_database;
        let transaction = db.begin().await?;
        if new_database {
            seed::load_reference_data(&transaction)
                .await
                .context("cannot load the reference data")?;
        }
        access_seed::load_default_policy(&transaction)
            .await
            .context("cannot load the default access policy")?;
        if new_database && config.demo_data {
            let summary = seed::load_demo_data(&transaction)
                .await
                .context("cannot load the demo data")?;
            report.demo_households = summary.households;
            report.demo_persons = summary.persons;
            report.demo_accounts = access_seed::create_demo_accounts(&transaction)
                .await
                .context("cannot create the demo accounts")?;
        }
        transaction.commit().await?;
    }
    // Alerts as the data stands today: the demo data just loaded, or days passed since the last
    // run (skipped when an instance already did it today: writes refresh their own scopes).
    super::alerts::refresh_all_unless_done_today(&db).await?;
    Ok((db, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ColumnTrait, QueryFilter};

    /// A database as `houxu-generate` leaves it: migrated, reference data, 200 persons.
    async fn generated_database(config: &Config) -> DatabaseConnection {
        let db = Database::connect(&config.effective_database_url().unwrap())
            .await
            .unwrap();
        Migrator::up(&db, None).await.unwrap();
        let transaction = db.begin().await.unwrap();
        seed::load_reference_data(&transaction).await.unwrap();
        transaction.commit().await.unwrap();
        seed::generate_scale(&db, 200, 1).await.unwrap();
        db
    }

    /// `houxu-generate` makes a database with reference data and people but no access policy;
    /// the server completes it instead of running deny-all (nobody could read anything).
    #[tokio::test]
    async fn a_generated_database_gets_the_default_policy_at_start_up() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::for_tests(dir.path().to_path_buf());
        {
            let db = generated_database(&config).await;
            assert!(!has_data_domains(&db).await.unwrap());
            db.close().await.unwrap();
        }
        let (db, report) = connect_and_prepare(&config).await.unwrap();
        assert!(!report.new_database, "the generated data stays");
        assert!(has_data_domains(&db).await.unwrap());
        let permissions = super::super::entities::role_domain_permission::Entity::find()
            .count(&db)
            .await
            .unwrap();
        assert!(permissions > 0);
        // A second start changes nothing.
        let (_, again) = connect_and_prepare(&config).await.unwrap();
        assert!(!again.new_database);
    }

    /// The full alert refresh runs once a day, whichever instance starts first: a restart on
    /// the same day keeps the alerts as the writes left them, a new day recomputes them all.
    #[tokio::test]
    async fn the_full_alert_refresh_runs_once_a_day() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::for_tests(dir.path().to_path_buf());
        generated_database(&config).await.close().await.unwrap();
        let open_alerts = |db: DatabaseConnection| async move {
            super::super::entities::alert::Entity::find()
                .filter(super::super::entities::alert::Column::ResolvedAt.is_null())
                .count(&db)
                .await
                .unwrap()
        };
        let (db, _) = connect_and_prepare(&config).await.unwrap();
        let raised = open_alerts(db.clone()).await;
        assert!(
            raised > 200,
            "generated persons lack insurance: {raised} alerts"
        );
        assert!(super::super::alerts::refreshed_today(&db).await.unwrap());
        db.execute_unprepared("DELETE FROM alert").await.unwrap();

        let (db, _) = connect_and_prepare(&config).await.unwrap();
        assert_eq!(
            open_alerts(db.clone()).await,
            0,
            "done today: not run again"
        );

        db.execute_unprepared("DELETE FROM alert_refresh_run")
            .await
            .unwrap();
        let (db, _) = connect_and_prepare(&config).await.unwrap();
        assert_eq!(
            open_alerts(db.clone()).await,
            raised,
            "a new day: everything again"
        );
    }
}
