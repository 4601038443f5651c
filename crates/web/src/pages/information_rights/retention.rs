//! Retention for the data protection officer: the schedule and what each rule means, the runs
//! (listing what is due, reviewing and approving one, what it removed), and legal holds.

use crate::components::{ErrorSummary, Pagination, PaginationLink, Textarea};
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
use hearth_app::information_rights::{HoldForm, RetentionOverview, RunReview};
use hearth_app::records::{ItemStatus, Removal, SubjectCandidate};
use hearth_app::AppError;
use hearth_domain::input::FieldErrors;
use hearth_domain::retention::{RecordType, Rule, RunStatus};
use serde::Deserialize;
use uuid::Uuid;

fn id(text: &str) -> Result<Uuid, WebError> {
    text.parse().map_err(|_| WebError::NotFound)
}

/// How an item's status reads, as a tag.
pub fn item_tag(status: &ItemStatus) -> (&'static str, &'static str) {
    match status {
        ItemStatus::Pending => ("govuk-tag--blue", "To do"),
        ItemStatus::Done => ("govuk-tag--green", "Done"),
        ItemStatus::Held => ("govuk-tag--red", "Legal hold"),
        ItemStatus::Kept => ("govuk-tag--grey", "No longer due"),
    }
}

#[derive(Template)]
#[template(path = "information_rights/retention.html")]
struct OverviewPage {
    shell: Shell,
    rules: Vec<Rule>,
    overview: RetentionOverview,
    removals: Vec<Removal>,
    done: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: Option<String>,
    /// The page of a run's items (from 1).
    #[serde(default)]
    page: Option<usize>,
}

/// A run's items shown on one page: a city's run lists thousands.
const ITEMS_PER_PAGE: usize = 100;

/// The page shown (from 1) when `requested` of `total` items, and how many pages there are;
/// a page past the end shows the last.
fn page_of(total: usize, requested: Option<usize>) -> (usize, usize) {
    let pages = total.div_ceil(ITEMS_PER_PAGE).max(1);
    (requested.unwrap_or(1).clamp(1, pages), pages)
}

/// `GET /information-rights/retention`: the schedule, the runs, legal holds, the removal log.
pub async fn overview(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(done): Query<Done>,
) -> Result<Response, WebError> {
    let mut overview = state.hearth.retention_overview(&actor).await?;
    let page = OverviewPage {
        removals: std::mem::take(&mut overview.removals),
        shell: Shell::new(&state, &visitor, "Retention").at("/information-rights"),
        rules: state.hearth.retention_schedule().0.clone(),
        overview,
        done: done.done,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /information-rights/retention/runs`: lists what is due now, for review.
pub async fn list(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let run = state.hearth.list_retention(Some(&actor)).await?;
    Ok(Redirect::to(&format!("/information-rights/retention/{run}")).into_response())
}

#[derive(Template)]
#[template(path = "information_rights/retention_run.html")]
struct RunPage {
    shell: Shell,
    review: RunReview,
    removals: Vec<Removal>,
    held: usize,
    /// How many items of each kind, in the order first listed.
    kinds: Vec<(RecordType, usize)>,
    /// All the run's items; `review.items` holds this page's.
    total: usize,
    /// The first item's number on this page (from 1).
    first: usize,
    pagination: Option<Pagination>,
    done: Option<String>,
}

impl RunPage {
    fn in_review(&self) -> bool {
        self.review.run.status == RunStatus::Review
    }
}

/// `GET /information-rights/retention/{id}`: a run's items for review, or what it removed.
pub async fn run(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(run): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, WebError> {
    let mut review = state.hearth.retention_run(&actor, id(&run)?).await?;
    let title = format!("Retention run of {}", review.run.as_of.uk());
    let mut kinds: Vec<(RecordType, usize)> = Vec::new();
    for i in &review.items {
        match kinds.iter_mut().find(|(k, _)| *k == i.record_type) {
            Some((_, n)) => *n += 1,
            None => kinds.push((i.record_type, 1)),
        }
    }
    let total = review.items.len();
    let (page_number, pages) = page_of(total, done.page);
    let first = (page_number - 1) * ITEMS_PER_PAGE;
    let held = review
        .items
        .iter()
        .filter(|i| i.status == ItemStatus::Held)
        .count();
    review.items = review
        .items
        .into_iter()
        .skip(first)
        .take(ITEMS_PER_PAGE)
        .collect();
    let link = |n: usize, text: &str| PaginationLink {
        text: Some(text.into()),
        href: Some(format!(
            "/information-rights/retention/{}?page={n}",
            review.run.id
        )),
        ..PaginationLink::default()
    };
    let pagination = (pages > 1).then(|| Pagination {
        previous: (page_number > 1).then(|| link(page_number - 1, "Previous records")),
        next: (page_number < pages).then(|| link(page_number + 1, "Next records")),
        landmark_label: Some("Pages of records".into()),
        ..Pagination::default()
    });
    let page = RunPage {
        removals: std::mem::take(&mut review.removals),
        shell: Shell::new(&state, &visitor, &title).at("/information-rights"),
        held,
        kinds,
        total,
        first: first + 1,
        pagination,
        review,
        done: done.done,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /information-rights/retention/{id}/approve`: the officer approves the run.
pub async fn approve(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(run): Path<String>,
) -> Result<Response, WebError> {
    let run = id(&run)?;
    match state.hearth.approve_retention(&actor, run).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/information-rights/retention/{run}?done=approved"
        ))
        .into_response()),
        // Approved meanwhile (another tab): the page says where it stands.
        Err(AppError::Conflict) => {
            Ok(Redirect::to(&format!("/information-rights/retention/{run}")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "information_rights/hold.html")]
struct HoldPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    name: String,
    searched: bool,
    candidates: Vec<SubjectCandidate>,
    chosen: String,
    on_error: Option<String>,
    reason: Textarea,
}

