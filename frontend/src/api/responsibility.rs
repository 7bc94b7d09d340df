//! The responsibility list (责任清单): my tasks, the matrix, one task, the lead bureau's queue,
//! and the writes on them.

use super::model::{
    unit_key, Attachment, ExtensionRequest, Inbox, MatrixData, MatrixFilter, NewExtensionRequest,
    NewProgressReport, ProgressReport, StageGoal, StatusCounts, TaskBoard, TaskDetail, TaskEvent,
    TaskLine, TaskRef, Unit, UnitChoice, UnitCounts, UnitKind,
};
use super::{queries, run, ApiError};

/// A `ResponsibleUnit` of any operation (graphql_client generates one struct per operation).
macro_rules! unit_of {
    ($unit:expr) => {{
        let fields = $unit;
        Unit {
            kind: fields.kind,
            code: fields.code,
            name: fields.name,
            short_name: fields.short_name,
        }
    }};
}

/// The `TaskLineFields` of any operation as a [`TaskLine`] (moving only those fields out of
/// `$task`, so that a task detail keeps the rest).
macro_rules! task_line_of {
    ($task:ident) => {{
        TaskLine {
            id: $task.id,
            code: $task.code,
            title: $task.title,
            annex: $task.annex,
            clause_ref: $task.clause_ref,
            responsible_unit: unit_of!($task.responsible_unit),
            cooperating_units: $task
                .cooperating_units
                .into_iter()
                .map(|unit| unit_of!(unit))
                .collect(),
            deadline: $task.deadline,
            completed_on: $task.completed_on,
            status: $task.status,
            days_left: $task.days_left,
            progress_percent: $task.progress_percent,
            involvement: $task.my_involvement,
        }
    }};
}

/// The `CountFields` of any operation.
macro_rules! counts_of {
    ($wrapper:expr) => {{
        let counts = $wrapper;
        let unit = unit_of!(counts.unit);
        UnitCounts {
            unit,
            counts: StatusCounts {
                total: counts.total,
                not_started: counts.not_started,
                on_track: counts.on_track,
                due_soon: counts.due_soon,
                overdue: counts.overdue,
                done: counts.done,
            },
        }
    }};
}

/// A whole `TaskBoard` selection.
macro_rules! board_of {
    ($board:expr) => {{
        let board = $board;
        TaskBoard {
            as_of: board.as_of,
            tasks: board
                .tasks
                .into_iter()
                .map(|task| task_line_of!(task))
                .collect(),
            units: board
                .units
                .into_iter()
                .map(|counts| counts_of!(counts))
                .collect(),
            totals: counts_of!(board.totals).counts,
        }
    }};
}

/// The `AttachmentFields` of any operation.
macro_rules! attachment_of {
    ($wrapper:expr) => {{
        let attachment = $wrapper;
        Attachment {
            id: attachment.id,
            file_name: attachment.file_name,
            content_type: attachment.content_type,
            size_bytes: attachment.size_bytes,
            uploaded_at: attachment.uploaded_at,
            uploaded_by: attachment.uploaded_by,
            progress_report_id: attachment.progress_report_id,
            download_path: attachment.download_path,
        }
    }};
}

/// The `TaskRefFields` of an inbox row.
macro_rules! task_ref_of {
    ($wrapper:expr) => {{
        let task = $wrapper;
        TaskRef {
            id: task.id,
            code: task.code,
            title: task.title,
            unit_name: task.responsible_unit.short_name,
        }
    }};
}

/// 我的任务: the tasks of the user's units as of `as_of` (today when `None`).
pub async fn fetch_my_tasks(as_of: Option<String>) -> Result<TaskBoard, ApiError> {
    use queries::my_tasks::Variables;
    let data = run::<queries::MyTasks>(Variables { as_of }).await?.data;
    Ok(board_of!(data.my_tasks))
}

