//! The responsible unit's forms on a task: report progress (with an optional evidence file) and
//! ask for a deadline extension. They check the input and hand it to the page, which sends it.

use leptos::html;
use leptos::prelude::*;
use leptos::web_sys;

use super::{failure_view, Failure};
use crate::api;
use crate::api::model::StageGoal;
use crate::dates;

/// A progress report as typed in, with the evidence file picked, if any.
#[derive(Debug, Clone)]
pub struct ReportDraft {
    pub stage_goal_id: Option<String>,
    pub percent_complete: i64,
    pub narrative: String,
    pub evidence: Option<web_sys::File>,
}

/// An extension request as typed in.
#[derive(Debug, Clone)]
pub struct ExtensionDraft {
    pub stage_goal_id: Option<String>,
    pub requested_deadline: String,
    pub reason: String,
}

/// The stage goals not yet achieved, as options of a select ("" = the task itself).
fn stage_options(stage_goals: &[StageGoal], none_label: &'static str) -> impl IntoView {
    let options = stage_goals
        .iter()
        .filter(|goal| goal.achieved_on.is_none())
        .map(|goal| {
            view! {
                <option value=goal.id.clone()>
                    {format!("阶段目标 {}：{}（{} 截止）", goal.seq, goal.goal, goal.deadline)}
                </option>
            }
        })
        .collect_view();
    view! {
        <option value="">{none_label}</option>
        {options}
    }
}

fn non_empty(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}

/// 报告进展: percentage, narrative, optional stage goal and evidence file.
#[component]
pub fn ReportForm(
    stage_goals: Vec<StageGoal>,
    /// The task's progress now (the form starts there).
    current_percent: i64,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] failure: Signal<Option<Failure>>,
    on_submit: Callback<ReportDraft>,
) -> impl IntoView {
    let stage = RwSignal::new(String::new());
    let percent = RwSignal::new(current_percent.clamp(0, 100).to_string());
    let narrative = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let file_input = NodeRef::<html::Input>::new();

    let submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let percent_complete = match percent.get_untracked().trim().parse::<i64>() {
            Ok(value) if (0..=100).contains(&value) => value,
            _ => {
                problem.set(Some("完成进度请填写 0 到 100 之间的整数".to_owned()));
                return;
            }
        };
        let text = narrative.get_untracked().trim().to_owned();
        if text.is_empty() {
            problem.set(Some("请填写进展情况".to_owned()));
            return;
        }
        if text.chars().count() > 2000 {
            problem.set(Some("进展情况最多 2000 字".to_owned()));
            return;
        }
        let evidence = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if let Some(reason) = evidence.as_ref().and_then(api::evidence_problem) {
            problem.set(Some(reason));
            return;
        }
        problem.set(None);
        on_submit.run(ReportDraft {
            stage_goal_id: non_empty(stage.get_untracked()),
            percent_complete,
            narrative: text,
            evidence,
        });
    };

    let stage_field = (!stage_goals.is_empty()).then(|| {
        view! {
            <label class="field">
                <span class="field-label">"对应阶段目标（可选）"</span>
                <select
                    data-testid="report-stage"
                    on:change=move |event| stage.set(event_target_value(&event))
                >
                    {stage_options(&stage_goals, "不针对具体阶段目标")}
                </select>
            </label>
        }
    });

    view! {
        <form class="card task-form" data-testid="report-form" on:submit=submit novalidate>
            <h2 class="card-kicker">"报告进展"</h2>
            {stage_field}
            <label class="field">
                <span class="field-label">"完成进度（%）"</span>
                <input
                    type="number"
                    min="0"
                    max="100"
                    step="1"
                    inputmode="numeric"
                    required
                    data-testid="report-percent"
                    prop:value=move || percent.get()
                    on:input=move |event| percent.set(event_target_value(&event))
                />
            </label>
            <label class="field">
                <span class="field-label">"进展情况"</span>
                <textarea
                    rows="4"
                    maxlength="2000"
                    required
                    placeholder="已完成的工作、取得的成效、存在的问题"
                    data-testid="report-narrative"
                    prop:value=move || narrative.get()
                    on:input=move |event| narrative.set(event_target_value(&event))
                ></textarea>
            </label>
            <label class="field">
                <span class="field-label">"佐证材料（可选）"</span>
                <input
                    type="file"
                    accept=api::EVIDENCE_ACCEPT
                    data-testid="report-file"
                    node_ref=file_input
                />
                <span class="form-hint">"PDF、图片（PNG/JPEG/WebP）、Word 或 Excel，单个文件不超过 10 MB"</span>
            </label>
            {move || problem.get().map(|text| view! { <p class="form-error" role="alert" data-testid="report-problem">{text}</p> })}
            {failure_view(failure)}
            <button type="submit" class="button button-block" data-testid="report-submit" disabled=move || busy.get()>
                {move || if busy.get() { "正在提交…" } else { "提交进展" }}
            </button>
        </form>
    }
}

