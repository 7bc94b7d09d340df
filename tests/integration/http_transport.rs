//! The HTTP rules of `/graphql`: methods, media types, body and batch limits, depth and
//! complexity limits, and errors that never leak internals.
use serde_json::{json, Value};

use crate::db_test;

db_test! {
    async fn health_answers_when_the_database_does(app) {
        let response = app.http().get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), "ok");
    }
}

db_test! {
    async fn queries_work_over_get_but_mutations_need_post(app) {
        let response = app.http().get(app.url("/graphql"))
            .bearer_auth(&app.token)
            .query(&[("query", "{ districtOverview { siteCount } }")])
            .send().await.unwrap();
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["data"]["districtOverview"]["siteCount"], 2);

        let response = app.http().get(app.url("/graphql"))
            .query(&[("query", "mutation { archivePerson(input: {id: \"x\", version: 1, reason: \"x\"}) { id } }")])
            .send().await.unwrap();
        assert_eq!(response.status(), 405);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "METHOD_NOT_ALLOWED");
    }
}

db_test! {
    async fn a_body_that_is_not_json_is_refused_with_415(app) {
        let response = app.http().post(app.url("/graphql"))
            .header("content-type", "text/plain")
            .body(r#"{"query":"{ districtOverview { siteCount } }"}"#)
            .send().await.unwrap();
        assert_eq!(response.status(), 415);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNSUPPORTED_MEDIA_TYPE");

        let response = app.http().post(app.url("/graphql"))
            .header("content-type", "application/json")
            .body("{not json")
            .send().await.unwrap();
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST");
    }
}

db_test! {
    async fn an_oversized_body_is_refused_with_413(app) {
        let padding = "x".repeat(2 * 1024 * 1024);
        let response = app.http().post(app.url("/graphql"))
            .json(&json!({ "query": "{ districtOverview { siteCount } }", "variables": { "padding": padding } }))
            .send().await.unwrap();
        assert_eq!(response.status(), 413);
    }
}

db_test! {
    async fn batches_run_up_to_ten_operations(app) {
        let one = json!({ "query": "{ districtOverview { siteCount } }" });
        let response: Value = app.http().post(app.url("/graphql"))
            .bearer_auth(&app.token)
            .json(&vec![one.clone(); 3]).send().await.unwrap().json().await.unwrap();
        assert_eq!(response.as_array().unwrap().len(), 3);

        let response = app.http().post(app.url("/graphql"))
            .json(&vec![one; 11]).send().await.unwrap();
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BATCH_TOO_LARGE");
    }
}

db_test! {
    async fn too_deep_or_too_costly_queries_are_refused_before_touching_the_database(app) {
        let deep = "{ persons(first: 1) { nodes { household { site { households(first: 1) { nodes { members {
            household { site { households(first: 1) { nodes { members { household { site { name } } } } } } } } } } } } } } }";
        let response = app.graphql(deep, json!({})).await;
        let message = response["errors"][0]["message"].as_str().unwrap_or_default().to_lowercase();
        assert!(message.contains("nested too deep") || message.contains("depth"), "{response}");

        let overhead = app.authentication_statements().await;
        let before = app.statements.get();
        let costly = "{ sites(first: 100) { nodes { households(first: 100) { nodes { code members { name idNumber phone age } } } } } }";
        let response = app.graphql(costly, json!({})).await;
        let message = response["errors"][0]["message"].as_str().unwrap_or_default().to_lowercase();
        assert!(message.contains("complex"), "{response}");
        assert_eq!(app.statements.get() - before, overhead, "refused before any resolver's statement ran");
    }
}

db_test! {
    async fn deep_links_get_the_web_app_or_404_without_it(app) {
        let response = app.http().get(app.url("/households/SG91c2Vob2xkOjE")).send().await.unwrap();
        if std::env::var("WEB_DIST").is_ok() {
            assert_eq!(response.status(), 200);
            let body = response.text().await.unwrap();
            assert!(body.contains("id=\"app\""), "index.html served for a deep link");
        } else {
            assert_eq!(response.status(), 404);
        }
    }
}

db_test! {
    async fn a_signed_in_request_costs_one_statement_before_its_resolvers_or_none_from_the_cache(app) {
        // The session with its account, the roles, and their grants, in one joined statement
        // (tokens carry only ids): on SQLite on every request; on PostgreSQL on the first
        // request of a session, then from the session cache until something changes.
        let token = app.login("bureau_civil_affairs").await;
        let before = app.statements.get();
        app.graphql_with(Some(&token), "{ __typename }", json!({})).await;
        assert_eq!(app.statements.get() - before, 1, "the first request of a session");
        let cached = match app.kind {
            crate::DbKind::Sqlite => 1,
            crate::DbKind::Postgres => 0,
        };
        assert_eq!(app.authentication_statements().await, cached);
    }
}