/// 责任矩阵: the whole list, filtered, as of `as_of`, with the units to filter by.
pub async fn fetch_matrix(
    filter: MatrixFilter,
    as_of: Option<String>,
) -> Result<MatrixData, ApiError> {
    use queries::responsibility_matrix::{TaskFilterInput, Variables};
    let (bureau_code, town_code) = match filter.unit.as_deref().and_then(|key| key.split_once(':'))
    {
        Some(("town", code)) => (None, Some(code.to_owned())),
        Some((_, code)) => (Some(code.to_owned()), None),
        None => (None, None),
    };
    let variables = Variables {
        filter: Some(TaskFilterInput {
            annex: filter.annex,
            bureau_code,
            town_code,
            statuses: (!filter.statuses.is_empty()).then_some(filter.statuses),
            deadline_from: filter.deadline_from,
            deadline_to: filter.deadline_to,
        }),
        as_of,
    };
    let data = run::<queries::ResponsibilityMatrix>(variables).await?.data;
    Ok(MatrixData {
        board: board_of!(data.responsibility_matrix),
        bureaus: data
            .bureaus
            .into_iter()
            .map(|bureau| UnitChoice {
                key: unit_key(UnitKind::Bureau, &bureau.code),
                name: bureau.short_name,
            })
            .collect(),
        towns: data
            .towns
            .into_iter()
            .map(|town| UnitChoice {
                key: unit_key(UnitKind::Town, &town.division_code),
                name: town.name,
            })
            .collect(),
    })
}

/// One task with its stage goals, reports, extension requests, history and evidence;
/// `NotFound` when it does not exist or the user may not see it.
pub async fn fetch_task(id: String, as_of: Option<String>) -> Result<TaskDetail, ApiError> {
    use queries::responsibility_task_detail::Variables;
    let data = run::<queries::ResponsibilityTaskDetail>(Variables { id, as_of })
        .await?
        .data;
    let Some(task) = data.responsibility_task else {
        return Err(ApiError::NotFound { what: "该任务" });
    };
    Ok(TaskDetail {
        line: task_line_of!(task),
        description: task.description,
        lead_leader_name: task.lead_leader_name,
        completed_late: task.completed_late,
        as_of: task.as_of,
        version: task.version,
        stage_goals: task
            .stage_goals
            .into_iter()
            .map(|goal| StageGoal {
                id: goal.id,
                seq: goal.seq,
                goal: goal.goal,
                deadline: goal.deadline,
                achieved_on: goal.achieved_on,
                status: goal.status,
            })
            .collect(),
        reports: task
            .progress_reports
            .into_iter()
            .map(|report| ProgressReport {
                id: report.id,
                task: None,
                stage_goal_id: report.stage_goal_id,
                reported_on: report.reported_on,
                percent_complete: report.percent_complete,
                narrative: report.narrative,
                status: report.status,
                reported_by: report.reported_by,
                reviewed_by: report.reviewed_by,
                reviewed_at: report.reviewed_at,
                review_comment: report.review_comment,
                attachments: report
                    .attachments
                    .into_iter()
                    .map(|attachment| attachment_of!(attachment))
                    .collect(),
            })
            .collect(),
        extensions: task
            .extension_requests
            .into_iter()
            .map(|request| ExtensionRequest {
                id: request.id,
                task: None,
                stage_goal_id: request.stage_goal_id,
                requested_at: request.requested_at,
                requested_by: request.requested_by,
                current_deadline: request.current_deadline,
                requested_deadline: request.requested_deadline,
                reason: request.reason,
                status: request.status,
                decided_by: request.decided_by,
                decided_at: request.decided_at,
                decision_comment: request.decision_comment,
            })
            .collect(),
        history: task
            .history
            .into_iter()
            .map(|event| TaskEvent {
                kind: event.kind,
                status_before: event.status_before,
                status_after: event.status_after,
                actor: event.actor,
                occurred_at: event.occurred_at,
                note: event.note,
            })
            .collect(),
        attachments: task
            .attachments
            .into_iter()
            .map(|attachment| attachment_of!(attachment))
            .collect(),
    })
}

