//! The responsibility list over HTTP (A7§1–2): one responsible unit per task, reports and their
//! review, derived statuses that turn yellow and red as deadlines pass, extensions, evidence.
use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};

use crate::{db_test, TestApp};

const CREATE: &str =
    "mutation($input: CreateTaskInput!) { createResponsibilityTask(input: $input) {
    id code status deadline responsibleUnit { kind code } cooperatingUnits { code } version } }";

const TASK: &str = "query($id: ID!, $asOf: NaiveDate) { responsibilityTask(id: $id, asOf: $asOf) {
    id code status progressPercent deadline completedOn daysLeft myInvolvement
    stageGoals { id seq deadline status }
    progressReports { id percentComplete status reviewComment reportedBy reviewedBy }
    extensionRequests { id status currentDeadline requestedDeadline decidedBy }
    history { kind statusBefore statusAfter actor note } } }";

const SUBMIT: &str =
    "mutation($input: SubmitProgressReportInput!) { submitProgressReport(input: $input) {
    id percentComplete status reportedBy } }";

const REVIEW: &str =
    "mutation($input: ReviewProgressReportInput!) { reviewProgressReport(input: $input) {
    id status reviewComment reviewedBy } }";

fn today() -> NaiveDate {
    backend::clock::today_in_china()
}

fn task_input(code: &str, deadline: NaiveDate) -> Value {
    json!({
        "code": code,
        "title": "测试任务：零就业家庭一对一推送岗位",
        "annex": 2,
        "clauseRef": "A2§1",
        "leadLeaderName": "分管副区长",
        "responsibleBureauCode": "hrss",
        "cooperatingBureauCodes": ["finance"],
        "deadline": deadline,
        "stageGoals": [{ "goal": "建立岗位信息库", "deadline": deadline - Duration::days(10) }]
    })
}

/// Logs in as the lead bureau and creates a task for HR & social security due in `days`.
async fn create_task(app: &TestApp, code: &str, days: i64) -> (String, Value) {
    let drc = app.login("bureau_drc").await;
    let response = app
        .graphql_with(
            Some(&drc),
            CREATE,
            json!({ "input": task_input(code, today() + Duration::days(days)) }),
        )
        .await;
    let task = response["data"]["createResponsibilityTask"].clone();
    assert!(task.is_object(), "{response}");
    (drc, task)
}

fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error: {response}"))
}

db_test! {
    async fn the_lead_bureau_creates_a_task_with_exactly_one_responsible_unit(app) {
        let (drc, task) = create_task(&app, "RT-T-001", 40).await;
        assert_eq!(task["responsibleUnit"], json!({ "kind": "BUREAU", "code": "hrss" }));
        assert_eq!(task["cooperatingUnits"], json!([{ "code": "finance" }]));
        assert_eq!(task["status"], "NOT_STARTED");
        let tasks_before = app.count_rows("responsibility_task").await;

        // A7§2: a bureau and a town at once, or neither, is refused.
        let mut both = task_input("RT-T-002", today() + Duration::days(40));
        both["responsibleTownCode"] = json!("610202100");
        let response = app.graphql_with(Some(&drc), CREATE, json!({ "input": both })).await;
        assert_eq!(error_code(&response), "INVALID_INPUT");
        assert!(response["errors"][0]["message"].as_str().unwrap().contains("A7§2"), "{response}");
        let mut neither = task_input("RT-T-002", today() + Duration::days(40));
        neither["responsibleBureauCode"] = Value::Null;
        let response = app.graphql_with(Some(&drc), CREATE, json!({ "input": neither })).await;
        assert_eq!(error_code(&response), "INVALID_INPUT");

        // The responsible bureau cannot also co-operate.
        let mut cooperating = task_input("RT-T-002", today() + Duration::days(40));
        cooperating["cooperatingBureauCodes"] = json!(["finance", "hrss"]);
        let response = app.graphql_with(Some(&drc), CREATE, json!({ "input": cooperating })).await;
        assert_eq!(error_code(&response), "INVALID_INPUT");
        assert!(response["errors"][0]["message"].as_str().unwrap().contains("cannot also be a co-operating"), "{response}");

        // A duplicate code is a conflict; a bureau without the responsibility domain is refused.
        let response = app.graphql_with(Some(&drc), CREATE, json!({ "input": task_input("RT-T-001", today()) })).await;
        assert_eq!(error_code(&response), "CONFLICT");
        let hrss = app.login("bureau_hrss").await;
        let response = app.graphql_with(Some(&hrss), CREATE, json!({ "input": task_input("RT-T-003", today()) })).await;
        assert_eq!(error_code(&response), "FORBIDDEN");

        // Nothing of the refused writes was kept.
        assert_eq!(app.count_rows("responsibility_task").await, tasks_before);
    }
}

