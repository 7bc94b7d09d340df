//! Allow-listed operations of service clients: the security administrator registers the
//! documents a client may run and switches the client to allow-list mode; the endpoint then
//! runs nothing else for it. Also the document checks the persisted-query store shares.
use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextPrepareRequest,
};
use async_graphql::parser::types::DocumentOperations;
use async_graphql::{
    Context, ErrorExtensionValues, Object, Request, Result, ServerError, ServerResult, SimpleObject,
};
use auth::policy::AdminCapability;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};

use super::access::principal;
use super::changes::ConnectionToken;
use super::{database, AppSchema};
use crate::access::Principal;
use crate::error::ApiError;
use crate::persistence::audit::{self, AuditEntry, Outcome};
use crate::persistence::client_operations::{self, ClientMode, NewClientOperation};
use crate::persistence::database::begin_write;
use crate::persistence::entities::client_operation;

/// The largest document that is stored, as a persisted query or a registered operation.
pub const MAX_DOCUMENT_BYTES: usize = 32 * 1024;
/// The most operations one client may have registered.
pub const MAX_OPERATIONS_PER_CLIENT: u64 = 500;

/// The lower-case hex sha256 of a document's exact text: its persisted-query hash.
pub fn document_hash(document: &str) -> String {
    hex::encode(Sha256::digest(document.as_bytes()))
}

/// Whether a text is a lower-case hex sha256.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
}

/// Marks a request that is to be validated, never executed.
struct ValidateOnly;

/// The schema extension behind [`validate_document`]: a request marked [`ValidateOnly`] is
/// parsed and validated as usual and then answered with `null` instead of being executed.
pub struct ValidationOnly;

impl ExtensionFactory for ValidationOnly {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ValidationOnlyExtension)
    }
}

struct ValidationOnlyExtension;

#[async_trait::async_trait]
impl Extension for ValidationOnlyExtension {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> async_graphql::Response {
        if ctx.data_opt::<ValidateOnly>().is_some() {
            return async_graphql::Response::new(async_graphql::Value::Null);
        }
        next.run(ctx, operation_name).await
    }
}

/// The allow-list gate for operations that arrive over a WebSocket (`/graphql/ws`), where the
/// HTTP endpoint's gate (`http::persisted_queries::check_allow_list`) does not run: a service
/// client in allow-list mode may subscribe only with a registered document, hashed exactly as
/// on `/graphql`. Requests over HTTP (no [`ConnectionToken`]) pass through untouched.
pub struct StreamAllowList;

impl ExtensionFactory for StreamAllowList {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(StreamAllowListExtension)
    }
}

struct StreamAllowListExtension;

#[async_trait::async_trait]
impl Extension for StreamAllowListExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let client = ctx
            .data_opt::<ConnectionToken>()
            .and(ctx.data_opt::<Principal>())
            .and_then(|principal| Some((principal, principal.service_client_id?)));
        if let Some((principal, client_id)) = client {
            let db = ctx.data_unchecked::<DatabaseConnection>();
            let hash = document_hash(&request.query);
            let allowed = client_operations::operation_allowed(db, client_id, &hash)
                .await
                .map_err(|error| server_error(ApiError::from(error)))?;
            if !allowed {
                let entry = AuditEntry::by(
                    principal,
                    "client.call",
                    "ServiceClient",
                    Some(client_id),
                )
                .outcome(Outcome::Failure)
                .detail(
                    serde_json::json!({ "sha256": hash, "errors": ["OPERATION_NOT_ALLOWED"] })
                        .to_string(),
                );
                audit::record(db, entry).await.map_err(server_error)?;
                let mut error = ServerError::new(
                    "this client runs only the operations registered for it; ask the security administrator to register this operation (registerClientOperation)",
                    None,
                );
                let mut extensions = ErrorExtensionValues::default();
                extensions.set("code", "OPERATION_NOT_ALLOWED");
                error.extensions = Some(extensions);
                return Err(error);
            }
        }
        next.run(ctx, request).await
    }
}

