//! The operations a service client may run when it is in allow-list mode.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "client_operation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub service_client_id: i64,
    /// Lower-case hex sha256 of `document`.
    pub sha256: String,
    pub operation_name: String,
    pub document: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
