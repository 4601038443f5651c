//! The family's voice (ADR 0037): an episode's surveys (send a link, see whether it was
//! answered), the answers in aggregate for analysts, and case studies (written from a closed
//! episode, reviewed, published to the board). The family's own survey page is the feedback
//! page ([`crate::pages::feedback`]), which asks whatever the link's survey asks.

use crate::components::{Button, DateInput, ErrorSummary, Input, Radios, Select, Textarea};
use crate::dates::day_of as day;
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use hearth_app::voice::case_studies::{CaseStudy, CaseStudyForm, ReviewForm};
use hearth_app::voice::{EpisodeSurveys, SurveyLink, SurveyRequest};
use hearth_app::{Actor, AppError};
use hearth_domain::case_study::{CaseStudyStatus, ConsentWay};
use hearth_domain::ids::{CaseStudyId, EpisodeId};
use hearth_domain::input::FieldErrors;
use hearth_domain::insight::Quarter;
use hearth_domain::survey::{choice_label, Audience};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/episodes/{id}/surveys", get(surveys).post(send))
        .route(
            "/episodes/{id}/case-study",
            get(case_study_form).post(write_case_study),
        )
        .route("/case-studies", get(worklist))
        .route("/case-studies/{id}/review", get(review_form).post(review))
        .route("/case-studies/{id}/change", get(revise_form).post(revise))
        .route("/reports/surveys", get(results))
        .route("/reports/case-studies", get(board))
}

fn episode_id(id: &str) -> Result<EpisodeId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

/// One link as the survey page lists it.
struct Line {
    what: String,
    standing: String,
    /// (question as asked, answer)
    answers: Vec<(String, String)>,
    withheld: usize,
}

#[derive(Template)]
#[template(path = "voice/surveys.html")]
struct SurveysPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    episode: String,
    family: String,
    lines: Vec<Line>,
    moment: Radios,
    who: Radios,
    send: Button,
}

fn lines(s: &EpisodeSurveys, now: chrono::DateTime<chrono::Utc>) -> Vec<Line> {
    s.lines
        .iter()
        .map(|l| {
            let i = &l.invitation;
            let who = match (&l.child, i.audience) {
                (Some(name), _) => format!("for {name} (children's version)"),
                (None, Audience::Child) => "for a child".into(),
                (None, Audience::Family) => "for the family".into(),
            };
            let standing = match (i.answered_at, i.withdrawn_at) {
                (Some(at), _) => format!("Answered on {}", day(at)),
                (None, Some(_)) => "Replaced by a newer link".into(),
                (None, None) if i.expires_at <= now => {
                    format!("Not answered; the link expired on {}", day(i.expires_at))
                }
                (None, None) => format!(
                    "Not answered yet; the link works until {}",
                    day(i.expires_at)
                ),
            };
            Line {
                what: format!(
                    "{}, {who}: made by {} on {}",
                    i.moment.label(),
                    i.created_by_name,
                    day(i.created_at)
                ),
                standing,
                answers: l
                    .answers
                    .iter()
                    .map(|a| {
                        (
                            a.asked.clone(),
                            choice_label(&a.answer).unwrap_or(&a.answer).to_string(),
                        )
                    })
                    .collect(),
                withheld: l.withheld,
            }
        })
        .collect()
}

async fn surveys_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: EpisodeId,
    form: &SurveyRequest,
    errors: &FieldErrors,
) -> Result<SurveysPage, WebError> {
    let s = state.hearth.episode_surveys(actor, id).await?;
    let mut who = vec![(
        "family".to_string(),
        "The family".to_string(),
        Some("The grown-ups' version. It is emailed to the family's grown-ups who gave an address and agreed; you are shown the link to give them too.".to_string()),
    )];
    who.extend(s.children.iter().map(|(p, name)| {
        (
            p.to_string(),
            name.clone(),
            Some(
                "The children's version, in simpler words. You are shown the link to give them."
                    .to_string(),
            ),
        )
    }));
    Ok(SurveysPage {
        shell: Shell::new(state, visitor, "Surveys for the family and children")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        episode: id.to_string(),
        family: s.family.clone(),
        lines: lines(&s, state.hearth.now()),
        moment: fields::radios(
            "moment",
            "Which survey?",
            s.moments
                .iter()
                .map(|m| (m.code().to_string(), m.label().to_string(), None))
                .collect(),
            &form.moment,
            errors,
        ),
        who: fields::radios("who", "Who is it for?", who, &form.who, errors),
        send: fields::submit("Make the survey link"),
    })
}

