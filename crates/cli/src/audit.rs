//! The audit key and the anchors: the two things about the audit log kept outside the
//! database, so that write access to the database is not enough to rewrite the log unseen.

use crate::settings::Settings;
use anyhow::{Context, Result};
use hearth_app::Hearth;
use hearth_domain::audit::{Anchor, AuditKey, AuditKeyRing, AUDIT_KEY_MIN_BYTES};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Loads the audit keys and installs them for this process: the current key from
/// `HEARTH_AUDIT_KEY`, else `audit_key_file`, else `data_dir/audit.key` (made, with a new
/// random key, when there is none yet); retired keys from `audit_retired_key_files`.
pub fn install_keys(settings: &Settings) -> Result<()> {
    let current = match std::env::var("HEARTH_AUDIT_KEY")
        .ok()
        .filter(|k| !k.trim().is_empty())
    {
        Some(hex) => {
            AuditKey::from_hex(&hex).map_err(|e| anyhow::anyhow!("HEARTH_AUDIT_KEY: {e}"))?
        }
        None => match &settings.audit_key_file {
            Some(file) => read_key(file)?,
            None => {
                let file = settings.data_dir.join("audit.key");
                if file.exists() {
                    read_key(&file)?
                } else {
                    make_key(&file)?
                }
            }
        },
    };
    let retired = settings
        .audit_retired_key_files
        .iter()
        .map(|f| read_key(f))
        .collect::<Result<Vec<_>>>()?;
    hearth_app::install_audit_keys(AuditKeyRing::new(current, retired))
        .context("the audit key could not be installed")?;
    Ok(())
}

fn read_key(file: &Path) -> Result<AuditKey> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the audit key file {}", file.display()))?;
    AuditKey::from_hex(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))
}

/// Writes a new random key readable by this user only. Never logs the key itself.
fn make_key(file: &Path) -> Result<AuditKey> {
    let secret: [u8; AUDIT_KEY_MIN_BYTES] = rand::random();
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options
        .open(file)
        .with_context(|| format!("cannot create the audit key file {}", file.display()))?;
    writeln!(f, "{}", hex::encode(secret))?;
    f.sync_all()?;
    let key = AuditKey::new(&secret).map_err(anyhow::Error::msg)?;
    tracing::warn!(
        file = %file.display(),
        key_id = key.id(),
        "made a new audit key: keep a copy of this file safe and apart from the database backups; without it the audit log cannot be verified"
    );
    Ok(key)
}

/// The anchors written so far, in file order; none when the file does not exist yet.
pub fn read_anchors(file: &Path) -> Result<Vec<Anchor>> {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(e)
                .with_context(|| format!("cannot read the anchors file {}", file.display()))
        }
    };
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            Anchor::parse(line).map_err(|e| {
                anyhow::anyhow!(
                    "line {} of the anchors file {} cannot be read ({e}): the file was edited",
                    i + 1,
                    file.display()
                )
            })
        })
        .collect()
}

/// Writes the head outside the database: a line appended to the anchors file (synced, so a
/// crash does not lose it) and a log line, which a log collector keeps elsewhere again.
pub fn write_anchor(file: &Path, anchor: &Anchor) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(file)
        .with_context(|| format!("cannot open the anchors file {}", file.display()))?;
    writeln!(f, "{}", anchor.to_line())?;
    f.sync_data()?;
    tracing::info!(
        audit_anchor_seq = anchor.seq,
        audit_anchor_hash = %anchor.hash,
        audit_anchor_key = anchor.key_id.as_deref().unwrap_or("-"),
        "audit chain anchored"
    );
    Ok(())
}

/// Writes anchors of the chain's head while serving: at start, every so many events or
/// minutes, and at shutdown. It reads the head with a plain query now and then (cheap, and it
/// sees every instance's events) so that appending an event stays as it was.
pub struct Anchoring {
    hearth: Hearth,
    file: PathBuf,
    every_events: i64,
    every: Duration,
    last_seq: Option<i64>,
    last_at: Instant,
}

