//! The smaller records of annexes 2, 3, 4 and 6 over HTTP: entrepreneurship training and
//! guaranteed loans (A2§2.1), chronic conditions and follow-ups (A3§3, audited health reads),
//! site facilities (A3§1), councils and dispute rooms (A6§2.2, A6§2.4), and the town
//! committees' monthly reviews with their alert (A6§3.1). Each write refused leaves the
//! database as it was; towns see and write their own sites only.
//!
//! The demo data is dated 2026-11-28 and plants one missing review: 王家河 in October 2026. The
//! alert expectations hold while the tests run in December 2026, like those of `alerts.rs`.
use serde_json::{json, Value};

use crate::db_test;

fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error: {response}"))
}

fn error_field(response: &Value) -> &str {
    response["errors"][0]["extensions"]["field"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error naming a field: {response}"))
}

/// `data` of a response that must have no errors.
fn ok(response: Value) -> Value {
    assert!(
        response.get("errors").is_none(),
        "unexpected errors: {response:#}"
    );
    response["data"].clone()
}

fn nodes(data: &Value, root: &str) -> Vec<Value> {
    data[root]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("no {root}.nodes in {data}"))
        .clone()
}

/// The China date today, as the server sees it.
fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// The ids of the two demo sites: (黄堡 HB-XZQ, 王家河 WJH-XFJ), as a district-wide user sees them.
async fn site_ids(app: &crate::TestApp, token: &str) -> (Value, Value) {
    let data = ok(app
        .graphql_with(
            Some(token),
            "{ sites(first: 10) { nodes { id code } } }",
            json!({}),
        )
        .await);
    let id = |code: &str| {
        nodes(&data, "sites")
            .into_iter()
            .find(|site| site["code"] == code)
            .unwrap_or_else(|| panic!("no site {code}: {data}"))["id"]
            .clone()
    };
    (id("HB-XZQ"), id("WJH-XFJ"))
}

/// The first current person of a site.
async fn a_person_of(app: &crate::TestApp, token: &str, site: &Value) -> Value {
    let data = ok(app
        .graphql_with(
            Some(token),
            "query($site: ID) { persons(first: 1, filter: { siteId: $site }) { nodes { id name } } }",
            json!({ "site": site }),
        )
        .await);
    nodes(&data, "persons")[0]["id"].clone()
}

/// The first current household of a site.
async fn a_household_of(app: &crate::TestApp, token: &str, site: &Value) -> Value {
    let data = ok(app
        .graphql_with(
            Some(token),
            "query($site: ID) { households(first: 1, filter: { siteId: $site }) { nodes { id code } } }",
            json!({ "site": site }),
        )
        .await);
    nodes(&data, "households")[0]["id"].clone()
}

async fn audit_rows(app: &crate::TestApp, action: &str) -> Vec<String> {
    use sea_orm::ConnectionTrait;
    app.db
        .query_all(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT detail FROM audit_log WHERE action = '{action}' ORDER BY id"),
        ))
        .await
        .expect("audit rows")
        .into_iter()
        .map(|row| {
            row.try_get::<Option<String>>("", "detail")
                .expect("detail")
                .unwrap_or_default()
        })
        .collect()
}

const TRAININGS: &str = "query($filter: EntrepreneurshipTrainingFilterInput) {
    entrepreneurshipTrainings(first: 50, filter: $filter) { totalCount nodes {
      id version title institutionName startsOn endsOn completed certificateNo
      resident { person { id name } household { code } site { code } } } } }";

const RECORD_TRAINING: &str = "mutation($input: RecordEntrepreneurshipTrainingInput!) {
    recordEntrepreneurshipTraining(input: $input) { id version completed endsOn resident { site { code } } } }";

const COMPLETE_TRAINING: &str = "mutation($input: CompleteEntrepreneurshipTrainingInput!) {
    completeEntrepreneurshipTraining(input: $input) { id version completed endsOn certificateNo } }";

const LOANS: &str = "query($filter: GuaranteedLoanFilterInput) {
    guaranteedLoans(first: 50, filter: $filter) { totalCount nodes {
      id version lenderName contractNo principal annualRate interestSubsidised status grantedOn dueOn repaidOn
      resident { person { id } household { code } site { code } } } } }";

const APPLY_LOAN: &str = "mutation($input: ApplyGuaranteedLoanInput!) {
    applyGuaranteedLoan(input: $input) { id version principal annualRate status resident { site { code } } } }";

const CHANGE_LOAN: &str = "mutation($input: ChangeGuaranteedLoanStatusInput!) {
    changeGuaranteedLoanStatus(input: $input) { id version status contractNo grantedOn dueOn repaidOn } }";

