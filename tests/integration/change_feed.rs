//! The change feed: every committed change once, in commit order, filtered by the reader's
//! data domains and towns; paged by cursor without gaps or repeats, also while many writers
//! commit out of order on PostgreSQL; and live over WebSocket (graphql-transport-ws) across
//! two server instances, authenticated in `connection_init`.
use std::collections::{HashMap, HashSet};
use std::time::Duration;

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

use crate::{db_test, DbKind, TestApp};

const CHANGES: &str = "query($after: String, $first: Int, $types: [String!]) {
    changes(after: $after, first: $first, types: $types) {
        edges { cursor node { cursor recordType recordId kind actor occurredAt } }
        pageInfo { hasNextPage endCursor } } }";

const UPDATE_HOUSEHOLD: &str = "mutation($input: UpdateHouseholdInput!) {
    updateHousehold(input: $input) { id version } }";

/// The cursor of the feed's newest position, to follow from now on.
pub(crate) async fn head(app: &TestApp, token: &str) -> String {
    let response = app
        .graphql_with(
            Some(token),
            "{ changes(first: 0) { pageInfo { endCursor } } }",
            json!({}),
        )
        .await;
    response["data"]["changes"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap_or_else(|| panic!("{response}"))
        .to_string()
}

/// One page after `after`: the changes and where to continue.
pub(crate) async fn page(
    app: &TestApp,
    token: &str,
    after: &str,
    first: i32,
    types: Option<&[&str]>,
) -> (Vec<Value>, String, bool) {
    let response = app
        .graphql_with(
            Some(token),
            CHANGES,
            json!({ "after": after, "first": first, "types": types }),
        )
        .await;
    assert!(response.get("errors").is_none(), "{response:#}");
    let changes = &response["data"]["changes"];
    let nodes = changes["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| {
            assert_eq!(edge["cursor"], edge["node"]["cursor"]);
            edge["node"].clone()
        })
        .collect();
    (
        nodes,
        changes["pageInfo"]["endCursor"]
            .as_str()
            .expect("endCursor")
            .to_string(),
        changes["pageInfo"]["hasNextPage"]
            .as_bool()
            .expect("hasNextPage"),
    )
}

/// Every change after `after`, in pages of `first`; returns them and the cursor to go on from.
pub(crate) async fn follow(
    app: &TestApp,
    token: &str,
    after: &str,
    first: i32,
    types: Option<&[&str]>,
) -> (Vec<Value>, String) {
    let mut cursor = after.to_string();
    let mut all = Vec::new();
    loop {
        let (nodes, end, more) = page(app, token, &cursor, first, types).await;
        all.extend(nodes);
        cursor = end;
        if !more {
            return (all, cursor);
        }
    }
}

/// The feed position inside an (opaque) cursor, to check the order.
pub(crate) fn position(cursor: &Value) -> i64 {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor.as_str().expect("cursor"))
        .expect("base64");
    let text = String::from_utf8(bytes).expect("utf-8");
    text.split('\u{1f}')
        .nth(1)
        .expect("position")
        .parse()
        .expect("number")
}

/// The demo households with their versions and the division code of their town.
pub(crate) async fn households(app: &TestApp) -> Vec<(String, i64, String)> {
    let data = app
        .graphql_ok(
            "{ households(first: 100) { nodes { id version site { town { divisionCode } } } } }",
            json!({}),
        )
        .await;
    data["households"]["nodes"]
        .as_array()
        .expect("households")
        .iter()
        .map(|node| {
            (
                node["id"].as_str().expect("id").to_string(),
                node["version"].as_i64().expect("version"),
                node["site"]["town"]["divisionCode"]
                    .as_str()
                    .expect("town")
                    .to_string(),
            )
        })
        .collect()
}

