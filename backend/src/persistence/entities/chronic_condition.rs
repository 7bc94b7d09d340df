//! Chronic conditions of relocated persons (A3§3): sensitive personal information.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "chronic_condition")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub condition_code: String,
    pub condition_name: String,
    pub diagnosed_on: Option<Date>,
    pub under_management: bool,
    pub serious_illness: bool,
    pub treat_first_pay_later: bool,
    pub resolved_on: Option<Date>,
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
