//! The alert feed (预警) and its counts: raw GraphQL queries (no typed query files, to keep the
//! wasm small), read into the page's types; and the manual resolution of an alert.

use leptos::web_sys::js_sys::encode_uri_component;
use serde::Deserialize;
use serde_json::{json, Value};

use super::client::ApiError;
use super::model::Guarded;
use super::{run_raw, RawData};

/// How many alerts one 加载更多 click fetches.
pub const ALERT_PAGE_SIZE: i64 = 20;

/// A rule that raises alerts, as the web app labels it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertRuleInfo {
    /// The API's `AlertRule` value (`ZERO_EMPLOYMENT` …).
    pub code: &'static str,
    /// The Chinese name, as the server's `ruleLabel`.
    pub label: &'static str,
    /// The clause of the plans the rule comes from.
    pub clause: &'static str,
    /// Who acts on it.
    pub owner: &'static str,
}

/// Every rule, in the server's order.
pub const ALERT_RULES: [AlertRuleInfo; 8] = [
    AlertRuleInfo {
        code: "ZERO_EMPLOYMENT",
        label: "零就业家庭",
        clause: "A2§1",
        owner: "区人社局",
    },
    AlertRuleInfo {
        code: "SCHOOL_DROPOUT",
        label: "义务教育阶段失学辍学",
        clause: "A3§2",
        owner: "区教育局",
    },
    AlertRuleInfo {
        code: "MISSING_INSURANCE",
        label: "应保未保",
        clause: "A3§4",
        owner: "区人社局",
    },
    AlertRuleInfo {
        code: "NO_FAMILY_DOCTOR",
        label: "未签约家庭医生",
        clause: "A3§3",
        owner: "区卫健局",
    },
    AlertRuleInfo {
        code: "MISSED_PARTY_VISIT",
        label: "班子成员当月未走访",
        clause: "A6§2.2",
        owner: "区委组织部",
    },
    AlertRuleInfo {
        code: "MISSED_TOWN_REVIEW",
        label: "镇党委当月未研判安置点党建",
        clause: "A6§3.1",
        owner: "安置点所在镇办（区委组织部督促）",
    },
    AlertRuleInfo {
        code: "OVERDUE_BENEFIT_LINKAGE",
        label: "利益联结逾期未兑现",
        clause: "A1§2",
        owner: "区农业农村局",
    },
    AlertRuleInfo {
        code: "OVERDUE_TASK",
        label: "责任任务逾期",
        clause: "A7§1",
        owner: "任务的责任单位",
    },
];

/// The rule with the API code `code`, if there is one.
pub fn alert_rule(code: &str) -> Option<&'static AlertRuleInfo> {
    ALERT_RULES.iter().find(|rule| rule.code == code)
}

/// Which alerts the feed lists by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AlertState {
    /// 未处理 (the API's default).
    #[default]
    Open,
    /// 已解除: by the data or by hand.
    Resolved,
    /// Both.
    All,
}

impl AlertState {
    /// Every state, in the order of the filter's chips.
    pub const ALL: [AlertState; 3] = [AlertState::Open, AlertState::Resolved, AlertState::All];

    /// The code in the page's address (`?state=resolved`).
    pub fn code(self) -> &'static str {
        match self {
            AlertState::Open => "open",
            AlertState::Resolved => "resolved",
            AlertState::All => "all",
        }
    }

    /// The state of an address code, if it is one.
    pub fn from_code(code: &str) -> Option<AlertState> {
        AlertState::ALL
            .into_iter()
            .find(|state| state.code() == code)
    }

    /// The chip's text.
    pub fn label(self) -> &'static str {
        match self {
            AlertState::Open => "未处理",
            AlertState::Resolved => "已解除",
            AlertState::All => "全部",
        }
    }

    fn open_variable(self) -> Value {
        match self {
            AlertState::Open => Value::Bool(true),
            AlertState::Resolved => Value::Bool(false),
            AlertState::All => Value::Null,
        }
    }
}

/// What the feed shows; everything but the state optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertFilter {
    /// An `AlertRule` code.
    pub rule: Option<String>,
    pub state: AlertState,
    pub site_id: Option<String>,
    /// A bureau's code (`hrss`).
    pub bureau_code: Option<String>,
    /// A town's division code (`610202100`).
    pub town_code: Option<String>,
}

