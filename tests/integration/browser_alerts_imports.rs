//! The 预警 and 数据导入 pages in headless Chromium: the counts are the API's, the feed filters
//! by rule, a missed party visit is marked 已处理 with a note and leaves the open list; a CSV is
//! checked (an error table, nothing written) and then imported through the page.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use integration_tests::browser::{
    count_test_ids, save_screenshot, sign_in_through_the_login_page, test_id, text_of,
    wait_for_at_least, wait_for_path, wait_for_test_id, wait_for_text, with_browser,
    BrowserPrerequisites, PAGE_TIMEOUT,
};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{json, Value};

use crate::browser::{
    click_css, click_test_id, wait_for_saved_download, wait_for_text_at, WATCH_DOWNLOADS,
};
use crate::{db_test, TestApp, DEMO_PASSWORD};

const COUNTS_QUERY: &str = "query {
    alertCounts {
      total
      byRule { rule ruleLabel clause open }
      byBureau { unit { code } open }
      byTown { unit { code } open }
      bySite { site { id name } open }
    } }";

const FEED_QUERY: &str = "query($filter: AlertFilterInput!) {
    alerts(filter: $filter, first: 100) {
      totalCount nodes { id rule resolvableByHand resolvedAt resolutionNote resolvedByHand site { id } }
    } }";

const ALERT_QUERY: &str = "query($id: ID!) {
    alert(id: $id) { id resolvedAt resolutionNote resolvedByHand } }";

/// The GraphQL endpoint as one user, for look-ups from inside the browser task.
struct Api {
    http: reqwest::Client,
    url: String,
    token: String,
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
        let response: Value = self
            .http
            .post(&self.url)
            .bearer_auth(&self.token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request reaches the server")
            .json()
            .await
            .expect("a JSON response");
        assert!(
            response.get("errors").is_none(),
            "unexpected errors: {response:#}"
        );
        response["data"].clone()
    }

    async fn counts(&self) -> Value {
        self.data(COUNTS_QUERY, json!({})).await["alertCounts"].clone()
    }
}

fn open_of(rows: &Value, key: impl Fn(&Value) -> String) -> BTreeMap<String, i64> {
    rows.as_array()
        .expect("count rows")
        .iter()
        .map(|row| (key(row), row["open"].as_i64().expect("open")))
        .collect()
}

fn rule_open(counts: &Value, rule: &str) -> i64 {
    open_of(&counts["byRule"], |row| as_text(&row["rule"]))
        .get(rule)
        .copied()
        .unwrap_or(0)
}

fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Waits until exactly `expected` elements carry `data-testid` `id`.
async fn wait_for_count(client: &Client, id: &str, expected: usize) {
    let deadline = Instant::now() + PAGE_TIMEOUT;
    loop {
        let found = count_test_ids(client, id).await;
        if found == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "expected {expected} [data-testid={id}], found {found} after {PAGE_TIMEOUT:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the element at `css` has `attribute` = `expected`.
async fn wait_for_attribute(client: &Client, css: &str, attribute: &str, expected: &str) {
    let deadline = Instant::now() + PAGE_TIMEOUT;
    loop {
        let shown = match client.find(Locator::Css(css)).await {
            Ok(element) => element.attr(attribute).await.ok().flatten(),
            Err(_) => None,
        };
        if shown.as_deref() == Some(expected) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{css} has {attribute}={shown:?}, expected {expected:?} (waited {PAGE_TIMEOUT:?})"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Scrolls the element with `data-testid` `id` to the top of the window (for the screenshots).
async fn scroll_to(client: &Client, id: &str) {
    client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView();",
            vec![json!(test_id(id))],
        )
        .await
        .expect("scroll");
}

/// The `data-rule` of every alert the feed shows.
async fn rules_in_feed(client: &Client) -> Vec<String> {
    let mut rules = Vec::new();
    for item in client
        .find_all(Locator::Css(&test_id("alert-item")))
        .await
        .expect("find alerts")
    {
        rules.push(
            item.attr("data-rule")
                .await
                .expect("attribute")
                .unwrap_or_default(),
        );
    }
    rules
}

// ---------------------------------------------------------------------------------------------
// 预警

db_test! {
    async fn a_town_official_sees_the_alert_counts_filters_by_rule_and_resolves_a_missed_visit(app) {
        let Some(prerequisites) = BrowserPrerequisites::find() else {
            return;
        };
        // 黄堡镇 sees its own sites' alerts and keeps the party records (A6§2.2).
        let town = Api::for_user(&app, "town_610202100").await;
        let counts = town.counts().await;
        let visits = town
            .data(FEED_QUERY, json!({ "filter": { "ruleCodes": ["MISSED_PARTY_VISIT"] } }))
            .await["alerts"]["nodes"]
            .clone();
        let visit = visits
            .as_array()
            .expect("alerts")
            .iter()
            .find(|alert| alert["resolvableByHand"] == true)
            .cloned()
            .expect("the demo data has a missed party visit at 黄堡镇's site");
        assert!(rule_open(&counts, "ZERO_EMPLOYMENT") > 0, "{counts:#}");
        let base_url = app.base_url.clone();
        with_browser(&prerequisites, move |client| async move {
            client
                .goto(&format!("{base_url}/alerts"))
                .await
                .expect("open 预警");
            sign_in_through_the_login_page(&client, "town_610202100", DEMO_PASSWORD).await;
            wait_for_path(&client, "/alerts").await;
            the_counts_are_the_apis(&client, &counts).await;
            filtering_by_rule_lists_only_that_rules_alerts(&client, &counts).await;
            a_missed_visit_is_resolved_with_a_note(&client, &town, &counts, &visit).await;
            the_dashboards_show_the_open_counts(&client, &base_url, &town).await;
        })
        .await;
        drop(app);
    }
}

/// The total, each rule's card (label, clause, open), and the rows per bureau, town and site.
async fn the_counts_are_the_apis(client: &Client, counts: &Value) {
    wait_for_text(client, "alert-total", &as_text(&counts["total"])).await;
    let rules = counts["byRule"].as_array().expect("byRule");
    let cards = wait_for_at_least(client, "alert-rule-card", rules.len()).await;
    assert_eq!(cards.len(), rules.len(), "one card per rule the API counts");
    for (card, rule) in cards.iter().zip(rules) {
        assert_eq!(
            card.attr("data-rule").await.expect("attribute").as_deref(),
            rule["rule"].as_str(),
            "the API's order of rules"
        );
        assert_eq!(
            text_of(card, "alert-rule-label").await,
            as_text(&rule["ruleLabel"])
        );
        assert_eq!(
            text_of(card, "alert-rule-clause").await,
            as_text(&rule["clause"])
        );
        assert_eq!(
            text_of(card, "alert-rule-open").await,
            as_text(&rule["open"])
        );
    }
    for (section, rows, key) in [
        ("alert-bureau-count", &counts["byBureau"], "/unit/code"),
        ("alert-town-count", &counts["byTown"], "/unit/code"),
        ("alert-site-count", &counts["bySite"], "/site/id"),
    ] {
        let expected = open_of(rows, |row| as_text(row.pointer(key).expect("a key")));
        let mut shown = BTreeMap::new();
        for row in client
            .find_all(Locator::Css(&test_id(section)))
            .await
            .expect("rows")
        {
            let key = row
                .attr("data-key")
                .await
                .expect("attribute")
                .expect("data-key");
            let open: i64 = text_of(&row, "alert-count-open")
                .await
                .parse()
                .expect("a number");
            shown.insert(key, open);
        }
        assert_eq!(shown, expected, "{section}");
    }
    assert!(
        counts["byTown"]
            .as_array()
            .is_some_and(|towns| towns.len() == 1),
        "a town official sees its own town only: {counts:#}"
    );
    wait_for_text(client, "alert-feed-total", &as_text(&counts["total"])).await;
    save_screenshot(client, "alerts-counts").await;
}

/// 规则 by the select, then by tapping a rule's card: the feed holds that rule only, as many
/// as the API counts; an alert the data closes offers no 标记已处理.
async fn filtering_by_rule_lists_only_that_rules_alerts(client: &Client, counts: &Value) {
    let select = wait_for_test_id(client, "alert-filter-rule").await;
    select
        .select_by_value("ZERO_EMPLOYMENT")
        .await
        .expect("pick 零就业家庭");
    wait_for_path(client, "/alerts?rule=ZERO_EMPLOYMENT").await;
    let zero = rule_open(counts, "ZERO_EMPLOYMENT");
    wait_for_text(client, "alert-feed-total", &zero.to_string()).await;
    wait_for_count(client, "alert-item", zero as usize).await;
    assert!(rules_in_feed(client)
        .await
        .iter()
        .all(|rule| rule == "ZERO_EMPLOYMENT"));
    wait_for_attribute(
        client,
        "[data-testid=\"alert-rule-card\"][data-rule=\"ZERO_EMPLOYMENT\"]",
        "aria-pressed",
        "true",
    )
    .await;
    assert_eq!(
        count_test_ids(client, "alert-resolve").await,
        0,
        "a zero-employment household closes by the data only"
    );
    assert_eq!(count_test_ids(client, "alert-hint").await, zero as usize);
    let first = wait_for_test_id(client, "alert-item").await;
    assert_eq!(text_of(&first, "alert-clause").await, "A2§1");
    assert!(
        first
            .find(Locator::Css(&test_id("alert-household")))
            .await
            .expect("a link to the household")
            .attr("href")
            .await
            .expect("attribute")
            .is_some_and(|href| href.starts_with("/households/")),
        "the household links to its page"
    );
    scroll_to(client, "alert-feed").await;
    save_screenshot(client, "alerts-zero-employment").await;

    // 导出 Excel: the filtered feed, fetched with the token, saved as an .xlsx file.
    client
        .execute(WATCH_DOWNLOADS, vec![])
        .await
        .expect("watch downloads");
    click_test_id(client, "alert-export").await;
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
        "no 导出失败"
    );

    click_css(
        client,
        "[data-testid=\"alert-rule-card\"][data-rule=\"MISSED_PARTY_VISIT\"]",
    )
    .await;
    wait_for_path(client, "/alerts?rule=MISSED_PARTY_VISIT").await;
    let visits = rule_open(counts, "MISSED_PARTY_VISIT");
    wait_for_text(client, "alert-feed-total", &visits.to_string()).await;
    wait_for_count(client, "alert-item", visits as usize).await;
    assert!(rules_in_feed(client)
        .await
        .iter()
        .all(|rule| rule == "MISSED_PARTY_VISIT"));
}

/// 标记已处理 needs a note; with one the alert closes, leaves the open list and the counts,
/// and shows under 已解除 with the note.
async fn a_missed_visit_is_resolved_with_a_note(
    client: &Client,
    town: &Api,
    counts: &Value,
    visit: &Value,
) {
    let id = visit["id"].as_str().expect("id");
    let item = format!("[data-testid=\"alert-item\"][data-alert-id=\"{id}\"]");
    click_css(client, &format!("{item} [data-testid=\"alert-resolve\"]")).await;
    click_css(
        client,
        &format!("{item} [data-testid=\"alert-resolve-confirm\"]"),
    )
    .await;
    wait_for_test_id(client, "alert-resolve-missing").await;
    let note = "已约谈该委员，9月走访因外出培训未完成，10月起恢复";
    client
        .find(Locator::Css(&format!(
            "{item} [data-testid=\"alert-resolve-note\"]"
        )))
        .await
        .expect("the note field")
        .send_keys(note)
        .await
        .expect("type the note");
    click_css(
        client,
        &format!("{item} [data-testid=\"alert-resolve-confirm\"]"),
    )
    .await;
    wait_for_test_id(client, "alert-notice").await;

    let visits = rule_open(counts, "MISSED_PARTY_VISIT");
    wait_for_text(client, "alert-feed-total", &(visits - 1).to_string()).await;
    wait_for_count(client, "alert-item", (visits - 1) as usize).await;
    assert!(
        client.find(Locator::Css(&item)).await.is_err(),
        "it left the open list"
    );
    let total = counts["total"].as_i64().expect("total");
    wait_for_text(client, "alert-total", &(total - 1).to_string()).await;
    let card = "[data-testid=\"alert-rule-card\"][data-rule=\"MISSED_PARTY_VISIT\"]";
    if visits > 1 {
        wait_for_text_at(
            client,
            &format!("{card} [data-testid=\"alert-rule-open\"]"),
            &(visits - 1).to_string(),
        )
        .await;
    }

    let stored = town.data(ALERT_QUERY, json!({ "id": id })).await["alert"].clone();
    assert!(!stored["resolvedAt"].is_null(), "{stored}");
    assert_eq!(stored["resolutionNote"], note);
    assert_eq!(stored["resolvedByHand"], true);
    let after = town.counts().await;
    assert_eq!(after["total"].as_i64(), Some(total - 1));

    click_test_id(client, "alert-state-resolved").await;
    wait_for_path(client, "/alerts?rule=MISSED_PARTY_VISIT&state=resolved").await;
    wait_for_text_at(
        client,
        &format!("{item} [data-testid=\"alert-resolution-note\"]"),
        note,
    )
    .await;
    wait_for_text_at(
        client,
        &format!("{item} [data-testid=\"alert-state\"]"),
        "已解除",
    )
    .await;
    scroll_to(client, "alert-feed").await;
    save_screenshot(client, "alerts-resolved").await;
}

/// 总览 shows the open alerts per rule with links to the feed; a site's page its open count.
async fn the_dashboards_show_the_open_counts(client: &Client, base_url: &str, town: &Api) {
    let counts = town.counts().await;
    client
        .goto(&format!("{base_url}/"))
        .await
        .expect("open 总览");
    wait_for_text(client, "overview-alert-total", &as_text(&counts["total"])).await;
    let rules = counts["byRule"].as_array().expect("byRule");
    let links = wait_for_at_least(client, "overview-alert-rule", rules.len()).await;
    assert_eq!(links.len(), rules.len());
    for (link, rule) in links.iter().zip(rules) {
        let code = as_text(&rule["rule"]);
        assert_eq!(
            link.attr("href").await.expect("attribute"),
            Some(format!("/alerts?rule={code}"))
        );
        assert_eq!(
            text_of(link, "overview-alert-rule-open").await,
            as_text(&rule["open"])
        );
    }
    save_screenshot(client, "overview-alerts").await;

    let site = &counts["bySite"][0];
    let site_id = as_text(&site["site"]["id"]);
    client
        .goto(&format!("{base_url}/sites/{site_id}"))
        .await
        .expect("open the site");
    wait_for_text(client, "site-alert-count", &as_text(&site["open"])).await;
    click_test_id(client, "site-alerts-link").await;
    wait_for_text(client, "alert-feed-total", &as_text(&site["open"])).await;
    let select = wait_for_test_id(client, "alert-filter-site").await;
    assert_eq!(
        select.prop("value").await.expect("value").as_deref(),
        Some(site_id.as_str())
    );
}

// ---------------------------------------------------------------------------------------------
// 数据导入

/// A valid ID number from its first 17 digits (GB 11643 check digit).
fn id_number(first17: &str) -> String {
    let check = domain::id_number::check_digit(first17).expect("17 digits");
    format!("{first17}{check}")
}

const HOUSEHOLD_HEADER: &str =
    "户编号,安置点代码,与户主关系,姓名,身份证号,劳动能力,就业状态,联系电话,搬迁入住日期,是否建档立卡";

/// CSV files in a directory of their own.
struct ImportFiles {
    _dir: tempfile::TempDir,
    bad: std::path::PathBuf,
    good: std::path::PathBuf,
}

impl ImportFiles {
    fn new() -> ImportFiles {
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut wrong_check_digit = id_number("61020219800101123");
        let last = if wrong_check_digit.ends_with('1') {
            '2'
        } else {
            '1'
        };
        wrong_check_digit.pop();
        wrong_check_digit.push(last);
        // Row 2: a wrong check digit; row 3: a site code that does not exist.
        let bad = format!(
            "{HOUSEHOLD_HEADER}\r\n\
             HB-951,HB-XZQ,户主,王错误,{wrong_check_digit},有劳动能力,未就业,,2020-05-01,是\r\n\
             HB-952,NO-SUCH-SITE,户主,李错误,{},有劳动能力,未就业,,2020-05-01,是\r\n",
            id_number("61020219810202234"),
        );
        let good = format!(
            "{HOUSEHOLD_HEADER}\r\n\
             HB-951,HB-XZQ,户主,王导入,{},有劳动能力,已就业,,2020-05-01,是\r\n\
             HB-951,HB-XZQ,配偶,李导入,{},有劳动能力,未就业,,2020-05-01,是\r\n",
            id_number("61020219700303345"),
            id_number("61020219720404456"),
        );
        let bad_path = dir.path().join("搬迁户-有错误.csv");
        let good_path = dir.path().join("搬迁户.csv");
        std::fs::write(&bad_path, bad).expect("write the bad file");
        std::fs::write(&good_path, good).expect("write the good file");
        ImportFiles {
            _dir: dir,
            bad: bad_path,
            good: good_path,
        }
    }
}

async fn count_rows(db: &DatabaseConnection, table: &str) -> i64 {
    let row = db
        .query_one(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table}"),
        ))
        .await
        .expect("count query")
        .expect("one row");
    row.try_get::<i64>("", "n").expect("a count")
}

