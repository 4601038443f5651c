//! Family Hub courses as progress on a family plan: the courses the people of an episode
//! were booked on or came to (only where their family agreed to their attendance being kept),
//! and the completions a practitioner recorded against the plan's outcomes. Read and written
//! through the gate's [`OpenedEpisode`], like the plan itself.

use super::{count, uuid};
use crate::decode::{coded, parse_id, parse_time};
use crate::family::people::placeholders;
use crate::gate::OpenedEpisode;
use crate::{Conn, Result};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::hub::ProgrammeKind;
use hearth_domain::ids::{PersonId, UserId};
use hearth_domain::time::to_text;
use sqlx::Row;
use uuid::Uuid;

/// A course a person of the episode was on, with how many of its sessions they came to.
#[derive(Debug, Clone)]
pub struct Attended {
    pub member: Uuid,
    pub person: PersonId,
    pub name: String,
    pub programme: Uuid,
    pub programme_name: String,
    pub kind: ProgrammeKind,
    pub attended: u32,
    /// Its sessions held so far (not cancelled, on or before the day asked about).
    pub held: u32,
    /// No session left to come.
    pub finished: bool,
}

/// The courses the episode's people were on (booked or came), where their family agreed to
/// their attendance being kept.
pub async fn courses(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    today: NaiveDate,
) -> Result<Vec<Attended>> {
    let people = &opened.episode().people;
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT m.id AS member_id, m.person_id, m.given_names, m.family_name,
                p.id AS programme_id, p.name, p.kind,
                (SELECT COUNT(*) FROM hub_attendances a JOIN hub_sessions x ON x.id = a.session_id
                  WHERE a.member_id = m.id AND x.programme_id = p.id) AS attended,
                (SELECT COUNT(*) FROM hub_sessions x WHERE x.programme_id = p.id
                  AND x.cancelled_at IS NULL AND x.on_date <= $1) AS held,
                (SELECT COUNT(*) FROM hub_sessions x WHERE x.programme_id = p.id
                  AND x.cancelled_at IS NULL AND x.on_date > $1) AS to_come
         FROM hub_members m JOIN hub_families f ON f.id = m.family_id
         JOIN hub_programmes p ON p.id IN
            (SELECT b.programme_id FROM hub_bookings b WHERE b.member_id = m.id
             UNION SELECT x.programme_id FROM hub_attendances a
                   JOIN hub_sessions x ON x.id = a.session_id WHERE a.member_id = m.id)
         WHERE f.consent_attendance = 1 AND m.person_id IN ({})
         ORDER BY m.family_name, m.given_names, p.name",
        placeholders(people.len(), 2)
    );
    let mut q = sqlx::query(&sql).bind(today.to_string());
    for p in people {
        q = q.bind(p.to_string());
    }
    let rows = q.fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            Ok(Attended {
                member: uuid(r, "member_id")?,
                person: parse_id(&r.try_get::<String, _>("person_id")?)?,
                name: format!(
                    "{} {}",
                    r.try_get::<String, _>("given_names")?,
                    r.try_get::<String, _>("family_name")?
                ),
                programme: uuid(r, "programme_id")?,
                programme_name: r.try_get("name")?,
                kind: coded(r, "kind", ProgrammeKind::from_code)?,
                attended: count(r, "attended")?,
                held: count(r, "held")?,
                finished: count(r, "to_come")? == 0,
            })
        })
        .collect()
}

/// A completed course recorded as progress on an outcome.
pub struct NewProgress<'a> {
    pub outcome: &'a str,
    pub course: &'a Attended,
    pub note: Option<&'a str>,
    pub by: UserId,
}

/// Records a completion against an outcome of the opened episode's plan; false when it was
/// already recorded for that outcome.
pub async fn record(
    tx: &mut Conn,
    opened: &OpenedEpisode,
    p: &NewProgress<'_>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO hub_outcome_progress (id, episode_id, outcome_id, programme_id, member_id,
            person_id, attended, held, note, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT DO NOTHING",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(opened.id().to_string())
    .bind(p.outcome)
    .bind(p.course.programme.to_string())
    .bind(p.course.member.to_string())
    .bind(p.course.person.to_string())
    .bind(i64::from(p.course.attended))
    .bind(i64::from(p.course.held))
    .bind(p.note)
    .bind(p.by.to_string())
    .bind(to_text(now))
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A completion recorded on the plan.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub outcome: String,
    pub name: String,
    pub programme_name: String,
    pub attended: u32,
    pub held: u32,
    pub note: Option<String>,
    pub by_name: String,
    pub at: DateTime<Utc>,
}

/// The completions recorded on the opened episode's plan, oldest first.
pub async fn recorded(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Vec<Recorded>> {
    let rows = sqlx::query(
        "SELECT h.outcome_id, m.given_names, m.family_name, p.name, h.attended, h.held, h.note,
                u.display_name, h.recorded_at
         FROM hub_outcome_progress h JOIN hub_members m ON m.id = h.member_id
         JOIN hub_programmes p ON p.id = h.programme_id JOIN users u ON u.id = h.recorded_by
         WHERE h.episode_id = $1 ORDER BY h.recorded_at, h.id",
    )
    .bind(opened.id().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Recorded {
                outcome: r.try_get("outcome_id")?,
                name: format!(
                    "{} {}",
                    r.try_get::<String, _>("given_names")?,
                    r.try_get::<String, _>("family_name")?
                ),
                programme_name: r.try_get("name")?,
                attended: count(r, "attended")?,
                held: count(r, "held")?,
                note: r.try_get("note")?,
                by_name: r.try_get("display_name")?,
                at: parse_time(&r.try_get::<String, _>("recorded_at")?)?,
            })
        })
        .collect()
}