impl AlertFilter {
    fn variable(&self) -> Value {
        json!({
            "ruleCodes": self.rule.as_ref().map(|rule| vec![rule.clone()]),
            "open": self.state.open_variable(),
            "siteId": self.site_id,
            "bureauCode": self.bureau_code,
            "townCode": self.town_code,
        })
    }
}

/// A bureau or town an alert belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertUnit {
    /// `BUREAU` or `TOWN`.
    pub kind: String,
    pub code: String,
    pub name: String,
    pub short_name: String,
}

/// A place with a page of its own (a site, a household).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSubject {
    pub id: String,
    /// The site's name or the household's code (which the user's roles may not read).
    pub label: Guarded<String>,
}

/// One alert of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub id: String,
    /// The `AlertRule` code.
    pub rule: String,
    pub rule_label: String,
    pub clause: String,
    /// `INFO`, `WARNING` or `CRITICAL`.
    pub severity: String,
    /// What is wrong, in Chinese.
    pub message: String,
    pub owning_bureau: Option<AlertUnit>,
    pub town: Option<AlertUnit>,
    pub site: Option<AlertSubject>,
    pub household: Option<AlertSubject>,
    /// The person concerned: `None` when there is none; withheld outside the data domain.
    pub person: Option<Guarded<String>>,
    pub task_id: Option<String>,
    /// RFC 3339.
    pub raised_at: String,
    pub resolved_at: Option<String>,
    pub resolution_note: Option<String>,
    pub resolved_by_hand: bool,
    /// Open, and of a rule a person may close (A6§2.2).
    pub resolvable_by_hand: bool,
}

impl Alert {
    /// Whether the alert is still open.
    pub fn is_open(&self) -> bool {
        self.resolved_at.is_none()
    }
}

/// One page of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertPage {
    /// How many alerts the filter finds in all.
    pub total_count: i64,
    /// The cursor of the next page, when there is one.
    pub next_cursor: Option<String>,
    pub alerts: Vec<Alert>,
}

/// Open alerts of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleAlertCount {
    pub rule: String,
    pub rule_label: String,
    pub clause: String,
    pub open: i64,
    pub critical: i64,
}

/// Open alerts of one bureau or town.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UnitAlertCount {
    pub unit: AlertUnit,
    pub open: i64,
    pub critical: i64,
}

/// Open alerts of one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteAlertCount {
    pub site_id: String,
    pub site_name: String,
    /// The town's short name.
    pub town_name: Option<String>,
    pub open: i64,
    pub critical: i64,
}

/// The open alerts the user may see, counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertCounts {
    pub total: i64,
    pub by_rule: Vec<RuleAlertCount>,
    pub by_bureau: Vec<UnitAlertCount>,
    pub by_town: Vec<UnitAlertCount>,
    pub by_site: Vec<SiteAlertCount>,
}

/// A site to filter the feed by.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SiteChoice {
    pub id: String,
    pub name: String,
}

/// What the 预警 page shows above the feed: the counts and the sites to filter by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertDashboard {
    pub counts: AlertCounts,
    pub sites: Vec<SiteChoice>,
}

const ALERT_FIELDS: &str = "
fragment AlertFields on Alert {
  id rule ruleLabel clause severity message raisedAt resolvedAt resolutionNote
  resolvedByHand resolvableByHand taskId
  owningBureau { kind code name shortName }
  town { kind code name shortName }
  site { id name }
  household { id code }
  person { name }
}";

const COUNT_FIELDS: &str = "
  total
  byRule { rule ruleLabel clause open critical }
  byBureau { unit { kind code name shortName } open critical }
  byTown { unit { kind code name shortName } open critical }
  bySite { site { id name } town { shortName } open critical }";

#[derive(Deserialize)]
struct RawShortName {
    #[serde(rename = "shortName")]
    short_name: String,
}

#[derive(Deserialize)]
struct RawSiteCount {
    site: Option<RawSiteRef>,
    town: Option<RawShortName>,
    open: i64,
    critical: i64,
}