db_test! {
    async fn entrepreneurship_training_is_recorded_and_completed_once_it_has_ended(app) {
        // A2§2.1: the training domain is HR & social security's.
        let hrss = app.login("bureau_hrss").await;
        let (hb, wjh) = site_ids(&app, &hrss).await;
        let demo = ok(app.graphql_with(Some(&hrss), TRAININGS, json!({})).await);
        let demo = nodes(&demo, "entrepreneurshipTrainings");
        assert_eq!(demo.len(), 2, "{demo:#?}");
        assert!(demo.iter().all(|t| t["completed"] == true && t["title"] == "SYB创业培训"
            && t["institutionName"].is_string() && t["resident"]["person"]["name"].is_string()));

        let person = a_person_of(&app, &hrss, &wjh).await;
        let before = app.count_rows("entrepreneurship_training").await;
        // Refused: the course ends before it starts; and completed with an end after today.
        let refused = app.graphql_with(Some(&hrss), RECORD_TRAINING, json!({ "input": {
            "personId": person, "title": "SYB创业培训", "startsOn": "2026-11-10", "endsOn": "2026-11-09" } })).await;
        assert_eq!(error_code(&refused), "INVALID_INPUT", "{refused}");
        assert_eq!(error_field(&refused), "input.endsOn");
        let tomorrow = today().succ_opt().unwrap();
        let refused = app.graphql_with(Some(&hrss), RECORD_TRAINING, json!({ "input": {
            "personId": person, "title": "SYB创业培训", "startsOn": "2026-11-10", "endsOn": tomorrow, "completed": true } })).await;
        assert_eq!(error_code(&refused), "INVALID_INPUT", "{refused}");
        assert_eq!(app.count_rows("entrepreneurship_training").await, before, "refused writes leave nothing");

        let recorded = ok(app.graphql_with(Some(&hrss), RECORD_TRAINING, json!({ "input": {
            "personId": person, "title": "  网店创业实训  ", "startsOn": "2026-11-10" } })).await);
        let recorded = &recorded["recordEntrepreneurshipTraining"];
        assert_eq!(recorded["completed"], false);
        assert_eq!(recorded["resident"]["site"]["code"], "WJH-XFJ");
        let complete = |version: i64, ends_on: Value| json!({ "input": {
            "id": recorded["id"], "version": version, "endsOn": ends_on, "certificateNo": "SYB-2026-009" } });
        let stale = app.graphql_with(Some(&hrss), COMPLETE_TRAINING, complete(7, json!("2026-11-20"))).await;
        assert_eq!(error_code(&stale), "CONFLICT", "{stale}");
        let early = app.graphql_with(Some(&hrss), COMPLETE_TRAINING, complete(1, json!("2026-11-09"))).await;
        assert_eq!(error_field(&early), "input.endsOn", "{early}");
        let done = ok(app.graphql_with(Some(&hrss), COMPLETE_TRAINING, complete(1, json!("2026-11-20"))).await);
        let done = &done["completeEntrepreneurshipTraining"];
        assert_eq!((done["version"].as_i64(), &done["completed"], &done["certificateNo"]),
            (Some(2), &json!(true), &json!("SYB-2026-009")));
        let again = app.graphql_with(Some(&hrss), COMPLETE_TRAINING, complete(2, json!("2026-11-20"))).await;
        assert_eq!(error_code(&again), "CONFLICT", "{again}");

        let wjh_only = ok(app.graphql_with(Some(&hrss), TRAININGS, json!({ "filter": { "siteId": wjh } })).await);
        let wjh_only = nodes(&wjh_only, "entrepreneurshipTrainings");
        assert!(wjh_only.iter().all(|t| t["resident"]["site"]["code"] == "WJH-XFJ"));
        assert!(wjh_only.iter().any(|t| t["id"] == recorded["id"]));
        let open = ok(app.graphql_with(Some(&hrss), TRAININGS, json!({ "filter": { "siteId": hb, "completed": false } })).await);
        assert!(nodes(&open, "entrepreneurshipTrainings").is_empty());

        // Towns hold no training domain: the list is refused, and so is a write.
        let town = app.login("town_610202004").await;
        let refused = app.graphql_with(Some(&town), TRAININGS, json!({})).await;
        assert_eq!(error_code(&refused), "FORBIDDEN_FIELD", "{refused}");
        let refused = app.graphql_with(Some(&town), RECORD_TRAINING, json!({ "input": {
            "personId": person, "title": "x", "startsOn": "2026-11-10" } })).await;
        assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
        assert_eq!(app.count_rows("entrepreneurship_training").await, before + 1);
    }
}

