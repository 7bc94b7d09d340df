//! Service clients of the provincial platforms (OAuth 2.0 client credentials, RFC 6749 §4.4):
//! their credentials, the token the token endpoint issues, the principal such a token makes on
//! every request, and the address allow-list and rate checks of every call.
//!
//! What a client may do is read from the database on every request, like a person's rights:
//! the scopes of its token ∩ the scopes it is granted now ∩ the grants of its role now (if it
//! has one). Its row scope is its role's: a town role ties it to that town, anything else
//! (a provincial or bureau role, or none) is district-wide. It acts as a user row of its own
//! named `client:<client_id>`, so every audit entry and actor column names the client.
use std::net::IpAddr;

use auth::policy::{DataDomain, Permissions, RoleKind};
use auth::scopes::ScopeSet;
use auth::tokens::{AccessClaims, TokenService};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use ipnet::IpNet;
use rand::RngCore;
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};

use super::principal::Principal;
use crate::error::{ApiError, ApiResult};
use crate::persistence::audit::{self, AuditEntry, Outcome};
use crate::persistence::service_clients::{self as store, RoleGrants, StoredClient, ACTOR_PREFIX};

/// Public client ids start with this (then 96 random bits in hex).
pub const CLIENT_ID_PREFIX: &str = "svc_";
/// Client secrets start with this (then 256 random bits, base64url), so that secret scanners
/// can recognise a leaked one.
pub const SECRET_PREFIX: &str = "hxs_";
/// Default and bounds of a client's requests per minute.
pub const DEFAULT_RATE_LIMIT_PER_MINUTE: i32 = 60;
pub const MAX_RATE_LIMIT_PER_MINUTE: i32 = 10_000;
/// Mark a client as used at most this often (a write per request would be wasteful).
const LAST_USED_RESOLUTION_SECONDS: i64 = 60;

/// A new public client id.
pub fn new_client_id() -> String {
    let mut bytes = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{CLIENT_ID_PREFIX}{}", hex::encode(bytes))
}

/// A new client secret of 256 random bits; only its argon2id hash is stored.
pub fn new_client_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{SECRET_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Hashes a secret as passwords are hashed (argon2id).
pub fn hash_secret(secret: &str) -> ApiResult<String> {
    auth::password::hash_password(secret).map_err(|error| {
        ApiError::Internal(anyhow::anyhow!("cannot hash a client secret: {error}"))
    })
}

/// Identifies the secret a token was obtained with (the token's `sid`): a digest of the stored
/// hash, so that replacing the secret ends every token issued with the old one.
pub fn credential_id(secret_hash: &str) -> String {
    let digest = Sha256::digest(secret_hash.as_bytes());
    hex::encode(&digest[..16])
}

/// A CIDR block or a single address (`10.0.0.0/8`, `192.168.1.7`, `2001:db8::/32`), with the
/// host bits cleared.
pub fn parse_network(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    let network = match text.parse::<IpNet>() {
        Ok(network) => network,
        Err(_) => text.parse::<IpAddr>().map(IpNet::from).map_err(|_| {
            format!("{text:?} is not a CIDR block or an IP address, e.g. 10.0.0.0/8 or 192.168.1.7")
        })?,
    };
    Ok(network.trunc())
}

/// The addresses a client may call from: CIDR blocks; empty means any address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList(Vec<IpNet>);

impl AllowList {
    /// Parses the blocks; on failure, the index of the first bad one and why.
    pub fn parse_list<'a>(
        items: impl IntoIterator<Item = &'a str>,
    ) -> Result<AllowList, (usize, String)> {
        let mut networks = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            let network = parse_network(item).map_err(|error| (index, error))?;
            if !networks.contains(&network) {
                networks.push(network);
            }
        }
        Ok(AllowList(networks))
    }

    /// The stored, comma-separated form. A stored list that no longer parses is an error,
    /// never "any address".
    pub fn parse_stored(text: &str) -> Result<AllowList, String> {
        AllowList::parse_list(text.split(',').filter(|item| !item.trim().is_empty()))
            .map_err(|(_, error)| error)
    }

    pub fn to_stored(&self) -> String {
        self.entries().join(",")
    }

    pub fn entries(&self) -> Vec<String> {
        self.0.iter().map(ToString::to_string).collect()
    }

    /// Whether a call from `address` is allowed: any address when the list is empty; with a
    /// list, only a known address inside one of its blocks.
    pub fn allows(&self, address: Option<IpAddr>) -> bool {
        if self.0.is_empty() {
            return true;
        }
        address
            .map(|address| address.to_canonical())
            .is_some_and(|address| self.0.iter().any(|network| network.contains(&address)))
    }
}

