//! The OAuth 2.0 token endpoint of service clients (`POST /oauth/token`, client-credentials
//! grant, RFC 6749 §4.4), the client address of every request (the peer, or `X-Forwarded-For`
//! behind a configured trusted proxy), and the checks every call of a client passes before
//! GraphQL runs (address allow-list, per-client rate limit).
use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::json;

use super::graphql_endpoint::refuse;
use super::AppState;
use crate::access::service_client::{self, CallRefusal, ClientCredentials, TokenRefusal};
use crate::access::Principal;

tokio::task_local! {
    /// The client address of the request being handled (see [`with_client_address`]).
    static CLIENT_ADDRESS: Option<IpAddr>;
}

/// Middleware: works out the request's client address once — the TCP peer, or, when the peer
/// is one of `TRUSTED_PROXIES`, the first untrusted hop of `X-Forwarded-For` from the right —
/// and makes it available to the handlers of this request ([`current_client_address`]).
/// Nothing the client sends can set it unless it comes through a trusted proxy.
pub(super) async fn with_client_address(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip());
    let address = {
        let forwarded: Vec<&str> = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .collect();
        service_client::client_address(peer, &forwarded, &state.trusted_proxies)
    };
    CLIENT_ADDRESS.scope(address, next.run(request)).await
}

/// The client address of the request being handled; `None` outside a request or when the
/// server was not started with connection info.
pub(super) fn current_client_address() -> Option<IpAddr> {
    CLIENT_ADDRESS.try_with(|address| *address).ok().flatten()
}

/// The checks a service client's call passes before it runs: its IP allow-list (403
/// `IP_NOT_ALLOWED`, audited) and its own rate limit per minute (429 `RATE_LIMITED`, per
/// instance). A person's principal passes through.
pub(super) async fn admit_client_call(
    state: &AppState,
    principal: Principal,
) -> Result<Principal, Response> {
    let refusal = match service_client::admit(&principal, current_client_address(), &state.limits) {
        Ok(()) => return Ok(principal),
        Err(refusal) => refusal,
    };
    match &refusal {
        CallRefusal::AddressNotAllowed(address) => {
            if let Err(error) =
                service_client::record_refused_call(&state.db, &principal, &refusal).await
            {
                tracing::error!(error = ?error, "cannot audit a refused client call");
            }
            let shown = address.map_or_else(|| "an unknown address".to_string(), |a| a.to_string());
            Err(refuse(
                StatusCode::FORBIDDEN,
                "IP_NOT_ALLOWED",
                &format!(
                    "this service client may not call from {shown}; ask the security administrator to add the address to its allow-list"
                ),
            ))
        }
        CallRefusal::RateLimited { per_minute } => {
            tracing::warn!(client = ?principal.service_client_id, "service client rate-limited");
            let mut response = refuse(
                StatusCode::TOO_MANY_REQUESTS,
                "RATE_LIMITED",
                &format!(
                    "this service client may make {per_minute} requests a minute; slow down and retry in a minute"
                ),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            Err(response)
        }
    }
}

/// `error_description` may hold only printable ASCII without `"` and `\` (RFC 6749 §5.2).
fn description(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' => '\'',
            '\\' => '/',
            c if (' '..='~').contains(&c) => c,
            _ => '?',
        })
        .collect()
}

fn no_store(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// An error response of RFC 6749 §5.2; `invalid_client` is 401 with a Basic challenge.
fn oauth_error(status: StatusCode, error: &str, text: &str) -> Response {
    let body = json!({ "error": error, "error_description": description(text) });
    let mut response = (status, Json(body)).into_response();
    no_store(&mut response);
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"houxu-api\", charset=\"UTF-8\""),
        );
    }
    response
}

fn invalid_request(text: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_request", text)
}

fn invalid_client() -> Response {
    oauth_error(
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "client authentication failed: unknown client, wrong secret, or the client is disabled",
    )
}

/// The credentials of an `Authorization: Basic` header (RFC 6749 §2.3.1: id and secret are
/// form-encoded, then joined by `:` and base64-encoded); `Err` for any other scheme or a
/// malformed value.
fn basic_credentials(value: &HeaderValue) -> Result<ClientCredentials, ()> {
    let text = value.to_str().map_err(|_| ())?;
    let (scheme, encoded) = text.split_once(' ').ok_or(())?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(());
    }
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| ())?;
    let decoded = String::from_utf8(decoded).map_err(|_| ())?;
    let (id, secret) = decoded.split_once(':').ok_or(())?;
    let form_decode = |part: &str| {
        percent_encoding::percent_decode_str(&part.replace('+', " "))
            .decode_utf8()
            .map(|text| text.into_owned())
            .map_err(|_| ())
    };
    Ok(ClientCredentials {
        client_id: form_decode(id)?,
        client_secret: form_decode(secret)?,
    })
}

