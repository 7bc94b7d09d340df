//! Land-linkage projects (增减挂钩项目, A5).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "land_linkage_project")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub town_id: Option<i64>,
    pub platform_reference: Option<String>,
    pub approved_on: Option<Date>,
    pub accepted_on: Option<Date>,
    pub demolition_area_ten_thousandth_mu: i64,
    pub reclaimed_area_ten_thousandth_mu: i64,
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
