//! Subject access requests: logged by the data protection officer with who asked and how
//! their identity was checked, due one calendar month after they were received (extendable,
//! with the reason), released once with what the officer left out removed.

use crate::decode::{coded, date, parse_id, parse_time};
use crate::gate::OpenedSubject;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::ids::{PersonId, UserId};
use hearth_domain::information_rights::SarStatus;
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// A logged request, as the queue and the request's page show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectAccessRequest {
    pub id: Uuid,
    pub person: PersonId,
    pub person_name: String,
    pub requested_by: String,
    pub identity_checked: String,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub extension_reason: Option<String>,
    pub status: SarStatus,
    pub logged_by: String,
    pub logged_at: DateTime<Utc>,
    pub released_by: Option<String>,
    pub released_at: Option<DateTime<Utc>>,
    pub version: i64,
}

/// What the officer logs.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    pub person: PersonId,
    pub requested_by: &'a str,
    pub identity_checked: &'a str,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub logged_by: UserId,
}

const COLUMNS: &str = "r.id, r.person_id, p.given_names, p.family_name, r.requested_by,
    r.identity_checked, r.received_on, r.due_on, r.extension_reason, r.status,
    l.display_name AS logged_by_name, r.logged_at, x.display_name AS released_by_name,
    r.released_at, r.version";

const FROM: &str = "subject_access_requests r JOIN people p ON p.id = r.person_id
    JOIN users l ON l.id = r.logged_by LEFT JOIN users x ON x.id = r.released_by";

fn from_row(r: &AnyRow) -> Result<SubjectAccessRequest> {
    Ok(SubjectAccessRequest {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        person: parse_id(&r.try_get::<String, _>("person_id")?)?,
        person_name: format!(
            "{} {}",
            r.try_get::<String, _>("given_names")?,
            r.try_get::<String, _>("family_name")?
        ),
        requested_by: r.try_get("requested_by")?,
        identity_checked: r.try_get("identity_checked")?,
        received_on: date(&r.try_get::<String, _>("received_on")?)?,
        due_on: date(&r.try_get::<String, _>("due_on")?)?,
        extension_reason: r.try_get("extension_reason")?,
        status: coded(r, "status", SarStatus::from_code)?,
        logged_by: r.try_get("logged_by_name")?,
        logged_at: parse_time(&r.try_get::<String, _>("logged_at")?)?,
        released_by: r.try_get("released_by_name")?,
        released_at: r
            .try_get::<Option<String>, _>("released_at")?
            .as_deref()
            .map(parse_time)
            .transpose()?,
        version: r.try_get("version")?,
    })
}

/// Logs a request and returns its id.
pub async fn insert(conn: &mut Conn, new: &NewRequest<'_>, now: DateTime<Utc>) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO subject_access_requests (id, person_id, requested_by, identity_checked,
            received_on, due_on, status, logged_by, logged_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id.to_string())
    .bind(new.person.to_string())
    .bind(new.requested_by)
    .bind(new.identity_checked)
    .bind(new.received_on.to_string())
    .bind(new.due_on.to_string())
    .bind(SarStatus::Open.code())
    .bind(new.logged_by.to_string())
    .bind(to_text(now))
    .execute(conn)
    .await?;
    Ok(id)
}

/// One request (for the gate, which opens it).
pub(crate) async fn get(conn: &mut Conn, id: Uuid) -> Result<SubjectAccessRequest> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM {FROM} WHERE r.id = $1"))
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    from_row(&row)
}

/// The officer's queue: open requests, soonest due first, then those released, newest first.
/// Callers check the capability: the queue names whom each request is about.
pub async fn queue(conn: &mut Conn) -> Result<Vec<SubjectAccessRequest>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM {FROM}
         ORDER BY CASE WHEN r.status = 'open' THEN 0 ELSE 1 END,
                  CASE WHEN r.status = 'open' THEN r.due_on ELSE '' END,
                  r.released_at DESC, r.id"
    ))
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Moves an open request's due date, with the reason, if it is still at `version`.
pub async fn extend(
    conn: &mut Conn,
    subject: &OpenedSubject,
    version: i64,
    due_on: NaiveDate,
    reason: &str,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE subject_access_requests SET due_on = $1, extension_reason = $2,
            version = version + 1
         WHERE id = $3 AND version = $4 AND status = $5",
    )
    .bind(due_on.to_string())
    .bind(reason)
    .bind(subject.request().id.to_string())
    .bind(version)
    .bind(SarStatus::Open.code())
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// The keys of the items the officer left out of the release.
pub async fn redactions(conn: &mut Conn, subject: &OpenedSubject) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT item_key FROM subject_access_redactions WHERE request_id = $1 ORDER BY item_key",
    )
    .bind(subject.request().id.to_string())
    .fetch_all(conn)
    .await?)
}

/// Replaces what the release leaves out with `keys`, while the request is open.
pub async fn set_redactions(
    conn: &mut Conn,
    subject: &OpenedSubject,
    keys: &[String],
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let id = subject.request().id.to_string();
    let open: Option<String> = sqlx::query_scalar(
        "SELECT status FROM subject_access_requests WHERE id = $1 AND status = $2",
    )
    .bind(&id)
    .bind(SarStatus::Open.code())
    .fetch_optional(&mut *conn)
    .await?;
    if open.is_none() {
        return Err(StoreError::Conflict);
    }
    sqlx::query("DELETE FROM subject_access_redactions WHERE request_id = $1")
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    for key in keys {
        sqlx::query(
            "INSERT INTO subject_access_redactions (request_id, item_key, redacted_by, redacted_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&id)
        .bind(key)
        .bind(by.to_string())
        .bind(to_text(now))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Releases an open request with the document as sent (JSON); a second release is a conflict.
pub async fn release(
    conn: &mut Conn,
    subject: &OpenedSubject,
    document: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE subject_access_requests SET status = $1, released_by = $2, released_at = $3,
            released_document = $4, version = version + 1
         WHERE id = $5 AND status = $6",
    )
    .bind(SarStatus::Released.code())
    .bind(by.to_string())
    .bind(to_text(now))
    .bind(document)
    .bind(subject.request().id.to_string())
    .bind(SarStatus::Open.code())
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// The document as it was released, if it has been.
pub async fn released_document(conn: &mut Conn, subject: &OpenedSubject) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT released_document FROM subject_access_requests WHERE id = $1")
            .bind(subject.request().id.to_string())
            .fetch_optional(conn)
            .await?
            .flatten(),
    )
}
