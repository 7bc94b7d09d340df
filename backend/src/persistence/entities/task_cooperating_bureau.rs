//! Bureaus co-operating on a task (A7§2: they only co-operate).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "task_cooperating_bureau")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub task_id: i64,
    pub responsible_bureau_id: Option<i64>,
    #[sea_orm(primary_key, auto_increment = false)]
    pub bureau_id: i64,
    pub role: String,
    pub added_at: DateTimeUtc,
    pub added_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
