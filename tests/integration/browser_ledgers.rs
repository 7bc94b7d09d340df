//! The ledgers (台账) in headless Chromium: the index offers what the user's roles can read; a
//! ledger lists what the API lists, filters, adds a record through its form (refusals shown,
//! nothing saved), acts on a row and exports the filtered list as a spreadsheet.

use fantoccini::{Client, Locator};
use integration_tests::browser::{
    count_test_ids, sign_in_through_the_login_page, test_id, wait_for_path, wait_for_test_id,
    wait_for_text, with_browser, BrowserPrerequisites, PAGE_TIMEOUT,
};
use serde_json::json;

use crate::browser::{click_test_id, sign_out, wait_for_saved_download, WATCH_DOWNLOADS};
use crate::{db_test, TestApp, DEMO_PASSWORD};

const POSTINGS_QUERY: &str = "
    query($status: [JobPostingStatus!]) {
      jobPostings(first: 20, filter: {status: $status}) {
        totalCount
        nodes { id title status employerName }
      }
    }";

/// The job postings `token`'s user sees, as (title, status) in list order, and the total.
async fn postings(
    app: &TestApp,
    token: &str,
    status: Option<&str>,
) -> (Vec<(String, String)>, i64) {
    let variables = json!({ "status": status.map(|status| vec![status]) });
    let response = app
        .graphql_with(Some(token), POSTINGS_QUERY, variables)
        .await;
    assert!(response.get("errors").is_none(), "{response:#}");
    let connection = &response["data"]["jobPostings"];
    let rows = connection["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|node| {
            (
                node["title"].as_str().expect("title").to_owned(),
                node["status"].as_str().expect("status").to_owned(),
            )
        })
        .collect();
    (rows, connection["totalCount"].as_i64().expect("total"))
}

db_test! {
    async fn a_bureau_keeps_its_job_database_in_the_ledger_page(app) {
        let Some(prerequisites) = BrowserPrerequisites::find() else {
            return;
        };
        let hrss = app.login("bureau_hrss").await;
        let (all, total) = postings(&app, &hrss, None).await;
        assert!(!all.is_empty(), "the demo data has job postings");
        let (open, open_total) = postings(&app, &hrss, Some("OPEN")).await;
        let town = app.login("town_610202100").await;
        let base_url = app.base_url.clone();
        let app = std::sync::Arc::new(app);
        let checked_app = app.clone();
        with_browser(&prerequisites, move |client| async move {
            client.goto(&format!("{base_url}/ledgers")).await.expect("open the ledgers");
            sign_in_through_the_login_page(&client, "bureau_hrss", DEMO_PASSWORD).await;
            wait_for_path(&client, "/ledgers").await;
            // The index offers the employment ledgers, not the party's.
            wait_for_test_id(&client, "ledger-link-job-postings").await;
            assert_eq!(count_test_ids(&client, "ledger-link-party-members").await, 0);
            click_test_id(&client, "ledger-link-job-postings").await;
            wait_for_path(&client, "/ledgers/job-postings").await;
            the_list_is_the_apis(&client, &all, total).await;

            // Filtering by status shows what the API filters.
            set_select(&client, "filter-status", "OPEN").await;
            the_list_is_the_apis(&client, &open, open_total).await;

            // The form refuses what is missing before sending, and shows the server's refusal.
            click_test_id(&client, "open-create-job-posting").await;
            click_test_id(&client, "form-submit").await;
            wait_for_text(&client, "form-problem", "请填写「层级」").await;
            set_select(&client, "field-level", "DISTRICT").await;
            set_select(&client, "field-employmentType", "COMMUNITY_FACTORY").await;
            type_into(&client, "field-employerName", "王益区测试社区工厂").await;
            type_into(&client, "field-title", "=缝纫工（测试）").await;
            type_into(&client, "field-vacancies", "3").await;
            type_into(&client, "field-monthlyWageMin", "2,200").await;
            click_test_id(&client, "form-submit").await;
            wait_for_text(&client, "form-problem", "「月薪下限（元）」：请填写数字，如 2200 或 0.05").await;
            type_into(&client, "field-monthlyWageMin", "2200").await;
            type_into(&client, "field-vacancies", "-1").await;
            click_test_id(&client, "form-submit").await;
            // The server's refusal, with its code.
            wait_for_test_id(&client, "action-error").await;
            let code = wait_for_test_id(&client, "action-error-code").await;
            assert_eq!(code.text().await.expect("text"), "INVALID_INPUT");
            let (after_refusal, after_total) = postings(&checked_app, &hrss, None).await;
            assert_eq!(after_total, total, "a refused form saves nothing");
            assert_eq!(after_refusal, all);

            type_into(&client, "field-vacancies", "3").await;
            click_test_id(&client, "form-submit").await;
            wait_for_test_id(&client, "ledger-notice").await;
            let (with_new, new_total) = postings(&checked_app, &hrss, Some("OPEN")).await;
            assert_eq!(new_total, open_total + 1);
            assert!(with_new.iter().any(|(title, _)| title == "=缝纫工（测试）"));
            the_list_is_the_apis(&client, &with_new, new_total).await;

            // A row action: close the new posting; it leaves the OPEN list.
            let row = row_with_text(&client, "=缝纫工（测试）").await;
            row.find(Locator::Css(&test_id("row-close-job-posting")))
                .await
                .expect("the row's action")
                .click()
                .await
                .expect("click the action");
            set_select(&client, "field-status", "CLOSED").await;
            click_test_id(&client, "form-submit").await;
            wait_for_test_id(&client, "ledger-notice").await;
            the_list_is_the_apis(&client, &open, open_total).await;

            // The export fetches a spreadsheet with the token.
            client.execute(WATCH_DOWNLOADS, vec![]).await.expect("watch downloads");
            click_test_id(&client, "ledger-export").await;
            let saved = wait_for_saved_download(&client).await;
            assert_eq!(
                saved["type"],
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            );
            sign_out(&client).await;

            // A town official sees the district's postings and their own town's only (as the
            // API answers now, with the posting added and closed above).
            let (town_rows, town_total) = postings(&checked_app, &town, None).await;
            sign_in_through_the_login_page(&client, "town_610202100", DEMO_PASSWORD).await;
            // Signed in before the page is left: a navigation while the sign-in request is in
            // flight would drop its answer (and the refresh cookie with it).
            wait_for_path(&client, "/").await;
            client
                .goto(&format!("{base_url}/ledgers/job-postings"))
                .await
                .expect("open the ledger");
            the_list_is_the_apis(&client, &town_rows, town_total).await;
        })
        .await;
        drop(app);
    }
}

