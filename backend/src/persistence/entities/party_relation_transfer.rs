//! Transfers of party members' organisational relations (A6§1.1, A6§2.1).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "party_relation_transfer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_id: i64,
    pub from_organisation_id: Option<i64>,
    pub from_organisation_name: String,
    pub to_organisation_id: Option<i64>,
    pub to_organisation_name: String,
    pub requested_on: Date,
    pub completed_on: Option<Date>,
    pub status: String,
    pub reason: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
