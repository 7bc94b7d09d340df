//! Reference data tables (bureaus, towns, communities, villages, industries), the resettlement
//! registry (sites, buildings, flats, households, persons), and users, roles and the audit log.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{fk, fk_cascade, index, one_of, with_record_columns};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // District bureaus of A7§2 and the duties they own.
        manager
            .create_table(
                with_record_columns(
                    Table::create()
                        .table(Bureau::Table)
                        .col(pk_auto(Bureau::Id).big_integer())
                        .col(string_len_uniq(Bureau::Code, 32))
                        .col(string_len(Bureau::Name, 100))
                        .col(string_len(Bureau::ShortName, 40))
                        .col(text(Bureau::Duties))
                        .col(boolean(Bureau::IsLead).default(false)),
                )
                .to_owned(),
            )
            .await?;

        // Towns and sub-districts (镇办) by their statistical division code.
        manager
            .create_table(
                with_record_columns(
                    Table::create()
                        .table(Town::Table)
                        .col(pk_auto(Town::Id).big_integer())
                        .col(string_len_uniq(Town::DivisionCode, 12))
                        .col(string_len(Town::Name, 60))
                        .col(
                            string_len(Town::Kind, 16)
                                .check(one_of(Town::Kind, &["town", "subdistrict"])),
                        ),
                )
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                with_record_columns(
                    Table::create()
                        .table(Community::Table)
                        .col(pk_auto(Community::Id).big_integer())
                        .col(string_len_uniq(Community::Code, 32))
                        .col(string_len(Community::Name, 60))
                        .col(big_integer(Community::TownId))
                        .foreign_key(&mut fk(Community::Table, Community::TownId, Town::Table)),
                )
                .to_owned(),
            )
            .await?;

        // Villages of origin (迁出村).
        manager
            .create_table(
                with_record_columns(
                    Table::create()
                        .table(Village::Table)
                        .col(pk_auto(Village::Id).big_integer())
                        .col(string_len_uniq(Village::Code, 32))
                        .col(string_len(Village::Name, 60))
                        .col(big_integer_null(Village::TownId))
                        .foreign_key(&mut fk(Village::Table, Village::TownId, Town::Table)),
                )
                .to_owned(),
            )
            .await?;

        // Resettlement sites (安置点, A4§2.2).
        manager
            .create_table(
                with_record_columns(
                    Table::create()
                        .table(Site::Table)
                        .col(pk_auto(Site::Id).big_integer())
                        .col(string_len_uniq(Site::Code, 32))
                        .col(string_len(Site::Name, 100))
                        .col(big_integer(Site::TownId))
                        .col(big_integer(Site::CommunityId))
                        .col(
                            string_len(Site::AreaType, 24)
                                .check(one_of(Site::AreaType, &["town_planning_area", "rural"])),
                        )
                        .col(string_len(Site::Address, 200).default(""))
                        .foreign_key(&mut fk(Site::Table, Site::TownId, Town::Table))
                        .foreign_key(&mut fk(Site::Table, Site::CommunityId, Community::Table)),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(Site::Table, "site_town_id_idx", &["town_id"], false))
            .await?;

        manager
            .create_table(
                with_record_columns(
                    Table::create()
                        .table(Building::Table)
                        .col(pk_auto(Building::Id).big_integer())
                        .col(big_integer(Building::SiteId))
                        .col(string_len(Building::Name, 40))
                        .foreign_key(&mut fk(Building::Table, Building::SiteId, Site::Table)),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                Building::Table,
                "building_site_id_name_key",
                &["site_id", "name"],
                true,
            ))
            .await?;

        manager
            .create_table(
                with_record_columns(
                    Table::create()
                        .table(Flat::Table)
                        .col(pk_auto(Flat::Id).big_integer())
                        .col(big_integer(Flat::BuildingId))
                        .col(string_len(Flat::Number, 20))
                        // Floor area in 0.01 m² so that it is exact on both databases.
                        .col(
                            big_integer(Flat::FloorAreaCentiSqm)
                                .check(Expr::col(Flat::FloorAreaCentiSqm).gt(0)),
                        )
                        .foreign_key(&mut fk(Flat::Table, Flat::BuildingId, Building::Table)),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                Flat::Table,
                "flat_building_id_number_key",
                &["building_id", "number"],
                true,
            ))
            .await?;

        // Relocated households (搬迁户).
        manager
            .create_table(
                with_record_columns(
                    Table::create()
                        .table(Household::Table)
                        .col(pk_auto(Household::Id).big_integer())
                        .col(string_len_uniq(Household::Code, 32))
                        .col(big_integer(Household::SiteId))
                        .col(big_integer_null(Household::FlatId).unique_key())
                        .col(big_integer_null(Household::OriginVillageId))
                        // 建档立卡: registered as poor before relocation.
                        .col(boolean(Household::RegisteredPoor).default(true))
                        .col(date_null(Household::RelocatedOn))
                        .col(timestamp_with_time_zone_null(Household::ArchivedAt))
                        .col(string_len_null(Household::ArchiveReason, 200))
                        .foreign_key(&mut fk(Household::Table, Household::SiteId, Site::Table))
                        .foreign_key(&mut fk(Household::Table, Household::FlatId, Flat::Table))
                        .foreign_key(&mut fk(
                            Household::Table,
                            Household::OriginVillageId,
                            Village::Table,
                        )),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                Household::Table,
                "household_site_id_id_idx",
                &["site_id", "id"],
                false,
            ))
            .await?;

        // Persons and their family role (家庭关系) in the household.
        manager
            .create_table(
                with_record_columns(
                    Table::create()
                        .table(Person::Table)
                        .col(pk_auto(Person::Id).big_integer())
                        .col(big_integer(Person::HouseholdId))
                        .col(string_len(Person::Name, 40))
                        .col(string_len_uniq(Person::IdNumber, 18))
                        .col(string_len(Person::Sex, 1).check(one_of(Person::Sex, &["M", "F"])))
                        .col(date(Person::BirthDate))
                        .col(string_len(Person::Relation, 16).check(one_of(
                            Person::Relation,
                            &[
                                "head",
                                "spouse",
                                "child",
                                "child_in_law",
                                "grandchild",
                                "parent",
                                "grandparent",
                                "sibling",
                                "other",
                            ],
                        )))
                        .col(
                            string_len(Person::LabourCapacity, 16).check(one_of(
                                Person::LabourCapacity,
                                &["full", "partial", "none"],
                            )),
                        )
                        .col(string_len(Person::EmploymentStatus, 24).check(one_of(
                            Person::EmploymentStatus,
                            &["employed", "unemployed", "not_in_labour_force"],
                        )))
                        .col(string_len_null(Person::Phone, 11))
                        .col(timestamp_with_time_zone_null(Person::ArchivedAt))
                        .col(string_len_null(Person::ArchiveReason, 200))
                        .foreign_key(&mut fk(
                            Person::Table,
                            Person::HouseholdId,
                            Household::Table,
                        )),
                )
                .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("person_household_id_id_idx", &["household_id", "id"][..]),
            ("person_labour_capacity_idx", &["labour_capacity"][..]),
            ("person_employment_status_idx", &["employment_status"][..]),
            ("person_birth_date_idx", &["birth_date"][..]),
            ("person_name_idx", &["name"][..]),
        ] {
            manager
                .create_index(index(Person::Table, name, columns, false))
                .await?;
        }

        // The "3+X" industries (A1§1).
        manager
            .create_table(
                with_record_columns(
                    Table::create()
                        .table(Industry::Table)
                        .col(pk_auto(Industry::Id).big_integer())
                        .col(string_len_uniq(Industry::Code, 32))
                        .col(string_len(Industry::Name, 60))
                        .col(
                            string_len(Industry::Category, 16)
                                .check(one_of(Industry::Category, &["leading", "featured"])),
                        ),
                )
                .to_owned(),
            )
            .await?;

        // Users, roles and their grants.
        manager
            .create_table(
                with_record_columns(
                    Table::create()
                        .table(User::Table)
                        .col(pk_auto(User::Id).big_integer())
                        .col(string_len_uniq(User::Username, 64))
                        .col(string_len(User::DisplayName, 60))
                        .col(text(User::PasswordHash))
                        .col(boolean(User::Disabled).default(false))
                        .col(boolean(User::MustChangePassword).default(true))
                        .col(integer(User::FailedLogins).default(0))
                        .col(timestamp_with_time_zone_null(User::LockedUntil))
                        .col(timestamp_with_time_zone_null(User::PasswordChangedAt)),
                )
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                with_record_columns(
                    Table::create()
                        .table(Role::Table)
                        .col(pk_auto(Role::Id).big_integer())
                        .col(string_len_uniq(Role::Code, 64))
                        .col(string_len(Role::Name, 100))
                        .col(string_len(Role::Kind, 24).check(one_of(
                            Role::Kind,
                            &[
                                "bureau",
                                "town",
                                "provincial",
                                "system_admin",
                                "security_admin",
                                "auditor",
                            ],
                        )))
                        .col(big_integer_null(Role::BureauId))
                        .col(big_integer_null(Role::TownId))
                        // A town role is bound to exactly one town; a bureau role to one bureau.
                        .check(
                            Expr::col(Role::Kind)
                                .ne("town")
                                .or(Expr::col(Role::TownId).is_not_null()),
                        )
                        .check(
                            Expr::col(Role::Kind)
                                .ne("bureau")
                                .or(Expr::col(Role::BureauId).is_not_null()),
                        )
                        .foreign_key(&mut fk(Role::Table, Role::BureauId, Bureau::Table))
                        .foreign_key(&mut fk(Role::Table, Role::TownId, Town::Table)),
                )
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UserRole::Table)
                    .col(big_integer(UserRole::UserId))
                    .col(big_integer(UserRole::RoleId))
                    .col(
                        timestamp_with_time_zone(UserRole::GrantedAt)
                            .default(Expr::current_timestamp()),
                    )
                    .col(big_integer_null(UserRole::GrantedBy))
                    .primary_key(Index::create().col(UserRole::UserId).col(UserRole::RoleId))
                    .foreign_key(&mut fk_cascade(
                        UserRole::Table,
                        UserRole::UserId,
                        User::Table,
                    ))
                    .foreign_key(&mut fk_cascade(
                        UserRole::Table,
                        UserRole::RoleId,
                        Role::Table,
                    ))
                    .to_owned(),
            )
            .await?;

        // Append-only audit log: who did what to which record, when and why.
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_auto(AuditLog::Id).big_integer())
                    .col(
                        timestamp_with_time_zone(AuditLog::OccurredAt)
                            .default(Expr::current_timestamp()),
                    )
                    .col(big_integer_null(AuditLog::ActorUserId))
                    .col(string_len(AuditLog::ActorLabel, 100))
                    .col(string_len(AuditLog::Action, 64))
                    .col(string_len(AuditLog::EntityType, 64))
                    .col(string_len_null(AuditLog::EntityId, 64))
                    .col(text_null(AuditLog::Reason))
                    .col(text_null(AuditLog::Detail))
                    .col(string_len_null(AuditLog::RequestId, 64))
                    .foreign_key(&mut fk(AuditLog::Table, AuditLog::ActorUserId, User::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                AuditLog::Table,
                "audit_log_entity_idx",
                &["entity_type", "entity_id"],
                false,
            ))
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            UserRole::Table.into_iden(),
            Role::Table.into_iden(),
            User::Table.into_iden(),
            Industry::Table.into_iden(),
            Person::Table.into_iden(),
            Household::Table.into_iden(),
            Flat::Table.into_iden(),
            Building::Table.into_iden(),
            Site::Table.into_iden(),
            Village::Table.into_iden(),
            Community::Table.into_iden(),
            Town::Table.into_iden(),
            Bureau::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Bureau {
    Table,
    Id,
    Code,
    Name,
    ShortName,
    Duties,
    IsLead,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Town {
    Table,
    Id,
    DivisionCode,
    Name,
    Kind,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Community {
    Table,
    Id,
    Code,
    Name,
    TownId,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Village {
    Table,
    Id,
    Code,
    Name,
    TownId,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Site {
    Table,
    Id,
    Code,
    Name,
    TownId,
    CommunityId,
    AreaType,
    Address,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Building {
    Table,
    Id,
    SiteId,
    Name,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Flat {
    Table,
    Id,
    BuildingId,
    Number,
    FloorAreaCentiSqm,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Household {
    Table,
    Id,
    Code,
    SiteId,
    FlatId,
    OriginVillageId,
    RegisteredPoor,
    RelocatedOn,
    ArchivedAt,
    ArchiveReason,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Person {
    Table,
    Id,
    HouseholdId,
    Name,
    IdNumber,
    Sex,
    BirthDate,
    Relation,
    LabourCapacity,
    EmploymentStatus,
    Phone,
    ArchivedAt,
    ArchiveReason,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Industry {
    Table,
    Id,
    Code,
    Name,
    Category,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum User {
    Table,
    Id,
    Username,
    DisplayName,
    PasswordHash,
    Disabled,
    MustChangePassword,
    FailedLogins,
    LockedUntil,
    PasswordChangedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Role {
    Table,
    Id,
    Code,
    Name,
    Kind,
    BureauId,
    TownId,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum UserRole {
    Table,
    UserId,
    RoleId,
    GrantedAt,
    GrantedBy,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum AuditLog {
    Table,
    Id,
    OccurredAt,
    ActorUserId,
    ActorLabel,
    Action,
    EntityType,
    EntityId,
    Reason,
    Detail,
    RequestId,
}
