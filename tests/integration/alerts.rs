//! The alert feed (预警, issue 5): the demo's planted violations are open alerts after start-up,
//! a write through the API resolves or raises them in the same request, each unit sees its
//! own, and the dashboard counts agree with the feed.
//!
//! The demo data is dated 2026-11-28: its family-doctor contracts and insurance year run
//! through 2026, so the exact counts below hold while the tests run in December 2026.
use std::collections::{BTreeMap, HashSet};

use serde_json::{json, Value};

use crate::db_test;

const FEED: &str = "query($filter: AlertFilterInput, $first: Int, $after: String) {
    alerts(filter: $filter, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { id rule ruleLabel clause severity message raisedAt resolvedAt resolutionNote
              resolvedByHand resolvableByHand taskId
              owningBureau { code } town { code } site { id code }
              household { id code } person { id name } } } }";

const COUNTS: &str = "query($rules: [AlertRule!]) { alertCounts(ruleCodes: $rules) {
    total bySite { site { id code } town { code } open critical }
    byBureau { unit { code } open } byTown { unit { code } open }
    byRule { rule ruleLabel clause open } } }";

/// Every alert of the feed the holder of `token` sees with `filter`, paging by 7 to walk the
/// keyset cursors.
async fn whole_feed(app: &crate::TestApp, token: &str, filter: Value) -> Vec<Value> {
    let mut alerts = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let response = app
            .graphql_with(
                Some(token),
                FEED,
                json!({ "filter": filter, "first": 7, "after": after }),
            )
            .await;
        let page = &response["data"]["alerts"];
        alerts.extend(
            page["nodes"]
                .as_array()
                .unwrap_or_else(|| panic!("{response:#}"))
                .iter()
                .cloned(),
        );
        if page["pageInfo"]["hasNextPage"] != true {
            assert_eq!(page["totalCount"].as_u64().unwrap() as usize, alerts.len());
            return alerts;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_string);
    }
}

fn of_rule<'a>(alerts: &'a [Value], rule: &str) -> Vec<&'a Value> {
    alerts.iter().filter(|a| a["rule"] == rule).collect()
}

fn household_codes(alerts: &[&Value]) -> Vec<String> {
    let mut codes: Vec<String> = alerts
        .iter()
        .map(|a| a["household"]["code"].as_str().unwrap_or("").to_string())
        .collect();
    codes.sort();
    codes
}

