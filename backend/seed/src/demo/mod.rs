//! The deterministic demo data set: 45 households and 140 persons over the two sites, with an example of every rule.
//!
//! The registry's shape is in [`shape`]; each annex loader names the households that
//! illustrate its rules in public constants:
//!
//! | rule | example |
//! |---|---|
//! | A2§1 zero-employment + job pushes | `HB-004`, `HB-012`, `WJH-005`; `HB-003` resolved by a push (hired) |
//! | A2§3.1 filing / allowance | `TC-2026-01` (20 yuan), `-02` (50 yuan) in time, `-03` filed 5 working days before (no allowance), `-04` exactly 10, `-05` not filed |
//! | A3§2 schooling | every child 3–17 in the ledger; the first 王家河 junior-middle pupil dropped out; one 黄堡 pupil transferred from the origin school |
//! | A3§3 family doctor | nobody in `WJH-003` has a contract; one chronic follow-up overdue |
//! | A3§4 coverage / assistance | `HB-017` (pending medical insurance, spouse without pension row); 特困 `HB-002`; 低保 `HB-008`, `WJH-006`; 临时救助 `WJH-005` |
//! | A3§5 registration | residence permits `WJH-011`, `HB-021`; kept at origin without permit `HB-023`; others transferred |
//! | A1 linkages | 14 households, all 12 kinds; `WJH-008`'s payment due 2026-10-31 unpaid |
//! | A4 governance | both sites residents' groups; 王家河 labour consultation without relocated representatives |
//! | A5 land | homesteads in all six states; transfers at 200,000 (within city), 180,000 and 220,000 yuan/mu; reserves 5 %, 6 %, 10 % |
//! | A6 party | 黄堡: branch, 4 formal + probationary + activist, 2nd committee member skipped 2026-09; 王家河: 2 formal (one transferring) + probationary + activist held by the community branch, no town review in 2026-10 |
//! | A7 | on the reference list, on 2026-11-28: 9 tasks done (`RT-A2-02` late), 4 overdue, 4 due soon, 10 on track, the rest not started; reports accepted, returned and submitted; an approved (`RT-A2-01`) and a pending (`RT-A3-01`) extension; the history of each; inspections, findings, an interview, a criticism |
//! | A7§4 | 2026 plan: follow-up support 30 %, eight computed indicators, manual scores for 21 units (health and civil affairs tied), a 2-point deduction of education |
pub mod assessment;
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
    let supervision = responsibility::load_responsibility(db).await?;
    assessment::load_assessment(db, supervision.open_finding).await?;
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
