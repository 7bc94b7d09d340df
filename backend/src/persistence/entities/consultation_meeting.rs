//! Consultation meetings (民主协商, A4§3.2).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "consultation_meeting")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub site_id: i64,
    pub kind: String,
    pub topic: String,
    pub held_on: Date,
    pub led_by_party_organisation: bool,
    pub involves_resident_labour: bool,
    pub attendees_count: i32,
    pub relocated_representatives_count: i32,
    pub outcome: String,
    pub adoption_status: String,
    pub implemented: bool,
    pub feedback: String,
    pub feedback_on: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