/// The client's address: the peer, unless the peer is a trusted proxy, in which case
/// `X-Forwarded-For` is read from the right, skipping trusted proxies; the first address that
/// is not one is the client. An entry that is not an address stops the walk (what lies left of
/// it cannot be trusted), and the last trusted hop is answered.
pub fn client_address(
    peer: Option<IpAddr>,
    forwarded_for: &[&str],
    trusted_proxies: &[IpNet],
) -> Option<IpAddr> {
    let trusted = |address: &IpAddr| trusted_proxies.iter().any(|net| net.contains(address));
    let mut current = peer?.to_canonical();
    if !trusted(&current) {
        return Some(current);
    }
    let hops: Vec<&str> = forwarded_for
        .iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.iter().rev() {
        let Some(address) = parse_hop(hop) else {
            return Some(current);
        };
        current = address;
        if !trusted(&current) {
            return Some(current);
        }
    }
    Some(current)
}

/// `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:443`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| {
            hop.parse::<std::net::SocketAddr>()
                .ok()
                .map(|socket| socket.ip())
        })
        .map(|address| address.to_canonical())
}

/// What a client's principal carries besides the ordinary fields: its limits.
#[derive(Debug, Clone)]
pub struct ServiceClientIdentity {
    /// The row id (`service_client.id`).
    pub id: i64,
    /// The public client id.
    pub client_id: String,
    pub rate_limit_per_minute: u32,
    pub allow_list: AllowList,
    /// The scopes in effect for this request (token ∩ granted ∩ role).
    pub scopes: ScopeSet,
}

/// The stored scopes of a client; a stored value that no longer parses is an internal error.
fn stored_scopes(client: &StoredClient) -> ApiResult<ScopeSet> {
    ScopeSet::parse_space_separated(&client.client.scopes).map_err(|error| {
        ApiError::Internal(anyhow::anyhow!(
            "service client {} has unreadable scopes: {error}",
            client.client.client_id
        ))
    })
}

fn stored_allow_list(client: &StoredClient) -> ApiResult<AllowList> {
    AllowList::parse_stored(&client.client.ip_allow_list).map_err(|error| {
        ApiError::Internal(anyhow::anyhow!(
            "service client {} has an unreadable allow-list: {error}",
            client.client.client_id
        ))
    })
}

/// Whether a role may be given to a client: business roles only (三员: administrators'
/// duties are never delegated to a machine).
pub fn is_business_role(kind: &str) -> bool {
    matches!(
        RoleKind::from_code(kind),
        Some(RoleKind::Bureau | RoleKind::Town | RoleKind::Provincial)
    )
}

/// What a role's policy rows allow (nothing for a role that is not a business role).
pub fn role_permissions(role: &RoleGrants) -> Permissions {
    if !is_business_role(&role.role.kind) {
        return Permissions::default();
    }
    Permissions::from_grants(role.grants.iter().filter_map(|grant| {
        DataDomain::from_code(&grant.domain).map(|domain| auth::policy::Grant {
            domain,
            can_read: grant.can_read,
            can_write: grant.can_write,
        })
    }))
}

/// The client's granted scopes, capped by its role when it has one.
fn granted_scopes(client: &StoredClient, role: Option<&RoleGrants>) -> ApiResult<ScopeSet> {
    let scopes = stored_scopes(client)?;
    match (client.client.role_id, role) {
        (None, _) => Ok(scopes),
        (Some(_), Some(role)) => Ok(scopes.capped_by(&role_permissions(role))),
        // The role vanished: grant nothing rather than everything.
        (Some(_), None) => Ok(ScopeSet::default()),
    }
}

async fn role_of(db: &DatabaseConnection, client: &StoredClient) -> ApiResult<Option<RoleGrants>> {
    match client.client.role_id {
        Some(role_id) => Ok(store::role_grants(db, role_id).await?),
        None => Ok(None),
    }
}

fn actor_label(client_id: &str) -> String {
    format!("{ACTOR_PREFIX}{client_id}")
}

/// Credentials presented at the token endpoint.
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: String,
}

/// A token issued to a client.
#[derive(Debug)]
pub struct IssuedToken {
    pub access_token: String,
    pub expires_in: i64,
    /// The scopes granted, space-separated.
    pub scope: String,
}