db_test! {
    async fn the_planted_violations_are_open_alerts_after_start_up(app) {
        let drc = app.login("bureau_drc").await;
        let alerts = whole_feed(&app, &drc, json!({})).await;
        let ids: HashSet<&str> = alerts.iter().map(|a| a["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), alerts.len(), "the pages do not overlap");

        // A2§1: HB-004, HB-012, WJH-005, owned by HR & social security, critical.
        let zero = of_rule(&alerts, "ZERO_EMPLOYMENT");
        assert_eq!(household_codes(&zero), ["HB-004", "HB-012", "WJH-005"]);
        assert!(zero.iter().all(|a| a["owningBureau"]["code"] == "hrss" && a["clause"] == "A2§1"
            && a["severity"] == "CRITICAL" && a["ruleLabel"] == "零就业家庭" && a["person"].is_null()));
        let hb_004 = zero.iter().find(|a| a["household"]["code"] == "HB-004").unwrap();
        assert_eq!(hb_004["site"]["code"], "HB-XZQ");
        assert_eq!(hb_004["town"]["code"], "610202100");
        assert!(hb_004["message"].as_str().unwrap().starts_with("HB-004户"), "{hb_004}");

        // A3§2: the first 王家河 junior-middle pupil dropped out; education owns it.
        let dropouts = of_rule(&alerts, "SCHOOL_DROPOUT");
        assert_eq!(dropouts.len(), 1, "{dropouts:#?}");
        assert_eq!(dropouts[0]["owningBureau"]["code"], "education");
        assert_eq!(dropouts[0]["town"]["code"], "610202004");
        assert!(!dropouts[0]["person"]["id"].is_null());

        // A3§4: in HB-017 the head's medical insurance is pending and the spouse has no pension.
        let insurance = of_rule(&alerts, "MISSING_INSURANCE");
        assert_eq!(household_codes(&insurance), ["HB-017", "HB-017"]);
        let mut messages: Vec<&str> = insurance.iter().map(|a| a["message"].as_str().unwrap()).collect();
        messages.sort();
        assert_eq!(messages, ["HB-017户户主未参加2026年度基本医疗保险（应保尽保）",
            "HB-017户配偶未参加2026年度养老保险（应保尽保）"]);
        assert!(insurance.iter().all(|a| a["owningBureau"]["code"] == "hrss"));

        // A3§3: nobody in WJH-003 (three persons) has a family doctor; health owns it.
        let doctors = of_rule(&alerts, "NO_FAMILY_DOCTOR");
        assert_eq!(household_codes(&doctors), ["WJH-003", "WJH-003", "WJH-003"]);
        assert!(doctors.iter().all(|a| a["owningBureau"]["code"] == "health"));

        // A6§2.2: the branch's second committee member skipped September 2026.
        let visits = of_rule(&alerts, "MISSED_PARTY_VISIT");
        assert_eq!(visits.len(), 1, "{visits:#?}");
        assert_eq!(visits[0]["owningBureau"]["code"], "organization");
        assert_eq!(visits[0]["site"]["code"], "HB-XZQ");
        assert!(visits[0]["message"].as_str().unwrap().contains("2026年9月"), "{}", visits[0]);
        assert_eq!(visits[0]["resolvableByHand"], true);

        // A1§2: WJH-008's payment due 2026-10-31 is unpaid; agriculture owns it.
        let linkages = of_rule(&alerts, "OVERDUE_BENEFIT_LINKAGE");
        assert_eq!(household_codes(&linkages), ["WJH-008"]);
        assert_eq!(linkages[0]["owningBureau"]["code"], "agriculture");
        assert!(linkages[0]["message"].as_str().unwrap().contains("2026-10-31"));

        // A7§1: exactly the tasks the responsibility matrix shows red, the planted four among them.
        let tasks = of_rule(&alerts, "OVERDUE_TASK");
        let matrix = app.graphql_with(Some(&drc),
            "{ responsibilityMatrix(filter: { statuses: [OVERDUE] }) { totals { overdue } } }", json!({})).await;
        assert_eq!(tasks.len() as u64,
            matrix["data"]["responsibilityMatrix"]["totals"]["overdue"].as_u64().unwrap(), "{matrix}");
        for code in ["RT-A3-01", "RT-A3-11", "RT-A5-05", "RT-A7-12"] {
            assert!(tasks.iter().any(|a| a["message"].as_str().unwrap().contains(code)), "{code}");
        }
        assert!(tasks.iter().all(|a| !a["taskId"].is_null() && a["site"].is_null()
            && (!a["owningBureau"].is_null() || !a["town"].is_null())));

        let counts = app.graphql_with(Some(&drc), COUNTS, json!({})).await;
        let by_rule: BTreeMap<String, u64> = counts["data"]["alertCounts"]["byRule"].as_array().unwrap()
            .iter().map(|r| (r["rule"].as_str().unwrap().to_string(), r["open"].as_u64().unwrap())).collect();
        let expected = [("ZERO_EMPLOYMENT", 3), ("SCHOOL_DROPOUT", 1), ("MISSING_INSURANCE", 2),
            ("NO_FAMILY_DOCTOR", 3), ("MISSED_PARTY_VISIT", 1), ("OVERDUE_BENEFIT_LINKAGE", 1),
            ("OVERDUE_TASK", tasks.len() as u64)];
        for (rule, count) in expected {
            assert_eq!(by_rule.get(rule).copied().unwrap_or(0), count, "{rule}: {counts}");
        }
        assert_eq!(counts["data"]["alertCounts"]["total"].as_u64().unwrap() as usize, alerts.len());
    }
}

/// The open zero-employment alert of a household, if any.
async fn zero_employment_alert(app: &crate::TestApp, token: &str, code: &str) -> Option<Value> {
    whole_feed(app, token, json!({ "ruleCodes": ["ZERO_EMPLOYMENT"] }))
        .await
        .into_iter()
        .find(|a| a["household"]["code"] == code)
}

db_test! {
    async fn employing_a_member_resolves_the_zero_employment_alert_in_the_same_request(app) {
        let hrss = app.login("bureau_hrss").await;
        let before = zero_employment_alert(&app, &hrss, "HB-004").await.expect("HB-004 is an open alert");
        let members = app.graphql_ok(
            "query($id: ID!) { node(id: $id) { ... on Household { members { id version labourCapacity employmentStatus } } } }",
            json!({ "id": before["household"]["id"] })).await;
        let worker = members["node"]["members"].as_array().unwrap().iter()
            .find(|m| m["labourCapacity"] == "FULL").cloned().expect("a member with labour");
        assert_eq!(worker["employmentStatus"], "UNEMPLOYED");

        // A2§1: one member employed meets the floor; the alert closes within the update itself.
        let update = "mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { version employmentStatus } }";
        let hired = app.graphql_ok(update, json!({ "input": {
            "id": worker["id"], "version": worker["version"], "employmentStatus": "EMPLOYED" } })).await;
        assert!(zero_employment_alert(&app, &hrss, "HB-004").await.is_none());
        let resolved = whole_feed(&app, &hrss, json!({ "ruleCodes": ["ZERO_EMPLOYMENT"], "open": false })).await;
        let resolved = resolved.iter().find(|a| a["id"] == before["id"]).expect("the alert, resolved");
        assert_eq!(resolved["resolutionNote"], "数据已更新，规则不再违反");
        assert_eq!(resolved["raisedAt"], before["raisedAt"]);
        assert_eq!(resolved["resolvedByHand"], false);
        assert!(!resolved["resolvedAt"].is_null());

        // Undoing it raises a new alert (a new problem, raised now).
        app.graphql_ok(update, json!({ "input": {
            "id": worker["id"], "version": hired["updatePerson"]["version"], "employmentStatus": "UNEMPLOYED" } })).await;
        let again = zero_employment_alert(&app, &hrss, "HB-004").await.expect("raised again");
        assert_ne!(again["id"], before["id"]);
        assert!(again["raisedAt"].as_str().unwrap() >= resolved["resolvedAt"].as_str().unwrap());
        // Open and closed, both are in the feed with `open: null`.
        let both = whole_feed(&app, &hrss, json!({ "ruleCodes": ["ZERO_EMPLOYMENT"], "open": null })).await;
        assert_eq!(both.iter().filter(|a| a["household"]["code"] == "HB-004").count(), 2);

        // Newest first: the new alert heads the feed, and the cursor after it (an older
        // raised_at) continues with the rest, without it.
        let first = app.graphql_with(Some(&hrss), FEED, json!({ "filter": { "open": null }, "first": 1 })).await;
        let first = &first["data"]["alerts"];
        assert_eq!(first["nodes"][0]["id"], again["id"]);
        let rest = app.graphql_with(Some(&hrss), FEED, json!({ "filter": { "open": null }, "first": 100,
            "after": first["pageInfo"]["endCursor"] })).await;
        let rest = rest["data"]["alerts"]["nodes"].as_array().unwrap().clone();
        assert_eq!(rest.len() as u64 + 1, first["totalCount"].as_u64().unwrap());
        assert!(rest.iter().all(|a| a["id"] != again["id"]));
        assert!(rest.iter().any(|a| a["id"] == before["id"]));
    }
}

db_test! {
    async fn a_town_official_sees_only_its_own_towns_alerts(app) {
        let wjh = app.login("town_610202004").await;
        let alerts = whole_feed(&app, &wjh, json!({ "open": null })).await;
        assert!(!alerts.is_empty());
        assert!(alerts.iter().all(|a| a["town"]["code"] == "610202004"), "{alerts:#?}");
        assert!(alerts.iter().any(|a| a["rule"] == "ZERO_EMPLOYMENT" && a["household"]["code"] == "WJH-005"));
        assert!(alerts.iter().all(|a| !a["household"]["code"].as_str().unwrap_or("").starts_with("HB-")));

        // Another town's alert is NOT_FOUND, by ID and through the site filter.
        let drc = app.login("bureau_drc").await;
        let hb_alert = zero_employment_alert(&app, &drc, "HB-004").await.unwrap();
        let response = app.graphql_with(Some(&wjh), "query($id: ID!) { alert(id: $id) { id } }",
            json!({ "id": hb_alert["id"] })).await;
        assert_eq!(response["errors"][0]["extensions"]["code"], "NOT_FOUND", "{response}");
        let filtered = whole_feed(&app, &wjh, json!({ "siteId": hb_alert["site"]["id"] })).await;
        assert!(filtered.is_empty());

        let counts = app.graphql_with(Some(&wjh), COUNTS, json!({})).await;
        let counts = &counts["data"]["alertCounts"];
        assert!(counts["bySite"].as_array().unwrap().iter().all(|s| s["site"]["code"] == "WJH-XFJ"), "{counts}");
        let open = whole_feed(&app, &wjh, json!({})).await;
        assert_eq!(counts["total"].as_u64().unwrap() as usize, open.len());
    }
}

db_test! {
    async fn each_bureau_sees_the_alerts_it_owns_and_sensitive_persons_stay_hidden(app) {
        let hrss = app.login("bureau_hrss").await;
        let mine = whole_feed(&app, &hrss, json!({})).await;
        assert_eq!(of_rule(&mine, "ZERO_EMPLOYMENT").len(), 3);
        assert!(of_rule(&mine, "SCHOOL_DROPOUT").is_empty());
        assert!(mine.iter().all(|a| a["owningBureau"]["code"] == "hrss"), "{mine:#?}");
        // HR & social security reads identity: the insured person's name is shown.
        let insurance = of_rule(&mine, "MISSING_INSURANCE");
        assert!(insurance.iter().all(|a| a["person"]["name"].is_string()), "{insurance:#?}");

        let education = app.login("bureau_education").await;
        let theirs = whole_feed(&app, &education, json!({ "ruleCodes": ["SCHOOL_DROPOUT", "ZERO_EMPLOYMENT"] })).await;
        assert_eq!(theirs.len(), 1);
        assert_eq!(theirs[0]["rule"], "SCHOOL_DROPOUT");

        // The lead bureau supervises (responsibility domain): it sees every alert, but the person
        // of a family-doctor alert (health data) only with the health domain.
        let drc = app.login("bureau_drc").await;
        let response = app.graphql_with(Some(&drc), FEED,
            json!({ "filter": { "ruleCodes": ["NO_FAMILY_DOCTOR"] }, "first": 10 })).await;
        let nodes = response["data"]["alerts"]["nodes"].as_array().unwrap();
        assert_eq!(nodes.len(), 3);
        assert!(nodes.iter().all(|a| a["person"].is_null() && a["household"]["code"] == "WJH-003"));
        let error = response["errors"].as_array().unwrap().iter()
            .find(|e| e["extensions"]["field"] == "Alert.person").cloned().unwrap_or_else(|| panic!("{response}"));
        assert_eq!(error["extensions"]["code"], "FORBIDDEN_FIELD");
        let health = app.login("bureau_health").await;
        let response = app.graphql_with(Some(&health), FEED,
            json!({ "filter": { "ruleCodes": ["NO_FAMILY_DOCTOR"] }, "first": 10 })).await;
        assert!(response["data"]["alerts"]["nodes"].as_array().unwrap().iter().all(|a| a["person"]["name"].is_string()), "{response}");

        // The filters: by owning bureau code, and an unknown code is INVALID_INPUT naming the field.
        let by_bureau = whole_feed(&app, &drc, json!({ "bureauCode": "agriculture" })).await;
        assert_eq!(household_codes(&by_bureau.iter().collect::<Vec<_>>()), ["WJH-008"]);
        let response = app.graphql_with(Some(&drc), FEED, json!({ "filter": { "bureauCode": "nope" }, "first": 5 })).await;
        assert_eq!(response["errors"][0]["extensions"]["code"], "INVALID_INPUT");
        assert_eq!(response["errors"][0]["extensions"]["field"], "filter.bureauCode");
        let response = app.graphql_with(Some(&drc), FEED, json!({ "filter": {}, "first": 101 })).await;
        assert_eq!(response["errors"][0]["extensions"]["code"], "INVALID_INPUT");
        // Raised today (China time): everything; raised before today: nothing.
        let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
        let raised_today = whole_feed(&app, &drc, json!({ "raisedFrom": today, "raisedTo": today })).await;
        assert_eq!(raised_today.len(), whole_feed(&app, &drc, json!({})).await.len());
        let yesterday = today.pred_opt().unwrap();
        assert!(whole_feed(&app, &drc, json!({ "raisedTo": yesterday })).await.is_empty());
    }
}

db_test! {
    async fn the_counts_per_site_and_per_bureau_match_the_feed(app) {
        let drc = app.login("bureau_drc").await;
        let alerts = whole_feed(&app, &drc, json!({})).await;
        let mut per_site: BTreeMap<String, u64> = BTreeMap::new();
        let mut per_bureau: BTreeMap<String, u64> = BTreeMap::new();
        for alert in &alerts {
            if let Some(site) = alert["site"]["code"].as_str() {
                *per_site.entry(site.to_string()).or_default() += 1;
            }
            if let Some(bureau) = alert["owningBureau"]["code"].as_str() {
                *per_bureau.entry(bureau.to_string()).or_default() += 1;
            }
        }
        let counts = app.graphql_with(Some(&drc), COUNTS, json!({})).await;
        let counts = &counts["data"]["alertCounts"];
        let sites: BTreeMap<String, u64> = counts["bySite"].as_array().unwrap().iter()
            .map(|s| (s["site"]["code"].as_str().unwrap().to_string(), s["open"].as_u64().unwrap())).collect();
        assert_eq!(sites, per_site);
        assert_eq!(sites.len(), 2, "both demo sites have alerts");
        let bureaus: BTreeMap<String, u64> = counts["byBureau"].as_array().unwrap().iter()
            .map(|b| (b["unit"]["code"].as_str().unwrap().to_string(), b["open"].as_u64().unwrap())).collect();
        assert_eq!(bureaus, per_bureau);
        assert_eq!(counts["total"].as_u64().unwrap() as usize, alerts.len());

        // Counted for some rules only, as a dashboard tile would.
        let zero = app.graphql_with(Some(&drc), COUNTS, json!({ "rules": ["ZERO_EMPLOYMENT"] })).await;
        let zero = &zero["data"]["alertCounts"];
        assert_eq!(zero["total"], 3);
        let sites: BTreeMap<String, u64> = zero["bySite"].as_array().unwrap().iter()
            .map(|s| (s["site"]["code"].as_str().unwrap().to_string(), s["open"].as_u64().unwrap())).collect();
        assert_eq!(sites, BTreeMap::from([("HB-XZQ".to_string(), 2), ("WJH-XFJ".to_string(), 1)]));
    }
}

db_test! {
    async fn only_a_missed_visit_is_resolved_by_hand_and_stays_resolved(app) {
        let hrss = app.login("bureau_hrss").await;
        let resolve = "mutation($id: ID!, $note: String!) { resolveAlert(id: $id, note: $note) {
            id resolvedAt resolutionNote resolvedByHand resolvableByHand } }";
        // A zero-employment alert closes by the data only.
        let zero = zero_employment_alert(&app, &hrss, "HB-012").await.unwrap();
        let response = app.graphql_with(Some(&hrss), resolve, json!({ "id": zero["id"], "note": "已处理" })).await;
        assert_eq!(response["errors"][0]["extensions"]["code"], "CONFLICT", "{response}");

        let organization = app.login("bureau_organization").await;
        let visits = whole_feed(&app, &organization, json!({ "ruleCodes": ["MISSED_PARTY_VISIT"] })).await;
        assert_eq!(visits.len(), 1);
        let visit = &visits[0];
        // Not hrss's to see, so not found.
        let response = app.graphql_with(Some(&hrss), resolve, json!({ "id": visit["id"], "note": "x" })).await;
        assert_eq!(response["errors"][0]["extensions"]["code"], "NOT_FOUND", "{response}");
        // An empty note is refused.
        let response = app.graphql_with(Some(&organization), resolve, json!({ "id": visit["id"], "note": "  " })).await;
        assert_eq!(response["errors"][0]["extensions"]["field"], "note", "{response}");

        let audit_before = app.count_rows("audit_log").await;
        let done = app.graphql_with(Some(&organization), resolve,
            json!({ "id": visit["id"], "note": "已约谈该委员，9月走访因外出培训未完成，10月起恢复" })).await;
        let done = &done["data"]["resolveAlert"];
        assert_eq!(done["resolvedByHand"], true, "{done}");
        assert_eq!(done["resolvableByHand"], false);
        assert_eq!(done["resolutionNote"], "已约谈该委员，9月走访因外出培训未完成，10月起恢复");
        assert_eq!(app.count_rows("audit_log").await, audit_before + 1);
        let response = app.graphql_with(Some(&organization), resolve, json!({ "id": visit["id"], "note": "再次" })).await;
        assert_eq!(response["errors"][0]["extensions"]["code"], "CONFLICT", "{response}");

        // A later recomputation of the site (any write about its residents) does not raise it again.
        let members = app.graphql_ok(
            "query($id: ID!) { node(id: $id) { ... on Household { members { id version } } } }",
            json!({ "id": zero["household"]["id"] })).await;
        let member = &members["node"]["members"][0];
        app.graphql_ok("mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { version } }",
            json!({ "input": { "id": member["id"], "version": member["version"], "name": "改名测试" } })).await;
        assert!(whole_feed(&app, &organization, json!({ "ruleCodes": ["MISSED_PARTY_VISIT"] })).await.is_empty());
    }
}

