//! The principal of a request: the signed-in user (or service client), their roles, the
//! policy's permissions for those roles, and the towns whose sites they may see.
use auth::policy::{AdminCapability, DataDomain, Permissions, RoleKind};

use super::service_client::ServiceClientIdentity;
use crate::error::ApiError;
use crate::persistence::accounts::AccountGrants;
use crate::persistence::entities::user;
use crate::persistence::service_clients::{RoleGrants, ACTOR_PREFIX};

/// A role as the client may see it.
#[derive(Debug, Clone)]
pub struct RoleSummary {
    pub code: String,
    pub name: String,
    pub kind: RoleKind,
}

/// Which rows a principal may see: all of the district, or the sites of some towns.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum RowScope {
    #[default]
    District,
    Towns(Vec<i64>),
}

impl RowScope {
    /// The towns to restrict to, or `None` for the whole district.
    pub fn town_ids(&self) -> Option<&[i64]> {
        match self {
            RowScope::District => None,
            RowScope::Towns(towns) => Some(towns),
        }
    }

    pub fn allows_town(&self, town_id: i64) -> bool {
        match self {
            RowScope::District => true,
            RowScope::Towns(towns) => towns.contains(&town_id),
        }
    }
}

/// The signed-in user of a request, or the service client a request acts as.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The user row; for a service client, the row it acts as (`client:<client_id>`).
    pub user_id: i64,
    /// The user's name; for a service client `client:<client_id>`, as audit entries show it.
    pub username: String,
    pub display_name: String,
    pub session_id: String,
    pub must_change_password: bool,
    pub roles: Vec<RoleSummary>,
    pub permissions: Permissions,
    pub scope: RowScope,
    /// The bureaus this user acts for (from bureau roles): the units whose tasks are "mine".
    pub bureau_ids: Vec<i64>,
    /// The towns this user acts for (from town roles).
    pub town_unit_ids: Vec<i64>,
    /// The service client (OAuth 2.0 client credentials) this request acts as; `None` for a
    /// person signed in with a password.
    pub service_client_id: Option<i64>,
    /// The service client's limits and scopes in effect (`Some` exactly when
    /// `service_client_id` is).
    pub service_client: Option<ServiceClientIdentity>,
}

impl Principal {
    /// Assembles the principal from the stored user, roles and policy rows.
    pub fn from_account(
        user: &user::Model,
        session_id: &str,
        account: &AccountGrants,
    ) -> Principal {
        let mut roles = Vec::new();
        let mut towns = Vec::new();
        let mut bureau_ids = Vec::new();
        let mut district_wide = false;
        for role in &account.roles {
            let Some(kind) = RoleKind::from_code(&role.kind) else {
                continue;
            };
            if let (RoleKind::Bureau, Some(bureau_id)) = (kind, role.bureau_id) {
                bureau_ids.push(bureau_id);
            }
            match (kind, role.town_id) {
                (RoleKind::Town, Some(town_id)) => towns.push(town_id),
                (RoleKind::Town, None) => {}
                _ => district_wide = true,
            }
            roles.push(RoleSummary {
                code: role.code.clone(),
                name: role.name.clone(),
                kind,
            });
        }
        towns.sort_unstable();
        towns.dedup();
        let town_unit_ids = towns.clone();
        let scope = if district_wide || towns.is_empty() {
            RowScope::District
        } else {
            RowScope::Towns(towns)
        };
        let permissions = Permissions::from_grants(account.grants.iter().filter_map(|grant| {
            DataDomain::from_code(&grant.domain).map(|domain| auth::policy::Grant {
                domain,
                can_read: grant.can_read,
                can_write: grant.can_write,
            })
        }));
        Principal {
            user_id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            session_id: session_id.to_string(),
            must_change_password: user.must_change_password,
            roles,
            permissions,
            scope,
            bureau_ids,
            town_unit_ids,
            service_client_id: None,
            service_client: None,
        }
    }

    /// The principal of a service client's request: permissions are the scopes in effect
    /// (already capped by the role); the row scope, bureau and town are the role's (a town
    /// role ties the client to its town; otherwise it is district-wide).
    pub fn for_service_client(
        identity: ServiceClientIdentity,
        user_id: i64,
        name: &str,
        credential_id: &str,
        role: Option<&RoleGrants>,
    ) -> Principal {
        let role = role.and_then(|role| {
            RoleKind::from_code(&role.role.kind)
                .filter(|kind| {
                    matches!(
                        kind,
                        RoleKind::Bureau | RoleKind::Town | RoleKind::Provincial
                    )
                })
                .map(|kind| (kind, &role.role))
        });
        let mut bureau_ids = Vec::new();
        let mut town_unit_ids = Vec::new();
        let mut scope = RowScope::District;
        if let Some((kind, role)) = role {
            match (kind, role.bureau_id, role.town_id) {
                (RoleKind::Bureau, Some(bureau_id), _) => bureau_ids.push(bureau_id),
                (RoleKind::Town, _, Some(town_id)) => {
                    town_unit_ids.push(town_id);
                    scope = RowScope::Towns(vec![town_id]);
                }
                _ => {}
            }
        }
        Principal {
            user_id,
            username: format!("{ACTOR_PREFIX}{}", identity.client_id),
            display_name: name.to_string(),
            session_id: credential_id.to_string(),
            must_change_password: false,
            roles: role
                .map(|(kind, role)| RoleSummary {
                    code: role.code.clone(),
                    name: role.name.clone(),
                    kind,
                })
                .into_iter()
                .collect(),
            permissions: identity.scopes.permissions(),
            scope,
            bureau_ids,
            town_unit_ids,
            service_client_id: Some(identity.id),
            service_client: Some(identity),
        }
    }

    /// Whether the principal's roles give the capability. A service client never holds an
    /// administrator's capability (三员 duties are not delegated to machines); it may change
    /// data, within the write scopes it holds.
    pub fn has_capability(&self, capability: AdminCapability) -> bool {
        if self.service_client.is_some() {
            return capability == AdminCapability::ChangeData;
        }
        self.roles
            .iter()
            .any(|role| auth::policy::role_kind_has(role.kind, capability))
    }

    /// Refuses a field outside the principal's domains, naming it.
    pub fn require_read(&self, domain: DataDomain, field: &str) -> Result<(), ApiError> {
        if self.permissions.can_read(domain) {
            Ok(())
        } else {
            Err(ApiError::ForbiddenField {
                field: field.to_string(),
                domain: domain.code(),
            })
        }
    }

    pub fn require_write(&self, domain: DataDomain, what: &str) -> Result<(), ApiError> {
        if self.permissions.can_write(domain) && self.has_capability(AdminCapability::ChangeData) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "your roles may not change {what} (data domain {})",
                domain.code()
            )))
        }
    }

    /// The role codes, for the audit log.
    pub fn role_codes(&self) -> String {
        self.roles
            .iter()
            .map(|role| role.code.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}