db_test! {
    async fn a_guaranteed_loan_moves_from_application_to_repayment_within_its_towns(app) {
        // A2§2.1: 创业担保贷款, the employment domain (towns write it for their own sites).
        let hrss = app.login("bureau_hrss").await;
        let wjh_town = app.login("town_610202004").await;
        let (hb, wjh) = site_ids(&app, &hrss).await;
        let demo = ok(app.graphql_with(Some(&hrss), LOANS, json!({})).await);
        let demo = nodes(&demo, "guaranteedLoans");
        assert_eq!(demo.len(), 2);
        let granted = demo.iter().find(|l| l["status"] == "GRANTED").expect("the granted demo loan");
        assert_eq!((&granted["principal"], &granted["annualRate"], &granted["contractNo"]),
            (&json!("100000.00"), &json!("3.85"), &json!("DB-2026-001")));

        let hb_person = a_person_of(&app, &hrss, &hb).await;
        let wjh_person = a_person_of(&app, &wjh_town, &wjh).await;
        let before = app.count_rows("guaranteed_loan").await;
        // The town of 王家河 may not apply for a 黄堡 resident: as if the person did not exist.
        let apply = |person: &Value, principal: &str, rate: &str| json!({ "input": {
            "personId": person, "lenderName": "铜川某农村商业银行", "principal": principal,
            "annualRate": rate, "businessDescription": "开设社区超市" } });
        let refused = app.graphql_with(Some(&wjh_town), APPLY_LOAN, apply(&hb_person, "50000", "3.85")).await;
        assert_eq!(error_code(&refused), "NOT_FOUND", "{refused}");
        for (principal, rate, field) in [("0", "3.85", "input.principal"), ("50000", "100.01", "input.annualRate"),
                                         ("5万", "3.85", "input.principal")] {
            let refused = app.graphql_with(Some(&wjh_town), APPLY_LOAN, apply(&wjh_person, principal, rate)).await;
            assert_eq!(error_field(&refused), field, "{principal} {rate}: {refused}");
        }
        assert_eq!(app.count_rows("guaranteed_loan").await, before, "refused writes leave nothing");

        let applied = ok(app.graphql_with(Some(&wjh_town), APPLY_LOAN, apply(&wjh_person, "50000.5", "3.85")).await);
        let applied = &applied["applyGuaranteedLoan"];
        assert_eq!((&applied["status"], &applied["principal"], &applied["annualRate"]),
            (&json!("APPLIED"), &json!("50000.50"), &json!("3.85")));
        // The town sees its own residents' loans only; the district sees all.
        let theirs = ok(app.graphql_with(Some(&wjh_town), LOANS, json!({})).await);
        let theirs = nodes(&theirs, "guaranteedLoans");
        assert!(theirs.iter().all(|l| l["resident"]["site"]["code"] == "WJH-XFJ"), "{theirs:#?}");
        assert!(theirs.iter().any(|l| l["id"] == applied["id"]));
        let hb_town = app.login("town_610202100").await;
        let hidden = ok(app.graphql_with(Some(&hb_town), LOANS, json!({ "filter": { "statuses": ["APPLIED"] } })).await);
        assert!(nodes(&hidden, "guaranteedLoans").iter().all(|l| l["id"] != applied["id"]));
        let refused = app.graphql_with(Some(&hb_town), CHANGE_LOAN, json!({ "input": {
            "id": applied["id"], "version": 1, "status": "REJECTED" } })).await;
        assert_eq!(error_code(&refused), "NOT_FOUND", "{refused}");

        // Granting needs a contract and a due day after the grant; repaying before it is due
        // is allowed, marking it overdue before the due day is not.
        let change = |version: i64, input: Value| {
            let mut input = input;
            input["id"] = applied["id"].clone();
            input["version"] = json!(version);
            json!({ "input": input })
        };
        let refused = app.graphql_with(Some(&wjh_town), CHANGE_LOAN, change(1, json!({
            "status": "GRANTED", "contractNo": "DB-2026-017", "grantedOn": "2026-11-20", "dueOn": "2026-11-20" }))).await;
        assert_eq!(error_field(&refused), "input.dueOn", "{refused}");
        let refused = app.graphql_with(Some(&wjh_town), CHANGE_LOAN, change(1, json!({ "status": "REPAID", "repaidOn": "2026-11-20" }))).await;
        assert_eq!(error_code(&refused), "CONFLICT", "{refused}");
        let unchanged = ok(app.graphql_with(Some(&wjh_town), LOANS, json!({ "filter": { "statuses": ["APPLIED"] } })).await);
        let unchanged = nodes(&unchanged, "guaranteedLoans").into_iter().find(|l| l["id"] == applied["id"]).unwrap();
        assert_eq!((unchanged["version"].as_i64(), &unchanged["contractNo"]), (Some(1), &Value::Null));

        let granted = ok(app.graphql_with(Some(&wjh_town), CHANGE_LOAN, change(1, json!({
            "status": "GRANTED", "contractNo": "DB-2026-017", "grantedOn": "2026-11-20", "dueOn": "2028-11-19" }))).await);
        assert_eq!(granted["changeGuaranteedLoanStatus"]["status"], "GRANTED");
        let refused = app.graphql_with(Some(&wjh_town), CHANGE_LOAN, change(2, json!({ "status": "OVERDUE" }))).await;
        assert_eq!(error_code(&refused), "CONFLICT", "{refused}");
        let repaid = ok(app.graphql_with(Some(&hrss), CHANGE_LOAN, change(2, json!({ "status": "REPAID", "repaidOn": "2026-11-25" }))).await);
        let repaid = &repaid["changeGuaranteedLoanStatus"];
        assert_eq!((repaid["version"].as_i64(), &repaid["status"], &repaid["repaidOn"]),
            (Some(3), &json!("REPAID"), &json!("2026-11-25")));
        let stale = app.graphql_with(Some(&hrss), CHANGE_LOAN, change(2, json!({ "status": "OVERDUE" }))).await;
        assert_eq!(error_code(&stale), "CONFLICT", "{stale}");
    }
}

const CONDITIONS: &str = "query($filter: ChronicConditionFilterInput) {
    chronicConditions(first: 100, filter: $filter) { totalCount nodes {
      id version conditionCode conditionName underManagement seriousIllness resolvedOn
      resident { person { id } household { code } site { code } } } } }";

