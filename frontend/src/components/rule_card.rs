//! The outcome of one of the seed's rules for a site, with its basis and clause.

use leptos::prelude::*;

use crate::api::model::RuleOutcome;

#[component]
pub fn RuleCard(title: &'static str, outcome: RuleOutcome, testid: &'static str) -> impl IntoView {
    view! {
        <section class="card rule-card" data-testid=testid>
            <h3 class="card-kicker">{title}</h3>
            <p class="rule-label">{outcome.label}</p>
            <p class="rule-basis">{outcome.basis}</p>
            <p class="rule-clause">"依据：" {outcome.clause}</p>
        </section>
    }
}
