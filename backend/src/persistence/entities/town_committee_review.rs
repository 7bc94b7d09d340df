//! The town committee's reviews of a site's party building (A6§3.1).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "town_committee_review")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub town_id: i64,
    pub site_id: i64,
    pub organisation_id: Option<i64>,
    pub reviewed_on: Date,
    pub reviewer_name: String,
    pub findings: String,
    pub follow_up: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
