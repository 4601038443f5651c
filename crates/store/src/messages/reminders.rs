//! Reminders of work due (issue 23 item 3): what the scheduled round reads through its
//! [`ReminderRound`] — ids, dates and whose the work is, never a family's details — and the
//! compare-and-set that takes one reminder per piece of work and date.

use crate::decode::{coded, date, opt_date, parse_id};
use crate::gate::ReminderRound;
use crate::{Conn, Result};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::episode::EpisodeStatus;
use hearth_domain::ids::{EpisodeId, UserId};
use hearth_domain::plan::AssessmentStatus;
use hearth_domain::reminder::DueWork;
use hearth_domain::task::TaskKind;
use hearth_domain::time::to_text;
use sqlx::Row;

/// An open episode with a lead, and what its assessment and review dates are worked out from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedEpisode {
    pub episode: EpisodeId,
    pub lead: UserId,
    pub started_on: NaiveDate,
    /// The assessment's status and date, once one is begun.
    pub assessment: Option<(AssessmentStatus, NaiveDate)>,
    /// The next review date the latest review chose, once one is held.
    pub next_review_on: Option<NaiveDate>,
}

/// The open episodes that have a lead.
pub async fn led_episodes(conn: &mut Conn, _round: &ReminderRound) -> Result<Vec<LedEpisode>> {
    let rows = sqlx::query(
        "SELECT e.id, e.lead_user_id, e.started_on, a.status AS assessment_status,
             a.due_on AS assessment_due_on,
             (SELECT r.next_review_on FROM reviews r WHERE r.episode_id = e.id
               ORDER BY r.held_on DESC, r.id DESC LIMIT 1) AS next_review_on
         FROM episodes e LEFT JOIN assessments a ON a.episode_id = e.id
         WHERE e.status = $1 AND e.lead_user_id IS NOT NULL
         ORDER BY e.id",
    )
    .bind(EpisodeStatus::Open.code())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let status: Option<String> = r.try_get("assessment_status")?;
            let assessment = match status {
                Some(_) => Some((
                    coded(r, "assessment_status", AssessmentStatus::from_code)?,
                    date(&r.try_get::<String, _>("assessment_due_on")?)?,
                )),
                None => None,
            };
            Ok(LedEpisode {
                episode: parse_id(&r.try_get::<String, _>("id")?)?,
                lead: parse_id(&r.try_get::<String, _>("lead_user_id")?)?,
                started_on: date(&r.try_get::<String, _>("started_on")?)?,
                assessment,
                next_review_on: opt_date(r.try_get("next_review_on")?)?,
            })
        })
        .collect()
}

/// A plan action or a task with a date and one user to do it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedWork {
    pub work: DueWork,
    /// The action's or the task's id.
    pub item_id: String,
    pub episode: Option<EpisodeId>,
    pub user: UserId,
    pub due_on: NaiveDate,
    /// A task's kind (none for an action).
    pub task: Option<TaskKind>,
}

/// The open plan actions owned by a user on open episodes, and the open tasks assigned to one
/// user, due from `from` to `until`.
pub async fn owned_work_due(
    conn: &mut Conn,
    _round: &ReminderRound,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<OwnedWork>> {
    let (from, until) = (from.to_string(), until.to_string());
    let actions = sqlx::query(
        "SELECT a.id, p.episode_id, a.owner_user_id, a.due_on
         FROM plan_actions a JOIN plans p ON p.id = a.plan_id
             JOIN episodes e ON e.id = p.episode_id
         WHERE a.owner_user_id IS NOT NULL AND a.removed_on IS NULL
           AND a.status IN ('not_started', 'in_progress') AND e.status = $1
           AND a.due_on >= $2 AND a.due_on <= $3
         ORDER BY a.due_on, a.id",
    )
    .bind(EpisodeStatus::Open.code())
    .bind(&from)
    .bind(&until)
    .fetch_all(&mut *conn)
    .await?;
    let tasks = sqlx::query(
        "SELECT id, kind, episode_id, user_id, due_on FROM tasks
         WHERE done_at IS NULL AND user_id IS NOT NULL AND due_on >= $1 AND due_on <= $2
         ORDER BY due_on, id",
    )
    .bind(&from)
    .bind(&until)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(actions.len() + tasks.len());
    for r in &actions {
        out.push(OwnedWork {
            work: DueWork::Action,
            item_id: r.try_get("id")?,
            episode: Some(parse_id(&r.try_get::<String, _>("episode_id")?)?),
            user: parse_id(&r.try_get::<String, _>("owner_user_id")?)?,
            due_on: date(&r.try_get::<String, _>("due_on")?)?,
            task: None,
        });
    }
    for r in &tasks {
        let episode: Option<String> = r.try_get("episode_id")?;
        out.push(OwnedWork {
            work: DueWork::Task,
            item_id: r.try_get("id")?,
            episode: episode.as_deref().map(parse_id).transpose()?,
            user: parse_id(&r.try_get::<String, _>("user_id")?)?,
            due_on: date(&r.try_get::<String, _>("due_on")?)?,
            task: Some(coded(r, "kind", TaskKind::from_code)?),
        });
    }
    Ok(out)
}

/// Takes the reminder of `work` `item_id` for its date `due_on`, inside the caller's
/// transaction: false when it was taken already (another server, or an earlier round).
pub async fn take(
    conn: &mut Conn,
    _round: &ReminderRound,
    work: DueWork,
    item_id: &str,
    due_on: NaiveDate,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO work_reminders (work, item_id, due_on, user_id, queued_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (work, item_id, due_on) DO NOTHING",
    )
    .bind(work.code())
    .bind(item_id)
    .bind(due_on.to_string())
    .bind(user.to_string())
    .bind(to_text(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