async fn surveys(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let p = surveys_page(
        &state,
        &visitor,
        &actor,
        id,
        &SurveyRequest::default(),
        &FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &p))
}

#[derive(Template)]
#[template(path = "voice/link.html")]
struct LinkPage {
    shell: Shell,
    episode: String,
    url: String,
    expires: String,
    child: bool,
    emailed: usize,
}

fn link_page(
    state: &AppState,
    visitor: &Visitor,
    headers: &HeaderMap,
    link: &SurveyLink,
) -> LinkPage {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.settings.secure {
        "https"
    } else {
        "http"
    };
    LinkPage {
        shell: Shell::new(state, visitor, "The survey link"),
        episode: link.episode.to_string(),
        url: format!("{scheme}://{host}{}", link.path),
        expires: day(link.expires_at),
        child: link.audience == Audience::Child,
        emailed: link.emailed,
    }
}

async fn send(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<SurveyRequest>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    match state.hearth.send_survey(&actor, id, &form).await {
        Ok(link) => Ok(render(
            StatusCode::OK,
            &link_page(&state, &visitor, &headers, &link),
        )),
        Err(AppError::Invalid(errors)) => {
            let p = surveys_page(&state, &visitor, &actor, id, &form, &errors).await?;
            Ok(render(status_for(true), &p))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
struct QuarterQuery {
    #[serde(default)]
    quarter: String,
}

#[derive(Template)]
#[template(path = "voice/results.html")]
struct ResultsPage {
    shell: Shell,
    quarter: String,
    quarter_select: Select,
    suppressed: bool,
    /// (organisation, team, survey, who, answered, better, listened)
    rows: Vec<[String; 7]>,
}

async fn results(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<QuarterQuery>,
) -> Result<Response, WebError> {
    let today = Quarter::containing(state.hearth.now().date_naive());
    let quarter = Quarter::from_code(&q.quarter).unwrap_or(today);
    let r = state.hearth.survey_results(&actor, quarter).await?;
    let rows = r
        .lines
        .iter()
        .map(|l| {
            [
                l.organisation.clone(),
                l.team.clone(),
                l.moment.label().to_string(),
                l.audience.label().to_string(),
                l.answered.text(),
                l.better.text(),
                l.listened.text(),
            ]
        })
        .collect();
    let p = ResultsPage {
        shell: Shell::new(&state, &visitor, "The family's voice").at("/reports"),
        quarter: quarter.label(),
        quarter_select: fields::select(
            "quarter",
            "Quarter",
            today
                .trailing(12)
                .into_iter()
                .rev()
                .map(|q| (q.code(), q.label()))
                .collect(),
            &quarter.code(),
            &FieldErrors::new(),
        ),
        suppressed: r.suppressed,
        rows,
    };
    Ok(render(StatusCode::OK, &p))
}

#[derive(Template)]
#[template(path = "voice/case_study_form.html")]
struct CaseStudyPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    /// Where Back goes and where the form is sent.
    back: (String, String),
    action: String,
    heading: String,
    /// Why the reviewer returned it, for a returned case study.
    returned_because: Option<String>,
    title: Input,
    story: Textarea,
    consent_person: Radios,
    consent_on: DateInput,
    consent_way: Radios,
    anonymised: crate::components::Checkboxes,
    submit: Button,
}

/// A new case study from an episode, or a returned one put right.
#[derive(Debug, Clone, Copy)]
enum Writing {
    New(EpisodeId),
    Returned(CaseStudyId),
}

async fn case_study_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    writing: Writing,
    typed: Option<&CaseStudyForm>,
    errors: &FieldErrors,
) -> Result<CaseStudyPage, WebError> {
    // Without what was typed: an empty form for a new study, the study as returned otherwise.
    let (form, family, back, action, heading, returned_because) = match writing {
        Writing::New(id) => (
            typed.cloned().unwrap_or_default(),
            state.hearth.case_study_start(actor, id).await?.family,
            (format!("/episodes/{id}"), "Back to the episode".to_string()),
            format!("/episodes/{id}/case-study"),
            "Write a case study for the board",
            None,
        ),
        Writing::Returned(id) => {
            let r = state.hearth.case_study_to_revise(actor, id).await?;
            (
                typed.cloned().unwrap_or_else(|| r.form()),
                r.family,
                (
                    "/case-studies".to_string(),
                    "Back to case studies".to_string(),
                ),
                format!("/case-studies/{id}/change"),
                "Change a returned case study",
                r.returned.study.review_note,
            )
        }
    };
    let form = &form;
    let parts = form.consent_parts();
    Ok(CaseStudyPage {
        shell: Shell::new(state, visitor, heading).with_errors(!errors.is_empty()),
        error_summary: fields::error_summary_with_dates(errors, &[("consent", &parts)]),
        back,
        action,
        heading: heading.to_string(),
        returned_because,
        title: fields::with_hint(
            fields::text("title", "Title", &form.title, errors),
            "For example: A family finds a home and the children go back to school",
        ),
        story: fields::with_textarea_hint(
            fields::textarea("story", "The family's story", &form.story, errors),
            "What was happening, what the family and the team did, and what changed. Leave out names, addresses, schools, dates of birth and anything else that could identify the family.",
        ),
        consent_person: fields::radios(
            "consent_person",
            "Who in the family agreed to their story being told?",
            family
                .iter()
                .map(|(p, n)| (p.to_string(), n.clone(), None))
                .collect(),
            &form.consent_person,
            errors,
        ),
        consent_on: fields::date(
            "consent",
            "When did they agree?",
            Some("For example, 27 3 2026"),
            &parts,
            errors,
        ),
        consent_way: fields::radios(
            "consent_way",
            "How did they agree?",
            ConsentWay::ALL
                .iter()
                .map(|w| (w.code().to_string(), w.label().to_string(), None))
                .collect(),
            &form.consent_way,
            errors,
        ),
        anonymised: fields::checkboxes(
            "anonymised",
            "Anonymising",
            vec![(
                "yes".into(),
                "I have taken out the family's names and details that could identify them".into(),
                Some("Hearth also checks the text for the family's names.".into()),
            )],
            std::slice::from_ref(&form.anonymised),
            errors,
        ),
        submit: fields::submit("Send for review"),
    })
}

async fn case_study_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let p = case_study_page(
        &state,
        &visitor,
        &actor,
        Writing::New(id),
        None,
        &FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &p))
}

