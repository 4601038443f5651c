//! Ending the family's help: the page to record the closure, the manager's page to sign it
//! off or send it back, and, once closed, the family's feedback.

use super::{answer, episode_id, SectionQuery};
use crate::components::{ErrorSummary, NotificationBanner, Radios, Textarea};
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::feedback::{feedback_lines, FeedbackLine};
use crate::pages::render;
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hearth_app::episodes::{ClosureForm, EpisodeView, SignOff};
use hearth_app::Actor;
use hearth_domain::episode::{ClosureReason, NeedResult};
use hearth_domain::ids::EpisodeId;
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "episodes/close.html")]
struct ClosePage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    back: String,
    view: EpisodeView,
    reason: Radios,
    /// Per need: how far it was met, and what shows it.
    results: Vec<(Radios, Textarea)>,
    summary: Textarea,
}

async fn close_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: EpisodeId,
    typed: &ClosureForm,
    errors: FieldErrors,
) -> Result<ClosePage, WebError> {
    let errors = &errors;
    let view = state
        .hearth
        .episode_section(actor, id, |m| m.manage, 1)
        .await?;
    Ok(ClosePage {
        shell: Shell::new(state, visitor, "Close the episode")
            .at("/")
            .with_errors(!errors.is_empty()),
        banner: None,
        error_summary: fields::error_summary(errors),
        back: format!("/episodes/{id}"),
        reason: fields::radios(
            "reason",
            "Why is the family's help ending?",
            ClosureReason::ALL
                .iter()
                .map(|r| (r.code().to_string(), r.label().to_string(), None))
                .collect(),
            &typed.reason,
            errors,
        ),
        results: view
            .needs
            .iter()
            .map(|(d, _)| {
                let evidence = fields::textarea(
                    &format!("evidence_{}", d.code()),
                    &format!("{}: what shows it (optional)", d.label()),
                    typed.evidence.get(d.code()).map_or("", String::as_str),
                    errors,
                );
                (
                    fields::radios(
                        &format!("result_{}", d.code()),
                        &format!("{}: how far was the need met?", d.label()),
                        NeedResult::ALL
                            .iter()
                            .map(|r| (r.code().to_string(), r.label().to_string(), None))
                            .collect(),
                        typed
                            .results
                            .get(d.code())
                            .map(String::as_str)
                            .unwrap_or(""),
                        errors,
                    ),
                    fields::with_textarea_hint(
                        evidence,
                        "For example, the school's attendance, or what the family say has changed. \
                         It is read again when whether the outcome lasted is checked.",
                    ),
                )
            })
            .collect(),
        summary: fields::textarea("summary", "Closure summary", &typed.summary, errors),
        view,
    })
}

pub async fn close_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let page = close_page(
        &state,
        &visitor,
        &actor,
        id,
        &ClosureForm::default(),
        FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn close(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let f = ClosureForm::from_pairs(&pairs);
    let result = state.hearth.record_closure(&actor, id, &f).await;
    answer(result, &format!("/episodes/{id}"), "closure", |errors| {
        close_page(&state, &visitor, &actor, id, &f, errors)
    })
    .await
}

#[derive(Template)]
#[template(path = "episodes/sign_off.html")]
struct SignOffPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    back: String,
    view: EpisodeView,
    send_back_reason: Textarea,
}

async fn sign_off_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: EpisodeId,
    send_back_reason: &str,
    errors: FieldErrors,
) -> Result<SignOffPage, WebError> {
    let errors = &errors;
    let view = state
        .hearth
        .episode_section(actor, id, |m| m.sign_off, 1)
        .await?;
    Ok(SignOffPage {
        shell: Shell::new(state, visitor, "Sign off the closure")
            .at("/")
            .with_errors(!errors.is_empty()),
        banner: None,
        error_summary: fields::error_summary(errors),
        back: format!("/episodes/{id}"),
        send_back_reason: fields::with_textarea_hint(
            fields::textarea(
                "send_back_reason",
                "If you send it back: why, and what the lead should change",
                send_back_reason,
                errors,
            ),
            "Needed to send it back; the lead sees it in the family's chronology.",
        ),
        view,
    })
}

pub async fn sign_off_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let page = sign_off_page(&state, &visitor, &actor, id, "", FieldErrors::new()).await?;
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct SignOffForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    send_back_reason: String,
    #[serde(default)]
    version: i64,
}

pub async fn sign_off(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<SignOffForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let decision = SignOff::from_form(&f.decision, &f.send_back_reason);
    let approve = decision.approves();
    match state
        .hearth
        .decide_closure(&actor, id, &decision, f.version)
        .await
    {
        // Signed off: the family's feedback link is shown now, the only time it can be.
        Ok(Some(link)) => Ok(crate::pages::feedback::letter(
            &state,
            &visitor,
            &headers,
            &link,
            "The closure has been signed off. The episode has ended.",
        )),
        result => {
            let done = if approve { "signed_off" } else { "returned" };
            answer(
                result.map(|_| ()),
                &format!("/episodes/{id}"),
                done,
                |errors| sign_off_page(&state, &visitor, &actor, id, &f.send_back_reason, errors),
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "episodes/feedback.html")]
struct FeedbackPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    back: String,
    view: EpisodeView,
    feedback: Vec<FeedbackLine>,
}

/// What the family said about their help, once it ended.
pub async fn feedback(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<SectionQuery>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let view = state.hearth.episode(&actor, id).await?;
    Ok(render(
        StatusCode::OK,
        &FeedbackPage {
            shell: Shell::new(&state, &visitor, "The family's feedback").at("/"),
            banner: q.banner(),
            error_summary: None,
            back: format!("/episodes/{id}"),
            feedback: feedback_lines(&view.feedback, state.hearth.now()),
            view,
        },
    ))
}
