//! The web app in headless Chromium, driven over WebDriver.

use fantoccini::{Client, Locator};
use integration_tests::browser::{
    test_id, text_of, wait_for_at_least, wait_for_test_id, wait_for_text, with_browser,
    BrowserPrerequisites,
};
use serde_json::{json, Value};

use crate::TestApp;

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
async fn a_phone_user_browses_from_the_district_overview_to_a_site_and_a_household() {
    let Some(prerequisites) = BrowserPrerequisites::find() else {
        return;
    };
    let app = TestApp::spawn_sqlite_with_demo().await;
    let sites = sites_from_api(&app).await;
    assert_eq!(sites.len(), 2, "the seed has two sites: {sites:?}");
    let base_url = app.base_url.clone();

    // The browser part runs as its own task: it looks the household up over plain HTTP.
    let api = Api {
        http: app.http().clone(),
        url: app.url("/graphql"),
    };
    with_browser(&prerequisites, move |client| async move {
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
}

impl Api {
    async fn graphql(&self, query: &str, variables: Value) -> Value {
        self.http
            .post(&self.url)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request reaches the server")
            .json()
            .await
            .expect("a JSON response")
    }
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
    }
}

async fn deep_links_and_unknown_paths_work(client: &Client, base_url: &str, site: &ApiSite) {
    client
        .goto(&format!("{base_url}/sites/{}", site.id))
        .await
        .expect("open a deep link");
    wait_for_text(client, "site-name", &site.name).await;

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
