//! The one integration-test binary: the real server over real HTTP, on SQLite and PostgreSQL,
//! and the web app in headless Chromium.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod access_control;
mod alerts;
mod annex_records;
mod assessment;
mod browser;
mod browser_alerts_imports;
mod browser_ledgers;
mod change_feed;
mod compiled_queries;
mod employment;
mod exact_amounts;
mod governance_land_party;
mod http_transport;
mod idempotency;
mod identifiers;
mod imports;
mod industry_services;
mod integration_guide;
mod ledgers;
mod persisted_queries;
mod provincial_platform;
mod registry_mutations;
mod registry_queries;
mod responsibility;
mod service_clients;
mod static_assets;
mod supervision;

pub use integration_tests::{db_test, refresh_cookie_of, DbKind, TestApp, DEMO_PASSWORD};
