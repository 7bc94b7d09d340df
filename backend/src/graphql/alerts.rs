//! The alert feed (预警) over GraphQL: every rule violation with its clause, owning bureau and
//! the site, household or person concerned; counts per site and per bureau for dashboards;
//! and the manual resolution of the one rule that allows it.
//!
//! Who sees what: a principal sees the alerts its bureaus own and those at its towns (the
//! towns' sites and the tasks the towns are responsible for — town officials); readers of the
//! `responsibility` or `assessment` domain (the district's supervisors) see all of them. The
//! person of an alert is shown only with the `identity` domain (the name, through `Person`),
//! and for rules over sensitive data (a missing family doctor: `health`; a missed party
//! visit: `party`) only to readers of that domain as well.
//!
//! Alerts are resolved by the data (see `persistence::alerts`); only a missed party visit
//! (A6§2.2) or a missed town-committee review (A6§3.1) may be resolved by hand, by writers of
//! the `party` domain, with a note.
use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, Result, SimpleObject, ID};
use auth::policy::DataDomain;
use chrono::{DateTime, NaiveDate, Utc};
use domain::alerts::{AlertRule as DomainRule, AlertSeverity as DomainSeverity};
use domain::text::clean_multiline;

use super::access::{principal, read};
use super::connection::{connection_complexity, PageInfo};
use super::database;
use super::ids::{decode_id, encode_id, NodeType};
use super::registry::{Household, Person, Site};
use super::responsibility::{ResponsibleUnit, Units};
use crate::access::Principal;
use crate::error::ApiError;
use crate::persistence::alerts::{
    self as store, china_day_start, AlertFilter, AlertSubjects, AlertVisibility, FEED_SORT,
};
use crate::persistence::audit::AuditEntry;
use crate::persistence::entities::alert;
use crate::persistence::paging::PageRequest;
use crate::persistence::responsibility::UnitId;

/// The longest note of a manual resolution.
const NOTE_MAX_CHARS: usize = 1000;

/// The rule an alert reports.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertRule {
    /// 零就业家庭 (A2§1), owned by HR & social security.
    ZeroEmployment,
    /// 义务教育阶段失学辍学 (A3§2), owned by education.
    SchoolDropout,
    /// 应保未保 (A3§4), owned by HR & social security.
    MissingInsurance,
    /// 未签约家庭医生 (A3§3), owned by health.
    NoFamilyDoctor,
    /// 班子成员当月未走访 (A6§2.2), owned by the organization department.
    MissedPartyVisit,
    /// 镇党委当月未研判安置点党建 (A6§3.1), the site's town's duty, followed by the
    /// organization department.
    MissedTownReview,
    /// 利益联结逾期未兑现 (A1§2), owned by agriculture.
    OverdueBenefitLinkage,
    /// 责任任务逾期 (A7§1), owned by the task's responsible unit.
    OverdueTask,
}

impl AlertRule {
    fn domain(self) -> DomainRule {
        match self {
            AlertRule::ZeroEmployment => DomainRule::ZeroEmployment,
            AlertRule::SchoolDropout => DomainRule::SchoolDropout,
            AlertRule::MissingInsurance => DomainRule::MissingInsurance,
            AlertRule::NoFamilyDoctor => DomainRule::NoFamilyDoctor,
            AlertRule::MissedPartyVisit => DomainRule::MissedPartyVisit,
            AlertRule::MissedTownReview => DomainRule::MissedTownReview,
            AlertRule::OverdueBenefitLinkage => DomainRule::OverdueBenefitLinkage,
            AlertRule::OverdueTask => DomainRule::OverdueTask,
        }
    }

    fn of(rule: DomainRule) -> AlertRule {
        match rule {
            DomainRule::ZeroEmployment => AlertRule::ZeroEmployment,
            DomainRule::SchoolDropout => AlertRule::SchoolDropout,
            DomainRule::MissingInsurance => AlertRule::MissingInsurance,
            DomainRule::NoFamilyDoctor => AlertRule::NoFamilyDoctor,
            DomainRule::MissedPartyVisit => AlertRule::MissedPartyVisit,
            DomainRule::MissedTownReview => AlertRule::MissedTownReview,
            DomainRule::OverdueBenefitLinkage => AlertRule::OverdueBenefitLinkage,
            DomainRule::OverdueTask => AlertRule::OverdueTask,
        }
    }
}

