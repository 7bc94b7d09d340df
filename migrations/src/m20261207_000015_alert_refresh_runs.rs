//! The days on which the full alert refresh has completed: a server starting on a day that
//! already has one skips it (each write refreshes its own scope; only the date turning needs
//! the full pass), so restarting or adding instances does not recompute every alert again.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AlertRefreshRun::Table)
                    // The day (China Standard Time) the rules were evaluated for.
                    .col(date(AlertRefreshRun::AsOf).primary_key())
                    .col(timestamp_with_time_zone(AlertRefreshRun::CompletedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AlertRefreshRun::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AlertRefreshRun {
    Table,
    AsOf,
    CompletedAt,
}
