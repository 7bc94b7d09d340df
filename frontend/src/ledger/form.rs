//! One ledger form: its controls built from the [`ledgers::Form`] description, checked here for
//! what is obviously missing, then sent as the mutation's `$input`. The server has the last
//! word; its refusal is shown with the field it names.

use leptos::prelude::*;
use leptos::web_sys;
use serde_json::{Map, Value};

use crate::api;
use crate::components::{failure_view, Failure};
use ledgers::{Field, Form, Input, Lookup, Shape};

/// The form; `row` is the record a row action works on. `on_done` runs after the server
/// accepted it (the page reloads the list).
#[component]
pub fn LedgerForm(
    form: &'static Form,
    #[prop(optional)] row: Option<Value>,
    on_done: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let values: Vec<RwSignal<String>> = form
        .fields
        .iter()
        .map(|field| RwSignal::new(initial_text(field)))
        .collect();
    let problem = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<Failure>);
    let busy = RwSignal::new(false);
    let values_for_submit = values.clone();
    let row_for_controls = row.clone();
    let submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let texts: Vec<String> = values_for_submit
            .iter()
            .map(|value| value.get_untracked())
            .collect();
        let input = match build_input(form, &texts, row.as_ref()) {
            Ok(input) => input,
            Err(message) => {
                problem.set(Some(message));
                return;
            }
        };
        problem.set(None);
        failure.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = api::run_raw(form.mutation, serde_json::json!({ "input": input })).await;
            busy.try_set(false);
            match answer {
                Ok(_) => on_done.run(()),
                Err(error) => {
                    failure.try_set(Some(Failure::new("保存失败", error)));
                }
            }
        });
    };
    // The field the server's refusal names, if any (`extensions.field`).
    let refused_field = move || {
        failure.with(|failure| {
            failure
                .as_ref()
                .and_then(|failure| failure.error.field().map(str::to_owned))
        })
    };
    let controls = form
        .fields
        .iter()
        .zip(values)
        .filter(|(field, _)| !matches!(field.input, Input::FromRow(_) | Input::FromItem(_)))
        .map(|(field, value)| {
            let id = format!("{}-{}", form.key, field.name.replace('.', "-"));
            let invalid = move || refused_field().is_some_and(|name| name == field.name);
            let control = control(field, value, id.clone(), row_for_controls.as_ref());
            view! {
                <label class="field" for=id>
                    <span class="field-label">
                        {field.label}
                        {field.required.then_some(view! { <span class="required" aria-hidden="true">" *"</span> })}
                    </span>
                    {control}
                    {(!field.hint.is_empty()).then(|| view! { <span class="field-hint">{field.hint}</span> })}
                    {move || invalid().then_some(view! { <span class="field-error">"此项有误"</span> })}
                </label>
            }
        })
        .collect_view();
    view! {
        <form
            class="card ledger-form"
            data-testid=format!("form-{}", form.key)
            on:submit=submit
            novalidate=true
        >
            <h3 class="ledger-form-title">{form.title}</h3>
            <div class="ledger-form-fields">{controls}</div>
            {move || problem.get().map(|message| view! { <p class="form-error" role="alert" data-testid="form-problem">{message}</p> })}
            {failure_view(failure.into())}
            <p class="ledger-form-actions">
                <button type="submit" class="button" disabled=move || busy.get() data-testid="form-submit">
                    {move || if busy.get() { "正在保存…" } else { "保存" }}
                </button>
                <button type="button" class="button button-secondary" on:click=move |_| on_cancel.run(())>
                    "取消"
                </button>
            </p>
        </form>
    }
}

fn initial_text(field: &Field) -> String {
    match field.input {
        Input::Checkbox => "false".to_owned(),
        _ => String::new(),
    }
}

