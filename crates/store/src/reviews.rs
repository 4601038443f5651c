//! Team Around the Family reviews: when, who came, progress on each outcome on the 0–10
//! scale, decisions and the next review date. A review is added, never edited, so two
//! people recording at once each keep what they recorded.

use crate::{Conn, Result};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::ids::{EpisodeId, UserId};
use hearth_domain::time::to_text;
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub outcome_id: String,
    pub scale: u8,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewFields {
    pub held_on: NaiveDate,
    pub attendees: String,
    pub decisions: String,
    pub next_review_on: NaiveDate,
    pub progress: Vec<Progress>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: String,
    pub fields: ReviewFields,
    pub recorded_by_name: String,
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

pub async fn insert(
    conn: &mut Conn,
    episode: EpisodeId,
    f: &ReviewFields,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<String> {
    let id = Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO reviews (id, episode_id, held_on, attendees, decisions, next_review_on,
            recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(episode.to_string())
    .bind(f.held_on.to_string())
    .bind(&f.attendees)
    .bind(&f.decisions)
    .bind(f.next_review_on.to_string())
    .bind(by.to_string())
    .bind(to_text(now))
    .execute(&mut *conn)
    .await?;
    for p in &f.progress {
        sqlx::query(
            "INSERT INTO review_progress (review_id, outcome_id, scale, comment)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&id)
        .bind(&p.outcome_id)
        .bind(i64::from(p.scale))
        .bind(&p.comment)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// The episode's reviews, oldest first, each with its progress.
pub async fn for_episode(conn: &mut Conn, episode: EpisodeId) -> Result<Vec<Review>> {
    let rows = sqlx::query(
        "SELECT r.id, r.held_on, r.attendees, r.decisions, r.next_review_on, u.display_name
         FROM reviews r JOIN users u ON u.id = r.recorded_by
         WHERE r.episode_id = $1 ORDER BY r.held_on, r.id",
    )
    .bind(episode.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut list = rows
        .iter()
        .map(|r| {
            Ok(Review {
                id: r.try_get("id")?,
                fields: ReviewFields {
                    held_on: date(&r.try_get::<String, _>("held_on")?),
                    attendees: r.try_get("attendees")?,
                    decisions: r.try_get("decisions")?,
                    next_review_on: date(&r.try_get::<String, _>("next_review_on")?),
                    progress: Vec::new(),
                },
                recorded_by_name: r.try_get("display_name")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let progress = sqlx::query(
        "SELECT p.review_id, p.outcome_id, p.scale, p.comment FROM review_progress p
         JOIN reviews r ON r.id = p.review_id WHERE r.episode_id = $1",
    )
    .bind(episode.to_string())
    .fetch_all(conn)
    .await?;
    for p in &progress {
        let review: String = p.try_get("review_id")?;
        let scale: i64 = p.try_get("scale")?;
        if let Some(r) = list.iter_mut().find(|r| r.id == review) {
            r.fields.progress.push(Progress {
                outcome_id: p.try_get("outcome_id")?,
                scale: u8::try_from(scale).unwrap_or_default(),
                comment: p.try_get("comment")?,
            });
        }
    }
    Ok(list)
}
