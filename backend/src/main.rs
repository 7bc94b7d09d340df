//! The server binary: parse the configuration, then serve (or print the schema).
use backend::app::Application;
use backend::config::{Cli, Command};
use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::PrintSchema) = cli.command {
        print!("{}", backend::graphql::schema_sdl());
        return Ok(());
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .init();
    let application = Application::build(&cli.config).await?;
    let startup = application.startup;
    if startup.new_database {
        tracing::info!(
            households = startup.demo_households,
            persons = startup.demo_persons,
            "new database: reference data loaded (and demo data, if enabled)"
        );
    }
    let address = application.local_addr()?;
    println!("后续扶持 is serving the web app and /graphql on http://{address}");
    application.run_until_stopped().await
}
