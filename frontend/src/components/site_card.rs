//! A site on the overview: where it is, its size, a link to its page.

use leptos::prelude::*;

use crate::api::model::SiteSummary;

#[component]
pub fn SiteCard(site: SiteSummary) -> impl IntoView {
    let href = format!("/sites/{}", site.id);
    view! {
        <li class="card site-card" data-testid="site-card">
            <h3 class="card-title">
                <a href=href data-testid="site-link">{site.name}</a>
            </h3>
            <p class="card-meta">{site.town_name}" · "{site.community_name}</p>
            <p class="card-numbers">
                <span>
                    <span data-testid="site-household-count">{site.household_count}</span>
                    " 户"
                </span>
                <span>
                    <span data-testid="site-population">{site.population}</span>
                    " 人"
                </span>
            </p>
        </li>
    }
}