/// Why the token endpoint refused (RFC 6749 §5.2).
#[derive(Debug)]
pub enum TokenRefusal {
    /// Unknown client, wrong secret or disabled client: one answer for all.
    InvalidClient,
    InvalidScope(String),
    /// Authenticated, but not from this address.
    UnauthorizedClient(String),
    Internal(ApiError),
}

impl From<ApiError> for TokenRefusal {
    fn from(error: ApiError) -> TokenRefusal {
        TokenRefusal::Internal(error)
    }
}

impl From<sea_orm::DbErr> for TokenRefusal {
    fn from(error: sea_orm::DbErr) -> TokenRefusal {
        TokenRefusal::Internal(error.into())
    }
}

/// Checks client credentials and issues an access token for the requested scopes (all the
/// client's scopes when none are asked for). Unknown clients cost the same work as known ones
/// (a dummy argon2 verification), and unknown, wrong and disabled get the same answer. Every
/// attempt is audited.
pub async fn issue_token(
    db: &DatabaseConnection,
    tokens: &TokenService,
    credentials: &ClientCredentials,
    requested_scope: Option<&str>,
    address: Option<IpAddr>,
) -> Result<IssuedToken, TokenRefusal> {
    let now = Utc::now();
    let presented: String = credentials.client_id.chars().take(64).collect();
    let Some(client) = store::find_by_client_id(db, &presented).await? else {
        auth::password::verify_against_dummy(&credentials.client_secret);
        audit::record(
            db,
            AuditEntry::system("client.token", "ServiceClient", None)
                .actor_label(&actor_label(&presented))
                .outcome(Outcome::Failure)
                .detail("unknown client"),
        )
        .await?;
        return Err(TokenRefusal::InvalidClient);
    };
    let secret_ok =
        auth::password::verify_password(&credentials.client_secret, &client.client.secret_hash);
    let failure = |detail: String| {
        AuditEntry::system("client.token", "ServiceClient", Some(client.client.id))
            .actor(Some(client.user_id), &actor_label(&client.client.client_id))
            .outcome(Outcome::Failure)
            .detail(detail)
    };
    if !secret_ok || client.client.disabled {
        let reason = if client.client.disabled {
            "client disabled"
        } else {
            "wrong secret"
        };
        audit::record(db, failure(reason.to_string())).await?;
        return Err(TokenRefusal::InvalidClient);
    }
    if !stored_allow_list(&client)?.allows(address) {
        let shown = address.map_or_else(|| "an unknown address".to_string(), |a| a.to_string());
        audit::record(db, failure(format!("address {shown} not allowed"))).await?;
        return Err(TokenRefusal::UnauthorizedClient(format!(
            "this client may not obtain tokens from {shown}; ask the security administrator to add the address to its allow-list"
        )));
    }
    let role = role_of(db, &client).await?;
    let own = stored_scopes(&client)?;
    let granted = granted_scopes(&client, role.as_ref())?;
    let scopes = match requested_scope.map(ScopeSet::parse_space_separated) {
        None => granted,
        Some(Err(error)) => {
            audit::record(db, failure(format!("invalid scope: {error}"))).await?;
            return Err(TokenRefusal::InvalidScope(error.to_string()));
        }
        Some(Ok(requested)) => {
            if let Some(beyond) = own.first_not_covered(&requested) {
                let message = format!(
                    "the scope {} was not granted to this client; it holds: {}",
                    beyond.code(),
                    own.to_space_separated()
                );
                audit::record(db, failure(message.clone())).await?;
                return Err(TokenRefusal::InvalidScope(message));
            }
            requested.intersect(&granted)
        }
    };
    if scopes.is_empty() {
        let message = "none of the scopes asked for is in effect: the client holds no scope its role still grants; ask the security administrator".to_string();
        audit::record(db, failure(message.clone())).await?;
        return Err(TokenRefusal::InvalidScope(message));
    }
    let scope = scopes.to_space_separated();
    let (access_token, expires_at) = tokens
        .issue_client_token(
            client.user_id,
            &credential_id(&client.client.secret_hash),
            &client.client.client_id,
            &scope,
            now,
        )
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("cannot sign a token: {error}")))?;
    store::touch_last_used(db, client.client.id, now).await?;
    audit::record(
        db,
        AuditEntry::system("client.token", "ServiceClient", Some(client.client.id))
            .actor(Some(client.user_id), &actor_label(&client.client.client_id))
            .roles(
                &role
                    .as_ref()
                    .map(|role| role.role.code.clone())
                    .unwrap_or_default(),
            )
            .detail(serde_json::json!({ "scope": scope }).to_string()),
    )
    .await?;
    Ok(IssuedToken {
        access_token,
        expires_in: (expires_at - now).num_seconds(),
        scope,
    })
}

