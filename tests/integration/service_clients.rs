//! Service clients of the provincial platforms: the OAuth 2.0 client-credentials token
//! endpoint, scopes on the data-domain policy, per-client rate limits and IP allow-lists,
//! management by the security administrator, and the audit trail naming the client.
use serde_json::{json, Value};

use crate::{db_test, TestApp};

const CREATE: &str = "mutation($input: CreateServiceClientInput!) { createServiceClient(input: $input) { client { clientId actorLabel scopes roleCode ipAllowList rateLimitPerMinute version } clientSecret } }";

/// A client's credentials as the security administrator hands them over.
pub(crate) struct Client {
    pub(crate) id: String,
    pub(crate) secret: String,
}

fn code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

pub(crate) async fn create_client(app: &TestApp, admin: &str, input: Value) -> Client {
    let response = app
        .graphql_with(Some(admin), CREATE, json!({ "input": input }))
        .await;
    assert!(response.get("errors").is_none(), "{response:#}");
    let created = &response["data"]["createServiceClient"];
    Client {
        id: created["client"]["clientId"].as_str().unwrap().to_string(),
        secret: created["clientSecret"].as_str().unwrap().to_string(),
    }
}

/// POSTs a token request; `basic` authenticates with HTTP Basic.
async fn token_request(
    app: &TestApp,
    form: &[(&str, &str)],
    basic: Option<(&str, &str)>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut request = app.http().post(app.url("/oauth/token")).form(form);
    if let Some((id, secret)) = basic {
        request = request.basic_auth(id, Some(secret));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.json().await.unwrap())
}

/// A token for the client by HTTP Basic, for `scope` (all its scopes when `None`).
pub(crate) async fn token(app: &TestApp, client: &Client, scope: Option<&str>) -> String {
    let mut form = vec![("grant_type", "client_credentials")];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    let (status, _, body) = token_request(app, &form, Some((&client.id, &client.secret))).await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_string()
}

