//! `hearth backup` and `hearth restore` for the embedded SQLite database. PostgreSQL has its
//! own tools (pg_dump and pg_restore, or base backups with WAL archiving for point-in-time
//! recovery), described in docs/operations.md.

use crate::audit::{read_anchors, write_anchor};
use crate::settings::Settings;
use anyhow::{bail, Context, Result};
use hearth_app::{Engine, Hearth, Policies, Store};
use hearth_domain::audit::Anchor;
use std::path::{Path, PathBuf};

/// Copies the database to `file` while Hearth keeps serving: one consistent moment, every
/// committed write up to it. The audit key and anchors are not in it: keep them apart.
pub async fn backup(settings: &Settings, file: &Path) -> Result<()> {
    if file.exists() {
        bail!(
            "{} exists already: choose a new file name, so no backup is overwritten",
            file.display()
        );
    }
    let store = Store::connect(&settings.database_url(), 2)
        .await
        .context("cannot open the database (check DATABASE_URL)")?;
    if store.engine() != Engine::Sqlite {
        bail!("this database is PostgreSQL: back it up with pg_dump (see docs/operations.md)");
    }
    store
        .backup_into(file)
        .await
        .with_context(|| format!("the backup to {} failed", file.display()))?;
    store.close().await;
    let head = inspect(file).await?;
    println!(
        "Backed up to {} ({} bytes; the audit log to event {}). Keep the audit key elsewhere: the backup cannot be verified without it.",
        file.display(),
        std::fs::metadata(file)?.len(),
        head.seq
    );
    Ok(())
}

/// Checks a backup is a sound SQLite database with Hearth's tables in it, and reads the head
/// of its audit log.
async fn inspect(file: &Path) -> Result<Anchor> {
    if !file.is_file() {
        bail!("there is no backup at {}", file.display());
    }
    let store = Store::connect(&format!("sqlite://{}", file.display()), 1)
        .await
        .with_context(|| format!("{} is not a SQLite database", file.display()))?;
    if let Some(problems) = store.integrity_problems().await? {
        bail!("{} is damaged: {problems}", file.display());
    }
    if !store.is_ready().await {
        bail!(
            "{} is not a Hearth database of this version (its migrations are missing or newer)",
            file.display()
        );
    }
    let head = Hearth::new(store.clone(), Policies::default())
        .audit_anchor()
        .await
        .map_err(|e| anyhow::anyhow!("the audit log in {} cannot be read: {e}", file.display()));
    store.close().await;
    head
}

/// Puts a backup in place of the database. Hearth must be stopped. The database it replaces
/// is kept beside it, and the anchors are rebased ([`rebase_anchors`]).
pub async fn restore(settings: &Settings, file: &Path) -> Result<()> {
    let url = settings.database_url();
    let Some(target) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        bail!("this database is PostgreSQL: restore it with pg_restore (see docs/operations.md)");
    };
    let target = PathBuf::from(target.split('?').next().unwrap_or(target));
    let head = inspect(file).await?;

    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    // Copied next to the database first, so the switch is one rename on the same disk.
    let incoming = target.with_extension("restoring");
    std::fs::copy(file, &incoming)
        .with_context(|| format!("cannot copy {} to {}", file.display(), incoming.display()))?;
    std::fs::File::open(&incoming)?.sync_all()?;
    if target.exists() {
        let kept = aside(&target, "before-restore");
        std::fs::rename(&target, &kept)?;
        println!("The database it replaces is kept as {}.", kept.display());
    }
    // The old database's write-ahead log belongs to it, never to the restored one.
    for suffix in ["-wal", "-shm"] {
        let mut side = target.as_os_str().to_owned();
        side.push(suffix);
        match std::fs::remove_file(PathBuf::from(side)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    std::fs::rename(&incoming, &target)?;

    println!(
        "Restored {} to {} (the audit log to event {}).",
        file.display(),
        target.display(),
        head.seq
    );
    rebase_anchors(settings, &head)?;
    println!("Check it with `hearth audit verify` before starting Hearth.");
    Ok(())
}

/// After a restore to an earlier moment: the anchors file is kept aside whole, and the new one
/// holds the anchors the restored log reaches and its head. Anchors of later events record
/// what was lost between the backup and the restore; `hearth audit verify` checks the restored
/// log against all the others.
pub fn rebase_anchors(settings: &Settings, head: &Anchor) -> Result<()> {
    let file = settings.audit_anchor_file();
    let anchors = read_anchors(&file)?;
    let later = anchors.iter().filter(|a| a.seq > head.seq).count();
    if later == 0 && anchors.last().is_some_and(|a| a.seq == head.seq) {
        println!("The anchors file already ends at event {}.", head.seq);
        return Ok(());
    }
    let kept = aside(&file, "before-restore");
    if file.exists() {
        std::fs::rename(&file, &kept)?;
    }
    for a in anchors.iter().filter(|a| a.seq <= head.seq) {
        write_anchor(&file, a)?;
    }
    if anchors.iter().all(|a| a.seq < head.seq) {
        write_anchor(&file, head)?;
    }
    println!(
        "Anchors rebased to event {}; {later} anchors of later events are kept in {}.",
        head.seq,
        kept.display()
    );
    Ok(())
}

/// `file.<what>-<time>`: where a file is kept when something takes its place.
fn aside(file: &Path, what: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(format!(
        ".{what}-{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
    ));
    PathBuf::from(name)
}
