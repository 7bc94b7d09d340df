//! 后续扶持 server: the GraphQL API over SQLite or PostgreSQL, and the web app's static files.
//!
//! Layers point one way: `http → graphql → persistence → domain` (the `domain` crate).
pub mod access;
pub mod app;
pub mod clock;
pub mod config;
pub mod error;
pub mod graphql;
pub mod http;
pub mod persistence;
