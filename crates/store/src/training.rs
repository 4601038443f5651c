//! Members of staff's training records (ADR 0048): one row per completion of a course. Reading
//! or recording one person's takes the gate's [`OpenedTraining`]; a manager's team's takes
//! [`OpenedTeamTraining`]. The hold at sign-in reads the signed-in user's own; the reminders
//! and the workforce report read them all, and show no one else's to anybody (a reminder goes
//! to the record's own person; the report is counts).

use crate::decode::{date, opt_date, parse_id};
use crate::gate::{OpenedTeamTraining, OpenedTraining};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::ids::{TrainingRecordId, UserId};
use hearth_domain::time::to_text;
use hearth_domain::training::Completion;
use sqlx::any::AnyRow;
use sqlx::Row;

/// One completion as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingRecord {
    pub id: TrainingRecordId,
    pub user_id: UserId,
    pub course: String,
    pub completion: Completion,
    pub evidence: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
    pub changed_by: Option<String>,
    pub version: i64,
}

/// What a completion says, as recorded or corrected.
#[derive(Debug, Clone)]
pub struct RecordFields<'a> {
    pub course: &'a str,
    pub completion: Completion,
    pub evidence: Option<&'a str>,
}

const SELECT: &str = "SELECT r.id, r.user_id, r.course, r.done_on, r.expires_on, r.evidence,
        rb.display_name AS recorded_by, r.recorded_at, cb.display_name AS changed_by, r.version
    FROM training_records r
    JOIN users rb ON rb.id = r.recorded_by
    LEFT JOIN users cb ON cb.id = r.changed_by";

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn from_row(r: &AnyRow) -> Result<TrainingRecord> {
    Ok(TrainingRecord {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        user_id: parse_id(&r.try_get::<String, _>("user_id")?)?,
        course: r.try_get("course")?,
        completion: Completion {
            done_on: date(&r.try_get::<String, _>("done_on")?)?,
            expires_on: opt_date(r.try_get("expires_on")?)?,
        },
        evidence: r.try_get("evidence")?,
        recorded_by: r.try_get("recorded_by")?,
        recorded_at: r.try_get("recorded_at")?,
        changed_by: r.try_get("changed_by")?,
        version: r.try_get("version")?,
    })
}

/// Every completion of the opened person's, the latest first.
pub async fn records(conn: &mut Conn, opened: &OpenedTraining) -> Result<Vec<TrainingRecord>> {
    of_user(conn, opened.user()).await
}

/// The signed-in user's own completions, to know whether they are held (nobody else's).
pub async fn own_completions(conn: &mut Conn, user: UserId) -> Result<Vec<TrainingRecord>> {
    of_user(conn, user).await
}