fn refused(code: &'static str, message: &str) -> ApiError {
    ApiError::Unauthenticated {
        code,
        message: message.to_string(),
    }
}

/// Turns a validated client token into the request's principal, reading the client, its
/// role and the role's policy rows from the database (so disabling a client, rotating its
/// secret or narrowing its scopes takes effect at once).
pub async fn authenticate(
    db: &DatabaseConnection,
    claims: &AccessClaims,
    client_id: &str,
    now: DateTime<Utc>,
) -> ApiResult<Principal> {
    let Some(client) = store::find_by_client_id(db, client_id).await? else {
        return Err(refused(
            "TOKEN_INVALID",
            "the service client of this token no longer exists",
        ));
    };
    if Some(client.user_id) != claims.user_id() {
        return Err(refused(
            "TOKEN_INVALID",
            "the token does not belong to its service client",
        ));
    }
    if client.client.disabled {
        return Err(refused(
            "CLIENT_DISABLED",
            "this service client is disabled; ask the security administrator",
        ));
    }
    if credential_id(&client.client.secret_hash) != claims.sid {
        return Err(refused(
            "TOKEN_REVOKED",
            "the client secret was replaced after this token was issued; obtain a new token with the new secret",
        ));
    }
    let token_scopes = ScopeSet::parse_space_separated(claims.scope.as_deref().unwrap_or(""))
        .map_err(|_| refused("TOKEN_INVALID", "the token's scope is not readable"))?;
    let role = role_of(db, &client).await?;
    let scopes = token_scopes.intersect(&granted_scopes(&client, role.as_ref())?);
    let stale = client
        .client
        .last_used_at
        .is_none_or(|used| now - used > Duration::seconds(LAST_USED_RESOLUTION_SECONDS));
    if stale {
        store::touch_last_used(db, client.client.id, now).await?;
    }
    let identity = ServiceClientIdentity {
        id: client.client.id,
        client_id: client.client.client_id.clone(),
        rate_limit_per_minute: u32::try_from(client.client.rate_limit_per_minute.max(1))
            .unwrap_or(1),
        allow_list: stored_allow_list(&client)?,
        scopes,
    };
    Ok(Principal::for_service_client(
        identity,
        client.user_id,
        &client.client.name,
        &claims.sid,
        role.as_ref(),
    ))
}

/// Why a client's call was refused before it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallRefusal {
    AddressNotAllowed(Option<IpAddr>),
    RateLimited { per_minute: u32 },
}

/// The checks every call of a client passes: its address allow-list, then its own rate limit
/// (per server instance). People pass unchecked.
pub fn admit(
    principal: &Principal,
    address: Option<IpAddr>,
    limits: &super::rate_limit::RateLimits,
) -> Result<(), CallRefusal> {
    let Some(client) = &principal.service_client else {
        return Ok(());
    };
    if !client.allow_list.allows(address) {
        return Err(CallRefusal::AddressNotAllowed(address));
    }
    if !limits.allow_client_request(client.id, client.rate_limit_per_minute) {
        return Err(CallRefusal::RateLimited {
            per_minute: client.rate_limit_per_minute,
        });
    }
    Ok(())
}

