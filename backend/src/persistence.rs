//! Everything that talks to the database: entities, queries and writes; the only user of sea-orm.
pub mod access_seed;
pub mod accounts;
pub mod administration;
pub mod assessment;
pub mod audit;
pub mod database;
pub mod entities;
pub mod paging;
pub mod registry;
pub mod registry_writes;
pub mod responsibility;
pub mod statements;
pub mod supervision;
