//! `Idempotency-Key` on mutations: a retry gets the first response back and changes nothing
//! again — also when the retries race the first request, on any instance — and a reused key
//! with another body is refused.
use serde_json::{json, Value};

use crate::db_test;

const CREATE: &str = "mutation($input: CreateHouseholdInput!) { createHousehold(input: $input) { id code version memberCount } }";

async fn first_site_id(app: &crate::TestApp) -> Value {
    app.graphql_ok("{ sites(first: 1) { nodes { id } } }", json!({}))
        .await["sites"]["nodes"][0]["id"]
        .clone()
}

/// A fictitious household of one, with a code of its own.
async fn create_body(app: &crate::TestApp, code: &str) -> Value {
    let site_id = first_site_id(app).await;
    json!({
        "query": CREATE,
        "variables": { "input": {
            "siteId": site_id,
            "code": code,
            "relocatedOn": "2019-06-30",
            "members": [{ "name": "重试户主", "idNumber": "11010519491231002X", "relation": "HEAD",
                          "labourCapacity": "FULL", "employmentStatus": "UNEMPLOYED" }]
        } }
    })
}

struct Answer {
    status: u16,
    replayed: bool,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap()
    }
}

async fn send(app: &crate::TestApp, token: &str, key: &str, body: &str) -> Answer {
    let response = app
        .http()
        .post(app.url("/graphql"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    Answer {
        status: response.status().as_u16(),
        replayed: response.headers().get("idempotent-replayed").is_some(),
        text: response.text().await.unwrap(),
    }
}

db_test! {
    async fn a_retry_with_the_same_key_gets_the_first_response_and_writes_nothing_again(app) {
        let body = create_body(&app, "RETRY-001").await;
        let households = app.count_rows("household").await;
        let audited = app.count_rows("audit_log WHERE action = 'household.create'").await;
        let key = uuid::Uuid::new_v4().to_string();

        let first = send(&app, &app.token, &key, &body.to_string()).await;
        assert_eq!(first.status, 200);
        assert!(!first.replayed);
        assert_eq!(first.json()["data"]["createHousehold"]["code"], "RETRY-001", "{}", first.text);
        assert_eq!(app.count_rows("household").await, households + 1);

        let retry = send(&app, &app.token, &key, &body.to_string()).await;
        assert_eq!(retry.status, 200);
        assert!(retry.replayed);
        assert_eq!(retry.text, first.text);
        // The same request serialised differently (keys reordered, white space) is the same.
        let reordered = format!(
            "{{ \"variables\": {},\n \"query\": {} }}",
            body["variables"], body["query"]
        );
        let again = send(&app, &app.token, &key, &reordered).await;
        assert!(again.replayed);
        assert_eq!(again.text, first.text);
        // A retry through an automatic-persisted-query link (the hash beside the text) is
        // the same request too: the key compares the operations, not the bytes.
        let mut with_hash = body.clone();
        with_hash["extensions"] = json!({ "persistedQuery": { "version": 1,
            "sha256Hash": backend::graphql::client_operations::document_hash(CREATE) } });
        let again = send(&app, &app.token, &key, &with_hash.to_string()).await;
        assert!(again.replayed, "{}", again.text);
        assert_eq!(again.text, first.text);
        assert_eq!(app.count_rows("household").await, households + 1);
        assert_eq!(app.count_rows("household WHERE code = 'RETRY-001'").await, 1);
        assert_eq!(app.count_rows("audit_log WHERE action = 'household.create'").await, audited + 1);

        // Without a key the same mutation runs again (and meets the unique code).
        let unkeyed = app.graphql(CREATE, body["variables"].clone()).await;
        assert_eq!(unkeyed["errors"][0]["extensions"]["code"], "CONFLICT", "{unkeyed}");
    }
}

db_test! {
    async fn the_same_key_with_a_different_body_is_refused(app) {
        let key = uuid::Uuid::new_v4().to_string();
        let first = send(&app, &app.token, &key, &create_body(&app, "RETRY-002").await.to_string()).await;
        assert_eq!(first.status, 200);
        let households = app.count_rows("household").await;
        let other = send(&app, &app.token, &key, &create_body(&app, "RETRY-003").await.to_string()).await;
        assert_eq!(other.status, 422);
        assert_eq!(other.json()["errors"][0]["extensions"]["code"], "IDEMPOTENCY_KEY_REUSED");
        assert_eq!(app.count_rows("household").await, households);
    }
}

db_test! {
    async fn a_failed_mutation_is_replayed_as_the_same_failure(app) {
        let mut body = create_body(&app, "RETRY-004").await;
        body["variables"]["input"]["members"][0]["idNumber"] = json!("110105194912310021");
        let key = uuid::Uuid::new_v4().to_string();
        let first = send(&app, &app.token, &key, &body.to_string()).await;
        assert_eq!(first.json()["errors"][0]["extensions"]["code"], "INVALID_INPUT", "{}", first.text);
        let retry = send(&app, &app.token, &key, &body.to_string()).await;
        assert!(retry.replayed);
        assert_eq!(retry.text, first.text);
    }
}

db_test! {
    async fn keys_belong_to_their_caller_and_queries_store_nothing(app) {
        let key = uuid::Uuid::new_v4().to_string();
        let body = create_body(&app, "RETRY-005").await.to_string();
        let first = send(&app, &app.token, &key, &body).await;
        assert!(!first.replayed);
        // Another user with the same key and body runs their own request (here refused).
        let education = app.login("bureau_education").await;
        let theirs = send(&app, &education, &key, &body).await;
        assert!(!theirs.replayed);
        assert_eq!(theirs.json()["errors"][0]["extensions"]["code"], "FORBIDDEN", "{}", theirs.text);

        // A query with a key simply runs; nothing is stored for it.
        let stored = app.count_rows("idempotency_key").await;
        let query = json!({ "query": "{ districtOverview { siteCount } }" }).to_string();
        for _ in 0..2 {
            let answer = send(&app, &app.token, "query-key", &query).await;
            assert_eq!(answer.status, 200);
            assert!(!answer.replayed);
        }
        assert_eq!(app.count_rows("idempotency_key").await, stored);

        // Malformed keys and anonymous callers are refused before anything runs.
        let malformed = send(&app, &app.token, "two words", &body).await;
        assert_eq!(malformed.status, 400);
        assert_eq!(malformed.json()["errors"][0]["extensions"]["code"], "IDEMPOTENCY_KEY_INVALID");
        let response = app.http().post(app.url("/graphql"))
            .header("idempotency-key", "anonymous")
            .json(&json!({ "query": "mutation { logout }" }))
            .send().await.unwrap();
        assert_eq!(response.status(), 400);
        let anonymous: Value = response.json().await.unwrap();
        assert_eq!(anonymous["errors"][0]["extensions"]["code"], "IDEMPOTENCY_KEY_UNSUPPORTED");
    }
}

db_test! {
/// Eight concurrent sends of one key: one runs, the others wait for it and replay its answer
/// (or are told it is still in progress). The waiting itself is shown deterministically by
/// the test after this one.
async fn concurrent_retries_run_the_mutation_once(app) {
    let app = std::sync::Arc::new(app);
    let body = create_body(&app, "RETRY-006").await.to_string();
    let households = app.count_rows("household").await;
    let key = uuid::Uuid::new_v4().to_string();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (app, body, key) = (app.clone(), body.clone(), key.clone());
        tasks.spawn(async move { send(&app, &app.token, &key, &body).await });
    }
    let mut answers = Vec::new();
    while let Some(answer) = tasks.join_next().await {
        answers.push(answer.unwrap());
    }
    let ran: Vec<&Answer> = answers
        .iter()
        .filter(|answer| answer.status == 200 && !answer.replayed)
        .collect();
    let texts: Vec<&str> = ran.iter().map(|answer| answer.text.as_str()).collect();
    assert_eq!(
        ran.len(),
        1,
        "exactly one request ran the mutation: {texts:?}"
    );
    let first = &ran[0].text;
    assert!(ran[0].json().get("errors").is_none(), "{first}");
    for answer in &answers {
        match answer.status {
            200 => assert_eq!(&answer.text, first),
            409 => assert_eq!(
                answer.json()["errors"][0]["extensions"]["code"],
                "IDEMPOTENCY_KEY_IN_PROGRESS"
            ),
            other => panic!("unexpected status {other}: {}", answer.text),
        }
    }
    assert_eq!(app.count_rows("household").await, households + 1);
    assert_eq!(
        app.count_rows("household WHERE code = 'RETRY-006'").await,
        1
    );
}
}

/// The id of the default user, whose keys the tests claim as another instance would.
async fn default_user_key(app: &crate::TestApp) -> String {
    use sea_orm::ConnectionTrait;
    let row = app
        .db
        .query_one(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!(
                "SELECT id FROM \"user\" WHERE username = '{}'",
                integration_tests::DEFAULT_USER
            ),
        ))
        .await
        .unwrap()
        .unwrap();
    format!("user:{}", row.try_get::<i64>("", "id").unwrap())
}

