//! Access control over HTTP: sign-in, tokens and sessions, the data-domain policy with
//! masking, town row scope, and the audit trail.
use auth::policy::{default_policy, DataDomain};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::{db_test, TestApp};

fn code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

async fn post_with_header(app: &TestApp, authorization: &str) -> (u16, Value) {
    let response = app
        .http()
        .post(app.url("/graphql"))
        .header("authorization", authorization)
        .json(&json!({ "query": "{ districtOverview { siteCount } }" }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

db_test! {
    async fn without_a_token_only_sign_in_is_possible(app) {
        let response = app.graphql_with(None, "{ districtOverview { siteCount } }", json!({})).await;
        assert_eq!(code(&response), "UNAUTHENTICATED", "{response}");
        let response = app.graphql_with(None, "{ persons(first: 5) { nodes { name } } }", json!({})).await;
        assert_eq!(code(&response), "UNAUTHENTICATED", "{response}");
        assert_eq!(response["data"], Value::Null);
    }
}

db_test! {
    async fn wrong_passwords_and_unknown_users_get_the_same_answer(app) {
        let (wrong, _) = app.login_response("bureau_poverty", "not-the-password").await;
        let (unknown, _) = app.login_response("nobody_here", "not-the-password").await;
        assert_eq!(code(&wrong), "INVALID_CREDENTIALS");
        assert_eq!(code(&unknown), "INVALID_CREDENTIALS");
        assert_eq!(wrong["errors"][0]["message"], unknown["errors"][0]["message"]);
        let failures = app.count_rows("audit_log WHERE action = 'auth.login' AND outcome = 'failure'").await;
        assert_eq!(failures, 2, "both attempts are audited");
    }
}

db_test! {
    async fn five_failures_lock_the_account_even_within_one_request(app) {
        let aliases: String = (0..5)
            .map(|i| format!("a{i}: login(input: {{ username: \"bureau_hrss\", password: \"wrong-{i}\" }}) {{ accessToken }} "))
            .collect();
        let response = app.graphql_with(None, &format!("mutation {{ {aliases} }}"), json!({})).await;
        let errors = response["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 5, "{response}");
        let (body, _) = app.login_response("bureau_hrss", crate::DEMO_PASSWORD).await;
        assert_eq!(code(&body), "INVALID_CREDENTIALS", "locked after 5 failures: {body}");
        // Another account is not affected.
        let (body, _) = app.login_response("bureau_health", crate::DEMO_PASSWORD).await;
        assert!(body["data"]["login"]["accessToken"].is_string(), "{body}");
    }
}

db_test! {
    async fn bad_authorization_headers_get_401_with_a_code_never_500(app) {
        let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        let claims = URL_SAFE_NO_PAD.encode(r#"{"sub":"1","sid":"x","iss":"houxu-server","aud":"houxu-api","exp":9999999999,"nbf":0,"iat":0,"jti":"j"}"#);
        let cases = [
            "Basic dXNlcjpwYXNz".to_string(),
            "Bearer".to_string(),
            "Bearer not-a-jwt".to_string(),
            format!("Bearer {none_header}.{claims}."),
            format!("Bearer {none_header}.{claims}.c2lnbmF0dXJl"),
            format!("Bearer {}.{claims}.c2ln", URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","typ":"JWT","kid":"k"}"#)),
            format!("Bearer {}x", app.token),
        ];
        for authorization in cases {
            let (status, body) = post_with_header(&app, &authorization).await;
            assert_eq!(status, 401, "{authorization}: {body}");
            assert!(!code(&body).is_empty(), "{authorization}: {body}");
        }
    }
}

db_test! {
    async fn logout_ends_the_session_at_once(app) {
        let token = app.login("bureau_civil_affairs").await;
        let me = app.graphql_with(Some(&token), "{ me { username } }", json!({})).await;
        assert_eq!(me["data"]["me"]["username"], "bureau_civil_affairs");
        let out = app.graphql_with(Some(&token), "mutation { logout }", json!({})).await;
        assert_eq!(out["data"]["logout"], true, "{out}");
        let (status, body) = post_with_header(&app, &format!("Bearer {token}")).await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(code(&body), "SESSION_EXPIRED");
    }
}

async fn refresh(app: &TestApp, cookie: String) -> (Value, Option<String>) {
    let response = app
        .http()
        .post(app.url("/graphql"))
        .header("cookie", format!("houxu_refresh={cookie}"))
        .json(&json!({ "query": "mutation { refreshSession { accessToken } }" }))
        .send()
        .await
        .unwrap();
    let next = crate::refresh_cookie_of(&response);
    let body: Value = response.json().await.unwrap();
    (body, next)
}

db_test! {
    async fn refresh_tokens_rotate_and_a_replayed_one_ends_the_session(app) {
        let (body, cookie) = app.login_response("bureau_education", crate::DEMO_PASSWORD).await;
        assert!(body["data"]["login"]["accessToken"].is_string());
        let cookie = cookie.expect("the refresh token comes as a cookie");
        let (renewed, next_cookie) = refresh(&app, cookie.clone()).await;
        let new_token = renewed["data"]["refreshSession"]["accessToken"].as_str().unwrap().to_string();
        let next_cookie = next_cookie.expect("a rotated cookie");
        assert_ne!(next_cookie, cookie);
        // Replaying the first cookie: refused, and the whole session ends.
        let (replayed, _) = refresh(&app, cookie).await;
        assert_eq!(code(&replayed), "SESSION_EXPIRED", "{replayed}");
        let (status, _) = post_with_header(&app, &format!("Bearer {new_token}")).await;
        assert_eq!(status, 401, "the session died with the replay");
        let (after, _) = refresh(&app, next_cookie).await;
        assert_eq!(code(&after), "SESSION_EXPIRED");
    }
}

/// The registry fields, the data domain each belongs to, and how it is shown.
const PERSON_FIELDS: &[(&str, DataDomain)] = &[
    ("name", DataDomain::Identity),
    ("sex", DataDomain::Identity),
    ("birthDate", DataDomain::Identity),
    ("age", DataDomain::Identity),
    ("relation", DataDomain::Identity),
    ("labourCapacity", DataDomain::Employment),
    ("employmentStatus", DataDomain::Employment),
];

const HOUSEHOLD_FIELDS: &[(&str, DataDomain)] = &[
    ("code", DataDomain::Identity),
    ("memberCount", DataDomain::Identity),
    ("headName", DataDomain::Identity),
    ("labourForceCount", DataDomain::Employment),
    ("isZeroEmployment", DataDomain::Employment),
];

/// Reads every person field through three paths and checks each against the policy.
async fn check_role_sees_what_the_policy_says(app: &TestApp, role_code: &str) {
    let username = role_code.replace([':', '.'], "_");
    let token = app.login(&username).await;
    let grants: Vec<_> = default_policy()
        .into_iter()
        .filter(|row| row.role_code == role_code)
        .collect();
    let can_read = |domain: DataDomain| {
        grants
            .iter()
            .any(|row| row.domain == domain && row.can_read)
    };
    let fields: String = PERSON_FIELDS
        .iter()
        .map(|(field, _)| *field)
        .collect::<Vec<_>>()
        .join(" ");
    let selection = format!("id {fields} idNumber phone");
    let household_fields: String = HOUSEHOLD_FIELDS
        .iter()
        .map(|(field, _)| *field)
        .collect::<Vec<_>>()
        .join(" ");
    // A person id the role may see (its own town's, for a town official), for the node path.
    let first = app
        .graphql_with(
            Some(&token),
            "{ persons(first: 1) { nodes { id version } } }",
            json!({}),
        )
        .await;
    let node_id = first["data"]["persons"]["nodes"][0]["id"].clone();
    let version = first["data"]["persons"]["nodes"][0]["version"].clone();
    let can_write_identity = grants
        .iter()
        .any(|row| row.domain == DataDomain::Identity && row.can_write);
    let queries = [
        ("list", format!("{{ persons(first: 3) {{ nodes {{ {selection} }} }} }}")),
        ("nested", format!("{{ sites(first: 1) {{ nodes {{ households(first: 1) {{ nodes {{ {household_fields} members {{ {selection} }} }} }} }} }} }}")),
        ("node", format!("query($id: ID!) {{ node(id: $id) {{ ... on Person {{ {selection} household {{ {household_fields} }} }} }} }}")),
        ("mutation", format!("mutation($id: ID!, $v: Int!) {{ updatePerson(input: {{ id: $id, version: $v, name: \"矩阵测试\" }}) {{ {selection} household {{ {household_fields} }} }} }}")),
    ];
    for (path, query) in queries {
        if (path == "node" || path == "mutation") && node_id.is_null() {
            continue;
        }
        if path == "mutation" && !can_write_identity {
            continue;
        }
        let response = app
            .graphql_with(Some(&token), &query, json!({ "id": node_id, "v": version }))
            .await;
        let errors = response["errors"].as_array().cloned().unwrap_or_default();
        let forbidden: Vec<String> = errors
            .iter()
            .filter(|e| e["extensions"]["code"] == "FORBIDDEN_FIELD")
            .filter_map(|e| e["extensions"]["field"].as_str().map(str::to_string))
            .collect();
        if !can_read(DataDomain::Identity) {
            // Without identity nothing personal is reachable: the list itself is refused.
            assert!(
                response.to_string().contains("FORBIDDEN"),
                "{role_code} {path}: {response}"
            );
            let text = response["data"].to_string();
            assert!(
                !text.contains("610202"),
                "{role_code} {path} leaked an ID number: {text}"
            );
            continue;
        }
        let (person, household) = match path {
            "list" => (response["data"]["persons"]["nodes"][0].clone(), Value::Null),
            "node" => (
                response["data"]["node"].clone(),
                response["data"]["node"]["household"].clone(),
            ),
            "mutation" => (
                response["data"]["updatePerson"].clone(),
                response["data"]["updatePerson"]["household"].clone(),
            ),
            _ => {
                let household =
                    response["data"]["sites"]["nodes"][0]["households"]["nodes"][0].clone();
                (household["members"][0].clone(), household)
            }
        };
        if household.is_object() {
            for (field, domain) in HOUSEHOLD_FIELDS {
                let expected_visible = can_read(*domain);
                assert_eq!(
                    !household[*field].is_null(),
                    expected_visible,
                    "{role_code} {path} Household.{field}: {household}"
                );
                assert_eq!(
                    forbidden.contains(&format!("Household.{field}")),
                    !expected_visible,
                    "{role_code} {path} Household.{field}: {errors:?}"
                );
            }
        }
        assert!(person.is_object(), "{role_code} {path}: {response}");
        for (field, domain) in PERSON_FIELDS {
            let expected_visible = can_read(*domain);
            assert_eq!(
                !person[*field].is_null(),
                expected_visible,
                "{role_code} {path} {field}: {person}"
            );
            assert_eq!(
                forbidden.contains(&format!("Person.{field}")),
                !expected_visible,
                "{role_code} {path} {field}: {errors:?}"
            );
        }
        // ID numbers and phones are masked without a reason.
        let id_number = person["idNumber"].as_str().unwrap();
        assert!(
            id_number.contains("********"),
            "{role_code} {path}: {id_number}"
        );
    }
}

db_test! {
    async fn every_role_sees_exactly_the_fields_its_policy_allows(app) {
        let mut roles: Vec<&str> = default_policy().iter().map(|row| row.role_code).collect();
        roles.sort();
        roles.dedup();
        for role in ["system_admin", "security_admin", "auditor"] {
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
        for role in roles {
            check_role_sees_what_the_policy_says(&app, role).await;
        }
    }
}

db_test! {
    async fn unmasking_needs_the_right_and_a_reason_and_is_audited(app) {
        let query = "query($r: String) { persons(first: 1) { nodes { idNumber(reason: $r) } } }";
        let masked = app.graphql_ok(query, json!({ "r": null })).await;
        assert!(masked["persons"]["nodes"][0]["idNumber"].as_str().unwrap().contains('*'));
        let holder = default_policy().into_iter()
            .find(|row| row.domain == DataDomain::IdNumber && row.can_read)
            .expect("some role may read ID numbers");
        let token = app.login(&holder.role_code.replace([':', '.'], "_")).await;
        let before = app.count_rows("audit_log WHERE action = 'read.unmasked'").await;
        let full = app.graphql_with(Some(&token), query, json!({ "r": "核对低保资格" })).await;
        let value = full["data"]["persons"]["nodes"][0]["idNumber"].as_str().unwrap_or_default().to_string();
        if holder.role_code.starts_with("town:") {
            // A town role sees only its own sites, which still have persons.
            assert!(!value.is_empty(), "{full}");
        }
        assert!(!value.contains('*') && value.len() == 18, "{full}");
        assert_eq!(app.count_rows("audit_log WHERE action = 'read.unmasked'").await, before + 1);
        // A role without the id-number domain gets FORBIDDEN_FIELD even with a reason.
        let without = default_policy().into_iter()
            .filter(|row| row.domain == DataDomain::Identity && row.can_read)
            .map(|row| row.role_code)
            .find(|role| !default_policy().iter().any(|r| r.role_code == *role && r.domain == DataDomain::IdNumber && r.can_read))
            .expect("a role with identity but not id-number");
        let token = app.login(&without.replace([':', '.'], "_")).await;
        let response = app.graphql_with(Some(&token), query, json!({ "r": "好奇" })).await;
        assert_eq!(code(&response), "FORBIDDEN_FIELD", "{response}");
    }
}

db_test! {
    async fn a_town_official_sees_only_the_sites_of_their_town(app) {
        let token = app.login("town_610202100").await;
        let data = app.graphql_with(Some(&token), "{ sites(first: 10) { totalCount nodes { id name householdCount } }
            districtOverview { siteCount householdCount }
            households(first: 100) { totalCount nodes { site { name } } }
            persons(first: 1) { totalCount } }", json!({})).await;
        assert!(data.get("errors").is_none(), "{data}");
        let data = &data["data"];
        assert_eq!(data["sites"]["totalCount"], 1);
        assert_eq!(data["sites"]["nodes"][0]["name"], "黄堡新镇区集中安置点");
        let own = data["sites"]["nodes"][0]["householdCount"].clone();
        assert_eq!(data["districtOverview"]["siteCount"], 1);
        assert_eq!(data["districtOverview"]["householdCount"], own);
        assert_eq!(data["households"]["totalCount"], own);
        for household in data["households"]["nodes"].as_array().unwrap() {
            assert_eq!(household["site"]["name"], "黄堡新镇区集中安置点");
        }
        // Another town's household by ID: NOT_FOUND, as if it did not exist.
        let other = app.graphql_ok("{ households(first: 1, filter: { codePrefix: \"WJH\" }) { nodes { id site { id } } } }", json!({})).await;
        let other_household = other["households"]["nodes"][0]["id"].clone();
        let response = app.graphql_with(Some(&token), "query($id: ID!) { node(id: $id) { id } }", json!({ "id": other_household })).await;
        assert_eq!(code(&response), "NOT_FOUND", "{response}");
        // And it cannot register a household at the other town's site.
        let response = app.graphql_with(Some(&token),
            "mutation($input: ArchiveInput!) { archiveHousehold(input: $input) { id } }",
            json!({ "input": { "id": other_household, "version": 1, "reason": "x" } })).await;
        assert!(["NOT_FOUND", "FORBIDDEN"].contains(&code(&response)), "{response}");
    }
}

db_test! {
    async fn a_bureau_without_write_rights_cannot_change_the_registry(app) {
        let token = app.login("bureau_education").await;
        let person = app.graphql_ok("{ persons(first: 1) { nodes { id version } } }", json!({})).await;
        let person = &person["persons"]["nodes"][0];
        let response = app.graphql_with(Some(&token),
            "mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { id } }",
            json!({ "input": { "id": person["id"], "version": person["version"], "name": "改名" } })).await;
        assert_eq!(code(&response), "FORBIDDEN", "{response}");
    }
}

db_test! {
    async fn the_bootstrap_administrator_must_change_the_password_first(app) {
        let password = backend::persistence::access_seed::bootstrap_admin(&app.db, "root-admin", "system_admin").await.unwrap();
        let (body, _) = app.login_response("root-admin", &password).await;
        let token = body["data"]["login"]["accessToken"].as_str().unwrap().to_string();
        assert_eq!(body["data"]["login"]["me"]["username"], "root-admin");
        let response = app.graphql_with(Some(&token), "{ districtOverview { siteCount } }", json!({})).await;
        assert_eq!(code(&response), "PASSWORD_CHANGE_REQUIRED", "{response}");
        let change = "mutation($c: String!, $n: String!) { changePassword(input: { currentPassword: $c, newPassword: $n }) }";
        let weak = app.graphql_with(Some(&token), change, json!({ "c": password, "n": "short" })).await;
        assert_eq!(code(&weak), "INVALID_INPUT", "{weak}");
        let with_name = app.graphql_with(Some(&token), change, json!({ "c": password, "n": "Root-Admin-2026!" })).await;
        assert_eq!(code(&with_name), "INVALID_INPUT", "the username inside is refused: {with_name}");
        let ok = app.graphql_with(Some(&token), change, json!({ "c": password, "n": "Strong#Passw0rd-2026" })).await;
        assert_eq!(ok["data"]["changePassword"], true, "{ok}");
        let (status, _) = post_with_header(&app, &format!("Bearer {token}")).await;
        assert_eq!(status, 401, "a password change ends the sessions");
        let (body, _) = app.login_response("root-admin", "Strong#Passw0rd-2026").await;
        assert_eq!(body["data"]["login"]["me"]["mustChangePassword"], false, "{body}");
    }
}

db_test! {
    async fn the_audit_log_is_append_only_in_the_database(app) {
        use sea_orm::ConnectionTrait;
        let backend = app.db.get_database_backend();
        assert!(app.count_rows("audit_log").await > 0, "sign-ins were audited");
        let update = app.db.execute(sea_orm::Statement::from_string(backend, "UPDATE audit_log SET action = 'x'")).await;
        assert!(update.is_err(), "UPDATE must be refused");
        let delete = app.db.execute(sea_orm::Statement::from_string(backend, "DELETE FROM audit_log")).await;
        assert!(delete.is_err(), "DELETE must be refused");
    }
}

db_test! {
    async fn the_three_administrators_cannot_do_each_others_work(app) {
        let system = app.login("system_admin").await;
        let security = app.login("security_admin").await;
        let auditor = app.login("auditor").await;
        let read_log = "{ auditLog(first: 5) { action actor outcome } }";
        let create = "mutation { createUser(input: { username: \"new.clerk\", displayName: \"新职员\", roleCodes: [\"bureau:education\"] }) { username oneTimePassword } }";
        let grant = "mutation { setRolePermission(input: { roleCode: \"bureau:education\", domain: \"employment\", canRead: true, canWrite: false }) }";

        // The system administrator manages users, but reads no audit log and sets no policy.
        assert_eq!(code(&app.graphql_with(Some(&system), read_log, json!({})).await), "FORBIDDEN");
        assert_eq!(code(&app.graphql_with(Some(&system), grant, json!({})).await), "FORBIDDEN");
        let created = app.graphql_with(Some(&system), create, json!({})).await;
        let one_time = created["data"]["createUser"]["oneTimePassword"].as_str().unwrap().to_string();
        let elevate = app.graphql_with(Some(&system), "mutation { setUserRoles(username: \"new.clerk\", roleCodes: [\"auditor\"]) }", json!({})).await;
        assert_eq!(code(&elevate), "FORBIDDEN", "no administrator roles through the API: {elevate}");
        let (body, _) = app.login_response("new.clerk", &one_time).await;
        assert_eq!(body["data"]["login"]["me"]["mustChangePassword"], true);

        // The security administrator sets the policy, but manages no users and reads no log.
        assert_eq!(code(&app.graphql_with(Some(&security), create, json!({})).await), "FORBIDDEN");
        assert_eq!(code(&app.graphql_with(Some(&security), read_log, json!({})).await), "FORBIDDEN");
        let education = app.login("bureau_education").await;
        let labour = "{ persons(first: 1) { nodes { labourCapacity } } }";
        assert_eq!(code(&app.graphql_with(Some(&education), labour, json!({})).await), "FORBIDDEN_FIELD");
        let granted = app.graphql_with(Some(&security), grant, json!({})).await;
        assert_eq!(granted["data"]["setRolePermission"], true, "{granted}");
        let now_visible = app.graphql_with(Some(&education), labour, json!({})).await;
        assert!(now_visible.get("errors").is_none(), "the grant applies at the next request: {now_visible}");

        // The auditor reads the log (the grant is in it) and changes nothing.
        let log = app.graphql_with(Some(&auditor), "{ auditLog(first: 100) { action } }", json!({})).await;
        let actions: Vec<&str> = log["data"]["auditLog"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert!(actions.contains(&"policy.set"), "{actions:?}");
        assert!(actions.contains(&"user.create"), "{actions:?}");
        assert_eq!(code(&app.graphql_with(Some(&auditor), create, json!({})).await), "FORBIDDEN");
        let person = app.graphql_ok("{ persons(first: 1) { nodes { id version } } }", json!({})).await;
        let person = &person["persons"]["nodes"][0];
        let change = app.graphql_with(Some(&auditor),
            "mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { id } }",
            json!({ "input": { "id": person["id"], "version": person["version"], "name": "审计员改的" } })).await;
        assert_eq!(code(&change), "FORBIDDEN", "{change}");
    }
}

db_test! {
    async fn disabling_a_user_or_changing_their_roles_ends_their_sessions_at_once(app) {
        let system = app.login("system_admin").await;
        let clerk = app.login("bureau_housing").await;
        let (status, _) = post_with_header(&app, &format!("Bearer {clerk}")).await;
        assert_eq!(status, 200);
        let out = app.graphql_with(Some(&system), "mutation { setUserRoles(username: \"bureau_housing\", roleCodes: [\"bureau:housing\"]) }", json!({})).await;
        assert_eq!(out["data"]["setUserRoles"], true, "{out}");
        let (status, _) = post_with_header(&app, &format!("Bearer {clerk}")).await;
        assert_eq!(status, 401, "a role change ends the session");
        let clerk = app.login("bureau_housing").await;
        let out = app.graphql_with(Some(&system), "mutation { setUserDisabled(username: \"bureau_housing\", disabled: true) }", json!({})).await;
        assert_eq!(out["data"]["setUserDisabled"], true, "{out}");
        let (status, _) = post_with_header(&app, &format!("Bearer {clerk}")).await;
        assert_eq!(status, 401, "disabling ends the session");
        let (body, _) = app.login_response("bureau_housing", crate::DEMO_PASSWORD).await;
        assert_eq!(code(&body), "INVALID_CREDENTIALS");
    }
}

db_test! {
    async fn a_change_is_audited_with_who_which_roles_and_the_fields_before_and_after(app) {
        let person = app.graphql_ok("{ persons(first: 1) { nodes { id name version } } }", json!({})).await;
        let person = &person["persons"]["nodes"][0];
        app.graphql_ok(
            "mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { version } }",
            json!({ "input": { "id": person["id"], "version": person["version"], "name": "审计测试" } }),
        ).await;
        let auditor = app.login("auditor").await;
        let log = app.graphql_with(Some(&auditor), "{ auditLog(first: 10, actionPrefix: \"person.\") { action actor roles detail outcome } }", json!({})).await;
        let entry = &log["data"]["auditLog"][0];
        assert_eq!(entry["action"], "person.update", "{log}");
        assert_eq!(entry["actor"], "bureau_poverty");
        assert_eq!(entry["roles"], "bureau:poverty");
        assert_eq!(entry["outcome"], "success");
        let detail: Value = serde_json::from_str(entry["detail"].as_str().unwrap()).unwrap();
        assert_eq!(detail["before"]["name"], person["name"]);
        assert_eq!(detail["after"]["name"], "审计测试");
        assert!(detail["after"].get("id_number").is_none(), "only changed fields are kept");
    }
}

db_test! {
    async fn sign_in_attempts_per_name_are_rate_limited(app) {
        let mut codes = Vec::new();
        for attempt in 0..11 {
            let (body, _) = app.login_response("nobody_at_all", &format!("guess-{attempt}")).await;
            codes.push(code(&body).to_string());
        }
        assert!(codes[..10].iter().all(|c| c == "INVALID_CREDENTIALS"), "{codes:?}");
        assert_eq!(codes[10], "RATE_LIMITED");
    }
}

db_test! {
    async fn only_the_auditor_exports_the_audit_log_and_the_export_is_audited(app) {
        let query = "{ auditLogCsv }";
        let system = app.login("system_admin").await;
        assert_eq!(code(&app.graphql_with(Some(&system), query, json!({})).await), "FORBIDDEN");
        let auditor = app.login("auditor").await;
        let export = app.graphql_with(Some(&auditor), query, json!({})).await;
        let csv = export["data"]["auditLogCsv"].as_str().unwrap();
        let mut lines = csv.trim_start_matches('\u{feff}').lines();
        assert!(lines.next().unwrap().starts_with("id,occurred_at,actor,roles,action"));
        assert!(csv.contains("auth.login"), "sign-ins are in the export");
        let log = app.graphql_with(Some(&auditor), "{ auditLog(first: 5) { action } }", json!({})).await;
        let actions: Vec<&str> = log["data"]["auditLog"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert!(actions.contains(&"audit.export"), "{actions:?}");
    }
}

/// The server's own signing keys (the embedded default keeps them in the data directory).
fn server_keys(app: &TestApp) -> auth::keys::KeyRing {
    auth::keys::KeyRing::load_or_create(app.data_dir()).unwrap()
}

db_test! {
    async fn expired_foreign_and_string_exp_tokens_get_401_with_their_code(app) {
        let keys = server_keys(&app);
        let service = |keys: auth::keys::KeyRing| {
            auth::tokens::TokenService::new(keys, "houxu-server", "houxu-api", chrono::Duration::minutes(10))
        };
        // Expired: signed by the server's own key an hour ago.
        let (expired, _) = service(keys.clone())
            .issue_access_token(1, "s", chrono::Utc::now() - chrono::Duration::hours(1))
            .unwrap();
        let (status, body) = post_with_header(&app, &format!("Bearer {expired}")).await;
        assert_eq!((status, code(&body)), (401, "TOKEN_EXPIRED"), "{body}");
        // Signed by a key the server does not know.
        let (foreign, _) = service(auth::keys::KeyRing::generate())
            .issue_access_token(1, "s", chrono::Utc::now())
            .unwrap();
        let (status, body) = post_with_header(&app, &format!("Bearer {foreign}")).await;
        assert_eq!((status, code(&body)), (401, "TOKEN_UNKNOWN_KEY"), "{body}");
        // A string `exp`, correctly signed with the server's key.
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
        header.kid = Some(keys.current_kid().to_string());
        let claims = json!({ "sub": "1", "sid": "s", "iss": "houxu-server", "aud": "houxu-api",
            "exp": "9999999999", "nbf": 0, "iat": 0, "jti": "j" });
        let key = jsonwebtoken::EncodingKey::from_secret(keys.current().secret()).unwrap();
        let token = jsonwebtoken::encode(&header, &claims, &key).unwrap();
        let (status, body) = post_with_header(&app, &format!("Bearer {token}")).await;
        assert_eq!(status, 401, "{body}");
        assert!(code(&body).starts_with("TOKEN_"), "{body}");
    }
}

/// Sends `query` to `peer` with `token` until `done` holds for the status and body, or fails
/// after 5 s (another instance's change reaches `peer` by PostgreSQL's notification).
async fn until_peer_sees(
    peer: &TestApp,
    token: &str,
    query: &str,
    what: &str,
    done: impl Fn(u16, &Value) -> bool,
) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let response = peer
            .http()
            .post(peer.url("/graphql"))
            .bearer_auth(token)
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        if done(status, &body) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: the peer still answers {status} {body}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Whether `body` carries a FORBIDDEN_FIELD error naming `field`.
fn forbidden(body: &Value, field: &str) -> bool {
    body["errors"].as_array().is_some_and(|errors| {
        errors.iter().any(|error| {
            error["extensions"]["code"] == "FORBIDDEN_FIELD"
                && error["message"]
                    .as_str()
                    .is_some_and(|message| message.contains(field))
        })
    })
}

/// PostgreSQL, two instances behind a load balancer: the peer serves a checked session from
/// its cache (no statement), and forgets it when the other instance — or anyone writing to
/// the database — changes the session or the policy (`NOTIFY houxu_access`), also when its
/// listening connection was lost meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_instance_forgets_a_cached_session_when_it_or_its_policy_changes_on_postgres() {
    use sea_orm::{ConnectionTrait as _, Statement};

    let Some(app) = TestApp::spawn(crate::DbKind::Postgres).await else {
        return;
    };
    let peer = app.spawn_peer().await;
    let query = "{ persons(first: 1) { nodes { name employmentStatus } } }";
    let token = app.login("bureau_poverty").await;
    for _ in 0..2 {
        let answer = peer.graphql_with(Some(&token), query, json!({})).await;
        assert!(
            answer["data"]["persons"]["nodes"][0]["name"].is_string(),
            "{answer}"
        );
        assert!(answer.get("errors").is_none(), "{answer}");
    }
    let before = peer.statements.get();
    peer.graphql_with(Some(&token), "{ __typename }", json!({}))
        .await;
    assert_eq!(
        peer.statements.get() - before,
        0,
        "served from the peer's cache"
    );
    let withdraw = |domain: &str| {
        format!(
            "DELETE FROM role_domain_permission WHERE domain = '{domain}' AND role_id IN \
             (SELECT ur.role_id FROM user_role ur JOIN \"user\" u ON u.id = ur.user_id \
              WHERE u.username = 'bureau_poverty')"
        )
    };
    let run = |sql: String| {
        let db = app.db.clone();
        async move {
            db.execute(Statement::from_string(db.get_database_backend(), sql))
                .await
                .unwrap();
        }
    };

    // The policy changes in the database behind both servers' backs.
    run(withdraw("employment")).await;
    until_peer_sees(
        &peer,
        &token,
        query,
        "employment domain withdrawn",
        |_, body| forbidden(body, "employmentStatus"),
    )
    .await;

    // The listening connections are cut, and the policy changes before they are back: the
    // notification is lost, and the peer still forgets what it had cached.
    run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND query LIKE 'LISTEN%'"
        .to_string())
    .await;
    run(withdraw("identity")).await;
    until_peer_sees(
        &peer,
        &token,
        query,
        "identity domain withdrawn",
        |_, body| forbidden(body, "Query.persons"),
    )
    .await;

    // Signing out on one instance ends the session on the other.
    let out = app
        .graphql_with(Some(&token), "mutation { logout }", json!({}))
        .await;
    assert_eq!(out["data"]["logout"], true, "{out}");
    until_peer_sees(&peer, &token, "{ __typename }", "logout", |status, body| {
        status == 401 && code(body) == "SESSION_EXPIRED"
    })
    .await;
}
