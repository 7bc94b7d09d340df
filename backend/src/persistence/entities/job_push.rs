//! One-to-one job pushes to households and their members (A2§1).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "job_push")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub job_posting_id: i64,
    pub household_id: i64,
    pub person_id: Option<i64>,
    pub pushed_on: Date,
    pub pushed_by_user_id: Option<i64>,
    pub method: String,
    pub outcome: String,
    pub outcome_on: Option<Date>,
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
