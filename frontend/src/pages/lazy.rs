//! The pages behind sign-in, each compiled into a WebAssembly module of its own that the
//! browser fetches the first time the page is shown. The initial module holds only the shell,
//! the sign-in and password pages, the router and the session: a visitor who has not signed
//! in downloads none of the registry, task, ledger or assessment code.
//!
//! `#[wasm_split]` (what Leptos' `#[lazy]` expands to, here with `fallible`) marks a split
//! point; `cargo xtask build-web` cuts the wasm there and writes the modules next to the app's
//! (see ARCHITECTURE.md, "The web app's modules").

use std::future::Future;

use leptos::prelude::*;
use wasm_split_helpers::{wasm_split, SplitLoaderError};

use crate::components::{ErrorPanel, Loading};

/// A page's module could not be fetched (a lost connection, say). Without this the split
/// point would panic, which stops the whole app; the page shows it with 重试 instead.
#[derive(Debug, Clone, thiserror::Error)]
#[error("页面程序未能下载，请检查网络连接后重试。")]
pub struct PageNotLoaded;

impl From<SplitLoaderError> for PageNotLoaded {
    fn from(_: SplitLoaderError) -> Self {
        PageNotLoaded
    }
}

/// Shows the page that `load` fetches (the first time) and renders, with the spinner while the
/// page's module is on its way, or the error panel when it cannot be fetched.
pub fn lazy_page<F>(load: fn() -> F) -> impl IntoView
where
    F: Future<Output = Result<AnyView, PageNotLoaded>> + Send + 'static,
{
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors /> }>
                {Suspend::new(load())}
            </ErrorBoundary>
        </Suspense>
    }
}

/// One split point per page: `#[wasm_split]` turns each into an `async fn` that loads the
/// page's module first (`split_<loader>.wasm`); `fallible` makes a failed fetch an `Err`.
macro_rules! lazy_pages {
    ($($loader:ident => $page:ident,)*) => {$(
        #[wasm_split($loader, fallible)]
        pub fn $loader() -> Result<AnyView, PageNotLoaded> {
            Ok(view! { <super::$page /> }.into_any())
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
