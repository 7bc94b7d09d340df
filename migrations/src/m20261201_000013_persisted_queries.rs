//! Allow-listed operations and idempotent mutations: automatic persisted queries (documents by
//! their sha256), the operations each service client may run in allow-list mode, and the
//! stored first responses of mutations sent with an `Idempotency-Key`.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{create_record_table, drop_tables, fk_cascade, index};
use crate::m20261128_000009_access_policy::ServiceClient;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Automatic persisted queries: shared by every instance; content-addressed, so a row
        // never changes. Bounded by the server (document size, row count, only valid documents).
        manager
            .create_table(
                Table::create()
                    .table(PersistedQuery::Table)
                    .col(string_len(PersistedQuery::Sha256, 64).primary_key())
                    .col(text(PersistedQuery::Document))
                    .col(
                        timestamp_with_time_zone(PersistedQuery::CreatedAt)
                            .default(Expr::current_timestamp()),
                    )
                    // For evicting the least recently used documents when the table is full.
                    .col(
                        timestamp_with_time_zone(PersistedQuery::LastUsedAt)
                            .default(Expr::current_timestamp()),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                PersistedQuery::Table,
                "persisted_query_last_used_at_idx",
                &["last_used_at"],
                false,
            ))
            .await?;

        // A client in allow-list mode runs only the operations registered for it.
        manager
            .alter_table(
                Table::alter()
                    .table(ServiceClient::Table)
                    .add_column(boolean(ServiceClientAllowList::AllowListOnly).default(false))
                    .to_owned(),
            )
            .await?;
        create_record_table(
            manager,
            Table::create()
                .table(ClientOperation::Table)
                .col(pk_auto(ClientOperation::Id).big_integer())
                .col(big_integer(ClientOperation::ServiceClientId))
                .col(string_len(ClientOperation::Sha256, 64))
                .col(string_len(ClientOperation::OperationName, 200))
                .col(text(ClientOperation::Document))
                .foreign_key(&mut fk_cascade(
                    ClientOperation::Table,
                    ClientOperation::ServiceClientId,
                    ServiceClient::Table,
                )),
        )
        .await?;
        manager
            .create_index(index(
                ClientOperation::Table,
                "client_operation_service_client_id_sha256_key",
                &["service_client_id", "sha256"],
                true,
            ))
            .await?;

        // The first response to a mutation sent with an `Idempotency-Key`, per caller and key.
        // The row is inserted before the mutation runs (the unique key makes concurrent
        // retries wait for it) and completed with the response afterwards.
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKey::Table)
                    .col(pk_auto(IdempotencyKey::Id).big_integer())
                    // `user:<id>` or `client:<id>`.
                    .col(string_len(IdempotencyKey::PrincipalKey, 80))
                    .col(string_len(IdempotencyKey::IdempotencyKey, 255))
                    .col(string_len(IdempotencyKey::RequestHash, 64))
                    .col(timestamp_with_time_zone(IdempotencyKey::StartedAt))
                    .col(timestamp_with_time_zone(IdempotencyKey::ExpiresAt))
                    .col(timestamp_with_time_zone_null(IdempotencyKey::CompletedAt))
                    .col(
                        integer_null(IdempotencyKey::ResponseStatus)
                            .check(Expr::col(IdempotencyKey::ResponseStatus).between(100, 599)),
                    )
                    .col(text_null(IdempotencyKey::ResponseBody))
                    // A completed row has its response.
                    .check(
                        Expr::col(IdempotencyKey::CompletedAt)
                            .is_null()
                            .or(Expr::col(IdempotencyKey::ResponseStatus)
                                .is_not_null()
                                .and(Expr::col(IdempotencyKey::ResponseBody).is_not_null())),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                IdempotencyKey::Table,
                "idempotency_key_principal_key_idempotency_key_key",
                &["principal_key", "idempotency_key"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                IdempotencyKey::Table,
                "idempotency_key_expires_at_idx",
                &["expires_at"],
                false,
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            vec![
                IdempotencyKey::Table.into_iden(),
                ClientOperation::Table.into_iden(),
            ],
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ServiceClient::Table)
                    .drop_column(ServiceClientAllowList::AllowListOnly)
                    .to_owned(),
            )
            .await?;
        drop_tables(manager, vec![PersistedQuery::Table.into_iden()]).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub enum PersistedQuery {
    Table,
    Sha256,
    Document,
    CreatedAt,
    LastUsedAt,
}

/// The column this migration adds to `service_client`.
#[derive(DeriveIden, Clone, Copy)]
pub enum ServiceClientAllowList {
    AllowListOnly,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum ClientOperation {
    Table,
    Id,
    ServiceClientId,
    Sha256,
    OperationName,
    Document,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum IdempotencyKey {
    Table,
    Id,
    PrincipalKey,
    IdempotencyKey,
    RequestHash,
    StartedAt,
    ExpiresAt,
    CompletedAt,
    ResponseStatus,
    ResponseBody,
}
