//! `hearth-bench`: measurements of Hearth at realistic scale, recorded in docs/benchmarks.md.
//!
//! `hearth-bench search` seeds a synthetic Nottingham-like population into fresh SQLite and
//! PostgreSQL databases and measures the find-before-create search the way a practitioner
//! uses it, against pg_trgm on the same data as the peer.

mod care;
mod database;
mod directory;
mod family;
mod identification;
mod measure;
mod peer;
mod queries;
mod report;
mod sar;

use anyhow::{anyhow, Context};
use clap::{Parser, Subcommand};
use database::Engine;
use hearth_app::{Hearth, Origin, Policies};
use hearth_synthetic::{load, population};
use std::time::Instant;

#[derive(Parser)]
#[command(name = "hearth-bench", about = "Benchmarks for Hearth")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Find-before-create and name search at scale, with pg_trgm as the peer.
    Search(SearchArgs),
    /// A family with ten years of history: the record, episode and chronology pages.
    Family(FamilyArgs),
    /// The directory at scale: a family's search and the Open Referral `/services` page.
    Directory(directory::DirectoryArgs),
    /// Subject access for the busiest person of a seeded database (the city demo).
    Sar(sar::SarArgs),
    /// Children in care: the placement search with 2,000 homes and carers, and the
    /// sufficiency picture on a generated city's children in care.
    Care(care::CareArgs),
    /// Early identification: a partner's file of 100,000 rows imported and matched against a
    /// 500,000-person register, with precision and recall against the synthetic truth.
    Identification(identification::IdentificationArgs),
}

#[derive(clap::Args, Debug)]
struct FamilyArgs {
    /// Case notes across the family's five episodes.
    #[arg(long, default_value_t = 2_000)]
    notes: usize,
    /// Timed loads of each page (after 20 to warm up).
    #[arg(long, default_value_t = 300)]
    samples: usize,
    #[arg(long, value_enum, default_value_t = Engines::Both)]
    engine: Engines,
    #[arg(
        long,
        env = "HEARTH_BENCH_POSTGRES",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    postgres: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Engines {
    Sqlite,
    Postgres,
    Both,
}

impl Engines {
    /// The engines to measure, SQLite first.
    fn list(self) -> Vec<Engine> {
        match self {
            Engines::Sqlite => vec![Engine::Sqlite],
            Engines::Postgres => vec![Engine::Postgres],
            Engines::Both => vec![Engine::Sqlite, Engine::Postgres],
        }
    }
}

#[derive(clap::Args, Debug)]
struct SearchArgs {
    /// Synthetic people to generate.
    #[arg(long, default_value_t = 500_000)]
    people: usize,
    /// Labelled queries to run (each through every kind of search).
    #[arg(long, default_value_t = 1_000)]
    queries: usize,
    #[arg(long, value_enum, default_value_t = Engines::Both)]
    engine: Engines,
    /// Seed for the population and the queries.
    #[arg(long, default_value_t = 20_261_122)]
    seed: u64,
    /// Queries run before timing starts, to warm caches.
    #[arg(long, default_value_t = 50)]
    warmup: usize,
    /// pg_trgm.similarity_threshold for the peer (its default is 0.3).
    #[arg(long, default_value_t = 0.3)]
    threshold: f64,
    /// PostgreSQL server to create the bench database on.
    #[arg(
        long,
        env = "HEARTH_BENCH_POSTGRES",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    postgres: String,
    /// Keep the databases afterwards and print their URLs (for --database).
    #[arg(long)]
    keep: bool,
    /// Measure an already seeded database (from --keep with the same --people and --seed)
    /// instead of creating one; needs a single --engine.
    #[arg(long)]
    database: Option<String>,
    /// Also write the Markdown report to this file.
    #[arg(long)]
    out: Option<std::path::PathBuf>,
}

const DEMO_PASSWORD: &str = "bench-demo-password-not-secret";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Search(args) => search(args).await,
        Command::Family(args) => family_history(args).await,
        Command::Directory(args) => directory::run(args).await,
        Command::Sar(args) => sar::run(args).await,
        Command::Care(args) => care::run(args).await,
        Command::Identification(args) => identification::run(args).await,
    }
}

