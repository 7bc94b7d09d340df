//! Quota transfers through the provincial platform (A5§8, A5§10).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quota_transfer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub quota_id: i64,
    pub quota_origin: String,
    pub buyer_government: String,
    pub scope: String,
    pub price_per_mu_fen: i64,
    pub area_ten_thousandth_mu: i64,
    pub amount_fen: i64,
    pub platform_reference: String,
    pub contracted_on: Date,
    pub status: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
