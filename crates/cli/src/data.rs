//! `hearth data`: partners' data for early identification, from files, and the city demo's
//! synthetic partner files.

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use hearth_app::identification::PartnerFile;
use hearth_app::Hearth;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum DataCommand {
    /// Import a partner's file (CSV, or a spreadsheet: .xlsx or .ods) into a registered
    /// dataset, as a partner data analyst. The first line names the columns (reference,
    /// given_names, family_name, dob, postcode, event, date; upn, nhs_number and attendance
    /// where the feed has them). Rows are matched to the family record; each bad row is listed
    /// with its sheet, line and why. The whole file is one transaction: stopped part-way,
    /// nothing of it is kept.
    Import(ImportArgs),
    /// Write partners' synthetic files for the city demo, made from the city's own people (the
    /// same scale and seed as `hearth demo`) with real files' noise: a term's school attendance
    /// and exclusions (every school-age child) and a quarter's police notifications.
    SyntheticFeeds {
        /// The folder the files are written to.
        #[arg(long)]
        out: PathBuf,
        /// `city` (1.0), `town` (0.1), `village` (0.01) or a number above 0 and at most 2.
        #[arg(long, default_value = "city", value_parser = super::parse_scale)]
        scale: f64,
        /// The city's seed, as given to `hearth demo`.
        #[arg(long, default_value_t = super::DEMO_SEED)]
        seed: u64,
        /// The day the files are made, as YYYY-MM-DD (default: today).
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
}

#[derive(Args)]
pub struct ImportArgs {
    /// The dataset's code, as registered.
    #[arg(long)]
    dataset: String,
    /// The email of the partner data analyst the import is recorded as.
    #[arg(long = "as")]
    analyst: String,
    /// The spreadsheet's sheet to read; the first one when not given.
    #[arg(long)]
    sheet: Option<String>,
    file: PathBuf,
}

/// Of the city's people, the share police notifications are about in a quarter.
const POLICE_SHARE: f64 = 0.03;
/// Of the city's adults, the share with a housing event in a quarter (arrears mostly).
const HOUSING_SHARE: f64 = 0.02;
/// Of the city's children under five, the share a health visitor saw in a quarter.
const HEALTH_VISITING_SHARE: f64 = 0.9;
/// Of the city's working-age adults, the share recorded as workless in a quarter.
const BENEFITS_SHARE: f64 = 0.05;
/// Of the city's 10 to 17 year olds, the share with a youth justice outcome in half a year.
const YOUTH_JUSTICE_SHARE: f64 = 0.02;

/// Writes partners' synthetic files for the city into `out`.
pub fn synthetic_feeds(out: &Path, scale: f64, seed: u64, today: chrono::NaiveDate) -> Result<()> {
    use hearth_synthetic::partner_feeds::{
        benefits, health_visiting, housing, police_notifications, school_census, youth_justice,
    };
    let people = hearth_synthetic::city::people(scale, seed)?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot make {}", out.display()))?;
    for (name, text) in [
        (
            format!("attendance-{today}.csv"),
            school_census(&people, 1.0, seed ^ 1, today),
        ),
        (
            format!("police-{today}.csv"),
            police_notifications(&people, POLICE_SHARE, seed ^ 2, today),
        ),
        (
            format!("housing-{today}.csv"),
            housing(&people, HOUSING_SHARE, seed ^ 3, today),
        ),
        (
            format!("health-visiting-{today}.csv"),
            health_visiting(&people, HEALTH_VISITING_SHARE, seed ^ 4, today),
        ),
        (
            format!("benefits-{today}.csv"),
            benefits(&people, BENEFITS_SHARE, seed ^ 5, today),
        ),
        (
            format!("youth-justice-{today}.csv"),
            youth_justice(&people, YOUTH_JUSTICE_SHARE, seed ^ 6, today),
        ),
    ] {
        let path = out.join(name);
        std::fs::write(&path, &text).with_context(|| format!("cannot write {}", path.display()))?;
        println!("{}: {} rows", path.display(), text.lines().count() - 1);
    }
    Ok(())
}

/// Imports a partner's file; false when rows or the file were refused.
pub async fn import(hearth: &Hearth, args: ImportArgs) -> Result<bool> {
    let ImportArgs {
        dataset,
        analyst,
        sheet,
        file,
    } = args;
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.display().to_string();
    let partner_file = PartnerFile {
        name: &name,
        bytes: &bytes,
        sheet: sheet.as_deref(),
    };
    let report = hearth
        .import_partner_data_as(&analyst, &dataset, &partner_file)
        .await
        .map_err(super::describe)?;
    for p in &report.problems {
        eprintln!("{}: {}", p.place(), p.reason);
    }
    let c = &report.counts;
    println!(
        "{}: {} rows read; {} matched, {} for review, {} unmatched, {} not imported.",
        report.dataset, c.rows_read, c.matched, c.for_review, c.unmatched, c.rejected
    );
    if report.removed > 0 {
        println!(
            "{} unmatched rows removed: their datasets' retention had ended.",
            report.removed
        );
    }
    Ok(report.problems.is_empty())
}
