//! The board's quarterly reports at `/reports/board` (ADR 0038): the list (drafts and
//! published), starting a report for a quarter, writing its sections, publishing it, and
//! reading it as a page or downloading it as a PDF. Thin: the use cases and the gate decide.

use super::chart::TrendChart;
use crate::components::{Button, ErrorSummary, Input, NotificationBanner, Select, Textarea};
use crate::error::WebError;
use crate::fields;
use crate::form::{Form, FormParts};
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::insight::{BoardReport, BoardReportForm, BoardReportView, ReadAs};
use hearth_app::{Actor, AppError};
use hearth_domain::board::{FrozenFigure, ReportStatus, SECTIONS};
use hearth_domain::ids::BoardReportId;
use hearth_domain::input::FieldErrors;
use hearth_domain::insight::{Quarter, Shown};
use serde::Deserialize;

fn report_id(id: &str) -> Result<BoardReportId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// One report in the list.
struct Listed {
    href: String,
    title: String,
    quarter: String,
    status: &'static str,
    draft: bool,
    when: String,
}

#[derive(Template)]
#[template(path = "reports/board_list.html")]
struct ListPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    quarter: Select,
    start: Button,
    reports: Vec<Listed>,
}

fn listed(r: &BoardReport) -> Listed {
    Listed {
        href: format!("/reports/board/{}", r.id),
        title: r.title.clone(),
        quarter: r.quarter.label(),
        status: r.status.label(),
        draft: r.status == ReportStatus::Draft,
        when: match r.published_at {
            Some(at) => format!(
                "Published {} by {}",
                at.format("%-d %B %Y"),
                r.published_by_name.clone().unwrap_or_default()
            ),
            None => format!(
                "Started by {}, last saved {}",
                r.created_by_name,
                r.updated_at.format("%-d %B %Y")
            ),
        },
    }
}

async fn list_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    chosen: &str,
    errors: &FieldErrors,
) -> Result<ListPage, WebError> {
    let reports = state.hearth.board_reports(actor).await?;
    let today = Quarter::containing(state.hearth.now().date_naive());
    // The quarter just ended is the one a board usually hears about.
    let default = today.previous().code();
    let mut quarters = vec![(String::new(), "Choose a quarter".to_string())];
    quarters.extend(
        today
            .trailing(8)
            .into_iter()
            .rev()
            .map(|q| (q.code(), q.label())),
    );
    Ok(ListPage {
        shell: Shell::new(state, visitor, "Quarterly reports to the boards")
            .at("/reports")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        quarter: fields::select(
            "quarter",
            "Quarter the report is about",
            quarters,
            if chosen.is_empty() { &default } else { chosen },
            errors,
        ),
        start: fields::submit("Start a report"),
        reports: reports.iter().map(listed).collect(),
    })
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let page = list_page(&state, &visitor, &actor, "", &FieldErrors::new()).await?;
    Ok(render(StatusCode::OK, &page))
}

#[derive(Debug, Default, Deserialize)]
pub struct StartForm {
    #[serde(default)]
    quarter: String,
}

pub async fn start(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(form): Form<StartForm>,
) -> Result<Response, WebError> {
    let Some(quarter) = Quarter::from_code(form.quarter.trim()) else {
        let mut errors = FieldErrors::new();
        errors.add("quarter", "Select the quarter the report is about");
        let page = list_page(&state, &visitor, &actor, &form.quarter, &errors).await?;
        return Ok(render(status_for(true), &page));
    };
    let id = state.hearth.start_board_report(&actor, quarter).await?;
    Ok(Redirect::to(&format!("/reports/board/{id}/edit")).into_response())
}

/// One indicator as the report shows it.
struct Figure {
    chart: TrendChart,
    title: String,
    definition: String,
    about: Vec<(&'static str, String)>,
    cells: Vec<(String, String)>,
    change: String,
}

#[derive(Template)]
#[template(path = "reports/board_show.html")]
struct ShowPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    id: BoardReportId,
    title: String,
    draft: bool,
    standing: String,
    sections: Vec<(&'static str, String)>,
    suppressed_below: u64,
    figures: Vec<Figure>,
}

/// A figure as the chart draws it, from what the report kept.
fn shown(f: &FrozenFigure) -> Shown {
    match f.value {
        Some(value) => Shown::Value {
            value,
            text: f.text.clone(),
        },
        None if f.text == Shown::Suppressed.text() => Shown::Suppressed,
        None => Shown::Nothing,
    }
}

fn figures(view: &BoardReportView) -> Vec<Figure> {
    let quarters: Vec<Quarter> = view
        .figures
        .quarters
        .iter()
        .filter_map(|q| Quarter::from_code(&q.code))
        .collect();
    view.figures
        .lines
        .iter()
        .enumerate()
        .map(|(index, l)| {
            let mut about = vec![("Which way", l.direction.clone())];
            for (label, value) in [
                ("Target", &l.target),
                ("Baseline", &l.baseline),
                ("National average", &l.national_average),
            ] {
                about.push((label, value.clone().unwrap_or_else(|| "None set".into())));
            }
            about.push(("Reported", l.frequency.clone()));
            let kept: Vec<Shown> = l.figures.iter().map(shown).collect();
            Figure {
                chart: TrendChart::new(&l.title, &quarters, &kept, index),
                title: l.title.clone(),
                definition: match &l.denominator {
                    Some(d) => format!("{} out of {}", l.numerator, d.to_lowercase()),
                    None => l.numerator.clone(),
                },
                about,
                cells: view
                    .figures
                    .quarters
                    .iter()
                    .zip(&l.figures)
                    .map(|(q, f)| (q.label.clone(), f.text.clone()))
                    .collect(),
                change: l.change.clone(),
            }
        })
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    let id = report_id(&id)?;
    let view = state.hearth.board_report(&actor, id, ReadAs::Page).await?;
    let r = &view.report;
    let draft = r.status == ReportStatus::Draft;
    let banner = match q.done.as_deref() {
        Some("published") => Some(fields::success(
            "The report is published. Its figures and text are kept as they are now.",
        )),
        Some("saved") => Some(fields::success("Your changes are saved.")),
        _ => None,
    };
    let standing = match r.published_at {
        Some(at) if !draft => format!(
            "Published {} by {}. The figures are as they were on that day and do not change.",
            at.format("%-d %B %Y"),
            r.published_by_name.clone().unwrap_or_default()
        ),
        _ => "Draft: the figures are the record's as it is today, and change until the report is published.".into(),
    };
    let page = ShowPage {
        shell: Shell::new(&state, &visitor, &r.title).at("/reports"),
        banner,
        id,
        title: r.title.clone(),
        draft,
        standing,
        sections: SECTIONS
            .iter()
            .map(|(field, heading, _)| (*heading, r.sections.get(field).to_string()))
            .collect(),
        suppressed_below: view.figures.suppressed_below,
        figures: figures(&view),
    };
    Ok(render(StatusCode::OK, &page))
}

pub async fn pdf(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = report_id(&id)?;
    let (name, bytes) = state.hearth.board_report_pdf(&actor, id).await?;
    Ok(crate::download::attachment("application/pdf", &name, bytes))
}

#[derive(Template)]
#[template(path = "reports/board_edit.html")]
struct EditPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    id: BoardReportId,
    quarter: String,
    version: String,
    title: Input,
    sections: Vec<Textarea>,
    save: Button,
    publish: Button,
}

