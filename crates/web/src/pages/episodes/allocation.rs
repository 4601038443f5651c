//! Who leads the help, and at what level: the pages to allocate a lead and to step the family's
//! help up or down.

use super::{answer, episode_id, people_choices};
use crate::components::{ErrorSummary, NotificationBanner, Radios, Select, Textarea};
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::render;
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use hearth_app::episodes::{AllocationForm, EpisodeView, StepForm};
use hearth_app::Actor;
use hearth_domain::episode::EpisodeLevel;
use hearth_domain::ids::EpisodeId;
use hearth_domain::input::FieldErrors;

#[derive(Template)]
#[template(path = "episodes/allocate.html")]
struct AllocatePage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    back: String,
    view: EpisodeView,
    lead: Select,
    reason: Textarea,
}

async fn allocate_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: EpisodeId,
    typed: &AllocationForm,
    errors: FieldErrors,
) -> Result<AllocatePage, WebError> {
    let errors = &errors;
    let view = state
        .hearth
        .episode_section(actor, id, |m| m.allocate, 1)
        .await?;
    let leads = state.hearth.possible_team(actor).await?.leads;
    let level = view.level();
    Ok(AllocatePage {
        shell: Shell::new(state, visitor, "Allocate a lead")
            .at("/")
            .with_errors(!errors.is_empty()),
        banner: None,
        error_summary: fields::error_summary(errors),
        back: format!("/episodes/{id}"),
        lead: fields::select(
            "lead_user_id",
            &format!("Who will be the {}?", level.lead_title().to_lowercase()),
            people_choices(&leads),
            &typed.lead_user_id,
            errors,
        ),
        reason: fields::textarea("reason", "Reason (optional)", &typed.reason, errors),
        view,
    })
}

pub async fn allocate_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let page = allocate_page(
        &state,
        &visitor,
        &actor,
        id,
        &AllocationForm::default(),
        FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn allocate(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<AllocationForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let result = state.hearth.allocate(&actor, id, &f).await;
    answer(result, &format!("/episodes/{id}"), "allocated", |errors| {
        allocate_page(&state, &visitor, &actor, id, &f, errors)
    })
    .await
}

#[derive(Template)]
#[template(path = "episodes/step.html")]
struct StepPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    back: String,
    view: EpisodeView,
    level: Radios,
    service: Radios,
    lead: Select,
    handover: Textarea,
    /// A step up or down decides a level, so the Threshold of Need sits beside it as it does
    /// beside the front door's decision.
    threshold: crate::pages::practice::ThresholdAside,
}

async fn step_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: EpisodeId,
    typed: &StepForm,
    errors: FieldErrors,
) -> Result<StepPage, WebError> {
    let errors = &errors;
    let view = state
        .hearth
        .episode_section(actor, id, |m| m.manage, 1)
        .await?;
    let leads = state.hearth.possible_team(actor).await?.leads;
    let level = view.level();
    let needs: Vec<_> = view.needs.iter().map(|(n, _)| *n).collect();
    let threshold = crate::pages::practice::ThresholdAside::load(
        state,
        &needs,
        hearth_domain::practice::PracticeStep::Decision,
    )
    .await?;
    Ok(StepPage {
        shell: Shell::new(state, visitor, "Step up or step down")
            .at("/")
            .with_errors(!errors.is_empty()),
        banner: None,
        error_summary: fields::error_summary(errors),
        back: format!("/episodes/{id}"),
        level: fields::radios(
            "level",
            "Move the family's help to",
            EpisodeLevel::ALL
                .iter()
                .filter(|l| **l != level)
                .map(|l| (l.code().to_string(), l.label().to_string(), None))
                .collect(),
            &typed.level,
            errors,
        ),
        service: fields::radios(
            "service",
            "For Targeted Family Help: which service?",
            vec![
                ("core".into(), "Core service".into(), None),
                (
                    "adolescence".into(),
                    "Adolescence Service".into(),
                    Some("Young people aged 10 and over".into()),
                ),
            ],
            &typed.service,
            errors,
        ),
        lead: fields::select(
            "lead_user_id",
            "For Early Family Help: who will be the lead professional?",
            people_choices(&leads),
            &typed.lead_user_id,
            errors,
        ),
        handover: fields::with_textarea_hint(
            fields::textarea("handover", "Handover summary", &typed.handover, errors),
            "What the receiving team needs to know so the family do not have to tell their story again",
        ),
        view,
        threshold,
    })
}

pub async fn step_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let page = step_page(
        &state,
        &visitor,
        &actor,
        id,
        &StepForm::default(),
        FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn step(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let result = state.hearth.step_episode(&actor, id, &f).await;
    answer(result, &format!("/episodes/{id}"), "stepped", |errors| {
        step_page(&state, &visitor, &actor, id, &f, errors)
    })
    .await
}
