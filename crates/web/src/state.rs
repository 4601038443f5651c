use hearth_app::Hearth;
use std::sync::Arc;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// Shown in the header of every page, e.g. "Nottingham City Family Help Partnership".
    pub partnership_name: String,
    /// True when users reach Hearth over HTTPS: cookies are marked Secure and HSTS is sent.
    pub secure: bool,
    /// True when a reverse proxy in front sets `X-Forwarded-For`; otherwise it is ignored.
    pub trust_proxy: bool,
}

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub hearth: Hearth,
    pub settings: Arc<WebSettings>,
}

impl AppState {
    pub fn new(hearth: Hearth, settings: WebSettings) -> Self {
        Self {
            hearth,
            settings: Arc::new(settings),
        }
    }
}
