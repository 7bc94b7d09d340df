//! The alert feed as .xlsx: `GET /exports/alerts.xlsx?ruleCodes=&bureauCode=&townCode=&siteId=&open=`
//! with `Authorization: Bearer <token>`.
//!
//! The feed is described as a ledger and exported by the ledger export
//! (`ledger_exports.rs`): the rows are `Query.alerts` run through the schema as the caller,
//! so the file shows exactly the alerts the feed shows them (their units' alerts, or all of
//! them for the supervisors) and a person's name only to who may read it (无权限 otherwise).
//! `ruleCodes` takes API values, repeated or comma-separated (`ZERO_EMPLOYMENT,SCHOOL_DROPOUT`);
//! `open` is `true` (the default: open alerts) or `false` (resolved ones). Audited as
//! `export.alerts`.
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use ledgers::{Column, Filter, Format, Group, Input, Ledger, Shape};

use super::ledger_exports::{export, signed_in};
use super::AppState;

const SEVERITIES: &[(&str, &str)] = &[("INFO", "提示"), ("WARNING", "预警"), ("CRITICAL", "严重")];

/// The feed as a ledger (not one of `ledgers::all()`: the web app has its own alert page).
static ALERTS: Ledger = Ledger {
    key: "alerts",
    title: "预警信息",
    group: Group::Governance,
    clause: "A7§4",
    description: "规则自动发现的问题：零就业家庭、失学辍学、应保未保、未签约家庭医生、逾期未兑现等",
    read_domain: "",
    query: "query ExportAlerts($first: Int, $after: String, $ruleCodes: [AlertRule!], $bureauCode: String, $townCode: String, $siteId: ID, $open: Boolean = true) {
  alerts(first: $first, after: $after, filter: {ruleCodes: $ruleCodes, bureauCode: $bureauCode, townCode: $townCode, siteId: $siteId, open: $open}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id ruleLabel clause severity owningBureau { name } town { name } site { name } household { code } person { name } message raisedAt resolvedAt }
  }
}",
    root: "alerts",
    shape: Shape::Connection,
    columns: &[
        Column { header: "预警规则", path: "ruleLabel", format: Format::Text },
        Column { header: "依据", path: "clause", format: Format::Text },
        Column { header: "等级", path: "severity", format: Format::Choice(SEVERITIES) },
        Column { header: "责任部门", path: "owningBureau.name", format: Format::Text },
        Column { header: "镇（街道）", path: "town.name", format: Format::Text },
        Column { header: "安置点", path: "site.name", format: Format::Text },
        Column { header: "户编号", path: "household.code", format: Format::Text },
        Column { header: "人员", path: "person.name", format: Format::Text },
        Column { header: "问题", path: "message", format: Format::Text },
        Column { header: "发现时间", path: "raisedAt", format: Format::DateTime },
        Column { header: "解决时间", path: "resolvedAt", format: Format::DateTime },
    ],
    filters: &[
        Filter { variable: "ruleCodes", label: "预警规则", input: Input::Text },
        Filter { variable: "bureauCode", label: "责任部门", input: Input::Text },
        Filter { variable: "townCode", label: "镇（街道）", input: Input::Text },
        Filter { variable: "siteId", label: "安置点", input: Input::Text },
        Filter { variable: "open", label: "未解决", input: Input::Checkbox },
    ],
    forms: &[],
    row_actions: &[],
};

/// `GET /exports/alerts.xlsx`.
pub async fn alerts_xlsx(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let (principal, meta) = match signed_in(&state, &headers).await {
        Ok(identity) => identity,
        Err(response) => return response,
    };
    export(&state, &principal, &meta, &ALERTS, &params, "export.alerts").await
}
