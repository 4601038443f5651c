//! Case-file audits: the partnership's audit form, samples drawn from the desk, each file's
//! grades and moderation read and written through the file opened for its audit, the actions
//! back to the worker, and the themes (counts only, no family named).

use crate::decode::{coded, date, opt_coded, parse_id, parse_time};
use crate::gate::{AuditedCaseFile, OpenedEpisode, QualityDesk};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::episode::{EpisodeLevel, EpisodeStatus};
use hearth_domain::ids::{AuditSampleId, CaseAuditId, EpisodeId, TaskId, UserId};
use hearth_domain::quality::{CaseState, Criteria, Grade, Stage};
use hearth_domain::task::TaskKind;
use hearth_domain::time::to_text;
use sqlx::Row;

/// One question of the audit form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: String,
    pub question: String,
    pub hint: String,
}

/// The audit form in force: its active questions, in order.
pub async fn questions(conn: &mut Conn) -> Result<Vec<Question>> {
    let rows = sqlx::query(
        "SELECT id, question, hint FROM quality_questions WHERE active = 1 ORDER BY position, id",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Question {
                id: r.try_get("id")?,
                question: r.try_get("question")?,
                hint: r.try_get("hint")?,
            })
        })
        .collect()
}

/// The episodes that meet the criteria and are not already waiting in an unfinished audit,
/// the most recently started first. A family with a restricted record is never drawn: its
/// record opens only with a reason, on the person's own page.
pub async fn candidates(
    conn: &mut Conn,
    _desk: &QualityDesk,
    c: &Criteria,
) -> Result<Vec<EpisodeId>> {
    let mut sql = String::from(
        "SELECT e.id FROM episodes e WHERE e.started_on >= $1 AND e.started_on <= $2
         AND NOT EXISTS (SELECT 1 FROM case_audits a WHERE a.episode_id = e.id AND a.stage <> $3)
         AND NOT EXISTS (SELECT 1 FROM episode_people ep JOIN people p ON p.id = ep.person_id
            WHERE ep.episode_id = e.id AND p.restricted = 1)",
    );
    let mut params = vec![
        c.from.to_string(),
        c.to.to_string(),
        Stage::Moderated.code().to_string(),
    ];
    let mut param = |value: String, sql: &mut String, clause: &str| {
        params.push(value);
        sql.push_str(&clause.replace('?', &format!("${}", params.len())));
    };
    if let Some(team) = c.team {
        param(team.to_string(), &mut sql, " AND e.owning_team_id = ?");
    }
    if let Some(level) = c.level {
        param(level.code().to_string(), &mut sql, " AND e.level = ?");
    }
    match c.state {
        CaseState::Open => param(
            EpisodeStatus::Closed.code().to_string(),
            &mut sql,
            " AND e.status <> ?",
        ),
        CaseState::Closed => param(
            EpisodeStatus::Closed.code().to_string(),
            &mut sql,
            " AND e.status = ?",
        ),
        CaseState::Any => {}
    }
    sql.push_str(" ORDER BY e.started_on DESC, e.id DESC");
    let mut q = sqlx::query(&sql);
    for p in &params {
        q = q.bind(p);
    }
    let rows = q.fetch_all(conn).await?;
    rows.iter()
        .map(|r| parse_id(&r.try_get::<String, _>("id")?))
        .collect()
}