/// The data domain an alert's person belongs to (its name and link are shown only to readers).
fn data_domain(rule: DomainRule) -> DataDomain {
    match rule {
        DomainRule::ZeroEmployment => DataDomain::Employment,
        DomainRule::SchoolDropout => DataDomain::Education,
        DomainRule::MissingInsurance => DataDomain::Insurance,
        DomainRule::NoFamilyDoctor => DataDomain::Health,
        DomainRule::MissedPartyVisit | DomainRule::MissedTownReview => DataDomain::Party,
        DomainRule::OverdueBenefitLinkage => DataDomain::Industry,
        DomainRule::OverdueTask => DataDomain::Responsibility,
    }
}

/// How urgent an alert is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertSeverity {
    Info,
    Warning,
    Critical,
}

impl AlertSeverity {
    fn of(code: &str) -> AlertSeverity {
        match DomainSeverity::from_code(code) {
            Some(DomainSeverity::Info) => AlertSeverity::Info,
            Some(DomainSeverity::Critical) => AlertSeverity::Critical,
            _ => AlertSeverity::Warning,
        }
    }
}

/// Which alerts a principal may see (see the module docs).
pub fn visibility_of(principal: &Principal) -> AlertVisibility {
    let supervisor = principal.permissions.can_read(DataDomain::Responsibility)
        || principal.permissions.can_read(DataDomain::Assessment);
    if supervisor {
        AlertVisibility::All
    } else {
        AlertVisibility::Units {
            bureau_ids: principal.bureau_ids.clone(),
            town_ids: principal.town_unit_ids.clone(),
        }
    }
}

/// The records a page of alerts refers to, loaded once for the page.
struct AlertContext {
    units: Arc<Units>,
    subjects: AlertSubjects,
}

/// A rule violation: open until the data no longer breaks the rule.
pub struct Alert {
    model: alert::Model,
    context: Arc<AlertContext>,
}

impl Alert {
    fn domain_rule(&self) -> Option<DomainRule> {
        DomainRule::from_code(&self.model.rule_code)
    }
}

#[Object]
impl Alert {
    pub async fn id(&self) -> ID {
        encode_id(NodeType::Alert, self.model.id)
    }
    async fn rule(&self) -> Result<AlertRule> {
        Ok(AlertRule::of(self.domain_rule().ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("unknown rule {}", self.model.rule_code))
        })?))
    }
    /// The rule's Chinese name (零就业家庭 …).
    async fn rule_label(&self) -> &str {
        self.domain_rule().map(DomainRule::label_zh).unwrap_or("")
    }
    /// The clause the rule comes from, e.g. `A2§1`.
    async fn clause(&self) -> &str {
        &self.model.clause_ref
    }
    async fn severity(&self) -> AlertSeverity {
        AlertSeverity::of(&self.model.severity)
    }
    /// The bureau that must act; none for a task a town is responsible for.
    async fn owning_bureau(&self) -> Option<ResponsibleUnit> {
        self.model
            .owning_bureau_id
            .map(|id| self.context.units.unit(UnitId::Bureau(id)))
    }
    /// The town of the site concerned, or the town responsible for a task.
    async fn town(&self) -> Option<ResponsibleUnit> {
        self.model
            .town_id
            .map(|id| self.context.units.unit(UnitId::Town(id)))
    }
    async fn site(&self) -> Option<Site> {
        self.model
            .site_id
            .and_then(|id| self.context.subjects.sites.get(&id).cloned())
            .map(Site)
    }
    /// The household concerned (its code, and more through the registry).
    async fn household(&self) -> Option<Household> {
        self.model
            .household_id
            .and_then(|id| self.context.subjects.households.get(&id).cloned())
            .map(Household)
    }
    /// The person concerned; the name needs the `identity` domain, and the person of an
    /// alert over health or party data also that domain.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let Some(person_id) = self.model.person_id else {
            return Ok(None);
        };
        if let Some(rule) = self.domain_rule() {
            let domain = data_domain(rule);
            if domain.is_sensitive() {
                read(ctx, domain, "Alert.person")?;
            }
        }
        Ok(self
            .context
            .subjects
            .persons
            .get(&person_id)
            .cloned()
            .map(Person))
    }
    /// The responsibility task that is overdue.
    async fn task_id(&self) -> Option<ID> {
        self.model
            .task_id
            .map(|id| encode_id(NodeType::ResponsibilityTask, id))
    }
    /// What is wrong, in Chinese (names no person).
    async fn message(&self) -> &str {
        &self.model.message
    }
    async fn raised_at(&self) -> DateTime<Utc> {
        self.model.raised_at
    }
    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.model.resolved_at
    }
    /// `数据已更新，规则不再违反` when the data resolved it, or the note of a manual resolution.
    async fn resolution_note(&self) -> Option<&str> {
        self.model.resolution_note.as_deref()
    }
    /// Whether a person closed it by hand (`resolveAlert`).
    async fn resolved_by_hand(&self) -> bool {
        self.model.resolved_by_user_id.is_some()
    }
    /// Whether `resolveAlert` may close it: open, and of a rule that allows it (A6§2.2,
    /// A6§3.1).
    async fn resolvable_by_hand(&self) -> bool {
        self.model.resolved_at.is_none()
            && self
                .domain_rule()
                .is_some_and(DomainRule::resolvable_by_hand)
    }
}

