//! Writing the registry: validation through domain types, one transaction per mutation,
//! optimistic versions, and failed writes that leave the database as it was.
use serde_json::{json, Value};

use crate::db_test;

const CREATE: &str = "mutation($input: CreateHouseholdInput!) { createHousehold(input: $input) {
    id code version memberCount isZeroEmployment site { name }
    members { id name idNumber sex birthDate relation labourCapacity employmentStatus phone version } } }";

/// The unmasked ID number of a person, read by public security with a stated reason.
async fn full_id_number(app: &crate::TestApp, person_id: &Value) -> String {
    let token = app.login("bureau_public_security").await;
    let response = app
        .graphql_with(
            Some(&token),
            "query($id: ID!) { node(id: $id) { ... on Person { idNumber(reason: \"户籍核对\") } } }",
            json!({ "id": person_id }),
        )
        .await;
    response["data"]["node"]["idNumber"]
        .as_str()
        .unwrap_or_else(|| panic!("{response}"))
        .to_string()
}

async fn first_site_id(app: &crate::TestApp) -> Value {
    app.graphql_ok("{ sites(first: 1) { nodes { id } } }", json!({}))
        .await["sites"]["nodes"][0]["id"]
        .clone()
}

/// A fictitious household of two: the head (valid ID number) and a child.
fn household_input(site_id: &Value, code: &str) -> Value {
    json!({
        "siteId": site_id,
        "code": code,
        "relocatedOn": "2019-06-30",
        "members": [
            { "name": "测试户主", "idNumber": "11010519491231002X", "relation": "HEAD",
              "labourCapacity": "FULL", "employmentStatus": "UNEMPLOYED", "phone": "138 0013 8000" },
            { "name": "测试子女", "idNumber": "110105201501010017", "relation": "CHILD",
              "labourCapacity": "NONE", "employmentStatus": "NOT_IN_LABOUR_FORCE" }
        ]
    })
}

db_test! {
    async fn a_household_is_created_with_sex_and_birth_date_from_the_id_number(app) {
        let site_id = first_site_id(&app).await;
        let data = app.graphql_ok(CREATE, json!({ "input": household_input(&site_id, "test-001") })).await;
        let household = &data["createHousehold"];
        assert_eq!(household["code"], "TEST-001");
        assert_eq!(household["version"], 1);
        assert_eq!(household["memberCount"], 2);
        // A2§1: labour (the head) and nobody employed.
        assert_eq!(household["isZeroEmployment"], true);
        let head = &household["members"][0];
        // Masked for the registry keeper; the full value needs the id-number domain and a reason.
        assert_eq!(head["idNumber"], "110105********002X");
        assert_eq!(full_id_number(&app, &head["id"]).await, "11010519491231002X");
        assert_eq!(head["sex"], "FEMALE");
        assert_eq!(head["birthDate"], "1949-12-31");
        assert_eq!(head["phone"], "138****8000");
        let overview = app.graphql_ok("{ districtOverview { householdCount population } }", json!({})).await;
        assert_eq!(overview["districtOverview"]["householdCount"], 46);
        assert_eq!(overview["districtOverview"]["population"], 142);
    }
}

db_test! {
    async fn id_numbers_are_normalised_from_full_width_digits_spaces_and_lower_case_x(app) {
        let site_id = first_site_id(&app).await;
        let mut input = household_input(&site_id, "TEST-002");
        input["members"][0]["idNumber"] = json!(" １１０１０５ 19491231002x ");
        let data = app.graphql_ok(CREATE, json!({ "input": input })).await;
        let head = &data["createHousehold"]["members"][0];
        assert_eq!(full_id_number(&app, &head["id"]).await, "11010519491231002X");
    }
}

