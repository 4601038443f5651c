//! An episode of Family Help, one section to a page: the overview, the Team Around the
//! Family, the notes, the disagreements, the history; and each form that changes it on a
//! page of its own. Every page opens the episode through the gate for what it needs (a form's
//! page only for those who may use the form). After a change the section's page says what
//! happened; a form with problems comes back on its own page with what was typed.

mod allocation;
mod chronology;
mod closure;
mod disagreements;
mod history;
mod notes;
mod overview;
mod team;

pub use notes::kept_note;

use crate::error::WebError;
use crate::pages::{render, status_for};
use crate::AppState;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use hearth_app::records::User;
use hearth_app::AppError;
use hearth_domain::ids::EpisodeId;
use hearth_domain::input::FieldErrors;
use serde::Deserialize;
use std::future::Future;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/episodes/{id}", get(overview::show))
        .route("/episodes/{id}/route", post(overview::route))
        .route("/episodes/{id}/team", get(team::show))
        .route("/episodes/{id}/taf", get(team::add_form).post(team::add))
        .route(
            "/episodes/{id}/taf/{member}/leave",
            get(team::leave_form).post(team::leave),
        )
        .route("/episodes/{id}/notes", get(notes::list).post(notes::add))
        .route("/episodes/{id}/notes/new", get(notes::add_form))
        .route("/notes/{id}", get(notes::show).post(notes::edit))
        .route("/episodes/{id}/disagreements", get(disagreements::list))
        .route(
            "/episodes/{id}/disagreements/new",
            get(disagreements::raise_form),
        )
        .route("/episodes/{id}/escalations", post(disagreements::raise))
        .route(
            "/episodes/{id}/escalations/{escalation}",
            post(disagreements::update),
        )
        .route("/episodes/{id}/history", get(history::show))
        .route(
            "/episodes/{id}/allocate",
            get(allocation::allocate_form).post(allocation::allocate),
        )
        .route(
            "/episodes/{id}/step",
            get(allocation::step_form).post(allocation::step),
        )
        .route(
            "/episodes/{id}/closure",
            get(closure::close_form).post(closure::close),
        )
        .route(
            "/episodes/{id}/closure/sign-off",
            get(closure::sign_off_form).post(closure::sign_off),
        )
        .route("/episodes/{id}/feedback", get(closure::feedback))
        .route("/people/{id}/chronology", get(chronology::show))
}

pub(crate) fn episode_id(id: &str) -> Result<EpisodeId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

/// `?done=…` after a change, and `?page=…` on the notes.
#[derive(Deserialize, Default)]
pub struct SectionQuery {
    done: Option<String>,
    page: Option<i64>,
}

impl SectionQuery {
    fn banner(&self) -> Option<crate::components::NotificationBanner> {
        self.done
            .as_deref()
            .and_then(done_message)
            .map(crate::fields::success)
    }
}

/// What a change did, said on the page it leads back to.
fn done_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "note" => "Your note has been added.",
        "note_saved" => "Your changes to the note have been saved.",
        "member" => "They have joined the Team Around the Family.",
        "left" => "They have left the Team Around the Family.",
        "allocated" => "The episode has been allocated.",
        "stepped" => "The family's help has moved. The receiving team has been told.",
        "closure" => "The closure has been recorded and sent for sign-off.",
        "signed_off" => "The closure has been signed off. The episode has ended.",
        "returned" => "The closure has been sent back to the lead.",
        "escalation" => "The disagreement has been recorded.",
        "route" => "The assessment route has been changed.",
        _ => return None,
    })
}

/// The section pages, in the order of the episode's sub-navigation (`section` in templates).
pub(crate) mod section {
    pub const OVERVIEW: &str = "overview";
    pub const TEAM: &str = "team";
    pub const NOTES: &str = "notes";
    pub const DISAGREEMENTS: &str = "disagreements";
    pub const HISTORY: &str = "history";
    pub const ADVICE: &str = "advice";
}

/// Answers a change: on success, the section's page (`to`) saying `done`; on problems, the
/// form's own page again (`again` builds it with the errors) with what was typed.
async fn answer<P, F, Fut>(
    result: Result<(), AppError>,
    to: &str,
    done: &str,
    again: F,
) -> Result<Response, WebError>
where
    P: Template,
    F: FnOnce(FieldErrors) -> Fut,
    Fut: Future<Output = Result<P, WebError>>,
{
    match result {
        Ok(()) => Ok(Redirect::to(&format!("{to}?done={done}")).into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(status_for(true), &again(errors).await?)),
        Err(AppError::Conflict) => {
            let mut errors = FieldErrors::new();
            errors.add(
                "version",
                "Someone else changed this episode since you opened it, so your change was not saved. Check the page and try again; what you typed is below.",
            );
            Ok(render(StatusCode::CONFLICT, &again(errors).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// Staff to choose from, for a select.
fn people_choices(list: &[User]) -> Vec<(String, String)> {
    let mut c = vec![(String::new(), "Choose someone".to_string())];
    c.extend(list.iter().map(|u| {
        (
            u.id.to_string(),
            format!("{} ({})", u.display_name, u.email),
        )
    }));
    c
}