/// An application error as a request-level error, with its code.
fn server_error(error: ApiError) -> ServerError {
    async_graphql::Error::from(error).into_server_error(async_graphql::Pos::default())
}

/// Checks a document against the schema and its limits (depth, and complexity as far as it
/// does not depend on variables) without running it: the request is marked for
/// [`ValidationOnly`], which stops it after validation, and is in introspection-only mode as
/// well, so that no resolver of ours could run even without that extension. Returns the
/// messages of the errors that make the document invalid.
pub async fn validate_document(
    schema: &AppSchema,
    document: &str,
    operation_name: Option<&str>,
) -> Result<(), Vec<String>> {
    let mut request = async_graphql::Request::new(document)
        .only_introspection()
        .data(ValidateOnly);
    if let Some(name) = operation_name {
        request = request.operation_name(name);
    }
    let errors: Vec<String> = schema
        .execute(request)
        .await
        .errors
        .into_iter()
        .filter(|error| !is_missing_variable_value(&error.message))
        .map(|error| error.message)
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Whether a request (document, operation name and variables) passes the schema's validation
/// and limits; it is not run (see [`validate_document`]).
pub async fn is_valid_request(schema: &AppSchema, request: &async_graphql::Request) -> bool {
    let mut check = async_graphql::Request::new(request.query.clone())
        .variables(request.variables.clone())
        .only_introspection()
        .data(ValidateOnly);
    if let Some(name) = &request.operation_name {
        check = check.operation_name(name);
    }
    schema.execute(check).await.errors.is_empty()
}

/// The complexity check evaluates arguments with the request's variables and reports a
/// declared variable without a value as `Variable n is not defined.` (an undeclared one is
/// the rule `Variable "$n" is not defined`, with quotes): a fact about a request, not about
/// the document. The complexity limit is applied again, with the values, on every run.
fn is_missing_variable_value(message: &str) -> bool {
    message.starts_with("Variable ")
        && message.ends_with(" is not defined.")
        && !message.contains('"')
}

/// The name of the one operation a document to register must hold.
fn single_operation_name(document: &str) -> Result<String, ApiError> {
    let parsed = async_graphql::parser::parse_query(document).map_err(|error| {
        ApiError::invalid("document", format!("不是有效的 GraphQL 文档：{error}"))
    })?;
    match parsed.operations {
        DocumentOperations::Multiple(operations) if operations.len() == 1 => Ok(operations
            .keys()
            .next()
            .map(|name| name.to_string())
            .unwrap_or_default()),
        DocumentOperations::Multiple(_) => Err(ApiError::invalid(
            "document",
            "一个文档只能登记一个操作；请分开登记",
        )),
        DocumentOperations::Single(_) => Err(ApiError::invalid(
            "document",
            "请为操作命名（例如 query SitesForProvince { … }），名称用于核对和审计",
        )),
    }
}

fn security_administrator<'a>(ctx: &Context<'a>) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    if principal.has_capability(AdminCapability::ManagePolicy) {
        Ok(principal)
    } else {
        Err(ApiError::Forbidden(
            "only the security administrator may manage the operations of service clients (separation of duties, 三员)"
                .into(),
        ))
    }
}

async fn client(ctx: &Context<'_>, client_id: &str) -> Result<ClientMode, ApiError> {
    client_operations::find_client(database(ctx), client_id)
        .await
        .map_err(ApiError::from)?
        .ok_or_else(|| ApiError::not_found("service client", client_id))
}

/// An operation a service client may run in allow-list mode.
#[derive(SimpleObject)]
pub struct ClientOperation {
    /// The lower-case hex sha256 of `document`: what an allow-listed client sends as
    /// `extensions.persistedQuery.sha256Hash`.
    pub sha256_hash: String,
    pub operation_name: String,
    pub document: String,
    pub registered_at: DateTime<Utc>,
}

impl From<client_operation::Model> for ClientOperation {
    fn from(row: client_operation::Model) -> ClientOperation {
        ClientOperation {
            sha256_hash: row.sha256,
            operation_name: row.operation_name,
            document: row.document,
            registered_at: row.created_at,
        }
    }
}

