//! `hearth hubs`: Family Hubs' reference data from files.

use anyhow::{Context, Result};
use clap::Subcommand;
use hearth_app::hubs::PopulationImport;
use hearth_app::Hearth;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum HubsCommand {
    /// The wards' under-fives populations the reach report divides by.
    Population {
        #[command(subcommand)]
        command: PopulationCommand,
    },
}

#[derive(Subcommand)]
pub enum PopulationCommand {
    /// Import each ward's under-fives population and the Family Hub whose area it is in, from
    /// a CSV file whose first line names the columns ward, hub and under_fives. A file with
    /// any bad row imports nothing; each bad row is listed with its line and why.
    Import { file: PathBuf },
}

/// Runs the command; false when the file was refused.
pub async fn run(hearth: &Hearth, command: HubsCommand) -> Result<bool> {
    let HubsCommand::Population {
        command: PopulationCommand::Import { file },
    } = command;
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    match hearth
        .import_ward_populations_file(&file.display().to_string(), &text)
        .await
        .map_err(super::describe)?
    {
        PopulationImport::Imported(n) => {
            println!("Wards' populations: {n} imported.");
            Ok(true)
        }
        PopulationImport::Refused(problems) => {
            for p in &problems {
                eprintln!("line {}: {}", p.line, p.reason);
            }
            eprintln!(
                "Nothing imported: {} bad rows in {}.",
                problems.len(),
                file.display()
            );
            Ok(false)
        }
    }
}
