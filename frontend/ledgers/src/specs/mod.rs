//! The ledgers of each annex, one module per annex; each module's `LEDGERS` in page order.

mod employment;
mod extras;
mod governance;
mod industry;
mod land;
mod lookups;
mod party;
mod services;

use crate::Ledger;

/// Every ledger, in the order of the index page.
pub fn all() -> impl Iterator<Item = &'static Ledger> {
    [
        industry::LEDGERS,
        employment::LEDGERS,
        services::LEDGERS,
        governance::LEDGERS,
        land::LEDGERS,
        party::LEDGERS,
        extras::LEDGERS,
    ]
    .into_iter()
    .flatten()
}
