//! `hearth-load`: measures Hearth the way practitioners use it.
//!
//! `hearth-load run` drives a running Hearth (holding the city demo, `hearth demo --scale …`)
//! with goose: first `/healthz` with no think time, the ceiling for this machine, then many
//! practitioners and front-door officers each signed in as a different account and taking
//! their real journeys with think time. It prints throughput and p50/p95/p99 for every step
//! and the errors, and exits non-zero when any step failed.
//!
//! `hearth-load crash` starts Hearth, writes case notes under load, kills the server with
//! SIGKILL, restarts it and checks that every note it acknowledged is there and the audit
//! log verifies; see `crash.rs`.

mod crash;
mod hubs;
mod journeys;
mod page;
mod report;

use clap::{Parser, Subcommand};
use goose::config::GooseConfiguration;
use goose::prelude::*;
use hubs::{mark_one, mark_register, reach, set_up_for_later, sign_in_analyst, take_register};
use journeys::{
    add_note, chronology, dashboards, find_before_create, front_door, healthz, my_work,
    open_episode, open_record, search, sign_in_officer, sign_in_practitioner, sign_in_reader,
    update_action, warm_figures, FIGURES_WARMERS,
};
use std::time::Duration;

#[derive(Parser)]
#[command(name = "hearth-load", about = "Load and crash tests for Hearth")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Practitioners' journeys against a running Hearth, with /healthz as the ceiling.
    Run(RunArgs),
    /// Kill the server under write load and check that nothing acknowledged was lost.
    Crash(crash::CrashArgs),
}

#[derive(clap::Args, Debug)]
struct RunArgs {
    /// Where Hearth is listening.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    host: String,
    /// Concurrent users: practitioners, and one front-door officer in ten.
    #[arg(long, default_value_t = 300)]
    users: usize,
    /// Users started per second.
    #[arg(long, default_value_t = 10)]
    hatch_rate: usize,
    /// Seconds to measure once every user has started.
    #[arg(long, default_value_t = 120)]
    run_time: usize,
    /// Think time between steps, in milliseconds: each wait is drawn between these two.
    #[arg(long, default_value_t = 5_000)]
    think_min: u64,
    #[arg(long, default_value_t = 15_000)]
    think_max: u64,
    /// `/healthz` users (no think time) and seconds, measured first.
    #[arg(long, default_value_t = 50)]
    ceiling_users: usize,
    #[arg(long, default_value_t = 15)]
    ceiling_seconds: usize,
    /// The generated accounts: how many of each (printed by `hearth demo`).
    #[arg(long, default_value_t = 220)]
    workers: usize,
    #[arg(long, default_value_t = 330)]
    partners: usize,
    #[arg(long, default_value_t = 12)]
    officers: usize,
    #[arg(long, default_value = hearth_synthetic::city::EMAIL_DOMAIN)]
    domain: String,
    #[arg(long, env = "HEARTH_DEMO_PASSWORD", default_value = "family-help-demo")]
    password: String,
    /// The server's process id, to report its resident memory at the end.
    #[arg(long)]
    server_pid: Option<u32>,
    /// A label for the report (e.g. the engine).
    #[arg(long, default_value = "Hearth")]
    label: String,
    /// Also write the results as JSON here.
    #[arg(long)]
    json: Option<std::path::PathBuf>,
    /// Add analysts and team managers reading the dashboards (one user in eleven).
    #[arg(long)]
    dashboards: bool,
    /// Add hub workers marking registers of thirty and the analyst reading the hubs' reach
    /// over ten years (two users in twelve).
    #[arg(long)]
    hubs: bool,
    /// Before measuring, read every set of figures the readers ask for once and set up the hub
    /// workers' registers, as on a server that has been running (figures kept, courses booked).
    #[arg(long)]
    warm_up: bool,
}

/// The scenarios' weights: practitioners, officers, dashboard readers, hub workers and reach
/// readers (one each).
const PRACTITIONER_WEIGHT: usize = 9;