const RECORD_CONDITION: &str = "mutation($input: RecordChronicConditionInput!) {
    recordChronicCondition(input: $input) { id version conditionCode underManagement } }";

const UPDATE_CONDITION: &str = "mutation($input: UpdateChronicConditionInput!) {
    updateChronicCondition(input: $input) { id version underManagement resolvedOn } }";

const FOLLOW_UPS: &str = "query($filter: HealthFollowUpFilterInput) {
    healthFollowUps(first: 100, filter: $filter) { totalCount nodes {
      id followedUpOn nextDueOn overdue method conditionName contractId
      resident { person { id } site { code } } } } }";

const RECORD_FOLLOW_UP: &str = "mutation($input: RecordHealthFollowUpInput!) {
    recordHealthFollowUp(input: $input) { id method conditionName nextDueOn overdue } }";

db_test! {
    async fn chronic_conditions_need_the_health_domain_and_every_read_is_audited(app) {
        // A3§3; health is sensitive personal information (PIPL).
        let health = app.login("bureau_health").await;
        let (_hb, wjh) = site_ids(&app, &health).await;
        let audits = audit_rows(&app, "read.sensitive").await.len();
        let all = ok(app.graphql_with(Some(&health), CONDITIONS, json!({})).await);
        let all = nodes(&all, "chronicConditions");
        assert!(!all.is_empty());
        let audited = audit_rows(&app, "read.sensitive").await;
        assert_eq!(audited.len(), audits + 1, "one audit entry per read");
        let detail: Value = serde_json::from_str(audited.last().unwrap()).unwrap();
        assert_eq!(detail["domain"], "health");
        assert_eq!(detail["fields"], "Query.chronicConditions");
        let person_ids = detail["person_ids"].as_array().unwrap();
        assert!(!person_ids.is_empty() && person_ids.len() <= all.len());

        // A bureau without the health domain gets nothing, and nothing is audited.
        let hrss = app.login("bureau_hrss").await;
        let refused = app.graphql_with(Some(&hrss), CONDITIONS, json!({})).await;
        assert_eq!(error_code(&refused), "FORBIDDEN_FIELD", "{refused}");
        assert!(refused["data"].is_null() || refused["data"]["chronicConditions"].is_null());
        assert_eq!(audit_rows(&app, "read.sensitive").await.len(), audits + 1);

        // The town of 王家河 reads its own residents' conditions only, and writes none.
        let town = app.login("town_610202004").await;
        let theirs = ok(app.graphql_with(Some(&town), CONDITIONS, json!({})).await);
        let theirs = nodes(&theirs, "chronicConditions");
        assert!(theirs.iter().all(|c| c["resident"]["site"]["code"] == "WJH-XFJ"), "{theirs:#?}");
        let at_wjh = all.iter().filter(|c| c["resident"]["site"]["code"] == "WJH-XFJ").count();
        assert_eq!(theirs.len(), at_wjh);
        assert_eq!(audit_rows(&app, "read.sensitive").await.len(), audits + 2);

        let person = a_person_of(&app, &health, &wjh).await;
        let before = app.count_rows("chronic_condition").await;
        let refused = app.graphql_with(Some(&town), RECORD_CONDITION, json!({ "input": {
            "personId": person, "conditionCode": "I10", "conditionName": "高血压" } })).await;
        assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
        for (code, field) in [("高血压", "input.conditionCode"), ("I1", "input.conditionCode")] {
            let refused = app.graphql_with(Some(&health), RECORD_CONDITION, json!({ "input": {
                "personId": person, "conditionCode": code, "conditionName": "高血压" } })).await;
            assert_eq!(error_field(&refused), field, "{code}: {refused}");
        }
        let refused = app.graphql_with(Some(&health), RECORD_CONDITION, json!({ "input": {
            "personId": person, "conditionCode": "J44", "conditionName": "慢阻肺", "diagnosedOn": today().succ_opt().unwrap() } })).await;
        assert_eq!(error_field(&refused), "input.diagnosedOn", "{refused}");
        assert_eq!(app.count_rows("chronic_condition").await, before, "refused writes leave nothing");

        let recorded = ok(app.graphql_with(Some(&health), RECORD_CONDITION, json!({ "input": {
            "personId": person, "conditionCode": "j44.9", "conditionName": "慢性阻塞性肺疾病", "diagnosedOn": "2025-03-02" } })).await);
        let recorded = &recorded["recordChronicCondition"];
        assert_eq!((&recorded["conditionCode"], &recorded["underManagement"]), (&json!("J44.9"), &json!(true)));
        let twice = app.graphql_with(Some(&health), RECORD_CONDITION, json!({ "input": {
            "personId": person, "conditionCode": "J44.9", "conditionName": "慢阻肺" } })).await;
        assert_eq!(error_code(&twice), "CONFLICT", "{twice}");

        // A follow-up of the condition: the next one is due after it.
        let refused = app.graphql_with(Some(&health), RECORD_FOLLOW_UP, json!({ "input": {
            "personId": person, "chronicConditionId": recorded["id"], "followedUpOn": "2026-11-20",
            "method": "HOME_VISIT", "byName": "家庭医生", "nextDueOn": "2026-11-20" } })).await;
        assert_eq!(error_field(&refused), "input.nextDueOn", "{refused}");
        let follow_up = ok(app.graphql_with(Some(&health), RECORD_FOLLOW_UP, json!({ "input": {
            "personId": person, "chronicConditionId": recorded["id"], "followedUpOn": "2026-11-20",
            "method": "HOME_VISIT", "byName": "家庭医生", "notes": "肺功能复查", "nextDueOn": "2027-02-20" } })).await);
        let follow_up = &follow_up["recordHealthFollowUp"];
        assert_eq!((&follow_up["conditionName"], &follow_up["overdue"]), (&json!("慢性阻塞性肺疾病"), &json!(false)));

        // Resolving ends the management; a stale version is refused.
        let stale = app.graphql_with(Some(&health), UPDATE_CONDITION, json!({ "input": {
            "id": recorded["id"], "version": 9, "resolvedOn": "2026-11-25" } })).await;
        assert_eq!(error_code(&stale), "CONFLICT", "{stale}");
        let refused = app.graphql_with(Some(&health), UPDATE_CONDITION, json!({ "input": {
            "id": recorded["id"], "version": 1, "resolvedOn": "2025-03-01" } })).await;
        assert_eq!(error_field(&refused), "input.resolvedOn", "{refused}");
        let resolved = ok(app.graphql_with(Some(&health), UPDATE_CONDITION, json!({ "input": {
            "id": recorded["id"], "version": 1, "resolvedOn": "2026-11-25" } })).await);
        let resolved = &resolved["updateChronicCondition"];
        assert_eq!((resolved["version"].as_i64(), &resolved["underManagement"]), (Some(2), &json!(false)));

        // The follow-ups overdue today (the demo plants one, due in October) are listed, audited.
        let audits = audit_rows(&app, "read.sensitive").await.len();
        let overdue = ok(app.graphql_with(Some(&health), FOLLOW_UPS, json!({ "filter": { "nextDueBefore": today() } })).await);
        let overdue = nodes(&overdue, "healthFollowUps");
        assert!(!overdue.is_empty());
        assert!(overdue.iter().all(|f| f["overdue"] == true), "{overdue:#?}");
        let audited = audit_rows(&app, "read.sensitive").await;
        assert_eq!(audited.len(), audits + 1);
        assert!(audited.last().unwrap().contains("Query.healthFollowUps"));
    }
}

