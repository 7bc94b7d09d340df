//! Service clients (OAuth 2.0 client credentials): their rows, the user row each acts as, the
//! role whose grants cap them, and the writes of the security administrator.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use super::entities::{role, role_domain_permission, service_client, service_client_user, user};

/// The prefix of the username of a client's user row: audit entries show `client:<client_id>`.
pub const ACTOR_PREFIX: &str = "client:";

/// Stored in place of a password hash: not a PHC string, so no password ever verifies.
const NO_PASSWORD: &str = "!service-client: signs in with client credentials only";

/// A client with the user row it acts as.
#[derive(Debug, Clone)]
pub struct StoredClient {
    pub client: service_client::Model,
    pub user_id: i64,
}

/// A role with its policy rows.
#[derive(Debug, Clone)]
pub struct RoleGrants {
    pub role: role::Model,
    pub grants: Vec<role_domain_permission::Model>,
}

/// The client with this public id, and its user, in one statement.
pub async fn find_by_client_id(
    db: &impl ConnectionTrait,
    client_id: &str,
) -> Result<Option<StoredClient>, DbErr> {
    let found = service_client::Entity::find()
        .filter(service_client::Column::ClientId.eq(client_id))
        .find_also_related(service_client_user::Entity)
        .one(db)
        .await?;
    Ok(found.and_then(|(client, link)| {
        link.map(|link| StoredClient {
            client,
            user_id: link.user_id,
        })
    }))
}

/// A role and its policy rows (two statements).
pub async fn role_grants(
    db: &impl ConnectionTrait,
    role_id: i64,
) -> Result<Option<RoleGrants>, DbErr> {
    let Some(role) = role::Entity::find_by_id(role_id).one(db).await? else {
        return Ok(None);
    };
    let grants = role_domain_permission::Entity::find()
        .filter(role_domain_permission::Column::RoleId.eq(role_id))
        .all(db)
        .await?;
    Ok(Some(RoleGrants { role, grants }))
}

/// Every client, oldest first, with the code of its role.
pub async fn all(
    db: &impl ConnectionTrait,
) -> Result<Vec<(service_client::Model, Option<String>)>, DbErr> {
    let clients = service_client::Entity::find()
        .order_by_asc(service_client::Column::Id)
        .all(db)
        .await?;
    let role_ids: Vec<i64> = clients.iter().filter_map(|client| client.role_id).collect();
    let roles = if role_ids.is_empty() {
        Vec::new()
    } else {
        role::Entity::find()
            .filter(role::Column::Id.is_in(role_ids))
            .all(db)
            .await?
    };
    Ok(clients
        .into_iter()
        .map(|client| {
            let code = client.role_id.and_then(|id| {
                roles
                    .iter()
                    .find(|role| role.id == id)
                    .map(|role| role.code.clone())
            });
            (client, code)
        })
        .collect())
}

/// A client to create, already validated.
pub struct NewServiceClient<'a> {
    pub client_id: &'a str,
    pub name: &'a str,
    pub secret_hash: &'a str,
    pub scopes: &'a str,
    pub rate_limit_per_minute: i32,
    pub ip_allow_list: &'a str,
    pub role_id: Option<i64>,
    /// The security administrator.
    pub actor: i64,
}

/// Creates the client's user row, the client and the link between them.
pub async fn create(
    db: &impl ConnectionTrait,
    new: NewServiceClient<'_>,
) -> Result<StoredClient, DbErr> {
    let now = Utc::now();
    let actor = Some(new.actor);
    let acting_user = user::ActiveModel {
        username: Set(format!("{ACTOR_PREFIX}{}", new.client_id)),
        display_name: Set(user_display_name(new.name)),
        password_hash: Set(NO_PASSWORD.to_string()),
        // Never signs in with a password: the client's own row says whether it may act.
        disabled: Set(true),
        must_change_password: Set(false),
        failed_logins: Set(0),
        locked_until: Set(None),
        password_changed_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor),
        updated_by: Set(actor),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let client = service_client::ActiveModel {
        client_id: Set(new.client_id.to_string()),
        name: Set(new.name.to_string()),
        secret_hash: Set(new.secret_hash.to_string()),
        scopes: Set(new.scopes.to_string()),
        rate_limit_per_minute: Set(new.rate_limit_per_minute),
        ip_allow_list: Set(new.ip_allow_list.to_string()),
        role_id: Set(new.role_id),
        disabled: Set(false),
        secret_rotated_at: Set(Some(now)),
        last_used_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(actor),
        updated_by: Set(actor),
        ..Default::default()
    }
    .insert(db)
    .await?;
    service_client_user::ActiveModel {
        service_client_id: Set(client.id),
        user_id: Set(acting_user.id),
    }
    .insert(db)
    .await?;
    Ok(StoredClient {
        client,
        user_id: acting_user.id,
    })
}

