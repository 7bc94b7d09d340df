//! `/alerts` 预警: the open alerts the user may see counted per rule (with its clause), bureau,
//! town and site; below, the feed, newest first, one page at a time, filtered by rule, state
//! and site (and by a bureau or town picked from the counts). The filter lives in the address
//! (`?rule=ZERO_EMPLOYMENT&state=resolved&site=…&bureau=hrss&town=610202100`), so the back
//! button and a link from the overview keep it.

use leptos::prelude::*;
use leptos::web_sys::js_sys::encode_uri_component;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;

use crate::api::{
    self, alert_rule, Alert, AlertDashboard, AlertFilter, AlertState, ApiError, ALERT_RULES,
};
use crate::components::{
    failure_view, AlertCard, AlertCountList, AlertCountRow, AlertResolution, AlertRuleCards,
    ErrorPanel, Failure, Loading,
};
use crate::dates;

/// The data domain whose writers may close a missed party visit by hand (A6§2.2).
const PARTY_DOMAIN: &str = "party";

fn filter_from_params(params: &ParamsMap) -> AlertFilter {
    let text = |key: &str| params.get(key).filter(|value| !value.trim().is_empty());
    AlertFilter {
        rule: text("rule").filter(|code| alert_rule(code).is_some()),
        state: text("state")
            .and_then(|code| AlertState::from_code(&code))
            .unwrap_or_default(),
        site_id: text("site"),
        bureau_code: text("bureau"),
        town_code: text("town"),
    }
}

fn alerts_href(filter: &AlertFilter) -> String {
    let state = (filter.state != AlertState::Open).then(|| filter.state.code().to_owned());
    let pairs = [
        ("rule", filter.rule.clone()),
        ("state", state),
        ("site", filter.site_id.clone()),
        ("bureau", filter.bureau_code.clone()),
        ("town", filter.town_code.clone()),
    ];
    let query = pairs
        .into_iter()
        .filter_map(|(key, value)| {
            value.map(|value| format!("{key}={}", String::from(encode_uri_component(&value))))
        })
        .collect::<Vec<_>>()
        .join("&");
    if query.is_empty() {
        "/alerts".to_owned()
    } else {
        format!("/alerts?{query}")
    }
}

/// `Some(key)` unless `key` is picked already (tapping a picked count drops the filter).
fn toggle(current: &Option<String>, key: String) -> Option<String> {
    (current.as_deref() != Some(key.as_str())).then_some(key)
}

#[component]
pub fn AlertsPage() -> impl IntoView {
    super::set_page_title("预警");
    let query_map = use_query_map();
    let filter = Memo::new(move |_| filter_from_params(&query_map.read()));
    let navigate = use_navigate();
    let go = Callback::new(move |next: AlertFilter| {
        navigate(&alerts_href(&next), NavigateOptions::default());
    });
    let dashboard = LocalResource::new(api::fetch_alert_dashboard);
    // After 标记已处理 the counts load again.
    let on_changed = Callback::new(move |()| dashboard.refetch());
    view! {
        <h1 class="page-title">"预警"</h1>
        <p class="page-lead">
            "违反实施方案规定的情形，由系统在数据变化时自动发现；数据更新后不再违反的，自动解除。"
        </p>
        <Transition fallback=|| view! { <Loading /> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors /> }>
                {move || {
                    let current = filter.get();
                    Suspend::new(async move {
                        dashboard.await.map(|data| dashboard_view(data, current, go))
                    })
                }}
            </ErrorBoundary>
        </Transition>
        {move || {
            let filter = filter.get();
            view! { <AlertFeed filter on_changed /> }
        }}
    }
}

