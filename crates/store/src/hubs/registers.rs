//! A session's register, marked at the session: who was booked and who came, walk-ins, and
//! the marks themselves. Each mark carries the id the marking device gave it, so a mark sent
//! twice (a tablet that lost its connection and sent again) is kept once.

use super::uuid;
use crate::decode::{coded, opt_date};
use crate::family::chronology::{self, NewEntry};
use crate::gate::OpenedProgramme;
use crate::hubs::families::person_of;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::NoteVisibility;
use hearth_domain::hub::{AgeBand, BookingStatus};
use hearth_domain::ids::UserId;
use hearth_domain::time::to_text;
use sqlx::Row;
use uuid::Uuid;

/// One person on a register.
#[derive(Debug, Clone)]
pub struct Line {
    pub member: Uuid,
    /// The member's registration, where a concern about them is noted.
    pub family: Uuid,
    pub name: String,
    pub band: AgeBand,
    /// Booked on the programme (or waiting for a place); `None` for a walk-in.
    pub booking: Option<BookingStatus>,
    pub present: bool,
}

#[derive(Debug, Clone)]
pub struct Register {
    pub lines: Vec<Line>,
    /// Walk-ins counted only (not registered).
    pub counted: u32,
}

/// A mark as sent from the register.
#[derive(Debug, Clone)]
pub struct Mark {
    /// The device's id for this mark; a mark already kept under it changes nothing.
    pub mark_id: String,
    pub what: Marking,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marking {
    /// A registered member came (`true`) or did not after all (`false`).
    Member { member: Uuid, present: bool },
    /// A walk-in counted only, in an age band.
    Counted(AgeBand),
}

fn band_of(r: &sqlx::any::AnyRow, on: chrono::NaiveDate) -> Result<AgeBand> {
    Ok(AgeBand::on(
        opt_date(r.try_get("dob")?)?,
        r.try_get::<i64, _>("expected")? != 0,
        on,
    ))
}

/// The register of one of the opened programme's sessions: everyone booked (or waiting), each
/// walk-in who came, and how many walk-ins were counted only.
pub async fn register(
    conn: &mut Conn,
    opened: &OpenedProgramme,
    session: Uuid,
) -> Result<Register> {
    let on = session_date(conn, opened, session).await?;
    let rows = sqlx::query(
        "SELECT m.id, m.family_id, m.given_names, m.family_name, m.dob, m.expected,
                (SELECT b.status FROM hub_bookings b WHERE b.member_id = m.id AND b.programme_id = $2) AS status,
                (SELECT COUNT(*) FROM hub_attendances a WHERE a.session_id = $1 AND a.member_id = m.id) AS came
         FROM hub_members m
         WHERE m.id IN (SELECT b.member_id FROM hub_bookings b WHERE b.programme_id = $2)
            OR m.id IN (SELECT a.member_id FROM hub_attendances a WHERE a.session_id = $1 AND a.member_id IS NOT NULL)
         ORDER BY m.family_name, m.given_names, m.id",
    )
    .bind(session.to_string())
    .bind(opened.id().to_string())
    .fetch_all(&mut *conn)
    .await?;
    let lines = rows
        .iter()
        .map(|r| {
            Ok(Line {
                member: uuid(r, "id")?,
                family: uuid(r, "family_id")?,
                name: format!(
                    "{} {}",
                    r.try_get::<String, _>("given_names")?,
                    r.try_get::<String, _>("family_name")?
                ),
                band: band_of(r, on)?,
                booking: match r.try_get::<Option<String>, _>("status")? {
                    Some(_) => Some(coded(r, "status", BookingStatus::from_code)?),
                    None => None,
                },
                present: r.try_get::<i64, _>("came")? > 0,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let counted: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM hub_attendances WHERE session_id = $1 AND member_id IS NULL",
    )
    .bind(session.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(Register {
        lines,
        counted: u32::try_from(counted).unwrap_or(0),
    })
}

/// The session's day, when it is one of the opened programme's; `NotFound` otherwise.
async fn session_date(
    conn: &mut Conn,
    opened: &OpenedProgramme,
    session: Uuid,
) -> Result<chrono::NaiveDate> {
    let on: String =
        sqlx::query_scalar("SELECT on_date FROM hub_sessions WHERE id = $1 AND programme_id = $2")
            .bind(session.to_string())
            .bind(opened.id().to_string())
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
    crate::decode::date(&on)
}

/// Members of the organisation's families registered at the programme's hub who are not on
/// this register yet, for adding a registered walk-in.
pub async fn walk_in_choices(
    conn: &mut Conn,
    opened: &OpenedProgramme,
    session: Uuid,
) -> Result<Vec<(Uuid, String)>> {
    let rows = sqlx::query(
        "SELECT m.id, m.given_names, m.family_name FROM hub_members m
         JOIN hub_families f ON f.id = m.family_id
         JOIN hub_programmes p ON p.id = $1 AND p.location_id = f.hub_location_id
         WHERE f.organisation_id = $2
           AND NOT EXISTS (SELECT 1 FROM hub_bookings b WHERE b.member_id = m.id AND b.programme_id = $1)
           AND NOT EXISTS (SELECT 1 FROM hub_attendances a WHERE a.member_id = m.id AND a.session_id = $3)
         ORDER BY m.family_name, m.given_names LIMIT 300",
    )
    .bind(opened.id().to_string())
    .bind(opened.organisation().to_string())
    .bind(session.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                uuid(r, "id")?,
                format!(
                    "{} {}",
                    r.try_get::<String, _>("given_names")?,
                    r.try_get::<String, _>("family_name")?
                ),
            ))
        })
        .collect()
}

/// What a mark changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marked {
    /// Kept (a new attendance, or one taken off).
    Changed,
    /// Already so (the same mark sent again, or the register already said it).
    Unchanged,
}

/// A session of the opened programme as its marks need it: read once for a whole register.
#[derive(Debug, Clone)]
pub struct SessionToMark {
    id: Uuid,
    on: chrono::NaiveDate,
    location: String,
    service: String,
    programme_name: String,
}

/// The session, when it is one of the opened programme's (`NotFound` otherwise).
pub async fn session_to_mark(
    tx: &mut Conn,
    opened: &OpenedProgramme,
    session: Uuid,
) -> Result<SessionToMark> {
    let s = sqlx::query(
        "SELECT x.on_date, x.location_id, p.service_id, p.name
         FROM hub_sessions x JOIN hub_programmes p ON p.id = x.programme_id
         WHERE x.id = $1 AND p.id = $2",
    )
    .bind(session.to_string())
    .bind(opened.id().to_string())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(SessionToMark {
        id: session,
        on: crate::decode::date(&s.try_get::<String, _>("on_date")?)?,
        location: s.try_get("location_id")?,
        service: s.try_get("service_id")?,
        programme_name: s.try_get("name")?,
    })
}

/// Applies one mark to a session of the opened programme. A member must be one of the
/// organisation's registrations (`NotFound` otherwise). A member who came and is linked to
/// the shared record with consent to keep their attendance gets a line in their chronology,
/// written in the same transaction (and taken out again if the mark is undone).
pub async fn mark(
    tx: &mut Conn,
    opened: &OpenedProgramme,
    s: &SessionToMark,
    m: &Mark,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Marked> {
    let (session, on) = (s.id, s.on);
    let (member, band, person) = match m.what {
        Marking::Counted(band) => (None, band, None),
        Marking::Member { member, present } => {
            let r = sqlx::query(
                "SELECT m.dob, m.expected, m.person_id, f.consent_attendance
                 FROM hub_members m JOIN hub_families f ON f.id = m.family_id
                 WHERE m.id = $1 AND f.organisation_id = $2",
            )
            .bind(member.to_string())
            .bind(opened.organisation().to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            let consented = r.try_get::<i64, _>("consent_attendance")? != 0;
            let person = person_of(r.try_get("person_id")?)?.filter(|_| consented);
            if !present {
                return unmark(tx, session, member).await;
            }
            (Some(member), band_of(&r, on)?, person)
        }
    };
    let id = Uuid::now_v7().to_string();
    let done = sqlx::query(
        "INSERT INTO hub_attendances (id, session_id, member_id, mark_id, on_date, location_id,
            service_id, age_band, marked_by, marked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT DO NOTHING",
    )
    .bind(&id)
    .bind(session.to_string())
    .bind(member.map(|x| x.to_string()))
    .bind(&m.mark_id)
    .bind(on.to_string())
    .bind(&s.location)
    .bind(&s.service)
    .bind(band.code())
    .bind(by.to_string())
    .bind(to_text(now))
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(Marked::Unchanged);
    }
    if let Some(person) = person {
        chronology::append(
            tx,
            &NewEntry {
                at: now,
                occurred_on: on,
                kind: EntryKind::HubAttendance,
                episode: None,
                organisation: None,
                actor: Some(by),
                summary: format!("Came to a Family Hub session: {}", s.programme_name),
                record_type: Some("hub_attendance"),
                record_id: Some(id),
                visibility: NoteVisibility::Taf,
                people: &[person],
            },
        )
        .await?;
    }
    Ok(Marked::Changed)
}

/// Takes a member's attendance off a session's register, and its chronology line.
async fn unmark(tx: &mut Conn, session: Uuid, member: Uuid) -> Result<Marked> {
    let id: Option<String> = sqlx::query_scalar(
        "SELECT id FROM hub_attendances WHERE session_id = $1 AND member_id = $2",
    )
    .bind(session.to_string())
    .bind(member.to_string())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        return Ok(Marked::Unchanged);
    };
    chronology::remove_record(tx, "hub_attendance", &id).await?;
    sqlx::query("DELETE FROM hub_attendances WHERE id = $1")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    Ok(Marked::Changed)
}

/// Who to tell when a session is cancelled: each booked member's name, and the family's
/// phone number where they agreed to it being kept.
pub async fn to_call(
    conn: &mut Conn,
    opened: &OpenedProgramme,
) -> Result<Vec<(String, Option<String>)>> {
    let rows = sqlx::query(
        "SELECT m.given_names, m.family_name, f.phone, f.consent_contact
         FROM hub_bookings b JOIN hub_members m ON m.id = b.member_id
         JOIN hub_families f ON f.id = m.family_id
         WHERE b.programme_id = $1 AND b.status = 'booked' AND f.organisation_id = $2
         ORDER BY m.family_name, m.given_names",
    )
    .bind(opened.id().to_string())
    .bind(opened.organisation().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let consent = r.try_get::<i64, _>("consent_contact")? != 0;
            Ok((
                format!(
                    "{} {}",
                    r.try_get::<String, _>("given_names")?,
                    r.try_get::<String, _>("family_name")?
                ),
                r.try_get::<Option<String>, _>("phone")?.filter(|_| consent),
            ))
        })
        .collect()
}

/// The opened programme's bookings: each member's name and whether they have a place or wait.
pub async fn bookings(
    conn: &mut Conn,
    opened: &OpenedProgramme,
) -> Result<Vec<(String, BookingStatus)>> {
    let rows = sqlx::query(
        "SELECT m.given_names, m.family_name, b.status FROM hub_bookings b
         JOIN hub_members m ON m.id = b.member_id
         WHERE b.programme_id = $1 ORDER BY b.booked_at",
    )
    .bind(opened.id().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                format!(
                    "{} {}",
                    r.try_get::<String, _>("given_names")?,
                    r.try_get::<String, _>("family_name")?
                ),
                coded(r, "status", BookingStatus::from_code)?,
            ))
        })
        .collect()
}