/// Updates a household as `token`'s holder; returns its new version.
pub(crate) async fn touch_household(app: &TestApp, token: &str, id: &str, version: i64) -> i64 {
    let day = 1 + version % 28;
    let response = app
        .graphql_with(
            Some(token),
            UPDATE_HOUSEHOLD,
            json!({ "input": { "id": id, "version": version, "relocatedOn": format!("2019-06-{day:02}") } }),
        )
        .await;
    response["data"]["updateHousehold"]["version"]
        .as_i64()
        .unwrap_or_else(|| panic!("the update is accepted: {response:#}"))
}

pub(crate) fn record_ids(changes: &[Value]) -> Vec<&str> {
    changes
        .iter()
        .map(|change| change["recordId"].as_str().expect("recordId"))
        .collect()
}

db_test! {
    async fn a_write_appears_in_the_feed_once_with_its_type_and_id(app) {
        let token = app.token.clone();
        let start = head(&app, &token).await;
        let (id, version, _) = households(&app).await.remove(0);
        touch_household(&app, &token, &id, version).await;

        let (changes, after_write) = follow(&app, &token, &start, 100, Some(&["Household", "Person"])).await;
        assert_eq!(changes.len(), 1, "{changes:#?}");
        let change = &changes[0];
        assert_eq!(change["recordType"], "Household");
        assert_eq!(change["recordId"], id.as_str());
        assert_eq!(change["kind"], "UPDATED");
        assert_eq!(change["actor"], "bureau_poverty");
        // The record is one `node(id:)` away.
        let node = app
            .graphql_ok("query($id: ID!) { node(id: $id) { id ... on Household { version } } }", json!({ "id": id }))
            .await;
        assert_eq!(node["node"]["version"], version + 1);

        // Reads, unmasked reads and sign-ins are audited but change nothing: no entry.
        let public_security = app.login("bureau_public_security").await;
        let person = app
            .graphql_ok("query($id: ID!) { node(id: $id) { ... on Household { members { id } } } }", json!({ "id": id }))
            .await["node"]["members"][0]["id"]
            .clone();
        let read = app
            .graphql_with(
                Some(&public_security),
                "query($id: ID!) { node(id: $id) { ... on Person { idNumber(reason: \"户籍核对\") } } }",
                json!({ "id": person }),
            )
            .await;
        assert!(read.get("errors").is_none(), "{read}");
        let (later, _) = follow(&app, &token, &after_write, 100, None).await;
        assert!(later.is_empty(), "reads appended {later:#?}");
    }
}

db_test! {
    async fn a_town_sees_only_its_own_records_and_a_bureau_only_its_domains(app) {
        let token = app.token.clone();
        let start = head(&app, &token).await;
        let all = households(&app).await;
        let in_town = |code: &str| {
            all.iter()
                .find(|(_, _, town)| town == code)
                .cloned()
                .unwrap_or_else(|| panic!("a household in {code}"))
        };
        let (huangbao, huangbao_version, _) = in_town("610202100");
        let (wangjiahe, wangjiahe_version, _) = in_town("610202004");
        touch_household(&app, &token, &huangbao, huangbao_version).await;
        touch_household(&app, &token, &wangjiahe, wangjiahe_version).await;
        let types: &[&str] = &["Household"];

        let (district, _) = follow(&app, &token, &start, 100, Some(types)).await;
        assert_eq!(record_ids(&district), [huangbao.as_str(), wangjiahe.as_str()]);

        let town = app.login("town_610202100").await;
        let (seen, _) = follow(&app, &town, &start, 100, Some(types)).await;
        assert_eq!(record_ids(&seen), [huangbao.as_str()], "黄堡镇 sees its own household only");

        let other_town = app.login("town_610202004").await;
        let (seen, _) = follow(&app, &other_town, &start, 100, Some(types)).await;
        assert_eq!(record_ids(&seen), [wangjiahe.as_str()], "王家河街道 sees its own household only");

        // The finance bureau does not read identity: no household changes at all.
        let finance = app.login("bureau_finance").await;
        let (seen, _) = follow(&app, &finance, &start, 100, None).await;
        assert!(
            seen.iter().all(|change| change["recordType"] != "Household"),
            "{seen:#?}"
        );
    }
}

