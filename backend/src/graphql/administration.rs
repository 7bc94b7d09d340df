//! Administration over GraphQL, separated by duty (三员): the system administrator manages
//! users and their business roles, the security administrator the policy and locks, the
//! auditor reads the audit log. No administrator can do another's work or change data.
use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use auth::policy::{AdminCapability, DataDomain};
use chrono::{DateTime, Utc};

use super::access::principal;
use super::database;
use crate::access::Principal;
use crate::error::ApiError;
use crate::persistence::audit::{self, AuditEntry};
use crate::persistence::database::begin_write;
use crate::persistence::{accounts, administration};

fn with_capability<'a>(
    ctx: &Context<'a>,
    capability: AdminCapability,
    what: &str,
) -> Result<&'a Principal, ApiError> {
    let principal = principal(ctx)?;
    if principal.has_capability(capability) {
        Ok(principal)
    } else {
        Err(ApiError::Forbidden(format!(
            "only the {what} may do this (separation of duties, 三员)"
        )))
    }
}

/// An audit entry.
#[derive(SimpleObject)]
pub struct AuditEntryView {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor: String,
    pub roles: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub reason: Option<String>,
    pub detail: Option<String>,
    /// `success` or `failure`.
    pub outcome: String,
}

/// A user account as the system administrator sees it (never a password hash).
#[derive(SimpleObject)]
pub struct UserAccount {
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub must_change_password: bool,
    pub locked_until: Option<DateTime<Utc>>,
}

/// A new user and the one-time password to hand over (changed at first sign-in).
#[derive(SimpleObject)]
pub struct CreatedUser {
    pub username: String,
    pub one_time_password: String,
}

#[derive(InputObject)]
pub struct RolePermissionInput {
    pub role_code: String,
    /// A data-domain code, e.g. `employment`.
    pub domain: String,
    pub can_read: bool,
    pub can_write: bool,
}

#[derive(InputObject)]
pub struct CreateUserInput {
    pub username: String,
    pub display_name: String,
    /// Business roles only (bureau, town, provincial); administrators come from the CLI.
    pub role_codes: Vec<String>,
}

#[derive(Default)]
pub struct AdministrationQuery;

#[Object]
impl AdministrationQuery {
    /// The audit log, newest first (auditors only). Reading it is itself audited.
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(validator(minimum = 1, maximum = 100))] first: i32,
        before_id: Option<i64>,
        action_prefix: Option<String>,
    ) -> Result<Vec<AuditEntryView>> {
        let principal = with_capability(ctx, AdminCapability::ReadAuditLog, "auditor")?;
        principal.require_read(DataDomain::Audit, "Query.auditLog")?;
        let db = database(ctx);
        let rows =
            administration::audit_entries(db, before_id, action_prefix.as_deref(), first as u64)
                .await
                .map_err(ApiError::from)?;
        audit::record(
            db,
            AuditEntry::by(principal, "audit.read", "AuditLog", None),
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| AuditEntryView {
                id: row.id,
                occurred_at: row.occurred_at,
                actor: row.actor_label,
                roles: row.role_codes,
                action: row.action,
                entity_type: row.entity_type,
                entity_id: row.entity_id,
                reason: row.reason,
                detail: row.detail,
                outcome: row.outcome,
            })
            .collect())
    }

    /// The audit log as CSV (UTF-8 with BOM, for Excel), newest first, at most 50,000 entries
    /// before `beforeId` (auditors only). The export is itself audited.
    async fn audit_log_csv(
        &self,
        ctx: &Context<'_>,
        before_id: Option<i64>,
        action_prefix: Option<String>,
    ) -> Result<String> {
        let principal = with_capability(ctx, AdminCapability::ReadAuditLog, "auditor")?;
        principal.require_read(DataDomain::Audit, "Query.auditLogCsv")?;
        let db = database(ctx);
        let rows = administration::audit_entries(db, before_id, action_prefix.as_deref(), 50_000)
            .await
            .map_err(ApiError::from)?;
        let mut writer = csv::Writer::from_writer(Vec::new());
        let csv_error = |error: csv::Error| ApiError::Internal(anyhow::anyhow!("{error}"));
        writer
            .write_record([
                "id",
                "occurred_at",
                "actor",
                "roles",
                "action",
                "entity_type",
                "entity_id",
                "reason",
                "detail",
                "outcome",
            ])
            .map_err(csv_error)?;
        for row in rows {
            writer
                .write_record([
                    row.id.to_string(),
                    row.occurred_at.to_rfc3339(),
                    row.actor_label,
                    row.role_codes.unwrap_or_default(),
                    row.action,
                    row.entity_type,
                    row.entity_id.unwrap_or_default(),
                    row.reason.unwrap_or_default(),
                    row.detail.unwrap_or_default(),
                    row.outcome,
                ])
                .map_err(csv_error)?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|error| ApiError::Internal(anyhow::anyhow!("{error}")))?;
        audit::record(
            db,
            AuditEntry::by(principal, "audit.export", "AuditLog", None),
        )
        .await?;
        Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
    }

    /// Every user account (system administrators only).
    async fn users(&self, ctx: &Context<'_>) -> Result<Vec<UserAccount>> {
        with_capability(ctx, AdminCapability::ManageUsers, "system administrator")?;
        let users = administration::users(database(ctx))
            .await
            .map_err(ApiError::from)?;
        Ok(users
            .into_iter()
            .map(|user| UserAccount {
                username: user.username,
                display_name: user.display_name,
                disabled: user.disabled,
                must_change_password: user.must_change_password,
                locked_until: user.locked_until,
            })
            .collect())
    }
}