/// The `$input` object of the typed-in texts (in field order) and the row; `Err` says in
/// Chinese what is missing or malformed.
fn build_input(form: &Form, texts: &[String], row: Option<&Value>) -> Result<Value, String> {
    let mut input = Map::new();
    let item = picked_item(form, texts, row);
    for (field, text) in form.fields.iter().zip(texts) {
        let hidden = match field.input {
            Input::FromRow(path) => Some(row.and_then(|row| ledgers::value_at(row, path))),
            Input::FromItem(path) => Some(item.and_then(|item| ledgers::value_at(item, path))),
            _ => None,
        };
        if let Some(value) = hidden {
            let value = value
                .cloned()
                .ok_or_else(|| "缺少所需的数据：请先选择要办理的条目，或刷新后重试".to_owned())?;
            ledgers::insert_at(&mut input, field.name, value);
            continue;
        }
        if text.trim().is_empty() {
            if field.required {
                return Err(format!("请填写「{}」", field.label));
            }
            continue;
        }
        let value = ledgers::typed_value(&field.input, text, false)
            .map_err(|problem| format!("「{}」：{problem}", field.label))?;
        ledgers::insert_at(&mut input, field.name, value);
    }
    Ok(Value::Object(input))
}

/// The item of the row's list that the form's [`Input::RowItem`] field picked, if any.
fn picked_item<'a>(form: &Form, texts: &[String], row: Option<&'a Value>) -> Option<&'a Value> {
    form.fields
        .iter()
        .zip(texts)
        .find_map(|(field, text)| match field.input {
            Input::RowItem { list, .. } => row_items(row?, list)
                .into_iter()
                .find(|item| item.get("id").and_then(Value::as_str) == Some(text.as_str())),
            _ => None,
        })
}

/// The items of the list at `path` in the row.
fn row_items<'a>(row: &'a Value, path: &str) -> Vec<&'a Value> {
    ledgers::value_at(row, path)
        .and_then(Value::as_array)
        .map(|items| items.iter().collect())
        .unwrap_or_default()
}

/// The control of one field, bound to `value`.
fn control(
    field: &'static Field,
    value: RwSignal<String>,
    id: String,
    row: Option<&Value>,
) -> AnyView {
    let on_input = move |event| value.set(event_target_value(&event));
    let testid = format!("field-{}", field.name);
    match field.input {
        Input::LongText => view! {
            <textarea id=id rows="3" data-testid=testid prop:value=move || value.get() on:input=on_input></textarea>
        }
        .into_any(),
        Input::Checkbox => view! {
            <input
                id=id
                type="checkbox"
                data-testid=testid
                prop:checked=move || value.get() == "true"
                on:change=move |event| value.set(event_target_checked(&event).to_string())
            />
        }
        .into_any(),
        Input::Choice(options) => choice(id, testid, value, options.iter().map(|(code, label)| ((*code).to_owned(), (*label).to_owned())).collect(), field.required),
        Input::Lookup(lookup) => view! { <LookupSelect lookup id testid value /> }.into_any(),
        Input::Search(lookup) => view! { <SearchSelect lookup id testid value /> }.into_any(),
        Input::RowItem { list, label } => {
            let options = row
                .map(|row| row_items(row, list))
                .unwrap_or_default()
                .into_iter()
                .filter_map(|item| {
                    let id = item.get("id")?.as_str()?.to_owned();
                    let text = ledgers::value_at(item, label)
                        .map(|label| match label {
                            Value::String(text) => text.clone(),
                            other => other.to_string(),
                        })
                        .unwrap_or_else(|| id.clone());
                    Some((id, text))
                })
                .collect();
            choice(id, testid, value, options, true)
        }
        Input::FromRow(_) | Input::FromItem(_) => ().into_any(),
        _ => {
            let (kind, mode) = match field.input {
                Input::Integer | Input::Year => ("text", "numeric"),
                Input::Decimal | Input::Fen | Input::TenThousandthMu => ("text", "decimal"),
                Input::Date => ("date", "text"),
                Input::Month => ("month", "text"),
                _ => ("text", "text"),
            };
            view! {
                <input
                    id=id
                    type=kind
                    inputmode=mode
                    data-testid=testid
                    prop:value=move || value.get()
                    on:input=on_input
                />
            }
            .into_any()
        }
    }
}

