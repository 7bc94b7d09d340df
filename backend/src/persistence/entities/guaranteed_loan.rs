//! Guaranteed start-up loans (创业担保贷款, A2§2.1); money in fen, the rate in basis points.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "guaranteed_loan")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub lender_name: String,
    pub contract_no: Option<String>,
    pub principal_fen: i64,
    pub annual_rate_bp: i32,
    pub interest_subsidised: bool,
    pub business_description: String,
    pub granted_on: Option<Date>,
    pub due_on: Option<Date>,
    pub repaid_on: Option<Date>,
    pub status: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
