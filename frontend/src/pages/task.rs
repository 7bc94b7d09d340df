//! `/tasks/:id` 任务: a task of the responsibility list with its stage goals and its history;
//! the responsible unit reports progress (with evidence) and asks for extensions here, the lead
//! bureau reviews. `?asOf=YYYY-MM-DD` shows the status as of that day.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::download_callback;
use crate::api::{
    self,
    model::{
        domain, NewExtensionRequest, NewProgressReport, TaskDetail, TaskInvolvement, TaskStatus,
    },
    ApiError,
};
use crate::components::{
    days_left_text, failure_view, AttachmentList, ErrorPanel, EventList, ExtensionDraft,
    ExtensionForm, ExtensionList, Failure, Loading, ProgressBar, ReportDraft, ReportForm,
    ReportList, StageGoalList, StatusBadge,
};
use crate::dates;

/// An action on the task: what it says when done, or why it failed and whether it changed the
/// task all the same (a report stored before its evidence failed).
type Action =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<&'static str, (Failure, bool)>>>>;

/// A failure that left the task as it was: the form keeps what was typed.
fn unchanged(heading: &'static str) -> impl FnOnce(ApiError) -> (Failure, bool) {
    move |error| (Failure::new(heading, error), false)
}

/// What outlives a reload of the task: whether an action runs, what it said, what failed.
#[derive(Clone, Copy)]
struct TaskPageState {
    task: LocalResource<Result<TaskDetail, ApiError>>,
    busy: RwSignal<bool>,
    notice: RwSignal<Option<&'static str>>,
    report_failure: RwSignal<Option<Failure>>,
    extension_failure: RwSignal<Option<Failure>>,
    review_failure: RwSignal<Option<Failure>>,
    download_failure: RwSignal<Option<Failure>>,
}

impl TaskPageState {
    /// Starts an action unless one is running; reloads the task when it succeeds. (The action
    /// is boxed so that this runs as one function for every kind of action: smaller wasm.)
    fn run(self, failure: RwSignal<Option<Failure>>, action: Action) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.notice.set(None);
        for slot in [
            self.report_failure,
            self.extension_failure,
            self.review_failure,
        ] {
            slot.set(None);
        }
        leptos::task::spawn_local(async move {
            match action.await {
                Ok(done) => {
                    self.notice.try_set(Some(done));
                    self.task.refetch();
                }
                Err((problem, changed)) => {
                    failure.try_set(Some(problem));
                    if changed {
                        self.task.refetch();
                    }
                }
            }
            self.busy.try_set(false);
        });
    }
}

#[component]
pub fn TaskPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let task_id = move || params.read().get("id").unwrap_or_default();
    let as_of = move || query.read().get("asOf").filter(|day| dates::is_day(day));
    let task = LocalResource::new(move || api::fetch_task(task_id(), as_of()));
    let state = TaskPageState {
        task,
        busy: RwSignal::new(false),
        notice: RwSignal::new(None),
        report_failure: RwSignal::new(None),
        extension_failure: RwSignal::new(None),
        review_failure: RwSignal::new(None),
        download_failure: RwSignal::new(None),
    };
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors /> }>
                {move || Suspend::new(async move {
                    let as_of_asked = as_of();
                    task.await.map(|detail| task_view(detail, as_of_asked, state))
                })}
            </ErrorBoundary>
        </Transition>
    }
}

