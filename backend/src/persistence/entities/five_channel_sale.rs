//! "五进" consumption sales (A1§4).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "five_channel_sale")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub channel: String,
    pub buyer_name: String,
    pub business_entity_id: Option<i64>,
    pub household_id: Option<i64>,
    pub industry_id: Option<i64>,
    pub sales_channel_id: Option<i64>,
    pub product: String,
    pub quantity: String,
    pub amount_fen: i64,
    pub sold_on: Date,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
