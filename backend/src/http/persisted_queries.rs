//! Automatic persisted queries (Apollo's APQ protocol) and the allow-list gate, at the
//! endpoint: a request may carry `extensions.persistedQuery {version: 1, sha256Hash}` with or
//! without its `query`; documents live in the database for every instance, with a small
//! content-addressed cache in front.
//!
//! Done here rather than with async-graphql's `ApolloPersistedQueries` extension because the
//! transport needs the document before the schema runs (a mutation sent by GET under a hash
//! must still be refused, the allow-list and the `Idempotency-Key` need the hash and the
//! operation type), and because that extension stores parsed documents without validating
//! them and answers without the error codes clients look for.
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use async_graphql::{ErrorExtensionValues, ServerError};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;

use super::graphql_endpoint::refuse;
use super::AppState;
use crate::access::Principal;
use crate::error::ApiError;
use crate::graphql::client_operations::{
    document_hash, is_sha256_hex, validate_document, MAX_DOCUMENT_BYTES,
};
use crate::persistence::audit::{self, AuditEntry, Outcome};
use crate::persistence::{client_operations, persisted_queries};

/// The most documents the shared store keeps; beyond it the least recently used go.
pub const MAX_STORED_DOCUMENTS: u64 = 10_000;
/// The most documents the in-process cache keeps (it is emptied when full).
const CACHE_CAPACITY: usize = 1_000;

/// Documents by hash. Content-addressed, so an entry is never stale and sharing it between
/// servers in one process (as the tests do) is harmless.
static CACHE: LazyLock<Mutex<HashMap<String, String>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn cached(hash: &str) -> Option<String> {
    CACHE.lock().ok().and_then(|cache| cache.get(hash).cloned())
}

fn cache(hash: &str, document: &str) {
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= CACHE_CAPACITY {
            cache.clear();
        }
        cache.insert(hash.to_string(), document.to_string());
    }
}

#[derive(Deserialize)]
struct PersistedQueryExtension {
    version: i64,
    #[serde(rename = "sha256Hash")]
    sha256_hash: String,
}

/// A request ready to run, with the hash of its document.
pub struct Prepared {
    pub request: async_graphql::Request,
    /// The lower-case hex sha256 of `request.query` when the request named it; otherwise
    /// [`Prepared::hash`] computes it (only service clients' allow-lists need it).
    hash: Option<String>,
    /// The request brought a persisted-query document the store may not know yet.
    pub remember: bool,
}

impl Prepared {
    /// The lower-case hex sha256 of `request.query`.
    pub fn hash(&self) -> std::borrow::Cow<'_, str> {
        match &self.hash {
            Some(hash) => std::borrow::Cow::Borrowed(hash),
            None => std::borrow::Cow::Owned(document_hash(&self.request.query)),
        }
    }
}

/// What a request's `persistedQuery` extension came to.
pub enum Resolved {
    Ready(Box<Prepared>),
    /// A hash alone that no store knows: the client should send the document with it.
    NotFound,
}

/// Resolves the document of a request: the `query` it carries (checked against its hash when
/// it names one) or the document stored under its hash. Malformed extensions and mismatching
/// hashes are refused (400) before anything runs.
pub async fn resolve(
    state: &AppState,
    principal: Option<&Principal>,
    mut request: async_graphql::Request,
) -> Result<Resolved, Response> {
    let Some(extension) = request.extensions.remove("persistedQuery") else {
        return Ok(Resolved::Ready(Box::new(Prepared {
            request,
            hash: None,
            remember: false,
        })));
    };
    let extension: PersistedQueryExtension =
        async_graphql::from_value(extension).map_err(|_| {
            refuse(
                StatusCode::BAD_REQUEST,
                "PERSISTED_QUERY_INVALID",
                "extensions.persistedQuery must be {\"version\": 1, \"sha256Hash\": \"<64 hex digits>\"}",
            )
        })?;
    if extension.version != 1 {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "PERSISTED_QUERY_NOT_SUPPORTED",
            &format!(
                "only version 1 of the persistedQuery extension is supported, not {}",
                extension.version
            ),
        ));
    }
    let hash = extension.sha256_hash.trim().to_ascii_lowercase();
    if !is_sha256_hex(&hash) {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "PERSISTED_QUERY_INVALID",
            "extensions.persistedQuery.sha256Hash must be the 64 hex digits of the document's sha256",
        ));
    }
    if !request.query.is_empty() {
        let actual = document_hash(&request.query);
        if actual != hash {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "PERSISTED_QUERY_HASH_MISMATCH",
                &format!(
                    "the query's sha256 is {actual}, not the {hash} sent in extensions.persistedQuery.sha256Hash; hash the exact UTF-8 text of the query"
                ),
            ));
        }
        let remember = known_document(state, principal, &hash).await?.is_none();
        return Ok(Resolved::Ready(Box::new(Prepared {
            request,
            hash: Some(hash),
            remember,
        })));
    }
    match known_document(state, principal, &hash).await? {
        Some(document) => {
            request.query = document;
            Ok(Resolved::Ready(Box::new(Prepared {
                request,
                hash: Some(hash),
                remember: false,
            })))
        }
        None => Ok(Resolved::NotFound),
    }
}

