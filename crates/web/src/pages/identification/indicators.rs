//! The partnership's indicators, for its data lead: every indicator with its rule, the needs
//! and Continuum levels it points to and its version; a form to add one; each indicator's page
//! to change or retire it, with its history (who, when, from what to what). Works without
//! JavaScript: the rule's extra questions show under their choice.

use super::choose;
use crate::components::{Checkboxes, ErrorSummary, Input, NotificationBanner, Radios, Select};
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use hearth_app::identification::{IndicatorForm, IndicatorVersion, Indicators};
use hearth_app::{Actor, AppError};
use hearth_domain::continuum::ContinuumLevel;
use hearth_domain::identification::feed::FeedKind;
use hearth_domain::identification::indicators::{Field, Indicator};
use hearth_domain::input::FieldErrors;
use hearth_domain::need::NeedDomain;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/identification/indicators", get(list).post(add))
        .route("/identification/indicators/{code}", get(one).post(change))
        .route("/identification/indicators/{code}/retire", post(retire))
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

/// The questions about an indicator, as the add and change forms ask them.
struct Questions {
    label: Input,
    feed: Select,
    event: Select,
    rule: Radios,
    months: Input,
    needs: Checkboxes,
    levels: Checkboxes,
    from_version: String,
}

fn questions(f: &IndicatorForm, errors: &FieldErrors) -> Questions {
    let mut rule = fields::radios(
        "rule",
        "When is it met?",
        vec![
            (
                "presence".into(),
                "When there is any such event".into(),
                None,
            ),
            (
                "at_least".into(),
                "When there are at least a number of them".into(),
                None,
            ),
            (
                "below".into(),
                "When a value is below a threshold".into(),
                Some("Only school attendance carries a value: its percentage.".into()),
            ),
        ],
        &f.rule,
        errors,
    );
    let count = fields::with_hint(
        fields::text("count", "How many events", &f.count, errors),
        "A whole number, like 2",
    );
    fields::reveal_under(&mut rule, "at_least", fields::reveal(&[&count]));
    let field = fields::select(
        "field",
        "The value",
        choose(
            "Choose the value",
            Field::ALL
                .into_iter()
                .map(|v| (v.code().to_string(), v.label().to_string())),
        ),
        &f.field,
        errors,
    );
    let threshold = fields::with_hint(
        fields::text("threshold", "Below (%)", &f.threshold, errors),
        "For example, 90 or 92.5",
    );
    fields::reveal_under(&mut rule, "below", fields::reveal(&[&field, &threshold]));
    Questions {
        label: fields::with_hint(
            fields::text("label", "What the worklist says", &f.label, errors),
            "In plain words, like Attendance under 90% in a term",
        ),
        feed: fields::select(
            "feed",
            "Kind of data it reads",
            choose(
                "Choose the kind",
                FeedKind::ALL
                    .into_iter()
                    .map(|k| (k.code().to_string(), k.label().to_string())),
            ),
            &f.feed,
            errors,
        ),
        event: fields::select(
            "event",
            "The event it looks at",
            choose(
                "Choose the event",
                FeedKind::ALL.into_iter().flat_map(|k| {
                    k.events().iter().map(move |e| {
                        (
                            e.code().to_string(),
                            format!("{} ({})", e.label(), k.label()),
                        )
                    })
                }),
            ),
            &f.event,
            errors,
        ),
        rule,
        months: fields::with_hint(
            fields::text("months", "Within how many months", &f.months, errors),
            "Events older than this, counted back from today, do not count. From 1 to 60.",
        ),
        needs: fields::checkboxes(
            "needs",
            "Supporting Families headline needs it points to",
            NeedDomain::ALL
                .into_iter()
                .map(|n| (n.code().to_string(), n.label().to_string(), None))
                .collect(),
            &f.needs,
            errors,
        ),
        levels: fields::checkboxes(
            "levels",
            "Continuum of Need levels whose indicators it stands for",
            ContinuumLevel::ALL
                .into_iter()
                .map(|l| (l.number().to_string(), l.label().to_string(), None))
                .collect(),
            &f.levels,
            errors,
        ),
        from_version: f.from_version.clone(),
    }
}

/// An indicator's row on the list, in words.
pub struct Row {
    pub code: String,
    pub label: String,
    pub reads: String,
    pub rule: String,
    pub needs: String,
    pub levels: String,
    pub version: u32,
    pub retired: bool,
}

fn needs_in_words(i: &Indicator) -> String {
    let v: Vec<&str> = i.needs.iter().map(|n| n.label()).collect();
    v.join("; ")
}

fn levels_in_words(i: &Indicator) -> String {
    let v: Vec<&str> = i.levels.iter().map(|l| l.label()).collect();
    v.join("; ")
}

