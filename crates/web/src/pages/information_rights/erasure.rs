//! Erasure and restriction requests: the list, logging one, and the decision with its reasons
//! and exemptions.

use crate::components::{Checkboxes, DateInput, ErrorSummary, Input, Radios, Textarea};
use crate::dates::{UkDate, UkMoment};
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
use hearth_app::information_rights::{DecisionForm, RightsForm};
use hearth_app::records::{RightsRequest, SubjectCandidate};
use hearth_app::AppError;
use hearth_domain::input::FieldErrors;
use hearth_domain::retention::{Exemption, RightsRequestKind, RightsRequestStatus};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "information_rights/erasure_list.html")]
struct ListPage {
    shell: Shell,
    requests: Vec<RightsRequest>,
}

/// `GET /information-rights/erasure`: every erasure and restriction request.
pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let page = ListPage {
        shell: Shell::new(&state, &visitor, "Erasure and restriction requests")
            .at("/information-rights"),
        requests: state.hearth.rights_requests(&actor).await?,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "information_rights/erasure_new.html")]
struct NewPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    name: String,
    searched: bool,
    candidates: Vec<SubjectCandidate>,
    chosen: String,
    person_error: Option<String>,
    kind: Radios,
    requested_by: Input,
    grounds: Textarea,
    received: DateInput,
}

#[derive(Deserialize, Default)]
pub struct NameQuery {
    #[serde(default)]
    name: String,
}

async fn new_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &hearth_app::Actor,
    form: &RightsForm,
    errors: &FieldErrors,
) -> Result<NewPage, WebError> {
    let candidates = state.hearth.subject_candidates(actor, &form.name).await?;
    let received = form.received();
    Ok(NewPage {
        shell: Shell::new(state, visitor, "Log an erasure or restriction request")
            .at("/information-rights")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary_with_dates(errors, &[("received", &received)]),
        name: form.name.clone(),
        searched: !form.name.trim().is_empty(),
        candidates,
        chosen: form.person.clone(),
        person_error: errors.get("person").map(str::to_string),
        kind: fields::radios(
            "kind",
            "What they asked for",
            RightsRequestKind::ALL
                .iter()
                .map(|k| (k.code().to_string(), k.label().to_string(), None))
                .collect(),
            &form.kind,
            errors,
        ),
        requested_by: fields::text(
            "requested_by",
            "Who made the request",
            &form.requested_by,
            errors,
        ),
        grounds: fields::textarea(
            "grounds",
            "What they asked for and why, in their words",
            &form.grounds,
            errors,
        ),
        received: fields::date(
            "received",
            "Date the request was received",
            Some("For example, 27 3 2026"),
            &received,
            errors,
        ),
    })
}

/// `GET /information-rights/erasure/new?name=…`: find the person, then log the request.
pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<NameQuery>,
) -> Result<Response, WebError> {
    let form = RightsForm {
        name: q.name,
        ..RightsForm::default()
    };
    let page = new_page(&state, &visitor, &actor, &form, &FieldErrors::new()).await?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /information-rights/erasure/new`: logs the request.
pub async fn log(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<RightsForm>,
) -> Result<Response, WebError> {
    match state.hearth.log_rights_request(&actor, &f).await {
        Ok(id) => Ok(Redirect::to(&format!("/information-rights/erasure/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = new_page(&state, &visitor, &actor, &f, &errors).await?;
            Ok(render(status_for(true), &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "information_rights/erasure_request.html")]
struct RequestPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    request: RightsRequest,
    held: bool,
    outcome: Radios,
    exemptions: Checkboxes,
    reasons: Textarea,
}

impl RequestPage {
    fn open(&self) -> bool {
        self.request.status == RightsRequestStatus::Open
    }
}

async fn request_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &hearth_app::Actor,
    id: Uuid,
    form: &DecisionForm,
    errors: &FieldErrors,
) -> Result<RequestPage, WebError> {
    let (request, held) = state.hearth.rights_request(actor, id).await?;
    let title = format!("{}: {}", request.kind.label(), request.person_name);
    Ok(RequestPage {
        shell: Shell::new(state, visitor, &title)
            .at("/information-rights")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        held,
        outcome: fields::radios(
            "outcome",
            "Decision",
            vec![
                (
                    "uphold".into(),
                    "Uphold".into(),
                    Some(match request.kind {
                        RightsRequestKind::Erasure => "The record is anonymised now: names, contact details, identifiers and free text removed".to_string(),
                        RightsRequestKind::Restriction => "The record is restricted: everyone must give a reason to open it, and contact details are withheld".to_string(),
                    }),
                ),
                (
                    "refuse".into(),
                    "Refuse".into(),
                    Some("Name the exemption the refusal rests on".into()),
                ),
            ],
            &form.outcome,
            errors,
        ),
        exemptions: fields::checkboxes(
            "exemptions",
            "Exemptions (for a refusal)",
            Exemption::ALL
                .iter()
                .map(|e| (e.code().to_string(), e.label().to_string(), None))
                .collect(),
            &form.exemptions,
            errors,
        ),
        reasons: fields::textarea(
            "reasons",
            "Reasons for the decision",
            &form.reasons,
            errors,
        ),
        request,
    })
}

/// `GET /information-rights/erasure/{id}`: the request and, while open, the decision form.
pub async fn request(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: Uuid = id.parse().map_err(|_| WebError::NotFound)?;
    let page = request_page(
        &state,
        &visitor,
        &actor,
        id,
        &DecisionForm::default(),
        &FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /information-rights/erasure/{id}/decide`: records the decision.
pub async fn decide(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, WebError> {
    let id: Uuid = id.parse().map_err(|_| WebError::NotFound)?;
    match state.hearth.decide_rights_request(&actor, id, &f).await {
        Ok(_) | Err(AppError::Conflict) => {
            Ok(Redirect::to(&format!("/information-rights/erasure/{id}")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let page = request_page(&state, &visitor, &actor, id, &f, &errors).await?;
            Ok(render(status_for(true), &page))
        }
        Err(e) => Err(e.into()),
    }
}
