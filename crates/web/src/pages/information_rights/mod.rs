//! The data protection officer's pages: the subject access queue, logging a request, the
//! review (what was gathered, what to leave out), extending, releasing and downloading (HTML,
//! PDF, JSON), the report of who viewed one person's data; retention (the schedule, runs to
//! review and approve, legal holds) and erasure and restriction requests.

mod erasure;
pub mod retention;
mod subject_access;
mod viewers;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/information-rights", get(subject_access::queue))
        .route(
            "/information-rights/new",
            get(subject_access::new_form).post(subject_access::log),
        )
        .route("/information-rights/viewers", get(viewers::report))
        .route("/information-rights/retention", get(retention::overview))
        .route("/information-rights/retention/runs", post(retention::list))
        .route(
            "/information-rights/retention/holds/new",
            get(retention::hold_form).post(retention::place_hold),
        )
        .route(
            "/information-rights/retention/holds/{id}/lift",
            post(retention::lift_hold),
        )
        .route("/information-rights/retention/{id}", get(retention::run))
        .route(
            "/information-rights/retention/{id}/approve",
            post(retention::approve),
        )
        .route("/information-rights/erasure", get(erasure::list))
        .route(
            "/information-rights/erasure/new",
            get(erasure::new_form).post(erasure::log),
        )
        .route("/information-rights/erasure/{id}", get(erasure::request))
        .route(
            "/information-rights/erasure/{id}/decide",
            post(erasure::decide),
        )
        .route("/information-rights/{id}", get(subject_access::review))
        .route(
            "/information-rights/{id}/left-out",
            post(subject_access::redact),
        )
        .route(
            "/information-rights/{id}/extend",
            get(subject_access::extend_form).post(subject_access::extend),
        )
        .route(
            "/information-rights/{id}/release",
            post(subject_access::release),
        )
        .route(
            "/information-rights/{id}/document",
            get(subject_access::document_html),
        )
        .route(
            "/information-rights/{id}/document.pdf",
            get(subject_access::document_pdf),
        )
        .route(
            "/information-rights/{id}/document.json",
            get(subject_access::document_json),
        )
}
