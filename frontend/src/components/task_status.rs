//! A task's status and progress: a badge in colour *and* words, a progress bar, days left, and
//! the five counts (逾期 red, 临近期限 yellow, 推进中, 未启动, 已完成 green).

use leptos::prelude::*;

use crate::api::model::{StatusCounts, TaskStatus};

/// The status in its colour with its name (never colour alone).
#[component]
pub fn StatusBadge(
    status: TaskStatus,
    #[prop(default = "status-badge")] testid: &'static str,
) -> impl IntoView {
    view! {
        <span
            class=format!("status-badge {}", status.css())
            data-testid=testid
            data-status=status.code()
        >
            {status.label()}
        </span>
    }
}

/// How far along a task is, as a bar and a percentage.
#[component]
pub fn ProgressBar(percent: i64) -> impl IntoView {
    let percent = percent.clamp(0, 100);
    view! {
        <span class="progress">
            <span
                class="progress-track"
                role="progressbar"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=percent
                aria-label="完成进度"
            >
                <span class="progress-fill" style=format!("width: {percent}%")></span>
            </span>
            <span class="progress-text" data-testid="progress-percent">{percent} "%"</span>
        </span>
    }
}

/// 剩 3 天 / 今天到期 / 逾期 5 天 / 2026-03-20 完成.
pub fn days_left_text(status: TaskStatus, days_left: i64, completed_on: Option<&str>) -> String {
    match (status, completed_on) {
        (TaskStatus::Done, Some(day)) => format!("{day} 完成"),
        (TaskStatus::Done, None) => "已完成".to_owned(),
        _ if days_left < 0 => format!("逾期 {} 天", -days_left),
        _ if days_left == 0 => "今天到期".to_owned(),
        _ => format!("剩 {days_left} 天"),
    }
}

/// The short name of a status in the counts.
fn count_label(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Overdue => "逾期",
        other => other.label(),
    }
}

fn count_testid(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Overdue => "count-overdue",
        TaskStatus::DueSoon => "count-due-soon",
        TaskStatus::OnTrack => "count-on-track",
        TaskStatus::NotStarted => "count-not-started",
        TaskStatus::Done => "count-done",
        TaskStatus::Unknown => "count-unknown",
    }
}

/// The counts by status, most urgent first. With `on_select`, each count is a button that
/// picks its status (`selected` shows which one is picked).
#[component]
pub fn StatusCountGrid(
    counts: StatusCounts,
    #[prop(optional)] on_select: Option<Callback<TaskStatus>>,
    #[prop(into, optional)] selected: Signal<Vec<TaskStatus>>,
) -> impl IntoView {
    let tiles = TaskStatus::ALL
        .into_iter()
        .map(|status| {
            let count = counts.of(status);
            let class = format!(
                "count-tile {}{}",
                status.css(),
                if count > 0 { " count-nonzero" } else { "" }
            );
            let body = view! {
                <span class="count-label">{count_label(status)}</span>
                <span class="count-value" data-testid=count_testid(status)>{count}</span>
            };
            match on_select {
                Some(on_select) => view! {
                    <li>
                        <button
                            type="button"
                            class=class
                            aria-pressed=move || selected.read().contains(&status).to_string()
                            on:click=move |_| on_select.run(status)
                        >
                            {body}
                        </button>
                    </li>
                }
                .into_any(),
                None => view! {
                    <li>
                        <span class=class>{body}</span>
                    </li>
                }
                .into_any(),
            }
        })
        .collect_view();
    view! {
        <ul class="count-grid" data-testid="status-counts" aria-label="按状态统计">
            {tiles}
        </ul>
    }
}
