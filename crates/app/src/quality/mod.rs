//! Quality assurance of case files (issue 18, item 3): an auditor draws a sample of episodes
//! (at random from a seed, or the latest by criteria), grades each file against the
//! partnership's audit form, a second auditor moderates the grade, actions go back to the
//! worker as tasks with due dates, and the themes show grades by question, team and month.
//! Every case file is opened through the gate for its audit, and every step is audited.

use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::date_parts::DateParts;
use hearth_domain::episode::EpisodeLevel;
use hearth_domain::ids::{AuditSampleId, CaseAuditId, PersonId, TaskId, TeamId};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::quality::{self, CaseState, Criteria, Draw, Grade, ModerationProblem, Stage};
use hearth_domain::task::TaskKind;
use hearth_store::episodes::case_notes::{self, Note};
use hearth_store::episodes::tasks::{self, NewTask};
use hearth_store::episodes::Episode;
use hearth_store::family::people;
use hearth_store::quality::{self as store, Answer, CaseAudit, Question};
use hearth_store::{audit, Store};
use serde::Deserialize;
use std::collections::HashMap;

pub use hearth_store::quality::{Action, AuditLine, GradeCounts, Themes};

/// How many of the newest notes the auditor reads with the file.
const NOTES_SHOWN: i64 = 50;

/// A sample as asked for in the form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SampleForm {
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub state: String,
    #[serde(default, rename = "from-day")]
    pub from_day: String,
    #[serde(default, rename = "from-month")]
    pub from_month: String,
    #[serde(default, rename = "from-year")]
    pub from_year: String,
    #[serde(default, rename = "to-day")]
    pub to_day: String,
    #[serde(default, rename = "to-month")]
    pub to_month: String,
    #[serde(default, rename = "to-year")]
    pub to_year: String,
    #[serde(default)]
    pub size: String,
    /// "random" or "latest".
    #[serde(default)]
    pub how: String,
    /// The random draw's seed; blank for one made from the time.
    #[serde(default)]
    pub seed: String,
}

impl SampleForm {
    pub fn from_parts(&self) -> DateParts {
        DateParts {
            day: self.from_day.clone(),
            month: self.from_month.clone(),
            year: self.from_year.clone(),
        }
    }

    pub fn to_parts(&self) -> DateParts {
        DateParts {
            day: self.to_day.clone(),
            month: self.to_month.clone(),
            year: self.to_year.clone(),
        }
    }

    fn check(&self, now: DateTime<Utc>) -> Result<(Criteria, usize, Draw), FieldErrors> {
        let mut errors = FieldErrors::new();
        let team = match self.team.as_str() {
            "" => None,
            t => match t.parse::<TeamId>() {
                Ok(t) => Some(t),
                Err(_) => {
                    errors.add("team", "Choose a team from the list");
                    None
                }
            },
        };
        let level = match self.level.as_str() {
            "" => None,
            l => {
                let level = EpisodeLevel::from_code(l);
                if level.is_none() {
                    errors.add("level", "Choose a level from the list");
                }
                level
            }
        };
        let state = CaseState::from_code(&self.state).unwrap_or_else(|| {
            errors.add("state", "Choose open, closed or either");
            CaseState::Any
        });
        let mut date = |field: &str, parts: DateParts, what: &str| match parts.read(what) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.add(field, format!("Enter {}", what.to_lowercase()));
                None
            }
            Err(e) => {
                errors.add(field, e.message);
                None
            }
        };
        let from = date("from", self.from_parts(), "The first day of the period");
        let to = date("to", self.to_parts(), "The last day of the period");
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                errors.add(
                    "to",
                    "The last day of the period must be on or after the first",
                );
            }
        }
        let size = match self.size.trim().parse::<usize>() {
            Ok(n) if (1..=quality::SAMPLE_MAX).contains(&n) => n,
            _ => {
                errors.add(
                    "size",
                    format!(
                        "Enter how many case files to draw, from 1 to {}",
                        quality::SAMPLE_MAX
                    ),
                );
                0
            }
        };
        let how = match (self.how.as_str(), self.seed.trim()) {
            ("random", "") => Draw::Random {
                seed: u64::try_from(now.timestamp_micros()).unwrap_or(0),
            },
            ("random", seed) => match seed.parse::<u64>() {
                Ok(seed) => Draw::Random { seed },
                Err(_) => {
                    errors.add("seed", "The seed must be a whole number, or left blank");
                    Draw::Latest
                }
            },
            ("latest", _) => Draw::Latest,
            _ => {
                errors.add("how", "Choose how to draw the sample");
                Draw::Latest
            }
        };
        match (from, to) {
            (Some(from), Some(to)) if errors.is_empty() => Ok((
                Criteria {
                    team,
                    level,
                    from,
                    to,
                    state,
                },
                size,
                how,
            )),
            _ => Err(errors),
        }
    }
}

