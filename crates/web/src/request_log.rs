//! One log line per request, and a request id on it, on every line logged while the request is
//! worked on, in the `X-Request-Id` answer header and on error pages, so a user's "it went
//! wrong, reference …" leads to the lines. Built from tower-http's request-id and trace layers.
//!
//! What is logged is the method, the path and the status: never a query string (people search
//! by name in it), a body or a header; and for routes whose path carries a secret (the
//! family's one-time feedback link), the route's pattern instead of the path.

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, Response};
use axum::middleware::Next;
use axum::Router;
use std::time::Duration;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;
use tracing::Span;

const HEADER: HeaderName = HeaderName::from_static("x-request-id");

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being answered, for error pages and error answers to show; outside
/// a request (a test calling a handler directly), a new one.
pub fn reference() -> String {
    REQUEST_ID
        .try_with(Clone::clone)
        .unwrap_or_else(|_| uuid::Uuid::new_v4().to_string())
}

/// Wraps the whole application (outermost, so every answer has an id and a line).
pub fn around<S: Clone + Send + Sync + 'static>(app: Router<S>) -> Router<S> {
    app.layer(axum::middleware::from_fn(scope))
        .layer(PropagateRequestIdLayer::new(HEADER))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req
                        .headers()
                        .get(HEADER)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    tracing::info_span!(
                        "request",
                        request_id = %id,
                        method = %req.method(),
                        path = %loggable_path(req),
                    )
                })
                .on_request(())
                .on_response(|res: &Response<_>, latency: Duration, _: &Span| {
                    tracing::info!(
                        status = res.status().as_u16(),
                        ms = latency.as_secs_f64() * 1000.0,
                        "answered"
                    );
                })
                .on_failure(()),
        )
        .layer(SetRequestIdLayer::new(HEADER, MakeRequestUuid))
        .layer(axum::middleware::from_fn(drop_unusable_id))
}

/// The path, unless the route's pattern names a secret.
fn loggable_path(req: &Request) -> &str {
    match req.extensions().get::<MatchedPath>() {
        Some(route) if route.as_str().contains("{token}") => route.as_str(),
        _ => req.uri().path(),
    }
}

/// An id a reverse proxy gave (`proxy_set_header X-Request-Id $request_id`) is kept, so its
/// log and ours agree; anything that is not a short plain token is replaced, so a client
/// cannot write what it likes into the log.
async fn drop_unusable_id(mut req: Request, next: Next) -> axum::response::Response {
    let usable = |v: &HeaderValue| {
        let b = v.as_bytes();
        !b.is_empty()
            && b.len() <= 64
            && b.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
    };
    if req.headers().get(HEADER).is_some_and(|v| !usable(v)) {
        req.headers_mut().remove(HEADER);
    }
    next.run(req).await
}

/// Makes the id reachable from the handlers' error answers.
async fn scope(req: Request, next: Next) -> axum::response::Response {
    let id = req
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or_default()
        .to_string();
    REQUEST_ID.scope(id, next.run(req)).await
}
