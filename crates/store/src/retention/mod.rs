//! Retention runs: what the schedule says is due (listed for the data protection officer's
//! review), the officer's approval, and the carrying out — one record per transaction, each
//! marked done in the transaction that removes it, so a run stopped at any point (kill -9
//! included) resumes where it stopped and never leaves a record half-removed. When a run is
//! done its items go and only the removal log stays: kinds of record, rules and counts.

pub mod anonymise;
pub mod holds;
pub mod rights;

use crate::decode::{code, coded, date, parse_id, parse_time};
use crate::gate::RetentionDesk;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::ids::PersonId;
use hearth_domain::retention::{due_on, is_due, Facts, RecordType, Rule, RunStatus, Schedule};
use hearth_domain::time::to_text;
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

/// A record the schedule says is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    pub record_type: RecordType,
    pub record_id: String,
    pub due_on: NaiveDate,
    /// A legal hold stops it.
    pub held: bool,
}

/// A run, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub id: Uuid,
    pub as_of: NaiveDate,
    pub status: RunStatus,
    pub listed_at: DateTime<Utc>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// An item of a run under review: what it is, in words the officer checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunItem {
    pub seq: i64,
    pub record_type: RecordType,
    pub record_id: String,
    /// The person's name, or what the record is.
    pub label: String,
    pub due_on: NaiveDate,
    pub status: ItemStatus,
}

/// Where one item of a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemStatus {
    Pending,
    Done,
    /// A legal hold stopped it (placed before or after the listing).
    Held,
    /// No longer due when its turn came (a new episode opened, say): kept.
    Kept,
}

impl ItemStatus {
    pub fn code(self) -> &'static str {
        match self {
            ItemStatus::Pending => "pending",
            ItemStatus::Done => "done",
            ItemStatus::Held => "held",
            ItemStatus::Kept => "kept",
        }
    }

    pub fn from_code(c: &str) -> Option<Self> {
        [
            ItemStatus::Pending,
            ItemStatus::Done,
            ItemStatus::Held,
            ItemStatus::Kept,
        ]
        .into_iter()
        .find(|s| s.code() == c)
    }
}

/// One line of the removal log: no personal data, only what kind, by which rule, how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub run_id: Option<Uuid>,
    pub record_type: RecordType,
    pub rule: String,
    pub disposal: String,
    pub removed: i64,
    pub held: i64,
    pub recorded_on: NaiveDate,
}

fn day(text: &str) -> Result<NaiveDate> {
    // Dates are stored as `YYYY-MM-DD`, instants as RFC 3339: the first ten characters are
    // the day either way.
    date(text.get(..10).unwrap_or(text))
}

/// Everything the schedule says is due on `today`, with whether a legal hold stops it.
pub async fn due(
    conn: &mut Conn,
    _desk: &RetentionDesk,
    schedule: &Schedule,
    today: NaiveDate,
) -> Result<Vec<DueItem>> {
    let held = holds::held_people(conn).await?;
    let mut out = Vec::new();
    for rule in schedule.0.iter().filter(|r| r.in_runs()) {
        let facts =
            match rule.record_type {
                RecordType::EarlyHelpFamilyRecord => family_records(conn).await?,
                RecordType::ClosedRequestNoFurtherAction => closed_requests(conn).await?,
                RecordType::DirectoryHistory => {
                    dated(
                        conn,
                        "SELECT id, decided_at, NULL AS person_id FROM directory_changes
                 WHERE decided_at IS NOT NULL",
                    )
                    .await?
                }
                RecordType::SarDocuments => dated(
                    conn,
                    "SELECT id, released_at AS decided_at, person_id FROM subject_access_requests
                 WHERE released_document IS NOT NULL",
                )
                .await?,
                RecordType::AuditEvents | RecordType::SignInSessions => Vec::new(),
            };
        for (id, person, f) in facts {
            let due = due_on(rule.keep, &f);
            let is_held = person.is_some_and(|p| held.contains(&p));
            if let Some(d) = due.filter(|_| is_due(due, today, false)) {
                out.push(DueItem {
                    record_type: rule.record_type,
                    record_id: id,
                    due_on: d,
                    held: is_held,
                });
            }
        }
    }
    out.sort_by(|a, b| (a.due_on, &a.record_id).cmp(&(b.due_on, &b.record_id)));
    Ok(out)
}

