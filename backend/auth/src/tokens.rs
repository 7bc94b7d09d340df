//! Access tokens (JWT, HS256 only, with `kid`, `iss`, `aud`, `exp`, `nbf`, `iat`, `jti`, all
//! checked) and opaque refresh tokens of which only a SHA-256 hash is stored.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::keys::KeyRing;

/// Clock skew tolerated between servers, in seconds.
pub const LEEWAY_SECONDS: i64 = 30;
/// The one algorithm this server signs and accepts.
pub const ALGORITHM: Algorithm = Algorithm::HS256;

/// The claims of an access token. Roles are deliberately absent: the server reads them from
/// the database on every request, so nothing a client edits can widen them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessClaims {
    pub sub: String,
    pub sid: String,
    pub iss: String,
    pub aud: String,
    pub exp: i64,
    pub nbf: i64,
    pub iat: i64,
    pub jti: String,
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
}

impl TokenService {
    pub fn new(keys: KeyRing, issuer: &str, audience: &str, access_ttl: Duration) -> TokenService {
        TokenService {
            keys,
            issuer: issuer.to_string(),
            audience: audience.to_string(),
            access_ttl,
        }
    }

    pub fn keys(&self) -> &KeyRing {
        &self.keys
    }

    /// Signs a token for the user and session with the current key.
    pub fn issue_access_token(
        &self,
        user_id: i64,
        session_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), TokenError> {
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
        };
        let key = self.keys.current();
        let mut header = Header::new(ALGORITHM);
        header.kid = Some(key.kid.clone());
        let encoding = EncodingKey::from_secret(key.secret()).map_err(|_| TokenError::Signing)?;
        let token =
            jsonwebtoken::encode(&header, &claims, &encoding).map_err(|_| TokenError::Signing)?;
        Ok((token, expires_at))
    }

    /// Validates a token completely; never panics, whatever the input.
    pub fn validate_access_token(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<AccessClaims, TokenError> {
        if token.len() > 4096 || token.split('.').count() != 3 {
            return Err(TokenError::Malformed);
        }
        let header = jsonwebtoken::decode_header(token).map_err(|error| match error.kind() {
            jsonwebtoken::errors::ErrorKind::InvalidAlgorithmName => {
                TokenError::AlgorithmNotAllowed
            }
            _ => TokenError::Malformed,
        })?;
        if header.alg != ALGORITHM {
            return Err(TokenError::AlgorithmNotAllowed);
        }
        let kid = header.kid.ok_or(TokenError::MissingKeyId)?;
        let key = self.keys.find(&kid).ok_or(TokenError::UnknownKey)?;
        let mut validation = Validation::new(ALGORITHM);
        validation.algorithms = vec![ALGORITHM];
        // Time is checked below against the caller's clock; the claims are checked here.
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
                    _ => TokenError::InvalidClaims,
                }
            },
        )?;
        let claims = decoded.claims;
        let now = now.timestamp();
        if claims.jti.is_empty() || claims.sid.is_empty() {
            return Err(TokenError::InvalidClaims);
        }
        if now >= claims.exp.saturating_add(LEEWAY_SECONDS) {
            return Err(TokenError::Expired);
        }
        if now.saturating_add(LEEWAY_SECONDS) < claims.nbf
            || now.saturating_add(LEEWAY_SECONDS) < claims.iat
        {
            return Err(TokenError::NotYetValid);
        }
        Ok(claims)
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
    }

    #[test]
    fn alg_none_and_rs256_headers_are_refused_even_with_a_valid_hmac() {
        let keys = KeyRing::generate();
        let service = service(keys.clone());
        let claims = claims_json("9999999999");
        let none = format!("{}.{}.", b64(r#"{"alg":"none","typ":"JWT"}"#), b64(&claims));
        assert!(service.validate_access_token(&none, now()).is_err());
        let kid = keys.current_kid();
        for alg in ["RS256", "ES256", "PS256", "HS512", "EdDSA"] {
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
    fn a_string_exp_is_refused_not_a_panic() {
        let keys = KeyRing::generate();
        let service = service(keys.clone());
        let header = format!(
            r#"{{"alg":"HS256","typ":"JWT","kid":"{}"}}"#,
            keys.current_kid()
        );
        let token = hand_signed(&keys, &header, &claims_json(r#""9999999999""#));
        assert!(service.validate_access_token(&token, now()).is_err());
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
        let retired = rotated.without(old.current_kid()).unwrap();
        assert_eq!(
            service(retired).validate_access_token(&token, now()),
            Err(TokenError::UnknownKey)
        );
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
