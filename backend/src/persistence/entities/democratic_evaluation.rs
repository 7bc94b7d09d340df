//! Democratic evaluations (民主评议, A4§3.3) of cadres and property services.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "democratic_evaluation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub site_id: i64,
    pub subject_kind: String,
    pub subject_name: String,
    pub organised_by_town_id: Option<i64>,
    pub year: i32,
    pub held_on: Date,
    pub participants_count: i32,
    pub satisfied_count: i32,
    pub basically_satisfied_count: i32,
    pub dissatisfied_count: i32,
    pub score: Option<i32>,
    pub comments: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
