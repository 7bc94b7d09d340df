//! Signing in and out: password checks with lockout, sessions with rotating refresh tokens,
//! access tokens, and the per-request check that turns a bearer token into a principal.
use chrono::{DateTime, Duration, Utc};
use sea_orm::DatabaseConnection;

use super::principal::Principal;
use super::session_cache::{CachedSession, SessionCache};
use crate::error::{ApiError, ApiResult};
use crate::persistence::accounts::{self, NewSession, RefreshLookup};
use crate::persistence::audit::{self, AuditEntry, Outcome};
use crate::persistence::database::begin_write;

/// Touch a session's activity at most this often (the idle timeout is measured in minutes).
const ACTIVITY_RESOLUTION_SECONDS: i64 = 60;
/// How many previous passwords may not be reused.
const PASSWORD_HISTORY_DEPTH: u64 = 5;

/// The result of a sign-in or refresh.
pub struct SignedIn {
    pub access_token: String,
    pub access_expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub principal: Principal,
}

/// Where a sign-in came from, for the session record and the audit log.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub user_agent: Option<String>,
    pub ip_address: Option<String>,
}

fn invalid_credentials() -> ApiError {
    ApiError::Unauthenticated {
        code: "INVALID_CREDENTIALS",
        message: format!(
            "wrong username or password, or the account is locked after {} failed attempts; try again later or ask the security administrator",
            auth::lockout::MAX_FAILED_LOGINS
        ),
    }
}

fn session_ended(message: &str) -> ApiError {
    ApiError::Unauthenticated {
        code: "SESSION_EXPIRED",
        message: format!("{message}; sign in again"),
    }
}

/// Checks a username and password. Unknown users, wrong passwords, locked and disabled
/// accounts get the same answer after the same work; every attempt counts and is audited.
pub async fn login(
    db: &DatabaseConnection,
    tokens: &auth::tokens::TokenService,
    username: &str,
    password: &str,
    client: &ClientInfo,
) -> ApiResult<SignedIn> {
    let now = Utc::now();
    let username = username.trim();
    let Some(user) = accounts::find_user_by_username(db, username).await? else {
        auth::password::verify_against_dummy(password);
        audit::record(
            db,
            AuditEntry::system("auth.login", "User", None)
                .actor_label(username)
                .outcome(Outcome::Failure)
                .detail("unknown username"),
        )
        .await?;
        return Err(invalid_credentials());
    };
    let locked = auth::lockout::is_locked(user.locked_until, now);
    let password_ok = auth::password::verify_password(password, &user.password_hash);
    if locked || user.disabled || !password_ok {
        if !locked && !user.disabled {
            let (failed, locked_until) =
                auth::lockout::after_failure(user.failed_logins.max(0) as u32, now);
            accounts::record_failed_login(db, user.id, failed, locked_until).await?;
        }
        let reason = if locked {
            "account locked"
        } else if user.disabled {
            "account disabled"
        } else {
            "wrong password"
        };
        audit::record(
            db,
            AuditEntry::system("auth.login", "User", Some(user.id))
                .actor(Some(user.id), &user.username)
                .outcome(Outcome::Failure)
                .detail(reason),
        )
        .await?;
        return Err(invalid_credentials());
    }

    let session_id = auth::tokens::new_session_id();
    let (refresh_token, refresh_hash) = auth::tokens::new_refresh_token();
    let transaction = begin_write(db).await?;
    accounts::reset_failed_logins(&transaction, user.id).await?;
    accounts::create_session(
        &transaction,
        NewSession {
            id: session_id.clone(),
            user_id: user.id,
            refresh_token_hash: refresh_hash,
            now,
            user_agent: client.user_agent.clone(),
            ip_address: client.ip_address.clone(),
        },
    )
    .await?;
    let grants = accounts::roles_and_grants(&transaction, user.id).await?;
    let principal = Principal::from_account(&user, &session_id, &grants);
    audit::record(
        &transaction,
        AuditEntry::by(&principal, "auth.login", "User", Some(user.id)),
    )
    .await?;
    transaction.commit().await?;
    let (access_token, access_expires_at) = issue(tokens, user.id, &session_id, now)?;
    Ok(SignedIn {
        access_token,
        access_expires_at,
        refresh_token,
        principal,
    })
}

