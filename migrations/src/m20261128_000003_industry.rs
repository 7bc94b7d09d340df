//! Industry support of annex 1: business entities that drive poverty reduction (带贫主体), their
//! industries, benefit linkages (利益联结) with relocated households and how they are honoured,
//! and sales channels (e-commerce service points, shops, "五进" consumption sales).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{
    code, create_indexes, create_record_table, drop_tables, ends_after, fk, fk_cascade,
    non_negative, non_negative_null,
};
use crate::m20261128_000001_reference_and_registry::{Household, Industry, Site, Town, Village};

/// Benefit-linkage kinds of A1§2 and A1§6.
pub const BENEFIT_LINKAGE_KINDS: &[&str] = &[
    "land_shares",
    "land_transfer",
    "capital_shares",
    "joint_farming",
    "processing",
    "lease_back",
    "wage_work",
    "dividends",
    "technical_service",
    "custodial_breeding",
    "trusteeship",
    "order_farming",
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_record_table(
            manager,
            Table::create()
                .table(BusinessEntity::Table)
                .col(pk_auto(BusinessEntity::Id).big_integer())
                .col(string_len_uniq(BusinessEntity::Code, 32))
                // 统一社会信用代码, when the entity is registered.
                .col(string_len_null(BusinessEntity::CreditCode, 18).unique_key())
                .col(string_len(BusinessEntity::Name, 200))
                .col(code(
                    BusinessEntity::Kind,
                    24,
                    &[
                        "cooperative",
                        "family_farm",
                        "leading_enterprise",
                        "service_organisation",
                        "village_collective",
                    ],
                ))
                .col(big_integer_null(BusinessEntity::TownId))
                .col(big_integer_null(BusinessEntity::VillageId))
                .col(big_integer_null(BusinessEntity::SiteId))
                .col(string_len_null(BusinessEntity::LegalRepresentative, 40))
                .col(string_len_null(BusinessEntity::ContactPhone, 20))
                .col(string_len(BusinessEntity::Address, 200).default(""))
                // A1§3: preservation, storage and processing capacity; order farming.
                .col(boolean(BusinessEntity::DoesProcessing).default(false))
                .col(boolean(BusinessEntity::DoesStorage).default(false))
                .col(boolean(BusinessEntity::DoesOrderFarming).default(false))
                .col(string_len_null(BusinessEntity::Brand, 100))
                .col(
                    code(
                        BusinessEntity::Status,
                        16,
                        &["active", "suspended", "dissolved"],
                    )
                    .default("active"),
                )
                .foreign_key(&mut fk(
                    BusinessEntity::Table,
                    BusinessEntity::TownId,
                    Town::Table,
                ))
                .foreign_key(&mut fk(
                    BusinessEntity::Table,
                    BusinessEntity::VillageId,
                    Village::Table,
                ))
                .foreign_key(&mut fk(
                    BusinessEntity::Table,
                    BusinessEntity::SiteId,
                    Site::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            BusinessEntity::Table,
            &[
                ("business_entity_town_id_idx", &["town_id"], false),
                ("business_entity_site_id_idx", &["site_id"], false),
                ("business_entity_kind_idx", &["kind"], false),
            ],
        )
        .await?;

        // Which "3+X" industries an entity works in.
        manager
            .create_table(
                Table::create()
                    .table(BusinessEntityIndustry::Table)
                    .col(big_integer(BusinessEntityIndustry::BusinessEntityId))
                    .col(big_integer(BusinessEntityIndustry::IndustryId))
                    .primary_key(
                        Index::create()
                            .col(BusinessEntityIndustry::BusinessEntityId)
                            .col(BusinessEntityIndustry::IndustryId),
                    )
                    .foreign_key(&mut fk_cascade(
                        BusinessEntityIndustry::Table,
                        BusinessEntityIndustry::BusinessEntityId,
                        BusinessEntity::Table,
                    ))
                    .foreign_key(&mut fk(
                        BusinessEntityIndustry::Table,
                        BusinessEntityIndustry::IndustryId,
                        Industry::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        create_indexes(
            manager,
            BusinessEntityIndustry::Table,
            &[(
                "business_entity_industry_industry_id_idx",
                &["industry_id"],
                false,
            )],
        )
        .await?;

        // 利益联结 agreements between an entity and a relocated household (A1§2, A1§6).
        create_record_table(
            manager,
            Table::create()
                .table(BenefitLinkage::Table)
                .col(pk_auto(BenefitLinkage::Id).big_integer())
                .col(big_integer(BenefitLinkage::BusinessEntityId))
                .col(big_integer(BenefitLinkage::HouseholdId))
                .col(big_integer_null(BenefitLinkage::IndustryId))
                .col(code(BenefitLinkage::Kind, 24, BENEFIT_LINKAGE_KINDS))
                .col(string_len(BenefitLinkage::AgreementNo, 64))
                .col(text(BenefitLinkage::Terms))
                .col(date(BenefitLinkage::StartsOn))
                .col(date_null(BenefitLinkage::EndsOn))
                // Land put in (land shares, land transfer, lease-back), in 0.0001 mu.
                .col(non_negative_null(BenefitLinkage::LandAreaTenThousandthMu))
                // Capital put in (capital shares), in fen.
                .col(non_negative_null(BenefitLinkage::CapitalFen))
                .col(non_negative_null(BenefitLinkage::ExpectedAnnualIncomeFen))
                .col(date_null(BenefitLinkage::NextDueOn))
                // Whether the entity honours the agreement on time (按期履责履约).
                .col(
                    code(
                        BenefitLinkage::HonouredStatus,
                        16,
                        &["pending", "on_time", "late", "defaulted"],
                    )
                    .default("pending"),
                )
                .col(
                    code(
                        BenefitLinkage::Status,
                        16,
                        &["active", "ended", "terminated"],
                    )
                    .default("active"),
                )
                .check(ends_after(BenefitLinkage::StartsOn, BenefitLinkage::EndsOn))
                .foreign_key(&mut fk(
                    BenefitLinkage::Table,
                    BenefitLinkage::BusinessEntityId,
                    BusinessEntity::Table,
                ))
                .foreign_key(&mut fk(
                    BenefitLinkage::Table,
                    BenefitLinkage::HouseholdId,
                    Household::Table,
                ))
                .foreign_key(&mut fk(
                    BenefitLinkage::Table,
                    BenefitLinkage::IndustryId,
                    Industry::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            BenefitLinkage::Table,
            &[
                (
                    "benefit_linkage_business_entity_id_agreement_no_key",
                    &["business_entity_id", "agreement_no"],
                    true,
                ),
                ("benefit_linkage_household_id_idx", &["household_id"], false),
                ("benefit_linkage_next_due_on_idx", &["next_due_on"], false),
            ],
        )
        .await?;

        // Each due payment or service of a linkage and when it was honoured.
        create_record_table(
            manager,
            Table::create()
                .table(BenefitFulfilment::Table)
                .col(pk_auto(BenefitFulfilment::Id).big_integer())
                .col(big_integer(BenefitFulfilment::BenefitLinkageId))
                .col(date(BenefitFulfilment::DueOn))
                .col(date_null(BenefitFulfilment::FulfilledOn))
                .col(non_negative(BenefitFulfilment::AmountFen))
                .col(
                    code(
                        BenefitFulfilment::Status,
                        16,
                        &["due", "on_time", "late", "defaulted", "waived"],
                    )
                    .default("due"),
                )
                .col(text(BenefitFulfilment::Notes).default(""))
                .foreign_key(&mut fk_cascade(
                    BenefitFulfilment::Table,
                    BenefitFulfilment::BenefitLinkageId,
                    BenefitLinkage::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            BenefitFulfilment::Table,
            &[
                (
                    "benefit_fulfilment_benefit_linkage_id_due_on_key",
                    &["benefit_linkage_id", "due_on"],
                    true,
                ),
                ("benefit_fulfilment_due_on_idx", &["due_on"], false),
            ],
        )
        .await?;

        // Sales channels of A1§4: e-commerce service points at sites, online shops of relocated
        // households, and the provincial platforms used for 产销对接.
        create_record_table(
            manager,
            Table::create()
                .table(SalesChannel::Table)
                .col(pk_auto(SalesChannel::Id).big_integer())
                .col(code(
                    SalesChannel::Kind,
                    32,
                    &[
                        "ecommerce_service_point",
                        "online_shop",
                        "provincial_community_platform",
                        "supply_marketing_platform",
                        "consumption_support_centre",
                        "other",
                    ],
                ))
                .col(string_len(SalesChannel::Name, 200))
                .col(big_integer_null(SalesChannel::SiteId))
                .col(big_integer_null(SalesChannel::HouseholdId))
                .col(big_integer_null(SalesChannel::BusinessEntityId))
                .col(string_len(SalesChannel::Operator, 100).default(""))
                .col(string_len(SalesChannel::AddressOrUrl, 300).default(""))
                .col(date_null(SalesChannel::OpenedOn))
                .col(date_null(SalesChannel::ClosedOn))
                .check(ends_after(SalesChannel::OpenedOn, SalesChannel::ClosedOn))
                .foreign_key(&mut fk(
                    SalesChannel::Table,
                    SalesChannel::SiteId,
                    Site::Table,
                ))
                .foreign_key(&mut fk(
                    SalesChannel::Table,
                    SalesChannel::HouseholdId,
                    Household::Table,
                ))
                .foreign_key(&mut fk(
                    SalesChannel::Table,
                    SalesChannel::BusinessEntityId,
                    BusinessEntity::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            SalesChannel::Table,
            &[
                ("sales_channel_site_id_idx", &["site_id"], false),
                ("sales_channel_household_id_idx", &["household_id"], false),
                (
                    "sales_channel_business_entity_id_idx",
                    &["business_entity_id"],
                    false,
                ),
            ],
        )
        .await?;

        // "五进" consumption sales: into agencies, communities, schools, supermarkets, canteens.
        create_record_table(
            manager,
            Table::create()
                .table(FiveChannelSale::Table)
                .col(pk_auto(FiveChannelSale::Id).big_integer())
                .col(code(
                    FiveChannelSale::Channel,
                    16,
                    &["agency", "community", "school", "supermarket", "canteen"],
                ))
                .col(string_len(FiveChannelSale::BuyerName, 200))
                .col(big_integer_null(FiveChannelSale::BusinessEntityId))
                .col(big_integer_null(FiveChannelSale::HouseholdId))
                .col(big_integer_null(FiveChannelSale::IndustryId))
                .col(big_integer_null(FiveChannelSale::SalesChannelId))
                .col(string_len(FiveChannelSale::Product, 100))
                .col(string_len(FiveChannelSale::Quantity, 60).default(""))
                .col(non_negative(FiveChannelSale::AmountFen))
                .col(date(FiveChannelSale::SoldOn))
                .foreign_key(&mut fk(
                    FiveChannelSale::Table,
                    FiveChannelSale::BusinessEntityId,
                    BusinessEntity::Table,
                ))
                .foreign_key(&mut fk(
                    FiveChannelSale::Table,
                    FiveChannelSale::HouseholdId,
                    Household::Table,
                ))
                .foreign_key(&mut fk(
                    FiveChannelSale::Table,
                    FiveChannelSale::IndustryId,
                    Industry::Table,
                ))
                .foreign_key(&mut fk(
                    FiveChannelSale::Table,
                    FiveChannelSale::SalesChannelId,
                    SalesChannel::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            FiveChannelSale::Table,
            &[
                (
                    "five_channel_sale_business_entity_id_idx",
                    &["business_entity_id"],
                    false,
                ),
                (
                    "five_channel_sale_household_id_idx",
                    &["household_id"],
                    false,
                ),
                ("five_channel_sale_sold_on_idx", &["sold_on"], false),
            ],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            vec![
                FiveChannelSale::Table.into_iden(),
                SalesChannel::Table.into_iden(),
                BenefitFulfilment::Table.into_iden(),
                BenefitLinkage::Table.into_iden(),
                BusinessEntityIndustry::Table.into_iden(),
                BusinessEntity::Table.into_iden(),
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub enum BusinessEntity {
    Table,
    Id,
    Code,
    CreditCode,
    Name,
    Kind,
    TownId,
    VillageId,
    SiteId,
    LegalRepresentative,
    ContactPhone,
    Address,
    DoesProcessing,
    DoesStorage,
    DoesOrderFarming,
    Brand,
    Status,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum BusinessEntityIndustry {
    Table,
    BusinessEntityId,
    IndustryId,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum BenefitLinkage {
    Table,
    Id,
    BusinessEntityId,
    HouseholdId,
    IndustryId,
    Kind,
    AgreementNo,
    Terms,
    StartsOn,
    EndsOn,
    LandAreaTenThousandthMu,
    CapitalFen,
    ExpectedAnnualIncomeFen,
    NextDueOn,
    HonouredStatus,
    Status,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum BenefitFulfilment {
    Table,
    Id,
    BenefitLinkageId,
    DueOn,
    FulfilledOn,
    AmountFen,
    Status,
    Notes,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum SalesChannel {
    Table,
    Id,
    Kind,
    Name,
    SiteId,
    HouseholdId,
    BusinessEntityId,
    Operator,
    AddressOrUrl,
    OpenedOn,
    ClosedOn,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum FiveChannelSale {
    Table,
    Id,
    Channel,
    BuyerName,
    BusinessEntityId,
    HouseholdId,
    IndustryId,
    SalesChannelId,
    Product,
    Quantity,
    AmountFen,
    SoldOn,
}
