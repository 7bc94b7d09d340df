//! Business entities that drive poverty reduction (带贫主体, A1§2).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "business_entity")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub credit_code: Option<String>,
    pub name: String,
    pub kind: String,
    pub town_id: Option<i64>,
    pub village_id: Option<i64>,
    pub site_id: Option<i64>,
    pub legal_representative: Option<String>,
    pub contact_phone: Option<String>,
    pub address: String,
    pub does_processing: bool,
    pub does_storage: bool,
    pub does_order_farming: bool,
    pub brand: Option<String>,
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
