//! Lead professionals' consultations with the TAF Workers of a Family Hub: asked from an
//! episode (through its proof), answered from the hub's desk (through the desk's proof). A
//! consultation asked without naming the family shows the hub nothing that identifies it.

use crate::decode::parse_id;
use crate::decode::parse_time;
use crate::gate::{AdviceDesk, OpenedEpisode};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::ids::{ConsultationId, EpisodeId, TeamId, UserId};
use hearth_domain::role::Role;
use hearth_domain::time::to_text;
use sqlx::Row;

/// A consultation as the episode shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consultation {
    pub id: ConsultationId,
    pub hub: String,
    pub asked_by: String,
    pub named: bool,
    pub question: String,
    pub asked_at: DateTime<Utc>,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// A consultation as the hub's queue shows it: the family only when the lead named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub id: ConsultationId,
    pub asked_by: String,
    pub asked_by_organisation: String,
    pub question: String,
    pub asked_at: DateTime<Utc>,
    /// The episode and the family's names, for a named consultation.
    pub family: Option<(EpisodeId, String)>,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// The Family Hubs that can be asked: teams with an active TAF Worker, by name.
pub async fn hubs(conn: &mut Conn) -> Result<Vec<(TeamId, String)>> {
    let rows = sqlx::query(
        "SELECT DISTINCT t.id, t.name FROM teams t
         JOIN users u ON u.team_id = t.id AND u.active = 1
         JOIN user_roles r ON r.user_id = u.id AND r.role = $1
         ORDER BY t.name",
    )
    .bind(Role::TafWorker.code())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                parse_id(&r.try_get::<String, _>("id")?)?,
                r.try_get("name")?,
            ))
        })
        .collect()
}

pub async fn insert(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    hub: TeamId,
    by: UserId,
    named: bool,
    question: &str,
    at: DateTime<Utc>,
) -> Result<ConsultationId> {
    let id = ConsultationId::new();
    sqlx::query(
        "INSERT INTO consultations (id, episode_id, hub_team_id, asked_by, named, question, asked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.to_string())
    .bind(opened.id().to_string())
    .bind(hub.to_string())
    .bind(by.to_string())
    .bind(i64::from(named))
    .bind(question)
    .bind(to_text(at))
    .execute(conn)
    .await?;
    Ok(id)
}

fn opt_time(text: Option<String>) -> Result<Option<DateTime<Utc>>> {
    text.as_deref().map(parse_time).transpose()
}

/// The episode's consultations, newest first.
pub async fn for_episode(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Vec<Consultation>> {
    let rows = sqlx::query(
        "SELECT c.id, t.name AS hub_name, u.display_name, c.named, c.question, c.asked_at,
            c.answer, a.display_name AS answered_by_name, c.answered_at
         FROM consultations c JOIN teams t ON t.id = c.hub_team_id
         JOIN users u ON u.id = c.asked_by
         LEFT JOIN users a ON a.id = c.answered_by
         WHERE c.episode_id = $1 ORDER BY c.asked_at DESC, c.id DESC",
    )
    .bind(opened.id().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Consultation {
                id: parse_id(&r.try_get::<String, _>("id")?)?,
                hub: r.try_get("hub_name")?,
                asked_by: r.try_get("display_name")?,
                named: r.try_get::<i64, _>("named")? != 0,
                question: r.try_get("question")?,
                asked_at: parse_time(&r.try_get::<String, _>("asked_at")?)?,
                answer: r.try_get("answer")?,
                answered_by: r.try_get("answered_by_name")?,
                answered_at: opt_time(r.try_get("answered_at")?)?,
            })
        })
        .collect()
}

/// The hub's consultations: those waiting (oldest first), then the latest answered.
pub async fn queue(conn: &mut Conn, desk: &AdviceDesk, answered: i64) -> Result<Vec<Waiting>> {
    let select = "SELECT c.id, c.episode_id, c.named, u.display_name, o.name AS organisation_name,
            c.question, c.asked_at, c.answer, c.answered_at
         FROM consultations c JOIN users u ON u.id = c.asked_by
         JOIN organisations o ON o.id = u.organisation_id
         WHERE c.hub_team_id = $1";
    let mut rows = sqlx::query(&format!(
        "{select} AND c.answered_at IS NULL ORDER BY c.asked_at, c.id"
    ))
    .bind(desk.team().to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.extend(
        sqlx::query(&format!(
            "{select} AND c.answered_at IS NOT NULL ORDER BY c.answered_at DESC, c.id LIMIT $2"
        ))
        .bind(desk.team().to_string())
        .bind(answered)
        .fetch_all(&mut *conn)
        .await?,
    );
    let mut list = Vec::with_capacity(rows.len());
    for r in &rows {
        let named = r.try_get::<i64, _>("named")? != 0;
        let family = if named {
            let episode: EpisodeId = parse_id(&r.try_get::<String, _>("episode_id")?)?;
            Some((episode, family_names(conn, episode).await?))
        } else {
            None
        };
        list.push(Waiting {
            id: parse_id(&r.try_get::<String, _>("id")?)?,
            asked_by: r.try_get("display_name")?,
            asked_by_organisation: r.try_get("organisation_name")?,
            question: r.try_get("question")?,
            asked_at: parse_time(&r.try_get::<String, _>("asked_at")?)?,
            family,
            answer: r.try_get("answer")?,
            answered_at: opt_time(r.try_get("answered_at")?)?,
        });
    }
    Ok(list)
}

async fn family_names(conn: &mut Conn, episode: EpisodeId) -> Result<String> {
    let rows = sqlx::query(
        "SELECT p.given_names, p.family_name FROM episode_people ep
         JOIN people p ON p.id = ep.person_id WHERE ep.episode_id = $1
         ORDER BY p.family_name, p.given_names",
    )
    .bind(episode.to_string())
    .fetch_all(conn)
    .await?;
    let names = rows
        .iter()
        .map(|r| {
            Ok(format!(
                "{} {}",
                r.try_get::<String, _>("given_names")?,
                r.try_get::<String, _>("family_name")?
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(names.join(", "))
}

/// Answers a consultation waiting at the desk's hub; another hub's, or one already
/// answered, is not found.
pub async fn answer(
    conn: &mut Conn,
    desk: &AdviceDesk,
    id: ConsultationId,
    answer: &str,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<EpisodeId> {
    let episode: Option<String> = sqlx::query_scalar(
        "SELECT episode_id FROM consultations
         WHERE id = $1 AND hub_team_id = $2 AND answered_at IS NULL",
    )
    .bind(id.to_string())
    .bind(desk.team().to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let episode = episode.ok_or(StoreError::NotFound)?;
    let done = sqlx::query(
        "UPDATE consultations SET answer = $1, answered_by = $2, answered_at = $3
         WHERE id = $4 AND hub_team_id = $5 AND answered_at IS NULL",
    )
    .bind(answer)
    .bind(by.to_string())
    .bind(to_text(at))
    .bind(id.to_string())
    .bind(desk.team().to_string())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    parse_id(&episode)
}
