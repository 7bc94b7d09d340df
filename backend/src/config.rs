//! Typed server configuration from command-line flags and environment variables.
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// The server's command line. Every flag can also be set by the environment variable named
/// after it; the defaults run the embedded SQLite database in `./data`.
/// The `iss` and `aud` of the access tokens this server issues and accepts.
pub const TOKEN_ISSUER: &str = "houxu-server";
pub const TOKEN_AUDIENCE: &str = "houxu-api";

#[derive(Debug, Clone, Parser)]
#[command(
    name = "houxu-server",
    about = "后续扶持: relocation follow-up support platform server"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the API and the web app (the default).
    Serve,
    /// Print the GraphQL schema (SDL) to stdout; `cargo xtask schema` writes it to schema.graphql.
    PrintSchema,
    /// Create an administrator with a generated one-time password (changed at first sign-in).
    BootstrapAdmin {
        /// The new user's name.
        #[arg(long)]
        username: String,
        /// One of system_admin (users), security_admin (policy) or auditor (audit log): 三员.
        #[arg(long, default_value = "system_admin")]
        role: String,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Database URL: `postgres://user@host/db` for production, `sqlite://path?mode=rwc` for a
    /// file. Unset: SQLite in `<DATA_DIR>/houxu.sqlite`.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// Address and port to listen on.
    #[arg(long, env = "BIND_ADDR", default_value = "127.0.0.1:8080")]
    pub bind_addr: SocketAddr,

    /// Directory for the embedded database and other local state.
    #[arg(long, env = "DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Directory of the built web app (`cargo xtask build-web`); unset or missing: API only.
    #[arg(long, env = "STATIC_DIR", default_value = "frontend/dist")]
    pub static_dir: PathBuf,

    /// Load the fictitious demo households when the database is new (reference data is always loaded).
    #[arg(long, env = "DEMO_DATA", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo_data: bool,

    /// Maximum database connections in the pool.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub database_max_connections: u32,

    /// Token signing keys, `kid:BASE64SECRET,...` (the first signs; the rest only verify, for
    /// rotation). Unset: a key generated on first start and kept in `<DATA_DIR>/signing-keys`.
    /// Several instances must share the same keys.
    #[arg(long, env = "JWT_SIGNING_KEYS", hide_env_values = true)]
    pub jwt_signing_keys: Option<String>,

    /// Lifetime of an access token in minutes.
    #[arg(long, env = "ACCESS_TOKEN_MINUTES", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub access_token_minutes: u32,

    /// Requests per minute one signed-in user may make (per server instance).
    #[arg(long, env = "REQUESTS_PER_MINUTE", default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..))]
    pub requests_per_minute: u32,

    /// Seconds a checked session may be served from memory on PostgreSQL before the database
    /// is read again (0: read it on every request). Revocation still takes effect at once:
    /// the database notifies every instance of each change (see `access::session_cache`).
    #[arg(long, env = "SESSION_CACHE_SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(0..=300))]
    pub session_cache_seconds: u64,

    /// Maximum size of a request body in bytes.
    #[arg(long, env = "MAX_BODY_BYTES", default_value_t = 1_048_576)]
    pub max_body_bytes: usize,

    /// Reverse proxies whose `X-Forwarded-For` is believed, as comma-separated CIDR blocks or
    /// addresses (e.g. `127.0.0.1,10.0.0.0/8`). Unset: the peer address is the client's and
    /// `X-Forwarded-For` is ignored (service clients' IP allow-lists check the peer).
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',', value_parser = crate::access::service_client::parse_network)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Config {
    /// The configuration a test starts with: SQLite in `data_dir`, port 0, no demo data.
    pub fn for_tests(data_dir: PathBuf) -> Config {
        Config {
            database_url: None,
            bind_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir,
            static_dir: PathBuf::from("frontend/dist"),
            demo_data: false,
            database_max_connections: 5,
            jwt_signing_keys: None,
            access_token_minutes: 10,
            requests_per_minute: 600,
            session_cache_seconds: 60,
            max_body_bytes: 1_048_576,
            trusted_proxies: Vec::new(),
        }
    }

    /// The token service: keys from `JWT_SIGNING_KEYS`, or kept in the data directory.
    pub fn token_service(&self) -> anyhow::Result<auth::tokens::TokenService> {
        let keys = match &self.jwt_signing_keys {
            Some(spec) => auth::keys::KeyRing::parse(spec)
                .map_err(|error| anyhow::anyhow!("JWT_SIGNING_KEYS: {error}"))?,
            None => {
                std::fs::create_dir_all(&self.data_dir)?;
                auth::keys::KeyRing::load_or_create(&self.data_dir).map_err(|error| {
                    anyhow::anyhow!(
                        "cannot read or create the signing key in {}: {error}",
                        self.data_dir.display()
                    )
                })?
            }
        };
        Ok(auth::tokens::TokenService::new(
            keys,
            TOKEN_ISSUER,
            TOKEN_AUDIENCE,
            chrono::Duration::minutes(i64::from(self.access_token_minutes)),
        ))
    }

    /// The database URL to connect to, defaulting to the embedded SQLite file.
    pub fn effective_database_url(&self) -> anyhow::Result<String> {
        match &self.database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(url.clone())
            }
            Some(url) if url.starts_with("sqlite:") => Ok(url.clone()),
            Some(url) => anyhow::bail!(
                "DATABASE_URL must start with postgres://, postgresql:// or sqlite: (got {:?})",
                redact_password(url)
            ),
            None => {
                let path = self.data_dir.join("houxu.sqlite");
                Ok(format!("sqlite://{}?mode=rwc", path.display()))
            }
        }
    }
}

/// Hides the password of a URL before it goes into a message or a log.
pub fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_database_scheme_is_refused_with_the_accepted_ones() {
        let mut config = Config::for_tests(PathBuf::from("x"));
        config.database_url = Some("mysql://root:secret@localhost/db".into());
        let message = config.effective_database_url().unwrap_err().to_string();
        assert!(message.contains("postgres://"), "{message}");
        assert!(!message.contains("secret"), "{message}");
    }

    #[test]
    fn no_database_url_means_sqlite_in_the_data_dir() {
        let config = Config::for_tests(PathBuf::from("/tmp/d"));
        assert_eq!(
            config.effective_database_url().unwrap(),
            "sqlite:///tmp/d/houxu.sqlite?mode=rwc"
        );
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_password("postgres://u:pw@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_password("postgres://u@h/db"), "postgres://u@h/db");
    }

    #[test]
    fn trusted_proxies_are_cidr_blocks_or_addresses() {
        let cli =
            Cli::try_parse_from(["houxu-server", "--trusted-proxies", "127.0.0.1,10.0.0.0/8"])
                .unwrap();
        let proxies: Vec<String> = cli
            .config
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(proxies, vec!["127.0.0.1/32", "10.0.0.0/8"]);
        assert!(Cli::try_parse_from(["houxu-server", "--trusted-proxies", "proxy.local"]).is_err());
    }

    #[test]
    fn flags_parse_and_bad_values_fail_fast() {
        let cli = Cli::try_parse_from(["houxu-server", "--bind-addr", "0.0.0.0:9000"]).unwrap();
        assert_eq!(cli.config.bind_addr.port(), 9000);
        assert!(Cli::try_parse_from(["houxu-server", "--bind-addr", "nope"]).is_err());
        assert!(Cli::try_parse_from(["houxu-server", "--database-max-connections", "0"]).is_err());
    }
}
