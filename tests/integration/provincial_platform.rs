//! A provincial platform end to end, as an integrator would run it: credentials from the
//! security administrator, a token from `/oauth/token`, allow-listed operations sent by their
//! sha256 alone, a household found by its code, the change feed followed across concurrent
//! writers without losing or repeating a change, a live subscription — and refusals for
//! everything outside its scopes and its allow-list.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

use crate::change_feed::{head, households, record_ids, touch_household};
use crate::service_clients::{create_client, token};
use crate::{db_test, TestApp};

/// The operations the platform sends us, registered byte for byte.
const HOUSEHOLD_BY_CODE: &str =
    "query HouseholdByCode($code: String!) { householdByCode(code: $code) { id code headName site { code town { divisionCode } } } }";
const FOLLOW: &str = "query Follow($after: String) { changes(after: $after, first: 4, types: [\"Household\", \"JobPosting\"]) { nodes { cursor recordType recordId kind } pageInfo { hasNextPage endCursor } } }";
const LIVE: &str =
    "subscription Live($after: String) { changes(after: $after, types: [\"Household\"]) { cursor recordId kind } }";
/// Registered, but it reads a domain outside the client's scopes.
const EMPLOYMENT: &str = "query Employment { jobPostings(first: 5) { nodes { id title } } }";