fn edit_page(
    state: &AppState,
    visitor: &Visitor,
    report: &BoardReport,
    form: &BoardReportForm,
    errors: &FieldErrors,
    banner: Option<NotificationBanner>,
) -> EditPage {
    let value = |field: &str| match field {
        "summary" => form.summary.clone(),
        "going_well" => form.going_well.clone(),
        "worries" => form.worries.clone(),
        _ => form.actions.clone(),
    };
    EditPage {
        shell: Shell::new(state, visitor, &format!("Write: {}", report.title))
            .at("/reports")
            .with_errors(!errors.is_empty()),
        banner,
        error_summary: fields::error_summary(errors),
        id: report.id,
        quarter: report.quarter.label(),
        version: form.version.clone(),
        title: fields::text("title", "Title", &form.title, errors),
        sections: SECTIONS
            .iter()
            .map(|(field, heading, hint)| Textarea {
                rows: Some(8),
                hint: Some(crate::components::Hint {
                    text: Some((*hint).to_string()),
                    ..Default::default()
                }),
                ..fields::textarea(field, heading, &value(field), errors)
            })
            .collect(),
        save: Button {
            name: Some("action".into()),
            value: Some("save".into()),
            classes: Some("govuk-button--secondary".into()),
            ..fields::submit("Save the draft")
        },
        publish: Button {
            name: Some("action".into()),
            value: Some("publish".into()),
            ..fields::submit("Publish the report")
        },
    }
}

pub async fn edit(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = report_id(&id)?;
    let view = state
        .hearth
        .board_report(&actor, id, ReadAs::Editing)
        .await?;
    if view.report.status == ReportStatus::Published {
        return Ok(Redirect::to(&format!("/reports/board/{id}")).into_response());
    }
    let form = BoardReportForm::of(&view.report);
    let page = edit_page(
        &state,
        &visitor,
        &view.report,
        &form,
        &FieldErrors::new(),
        None,
    );
    Ok(render(StatusCode::OK, &page))
}

/// Which button sent the edit form: save the draft, or publish it.
#[derive(Debug, Default, Deserialize)]
pub struct EditAction {
    #[serde(default)]
    action: String,
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    FormParts(EditAction { action }, form): FormParts<EditAction, BoardReportForm>,
) -> Result<Response, WebError> {
    let id = report_id(&id)?;
    let publishing = action == "publish";
    let done = if publishing {
        state.hearth.publish_board_report(&actor, id, &form).await
    } else {
        state.hearth.save_board_report(&actor, id, &form).await
    };
    match done {
        Ok(()) if publishing => {
            Ok(Redirect::to(&format!("/reports/board/{id}?done=published")).into_response())
        }
        Ok(()) => Ok(Redirect::to(&format!("/reports/board/{id}?done=saved")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let view = state
                .hearth
                .board_report(&actor, id, ReadAs::Editing)
                .await?;
            let page = edit_page(&state, &visitor, &view.report, &form, &errors, None);
            Ok(render(status_for(true), &page))
        }
        Err(AppError::Conflict) => {
            // Someone saved or published it meanwhile: keep what this writer typed in front of
            // them, against the latest version, so nothing is lost.
            let view = state
                .hearth
                .board_report(&actor, id, ReadAs::Editing)
                .await?;
            if view.report.status == ReportStatus::Published {
                return Err(WebError::BadRequest(
                    "This report was published while you were writing, so it cannot change. Your text was not saved: go back to copy it.".into(),
                ));
            }
            let mut form = form.clone();
            form.version = view.report.version.to_string();
            let banner = fields::important(
                "Someone else saved this report since you opened it. Your text is below, not yet saved: check it against the report's page, then save again.",
            );
            let page = edit_page(
                &state,
                &visitor,
                &view.report,
                &form,
                &FieldErrors::new(),
                Some(banner),
            );
            Ok(render(StatusCode::CONFLICT, &page))
        }
        Err(e) => Err(e.into()),
    }
}