/// What an update sets (everything, already merged with the current row).
pub struct ServiceClientChanges<'a> {
    pub name: &'a str,
    pub scopes: &'a str,
    pub rate_limit_per_minute: i32,
    pub ip_allow_list: &'a str,
    pub role_id: Option<i64>,
}

/// Updates a client if it is still at `expected_version`; returns whether it was.
pub async fn update(
    db: &impl ConnectionTrait,
    stored: &StoredClient,
    expected_version: i32,
    changes: ServiceClientChanges<'_>,
    actor: i64,
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let result = service_client::Entity::update_many()
        .col_expr(service_client::Column::Name, Expr::value(changes.name))
        .col_expr(service_client::Column::Scopes, Expr::value(changes.scopes))
        .col_expr(
            service_client::Column::RateLimitPerMinute,
            Expr::value(changes.rate_limit_per_minute),
        )
        .col_expr(
            service_client::Column::IpAllowList,
            Expr::value(changes.ip_allow_list),
        )
        .col_expr(service_client::Column::RoleId, Expr::value(changes.role_id))
        .col_expr(service_client::Column::UpdatedAt, Expr::value(now))
        .col_expr(service_client::Column::UpdatedBy, Expr::value(actor))
        .col_expr(
            service_client::Column::Version,
            Expr::col(service_client::Column::Version).add(1),
        )
        .filter(service_client::Column::Id.eq(stored.client.id))
        .filter(service_client::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(false);
    }
    user::Entity::update_many()
        .col_expr(
            user::Column::DisplayName,
            Expr::value(user_display_name(changes.name)),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(stored.user_id))
        .exec(db)
        .await?;
    Ok(true)
}

/// Disables or re-enables a client (its tokens stop or resume working at once).
pub async fn set_disabled(
    db: &impl ConnectionTrait,
    client_id: i64,
    disabled: bool,
    actor: i64,
) -> Result<(), DbErr> {
    bump(
        db,
        client_id,
        actor,
        vec![(service_client::Column::Disabled, Expr::value(disabled))],
    )
    .await
}

/// Replaces the secret's hash: the old secret and every token obtained with it stop working.
pub async fn replace_secret(
    db: &impl ConnectionTrait,
    client_id: i64,
    secret_hash: &str,
    now: DateTime<Utc>,
    actor: i64,
) -> Result<(), DbErr> {
    bump(
        db,
        client_id,
        actor,
        vec![
            (service_client::Column::SecretHash, Expr::value(secret_hash)),
            (service_client::Column::SecretRotatedAt, Expr::value(now)),
        ],
    )
    .await
}

async fn bump(
    db: &impl ConnectionTrait,
    client_id: i64,
    actor: i64,
    columns: Vec<(service_client::Column, sea_orm::sea_query::SimpleExpr)>,
) -> Result<(), DbErr> {
    let mut update = service_client::Entity::update_many()
        .col_expr(service_client::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(service_client::Column::UpdatedBy, Expr::value(actor))
        .col_expr(
            service_client::Column::Version,
            Expr::col(service_client::Column::Version).add(1),
        );
    for (column, value) in columns {
        update = update.col_expr(column, value);
    }
    update
        .filter(service_client::Column::Id.eq(client_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks the client as used now (not a change of the record: no version bump).
pub async fn touch_last_used(
    db: &impl ConnectionTrait,
    client_id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    service_client::Entity::update_many()
        .col_expr(service_client::Column::LastUsedAt, Expr::value(now))
        .filter(service_client::Column::Id.eq(client_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The user row's display name: the client's name, cut to the column's 60 characters.
fn user_display_name(name: &str) -> String {
    name.chars().take(60).collect()
}
