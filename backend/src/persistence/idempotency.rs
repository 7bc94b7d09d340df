//! Idempotency keys in the database: a row claimed before the mutation runs (its unique key
//! makes a concurrent retry on any instance see it) and completed with the response.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    TryInsertResult,
};

use super::entities::idempotency_key;

/// The outcome of trying to claim a key.
#[derive(Debug)]
pub enum Claim {
    /// This request owns the key (row id) and runs the mutation.
    Claimed(i64),
    /// Another request claimed it first: its row, running or completed.
    Taken(idempotency_key::Model),
}

/// A new claim.
pub struct NewClaim<'a> {
    pub principal_key: &'a str,
    pub key: &'a str,
    pub request_hash: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Deletes expired keys, then claims `(principal_key, key)` with one INSERT that commits on
/// its own, or returns the row that holds it.
pub async fn claim(db: &impl ConnectionTrait, new: NewClaim<'_>) -> Result<Claim, DbErr> {
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::ExpiresAt.lte(new.now))
        .exec(db)
        .await?;
    // Twice at most: the holder may expire and be deleted between our INSERT and SELECT.
    for _ in 0..2 {
        let inserted = idempotency_key::Entity::insert(idempotency_key::ActiveModel {
            principal_key: Set(new.principal_key.to_string()),
            idempotency_key: Set(new.key.to_string()),
            request_hash: Set(new.request_hash.to_string()),
            started_at: Set(new.now),
            expires_at: Set(new.expires_at),
            completed_at: Set(None),
            response_status: Set(None),
            response_body: Set(None),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([
                idempotency_key::Column::PrincipalKey,
                idempotency_key::Column::IdempotencyKey,
            ])
            .do_nothing()
            .to_owned(),
        )
        .do_nothing()
        .exec(db)
        .await?;
        if let TryInsertResult::Inserted(result) = inserted {
            return Ok(Claim::Claimed(result.last_insert_id));
        }
        if let Some(row) = find(db, new.principal_key, new.key).await? {
            return Ok(Claim::Taken(row));
        }
    }
    Err(DbErr::Custom(
        "an idempotency key was neither insertable nor present".into(),
    ))
}

/// The row of a key, if any.
pub async fn find(
    db: &impl ConnectionTrait,
    principal_key: &str,
    key: &str,
) -> Result<Option<idempotency_key::Model>, DbErr> {
    idempotency_key::Entity::find()
        .filter(idempotency_key::Column::PrincipalKey.eq(principal_key))
        .filter(idempotency_key::Column::IdempotencyKey.eq(key))
        .one(db)
        .await
}

/// Takes over a claim whose request has run for longer than any request can (its instance
/// died): true when this caller now owns it.
pub async fn take_over_abandoned(
    db: &impl ConnectionTrait,
    id: i64,
    started_before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let updated = idempotency_key::Entity::update_many()
        .col_expr(idempotency_key::Column::StartedAt, Expr::value(now))
        .filter(idempotency_key::Column::Id.eq(id))
        .filter(idempotency_key::Column::CompletedAt.is_null())
        .filter(idempotency_key::Column::StartedAt.lt(started_before))
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Completes a claim with the response that retries will get.
pub async fn complete(
    db: &impl ConnectionTrait,
    id: i64,
    status: u16,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    idempotency_key::Entity::update_many()
        .col_expr(idempotency_key::Column::CompletedAt, Expr::value(now))
        .col_expr(
            idempotency_key::Column::ResponseStatus,
            Expr::value(i32::from(status)),
        )
        .col_expr(idempotency_key::Column::ResponseBody, Expr::value(body))
        .filter(idempotency_key::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives a claim up (the response is not to be replayed): the next retry runs afresh.
pub async fn release(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    idempotency_key::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}
