//! The server binary: parse the configuration, then serve, print the schema, or bootstrap an
//! administrator.
use backend::app::Application;
use backend::config::{Cli, Command};
use backend::persistence::access_seed::{bootstrap_admin, DEMO_PASSWORD};
use backend::persistence::database::connect_and_prepare;
use clap::Parser;

/// mimalloc instead of the system allocator: a request allocates and frees many small values
/// (parsed documents, JSON, rows), and glibc's malloc/free was ~10 % of the server's CPU under
/// load (docs/benchmarks.md, the profile of run 5).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .init();
    match cli.command {
        Some(Command::PrintSchema) => {
            print!("{}", backend::graphql::schema_sdl());
            Ok(())
        }
        Some(Command::BootstrapAdmin { username, role }) => {
            let mut config = cli.config.clone();
            config.demo_data = false;
            let (db, _) = connect_and_prepare(&config).await?;
            let password = bootstrap_admin(&db, &username, &role).await?;
            println!("created {role} {username:?} with the one-time password: {password}");
            println!("it must be changed at the first sign-in (mutation changePassword)");
            Ok(())
        }
        Some(Command::Serve) | None => serve(cli).await,
    }
}

async fn serve(cli: Cli) -> anyhow::Result<()> {
    let application = Application::build(&cli.config).await?;
    let startup = application.startup.clone();
    if startup.new_database {
        tracing::info!(
            households = startup.demo_households,
            persons = startup.demo_persons,
            "new database: reference data and access policy loaded (and demo data, if enabled)"
        );
    }
    if !startup.demo_accounts.is_empty() {
        println!("Demo accounts (DEMO ONLY, password {DEMO_PASSWORD:?}):");
        for username in &startup.demo_accounts {
            println!("  {username}");
        }
    }
    let address = application.local_addr()?;
    println!("后续扶持 is serving the web app and /graphql on http://{address}");
    application.run_until_stopped().await
}