/// The page shows the API's rows (title and status label) in order, and its total.
async fn the_list_is_the_apis(client: &Client, rows: &[(String, String)], total: i64) {
    wait_for_text(
        client,
        "ledger-count",
        &format!("共 {total} 条，已显示 {} 条", rows.len()),
    )
    .await;
    let deadline = std::time::Instant::now() + PAGE_TIMEOUT;
    loop {
        let shown = shown_titles(client).await;
        let expected: Vec<&str> = rows.iter().map(|(title, _)| title.as_str()).collect();
        if shown == expected {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the page lists {shown:?}, the API {expected:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The first cell (岗位) of each row.
async fn shown_titles(client: &Client) -> Vec<String> {
    let mut titles = Vec::new();
    let Ok(rows) = client.find_all(Locator::Css(&test_id("ledger-row"))).await else {
        return titles;
    };
    for row in rows {
        if let Ok(cell) = row.find(Locator::Css("td")).await {
            titles.push(cell.text().await.unwrap_or_default().trim().to_owned());
        }
    }
    titles
}

async fn row_with_text(client: &Client, text: &str) -> fantoccini::elements::Element {
    let rows = client
        .find_all(Locator::Css(&test_id("ledger-row")))
        .await
        .expect("rows");
    for row in rows {
        if row.text().await.unwrap_or_default().contains(text) {
            return row;
        }
    }
    panic!("no row shows {text}");
}

/// Picks `value` in the select with `data-testid` `id` (waiting for its options to load).
async fn set_select(client: &Client, id: &str, value: &str) {
    let select = wait_for_test_id(client, id).await;
    let deadline = std::time::Instant::now() + PAGE_TIMEOUT;
    loop {
        let option = select
            .find(Locator::Css(&format!("option[value=\"{value}\"]")))
            .await;
        if let Ok(option) = option {
            option.click().await.expect("pick the option");
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{id} has no option {value}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Replaces the text of the input with `data-testid` `id`.
async fn type_into(client: &Client, id: &str, text: &str) {
    let input = wait_for_test_id(client, id).await;
    input.clear().await.expect("clear the input");
    input.send_keys(text).await.expect("type");
}