/// 申请延期: a new deadline for the task or one of its stage goals, and why.
#[component]
pub fn ExtensionForm(
    stage_goals: Vec<StageGoal>,
    /// The task's deadline now.
    deadline: String,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] failure: Signal<Option<Failure>>,
    on_submit: Callback<ExtensionDraft>,
) -> impl IntoView {
    let stage = RwSignal::new(String::new());
    let requested = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);

    let submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let day = requested.get_untracked();
        if !dates::is_day(&day) {
            problem.set(Some("请选择申请延至的日期".to_owned()));
            return;
        }
        let text = reason.get_untracked().trim().to_owned();
        if text.is_empty() {
            problem.set(Some("请填写延期理由".to_owned()));
            return;
        }
        if text.chars().count() > 500 {
            problem.set(Some("延期理由最多 500 字".to_owned()));
            return;
        }
        problem.set(None);
        on_submit.run(ExtensionDraft {
            stage_goal_id: non_empty(stage.get_untracked()),
            requested_deadline: day,
            reason: text,
        });
    };

    let stage_field = (!stage_goals.is_empty()).then(|| {
        view! {
            <label class="field">
                <span class="field-label">"延期对象"</span>
                <select on:change=move |event| stage.set(event_target_value(&event))>
                    {stage_options(&stage_goals, "整个任务")}
                </select>
            </label>
        }
    });

    view! {
        <details class="card task-form task-form-folded">
        <summary class="card-kicker" data-testid="extension-toggle">"申请延期"</summary>
        <form data-testid="extension-form" on:submit=submit novalidate>
            <p class="form-hint">"当前截止日期：" {deadline.clone()} "。延期须经牵头部门（区发改局）批准。"</p>
            {stage_field}
            <label class="field">
                <span class="field-label">"申请延至"</span>
                <input
                    type="date"
                    min=dates::add_days(&deadline, 1).unwrap_or_default()
                    data-testid="extension-deadline"
                    prop:value=move || requested.get()
                    on:input=move |event| requested.set(event_target_value(&event))
                    on:change=move |event| requested.set(event_target_value(&event))
                />
            </label>
            <label class="field">
                <span class="field-label">"延期理由"</span>
                <textarea
                    rows="3"
                    maxlength="500"
                    data-testid="extension-reason"
                    prop:value=move || reason.get()
                    on:input=move |event| reason.set(event_target_value(&event))
                ></textarea>
            </label>
            {move || problem.get().map(|text| view! { <p class="form-error" role="alert">{text}</p> })}
            {failure_view(failure)}
            <button type="submit" class="button button-block button-secondary" data-testid="extension-submit" disabled=move || busy.get()>
                {move || if busy.get() { "正在提交…" } else { "提交延期申请" }}
            </button>
        </form>
        </details>
    }
}
