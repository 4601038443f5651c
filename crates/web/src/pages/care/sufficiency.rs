//! The sufficiency picture: the strategy's figures for a date chosen on the page (today's by
//! default), each table with its definition, and the same as a CSV file. A plain GET form:
//! works without JavaScript; the tables read as cards on a phone.

use crate::components::{DateInput, ErrorSummary, Table};
use crate::dates::UkDate;
use crate::download::{self, attachment};
use crate::error::WebError;
use crate::fields;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use hearth_app::care::Sufficiency;
use hearth_domain::date_parts::DateParts;
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

/// The date as typed in the page's three boxes.
#[derive(Deserialize, Default)]
pub struct OnQuery {
    #[serde(default, rename = "on-day")]
    day: String,
    #[serde(default, rename = "on-month")]
    month: String,
    #[serde(default, rename = "on-year")]
    year: String,
    /// `yes`: work the figures out again now rather than show the kept ones.
    #[serde(default)]
    again: String,
}

impl OnQuery {
    fn parts(&self) -> DateParts {
        DateParts {
            day: self.day.clone(),
            month: self.month.clone(),
            year: self.year.clone(),
        }
    }

    /// The date chosen; today when nothing is typed; what to fix when it is not a date.
    fn on(&self, today: NaiveDate) -> Result<NaiveDate, FieldErrors> {
        match self.parts().read("The date") {
            Ok(Some(d)) if d > today => {
                let mut errors = FieldErrors::new();
                errors.add("on", "The date must be today or in the past");
                Err(errors)
            }
            Ok(Some(d)) => Ok(d),
            Ok(None) => Ok(today),
            Err(e) => {
                let mut errors = FieldErrors::new();
                errors.add("on", e.message);
                Err(errors)
            }
        }
    }
}

/// One table of the page, with its heading and definition.
struct Shown {
    key: &'static str,
    title: String,
    definition: String,
    table: Table,
}

#[derive(Template)]
#[template(path = "care/sufficiency.html")]
struct SufficiencyPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    date: DateInput,
    picture: Option<Sufficiency>,
    tables: Vec<Shown>,
    csv: String,
    /// The link that works the figures out again now, and when they were.
    again: String,
    worked_out: String,
}

fn tables(picture: &Sufficiency) -> Vec<Shown> {
    picture
        .tables
        .iter()
        .map(|t| {
            let mut head: Vec<&str> = vec![""];
            head.extend(t.head.iter().map(String::as_str));
            let rows = t
                .lines
                .iter()
                .map(|(label, cells)| {
                    std::iter::once(fields::text_cell(label.clone()))
                        .chain(cells.iter().map(|c| fields::text_cell(c.clone())))
                        .collect()
                })
                .collect();
            let mut table = fields::table(&t.title, &head, rows);
            // The section's heading names the table; the caption stays for screen readers.
            table.caption_classes = Some("govuk-visually-hidden".into());
            Shown {
                key: t.key,
                title: t.title.clone(),
                definition: t.definition.clone(),
                table,
            }
        })
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<OnQuery>,
) -> Result<Response, WebError> {
    let today = state.hearth.now().date_naive();
    let (picture, errors) = match q.on(today) {
        Ok(on) => (
            Some(
                state
                    .hearth
                    .sufficiency(&actor, on, q.again == "yes")
                    .await?,
            ),
            FieldErrors::new(),
        ),
        Err(errors) => {
            // The reader may still be refused: ask the gate with today before saying what to fix.
            state.hearth.sufficiency(&actor, today, false).await?;
            (None, errors)
        }
    };
    let typed = q.parts();
    let on = |path: &str, p: &Sufficiency| {
        format!(
            "{path}?on-day={}&on-month={}&on-year={}",
            p.on.day(),
            p.on.month(),
            p.on.year()
        )
    };
    let csv = picture
        .as_ref()
        .map_or_else(String::new, |p| on("/care/sufficiency.csv", p));
    let again = picture.as_ref().map_or_else(String::new, |p| {
        format!("{}&again=yes", on("/care/sufficiency", p))
    });
    let worked_out = picture
        .as_ref()
        .map_or_else(String::new, |p| crate::dates::moment(p.worked_out));
    let page = SufficiencyPage {
        shell: Shell::new(&state, &visitor, "Sufficiency")
            .at("/care/sufficiency")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary_with_dates(&errors, &[("on", &typed)]),
        date: fields::date(
            "on",
            "The date of the picture",
            Some("Figures as they stood at the end of this day. For example, 31 3 2026"),
            &typed,
            &errors,
        ),
        tables: picture.as_ref().map(tables).unwrap_or_default(),
        picture,
        csv,
        again,
        worked_out,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        status_for(true)
    };
    Ok(render(status, &page))
}

/// The picture as a CSV file: a line per figure, with its table, line and column.
pub async fn csv(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Query(q): Query<OnQuery>,
) -> Result<Response, WebError> {
    let today = state.hearth.now().date_naive();
    let on = q.on(today).unwrap_or(today);
    let picture = state.hearth.sufficiency(&actor, on, false).await?;
    Ok(attachment(
        download::CSV,
        &format!("sufficiency-{}.csv", picture.on),
        download::csv(&picture.sheet()).into_bytes(),
    )
    .into_response())
}
