//! Case-file audits (quality assurance): the auditors' desk (draw a sample, the audits
//! waiting and done), one case file opened for its audit with the grading, moderation and
//! action forms, and the themes. Every form works without JavaScript.

use crate::components::{
    DateInput, ErrorSummary, Input, NotificationBanner, Radios, Select, Textarea,
};
use crate::dates::UkDate;
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use hearth_app::quality::{
    ActionForm, AuditLine, CaseFile, GradeCounts, GradeForm, ModerationForm, SampleForm, Themes,
};
use hearth_app::{Actor, AppError};
use hearth_domain::episode::EpisodeLevel;
use hearth_domain::ids::{CaseAuditId, TaskId};
use hearth_domain::input::FieldErrors;
use hearth_domain::quality::{CaseState, Grade, Stage, SAMPLE_MAX};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/quality", get(desk))
        .route("/quality/samples", post(draw))
        .route("/quality/themes", get(themes))
        .route("/quality/audits/{id}", get(case_file))
        .route("/quality/audits/{id}/grade", post(grade))
        .route("/quality/audits/{id}/moderation", post(moderate))
        .route("/quality/audits/{id}/actions", post(set_action))
        .route("/quality/actions/{id}/done", post(action_done))
}

fn audit_id(id: &str) -> Result<CaseAuditId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "quality/desk.html")]
struct DeskPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    audits: Vec<AuditLine>,
    team: Select,
    level: Select,
    state: Radios,
    from: DateInput,
    to: DateInput,
    size: Input,
    how: Radios,
    seed: Input,
}

async fn desk_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    f: &SampleForm,
    errors: &FieldErrors,
    banner: Option<NotificationBanner>,
) -> Result<DeskPage, WebError> {
    let desk = state.hearth.quality_desk(actor).await?;
    let mut teams = vec![(String::new(), "Any team".to_string())];
    teams.extend(desk.teams.into_iter().map(|(t, n)| (t.to_string(), n)));
    let mut levels = vec![(String::new(), "Any level".to_string())];
    levels.extend(
        EpisodeLevel::ALL
            .into_iter()
            .map(|l| (l.code().to_string(), l.label().to_string())),
    );
    let (from, to) = (f.from_parts(), f.to_parts());
    Ok(DeskPage {
        shell: Shell::new(state, visitor, "Case-file audits")
            .at("/quality")
            .with_errors(!errors.is_empty()),
        banner,
        error_summary: fields::error_summary_with_dates(errors, &[("from", &from), ("to", &to)]),
        audits: desk.audits,
        team: fields::select("team", "Team", teams, &f.team, errors),
        level: fields::select("level", "Level of help", levels, &f.level, errors),
        state: fields::radios(
            "state",
            "Which case files?",
            CaseState::ALL
                .into_iter()
                .map(|s| (s.code().to_string(), s.label().to_string(), None))
                .collect(),
            if f.state.is_empty() { "any" } else { &f.state },
            errors,
        ),
        from: fields::date(
            "from",
            "Started on or after",
            Some("For example, 1 4 2026"),
            &from,
            errors,
        ),
        to: fields::date("to", "Started on or before", None, &to, errors),
        size: fields::with_hint(
            fields::text("size", "How many case files?", &f.size, errors),
            &format!("Up to {SAMPLE_MAX}. Files already waiting in a sample are left out."),
        ),
        how: fields::radios(
            "how",
            "How should they be chosen?",
            vec![
                (
                    "random".into(),
                    "At random".into(),
                    Some("From a seed, recorded with the sample, so the draw can be repeated and shown to be fair.".into()),
                ),
                (
                    "latest".into(),
                    "The most recently started".into(),
                    None,
                ),
            ],
            if f.how.is_empty() { "random" } else { &f.how },
            errors,
        ),
        seed: fields::with_hint(
            fields::text("seed", "Seed (optional)", &f.seed, errors),
            "A whole number. Leave it blank for one made from the time.",
        ),
    })
}

