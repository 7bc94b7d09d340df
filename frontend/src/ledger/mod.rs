//! The one page that renders every ledger of the `ledgers` crate: filters, the list (a table
//! that becomes cards on a phone), paging, the forms that add records, the actions on a row,
//! and the spreadsheet export of what the filters select.

mod form;

use std::collections::HashMap;

use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::api::{self, ApiError};
use crate::components::{failure_view, Failure, Loading};
use form::{choice, LedgerForm, LookupSelect, SearchSelect};
use ledgers::{Column, Filter, Input, Ledger, RowAction, Shape};

/// Rows per page (加载更多 fetches the next).
const PAGE_SIZE: i64 = 20;

/// A loaded row and which of its columns the server withheld from the user.
#[derive(Clone)]
struct Row {
    value: Value,
    withheld: Vec<bool>,
}

/// What the list holds now.
#[derive(Clone, Default)]
struct Listing {
    rows: Vec<Row>,
    total: Option<i64>,
    next: Option<String>,
}

/// The open form: one of the page's forms, or a row action on a row.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OpenForm {
    Page(usize),
    Row { row: usize, action: usize },
}

/// The ledger page; `initial` holds filter values from the address (`?status=OPEN`).
#[component]
pub fn LedgerView(ledger: &'static Ledger, initial: HashMap<String, String>) -> impl IntoView {
    let me = api::signed_in_user();
    let can_write = move |domain: &str| me.as_ref().is_some_and(|me| me.can_write(domain));
    let filter_values: Vec<RwSignal<String>> = ledger
        .filters
        .iter()
        .map(|filter| RwSignal::new(initial.get(filter.variable).cloned().unwrap_or_default()))
        .collect();
    let listing = RwSignal::new(Listing::default());
    let loading = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let notice = RwSignal::new(None::<&'static str>);
    let open = RwSignal::new(None::<OpenForm>);
    // Each reload gets a number; an answer of an older one is dropped.
    let generation = StoredValue::new(0_u64);

    let filter_values_for_load = filter_values.clone();
    let load = Callback::new(move |after: Option<String>| {
        let variables = match variables(ledger, &filter_values_for_load, after.clone()) {
            Ok(variables) => variables,
            Err(problem) => {
                failure.set(Some(Failure::new(
                    "筛选条件有误",
                    ApiError::GraphQl {
                        message: problem,
                        code: None,
                        field: None,
                    },
                )));
                return;
            }
        };
        generation.update_value(|generation| *generation += 1);
        let this = generation.get_value();
        loading.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            let answer = api::run_raw(ledger.query, variables).await;
            if generation.try_get_value() != Some(this) {
                return;
            }
            loading.try_set(false);
            match answer {
                Ok(answer) => {
                    let offset = if after.is_some() {
                        listing.with_untracked(|listing| listing.rows.len())
                    } else {
                        0
                    };
                    let rows: Vec<Row> = ledger
                        .rows(&answer.data)
                        .iter()
                        .enumerate()
                        .map(|(index, value)| Row {
                            value: value.clone(),
                            withheld: ledger
                                .columns
                                .iter()
                                .map(|column| is_withheld(ledger, &answer, index, column))
                                .collect(),
                        })
                        .collect();
                    let total = ledger.total_count(&answer.data);
                    let next = ledger.next_cursor(&answer.data).map(str::to_owned);
                    listing.try_update(|listing| {
                        listing.rows.truncate(offset);
                        listing.rows.extend(rows);
                        listing.total = total;
                        listing.next = next;
                    });
                }
                Err(error) => {
                    failure.try_set(Some(Failure::new("加载失败", error)));
                }
            }
        });
    });
    load.run(None);

    let filters = ledger
        .filters
        .iter()
        .zip(filter_values.iter().copied())
        .map(|(filter, value)| view! { <FilterControl filter value on_change=Callback::new(move |()| load.run(None)) /> })
        .collect_view();

    let page_forms = ledger
        .forms
        .iter()
        .enumerate()
        .filter(|(_, form)| can_write(form.write_domain))
        .map(|(index, form)| {
            let opened = move || open.get() == Some(OpenForm::Page(index));
            view! {
                <button
                    type="button"
                    class="button button-small"
                    data-testid=format!("open-{}", form.key)
                    aria-expanded=move || opened().to_string()
                    on:click=move |_| {
                        notice.set(None);
                        open.set(if opened() { None } else { Some(OpenForm::Page(index)) });
                    }
                >
                    {form.title}
                </button>
            }
        })
        .collect_view();

    let on_done = Callback::new(move |()| {
        open.set(None);
        notice.set(Some("已保存，列表已刷新"));
        load.run(None);
    });
    let on_cancel = Callback::new(move |()| open.set(None));
    let open_form = move || {
        let opened = open.get()?;
        Some(match opened {
            OpenForm::Page(index) => {
                let form = ledger.forms.get(index)?;
                view! { <LedgerForm form on_done on_cancel /> }.into_any()
            }
            OpenForm::Row { row, action } => {
                let action = ledger.row_actions.get(action)?;
                let value = listing
                    .with_untracked(|listing| listing.rows.get(row).map(|row| row.value.clone()))?;
                let subject = ledger
                    .columns
                    .first()
                    .map(|column| ledgers::display(&value, column))
                    .unwrap_or_default();
                view! {
                    <div class="ledger-row-form">
                        <p class="card-kicker">"对「" {subject} "」"</p>
                        <LedgerForm form=&action.form row=value on_done on_cancel />
                    </div>
                }
                .into_any()
            }
        })
    };

    let filter_values_for_export = filter_values.clone();
    let export = move |_| {
        notice.set(None);
        let query = export_query(ledger, &filter_values_for_export);
        leptos::task::spawn_local(async move {
            let path = format!("/exports/ledgers/{}.xlsx{query}", ledger.key);
            if let Err(error) = api::download(&path, &format!("{}.xlsx", ledger.title)).await {
                failure.try_set(Some(Failure::new("导出失败", error)));
            }
        });
    };

    let actions_allowed: Vec<bool> = ledger
        .row_actions
        .iter()
        .map(|action| can_write(action.form.write_domain))
        .collect();
    let table = move || {
        listing.with(|listing| {
            if listing.rows.is_empty() {
                return if loading.get() {
                    ().into_any()
                } else {
                    view! { <p class="empty" data-testid="ledger-empty">"没有符合条件的记录"</p> }
                        .into_any()
                };
            }
            let rows = listing
                .rows
                .iter()
                .enumerate()
                .map(|(index, row)| row_view(ledger, index, row, &actions_allowed, open))
                .collect_view();
            let headers = ledger
                .columns
                .iter()
                .map(|column| view! { <th scope="col">{column.header}</th> })
                .collect_view();
            let action_header =
                (!ledger.row_actions.is_empty()).then_some(view! { <th scope="col">"操作"</th> });
            view! {
                <div class="ledger-table-wrap">
                    <table class="ledger-table" data-testid="ledger-table">
                        <thead><tr>{headers}{action_header}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        })
    };

    let count = move || {
        listing.with(|listing| {
            let shown = listing.rows.len();
            match listing.total {
                Some(total) => format!("共 {total} 条，已显示 {shown} 条"),
                None => format!("共 {shown} 条"),
            }
        })
    };
    let more = move || {
        listing.with(|listing| listing.next.clone()).map(|cursor| {
            let cursor = StoredValue::new(cursor);
            view! {
                <button
                    type="button"
                    class="button button-secondary button-block"
                    data-testid="ledger-more"
                    disabled=move || loading.get()
                    on:click=move |_| load.run(Some(cursor.get_value()))
                >
                    "加载更多"
                </button>
            }
        })
    };

    view! {
        <nav class="breadcrumb" aria-label="位置">
            <a href="/ledgers">"台账"</a>
            <span aria-hidden="true">" › "</span>
            <span>{ledger.title}</span>
        </nav>
        <h1 class="page-title" data-testid="ledger-title">{ledger.title}</h1>
        <p class="page-lead">{ledger.description} " （" {ledger.clause} "）"</p>
        {(!ledger.filters.is_empty()).then(|| view! {
            <section class="card ledger-filters" aria-label="筛选" data-testid="ledger-filters">{filters}</section>
        })}
        <div class="ledger-toolbar">
            {page_forms}
            <button type="button" class="button button-small button-secondary" data-testid="ledger-export" on:click=export>
                "导出 Excel"
            </button>
        </div>
        <div aria-live="polite">
            {move || notice.get().map(|text| view! { <p class="form-notice" data-testid="ledger-notice">{text}</p> })}
        </div>
        {open_form}
        {failure_view(failure.into())}
        <p class="ledger-count" data-testid="ledger-count" aria-live="polite">{count}</p>
        {table}
        {move || loading.get().then(|| view! { <Loading /> })}
        {more}
    }
}

