//! Finding a placement: the placements desk, the social worker's request with the child's
//! wishes in their own words, and the request with the homes ranked for it.

use super::{id, DoneQuery};
use crate::components::{
    Checkboxes, DateInput, ErrorSummary, Input, NotificationBanner, Radios, Select, Textarea,
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
use hearth_app::care::RequestLine;
use hearth_app::care::{PlaceForm, RequestForm, RequestView, UnmetForm};
use hearth_app::{Actor, AppError};
use hearth_domain::care::{EndReason, Offer, Urgency};
use hearth_domain::ids::{PersonId, PlacementRequestId};
use hearth_domain::input::FieldErrors;

#[derive(Template)]
#[template(path = "care/desk.html")]
struct DeskPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    requests: Vec<RequestLine>,
}

pub async fn desk(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let requests = state.hearth.placement_requests(&actor).await?;
    let page = DeskPage {
        shell: Shell::new(&state, &visitor, "Placements").at("/care"),
        banner: q.banner(&[
            ("placed", "The child was placed."),
            ("unmet", "No suitable home: the unmet need was recorded."),
        ]),
        requests,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "care/request_form.html")]
struct RequestFormPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    person: PersonId,
    name: String,
    urgency: Radios,
    needs: Checkboxes,
    wishes: Textarea,
    siblings: Input,
    school: Input,
    max_miles: Input,
    culture: Input,
    language: Input,
    faith: Input,
}

async fn request_form_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    person: PersonId,
    f: &RequestForm,
    errors: &FieldErrors,
) -> Result<RequestFormPage, WebError> {
    let child = state.hearth.child_in_care(actor, person).await?;
    Ok(RequestFormPage {
        shell: Shell::new(state, visitor, "Ask for a placement")
            .at("/care")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        person,
        name: child.name,
        urgency: fields::radios(
            "urgency",
            "How soon does the child need a home?",
            Urgency::ALL
                .iter()
                .map(|u| (u.code().to_string(), u.label().to_string(), None))
                .collect(),
            &f.urgency,
            errors,
        ),
        needs: fields::checkboxes(
            "needs",
            "What must the home offer?",
            Offer::ALL
                .iter()
                .map(|o| (o.code().to_string(), o.label().to_string(), None))
                .collect(),
            &f.needs,
            errors,
        ),
        wishes: fields::with_textarea_hint(
            fields::textarea(
                "wishes",
                "The child's wishes and feelings",
                &f.wishes,
                errors,
            ),
            "In the child's own words: where they want to live, who with, what matters to them.",
        ),
        siblings: fields::with_hint(
            fields::text(
                "siblings",
                "Brothers and sisters to live with the child",
                &f.siblings,
                errors,
            ),
            "How many should be placed together with the child. 0 if none.",
        ),
        school: fields::text("school", "School to stay at (optional)", &f.school, errors),
        max_miles: fields::with_hint(
            fields::text(
                "max_miles",
                "Furthest from home, in miles (optional)",
                &f.max_miles,
                errors,
            ),
            "Homes further from the child's home are left out.",
        ),
        culture: fields::text(
            "culture",
            "Culture and identity (optional)",
            &f.culture,
            errors,
        ),
        language: fields::text("language", "Language (optional)", &f.language, errors),
        faith: fields::text("faith", "Faith (optional)", &f.faith, errors),
    })
}

pub async fn request_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(person): Path<String>,
) -> Result<Response, WebError> {
    let page = request_form_page(
        &state,
        &visitor,
        &actor,
        id(&person)?,
        &RequestForm::default(),
        &FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn request(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(person): Path<String>,
    Form(f): Form<RequestForm>,
) -> Result<Response, WebError> {
    let person: PersonId = id(&person)?;
    match state.hearth.request_placement(&actor, person, &f).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/care/children/{person}?done=requested")).into_response())
        }
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &request_form_page(&state, &visitor, &actor, person, &f, &errors).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "care/request.html")]
struct RequestPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    id: PlacementRequestId,
    view: RequestView,
    home: Radios,
    start: DateInput,
    end_reason: Select,
    why: Textarea,
}

async fn request_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    request: PlacementRequestId,
    typed: (&PlaceForm, &UnmetForm),
    errors: &FieldErrors,
) -> Result<RequestPage, WebError> {
    let (place, unmet) = typed;
    let view = state.hearth.placement_request(actor, request).await?;
    let mut reasons = vec![(
        String::new(),
        "Choose why the current placement ends".to_string(),
    )];
    reasons.extend(
        EndReason::ALL
            .iter()
            .map(|r| (r.code().into(), r.label().into())),
    );
    let start = place.start_parts();
    let homes = view
        .proposed
        .iter()
        .map(|p| {
            (
                p.home.id.to_string(),
                p.home.fields.name.clone(),
                Some(p.reasons.join(" · ")),
            )
        })
        .collect();
    Ok(RequestPage {
        shell: Shell::new(state, visitor, &format!("A home for {}", view.child))
            .at("/care")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary_with_dates(errors, &[("start", &start)]),
        id: request,
        home: fields::radios("home", "Which home?", homes, &place.home, errors),
        start: fields::date("start", "The day the child moves in", None, &start, errors),
        end_reason: fields::select(
            "end_reason",
            "Why the current placement ends",
            reasons,
            &place.end_reason,
            errors,
        ),
        why: fields::textarea("why", "Why no home is suitable", &unmet.why, errors),
        view,
    })
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(request): Path<String>,
) -> Result<Response, WebError> {
    let page = request_page(
        &state,
        &visitor,
        &actor,
        id(&request)?,
        (&PlaceForm::default(), &UnmetForm::default()),
        &FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn place(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(request): Path<String>,
    Form(f): Form<PlaceForm>,
) -> Result<Response, WebError> {
    let request: PlacementRequestId = id(&request)?;
    match state.hearth.place_child(&actor, request, &f).await {
        Ok(_) => Ok(Redirect::to("/care?done=placed").into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &request_page(
                &state,
                &visitor,
                &actor,
                request,
                (&f, &UnmetForm::default()),
                &errors,
            )
            .await?,
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn unmet(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(request): Path<String>,
    Form(f): Form<UnmetForm>,
) -> Result<Response, WebError> {
    let request: PlacementRequestId = id(&request)?;
    match state.hearth.no_suitable_home(&actor, request, &f).await {
        Ok(()) => Ok(Redirect::to("/care?done=unmet").into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &request_page(
                &state,
                &visitor,
                &actor,
                request,
                (&PlaceForm::default(), &f),
                &errors,
            )
            .await?,
        )),
        Err(e) => Err(e.into()),
    }
}
