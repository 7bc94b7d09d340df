//! Sign-in sessions (idle and absolute timeouts, revocation), password history (no reuse),
//! the outcome and role of audit entries, and an audit log the database keeps append-only.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{fk_cascade, index, one_of};
use crate::m20261128_000001_reference_and_registry::{AuditLog, User};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One row per sign-in; access tokens carry its id (`sid`) and die with it.
        manager
            .create_table(
                Table::create()
                    .table(UserSession::Table)
                    .col(string_len(UserSession::Id, 64).primary_key())
                    .col(big_integer(UserSession::UserId))
                    .col(timestamp_with_time_zone(UserSession::CreatedAt))
                    .col(timestamp_with_time_zone(UserSession::LastUsedAt))
                    .col(timestamp_with_time_zone_null(UserSession::RevokedAt))
                    .col(string_len_null(UserSession::RevokedReason, 64))
                    .col(string_len_null(UserSession::RefreshTokenHash, 64).unique_key())
                    .col(string_len_null(UserSession::PreviousRefreshTokenHash, 64))
                    .col(string_len_null(UserSession::UserAgent, 200))
                    .col(string_len_null(UserSession::IpAddress, 64))
                    .foreign_key(&mut fk_cascade(
                        UserSession::Table,
                        UserSession::UserId,
                        User::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                UserSession::Table,
                "user_session_user_id_idx",
                &["user_id"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                UserSession::Table,
                "user_session_previous_refresh_token_hash_idx",
                &["previous_refresh_token_hash"],
                false,
            ))
            .await?;

        // The hashes of a user's last passwords, so that none is reused.
        manager
            .create_table(
                Table::create()
                    .table(PasswordHistory::Table)
                    .col(pk_auto(PasswordHistory::Id).big_integer())
                    .col(big_integer(PasswordHistory::UserId))
                    .col(text(PasswordHistory::PasswordHash))
                    .col(timestamp_with_time_zone(PasswordHistory::CreatedAt))
                    .foreign_key(&mut fk_cascade(
                        PasswordHistory::Table,
                        PasswordHistory::UserId,
                        User::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                PasswordHistory::Table,
                "password_history_user_id_idx",
                &["user_id"],
                false,
            ))
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(AuditLog::Table)
                    .add_column(
                        string_len(AuditLogOutcome::Outcome, 16)
                            .default("success")
                            .check(one_of(AuditLogOutcome::Outcome, &["success", "failure"])),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AuditLog::Table)
                    .add_column(string_len_null(AuditLogOutcome::RoleCodes, 400))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                AuditLog::Table,
                "audit_log_occurred_at_idx",
                &["occurred_at"],
                false,
            ))
            .await?;

        // Append-only: the database itself refuses to change or delete audit entries.
        let db = manager.get_connection();
        match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                     FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only()",
                )
                .await?;
            }
            _ => {
                for operation in ["UPDATE", "DELETE"] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER audit_log_append_only_{} BEFORE {operation} ON audit_log
                         BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
                        operation.to_lowercase()
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                db.execute_unprepared("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
                    .await?;
                db.execute_unprepared("DROP FUNCTION IF EXISTS audit_log_is_append_only()")
                    .await?;
            }
            _ => {
                db.execute_unprepared("DROP TRIGGER IF EXISTS audit_log_append_only_update")
                    .await?;
                db.execute_unprepared("DROP TRIGGER IF EXISTS audit_log_append_only_delete")
                    .await?;
            }
        }
        manager
            .drop_index(
                Index::drop()
                    .name("audit_log_occurred_at_idx")
                    .table(AuditLog::Table)
                    .to_owned(),
            )
            .await?;
        for column in [AuditLogOutcome::RoleCodes, AuditLogOutcome::Outcome] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditLog::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(PasswordHistory::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(UserSession::Table).to_owned())
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub enum UserSession {
    Table,
    Id,
    UserId,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
    RevokedReason,
    RefreshTokenHash,
    PreviousRefreshTokenHash,
    UserAgent,
    IpAddress,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum PasswordHistory {
    Table,
    Id,
    UserId,
    PasswordHash,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum AuditLogOutcome {
    Outcome,
    RoleCodes,
}
