//! Service clients of the provincial platforms, managed by the security administrator (三员):
//! creating one (its secret is shown once), rotating the secret, changing scopes, role, rate
//! limit and address allow-list, disabling; and the audit entry of every call a client makes.
use std::any::TypeId;
use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest, NextRequest,
};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection,
};
use async_graphql::{
    Context, InputObject, MaybeUndefined, Object, Request, Result, ServerResult, SimpleObject,
    Variables,
};
use auth::policy::AdminCapability;
use auth::scopes::ScopeSet;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde_json::json;

use super::access::principal;
use super::database;
use crate::access::service_client::{
    self, is_business_role, role_permissions, AllowList, DEFAULT_RATE_LIMIT_PER_MINUTE,
    MAX_RATE_LIMIT_PER_MINUTE,
};
use crate::access::Principal;
use crate::error::ApiError;
use crate::persistence::audit::{self, AuditEntry, Outcome};
use crate::persistence::database::begin_write;
use crate::persistence::entities::{role, service_client as entity};
use crate::persistence::service_clients::{
    self as store, NewServiceClient, ServiceClientChanges, StoredClient, ACTOR_PREFIX,
};
use crate::persistence::{administration, service_clients::RoleGrants};

fn security_administrator<'a>(ctx: &Context<'a>) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    if principal.has_capability(AdminCapability::ManagePolicy) {
        Ok(principal)
    } else {
        Err(ApiError::Forbidden(
            "only the security administrator manages service clients (separation of duties, 三员)"
                .into(),
        ))
    }
}

