//! Endpoints for the engineer who runs Hearth.

use crate::metrics;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
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

/// Prometheus text format.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let pool = state.hearth.pool_stats();
    ::metrics::gauge!("db_pool_connections", "state" => "open").set(f64::from(pool.size));
    ::metrics::gauge!("db_pool_connections", "state" => "idle").set(f64::from(pool.idle));
    ::metrics::gauge!("db_pool_connections_max").set(f64::from(pool.max));
    let body = metrics::handle().map(|h| h.render()).unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}