/// A select of fixed options; an empty first option unless a value is required.
pub fn choice(
    id: String,
    testid: String,
    value: RwSignal<String>,
    options: Vec<(String, String)>,
    required: bool,
) -> AnyView {
    let first = if required {
        "请选择"
    } else {
        "（不限）"
    };
    let options = options
        .into_iter()
        .map(|(code, label)| {
            let selected = code.clone();
            view! { <option value=code prop:selected=move || value.get() == selected>{label}</option> }
        })
        .collect_view();
    view! {
        <select id=id data-testid=testid on:change=move |event| value.set(event_target_value(&event))>
            <option value="" prop:selected=move || value.get().is_empty()>{first}</option>
            {options}
        </select>
    }
    .into_any()
}

/// A select whose options come from the server (towns, sites, postings, …).
#[component]
pub fn LookupSelect(
    lookup: &'static Lookup,
    id: String,
    testid: String,
    value: RwSignal<String>,
) -> impl IntoView {
    let options = LocalResource::new(move || load_options(lookup));
    move || match options.get() {
        None => view! { <select id=id.clone() disabled=true><option>"正在加载…"</option></select> }
            .into_any(),
        Some(Err(error)) => {
            view! { <span class="form-error">{format!("选项加载失败：{error}")}</span> }.into_any()
        }
        Some(Ok(options)) => choice(id.clone(), testid.clone(), value, options, false),
    }
}

/// A record found by typing the start of its name or code, then picked from the matches.
#[component]
pub fn SearchSelect(
    lookup: &'static Lookup,
    id: String,
    testid: String,
    value: RwSignal<String>,
) -> impl IntoView {
    let matches = RwSignal::new(None::<Result<Vec<(String, String)>, api::ApiError>>);
    // Each search gets a number; the answer of an older one is dropped.
    let generation = StoredValue::new(0_u64);
    let on_input = move |event| {
        let text: String = event_target_value(&event);
        value.set(String::new());
        generation.update_value(|generation| *generation += 1);
        let this = generation.get_value();
        if text.trim().is_empty() {
            matches.set(None);
            return;
        }
        leptos::task::spawn_local(async move {
            let variables = serde_json::json!({ "search": text.trim() });
            let found = load_options_with(lookup, variables).await;
            if generation.try_get_value() == Some(this) {
                if let Ok([(only, _)]) = found.as_deref() {
                    value.try_set(only.clone());
                }
                matches.try_set(Some(found));
            }
        });
    };
    let picker_testid = format!("{testid}-matches");
    let picker = move || match matches.get() {
        None => ().into_any(),
        Some(Err(error)) => {
            view! { <span class="form-error">{format!("搜索失败：{error}")}</span> }.into_any()
        }
        Some(Ok(found)) if found.is_empty() => {
            view! { <span class="field-hint">"没有匹配的记录"</span> }.into_any()
        }
        Some(Ok(found)) => choice(String::new(), picker_testid.clone(), value, found, true),
    };
    view! {
        <input id=id type="search" placeholder="输入开头几个字搜索" data-testid=testid on:input=on_input />
        {picker}
    }
}

/// The (value, label) pairs of a lookup.
pub async fn load_options(lookup: &'static Lookup) -> Result<Vec<(String, String)>, api::ApiError> {
    load_options_with(lookup, Value::Object(Map::new())).await
}

async fn load_options_with(
    lookup: &'static Lookup,
    variables: Value,
) -> Result<Vec<(String, String)>, api::ApiError> {
    let answer = api::run_raw(lookup.query, variables).await?;
    let root = answer.data.get(lookup.root);
    let list = match lookup.shape {
        Shape::Connection => root.and_then(|root| root.get("nodes")),
        Shape::List => root,
    };
    let text = |item: &Value, path: &str| {
        ledgers::value_at(item, path).map(|value| match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
    };
    Ok(list
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| Some((text(item, lookup.value)?, text(item, lookup.label)?)))
                .collect()
        })
        .unwrap_or_default())
}