/// A service client (a provincial platform calling the API with OAuth 2.0 client
/// credentials). Its secret is never shown again after creation or rotation.
#[derive(SimpleObject)]
#[graphql(name = "ServiceClient")]
pub struct ServiceClientView {
    /// The public `client_id` of the token endpoint.
    pub client_id: String,
    pub name: String,
    /// Granted scopes, `<domain>:read` or `<domain>:write` (write includes read).
    pub scopes: Vec<String>,
    /// The role whose grants cap the scopes and whose town, if a town role, limits its rows.
    pub role_code: Option<String>,
    pub rate_limit_per_minute: i32,
    /// CIDR blocks the client may call from; empty means any address.
    pub ip_allow_list: Vec<String>,
    pub disabled: bool,
    /// How audit entries name the client: `client:<clientId>`.
    pub actor_label: String,
    pub secret_rotated_at: Option<DateTime<Utc>>,
    /// When it last obtained a token or made a call (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

impl ServiceClientView {
    fn of(client: entity::Model, role_code: Option<String>) -> ServiceClientView {
        ServiceClientView {
            actor_label: format!("{ACTOR_PREFIX}{}", client.client_id),
            scopes: client
                .scopes
                .split(' ')
                .filter(|scope| !scope.is_empty())
                .map(str::to_string)
                .collect(),
            ip_allow_list: client
                .ip_allow_list
                .split(',')
                .filter(|block| !block.is_empty())
                .map(str::to_string)
                .collect(),
            client_id: client.client_id,
            name: client.name,
            role_code,
            rate_limit_per_minute: client.rate_limit_per_minute,
            disabled: client.disabled,
            secret_rotated_at: client.secret_rotated_at,
            last_used_at: client.last_used_at,
            created_at: client.created_at,
            version: client.version,
        }
    }
}

/// A client with its secret, shown this once: store it in the platform's secret store.
#[derive(SimpleObject)]
pub struct ServiceClientCredentials {
    pub client: ServiceClientView,
    /// Send it with the client id to `POST /oauth/token` (HTTP Basic or form body).
    pub client_secret: String,
}

#[derive(InputObject)]
pub struct CreateServiceClientInput {
    /// What the client is, e.g. 省易地扶贫搬迁后续扶持社区服务平台.
    pub name: String,
    /// `<domain>:read` or `<domain>:write`, within what the role grants (if a role is given).
    pub scopes: Vec<String>,
    /// A business role (bureau, town or provincial) whose grants cap the scopes; a town role
    /// limits the client to that town's records. Without one the client is district-wide.
    pub role_code: Option<String>,
    /// Requests per minute (per server instance); 60 when not given.
    pub rate_limit_per_minute: Option<i32>,
    /// CIDR blocks or addresses the client may call from; not given or empty: any address.
    pub ip_allow_list: Option<Vec<String>>,
}

#[derive(InputObject)]
pub struct UpdateServiceClientInput {
    pub client_id: String,
    /// The version read; a client changed meanwhile is refused with CONFLICT.
    pub version: i32,
    pub name: Option<String>,
    pub scopes: Option<Vec<String>>,
    /// A role code, `null` to remove the role, or left out to keep it.
    pub role_code: MaybeUndefined<String>,
    pub rate_limit_per_minute: Option<i32>,
    /// CIDR blocks, `null` or `[]` for any address, or left out to keep them.
    pub ip_allow_list: MaybeUndefined<Vec<String>>,
}

fn parse_name(name: &str) -> Result<String, ApiError> {
    domain::text::clean_line(name, "input.name", 200)
        .map_err(|error| ApiError::invalid("input.name", error))
}

fn parse_scopes(scopes: &[String]) -> Result<ScopeSet, ApiError> {
    let parsed = ScopeSet::parse_list(scopes.iter().map(String::as_str))
        .map_err(|(index, error)| ApiError::invalid(format!("input.scopes[{index}]"), error))?;
    if parsed.is_empty() {
        return Err(ApiError::invalid(
            "input.scopes",
            "grant at least one scope, e.g. land:read",
        ));
    }
    Ok(parsed)
}

fn parse_rate_limit(limit: Option<i32>, current: i32) -> Result<i32, ApiError> {
    let limit = limit.unwrap_or(current);
    if (1..=MAX_RATE_LIMIT_PER_MINUTE).contains(&limit) {
        Ok(limit)
    } else {
        Err(ApiError::invalid(
            "input.rateLimitPerMinute",
            format!("give 1 to {MAX_RATE_LIMIT_PER_MINUTE} requests a minute"),
        ))
    }
}

fn parse_allow_list(blocks: &[String]) -> Result<AllowList, ApiError> {
    AllowList::parse_list(blocks.iter().map(String::as_str))
        .map_err(|(index, error)| ApiError::invalid(format!("input.ipAllowList[{index}]"), error))
}

/// The role of a code, if it may be given to a client, with its policy rows.
async fn client_role(db: &DatabaseConnection, code: &str) -> Result<RoleGrants, ApiError> {
    let role: role::Model = administration::find_role_by_code(db, code.trim())
        .await?
        .ok_or_else(|| ApiError::invalid("input.roleCode", format!("no role {code:?}")))?;
    if !is_business_role(&role.kind) {
        return Err(ApiError::Forbidden(format!(
            "{code} is an administrator role: a service client may only hold a bureau, town or provincial role (三员)"
        )));
    }
    store::role_grants(db, role.id)
        .await?
        .ok_or_else(|| ApiError::invalid("input.roleCode", format!("no role {code:?}")))
}

/// A client may not be granted more than its role: refuses the first scope the role lacks.
fn within_role(scopes: &ScopeSet, role: Option<&RoleGrants>) -> Result<(), ApiError> {
    let Some(role) = role else {
        return Ok(());
    };
    match scopes
        .capped_by(&role_permissions(role))
        .first_not_covered(scopes)
    {
        None => Ok(()),
        Some(scope) => Err(ApiError::invalid(
            "input.scopes",
            format!(
                "the role {} does not grant {}; grant the role the domain first or narrow the scope",
                role.role.code,
                scope.code()
            ),
        )),
    }
}

async fn find_client(db: &DatabaseConnection, client_id: &str) -> Result<StoredClient, ApiError> {
    store::find_by_client_id(db, client_id.trim())
        .await?
        .ok_or_else(|| ApiError::not_found("service client", client_id))
}

/// Reads the client back with its role's code, for the answer.
async fn view(db: &DatabaseConnection, client_id: &str) -> Result<ServiceClientView, ApiError> {
    let stored = find_client(db, client_id).await?;
    let role_code = match stored.client.role_id {
        Some(role_id) => store::role_grants(db, role_id)
            .await?
            .map(|role| role.role.code),
        None => None,
    };
    Ok(ServiceClientView::of(stored.client, role_code))
}

fn settings_detail(
    name: &str,
    scopes: &ScopeSet,
    role: Option<&RoleGrants>,
    rate_limit: i32,
    allow_list: &AllowList,
) -> String {
    json!({
        "name": name,
        "scopes": scopes.codes(),
        "role": role.map(|role| role.role.code.clone()),
        "rateLimitPerMinute": rate_limit,
        "ipAllowList": allow_list.entries(),
    })
    .to_string()
}

#[derive(Default)]
pub struct ServiceClientsQuery;

#[Object]
impl ServiceClientsQuery {
    /// Every service client, oldest first (security administrators only).
    async fn service_clients(&self, ctx: &Context<'_>) -> Result<Vec<ServiceClientView>> {
        security_administrator(ctx)?;
        let clients = store::all(database(ctx)).await.map_err(ApiError::from)?;
        Ok(clients
            .into_iter()
            .map(|(client, role_code)| ServiceClientView::of(client, role_code))
            .collect())
    }
}

#[derive(Default)]
pub struct ServiceClientsMutation;

#[Object]
impl ServiceClientsMutation {
    /// Registers a service client and answers its id and a secret of 256 random bits, shown
    /// this once (only its argon2id hash is kept). Security administrators only.
    async fn create_service_client(
        &self,
        ctx: &Context<'_>,
        input: CreateServiceClientInput,
    ) -> Result<ServiceClientCredentials> {
        let principal = security_administrator(ctx)?;
        let db = database(ctx);
        let name = parse_name(&input.name)?;
        let scopes = parse_scopes(&input.scopes)?;
        let rate_limit =
            parse_rate_limit(input.rate_limit_per_minute, DEFAULT_RATE_LIMIT_PER_MINUTE)?;
        let allow_list = parse_allow_list(input.ip_allow_list.as_deref().unwrap_or_default())?;
        let role = match input.role_code.as_deref() {
            Some(code) => Some(client_role(db, code).await?),
            None => None,
        };
        within_role(&scopes, role.as_ref())?;
        let client_id = service_client::new_client_id();
        let secret = service_client::new_client_secret();
        let secret_hash = service_client::hash_secret(&secret)?;
        let transaction = begin_write(db).await.map_err(ApiError::from)?;
        let stored = store::create(
            &transaction,
            NewServiceClient {
                client_id: &client_id,
                name: &name,
                secret_hash: &secret_hash,
                scopes: &scopes.to_space_separated(),
                rate_limit_per_minute: rate_limit,
                ip_allow_list: &allow_list.to_stored(),
                role_id: role.as_ref().map(|role| role.role.id),
                actor: principal.user_id,
            },
        )
        .await
        .map_err(ApiError::from)?;
        audit::record(
            &transaction,
            AuditEntry::by(
                principal,
                "service_client.create",
                "ServiceClient",
                Some(stored.client.id),
            )
            .detail(settings_detail(
                &name,
                &scopes,
                role.as_ref(),
                rate_limit,
                &allow_list,
            )),
        )
        .await?;
        transaction.commit().await.map_err(ApiError::from)?;
        let role_code = role.map(|role| role.role.code);
        Ok(ServiceClientCredentials {
            client: ServiceClientView::of(stored.client, role_code),
            client_secret: secret,
        })
    }

