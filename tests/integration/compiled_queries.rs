//! The selection compiler (`graphql::compiled`): registry reads it covers are answered by one
//! statement that builds the JSON in the database, and the answer is exactly what the schema's
//! resolvers give. Each query runs twice: as written (compiled), and with `@include(if: true)`
//! on its root field, a no-op that the compiler declines, so the schema answers it.
use serde_json::{json, Value};

use crate::db_test;

/// The same query with `@include(if: true)` after its root field's arguments.
fn through_the_schema(query: &str) -> String {
    let at = query.find("node(").expect("a node query");
    let close = at + query[at..].find(')').expect("arguments end");
    format!(
        "{} @include(if: true){}",
        &query[..=close],
        &query[close + 1..]
    )
}

/// Runs `query` both ways, checks the answers are equal and error-free, returns the answer.
async fn same_both_ways(app: &crate::TestApp, query: &str, variables: Value) -> Value {
    same_both_ways_as(app, &app.token, query, variables).await
}

/// [`same_both_ways`] as the holder of `token`.
async fn same_both_ways_as(
    app: &crate::TestApp,
    token: &str,
    query: &str,
    variables: Value,
) -> Value {
    let overhead = app.authentication_statements_of(token).await;
    let before = app.statements.get();
    let compiled = app
        .graphql_with(Some(token), query, variables.clone())
        .await;
    let statements = app.statements.get() - before - overhead;
    assert_eq!(statements, 1, "not compiled into one statement: {query}");
    let resolved = app
        .graphql_with(Some(token), &through_the_schema(query), variables)
        .await;
    assert!(compiled.get("errors").is_none(), "compiled: {compiled:#}");
    assert!(resolved.get("errors").is_none(), "resolved: {resolved:#}");
    assert_eq!(
        compiled, resolved,
        "the compiled answer differs for {query}"
    );
    compiled["data"].clone()
}

async fn first_site(app: &crate::TestApp) -> Value {
    let data = app
        .graphql_ok(
            "{ sites(first: 1) { nodes { id households(first: 6) { edges { cursor } } } } }",
            json!({}),
        )
        .await;
    data["sites"]["nodes"][0].clone()
}

db_test! {
    async fn compiled_registry_reads_answer_exactly_what_the_resolvers_answer(app) {
        let site = first_site(&app).await;
        let cursor = site["households"]["edges"][2]["cursor"].clone();
        let last_cursor = site["households"]["edges"][5]["cursor"].clone();
        let tree = "query Tree($site: ID!, $after: String) { node(id: $site) { __typename id
            ... on Site { code name address
              a: households(first: 3) { __typename nodes { id code registeredPoor relocatedOn version
                   members { __typename id name birthDate version } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
              b: households(first: 2, after: $after) { edges { cursor node { id code site { id name } } }
                   pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename } }
              none: households(first: 0) { nodes { id } pageInfo { hasNextPage endCursor } }
              all: households(first: 100, includeArchived: true) { nodes { id } pageInfo { hasNextPage } } }
            ... on Person { name } } }";
        let data = same_both_ways(&app, tree, json!({ "site": site["id"], "after": cursor })).await;
        assert_eq!(data["node"]["a"]["nodes"].as_array().unwrap().len(), 3);
        assert_eq!(data["node"]["a"]["pageInfo"]["hasNextPage"], true);
        assert!(data["node"]["a"]["nodes"][0]["members"].as_array().is_some_and(|m| !m.is_empty()));
        assert_eq!(data["node"]["b"]["edges"].as_array().unwrap().len(), 2);
        assert_eq!(data["node"]["none"]["nodes"], json!([]));
        // Beyond the last page: empty, null cursors.
        let end = "query($site: ID!, $after: String) { node(id: $site) { ... on Site {
            households(first: 100, after: $after) { nodes { id } pageInfo { hasNextPage startCursor endCursor } } } } }";
        same_both_ways(&app, end, json!({ "site": site["id"], "after": last_cursor })).await;

        // A person up to its household and site, and a household down to its members.
        let person = &data["node"]["a"]["nodes"][0]["members"][0]["id"];
        let up = "query($p: ID!) { node(id: $p) { id ... on Person { name birthDate
            household { id code members { id name } site { id code name } } } } }";
        let data = same_both_ways(&app, up, json!({ "p": person })).await;
        assert_eq!(data["node"]["household"]["site"]["id"], site["id"]);
        let household = "query($h: ID!) { node(id: $h) { ... on Household { id code version
            members { id name household { id } } site { id } } ... on Site { name } } }";
        same_both_ways(&app, household, json!({ "h": data["node"]["household"]["id"] })).await;

        // A record that does not exist is null both ways.
        let missing = "{ node(id: \"U2l0ZTo5OTk5OQ\") { id ... on Site { name } } }";
        let data = same_both_ways(&app, missing, json!({})).await;
        assert_eq!(data["node"], Value::Null);
    }
}

