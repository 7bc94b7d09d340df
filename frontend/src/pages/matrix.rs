//! `/matrix` 责任矩阵 (the lead bureau): counts per unit, filters, the tasks × units grid, the
//! day the statuses are computed for, and the queue of reports and extensions to decide.
//! The filters and the day live in the address (`?asOf=…&annex=…&unit=…&status=…&from=…&to=…`),
//! so the back button and a shared link keep them.

use leptos::prelude::*;
use leptos::web_sys::js_sys::encode_uri_component;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;

use super::{download_callback, is_forbidden};
use crate::api::{
    self,
    model::{domain, MatrixData, MatrixFilter, TaskStatus},
    ApiError,
};
use crate::components::{
    failure_view, ActionError, AsOfPicker, ErrorPanel, Failure, InboxView, Loading, MatrixFilters,
    NoAccess, StatusCountGrid, TaskMatrix, UnitCountList,
};
use crate::dates;

/// What the address asks the matrix for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct MatrixQuery {
    as_of: Option<String>,
    filter: MatrixFilter,
}

impl MatrixQuery {
    fn from_params(params: &ParamsMap) -> MatrixQuery {
        let day = |key: &str| params.get(key).filter(|day| dates::is_day(day));
        MatrixQuery {
            as_of: day("asOf"),
            filter: MatrixFilter {
                annex: params
                    .get("annex")
                    .and_then(|annex| annex.parse().ok())
                    .filter(|annex| (1..=7).contains(annex)),
                unit: params.get("unit").filter(|unit| unit.contains(':')),
                statuses: params
                    .get("status")
                    .map(|codes| codes.split(',').filter_map(TaskStatus::from_code).collect())
                    .unwrap_or_default(),
                deadline_from: day("from"),
                deadline_to: day("to"),
            },
        }
    }

    fn href(&self) -> String {
        let filter = &self.filter;
        let statuses = filter
            .statuses
            .iter()
            .map(|status| status.code())
            .collect::<Vec<_>>()
            .join(",");
        let pairs = [
            ("asOf", self.as_of.clone()),
            ("annex", filter.annex.map(|annex| annex.to_string())),
            ("unit", filter.unit.clone()),
            ("status", (!statuses.is_empty()).then_some(statuses)),
            ("from", filter.deadline_from.clone()),
            ("to", filter.deadline_to.clone()),
        ];
        let query = pairs
            .into_iter()
            .filter_map(|(key, value)| {
                value.map(|value| format!("{key}={}", String::from(encode_uri_component(&value))))
            })
            .collect::<Vec<_>>()
            .join("&");
        if query.is_empty() {
            "/matrix".to_owned()
        } else {
            format!("/matrix?{query}")
        }
    }
}

#[component]
pub fn MatrixPage() -> impl IntoView {
    super::set_page_title("责任矩阵");
    let query_map = use_query_map();
    let query = Memo::new(move |_| MatrixQuery::from_params(&query_map.read()));
    let navigate = use_navigate();
    let go = Callback::new(move |next: MatrixQuery| {
        navigate(&next.href(), NavigateOptions::default());
    });
    let matrix = LocalResource::new(move || {
        let MatrixQuery { as_of, filter } = query.get();
        api::fetch_matrix(filter, as_of)
    });
    let may_decide = api::signed_in_user().is_some_and(|me| me.can_write(domain::RESPONSIBILITY));
    let inbox = may_decide.then(|| {
        let on_changed = Callback::new(move |()| matrix.refetch());
        view! { <InboxSection on_changed /> }
    });
    view! {
        <h1 class="page-title">"责任矩阵"</h1>
        {inbox}
        <Transition fallback=|| view! { <Loading /> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors /> }>
                {move || Suspend::new(async move {
                    match matrix.await {
                        Ok(data) => Ok(matrix_view(data, query.get_untracked(), go).into_any()),
                        Err(error) if is_forbidden(&error) => Ok(
                            view! {
                                <NoAccess
                                    title="无权限查看"
                                    what="责任矩阵仅限牵头部门（区发改局）及有责任清单查看权限的单位使用。"
                                />
                            }
                                .into_any(),
                        ),
                        Err(error) => Err(error),
                    }
                })}
            </ErrorBoundary>
        </Transition>
    }
}

