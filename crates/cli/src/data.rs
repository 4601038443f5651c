//! `hearth data`: partners' data for early identification, from files.

use anyhow::{Context, Result};
use clap::Subcommand;
use hearth_app::Hearth;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum DataCommand {
    /// Import a partner's CSV file into a registered dataset, as a partner data analyst. The
    /// first line names the columns (reference, given_names, family_name, dob, postcode,
    /// event, date; upn, nhs_number and attendance where the feed has them). Rows are matched
    /// to the family record; each bad row is listed with its line and why. The whole file is
    /// one transaction: stopped part-way, nothing of it is kept.
    Import {
        /// The dataset's code, as registered.
        #[arg(long)]
        dataset: String,
        /// The email of the partner data analyst the import is recorded as.
        #[arg(long = "as")]
        analyst: String,
        file: PathBuf,
    },
}

/// Runs the command; false when the file was refused.
pub async fn run(hearth: &Hearth, command: DataCommand) -> Result<bool> {
    let DataCommand::Import {
        dataset,
        analyst,
        file,
    } = command;
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let report = hearth
        .import_partner_data_as(&analyst, &dataset, &file.display().to_string(), &text)
        .await
        .map_err(super::describe)?;
    for p in &report.problems {
        eprintln!("line {}: {}", p.line, p.reason);
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