#[derive(Default)]
pub struct ClientOperationsQuery;

#[Object]
impl ClientOperationsQuery {
    /// The operations registered for a service client (security administrators only), by
    /// name. `clientId` is the client's OAuth `client_id`.
    async fn client_operations(
        &self,
        ctx: &Context<'_>,
        client_id: String,
    ) -> Result<Vec<ClientOperation>> {
        security_administrator(ctx)?;
        let client = client(ctx, &client_id).await?;
        let rows = client_operations::operations(database(ctx), client.id)
            .await
            .map_err(ApiError::from)?;
        Ok(rows.into_iter().map(ClientOperation::from).collect())
    }
}

#[derive(Default)]
pub struct ClientOperationsMutation;

#[Object]
impl ClientOperationsMutation {
    /// Registers an operation a service client may run (security administrators only). The
    /// document must hold exactly one named operation and validate against the schema; its
    /// hash is the sha256 of the exact text. Registering the same text again returns the
    /// registered operation.
    async fn register_client_operation(
        &self,
        ctx: &Context<'_>,
        client_id: String,
        document: String,
    ) -> Result<ClientOperation> {
        let principal = security_administrator(ctx)?;
        let client = client(ctx, &client_id).await?;
        if document.len() > MAX_DOCUMENT_BYTES {
            return Err(ApiError::invalid(
                "document",
                format!(
                    "文档过大（{} 字节），上限为 {MAX_DOCUMENT_BYTES} 字节",
                    document.len()
                ),
            )
            .into());
        }
        let operation_name = single_operation_name(&document)?;
        let schema = ctx.data::<AppSchema>().map_err(|_| {
            ApiError::Internal(anyhow::anyhow!("the schema is not in the request data"))
        })?;
        if let Err(errors) = validate_document(schema, &document, None).await {
            return Err(ApiError::invalid(
                "document",
                format!("文档不符合接口定义：{}", errors.join("；")),
            )
            .into());
        }
        let db = database(ctx);
        let sha256 = document_hash(&document);
        let transaction = begin_write(db).await.map_err(ApiError::from)?;
        let registered = client_operations::count_operations(&transaction, client.id)
            .await
            .map_err(ApiError::from)?;
        let (row, created) = client_operations::register(
            &transaction,
            NewClientOperation {
                client_id: client.id,
                sha256: &sha256,
                operation_name: &operation_name,
                document: &document,
                actor: principal.user_id,
                now: Utc::now(),
            },
        )
        .await
        .map_err(ApiError::from)?;
        if created {
            if registered >= MAX_OPERATIONS_PER_CLIENT {
                return Err(ApiError::Conflict(format!(
                    "a client may have at most {MAX_OPERATIONS_PER_CLIENT} registered operations; remove unused ones first"
                ))
                .into());
            }
            audit::record(
                &transaction,
                AuditEntry::by(
                    principal,
                    "client_operation.register",
                    "ServiceClient",
                    Some(client.id),
                )
                .detail(
                    serde_json::json!({ "sha256": sha256, "operationName": operation_name })
                        .to_string(),
                ),
            )
            .await?;
        }
        transaction.commit().await.map_err(ApiError::from)?;
        Ok(row.into())
    }

    /// Removes a registered operation (security administrators only); an allow-listed client
    /// can no longer run it from its next request. False when it was not registered.
    async fn remove_client_operation(
        &self,
        ctx: &Context<'_>,
        client_id: String,
        sha256_hash: String,
    ) -> Result<bool> {
        let principal = security_administrator(ctx)?;
        let client = client(ctx, &client_id).await?;
        let sha256 = sha256_hash.trim().to_ascii_lowercase();
        let transaction = begin_write(database(ctx)).await.map_err(ApiError::from)?;
        let removed = client_operations::remove(&transaction, client.id, &sha256)
            .await
            .map_err(ApiError::from)?;
        if removed {
            audit::record(
                &transaction,
                AuditEntry::by(
                    principal,
                    "client_operation.remove",
                    "ServiceClient",
                    Some(client.id),
                )
                .detail(serde_json::json!({ "sha256": sha256 }).to_string()),
            )
            .await?;
        }
        transaction.commit().await.map_err(ApiError::from)?;
        Ok(removed)
    }

