//! PostgreSQL tells every server instance when something that decides a session's rights
//! changes — the session's revocation, the account, the account's roles, the roles' policy
//! rows — by `NOTIFY houxu_access` from statement triggers, delivered when the write commits.
//! Each instance keeps the sessions it checked recently and empties that cache on the
//! notification (`backend/src/access/session_cache.rs`), so a signed-in request costs no
//! statement for its sign-in check and revocation still takes effect at once. SQLite has no
//! notifications (and serves one instance): nothing to do there.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Each table, the events that matter on it, and the trigger's name.
const TRIGGERS: &[(&str, &str)] = &[
    // Only the columns a request's check reads: activity touches, refresh-token rotation,
    // failed sign-ins and password hashes do not change rights (a password change revokes
    // the sessions), and an outsider could otherwise empty every cache with wrong passwords.
    (
        "user_session",
        "UPDATE OF revoked_at, user_id, created_at OR DELETE OR TRUNCATE",
    ),
    (
        "\"user\"",
        "UPDATE OF id, username, display_name, disabled, must_change_password OR DELETE OR TRUNCATE",
    ),
    ("user_role", "INSERT OR UPDATE OR DELETE OR TRUNCATE"),
    ("role", "INSERT OR UPDATE OR DELETE OR TRUNCATE"),
    (
        "role_domain_permission",
        "INSERT OR UPDATE OR DELETE OR TRUNCATE",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE FUNCTION houxu_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 PERFORM pg_notify('houxu_access', '');
                 RETURN NULL;
             END $$",
        )
        .await?;
        for (table, events) in TRIGGERS {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER access_changed AFTER {events} ON {table}
                 FOR EACH STATEMENT EXECUTE FUNCTION houxu_access_changed()"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for (table, _) in TRIGGERS {
            db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS access_changed ON {table}"))
                .await?;
        }
        db.execute_unprepared("DROP FUNCTION IF EXISTS houxu_access_changed()")
            .await?;
        Ok(())
    }
}
