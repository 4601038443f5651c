//! `hearth care`: children in care from files — a 903 return from the social care system.

use anyhow::{Context, Result};
use clap::Subcommand;
use hearth_app::care::ReturnFile;
use hearth_app::Hearth;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum CareCommand {
    /// Import a 903 return (the children looked after return) from the social care system, as
    /// a placements officer, so the partnership starts from its own data (ADR 0055). DIR holds
    /// the return's CSV files — Header and Episodes, with UASC and OC3 where present — of one
    /// or more years, each year's in a folder named by it (2026 or 2025-26). Each child is
    /// matched to a person by a CHILD imported before, by UPN, else by FORENAME and SURNAME
    /// columns the authority adds to the Header (with DOB, SEX and POSTCODE or HOME_POST).
    /// Certain matches are imported, a child at a time; the rest are listed to resolve, and
    /// each row not taken with its file, line and why. Importing again changes nothing.
    #[command(name = "import-903")]
    Import903 {
        /// The email of the placements officer the import is recorded as.
        #[arg(long = "as")]
        officer: String,
        dir: PathBuf,
    },
}

/// Every CSV file under `dir` (and its folders), named by its path from `dir`.
fn csv_files(dir: &Path, under: &Path, out: &mut Vec<ReturnFile>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the folder {}", dir.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        if path.is_dir() {
            csv_files(&path, under, out)?;
        } else if path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("csv"))
        {
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let name = path
                .strip_prefix(under)
                .unwrap_or(&path)
                .display()
                .to_string();
            out.push(ReturnFile { name, bytes });
        }
    }
    Ok(())
}

/// Runs the command; false when any child was left to resolve or any row was not taken.
pub async fn run(hearth: &Hearth, command: CareCommand) -> Result<bool> {
    let CareCommand::Import903 { officer, dir } = command;
    let mut files = Vec::new();
    csv_files(&dir, &dir, &mut files)?;
    let report = hearth
        .import_ssda903_as(&officer, &files)
        .await
        .map_err(super::describe)?;
    for r in &report.rejected {
        eprintln!(
            "{} line {}{}: {}",
            r.file,
            r.line,
            r.child
                .as_deref()
                .map(|c| format!(" (CHILD {c})"))
                .unwrap_or_default(),
            r.reason
        );
    }
    for u in &report.unresolved {
        eprintln!(
            "CHILD {}{}: {}",
            u.child,
            u.born
                .map(|b| format!(", born {}", b.format("%d/%m/%Y")))
                .unwrap_or_default(),
            u.why
        );
    }
    let made = |f: fn(&hearth_app::care::Saved) -> u64| {
        report.imported.iter().map(|l| f(&l.saved)).sum::<u64>()
    };
    println!(
        "903 return: {} files. Children imported: {} ({} already in the record). To resolve: {}. Rows not taken: {}. Made {} periods of care, {} placements, {} homes.",
        files.len(),
        report.imported.len(),
        report.unchanged(),
        report.unresolved.len(),
        report.rejected.len(),
        made(|s| s.periods),
        made(|s| s.placements),
        made(|s| s.homes),
    );
    Ok(report.rejected.is_empty() && report.unresolved.is_empty())
}