db_test! {
    async fn a_report_is_returned_for_rework_then_accepted_and_the_task_is_done(app) {
        let (drc, task) = create_task(&app, "RT-T-010", 30).await;
        let id = task["id"].clone();
        let hrss = app.login("bureau_hrss").await;

        // The responsible bureau sees it in its tasks and reports 40 %.
        let mine = app.graphql_with(Some(&hrss), "{ myTasks { tasks { id myInvolvement } } }", json!({})).await;
        let row = mine["data"]["myTasks"]["tasks"].as_array().unwrap().iter()
            .find(|t| t["id"] == id).cloned().unwrap_or_else(|| panic!("{mine}"));
        assert_eq!(row["myInvolvement"], "RESPONSIBLE");
        let report = app.graphql_with(Some(&hrss), SUBMIT, json!({ "input": {
            "taskId": id, "percentComplete": 40, "narrative": "已推送岗位12个" } })).await;
        let report_id = report["data"]["submitProgressReport"]["id"].clone();
        assert_eq!(report["data"]["submitProgressReport"]["status"], "SUBMITTED", "{report}");
        let read = app.graphql_with(Some(&hrss), TASK, json!({ "id": id })).await;
        assert_eq!(read["data"]["responsibilityTask"]["status"], "ON_TRACK");
        assert_eq!(read["data"]["responsibilityTask"]["progressPercent"], 40);

        // Another bureau may neither see nor report on it; the co-operating one sees it.
        let education = app.login("bureau_education").await;
        let hidden = app.graphql_with(Some(&education), TASK, json!({ "id": id })).await;
        assert_eq!(hidden["data"]["responsibilityTask"], Value::Null, "{hidden}");
        let refused = app.graphql_with(Some(&education), SUBMIT, json!({ "input": {
            "taskId": id, "percentComplete": 50, "narrative": "x" } })).await;
        assert_eq!(error_code(&refused), "NOT_FOUND");
        let finance = app.login("bureau_finance").await;
        let seen = app.graphql_with(Some(&finance), TASK, json!({ "id": id })).await;
        assert_eq!(seen["data"]["responsibilityTask"]["myInvolvement"], "COOPERATING", "{seen}");
        let refused = app.graphql_with(Some(&finance), SUBMIT, json!({ "input": {
            "taskId": id, "percentComplete": 50, "narrative": "x" } })).await;
        assert_eq!(error_code(&refused), "FORBIDDEN");

        // Bad input: the percentage is checked.
        let bad = app.graphql_with(Some(&hrss), SUBMIT, json!({ "input": {
            "taskId": id, "percentComplete": 101, "narrative": "x" } })).await;
        assert_eq!(error_code(&bad), "INVALID_INPUT");
        assert_eq!(bad["errors"][0]["extensions"]["field"], "input.percentComplete", "{bad}");

        // The lead bureau's inbox holds it; returning needs a comment.
        let inbox = app.graphql_with(Some(&drc), "{ responsibilityInbox { reportsToReview { id task { code } } } }", json!({})).await;
        assert!(inbox["data"]["responsibilityInbox"]["reportsToReview"].as_array().unwrap()
            .iter().any(|r| r["id"] == report_id), "{inbox}");
        let refused = app.graphql_with(Some(&hrss), "{ responsibilityInbox { reportsToReview { id } } }", json!({})).await;
        assert_eq!(error_code(&refused), "FORBIDDEN");
        let no_comment = app.graphql_with(Some(&drc), REVIEW, json!({ "input": {
            "reportId": report_id, "decision": "RETURN" } })).await;
        assert_eq!(error_code(&no_comment), "INVALID_INPUT");
        let returned = app.graphql_with(Some(&drc), REVIEW, json!({ "input": {
            "reportId": report_id, "decision": "RETURN", "comment": "请补充推送台账" } })).await;
        assert_eq!(returned["data"]["reviewProgressReport"]["status"], "RETURNED", "{returned}");
        let again = app.graphql_with(Some(&drc), REVIEW, json!({ "input": {
            "reportId": report_id, "decision": "ACCEPT" } })).await;
        assert_eq!(error_code(&again), "CONFLICT");
        // A returned report no longer counts: back to not started.
        let read = app.graphql_with(Some(&hrss), TASK, json!({ "id": id })).await;
        assert_eq!(read["data"]["responsibilityTask"]["status"], "NOT_STARTED", "{read}");

        // Reworked at 100 % and accepted: done, with the whole story in the history.
        let report = app.graphql_with(Some(&hrss), SUBMIT, json!({ "input": {
            "taskId": id, "percentComplete": 100, "narrative": "全部零就业家庭已就业，附台账",
            "stageGoalId": read["data"]["responsibilityTask"]["stageGoals"][0]["id"] } })).await;
        let report_id = report["data"]["submitProgressReport"]["id"].clone();
        let accepted = app.graphql_with(Some(&drc), REVIEW, json!({ "input": {
            "reportId": report_id, "decision": "ACCEPT", "comment": "同意" } })).await;
        assert_eq!(accepted["data"]["reviewProgressReport"]["status"], "ACCEPTED", "{accepted}");
        let task = app.graphql_with(Some(&hrss), TASK, json!({ "id": id })).await["data"]["responsibilityTask"].clone();
        assert_eq!(task["status"], "DONE");
        assert_eq!(task["completedOn"], json!(today()));
        assert_eq!(task["stageGoals"][0]["status"], "DONE");
        let kinds: Vec<&str> = task["history"].as_array().unwrap().iter()
            .map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["CREATED", "REPORT_SUBMITTED", "REPORT_RETURNED", "REPORT_SUBMITTED", "REPORT_ACCEPTED", "COMPLETED"]);
        let returned_event = &task["history"][2];
        assert_eq!(returned_event["statusBefore"], "ON_TRACK");
        assert_eq!(returned_event["statusAfter"], "NOT_STARTED");
        assert_eq!(returned_event["note"], "请补充推送台账");
        assert!(returned_event["actor"].as_str().is_some_and(|who| !who.is_empty()), "{returned_event}");
        assert_eq!(task["progressReports"][1]["reviewComment"], "请补充推送台账");
        // A done task takes no more reports.
        let late = app.graphql_with(Some(&hrss), SUBMIT, json!({ "input": {
            "taskId": id, "percentComplete": 100, "narrative": "x" } })).await;
        assert_eq!(error_code(&late), "CONFLICT");
    }
}

