//! `Idempotency-Key` on mutations: the first request with a key runs and its response (status
//! and body) is stored under the caller and the key; a retry with the same key and the same
//! body gets that response back without running the mutation again — also while the first is
//! still running, on any instance — and the same key with another body is refused.
//!
//! "The same body" means the same operations: documents (a persisted query counts as its
//! text), operation names and variables, compared as canonical JSON.
//!
//! Replayed: every response the mutation produced, failures included (a retried invalid
//! mutation fails the same way), except responses carrying an `INTERNAL` error, which may be
//! transient: their key is released so that a retry runs afresh. Only the status and the
//! body are replayed, not headers such as cookies. Keys expire after 24 hours.
use std::time::Duration as StdDuration;

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::graphql_endpoint::refuse;
use crate::access::Principal;
use crate::error::ApiError;
use crate::persistence::entities::idempotency_key;
use crate::persistence::idempotency::{self, Claim, NewClaim};

/// The request header.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// The response header that marks a replay.
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
/// How long a key is remembered.
const KEY_LIFETIME: Duration = Duration::hours(24);
/// A claim older than this without a response belongs to an instance that died (requests
/// time out after 30 s, and the mutation itself runs to completion even when the client
/// leaves): a retry takes it over.
const ABANDONED_AFTER: Duration = Duration::seconds(120);
/// How long a retry waits for the first request to finish before answering 409.
const WAIT_FOR_FIRST: StdDuration = StdDuration::from_secs(5);
const POLL_INTERVAL: StdDuration = StdDuration::from_millis(50);
const MAX_KEY_LENGTH: usize = 255;

/// A malformed `Idempotency-Key`: answered 400 `IDEMPOTENCY_KEY_INVALID`.
#[derive(Debug)]
pub struct InvalidKey;

impl IntoResponse for InvalidKey {
    fn into_response(self) -> Response {
        refuse(
            StatusCode::BAD_REQUEST,
            "IDEMPOTENCY_KEY_INVALID",
            "send one Idempotency-Key header of 1–255 visible ASCII characters, e.g. a UUID",
        )
    }
}

/// The key a request sent, if any. A key is 1–255 visible ASCII characters (a UUID is
/// typical), sent once.
pub fn key_of(headers: &HeaderMap) -> Result<Option<String>, InvalidKey> {
    let mut values = headers.get_all(IDEMPOTENCY_KEY).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    let key = value.to_str().ok().map(str::trim).unwrap_or_default();
    let valid = values.next().is_none()
        && !key.is_empty()
        && key.len() <= MAX_KEY_LENGTH
        && key.bytes().all(|byte| byte.is_ascii_graphic());
    if valid {
        Ok(Some(key.to_string()))
    } else {
        Err(InvalidKey)
    }
}

/// The caller a key belongs to: keys of different callers never meet.
pub fn principal_key(principal: &Principal) -> String {
    match principal.service_client_id {
        Some(client_id) => format!("client:{client_id}"),
        None => format!("user:{}", principal.user_id),
    }
}

/// One operation as a key compares it: the document that will run (after persisted-query
/// resolution), its operation name and its variables. Other extensions do not count.
pub fn operation_fingerprint(
    query: &str,
    operation_name: Option<&str>,
    variables: &Value,
) -> Value {
    serde_json::json!({ "query": query, "operationName": operation_name, "variables": variables })
}

/// The sha256 of a request's fingerprint as canonical JSON (object keys sorted, no white
/// space), so that a retry serialised differently is still the same request.
pub fn request_hash(fingerprint: &Value) -> String {
    fn canonical(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                Value::Object(
                    keys.into_iter()
                        .map(|key| (key.clone(), canonical(&map[key])))
                        .collect(),
                )
            }
            Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
            other => other.clone(),
        }
    }
    hex::encode(Sha256::digest(
        canonical(fingerprint).to_string().as_bytes(),
    ))
}

/// Proof that this request owns a key and must run the mutation, then [`finish`].
#[derive(Debug)]
pub struct Ticket {
    id: i64,
}

/// What to do with a request that carries a key.
pub enum Begin {
    /// Run it: this is the first request with the key.
    Run(Ticket),
    /// Answer this instead: the stored response, or a refusal.
    Answer(Response),
}

