//! Counts the SQL statements the server sends, so tests and benchmarks can check query plans.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use sea_orm::DatabaseConnection;

/// A shared counter of executed statements (installed as sea-orm's metric callback).
#[derive(Debug, Clone, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    pub fn install(db: &mut DatabaseConnection) -> StatementCounter {
        let counter = StatementCounter::default();
        let shared = counter.0.clone();
        db.set_metric_callback(move |_info| {
            shared.fetch_add(1, Ordering::Relaxed);
        });
        counter
    }

    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}
