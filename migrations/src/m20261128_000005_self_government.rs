//! Self-governance of annex 4: the governance unit decided for each site (A4§2.1), public
//! disclosures (居务公开), consultation meetings (民主协商) and democratic evaluations (民主评议).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{
    code, count, create_indexes, create_record_table, drop_tables, fk, ranged, ranged_null,
};
use crate::m20261128_000001_reference_and_registry::{Community, Site, Town, User, Village};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The self-governance unit of a site as decided under A4§2.1 (one current decision per site).
        create_record_table(
            manager,
            Table::create()
                .table(SiteGovernance::Table)
                .col(pk_auto(SiteGovernance::Id).big_integer())
                .col(big_integer(SiteGovernance::SiteId).unique_key())
                .col(code(
                    SiteGovernance::UnitKind,
                    32,
                    &[
                        "residents_committee",
                        "residents_group",
                        "villagers_group",
                        "integrated_community",
                        "urban_community",
                    ],
                ))
                .col(big_integer_null(SiteGovernance::ManagedByCommunityId))
                .col(big_integer_null(SiteGovernance::MergedIntoVillageId))
                .col(
                    integer(SiteGovernance::HouseholdsAtDecision)
                        .check(Expr::col(SiteGovernance::HouseholdsAtDecision).gte(0)),
                )
                .col(
                    integer(SiteGovernance::PopulationAtDecision)
                        .check(Expr::col(SiteGovernance::PopulationAtDecision).gte(0)),
                )
                .col(date(SiteGovernance::DecidedOn))
                .col(text(SiteGovernance::Notes).default(""))
                .foreign_key(&mut fk(
                    SiteGovernance::Table,
                    SiteGovernance::SiteId,
                    Site::Table,
                ))
                .foreign_key(&mut fk(
                    SiteGovernance::Table,
                    SiteGovernance::ManagedByCommunityId,
                    Community::Table,
                ))
                .foreign_key(&mut fk(
                    SiteGovernance::Table,
                    SiteGovernance::MergedIntoVillageId,
                    Village::Table,
                )),
        )
        .await?;

        // 居务公开 (A4§3.1).
        create_record_table(
            manager,
            Table::create()
                .table(PublicDisclosure::Table)
                .col(pk_auto(PublicDisclosure::Id).big_integer())
                .col(big_integer_null(PublicDisclosure::SiteId))
                .col(big_integer_null(PublicDisclosure::CommunityId))
                .col(code(
                    PublicDisclosure::Kind,
                    24,
                    &[
                        "procedures",
                        "progress",
                        "results",
                        "accounts",
                        "property_fee",
                        "utility_prices",
                        "utility_collection",
                        "funded_project",
                        "decision",
                        "other",
                    ],
                ))
                .col(string_len(PublicDisclosure::Title, 200))
                .col(text(PublicDisclosure::Content))
                .col(date(PublicDisclosure::PublishedOn))
                .col(date_null(PublicDisclosure::WithdrawnOn))
                .col(big_integer_null(PublicDisclosure::PublishedByUserId))
                .check(
                    Expr::col(PublicDisclosure::SiteId)
                        .is_not_null()
                        .or(Expr::col(PublicDisclosure::CommunityId).is_not_null()),
                )
                .foreign_key(&mut fk(
                    PublicDisclosure::Table,
                    PublicDisclosure::SiteId,
                    Site::Table,
                ))
                .foreign_key(&mut fk(
                    PublicDisclosure::Table,
                    PublicDisclosure::CommunityId,
                    Community::Table,
                ))
                .foreign_key(&mut fk(
                    PublicDisclosure::Table,
                    PublicDisclosure::PublishedByUserId,
                    User::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            PublicDisclosure::Table,
            &[
                (
                    "public_disclosure_site_id_published_on_idx",
                    &["site_id", "published_on"],
                    false,
                ),
                (
                    "public_disclosure_community_id_idx",
                    &["community_id"],
                    false,
                ),
            ],
        )
        .await?;

        // 民主协商 (A4§3.2): led by the party organisation, with a share of relocated representatives,
        // and the adoption, implementation and feedback of outcomes.
        create_record_table(
            manager,
            Table::create()
                .table(ConsultationMeeting::Table)
                .col(pk_auto(ConsultationMeeting::Id).big_integer())
                .col(big_integer(ConsultationMeeting::SiteId))
                .col(code(
                    ConsultationMeeting::Kind,
                    32,
                    &[
                        "residents_meeting",
                        "representatives_meeting",
                        "consultation_council",
                    ],
                ))
                .col(string_len(ConsultationMeeting::Topic, 200))
                .col(date(ConsultationMeeting::HeldOn))
                .col(boolean(ConsultationMeeting::LedByPartyOrganisation).default(true))
                // Public matters needing residents' labour (投工投劳) require relocated representatives.
                .col(boolean(ConsultationMeeting::InvolvesResidentLabour).default(false))
                .col(count(ConsultationMeeting::AttendeesCount))
                .col(count(ConsultationMeeting::RelocatedRepresentativesCount))
                .col(text(ConsultationMeeting::Outcome).default(""))
                .col(
                    code(
                        ConsultationMeeting::AdoptionStatus,
                        16,
                        &["pending", "adopted", "partly_adopted", "rejected"],
                    )
                    .default("pending"),
                )
                .col(boolean(ConsultationMeeting::Implemented).default(false))
                .col(text(ConsultationMeeting::Feedback).default(""))
                .col(date_null(ConsultationMeeting::FeedbackOn))
                .check(
                    Expr::col(ConsultationMeeting::RelocatedRepresentativesCount)
                        .lte(Expr::col(ConsultationMeeting::AttendeesCount)),
                )
                .foreign_key(&mut fk(
                    ConsultationMeeting::Table,
                    ConsultationMeeting::SiteId,
                    Site::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            ConsultationMeeting::Table,
            &[(
                "consultation_meeting_site_id_held_on_idx",
                &["site_id", "held_on"],
                false,
            )],
        )
        .await?;

        // 民主评议 (A4§3.3) of community cadres (arranged by the town) and of property services.
        create_record_table(
            manager,
            Table::create()
                .table(DemocraticEvaluation::Table)
                .col(pk_auto(DemocraticEvaluation::Id).big_integer())
                .col(big_integer(DemocraticEvaluation::SiteId))
                .col(code(
                    DemocraticEvaluation::SubjectKind,
                    24,
                    &["cadre", "property_service"],
                ))
                .col(string_len(DemocraticEvaluation::SubjectName, 100))
                .col(big_integer_null(DemocraticEvaluation::OrganisedByTownId))
                .col(ranged(DemocraticEvaluation::Year, 2000, 2100))
                .col(date(DemocraticEvaluation::HeldOn))
                .col(count(DemocraticEvaluation::ParticipantsCount))
                .col(count(DemocraticEvaluation::SatisfiedCount))
                .col(count(DemocraticEvaluation::BasicallySatisfiedCount))
                .col(count(DemocraticEvaluation::DissatisfiedCount))
                // Score out of 100.
                .col(ranged_null(DemocraticEvaluation::Score, 0, 100))
                .col(text(DemocraticEvaluation::Comments).default(""))
                .check(
                    Expr::col(DemocraticEvaluation::SatisfiedCount)
                        .add(Expr::col(DemocraticEvaluation::BasicallySatisfiedCount))
                        .add(Expr::col(DemocraticEvaluation::DissatisfiedCount))
                        .lte(Expr::col(DemocraticEvaluation::ParticipantsCount)),
                )
                .foreign_key(&mut fk(
                    DemocraticEvaluation::Table,
                    DemocraticEvaluation::SiteId,
                    Site::Table,
                ))
                .foreign_key(&mut fk(
                    DemocraticEvaluation::Table,
                    DemocraticEvaluation::OrganisedByTownId,
                    Town::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            DemocraticEvaluation::Table,
            &[(
                "democratic_evaluation_site_id_year_idx",
                &["site_id", "year"],
                false,
            )],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            vec![
                DemocraticEvaluation::Table.into_iden(),
                ConsultationMeeting::Table.into_iden(),
                PublicDisclosure::Table.into_iden(),
                SiteGovernance::Table.into_iden(),
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub enum SiteGovernance {
    Table,
    Id,
    SiteId,
    UnitKind,
    ManagedByCommunityId,
    MergedIntoVillageId,
    HouseholdsAtDecision,
    PopulationAtDecision,
    DecidedOn,
    Notes,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum PublicDisclosure {
    Table,
    Id,
    SiteId,
    CommunityId,
    Kind,
    Title,
    Content,
    PublishedOn,
    WithdrawnOn,
    PublishedByUserId,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum ConsultationMeeting {
    Table,
    Id,
    SiteId,
    Kind,
    Topic,
    HeldOn,
    LedByPartyOrganisation,
    InvolvesResidentLabour,
    AttendeesCount,
    RelocatedRepresentativesCount,
    Outcome,
    AdoptionStatus,
    Implemented,
    Feedback,
    FeedbackOn,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum DemocraticEvaluation {
    Table,
    Id,
    SiteId,
    SubjectKind,
    SubjectName,
    OrganisedByTownId,
    Year,
    HeldOn,
    ParticipantsCount,
    SatisfiedCount,
    BasicallySatisfiedCount,
    DissatisfiedCount,
    Score,
    Comments,
}
