//! "This is a different person": someone added although they closely matched an existing
//! record, with the reason given, kept so the front door sees the possible duplicate.

use crate::decode::{parse_id, parse_time};
use crate::gate::OpenedPerson;
use crate::{Conn, Result};
use chrono::{DateTime, Utc};
use hearth_domain::ids::{PersonId, UserId};
use hearth_domain::time::to_text;
use sqlx::Row;

/// Another record this person was said not to be, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distinction {
    pub other: PersonId,
    pub reason: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// Records that `person`, just added, is not `other`, whom they closely matched.
pub async fn record(
    conn: &mut Conn,
    person: PersonId,
    other: PersonId,
    reason: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO distinct_people (person_id, other_person_id, reason, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(person.to_string())
    .bind(other.to_string())
    .bind(reason)
    .bind(by.to_string())
    .bind(to_text(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Every record the opened person was said, when either was added, not to be.
pub async fn of(conn: &mut Conn, opened: &OpenedPerson) -> Result<Vec<Distinction>> {
    let rows = sqlx::query(
        "SELECT CASE WHEN d.person_id = $1 THEN d.other_person_id ELSE d.person_id END AS other,
                d.reason, u.display_name, d.recorded_at
         FROM distinct_people d JOIN users u ON u.id = d.recorded_by
         WHERE d.person_id = $1 OR d.other_person_id = $1
         ORDER BY d.recorded_at",
    )
    .bind(opened.id().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Distinction {
                other: parse_id(&r.try_get::<String, _>("other")?)?,
                reason: r.try_get("reason")?,
                recorded_by: r.try_get("display_name")?,
                recorded_at: parse_time(&r.try_get::<String, _>("recorded_at")?)?,
            })
        })
        .collect()
}