/// The first auditor's grades, as typed: `grade_<question>` and `comment_<question>` for each
/// question of the form, and the overall `comments`.
pub type GradeForm = HashMap<String, String>;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ModerationForm {
    /// "agree" or a grade's code.
    #[serde(default)]
    pub grade: String,
    #[serde(default)]
    pub reasons: String,
    #[serde(default)]
    pub version: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    pub what: String,
    #[serde(default, rename = "due-day")]
    pub due_day: String,
    #[serde(default, rename = "due-month")]
    pub due_month: String,
    #[serde(default, rename = "due-year")]
    pub due_year: String,
}

impl ActionForm {
    pub fn due_parts(&self) -> DateParts {
        DateParts {
            day: self.due_day.clone(),
            month: self.due_month.clone(),
            year: self.due_year.clone(),
        }
    }
}

/// The auditors' desk: the audits waiting and done, and what a sample can be drawn from.
pub struct QualityDesk {
    pub audits: Vec<AuditLine>,
    pub teams: Vec<(TeamId, String)>,
}

/// A case file opened for its audit: the file (read-only), the form and the audit so far.
pub struct CaseFile {
    pub episode: Episode,
    pub family: Vec<(PersonId, String)>,
    pub notes: Vec<Note>,
    pub questions: Vec<Question>,
    pub audit: CaseAudit,
    pub actions: Vec<Action>,
    /// The viewer graded this file, so may not moderate it.
    pub own_audit: bool,
}

fn quality_event(
    actor: &Actor,
    action: AuditAction,
    record_type: &'static str,
    id: String,
    now: DateTime<Utc>,
) -> NewAuditEvent {
    let mut e = event(Some(actor), &actor.email, action, &actor.origin, now);
    e.record_type = Some(record_type);
    e.record_id = Some(id);
    e
}

impl Hearth {
    /// The auditors' desk (refused, audited, for anyone whose roles do not audit case files).
    pub async fn quality_desk(&self, actor: &Actor) -> Result<QualityDesk, AppError> {
        let desk = self.gate.quality_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        let audits = store::list(&mut conn, &desk).await?;
        let teams = hearth_store::accounts::teams::list(&mut conn, None)
            .await?
            .into_iter()
            .filter(|t| t.active)
            .map(|t| (t.id, format!("{} ({})", t.name, t.organisation_name)))
            .collect();
        Ok(QualityDesk { audits, teams })
    }

