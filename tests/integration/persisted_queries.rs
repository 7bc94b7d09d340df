//! Automatic persisted queries (Apollo's protocol over POST and GET, stored for every instance,
//! only valid documents) and the allow-list of service clients.
use backend::graphql::client_operations::document_hash;
use backend::persistence::client_operations::{find_client, operation_allowed};
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::db_test;

/// A document no other test (nor the other database's run) sends: the in-process cache of
/// documents is shared by the servers of one test binary.
fn unique_document(body: &str) -> String {
    format!("query Unique{} {{ {body} }}", uuid::Uuid::new_v4().simple())
}

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

async fn post(app: &crate::TestApp, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut request = app.http().post(app.url("/graphql")).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn get(app: &crate::TestApp, params: &[(&str, String)]) -> (u16, Value) {
    let response = app
        .http()
        .get(app.url("/graphql"))
        .bearer_auth(&app.token)
        .query(params)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

async fn stored(app: &crate::TestApp, hash: &str) -> bool {
    let row = app
        .db
        .query_one(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT document FROM persisted_query WHERE sha256 = '{hash}'"),
        ))
        .await
        .unwrap();
    row.is_some()
}

db_test! {
    async fn a_document_sent_with_its_hash_once_then_runs_by_the_hash_alone(app) {
        let document = unique_document("districtOverview { siteCount }");
        let hash = document_hash(&document);

        // The Apollo client tries the hash alone first …
        let (status, body) = post(&app, Some(&app.token), json!({ "extensions": persisted(&hash) })).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["errors"][0]["message"], "PersistedQueryNotFound");
        assert_eq!(code(&body), "PERSISTED_QUERY_NOT_FOUND");
        assert!(!stored(&app, &hash).await);

        // … then sends the document with it, which runs and is stored for every instance …
        let (status, body) = post(&app, Some(&app.token), json!({ "query": document, "extensions": persisted(&hash) })).await;
        assert_eq!(status, 200);
        assert_eq!(body["data"]["districtOverview"]["siteCount"], 2, "{body}");
        assert!(stored(&app, &hash).await);

        // … and from then on the hash is enough, with its own variables and operation name.
        let (status, body) = post(&app, Some(&app.token), json!({
            "extensions": persisted(&hash), "operationName": document.split_whitespace().nth(1).unwrap()
        })).await;
        assert_eq!(status, 200);
        assert_eq!(body["data"]["districtOverview"]["siteCount"], 2, "{body}");
    }
}

db_test! {
    async fn a_document_another_instance_stored_is_found_in_the_database(app) {
        // Written straight into the shared table, as another instance would: no cache here
        // has seen it.
        let document = unique_document("districtOverview { householdCount }");
        let hash = document_hash(&document);
        app.db
            .execute(sea_orm::Statement::from_sql_and_values(
                app.db.get_database_backend(),
                match app.kind {
                    crate::DbKind::Postgres => "INSERT INTO persisted_query (sha256, document) VALUES ($1, $2)",
                    crate::DbKind::Sqlite => "INSERT INTO persisted_query (sha256, document) VALUES (?, ?)",
                },
                [hash.clone().into(), document.clone().into()],
            ))
            .await
            .unwrap();
        let (status, body) = post(&app, Some(&app.token), json!({ "extensions": persisted(&hash) })).await;
        assert_eq!(status, 200);
        assert!(body.get("errors").is_none(), "{body}");
        assert_eq!(body["data"].as_object().unwrap().len(), 1);
    }
}

db_test! {
    async fn an_unknown_hash_is_not_found_and_a_malformed_one_is_refused(app) {
        let hash = document_hash(&uuid::Uuid::new_v4().to_string());
        let (status, body) = post(&app, Some(&app.token), json!({ "extensions": persisted(&hash) })).await;
        assert_eq!(status, 200);
        assert_eq!(body["errors"][0]["message"], "PersistedQueryNotFound");
        assert_eq!(code(&body), "PERSISTED_QUERY_NOT_FOUND");

        let (status, body) = post(&app, Some(&app.token), json!({ "extensions": persisted("not-a-hash") })).await;
        assert_eq!(status, 400);
        assert_eq!(code(&body), "PERSISTED_QUERY_INVALID");
        let (status, body) = post(&app, Some(&app.token), json!({
            "extensions": { "persistedQuery": { "version": 2, "sha256Hash": hash } }
        })).await;
        assert_eq!(status, 400);
        assert_eq!(code(&body), "PERSISTED_QUERY_NOT_SUPPORTED");
    }
}

