//! The whole-family assessment of an episode. A save carries the version it started from and
//! is refused with [`StoreError::Conflict`] when someone else saved first.

use crate::decode::{coded, date, parse_id, parse_time};
use crate::gate::OpenedEpisode;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::episode::Route;
use hearth_domain::ids::{EpisodeId, PersonId, UserId};
use hearth_domain::need::NeedDomain;
use hearth_domain::plan::AssessmentStatus;
use hearth_domain::time::to_text;
use sqlx::Row;
use uuid::Uuid;

/// What one family member's situation is in one need domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub person_id: PersonId,
    pub domain: NeedDomain,
    pub strengths: String,
    pub needs: String,
    pub risks: String,
    pub scale: Option<u8>,
}

/// What a save writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentFields {
    pub child_voice: String,
    pub parent_voice: String,
    /// The brief assessment's questions about the whole family (asked by both forms).
    pub going_well: String,
    pub worries: String,
    pub next_step: String,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub id: String,
    pub episode_id: EpisodeId,
    pub route: Route,
    pub status: AssessmentStatus,
    pub due_on: NaiveDate,
    pub fields: AssessmentFields,
    pub version: i64,
    pub saved_by_name: String,
    pub saved_at: DateTime<Utc>,
    pub submitted_by: Option<UserId>,
    pub signed_off_by: Option<UserId>,
    pub signed_off_at: Option<DateTime<Utc>>,
}

