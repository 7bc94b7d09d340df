//! `/households/:id` 搬迁户: a household, its flags and its members.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{
    self,
    model::{domain, Guarded, HouseholdDetail},
};
use crate::components::{
    ErrorPanel, Forbidden, GuardedValue, Loading, MemberTable, NoAccess, Stat, StatGrid,
};

#[component]
pub fn HouseholdPage() -> impl IntoView {
    let may_read_registry = api::signed_in_user().is_some_and(|me| me.can_read(domain::IDENTITY));
    if !may_read_registry {
        super::set_page_title("无权访问");
        return view! { <NoAccess what="您的角色不能查看搬迁户名册。如需查看，请联系安全管理员。" /> }
            .into_any();
    }
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
    .into_any()
}

fn household_view(household: HouseholdDetail) -> impl IntoView {
    let code = match &household.code {
        Guarded::Shown(code) => code.clone(),
        Guarded::NotRecorded | Guarded::Forbidden => "—".to_owned(),
    };
    super::set_page_title(&format!("搬迁户 {code}"));
    let site_href = format!("/sites/{}", household.site_id);
    let members = match household.members {
        Guarded::Shown(members) => view! { <MemberTable members /> }.into_any(),
        Guarded::NotRecorded => view! { <p class="empty">"暂无成员信息"</p> }.into_any(),
        Guarded::Forbidden => {
            view! { <p class="empty"><Forbidden testid="members-forbidden" /></p> }.into_any()
        }
    };
    let flag = |value: &Guarded<bool>| value.shown() == Some(&true);
    view! {
        <nav class="breadcrumb" aria-label="位置">
            <a href="/">"区级总览"</a>
            <span aria-hidden="true">" › "</span>
            <a href=site_href.clone()>{household.site_name.clone()}</a>
            <span aria-hidden="true">" › "</span>
            <span>{code.clone()}</span>
        </nav>
        <h1 class="page-title">"搬迁户 " <GuardedValue value=household.code testid="household-code" /></h1>
        <p class="tags" data-testid="household-flags">
            {flag(&household.registered_poor).then(|| view! { <span class="tag">"建档立卡贫困户"</span> })}
            {flag(&household.is_zero_employment).then(|| view! { <span class="tag tag-warn">"零就业户"</span> })}
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
                    <dd><GuardedValue value=household.flat_label testid="household-flat" /></dd>
                </div>
                <div>
                    <dt>"迁出村"</dt>
                    <dd><GuardedValue value=household.origin_village_name testid="household-origin-village" /></dd>
                </div>
                <div>
                    <dt>"户主"</dt>
                    <dd><GuardedValue value=household.head_name testid="household-head" /></dd>
                </div>
                <div>
                    <dt>"搬迁入住日期"</dt>
                    <dd><GuardedValue value=household.relocated_on testid="household-relocated-on" /></dd>
                </div>
                <div>
                    <dt>"零就业户"</dt>
                    <dd>
                        <GuardedValue
                            value=household.is_zero_employment.map(|zero| if zero { "是" } else { "否" }.to_owned())
                            testid="household-zero-employment"
                        />
                    </dd>
                </div>
            </dl>
        </section>
        <section class="card">
            <StatGrid>
                <Stat label="家庭人口" value=household.member_count unit="人" testid="household-member-count" />
                <Stat label="劳动力" value=household.labour_force_count unit="人" testid="household-labour-force" />
                <Stat label="已就业" value=household.employed_count unit="人" testid="household-employed" />
            </StatGrid>
        </section>
        <h2 class="section-title">"家庭成员"</h2>
        {members}
    }
}
