//! Error pages that say what happened in plain words and reveal nothing internal.

use crate::shell::Shell;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use hearth_app::AppError;

#[derive(Debug)]
pub enum WebError {
    BadRequest(String),
    /// Refused by the gate, which recorded it (only the gate makes a [`Refusal`]).
    Forbidden(hearth_app::Refusal),
    /// A restricted record: the person's page asks for the reason first.
    ReasonNeeded(hearth_domain::ids::PersonId),
    NotFound,
    /// Hearth is overloaded; nothing was done (503 with `Retry-After`).
    Busy,
    /// Over a rate limit; nothing was done (429; the caller adds `Retry-After`).
    TooManyRequests(std::time::Duration),
    /// Logged with a reference; the page shows only the reference.
    Internal(String),
}

/// What an error page said, kept on its response so that on a family's pages it is said
/// again in the family's language (`pages::family_refusals`).
#[derive(Debug, Clone)]
pub enum ShownError {
    BadRequest,
    Forbidden,
    NotFound,
    Busy,
    TooManyRequests,
    Internal,
    /// A form whose CSRF token was missing or wrong: nothing was done; what was typed.
    FormRefused(crate::form::ResumedForm),
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Forbidden(r) => WebError::Forbidden(r),
            AppError::ReasonNeeded { id, .. } => WebError::ReasonNeeded(id),
            AppError::NotFound => WebError::NotFound,
            AppError::Invalid(_) => WebError::BadRequest("Check your answers and try again.".into()),
            AppError::Busy => WebError::Busy,
            AppError::Conflict => WebError::BadRequest(
                "Someone else changed this record while you were working on it. Go back, reload it and make your change again.".into(),
            ),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(format!("rendering a page: {e}"))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    shell: Shell,
    heading: String,
    paragraphs: Vec<String>,
    /// The request's id, which leads to its lines in the log.
    reference: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let shown = match &self {
            WebError::BadRequest(_) => ShownError::BadRequest,
            WebError::Forbidden(_) => ShownError::Forbidden,
            WebError::ReasonNeeded(_) | WebError::NotFound => ShownError::NotFound,
            WebError::Busy => ShownError::Busy,
            WebError::TooManyRequests(_) => ShownError::TooManyRequests,
            WebError::Internal(_) => ShownError::Internal,
        };
        let (status, heading, paragraphs) = match self {
            WebError::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                "Sorry, there is a problem with what was sent".to_string(),
                vec![message],
            ),
            WebError::ReasonNeeded(id) => {
                return axum::response::Redirect::to(&format!("/people/{id}")).into_response()
            }
            WebError::Forbidden(_) => (
                StatusCode::FORBIDDEN,
                "You do not have permission to see this page".to_string(),
                vec![
                    "Your account does not allow this. If you need it for your work, ask your team manager or administrator.".into(),
                    "This attempt has been recorded.".into(),
                ],
            ),
            WebError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found".to_string(),
                vec![
                    "If you typed the web address, check it is correct.".into(),
                    "If you pasted the web address, check you copied the entire address.".into(),
                ],
            ),
            WebError::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Hearth is very busy at the moment".to_string(),
                vec![
                    "Wait a few seconds, then try again.".into(),
                    "If you were saving something, it has not been saved: go back and send it again. Anything you had already saved is safe.".into(),
                ],
            ),
            WebError::TooManyRequests(wait) => (
                StatusCode::TOO_MANY_REQUESTS,
                "You have made too many requests in a short time".to_string(),
                vec![
                    format!(
                        "Wait {} and try again. Nothing was done or saved.",
                        match wait.as_secs() {
                            0..=60 => "a minute".to_string(),
                            s => format!("about {} minutes", s.div_ceil(60)),
                        }
                    ),
                    "Hearth limits how fast anyone can search and sign in, to protect the people whose records it holds. This has been recorded.".into(),
                ],
            ),
            WebError::Internal(detail) => {
                // The request's id is on the log's lines already; the page shows it below.
                tracing::error!(%detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Sorry, there is a problem with the service".to_string(),
                    vec![
                        "Try again later. Anything you had already saved is safe.".into(),
                        "If it keeps happening, tell your administrator and give them the reference below.".into(),
                    ],
                )
            }
        };
        let busy = status == StatusCode::SERVICE_UNAVAILABLE;
        let page = ErrorPage {
            shell: Shell::for_error(&heading),
            heading,
            paragraphs,
            reference: crate::request_log::reference(),
        };
        let mut res = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => status.into_response(),
        };
        res.extensions_mut().insert(shown);
        if busy {
            crate::admission::retry_later(res)
        } else {
            res
        }
    }
}

/// The fallback for routes that do not exist.
pub async fn not_found() -> Response {
    WebError::NotFound.into_response()
}
