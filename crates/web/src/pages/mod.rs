//! One module per area of the site; each handler parses, calls a use case, renders.

pub mod account;
pub mod admin;
pub mod care;
pub mod directory;
pub mod documents;
pub mod drafts;
pub mod episodes;
pub mod family_asks;
pub mod family_frame;
pub mod family_refusals;
pub mod feedback;
pub mod find;
pub mod home;
pub mod hubs;
pub mod identification;
pub mod information_rights;
pub mod ops;
pub mod own;
pub mod passkeys;
pub mod people;
pub mod person_details;
pub mod places;
pub mod plans;
pub mod practice;
pub mod programme;
pub mod quality;
pub mod reports;
pub mod requests;
pub mod returns;
pub mod second_factor;
pub mod service_requests;
pub mod sign_in;
pub mod site_pages;
pub mod team;
pub mod texts;
pub mod training;
pub mod voice;

use crate::error::WebError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// Renders a page template with a status.
pub fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

/// 200 for a first view; 422 when the page is showing problems with what was sent.
pub fn status_for(has_errors: bool) -> StatusCode {
    if has_errors {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}
