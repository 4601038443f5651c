//! Challenging a front-door decision: the challenges on the request's page and their own page
//! (with the front door's forms to move one on or resolve it), the page to raise one, and
//! the partnership's figures.

use crate::components::{ErrorSummary, NotificationBanner};
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
use hearth_app::practice::Figures;
use hearth_app::practice::{ChallengeForm, ChallengeUpdate, Challenges};
use hearth_app::{Actor, AppError};
use hearth_domain::continuum::ContinuumLevel;
use hearth_domain::disagreement::ChallengeOutcome;
use hearth_domain::ids::{ChallengeId, RequestId};
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

/// The challenges as the request's page shows them: `None` when the reader may neither
/// raise nor settle one (or the request is not decided).
pub type RequestChallenges = Option<Challenges>;

fn request_id(id: &str) -> Result<RequestId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "practice/challenges.html")]
struct ListPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    c: Challenges,
    outcomes: Vec<ChallengeOutcome>,
    typed: ChallengeUpdate,
}

async fn list_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: RequestId,
    banner: Option<NotificationBanner>,
    typed: ChallengeUpdate,
    errors: &FieldErrors,
) -> Result<ListPage, WebError> {
    let c = state.hearth.challenges(actor, id).await?;
    Ok(ListPage {
        shell: Shell::new(state, visitor, "Challenges to the decision")
            .at("/")
            .with_errors(!errors.is_empty()),
        banner,
        error_summary: fields::error_summary(errors),
        c,
        outcomes: ChallengeOutcome::ALL.to_vec(),
        typed,
    })
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let banner = match q.done.as_deref() {
        Some("raised") => Some(fields::success(
            "Your challenge has been sent to the front door. It starts at stage 1: a conversation.",
        )),
        Some("updated") => Some(fields::success("The challenge has been updated.")),
        _ => None,
    };
    let page = list_page(
        &state,
        &visitor,
        &actor,
        request_id(&id)?,
        banner,
        ChallengeUpdate::default(),
        &FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "practice/challenge_new.html")]
struct RaisePage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    request: RequestId,
    about: crate::components::Textarea,
    level_sought: crate::components::Radios,
}

fn raise_page(
    state: &AppState,
    visitor: &Visitor,
    id: RequestId,
    f: &ChallengeForm,
    errors: &FieldErrors,
) -> RaisePage {
    let mut levels: Vec<(String, String, Option<String>)> = ContinuumLevel::ALL
        .iter()
        .map(|l| (l.number().to_string(), l.label().to_string(), None))
        .collect();
    levels.push((
        String::new(),
        "It is the outcome I challenge, not the level".into(),
        None,
    ));
    RaisePage {
        shell: Shell::new(state, visitor, "Challenge the decision")
            .at("/")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        request: id,
        about: fields::with_textarea_hint(
            fields::textarea(
                "about",
                "Why do you think the decision is wrong?",
                &f.about,
                errors,
            ),
            "Say what you know of the family that the decision did not weigh, and what you think should happen.",
        ),
        level_sought: fields::radios(
            "level_sought",
            "Which level of need do you think is right?",
            levels,
            &f.level_sought,
            errors,
        ),
    }
}

pub async fn raise_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = request_id(&id)?;
    let c = state.hearth.challenges(&actor, id).await?;
    if !c.may_raise {
        return Err(WebError::NotFound);
    }
    Ok(render(
        StatusCode::OK,
        &raise_page(
            &state,
            &visitor,
            id,
            &ChallengeForm::default(),
            &FieldErrors::new(),
        ),
    ))
}

pub async fn raise(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ChallengeForm>,
) -> Result<Response, WebError> {
    let id = request_id(&id)?;
    match state.hearth.challenge_decision(&actor, id, &f).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/requests/{id}/challenges?done=raised")).into_response())
        }
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &raise_page(&state, &visitor, id, &f, &errors),
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((id, challenge)): Path<(String, String)>,
    Form(f): Form<ChallengeUpdate>,
) -> Result<Response, WebError> {
    let id = request_id(&id)?;
    let challenge: ChallengeId = challenge.parse().map_err(|_| WebError::NotFound)?;
    match state
        .hearth
        .update_challenge(&actor, id, challenge, &f)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/requests/{id}/challenges?done=updated")).into_response())
        }
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &list_page(&state, &visitor, &actor, id, None, f, &errors).await?,
        )),
        Err(AppError::Conflict) => {
            let mut errors = FieldErrors::new();
            errors.add("resolution", "Someone else moved this challenge on since you opened the page, so your change was not saved. Check where it is now; what you typed is below.");
            Ok(render(
                StatusCode::CONFLICT,
                &list_page(&state, &visitor, &actor, id, None, f, &errors).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "practice/challenge_figures.html")]
struct FiguresPage {
    shell: Shell,
    f: Figures,
}

impl FiguresPage {
    fn mean(&self, m: &Option<f64>) -> String {
        m.map(|d| format!("{d:.1}"))
            .unwrap_or_else(|| "None ended yet".into())
    }
}

pub async fn figures(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let f = state.hearth.challenge_figures(&actor).await?;
    let page = FiguresPage {
        shell: Shell::new(&state, &visitor, "Challenges to front-door decisions").at("/front-door"),
        f,
    };
    Ok(render(StatusCode::OK, &page))
}