/// Records a draw and puts each drawn episode in it, waiting for an auditor.
pub async fn insert_sample(
    conn: &mut Conn,
    desk: &QualityDesk,
    criteria: &str,
    seed: Option<u64>,
    episodes: &[EpisodeId],
    at: DateTime<Utc>,
) -> Result<AuditSampleId> {
    let id = AuditSampleId::new();
    sqlx::query(
        "INSERT INTO audit_samples (id, drawn_by, drawn_at, criteria, seed)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.to_string())
    .bind(desk.auditor().to_string())
    .bind(to_text(at))
    .bind(criteria)
    .bind(seed.map(|s| s.to_string()))
    .execute(&mut *conn)
    .await?;
    for e in episodes {
        sqlx::query(
            "INSERT INTO case_audits (id, sample_id, episode_id, stage, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(CaseAuditId::new().to_string())
        .bind(id.to_string())
        .bind(e.to_string())
        .bind(Stage::Drawn.code())
        .bind(to_text(at))
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// The episode an audit is of; only the gate asks, to open it.
pub(crate) async fn episode_of(conn: &mut Conn, audit: CaseAuditId) -> Result<EpisodeId> {
    let id: Option<String> = sqlx::query_scalar("SELECT episode_id FROM case_audits WHERE id = $1")
        .bind(audit.to_string())
        .fetch_optional(conn)
        .await?;
    parse_id(&id.ok_or(StoreError::NotFound)?)
}

/// An audit as the desk lists it: the team, level and dates of the file, never the family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLine {
    pub id: CaseAuditId,
    pub stage: Stage,
    pub team: Option<String>,
    pub level: EpisodeLevel,
    pub started_on: NaiveDate,
    pub closed: bool,
    pub auditor: Option<String>,
    /// The grade that stands: the moderator's once moderated, else the auditor's.
    pub grade: Option<Grade>,
}

/// Every audit, those waiting first (to audit, then to moderate), newest draw first.
pub async fn list(conn: &mut Conn, _desk: &QualityDesk) -> Result<Vec<AuditLine>> {
    let rows = sqlx::query(
        "SELECT a.id, a.stage, t.name AS team_name, e.level, e.started_on, e.status,
            u.display_name AS auditor_name, a.grade, a.moderated_grade
         FROM case_audits a JOIN episodes e ON e.id = a.episode_id
         LEFT JOIN teams t ON t.id = e.owning_team_id
         LEFT JOIN users u ON u.id = a.auditor_id
         ORDER BY CASE a.stage WHEN $1 THEN 0 WHEN $2 THEN 1 ELSE 2 END,
            a.created_at DESC, a.id",
    )
    .bind(Stage::Drawn.code())
    .bind(Stage::Graded.code())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let graded = opt_coded(r, "grade", Grade::from_code)?;
            let moderated = opt_coded(r, "moderated_grade", Grade::from_code)?;
            Ok(AuditLine {
                id: parse_id(&r.try_get::<String, _>("id")?)?,
                stage: coded(r, "stage", Stage::from_code)?,
                team: r.try_get("team_name")?,
                level: coded(r, "level", EpisodeLevel::from_code)?,
                started_on: date(&r.try_get::<String, _>("started_on")?)?,
                closed: coded(r, "status", EpisodeStatus::from_code)? == EpisodeStatus::Closed,
                auditor: r.try_get("auditor_name")?,
                grade: moderated.or(graded),
            })
        })
        .collect()
}

/// One question's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub question: String,
    pub grade: Grade,
    pub comment: String,
}

/// A case file's audit, as the auditors see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseAudit {
    pub id: CaseAuditId,
    pub stage: Stage,
    pub auditor: Option<(UserId, String)>,
    pub grade: Option<Grade>,
    pub comments: Option<String>,
    pub graded_at: Option<DateTime<Utc>>,
    pub moderator: Option<String>,
    pub moderated_grade: Option<Grade>,
    pub moderation_reasons: Option<String>,
    pub moderated_at: Option<DateTime<Utc>>,
    pub answers: Vec<Answer>,
    pub version: i64,
}

fn opt_time(text: Option<String>) -> Result<Option<DateTime<Utc>>> {
    text.as_deref().map(parse_time).transpose()
}

