//! Children in care (ADR 0034): the placements desk (requests waiting), homes and carers with
//! their vacancies, a child's placements, coming into care, asking for a placement, and a
//! request with the homes ranked for it, placed or recorded as unmet. Every form works
//! without JavaScript.

mod children;
mod homes;
mod import903;
mod providers;
mod requests;
mod ssda903;
mod sufficiency;

use crate::components::NotificationBanner;
use crate::error::WebError;
use crate::fields;
use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/care", get(requests::desk))
        .route("/care/homes", get(homes::list))
        .route("/care/homes/new", get(homes::new_form).post(homes::create))
        .route(
            "/care/homes/{id}",
            get(homes::edit_form).post(homes::update),
        )
        .route(
            "/care/import",
            // A year's files are small, but several years' may pass axum's 2 MB default; the
            // session layer has already read the body within its own limit for uploads.
            get(import903::form)
                .post(import903::import)
                .layer(DefaultBodyLimit::max(21 * crate::session::FORM_LIMIT)),
        )
        .route("/care/providers", get(providers::list))
        .route(
            "/care/providers/new",
            get(providers::new_form).post(providers::create),
        )
        .route(
            "/care/providers/{id}",
            get(providers::edit_form).post(providers::update),
        )
        .route(
            "/care/providers/{id}/contracts",
            post(providers::add_contract),
        )
        .route(
            "/care/providers/{id}/contracts/{contract}/end",
            post(providers::end_contract),
        )
        .route("/care/children", get(children::list))
        .route("/care/children/{id}", get(children::show))
        .route(
            "/care/children/{id}/start",
            get(children::start_form).post(children::start),
        )
        .route(
            "/care/children/{id}/request",
            get(requests::request_form).post(requests::request),
        )
        .route("/care/children/{id}/end", post(children::end))
        .route("/care/children/{id}/end-care", post(children::end_care))
        .route("/care/children/{id}/leaver", post(children::leaver))
        .route(
            "/care/children/{id}/legal-status",
            post(children::legal_status),
        )
        .route("/care/sufficiency", get(sufficiency::show))
        .route("/care/sufficiency.csv", get(sufficiency::csv))
        .route("/care/requests/{id}", get(requests::show))
        .route("/care/requests/{id}/place", post(requests::place))
        .route("/care/requests/{id}/unmet", post(requests::unmet))
        .route("/returns/ssda903", get(ssda903::show))
        .route("/returns/ssda903/{file}", get(ssda903::file))
}

fn id<T: std::str::FromStr>(text: &str) -> Result<T, WebError> {
    text.parse().map_err(|_| WebError::NotFound)
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

impl DoneQuery {
    fn banner(&self, messages: &[(&str, &str)]) -> Option<NotificationBanner> {
        let done = self.done.as_deref()?;
        messages
            .iter()
            .find(|(k, _)| *k == done)
            .map(|(_, m)| fields::success(m))
    }
}

/// Pence as pounds for people to read.
pub fn pounds(pence: &i64) -> String {
    format!("£{}.{:02}", pence / 100, pence % 100)
}

/// Miles to one decimal, or "not known".
pub fn miles(m: &Option<f64>) -> String {
    m.map_or_else(|| "not known".to_string(), |m| format!("{m:.1} miles"))
}

pub fn yes_no(b: &Option<bool>) -> &'static str {
    match b {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "Not known",
    }
}
