//! The web app in headless Chromium, driven over WebDriver.

use fantoccini::{Client, Locator};
use integration_tests::browser::{
    count_test_ids, save_screenshot, sign_in_through_the_login_page, test_id, text_of,
    wait_for_at_least, wait_for_path, wait_for_test_id, wait_for_text, with_browser,
    BrowserPrerequisites, PAGE_TIMEOUT,
};
use serde_json::{json, Value};

use crate::DbKind;
use crate::{db_test, TestApp, DEMO_PASSWORD};

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
    assert_eq!(
        page_modules_fetched(client).await,
        Vec::<String>::new(),
        "a visitor who has not signed in downloads no page's code"
    );

    sign_in_through_the_login_page(client, username, DEMO_PASSWORD).await;
    wait_for_path(client, "/").await;
    let name = wait_for_test_id(client, "user-name").await;
    assert!(
        !name.text().await.expect("name").trim().is_empty(),
        "the header shows who is signed in"
    );
    wait_for_test_id(client, "logout").await;
    wait_for_at_least(client, "site-card", 1).await;
    let fetched = page_modules_fetched(client).await;
    assert!(
        has_module_of(&fetched, "overview_page"),
        "the overview's module was fetched when it was shown: {fetched:?}"
    );
    assert!(
        !has_module_of(&fetched, "site_page"),
        "the site page's module waits until a site is opened: {fetched:?}"
    );
}

/// The page modules (`assets/split_<page>-….wasm`, `assets/chunk_<n>-….wasm`, see
/// ARCHITECTURE.md, "The web app's modules") this page has fetched so far, by file name.
async fn page_modules_fetched(client: &Client) -> Vec<String> {
    let names = client
        .execute(
            "return performance.getEntriesByType('resource')
                .map((entry) => new URL(entry.name).pathname)
                .filter((path) => /^\\/assets\\/(split|chunk)_/.test(path))
                .map((path) => path.slice('/assets/'.length));",
            vec![],
        )
        .await
        .expect("read the resource timings");
    serde_json::from_value(names).expect("a list of names")
}

/// Whether `fetched` (from [`page_modules_fetched`]) holds the module of the split point
/// `loader` (`frontend/src/pages/lazy.rs`).
fn has_module_of(fetched: &[String], loader: &str) -> bool {
    fetched
        .iter()
        .any(|name| name.starts_with(&format!("split_{loader}-")))
}