/// One row: a cell per column (labelled for the card layout on phones), then its actions.
fn row_view(
    ledger: &'static Ledger,
    index: usize,
    row: &Row,
    actions_allowed: &[bool],
    open: RwSignal<Option<OpenForm>>,
) -> impl IntoView {
    let cells = ledger
        .columns
        .iter()
        .zip(&row.withheld)
        .map(|(column, withheld)| {
            let text = if *withheld {
                view! { <span class="forbidden">"无权限查看"</span> }.into_any()
            } else {
                ledgers::display(&row.value, column).into_any()
            };
            view! { <td data-label=column.header>{text}</td> }
        })
        .collect_view();
    let actions = (!ledger.row_actions.is_empty()).then(|| {
        let buttons = ledger
            .row_actions
            .iter()
            .enumerate()
            .filter(|(action, row_action)| {
                actions_allowed.get(*action).copied().unwrap_or(false) && applies(row_action, &row.value)
            })
            .map(|(action, row_action)| {
                let target = OpenForm::Row { row: index, action };
                view! {
                    <button
                        type="button"
                        class="button button-small button-secondary"
                        data-testid=format!("row-{}", row_action.form.key)
                        on:click=move |_| {
                            open.set(if open.get_untracked() == Some(target) { None } else { Some(target) });
                            scroll_to_top();
                        }
                    >
                        {row_action.form.title}
                    </button>
                }
            })
            .collect_view();
        view! { <td data-label="操作"><div class="ledger-actions">{buttons}</div></td> }
    });
    view! { <tr data-testid="ledger-row">{cells}{actions}</tr> }
}

