//! The dedicated account of the relocation-debt repayment reserve (A5§11).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "repayment_reserve_account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_no: String,
    pub name: String,
    pub bank: String,
    pub managed_by_bureau_id: Option<i64>,
    pub opened_on: Date,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
