//! `hearth link`: record linkage from the command line. Deduplicate one CSV file, link two, or
//! look one person up in a register, with a progress bar, a summary, and every unusable row
//! reported by line number.

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use hearth_linkage::input::{self, parse_mapping, Loaded, RowProblem, Target};
use hearth_linkage::linkage::{self, Outcome, RunSettings};
use hearth_linkage::model::MatchClass;
use hearth_linkage::output::{write_clusters, write_matches, write_problems};
use hearth_linkage::progress::Progress;
use hearth_linkage::score::Scorer;
use hearth_linkage::train::{train, TrainingSettings};
use hearth_linkage::{Dataset, Model, PersonRecord, Register};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Subcommand)]
pub enum LinkCommand {
    /// Find the records in one CSV file that are the same person, and cluster them.
    Dedupe {
        file: PathBuf,
        #[command(flatten)]
        options: LinkOptions,
    },
    /// Link the people in FILE_A to the same people in FILE_B.
    Between {
        file_a: PathBuf,
        file_b: PathBuf,
        #[command(flatten)]
        options: LinkOptions,
    },
    /// Find-before-create: the closest records in a register to one person, with reasons.
    Find {
        register: PathBuf,
        #[arg(long)]
        first_name: String,
        #[arg(long)]
        surname: String,
        #[arg(long, default_value = "")]
        dob: String,
        #[arg(long, default_value = "")]
        postcode: String,
        #[arg(long, default_value = "")]
        address: String,
        /// Town or suburb.
        #[arg(long, default_value = "")]
        locality: String,
        /// How many candidates to show.
        #[arg(long, default_value_t = 5)]
        limit: usize,
        /// A trained model (see --train-out); without one the register trains its own.
        #[arg(long)]
        model: Option<PathBuf>,
        /// FIELD=COLUMN[+COLUMN...] for the register file, as for dedupe.
        #[arg(long = "column", value_name = "FIELD=COLUMN")]
        columns: Vec<String>,
    },
}

/// Options shared by `dedupe` and `between`.
#[derive(Args)]
pub struct LinkOptions {
    /// Write matched pairs here: ids, weight, probability, class, cluster, per-field weights
    /// and the explanation.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write every record's cluster here (id, cluster_id, cluster_size).
    #[arg(long)]
    clusters: Option<PathBuf>,
    /// Use this trained model instead of training one on the input.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Save the model used (trained or loaded, with any threshold flags applied) here.
    #[arg(long)]
    train_out: Option<PathBuf>,
    /// Match probability at or above which a pair is "certain".
    #[arg(long)]
    certain: Option<f64>,
    /// Match probability at or above which a pair needs "review"; below it, "no match".
    #[arg(long)]
    review: Option<f64>,
    /// Map a field to columns: id, first_name, surname, dob, postcode, address or
    /// locality = COLUMN or COL1+COL2 (joined with spaces). Repeat for several fields. Only
    /// needed for names the list below does not know.
    #[arg(long = "column", value_name = "FIELD=COLUMN")]
    columns: Vec<String>,
    /// Seed for the random pairs used in training.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Blocks with more records than this are skipped (and reported).
    #[arg(long, default_value_t = 10_000)]
    max_block: usize,
    /// Write every problem row here as CSV (line, id, kept, reason). Without it the first
    /// problems are printed and, if there are more, all of them go next to the output.
    #[arg(long)]
    problems: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// Print how long each stage took.
    #[arg(long)]
    verbose: bool,
}

pub fn run(command: LinkCommand) -> Result<()> {
    match command {
        LinkCommand::Dedupe { file, options } => link_files(&[file], options),
        LinkCommand::Between {
            file_a,
            file_b,
            options,
        } => link_files(&[file_a, file_b], options),
        LinkCommand::Find {
            register,
            first_name,
            surname,
            dob,
            postcode,
            address,
            locality,
            limit,
            model,
            columns,
        } => find(
            &register,
            PersonRecord {
                id: String::new(),
                first_name,
                surname,
                dob,
                postcode,
                address,
                locality,
            },
            limit,
            model.as_deref(),
            &columns,
        ),
    }
}