fn practitioner(think: Option<(u64, u64)>) -> Result<Scenario, GooseError> {
    let mut s = scenario!("Practitioner").set_weight(PRACTITIONER_WEIGHT)?;
    if let Some((min, max)) = think {
        s = s.set_wait_time(Duration::from_millis(min), Duration::from_millis(max))?;
    }
    Ok(
        s.register_transaction(transaction!(sign_in_practitioner).set_on_start())
            .register_transaction(transaction!(my_work))
            .register_transaction(transaction!(search))
            .register_transaction(transaction!(find_before_create))
            .register_transaction(transaction!(open_episode))
            .register_transaction(transaction!(open_record))
            .register_transaction(transaction!(chronology))
            .register_transaction(transaction!(add_note))
            .register_transaction(transaction!(update_action)),
    )
}

fn officer(think: Option<(u64, u64)>) -> Result<Scenario, GooseError> {
    let mut s = scenario!("Front door officer").set_weight(1)?;
    if let Some((min, max)) = think {
        s = s.set_wait_time(Duration::from_millis(min), Duration::from_millis(max))?;
    }
    Ok(
        s.register_transaction(transaction!(sign_in_officer).set_on_start())
            .register_transaction(transaction!(front_door)),
    )
}

/// Analysts and managers reading the dashboards (issue 18), alongside the practitioners when
/// `--dashboards` is given.
fn reader(think: Option<(u64, u64)>) -> Result<Scenario, GooseError> {
    let mut s = scenario!("Dashboard reader").set_weight(1)?;
    if let Some((min, max)) = think {
        s = s.set_wait_time(Duration::from_millis(min), Duration::from_millis(max))?;
    }
    Ok(
        s.register_transaction(transaction!(sign_in_reader).set_on_start())
            .register_transaction(transaction!(dashboards)),
    )
}

/// Hub workers marking their registers and the analyst reading the reach (issue 21), when
/// `--hubs` is given.
fn hub_staff(think: Option<(u64, u64)>) -> Result<Vec<Scenario>, GooseError> {
    let mut worker = scenario!("Hub worker").set_weight(1)?;
    let mut reader = scenario!("Hub reach reader").set_weight(1)?;
    if let Some((min, max)) = think {
        worker = worker.set_wait_time(Duration::from_millis(min), Duration::from_millis(max))?;
        reader = reader.set_wait_time(Duration::from_millis(min), Duration::from_millis(max))?;
    }
    Ok(vec![
        worker
            .register_transaction(transaction!(take_register).set_on_start())
            .register_transaction(transaction!(mark_register))
            .register_transaction(transaction!(mark_one)),
        reader
            .register_transaction(transaction!(sign_in_analyst).set_on_start())
            .register_transaction(transaction!(reach)),
    ])
}

/// The warm-up (`--warm-up`): a register set up for each hub worker the measured attack will
/// start, and every set of figures read once; each warm-up user does its part once.
fn warm_up(users: usize, args: &RunArgs) -> Result<Vec<Scenario>, GooseError> {
    let mut scenarios = Vec::new();
    if args.dashboards || args.hubs {
        scenarios.push(
            scenario!("Warm-up: figures")
                .set_weight(FIGURES_WARMERS)?
                .register_transaction(transaction!(warm_figures)),
        );
    }
    if args.hubs {
        // Goose gives each scenario its share of users by weight, a hub worker one in `total`.
        let total = PRACTITIONER_WEIGHT + 1 + usize::from(args.dashboards) + 2;
        scenarios.push(
            scenario!("Warm-up: hub registers")
                .set_weight(users.div_ceil(total))?
                .register_transaction(transaction!(set_up_for_later)),
        );
    }
    Ok(scenarios)
}

/// How long an attack runs: for some seconds once every user has started, or until each user
/// has taken its steps once.
enum Length {
    Seconds(usize),
    Once,
}