/// PostgreSQL: every instance runs the midnight refresh, so two full refreshes run at once.
/// Both find every alert missing; both succeed and each alert is raised once (the second
/// insert yields to the first on the unique open dedupe key instead of failing).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_full_refreshes_at_once_both_succeed_and_raise_each_alert_once_on_postgres() {
    use sea_orm::{ConnectionTrait as _, Statement};

    let Some(app) = crate::TestApp::spawn(crate::DbKind::Postgres).await else {
        return;
    };
    let open_by_key = |db: sea_orm::DatabaseConnection| async move {
        db.query_all(Statement::from_string(
            db.get_database_backend(),
            "SELECT dedupe_key, COUNT(*) AS n FROM alert WHERE resolved_at IS NULL \
             GROUP BY dedupe_key ORDER BY dedupe_key",
        ))
        .await
        .expect("open alerts")
        .iter()
        .map(|row| {
            (
                row.try_get::<String>("", "dedupe_key").expect("key"),
                row.try_get::<i64>("", "n").expect("count"),
            )
        })
        .collect::<Vec<_>>()
    };
    let before = open_by_key(app.db.clone()).await;
    assert!(before.len() > 5, "the demo data raises alerts: {before:?}");
    // Resolve them all (not by hand), so that both refreshes must raise every one again.
    app.db
        .execute_unprepared("UPDATE alert SET resolved_at = now() WHERE resolved_at IS NULL")
        .await
        .expect("resolve all");

    let (first, second) = tokio::join!(
        backend::persistence::alerts::refresh_all(&app.db),
        backend::persistence::alerts::refresh_all(&app.db),
    );
    first.expect("the first refresh");
    second.expect("the second refresh");
    assert_eq!(
        open_by_key(app.db.clone()).await,
        before,
        "each alert open once again"
    );
    // The refresh keeps PostgreSQL's statistics of the table it fills up to date (its reads
    // are planned with them): the table doubled, and the planner knows.
    let row = app
        .db
        .query_one(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT CAST(c.reltuples AS BIGINT) AS estimated, \
                    (SELECT COUNT(*) FROM alert) AS actual \
             FROM pg_class c WHERE c.relname = 'alert'",
        ))
        .await
        .expect("statistics")
        .expect("the alert table");
    assert_eq!(
        row.try_get::<i64>("", "estimated").expect("estimated"),
        row.try_get::<i64>("", "actual").expect("actual"),
        "the alert table analysed by the refresh"
    );
}
