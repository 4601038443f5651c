//! The web app on a real port, seeded with the demo, and a browser-like client for it.

use crate::app::{hearth, hearth_with_clock, Clock, PASSWORD};
use chrono::Duration;
use hearth_app::{Hearth, Policies, Store};
use hearth_web::{router, AppState, RateLimitSettings, WebSettings};
use reqwest::redirect::Policy;
use reqwest::StatusCode;

/// The token test servers want for `/metrics`.
pub const METRICS_TOKEN: &str = "test-metrics-token";

/// A running server and one browser on it (cookies kept, redirects not followed).
#[derive(Clone)]
pub struct Server {
    pub base: String,
    pub client: reqwest::Client,
    pub hearth: Hearth,
    now: Option<Clock>,
}

impl Server {
    /// On the real clock.
    pub async fn start(store: Store) -> Self {
        Self::serve(hearth(store).await, None).await
    }

    /// On a clock that stands still until [`Server::advance`] moves it.
    pub async fn start_with_clock(store: Store) -> Self {
        let (h, now) = hearth_with_clock(store).await;
        Self::serve(h, Some(now)).await
    }

    /// On a clock that stands still, with settings of the test's choosing.
    pub async fn start_with_settings(store: Store, change: impl FnOnce(&mut WebSettings)) -> Self {
        let (h, now) = hearth_with_clock(store).await;
        let mut settings = Self::settings();
        change(&mut settings);
        Self::serve_with(h, Some(now), settings).await
    }

    /// With a Hearth the test made (its own policies; the demo seeded by the test).
    pub async fn start_hearth(hearth: Hearth) -> Self {
        Self::serve(hearth, None).await
    }

    /// The web settings every test server starts from.
    pub fn settings() -> WebSettings {
        WebSettings {
            partnership_name: "Test Partnership".into(),
            secure: false,
            trust_proxy: false,
            trusted_proxies: 1,
            rate_limits: RateLimitSettings::default(),
            max_in_flight: 64,
            max_queue_wait: std::time::Duration::from_secs(2),
            metrics_token: Some(METRICS_TOKEN.into()),
            site_pages_dir: None,
            privacy_contact: None,
            accessibility_contact: None,
        }
    }

    async fn serve(hearth: Hearth, now: Option<Clock>) -> Self {
        Self::serve_with(hearth, now, Self::settings()).await
    }

    /// On a clock that stands still, with policies of the test's choosing; the closure is
    /// given the server's own address (for `public_url`) before it starts.
    pub async fn start_with_policies(
        store: Store,
        change: impl FnOnce(&mut Policies, &str),
    ) -> Self {
        let listener = Self::listener().await;
        let base = format!(
            "http://{}",
            listener.local_addr().expect("the bound address")
        );
        let mut policies = Policies::default();
        change(&mut policies, &base);
        let now: Clock = std::sync::Arc::new(std::sync::Mutex::new(chrono::Utc::now()));
        let clock = now.clone();
        let h = Hearth::with_clock(
            store,
            policies,
            std::sync::Arc::new(move || *clock.lock().expect("clock lock")),
        );
        h.seed_demo(PASSWORD).await.expect("seed the demo");
        Self::serve_on(listener, h, Some(now), Self::settings()).await
    }

    async fn listener() -> tokio::net::TcpListener {
        tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a free port")
    }

    async fn serve_with(hearth: Hearth, now: Option<Clock>, settings: WebSettings) -> Self {
        Self::serve_on(Self::listener().await, hearth, now, settings).await
    }

    async fn serve_on(
        listener: tokio::net::TcpListener,
        hearth: Hearth,
        now: Option<Clock>,
        settings: WebSettings,
    ) -> Self {
        hearth_web::install_metrics();
        let app = router(AppState::new(hearth.clone(), settings));
        let addr = listener.local_addr().expect("the bound address");
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .expect("serve");
        });
        Self {
            base: format!("http://{addr}"),
            client: Self::browser(),
            hearth,
            now,
        }
    }

    /// A client that keeps cookies and does not follow redirects, like a browser tab we inspect.
    pub fn browser() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .expect("build a client")
    }

    /// The same server in another browser, with nobody signed in.
    pub fn new_browser(&self) -> Self {
        Self {
            client: Self::browser(),
            ..self.clone()
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// The Prometheus metrics, as a scraper with the token reads them.
    pub async fn metrics(&self) -> String {
        self.client
            .get(self.url("/metrics"))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("GET /metrics")
            .text()
            .await
            .expect("the metrics")
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    /// The page's status and its parsed HTML.
    pub async fn page(&self, path: &str) -> (StatusCode, scraper::Html) {
        let res = self.get(path).await;
        let status = res.status();
        let html = res.text().await.expect("the page's text");
        (status, scraper::Html::parse_document(&html))
    }

    /// The CSRF token in a page's forms.
    pub async fn csrf(&self, path: &str) -> String {
        let (_, doc) = self.page(path).await;
        let sel = scraper::Selector::parse(r#"input[name="csrf_token"]"#).expect("selector");
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr("value"))
            .unwrap_or_else(|| panic!("no CSRF token on {path}"))
            .to_string()
    }

    /// Signs in as a demo account in this browser.
    pub async fn sign_in(&self, email: &str) -> reqwest::Response {
        let csrf = self.csrf("/sign-in").await;
        let res = self
            .post(
                "/sign-in",
                &[
                    ("csrf_token", &csrf),
                    ("email", email),
                    ("password", PASSWORD),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "signing in as {email}");
        res
    }

    /// Signs in as `email` in a fresh browser (nobody else's cookies).
    pub async fn sign_in_fresh(&mut self, email: &str) -> reqwest::Response {
        self.client = Self::browser();
        self.sign_in(email).await
    }

    /// Moves the clock on; only for a server from [`Server::start_with_clock`].
    pub fn advance(&self, by: Duration) {
        let now = self.now.as_ref().expect("started with start_with_clock");
        *now.lock().expect("clock lock") += by;
    }
}
