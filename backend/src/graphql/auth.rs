//! Signing in and out over GraphQL: `login`, `refreshSession`, `logout`, `changePassword`
//! and `me`. The refresh token travels only in an HttpOnly, SameSite=Strict cookie.
use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::access::signed_in;
use super::database;
use crate::access::sign_in::{self, ClientInfo, SignedIn};
use crate::access::Principal;
use crate::error::ApiError;

/// The cookie that carries the refresh token.
pub const REFRESH_COOKIE: &str = "houxu_refresh";

/// What the HTTP layer knows about the request and the server's token settings.
#[derive(Clone)]
pub struct RequestMeta {
    pub refresh_cookie: Option<String>,
    pub client: ClientInfo,
    /// Whether the request came over TLS (then cookies are `Secure`).
    pub secure: bool,
}

#[derive(InputObject)]
pub struct LoginInput {
    pub username: String,
    pub password: String,
}

#[derive(InputObject)]
pub struct ChangePasswordInput {
    pub current_password: String,
    /// At least 12 characters of three kinds (upper, lower, digits, symbols), without the
    /// username, and none of the last five passwords.
    pub new_password: String,
}

/// A fresh access token. Send it as `Authorization: Bearer <accessToken>`; renew it with
/// `refreshSession` before `expiresAt` (the refresh token is in an HttpOnly cookie).
#[derive(SimpleObject)]
pub struct Session {
    pub access_token: String,
    pub expires_at: DateTime<Utc>,
    pub me: Me,
}

/// A role the user holds.
#[derive(SimpleObject, Clone)]
pub struct RoleInfo {
    pub code: String,
    pub name: String,
    pub kind: String,
}

/// What the user may read and write, per data domain.
#[derive(SimpleObject, Clone)]
pub struct DomainAccess {
    pub domain: String,
    pub label: String,
    pub can_read: bool,
    pub can_write: bool,
}

/// The signed-in user as the server sees them.
#[derive(SimpleObject, Clone)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    /// The initial password must be changed before anything else.
    pub must_change_password: bool,
    pub roles: Vec<RoleInfo>,
    pub domains: Vec<DomainAccess>,
    /// Global IDs of the towns the user is limited to; empty means the whole district.
    pub town_scope: Vec<async_graphql::ID>,
}

impl Me {
    pub fn of(principal: &Principal) -> Me {
        Me {
            username: principal.username.clone(),
            display_name: principal.display_name.clone(),
            must_change_password: principal.must_change_password,
            roles: principal
                .roles
                .iter()
                .map(|role| RoleInfo {
                    code: role.code.clone(),
                    name: role.name.clone(),
                    kind: role.kind.code().to_string(),
                })
                .collect(),
            domains: auth::policy::DataDomain::ALL
                .iter()
                .map(|domain| DomainAccess {
                    domain: domain.code().to_string(),
                    label: domain.label_zh().to_string(),
                    can_read: principal.permissions.can_read(*domain),
                    can_write: principal.permissions.can_write(*domain),
                })
                .filter(|access| access.can_read || access.can_write)
                .collect(),
            town_scope: principal
                .scope
                .town_ids()
                .unwrap_or_default()
                .iter()
                .map(|town| super::ids::encode_id(super::ids::NodeType::Town, *town))
                .collect(),
        }
    }
}

#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// The signed-in user, their roles and data domains.
    async fn me(&self, ctx: &Context<'_>) -> Result<Me> {
        Ok(Me::of(signed_in(ctx)?))
    }
}

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Signs in. Five wrong passwords in a row lock the account; every attempt is audited.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> Result<Session> {
        let meta = request_meta(ctx);
        let limits = ctx.data_unchecked::<std::sync::Arc<crate::access::rate_limit::RateLimits>>();
        if !limits.allow_login(&input.username) {
            return Err(ApiError::Unauthenticated {
                code: "RATE_LIMITED",
                message: format!(
                    "more than {} sign-in attempts for this name in a minute; wait a minute",
                    crate::access::rate_limit::LOGINS_PER_MINUTE
                ),
            }
            .into());
        }
        let signed = sign_in::login(
            database(ctx),
            tokens(ctx),
            &input.username,
            &input.password,
            &meta.client,
        )
        .await?;
        Ok(deliver(ctx, &meta, signed))
    }

    /// Renews the access token with the refresh cookie (which rotates on every use).
    async fn refresh_session(&self, ctx: &Context<'_>) -> Result<Session> {
        let meta = request_meta(ctx);
        let Some(cookie) = meta.refresh_cookie.clone() else {
            return Err(ApiError::Unauthenticated {
                code: "SESSION_EXPIRED",
                message: "no refresh cookie was sent; sign in again".into(),
            }
            .into());
        };
        let signed = sign_in::refresh(database(ctx), tokens(ctx), &cookie).await?;
        Ok(deliver(ctx, &meta, signed))
    }

    /// Ends this session at once (its access and refresh tokens stop working).
    async fn logout(&self, ctx: &Context<'_>) -> Result<bool> {
        let principal = signed_in(ctx)?;
        sign_in::logout(database(ctx), principal).await?;
        let meta = request_meta(ctx);
        ctx.append_http_header("Set-Cookie", clear_cookie(meta.secure));
        Ok(true)
    }

    /// Changes one's own password; every session of the user ends (sign in again).
    async fn change_password(&self, ctx: &Context<'_>, input: ChangePasswordInput) -> Result<bool> {
        let principal = signed_in(ctx)?;
        sign_in::change_password(
            database(ctx),
            principal,
            &input.current_password,
            &input.new_password,
        )
        .await?;
        let meta = request_meta(ctx);
        ctx.append_http_header("Set-Cookie", clear_cookie(meta.secure));
        Ok(true)
    }
}

fn tokens<'a>(ctx: &Context<'a>) -> &'a auth::tokens::TokenService {
    ctx.data_unchecked::<std::sync::Arc<auth::tokens::TokenService>>()
}

fn request_meta(ctx: &Context<'_>) -> RequestMeta {
    ctx.data_opt::<RequestMeta>()
        .cloned()
        .unwrap_or(RequestMeta {
            refresh_cookie: None,
            client: ClientInfo::default(),
            secure: false,
        })
}

fn deliver(ctx: &Context<'_>, meta: &RequestMeta, signed: SignedIn) -> Session {
    ctx.append_http_header(
        "Set-Cookie",
        refresh_cookie(&signed.refresh_token, meta.secure),
    );
    Session {
        access_token: signed.access_token,
        expires_at: signed.access_expires_at,
        me: Me::of(&signed.principal),
    }
}

fn refresh_cookie(token: &str, secure: bool) -> String {
    let max_age = auth::session::ABSOLUTE_TIMEOUT_HOURS * 3600;
    format!(
        "{REFRESH_COOKIE}={token}; Path=/graphql; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

fn clear_cookie(secure: bool) -> String {
    format!(
        "{REFRESH_COOKIE}=; Path=/graphql; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}
