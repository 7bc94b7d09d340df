//! Administration under the separation of duties (三员): users and their roles (system
//! administrator), the access policy and unlocking (security administrator), and reading the
//! audit log (auditor).
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};

use super::entities::{role, role_domain_permission, user, user_role};

/// One audit entry as the auditor reads it.
#[derive(Debug, Clone, FromQueryResult)]
pub struct AuditRow {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor_label: String,
    pub role_codes: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub reason: Option<String>,
    pub detail: Option<String>,
    pub outcome: String,
}

/// Audit entries newest first, before an id (keyset), optionally of one action prefix.
pub async fn audit_entries(
    db: &impl ConnectionTrait,
    before_id: Option<i64>,
    action_prefix: Option<&str>,
    limit: u64,
) -> Result<Vec<AuditRow>, DbErr> {
    let mut select = Query::select();
    select
        .columns(
            [
                "id",
                "occurred_at",
                "actor_user_id",
                "actor_label",
                "role_codes",
                "action",
                "entity_type",
                "entity_id",
                "reason",
                "detail",
                "outcome",
            ]
            .map(sea_orm::sea_query::Alias::new),
        )
        .from(sea_orm::sea_query::Alias::new("audit_log"))
        .order_by(
            sea_orm::sea_query::Alias::new("id"),
            sea_orm::sea_query::Order::Desc,
        )
        .limit(limit);
    if let Some(before) = before_id {
        select.and_where(Expr::col(sea_orm::sea_query::Alias::new("id")).lt(before));
    }
    if let Some(prefix) = action_prefix {
        select.and_where(
            Expr::col(sea_orm::sea_query::Alias::new("action"))
                .like(format!("{}%", prefix.replace('%', ""))),
        );
    }
    let statement: Statement = db.get_database_backend().build(&select);
    AuditRow::find_by_statement(statement).all(db).await
}

pub async fn find_role_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<role::Model>, DbErr> {
    role::Entity::find()
        .filter(role::Column::Code.eq(code))
        .one(db)
        .await
}

/// Sets (or clears) one policy row; returns whether a row existed before.
pub async fn set_role_permission(
    db: &impl ConnectionTrait,
    role_id: i64,
    domain: &str,
    can_read: bool,
    can_write: bool,
    sensitive: bool,
    actor: i64,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let existing = role_domain_permission::Entity::find()
        .filter(role_domain_permission::Column::RoleId.eq(role_id))
        .filter(role_domain_permission::Column::Domain.eq(domain))
        .one(db)
        .await?;
    match existing {
        Some(row) if !can_read && !can_write => {
            role_domain_permission::Entity::delete_by_id(row.id)
                .exec(db)
                .await?;
        }
        Some(row) => {
            let mut active: role_domain_permission::ActiveModel = row.clone().into();
            active.can_read = Set(can_read);
            active.can_write = Set(can_write && can_read);
            active.can_read_sensitive = Set(can_read && sensitive);
            active.version = Set(row.version + 1);
            active.updated_at = Set(now);
            active.updated_by = Set(Some(actor));
            active.update(db).await?;
        }
        None if !can_read && !can_write => {}
        None => {
            role_domain_permission::ActiveModel {
                role_id: Set(role_id),
                domain: Set(domain.to_string()),
                can_read: Set(can_read),
                can_write: Set(can_write && can_read),
                can_read_sensitive: Set(can_read && sensitive),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                created_by: Set(Some(actor)),
                updated_by: Set(Some(actor)),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// A user to create.
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    /// True for a one-time password handed over by an administrator.
    pub must_change_password: bool,
    pub role_ids: &'a [i64],
    /// The acting user; `None` for the system (CLI, demo data).
    pub actor: Option<i64>,
}

/// Creates a user with the given roles.
pub async fn create_user(
    db: &impl ConnectionTrait,
    new: NewUser<'_>,
) -> Result<user::Model, DbErr> {
    let now = Utc::now();
    let created = user::ActiveModel {
        username: Set(new.username.to_string()),
        display_name: Set(new.display_name.to_string()),
        password_hash: Set(new.password_hash.to_string()),
        disabled: Set(false),
        must_change_password: Set(new.must_change_password),
        failed_logins: Set(0),
        locked_until: Set(None),
        password_changed_at: Set((!new.must_change_password).then_some(now)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(new.actor),
        updated_by: Set(new.actor),
        ..Default::default()
    }
    .insert(db)
    .await?;
    replace_roles(db, created.id, new.role_ids, new.actor).await?;
    Ok(created)
}

pub async fn replace_roles(
    db: &impl ConnectionTrait,
    user_id: i64,
    role_ids: &[i64],
    actor: Option<i64>,
) -> Result<(), DbErr> {
    user_role::Entity::delete_many()
        .filter(user_role::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    for role_id in role_ids {
        user_role::ActiveModel {
            user_id: Set(user_id),
            role_id: Set(*role_id),
            granted_at: Set(Utc::now()),
            granted_by: Set(actor),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

pub async fn set_disabled(
    db: &impl ConnectionTrait,
    user_id: i64,
    disabled: bool,
) -> Result<bool, DbErr> {
    let result = user::Entity::update_many()
        .col_expr(user::Column::Disabled, Expr::value(disabled))
        .col_expr(user::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(
            user::Column::Version,
            Expr::col(user::Column::Version).add(1),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn users(db: &impl ConnectionTrait) -> Result<Vec<user::Model>, DbErr> {
    user::Entity::find()
        .order_by_asc(user::Column::Id)
        .limit(1000)
        .all(db)
        .await
}