fn task_view(
    detail: TaskDetail,
    as_of_asked: Option<String>,
    state: TaskPageState,
) -> impl IntoView {
    let line = detail.line.clone();
    super::set_page_title(&line.title);
    let me = api::signed_in_user();
    let may_review = me
        .as_ref()
        .is_some_and(|me| me.can_write(domain::RESPONSIBILITY));
    let back = if me.as_ref().is_some_and(|me| me.has_unit())
        && line.involvement != TaskInvolvement::None
    {
        view! { <a href="/tasks">"我的任务"</a> }.into_any()
    } else {
        view! { <a href="/matrix">"责任矩阵"</a> }.into_any()
    };
    let task_id = line.id.clone();

    let on_report = {
        let task_id = task_id.clone();
        Callback::new(move |draft: ReportDraft| {
            let task_id = task_id.clone();
            state.run(
                state.report_failure,
                Box::pin(async move {
                    let report_id = api::submit_progress_report(NewProgressReport {
                        task_id: task_id.clone(),
                        stage_goal_id: draft.stage_goal_id,
                        percent_complete: draft.percent_complete,
                        narrative: draft.narrative,
                    })
                    .await
                    .map_err(unchanged("提交失败"))?;
                    if let Some(file) = draft.evidence {
                        api::upload_evidence(&task_id, Some(&report_id), &file)
                            .await
                            .map_err(|error| {
                                (Failure::new("进展已提交，但佐证材料上传失败", error), true)
                            })?;
                    }
                    Ok("进展已提交，等待牵头部门审核")
                }),
            );
        })
    };
    let on_extension = {
        let task_id = task_id.clone();
        Callback::new(move |draft: ExtensionDraft| {
            let task_id = task_id.clone();
            state.run(
                state.extension_failure,
                Box::pin(async move {
                    api::request_deadline_extension(NewExtensionRequest {
                        task_id,
                        stage_goal_id: draft.stage_goal_id,
                        requested_deadline: draft.requested_deadline,
                        reason: draft.reason,
                    })
                    .await
                    .map_err(unchanged("提交失败"))?;
                    Ok("延期申请已提交，等待牵头部门审批")
                }),
            );
        })
    };
    let on_review = may_review.then(|| {
        Callback::new(move |(id, accept, comment): (String, bool, String)| {
            state.run(
                state.review_failure,
                Box::pin(async move {
                    api::review_progress_report(id, accept, comment)
                        .await
                        .map_err(unchanged("审核失败"))?;
                    Ok(if accept {
                        "已采纳该进展报告"
                    } else {
                        "已退回该进展报告"
                    })
                }),
            );
        })
    });
    let on_decide = may_review.then(|| {
        Callback::new(move |(id, approve, comment): (String, bool, String)| {
            state.run(
                state.review_failure,
                Box::pin(async move {
                    api::decide_deadline_extension(id, approve, comment)
                        .await
                        .map_err(unchanged("审批失败"))?;
                    Ok(if approve {
                        "已批准延期，截止日期已调整"
                    } else {
                        "已驳回延期申请"
                    })
                }),
            );
        })
    });
    let on_download = download_callback(state.download_failure);

    let responsible = line.involvement == TaskInvolvement::Responsible;
    let forms = if responsible && line.status != TaskStatus::Done {
        view! {
            <ReportForm
                stage_goals=detail.stage_goals.clone()
                current_percent=line.progress_percent
                busy=state.busy
                failure=state.report_failure
                on_submit=on_report
            />
            <ExtensionForm
                stage_goals=detail.stage_goals.clone()
                deadline=line.deadline.clone()
                busy=state.busy
                failure=state.extension_failure
                on_submit=on_extension
            />
        }
        .into_any()
    } else if responsible {
        view! { <p class="form-notice">"任务已完成，无需再报告进展。"</p> }.into_any()
    } else {
        ().into_any()
    };

    let cooperating = if line.cooperating_units.is_empty() {
        "—".to_owned()
    } else {
        line.cooperating_units
            .iter()
            .map(|unit| unit.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    let days = days_left_text(line.status, line.days_left, line.completed_on.as_deref());
    let task_attachments: Vec<_> = detail
        .attachments
        .iter()
        .filter(|attachment| attachment.progress_report_id.is_none())
        .cloned()
        .collect();
    let as_of_note = as_of_asked.map(|day| {
        view! {
            <p class="as-of-note" data-testid="task-as-of-note">
                "显示 " {day} " 时的状态　"
                <a href=format!("/tasks/{task_id}")>"看今天"</a>
            </p>
        }
    });

    view! {
        <nav class="breadcrumb" aria-label="位置">
            {back}
            <span aria-hidden="true">" › "</span>
            <span class="mono">{line.code.clone()}</span>
        </nav>
        <h1 class="page-title" data-testid="task-heading">{line.title.clone()}</h1>
        {as_of_note}
        <section class=format!("card task-card {}", line.status.css()) data-testid="task-summary">
            <p class="task-status-line">
                <StatusBadge status=line.status testid="task-status" />
                <span class="task-days" data-testid="task-days-left">{days}</span>
                {detail.completed_late.then(|| view! { <span class="tag tag-warn">"逾期完成"</span> })}
            </p>
            <ProgressBar percent=line.progress_percent />
            <dl class="facts">
                <div>
                    <dt>"任务编号"</dt>
                    <dd class="mono" data-testid="task-code">{line.code.clone()}</dd>
                </div>
                <div>
                    <dt>"依据条款"</dt>
                    <dd data-testid="task-clause">"附件" {line.annex} " · " {line.clause_ref.clone()}</dd>
                </div>
                <div>
                    <dt>"牵头领导"</dt>
                    <dd data-testid="task-lead-leader">{detail.lead_leader_name.clone()}</dd>
                </div>
                <div>
                    <dt>"责任单位"</dt>
                    <dd data-testid="task-responsible-unit">{line.responsible_unit.name.clone()}</dd>
                </div>
                <div>
                    <dt>"配合单位"</dt>
                    <dd data-testid="task-cooperating-units">{cooperating}</dd>
                </div>
                {(line.involvement != TaskInvolvement::None).then(|| view! {
                    <div>
                        <dt>"本单位"</dt>
                        <dd data-testid="task-involvement">{line.involvement.label()}</dd>
                    </div>
                })}
                <div>
                    <dt>"截止日期"</dt>
                    <dd data-testid="task-deadline">{line.deadline.clone()}</dd>
                </div>
                {line.completed_on.clone().map(|day| view! {
                    <div>
                        <dt>"完成日期"</dt>
                        <dd>{day}</dd>
                    </div>
                })}
            </dl>
            {(!detail.description.is_empty()).then(|| view! { <p class="task-description">{detail.description.clone()}</p> })}
        </section>
        {move || state.notice.get().map(|text| view! { <p class="form-notice" role="status" data-testid="task-notice">{text}</p> })}
        {failure_view(state.download_failure.into())}
        <h2 class="section-title">"阶段目标"</h2>
        <StageGoalList stage_goals=detail.stage_goals.clone() />
        {forms}
        <h2 class="section-title">"进展报告"</h2>
        {failure_view(state.review_failure.into())}
        <ReportList
            reports=detail.reports.clone()
            stage_goals=detail.stage_goals.clone()
            on_review
            busy=state.busy
            on_download
        />
        <h2 class="section-title">"延期申请"</h2>
        <ExtensionList
            requests=detail.extensions.clone()
            stage_goals=detail.stage_goals.clone()
            on_decide
            busy=state.busy
        />
        {(!task_attachments.is_empty()).then(|| view! {
            <h2 class="section-title">"佐证材料"</h2>
            <AttachmentList attachments=task_attachments on_download />
        })}
        <h2 class="section-title">"任务动态"</h2>
        <EventList history=detail.history.clone() />
    }
}
