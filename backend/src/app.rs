//! Builds the whole server from a configuration: the function `main` and the tests both call.
use std::net::SocketAddr;

use anyhow::Context;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

use crate::access::rate_limit::RateLimits;
use crate::access::session_cache::SessionCache;
use crate::config::Config;
use crate::graphql::{build_schema, build_schema_without_extensions};
use crate::http::{router, AppState};
use crate::persistence::database::{connect_and_prepare, StartupReport};
use crate::persistence::statements::StatementCounter;

/// A server bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    pub db: DatabaseConnection,
    pub statements: StatementCounter,
    pub startup: StartupReport,
    pub sessions: std::sync::Arc<SessionCache>,
}

impl Application {
    /// Connects and prepares the database, builds the schema and binds the port.
    pub async fn build(config: &Config) -> anyhow::Result<Application> {
        let tokens = std::sync::Arc::new(config.token_service()?);
        let (mut db, startup) = connect_and_prepare(config).await?;
        let statements = StatementCounter::install(&mut db);
        crate::persistence::alerts::spawn_daily_refresh(db.clone());
        let limits = std::sync::Arc::new(RateLimits::new(config.requests_per_minute));
        let schema = build_schema(db.clone(), tokens.clone(), limits.clone());
        let people_schema =
            build_schema_without_extensions(db.clone(), tokens.clone(), limits.clone());
        let sessions = std::sync::Arc::new(SessionCache::new(std::time::Duration::from_secs(
            config.session_cache_seconds,
        )));
        if let DatabaseConnection::SqlxPostgresPoolConnection(_) = &db {
            sessions.listen(db.get_postgres_connection_pool().clone());
        }
        let state = AppState {
            schema,
            people_schema,
            db: db.clone(),
            tokens,
            limits,
            sessions: sessions.clone(),
            trusted_proxies: std::sync::Arc::new(config.trusted_proxies.clone()),
        };
        let router = router(state, &config.static_dir, config.max_body_bytes);
        let listener = TcpListener::bind(config.bind_addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.bind_addr))?;
        Ok(Application {
            listener,
            router,
            db,
            statements,
            startup,
            sessions,
        })
    }

    pub fn local_addr(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    /// Serves until the process receives Ctrl-C or SIGTERM.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await?;
        Ok(())
    }

    /// Serves until the task is dropped (tests).
    pub async fn run(self) -> anyhow::Result<()> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await?;
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
