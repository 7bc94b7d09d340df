//! The tasks × units grid: ● the responsible unit, ○ a co-operating one. On a phone each task
//! becomes a card listing only its units (CSS only, the same table).

use leptos::prelude::*;

use super::{task_href, StatusBadge};
use crate::api::model::{TaskLine, Unit, UnitKind};

/// The units of `tasks`, bureaus before towns, each once.
fn columns_of(tasks: &[TaskLine]) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    for task in tasks {
        for unit in std::iter::once(&task.responsible_unit).chain(&task.cooperating_units) {
            if !units.iter().any(|known| known.key() == unit.key()) {
                units.push(unit.clone());
            }
        }
    }
    units.sort_by_key(|unit| (unit.kind == UnitKind::Town, unit.code.clone()));
    units
}

#[component]
pub fn TaskMatrix(
    tasks: Vec<TaskLine>,
    /// The day the statuses are for (kept in the links to the tasks).
    #[prop(optional_no_strip)]
    as_of: Option<String>,
) -> impl IntoView {
    if tasks.is_empty() {
        return view! { <p class="empty" data-testid="matrix-empty">"没有符合条件的任务"</p> }
            .into_any();
    }
    let columns = columns_of(&tasks);
    let header = columns
        .iter()
        .map(|unit| {
            view! {
                <th scope="col" class="matrix-unit" title=format!("{}（{}）", unit.name, unit.kind.label())>
                    <span>{unit.short_name.clone()}</span>
                </th>
            }
        })
        .collect_view();
    let rows = tasks
        .into_iter()
        .map(|task| {
            let href = task_href(&task.id, as_of.as_deref());
            let cells = columns
                .iter()
                .map(|unit| {
                    let key = unit.key();
                    let (class, mark, role) = if task.responsible_unit.key() == key {
                        ("cell cell-responsible", "●", "责任单位")
                    } else if task.cooperating_units.iter().any(|other| other.key() == key) {
                        ("cell cell-cooperating", "○", "配合单位")
                    } else {
                        ("cell cell-empty", "", "")
                    };
                    view! {
                        <td class=class data-label=unit.short_name.clone() title=role>
                            {(!mark.is_empty())
                                .then(|| {
                                    view! {
                                        <span class="cell-mark" aria-label=role>{mark}</span>
                                        <span class="cell-role">{role}</span>
                                    }
                                })}
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr class=format!("matrix-row {}", task.status.css()) data-testid="matrix-row" data-task-id=task.id.clone()>
                    <th scope="row" class="matrix-task">
                        <a href=href data-testid="matrix-task-link">
                            <span class="task-code mono">{task.code}</span>
                            <span class="task-title">{task.title}</span>
                        </a>
                        <span class="matrix-task-meta">
                            <StatusBadge status=task.status />
                            <span>"截止 " {task.deadline}</span>
                        </span>
                    </th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="matrix-wrap">
            <table class="task-matrix" data-testid="task-matrix">
                <caption class="matrix-legend">"● 责任单位　○ 配合单位"</caption>
                <thead>
                    <tr>
                        <th scope="col" class="matrix-task">"任务"</th>
                        {header}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
