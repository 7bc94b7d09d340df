//! Party building of annex 6: the party organisation of each site, members and their relation
//! transfers, committee membership, "三会一课" meetings, monthly visits to relocated households,
//! monthly town-committee reviews, the mass councils and the dispute rooms (说事室).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{
    code, count, create_indexes, create_record_table, drop_tables, ends_after, fk, one_of,
};
use crate::m20261128_000001_reference_and_registry::{Household, Person, Site, Town, User};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A6§1.1: a branch (under the town committee), a group (in the local branch), or none and
        // a party-building instructor sent by the town committee.
        create_record_table(
            manager,
            Table::create()
                .table(PartyOrganisation::Table)
                .col(pk_auto(PartyOrganisation::Id).big_integer())
                .col(big_integer(PartyOrganisation::SiteId))
                .col(big_integer(PartyOrganisation::TownId))
                .col(code(
                    PartyOrganisation::Kind,
                    24,
                    &["branch", "group", "none_with_instructor"],
                ))
                .col(string_len(PartyOrganisation::Name, 100))
                .col(big_integer_null(PartyOrganisation::ParentOrganisationId))
                .col(string_len_null(PartyOrganisation::ParentBranchName, 100))
                .col(string_len_null(PartyOrganisation::InstructorName, 40))
                .col(string_len_null(PartyOrganisation::InstructorPhone, 20))
                .col(date(PartyOrganisation::EstablishedOn))
                .col(date_null(PartyOrganisation::DissolvedOn))
                .check(
                    Expr::col(PartyOrganisation::Kind)
                        .ne("none_with_instructor")
                        .or(Expr::col(PartyOrganisation::InstructorName).is_not_null()),
                )
                .check(ends_after(
                    PartyOrganisation::EstablishedOn,
                    PartyOrganisation::DissolvedOn,
                ))
                .foreign_key(&mut fk(
                    PartyOrganisation::Table,
                    PartyOrganisation::SiteId,
                    Site::Table,
                ))
                .foreign_key(&mut fk(
                    PartyOrganisation::Table,
                    PartyOrganisation::TownId,
                    Town::Table,
                ))
                .foreign_key(&mut fk(
                    PartyOrganisation::Table,
                    PartyOrganisation::ParentOrganisationId,
                    PartyOrganisation::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            PartyOrganisation::Table,
            &[("party_organisation_town_id_idx", &["town_id"], false)],
        )
        .await?;
        // At most one current (not dissolved) organisation per site.
        manager
            .create_index(
                Index::create()
                    .name("party_organisation_site_id_current_key")
                    .table(PartyOrganisation::Table)
                    .col(PartyOrganisation::SiteId)
                    .unique()
                    .and_where(Expr::col(PartyOrganisation::DissolvedOn).is_null())
                    .to_owned(),
            )
            .await?;

        // Members (sensitive: party membership). Probationary members are not formal (A6§1.1).
        create_record_table(
            manager,
            Table::create()
                .table(PartyMember::Table)
                .col(pk_auto(PartyMember::Id).big_integer())
                .col(big_integer_null(PartyMember::PersonId).unique_key())
                .col(string_len(PartyMember::Name, 40))
                .col(big_integer_null(PartyMember::OrganisationId))
                .col(code(
                    PartyMember::Status,
                    16,
                    &["formal", "probationary", "activist"],
                ))
                .col(date_null(PartyMember::JoinedOn))
                .col(date_null(PartyMember::BecameFormalOn))
                // Where the organisational relation is held (A6§1.1: < 3 members → local organisation).
                .col(code(
                    PartyMember::RelationHeldAt,
                    24,
                    &[
                        "site_organisation",
                        "local_organisation",
                        "origin_organisation",
                        "transferring",
                    ],
                ))
                .col(string_len(PartyMember::RelationOrganisationName, 100).default(""))
                .check(
                    Expr::col(PartyMember::Status)
                        .eq("activist")
                        .or(Expr::col(PartyMember::JoinedOn).is_not_null()),
                )
                .check(
                    Expr::col(PartyMember::Status)
                        .ne("formal")
                        .or(Expr::col(PartyMember::BecameFormalOn).is_not_null()),
                )
                .foreign_key(&mut fk(
                    PartyMember::Table,
                    PartyMember::PersonId,
                    Person::Table,
                ))
                .foreign_key(&mut fk(
                    PartyMember::Table,
                    PartyMember::OrganisationId,
                    PartyOrganisation::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            PartyMember::Table,
            &[(
                "party_member_organisation_id_status_idx",
                &["organisation_id", "status"],
                false,
            )],
        )
        .await?;

        create_record_table(
            manager,
            Table::create()
                .table(PartyRelationTransfer::Table)
                .col(pk_auto(PartyRelationTransfer::Id).big_integer())
                .col(big_integer(PartyRelationTransfer::MemberId))
                .col(big_integer_null(PartyRelationTransfer::FromOrganisationId))
                .col(string_len(PartyRelationTransfer::FromOrganisationName, 100).default(""))
                .col(big_integer_null(PartyRelationTransfer::ToOrganisationId))
                .col(string_len(PartyRelationTransfer::ToOrganisationName, 100).default(""))
                .col(date(PartyRelationTransfer::RequestedOn))
                .col(date_null(PartyRelationTransfer::CompletedOn))
                .col(
                    code(
                        PartyRelationTransfer::Status,
                        16,
                        &["requested", "completed", "rejected"],
                    )
                    .default("requested"),
                )
                .col(text(PartyRelationTransfer::Reason).default(""))
                .check(ends_after(
                    PartyRelationTransfer::RequestedOn,
                    PartyRelationTransfer::CompletedOn,
                ))
                .foreign_key(&mut fk(
                    PartyRelationTransfer::Table,
                    PartyRelationTransfer::MemberId,
                    PartyMember::Table,
                ))
                .foreign_key(&mut fk(
                    PartyRelationTransfer::Table,
                    PartyRelationTransfer::FromOrganisationId,
                    PartyOrganisation::Table,
                ))
                .foreign_key(&mut fk(
                    PartyRelationTransfer::Table,
                    PartyRelationTransfer::ToOrganisationId,
                    PartyOrganisation::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            PartyRelationTransfer::Table,
            &[(
                "party_relation_transfer_member_id_idx",
                &["member_id"],
                false,
            )],
        )
        .await?;

        // 党组织班子成员: the committee members who must each visit at least monthly (A6§2.2).
        create_record_table(
            manager,
            Table::create()
                .table(PartyCommitteeMember::Table)
                .col(pk_auto(PartyCommitteeMember::Id).big_integer())
                .col(big_integer(PartyCommitteeMember::OrganisationId))
                .col(big_integer(PartyCommitteeMember::MemberId))
                .col(code(
                    PartyCommitteeMember::Position,
                    24,
                    &[
                        "secretary",
                        "deputy_secretary",
                        "committee_member",
                        "group_leader",
                        "instructor",
                    ],
                ))
                .col(date(PartyCommitteeMember::StartsOn))
                .col(date_null(PartyCommitteeMember::EndsOn))
                .check(ends_after(
                    PartyCommitteeMember::StartsOn,
                    PartyCommitteeMember::EndsOn,
                ))
                .foreign_key(&mut fk(
                    PartyCommitteeMember::Table,
                    PartyCommitteeMember::OrganisationId,
                    PartyOrganisation::Table,
                ))
                .foreign_key(&mut fk(
                    PartyCommitteeMember::Table,
                    PartyCommitteeMember::MemberId,
                    PartyMember::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            PartyCommitteeMember::Table,
            &[
                (
                    "party_committee_member_organisation_id_member_id_starts_on_key",
                    &["organisation_id", "member_id", "starts_on"],
                    true,
                ),
                (
                    "party_committee_member_member_id_idx",
                    &["member_id"],
                    false,
                ),
            ],
        )
        .await?;

        // "三会一课" and the other basic systems of A6§1.3.
        create_record_table(
            manager,
            Table::create()
                .table(PartyMeeting::Table)
                .col(pk_auto(PartyMeeting::Id).big_integer())
                .col(big_integer(PartyMeeting::OrganisationId))
                .col(code(
                    PartyMeeting::Kind,
                    24,
                    &[
                        "general_meeting",
                        "committee_meeting",
                        "group_meeting",
                        "party_lecture",
                        "heart_to_heart_talk",
                        "member_evaluation",
                        "four_deliberations",
                    ],
                ))
                .col(date(PartyMeeting::HeldOn))
                .col(string_len(PartyMeeting::Topic, 200))
                .col(count(PartyMeeting::AttendeesCount))
                .col(text(PartyMeeting::Notes).default(""))
                .foreign_key(&mut fk(
                    PartyMeeting::Table,
                    PartyMeeting::OrganisationId,
                    PartyOrganisation::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            PartyMeeting::Table,
            &[(
                "party_meeting_organisation_id_held_on_idx",
                &["organisation_id", "held_on"],
                false,
            )],
        )
        .await?;

        // 走访 by committee members (A6§2.2), recorded from the field.
        create_record_table(
            manager,
            Table::create()
                .table(PartyVisit::Table)
                .col(pk_auto(PartyVisit::Id).big_integer())
                .col(big_integer(PartyVisit::MemberId))
                .col(big_integer(PartyVisit::HouseholdId))
                .col(date(PartyVisit::VisitedOn))
                .col(text(PartyVisit::Notes).default(""))
                .col(text(PartyVisit::ProblemsRaised).default(""))
                .col(boolean(PartyVisit::Resolved).default(false))
                .col(big_integer_null(PartyVisit::RecordedByUserId))
                .foreign_key(&mut fk(
                    PartyVisit::Table,
                    PartyVisit::MemberId,
                    PartyMember::Table,
                ))
                .foreign_key(&mut fk(
                    PartyVisit::Table,
                    PartyVisit::HouseholdId,
                    Household::Table,
                ))
                .foreign_key(&mut fk(
                    PartyVisit::Table,
                    PartyVisit::RecordedByUserId,
                    User::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            PartyVisit::Table,
            &[
                (
                    "party_visit_member_id_visited_on_idx",
                    &["member_id", "visited_on"],
                    false,
                ),
                ("party_visit_household_id_idx", &["household_id"], false),
            ],
        )
        .await?;

        // The town committee reviews each site's party building at least monthly (A6§3.1).
        create_record_table(
            manager,
            Table::create()
                .table(TownCommitteeReview::Table)
                .col(pk_auto(TownCommitteeReview::Id).big_integer())
                .col(big_integer(TownCommitteeReview::TownId))
                .col(big_integer(TownCommitteeReview::SiteId))
                .col(big_integer_null(TownCommitteeReview::OrganisationId))
                .col(date(TownCommitteeReview::ReviewedOn))
                .col(string_len(TownCommitteeReview::ReviewerName, 40))
                .col(text(TownCommitteeReview::Findings).default(""))
                .col(text(TownCommitteeReview::FollowUp).default(""))
                .foreign_key(&mut fk(
                    TownCommitteeReview::Table,
                    TownCommitteeReview::TownId,
                    Town::Table,
                ))
                .foreign_key(&mut fk(
                    TownCommitteeReview::Table,
                    TownCommitteeReview::SiteId,
                    Site::Table,
                ))
                .foreign_key(&mut fk(
                    TownCommitteeReview::Table,
                    TownCommitteeReview::OrganisationId,
                    PartyOrganisation::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            TownCommitteeReview::Table,
            &[
                (
                    "town_committee_review_site_id_reviewed_on_idx",
                    &["site_id", "reviewed_on"],
                    false,
                ),
                ("town_committee_review_town_id_idx", &["town_id"], false),
            ],
        )
        .await?;

        // The mass organisations of A6§2.4, one of each kind per site.
        create_record_table(
            manager,
            Table::create()
                .table(SiteCouncil::Table)
                .col(pk_auto(SiteCouncil::Id).big_integer())
                .col(big_integer(SiteCouncil::SiteId))
                .col(string_len(SiteCouncil::Kind, 32).check(one_of(
                    SiteCouncil::Kind,
                    &[
                        "deliberation_council",
                        "mediation_committee",
                        "ethics_council",
                        "weddings_funerals_council",
                        "anti_drug_gambling_council",
                    ],
                )))
                .col(string_len(SiteCouncil::Name, 100))
                .col(string_len(SiteCouncil::ChairName, 40).default(""))
                .col(count(SiteCouncil::MemberCount))
                .col(date_null(SiteCouncil::EstablishedOn))
                .col(boolean(SiteCouncil::Active).default(true))
                .foreign_key(&mut fk(
                    SiteCouncil::Table,
                    SiteCouncil::SiteId,
                    Site::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            SiteCouncil::Table,
            &[("site_council_site_id_kind_key", &["site_id", "kind"], true)],
        )
        .await?;

        // 说事室 (A6§2.2): rooms where the instructor and party members resolve disputes.
        create_record_table(
            manager,
            Table::create()
                .table(DisputeRoom::Table)
                .col(pk_auto(DisputeRoom::Id).big_integer())
                .col(big_integer(DisputeRoom::SiteId))
                .col(string_len(DisputeRoom::Name, 100))
                .col(string_len(DisputeRoom::Location, 200).default(""))
                .col(string_len(DisputeRoom::HostName, 40).default(""))
                .col(date_null(DisputeRoom::OpenedOn))
                .col(boolean(DisputeRoom::Active).default(true))
                .foreign_key(&mut fk(
                    DisputeRoom::Table,
                    DisputeRoom::SiteId,
                    Site::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            DisputeRoom::Table,
            &[("dispute_room_site_id_idx", &["site_id"], false)],
        )
        .await?;

        create_record_table(
            manager,
            Table::create()
                .table(DisputeCase::Table)
                .col(pk_auto(DisputeCase::Id).big_integer())
                .col(big_integer(DisputeCase::RoomId))
                .col(big_integer_null(DisputeCase::HouseholdId))
                .col(date(DisputeCase::ReceivedOn))
                .col(text(DisputeCase::Summary))
                .col(string_len(DisputeCase::MediatorName, 40).default(""))
                .col(
                    code(
                        DisputeCase::Status,
                        16,
                        &["open", "mediated", "referred", "closed"],
                    )
                    .default("open"),
                )
                .col(date_null(DisputeCase::ResolvedOn))
                .col(text(DisputeCase::Outcome).default(""))
                .check(ends_after(DisputeCase::ReceivedOn, DisputeCase::ResolvedOn))
                .foreign_key(&mut fk(
                    DisputeCase::Table,
                    DisputeCase::RoomId,
                    DisputeRoom::Table,
                ))
                .foreign_key(&mut fk(
                    DisputeCase::Table,
                    DisputeCase::HouseholdId,
                    Household::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            DisputeCase::Table,
            &[
                ("dispute_case_room_id_idx", &["room_id"], false),
                ("dispute_case_household_id_idx", &["household_id"], false),
            ],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            vec![
                DisputeCase::Table.into_iden(),
                DisputeRoom::Table.into_iden(),
                SiteCouncil::Table.into_iden(),
                TownCommitteeReview::Table.into_iden(),
                PartyVisit::Table.into_iden(),
                PartyMeeting::Table.into_iden(),
                PartyCommitteeMember::Table.into_iden(),
                PartyRelationTransfer::Table.into_iden(),
                PartyMember::Table.into_iden(),
                PartyOrganisation::Table.into_iden(),
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub enum PartyOrganisation {
    Table,
    Id,
    SiteId,
    TownId,
    Kind,
    Name,
    ParentOrganisationId,
    ParentBranchName,
    InstructorName,
    InstructorPhone,
    EstablishedOn,
    DissolvedOn,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum PartyMember {
    Table,
    Id,
    PersonId,
    Name,
    OrganisationId,
    Status,
    JoinedOn,
    BecameFormalOn,
    RelationHeldAt,
    RelationOrganisationName,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum PartyRelationTransfer {
    Table,
    Id,
    MemberId,
    FromOrganisationId,
    FromOrganisationName,
    ToOrganisationId,
    ToOrganisationName,
    RequestedOn,
    CompletedOn,
    Status,
    Reason,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum PartyCommitteeMember {
    Table,
    Id,
    OrganisationId,
    MemberId,
    Position,
    StartsOn,
    EndsOn,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum PartyMeeting {
    Table,
    Id,
    OrganisationId,
    Kind,
    HeldOn,
    Topic,
    AttendeesCount,
    Notes,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum PartyVisit {
    Table,
    Id,
    MemberId,
    HouseholdId,
    VisitedOn,
    Notes,
    ProblemsRaised,
    Resolved,
    RecordedByUserId,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum TownCommitteeReview {
    Table,
    Id,
    TownId,
    SiteId,
    OrganisationId,
    ReviewedOn,
    ReviewerName,
    Findings,
    FollowUp,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum SiteCouncil {
    Table,
    Id,
    SiteId,
    Kind,
    Name,
    ChairName,
    MemberCount,
    EstablishedOn,
    Active,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum DisputeRoom {
    Table,
    Id,
    SiteId,
    Name,
    Location,
    HostName,
    OpenedOn,
    Active,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum DisputeCase {
    Table,
    Id,
    RoomId,
    HouseholdId,
    ReceivedOn,
    Summary,
    MediatorName,
    Status,
    ResolvedOn,
    Outcome,
}
