//! The Family Hub courses of an episode's people, on the family plan's side: a completed course
//! recorded as progress on one of the plan's outcomes. One form, no JavaScript needed.

use crate::components::{ErrorSummary, NotificationBanner, Select, Textarea};
use crate::dates::moment;
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::hubs::{CompletionForm, CoursesView};
use hearth_app::{Actor, AppError};
use hearth_domain::ids::EpisodeId;
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "hubs/courses.html")]
struct CoursesPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    view: CoursesView,
    course: Select,
    outcome: Select,
    note: Textarea,
}

impl CoursesPage {
    /// The outcome a recorded completion was progress on, in the family's words.
    fn outcome_text(&self, id: &str) -> String {
        self.view.outcomes.iter().find(|o| o.id == id).map_or_else(
            || "An outcome no longer on the plan".into(),
            |o| o.text.clone(),
        )
    }

    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        moment(*at)
    }
}

fn episode(text: &str) -> Result<EpisodeId, WebError> {
    text.parse().map_err(|_| WebError::NotFound)
}

async fn page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: EpisodeId,
    f: &CompletionForm,
    done: bool,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let view = state.hearth.episode_courses(actor, id).await?;
    let mut courses = vec![(String::new(), "Select a completed course".to_string())];
    courses.extend(view.courses.iter().filter(|(_, done)| *done).map(|(a, _)| {
        (
            format!("{}:{}", a.programme, a.member),
            format!("{}: {}", a.name, a.programme_name),
        )
    }));
    let mut outcomes = vec![(String::new(), "Select an outcome".to_string())];
    outcomes.extend(view.outcomes.iter().map(|o| (o.id.clone(), o.text.clone())));
    let out = CoursesPage {
        shell: Shell::new(state, visitor, "Family Hub courses").with_errors(!errors.is_empty()),
        banner: done.then(|| fields::success("Recorded as progress on the plan.")),
        error_summary: fields::error_summary(errors),
        course: fields::select("course", "Course completed", courses, &f.course, errors),
        outcome: fields::select(
            "outcome",
            "Progress on which outcome of the plan",
            outcomes,
            &f.outcome,
            errors,
        ),
        note: fields::textarea("note", "Note (optional)", &f.note, errors),
        view,
    };
    Ok(render(status_for(!errors.is_empty()), &out))
}

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    page(
        &state,
        &visitor,
        &actor,
        episode(&id)?,
        &CompletionForm::default(),
        q.done == "recorded",
        &FieldErrors::new(),
    )
    .await
}

pub async fn record(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<CompletionForm>,
) -> Result<Response, WebError> {
    let id = episode(&id)?;
    match state.hearth.record_course_completion(&actor, id, &f).await {
        Ok(()) => Ok(
            Redirect::to(&format!("/episodes/{id}/plan/hub-courses?done=recorded")).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            page(&state, &visitor, &actor, id, &f, false, &errors).await
        }
        Err(e) => Err(e.into()),
    }
}