db_test! {
    async fn the_matrix_turns_yellow_then_red_as_the_deadline_passes(app) {
        let (drc, task) = create_task(&app, "RT-T-020", 20).await;
        let deadline = today() + Duration::days(20);
        let matrix = "query($asOf: NaiveDate, $filter: TaskFilterInput) { responsibilityMatrix(asOf: $asOf, filter: $filter) {
            tasks { id status daysLeft } units { unit { code } overdue dueSoon total } totals { total overdue } } }";
        let status_on = |board: &Value| -> String {
            board["data"]["responsibilityMatrix"]["tasks"].as_array().unwrap().iter()
                .find(|t| t["id"] == task["id"]).map(|t| t["status"].as_str().unwrap().to_string())
                .unwrap_or_else(|| panic!("{board}"))
        };
        let filter = json!({ "bureauCode": "hrss" });
        let on = |days: i64| json!({ "asOf": deadline - Duration::days(days), "filter": filter });
        assert_eq!(status_on(&app.graphql_with(Some(&drc), matrix, on(8)).await), "NOT_STARTED");
        // A7§1: yellow from 7 days before the deadline, through the deadline day.
        assert_eq!(status_on(&app.graphql_with(Some(&drc), matrix, on(7)).await), "DUE_SOON");
        assert_eq!(status_on(&app.graphql_with(Some(&drc), matrix, on(0)).await), "DUE_SOON");
        // Red the day after.
        let late = app.graphql_with(Some(&drc), matrix, on(-1)).await;
        assert_eq!(status_on(&late), "OVERDUE");
        let hrss_counts = late["data"]["responsibilityMatrix"]["units"].as_array().unwrap().iter()
            .find(|u| u["unit"]["code"] == "hrss").cloned().unwrap_or_else(|| panic!("{late}"));
        assert!(hrss_counts["overdue"].as_i64().unwrap() >= 1, "{hrss_counts}");

        // Filtering by status keeps only red tasks.
        let red = app.graphql_with(Some(&drc), matrix, json!({ "asOf": deadline + Duration::days(1),
            "filter": { "statuses": ["OVERDUE"] } })).await;
        let red_tasks = red["data"]["responsibilityMatrix"]["tasks"].as_array().unwrap();
        assert!(red_tasks.iter().all(|t| t["status"] == "OVERDUE"), "{red}");
        assert!(red_tasks.iter().any(|t| t["id"] == task["id"]));
        assert_eq!(red["data"]["responsibilityMatrix"]["totals"]["overdue"].as_u64().unwrap() as usize, red_tasks.len());

        // The matrix needs the responsibility domain; a bureau has "my tasks" instead.
        let education = app.login("bureau_education").await;
        let refused = app.graphql_with(Some(&education), matrix, json!({})).await;
        assert_eq!(error_code(&refused), "FORBIDDEN_FIELD");
    }
}

