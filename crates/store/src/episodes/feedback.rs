//! The family's links: the feedback at closure and the surveys at an episode's start, after
//! its reviews and at closure (ADR 0037), for the family or one child. Only a hash of each
//! link's token is kept. An answer is written only over an unused, current invitation, so a
//! link cannot be used twice even by two answers at once.

use crate::decode::{parse_id, parse_time};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::ids::{EpisodeId, PersonId, UserId};
use hearth_domain::survey::{Audience, Moment};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: Uuid,
    pub episode_id: EpisodeId,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub answer: Option<Answer>,
    pub moment: Moment,
    pub audience: Audience,
    /// The child a children's survey is for.
    pub child: Option<PersonId>,
    /// The version of the questions asked; none for links made before surveys.
    pub version: Option<String>,
    /// When answered: the language it was answered in.
    pub language: Option<String>,
    /// When answered: set by the survey's answer even where the feedback form's are not.
    pub answered_at: Option<DateTime<Utc>>,
}

/// What a new link is for.
#[derive(Debug, Clone, Copy)]
pub struct LinkFor<'a> {
    pub moment: Moment,
    pub audience: Audience,
    pub child: Option<PersonId>,
    pub version: &'a str,
}

impl LinkFor<'_> {
    /// The closure feedback for the family, as signing off a closure makes it.
    pub fn closure(version: &str) -> LinkFor<'_> {
        LinkFor {
            moment: Moment::Closure,
            audience: Audience::Family,
            child: None,
            version,
        }
    }
}

/// What the family said, in their words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub at: DateTime<Utc>,
    /// 1 (bad) to 5 (very good).
    pub rating: u8,
    pub what_changed: String,
    pub anything_else: Option<String>,
}

const SELECT: &str = "SELECT f.id, f.episode_id, u.display_name, f.created_at, f.expires_at,
    f.withdrawn_at, f.answered_at, f.rating, f.what_changed, f.anything_else, f.moment,
    f.audience, f.person_id, f.version, f.language
    FROM feedback_invitations f JOIN users u ON u.id = f.created_by";

fn time(row: &AnyRow, column: &str) -> Result<Option<DateTime<Utc>>> {
    row.try_get::<Option<String>, _>(column)?
        .as_deref()
        .map(parse_time)
        .transpose()
}

fn from_row(row: &AnyRow) -> Result<Invitation> {
    let answered_at = time(row, "answered_at")?;
    let rated = row.try_get::<Option<i64>, _>("rating")?.is_some();
    let answer = match answered_at.filter(|_| rated) {
        Some(at) => Some(Answer {
            at,
            rating: u8::try_from(row.try_get::<Option<i64>, _>("rating")?.unwrap_or_default())
                .unwrap_or_default(),
            what_changed: row
                .try_get::<Option<String>, _>("what_changed")?
                .unwrap_or_default(),
            anything_else: row.try_get("anything_else")?,
        }),
        None => None,
    };
    let id: String = row.try_get("id")?;
    Ok(Invitation {
        id: id
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("bad invitation id {id}")))?,
        episode_id: parse_id(&row.try_get::<String, _>("episode_id")?)?,
        created_by_name: row.try_get("display_name")?,
        created_at: parse_time(&row.try_get::<String, _>("created_at")?)?,
        expires_at: parse_time(&row.try_get::<String, _>("expires_at")?)?,
        withdrawn_at: time(row, "withdrawn_at")?,
        answer,
        moment: crate::decode::code(
            &row.try_get::<String, _>("moment")?,
            Moment::from_code,
            "moment",
        )?,
        audience: crate::decode::code(
            &row.try_get::<String, _>("audience")?,
            Audience::from_code,
            "audience",
        )?,
        child: row
            .try_get::<Option<String>, _>("person_id")?
            .as_deref()
            .map(parse_id)
            .transpose()?,
        version: row.try_get("version")?,
        language: row.try_get("language")?,
        answered_at,
    })
}

/// Records a new invitation; any earlier one for the same moment and the same person (the
/// family, or the same child) not yet answered stops working, so only the newest letter they
/// hold is live.
#[allow(clippy::too_many_arguments)] // one row's columns
pub async fn invite(
    conn: &mut Conn,
    id: Uuid,
    episode: EpisodeId,
    token_hash: &str,
    by: UserId,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    what: LinkFor<'_>,
) -> Result<()> {
    let child = what.child.map(|c| c.to_string()).unwrap_or_default();
    sqlx::query(
        "UPDATE feedback_invitations SET withdrawn_at = $1
         WHERE episode_id = $2 AND answered_at IS NULL AND withdrawn_at IS NULL
           AND moment = $3 AND audience = $4 AND COALESCE(person_id, '') = $5",
    )
    .bind(to_text(now))
    .bind(episode.to_string())
    .bind(what.moment.code())
    .bind(what.audience.code())
    .bind(&child)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO feedback_invitations (id, episode_id, token_hash, created_by, created_at,
            expires_at, moment, audience, person_id, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULLIF($9, ''), $10)",
    )
    .bind(id.to_string())
    .bind(episode.to_string())
    .bind(token_hash)
    .bind(by.to_string())
    .bind(to_text(now))
    .bind(to_text(expires_at))
    .bind(what.moment.code())
    .bind(what.audience.code())
    .bind(&child)
    .bind(what.version)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn by_token(conn: &mut Conn, token_hash: &str) -> Result<Option<Invitation>> {
    sqlx::query(&format!("{SELECT} WHERE f.token_hash = $1"))
        .bind(token_hash)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// An episode's invitations, newest first.
pub async fn for_episode(conn: &mut Conn, episode: EpisodeId) -> Result<Vec<Invitation>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE f.episode_id = $1 ORDER BY f.created_at DESC"
    ))
    .bind(episode.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Stores the family's answer; [`StoreError::Conflict`] if the invitation was used,
/// withdrawn or expired in the meantime.
pub async fn answer(conn: &mut Conn, id: Uuid, a: &Answer) -> Result<()> {
    let done = sqlx::query(
        "UPDATE feedback_invitations SET answered_at = $1, rating = $2, what_changed = $3,
            anything_else = $4
         WHERE id = $5 AND answered_at IS NULL AND withdrawn_at IS NULL AND expires_at > $1",
    )
    .bind(to_text(a.at))
    .bind(i64::from(a.rating))
    .bind(&a.what_changed)
    .bind(a.anything_else.as_deref())
    .bind(id.to_string())
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// Marks an invitation answered (by a survey with no feedback form), in `language`;
/// [`StoreError::Conflict`] if it was used, withdrawn or expired in the meantime.
pub(crate) async fn mark_answered(
    conn: &mut Conn,
    id: Uuid,
    at: DateTime<Utc>,
    language: &str,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE feedback_invitations SET answered_at = $1, language = $2
         WHERE id = $3 AND answered_at IS NULL AND withdrawn_at IS NULL AND expires_at > $1",
    )
    .bind(to_text(at))
    .bind(language)
    .bind(id.to_string())
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// Sets the language a feedback form was answered in.
pub(crate) async fn set_language(conn: &mut Conn, id: Uuid, language: &str) -> Result<()> {
    sqlx::query("UPDATE feedback_invitations SET language = $1 WHERE id = $2")
        .bind(language)
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}
