//! Service clients of the provincial platforms (OAuth 2.0 client credentials): the secret by
//! its argon2id hash, the granted scopes, the optional role, limits and the address allow-list.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_client")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The public client id (`client_id` of RFC 6749).
    pub client_id: String,
    pub name: String,
    pub secret_hash: String,
    /// Space-separated `<domain>:read` / `<domain>:write` scopes.
    pub scopes: String,
    pub rate_limit_per_minute: i32,
    /// Comma-separated CIDR blocks; empty: any address.
    pub ip_allow_list: String,
    pub role_id: Option<i64>,
    pub disabled: bool,
    pub secret_rotated_at: Option<DateTimeUtc>,
    pub last_used_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_one = "super::service_client_user::Entity")]
    User,
}

impl Related<super::service_client_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
