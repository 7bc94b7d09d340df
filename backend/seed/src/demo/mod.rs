//! The deterministic demo data set: 45 households and 140 persons over the two sites, with an example of every rule.
pub mod employment;
pub mod governance;
pub mod industry;
pub mod land;
pub mod party;
pub mod registry;
pub mod responsibility;
pub mod services;
pub mod shape;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use sea_orm::ConnectionTrait;

use shape::DEMO_SEED;

/// What the demo load wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub households: u32,
    pub persons: u32,
}

/// Loads the demo data; expects the reference data and no demo rows yet.
pub async fn load_demo_data(db: &impl ConnectionTrait) -> anyhow::Result<DemoSummary> {
    let mut rng = ChaCha8Rng::seed_from_u64(DEMO_SEED);
    let registry = registry::load_registry(db, &mut rng).await?;
    // Each annex draws from its own stream, so adding one never changes the others' rows.
    let annex_rng = |stream: u64| ChaCha8Rng::seed_from_u64(DEMO_SEED.wrapping_add(stream));
    industry::load_industry(db, &mut annex_rng(1), &registry).await?;
    employment::load_employment(db, &mut annex_rng(2), &registry).await?;
    services::load_services(db, &mut annex_rng(3), &registry).await?;
    governance::load_governance(db).await?;
    land::load_land(db, &mut annex_rng(5), &registry).await?;
    party::load_party(db, &registry).await?;
    responsibility::load_responsibility(db).await?;
    let persons = registry
        .households
        .iter()
        .map(|h| h.members.len())
        .sum::<usize>();
    Ok(DemoSummary {
        households: u32::try_from(registry.households.len())?,
        persons: u32::try_from(persons)?,
    })
}