/// A progress bar on standard error (drawn only on a terminal), optionally also logging how
/// long each stage took.
struct Bar(ProgressBar, Option<std::sync::Mutex<(String, Instant)>>);

impl Bar {
    fn new(quiet: bool, verbose: bool) -> Bar {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::new(0)
        };
        bar.set_style(
            ProgressStyle::with_template("{msg:45} [{bar:30}] {percent:>3}% {elapsed_precise}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Bar(
            bar,
            verbose.then(|| std::sync::Mutex::new((String::new(), Instant::now()))),
        )
    }

    fn finish(&self) {
        self.0.finish_and_clear();
        self.log_stage("");
    }

    fn log_stage(&self, next: &str) {
        if let Some(lock) = &self.1 {
            if let Ok(mut last) = lock.lock() {
                if !last.0.is_empty() {
                    eprintln!("{:>8.3}s  {}", last.1.elapsed().as_secs_f64(), last.0);
                }
                *last = (next.to_string(), Instant::now());
            }
        }
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        self.log_stage(name);
        self.0.set_message(name.to_string());
        self.0.set_length(total);
        self.0.set_position(0);
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}

fn mapping(columns: &[String]) -> Result<Vec<(Target, Vec<String>)>> {
    columns
        .iter()
        .map(|c| parse_mapping(c).map_err(anyhow::Error::from))
        .collect()
}

/// Timings of each stage, for the summary.
struct Stopwatch(Vec<(&'static str, Duration)>, Instant);

impl Stopwatch {
    fn new() -> Stopwatch {
        Stopwatch(Vec::new(), Instant::now())
    }

    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.0.push((name, now - self.1));
        self.1 = now;
    }
}

/// The columns `hearth link` recognises without `--column`, for `hearth link --help`.
pub fn columns_help() -> String {
    let mut text = String::from(
        "Columns are found by name (case, spaces and hyphens do not matter); other columns \
         are ignored, with a note saying which:\n\n",
    );
    for target in Target::ALL {
        text.push_str(&format!(
            "  {:<11} {}\n",
            target.name(),
            target.aliases().join(", ")
        ));
    }
    text.push_str(
        "\nAn address in parts is joined in the order above (house number, then the lines). \
         Dates of birth may be YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY, YYYY-MM or YYYY.\n\n\
         Each field is compared at a few levels, weighed by a model trained on the data \
         itself: first name (exact, nickname or transliteration, swapped with the surname, \
         similar spelling, initial), surname (exact, transliteration, part of a \
         double-barrelled name, swapped, similar spelling), date of birth (exact, day and \
         month swapped, one typing mistake, partly known, same year), postcode (unit, sector, \
         district, area, one typing mistake), address (exact, same house number and most \
         street words, most words, spelled alike, a shared word) and locality (exact, \
         similar spelling). Agreement on a first name, surname, postcode or locality counts \
         for more when the value is rare in the data.",
    );
    text
}

fn load(path: &Path, mapping: &[(Target, Vec<String>)]) -> Result<Loaded> {
    let loaded = input::read_csv(path, mapping)?;
    if !loaded.ignored.is_empty() {
        eprintln!(
            "{}: columns not used: {} (see `hearth link --help` for the names recognised, or map one with --column FIELD=COLUMN)",
            path.display(),
            loaded.ignored.join(", ")
        );
    }
    if !loaded.absent.is_empty() {
        let names: Vec<&str> = loaded.absent.iter().map(|t| t.name()).collect();
        eprintln!(
            "{}: no column for {}; those fields are treated as missing",
            path.display(),
            names.join(", ")
        );
    }
    Ok(loaded)
}

fn link_files(files: &[PathBuf], options: LinkOptions) -> Result<()> {
    let started = Instant::now();
    let mut watch = Stopwatch::new();
    let bar = Bar::new(options.quiet, options.verbose);
    let map = mapping(&options.columns)?;
    let mut loaded = Vec::new();
    for f in files {
        bar.stage(&format!("reading {}", f.display()), 0);
        loaded.push(load(f, &map)?);
    }
    watch.lap("read");
    report_problems(files, &loaded, &options)?;
    bar.stage("preparing records", 0);
    let dataset = match loaded.as_slice() {
        [one] => Dataset::dedupe(&one.records),
        [a, b] => Dataset::link(&a.records, &b.records),
        _ => bail!("give one file to deduplicate or two to link"),
    };
    drop(loaded);
    if dataset.len() < 2 {
        bail!("there are fewer than two usable records: nothing to link");
    }
    watch.lap("prepare");
    let mut model = match &options.model {
        Some(path) => Model::load(path)?,
        None => Model::untrained(),
    };
    if let Some(c) = options.certain {
        model.thresholds.certain = c;
    }
    if let Some(r) = options.review {
        model.thresholds.review = r;
    }
    model.validate()?;
    if options.model.is_none() {
        let settings = TrainingSettings {
            seed: options.seed,
            max_block: options.max_block,
            ..TrainingSettings::default()
        };
        model = train(&dataset, &model, &settings, &bar);
        watch.lap("train");
    }
    if let Some(path) = &options.train_out {
        model.save(path)?;
    }
    bar.stage("counting term frequencies", 0);
    let scorer = Scorer::new(&model, &dataset.records, dataset.interner.len());
    let settings = RunSettings {
        max_block: options.max_block,
        ..RunSettings::default()
    };
    let outcome = linkage::run(&dataset, &model, &scorer, &settings, &bar);
    watch.lap("score and cluster");
    bar.stage("writing results", 0);
    if let Some(path) = &options.out {
        let file = create(path)?;
        write_matches(
            std::io::BufWriter::new(file),
            &dataset,
            &model,
            &scorer,
            &outcome,
        )?;
    }
    if let Some(path) = &options.clusters {
        let file = create(path)?;
        write_clusters(std::io::BufWriter::new(file), &dataset, &outcome)?;
    }
    watch.lap("write");
    bar.finish();
    summarise(
        &dataset,
        &model,
        &outcome,
        &options,
        &watch,
        started.elapsed(),
    );
    Ok(())
}

fn create(path: &Path) -> Result<std::fs::File> {
    std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))
}

