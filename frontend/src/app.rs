//! The app shell: header with the signed-in user, routes behind the sign-in gate, footer.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::web_sys::js_sys::encode_uri_component;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::{path, NavigateOptions};

use crate::api::{self, model::Me, SessionState, SignOutReason};
use crate::components::{Loading, NavBar, UserBar};
use crate::navigation;
use crate::pages::lazy::{
    alerts_page, assessment_page, household_page, imports_page, lazy_page, ledger_index_page,
    ledger_page, matrix_page, my_tasks_page, overview_page, site_page, task_page,
};
use crate::pages::{ChangePasswordPage, LoginPage, NotFoundPage};

#[component]
pub fn App() -> impl IntoView {
    // A reload keeps the user signed in: the HttpOnly refresh cookie still holds the session.
    leptos::task::spawn_local(api::restore_session());
    view! {
        <Router>
            <Header />
            <main class="app-main">
                <Routes fallback=|| view! { <RequireSession><NotFoundPage /></RequireSession> }>
                    <Route path=path!("/login") view=LoginPage />
                    <Route
                        path=path!("/")
                        view=|| view! { <RequireSession>{lazy_page(overview_page)}</RequireSession> }
                    />
                    <Route
                        path=path!("/sites/:id")
                        view=|| view! { <RequireSession>{lazy_page(site_page)}</RequireSession> }
                    />
                    <Route
                        path=path!("/households/:id")
                        view=|| view! { <RequireSession>{lazy_page(household_page)}</RequireSession> }
                    />
                    <Route
                        path=path!("/tasks")
                        view=|| view! { <RequireSession>{lazy_page(my_tasks_page)}</RequireSession> }
                    />
                    <Route
                        path=path!("/tasks/:id")
                        view=|| view! { <RequireSession>{lazy_page(task_page)}</RequireSession> }
                    />
                    <Route
                        path=path!("/matrix")
                        view=|| view! { <RequireSession>{lazy_page(matrix_page)}</RequireSession> }
                    />
                    <Route
                        path=path!("/assessment")
                        view=|| view! { <RequireSession>{lazy_page(assessment_page)}</RequireSession> }
                    />
                    <Route
                        path=path!("/ledgers")
                        view=|| view! { <RequireSession>{lazy_page(ledger_index_page)}</RequireSession> }
                    />
                    <Route
                        path=path!("/ledgers/:key")
                        view=|| view! { <RequireSession>{lazy_page(ledger_page)}</RequireSession> }
                    />
                    <Route
                        path=path!("/alerts")
                        view=|| view! { <RequireSession>{lazy_page(alerts_page)}</RequireSession> }
                    />
                    <Route
                        path=path!("/imports")
                        view=|| view! { <RequireSession>{lazy_page(imports_page)}</RequireSession> }
                    />
                </Routes>
            </main>
            <footer class="app-footer">"铜川市王益区 · 易地扶贫搬迁后续扶持平台"</footer>
        </Router>
    }
}

/// The title bar, who is signed in with the 退出登录 button, and the navigation.
#[component]
fn Header() -> impl IntoView {
    let state = api::session_state();
    // Only a different user (or none) re-renders the bar, not every token renewal.
    let me = Memo::new(move |_| match state.get() {
        SessionState::SignedIn(me) => Some(me),
        SessionState::Restoring | SessionState::SignedOut(_) => None,
    });
    let signing_out = RwSignal::new(false);
    let on_logout = Callback::new(move |()| {
        if signing_out.get_untracked() {
            return;
        }
        signing_out.set(true);
        leptos::task::spawn_local(async move {
            api::sign_out().await;
            signing_out.set(false);
        });
    });
    let user_bar = move || {
        me.get().map(|me: Arc<Me>| {
            view! { <UserBar me on_logout busy=signing_out /> }
        })
    };
    // The places of the signed-in user; none while the initial password must be changed.
    let nav = move || {
        me.get()
            .filter(|me| !me.must_change_password)
            .map(|me| view! { <NavBar items=navigation::places_for(&me) /> })
    };
    view! {
        <header class="app-header">
            <a class="app-title" href="/">
                <span class="app-title-main">"后续扶持"</span>
                <span class="app-title-sub">"王益区易地扶贫搬迁"</span>
            </a>
            {user_bar}
        </header>
        {nav}
    }
}

/// What the gate shows; a memo of it re-renders the page only when this changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    /// Finding out whether the refresh cookie holds a session, or on the way to /login.
    Wait,
    ChangePassword,
    Open,
}

/// Shows `children` only to a signed-in user whose password is in order; anyone else goes to
/// `/login?next=<this path>` (after 退出登录: plain `/login`, as a new history entry, so that
/// the back button returns here and is sent to the login page again).
#[component]
fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let state = api::session_state();
    let location = use_location();
    let navigate = use_navigate();
    let gate_state = state.clone();
    let gate = Memo::new(move |_| match &*gate_state.read() {
        SessionState::SignedIn(me) if me.must_change_password => Gate::ChangePassword,
        SessionState::SignedIn(_) => Gate::Open,
        SessionState::Restoring | SessionState::SignedOut(_) => Gate::Wait,
    });

    // Returns whether someone was signed in, so the next run knows it saw a sign-out happen.
    Effect::new(move |was_signed_in: Option<bool>| {
        let reason = match state.get() {
            SessionState::SignedIn(_) => return true,
            SessionState::Restoring => return false,
            SessionState::SignedOut(reason) => reason,
        };
        let logged_out_here =
            was_signed_in == Some(true) && reason == Some(SignOutReason::LoggedOut);
        if logged_out_here {
            navigate("/login", NavigateOptions::default());
        } else {
            let search = location.search.get_untracked();
            let mut here = location.pathname.get_untracked();
            if !search.is_empty() {
                here.push('?');
                here.push_str(&search);
            }
            let next = String::from(encode_uri_component(&here));
            navigate(
                &format!("/login?next={next}"),
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            );
        }
        false
    });

    move || match gate.get() {
        Gate::Wait => view! { <Loading /> }.into_any(),
        Gate::ChangePassword => view! { <ChangePasswordPage /> }.into_any(),
        Gate::Open => children().into_any(),
    }
}
