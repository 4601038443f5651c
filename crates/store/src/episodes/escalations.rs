//! Professional disagreements raised on an episode, through stages 1–3 to a resolution.

use crate::decode::{date, opt_date, parse_id};
use crate::gate::OpenedEpisode;
use crate::{Conn, Result, StoreError};
use chrono::NaiveDate;
use hearth_domain::ids::{EscalationId, UserId};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    pub id: EscalationId,
    pub raised_by_name: String,
    pub raised_by_organisation: String,
    pub about: String,
    pub stage: i64,
    pub stage_started_on: NaiveDate,
    pub deadline: NaiveDate,
    pub resolved_on: Option<NaiveDate>,
    pub resolution: Option<String>,
    pub version: i64,
}

pub async fn insert(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    by: UserId,
    about: &str,
    on: NaiveDate,
    deadline: NaiveDate,
) -> Result<EscalationId> {
    let episode = opened.id();
    let id = EscalationId::new();
    sqlx::query(
        "INSERT INTO escalations (id, episode_id, raised_by, about, stage, stage_started_on, deadline)
         VALUES ($1, $2, $3, $4, 1, $5, $6)",
    )
    .bind(id.to_string())
    .bind(episode.to_string())
    .bind(by.to_string())
    .bind(about)
    .bind(on.to_string())
    .bind(deadline.to_string())
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn for_episode(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Vec<Escalation>> {
    let episode = opened.id();
    let rows = sqlx::query(
        "SELECT x.id, u.display_name, o.name AS organisation_name, x.about, x.stage,
            x.stage_started_on, x.deadline, x.resolved_on, x.resolution, x.version
         FROM escalations x JOIN users u ON u.id = x.raised_by
         JOIN organisations o ON o.id = u.organisation_id
         WHERE x.episode_id = $1 ORDER BY x.stage_started_on DESC, x.id DESC",
    )
    .bind(episode.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Escalation {
                id: parse_id(&r.try_get::<String, _>("id")?)?,
                raised_by_name: r.try_get("display_name")?,
                raised_by_organisation: r.try_get("organisation_name")?,
                about: r.try_get("about")?,
                stage: r.try_get("stage")?,
                stage_started_on: date(&r.try_get::<String, _>("stage_started_on")?)?,
                deadline: date(&r.try_get::<String, _>("deadline")?)?,
                resolved_on: opt_date(r.try_get("resolved_on")?)?,
                resolution: r.try_get("resolution")?,
                version: r.try_get("version")?,
            })
        })
        .collect()
}

/// Moves an open disagreement to the next stage with its new deadline.
pub async fn advance(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    id: EscalationId,
    version: i64,
    stage: i64,
    on: NaiveDate,
    deadline: NaiveDate,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE escalations SET stage = $1, stage_started_on = $2, deadline = $3, version = version + 1
         WHERE id = $4 AND version = $5 AND resolved_on IS NULL AND episode_id = $6",
    )
    .bind(stage)
    .bind(on.to_string())
    .bind(deadline.to_string())
    .bind(id.to_string())
    .bind(version)
    .bind(opened.id().to_string())
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

pub async fn resolve(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    id: EscalationId,
    version: i64,
    resolution: &str,
    on: NaiveDate,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE escalations SET resolved_on = $1, resolution = $2, version = version + 1
         WHERE id = $3 AND version = $4 AND resolved_on IS NULL AND episode_id = $5",
    )
    .bind(on.to_string())
    .bind(resolution)
    .bind(id.to_string())
    .bind(version)
    .bind(opened.id().to_string())
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}
