//! Fresh databases for a run: a SQLite file in its own temp folder, or a new PostgreSQL
//! database `hearth_bench_<pid>` on the test server. Both are removed at the end unless the
//! run asks to keep them (to measure again without reseeding).

use anyhow::Context;
use hearth_store::Store;
use sqlx::{Connection, Executor};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn label(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }
}

/// Where a run's database lives and how to remove it.
pub enum Location {
    Sqlite {
        dir: PathBuf,
    },
    Postgres {
        admin_url: String,
        name: String,
    },
    /// A database given on the command line: never created or dropped here.
    Existing,
}

pub struct Database {
    pub url: String,
    pub store: Store,
    pub location: Location,
}

/// Connections in the pool: the use case holds one for reads and takes another to write
/// the audit event, so two are needed; four matches the application's small deployments.
const POOL: u32 = 4;

pub async fn create(engine: Engine, admin_url: &str) -> anyhow::Result<Database> {
    let pid = std::process::id();
    let (url, location) = match engine {
        Engine::Sqlite => {
            let dir = std::env::temp_dir().join(format!("hearth-bench-{pid}"));
            std::fs::create_dir_all(&dir).with_context(|| format!("create {}", dir.display()))?;
            let path = dir.join("bench.db");
            (
                format!("sqlite://{}", path.display()),
                Location::Sqlite { dir },
            )
        }
        Engine::Postgres => {
            let name = format!("hearth_bench_{pid}");
            let mut admin = sqlx::PgConnection::connect(admin_url)
                .await
                .with_context(|| format!("connect to PostgreSQL at {admin_url}"))?;
            admin
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await?;
            admin
                .execute(format!("CREATE DATABASE {name}").as_str())
                .await?;
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(admin_url);
            (
                format!("{base}/{name}"),
                Location::Postgres {
                    admin_url: admin_url.to_string(),
                    name,
                },
            )
        }
    };
    install_audit_key()?;
    let store = Store::connect(&url, POOL).await?;
    store.migrate().await?;
    Ok(Database {
        url,
        store,
        location,
    })
}

/// A database seeded by an earlier run with `--keep`.
pub async fn existing(url: &str) -> anyhow::Result<Database> {
    install_audit_key()?;
    let store = Store::connect(url, POOL).await?;
    store.migrate().await?;
    Ok(Database {
        url: url.to_string(),
        store,
        location: Location::Existing,
    })
}

impl Database {
    /// Closes the pool and removes the database. Errors are reported, not raised: the
    /// measurements are already printed by then.
    pub async fn remove(self) {
        self.store.close().await;
        match self.location {
            Location::Sqlite { dir } => {
                if let Err(e) = std::fs::remove_dir_all(&dir) {
                    eprintln!("could not remove {}: {e}", dir.display());
                }
            }
            Location::Postgres { admin_url, name } => {
                let dropped = async {
                    let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
                    admin
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await?;
                    Ok::<_, sqlx::Error>(())
                };
                if let Err(e) = dropped.await {
                    eprintln!("could not drop database {name}: {e}");
                }
            }
            Location::Existing => {}
        }
    }
}

/// Signs the benchmark's audit events with a key of its own: the HEARTH_AUDIT_KEY given, or
/// one made for this run (a benchmark's log is not kept to verify later).
fn install_audit_key() -> anyhow::Result<()> {
    use hearth_domain::audit::{AuditKey, AuditKeyRing};
    if hearth_store::audit::keys().is_ok() {
        return Ok(());
    }
    let key = match std::env::var("HEARTH_AUDIT_KEY") {
        Ok(hex) => AuditKey::from_hex(&hex),
        Err(_) => AuditKey::new(&rand::random::<[u8; 32]>()),
    }
    .map_err(anyhow::Error::msg)?;
    hearth_store::audit::install_keys(AuditKeyRing::new(key, vec![]))?;
    Ok(())
}
