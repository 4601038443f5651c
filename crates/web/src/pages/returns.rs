//! Returns for the analyst: Ofsted's Annex A early-help lists as a workbook, for an
//! inspection date, and the Standard Safeguarding Dataset's early-help tables as CSV, for a
//! period. Both are GET forms (nothing changes but the audit log); bad dates come back to the
//! page, as typed, with what to fix.

use crate::components::{Button, DateInput, ErrorSummary};
use crate::download::{self, attachment};
use crate::error::WebError;
use crate::fields;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
use hearth_domain::date_parts::DateParts;
use hearth_domain::input::FieldErrors;
use hearth_domain::returns::Window;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/returns", get(page))
        .route("/returns/annex-a", get(annex_a))
        .route("/returns/ssd", get(safeguarding_dataset))
}

/// What the two forms send: each date as its three boxes.
#[derive(Debug, Default, Deserialize)]
pub struct ReturnsQuery {
    #[serde(rename = "on-day", default)]
    on_day: String,
    #[serde(rename = "on-month", default)]
    on_month: String,
    #[serde(rename = "on-year", default)]
    on_year: String,
    #[serde(rename = "from-day", default)]
    from_day: String,
    #[serde(rename = "from-month", default)]
    from_month: String,
    #[serde(rename = "from-year", default)]
    from_year: String,
    #[serde(rename = "to-day", default)]
    to_day: String,
    #[serde(rename = "to-month", default)]
    to_month: String,
    #[serde(rename = "to-year", default)]
    to_year: String,
    /// Which of the dataset's tables to download.
    #[serde(default)]
    table: String,
}

fn parts(day: &str, month: &str, year: &str) -> DateParts {
    DateParts {
        day: day.into(),
        month: month.into(),
        year: year.into(),
    }
}

impl ReturnsQuery {
    fn on(&self) -> DateParts {
        parts(&self.on_day, &self.on_month, &self.on_year)
    }
    fn from(&self) -> DateParts {
        parts(&self.from_day, &self.from_month, &self.from_year)
    }
    fn to(&self) -> DateParts {
        parts(&self.to_day, &self.to_month, &self.to_year)
    }

    /// The Annex A form as sent, the dataset's as first shown (a problem with one form must
    /// not empty the other).
    fn annex_a_sent(self, today: NaiveDate) -> Self {
        let first = Self::first(today);
        ReturnsQuery {
            on_day: self.on_day,
            on_month: self.on_month,
            on_year: self.on_year,
            ..first
        }
    }

    /// The dataset's form as sent, Annex A's as first shown.
    fn dataset_sent(self, today: NaiveDate) -> Self {
        let first = Self::first(today);
        ReturnsQuery {
            on_day: first.on_day,
            on_month: first.on_month,
            on_year: first.on_year,
            ..self
        }
    }

    /// The forms as first shown: the inspection today, the dataset over the last six years
    /// (the SSD's usual reach).
    fn first(today: NaiveDate) -> Self {
        let six_years_ago = today
            .checked_sub_months(chrono::Months::new(72))
            .unwrap_or(today);
        let mut q = ReturnsQuery::default();
        let of = DateParts::of;
        let (on, from, to) = (of(today), of(six_years_ago), of(today));
        (q.on_day, q.on_month, q.on_year) = (on.day, on.month, on.year);
        (q.from_day, q.from_month, q.from_year) = (from.day, from.month, from.year);
        (q.to_day, q.to_month, q.to_year) = (to.day, to.month, to.year);
        q
    }
}

/// A date that must be given: its value, or the problem added against `name`.
fn required(
    typed: &DateParts,
    name: &str,
    what: &str,
    errors: &mut FieldErrors,
) -> Option<NaiveDate> {
    match typed.read(what) {
        Ok(Some(day)) => Some(day),
        Ok(None) => {
            errors.add(name, format!("Enter the {}", what.to_lowercase()));
            None
        }
        Err(e) => {
            errors.add(name, e.message);
            None
        }
    }
}

/// The tables of the dataset a user may choose, by their SSD names.
const TABLES: [&str; 4] = [
    "ssd_person",
    "ssd_contacts",
    "ssd_early_help_episodes",
    "ssd_involvements",
];

#[derive(Template)]
#[template(path = "returns/index.html")]
struct ReturnsPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    on: DateInput,
    from: DateInput,
    to: DateInput,
    annex_a: Button,
    tables: Vec<Button>,
}

fn show(state: &AppState, visitor: &Visitor, q: &ReturnsQuery, errors: &FieldErrors) -> Response {
    let (on, from, to) = (q.on(), q.from(), q.to());
    let page = ReturnsPage {
        shell: Shell::new(state, visitor, "Returns")
            .at("/returns")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary_with_dates(
            errors,
            &[("on", &on), ("from", &from), ("to", &to)],
        ),
        on: fields::date(
            "on",
            "Date of the inspection",
            Some("For example, 27 3 2026. The lists cover the six months before it."),
            &on,
            errors,
        ),
        from: fields::date("from", "From", Some("For example, 1 4 2020"), &from, errors),
        to: fields::date("to", "To", Some("For example, 31 3 2026"), &to, errors),
        annex_a: Button::text("Download Annex A (spreadsheet)"),
        tables: TABLES
            .iter()
            .map(|t| Button {
                name: Some("table".into()),
                value: Some((*t).into()),
                classes: Some("govuk-button--secondary".into()),
                ..Button::text(format!("Download {t}.csv"))
            })
            .collect(),
    };
    render(status_for(!errors.is_empty()), &page)
}

