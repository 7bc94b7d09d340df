//! `/sites/:id` 安置点: a site's place, rule outcomes (A4§2.1, A6§1.1), numbers and households.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{
    self,
    model::{domain, HouseholdSummary, SiteDetail},
    ApiError,
};
use crate::components::{
    ActionError, ErrorPanel, HouseholdItem, Loading, NoAccess, RuleCard, Stat, StatGrid,
};
use crate::navigation;

#[component]
pub fn SitePage() -> impl IntoView {
    let params = use_params_map();
    let site_id = move || params.read().get("id").unwrap_or_default();
    let site = LocalResource::new(move || api::fetch_site(site_id()));
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors /> }>
                {move || Suspend::new(async move { site.await.map(site_view) })}
            </ErrorBoundary>
        </Transition>
    }
}

fn site_view(site: SiteDetail) -> impl IntoView {
    super::set_page_title(&site.name);
    // The household list is the registry (名册): only for roles that may read identity data.
    let may_read_registry = api::signed_in_user().is_some_and(|me| me.can_read(domain::IDENTITY));
    let households = if may_read_registry {
        view! { <SiteHouseholdList site_id=site.id.clone() /> }.into_any()
    } else {
        view! { <NoAccess what="您的角色不能查看搬迁户名册，这里只显示安置点的汇总数字。" /> }
            .into_any()
    };
    // The site's open alerts, for the users whose places include 预警.
    let alerts = api::signed_in_user()
        .is_some_and(|me| {
            navigation::places_for(&me)
                .iter()
                .any(|place| place.href == "/alerts")
        })
        .then(|| view! { <SiteAlerts site_id=site.id.clone() /> });
    view! {
        <nav class="breadcrumb" aria-label="位置">
            <a href="/">"区级总览"</a>
            <span aria-hidden="true">" › "</span>
            <span>{site.name.clone()}</span>
        </nav>
        <h1 class="page-title" data-testid="site-name">{site.name.clone()}</h1>
        <section class="card">
            <dl class="facts">
                <div>
                    <dt>"所属镇办"</dt>
                    <dd>{site.town_name.clone()}" (" {site.town_kind.label()} ")"</dd>
                </div>
                <div>
                    <dt>"所属社区"</dt>
                    <dd>{site.community_name.clone()}</dd>
                </div>
                <div>
                    <dt>"区域类型"</dt>
                    <dd data-testid="site-area-type">{site.area_type.label()}</dd>
                </div>
                <div>
                    <dt>"地址"</dt>
                    <dd>{site.address.clone()}</dd>
                </div>
                <div>
                    <dt>"编号"</dt>
                    <dd class="mono">{site.code.clone()}</dd>
                </div>
            </dl>
        </section>
        <section class="card">
            <StatGrid>
                <Stat label="搬迁户" value=site.household_count unit="户" testid="site-household-count" />
                <Stat label="搬迁人口" value=site.population unit="人" testid="site-population" />
                <Stat label="劳动力" value=site.labour_force_count unit="人" />
                <Stat label="已就业" value=site.employed_count unit="人" />
                <Stat
                    label="零就业户"
                    value=site.zero_employment_household_count
                    unit="户"
                    warn=true
                />
                <Stat label="正式党员" value=site.formal_party_member_count unit="名" />
            </StatGrid>
        </section>
        {alerts}
        <div class="rule-grid">
            <RuleCard title="自治组织" outcome=site.governance_unit.clone() testid="governance-unit" />
            <RuleCard
                title="党组织设置"
                outcome=site.party_organisation.clone()
                testid="party-organisation"
            />
        </div>
        <h2 class="section-title">"搬迁户"</h2>
        {households}
    }
}

/// The site's households, one page at a time (加载更多).
#[component]
fn SiteHouseholdList(site_id: String) -> impl IntoView {
    let site_id = StoredValue::new(site_id);
    let households = RwSignal::new(Vec::<HouseholdSummary>::new());
    let total_count = RwSignal::new(None::<i64>);
    let next_cursor = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);

    // Loads the page after the last one shown; the writes are `try_` because the user may have
    // left the page (and its signals) before the answer arrives.
    let load_next_page = move || {
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        failure.set(None);
        let after = next_cursor.get_untracked();
        let id = site_id.get_value();
        leptos::task::spawn_local(async move {
            match api::fetch_site_households(id, after).await {
                Ok(page) => {
                    households.try_update(|shown| shown.extend(page.households));
                    total_count.try_set(Some(page.total_count));
                    next_cursor.try_set(page.next_cursor);
                }
                Err(error) => {
                    failure.try_set(Some(error));
                }
            }
            loading.try_set(false);
        });
    };
    load_next_page();

    let summary = move || {
        total_count.get().map(|total| {
            let shown = households.with(Vec::len);
            view! {
                <p class="list-summary" data-testid="site-households-summary">
                    "共 " {total} " 户，已显示 " {shown} " 户"
                </p>
            }
        })
    };
    let more_button = move || {
        let has_more = next_cursor.with(Option::is_some);
        (has_more || loading.get()).then(|| {
            view! {
                <button
                    type="button"
                    class="button"
                    data-testid="load-more"
                    disabled=move || loading.get()
                    on:click=move |_| load_next_page()
                >
                    {move || if loading.get() { "正在加载…" } else { "加载更多" }}
                </button>
            }
        })
    };
    let failure_view = move || {
        failure.get().map(|error| {
            let code = error.code().map(str::to_owned);
            view! {
                <div class="card error-panel" role="alert" data-testid="error">
                    <p class="error-title">{error.title()}</p>
                    <p class="error-detail" data-testid="error-message">{error.to_string()}</p>
                    {code.map(|code| view! { <p class="error-code">"错误代码：" <code>{code}</code></p> })}
                    <button type="button" class="button" on:click=move |_| load_next_page()>
                        "重试"
                    </button>
                </div>
            }
        })
    };
    let empty = move || {
        (total_count.get() == Some(0)).then(|| view! { <p class="empty">"该安置点暂无搬迁户"</p> })
    };

    view! {
        {summary}
        <ul class="household-list" data-testid="site-households">
            <For
                each=move || households.get()
                key=|household| household.id.clone()
                let:household
            >
                <HouseholdItem household />
            </For>
        </ul>
        {empty}
        {failure_view}
        <div class="list-actions">{more_button}</div>
    }
}

/// The open alerts at the site the user may see, with a link to them in the feed.
#[component]
fn SiteAlerts(site_id: String) -> impl IntoView {
    let href = format!(
        "/alerts?site={}",
        String::from(leptos::web_sys::js_sys::encode_uri_component(&site_id))
    );
    let counts = LocalResource::new(move || api::fetch_site_alert_count(site_id.clone()));
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || {
                let href = href.clone();
                Suspend::new(async move {
                    match counts.await {
                        Ok((open, critical)) => view! {
                            <section class="card site-alerts" data-testid="site-alerts">
                                <StatGrid>
                                    <Stat
                                        label="未处理预警"
                                        value=open
                                        unit="条"
                                        testid="site-alert-count"
                                        warn=true
                                    />
                                    <Stat label="其中严重" value=critical unit="条" testid="site-alert-critical" warn=true />
                                </StatGrid>
                                <p class="site-alerts-link">
                                    <a href=href data-testid="site-alerts-link">"查看该安置点的预警"</a>
                                </p>
                            </section>
                        }
                        .into_any(),
                        Err(error) => view! { <ActionError error heading="预警加载失败" /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}
