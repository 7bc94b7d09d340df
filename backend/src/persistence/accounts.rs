//! Users, their roles and policy grants, sign-in sessions and password history.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, Iden, JoinType, Order, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait,
    FromQueryResult, IdenStatic, Iterable, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};

use super::entities::{
    password_history, role, role_domain_permission, user, user_role, user_session,
};

/// A user with everything the server stores about what they may do.
#[derive(Debug, Clone)]
pub struct AccountGrants {
    pub roles: Vec<role::Model>,
    pub grants: Vec<role_domain_permission::Model>,
}

pub async fn find_user_by_username(
    db: &impl ConnectionTrait,
    username: &str,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await
}

pub async fn find_user(db: &impl ConnectionTrait, id: i64) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find_by_id(id).one(db).await
}

/// The roles a user holds and the policy rows of those roles, in two statements.
pub async fn roles_and_grants(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<AccountGrants, DbErr> {
    let roles_of_user = || {
        sea_orm::sea_query::Query::select()
            .column(user_role::Column::RoleId)
            .from(user_role::Entity)
            .and_where(user_role::Column::UserId.eq(user_id))
            .to_owned()
    };
    let roles = role::Entity::find()
        .filter(role::Column::Id.in_subquery(roles_of_user()))
        .order_by_asc(role::Column::Id)
        .all(db)
        .await?;
    if roles.is_empty() {
        return Ok(AccountGrants {
            roles,
            grants: Vec::new(),
        });
    }
    let grants = role_domain_permission::Entity::find()
        .filter(role_domain_permission::Column::RoleId.in_subquery(roles_of_user()))
        .all(db)
        .await?;
    Ok(AccountGrants { roles, grants })
}

/// A session, its account (gone if deleted) and everything the account may do.
pub struct SessionAccount {
    pub session: user_session::Model,
    pub user: Option<user::Model>,
    pub grants: AccountGrants,
}

/// The check of every signed-in request in one statement: the session, its account, the
/// account's roles and the policy rows of those roles (one row per role and grant).
pub async fn find_session_account(
    db: &impl ConnectionTrait,
    session_id: &str,
) -> Result<Option<SessionAccount>, DbErr> {
    // The text is the same on every request: built once per backend, the session id bound.
    static SQL: std::sync::OnceLock<[String; 2]> = std::sync::OnceLock::new();
    let backend = db.get_database_backend();
    let [postgres, sqlite] = SQL.get_or_init(|| {
        let query = session_account_query();
        [
            DatabaseBackend::Postgres.build(&query).sql,
            DatabaseBackend::Sqlite.build(&query).sql,
        ]
    });
    let sql = match backend {
        DatabaseBackend::Postgres => postgres.clone(),
        _ => sqlite.clone(),
    };
    let rows = db
        .query_all(Statement::from_sql_and_values(
            backend,
            sql,
            [session_id.into()],
        ))
        .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let session = user_session::Model::from_query_result(first, "s_")?;
    let user = user::Model::from_query_result_optional(first, "u_")?;
    let mut grants = AccountGrants {
        roles: Vec::new(),
        grants: Vec::new(),
    };
    for row in &rows {
        if let Some(role) = role::Model::from_query_result_optional(row, "r_")? {
            if grants.roles.last().map(|last| last.id) != Some(role.id) {
                grants.roles.push(role);
            }
        }
        if let Some(grant) = role_domain_permission::Model::from_query_result_optional(row, "g_")? {
            grants.grants.push(grant);
        }
    }
    Ok(Some(SessionAccount {
        session,
        user,
        grants,
    }))
}

/// The statement of [`find_session_account`], its session id a placeholder.
fn session_account_query() -> SelectStatement {
    let (s, u, ur, r, g) = (
        Alias::new("s"),
        Alias::new("u"),
        Alias::new("ur"),
        Alias::new("r"),
        Alias::new("g"),
    );
    let mut query = Query::select();
    select_prefixed::<user_session::Entity>(&mut query, &s);
    select_prefixed::<user::Entity>(&mut query, &u);
    select_prefixed::<role::Entity>(&mut query, &r);
    select_prefixed::<role_domain_permission::Entity>(&mut query, &g);
    query
        .from_as(user_session::Entity, s.clone())
        .join_as(
            JoinType::LeftJoin,
            user::Entity,
            u.clone(),
            Expr::col((u.clone(), user::Column::Id))
                .equals((s.clone(), user_session::Column::UserId)),
        )
        .join_as(
            JoinType::LeftJoin,
            user_role::Entity,
            ur.clone(),
            Expr::col((ur.clone(), user_role::Column::UserId))
                .equals((u.clone(), user::Column::Id)),
        )
        .join_as(
            JoinType::LeftJoin,
            role::Entity,
            r.clone(),
            Expr::col((r.clone(), role::Column::Id))
                .equals((ur.clone(), user_role::Column::RoleId)),
        )
        .join_as(
            JoinType::LeftJoin,
            role_domain_permission::Entity,
            g.clone(),
            Expr::col((g.clone(), role_domain_permission::Column::RoleId))
                .equals((r.clone(), role::Column::Id)),
        )
        .and_where(Expr::col((s, user_session::Column::Id)).eq(""))
        .order_by((r, role::Column::Id), Order::Asc);
    query
}

/// Selects every column of `E` from the table aliased `table`, named `<table>_<column>`.
fn select_prefixed<E: EntityTrait>(query: &mut SelectStatement, table: &Alias) {
    for column in E::Column::iter() {
        query.expr_as(
            Expr::col((table.clone(), column)),
            Alias::new(format!("{}_{}", table.to_string(), column.as_str())),
        );
    }
}

pub async fn find_session(
    db: &impl ConnectionTrait,
    session_id: &str,
) -> Result<Option<user_session::Model>, DbErr> {
    user_session::Entity::find_by_id(session_id.to_string())
        .one(db)
        .await
}

/// Records a failed sign-in: the new failure count and, once reached, the lock.
pub async fn record_failed_login(
    db: &impl ConnectionTrait,
    user_id: i64,
    failed_logins: u32,
    locked_until: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(
            user::Column::FailedLogins,
            Expr::value(failed_logins as i32),
        )
        .col_expr(user::Column::LockedUntil, Expr::value(locked_until))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn reset_failed_logins(db: &impl ConnectionTrait, user_id: i64) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(user::Column::FailedLogins, Expr::value(0))
        .col_expr(
            user::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

pub struct NewSession {
    pub id: String,
    pub user_id: i64,
    pub refresh_token_hash: String,
    pub now: DateTime<Utc>,
    pub user_agent: Option<String>,
    pub ip_address: Option<String>,
}

pub async fn create_session(db: &impl ConnectionTrait, new: NewSession) -> Result<(), DbErr> {
    user_session::ActiveModel {
        id: Set(new.id),
        user_id: Set(new.user_id),
        created_at: Set(new.now),
        last_used_at: Set(new.now),
        revoked_at: Set(None),
        revoked_reason: Set(None),
        refresh_token_hash: Set(Some(new.refresh_token_hash)),
        previous_refresh_token_hash: Set(None),
        user_agent: Set(new.user_agent),
        ip_address: Set(new.ip_address),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// What presenting a refresh token found.
pub enum RefreshLookup {
    /// The token is the session's current one.
    Current(user_session::Model),
    /// The token was already rotated away: someone replayed it (the session must die).
    Replayed(user_session::Model),
    Unknown,
}

pub async fn find_session_by_refresh_hash(
    db: &impl ConnectionTrait,
    hash: &str,
) -> Result<RefreshLookup, DbErr> {
    if let Some(session) = user_session::Entity::find()
        .filter(user_session::Column::RefreshTokenHash.eq(hash))
        .one(db)
        .await?
    {
        return Ok(RefreshLookup::Current(session));
    }
    if let Some(session) = user_session::Entity::find()
        .filter(user_session::Column::PreviousRefreshTokenHash.eq(hash))
        .one(db)
        .await?
    {
        return Ok(RefreshLookup::Replayed(session));
    }
    Ok(RefreshLookup::Unknown)
}

/// Swaps the session's refresh token, only if it is still the one presented (no double use).
pub async fn rotate_refresh_token(
    db: &impl ConnectionTrait,
    session_id: &str,
    presented_hash: &str,
    new_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = user_session::Entity::update_many()
        .col_expr(
            user_session::Column::RefreshTokenHash,
            Expr::value(new_hash),
        )
        .col_expr(
            user_session::Column::PreviousRefreshTokenHash,
            Expr::value(presented_hash),
        )
        .col_expr(user_session::Column::LastUsedAt, Expr::value(now))
        .filter(user_session::Column::Id.eq(session_id))
        .filter(user_session::Column::RefreshTokenHash.eq(presented_hash))
        .filter(user_session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Marks activity on a session (for the idle timeout).
pub async fn touch_session(
    db: &impl ConnectionTrait,
    session_id: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    user_session::Entity::update_many()
        .col_expr(user_session::Column::LastUsedAt, Expr::value(now))
        .filter(user_session::Column::Id.eq(session_id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn revoke_session(
    db: &impl ConnectionTrait,
    session_id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    revoke_where(db, user_session::Column::Id.eq(session_id), reason, now).await
}

/// Ends every session of a user at once (password change, disabling, role change).
pub async fn revoke_user_sessions(
    db: &impl ConnectionTrait,
    user_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    revoke_where(db, user_session::Column::UserId.eq(user_id), reason, now).await
}

/// Closes the open sessions that match `which` and forgets their refresh tokens.
async fn revoke_where(
    db: &impl ConnectionTrait,
    which: sea_orm::sea_query::SimpleExpr,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    user_session::Entity::update_many()
        .col_expr(user_session::Column::RevokedAt, Expr::value(now))
        .col_expr(user_session::Column::RevokedReason, Expr::value(reason))
        .col_expr(
            user_session::Column::RefreshTokenHash,
            Expr::value(Option::<String>::None),
        )
        .filter(which)
        .filter(user_session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// The hashes of the user's last `limit` passwords, newest first (the current one included).
pub async fn recent_password_hashes(
    db: &impl ConnectionTrait,
    user_id: i64,
    limit: u64,
) -> Result<Vec<String>, DbErr> {
    password_history::Entity::find()
        .select_only()
        .column(password_history::Column::PasswordHash)
        .filter(password_history::Column::UserId.eq(user_id))
        .order_by_desc(password_history::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}

/// Stores a new password hash, keeps it in the history, and clears the first-login flag.
pub async fn set_password(
    db: &impl ConnectionTrait,
    user_id: i64,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(user::Column::MustChangePassword, Expr::value(false))
        .col_expr(user::Column::PasswordChangedAt, Expr::value(now))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            user::Column::Version,
            Expr::col(user::Column::Version).add(1),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    password_history::ActiveModel {
        user_id: Set(user_id),
        password_hash: Set(password_hash.to_string()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
