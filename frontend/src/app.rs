//! The app shell: header, routes, footer.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::pages::{HouseholdPage, NotFoundPage, OverviewPage, SitePage};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <header class="app-header">
                <a class="app-title" href="/">
                    <span class="app-title-main">"后续扶持"</span>
                    <span class="app-title-sub">"王益区易地扶贫搬迁"</span>
                </a>
            </header>
            <main class="app-main">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=OverviewPage />
                    <Route path=path!("/sites/:id") view=SitePage />
                    <Route path=path!("/households/:id") view=HouseholdPage />
                </Routes>
            </main>
            <footer class="app-footer">"铜川市王益区 · 易地扶贫搬迁后续扶持平台"</footer>
        </Router>
    }
}
