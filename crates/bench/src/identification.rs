//! `hearth-bench identification`: issue 19's measure. A partner's file of 100,000 rows imported,
//! matched and kept against a 500,000-person family register, through the same use case the
//! import page and `hearth data import` call: the time, the process's peak memory during the
//! import, and the matching's precision and recall against the synthetic truth (each row's
//! reference names the register person it was written from). Target: under 60 s, precision
//! and recall above 0.95, on both engines.

use crate::database::{self, Engine};
use crate::family::sign_in_with;
use crate::report;
use hearth_app::identification::{DatasetForm, PartnerFile};
use hearth_app::{Hearth, Policies};
use hearth_store::family::people::first_and_family;
use hearth_synthetic::population::{self, Population};
use hearth_synthetic::{load, partner_feeds};
use sqlx::Row as _;
use std::collections::HashMap;
use std::time::Instant;
use uuid::Uuid;

#[derive(clap::Args, Debug)]
pub struct IdentificationArgs {
    /// People on the family register.
    #[arg(long, default_value_t = 500_000)]
    register: usize,
    /// Rows in the partner's file (police notifications about register people).
    #[arg(long, default_value_t = 100_000)]
    rows: usize,
    #[arg(long, value_enum, default_value_t = crate::Engines::Both)]
    engine: crate::Engines,
    #[arg(long, default_value_t = 20_261_207)]
    seed: u64,
    #[arg(
        long,
        env = "HEARTH_BENCH_POSTGRES",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    postgres: String,
}

const DATASET: &str = "POLICE-BENCH";

struct Outcome {
    engine: &'static str,
    seeding: f64,
    rows: usize,
    seconds: f64,
    peak_mib: f64,
    matched: usize,
    review: usize,
    unmatched: usize,
    rejected: usize,
    precision: f64,
    recall: f64,
    /// Recall counting a row waiting for review whose candidate is the right person.
    recall_with_review: f64,
    /// The rows not matched to their person for certain, by why, most first.
    missed: Vec<(Missed, usize)>,
}

/// Why a row was not matched to its person for certain: where it went, what it lacked, and
/// its best candidate's reasons in short.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Missed {
    state: &'static str,
    dob: bool,
    postcode: bool,
    reasons: String,
    /// How many people on the register hold the row's first name and surname.
    held_by: &'static str,
}

/// How many people of the register hold each first name and surname, now or before.
fn name_holders(population: &Population) -> HashMap<(String, String), usize> {
    let mut out: HashMap<(String, String), usize> = HashMap::new();
    for p in &population.people {
        let now = first_and_family(&p.given, &p.family);
        let before = p
            .previous_family
            .as_deref()
            .map(|f| first_and_family(&p.given, f))
            .filter(|b| *b != now);
        for name in std::iter::once(now).chain(before) {
            *out.entry(name).or_default() += 1;
        }
    }
    out
}

