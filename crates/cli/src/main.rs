//! `hearth`: the one binary. Serves the web application, runs migrations, manages users and
//! checks the audit log.

mod audit;
mod backup;
mod care;
mod data;
mod directory;
mod hubs;
mod link;
mod settings;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use hearth_app::accounts::admin::UserForm;
use hearth_app::accounts::second_factor::SecondFactorPolicy;
use hearth_app::accounts::single_sign_on::SingleSignOnPolicy;
use hearth_app::demo::DEFAULT_DEMO_PASSWORD;
use hearth_app::messages::MessagePolicy;
use hearth_app::{
    ApiTokenPolicy, AppError, FrontDoorPolicy, GatePolicy, Hearth, PlanTimings, Policies,
    RoutingTeams, Store,
};
use hearth_domain::insight::Catalogue;
use hearth_domain::retention::Schedule;
use hearth_domain::routing::DueTimes;
use hearth_domain::sign_in::{SessionPolicy, ThrottlePolicy};
use hearth_domain::vocabulary::Vocabulary;
use settings::Settings;
use std::future::IntoFuture;
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "hearth",
    version,
    about = "Hearth: an open multi-agency Family Help platform"
)]
struct Cli {
    /// Configuration file (TOML). Defaults to ./hearth.toml when it exists.
    #[arg(long, global = true, env = "HEARTH_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve Hearth (the default command).
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long, env = "HEARTH_LISTEN")]
        listen: Option<String>,
        /// Load the synthetic demo partnership (idempotent) and print how to sign in.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Copy the SQLite database to FILE while Hearth keeps serving (a consistent copy at one
    /// moment). PostgreSQL: use pg_dump (docs/operations.md).
    Backup {
        /// The new file to write; an existing file is never overwritten.
        file: PathBuf,
    },
    /// Put a backup taken by `hearth backup` in place of the SQLite database. Stop Hearth
    /// first; the database it replaces is kept beside it. Then run `hearth audit verify`.
    Restore {
        /// The backup file.
        file: PathBuf,
    },
    /// Generate a synthetic partnership into an empty database: `--scale city` is the size of
    /// Nottingham City with ten years of history (about two million case notes).
    Demo {
        /// `city` (1.0), `town` (0.1), `village` (0.01) or a number above 0 and at most 2.
        #[arg(long, default_value = "city", value_parser = parse_scale)]
        scale: f64,
        /// The random seed: the same seed, scale and end date give the same data.
        #[arg(long, default_value_t = DEMO_SEED)]
        seed: u64,
        /// Years of history.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=30))]
        years: u32,
        /// The last day of the history, as YYYY-MM-DD (default: today).
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
    /// Manage user accounts.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Check the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The postcode table that distance search in the directory uses.
    Postcodes {
        #[command(subcommand)]
        command: directory::PostcodesCommand,
    },
    /// The directory of services.
    Directory {
        #[command(subcommand)]
        command: directory::DirectoryCommand,
    },
    /// Match people across datasets: deduplicate a CSV file, link two, find one person.
    #[command(after_long_help = link::columns_help())]
    Link {
        #[command(subcommand)]
        command: link::LinkCommand,
    },
    /// Family Hubs' reference data: the wards' under-fives populations.
    Hubs {
        #[command(subcommand)]
        command: hubs::HubsCommand,
    },
    /// Partners' data for early identification: import a partner's file into its dataset.
    Data {
        #[command(subcommand)]
        command: data::DataCommand,
    },
    /// Documents' bytes (ADR 0052).
    Documents {
        #[command(subcommand)]
        command: DocumentsCommand,
    },
    /// Children in care from files: import a 903 return from the social care system.
    Care {
        #[command(subcommand)]
        command: care::CareCommand,
    },
    /// Retention under the partnership's schedule (the server also does this daily).
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
    /// Write the pseudonymised analytics extract (Parquet and CSV, shaped like the Standard
    /// Safeguarding Dataset) into a folder; keyed with `extract_secret` (ADR 0038).
    Extract {
        /// The folder to write; default: `extract_dir`.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum DocumentsCommand {
    /// Move documents' bytes from the database to the object store set by `document_store =
    /// "s3"`, one document at a time, each checked against its hash; stopped, run it again
    /// and it carries on.
    MoveToObjectStore {
        /// Move at most this many documents this time.
        #[arg(long)]
        at_most: Option<usize>,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// List what is due today as a run for the data protection officer's review.
    Run,
    /// Carry out (or resume) every run the data protection officer approved.
    CarryOut,
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Create a user, e.g. the first administrator on a fresh install. The password is read
    /// from HEARTH_NEW_USER_PASSWORD or standard input; if neither gives one, a strong one is
    /// generated and printed once.
    Add {
        #[arg(long)]
        email: String,
        /// The organisation's name; created (as a local authority) if it does not exist.
        #[arg(long)]
        org: String,
        /// A role code; repeat for several (e.g. --role administrator).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// The person's full name (defaults to the email address).
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify the keyed hash chain with the audit key(s) and against the anchors file: exit 0
    /// when intact, 1 naming the first bad event or anchor otherwise.
    Verify,
    /// After restoring the database to an earlier moment (pg_restore, point-in-time
    /// recovery): keep the anchors file aside and start a new one with the anchors the
    /// restored log reaches. `hearth restore` does this itself.
    AfterRestore,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.clone()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("hearth: the configuration could not be read: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    if let Err(e) = settings.check() {
        eprintln!("hearth: configuration problem: {e}");
        return std::process::ExitCode::from(2);
    }
    init_logging(&settings);
    match run(cli, settings).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("hearth: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_logging(settings: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RUST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&settings.log));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if settings.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn policies(settings: &Settings) -> Result<Policies> {
    Ok(Policies {
        gate: GatePolicy {
            recorder_days: settings.recorder_days,
            deciding_officer_days: settings.deciding_officer_days,
            reason_minutes: settings.restricted_reason_minutes,
            break_glass_minutes: settings.break_glass_minutes,
            young_person_age: settings.family_young_person_age,
            family_closed_days: settings.family_closed_days,
        },
        session: SessionPolicy {
            idle: chrono::Duration::minutes(settings.session_idle_minutes),
            absolute: chrono::Duration::hours(settings.session_absolute_hours),
        },
        throttle: ThrottlePolicy {
            free_failures: settings.sign_in_free_failures,
            max_wait: chrono::Duration::minutes(settings.sign_in_max_wait_minutes),
            // Failures are remembered for longer than the longest wait, or the waits would
            // never reach it.
            forget_after: chrono::Duration::minutes(settings.sign_in_max_wait_minutes * 4)
                .max(ThrottlePolicy::default().forget_after),
            ..ThrottlePolicy::default()
        },
        routing: RoutingTeams {
            core: settings.targeted_core_team.clone(),
            adolescence: settings.targeted_adolescence_team.clone(),
            social_care: settings.social_care_team.clone(),
            closure_approver: settings.closure_approver_team.clone(),
        },
        front_door: FrontDoorPolicy {
            due: DueTimes {
                routine_working_days: settings.front_door_routine_working_days,
                soon_working_days: settings.front_door_soon_working_days,
            },
            mash_phone: settings.mash_phone.clone(),
        },
        family_asks: hearth_app::family_asks::FamilyAskPolicy {
            draft_minutes: settings.ask_draft_minutes,
        },
        plans: PlanTimings {
            assessment_due_days: settings.assessment_due_days,
            review_interval_weeks: settings.review_interval_weeks,
            visit_interval_days: settings.visit_interval_days,
            programme_completion_percent: settings.programme_completion_percent,
        },
        api_tokens: ApiTokenPolicy {
            max_days: settings.api_token_max_days,
        },
        second_factor: SecondFactorPolicy {
            required_roles: settings
                .second_factor_roles
                .iter()
                .map(|r| r.parse())
                .collect::<Result<_, _>>()
                .context("second_factor_roles")?,
        },
        training: hearth_app::training::TrainingPolicy {
            courses: training_courses(settings)?,
            hold_access: settings.training_holds_access,
            remind_days: settings.training_remind_days,
        },
        work_reminders: hearth_app::messages::reminders::WorkReminderPolicy {
            days_before: settings.work_remind_days,
        },
        single_sign_on: SingleSignOnPolicy {
            provider_timeout: std::time::Duration::from_secs(
                settings.identity_provider_timeout_seconds,
            ),
        },
        vocabulary: Arc::new(vocabulary(settings)?),
        catalogue: catalogue(settings)?,
        surveys: survey_book(settings)?,
        figures_kept: std::time::Duration::from_secs(settings.figures_kept_seconds),
        programme: outcome_framework(settings)?,
        claims: hearth_app::programme::ClaimPolicy {
            sample_percent: settings.claim_sample_percent,
        },
        retention: retention_schedule(settings)?,
        care: care_area(settings)?,
        partnership_name: settings.partnership_name.clone(),
        documents: document_policy(settings)?,
        partner_files: hearth_app::identification::PartnerFilePolicy {
            max_bytes: (settings.partner_files_max_mb.max(1) as usize) * 1024 * 1024,
            ..hearth_app::identification::PartnerFilePolicy::default()
        },
        own: hearth_app::own::OwnPagePolicy {
            link_hours: settings.family_link_hours,
            session_minutes: settings.family_session_minutes,
            messages_per_hour: settings.family_messages_per_hour,
            one_login: settings
                .family_one_login()
                .map_err(|e| anyhow::anyhow!(e))?,
            ..hearth_app::own::OwnPagePolicy::default()
        },
        messages: MessagePolicy {
            public_url: settings
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", settings.listen)),
            email_delivered: settings.mailer().map_err(|e| anyhow::anyhow!(e))?.is_some(),
        },
    })
}

/// Documents' limits and scanner, from the settings.
fn document_policy(settings: &Settings) -> Result<hearth_app::documents::DocumentPolicy> {
    use hearth_domain::document::{FileType, UploadLimits};
    if settings.documents_max_mb == 0 {
        anyhow::bail!("documents_max_mb must be at least 1");
    }
    let types = settings
        .documents_types
        .iter()
        .map(|t| {
            FileType::from_code(t.trim()).with_context(|| {
                format!("documents_types: {t:?} is not one of pdf, png, jpeg, docx")
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if types.is_empty() {
        anyhow::bail!("documents_types must name at least one of pdf, png, jpeg, docx");
    }
    Ok(hearth_app::documents::DocumentPolicy {
        limits: UploadLimits {
            max_bytes: settings.documents_max_mb as usize * 1024 * 1024,
            types,
        },
        scanner: settings
            .clamd_address
            .clone()
            .filter(|a| !a.trim().is_empty())
            .map(|address| hearth_app::documents::ScannerSettings {
                address,
                timeout: std::time::Duration::from_secs(settings.clamd_timeout_seconds.max(1)),
            }),
        store: match settings.document_store().map_err(|e| anyhow::anyhow!(e))? {
            None => hearth_app::documents::DocumentStore::Database,
            Some(s) => hearth_app::documents::DocumentStore::Objects(
                hearth_app::documents::Objects::new(&s).map_err(|e| anyhow::anyhow!(e))?,
            ),
        },
    })
}

/// What counts as a local placement, from the settings.
fn care_area(settings: &Settings) -> Result<hearth_domain::care::LocalArea> {
    let centre = hearth_domain::directory::Coordinates::new(
        settings.care_centre_latitude,
        settings.care_centre_longitude,
    )
    .context("care_centre_latitude and care_centre_longitude must be a point on the globe")?;
    if settings.care_local_miles.is_nan() || settings.care_local_miles <= 0.0 {
        anyhow::bail!("care_local_miles must be more than 0");
    }
    Ok(hearth_domain::care::LocalArea {
        centre,
        radius_miles: settings.care_local_miles,
        boundary_districts: settings
            .care_boundary_districts
            .iter()
            .map(|d| d.trim().to_uppercase())
            .collect(),
        child_population: settings.care_child_population,
    })
}

/// The default retention schedule with the partnership's own periods, if it has a file of them.
fn retention_schedule(settings: &Settings) -> Result<Schedule> {
    let Some(file) = &settings.retention_schedule else {
        return Ok(Schedule::default());
    };
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read retention_schedule {}", file.display()))?;
    Schedule::with_overrides(&text)
        .map_err(|e| anyhow::anyhow!("retention_schedule {}: {e}", file.display()))
}

/// The shipped training courses, or the partnership's own over them (ADR 0048).
fn training_courses(settings: &Settings) -> Result<hearth_domain::training::Courses> {
    if !(0..=365).contains(&settings.training_remind_days) {
        anyhow::bail!("training_remind_days must be from 0 to 365");
    }
    if !(0..=60).contains(&settings.work_remind_days) {
        anyhow::bail!("work_remind_days must be from 0 to 60");
    }
    let Some(file) = &settings.training_courses else {
        return Ok(hearth_domain::training::Courses::default());
    };
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read training_courses {}", file.display()))?;
    hearth_domain::training::Courses::with_overrides(&text)
        .map_err(|e| anyhow::anyhow!("training_courses {}: {e}", file.display()))
}

/// The default survey questions with the partnership's own wording, if it has a file of it.
fn survey_book(settings: &Settings) -> Result<hearth_domain::survey::SurveyBook> {
    let Some(file) = &settings.survey_questions else {
        return Ok(hearth_domain::survey::SurveyBook::default());
    };
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read survey_questions {}", file.display()))?;
    hearth_domain::survey::SurveyBook::with_overrides(&text)
        .map_err(|e| anyhow::anyhow!("survey_questions {}: {e}", file.display()))
}

/// The national outcome framework, or the partnership's own if it has a file of it.
fn outcome_framework(settings: &Settings) -> Result<hearth_domain::programme::Framework> {
    let Some(file) = &settings.outcome_framework else {
        return Ok(hearth_domain::programme::Framework::default());
    };
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read outcome_framework {}", file.display()))?;
    hearth_domain::programme::Framework::with_overrides(&text)
        .map_err(|e| anyhow::anyhow!("outcome_framework {}: {e}", file.display()))
}

/// The default KPI catalogue with the partnership's own targets, if it has a file of them.
fn catalogue(settings: &Settings) -> Result<Catalogue> {
    let Some(file) = &settings.kpi_catalogue else {
        return Ok(Catalogue::default());
    };
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read kpi_catalogue {}", file.display()))?;
    Catalogue::with_overrides(&text)
        .map_err(|e| anyhow::anyhow!("kpi_catalogue {}: {e}", file.display()))
}

/// The shipped search phrases and the partnership's own, if it has a file of them.
fn vocabulary(settings: &Settings) -> Result<Vocabulary> {
    let additions = match &settings.directory_synonyms {
        Some(file) => std::fs::read_to_string(file)
            .with_context(|| format!("cannot read directory_synonyms {}", file.display()))?,
        None => String::new(),
    };
    Vocabulary::with_additions(&additions).map_err(|e| {
        anyhow::anyhow!(
            "directory_synonyms {}: {e}",
            settings
                .directory_synonyms
                .as_deref()
                .map(|f| f.display().to_string())
                .unwrap_or_default()
        )
    })
}

async fn open(settings: &Settings) -> Result<Hearth> {
    // Before anything can write an audit event.
    audit::install_keys(settings)?;
    let url = settings.database_url();
    let store = Store::connect(&url, settings.db_max_connections)
        .await
        .with_context(|| "cannot open the database (check DATABASE_URL)".to_string())?;
    store
        .migrate()
        .await
        .context("database migrations failed")?;
    Ok(Hearth::new(store, policies(settings)?))
}

async fn run(cli: Cli, mut settings: Settings) -> Result<std::process::ExitCode> {
    match cli.command.unwrap_or(Command::Serve {
        listen: None,
        demo: false,
    }) {
        Command::Serve { listen, demo } => {
            if let Some(listen) = listen {
                settings.listen = listen;
            }
            serve(settings, demo).await?;
        }
        Command::Migrate => {
            open(&settings).await?;
            println!("Migrations applied.");
        }
        Command::Backup { file } => backup::backup(&settings, &file).await?,
        Command::Restore { file } => backup::restore(&settings, &file).await?,
        Command::Demo {
            scale,
            seed,
            years,
            today,
        } => {
            city_demo(&settings, scale, seed, years, today).await?;
        }
        Command::Users {
            command:
                UsersCommand::Add {
                    email,
                    org,
                    roles,
                    name,
                },
        } => {
            add_user(&settings, email, org, roles, name).await?;
        }
        Command::Link { command } => link::run(command)?,
        Command::Hubs { command } => {
            let hearth = open(&settings).await?;
            if !hubs::run(&hearth, command).await? {
                return Ok(std::process::ExitCode::from(3));
            }
        }
        Command::Data {
            command: data::DataCommand::Import(args),
        } => {
            let hearth = open(&settings).await?;
            if !data::import(&hearth, args).await? {
                return Ok(std::process::ExitCode::from(3));
            }
        }
        Command::Data {
            command:
                data::DataCommand::SyntheticFeeds {
                    out,
                    scale,
                    seed,
                    today,
                },
        } => {
            let today = today.unwrap_or_else(|| chrono::Utc::now().date_naive());
            data::synthetic_feeds(&out, scale, seed, today)?;
        }
        Command::Care { command } => {
            let hearth = open(&settings).await?;
            if !care::run(&hearth, command).await? {
                return Ok(std::process::ExitCode::from(3));
            }
        }
        Command::Retention { command } => retention(&settings, command).await?,
        Command::Documents {
            command: DocumentsCommand::MoveToObjectStore { at_most },
        } => {
            if settings.document_store.trim() != "s3" {
                bail!("set document_store = \"s3\" (with document_store_bucket and the store's address and credentials) before moving documents to it");
            }
            let hearth = open(&settings).await?;
            let report = hearth
                .move_documents_to_object_store(at_most)
                .await
                .map_err(describe)?;
            println!(
                "Documents moved to the object store: {}; objects swept: {}.",
                report.moved, report.swept
            );
            if !report.damaged.is_empty() {
                for id in &report.damaged {
                    eprintln!("document {id}: not moved: its bytes do not match the hash kept when it was uploaded");
                }
                return Ok(std::process::ExitCode::from(3));
            }
        }
        Command::Extract { out } => {
            let Some(out) = out.or_else(|| settings.extract_dir.clone()) else {
                bail!("say where to write the extract: --out DIR (or set extract_dir)");
            };
            let Some(secret) = settings.extract_secret.clone() else {
                bail!("set extract_secret (or HEARTH_EXTRACT_SECRET): the extract's pseudonymous ids are keyed with it");
            };
            let hearth = open(&settings).await?;
            let started = Instant::now();
            let written = hearth
                .write_extract(&secret, &out)
                .await
                .map_err(describe)?;
            for (table, rows) in &written.tables {
                println!("{table}: {rows} rows");
            }
            println!(
                "Extract written to {} in {:.1}s (Parquet and CSV, manifest.json last)",
                written.folder.display(),
                started.elapsed().as_secs_f64()
            );
        }
        Command::Postcodes {
            command: directory::PostcodesCommand::Import { file },
        } => {
            let hearth = open(&settings).await?;
            if !directory::import_postcodes(&hearth, &file).await? {
                return Ok(std::process::ExitCode::from(3));
            }
        }
        Command::Directory {
            command: directory::DirectoryCommand::ImportOruk { source },
        } => {
            let hearth = open(&settings).await?;
            hearth
                .ensure_directory_taxonomies()
                .await
                .map_err(describe)?;
            if !directory::import_oruk(&hearth, &source).await? {
                return Ok(std::process::ExitCode::from(3));
            }
        }
        Command::Audit {
            command: AuditCommand::AfterRestore,
        } => {
            let hearth = open(&settings).await?;
            let head = hearth.audit_anchor().await.map_err(describe)?;
            backup::rebase_anchors(&settings, &head)?;
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let hearth = open(&settings).await?;
            if !audit::verify(&hearth, &settings).await? {
                return Ok(std::process::ExitCode::FAILURE);
            }
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// The city demo's seed unless another is given.
const DEMO_SEED: u64 = 20_261_122;

fn parse_scale(s: &str) -> Result<f64, String> {
    let scale = match s.trim() {
        "city" => 1.0,
        "town" => 0.1,
        "village" => 0.01,
        n => n.parse::<f64>().map_err(|_| {
            format!("{s:?} is not a scale: use city, town, village or a number such as 0.5")
        })?,
    };
    if scale > 0.0 && scale <= 2.0 {
        Ok(scale)
    } else {
        Err(format!(
            "the scale must be above 0 and at most 2 (1 is the city), not {s}"
        ))
    }
}

async fn city_demo(
    settings: &Settings,
    scale: f64,
    seed: u64,
    years: u32,
    today: Option<chrono::NaiveDate>,
) -> Result<()> {
    let hearth = open(settings).await?;
    let password = std::env::var("HEARTH_DEMO_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty());
    let today = today.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let started = Instant::now();
    let report = hearth
        .seed_city(
            password.as_deref().unwrap_or(DEFAULT_DEMO_PASSWORD),
            &hearth_app::demo::city::CityDemo {
                scale,
                seed,
                years,
                today,
            },
        )
        .await
        .map_err(describe)?;
    println!(
        "Generated in {:.1} s: {} people in {} households, {} staff, {} requests, {} episodes ({} open), {} case notes, {} reviews, {} chronology entries, {} audit events.",
        started.elapsed().as_secs_f64(),
        report.people,
        report.households,
        report.staff,
        report.requests,
        report.episodes,
        report.open_episodes,
        report.notes,
        report.reviews,
        report.chronology,
        report.audit_events
    );
    println!(
        "Accounts: workers={} partners={} officers={}",
        report.workers, report.partners, report.officers
    );
    println!(
        "Start it with `hearth serve` and sign in as worker1@, partner1@, officer1@ or manager1@{} (or the demo accounts) with the password {}.",
        hearth_app::demo::city::EMAIL_DOMAIN,
        if password.is_some() { "in HEARTH_DEMO_PASSWORD" } else { DEFAULT_DEMO_PASSWORD }
    );
    Ok(())
}

async fn serve(mut settings: Settings, demo: bool) -> Result<()> {
    let started = Instant::now();
    if demo && settings.partnership_name == Settings::default().partnership_name {
        settings.partnership_name = "Nottingham City Family Help Partnership (demo)".into();
    }
    tracing::info!(settings = ?settings, "starting");
    let hearth = open(&settings).await?;
    // The directory's own taxonomies (needs, age bands, delivery) are published from the start.
    hearth
        .ensure_directory_taxonomies()
        .await
        .map_err(describe)?;
    if demo {
        let password = std::env::var("HEARTH_DEMO_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty());
        let summary = hearth
            .seed_demo(password.as_deref().unwrap_or(DEFAULT_DEMO_PASSWORD))
            .await
            .map_err(describe)?;
        let people = hearth
            .seed_demo_families(hearth_app::demo::families::DEMO_FAMILIES)
            .await
            .map_err(describe)?;
        let homes = hearth.seed_demo_care().await.map_err(describe)?;
        hearth.seed_demo_guidance().await.map_err(describe)?;
        hearth.seed_demo_training().await.map_err(describe)?;
        hearth.seed_demo_programme().await.map_err(describe)?;
        println!(
            "Demo partnership ready ({} organisations, {} teams, {} users, {} services, {} people, {} homes for children in care added).",
            summary.organisations_added,
            summary.teams_added,
            summary.users_added,
            summary.services_added,
            people,
            homes
        );
        println!("Sign in as any of these:");
        for (email, role) in &summary.users {
            println!("  {email:<32} {role}");
        }
        match password {
            Some(_) => println!("with the password in HEARTH_DEMO_PASSWORD."),
            None => println!("with the password: {DEFAULT_DEMO_PASSWORD}   (set HEARTH_DEMO_PASSWORD to choose another)"),
        }
    } else if hearth.user_count().await.map_err(describe)? == 0 {
        println!("No accounts yet. Create the first administrator with:");
        println!("  hearth users add --email you@example.org --org \"Your council\" --role administrator");
        println!("or start with demo data: hearth serve --demo");
    }
    hearth_web::install_metrics();
    hearth_web::remember_partnership(&settings.partnership_name);
    let state = hearth_web::AppState::new(
        hearth.clone(),
        hearth_web::WebSettings {
            partnership_name: settings.partnership_name.clone(),
            secure: settings.secure(),
            trust_proxy: settings.trust_proxy,
            trusted_proxies: settings.trusted_proxies,
            rate_limits: settings.rate_limits(),
            max_in_flight: settings.max_in_flight,
            max_queue_wait: std::time::Duration::from_millis(settings.max_queue_wait_ms),
            metrics_token: settings.metrics_token.clone(),
            site_pages_dir: settings.site_pages_dir.clone(),
            privacy_contact: settings.privacy_contact.clone(),
            accessibility_contact: settings.accessibility_contact.clone(),
        },
    );
    if let Some(address) = &settings.metrics_listen {
        serve_metrics(address, hearth_web::metrics_router(state.clone())).await?;
    }
    let app = hearth_web::router(state);
    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {} (is another program using it? set --listen)",
                settings.listen
            )
        })?;
    let addr = listener.local_addr()?;
    spawn_housekeeping(hearth.clone());
    spawn_daily_retention(hearth.clone());
    spawn_nightly_extract(hearth.clone(), &settings);
    spawn_sender(hearth.clone(), &settings)?;
    spawn_texter(hearth.clone(), &settings)?;
    spawn_partner_folders(hearth.clone(), &settings);
    let mut anchoring = audit::Anchoring::new(hearth.clone(), &settings)?;
    anchoring.now().await?;
    let anchoring = anchoring.spawn();
    let signalled = shutdown_signal()?;
    println!(
        "Hearth is ready at http://{addr}/ (started in {} ms)",
        started.elapsed().as_millis()
    );
    let drain = std::time::Duration::from_secs(settings.shutdown_drain_seconds);
    let (stopping, stop) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        signalled.await;
        let _ = stopping.send(());
    })
    .into_future();
    // Requests in flight may finish, for so long: a client that never finishes reading must
    // not hold a restart (or the orchestrator's kill) up.
    let drain_limit = async move {
        if stop.await.is_ok() {
            tokio::time::sleep(drain).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        served = server => served?,
        () = drain_limit => tracing::warn!(
            seconds = drain.as_secs(),
            "requests still in flight at the drain limit were cut off"
        ),
    }
    anchoring.abort();
    audit::Anchoring::new(hearth, &settings)?.now().await?;
    tracing::info!("stopped");
    Ok(())
}

/// Serves `/metrics` alone on its own address, in the background.
async fn serve_metrics(address: &str, app: axum::Router) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| format!("cannot listen on {address} for metrics (metrics_listen)"))?;
    tracing::info!(address = %listener.local_addr()?, "metrics served");
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "the metrics address stopped");
        }
    });
    Ok(())
}

/// Lists what is due for review, or carries out the approved runs, printing counts only.
async fn retention(settings: &Settings, command: RetentionCommand) -> Result<()> {
    let hearth = open(settings).await?;
    match command {
        RetentionCommand::Run => {
            let started = Instant::now();
            let id = hearth.list_retention(None).await.map_err(describe)?;
            println!(
                "Retention run {id} listed in {:.1}s: waiting for the data protection officer's review at /information-rights/retention/{id}",
                started.elapsed().as_secs_f64()
            );
        }
        RetentionCommand::CarryOut => {
            for id in hearth.approved_retention_runs().await.map_err(describe)? {
                let started = Instant::now();
                let done = hearth
                    .carry_out_retention(id, None)
                    .await
                    .map_err(describe)?;
                println!(
                    "Retention run {id}: {} removed, {} held, {} no longer due, in {:.1}s{}",
                    done.done,
                    done.held,
                    done.kept,
                    started.elapsed().as_secs_f64(),
                    if done.finished { "" } else { " (not finished)" }
                );
            }
        }
    }
    Ok(())
}

/// Once a day: carries out the runs the data protection officer approved (resuming one that
/// was stopped) and lists what is due next for review.
fn spawn_daily_retention(hearth: Hearth) {
    tokio::spawn(async move {
        // The first look comes a minute after start, once start-up's own writes are done.
        let day = std::time::Duration::from_secs(24 * 60 * 60);
        let first = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut every = tokio::time::interval_at(first, day);
        loop {
            every.tick().await;
            if let Err(e) = hearth.daily_retention().await {
                tracing::warn!(error = %e, "retention did not finish: it resumes tomorrow");
            }
        }
    });
}

/// Once a night at `extract_hour` (UTC), when `extract_dir` is set: writes the analytics
/// extract there (ADR 0038). Off unless configured: the extract holds person-level rows, so a
/// partnership chooses where it goes and the secret its ids are keyed with.
fn spawn_nightly_extract(hearth: Hearth, settings: &Settings) {
    let (Some(folder), Some(secret)) = (
        settings.extract_dir.clone(),
        settings.extract_secret.clone(),
    ) else {
        return;
    };
    tracing::info!(folder = %folder.display(), hour = settings.extract_hour, "nightly analytics extract");
    let schedule = settings.clone();
    tokio::spawn(async move {
        loop {
            let now = chrono::Utc::now();
            let wait = (schedule.next_extract_after(now) - now)
                .to_std()
                .unwrap_or_default();
            tokio::time::sleep(wait).await;
            let started = Instant::now();
            match hearth.write_extract(&secret, &folder).await {
                Ok(w) => tracing::info!(
                    tables = w.tables.len(),
                    rows = w.tables.iter().map(|(_, n)| n).sum::<usize>(),
                    seconds = started.elapsed().as_secs_f64(),
                    "analytics extract written"
                ),
                Err(e) => {
                    tracing::warn!(error = %e, "the analytics extract was not written: it is tried again tomorrow")
                }
            }
        }
    });
}

/// Sends the outbox now and then (ADR 0036), when a mail server is configured; without one,
/// messages wait and the outbox page says so. Safe with several instances: each claims a
/// message with a lease before sending it.
fn spawn_sender(hearth: Hearth, settings: &Settings) -> Result<()> {
    let Some(mail) = settings.mailer().map_err(|e| anyhow::anyhow!(e))? else {
        tracing::warn!("no mail server (smtp_host): messages wait in the outbox");
        return Ok(());
    };
    let mailer = hearth_app::messages::Mailer::new(&mail).map_err(|e| anyhow::anyhow!(e))?;
    tracing::info!(mail = ?mail, "sending messages");
    let sender = hearth_app::messages::sender::name();
    spawn_rounds(settings, "messages", move || {
        let (hearth, mailer, sender) = (hearth.clone(), mailer.clone(), sender.clone());
        async move { hearth.send_due(&mailer, &sender).await }
    });
    Ok(())
}

/// Sends the outbox's text messages now and then (ADR 0049), when a gateway is configured;
/// without one, texts wait. Leases as for email, so several instances are safe.
fn spawn_texter(hearth: Hearth, settings: &Settings) -> Result<()> {
    let Some(gateway) = settings.texter().map_err(|e| anyhow::anyhow!(e))? else {
        tracing::info!("no text message gateway (sms_transport): texts wait in the outbox");
        return Ok(());
    };
    let kannel = hearth_app::messages::Kannel::new(&gateway).map_err(|e| anyhow::anyhow!(e))?;
    tracing::info!(gateway = ?gateway, "sending text messages");
    let sender = hearth_app::messages::sender::name();
    spawn_rounds(settings, "text messages", move || {
        let (hearth, kannel, sender) = (hearth.clone(), kannel.clone(), sender.clone());
        async move { hearth.send_texts_due(&kannel, &sender).await }
    });
    Ok(())
}

/// Runs a round of sending every `smtp_every_seconds`, logging what went: one loop per
/// channel, each with its own sender name and leases.
fn spawn_rounds<F, R>(settings: &Settings, what: &'static str, round: F)
where
    F: Fn() -> R + Send + 'static,
    R: std::future::Future<Output = Result<hearth_app::messages::SendReport, hearth_app::AppError>>
        + Send,
{
    let every = std::time::Duration::from_secs(settings.smtp_every_seconds.max(1));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match round().await {
                Ok(r) if r.sent + r.retrying + r.failed > 0 => tracing::info!(
                    sent = r.sent,
                    retrying = r.retrying,
                    failed = r.failed,
                    "{what}"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not send {what}"),
            }
        }
    });
}

/// Every `partner_drop_every_seconds`, when `partner_drop_dir` is set: imports the files
/// partners dropped in the datasets' watched folders (ADR 0054). Safe with several instances:
/// a file is recorded once, in its import's transaction, and a second import of it fails.
fn spawn_partner_folders(hearth: Hearth, settings: &Settings) {
    let Some(root) = settings.partner_drop_dir.clone() else {
        return;
    };
    tracing::info!(folder = %root.display(), "watching partners' folders");
    let every = std::time::Duration::from_secs(settings.partner_drop_every_seconds.max(1));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match hearth.watch_partner_folders(&root).await {
                Ok(dropped) => {
                    // Where each file went, never what is in it: the report beside it says.
                    for d in dropped {
                        let (what, file) = match &d {
                            hearth_app::identification::Dropped::Imported { file, .. } => {
                                ("imported", file)
                            }
                            hearth_app::identification::Dropped::AlreadyImported { file } => {
                                ("already imported", file)
                            }
                            hearth_app::identification::Dropped::Refused { file, .. } => {
                                ("refused", file)
                            }
                        };
                        tracing::info!(file = %file.display(), "a partner's dropped file: {what}");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "could not look at partners' folders"),
            }
        }
    });
}

