//! `/households/:id` 搬迁户: a household, its flags and its members.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{self, model::HouseholdDetail};
use crate::components::{ErrorPanel, Loading, MemberTable, Stat, StatGrid};

#[component]
pub fn HouseholdPage() -> impl IntoView {
    let params = use_params_map();
    let household_id = move || params.read().get("id").unwrap_or_default();
    let household = LocalResource::new(move || api::fetch_household(household_id()));
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors /> }>
                {move || Suspend::new(async move { household.await.map(household_view) })}
            </ErrorBoundary>
        </Transition>
    }
}

fn household_view(household: HouseholdDetail) -> impl IntoView {
    super::set_page_title(&format!("搬迁户 {}", household.code));
    let site_href = format!("/sites/{}", household.site_id);
    let not_recorded = || "未登记".to_owned();
    view! {
        <nav class="breadcrumb" aria-label="位置">
            <a href="/">"区级总览"</a>
            <span aria-hidden="true">" › "</span>
            <a href=site_href.clone()>{household.site_name.clone()}</a>
            <span aria-hidden="true">" › "</span>
            <span>{household.code.clone()}</span>
        </nav>
        <h1 class="page-title">"搬迁户 " <span data-testid="household-code">{household.code.clone()}</span></h1>
        <p class="tags" data-testid="household-flags">
            {household.registered_poor.then(|| view! { <span class="tag">"建档立卡贫困户"</span> })}
            {household.is_zero_employment.then(|| view! { <span class="tag tag-warn">"零就业户"</span> })}
            {household.archived.then(|| view! { <span class="tag tag-muted">"已归档"</span> })}
        </p>
        <section class="card">
            <dl class="facts">
                <div>
                    <dt>"安置点"</dt>
                    <dd>
                        <a href=site_href data-testid="household-site-link">{household.site_name.clone()}</a>
                    </dd>
                </div>
                <div>
                    <dt>"房号"</dt>
                    <dd data-testid="household-flat">{household.flat_label.clone().unwrap_or_else(not_recorded)}</dd>
                </div>
                <div>
                    <dt>"迁出村"</dt>
                    <dd data-testid="household-origin-village">
                        {household.origin_village_name.clone().unwrap_or_else(not_recorded)}
                    </dd>
                </div>
                <div>
                    <dt>"户主"</dt>
                    <dd>{household.head_name.clone().unwrap_or_else(not_recorded)}</dd>
                </div>
                <div>
                    <dt>"搬迁入住日期"</dt>
                    <dd>{household.relocated_on.clone().unwrap_or_else(not_recorded)}</dd>
                </div>
            </dl>
        </section>
        <section class="card">
            <StatGrid>
                <Stat label="家庭人口" value=household.member_count unit="人" testid="household-member-count" />
                <Stat label="劳动力" value=household.labour_force_count unit="人" />
                <Stat label="已就业" value=household.employed_count unit="人" />
            </StatGrid>
        </section>
        <h2 class="section-title">"家庭成员"</h2>
        <MemberTable members=household.members />
    }
}