#[derive(Deserialize, Default)]
pub struct NameQuery {
    #[serde(default)]
    name: String,
}

async fn hold_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &hearth_app::Actor,
    name: &str,
    form: &HoldForm,
    errors: &FieldErrors,
) -> Result<HoldPage, WebError> {
    let candidates = state.hearth.subject_candidates(actor, name).await?;
    Ok(HoldPage {
        shell: Shell::new(state, visitor, "Place a legal hold")
            .at("/information-rights")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        name: name.to_string(),
        searched: !name.trim().is_empty(),
        candidates,
        chosen: form.person.clone(),
        on_error: errors.get("on").map(str::to_string),
        reason: fields::with_textarea_hint(
            fields::textarea("reason", "Why the record must be kept", &form.reason, errors),
            "For example, care proceedings, a complaint to the ombudsman, or a request from the police",
        ),
    })
}

/// `GET /information-rights/retention/holds/new?name=…`: find the person, then place a hold.
pub async fn hold_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<NameQuery>,
) -> Result<Response, WebError> {
    let page = hold_page(
        &state,
        &visitor,
        &actor,
        &q.name,
        &HoldForm::default(),
        &FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /information-rights/retention/holds/new`: places the hold.
pub async fn place_hold(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<HoldForm>,
) -> Result<Response, WebError> {
    match state.hearth.place_legal_hold(&actor, &f).await {
        Ok(_) => Ok(Redirect::to("/information-rights/retention?done=held#holds").into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = hold_page(&state, &visitor, &actor, &f.name, &f, &errors).await?;
            Ok(render(status_for(true), &page))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /information-rights/retention/holds/{id}/lift`: lifts a hold.
pub async fn lift_hold(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(hold): Path<String>,
) -> Result<Response, WebError> {
    match state.hearth.lift_legal_hold(&actor, id(&hold)?).await {
        Ok(()) | Err(AppError::Conflict) => {
            Ok(Redirect::to("/information-rights/retention?done=lifted#holds").into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::page_of;

    #[test]
    fn a_run_is_shown_a_hundred_records_a_page() {
        for (total, requested, shown) in [
            (0, None, (1, 1)),
            (100, None, (1, 1)),
            (101, None, (1, 2)),
            (4_401, Some(45), (45, 45)),
            (4_401, Some(46), (45, 45)),
            (4_401, Some(0), (1, 45)),
            (250, Some(2), (2, 3)),
        ] {
            assert_eq!(
                page_of(total, requested),
                shown,
                "{total} items, page {requested:?}"
            );
        }
    }
}
