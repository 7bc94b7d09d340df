//! The HTTP edge: the router, the GraphQL endpoint's transport rules, static files and health;
//! the only user of axum.
mod alert_exports;
mod attachments;
mod exports;
mod graphql_endpoint;
pub mod idempotency;
mod imports;
mod ledger_exports;
mod list_exports;
mod oauth;
mod persisted_queries;
mod subscriptions;

use std::path::Path;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::Router;
use sea_orm::DatabaseConnection;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::graphql::AppSchema;

/// What every handler may use.
#[derive(Clone)]
pub struct AppState {
    /// With the extensions (service clients' calls, subscriptions, document validation).
    pub schema: AppSchema,
    /// Without them: the HTTP requests of people and anonymous callers.
    pub people_schema: AppSchema,
    pub db: DatabaseConnection,
    pub tokens: std::sync::Arc<auth::tokens::TokenService>,
    pub limits: std::sync::Arc<crate::access::rate_limit::RateLimits>,
    /// Sessions checked recently (served only while PostgreSQL's notifications are heard).
    pub sessions: std::sync::Arc<crate::access::session_cache::SessionCache>,
    /// Proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`).
    pub trusted_proxies: std::sync::Arc<Vec<ipnet::IpNet>>,
}

/// The whole HTTP surface: `/graphql`, `/healthz`, and the web app (index.html for deep links).
pub fn router(state: AppState, static_dir: &Path, max_body_bytes: usize) -> Router {
    let api = Router::new()
        .route(
            "/graphql",
            get(graphql_endpoint::get_graphql)
                .post(graphql_endpoint::post_graphql)
                .fallback(graphql_endpoint::method_not_allowed),
        )
        .route("/graphql/ws", get(subscriptions::graphql_ws))
        .route("/healthz", get(health))
        .route(
            "/oauth/token",
            axum::routing::post(oauth::token).fallback(oauth::method_not_allowed),
        )
        .route(
            "/attachments",
            axum::routing::post(attachments::upload)
                .layer(DefaultBodyLimit::max(attachments::UPLOAD_BODY_LIMIT)),
        )
        .route("/attachments/{id}", get(attachments::download))
        .route(
            "/exports/assessment-publications/{id}",
            get(exports::assessment_publication_xlsx),
        )
        .route("/exports/alerts.xlsx", get(alert_exports::alerts_xlsx))
        .route("/exports/ledgers/{file}", get(ledger_exports::ledger_xlsx))
        .route("/exports/{list}", get(list_exports::list_xlsx))
        .route("/imports/templates/{file}", get(imports::template))
        .route(
            "/imports/{kind}",
            axum::routing::post(imports::import)
                .layer(DefaultBodyLimit::max(imports::IMPORT_BODY_LIMIT)),
        )
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            oauth::with_client_address,
        ))
        .with_state(state);

    let index = static_dir.join("index.html");
    let router = if index.is_file() {
        api.nest_service("/assets", hashed_assets(&static_dir.join("assets")))
            .fallback_service(web_app(static_dir, &index))
    } else {
        tracing::warn!(
            static_dir = %static_dir.display(),
            "no built web app found (run `cargo xtask build-web`); serving the API only"
        );
        api
    };
    router
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}

/// `/assets/*`: the web app's files whose names carry a hash of their content (written by
/// `cargo xtask build-web`), so a browser may keep them for a year without asking again. A
/// missing one is a 404, never index.html, and is not cached (during a rolling deploy it may
/// exist a moment later).
fn hashed_assets(assets_dir: &Path) -> Router {
    Router::new()
        .fallback_service(
            ServeDir::new(assets_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            |response: &axum::response::Response| {
                response
                    .status()
                    .is_success()
                    .then(|| HeaderValue::from_static("public, max-age=31536000, immutable"))
            },
        ))
}

/// Everything else of the web app: index.html (also for deep links such as `/sites/1`), icons
/// and the manifest. Their names do not change between releases, so the browser must ask every
/// time (`no-cache`; a 304 answers it when the file is unchanged).
fn web_app(static_dir: &Path, index: &Path) -> Router {
    Router::new()
        .fallback_service(
            ServeDir::new(static_dir)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(
                    ServeFile::new(index)
                        .precompressed_br()
                        .precompressed_gzip(),
                ),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}

/// Liveness and readiness: the database answers.
async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> (axum::http::StatusCode, &'static str) {
    match state.db.ping().await {
        Ok(()) => (axum::http::StatusCode::OK, "ok"),
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "database unreachable",
            )
        }
    }
}