/// Whether a row action applies to the row (its `when` condition).
fn applies(action: &RowAction, row: &Value) -> bool {
    match action.when {
        None => true,
        Some((path, values)) => ledgers::value_at(row, path).is_some_and(|value| match value {
            Value::String(text) => values.contains(&text.as_str()),
            other => values.contains(&other.to_string().as_str()),
        }),
    }
}

/// Row forms open above the list: bring them into view.
fn scroll_to_top() {
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

/// Whether the server withheld the column's value in row `index` of the answer (the field or
/// an object on its path carries a `FORBIDDEN_FIELD` error).
fn is_withheld(ledger: &Ledger, answer: &api::RawData, index: usize, column: &Column) -> bool {
    let row_path = match ledger.shape {
        Shape::Connection => format!("{}.nodes.{index}", ledger.root),
        Shape::List => format!("{}.{index}", ledger.root),
    };
    let mut path = row_path;
    column.path.split('.').any(|step| {
        path.push('.');
        path.push_str(step);
        answer.is_forbidden(&path)
    })
}

/// The query's variables: the page and the filled-in filters, typed.
fn variables(
    ledger: &Ledger,
    values: &[RwSignal<String>],
    after: Option<String>,
) -> Result<Value, String> {
    let mut variables = Map::new();
    if ledger.shape == Shape::Connection {
        variables.insert("first".to_owned(), Value::from(PAGE_SIZE));
        if let Some(after) = after {
            variables.insert("after".to_owned(), Value::from(after));
        }
    }
    for (filter, value) in ledger.filters.iter().zip(values) {
        let text = value.get_untracked();
        if text.trim().is_empty() {
            continue;
        }
        let name = filter.variable.split('.').next().unwrap_or(filter.variable);
        let list = ledgers::declares_list(ledger.query, name);
        let value = ledgers::typed_value(&filter.input, &text, list)
            .map_err(|problem| format!("「{}」：{problem}", filter.label))?;
        ledgers::insert_at(&mut variables, filter.variable, value);
    }
    Ok(Value::Object(variables))
}

/// `?variable=value&…` of the filled-in filters, for the export.
fn export_query(ledger: &Ledger, values: &[RwSignal<String>]) -> String {
    let pairs: Vec<String> = ledger
        .filters
        .iter()
        .zip(values)
        .filter_map(|(filter, value)| {
            let text = value.get_untracked();
            let text = text.trim();
            (!text.is_empty()).then(|| {
                format!(
                    "{}={}",
                    filter.variable,
                    leptos::web_sys::js_sys::encode_uri_component(text)
                )
            })
        })
        .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

/// One filter's control; a change reloads the list.
#[component]
fn FilterControl(
    filter: &'static Filter,
    value: RwSignal<String>,
    on_change: Callback<()>,
) -> impl IntoView {
    Effect::new(move |previous: Option<String>| {
        let now = value.get();
        if previous.is_some_and(|previous| previous != now) {
            on_change.run(());
        }
        now
    });
    let id = format!("filter-{}", filter.variable.replace('.', "-"));
    let testid = format!("filter-{}", filter.variable);
    let control = match filter.input {
        Input::Choice(options) => choice(
            id.clone(),
            testid,
            value,
            options.iter().map(|(code, label)| ((*code).to_owned(), (*label).to_owned())).collect(),
            false,
        ),
        Input::Lookup(lookup) => view! { <LookupSelect lookup id=id.clone() testid value /> }.into_any(),
        Input::Search(lookup) => view! { <SearchSelect lookup id=id.clone() testid value /> }.into_any(),
        Input::Checkbox => view! {
            <input
                id=id.clone()
                type="checkbox"
                data-testid=testid
                prop:checked=move || value.get() == "true"
                on:change=move |event| value.set(if event_target_checked(&event) { "true".to_owned() } else { String::new() })
            />
        }
        .into_any(),
        _ => {
            let kind = match filter.input {
                Input::Date => "date",
                Input::Month => "month",
                _ => "text",
            };
            view! {
                <input id=id.clone() type=kind data-testid=testid prop:value=move || value.get() on:change=move |event| value.set(event_target_value(&event)) />
            }
            .into_any()
        }
    };
    view! {
        <label class="field ledger-filter" for=id>
            <span class="field-label">{filter.label}</span>
            {control}
        </label>
    }
}
