//! Headless Chromium for the browser tests: finds the built web app and chromedriver, starts a
//! WebDriver session, and always closes it again (also when the test panics).

use std::future::Future;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::flag;

/// The Chromium binary, unless `CHROME_BIN` names another.
const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

/// How long a page may take to show what a test waits for.
pub const PAGE_TIMEOUT: Duration = Duration::from_secs(20);

/// Everything a browser test needs, or why it cannot run here.
pub struct BrowserPrerequisites {
    /// The built web app (`WEB_DIST`, written by `cargo xtask build-web --release`).
    pub web_dist: PathBuf,
    chromedriver: PathBuf,
    chromium: PathBuf,
}

impl BrowserPrerequisites {
    /// Finds the web app, chromedriver and Chromium. When one is missing, prints why and returns
    /// `None` (the test is skipped) — unless `REQUIRE_BROWSER=1`, which makes it a failure.
    pub fn find() -> Option<Self> {
        match Self::look_up() {
            Ok(found) => Some(found),
            Err(reason) => {
                assert!(
                    !flag("REQUIRE_BROWSER"),
                    "REQUIRE_BROWSER=1 but the browser test cannot run: {reason}"
                );
                eprintln!("skipped browser test: {reason}");
                None
            }
        }
    }

    fn look_up() -> Result<Self, String> {
        let web_dist = std::env::var_os("WEB_DIST")
            .map(PathBuf::from)
            .ok_or("WEB_DIST is not set (run the tests with `cargo xtask test`)")?;
        // The wasm and JavaScript carry content hashes in their names, under assets/.
        for file in ["index.html", "assets"] {
            if !web_dist.join(file).exists() {
                return Err(format!(
                    "{} has no {file} (build it with `cargo xtask build-web --release`)",
                    web_dist.display()
                ));
            }
        }
        let chromedriver = find_on_path("chromedriver")
            .ok_or("no chromedriver on PATH (apt-get install chromium chromium-driver)")?;
        let chromium = std::env::var_os("CHROME_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_CHROMIUM));
        if !chromium.is_file() {
            return Err(format!(
                "no Chromium at {} (set CHROME_BIN or apt-get install chromium)",
                chromium.display()
            ));
        }
        Ok(Self {
            web_dist,
            chromedriver,
            chromium,
        })
    }
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// A chromedriver child process, killed when dropped.
struct ChromeDriver {
    child: Child,
    url: String,
}

impl ChromeDriver {
    fn start(binary: &Path) -> ChromeDriver {
        let port = free_port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        driver.wait_until_listening(port);
        driver
    }

    fn wait_until_listening(&self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {port} within 15 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free local port")
}

/// Runs `test` with a WebDriver session on a fresh headless Chromium (360 × 800, like a phone).
/// The session is closed and chromedriver stopped whatever happens; a panic in `test` is then
/// re-raised, after a screenshot of the page has been saved for diagnosis.
pub async fn with_browser<F, Fut>(prerequisites: &BrowserPrerequisites, test: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let profile = tempfile::tempdir().expect("a temp dir for the Chromium profile");
    let driver = ChromeDriver::start(&prerequisites.chromedriver);
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": prerequisites.chromium,
            // Headless Chromium keeps windows at least 500 px wide; emulate the phone's viewport.
            "mobileEmulation": {
                "deviceMetrics": { "width": 360, "height": 800, "pixelRatio": 1.0 },
            },
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=360,800",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        },
    });
    let capabilities = match capabilities {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("capabilities are a JSON object"),
    };
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a WebDriver session on headless Chromium");

    // Run the test as its own task so that a panic comes back here as a value.
    let outcome = tokio::spawn(test(client.clone())).await;
    if outcome.is_err() {
        save_failure_screenshot(&client).await;
    }
    if let Err(error) = client.close().await {
        eprintln!("could not close the WebDriver session: {error}");
    }
    drop(driver);
    drop(profile);
    if let Err(error) = outcome {
        match error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(error) => panic!("browser test task failed: {error}"),
        }
    }
}

async fn save_failure_screenshot(client: &Client) {
    let Ok(png) = client.screenshot().await else {
        return;
    };
    let path =
        std::env::temp_dir().join(format!("browser-test-failure-{}.png", std::process::id()));
    if std::fs::write(&path, png).is_ok() {
        eprintln!("screenshot of the failing page: {}", path.display());
    }
}

