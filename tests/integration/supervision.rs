//! Supervision over HTTP (A7§4): the office records inspections with findings, the unit
//! concerned sees and rectifies its own, the office closes them; interviews and consequences.
use chrono::Duration;
use serde_json::{json, Value};

use crate::db_test;

const RECORD: &str = "mutation($input: RecordInspectionInput!) { recordInspection(input: $input) {
    id kind unit { code } findings { id status overdue unit { code } rectificationDeadline } } }";

const FINDINGS: &str =
    "{ inspectionFindings(openOnly: false) { id status description unit { code } } }";

fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error: {response}"))
}

db_test! {
    async fn a_finding_reaches_its_unit_is_rectified_and_closed_by_the_office(app) {
        let today = backend::clock::today_in_china();
        let office = app.login("bureau_poverty_office").await;
        let input = json!({
            "kind": "UNANNOUNCED",
            "inspectedOn": today,
            "team": "区委办暗访组",
            "unit": { "townCode": "610202004" },
            "summary": "王家河安置点暗访",
            "findings": [{
                "description": "测试发现：两户家庭医生未签约",
                "severity": "MAJOR",
                "unit": { "bureauCode": "health" },
                "townCode": "610202004",
                "rectificationDeadline": today + Duration::days(14)
            }]
        });
        let recorded = app.graphql_with(Some(&office), RECORD, json!({ "input": input })).await;
        let inspection = &recorded["data"]["recordInspection"];
        assert_eq!(inspection["kind"], "UNANNOUNCED", "{recorded}");
        let finding_id = inspection["findings"][0]["id"].clone();
        assert_eq!(inspection["findings"][0]["unit"]["code"], "health");
        assert_eq!(inspection["findings"][0]["overdue"], false);

        // Only the office records supervision.
        let drc = app.login("bureau_drc").await;
        let refused = app.graphql_with(Some(&drc), RECORD, json!({ "input": input })).await;
        assert_eq!(error_code(&refused), "FORBIDDEN");
        // A deadline before the inspection is refused, and nothing is kept.
        let inspections = app.count_rows("inspection").await;
        let mut backwards = input.clone();
        backwards["findings"][0]["rectificationDeadline"] = json!(today - Duration::days(1));
        let refused = app.graphql_with(Some(&office), RECORD, json!({ "input": backwards })).await;
        assert_eq!(error_code(&refused), "INVALID_INPUT");
        assert_eq!(app.count_rows("inspection").await, inspections);

        // The health bureau sees its finding; HR & social security does not.
        let health = app.login("bureau_health").await;
        let mine = app.graphql_with(Some(&health), FINDINGS, json!({})).await;
        assert!(mine["data"]["inspectionFindings"].as_array().unwrap().iter().any(|f| f["id"] == finding_id), "{mine}");
        let hrss = app.login("bureau_hrss").await;
        let theirs = app.graphql_with(Some(&hrss), FINDINGS, json!({})).await;
        assert!(!theirs["data"]["inspectionFindings"].as_array().unwrap().iter().any(|f| f["id"] == finding_id), "{theirs}");
        let refused = app.graphql_with(Some(&hrss), "mutation($id: ID!, $on: NaiveDate!) { reportRectification(input: { findingId: $id, rectifiedOn: $on, note: \"x\" }) { id } }",
            json!({ "id": finding_id, "on": today })).await;
        assert_eq!(error_code(&refused), "FORBIDDEN");

        // Rectified by the unit, closed by the office.
        let rectified = app.graphql_with(Some(&health), "mutation($id: ID!, $on: NaiveDate!) { reportRectification(input: { findingId: $id, rectifiedOn: $on, note: \"已全部签约\" }) { status rectifiedOn note } }",
            json!({ "id": finding_id, "on": today })).await;
        assert_eq!(rectified["data"]["reportRectification"]["status"], "RECTIFYING", "{rectified}");
        let closed = app.graphql_with(Some(&office), "mutation($id: ID!) { closeFinding(input: { findingId: $id, note: \"复核通过\" }) { status overdue } }",
            json!({ "id": finding_id })).await;
        assert_eq!(closed["data"]["closeFinding"]["status"], "CLOSED", "{closed}");
        let again = app.graphql_with(Some(&office), "mutation($id: ID!) { closeFinding(input: { findingId: $id }) { status } }",
            json!({ "id": finding_id })).await;
        assert_eq!(error_code(&again), "CONFLICT");

        // An interview and a consequence, linked to the finding.
        let interview = app.graphql_with(Some(&office), "mutation($input: RecordInterviewInput!) { recordInterview(input: $input) { id unit { code } findingId } }",
            json!({ "input": { "heldOn": today, "unit": { "bureauCode": "health" }, "intervieweeName": "区卫健局负责人",
                "interviewerName": "区委办负责人", "reason": "家庭医生签约滞后", "findingId": finding_id } })).await;
        assert_eq!(interview["data"]["recordInterview"]["findingId"], finding_id, "{interview}");
        let consequence = app.graphql_with(Some(&office), "mutation($input: RecordConsequenceInput!) { recordConsequence(input: $input) { kind unit { code } } }",
            json!({ "input": { "kind": "ADMONISHMENT", "unit": { "bureauCode": "health" }, "personName": "分管负责人",
                "decidedOn": today, "decidedBy": "区委办公室", "reason": "整改不力",
                "interviewId": interview["data"]["recordInterview"]["id"] } })).await;
        assert_eq!(consequence["data"]["recordConsequence"]["kind"], "ADMONISHMENT", "{consequence}");
        let both = app.graphql_with(Some(&office), "mutation($input: RecordConsequenceInput!) { recordConsequence(input: $input) { kind } }",
            json!({ "input": { "kind": "CRITICISM", "unit": { "bureauCode": "health", "townCode": "610202004" }, "personName": "x",
                "decidedOn": today, "decidedBy": "x", "reason": "x" } })).await;
        assert_eq!(error_code(&both), "INVALID_INPUT");
        let seen = app.graphql_with(Some(&health), "{ interviews { unit { code } } accountabilityConsequences { kind } }", json!({})).await;
        assert!(seen["data"]["accountabilityConsequences"].as_array().unwrap().iter().any(|c| c["kind"] == "ADMONISHMENT"), "{seen}");
        let others = app.graphql_with(Some(&hrss), "{ accountabilityConsequences { kind unit { code } } }", json!({})).await;
        assert!(others["data"]["accountabilityConsequences"].as_array().unwrap().iter().all(|c| c["unit"]["code"] == "hrss"), "{others}");
    }
}