/// POSTs a GraphQL operation with a bearer token; the status and the body.
async fn call(
    app: &TestApp,
    token: &str,
    query: &str,
    forwarded_for: Option<&str>,
) -> (u16, Value) {
    let mut request = app
        .http()
        .post(app.url("/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query }));
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn land_platform() -> Value {
    json!({
        "name": "陕西省城乡建设用地增减挂钩节余指标交易监管平台",
        "scopes": ["land:read"],
        "roleCode": "provincial:land_quota_platform",
    })
}

const LAND_QUERY: &str = "{ landQuotas(first: 5) { nodes { code areaMu } } }";

db_test! {
    async fn a_client_gets_a_bearer_token_with_basic_or_body_credentials_and_runs_a_query_in_scope(app) {
        let admin = app.login("security_admin").await;
        let client = create_client(&app, &admin, land_platform()).await;
        assert!(client.id.starts_with("svc_"), "{}", client.id);
        assert!(client.secret.len() >= 43, "256 bits at least");

        let form = [("grant_type", "client_credentials")];
        let (status, headers, body) = token_request(&app, &form, Some((&client.id, &client.secret))).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 600);
        assert_eq!(body["scope"], "land:read");
        assert_eq!(headers["cache-control"], "no-store");

        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", client.id.as_str()),
            ("client_secret", client.secret.as_str()),
        ];
        let (status, _, body) = token_request(&app, &form, None).await;
        assert_eq!(status, 200, "{body}");
        let token = body["access_token"].as_str().unwrap();

        let (status, response) = call(&app, token, LAND_QUERY, None).await;
        assert_eq!(status, 200);
        assert!(response.get("errors").is_none(), "{response:#}");
        assert!(!response["data"]["landQuotas"]["nodes"].as_array().unwrap().is_empty());

        let (_, me) = call(&app, token, "{ me { username roles { code } townScope domains { domain canRead canWrite } } }", None).await;
        let me = &me["data"]["me"];
        assert_eq!(me["username"], format!("client:{}", client.id));
        assert_eq!(me["roles"][0]["code"], "provincial:land_quota_platform");
        assert_eq!(me["townScope"], json!([]), "district-wide without a town role");
        let readable: Vec<&str> = me["domains"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|domain| domain["canRead"] == true)
            .map(|domain| domain["domain"].as_str().unwrap())
            .collect();
        assert_eq!(readable, vec!["land"]);
    }
}

db_test! {
    async fn wrong_secrets_unknown_and_disabled_clients_get_the_same_invalid_client(app) {
        let admin = app.login("security_admin").await;
        let client = create_client(&app, &admin, land_platform()).await;
        let form = [("grant_type", "client_credentials")];
        let (status, headers, wrong) = token_request(&app, &form, Some((&client.id, "hxs_wrong"))).await;
        assert_eq!(status, 401);
        assert_eq!(wrong["error"], "invalid_client");
        assert!(headers["www-authenticate"].to_str().unwrap().starts_with("Basic"));
        assert_eq!(headers["cache-control"], "no-store");
        let (status, _, unknown) = token_request(&app, &form, Some(("svc_000000000000000000000000", &client.secret))).await;
        assert_eq!(status, 401);
        assert_eq!(unknown, wrong, "unknown and wrong look alike");
        let only_id = [("grant_type", "client_credentials"), ("client_id", client.id.as_str())];
        let (status, _, body) = token_request(&app, &only_id, None).await;
        assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")));

        let token = token(&app, &client, None).await;
        let response = app
            .graphql_with(Some(&admin), "mutation($id: String!) { setServiceClientDisabled(clientId: $id, disabled: true) { disabled version } }", json!({ "id": client.id }))
            .await;
        assert_eq!(response["data"]["setServiceClientDisabled"]["disabled"], true, "{response}");
        let (status, _, disabled) = token_request(&app, &form, Some((&client.id, &client.secret))).await;
        assert_eq!(status, 401);
        assert_eq!(disabled, wrong);
        let (status, response) = call(&app, &token, LAND_QUERY, None).await;
        assert_eq!(status, 401, "a disabled client's tokens stop at once");
        assert_eq!(code(&response), "CLIENT_DISABLED");

        let failures = app
            .count_rows(&format!("audit_log WHERE action = 'client.token' AND outcome = 'failure' AND actor_label = 'client:{}'", client.id))
            .await;
        assert_eq!(failures, 2, "the wrong secret and the disabled client (a request without a secret never reaches a check)");
    }
}

db_test! {
    async fn malformed_token_requests_get_the_rfc_6749_errors(app) {
        let admin = app.login("security_admin").await;
        let client = create_client(&app, &admin, land_platform()).await;
        let basic = Some((client.id.as_str(), client.secret.as_str()));
        let (status, _, body) = token_request(&app, &[("grant_type", "password")], basic).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("unsupported_grant_type")));
        let (status, _, body) = token_request(&app, &[("scope", "land:read")], basic).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("invalid_request")));
        let both = [("grant_type", "client_credentials"), ("client_secret", client.secret.as_str())];
        let (status, _, body) = token_request(&app, &both, basic).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("invalid_request")), "two ways of authenticating");
        let twice = [("grant_type", "client_credentials"), ("grant_type", "client_credentials")];
        let (status, _, body) = token_request(&app, &twice, basic).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("invalid_request")));
        let response = app
            .http()
            .post(app.url("/oauth/token"))
            .basic_auth(&client.id, Some(&client.secret))
            .json(&json!({ "grant_type": "client_credentials" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 400, "JSON is not the token request's media type");
        let response = app.http().get(app.url("/oauth/token")).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 405);
    }
}