fn hash(document: &str) -> String {
    hex::encode(Sha256::digest(document.as_bytes()))
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

/// POSTs an operation by its hash alone (automatic persisted query, no text).
async fn by_hash(app: &TestApp, token: &str, document: &str, variables: Value) -> (u16, Value) {
    let response = app
        .http()
        .post(app.url("/graphql"))
        .bearer_auth(token)
        .json(&json!({
            "variables": variables,
            "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash(document) } },
        }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn admin_call(app: &TestApp, admin: &str, query: &str, variables: Value) -> Value {
    let response = app.graphql_with(Some(admin), query, variables).await;
    assert!(response.get("errors").is_none(), "{response:#}");
    response["data"].clone()
}

/// Follows the feed with the registered `Follow` operation until it is up to date.
async fn follow_feed(app: &TestApp, token: &str, cursor: &mut String, seen: &mut Vec<Value>) {
    loop {
        let (status, body) = by_hash(app, token, FOLLOW, json!({ "after": cursor })).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "{body:#}");
        let changes = &body["data"]["changes"];
        seen.extend(changes["nodes"].as_array().unwrap().iter().cloned());
        *cursor = changes["pageInfo"]["endCursor"]
            .as_str()
            .unwrap()
            .to_string();
        if changes["pageInfo"]["hasNextPage"] != true {
            return;
        }
    }
}

db_test! {
    async fn a_provincial_platform_integrates_end_to_end(app) {
        let app = Arc::new(app);
        // 1. Credentials: the security administrator registers the platform, its operations,
        //    and switches it to allow-list mode.
        let admin = app.login("security_admin").await;
        let client = create_client(&app, &admin, json!({
            "name": "陕西省易地扶贫搬迁后续扶持社区服务平台",
            "scopes": ["identity:read"],
            "roleCode": "provincial:relocation_group",
        })).await;
        let register = "mutation($c: String!, $d: String!) { registerClientOperation(clientId: $c, document: $d) { sha256Hash } }";
        for document in [HOUSEHOLD_BY_CODE, FOLLOW, LIVE, EMPLOYMENT] {
            let data = admin_call(&app, &admin, register, json!({ "c": client.id, "d": document })).await;
            assert_eq!(data["registerClientOperation"]["sha256Hash"], hash(document));
        }
        admin_call(&app, &admin,
            "mutation($c: String!) { setClientAllowListOnly(clientId: $c, allowListOnly: true) }",
            json!({ "c": client.id })).await;

        // 2. A token; a scope the client does not hold is refused at the token endpoint.
        let token = token(&app, &client, None).await;
        let refused = app.http().post(app.url("/oauth/token"))
            .basic_auth(&client.id, Some(&client.secret))
            .form(&[("grant_type", "client_credentials"), ("scope", "land:read")])
            .send().await.unwrap();
        assert_eq!(refused.status().as_u16(), 400);
        assert_eq!(refused.json::<Value>().await.unwrap()["error"], "invalid_scope");

        // 3. An allow-listed query by its hash alone: a household by its code.
        let household_code = app.graphql_ok("{ households(first: 1) { nodes { code } } }", json!({})).await
            ["households"]["nodes"][0]["code"].as_str().unwrap().to_string();
        let (status, body) = by_hash(&app, &token, HOUSEHOLD_BY_CODE, json!({ "code": household_code })).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["householdByCode"]["code"], household_code.as_str(), "{body}");
        assert!(body["data"]["householdByCode"]["site"]["town"]["divisionCode"]
            .as_str().unwrap().starts_with("610202"));

        // 4. Refused: anything not registered (also a respelling of a registered query), a
        //    registered operation reading outside the scopes, and any mutation.
        for document in [
            "{ households(first: 1) { nodes { code } } }",
            &HOUSEHOLD_BY_CODE.replace("  ", " ").replace("headName ", "headName  "),
            "mutation { createJobPosting(input: { level: DISTRICT, employerName: \"某公司\", title: \"保洁员\", employmentType: NEARBY, vacancies: 2 }) { id } }",
        ] {
            let response = app.http().post(app.url("/graphql")).bearer_auth(&token)
                .json(&json!({ "query": document, "variables": { "code": household_code } }))
                .send().await.unwrap();
            assert_eq!(response.status().as_u16(), 403, "{document}");
            assert_eq!(code(&response.json().await.unwrap()), "OPERATION_NOT_ALLOWED");
        }
        let (_, body) = by_hash(&app, &token, EMPLOYMENT, json!({})).await;
        assert_eq!(code(&body), "FORBIDDEN_FIELD", "{body}");
        assert_eq!(body["data"]["jobPostings"], Value::Null);

        // 5. The feed across concurrent writers: households (in scope) and job postings
        //    (employment, outside it) written by several bureaus at once while the platform
        //    follows in pages of four.
        let mut cursor = head(&app, &app.token).await;
        let targets: Vec<(String, i64, String)> = households(&app).await.into_iter().take(4).collect();
        const WRITES: i64 = 4;
        let hrss = app.login("bureau_hrss").await;
        let mut writers = Vec::new();
        for (id, version, _) in targets.clone() {
            let app = app.clone();
            writers.push(tokio::spawn(async move {
                let mut version = version;
                for _ in 0..WRITES {
                    version = touch_household(&app, &app.token, &id, version).await;
                }
            }));
        }
        for writer in 0..2 {
            let app = app.clone();
            let hrss = hrss.clone();
            writers.push(tokio::spawn(async move {
                for posting in 0..3 {
                    let response = app.graphql_with(Some(&hrss),
                        "mutation($input: CreateJobPostingInput!) { createJobPosting(input: $input) { id } }",
                        json!({ "input": { "level": "DISTRICT", "employerName": format!("企业{writer}-{posting}"),
                                           "title": "保洁员", "employmentType": "NEARBY", "vacancies": 1 } })).await;
                    assert!(response.get("errors").is_none(), "{response:#}");
                }
            }));
        }
        let mut seen = Vec::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        let expected = targets.len() * WRITES as usize;
        while seen.len() < expected && tokio::time::Instant::now() < deadline {
            follow_feed(&app, &token, &mut cursor, &mut seen).await;
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        for writer in writers {
            writer.await.unwrap();
        }
        follow_feed(&app, &token, &mut cursor, &mut seen).await;
        assert!(seen.iter().all(|change| change["recordType"] == "Household"),
            "job postings are outside identity:read: {seen:#?}");
        let mut per_record: HashMap<&str, usize> = HashMap::new();
        for id in record_ids(&seen) {
            *per_record.entry(id).or_default() += 1;
        }
        for (id, _, _) in &targets {
            assert_eq!(per_record.get(id.as_str()), Some(&(WRITES as usize)), "{id}: every change once");
        }
        assert_eq!(seen.len(), expected, "nothing else, nothing twice");

        // 6. Live: the registered subscription streams the next change; an unregistered one is
        //    refused before it runs.
        let mut request = app.url("/graphql/ws").replace("http://", "ws://").into_client_request().unwrap();
        request.headers_mut().insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse().unwrap());
        let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        let text = |value: Value| Message::Text(value.to_string().into());
        socket.send(text(json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }))).await.unwrap();
        let next_json = |message: Message| -> Value { serde_json::from_str(message.to_text().unwrap()).unwrap() };
        assert_eq!(next_json(socket.next().await.unwrap().unwrap())["type"], "connection_ack");
        socket.send(text(json!({ "id": "x", "type": "subscribe", "payload": {
            "query": "subscription { changes { cursor } }" } }))).await.unwrap();
        let refused = next_json(socket.next().await.unwrap().unwrap());
        assert_eq!(refused["id"], "x", "{refused}");
        assert_eq!(refused["payload"]["data"], Value::Null, "{refused}");
        assert_eq!(refused["payload"]["errors"][0]["extensions"]["code"], "OPERATION_NOT_ALLOWED", "{refused}");
        let done = next_json(socket.next().await.unwrap().unwrap());
        assert_eq!((&done["type"], &done["id"]), (&json!("complete"), &json!("x")), "{done}");
        socket.send(text(json!({ "id": "1", "type": "subscribe", "payload": {
            "query": LIVE, "variables": { "after": cursor } } }))).await.unwrap();
        let (id, version, _) = households(&app).await.remove(0);
        tokio::time::sleep(Duration::from_millis(200)).await;
        touch_household(&app, &app.token, &id, version).await;
        let live = tokio::time::timeout(Duration::from_secs(20), socket.next()).await
            .expect("a change within 20 s").unwrap().unwrap();
        let live = next_json(live);
        assert_eq!(live["type"], "next", "{live}");
        assert_eq!(live["payload"]["data"]["changes"]["recordId"], id.as_str(), "{live}");

        // 7. Every call is audited as the client, refusals included.
        let calls = app.count_rows("audit_log WHERE action = 'client.call'").await;
        let refusals = app.count_rows("audit_log WHERE action = 'client.call' AND outcome = 'failure'").await;
        assert!(calls >= 8 && refusals >= 4, "calls {calls}, refusals {refusals}");
    }
}
