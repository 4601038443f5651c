//! The peer: what a team would build with PostgreSQL alone — pg_trgm similarity on the full
//! name with a GIN trigram index — run on the same data and the same labelled queries.

use crate::measure::{self, Run};
use crate::queries::Labelled;
use anyhow::Context;
use hearth_store::Store;
use std::time::Instant;
use uuid::Uuid;

const NAME: &str = "(given_names || ' ' || family_name)";

pub struct Peer {
    pub index_seconds: f64,
    pub threshold: f64,
    pub run: Run,
}

pub async fn run(
    store: &Store,
    queries: &[Labelled],
    warmup: usize,
    threshold: f64,
) -> anyhow::Result<Peer> {
    // One connection for the whole run: the threshold is a session setting.
    let mut conn = store.read().await?;
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        .execute(&mut *conn)
        .await
        .context("pg_trgm must be available on the server")?;
    let started = Instant::now();
    sqlx::query(&format!(
        "CREATE INDEX IF NOT EXISTS people_name_trgm ON people USING gin ({NAME} gin_trgm_ops)"
    ))
    .execute(&mut *conn)
    .await?;
    sqlx::query("ANALYZE people").execute(&mut *conn).await?;
    let index_seconds = started.elapsed().as_secs_f64();
    // A plain number, not user input; SET does not take parameters.
    sqlx::query(&format!("SET pg_trgm.similarity_threshold = {threshold}"))
        .execute(&mut *conn)
        .await?;
    let sql = format!(
        "SELECT id FROM people WHERE {NAME} % $1 ORDER BY similarity({NAME}, $1) DESC LIMIT 5"
    );
    let run = run_peer(&mut conn, &sql, queries, warmup).await?;
    Ok(Peer {
        index_seconds,
        threshold,
        run,
    })
}

/// The timed loop, written out rather than through `measure::run` because each query
/// borrows the one connection mutably.
async fn run_peer(
    conn: &mut sqlx::AnyConnection,
    sql: &str,
    queries: &[Labelled],
    warmup: usize,
) -> anyhow::Result<Run> {
    for q in queries.iter().take(warmup) {
        peer_query(conn, sql, q).await?;
    }
    let progress = measure::bar(queries.len(), "pg_trgm")?;
    let mut out = Run {
        label: "pg_trgm".into(),
        ..Run::default()
    };
    for q in queries {
        let started = Instant::now();
        let ids = peer_query(conn, sql, q).await?;
        out.millis.push(started.elapsed().as_secs_f64() * 1000.0);
        out.ranks.push(ids.iter().position(|id| *id == q.truth));
        out.shown.push(ids.len());
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok(out)
}

async fn peer_query(
    conn: &mut sqlx::AnyConnection,
    sql: &str,
    q: &Labelled,
) -> anyhow::Result<Vec<Uuid>> {
    let rows: Vec<String> = sqlx::query_scalar(sql)
        .bind(q.name.clone())
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| Uuid::parse_str(r).context("people.id is a UUID"))
        .collect()
}
