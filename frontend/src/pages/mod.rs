//! The routes: each page loads its data through `api` and lays out `components`.

mod alerts;
mod assessment;
mod household;
mod imports;
pub mod lazy;
mod ledgers;
mod login;
mod matrix;
mod my_tasks;
mod not_found;
mod overview;
mod site;
mod task;

pub use alerts::AlertsPage;
pub use assessment::AssessmentPage;
pub use household::HouseholdPage;
pub use imports::ImportsPage;
pub use ledgers::{LedgerIndexPage, LedgerPage};
pub use login::{keep_shell_input, ChangePasswordPage, LoginPage};
pub use matrix::MatrixPage;
pub use my_tasks::MyTasksPage;
pub use not_found::NotFoundPage;
pub use overview::OverviewPage;
pub use site::SitePage;
pub use task::TaskPage;

use leptos::prelude::*;

use crate::api::{self, model::Attachment, ApiError};
use crate::components::Failure;

/// Sets the browser tab's title to "<page> · 后续扶持".
fn set_page_title(page: &str) {
    leptos::prelude::document().set_title(&format!("{page} · 后续扶持"));
}

/// Whether the server refused because the user's roles may not use this part.
fn is_forbidden(error: &ApiError) -> bool {
    matches!(error.code(), Some("FORBIDDEN" | "FORBIDDEN_FIELD"))
}

/// Downloads an attachment with the access token; a failure lands in `failure`.
fn download_callback(failure: RwSignal<Option<Failure>>) -> Callback<Attachment> {
    Callback::new(move |attachment: Attachment| {
        failure.set(None);
        leptos::task::spawn_local(async move {
            if let Err(error) =
                api::download(&attachment.download_path, &attachment.file_name).await
            {
                failure.try_set(Some(Failure::new("下载失败", error)));
            }
        });
    })
}
