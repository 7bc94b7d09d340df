//! Mutations sent with an `Idempotency-Key`: claimed before they run, then completed with the
//! response a retry gets back.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `user:<id>` or `client:<id>`: keys are private to their caller.
    pub principal_key: String,
    pub idempotency_key: String,
    /// Lower-case hex sha256 of the canonical JSON body.
    pub request_hash: String,
    pub started_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// `None` while the first request is still running.
    pub completed_at: Option<DateTimeUtc>,
    pub response_status: Option<i32>,
    pub response_body: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
