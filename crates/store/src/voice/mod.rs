//! The family's voice (ADR 0037): surveys sent by the same one-time links as the closure
//! feedback ([`crate::episodes::feedback`]), their answers kept with the questions as asked,
//! the answers in aggregate, and case studies for the board. Functions over a family's
//! survey or story take the gate's proof; the aggregate facts carry no names.

use crate::decode::{code, date, parse_id, parse_time};
use crate::episodes::feedback::{self, Answer, Invitation, LinkFor};
use crate::gate::{
    AnsweringLink, CaseStudyReview, CaseStudyRevision, CaseStudySource, SurveyingEpisode, VoiceDesk,
};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::case_study::{CaseStudyStatus, ConsentWay};
use hearth_domain::episode::EpisodeLevel;
use hearth_domain::ids::{CaseStudyId, EpisodeId, PersonId, TeamId, UserId};
use hearth_domain::survey::{says_better, Audience, Given, Moment, BETTER};
use hearth_domain::time::to_text;
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

/// One question's answer as kept: the question as it was asked, and the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyAnswer {
    pub question: String,
    pub asked: String,
    pub answer: String,
}

/// Records a survey link for an episode opened for its surveys; any earlier link for the same
/// moment and person not yet answered stops working.
pub async fn send(
    conn: &mut Conn,
    episode: &SurveyingEpisode,
    id: Uuid,
    token_hash: &str,
    by: UserId,
    (now, expires_at): (DateTime<Utc>, DateTime<Utc>),
    what: LinkFor<'_>,
) -> Result<()> {
    feedback::invite(
        conn,
        id,
        episode.episode().id(),
        token_hash,
        by,
        now,
        expires_at,
        what,
    )
    .await
}

/// The episode's links, newest first, each with its survey answers.
pub async fn invitations(
    conn: &mut Conn,
    episode: &SurveyingEpisode,
) -> Result<Vec<(Invitation, Vec<SurveyAnswer>)>> {
    let list = feedback::for_episode(conn, episode.episode().id()).await?;
    let mut out = Vec::with_capacity(list.len());
    for inv in list {
        let answers = answers_of(conn, inv.id).await?;
        out.push((inv, answers));
    }
    Ok(out)
}

async fn answers_of(conn: &mut Conn, invitation: Uuid) -> Result<Vec<SurveyAnswer>> {
    let rows = sqlx::query(
        "SELECT question, asked, answer FROM survey_answers WHERE invitation_id = $1
         ORDER BY position",
    )
    .bind(invitation.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SurveyAnswer {
                question: r.try_get("question")?,
                asked: r.try_get("asked")?,
                answer: r.try_get("answer")?,
            })
        })
        .collect()
}