db_test! {
    async fn a_query_that_does_not_match_its_hash_is_refused_and_not_stored(app) {
        let document = unique_document("districtOverview { siteCount }");
        let other_hash = document_hash(&format!("{document} "));
        let (status, body) = post(&app, Some(&app.token), json!({ "query": document, "extensions": persisted(&other_hash) })).await;
        assert_eq!(status, 400);
        assert_eq!(code(&body), "PERSISTED_QUERY_HASH_MISMATCH");
        assert!(body["errors"][0]["message"].as_str().unwrap().contains(&document_hash(&document)));
        assert!(!stored(&app, &other_hash).await);
        assert!(!stored(&app, &document_hash(&document)).await);
    }
}

db_test! {
    async fn only_valid_documents_of_signed_in_callers_are_stored(app) {
        // Invalid against the schema: answered with the validation error, never stored.
        let invalid = unique_document("noSuchField");
        let hash = document_hash(&invalid);
        let (_, body) = post(&app, Some(&app.token), json!({ "query": invalid, "extensions": persisted(&hash) })).await;
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("noSuchField"), "{body}");
        assert!(!stored(&app, &hash).await);

        // Anonymous callers run their document but store nothing.
        let anonymous = unique_document("__typename");
        let hash = document_hash(&anonymous);
        let (status, body) = post(&app, None, json!({ "query": anonymous, "extensions": persisted(&hash) })).await;
        assert_eq!(status, 200);
        assert_eq!(body["data"]["__typename"], "QueryRoot", "{body}");
        assert!(!stored(&app, &hash).await);

        // Over the size limit: runs, is not stored.
        let padding = format!("# {}\n", "x".repeat(40 * 1024));
        let large = format!("{padding}{}", unique_document("__typename"));
        let hash = document_hash(&large);
        let (status, _) = post(&app, Some(&app.token), json!({ "query": large, "extensions": persisted(&hash) })).await;
        assert_eq!(status, 200);
        assert!(!stored(&app, &hash).await);
    }
}

db_test! {
    async fn persisted_queries_work_over_get_but_a_persisted_mutation_still_needs_post(app) {
        let document = unique_document("districtOverview { siteCount }");
        let hash = document_hash(&document);
        let extensions = persisted(&hash).to_string();

        let (status, body) = get(&app, &[("extensions", extensions.clone())]).await;
        assert_eq!(status, 200);
        assert_eq!(code(&body), "PERSISTED_QUERY_NOT_FOUND");
        let (status, body) = get(&app, &[("query", document.clone()), ("extensions", extensions.clone())]).await;
        assert_eq!(status, 200);
        assert!(body.get("errors").is_none(), "{body}");
        let (status, body) = get(&app, &[("extensions", extensions)]).await;
        assert_eq!(status, 200);
        assert!(body.get("errors").is_none(), "{body}");
        assert_eq!(body["data"].as_object().unwrap().len(), 1);

        // A mutation registered over POST cannot be run by GET under its hash.
        let mutation = format!(
            "mutation Archive{} {{ archivePerson(input: {{id: \"x\", version: 1, reason: \"x\"}}) {{ id }} }}",
            uuid::Uuid::new_v4().simple()
        );
        let mutation_hash = document_hash(&mutation);
        post(&app, Some(&app.token), json!({ "query": mutation, "extensions": persisted(&mutation_hash) })).await;
        assert!(stored(&app, &mutation_hash).await);
        let (status, body) = get(&app, &[("extensions", persisted(&mutation_hash).to_string())]).await;
        assert_eq!(status, 405);
        assert_eq!(code(&body), "METHOD_NOT_ALLOWED");
    }
}

/// Inserts a service client the way the security administrator's tools would, and returns
/// its internal id.
async fn insert_client(app: &crate::TestApp, client_id: &str) -> i64 {
    app.db
        .execute_unprepared(&format!(
            "INSERT INTO service_client (client_id, name, secret_hash) VALUES ('{client_id}', '省级测试平台', 'not-a-real-hash')"
        ))
        .await
        .unwrap();
    find_client(&app.db, client_id).await.unwrap().unwrap().id
}

const SITE_COUNT: &str = "query ProvinceSiteCount { districtOverview { siteCount } }";