/// The lead bureau's queue: reports to review and extensions to decide.
pub async fn fetch_inbox() -> Result<Inbox, ApiError> {
    use queries::responsibility_inbox::Variables;
    let inbox = run::<queries::ResponsibilityInbox>(Variables {})
        .await?
        .data
        .responsibility_inbox;
    Ok(Inbox {
        reports: inbox
            .reports_to_review
            .into_iter()
            .map(|report| ProgressReport {
                id: report.id,
                task: report.task.map(|task| task_ref_of!(task)),
                stage_goal_id: report.stage_goal_id,
                reported_on: report.reported_on,
                percent_complete: report.percent_complete,
                narrative: report.narrative,
                status: report.status,
                reported_by: report.reported_by,
                reviewed_by: None,
                reviewed_at: None,
                review_comment: None,
                attachments: report
                    .attachments
                    .into_iter()
                    .map(|attachment| attachment_of!(attachment))
                    .collect(),
            })
            .collect(),
        extensions: inbox
            .extensions_to_decide
            .into_iter()
            .map(|request| ExtensionRequest {
                id: request.id,
                task: request.task.map(|task| task_ref_of!(task)),
                stage_goal_id: request.stage_goal_id,
                requested_at: request.requested_at,
                requested_by: request.requested_by,
                current_deadline: request.current_deadline,
                requested_deadline: request.requested_deadline,
                reason: request.reason,
                status: request.status,
                decided_by: None,
                decided_at: None,
                decision_comment: None,
            })
            .collect(),
    })
}

/// The responsible unit reports progress; returns the new report's id.
pub async fn submit_progress_report(report: NewProgressReport) -> Result<String, ApiError> {
    use queries::submit_progress_report::{SubmitProgressReportInput, Variables};
    let input = SubmitProgressReportInput {
        task_id: report.task_id,
        stage_goal_id: report.stage_goal_id,
        percent_complete: report.percent_complete,
        narrative: report.narrative,
        reported_on: None,
    };
    let data = run::<queries::SubmitProgressReport>(Variables { input })
        .await?
        .data;
    Ok(data.submit_progress_report.id)
}

/// The lead bureau accepts a report, or sends it back with `comment` saying what to rework.
pub async fn review_progress_report(
    report_id: String,
    accept: bool,
    comment: String,
) -> Result<(), ApiError> {
    use queries::review_progress_report::{ReviewDecision, ReviewProgressReportInput, Variables};
    let input = ReviewProgressReportInput {
        report_id,
        decision: if accept {
            ReviewDecision::ACCEPT
        } else {
            ReviewDecision::RETURN
        },
        comment,
    };
    run::<queries::ReviewProgressReport>(Variables { input }).await?;
    Ok(())
}

/// The responsible unit asks to move a deadline.
pub async fn request_deadline_extension(request: NewExtensionRequest) -> Result<(), ApiError> {
    use queries::request_deadline_extension::{RequestExtensionInput, Variables};
    let input = RequestExtensionInput {
        task_id: request.task_id,
        stage_goal_id: request.stage_goal_id,
        requested_deadline: request.requested_deadline,
        reason: request.reason,
    };
    run::<queries::RequestDeadlineExtension>(Variables { input }).await?;
    Ok(())
}

/// The lead bureau approves (the deadline moves) or rejects an extension request.
pub async fn decide_deadline_extension(
    request_id: String,
    approve: bool,
    comment: String,
) -> Result<(), ApiError> {
    use queries::decide_deadline_extension::{DecideExtensionInput, Variables};
    let input = DecideExtensionInput {
        request_id,
        approve,
        comment,
    };
    run::<queries::DecideDeadlineExtension>(Variables { input }).await?;
    Ok(())
}
