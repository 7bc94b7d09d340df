//! Automatic persisted queries in the database, so that every instance knows every document:
//! content-addressed rows, the least recently used evicted beyond a fixed count.
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
};

use super::entities::persisted_query;

/// How stale `last_used_at` may get before a read refreshes it (one write per document per
/// interval, not one per request).
const TOUCH_INTERVAL: Duration = Duration::hours(1);

/// The document stored under `sha256`, refreshing its last use when that is old.
pub async fn find_document(
    db: &impl ConnectionTrait,
    sha256: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbErr> {
    let Some(row) = persisted_query::Entity::find_by_id(sha256.to_string())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if row.last_used_at < now - TOUCH_INTERVAL {
        persisted_query::Entity::update_many()
            .col_expr(persisted_query::Column::LastUsedAt, Expr::value(now))
            .filter(persisted_query::Column::Sha256.eq(sha256))
            .exec(db)
            .await?;
    }
    Ok(Some(row.document))
}

/// Stores a document under its hash (a no-op when another request or instance stored it
/// first), then evicts the least recently used documents beyond `max_documents`.
pub async fn store_document(
    db: &impl ConnectionTrait,
    sha256: &str,
    document: &str,
    now: DateTime<Utc>,
    max_documents: u64,
) -> Result<(), DbErr> {
    persisted_query::Entity::insert(persisted_query::ActiveModel {
        sha256: Set(sha256.to_string()),
        document: Set(document.to_string()),
        created_at: Set(now),
        last_used_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(persisted_query::Column::Sha256)
            .do_nothing()
            .to_owned(),
    )
    .do_nothing()
    .exec(db)
    .await?;
    let stored = persisted_query::Entity::find().count(db).await?;
    if stored > max_documents {
        let oldest = Query::select()
            .column(persisted_query::Column::Sha256)
            .from(persisted_query::Entity)
            .order_by(
                persisted_query::Column::LastUsedAt,
                sea_orm::sea_query::Order::Asc,
            )
            .limit(stored - max_documents)
            .to_owned();
        persisted_query::Entity::delete_many()
            .filter(persisted_query::Column::Sha256.in_subquery(oldest))
            .exec(db)
            .await?;
    }
    Ok(())
}
