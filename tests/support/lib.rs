//! Test support: spawns the real server on port 0 over a throwaway SQLite file or PostgreSQL
//! database, and talks to it over real HTTP.
// Test support: a failed set-up should stop the test loudly.
#![allow(clippy::expect_used, clippy::unwrap_used)]
use std::path::PathBuf;

use backend::app::Application;
use backend::config::Config;
use backend::persistence::statements::StatementCounter;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};

pub mod browser;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

/// True when the environment variable is set to 1/true.
pub fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|value| value == "1" || value.eq_ignore_ascii_case("true"))
}

/// A running server with its own database.
pub struct TestApp {
    pub base_url: String,
    /// The access token of the default test user (see [`DEFAULT_USER`]).
    pub token: String,
    pub kind: DbKind,
    pub statements: StatementCounter,
    pub db: sea_orm::DatabaseConnection,
    client: reqwest::Client,
    _data_dir: tempfile::TempDir,
    postgres: Option<ThrowawayDatabase>,
    server: tokio::task::JoinHandle<()>,
}

impl TestApp {
    /// Starts the server on `kind` with the reference and demo data. On PostgreSQL, returns
    /// `None` (the test is skipped, with a note) when `TEST_DATABASE_URL` is unset — unless
    /// `REQUIRE_POSTGRES=1`, which makes that a failure.
    pub async fn spawn(kind: DbKind) -> Option<TestApp> {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::for_tests(data_dir.path().to_path_buf());
        config.demo_data = true;
        config.static_dir = std::env::var("WEB_DIST")
            .map(PathBuf::from)
            .unwrap_or_else(|_| data_dir.path().join("no-web-app"));
        let postgres = match kind {
            DbKind::Sqlite => None,
            DbKind::Postgres => {
                let Ok(server_url) = std::env::var("TEST_DATABASE_URL") else {
                    assert!(
                        !flag("REQUIRE_POSTGRES"),
                        "REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set"
                    );
                    eprintln!("skipped on PostgreSQL: TEST_DATABASE_URL is not set");
                    return None;
                };
                let database = ThrowawayDatabase::create(&server_url).await;
                config.database_url = Some(database.url.clone());
                Some(database)
            }
        };
        let application = Application::build(&config).await.expect("server starts");
        wait_for_the_session_cache(&application, kind).await;
        let address = application.local_addr().expect("bound address");
        let statements = application.statements.clone();
        let db = application.db.clone();
        let server = tokio::spawn(async move {
            let _ = application.run().await;
        });
        let mut app = TestApp {
            base_url: format!("http://{address}"),
            token: String::new(),
            kind,
            statements,
            db,
            client: reqwest::Client::new(),
            _data_dir: data_dir,
            postgres,
            server,
        };
        app.token = app.login(DEFAULT_USER).await;
        Some(app)
    }

    /// A second server instance on the same database and signing key, as behind a load
    /// balancer; it shares `self`'s token. It must not outlive `self`, which owns the database.
    pub async fn spawn_peer(&self) -> TestApp {
        let mut config = Config::for_tests(self.data_dir().to_path_buf());
        config.static_dir = self.data_dir().join("no-web-app");
        config.database_url = self.postgres.as_ref().map(|database| database.url.clone());
        let application = Application::build(&config).await.expect("peer starts");
        wait_for_the_session_cache(&application, self.kind).await;
        let address = application.local_addr().expect("bound address");
        let statements = application.statements.clone();
        let db = application.db.clone();
        let server = tokio::spawn(async move {
            let _ = application.run().await;
        });
        TestApp {
            base_url: format!("http://{address}"),
            token: self.token.clone(),
            kind: self.kind,
            statements,
            db,
            client: reqwest::Client::new(),
            _data_dir: tempfile::tempdir().expect("temp dir"),
            postgres: None,
            server,
        }
    }

    /// Statements one authenticated request costs before any resolver runs (the session,
    /// account, roles and policy checks), measured with `{ __typename }` once the session has
    /// been checked: one on SQLite, none on PostgreSQL (the session cache serves it).
    pub async fn authentication_statements(&self) -> u64 {
        self.authentication_statements_of(&self.token).await
    }

    /// [`TestApp::authentication_statements`] of the holder of `token`.
    pub async fn authentication_statements_of(&self, token: &str) -> u64 {
        self.graphql_with(Some(token), "{ __typename }", json!({}))
            .await;
        let before = self.statements.get();
        self.graphql_with(Some(token), "{ __typename }", json!({}))
            .await;
        self.statements.get() - before
    }