#[derive(Deserialize)]
struct RawSiteRef {
    id: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCounts {
    total: i64,
    by_rule: Vec<RuleAlertCount>,
    by_bureau: Vec<UnitAlertCount>,
    by_town: Vec<UnitAlertCount>,
    by_site: Vec<RawSiteCount>,
}

impl RawCounts {
    fn into_counts(self) -> AlertCounts {
        let by_site = self
            .by_site
            .into_iter()
            .filter_map(|row| {
                let site = row.site?;
                Some(SiteAlertCount {
                    site_id: site.id,
                    site_name: site.name,
                    town_name: row.town.map(|town| town.short_name),
                    open: row.open,
                    critical: row.critical,
                })
            })
            .collect();
        AlertCounts {
            total: self.total,
            by_rule: self.by_rule,
            by_bureau: self.by_bureau,
            by_town: self.by_town,
            by_site,
        }
    }
}

#[derive(Deserialize)]
struct RawHousehold {
    id: String,
    code: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAlert {
    id: String,
    rule: String,
    rule_label: String,
    clause: String,
    severity: String,
    message: String,
    raised_at: String,
    resolved_at: Option<String>,
    resolution_note: Option<String>,
    resolved_by_hand: bool,
    resolvable_by_hand: bool,
    task_id: Option<String>,
    owning_bureau: Option<AlertUnit>,
    town: Option<AlertUnit>,
    site: Option<RawSiteRef>,
    household: Option<RawHousehold>,
    person: Option<RawPersonName>,
}

#[derive(Deserialize)]
struct RawPersonName {
    name: Option<String>,
}

impl RawAlert {
    /// The alert, with the fields the server withheld at `at` (`alerts.nodes.3`) marked.
    fn into_alert(self, raw: &RawData, at: &str) -> Alert {
        let guard = |value: Option<String>, field: &str| {
            let path = format!("{at}.{field}");
            match value {
                Some(value) => Guarded::Shown(value),
                None if raw.is_forbidden(&path) => Guarded::Forbidden,
                None => Guarded::NotRecorded,
            }
        };
        let person = match self.person {
            Some(person) => Some(guard(person.name, "person.name")),
            None if raw.is_forbidden(&format!("{at}.person")) => Some(Guarded::Forbidden),
            None => None,
        };
        Alert {
            id: self.id,
            rule: self.rule,
            rule_label: self.rule_label,
            clause: self.clause,
            severity: self.severity,
            message: self.message,
            owning_bureau: self.owning_bureau,
            town: self.town,
            site: self.site.map(|site| AlertSubject {
                id: site.id,
                label: Guarded::Shown(site.name),
            }),
            household: self.household.map(|household| AlertSubject {
                id: household.id,
                label: guard(household.code, "household.code"),
            }),
            person,
            task_id: self.task_id,
            raised_at: self.raised_at,
            resolved_at: self.resolved_at,
            resolution_note: self.resolution_note,
            resolved_by_hand: self.resolved_by_hand,
            resolvable_by_hand: self.resolvable_by_hand,
        }
    }
}

/// Moves the value at the JSON pointer `at` out of `data` (`null` when it is not there).
fn take(data: &mut Value, at: &str) -> Value {
    data.pointer_mut(at).map(Value::take).unwrap_or_default()
}

/// Reads `value` as `T`, or says the answer was not what this app expects.
fn parse<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    serde_json::from_value(value).map_err(|_| ApiError::UnexpectedResponse { status: 200 })
}

/// The user's open alerts counted per rule (for the overview's tiles).
pub async fn fetch_alert_counts() -> Result<AlertCounts, ApiError> {
    let query = format!("query AlertCounts {{ alertCounts {{ {COUNT_FIELDS} }} }}");
    let mut raw = run_raw(&query, json!({})).await?;
    let counts: RawCounts = parse(take(&mut raw.data, "/alertCounts"))?;
    Ok(counts.into_counts())
}

/// The counts per rule, bureau, town and site, and the sites to filter the feed by.
pub async fn fetch_alert_dashboard() -> Result<AlertDashboard, ApiError> {
    let query = format!(
        "query AlertDashboard {{ alertCounts {{ {COUNT_FIELDS} }} sites(first: 100) {{ nodes {{ id name }} }} }}"
    );
    let mut raw = run_raw(&query, json!({})).await?;
    let counts: RawCounts = parse(take(&mut raw.data, "/alertCounts"))?;
    let sites: Vec<SiteChoice> = parse(take(&mut raw.data, "/sites/nodes"))?;
    Ok(AlertDashboard {
        counts: counts.into_counts(),
        sites,
    })
}

/// The open alerts at one site (all rules): (open, critical).
pub async fn fetch_site_alert_count(site_id: String) -> Result<(i64, i64), ApiError> {
    const QUERY: &str =
        "query SiteAlertCount { alertCounts { bySite { site { id } open critical } } }";
    #[derive(Deserialize)]
    struct Row {
        site: Option<RawId>,
        open: i64,
        critical: i64,
    }
    #[derive(Deserialize)]
    struct RawId {
        id: String,
    }
    let mut raw = run_raw(QUERY, json!({})).await?;
    let rows: Vec<Row> = parse(take(&mut raw.data, "/alertCounts/bySite"))?;
    Ok(rows
        .into_iter()
        .filter(|row| row.site.as_ref().is_some_and(|site| site.id == site_id))
        .fold((0, 0), |(open, critical), row| {
            (open + row.open, critical + row.critical)
        }))
}

/// One page of the feed (newest first), after `after` (the previous page's end cursor).
pub async fn fetch_alerts(
    filter: AlertFilter,
    after: Option<String>,
) -> Result<AlertPage, ApiError> {
    let query = format!(
        "query AlertFeed($filter: AlertFilterInput!, $first: Int, $after: String) {{
           alerts(filter: $filter, first: $first, after: $after) {{
             totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ ...AlertFields }}
           }}
         }} {ALERT_FIELDS}"
    );
    let variables = json!({
        "filter": filter.variable(),
        "first": ALERT_PAGE_SIZE,
        "after": after,
    });
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct PageInfo {
        has_next_page: bool,
        end_cursor: Option<String>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Connection {
        total_count: i64,
        page_info: PageInfo,
        nodes: Vec<RawAlert>,
    }
    let mut raw = run_raw(&query, variables).await?;
    let connection: Connection = parse(take(&mut raw.data, "/alerts"))?;
    let alerts = connection
        .nodes
        .into_iter()
        .enumerate()
        .map(|(index, node)| node.into_alert(&raw, &format!("alerts.nodes.{index}")))
        .collect();
    Ok(AlertPage {
        total_count: connection.total_count,
        next_cursor: connection
            .page_info
            .has_next_page
            .then_some(connection.page_info.end_cursor)
            .flatten(),
        alerts,
    })
}

