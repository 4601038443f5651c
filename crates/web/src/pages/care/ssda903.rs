//! The SSDA903 return (ADR 0053) for whoever may produce returns: a collection year chosen on
//! the page (the last one ended, by default), the problems Hearth finds in the record listed
//! per child, file and field, and one CSV file per 903 file to download. GET forms and links:
//! nothing changes but the audit log, and it works without JavaScript.

use crate::components::{ErrorSummary, Input, Table};
use crate::download::{self, attachment};
use crate::error::WebError;
use crate::fields;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hearth_domain::care::ssda903::{CollectionYear, Return};
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

/// The year as typed: the calendar year of the 31 March that ends the collection.
#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: String,
}

impl YearQuery {
    /// The year chosen; the last one ended when nothing is typed; what to fix otherwise.
    fn year(&self, last_ended: CollectionYear) -> Result<CollectionYear, FieldErrors> {
        let typed = self.year.trim();
        if typed.is_empty() {
            return Ok(last_ended);
        }
        let problem = |message: &str| {
            let mut errors = FieldErrors::new();
            errors.add("year", message);
            errors
        };
        let ends: i32 = typed.parse().map_err(|_| {
            problem("Enter the year as 4 digits, for example 2026 for April 2025 to March 2026")
        })?;
        if ends > last_ended.ends() + 1 {
            return Err(problem(
                "The collection year must have begun: enter this year's or an earlier one",
            ));
        }
        CollectionYear::ending(ends).map_err(problem)
    }
}

#[derive(Template)]
#[template(path = "care/ssda903.html")]
struct Ssda903Page {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    year_input: Input,
    made: Option<Made>,
}

/// What the page shows once a year is read.
struct Made {
    label: String,
    counts: Vec<(String, usize, String)>,
    problems: Option<Table>,
}

fn made(r: &Return) -> Made {
    let year = r.year.ends();
    Made {
        label: r.year.label(),
        counts: r
            .files()
            .iter()
            .map(|s| {
                (
                    s.title.to_string(),
                    s.rows.len(),
                    format!("/returns/ssda903/{}.csv?year={year}", s.name),
                )
            })
            .collect(),
        problems: (!r.problems.is_empty()).then(|| {
            fields::table(
                "Problems to put right in the record",
                &["Child", "File", "Field", "What to put right"],
                r.problems
                    .iter()
                    .map(|p| {
                        vec![
                            fields::html_cell(format!(
                                "<a class=\"govuk-link\" href=\"/care/children/{id}\">{id}</a>",
                                id = p.child
                            )),
                            fields::text_cell(p.file),
                            fields::text_cell(p.field),
                            fields::text_cell(p.message.clone()),
                        ]
                    })
                    .collect(),
            )
        }),
    }
}

fn year_input(shown: &str, errors: &FieldErrors) -> Input {
    let mut input = fields::with_hint(
        fields::text("year", "Year the collection ends (31 March)", shown, errors),
        "For example, 2026 for 1 April 2025 to 31 March 2026",
    );
    input.classes = Some("govuk-input--width-4".into());
    input.inputmode = Some("numeric".into());
    input
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    // Refused before anything is shown, so only those who may produce returns see the page.
    state.hearth.may_produce_returns(&actor).await?;
    let last = CollectionYear::last_ended(state.hearth.now().date_naive());
    let shell = Shell::new(&state, &visitor, "SSDA903: children looked after").at("/returns");
    let page = match q.year(last) {
        Ok(year) => {
            let r = state.hearth.ssda903(&actor, year).await?;
            Ssda903Page {
                shell,
                error_summary: None,
                year_input: year_input(&year.ends().to_string(), &FieldErrors::new()),
                made: Some(made(&r)),
            }
        }
        Err(errors) => Ssda903Page {
            shell: shell.with_errors(true),
            error_summary: fields::error_summary(&errors),
            year_input: year_input(&q.year, &errors),
            made: None,
        },
    };
    let failed = page.made.is_none();
    Ok(render(status_for(failed), &page))
}

/// One of the return's files as CSV (`header.csv`, `episodes.csv`, `uasc.csv`).
pub async fn file(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(name): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    let Some(name) = name.strip_suffix(".csv") else {
        return Err(WebError::NotFound);
    };
    state.hearth.may_produce_returns(&actor).await?;
    let last = CollectionYear::last_ended(state.hearth.now().date_naive());
    let year = q.year(last).map_err(|_| WebError::NotFound)?;
    let r = state.hearth.ssda903(&actor, year).await?;
    let sheet = r.file(name).ok_or(WebError::NotFound)?;
    Ok(attachment(
        download::CSV,
        &format!("{name}-{}.csv", year.label()),
        download::csv(sheet).into_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_is_read_or_the_problem_named() {
        let last = CollectionYear::ending(2026).unwrap();
        let q = |s: &str| YearQuery { year: s.into() };
        assert_eq!(q("").year(last).unwrap(), last);
        assert_eq!(q(" 2024 ").year(last).unwrap().ends(), 2024);
        assert_eq!(
            q("2027").year(last).unwrap().ends(),
            2027,
            "the year going on"
        );
        let e = q("2028").year(last).unwrap_err();
        assert!(e.get("year").unwrap().contains("must have begun"));
        let e = q("twenty").year(last).unwrap_err();
        assert!(e.get("year").unwrap().contains("4 digits"));
    }
}
