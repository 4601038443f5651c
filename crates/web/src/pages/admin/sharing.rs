//! For the data protection officer: information shared without consent, and on what basis.

use crate::error::WebError;
use crate::pages::render;
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hearth_app::records::SharedWithoutConsent;

#[derive(Template)]
#[template(path = "admin/sharing.html")]
struct SharingPage {
    shell: Shell,
    rows: Vec<SharedWithoutConsent>,
}

pub async fn report(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let rows = state.hearth.sharing_without_consent(&actor).await?;
    let page = SharingPage {
        shell: Shell::new(&state, &visitor, "Sharing without consent").at("/admin/sharing"),
        rows,
    };
    Ok(render(StatusCode::OK, &page))
}
