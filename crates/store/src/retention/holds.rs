//! Legal holds: while one stands on a person, or on an episode they were part of, retention
//! and erasure leave their record alone.

use crate::decode::{parse_id, parse_time};
use crate::gate::RetentionDesk;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::ids::{EpisodeId, PersonId, UserId};
use hearth_domain::time::to_text;
use sqlx::Row;
use std::collections::HashSet;
use uuid::Uuid;

/// What a hold is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldOn {
    Person(PersonId),
    Episode(EpisodeId),
}

/// A hold, as the officer's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalHold {
    pub id: Uuid,
    pub on: HoldOn,
    /// The person's name, or the names of the episode's people.
    pub about: String,
    pub reason: String,
    pub placed_by: String,
    pub placed_at: DateTime<Utc>,
    pub lifted_at: Option<DateTime<Utc>>,
}

/// Places a hold.
pub async fn place(
    conn: &mut Conn,
    _desk: &RetentionDesk,
    on: HoldOn,
    reason: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let (person, episode) = match on {
        HoldOn::Person(p) => (Some(p.to_string()), None),
        HoldOn::Episode(e) => (None, Some(e.to_string())),
    };
    let exists: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM people WHERE id = $1) + (SELECT COUNT(*) FROM episodes WHERE id = $2)",
    )
    .bind(person.clone())
    .bind(episode.clone())
    .fetch_one(&mut *conn)
    .await?;
    if exists == 0 {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "INSERT INTO legal_holds (id, person_id, episode_id, reason, placed_by, placed_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.to_string())
    .bind(person)
    .bind(episode)
    .bind(reason)
    .bind(by.to_string())
    .bind(to_text(now))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Lifts a standing hold; a hold already lifted (or unknown) is a conflict.
pub async fn lift(
    conn: &mut Conn,
    _desk: &RetentionDesk,
    id: Uuid,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE legal_holds SET lifted_by = $1, lifted_at = $2 WHERE id = $3 AND lifted_at IS NULL",
    )
    .bind(by.to_string())
    .bind(to_text(now))
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// Every hold, standing ones first.
pub async fn list(conn: &mut Conn, _desk: &RetentionDesk) -> Result<Vec<LegalHold>> {
    let rows = sqlx::query(
        "SELECT h.id, h.person_id, h.episode_id, h.reason, u.display_name, h.placed_at,
                h.lifted_at, p.given_names, p.family_name
         FROM legal_holds h JOIN users u ON u.id = h.placed_by
         LEFT JOIN people p ON p.id = h.person_id
         ORDER BY CASE WHEN h.lifted_at IS NULL THEN 0 ELSE 1 END, h.placed_at DESC, h.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        let (on, about) = match (
            r.try_get::<Option<String>, _>("person_id")?,
            r.try_get::<Option<String>, _>("episode_id")?,
        ) {
            (Some(p), _) => (
                HoldOn::Person(parse_id(&p)?),
                format!(
                    "{} {}",
                    r.try_get::<Option<String>, _>("given_names")?
                        .unwrap_or_default(),
                    r.try_get::<Option<String>, _>("family_name")?
                        .unwrap_or_default()
                ),
            ),
            (None, Some(e)) => {
                let names: Vec<String> = sqlx::query_scalar(
                    "SELECT p.given_names || ' ' || p.family_name FROM episode_people ep
                     JOIN people p ON p.id = ep.person_id WHERE ep.episode_id = $1
                     ORDER BY p.family_name, p.given_names",
                )
                .bind(&e)
                .fetch_all(&mut *conn)
                .await?;
                (HoldOn::Episode(parse_id(&e)?), names.join(", "))
            }
            (None, None) => return Err(StoreError::Corrupt("a hold on nothing".into())),
        };
        out.push(LegalHold {
            id: parse_id(&r.try_get::<String, _>("id")?)?,
            on,
            about,
            reason: r.try_get("reason")?,
            placed_by: r.try_get("display_name")?,
            placed_at: parse_time(&r.try_get::<String, _>("placed_at")?)?,
            lifted_at: r
                .try_get::<Option<String>, _>("lifted_at")?
                .as_deref()
                .map(parse_time)
                .transpose()?,
        });
    }
    Ok(out)
}

const HELD: &str = "SELECT person_id FROM legal_holds WHERE lifted_at IS NULL AND person_id IS NOT NULL
    UNION SELECT ep.person_id FROM legal_holds h JOIN episode_people ep ON ep.episode_id = h.episode_id
    WHERE h.lifted_at IS NULL";

/// Everyone a standing hold covers.
pub(crate) async fn held_people(conn: &mut Conn) -> Result<HashSet<PersonId>> {
    let ids: Vec<String> = sqlx::query_scalar(HELD).fetch_all(&mut *conn).await?;
    ids.iter().map(|i| parse_id(i)).collect()
}

/// Whether a standing hold covers this person (themselves, or an episode of theirs).
pub async fn is_held(conn: &mut Conn, person: PersonId) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM ({HELD}) h WHERE h.person_id = $1"
    ))
    .bind(person.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}