const FACILITIES: &str = "query($site: ID) { siteFacilities(siteId: $site) {
    id version kind name status openedOn capacity site { code } } }";

const ADD_FACILITY: &str = "mutation($input: AddSiteFacilityInput!) {
    addSiteFacility(input: $input) { id version kind status openedOn site { code } } }";

const UPDATE_FACILITY: &str = "mutation($input: UpdateSiteFacilityInput!) {
    updateSiteFacility(input: $input) { id version status openedOn } }";

db_test! {
    async fn a_town_adds_and_opens_facilities_of_its_own_sites_only(app) {
        // A3§1: elderly day care and convenience points; the public_services domain.
        let town = app.login("town_610202100").await;
        let housing = app.login("bureau_housing").await;
        let (hb, wjh) = site_ids(&app, &housing).await;
        let theirs = ok(app.graphql_with(Some(&town), FACILITIES, json!({})).await);
        let theirs = theirs["siteFacilities"].as_array().unwrap().clone();
        assert_eq!(theirs.len(), 3, "{theirs:#?}");
        assert!(theirs.iter().all(|f| f["site"]["code"] == "HB-XZQ"));
        assert!(theirs.iter().any(|f| f["kind"] == "ELDERLY_DAY_CARE" && f["status"] == "OPEN"));
        let other = ok(app.graphql_with(Some(&town), FACILITIES, json!({ "site": wjh })).await);
        assert!(other["siteFacilities"].as_array().unwrap().is_empty(), "another town's site shows nothing");

        let before = app.count_rows("site_facility").await;
        let refused = app.graphql_with(Some(&town), ADD_FACILITY, json!({ "input": {
            "siteId": wjh, "kind": "CONVENIENCE_POINT", "name": "第二便民服务点" } })).await;
        assert_eq!(error_code(&refused), "NOT_FOUND", "{refused}");
        let refused = app.graphql_with(Some(&town), ADD_FACILITY, json!({ "input": {
            "siteId": hb, "kind": "CONVENIENCE_POINT", "name": "便民超市", "status": "OPEN" } })).await;
        assert_eq!(error_field(&refused), "input.openedOn", "{refused}");
        let refused = app.graphql_with(Some(&town), ADD_FACILITY, json!({ "input": {
            "siteId": hb, "kind": "CONVENIENCE_POINT", "name": "便民超市", "capacity": -1 } })).await;
        assert_eq!(error_field(&refused), "input.capacity", "{refused}");
        assert_eq!(app.count_rows("site_facility").await, before, "refused writes leave nothing");

        let added = ok(app.graphql_with(Some(&town), ADD_FACILITY, json!({ "input": {
            "siteId": hb, "kind": "CONVENIENCE_POINT", "name": "便民超市", "openedOn": "2027-03-01" } })).await);
        let added = &added["addSiteFacility"];
        assert_eq!((&added["status"], &added["site"]["code"]), (&json!("PLANNED"), &json!("HB-XZQ")));
        // Opening needs a day that has come; then it may close, never go back to planned.
        let update = |version: i64, input: Value| {
            let mut input = input;
            input["id"] = added["id"].clone();
            input["version"] = json!(version);
            json!({ "input": input })
        };
        let refused = app.graphql_with(Some(&town), UPDATE_FACILITY, update(1, json!({ "status": "OPEN" }))).await;
        assert_eq!(error_field(&refused), "input.openedOn", "{refused}");
        let opened = ok(app.graphql_with(Some(&town), UPDATE_FACILITY, update(1, json!({ "status": "OPEN", "openedOn": today() }))).await);
        assert_eq!(opened["updateSiteFacility"]["version"], 2);
        let refused = app.graphql_with(Some(&town), UPDATE_FACILITY, update(2, json!({ "status": "PLANNED" }))).await;
        assert_eq!(error_code(&refused), "CONFLICT", "{refused}");
        let stale = app.graphql_with(Some(&town), UPDATE_FACILITY, update(1, json!({ "status": "CLOSED" }))).await;
        assert_eq!(error_code(&stale), "CONFLICT", "{stale}");

        // The housing bureau (public services, district-wide) sees both sites.
        let all = ok(app.graphql_with(Some(&housing), FACILITIES, json!({})).await);
        assert_eq!(all["siteFacilities"].as_array().unwrap().len(), 6);
    }
}

