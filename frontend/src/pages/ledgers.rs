//! `/ledgers` 台账: the bureaus' ledgers the user's roles can read, grouped by annex; and
//! `/ledgers/:key`, one ledger (rendered by [`crate::ledger`]).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api;
use crate::ledger::LedgerView;
use ledgers::Group;

/// The ledgers the user's roles can read, grouped by annex.
#[component]
pub fn LedgerIndexPage() -> impl IntoView {
    super::set_page_title("台账");
    let me = api::signed_in_user();
    let readable = move |domain: &str| me.as_ref().is_some_and(|me| me.can_read(domain));
    let groups = Group::ORDER
        .into_iter()
        .filter_map(|group| {
            let items: Vec<_> = ledgers::all()
                .filter(|ledger| ledger.group == group && readable(ledger.read_domain))
                .map(|ledger| {
                    view! {
                        <li>
                            <a
                                class="card quick-link"
                                href=format!("/ledgers/{}", ledger.key)
                                data-testid=format!("ledger-link-{}", ledger.key)
                            >
                                <span class="quick-link-title">{ledger.title}</span>
                                <span class="quick-link-text">{ledger.description}</span>
                            </a>
                        </li>
                    }
                })
                .collect();
            (!items.is_empty()).then(|| {
                view! {
                    <section class="ledger-group">
                        <h2 class="section-title">{group.title()}</h2>
                        <ul class="quick-links">{items}</ul>
                    </section>
                }
            })
        })
        .collect_view();
    view! {
        <h1 class="page-title">"台账"</h1>
        <p class="page-lead">"本单位可查看的业务台账：筛选、录入、办理与导出 Excel。"</p>
        {groups}
    }
}

/// One ledger; an unknown key or one the user cannot read says so.
#[component]
pub fn LedgerPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    move || {
        let key = params.read().get("key").unwrap_or_default();
        let Some(ledger) = ledgers::find(&key) else {
            super::set_page_title("未找到");
            return view! { <super::NotFoundPage /> }.into_any();
        };
        super::set_page_title(ledger.title);
        let initial = query.with_untracked(|query| {
            ledger
                .filters
                .iter()
                .filter_map(|filter| {
                    Some((filter.variable.to_owned(), query.get(filter.variable)?))
                })
                .collect()
        });
        view! { <LedgerView ledger initial /> }.into_any()
    }
}
