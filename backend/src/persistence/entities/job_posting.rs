//! Job postings of the district and town job databases (岗位信息库, A2§1).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "job_posting")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub level: String,
    pub town_id: Option<i64>,
    pub employer_name: String,
    pub title: String,
    pub employment_type: String,
    pub location: String,
    pub vacancies: i32,
    pub monthly_wage_min_fen: Option<i64>,
    pub monthly_wage_max_fen: Option<i64>,
    pub requirements: String,
    pub contact_phone: Option<String>,
    pub published_on: Date,
    pub closes_on: Option<Date>,
    pub status: String,
    pub owning_bureau_id: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