fn row(v: &IndicatorVersion) -> Row {
    let i = &v.indicator;
    Row {
        code: i.code.clone(),
        label: i.label.clone(),
        reads: format!("{}: {}", i.feed.label(), i.event.label()),
        rule: i.rule.describe(i.event),
        needs: needs_in_words(i),
        levels: levels_in_words(i),
        version: i.version,
        retired: v.retired,
    }
}

#[derive(Template)]
#[template(path = "identification/indicators.html")]
struct ListPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    rows: Vec<Row>,
    code: Input,
    q: Questions,
}

async fn list_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    typed: &IndicatorForm,
    errors: &FieldErrors,
    banner: Option<NotificationBanner>,
) -> Result<ListPage, WebError> {
    let all = state.hearth.identification_indicators(actor).await?;
    Ok(ListPage {
        shell: Shell::new(state, visitor, "Early identification indicators")
            .at("/identification")
            .with_errors(!errors.is_empty()),
        banner,
        error_summary: fields::error_summary(errors),
        rows: all.latest.iter().map(row).collect(),
        code: fields::with_hint(
            fields::text("code", "Short code", &typed.code, errors),
            "Kept across versions, like rent_arrears_twice. Letters, digits or _.",
        ),
        q: questions(typed, errors),
    })
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let banner = match q.done.as_deref() {
        Some("added") => Some(fields::success("The indicator was added.")),
        Some("changed") => Some(fields::success(
            "The indicator was changed: the worklist uses the new version now.",
        )),
        Some("retired") => Some(fields::success("The indicator was retired.")),
        _ => None,
    };
    let page = list_page(
        &state,
        &visitor,
        &actor,
        &IndicatorForm::default(),
        &FieldErrors::new(),
        banner,
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn add(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<IndicatorForm>,
) -> Result<Response, WebError> {
    match state.hearth.save_indicator(&actor, None, &f).await {
        Ok(_) => Ok(Redirect::to("/identification/indicators?done=added").into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &list_page(&state, &visitor, &actor, &f, &errors, None).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

/// One version in an indicator's history, in words: what it became and who made it when.
pub struct HistoryLine {
    pub version: u32,
    pub change: &'static str,
    pub by: String,
    pub at: String,
    pub row: Row,
}

fn history(all: &Indicators, code: &str) -> Vec<HistoryLine> {
    let versions = all.history(code);
    let mut lines: Vec<HistoryLine> = versions
        .iter()
        .enumerate()
        .map(|(n, v)| {
            let before = n.checked_sub(1).and_then(|p| versions.get(p));
            HistoryLine {
                version: v.indicator.version,
                change: match (before, v.retired) {
                    (None, _) => "Added",
                    (Some(_), true) => "Retired",
                    (Some(b), false) if b.retired => "Brought back",
                    _ => "Changed",
                },
                by: v
                    .by_name
                    .clone()
                    .unwrap_or_else(|| "Hearth's standard set".into()),
                at: v.at.format("%-d %B %Y %H:%M").to_string(),
                row: row(v),
            }
        })
        .collect();
    // Newest first: what it is now, then what it was.
    lines.reverse();
    lines
}

#[derive(Template)]
#[template(path = "identification/indicator.html")]
struct OnePage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    now: Row,
    q: Questions,
    history: Vec<HistoryLine>,
}

async fn one_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    code: &str,
    typed: Option<&IndicatorForm>,
    errors: &FieldErrors,
) -> Result<OnePage, WebError> {
    let all = state.hearth.identification_indicators(actor).await?;
    let latest = all
        .latest
        .iter()
        .find(|v| v.indicator.code == code)
        .ok_or(WebError::NotFound)?;
    let mut form = typed
        .cloned()
        .unwrap_or_else(|| IndicatorForm::of(&latest.indicator));
    // A change refused because someone else changed it meanwhile is made again from what
    // is there now: the typed values are kept, and the history shows the other change.
    if errors
        .get("label")
        .is_some_and(|e| e.starts_with("Someone changed"))
    {
        form.from_version = latest.indicator.version.to_string();
    }
    Ok(OnePage {
        shell: Shell::new(state, visitor, &latest.indicator.label)
            .at("/identification")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        now: row(latest),
        q: questions(&form, errors),
        history: history(&all, code),
    })
}

pub async fn one(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let page = one_page(&state, &visitor, &actor, &code, None, &FieldErrors::new()).await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn change(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(code): Path<String>,
    Form(f): Form<IndicatorForm>,
) -> Result<Response, WebError> {
    match state.hearth.save_indicator(&actor, Some(&code), &f).await {
        Ok(_) => Ok(Redirect::to("/identification/indicators?done=changed").into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &one_page(&state, &visitor, &actor, &code, Some(&f), &errors).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct RetireForm {
    #[serde(default)]
    from_version: String,
}

pub async fn retire(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(code): Path<String>,
    Form(f): Form<RetireForm>,
) -> Result<Response, WebError> {
    state
        .hearth
        .retire_indicator(&actor, &code, &f.from_version)
        .await?;
    Ok(Redirect::to("/identification/indicators?done=retired").into_response())
}
