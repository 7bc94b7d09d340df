//! The GraphQL schema: roots merged per area, loaders, limits and the error mapping.
pub mod access;
pub mod administration;
pub mod alerts;
pub mod assessment;
pub mod auth;
pub mod changes;
pub mod client_operations;
pub mod community_facilities;
#[cfg(test)]
mod compatibility;
pub mod compiled;
pub mod connection;
pub mod documents;
pub mod employment;
pub mod entrepreneurship;
pub mod enums;
pub mod health_records;
pub mod identifiers;
pub mod ids;
pub mod industry;
pub mod land;
pub mod loaders;
pub mod node;
pub mod party;
pub mod public_services;
pub mod registry;
pub mod registry_mutations;
pub mod responsibility;
pub mod self_government;
pub mod service_clients;
pub mod site_records;
pub mod supervision;
pub mod town_reviews;

use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, MergedObject, MergedSubscription, Schema, SchemaBuilder};
use sea_orm::{DatabaseConnection, DbErr};

use crate::error::ApiError;
use loaders::RegistryLoader;

/// Deepest selection nesting a query may have.
pub const MAX_DEPTH: usize = 12;
/// Highest complexity a query may have; a connection costs its page size times its nodes.
pub const MAX_COMPLEXITY: usize = 25_000;
/// Most operations one batched request may carry.
pub const MAX_BATCH: usize = 10;

#[derive(MergedObject, Default)]
pub struct QueryRoot(
    auth::AuthQuery,
    administration::AdministrationQuery,
    service_clients::ServiceClientsQuery,
    client_operations::ClientOperationsQuery,
    registry::RegistryQuery,
    identifiers::IdentifiersQuery,
    node::NodeQuery,
    responsibility::ResponsibilityQuery,
    supervision::SupervisionQuery,
    assessment::AssessmentQuery,
    employment::EmploymentQuery,
    industry::IndustryQuery,
    public_services::PublicServicesQuery,
    self_government::SelfGovernmentQuery,
    land::LandQuery,
    party::PartyQuery,
    entrepreneurship::EntrepreneurshipQuery,
    health_records::HealthRecordsQuery,
    community_facilities::CommunityFacilitiesQuery,
    town_reviews::TownReviewsQuery,
    alerts::AlertsQuery,
    changes::ChangesQuery,
);

#[derive(MergedObject, Default)]
pub struct MutationRoot(
    auth::AuthMutation,
    administration::AdministrationMutation,
    service_clients::ServiceClientsMutation,
    client_operations::ClientOperationsMutation,
    registry_mutations::RegistryMutation,
    responsibility::ResponsibilityMutation,
    supervision::SupervisionMutation,
    assessment::AssessmentMutation,
    employment::EmploymentMutation,
    industry::IndustryMutation,
    public_services::PublicServicesMutation,
    self_government::SelfGovernmentMutation,
    land::LandMutation,
    party::PartyMutation,
    entrepreneurship::EntrepreneurshipMutation,
    health_records::HealthRecordsMutation,
    community_facilities::CommunityFacilitiesMutation,
    town_reviews::TownReviewsMutation,
    alerts::AlertsMutation,
);

/// Live streams over WebSocket (`/graphql/ws`, the `graphql-transport-ws` protocol).
#[derive(MergedSubscription, Default)]
pub struct SubscriptionRoot(changes::ChangesSubscription);

pub type AppSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

fn builder() -> SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot::default(),
    )
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    .limit_recursive_depth(64)
    .limit_directives(16)
}

/// The schema the server runs, over one database pool, with the extensions that audit service
/// clients' calls, gate subscriptions by allow-list and validate documents without running
/// them.
pub fn build_schema(
    db: DatabaseConnection,
    tokens: Arc<::auth::tokens::TokenService>,
    limits: Arc<crate::access::rate_limit::RateLimits>,
) -> AppSchema {
    with_data(
        builder()
            .extension(service_clients::ClientCallAudit)
            .extension(client_operations::ValidationOnly)
            .extension(client_operations::StreamAllowList),
        db,
        tokens,
        limits,
    )
}

/// The same schema without extensions, for the HTTP requests of people (not service clients),
/// which none of them concerns: with any extension installed, async-graphql runs every
/// resolved field through the extension chain (a type lookup and a boxed future per
/// extension per field), which is a measurable share of a list of 2 000 persons.
pub fn build_schema_without_extensions(
    db: DatabaseConnection,
    tokens: Arc<::auth::tokens::TokenService>,
    limits: Arc<crate::access::rate_limit::RateLimits>,
) -> AppSchema {
    with_data(builder(), db, tokens, limits)
}

fn with_data(
    builder: SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot>,
    db: DatabaseConnection,
    tokens: Arc<::auth::tokens::TokenService>,
    limits: Arc<crate::access::rate_limit::RateLimits>,
) -> AppSchema {
    builder
        .data(tokens)
        .data(limits)
        .data(crate::persistence::change_feed::FeedPoller::new(db.clone()))
        .data(DataLoader::new(
            RegistryLoader { db: db.clone() },
            tokio::spawn,
        ))
        .data(db)
        .finish()
}

/// The schema's SDL, for `schema.graphql` (no database needed).
pub fn schema_sdl() -> String {
    builder().finish().sdl()
}

/// The request's database pool.
pub fn database<'a>(ctx: &Context<'a>) -> &'a DatabaseConnection {
    ctx.data_unchecked::<DatabaseConnection>()
}

/// The registry's loader.
pub fn loader<'a>(ctx: &Context<'a>) -> &'a DataLoader<RegistryLoader> {
    ctx.data_unchecked::<DataLoader<RegistryLoader>>()
}

/// Loads one related row that must exist (a foreign key guarantees it).
pub async fn load_one<K>(
    ctx: &Context<'_>,
    key: K,
    what: &'static str,
) -> Result<<RegistryLoader as Loader<K>>::Value, ApiError>
where
    K: Send + Sync + Clone + Eq + std::hash::Hash + std::fmt::Debug + 'static,
    RegistryLoader: Loader<K, Error = std::sync::Arc<DbErr>>,
{
    loader(ctx)
        .load_one(key.clone())
        .await
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("{error}")))?
        .ok_or_else(|| ApiError::not_found(what, format!("{key:?}")))
}

#[cfg(test)]
mod tests {
    /// The committed contract must be what the code generates (`cargo xtask schema` rewrites it).
    #[test]
    fn schema_graphql_matches_the_code() {
        let committed = include_str!("../../../schema.graphql");
        let generated = super::schema_sdl();
        assert!(
            committed == generated,
            "schema.graphql is out of date: run `cargo xtask schema` and commit the result"
        );
    }
}
