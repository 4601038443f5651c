//! The scores distance travelled is measured from, read in two queries so the episode page
//! stays quick: the assessment's 0–10 per member and need, and every review's 0–10 per
//! outcome, once for each need the outcome works on.

use crate::decode::{coded, date, parse_id};
use crate::{Conn, Result, StoreError};
use chrono::NaiveDate;
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::need::NeedDomain;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A 0–10 score; anything else stored is corrupt, not a zero.
fn scale(row: &AnyRow) -> Result<u8> {
    let v: i64 = row.try_get("scale")?;
    u8::try_from(v)
        .ok()
        .filter(|s| *s <= 10)
        .ok_or_else(|| StoreError::Corrupt(format!("scale {v}")))
}

/// (member, need, score) from the episode's assessment, where a score was given.
pub async fn assessed(
    conn: &mut Conn,
    episode: EpisodeId,
) -> Result<Vec<(PersonId, NeedDomain, u8)>> {
    sqlx::query(
        "SELECT e.person_id, e.domain, e.scale FROM assessment_entries e
         JOIN assessments a ON a.id = e.assessment_id
         WHERE a.episode_id = $1 AND e.scale IS NOT NULL",
    )
    .bind(episode.to_string())
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok((
            parse_id(&r.try_get::<String, _>("person_id")?)?,
            coded(r, "domain", NeedDomain::from_code)?,
            scale(r)?,
        ))
    })
    .collect()
}

/// (need, review date, score) for every outcome scored at every review of the episode.
pub async fn reviewed(
    conn: &mut Conn,
    episode: EpisodeId,
) -> Result<Vec<(NeedDomain, NaiveDate, u8)>> {
    sqlx::query(
        "SELECT n.domain, r.held_on, p.scale FROM review_progress p
         JOIN reviews r ON r.id = p.review_id
         JOIN plan_outcome_needs n ON n.outcome_id = p.outcome_id
         WHERE r.episode_id = $1",
    )
    .bind(episode.to_string())
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok((
            coded(r, "domain", NeedDomain::from_code)?,
            date(&r.try_get::<String, _>("held_on")?)?,
            scale(r)?,
        ))
    })
    .collect()
}
