//! Setting up a programme from a directory service, its page (sessions, bookings, waiting
//! list) and cancelling a session (with the list of who to call).

use super::id;
use crate::components::{ErrorSummary, Input, Radios, Select, Textarea};
use crate::dates::UkDate;
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::hubs::Session;
use hearth_app::hubs::{ProgrammeForm, ProgrammeView};
use hearth_app::{Actor, AppError};
use hearth_domain::hub::{BookingStatus, ProgrammeKind};
use hearth_domain::input::FieldErrors;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "hubs/new_programme.html")]
struct NewPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    service: Select,
    location: Select,
    name: Input,
    kind: Radios,
    first_date: Input,
    weeks: Input,
    starts: Input,
    ends: Input,
    facilitators: Input,
    capacity: Input,
}

async fn new_page(
    state: &AppState,
    visitor: &Visitor,
    f: &ProgrammeForm,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let choose = |first: &str, list: Vec<(Uuid, String)>| {
        let mut out = vec![(String::new(), first.to_string())];
        out.extend(list.into_iter().map(|(id, n)| (id.to_string(), n)));
        out
    };
    let page = NewPage {
        shell: Shell::new(state, visitor, "Set up a programme")
            .at("/hubs")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        service: fields::select(
            "service",
            "Service from the directory",
            choose("Select a service", state.hearth.programme_services().await?),
            &f.service,
            errors,
        ),
        location: fields::select(
            "location",
            "Where it runs",
            choose("Select a place", state.hearth.programme_places().await?),
            &f.location,
            errors,
        ),
        name: fields::with_hint(
            fields::text("name", "Name", &f.name, errors),
            "For example, Incredible Years (spring)",
        ),
        kind: fields::radios(
            "kind",
            "Course or drop-in?",
            ProgrammeKind::ALL
                .iter()
                .map(|k| (k.code().to_string(), k.label().to_string(), None))
                .collect(),
            &f.kind,
            errors,
        ),
        first_date: fields::with_hint(
            fields::text(
                "first_date",
                "Date of the first session",
                &f.first_date,
                errors,
            ),
            "For example, 06/01/2027",
        ),
        weeks: fields::with_hint(
            fields::text("weeks", "Number of weekly sessions", &f.weeks, errors),
            "For example, 10 for a ten-week course",
        ),
        starts: fields::with_hint(
            fields::text("starts", "Start time", &f.starts, errors),
            "For example, 09:30",
        ),
        ends: fields::with_hint(
            fields::text("ends", "End time", &f.ends, errors),
            "For example, 11:30",
        ),
        facilitators: fields::text(
            "facilitators",
            "Who runs the sessions",
            &f.facilitators,
            errors,
        ),
        capacity: fields::text("capacity", "Places", &f.capacity, errors),
    };
    Ok(render(status_for(!errors.is_empty()), &page))
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    state.hearth.require_hub_desk(&actor).await?;
    new_page(
        &state,
        &visitor,
        &ProgrammeForm::default(),
        &FieldErrors::new(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<ProgrammeForm>,
) -> Result<Response, WebError> {
    match state.hearth.create_programme(&actor, &f).await {
        Ok(id) => Ok(Redirect::to(&format!("/hubs/programmes/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => new_page(&state, &visitor, &f, &errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "hubs/programme.html")]
struct ShowPage {
    shell: Shell,
    view: ProgrammeView,
}

impl ShowPage {
    fn waiting(&self) -> Vec<&String> {
        self.view
            .bookings
            .iter()
            .filter(|(_, s)| *s == BookingStatus::Waiting)
            .map(|(n, _)| n)
            .collect()
    }

    fn booked(&self) -> Vec<&String> {
        self.view
            .bookings
            .iter()
            .filter(|(_, s)| *s == BookingStatus::Booked)
            .map(|(n, _)| n)
            .collect()
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(programme): Path<String>,
) -> Result<Response, WebError> {
    let view = state.hearth.hub_programme(&actor, id(&programme)?).await?;
    let page = ShowPage {
        shell: Shell::new(&state, &visitor, &view.programme.name).at("/hubs"),
        view,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "hubs/cancel_session.html")]
struct CancelPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    session: Session,
    reason: Textarea,
    /// After cancelling: who to call, and their number where it is kept.
    to_call: Option<Vec<(String, Option<String>)>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    reason: String,
}

async fn cancel_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    session: Uuid,
    f: &CancelForm,
    to_call: Option<Vec<(String, Option<String>)>>,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let s = state.hearth.hub_session(actor, session).await?;
    let page = CancelPage {
        shell: Shell::new(
            state,
            visitor,
            if to_call.is_some() {
                "Session cancelled"
            } else {
                "Cancel a session"
            },
        )
        .at("/hubs")
        .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        session: s,
        reason: fields::textarea("reason", "Why is the session cancelled?", &f.reason, errors),
        to_call,
    };
    Ok(render(status_for(!errors.is_empty()), &page))
}

pub async fn cancel_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(session): Path<String>,
) -> Result<Response, WebError> {
    cancel_page(
        &state,
        &visitor,
        &actor,
        id(&session)?,
        &CancelForm::default(),
        None,
        &FieldErrors::new(),
    )
    .await
}

pub async fn cancel(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(session): Path<String>,
    Form(f): Form<CancelForm>,
) -> Result<Response, WebError> {
    let session = id(&session)?;
    match state
        .hearth
        .cancel_hub_session(&actor, session, &f.reason)
        .await
    {
        Ok(list) => {
            cancel_page(
                &state,
                &visitor,
                &actor,
                session,
                &f,
                Some(list),
                &FieldErrors::new(),
            )
            .await
        }
        Err(AppError::Invalid(errors)) => {
            cancel_page(&state, &visitor, &actor, session, &f, None, &errors).await
        }
        Err(AppError::Conflict) => Err(WebError::BadRequest(
            "This session was already cancelled.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}
