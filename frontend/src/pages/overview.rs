//! `/` 区级总览: the user's open alerts per rule, the district's numbers and a card per site.

use leptos::prelude::*;

use crate::api::{self, model::OverviewData};
use crate::components::{
    ActionError, AlertSummary, ErrorPanel, Loading, QuickLinks, SiteCard, Stat, StatGrid,
};
use crate::navigation;

#[component]
pub fn OverviewPage() -> impl IntoView {
    super::set_page_title("区级总览");
    let data = LocalResource::new(api::fetch_district_overview);
    // The other places this user can go (责任清单 …), as cards.
    let places = api::signed_in_user()
        .map(|me| {
            navigation::places_for(&me)
                .into_iter()
                .filter(|place| place.href != "/")
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    // Open alerts, for the users whose places include 预警.
    let alerts = places
        .iter()
        .any(|place| place.href == "/alerts")
        .then(|| view! { <OverviewAlerts /> });
    view! {
        <h1 class="page-title">"区级总览"</h1>
        {alerts}
        <QuickLinks items=places />
        <Transition fallback=|| view! { <Loading /> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors /> }>
                {move || Suspend::new(async move { data.await.map(overview_view) })}
            </ErrorBoundary>
        </Transition>
    }
}

fn overview_view(data: OverviewData) -> impl IntoView {
    let numbers = data.overview;
    let sites = data
        .sites
        .into_iter()
        .map(|site| view! { <SiteCard site /> })
        .collect_view();
    view! {
        <section class="card" data-testid="district-overview">
            <StatGrid>
                <Stat label="安置点" value=numbers.site_count unit="个" testid="overview-site-count" />
                <Stat label="搬迁户" value=numbers.household_count unit="户" testid="overview-household-count" />
                <Stat label="搬迁人口" value=numbers.population unit="人" testid="overview-population" />
                <Stat label="劳动力" value=numbers.labour_force_count unit="人" testid="overview-labour-force" />
                <Stat label="已就业" value=numbers.employed_count unit="人" testid="overview-employed" />
                <Stat
                    label="零就业户"
                    value=numbers.zero_employment_household_count
                    unit="户"
                    testid="overview-zero-employment"
                    warn=true
                />
            </StatGrid>
        </section>
        <h2 class="section-title">"安置点"</h2>
        <ul class="card-list" data-testid="site-list">{sites}</ul>
    }
}

/// The user's open alerts: the total and each rule, linking to the feed filtered by it.
#[component]
fn OverviewAlerts() -> impl IntoView {
    let counts = LocalResource::new(api::fetch_alert_counts);
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match counts.await {
                    Ok(counts) => view! { <AlertSummary counts /> }.into_any(),
                    Err(error) => view! { <ActionError error heading="预警加载失败" /> }.into_any(),
                }
            })}
        </Transition>
    }
}
