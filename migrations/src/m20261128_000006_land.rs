//! Land linkage of annex 5 (城乡建设用地增减挂钩): old homesteads and their reclamation, linkage
//! projects, savings quotas (节余指标) and their transfers through the provincial platform,
//! revenue, the debt-repayment reserve in its dedicated account, and the quota-use ledger.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{
    code, create_indexes, create_record_table, drop_tables, fk, non_negative, positive,
};
use crate::m20261128_000001_reference_and_registry::{Bureau, Household, Town, Village};

/// A5§10 base price within the city: 200,000 yuan per mu, in fen.
pub const BASE_PRICE_PER_MU_FEN: i64 = 20_000_000;
/// A5§10 across cities: at most 10 % below the base price.
pub const MIN_ACROSS_CITIES_PRICE_PER_MU_FEN: i64 = 18_000_000;
/// A5§10 across cities: at most 10 % above the base price.
pub const MAX_ACROSS_CITIES_PRICE_PER_MU_FEN: i64 = 22_000_000;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_record_table(
            manager,
            Table::create()
                .table(LandLinkageProject::Table)
                .col(pk_auto(LandLinkageProject::Id).big_integer())
                .col(string_len_uniq(LandLinkageProject::Code, 32))
                .col(string_len(LandLinkageProject::Name, 200))
                .col(big_integer_null(LandLinkageProject::TownId))
                // Registration on the provincial supervision platform (A5§4).
                .col(string_len_null(LandLinkageProject::PlatformReference, 64).unique_key())
                .col(date_null(LandLinkageProject::ApprovedOn))
                .col(date_null(LandLinkageProject::AcceptedOn))
                .col(non_negative(LandLinkageProject::DemolitionAreaTenThousandthMu).default(0))
                .col(non_negative(LandLinkageProject::ReclaimedAreaTenThousandthMu).default(0))
                .col(
                    code(
                        LandLinkageProject::Status,
                        16,
                        &["planned", "approved", "reclaiming", "accepted", "closed"],
                    )
                    .default("planned"),
                )
                .foreign_key(&mut fk(
                    LandLinkageProject::Table,
                    LandLinkageProject::TownId,
                    Town::Table,
                )),
        )
        .await?;

        // One household, one homestead (A5§1): the old homestead of a relocated household.
        create_record_table(
            manager,
            Table::create()
                .table(Homestead::Table)
                .col(pk_auto(Homestead::Id).big_integer())
                .col(big_integer(Homestead::HouseholdId).unique_key())
                .col(big_integer_null(Homestead::VillageId))
                .col(big_integer_null(Homestead::ProjectId))
                .col(string_len(Homestead::Location, 200).default(""))
                .col(positive(Homestead::AreaTenThousandthMu))
                .col(
                    code(
                        Homestead::State,
                        24,
                        &[
                            "occupied",
                            "vacated",
                            "reclaimed_farmland",
                            "reclaimed_forest",
                            "reclaimed_grass",
                            "restored_green",
                        ],
                    )
                    .default("occupied"),
                )
                // No forced demolition (A5§5): the farmer's consent is recorded first.
                .col(date_null(Homestead::ConsentRecordedOn))
                .col(date_null(Homestead::VacatedOn))
                .col(date_null(Homestead::ReclaimedOn))
                // Restoring to green needs Natural Resources' certification (A5§3).
                .col(big_integer_null(Homestead::CertifiedByBureauId))
                .col(date_null(Homestead::CertifiedOn))
                // 变更调查和确权登记 after the project (A5§5).
                .col(date_null(Homestead::RegistrationUpdatedOn))
                .check(
                    Expr::col(Homestead::State)
                        .eq("occupied")
                        .or(Expr::col(Homestead::ConsentRecordedOn).is_not_null()),
                )
                .check(
                    Expr::col(Homestead::State)
                        .ne("restored_green")
                        .or(Expr::col(Homestead::CertifiedByBureauId)
                            .is_not_null()
                            .and(Expr::col(Homestead::CertifiedOn).is_not_null())),
                )
                .foreign_key(&mut fk(
                    Homestead::Table,
                    Homestead::HouseholdId,
                    Household::Table,
                ))
                .foreign_key(&mut fk(
                    Homestead::Table,
                    Homestead::VillageId,
                    Village::Table,
                ))
                .foreign_key(&mut fk(
                    Homestead::Table,
                    Homestead::ProjectId,
                    LandLinkageProject::Table,
                ))
                .foreign_key(&mut fk(
                    Homestead::Table,
                    Homestead::CertifiedByBureauId,
                    Bureau::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            Homestead::Table,
            &[
                ("homestead_project_id_idx", &["project_id"], false),
                ("homestead_state_idx", &["state"], false),
            ],
        )
        .await?;

        // Savings quotas: produced by a project here, or received by transfer from elsewhere.
        create_record_table(
            manager,
            Table::create()
                .table(LandQuota::Table)
                .col(pk_auto(LandQuota::Id).big_integer())
                .col(string_len_uniq(LandQuota::Code, 32))
                .col(code(
                    LandQuota::Origin,
                    24,
                    &["produced", "received_by_transfer"],
                ))
                .col(big_integer_null(LandQuota::ProjectId))
                .col(positive(LandQuota::AreaTenThousandthMu))
                .col(date(LandQuota::ConfirmedOn))
                .col(string_len_null(LandQuota::PlatformReference, 64))
                .col(text(LandQuota::SourceDescription).default(""))
                .check(
                    Expr::col(LandQuota::Origin)
                        .ne("produced")
                        .or(Expr::col(LandQuota::ProjectId).is_not_null()),
                )
                .foreign_key(&mut fk(
                    LandQuota::Table,
                    LandQuota::ProjectId,
                    LandLinkageProject::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            LandQuota::Table,
            &[
                ("land_quota_project_id_idx", &["project_id"], false),
                // Target of the composite key that lets only produced quotas be transferred.
                ("land_quota_id_origin_key", &["id", "origin"], true),
            ],
        )
        .await?;

        // Transfers through the provincial platform (A5§8, A5§10). quota_origin is pinned to
        // 'produced' and, with the composite foreign key, refuses a second transfer of a quota that
        // was itself received by transfer.
        create_record_table(
            manager,
            Table::create()
                .table(QuotaTransfer::Table)
                .col(pk_auto(QuotaTransfer::Id).big_integer())
                .col(big_integer(QuotaTransfer::QuotaId))
                .col(
                    string_len(QuotaTransfer::QuotaOrigin, 24)
                        .default("produced")
                        .check(Expr::col(QuotaTransfer::QuotaOrigin).eq("produced")),
                )
                .col(string_len(QuotaTransfer::BuyerGovernment, 100))
                .col(code(
                    QuotaTransfer::Scope,
                    16,
                    &["within_city", "across_cities"],
                ))
                .col(big_integer(QuotaTransfer::PricePerMuFen))
                .col(positive(QuotaTransfer::AreaTenThousandthMu))
                .col(positive(QuotaTransfer::AmountFen))
                .col(string_len_uniq(QuotaTransfer::PlatformReference, 64))
                .col(date(QuotaTransfer::ContractedOn))
                .col(
                    code(
                        QuotaTransfer::Status,
                        16,
                        &["registered", "paid", "cancelled"],
                    )
                    .default("registered"),
                )
                .check(
                    Expr::col(QuotaTransfer::Scope)
                        .eq("within_city")
                        .and(Expr::col(QuotaTransfer::PricePerMuFen).eq(BASE_PRICE_PER_MU_FEN))
                        .or(Expr::col(QuotaTransfer::Scope).eq("across_cities").and(
                            Expr::col(QuotaTransfer::PricePerMuFen).between(
                                MIN_ACROSS_CITIES_PRICE_PER_MU_FEN,
                                MAX_ACROSS_CITIES_PRICE_PER_MU_FEN,
                            ),
                        )),
                )
                // amount = price × area, rounded to the nearest fen (area is in 0.0001 mu).
                .check(
                    Expr::col(QuotaTransfer::AmountFen)
                        .mul(10_000)
                        .sub(
                            Expr::col(QuotaTransfer::PricePerMuFen)
                                .mul(Expr::col(QuotaTransfer::AreaTenThousandthMu)),
                        )
                        .between(-5_000, 5_000),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            QuotaTransfer::Table,
                            (QuotaTransfer::QuotaId, QuotaTransfer::QuotaOrigin),
                        )
                        .to(LandQuota::Table, (LandQuota::Id, LandQuota::Origin))
                        .on_delete(ForeignKeyAction::Restrict)
                        .on_update(ForeignKeyAction::Restrict),
                ),
        )
        .await?;
        create_indexes(
            manager,
            QuotaTransfer::Table,
            &[("quota_transfer_quota_id_idx", &["quota_id"], false)],
        )
        .await?;

        // Land-linkage revenue; at least 5 % of each revenue goes to the reserve (A5§11).
        create_record_table(
            manager,
            Table::create()
                .table(LandRevenue::Table)
                .col(pk_auto(LandRevenue::Id).big_integer())
                .col(big_integer_null(LandRevenue::TransferId))
                .col(big_integer_null(LandRevenue::ProjectId))
                .col(string_len(LandRevenue::Payer, 100))
                .col(date(LandRevenue::ReceivedOn))
                .col(positive(LandRevenue::AmountFen))
                .col(non_negative(LandRevenue::ReserveFen))
                .col(string_len_null(LandRevenue::VoucherNo, 64))
                .check(
                    Expr::col(LandRevenue::ReserveFen)
                        .mul(20)
                        .gte(Expr::col(LandRevenue::AmountFen))
                        .and(
                            Expr::col(LandRevenue::ReserveFen)
                                .lte(Expr::col(LandRevenue::AmountFen)),
                        ),
                )
                .foreign_key(&mut fk(
                    LandRevenue::Table,
                    LandRevenue::TransferId,
                    QuotaTransfer::Table,
                ))
                .foreign_key(&mut fk(
                    LandRevenue::Table,
                    LandRevenue::ProjectId,
                    LandLinkageProject::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            LandRevenue::Table,
            &[
                ("land_revenue_transfer_id_idx", &["transfer_id"], false),
                ("land_revenue_project_id_idx", &["project_id"], false),
            ],
        )
        .await?;

        // The dedicated account (专账) of the relocation-debt repayment reserve, run by Finance.
        create_record_table(
            manager,
            Table::create()
                .table(RepaymentReserveAccount::Table)
                .col(pk_auto(RepaymentReserveAccount::Id).big_integer())
                .col(string_len_uniq(RepaymentReserveAccount::AccountNo, 64))
                .col(string_len(RepaymentReserveAccount::Name, 200))
                .col(string_len(RepaymentReserveAccount::Bank, 100))
                .col(big_integer_null(RepaymentReserveAccount::ManagedByBureauId))
                .col(date(RepaymentReserveAccount::OpenedOn))
                .foreign_key(&mut fk(
                    RepaymentReserveAccount::Table,
                    RepaymentReserveAccount::ManagedByBureauId,
                    Bureau::Table,
                )),
        )
        .await?;

        // Entries of the reserve account: the share of a revenue (once per revenue), budgeted
        // repayment funds, interest, and repayments of relocation debt.
        create_record_table(
            manager,
            Table::create()
                .table(RepaymentReserveEntry::Table)
                .col(pk_auto(RepaymentReserveEntry::Id).big_integer())
                .col(big_integer(RepaymentReserveEntry::AccountId))
                .col(code(
                    RepaymentReserveEntry::Kind,
                    24,
                    &[
                        "revenue_share",
                        "budget_allocation",
                        "interest",
                        "debt_repayment",
                    ],
                ))
                .col(big_integer_null(RepaymentReserveEntry::RevenueId).unique_key())
                .col(positive(RepaymentReserveEntry::AmountFen))
                .col(date(RepaymentReserveEntry::EntryOn))
                .col(string_len_null(RepaymentReserveEntry::VoucherNo, 64))
                .col(text(RepaymentReserveEntry::Notes).default(""))
                .check(
                    Expr::col(RepaymentReserveEntry::Kind)
                        .eq("revenue_share")
                        .and(Expr::col(RepaymentReserveEntry::RevenueId).is_not_null())
                        .or(Expr::col(RepaymentReserveEntry::Kind)
                            .ne("revenue_share")
                            .and(Expr::col(RepaymentReserveEntry::RevenueId).is_null())),
                )
                .foreign_key(&mut fk(
                    RepaymentReserveEntry::Table,
                    RepaymentReserveEntry::AccountId,
                    RepaymentReserveAccount::Table,
                ))
                .foreign_key(&mut fk(
                    RepaymentReserveEntry::Table,
                    RepaymentReserveEntry::RevenueId,
                    LandRevenue::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            RepaymentReserveEntry::Table,
            &[(
                "repayment_reserve_entry_account_id_entry_on_idx",
                &["account_id", "entry_on"],
                false,
            )],
        )
        .await?;

        // 台账 of quota use (A5§9): every movement of a quota's area.
        create_record_table(
            manager,
            Table::create()
                .table(QuotaUseLedger::Table)
                .col(pk_auto(QuotaUseLedger::Id).big_integer())
                .col(big_integer(QuotaUseLedger::QuotaId))
                .col(code(
                    QuotaUseLedger::Kind,
                    24,
                    &[
                        "produced",
                        "received",
                        "transferred_out",
                        "used_locally",
                        "returned_expired",
                        "cancelled",
                    ],
                ))
                .col(positive(QuotaUseLedger::AreaTenThousandthMu))
                .col(date(QuotaUseLedger::EntryOn))
                .col(big_integer_null(QuotaUseLedger::TransferId))
                .col(string_len(QuotaUseLedger::UsedFor, 200).default(""))
                .col(text(QuotaUseLedger::Notes).default(""))
                .check(
                    Expr::col(QuotaUseLedger::Kind)
                        .ne("transferred_out")
                        .or(Expr::col(QuotaUseLedger::TransferId).is_not_null()),
                )
                .foreign_key(&mut fk(
                    QuotaUseLedger::Table,
                    QuotaUseLedger::QuotaId,
                    LandQuota::Table,
                ))
                .foreign_key(&mut fk(
                    QuotaUseLedger::Table,
                    QuotaUseLedger::TransferId,
                    QuotaTransfer::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            QuotaUseLedger::Table,
            &[
                (
                    "quota_use_ledger_quota_id_entry_on_idx",
                    &["quota_id", "entry_on"],
                    false,
                ),
                ("quota_use_ledger_transfer_id_idx", &["transfer_id"], false),
            ],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            vec![
                QuotaUseLedger::Table.into_iden(),
                RepaymentReserveEntry::Table.into_iden(),
                RepaymentReserveAccount::Table.into_iden(),
                LandRevenue::Table.into_iden(),
                QuotaTransfer::Table.into_iden(),
                LandQuota::Table.into_iden(),
                Homestead::Table.into_iden(),
                LandLinkageProject::Table.into_iden(),
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub enum LandLinkageProject {
    Table,
    Id,
    Code,
    Name,
    TownId,
    PlatformReference,
    ApprovedOn,
    AcceptedOn,
    DemolitionAreaTenThousandthMu,
    ReclaimedAreaTenThousandthMu,
    Status,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Homestead {
    Table,
    Id,
    HouseholdId,
    VillageId,
    ProjectId,
    Location,
    AreaTenThousandthMu,
    State,
    ConsentRecordedOn,
    VacatedOn,
    ReclaimedOn,
    CertifiedByBureauId,
    CertifiedOn,
    RegistrationUpdatedOn,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum LandQuota {
    Table,
    Id,
    Code,
    Origin,
    ProjectId,
    AreaTenThousandthMu,
    ConfirmedOn,
    PlatformReference,
    SourceDescription,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum QuotaTransfer {
    Table,
    Id,
    QuotaId,
    QuotaOrigin,
    BuyerGovernment,
    Scope,
    PricePerMuFen,
    AreaTenThousandthMu,
    AmountFen,
    PlatformReference,
    ContractedOn,
    Status,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum LandRevenue {
    Table,
    Id,
    TransferId,
    ProjectId,
    Payer,
    ReceivedOn,
    AmountFen,
    ReserveFen,
    VoucherNo,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum RepaymentReserveAccount {
    Table,
    Id,
    AccountNo,
    Name,
    Bank,
    ManagedByBureauId,
    OpenedOn,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum RepaymentReserveEntry {
    Table,
    Id,
    AccountId,
    Kind,
    RevenueId,
    AmountFen,
    EntryOn,
    VoucherNo,
    Notes,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum QuotaUseLedger {
    Table,
    Id,
    QuotaId,
    Kind,
    AreaTenThousandthMu,
    EntryOn,
    TransferId,
    UsedFor,
    Notes,
}
