//! Families' light-touch registrations at a hub, and their bookings. Everything here is read
//! and written through the gate's hub proofs: a registration of one organisation is never
//! reached from another's.

use super::{count, uuid};
use crate::decode::{coded, date, opt_date, parse_id, parse_time};
use crate::gate::{HubDesk, OpenedHubFamily};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::hub::{booking_for, BookingStatus};
use hearth_domain::ids::{PersonId, UserId};
use hearth_domain::time::to_text;
use sqlx::Row;
use uuid::Uuid;

/// A family as registered.
pub struct NewFamily<'a> {
    pub id: Uuid,
    pub hub_location: Uuid,
    pub postcode: &'a str,
    pub language: &'a str,
    pub phone: Option<&'a str>,
    pub consent_contact: bool,
    pub consent_attendance: bool,
    pub registered_by: UserId,
}

/// One member as registered, linked to a person on the shared record when find-before-create
/// found exactly one.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub given_names: String,
    pub family_name: String,
    pub dob: Option<NaiveDate>,
    /// The date is when a baby is due.
    pub expected: bool,
    pub ethnicity: Option<String>,
    pub person: Option<PersonId>,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub id: Uuid,
    pub given_names: String,
    pub family_name: String,
    pub dob: Option<NaiveDate>,
    pub expected: bool,
    pub ethnicity: Option<String>,
    /// Linked to the shared record (the hub sees only that it is, never the record).
    pub linked: bool,
}

#[derive(Debug, Clone)]
pub struct HubFamily {
    pub id: Uuid,
    pub hub_name: String,
    pub postcode: String,
    pub language: String,
    pub phone: Option<String>,
    pub consent_contact: bool,
    pub consent_attendance: bool,
    pub registered_at: DateTime<Utc>,
    pub members: Vec<Member>,
}

/// A line in the list of the organisation's registered families.
#[derive(Debug, Clone)]
pub struct FamilyLine {
    pub id: Uuid,
    pub names: String,
    pub hub_name: String,
    pub postcode: String,
    pub registered_at: DateTime<Utc>,
}

/// A family member's booking on a programme.
#[derive(Debug, Clone)]
pub struct Booking {
    pub member_name: String,
    pub programme: Uuid,
    pub programme_name: String,
    pub status: BookingStatus,
}