async fn family_history(args: FamilyArgs) -> anyhow::Result<()> {
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let load_before = report::load_average();
    let engines = args.engine.list();
    let mut results = Vec::new();
    for engine in engines {
        let db = database::create(engine, &args.postgres).await?;
        let outcome = family::run(db.store.clone(), engine.label(), args.notes, args.samples).await;
        db.remove().await;
        results.push(outcome?);
    }
    println!(
        "Machine: {}\n\nCommand: `{command}`\n\nLoad average at start: {load_before}; at end: {}\n\n{}",
        report::machine(),
        report::load_average(),
        family::report(&results)
    );
    Ok(())
}

async fn search(args: SearchArgs) -> anyhow::Result<()> {
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let load_before = report::load_average();
    let started = Instant::now();
    let population = population::generate(args.people, args.seed)?;
    eprintln!(
        "generated {} people in {} households in {:.1} s",
        population.people.len(),
        population.households.len(),
        started.elapsed().as_secs_f64()
    );
    let queries = queries::labelled(&population, args.queries, args.seed);
    let engines = args.engine.list();
    if args.database.is_some() && engines.len() != 1 {
        return Err(anyhow!(
            "--database needs --engine sqlite or --engine postgres"
        ));
    }
    let mut results = Vec::new();
    for engine in engines {
        let db = match &args.database {
            Some(url) => database::existing(url).await?,
            None => database::create(engine, &args.postgres).await?,
        };
        let outcome = measure_engine(&args, engine, &db, &population, &queries).await;
        if args.keep || args.database.is_some() {
            eprintln!("kept {} database at {}", engine.label(), db.url);
        } else {
            db.remove().await;
        }
        results.push(outcome?);
    }
    let mut md = String::new();
    md.push_str(&format!("Machine: {}\n\n", report::machine()));
    md.push_str(&format!("Command: `{command}`\n\n"));
    md.push_str(&format!(
        "Load average (1, 5, 15 min) at start: {load_before}; at end: {}\n\n",
        report::load_average()
    ));
    md.push_str(&report::seeding(&results));
    md.push('\n');
    md.push_str(&report::results(&results));
    md.push('\n');
    md.push_str(&report::comparison(&results));
    for r in &results {
        md.push('\n');
        md.push_str(&report::by_change(&queries, r));
    }
    println!("{md}");
    if let Some(path) = &args.out {
        std::fs::write(path, &md).with_context(|| format!("write {}", path.display()))?;
    }
    Ok(())
}

async fn measure_engine(
    args: &SearchArgs,
    engine: Engine,
    db: &database::Database,
    population: &population::Population,
    queries: &[queries::Labelled],
) -> anyhow::Result<report::EngineResult> {
    let hearth = Hearth::new(db.store.clone(), Policies::default());
    hearth.seed_demo(DEMO_PASSWORD).await?;
    let actor = hearth
        .sign_in("lead@demo.hearth.test", DEMO_PASSWORD, Origin::default())
        .await
        .map_err(|e| anyhow!("demo lead could not sign in: {e:?}"))?
        .actor;
    let mut seeded = if args.database.is_some() {
        load::SeedReport::default()
    } else {
        let report = load::load(&db.store, population, args.seed, engine.label()).await?;
        eprintln!(
            "{}: seeded {} people in {:.1} s",
            engine.label(),
            report.people,
            report.seconds
        );
        report
    };
    if engine == Engine::Postgres {
        // Autovacuum would gather statistics soon after a load this size; do it now so the
        // plans measured are the ones a running server settles on.
        let started = Instant::now();
        let mut conn = db.store.read().await?;
        sqlx::query("ANALYZE").execute(&mut *conn).await?;
        seeded.analyze_seconds = started.elapsed().as_secs_f64();
    }
    let label = engine.label();
    let full = measure::run(
        &format!("{label} find-before-create"),
        queries,
        args.warmup,
        |q| measure::full(&hearth, &actor, q),
    )
    .await?;
    let name_only = measure::run(&format!("{label} name only"), queries, args.warmup, |q| {
        measure::name_only(&hearth, &actor, q)
    })
    .await?;
    let peer = if engine == Engine::Postgres {
        Some(peer::run(&db.store, queries, args.warmup, args.threshold).await?)
    } else {
        None
    };
    Ok(report::EngineResult {
        engine: label,
        seed: seeded,
        full,
        name_only,
        peer,
    })
}
