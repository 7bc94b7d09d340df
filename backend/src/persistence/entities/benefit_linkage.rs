//! Benefit linkages (利益联结) between an entity and a relocated household (A1§2, A1§6).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "benefit_linkage")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub business_entity_id: i64,
    pub household_id: i64,
    pub industry_id: Option<i64>,
    pub kind: String,
    pub agreement_no: String,
    pub terms: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub land_area_ten_thousandth_mu: Option<i64>,
    pub capital_fen: Option<i64>,
    pub expected_annual_income_fen: Option<i64>,
    pub next_due_on: Option<Date>,
    pub honoured_status: String,
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
