//! Labelled numbers.

use leptos::prelude::*;

/// A grid of `Stat`s.
#[component]
pub fn StatGrid(children: Children) -> impl IntoView {
    view! { <dl class="stat-grid">{children()}</dl> }
}

/// One labelled number; `testid` names it for the browser test.
#[component]
pub fn Stat(
    label: &'static str,
    value: i64,
    #[prop(optional)] unit: &'static str,
    #[prop(optional)] testid: Option<&'static str>,
    #[prop(optional)] warn: bool,
) -> impl IntoView {
    let class = if warn && value > 0 {
        "stat stat-warn"
    } else {
        "stat"
    };
    view! {
        <div class=class>
            <dt>{label}</dt>
            <dd>
                <span class="stat-value" data-testid=testid>
                    {value}
                </span>
                {(!unit.is_empty()).then(|| view! { <span class="stat-unit">{unit}</span> })}
            </dd>
        </div>
    }
}
