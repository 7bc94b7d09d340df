//! Party organisations of the sites (A6§1.1).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "party_organisation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub site_id: i64,
    pub town_id: i64,
    pub kind: String,
    pub name: String,
    pub parent_organisation_id: Option<i64>,
    pub parent_branch_name: Option<String>,
    pub instructor_name: Option<String>,
    pub instructor_phone: Option<String>,
    pub established_on: Date,
    pub dissolved_on: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
