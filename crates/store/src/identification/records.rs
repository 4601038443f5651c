//! The rows imported from partners' files: each import's counts, each row with where matching
//! put it, reviewers' decisions about pairs (kept, so the next run does not ask again), and
//! unmatched rows removed once their dataset's retention ends.

use crate::decode::{coded, date, opt_date, parse_id};
use crate::gate::{MatchingDesk, ReviewQueue};
use crate::{Conn, Result};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::identification::feed::{EventKind, PartnerRow};
use hearth_domain::identification::matching::{MatchState, ReviewDecision};
use hearth_domain::ids::{PartnerDatasetId, PartnerImportId, PartnerRecordId, PersonId};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

/// What one import did, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub rows_read: i64,
    pub matched: i64,
    pub for_review: i64,
    pub unmatched: i64,
    pub rejected: i64,
}

pub async fn insert_import(
    conn: &mut Conn,
    desk: &MatchingDesk,
    id: PartnerImportId,
    dataset: PartnerDatasetId,
    source: &str,
    counts: &ImportCounts,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO partner_imports (id, dataset_id, imported_by, imported_at, source,
            rows_read, matched, for_review, unmatched, rejected)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id.to_string())
    .bind(dataset.to_string())
    .bind(desk.analyst().to_string())
    .bind(to_text(at))
    .bind(source)
    .bind(counts.rows_read)
    .bind(counts.matched)
    .bind(counts.for_review)
    .bind(counts.unmatched)
    .bind(counts.rejected)
    .execute(conn)
    .await?;
    Ok(())
}

/// Where matching put one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub state: MatchState,
    /// The person a matched row is about.
    pub person: Option<PersonId>,
    /// The person a row waiting for review may be.
    pub candidate: Option<PersonId>,
    pub score: Option<u32>,
    pub reasons: Vec<String>,
    /// When an unmatched row is removed.
    pub keep_until: Option<NaiveDate>,
}

/// One row of an import as kept: the row, the key of whom it is about, and where it went.
#[derive(Debug, Clone)]
pub struct KeptRow<'a> {
    pub line: u64,
    pub row: &'a PartnerRow,
    pub pair_key: String,
    pub placed: Placement,
}

const ROW_COLUMNS: usize = 21;

/// Rows per INSERT: far within the engines' limits on bound values (SQLite 32,766,
/// PostgreSQL 65,535; 21 a row), and small, because sqlx's SQLite driver spends time on every
/// bound value in proportion to the statement's count of them (200 rows a statement spent a
/// quarter of an import binding): 25 rows make a statement of 525, and still
/// twenty-five times fewer statements than one a row.
const ROWS_PER_INSERT: usize = 25;

