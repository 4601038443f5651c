//! Subject access requests, from the queue to the released document.

use crate::components::{Button, DateInput, ErrorSummary, Input, Textarea};
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
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::information_rights::document::Document;
use hearth_app::information_rights::pdf::pdf;
use hearth_app::information_rights::{ExtendForm, QueueRow, SarForm, SarReview};
use hearth_app::records::SubjectCandidate;
use hearth_app::AppError;
use hearth_domain::date_parts::DateParts;
use hearth_domain::information_rights::{Deadline, SarStatus};
use hearth_domain::input::FieldErrors;
use serde::Deserialize;
use uuid::Uuid;

fn request_id(id: &str) -> Result<Uuid, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

/// How a due date reads: "Due in 3 days", "Due today", "Overdue by 2 days".
pub fn deadline_text(d: &Deadline) -> String {
    let days = |n: i64| {
        if n == 1 {
            "1 day".to_string()
        } else {
            format!("{n} days")
        }
    };
    match d {
        Deadline::Overdue { days: n } => format!("Overdue by {}", days(*n)),
        Deadline::DueToday => "Due today".into(),
        Deadline::DueIn { days: n } => format!("Due in {}", days(*n)),
    }
}

/// Whether the item is ticked to be left out.
pub fn left_out(redacted: &[String], key: &str) -> bool {
    redacted.iter().any(|k| k == key)
}

#[derive(Template)]
#[template(path = "information_rights/queue.html")]
struct QueuePage {
    shell: Shell,
    rows: Vec<Queued>,
    done: Option<String>,
}

/// A row of the queue with its status as a tag.
struct Queued {
    row: QueueRow,
    tag: &'static str,
    status: String,
}

impl Queued {
    fn of(row: QueueRow) -> Self {
        let (tag, status) = match (row.request.status, row.deadline) {
            (SarStatus::Released, _) => ("govuk-tag--green", "Released".to_string()),
            (SarStatus::Open, d @ Deadline::Overdue { .. }) => {
                ("govuk-tag--red", deadline_text(&d))
            }
            (SarStatus::Open, d @ Deadline::DueToday) => ("govuk-tag--orange", deadline_text(&d)),
            (SarStatus::Open, d) => ("govuk-tag--blue", deadline_text(&d)),
        };
        Self { row, tag, status }
    }
}

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: Option<String>,
}

/// `GET /information-rights`: the queue, soonest due first.
pub async fn queue(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(done): Query<Done>,
) -> Result<Response, WebError> {
    let rows = state.hearth.subject_access_queue(&actor).await?;
    let page = QueuePage {
        shell: Shell::new(&state, &visitor, "Subject access requests").at("/information-rights"),
        rows: rows.into_iter().map(Queued::of).collect(),
        done: done.done.filter(|d| d == "logged"),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "information_rights/new.html")]
struct NewPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    name: String,
    searched: bool,
    candidates: Vec<SubjectCandidate>,
    chosen: String,
    person_error: Option<String>,
    requested_by: Input,
    identity_checked: Textarea,
    received: DateInput,
    submit: Button,
}

#[derive(Deserialize, Default)]
pub struct NameQuery {
    #[serde(default)]
    name: String,
}

#[allow(clippy::too_many_arguments)]
async fn new_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &hearth_app::Actor,
    name: &str,
    form: &SarForm,
    errors: &FieldErrors,
) -> Result<NewPage, WebError> {
    let candidates = state.hearth.subject_candidates(actor, name).await?;
    let received: DateParts = form.received();
    Ok(NewPage {
        shell: Shell::new(state, visitor, "Log a subject access request")
            .at("/information-rights")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary_with_dates(errors, &[("received", &received)]),
        name: name.to_string(),
        searched: !name.trim().is_empty(),
        candidates,
        chosen: form.person.clone(),
        person_error: errors.get("person").map(str::to_string),
        requested_by: fields::with_hint(
            fields::text(
                "requested_by",
                "Who made the request",
                &form.requested_by,
                errors,
            ),
            "For example, the person themselves, their mother (with parental responsibility), or a solicitor acting for them",
        ),
        identity_checked: fields::with_textarea_hint(
            fields::textarea(
                "identity_checked",
                "How their identity, and their right to ask, was checked",
                &form.identity_checked,
                errors,
            ),
            "For example, passport seen at the Family Hub; signed authority from the young person",
        ),
        received: fields::date(
            "received",
            "Date the request was received",
            Some("It is due one calendar month later. For example, 27 3 2026"),
            &received,
            errors,
        ),
        submit: fields::submit("Log the request"),
    })
}

