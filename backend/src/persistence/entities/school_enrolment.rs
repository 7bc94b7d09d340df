//! Rows of the compulsory-education ledger (义务教育台账, A3§2).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "school_enrolment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub school_id: i64,
    pub stage: String,
    pub grade: i32,
    pub school_year: i32,
    pub status: String,
    pub enrolled_on: Date,
    pub left_on: Option<Date>,
    pub transferred_from_school_id: Option<i64>,
    pub record_at_school: bool,
    pub leaving_reason: Option<String>,
    pub aid_fen: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
