//! Family Hubs in the store (ADR 0028): programmes and their sessions (no personal data; a
//! capability is enough), families' light-touch registrations and bookings ([`families`], through
//! the gate's [`crate::gate::OpenedHubFamily`]), registers ([`registers`], through
//! [`crate::gate::OpenedProgramme`]) and the reach figures ([`reach`], aggregate).

pub mod families;
pub mod population;
pub mod progress;
pub mod reach;
pub mod registers;

use crate::decode::{coded, date, parse_id};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::hub::ProgrammeKind;
use hearth_domain::ids::{OrganisationId, UserId};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

pub(crate) fn uuid(r: &AnyRow, column: &str) -> Result<Uuid> {
    parse_id(&r.try_get::<String, _>(column)?)
}

/// A programme as set up: a directory service run at a place.
pub struct NewProgramme<'a> {
    pub id: Uuid,
    pub organisation: OrganisationId,
    pub service: Uuid,
    pub location: Uuid,
    pub name: &'a str,
    pub kind: ProgrammeKind,
    pub capacity: u32,
    pub created_by: UserId,
}

/// One session of a programme as set up.
pub struct NewSession<'a> {
    pub on: NaiveDate,
    pub starts: &'a str,
    pub ends: &'a str,
    pub facilitators: &'a str,
}

#[derive(Debug, Clone)]
pub struct Programme {
    pub id: Uuid,
    pub organisation: OrganisationId,
    pub service: Uuid,
    pub service_name: String,
    pub location_name: String,
    pub name: String,
    pub kind: ProgrammeKind,
    pub capacity: u32,
    pub booked: u32,
    pub waiting: u32,
    /// The first and last sessions' dates.
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id: Uuid,
    pub programme: Uuid,
    pub location_name: String,
    pub on: NaiveDate,
    pub starts: String,
    pub ends: String,
    pub facilitators: String,
    pub capacity: u32,
    pub cancelled: bool,
    pub cancel_reason: Option<String>,
    pub attended: u32,
}