#[derive(Default)]
pub struct AdministrationMutation;

#[Object]
impl AdministrationMutation {
    /// Grants or withdraws a data domain for a role (security administrators only); takes
    /// effect on the next request of every holder.
    async fn set_role_permission(
        &self,
        ctx: &Context<'_>,
        input: RolePermissionInput,
    ) -> Result<bool> {
        let principal =
            with_capability(ctx, AdminCapability::ManagePolicy, "security administrator")?;
        let domain = DataDomain::from_code(&input.domain).ok_or_else(|| {
            ApiError::invalid(
                "input.domain",
                format!("{:?} is not a data domain", input.domain),
            )
        })?;
        let db = database(ctx);
        let role = administration::find_role_by_code(db, &input.role_code)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| {
                ApiError::invalid("input.roleCode", format!("no role {:?}", input.role_code))
            })?;
        let business_role = matches!(role.kind.as_str(), "bureau" | "town" | "provincial");
        let auditor_reading_the_log = role.kind == "auditor" && domain == DataDomain::Audit;
        if !business_role && !auditor_reading_the_log {
            return Err(ApiError::Forbidden(
                "administrator roles hold no data domains (separation of duties)".into(),
            )
            .into());
        }
        let transaction = begin_write(db).await.map_err(ApiError::from)?;
        administration::set_role_permission(
            &transaction,
            role.id,
            domain.code(),
            input.can_read,
            input.can_write,
            domain.is_sensitive(),
            principal.user_id,
        )
        .await
        .map_err(ApiError::from)?;
        audit::record(
            &transaction,
            AuditEntry::by(principal, "policy.set", "Role", Some(role.id)).detail(format!(
                "{{\"domain\":\"{}\",\"canRead\":{},\"canWrite\":{}}}",
                domain.code(),
                input.can_read,
                input.can_write
            )),
        )
        .await?;
        transaction.commit().await.map_err(ApiError::from)?;
        Ok(true)
    }

    /// Creates a user with business roles and a one-time password (system administrators only).
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> Result<CreatedUser> {
        let principal = with_capability(ctx, AdminCapability::ManageUsers, "system administrator")?;
        let username = input.username.trim().to_string();
        let valid = (3..=64).contains(&username.chars().count())
            && username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
        if !valid {
            return Err(ApiError::invalid(
                "input.username",
                "use 3–64 letters, digits, '_', '-' or '.'",
            )
            .into());
        }
        let display_name = domain::text::clean_line(&input.display_name, "input.displayName", 60)
            .map_err(|error| ApiError::invalid("input.displayName", error))?;
        let db = database(ctx);
        let role_ids = business_role_ids(db, &input.role_codes).await?;
        let password = auth::password::generate_password();
        let hash = auth::password::hash_password(&password)
            .map_err(|error| ApiError::Internal(anyhow::anyhow!("{error}")))?;
        let transaction = begin_write(db).await.map_err(ApiError::from)?;
        let created = administration::create_user(
            &transaction,
            administration::NewUser {
                username: &username,
                display_name: &display_name,
                password_hash: &hash,
                must_change_password: true,
                role_ids: &role_ids,
                actor: Some(principal.user_id),
            },
        )
        .await
        .map_err(ApiError::from)?;
        audit::record(
            &transaction,
            AuditEntry::by(principal, "user.create", "User", Some(created.id)),
        )
        .await?;
        transaction.commit().await.map_err(ApiError::from)?;
        Ok(CreatedUser {
            username,
            one_time_password: password,
        })
    }

    /// Replaces a user's business roles; their sessions end at once.
    async fn set_user_roles(
        &self,
        ctx: &Context<'_>,
        username: String,
        role_codes: Vec<String>,
    ) -> Result<bool> {
        let principal = with_capability(ctx, AdminCapability::ManageUsers, "system administrator")?;
        let db = database(ctx);
        let user = accounts::find_user_by_username(db, &username)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| ApiError::not_found("user", &username))?;
        let role_ids = business_role_ids(db, &role_codes).await?;
        let transaction = begin_write(db).await.map_err(ApiError::from)?;
        administration::replace_roles(&transaction, user.id, &role_ids, Some(principal.user_id))
            .await
            .map_err(ApiError::from)?;
        accounts::revoke_user_sessions(&transaction, user.id, "roles changed", Utc::now())
            .await
            .map_err(ApiError::from)?;
        audit::record(
            &transaction,
            AuditEntry::by(principal, "user.set_roles", "User", Some(user.id))
                .detail(role_codes.join(",")),
        )
        .await?;
        transaction.commit().await.map_err(ApiError::from)?;
        Ok(true)
    }

    /// Disables or re-enables a user; disabling ends their sessions at once.
    async fn set_user_disabled(
        &self,
        ctx: &Context<'_>,
        username: String,
        disabled: bool,
    ) -> Result<bool> {
        let principal = with_capability(ctx, AdminCapability::ManageUsers, "system administrator")?;
        let db = database(ctx);
        let user = accounts::find_user_by_username(db, &username)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| ApiError::not_found("user", &username))?;
        if user.id == principal.user_id {
            return Err(ApiError::Conflict("you cannot disable your own account".into()).into());
        }
        let transaction = begin_write(db).await.map_err(ApiError::from)?;
        administration::set_disabled(&transaction, user.id, disabled)
            .await
            .map_err(ApiError::from)?;
        if disabled {
            accounts::revoke_user_sessions(&transaction, user.id, "disabled", Utc::now())
                .await
                .map_err(ApiError::from)?;
        }
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        audit::record(
            &transaction,
            AuditEntry::by(principal, action, "User", Some(user.id)),
        )
        .await?;
        transaction.commit().await.map_err(ApiError::from)?;
        Ok(true)
    }

    /// Lifts a login lock (security administrators only).
    async fn unlock_user(&self, ctx: &Context<'_>, username: String) -> Result<bool> {
        let principal =
            with_capability(ctx, AdminCapability::UnlockUsers, "security administrator")?;
        let db = database(ctx);
        let user = accounts::find_user_by_username(db, &username)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| ApiError::not_found("user", &username))?;
        accounts::reset_failed_logins(db, user.id)
            .await
            .map_err(ApiError::from)?;
        audit::record(
            db,
            AuditEntry::by(principal, "user.unlock", "User", Some(user.id)),
        )
        .await?;
        Ok(true)
    }
}

/// Resolves role codes, refusing administrator roles (those come from the CLI only).
async fn business_role_ids(
    db: &sea_orm::DatabaseConnection,
    codes: &[String],
) -> Result<Vec<i64>, ApiError> {
    let mut ids = Vec::new();
    for (index, code) in codes.iter().enumerate() {
        let role = administration::find_role_by_code(db, code)
            .await?
            .ok_or_else(|| {
                ApiError::invalid(format!("roleCodes[{index}]"), format!("no role {code:?}"))
            })?;
        if !matches!(role.kind.as_str(), "bureau" | "town" | "provincial") {
            return Err(ApiError::Forbidden(format!(
                "{code} is an administrator role: administrators are created with `houxu-server bootstrap-admin`"
            )));
        }
        ids.push(role.id);
    }
    Ok(ids)
}
