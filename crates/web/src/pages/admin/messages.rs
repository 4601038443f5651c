//! The outbox (`/admin/messages`, ADR 0036): messages waiting, sent and not sent, for
//! administrators (each look is audited by the gate), with "send again" for one not sent.
//! The page never shows a message's words, which may hold a one-time link.

use super::Done;
use crate::components::NotificationBanner;
use crate::dates::UkMoment;
use crate::error::WebError;
use crate::pages::render;
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::messages::outbox::Outbox;
use hearth_domain::ids::MessageId;
use hearth_domain::message::MessageState;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/messages.html")]
struct OutboxPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    state: MessageState,
    outbox: Outbox,
}

#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    state: Option<String>,
}

/// The outbox's messages in one state (waiting, unless another is asked for).
pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(shown): Query<Shown>,
    Query(done): Query<Done>,
) -> Result<Response, WebError> {
    let showing = shown
        .state
        .as_deref()
        .and_then(MessageState::from_code)
        .unwrap_or(MessageState::Queued);
    let outbox = state.hearth.outbox(&actor, showing).await?;
    let page = OutboxPage {
        shell: Shell::new(&state, &visitor, "Messages").at("/admin/messages"),
        banner: done.banner("Message"),
        state: showing,
        outbox,
    };
    Ok(render(StatusCode::OK, &page))
}

/// Sends a message that was not sent again.
pub async fn retry(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: MessageId = id.parse().map_err(|_| WebError::NotFound)?;
    state.hearth.retry_message(&actor, id).await?;
    Ok(Redirect::to("/admin/messages?state=queued&done=retried").into_response())
}