async fn alert_context(ctx: &Context<'_>, alerts: &[alert::Model]) -> Result<Arc<AlertContext>> {
    Ok(Arc::new(AlertContext {
        units: Units::load(ctx).await?,
        subjects: store::alert_subjects(database(ctx), alerts).await?,
    }))
}

/// An edge to an alert with its cursor.
#[derive(SimpleObject)]
pub struct AlertEdge {
    pub cursor: String,
    pub node: Alert,
}

/// A page of the feed, newest first.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct AlertConnection {
    pub edges: Vec<AlertEdge>,
    pub page_info: PageInfo,
    #[graphql(skip)]
    visibility: AlertVisibility,
    #[graphql(skip)]
    filter: AlertFilter,
}

#[ComplexObject]
impl AlertConnection {
    /// The nodes of the edges, for clients that need no cursors.
    async fn nodes(&self) -> Vec<&Alert> {
        self.edges.iter().map(|edge| &edge.node).collect()
    }
    /// How many alerts the filter finds (all pages).
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
        let count = store::count_alerts(database(ctx), &self.visibility, &self.filter).await?;
        Ok(i64::try_from(count).unwrap_or(i64::MAX))
    }
}

/// What the feed shows; everything optional. By default only open alerts.
#[derive(InputObject)]
pub struct AlertFilterInput {
    /// Only these rules.
    pub rule_codes: Option<Vec<AlertRule>>,
    /// Only alerts this bureau owns (`hrss` …).
    pub bureau_code: Option<String>,
    /// Only alerts at this town (division code, `610202100` …).
    pub town_code: Option<String>,
    pub site_id: Option<ID>,
    /// true (default): open alerts; false: resolved ones; null: both.
    #[graphql(default_with = "Some(true)")]
    pub open: Option<bool>,
    /// Raised on or after this day (China Standard Time).
    pub raised_from: Option<NaiveDate>,
    /// Raised on or before this day (China Standard Time).
    pub raised_to: Option<NaiveDate>,
}

impl Default for AlertFilterInput {
    fn default() -> AlertFilterInput {
        AlertFilterInput {
            rule_codes: None,
            bureau_code: None,
            town_code: None,
            site_id: None,
            open: Some(true),
            raised_from: None,
            raised_to: None,
        }
    }
}