    /// Replaces a client's secret: the old secret and every token obtained with it stop
    /// working at once. The new secret is shown this once.
    async fn rotate_service_client_secret(
        &self,
        ctx: &Context<'_>,
        client_id: String,
    ) -> Result<ServiceClientCredentials> {
        let principal = security_administrator(ctx)?;
        let db = database(ctx);
        let stored = find_client(db, &client_id).await?;
        let secret = service_client::new_client_secret();
        let secret_hash = service_client::hash_secret(&secret)?;
        let transaction = begin_write(db).await.map_err(ApiError::from)?;
        store::replace_secret(
            &transaction,
            stored.client.id,
            &secret_hash,
            Utc::now(),
            principal.user_id,
        )
        .await
        .map_err(ApiError::from)?;
        audit::record(
            &transaction,
            AuditEntry::by(
                principal,
                "service_client.rotate_secret",
                "ServiceClient",
                Some(stored.client.id),
            ),
        )
        .await?;
        transaction.commit().await.map_err(ApiError::from)?;
        Ok(ServiceClientCredentials {
            client: view(db, &stored.client.client_id).await?,
            client_secret: secret,
        })
    }

    /// Changes a client's name, scopes, role, rate limit or address allow-list; takes effect
    /// on its next request (tokens already issued are narrowed too, never widened).
    async fn update_service_client(
        &self,
        ctx: &Context<'_>,
        input: UpdateServiceClientInput,
    ) -> Result<ServiceClientView> {
        let principal = security_administrator(ctx)?;
        let db = database(ctx);
        let stored = find_client(db, &input.client_id).await?;
        let current = &stored.client;
        let name = match &input.name {
            Some(name) => parse_name(name)?,
            None => current.name.clone(),
        };
        let scopes = match &input.scopes {
            Some(scopes) => parse_scopes(scopes)?,
            None => ScopeSet::parse_space_separated(&current.scopes)
                .map_err(|error| ApiError::Internal(anyhow::anyhow!("stored scopes: {error}")))?,
        };
        let rate_limit =
            parse_rate_limit(input.rate_limit_per_minute, current.rate_limit_per_minute)?;
        let allow_list = match &input.ip_allow_list {
            MaybeUndefined::Value(blocks) => parse_allow_list(blocks)?,
            MaybeUndefined::Null => AllowList::default(),
            MaybeUndefined::Undefined => {
                AllowList::parse_stored(&current.ip_allow_list).map_err(|error| {
                    ApiError::Internal(anyhow::anyhow!("stored allow-list: {error}"))
                })?
            }
        };
        let role = match &input.role_code {
            MaybeUndefined::Value(code) => Some(client_role(db, code).await?),
            MaybeUndefined::Null => None,
            MaybeUndefined::Undefined => match current.role_id {
                Some(role_id) => store::role_grants(db, role_id).await?,
                None => None,
            },
        };
        within_role(&scopes, role.as_ref())?;
        let transaction = begin_write(db).await.map_err(ApiError::from)?;
        let updated = store::update(
            &transaction,
            &stored,
            input.version,
            ServiceClientChanges {
                name: &name,
                scopes: &scopes.to_space_separated(),
                rate_limit_per_minute: rate_limit,
                ip_allow_list: &allow_list.to_stored(),
                role_id: role.as_ref().map(|role| role.role.id),
            },
            principal.user_id,
        )
        .await
        .map_err(ApiError::from)?;
        if !updated {
            return Err(
                ApiError::stale_version("service client", &input.client_id, input.version).into(),
            );
        }
        audit::record(
            &transaction,
            AuditEntry::by(
                principal,
                "service_client.update",
                "ServiceClient",
                Some(current.id),
            )
            .detail(settings_detail(
                &name,
                &scopes,
                role.as_ref(),
                rate_limit,
                &allow_list,
            )),
        )
        .await?;
        transaction.commit().await.map_err(ApiError::from)?;
        Ok(view(db, &current.client_id).await?)
    }

