//! How the server sends the web app's files: precompressed copies, and caching by name
//! (content-hashed assets for a year, index.html revalidated every time).

use backend::app::Application;
use backend::config::Config;

const HASHED_JS: &str = "app-0123456789abcdef.js";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A built web app in miniature: index.html, one hashed asset with its `.br` and `.gz` copies
/// (whose bodies say which one was sent), and an icon.
fn write_dist(dist: &std::path::Path) {
    let assets = dist.join("assets");
    std::fs::create_dir_all(&assets).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><div id=\"app\"></div>",
    )
    .unwrap();
    std::fs::write(dist.join("index.html.br"), "index.html as brotli").unwrap();
    std::fs::write(dist.join("icon.svg"), "<svg></svg>").unwrap();
    std::fs::write(assets.join(HASHED_JS), "export default 1;").unwrap();
    std::fs::write(assets.join(format!("{HASHED_JS}.br")), "app.js as brotli").unwrap();
    std::fs::write(assets.join(format!("{HASHED_JS}.gz")), "app.js as gzip").unwrap();
}

/// The server (SQLite, no demo data) serving a fresh [`write_dist`]; returns its base URL.
async fn serve_dist(data_dir: &std::path::Path) -> String {
    let dist = data_dir.join("dist");
    write_dist(&dist);
    let mut config = Config::for_tests(data_dir.join("data"));
    config.static_dir = dist;
    let application = Application::build(&config).await.expect("server starts");
    let address = application.local_addr().expect("bound address");
    tokio::spawn(async move {
        let _ = application.run().await;
    });
    format!("http://{address}")
}

async fn get(url: &str, accept_encoding: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(url)
        .header("accept-encoding", accept_encoding)
        .send()
        .await
        .unwrap()
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year_and_sent_precompressed() {
    let dir = tempfile::tempdir().unwrap();
    let base = serve_dist(dir.path()).await;
    let url = format!("{base}/assets/{HASHED_JS}");

    let response = get(&url, "gzip, deflate, br").await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "cache-control"), Some(IMMUTABLE));
    assert_eq!(header(&response, "content-encoding"), Some("br"));
    assert!(header(&response, "content-type")
        .unwrap_or_default()
        .contains("javascript"));
    assert_eq!(response.text().await.unwrap(), "app.js as brotli");

    let response = get(&url, "gzip").await;
    assert_eq!(header(&response, "content-encoding"), Some("gzip"));
    assert_eq!(header(&response, "cache-control"), Some(IMMUTABLE));
    assert_eq!(response.text().await.unwrap(), "app.js as gzip");

    let response = get(&url, "identity").await;
    assert_eq!(header(&response, "content-encoding"), None);
    assert_eq!(response.text().await.unwrap(), "export default 1;");
}

#[tokio::test]
async fn a_missing_asset_is_a_404_not_the_index_page() {
    let dir = tempfile::tempdir().unwrap();
    let base = serve_dist(dir.path()).await;
    let response = get(&format!("{base}/assets/app-ffffffffffffffff.js"), "br").await;
    assert_eq!(response.status(), 404);
    assert_ne!(header(&response, "cache-control"), Some(IMMUTABLE));
}

#[tokio::test]
async fn index_html_and_unhashed_files_are_revalidated_every_time() {
    let dir = tempfile::tempdir().unwrap();
    let base = serve_dist(dir.path()).await;

    for path in ["/", "/index.html", "/sites/1", "/login?next=%2F"] {
        let response = get(&format!("{base}{path}"), "identity").await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            header(&response, "cache-control"),
            Some("no-cache"),
            "{path}"
        );
        assert!(
            response.text().await.unwrap().contains("id=\"app\""),
            "{path}"
        );
    }
    let response = get(&format!("{base}/sites/1"), "br").await;
    assert_eq!(
        header(&response, "content-encoding"),
        Some("br"),
        "deep links get index.html.br"
    );
    assert_eq!(response.text().await.unwrap(), "index.html as brotli");

    let response = get(&format!("{base}/icon.svg"), "identity").await;
    assert_eq!(header(&response, "cache-control"), Some("no-cache"));
}

#[tokio::test]
async fn api_responses_get_no_static_cache_headers() {
    let dir = tempfile::tempdir().unwrap();
    let base = serve_dist(dir.path()).await;
    let response = get(&format!("{base}/healthz"), "identity").await;
    assert_eq!(response.status(), 200);
    assert_ne!(header(&response, "cache-control"), Some(IMMUTABLE));
    assert_ne!(header(&response, "cache-control"), Some("no-cache"));
}
