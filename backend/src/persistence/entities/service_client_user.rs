//! The user row a service client acts as (audit entries and actor columns name it).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_client_user")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub service_client_id: i64,
    pub user_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::service_client::Entity",
        from = "Column::ServiceClientId",
        to = "super::service_client::Column::Id"
    )]
    ServiceClient,
}

impl Related<super::service_client::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ServiceClient.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