fn dashboard_view(
    data: AlertDashboard,
    filter: AlertFilter,
    go: Callback<AlertFilter>,
) -> impl IntoView {
    let counts = data.counts;
    let current = StoredValue::new(filter.clone());
    let update = move |edit: &dyn Fn(&mut AlertFilter)| {
        let mut next = current.get_value();
        edit(&mut next);
        go.run(next);
    };
    let on_rule = Callback::new(move |code: String| {
        update(&|next: &mut AlertFilter| next.rule = toggle(&next.rule, code.clone()));
    });
    let on_bureau = Callback::new(move |code: String| {
        update(&|next: &mut AlertFilter| {
            next.bureau_code = toggle(&next.bureau_code, code.clone());
        });
    });
    let on_town = Callback::new(move |code: String| {
        update(&|next: &mut AlertFilter| next.town_code = toggle(&next.town_code, code.clone()));
    });
    let on_site = Callback::new(move |id: String| {
        update(&|next: &mut AlertFilter| next.site_id = toggle(&next.site_id, id.clone()));
    });
    let unit_rows = |rows: Vec<api::UnitAlertCount>| {
        rows.into_iter()
            .map(|row| AlertCountRow {
                name: api::unit_label(&row.unit),
                key: row.unit.code,
                detail: None,
                open: row.open,
                critical: row.critical,
            })
            .collect::<Vec<_>>()
    };
    let bureau_rows = unit_rows(counts.by_bureau);
    let town_rows = unit_rows(counts.by_town);
    let site_rows: Vec<AlertCountRow> = counts
        .by_site
        .into_iter()
        .map(|row| AlertCountRow {
            key: row.site_id,
            name: row.site_name,
            detail: row.town_name,
            open: row.open,
            critical: row.critical,
        })
        .collect();
    let bureau_name = filter.bureau_code.as_ref().map(|code| {
        bureau_rows
            .iter()
            .find(|row| &row.key == code)
            .map_or_else(|| code.clone(), |row| row.name.clone())
    });
    let town_name = filter.town_code.as_ref().map(|code| {
        town_rows
            .iter()
            .find(|row| &row.key == code)
            .map_or_else(|| code.clone(), |row| row.name.clone())
    });
    let section = |title: &'static str,
                   testid: &'static str,
                   rows: Vec<AlertCountRow>,
                   selected: Option<String>,
                   on_select: Callback<String>| {
        (!rows.is_empty()).then(|| {
            view! {
                <section class="alert-count-section" data-testid=format!("{testid}-section")>
                    <h3 class="subsection-title">{title}</h3>
                    <AlertCountList rows selected on_select testid />
                </section>
            }
        })
    };
    view! {
        <section class="card" data-testid="alert-counts" aria-labelledby="alert-counts-title">
            <h2 class="alert-counts-title" id="alert-counts-title">
                "未处理预警 "
                <span class="alert-summary-value" data-testid="alert-total">{counts.total}</span>
                " 条"
            </h2>
            <p class="form-hint alert-counts-hint">"点按规则、单位或安置点，只看其预警；再点一次取消"</p>
            <AlertRuleCards counts=counts.by_rule selected=filter.rule.clone() on_select=on_rule />
            <div class="alert-count-sections">
                {section("各部门", "alert-bureau-count", bureau_rows, filter.bureau_code.clone(), on_bureau)}
                {section("各镇办", "alert-town-count", town_rows, filter.town_code.clone(), on_town)}
                {section("各安置点", "alert-site-count", site_rows, filter.site_id.clone(), on_site)}
            </div>
        </section>
        <FilterForm filter sites=data.sites bureau_name town_name go />
    }
}

