//! The navigation of a signed-in user, and the same places as cards on the overview.

use leptos::prelude::*;
use leptos_router::components::A;

/// A place in the app the user's roles can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    /// One line on what is there (the overview's cards).
    pub description: &'static str,
    pub testid: &'static str,
}

/// The bar under the header; the page the user is on is marked (`aria-current`).
#[component]
pub fn NavBar(items: Vec<NavItem>) -> impl IntoView {
    let links = items
        .into_iter()
        .map(|item| {
            view! {
                <li>
                    <A href=item.href exact=true attr:data-testid=item.testid attr:class="nav-link">
                        {item.label}
                    </A>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="app-nav" aria-label="主导航">
            <ul>{links}</ul>
        </nav>
    }
}

/// The places as cards, for the overview.
#[component]
pub fn QuickLinks(items: Vec<NavItem>) -> impl IntoView {
    if items.is_empty() {
        return ().into_any();
    }
    let cards = items
        .into_iter()
        .map(|item| {
            view! {
                <li>
                    <a class="card quick-link" href=item.href data-testid=format!("home-{}", item.testid)>
                        <span class="quick-link-title">{item.label}</span>
                        <span class="quick-link-text">{item.description}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="quick-links" data-testid="quick-links">{cards}</ul> }.into_any()
}
