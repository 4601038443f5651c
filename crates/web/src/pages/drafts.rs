//! A kept form brought back after signing in again: in its own page where that page can
//! show it (a case note on its episode, a request for support in its form), else on a page
//! to check and send. Never sent for the user: they read it and send it themselves, with the
//! new session's token.

use crate::error::WebError;
use crate::form::{ResubmitPage, ResumedForm};
use crate::pages::{episodes, requests};
use crate::session::{cookie_value, tokens_match, SignedIn, Visitor, DRAFT_COOKIE};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let held_here = tokens_match(cookie_value(&headers, DRAFT_COOKIE), &token);
    let Some(kept) = state
        .hearth
        .take_draft(&actor, &token, held_here, visitor.origin())
        .await?
    else {
        return Err(WebError::NotFound);
    };
    if let Some(page) = episodes::kept_note(&state, &visitor, &actor, &kept).await? {
        return Ok(page);
    }
    if let Some(page) = requests::kept_request(&state, &visitor, &actor, &kept).await? {
        return Ok(page);
    }
    let mut res = ResubmitPage::after_sign_in(&state, &visitor, ResumedForm::from_kept(&kept))
        .into_response();
    *res.status_mut() = StatusCode::OK;
    Ok(res)
}
