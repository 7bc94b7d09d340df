//! Consequences for those responsible: criticism, admonishment, disciplinary referral (A7§4).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accountability_consequence")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub bureau_id: Option<i64>,
    pub town_id: Option<i64>,
    pub person_name: String,
    pub decided_on: Date,
    pub decided_by: String,
    pub reason: String,
    pub finding_id: Option<i64>,
    pub interview_id: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
