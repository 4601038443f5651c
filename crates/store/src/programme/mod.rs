//! The Supporting Families programme (ADR 0042): the outcome frameworks episodes were
//! measured against, by version; each need's result and evidence at closure; the partner
//! events matched to the family; and the answers to the sustainment check.

pub mod claims;

use crate::decode::{coded, opt_coded, parse_time};
use crate::family::people::placeholders;
use crate::gate::OpenedEpisode;
use crate::identification::worklist::{matched_event, MatchedEvent, MATCHED};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::episode::NeedResult;
use hearth_domain::identification::feed::FeedKind;
use hearth_domain::ids::{EpisodeId, UserId};
use hearth_domain::need::NeedDomain;
use hearth_domain::programme::{Framework, Source};
use hearth_domain::time::to_text;
use sqlx::Row;

/// Keeps the framework under its version (once: a version's definition never changes) and
/// ties the new episode to it.
pub async fn attach(
    conn: &mut Conn,
    episode: EpisodeId,
    f: &Framework,
    now: DateTime<Utc>,
) -> Result<()> {
    let definition =
        serde_json::to_string(f).map_err(|e| StoreError::Corrupt(format!("framework: {e}")))?;
    sqlx::query(
        "INSERT INTO outcome_frameworks (version, definition, first_used_at) VALUES ($1, $2, $3)
         ON CONFLICT (version) DO NOTHING",
    )
    .bind(&f.version)
    .bind(definition)
    .bind(to_text(now))
    .execute(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO episode_frameworks (episode_id, version) VALUES ($1, $2)")
        .bind(episode.to_string())
        .bind(&f.version)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

/// The framework an episode started under; `None` for an episode opened before frameworks
/// were kept.
pub async fn framework_of(conn: &mut Conn, episode: EpisodeId) -> Result<Option<Framework>> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT f.definition FROM episode_frameworks e
         JOIN outcome_frameworks f ON f.version = e.version WHERE e.episode_id = $1",
    )
    .bind(episode.to_string())
    .fetch_optional(conn)
    .await?;
    found
        .map(|d| {
            serde_json::from_str(&d).map_err(|e| StoreError::Corrupt(format!("framework: {e}")))
        })
        .transpose()
}

/// A need of the episode, with its result and evidence once the closure is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedAtClosure {
    pub need: NeedDomain,
    pub result: Option<NeedResult>,
    pub evidence: String,
}

pub async fn closure_results(
    conn: &mut Conn,
    opened: &OpenedEpisode,
) -> Result<Vec<NeedAtClosure>> {
    let rows = sqlx::query(
        "SELECT domain, result, evidence FROM episode_needs WHERE episode_id = $1
         ORDER BY domain",
    )
    .bind(opened.id().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(NeedAtClosure {
                need: coded(r, "domain", NeedDomain::from_code)?,
                result: opt_coded(r, "result", NeedResult::from_code)?,
                evidence: r.try_get("evidence")?,
            })
        })
        .collect()
}

/// Every partner event matched to the episode's people, oldest first.
pub async fn family_events(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Vec<MatchedEvent>> {
    let people = &opened.episode().people;
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{MATCHED} AND r.person_id IN ({}) ORDER BY r.event_on, r.id",
        placeholders(people.len(), 1)
    );
    let mut q = sqlx::query(&sql);
    for p in people {
        q = q.bind(p.to_string());
    }
    let rows = q.fetch_all(conn).await?;
    rows.iter().map(matched_event).collect()
}

/// Per kind of partner feed, the day it was last imported.
pub async fn last_imports(conn: &mut Conn) -> Result<Vec<(FeedKind, NaiveDate)>> {
    let rows = sqlx::query(
        "SELECT d.kind, MAX(i.imported_at) AS last FROM partner_imports i
         JOIN partner_datasets d ON d.id = i.dataset_id GROUP BY d.kind",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                coded(r, "kind", FeedKind::from_code)?,
                parse_time(&r.try_get::<String, _>("last")?)?.date_naive(),
            ))
        })
        .collect()
}

/// One outcome's answer to the sustainment check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub need: NeedDomain,
    pub sustained: bool,
    pub source: Source,
    pub evidence: String,
    pub recorded_by_name: String,
    pub recorded_at: DateTime<Utc>,
}

/// The answers recorded for an episode, by need.
pub async fn answers(conn: &mut Conn, opened: &OpenedEpisode) -> Result<Vec<Answer>> {
    let rows = sqlx::query(
        "SELECT a.domain, a.sustained, a.source, a.evidence, u.display_name AS recorded_by_name,
            a.recorded_at
         FROM sustainment_answers a JOIN users u ON u.id = a.recorded_by
         WHERE a.episode_id = $1 ORDER BY a.domain",
    )
    .bind(opened.id().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Answer {
                need: coded(r, "domain", NeedDomain::from_code)?,
                sustained: r.try_get::<i64, _>("sustained")? != 0,
                source: coded(r, "source", Source::from_code)?,
                evidence: r.try_get("evidence")?,
                recorded_by_name: r.try_get("recorded_by_name")?,
                recorded_at: parse_time(&r.try_get::<String, _>("recorded_at")?)?,
            })
        })
        .collect()
}

/// Records the check's answers, once: [`StoreError::Duplicate`] when it was answered already.
pub async fn record_answers(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    answers: &[(NeedDomain, bool, Source, String)],
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    for (need, sustained, source, evidence) in answers {
        sqlx::query(
            "INSERT INTO sustainment_answers
                (episode_id, domain, sustained, source, evidence, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(opened.id().to_string())
        .bind(need.code())
        .bind(i64::from(*sustained))
        .bind(source.code())
        .bind(evidence)
        .bind(by.to_string())
        .bind(to_text(now))
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    }
    Ok(())
}
