//! Overdue and due-soon tasks per responsible unit; tapping a unit picks it. At first only the
//! units with something red or yellow are listed (and the one picked); the rest on request.

use leptos::prelude::*;

use crate::api::model::UnitCounts;

#[component]
pub fn UnitCountList(
    units: Vec<UnitCounts>,
    /// The key of the unit picked now, if any.
    #[prop(optional_no_strip)]
    selected: Option<String>,
    /// Runs with the key of the unit tapped.
    on_select: Callback<String>,
) -> impl IntoView {
    if units.is_empty() {
        return view! { <p class="empty">"没有符合条件的任务"</p> }.into_any();
    }
    let all_count = units.len();
    let urgent = |entry: &UnitCounts| {
        entry.counts.overdue > 0
            || entry.counts.due_soon > 0
            || selected.as_deref() == Some(entry.unit.key().as_str())
    };
    let urgent_count = units.iter().filter(|entry| urgent(entry)).count();
    // Nothing to hide when every unit (or none) has something urgent.
    let show_all = RwSignal::new(urgent_count == 0 || urgent_count == all_count);
    let rows = units
        .into_iter()
        .map(|entry| {
            let is_urgent = urgent(&entry);
            let key = entry.unit.key();
            let pressed = selected.as_deref() == Some(key.as_str());
            let counts = entry.counts;
            let key_for_click = key.clone();
            let overdue_class = if counts.overdue > 0 {
                "unit-count unit-overdue nonzero"
            } else {
                "unit-count unit-overdue"
            };
            let due_soon_class = if counts.due_soon > 0 {
                "unit-count unit-due-soon nonzero"
            } else {
                "unit-count unit-due-soon"
            };
            view! {
                <li hidden=move || !is_urgent && !show_all.get()>
                    <button
                        type="button"
                        class="unit-count-row"
                        data-testid="unit-count-row"
                        data-unit=key
                        aria-pressed=pressed.to_string()
                        title=entry.unit.name.clone()
                        on:click=move |_| on_select.run(key_for_click.clone())
                    >
                        <span class="unit-name" data-testid="unit-name">{entry.unit.short_name}</span>
                        <span class=overdue_class>
                            <span class="unit-count-label">"逾期"</span>
                            <span data-testid="unit-overdue">{counts.overdue}</span>
                        </span>
                        <span class=due_soon_class>
                            <span class="unit-count-label">"临近"</span>
                            <span data-testid="unit-due-soon">{counts.due_soon}</span>
                        </span>
                        <span class="unit-count unit-total">
                            <span class="unit-count-label">"共"</span>
                            <span data-testid="unit-total">{counts.total}</span>
                        </span>
                    </button>
                </li>
            }
        })
        .collect_view();
    let toggle = move || {
        (!show_all.get()).then(|| {
            view! {
                <button
                    type="button"
                    class="button button-small button-secondary unit-count-more"
                    data-testid="unit-counts-all"
                    on:click=move |_| show_all.set(true)
                >
                    {format!("显示全部 {all_count} 个单位")}
                </button>
            }
        })
    };
    view! {
        <ul class="unit-count-list" data-testid="unit-counts">{rows}</ul>
        {toggle}
    }
    .into_any()
}
