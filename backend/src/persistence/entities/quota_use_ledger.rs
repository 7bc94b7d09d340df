//! The ledger (台账) of quota use (A5§9).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quota_use_ledger")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub quota_id: i64,
    pub kind: String,
    pub area_ten_thousandth_mu: i64,
    pub entry_on: Date,
    pub transfer_id: Option<i64>,
    pub used_for: String,
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
