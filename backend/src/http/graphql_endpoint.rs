//! `/graphql` over HTTP: queries by GET or POST, mutations only by POST with
//! `application/json`, a cap on batches, automatic persisted queries and the allow-list of
//! service clients (`persisted_queries`), `Idempotency-Key` on mutations (`idempotency`), and
//! transport errors in the GraphQL error shape.
use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::BatchRequest;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::idempotency::{self, Begin};
use super::persisted_queries::{self, Prepared, Resolved};
use super::AppState;
use crate::access::session_cache::SessionCache;
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
    match sign_in::authenticate(&state.db, &state.tokens, Some(&state.sessions), token).await {
        // A service client: its own address allow-list and rate limit (see `http::oauth`).
        Ok(principal) if principal.service_client_id.is_some() => {
            super::oauth::admit_client_call(state, principal)
                .await
                .map(|principal| (Some(principal), meta))
        }
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

/// The request with who is asking, and the schema (registering an operation validates its
/// document against it).
pub(super) fn with_identity(
    state: &AppState,
    request: async_graphql::Request,
    principal: &Option<Principal>,
    meta: &RequestMeta,
) -> async_graphql::Request {
    let request = request.data(meta.clone()).data(state.schema.clone());
    match principal {
        Some(principal) => request.data(principal.clone()),
        None => request,
    }
}

/// One operation of a request: ready to run, or already answered.
enum Item {
    Run(Prepared),
    Answered(async_graphql::Response),
}

impl Item {
    fn is_mutation(&self) -> bool {
        match self {
            Item::Run(prepared) => is_mutation(
                &prepared.request.query,
                prepared.request.operation_name.as_deref(),
            ),
            Item::Answered(_) => false,
        }
    }
}

/// Resolves the persisted query of every operation, then lets a service client in
/// allow-list mode through only with registered operations.
async fn prepare(
    state: &AppState,
    principal: Option<&Principal>,
    requests: Vec<async_graphql::Request>,
) -> Result<Vec<Item>, Response> {
    let mut items = Vec::with_capacity(requests.len());
    for request in requests {
        items.push(
            match persisted_queries::resolve(state, principal, request).await? {
                Resolved::Ready(prepared) => Item::Run(*prepared),
                Resolved::NotFound => Item::Answered(persisted_queries::not_found_response()),
            },
        );
    }
    // Only a service client's allow-list needs the documents' hashes.
    if principal.is_some_and(|principal| principal.service_client_id.is_some()) {
        let hashes: Vec<Option<std::borrow::Cow<'_, str>>> = items
            .iter()
            .map(|item| match item {
                Item::Run(prepared) => Some(prepared.hash()),
                Item::Answered(_) => None,
            })
            .collect();
        let hashes: Vec<Option<&str>> = hashes.iter().map(Option::as_deref).collect();
        persisted_queries::check_allow_list(state, principal, &hashes).await?;
    }
    Ok(items)
}

/// What a request asks for, as the key compares it: each operation's resolved document,
/// operation name and variables — so that a retry may send a persisted query by its hash
/// where the first attempt sent the text, or the other way round.
fn fingerprint(items: &[Item], batch: bool) -> serde_json::Value {
    let mut operations: Vec<serde_json::Value> = items
        .iter()
        .map(|item| match item {
            Item::Run(prepared) => idempotency::operation_fingerprint(
                &prepared.request.query,
                prepared.request.operation_name.as_deref(),
                &serde_json::to_value(&prepared.request.variables).unwrap_or_default(),
            ),
            Item::Answered(_) => serde_json::Value::Null,
        })
        .collect();
    match operations.pop() {
        Some(operation) if !batch && operations.is_empty() => operation,
        last => {
            operations.extend(last);
            serde_json::Value::Array(operations)
        }
    }
}

/// The answer of a single query that the selection compiler covers, built by the database in
/// one statement (`graphql::compiled`); `None` runs it through the schema.
async fn compiled_answer(
    state: &AppState,
    items: &[Item],
    principal: Option<&Principal>,
    batch: bool,
) -> Option<String> {
    let [Item::Run(prepared)] = items else {
        return None;
    };
    if batch {
        return None;
    }
    let body =
        crate::graphql::compiled::answer(&state.db, &state.schema, principal, &prepared.request)
            .await?;
    persisted_queries::remember(state, principal, prepared).await;
    Some(body)
}

/// Runs the operations one after the other (as a batch runs), remembering new persisted
/// queries first.
async fn execute(
    state: &AppState,
    items: Vec<Item>,
    principal: &Option<Principal>,
    meta: &RequestMeta,
    batch: bool,
) -> async_graphql::BatchResponse {
    let mut responses = Vec::with_capacity(items.len());
    for item in items {
        responses.push(match item {
            Item::Run(prepared) => {
                persisted_queries::remember(state, principal.as_ref(), &prepared).await;
                let request = crate::graphql::documents::with_parsed_document(prepared.request);
                let request = with_identity(state, request, principal, meta);
                let service_client = principal
                    .as_ref()
                    .is_some_and(|principal| principal.service_client_id.is_some());
                if service_client {
                    state.schema.execute(request).await
                } else {
                    state.people_schema.execute(request).await
                }
            }
            Item::Answered(response) => response,
        });
    }
    match responses.pop() {
        Some(response) if !batch && responses.is_empty() => {
            async_graphql::BatchResponse::Single(response)
        }
        last => {
            responses.extend(last);
            async_graphql::BatchResponse::Batch(responses)
        }
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

/// A JSON body already serialised, with the headers resolvers set.
fn json_response(headers: HeaderMap, body: String) -> Response {
    let mut response = body.into_response();
    let response_headers = response.headers_mut();
    for (name, value) in headers.iter() {
        response_headers.append(name.clone(), value.clone());
    }
    response_headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response_headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
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
    let idempotency_key = match idempotency::key_of(&headers) {
        Ok(key) => key,
        Err(invalid) => return invalid.into_response(),
    };
    let (principal, meta) = match identify(&state, &headers).await {
        Ok(identity) => identity,
        Err(response) => return response,
    };
    let (requests, is_batch) = match batch {
        BatchRequest::Single(request) => (vec![request], false),
        BatchRequest::Batch(requests) => (requests, true),
    };
    let items = match prepare(&state, principal.as_ref(), requests).await {
        Ok(items) => items,
        Err(response) => return response,
    };
    let writes = items.iter().any(Item::is_mutation);
    // The key matters only where something changes; queries simply run again.
    let Some(key) = idempotency_key.filter(|_| writes) else {
        if let Some(body) = compiled_answer(&state, &items, principal.as_ref(), is_batch).await {
            return json_response(HeaderMap::new(), body);
        }
        let _forget = writes.then(|| ForgetSessions(&state.sessions));
        return respond(execute(&state, items, &principal, &meta, is_batch).await);
    };
    let Some(caller) = principal.as_ref() else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "IDEMPOTENCY_KEY_UNSUPPORTED",
            "Idempotency-Key works for signed-in callers only; send the mutation without it",
        );
    };
    let request_hash = idempotency::request_hash(&fingerprint(&items, is_batch));
    let principal_key = idempotency::principal_key(caller);
    let ticket = match idempotency::begin(&state.db, &principal_key, &key, &request_hash).await {
        Ok(Begin::Run(ticket)) => ticket,
        Ok(Begin::Answer(response)) | Err(response) => return response,
    };
    // The mutation runs to completion and its response is stored even if the client goes
    // away meanwhile, so that its retry finds the response instead of a stuck key.
    let task_state = state.clone();
    let outcome = tokio::spawn(async move {
        let forget = ForgetSessions(&task_state.sessions);
        let response = execute(&task_state, items, &principal, &meta, is_batch).await;
        drop(forget);
        let replayable = idempotency::replayable(&response);
        let headers = response.http_headers();
        let body = serde_json::to_string(&response);
        let stored = body.as_deref().unwrap_or_default();
        let replayable = replayable && body.is_ok();
        idempotency::finish(&task_state.db, ticket, StatusCode::OK, stored, replayable).await;
        body.map(|body| (headers, body))
    })
    .await;
    match outcome {
        Ok(Ok((headers, body))) => json_response(headers, body),
        Ok(Err(error)) => {
            tracing::error!(%error, "a GraphQL response could not be serialised");
            internal_error()
        }
        Err(error) => {
            tracing::error!(%error, "an idempotent mutation did not finish");
            internal_error()
        }
    }
}

/// Empties this instance's session cache when dropped: after a mutation, before its response
/// is sent — or when the request is cancelled midway, since the mutation may have committed.
/// Whatever it changed about sessions, accounts, roles or policy then applies to the caller's
/// next request on this instance even if the database's notification (`access::session_cache`)
/// has not arrived yet.
struct ForgetSessions<'a>(&'a SessionCache);

impl Drop for ForgetSessions<'_> {
    fn drop(&mut self) {
        self.0.clear();
    }
}

fn internal_error() -> Response {
    refuse(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL",
        "an internal error occurred; it has been logged",
    )
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
    let items = match prepare(&state, principal.as_ref(), vec![request]).await {
        Ok(items) => items,
        Err(response) => return response,
    };
    // Also a mutation sent under its persisted-query hash.
    if items.iter().any(Item::is_mutation) {
        return refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "mutations are accepted only by POST with Content-Type: application/json",
        );
    }
    if let Some(body) = compiled_answer(&state, &items, principal.as_ref(), false).await {
        return json_response(HeaderMap::new(), body);
    }
    respond(execute(&state, items, &principal, &meta, false).await)
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
    // Every query would be parsed here otherwise: a document without either word is neither.
    if !query.contains("mutation") && !query.contains("subscription") {
        return false;
    }
    let Some(document) = crate::graphql::documents::parsed(query) else {
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