db_test! {
    async fn a_token_may_ask_for_fewer_scopes_but_not_for_ungranted_or_unknown_ones(app) {
        let admin = app.login("security_admin").await;
        let client = create_client(&app, &admin, json!({
            "name": "陕西省易地搬迁后续扶持社区服务平台",
            "scopes": ["identity:read", "employment:read", "industry:read"],
            "roleCode": "provincial:relocation_group",
            "rateLimitPerMinute": 100,
        })).await;
        let form = |scope: &'static str| [("grant_type", "client_credentials"), ("scope", scope)];
        let basic = Some((client.id.as_str(), client.secret.as_str()));

        let (status, _, body) = token_request(&app, &form("employment:read"), basic).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["scope"], "employment:read");
        let narrow = body["access_token"].as_str().unwrap().to_string();

        for (scope, why) in [
            ("health:read", "not granted"),
            ("employment:write", "write was not granted"),
            ("landscape:read", "no such domain"),
            ("employment", "malformed"),
            ("audit:read", "never delegated"),
        ] {
            let (status, headers, body) = token_request(&app, &form(scope), basic).await;
            assert_eq!((status, body["error"].as_str()), (400, Some("invalid_scope")), "{scope}: {why}: {body}");
            assert_eq!(headers["cache-control"], "no-store");
        }

        // The narrowed token does not read identity fields although the client may.
        let persons = "{ persons(first: 2) { nodes { name } } }";
        let (_, response) = call(&app, &narrow, persons, None).await;
        assert_eq!(code(&response), "FORBIDDEN_FIELD", "{response}");
        let full = token(&app, &client, None).await;
        let (_, response) = call(&app, &full, persons, None).await;
        assert!(response.get("errors").is_none(), "{response:#}");

        // Narrowing the client narrows tokens already issued, at once.
        let version = app
            .graphql_with(Some(&admin), "{ serviceClients { clientId version } }", json!({}))
            .await["data"]["serviceClients"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["clientId"] == client.id.as_str())
            .unwrap()["version"]
            .clone();
        let response = app
            .graphql_with(Some(&admin), "mutation($input: UpdateServiceClientInput!) { updateServiceClient(input: $input) { scopes version } }", json!({ "input": { "clientId": client.id, "version": version, "scopes": ["employment:read"] } }))
            .await;
        assert_eq!(response["data"]["updateServiceClient"]["scopes"], json!(["employment:read"]), "{response}");
        let (_, response) = call(&app, &full, persons, None).await;
        assert_eq!(code(&response), "FORBIDDEN_FIELD", "{response}");
        let response = app
            .graphql_with(Some(&admin), "mutation($input: UpdateServiceClientInput!) { updateServiceClient(input: $input) { version } }", json!({ "input": { "clientId": client.id, "version": version, "name": "stale" } }))
            .await;
        assert_eq!(code(&response), "CONFLICT", "a stale version is refused: {response}");
    }
}

db_test! {
    async fn a_client_gets_no_more_than_its_role_grants(app) {
        let admin = app.login("security_admin").await;
        let response = app
            .graphql_with(Some(&admin), CREATE, json!({ "input": {
                "name": "x", "scopes": ["land:write"], "roleCode": "provincial:land_quota_platform" } }))
            .await;
        assert_eq!(code(&response), "INVALID_INPUT", "{response}");
        assert!(response["errors"][0]["message"].as_str().unwrap().contains("land:write"));
        let response = app
            .graphql_with(Some(&admin), CREATE, json!({ "input": { "name": "x", "scopes": ["land:read"], "roleCode": "security_admin" } }))
            .await;
        assert_eq!(code(&response), "FORBIDDEN", "administrator roles are not for machines: {response}");
        let response = app
            .graphql_with(Some(&admin), CREATE, json!({ "input": { "name": "x", "scopes": ["audit:read"] } }))
            .await;
        assert_eq!(code(&response), "INVALID_INPUT", "{response}");
        let response = app
            .graphql_with(Some(&admin), CREATE, json!({ "input": { "name": "x", "scopes": [] } }))
            .await;
        assert_eq!(code(&response), "INVALID_INPUT", "{response}");

        // The policy is read on every request: withdrawing the role's domain withdraws it
        // from the client's token too.
        let client = create_client(&app, &admin, land_platform()).await;
        let token = token(&app, &client, None).await;
        let response = app
            .graphql_with(Some(&admin), "mutation { setRolePermission(input: { roleCode: \"provincial:land_quota_platform\", domain: \"land\", canRead: false, canWrite: false }) }", json!({}))
            .await;
        assert!(response.get("errors").is_none(), "{response}");
        let (_, response) = call(&app, &token, LAND_QUERY, None).await;
        assert_eq!(code(&response), "FORBIDDEN_FIELD", "{response}");
        let (status, _, body) = token_request(&app, &[("grant_type", "client_credentials")], Some((&client.id, &client.secret))).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("invalid_scope")), "nothing left to grant: {body}");
    }
}

