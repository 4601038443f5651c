//! Configuration: defaults, then a TOML file, then `HEARTH_*` environment variables (and
//! `DATABASE_URL`), then command-line flags. Secrets are never printed.

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

#[derive(Clone, Serialize, Deserialize)]
pub struct Settings {
    /// Address to listen on.
    pub listen: String,
    /// `sqlite://…` or `postgres://…`; SQLite under `data_dir` when unset.
    pub database_url: Option<String>,
    /// Where the embedded SQLite database lives.
    pub data_dir: PathBuf,
    /// The partnership's name, shown on every page.
    pub partnership_name: String,
    /// The address users reach Hearth at; `https://…` turns on Secure cookies and HSTS.
    pub public_url: Option<String>,
    /// Trust `X-Forwarded-For` from a reverse proxy.
    pub trust_proxy: bool,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub lockout_max_failures: u32,
    pub lockout_minutes: i64,
    pub db_max_connections: u32,
    /// Requests worked on at once; more wait for a turn (see `max_queue_wait_ms`).
    pub max_in_flight: usize,
    /// How long a request may wait for a turn before it is answered "busy, try again"
    /// (503 with `Retry-After`) rather than left queueing.
    pub max_queue_wait_ms: u64,
    /// The team (by name) that takes Targeted Family Help from the core service.
    pub targeted_core_team: String,
    /// The team (by name) that takes Targeted Family Help for adolescents.
    pub targeted_adolescence_team: String,
    /// The team a step-up to children's social care goes to.
    pub social_care_team: String,
    /// Days from an episode's start by which its assessment is due.
    pub assessment_due_days: i64,
    /// Weeks between Team Around the Family reviews unless the team chooses a date.
    pub review_interval_weeks: i64,
    /// The file holding the audit key (64 hex digits). Unset: `HEARTH_AUDIT_KEY`, else
    /// `data_dir/audit.key`, made on first use.
    pub audit_key_file: Option<PathBuf>,
    /// Files holding keys retired by a rotation, still needed to verify older events.
    pub audit_retired_key_files: Vec<PathBuf>,
    /// The append-only file the head of the audit chain is written to; unset:
    /// `data_dir/audit-anchors.log`.
    pub audit_anchor_file: Option<PathBuf>,
    /// Anchor the head after this many new events…
    pub audit_anchor_every_events: i64,
    /// …or this many minutes after the last anchor, if any event came since.
    pub audit_anchor_every_minutes: u64,
    /// `text` or `json`.
    pub log_format: String,
    /// A tracing filter, e.g. `info` or `hearth=debug,info`.
    pub log: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            database_url: None,
            data_dir: PathBuf::from("hearth-data"),
            partnership_name: "Family Help Partnership".into(),
            public_url: None,
            trust_proxy: false,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            lockout_max_failures: 5,
            lockout_minutes: 15,
            db_max_connections: 16,
            max_in_flight: 32,
            max_queue_wait_ms: 2000,
            targeted_core_team: "Targeted Family Help core team".into(),
            targeted_adolescence_team: "Adolescence Service".into(),
            social_care_team: "Children's social care".into(),
            assessment_due_days: 45,
            review_interval_weeks: 6,
            audit_key_file: None,
            audit_retired_key_files: Vec::new(),
            audit_anchor_file: None,
            audit_anchor_every_events: 1000,
            audit_anchor_every_minutes: 10,
            log_format: "text".into(),
            log: "info".into(),
        }
    }
}

