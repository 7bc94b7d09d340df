//! Presentational pieces: they take props and never fetch.

mod error_panel;
mod guarded;
mod household_item;
mod loading;
mod member_table;
mod rule_card;
mod site_card;
mod stat;
mod user_bar;

pub use error_panel::ErrorPanel;
pub use guarded::{Forbidden, GuardedValue, NoAccess};
pub use household_item::HouseholdItem;
pub use loading::Loading;
pub use member_table::MemberTable;
pub use rule_card::RuleCard;
pub use site_card::SiteCard;
pub use stat::{Stat, StatGrid};
pub use user_bar::UserBar;
