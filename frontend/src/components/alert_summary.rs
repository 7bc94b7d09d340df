//! The user's open alerts on the overview: the total, and each rule with its clause linking to
//! the feed filtered by it.

use leptos::prelude::*;

use crate::api::AlertCounts;

#[component]
pub fn AlertSummary(counts: AlertCounts) -> impl IntoView {
    let rules = counts
        .by_rule
        .into_iter()
        .map(|count| {
            let class = if count.critical > 0 {
                "alert-summary-rule alert-rule-critical"
            } else {
                "alert-summary-rule"
            };
            view! {
                <li>
                    <a
                        class=class
                        href=format!("/alerts?rule={}", count.rule)
                        data-testid="overview-alert-rule"
                        data-rule=count.rule.clone()
                    >
                        <span class="alert-rule-name">{count.rule_label}</span>
                        <span class="alert-rule-clause">{count.clause}</span>
                        <span class="alert-rule-value" data-testid="overview-alert-rule-open">
                            {count.open}
                        </span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let total_class = if counts.total > 0 {
        "alert-summary-total nonzero"
    } else {
        "alert-summary-total"
    };
    view! {
        <section class="card alert-summary" data-testid="overview-alerts" aria-labelledby="overview-alerts-title">
            <h2 class="alert-summary-title" id="overview-alerts-title">
                <a href="/alerts">"未处理预警"</a>
            </h2>
            <p class=total_class>
                <span class="alert-summary-value" data-testid="overview-alert-total">{counts.total}</span>
                " 条"
            </p>
            {(counts.total == 0).then(|| view! { <p class="empty">"目前没有未处理的预警"</p> })}
            <ul class="alert-summary-rules">{rules}</ul>
        </section>
    }
}
