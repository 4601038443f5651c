//! A watched folder per dataset (`<partner_drop_dir>/<code>/`) where partners drop files.
//! Each round picks up the files that have settled, imports each once (known by its content's
//! hash: the same file dropped twice is imported once) as the dataset's owner analyst, audited,
//! and moves it to `done/` or `rejected/` with a report beside it naming every bad row. The
//! drop is recorded in the import's own transaction, so a file whose import was killed
//! part-way is still in the folder and is imported, once, by a later round.

use super::files::PartnerFile;
use super::imports::{ImportReport, Tracking};
use crate::{Actor, AppError, Hearth, Origin};
use chrono::{DateTime, Utc};
use hearth_store::accounts::users;
use hearth_store::identification::datasets::{self, Dataset};
use hearth_store::identification::drops;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A file changed more recently than this may still be being written: it waits a round.
const SETTLING: Duration = Duration::from_secs(2);

/// What a round did with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dropped {
    /// Imported; moved to `done/`.
    Imported { file: PathBuf, report: ImportReport },
    /// The same file was imported before; moved to `done/` without importing it again.
    AlreadyImported { file: PathBuf },
    /// Refused whole (why); moved to `rejected/`.
    Refused { file: PathBuf, why: String },
}

/// The files waiting in a folder, oldest name first: not hidden, not being written.
fn waiting(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let now = SystemTime::now();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let settled = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= SETTLING);
        if meta.is_file() && !hidden && settled {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

/// Moves `file` into `folder` (made if need be) with the time in front of its name, and writes
/// `report` beside it; the path it is now at.
fn file_away(
    file: &Path,
    folder: &Path,
    at: DateTime<Utc>,
    report: &str,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(folder)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let to = folder.join(format!("{}-{name}", at.format("%Y%m%dT%H%M%S%.3f")));
    std::fs::rename(file, &to)?;
    let mut report_path = to.clone().into_os_string();
    report_path.push(".report.txt");
    std::fs::write(report_path, report)?;
    Ok(to)
}

/// The report written beside an imported file.
fn imported_report(name: &str, r: &ImportReport) -> String {
    let c = &r.counts;
    let mut out = format!(
        "{name}: imported into {}.\n{} rows read: {} matched, {} for review, {} unmatched, {} not imported.\n",
        r.dataset, c.rows_read, c.matched, c.for_review, c.unmatched, c.rejected
    );
    if !r.problems.is_empty() {
        out.push_str("\nRows not imported:\n");
        for p in &r.problems {
            out.push_str(&format!("{}: {}\n", p.place(), p.reason));
        }
    }
    out
}

impl Hearth {
    /// One round over every dataset's watched folder under `root`: each settled file imported
    /// once and filed away with its report. A file that could not be dealt with for a reason
    /// of the moment (the database busy) stays for the next round.
    pub async fn watch_partner_folders(&self, root: &Path) -> Result<Vec<Dropped>, AppError> {
        let mut conn = self.store.read().await?;
        let all = datasets::list(&mut conn).await?;
        drop(conn);
        let mut out = Vec::new();
        for dataset in all {
            let folder = root.join(&dataset.code);
            // Made on first sight, so partners know where to drop their files.
            for sub in ["", "done", "rejected"] {
                std::fs::create_dir_all(folder.join(sub))
                    .map_err(|e| AppError::Internal(format!("{}: {e}", folder.display())))?;
            }
            let files = waiting(&folder)
                .map_err(|e| AppError::Internal(format!("{}: {e}", folder.display())))?;
            for file in files {
                match self.take_dropped(&dataset, &folder, &file).await {
                    Ok(d) => out.push(d),
                    Err(e) => {
                        tracing::warn!(error = %e, file = %file.display(), "a dropped file waits for the next round")
                    }
                }
            }
        }
        Ok(out)
    }

    async fn take_dropped(
        &self,
        dataset: &Dataset,
        folder: &Path,
        file: &Path,
    ) -> Result<Dropped, AppError> {
        let io = |e: std::io::Error| AppError::Internal(format!("{}: {e}", file.display()));
        let bytes = std::fs::read(file).map_err(io)?;
        let hash = hex::encode(Sha256::digest(&bytes));
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut conn = self.store.read().await?;
        let owner = datasets::registered_by(&mut conn, dataset.id).await?;
        let user = users::get(&mut conn, owner).await?;
        drop(conn);
        let actor = Actor::from_user(user, String::new(), String::new(), Origin::default());
        // The owner analyst's roles are checked as if they imported it themselves (audited).
        let desk = match self.gate.matching_desk(&self.viewer(&actor)).await {
            Ok(desk) => desk,
            Err(e) => {
                let why = format!(
                    "{name}: {} ({}), who registered the dataset, may no longer import partners' data; ask an administrator",
                    actor.display_name, actor.email
                );
                let to = file_away(file, &folder.join("rejected"), self.now(), &why).map_err(io)?;
                tracing::warn!(error = %AppError::from(e), "a dropped file was refused");
                return Ok(Dropped::Refused { file: to, why });
            }
        };
        let mut conn = self.store.read().await?;
        let seen = drops::seen(&mut conn, &desk, dataset.id, &hash).await?;
        drop(conn);
        if let Some((first, at)) = seen {
            let report = format!(
                "{name}: the same file ({first}) was imported on {}; not imported again.\n",
                at.format("%d/%m/%Y at %H:%M")
            );
            let to = file_away(file, &folder.join("done"), self.now(), &report).map_err(io)?;
            return Ok(Dropped::AlreadyImported { file: to });
        }
        let source = format!("watched folder: {name}");
        let partner_file = PartnerFile {
            name: &source,
            bytes: &bytes,
            sheet: None,
        };
        let ready = match self.ready_import(&dataset.code, &partner_file).await {
            Ok(ready) => ready,
            Err(AppError::Invalid(errors)) => {
                let why = errors.iter().map(|(_, m)| m).collect::<Vec<_>>().join("\n");
                let report = format!("{name}: not imported.\n{why}\n");
                let to =
                    file_away(file, &folder.join("rejected"), self.now(), &report).map_err(io)?;
                return Ok(Dropped::Refused { file: to, why });
            }
            Err(e) => return Err(e),
        };
        let report = self
            .keep_import(&actor, &desk, ready, Tracking::Drop(&hash))
            .await?;
        let to = file_away(
            file,
            &folder.join("done"),
            self.now(),
            &imported_report(&name, &report),
        )
        .map_err(io)?;
        Ok(Dropped::Imported { file: to, report })
    }
}
