//! The family's own page (ADR 0045): the one-time links and family sessions (read only by the
//! gate, which hands out the proofs), the thread between a family and the lead professional,
//! case notes shared with the family, and consents given or withdrawn by the family.
//! Everything about an episode's content takes the gate's [`OpenedEpisode`].

use crate::decode::{parse_id, parse_time};
use crate::episodes::case_notes::Note;
use crate::gate::{FamilyConsents, OpenedEpisode};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::ids::{EpisodeId, NoteId, PersonId, UserId};
use hearth_domain::time::to_text;
use sqlx::Row;
use uuid::Uuid;

pub mod sign_on;

/// A one-time link as the gate reads it.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub id: Uuid,
    pub person: PersonId,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
}

/// Keeps a new link (only its token's hash).
pub async fn insert_link(
    conn: &mut Conn,
    person: PersonId,
    episode: Option<EpisodeId>,
    token_hash: &str,
    made_by: Option<UserId>,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO family_links (id, person_id, episode_id, token_hash, made_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.to_string())
    .bind(person.to_string())
    .bind(episode.map(|e| e.to_string()))
    .bind(token_hash)
    .bind(made_by.map(|u| u.to_string()))
    .bind(to_text(now))
    .bind(to_text(expires_at))
    .execute(conn)
    .await?;
    Ok(id)
}

pub(crate) async fn link_by_token(conn: &mut Conn, token_hash: &str) -> Result<Option<Link>> {
    let Some(r) = sqlx::query(
        "SELECT id, person_id, expires_at, used_at FROM family_links WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?
    else {
        return Ok(None);
    };
    let id: String = r.try_get("id")?;
    Ok(Some(Link {
        id: id
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("bad link id {id}")))?,
        person: parse_id(&r.try_get::<String, _>("person_id")?)?,
        expires_at: parse_time(&r.try_get::<String, _>("expires_at")?)?,
        used: r.try_get::<Option<String>, _>("used_at")?.is_some(),
    }))
}

/// Marks a link used; false when another request used it first (two taps at once).
pub(crate) async fn use_link(conn: &mut Conn, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    let done =
        sqlx::query("UPDATE family_links SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
            .bind(to_text(now))
            .bind(id.to_string())
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// How many links were made for a person since `since` (flood protection for asked links).
pub async fn links_since(conn: &mut Conn, person: PersonId, since: DateTime<Utc>) -> Result<u32> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM family_links WHERE person_id = $1 AND created_at >= $2",
    )
    .bind(person.to_string())
    .bind(to_text(since))
    .fetch_one(conn)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// How a family session began: a one-time link, or the partnership's provider (ADR 0056).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SessionBegun {
    Link(Uuid),
    OneLogin,
}

pub(crate) async fn insert_session(
    conn: &mut Conn,
    token_hash: &str,
    person: PersonId,
    begun: SessionBegun,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<()> {
    let (link, with) = match begun {
        SessionBegun::Link(id) => (Some(id.to_string()), "link"),
        SessionBegun::OneLogin => (None, "one_login"),
    };
    sqlx::query(
        "INSERT INTO family_sessions (token_hash, person_id, link_id, signed_in_with, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(person.to_string())
    .bind(link)
    .bind(with)
    .bind(to_text(now))
    .bind(to_text(until))
    .execute(conn)
    .await?;
    Ok(())
}

/// The person a family session belongs to, while it lasts and has not been ended.
pub(crate) async fn session_person(
    conn: &mut Conn,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<PersonId>> {
    let Some(r) = sqlx::query(
        "SELECT person_id, expires_at FROM family_sessions WHERE token_hash = $1 AND ended_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?
    else {
        return Ok(None);
    };
    if parse_time(&r.try_get::<String, _>("expires_at")?)? <= now {
        return Ok(None);
    }
    Ok(Some(parse_id(&r.try_get::<String, _>("person_id")?)?))
}

/// Ends a family session (signing out).
pub async fn end_session(conn: &mut Conn, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "UPDATE family_sessions SET ended_at = $1 WHERE token_hash = $2 AND ended_at IS NULL",
    )
    .bind(to_text(now))
    .bind(token_hash)
    .execute(conn)
    .await?;
    Ok(())
}

/// The people whose recorded email address is this one (any case), for a family member asking
/// for a new link. The caller never says whether any were found.
pub async fn people_with_email(conn: &mut Conn, email: &str) -> Result<Vec<PersonId>> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM people WHERE LOWER(email) = LOWER($1) ORDER BY id")
            .bind(email.trim())
            .fetch_all(conn)
            .await?;
    ids.iter().map(|i| parse_id(i)).collect()
}

/// Who wrote a message in the thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sender {
    Family(PersonId),
    Practitioner(UserId),
}

/// One message in the thread, with its sender's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadMessage {
    pub id: Uuid,
    pub from: Sender,
    pub from_name: String,
    /// The practitioner's organisation; none for the family.
    pub organisation: Option<String>,
    pub body: String,
    pub at: DateTime<Utc>,
}

