//! Practice support: the Threshold of Need (read beside the request form and the decision,
//! printed as the partnership's document, and published by those who write guidance), the
//! toolkits, challenges to front-door decisions, and consultations with TAF Workers.

mod challenges;
mod consultations;
mod threshold;
mod toolkits;

pub use challenges::RequestChallenges;
pub use threshold::ThresholdAside;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

/// Days a challenge's stage took, for the templates.
pub fn days(
    started: &chrono::NaiveDate,
    ended: &Option<chrono::NaiveDate>,
    today: &chrono::NaiveDate,
) -> i64 {
    hearth_domain::disagreement::days_taken(*started, *ended, *today)
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/threshold", get(threshold::show))
        .route(
            "/threshold/edit",
            get(threshold::edit_form).post(threshold::publish),
        )
        .route("/toolkits", get(toolkits::search))
        .route(
            "/toolkits/new",
            get(toolkits::new_form).post(toolkits::create),
        )
        .route("/toolkits/{id}", get(toolkits::show))
        .route(
            "/toolkits/{id}/edit",
            get(toolkits::edit_form).post(toolkits::publish),
        )
        .route(
            "/requests/{id}/challenges",
            get(challenges::list).post(challenges::raise),
        )
        .route("/requests/{id}/challenges/new", get(challenges::raise_form))
        .route(
            "/requests/{id}/challenges/{challenge}",
            post(challenges::update),
        )
        .route("/challenges", get(challenges::figures))
        .route("/episodes/{id}/advice", get(consultations::on_episode))
        .route(
            "/episodes/{id}/advice/new",
            get(consultations::ask_form).post(consultations::ask),
        )
        .route("/hub/consultations", get(consultations::queue))
        .route("/hub/consultations/{id}", post(consultations::answer))
}