/// Claims the key for this request, or waits briefly for the request that holds it and
/// replays its response. The same key with another body → 422 `IDEMPOTENCY_KEY_REUSED`;
/// still running after the wait → 409 `IDEMPOTENCY_KEY_IN_PROGRESS` with `Retry-After`.
pub async fn begin(
    db: &sea_orm::DatabaseConnection,
    principal_key: &str,
    key: &str,
    request_hash: &str,
) -> Result<Begin, Response> {
    let waited_since = tokio::time::Instant::now();
    let claim_key = || async {
        let now = Utc::now();
        idempotency::claim(
            db,
            NewClaim {
                principal_key,
                key,
                request_hash,
                now,
                expires_at: now + KEY_LIFETIME,
            },
        )
        .await
        .map_err(internal)
    };
    let mut claim = claim_key().await?;
    loop {
        let holder = match claim {
            Claim::Claimed(id) => return Ok(Begin::Run(Ticket { id })),
            Claim::Taken(holder) => holder,
        };
        if holder.request_hash != request_hash {
            return Ok(Begin::Answer(refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                "IDEMPOTENCY_KEY_REUSED",
                "this Idempotency-Key was already used with a different request body; use a new key for a new request",
            )));
        }
        if holder.completed_at.is_some() {
            return Ok(Begin::Answer(replay(&holder)));
        }
        let now = Utc::now();
        let abandoned = holder.started_at < now - ABANDONED_AFTER;
        if abandoned
            && idempotency::take_over_abandoned(db, holder.id, now - ABANDONED_AFTER, now)
                .await
                .map_err(internal)?
        {
            return Ok(Begin::Run(Ticket { id: holder.id }));
        }
        if waited_since.elapsed() >= WAIT_FOR_FIRST {
            let mut response = refuse(
                StatusCode::CONFLICT,
                "IDEMPOTENCY_KEY_IN_PROGRESS",
                "the first request with this Idempotency-Key is still running; retry in a moment to get its response",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return Ok(Begin::Answer(response));
        }
        tokio::time::sleep(POLL_INTERVAL).await;
        // Waiting only reads; the key is claimed again only if its holder gave it up.
        claim = match idempotency::find(db, principal_key, key)
            .await
            .map_err(internal)?
        {
            Some(holder) => Claim::Taken(holder),
            None => claim_key().await?,
        };
    }
}

/// Stores the response of the request that owned the key, or releases the key when the
/// response is not to be replayed.
pub async fn finish(
    db: &sea_orm::DatabaseConnection,
    ticket: Ticket,
    status: StatusCode,
    body: &str,
    replayable: bool,
) {
    let outcome = if replayable {
        idempotency::complete(db, ticket.id, status.as_u16(), body, Utc::now()).await
    } else {
        idempotency::release(db, ticket.id).await
    };
    if let Err(error) = outcome {
        // The claim stays "running" until it counts as abandoned; retries wait, then run.
        tracing::error!(%error, "an idempotency key could not be completed");
    }
}

/// Whether a GraphQL response may be replayed: all but those with an `INTERNAL` error.
pub fn replayable(response: &async_graphql::BatchResponse) -> bool {
    let responses: Vec<&async_graphql::Response> = match response {
        async_graphql::BatchResponse::Single(response) => vec![response],
        async_graphql::BatchResponse::Batch(responses) => responses.iter().collect(),
    };
    !responses.iter().any(|response| {
        response.errors.iter().any(|error| {
            error
                .extensions
                .as_ref()
                .and_then(|extensions| extensions.get("code"))
                .is_some_and(|code| *code == async_graphql::Value::from("INTERNAL"))
        })
    })
}

/// The stored response, marked as a replay.
fn replay(row: &idempotency_key::Model) -> Response {
    let status = row
        .response_status
        .and_then(|status| u16::try_from(status).ok())
        .and_then(|status| StatusCode::from_u16(status).ok())
        .unwrap_or(StatusCode::OK);
    let body = row.response_body.clone().unwrap_or_default();
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    response
}

fn internal(error: impl Into<ApiError>) -> Response {
    let error: ApiError = error.into();
    if let ApiError::Internal(cause) = &error {
        tracing::error!(error = ?cause, "idempotency keys: database error");
    }
    refuse(
        StatusCode::INTERNAL_SERVER_ERROR,
        error.code(),
        &error.message(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_request_hash_ignores_key_order_and_white_space() {
        let a: Value = serde_json::from_str(
            r#"{"query":"mutation { x }","variables":{"a":1,"b":[{"c":2,"d":3}]}}"#,
        )
        .unwrap_or_default();
        let b: Value = serde_json::from_str(
            r#"{ "variables": { "b": [ { "d": 3, "c": 2 } ], "a": 1 }, "query": "mutation { x }" }"#,
        )
        .unwrap_or_default();
        assert_eq!(request_hash(&a), request_hash(&b));
        assert_ne!(
            request_hash(&a),
            request_hash(&json!({"query": "mutation { x }", "variables": {"a": 2}}))
        );
    }

    #[test]
    fn keys_are_one_header_of_visible_ascii() {
        let headers = |values: &[&str]| {
            let mut headers = HeaderMap::new();
            for value in values {
                if let Ok(value) = HeaderValue::from_str(value) {
                    headers.append(IDEMPOTENCY_KEY, value);
                }
            }
            headers
        };
        assert_eq!(key_of(&headers(&[])).ok(), Some(None));
        assert_eq!(
            key_of(&headers(&["9b0c-4e1f"])).ok(),
            Some(Some("9b0c-4e1f".to_string()))
        );
        assert!(key_of(&headers(&[""])).is_err());
        assert!(key_of(&headers(&["a b"])).is_err());
        assert!(key_of(&headers(&["a", "b"])).is_err());
        assert!(key_of(&headers(&[&"k".repeat(256)])).is_err());
    }
}
