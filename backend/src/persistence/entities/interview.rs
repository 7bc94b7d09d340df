//! Interviews (约谈) of a bureau or town (A7§4).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "interview")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub held_on: Date,
    pub bureau_id: Option<i64>,
    pub town_id: Option<i64>,
    pub interviewee_name: String,
    pub interviewer_name: String,
    pub reason: String,
    pub finding_id: Option<i64>,
    pub task_id: Option<i64>,
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
