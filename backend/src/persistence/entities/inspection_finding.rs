//! Findings of an inspection, to be rectified by a deadline and closed (A7§4).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_finding")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    pub task_id: Option<i64>,
    pub responsible_bureau_id: Option<i64>,
    pub town_id: Option<i64>,
    pub description: String,
    pub severity: String,
    pub rectification_deadline: Date,
    pub rectified_on: Option<Date>,
    pub status: String,
    pub closed_at: Option<DateTimeUtc>,
    pub closed_by_user_id: Option<i64>,
    pub closure_note: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