/// The access token lives only in the app's memory; the refresh token only in an HttpOnly
/// cookie, which scripts cannot read. localStorage holds one flag, that someone is signed in
/// (for index.html's shell), and nothing else.
async fn the_access_token_is_kept_out_of_script_readable_storage(client: &Client) {
    let storage = client
        .execute(
            "return [Object.entries(localStorage), sessionStorage.length, document.cookie];",
            vec![],
        )
        .await
        .expect("read the storage");
    assert_eq!(
        storage,
        json!([[["houxu.signedIn", "1"]], 0, ""]),
        "only the signed-in flag in localStorage; nothing in sessionStorage or script-readable cookies"
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
    let fetched = page_modules_fetched(client).await;
    assert!(
        has_module_of(&fetched, "site_page"),
        "the site page's module was fetched when the site was opened: {fetched:?}"
    );
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

// ---------------------------------------------------------------------------------------------
// The responsibility list (责任清单): 我的任务, the task page, the matrix with its queue and its
// "as of" day.

const MY_TASKS_QUERY: &str = "
    query { myTasks {
      asOf
      totals { total notStarted onTrack dueSoon overdue done }
      tasks { id code title deadline status myInvolvement }
    } }";

const MATRIX_QUERY: &str = "
    query($asOf: NaiveDate, $filter: TaskFilterInput) {
      responsibilityMatrix(asOf: $asOf, filter: $filter) {
        asOf
        totals { total notStarted onTrack dueSoon overdue done }
        units { unit { kind code } total overdue dueSoon }
        tasks { id code deadline status }
      }
    }";

const TASK_QUERY: &str = "
    query($id: ID!) {
      responsibilityTask(id: $id) {
        status
        progressReports { id narrative status reviewComment }
      }
    }";

const INBOX_QUERY: &str = "
    query { responsibilityInbox { reportsToReview { id narrative task { id code } } } }";

/// The status counts of a task board, in the order of the page's tiles.
const COUNT_TILES: [(&str, &str); 5] = [
    ("overdue", "count-overdue"),
    ("dueSoon", "count-due-soon"),
    ("onTrack", "count-on-track"),
    ("notStarted", "count-not-started"),
    ("done", "count-done"),
];

/// A task the responsible bureau reports on in the walk-through.
#[derive(Debug, Clone)]
struct ChosenTask {
    id: String,
    title: String,
    /// The narrative of the report the bureau submits.
    narrative: String,
    deadline: chrono::NaiveDate,
    /// The deadline the bureau asks for.
    extended_deadline: chrono::NaiveDate,
}

impl Api {
    async fn for_user(app: &TestApp, username: &str) -> Api {
        Api {
            http: app.http().clone(),
            url: app.url("/graphql"),
            token: app.login(username).await,
        }
    }

    /// `data` of an operation that must succeed.
    async fn data(&self, query: &str, variables: Value) -> Value {
        let response = self.graphql(query, variables).await;
        assert!(
            response.get("errors").is_none(),
            "unexpected errors: {response:#}"
        );
        response["data"].clone()
    }

    async fn matrix(&self, as_of: Option<&str>, filter: Value) -> Value {
        self.data(MATRIX_QUERY, json!({ "asOf": as_of, "filter": filter }))
            .await["responsibilityMatrix"]
            .clone()
    }
}

db_test! {
    async fn a_bureau_reports_progress_on_its_task_and_the_lead_bureau_reviews_it_in_the_matrix(app) {
        let Some(prerequisites) = BrowserPrerequisites::find() else {
            return;
        };
        let hrss = Api::for_user(&app, "bureau_hrss").await;
        let drc = Api::for_user(&app, "bureau_drc").await;
        let base_url = app.base_url.clone();
        let evidence = EvidenceFile::png();
        with_browser(&prerequisites, move |client| async move {
            let task =
                a_bureau_sees_its_counts_and_reports_progress(&client, &base_url, &hrss, &evidence)
                    .await;
            the_matrix_is_not_for_a_bureau_without_the_responsibility_domain(&client, &base_url).await;
            sign_out(&client).await;

            sign_in_through_the_login_page(&client, "bureau_drc", DEMO_PASSWORD).await;
            wait_for_path(&client, "/").await;
            the_lead_bureau_sees_the_counts_per_unit(&client, &drc).await;
            the_lead_bureau_accepts_the_report_and_the_task_moves_on(&client, &drc, &task).await;
            the_lead_bureau_approves_the_extension(&client, &base_url, &task).await;
            the_lead_bureau_returns_a_report_with_a_comment(&client, &base_url, &drc).await;
            the_matrix_turns_red_as_the_day_moves_on(&client, &base_url, &drc).await;
        })
        .await;
        drop(app);
    }
}

/// A file to attach as evidence, in a directory of its own.
struct EvidenceFile {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    name: &'static str,
}

impl EvidenceFile {
    /// A 1 × 1 PNG with a Chinese name (sent percent-encoded in `X-File-Name`).
    fn png() -> EvidenceFile {
        const ONE_PIXEL_PNG: [u8; 67] = [
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
            0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
            0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78,
            0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00,
            0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
        ];
        let name = "就业证明.png";
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join(name);
        std::fs::write(&path, ONE_PIXEL_PNG).expect("write the evidence file");
        EvidenceFile {
            _dir: dir,
            path,
            name,
        }
    }
}

/// 人社局 opens 我的任务: the counts and the order are the API's; it opens a task of its own
/// that has not started and reports progress with a photo as evidence, which then shows in the
/// task's history.
async fn a_bureau_sees_its_counts_and_reports_progress(
    client: &Client,
    base_url: &str,
    api: &Api,
    evidence: &EvidenceFile,
) -> ChosenTask {
    client
        .goto(&format!("{base_url}/"))
        .await
        .expect("open the app");
    sign_in_through_the_login_page(client, "bureau_hrss", DEMO_PASSWORD).await;
    wait_for_path(client, "/").await;
    wait_for_test_id(client, "home-nav-tasks").await;
    assert_eq!(
        count_test_ids(client, "nav-matrix").await,
        0,
        "a bureau without the responsibility domain has no 责任矩阵 in its navigation"
    );
    click_test_id(client, "nav-tasks").await;
    wait_for_path(client, "/tasks").await;

    let board = api.data(MY_TASKS_QUERY, json!({})).await["myTasks"].clone();
    for (field, testid) in COUNT_TILES {
        wait_for_text(client, testid, &board["totals"][field].to_string()).await;
    }
    let tasks = board["tasks"].as_array().expect("tasks").clone();
    let items = wait_for_at_least(client, "task-item", tasks.len()).await;
    assert_eq!(items.len(), tasks.len(), "one line per task of myTasks");
    for (item, task) in items.iter().zip(&tasks) {
        assert_eq!(
            item.attr("data-task-id")
                .await
                .expect("attribute")
                .as_deref(),
            task["id"].as_str(),
            "the tasks come in the API's order of urgency"
        );
        let badge = item
            .find(Locator::Css(&test_id("status-badge")))
            .await
            .expect("a status badge");
        assert_eq!(
            badge
                .attr("data-status")
                .await
                .expect("attribute")
                .as_deref(),
            task["status"].as_str()
        );
        assert!(
            !badge.text().await.expect("text").trim().is_empty(),
            "the status is said in words, not only in colour"
        );
    }
    save_screenshot(client, "my-tasks").await;

    let chosen = tasks
        .iter()
        .find(|task| task["myInvolvement"] == "RESPONSIBLE" && task["status"] == "NOT_STARTED")
        .unwrap_or_else(|| panic!("人社局 has a task it has not started: {tasks:#?}"));
    let deadline = day(&as_text(&chosen["deadline"]));
    let task = ChosenTask {
        id: as_text(&chosen["id"]),
        title: as_text(&chosen["title"]),
        narrative: format!("浏览器测试：已完成岗位摸排 {}", as_text(&chosen["code"])),
        deadline,
        extended_deadline: deadline + chrono::Days::new(30),
    };
    client
        .find(Locator::Css(&format!(
            "[data-testid=\"task-item\"][data-task-id=\"{}\"] [data-testid=\"task-link\"]",
            task.id
        )))
        .await
        .expect("the task's line")
        .click()
        .await
        .expect("tap the task");
    wait_for_path(client, &format!("/tasks/{}", task.id)).await;
    wait_for_text(client, "task-heading", &task.title).await;
    wait_for_attribute(
        client,
        &test_id("task-status"),
        "data-status",
        "NOT_STARTED",
    )
    .await;
    wait_for_test_id(client, "report-form").await;
    save_screenshot(client, "task-before-report").await;

    let percent = client
        .find(Locator::Css(&test_id("report-percent")))
        .await
        .expect("a 完成进度 field");
    percent.clear().await.expect("clear 完成进度");
    percent.send_keys("30").await.expect("type 30");
    client
        .find(Locator::Css(&test_id("report-narrative")))
        .await
        .expect("a 进展情况 field")
        .send_keys(&task.narrative)
        .await
        .expect("type the narrative");
    client
        .find(Locator::Css(&test_id("report-file")))
        .await
        .expect("a 佐证材料 field")
        .send_keys(&evidence.path.display().to_string())
        .await
        .expect("pick the evidence file");
    click_test_id(client, "report-submit").await;

    wait_for_text(client, "task-notice", "进展已提交，等待牵头部门审核").await;
    let report = wait_for_report(client, &task.narrative).await;
    assert_eq!(text_of(&report, "report-status").await, "待审核");
    assert_eq!(text_of(&report, "report-percent").await, "30");
    wait_for_history_entry(client, "提交进展").await;
    // The evidence downloads with the token too, byte for byte.
    let attachment = wait_for_attachment(client, &task.narrative, evidence.name).await;
    client
        .execute(WATCH_DOWNLOADS, vec![])
        .await
        .expect("watch downloads");
    attachment.click().await.expect("tap the evidence");
    let saved = wait_for_saved_download(client).await;
    assert_eq!(saved["type"], "image/png", "{saved}");
    assert_eq!(saved["size"], 67, "{saved}");
    save_screenshot(client, "task-after-report").await;

    asking_for_an_extension_shows_the_servers_refusal_then_files_it(client, &task).await;

    let stored = api.data(TASK_QUERY, json!({ "id": task.id })).await;
    let reports = stored["responsibilityTask"]["progressReports"]
        .as_array()
        .expect("reports");
    assert!(
        reports
            .iter()
            .any(|report| report["narrative"] == task.narrative.as_str()
                && report["status"] == "SUBMITTED"),
        "the API has the report: {stored:#}"
    );
    task
}

/// A deadline before the current one is refused by the server: its message and code show under
/// 提交失败. A later one is filed and waits for the lead bureau.
async fn asking_for_an_extension_shows_the_servers_refusal_then_files_it(
    client: &Client,
    task: &ChosenTask,
) {
    click_test_id(client, "extension-toggle").await;
    let earlier = (task.deadline - chrono::Days::new(1)).to_string();
    set_date_input(client, "extension-deadline", &earlier).await;
    client
        .find(Locator::Css(&test_id("extension-reason")))
        .await
        .expect("a 延期理由 field")
        .send_keys("部分搬迁户外出务工，需延期完成摸排")
        .await
        .expect("type the reason");
    click_test_id(client, "extension-submit").await;
    wait_for_text(client, "action-error-title", "提交失败").await;
    wait_for_text(client, "action-error-code", "INVALID_INPUT").await;
    let message = wait_for_test_id(client, "action-error-message").await;
    assert!(
        message
            .text()
            .await
            .expect("text")
            .contains("must be after the current deadline"),
        "the server's own words are shown"
    );
    save_screenshot(client, "extension-refused").await;

    set_date_input(
        client,
        "extension-deadline",
        &task.extended_deadline.to_string(),
    )
    .await;
    click_test_id(client, "extension-submit").await;
    wait_for_text(client, "task-notice", "延期申请已提交，等待牵头部门审批").await;
    wait_for_text(
        client,
        "extension-requested-deadline",
        &task.extended_deadline.to_string(),
    )
    .await;
    wait_for_text(client, "extension-status", "待审批").await;
    assert_eq!(count_test_ids(client, "action-error").await, 0);
}

/// 批准 in the queue moves the task's deadline.
async fn the_lead_bureau_approves_the_extension(
    client: &Client,
    base_url: &str,
    task: &ChosenTask,
) {
    client
        .goto(&format!("{base_url}/matrix"))
        .await
        .expect("open the matrix");
    click_test_id(client, "inbox-toggle").await;
    let requested = task.extended_deadline.to_string();
    let item = format!(
        "[data-testid=\"extension-item\"]:has([data-testid=\"extension-task-link\"][href=\"/tasks/{}\"])",
        task.id
    );
    wait_for_text_at(
        client,
        &format!("{item} [data-testid=\"extension-requested-deadline\"]"),
        &requested,
    )
    .await;
    click_css(client, &format!("{item} [data-testid=\"decide-accept\"]")).await;
    wait_for_text(client, "inbox-notice", "已批准延期，截止日期已调整").await;
    client
        .goto(&format!("{base_url}/tasks/{}", task.id))
        .await
        .expect("open the task");
    wait_for_text(client, "task-deadline", &requested).await;
    wait_for_text(client, "extension-status", "已批准").await;
    wait_for_history_entry(client, "批准延期").await;
}

/// Waits until the element at `css` shows exactly `expected`.
pub(crate) async fn wait_for_text_at(client: &Client, css: &str, expected: &str) {
    let deadline = std::time::Instant::now() + PAGE_TIMEOUT;
    loop {
        let shown = match client.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.ok(),
            Err(_) => None,
        };
        if shown.as_deref().map(str::trim) == Some(expected) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{css} shows {shown:?}, expected {expected:?} (waited {PAGE_TIMEOUT:?})"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// A bureau that may not read the whole list gets 无权限查看, not a broken page.
async fn the_matrix_is_not_for_a_bureau_without_the_responsibility_domain(
    client: &Client,
    base_url: &str,
) {
    client
        .goto(&format!("{base_url}/matrix"))
        .await
        .expect("open the matrix");
    let notice = wait_for_test_id(client, "no-access").await;
    assert!(
        notice.text().await.expect("text").contains("无权限查看"),
        "the matrix says 无权限查看"
    );
    assert_eq!(count_test_ids(client, "task-matrix").await, 0);
    assert_eq!(count_test_ids(client, "error").await, 0, "no error panel");
}

pub(crate) async fn sign_out(client: &Client) {
    click_test_id(client, "logout").await;
    wait_for_path(client, "/login").await;
    wait_for_test_id(client, "login-form").await;
}

/// 区发改局 opens 责任矩阵: the totals and each unit's overdue and due-soon counts are the API's.
async fn the_lead_bureau_sees_the_counts_per_unit(client: &Client, api: &Api) {
    click_test_id(client, "nav-matrix").await;
    wait_for_path(client, "/matrix").await;
    let board = api.matrix(None, Value::Null).await;
    for (field, testid) in COUNT_TILES {
        wait_for_text(client, testid, &board["totals"][field].to_string()).await;
    }
    let units = board["units"].as_array().expect("units");
    let rows = wait_for_at_least(client, "unit-count-row", units.len()).await;
    // The units with nothing red or yellow are folded away at first.
    if count_test_ids(client, "unit-counts-all").await > 0 {
        click_test_id(client, "unit-counts-all").await;
    }
    assert_eq!(rows.len(), units.len(), "one row per unit");
    let with_overdue = units
        .iter()
        .find(|unit| unit["overdue"].as_i64() > Some(0))
        .expect("a unit with overdue tasks in the demo data");
    for unit in [with_overdue, &units[units.len() - 1]] {
        let key = unit_key(unit);
        let row = client
            .find(Locator::Css(&format!(
                "[data-testid=\"unit-count-row\"][data-unit=\"{key}\"]"
            )))
            .await
            .unwrap_or_else(|_| panic!("a row for {key}"));
        assert_eq!(
            text_of(&row, "unit-overdue").await,
            unit["overdue"].to_string(),
            "overdue tasks of {key}"
        );
        assert_eq!(
            text_of(&row, "unit-due-soon").await,
            unit["dueSoon"].to_string(),
            "due-soon tasks of {key}"
        );
    }
    let rows = wait_for_at_least(client, "matrix-row", 1).await;
    assert_eq!(
        rows.len(),
        board["tasks"].as_array().expect("tasks").len(),
        "one matrix row per task"
    );
    save_screenshot(client, "matrix").await;
}

/// `bureau:hrss` or `town:610202100`, as the page keys units.
fn unit_key(counts: &Value) -> String {
    let kind = if counts["unit"]["kind"] == "TOWN" {
        "town"
    } else {
        "bureau"
    };
    format!("{kind}:{}", as_text(&counts["unit"]["code"]))
}

/// The report 人社局 submitted waits in the queue; 采纳 takes it out, and the task, not
/// started before, is now under way in the matrix and on its page.
async fn the_lead_bureau_accepts_the_report_and_the_task_moves_on(
    client: &Client,
    api: &Api,
    task: &ChosenTask,
) {
    click_test_id(client, "inbox-toggle").await;
    let report = wait_for_report(client, &task.narrative).await;
    report
        .find(Locator::Css(&test_id("review-accept")))
        .await
        .expect("a 采纳 button")
        .click()
        .await
        .expect("tap 采纳");
    wait_for_text(client, "inbox-notice", "已采纳该进展报告").await;
    wait_until_gone(client, &task.narrative).await;

    let stored = api.data(TASK_QUERY, json!({ "id": task.id })).await;
    let status = as_text(&stored["responsibilityTask"]["status"]);
    assert_ne!(status, "NOT_STARTED", "an accepted report starts the task");
    // Tap the unit: the matrix shows only its tasks, and this one in its new status.
    click_css(
        client,
        "[data-testid=\"unit-count-row\"][data-unit=\"bureau:hrss\"]",
    )
    .await;
    wait_for_path(client, "/matrix?unit=bureau%3Ahrss").await;
    let filtered = api.matrix(None, json!({ "bureauCode": "hrss" })).await;
    wait_for_text(
        client,
        "matrix-task-count",
        &filtered["tasks"]
            .as_array()
            .expect("tasks")
            .len()
            .to_string(),
    )
    .await;
    let row = format!(
        "[data-testid=\"matrix-row\"][data-task-id=\"{}\"] [data-testid=\"status-badge\"]",
        task.id
    );
    wait_for_attribute(client, &row, "data-status", &status).await;
    save_screenshot(client, "matrix-after-accept").await;

    click_css(
        client,
        &format!(
            "[data-testid=\"matrix-row\"][data-task-id=\"{}\"] [data-testid=\"matrix-task-link\"]",
            task.id
        ),
    )
    .await;
    wait_for_text(client, "task-heading", &task.title).await;
    wait_for_attribute(client, &test_id("task-status"), "data-status", &status).await;
    let report = wait_for_report(client, &task.narrative).await;
    assert_eq!(text_of(&report, "report-status").await, "已采纳");
    wait_for_history_entry(client, "采纳进展").await;
    assert_eq!(
        count_test_ids(client, "report-form").await,
        0,
        "the lead bureau does not report on another bureau's task"
    );
}

/// 退回 needs a comment; the report then shows 已退回 with it on its task's page.
async fn the_lead_bureau_returns_a_report_with_a_comment(
    client: &Client,
    base_url: &str,
    api: &Api,
) {
    let inbox = api.data(INBOX_QUERY, json!({})).await;
    let waiting = inbox["responsibilityInbox"]["reportsToReview"][0].clone();
    let narrative = as_text(&waiting["narrative"]);
    assert!(
        !narrative.is_empty(),
        "the demo data has reports waiting for review: {inbox:#}"
    );
    client
        .goto(&format!("{base_url}/matrix"))
        .await
        .expect("open the matrix");
    click_test_id(client, "inbox-toggle").await;
    let report = wait_for_report(client, &narrative).await;
    report
        .find(Locator::Css(&test_id("review-refuse")))
        .await
        .expect("a 退回 button")
        .click()
        .await
        .expect("tap 退回");
    // Without a comment the page asks for one and sends nothing.
    let confirm = report
        .find(Locator::Css(&test_id("review-confirm-refuse")))
        .await
        .expect("a 确认退回 button");
    confirm.click().await.expect("tap 确认退回");
    let deadline = std::time::Instant::now() + PAGE_TIMEOUT;
    while !report.text().await.expect("text").contains("请填写意见") {
        assert!(
            std::time::Instant::now() < deadline,
            "退回 without a comment asks for one"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let comment = "请补充已就业人员的劳动合同或工资流水";
    report
        .find(Locator::Css(&test_id("review-comment")))
        .await
        .expect("a comment box")
        .send_keys(comment)
        .await
        .expect("type the comment");
    confirm.click().await.expect("tap 确认退回");
    wait_for_text(client, "inbox-notice", "已退回该进展报告").await;
    wait_until_gone(client, &narrative).await;

    client
        .goto(&format!(
            "{base_url}/tasks/{}",
            as_text(&waiting["task"]["id"])
        ))
        .await
        .expect("open the task");
    let report = wait_for_report(client, &narrative).await;
    assert_eq!(text_of(&report, "report-status").await, "已退回");
    assert_eq!(text_of(&report, "report-review-comment").await, comment);
    wait_for_history_entry(client, "退回进展").await;
    save_screenshot(client, "task-returned").await;
}

/// Moving the "as of" day forward turns the matrix red: a month on, and the day after the last
/// open deadline (when every open task is overdue); the counts are the API's for that day.
async fn the_matrix_turns_red_as_the_day_moves_on(client: &Client, base_url: &str, api: &Api) {
    client
        .goto(&format!("{base_url}/matrix"))
        .await
        .expect("open the matrix");
    let today = api.matrix(None, Value::Null).await;
    let as_of = as_text(&today["asOf"]);
    wait_for_text(
        client,
        "count-overdue",
        &today["totals"]["overdue"].to_string(),
    )
    .await;

    click_test_id(client, "as-of-later-month").await;
    let month_later = (day(&as_of) + chrono::Days::new(30)).to_string();
    wait_for_path(client, &format!("/matrix?asOf={month_later}")).await;
    let later = api.matrix(Some(&month_later), Value::Null).await;
    wait_for_text(
        client,
        "count-overdue",
        &later["totals"]["overdue"].to_string(),
    )
    .await;
    wait_for_test_id(client, "as-of-note").await;
    save_screenshot(client, "matrix-month-later").await;

    let open_tasks: Vec<&Value> = today["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .filter(|task| task["status"] != "DONE")
        .collect();
    let last_deadline = open_tasks
        .iter()
        .map(|task| day(&as_text(&task["deadline"])))
        .max()
        .expect("open tasks");
    let all_late = (last_deadline + chrono::Days::new(1)).to_string();
    set_date_input(client, "as-of-input", &all_late).await;
    wait_for_path(client, &format!("/matrix?asOf={all_late}")).await;
    let red = api.matrix(Some(&all_late), Value::Null).await;
    let overdue = red["totals"]["overdue"].as_i64().expect("a count");
    assert_eq!(
        overdue,
        i64::try_from(open_tasks.len()).expect("a small count"),
        "every open task is overdue after the last deadline"
    );
    assert!(
        overdue > today["totals"]["overdue"].as_i64().expect("a count"),
        "more tasks are red later"
    );
    wait_for_text(client, "count-overdue", &overdue.to_string()).await;
    let not_red_today = open_tasks
        .iter()
        .find(|task| task["status"] != "OVERDUE")
        .expect("an open task that is not overdue today");
    wait_for_attribute(
        client,
        &format!(
            "[data-testid=\"matrix-row\"][data-task-id=\"{}\"] [data-testid=\"status-badge\"]",
            as_text(&not_red_today["id"])
        ),
        "data-status",
        "OVERDUE",
    )
    .await;
    save_screenshot(client, "matrix-all-late").await;

    click_test_id(client, "as-of-today").await;
    wait_for_path(client, "/matrix").await;
    wait_for_text(
        client,
        "count-overdue",
        &today["totals"]["overdue"].to_string(),
    )
    .await;
}

fn day(text: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a YYYY-MM-DD day")
}

pub(crate) async fn click_css(client: &Client, css: &str) {
    client
        .wait()
        .at_most(PAGE_TIMEOUT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|error| panic!("no {css} within {PAGE_TIMEOUT:?}: {error}"))
        .click()
        .await
        .unwrap_or_else(|error| panic!("could not click {css}: {error}"));
}

pub(crate) async fn click_test_id(client: &Client, id: &str) {
    click_css(client, &test_id(id)).await;
}

/// Waits until the element at `css` has `attribute` = `expected`.
async fn wait_for_attribute(client: &Client, css: &str, attribute: &str, expected: &str) {
    let deadline = std::time::Instant::now() + PAGE_TIMEOUT;
    loop {
        let shown = match client.find(Locator::Css(css)).await {
            Ok(element) => element.attr(attribute).await.ok().flatten(),
            Err(_) => None,
        };
        if shown.as_deref() == Some(expected) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{css} has {attribute}={shown:?}, expected {expected:?} (waited {PAGE_TIMEOUT:?})"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Waits for the report (in a task's history or the queue) whose narrative is `narrative`.
async fn wait_for_report(client: &Client, narrative: &str) -> fantoccini::elements::Element {
    let deadline = std::time::Instant::now() + PAGE_TIMEOUT;
    loop {
        let reports = client
            .find_all(Locator::Css(&test_id("report-item")))
            .await
            .expect("find reports");
        for report in reports {
            if let Ok(text) = report
                .find(Locator::Css(&test_id("report-narrative")))
                .await
            {
                if text.text().await.ok().as_deref().map(str::trim) == Some(narrative) {
                    return report;
                }
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no report {narrative:?} within {PAGE_TIMEOUT:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Waits until the report with `narrative` lists the evidence file `name` (the page reloads
/// the task after the upload), and returns the file's entry.
async fn wait_for_attachment(
    client: &Client,
    narrative: &str,
    name: &str,
) -> fantoccini::elements::Element {
    let deadline = std::time::Instant::now() + PAGE_TIMEOUT;
    loop {
        let report = wait_for_report(client, narrative).await;
        for attachment in report
            .find_all(Locator::Css(&test_id("attachment")))
            .await
            .unwrap_or_default()
        {
            if attachment.text().await.unwrap_or_default().contains(name) {
                return attachment;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the report does not list {name} after {PAGE_TIMEOUT:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Waits until no report with `narrative` is shown.
async fn wait_until_gone(client: &Client, narrative: &str) {
    let deadline = std::time::Instant::now() + PAGE_TIMEOUT;
    loop {
        let mut found = false;
        for text in client
            .find_all(Locator::Css(&test_id("report-narrative")))
            .await
            .expect("find reports")
        {
            if text.text().await.ok().as_deref().map(str::trim) == Some(narrative) {
                found = true;
            }
        }
        if !found {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the report {narrative:?} is still shown after {PAGE_TIMEOUT:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Waits for an entry of the task's history saying `kind` (提交进展, 采纳进展 …).
async fn wait_for_history_entry(client: &Client, kind: &str) {
    let deadline = std::time::Instant::now() + PAGE_TIMEOUT;
    loop {
        for entry in client
            .find_all(Locator::Css(&test_id("history-kind")))
            .await
            .expect("find history")
        {
            if entry.text().await.ok().as_deref().map(str::trim) == Some(kind) {
                return;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no {kind} in the task's history within {PAGE_TIMEOUT:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Sets a date field as a date picker does (typing into one depends on the browser's locale).
async fn set_date_input(client: &Client, id: &str, day: &str) {
    wait_for_test_id(client, id).await;
    client
        .execute(
            "const input = document.querySelector(arguments[0]);
             input.value = arguments[1];
             input.dispatchEvent(new Event('input', { bubbles: true }));
             input.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![json!(test_id(id)), json!(day)],
        )
        .await
        .expect("set the date");
}

// ---------------------------------------------------------------------------------------------
// The assessment (考核排名): the ranking as bars, a unit's breakdown, the published reports.

const ASSESSMENT_PLANS_QUERY: &str = "query { assessmentPlans { year } }";

const ASSESSMENT_RESULTS_QUERY: &str = "
    query($year: Int!) {
      assessmentResults(year: $year) {
        units {
          subjectKind unitCode unitShortName rank tiedWithUnitCodes specialPercent
          indicators { code name points maxPoints evidence { failed { label } } }
        }
      }
    }";

const PUBLISH_MUTATION: &str = "
    mutation($input: PublishAssessmentInput!) {
      publishAssessment(input: $input) { id title }
    }";

/// Records the blobs the page saves as downloads (type and size), so that a test can see what
/// a download button fetched.
pub(crate) const WATCH_DOWNLOADS: &str = "
    window.savedDownloads = [];
    const createObjectURL = URL.createObjectURL;
    URL.createObjectURL = function (blob) {
      window.savedDownloads.push({ type: blob.type, size: blob.size });
      return createObjectURL.call(URL, blob);
    };";

db_test! {
    async fn the_lead_bureau_sees_the_ranking_opens_a_units_breakdown_and_downloads_the_report(app) {
        let Some(prerequisites) = BrowserPrerequisites::find() else {
            return;
        };
        let drc = Api::for_user(&app, "bureau_drc").await;
        let plans = drc.data(ASSESSMENT_PLANS_QUERY, json!({})).await;
        let year = plans["assessmentPlans"][0]["year"]
            .as_i64()
            .expect("the demo data has an assessment plan");
        let results = drc
            .data(ASSESSMENT_RESULTS_QUERY, json!({ "year": year }))
            .await["assessmentResults"]
            .clone();
        // The assessment office publishes the results (通报) that everybody can download.
        let office = Api::for_user(&app, "bureau_poverty_office").await;
        let title = format!("{year}年度易地扶贫搬迁后续扶持专项考核结果通报（测试）");
        office
            .data(
                PUBLISH_MUTATION,
                json!({ "input": { "year": year, "title": title } }),
            )
            .await;
        let base_url = app.base_url.clone();
        with_browser(&prerequisites, move |client| async move {
            client
                .goto(&format!("{base_url}/assessment"))
                .await
                .expect("open the ranking");
            sign_in_through_the_login_page(&client, "bureau_drc", DEMO_PASSWORD).await;
            wait_for_path(&client, "/assessment").await;
            the_ranking_shows_every_unit_as_a_bar(&client, &results).await;
            tapping_a_unit_opens_its_breakdown(&client, &results, "hrss").await;
            the_published_report_downloads_as_a_spreadsheet(&client, &title).await;
            sign_out(&client).await;

            // A bureau without the assessment domain: no live ranking, but the report.
            sign_in_through_the_login_page(&client, "bureau_hrss", DEMO_PASSWORD).await;
            wait_for_path(&client, "/").await;
            click_test_id(&client, "nav-assessment").await;
            let notice = wait_for_test_id(&client, "no-access").await;
            assert!(notice.text().await.expect("text").contains("无权限查看"));
            assert_eq!(count_test_ids(&client, "rank-bar").await, 0);
            wait_for_text(&client, "publication-title", &title).await;
            save_screenshot(&client, "assessment-without-domain").await;
        })
        .await;
        drop(app);
    }
}

/// One bar per unit, in the API's order, with its rank (并列 for ties) and score.
async fn the_ranking_shows_every_unit_as_a_bar(client: &Client, results: &Value) {
    let units = results["units"].as_array().expect("units");
    let rows = wait_for_at_least(client, "rank-row", units.len()).await;
    assert_eq!(rows.len(), units.len(), "one bar per unit");
    for (row, unit) in rows.iter().zip(units) {
        assert_eq!(
            row.attr("data-unit").await.expect("attribute").as_deref(),
            unit["unitCode"].as_str(),
            "bureaus, then towns, in rank order"
        );
        let expected_rank = match unit["rank"].as_i64() {
            Some(rank)
                if unit["tiedWithUnitCodes"]
                    .as_array()
                    .is_some_and(|tied| !tied.is_empty()) =>
            {
                format!("并列第{rank}名")
            }
            Some(rank) => format!("第{rank}名"),
            None => "不参与排名".to_owned(),
        };
        assert_eq!(text_of(row, "rank-label").await, expected_rank);
        assert_eq!(
            text_of(row, "rank-unit").await,
            as_text(&unit["unitShortName"])
        );
        let percent = match &unit["specialPercent"] {
            Value::Null => "—".to_owned(),
            percent => as_text(percent),
        };
        assert_eq!(text_of(row, "rank-percent").await, percent);
    }
    save_screenshot(client, "assessment-ranking").await;
}

/// The unit's indicators with their points out of the maximum, and the records that failed.
async fn tapping_a_unit_opens_its_breakdown(client: &Client, results: &Value, unit_code: &str) {
    let unit = results["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|unit| unit["unitCode"] == unit_code)
        .unwrap_or_else(|| panic!("{unit_code} is assessed"));
    assert_eq!(
        count_test_ids(client, "breakdown").await,
        0,
        "closed at first"
    );
    click_css(
        client,
        &format!(
            "[data-testid=\"rank-row\"][data-unit=\"{unit_code}\"] [data-testid=\"rank-bar\"]"
        ),
    )
    .await;
    let breakdown = wait_for_test_id(client, "breakdown").await;
    let indicators = unit["indicators"].as_array().expect("indicators");
    let shown = breakdown
        .find_all(Locator::Css(&test_id("breakdown-indicator")))
        .await
        .expect("indicators");
    assert_eq!(shown.len(), indicators.len(), "every indicator of the unit");
    for (item, indicator) in shown.iter().zip(indicators) {
        assert_eq!(
            text_of(item, "indicator-name").await,
            as_text(&indicator["name"])
        );
        assert_eq!(
            text_of(item, "indicator-points").await,
            as_text(&indicator["points"])
        );
        assert_eq!(
            text_of(item, "indicator-max").await,
            as_text(&indicator["maxPoints"])
        );
        let failed = indicator["evidence"]["failed"]
            .as_array()
            .map_or(0, Vec::len);
        let records = item
            .find_all(Locator::Css(&test_id("failed-record")))
            .await
            .expect("failed records");
        assert_eq!(
            records.len(),
            failed,
            "the failing records of {}",
            indicator["code"]
        );
        if let Some(first) = records.first() {
            assert_eq!(
                first.text().await.expect("text").trim(),
                as_text(&indicator["evidence"]["failed"][0]["label"])
            );
        }
    }
    save_screenshot(client, "assessment-breakdown").await;
    // Tapping the bar again folds it.
    click_css(
        client,
        &format!(
            "[data-testid=\"rank-row\"][data-unit=\"{unit_code}\"] [data-testid=\"rank-bar\"]"
        ),
    )
    .await;
    let deadline = std::time::Instant::now() + PAGE_TIMEOUT;
    while count_test_ids(client, "breakdown").await > 0 {
        assert!(std::time::Instant::now() < deadline, "the breakdown folds");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// 下载 Excel fetches the report with the token and saves it as an .xlsx file.
async fn the_published_report_downloads_as_a_spreadsheet(client: &Client, title: &str) {
    wait_for_text(client, "publication-title", title).await;
    client
        .execute(WATCH_DOWNLOADS, vec![])
        .await
        .expect("watch downloads");
    click_test_id(client, "publication-download").await;
    let saved = wait_for_saved_download(client).await;
    assert!(
        saved["type"]
            .as_str()
            .is_some_and(|kind| kind.contains("spreadsheetml")),
        "an .xlsx file: {saved}"
    );
    assert!(saved["size"].as_i64() > Some(0), "with content: {saved}");
    assert_eq!(
        count_test_ids(client, "action-error").await,
        0,
        "no 下载失败"
    );
}

/// The first blob saved since [`WATCH_DOWNLOADS`] ran: `{type, size}`.
pub(crate) async fn wait_for_saved_download(client: &Client) -> Value {
    let deadline = std::time::Instant::now() + PAGE_TIMEOUT;
    loop {
        let saved = client
            .execute("return window.savedDownloads;", vec![])
            .await
            .expect("read the downloads");
        if let Some(download) = saved.as_array().and_then(|saved| saved.first()) {
            return download.clone();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no download within {PAGE_TIMEOUT:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
