//! `/graphql` over HTTP: queries by GET or POST, mutations only by POST with
//! `application/json`, a cap on batches, and transport errors in the GraphQL error shape.
use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::BatchRequest;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::AppState;
use crate::access::sign_in::{self, ClientInfo};
use crate::access::Principal;
use crate::error::ApiError;
use crate::graphql::auth::{RequestMeta, REFRESH_COOKIE};
use crate::graphql::MAX_BATCH;

/// Who is asking: the principal of a valid bearer token (none without a header), and what
/// the request says about its client. An `Authorization` header that is present but not a
/// valid, current token is answered 401 at once.
pub(super) async fn identify(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(Option<Principal>, RequestMeta), Response> {
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string)
    };
    let refresh_cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == REFRESH_COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|value| !value.is_empty());
    let meta = RequestMeta {
        refresh_cookie,
        client: ClientInfo {
            user_agent: text(header::USER_AGENT).map(|agent| agent.chars().take(200).collect()),
            ip_address: text(header::HeaderName::from_static("x-forwarded-for")).and_then(
                |value| {
                    value
                        .split(',')
                        .next()
                        .map(|ip| ip.trim().chars().take(64).collect())
                },
            ),
        },
        secure: text(header::HeaderName::from_static("x-forwarded-proto")).as_deref()
            == Some("https"),
    };
    let Some(authorization) = headers.get(header::AUTHORIZATION) else {
        return Ok((None, meta));
    };
    let unauthorized = |code: &str, message: &str| {
        let mut response = refuse(StatusCode::UNAUTHORIZED, code, message);
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
        response
    };
    let Some(token) = authorization
        .to_str()
        .ok()
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty())
    else {
        return Err(unauthorized(
            "TOKEN_MALFORMED",
            "the Authorization header must be `Bearer <access token>`",
        ));
    };
    match sign_in::authenticate(&state.db, &state.tokens, token).await {
        Ok(principal) if !state.limits.allow_request(principal.user_id) => Err(refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            "too many requests from this account; slow down and retry in a minute",
        )),
        Ok(principal) => Ok((Some(principal), meta)),
        Err(ApiError::Unauthenticated { code, message }) => Err(unauthorized(code, &message)),
        Err(error) => Err(refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            error.code(),
            &error.message(),
        )),
    }
}

fn with_identity(
    request: async_graphql::Request,
    principal: &Option<Principal>,
    meta: &RequestMeta,
) -> async_graphql::Request {
    let request = request.data(meta.clone());
    match principal {
        Some(principal) => request.data(principal.clone()),
        None => request,
    }
}

/// The GraphQL response as JSON, with the headers resolvers set (e.g. the refresh cookie).
fn respond(response: async_graphql::BatchResponse) -> Response {
    let headers = response.http_headers();
    let mut http_response = Json(response).into_response();
    for (name, value) in headers.iter() {
        http_response
            .headers_mut()
            .append(name.clone(), value.clone());
    }
    http_response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    http_response
}

/// A transport-level refusal, shaped like a GraphQL error with a stable code.
pub(super) fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    let mut response = (status, Json(body)).into_response();
    if status == StatusCode::METHOD_NOT_ALLOWED {
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("GET, POST"));
    }
    response
}

pub async fn post_graphql(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| {
            value
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .eq_ignore_ascii_case("application/json")
        })
        .unwrap_or(false);
    if !is_json {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "send GraphQL requests as POST with Content-Type: application/json",
        );
    }
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(error) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("the body is not a GraphQL request in JSON: {error}"),
            )
        }
    };
    if let BatchRequest::Batch(requests) = &batch {
        if requests.len() > MAX_BATCH {
            return refuse(
                StatusCode::BAD_REQUEST,
                "BATCH_TOO_LARGE",
                &format!(
                    "a batch may carry at most {MAX_BATCH} operations, this one has {}",
                    requests.len()
                ),
            );
        }
        if requests.is_empty() {
            return refuse(StatusCode::BAD_REQUEST, "BAD_REQUEST", "the batch is empty");
        }
    }
    let (principal, meta) = match identify(&state, &headers).await {
        Ok(identity) => identity,
        Err(response) => return response,
    };
    let batch = match batch {
        BatchRequest::Single(request) => {
            BatchRequest::Single(with_identity(request, &principal, &meta))
        }
        BatchRequest::Batch(requests) => BatchRequest::Batch(
            requests
                .into_iter()
                .map(|request| with_identity(request, &principal, &meta))
                .collect(),
        ),
    };
    respond(state.schema.execute_batch(batch).await)
}

pub async fn get_graphql(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    if query.is_empty() {
        let wants_html = headers
            .get(header::ACCEPT)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.contains("text/html"));
        if wants_html {
            return Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response();
        }
        return refuse(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "give the operation in the `query` parameter, or POST it as JSON",
        );
    }
    let request = match async_graphql::http::parse_query_string(&query) {
        Ok(request) => request,
        Err(error) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("the query string is not a GraphQL request: {error}"),
            )
        }
    };
    if is_mutation(&request.query, request.operation_name.as_deref()) {
        return refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "mutations are accepted only by POST with Content-Type: application/json",
        );
    }
    let (principal, meta) = match identify(&state, &headers).await {
        Ok(identity) => identity,
        Err(response) => return response,
    };
    let request = with_identity(request, &principal, &meta);
    respond(async_graphql::BatchResponse::Single(
        state.schema.execute(request).await,
    ))
}

pub async fn method_not_allowed() -> Response {
    refuse(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "/graphql accepts GET (queries) and POST (queries and mutations)",
    )
}

/// Whether the operation that would run is a mutation (or subscription); unparsable
/// documents are left to the executor, which reports the syntax error.
fn is_mutation(query: &str, operation_name: Option<&str>) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(query) else {
        return false;
    };
    let writes = |ty: OperationType| ty != OperationType::Query;
    match &document.operations {
        DocumentOperations::Single(operation) => writes(operation.node.ty),
        DocumentOperations::Multiple(operations) => match operation_name {
            Some(name) => operations.iter().any(|(operation, definition)| {
                operation.as_str() == name && writes(definition.node.ty)
            }),
            None => operations
                .values()
                .any(|definition| writes(definition.node.ty)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::is_mutation;

    #[test]
    fn mutations_are_recognised_also_among_several_operations() {
        assert!(is_mutation("mutation { x }", None));
        assert!(!is_mutation("{ x }", None));
        assert!(!is_mutation("query A { x } mutation B { y }", Some("A")));
        assert!(is_mutation("query A { x } mutation B { y }", Some("B")));
        assert!(!is_mutation("not graphql", None));
    }
}