/// Keeps rows of an import with where matching put them, many to a statement.
pub async fn insert_rows(
    conn: &mut Conn,
    _desk: &MatchingDesk,
    dataset: PartnerDatasetId,
    import: PartnerImportId,
    rows: &[KeptRow<'_>],
) -> Result<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|r| {
                let first = r * ROW_COLUMNS + 1;
                format!(
                    "({})",
                    crate::family::people::placeholders(ROW_COLUMNS, first)
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO partner_records (id, dataset_id, import_id, line, reference, given_names,
                family_name, dob, postcode, upn, nhs_number, event, event_on, attendance, pair_key,
                state, person_id, candidate_id, score, reasons, keep_until)
             VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for k in chunk {
            let (row, placed) = (k.row, &k.placed);
            q = q
                .bind(PartnerRecordId::new().to_string())
                .bind(dataset.to_string())
                .bind(import.to_string())
                .bind(k.line as i64)
                .bind(row.reference.clone())
                .bind(row.given_names.clone())
                .bind(row.family_name.clone())
                .bind(row.dob.map(|d| d.to_string()))
                .bind(row.postcode.clone())
                .bind(row.upn.clone())
                .bind(row.nhs_number.clone())
                .bind(row.event.code())
                .bind(row.on.to_string())
                .bind(row.attendance.map(i64::from))
                .bind(k.pair_key.clone())
                .bind(placed.state.code())
                .bind(placed.person.map(|p| p.to_string()))
                .bind(placed.candidate.map(|p| p.to_string()))
                .bind(placed.score.map(i64::from))
                .bind(placed.reasons.join("\n"))
                .bind(placed.keep_until.map(|d| d.to_string()));
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Reviewers' decisions already made about `pair_key` with any person.
pub async fn decisions(
    conn: &mut Conn,
    _desk: &MatchingDesk,
    pair_key: &str,
) -> Result<Vec<(PersonId, ReviewDecision)>> {
    let rows =
        sqlx::query("SELECT person_id, decision FROM partner_match_decisions WHERE pair_key = $1")
            .bind(pair_key)
            .fetch_all(conn)
            .await?;
    rows.iter()
        .map(|r| {
            Ok((
                parse_id(&r.try_get::<String, _>("person_id")?)?,
                coded(r, "decision", ReviewDecision::from_code)?,
            ))
        })
        .collect()
}

/// Keys per query when reading the decisions about a whole file's pairs.
const KEYS_PER_QUERY: usize = 500;

/// Reviewers' decisions already made about any of `pair_keys`, by key: read once for a file.
pub async fn decisions_for(
    conn: &mut Conn,
    _desk: &MatchingDesk,
    pair_keys: &[&str],
) -> Result<HashMap<String, Vec<(PersonId, ReviewDecision)>>> {
    let mut out: HashMap<String, Vec<(PersonId, ReviewDecision)>> = HashMap::new();
    for chunk in pair_keys.chunks(KEYS_PER_QUERY) {
        let sql = format!(
            "SELECT pair_key, person_id, decision FROM partner_match_decisions
             WHERE pair_key IN ({})",
            crate::family::people::placeholders(chunk.len(), 1)
        );
        let mut q = sqlx::query(&sql);
        for key in chunk {
            q = q.bind(*key);
        }
        for r in q.fetch_all(&mut *conn).await? {
            out.entry(r.try_get("pair_key")?).or_default().push((
                parse_id(&r.try_get::<String, _>("person_id")?)?,
                coded(&r, "decision", ReviewDecision::from_code)?,
            ));
        }
    }
    Ok(out)
}

/// One row waiting for review, beside the person on the record it may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub id: PartnerRecordId,
    pub dataset_name: String,
    pub owner_name: String,
    pub line: i64,
    pub reference: String,
    pub given_names: String,
    pub family_name: String,
    pub dob: Option<NaiveDate>,
    pub postcode: String,
    pub event: EventKind,
    pub on: NaiveDate,
    pub candidate: PersonId,
    pub candidate_given_names: String,
    pub candidate_family_name: String,
    pub candidate_dob: Option<NaiveDate>,
    /// The record's current postcode; `None` when the person is restricted (never shown here).
    pub candidate_postcode: Option<String>,
    pub score: u32,
    pub reasons: Vec<String>,
}

const PENDING: &str = "SELECT r.id, d.name AS dataset_name, o.name AS owner_name, r.line,
    r.reference, r.given_names, r.family_name, r.dob, r.postcode, r.event, r.event_on,
    r.candidate_id, r.score, r.reasons, p.given_names AS c_given, p.family_name AS c_family,
    p.dob AS c_dob, p.restricted AS c_restricted,
    (SELECT a.postcode FROM addresses a WHERE a.person_id = p.id AND a.to_date IS NULL
      ORDER BY a.from_date DESC LIMIT 1) AS c_postcode
    FROM partner_records r
    JOIN partner_datasets d ON d.id = r.dataset_id
    JOIN organisations o ON o.id = d.owner_organisation_id
    JOIN people p ON p.id = r.candidate_id
    WHERE r.state = 'review'";

fn read_pending(r: &AnyRow) -> Result<Pending> {
    let restricted: i64 = r.try_get("c_restricted")?;
    let score: Option<i64> = r.try_get("score")?;
    Ok(Pending {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        dataset_name: r.try_get("dataset_name")?,
        owner_name: r.try_get("owner_name")?,
        line: r.try_get("line")?,
        reference: r.try_get("reference")?,
        given_names: r.try_get("given_names")?,
        family_name: r.try_get("family_name")?,
        dob: opt_date(r.try_get("dob")?)?,
        postcode: r.try_get("postcode")?,
        event: coded(r, "event", EventKind::from_code)?,
        on: date(&r.try_get::<String, _>("event_on")?)?,
        candidate: parse_id(&r.try_get::<String, _>("candidate_id")?)?,
        candidate_given_names: r.try_get("c_given")?,
        candidate_family_name: r.try_get("c_family")?,
        candidate_dob: opt_date(r.try_get("c_dob")?)?,
        candidate_postcode: if restricted == 0 {
            r.try_get("c_postcode")?
        } else {
            None
        },
        score: score.unwrap_or(0).clamp(0, 100) as u32,
        reasons: r
            .try_get::<String, _>("reasons")?
            .lines()
            .map(str::to_string)
            .collect(),
    })
}

/// The rows waiting for review, oldest import first.
pub async fn pending(conn: &mut Conn, _queue: &ReviewQueue, limit: i64) -> Result<Vec<Pending>> {
    let rows = sqlx::query(&format!("{PENDING} ORDER BY r.import_id, r.line LIMIT $1"))
        .bind(limit)
        .fetch_all(conn)
        .await?;
    rows.iter().map(read_pending).collect()
}

/// One row waiting for review, if it still is.
pub async fn pending_one(
    conn: &mut Conn,
    _queue: &ReviewQueue,
    id: PartnerRecordId,
) -> Result<Option<Pending>> {
    let row = sqlx::query(&format!("{PENDING} AND r.id = $1"))
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(read_pending).transpose()
}

/// Records a reviewer's decision about a waiting row's pair, and settles every row waiting on
/// the same pair: attached to the person when the same, unmatched (kept until `keep_until`)
/// when not. Returns how many rows were settled; none when the row was no longer waiting.
pub async fn decide(
    conn: &mut Conn,
    desk: &MatchingDesk,
    id: PartnerRecordId,
    decision: ReviewDecision,
    at: DateTime<Utc>,
) -> Result<u64> {
    let row = sqlx::query(
        "SELECT r.pair_key, r.candidate_id, r.import_id, d.unmatched_days
         FROM partner_records r JOIN partner_datasets d ON d.id = r.dataset_id
         WHERE r.id = $1 AND r.state = 'review'",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(0);
    };
    let pair_key: String = row.try_get("pair_key")?;
    let candidate: String = row.try_get("candidate_id")?;
    let days: i64 = row.try_get("unmatched_days")?;
    sqlx::query(
        "INSERT INTO partner_match_decisions (pair_key, person_id, decision, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&pair_key)
    .bind(&candidate)
    .bind(decision.code())
    .bind(desk.analyst().to_string())
    .bind(to_text(at))
    .execute(&mut *conn)
    .await?;
    let settled = match decision {
        ReviewDecision::SamePerson => sqlx::query(
            "UPDATE partner_records SET state = 'matched', person_id = candidate_id,
                keep_until = NULL
             WHERE pair_key = $1 AND candidate_id = $2 AND state = 'review'",
        )
        .bind(&pair_key)
        .bind(&candidate)
        .execute(&mut *conn)
        .await?
        .rows_affected(),
        ReviewDecision::NotSamePerson => {
            let keep_until = at.date_naive() + chrono::Duration::days(days);
            sqlx::query(
                "UPDATE partner_records SET state = 'unmatched', keep_until = $3
                 WHERE pair_key = $1 AND candidate_id = $2 AND state = 'review'",
            )
            .bind(&pair_key)
            .bind(&candidate)
            .bind(keep_until.to_string())
            .execute(&mut *conn)
            .await?
            .rows_affected()
        }
    };
    Ok(settled)
}

/// Removes unmatched rows whose dataset's retention ended before `today`; how many.
pub async fn remove_expired(
    conn: &mut Conn,
    _desk: &MatchingDesk,
    today: NaiveDate,
) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM partner_records WHERE state = 'unmatched' AND keep_until < $1")
            .bind(today.to_string())
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

/// How many rows of each state a dataset holds, for the desk (counts, no one named).
pub async fn counts(
    conn: &mut Conn,
    _desk: &MatchingDesk,
) -> Result<Vec<(String, MatchState, i64)>> {
    let rows = sqlx::query(
        "SELECT dataset_id, state, COUNT(*) AS n FROM partner_records
         GROUP BY dataset_id, state ORDER BY dataset_id, state",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("dataset_id")?,
                coded(r, "state", MatchState::from_code)?,
                r.try_get("n")?,
            ))
        })
        .collect()
}

/// Sets an import's counts once its rows are in (in the same transaction).
pub async fn set_import_counts(
    conn: &mut Conn,
    import: PartnerImportId,
    counts: &ImportCounts,
) -> Result<()> {
    sqlx::query(
        "UPDATE partner_imports SET rows_read = $2, matched = $3, for_review = $4,
            unmatched = $5, rejected = $6 WHERE id = $1",
    )
    .bind(import.to_string())
    .bind(counts.rows_read)
    .bind(counts.matched)
    .bind(counts.for_review)
    .bind(counts.unmatched)
    .bind(counts.rejected)
    .execute(conn)
    .await?;
    Ok(())
}
