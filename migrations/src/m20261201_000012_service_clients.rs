//! Service clients act as a user row of their own: audit entries, `created_by` and every other
//! actor column name that row (username `client:<client_id>`, which can never sign in with a
//! password). This links each client to it.
//!
//! Meanings that supersede the comments of `m20261128_000009_access_policy`: `scopes` holds
//! space-separated `<domain>:read` / `<domain>:write` scopes of the data-domain policy, and an
//! empty `ip_allow_list` means *any* address (a client that may come from nowhere is simply
//! disabled instead).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{drop_tables, fk, fk_cascade};
use crate::m20261128_000001_reference_and_registry::User;
use crate::m20261128_000009_access_policy::ServiceClient;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One row per client; the user is the client's alone (unique) and outlives nothing:
        // deleting the client removes the link, the user row stays for the audit trail.
        manager
            .create_table(
                Table::create()
                    .table(ServiceClientUser::Table)
                    .col(big_integer(ServiceClientUser::ServiceClientId).primary_key())
                    .col(big_integer_uniq(ServiceClientUser::UserId))
                    .foreign_key(&mut fk_cascade(
                        ServiceClientUser::Table,
                        ServiceClientUser::ServiceClientId,
                        ServiceClient::Table,
                    ))
                    .foreign_key(&mut fk(
                        ServiceClientUser::Table,
                        ServiceClientUser::UserId,
                        User::Table,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, vec![ServiceClientUser::Table.into_iden()]).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub enum ServiceClientUser {
    Table,
    ServiceClientId,
    UserId,
}
