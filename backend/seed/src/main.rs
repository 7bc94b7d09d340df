//! `houxu-generate`: fills a database with reference data and a synthetic population for benchmarks.
use clap::Parser;
use migration::MigratorTrait;
use sea_orm::{ConnectOptions, Database, TransactionTrait};

/// Appends generated sites, households and persons (shaped like the demo) to a database.
#[derive(Debug, Parser)]
#[command(name = "houxu-generate", version)]
struct Args {
    /// sqlite://path?mode=rwc or postgres://user@host/db
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    /// Number of persons to append.
    #[arg(long)]
    persons: u64,
    /// Seed of the random generator (same seed, same rows on an identical database).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Run the migrations first.
    #[arg(long)]
    migrate: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let mut options = ConnectOptions::new(args.database_url.clone());
    options.max_connections(4).sqlx_logging(false);
    let db = Database::connect(options).await?;
    if args.migrate {
        migration::Migrator::up(&db, None).await?;
    }
    if !seed::has_reference_data(&db).await? {
        let tx = db.begin().await?;
        seed::load_reference_data(&tx).await?;
        tx.commit().await?;
        println!("loaded the reference data");
    }
    let summary = seed::generate_scale(&db, args.persons, args.seed).await?;
    println!(
        "appended {} persons, {} households, {} sites in {:.1} s: {:.0} persons/s ({:.0} persons+households/s)",
        summary.persons,
        summary.households,
        summary.sites,
        summary.seconds,
        summary.persons_per_second(),
        (summary.persons + summary.households) as f64 / summary.seconds.max(1e-9),
    );
    db.close().await?;
    Ok(())
}