pub async fn desk(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let banner = q.done.as_deref().and_then(|d| {
        d.parse::<usize>().ok().map(|n| {
            fields::success(&match n {
                1 => "1 case file was drawn for audit.".to_string(),
                n => format!("{n} case files were drawn for audit."),
            })
        })
    });
    let page = desk_page(
        &state,
        &visitor,
        &actor,
        &SampleForm::default(),
        &FieldErrors::new(),
        banner,
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn draw(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<SampleForm>,
) -> Result<Response, WebError> {
    match state.hearth.draw_sample(&actor, &f).await {
        Ok((_, n)) => Ok(Redirect::to(&format!("/quality?done={n}")).into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &desk_page(&state, &visitor, &actor, &f, &errors, None).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

/// One question of the grading form: its grade and its comment.
struct QuestionFields {
    grade: Radios,
    comment: Textarea,
}

#[derive(Template)]
#[template(path = "quality/case_file.html")]
struct CaseFilePage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    id: CaseAuditId,
    file: CaseFile,
    questions: Vec<QuestionFields>,
    comments: Textarea,
    moderation: Radios,
    reasons: Textarea,
    what: Input,
    due: DateInput,
}

impl CaseFilePage {
    fn question(&self, id: &str) -> String {
        self.file
            .questions
            .iter()
            .find(|q| q.id == id)
            .map(|q| q.question.clone())
            .unwrap_or_else(|| id.to_string())
    }
}

/// What was typed in whichever of the page's forms was sent.
#[derive(Default)]
struct Typed {
    grades: GradeForm,
    moderation: ModerationForm,
    action: ActionForm,
}

async fn case_file_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: CaseAuditId,
    typed: &Typed,
    errors: &FieldErrors,
    banner: Option<NotificationBanner>,
) -> Result<CaseFilePage, WebError> {
    let file = state.hearth.case_file(actor, id).await?;
    let grades: Vec<(String, String, Option<String>)> = Grade::ALL
        .into_iter()
        .map(|g| (g.code().to_string(), g.label().to_string(), None))
        .collect();
    let typed_field = |name: String| typed.grades.get(&name).cloned().unwrap_or_default();
    let questions = file
        .questions
        .iter()
        .map(|q| QuestionFields {
            grade: fields::radios(
                &format!("grade_{}", q.id),
                &q.question,
                grades.clone(),
                &typed_field(format!("grade_{}", q.id)),
                errors,
            ),
            comment: fields::with_textarea_hint(
                fields::textarea(
                    &format!("comment_{}", q.id),
                    &format!("What you found: {} (optional)", q.question.to_lowercase()),
                    &typed_field(format!("comment_{}", q.id)),
                    errors,
                ),
                &q.hint,
            ),
        })
        .collect();
    let mut moderation = vec![(
        "agree".to_string(),
        "I agree with the grade".to_string(),
        None,
    )];
    moderation.extend(
        Grade::ALL
            .into_iter()
            .filter(|g| Some(*g) != file.audit.grade)
            .map(|g| {
                (
                    g.code().to_string(),
                    format!("Change it to {}", g.label()),
                    None,
                )
            }),
    );
    let due = typed.action.due_parts();
    Ok(CaseFilePage {
        shell: Shell::new(state, visitor, "Case-file audit")
            .at("/quality")
            .with_errors(!errors.is_empty()),
        banner,
        error_summary: fields::error_summary_with_dates(errors, &[("due", &due)]),
        id,
        questions,
        comments: fields::textarea(
            "comments",
            "What did you find overall?",
            &typed_field("comments".to_string()),
            errors,
        ),
        moderation: fields::radios(
            "grade",
            "Do you agree with the grade?",
            moderation,
            &typed.moderation.grade,
            errors,
        ),
        reasons: fields::with_textarea_hint(
            fields::textarea("reasons", "Your reasons", &typed.moderation.reasons, errors),
            "Needed when you change the grade, for the first auditor to learn from.",
        ),
        what: fields::text(
            "what",
            "What should the worker do?",
            &typed.action.what,
            errors,
        ),
        due: fields::date(
            "due",
            "By when?",
            Some("For example, 27 3 2027"),
            &due,
            errors,
        ),
        file,
    })
}

pub async fn case_file(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let id = audit_id(&id)?;
    let banner = match q.done.as_deref() {
        Some("graded") => Some(fields::success(
            "The case file is graded. A second auditor moderates it next.",
        )),
        Some("moderated") => Some(fields::success("Your moderation is recorded.")),
        Some("action") => Some(fields::success("The action is on the worker's task list.")),
        _ => None,
    };
    let page = case_file_page(
        &state,
        &visitor,
        &actor,
        id,
        &Typed::default(),
        &FieldErrors::new(),
        banner,
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

/// After a form of the case-file page: on to the page with its banner, or back to the page
/// with what to fix.
async fn answered(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: CaseAuditId,
    result: Result<(), AppError>,
    done: &str,
    typed: Typed,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/quality/audits/{id}?done={done}")).into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &case_file_page(state, visitor, actor, id, &typed, &errors, None).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn grade(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<GradeForm>,
) -> Result<Response, WebError> {
    let id = audit_id(&id)?;
    let result = state
        .hearth
        .grade_case_file(&actor, id, &f)
        .await
        .map(|_| ());
    let typed = Typed {
        grades: f,
        ..Typed::default()
    };
    answered(&state, &visitor, &actor, id, result, "graded", typed).await
}

pub async fn moderate(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ModerationForm>,
) -> Result<Response, WebError> {
    let id = audit_id(&id)?;
    let result = state
        .hearth
        .moderate_case_file(&actor, id, &f)
        .await
        .map(|_| ());
    let typed = Typed {
        moderation: f,
        ..Typed::default()
    };
    answered(&state, &visitor, &actor, id, result, "moderated", typed).await
}

pub async fn set_action(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ActionForm>,
) -> Result<Response, WebError> {
    let id = audit_id(&id)?;
    let result = state.hearth.set_audit_action(&actor, id, &f).await;
    let typed = Typed {
        action: f,
        ..Typed::default()
    };
    answered(&state, &visitor, &actor, id, result, "action", typed).await
}

#[derive(Deserialize, Default)]
pub struct ThemesQuery {
    months: Option<u32>,
}

/// A row of a themes table: what it is about, and how many got each grade.
type ThemeRow = (String, GradeCounts);

/// The periods the themes can cover, in months.
const PERIODS: [u32; 4] = [3, 6, 12, 24];

#[derive(Template)]
#[template(path = "quality/themes.html")]
struct ThemesPage {
    shell: Shell,
    months: u32,
    periods: Vec<u32>,
    themes: Themes,
    grades: Vec<&'static str>,
}

impl ThemesPage {
    fn counts(&self, c: &GradeCounts) -> Vec<u64> {
        c.to_vec()
    }

    /// The three tables: (caption, first column's heading, rows).
    fn sections(&self) -> [(&'static str, &'static str, &[ThemeRow]); 3] {
        [
            ("By question", "Question", &self.themes.by_question),
            ("By team", "Team", &self.themes.by_team),
            ("By month graded", "Month", &self.themes.by_month),
        ]
    }
}

pub async fn themes(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<ThemesQuery>,
) -> Result<Response, WebError> {
    let months = q.months.filter(|m| PERIODS.contains(m)).unwrap_or(12);
    let to = state.hearth.now().date_naive();
    let from = to
        .checked_sub_months(chrono::Months::new(months))
        .unwrap_or(to);
    let themes = state.hearth.quality_themes(&actor, from, to).await?;
    let page = ThemesPage {
        shell: Shell::new(&state, &visitor, "Themes from case-file audits").at("/quality"),
        months,
        periods: PERIODS.to_vec(),
        themes,
        grades: Grade::ALL.into_iter().map(Grade::label).collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// The stage of an audit as a tag's colour, for the templates.
pub fn stage_tag(stage: &Stage) -> &'static str {
    match stage {
        Stage::Drawn => "govuk-tag--blue",
        Stage::Graded => "govuk-tag--yellow",
        Stage::Moderated => "govuk-tag--green",
    }
}

/// The worker marks an audit action on their list done, and is back on *My work*.
pub async fn action_done(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let task: TaskId = id.parse().map_err(|_| WebError::NotFound)?;
    state.hearth.complete_audit_action(&actor, task).await?;
    Ok(Redirect::to("/#tasks").into_response())
}
