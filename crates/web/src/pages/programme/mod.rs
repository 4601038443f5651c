//! Supporting Families (ADR 0042): an episode's standing for the programme (its headline needs
//! with what shows each, whether the family is in the programme, the whole-family working met
//! or missing), and after closure the sustainment check its *My work* task links to.

use crate::components::{ErrorSummary, NotificationBanner, Radios, Textarea};
use crate::dates::day;
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
use hearth_app::programme::{ProgrammeStart, SustainmentCheck, SustainmentForm};
use hearth_app::{Actor, AppError};
use hearth_domain::ids::EpisodeId;
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

mod claims;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programme", get(claims::dashboard))
        .route("/programme/quarters/{quarter}", get(claims::quarter_get))
        .route(
            "/programme/quarters/{quarter}/claim",
            post(claims::make_claim),
        )
        .route(
            "/programme/quarters/{quarter}/families/{id}/verdict",
            post(claims::verdict),
        )
        .route(
            "/programme/quarters/{quarter}/sign-off",
            post(claims::sign_off),
        )
        .route(
            "/programme/quarters/{quarter}/return",
            get(claims::return_get),
        )
        .route(
            "/programme/quarters/{quarter}/return/{id}/{problem}",
            post(claims::explain),
        )
        .route(
            "/programme/quarters/{quarter}/return.csv",
            get(claims::return_csv),
        )
        .route("/episodes/{id}/programme", get(start))
        .route("/episodes/{id}/sustainment", get(sustainment).post(answer))
}

fn episode_id(id: &str) -> Result<EpisodeId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

/// A need present at the start, as the page shows it.
struct NeedLine {
    label: String,
    descriptor: String,
    need_evidence: String,
    assessed: bool,
    /// (who, the assessment's words)
    from_assessment: Vec<(String, String)>,
    /// (who, the indicator, its partner events)
    from_data: Vec<(String, String, Vec<String>)>,
}

#[derive(Template)]
#[template(path = "programme/start.html")]
struct StartPage {
    shell: Shell,
    episode: String,
    view: ProgrammeStart,
    needs: Vec<NeedLine>,
    /// (criterion, met)
    criteria: Vec<(String, bool)>,
}

async fn start(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let view = state.hearth.programme_start(&actor, id).await?;
    let needs = view
        .needs
        .iter()
        .map(|n| NeedLine {
            label: n.outcome.need.label().into(),
            descriptor: n.outcome.descriptor.clone(),
            need_evidence: n.outcome.need_evidence.clone(),
            assessed: n.assessed,
            from_assessment: n.from_assessment.clone(),
            from_data: n
                .from_data
                .iter()
                .map(|r| {
                    (
                        r.who.clone(),
                        r.indicator.to_string(),
                        r.evidence.iter().map(|e| e.describe()).collect(),
                    )
                })
                .collect(),
        })
        .collect();
    let page = StartPage {
        shell: Shell::new(&state, &visitor, "Supporting Families"),
        episode: id.to_string(),
        criteria: view
            .criteria
            .iter()
            .map(|(c, met)| (c.label().to_string(), *met))
            .collect(),
        needs,
        view,
    };
    Ok(render(StatusCode::OK, &page))
}

/// An outcome of the check, as the page shows it.
struct OutcomeLine {
    code: String,
    label: String,
    outcome_evidence: String,
    months: u32,
    /// The day it may be judged from.
    due_on: String,
    result: String,
    closure_evidence: String,
    asked: bool,
    /// What partners' data says (with its events), or that it cannot.
    data_says: String,
    data_events: Vec<String>,
    data_decides: bool,
    /// Once answered: (sustained, whose word, evidence, who and when)
    answer: Option<(bool, String, String, String)>,
    sustained: Option<Radios>,
    evidence: Option<Textarea>,
}

#[derive(Template)]
#[template(path = "programme/sustainment.html")]
struct SustainmentPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    episode: String,
    check: SustainmentCheck,
    closed_on: String,
    due_on: String,
    not_due_error: Option<String>,
    outcomes: Vec<OutcomeLine>,
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn sustainment_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: EpisodeId,
    typed: &SustainmentForm,
    errors: &FieldErrors,
    answered_now: bool,
) -> Result<SustainmentPage, WebError> {
    let check = state.hearth.sustainment_check(actor, id).await?;
    let outcomes = check
        .outcomes
        .iter()
        .map(|o| {
            let code = o.outcome.need.code();
            let label = o.outcome.need.label();
            let form = o.answerable;
            OutcomeLine {
                code: code.into(),
                label: label.into(),
                outcome_evidence: o.outcome.outcome_evidence.clone(),
                months: o.outcome.sustain_months,
                due_on: day(o.due_on),
                result: o.result.map_or("Not recorded", |r| r.label()).to_string(),
                closure_evidence: o.closure_evidence.clone(),
                asked: o.asked,
                data_says: o.data_says.clone(),
                data_events: o.data_evidence.iter().map(|e| e.describe()).collect(),
                data_decides: o.data.is_some(),
                answer: o.answer.as_ref().map(|a| {
                    (
                        a.sustained,
                        a.source.label().to_string(),
                        a.evidence.clone(),
                        format!(
                            "{}, {}",
                            a.recorded_by_name,
                            crate::dates::day_of(a.recorded_at)
                        ),
                    )
                }),
                sustained: (form && o.data.is_none()).then(|| {
                    fields::radios(
                        &format!("sustained_{code}"),
                        &format!("{label}: was it sustained?"),
                        vec![
                            ("yes".into(), "Yes, it lasted".into(), None),
                            ("no".into(), "No, it did not last".into(), None),
                        ],
                        typed.sustained.get(code).map_or("", String::as_str),
                        errors,
                    )
                }),
                evidence: form.then(|| {
                    let field = fields::textarea(
                        &format!("evidence_{code}"),
                        &if o.data.is_some() {
                            format!("{label}: anything to add to the data (optional)")
                        } else {
                            format!("{label}: what shows it")
                        },
                        typed.evidence.get(code).map_or("", String::as_str),
                        errors,
                    );
                    fields::with_textarea_hint(field, &o.outcome.outcome_evidence)
                }),
            }
        })
        .collect();
    Ok(SustainmentPage {
        shell: Shell::new(state, visitor, "Were the outcomes sustained?")
            .with_errors(!errors.is_empty()),
        banner: answered_now.then(|| fields::success("The sustainment check has been answered.")),
        error_summary: fields::error_summary(errors),
        episode: id.to_string(),
        closed_on: day(check.closed_on),
        due_on: day(check.due_on),
        not_due_error: errors.get("sustained").map(str::to_string),
        outcomes,
        check,
    })
}

async fn sustainment(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let page = sustainment_page(
        &state,
        &visitor,
        &actor,
        id,
        &SustainmentForm::default(),
        &FieldErrors::new(),
        q.done.as_deref() == Some("answered"),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

async fn answer(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let form = SustainmentForm::from_pairs(&pairs);
    match state.hearth.answer_sustainment(&actor, id, &form).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/episodes/{id}/sustainment?done=answered")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let page =
                sustainment_page(&state, &visitor, &actor, id, &form, &errors, false).await?;
            Ok(render(status_for(true), &page))
        }
        Err(e) => Err(e.into()),
    }
}