db_test! {
    async fn fields_and_mutations_outside_the_scopes_are_refused_and_writes_inside_are_audited_as_the_client(app) {
        let admin = app.login("security_admin").await;
        let reader = create_client(&app, &admin, land_platform()).await;
        let token_of_reader = token(&app, &reader, None).await;
        let (_, response) = call(&app, &token_of_reader, "{ persons(first: 1) { nodes { name } } }", None).await;
        assert_eq!(code(&response), "FORBIDDEN_FIELD", "{response}");
        let create_project = "mutation { createLandLinkageProject(input: { code: \"LP-2099-01\", name: \"省平台登记项目\" }) { code } }";
        let (_, response) = call(&app, &token_of_reader, create_project, None).await;
        assert_eq!(code(&response), "FORBIDDEN", "{response}");
        let (_, response) = call(&app, &token_of_reader, "{ serviceClients { clientId } }", None).await;
        assert_eq!(code(&response), "FORBIDDEN", "a client never administers: {response}");

        let writer = create_client(&app, &admin, json!({
            "name": "自然资源厅指标监管接口", "scopes": ["land:write"], "roleCode": "bureau:natural_resources",
        })).await;
        let token_of_writer = token(&app, &writer, None).await;
        let (_, response) = call(&app, &token_of_writer, create_project, None).await;
        assert!(response.get("errors").is_none(), "{response:#}");
        assert_eq!(response["data"]["createLandLinkageProject"]["code"], "LP-2099-01");

        let label = format!("client:{}", writer.id);
        let writes = app
            .count_rows(&format!("audit_log WHERE actor_label = '{label}' AND action NOT LIKE 'client.%'"))
            .await;
        assert!(writes >= 1, "the write's own audit entry names the client");
        let calls = app
            .count_rows(&format!("audit_log WHERE actor_label = '{label}' AND action = 'client.call' AND detail LIKE '%createLandLinkageProject%'"))
            .await;
        assert_eq!(calls, 1, "every call is audited as the client");
        let refused = app
            .count_rows(&format!("audit_log WHERE actor_label = 'client:{}' AND action = 'client.call' AND outcome = 'failure'", reader.id))
            .await;
        assert_eq!(refused, 3, "the refused calls too");
        let issued = app
            .count_rows(&format!("audit_log WHERE actor_label = '{label}' AND action = 'client.token' AND outcome = 'success'"))
            .await;
        assert_eq!(issued, 1);
    }
}

db_test! {
    async fn a_client_over_its_rate_limit_gets_429(app) {
        let admin = app.login("security_admin").await;
        let mut input = land_platform();
        input["rateLimitPerMinute"] = json!(3);
        let client = create_client(&app, &admin, input).await;
        let token = token(&app, &client, None).await;
        for _ in 0..3 {
            let (status, _) = call(&app, &token, "{ __typename }", None).await;
            assert_eq!(status, 200);
        }
        let (status, response) = call(&app, &token, "{ __typename }", None).await;
        assert_eq!(status, 429);
        assert_eq!(code(&response), "RATE_LIMITED");
    }
}