    /// Switches a service client's allow-list mode (security administrators only): while on,
    /// the client runs only its registered operations and anything else is refused with
    /// `OPERATION_NOT_ALLOWED` (HTTP 403).
    async fn set_client_allow_list_only(
        &self,
        ctx: &Context<'_>,
        client_id: String,
        allow_list_only: bool,
    ) -> Result<bool> {
        let principal = security_administrator(ctx)?;
        let client = client(ctx, &client_id).await?;
        let transaction = begin_write(database(ctx)).await.map_err(ApiError::from)?;
        client_operations::set_allow_list_only(
            &transaction,
            client.id,
            allow_list_only,
            principal.user_id,
            Utc::now(),
        )
        .await
        .map_err(ApiError::from)?;
        audit::record(
            &transaction,
            AuditEntry::by(
                principal,
                "service_client.allow_list_only",
                "ServiceClient",
                Some(client.id),
            )
            .detail(serde_json::json!({ "allowListOnly": allow_list_only }).to_string()),
        )
        .await?;
        transaction.commit().await.map_err(ApiError::from)?;
        Ok(allow_list_only)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_the_sha256_of_the_exact_text() {
        // sha256("{ __typename }"), as an Apollo client computes it.
        assert_eq!(
            document_hash("{ __typename }"),
            "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b"
        );
        assert!(is_sha256_hex(&document_hash("x")));
        assert!(!is_sha256_hex("ABC"));
        assert!(!is_sha256_hex(&document_hash("x").to_uppercase()));
    }

    #[test]
    fn a_registered_document_holds_one_named_operation() {
        assert_eq!(
            single_operation_name("query Sites { sites(first: 1) { totalCount } }").ok(),
            Some("Sites".to_string())
        );
        assert!(single_operation_name("{ __typename }").is_err());
        assert!(single_operation_name("query A { a } query B { b }").is_err());
        assert!(single_operation_name("query {").is_err());
    }

    #[tokio::test]
    async fn documents_are_validated_against_the_schema_without_running_resolvers() {
        // The real schema over a pool that is never connected: validation needs no database.
        let schema = crate::graphql::build_schema(
            sea_orm::DatabaseConnection::default(),
            std::sync::Arc::new(::auth::tokens::TokenService::new(
                ::auth::keys::KeyRing::generate(),
                "test",
                "test",
                chrono::Duration::minutes(10),
            )),
            std::sync::Arc::new(crate::access::rate_limit::RateLimits::new(60)),
        );
        assert!(
            validate_document(&schema, "query S { districtOverview { siteCount } }", None)
                .await
                .is_ok()
        );
        // A variable without a value is fine: only the document is checked.
        let with_variable = validate_document(
            &schema,
            "query S($n: Int!) { sites(first: $n) { nodes { id name } } }",
            None,
        )
        .await;
        assert!(with_variable.is_ok(), "{with_variable:?}");
        let mutation = validate_document(
            &schema,
            "mutation M($input: ArchiveInput!) { archivePerson(input: $input) { id } }",
            None,
        )
        .await;
        assert!(mutation.is_ok(), "{mutation:?}");
        assert!(validate_document(&schema, "query S { noSuchField }", None)
            .await
            .is_err());
        assert!(validate_document(&schema, "query S {", None).await.is_err());
        // An undeclared variable is an error of the document.
        assert!(
            validate_document(&schema, "query S { sites(first: $n) { totalCount } }", None)
                .await
                .is_err()
        );
        // So is a page beyond the limit written into the document.
        assert!(validate_document(
            &schema,
            "query S { sites(first: 100) { nodes { households(first: 100) { nodes { members { name } } } } } }",
            None
        )
        .await
        .is_err());
        assert!(validate_document(
            &schema,
            "query A { __typename } query B { __typename }",
            None
        )
        .await
        .is_err());
    }
}
