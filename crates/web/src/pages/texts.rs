//! The SMS gateway's delivery reports (ADR 0049): Kannel calls the `dlr-url` Hearth gave it
//! for each text, a GET naming the message and carrying a token made for that try. No
//! session and no form, so no CSRF token: the token in the address is the proof, and a wrong
//! one is refused (audited) with the same answer as an unknown message. Rate-limited by
//! address like the API ([`crate::rate_limit::pages`]).

use crate::error::WebError;
use crate::session::Visitor;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use hearth_app::messages::{DeliveryReport, ReportOutcome};

pub fn routes() -> Router<AppState> {
    Router::new().route("/texts/{id}/delivery", get(report))
}

/// Whether a path is a delivery report's, for the rate limiter.
pub fn is_delivery_report(path: &str) -> bool {
    path.starts_with("/texts/") && path.ends_with("/delivery")
}

async fn report(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(report): Query<DeliveryReport>,
) -> Result<Response, WebError> {
    let outcome = state
        .hearth
        .record_text_delivery(&id, &report, visitor.origin().ip.clone())
        .await?;
    Ok(match outcome {
        // The gateway only needs to know it need not call again.
        ReportOutcome::Recorded(_) | ReportOutcome::Ignored => {
            (StatusCode::OK, "recorded").into_response()
        }
        ReportOutcome::Refused => (StatusCode::NOT_FOUND, "not found").into_response(),
    })
}
