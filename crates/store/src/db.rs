use crate::{Result, StoreError};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

/// A connection, for reads outside a transaction.
pub type Conn = sqlx::AnyConnection;
/// A write transaction: the change and its audit event commit together or not at all.
pub type Tx = sqlx::Transaction<'static, Any>;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The database behind Hearth. Cheap to clone; holds a connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    engine: Engine,
}

#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

impl Store {
    /// Connects to `url` (`sqlite://path` or `postgres://…`). For SQLite the file and its
    /// folder are created if missing.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Engine::Postgres
        } else {
            return Err(StoreError::Database(sqlx::Error::Configuration(
                "DATABASE_URL must start with sqlite: or postgres:".into(),
            )));
        };
        let url = match engine {
            Engine::Sqlite => prepare_sqlite_url(url)?,
            Engine::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        // WAL lets readers carry on while one writer commits; NORMAL sync is
                        // durable against a process crash, which is what WAL needs.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self { pool, engine })
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Applies any migrations not yet applied.
    pub async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    /// True when the database answers and every migration this build knows is applied.
    pub async fn is_ready(&self) -> bool {
        let latest = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        let applied: std::result::Result<Option<i64>, _> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
                .fetch_one(&self.pool)
                .await;
        matches!(applied, Ok(Some(v)) if v >= latest)
    }

    /// Begins a write transaction.
    pub async fn write(&self) -> Result<Tx> {
        let tx = match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Engine::Postgres => self.pool.begin().await?,
        };
        Ok(tx)
    }

    /// Commits a write transaction.
    pub async fn commit(tx: Tx) -> Result<()> {
        tx.commit().await?;
        Ok(())
    }

    /// A pooled connection for reads.
    pub async fn read(&self) -> Result<sqlx::pool::PoolConnection<Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// Refreshes the planner's statistics after a bulk load. Without them PostgreSQL plans
    /// city-scale queries as if the tables were empty (the first load test at city scale timed
    /// out until it ran); SQLite's planner does well on its own rules here and is left alone.
    pub async fn analyze(&self) -> Result<()> {
        if self.engine == Engine::Postgres {
            sqlx::query("ANALYZE").execute(&self.pool).await?;
        }
        Ok(())
    }

    pub fn pool_stats(&self) -> PoolStats {
        PoolStats {
            size: self.pool.size(),
            idle: self.pool.num_idle() as u32,
            max: self.pool.options().get_max_connections(),
        }
    }

    /// Writes a consistent copy of a SQLite database to `file`, while others go on reading and
    /// writing: `VACUUM INTO` reads in one transaction, so the copy is the database as it was
    /// at one commit, compacted. `file` must not exist. PostgreSQL is copied with its own
    /// tools (pg_dump, or base backups and WAL archiving: docs/operations.md).
    pub async fn backup_into(&self, file: &std::path::Path) -> Result<()> {
        if self.engine != Engine::Sqlite {
            return Err(StoreError::Database(sqlx::Error::Configuration(
                "hearth backup copies SQLite databases; back PostgreSQL up with pg_dump (see docs/operations.md)".into(),
            )));
        }
        let target = file.to_str().ok_or_else(|| {
            StoreError::Database(sqlx::Error::Configuration(
                "the backup file's name must be valid UTF-8".into(),
            ))
        })?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// SQLite's own check of every page and index: `None` when the database is sound, else
    /// the first problems it names.
    pub async fn integrity_problems(&self) -> Result<Option<String>> {
        if self.engine != Engine::Sqlite {
            return Ok(None);
        }
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        Ok((rows != ["ok"]).then(|| rows.join("; ")))
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Ensures the SQLite file's folder exists and that the file is created when missing.
fn prepare_sqlite_url(url: &str) -> Result<String> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" {
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    StoreError::Database(sqlx::Error::Configuration(
                        format!("cannot create the folder for the database {path}: {e}").into(),
                    ))
                })?;
            }
        }
    }
    let mut query: Vec<&str> = query.split('&').filter(|q| !q.is_empty()).collect();
    if !query.iter().any(|q| q.starts_with("mode=")) {
        query.push("mode=rwc");
    }
    Ok(format!("sqlite://{path}?{}", query.join("&")))
}
