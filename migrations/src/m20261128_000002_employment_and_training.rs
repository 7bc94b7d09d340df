//! Employment services of annex 2: the job database, one-to-one job pushes, employment spells,
//! entrepreneurship support, and skills training with its filing, enrolments and allowances.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{
    code, count, create_indexes, create_record_table, drop_tables, ends_after, fk,
    non_negative_null, positive, ranged,
};
use crate::m20261128_000001_reference_and_registry::{Bureau, Household, Person, Town, User};

/// Employment types of A2§1–2 (also used for the type of a job posting).
pub const EMPLOYMENT_TYPES: &[&str] = &[
    "nearby",
    "migrant",
    "self_employed",
    "public_welfare_post",
    "community_factory",
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // 岗位信息库 (A2§1): a district-level or a town-level job database.
        create_record_table(
            manager,
            Table::create()
                .table(JobPosting::Table)
                .col(pk_auto(JobPosting::Id).big_integer())
                .col(code(JobPosting::Level, 16, &["district", "town"]))
                .col(big_integer_null(JobPosting::TownId))
                .col(string_len(JobPosting::EmployerName, 200))
                .col(string_len(JobPosting::Title, 100))
                .col(code(JobPosting::EmploymentType, 24, EMPLOYMENT_TYPES))
                .col(string_len(JobPosting::Location, 200).default(""))
                .col(integer(JobPosting::Vacancies).check(Expr::col(JobPosting::Vacancies).gte(1)))
                .col(non_negative_null(JobPosting::MonthlyWageMinFen))
                .col(non_negative_null(JobPosting::MonthlyWageMaxFen))
                .col(text(JobPosting::Requirements).default(""))
                .col(string_len_null(JobPosting::ContactPhone, 20))
                .col(date(JobPosting::PublishedOn))
                .col(date_null(JobPosting::ClosesOn))
                .col(code(JobPosting::Status, 16, &["open", "filled", "closed"]).default("open"))
                .col(big_integer_null(JobPosting::OwningBureauId))
                // A town-level posting belongs to exactly one town; a district one to none.
                .check(
                    Expr::col(JobPosting::Level)
                        .eq("town")
                        .and(Expr::col(JobPosting::TownId).is_not_null())
                        .or(Expr::col(JobPosting::Level)
                            .eq("district")
                            .and(Expr::col(JobPosting::TownId).is_null())),
                )
                .check(
                    Expr::col(JobPosting::MonthlyWageMinFen)
                        .is_null()
                        .or(Expr::col(JobPosting::MonthlyWageMaxFen).is_null())
                        .or(Expr::col(JobPosting::MonthlyWageMinFen)
                            .lte(Expr::col(JobPosting::MonthlyWageMaxFen))),
                )
                .check(ends_after(JobPosting::PublishedOn, JobPosting::ClosesOn))
                .foreign_key(&mut fk(JobPosting::Table, JobPosting::TownId, Town::Table))
                .foreign_key(&mut fk(
                    JobPosting::Table,
                    JobPosting::OwningBureauId,
                    Bureau::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            JobPosting::Table,
            &[
                ("job_posting_town_id_idx", &["town_id"], false),
                ("job_posting_status_idx", &["status"], false),
                (
                    "job_posting_owning_bureau_id_idx",
                    &["owning_bureau_id"],
                    false,
                ),
            ],
        )
        .await?;

        // 一对一、面对面 job pushes to zero-employment households (A2§1).
        create_record_table(
            manager,
            Table::create()
                .table(JobPush::Table)
                .col(pk_auto(JobPush::Id).big_integer())
                .col(big_integer(JobPush::JobPostingId))
                .col(big_integer(JobPush::HouseholdId))
                .col(big_integer_null(JobPush::PersonId))
                .col(date(JobPush::PushedOn))
                .col(big_integer_null(JobPush::PushedByUserId))
                .col(code(
                    JobPush::Method,
                    16,
                    &["face_to_face", "phone", "message", "visit"],
                ))
                .col(
                    code(
                        JobPush::Outcome,
                        16,
                        &["pending", "interested", "declined", "hired", "not_hired"],
                    )
                    .default("pending"),
                )
                .col(date_null(JobPush::OutcomeOn))
                .col(text(JobPush::Notes).default(""))
                .foreign_key(&mut fk(
                    JobPush::Table,
                    JobPush::JobPostingId,
                    JobPosting::Table,
                ))
                .foreign_key(&mut fk(
                    JobPush::Table,
                    JobPush::HouseholdId,
                    Household::Table,
                ))
                .foreign_key(&mut fk(JobPush::Table, JobPush::PersonId, Person::Table))
                .foreign_key(&mut fk(
                    JobPush::Table,
                    JobPush::PushedByUserId,
                    User::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            JobPush::Table,
            &[
                ("job_push_job_posting_id_idx", &["job_posting_id"], false),
                ("job_push_household_id_idx", &["household_id"], false),
                ("job_push_person_id_idx", &["person_id"], false),
            ],
        )
        .await?;

        // Employment spells (A2§1–2): one row per job a person holds, open while ends_on is null.
        create_record_table(
            manager,
            Table::create()
                .table(EmploymentSpell::Table)
                .col(pk_auto(EmploymentSpell::Id).big_integer())
                .col(big_integer(EmploymentSpell::PersonId))
                .col(code(EmploymentSpell::EmploymentType, 24, EMPLOYMENT_TYPES))
                .col(string_len(EmploymentSpell::EmployerName, 200).default(""))
                .col(string_len(EmploymentSpell::Location, 200).default(""))
                .col(big_integer_null(EmploymentSpell::JobPostingId))
                .col(big_integer_null(EmploymentSpell::JobPushId))
                .col(date(EmploymentSpell::StartsOn))
                .col(date_null(EmploymentSpell::EndsOn))
                .col(non_negative_null(EmploymentSpell::MonthlyIncomeFen))
                .check(ends_after(
                    EmploymentSpell::StartsOn,
                    EmploymentSpell::EndsOn,
                ))
                .foreign_key(&mut fk(
                    EmploymentSpell::Table,
                    EmploymentSpell::PersonId,
                    Person::Table,
                ))
                .foreign_key(&mut fk(
                    EmploymentSpell::Table,
                    EmploymentSpell::JobPostingId,
                    JobPosting::Table,
                ))
                .foreign_key(&mut fk(
                    EmploymentSpell::Table,
                    EmploymentSpell::JobPushId,
                    JobPush::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            EmploymentSpell::Table,
            &[
                (
                    "employment_spell_person_id_ends_on_idx",
                    &["person_id", "ends_on"],
                    false,
                ),
                (
                    "employment_spell_employment_type_idx",
                    &["employment_type"],
                    false,
                ),
                (
                    "employment_spell_job_posting_id_idx",
                    &["job_posting_id"],
                    false,
                ),
            ],
        )
        .await?;

        // Training institutions that file their class plans with HR&SS (A2§3.1).
        create_record_table(
            manager,
            Table::create()
                .table(TrainingInstitution::Table)
                .col(pk_auto(TrainingInstitution::Id).big_integer())
                .col(string_len_uniq(TrainingInstitution::Code, 32))
                .col(string_len(TrainingInstitution::Name, 200))
                .col(string_len_null(TrainingInstitution::LicenceNo, 64))
                .col(string_len_null(TrainingInstitution::ContactPhone, 20))
                .col(string_len(TrainingInstitution::Address, 200).default(""))
                .col(boolean(TrainingInstitution::Active).default(true)),
        )
        .await?;

        // Training classes (A2§3.1): filed_on must be ≥ 10 working days before starts_on for the
        // class to be subsidy-eligible (checked in the domain, which knows the working-day calendar).
        create_record_table(
            manager,
            Table::create()
                .table(TrainingClass::Table)
                .col(pk_auto(TrainingClass::Id).big_integer())
                .col(big_integer(TrainingClass::InstitutionId))
                .col(string_len_uniq(TrainingClass::Code, 32))
                .col(string_len(TrainingClass::Name, 200))
                .col(string_len(TrainingClass::Speciality, 100))
                .col(code(
                    TrainingClass::Kind,
                    24,
                    &["skills", "entrepreneurship", "order_based", "directed"],
                ))
                // 按照课时分类: the class-hour category decides 20 or 50 yuan per person per day.
                .col(code(
                    TrainingClass::AllowanceCategory,
                    16,
                    &["yuan_20", "yuan_50"],
                ))
                .col(
                    integer(TrainingClass::ClassHours)
                        .check(Expr::col(TrainingClass::ClassHours).gt(0)),
                )
                .col(text(TrainingClass::Courses))
                .col(
                    integer_null(TrainingClass::Capacity)
                        .check(Expr::col(TrainingClass::Capacity).gt(0)),
                )
                .col(date_null(TrainingClass::FiledOn))
                .col(string_len_null(TrainingClass::FilingReference, 64))
                .col(date(TrainingClass::StartsOn))
                .col(date(TrainingClass::EndsOn))
                .col(boolean(TrainingClass::RemoteMonitored).default(false))
                .col(
                    code(
                        TrainingClass::Status,
                        16,
                        &["planned", "filed", "running", "finished", "cancelled"],
                    )
                    .default("planned"),
                )
                .check(Expr::col(TrainingClass::EndsOn).gte(Expr::col(TrainingClass::StartsOn)))
                .foreign_key(&mut fk(
                    TrainingClass::Table,
                    TrainingClass::InstitutionId,
                    TrainingInstitution::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            TrainingClass::Table,
            &[
                (
                    "training_class_institution_id_idx",
                    &["institution_id"],
                    false,
                ),
                ("training_class_starts_on_idx", &["starts_on"], false),
            ],
        )
        .await?;

        // Enrolments; employed_after_training feeds the post-training employment rate (A2§3.2).
        create_record_table(
            manager,
            Table::create()
                .table(TrainingEnrolment::Table)
                .col(pk_auto(TrainingEnrolment::Id).big_integer())
                .col(big_integer(TrainingEnrolment::ClassId))
                .col(big_integer(TrainingEnrolment::PersonId))
                .col(date(TrainingEnrolment::EnrolledOn))
                .col(count(TrainingEnrolment::AttendedDays))
                .col(boolean(TrainingEnrolment::Completed).default(false))
                .col(string_len_null(TrainingEnrolment::CertificateNo, 64))
                .col(boolean(TrainingEnrolment::EmployedAfterTraining).default(false))
                .col(big_integer_null(TrainingEnrolment::EmploymentSpellId))
                .foreign_key(&mut fk(
                    TrainingEnrolment::Table,
                    TrainingEnrolment::ClassId,
                    TrainingClass::Table,
                ))
                .foreign_key(&mut fk(
                    TrainingEnrolment::Table,
                    TrainingEnrolment::PersonId,
                    Person::Table,
                ))
                .foreign_key(&mut fk(
                    TrainingEnrolment::Table,
                    TrainingEnrolment::EmploymentSpellId,
                    EmploymentSpell::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            TrainingEnrolment::Table,
            &[
                (
                    "training_enrolment_class_id_person_id_key",
                    &["class_id", "person_id"],
                    true,
                ),
                ("training_enrolment_person_id_idx", &["person_id"], false),
            ],
        )
        .await?;

        // Living and transport allowance payments: days × 20 or 50 yuan (A2§3.1), in fen.
        create_record_table(
            manager,
            Table::create()
                .table(TrainingAllowancePayment::Table)
                .col(pk_auto(TrainingAllowancePayment::Id).big_integer())
                .col(big_integer(TrainingAllowancePayment::EnrolmentId))
                .col(
                    integer(TrainingAllowancePayment::Days)
                        .check(Expr::col(TrainingAllowancePayment::Days).gt(0)),
                )
                .col(big_integer(TrainingAllowancePayment::DailyRateFen).check(
                    Expr::col(TrainingAllowancePayment::DailyRateFen).is_in([2000_i64, 5000_i64]),
                ))
                .col(positive(TrainingAllowancePayment::AmountFen))
                .col(date(TrainingAllowancePayment::PaidOn))
                .col(string_len_null(TrainingAllowancePayment::VoucherNo, 64))
                .check(
                    Expr::col(TrainingAllowancePayment::AmountFen)
                        .eq(Expr::col(TrainingAllowancePayment::Days)
                            .mul(Expr::col(TrainingAllowancePayment::DailyRateFen))),
                )
                .foreign_key(&mut fk(
                    TrainingAllowancePayment::Table,
                    TrainingAllowancePayment::EnrolmentId,
                    TrainingEnrolment::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            TrainingAllowancePayment::Table,
            &[(
                "training_allowance_payment_enrolment_id_idx",
                &["enrolment_id"],
                false,
            )],
        )
        .await?;

        // Entrepreneurship training and guidance (A2§2.1), outside the subsidised class system
        // or linked to a class of kind `entrepreneurship`.
        create_record_table(
            manager,
            Table::create()
                .table(EntrepreneurshipTraining::Table)
                .col(pk_auto(EntrepreneurshipTraining::Id).big_integer())
                .col(big_integer(EntrepreneurshipTraining::PersonId))
                .col(big_integer_null(EntrepreneurshipTraining::InstitutionId))
                .col(big_integer_null(EntrepreneurshipTraining::ClassId))
                .col(string_len(EntrepreneurshipTraining::Title, 200))
                .col(date(EntrepreneurshipTraining::StartsOn))
                .col(date_null(EntrepreneurshipTraining::EndsOn))
                .col(boolean(EntrepreneurshipTraining::Completed).default(false))
                .col(string_len_null(EntrepreneurshipTraining::CertificateNo, 64))
                .check(ends_after(
                    EntrepreneurshipTraining::StartsOn,
                    EntrepreneurshipTraining::EndsOn,
                ))
                .foreign_key(&mut fk(
                    EntrepreneurshipTraining::Table,
                    EntrepreneurshipTraining::PersonId,
                    Person::Table,
                ))
                .foreign_key(&mut fk(
                    EntrepreneurshipTraining::Table,
                    EntrepreneurshipTraining::InstitutionId,
                    TrainingInstitution::Table,
                ))
                .foreign_key(&mut fk(
                    EntrepreneurshipTraining::Table,
                    EntrepreneurshipTraining::ClassId,
                    TrainingClass::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            EntrepreneurshipTraining::Table,
            &[(
                "entrepreneurship_training_person_id_idx",
                &["person_id"],
                false,
            )],
        )
        .await?;

        // 创业担保贷款 guaranteed start-up loans (A2§2.1).
        create_record_table(
            manager,
            Table::create()
                .table(GuaranteedLoan::Table)
                .col(pk_auto(GuaranteedLoan::Id).big_integer())
                .col(big_integer(GuaranteedLoan::PersonId))
                .col(string_len(GuaranteedLoan::LenderName, 100))
                .col(string_len_null(GuaranteedLoan::ContractNo, 64))
                .col(positive(GuaranteedLoan::PrincipalFen))
                .col(ranged(GuaranteedLoan::AnnualRateBp, 0, 10000))
                .col(boolean(GuaranteedLoan::InterestSubsidised).default(true))
                .col(text(GuaranteedLoan::BusinessDescription).default(""))
                .col(date_null(GuaranteedLoan::GrantedOn))
                .col(date_null(GuaranteedLoan::DueOn))
                .col(date_null(GuaranteedLoan::RepaidOn))
                .col(
                    code(
                        GuaranteedLoan::Status,
                        16,
                        &["applied", "granted", "repaid", "overdue", "rejected"],
                    )
                    .default("applied"),
                )
                .check(ends_after(GuaranteedLoan::GrantedOn, GuaranteedLoan::DueOn))
                .foreign_key(&mut fk(
                    GuaranteedLoan::Table,
                    GuaranteedLoan::PersonId,
                    Person::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            GuaranteedLoan::Table,
            &[("guaranteed_loan_person_id_idx", &["person_id"], false)],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            vec![
                GuaranteedLoan::Table.into_iden(),
                EntrepreneurshipTraining::Table.into_iden(),
                TrainingAllowancePayment::Table.into_iden(),
                TrainingEnrolment::Table.into_iden(),
                TrainingClass::Table.into_iden(),
                TrainingInstitution::Table.into_iden(),
                EmploymentSpell::Table.into_iden(),
                JobPush::Table.into_iden(),
                JobPosting::Table.into_iden(),
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub enum JobPosting {
    Table,
    Id,
    Level,
    TownId,
    EmployerName,
    Title,
    EmploymentType,
    Location,
    Vacancies,
    MonthlyWageMinFen,
    MonthlyWageMaxFen,
    Requirements,
    ContactPhone,
    PublishedOn,
    ClosesOn,
    Status,
    OwningBureauId,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum JobPush {
    Table,
    Id,
    JobPostingId,
    HouseholdId,
    PersonId,
    PushedOn,
    PushedByUserId,
    Method,
    Outcome,
    OutcomeOn,
    Notes,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum EmploymentSpell {
    Table,
    Id,
    PersonId,
    EmploymentType,
    EmployerName,
    Location,
    JobPostingId,
    JobPushId,
    StartsOn,
    EndsOn,
    MonthlyIncomeFen,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum TrainingInstitution {
    Table,
    Id,
    Code,
    Name,
    LicenceNo,
    ContactPhone,
    Address,
    Active,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum TrainingClass {
    Table,
    Id,
    InstitutionId,
    Code,
    Name,
    Speciality,
    Kind,
    AllowanceCategory,
    ClassHours,
    Courses,
    Capacity,
    FiledOn,
    FilingReference,
    StartsOn,
    EndsOn,
    RemoteMonitored,
    Status,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum TrainingEnrolment {
    Table,
    Id,
    ClassId,
    PersonId,
    EnrolledOn,
    AttendedDays,
    Completed,
    CertificateNo,
    EmployedAfterTraining,
    EmploymentSpellId,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum TrainingAllowancePayment {
    Table,
    Id,
    EnrolmentId,
    Days,
    DailyRateFen,
    AmountFen,
    PaidOn,
    VoucherNo,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum EntrepreneurshipTraining {
    Table,
    Id,
    PersonId,
    InstitutionId,
    ClassId,
    Title,
    StartsOn,
    EndsOn,
    Completed,
    CertificateNo,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum GuaranteedLoan {
    Table,
    Id,
    PersonId,
    LenderName,
    ContractNo,
    PrincipalFen,
    AnnualRateBp,
    InterestSubsidised,
    BusinessDescription,
    GrantedOn,
    DueOn,
    RepaidOn,
    Status,
}
