//! Old homesteads of relocated households and their reclamation (A5§1, A5§3, A5§5).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "homestead")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub household_id: i64,
    pub village_id: Option<i64>,
    pub project_id: Option<i64>,
    pub location: String,
    pub area_ten_thousandth_mu: i64,
    pub state: String,
    pub consent_recorded_on: Option<Date>,
    pub vacated_on: Option<Date>,
    pub reclaimed_on: Option<Date>,
    pub certified_by_bureau_id: Option<i64>,
    pub certified_on: Option<Date>,
    pub registration_updated_on: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
