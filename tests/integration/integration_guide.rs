//! `docs/integration.md` tells the truth: every `sh` block of the guide runs, in order, in one
//! bash script against a real server, with credentials the security administrator created;
//! the guide's own `jq -e` lines are the checks.
use std::process::Command;

use serde_json::json;

use crate::service_clients::create_client;
use crate::{DbKind, TestApp};

/// The `sh` blocks of a Markdown text, in order.
fn shell_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn shell_blocks_are_found_in_order() {
    let text = "a\n```sh\necho 1\n```\n```json\n{}\n```\n```sh\necho 2\necho 3\n```\n";
    assert_eq!(shell_blocks(text), ["echo 1\n", "echo 2\necho 3\n"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_example_of_the_integration_guide_runs_against_a_real_server() {
    let app = TestApp::spawn(DbKind::Sqlite).await.expect("sqlite");
    let admin = app.login("security_admin").await;
    let client = create_client(
        &app,
        &admin,
        json!({
            "name": "自然资源厅指标监管接口",
            "scopes": ["land:write", "identity:read"],
            "roleCode": "bureau:natural_resources",
        }),
    )
    .await;
    let guide_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/integration.md");
    let guide = std::fs::read_to_string(guide_path).expect("docs/integration.md");
    let blocks = shell_blocks(&guide);
    assert!(
        blocks.len() >= 6,
        "the guide has its examples: {}",
        blocks.len()
    );
    let mut script = String::from("set -euo pipefail\n");
    for (number, block) in blocks.iter().enumerate() {
        script.push_str(&format!("echo '--- example {}' >&2\n{block}", number + 1));
    }
    let work = tempfile::tempdir().expect("temp dir");
    let base_url = app.url("");
    let output = tokio::task::spawn_blocking({
        let work = work.path().to_path_buf();
        let client_id = client.id.clone();
        let client_secret = client.secret.clone();
        move || {
            Command::new("bash")
                .arg("-c")
                .arg(script)
                .current_dir(work)
                .env("HOUXU", base_url.trim_end_matches('/'))
                .env("CLIENT_ID", client_id)
                .env("CLIENT_SECRET", client_secret)
                .output()
                .expect("bash runs")
        }
    })
    .await
    .expect("joined");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "an example of docs/integration.md failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        output.status
    );
    // Every `jq -e` check printed `true`.
    assert!(
        stdout.lines().filter(|line| *line == "true").count() >= 8,
        "{stdout}"
    );
    assert!(!stdout.lines().any(|line| line == "false"), "{stdout}");
}