/// Adds a programme and its sessions, each with the programme's capacity and place.
pub async fn insert_programme(
    tx: &mut Conn,
    p: &NewProgramme<'_>,
    sessions: &[NewSession<'_>],
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO hub_programmes (id, organisation_id, service_id, location_id, name, kind,
            capacity, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(p.id.to_string())
    .bind(p.organisation.to_string())
    .bind(p.service.to_string())
    .bind(p.location.to_string())
    .bind(p.name)
    .bind(p.kind.code())
    .bind(i64::from(p.capacity))
    .bind(p.created_by.to_string())
    .bind(to_text(now))
    .execute(&mut *tx)
    .await?;
    for s in sessions {
        sqlx::query(
            "INSERT INTO hub_sessions (id, programme_id, location_id, on_date, starts, ends,
                facilitators, capacity)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(p.id.to_string())
        .bind(p.location.to_string())
        .bind(s.on.to_string())
        .bind(s.starts)
        .bind(s.ends)
        .bind(s.facilitators)
        .bind(i64::from(p.capacity))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

const PROGRAMME_COLUMNS: &str = "p.id, p.organisation_id, p.service_id, s.name AS service_name,
    l.name AS location_name, p.name, p.kind, p.capacity,
    (SELECT COUNT(*) FROM hub_bookings b WHERE b.programme_id = p.id AND b.status = 'booked') AS booked,
    (SELECT COUNT(*) FROM hub_bookings b WHERE b.programme_id = p.id AND b.status = 'waiting') AS waiting,
    (SELECT MIN(x.on_date) FROM hub_sessions x WHERE x.programme_id = p.id) AS first_date,
    (SELECT MAX(x.on_date) FROM hub_sessions x WHERE x.programme_id = p.id) AS last_date";

const PROGRAMME_FROM: &str = "hub_programmes p
    JOIN directory_services s ON s.id = p.service_id
    JOIN directory_locations l ON l.id = p.location_id";

fn count(r: &AnyRow, column: &str) -> Result<u32> {
    u32::try_from(r.try_get::<i64, _>(column)?)
        .map_err(|_| StoreError::Corrupt(format!("not a count: {column}")))
}

fn programme_from(r: &AnyRow) -> Result<Programme> {
    let day = |c: &str| -> Result<Option<NaiveDate>> {
        r.try_get::<Option<String>, _>(c)?
            .as_deref()
            .map(date)
            .transpose()
    };
    Ok(Programme {
        id: uuid(r, "id")?,
        organisation: parse_id(&r.try_get::<String, _>("organisation_id")?)?,
        service: uuid(r, "service_id")?,
        service_name: r.try_get("service_name")?,
        location_name: r.try_get("location_name")?,
        name: r.try_get("name")?,
        kind: coded(r, "kind", ProgrammeKind::from_code)?,
        capacity: count(r, "capacity")?,
        booked: count(r, "booked")?,
        waiting: count(r, "waiting")?,
        first: day("first_date")?,
        last: day("last_date")?,
    })
}

/// The programmes one organisation runs, the latest first.
pub async fn programmes(conn: &mut Conn, organisation: OrganisationId) -> Result<Vec<Programme>> {
    let rows = sqlx::query(&format!(
        "SELECT {PROGRAMME_COLUMNS} FROM {PROGRAMME_FROM}
         WHERE p.organisation_id = $1 ORDER BY p.created_at DESC LIMIT 200"
    ))
    .bind(organisation.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(programme_from).collect()
}

pub async fn programme(conn: &mut Conn, id: Uuid) -> Result<Programme> {
    let row = sqlx::query(&format!(
        "SELECT {PROGRAMME_COLUMNS} FROM {PROGRAMME_FROM} WHERE p.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    programme_from(&row)
}

const SESSION_COLUMNS: &str = "x.id, x.programme_id, l.name AS location_name, x.on_date, x.starts,
    x.ends, x.facilitators, x.capacity, x.cancelled_at, x.cancel_reason,
    (SELECT COUNT(*) FROM hub_attendances a WHERE a.session_id = x.id) AS attended";

fn session_from(r: &AnyRow) -> Result<Session> {
    Ok(Session {
        id: uuid(r, "id")?,
        programme: uuid(r, "programme_id")?,
        location_name: r.try_get("location_name")?,
        on: date(&r.try_get::<String, _>("on_date")?)?,
        starts: r.try_get("starts")?,
        ends: r.try_get("ends")?,
        facilitators: r.try_get("facilitators")?,
        capacity: count(r, "capacity")?,
        cancelled: r.try_get::<Option<String>, _>("cancelled_at")?.is_some(),
        cancel_reason: r.try_get("cancel_reason")?,
        attended: count(r, "attended")?,
    })
}

/// A programme's sessions in date order.
pub async fn sessions(conn: &mut Conn, programme: Uuid) -> Result<Vec<Session>> {
    let rows = sqlx::query(&format!(
        "SELECT {SESSION_COLUMNS} FROM hub_sessions x JOIN directory_locations l ON l.id = x.location_id
         WHERE x.programme_id = $1 ORDER BY x.on_date, x.starts"
    ))
    .bind(programme.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(session_from).collect()
}

pub async fn session(conn: &mut Conn, id: Uuid) -> Result<Session> {
    let row = sqlx::query(&format!(
        "SELECT {SESSION_COLUMNS} FROM hub_sessions x JOIN directory_locations l ON l.id = x.location_id
         WHERE x.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    session_from(&row)
}

/// Cancels a session with a reason; false when it was already cancelled.
pub async fn cancel_session(
    tx: &mut Conn,
    id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE hub_sessions SET cancelled_at = $1, cancel_reason = $2
         WHERE id = $3 AND cancelled_at IS NULL",
    )
    .bind(to_text(now))
    .bind(reason)
    .bind(id.to_string())
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