/// `GET /information-rights/new?name=…`: find the person by name, then log the request.
pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<NameQuery>,
) -> Result<Response, WebError> {
    let page = new_page(
        &state,
        &visitor,
        &actor,
        &q.name,
        &SarForm::default(),
        &FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /information-rights/new`: logs the request, or shows the form again with its problems.
pub async fn log(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<SarForm>,
) -> Result<Response, WebError> {
    match state.hearth.log_subject_access(&actor, &f).await {
        Ok(id) => Ok(Redirect::to(&format!("/information-rights/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = new_page(&state, &visitor, &actor, &f.name, &f, &errors).await?;
            Ok(render(status_for(true), &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "information_rights/review.html")]
struct ReviewPage {
    shell: Shell,
    review: SarReview,
    items: usize,
    third_party: usize,
    done: Option<String>,
}

/// One sentence of a field that the officer may leave out on its own.
struct Passage {
    key: String,
    text: String,
    left_out: bool,
}

impl ReviewPage {
    /// A field's sentences, each to tick to leave out; none for a field of one sentence
    /// (leaving the item out does that).
    fn passages(&self, item: &str, field: &usize, value: &str) -> Vec<Passage> {
        let all = hearth_domain::information_rights::sentences(value);
        if all.len() < 2 {
            return Vec::new();
        }
        all.into_iter()
            .enumerate()
            .map(|(n, text)| {
                let key = hearth_domain::information_rights::passage_key(item, *field, n);
                Passage {
                    left_out: left_out(&self.review.redacted, &key),
                    key,
                    text: text.trim().to_string(),
                }
            })
            .collect()
    }

    fn any_left_out(&self, passages: &[Passage]) -> bool {
        passages.iter().any(|p| p.left_out)
    }

    /// How many whole items, and how many sentences, are ticked to be left out.
    fn counts(&self) -> (usize, usize) {
        let passages = self
            .review
            .redacted
            .iter()
            .filter(|k| k.contains('#'))
            .count();
        (self.review.redacted.len() - passages, passages)
    }
}

/// `GET /information-rights/{id}`: the request, everything gathered, what will be left out.
pub async fn review(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, WebError> {
    let id = request_id(&id)?;
    let review = state.hearth.subject_access(&actor, id).await?;
    let items = review.sections.iter().map(|s| s.items.len()).sum();
    let third_party = review
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .filter(|i| i.third_party.is_some())
        .count();
    let title = format!("Subject access request: {}", review.request.person_name);
    let page = ReviewPage {
        shell: Shell::new(&state, &visitor, &title).at("/information-rights"),
        review,
        items,
        third_party,
        done: done.done,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize, Default)]
pub struct RedactForm {
    #[serde(default)]
    left_out: Vec<String>,
}

/// `POST /information-rights/{id}/left-out`: what the release leaves out (the ticked items).
pub async fn redact(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<RedactForm>,
) -> Result<Response, WebError> {
    let id = request_id(&id)?;
    match state
        .hearth
        .redact_subject_access(&actor, id, &f.left_out)
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/information-rights/{id}?done=left-out#release"))
                .into_response(),
        ),
        // Released meanwhile: the page says so.
        Err(AppError::Conflict) => {
            Ok(Redirect::to(&format!("/information-rights/{id}")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /information-rights/{id}/release`: releases the document.
pub async fn release(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = request_id(&id)?;
    match state.hearth.release_subject_access(&actor, id).await {
        Ok(()) | Err(AppError::Conflict) => {
            Ok(Redirect::to(&format!("/information-rights/{id}?done=released")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "information_rights/extend.html")]
struct ExtendPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    id: Uuid,
    name: String,
    due: String,
    latest: String,
    version: String,
    new_due: DateInput,
    reason: Textarea,
    submit: Button,
}

async fn extend_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &hearth_app::Actor,
    id: Uuid,
    form: &ExtendForm,
    errors: &FieldErrors,
) -> Result<ExtendPage, WebError> {
    let review = state.hearth.subject_access(actor, id).await?;
    if review.request.status != SarStatus::Open {
        return Err(WebError::NotFound);
    }
    let due = form.due();
    Ok(ExtendPage {
        shell: Shell::new(state, visitor, "Extend the due date")
            .at("/information-rights")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary_with_dates(errors, &[("due", &due)]),
        id,
        name: review.request.person_name.clone(),
        due: review.request.due_on.uk(),
        latest: review.latest_extension.uk(),
        version: if form.version.is_empty() {
            review.request.version.to_string()
        } else {
            form.version.clone()
        },
        new_due: fields::date(
            "due",
            "New due date",
            Some(&format!(
                "No later than {}, three months after the request was received",
                review.latest_extension.uk()
            )),
            &due,
            errors,
        ),
        reason: fields::textarea(
            "reason",
            "Why the request needs longer",
            &form.reason,
            errors,
        ),
        submit: fields::submit("Extend the due date"),
    })
}

/// `GET /information-rights/{id}/extend`.
pub async fn extend_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = request_id(&id)?;
    let page = extend_page(
        &state,
        &visitor,
        &actor,
        id,
        &ExtendForm::default(),
        &FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /information-rights/{id}/extend`.
pub async fn extend(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<ExtendForm>,
) -> Result<Response, WebError> {
    let id = request_id(&id)?;
    match state.hearth.extend_subject_access(&actor, id, &form).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/information-rights/{id}?done=extended")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let page = extend_page(&state, &visitor, &actor, id, &form, &errors).await?;
            Ok(render(status_for(true), &page))
        }
        Err(AppError::Conflict) => {
            let mut errors = FieldErrors::new();
            errors.add(
                "due",
                "Someone else changed this request since you opened the page: check its due date and try again",
            );
            let fresh = ExtendForm {
                version: String::new(),
                ..form
            };
            let page = extend_page(&state, &visitor, &actor, id, &fresh, &errors).await?;
            Ok(render(StatusCode::CONFLICT, &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "information_rights/document.html")]
struct DocumentPage {
    shell: Shell,
    id: Uuid,
    document: Document,
}

/// `GET /information-rights/{id}/document`: the released document as a readable page.
pub async fn document_html(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = request_id(&id)?;
    let document = state
        .hearth
        .released_subject_access(&actor, id, "html")
        .await?;
    let title = format!("Information held about {}", document.person);
    let page = DocumentPage {
        shell: Shell::new(&state, &visitor, &title).at("/information-rights"),
        id,
        document,
    };
    Ok(render(StatusCode::OK, &page))
}

fn attachment(name: &str, content_type: &'static str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// `GET /information-rights/{id}/document.pdf`.
pub async fn document_pdf(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = request_id(&id)?;
    let document = state
        .hearth
        .released_subject_access(&actor, id, "pdf")
        .await?;
    Ok(attachment(
        &format!("subject-access-{id}.pdf"),
        "application/pdf",
        pdf(&document)
            .map_err(|_| WebError::Internal("the PDF's font could not be read".into()))?,
    ))
}

/// `GET /information-rights/{id}/document.json`: the same, machine-readable (portability).
pub async fn document_json(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = request_id(&id)?;
    let document = state
        .hearth
        .released_subject_access(&actor, id, "json")
        .await?;
    let body =
        serde_json::to_vec_pretty(&document).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(attachment(
        &format!("subject-access-{id}.json"),
        "application/json",
        body,
    ))
}