type Dated = (String, Option<PersonId>, Facts);

/// Each kept person whose every episode has closed, with the last closure and the dates of
/// birth of the children in those episodes (under 18 when the episode started).
async fn family_records(conn: &mut Conn) -> Result<Vec<Dated>> {
    let rows = sqlx::query(
        "SELECT ep.person_id, e.id AS episode_id, e.started_on, e.ended_on, p.dob,
                p.anonymised_on, p.merged_into
         FROM episode_people ep JOIN episodes e ON e.id = ep.episode_id
         JOIN people p ON p.id = ep.person_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    // Per episode: its end and its children's births; per person: their episodes.
    let mut episodes: HashMap<String, (Option<NaiveDate>, Vec<NaiveDate>)> = HashMap::new();
    let mut people: HashMap<String, (bool, Vec<String>)> = HashMap::new();
    for r in &rows {
        let episode: String = r.try_get("episode_id")?;
        let person: String = r.try_get("person_id")?;
        let started = day(&r.try_get::<String, _>("started_on")?)?;
        let ended = r
            .try_get::<Option<String>, _>("ended_on")?
            .as_deref()
            .map(day)
            .transpose()?;
        let dob = r
            .try_get::<Option<String>, _>("dob")?
            .as_deref()
            .map(day)
            .transpose()?;
        let e = episodes
            .entry(episode.clone())
            .or_insert((ended, Vec::new()));
        if let Some(dob) = dob.filter(|d| {
            d.checked_add_months(chrono::Months::new(18 * 12))
                .is_some_and(|adult| adult > started)
        }) {
            e.1.push(dob);
        }
        let kept = r.try_get::<Option<String>, _>("anonymised_on")?.is_none()
            && r.try_get::<Option<String>, _>("merged_into")?.is_none();
        let p = people.entry(person).or_insert((kept, Vec::new()));
        p.1.push(episode);
    }
    let mut out = Vec::new();
    for (person, (kept, eps)) in people {
        if !kept {
            continue;
        }
        // Every episode closed: the family record falls due from the latest; the youngest
        // child across them sets the day.
        let mut last: Option<NaiveDate> = None;
        let mut children = Vec::new();
        let mut open = false;
        for e in &eps {
            match episodes.get(e) {
                Some((Some(ended), births)) => {
                    last = last.max(Some(*ended));
                    children.extend(births.iter().copied());
                }
                _ => open = true,
            }
        }
        if let (false, Some(date)) = (open, last) {
            let id: PersonId = parse_id(&person)?;
            out.push((
                person,
                Some(id),
                Facts {
                    date,
                    children_born: children,
                },
            ));
        }
    }
    Ok(out)
}

/// Each kept person with no episode whose every request was decided without one (no further
/// action, or signposted), with the last decision's day.
async fn closed_requests(conn: &mut Conn) -> Result<Vec<Dated>> {
    let rows = sqlx::query(
        "SELECT rp.person_id, MAX(d.decided_at) AS decided_at
         FROM request_people rp JOIN people p ON p.id = rp.person_id
         JOIN requests r ON r.id = rp.request_id
         LEFT JOIN decisions d ON d.request_id = r.id
         WHERE p.anonymised_on IS NULL AND p.merged_into IS NULL
           AND NOT EXISTS (SELECT 1 FROM episode_people ep WHERE ep.person_id = rp.person_id)
         GROUP BY rp.person_id
         HAVING COUNT(*) = SUM(CASE WHEN r.status = 'decided'
                    AND d.outcome IN ('no_further_action', 'signpost') THEN 1 ELSE 0 END)",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let person: String = r.try_get("person_id")?;
            let id: PersonId = parse_id(&person)?;
            let date = day(&r.try_get::<String, _>("decided_at")?)?;
            Ok((
                person,
                Some(id),
                Facts {
                    date,
                    children_born: Vec::new(),
                },
            ))
        })
        .collect()
}

/// Records dated by one column, with the person they are about, if any.
async fn dated(conn: &mut Conn, sql: &str) -> Result<Vec<Dated>> {
    let rows = sqlx::query(sql).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            let person = r
                .try_get::<Option<String>, _>("person_id")?
                .as_deref()
                .map(parse_id)
                .transpose()?;
            Ok((
                r.try_get("id")?,
                person,
                Facts {
                    date: day(&r.try_get::<String, _>("decided_at")?)?,
                    children_born: Vec::new(),
                },
            ))
        })
        .collect()
}