db_test! {
    async fn only_registered_operations_are_allowed_to_a_client_in_allow_list_mode(app) {
        let client = insert_client(&app, "province-community").await;
        let registered = document_hash(SITE_COUNT);
        let other = document_hash("{ __typename }");

        // Outside allow-list mode any operation is allowed.
        assert!(operation_allowed(&app.db, client, &other).await.unwrap());

        let security = app.login("security_admin").await;
        let register = "mutation($c: String!, $d: String!) { registerClientOperation(clientId: $c, document: $d) { sha256Hash operationName } }";
        let body = app.graphql_with(Some(&security), register, json!({ "c": "province-community", "d": SITE_COUNT })).await;
        assert_eq!(body["data"]["registerClientOperation"]["sha256Hash"], registered.as_str(), "{body}");
        assert_eq!(body["data"]["registerClientOperation"]["operationName"], "ProvinceSiteCount");
        let switch = "mutation($c: String!, $on: Boolean!) { setClientAllowListOnly(clientId: $c, allowListOnly: $on) }";
        let body = app.graphql_with(Some(&security), switch, json!({ "c": "province-community", "on": true })).await;
        assert_eq!(body["data"]["setClientAllowListOnly"], true, "{body}");

        assert!(operation_allowed(&app.db, client, &registered).await.unwrap());
        assert!(!operation_allowed(&app.db, client, &other).await.unwrap());
        // An unknown client may run nothing.
        assert!(!operation_allowed(&app.db, client + 1000, &registered).await.unwrap());

        // Removing the operation withdraws it at once.
        let remove = "mutation($c: String!, $h: String!) { removeClientOperation(clientId: $c, sha256Hash: $h) }";
        let body = app.graphql_with(Some(&security), remove, json!({ "c": "province-community", "h": registered })).await;
        assert_eq!(body["data"]["removeClientOperation"], true, "{body}");
        assert!(!operation_allowed(&app.db, client, &registered).await.unwrap());
        let body = app.graphql_with(Some(&security), remove, json!({ "c": "province-community", "h": registered })).await;
        assert_eq!(body["data"]["removeClientOperation"], false);
    }
}

db_test! {
    async fn the_security_administrator_registers_only_valid_named_operations(app) {
        insert_client(&app, "quota-supervision").await;
        let security = app.login("security_admin").await;
        let register = "mutation($c: String!, $d: String!) { registerClientOperation(clientId: $c, document: $d) { sha256Hash operationName document registeredAt } }";
        let list = "query($c: String!) { clientOperations(clientId: $c) { sha256Hash operationName } }";

        for (document, why) in [
            ("{ districtOverview { siteCount } }", "anonymous"),
            ("query A { noSuchField }", "invalid against the schema"),
            ("query A { __typename } query B { __typename }", "two operations"),
            ("query A {", "a syntax error"),
        ] {
            let body = app.graphql_with(Some(&security), register, json!({ "c": "quota-supervision", "d": document })).await;
            assert_eq!(code(&body), "INVALID_INPUT", "{why}: {body}");
        }
        let body = app.graphql_with(Some(&security), register, json!({ "c": "no-such-client", "d": SITE_COUNT })).await;
        assert_eq!(code(&body), "NOT_FOUND");

        // Registering is idempotent; the list shows each operation once.
        for _ in 0..2 {
            let body = app.graphql_with(Some(&security), register, json!({ "c": "quota-supervision", "d": SITE_COUNT })).await;
            assert_eq!(body["data"]["registerClientOperation"]["document"], SITE_COUNT, "{body}");
        }
        let body = app.graphql_with(Some(&security), list, json!({ "c": "quota-supervision" })).await;
        assert_eq!(body["data"]["clientOperations"], json!([{ "sha256Hash": document_hash(SITE_COUNT), "operationName": "ProvinceSiteCount" }]));
        let audited = app.count_rows("audit_log WHERE action = 'client_operation.register'").await;
        assert_eq!(audited, 1);

        // Nobody but the security administrator manages them.
        let body = app.graphql_with(Some(&app.token), list, json!({ "c": "quota-supervision" })).await;
        assert_eq!(code(&body), "FORBIDDEN");
        let body = app.graphql_with(Some(&app.token), register, json!({ "c": "quota-supervision", "d": SITE_COUNT })).await;
        assert_eq!(code(&body), "FORBIDDEN");
    }
}

const LAND_QUOTAS: &str =
    "query ProvinceLandQuotas { landQuotas(first: 5) { nodes { code areaMu } } }";