fn matrix_view(data: MatrixData, query: MatrixQuery, go: Callback<MatrixQuery>) -> impl IntoView {
    let board = data.board;
    let current = StoredValue::new(query.clone());
    let update = move |edit: &dyn Fn(&mut MatrixQuery)| {
        let mut next = current.get_value();
        edit(&mut next);
        go.run(next);
    };
    let on_as_of = Callback::new(move |as_of: Option<String>| {
        update(&|next: &mut MatrixQuery| next.as_of = as_of.clone());
    });
    let on_status = Callback::new(move |status: TaskStatus| {
        update(&|next: &mut MatrixQuery| {
            next.filter.statuses = if next.filter.statuses == [status] {
                Vec::new()
            } else {
                vec![status]
            };
        });
    });
    let on_unit = Callback::new(move |key: String| {
        update(&|next: &mut MatrixQuery| {
            next.filter.unit = if next.filter.unit.as_deref() == Some(key.as_str()) {
                None
            } else {
                Some(key.clone())
            };
        });
    });
    let on_filter = Callback::new(move |filter: MatrixFilter| {
        update(&|next: &mut MatrixQuery| next.filter = filter.clone());
    });
    let filter = query.filter.clone();
    let filtered = filter != MatrixFilter::default();
    let selected_statuses = filter.statuses.clone();
    let selected_unit = filter.unit.clone();
    let unit_name = selected_unit.as_ref().and_then(|key| {
        data.bureaus
            .iter()
            .chain(&data.towns)
            .find(|choice| &choice.key == key)
            .map(|choice| choice.name.clone())
    });
    let task_count = board.tasks.len();
    let link_as_of = query.as_of.clone();
    view! {
        <section class="card" data-testid="matrix-summary">
            <AsOfPicker as_of=board.as_of.clone() on_change=on_as_of />
            <StatusCountGrid counts=board.totals on_select=on_status selected=selected_statuses />
        </section>
        <h2 class="section-title">"各单位任务"</h2>
        <p class="form-hint">
            "按逾期、临近期限数排序；点按单位只看该单位的任务"
            {unit_name.map(|name| format!("（当前：{name}）"))}
        </p>
        <UnitCountList units=board.units selected=selected_unit on_select=on_unit />
        <details class="card filters-card" open=filtered>
            <summary data-testid="filters-toggle">"筛选条件"</summary>
            <MatrixFilters filter bureaus=data.bureaus towns=data.towns on_change=on_filter />
        </details>
        <h2 class="section-title">
            "任务 " <span class="count-pill" data-testid="matrix-task-count">{task_count}</span>
        </h2>
        <TaskMatrix tasks=board.tasks as_of=link_as_of />
    }
}

/// 待办审核: the reports and extensions waiting for the lead bureau. After a decision the
/// queue and the matrix (`on_changed`) load again.
#[component]
fn InboxSection(on_changed: Callback<()>) -> impl IntoView {
    let inbox = LocalResource::new(api::fetch_inbox);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let notice = RwSignal::new(None::<&'static str>);
    let act = move |action: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<(), ApiError>>>,
    >,
                    done: &'static str,
                    failed: &'static str| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failure.set(None);
        notice.set(None);
        leptos::task::spawn_local(async move {
            match action.await {
                Ok(()) => {
                    notice.try_set(Some(done));
                    inbox.refetch();
                    on_changed.run(());
                }
                Err(error) => {
                    failure.try_set(Some(Failure::new(failed, error)));
                }
            }
            busy.try_set(false);
        });
    };
    let on_review = Callback::new(move |(id, accept, comment): (String, bool, String)| {
        let done = if accept {
            "已采纳该进展报告"
        } else {
            "已退回该进展报告"
        };
        act(
            Box::pin(api::review_progress_report(id, accept, comment)),
            done,
            "审核失败",
        );
    });
    let on_decide = Callback::new(move |(id, approve, comment): (String, bool, String)| {
        let done = if approve {
            "已批准延期，截止日期已调整"
        } else {
            "已驳回延期申请"
        };
        act(
            Box::pin(api::decide_deadline_extension(id, approve, comment)),
            done,
            "审批失败",
        );
    });
    let download_failure = RwSignal::new(None::<Failure>);
    let on_download = download_callback(download_failure);
    // The summary line tells what waits, so the queue can stay folded on a phone.
    let waiting = move || {
        inbox.get().and_then(|answer| {
            answer.as_ref().ok().map(|inbox| {
                format!(
                    "进展 {} · 延期 {}",
                    inbox.reports.len(),
                    inbox.extensions.len()
                )
            })
        })
    };
    view! {
        <details class="card inbox-card" data-testid="inbox-section">
            <summary data-testid="inbox-toggle">
                <span class="inbox-title">"待办审核"</span>
                <span class="inbox-waiting" data-testid="inbox-waiting">{waiting}</span>
            </summary>
            {move || notice.get().map(|text| view! { <p class="form-notice" role="status" data-testid="inbox-notice">{text}</p> })}
            {failure_view(failure.into())}
            {failure_view(download_failure.into())}
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match inbox.await {
                        Ok(inbox) => view! { <InboxView inbox busy on_review on_decide on_download /> }.into_any(),
                        // Without the right to decide, there is simply no queue to show.
                        Err(error) if is_forbidden(&error) => ().into_any(),
                        Err(error) => view! { <ActionError error heading="待办加载失败" /> }.into_any(),
                    }
                })}
            </Transition>
        </details>
    }
}
