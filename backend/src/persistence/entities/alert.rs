//! Rule alerts (预警): one row per problem found, open until the data no longer breaks the rule.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "alert")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub rule_code: String,
    pub clause_ref: String,
    pub severity: String,
    pub owning_bureau_id: Option<i64>,
    pub town_id: Option<i64>,
    pub site_id: Option<i64>,
    pub household_id: Option<i64>,
    pub person_id: Option<i64>,
    pub task_id: Option<i64>,
    pub message: String,
    pub dedupe_key: String,
    pub raised_at: DateTimeUtc,
    pub resolved_at: Option<DateTimeUtc>,
    pub resolved_by_user_id: Option<i64>,
    pub resolution_note: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