/// 标记已处理: closes an alert by hand with a note on how it was dealt with (only a missed
/// party visit allows it, A6§2.2; the server refuses the rest with its reason).
pub async fn resolve_alert(id: String, note: String) -> Result<Alert, ApiError> {
    let query = format!(
        "mutation ResolveAlert($id: ID!, $note: String!) {{
           resolveAlert(id: $id, note: $note) {{ ...AlertFields }}
         }} {ALERT_FIELDS}"
    );
    let mut raw = run_raw(&query, json!({ "id": id, "note": note })).await?;
    let node: RawAlert = parse(take(&mut raw.data, "/resolveAlert"))?;
    Ok(node.into_alert(&raw, "resolveAlert"))
}

/// Where the feed of `filter` downloads as .xlsx (`GET /exports/alerts.xlsx`, as the user,
/// with the same filters); `None` for open and resolved together, which the export does not
/// take.
pub fn alerts_export_path(filter: &AlertFilter) -> Option<String> {
    let open = match filter.state {
        AlertState::Open => "true",
        AlertState::Resolved => "false",
        AlertState::All => return None,
    };
    let mut path = format!("/exports/alerts.xlsx?open={open}");
    let pairs = [
        ("ruleCodes", &filter.rule),
        ("bureauCode", &filter.bureau_code),
        ("townCode", &filter.town_code),
        ("siteId", &filter.site_id),
    ];
    for (key, value) in pairs {
        if let Some(value) = value {
            path.push_str(&format!(
                "&{key}={}",
                String::from(encode_uri_component(value))
            ));
        }
    }
    Some(path)
}

/// The name of a unit for a line of text (the short name, as the matrix shows units).
pub fn unit_label(unit: &AlertUnit) -> String {
    if unit.short_name.is_empty() {
        unit.name.clone()
    } else {
        unit.short_name.clone()
    }
}
