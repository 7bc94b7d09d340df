//! Access tokens (JWT, HS256 only, with `kid`, `iss`, `aud`, `exp`, `nbf`, `iat`, `jti`, all
//! checked) and opaque refresh tokens of which only a SHA-256 hash is stored.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use std::num::NonZeroUsize;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use lru::LruCache;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::keys::KeyRing;

/// Clock skew tolerated between servers, in seconds.
pub const LEEWAY_SECONDS: i64 = 30;
/// The one algorithm this server signs and accepts.
pub const ALGORITHM: Algorithm = Algorithm::HS256;
/// Longer bearer strings are refused unread (ours are about 300 bytes).
pub const MAX_TOKEN_BYTES: usize = 4096;
/// How many verified tokens a [`TokenService`] remembers (about 1 KB each with their claims):
/// every token signed in at once on one instance, for a district's staff.
pub const VERIFIED_TOKENS: usize = 4096;

/// The claims of an access token. Roles are deliberately absent: the server reads them from
/// the database on every request, so nothing a client edits can widen them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessClaims {
    /// The user id, in decimal.
    pub sub: String,
    /// The session id (`user_session`), checked against the database on every request.
    pub sid: String,
    pub iss: String,
    pub aud: String,
    /// Expiry, issue time and start of validity: seconds since the epoch, as numbers.
    pub exp: i64,
    pub nbf: i64,
    pub iat: i64,
    /// A unique token id (128 random bits).
    pub jti: String,
    /// Present only in a service client's token (OAuth 2.0 client credentials, the claim of
    /// RFC 9068 §2.2): the client's public id. `sub` is then the user row the client acts as
    /// and `sid` identifies the client secret the token was obtained with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Present only in a service client's token: the scopes it was issued for, separated by
    /// spaces (RFC 9068 §2.2.3). They only narrow what the database grants the client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl AccessClaims {
    /// The user id of `sub`; validated tokens always have one.
    pub fn user_id(&self) -> Option<i64> {
        self.sub.parse().ok().filter(|id: &i64| *id > 0)
    }
}

/// Why a token was refused. Messages never echo the token.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the access token is not a well-formed JWT")]
    Malformed,
    #[error("the access token has expired; renew it with refreshSession or sign in again")]
    Expired,
    #[error("the access token is not valid yet")]
    NotYetValid,
    #[error("the access token was signed by a key this server does not know")]
    UnknownKey,
    #[error("the access token names no signing key (kid)")]
    MissingKeyId,
    #[error("the access token uses an algorithm this server does not accept (only HS256)")]
    AlgorithmNotAllowed,
    #[error("the access token's signature is wrong")]
    BadSignature,
    #[error("the access token was issued by someone else")]
    WrongIssuer,
    #[error("the access token is meant for another audience")]
    WrongAudience,
    #[error("the access token's claims are missing or of the wrong type")]
    InvalidClaims,
    #[error("cannot sign the token")]
    Signing,
}

impl TokenError {
    /// The stable code the API returns (`extensions.code`) with HTTP 401.
    pub fn code(&self) -> &'static str {
        match self {
            TokenError::Expired => "TOKEN_EXPIRED",
            TokenError::NotYetValid => "TOKEN_NOT_YET_VALID",
            TokenError::UnknownKey | TokenError::MissingKeyId => "TOKEN_UNKNOWN_KEY",
            TokenError::AlgorithmNotAllowed => "TOKEN_ALGORITHM",
            TokenError::Malformed => "TOKEN_MALFORMED",
            TokenError::BadSignature
            | TokenError::WrongIssuer
            | TokenError::WrongAudience
            | TokenError::InvalidClaims => "TOKEN_INVALID",
            TokenError::Signing => "INTERNAL",
        }
    }
}

