//! The episode's history: its levels and leads over time, and each family member's
//! chronology.

use super::{episode_id, section, SectionQuery};
use crate::components::{ErrorSummary, NotificationBanner};
use crate::dates::UkDate;
use crate::error::WebError;
use crate::pages::render;
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hearth_app::episodes::EpisodeView;
use hearth_domain::ids::EpisodeId;

#[derive(Template)]
#[template(path = "episodes/history.html")]
struct HistoryPage {
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
        &HistoryPage {
            shell: Shell::new(&state, &visitor, "History and chronology").at("/"),
            banner: q.banner(),
            error_summary: None,
            episode: view.episode.id,
            section: section::HISTORY,
            view,
        },
    ))
}
