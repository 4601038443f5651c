//! Challenges to front-door decisions, through the stages of the escalation process, each
//! stage's start and end kept so the time each took can be reported.

use crate::decode::{date, opt_date, parse_id, parse_time};
use crate::gate::ChallengeableRequest;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::continuum::ContinuumLevel;
use hearth_domain::disagreement::{ChallengeOutcome, Stage};
use hearth_domain::ids::{ChallengeId, RequestId, UserId};
use hearth_domain::time::to_text;
use sqlx::Row;

/// One stage a challenge went through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageSpan {
    pub stage: Stage,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub id: ChallengeId,
    pub raised_by: String,
    pub raised_by_organisation: String,
    pub raised_at: DateTime<Utc>,
    pub about: String,
    pub level_sought: Option<ContinuumLevel>,
    pub stage: Stage,
    pub deadline: NaiveDate,
    pub resolved_on: Option<NaiveDate>,
    pub outcome: Option<ChallengeOutcome>,
    pub resolution: Option<String>,
    pub resolved_by: Option<String>,
    pub version: i64,
    /// Oldest first.
    pub stages: Vec<StageSpan>,
}

/// Whether a request has been challenged (the front door may then read it again).
pub(crate) async fn any_for(conn: &mut Conn, id: RequestId) -> Result<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM decision_challenges WHERE request_id = $1")
            .bind(id.to_string())
            .fetch_one(conn)
            .await?;
    Ok(n > 0)
}

