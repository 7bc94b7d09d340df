//! The web app in headless Chromium, driven over WebDriver.

use fantoccini::{Client, Locator};
use integration_tests::browser::{
    count_test_ids, save_screenshot, sign_in_through_the_login_page, test_id, text_of,
    wait_for_at_least, wait_for_path, wait_for_test_id, wait_for_text, with_browser,
    BrowserPrerequisites,
};
use serde_json::{json, Value};

use crate::DbKind;
use crate::{TestApp, DEMO_PASSWORD};

const SITES_QUERY: &str = "
    query { sites(first: 100) { nodes { id name householdCount population } } }";

const HOUSEHOLD_QUERY: &str = "
    query($id: ID!) {
      node(id: $id) {
        ... on Household {
          code
          site { id name }
          members { name age idNumber phone }
        }
      }
    }";

/// One site as the API reports it.
#[derive(Debug, Clone)]
struct ApiSite {
    id: String,
    name: String,
    household_count: i64,
    population: i64,
}

async fn sites_from_api(app: &TestApp) -> Vec<ApiSite> {
    let response = app.graphql(SITES_QUERY, json!({})).await;
    assert!(
        response.get("errors").is_none(),
        "sites query failed: {response:#}"
    );
    response["data"]["sites"]["nodes"]
        .as_array()
        .expect("a list of sites")
        .iter()
        .map(|site| ApiSite {
            id: site["id"].as_str().expect("site id").to_owned(),
            name: site["name"].as_str().expect("site name").to_owned(),
            household_count: site["householdCount"].as_i64().expect("household count"),
            population: site["population"].as_i64().expect("population"),
        })
        .collect()
}

#[tokio::test]
async fn a_phone_user_signs_in_and_browses_from_the_district_overview_to_a_site_and_a_household() {
    signs_in_and_browses(DbKind::Sqlite).await;
}

#[tokio::test]
async fn the_same_walk_through_the_web_app_works_on_postgresql() {
    signs_in_and_browses(DbKind::Postgres).await;
}

async fn signs_in_and_browses(kind: DbKind) {
    let Some(prerequisites) = BrowserPrerequisites::find() else {
        return;
    };
    let Some(app) = TestApp::spawn(kind).await else {
        return;
    };
    let sites = sites_from_api(&app).await;
    assert_eq!(sites.len(), 2, "the seed has two sites: {sites:?}");
    let base_url = app.base_url.clone();

    // The browser part runs as its own task: it looks the household up over plain HTTP, as
    // the same user the browser signs in as.
    let api = Api {
        http: app.http().clone(),
        url: app.url("/graphql"),
        token: app.login("bureau_poverty").await,
    };
    with_browser(&prerequisites, move |client| async move {
        signing_in_leads_to_the_page_asked_for(&client, &base_url, "bureau_poverty").await;
        the_access_token_is_kept_out_of_script_readable_storage(&client).await;
        overview_shows_every_site_with_the_api_numbers(&client, &base_url, &sites).await;
        let site = sites
            .iter()
            .max_by_key(|site| site.household_count)
            .expect("a site")
            .clone();
        let household_id = site_page_lists_the_households(&client, &base_url, &site).await;
        household_page_shows_the_members_of_the_api(&client, &api, &household_id).await;
        deep_links_and_unknown_paths_work(&client, &base_url, &site).await;
    })
    .await;
    drop(app);
}

/// The GraphQL endpoint, for look-ups from inside the browser task.
struct Api {
    http: reqwest::Client,
    url: String,
    /// The access token of the user the browser signs in as.
    token: String,
}

