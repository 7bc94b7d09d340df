//! Entrepreneurship training of relocated persons (创业培训, A2§2.1).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "entrepreneurship_training")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub institution_id: Option<i64>,
    pub class_id: Option<i64>,
    pub title: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub completed: bool,
    pub certificate_no: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
