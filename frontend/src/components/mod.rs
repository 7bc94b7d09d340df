//! Presentational pieces: they take props and never fetch.

mod decision;
mod error_panel;
mod guarded;
mod household_item;
mod inbox;
mod loading;
mod matrix_controls;
mod member_table;
mod nav;
mod ranking;
mod rule_card;
mod site_card;
mod stat;
mod task_forms;
mod task_history;
mod task_item;
mod task_matrix;
mod task_status;
mod unit_counts;
mod user_bar;

pub use decision::{failure_view, ActionError, DecisionButtons, Failure};
pub use error_panel::ErrorPanel;
pub use guarded::{Forbidden, GuardedValue, NoAccess};
pub use household_item::HouseholdItem;
pub use inbox::InboxView;
pub use loading::Loading;
pub use matrix_controls::{AsOfPicker, MatrixFilters};
pub use member_table::MemberTable;
pub use nav::{NavBar, NavItem, QuickLinks};
pub use ranking::{PublicationList, RankingChart};
pub use rule_card::RuleCard;
pub use site_card::SiteCard;
pub use stat::{Stat, StatGrid};
pub use task_forms::{ExtensionDraft, ExtensionForm, ReportDraft, ReportForm};
pub use task_history::{
    AttachmentList, EventList, ExtensionItem, ExtensionList, ReportItem, ReportList, StageGoalList,
};
pub use task_item::{task_href, TaskItem};
pub use task_matrix::TaskMatrix;
pub use task_status::{days_left_text, ProgressBar, StatusBadge, StatusCountGrid};
pub use unit_counts::UnitCountList;
pub use user_bar::UserBar;

mod alert_card;
mod alert_counts;
mod alert_summary;
mod import_progress;
mod import_report;
pub use alert_card::{AlertCard, AlertResolution};
pub use alert_counts::{AlertCountList, AlertCountRow, AlertRuleCards};
pub use alert_summary::AlertSummary;
pub use import_progress::UploadProgress;
pub use import_report::ImportReportView;
