//! Each due payment or service of a benefit linkage and when it was honoured (A1§2).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "benefit_fulfilment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub benefit_linkage_id: i64,
    pub due_on: Date,
    pub fulfilled_on: Option<Date>,
    pub amount_fen: i64,
    pub status: String,
    pub notes: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