    /// Disables a client (its tokens stop working at once and it gets no new ones) or enables
    /// it again.
    async fn set_service_client_disabled(
        &self,
        ctx: &Context<'_>,
        client_id: String,
        disabled: bool,
    ) -> Result<ServiceClientView> {
        let principal = security_administrator(ctx)?;
        let db = database(ctx);
        let stored = find_client(db, &client_id).await?;
        let transaction = begin_write(db).await.map_err(ApiError::from)?;
        store::set_disabled(&transaction, stored.client.id, disabled, principal.user_id)
            .await
            .map_err(ApiError::from)?;
        let action = if disabled {
            "service_client.disable"
        } else {
            "service_client.enable"
        };
        audit::record(
            &transaction,
            AuditEntry::by(principal, action, "ServiceClient", Some(stored.client.id)),
        )
        .await?;
        transaction.commit().await.map_err(ApiError::from)?;
        Ok(view(db, &stored.client.client_id).await?)
    }
}

/// Audits every GraphQL call a service client makes (`client.call`): the operation's kind,
/// name and root fields, and the error codes it met (outcome `failure` with any error).
/// People's requests are not touched: their writes and sensitive reads are audited where they
/// happen.
pub struct ClientCallAudit;

impl ExtensionFactory for ClientCallAudit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ClientCallAuditExtension::default())
    }
}

