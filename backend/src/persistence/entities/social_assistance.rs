//! 低保 / 特困 / 临时救助 (A3§4): social-assistance data, reads audited.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "social_assistance")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub household_id: i64,
    pub person_id: Option<i64>,
    pub kind: String,
    pub period: String,
    pub amount_fen: i64,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub status: String,
    pub approved_by_bureau_id: Option<i64>,
    pub reason: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