/// 规则, 状态 and 安置点, and the bureau or town picked from the counts (with a way to drop it).
#[component]
fn FilterForm(
    filter: AlertFilter,
    sites: Vec<api::SiteChoice>,
    bureau_name: Option<String>,
    town_name: Option<String>,
    go: Callback<AlertFilter>,
) -> impl IntoView {
    let current = StoredValue::new(filter.clone());
    let update = move |edit: &dyn Fn(&mut AlertFilter)| {
        let mut next = current.get_value();
        edit(&mut next);
        go.run(next);
    };
    let rule_options = ALERT_RULES
        .iter()
        .map(|rule| {
            let selected = filter.rule.as_deref() == Some(rule.code);
            view! {
                <option value=rule.code selected=selected title=format!("责任单位：{}", rule.owner)>
                    {format!("{}（{}）", rule.label, rule.clause)}
                </option>
            }
        })
        .collect_view();
    let site_options = sites
        .into_iter()
        .map(|site| {
            let selected = filter.site_id.as_deref() == Some(site.id.as_str());
            view! { <option value=site.id selected=selected>{site.name}</option> }
        })
        .collect_view();
    let state_chips = AlertState::ALL
        .into_iter()
        .map(|state| {
            let pressed = filter.state == state;
            view! {
                <button
                    type="button"
                    class="chip"
                    data-testid=format!("alert-state-{}", state.code())
                    aria-pressed=pressed.to_string()
                    on:click=move |_| update(&|next: &mut AlertFilter| next.state = state)
                >
                    {state.label()}
                </button>
            }
        })
        .collect_view();
    let unit_chip = |label: &'static str, name: Option<String>, clear: fn(&mut AlertFilter)| {
        name.map(|name| {
            view! {
                <button
                    type="button"
                    class="chip"
                    aria-pressed="true"
                    title="取消此筛选"
                    on:click=move |_| update(&|next: &mut AlertFilter| clear(next))
                >
                    {format!("{label}：{name} ✕")}
                </button>
            }
        })
    };
    let bureau_chip = unit_chip("部门", bureau_name, |next| next.bureau_code = None);
    let town_chip = unit_chip("镇办", town_name, |next| next.town_code = None);
    let filtered = filter != AlertFilter::default();
    view! {
        <section class="card alert-filters" data-testid="alert-filters" aria-label="筛选预警">
            <div class="filter-row">
                <label class="field">
                    <span class="field-label">"规则"</span>
                    <select
                        data-testid="alert-filter-rule"
                        on:change=move |event| {
                            let value = event_target_value(&event);
                            update(&|next: &mut AlertFilter| {
                                next.rule = (!value.is_empty()).then(|| value.clone());
                            });
                        }
                    >
                        <option value="" selected=filter.rule.is_none()>"全部规则"</option>
                        {rule_options}
                    </select>
                </label>
                <label class="field">
                    <span class="field-label">"安置点"</span>
                    <select
                        data-testid="alert-filter-site"
                        on:change=move |event| {
                            let value = event_target_value(&event);
                            update(&|next: &mut AlertFilter| {
                                next.site_id = (!value.is_empty()).then(|| value.clone());
                            });
                        }
                    >
                        <option value="" selected=filter.site_id.is_none()>"全部安置点"</option>
                        {site_options}
                    </select>
                </label>
            </div>
            <div class="chips" role="group" aria-label="状态">
                {state_chips}
                {bureau_chip}
                {town_chip}
            </div>
            {filtered.then(|| view! {
                <p class="alert-filter-clear">
                    <a href="/alerts" data-testid="alert-filter-clear">"清除筛选"</a>
                </p>
            })}
        </section>
    }
}