#[derive(Default)]
struct ClientCallAuditExtension {
    call: Mutex<Option<ClientCall>>,
}

struct ClientCall {
    principal: Principal,
    operation_name: Option<String>,
    kind: Option<&'static str>,
    fields: Vec<String>,
}

impl ClientCallAuditExtension {
    fn with_call(&self, update: impl FnOnce(&mut Option<ClientCall>)) {
        let mut call = self
            .call
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        update(&mut call);
    }
}

/// The kind and root fields of the operation that will run.
fn summarize(
    document: &ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<(&'static str, Vec<String>)> {
    let operation = match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), _) => operation,
        (DocumentOperations::Multiple(operations), Some(name)) => operations
            .iter()
            .find(|(candidate, _)| candidate.as_str() == name)
            .map(|(_, operation)| operation)?,
        (DocumentOperations::Multiple(operations), None) => operations.values().next()?,
    };
    let kind = match operation.node.ty {
        OperationType::Query => "query",
        OperationType::Mutation => "mutation",
        OperationType::Subscription => "subscription",
    };
    let mut fields: Vec<String> = Vec::new();
    for selection in &operation.node.selection_set.node.items {
        let name = match &selection.node {
            Selection::Field(field) => field.node.name.node.to_string(),
            Selection::FragmentSpread(spread) => {
                format!("...{}", spread.node.fragment_name.node)
            }
            Selection::InlineFragment(_) => "...".to_string(),
        };
        if !fields.contains(&name) && fields.len() < 20 {
            fields.push(name);
        }
    }
    Some((kind, fields))
}

#[async_trait::async_trait]
impl Extension for ClientCallAuditExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let client = request
            .data
            .get(&TypeId::of::<Principal>())
            .and_then(|data| data.downcast_ref::<Principal>())
            .filter(|principal| principal.service_client_id.is_some());
        if let Some(principal) = client {
            let call = ClientCall {
                principal: principal.clone(),
                operation_name: request.operation_name.clone(),
                kind: None,
                fields: Vec::new(),
            };
            self.with_call(|slot| *slot = Some(call));
        }
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        self.with_call(|slot| {
            if let Some(call) = slot.as_mut() {
                if let Some((kind, fields)) = summarize(&document, call.operation_name.as_deref()) {
                    call.kind = Some(kind);
                    call.fields = fields;
                }
            }
        });
        Ok(document)
    }

    async fn request(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextRequest<'_>,
    ) -> async_graphql::Response {
        let response = next.run(ctx).await;
        let mut taken = None;
        self.with_call(|slot| taken = slot.take());
        let (Some(call), Some(db)) = (taken, ctx.data_opt::<DatabaseConnection>()) else {
            return response;
        };
        let codes: Vec<String> = response
            .errors
            .iter()
            .map(|error| {
                error
                    .extensions
                    .as_ref()
                    .and_then(|extensions| match extensions.get("code") {
                        Some(async_graphql::Value::String(code)) => Some(code.clone()),
                        _ => None,
                    })
                    .unwrap_or_else(|| "GRAPHQL_ERROR".to_string())
            })
            .collect();
        let outcome = if codes.is_empty() {
            Outcome::Success
        } else {
            Outcome::Failure
        };
        let detail = json!({
            "operation": call.kind,
            "operationName": call.operation_name,
            "fields": call.fields,
            "errors": codes,
        });
        let entry = AuditEntry::by(
            &call.principal,
            "client.call",
            "ServiceClient",
            call.principal.service_client_id,
        )
        .outcome(outcome)
        .detail(detail.to_string());
        if let Err(error) = audit::record(db, entry).await {
            tracing::error!(error = ?error, "cannot audit a service client's call");
        }
        response
    }
}