impl Api {
    async fn graphql(&self, query: &str, variables: Value) -> Value {
        self.http
            .post(&self.url)
            .bearer_auth(&self.token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request reaches the server")
            .json()
            .await
            .expect("a JSON response")
    }
}

/// Opens the app signed out: the login page shows (keeping the path asked for), and signing in
/// there leads to that path with the user in the header.
async fn signing_in_leads_to_the_page_asked_for(client: &Client, base_url: &str, username: &str) {
    client
        .goto(&format!("{base_url}/"))
        .await
        .expect("open the app");
    wait_for_test_id(client, "login-form").await;
    wait_for_path(client, "/login?next=%2F").await;
    save_screenshot(client, "login").await;
    assert_eq!(
        count_test_ids(client, "site-card").await,
        0,
        "no data before signing in"
    );

    sign_in_through_the_login_page(client, username, DEMO_PASSWORD).await;
    wait_for_path(client, "/").await;
    let name = wait_for_test_id(client, "user-name").await;
    assert!(
        !name.text().await.expect("name").trim().is_empty(),
        "the header shows who is signed in"
    );
    wait_for_test_id(client, "logout").await;
}

/// The access token lives only in the app's memory; the refresh token only in an HttpOnly
/// cookie, which scripts cannot read.
async fn the_access_token_is_kept_out_of_script_readable_storage(client: &Client) {
    let storage = client
        .execute(
            "return [localStorage.length, sessionStorage.length, document.cookie];",
            vec![],
        )
        .await
        .expect("read the storage");
    assert_eq!(
        storage,
        json!([0, 0, ""]),
        "nothing in localStorage, sessionStorage or script-readable cookies"
    );
}

async fn overview_shows_every_site_with_the_api_numbers(
    client: &Client,
    base_url: &str,
    sites: &[ApiSite],
) {
    client
        .goto(&format!("{base_url}/"))
        .await
        .expect("open the app");
    let cards = wait_for_at_least(client, "site-card", sites.len()).await;
    assert_eq!(cards.len(), sites.len(), "one card per site");
    for site in sites {
        let mut matching = None;
        for card in &cards {
            if text_of(card, "site-link").await == site.name {
                matching = Some(card);
            }
        }
        let card = matching.unwrap_or_else(|| panic!("no card shows the site {}", site.name));
        assert_eq!(
            text_of(card, "site-household-count").await,
            site.household_count.to_string(),
            "households of {}",
            site.name
        );
        assert_eq!(
            text_of(card, "site-population").await,
            site.population.to_string(),
            "population of {}",
            site.name
        );
    }
}

/// Clicks through to `site`, checks its page, loads more households when there are more than a
/// page, and returns the id of the first household listed.
async fn site_page_lists_the_households(client: &Client, base_url: &str, site: &ApiSite) -> String {
    let cards = wait_for_at_least(client, "site-card", 1).await;
    let mut link = None;
    for card in &cards {
        let candidate = card
            .find(Locator::Css(&test_id("site-link")))
            .await
            .expect("a link on the site card");
        if candidate.text().await.expect("link text").trim() == site.name {
            link = Some(candidate);
        }
    }
    link.expect("the site's link")
        .click()
        .await
        .expect("click the site");

    wait_for_text(client, "site-name", &site.name).await;
    let url = client.current_url().await.expect("current url");
    assert_eq!(
        url.as_str(),
        format!("{base_url}/sites/{}", site.id),
        "a real link"
    );
    wait_for_text(
        client,
        "site-household-count",
        &site.household_count.to_string(),
    )
    .await;
    wait_for_text(client, "site-population", &site.population.to_string()).await;

    let first_page = usize::try_from(site.household_count.min(20)).expect("a small count");
    let links = wait_for_at_least(client, "household-link", first_page).await;
    assert_eq!(
        links.len(),
        first_page,
        "the first page shows up to 20 households"
    );
    if site.household_count > 20 {
        client
            .find(Locator::Css(&test_id("load-more")))
            .await
            .expect("a 加载更多 button")
            .click()
            .await
            .expect("click 加载更多");
        let all = usize::try_from(site.household_count.min(40)).expect("a small count");
        wait_for_at_least(client, "household-link", all).await;
    }

    let first = client
        .find(Locator::Css(&test_id("household-link")))
        .await
        .expect("a household link");
    let href = first
        .attr("href")
        .await
        .expect("href")
        .expect("the household link has an href");
    let household_id = href
        .strip_prefix("/households/")
        .unwrap_or_else(|| panic!("household links go to /households/<id>, not {href}"))
        .to_owned();
    first.click().await.expect("click the household");
    household_id
}

async fn household_page_shows_the_members_of_the_api(
    client: &Client,
    api: &Api,
    household_id: &str,
) {
    let response = api
        .graphql(HOUSEHOLD_QUERY, json!({ "id": household_id }))
        .await;
    assert!(
        response.get("errors").is_none(),
        "household query failed: {response:#}"
    );
    let household = &response["data"]["node"];
    let code = household["code"].as_str().expect("household code");
    let members = household["members"].as_array().expect("members");
    assert!(!members.is_empty(), "a demo household has members");

    wait_for_text(client, "household-code", code).await;
    let site_link = wait_for_test_id(client, "household-site-link").await;
    assert_eq!(
        site_link.text().await.expect("site link text").trim(),
        as_text(&household["site"]["name"]),
        "the household links back to its site"
    );
    let rows = wait_for_at_least(client, "member-row", members.len()).await;
    assert_eq!(rows.len(), members.len(), "one row per member");
    for (row, member) in rows.iter().zip(members) {
        assert_eq!(text_of(row, "member-name").await, as_text(&member["name"]));
        assert_eq!(text_of(row, "member-age").await, member["age"].to_string());
        assert_eq!(
            text_of(row, "member-id-number").await,
            as_text(&member["idNumber"]),
            "ID numbers are shown exactly as the API returns them"
        );
        let phone = match &member["phone"] {
            Value::Null => "—".to_owned(),
            phone => as_text(phone),
        };
        assert_eq!(text_of(row, "member-phone").await, phone);
        let masked = [&member["idNumber"], &member["phone"]]
            .into_iter()
            .filter(|value| value.as_str().is_some_and(|text| text.contains('*')))
            .count();
        let badges = row
            .find_all(Locator::Css(&test_id("masked-badge")))
            .await
            .expect("find badges");
        assert_eq!(badges.len(), masked, "a 已脱敏 badge per masked value");
    }
}

/// Deep links load the app afresh; the refresh cookie keeps the user signed in.
async fn deep_links_and_unknown_paths_work(client: &Client, base_url: &str, site: &ApiSite) {
    client
        .goto(&format!("{base_url}/sites/{}", site.id))
        .await
        .expect("open a deep link");
    wait_for_text(client, "site-name", &site.name).await;
    wait_for_path(client, &format!("/sites/{}", site.id)).await;

    client
        .goto(&format!("{base_url}/no/such/page"))
        .await
        .expect("open an unknown path");
    wait_for_test_id(client, "not-found").await;
}

fn as_text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

const HOUSEHOLD_IDS_QUERY: &str = "query { households(first: 1) { nodes { id } } }";

const MEMBER_FACTS_QUERY: &str = "
    query($id: ID!) {
      node(id: $id) {
        ... on Household { code members { name labourCapacity employmentStatus } }
      }
    }";

#[tokio::test]
async fn an_education_bureau_sees_names_but_no_employment_facts_until_it_signs_out() {
    let Some(prerequisites) = BrowserPrerequisites::find() else {
        return;
    };
    let app = TestApp::spawn_sqlite_with_demo().await;
    let ids = app.graphql_ok(HOUSEHOLD_IDS_QUERY, json!({})).await;
    let household_id = ids["households"]["nodes"][0]["id"]
        .as_str()
        .expect("a demo household")
        .to_owned();

    // What the API gives the education bureau: names, and employment fields withheld.
    let education = app.login("bureau_education").await;
    let response = app
        .graphql_with(
            Some(&education),
            MEMBER_FACTS_QUERY,
            json!({ "id": household_id }),
        )
        .await;
    let household = response["data"]["node"].clone();
    let code = as_text(&household["code"]);
    let members = household["members"].as_array().expect("members").clone();
    assert!(!members.is_empty(), "a demo household has members");
    for member in &members {
        assert!(
            member["name"].is_string(),
            "names are identity data: {member}"
        );
        assert!(
            member["labourCapacity"].is_null(),
            "employment data is withheld: {member}"
        );
    }
    let forbidden: Vec<&str> = response["errors"]
        .as_array()
        .expect("FORBIDDEN_FIELD errors")
        .iter()
        .filter(|error| error["extensions"]["code"] == "FORBIDDEN_FIELD")
        .filter_map(|error| error["extensions"]["field"].as_str())
        .collect();
    assert!(
        forbidden.contains(&"Person.labourCapacity"),
        "the API names the withheld field: {response:#}"
    );

    let base_url = app.base_url.clone();
    with_browser(&prerequisites, move |client| async move {
        let household_path = format!("/households/{household_id}");
        client
            .goto(&format!("{base_url}{household_path}"))
            .await
            .expect("open a household by its link");
        wait_for_test_id(&client, "login-form").await;
        wait_for_path(
            &client,
            &format!("/login?next=%2Fhouseholds%2F{household_id}"),
        )
        .await;

        // A wrong password is refused in Chinese.
        sign_in_through_the_login_page(&client, "bureau_education", "not-the-password").await;
        let error = wait_for_test_id(&client, "login-error").await;
        assert!(
            error
                .text()
                .await
                .expect("error text")
                .contains("用户名或密码错误"),
            "a wrong password says 用户名或密码错误"
        );
        save_screenshot(&client, "login-wrong-password").await;

        sign_in_through_the_login_page(&client, "bureau_education", DEMO_PASSWORD).await;
        wait_for_path(&client, &household_path).await;
        the_household_shows_names_and_withholds_employment(&client, &code, &members).await;
        save_screenshot(&client, "household-without-employment").await;

        // A reload starts the app afresh: the refresh cookie keeps the user signed in.
        client.refresh().await.expect("reload the page");
        the_household_shows_names_and_withholds_employment(&client, &code, &members).await;
        wait_for_path(&client, &household_path).await;

        // 退出登录 goes to the login page …
        client
            .find(Locator::Css(&test_id("logout")))
            .await
            .expect("a 退出登录 button")
            .click()
            .await
            .expect("click 退出登录");
        wait_for_path(&client, "/login").await;
        wait_for_test_id(&client, "login-form").await;
        assert_eq!(count_test_ids(&client, "member-row").await, 0);
        assert_eq!(
            count_test_ids(&client, "user-name").await,
            0,
            "nobody in the header"
        );

        // … and neither the back button nor a reload brings the household back.
        client.back().await.expect("go back");
        wait_for_test_id(&client, "login-form").await;
        wait_for_path(
            &client,
            &format!("/login?next=%2Fhouseholds%2F{household_id}"),
        )
        .await;
        assert_eq!(
            count_test_ids(&client, "member-row").await,
            0,
            "no data after back"
        );
        client.refresh().await.expect("reload the page");
        wait_for_test_id(&client, "login-form").await;
        assert_eq!(
            count_test_ids(&client, "member-row").await,
            0,
            "no data after reload"
        );
        assert_eq!(count_test_ids(&client, "household-code").await, 0);
    })
    .await;
    drop(app);
}

/// Names as the API returns them; 劳动能力 and 就业状态 say 无权限查看.
async fn the_household_shows_names_and_withholds_employment(
    client: &Client,
    code: &str,
    members: &[Value],
) {
    wait_for_text(client, "household-code", code).await;
    let rows = wait_for_at_least(client, "member-row", members.len()).await;
    assert_eq!(rows.len(), members.len(), "one row per member");
    for (row, member) in rows.iter().zip(members) {
        assert_eq!(text_of(row, "member-name").await, as_text(&member["name"]));
        assert_eq!(text_of(row, "member-labour").await, "无权限查看");
        assert_eq!(text_of(row, "member-employment").await, "无权限查看");
    }
    wait_for_text(client, "household-labour-force", "无权限查看").await;
}