/// How often the head is looked at.
const LOOK_EVERY: Duration = Duration::from_secs(5);

impl Anchoring {
    pub fn new(hearth: Hearth, settings: &Settings) -> Result<Self> {
        let file = settings.audit_anchor_file();
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        }
        let last_seq = read_anchors(&file)?.last().map(|a| a.seq);
        Ok(Self {
            hearth,
            file,
            every_events: settings.audit_anchor_every_events,
            every: Duration::from_secs(settings.audit_anchor_every_minutes.saturating_mul(60)),
            last_seq,
            last_at: Instant::now(),
        })
    }

    /// Anchors the head if it moved and `due` says so.
    async fn anchor_if(&mut self, due: impl Fn(i64, Duration) -> bool) -> Result<()> {
        let head = self
            .hearth
            .audit_anchor()
            .await
            .map_err(|e| anyhow::anyhow!("cannot read the audit head: {e}"))?;
        let new_events = head.seq - self.last_seq.unwrap_or(-1);
        if new_events > 0 && due(new_events, self.last_at.elapsed()) {
            write_anchor(&self.file, &head)?;
            self.last_seq = Some(head.seq);
            self.last_at = Instant::now();
        } else if new_events < 0 {
            tracing::error!(
                head = head.seq,
                anchored = self.last_seq,
                "the audit log ends before its last anchor: run `hearth audit verify`"
            );
        }
        Ok(())
    }

    /// Anchors the head now (at start and at shutdown) if it moved since the last anchor.
    pub async fn now(&mut self) -> Result<()> {
        self.anchor_if(|_, _| true).await
    }

    /// Runs until the process ends, anchoring when enough events or time have passed.
    pub fn spawn(mut self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(LOOK_EVERY);
            loop {
                tick.tick().await;
                let (events, every) = (self.every_events, self.every);
                if let Err(e) = self
                    .anchor_if(|new, since| new >= events || since >= every)
                    .await
                {
                    tracing::warn!(error = %e, "could not anchor the audit chain");
                }
            }
        })
    }
}

/// `hearth audit verify`: the chain with the keys, against the anchors.
pub async fn verify(hearth: &Hearth, settings: &Settings) -> Result<bool> {
    let file = settings.audit_anchor_file();
    let anchors = read_anchors(&file)?;
    let count = anchors.len();
    match hearth
        .verify_audit(anchors)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        hearth_app::records::Verification::Intact { events } => {
            println!(
                "Audit log intact: {events} events verified, against {count} anchors in {}.",
                file.display()
            );
            Ok(true)
        }
        hearth_app::records::Verification::Broken(at) => {
            eprintln!("Audit log BROKEN: {at}");
            Ok(false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_key_file_is_private_and_reads_back_as_the_same_key() {
        let dir = std::env::temp_dir().join(format!("hearth-key-{}", uuid::Uuid::new_v4()));
        let file = dir.join("audit.key");
        let made = make_key(&file).expect("make");
        assert_eq!(read_key(&file).expect("read").id(), made.id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Never overwritten: a second key would orphan every event signed with the first.
        assert!(make_key(&file).is_err());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn an_edited_anchors_file_is_refused_naming_the_line() {
        let dir = std::env::temp_dir().join(format!("hearth-anchors-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("audit-anchors.log");
        assert!(read_anchors(&file).expect("no file yet").is_empty());
        let a = Anchor {
            seq: 3,
            hash: "ab".repeat(32),
            key_id: Some("0123abcd".into()),
            at: chrono::Utc::now(),
        };
        write_anchor(&file, &a).expect("write");
        assert_eq!(read_anchors(&file).expect("read").len(), 1);
        std::fs::write(&file, format!("{}\nnot an anchor\n", a.to_line())).expect("edit");
        let err = read_anchors(&file).unwrap_err().to_string();
        assert!(err.contains("line 2"), "{err}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
