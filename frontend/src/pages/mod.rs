//! The routes: each page loads its data through `api` and lays out `components`.

mod household;
mod login;
mod not_found;
mod overview;
mod site;

pub use household::HouseholdPage;
pub use login::{ChangePasswordPage, LoginPage};
pub use not_found::NotFoundPage;
pub use overview::OverviewPage;
pub use site::SitePage;

/// Sets the browser tab's title to "<page> · 后续扶持".
fn set_page_title(page: &str) {
    leptos::prelude::document().set_title(&format!("{page} · 后续扶持"));
}
