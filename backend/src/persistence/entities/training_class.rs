//! Training classes with their filing and class-hour category (A2§3.1).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "training_class")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub code: String,
    pub name: String,
    pub speciality: String,
    pub kind: String,
    pub allowance_category: String,
    pub class_hours: i32,
    pub courses: String,
    pub capacity: Option<i32>,
    pub filed_on: Option<Date>,
    pub filing_reference: Option<String>,
    pub starts_on: Date,
    pub ends_on: Date,
    pub remote_monitored: bool,
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
