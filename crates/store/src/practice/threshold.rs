//! The Threshold of Need as the partnership publishes it: numbered editions, each whole, all
//! kept. No edition yet means Hearth's default (Nottingham's four levels).

use crate::decode::parse_time;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::continuum::ContinuumLevel;
use hearth_domain::ids::UserId;
use hearth_domain::practice::{Part, Threshold};
use hearth_domain::time::to_text;
use sqlx::Row;
use std::collections::HashMap;

/// One published edition: its number, what changed, who published it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    pub number: i64,
    pub note: String,
    pub published_by: String,
    pub published_at: DateTime<Utc>,
}

/// Every edition, newest first.
pub async fn editions(conn: &mut Conn) -> Result<Vec<Edition>> {
    let rows = sqlx::query(
        "SELECT e.edition, e.note, u.display_name, e.published_at
         FROM threshold_editions e JOIN users u ON u.id = e.published_by
         ORDER BY e.edition DESC",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Edition {
                number: r.try_get("edition")?,
                note: r.try_get("note")?,
                published_by: r.try_get("display_name")?,
                published_at: parse_time(&r.try_get::<String, _>("published_at")?)?,
            })
        })
        .collect()
}

/// The texts of one edition, checked as a whole; a stored edition that is not a whole
/// threshold (a level without its description, a part we do not know) is corrupt.
pub async fn texts(conn: &mut Conn, edition: i64) -> Result<Threshold> {
    let rows = sqlx::query("SELECT level, part, body FROM threshold_texts WHERE edition = $1")
        .bind(edition)
        .fetch_all(&mut *conn)
        .await?;
    let mut parts: HashMap<(ContinuumLevel, Part), String> = HashMap::new();
    for r in &rows {
        let level: i64 = r.try_get("level")?;
        let part: String = r.try_get("part")?;
        let level = ContinuumLevel::from_number(level)
            .ok_or_else(|| StoreError::Corrupt(format!("threshold level {level}")))?;
        let part = Part::from_code(&part)
            .ok_or_else(|| StoreError::Corrupt(format!("threshold part {part}")))?;
        parts.insert((level, part), r.try_get("body")?);
    }
    Threshold::from_parts(|l, p| parts.get(&(l, p)).cloned().unwrap_or_default())
        .map_err(|_| StoreError::Corrupt(format!("threshold edition {edition} is not whole")))
}

/// Publishes a new edition, the one after `based_on` (0 when replacing the default); if
/// someone published another meanwhile, it is a conflict and nothing is written.
pub async fn publish(
    conn: &mut Conn,
    based_on: i64,
    threshold: &Threshold,
    note: &str,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<i64> {
    let latest: Option<i64> = sqlx::query_scalar("SELECT MAX(edition) FROM threshold_editions")
        .fetch_one(&mut *conn)
        .await?;
    if latest.unwrap_or(0) != based_on {
        return Err(StoreError::Conflict);
    }
    let edition = based_on + 1;
    sqlx::query(
        "INSERT INTO threshold_editions (edition, note, published_by, published_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(edition)
    .bind(note)
    .bind(by.to_string())
    .bind(to_text(at))
    .execute(&mut *conn)
    .await?;
    for level in ContinuumLevel::ALL {
        for part in Part::all() {
            let body = threshold.text(level, part);
            if body.is_empty() {
                continue;
            }
            sqlx::query(
                "INSERT INTO threshold_texts (edition, level, part, body) VALUES ($1, $2, $3, $4)",
            )
            .bind(edition)
            .bind(level.number())
            .bind(part.code())
            .bind(body)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(edition)
}
