//! `/tasks` 我的任务: the tasks of the user's units — what is red, what is due — most urgent
//! first.

use leptos::prelude::*;

use crate::api::{
    self,
    model::{TaskBoard, TaskStatus},
};
use crate::components::{ErrorPanel, Loading, StatusCountGrid, TaskItem};

#[component]
pub fn MyTasksPage() -> impl IntoView {
    super::set_page_title("我的任务");
    let board = LocalResource::new(|| api::fetch_my_tasks(None));
    view! {
        <h1 class="page-title">"我的任务"</h1>
        <Transition fallback=|| view! { <Loading /> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors /> }>
                {move || Suspend::new(async move { board.await.map(my_tasks_view) })}
            </ErrorBoundary>
        </Transition>
    }
}

fn my_tasks_view(board: TaskBoard) -> impl IntoView {
    // Tapping a count shows only the tasks of that status; tapping it again shows all.
    let picked = RwSignal::new(Vec::<TaskStatus>::new());
    let on_select = Callback::new(move |status: TaskStatus| {
        picked.update(|picked| {
            if picked.contains(&status) {
                picked.clear();
            } else {
                *picked = vec![status];
            }
        });
    });
    let tasks = StoredValue::new(board.tasks);
    let list = move || {
        let picked = picked.get();
        let shown: Vec<_> = tasks.with_value(|tasks| {
            tasks
                .iter()
                .filter(|task| picked.is_empty() || picked.contains(&task.status))
                .cloned()
                .collect()
        });
        if shown.is_empty() {
            let text = if picked.is_empty() {
                "本单位暂无责任任务"
            } else {
                "没有这一状态的任务"
            };
            return view! { <p class="empty" data-testid="tasks-empty">{text}</p> }.into_any();
        }
        let items = shown
            .into_iter()
            .map(|task| view! { <TaskItem task /> })
            .collect_view();
        view! { <ul class="task-list" data-testid="task-list">{items}</ul> }.into_any()
    };
    view! {
        <p class="page-lead" data-testid="my-tasks-as-of">
            "截至 " {board.as_of} "，本单位负责及配合的任务，按紧急程度排列"
        </p>
        <section class="card" data-testid="my-tasks">
            <StatusCountGrid counts=board.totals on_select selected=picked />
            <p class="form-hint">"点按数字只看该状态的任务，再点一次显示全部。"</p>
        </section>
        {list}
    }
}