impl AlertFilterInput {
    fn parse(self, units: &Units) -> Result<AlertFilter, ApiError> {
        if let (Some(from), Some(to)) = (self.raised_from, self.raised_to) {
            if from > to {
                return Err(ApiError::invalid(
                    "filter.raisedTo",
                    format!("{to} is before raisedFrom {from}: give a range that runs forward"),
                ));
            }
        }
        Ok(AlertFilter {
            rules: self
                .rule_codes
                .unwrap_or_default()
                .into_iter()
                .map(AlertRule::domain)
                .collect(),
            bureau_id: self
                .bureau_code
                .map(|code| units.bureau_by_code("filter.bureauCode", &code))
                .transpose()?,
            town_id: self
                .town_code
                .map(|code| units.town_by_code("filter.townCode", &code))
                .transpose()?,
            site_id: self
                .site_id
                .map(|id| decode_id("filter.siteId", NodeType::Site, &id))
                .transpose()?,
            open: self.open,
            raised_from: self.raised_from.and_then(china_day_start),
            raised_before: self
                .raised_to
                .and_then(|day| day.succ_opt())
                .and_then(china_day_start),
        })
    }
}

/// Open alerts of one site.
#[derive(SimpleObject)]
pub struct SiteAlertCount {
    pub site: Option<Site>,
    pub town: Option<ResponsibleUnit>,
    pub open: i64,
    pub critical: i64,
}

/// Open alerts of one bureau or town.
#[derive(SimpleObject)]
pub struct UnitAlertCount {
    pub unit: ResponsibleUnit,
    pub open: i64,
    pub critical: i64,
}

/// Open alerts of one rule.
#[derive(SimpleObject)]
pub struct RuleAlertCount {
    pub rule: AlertRule,
    pub rule_label: String,
    pub clause: String,
    pub open: i64,
    pub critical: i64,
}

/// Open alerts the principal may see, counted for dashboards.
#[derive(SimpleObject)]
pub struct AlertCounts {
    pub total: i64,
    /// Per site (alerts without a site, such as overdue tasks, are in no row).
    pub by_site: Vec<SiteAlertCount>,
    /// Per owning bureau (a town's own tasks are in no row).
    pub by_bureau: Vec<UnitAlertCount>,
    /// Per town (its sites' alerts and its own tasks).
    pub by_town: Vec<UnitAlertCount>,
    pub by_rule: Vec<RuleAlertCount>,
}

#[derive(Default)]
pub struct AlertsQuery;

#[Object]
impl AlertsQuery {
    /// The feed of rule violations the principal may see, newest first (keyset-paged, `first`
    /// at most 100).
    #[graphql(complexity = "connection_complexity(child_complexity, first, None)")]
    async fn alerts(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] filter: AlertFilterInput,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<AlertConnection> {
        let principal = principal(ctx)?;
        let visibility = visibility_of(principal);
        let units = Units::load(ctx).await?;
        let filter = filter.parse(&units)?;
        let page = PageRequest::from_arguments(first, after, None, None, FEED_SORT)?;
        let (rows, has_more) =
            store::alert_page(database(ctx), &visibility, &filter, &page).await?;
        let context = Arc::new(AlertContext {
            units,
            subjects: store::alert_subjects(database(ctx), &rows).await?,
        });
        let edges: Vec<AlertEdge> = rows
            .into_iter()
            .map(|model| AlertEdge {
                cursor: store::feed_cursor(&model).encode(),
                node: Alert {
                    model,
                    context: context.clone(),
                },
            })
            .collect();
        let page_info = PageInfo {
            has_next_page: has_more,
            has_previous_page: page.cursor.is_some(),
            start_cursor: edges.first().map(|edge| edge.cursor.clone()),
            end_cursor: edges.last().map(|edge| edge.cursor.clone()),
        };
        Ok(AlertConnection {
            edges,
            page_info,
            visibility,
            filter,
        })
    }

    /// One alert by its global ID; NOT_FOUND when it does not exist or is not the principal's
    /// to see.
    async fn alert(&self, ctx: &Context<'_>, id: ID) -> Result<Alert> {
        let principal = principal(ctx)?;
        let id = decode_id("id", NodeType::Alert, &id)?;
        let model = store::visible_alert(database(ctx), &visibility_of(principal), id).await?;
        let context = alert_context(ctx, std::slice::from_ref(&model)).await?;
        Ok(Alert { model, context })
    }