async fn write_case_study(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<CaseStudyForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    match state.hearth.write_case_study(&actor, id, &form).await {
        Ok(_) => Ok(Redirect::to("/case-studies?done=sent").into_response()),
        Err(AppError::Invalid(errors)) => {
            let writing = Writing::New(id);
            let p =
                case_study_page(&state, &visitor, &actor, writing, Some(&form), &errors).await?;
            Ok(render(status_for(true), &p))
        }
        Err(e) => Err(e.into()),
    }
}

async fn revise_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = study_id(&id)?;
    let writing = Writing::Returned(id);
    let p = case_study_page(&state, &visitor, &actor, writing, None, &FieldErrors::new()).await?;
    Ok(render(StatusCode::OK, &p))
}

async fn revise(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<CaseStudyForm>,
) -> Result<Response, WebError> {
    let id = study_id(&id)?;
    match state.hearth.revise_case_study(&actor, id, &form).await {
        Ok(()) => Ok(Redirect::to("/case-studies?done=sent").into_response()),
        Err(AppError::Invalid(errors)) => {
            let writing = Writing::Returned(id);
            let p =
                case_study_page(&state, &visitor, &actor, writing, Some(&form), &errors).await?;
            Ok(render(status_for(true), &p))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
struct Done {
    #[serde(default)]
    done: String,
}

#[derive(Template)]
#[template(path = "voice/case_studies.html")]
struct WorklistPage {
    shell: Shell,
    banner: Option<crate::components::NotificationBanner>,
    /// (id, title, status, note, mine, returned to its writer)
    studies: Vec<(String, String, String, String, bool, bool)>,
}

async fn worklist(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    let list = state.hearth.case_study_worklist(&actor).await?;
    let banner = match q.done.as_str() {
        "sent" => Some(fields::success(
            "The case study has been sent for review by a manager in your team.",
        )),
        "published" => Some(fields::success(
            "The case study has been published to the board.",
        )),
        "returned" => Some(fields::success(
            "The case study has been returned to its writer.",
        )),
        _ => None,
    };
    let p = WorklistPage {
        shell: Shell::new(&state, &visitor, "Case studies"),
        banner,
        studies: list
            .into_iter()
            .map(|(c, mine)| {
                (
                    c.id.to_string(),
                    c.title,
                    c.status.label().to_string(),
                    c.review_note.unwrap_or_default(),
                    mine,
                    c.status == CaseStudyStatus::Returned,
                )
            })
            .collect(),
    };
    Ok(render(StatusCode::OK, &p))
}

#[derive(Template)]
#[template(path = "voice/review.html")]
struct ReviewPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    study: CaseStudy,
    decision: Radios,
    note: Textarea,
    submit: Button,
}

fn study_id(id: &str) -> Result<CaseStudyId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

async fn review_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: CaseStudyId,
    form: &ReviewForm,
    errors: &FieldErrors,
) -> Result<ReviewPage, WebError> {
    let study = state.hearth.case_study_for_review(actor, id).await?;
    Ok(ReviewPage {
        shell: Shell::new(state, visitor, "Review a case study").with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        study,
        decision: fields::radios(
            "decision",
            "Is it ready for the board?",
            vec![
                (
                    "publish".into(),
                    "Yes, publish it to the board".into(),
                    Some("Only if it names nobody and nothing could identify the family.".into()),
                ),
                ("return".into(), "No, return it to the writer".into(), None),
            ],
            &form.decision,
            errors,
        ),
        note: fields::textarea(
            "note",
            "What should the writer change? (needed to return it)",
            &form.note,
            errors,
        ),
        submit: fields::submit("Save the review"),
    })
}

async fn review_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = study_id(&id)?;
    let p = review_page(
        &state,
        &visitor,
        &actor,
        id,
        &ReviewForm::default(),
        &FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &p))
}

async fn review(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, WebError> {
    let id = study_id(&id)?;
    match state.hearth.review_case_study(&actor, id, &form).await {
        Ok(true) => Ok(Redirect::to("/case-studies?done=published").into_response()),
        Ok(false) => Ok(Redirect::to("/case-studies?done=returned").into_response()),
        Err(AppError::Invalid(errors)) => {
            let p = review_page(&state, &visitor, &actor, id, &form, &errors).await?;
            Ok(render(status_for(true), &p))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "voice/board.html")]
struct BoardPage {
    shell: Shell,
    studies: Vec<CaseStudy>,
}

async fn board(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let studies = state.hearth.board_case_studies(&actor).await?;
    let p = BoardPage {
        shell: Shell::new(&state, &visitor, "Case studies for the board").at("/reports"),
        studies,
    };
    Ok(render(StatusCode::OK, &p))
}
