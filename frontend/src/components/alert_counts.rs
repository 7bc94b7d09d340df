//! Open alerts counted: a card per rule with its clause, and lists per bureau, town or site.
//! Tapping one picks it as the feed's filter (tapping it again drops the filter).

use leptos::prelude::*;

use crate::api::RuleAlertCount;

/// A card per rule (as the API counts them), with the open and critical alerts.
#[component]
pub fn AlertRuleCards(
    counts: Vec<RuleAlertCount>,
    /// The rule picked now, if any.
    #[prop(optional_no_strip)]
    selected: Option<String>,
    /// Runs with the rule's code.
    on_select: Callback<String>,
) -> impl IntoView {
    if counts.is_empty() {
        return view! { <p class="empty" data-testid="alert-rules-empty">"没有未处理的预警"</p> }
            .into_any();
    }
    let cards = counts
        .into_iter()
        .map(|count| {
            let pressed = selected.as_deref() == Some(count.rule.as_str());
            let code = count.rule.clone();
            let class = if count.critical > 0 {
                "alert-rule-card alert-rule-critical"
            } else {
                "alert-rule-card"
            };
            let critical = (count.critical > 0).then(|| {
                view! {
                    <span class="alert-rule-critical-count">
                        "其中严重 " <span data-testid="alert-rule-critical">{count.critical}</span>
                    </span>
                }
            });
            view! {
                <li>
                    <button
                        type="button"
                        class=class
                        data-testid="alert-rule-card"
                        data-rule=count.rule.clone()
                        aria-pressed=pressed.to_string()
                        on:click=move |_| on_select.run(code.clone())
                    >
                        <span class="alert-rule-name" data-testid="alert-rule-label">{count.rule_label}</span>
                        <span class="alert-rule-clause">
                            "依据 " <span data-testid="alert-rule-clause">{count.clause}</span>
                        </span>
                        <span class="alert-rule-open">
                            <span class="alert-rule-value" data-testid="alert-rule-open">{count.open}</span>
                            " 条"
                        </span>
                        {critical}
                    </button>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="alert-rule-cards" data-testid="alert-rule-cards">{cards}</ul> }.into_any()
}

/// One line of [`AlertCountList`]: a bureau, a town or a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertCountRow {
    /// What picking it filters by (a bureau code, a division code, a site id).
    pub key: String,
    pub name: String,
    /// A second line (the site's town).
    pub detail: Option<String>,
    pub open: i64,
    pub critical: i64,
}

/// Open alerts per unit or site, most first as the API orders them.
#[component]
pub fn AlertCountList(
    rows: Vec<AlertCountRow>,
    /// The key picked now, if any.
    #[prop(optional_no_strip)]
    selected: Option<String>,
    /// Runs with the row's key.
    on_select: Callback<String>,
    /// The test id of each row.
    testid: &'static str,
) -> impl IntoView {
    let rows = rows
        .into_iter()
        .map(|row| {
            let pressed = selected.as_deref() == Some(row.key.as_str());
            let key = row.key.clone();
            let critical_class = if row.critical > 0 {
                "alert-count alert-count-critical nonzero"
            } else {
                "alert-count alert-count-critical"
            };
            view! {
                <li>
                    <button
                        type="button"
                        class="alert-count-row"
                        data-testid=testid
                        data-key=row.key.clone()
                        aria-pressed=pressed.to_string()
                        on:click=move |_| on_select.run(key.clone())
                    >
                        <span class="alert-count-name">
                            <span data-testid="alert-count-name">{row.name}</span>
                            {row.detail.map(|detail| view! { <span class="alert-count-detail">{detail}</span> })}
                        </span>
                        <span class=critical_class>
                            <span class="alert-count-label">"严重"</span>
                            <span data-testid="alert-count-critical">{row.critical}</span>
                        </span>
                        <span class="alert-count">
                            <span class="alert-count-label">"未处理"</span>
                            <span data-testid="alert-count-open">{row.open}</span>
                        </span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="alert-count-list">{rows}</ul> }
}
