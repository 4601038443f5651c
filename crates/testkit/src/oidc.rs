//! A real OpenID Connect provider for the single sign-on tests: panva's `oidc-provider` from
//! npm (installed by `scripts/install-test-deps.sh --oidc` into the tools cache, pinned by
//! `crates/testkit/oidc/package-lock.json`), configured by our `crates/testkit/oidc/provider.mjs`
//! with one client and a few people, and started on a free port. Under `CI=true` a provider
//! that cannot start fails the test loudly; elsewhere the test is skipped with a message.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The client Hearth is registered as.
pub const CLIENT_ID: &str = "hearth-test";
pub const CLIENT_SECRET: &str = "hearth-test-secret-not-for-production";

/// The client the partnership's families sign in through (GOV.UK One Login's place, ADR
/// 0056): it proves itself with a JWT signed by [`family_client_key`] (`private_key_jwt`).
pub const FAMILY_CLIENT_ID: &str = "hearth-test-families";

/// The families' client's RSA private key (PKCS#1 PEM, for tests only): Hearth signs with it,
/// and the provider holds its public half.
pub fn family_client_key() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("oidc")
        .join("family-client-test-key.pem")
}

/// A running provider.
pub struct OidcProvider {
    pub port: u16,
    config: PathBuf,
    child: Option<Child>,
}

fn tools() -> PathBuf {
    std::env::var_os("HEARTH_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache")
                })
                .join("hearth-tools")
        })
}

/// Where `--oidc` installs the provider.
fn install_dir() -> PathBuf {
    tools().join("oidc-provider")
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    l.local_addr().expect("its address").port()
}

impl OidcProvider {
    /// Starts a provider whose client may send people back to `redirect_uris` and, after
    /// signing out, to `post_logout_uris`; `None` (with a message) when it is not installed,
    /// outside CI.
    pub fn start(redirect_uris: &[String], post_logout_uris: &[String]) -> Option<Self> {
        Self::start_with(redirect_uris, post_logout_uris, &[])
    }

    /// As [`OidcProvider::start`], with the families' client too, which may send people back
    /// to `family_redirect_uris`.
    pub fn start_with_families(
        redirect_uris: &[String],
        family_redirect_uris: &[String],
    ) -> Option<Self> {
        Self::start_with(redirect_uris, &[], family_redirect_uris)
    }

    fn start_with(
        redirect_uris: &[String],
        post_logout_uris: &[String],
        family_redirect_uris: &[String],
    ) -> Option<Self> {
        let installed = install_dir()
            .join("node_modules")
            .join("oidc-provider")
            .join("package.json");
        if !installed.exists() {
            let why = format!(
                "oidc-provider is not installed at {} (run scripts/install-test-deps.sh --oidc)",
                install_dir().display()
            );
            if in_ci() {
                panic!("CI=true but {why}");
            }
            eprintln!("SKIPPED: the single sign-on tests: {why}");
            return None;
        }
        // The configuration is ours and lives in the repository; it is copied beside the
        // installed package so that Node resolves `oidc-provider` from there.
        let config = install_dir().join(format!("provider-{}.mjs", uuid::Uuid::new_v4()));
        std::fs::copy(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("oidc")
                .join("provider.mjs"),
            &config,
        )
        .unwrap_or_else(|e| panic!("copy the provider's configuration: {e}"));
        let port = free_port();
        let mut node = Command::new("node");
        node.arg(&config)
            .env("PORT", port.to_string())
            .env("CLIENT_ID", CLIENT_ID)
            .env("CLIENT_SECRET", CLIENT_SECRET)
            .env("REDIRECT_URIS", redirect_uris.join(" "))
            .env("POST_LOGOUT_REDIRECT_URIS", post_logout_uris.join(" "));
        if !family_redirect_uris.is_empty() {
            node.env("FAMILY_CLIENT_ID", FAMILY_CLIENT_ID)
                .env("FAMILY_REDIRECT_URIS", family_redirect_uris.join(" "))
                .env("FAMILY_CLIENT_KEY", family_client_key());
        }
        let child = node
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start node for oidc-provider: {e}"));
        let provider = Self {
            port,
            config,
            child: Some(child),
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "oidc-provider did not start listening on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(provider)
    }

    /// The issuer URL an administrator registers.
    pub fn issuer(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stops the provider: its port then refuses connections, as a provider that is down.
    pub fn down(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        self.down();
        let _ = std::fs::remove_file(&self.config);
    }
}

/// Signs `login` in at the provider in `browser`, starting from the provider's authorization
/// URL, as a person would on its development sign-in page; returns where the provider sends
/// the browser back (Hearth's callback with `code` and `state`). Redirects are followed by
/// hand, since the browser does not follow them.
pub async fn sign_in_at_provider(
    browser: &reqwest::Client,
    authorization_url: &str,
    login: &str,
    hearth_base: &str,
) -> String {
    let mut url = authorization_url.to_string();
    for _ in 0..10 {
        if url.starts_with(hearth_base) {
            return url;
        }
        let res = browser
            .get(&url)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        if res.status().is_redirection() {
            url = absolute(&url, location(&res));
            continue;
        }
        let page = res.text().await.expect("the provider's page");
        // The development sign-in page: a form posting `prompt`, `login` and `password`.
        let action = page
            .split("action=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("no sign-in form at {url}: {page}"))
            .to_string();
        let res = browser
            .post(absolute(&url, &action))
            .form(&[("prompt", "login"), ("login", login), ("password", "any")])
            .send()
            .await
            .expect("sign in at the provider");
        assert!(
            res.status().is_redirection(),
            "the provider's sign-in answered {}",
            res.status()
        );
        url = absolute(&url, location(&res));
    }
    panic!("the provider never sent the browser back to Hearth (last at {url})");
}

fn location(res: &reqwest::Response) -> &str {
    res.headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("a Location header")
}

fn absolute(base: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        return location.to_string();
    }
    let origin: String = base.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    format!("{origin}{location}")
}