/// Records whether the upload's progress bar showed (it may show only briefly).
const WATCH_PROGRESS: &str = "
    window.progressSeen = 0;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid=\"import-progress-bar\"]')) window.progressSeen += 1;
    }).observe(document.body, { subtree: true, childList: true, attributes: true });";

async fn choose_file(client: &Client, path: &std::path::Path) {
    wait_for_test_id(client, "import-file")
        .await
        .send_keys(&path.display().to_string())
        .await
        .expect("pick the file");
}

db_test! {
    async fn a_household_csv_is_checked_then_imported_through_the_page(app) {
        let Some(prerequisites) = BrowserPrerequisites::find() else {
            return;
        };
        let files = ImportFiles::new();
        let db = app.db.clone();
        let base_url = app.base_url.clone();
        with_browser(&prerequisites, move |client| async move {
            client
                .goto(&format!("{base_url}/imports"))
                .await
                .expect("open 数据导入");
            sign_in_through_the_login_page(&client, "bureau_poverty", DEMO_PASSWORD).await;
            wait_for_path(&client, "/imports").await;
            let households = wait_for_test_id(&client, "import-kind-households").await;
            assert_eq!(households.prop("checked").await.expect("checked").as_deref(), Some("true"));

            // The template comes with the token, as a file.
            client.execute(WATCH_DOWNLOADS, vec![]).await.expect("watch downloads");
            click_test_id(&client, "template-csv").await;
            let saved = wait_for_saved_download(&client).await;
            assert!(saved["size"].as_i64() > Some(0), "a template with its header: {saved}");

            let before = (count_rows(&db, "household").await, count_rows(&db, "person").await);
            choose_file(&client, &files.bad).await;
            wait_for_test_id(&client, "import-chosen").await;
            click_test_id(&client, "import-check").await;
            wait_for_attribute(&client, &test_id("import-summary"), "data-outcome", "check-failed").await;
            wait_for_text(&client, "import-row-count", "2").await;
            let errors = wait_for_at_least(&client, "import-error", 2).await;
            let mut cells = Vec::new();
            for error in &errors {
                cells.push((
                    text_of(error, "import-error-row").await,
                    text_of(error, "import-error-column").await,
                ));
                assert!(!text_of(error, "import-error-message").await.is_empty());
            }
            assert!(cells.contains(&("第 2 行".to_owned(), "身份证号".to_owned())), "{cells:?}");
            assert!(cells.contains(&("第 3 行".to_owned(), "安置点代码".to_owned())), "{cells:?}");
            wait_for_text(&client, "import-error-count", &errors.len().to_string()).await;
            let summary = wait_for_test_id(&client, "import-summary").await;
            assert!(summary.text().await.expect("text").contains("没有导入任何数据"));
            let commit = wait_for_test_id(&client, "import-commit").await;
            assert!(!commit.is_enabled().await.expect("enabled"), "导入 waits for a clean 校验");
            assert_eq!(
                (count_rows(&db, "household").await, count_rows(&db, "person").await),
                before,
                "a failed check writes nothing"
            );
            scroll_to(&client, "import-result").await;
            save_screenshot(&client, "import-errors").await;

            choose_file(&client, &files.good).await;
            wait_for_count(&client, "import-report", 0).await;
            click_test_id(&client, "import-check").await;
            wait_for_attribute(&client, &test_id("import-summary"), "data-outcome", "checked").await;
            wait_for_text(&client, "import-row-count", "2").await;
            assert_eq!(count_test_ids(&client, "import-error").await, 0);
            assert_eq!(
                (count_rows(&db, "household").await, count_rows(&db, "person").await),
                before,
                "a dry run writes nothing"
            );

            client.execute(WATCH_PROGRESS, vec![]).await.expect("watch the progress bar");
            let commit = wait_for_test_id(&client, "import-commit").await;
            assert!(commit.is_enabled().await.expect("enabled"));
            commit.click().await.expect("click 导入");
            wait_for_attribute(&client, &test_id("import-summary"), "data-outcome", "imported").await;
            let summary = wait_for_test_id(&client, "import-summary").await;
            let text = summary.text().await.expect("text");
            assert!(text.contains("导入成功"), "{text}");
            assert!(text.contains("新增搬迁户 1 户、人口 2 人"), "{text}");
            let seen = client.execute("return window.progressSeen;", vec![]).await.expect("read");
            assert!(seen.as_i64() > Some(0), "the upload's progress bar showed");
            assert_eq!(count_test_ids(&client, "import-progress").await, 0, "and went away");
            assert_eq!(
                (count_rows(&db, "household").await, count_rows(&db, "person").await),
                (before.0 + 1, before.1 + 2),
                "the household and both members are in"
            );
            let commit = wait_for_test_id(&client, "import-commit").await;
            assert!(!commit.is_enabled().await.expect("enabled"), "the same file is not imported twice");
            scroll_to(&client, "import-result").await;
            save_screenshot(&client, "import-done").await;
        })
        .await;
        drop(app);
    }
}