fn issue(
    tokens: &auth::tokens::TokenService,
    user_id: i64,
    session_id: &str,
    now: DateTime<Utc>,
) -> ApiResult<(String, DateTime<Utc>)> {
    tokens
        .issue_access_token(user_id, session_id, now)
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("cannot sign a token: {error}")))
}

/// Exchanges a refresh token for a new access token and a new refresh token. A refresh token
/// that was already used ends its session (it was stolen or replayed).
pub async fn refresh(
    db: &DatabaseConnection,
    tokens: &auth::tokens::TokenService,
    refresh_token: &str,
) -> ApiResult<SignedIn> {
    let now = Utc::now();
    let presented = auth::tokens::hash_refresh_token(refresh_token);
    let session = match accounts::find_session_by_refresh_hash(db, &presented).await? {
        RefreshLookup::Current(session) => session,
        RefreshLookup::Replayed(session) => {
            accounts::revoke_session(db, &session.id, "refresh token replayed", now).await?;
            audit::record(
                db,
                AuditEntry::system("auth.refresh", "User", Some(session.user_id))
                    .actor(Some(session.user_id), "session")
                    .outcome(Outcome::Failure)
                    .detail("refresh token replayed: session revoked"),
            )
            .await?;
            return Err(session_ended(
                "this refresh token was already used, so the session was closed",
            ));
        }
        RefreshLookup::Unknown => return Err(session_ended("the refresh token is not valid")),
    };
    if session.revoked_at.is_some() {
        return Err(session_ended("the session was closed"));
    }
    if let Some(end) = auth::session::session_expired(session.created_at, session.last_used_at, now)
    {
        accounts::revoke_session(db, &session.id, "timed out", now).await?;
        return Err(session_ended(&format!("the session timed out ({end:?})")));
    }
    let Some(user) = accounts::find_user(db, session.user_id).await? else {
        return Err(session_ended("the account no longer exists"));
    };
    if user.disabled {
        return Err(session_ended("the account is disabled"));
    }
    let (refresh_token, refresh_hash) = auth::tokens::new_refresh_token();
    if !accounts::rotate_refresh_token(db, &session.id, &presented, &refresh_hash, now).await? {
        return Err(session_ended("the refresh token was used concurrently"));
    }
    let grants = accounts::roles_and_grants(db, user.id).await?;
    let principal = Principal::from_account(&user, &session.id, &grants);
    let (access_token, access_expires_at) = issue(tokens, user.id, &session.id, now)?;
    Ok(SignedIn {
        access_token,
        access_expires_at,
        refresh_token,
        principal,
    })
}

/// Turns a bearer token into the request's principal, reading the session, the account, its
/// roles and their policy rows in one statement, so that revocation takes effect at once —
/// or, with `sessions` (HTTP requests on PostgreSQL), taking them from the cache of sessions
/// checked recently, which every such change empties (`session_cache`). A service
/// client's token (it has a `client_id` claim) is checked against the client instead
/// (`service_client::authenticate`).
pub async fn authenticate(
    db: &DatabaseConnection,
    tokens: &auth::tokens::TokenService,
    sessions: Option<&SessionCache>,
    bearer: &str,
) -> ApiResult<Principal> {
    let now = Utc::now();
    let claims =
        tokens
            .validate_access_token(bearer, now)
            .map_err(|error| ApiError::Unauthenticated {
                code: error.code(),
                message: error.to_string(),
            })?;
    if let Some(client_id) = claims.client_id.as_deref() {
        return super::service_client::authenticate(db, &claims, client_id, now).await;
    }
    let user_id: i64 = claims
        .sub
        .parse()
        .map_err(|_| session_ended("the token names no user"))?;
    if let Some(sessions) = sessions {
        if let Some(cached) = sessions.get(&claims.sid, user_id) {
            // Timed out by the cached clock: the database may know of later activity (on
            // another instance), so it decides.
            if auth::session::session_expired(cached.created_at, cached.last_used_at, now).is_none()
            {
                let last_used_at =
                    touch_when_due(db, &claims.sid, cached.last_used_at, now).await?;
                if last_used_at != cached.last_used_at {
                    sessions.touched(&claims.sid, last_used_at);
                }
                return Ok(cached.principal);
            }
        }
    }
    let generation = sessions.and_then(SessionCache::begin_read);
    let Some(accounts::SessionAccount {
        session,
        user,
        grants,
    }) = accounts::find_session_account(db, &claims.sid).await?
    else {
        return Err(session_ended("the session does not exist"));
    };
    if session.user_id != user_id || session.revoked_at.is_some() {
        return Err(session_ended("the session was closed"));
    }
    if let Some(end) = auth::session::session_expired(session.created_at, session.last_used_at, now)
    {
        return Err(session_ended(&format!("the session timed out ({end:?})")));
    }
    let Some(user) = user else {
        return Err(session_ended("the account no longer exists"));
    };
    if user.disabled {
        return Err(session_ended("the account is disabled"));
    }
    let last_used_at = touch_when_due(db, &session.id, session.last_used_at, now).await?;
    let principal = Principal::from_account(&user, &session.id, &grants);
    if let (Some(sessions), Some(generation)) = (sessions, generation) {
        sessions.store(
            generation,
            &session.id,
            CachedSession::new(principal.clone(), session.created_at, last_used_at),
        );
    }
    Ok(principal)
}

