//! Endpoints for the engineer who runs Hearth.

use crate::metrics;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// 200 while the process is serving.
pub async fn healthz() -> &'static str {
    "ok"
}

/// 200 once the database answers and is migrated; 503 otherwise.
pub async fn readyz(State(state): State<AppState>) -> Response {
    if state.hearth.is_ready().await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database not ready").into_response()
    }
}

/// Prometheus text format, on the public address only to a scraper that sends the token
/// (`metrics_token`); without one it is not there (404). A separate address for it
/// (`metrics_listen`, [`crate::metrics_router`]) needs no token.
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.settings.metrics_token.as_deref() else {
        return crate::error::not_found().await;
    };
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !crate::session::tokens_match(sent, token) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "a bearer token is needed",
        )
            .into_response();
    }
    exposition(State(state)).await
}

/// The metrics, for whoever can reach the address they are served on.
pub async fn exposition(State(state): State<AppState>) -> Response {
    let pool = state.hearth.pool_stats();
    ::metrics::gauge!("db_pool_connections", "state" => "open").set(f64::from(pool.size));
    ::metrics::gauge!("db_pool_connections", "state" => "idle").set(f64::from(pool.idle));
    ::metrics::gauge!("db_pool_connections_max").set(f64::from(pool.max));
    let body = metrics::handle().map(|h| h.render()).unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}
