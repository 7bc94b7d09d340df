//! Indicators of an assessment plan: computed from the records by a rule, or scored by hand.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "assessment_indicator")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub plan_id: i64,
    pub component_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub method: String,
    pub rule_code: Option<String>,
    pub owner_bureau_id: Option<i64>,
    pub clause_ref: String,
    pub applies_to: String,
    pub max_points_hundredths: i32,
    pub description: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