/// Prints problems (all of them when few; otherwise the first and a file with every one).
fn report_problems(files: &[PathBuf], loaded: &[Loaded], options: &LinkOptions) -> Result<()> {
    const SHOWN: usize = 20;
    let all: Vec<(&Path, &RowProblem)> = files
        .iter()
        .zip(loaded)
        .flat_map(|(f, l)| l.problems.iter().map(move |p| (f.as_path(), p)))
        .collect();
    if all.is_empty() {
        return Ok(());
    }
    let rejected = all.iter().filter(|(_, p)| !p.kept).count();
    eprintln!(
        "{} problem rows: {rejected} rejected, {} kept with a value treated as missing",
        all.len(),
        all.len() - rejected
    );
    for (file, p) in all.iter().take(SHOWN) {
        eprintln!("  {}", describe(file, p));
    }
    let target = match (&options.problems, all.len() > SHOWN) {
        (Some(path), _) => Some(path.clone()),
        (None, true) => Some(match &options.out {
            Some(out) => out.with_extension("problems.csv"),
            None => files[0].with_extension("problems.csv"),
        }),
        (None, false) => None,
    };
    if let Some(path) = target {
        let rows: Vec<(String, &RowProblem)> = all
            .iter()
            .map(|(f, p)| (f.display().to_string(), *p))
            .collect();
        write_problems(std::io::BufWriter::new(create(&path)?), &rows)?;
        if all.len() > SHOWN {
            eprintln!(
                "  ... and {} more; every problem is listed in {}",
                all.len() - SHOWN,
                path.display()
            );
        } else {
            eprintln!("  (also written to {})", path.display());
        }
    }
    Ok(())
}

