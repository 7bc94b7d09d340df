//! Official codes as alternate keys: divisions (GB/T 2260 and town statistical codes), site
//! and household codes, national ID numbers — with the lists' access rules and an audit trail.
use serde_json::{json, Value};

use crate::{db_test, TestApp};

fn code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

/// (site code, its town's division code) of every site.
async fn sites(app: &TestApp) -> Vec<(String, String)> {
    let data = app
        .graphql_ok(
            "{ sites(first: 100) { nodes { code town { divisionCode } } } }",
            json!({}),
        )
        .await;
    data["sites"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|site| {
            (
                site["code"].as_str().unwrap().to_string(),
                site["town"]["divisionCode"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const DIVISION: &str = "query($code: String!) { division(code: $code) {
    code name level parent { code name level parent { code name } } town { divisionCode name } } }";

db_test! {
    async fn the_district_and_its_towns_are_found_by_their_division_codes(app) {
        let district = app.graphql_ok(DIVISION, json!({ "code": "610202" })).await;
        assert_eq!(
            district["division"],
            json!({ "code": "610202", "name": "王益区", "level": "COUNTY",
                    "parent": { "code": "610200", "name": "铜川市", "level": "CITY",
                                "parent": { "code": "610000", "name": "陕西省" } },
                    "town": null })
        );
        let province = app.graphql_ok(DIVISION, json!({ "code": "610000" })).await;
        assert_eq!(province["division"]["level"], "PROVINCE");
        assert_eq!(province["division"]["parent"], Value::Null);

        // A town by its 9-digit code, and by the 12-digit form with trailing zeros.
        for typed in ["610202100", "610202100000"] {
            let town = app.graphql_ok(DIVISION, json!({ "code": typed })).await;
            assert_eq!(town["division"]["code"], "610202100", "{town}");
            assert_eq!(town["division"]["level"], "TOWN");
            assert_eq!(town["division"]["town"]["divisionCode"], "610202100");
            assert_eq!(town["division"]["parent"]["code"], "610202");
            assert_eq!(town["division"]["name"], town["division"]["town"]["name"]);
        }
        let town = app.graphql_ok(
            "{ town(divisionCode: \"610202004\") { divisionCode name kind } }", json!({})).await;
        assert_eq!(town["town"]["divisionCode"], "610202004");

        // Well-formed codes outside the district: null, not an error.
        for other in ["610203", "110000", "610203100", "610202999"] {
            let response = app.graphql_ok(DIVISION, json!({ "code": other })).await;
            assert_eq!(response["division"], Value::Null, "{other}");
        }
        // Malformed codes: INVALID_INPUT with the reason.
        for (bad, says) in [("61020", "6 digits"), ("61O202", "digits only"), ("610202000", "000")] {
            let response = app.graphql(DIVISION, json!({ "code": bad })).await;
            assert_eq!(code(&response), "INVALID_INPUT", "{response}");
            let message = response["errors"][0]["message"].as_str().unwrap();
            assert!(message.contains(says), "{bad}: {message}");
        }
        let response = app.graphql("{ town(divisionCode: \"610202\") { name } }", json!({})).await;
        assert_eq!(code(&response), "INVALID_INPUT", "{response}");
    }
}

db_test! {
    async fn sites_and_households_are_found_by_code_within_the_callers_towns(app) {
        let all = sites(&app).await;
        let (own, _) = all.iter().find(|(_, town)| town == "610202100").unwrap().clone();
        let (other, _) = all.iter().find(|(_, town)| town != "610202100").unwrap().clone();
        let query = "query($code: String!) { siteByCode(code: $code) { code town { divisionCode } } }";
        let found = app.graphql_ok(query, json!({ "code": format!(" {own} ") })).await;
        assert_eq!(found["siteByCode"]["code"], own.as_str());

        let town = app.login("town_610202100").await;
        let response = app.graphql_with(Some(&town), query, json!({ "code": own })).await;
        assert_eq!(response["data"]["siteByCode"]["code"], own.as_str(), "{response}");
        // Another town's site is as absent as one that does not exist.
        for code in [other.as_str(), "NO-SUCH-SITE"] {
            let response = app.graphql_with(Some(&town), query, json!({ "code": code })).await;
            assert!(response.get("errors").is_none(), "{response}");
            assert_eq!(response["data"]["siteByCode"], Value::Null, "{code}");
        }

        let households = app.graphql_ok(
            "{ households(first: 100) { nodes { code site { town { divisionCode } } } } }", json!({})).await;
        let household_in = |town: &str, same: bool| -> String {
            households["households"]["nodes"].as_array().unwrap().iter()
                .find(|h| (h["site"]["town"]["divisionCode"] == town) == same)
                .map(|h| h["code"].as_str().unwrap().to_string())
                .unwrap()
        };
        let by_code = "query($code: String!) { householdByCode(code: $code) { code headName } }";
        let own_household = household_in("610202100", true);
        let response = app.graphql_with(Some(&town), by_code, json!({ "code": own_household })).await;
        assert_eq!(response["data"]["householdByCode"]["code"], own_household.as_str(), "{response}");
        let response = app
            .graphql_with(Some(&town), by_code, json!({ "code": household_in("610202100", false) }))
            .await;
        assert_eq!(response["data"]["householdByCode"], Value::Null, "{response}");
        // Households are identity data: a role without it is refused.
        let water = app.login("bureau_water").await;
        let response = app.graphql_with(Some(&water), by_code, json!({ "code": own_household })).await;
        assert_eq!(code(&response), "FORBIDDEN_FIELD", "{response}");
    }
}

db_test! {
    async fn a_person_is_found_by_id_number_only_with_the_right_and_a_reason_and_every_lookup_is_audited(app) {
        let hrss = app.login("bureau_hrss").await;
        let listed = app.graphql_with(Some(&hrss),
            "{ persons(first: 1) { nodes { id name idNumber(reason: \"核对\") } } }", json!({})).await;
        let person = &listed["data"]["persons"]["nodes"][0];
        let id_number = person["idNumber"].as_str().unwrap_or_else(|| panic!("{listed}")).to_string();
        let lookup = "query($n: String!, $r: String!) { personByIdNumber(idNumber: $n, reason: $r) { id name } }";
        let audited = || app.count_rows("audit_log WHERE action = 'read.lookup'");
        let before = audited().await;

        // Typed as people type it: spaced, with a lower-case check character where it has one.
        let typed = format!("{} {}", &id_number[..6], id_number[6..].to_lowercase());
        let found = app.graphql_with(Some(&hrss), lookup, json!({ "n": typed, "r": "养老保险参保核对" })).await;
        assert_eq!(found["data"]["personByIdNumber"]["id"], person["id"], "{found}");
        assert_eq!(audited().await, before + 1);

        // A valid number of nobody: null, and still audited.
        let nobody = "11010519491231002X";
        let response = app.graphql_with(Some(&hrss), lookup, json!({ "n": nobody, "r": "核对" })).await;
        assert_eq!(response["data"]["personByIdNumber"], Value::Null, "{response}");
        assert_eq!(audited().await, before + 2);

        // Refusals leave no trace in the data and say why.
        let wrong_digit = format!("{}{}", &id_number[..17], if id_number.ends_with('0') { '1' } else { '0' });
        let response = app.graphql_with(Some(&hrss), lookup, json!({ "n": wrong_digit, "r": "核对" })).await;
        assert_eq!(code(&response), "INVALID_INPUT", "{response}");
        assert!(response["errors"][0]["message"].as_str().unwrap().contains("check digit"), "{response}");
        let response = app.graphql_with(Some(&hrss), lookup, json!({ "n": id_number, "r": "  " })).await;
        assert_eq!(code(&response), "INVALID_INPUT", "{response}");
        let education = app.login("bureau_education").await;
        let response = app.graphql_with(Some(&education), lookup, json!({ "n": id_number, "r": "核对" })).await;
        assert_eq!(code(&response), "FORBIDDEN_FIELD", "{response}");
        assert_eq!(audited().await, before + 2);
    }
}
