//! Tasks no form creates by itself: allocate an episode that arrived, sign off an assessment or
//! a closure, rework one sent back, ask six months on whether outcomes were sustained. For a
//! person or for a whole team; their kinds are [`TaskKind`].

use crate::decode::{coded, parse_id};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::ids::{EpisodeId, RequestId, TaskId, TeamId, UserId};
use hearth_domain::task::TaskKind;
use hearth_domain::time::to_text;
use sqlx::Row;

pub struct NewTask {
    pub kind: TaskKind,
    pub episode: Option<EpisodeId>,
    /// The request for support it is about, if any.
    pub request: Option<RequestId>,
    pub user: Option<UserId>,
    pub team: Option<TeamId>,
    pub title: String,
    pub due_on: NaiveDate,
}

pub async fn insert(conn: &mut Conn, t: &NewTask, now: DateTime<Utc>) -> Result<TaskId> {
    let id = TaskId::new();
    sqlx::query(
        "INSERT INTO tasks (id, kind, episode_id, user_id, team_id, title, due_on, created_at, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id.to_string())
    .bind(t.kind.code())
    .bind(t.episode.map(|e| e.to_string()))
    .bind(t.user.map(|u| u.to_string()))
    .bind(t.team.map(|t| t.to_string()))
    .bind(&t.title)
    .bind(t.due_on.to_string())
    .bind(to_text(now))
    .bind(t.request.map(|r| r.to_string()))
    .execute(conn)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: TaskId,
    pub kind: TaskKind,
    pub episode_id: Option<EpisodeId>,
    pub request_id: Option<RequestId>,
    pub title: String,
    pub due_on: NaiveDate,
}

/// Open tasks for this user or this team.
pub async fn open_for(
    conn: &mut Conn,
    user: Option<UserId>,
    team: Option<TeamId>,
) -> Result<Vec<Task>> {
    let rows = sqlx::query(
        "SELECT id, kind, episode_id, request_id, title, due_on FROM tasks
         WHERE done_at IS NULL AND (user_id = $1 OR team_id = $2) ORDER BY due_on, id",
    )
    .bind(user.map(|u| u.to_string()))
    .bind(team.map(|t| t.to_string()))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let episode: Option<String> = r.try_get("episode_id")?;
            let request: Option<String> = r.try_get("request_id")?;
            Ok(Task {
                id: parse_id(&r.try_get::<String, _>("id")?)?,
                kind: coded(r, "kind", TaskKind::from_code)?,
                episode_id: episode.as_deref().map(parse_id).transpose()?,
                request_id: request.as_deref().map(parse_id).transpose()?,
                title: r.try_get("title")?,
                due_on: NaiveDate::parse_from_str(&r.try_get::<String, _>("due_on")?, "%Y-%m-%d")
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            })
        })
        .collect()
}

/// Marks an episode's open tasks of one kind done (allocation made, closure signed off).
pub async fn complete(
    conn: &mut Conn,
    episode: EpisodeId,
    kind: TaskKind,
    by: UserId,
    outcome: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    complete_where(
        conn,
        "episode_id",
        episode.to_string(),
        kind,
        by,
        outcome,
        now,
    )
    .await
}

/// Moves the due day of an episode's open tasks of one kind (a sustainment check answered in
/// part waits for its next outcome).
pub async fn reschedule(
    conn: &mut Conn,
    episode: EpisodeId,
    kind: TaskKind,
    due_on: chrono::NaiveDate,
) -> Result<()> {
    sqlx::query(
        "UPDATE tasks SET due_on = $1 WHERE episode_id = $2 AND kind = $3 AND done_at IS NULL",
    )
    .bind(due_on.to_string())
    .bind(episode.to_string())
    .bind(kind.code())
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks a request's open tasks of one kind done (a held decision confirmed or sent back).
pub async fn complete_for_request(
    conn: &mut Conn,
    request: RequestId,
    kind: TaskKind,
    by: UserId,
    outcome: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    complete_where(
        conn,
        "request_id",
        request.to_string(),
        kind,
        by,
        outcome,
        now,
    )
    .await
}

/// The open tasks of one kind about one record, by the column that names it (a fixed name
/// from this module, never input), marked done.
async fn complete_where(
    conn: &mut Conn,
    column: &'static str,
    id: String,
    kind: TaskKind,
    by: UserId,
    outcome: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(&format!(
        "UPDATE tasks SET done_at = $1, done_by = $2, outcome = $3
         WHERE {column} = $4 AND kind = $5 AND done_at IS NULL"
    ))
    .bind(to_text(now))
    .bind(by.to_string())
    .bind(outcome)
    .bind(id)
    .bind(kind.code())
    .execute(conn)
    .await?;
    Ok(())
}

/// The teams asked to sign off these episodes' recorded closures (the open sign-off tasks'
/// teams): who the closure waits for, which the gate lets sign it.
pub async fn closure_signers(
    conn: &mut Conn,
    episodes: &[EpisodeId],
) -> Result<Vec<(EpisodeId, TeamId)>> {
    if episodes.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT episode_id, team_id FROM tasks
         WHERE done_at IS NULL AND kind = $1 AND team_id IS NOT NULL AND episode_id IN ({})",
        crate::family::people::placeholders(episodes.len(), 2)
    );
    let mut q = sqlx::query(&sql).bind(TaskKind::SignOffClosure.code());
    for e in episodes {
        q = q.bind(e.to_string());
    }
    q.fetch_all(conn)
        .await?
        .iter()
        .map(|r| {
            Ok((
                parse_id(&r.try_get::<String, _>("episode_id")?)?,
                parse_id(&r.try_get::<String, _>("team_id")?)?,
            ))
        })
        .collect()
}