fn describe(file: &Path, p: &RowProblem) -> String {
    let id =
        p.id.as_deref()
            .map(|i| format!(" (id {i})"))
            .unwrap_or_default();
    let verdict = if p.kept { "kept" } else { "rejected" };
    format!("{}:{}{id}: {verdict}: {}", file.display(), p.line, p.reason)
}

fn summarise(
    dataset: &Dataset,
    model: &Model,
    outcome: &Outcome,
    options: &LinkOptions,
    watch: &Stopwatch,
    total: Duration,
) {
    let mut certain = 0usize;
    let mut review = 0usize;
    for m in &outcome.matches {
        match model.class(m.probability()) {
            MatchClass::Certain => certain += 1,
            MatchClass::Review => review += 1,
            MatchClass::NoMatch => {}
        }
    }
    let clusters = outcome.clusters.count();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "Records:          {}", dataset.len());
    let _ = writeln!(out, "Candidate pairs:  {}", outcome.candidate_pairs);
    let _ = writeln!(
        out,
        "Matches:          {} certain (p >= {}), {} to review (p >= {})",
        certain, model.thresholds.certain, review, model.thresholds.review
    );
    let _ = writeln!(
        out,
        "Clusters:         {clusters} ({} records matched to another), {} merges refused for conflicting dates of birth or Jr/Sr",
        dataset.len() - clusters,
        outcome.clusters.refused_merges
    );
    if !outcome.oversized.is_empty() {
        let biggest = outcome
            .oversized
            .iter()
            .map(|b| b.records)
            .max()
            .unwrap_or(0);
        let _ = writeln!(
            out,
            "Skipped blocks:   {} blocks over {} records (largest {biggest}); raise --max-block to compare them",
            outcome.oversized.len(),
            options.max_block
        );
    }
    let laps: Vec<String> = watch
        .0
        .iter()
        .map(|(name, d)| format!("{name} {:.2}s", d.as_secs_f64()))
        .collect();
    let _ = writeln!(
        out,
        "Time:             {:.2}s ({})",
        total.as_secs_f64(),
        laps.join(", ")
    );
    if let Some(p) = &options.out {
        let _ = writeln!(out, "Pairs written to  {}", p.display());
    }
    if let Some(p) = &options.clusters {
        let _ = writeln!(out, "Clusters written to {}", p.display());
    }
    if options.out.is_none() && options.clusters.is_none() {
        let _ = writeln!(
            out,
            "(use --out PAIRS.csv and --clusters CLUSTERS.csv to keep the results)"
        );
    }
}

fn find(
    register: &Path,
    query: PersonRecord,
    limit: usize,
    model: Option<&Path>,
    columns: &[String],
) -> Result<()> {
    let loaded = load(register, &mapping(columns)?)?;
    for p in &loaded.problems {
        eprintln!("{}", describe(register, p));
    }
    let model = match model {
        Some(path) => Model::load(path)?,
        None => {
            let dataset = Dataset::dedupe(&loaded.records);
            train(
                &dataset,
                &Model::untrained(),
                &TrainingSettings::default(),
                &hearth_linkage::progress::Silent,
            )
        }
    };
    let built = Instant::now();
    let index = Register::build(&model, &loaded.records);
    let build_time = built.elapsed();
    let asked = Instant::now();
    let found = index.find(&query, limit, 0.0);
    let search_time = asked.elapsed();
    println!(
        "{} candidates from {} records (index built in {:.0} ms, searched in {:.2} ms)",
        found.len(),
        index.len(),
        build_time.as_secs_f64() * 1000.0,
        search_time.as_secs_f64() * 1000.0
    );
    for c in found {
        println!(
            "{:<12} {:>8.4} {:<8} {}",
            c.id,
            c.explanation.probability,
            c.class.as_str(),
            c.explanation.text
        );
    }
    Ok(())
}