db_test! {
    async fn a_client_outside_its_ip_allow_list_is_refused_and_forwarded_for_is_not_believed(app) {
        let admin = app.login("security_admin").await;
        let mut input = land_platform();
        input["ipAllowList"] = json!(["10.0.0.0/8"]);
        let client = create_client(&app, &admin, input).await;
        let form = [("grant_type", "client_credentials")];
        let basic = Some((client.id.as_str(), client.secret.as_str()));
        let (status, _, body) = token_request(&app, &form, basic).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("unauthorized_client")), "{body}");

        let update = "mutation($input: UpdateServiceClientInput!) { updateServiceClient(input: $input) { ipAllowList version } }";
        let response = app
            .graphql_with(Some(&admin), update, json!({ "input": { "clientId": client.id, "version": 1, "ipAllowList": null } }))
            .await;
        assert_eq!(response["data"]["updateServiceClient"]["ipAllowList"], json!([]), "{response}");
        let token = token(&app, &client, None).await;
        let (status, _) = call(&app, &token, LAND_QUERY, None).await;
        assert_eq!(status, 200);

        let response = app
            .graphql_with(Some(&admin), update, json!({ "input": { "clientId": client.id, "version": 2, "ipAllowList": ["10.0.0.0/8"] } }))
            .await;
        assert_eq!(response["data"]["updateServiceClient"]["ipAllowList"], json!(["10.0.0.0/8"]));
        let (status, response) = call(&app, &token, LAND_QUERY, Some("10.1.2.3")).await;
        assert_eq!(status, 403, "no trusted proxy is configured: {response}");
        assert_eq!(code(&response), "IP_NOT_ALLOWED");
        let refused = app
            .count_rows(&format!("audit_log WHERE actor_label = 'client:{}' AND action = 'client.call' AND detail LIKE '%127.0.0.1 not allowed%'", client.id))
            .await;
        assert_eq!(refused, 1, "a refused address is audited");

        let response = app
            .graphql_with(Some(&admin), update, json!({ "input": { "clientId": client.id, "version": 3, "ipAllowList": ["127.0.0.1"] } }))
            .await;
        assert_eq!(response["data"]["updateServiceClient"]["ipAllowList"], json!(["127.0.0.1/32"]));
        let (status, _) = call(&app, &token, LAND_QUERY, None).await;
        assert_eq!(status, 200);
        let response = app
            .graphql_with(Some(&admin), update, json!({ "input": { "clientId": client.id, "version": 4, "ipAllowList": ["not-an-address"] } }))
            .await;
        assert_eq!(code(&response), "INVALID_INPUT");
        assert_eq!(response["errors"][0]["extensions"]["field"], "input.ipAllowList[0]");
    }
}

db_test! {
    async fn rotating_the_secret_ends_the_old_secret_and_its_tokens(app) {
        let admin = app.login("security_admin").await;
        let client = create_client(&app, &admin, land_platform()).await;
        let old_token = token(&app, &client, None).await;
        let response = app
            .graphql_with(Some(&admin), "mutation($id: String!) { rotateServiceClientSecret(clientId: $id) { client { clientId secretRotatedAt } clientSecret } }", json!({ "id": client.id }))
            .await;
        let rotated = &response["data"]["rotateServiceClientSecret"];
        let new_secret = rotated["clientSecret"].as_str().unwrap().to_string();
        assert_ne!(new_secret, client.secret);
        let form = [("grant_type", "client_credentials")];
        let (status, _, body) = token_request(&app, &form, Some((&client.id, &client.secret))).await;
        assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")));
        let (status, response) = call(&app, &old_token, LAND_QUERY, None).await;
        assert_eq!(status, 401);
        assert_eq!(code(&response), "TOKEN_REVOKED");
        let rotated_client = Client { id: client.id.clone(), secret: new_secret };
        let new_token = token(&app, &rotated_client, None).await;
        let (status, _) = call(&app, &new_token, LAND_QUERY, None).await;
        assert_eq!(status, 200);
        let stored = app
            .count_rows(&format!("service_client WHERE client_id = '{}' AND secret_hash LIKE '$argon2id$%'", client.id))
            .await;
        assert_eq!(stored, 1, "only an argon2id hash is stored");
    }
}