/// The document under a hash: from the cache, the shared store, or the operations registered
/// for the calling service client.
async fn known_document(
    state: &AppState,
    principal: Option<&Principal>,
    hash: &str,
) -> Result<Option<String>, Response> {
    if let Some(document) = cached(hash) {
        return Ok(Some(document));
    }
    let stored = persisted_queries::find_document(&state.db, hash, Utc::now())
        .await
        .map_err(internal)?;
    let document = match (stored, principal.and_then(|p| p.service_client_id)) {
        (Some(document), _) => Some(document),
        (None, Some(client_id)) => {
            client_operations::registered_document(&state.db, client_id, hash)
                .await
                .map_err(internal)?
        }
        (None, None) => None,
    };
    if let Some(document) = &document {
        cache(hash, document);
    }
    Ok(document)
}

/// Stores a document that came with its hash, when a signed-in caller sent it, it is within
/// the size limit and it validates against the schema. Failing to store only costs the
/// client one more round trip, so errors are logged, not returned.
pub async fn remember(state: &AppState, principal: Option<&Principal>, prepared: &Prepared) {
    let document = &prepared.request.query;
    if !prepared.remember || principal.is_none() || document.len() > MAX_DOCUMENT_BYTES {
        return;
    }
    let operation_name = prepared.request.operation_name.as_deref();
    if validate_document(&state.schema, document, operation_name)
        .await
        .is_err()
    {
        return;
    }
    let hash = prepared.hash();
    match persisted_queries::store_document(
        &state.db,
        &hash,
        document,
        Utc::now(),
        MAX_STORED_DOCUMENTS,
    )
    .await
    {
        Ok(()) => cache(&hash, document),
        Err(error) => tracing::warn!(%error, "a persisted query could not be stored"),
    }
}

/// The answer to a hash that no store knows, as Apollo clients expect it: the message
/// `PersistedQueryNotFound` and the code `PERSISTED_QUERY_NOT_FOUND`, with HTTP 200, so that
/// the client sends the document along.
pub fn not_found_response() -> async_graphql::Response {
    let mut error = ServerError::new("PersistedQueryNotFound", None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", "PERSISTED_QUERY_NOT_FOUND");
    error.extensions = Some(extensions);
    async_graphql::Response::from_errors(vec![error])
}

/// Refuses the request unless a service client in allow-list mode runs only registered
/// operations (403 `OPERATION_NOT_ALLOWED`). People and clients without the mode pass.
pub async fn check_allow_list(
    state: &AppState,
    principal: Option<&Principal>,
    hashes: &[Option<&str>],
) -> Result<(), Response> {
    let Some((principal, client_id)) =
        principal.and_then(|principal| Some((principal, principal.service_client_id?)))
    else {
        return Ok(());
    };
    for hash in hashes {
        let allowed = match hash {
            Some(hash) => client_operations::operation_allowed(&state.db, client_id, hash).await,
            // A hash no store knows is registered for nobody: only a client outside
            // allow-list mode may go on and send the document.
            None => client_operations::allow_list_only(&state.db, client_id)
                .await
                .map(|allow_list_only| !allow_list_only),
        }
        .map_err(internal)?;
        if !allowed {
            // The schema audits the calls it runs; this one never gets there.
            let entry = AuditEntry::by(principal, "client.call", "ServiceClient", Some(client_id))
                .outcome(Outcome::Failure)
                .detail(json!({ "sha256": hash, "errors": ["OPERATION_NOT_ALLOWED"] }).to_string());
            audit::record(&state.db, entry).await.map_err(internal)?;
            return Err(refuse(
                StatusCode::FORBIDDEN,
                "OPERATION_NOT_ALLOWED",
                "this client runs only the operations registered for it; ask the security administrator to register this operation (registerClientOperation)",
            ));
        }
    }
    Ok(())
}

fn internal(error: impl Into<ApiError>) -> Response {
    let error: ApiError = error.into();
    if let ApiError::Internal(cause) = &error {
        tracing::error!(error = ?cause, "persisted queries: database error");
    }
    refuse(
        StatusCode::INTERNAL_SERVER_ERROR,
        error.code(),
        &error.message(),
    )
}