async fn of_user(conn: &mut Conn, user: UserId) -> Result<Vec<TrainingRecord>> {
    sqlx::query(&format!(
        "{SELECT} WHERE r.user_id = $1 ORDER BY r.done_on DESC, r.id DESC"
    ))
    .bind(user.to_string())
    .fetch_all(conn)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Every completion of the opened team's active members.
pub async fn team_records(
    conn: &mut Conn,
    opened: &OpenedTeamTraining,
) -> Result<Vec<TrainingRecord>> {
    sqlx::query(&format!(
        "{SELECT} JOIN users u ON u.id = r.user_id
         WHERE u.team_id = $1 AND u.active = 1 ORDER BY r.done_on DESC, r.id DESC"
    ))
    .bind(opened.team().to_string())
    .fetch_all(conn)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Every active member of staff's completions, for the workforce report's counts.
pub async fn all_active(conn: &mut Conn) -> Result<Vec<TrainingRecord>> {
    sqlx::query(&format!(
        "{SELECT} JOIN users u ON u.id = r.user_id WHERE u.active = 1"
    ))
    .fetch_all(conn)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Records a completion for the opened person; refuses when the gate did not open it for
/// recording.
pub async fn insert(
    conn: &mut Conn,
    opened: &OpenedTraining,
    fields: &RecordFields<'_>,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<TrainingRecordId> {
    if !opened.may_record() {
        return Err(StoreError::NotFound);
    }
    let id = TrainingRecordId::new();
    sqlx::query(
        "INSERT INTO training_records
             (id, user_id, course, done_on, expires_on, evidence, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(opened.user().to_string())
    .bind(fields.course)
    .bind(day(fields.completion.done_on))
    .bind(fields.completion.expires_on.map(day))
    .bind(fields.evidence)
    .bind(by.to_string())
    .bind(to_text(now))
    .execute(conn)
    .await?;
    Ok(id)
}

/// One of the opened person's completions.
pub async fn get(
    conn: &mut Conn,
    opened: &OpenedTraining,
    id: TrainingRecordId,
) -> Result<TrainingRecord> {
    sqlx::query(&format!("{SELECT} WHERE r.id = $1 AND r.user_id = $2"))
        .bind(id.to_string())
        .bind(opened.user().to_string())
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()?
        .ok_or(StoreError::NotFound)
}

/// Corrects one of the opened person's completions, if nobody changed it since `version`
/// (else [`StoreError::Conflict`]).
pub async fn update(
    conn: &mut Conn,
    opened: &OpenedTraining,
    id: TrainingRecordId,
    version: i64,
    fields: &RecordFields<'_>,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    if !opened.may_record() {
        return Err(StoreError::NotFound);
    }
    let done = sqlx::query(
        "UPDATE training_records
         SET course = $1, done_on = $2, expires_on = $3, evidence = $4, changed_by = $5,
             changed_at = $6, version = version + 1
         WHERE id = $7 AND user_id = $8 AND version = $9",
    )
    .bind(fields.course)
    .bind(day(fields.completion.done_on))
    .bind(fields.completion.expires_on.map(day))
    .bind(fields.evidence)
    .bind(by.to_string())
    .bind(to_text(now))
    .bind(id.to_string())
    .bind(opened.user().to_string())
    .bind(version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    get(conn, opened, id).await?;
    Err(StoreError::Conflict)
}

/// A completion whose reminder may be due: running out after `today` and by `until`, its
/// reminder not yet queued for that end date, its person active.
#[derive(Debug, Clone)]
pub struct ReminderDue {
    pub id: TrainingRecordId,
    pub user_id: UserId,
    pub course: String,
    pub expires_on: NaiveDate,
}

pub async fn reminders_due(
    conn: &mut Conn,
    today: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<ReminderDue>> {
    sqlx::query(
        "SELECT r.id, r.user_id, r.course, r.expires_on FROM training_records r
         JOIN users u ON u.id = r.user_id
         WHERE u.active = 1 AND r.expires_on > $1 AND r.expires_on <= $2
           AND (r.reminded_for IS NULL OR r.reminded_for <> r.expires_on)
         ORDER BY r.expires_on, r.id",
    )
    .bind(day(today))
    .bind(day(until))
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok(ReminderDue {
            id: parse_id(&r.try_get::<String, _>("id")?)?,
            user_id: parse_id(&r.try_get::<String, _>("user_id")?)?,
            course: r.try_get("course")?,
            expires_on: date(&r.try_get::<String, _>("expires_on")?)?,
        })
    })
    .collect()
}

/// Takes the reminder of a completion for its end date: false when it was taken already
/// (another server, or an earlier look), so one reminder goes per course expiry.
pub async fn take_reminder(
    conn: &mut Conn,
    id: TrainingRecordId,
    expires_on: NaiveDate,
) -> Result<bool> {
    let end = day(expires_on);
    let done = sqlx::query(
        "UPDATE training_records SET reminded_for = $1
         WHERE id = $2 AND expires_on = $1 AND (reminded_for IS NULL OR reminded_for <> $1)",
    )
    .bind(&end)
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