/// Lists a run for review: every due item, those under a legal hold marked held.
pub async fn list(
    conn: &mut Conn,
    _desk: &RetentionDesk,
    items: &[DueItem],
    as_of: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO retention_runs (id, as_of, status, listed_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(id.to_string())
    .bind(as_of.to_string())
    .bind(RunStatus::Review.code())
    .bind(to_text(now))
    .execute(&mut *conn)
    .await?;
    for (seq, item) in items.iter().enumerate() {
        sqlx::query(
            "INSERT INTO retention_run_items (run_id, seq, record_type, record_id, due_on, status)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.to_string())
        .bind(seq as i64)
        .bind(item.record_type.code())
        .bind(&item.record_id)
        .bind(item.due_on.to_string())
        .bind(if item.held {
            ItemStatus::Held.code()
        } else {
            ItemStatus::Pending.code()
        })
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

const RUN: &str = "SELECT r.id, r.as_of, r.status, r.listed_at, u.display_name AS approved_by,
    r.approved_at, r.finished_at FROM retention_runs r LEFT JOIN users u ON u.id = r.approved_by";

fn run_row(r: &sqlx::any::AnyRow) -> Result<Run> {
    let time = |c: &str| -> Result<Option<DateTime<Utc>>> {
        r.try_get::<Option<String>, _>(c)?
            .as_deref()
            .map(parse_time)
            .transpose()
    };
    Ok(Run {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        as_of: date(&r.try_get::<String, _>("as_of")?)?,
        status: coded(r, "status", RunStatus::from_code)?,
        listed_at: parse_time(&r.try_get::<String, _>("listed_at")?)?,
        approved_by: r.try_get("approved_by")?,
        approved_at: time("approved_at")?,
        finished_at: time("finished_at")?,
    })
}

/// Every run, newest first.
pub async fn runs(conn: &mut Conn, _desk: &RetentionDesk) -> Result<Vec<Run>> {
    let rows = sqlx::query(&format!("{RUN} ORDER BY r.listed_at DESC, r.id DESC"))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(run_row).collect()
}

/// One run.
pub async fn run(conn: &mut Conn, _desk: &RetentionDesk, id: Uuid) -> Result<Run> {
    let row = sqlx::query(&format!("{RUN} WHERE r.id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    run_row(&row)
}

/// A run's items with what each is, for the officer's review (a person's name, which they may
/// need to check against what they know; other records by kind).
pub async fn items(conn: &mut Conn, _desk: &RetentionDesk, run: Uuid) -> Result<Vec<RunItem>> {
    let rows = sqlx::query(
        "SELECT i.seq, i.record_type, i.record_id, i.due_on, i.status,
                p.given_names, p.family_name
         FROM retention_run_items i LEFT JOIN people p ON p.id = i.record_id
         WHERE i.run_id = $1 ORDER BY i.seq",
    )
    .bind(run.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let record_type = coded(r, "record_type", RecordType::from_code)?;
            let label = match (
                r.try_get::<Option<String>, _>("given_names")?,
                r.try_get::<Option<String>, _>("family_name")?,
            ) {
                (Some(g), Some(f)) => format!("{g} {f}"),
                _ => record_type.label().to_string(),
            };
            Ok(RunItem {
                seq: r.try_get("seq")?,
                record_type,
                record_id: r.try_get("record_id")?,
                label,
                due_on: date(&r.try_get::<String, _>("due_on")?)?,
                status: coded(r, "status", ItemStatus::from_code)?,
            })
        })
        .collect()
}

/// The officer approves a run under review. Only an officer may (the job's desk may not).
pub async fn approve(
    conn: &mut Conn,
    desk: &RetentionDesk,
    run: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    let officer = desk.officer().ok_or(StoreError::Conflict)?;
    let done = sqlx::query(
        "UPDATE retention_runs SET status = $1, approved_by = $2, approved_at = $3
         WHERE id = $4 AND status = $5",
    )
    .bind(RunStatus::Approved.code())
    .bind(officer.to_string())
    .bind(to_text(now))
    .bind(run.to_string())
    .bind(RunStatus::Review.code())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// Approved runs not yet done, oldest first: what the job carries out (or resumes).
pub async fn approved(conn: &mut Conn, _desk: &RetentionDesk) -> Result<Vec<Uuid>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM retention_runs WHERE status = $1 ORDER BY listed_at, id",
    )
    .bind(RunStatus::Approved.code())
    .fetch_all(&mut *conn)
    .await?;
    ids.iter().map(|i| parse_id(i)).collect()
}

/// The next pending items of an approved run (none if it is not approved).
pub async fn pending(
    conn: &mut Conn,
    _desk: &RetentionDesk,
    run: Uuid,
    limit: i64,
) -> Result<Vec<(i64, RecordType, String)>> {
    let rows = sqlx::query(
        "SELECT i.seq, i.record_type, i.record_id FROM retention_run_items i
         JOIN retention_runs r ON r.id = i.run_id
         WHERE i.run_id = $1 AND i.status = $2 AND r.status = $3
         ORDER BY i.seq LIMIT $4",
    )
    .bind(run.to_string())
    .bind(ItemStatus::Pending.code())
    .bind(RunStatus::Approved.code())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("seq")?,
                code(
                    &r.try_get::<String, _>("record_type")?,
                    RecordType::from_code,
                    "record type",
                )?,
                r.try_get("record_id")?,
            ))
        })
        .collect()
}

