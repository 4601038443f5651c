//! The Team Around the Family: who is in it, and the pages to add someone and to see someone
//! leave.

use super::{answer, episode_id, people_choices, section, SectionQuery};
use crate::components::{ErrorSummary, Input, NotificationBanner, Select};
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
use hearth_app::episodes::{EpisodeView, MemberForm};
use hearth_app::records::TafMember;
use hearth_app::{Actor, AppError};
use hearth_domain::ids::EpisodeId;
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "episodes/team.html")]
struct TeamPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    episode: EpisodeId,
    section: &'static str,
    view: EpisodeView,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<SectionQuery>,
) -> Result<Response, WebError> {
    let view = state.hearth.episode(&actor, episode_id(&id)?).await?;
    Ok(render(
        StatusCode::OK,
        &TeamPage {
            shell: Shell::new(&state, &visitor, "Team Around the Family").at("/"),
            banner: q.banner(),
            error_summary: None,
            episode: view.episode.id,
            section: section::TEAM,
            view,
        },
    ))
}

#[derive(Template)]
#[template(path = "episodes/team_add.html")]
struct AddPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    back: String,
    view: EpisodeView,
    user: Select,
    role: Input,
}

async fn add_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: EpisodeId,
    typed: &MemberForm,
    errors: FieldErrors,
) -> Result<AddPage, WebError> {
    let errors = &errors;
    let view = state
        .hearth
        .episode_section(actor, id, |m| m.manage, 1)
        .await?;
    let members = state.hearth.possible_team(actor).await?.members;
    Ok(AddPage {
        shell: Shell::new(state, visitor, "Add someone to the team")
            .at("/")
            .with_errors(!errors.is_empty()),
        banner: None,
        error_summary: fields::error_summary(errors),
        back: format!("/episodes/{id}/team"),
        user: fields::select(
            "user_id",
            "Who is joining?",
            people_choices(&members),
            &typed.user_id,
            errors,
        ),
        role: fields::with_hint(
            fields::text("role", "Their role in the team", &typed.role, errors),
            "For example, school designated safeguarding lead, health visitor",
        ),
        view,
    })
}

pub async fn add_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let page = add_page(
        &state,
        &visitor,
        &actor,
        id,
        &MemberForm::default(),
        FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn add(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<MemberForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let result = state.hearth.add_taf_member(&actor, id, &f).await;
    answer(
        result,
        &format!("/episodes/{id}/team"),
        "member",
        |errors| add_page(&state, &visitor, &actor, id, &f, errors),
    )
    .await
}

#[derive(Template)]
#[template(path = "episodes/leave.html")]
struct LeavePage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    back: String,
    view: EpisodeView,
    member: TafMember,
    reason: Input,
}

#[derive(Deserialize, Default)]
pub struct LeaveForm {
    #[serde(default)]
    reason: String,
}

async fn leave_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: EpisodeId,
    member: &str,
    typed: &LeaveForm,
    errors: FieldErrors,
) -> Result<LeavePage, WebError> {
    let errors = &errors;
    let view = state
        .hearth
        .episode_section(actor, id, |m| m.manage, 1)
        .await?;
    // Only someone still in the team can leave it.
    let member = view
        .members
        .iter()
        .find(|m| m.id == member && m.left_on.is_none())
        .cloned()
        .ok_or(WebError::NotFound)?;
    Ok(LeavePage {
        shell: Shell::new(state, visitor, "Leave the team")
            .at("/")
            .with_errors(!errors.is_empty()),
        banner: None,
        error_summary: fields::error_summary(errors),
        back: format!("/episodes/{id}/team"),
        reason: fields::text("reason", "Why are they leaving?", &typed.reason, errors),
        member,
        view,
    })
}

pub async fn leave_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((id, member)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let page = leave_page(
        &state,
        &visitor,
        &actor,
        id,
        &member,
        &LeaveForm::default(),
        FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn leave(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((id, member)): Path<(String, String)>,
    Form(f): Form<LeaveForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let result: Result<(), AppError> = state.hearth.leave_taf(&actor, id, &member, &f.reason).await;
    answer(result, &format!("/episodes/{id}/team"), "left", |errors| {
        leave_page(&state, &visitor, &actor, id, &member, &f, errors)
    })
    .await
}