db_test! {
    async fn a_wrong_check_digit_is_invalid_input_naming_the_member_and_nothing_is_written(app) {
        let site_id = first_site_id(&app).await;
        let households = app.count_rows("household").await;
        let persons = app.count_rows("person").await;
        let mut input = household_input(&site_id, "TEST-003");
        input["members"][1]["idNumber"] = json!("110105201501010016");
        let response = app.graphql(CREATE, json!({ "input": input })).await;
        let error = &response["errors"][0];
        assert_eq!(error["extensions"]["code"], "INVALID_INPUT", "{response}");
        assert_eq!(error["extensions"]["field"], "input.members[1].idNumber");
        assert!(error["message"].as_str().unwrap().contains("check digit"), "{error}");
        assert_eq!(response["data"], Value::Null);
        assert_eq!(app.count_rows("household").await, households);
        assert_eq!(app.count_rows("person").await, persons);
    }
}

db_test! {
    async fn bad_names_phones_and_heads_are_refused_with_the_field_named(app) {
        let site_id = first_site_id(&app).await;
        let cases = [
            ("/members/0/name", json!(""), "input.members[0].name"),
            ("/members/0/name", json!("王\u{0}五"), "input.members[0].name"),
            ("/members/0/phone", json!("12345"), "input.members[0].phone"),
            ("/members/1/relation", json!("HEAD"), "input.members"),
            ("/code", json!("HB 001!"), "input.code"),
        ];
        for (pointer, value, field) in cases {
            let mut input = household_input(&site_id, "TEST-004");
            *input.pointer_mut(pointer).unwrap() = value.clone();
            let response = app.graphql(CREATE, json!({ "input": input })).await;
            let error = &response["errors"][0];
            assert_eq!(error["extensions"]["code"], "INVALID_INPUT", "{pointer}={value}: {response}");
            assert_eq!(error["extensions"]["field"], field, "{pointer}={value}: {response}");
        }
        assert_eq!(app.count_rows("household").await, 45);
    }
}

db_test! {
    async fn an_id_number_registered_twice_is_a_conflict_and_the_household_is_not_created(app) {
        let site_id = first_site_id(&app).await;
        let existing = app.graphql_ok("{ persons(first: 1) { nodes { id } } }", json!({})).await;
        let existing_id_number = json!(full_id_number(&app, &existing["persons"]["nodes"][0]["id"]).await);
        let mut input = household_input(&site_id, "TEST-005");
        input["members"][1]["idNumber"] = existing_id_number;
        let response = app.graphql(CREATE, json!({ "input": input })).await;
        let error = &response["errors"][0];
        assert_eq!(error["extensions"]["code"], "CONFLICT", "{response}");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains("ID number"), "{message}");
        for leak in ["INSERT", "UNIQUE", "duplicate key", "sqlx", "constraint"] {
            assert!(!message.contains(leak), "internals leak into {message:?}");
        }
        assert_eq!(app.count_rows("household").await, 45, "the whole write was rolled back");
        assert_eq!(app.count_rows("person").await, 140);
    }
}

db_test! {
    async fn a_stale_version_is_a_conflict_and_changes_nothing(app) {
        let site_id = first_site_id(&app).await;
        let created = app.graphql_ok(CREATE, json!({ "input": household_input(&site_id, "TEST-006") })).await;
        let person = created["createHousehold"]["members"][1].clone();
        let update = "mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { name version labourCapacity } }";
        let data = app.graphql_ok(update, json!({ "input": { "id": person["id"], "version": 1, "name": "新名字" } })).await;
        assert_eq!(data["updatePerson"]["version"], 2);
        assert_eq!(data["updatePerson"]["name"], "新名字");

        let response = app.graphql(update, json!({ "input": { "id": person["id"], "version": 1, "labourCapacity": "FULL" } })).await;
        assert_eq!(response["errors"][0]["extensions"]["code"], "CONFLICT", "{response}");
        let current = app.graphql_ok("query($id: ID!) { node(id: $id) { ... on Person { name version labourCapacity } } }",
            json!({ "id": person["id"] })).await;
        assert_eq!(current["node"]["version"], 2);
        assert_eq!(current["node"]["labourCapacity"], "NONE");
    }
}