db_test! {
    async fn only_the_security_administrator_manages_service_clients(app) {
        let input = json!({ "input": land_platform() });
        for username in ["system_admin", "auditor", "bureau_natural_resources"] {
            let token = app.login(username).await;
            let response = app.graphql_with(Some(&token), CREATE, input.clone()).await;
            assert_eq!(code(&response), "FORBIDDEN", "{username}: {response}");
            let response = app.graphql_with(Some(&token), "{ serviceClients { clientId } }", json!({})).await;
            assert_eq!(code(&response), "FORBIDDEN", "{username}: {response}");
        }
        let admin = app.login("security_admin").await;
        let client = create_client(&app, &admin, land_platform()).await;
        let listed = app.graphql_with(Some(&admin), "{ serviceClients { clientId actorLabel disabled } }", json!({})).await;
        let rows = listed["data"]["serviceClients"].as_array().unwrap();
        assert!(rows.iter().any(|row| row["actorLabel"] == format!("client:{}", client.id)), "{listed}");
        let managed = app
            .count_rows("audit_log WHERE actor_label = 'security_admin' AND action = 'service_client.create'")
            .await;
        assert_eq!(managed, 1);
        // The client's user row cannot sign in with a password.
        let (body, _) = app.login_response(&format!("client:{}", client.id), &client.secret).await;
        assert_eq!(code(&body), "INVALID_CREDENTIALS");
    }
}

db_test! {
    async fn a_client_with_a_town_role_sees_only_its_town(app) {
        let admin = app.login("security_admin").await;
        let client = create_client(&app, &admin, json!({
            "name": "黄堡镇数据接口", "scopes": ["identity:read"], "roleCode": "town:610202100",
        })).await;
        let token = token(&app, &client, None).await;
        let (_, me) = call(&app, &token, "{ me { townScope } }", None).await;
        assert_eq!(me["data"]["me"]["townScope"].as_array().map(Vec::len), Some(1), "{me}");
        let (_, town) = call(&app, &token, "{ households(first: 1) { totalCount } }", None).await;
        let district = app.graphql_ok("{ households(first: 1) { totalCount } }", json!({})).await;
        let town_count = town["data"]["households"]["totalCount"].as_i64().unwrap();
        let district_count = district["households"]["totalCount"].as_i64().unwrap();
        assert!(town_count > 0 && town_count < district_count, "{town_count} of {district_count}");
    }
}

/// Behind a configured trusted proxy the client address comes from `X-Forwarded-For` (the
/// configuration is the point here, so this one builds its own server, on SQLite).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_forwarded_for_decides_the_client_address() {
    let data_dir = tempfile::tempdir().unwrap();
    let mut config = backend::config::Config::for_tests(data_dir.path().to_path_buf());
    config.demo_data = true;
    config.static_dir = data_dir.path().join("no-web-app");
    config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    let application = backend::app::Application::build(&config).await.unwrap();
    let base = format!("http://{}", application.local_addr().unwrap());
    let server = tokio::spawn(application.run());
    let http = reqwest::Client::new();
    let login = http
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": "mutation($p: String!) { login(input: { username: \"security_admin\", password: $p }) { accessToken } }", "variables": { "p": crate::DEMO_PASSWORD } }))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let admin = login["data"]["login"]["accessToken"].as_str().unwrap();
    let mut input = land_platform();
    input["ipAllowList"] = json!(["10.0.0.0/8"]);
    let created = http
        .post(format!("{base}/graphql"))
        .bearer_auth(admin)
        .json(&json!({ "query": CREATE, "variables": { "input": input } }))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let created = &created["data"]["createServiceClient"];
    let id = created["client"]["clientId"].as_str().unwrap();
    let secret = created["clientSecret"].as_str().unwrap();
    let request = |forwarded_for: Option<&str>| {
        let mut request = http
            .post(format!("{base}/oauth/token"))
            .basic_auth(id, Some(secret))
            .form(&[("grant_type", "client_credentials")]);
        if let Some(address) = forwarded_for {
            request = request.header("x-forwarded-for", address);
        }
        request.send()
    };
    assert_eq!(
        request(Some("10.1.2.3")).await.unwrap().status().as_u16(),
        200
    );
    assert_eq!(
        request(Some("10.1.2.3, 192.0.2.1"))
            .await
            .unwrap()
            .status()
            .as_u16(),
        400,
        "the hop the proxy saw is 192.0.2.1, whatever the client wrote before it"
    );
    assert_eq!(request(None).await.unwrap().status().as_u16(), 400);
    server.abort();
}