/// Issues and validates access tokens with a key ring.
pub struct TokenService {
    keys: KeyRing,
    issuer: String,
    audience: String,
    access_ttl: Duration,
    /// Tokens whose header, signature and claims were checked, by their exact text, with
    /// their claims: a client sends the same token with every request for its lifetime, and
    /// its signature and claims cannot change (the key ring, issuer and audience are fixed for
    /// the service's life), so they are checked once. Only the times are checked on every use.
    verified: Mutex<LruCache<Box<str>, AccessClaims>>,
}

impl TokenService {
    pub fn new(keys: KeyRing, issuer: &str, audience: &str, access_ttl: Duration) -> TokenService {
        TokenService {
            keys,
            issuer: issuer.to_string(),
            audience: audience.to_string(),
            access_ttl,
            verified: Mutex::new(LruCache::new(
                NonZeroUsize::new(VERIFIED_TOKENS).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }

    pub fn keys(&self) -> &KeyRing {
        &self.keys
    }

    /// How long an access token lives.
    pub fn access_ttl(&self) -> Duration {
        self.access_ttl
    }

    fn claims(
        &self,
        user_id: i64,
        session_id: &str,
        now: DateTime<Utc>,
    ) -> (AccessClaims, DateTime<Utc>) {
        let expires_at = now + self.access_ttl;
        let claims = AccessClaims {
            sub: user_id.to_string(),
            sid: session_id.to_string(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            exp: expires_at.timestamp(),
            nbf: now.timestamp(),
            iat: now.timestamp(),
            jti: random_token(16),
            client_id: None,
            scope: None,
        };
        (claims, expires_at)
    }

    /// Signs a token for the user and session with the current key.
    pub fn issue_access_token(
        &self,
        user_id: i64,
        session_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), TokenError> {
        let (claims, expires_at) = self.claims(user_id, session_id, now);
        self.sign(&claims, expires_at)
    }

    /// Signs a service client's token (OAuth 2.0 client credentials): `user_id` is the user
    /// row the client acts as, `credential_id` identifies the secret it authenticated with
    /// (so that rotating the secret ends its tokens), `scope` the granted scopes.
    pub fn issue_client_token(
        &self,
        user_id: i64,
        credential_id: &str,
        client_id: &str,
        scope: &str,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), TokenError> {
        let (mut claims, expires_at) = self.claims(user_id, credential_id, now);
        claims.client_id = Some(client_id.to_string());
        claims.scope = Some(scope.to_string());
        self.sign(&claims, expires_at)
    }

    fn sign(
        &self,
        claims: &AccessClaims,
        expires_at: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), TokenError> {
        let key = self.keys.current();
        let mut header = Header::new(ALGORITHM);
        header.kid = Some(key.kid.clone());
        let encoding = EncodingKey::from_secret(key.secret()).map_err(|_| TokenError::Signing)?;
        let token =
            jsonwebtoken::encode(&header, claims, &encoding).map_err(|_| TokenError::Signing)?;
        Ok((token, expires_at))
    }

    /// Validates a token completely; never panics, whatever the input.
    ///
    /// In order: size and shape; the header (`alg` exactly `HS256` — `none`, RS*, ES*, PS*,
    /// EdDSA and HS384/512 are refused before any key is looked at —, no `crit`, `kid` present
    /// and in the ring); the signature; the claims (`iss`, `aud`, numeric `exp`/`nbf`/`iat`,
    /// a numeric `sub`, non-empty `sid` and `jti`); then the times against `now` with
    /// [`LEEWAY_SECONDS`] of tolerance: expired once `now ≥ exp + leeway`, not yet valid while
    /// `now + leeway < nbf` or `now + leeway < iat`. A token that passed all but the times
    /// before is not checked again (see `verified`); its times are, every time.
    pub fn validate_access_token(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<AccessClaims, TokenError> {
        if token.is_empty() || token.len() > MAX_TOKEN_BYTES {
            return Err(TokenError::Malformed);
        }
        let known = self
            .verified
            .lock()
            .ok()
            .and_then(|mut verified| verified.get(token).cloned());
        let claims = match known {
            Some(claims) => claims,
            None => {
                let claims = self.verify(token)?;
                if let Ok(mut verified) = self.verified.lock() {
                    verified.put(token.into(), claims.clone());
                }
                claims
            }
        };
        check_times(&claims, now)?;
        Ok(claims)
    }

    /// Everything [`Self::validate_access_token`] checks except the times.
    fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        let kid = checked_key_id(token)?;
        let key = self.keys.find(&kid).ok_or(TokenError::UnknownKey)?;
        let mut validation = Validation::new(ALGORITHM);
        validation.algorithms = vec![ALGORITHM];
        // The times are checked by `check_times` against the caller's clock, on every use.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.required_spec_claims = ["exp", "nbf", "iss", "aud", "sub"]
            .iter()
            .map(|claim| claim.to_string())
            .collect();
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        let decoding =
            DecodingKey::from_secret(key.secret()).map_err(|_| TokenError::UnknownKey)?;
        let decoded = jsonwebtoken::decode::<AccessClaims>(token, &decoding, &validation).map_err(
            |error| {
                use jsonwebtoken::errors::ErrorKind;
                match error.kind() {
                    ErrorKind::InvalidSignature => TokenError::BadSignature,
                    ErrorKind::InvalidIssuer => TokenError::WrongIssuer,
                    ErrorKind::InvalidAudience => TokenError::WrongAudience,
                    ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
                        TokenError::AlgorithmNotAllowed
                    }
                    ErrorKind::InvalidToken | ErrorKind::Base64(_) | ErrorKind::Utf8(_) => {
                        TokenError::Malformed
                    }
                    // Missing or mistyped claims (a string `exp`), undecodable JSON.
                    _ => TokenError::InvalidClaims,
                }
            },
        )?;
        let claims = decoded.claims;
        if claims.jti.is_empty()
            || claims.sid.is_empty()
            || claims.user_id().is_none()
            || claims.client_id.as_deref() == Some("")
        {
            return Err(TokenError::InvalidClaims);
        }
        Ok(claims)
    }
}

/// The times of verified claims against `now`, with [`LEEWAY_SECONDS`] of tolerance.
fn check_times(claims: &AccessClaims, now: DateTime<Utc>) -> Result<(), TokenError> {
    let now = now.timestamp();
    if now >= claims.exp.saturating_add(LEEWAY_SECONDS) {
        return Err(TokenError::Expired);
    }
    let tolerant_now = now.saturating_add(LEEWAY_SECONDS);
    if tolerant_now < claims.nbf || tolerant_now < claims.iat {
        return Err(TokenError::NotYetValid);
    }
    Ok(())
}

/// Reads the header ourselves, before the library does, so that each way a header can be
/// wrong gets its own answer; returns the `kid`.
fn checked_key_id(token: &str) -> Result<String, TokenError> {
    let mut parts = token.split('.');
    let (Some(header), Some(_), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    let header = URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|_| TokenError::Malformed)?;
    let header: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&header).map_err(|_| TokenError::Malformed)?;
    if header.get("alg").and_then(serde_json::Value::as_str) != Some("HS256") {
        return Err(TokenError::AlgorithmNotAllowed);
    }
    // RFC 7515 §4.1.11: extensions we do not understand must make the token invalid.
    if header.contains_key("crit") {
        return Err(TokenError::Malformed);
    }
    if header.get("typ").is_some_and(|typ| {
        !typ.as_str()
            .is_some_and(|typ| typ.eq_ignore_ascii_case("JWT"))
    }) {
        return Err(TokenError::Malformed);
    }
    match header.get("kid") {
        None => Err(TokenError::MissingKeyId),
        Some(serde_json::Value::String(kid)) if kid.is_empty() => Err(TokenError::MissingKeyId),
        Some(serde_json::Value::String(kid)) => Ok(kid.clone()),
        Some(_) => Err(TokenError::Malformed),
    }
}

fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buffer);
    URL_SAFE_NO_PAD.encode(buffer)
}