    /// Signs in a demo account and returns its access token.
    pub async fn login(&self, username: &str) -> String {
        let (body, _) = self.login_response(username, DEMO_PASSWORD).await;
        body["data"]["login"]["accessToken"]
            .as_str()
            .unwrap_or_else(|| panic!("{username} signs in: {body:#}"))
            .to_string()
    }

    /// POSTs the login mutation; returns the JSON body and the refresh cookie, if any.
    pub async fn login_response(&self, username: &str, password: &str) -> (Value, Option<String>) {
        let response = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({
                "query": "mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { accessToken expiresAt me { username mustChangePassword roles { code kind } townScope } } }",
                "variables": { "u": username, "p": password }
            }))
            .send()
            .await
            .expect("login request");
        let cookie = refresh_cookie_of(&response);
        (response.json().await.expect("JSON"), cookie)
    }

    /// POSTs a GraphQL operation as the holder of `token` (or anonymously with `None`).
    pub async fn graphql_with(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.base_url))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request reaches the server");
        response.json().await.expect("a JSON response")
    }

    /// The server on SQLite with demo data and the built web app (`WEB_DIST`).
    pub async fn spawn_sqlite_with_demo() -> TestApp {
        TestApp::spawn(DbKind::Sqlite)
            .await
            .expect("SQLite is always available")
    }

    /// POSTs a GraphQL operation as the default test user and returns the whole JSON
    /// response (data and errors).
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        self.graphql_with(Some(&self.token), query, variables).await
    }

    /// POSTs a GraphQL operation and returns `data`, failing the test on any error.
    pub async fn graphql_ok(&self, query: &str, variables: Value) -> Value {
        let response = self.graphql(query, variables).await;
        assert!(
            response.get("errors").is_none(),
            "unexpected errors: {response:#}"
        );
        response["data"].clone()
    }

    /// The server's data directory (it holds the generated signing key).
    pub fn data_dir(&self) -> &std::path::Path {
        self._data_dir.path()
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.client
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Counts rows of a table straight from the database (to prove a failed write left nothing).
    pub async fn count_rows(&self, table: &str) -> i64 {
        let row = self
            .db
            .query_one(sea_orm::Statement::from_string(
                self.db.get_database_backend(),
                format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table}"),
            ))
            .await
            .expect("count query")
            .expect("one row");
        row.try_get::<i64>("", "n").expect("a count")
    }
}

/// On PostgreSQL, waits until the server listens for changes of rights, so that the session
/// cache serves (it connects in the background); a test then sees the same statements
/// whenever it runs.
async fn wait_for_the_session_cache(application: &Application, kind: DbKind) {
    if kind != DbKind::Postgres {
        return;
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !application.sessions.is_serving() {
        assert!(
            std::time::Instant::now() < deadline,
            "the session cache did not start listening within 10 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        let _ = &self.postgres;
    }
}

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = backend::persistence::access_seed::DEMO_PASSWORD;

/// The demo account most tests act as: the poverty-alleviation bureau, which keeps the
/// registry of relocated households (identity and employment, district-wide).
pub const DEFAULT_USER: &str = "bureau_poverty";

/// The value of the refresh cookie a response sets.
pub fn refresh_cookie_of(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.split(';').next())
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == "houxu_refresh")
        .map(|(_, value)| value.to_string())
}

/// A PostgreSQL database made for one test and dropped after it.
struct ThrowawayDatabase {
    server_url: String,
    name: String,
    url: String,
}

impl ThrowawayDatabase {
    async fn create(server_url: &str) -> ThrowawayDatabase {
        let name = format!("houxu_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(server_url)
            .await
            .expect("connect to TEST_DATABASE_URL");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create a throwaway database");
        admin.close().await.ok();
        let (base, _) = server_url
            .rsplit_once('/')
            .expect("TEST_DATABASE_URL ends with /database");
        ThrowawayDatabase {
            server_url: server_url.to_string(),
            url: format!("{base}/{name}"),
            name,
        }
    }
}

impl Drop for ThrowawayDatabase {
    fn drop(&mut self) {
        let server_url = self.server_url.clone();
        let name = self.name.clone();
        // Drop runs inside the test's runtime: do the async cleanup on a thread of its own.
        let cleanup = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(admin) = Database::connect(&server_url).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    let _ = admin.close().await;
                }
            });
        });
        let _ = cleanup.join();
    }
}

/// Declares a test that runs once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! db_test {
    ($(#[$meta:meta])* async fn $name:ident($app:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($app: $crate::TestApp) $body

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                let app = $crate::TestApp::spawn($crate::DbKind::Sqlite).await.expect("sqlite");
                body(app).await;
            }

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                if let Some(app) = $crate::TestApp::spawn($crate::DbKind::Postgres).await {
                    body(app).await;
                }
            }
        }
    };
}