const COUNCILS: &str = "query($site: ID) { siteCouncils(siteId: $site) { id version kind name memberCount active site { code } } }";

const ESTABLISH_COUNCIL: &str = "mutation($input: EstablishSiteCouncilInput!) {
    establishSiteCouncil(input: $input) { id version kind site { code } } }";

const ROOMS: &str =
    "query($site: ID) { disputeRooms(siteId: $site) { id version name active site { code } } }";

const CASES: &str = "query($filter: DisputeCaseFilterInput) { disputeCases(first: 50, filter: $filter) {
    totalCount nodes { id version status resolvedOn outcome roomName site { code } household { code } } } }";

const RECEIVE_CASE: &str = "mutation($input: ReceiveDisputeCaseInput!) {
    receiveDisputeCase(input: $input) { id version status site { code } household { code } } }";

const SETTLE_CASE: &str = "mutation($input: SettleDisputeCaseInput!) {
    settleDisputeCase(input: $input) { id version status resolvedOn outcome } }";

db_test! {
    async fn councils_and_dispute_rooms_keep_one_council_of_a_kind_and_settle_cases_once(app) {
        // A6§2.4 councils, A6§2.2 说事室; the governance domain (civil affairs, the towns).
        let civil = app.login("bureau_civil_affairs").await;
        let (hb, wjh) = site_ids(&app, &civil).await;
        let councils = ok(app.graphql_with(Some(&civil), COUNCILS, json!({})).await);
        assert_eq!(councils["siteCouncils"].as_array().unwrap().len(), 7);
        let before = app.count_rows("site_council").await;
        let refused = app.graphql_with(Some(&civil), ESTABLISH_COUNCIL, json!({ "input": {
            "siteId": hb, "kind": "DELIBERATION_COUNCIL", "name": "第二议事会" } })).await;
        assert_eq!(error_code(&refused), "CONFLICT", "{refused}");
        let refused = app.graphql_with(Some(&civil), ESTABLISH_COUNCIL, json!({ "input": {
            "siteId": wjh, "kind": "ETHICS_COUNCIL", "name": "道德评议会", "memberCount": -3 } })).await;
        assert_eq!(error_field(&refused), "input.memberCount", "{refused}");
        assert_eq!(app.count_rows("site_council").await, before, "refused writes leave nothing");
        let established = ok(app.graphql_with(Some(&civil), ESTABLISH_COUNCIL, json!({ "input": {
            "siteId": wjh, "kind": "ETHICS_COUNCIL", "name": "幸福居道德评议会", "memberCount": 7, "establishedOn": "2026-11-01" } })).await);
        assert_eq!(established["establishSiteCouncil"]["site"]["code"], "WJH-XFJ");

        let rooms = ok(app.graphql_with(Some(&civil), ROOMS, json!({ "site": wjh })).await);
        let room = rooms["disputeRooms"][0].clone();
        assert_eq!(room["site"]["code"], "WJH-XFJ");
        let hb_household = a_household_of(&app, &civil, &hb).await;
        let wjh_household = a_household_of(&app, &civil, &wjh).await;
        let cases_before = app.count_rows("dispute_case").await;
        let receive = |household: &Value, received_on: Value| json!({ "input": {
            "roomId": room["id"], "householdId": household, "receivedOn": received_on,
            "summary": "楼上漏水纠纷", "mediatorName": "调解员" } });
        let refused = app.graphql_with(Some(&civil), RECEIVE_CASE, receive(&hb_household, json!("2026-11-20"))).await;
        assert_eq!(error_field(&refused), "input.householdId", "{refused}");
        let refused = app.graphql_with(Some(&civil), RECEIVE_CASE, receive(&wjh_household, json!("2021-03-31"))).await;
        assert_eq!(error_field(&refused), "input.receivedOn", "before the room opened: {refused}");
        // The town of 黄堡 may not receive cases in 王家河's room.
        let hb_town = app.login("town_610202100").await;
        let refused = app.graphql_with(Some(&hb_town), RECEIVE_CASE, receive(&wjh_household, json!("2026-11-20"))).await;
        assert_eq!(error_code(&refused), "NOT_FOUND", "{refused}");
        assert_eq!(app.count_rows("dispute_case").await, cases_before, "refused writes leave nothing");

        let received = ok(app.graphql_with(Some(&civil), RECEIVE_CASE, receive(&wjh_household, json!("2026-11-20"))).await);
        let case = received["receiveDisputeCase"].clone();
        assert_eq!((&case["status"], &case["site"]["code"]), (&json!("OPEN"), &json!("WJH-XFJ")));
        let settle = |version: i64, status: &str, on: &str, outcome: &str| json!({ "input": {
            "id": case["id"], "version": version, "status": status, "resolvedOn": on, "outcome": outcome } });
        let refused = app.graphql_with(Some(&civil), SETTLE_CASE, settle(1, "MEDIATED", "2026-11-19", "双方和解")).await;
        assert_eq!(error_field(&refused), "input.resolvedOn", "{refused}");
        let refused = app.graphql_with(Some(&civil), SETTLE_CASE, settle(1, "MEDIATED", "2026-11-21", " ")).await;
        assert_eq!(error_field(&refused), "input.outcome", "{refused}");
        let mediated = ok(app.graphql_with(Some(&civil), SETTLE_CASE, settle(1, "MEDIATED", "2026-11-21", "双方和解，维修费用分担")).await);
        assert_eq!(mediated["settleDisputeCase"]["version"], 2);
        let twice = app.graphql_with(Some(&civil), SETTLE_CASE, settle(2, "MEDIATED", "2026-11-22", "再次")).await;
        assert_eq!(error_code(&twice), "CONFLICT", "{twice}");
        let closed = ok(app.graphql_with(Some(&civil), SETTLE_CASE, settle(2, "CLOSED", "2026-11-22", "已回访，结案")).await);
        assert_eq!(closed["settleDisputeCase"]["status"], "CLOSED");

        // Each town lists its own sites' cases; a closed room takes no new case.
        let theirs = ok(app.graphql_with(Some(&hb_town), CASES, json!({})).await);
        let theirs = nodes(&theirs, "disputeCases");
        assert!(!theirs.is_empty() && theirs.iter().all(|c| c["site"]["code"] == "HB-XZQ"), "{theirs:#?}");
        let wjh_cases = ok(app.graphql_with(Some(&civil), CASES, json!({ "filter": { "siteId": wjh, "statuses": ["CLOSED"] } })).await);
        assert_eq!(nodes(&wjh_cases, "disputeCases").len(), 1);
        ok(app.graphql_with(Some(&civil), "mutation($input: UpdateDisputeRoomInput!) { updateDisputeRoom(input: $input) { active } }",
            json!({ "input": { "id": room["id"], "version": room["version"], "active": false } })).await);
        let refused = app.graphql_with(Some(&civil), RECEIVE_CASE, receive(&wjh_household, json!("2026-11-23"))).await;
        assert_eq!(error_code(&refused), "CONFLICT", "{refused}");
    }
}

