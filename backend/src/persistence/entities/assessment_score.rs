//! Manual scores of a bureau or town on one indicator, with the reason and the scorer.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "assessment_score")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub plan_id: i64,
    pub indicator_id: i64,
    pub subject_kind: String,
    pub bureau_id: Option<i64>,
    pub town_id: Option<i64>,
    pub points_hundredths: i32,
    pub reason: String,
    pub scored_by_user_id: Option<i64>,
    pub scored_at: DateTimeUtc,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