db_test! {
    async fn paging_with_after_and_first_has_no_gaps_and_no_repeats(app) {
        let token = app.token.clone();
        let start = head(&app, &token).await;
        let mut all = households(&app).await;
        all.truncate(4);
        for _ in 0..2 {
            for (id, version, _) in all.iter_mut() {
                *version = touch_household(&app, &token, id, *version).await;
            }
        }
        let types: &[&str] = &["Household"];
        let (whole, end) = follow(&app, &token, &start, 100, Some(types)).await;
        assert_eq!(whole.len(), 8);
        let (paged, paged_end) = follow(&app, &token, &start, 3, Some(types)).await;
        assert_eq!(paged, whole, "pages of three give the same changes in the same order");
        assert_eq!(paged_end, end);
        let positions: Vec<i64> = paged.iter().map(|change| position(&change["cursor"])).collect();
        assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "{positions:?}");
        // Nothing after the end, and the end is where a new change starts.
        assert!(page(&app, &token, &end, 100, Some(types)).await.0.is_empty());
        let (id, version, _) = &all[0];
        touch_household(&app, &token, id, *version).await;
        let (next, _, _) = page(&app, &token, &end, 100, Some(types)).await;
        assert_eq!(record_ids(&next), [id.as_str()]);

        // Bad arguments are refused with the field named.
        for (variables, field) in [
            (json!({ "first": 101 }), "first"),
            (json!({ "first": 10, "after": "not-a-cursor" }), "after"),
            (json!({ "first": 10, "types": ["Nonsense"] }), "types"),
        ] {
            let response = app.graphql(CHANGES, variables).await;
            assert_eq!(response["errors"][0]["extensions"]["code"], "INVALID_INPUT", "{response}");
            assert_eq!(response["errors"][0]["extensions"]["field"], field, "{response}");
        }
    }
}