async fn attack(
    host: &str,
    users: usize,
    hatch_rate: usize,
    length: Length,
    scenarios: Vec<Scenario>,
) -> Result<GooseMetrics, GooseError> {
    let mut config = GooseConfiguration::default();
    // Set on the configuration itself: goose 0.18 lets the configuration's iterations (0 by
    // default) win over `GooseDefault::Iterations`, so a default of 1 would loop for ever.
    if let Length::Once = length {
        config.iterations = 1;
    }
    let mut attack = GooseAttack::initialize_with_config(config)?;
    for s in scenarios {
        attack = attack.register_scenario(s);
    }
    if let Length::Seconds(seconds) = length {
        attack = *attack.set_default(GooseDefault::RunTime, seconds)?;
    }
    attack
        .set_default(GooseDefault::Host, host)?
        .set_default(GooseDefault::Users, users)?
        .set_default(GooseDefault::HatchRate, hatch_rate.to_string().as_str())?
        .set_default(GooseDefault::Quiet, 1)?
        .set_default(GooseDefault::NoTelnet, true)?
        .set_default(GooseDefault::NoWebSocket, true)?
        .set_default(GooseDefault::NoPrintMetrics, true)?
        .set_default(GooseDefault::Timeout, "30")?
        .execute()
        .await
}

async fn run(args: RunArgs) -> anyhow::Result<bool> {
    journeys::use_accounts(journeys::Accounts {
        domain: args.domain.clone(),
        password: args.password.clone(),
        workers: args.workers,
        partners: args.partners,
        officers: args.officers,
    });
    eprintln!(
        "hearth-load: /healthz, {} users for {} s",
        args.ceiling_users, args.ceiling_seconds
    );
    let ceiling = attack(
        &args.host,
        args.ceiling_users,
        args.ceiling_users,
        Length::Seconds(args.ceiling_seconds),
        vec![scenario!("Ceiling").register_transaction(transaction!(healthz))],
    )
    .await?;
    if args.warm_up {
        let scenarios = warm_up(args.users, &args)?;
        let warmers = scenarios.iter().map(|s| s.weight).sum::<usize>();
        eprintln!("hearth-load: warm-up, {warmers} users, each once (not measured)");
        if warmers > 0 {
            let started = std::time::Instant::now();
            let warm = attack(&args.host, warmers, 5, Length::Once, scenarios).await?;
            let failed = warm.errors.len();
            eprintln!(
                "hearth-load: warmed up in {:.0} s{}",
                started.elapsed().as_secs_f64(),
                if failed > 0 {
                    format!(", {failed} kinds of error")
                } else {
                    String::new()
                }
            );
        }
    }
    let think = (args.think_max > 0).then_some((args.think_min, args.think_max));
    eprintln!(
        "hearth-load: {} users ({} a second), think time {:?} ms, {} s once all have started",
        args.users, args.hatch_rate, think, args.run_time
    );
    let length = Length::Seconds(args.run_time);
    let journeys = attack(&args.host, args.users, args.hatch_rate, length, {
        let mut scenarios = vec![practitioner(think)?, officer(think)?];
        if args.dashboards {
            scenarios.push(reader(think)?);
        }
        if args.hubs {
            scenarios.extend(hub_staff(think)?);
        }
        scenarios
    })
    .await?;
    let result = report::Report::new(
        &args.label,
        args.users,
        think,
        &ceiling,
        &journeys,
        args.server_pid,
    );
    println!("{}", result.markdown());
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&result.json())?)?;
    }
    Ok(result.errors() == 0 && result.requests() > 0)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let outcome = match Cli::parse().command {
        Command::Run(args) => run(args).await,
        Command::Crash(args) => crash::run(args).await,
    };
    match outcome {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => std::process::ExitCode::FAILURE,
        Err(e) => {
            eprintln!("hearth-load: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
