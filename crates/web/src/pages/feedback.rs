//! The family's feedback: the invitation letter a practitioner gives the family (shown once,
//! when the link is made), the short public page the family answer on (no sign-in), and the
//! answers as the episode page shows them.

use crate::components::{Button, ErrorSummary, NotificationBanner, Radios, Textarea};
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use hearth_app::episodes::feedback::{FeedbackForm, FeedbackLink, Invitation};
use hearth_app::AppError;
use hearth_domain::feedback::{rating_label, LinkProblem, RATINGS};
use hearth_domain::input::FieldErrors;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/episodes/{id}/feedback-link", post(new_link))
        .route("/feedback/{token}", get(ask).post(answer))
}

fn day(t: DateTime<Utc>) -> String {
    t.format("%-d %B %Y").to_string()
}

/// One invitation as the episode page lists it.
pub struct FeedbackLine {
    /// Who made the link and when, and where it stands.
    pub invitation: String,
    /// What the family said: (rating, what changed, anything else).
    pub answer: Option<(String, String, String)>,
}

pub fn feedback_lines(list: &[Invitation], now: DateTime<Utc>) -> Vec<FeedbackLine> {
    list.iter()
        .map(|i| {
            let standing = match (&i.answer, i.withdrawn_at) {
                (Some(a), _) => format!("answered on {}", day(a.at)),
                (None, Some(_)) => "replaced by a newer link".into(),
                (None, None) if i.expires_at <= now => {
                    format!("not answered; the link expired on {}", day(i.expires_at))
                }
                (None, None) => format!(
                    "not answered yet; the link works until {}",
                    day(i.expires_at)
                ),
            };
            FeedbackLine {
                invitation: format!(
                    "Link made by {} on {}: {standing}",
                    i.created_by_name,
                    day(i.created_at)
                ),
                answer: i.answer.as_ref().map(|a| {
                    (
                        rating_label(a.rating).unwrap_or_default().to_string(),
                        a.what_changed.clone(),
                        a.anything_else.clone().unwrap_or_default(),
                    )
                }),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "feedback/letter.html")]
struct LetterPage {
    shell: Shell,
    /// What was just done, e.g. the sign-off.
    banner: Option<NotificationBanner>,
    episode: String,
    url: String,
    expires: String,
}

/// The invitation to give the family: the whole address, since they will type or tap it.
pub fn letter(
    state: &AppState,
    visitor: &Visitor,
    headers: &HeaderMap,
    link: &FeedbackLink,
    done: &str,
) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.settings.secure {
        "https"
    } else {
        "http"
    };
    render(
        StatusCode::OK,
        &LetterPage {
            shell: Shell::new(state, visitor, "The family's feedback invitation"),
            banner: Some(fields::success(done)),
            episode: link.episode.to_string(),
            url: format!("{scheme}://{host}{}", link.path),
            expires: day(link.expires_at),
        },
    )
}

async fn new_link(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id.parse().map_err(|_| WebError::NotFound)?;
    let link = state.hearth.new_feedback_link(&actor, id).await?;
    Ok(letter(
        &state,
        &visitor,
        &headers,
        &link,
        "A new feedback link has been made. The family's old link no longer works.",
    ))
}

#[derive(Template)]
#[template(path = "feedback/ask.html")]
struct AskPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    token: String,
    rating: Radios,
    what_changed: Textarea,
    anything_else: Textarea,
    send: Button,
}

#[derive(Template)]
#[template(path = "feedback/done.html")]
struct DonePage {
    shell: Shell,
    heading: String,
    message: String,
}

fn ask_page(
    state: &AppState,
    visitor: &Visitor,
    token: &str,
    form: &FeedbackForm,
    errors: &FieldErrors,
) -> AskPage {
    AskPage {
        shell: Shell::new(state, visitor, "Tell us about the help you had")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        token: token.to_string(),
        rating: fields::radios(
            "rating",
            "How was the help your family had?",
            RATINGS
                .iter()
                .map(|(r, l)| (r.to_string(), l.to_string(), None))
                .collect(),
            &form.rating,
            errors,
        ),
        what_changed: fields::with_textarea_hint(
            fields::textarea(
                "what_changed",
                "What has changed for your family?",
                &form.what_changed,
                errors,
            ),
            "Say it in your own words. It is fine if not much has changed.",
        ),
        anything_else: fields::textarea(
            "anything_else",
            "Is there anything else you want to tell us? (optional)",
            &form.anything_else,
            errors,
        ),
        send: fields::submit("Send"),
    }
}

fn done(
    state: &AppState,
    visitor: &Visitor,
    status: StatusCode,
    heading: &str,
    message: &str,
) -> Response {
    render(
        status,
        &DonePage {
            shell: Shell::new(state, visitor, heading),
            heading: heading.into(),
            message: message.into(),
        },
    )
}

fn refused(state: &AppState, visitor: &Visitor, problem: LinkProblem) -> Response {
    done(
        state,
        visitor,
        StatusCode::GONE,
        "This link cannot be used",
        problem.message(),
    )
}

async fn ask(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    Ok(match state.hearth.feedback_link(&token).await? {
        Ok(()) => render(
            StatusCode::OK,
            &ask_page(
                &state,
                &visitor,
                &token,
                &FeedbackForm::default(),
                &FieldErrors::new(),
            ),
        ),
        Err(problem) => refused(&state, &visitor, problem),
    })
}

async fn answer(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form<FeedbackForm>,
) -> Result<Response, WebError> {
    match state
        .hearth
        .give_feedback(&token, &form, visitor.origin())
        .await
    {
        Ok(Ok(())) => Ok(done(
            &state,
            &visitor,
            StatusCode::OK,
            "Thank you",
            "We have your answers. They help us make help better for other families.",
        )),
        Ok(Err(problem)) => Ok(refused(&state, &visitor, problem)),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &ask_page(&state, &visitor, &token, &form, &errors),
        )),
        Err(e) => Err(e.into()),
    }
}
