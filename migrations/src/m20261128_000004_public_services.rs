//! Public services of annex 3: schooling ledger, family doctors, chronic conditions and
//! follow-ups, insurance coverage, social assistance, household registration, the per-site
//! needs list (缺什么补什么), property-service tickets and site facilities.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{
    code, create_indexes, create_record_table, drop_tables, ends_after, fk, non_negative_null,
    positive, ranged, ranged_null,
};
use crate::m20261128_000001_reference_and_registry::{Bureau, Household, Person, Site, Town};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_record_table(
            manager,
            Table::create()
                .table(School::Table)
                .col(pk_auto(School::Id).big_integer())
                .col(string_len_uniq(School::Code, 32))
                .col(string_len(School::Name, 200))
                .col(code(
                    School::Kind,
                    24,
                    &[
                        "kindergarten",
                        "primary",
                        "junior_middle",
                        "nine_year",
                        "senior_high",
                        "vocational",
                    ],
                ))
                .col(big_integer_null(School::TownId))
                .col(string_len(School::Address, 200).default(""))
                // Places offered to relocated children (A3§2: enough seats near the sites).
                .col(integer_null(School::Seats).check(Expr::col(School::Seats).gte(0)))
                .col(boolean(School::NearSite).default(false))
                .foreign_key(&mut fk(School::Table, School::TownId, Town::Table)),
        )
        .await?;

        // 义务教育台账 (A3§2): one row per enrolment; a transfer closes one row and opens another.
        create_record_table(
            manager,
            Table::create()
                .table(SchoolEnrolment::Table)
                .col(pk_auto(SchoolEnrolment::Id).big_integer())
                .col(big_integer(SchoolEnrolment::PersonId))
                .col(big_integer(SchoolEnrolment::SchoolId))
                .col(code(
                    SchoolEnrolment::Stage,
                    16,
                    &[
                        "preschool",
                        "primary",
                        "junior_middle",
                        "senior_high",
                        "vocational",
                    ],
                ))
                .col(ranged(SchoolEnrolment::Grade, 0, 12))
                .col(ranged(SchoolEnrolment::SchoolYear, 2000, 2100))
                .col(
                    code(
                        SchoolEnrolment::Status,
                        16,
                        &[
                            "enrolled",
                            "transferred_out",
                            "dropped_out",
                            "graduated",
                            "suspended",
                        ],
                    )
                    .default("enrolled"),
                )
                .col(date(SchoolEnrolment::EnrolledOn))
                .col(date_null(SchoolEnrolment::LeftOn))
                .col(big_integer_null(SchoolEnrolment::TransferredFromSchoolId))
                // 人籍一致: the student record (学籍) is held by the school the child attends.
                .col(boolean(SchoolEnrolment::RecordAtSchool).default(true))
                .col(text_null(SchoolEnrolment::LeavingReason))
                .col(non_negative_null(SchoolEnrolment::AidFen))
                .check(ends_after(
                    SchoolEnrolment::EnrolledOn,
                    SchoolEnrolment::LeftOn,
                ))
                .check(
                    Expr::col(SchoolEnrolment::Status)
                        .eq("enrolled")
                        .or(Expr::col(SchoolEnrolment::LeftOn).is_not_null()),
                )
                .foreign_key(&mut fk(
                    SchoolEnrolment::Table,
                    SchoolEnrolment::PersonId,
                    Person::Table,
                ))
                .foreign_key(&mut fk(
                    SchoolEnrolment::Table,
                    SchoolEnrolment::SchoolId,
                    School::Table,
                ))
                .foreign_key(&mut fk(
                    SchoolEnrolment::Table,
                    SchoolEnrolment::TransferredFromSchoolId,
                    School::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            SchoolEnrolment::Table,
            &[
                ("school_enrolment_person_id_idx", &["person_id"], false),
                ("school_enrolment_school_id_idx", &["school_id"], false),
                ("school_enrolment_status_idx", &["status"], false),
            ],
        )
        .await?;

        // 家庭医生签约 (A3§3).
        create_record_table(
            manager,
            Table::create()
                .table(FamilyDoctorContract::Table)
                .col(pk_auto(FamilyDoctorContract::Id).big_integer())
                .col(big_integer(FamilyDoctorContract::PersonId))
                .col(string_len(FamilyDoctorContract::DoctorName, 40))
                .col(string_len(FamilyDoctorContract::ClinicName, 100))
                .col(string_len(FamilyDoctorContract::TeamName, 100).default(""))
                .col(date(FamilyDoctorContract::SignedOn))
                .col(date(FamilyDoctorContract::ExpiresOn))
                .col(
                    code(
                        FamilyDoctorContract::Status,
                        16,
                        &["active", "expired", "cancelled"],
                    )
                    .default("active"),
                )
                .check(
                    Expr::col(FamilyDoctorContract::ExpiresOn)
                        .gte(Expr::col(FamilyDoctorContract::SignedOn)),
                )
                .foreign_key(&mut fk(
                    FamilyDoctorContract::Table,
                    FamilyDoctorContract::PersonId,
                    Person::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            FamilyDoctorContract::Table,
            &[(
                "family_doctor_contract_person_id_idx",
                &["person_id"],
                false,
            )],
        )
        .await?;

        // Chronic conditions: SENSITIVE personal information (PIPL), masked by default and every
        // read audited by the API.
        create_record_table(
            manager,
            Table::create()
                .table(ChronicCondition::Table)
                .col(pk_auto(ChronicCondition::Id).big_integer())
                .col(big_integer(ChronicCondition::PersonId))
                .col(string_len(ChronicCondition::ConditionCode, 32))
                .col(string_len(ChronicCondition::ConditionName, 100))
                .col(date_null(ChronicCondition::DiagnosedOn))
                .col(boolean(ChronicCondition::UnderManagement).default(true))
                .col(boolean(ChronicCondition::SeriousIllness).default(false))
                // 先诊疗后付费 in designated hospitals (A3§3).
                .col(boolean(ChronicCondition::TreatFirstPayLater).default(false))
                .col(date_null(ChronicCondition::ResolvedOn))
                .col(text(ChronicCondition::Notes).default(""))
                .foreign_key(&mut fk(
                    ChronicCondition::Table,
                    ChronicCondition::PersonId,
                    Person::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            ChronicCondition::Table,
            &[(
                "chronic_condition_person_id_condition_code_key",
                &["person_id", "condition_code"],
                true,
            )],
        )
        .await?;

        create_record_table(
            manager,
            Table::create()
                .table(HealthFollowUp::Table)
                .col(pk_auto(HealthFollowUp::Id).big_integer())
                .col(big_integer(HealthFollowUp::PersonId))
                .col(big_integer_null(HealthFollowUp::ContractId))
                .col(big_integer_null(HealthFollowUp::ChronicConditionId))
                .col(date(HealthFollowUp::FollowedUpOn))
                .col(code(
                    HealthFollowUp::Method,
                    16,
                    &["home_visit", "clinic", "phone", "video"],
                ))
                .col(string_len(HealthFollowUp::ByName, 40))
                // Sensitive: may describe health conditions.
                .col(text(HealthFollowUp::Notes).default(""))
                .col(date_null(HealthFollowUp::NextDueOn))
                .foreign_key(&mut fk(
                    HealthFollowUp::Table,
                    HealthFollowUp::PersonId,
                    Person::Table,
                ))
                .foreign_key(&mut fk(
                    HealthFollowUp::Table,
                    HealthFollowUp::ContractId,
                    FamilyDoctorContract::Table,
                ))
                .foreign_key(&mut fk(
                    HealthFollowUp::Table,
                    HealthFollowUp::ChronicConditionId,
                    ChronicCondition::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            HealthFollowUp::Table,
            &[
                ("health_follow_up_person_id_idx", &["person_id"], false),
                ("health_follow_up_next_due_on_idx", &["next_due_on"], false),
            ],
        )
        .await?;

        // 应保尽保 (A3§4): one enrolment per person, kind and year.
        create_record_table(
            manager,
            Table::create()
                .table(InsuranceEnrolment::Table)
                .col(pk_auto(InsuranceEnrolment::Id).big_integer())
                .col(big_integer(InsuranceEnrolment::PersonId))
                .col(code(
                    InsuranceEnrolment::Kind,
                    24,
                    &["basic_medical", "serious_illness", "pension"],
                ))
                .col(ranged(InsuranceEnrolment::Year, 2000, 2100))
                .col(
                    code(
                        InsuranceEnrolment::Status,
                        16,
                        &["enrolled", "pending", "exempt", "not_applicable", "refused"],
                    )
                    .default("pending"),
                )
                .col(date_null(InsuranceEnrolment::EnrolledOn))
                .col(non_negative_null(InsuranceEnrolment::PremiumFen))
                // Part of the premium paid by the government for the relocated poor.
                .col(non_negative_null(InsuranceEnrolment::SubsidyFen))
                .check(
                    Expr::col(InsuranceEnrolment::Status)
                        .ne("enrolled")
                        .or(Expr::col(InsuranceEnrolment::EnrolledOn).is_not_null()),
                )
                .foreign_key(&mut fk(
                    InsuranceEnrolment::Table,
                    InsuranceEnrolment::PersonId,
                    Person::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            InsuranceEnrolment::Table,
            &[
                (
                    "insurance_enrolment_person_id_kind_year_key",
                    &["person_id", "kind", "year"],
                    true,
                ),
                (
                    "insurance_enrolment_year_kind_idx",
                    &["year", "kind"],
                    false,
                ),
            ],
        )
        .await?;

        // 低保 / 特困 / 临时救助 (A3§4).
        create_record_table(
            manager,
            Table::create()
                .table(SocialAssistance::Table)
                .col(pk_auto(SocialAssistance::Id).big_integer())
                .col(big_integer(SocialAssistance::HouseholdId))
                .col(big_integer_null(SocialAssistance::PersonId))
                .col(code(
                    SocialAssistance::Kind,
                    32,
                    &[
                        "subsistence_allowance",
                        "destitute_support",
                        "temporary_assistance",
                    ],
                ))
                .col(code(SocialAssistance::Period, 16, &["monthly", "one_off"]))
                .col(positive(SocialAssistance::AmountFen))
                .col(date(SocialAssistance::StartsOn))
                .col(date_null(SocialAssistance::EndsOn))
                .col(
                    code(
                        SocialAssistance::Status,
                        16,
                        &["applied", "approved", "suspended", "ended", "rejected"],
                    )
                    .default("applied"),
                )
                .col(big_integer_null(SocialAssistance::ApprovedByBureauId))
                .col(text(SocialAssistance::Reason).default(""))
                .check(ends_after(
                    SocialAssistance::StartsOn,
                    SocialAssistance::EndsOn,
                ))
                // Temporary assistance is paid once.
                .check(
                    Expr::col(SocialAssistance::Kind)
                        .ne("temporary_assistance")
                        .or(Expr::col(SocialAssistance::Period).eq("one_off")),
                )
                .foreign_key(&mut fk(
                    SocialAssistance::Table,
                    SocialAssistance::HouseholdId,
                    Household::Table,
                ))
                .foreign_key(&mut fk(
                    SocialAssistance::Table,
                    SocialAssistance::PersonId,
                    Person::Table,
                ))
                .foreign_key(&mut fk(
                    SocialAssistance::Table,
                    SocialAssistance::ApprovedByBureauId,
                    Bureau::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            SocialAssistance::Table,
            &[
                (
                    "social_assistance_household_id_idx",
                    &["household_id"],
                    false,
                ),
                ("social_assistance_person_id_idx", &["person_id"], false),
            ],
        )
        .await?;

        // 户籍 (A3§5): the current registration state of each person; history is in the audit log.
        create_record_table(
            manager,
            Table::create()
                .table(HouseholdRegistration::Table)
                .col(pk_auto(HouseholdRegistration::Id).big_integer())
                .col(big_integer(HouseholdRegistration::PersonId).unique_key())
                .col(code(
                    HouseholdRegistration::Status,
                    24,
                    &["transferred", "residence_permit", "kept_at_origin"],
                ))
                .col(date_null(HouseholdRegistration::TransferredOn))
                .col(string_len_null(
                    HouseholdRegistration::ResidencePermitNo,
                    32,
                ))
                .col(date_null(HouseholdRegistration::PermitIssuedOn))
                // Rights at the origin (contracted land, collective income) stay (A3§4, A3§5).
                .col(boolean(HouseholdRegistration::OriginRightsRetained).default(true))
                .check(
                    Expr::col(HouseholdRegistration::Status)
                        .ne("transferred")
                        .or(Expr::col(HouseholdRegistration::TransferredOn).is_not_null()),
                )
                .foreign_key(&mut fk(
                    HouseholdRegistration::Table,
                    HouseholdRegistration::PersonId,
                    Person::Table,
                )),
        )
        .await?;

        // 需求清单 "缺什么补什么" (A3§1): what a site lacks, the plan and the bureau that owns it.
        create_record_table(
            manager,
            Table::create()
                .table(SiteNeed::Table)
                .col(pk_auto(SiteNeed::Id).big_integer())
                .col(big_integer(SiteNeed::SiteId))
                .col(code(
                    SiteNeed::Category,
                    24,
                    &[
                        "road",
                        "drinking_water",
                        "power",
                        "telecom",
                        "gas",
                        "culture",
                        "education",
                        "health",
                        "elderly_care",
                        "convenience",
                        "property_service",
                        "employment",
                        "other",
                    ],
                ))
                .col(string_len(SiteNeed::Title, 200))
                .col(text(SiteNeed::Description).default(""))
                .col(text(SiteNeed::Plan).default(""))
                .col(big_integer(SiteNeed::OwningBureauId))
                .col(non_negative_null(SiteNeed::BudgetFen))
                .col(date_null(SiteNeed::PlannedCompletionOn))
                .col(date_null(SiteNeed::CompletedOn))
                .col(
                    code(
                        SiteNeed::Status,
                        16,
                        &[
                            "identified",
                            "planned",
                            "in_progress",
                            "completed",
                            "cancelled",
                        ],
                    )
                    .default("identified"),
                )
                .check(
                    Expr::col(SiteNeed::Status)
                        .ne("completed")
                        .or(Expr::col(SiteNeed::CompletedOn).is_not_null()),
                )
                .foreign_key(&mut fk(SiteNeed::Table, SiteNeed::SiteId, Site::Table))
                .foreign_key(&mut fk(
                    SiteNeed::Table,
                    SiteNeed::OwningBureauId,
                    Bureau::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            SiteNeed::Table,
            &[
                ("site_need_site_id_idx", &["site_id"], false),
                (
                    "site_need_owning_bureau_id_idx",
                    &["owning_bureau_id"],
                    false,
                ),
                ("site_need_status_idx", &["status"], false),
            ],
        )
        .await?;

        // Property-service fault tickets (water, power, gas …).
        create_record_table(
            manager,
            Table::create()
                .table(PropertyTicket::Table)
                .col(pk_auto(PropertyTicket::Id).big_integer())
                .col(big_integer(PropertyTicket::SiteId))
                .col(big_integer_null(PropertyTicket::HouseholdId))
                .col(code(
                    PropertyTicket::Category,
                    16,
                    &["water", "power", "gas", "other"],
                ))
                .col(text(PropertyTicket::Description))
                .col(
                    code(
                        PropertyTicket::Status,
                        16,
                        &[
                            "open",
                            "assigned",
                            "in_progress",
                            "resolved",
                            "closed",
                            "cancelled",
                        ],
                    )
                    .default("open"),
                )
                .col(
                    timestamp_with_time_zone(PropertyTicket::ReportedAt)
                        .default(Expr::current_timestamp()),
                )
                .col(timestamp_with_time_zone_null(PropertyTicket::AssignedAt))
                .col(timestamp_with_time_zone_null(PropertyTicket::ResolvedAt))
                .col(timestamp_with_time_zone_null(PropertyTicket::ClosedAt))
                .col(string_len_null(PropertyTicket::AssigneeName, 40))
                .col(text_null(PropertyTicket::Resolution))
                .col(ranged_null(PropertyTicket::Satisfaction, 1, 5))
                .foreign_key(&mut fk(
                    PropertyTicket::Table,
                    PropertyTicket::SiteId,
                    Site::Table,
                ))
                .foreign_key(&mut fk(
                    PropertyTicket::Table,
                    PropertyTicket::HouseholdId,
                    Household::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            PropertyTicket::Table,
            &[
                (
                    "property_ticket_site_id_status_idx",
                    &["site_id", "status"],
                    false,
                ),
                ("property_ticket_household_id_idx", &["household_id"], false),
            ],
        )
        .await?;

        // Facilities at a site: elderly day care, convenience points, clinics, community factories …
        create_record_table(
            manager,
            Table::create()
                .table(SiteFacility::Table)
                .col(pk_auto(SiteFacility::Id).big_integer())
                .col(big_integer(SiteFacility::SiteId))
                .col(code(
                    SiteFacility::Kind,
                    24,
                    &[
                        "elderly_day_care",
                        "convenience_point",
                        "clinic",
                        "kindergarten",
                        "cultural_room",
                        "community_factory",
                        "service_centre",
                        "other",
                    ],
                ))
                .col(string_len(SiteFacility::Name, 200))
                .col(string_len(SiteFacility::Operator, 100).default(""))
                .col(
                    integer_null(SiteFacility::Capacity)
                        .check(Expr::col(SiteFacility::Capacity).gte(0)),
                )
                .col(date_null(SiteFacility::OpenedOn))
                .col(
                    code(SiteFacility::Status, 16, &["planned", "open", "closed"])
                        .default("planned"),
                )
                .foreign_key(&mut fk(
                    SiteFacility::Table,
                    SiteFacility::SiteId,
                    Site::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            SiteFacility::Table,
            &[(
                "site_facility_site_id_kind_idx",
                &["site_id", "kind"],
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
                SiteFacility::Table.into_iden(),
                PropertyTicket::Table.into_iden(),
                SiteNeed::Table.into_iden(),
                HouseholdRegistration::Table.into_iden(),
                SocialAssistance::Table.into_iden(),
                InsuranceEnrolment::Table.into_iden(),
                HealthFollowUp::Table.into_iden(),
                ChronicCondition::Table.into_iden(),
                FamilyDoctorContract::Table.into_iden(),
                SchoolEnrolment::Table.into_iden(),
                School::Table.into_iden(),
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub enum School {
    Table,
    Id,
    Code,
    Name,
    Kind,
    TownId,
    Address,
    Seats,
    NearSite,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum SchoolEnrolment {
    Table,
    Id,
    PersonId,
    SchoolId,
    Stage,
    Grade,
    SchoolYear,
    Status,
    EnrolledOn,
    LeftOn,
    TransferredFromSchoolId,
    RecordAtSchool,
    LeavingReason,
    AidFen,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum FamilyDoctorContract {
    Table,
    Id,
    PersonId,
    DoctorName,
    ClinicName,
    TeamName,
    SignedOn,
    ExpiresOn,
    Status,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum ChronicCondition {
    Table,
    Id,
    PersonId,
    ConditionCode,
    ConditionName,
    DiagnosedOn,
    UnderManagement,
    SeriousIllness,
    TreatFirstPayLater,
    ResolvedOn,
    Notes,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum HealthFollowUp {
    Table,
    Id,
    PersonId,
    ContractId,
    ChronicConditionId,
    FollowedUpOn,
    Method,
    ByName,
    Notes,
    NextDueOn,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum InsuranceEnrolment {
    Table,
    Id,
    PersonId,
    Kind,
    Year,
    Status,
    EnrolledOn,
    PremiumFen,
    SubsidyFen,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum SocialAssistance {
    Table,
    Id,
    HouseholdId,
    PersonId,
    Kind,
    Period,
    AmountFen,
    StartsOn,
    EndsOn,
    Status,
    ApprovedByBureauId,
    Reason,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum HouseholdRegistration {
    Table,
    Id,
    PersonId,
    Status,
    TransferredOn,
    ResidencePermitNo,
    PermitIssuedOn,
    OriginRightsRetained,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum SiteNeed {
    Table,
    Id,
    SiteId,
    Category,
    Title,
    Description,
    Plan,
    OwningBureauId,
    BudgetFen,
    PlannedCompletionOn,
    CompletedOn,
    Status,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum PropertyTicket {
    Table,
    Id,
    SiteId,
    HouseholdId,
    Category,
    Description,
    Status,
    ReportedAt,
    AssignedAt,
    ResolvedAt,
    ClosedAt,
    AssigneeName,
    Resolution,
    Satisfaction,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum SiteFacility {
    Table,
    Id,
    SiteId,
    Kind,
    Name,
    Operator,
    Capacity,
    OpenedOn,
    Status,
}
