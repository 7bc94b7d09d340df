//! Responsibility and assessment of annex 7: the responsibility list (one lead leader and one
//! responsible bureau per task, others only co-operate), stage goals, progress reports and
//! attachments, extension requests, status history, supervision (inspections, findings,
//! interviews, consequences) and the yearly special assessment with its published rankings.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::{
    code, create_indexes, create_record_table, drop_tables, fk, fk_cascade, non_negative, ranged,
};
use crate::m20261128_000001_reference_and_registry::{Bureau, Site, Town, User};

/// Codes of the subject assessed: a district bureau or a town (A7§4).
const SUBJECT_KINDS: &[&str] = &["bureau", "town"];

/// CHECK that exactly the id matching `subject_kind` is set.
fn subject_matches_kind<K, B, T>(kind: K, bureau: B, town: T) -> SimpleExpr
where
    K: IntoIden + Copy + 'static,
    B: IntoIden + Copy + 'static,
    T: IntoIden + Copy + 'static,
{
    Expr::col(kind)
        .eq("bureau")
        .and(Expr::col(bureau).is_not_null())
        .and(Expr::col(town).is_null())
        .or(Expr::col(kind)
            .eq("town")
            .and(Expr::col(town).is_not_null())
            .and(Expr::col(bureau).is_null()))
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // 责任清单 (A7§1–2): exactly one lead leader and exactly one responsible unit, a district
        // bureau or (for obligations of the towns, e.g. A6§2.2) a town. The status shown to users
        // is derived from the deadline, the progress and `completed_on` (domain::responsibility),
        // so it is not stored.
        create_record_table(
            manager,
            Table::create()
                .table(ResponsibilityTask::Table)
                .col(pk_auto(ResponsibilityTask::Id).big_integer())
                .col(string_len_uniq(ResponsibilityTask::Code, 32))
                .col(big_integer_null(ResponsibilityTask::ParentTaskId))
                .col(string_len(ResponsibilityTask::Title, 200))
                .col(text(ResponsibilityTask::Description).default(""))
                .col(ranged(ResponsibilityTask::Annex, 1, 7))
                .col(string_len(ResponsibilityTask::ClauseRef, 32))
                .col(
                    string_len(ResponsibilityTask::LeadLeaderName, 40)
                        .check(Expr::col(ResponsibilityTask::LeadLeaderName).ne("")),
                )
                .col(big_integer_null(ResponsibilityTask::ResponsibleBureauId))
                .col(big_integer_null(ResponsibilityTask::ResponsibleTownId))
                .col(date(ResponsibilityTask::Deadline))
                .col(date_null(ResponsibilityTask::CompletedOn))
                .check(
                    Expr::col(ResponsibilityTask::ResponsibleBureauId)
                        .is_not_null()
                        .and(Expr::col(ResponsibilityTask::ResponsibleTownId).is_null())
                        .or(Expr::col(ResponsibilityTask::ResponsibleBureauId)
                            .is_null()
                            .and(Expr::col(ResponsibilityTask::ResponsibleTownId).is_not_null())),
                )
                .foreign_key(&mut fk(
                    ResponsibilityTask::Table,
                    ResponsibilityTask::ParentTaskId,
                    ResponsibilityTask::Table,
                ))
                .foreign_key(&mut fk(
                    ResponsibilityTask::Table,
                    ResponsibilityTask::ResponsibleBureauId,
                    Bureau::Table,
                ))
                .foreign_key(&mut fk(
                    ResponsibilityTask::Table,
                    ResponsibilityTask::ResponsibleTownId,
                    Town::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            ResponsibilityTask::Table,
            &[
                (
                    "responsibility_task_responsible_bureau_id_idx",
                    &["responsible_bureau_id"],
                    false,
                ),
                (
                    "responsibility_task_parent_task_id_idx",
                    &["parent_task_id"],
                    false,
                ),
                (
                    "responsibility_task_responsible_town_id_idx",
                    &["responsible_town_id"],
                    false,
                ),
                ("responsibility_task_deadline_idx", &["deadline"], false),
                // Target of the co-operating bureaus' composite key.
                (
                    "responsibility_task_id_responsible_bureau_id_key",
                    &["id", "responsible_bureau_id"],
                    true,
                ),
            ],
        )
        .await?;

        // Co-operating bureaus. responsible_bureau_id mirrors the task's through a composite key
        // (updated in cascade), so the CHECK refuses listing the responsible bureau as co-operating,
        // and making a co-operating bureau responsible is refused until it is removed from here.
        // For a town's task it is null (the composite key is then not checked) and the plain key
        // on task_id holds.
        manager
            .create_table(
                Table::create()
                    .table(TaskCooperatingBureau::Table)
                    .col(big_integer(TaskCooperatingBureau::TaskId))
                    .col(big_integer_null(TaskCooperatingBureau::ResponsibleBureauId))
                    .col(big_integer(TaskCooperatingBureau::BureauId))
                    .col(text(TaskCooperatingBureau::Role).default(""))
                    .col(
                        timestamp_with_time_zone(TaskCooperatingBureau::AddedAt)
                            .default(Expr::current_timestamp()),
                    )
                    .col(big_integer_null(TaskCooperatingBureau::AddedBy))
                    .primary_key(
                        Index::create()
                            .col(TaskCooperatingBureau::TaskId)
                            .col(TaskCooperatingBureau::BureauId),
                    )
                    .check(
                        Expr::col(TaskCooperatingBureau::BureauId)
                            .ne(Expr::col(TaskCooperatingBureau::ResponsibleBureauId)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                TaskCooperatingBureau::Table,
                                (
                                    TaskCooperatingBureau::TaskId,
                                    TaskCooperatingBureau::ResponsibleBureauId,
                                ),
                            )
                            .to(
                                ResponsibilityTask::Table,
                                (
                                    ResponsibilityTask::Id,
                                    ResponsibilityTask::ResponsibleBureauId,
                                ),
                            )
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut fk_cascade(
                        TaskCooperatingBureau::Table,
                        TaskCooperatingBureau::TaskId,
                        ResponsibilityTask::Table,
                    ))
                    .foreign_key(&mut fk(
                        TaskCooperatingBureau::Table,
                        TaskCooperatingBureau::BureauId,
                        Bureau::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        create_indexes(
            manager,
            TaskCooperatingBureau::Table,
            &[(
                "task_cooperating_bureau_bureau_id_idx",
                &["bureau_id"],
                false,
            )],
        )
        .await?;

        // Stage goals with deadlines (A7§1).
        create_record_table(
            manager,
            Table::create()
                .table(TaskStageGoal::Table)
                .col(pk_auto(TaskStageGoal::Id).big_integer())
                .col(big_integer(TaskStageGoal::TaskId))
                .col(integer(TaskStageGoal::Seq).check(Expr::col(TaskStageGoal::Seq).gte(1)))
                .col(text(TaskStageGoal::Goal))
                .col(date(TaskStageGoal::Deadline))
                .col(date_null(TaskStageGoal::AchievedOn))
                .foreign_key(&mut fk_cascade(
                    TaskStageGoal::Table,
                    TaskStageGoal::TaskId,
                    ResponsibilityTask::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            TaskStageGoal::Table,
            &[
                ("task_stage_goal_task_id_seq_key", &["task_id", "seq"], true),
                ("task_stage_goal_deadline_idx", &["deadline"], false),
            ],
        )
        .await?;

        create_record_table(
            manager,
            Table::create()
                .table(TaskProgressReport::Table)
                .col(pk_auto(TaskProgressReport::Id).big_integer())
                .col(big_integer(TaskProgressReport::TaskId))
                .col(big_integer_null(TaskProgressReport::StageGoalId))
                .col(big_integer_null(TaskProgressReport::ReportedByUserId))
                .col(date(TaskProgressReport::ReportedOn))
                .col(ranged(TaskProgressReport::PercentComplete, 0, 100))
                .col(text(TaskProgressReport::Narrative))
                .col(
                    code(
                        TaskProgressReport::Status,
                        16,
                        &["submitted", "returned", "accepted"],
                    )
                    .default("submitted"),
                )
                .col(big_integer_null(TaskProgressReport::ReviewedByUserId))
                .col(timestamp_with_time_zone_null(
                    TaskProgressReport::ReviewedAt,
                ))
                .col(text_null(TaskProgressReport::ReviewComment))
                .check(
                    Expr::col(TaskProgressReport::Status)
                        .eq("submitted")
                        .or(Expr::col(TaskProgressReport::ReviewedAt).is_not_null()),
                )
                .foreign_key(&mut fk(
                    TaskProgressReport::Table,
                    TaskProgressReport::TaskId,
                    ResponsibilityTask::Table,
                ))
                .foreign_key(&mut fk(
                    TaskProgressReport::Table,
                    TaskProgressReport::StageGoalId,
                    TaskStageGoal::Table,
                ))
                .foreign_key(&mut fk(
                    TaskProgressReport::Table,
                    TaskProgressReport::ReportedByUserId,
                    User::Table,
                ))
                .foreign_key(&mut fk(
                    TaskProgressReport::Table,
                    TaskProgressReport::ReviewedByUserId,
                    User::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            TaskProgressReport::Table,
            &[
                (
                    "task_progress_report_task_id_reported_on_idx",
                    &["task_id", "reported_on"],
                    false,
                ),
                ("task_progress_report_status_idx", &["status"], false),
            ],
        )
        .await?;

        // Evidence attachments: metadata here, the bytes in task_attachment_content (the database is
        // the only state the servers share). storage_key names the bytes for an export or a move
        // to an object store.
        create_record_table(
            manager,
            Table::create()
                .table(TaskAttachment::Table)
                .col(pk_auto(TaskAttachment::Id).big_integer())
                .col(big_integer(TaskAttachment::TaskId))
                .col(big_integer_null(TaskAttachment::ProgressReportId))
                .col(string_len(TaskAttachment::FileName, 255))
                .col(string_len(TaskAttachment::ContentType, 100))
                .col(non_negative(TaskAttachment::SizeBytes))
                .col(string_len_uniq(TaskAttachment::StorageKey, 200))
                .col(string_len_null(TaskAttachment::Sha256, 64))
                .col(big_integer_null(TaskAttachment::UploadedByUserId))
                .col(
                    timestamp_with_time_zone(TaskAttachment::UploadedAt)
                        .default(Expr::current_timestamp()),
                )
                .foreign_key(&mut fk(
                    TaskAttachment::Table,
                    TaskAttachment::TaskId,
                    ResponsibilityTask::Table,
                ))
                .foreign_key(&mut fk(
                    TaskAttachment::Table,
                    TaskAttachment::ProgressReportId,
                    TaskProgressReport::Table,
                ))
                .foreign_key(&mut fk(
                    TaskAttachment::Table,
                    TaskAttachment::UploadedByUserId,
                    User::Table,
                )),
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(TaskAttachmentContent::Table)
                    .col(big_integer(TaskAttachmentContent::AttachmentId).primary_key())
                    .col(blob(TaskAttachmentContent::Bytes))
                    .foreign_key(&mut fk_cascade(
                        TaskAttachmentContent::Table,
                        TaskAttachmentContent::AttachmentId,
                        TaskAttachment::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        create_indexes(
            manager,
            TaskAttachment::Table,
            &[
                ("task_attachment_task_id_idx", &["task_id"], false),
                (
                    "task_attachment_progress_report_id_idx",
                    &["progress_report_id"],
                    false,
                ),
            ],
        )
        .await?;

        create_record_table(
            manager,
            Table::create()
                .table(TaskExtensionRequest::Table)
                .col(pk_auto(TaskExtensionRequest::Id).big_integer())
                .col(big_integer(TaskExtensionRequest::TaskId))
                .col(big_integer_null(TaskExtensionRequest::StageGoalId))
                .col(big_integer_null(TaskExtensionRequest::RequestedByUserId))
                .col(
                    timestamp_with_time_zone(TaskExtensionRequest::RequestedAt)
                        .default(Expr::current_timestamp()),
                )
                .col(date(TaskExtensionRequest::CurrentDeadline))
                .col(date(TaskExtensionRequest::RequestedDeadline))
                .col(text(TaskExtensionRequest::Reason))
                .col(
                    code(
                        TaskExtensionRequest::Status,
                        16,
                        &["pending", "approved", "rejected", "withdrawn"],
                    )
                    .default("pending"),
                )
                .col(big_integer_null(TaskExtensionRequest::DecidedByUserId))
                .col(timestamp_with_time_zone_null(
                    TaskExtensionRequest::DecidedAt,
                ))
                .col(text_null(TaskExtensionRequest::DecisionComment))
                .check(
                    Expr::col(TaskExtensionRequest::RequestedDeadline)
                        .gt(Expr::col(TaskExtensionRequest::CurrentDeadline)),
                )
                .check(
                    Expr::col(TaskExtensionRequest::Status)
                        .is_in(["pending", "withdrawn"])
                        .or(Expr::col(TaskExtensionRequest::DecidedAt).is_not_null()),
                )
                .foreign_key(&mut fk(
                    TaskExtensionRequest::Table,
                    TaskExtensionRequest::TaskId,
                    ResponsibilityTask::Table,
                ))
                .foreign_key(&mut fk(
                    TaskExtensionRequest::Table,
                    TaskExtensionRequest::StageGoalId,
                    TaskStageGoal::Table,
                ))
                .foreign_key(&mut fk(
                    TaskExtensionRequest::Table,
                    TaskExtensionRequest::RequestedByUserId,
                    User::Table,
                ))
                .foreign_key(&mut fk(
                    TaskExtensionRequest::Table,
                    TaskExtensionRequest::DecidedByUserId,
                    User::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            TaskExtensionRequest::Table,
            &[("task_extension_request_task_id_idx", &["task_id"], false)],
        )
        .await?;

        // Append-only history of what happened to a task, who did it and when, with the derived
        // status before and after (reports, returns for rework, extensions, completion, edits).
        manager
            .create_table(
                Table::create()
                    .table(TaskEvent::Table)
                    .col(pk_auto(TaskEvent::Id).big_integer())
                    .col(big_integer(TaskEvent::TaskId))
                    .col(code(
                        TaskEvent::Kind,
                        24,
                        &[
                            "created",
                            "updated",
                            "report_submitted",
                            "report_accepted",
                            "report_returned",
                            "extension_requested",
                            "extension_approved",
                            "extension_rejected",
                            "completed",
                            "attachment_added",
                        ],
                    ))
                    .col(string_len_null(TaskEvent::StatusBefore, 16))
                    .col(string_len(TaskEvent::StatusAfter, 16))
                    .col(big_integer_null(TaskEvent::ActorUserId))
                    .col(
                        timestamp_with_time_zone(TaskEvent::OccurredAt)
                            .default(Expr::current_timestamp()),
                    )
                    .col(big_integer_null(TaskEvent::ProgressReportId))
                    .col(big_integer_null(TaskEvent::ExtensionRequestId))
                    .col(text(TaskEvent::Note).default(""))
                    .foreign_key(&mut fk_cascade(
                        TaskEvent::Table,
                        TaskEvent::TaskId,
                        ResponsibilityTask::Table,
                    ))
                    .foreign_key(&mut fk(
                        TaskEvent::Table,
                        TaskEvent::ActorUserId,
                        User::Table,
                    ))
                    .foreign_key(&mut fk(
                        TaskEvent::Table,
                        TaskEvent::ProgressReportId,
                        TaskProgressReport::Table,
                    ))
                    .foreign_key(&mut fk(
                        TaskEvent::Table,
                        TaskEvent::ExtensionRequestId,
                        TaskExtensionRequest::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        create_indexes(
            manager,
            TaskEvent::Table,
            &[(
                "task_event_task_id_occurred_at_idx",
                &["task_id", "occurred_at"],
                false,
            )],
        )
        .await?;

        // 跟踪检查 and 暗访 (A7§4).
        create_record_table(
            manager,
            Table::create()
                .table(Inspection::Table)
                .col(pk_auto(Inspection::Id).big_integer())
                .col(code(Inspection::Kind, 16, &["tracking", "unannounced"]))
                .col(ranged(Inspection::Year, 2000, 2100))
                .col(date(Inspection::InspectedOn))
                .col(string_len(Inspection::Team, 200).default(""))
                .col(big_integer_null(Inspection::BureauId))
                .col(big_integer_null(Inspection::TownId))
                .col(big_integer_null(Inspection::SiteId))
                .col(text(Inspection::Summary).default(""))
                .foreign_key(&mut fk(
                    Inspection::Table,
                    Inspection::BureauId,
                    Bureau::Table,
                ))
                .foreign_key(&mut fk(Inspection::Table, Inspection::TownId, Town::Table))
                .foreign_key(&mut fk(Inspection::Table, Inspection::SiteId, Site::Table)),
        )
        .await?;
        create_indexes(
            manager,
            Inspection::Table,
            &[
                ("inspection_year_idx", &["year"], false),
                ("inspection_bureau_id_idx", &["bureau_id"], false),
                ("inspection_town_id_idx", &["town_id"], false),
            ],
        )
        .await?;

        // Findings to rectify by a deadline, then closed.
        create_record_table(
            manager,
            Table::create()
                .table(InspectionFinding::Table)
                .col(pk_auto(InspectionFinding::Id).big_integer())
                .col(big_integer(InspectionFinding::InspectionId))
                .col(big_integer_null(InspectionFinding::TaskId))
                .col(big_integer_null(InspectionFinding::ResponsibleBureauId))
                .col(big_integer_null(InspectionFinding::TownId))
                .col(text(InspectionFinding::Description))
                .col(code(
                    InspectionFinding::Severity,
                    16,
                    &["minor", "major", "serious"],
                ))
                .col(date(InspectionFinding::RectificationDeadline))
                .col(date_null(InspectionFinding::RectifiedOn))
                .col(
                    code(
                        InspectionFinding::Status,
                        16,
                        &["open", "rectifying", "closed"],
                    )
                    .default("open"),
                )
                .col(timestamp_with_time_zone_null(InspectionFinding::ClosedAt))
                .col(big_integer_null(InspectionFinding::ClosedByUserId))
                .col(text_null(InspectionFinding::ClosureNote))
                .check(
                    Expr::col(InspectionFinding::ResponsibleBureauId)
                        .is_not_null()
                        .or(Expr::col(InspectionFinding::TownId).is_not_null()),
                )
                .check(
                    Expr::col(InspectionFinding::Status)
                        .ne("closed")
                        .or(Expr::col(InspectionFinding::ClosedAt).is_not_null()),
                )
                .foreign_key(&mut fk(
                    InspectionFinding::Table,
                    InspectionFinding::InspectionId,
                    Inspection::Table,
                ))
                .foreign_key(&mut fk(
                    InspectionFinding::Table,
                    InspectionFinding::TaskId,
                    ResponsibilityTask::Table,
                ))
                .foreign_key(&mut fk(
                    InspectionFinding::Table,
                    InspectionFinding::ResponsibleBureauId,
                    Bureau::Table,
                ))
                .foreign_key(&mut fk(
                    InspectionFinding::Table,
                    InspectionFinding::TownId,
                    Town::Table,
                ))
                .foreign_key(&mut fk(
                    InspectionFinding::Table,
                    InspectionFinding::ClosedByUserId,
                    User::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            InspectionFinding::Table,
            &[
                (
                    "inspection_finding_inspection_id_idx",
                    &["inspection_id"],
                    false,
                ),
                ("inspection_finding_task_id_idx", &["task_id"], false),
                (
                    "inspection_finding_responsible_bureau_id_idx",
                    &["responsible_bureau_id"],
                    false,
                ),
                (
                    "inspection_finding_status_rectification_deadline_idx",
                    &["status", "rectification_deadline"],
                    false,
                ),
            ],
        )
        .await?;

        // 约谈 (A7§4).
        create_record_table(
            manager,
            Table::create()
                .table(Interview::Table)
                .col(pk_auto(Interview::Id).big_integer())
                .col(date(Interview::HeldOn))
                .col(big_integer_null(Interview::BureauId))
                .col(big_integer_null(Interview::TownId))
                .col(string_len(Interview::IntervieweeName, 40))
                .col(string_len(Interview::InterviewerName, 40))
                .col(text(Interview::Reason))
                .col(big_integer_null(Interview::FindingId))
                .col(big_integer_null(Interview::TaskId))
                .col(text(Interview::Notes).default(""))
                .check(
                    Expr::col(Interview::BureauId)
                        .is_not_null()
                        .or(Expr::col(Interview::TownId).is_not_null()),
                )
                .foreign_key(&mut fk(
                    Interview::Table,
                    Interview::BureauId,
                    Bureau::Table,
                ))
                .foreign_key(&mut fk(Interview::Table, Interview::TownId, Town::Table))
                .foreign_key(&mut fk(
                    Interview::Table,
                    Interview::FindingId,
                    InspectionFinding::Table,
                ))
                .foreign_key(&mut fk(
                    Interview::Table,
                    Interview::TaskId,
                    ResponsibilityTask::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            Interview::Table,
            &[
                ("interview_bureau_id_idx", &["bureau_id"], false),
                ("interview_town_id_idx", &["town_id"], false),
                ("interview_finding_id_idx", &["finding_id"], false),
            ],
        )
        .await?;

        // 批评教育 / 诫勉谈话 / 纪律处分 (A7§4).
        create_record_table(
            manager,
            Table::create()
                .table(AccountabilityConsequence::Table)
                .col(pk_auto(AccountabilityConsequence::Id).big_integer())
                .col(code(
                    AccountabilityConsequence::Kind,
                    24,
                    &["criticism", "admonishment", "disciplinary_referral"],
                ))
                .col(big_integer_null(AccountabilityConsequence::BureauId))
                .col(big_integer_null(AccountabilityConsequence::TownId))
                .col(string_len(AccountabilityConsequence::PersonName, 40))
                .col(date(AccountabilityConsequence::DecidedOn))
                .col(string_len(AccountabilityConsequence::DecidedBy, 100))
                .col(text(AccountabilityConsequence::Reason))
                .col(big_integer_null(AccountabilityConsequence::FindingId))
                .col(big_integer_null(AccountabilityConsequence::InterviewId))
                .check(
                    Expr::col(AccountabilityConsequence::BureauId)
                        .is_not_null()
                        .or(Expr::col(AccountabilityConsequence::TownId).is_not_null()),
                )
                .foreign_key(&mut fk(
                    AccountabilityConsequence::Table,
                    AccountabilityConsequence::BureauId,
                    Bureau::Table,
                ))
                .foreign_key(&mut fk(
                    AccountabilityConsequence::Table,
                    AccountabilityConsequence::TownId,
                    Town::Table,
                ))
                .foreign_key(&mut fk(
                    AccountabilityConsequence::Table,
                    AccountabilityConsequence::FindingId,
                    InspectionFinding::Table,
                ))
                .foreign_key(&mut fk(
                    AccountabilityConsequence::Table,
                    AccountabilityConsequence::InterviewId,
                    Interview::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            AccountabilityConsequence::Table,
            &[
                (
                    "accountability_consequence_bureau_id_idx",
                    &["bureau_id"],
                    false,
                ),
                (
                    "accountability_consequence_town_id_idx",
                    &["town_id"],
                    false,
                ),
                (
                    "accountability_consequence_finding_id_idx",
                    &["finding_id"],
                    false,
                ),
            ],
        )
        .await?;

        // One special-assessment plan per year; follow-up support weighs ≥ 30 % of the
        // poverty-alleviation effectiveness assessment (A7§4).
        create_record_table(
            manager,
            Table::create()
                .table(AssessmentPlan::Table)
                .col(pk_auto(AssessmentPlan::Id).big_integer())
                .col(ranged(AssessmentPlan::Year, 2000, 2100).unique_key())
                .col(string_len(AssessmentPlan::Title, 200))
                .col(ranged(AssessmentPlan::FollowUpWeightBp, 3000, 10000))
                .col(
                    code(
                        AssessmentPlan::Status,
                        16,
                        &["draft", "scoring", "published", "closed"],
                    )
                    .default("draft"),
                )
                .col(text(AssessmentPlan::Notes).default("")),
        )
        .await?;

        // Components of the plan; their weights should add up to 10000 bp (checked in the domain).
        create_record_table(
            manager,
            Table::create()
                .table(AssessmentPlanComponent::Table)
                .col(pk_auto(AssessmentPlanComponent::Id).big_integer())
                .col(big_integer(AssessmentPlanComponent::PlanId))
                .col(string_len(AssessmentPlanComponent::Code, 32))
                .col(string_len(AssessmentPlanComponent::Name, 200))
                .col(ranged(AssessmentPlanComponent::WeightBp, 0, 10000))
                .col(boolean(AssessmentPlanComponent::IsFollowUpSupport).default(false))
                .col(integer(AssessmentPlanComponent::Seq).default(0))
                .foreign_key(&mut fk_cascade(
                    AssessmentPlanComponent::Table,
                    AssessmentPlanComponent::PlanId,
                    AssessmentPlan::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            AssessmentPlanComponent::Table,
            &[(
                "assessment_plan_component_plan_id_code_key",
                &["plan_id", "code"],
                true,
            )],
        )
        .await?;

        // Indicators of the special assessment; points in hundredths of a point.
        create_record_table(
            manager,
            Table::create()
                .table(AssessmentIndicator::Table)
                .col(pk_auto(AssessmentIndicator::Id).big_integer())
                .col(big_integer(AssessmentIndicator::PlanId))
                .col(big_integer_null(AssessmentIndicator::ComponentId))
                .col(string_len(AssessmentIndicator::Code, 32))
                .col(string_len(AssessmentIndicator::Name, 200))
                .col(code(
                    AssessmentIndicator::Method,
                    16,
                    &["computed", "manual"],
                ))
                .col(string_len_null(AssessmentIndicator::RuleCode, 64))
                // The bureau whose slice a computed indicator measures (e.g. insurance coverage:
                // HR & social security); null when it applies to every unit (on-time tasks).
                .col(big_integer_null(AssessmentIndicator::OwnerBureauId))
                .col(string_len(AssessmentIndicator::ClauseRef, 32).default(""))
                .col(
                    code(
                        AssessmentIndicator::AppliesTo,
                        16,
                        &["bureau", "town", "both"],
                    )
                    .default("both"),
                )
                .col(
                    integer(AssessmentIndicator::MaxPointsHundredths)
                        .check(Expr::col(AssessmentIndicator::MaxPointsHundredths).gt(0)),
                )
                .col(text(AssessmentIndicator::Description).default(""))
                .check(
                    Expr::col(AssessmentIndicator::Method)
                        .ne("computed")
                        .or(Expr::col(AssessmentIndicator::RuleCode).is_not_null()),
                )
                .foreign_key(&mut fk_cascade(
                    AssessmentIndicator::Table,
                    AssessmentIndicator::PlanId,
                    AssessmentPlan::Table,
                ))
                .foreign_key(&mut fk(
                    AssessmentIndicator::Table,
                    AssessmentIndicator::ComponentId,
                    AssessmentPlanComponent::Table,
                ))
                .foreign_key(&mut fk(
                    AssessmentIndicator::Table,
                    AssessmentIndicator::OwnerBureauId,
                    Bureau::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            AssessmentIndicator::Table,
            &[
                (
                    "assessment_indicator_plan_id_code_key",
                    &["plan_id", "code"],
                    true,
                ),
                (
                    "assessment_indicator_component_id_idx",
                    &["component_id"],
                    false,
                ),
            ],
        )
        .await?;

        // A score of one subject (bureau or town) on one indicator, with its reason.
        create_record_table(
            manager,
            Table::create()
                .table(AssessmentScore::Table)
                .col(pk_auto(AssessmentScore::Id).big_integer())
                .col(big_integer(AssessmentScore::PlanId))
                .col(big_integer(AssessmentScore::IndicatorId))
                .col(code(AssessmentScore::SubjectKind, 16, SUBJECT_KINDS))
                .col(big_integer_null(AssessmentScore::BureauId))
                .col(big_integer_null(AssessmentScore::TownId))
                .col(
                    integer(AssessmentScore::PointsHundredths)
                        .check(Expr::col(AssessmentScore::PointsHundredths).gte(0)),
                )
                .col(text(AssessmentScore::Reason))
                .col(big_integer_null(AssessmentScore::ScoredByUserId))
                .col(
                    timestamp_with_time_zone(AssessmentScore::ScoredAt)
                        .default(Expr::current_timestamp()),
                )
                .check(subject_matches_kind(
                    AssessmentScore::SubjectKind,
                    AssessmentScore::BureauId,
                    AssessmentScore::TownId,
                ))
                .foreign_key(&mut fk(
                    AssessmentScore::Table,
                    AssessmentScore::PlanId,
                    AssessmentPlan::Table,
                ))
                .foreign_key(&mut fk(
                    AssessmentScore::Table,
                    AssessmentScore::IndicatorId,
                    AssessmentIndicator::Table,
                ))
                .foreign_key(&mut fk(
                    AssessmentScore::Table,
                    AssessmentScore::BureauId,
                    Bureau::Table,
                ))
                .foreign_key(&mut fk(
                    AssessmentScore::Table,
                    AssessmentScore::TownId,
                    Town::Table,
                ))
                .foreign_key(&mut fk(
                    AssessmentScore::Table,
                    AssessmentScore::ScoredByUserId,
                    User::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            AssessmentScore::Table,
            &[
                (
                    "assessment_score_indicator_id_bureau_id_key",
                    &["indicator_id", "bureau_id"],
                    true,
                ),
                (
                    "assessment_score_indicator_id_town_id_key",
                    &["indicator_id", "town_id"],
                    true,
                ),
                ("assessment_score_plan_id_idx", &["plan_id"], false),
                ("assessment_score_bureau_id_idx", &["bureau_id"], false),
                ("assessment_score_town_id_idx", &["town_id"], false),
            ],
        )
        .await?;

        // Deductions (扣分), e.g. for findings not rectified in time.
        create_record_table(
            manager,
            Table::create()
                .table(AssessmentDeduction::Table)
                .col(pk_auto(AssessmentDeduction::Id).big_integer())
                .col(big_integer(AssessmentDeduction::PlanId))
                .col(big_integer_null(AssessmentDeduction::IndicatorId))
                .col(code(AssessmentDeduction::SubjectKind, 16, SUBJECT_KINDS))
                .col(big_integer_null(AssessmentDeduction::BureauId))
                .col(big_integer_null(AssessmentDeduction::TownId))
                .col(
                    integer(AssessmentDeduction::PointsHundredths)
                        .check(Expr::col(AssessmentDeduction::PointsHundredths).gt(0)),
                )
                .col(text(AssessmentDeduction::Reason))
                .col(big_integer_null(AssessmentDeduction::FindingId))
                .col(date(AssessmentDeduction::DecidedOn))
                .col(big_integer_null(AssessmentDeduction::DecidedByUserId))
                .check(subject_matches_kind(
                    AssessmentDeduction::SubjectKind,
                    AssessmentDeduction::BureauId,
                    AssessmentDeduction::TownId,
                ))
                .foreign_key(&mut fk(
                    AssessmentDeduction::Table,
                    AssessmentDeduction::PlanId,
                    AssessmentPlan::Table,
                ))
                .foreign_key(&mut fk(
                    AssessmentDeduction::Table,
                    AssessmentDeduction::IndicatorId,
                    AssessmentIndicator::Table,
                ))
                .foreign_key(&mut fk(
                    AssessmentDeduction::Table,
                    AssessmentDeduction::BureauId,
                    Bureau::Table,
                ))
                .foreign_key(&mut fk(
                    AssessmentDeduction::Table,
                    AssessmentDeduction::TownId,
                    Town::Table,
                ))
                .foreign_key(&mut fk(
                    AssessmentDeduction::Table,
                    AssessmentDeduction::FindingId,
                    InspectionFinding::Table,
                ))
                .foreign_key(&mut fk(
                    AssessmentDeduction::Table,
                    AssessmentDeduction::DecidedByUserId,
                    User::Table,
                )),
        )
        .await?;
        create_indexes(
            manager,
            AssessmentDeduction::Table,
            &[
                ("assessment_deduction_plan_id_idx", &["plan_id"], false),
                ("assessment_deduction_bureau_id_idx", &["bureau_id"], false),
                ("assessment_deduction_town_id_idx", &["town_id"], false),
                (
                    "assessment_deduction_finding_id_idx",
                    &["finding_id"],
                    false,
                ),
            ],
        )
        .await?;

        // 通报: an immutable snapshot of the ranking as published district-wide (no record columns:
        // rows are never updated).
        manager
            .create_table(
                Table::create()
                    .table(AssessmentPublication::Table)
                    .col(pk_auto(AssessmentPublication::Id).big_integer())
                    .col(big_integer(AssessmentPublication::PlanId))
                    .col(string_len(AssessmentPublication::Title, 200))
                    // The day the scores were evaluated on, and the frozen scores with their evidence.
                    .col(date(AssessmentPublication::AsOf))
                    .col(text(AssessmentPublication::SnapshotJson))
                    .col(
                        timestamp_with_time_zone(AssessmentPublication::PublishedAt)
                            .default(Expr::current_timestamp()),
                    )
                    .col(big_integer(AssessmentPublication::PublishedBy))
                    .foreign_key(&mut fk(
                        AssessmentPublication::Table,
                        AssessmentPublication::PlanId,
                        AssessmentPlan::Table,
                    ))
                    .foreign_key(&mut fk(
                        AssessmentPublication::Table,
                        AssessmentPublication::PublishedBy,
                        User::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        create_indexes(
            manager,
            AssessmentPublication::Table,
            &[(
                "assessment_publication_plan_id_published_at_idx",
                &["plan_id", "published_at"],
                false,
            )],
        )
        .await?;

        // A publication is immutable: the database refuses to change or delete it.
        let db = manager.get_connection();
        match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION assessment_publication_is_immutable() RETURNS trigger
                     LANGUAGE plpgsql AS $$
                     BEGIN RAISE EXCEPTION 'assessment_publication is immutable'; END; $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER assessment_publication_immutable
                     BEFORE UPDATE OR DELETE ON assessment_publication
                     FOR EACH ROW EXECUTE FUNCTION assessment_publication_is_immutable()",
                )
                .await?;
            }
            _ => {
                for operation in ["UPDATE", "DELETE"] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER assessment_publication_immutable_{}
                         BEFORE {operation} ON assessment_publication
                         BEGIN SELECT RAISE(ABORT, 'assessment_publication is immutable'); END",
                        operation.to_lowercase()
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(
                    "DROP TRIGGER IF EXISTS assessment_publication_immutable ON assessment_publication;
                     DROP FUNCTION IF EXISTS assessment_publication_is_immutable()",
                )
                .await?;
        }
        drop_tables(
            manager,
            vec![
                AssessmentPublication::Table.into_iden(),
                AssessmentDeduction::Table.into_iden(),
                AssessmentScore::Table.into_iden(),
                AssessmentIndicator::Table.into_iden(),
                AssessmentPlanComponent::Table.into_iden(),
                AssessmentPlan::Table.into_iden(),
                AccountabilityConsequence::Table.into_iden(),
                Interview::Table.into_iden(),
                InspectionFinding::Table.into_iden(),
                Inspection::Table.into_iden(),
                TaskEvent::Table.into_iden(),
                TaskExtensionRequest::Table.into_iden(),
                TaskAttachmentContent::Table.into_iden(),
                TaskAttachment::Table.into_iden(),
                TaskProgressReport::Table.into_iden(),
                TaskStageGoal::Table.into_iden(),
                TaskCooperatingBureau::Table.into_iden(),
                ResponsibilityTask::Table.into_iden(),
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub enum ResponsibilityTask {
    Table,
    Id,
    Code,
    ParentTaskId,
    Title,
    Description,
    Annex,
    ClauseRef,
    LeadLeaderName,
    ResponsibleBureauId,
    ResponsibleTownId,
    Deadline,
    CompletedOn,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum TaskCooperatingBureau {
    Table,
    TaskId,
    ResponsibleBureauId,
    BureauId,
    Role,
    AddedAt,
    AddedBy,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum TaskStageGoal {
    Table,
    Id,
    TaskId,
    Seq,
    Goal,
    Deadline,
    AchievedOn,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum TaskProgressReport {
    Table,
    Id,
    TaskId,
    StageGoalId,
    ReportedByUserId,
    ReportedOn,
    PercentComplete,
    Narrative,
    Status,
    ReviewedByUserId,
    ReviewedAt,
    ReviewComment,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum TaskAttachment {
    Table,
    Id,
    TaskId,
    ProgressReportId,
    FileName,
    ContentType,
    SizeBytes,
    StorageKey,
    Sha256,
    UploadedByUserId,
    UploadedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum TaskAttachmentContent {
    Table,
    AttachmentId,
    Bytes,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum TaskExtensionRequest {
    Table,
    Id,
    TaskId,
    StageGoalId,
    RequestedByUserId,
    RequestedAt,
    CurrentDeadline,
    RequestedDeadline,
    Reason,
    Status,
    DecidedByUserId,
    DecidedAt,
    DecisionComment,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum TaskEvent {
    Table,
    Id,
    TaskId,
    Kind,
    StatusBefore,
    StatusAfter,
    ActorUserId,
    OccurredAt,
    ProgressReportId,
    ExtensionRequestId,
    Note,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Inspection {
    Table,
    Id,
    Kind,
    Year,
    InspectedOn,
    Team,
    BureauId,
    TownId,
    SiteId,
    Summary,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum InspectionFinding {
    Table,
    Id,
    InspectionId,
    TaskId,
    ResponsibleBureauId,
    TownId,
    Description,
    Severity,
    RectificationDeadline,
    RectifiedOn,
    Status,
    ClosedAt,
    ClosedByUserId,
    ClosureNote,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Interview {
    Table,
    Id,
    HeldOn,
    BureauId,
    TownId,
    IntervieweeName,
    InterviewerName,
    Reason,
    FindingId,
    TaskId,
    Notes,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum AccountabilityConsequence {
    Table,
    Id,
    Kind,
    BureauId,
    TownId,
    PersonName,
    DecidedOn,
    DecidedBy,
    Reason,
    FindingId,
    InterviewId,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum AssessmentPlan {
    Table,
    Id,
    Year,
    Title,
    FollowUpWeightBp,
    Status,
    Notes,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum AssessmentPlanComponent {
    Table,
    Id,
    PlanId,
    Code,
    Name,
    WeightBp,
    IsFollowUpSupport,
    Seq,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum AssessmentIndicator {
    Table,
    Id,
    PlanId,
    ComponentId,
    Code,
    Name,
    Method,
    RuleCode,
    OwnerBureauId,
    ClauseRef,
    AppliesTo,
    MaxPointsHundredths,
    Description,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum AssessmentScore {
    Table,
    Id,
    PlanId,
    IndicatorId,
    SubjectKind,
    BureauId,
    TownId,
    PointsHundredths,
    Reason,
    ScoredByUserId,
    ScoredAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum AssessmentDeduction {
    Table,
    Id,
    PlanId,
    IndicatorId,
    SubjectKind,
    BureauId,
    TownId,
    PointsHundredths,
    Reason,
    FindingId,
    DecidedOn,
    DecidedByUserId,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum AssessmentPublication {
    Table,
    Id,
    PlanId,
    Title,
    AsOf,
    SnapshotJson,
    PublishedAt,
    PublishedBy,
}
