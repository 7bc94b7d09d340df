//! Tasks of the responsibility list (责任清单, A7§1–2).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "responsibility_task")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub parent_task_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub annex: i32,
    pub clause_ref: String,
    pub lead_leader_name: String,
    pub responsible_bureau_id: Option<i64>,
    pub responsible_town_id: Option<i64>,
    pub deadline: Date,
    pub completed_on: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
