//! Rule alerts (预警): recomputed inside the transaction of every write that changes the data
//! they depend on (placeholder until the alerts engine lands).
use sea_orm::ConnectionTrait;

use crate::error::ApiResult;

/// Which records' alerts to recompute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertScope {
    /// Every rule over every record (start-up, imports).
    All,
    Households(Vec<i64>),
    Persons(Vec<i64>),
    Sites(Vec<i64>),
}

/// Recomputes the alerts of `scope` and raises or resolves them; call it in the write's own
/// transaction, after the write.
pub async fn refresh_alerts(_db: &impl ConnectionTrait, _scope: AlertScope) -> ApiResult<()> {
    Ok(())
}