db_test! {
    async fn a_new_household_its_members_and_the_alert_it_raises_reach_those_who_may_see_them(app) {
        let token = app.token.clone();
        let start = head(&app, &token).await;
        let sites = app
            .graphql_ok("{ sites(first: 50) { nodes { id town { divisionCode } } } }", json!({}))
            .await;
        let site = sites["sites"]["nodes"]
            .as_array()
            .expect("sites")
            .iter()
            .find(|site| site["town"]["divisionCode"] == "610202100")
            .expect("a site in 黄堡镇")["id"]
            .clone();
        // A head able to work and nobody employed: a zero-employment household (A2§1).
        let created = app
            .graphql_ok(
                "mutation($input: CreateHouseholdInput!) { createHousehold(input: $input) { id version members { id } } }",
                json!({ "input": {
                    "siteId": site, "code": "FEED-001", "relocatedOn": "2019-06-30",
                    "members": [
                        { "name": "测试户主", "idNumber": "11010519491231002X", "relation": "HEAD",
                          "labourCapacity": "FULL", "employmentStatus": "UNEMPLOYED" },
                        { "name": "测试子女", "idNumber": "110105201501010017", "relation": "CHILD",
                          "labourCapacity": "NONE", "employmentStatus": "NOT_IN_LABOUR_FORCE" }
                    ] } }),
            )
            .await["createHousehold"]
            .clone();
        let household = created["id"].as_str().expect("id").to_string();
        let members: Vec<&str> = created["members"]
            .as_array()
            .expect("members")
            .iter()
            .map(|member| member["id"].as_str().expect("id"))
            .collect();

        let registry: &[&str] = &["Household", "Person"];
        let (changes, after_create) = follow(&app, &token, &start, 100, Some(registry)).await;
        let described: Vec<(&str, &str, &str)> = changes
            .iter()
            .map(|change| {
                (
                    change["recordType"].as_str().expect("type"),
                    change["recordId"].as_str().expect("id"),
                    change["kind"].as_str().expect("kind"),
                )
            })
            .collect();
        assert_eq!(
            described,
            [
                ("Household", household.as_str(), "CREATED"),
                ("Person", members[0], "CREATED"),
                ("Person", members[1], "CREATED"),
            ]
        );

        // The alert, raised by the rules inside the write, goes to its owning bureau (HR and
        // social security) and the household's town, not to other bureaus or towns.
        let alert_types: &[&str] = &["Alert"];
        let hrss = app.login("bureau_hrss").await;
        let (alerts, _) = follow(&app, &hrss, &start, 100, Some(alert_types)).await;
        let mut zero_employment = None;
        for alert in &alerts {
            assert_eq!(alert["kind"], "CREATED");
            assert_eq!(alert["actor"], "system");
            let node = app
                .graphql_with(
                    Some(&hrss),
                    "query($id: ID!) { node(id: $id) { ... on Alert { rule household { id } } } }",
                    json!({ "id": alert["recordId"] }),
                )
                .await;
            if node["data"]["node"]["rule"] == "ZERO_EMPLOYMENT" {
                assert_eq!(node["data"]["node"]["household"]["id"], household.as_str());
                zero_employment = Some(alert["recordId"].clone());
            }
        }
        let zero_employment = zero_employment.unwrap_or_else(|| panic!("no zero-employment alert in {alerts:#?}"));
        let town = app.login("town_610202100").await;
        let (seen, _) = follow(&app, &town, &start, 100, Some(alert_types)).await;
        assert!(seen.iter().any(|alert| alert["recordId"] == zero_employment), "{seen:#?}");
        for stranger in ["town_610202004", "bureau_transport"] {
            let token = app.login(stranger).await;
            let (seen, _) = follow(&app, &token, &start, 100, Some(alert_types)).await;
            assert!(seen.is_empty(), "{stranger} sees {seen:#?}");
        }

        // Archiving the household archives its members with it.
        let archived = app
            .graphql_ok(
                "mutation($input: ArchiveInput!) { archiveHousehold(input: $input) { id } }",
                json!({ "input": { "id": household, "version": created["version"], "reason": "迁出" } }),
            )
            .await;
        assert_eq!(archived["archiveHousehold"]["id"], household.as_str());
        let (changes, _) = follow(&app, &token, &after_create, 100, Some(registry)).await;
        let kinds: Vec<(&str, &str)> = changes
            .iter()
            .map(|change| (change["recordId"].as_str().expect("id"), change["kind"].as_str().expect("kind")))
            .collect();
        assert_eq!(
            kinds,
            [(household.as_str(), "ARCHIVED"), (members[0], "ARCHIVED"), (members[1], "ARCHIVED")]
        );
    }
}

/// Inserts a feed row straight into the table (as the audit hook does) inside `transaction`.
async fn append_raw(transaction: &impl ConnectionTrait, record_id: i64) {
    transaction
        .execute_unprepared(&format!(
            "INSERT INTO change_feed (record_type, record_id, kind, occurred_at, actor_label, action, domain)
             VALUES ('Household', {record_id}, 'updated', CURRENT_TIMESTAMP, 'test', 'test.write', 'identity')"
        ))
        .await
        .expect("append a feed row");
}

/// The global ID the API gives household `number`.
fn household_id(number: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("Household:{number}"))
}

/// PostgreSQL: a transaction that began and appended first but commits last is not skipped
/// by a reader who already read past the other one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transaction_that_commits_late_is_not_skipped_on_postgres() {
    let Some(app) = TestApp::spawn(DbKind::Postgres).await else {
        return;
    };
    let token = app.token.clone();
    let start = head(&app, &token).await;
    let slow = app.db.begin().await.expect("begin");
    append_raw(&slow, 900_001).await;
    let fast = app.db.begin().await.expect("begin");
    append_raw(&fast, 900_002).await;
    fast.commit().await.expect("commit");

    let types: &[&str] = &["Household"];
    let (seen, cursor) = follow(&app, &token, &start, 100, Some(types)).await;
    assert_eq!(record_ids(&seen), [household_id(900_002)]);
    slow.commit().await.expect("commit");
    let (seen, _) = follow(&app, &token, &cursor, 100, Some(types)).await;
    assert_eq!(
        record_ids(&seen),
        [household_id(900_001)],
        "the late commit comes after"
    );
}

