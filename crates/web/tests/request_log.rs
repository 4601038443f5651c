//! The request log over real HTTP: an id on every request, kept from a proxy when it is a plain
//! token, on the error page and in the log's lines; no query string in the log; `/metrics`
//! only with its token.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_testkit::server::{Server, METRICS_TOKEN};
use reqwest::StatusCode;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Log lines, as the operator's collector would get them.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn lines(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .lines()
            .map(str::to_string)
            .collect()
    }
}

fn capture_logs() -> Captured {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_env_filter("info")
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();
    captured
}

fn request_id(res: &reqwest::Response) -> String {
    res.headers()["x-request-id"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn every_request_has_an_id_in_its_answer_its_error_page_and_its_log_lines() {
    let logs = capture_logs();
    let (_, store) = hearth_testkit::sqlite().await;
    let s = Server::start(store).await;

    // A new id for each request.
    let a = s.get("/sign-in").await;
    let b = s.get("/sign-in").await;
    assert_eq!(a.status(), StatusCode::OK);
    assert_ne!(request_id(&a), request_id(&b));
    assert_eq!(request_id(&a).len(), 36, "a UUID");

    // The proxy's id is kept; one that is not a plain token is replaced.
    let from_proxy = s
        .client
        .get(s.url("/no-such-page?name=Jordan+Smith"))
        .header("x-request-id", "nginx-4f2a9c")
        .send()
        .await
        .unwrap();
    assert_eq!(from_proxy.status(), StatusCode::NOT_FOUND);
    assert_eq!(request_id(&from_proxy), "nginx-4f2a9c");
    let page = from_proxy.text().await.unwrap();
    assert!(
        page.contains(r#"Reference: <span id="reference">nginx-4f2a9c</span>"#),
        "{page}"
    );
    let junk = s
        .client
        .get(s.url("/sign-in"))
        .header("x-request-id", "evil\" injected=1 x")
        .send()
        .await
        .unwrap();
    assert_ne!(request_id(&junk), "evil\" injected=1 x");

    // The line for the request names it, its method, path and status, and nothing of the
    // query.
    let lines = logs.lines();
    let line = lines
        .iter()
        .find(|l| l.contains("request_id=nginx-4f2a9c") && l.contains("answered"))
        .unwrap_or_else(|| panic!("no line for the request: {lines:#?}"));
    assert!(line.contains("method=GET"), "{line}");
    assert!(line.contains("path=/no-such-page"), "{line}");
    assert!(line.contains("status=404"), "{line}");
    assert!(
        lines.iter().all(|l| !l.contains("Jordan")),
        "a name searched for reached the log: {lines:#?}"
    );

    // /metrics only to a scraper with the token.
    assert_eq!(s.get("/metrics").await.status(), StatusCode::UNAUTHORIZED);
    let wrong = s
        .client
        .get(s.url("/metrics"))
        .bearer_auth("not-the-token-at-all")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let right = s
        .client
        .get(s.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::OK);
    assert!(right.text().await.unwrap().contains("http_requests_total"));
}

#[tokio::test]
async fn without_a_metrics_token_the_public_address_has_no_metrics() {
    let (_, store) = hearth_testkit::sqlite().await;
    let s = Server::start_with_settings(store, |w| w.metrics_token = None).await;
    let res = s
        .client
        .get(s.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
