//! The pages behind sign-in, each compiled into a WebAssembly module of its own that the
//! browser fetches the first time the page is shown. The initial module holds only the shell,
//! the sign-in and password pages, the router and the session: a visitor who has not signed
//! in downloads none of the registry, task, ledger or assessment code.
//!
//! `#[lazy]` marks a split point; `cargo xtask build-web` cuts the wasm there (wasm-split) and
//! writes the modules next to the app's (see ARCHITECTURE.md, "The web app's modules").

use std::future::Future;

use leptos::lazy;
use leptos::prelude::*;

use crate::components::Loading;

/// Shows the page that `load` fetches (the first time) and renders, with the spinner while the
/// page's module is on its way.
pub fn lazy_page<F>(load: fn() -> F) -> impl IntoView
where
    F: Future<Output = AnyView> + Send + 'static,
{
    view! { <Suspense fallback=|| view! { <Loading /> }>{Suspend::new(load())}</Suspense> }
}

/// One split point per page: `#[lazy]` turns each into an `async fn` that loads the page's
/// module first.
macro_rules! lazy_pages {
    ($($loader:ident => $page:ident,)*) => {$(
        #[lazy]
        pub fn $loader() -> AnyView {
            view! { <super::$page /> }.into_any()
        }
    )*};
}

lazy_pages! {
    overview_page => OverviewPage,
    site_page => SitePage,
    household_page => HouseholdPage,
    my_tasks_page => MyTasksPage,
    task_page => TaskPage,
    matrix_page => MatrixPage,
    assessment_page => AssessmentPage,
    ledger_index_page => LedgerIndexPage,
    ledger_page => LedgerPage,
    alerts_page => AlertsPage,
    imports_page => ImportsPage,
}