    /// Open alerts the principal may see, per site, bureau, town and rule (of some rules only
    /// when `ruleCodes` is given).
    async fn alert_counts(
        &self,
        ctx: &Context<'_>,
        rule_codes: Option<Vec<AlertRule>>,
    ) -> Result<AlertCounts> {
        let principal = principal(ctx)?;
        let rules: Vec<DomainRule> = rule_codes
            .unwrap_or_default()
            .into_iter()
            .map(AlertRule::domain)
            .collect();
        let db = database(ctx);
        let counts = store::open_alert_counts(db, &visibility_of(principal), &rules).await?;
        let units = Units::load(ctx).await?;
        let site_ids: Vec<i64> = counts.by_site.keys().map(|(site, _)| *site).collect();
        let sites: HashMap<i64, _> = store::sites_by_id(db, &site_ids).await?;
        let by_site = counts
            .by_site
            .iter()
            .map(|((site_id, town_id), (open, critical))| SiteAlertCount {
                site: sites.get(site_id).cloned().map(Site),
                town: town_id.map(|id| units.unit(UnitId::Town(id))),
                open: *open,
                critical: *critical,
            })
            .collect();
        let unit_counts =
            |unit_of: &dyn Fn(i64) -> UnitId,
             rows: &std::collections::BTreeMap<i64, (i64, i64)>| {
                rows.iter()
                    .map(|(id, (open, critical))| UnitAlertCount {
                        unit: units.unit(unit_of(*id)),
                        open: *open,
                        critical: *critical,
                    })
                    .collect::<Vec<_>>()
            };
        let by_bureau = unit_counts(&UnitId::Bureau, &counts.by_bureau);
        let by_town = unit_counts(&UnitId::Town, &counts.by_town);
        let by_rule = DomainRule::ALL
            .iter()
            .filter_map(|rule| {
                counts
                    .by_rule
                    .get(rule.code())
                    .map(|(open, critical)| RuleAlertCount {
                        rule: AlertRule::of(*rule),
                        rule_label: rule.label_zh().to_string(),
                        clause: rule.clause().to_string(),
                        open: *open,
                        critical: *critical,
                    })
            })
            .collect();
        Ok(AlertCounts {
            total: counts.total,
            by_site,
            by_bureau,
            by_town,
            by_rule,
        })
    }
}

#[derive(Default)]
pub struct AlertsMutation;

#[Object]
impl AlertsMutation {
    /// Closes an open alert by hand with a note saying how it was dealt with. Only a missed
    /// party visit (A6§2.2) or a missed town-committee review (A6§3.1) allows it — a month
    /// that is over cannot be made good by the data — and only for writers of the `party`
    /// domain who see the alert; the same member (or site) and month is not raised again.
    /// Every other alert closes by itself when the data changes (CONFLICT).
    async fn resolve_alert(&self, ctx: &Context<'_>, id: ID, note: String) -> Result<Alert> {
        let principal = principal(ctx)?;
        let id = decode_id("id", NodeType::Alert, &id)?;
        let note = clean_multiline(&note, "note", NOTE_MAX_CHARS)
            .map_err(|error| ApiError::invalid("note", error))?;
        let visibility = visibility_of(principal);
        let current = store::visible_alert(database(ctx), &visibility, id).await?;
        if let Some(rule) = DomainRule::from_code(&current.rule_code) {
            if rule.resolvable_by_hand() {
                principal.require_write(
                    data_domain(rule),
                    &format!("the resolution of a {} alert", rule.label_zh()),
                )?;
            }
        }
        let model = store::resolve_by_hand(
            database(ctx),
            &visibility,
            id,
            principal.user_id,
            note,
            AuditEntry::by(principal, "alert.resolve", "Alert", Some(id)),
        )
        .await?;
        let context = alert_context(ctx, std::slice::from_ref(&model)).await?;
        Ok(Alert { model, context })
    }
}

/// `node(id:)` for an alert: as `Query.alert`, but null (not NOT_FOUND) for one the principal
/// may not see.
pub(super) async fn resolve_node(ctx: &Context<'_>, id: i64) -> Result<Option<super::node::Node>> {
    let principal = principal(ctx)?;
    let model = match store::visible_alert(database(ctx), &visibility_of(principal), id).await {
        Ok(model) => model,
        Err(ApiError::NotFound { .. }) => return Ok(None),
        Err(error) => return Err(error.into()),
    };
    let context = alert_context(ctx, std::slice::from_ref(&model)).await?;
    Ok(Some(super::node::Node::Alert(Alert { model, context })))
}
