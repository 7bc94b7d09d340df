//! Reference data from the seed text, the deterministic demo data set, and the scale generator for benchmarks.
pub mod calendar;
pub mod demo;
pub mod family;
pub mod id_number;
mod names;
pub mod reference;
pub mod responsibility_list;
pub mod scale;
mod sql;

pub use demo::shape::{DEMO_HOUSEHOLDS, DEMO_PERSONS};
pub use demo::{load_demo_data, DemoSummary};
pub use reference::load_reference_data;
pub use scale::{generate_scale, ScaleSummary};

/// Whether the reference data is already loaded (the bureau table has rows).
pub async fn has_reference_data(db: &impl sea_orm::ConnectionTrait) -> anyhow::Result<bool> {
    Ok(sql::count_rows(db, "bureau").await? > 0)
}

#[cfg(test)]
mod tests;