/// A new opaque refresh token (256 random bits) and the SHA-256 hex the server stores.
pub fn new_refresh_token() -> (String, String) {
    let plain = random_token(32);
    let hash = hash_refresh_token(&plain);
    (plain, hash)
}

pub fn hash_refresh_token(plain: &str) -> String {
    Sha256::digest(plain.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A new session id (128 random bits).
pub fn new_session_id() -> String {
    random_token(16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap()
    }

    fn service(keys: KeyRing) -> TokenService {
        TokenService::new(keys, "houxu-server", "houxu-api", Duration::minutes(10))
    }

    fn b64(text: &str) -> String {
        URL_SAFE_NO_PAD.encode(text)
    }

    /// Signs arbitrary header and claims JSON with the ring's current secret.
    fn hand_signed(keys: &KeyRing, header: &str, claims: &str) -> String {
        use hmac_free::sign;
        let signing_input = format!("{}.{}", b64(header), b64(claims));
        format!(
            "{signing_input}.{}",
            sign(keys.current().secret(), signing_input.as_bytes())
        )
    }

    /// HMAC-SHA256 built from sha2, so tests can forge tokens with odd claims.
    mod hmac_free {
        use super::*;
        pub fn sign(key: &[u8], message: &[u8]) -> String {
            let mut key_block = [0u8; 64];
            key_block[..key.len()].copy_from_slice(key);
            let inner_pad: Vec<u8> = key_block.iter().map(|b| b ^ 0x36).collect();
            let outer_pad: Vec<u8> = key_block.iter().map(|b| b ^ 0x5c).collect();
            let inner = Sha256::digest([inner_pad.as_slice(), message].concat());
            let outer = Sha256::digest([outer_pad.as_slice(), inner.as_slice()].concat());
            URL_SAFE_NO_PAD.encode(outer)
        }
    }

    fn claims_json(exp: &str) -> String {
        format!(
            r#"{{"sub":"7","sid":"s","iss":"houxu-server","aud":"houxu-api","exp":{exp},"nbf":{n},"iat":{n},"jti":"j"}}"#,
            n = now().timestamp()
        )
    }

    #[test]
    fn a_token_round_trips_with_its_user_and_session() {
        let service = service(KeyRing::generate());
        let (token, expires_at) = service.issue_access_token(7, "session-1", now()).unwrap();
        assert_eq!(expires_at, now() + Duration::minutes(10));
        let claims = service.validate_access_token(&token, now()).unwrap();
        assert_eq!(claims.sub, "7");
        assert_eq!(claims.sid, "session-1");
    }

    #[test]
    fn a_user_token_carries_no_client_claims() {
        let service = service(KeyRing::generate());
        let (token, _) = service.issue_access_token(7, "session-1", now()).unwrap();
        let claims = service.validate_access_token(&token, now()).unwrap();
        assert_eq!((claims.client_id, claims.scope), (None, None));
        let payload = token.split('.').nth(1).unwrap();
        let json = String::from_utf8(URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        assert!(
            !json.contains("client_id") && !json.contains("scope"),
            "{json}"
        );
    }

    #[test]
    fn a_client_token_round_trips_with_its_client_and_scope() {
        let service = service(KeyRing::generate());
        let (token, expires_at) = service
            .issue_client_token(9, "credential-1", "svc_abc", "land:read", now())
            .unwrap();
        assert_eq!(expires_at, now() + Duration::minutes(10));
        let claims = service.validate_access_token(&token, now()).unwrap();
        assert_eq!(claims.user_id(), Some(9));
        assert_eq!(claims.sid, "credential-1");
        assert_eq!(claims.client_id.as_deref(), Some("svc_abc"));
        assert_eq!(claims.scope.as_deref(), Some("land:read"));
    }

    #[test]
    fn an_empty_client_id_claim_is_refused() {
        let keys = KeyRing::generate();
        let service = service(keys.clone());
        let header = format!(
            r#"{{"alg":"HS256","typ":"JWT","kid":"{}"}}"#,
            keys.current_kid()
        );
        let claims = format!(
            r#"{{"sub":"7","sid":"s","iss":"houxu-server","aud":"houxu-api","exp":{},"nbf":{n},"iat":{n},"jti":"j","client_id":""}}"#,
            now().timestamp() + 60,
            n = now().timestamp()
        );
        assert_eq!(
            service.validate_access_token(&hand_signed(&keys, &header, &claims), now()),
            Err(TokenError::InvalidClaims)
        );
    }

    #[test]
    fn the_hand_made_signature_matches_the_library_so_forgery_tests_mean_something() {
        let keys = KeyRing::generate();
        let service = service(keys.clone());
        let header = format!(
            r#"{{"alg":"HS256","typ":"JWT","kid":"{}"}}"#,
            keys.current_kid()
        );
        let token = hand_signed(
            &keys,
            &header,
            &claims_json(&(now().timestamp() + 60).to_string()),
        );
        assert!(service.validate_access_token(&token, now()).is_ok());
    }

    #[test]
    fn an_expired_token_is_refused_after_the_leeway() {
        let service = service(KeyRing::generate());
        let (token, expires_at) = service.issue_access_token(7, "s", now()).unwrap();
        let just_inside = expires_at + Duration::seconds(LEEWAY_SECONDS - 1);
        assert!(service.validate_access_token(&token, just_inside).is_ok());
        let at_limit = expires_at + Duration::seconds(LEEWAY_SECONDS);
        assert_eq!(
            service.validate_access_token(&token, at_limit),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn a_verified_token_is_checked_once_but_its_times_on_every_use() {
        let service = service(KeyRing::generate());
        let (token, expires_at) = service.issue_access_token(7, "s", now()).unwrap();
        let first = service.validate_access_token(&token, now()).unwrap();
        assert_eq!(service.verified.lock().unwrap().len(), 1);
        assert_eq!(service.validate_access_token(&token, now()).unwrap(), first);
        assert_eq!(service.verified.lock().unwrap().len(), 1, "remembered once");
        assert_eq!(
            service.validate_access_token(&token, expires_at + Duration::seconds(LEEWAY_SECONDS)),
            Err(TokenError::Expired),
            "the remembered token still expires"
        );
        assert_eq!(
            service.validate_access_token(&token, now() - Duration::seconds(LEEWAY_SECONDS + 1)),
            Err(TokenError::NotYetValid),
            "and is still not valid before it was issued"
        );
    }

    #[test]
    fn an_altered_copy_of_a_verified_token_is_still_refused_and_refusals_are_not_remembered() {
        let keys = KeyRing::generate();
        let service = service(keys.clone());
        let (token, _) = service.issue_access_token(7, "s", now()).unwrap();
        service.validate_access_token(&token, now()).unwrap();
        let (head, signature) = token.rsplit_once('.').unwrap();
        let flipped = if signature.starts_with('A') { "B" } else { "A" };
        let forged = format!("{head}.{flipped}{}", &signature[1..]);
        assert_eq!(
            service.validate_access_token(&forged, now()),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            service.validate_access_token(&format!("{token}x"), now()),
            Err(TokenError::BadSignature)
        );
        let other_ring = self::service(KeyRing::generate());
        assert_eq!(
            other_ring.validate_access_token(&token, now()),
            Err(TokenError::UnknownKey),
            "what one service verified means nothing to a service with other keys"
        );
        assert_eq!(service.verified.lock().unwrap().len(), 1);
    }

    #[test]
    fn the_verified_tokens_remembered_are_bounded() {
        let service = service(KeyRing::generate());
        let mut first = None;
        for user in 1..=(VERIFIED_TOKENS as i64 + 10) {
            let (token, _) = service.issue_access_token(user, "s", now()).unwrap();
            service.validate_access_token(&token, now()).unwrap();
            first.get_or_insert(token);
        }
        assert_eq!(service.verified.lock().unwrap().len(), VERIFIED_TOKENS);
        let first = first.unwrap();
        assert!(!service.verified.lock().unwrap().contains(first.as_str()));
        assert_eq!(
            service
                .validate_access_token(&first, now())
                .unwrap()
                .user_id(),
            Some(1),
            "a forgotten token is verified again"
        );
    }

    #[test]
    fn a_not_before_in_the_future_beyond_the_leeway_is_not_yet_valid() {
        let keys = KeyRing::generate();
        let service = service(keys.clone());
        let header = format!(
            r#"{{"alg":"HS256","typ":"JWT","kid":"{}"}}"#,
            keys.current_kid()
        );
        let n = now().timestamp();
        let with_times = |nbf: i64, iat: i64| {
            let claims = format!(
                r#"{{"sub":"7","sid":"s","iss":"houxu-server","aud":"houxu-api","exp":{},"nbf":{nbf},"iat":{iat},"jti":"j"}}"#,
                n + 600
            );
            service.validate_access_token(&hand_signed(&keys, &header, &claims), now())
        };
        assert_eq!(
            with_times(n + LEEWAY_SECONDS + 1, n),
            Err(TokenError::NotYetValid)
        );
        assert!(with_times(n + LEEWAY_SECONDS, n).is_ok());
        // Issued in the future: the clock of whoever signed it is wrong, or it is forged.
        assert_eq!(
            with_times(n, n + LEEWAY_SECONDS + 1),
            Err(TokenError::NotYetValid)
        );
    }

    #[test]
    fn a_token_from_the_future_is_not_yet_valid() {
        let service = service(KeyRing::generate());
        let (token, _) = service
            .issue_access_token(7, "s", now() + Duration::minutes(5))
            .unwrap();
        assert_eq!(
            service.validate_access_token(&token, now()),
            Err(TokenError::NotYetValid)
        );
    }

    #[test]
    fn unknown_and_missing_key_ids_are_refused() {
        let service = service(KeyRing::generate());
        let other = TokenService::new(
            KeyRing::generate(),
            "houxu-server",
            "houxu-api",
            Duration::minutes(10),
        );
        let (token, _) = other.issue_access_token(7, "s", now()).unwrap();
        assert_eq!(
            service.validate_access_token(&token, now()),
            Err(TokenError::UnknownKey)
        );
        let keys = service.keys().clone();
        let token = hand_signed(
            &keys,
            r#"{"alg":"HS256","typ":"JWT"}"#,
            &claims_json("9999999999"),
        );
        assert_eq!(
            service.validate_access_token(&token, now()),
            Err(TokenError::MissingKeyId)
        );
        let token = hand_signed(
            &keys,
            r#"{"alg":"HS256","typ":"JWT","kid":""}"#,
            &claims_json("9999999999"),
        );
        assert_eq!(
            service.validate_access_token(&token, now()),
            Err(TokenError::MissingKeyId)
        );
    }

    #[test]
    fn an_alg_none_token_is_refused_as_a_wrong_algorithm() {
        let keys = KeyRing::generate();
        let service = service(keys.clone());
        let claims = claims_json("9999999999");
        let kid = keys.current_kid();
        for header in [
            r#"{"alg":"none","typ":"JWT"}"#.to_string(),
            format!(r#"{{"alg":"none","typ":"JWT","kid":"{kid}"}}"#),
            format!(r#"{{"alg":"None","kid":"{kid}"}}"#),
            format!(r#"{{"typ":"JWT","kid":"{kid}"}}"#),
        ] {
            let token = format!("{}.{}.", b64(&header), b64(&claims));
            let refused = service.validate_access_token(&token, now());
            assert_eq!(refused, Err(TokenError::AlgorithmNotAllowed), "{header}");
            assert_eq!(refused.unwrap_err().code(), "TOKEN_ALGORITHM");
        }
    }

    #[test]
    fn an_rs256_header_over_an_hmac_of_the_secret_is_refused() {
        // HS/RS confusion: a verifier that trusted the header would check an HMAC with the
        // "public key"; here the HMAC is even made with the real secret, and still refused.
        let keys = KeyRing::generate();
        let service = service(keys.clone());
        let claims = claims_json("9999999999");
        let kid = keys.current_kid();
        for alg in [
            "RS256", "ES256", "PS256", "EdDSA", "HS384", "HS512", "hs256",
        ] {
            let header = format!(r#"{{"alg":"{alg}","typ":"JWT","kid":"{kid}"}}"#);
            let token = hand_signed(&keys, &header, &claims);
            assert_eq!(
                service.validate_access_token(&token, now()),
                Err(TokenError::AlgorithmNotAllowed),
                "{alg}"
            );
        }
    }

    #[test]
    fn critical_header_extensions_and_foreign_types_are_refused() {
        let keys = KeyRing::generate();
        let service = service(keys.clone());
        let kid = keys.current_kid();
        for header in [
            format!(r#"{{"alg":"HS256","kid":"{kid}","crit":["b64"],"b64":false}}"#),
            format!(r#"{{"alg":"HS256","kid":"{kid}","typ":"JWE"}}"#),
            r#"{"alg":"HS256","kid":7}"#.to_string(),
        ] {
            let token = hand_signed(&keys, &header, &claims_json("9999999999"));
            assert_eq!(
                service.validate_access_token(&token, now()),
                Err(TokenError::Malformed),
                "{header}"
            );
        }
    }

    #[test]
    fn a_string_exp_is_refused_not_a_panic() {
        let keys = KeyRing::generate();
        let service = service(keys.clone());
        let header = format!(
            r#"{{"alg":"HS256","typ":"JWT","kid":"{}"}}"#,
            keys.current_kid()
        );
        let token = hand_signed(&keys, &header, &claims_json(r#""9999999999""#));
        let refused = service.validate_access_token(&token, now());
        assert_eq!(refused, Err(TokenError::InvalidClaims));
        assert_eq!(refused.unwrap_err().code(), "TOKEN_INVALID");
        for exp in ["9999999999.5", "null", "[9999999999]", "-1", "1e10"] {
            let token = hand_signed(&keys, &header, &claims_json(exp));
            assert!(
                service.validate_access_token(&token, now()).is_err(),
                "{exp}"
            );
        }
    }

    #[test]
    fn missing_or_odd_claims_are_refused() {
        let keys = KeyRing::generate();
        let service = service(keys.clone());
        let header = format!(
            r#"{{"alg":"HS256","typ":"JWT","kid":"{}"}}"#,
            keys.current_kid()
        );
        let good = claims_json("9999999999");
        for claims in [
            good.replace(r#","jti":"j""#, ""),
            good.replace(r#""jti":"j""#, r#""jti":"""#),
            good.replace(r#""sid":"s""#, r#""sid":"""#),
            good.replace(r#""sub":"7""#, r#""sub":"admin""#),
            good.replace(r#""sub":"7""#, r#""sub":7"#),
            good.replace(r#""aud":"houxu-api""#, r#""aud":["houxu-api"]"#),
            good.replace(r#","iat":"#, r#","iat_":"#),
            "[]".to_string(),
            "not json".to_string(),
        ] {
            let token = hand_signed(&keys, &header, &claims);
            assert_eq!(
                service.validate_access_token(&token, now()),
                Err(TokenError::InvalidClaims),
                "{claims}"
            );
        }
    }

    #[test]
    fn a_tampered_payload_or_a_foreign_issuer_is_refused() {
        let keys = KeyRing::generate();
        let service = service(keys.clone());
        let (token, _) = service.issue_access_token(7, "s", now()).unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            b64(&claims_json("9999999999").replace("\"7\"", "\"1\"")),
            parts[2]
        );
        assert_eq!(
            service.validate_access_token(&forged, now()),
            Err(TokenError::BadSignature)
        );
        let header = format!(
            r#"{{"alg":"HS256","typ":"JWT","kid":"{}"}}"#,
            keys.current_kid()
        );
        let foreign = hand_signed(
            &keys,
            &header,
            &claims_json("9999999999").replace("houxu-server", "evil"),
        );
        assert_eq!(
            service.validate_access_token(&foreign, now()),
            Err(TokenError::WrongIssuer)
        );
        let audience = hand_signed(
            &keys,
            &header,
            &claims_json("9999999999").replace("houxu-api", "other"),
        );
        assert_eq!(
            service.validate_access_token(&audience, now()),
            Err(TokenError::WrongAudience)
        );
    }

    #[test]
    fn garbage_never_panics() {
        let service = service(KeyRing::generate());
        let long = ".".repeat(10_000);
        for garbage in [
            "",
            ".",
            "a.b",
            "a.b.c",
            "..",
            "e30.e30.e30",
            "Bearer x",
            long.as_str(),
            "💥.💥.💥",
            "e30.e30.",
            "eyJhbGciOiJIUzI1NiJ9..",
            "eyJhbGciOiJIUzI1NiIsImtpZCI6IngifQ.e30.AAAA",
            "\u{0}.\u{0}.\u{0}",
        ] {
            assert!(
                service.validate_access_token(garbage, now()).is_err(),
                "{garbage}"
            );
        }
    }

    #[test]
    fn rotation_keeps_old_tokens_valid_until_the_old_key_is_dropped() {
        let old = KeyRing::generate();
        let (token, _) = service(old.clone())
            .issue_access_token(7, "s", now())
            .unwrap();
        let rotated = old.rotated();
        assert_ne!(rotated.current_kid(), old.current_kid());
        assert!(service(rotated.clone())
            .validate_access_token(&token, now())
            .is_ok());
        let (fresh, _) = service(rotated.clone())
            .issue_access_token(7, "s", now())
            .unwrap();
        let retired = rotated.without(old.current_kid()).unwrap();
        assert_eq!(
            service(retired.clone()).validate_access_token(&token, now()),
            Err(TokenError::UnknownKey)
        );
        assert!(service(retired)
            .validate_access_token(&fresh, now())
            .is_ok());
    }

    #[test]
    fn rotation_by_configuration_text_keeps_the_previous_key_verifying() {
        let old = KeyRing::generate();
        let (token, _) = service(old.clone())
            .issue_access_token(7, "s", now())
            .unwrap();
        let new = KeyRing::generate();
        let both = KeyRing::parse(&format!("{},{}", new.to_spec(), old.to_spec())).unwrap();
        assert_eq!(both.current_kid(), new.current_kid());
        assert!(service(both).validate_access_token(&token, now()).is_ok());
        let only_new = KeyRing::parse(&new.to_spec()).unwrap();
        assert_eq!(
            service(only_new).validate_access_token(&token, now()),
            Err(TokenError::UnknownKey)
        );
    }

    #[test]
    fn refusals_never_echo_the_token() {
        let keys = KeyRing::generate();
        let service = service(keys.clone());
        let (token, _) = service.issue_access_token(7, "s", now()).unwrap();
        let later = now() + Duration::hours(1);
        let error = service.validate_access_token(&token, later).unwrap_err();
        for part in token.split('.') {
            assert!(!error.to_string().contains(part));
        }
        assert!(format!("{error:?}").len() < 40);
    }

    #[test]
    fn every_refusal_has_a_token_code() {
        for error in [
            TokenError::Malformed,
            TokenError::Expired,
            TokenError::NotYetValid,
            TokenError::UnknownKey,
            TokenError::MissingKeyId,
            TokenError::AlgorithmNotAllowed,
            TokenError::BadSignature,
            TokenError::WrongIssuer,
            TokenError::WrongAudience,
            TokenError::InvalidClaims,
        ] {
            assert!(error.code().starts_with("TOKEN_"), "{error:?}");
            assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn session_ids_are_random_and_url_safe() {
        let first = new_session_id();
        assert_ne!(first, new_session_id());
        assert_eq!(first.len(), 22);
        assert!(first
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }

    #[test]
    fn refresh_tokens_are_random_and_only_their_hash_is_kept() {
        let (plain, hash) = new_refresh_token();
        let (other, _) = new_refresh_token();
        assert_ne!(plain, other);
        assert_eq!(hash, hash_refresh_token(&plain));
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(&plain));
    }
}
