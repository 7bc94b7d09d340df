//! Access control and operations: data domains and per-role permissions, refresh-token sessions,
//! signing-key metadata, service clients of the provincial platforms, the working-day calendar
//! and rule alerts.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{code, create_indexes, create_record_table, drop_tables, fk, fk_cascade};
use crate::m20261128_000001_reference_and_registry::{
    Bureau, Household, Person, Role, Site, Town, User,
};
use crate::m20261128_000008_responsibility_and_assessment::ResponsibilityTask;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Slices of data a role may read or write (e.g. `employment`, `health`, `party`).
        create_record_table(
            manager,
            Table::create()
                .table(DataDomain::Table)
                .col(pk_auto(DataDomain::Id).big_integer())
                .col(string_len_uniq(DataDomain::Code, 32))
                .col(string_len(DataDomain::Name, 100))
                // Holds sensitive personal information (PIPL): masked unless can_read_sensitive.
                .col(boolean(DataDomain::Sensitive).default(false))
                .col(text(DataDomain::Description).default("")),
        )
        .await?;

        create_record_table(
            manager,
            Table::create()
                .table(RoleDomainPermission::Table)
                .col(pk_auto(RoleDomainPermission::Id).big_integer())
                .col(big_integer(RoleDomainPermission::RoleId))
                .col(string_len(RoleDomainPermission::Domain, 32))
                .col(boolean(RoleDomainPermission::CanRead).default(false))
                .col(boolean(RoleDomainPermission::CanWrite).default(false))
                .col(boolean(RoleDomainPermission::CanReadSensitive).default(false))
                // Writing or unmasked reading implies reading.
                .check(
                    Expr::col(RoleDomainPermission::CanRead)
                        .eq(true)
                        .or(Expr::col(RoleDomainPermission::CanWrite)
                            .eq(false)
                            .and(Expr::col(RoleDomainPermission::CanReadSensitive).eq(false))),
                )
                .foreign_key(&mut fk_cascade(
                    RoleDomainPermission::Table,
                    RoleDomainPermission::RoleId,
                    Role::Table,
                ))
                .foreign_key(
                    ForeignKey::create()
                        .from(RoleDomainPermission::Table, RoleDomainPermission::Domain)
                        .to(DataDomain::Table, DataDomain::Code)
                        .on_delete(ForeignKeyAction::Cascade)
                        .on_update(ForeignKeyAction::Cascade),
                ),
        )
        .await?;
        create_indexes(
            manager,
            RoleDomainPermission::Table,
            &[
                (
                    "role_domain_permission_role_id_domain_key",
                    &["role_id", "domain"],
                    true,
                ),
                ("role_domain_permission_domain_idx", &["domain"], false),
            ],
        )
        .await?;

        // Refresh-token sessions: only a hash of the token is stored; rotation links the chain.
        manager
            .create_table(
                Table::create()
                    .table(RefreshToken::Table)
                    .col(pk_auto(RefreshToken::Id).big_integer())
                    .col(big_integer(RefreshToken::UserId))
                    .col(string_len_uniq(RefreshToken::TokenHash, 128))
                    // All tokens rotated from one login share a family; reuse revokes the family.
                    .col(string_len(RefreshToken::FamilyId, 64))
                    .col(
                        timestamp_with_time_zone(RefreshToken::IssuedAt)
                            .default(Expr::current_timestamp()),
                    )
                    .col(timestamp_with_time_zone(RefreshToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshToken::LastUsedAt))
                    .col(timestamp_with_time_zone_null(RefreshToken::RevokedAt))
                    .col(string_len_null(RefreshToken::RevokedReason, 64))
                    .col(big_integer_null(RefreshToken::ReplacedById))
                    .col(string_len_null(RefreshToken::UserAgent, 300))
                    .col(string_len_null(RefreshToken::IpAddress, 64))
                    .check(Expr::col(RefreshToken::ExpiresAt).gt(Expr::col(RefreshToken::IssuedAt)))
                    .foreign_key(&mut fk_cascade(
                        RefreshToken::Table,
                        RefreshToken::UserId,
                        User::Table,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RefreshToken::Table, RefreshToken::ReplacedById)
                            .to(RefreshToken::Table, RefreshToken::Id)
                            .on_delete(ForeignKeyAction::SetNull)
                            .on_update(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        create_indexes(
            manager,
            RefreshToken::Table,
            &[
                ("refresh_token_user_id_idx", &["user_id"], false),
                ("refresh_token_family_id_idx", &["family_id"], false),
                ("refresh_token_expires_at_idx", &["expires_at"], false),
            ],
        )
        .await?;

        // Metadata of JWT signing keys (never the key material).
        manager
            .create_table(
                Table::create()
                    .table(SigningKey::Table)
                    .col(pk_auto(SigningKey::Id).big_integer())
                    .col(string_len_uniq(SigningKey::Kid, 64))
                    .col(string_len(SigningKey::Algorithm, 16))
                    .col(
                        timestamp_with_time_zone(SigningKey::CreatedAt)
                            .default(Expr::current_timestamp()),
                    )
                    .col(timestamp_with_time_zone_null(SigningKey::ActivatedAt))
                    .col(timestamp_with_time_zone_null(SigningKey::RetiredAt))
                    .to_owned(),
            )
            .await?;

        // Third-party clients (provincial platforms): credentials by hash, scopes, limits.
        create_record_table(
            manager,
            Table::create()
                .table(ServiceClient::Table)
                .col(pk_auto(ServiceClient::Id).big_integer())
                .col(string_len_uniq(ServiceClient::ClientId, 64))
                .col(string_len(ServiceClient::Name, 200))
                .col(text(ServiceClient::SecretHash))
                // Space-separated scopes, e.g. `land:quota:write community:read`.
                .col(text(ServiceClient::Scopes).default(""))
                .col(
                    integer(ServiceClient::RateLimitPerMinute)
                        .default(60)
                        .check(Expr::col(ServiceClient::RateLimitPerMinute).gt(0)),
                )
                // Comma-separated CIDR blocks; empty means no address is allowed.
                .col(text(ServiceClient::IpAllowList).default(""))
                .col(big_integer_null(ServiceClient::RoleId))
                .col(boolean(ServiceClient::Disabled).default(false))
                .col(timestamp_with_time_zone_null(
                    ServiceClient::SecretRotatedAt,
                ))
                .col(timestamp_with_time_zone_null(ServiceClient::LastUsedAt))
                .foreign_key(&mut fk(
                    ServiceClient::Table,
                    ServiceClient::RoleId,
                    Role::Table,
                )),
        )
        .await?;

        // Exceptions to Monday–Friday working days (State Council holiday notice), used for the
        // "10 working days before" training-filing rule (A2§3.1).
        create_record_table(
            manager,
            Table::create()
                .table(WorkingDayCalendar::Table)
                .col(pk_auto(WorkingDayCalendar::Id).big_integer())
                .col(date(WorkingDayCalendar::Day).unique_key())
                .col(code(
                    WorkingDayCalendar::Kind,
                    16,
                    &["holiday", "makeup_workday"],
                ))
                .col(string_len(WorkingDayCalendar::Name, 60).default("")),
        )
        .await?;

        // Alerts raised by rule checks (zero-employment household, missed visit, overdue task …).
        create_record_table(
            manager,
            Table::create()
                .table(Alert::Table)
                .col(pk_auto(Alert::Id).big_integer())
                .col(string_len(Alert::RuleCode, 64))
                .col(string_len(Alert::ClauseRef, 32))
                .col(code(Alert::Severity, 16, &["info", "warning", "critical"]).default("warning"))
                .col(big_integer_null(Alert::OwningBureauId))
                .col(big_integer_null(Alert::TownId))
                .col(big_integer_null(Alert::SiteId))
                .col(big_integer_null(Alert::HouseholdId))
                .col(big_integer_null(Alert::PersonId))
                .col(big_integer_null(Alert::TaskId))
                .col(text(Alert::Message))
                // Identifies "the same problem" so that a rule run does not raise it twice.
                .col(string_len(Alert::DedupeKey, 200))
                .col(timestamp_with_time_zone(Alert::RaisedAt).default(Expr::current_timestamp()))
                .col(timestamp_with_time_zone_null(Alert::ResolvedAt))
                .col(big_integer_null(Alert::ResolvedByUserId))
                .col(text_null(Alert::ResolutionNote))
                .foreign_key(&mut fk(Alert::Table, Alert::OwningBureauId, Bureau::Table))
                .foreign_key(&mut fk(Alert::Table, Alert::TownId, Town::Table))
                .foreign_key(&mut fk(Alert::Table, Alert::SiteId, Site::Table))
                .foreign_key(&mut fk(Alert::Table, Alert::HouseholdId, Household::Table))
                .foreign_key(&mut fk(Alert::Table, Alert::PersonId, Person::Table))
                .foreign_key(&mut fk(
                    Alert::Table,
                    Alert::TaskId,
                    ResponsibilityTask::Table,
                ))
                .foreign_key(&mut fk(Alert::Table, Alert::ResolvedByUserId, User::Table)),
        )
        .await?;
        create_indexes(
            manager,
            Alert::Table,
            &[
                (
                    "alert_rule_code_raised_at_idx",
                    &["rule_code", "raised_at"],
                    false,
                ),
                ("alert_owning_bureau_id_idx", &["owning_bureau_id"], false),
                ("alert_town_id_idx", &["town_id"], false),
                ("alert_site_id_idx", &["site_id"], false),
                ("alert_household_id_idx", &["household_id"], false),
                ("alert_person_id_idx", &["person_id"], false),
                ("alert_task_id_idx", &["task_id"], false),
            ],
        )
        .await?;
        // At most one open alert per problem.
        manager
            .create_index(
                Index::create()
                    .name("alert_dedupe_key_open_key")
                    .table(Alert::Table)
                    .col(Alert::DedupeKey)
                    .unique()
                    .and_where(Expr::col(Alert::ResolvedAt).is_null())
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            vec![
                Alert::Table.into_iden(),
                WorkingDayCalendar::Table.into_iden(),
                ServiceClient::Table.into_iden(),
                SigningKey::Table.into_iden(),
                RefreshToken::Table.into_iden(),
                RoleDomainPermission::Table.into_iden(),
                DataDomain::Table.into_iden(),
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub enum DataDomain {
    Table,
    Id,
    Code,
    Name,
    Sensitive,
    Description,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum RoleDomainPermission {
    Table,
    Id,
    RoleId,
    Domain,
    CanRead,
    CanWrite,
    CanReadSensitive,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum RefreshToken {
    Table,
    Id,
    UserId,
    TokenHash,
    FamilyId,
    IssuedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
    RevokedReason,
    ReplacedById,
    UserAgent,
    IpAddress,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum SigningKey {
    Table,
    Id,
    Kid,
    Algorithm,
    CreatedAt,
    ActivatedAt,
    RetiredAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum ServiceClient {
    Table,
    Id,
    ClientId,
    Name,
    SecretHash,
    Scopes,
    RateLimitPerMinute,
    IpAllowList,
    RoleId,
    Disabled,
    SecretRotatedAt,
    LastUsedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum WorkingDayCalendar {
    Table,
    Id,
    Day,
    Kind,
    Name,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Alert {
    Table,
    Id,
    RuleCode,
    ClauseRef,
    Severity,
    OwningBureauId,
    TownId,
    SiteId,
    HouseholdId,
    PersonId,
    TaskId,
    Message,
    DedupeKey,
    RaisedAt,
    ResolvedAt,
    ResolvedByUserId,
    ResolutionNote,
}