pub async fn insert_message(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    from: &Sender,
    body: &str,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let (person, user) = match from {
        Sender::Family(p) => (Some(p.to_string()), None),
        Sender::Practitioner(u) => (None, Some(u.to_string())),
    };
    sqlx::query(
        "INSERT INTO family_messages (id, episode_id, from_person_id, from_user_id, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.to_string())
    .bind(opened.id().to_string())
    .bind(person)
    .bind(user)
    .bind(body)
    .bind(to_text(now))
    .execute(conn)
    .await?;
    Ok(id)
}

/// The episode's thread, oldest first.
pub async fn thread(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Vec<ThreadMessage>> {
    let rows = sqlx::query(
        "SELECT m.id, m.from_person_id, m.from_user_id, m.body, m.created_at,
                p.given_names, p.family_name, u.display_name, o.name AS organisation
         FROM family_messages m
         LEFT JOIN people p ON p.id = m.from_person_id
         LEFT JOIN users u ON u.id = m.from_user_id
         LEFT JOIN organisations o ON o.id = u.organisation_id
         WHERE m.episode_id = $1 ORDER BY m.created_at, m.id",
    )
    .bind(opened.id().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let id: String = r.try_get("id")?;
            let person: Option<String> = r.try_get("from_person_id")?;
            let user: Option<String> = r.try_get("from_user_id")?;
            let (from, from_name) = match (person, user) {
                (Some(p), _) => (
                    Sender::Family(parse_id(&p)?),
                    format!(
                        "{} {}",
                        r.try_get::<Option<String>, _>("given_names")?
                            .unwrap_or_default(),
                        r.try_get::<Option<String>, _>("family_name")?
                            .unwrap_or_default()
                    ),
                ),
                (None, Some(u)) => (
                    Sender::Practitioner(parse_id(&u)?),
                    r.try_get::<Option<String>, _>("display_name")?
                        .unwrap_or_default(),
                ),
                (None, None) => {
                    return Err(StoreError::Corrupt(format!("message {id} has no sender")))
                }
            };
            Ok(ThreadMessage {
                id: id
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("bad message id {id}")))?,
                organisation: match from {
                    Sender::Family(_) => None,
                    Sender::Practitioner(_) => r.try_get("organisation")?,
                },
                from,
                from_name,
                body: r.try_get("body")?,
                at: parse_time(&r.try_get::<String, _>("created_at")?)?,
            })
        })
        .collect()
}

/// How many messages this sender wrote since `since`, in any thread (flood protection).
pub async fn sent_since(conn: &mut Conn, from: &Sender, since: DateTime<Utc>) -> Result<u32> {
    let (column, id) = match from {
        Sender::Family(p) => ("from_person_id", p.to_string()),
        Sender::Practitioner(u) => ("from_user_id", u.to_string()),
    };
    let n: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM family_messages WHERE {column} = $1 AND created_at >= $2"
    ))
    .bind(id)
    .bind(to_text(since))
    .fetch_one(conn)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The family members a practitioner's message is told to: those invited to their page from
/// this episode, and those who wrote in its thread.
pub async fn family_in_thread(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Vec<PersonId>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT person_id FROM family_links WHERE episode_id = $1
         UNION SELECT from_person_id FROM family_messages WHERE episode_id = $1 AND from_person_id IS NOT NULL",
    )
    .bind(opened.id().to_string())
    .fetch_all(conn)
    .await?;
    let mut out: Vec<PersonId> = ids.iter().map(|i| parse_id(i)).collect::<Result<_>>()?;
    out.sort();
    out.dedup();
    Ok(out)
}

/// Marks a case note of the opened episode shared with the family, or not. A note restricted
/// to the owning team is never shared (not found).
pub async fn set_note_shared(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    note: NoteId,
    shared: bool,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE case_notes SET shared_with_family = $1
         WHERE id = $2 AND episode_id = $3 AND visibility = 'taf'",
    )
    .bind(i64::from(shared))
    .bind(note.to_string())
    .bind(opened.id().to_string())
    .execute(conn)
    .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

/// The ids of the opened episode's notes shared with the family.
pub async fn shared_note_ids(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Vec<NoteId>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM case_notes WHERE episode_id = $1 AND shared_with_family <> 0
         AND visibility = 'taf' ORDER BY occurred_on, created_at",
    )
    .bind(opened.id().to_string())
    .fetch_all(conn)
    .await?;
    ids.iter().map(|i| parse_id(i)).collect()
}

