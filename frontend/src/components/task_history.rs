//! What happened to a task: stage goals, progress reports with their reviews, extension
//! requests with their decisions, the event history (who / what / when), and evidence.

use leptos::prelude::*;

use super::{DecisionButtons, StatusBadge};
use crate::api::model::{
    Attachment, ExtensionRequest, ExtensionStatus, ProgressReport, ReportStatus, StageGoal,
    TaskEvent,
};
use crate::dates::{format_instant, format_size};

/// `阶段目标 2` for a stage goal id, when the task has it.
fn stage_label(stage_goals: &[StageGoal], id: Option<&str>) -> Option<String> {
    let id = id?;
    stage_goals
        .iter()
        .find(|goal| goal.id == id)
        .map(|goal| format!("阶段目标 {}：{}", goal.seq, goal.goal))
}

#[component]
pub fn StageGoalList(stage_goals: Vec<StageGoal>) -> impl IntoView {
    if stage_goals.is_empty() {
        return view! { <p class="empty">"未设阶段目标"</p> }.into_any();
    }
    let items = stage_goals
        .into_iter()
        .map(|goal| {
            let achieved = goal
                .achieved_on
                .map(|day| view! { <span class="muted">{day} " 达成"</span> });
            view! {
                <li class="stage-goal" data-testid="stage-goal">
                    <span class="stage-seq">{goal.seq}</span>
                    <span class="stage-body">
                        <span class="stage-text">{goal.goal}</span>
                        <span class="stage-meta">
                            <StatusBadge status=goal.status testid="stage-status" />
                            <span>"截止 " {goal.deadline}</span>
                            {achieved}
                        </span>
                    </span>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="stage-goals">{items}</ol> }.into_any()
}

/// Evidence files; tapping one downloads it (the page fetches it with the token).
#[component]
pub fn AttachmentList(
    attachments: Vec<Attachment>,
    on_download: Callback<Attachment>,
) -> impl IntoView {
    if attachments.is_empty() {
        return ().into_any();
    }
    let items = attachments
        .into_iter()
        .map(|attachment| {
            let size = format_size(attachment.size_bytes);
            let name = attachment.file_name.clone();
            let kind = name
                .rsplit_once('.')
                .map(|(_, extension)| extension.to_ascii_uppercase())
                .unwrap_or_else(|| "文件".to_owned());
            view! {
                <li>
                    <button
                        type="button"
                        class="attachment"
                        data-testid="attachment"
                        on:click=move |_| on_download.run(attachment.clone())
                    >
                        <span class="attachment-kind" aria-hidden="true">{kind}</span>
                        <span class="attachment-name">{name}</span>
                        <span class="muted">{size}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="attachments" aria-label="佐证材料">{items}</ul> }.into_any()
}

fn report_status_class(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Accepted => "tag",
        ReportStatus::Returned => "tag tag-warn",
        ReportStatus::Submitted | ReportStatus::Unknown => "tag tag-pending",
    }
}

/// One progress report with its review; `on_review` (the lead bureau) adds 采纳 / 退回 to a
/// report waiting for review.
#[component]
pub fn ReportItem(
    report: ProgressReport,
    #[prop(optional_no_strip)] stage: Option<String>,
    #[prop(optional_no_strip)] on_review: Option<Callback<(String, bool, String)>>,
    #[prop(into, optional)] busy: Signal<bool>,
    on_download: Callback<Attachment>,
) -> impl IntoView {
    let task = report.task.clone().map(|task| {
        view! {
            <a class="report-task" href=format!("/tasks/{}", task.id) data-testid="report-task-link">
                <span class="task-code mono">{task.code}</span>
                " "
                {task.title}
                <span class="muted">" · " {task.unit_name}</span>
            </a>
        }
    });
    let reviewed = report.reviewed_at.is_some() || report.review_comment.is_some();
    let review = reviewed.then(|| {
        let when = report.reviewed_at.as_deref().map(format_instant);
        let comment = report
            .review_comment
            .clone()
            .filter(|comment| !comment.is_empty());
        view! {
            <p class="report-review">
                "审核" {report.reviewed_by.clone().map(|by| format!("：{by}"))} " " {when}
                {comment
                    .map(|comment| {
                        view! {
                            <span class="review-comment">
                                "　意见：" <span data-testid="report-review-comment">{comment}</span>
                            </span>
                        }
                    })}
            </p>
        }
    });
    let decide = match on_review {
        Some(on_review) if report.status == ReportStatus::Submitted => {
            let id = report.id.clone();
            let on_decide = Callback::new(move |(accept, comment)| {
                on_review.run((id.clone(), accept, comment))
            });
            Some(view! {
                <DecisionButtons
                    accept_label="采纳"
                    refuse_label="退回"
                    comment_label="退回意见（须说明需要补充或整改的内容）"
                    testid="review"
                    busy
                    on_decide
                />
            })
        }
        _ => None,
    };
    view! {
        <li class="report-item" data-testid="report-item" data-report-id=report.id.clone()>
            {task}
            <p class="report-head">
                <span class=report_status_class(report.status) data-testid="report-status">
                    {report.status.label()}
                </span>
                <span class="report-percent">
                    "完成 " <span data-testid="report-percent">{report.percent_complete}</span> "%"
                </span>
                <span class="muted">
                    {report.reported_on.clone()}
                    {report.reported_by.clone().map(|by| format!(" · {by}"))}
                </span>
            </p>
            {stage.map(|stage| view! { <p class="muted report-stage">{stage}</p> })}
            <p class="report-narrative" data-testid="report-narrative">{report.narrative.clone()}</p>
            {review}
            <AttachmentList attachments=report.attachments.clone() on_download />
            {decide}
        </li>
    }
}

#[component]
pub fn ReportList(
    reports: Vec<ProgressReport>,
    stage_goals: Vec<StageGoal>,
    #[prop(optional_no_strip)] on_review: Option<Callback<(String, bool, String)>>,
    #[prop(into, optional)] busy: Signal<bool>,
    on_download: Callback<Attachment>,
) -> impl IntoView {
    if reports.is_empty() {
        return view! { <p class="empty">"尚未报告进展"</p> }.into_any();
    }
    let items = reports
        .into_iter()
        .map(|report| {
            let stage = stage_label(&stage_goals, report.stage_goal_id.as_deref());
            view! { <ReportItem report stage on_review busy on_download /> }
        })
        .collect_view();
    view! { <ul class="history-list" data-testid="report-list">{items}</ul> }.into_any()
}

fn extension_status_class(status: ExtensionStatus) -> &'static str {
    match status {
        ExtensionStatus::Approved => "tag",
        ExtensionStatus::Rejected => "tag tag-warn",
        ExtensionStatus::Pending => "tag tag-pending",
        ExtensionStatus::Withdrawn | ExtensionStatus::Unknown => "tag tag-muted",
    }
}

/// One extension request with its decision; `on_decide` (the lead bureau) adds 批准 / 驳回 to a
/// pending one.
#[component]
pub fn ExtensionItem(
    request: ExtensionRequest,
    #[prop(optional_no_strip)] stage: Option<String>,
    #[prop(optional_no_strip)] on_decide: Option<Callback<(String, bool, String)>>,
    #[prop(into, optional)] busy: Signal<bool>,
) -> impl IntoView {
    let task = request.task.clone().map(|task| {
        view! {
            <a class="report-task" href=format!("/tasks/{}", task.id) data-testid="extension-task-link">
                <span class="task-code mono">{task.code}</span>
                " "
                {task.title}
                <span class="muted">" · " {task.unit_name}</span>
            </a>
        }
    });
    let decided = request.decided_by.is_some() || request.decided_at.is_some();
    let decision = decided.then(|| {
        let by = request.decided_by.clone();
        let when = request.decided_at.as_deref().map(format_instant);
        let comment = request
            .decision_comment
            .clone()
            .filter(|comment| !comment.is_empty());
        view! {
            <p class="report-review">
                "审批" {by.map(|by| format!("：{by}"))} " " {when}
                {comment
                    .map(|comment| {
                        view! {
                            <span class="review-comment">
                                "　意见：" <span data-testid="extension-decision-comment">{comment}</span>
                            </span>
                        }
                    })}
            </p>
        }
    });
    let decide = match on_decide {
        Some(on_decide) if request.status == ExtensionStatus::Pending => {
            let id = request.id.clone();
            let on_decide = Callback::new(move |(approve, comment)| {
                on_decide.run((id.clone(), approve, comment))
            });
            Some(view! {
                <DecisionButtons
                    accept_label="批准"
                    refuse_label="驳回"
                    comment_label="驳回理由"
                    testid="decide"
                    busy
                    on_decide
                />
            })
        }
        _ => None,
    };
    view! {
        <li class="report-item" data-testid="extension-item" data-extension-id=request.id.clone()>
            {task}
            <p class="report-head">
                <span class=extension_status_class(request.status) data-testid="extension-status">
                    {request.status.label()}
                </span>
                <span>
                    {request.current_deadline.clone()} " → "
                    <strong data-testid="extension-requested-deadline">{request.requested_deadline.clone()}</strong>
                </span>
            </p>
            <p class="muted">
                "申请于 " {format_instant(&request.requested_at)}
                {request.requested_by.clone().map(|by| format!(" · {by}"))}
            </p>
            {stage.map(|stage| view! { <p class="muted report-stage">{stage}</p> })}
            <p class="report-narrative">"理由：" {request.reason.clone()}</p>
            {decision}
            {decide}
        </li>
    }
}

#[component]
pub fn ExtensionList(
    requests: Vec<ExtensionRequest>,
    stage_goals: Vec<StageGoal>,
    #[prop(optional_no_strip)] on_decide: Option<Callback<(String, bool, String)>>,
    #[prop(into, optional)] busy: Signal<bool>,
) -> impl IntoView {
    if requests.is_empty() {
        return view! { <p class="empty">"无延期申请"</p> }.into_any();
    }
    let items = requests
        .into_iter()
        .map(|request| {
            let stage = stage_label(&stage_goals, request.stage_goal_id.as_deref());
            view! { <ExtensionItem request stage on_decide busy /> }
        })
        .collect_view();
    view! { <ul class="history-list" data-testid="extension-list">{items}</ul> }.into_any()
}

/// The event history, newest first: who, what, when, and the status it led to.
#[component]
pub fn EventList(history: Vec<TaskEvent>) -> impl IntoView {
    if history.is_empty() {
        return view! { <p class="empty">"暂无记录"</p> }.into_any();
    }
    let items = history
        .into_iter()
        .rev()
        .map(|event| {
            let change = match event.status_before {
                Some(before) if before != event.status_after => Some(view! {
                    <span class="event-change">
                        <StatusBadge status=before testid="event-status-before" />
                        " → "
                        <StatusBadge status=event.status_after testid="event-status-after" />
                    </span>
                }),
                _ => None,
            };
            let note = (!event.note.is_empty())
                .then(|| view! { <span class="event-note" data-testid="event-note">{event.note.clone()}</span> });
            view! {
                <li class="event-item" data-testid="history-item" data-kind=format!("{:?}", event.kind)>
                    <span class="event-when">{format_instant(&event.occurred_at)}</span>
                    <span class="event-what">
                        <strong data-testid="history-kind">{event.kind.label()}</strong>
                        " "
                        {event.actor.clone().map(|actor| view! { <span data-testid="history-actor">{actor}</span> })}
                    </span>
                    {note}
                    {change}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="event-list" data-testid="history">{items}</ol> }.into_any()
}
