//! Team Around the Family reviews: when, who came, progress on each outcome on the 0–10
//! scale, decisions and the next review date. Two people recording at once each keep what
//! they recorded. A review can be corrected: every earlier version is kept, and a correction
//! made from an out-of-date version is refused with [`StoreError::Conflict`].

use crate::decode::{date, parse_time};
use crate::gate::OpenedEpisode;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::ids::UserId;
use hearth_domain::time::to_text;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub outcome_id: String,
    pub scale: u8,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub version: i64,
    /// Who last corrected it, when it has been.
    pub edited_by_name: Option<String>,
}

/// A review as it was before a correction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewVersion {
    pub version: i64,
    pub fields: ReviewFields,
    pub saved_by_name: String,
    pub saved_at: DateTime<Utc>,
}

pub async fn insert(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    f: &ReviewFields,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<String> {
    let episode = opened.id();
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
    insert_progress(conn, &id, &f.progress).await?;
    Ok(id)
}

/// The episode's reviews, oldest first, each with its progress.
pub async fn for_episode(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Vec<Review>> {
    let episode = opened.id();
    let rows = sqlx::query(
        "SELECT r.id, r.held_on, r.attendees, r.decisions, r.next_review_on, u.display_name,
            r.version, e.display_name AS edited_by_name
         FROM reviews r JOIN users u ON u.id = r.recorded_by
         LEFT JOIN users e ON e.id = r.edited_by
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
                    held_on: date(&r.try_get::<String, _>("held_on")?)?,
                    attendees: r.try_get("attendees")?,
                    decisions: r.try_get("decisions")?,
                    next_review_on: date(&r.try_get::<String, _>("next_review_on")?)?,
                    progress: Vec::new(),
                },
                recorded_by_name: r.try_get("display_name")?,
                version: r.try_get("version")?,
                edited_by_name: r.try_get("edited_by_name")?,
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

/// Corrects a review over `version`, keeping the version before; returns the new version.
pub async fn update(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    review: &str,
    version: i64,
    f: &ReviewFields,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<i64> {
    let episode = opened.id();
    let current = for_episode(conn, opened)
        .await?
        .into_iter()
        .find(|r| r.id == review)
        .ok_or(StoreError::NotFound)?;
    // Who saved the version being replaced, and when.
    let saver = sqlx::query(
        "SELECT COALESCE(edited_by, recorded_by) AS by_user,
            COALESCE(edited_at, recorded_at) AS at FROM reviews WHERE id = $1",
    )
    .bind(review)
    .fetch_one(&mut *conn)
    .await?;
    let done = sqlx::query(
        "UPDATE reviews SET held_on = $1, attendees = $2, decisions = $3, next_review_on = $4,
            version = version + 1, edited_by = $5, edited_at = $6
         WHERE id = $7 AND episode_id = $8 AND version = $9",
    )
    .bind(f.held_on.to_string())
    .bind(&f.attendees)
    .bind(&f.decisions)
    .bind(f.next_review_on.to_string())
    .bind(by.to_string())
    .bind(to_text(now))
    .bind(review)
    .bind(episode.to_string())
    .bind(version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    let snapshot =
        serde_json::to_string(&current.fields).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query(
        "INSERT INTO review_versions (review_id, version, snapshot, saved_by, saved_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(review)
    .bind(version)
    .bind(snapshot)
    .bind(saver.try_get::<String, _>("by_user")?)
    .bind(saver.try_get::<String, _>("at")?)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM review_progress WHERE review_id = $1")
        .bind(review)
        .execute(&mut *conn)
        .await?;
    insert_progress(conn, review, &f.progress).await?;
    Ok(version + 1)
}

async fn insert_progress(conn: &mut Conn, review: &str, progress: &[Progress]) -> Result<()> {
    for p in progress {
        sqlx::query(
            "INSERT INTO review_progress (review_id, outcome_id, scale, comment)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(review)
        .bind(&p.outcome_id)
        .bind(i64::from(p.scale))
        .bind(&p.comment)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A review's earlier versions, newest first.
pub async fn versions(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    review: &str,
) -> Result<Vec<ReviewVersion>> {
    let rows = sqlx::query(
        "SELECT v.version, v.snapshot, u.display_name, v.saved_at FROM review_versions v
         JOIN reviews r ON r.id = v.review_id JOIN users u ON u.id = v.saved_by
         WHERE v.review_id = $1 AND r.episode_id = $2 ORDER BY v.version DESC",
    )
    .bind(review)
    .bind(opened.id().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let snapshot: String = r.try_get("snapshot")?;
            Ok(ReviewVersion {
                version: r.try_get("version")?,
                fields: serde_json::from_str(&snapshot)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                saved_by_name: r.try_get("display_name")?,
                saved_at: parse_time(&r.try_get::<String, _>("saved_at")?)?,
            })
        })
        .collect()
}