db_test! {
    async fn an_extension_is_requested_once_and_the_approved_deadline_applies(app) {
        let (drc, task) = create_task(&app, "RT-T-030", 5).await;
        let id = task["id"].clone();
        let deadline = today() + Duration::days(5);
        let hrss = app.login("bureau_hrss").await;
        let request = "mutation($input: RequestExtensionInput!) { requestDeadlineExtension(input: $input) { id status currentDeadline requestedDeadline } }";
        let decide = "mutation($input: DecideExtensionInput!) { decideDeadlineExtension(input: $input) { id status decidedBy } }";

        let earlier = app.graphql_with(Some(&hrss), request, json!({ "input": {
            "taskId": id, "requestedDeadline": deadline - Duration::days(1), "reason": "x" } })).await;
        assert_eq!(error_code(&earlier), "INVALID_INPUT");
        let asked = app.graphql_with(Some(&hrss), request, json!({ "input": {
            "taskId": id, "requestedDeadline": deadline + Duration::days(30), "reason": "部分劳动力外出未归" } })).await;
        let request_id = asked["data"]["requestDeadlineExtension"]["id"].clone();
        assert_eq!(asked["data"]["requestDeadlineExtension"]["status"], "PENDING", "{asked}");
        let twice = app.graphql_with(Some(&hrss), request, json!({ "input": {
            "taskId": id, "requestedDeadline": deadline + Duration::days(40), "reason": "再次" } })).await;
        assert_eq!(error_code(&twice), "CONFLICT");

        // Only the lead bureau decides; rejecting needs a reason.
        let refused = app.graphql_with(Some(&hrss), decide, json!({ "input": { "requestId": request_id, "approve": true } })).await;
        assert_eq!(error_code(&refused), "FORBIDDEN");
        let no_reason = app.graphql_with(Some(&drc), decide, json!({ "input": { "requestId": request_id, "approve": false } })).await;
        assert_eq!(error_code(&no_reason), "INVALID_INPUT");
        let before = app.graphql_with(Some(&hrss), TASK, json!({ "id": id })).await;
        assert_eq!(before["data"]["responsibilityTask"]["status"], "DUE_SOON");
        let approved = app.graphql_with(Some(&drc), decide, json!({ "input": { "requestId": request_id, "approve": true, "comment": "同意" } })).await;
        assert_eq!(approved["data"]["decideDeadlineExtension"]["status"], "APPROVED", "{approved}");
        let after = app.graphql_with(Some(&hrss), TASK, json!({ "id": id })).await["data"]["responsibilityTask"].clone();
        assert_eq!(after["deadline"], json!(deadline + Duration::days(30)));
        assert_eq!(after["status"], "NOT_STARTED");
        assert_eq!(after["extensionRequests"][0]["currentDeadline"], json!(deadline));
        let last = after["history"].as_array().unwrap().last().cloned().unwrap();
        assert_eq!(last["kind"], "EXTENSION_APPROVED");
        assert_eq!(last["statusBefore"], "DUE_SOON");
    }
}