pub async fn insert_family(
    tx: &mut Conn,
    desk: &HubDesk,
    f: &NewFamily<'_>,
    members: &[NewMember],
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO hub_families (id, organisation_id, hub_location_id, postcode, language, phone,
            consent_contact, consent_attendance, registered_by, registered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(f.id.to_string())
    .bind(desk.organisation().to_string())
    .bind(f.hub_location.to_string())
    .bind(f.postcode)
    .bind(f.language)
    .bind(f.phone)
    .bind(i64::from(f.consent_contact))
    .bind(i64::from(f.consent_attendance))
    .bind(f.registered_by.to_string())
    .bind(to_text(now))
    .execute(&mut *tx)
    .await?;
    for m in members {
        sqlx::query(
            "INSERT INTO hub_members (id, family_id, given_names, family_name, dob, expected,
                ethnicity, person_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(f.id.to_string())
        .bind(&m.given_names)
        .bind(&m.family_name)
        .bind(m.dob.map(|d| d.to_string()))
        .bind(i64::from(m.expected))
        .bind(&m.ethnicity)
        .bind(m.person.map(|p| p.to_string()))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// The registration the gate opened, with its members.
pub async fn family(conn: &mut Conn, opened: &OpenedHubFamily) -> Result<HubFamily> {
    let r = sqlx::query(
        "SELECT f.id, l.name AS hub_name, f.postcode, f.language, f.phone, f.consent_contact,
                f.consent_attendance, f.registered_at
         FROM hub_families f JOIN directory_locations l ON l.id = f.hub_location_id
         WHERE f.id = $1 AND f.organisation_id = $2",
    )
    .bind(opened.id().to_string())
    .bind(opened.organisation().to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let rows = sqlx::query(
        "SELECT id, given_names, family_name, dob, expected, ethnicity, person_id
         FROM hub_members WHERE family_id = $1 ORDER BY dob, id",
    )
    .bind(opened.id().to_string())
    .fetch_all(&mut *conn)
    .await?;
    let members = rows
        .iter()
        .map(|m| {
            Ok(Member {
                id: uuid(m, "id")?,
                given_names: m.try_get("given_names")?,
                family_name: m.try_get("family_name")?,
                dob: opt_date(m.try_get("dob")?)?,
                expected: m.try_get::<i64, _>("expected")? != 0,
                ethnicity: m.try_get("ethnicity")?,
                linked: m.try_get::<Option<String>, _>("person_id")?.is_some(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(HubFamily {
        id: uuid(&r, "id")?,
        hub_name: r.try_get("hub_name")?,
        postcode: r.try_get("postcode")?,
        language: r.try_get("language")?,
        phone: r.try_get("phone")?,
        consent_contact: r.try_get::<i64, _>("consent_contact")? != 0,
        consent_attendance: r.try_get::<i64, _>("consent_attendance")? != 0,
        registered_at: parse_time(&r.try_get::<String, _>("registered_at")?)?,
        members,
    })
}

/// The organisation's registered families, the latest first; `name` (if any) keeps those
/// with a member whose family name starts with it.
pub async fn families(conn: &mut Conn, desk: &HubDesk, name: &str) -> Result<Vec<FamilyLine>> {
    let rows = sqlx::query(
        "SELECT f.id, l.name AS hub_name, f.postcode, f.registered_at,
                (SELECT MIN(m.family_name) FROM hub_members m WHERE m.family_id = f.id) AS names
         FROM hub_families f JOIN directory_locations l ON l.id = f.hub_location_id
         WHERE f.organisation_id = $1
           AND ($2 = '' OR EXISTS (SELECT 1 FROM hub_members m WHERE m.family_id = f.id
                                   AND LOWER(m.family_name) LIKE $3))
         ORDER BY f.registered_at DESC LIMIT 50",
    )
    .bind(desk.organisation().to_string())
    .bind(name.trim())
    .bind(format!("{}%", name.trim().to_lowercase()))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(FamilyLine {
                id: uuid(r, "id")?,
                names: r.try_get::<Option<String>, _>("names")?.unwrap_or_default(),
                hub_name: r.try_get("hub_name")?,
                postcode: r.try_get("postcode")?,
                registered_at: parse_time(&r.try_get::<String, _>("registered_at")?)?,
            })
        })
        .collect()
}

/// Books a member of the opened family on a programme of the same organisation: a place while
/// places are left, otherwise the waiting list. Booking again changes nothing and says where
/// the booking stands. `NotFound` when the member or programme is not the family's
/// organisation's.
pub async fn book(
    tx: &mut Conn,
    opened: &OpenedHubFamily,
    programme: Uuid,
    member: Uuid,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<BookingStatus> {
    let ok: Option<i64> = sqlx::query_scalar(
        "SELECT p.capacity FROM hub_programmes p, hub_members m
         WHERE p.id = $1 AND p.organisation_id = $2 AND m.id = $3 AND m.family_id = $4",
    )
    .bind(programme.to_string())
    .bind(opened.organisation().to_string())
    .bind(member.to_string())
    .bind(opened.id().to_string())
    .fetch_optional(&mut *tx)
    .await?;
    let capacity = ok.ok_or(StoreError::NotFound)?;
    if let Some(status) = sqlx::query_scalar::<_, String>(
        "SELECT status FROM hub_bookings WHERE programme_id = $1 AND member_id = $2",
    )
    .bind(programme.to_string())
    .bind(member.to_string())
    .fetch_optional(&mut *tx)
    .await?
    {
        return crate::decode::code(&status, BookingStatus::from_code, "booking status");
    }
    let booked: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM hub_bookings WHERE programme_id = $1 AND status = 'booked'",
    )
    .bind(programme.to_string())
    .fetch_one(&mut *tx)
    .await?;
    let status = booking_for(
        u32::try_from(capacity).unwrap_or(0),
        u32::try_from(booked).unwrap_or(u32::MAX),
    );
    sqlx::query(
        "INSERT INTO hub_bookings (id, programme_id, member_id, status, booked_by, booked_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(programme.to_string())
    .bind(member.to_string())
    .bind(status.code())
    .bind(by.to_string())
    .bind(to_text(now))
    .execute(&mut *tx)
    .await?;
    Ok(status)
}

/// The opened family's bookings.
pub async fn bookings(conn: &mut Conn, opened: &OpenedHubFamily) -> Result<Vec<Booking>> {
    let rows = sqlx::query(
        "SELECT m.given_names, m.family_name, p.id, p.name, b.status
         FROM hub_bookings b JOIN hub_members m ON m.id = b.member_id
         JOIN hub_programmes p ON p.id = b.programme_id
         WHERE m.family_id = $1 ORDER BY b.booked_at",
    )
    .bind(opened.id().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Booking {
                member_name: format!(
                    "{} {}",
                    r.try_get::<String, _>("given_names")?,
                    r.try_get::<String, _>("family_name")?
                ),
                programme: uuid(r, "id")?,
                programme_name: r.try_get("name")?,
                status: coded(r, "status", BookingStatus::from_code)?,
            })
        })
        .collect()
}

/// How many sessions each member of the opened family came to, and the last one.
pub async fn attendance(
    conn: &mut Conn,
    opened: &OpenedHubFamily,
) -> Result<Vec<(Uuid, u32, Option<NaiveDate>)>> {
    let rows = sqlx::query(
        "SELECT a.member_id, COUNT(*) AS times, MAX(a.on_date) AS last_date
         FROM hub_attendances a JOIN hub_members m ON m.id = a.member_id
         WHERE m.family_id = $1 GROUP BY a.member_id",
    )
    .bind(opened.id().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                uuid(r, "member_id")?,
                count(r, "times")?,
                r.try_get::<Option<String>, _>("last_date")?
                    .as_deref()
                    .map(date)
                    .transpose()?,
            ))
        })
        .collect()
}

/// The member's person on the shared record, for linking checks in tests and the chronology.
pub(crate) fn person_of(text: Option<String>) -> Result<Option<PersonId>> {
    text.as_deref().map(parse_id).transpose()
}

/// The opened family's members as registered, each with the person on the shared record it is
/// linked to (for the app's find-before-create when a concern goes to the front door; never
/// shown to the hub).
pub async fn members_with_links(
    conn: &mut Conn,
    opened: &OpenedHubFamily,
) -> Result<Vec<(Uuid, NewMember)>> {
    let rows = sqlx::query(
        "SELECT m.id, m.given_names, m.family_name, m.dob, m.expected, m.ethnicity, m.person_id
         FROM hub_members m JOIN hub_families f ON f.id = m.family_id
         WHERE m.family_id = $1 AND f.organisation_id = $2 ORDER BY m.dob, m.id",
    )
    .bind(opened.id().to_string())
    .bind(opened.organisation().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|m| {
            Ok((
                uuid(m, "id")?,
                NewMember {
                    given_names: m.try_get("given_names")?,
                    family_name: m.try_get("family_name")?,
                    dob: opt_date(m.try_get("dob")?)?,
                    expected: m.try_get::<i64, _>("expected")? != 0,
                    ethnicity: m.try_get("ethnicity")?,
                    person: person_of(m.try_get("person_id")?)?,
                },
            ))
        })
        .collect()
}

/// Links a member of the opened family to a person on the shared record, if not linked yet.
pub async fn link_member(
    tx: &mut Conn,
    opened: &OpenedHubFamily,
    member: Uuid,
    person: PersonId,
) -> Result<()> {
    sqlx::query(
        "UPDATE hub_members SET person_id = $1
         WHERE id = $2 AND family_id = $3 AND person_id IS NULL",
    )
    .bind(person.to_string())
    .bind(member.to_string())
    .bind(opened.id().to_string())
    .execute(tx)
    .await?;
    Ok(())
}

/// Records whether the opened family agrees to their attendance being kept. Withdrawing takes
/// every line their attendance wrote out of the chronology in the same transaction (the
/// attendance itself stays, counted only); agreeing again shares attendance from then on.
/// Returns whether the answer changed and how many chronology lines were taken out.
pub async fn set_attendance_consent(
    tx: &mut Conn,
    opened: &OpenedHubFamily,
    agreed: bool,
) -> Result<(bool, u64)> {
    let changed = sqlx::query(
        "UPDATE hub_families SET consent_attendance = $1
         WHERE id = $2 AND organisation_id = $3 AND consent_attendance <> $1",
    )
    .bind(i64::from(agreed))
    .bind(opened.id().to_string())
    .bind(opened.organisation().to_string())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if agreed || !changed {
        return Ok((changed, 0));
    }
    const LINES: &str = "SELECT c.id FROM chronology c
        WHERE c.record_type = 'hub_attendance' AND c.record_id IN
            (SELECT a.id FROM hub_attendances a JOIN hub_members m ON m.id = a.member_id
             WHERE m.family_id = $1)";
    sqlx::query(&format!(
        "DELETE FROM chronology_people WHERE entry_id IN ({LINES})"
    ))
    .bind(opened.id().to_string())
    .execute(&mut *tx)
    .await?;
    let removed = sqlx::query(&format!("DELETE FROM chronology WHERE id IN ({LINES})"))
        .bind(opened.id().to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    Ok((changed, removed))
}
