//! Admission: how many requests Hearth works on at once, and how long a request may wait for
//! its turn. One that waits longer is turned away with 503 and `Retry-After` at once, instead of
//! queueing until the database pool gives up with an error: past its capacity the server goes
//! on answering the requests it admits at speed and tells the rest plainly to try again.
//! Health checks, metrics and static files are not admitted through here (see the router), so
//! an overloaded server still reports on itself.

use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Seconds a turned-away caller is asked to wait before trying again.
const RETRY_AFTER_SECONDS: u64 = 5;

/// The turns to work on requests: `max_in_flight` at once, each caller waiting at most
/// `max_wait` for one. Cheap to clone.
#[derive(Clone)]
pub struct Admission {
    turns: Arc<Semaphore>,
    max_wait: Duration,
}

impl Admission {
    pub fn new(max_in_flight: usize, max_wait: Duration) -> Self {
        Self {
            turns: Arc::new(Semaphore::new(max_in_flight)),
            max_wait,
        }
    }

    /// A turn, held until dropped, or `None` when none came free within the wait. Waiting
    /// callers are served first come, first served.
    async fn turn(&self) -> Option<OwnedSemaphorePermit> {
        tokio::time::timeout(self.max_wait, self.turns.clone().acquire_owned())
            .await
            .ok()?
            .ok()
    }

    /// Runs the request in a turn, or turns it away: a page for people, JSON for the APIs.
    async fn admit(&self, req: Request, next: Next) -> Response {
        let json = wants_json(req.uri().path());
        match self.turn().await {
            Some(_turn) => next.run(req).await,
            None => {
                metrics::counter!("http_requests_turned_away_total").increment(1);
                if json {
                    busy_json()
                } else {
                    WebError::Busy.into_response()
                }
            }
        }
    }
}

/// The middleware: the request runs while it holds a turn.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    state.admission.admit(req, next).await
}

/// The JSON APIs answer in JSON; every other path is a page.
fn wants_json(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/openreferral")
}

/// Adds `Retry-After` to a "busy" answer.
pub fn retry_later(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
    res
}

/// The JSON APIs' body when Hearth is too busy to take the request.
pub fn busy_body() -> Value {
    json!({
        "error": "busy",
        "message": busy_message(),
    })
}

/// What the JSON APIs say when Hearth is too busy to take the request.
pub fn busy_message() -> String {
    format!("The service is busy. Nothing was changed; try again in {RETRY_AFTER_SECONDS} seconds.")
}

/// The JSON APIs' answer when Hearth is too busy to take the request.
pub fn busy_json() -> Response {
    retry_later((StatusCode::SERVICE_UNAVAILABLE, Json(busy_body())).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use axum::Router;
    use tokio::sync::Notify;
    use tower::ServiceExt;

    /// A router whose one page waits until `release` is notified, behind an admission of one
    /// turn and a 50 ms wait.
    fn app(release: Arc<Notify>) -> Router {
        let admission = Admission::new(1, Duration::from_millis(50));
        Router::new()
            .route(
                "/slow",
                get(move || {
                    let release = release.clone();
                    async move {
                        release.notified().await;
                        "done"
                    }
                }),
            )
            .route("/api/v1/slow", get(|| async { "api" }))
            .layer(axum::middleware::from_fn(
                move |req: Request, next: Next| {
                    let admission = admission.clone();
                    async move { admission.admit(req, next).await }
                },
            ))
    }

    fn get_request(path: &str) -> Request {
        Request::builder()
            .uri(path)
            .body(Body::empty())
            .expect("a request")
    }

    /// The body of the answer to `path`, which must be 503 with `Retry-After: 5`.
    async fn turned_away(app: &Router, path: &str) -> axum::body::Bytes {
        let res = app
            .clone()
            .oneshot(get_request(path))
            .await
            .expect("an answer");
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_eq!(res.headers()[header::RETRY_AFTER], "5", "{path}");
        axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .expect("the body")
    }

    #[tokio::test]
    async fn past_its_turns_a_request_is_turned_away_with_retry_after_and_the_next_gets_in() {
        let release = Arc::new(Notify::new());
        let app = app(release.clone());
        let first = tokio::spawn(app.clone().oneshot(get_request("/slow")));
        // Let the first request take the one turn.
        tokio::time::sleep(Duration::from_millis(20)).await;

        let page = turned_away(&app, "/slow").await;
        let body = String::from_utf8_lossy(&page);
        assert!(body.contains("very busy"), "{body}");
        assert!(body.contains("not been saved"), "{body}");

        let api = turned_away(&app, "/api/v1/slow").await;
        let body: serde_json::Value = serde_json::from_slice(&api).expect("JSON");
        assert_eq!(body["error"], "busy");

        release.notify_one();
        let first = first.await.expect("the task").expect("an answer");
        assert_eq!(first.status(), StatusCode::OK);
        // The turn came back: the next request is served.
        let next = app
            .oneshot(get_request("/api/v1/slow"))
            .await
            .expect("an answer");
        assert_eq!(next.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn a_request_waits_for_a_turn_that_comes_free_within_the_wait() {
        let admission = Admission::new(1, Duration::from_secs(5));
        let held = admission.turn().await.expect("the first turn");
        let waiting = tokio::spawn({
            let admission = admission.clone();
            async move { admission.turn().await.is_some() }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(held);
        assert!(waiting.await.expect("the task"));
    }
}