/// Records a call refused for its address (a token used from elsewhere may be stolen).
pub async fn record_refused_call(
    db: &DatabaseConnection,
    principal: &Principal,
    refusal: &CallRefusal,
) -> ApiResult<()> {
    let Some(client) = &principal.service_client else {
        return Ok(());
    };
    let detail = match refusal {
        CallRefusal::AddressNotAllowed(address) => format!(
            "address {} not allowed",
            address.map_or_else(|| "unknown".to_string(), |a| a.to_string())
        ),
        CallRefusal::RateLimited { per_minute } => {
            format!("more than {per_minute} requests a minute")
        }
    };
    audit::record(
        db,
        AuditEntry::by(principal, "client.call", "ServiceClient", Some(client.id))
            .outcome(Outcome::Failure)
            .detail(detail),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn nets(items: &[&str]) -> Vec<IpNet> {
        items
            .iter()
            .map(|item| parse_network(item).unwrap())
            .collect()
    }

    #[test]
    fn secrets_carry_256_random_bits_and_ids_are_distinct() {
        let secret = new_client_secret();
        let body = secret.strip_prefix(SECRET_PREFIX).unwrap();
        assert_eq!(URL_SAFE_NO_PAD.decode(body).unwrap().len(), 32);
        assert_ne!(new_client_secret(), secret);
        let id = new_client_id();
        assert!(id.starts_with(CLIENT_ID_PREFIX) && id.len() == 28, "{id}");
        assert!(!id.contains(':'), "Basic authentication splits at ':'");
        assert_ne!(new_client_id(), id);
    }

    #[test]
    fn the_credential_id_changes_with_the_secret_hash() {
        assert_eq!(credential_id("a"), credential_id("a"));
        assert_ne!(credential_id("a"), credential_id("b"));
        assert_eq!(credential_id("a").len(), 32);
    }

    #[test]
    fn networks_are_cidr_blocks_or_single_addresses() {
        assert_eq!(
            parse_network("10.1.2.3/8").unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert_eq!(
            parse_network(" 192.168.1.7 ").unwrap().to_string(),
            "192.168.1.7/32"
        );
        assert_eq!(
            parse_network("2001:db8::1/32").unwrap().to_string(),
            "2001:db8::/32"
        );
        for bad in ["", "10.0.0.0/33", "example.org", "10.0.0"] {
            assert!(parse_network(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_empty_allow_list_allows_any_address_and_a_list_only_its_blocks() {
        assert!(AllowList::default().allows(Some(ip("203.0.113.9"))));
        assert!(AllowList::default().allows(None));
        let list = AllowList::parse_list(["10.0.0.0/8", "192.168.1.7"]).unwrap();
        assert!(list.allows(Some(ip("10.200.0.1"))));
        assert!(list.allows(Some(ip("192.168.1.7"))));
        assert!(list.allows(Some(ip("::ffff:10.0.0.1"))), "IPv4-mapped IPv6");
        assert!(!list.allows(Some(ip("192.168.1.8"))));
        assert!(!list.allows(None), "an unknown address is not in any block");
        assert_eq!(list.to_stored(), "10.0.0.0/8,192.168.1.7/32");
        assert_eq!(AllowList::parse_stored(&list.to_stored()).unwrap(), list);
        assert_eq!(AllowList::parse_stored("").unwrap(), AllowList::default());
        assert!(AllowList::parse_stored("10.0.0.0/8,nonsense").is_err());
        assert_eq!(AllowList::parse_list(["10.0.0.0/8", "x"]).unwrap_err().0, 1);
    }

    #[test]
    fn forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
        let none: Vec<IpNet> = Vec::new();
        assert_eq!(
            client_address(Some(ip("198.51.100.1")), &["10.0.0.1"], &none),
            Some(ip("198.51.100.1"))
        );
        let proxies = nets(&["127.0.0.1", "172.16.0.0/12"]);
        assert_eq!(
            client_address(Some(ip("198.51.100.1")), &["10.0.0.1"], &proxies),
            Some(ip("198.51.100.1")),
            "a peer that is not a proxy cannot claim another address"
        );
        assert_eq!(client_address(None, &["10.0.0.1"], &proxies), None);
    }

    #[test]
    fn behind_trusted_proxies_the_first_untrusted_hop_from_the_right_is_the_client() {
        let proxies = nets(&["127.0.0.1", "172.16.0.0/12"]);
        let peer = Some(ip("127.0.0.1"));
        assert_eq!(
            client_address(peer, &["10.0.0.1"], &proxies),
            Some(ip("10.0.0.1"))
        );
        // A client that sends its own X-Forwarded-For cannot hide behind it.
        assert_eq!(
            client_address(peer, &["1.1.1.1, 10.0.0.1, 172.16.0.5"], &proxies),
            Some(ip("10.0.0.1"))
        );
        assert_eq!(
            client_address(peer, &["1.1.1.1", "10.0.0.1:5555"], &proxies),
            Some(ip("10.0.0.1")),
            "several header lines and ports"
        );
        assert_eq!(
            client_address(peer, &["[2001:db8::7]:443"], &proxies),
            Some(ip("2001:db8::7"))
        );
        assert_eq!(
            client_address(peer, &["garbage, 172.16.0.9"], &proxies),
            Some(ip("172.16.0.9")),
            "an unreadable hop stops the walk at the last trusted one"
        );
        assert_eq!(client_address(peer, &[], &proxies), Some(ip("127.0.0.1")));
    }

    #[test]
    fn only_business_roles_may_be_given_to_a_client() {
        for kind in ["bureau", "town", "provincial"] {
            assert!(is_business_role(kind), "{kind}");
        }
        for kind in ["system_admin", "security_admin", "auditor", "nonsense"] {
            assert!(!is_business_role(kind), "{kind}");
        }
    }
}
