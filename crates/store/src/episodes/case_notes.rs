//! Case notes. An edit never overwrites: the earlier text is kept as a revision with who
//! wrote it and who replaced it, and an edit from an out-of-date version is refused.

use crate::decode::{coded, date, parse_id, parse_time};
use crate::gate::OpenedEpisode;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::episode::{NoteKind, NoteVisibility};
use hearth_domain::ids::{EpisodeId, NoteId, OrganisationId, UserId};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteFields {
    pub kind: NoteKind,
    pub occurred_on: NaiveDate,
    pub participants: String,
    pub child_seen: bool,
    pub child_seen_alone: bool,
    pub body: String,
    pub visibility: NoteVisibility,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: NoteId,
    pub episode_id: EpisodeId,
    pub fields: NoteFields,
    pub author_id: UserId,
    pub author_name: String,
    pub organisation_name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

pub async fn insert(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    f: &NoteFields,
    author: UserId,
    organisation: OrganisationId,
    now: DateTime<Utc>,
) -> Result<NoteId> {
    let id = NoteId::new();
    let episode = opened.id();
    sqlx::query(
        "INSERT INTO case_notes (id, episode_id, kind, occurred_on, participants, child_seen,
            child_seen_alone, body, visibility, author_id, organisation_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
    )
    .bind(id.to_string())
    .bind(episode.to_string())
    .bind(f.kind.code())
    .bind(f.occurred_on.to_string())
    .bind(&f.participants)
    .bind(i64::from(f.child_seen))
    .bind(i64::from(f.child_seen_alone))
    .bind(&f.body)
    .bind(f.visibility.code())
    .bind(author.to_string())
    .bind(organisation.to_string())
    .bind(to_text(now))
    .execute(conn)
    .await?;
    Ok(id)
}

const SELECT: &str = "SELECT n.id, n.episode_id, n.kind, n.occurred_on, n.participants,
        n.child_seen, n.child_seen_alone, n.body, n.visibility, n.author_id,
        u.display_name, o.name AS organisation_name, n.created_at, n.updated_at, n.version
    FROM case_notes n JOIN users u ON u.id = n.author_id
    JOIN organisations o ON o.id = n.organisation_id";

fn from_row(r: &AnyRow) -> Result<Note> {
    Ok(Note {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        episode_id: parse_id(&r.try_get::<String, _>("episode_id")?)?,
        fields: NoteFields {
            kind: coded(r, "kind", NoteKind::from_code)?,
            occurred_on: date(&r.try_get::<String, _>("occurred_on")?)?,
            participants: r.try_get("participants")?,
            child_seen: r.try_get::<i64, _>("child_seen")? != 0,
            child_seen_alone: r.try_get::<i64, _>("child_seen_alone")? != 0,
            body: r.try_get("body")?,
            visibility: coded(r, "visibility", NoteVisibility::from_code)?,
        },
        author_id: parse_id(&r.try_get::<String, _>("author_id")?)?,
        author_name: r.try_get("display_name")?,
        organisation_name: r.try_get("organisation_name")?,
        created_at: parse_time(&r.try_get::<String, _>("created_at")?)?,
        updated_at: parse_time(&r.try_get::<String, _>("updated_at")?)?,
        version: r.try_get("version")?,
    })
}

/// The episode a note belongs to: all a use case may know before the gate opens the episode.
pub async fn episode_of(conn: &mut Conn, id: NoteId) -> Result<EpisodeId> {
    let e: Option<String> = sqlx::query_scalar("SELECT episode_id FROM case_notes WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?;
    parse_id(&e.ok_or(StoreError::NotFound)?)
}

/// A note of the opened episode (another episode's note is not found).
pub async fn get(conn: &mut Conn, opened: &OpenedEpisode, id: NoteId) -> Result<Note> {
    let row = sqlx::query(&format!("{SELECT} WHERE n.id = $1 AND n.episode_id = $2"))
        .bind(id.to_string())
        .bind(opened.id().to_string())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    from_row(&row)
}

/// Replaces a note's fields, keeping the text it had. Refused with [`StoreError::Conflict`]
/// if the note changed since `version` was read.
pub async fn edit(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    id: NoteId,
    version: i64,
    f: &NoteFields,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let before = get(conn, opened, id).await?;
    if before.version != version {
        return Err(StoreError::Conflict);
    }
    let done = sqlx::query(
        "UPDATE case_notes SET kind = $1, occurred_on = $2, participants = $3, child_seen = $4,
            child_seen_alone = $5, body = $6, visibility = $7, updated_at = $8,
            version = version + 1
         WHERE id = $9 AND version = $10",
    )
    .bind(f.kind.code())
    .bind(f.occurred_on.to_string())
    .bind(&f.participants)
    .bind(i64::from(f.child_seen))
    .bind(i64::from(f.child_seen_alone))
    .bind(&f.body)
    .bind(f.visibility.code())
    .bind(to_text(now))
    .bind(id.to_string())
    .bind(version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    // Who wrote the replaced text: the author, or whoever last replaced it.
    let written_by: Option<String> = sqlx::query_scalar(
        "SELECT replaced_by FROM case_note_revisions WHERE note_id = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO case_note_revisions (note_id, version, body, written_by, written_at, replaced_by, replaced_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.to_string())
    .bind(version)
    .bind(&before.fields.body)
    .bind(written_by.unwrap_or_else(|| before.author_id.to_string()))
    .bind(to_text(before.updated_at))
    .bind(by.to_string())
    .bind(to_text(now))
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub version: i64,
    pub body: String,
    pub written_by_name: String,
    pub written_at: DateTime<Utc>,
    pub replaced_by_name: String,
    pub replaced_at: DateTime<Utc>,
}

/// Earlier texts of a note (of the opened episode), oldest first.
pub async fn revisions(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    id: NoteId,
) -> Result<Vec<Revision>> {
    get(conn, opened, id).await?;
    let rows = sqlx::query(
        "SELECT r.version, r.body, w.display_name AS written_by, r.written_at,
            b.display_name AS replaced_by, r.replaced_at
         FROM case_note_revisions r JOIN users w ON w.id = r.written_by
         JOIN users b ON b.id = r.replaced_by
         WHERE r.note_id = $1 ORDER BY r.version",
    )
    .bind(id.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Revision {
                version: r.try_get("version")?,
                body: r.try_get("body")?,
                written_by_name: r.try_get("written_by")?,
                written_at: parse_time(&r.try_get::<String, _>("written_at")?)?,
                replaced_by_name: r.try_get("replaced_by")?,
                replaced_at: parse_time(&r.try_get::<String, _>("replaced_at")?)?,
            })
        })
        .collect()
}

/// The latest notes of the opened episode, newest first; owning-team notes only for those
/// the gate lets read them.
/// The day of the episode's last recorded visit, if any.
pub async fn last_visit(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Option<NaiveDate>> {
    let last: Option<String> = sqlx::query_scalar(
        "SELECT MAX(occurred_on) FROM case_notes WHERE episode_id = $1 AND kind = $2",
    )
    .bind(opened.id().to_string())
    .bind(NoteKind::Visit.code())
    .fetch_one(conn)
    .await?;
    last.as_deref().map(date).transpose()
}

/// The notes the opener may read, newest first, `limit` of them after skipping `offset`.
pub async fn newest(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    limit: i64,
    offset: i64,
) -> Result<Vec<Note>> {
    let episode = opened.id();
    let include_restricted = opened.may().restricted_notes;
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE n.episode_id = $1 AND (n.visibility = 'taf' OR $2 = 1)
         ORDER BY n.occurred_on DESC, n.created_at DESC LIMIT $3 OFFSET $4"
    ))
    .bind(episode.to_string())
    .bind(i64::from(include_restricted))
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}