pub async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    state.hearth.may_produce_returns(&actor).await?;
    let today = state.hearth.now().date_naive();
    Ok(show(
        &state,
        &visitor,
        &ReturnsQuery::first(today),
        &FieldErrors::new(),
    ))
}

pub async fn annex_a(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<ReturnsQuery>,
) -> Result<Response, WebError> {
    // Refused before the form is shown again, so only those who may see the page do.
    state.hearth.may_produce_returns(&actor).await?;
    let mut errors = FieldErrors::new();
    let Some(on) = required(&q.on(), "on", "Date of the inspection", &mut errors) else {
        let today = state.hearth.now().date_naive();
        return Ok(show(&state, &visitor, &q.annex_a_sent(today), &errors));
    };
    let lists = state.hearth.annex_a(&actor, on).await?;
    let about = [
        ("Return", "Ofsted Annex A: early help lists (1 and 2)".to_string()),
        ("Inspection date", on.format("%d/%m/%Y").to_string()),
        (
            "Period covered",
            format!(
                "{} to {}",
                lists.window.from.format("%d/%m/%Y"),
                lists.window.to.format("%d/%m/%Y")
            ),
        ),
        (
            "Left out: no date of birth",
            format!(
                "{} row(s) are about people whose date of birth is not recorded, so they cannot be told to be children. Record their dates of birth and download the lists again.",
                lists.no_date_of_birth
            ),
        ),
        (
            "Child unique ID",
            "Hearth's id for the person: the same child has the same id on every list.".to_string(),
        ),
    ];
    let body = download::workbook(&about, &[&lists.contacts, &lists.early_help])
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(attachment(
        download::XLSX,
        &format!("annex-a-{}.xlsx", on.format("%Y-%m-%d")),
        body,
    ))
}

pub async fn safeguarding_dataset(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<ReturnsQuery>,
) -> Result<Response, WebError> {
    // Refused before the form is shown again, so only those who may see the page do.
    state.hearth.may_produce_returns(&actor).await?;
    let mut errors = FieldErrors::new();
    let from = required(&q.from(), "from", "Start of the period", &mut errors);
    let to = required(&q.to(), "to", "End of the period", &mut errors);
    let window = match (from, to) {
        (Some(from), Some(to)) => match Window::new(from, to) {
            Ok(w) => Some(w),
            Err(message) => {
                errors.add("to", message);
                None
            }
        },
        _ => None,
    };
    let today = state.hearth.now().date_naive();
    let Some(table) = TABLES.iter().position(|t| *t == q.table) else {
        errors.add("table", "Choose a table to download");
        return Ok(show(&state, &visitor, &q.dataset_sent(today), &errors));
    };
    let Some(window) = window else {
        return Ok(show(&state, &visitor, &q.dataset_sent(today), &errors));
    };
    let data = state.hearth.safeguarding_dataset(&actor, window).await?;
    let sheet = &data.tables[table];
    Ok(attachment(
        download::CSV,
        &format!("{}-{}-{}.csv", sheet.name, window.from, window.to),
        download::csv(sheet).into_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_start_at_today_and_six_years_back() {
        let q = ReturnsQuery::first(NaiveDate::from_ymd_opt(2026, 12, 5).unwrap());
        assert_eq!(
            (q.on_day.as_str(), q.on_month.as_str(), q.on_year.as_str()),
            ("5", "12", "2026")
        );
        assert_eq!(q.from_year, "2020");
    }

    #[test]
    fn a_problem_with_one_form_keeps_the_other_as_first_shown() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let sent = ReturnsQuery {
            on_day: "31".into(),
            on_month: "2".into(),
            on_year: "2026".into(),
            ..ReturnsQuery::default()
        };
        let kept = sent.annex_a_sent(today);
        assert_eq!(kept.on_day, "31", "what was typed");
        assert_eq!(
            (kept.from_year.as_str(), kept.to_year.as_str()),
            ("2020", "2026")
        );
        let sent = ReturnsQuery {
            from_day: "1".into(),
            table: "ssd_person".into(),
            ..ReturnsQuery::default()
        };
        let kept = sent.dataset_sent(today);
        assert_eq!((kept.from_day.as_str(), kept.from_year.as_str()), ("1", ""));
        assert_eq!(kept.on_year, "2026");
        assert_eq!(kept.table, "ssd_person");
    }

    #[test]
    fn a_missing_date_is_named() {
        let mut errors = FieldErrors::new();
        assert_eq!(
            required(
                &DateParts::default(),
                "on",
                "Date of the inspection",
                &mut errors
            ),
            None
        );
        assert_eq!(errors.get("on"), Some("Enter the date of the inspection"));
    }
}