/// Removes expired sessions now and then. Safe with several instances: it only deletes.
fn spawn_housekeeping(hearth: Hearth) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            if let Err(e) = hearth.prune_sessions().await {
                tracing::warn!(error = %e, "could not prune sessions");
            }
            if let Err(e) = hearth.prune_family_ask_drafts().await {
                tracing::warn!(error = %e, "could not remove expired families' drafts");
            }
            // Safe with several instances: each reminder is taken by compare-and-set.
            match hearth.queue_training_reminders().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(queued = n, "training reminders"),
                Err(e) => tracing::warn!(error = %e, "could not queue training reminders"),
            }
            match hearth.queue_work_reminders().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(reminded = n, "reminders of work due"),
                Err(e) => tracing::warn!(error = %e, "could not queue reminders of work due"),
            }
            // Objects in the document store that no document names (ADR 0052). Safe with
            // several instances: deleting an object twice is not an error.
            match hearth.sweep_document_objects().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "documents' objects swept"),
                Err(e) => tracing::warn!(error = %e, "could not sweep the document store"),
            }
        }
    });
}

/// Listens for SIGTERM and Ctrl-C from now on — before "ready" is printed, so a supervisor's
/// stop that follows at once is still a graceful one — and resolves when either comes.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let signalled = {
        use tokio::signal::unix::{signal, SignalKind};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        async move {
            tokio::select! {
                _ = terminate.recv() => {},
                _ = interrupt.recv() => {},
            }
        }
    };
    #[cfg(not(unix))]
    let signalled = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    Ok(async move {
        signalled.await;
        tracing::info!("shutting down: finishing requests in flight");
    })
}