/// Reasons without the names they quote: "first name: Bill and William are the same name"
/// reads "first name: same name", "surname spelt similarly (Smith / Smth)" reads "surname
/// spelt similarly".
fn reasons_in_short(reasons: &str) -> String {
    reasons
        .lines()
        .map(|r| {
            let r = r.split(" (").next().unwrap_or(r);
            match r.split_once(": ") {
                Some((what, how)) if how.ends_with("are the same name") => {
                    format!("{what}: variant")
                }
                _ => r.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The police file, cut to `rows` data rows: the share of people is chosen so there are a few
/// more than needed (about 1.4 rows a person).
fn partner_file(
    population: &Population,
    rows: usize,
    seed: u64,
    today: chrono::NaiveDate,
) -> String {
    let share = (rows as f64 * 1.15 / 1.4 / population.people.len() as f64).min(1.0);
    let text = partner_feeds::police_notifications(population, share, seed, today);
    let mut lines: Vec<&str> = text.lines().take(rows + 1).collect();
    lines.push("");
    lines.join("\n")
}

/// The register person a row was written from: its reference is `P{index}-{n}`.
fn truth(population: &Population, reference: &str) -> Option<Uuid> {
    let index: usize = reference
        .strip_prefix('P')?
        .split('-')
        .next()?
        .parse()
        .ok()?;
    population.people.get(index).map(|p| p.id)
}

/// The process's peak resident memory since the last [`reset_peak`], in MiB (Linux).
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Starts the peak from the memory in use now, so the seeding's peak is not counted (Linux).
fn reset_peak() {
    // Writing 5 to clear_refs resets VmHWM; without it the figure includes the seeding.
    if std::fs::write("/proc/self/clear_refs", "5").is_err() {
        eprintln!("could not reset the peak memory; the figure includes the seeding");
    }
}

async fn one(
    engine: Engine,
    args: &IdentificationArgs,
    population: &Population,
) -> anyhow::Result<Outcome> {
    let db = database::create(engine, &args.postgres).await?;
    let result = measure(engine, args, population, &db).await;
    db.remove().await;
    result
}

async fn measure(
    engine: Engine,
    args: &IdentificationArgs,
    population: &Population,
    db: &database::Database,
) -> anyhow::Result<Outcome> {
    let app = |e: hearth_app::AppError| anyhow::anyhow!("{e:?}");
    let h = Hearth::new(db.store.clone(), Policies::default());
    let started = Instant::now();
    h.seed_demo(crate::DEMO_PASSWORD).await.map_err(app)?;
    load::load(&db.store, population, args.seed, engine.label()).await?;
    db.store.analyze().await?;
    let seeding = started.elapsed().as_secs_f64();
    eprintln!(
        "{}: register of {} seeded in {seeding:.1} s",
        engine.label(),
        population.people.len()
    );

    let analyst = sign_in_with(&h, "matching@demo.hearth.test", crate::DEMO_PASSWORD).await?;
    let today = h.now().date_naive();
    let owner = h
        .find_organisation("Nottingham City Council (demo)")
        .await
        .map_err(app)?
        .ok_or_else(|| anyhow::anyhow!("the demo has no council"))?;
    h.register_dataset(
        &analyst,
        &DatasetForm {
            code: DATASET.into(),
            name: "Police notifications (benchmark)".into(),
            kind: "police_notifications".into(),
            owner: owner.id.to_string(),
            agreement_reference: "DSA-BENCH".into(),
            agreement_from: (today - chrono::Duration::days(400)).to_string(),
            agreement_to: (today + chrono::Duration::days(400)).to_string(),
            lawful_basis: "public_task".into(),
            fields: "names, date of birth, postcode, event, date".into(),
            refresh: "monthly".into(),
            unmatched_days: "30".into(),
        },
    )
    .await
    .map_err(app)?;
    let text = partner_file(population, args.rows, args.seed, today);
    let rows = text.lines().count().saturating_sub(1);

    reset_peak();
    let started = Instant::now();
    let report = h
        .import_partner_file(
            &analyst,
            DATASET,
            &PartnerFile {
                name: "police.csv",
                bytes: text.as_bytes(),
                sheet: None,
            },
        )
        .await
        .map_err(app)?;
    let seconds = started.elapsed().as_secs_f64();
    let peak = peak_mib();
    eprintln!(
        "{}: {rows} rows imported in {seconds:.1} s, peak {peak:.0} MiB ({} rejected)",
        engine.label(),
        report.problems.len()
    );

    // Where matching put each row, read straight from the table the import wrote.
    let mut conn = db.store.read().await?;
    let placed = sqlx::query(
        "SELECT reference, state, person_id, candidate_id, dob, postcode, reasons, given_names,
            family_name
         FROM partner_records WHERE import_id = $1",
    )
    .bind(report.import.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut counts: HashMap<String, usize> = HashMap::new();
    let (mut right, mut wrong, mut review_right) = (0usize, 0usize, 0usize);
    let mut missed: HashMap<Missed, usize> = HashMap::new();
    let holders = name_holders(population);
    for row in &placed {
        let reference: String = row.try_get("reference")?;
        let state: String = row.try_get("state")?;
        let person: Option<String> = row.try_get("person_id")?;
        let candidate: Option<String> = row.try_get("candidate_id")?;
        let true_id = truth(population, &reference).map(|u| u.to_string());
        *counts.entry(state.clone()).or_default() += 1;
        let certain_and_right = match (state.as_str(), person) {
            ("matched", Some(p)) => {
                let is_right = Some(&p) == true_id.as_ref();
                if is_right {
                    right += 1;
                } else {
                    wrong += 1;
                    // Synthetic people: shown so that a wrong match can be looked into.
                    eprintln!(
                        "wrong match: row {reference} ({} {}, {:?}, {:?}) matched {p}, written from {true_id:?}: {}",
                        row.try_get::<String, _>("given_names")?,
                        row.try_get::<String, _>("family_name")?,
                        row.try_get::<Option<String>, _>("dob")?,
                        row.try_get::<String, _>("postcode")?,
                        row.try_get::<String, _>("reasons")?.replace('\n', "; ")
                    );
                }
                is_right
            }
            ("review", _) if candidate.is_some() && candidate == true_id => {
                review_right += 1;
                false
            }
            _ => false,
        };
        if !certain_and_right {
            let why = Missed {
                state: match (state.as_str(), candidate.is_some() && candidate == true_id) {
                    ("review", true) => "review (the right person)",
                    ("review", false) => "review (someone else)",
                    ("matched", _) => "matched to someone else",
                    _ => "unmatched",
                },
                dob: row.try_get::<Option<String>, _>("dob")?.is_some(),
                postcode: !row.try_get::<String, _>("postcode")?.trim().is_empty(),
                reasons: reasons_in_short(&row.try_get::<String, _>("reasons")?),
                held_by: match holders.get(&first_and_family(
                    &row.try_get::<String, _>("given_names")?,
                    &row.try_get::<String, _>("family_name")?,
                )) {
                    None | Some(0) => "nobody",
                    Some(1) => "1",
                    Some(2..=5) => "2–5",
                    Some(6..=10) => "6–10",
                    Some(11..=50) => "11–50",
                    Some(_) => "over 50",
                },
            };
            *missed.entry(why).or_default() += 1;
        }
    }
    let mut missed: Vec<(Missed, usize)> = missed.into_iter().collect();
    missed.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let kept = placed.len().max(1) as f64;
    Ok(Outcome {
        engine: engine.label(),
        seeding,
        rows,
        seconds,
        peak_mib: peak,
        matched: counts.get("matched").copied().unwrap_or(0),
        review: counts.get("review").copied().unwrap_or(0),
        unmatched: counts.get("unmatched").copied().unwrap_or(0),
        rejected: report.problems.len(),
        precision: right as f64 / (right + wrong).max(1) as f64,
        recall: right as f64 / kept,
        recall_with_review: (right + review_right) as f64 / kept,
        missed,
    })
}

pub async fn run(args: IdentificationArgs) -> anyhow::Result<()> {
    let command = std::env::args().collect::<Vec<_>>().join(" ");
    let load_before = report::load_average();
    let population = population::generate(args.register, args.seed)?;
    let mut results = Vec::new();
    for engine in args.engine.list() {
        results.push(one(engine, &args, &population).await?);
    }
    let mut md = format!(
        "Machine: {}\n\nCommand: `{command}`\n\nLoad average (1, 5, 15 min) at start: {load_before}; at end: {}\n\n",
        report::machine(),
        report::load_average()
    );
    md.push_str("| engine | register seeded (s) | rows | import, match and keep (s) | rows/s | peak memory in the import (MiB) | matched | for review | unmatched | rejected | precision | recall | recall with review's candidates |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for r in &results {
        md.push_str(&format!(
            "| {} | {:.0} | {} | **{:.1}** | {:.0} | {:.0} | {} | {} | {} | {} | **{:.4}** | **{:.4}** | {:.4} |\n",
            r.engine,
            r.seeding,
            r.rows,
            r.seconds,
            r.rows as f64 / r.seconds.max(f64::EPSILON),
            r.peak_mib,
            r.matched,
            r.review,
            r.unmatched,
            r.rejected,
            r.precision,
            r.recall,
            r.recall_with_review
        ));
    }
    for r in &results {
        md.push_str(&format!(
            "\n{}: the rows not matched to their person for certain, most first\n\n| rows | where | date of birth | postcode | name held by | best candidate's reasons |\n|---|---|---|---|---|---|\n",
            r.engine
        ));
        // The most common, and every wrong match whatever its count.
        let shown = r
            .missed
            .iter()
            .enumerate()
            .filter(|(i, (why, _))| *i < 15 || why.state == "matched to someone else");
        for (_, (why, n)) in shown {
            let yes = |b: bool| if b { "yes" } else { "none" };
            md.push_str(&format!(
                "| {n} | {} | {} | {} | {} | {} |\n",
                why.state,
                yes(why.dob),
                yes(why.postcode),
                why.held_by,
                why.reasons
            ));
        }
    }
    println!("{md}");
    Ok(())
}