db_test! {
    async fn a_client_in_allow_list_mode_runs_its_registered_operations_and_nothing_else(app) {
        // The security administrator creates the land platform's client, registers its one
        // operation and switches it to allow-list mode.
        let security = app.login("security_admin").await;
        let created = app.graphql_with(Some(&security),
            "mutation($input: CreateServiceClientInput!) { createServiceClient(input: $input) { client { clientId } clientSecret } }",
            json!({ "input": { "name": "陕西省城乡建设用地增减挂钩节余指标交易监管平台", "scopes": ["land:read"], "roleCode": "provincial:land_quota_platform" } }),
        ).await;
        let client_id = created["data"]["createServiceClient"]["client"]["clientId"].as_str().unwrap_or_else(|| panic!("{created}")).to_string();
        let secret = created["data"]["createServiceClient"]["clientSecret"].as_str().unwrap().to_string();
        let register = "mutation($c: String!, $d: String!) { registerClientOperation(clientId: $c, document: $d) { sha256Hash } }";
        let body = app.graphql_with(Some(&security), register, json!({ "c": client_id, "d": LAND_QUOTAS })).await;
        let hash = body["data"]["registerClientOperation"]["sha256Hash"].as_str().unwrap_or_else(|| panic!("{body}")).to_string();
        let switch = "mutation($c: String!, $on: Boolean!) { setClientAllowListOnly(clientId: $c, allowListOnly: $on) }";
        app.graphql_with(Some(&security), switch, json!({ "c": client_id, "on": true })).await;

        let response = app.http().post(app.url("/oauth/token"))
            .basic_auth(&client_id, Some(&secret))
            .form(&[("grant_type", "client_credentials")])
            .send().await.unwrap();
        let token_body: Value = response.json().await.unwrap();
        let token = token_body["access_token"].as_str().unwrap_or_else(|| panic!("{token_body}")).to_string();

        // The registered operation runs by its hash alone (the shared store has never seen
        // it: the registration is enough), by its full text, and over GET.
        let (status, body) = post(&app, Some(&token), json!({ "extensions": persisted(&hash) })).await;
        assert_eq!(status, 200);
        assert!(body.get("errors").is_none(), "{body}");
        assert!(!body["data"]["landQuotas"]["nodes"].as_array().unwrap().is_empty());
        let (status, body) = post(&app, Some(&token), json!({ "query": LAND_QUOTAS })).await;
        assert_eq!(status, 200);
        assert!(body.get("errors").is_none(), "{body}");
        let response = app.http().get(app.url("/graphql")).bearer_auth(&token)
            .query(&[("extensions", persisted(&hash).to_string())])
            .send().await.unwrap();
        assert_eq!(response.status(), 200);

        // Anything else is refused before it runs, and the refusal is audited as the client.
        let refused_before = app.count_rows("audit_log WHERE action = 'client.call' AND outcome = 'failure'").await;
        for body in [
            json!({ "query": "{ landQuotas(first: 5) { nodes { code } } }" }),
            json!({ "extensions": persisted(&document_hash("query Other { __typename }")) }),
            json!([{ "query": LAND_QUOTAS }, { "query": "{ me { username } }" }]),
        ] {
            let (status, response) = post(&app, Some(&token), body.clone()).await;
            assert_eq!(status, 403, "{body}: {response}");
            assert_eq!(code(&response), "OPERATION_NOT_ALLOWED");
        }
        let refused_after = app.count_rows("audit_log WHERE action = 'client.call' AND outcome = 'failure'").await;
        assert_eq!(refused_after, refused_before + 3);

        // Out of allow-list mode, the client may run any query within its scopes again.
        app.graphql_with(Some(&security), switch, json!({ "c": client_id, "on": false })).await;
        let (status, response) = post(&app, Some(&token), json!({ "query": "{ landQuotas(first: 5) { nodes { code } } }" })).await;
        assert_eq!(status, 200);
        assert!(response.get("errors").is_none(), "{response}");
    }
}

db_test! {
    async fn the_store_keeps_a_bounded_number_of_documents_evicting_the_least_recently_used(app) {
        use backend::persistence::persisted_queries::{find_document, store_document};
        let start = chrono::Utc::now() - chrono::Duration::days(3);
        let documents: Vec<String> = (0..3).map(|i| format!("query Evict{i} {{ __typename }}")).collect();
        for (day, document) in documents.iter().enumerate() {
            let at = start + chrono::Duration::days(day as i64);
            store_document(&app.db, &document_hash(document), document, at, 2).await.unwrap();
        }
        assert_eq!(app.count_rows("persisted_query").await, 2);
        let now = chrono::Utc::now();
        assert_eq!(find_document(&app.db, &document_hash(&documents[0]), now).await.unwrap(), None);
        // Reading the older survivor makes it recent: the next eviction takes the other one.
        assert!(find_document(&app.db, &document_hash(&documents[1]), now).await.unwrap().is_some());
        let newest = "query Evict3 { __typename }";
        store_document(&app.db, &document_hash(newest), newest, now, 2).await.unwrap();
        assert!(find_document(&app.db, &document_hash(&documents[1]), now).await.unwrap().is_some());
        assert_eq!(find_document(&app.db, &document_hash(&documents[2]), now).await.unwrap(), None);
        // Storing a document twice (two instances at once) is harmless.
        store_document(&app.db, &document_hash(newest), newest, now, 2).await.unwrap();
        assert_eq!(app.count_rows("persisted_query").await, 2);
    }
}