/// Carries out one pending item in the caller's transaction and marks it: anonymised or
/// deleted (done), stopped by a legal hold (held), or no longer due (kept). The caller
/// commits: the removal and its mark land together or not at all.
pub async fn carry_out(
    conn: &mut Conn,
    desk: &RetentionDesk,
    run: Uuid,
    seq: i64,
    record_type: RecordType,
    record_id: &str,
    today: NaiveDate,
) -> Result<ItemStatus> {
    let status = match record_type {
        RecordType::EarlyHelpFamilyRecord | RecordType::ClosedRequestNoFurtherAction => {
            let person: PersonId = parse_id(record_id)?;
            if holds::is_held(conn, person).await? {
                ItemStatus::Held
            } else if !still_due(conn, record_type, person).await? {
                ItemStatus::Kept
            } else {
                anonymise::person(conn, desk, person, today).await?;
                ItemStatus::Done
            }
        }
        RecordType::DirectoryHistory => {
            sqlx::query("DELETE FROM directory_changes WHERE id = $1")
                .bind(record_id)
                .execute(&mut *conn)
                .await?;
            ItemStatus::Done
        }
        RecordType::SarDocuments => {
            let person: Option<String> =
                sqlx::query_scalar("SELECT person_id FROM subject_access_requests WHERE id = $1")
                    .bind(record_id)
                    .fetch_optional(&mut *conn)
                    .await?;
            let held = match person.as_deref().map(parse_id).transpose()? {
                Some(p) => holds::is_held(conn, p).await?,
                None => false,
            };
            if held {
                ItemStatus::Held
            } else {
                sqlx::query("DELETE FROM subject_access_redactions WHERE request_id = $1")
                    .bind(record_id)
                    .execute(&mut *conn)
                    .await?;
                sqlx::query(
                    "UPDATE subject_access_requests SET released_document = NULL,
                        version = version + 1 WHERE id = $1",
                )
                .bind(record_id)
                .execute(&mut *conn)
                .await?;
                ItemStatus::Done
            }
        }
        // Never listed (see `Rule::in_runs`).
        RecordType::AuditEvents | RecordType::SignInSessions => ItemStatus::Kept,
    };
    let marked = sqlx::query(
        "UPDATE retention_run_items SET status = $1 WHERE run_id = $2 AND seq = $3 AND status = $4",
    )
    .bind(status.code())
    .bind(run.to_string())
    .bind(seq)
    .bind(ItemStatus::Pending.code())
    .execute(&mut *conn)
    .await?;
    // Another worker took this item first: the caller rolls back.
    if marked.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(status)
}

