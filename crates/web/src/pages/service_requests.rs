//! Requests for a service: sent from a family member's record, answered by the organisation
//! that runs the service.

use crate::components::{
    Button, Checkboxes, ErrorSummary, Input, NotificationBanner, Radios, Select, Textarea,
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
use hearth_app::directory::service_requests::ServiceRequestForm;
use hearth_app::family::PersonView;
use hearth_app::records::ServiceRequest;
use hearth_app::{Actor, AppError};
use hearth_domain::directory::{
    contact_preference_label, ServiceRequestStatus, CONTACT_PREFERENCES,
};
use hearth_domain::ids::PersonId;
use hearth_domain::input::FieldErrors;
use serde::Deserialize;
use uuid::Uuid;

/// The colour of a request's status tag: waiting yellow, declined red, accepted green.
pub fn status_tag(status: &ServiceRequestStatus) -> &'static str {
    match status {
        ServiceRequestStatus::Sent => "govuk-tag--yellow",
        ServiceRequestStatus::Declined => "govuk-tag--red",
        ServiceRequestStatus::Accepted => "govuk-tag--green",
    }
}

#[derive(Template)]
#[template(path = "service_requests/new.html")]
struct NewPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    person_id: PersonId,
    name: String,
    service: Select,
    reason: Textarea,
    consent: Checkboxes,
    consent_given_by: Input,
    contact_preference: Radios,
    contact_detail: Input,
    submit: Button,
}

async fn new_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    person: PersonId,
    f: &ServiceRequestForm,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let name = match state.hearth.person(actor, person, None).await? {
        PersonView::Full(r) => format!("{} {}", r.person.given_names, r.person.family_name),
        _ => {
            return Err(state
                .hearth
                .refused(actor, "person", person.to_string())
                .await
                .into())
        }
    };
    let mut services = vec![(String::new(), "Select a service".to_string())];
    services.extend(
        state
            .hearth
            .requestable_services()
            .await?
            .into_iter()
            .map(|s| (s.id.to_string(), format!("{} ({})", s.name, s.organisation))),
    );
    let page = NewPage {
        shell: Shell::new(state, visitor, "Ask a service to help").at("/people").with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        person_id: person,
        service: fields::select("service", "Which service?", services, &f.service, errors),
        reason: fields::with_textarea_hint(fields::textarea("reason", "Why does the family need this service?", &f.reason, errors), "What the service needs to know to help, in a few sentences. Only what is needed: the service sees this."),
        consent: fields::checkboxes("consent", "Consent", vec![("yes".into(), format!("The family agreed that {name}'s details and this request go to the service"), None)], std::slice::from_ref(&f.consent), errors),
        consent_given_by: fields::text("consent_given_by", "Who agreed, and their relationship to the family", &f.consent_given_by, errors),
        contact_preference: fields::radios("contact_preference", "How would the family like the service to get in touch?", CONTACT_PREFERENCES.iter().map(|(c, l)| (c.to_string(), l.to_string(), None)).collect(), &f.contact_preference, errors),
        contact_detail: fields::with_hint(fields::text("contact_detail", "Number or address to use (if by phone, text or email)", &f.contact_detail, errors), "For example, 07700 900123"),
        submit: fields::submit("Send request"),
        name,
    };
    Ok(render(status_for(!errors.is_empty()), &page))
}

fn person_id(id: &str) -> Result<PersonId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    new_page(
        &state,
        &visitor,
        &actor,
        person_id(&id)?,
        &ServiceRequestForm::default(),
        &FieldErrors::new(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ServiceRequestForm>,
) -> Result<Response, WebError> {
    let person = person_id(&id)?;
    match state.hearth.request_service(&actor, person, &f).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/people/{person}?done=service_request#service-requests"
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            new_page(&state, &visitor, &actor, person, &f, &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "service_requests/inbox.html")]
struct InboxPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    requests: Vec<ServiceRequest>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn inbox(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let requests = state.hearth.service_requests_received(&actor).await?;
    let page = InboxPage {
        shell: Shell::new(&state, &visitor, "Requests for your services").at("/service-requests"),
        banner: (q.done.as_deref() == Some("answered")).then(|| {
            fields::success(
                "Answer saved. The practitioner who asked can see it on the family's record.",
            )
        }),
        requests,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "service_requests/show.html")]
struct ShowPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    request: ServiceRequest,
    contact: String,
    may_answer: bool,
    answer: Radios,
    answer_reason: Textarea,
}

async fn show_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: Uuid,
    answer: &AnswerForm,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let (request, may_answer) = state.hearth.service_request(actor, id).await?;
    let page = ShowPage {
        shell: Shell::new(state, visitor, &format!("Request for {}", request.service_name)).at("/service-requests").with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        contact: format!(
            "{}{}",
            contact_preference_label(&request.contact_preference).unwrap_or("Not said"),
            request.contact_detail.as_deref().map(|d| format!(": {d}")).unwrap_or_default()
        ),
        may_answer,
        answer: fields::radios("answer", "Can you take this on?", vec![("accept".into(), "Yes, accept the request".into(), None), ("decline".into(), "No, decline it".into(), None)], &answer.answer, errors),
        answer_reason: fields::with_textarea_hint(fields::textarea("answer_reason", "Your reason, and what happens next", &answer.answer_reason, errors), "The practitioner who asked will see this. If you decline, say where the family could go instead."),
        request,
    };
    Ok(render(status_for(!errors.is_empty()), &page))
}

fn request_id(id: &str) -> Result<Uuid, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    show_page(
        &state,
        &visitor,
        &actor,
        request_id(&id)?,
        &AnswerForm::default(),
        &FieldErrors::new(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    answer_reason: String,
    #[serde(default)]
    version: i64,
}

pub async fn answer(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<AnswerForm>,
) -> Result<Response, WebError> {
    let id = request_id(&id)?;
    let accept = match f.answer.as_str() {
        "accept" => Some(true),
        "decline" => Some(false),
        _ => None,
    };
    match state
        .hearth
        .answer_service_request(&actor, id, accept, &f.answer_reason, f.version)
        .await
    {
        Ok(()) => Ok(Redirect::to("/service-requests?done=answered").into_response()),
        Err(AppError::Invalid(errors)) => {
            show_page(&state, &visitor, &actor, id, &f, &errors).await
        }
        Err(AppError::Conflict) => Err(WebError::BadRequest(
            "This request has already been answered.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}
