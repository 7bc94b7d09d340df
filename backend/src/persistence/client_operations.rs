//! The operations registered for each service client, and its allow-list mode: the one
//! question the endpoint asks is [`operation_allowed`].
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};

use super::entities::client_operation;

/// A service client as far as allow-listing cares: its internal id and its mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientMode {
    pub id: i64,
    pub allow_list_only: bool,
}

fn service_client() -> Alias {
    Alias::new("service_client")
}

/// The client with this public OAuth `client_id`, if any.
pub async fn find_client(
    db: &impl ConnectionTrait,
    client_id: &str,
) -> Result<Option<ClientMode>, DbErr> {
    let select = Query::select()
        .columns([Alias::new("id"), Alias::new("allow_list_only")])
        .from(service_client())
        .and_where(Expr::col(Alias::new("client_id")).eq(client_id))
        .to_owned();
    let backend = db.get_database_backend();
    let Some(row) = db.query_one(backend.build(&select)).await? else {
        return Ok(None);
    };
    Ok(Some(ClientMode {
        id: row.try_get("", "id")?,
        allow_list_only: row.try_get("", "allow_list_only")?,
    }))
}

/// Whether a client (internal id) is in allow-list mode; an unknown client counts as one
/// (it may run nothing).
pub async fn allow_list_only(db: &impl ConnectionTrait, client_id: i64) -> Result<bool, DbErr> {
    let select = Query::select()
        .column(Alias::new("allow_list_only"))
        .from(service_client())
        .and_where(Expr::col(Alias::new("id")).eq(client_id))
        .to_owned();
    let backend = db.get_database_backend();
    match db.query_one(backend.build(&select)).await? {
        Some(row) => row.try_get("", "allow_list_only"),
        None => Ok(true),
    }
}

/// Whether service client `client_id` (internal id) may run the operation whose document
/// hashes to `sha256`: always when the client is not in allow-list mode, otherwise only when
/// the hash is registered for it. An unknown client may run nothing. One statement.
pub async fn operation_allowed(
    db: &impl ConnectionTrait,
    client_id: i64,
    sha256: &str,
) -> Result<bool, DbErr> {
    let registered = Query::select()
        .expr(Expr::val(1))
        .from(client_operation::Entity)
        .and_where(client_operation::Column::ServiceClientId.eq(client_id))
        .and_where(client_operation::Column::Sha256.eq(sha256))
        .to_owned();
    let select = Query::select()
        .column(Alias::new("allow_list_only"))
        .expr_as(Expr::exists(registered), Alias::new("registered"))
        .from(service_client())
        .and_where(Expr::col(Alias::new("id")).eq(client_id))
        .to_owned();
    let backend = db.get_database_backend();
    let Some(row) = db.query_one(backend.build(&select)).await? else {
        return Ok(false);
    };
    let allow_list_only: bool = row.try_get("", "allow_list_only")?;
    let registered: bool = row.try_get("", "registered")?;
    Ok(!allow_list_only || registered)
}

/// The document registered for a client under a hash (so that an allow-listed client can
/// send the hash alone even before the shared persisted-query store has it).
pub async fn registered_document(
    db: &impl ConnectionTrait,
    client_id: i64,
    sha256: &str,
) -> Result<Option<String>, DbErr> {
    Ok(client_operation::Entity::find()
        .filter(client_operation::Column::ServiceClientId.eq(client_id))
        .filter(client_operation::Column::Sha256.eq(sha256))
        .one(db)
        .await?
        .map(|row| row.document))
}

/// A client's registered operations, by name.
pub async fn operations(
    db: &impl ConnectionTrait,
    client_id: i64,
) -> Result<Vec<client_operation::Model>, DbErr> {
    client_operation::Entity::find()
        .filter(client_operation::Column::ServiceClientId.eq(client_id))
        .order_by_asc(client_operation::Column::OperationName)
        .order_by_asc(client_operation::Column::Id)
        .all(db)
        .await
}

/// How many operations a client has registered.
pub async fn count_operations(db: &impl ConnectionTrait, client_id: i64) -> Result<u64, DbErr> {
    client_operation::Entity::find()
        .filter(client_operation::Column::ServiceClientId.eq(client_id))
        .count(db)
        .await
}

/// What registering an operation needs.
pub struct NewClientOperation<'a> {
    pub client_id: i64,
    pub sha256: &'a str,
    pub operation_name: &'a str,
    pub document: &'a str,
    pub actor: i64,
    pub now: DateTime<Utc>,
}

/// Registers an operation; an operation already registered under the same hash is returned
/// as it is (registering is idempotent).
pub async fn register(
    db: &impl ConnectionTrait,
    new: NewClientOperation<'_>,
) -> Result<(client_operation::Model, bool), DbErr> {
    let existing = client_operation::Entity::find()
        .filter(client_operation::Column::ServiceClientId.eq(new.client_id))
        .filter(client_operation::Column::Sha256.eq(new.sha256))
        .one(db)
        .await?;
    if let Some(existing) = existing {
        return Ok((existing, false));
    }
    let inserted = client_operation::Entity::insert(client_operation::ActiveModel {
        service_client_id: Set(new.client_id),
        sha256: Set(new.sha256.to_string()),
        operation_name: Set(new.operation_name.to_string()),
        document: Set(new.document.to_string()),
        version: Set(1),
        created_at: Set(new.now),
        updated_at: Set(new.now),
        created_by: Set(Some(new.actor)),
        updated_by: Set(Some(new.actor)),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    Ok((inserted, true))
}

/// Removes a registered operation; false when there was none.
pub async fn remove(
    db: &impl ConnectionTrait,
    client_id: i64,
    sha256: &str,
) -> Result<bool, DbErr> {
    let deleted = client_operation::Entity::delete_many()
        .filter(client_operation::Column::ServiceClientId.eq(client_id))
        .filter(client_operation::Column::Sha256.eq(sha256))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected > 0)
}

/// Turns a client's allow-list mode on or off, bumping its version.
pub async fn set_allow_list_only(
    db: &impl ConnectionTrait,
    client_id: i64,
    allow_list_only: bool,
    actor: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let update = Query::update()
        .table(service_client())
        .value(Alias::new("allow_list_only"), allow_list_only)
        .value(
            Alias::new("version"),
            Expr::col(Alias::new("version")).add(1),
        )
        .value(Alias::new("updated_at"), now)
        .value(Alias::new("updated_by"), actor)
        .and_where(Expr::col(Alias::new("id")).eq(client_id))
        .to_owned();
    let backend = db.get_database_backend();
    db.execute(backend.build(&update)).await?;
    Ok(())
}
