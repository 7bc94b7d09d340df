//! The matrix's controls: the day the statuses are computed for ("as of"), and the filters
//! (annex, unit, status, deadline range).

use leptos::prelude::*;

use crate::api::model::{MatrixFilter, TaskStatus, UnitChoice};
use crate::dates;

/// 截至日期: a date field and steps of a week or a month, so the lead bureau sees the list turn
/// yellow and red as deadlines pass. `on_change(None)` goes back to today.
#[component]
pub fn AsOfPicker(as_of: String, on_change: Callback<Option<String>>) -> impl IntoView {
    let is_today = as_of == dates::today_in_china();
    let step = |days: i64, label: &'static str, testid: &'static str| {
        let target = dates::add_days(&as_of, days);
        view! {
            <button
                type="button"
                class="chip"
                data-testid=testid
                on:click=move |_| {
                    if let Some(day) = target.clone() {
                        on_change.run(Some(day));
                    }
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="as-of" data-testid="as-of">
            <label class="as-of-field">
                <span class="field-label">"截至日期"</span>
                <input
                    type="date"
                    data-testid="as-of-input"
                    prop:value=as_of.clone()
                    on:change=move |event| {
                        let day = event_target_value(&event);
                        if dates::is_day(&day) {
                            on_change.run(Some(day));
                        }
                    }
                />
            </label>
            <div class="chips">
                {step(-7, "前一周", "as-of-earlier-week")}
                {step(7, "后一周", "as-of-later-week")}
                {step(30, "后一月", "as-of-later-month")}
                <button
                    type="button"
                    class="chip"
                    data-testid="as-of-today"
                    disabled=is_today
                    on:click=move |_| on_change.run(None)
                >
                    "今天"
                </button>
            </div>
            {(!is_today)
                .then(|| {
                    view! {
                        <p class="as-of-note" data-testid="as-of-note">
                            "正在查看 " {as_of.clone()} " 时的状态（按当前进展推算）"
                        </p>
                    }
                })}
        </div>
    }
}

/// The filters; every change hands the whole new filter to `on_change`.
#[component]
pub fn MatrixFilters(
    filter: MatrixFilter,
    bureaus: Vec<UnitChoice>,
    towns: Vec<UnitChoice>,
    on_change: Callback<MatrixFilter>,
) -> impl IntoView {
    let filter = StoredValue::new(filter);
    let change = move |edit: &dyn Fn(&mut MatrixFilter)| {
        let mut next = filter.get_value();
        edit(&mut next);
        on_change.run(next);
    };
    let annex = filter.with_value(|filter| filter.annex);
    let annex_options = (1..=7)
        .map(|number: i64| {
            view! {
                <option value=number.to_string() selected=annex == Some(number)>
                    {format!("附件{number}")}
                </option>
            }
        })
        .collect_view();
    let unit = filter.with_value(|filter| filter.unit.clone());
    let unit_options = |choices: Vec<UnitChoice>| {
        choices
            .into_iter()
            .map(|choice| {
                let selected = unit.as_deref() == Some(choice.key.as_str());
                view! {
                    <option value=choice.key selected=selected>
                        {choice.name}
                    </option>
                }
            })
            .collect_view()
    };
    let bureau_options = unit_options(bureaus);
    let town_options = unit_options(towns);
    let status_chips = TaskStatus::ALL
        .into_iter()
        .map(|status| {
            let on = filter.with_value(|filter| filter.statuses.contains(&status));
            view! {
                <button
                    type="button"
                    class=format!("chip chip-status {}", status.css())
                    aria-pressed=on.to_string()
                    data-testid=format!("filter-status-{}", status.code())
                    on:click=move |_| {
                        change(&|filter: &mut MatrixFilter| {
                            if let Some(at) = filter.statuses.iter().position(|s| *s == status) {
                                filter.statuses.remove(at);
                            } else {
                                filter.statuses.push(status);
                            }
                        })
                    }
                >
                    {status.label()}
                </button>
            }
        })
        .collect_view();
    let from = filter.with_value(|filter| filter.deadline_from.clone().unwrap_or_default());
    let to = filter.with_value(|filter| filter.deadline_to.clone().unwrap_or_default());
    let is_filtered = filter.with_value(|filter| *filter != MatrixFilter::default());
    view! {
        <div class="filters" data-testid="matrix-filters">
            <div class="filter-row">
                <label class="field">
                    <span class="field-label">"附件"</span>
                    <select
                        data-testid="filter-annex"
                        on:change=move |event| {
                            let value = event_target_value(&event).parse::<i64>().ok();
                            change(&|filter: &mut MatrixFilter| filter.annex = value)
                        }
                    >
                        <option value="" selected=annex.is_none()>"全部附件"</option>
                        {annex_options}
                    </select>
                </label>
                <label class="field">
                    <span class="field-label">"单位"</span>
                    <select
                        data-testid="filter-unit"
                        on:change=move |event| {
                            let value = event_target_value(&event);
                            let value = (!value.is_empty()).then_some(value);
                            change(&|filter: &mut MatrixFilter| filter.unit = value.clone())
                        }
                    >
                        <option value="" selected=unit.is_none()>"全部单位"</option>
                        <optgroup label="区级部门">{bureau_options}</optgroup>
                        <optgroup label="镇办">{town_options}</optgroup>
                    </select>
                </label>
            </div>
            <div class="field">
                <span class="field-label">"状态"</span>
                <div class="chips">{status_chips}</div>
            </div>
            <div class="filter-row">
                <label class="field">
                    <span class="field-label">"截止日期从"</span>
                    <input
                        type="date"
                        data-testid="filter-deadline-from"
                        prop:value=from
                        on:change=move |event| {
                            let value = event_target_value(&event);
                            let value = dates::is_day(&value).then_some(value);
                            change(&|filter: &mut MatrixFilter| filter.deadline_from = value.clone())
                        }
                    />
                </label>
                <label class="field">
                    <span class="field-label">"至"</span>
                    <input
                        type="date"
                        data-testid="filter-deadline-to"
                        prop:value=to
                        on:change=move |event| {
                            let value = event_target_value(&event);
                            let value = dates::is_day(&value).then_some(value);
                            change(&|filter: &mut MatrixFilter| filter.deadline_to = value.clone())
                        }
                    />
                </label>
            </div>
            {is_filtered
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="button button-small button-secondary"
                            data-testid="filter-clear"
                            on:click=move |_| on_change.run(MatrixFilter::default())
                        >
                            "清除筛选"
                        </button>
                    }
                })}
        </div>
    }
}