fn describe(e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(errors) => anyhow::anyhow!(
            "{}",
            errors
                .iter()
                .map(|(f, m)| format!("{f}: {m}"))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::anyhow!("{other}"),
    }
}

async fn add_user(
    settings: &Settings,
    email: String,
    org: String,
    roles: Vec<String>,
    name: Option<String>,
) -> Result<()> {
    let hearth = open(settings).await?;
    let org_id = match hearth.find_organisation(&org).await.map_err(describe)? {
        Some(o) => o.id,
        None => {
            let id = hearth
                .create_organisation(
                    None,
                    &hearth_app::accounts::admin::OrganisationForm {
                        name: org.clone(),
                        kind: "local_authority".into(),
                        identifier: String::new(),
                    },
                )
                .await
                .map_err(describe)?;
            println!("Created organisation {org:?}.");
            id
        }
    };
    let (password, generated) = match std::env::var("HEARTH_NEW_USER_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
    {
        Some(p) => (p, false),
        None if !std::io::stdin().is_terminal() => {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            let line = line.trim_end_matches(['\r', '\n']).to_string();
            if line.is_empty() {
                (generated_password(), true)
            } else {
                (line, false)
            }
        }
        None => (generated_password(), true),
    };
    let form = UserForm {
        display_name: name.unwrap_or_else(|| email.clone()),
        email: email.clone(),
        organisation_id: org_id.to_string(),
        roles,
        password: password.clone(),
        ..UserForm::default()
    };
    match hearth.create_user(None, &form).await {
        Ok(id) => {
            println!("Created user {email} ({id}).");
            if generated {
                println!("Their password (shown once; they should change it after signing in): {password}");
            }
            Ok(())
        }
        Err(e) => bail!("the user was not created: {}", describe(e)),
    }
}

/// Four random words' worth of entropy, readable aloud.
fn generated_password() -> String {
    use base64::Engine as _;
    let bytes: [u8; 15] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
