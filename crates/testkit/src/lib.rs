//! Test support: fresh databases on both engines, and a macro that runs one test on each.
//!
//! PostgreSQL is expected at `127.0.0.1:5432` (user `postgres`, trust auth, database `test`),
//! or wherever `HEARTH_TEST_POSTGRES` points. Under `CI=true` a missing server fails the test
//! loudly; elsewhere the PostgreSQL case is skipped with a visible message.
//!
//! With the `app` feature: a seeded demo Hearth and signed-in staff ([`app`]) and an open
//! episode for a family ([`episodes`]); with `web`, the web app on a real port ([`server`]).

#[cfg(feature = "app")]
pub mod app;
pub mod clamav;
#[cfg(feature = "app")]
pub mod episodes;
pub mod mail;
#[cfg(feature = "web")]
pub mod oidc;
#[cfg(feature = "passkey")]
pub mod passkey;
pub mod pdf;
pub mod s3;
#[cfg(feature = "web")]
pub mod server;
pub mod sms;
pub mod ssda903;

use hearth_domain::audit::{AuditKey, AuditKeyRing};
use hearth_store::Store;
use sqlx::{Connection, Executor};
use std::time::{SystemTime, UNIX_EPOCH};

pub const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The PostgreSQL server that tests use.
pub fn postgres_admin_url() -> String {
    std::env::var("HEARTH_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_POSTGRES.to_string())
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The audit key tests sign with: fixed, since a test process has one key and needs no secret.
pub fn audit_key() -> AuditKey {
    AuditKey::new(&[0x7e; 32]).expect("the test audit key")
}

/// Installs [`audit_key`] as the process's audit key (once; again is harmless).
pub fn install_audit_key() {
    hearth_store::audit::install_keys(AuditKeyRing::new(audit_key(), vec![]))
        .expect("install the test audit key");
}

/// A new SQLite database file in the temp folder, migrated. Returns its URL and the store.
pub async fn sqlite() -> (String, Store) {
    install_audit_key();
    let path = std::env::temp_dir().join(format!("hearth-test-{}.db", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}", path.display());
    let store = Store::connect(&url, 4).await.expect("open SQLite");
    store.migrate().await.expect("migrate SQLite");
    (url, store)
}

/// A new, empty PostgreSQL database, migrated; `None` (with a message) when the server cannot
/// be reached outside CI. Databases left by runs over an hour old are dropped on the way.
pub async fn postgres() -> Option<(String, Store)> {
    install_audit_key();
    let admin_url = postgres_admin_url();
    let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
        Ok(c) => c,
        Err(e) if !in_ci() => {
            eprintln!(
                "SKIPPED: PostgreSQL tests: cannot reach {admin_url} ({e}). They run under CI=true."
            );
            return None;
        }
        Err(e) => panic!("CI=true but PostgreSQL at {admin_url} is unreachable: {e}"),
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let stale: Vec<(String,)> =
        sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 'hearth_t_%'")
            .fetch_all(&mut admin)
            .await
            .expect("list test databases");
    for (name,) in stale {
        let started: u64 = name
            .split('_')
            .nth(2)
            .and_then(|s| s.parse().ok())
            .unwrap_or(now);
        if now.saturating_sub(started) > 3600 {
            let _ = admin
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await;
        }
    }
    let name = format!("hearth_t_{now}_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create test database");
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(&admin_url);
    let url = format!("{base}/{name}");
    let store = Store::connect(&url, 4).await.expect("open PostgreSQL");
    store.migrate().await.expect("migrate PostgreSQL");
    Some((url, store))
}

/// Runs an async test body once on SQLite and once on PostgreSQL:
///
/// ```ignore
/// hearth_testkit::both_engines!(saves_an_organisation, |store| async move { ... });
/// ```
#[macro_export]
macro_rules! both_engines {
    ($name:ident, |$store:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let (_url, $store) = $crate::sqlite().await;
                $body.await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some((_url, $store)) = $crate::postgres().await else {
                    return;
                };
                $body.await;
            }
        }
    };
}
