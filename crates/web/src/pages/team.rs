//! The team view: a team manager's own team, each worker's caseload and what is overdue on it,
//! narrowed by worker and by kind of work with a plain GET form (no JavaScript needed).

use crate::components::Select;
use crate::error::WebError;
use crate::fields;
use crate::pages::render;
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hearth_app::team_work::{OverdueWork, TeamFilter, TeamWork, Worker, WorkerLoad};
use hearth_domain::episode::DueKind;
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct TeamQuery {
    #[serde(default)]
    worker: String,
    #[serde(default)]
    overdue: String,
}

const UNALLOCATED: &str = "unallocated";

fn worker_code(w: Worker) -> String {
    match w {
        Worker::Lead(id) => id.to_string(),
        Worker::Unallocated => UNALLOCATED.to_string(),
    }
}

impl TeamQuery {
    /// The filter; a value no form offers is read as no filter.
    fn filter(&self) -> TeamFilter {
        TeamFilter {
            worker: match self.worker.as_str() {
                UNALLOCATED => Some(Worker::Unallocated),
                w => w.parse().ok().map(Worker::Lead),
            },
            overdue: DueKind::from_code(&self.overdue),
        }
    }
}

/// One worker's card: their counts, each linking to that part of the list.
struct Card {
    name: String,
    href: String,
    families: usize,
    /// (kind's plural, count, link to those items)
    counts: Vec<(&'static str, usize, String)>,
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    shell: Shell,
    team_name: Option<String>,
    worker: Select,
    overdue_kind: Select,
    filtered: bool,
    cards: Vec<Card>,
    overdue: Vec<OverdueWork>,
}

fn card(load: &WorkerLoad) -> Card {
    let code = worker_code(load.worker);
    Card {
        name: load.name.clone(),
        href: format!("/team?worker={code}"),
        families: load.families,
        counts: DueKind::ALL
            .into_iter()
            .map(|k| {
                (
                    k.plural(),
                    load.overdue(k),
                    format!("/team?worker={code}&overdue={}#overdue", k.code()),
                )
            })
            .collect(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<TeamQuery>,
) -> Result<Response, WebError> {
    let filter = q.filter();
    let TeamWork {
        team_name,
        workers,
        overdue,
    } = state.hearth.team_work(&actor, filter).await?;
    let none = FieldErrors::new();
    let mut worker_choices = vec![(String::new(), "Everyone".to_string())];
    worker_choices.extend(
        workers
            .iter()
            .map(|w| (worker_code(w.worker), w.name.clone())),
    );
    let mut kinds = vec![(String::new(), "Anything overdue".to_string())];
    kinds.extend(
        DueKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), k.plural().to_string())),
    );
    let selected_worker = filter.worker.map(worker_code).unwrap_or_default();
    let selected_kind = filter.overdue.map(|k| k.code()).unwrap_or_default();
    let page = TeamPage {
        shell: Shell::new(&state, &visitor, "Your team").at("/team"),
        team_name,
        worker: fields::select("worker", "Worker", worker_choices, &selected_worker, &none),
        overdue_kind: fields::select("overdue", "Overdue", kinds, selected_kind, &none),
        filtered: filter.worker.is_some() || filter.overdue.is_some(),
        cards: workers
            .iter()
            .filter(|w| filter.worker.is_none_or(|chosen| chosen == w.worker))
            .map(card)
            .collect(),
        overdue,
    };
    Ok(render(StatusCode::OK, &page))
}