/// Stores the family's answer through their link, once: the feedback form's answer where the
/// link has one (closure's, for the family), and each survey question's with its wording.
/// [`StoreError::Conflict`] if the link was used, withdrawn or expired in the meantime.
pub async fn answer(
    conn: &mut Conn,
    link: &AnsweringLink,
    at: DateTime<Utc>,
    language: &str,
    form: Option<&Answer>,
    given: &[Given],
) -> Result<()> {
    let id = link.invitation().id;
    match form {
        Some(a) => {
            feedback::answer(conn, id, a).await?;
            feedback::set_language(conn, id, language).await?;
        }
        None => feedback::mark_answered(conn, id, at, language).await?,
    }
    for (n, g) in given.iter().enumerate() {
        sqlx::query(
            "INSERT INTO survey_answers (invitation_id, position, question, asked, answer)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.to_string())
        .bind(n as i64)
        .bind(&g.code)
        .bind(&g.asked)
        .bind(&g.answer)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Every answer to "are things better?" given in `[from, to)`, by episode, oldest first: the
/// day and whether it said better. Aggregate facts for the indicator; no names.
pub async fn said_better(
    conn: &mut Conn,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<EpisodeId, Vec<(NaiveDate, bool)>>> {
    let rows = sqlx::query(
        "SELECT f.episode_id, f.answered_at, a.answer FROM survey_answers a
         JOIN feedback_invitations f ON f.id = a.invitation_id
         WHERE a.question = $1 AND f.answered_at >= $2 AND f.answered_at < $3
         ORDER BY f.answered_at, f.id",
    )
    .bind(BETTER)
    .bind(from.format("%Y-%m-%d").to_string())
    .bind(to.format("%Y-%m-%d").to_string())
    .fetch_all(conn)
    .await?;
    let mut map: HashMap<EpisodeId, Vec<(NaiveDate, bool)>> = HashMap::new();
    for r in &rows {
        let at = parse_time(&r.try_get::<String, _>("answered_at")?)?;
        map.entry(parse_id(&r.try_get::<String, _>("episode_id")?)?)
            .or_default()
            .push((
                at.date_naive(),
                says_better(&r.try_get::<String, _>("answer")?),
            ));
    }
    Ok(map)
}

/// One answered survey, as the aggregates count it: where the help came from, when, which
/// survey, and its choice answers (never the free text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnsweredSurvey {
    pub organisation: String,
    pub team: String,
    pub answered_on: NaiveDate,
    pub moment: Moment,
    pub audience: Audience,
    /// (question, answer) for the choice questions answered.
    pub choices: Vec<(String, String)>,
}

/// The surveys answered in `[from, to)`, with the organisation and team that held each
/// episode ("No team yet" where none did), for the analysts' desk.
pub async fn answered(
    conn: &mut Conn,
    _desk: &VoiceDesk,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<AnsweredSurvey>> {
    let rows = sqlx::query(
        "SELECT f.id, COALESCE(o.name, 'No organisation') AS organisation,
                COALESCE(t.name, 'No team') AS team, f.answered_at, f.moment, f.audience,
                a.question, a.answer
         FROM feedback_invitations f
         JOIN episodes e ON e.id = f.episode_id
         LEFT JOIN teams t ON t.id = e.owning_team_id
         LEFT JOIN organisations o ON o.id = t.organisation_id
         LEFT JOIN survey_answers a ON a.invitation_id = f.id AND a.question IN ('better', 'listened', 'clear')
         WHERE f.answered_at >= $1 AND f.answered_at < $2 AND f.version IS NOT NULL
         ORDER BY f.id, a.position",
    )
    .bind(from.format("%Y-%m-%d").to_string())
    .bind(to.format("%Y-%m-%d").to_string())
    .fetch_all(conn)
    .await?;
    let mut out: Vec<(String, AnsweredSurvey)> = Vec::new();
    for r in &rows {
        let id: String = r.try_get("id")?;
        let choice = match (
            r.try_get::<Option<String>, _>("question")?,
            r.try_get::<Option<String>, _>("answer")?,
        ) {
            (Some(q), Some(a)) => Some((q, a)),
            _ => None,
        };
        match out.last_mut() {
            Some((last, s)) if *last == id => s.choices.extend(choice),
            _ => out.push((
                id,
                AnsweredSurvey {
                    organisation: r.try_get("organisation")?,
                    team: r.try_get("team")?,
                    answered_on: parse_time(&r.try_get::<String, _>("answered_at")?)?.date_naive(),
                    moment: code(
                        &r.try_get::<String, _>("moment")?,
                        Moment::from_code,
                        "moment",
                    )?,
                    audience: code(
                        &r.try_get::<String, _>("audience")?,
                        Audience::from_code,
                        "audience",
                    )?,
                    choices: choice.into_iter().collect(),
                },
            )),
        }
    }
    Ok(out.into_iter().map(|(_, s)| s).collect())
}

/// Other names (aliases, previous names) of these people, for the case study's name check.
pub(crate) async fn other_names(conn: &mut Conn, people: &[PersonId]) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for p in people {
        let rows =
            sqlx::query("SELECT given_names, family_name FROM person_names WHERE person_id = $1")
                .bind(p.to_string())
                .fetch_all(&mut *conn)
                .await?;
        for r in &rows {
            names.push(r.try_get("given_names")?);
            names.push(r.try_get("family_name")?);
        }
    }
    Ok(names)
}

/// What a new case study says.
#[derive(Debug, Clone)]
pub struct NewCaseStudy {
    pub id: CaseStudyId,
    pub title: String,
    pub story: String,
    pub consent_person: PersonId,
    pub consent_on: NaiveDate,
    pub consent_way: ConsentWay,
    pub at: DateTime<Utc>,
}

/// Records a case study, waiting for review, from an episode opened for its lead.
pub async fn write(conn: &mut Conn, source: &CaseStudySource, new: &NewCaseStudy) -> Result<()> {
    let e = source.episode().episode();
    sqlx::query(
        "INSERT INTO case_studies (id, episode_id, title, story, consent_person_id, consent_on,
             consent_way, written_by, written_at, anonymised_confirmed_at, status, team_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11)",
    )
    .bind(new.id.to_string())
    .bind(e.id.to_string())
    .bind(&new.title)
    .bind(&new.story)
    .bind(new.consent_person.to_string())
    .bind(new.consent_on.format("%Y-%m-%d").to_string())
    .bind(new.consent_way.code())
    .bind(
        source
            .episode()
            .episode()
            .lead_user_id
            .map(|u| u.to_string()),
    )
    .bind(to_text(new.at))
    .bind(CaseStudyStatus::Submitted.code())
    .bind(e.owning_team_id.map(|t| t.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

/// What the writer may change in a returned case study: the words and the consent (the
/// episode, the writer and the team stay).
#[derive(Debug, Clone)]
pub struct RevisedCaseStudy {
    pub title: String,
    pub story: String,
    pub consent_person: PersonId,
    pub consent_on: NaiveDate,
    pub consent_way: ConsentWay,
    pub at: DateTime<Utc>,
}

/// Keeps the returned version with the reviewer's reason, puts the writer's changes in its
/// place and sends it back for review. A second save of the same returned study finds it
/// waiting for review already and is refused as a conflict.
pub async fn revise(
    conn: &mut Conn,
    revision: &CaseStudyRevision,
    new: &RevisedCaseStudy,
) -> Result<()> {
    let id = revision.study().to_string();
    let kept = sqlx::query(
        "INSERT INTO case_study_versions (case_study_id, version, title, story, written_at,
             reviewed_by, reviewed_at, review_note)
         SELECT id, version, title, story, written_at, reviewed_by, reviewed_at, review_note
         FROM case_studies WHERE id = $1 AND status = $2",
    )
    .bind(&id)
    .bind(CaseStudyStatus::Returned.code())
    .execute(&mut *conn)
    .await?;
    let changed = sqlx::query(
        "UPDATE case_studies SET title = $1, story = $2, consent_person_id = $3, consent_on = $4,
             consent_way = $5, written_at = $6, anonymised_confirmed_at = $6, status = $7,
             reviewed_by = NULL, reviewed_at = NULL, review_note = NULL, version = version + 1
         WHERE id = $8 AND status = $9",
    )
    .bind(&new.title)
    .bind(&new.story)
    .bind(new.consent_person.to_string())
    .bind(new.consent_on.format("%Y-%m-%d").to_string())
    .bind(new.consent_way.code())
    .bind(to_text(new.at))
    .bind(CaseStudyStatus::Submitted.code())
    .bind(&id)
    .bind(CaseStudyStatus::Returned.code())
    .execute(conn)
    .await?;
    if kept.rows_affected() == 0 || changed.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// The case study as its writer left it when it was returned, with the consent as recorded,
/// for the writer's form.
pub async fn returned(conn: &mut Conn, revision: &CaseStudyRevision) -> Result<ReturnedCaseStudy> {
    let with_consent = CASE_STUDY.replacen(
        "SELECT ",
        "SELECT c.consent_person_id, c.consent_on, c.consent_way, ",
        1,
    );
    let r = sqlx::query(&format!("{with_consent} WHERE c.id = $1"))
        .bind(revision.study().to_string())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(ReturnedCaseStudy {
        study: case_study_row(&r)?,
        consent_person: parse_id(&r.try_get::<String, _>("consent_person_id")?)?,
        consent_on: date(&r.try_get::<String, _>("consent_on")?)?,
        consent_way: code(
            &r.try_get::<String, _>("consent_way")?,
            ConsentWay::from_code,
            "consent way",
        )?,
    })
}

/// A returned case study and the consent its writer recorded.
#[derive(Debug, Clone)]
pub struct ReturnedCaseStudy {
    pub study: CaseStudy,
    pub consent_person: PersonId,
    pub consent_on: NaiveDate,
    pub consent_way: ConsentWay,
}

/// Who may review a case study, as the gate judges it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CaseStudyStanding {
    pub episode: EpisodeId,
    pub team: Option<TeamId>,
    pub written_by: UserId,
    pub status: CaseStudyStatus,
}

pub(crate) async fn case_study_standing(
    conn: &mut Conn,
    id: CaseStudyId,
) -> Result<CaseStudyStanding> {
    let r = sqlx::query(
        "SELECT episode_id, team_id, written_by, status FROM case_studies WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(CaseStudyStanding {
        episode: parse_id(&r.try_get::<String, _>("episode_id")?)?,
        team: r
            .try_get::<Option<String>, _>("team_id")?
            .as_deref()
            .map(parse_id)
            .transpose()?,
        written_by: parse_id(&r.try_get::<String, _>("written_by")?)?,
        status: code(
            &r.try_get::<String, _>("status")?,
            CaseStudyStatus::from_code,
            "case study status",
        )?,
    })
}

/// A case study as its reviewer, the board or its writer's list reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseStudy {
    pub id: CaseStudyId,
    pub title: String,
    pub story: String,
    pub status: CaseStudyStatus,
    pub written_at: DateTime<Utc>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub review_note: Option<String>,
    /// What the board sees beside the story: the level of help, the organisation that held
    /// it and when it ended (never the family, the worker or the ward).
    pub level: EpisodeLevel,
    pub organisation: String,
    pub ended_on: Option<NaiveDate>,
}

const CASE_STUDY: &str = "SELECT c.id, c.title, c.story, c.status, c.written_at, c.reviewed_at,
        c.review_note, c.written_by, e.level, e.ended_on, COALESCE(o.name, '') AS organisation
    FROM case_studies c JOIN episodes e ON e.id = c.episode_id
    LEFT JOIN teams t ON t.id = c.team_id
    LEFT JOIN organisations o ON o.id = t.organisation_id";

fn case_study_row(r: &sqlx::any::AnyRow) -> Result<CaseStudy> {
    Ok(CaseStudy {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        title: r.try_get("title")?,
        story: r.try_get("story")?,
        status: code(
            &r.try_get::<String, _>("status")?,
            CaseStudyStatus::from_code,
            "case study status",
        )?,
        written_at: parse_time(&r.try_get::<String, _>("written_at")?)?,
        reviewed_at: r
            .try_get::<Option<String>, _>("reviewed_at")?
            .as_deref()
            .map(parse_time)
            .transpose()?,
        review_note: r.try_get("review_note")?,
        level: code(
            &r.try_get::<String, _>("level")?,
            EpisodeLevel::from_code,
            "level",
        )?,
        organisation: r.try_get("organisation")?,
        ended_on: r
            .try_get::<Option<String>, _>("ended_on")?
            .as_deref()
            .map(date)
            .transpose()?,
    })
}

/// The case study opened for its review.
pub async fn for_review(conn: &mut Conn, review: &CaseStudyReview) -> Result<CaseStudy> {
    let r = sqlx::query(&format!("{CASE_STUDY} WHERE c.id = $1"))
        .bind(review.study().to_string())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    case_study_row(&r)
}

/// Publishes the case study to the board, or returns it to its writer with the reason.
pub async fn decide(
    conn: &mut Conn,
    review: &CaseStudyReview,
    publish: bool,
    note: Option<&str>,
    at: DateTime<Utc>,
) -> Result<()> {
    let status = if publish {
        CaseStudyStatus::Published
    } else {
        CaseStudyStatus::Returned
    };
    let done = sqlx::query(
        "UPDATE case_studies SET status = $1, reviewed_by = $2, reviewed_at = $3, review_note = $4
         WHERE id = $5 AND status = $6",
    )
    .bind(status.code())
    .bind(review.reviewer().to_string())
    .bind(to_text(at))
    .bind(note)
    .bind(review.study().to_string())
    .bind(CaseStudyStatus::Submitted.code())
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// The case studies a user wrote, and those waiting for review in their team (titles and
/// where they stand: the list a writer and a reviewer start from), newest first.
pub async fn worklist(
    conn: &mut Conn,
    user: UserId,
    team: Option<TeamId>,
) -> Result<Vec<(CaseStudy, bool)>> {
    let rows = sqlx::query(&format!(
        "{CASE_STUDY} WHERE c.written_by = $1 OR (c.team_id = $2 AND c.status = $3)
         ORDER BY c.written_at DESC"
    ))
    .bind(user.to_string())
    .bind(team.map(|t| t.to_string()).unwrap_or_default())
    .bind(CaseStudyStatus::Submitted.code())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let writer: String = r.try_get("written_by")?;
            Ok((case_study_row(r)?, writer == user.to_string()))
        })
        .collect()
}

/// The case studies published to the board, newest first.
pub async fn published(conn: &mut Conn, _desk: &VoiceDesk) -> Result<Vec<CaseStudy>> {
    let rows = sqlx::query(&format!(
        "{CASE_STUDY} WHERE c.status = $1 ORDER BY c.reviewed_at DESC"
    ))
    .bind(CaseStudyStatus::Published.code())
    .fetch_all(conn)
    .await?;
    rows.iter().map(case_study_row).collect()
}
