//! Automatic persisted queries: GraphQL documents by the sha256 of their text, shared by
//! every instance.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "persisted_query")]
pub struct Model {
    /// Lower-case hex sha256 of `document`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub sha256: String,
    pub document: String,
    pub created_at: DateTimeUtc,
    pub last_used_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