/// Records the session's activity at `now` when the last record is older than the
/// resolution; returns the activity time the database now holds.
async fn touch_when_due(
    db: &DatabaseConnection,
    session_id: &str,
    last_used_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> ApiResult<DateTime<Utc>> {
    if now - last_used_at > Duration::seconds(ACTIVITY_RESOLUTION_SECONDS) {
        accounts::touch_session(db, session_id, now).await?;
        return Ok(now);
    }
    Ok(last_used_at)
}

/// A service client has no session or password: its tokens simply expire.
fn refuse_service_client(principal: &Principal, what: &str) -> ApiResult<()> {
    if principal.service_client_id.is_some() {
        return Err(ApiError::Forbidden(format!(
            "a service client has no {what}; its tokens expire by themselves and its secret is rotated by the security administrator"
        )));
    }
    Ok(())
}

pub async fn logout(db: &DatabaseConnection, principal: &Principal) -> ApiResult<()> {
    refuse_service_client(principal, "session to end")?;
    let now = Utc::now();
    let transaction = begin_write(db).await?;
    accounts::revoke_session(&transaction, &principal.session_id, "logout", now).await?;
    audit::record(
        &transaction,
        AuditEntry::by(principal, "auth.logout", "User", Some(principal.user_id)),
    )
    .await?;
    transaction.commit().await?;
    Ok(())
}

/// Changes the principal's own password under the policy; every other session ends.
pub async fn change_password(
    db: &DatabaseConnection,
    principal: &Principal,
    current_password: &str,
    new_password: &str,
) -> ApiResult<()> {
    refuse_service_client(principal, "password")?;
    let now = Utc::now();
    let Some(user) = accounts::find_user(db, principal.user_id).await? else {
        return Err(session_ended("the account no longer exists"));
    };
    if !auth::password::verify_password(current_password, &user.password_hash) {
        return Err(ApiError::invalid(
            "input.currentPassword",
            "the current password is wrong",
        ));
    }
    let mut previous =
        accounts::recent_password_hashes(db, user.id, PASSWORD_HISTORY_DEPTH).await?;
    previous.push(user.password_hash.clone());
    auth::password::check_password_policy(&user.username, new_password, &previous)
        .map_err(|error| ApiError::invalid("input.newPassword", error))?;
    let hash = auth::password::hash_password(new_password)
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("cannot hash a password: {error}")))?;
    let transaction = begin_write(db).await?;
    accounts::set_password(&transaction, user.id, &hash, now).await?;
    accounts::revoke_user_sessions(&transaction, user.id, "password changed", now).await?;
    audit::record(
        &transaction,
        AuditEntry::by(principal, "auth.change_password", "User", Some(user.id)),
    )
    .await?;
    transaction.commit().await?;
    Ok(())
}