/// PostgreSQL: many writers — through the API and straight into transactions that hold their
/// entry for a while before committing — while a reader follows with pages of three: the
/// reader ends with every change exactly once, in increasing positions.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_are_followed_without_loss_or_repeats_on_postgres() {
    let Some(app) = TestApp::spawn(DbKind::Postgres).await else {
        return;
    };
    let app = std::sync::Arc::new(app);
    let token = app.token.clone();
    let start = head(&app, &token).await;
    const API_WRITERS: usize = 6;
    const API_WRITES: i64 = 5;
    const RAW_WRITERS: i64 = 6;
    const RAW_WRITES: i64 = 10;
    let targets: Vec<(String, i64, String)> = households(&app)
        .await
        .into_iter()
        .take(API_WRITERS)
        .collect();

    let mut writers = Vec::new();
    for (id, version, _) in targets.clone() {
        let app = app.clone();
        let token = token.clone();
        writers.push(tokio::spawn(async move {
            let mut version = version;
            for _ in 0..API_WRITES {
                version = touch_household(&app, &token, &id, version).await;
            }
        }));
    }
    for writer in 0..RAW_WRITERS {
        let app = app.clone();
        writers.push(tokio::spawn(async move {
            for write in 0..RAW_WRITES {
                let transaction = app.db.begin().await.expect("begin");
                append_raw(&transaction, 800_000 + writer * 1000 + write).await;
                // Hold the entry a little, differently per writer, so commits interleave.
                tokio::time::sleep(Duration::from_millis(
                    ((writer * 7 + write * 3) % 23) as u64,
                ))
                .await;
                transaction.commit().await.expect("commit");
            }
        }));
    }

    let expected = API_WRITERS * API_WRITES as usize + (RAW_WRITERS * RAW_WRITES) as usize;
    let types: &[&str] = &["Household"];
    let mut cursor = start;
    let mut seen: Vec<Value> = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    while seen.len() < expected && tokio::time::Instant::now() < deadline {
        let (nodes, end, more) = page(&app, &token, &cursor, 3, Some(types)).await;
        seen.extend(nodes);
        cursor = end;
        if !more {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    for writer in writers {
        writer.await.expect("writer");
    }
    // Whatever may still come after the last page.
    let (rest, _) = follow(&app, &token, &cursor, 3, Some(types)).await;
    seen.extend(rest);

    assert_eq!(seen.len(), expected, "every change once");
    let positions: Vec<i64> = seen
        .iter()
        .map(|change| position(&change["cursor"]))
        .collect();
    assert!(
        positions.windows(2).all(|pair| pair[0] < pair[1]),
        "in increasing order"
    );
    let mut per_record: HashMap<&str, usize> = HashMap::new();
    for id in record_ids(&seen) {
        *per_record.entry(id).or_default() += 1;
    }
    for (id, _, _) in &targets {
        assert_eq!(
            per_record.get(id.as_str()),
            Some(&(API_WRITES as usize)),
            "{id}"
        );
    }
    for writer in 0..RAW_WRITERS {
        for write in 0..RAW_WRITES {
            let id = household_id(800_000 + writer * 1000 + write);
            assert_eq!(per_record.get(id.as_str()), Some(&1), "{id}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Subscriptions over WebSocket.
// ---------------------------------------------------------------------------------------------

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens `/graphql/ws` of `app` asking for graphql-transport-ws.
async fn open_socket(app: &TestApp) -> Socket {
    let url = format!(
        "{}/graphql/ws",
        app.base_url.replacen("http://", "ws://", 1)
    );
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    let (socket, response) = tokio_tungstenite::connect_async(request)
        .await
        .expect("upgrade");
    assert_eq!(
        response
            .headers()
            .get("sec-websocket-protocol")
            .and_then(|value| value.to_str().ok()),
        Some("graphql-transport-ws")
    );
    socket
}

async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::Text(message.to_string().into()))
        .await
        .expect("send");
}

/// The next protocol message (JSON), or the close code.
async fn receive(socket: &mut Socket) -> Result<Value, u16> {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(15), socket.next())
            .await
            .expect("a message within 15 s");
        match message {
            Some(Ok(Message::Text(text))) => {
                return Ok(serde_json::from_str(text.as_str()).expect("JSON"));
            }
            Some(Ok(Message::Close(frame))) => {
                return Err(frame.map_or(1005, |frame| u16::from(frame.code)));
            }
            Some(Ok(_)) => continue,
            Some(Err(error)) => panic!("socket error: {error}"),
            None => return Err(1006),
        }
    }
}

/// Opens a socket and completes the handshake with `token`.
async fn connect(app: &TestApp, token: &str) -> Socket {
    let mut socket = open_socket(app).await;
    send(
        &mut socket,
        json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }),
    )
    .await;
    assert_eq!(
        receive(&mut socket).await,
        Ok(json!({ "type": "connection_ack" }))
    );
    socket
}

