//! Imports started from the page, as jobs: recorded as running before the import starts,
//! marked done inside the import's own transaction (so "done" and the rows are kept together
//! or not at all), or failed with why. Each job keeps the rows it could not import.

use crate::decode::{coded, parse_id, parse_time};
use crate::gate::MatchingDesk;
use crate::identification::records::ImportCounts;
use crate::{Conn, Result};
use chrono::{DateTime, Utc};
use hearth_domain::identification::import_job::JobState;
use hearth_domain::ids::{ImportJobId, PartnerDatasetId, PartnerImportId};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A row a job could not import: its sheet (in a spreadsheet), line, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct JobProblem {
    pub sheet: Option<String>,
    pub line: u64,
    pub reason: String,
}

/// A job as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: ImportJobId,
    pub dataset_name: String,
    pub file_name: String,
    pub started_at: DateTime<Utc>,
    pub state: JobState,
    pub rows_total: i64,
    pub problems: Vec<JobProblem>,
    /// What the import did, once done.
    pub counts: Option<ImportCounts>,
    pub failure: Option<String>,
}

#[allow(clippy::too_many_arguments)] // one job's parts, each named at the call
pub async fn start(
    conn: &mut Conn,
    desk: &MatchingDesk,
    id: ImportJobId,
    dataset: PartnerDatasetId,
    file_name: &str,
    rows_total: i64,
    problems: &[JobProblem],
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO partner_import_jobs (id, dataset_id, file_name, started_by, started_at,
            state, rows_total, problems) VALUES ($1, $2, $3, $4, $5, 'running', $6, $7)",
    )
    .bind(id.to_string())
    .bind(dataset.to_string())
    .bind(file_name)
    .bind(desk.analyst().to_string())
    .bind(to_text(at))
    .bind(rows_total)
    .bind(serde_json::to_string(problems).unwrap_or_else(|_| "[]".into()))
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks a job done with the import it made: called inside that import's transaction.
pub async fn done(
    conn: &mut Conn,
    _desk: &MatchingDesk,
    id: ImportJobId,
    import: PartnerImportId,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE partner_import_jobs SET state = 'done', import_id = $1, finished_at = $2
         WHERE id = $3",
    )
    .bind(import.to_string())
    .bind(to_text(at))
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks a running job failed, saying why.
pub async fn failed(
    conn: &mut Conn,
    _desk: &MatchingDesk,
    id: ImportJobId,
    why: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE partner_import_jobs SET state = 'failed', failure = $1, finished_at = $2
         WHERE id = $3 AND state = 'running'",
    )
    .bind(why)
    .bind(to_text(at))
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

const JOB: &str = "SELECT j.id, d.name AS dataset_name, j.file_name, j.started_at, j.state,
        j.rows_total, j.problems, j.failure, i.id AS import_id, i.rows_read, i.matched,
        i.for_review, i.unmatched, i.rejected
     FROM partner_import_jobs j
     JOIN partner_datasets d ON d.id = j.dataset_id
     LEFT JOIN partner_imports i ON i.id = j.import_id";

fn job(r: &AnyRow) -> Result<Job> {
    let problems: String = r.try_get("problems")?;
    let import: Option<String> = r.try_get("import_id")?;
    let counts = match import {
        Some(_) => Some(ImportCounts {
            rows_read: r.try_get("rows_read")?,
            matched: r.try_get("matched")?,
            for_review: r.try_get("for_review")?,
            unmatched: r.try_get("unmatched")?,
            rejected: r.try_get("rejected")?,
        }),
        None => None,
    };
    Ok(Job {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        dataset_name: r.try_get("dataset_name")?,
        file_name: r.try_get("file_name")?,
        started_at: parse_time(&r.try_get::<String, _>("started_at")?)?,
        state: coded(r, "state", JobState::from_code)?,
        rows_total: r.try_get("rows_total")?,
        problems: serde_json::from_str(&problems)
            .map_err(|e| crate::StoreError::Corrupt(format!("a job's problems: {e}")))?,
        counts,
        failure: r.try_get("failure")?,
    })
}

/// One job, if there is one with that id.
pub async fn by_id(conn: &mut Conn, _desk: &MatchingDesk, id: ImportJobId) -> Result<Option<Job>> {
    let row = sqlx::query(&format!("{JOB} WHERE j.id = $1"))
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(job).transpose()
}

/// The latest jobs, newest first.
pub async fn latest(conn: &mut Conn, _desk: &MatchingDesk, limit: i64) -> Result<Vec<Job>> {
    let rows = sqlx::query(&format!(
        "{JOB} ORDER BY j.started_at DESC, j.id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(job).collect()
}
