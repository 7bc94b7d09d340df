//! Which "3+X" industries a business entity works in (A1§1).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "business_entity_industry")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub business_entity_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub industry_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