db_test! {
    async fn a_household_cannot_get_a_second_head(app) {
        let site_id = first_site_id(&app).await;
        let created = app.graphql_ok(CREATE, json!({ "input": household_input(&site_id, "TEST-007") })).await;
        let household_id = created["createHousehold"]["id"].clone();
        let response = app.graphql(
            "mutation($input: AddPersonInput!) { addPerson(input: $input) { id } }",
            json!({ "input": { "householdId": household_id, "person": {
                "name": "第二户主", "idNumber": "110105198001010016", "relation": "HEAD",
                "labourCapacity": "FULL", "employmentStatus": "EMPLOYED" } } }),
        ).await;
        assert_eq!(response["errors"][0]["extensions"]["code"], "CONFLICT", "{response}");
        let data = app.graphql_ok(
            "mutation($input: AddPersonInput!) { addPerson(input: $input) { relation sex household { memberCount isZeroEmployment } } }",
            json!({ "input": { "householdId": household_id, "person": {
                "name": "配偶", "idNumber": "110105198001010016", "relation": "SPOUSE",
                "labourCapacity": "FULL", "employmentStatus": "EMPLOYED" } } }),
        ).await;
        assert_eq!(data["addPerson"]["sex"], "MALE");
        assert_eq!(data["addPerson"]["household"]["memberCount"], 3);
        assert_eq!(data["addPerson"]["household"]["isZeroEmployment"], false);
    }
}

db_test! {
    async fn archiving_a_household_takes_it_and_its_members_out_of_the_totals(app) {
        let site_id = first_site_id(&app).await;
        let created = app.graphql_ok(CREATE, json!({ "input": household_input(&site_id, "TEST-008") })).await;
        let id = created["createHousehold"]["id"].clone();
        let archive = "mutation($input: ArchiveInput!) { archiveHousehold(input: $input) { archivedAt archiveReason version } }";
        let data = app.graphql_ok(archive, json!({ "input": { "id": id, "version": 1, "reason": "迁出" } })).await;
        assert_eq!(data["archiveHousehold"]["archiveReason"], "迁出");
        assert_eq!(data["archiveHousehold"]["version"], 2);
        let overview = app.graphql_ok("{ districtOverview { householdCount population } }", json!({})).await;
        assert_eq!(overview["districtOverview"]["householdCount"], 45);
        assert_eq!(overview["districtOverview"]["population"], 140);
        let archived = app.graphql_ok("{ households(first: 100, filter: { includeArchived: true }) { totalCount } }", json!({})).await;
        assert_eq!(archived["households"]["totalCount"], 46);
        let again = app.graphql(archive, json!({ "input": { "id": id, "version": 2, "reason": "再次" } })).await;
        assert_eq!(again["errors"][0]["extensions"]["code"], "CONFLICT");
    }
}

db_test! {
    async fn ids_of_the_wrong_type_or_missing_records_are_named_in_the_error(app) {
        let site_id = first_site_id(&app).await;
        let response = app.graphql(
            "mutation($input: ArchiveInput!) { archivePerson(input: $input) { id } }",
            json!({ "input": { "id": site_id, "version": 1, "reason": "x" } }),
        ).await;
        assert_eq!(response["errors"][0]["extensions"]["code"], "INVALID_INPUT");
        assert_eq!(response["errors"][0]["extensions"]["field"], "input.id");
        let response = app.graphql(
            "mutation($input: ArchiveInput!) { archivePerson(input: $input) { id } }",
            json!({ "input": { "id": "UGVyc29uOjk5OTk5OQ", "version": 1, "reason": "x" } }),
        ).await;
        assert_eq!(response["errors"][0]["extensions"]["code"], "NOT_FOUND", "{response}");
    }
}