/// Claims a key straight in the database, as a request running on another instance would.
async fn claim_elsewhere(
    app: &crate::TestApp,
    key: &str,
    body: &Value,
    started: chrono::DateTime<chrono::Utc>,
) -> i64 {
    use backend::http::idempotency::{operation_fingerprint, request_hash};
    use backend::persistence::idempotency::{claim, Claim, NewClaim};
    let principal_key = default_user_key(app).await;
    let fingerprint = operation_fingerprint(
        body["query"].as_str().unwrap(),
        None,
        body.get("variables").unwrap_or(&json!({})),
    );
    let claimed = claim(
        &app.db,
        NewClaim {
            principal_key: &principal_key,
            key,
            request_hash: &request_hash(&fingerprint),
            now: started,
            expires_at: started + chrono::Duration::hours(24),
        },
    )
    .await
    .unwrap();
    match claimed {
        Claim::Claimed(id) => id,
        Claim::Taken(row) => panic!("the key was taken: {row:?}"),
    }
}

db_test! {
    async fn a_retry_waits_for_the_first_request_on_another_instance_or_takes_over_an_abandoned_one(app) {
        let app = std::sync::Arc::new(app);
        let logout = json!({ "query": "mutation { logout }" });
        let body = r#"{"query":"mutation { logout }"}"#;

        // Running elsewhere: the retry waits and answers with that request's response.
        let key = uuid::Uuid::new_v4().to_string();
        let id = claim_elsewhere(&app, &key, &logout, chrono::Utc::now()).await;
        let retry = {
            let (app, key) = (app.clone(), key.clone());
            tokio::spawn(async move { send(&app, &app.token, &key, body).await })
        };
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let stored = r#"{"data":{"logout":true},"fromAnotherInstance":true}"#;
        backend::persistence::idempotency::complete(&app.db, id, 200, stored, chrono::Utc::now()).await.unwrap();
        let answer = retry.await.unwrap();
        assert_eq!(answer.status, 200);
        assert!(answer.replayed);
        assert_eq!(answer.text, stored);

        // Still running after the wait: 409, to be retried.
        let key = uuid::Uuid::new_v4().to_string();
        claim_elsewhere(&app, &key, &logout, chrono::Utc::now()).await;
        let response = app.http().post(app.url("/graphql")).bearer_auth(&app.token)
            .header("content-type", "application/json").header("idempotency-key", &key)
            .body(body).send().await.unwrap();
        assert_eq!(response.status(), 409);
        assert_eq!(response.headers()["retry-after"], "1");
        let refused: Value = response.json().await.unwrap();
        assert_eq!(refused["errors"][0]["extensions"]["code"], "IDEMPOTENCY_KEY_IN_PROGRESS");

        // Claimed ten minutes ago and never completed (its instance died): taken over and run.
        let households = app.count_rows("household").await;
        let site_id = first_site_id(&app).await;
        let create = json!({
            "query": CREATE,
            "variables": { "input": {
                "siteId": site_id, "code": "RETRY-007", "relocatedOn": "2019-06-30",
                "members": [{ "name": "接管户主", "idNumber": "11010519491231002X", "relation": "HEAD",
                              "labourCapacity": "FULL", "employmentStatus": "UNEMPLOYED" }]
            } }
        });
        let key = uuid::Uuid::new_v4().to_string();
        claim_elsewhere(&app, &key, &create, chrono::Utc::now() - chrono::Duration::minutes(10)).await;
        let create = create.to_string();
        let taken_over = send(&app, &app.token, &key, &create).await;
        assert!(!taken_over.replayed);
        assert_eq!(taken_over.json()["data"]["createHousehold"]["code"], "RETRY-007", "{}", taken_over.text);
        assert_eq!(app.count_rows("household").await, households + 1);
        let retry = send(&app, &app.token, &key, &create).await;
        assert!(retry.replayed);
        assert_eq!(retry.text, taken_over.text);
    }
}
