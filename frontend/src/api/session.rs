//! The signed-in session: the access token (kept in this module's memory only — never in
//! localStorage, sessionStorage or a script-readable cookie), who is signed in, and renewing the
//! token with the HttpOnly refresh cookie the browser sends by itself.

use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::time::Duration;

use futures::future::{FutureExt as _, LocalBoxFuture, Shared};
use graphql_client::GraphQLQuery;
use leptos::prelude::*;
use leptos::web_sys::js_sys::Date;

use super::client::{self, ApiError};
use super::model::Me;
use super::queries;

/// Turns the `SessionFields` of a login or refreshSession answer into a [`SessionGrant`]
/// (graphql_client generates one struct per operation, of the same shape).
macro_rules! session_grant {
    ($session:expr) => {{
        let session = $session;
        let me = session.me;
        $crate::api::session::SessionGrant {
            access_token: session.access_token,
            expires_at: session.expires_at,
            me: $crate::api::model::Me {
                username: me.username,
                display_name: me.display_name,
                must_change_password: me.must_change_password,
                roles: me
                    .roles
                    .into_iter()
                    .map(|role| $crate::api::model::Role {
                        code: role.code,
                        name: role.name,
                        kind: role.kind,
                    })
                    .collect(),
                readable_domains: me
                    .domains
                    .iter()
                    .filter(|domain| domain.can_read)
                    .map(|domain| domain.domain.clone())
                    .collect(),
                writable_domains: me
                    .domains
                    .into_iter()
                    .filter(|domain| domain.can_write)
                    .map(|domain| domain.domain)
                    .collect(),
            },
        }
    }};
}
pub(super) use session_grant;

/// Who is signed in, as the pages see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    /// The app just started and is asking the server whether the refresh cookie still holds
    /// a session (a reload keeps one signed in).
    Restoring,
    /// Nobody is signed in; the reason, when there is one to tell the user.
    SignedOut(Option<SignOutReason>),
    SignedIn(Arc<Me>),
}

/// Why the app is signed out, for the login page's notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOutReason {
    /// The user pressed 退出登录.
    LoggedOut,
    /// The session ended on the server (timed out, revoked, signed in elsewhere with a
    /// replayed cookie …) and could not be renewed.
    Expired,
    /// The password was changed: every session ended; sign in with the new password.
    PasswordChanged,
}

/// The access token and when to renew it (milliseconds since the epoch, the browser's clock).
struct AccessToken {
    value: String,
    renew_at: f64,
    /// Whether a request used the token since it was issued: an idle tab is not kept alive
    /// by timers (the server's idle timeout must still work).
    used: bool,
}

/// A session as login and refreshSession return it.
pub(super) struct SessionGrant {
    pub access_token: String,
    pub expires_at: String,
    pub me: Me,
}

thread_local! {
    static TOKEN: RefCell<Option<AccessToken>> = const { RefCell::new(None) };
    static STATE: ArcRwSignal<SessionState> = ArcRwSignal::new(SessionState::Restoring);
    /// The refresh in flight: everyone who needs one awaits the same request, because a
    /// refresh token used twice makes the server close the session.
    static REFRESHING: RefCell<Option<Shared<LocalBoxFuture<'static, bool>>>> =
        const { RefCell::new(None) };
    static RENEW_TIMER: RefCell<Option<TimeoutHandle>> = const { RefCell::new(None) };
    /// Counts sign-ins and sign-outs, so that an answer to a request sent before one of them
    /// cannot bring the old session back.
    static EPOCH: Cell<u64> = const { Cell::new(0) };
}

/// Renew this long before the token expires (or a fifth of its life, if that is longer).
const RENEW_MARGIN_MS: f64 = 60_000.0;
/// Never renew more often than this, even when the clocks disagree.
const MINIMUM_RENEW_DELAY_MS: f64 = 10_000.0;
/// Nor later than this (tokens live at most an hour; `setTimeout` takes at most 2³¹ ms).
const MAXIMUM_RENEW_DELAY_MS: f64 = 3_600_000.0;

pub fn state() -> ArcReadSignal<SessionState> {
    STATE.with(ArcRwSignal::read_only)
}

/// The state now, without subscribing to it.
pub(super) fn current() -> SessionState {
    STATE.with(ArcRwSignal::get_untracked)
}

fn set_state(state: SessionState) {
    remember_signed_in(matches!(state, SessionState::SignedIn(_)));
    STATE.with(|signal| signal.set(state));
}

/// The localStorage key of the signed-in mark that index.html's shell reads before the app
/// starts: without it, the shell shows the sign-in form at once. A flag only, never a token.
const SIGNED_IN_MARK: &str = "houxu.signedIn";

/// Keeps (or drops) the signed-in mark; a browser without localStorage just loses the shortcut.
fn remember_signed_in(signed_in: bool) {
    let Ok(Some(storage)) = window().local_storage() else {
        return;
    };
    let _ = if signed_in {
        storage.set_item(SIGNED_IN_MARK, "1")
    } else {
        storage.remove_item(SIGNED_IN_MARK)
    };
}