/// The opened episode's assessment, if it has one.
pub async fn for_episode(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Option<Assessment>> {
    let episode = opened.id();
    let Some(r) = sqlx::query(
        "SELECT a.id, a.route, a.status, a.due_on, a.child_voice, a.parent_voice, a.version,
            a.going_well, a.worries, a.next_step,
            u.display_name, a.saved_at, a.submitted_by, a.signed_off_by, a.signed_off_at
         FROM assessments a JOIN users u ON u.id = a.saved_by WHERE a.episode_id = $1",
    )
    .bind(episode.to_string())
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let id: String = r.try_get("id")?;
    let rows = sqlx::query(
        "SELECT person_id, domain, strengths, needs, risks, scale FROM assessment_entries
         WHERE assessment_id = $1 ORDER BY person_id, domain",
    )
    .bind(&id)
    .fetch_all(&mut *conn)
    .await?;
    let entries = rows
        .iter()
        .map(|e| {
            let scale: Option<i64> = e.try_get("scale")?;
            Ok(Entry {
                person_id: parse_id(&e.try_get::<String, _>("person_id")?)?,
                domain: coded(e, "domain", NeedDomain::from_code)?,
                strengths: e.try_get("strengths")?,
                needs: e.try_get("needs")?,
                risks: e.try_get("risks")?,
                scale: scale
                    .map(|s| u8::try_from(s).map_err(|_| StoreError::Corrupt(format!("scale {s}"))))
                    .transpose()?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let submitted: Option<String> = r.try_get("submitted_by")?;
    let signed: Option<String> = r.try_get("signed_off_by")?;
    Ok(Some(Assessment {
        id,
        episode_id: episode,
        route: coded(&r, "route", Route::from_code)?,
        status: coded(&r, "status", AssessmentStatus::from_code)?,
        due_on: date(&r.try_get::<String, _>("due_on")?)?,
        fields: AssessmentFields {
            child_voice: r.try_get("child_voice")?,
            parent_voice: r.try_get("parent_voice")?,
            going_well: r.try_get("going_well")?,
            worries: r.try_get("worries")?,
            next_step: r.try_get("next_step")?,
            entries,
        },
        version: r.try_get("version")?,
        saved_by_name: r.try_get("display_name")?,
        saved_at: parse_time(&r.try_get::<String, _>("saved_at")?)?,
        submitted_by: submitted.as_deref().map(parse_id).transpose()?,
        signed_off_by: signed.as_deref().map(parse_id).transpose()?,
        signed_off_at: r
            .try_get::<Option<String>, _>("signed_off_at")?
            .as_deref()
            .map(parse_time)
            .transpose()?,
    }))
}

/// Starts the episode's assessment as an empty draft due on `due_on`.
pub async fn start(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    route: Route,
    due_on: NaiveDate,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO assessments (id, episode_id, route, status, due_on, child_voice,
            parent_voice, saved_by, saved_at)
         VALUES ($1, $2, $3, $4, $5, '', '', $6, $7)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(opened.id().to_string())
    .bind(route.code())
    .bind(AssessmentStatus::Draft.code())
    .bind(due_on.to_string())
    .bind(by.to_string())
    .bind(to_text(now))
    .execute(conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Moves the version on from the one the change started from, or refuses.
/// The episode's one assessment is found by the episode, so no id from elsewhere can reach
/// another family's. Answers the assessment's id.
async fn bump(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    version: i64,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<String> {
    let done = sqlx::query(
        "UPDATE assessments SET version = version + 1, saved_by = $1, saved_at = $2
         WHERE episode_id = $3 AND version = $4",
    )
    .bind(by.to_string())
    .bind(to_text(now))
    .bind(opened.id().to_string())
    .bind(version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(
        sqlx::query("SELECT id FROM assessments WHERE episode_id = $1")
            .bind(opened.id().to_string())
            .fetch_one(conn)
            .await?
            .try_get("id")?,
    )
}

async fn set_status(
    conn: &mut Conn,
    id: &str,
    status: AssessmentStatus,
    by: Option<(&str, UserId, DateTime<Utc>)>,
) -> Result<()> {
    let sql = match by {
        Some((column, ..)) => format!(
            "UPDATE assessments SET status = $1, {column}_by = $2, {column}_at = $3 WHERE id = $4"
        ),
        None => "UPDATE assessments SET status = $1 WHERE id = $2".to_string(),
    };
    let mut q = sqlx::query(&sql).bind(status.code());
    if let Some((_, user, at)) = by {
        q = q.bind(user.to_string()).bind(to_text(at));
    }
    q.bind(id).execute(conn).await?;
    Ok(())
}

/// Saves the draft's text and entries over the version it started from.
pub async fn save(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    version: i64,
    f: &AssessmentFields,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let id = bump(conn, opened, version, by, now).await?;
    let id = id.as_str();
    sqlx::query(
        "UPDATE assessments SET child_voice = $1, parent_voice = $2, going_well = $3,
            worries = $4, next_step = $5 WHERE id = $6",
    )
    .bind(&f.child_voice)
    .bind(&f.parent_voice)
    .bind(&f.going_well)
    .bind(&f.worries)
    .bind(&f.next_step)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    // Entries hang off nothing else, so the draft's set is simply replaced.
    sqlx::query("DELETE FROM assessment_entries WHERE assessment_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for e in &f.entries {
        sqlx::query(
            "INSERT INTO assessment_entries (assessment_id, person_id, domain, strengths, needs,
                risks, scale) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(e.person_id.to_string())
        .bind(e.domain.code())
        .bind(&e.strengths)
        .bind(&e.needs)
        .bind(&e.risks)
        .bind(e.scale.map(i64::from))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Extends a brief assessment into the whole-family one: every answer stays where it is, the
/// assessment (and the episode) now follow the whole-family route, and it is a draft again.
pub async fn extend(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    version: i64,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<String> {
    let id = bump(conn, opened, version, by, now).await?;
    sqlx::query("UPDATE assessments SET route = $1, status = $2 WHERE id = $3")
        .bind(Route::Full.code())
        .bind(AssessmentStatus::Draft.code())
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE episodes SET route = $1 WHERE id = $2")
        .bind(Route::Full.code())
        .bind(opened.id().to_string())
        .execute(conn)
        .await?;
    Ok(id)
}

/// Submitted for a manager's sign-off.
pub async fn submit(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    version: i64,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let id = bump(conn, opened, version, by, now).await?;
    set_status(
        conn,
        &id,
        AssessmentStatus::Submitted,
        Some(("submitted", by, now)),
    )
    .await
}

/// A manager signs it off, or sends it back to draft.
pub async fn decide(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    version: i64,
    approve: bool,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let id = bump(conn, opened, version, by, now).await?;
    if approve {
        set_status(
            conn,
            &id,
            AssessmentStatus::SignedOff,
            Some(("signed_off", by, now)),
        )
        .await
    } else {
        set_status(conn, &id, AssessmentStatus::Draft, None).await
    }
}