fn stage(n: i64) -> Result<Stage> {
    Stage::from_number(n).ok_or_else(|| StoreError::Corrupt(format!("challenge stage {n}")))
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    conn: &mut Conn,
    opened: &ChallengeableRequest,
    by: UserId,
    about: &str,
    level_sought: Option<ContinuumLevel>,
    today: NaiveDate,
    deadline: NaiveDate,
    at: DateTime<Utc>,
) -> Result<ChallengeId> {
    let id = ChallengeId::new();
    sqlx::query(
        "INSERT INTO decision_challenges (id, request_id, raised_by, about, level_sought, stage,
            deadline, raised_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(opened.id().to_string())
    .bind(by.to_string())
    .bind(about)
    .bind(level_sought.map(|l| l.number()))
    .bind(Stage::Conversation.number())
    .bind(deadline.to_string())
    .bind(to_text(at))
    .execute(&mut *conn)
    .await?;
    start_stage(conn, id, Stage::Conversation, today).await?;
    Ok(id)
}

async fn start_stage(conn: &mut Conn, id: ChallengeId, stage: Stage, on: NaiveDate) -> Result<()> {
    sqlx::query(
        "INSERT INTO decision_challenge_stages (challenge_id, stage, started_on) VALUES ($1, $2, $3)",
    )
    .bind(id.to_string())
    .bind(stage.number())
    .bind(on.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

async fn end_stage(conn: &mut Conn, id: ChallengeId, on: NaiveDate) -> Result<()> {
    sqlx::query(
        "UPDATE decision_challenge_stages SET ended_on = $1
         WHERE challenge_id = $2 AND ended_on IS NULL",
    )
    .bind(on.to_string())
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// The request's challenges, newest first, each with its stages.
pub async fn for_request(conn: &mut Conn, opened: &ChallengeableRequest) -> Result<Vec<Challenge>> {
    let rows = sqlx::query(
        "SELECT c.id, u.display_name, o.name AS organisation_name, c.raised_at, c.about,
            c.level_sought, c.stage, c.deadline, c.resolved_on, c.outcome, c.resolution,
            r.display_name AS resolved_by_name, c.version
         FROM decision_challenges c JOIN users u ON u.id = c.raised_by
         JOIN organisations o ON o.id = u.organisation_id
         LEFT JOIN users r ON r.id = c.resolved_by
         WHERE c.request_id = $1 ORDER BY c.raised_at DESC, c.id DESC",
    )
    .bind(opened.id().to_string())
    .fetch_all(&mut *conn)
    .await?;
    let spans = sqlx::query(
        "SELECT s.challenge_id, s.stage, s.started_on, s.ended_on
         FROM decision_challenge_stages s JOIN decision_challenges c ON c.id = s.challenge_id
         WHERE c.request_id = $1 ORDER BY s.stage",
    )
    .bind(opened.id().to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut list = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: String = r.try_get("id")?;
        let stages = spans
            .iter()
            .filter(|s| {
                s.try_get::<String, _>("challenge_id")
                    .is_ok_and(|c| c == id)
            })
            .map(|s| {
                Ok(StageSpan {
                    stage: stage(s.try_get("stage")?)?,
                    started_on: date(&s.try_get::<String, _>("started_on")?)?,
                    ended_on: opt_date(s.try_get("ended_on")?)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let level_sought: Option<i64> = r.try_get("level_sought")?;
        let outcome: Option<String> = r.try_get("outcome")?;
        list.push(Challenge {
            id: parse_id(&id)?,
            raised_by: r.try_get("display_name")?,
            raised_by_organisation: r.try_get("organisation_name")?,
            raised_at: parse_time(&r.try_get::<String, _>("raised_at")?)?,
            about: r.try_get("about")?,
            level_sought: level_sought
                .map(|n| {
                    ContinuumLevel::from_number(n)
                        .ok_or_else(|| StoreError::Corrupt(format!("level {n}")))
                })
                .transpose()?,
            stage: stage(r.try_get("stage")?)?,
            deadline: date(&r.try_get::<String, _>("deadline")?)?,
            resolved_on: opt_date(r.try_get("resolved_on")?)?,
            outcome: outcome
                .map(|o| {
                    ChallengeOutcome::from_code(&o)
                        .ok_or_else(|| StoreError::Corrupt(format!("challenge outcome {o}")))
                })
                .transpose()?,
            resolution: r.try_get("resolution")?,
            resolved_by: r.try_get("resolved_by_name")?,
            version: r.try_get("version")?,
            stages,
        });
    }
    Ok(list)
}

/// Moves an open challenge on to `to`, ending the stage it was at.
pub async fn advance(
    conn: &mut Conn,
    opened: &ChallengeableRequest,
    id: ChallengeId,
    version: i64,
    to: Stage,
    on: NaiveDate,
    deadline: NaiveDate,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE decision_challenges SET stage = $1, deadline = $2, version = version + 1
         WHERE id = $3 AND version = $4 AND resolved_on IS NULL AND request_id = $5",
    )
    .bind(to.number())
    .bind(deadline.to_string())
    .bind(id.to_string())
    .bind(version)
    .bind(opened.id().to_string())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    end_stage(conn, id, on).await?;
    start_stage(conn, id, to, on).await
}

#[allow(clippy::too_many_arguments)]
pub async fn resolve(
    conn: &mut Conn,
    opened: &ChallengeableRequest,
    id: ChallengeId,
    version: i64,
    outcome: ChallengeOutcome,
    resolution: &str,
    by: UserId,
    on: NaiveDate,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE decision_challenges SET resolved_on = $1, outcome = $2, resolution = $3,
            resolved_by = $4, version = version + 1
         WHERE id = $5 AND version = $6 AND resolved_on IS NULL AND request_id = $7",
    )
    .bind(on.to_string())
    .bind(outcome.code())
    .bind(resolution)
    .bind(by.to_string())
    .bind(id.to_string())
    .bind(version)
    .bind(opened.id().to_string())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    end_stage(conn, id, on).await
}

/// Figures across the partnership, with nothing about any family: how many challenges, how
/// they ended, and the days each stage took.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub raised: i64,
    pub open: i64,
    pub upheld: i64,
    pub changed: i64,
    /// For each stage: how many challenges reached it, and the mean days it took (ended
    /// stages only; `None` when none has ended).
    pub stages: Vec<(Stage, i64, Option<f64>)>,
}

pub async fn figures(conn: &mut Conn) -> Result<Figures> {
    let rows =
        sqlx::query("SELECT outcome, COUNT(*) AS n FROM decision_challenges GROUP BY outcome")
            .fetch_all(&mut *conn)
            .await?;
    let mut f = Figures::default();
    for r in &rows {
        let n: i64 = r.try_get("n")?;
        let outcome: Option<String> = r.try_get("outcome")?;
        f.raised += n;
        match outcome.as_deref().map(ChallengeOutcome::from_code) {
            None => f.open += n,
            Some(Some(ChallengeOutcome::Upheld)) => f.upheld += n,
            Some(Some(ChallengeOutcome::Changed)) => f.changed += n,
            Some(None) => return Err(StoreError::Corrupt("challenge outcome".into())),
        }
    }
    let spans = sqlx::query("SELECT stage, started_on, ended_on FROM decision_challenge_stages")
        .fetch_all(&mut *conn)
        .await?;
    for s in Stage::ALL {
        let mut reached = 0;
        let mut days = Vec::new();
        for r in &spans {
            if stage(r.try_get("stage")?)? != s {
                continue;
            }
            reached += 1;
            if let Some(end) = opt_date(r.try_get("ended_on")?)? {
                days.push((end - date(&r.try_get::<String, _>("started_on")?)?).num_days() as f64);
            }
        }
        let mean = (!days.is_empty()).then(|| days.iter().sum::<f64>() / days.len() as f64);
        f.stages.push((s, reached, mean));
    }
    Ok(f)
}