db_test! {
    async fn a_subscriber_on_another_instance_receives_a_change_made_through_the_api(app) {
        let peer = app.spawn_peer().await;
        let subscriber = app.login("bureau_civil_affairs").await;
        let start = head(&app, &subscriber).await;
        let mut socket = connect(&peer, &subscriber).await;
        send(&mut socket, json!({ "id": "feed", "type": "subscribe", "payload": {
            "query": "subscription($after: String) { changes(after: $after, types: [\"Household\"]) { cursor recordType recordId kind actor } }",
            "variables": { "after": start } } })).await;
        send(&mut socket, json!({ "id": "alerts", "type": "subscribe", "payload": {
            "query": "subscription { alertCounts { open critical } }" } })).await;

        let (id, version, _) = households(&app).await.remove(0);
        touch_household(&app, &app.token, &id, version).await;

        let mut counts = None;
        let mut change = None;
        while counts.is_none() || change.is_none() {
            let message = receive(&mut socket).await.expect("still open");
            assert_eq!(message["type"], "next", "{message}");
            match message["id"].as_str() {
                Some("alerts") if counts.is_none() => counts = Some(message["payload"]["data"]["alertCounts"].clone()),
                Some("alerts") => {}
                Some("feed") => change = Some(message["payload"]["data"]["changes"].clone()),
                other => panic!("unexpected id {other:?}"),
            }
        }
        let change = change.expect("a change");
        assert_eq!(change["recordType"], "Household");
        assert_eq!(change["recordId"], id.as_str());
        assert_eq!(change["kind"], "UPDATED");
        assert_eq!(change["actor"], "bureau_poverty");
        let total = app
            .graphql_with(Some(&subscriber), "{ alertCounts { total } }", json!({}))
            .await["data"]["alertCounts"]["total"]
            .clone();
        assert_eq!(counts.expect("counts")["open"], total);

        // Signing out ends the live streams (within the re-check interval).
        let out = app.graphql_with(Some(&subscriber), "mutation { logout }", json!({})).await;
        assert_eq!(out["data"]["logout"], true, "{out}");
        let mut ended = HashSet::new();
        while ended.len() < 2 {
            let message = receive(&mut socket).await.expect("still open");
            let id = message["id"].as_str().expect("id").to_string();
            match message["type"].as_str() {
                Some("next") => {
                    let errors = &message["payload"]["errors"];
                    if !errors.is_null() {
                        assert_eq!(errors[0]["extensions"]["code"], "SESSION_EXPIRED", "{message}");
                    }
                }
                Some("complete") => {
                    ended.insert(id);
                }
                other => panic!("unexpected {other:?}: {message}"),
            }
        }
    }
}

