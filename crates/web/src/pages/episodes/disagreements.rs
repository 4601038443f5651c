//! Professional disagreements: those raised (each open one with its resolution form), and the
//! page to raise one.

use super::{answer, episode_id, section, SectionQuery};
use crate::components::{ErrorSummary, NotificationBanner, Textarea};
use crate::dates::UkDate;
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::render;
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hearth_app::episodes::{EpisodeView, EscalationForm, EscalationUpdate};
use hearth_app::Actor;
use hearth_domain::ids::{EpisodeId, EscalationId};
use hearth_domain::input::FieldErrors;

#[derive(Template)]
#[template(path = "episodes/disagreements.html")]
struct ListPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    episode: EpisodeId,
    section: &'static str,
    view: EpisodeView,
}

async fn list_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: EpisodeId,
    banner: Option<NotificationBanner>,
    errors: FieldErrors,
) -> Result<ListPage, WebError> {
    let errors = &errors;
    let view = state.hearth.episode(actor, id).await?;
    Ok(ListPage {
        shell: Shell::new(state, visitor, "Professional disagreements")
            .at("/")
            .with_errors(!errors.is_empty()),
        banner,
        error_summary: fields::error_summary(errors),
        episode: id,
        section: section::DISAGREEMENTS,
        view,
    })
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<SectionQuery>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let page = list_page(&state, &visitor, &actor, id, q.banner(), FieldErrors::new()).await?;
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "episodes/disagreement_new.html")]
struct RaisePage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    back: String,
    view: EpisodeView,
    about: Textarea,
}

async fn raise_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: EpisodeId,
    typed: &EscalationForm,
    errors: FieldErrors,
) -> Result<RaisePage, WebError> {
    let errors = &errors;
    let view = state
        .hearth
        .episode_section(actor, id, |m| m.contribute, 1)
        .await?;
    Ok(RaisePage {
        shell: Shell::new(state, visitor, "Raise a disagreement")
            .at("/")
            .with_errors(!errors.is_empty()),
        banner: None,
        error_summary: fields::error_summary(errors),
        back: format!("/episodes/{id}/disagreements"),
        about: fields::textarea(
            "about",
            "What is the disagreement about?",
            &typed.about,
            errors,
        ),
        view,
    })
}

pub async fn raise_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let page = raise_page(
        &state,
        &visitor,
        &actor,
        id,
        &EscalationForm::default(),
        FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn raise(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<EscalationForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let result = state.hearth.raise_escalation(&actor, id, &f).await;
    answer(
        result,
        &format!("/episodes/{id}/disagreements"),
        "escalation",
        |errors| raise_page(&state, &visitor, &actor, id, &f, errors),
    )
    .await
}

/// Resolves a disagreement or moves it on a stage, from its form on the disagreements page.
pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((id, escalation)): Path<(String, String)>,
    Form(f): Form<EscalationUpdate>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let escalation: EscalationId = escalation.parse().map_err(|_| WebError::NotFound)?;
    let result = state
        .hearth
        .update_escalation(&actor, id, escalation, &f)
        .await;
    answer(
        result,
        &format!("/episodes/{id}/disagreements"),
        "escalation",
        |errors| list_page(&state, &visitor, &actor, id, None, errors),
    )
    .await
}
