//! The data protection officer's report of who viewed one person's data, by every path.

use crate::dates::{UkDate, UkMoment};
use crate::error::WebError;
use crate::pages::render;
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hearth_app::information_rights::PersonViewings;
use hearth_app::records::SubjectCandidate;
use hearth_domain::ids::PersonId;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "information_rights/viewers.html")]
struct ViewersPage {
    shell: Shell,
    name: String,
    candidates: Vec<SubjectCandidate>,
    report: Option<PersonViewings>,
}

#[derive(Deserialize, Default)]
pub struct ViewersQuery {
    #[serde(default)]
    name: String,
    #[serde(default)]
    person: String,
}

/// A stored time in words, for the report.
pub fn when(at: &str) -> String {
    hearth_domain::time::from_text(at)
        .map(|t| t.uk_moment())
        .unwrap_or_else(|| at.to_string())
}

/// `GET /information-rights/viewers?name=…` finds the person; `?person=…` reports.
pub async fn report(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<ViewersQuery>,
) -> Result<Response, WebError> {
    let person: Option<PersonId> = q.person.trim().parse().ok();
    let report = match person {
        Some(p) => Some(state.hearth.person_viewings(&actor, p).await?),
        None => None,
    };
    let candidates = if report.is_none() {
        state.hearth.subject_candidates(&actor, &q.name).await?
    } else {
        Vec::new()
    };
    let page = ViewersPage {
        shell: Shell::new(&state, &visitor, "Who viewed a person's data").at("/information-rights"),
        name: q.name,
        candidates,
        report,
    };
    Ok(render(StatusCode::OK, &page))
}