pub(super) fn epoch() -> u64 {
    EPOCH.with(Cell::get)
}

fn next_epoch() {
    EPOCH.with(|epoch| epoch.set(epoch.get() + 1));
}

/// The access token for a request (marking it as used).
pub(super) fn bearer() -> Option<String> {
    TOKEN.with(|token| {
        token.borrow_mut().as_mut().map(|token| {
            token.used = true;
            token.value.clone()
        })
    })
}

/// Whether the token is about to expire (renew before sending).
pub(super) fn renewal_due() -> bool {
    TOKEN.with(|token| {
        token
            .borrow()
            .as_ref()
            .is_some_and(|token| Date::now() >= token.renew_at)
    })
}

/// Keeps a fresh session: the token in memory, the user in the state, a timer to renew it.
pub(super) fn establish(grant: SessionGrant) {
    let now = Date::now();
    let expires = Date::parse(&grant.expires_at);
    let lifetime = if expires.is_finite() {
        expires - now
    } else {
        0.0
    };
    let margin = RENEW_MARGIN_MS.max(lifetime / 5.0);
    let delay = (lifetime - margin).clamp(MINIMUM_RENEW_DELAY_MS, MAXIMUM_RENEW_DELAY_MS);
    TOKEN.with(|token| {
        *token.borrow_mut() = Some(AccessToken {
            value: grant.access_token,
            renew_at: now + delay,
            used: false,
        });
    });
    schedule_renewal(delay);
    set_state(SessionState::SignedIn(Arc::new(grant.me)));
}

fn schedule_renewal(delay_ms: f64) {
    cancel_renewal();
    let delay = Duration::from_millis(delay_ms as u64);
    let handle =
        set_timeout_with_handle(|| leptos::task::spawn_local(renew_if_in_use()), delay).ok();
    RENEW_TIMER.with(|timer| *timer.borrow_mut() = handle);
}

fn cancel_renewal() {
    RENEW_TIMER.with(|timer| {
        if let Some(handle) = timer.borrow_mut().take() {
            handle.clear();
        }
    });
}

/// The renewal timer: renews the token if the app used it; an idle app lets it lapse and
/// renews at its next request instead.
async fn renew_if_in_use() {
    RENEW_TIMER.with(|timer| timer.borrow_mut().take());
    let used = TOKEN.with(|token| token.borrow().as_ref().is_some_and(|token| token.used));
    if !used {
        return;
    }
    let started = epoch();
    if !refresh().await && epoch() == started {
        end(Some(SignOutReason::Expired));
    }
}

/// Renews the session with the refresh cookie; `true` when there is a fresh token. Concurrent
/// callers share one request.
pub(super) async fn refresh() -> bool {
    let shared = REFRESHING.with(|slot| {
        let mut slot = slot.borrow_mut();
        if let Some(in_flight) = slot.as_ref() {
            return in_flight.clone();
        }
        let started = epoch();
        let request = async move {
            let renewed = match refresh_with_cookie().await {
                Ok(grant) if epoch() == started => {
                    establish(grant);
                    true
                }
                // Signed out (or in again) meanwhile: this answer belongs to the old session.
                Ok(_) => false,
                Err(_) => false,
            };
            REFRESHING.with(|slot| slot.borrow_mut().take());
            renewed
        }
        .boxed_local()
        .shared();
        *slot = Some(request.clone());
        request
    });
    shared.await
}

async fn refresh_with_cookie() -> Result<SessionGrant, ApiError> {
    let body = serde_json::to_string(&queries::RefreshSession::build_query(
        queries::refresh_session::Variables {},
    ))
    .map_err(|_| ApiError::UnexpectedResponse { status: 0 })?;
    let answer = client::post(&body, None).await?;
    let partial = answer.into_partial::<queries::refresh_session::ResponseData>()?;
    Ok(session_grant!(partial.data.refresh_session))
}

/// Forgets the session: token, renewal timer and user; the pages (and their data) go away
/// because the state says nobody is signed in.
pub(super) fn end(reason: Option<SignOutReason>) {
    next_epoch();
    cancel_renewal();
    TOKEN.with(|token| token.borrow_mut().take());
    set_state(SessionState::SignedOut(reason));
}

/// A new sign-in replaces whatever session there was.
pub(super) fn begin(grant: SessionGrant) {
    next_epoch();
    establish(grant);
}

/// The server says the password must be changed first: show the form.
pub(super) fn require_password_change() {
    STATE.with(|signal| {
        signal.update(|state| {
            if let SessionState::SignedIn(me) = state {
                if !me.must_change_password {
                    let mut changed = Me::clone(me);
                    changed.must_change_password = true;
                    *me = Arc::new(changed);
                }
            }
        });
    });
}

/// The signed-in user's username, if any.
pub(super) fn username() -> Option<String> {
    STATE.with(|signal| match &*signal.read_untracked() {
        SessionState::SignedIn(me) => Some(me.username.clone()),
        _ => None,
    })
}
