//! Employment spells of persons, open while `ends_on` is null (A2§1–2).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "employment_spell")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub employment_type: String,
    pub employer_name: String,
    pub location: String,
    pub job_posting_id: Option<i64>,
    pub job_push_id: Option<i64>,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub monthly_income_fen: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
