//! Labelled numbers.

use leptos::prelude::*;

use crate::api::model::Guarded;

/// A grid of `Stat`s.
#[component]
pub fn StatGrid(children: Children) -> impl IntoView {
    view! { <dl class="stat-grid">{children()}</dl> }
}

/// One labelled number; `testid` names it for the browser test. A number the user may not
/// read shows 无权限查看.
#[component]
pub fn Stat(
    label: &'static str,
    #[prop(into)] value: Guarded<i64>,
    #[prop(optional)] unit: &'static str,
    #[prop(optional)] testid: Option<&'static str>,
    #[prop(optional)] warn: bool,
) -> impl IntoView {
    let class = if warn && value.shown().is_some_and(|value| *value > 0) {
        "stat stat-warn"
    } else {
        "stat"
    };
    let shown = match value {
        Guarded::Shown(value) => view! {
            <span class="stat-value" data-testid=testid>
                {value}
            </span>
            {(!unit.is_empty()).then(|| view! { <span class="stat-unit">{unit}</span> })}
        }
        .into_any(),
        Guarded::NotRecorded => view! {
            <span class="stat-value not-recorded" data-testid=testid>"—"</span>
        }
        .into_any(),
        Guarded::Forbidden => view! {
            <span class="forbidden" title="您的角色无权查看此项" data-testid=testid data-forbidden="true">
                "无权限查看"
            </span>
        }
        .into_any(),
    };
    view! {
        <div class=class>
            <dt>{label}</dt>
            <dd>{shown}</dd>
        </div>
    }
}
