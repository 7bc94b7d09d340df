//! Everything that talks to the database: entities, queries and writes; the only user of sea-orm.
pub mod access_seed;
pub mod accounts;
pub mod administration;
pub mod alerts;
pub mod assessment;
pub mod audit;
pub mod change_feed;
pub mod client_operations;
pub mod community_facilities;
pub mod database;
pub mod employment;
pub mod entities;
pub mod entrepreneurship;
pub mod health_records;
pub mod idempotency;
pub mod imports;
pub mod industry;
pub mod land;
pub mod paging;
pub mod party;
pub mod persisted_queries;
pub mod public_services;
pub mod registry;
pub mod registry_writes;
pub mod responsibility;
pub mod scope;
pub mod self_government;
pub mod service_clients;
pub mod site_records;
pub mod statements;
pub mod supervision;
pub mod town_reviews;

/// Groups rows by a key, keeping their order.
pub(crate) fn group<M>(
    rows: Vec<M>,
    key: impl Fn(&M) -> i64,
) -> std::collections::HashMap<i64, Vec<M>> {
    let mut grouped: std::collections::HashMap<i64, Vec<M>> = std::collections::HashMap::new();
    for row in rows {
        grouped.entry(key(&row)).or_default().push(row);
    }
    grouped
}
