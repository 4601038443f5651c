use crate::admission::Admission;
use crate::rate_limit::{RateLimitSettings, RateLimits};
use hearth_app::Hearth;
use std::sync::Arc;
use std::time::Duration;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// Shown in the header of every page, e.g. "Nottingham City Family Help Partnership".
    pub partnership_name: String,
    /// True when users reach Hearth over HTTPS: cookies are marked Secure and HSTS is sent.
    pub secure: bool,
    /// True when a reverse proxy in front sets `X-Forwarded-For`; otherwise it is ignored.
    pub trust_proxy: bool,
    /// How many proxies in front are trusted to append to `X-Forwarded-For`: the client's
    /// address is read that many entries from the right, never from the client-supplied left.
    pub trusted_proxies: usize,
    /// Rate limits on people search, the API and sign-in.
    pub rate_limits: RateLimitSettings,
    /// Requests worked on at once; more wait for a turn.
    pub max_in_flight: usize,
    /// How long a request may wait for a turn before it is turned away with 503.
    pub max_queue_wait: Duration,
    /// The bearer token a scraper sends for `/metrics` on the public address; `None`: not
    /// served there.
    pub metrics_token: Option<String>,
    /// The partnership's own privacy notice, accessibility statement and cookies page, as
    /// `<lang>/privacy.md`, `<lang>/accessibility.md`, `<lang>/cookies.md`; `None`: Hearth's.
    pub site_pages_dir: Option<std::path::PathBuf>,
    /// Who families write to about their data (an email address becomes a link).
    pub privacy_contact: Option<String>,
    /// Who to tell about an accessibility problem.
    pub accessibility_contact: Option<String>,
}

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub hearth: Hearth,
    pub settings: Arc<WebSettings>,
    pub admission: Admission,
    pub rate_limits: Arc<RateLimits>,
}

impl AppState {
    pub fn new(hearth: Hearth, settings: WebSettings) -> Self {
        Self {
            hearth,
            admission: Admission::new(settings.max_in_flight, settings.max_queue_wait),
            rate_limits: Arc::new(RateLimits::new(&settings.rate_limits)),
            settings: Arc::new(settings),
        }
    }
}