/// Whether a person listed as due still is: not anonymised meanwhile, and for a family
/// record no episode open, for a closed request no episode and no request still open.
async fn still_due(conn: &mut Conn, record_type: RecordType, person: PersonId) -> Result<bool> {
    let sql = match record_type {
        RecordType::EarlyHelpFamilyRecord => {
            "SELECT COUNT(*) FROM people p WHERE p.id = $1 AND p.anonymised_on IS NULL
               AND NOT EXISTS (SELECT 1 FROM episode_people ep JOIN episodes e ON e.id = ep.episode_id
                               WHERE ep.person_id = p.id AND e.ended_on IS NULL)"
        }
        _ => {
            "SELECT COUNT(*) FROM people p WHERE p.id = $1 AND p.anonymised_on IS NULL
               AND NOT EXISTS (SELECT 1 FROM episode_people ep WHERE ep.person_id = p.id)
               AND NOT EXISTS (SELECT 1 FROM request_people rp JOIN requests r ON r.id = rp.request_id
                               WHERE rp.person_id = p.id AND r.status <> 'decided')"
        }
    };
    let n: i64 = sqlx::query_scalar(sql)
        .bind(person.to_string())
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// Finishes a run once nothing is pending: writes the removal log (per kind of record: the
/// rule, how many removed, how many held) and lets the items go. False while items remain.
pub async fn finish(
    conn: &mut Conn,
    _desk: &RetentionDesk,
    run: Uuid,
    schedule: &Schedule,
    now: DateTime<Utc>,
) -> Result<bool> {
    let counts = sqlx::query(
        "SELECT record_type, status, COUNT(*) AS n FROM retention_run_items
         WHERE run_id = $1 GROUP BY record_type, status",
    )
    .bind(run.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut by_type: Vec<(RecordType, i64, i64)> = Vec::new();
    for r in &counts {
        let t = coded(r, "record_type", RecordType::from_code)?;
        let s = coded(r, "status", ItemStatus::from_code)?;
        let n: i64 = r.try_get("n")?;
        if s == ItemStatus::Pending {
            return Ok(false);
        }
        let i = match by_type.iter().position(|(x, _, _)| *x == t) {
            Some(i) => i,
            None => {
                by_type.push((t, 0, 0));
                by_type.len() - 1
            }
        };
        match s {
            ItemStatus::Done => by_type[i].1 += n,
            ItemStatus::Held => by_type[i].2 += n,
            _ => {}
        }
    }
    for (t, removed, held) in by_type {
        if let Some(rule) = schedule.rule(t) {
            record(conn, Some(run), rule, &rule.meaning(), removed, held, now).await?;
        }
    }
    sqlx::query("DELETE FROM retention_run_items WHERE run_id = $1")
        .bind(run.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE retention_runs SET status = $1, finished_at = $2 WHERE id = $3")
        .bind(RunStatus::Done.code())
        .bind(to_text(now))
        .bind(run.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// Writes a line of the removal log.
pub async fn record(
    conn: &mut Conn,
    run: Option<Uuid>,
    rule: &Rule,
    why: &str,
    removed: i64,
    held: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO retention_removals (id, run_id, record_type, rule, disposal, removed, held,
            recorded_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(run.map(|r| r.to_string()))
    .bind(rule.record_type.code())
    .bind(why)
    .bind(rule.disposal.code())
    .bind(removed)
    .bind(held)
    .bind(now.date_naive().to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The removal log, newest first: of one run, or all of it.
pub async fn removals(
    conn: &mut Conn,
    _desk: &RetentionDesk,
    run: Option<Uuid>,
) -> Result<Vec<Removal>> {
    let mut sql = String::from(
        "SELECT run_id, record_type, rule, disposal, removed, held, recorded_on
         FROM retention_removals",
    );
    if run.is_some() {
        sql += " WHERE run_id = $1";
    }
    sql += " ORDER BY recorded_on DESC, id DESC";
    let mut q = sqlx::query(&sql);
    if let Some(r) = run {
        q = q.bind(r.to_string());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok(Removal {
                run_id: r
                    .try_get::<Option<String>, _>("run_id")?
                    .as_deref()
                    .map(parse_id)
                    .transpose()?,
                record_type: coded(r, "record_type", RecordType::from_code)?,
                rule: r.try_get("rule")?,
                disposal: r.try_get("disposal")?,
                removed: r.try_get("removed")?,
                held: r.try_get("held")?,
                recorded_on: date(&r.try_get::<String, _>("recorded_on")?)?,
            })
        })
        .collect()
}