/// The opened episode's notes shared with the family, oldest first.
pub async fn shared_notes(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Vec<Note>> {
    let mut out = Vec::new();
    for id in shared_note_ids(conn, opened).await? {
        out.push(crate::episodes::case_notes::get(conn, opened, id).await?);
    }
    Ok(out)
}

/// The person a consent record is about, if there is one with this id: for the gate to
/// decide whether a family member may change it.
pub async fn consent_person(conn: &mut Conn, consent: Uuid) -> Result<Option<PersonId>> {
    let person: Option<String> = sqlx::query_scalar("SELECT person_id FROM consents WHERE id = $1")
        .bind(consent.to_string())
        .fetch_optional(conn)
        .await?;
    person.as_deref().map(parse_id::<PersonId>).transpose()
}

/// Records that a family member withdrew one of the consents the gate opened for them (their
/// own, or a child's they decide for) on their page; the record says which family member.
/// Refused with [`StoreError::Conflict`] if it was already withdrawn, and not found if it is
/// not one of these.
pub async fn withdraw_consent(
    conn: &mut Conn,
    holder: &FamilyConsents,
    consent: Uuid,
    on: NaiveDate,
    reason: &str,
) -> Result<()> {
    let person = holder.person();
    let done = sqlx::query(
        "UPDATE consents SET withdrawn_on = $1, withdrawn_reason = $2, withdrawn_by_person_id = $3
         WHERE id = $4 AND person_id = $5 AND withdrawn_on IS NULL",
    )
    .bind(on.to_string())
    .bind(reason)
    .bind(holder.by().to_string())
    .bind(consent.to_string())
    .bind(person.to_string())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    let theirs: Option<String> =
        sqlx::query_scalar("SELECT id FROM consents WHERE id = $1 AND person_id = $2")
            .bind(consent.to_string())
            .bind(person.to_string())
            .fetch_optional(conn)
            .await?;
    Err(if theirs.is_some() {
        StoreError::Conflict
    } else {
        StoreError::NotFound
    })
}

/// Records that a family member gave again, on their page, a consent that had been withdrawn
/// (theirs, or a child's they decide for): a new record with the same "shared with", given by
/// them. The practitioner who recorded the first one stays its recorder (they explained what
/// it means); `given_by_person_id` says which family member gave it. Refused with
/// [`StoreError::Conflict`] if a live consent already names the same sharing, and not found if
/// the record is not one of these.
pub async fn give_consent_again(
    conn: &mut Conn,
    holder: &FamilyConsents,
    consent: Uuid,
    given_by: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let person = holder.person();
    let Some(r) = sqlx::query(
        "SELECT share_with, recorded_by FROM consents WHERE id = $1 AND person_id = $2",
    )
    .bind(consent.to_string())
    .bind(person.to_string())
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Err(StoreError::NotFound);
    };
    let share_with: String = r.try_get("share_with")?;
    let recorded_by: String = r.try_get("recorded_by")?;
    let live: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM consents WHERE person_id = $1 AND share_with = $2
         AND withdrawn_on IS NULL AND (expires_on IS NULL OR expires_on >= $3)",
    )
    .bind(person.to_string())
    .bind(&share_with)
    .bind(today.to_string())
    .fetch_one(&mut *conn)
    .await?;
    if live > 0 {
        return Err(StoreError::Conflict);
    }
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO consents (id, person_id, given_by, share_with, given_on, recorded_by, created_at, given_by_person_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(person.to_string())
    .bind(given_by)
    .bind(&share_with)
    .bind(today.to_string())
    .bind(recorded_by)
    .bind(to_text(now))
    .bind(holder.by().to_string())
    .execute(conn)
    .await?;
    Ok(id)
}

/// A case note the lead may share with the family (one every Team Around the Family member
/// may read), and whether it is shared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareableNote {
    pub id: NoteId,
    pub occurred_on: NaiveDate,
    pub author: String,
    pub body: String,
    pub shared: bool,
}

/// The opened episode's notes that may be shared with the family, newest first.
pub async fn shareable_notes(
    conn: &mut Conn,
    opened: &OpenedEpisode,
) -> Result<Vec<ShareableNote>> {
    let rows = sqlx::query(
        "SELECT n.id, n.occurred_on, u.display_name, n.body, n.shared_with_family
         FROM case_notes n JOIN users u ON u.id = n.author_id
         WHERE n.episode_id = $1 AND n.visibility = 'taf'
         ORDER BY n.occurred_on DESC, n.created_at DESC",
    )
    .bind(opened.id().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ShareableNote {
                id: parse_id(&r.try_get::<String, _>("id")?)?,
                occurred_on: crate::decode::date(&r.try_get::<String, _>("occurred_on")?)?,
                author: r.try_get("display_name")?,
                body: r.try_get("body")?,
                shared: r.try_get::<i64, _>("shared_with_family")? != 0,
            })
        })
        .collect()
}
