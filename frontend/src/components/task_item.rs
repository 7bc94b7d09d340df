//! A task as one line of a list: code, title, status, deadline, days left, progress; tap → task.

use leptos::prelude::*;

use super::{days_left_text, ProgressBar, StatusBadge};
use crate::api::model::{TaskInvolvement, TaskLine};

/// The link of a task's page, keeping the day the list was shown for.
pub fn task_href(id: &str, as_of: Option<&str>) -> String {
    match as_of {
        Some(day) => format!("/tasks/{id}?asOf={day}"),
        None => format!("/tasks/{id}"),
    }
}

#[component]
pub fn TaskItem(
    task: TaskLine,
    /// The day the status is for, when it is not today.
    #[prop(optional)]
    as_of: Option<String>,
) -> impl IntoView {
    let href = task_href(&task.id, as_of.as_deref());
    let days = days_left_text(task.status, task.days_left, task.completed_on.as_deref());
    let cooperating = (task.involvement == TaskInvolvement::Cooperating)
        .then(|| view! { <span class="tag tag-muted">{task.involvement.label()}</span> });
    view! {
        <li class=format!("task-item {}", task.status.css()) data-testid="task-item" data-task-id=task.id.clone()>
            <a href=href data-testid="task-link">
                <span class="task-item-top">
                    <StatusBadge status=task.status />
                    <span class="task-code mono">{task.code}</span>
                    {cooperating}
                </span>
                <span class="task-title" data-testid="task-title">{task.title}</span>
                <span class="task-meta">
                    <span>"截止 " <span data-testid="task-deadline">{task.deadline}</span></span>
                    <span class="task-days" data-testid="task-days-left">{days}</span>
                    <span class="task-unit">{task.responsible_unit.short_name}</span>
                </span>
                <ProgressBar percent=task.progress_percent />
            </a>
        </li>
    }
}
