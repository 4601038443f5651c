//! Importing the wards' under-fives populations, pasted as CSV by an analyst or manager (the
//! same file `hearth hubs population import FILE` reads). Every bad row is listed by its line
//! and reason, and nothing is imported until the file is right.

use crate::components::{ErrorSummary, NotificationBanner, Textarea};
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::hubs::{PopulationImport, RowProblem};
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "hubs/population.html")]
struct PopulationPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    problems: Vec<RowProblem>,
    csv: Textarea,
}

#[derive(Debug, Default, Deserialize)]
pub struct PopulationForm {
    #[serde(default)]
    csv: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    wards: Option<usize>,
}

fn page(
    state: &AppState,
    visitor: &Visitor,
    csv: &str,
    problems: Vec<RowProblem>,
    imported: Option<usize>,
) -> Response {
    let mut errors = FieldErrors::new();
    if !problems.is_empty() {
        errors.add(
            "csv",
            format!(
                "{} {} of the file cannot be imported, so nothing was: see the list below the box",
                problems.len(),
                if problems.len() == 1 { "row" } else { "rows" }
            ),
        );
    }
    let out = PopulationPage {
        shell: Shell::new(state, visitor, "Wards' under-fives populations")
            .at("/hubs/reach")
            .with_errors(!errors.is_empty()),
        banner: imported.map(|n| fields::success(&format!("{n} wards imported."))),
        error_summary: fields::error_summary(&errors),
        problems,
        csv: fields::with_textarea_hint(
            fields::textarea("csv", "The CSV file's contents", csv, &errors),
            "A first line naming the columns ward, hub and under_fives, then one ward a line, like: Bestwood,Bestwood Family Hub,812",
        ),
    };
    render(status_for(!errors.is_empty()), &out)
}

pub async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    state.hearth.require_population_import(&actor).await?;
    Ok(page(&state, &visitor, "", Vec::new(), q.wards))
}

pub async fn import(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<PopulationForm>,
) -> Result<Response, WebError> {
    match state.hearth.import_ward_populations(&actor, &f.csv).await? {
        PopulationImport::Imported(n) => {
            Ok(Redirect::to(&format!("/hubs/population?wards={n}")).into_response())
        }
        PopulationImport::Refused(problems) => Ok(page(&state, &visitor, &f.csv, problems, None)),
    }
}