const FEED: &str = "query($filter: AlertFilterInput) { alerts(filter: $filter, first: 100) {
    totalCount nodes { id rule clause severity message resolvedAt resolutionNote resolvableByHand
      owningBureau { code } town { code } site { code } } } }";

const GAPS: &str = "query($site: ID, $from: String, $through: String) {
    townReviewGaps(siteId: $site, from: $from, through: $through) {
      site { code } from through occupiedSince reviewCount lastReviewedOn missingMonths } }";

const RECORD_REVIEW: &str = "mutation($input: RecordTownCommitteeReviewInput!) {
    recordTownCommitteeReview(input: $input) { id reviewedOn town { divisionCode } site { code } organisationName } }";

fn missed_reviews(feed: &Value) -> Vec<Value> {
    nodes(feed, "alerts")
        .into_iter()
        .filter(|alert| alert["rule"] == "MISSED_TOWN_REVIEW")
        .collect()
}

db_test! {
    async fn a_month_without_a_town_review_is_an_alert_until_the_review_is_recorded(app) {
        // A6§3.1: 镇（街道）党委每月至少研判一次安置点党建工作. The demo skips 王家河 in October.
        let organization = app.login("bureau_organization").await;
        let open = json!({ "filter": { "ruleCodes": ["MISSED_TOWN_REVIEW"] } });
        let feed = ok(app.graphql_with(Some(&organization), FEED, open.clone()).await);
        let alerts = missed_reviews(&feed);
        assert_eq!(alerts.len(), 1, "{alerts:#?}");
        let alert = &alerts[0];
        assert_eq!((&alert["clause"], &alert["severity"], &alert["owningBureau"]["code"], &alert["town"]["code"], &alert["site"]["code"]),
            (&json!("A6§3.1"), &json!("WARNING"), &json!("organization"), &json!("610202004"), &json!("WJH-XFJ")));
        assert!(alert["message"].as_str().unwrap().contains("2026年10月"), "{alert}");
        assert_eq!(alert["resolvableByHand"], true);

        let gaps = ok(app.graphql_with(Some(&organization), GAPS, json!({})).await);
        let gaps = gaps["townReviewGaps"].as_array().unwrap().clone();
        let of = |code: &str| gaps.iter().find(|g| g["site"]["code"] == code).cloned().unwrap();
        assert_eq!(of("WJH-XFJ")["missingMonths"], json!(["2026-10"]));
        assert_eq!(of("HB-XZQ")["missingMonths"], json!([]));
        assert_eq!((&of("WJH-XFJ")["from"], &of("WJH-XFJ")["through"], &of("WJH-XFJ")["reviewCount"]),
            (&json!("2026-01"), &json!("2026-11"), &json!(10)));
        let refused = app.graphql_with(Some(&organization), GAPS, json!({ "from": "2026-12", "through": "2026-12" })).await;
        assert_eq!(error_field(&refused), "through", "the running month is not judged: {refused}");
        let refused = app.graphql_with(Some(&organization), GAPS, json!({ "from": "2026-11", "through": "2026-10" })).await;
        assert_eq!(error_field(&refused), "from", "{refused}");
        let october = ok(app.graphql_with(Some(&organization), GAPS, json!({ "from": "2026-10", "through": "2026-10" })).await);
        assert_eq!(october["townReviewGaps"].as_array().unwrap().len(), 2);

        // It is the town of 王家河's alert: 黄堡's town does not see it, and may not record the review.
        let hb_town = app.login("town_610202100").await;
        assert!(missed_reviews(&ok(app.graphql_with(Some(&hb_town), FEED, open.clone()).await)).is_empty());
        let wjh_town = app.login("town_610202004").await;
        assert_eq!(missed_reviews(&ok(app.graphql_with(Some(&wjh_town), FEED, open.clone()).await)).len(), 1);
        let (_hb, wjh) = site_ids(&app, &organization).await;
        let before = app.count_rows("town_committee_review").await;
        let review = |reviewed_on: Value| json!({ "input": {
            "siteId": wjh, "reviewedOn": reviewed_on, "reviewerName": "街道党工委委员",
            "findings": "补记：10月研判安置点党建工作", "followUp": "按月研判" } });
        let refused = app.graphql_with(Some(&hb_town), RECORD_REVIEW, review(json!("2026-10-28"))).await;
        assert_eq!(error_code(&refused), "NOT_FOUND", "{refused}");
        let refused = app.graphql_with(Some(&wjh_town), RECORD_REVIEW, review(json!(today().succ_opt().unwrap()))).await;
        assert_eq!(error_field(&refused), "input.reviewedOn", "{refused}");
        assert_eq!(app.count_rows("town_committee_review").await, before, "refused writes leave nothing");
        assert_eq!(missed_reviews(&ok(app.graphql_with(Some(&organization), FEED, open.clone()).await)).len(), 1,
            "a refused write leaves the alert open");

        // Recording the October review closes the alert in the same request.
        let recorded = ok(app.graphql_with(Some(&wjh_town), RECORD_REVIEW, review(json!("2026-10-28"))).await);
        let recorded = &recorded["recordTownCommitteeReview"];
        assert_eq!((&recorded["town"]["divisionCode"], &recorded["site"]["code"], &recorded["organisationName"]),
            (&json!("610202004"), &json!("WJH-XFJ"), &Value::Null));
        assert!(missed_reviews(&ok(app.graphql_with(Some(&organization), FEED, open).await)).is_empty());
        let closed = ok(app.graphql_with(Some(&organization), FEED,
            json!({ "filter": { "ruleCodes": ["MISSED_TOWN_REVIEW"], "open": false } })).await);
        let closed = missed_reviews(&closed);
        assert_eq!(closed.len(), 1);
        assert_eq!(closed[0]["id"], alert["id"]);
        assert_eq!(closed[0]["resolutionNote"], "数据已更新，规则不再违反");
        let gaps = ok(app.graphql_with(Some(&wjh_town), GAPS, json!({})).await);
        let gaps = gaps["townReviewGaps"].as_array().unwrap().clone();
        assert_eq!(gaps.len(), 1, "the town checks its own site only");
        assert_eq!(gaps[0]["missingMonths"], json!([]));

        // The reviews are listed for party readers, and each read is audited.
        let audits = audit_rows(&app, "read.party").await.len();
        let listed = ok(app.graphql_with(Some(&wjh_town),
            "query($site: ID) { townCommitteeReviews(first: 50, filter: { siteId: $site, from: \"2026-10-01\", through: \"2026-10-31\" }) { totalCount nodes { id reviewedOn } } }",
            json!({ "site": wjh })).await);
        assert_eq!(listed["townCommitteeReviews"]["totalCount"], 1);
        assert_eq!(nodes(&listed, "townCommitteeReviews")[0]["id"], recorded["id"]);
        assert_eq!(audit_rows(&app, "read.party").await.len(), audits + 1);
    }
}
