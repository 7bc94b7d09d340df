//! The append-only history of a task: what happened, who, when.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "task_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub task_id: i64,
    pub kind: String,
    pub status_before: Option<String>,
    pub status_after: String,
    pub actor_user_id: Option<i64>,
    pub occurred_at: DateTimeUtc,
    pub progress_report_id: Option<i64>,
    pub extension_request_id: Option<i64>,
    pub note: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
