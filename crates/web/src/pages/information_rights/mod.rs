//! The data protection officer's pages: the subject access queue, logging a request, the
//! review (what was gathered, what to leave out), extending, releasing and downloading (HTML,
//! PDF, JSON), and the report of who viewed one person's data.

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