db_test! {
    async fn a_compiled_read_of_a_whole_site_costs_one_statement(app) {
        let site = first_site(&app).await;
        let query = "query($site: ID!, $after: String) { node(id: $site) { ... on Site { id name
            p0: households(first: 3) { nodes { id code members { id name birthDate } } }
            p1: households(first: 3, after: $after) { nodes { id code members { id name birthDate } } } } } }";
        let variables = json!({ "site": site["id"], "after": site["households"]["edges"][2]["cursor"] });
        app.graphql_ok(query, variables.clone()).await;
        let overhead = app.authentication_statements().await;
        let before = app.statements.get();
        let data = app.graphql_ok(query, variables).await;
        let statements = app.statements.get() - before - overhead;
        assert_eq!(data["node"]["p1"]["nodes"].as_array().unwrap().len(), 3);
        assert_eq!(statements, 1, "the compiled read ran {statements} statements");
    }
}

db_test! {
    async fn reads_the_compiler_declines_keep_the_schemas_errors(app) {
        let site = first_site(&app).await;
        // A page too large: the schema's INVALID_INPUT, not a compiled answer.
        let response = app
            .graphql(
                "query($s: ID!) { node(id: $s) { ... on Site { households(first: 101) { nodes { id } } } } }",
                json!({ "s": site["id"] }),
            )
            .await;
        assert_eq!(response["errors"][0]["extensions"]["code"], "INVALID_INPUT", "{response:#}");
        // A reader without the identity domain gets FORBIDDEN_FIELD per field, as before.
        let token = app.login("bureau_water").await;
        let response = app
            .graphql_with(
                Some(&token),
                "query($s: ID!) { node(id: $s) { ... on Site { name households(first: 2) { nodes { code } } } } }",
                json!({ "s": site["id"] }),
            )
            .await;
        let codes: Vec<&str> = response["errors"]
            .as_array()
            .map(|errors| errors.iter().filter_map(|e| e["extensions"]["code"].as_str()).collect())
            .unwrap_or_default();
        assert!(codes.contains(&"FORBIDDEN_FIELD"), "{response:#}");
        // A document that does not validate is refused with the schema's message.
        let response = app
            .graphql("query($s: ID!) { node(id: $s) { ... on Site { name } } }", json!({ "s": 5 }))
            .await;
        assert!(response["errors"].is_array(), "{response:#}");
    }
}

db_test! {
    async fn a_persons_jobs_trainings_and_insurance_compile_into_the_same_statement(app) {
        let site = first_site(&app).await;
        let hrss = app.login("bureau_hrss").await;
        let query = "query($site: ID!, $year: Int) { node(id: $site) { ... on Site { id
            households(first: 100) { nodes { id members { id name
              employmentSpells { __typename id personId employmentType employerName location startsOn endsOn isCurrent version }
              trainingEnrolments { __typename id enrolledOn attendedDays completed certificateNo employedAfterTraining version }
              insuranceEnrolments { __typename id personId kind year status enrolledOn version }
              earlier: insuranceEnrolments(year: $year) { kind status } } } } } } }";
        let data = same_both_ways_as(&app, &hrss, query, json!({ "site": site["id"], "year": 2025 })).await;
        let members: Vec<&Value> = data["node"]["households"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|household| household["members"].as_array().unwrap())
            .collect();
        let count = |field: &str| -> usize {
            members.iter().map(|person| person[field].as_array().unwrap().len()).sum()
        };
        assert!(
            count("employmentSpells") > 0 && count("trainingEnrolments") > 0 && count("insuranceEnrolments") > 0,
            "the site's members hold records of each kind"
        );

        // A reader without the training domain: the schema answers, the field is refused
        // alone and the jobs still come.
        let civil = app.login("bureau_civil_affairs").await;
        let response = app
            .graphql_with(
                Some(&civil),
                "query($site: ID!) { node(id: $site) { ... on Site { households(first: 3) { nodes {
                    members { id employmentSpells { employerName } trainingEnrolments { enrolledOn } } } } } } }",
                json!({ "site": site["id"] }),
            )
            .await;
        assert_eq!(response["errors"][0]["extensions"]["code"], "FORBIDDEN_FIELD", "{response:#}");
        assert!(response["errors"][0]["message"].as_str().unwrap_or_default().contains("trainingEnrolments"), "{response:#}");
        let member = &response["data"]["node"]["households"]["nodes"][0]["members"][0];
        assert!(member["employmentSpells"].is_array(), "{response:#}");
        assert_eq!(member["trainingEnrolments"], Value::Null);
    }
}