/// `POST /oauth/token`: `grant_type=client_credentials`, the client authenticated by HTTP
/// Basic or by `client_id` and `client_secret` in the body (not both), and an optional
/// `scope` that narrows the client's scopes. Answers `{access_token, token_type: "Bearer",
/// expires_in, scope}`, never cached.
pub(super) async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form_encoded = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|value| {
            value
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !form_encoded {
        return invalid_request(
            "send the token request as POST with Content-Type: application/x-www-form-urlencoded",
        );
    }
    // RFC 6749 §3.1: a parameter without a value counts as omitted; none may repeat.
    let mut parameters = BTreeMap::new();
    for (name, value) in form_urlencoded::parse(&body) {
        if value.is_empty() {
            continue;
        }
        if parameters
            .insert(name.to_string(), value.to_string())
            .is_some()
        {
            return invalid_request(&format!("the parameter {name} is sent more than once"));
        }
    }
    match parameters.get("grant_type").map(String::as_str) {
        None => return invalid_request("grant_type is missing: send grant_type=client_credentials"),
        Some("client_credentials") => {}
        Some(other) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                &format!("{other} is not supported: this server issues tokens only for grant_type=client_credentials"),
            )
        }
    }
    let body_id = parameters.get("client_id").cloned();
    let body_secret = parameters.get("client_secret").cloned();
    let credentials = match headers.get(header::AUTHORIZATION) {
        Some(value) => {
            let Ok(credentials) = basic_credentials(value) else {
                return invalid_client();
            };
            if body_secret.is_some() {
                return invalid_request(
                    "authenticate either with HTTP Basic or with client_secret in the body, not both",
                );
            }
            if body_id
                .as_deref()
                .is_some_and(|id| id != credentials.client_id)
            {
                return invalid_request("client_id in the body differs from the one in HTTP Basic");
            }
            credentials
        }
        None => match (body_id, body_secret) {
            (Some(client_id), Some(client_secret)) => ClientCredentials {
                client_id,
                client_secret,
            },
            _ => return invalid_client(),
        },
    };
    if !state.limits.allow_token_request(&credentials.client_id) {
        let mut response = oauth_error(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            &format!(
                "more than {} token requests for this client in a minute; a token lasts several minutes, reuse it",
                crate::access::rate_limit::TOKEN_REQUESTS_PER_MINUTE
            ),
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return response;
    }
    let issued = service_client::issue_token(
        &state.db,
        &state.tokens,
        &credentials,
        parameters.get("scope").map(String::as_str),
        current_client_address(),
    )
    .await;
    match issued {
        Ok(issued) => {
            let body = json!({
                "access_token": issued.access_token,
                "token_type": "Bearer",
                "expires_in": issued.expires_in,
                "scope": issued.scope,
            });
            let mut response = (StatusCode::OK, Json(body)).into_response();
            no_store(&mut response);
            response
        }
        Err(TokenRefusal::InvalidClient) => invalid_client(),
        Err(TokenRefusal::InvalidScope(message)) => {
            oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", &message)
        }
        Err(TokenRefusal::UnauthorizedClient(message)) => {
            oauth_error(StatusCode::BAD_REQUEST, "unauthorized_client", &message)
        }
        Err(TokenRefusal::Internal(error)) => {
            tracing::error!(error = ?error, "the token endpoint failed");
            oauth_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                &error.message(),
            )
        }
    }
}

/// Any other method on `/oauth/token`.
pub(super) async fn method_not_allowed() -> Response {
    let mut response = oauth_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "invalid_request",
        "the token endpoint accepts only POST",
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(id: &str, secret: &str) -> HeaderValue {
        HeaderValue::from_str(&format!(
            "Basic {}",
            STANDARD.encode(format!("{id}:{secret}"))
        ))
        .unwrap()
    }

    #[test]
    fn basic_credentials_are_form_decoded_after_base64() {
        let credentials = basic_credentials(&basic("svc_1", "a%3Ab+c")).unwrap();
        assert_eq!(credentials.client_id, "svc_1");
        assert_eq!(credentials.client_secret, "a:b c");
        let colon_in_secret = basic_credentials(&basic("svc_1", "x:y")).unwrap();
        assert_eq!(
            colon_in_secret.client_secret, "x:y",
            "split at the first colon"
        );
    }

    #[test]
    fn other_schemes_and_malformed_values_are_not_credentials() {
        for value in ["Bearer abc", "Basic", "Basic !!!", "Basic c3ZjXzE="] {
            assert!(
                basic_credentials(&HeaderValue::from_static(value)).is_err(),
                "{value}"
            );
        }
    }

    #[test]
    fn descriptions_keep_to_the_characters_rfc_6749_allows() {
        assert_eq!(description("a \"b\" \\ 土地"), "a 'b' / ??");
    }
}
