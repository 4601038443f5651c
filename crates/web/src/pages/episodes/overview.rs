//! The episode's overview: who, where the help stands, what to do next, the latest notes, and
//! links to the sections and to the forms the user may use. No forms of its own but the
//! one-button change of assessment route.

use super::{answer, episode_id, section, SectionQuery};
use crate::components::{ErrorSummary, NotificationBanner};
use crate::dates::UkDate;
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
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
use hearth_domain::input::FieldErrors;
use hearth_domain::next_steps::NextStep;
use serde::Deserialize;

/// How many of the latest notes the overview shows, and how much of each.
const LATEST_NOTES: usize = 3;
const NOTE_GLIMPSE: usize = 160;

/// One thing to do next, with where to do it when the user may.
pub struct NextLine {
    pub text: String,
    pub href: Option<String>,
    pub overdue: bool,
}

/// A note in short.
pub struct Glimpse {
    pub id: String,
    pub heading: String,
    pub by: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "episodes/overview.html")]
struct OverviewPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    episode: EpisodeId,
    section: &'static str,
    next: Vec<NextLine>,
    notes: Vec<Glimpse>,
    /// How many are in the Team Around the Family now.
    members_now: usize,
    view: EpisodeView,
}

fn next_lines(view: &EpisodeView) -> Vec<NextLine> {
    let e = view.episode.id;
    let open = view.episode.status.code() == "open";
    view.next_steps
        .iter()
        .map(|s| NextLine {
            text: s.describe(),
            overdue: s.is_overdue(),
            href: match s {
                NextStep::Allocate if view.may.allocate && open => {
                    Some(format!("/episodes/{e}/allocate"))
                }
                NextStep::StartAssessment(_)
                | NextStep::FinishAssessment(_)
                | NextStep::AssessmentAwaitsSignOff => Some(format!("/episodes/{e}/assessment")),
                NextStep::Review(_) if view.may.edit => Some(format!("/episodes/{e}/reviews/new")),
                NextStep::OverdueDisagreements(_) => Some(format!("/episodes/{e}/disagreements")),
                NextStep::ClosureAwaitsSignOff if view.may.sign_off => {
                    Some(format!("/episodes/{e}/closure/sign-off"))
                }
                _ => None,
            },
        })
        .collect()
}

/// The first words of a note, cut at a word.
fn glimpse(body: &str) -> String {
    let body = body.trim();
    if body.chars().count() <= NOTE_GLIMPSE {
        return body.to_string();
    }
    let cut: String = body.chars().take(NOTE_GLIMPSE).collect();
    let cut = cut.rsplit_once(' ').map(|(w, _)| w).unwrap_or(&cut);
    format!("{}…", cut.trim_end())
}

fn page(
    state: &AppState,
    visitor: &Visitor,
    view: EpisodeView,
    banner: Option<NotificationBanner>,
    errors: &FieldErrors,
) -> OverviewPage {
    OverviewPage {
        shell: Shell::new(state, visitor, view.level().label())
            .at("/")
            .with_errors(!errors.is_empty()),
        banner,
        error_summary: fields::error_summary(errors),
        episode: view.episode.id,
        section: section::OVERVIEW,
        next: next_lines(&view),
        members_now: view.members.iter().filter(|m| m.left_on.is_none()).count(),
        notes: view
            .notes
            .iter()
            .take(LATEST_NOTES)
            .map(|n| Glimpse {
                id: n.id.to_string(),
                heading: format!("{}: {}", n.fields.occurred_on.uk(), n.fields.kind.label()),
                by: format!("{}, {}", n.author_name, n.organisation_name),
                text: glimpse(&n.fields.body),
            })
            .collect(),
        view,
    }
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
        &page(&state, &visitor, view, q.banner(), &FieldErrors::new()),
    ))
}

#[derive(Deserialize)]
pub struct RouteForm {
    #[serde(default)]
    route: String,
    #[serde(default)]
    version: i64,
}

/// Changes the assessment route (one button on the overview).
pub async fn route(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<RouteForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let result = state
        .hearth
        .set_route(&actor, id, &f.route, f.version)
        .await;
    let (state, visitor, actor) = (&state, &visitor, &actor);
    answer(
        result,
        &format!("/episodes/{id}"),
        "route",
        |errors| async move {
            let view = state.hearth.episode(actor, id).await?;
            Ok(page(state, visitor, view, None, &errors))
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::glimpse;

    #[test]
    fn a_long_note_is_cut_at_a_word() {
        let long = "word ".repeat(60);
        let g = glimpse(&long);
        assert!(g.ends_with("word…"));
        assert!(g.chars().count() <= super::NOTE_GLIMPSE + 1);
        assert_eq!(glimpse(" short "), "short");
    }
}