pub async fn get(conn: &mut Conn, file: &AuditedCaseFile) -> Result<CaseAudit> {
    let r = sqlx::query(
        "SELECT a.id, a.stage, a.auditor_id, u.display_name AS auditor_name, a.grade, a.comments,
            a.graded_at, m.display_name AS moderator_name, a.moderated_grade,
            a.moderation_reasons, a.moderated_at, a.version
         FROM case_audits a LEFT JOIN users u ON u.id = a.auditor_id
         LEFT JOIN users m ON m.id = a.moderator_id WHERE a.id = $1",
    )
    .bind(file.audit().to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let auditor: Option<String> = r.try_get("auditor_id")?;
    let auditor = match auditor {
        Some(id) => Some((parse_id(&id)?, r.try_get("auditor_name")?)),
        None => None,
    };
    let answers = sqlx::query(
        "SELECT question_id, grade, comment FROM case_audit_answers WHERE audit_id = $1",
    )
    .bind(file.audit().to_string())
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(Answer {
            question: r.try_get("question_id")?,
            grade: coded(r, "grade", Grade::from_code)?,
            comment: r.try_get("comment")?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    Ok(CaseAudit {
        id: file.audit(),
        stage: coded(&r, "stage", Stage::from_code)?,
        auditor,
        grade: opt_coded(&r, "grade", Grade::from_code)?,
        comments: r.try_get("comments")?,
        graded_at: opt_time(r.try_get("graded_at")?)?,
        moderator: r.try_get("moderator_name")?,
        moderated_grade: opt_coded(&r, "moderated_grade", Grade::from_code)?,
        moderation_reasons: r.try_get("moderation_reasons")?,
        moderated_at: opt_time(r.try_get("moderated_at")?)?,
        answers,
        version: r.try_get("version")?,
    })
}

/// Records the first auditor's grades; refused as a conflict when the file was graded by
/// someone else meanwhile (its version moved on).
pub async fn grade(
    conn: &mut Conn,
    file: &AuditedCaseFile,
    answers: &[Answer],
    overall: Grade,
    comments: &str,
    at: DateTime<Utc>,
    version: i64,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE case_audits SET stage = $1, auditor_id = $2, grade = $3, comments = $4,
            graded_at = $5, version = version + 1
         WHERE id = $6 AND stage = $7 AND version = $8",
    )
    .bind(Stage::Graded.code())
    .bind(file.desk().auditor().to_string())
    .bind(overall.code())
    .bind(comments)
    .bind(to_text(at))
    .bind(file.audit().to_string())
    .bind(Stage::Drawn.code())
    .bind(version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    for a in answers {
        sqlx::query(
            "INSERT INTO case_audit_answers (audit_id, question_id, grade, comment)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(file.audit().to_string())
        .bind(&a.question)
        .bind(a.grade.code())
        .bind(&a.comment)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Records the second auditor's moderation of a graded file.
pub async fn moderate(
    conn: &mut Conn,
    file: &AuditedCaseFile,
    grade: Grade,
    reasons: &str,
    at: DateTime<Utc>,
    version: i64,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE case_audits SET stage = $1, moderator_id = $2, moderated_grade = $3,
            moderation_reasons = $4, moderated_at = $5, version = version + 1
         WHERE id = $6 AND stage = $7 AND version = $8",
    )
    .bind(Stage::Moderated.code())
    .bind(file.desk().auditor().to_string())
    .bind(grade.code())
    .bind(reasons)
    .bind(to_text(at))
    .bind(file.audit().to_string())
    .bind(Stage::Graded.code())
    .bind(version)
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// Ties a task set for the worker to the audit it came from.
pub async fn add_action(conn: &mut Conn, file: &AuditedCaseFile, task: TaskId) -> Result<()> {
    sqlx::query("INSERT INTO case_audit_actions (audit_id, task_id) VALUES ($1, $2)")
        .bind(file.audit().to_string())
        .bind(task.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// The episode of an audit action open on this worker's list; another's, or one done, is not
/// found.
pub async fn open_action(conn: &mut Conn, task: TaskId, worker: UserId) -> Result<EpisodeId> {
    let episode: Option<String> = sqlx::query_scalar(
        "SELECT t.episode_id FROM tasks t JOIN case_audit_actions x ON x.task_id = t.id
         WHERE t.id = $1 AND t.user_id = $2 AND t.kind = $3 AND t.done_at IS NULL",
    )
    .bind(task.to_string())
    .bind(worker.to_string())
    .bind(TaskKind::QualityAction.code())
    .fetch_optional(conn)
    .await?;
    parse_id(&episode.ok_or(StoreError::NotFound)?)
}

/// The worker marks an audit action on their list, on the episode they opened, done.
pub async fn complete_action(
    conn: &mut Conn,
    opened: &OpenedEpisode,
    task: TaskId,
    worker: UserId,
    at: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE tasks SET done_at = $1, done_by = $2
         WHERE id = $3 AND user_id = $2 AND episode_id = $4 AND kind = $5 AND done_at IS NULL",
    )
    .bind(to_text(at))
    .bind(worker.to_string())
    .bind(task.to_string())
    .bind(opened.id().to_string())
    .bind(TaskKind::QualityAction.code())
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// An action set for the worker, and whether they have done it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub what: String,
    pub worker: Option<String>,
    pub due_on: NaiveDate,
    pub done: bool,
}

pub async fn actions(conn: &mut Conn, file: &AuditedCaseFile) -> Result<Vec<Action>> {
    let rows = sqlx::query(
        "SELECT t.title, u.display_name, t.due_on, t.done_at FROM case_audit_actions x
         JOIN tasks t ON t.id = x.task_id LEFT JOIN users u ON u.id = t.user_id
         WHERE x.audit_id = $1 ORDER BY t.due_on, t.id",
    )
    .bind(file.audit().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Action {
                what: r.try_get("title")?,
                worker: r.try_get("display_name")?,
                due_on: date(&r.try_get::<String, _>("due_on")?)?,
                done: r.try_get::<Option<String>, _>("done_at")?.is_some(),
            })
        })
        .collect()
}

/// How many files (or answers) got each grade, best first ([`Grade::ALL`]'s order).
pub type GradeCounts = [u64; 4];

/// The themes of the audits graded in a period: grades by question, by team and by month.
/// A moderated file counts with the moderator's grade.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Themes {
    pub by_question: Vec<(String, GradeCounts)>,
    pub by_team: Vec<(String, GradeCounts)>,
    pub by_month: Vec<(String, GradeCounts)>,
    pub files: u64,
}

fn count(list: &mut Vec<(String, GradeCounts)>, key: String, grade: Grade) {
    let i = Grade::ALL.iter().position(|g| *g == grade).unwrap_or(0);
    match list.iter_mut().find(|(k, _)| *k == key) {
        Some((_, c)) => c[i] += 1,
        None => {
            let mut c = [0; 4];
            c[i] = 1;
            list.push((key, c));
        }
    }
}

/// The themes of audits graded from `from` to `to` (inclusive days).
pub async fn themes(
    conn: &mut Conn,
    _desk: &QualityDesk,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Themes> {
    let start = to_text(from.and_time(chrono::NaiveTime::MIN).and_utc());
    let end = to_text(
        to.succ_opt()
            .unwrap_or(to)
            .and_time(chrono::NaiveTime::MIN)
            .and_utc(),
    );
    let mut themes = Themes::default();
    let files = sqlx::query(
        "SELECT a.graded_at, a.grade, a.moderated_grade, t.name AS team_name
         FROM case_audits a JOIN episodes e ON e.id = a.episode_id
         LEFT JOIN teams t ON t.id = e.owning_team_id
         WHERE a.graded_at >= $1 AND a.graded_at < $2 ORDER BY t.name, a.graded_at",
    )
    .bind(&start)
    .bind(&end)
    .fetch_all(&mut *conn)
    .await?;
    for r in &files {
        let graded = opt_coded(r, "grade", Grade::from_code)?;
        let moderated = opt_coded(r, "moderated_grade", Grade::from_code)?;
        let Some(grade) = moderated.or(graded) else {
            continue;
        };
        themes.files += 1;
        let team: Option<String> = r.try_get("team_name")?;
        count(
            &mut themes.by_team,
            team.unwrap_or_else(|| "No team".to_string()),
            grade,
        );
        let at = parse_time(&r.try_get::<String, _>("graded_at")?)?;
        count(&mut themes.by_month, at.format("%Y-%m").to_string(), grade);
    }
    themes.by_month.sort();
    let answers = sqlx::query(
        "SELECT q.question, x.grade FROM case_audit_answers x
         JOIN case_audits a ON a.id = x.audit_id
         JOIN quality_questions q ON q.id = x.question_id
         WHERE a.graded_at >= $1 AND a.graded_at < $2 ORDER BY q.position, q.id",
    )
    .bind(&start)
    .bind(&end)
    .fetch_all(&mut *conn)
    .await?;
    for r in &answers {
        count(
            &mut themes.by_question,
            r.try_get("question")?,
            coded(r, "grade", Grade::from_code)?,
        );
    }
    Ok(themes)
}