/// The feed for one filter: a page at a time (加载更多), and 标记已处理 on the alerts the user
/// may close. A new filter makes a new feed.
#[component]
fn AlertFeed(filter: AlertFilter, on_changed: Callback<()>) -> impl IntoView {
    let state = filter.state;
    let filter = StoredValue::new(filter);
    let alerts = RwSignal::new(Vec::<Alert>::new());
    let total_count = RwSignal::new(None::<i64>);
    let next_cursor = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    // The alert whose resolution is on its way, and the last refusal (alert id, failure).
    let resolving = RwSignal::new(None::<String>);
    let resolve_failure = RwSignal::new(None::<(String, Failure)>);
    let notice = RwSignal::new(None::<String>);
    let may_write_party = api::signed_in_user().is_some_and(|me| me.can_write(PARTY_DOMAIN));

    // The writes are `try_` because the user may have left the page (or changed the filter)
    // before the answer arrives.
    let load_next_page = move || {
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        failure.set(None);
        let after = next_cursor.get_untracked();
        leptos::task::spawn_local(async move {
            match api::fetch_alerts(filter.get_value(), after).await {
                Ok(page) => {
                    alerts.try_update(|shown| shown.extend(page.alerts));
                    total_count.try_set(Some(page.total_count));
                    next_cursor.try_set(page.next_cursor);
                }
                Err(error) => {
                    failure.try_set(Some(error));
                }
            }
            loading.try_set(false);
        });
    };
    load_next_page();

    let on_resolve = Callback::new(move |(id, note): (String, String)| {
        if resolving.get_untracked().is_some() {
            return;
        }
        resolving.set(Some(id.clone()));
        resolve_failure.set(None);
        notice.set(None);
        leptos::task::spawn_local(async move {
            match api::resolve_alert(id.clone(), note).await {
                Ok(resolved) => {
                    let label = resolved.rule_label.clone();
                    if state == AlertState::Open {
                        // Closed: it leaves the list of open alerts.
                        alerts.try_update(|shown| shown.retain(|alert| alert.id != id));
                        total_count.try_update(|total| {
                            if let Some(total) = total {
                                *total = (*total - 1).max(0);
                            }
                        });
                    } else {
                        alerts.try_update(|shown| {
                            for alert in shown.iter_mut().filter(|alert| alert.id == id) {
                                *alert = resolved.clone();
                            }
                        });
                    }
                    notice.try_set(Some(format!("已将该条“{label}”预警标记为已处理")));
                    on_changed.run(());
                }
                Err(error) => {
                    resolve_failure.try_set(Some((id, Failure::new("标记失败", error))));
                }
            }
            resolving.try_set(None);
        });
    });

    let heading = move || {
        let what = match state {
            AlertState::Open => "未处理预警",
            AlertState::Resolved => "已解除预警",
            AlertState::All => "全部预警",
        };
        view! {
            <h2 class="section-title">
                {what} " "
                <span class="count-pill" data-testid="alert-feed-total">
                    {move || total_count.get().map(|total| total.to_string()).unwrap_or_default()}
                </span>
            </h2>
        }
    };
    // 导出 Excel: the same filter, run by the server as this user.
    let export_failure = RwSignal::new(None::<Failure>);
    let export = filter.with_value(api::alerts_export_path).map(|path| {
        let path = StoredValue::new(path);
        let on_export = move |_| {
            export_failure.set(None);
            let file_name = format!("预警信息-{}.xlsx", dates::today_in_china());
            leptos::task::spawn_local(async move {
                if let Err(error) = api::download(&path.get_value(), &file_name).await {
                    export_failure.try_set(Some(Failure::new("导出失败", error)));
                }
            });
        };
        view! {
            <p class="alert-export">
                <button
                    type="button"
                    class="button button-small button-secondary"
                    data-testid="alert-export"
                    on:click=on_export
                >
                    "导出 Excel"
                </button>
                <span class="form-hint">"按当前筛选条件导出"</span>
            </p>
            {failure_view(export_failure.into())}
        }
    });
    let summary = move || {
        total_count.get().map(|total| {
            let shown = alerts.with(Vec::len);
            view! {
                <p class="list-summary" data-testid="alert-feed-summary">
                    "共 " {total} " 条，已显示 " {shown} " 条（最新在前）"
                </p>
            }
        })
    };
    let empty = move || {
        (total_count.get() == Some(0)).then(|| {
            view! { <p class="empty" data-testid="alert-feed-empty">"没有符合条件的预警"</p> }
        })
    };
    let more_button = move || {
        let has_more = next_cursor.with(Option::is_some);
        (has_more || loading.get()).then(|| {
            view! {
                <button
                    type="button"
                    class="button"
                    data-testid="alert-load-more"
                    disabled=move || loading.get()
                    on:click=move |_| load_next_page()
                >
                    {move || if loading.get() { "正在加载…" } else { "加载更多" }}
                </button>
            }
        })
    };
    let failure_panel = move || {
        failure.get().map(|error| {
            let code = error.code().map(str::to_owned);
            view! {
                <div class="card error-panel" role="alert" data-testid="error">
                    <p class="error-title">{error.title()}</p>
                    <p class="error-detail" data-testid="error-message">{error.to_string()}</p>
                    {code.map(|code| view! { <p class="error-code">"错误代码：" <code>{code}</code></p> })}
                    <button type="button" class="button" on:click=move |_| load_next_page()>
                        "重试"
                    </button>
                </div>
            }
        })
    };

    view! {
        {heading}
        {export}
        <div aria-live="polite" role="status" class="alert-feed-status">
            {move || notice.get().map(|text| view! { <p class="form-notice" data-testid="alert-notice">{text}</p> })}
        </div>
        {summary}
        <ul class="alert-feed" data-testid="alert-feed" aria-busy=move || loading.get().to_string()>
            <For each=move || alerts.get() key=|alert| (alert.id.clone(), alert.resolved_at.clone()) let:alert>
                {
                    let id = alert.id.clone();
                    let resolution = if !alert.resolvable_by_hand {
                        AlertResolution::Automatic
                    } else if may_write_party {
                        AlertResolution::Manual
                    } else {
                        AlertResolution::Restricted
                    };
                    let busy_id = id.clone();
                    let busy = Signal::derive(move || {
                        resolving.with(|current| current.as_deref() == Some(busy_id.as_str()))
                    });
                    let failure = Signal::derive(move || {
                        resolve_failure.with(|last| {
                            last.as_ref()
                                .filter(|(failed, _)| *failed == id)
                                .map(|(_, failure)| failure.clone())
                        })
                    });
                    view! { <AlertCard alert resolution busy failure on_resolve /> }
                }
            </For>
        </ul>
        {empty}
        {failure_panel}
        <div class="list-actions">{more_button}</div>
    }
}