/// Hides a password in a database URL.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:****{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field("data_dir", &self.data_dir)
            .field("partnership_name", &self.partnership_name)
            .field("public_url", &self.public_url)
            .field("trust_proxy", &self.trust_proxy)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_absolute_hours", &self.session_absolute_hours)
            .field("lockout_max_failures", &self.lockout_max_failures)
            .field("lockout_minutes", &self.lockout_minutes)
            .field("db_max_connections", &self.db_max_connections)
            .field("max_in_flight", &self.max_in_flight)
            .field("max_queue_wait_ms", &self.max_queue_wait_ms)
            .field("targeted_core_team", &self.targeted_core_team)
            .field("targeted_adolescence_team", &self.targeted_adolescence_team)
            .field("social_care_team", &self.social_care_team)
            .field("assessment_due_days", &self.assessment_due_days)
            .field("review_interval_weeks", &self.review_interval_weeks)
            .field("audit_key_file", &self.audit_key_file)
            .field("audit_retired_key_files", &self.audit_retired_key_files)
            .field("audit_anchor_file", &self.audit_anchor_file)
            .field("audit_anchor_every_events", &self.audit_anchor_every_events)
            .field(
                "audit_anchor_every_minutes",
                &self.audit_anchor_every_minutes,
            )
            .field("log_format", &self.log_format)
            .finish()
    }
}

impl Settings {
    /// Reads the configuration file (if any) and the environment.
    pub fn load(config_file: Option<PathBuf>) -> Result<Self, Box<figment::Error>> {
        let file = config_file.unwrap_or_else(|| PathBuf::from("hearth.toml"));
        let mut settings: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("HEARTH_").ignore(&[
                "DEMO_PASSWORD",
                "CONFIG",
                "TEST_POSTGRES",
                "NEW_USER_PASSWORD",
                // A secret, read on its own and never part of the printed settings.
                "AUDIT_KEY",
            ]))
            .extract()
            .map_err(Box::new)?;
        if let Ok(url) = std::env::var("DATABASE_URL") {
            if !url.trim().is_empty() {
                settings.database_url = Some(url);
            }
        }
        Ok(settings)
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("hearth.db").display()))
    }

    pub fn audit_anchor_file(&self) -> PathBuf {
        self.audit_anchor_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("audit-anchors.log"))
    }

    pub fn secure(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    /// Checks values a person may have mistyped, naming the setting to fix.
    pub fn check(&self) -> Result<(), String> {
        if self.session_idle_minutes < 1 || self.session_absolute_hours < 1 {
            return Err(
                "session_idle_minutes and session_absolute_hours must be at least 1".into(),
            );
        }
        if self.lockout_max_failures < 1 || self.lockout_minutes < 1 {
            return Err("lockout_max_failures and lockout_minutes must be at least 1".into());
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(format!(
                "log_format must be text or json, not {:?}",
                self.log_format
            ));
        }
        if self.assessment_due_days < 1 || self.review_interval_weeks < 1 {
            return Err("assessment_due_days and review_interval_weeks must be at least 1".into());
        }
        if self.db_max_connections < 1 {
            return Err("db_max_connections must be at least 1".into());
        }
        if self.max_in_flight < 1 {
            return Err("max_in_flight must be at least 1".into());
        }
        if self.audit_anchor_every_events < 1 || self.audit_anchor_every_minutes < 1 {
            return Err(
                "audit_anchor_every_events and audit_anchor_every_minutes must be at least 1"
                    .into(),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_database_urls_are_hidden() {
        assert_eq!(
            redact_url("postgres://hearth:s3cret@db.internal:5432/hearth"),
            "postgres://hearth:****@db.internal:5432/hearth"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        let s = Settings {
            database_url: Some("postgres://u:pw@h/db".into()),
            ..Settings::default()
        };
        assert!(!format!("{s:?}").contains("pw"));
    }

    #[test]
    fn a_server_that_could_take_no_request_is_refused_naming_the_setting() {
        let s = Settings {
            max_in_flight: 0,
            ..Settings::default()
        };
        assert_eq!(s.check(), Err("max_in_flight must be at least 1".into()));
        assert_eq!(Settings::default().check(), Ok(()));
    }

    #[test]
    fn sqlite_under_the_data_folder_is_the_default() {
        assert_eq!(
            Settings::default().database_url(),
            "sqlite://hearth-data/hearth.db"
        );
    }
}