db_test! {
    async fn an_unauthenticated_connection_is_refused(app) {
        // No token, a forged token: 4403 Forbidden.
        for payload in [json!({}), json!({ "Authorization": "Bearer not-a-token" })] {
            let mut socket = open_socket(&app).await;
            send(&mut socket, json!({ "type": "connection_init", "payload": payload })).await;
            assert_eq!(receive(&mut socket).await, Err(4403), "{payload}");
        }
        // A subscription before the handshake: 4401 Unauthorized.
        let mut socket = open_socket(&app).await;
        send(&mut socket, json!({ "id": "1", "type": "subscribe", "payload": {
            "query": "subscription { changes { recordId } }" } })).await;
        assert_eq!(receive(&mut socket).await, Err(4401));

        // A message that is not of the protocol: 4400 Bad Request.
        let mut socket = open_socket(&app).await;
        socket.send(Message::Text("hello".into())).await.expect("send");
        assert_eq!(receive(&mut socket).await, Err(4400));

        // Plain HTTP and other sub-protocols are refused before any upgrade.
        let response = app.http().get(app.url("/graphql/ws")).send().await.expect("response");
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["errors"][0]["extensions"]["code"], "WEBSOCKET_REQUIRED");
        let url = format!("{}/graphql/ws", app.base_url.replacen("http://", "ws://", 1));
        match tokio_tungstenite::connect_async(url).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), 400);
            }
            other => panic!("expected a refusal, got {:?}", other.map(|(_, response)| response.status())),
        }
    }
}

db_test! {
    async fn a_connection_holds_at_most_ten_subscriptions(app) {
        // From a cursor taken now, so that however late a subscription starts, it catches up.
        let start = head(&app, &app.token).await;
        let subscribe = |id: String| json!({ "id": id, "type": "subscribe", "payload": {
            "query": "subscription($after: String) { changes(after: $after, types: [\"Household\"]) { recordId } }",
            "variables": { "after": start } } });
        let mut socket = connect(&app, &app.token).await;
        for id in 0..11 {
            send(&mut socket, subscribe(id.to_string())).await;
        }
        // Whichever starts eleventh is refused, then completed.
        let refused = receive(&mut socket).await.expect("still open");
        assert_eq!(refused["type"], "next", "{refused}");
        assert_eq!(refused["payload"]["errors"][0]["extensions"]["code"], "INVALID_INPUT", "{refused}");
        let refused_id = refused["id"].as_str().expect("id").to_string();
        assert_eq!(
            receive(&mut socket).await.expect("still open"),
            json!({ "id": refused_id, "type": "complete" })
        );
        // Completing one frees its place.
        let completed = if refused_id == "0" { "1" } else { "0" };
        send(&mut socket, json!({ "id": completed, "type": "complete" })).await;
        assert_eq!(
            receive(&mut socket).await.expect("still open"),
            json!({ "id": completed, "type": "complete" })
        );
        send(&mut socket, subscribe("11".into())).await;
        let (id, version, _) = households(&app).await.remove(0);
        touch_household(&app, &app.token, &id, version).await;
        let mut delivered = HashSet::new();
        while delivered.len() < 10 {
            let message = receive(&mut socket).await.expect("still open");
            assert_eq!(message["type"], "next", "{message}");
            assert_eq!(message["payload"]["data"]["changes"]["recordId"], id.as_str());
            delivered.insert(message["id"].as_str().expect("id").to_string());
        }
        let expected: HashSet<String> = (0..12)
            .map(|id: i32| id.to_string())
            .filter(|id| *id != refused_id && id != completed)
            .collect();
        assert_eq!(delivered, expected);
    }
}