/// The CSS locator of `[data-testid="…"]`.
pub fn test_id(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

/// Waits for the element with `data-testid` `id` to appear.
pub async fn wait_for_test_id(client: &Client, id: &str) -> Element {
    client
        .wait()
        .at_most(PAGE_TIMEOUT)
        .for_element(Locator::Css(&test_id(id)))
        .await
        .unwrap_or_else(|error| panic!("no [data-testid={id}] within {PAGE_TIMEOUT:?}: {error}"))
}

/// Waits until the elements with `data-testid` `id` are at least `count`, and returns them all.
pub async fn wait_for_at_least(client: &Client, id: &str, count: usize) -> Vec<Element> {
    let deadline = Instant::now() + PAGE_TIMEOUT;
    loop {
        let found = client
            .find_all(Locator::Css(&test_id(id)))
            .await
            .expect("find elements");
        if found.len() >= count {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "expected at least {count} [data-testid={id}], found {} after {PAGE_TIMEOUT:?}",
            found.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the element with `data-testid` `id` shows exactly `expected`.
pub async fn wait_for_text(client: &Client, id: &str, expected: &str) {
    let deadline = Instant::now() + PAGE_TIMEOUT;
    loop {
        let shown = match client.find(Locator::Css(&test_id(id))).await {
            Ok(element) => element.text().await.ok(),
            Err(_) => None,
        };
        if shown.as_deref().map(str::trim) == Some(expected) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "[data-testid={id}] shows {shown:?}, expected {expected:?} (waited {PAGE_TIMEOUT:?})"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The trimmed text of the descendant of `element` with `data-testid` `id`.
pub async fn text_of(element: &Element, id: &str) -> String {
    element
        .find(Locator::Css(&test_id(id)))
        .await
        .unwrap_or_else(|error| panic!("no [data-testid={id}] inside the element: {error}"))
        .text()
        .await
        .expect("element text")
        .trim()
        .to_owned()
}

/// Signs in through the login page, which must be on its way: types `username` and `password`
/// into 用户名 and 密码 and presses 登录.
pub async fn sign_in_through_the_login_page(client: &Client, username: &str, password: &str) {
    let username_field = wait_for_test_id(client, "login-username").await;
    username_field.clear().await.expect("clear 用户名");
    username_field
        .send_keys(username)
        .await
        .expect("type the username");
    let password_field = client
        .find(Locator::Css(&test_id("login-password")))
        .await
        .expect("a 密码 field");
    password_field.clear().await.expect("clear 密码");
    password_field
        .send_keys(password)
        .await
        .expect("type the password");
    let submit = client
        .find(Locator::Css(&test_id("login-submit")))
        .await
        .expect("a 登录 button");
    assert_eq!(
        submit.text().await.expect("button text").trim(),
        "登录",
        "the button says 登录"
    );
    submit.click().await.expect("click 登录");
}

/// Waits until the browser shows `expected` as its path and query (e.g. `/login?next=%2F`).
pub async fn wait_for_path(client: &Client, expected: &str) {
    let deadline = Instant::now() + PAGE_TIMEOUT;
    loop {
        let url = client.current_url().await.expect("current url");
        let shown = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        if shown == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the browser is at {shown}, expected {expected} (waited {PAGE_TIMEOUT:?})"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// How many elements with `data-testid` `id` the page has now.
pub async fn count_test_ids(client: &Client, id: &str) -> usize {
    client
        .find_all(Locator::Css(&test_id(id)))
        .await
        .expect("find elements")
        .len()
}

/// Saves a screenshot of the page as `<BROWSER_SCREENSHOTS>/<name>.png` when that variable names
/// a directory (for looking at the pages a test went through); otherwise does nothing.
pub async fn save_screenshot(client: &Client, name: &str) {
    let Some(dir) = std::env::var_os("BROWSER_SCREENSHOTS").map(PathBuf::from) else {
        return;
    };
    let png = client.screenshot().await.expect("a screenshot");
    std::fs::create_dir_all(&dir).expect("the screenshot directory");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write the screenshot");
}
