//! The Open Referral UK 3.0 API (`/openreferral/`): open, read-only, and usable from any web
//! page (`Access-Control-Allow-Origin: *`, preflights answered). It publishes only the directory, never personal data.

use crate::AppState;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use hearth_app::directory::oruk::{HSDS_VERSION, PROFILE};
use hearth_app::directory::OrukQuery;
use hearth_app::AppError;
use serde::Serialize;
use serde_json::{json, Value};
use std::time::Duration;
use tower_http::cors::{Any, CorsLayer};
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openreferral", get(about))
        .route("/openreferral/", get(about))
        .route("/openreferral/services", get(services))
        .route("/openreferral/services/{id}", get(service))
        .route(
            "/openreferral/service_at_locations",
            get(service_at_locations),
        )
        .route(
            "/openreferral/service_at_locations/{id}",
            get(service_at_location),
        )
        .route("/openreferral/taxonomies", get(taxonomies))
        .route("/openreferral/taxonomies/{id}", get(taxonomy))
        .route("/openreferral/taxonomy_terms", get(terms))
        .route("/openreferral/taxonomy_terms/{id}", get(term))
        // Anything else under the API is answered in the API's language, not with a page.
        .route("/openreferral/{*rest}", any(|| async { not_found() }))
        .layer(axum::middleware::from_fn(cacheable))
        // Any site may read the directory, from a script too: preflights are answered here.
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::HEAD, Method::OPTIONS])
                .allow_headers(Any)
                .max_age(Duration::from_secs(24 * 60 * 60)),
        )
}

/// The directory changes rarely: answers may be cached briefly.
async fn cacheable(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    res
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"error": "not_found", "message": "There is nothing at this address"})),
    )
        .into_response()
}

/// Errors as JSON: a bad query parameter is the caller's to fix (400, naming it).
fn error(e: AppError) -> Response {
    match e {
        AppError::Invalid(fields) => (
            StatusCode::BAD_REQUEST,
            Json(json!({
                "error": "invalid_parameters",
                "message": "Some query parameters are not valid",
                "fields": fields.iter().map(|(f, m)| (f.to_string(), Value::from(m))).collect::<serde_json::Map<_, _>>(),
            })),
        )
            .into_response(),
        AppError::NotFound => not_found(),
        AppError::Busy => crate::admission::busy_json(),
        other => {
            let reference = crate::request_log::reference();
            tracing::error!(detail = %other, "internal error in the Open Referral API");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({"error": "internal", "reference": reference})),
            )
                .into_response()
        }
    }
}

fn answer<T: Serialize>(r: Result<T, AppError>) -> Response {
    match r {
        Ok(v) => Json(v).into_response(),
        Err(e) => error(e),
    }
}

fn id(text: &str) -> Result<Uuid, AppError> {
    text.parse().map_err(|_| AppError::NotFound)
}

async fn about() -> Response {
    Json(json!({
        "version": HSDS_VERSION,
        "profile": PROFILE,
        "openapi_url": "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json",
    }))
    .into_response()
}

async fn services(State(s): State<AppState>, Query(q): Query<OrukQuery>) -> Response {
    answer(s.hearth.oruk_services(&q).await)
}

async fn service(State(s): State<AppState>, Path(i): Path<String>) -> Response {
    match id(&i) {
        Ok(i) => answer(s.hearth.oruk_service(i).await),
        Err(e) => error(e),
    }
}

async fn service_at_locations(State(s): State<AppState>, Query(q): Query<OrukQuery>) -> Response {
    answer(s.hearth.oruk_service_at_locations(&q).await)
}

async fn service_at_location(State(s): State<AppState>, Path(i): Path<String>) -> Response {
    match id(&i) {
        Ok(i) => answer(s.hearth.oruk_service_at_location(i).await),
        Err(e) => error(e),
    }
}

async fn taxonomies(State(s): State<AppState>, Query(q): Query<OrukQuery>) -> Response {
    answer(s.hearth.oruk_taxonomies(&q).await)
}

async fn taxonomy(State(s): State<AppState>, Path(i): Path<String>) -> Response {
    match id(&i) {
        Ok(i) => answer(s.hearth.oruk_taxonomy(i).await),
        Err(e) => error(e),
    }
}

async fn terms(State(s): State<AppState>, Query(q): Query<OrukQuery>) -> Response {
    answer(s.hearth.oruk_terms(&q).await)
}

async fn term(State(s): State<AppState>, Path(i): Path<String>) -> Response {
    match id(&i) {
        Ok(i) => answer(s.hearth.oruk_term(i).await),
        Err(e) => error(e),
    }
}