db_test! {
    async fn a_town_is_responsible_for_its_own_task_and_other_towns_do_not_see_it(app) {
        let drc = app.login("bureau_drc").await;
        let mut input = task_input("RT-T-040", today() + Duration::days(60));
        input["responsibleBureauCode"] = Value::Null;
        input["responsibleTownCode"] = json!("610202100");
        input["leadLeaderName"] = json!("镇党委书记");
        input["clauseRef"] = json!("A6§2.2");
        input["annex"] = json!(6);
        let created = app.graphql_with(Some(&drc), CREATE, json!({ "input": input })).await;
        let id = created["data"]["createResponsibilityTask"]["id"].clone();
        assert_eq!(created["data"]["createResponsibilityTask"]["responsibleUnit"]["kind"], "TOWN", "{created}");

        let huangbao = app.login("town_610202100").await;
        let mine = app.graphql_with(Some(&huangbao), "{ myTasks { tasks { id } } }", json!({})).await;
        assert!(mine["data"]["myTasks"]["tasks"].as_array().unwrap().iter().any(|t| t["id"] == id), "{mine}");
        let report = app.graphql_with(Some(&huangbao), SUBMIT, json!({ "input": {
            "taskId": id, "percentComplete": 30, "narrative": "本月班子成员走访12户" } })).await;
        assert_eq!(report["data"]["submitProgressReport"]["status"], "SUBMITTED", "{report}");

        let wangjiahe = app.login("town_610202004").await;
        let mine = app.graphql_with(Some(&wangjiahe), "{ myTasks { tasks { id } } }", json!({})).await;
        assert!(!mine["data"]["myTasks"]["tasks"].as_array().unwrap().iter().any(|t| t["id"] == id), "{mine}");
        let node = app.graphql_with(Some(&wangjiahe), "query($id: ID!) { node(id: $id) { id } }", json!({ "id": id })).await;
        assert_eq!(node["data"]["node"], Value::Null, "{node}");
    }
}

db_test! {
    async fn evidence_is_checked_on_its_bytes_stored_and_downloaded_by_those_who_see_the_task(app) {
        let (drc, task) = create_task(&app, "RT-T-050", 30).await;
        let id = task["id"].as_str().unwrap().to_string();
        let hrss = app.login("bureau_hrss").await;
        let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".to_vec();
        let upload = |token: Option<String>, bytes: Vec<u8>, content_type: &'static str| {
            let request = app.http().post(app.url(&format!("/attachments?task={id}")))
                .header("content-type", content_type)
                .header("x-file-name", "%E5%8F%B0%E8%B4%A6.pdf")
                .body(bytes);
            let request = match token { Some(token) => request.bearer_auth(token), None => request };
            request.send()
        };
        let response = upload(Some(hrss.clone()), pdf.clone(), "application/pdf").await.unwrap();
        assert_eq!(response.status(), 201);
        let stored: Value = response.json().await.unwrap();
        assert_eq!(stored["fileName"], "台账.pdf");
        assert_eq!(stored["contentType"], "application/pdf");
        assert_eq!(stored["sizeBytes"], pdf.len());

        // The lead bureau downloads the same bytes.
        let download = app.http().get(app.url(stored["downloadPath"].as_str().unwrap()))
            .bearer_auth(&drc).send().await.unwrap();
        assert_eq!(download.status(), 200);
        assert_eq!(download.headers()["content-type"], "application/pdf");
        assert!(download.headers()["content-disposition"].to_str().unwrap().contains("UTF-8''"));
        assert_eq!(download.bytes().await.unwrap().to_vec(), pdf);
        let education = app.login("bureau_education").await;
        let hidden = app.http().get(app.url(stored["downloadPath"].as_str().unwrap()))
            .bearer_auth(&education).send().await.unwrap();
        assert_eq!(hidden.status(), 404);

        // Refused: an executable, a lie about the type, another bureau, no token.
        let attachments = app.count_rows("task_attachment").await;
        let exe = upload(Some(hrss.clone()), b"MZ\x90\x00\x03\x00\x00\x00\x04".to_vec(), "application/octet-stream").await.unwrap();
        assert_eq!(exe.status(), 422);
        let body: Value = exe.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "INVALID_INPUT");
        let lie = upload(Some(hrss.clone()), pdf.clone(), "image/png").await.unwrap();
        assert_eq!(lie.status(), 422);
        let finance = app.login("bureau_finance").await;
        assert_eq!(upload(Some(finance), pdf.clone(), "application/pdf").await.unwrap().status(), 403);
        assert_eq!(upload(None, pdf.clone(), "application/pdf").await.unwrap().status(), 401);
        let mut too_big = pdf.clone();
        too_big.resize(domain::evidence::MAX_EVIDENCE_BYTES + 1, b' ');
        let status = upload(Some(hrss.clone()), too_big, "application/pdf").await.unwrap().status();
        assert!(status == 413 || status == 422, "{status}");
        assert_eq!(app.count_rows("task_attachment").await, attachments);
        let history = app.graphql_with(Some(&hrss), TASK, json!({ "id": id })).await;
        assert_eq!(history["data"]["responsibilityTask"]["history"][1]["kind"], "ATTACHMENT_ADDED", "{history}");
    }
}
