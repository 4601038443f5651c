//! For the data protection officer: information shared without consent, and on what basis;
//! and every break-glass opening of a record.

use crate::dates::{UkDate, UkMoment};
use crate::error::WebError;
use crate::pages::render;
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hearth_app::records::{ConsentExpiring, SharedWithoutConsent};
use hearth_app::BreakGlassUse;

#[derive(Template)]
#[template(path = "admin/sharing.html")]
struct SharingPage {
    shell: Shell,
    rows: Vec<SharedWithoutConsent>,
    expiring: Vec<ConsentExpiring>,
    expiring_days: i64,
}

pub async fn report(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let rows = state.hearth.sharing_without_consent(&actor).await?;
    let expiring = state.hearth.consents_expiring(&actor).await?;
    let page = SharingPage {
        shell: Shell::new(&state, &visitor, "Sharing without consent").at("/admin/sharing"),
        rows,
        expiring,
        expiring_days: hearth_app::family::consent::EXPIRING_DAYS,
    };
    Ok(render(StatusCode::OK, &page))
}

/// How far back the break-glass report reaches.
const BREAK_GLASS_DAYS: i64 = 90;

#[derive(Template)]
#[template(path = "admin/break_glass.html")]
struct BreakGlassPage {
    shell: Shell,
    days: i64,
    uses: Vec<BreakGlassUse>,
}

pub async fn break_glass(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let uses = state
        .hearth
        .break_glass_report(&actor, BREAK_GLASS_DAYS)
        .await?;
    let page = BreakGlassPage {
        shell: Shell::new(&state, &visitor, "Break-glass openings").at("/admin/break-glass"),
        days: BREAK_GLASS_DAYS,
        uses,
    };
    Ok(render(StatusCode::OK, &page))
}
