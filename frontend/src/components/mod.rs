//! Presentational pieces: they take props and never fetch.

mod error_panel;
mod household_item;
mod loading;
mod member_table;
mod rule_card;
mod site_card;
mod stat;

pub use error_panel::ErrorPanel;
pub use household_item::HouseholdItem;
pub use loading::Loading;
pub use member_table::MemberTable;
pub use rule_card::RuleCard;
pub use site_card::SiteCard;
pub use stat::{Stat, StatGrid};