    /// Draws a sample of case files by the form's criteria; the draw (criteria, seed, how many
    /// found and drawn) is audited. Returns the sample and how many files it holds.
    pub async fn draw_sample(
        &self,
        actor: &Actor,
        form: &SampleForm,
    ) -> Result<(AuditSampleId, usize), AppError> {
        let desk = self.gate.quality_desk(&self.viewer(actor)).await?;
        let now = self.now();
        let (criteria, size, how) = form.check(now).map_err(AppError::Invalid)?;
        let mut conn = self.store.read().await?;
        let found = store::candidates(&mut conn, &desk, &criteria).await?;
        drop(conn);
        let found_count = found.len();
        let drawn = quality::draw(found, size, how);
        if drawn.is_empty() {
            let mut errors = FieldErrors::new();
            errors.add(
                "from",
                "No case files waiting for audit meet these criteria: widen the period or choose another team or level",
            );
            return Err(AppError::Invalid(errors));
        }
        let seed = match how {
            Draw::Random { seed } => Some(seed),
            Draw::Latest => None,
        };
        let described = serde_json::json!({
            "team": criteria.team.map(|t| t.to_string()),
            "level": criteria.level.map(|l| l.code()),
            "from": criteria.from.to_string(),
            "to": criteria.to.to_string(),
            "state": criteria.state.code(),
            "how": if seed.is_some() { "random" } else { "latest" },
            "size": size,
        });
        let mut tx = self.store.write().await?;
        let sample =
            store::insert_sample(&mut tx, &desk, &described.to_string(), seed, &drawn, now).await?;
        let mut e = quality_event(
            actor,
            AuditAction::CaseAuditSampleDrawn,
            "audit_sample",
            sample.to_string(),
            now,
        );
        e.detail = Some(
            serde_json::json!({
                "criteria": described,
                "seed": seed.map(|s| s.to_string()),
                "found": found_count,
                "episodes": drawn.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
            })
            .to_string(),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok((sample, drawn.len()))
    }

    /// A case file opened for its audit (the opening audited by the gate).
    pub async fn case_file(&self, actor: &Actor, id: CaseAuditId) -> Result<CaseFile, AppError> {
        let file = self.gate.open_for_audit(&self.viewer(actor), id).await?;
        let episode = file.episode().episode().clone();
        let mut conn = self.store.read().await?;
        let found = people::summaries(&mut conn, &episode.people).await?;
        let family = found
            .iter()
            .map(|p| (p.id, format!("{} {}", p.given_names, p.family_name)))
            .collect();
        let notes = case_notes::newest(&mut conn, file.episode(), NOTES_SHOWN, 0).await?;
        let questions = store::questions(&mut conn).await?;
        let audit = store::get(&mut conn, &file).await?;
        let actions = store::actions(&mut conn, &file).await?;
        let own_audit = audit
            .auditor
            .as_ref()
            .is_some_and(|(u, _)| *u == actor.user_id);
        Ok(CaseFile {
            episode,
            family,
            notes,
            questions,
            audit,
            actions,
            own_audit,
        })
    }

    /// The first auditor grades the file question by question; the overall grade follows
    /// [`quality::overall`]. Audited with the grades.
    pub async fn grade_case_file(
        &self,
        actor: &Actor,
        id: CaseAuditId,
        form: &GradeForm,
    ) -> Result<Grade, AppError> {
        let file = self.gate.open_for_audit(&self.viewer(actor), id).await?;
        let mut conn = self.store.read().await?;
        let questions = store::questions(&mut conn).await?;
        let current = store::get(&mut conn, &file).await?;
        drop(conn);
        if current.stage != Stage::Drawn {
            return Err(AppError::Conflict);
        }
        let field = |name: String| form.get(&name).map(String::as_str).unwrap_or("");
        let mut errors = FieldErrors::new();
        let mut answers = Vec::with_capacity(questions.len());
        for q in &questions {
            let grade = Grade::from_code(field(format!("grade_{}", q.id)));
            let comment = input::optional_text(
                &mut errors,
                &format!("comment_{}", q.id),
                &q.question,
                field(format!("comment_{}", q.id)),
                2000,
            );
            match grade {
                Some(grade) => answers.push(Answer {
                    question: q.id.clone(),
                    grade,
                    comment: comment.unwrap_or_default(),
                }),
                None => errors.add(
                    &format!("grade_{}", q.id),
                    format!("Choose a grade for {}", q.question.to_lowercase()),
                ),
            }
        }
        let comments = input::required_text(
            &mut errors,
            "comments",
            "what the auditor found",
            field("comments".to_string()),
            5000,
        );
        let grades: Vec<Grade> = answers.iter().map(|a| a.grade).collect();
        let overall = quality::overall(&grades);
        let Some(overall) = overall.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let now = self.now();
        let mut tx = self.store.write().await?;
        store::grade(
            &mut tx,
            &file,
            &answers,
            overall,
            &comments,
            now,
            current.version,
        )
        .await?;
        let mut e = quality_event(
            actor,
            AuditAction::CaseAuditGraded,
            "case_audit",
            id.to_string(),
            now,
        );
        e.detail = Some(
            serde_json::json!({
                "episode": file.episode().id().to_string(),
                "grade": overall.code(),
                "answers": answers.iter().map(|a| (a.question.clone(), a.grade.code())).collect::<HashMap<_, _>>(),
            })
            .to_string(),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(overall)
    }

    /// A second auditor agrees with the grade or changes it, with reasons. The first auditor
    /// moderating their own grade is refused, and the refusal audited.
    pub async fn moderate_case_file(
        &self,
        actor: &Actor,
        id: CaseAuditId,
        form: &ModerationForm,
    ) -> Result<Grade, AppError> {
        let viewer = self.viewer(actor);
        let file = self.gate.open_for_audit(&viewer, id).await?;
        let mut conn = self.store.read().await?;
        let current = store::get(&mut conn, &file).await?;
        drop(conn);
        let (Stage::Graded, Some((auditor, _)), Some(graded)) =
            (current.stage, &current.auditor, current.grade)
        else {
            return Err(AppError::Conflict);
        };
        let mut errors = FieldErrors::new();
        let moderated = if form.grade == "agree" {
            Some(graded)
        } else {
            Grade::from_code(&form.grade)
        };
        let Some(moderated) = moderated else {
            errors.add(
                "grade",
                "Choose whether you agree, or the grade it should be",
            );
            return Err(AppError::Invalid(errors));
        };
        let reasons = input::optional_text(&mut errors, "reasons", "Reasons", &form.reasons, 5000)
            .unwrap_or_default();
        match quality::moderate(*auditor, actor.user_id, graded, moderated, &reasons) {
            Err(ModerationProblem::OwnAudit) => {
                let refusal = self
                    .gate
                    .refuse(
                        &viewer,
                        Some("case_audit"),
                        Some(id.to_string()),
                        Some(
                            serde_json::json!({ "refused": "moderating one's own audit" })
                                .to_string(),
                        ),
                    )
                    .await?;
                return Err(AppError::Forbidden(refusal));
            }
            Err(ModerationProblem::ReasonsNeeded) => errors.add(
                "reasons",
                "Say why the grade should change, for the first auditor to learn from",
            ),
            Ok(()) => {}
        }
        if form.version.trim() != current.version.to_string() {
            return Err(AppError::Conflict);
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        store::moderate(&mut tx, &file, moderated, &reasons, now, current.version).await?;
        let mut e = quality_event(
            actor,
            AuditAction::CaseAuditModerated,
            "case_audit",
            id.to_string(),
            now,
        );
        e.detail = Some(
            serde_json::json!({
                "episode": file.episode().id().to_string(),
                "graded": graded.code(),
                "moderated": moderated.code(),
            })
            .to_string(),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(moderated)
    }

    /// Sets an action for the file's worker (its lead) with a due date, once the file is
    /// graded: a task on the worker's list, tied to the audit. Audited.
    pub async fn set_audit_action(
        &self,
        actor: &Actor,
        id: CaseAuditId,
        form: &ActionForm,
    ) -> Result<(), AppError> {
        let file = self.gate.open_for_audit(&self.viewer(actor), id).await?;
        let mut conn = self.store.read().await?;
        let current = store::get(&mut conn, &file).await?;
        drop(conn);
        let mut errors = FieldErrors::new();
        if current.stage == Stage::Drawn {
            errors.add("what", "Grade the case file before setting actions");
        }
        let worker = file.episode().episode().lead_user_id;
        if worker.is_none() {
            errors.add(
                "what",
                "This case file has no lead worker to send an action to",
            );
        }
        let what = input::required_text(&mut errors, "what", "the action", &form.what, 500);
        let today = self.now().date_naive();
        let due = match form.due_parts().read("The due date") {
            Ok(Some(d)) if d < today => {
                errors.add("due", "The due date must be today or in the future");
                None
            }
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.add("due", "Enter the date the action is due");
                None
            }
            Err(e) => {
                errors.add("due", e.message);
                None
            }
        };
        let (Some(worker), Some(due_on), true) = (worker, due, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let now = self.now();
        let mut tx = self.store.write().await?;
        let task = tasks::insert(
            &mut tx,
            &NewTask {
                kind: TaskKind::QualityAction,
                episode: Some(file.episode().id()),
                request: None,
                user: Some(worker),
                team: None,
                title: format!("Case-file audit action: {what}"),
                due_on,
            },
            now,
        )
        .await?;
        store::add_action(&mut tx, &file, task).await?;
        let mut e = quality_event(
            actor,
            AuditAction::CaseAuditActionSet,
            "case_audit",
            id.to_string(),
            now,
        );
        e.detail = Some(
            serde_json::json!({
                "episode": file.episode().id().to_string(),
                "task": task.to_string(),
                "worker": worker.to_string(),
                "due_on": due_on.to_string(),
            })
            .to_string(),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// The worker marks an action an audit set them done, from their own list: the episode is
    /// opened through the gate for working on it; another's action is not found. Audited.
    pub async fn complete_audit_action(&self, actor: &Actor, task: TaskId) -> Result<(), AppError> {
        let mut conn = self.store.read().await?;
        let episode = store::open_action(&mut conn, task, actor.user_id).await?;
        drop(conn);
        let opened = self.episode_for(actor, episode, |m| m.contribute).await?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        store::complete_action(&mut tx, &opened, task, actor.user_id, now).await?;
        let mut e = quality_event(
            actor,
            AuditAction::CaseAuditActionDone,
            "episode",
            episode.to_string(),
            now,
        );
        e.detail = Some(serde_json::json!({ "task": task.to_string() }).to_string());
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// The themes of the audits graded from `from` to `to`: counts only, no family named.
    pub async fn quality_themes(
        &self,
        actor: &Actor,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Themes, AppError> {
        let desk = self.gate.quality_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        Ok(store::themes(&mut conn, &desk, from, to).await?)
    }
}
