//! Anti-automation: per-user and per-address rate limits on people search, the API and
//! sign-in, and an alert when one user searches an unusual number of people (ADR 13).
//!
//! The limits are `governor`'s keyed GCRA limiters, in memory: each instance keeps its own, so
//! behind a load balancer a client gets up to the limit on each. They are there to stop a
//! script harvesting the register, not to count exactly; sign-in failures, which must hold
//! across instances and restarts, are throttled in the database (`hearth_app::accounts::auth`).
//!
//! A refusal is a 429 with `Retry-After`, counted in `/metrics` every time and audited once
//! per limit, key and hour, so a flood cannot flood the audit log too.

use crate::error::WebError;
use crate::session::Visitor;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use hearth_app::{Actor, Origin};
use serde_json::json;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The limits, each a number of requests; 0 turns that limit off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitSettings {
    /// People searches a minute by one user (pages and API together).
    pub search_per_user: u32,
    /// People searches a minute from one address.
    pub search_per_address: u32,
    /// API calls a minute by one user (token).
    pub api_per_user: u32,
    /// API calls a minute from one address, signed in or not.
    pub api_per_address: u32,
    /// Sign-in attempts a minute from one address.
    pub sign_in_per_address: u32,
    /// People searches in an hour by one user past which the data protection officer is
    /// alerted (a warning in the log and an audit event, once an hour).
    pub search_alert_per_hour: u32,
    /// Families' requests for help started or sent in an hour from one address: enough for a
    /// household, a family centre's shared computer or a library, not a script.
    pub ask_per_address: u32,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self {
            search_per_user: 30,
            search_per_address: 300,
            api_per_user: 300,
            api_per_address: 600,
            sign_in_per_address: 60,
            search_alert_per_hour: 300,
            ask_per_address: 30,
        }
    }
}

/// What is limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    PeopleSearch,
    Api,
    SignIn,
    FamilyAsk,
}

impl Limit {
    fn code(self) -> &'static str {
        match self {
            Limit::PeopleSearch => "people_search",
            Limit::Api => "api",
            Limit::SignIn => "sign_in",
            Limit::FamilyAsk => "family_ask",
        }
    }
}

/// Who a limit counts: one user, or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum By {
    User,
    Address,
}

impl By {
    fn code(self) -> &'static str {
        match self {
            By::User => "user",
            By::Address => "address",
        }
    }
}

type Keyed = DefaultKeyedRateLimiter<String>;

/// One keyed limiter, or none when its setting is 0.
fn limiter(quota: fn(NonZeroU32) -> Quota, n: u32) -> Option<Keyed> {
    NonZeroU32::new(n).map(|n| RateLimiter::keyed(quota(n)))
}

/// The limiters of one server. Cheap to share (inside `AppState`).
pub struct RateLimits {
    search_user: Option<Keyed>,
    search_address: Option<Keyed>,
    api_user: Option<Keyed>,
    api_address: Option<Keyed>,
    sign_in_address: Option<Keyed>,
    ask_address: Option<Keyed>,
    /// Counts each user's searches over the hour, to notice unusual volume.
    search_volume: Option<Keyed>,
    search_alert_per_hour: u32,
    /// One report an hour per limit and key: what keeps the audit log to one event a window.
    reported: Keyed,
    checks: AtomicU64,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits").finish_non_exhaustive()
    }
}

/// How often the limiters forget keys whose limits are full again, so memory stays bounded.
const SWEEP_EVERY: u64 = 4096;

impl RateLimits {
    pub fn new(s: &RateLimitSettings) -> Self {
        Self {
            search_user: limiter(Quota::per_minute, s.search_per_user),
            search_address: limiter(Quota::per_minute, s.search_per_address),
            api_user: limiter(Quota::per_minute, s.api_per_user),
            api_address: limiter(Quota::per_minute, s.api_per_address),
            sign_in_address: limiter(Quota::per_minute, s.sign_in_per_address),
            ask_address: limiter(Quota::per_hour, s.ask_per_address),
            search_volume: limiter(Quota::per_hour, s.search_alert_per_hour),
            search_alert_per_hour: s.search_alert_per_hour,
            reported: RateLimiter::keyed(Quota::per_hour(NonZeroU32::MIN)),
            checks: AtomicU64::new(0),
        }
    }

    /// `Err(wait)` when `key` is over `limiter`'s limit.
    fn check(&self, limiter: &Option<Keyed>, key: &str) -> Result<(), Duration> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.sweep();
        }
        let Some(limiter) = limiter else {
            return Ok(());
        };
        limiter
            .check_key(&key.to_string())
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    fn sweep(&self) {
        for l in [
            &self.search_user,
            &self.search_address,
            &self.api_user,
            &self.api_address,
            &self.sign_in_address,
            &self.ask_address,
            &self.search_volume,
        ]
        .into_iter()
        .flatten()
        .chain([&self.reported])
        {
            l.retain_recent();
            l.shrink_to_fit();
        }
    }

    /// True the first time in an hour that `what` is reported.
    fn first_report(&self, what: String) -> bool {
        self.reported.check_key(&what).is_ok()
    }
}

/// A refused request, with how long to wait.
struct Refused {
    limit: Limit,
    by: By,
    wait: Duration,
}

fn address(origin: &Origin) -> String {
    origin.ip.clone().unwrap_or_else(|| "unknown".into())
}

/// Checks one limit by user (when there is one) and by address.
fn check(
    limits: &RateLimits,
    limit: Limit,
    user: (&Option<Keyed>, Option<&Actor>),
    by_address: &Option<Keyed>,
    origin: &Origin,
) -> Result<(), Refused> {
    if let (limiter, Some(actor)) = user {
        limits
            .check(limiter, &actor.user_id.to_string())
            .map_err(|wait| Refused {
                limit,
                by: By::User,
                wait,
            })?;
    }
    limits
        .check(by_address, &address(origin))
        .map_err(|wait| Refused {
            limit,
            by: By::Address,
            wait,
        })
}

/// Counts the refusal, and audits it if it is the first for this limit and key this hour.
async fn record(state: &AppState, r: &Refused, actor: Option<&Actor>, origin: &Origin) {
    metrics::counter!("http_requests_rate_limited_total", "limit" => r.limit.code(), "by" => r.by.code())
        .increment(1);
    let key = match (r.by, actor) {
        (By::User, Some(a)) => a.user_id.to_string(),
        _ => address(origin),
    };
    let what = format!("{}:{}:{key}", r.limit.code(), r.by.code());
    if !state.rate_limits.first_report(what) {
        return;
    }
    tracing::warn!(limit = r.limit.code(), by = r.by.code(), user = ?actor.map(|a| a.user_id), ip = ?origin.ip, "rate limit reached");
    if let Err(e) = state
        .hearth
        .record_rate_limited(actor, origin, r.limit.code(), r.by.code())
        .await
    {
        tracing::warn!(error = %e, "could not audit a rate limit");
    }
}

/// Counts a search towards the hour's volume, and alerts once an hour when it is unusual.
async fn watch_volume(state: &AppState, actor: &Actor) {
    let limits = &state.rate_limits;
    let user = actor.user_id.to_string();
    if limits.check(&limits.search_volume, &user).is_ok()
        || !limits.first_report(format!("alert:people_search:{user}"))
    {
        return;
    }
    metrics::counter!("people_search_volume_alerts_total").increment(1);
    tracing::warn!(user = %actor.user_id, email = %actor.email, per_hour = limits.search_alert_per_hour, "unusual volume of people searches by one user");
    if let Err(e) = state
        .hearth
        .record_unusual_volume(actor, "people_search", limits.search_alert_per_hour)
        .await
    {
        tracing::warn!(error = %e, "could not audit an unusual volume of searches");
    }
}

/// Adds `Retry-After` in whole seconds (at least one).
pub fn with_retry_after(mut res: Response, wait: Duration) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
    res
}

fn page_refusal(r: &Refused) -> Response {
    with_retry_after(WebError::TooManyRequests(r.wait).into_response(), r.wait)
}

fn json_refusal(r: &Refused) -> Response {
    let secs = r.wait.as_secs().max(1);
    with_retry_after(
        (
            StatusCode::TOO_MANY_REQUESTS,
            Json(json!({
                "error": "rate_limited",
                "message": format!("Too many requests. Nothing was done; try again in {secs} seconds."),
                "retry_after_seconds": secs,
            })),
        )
            .into_response(),
        r.wait,
    )
}

/// The pages' middleware (inside the session layer): sign-in attempts by address, people
/// searches by user and address.
pub async fn pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limits = &state.rate_limits;
    let Some(visitor) = req.extensions().get::<Visitor>().cloned() else {
        return next.run(req).await;
    };
    let (origin, actor) = (visitor.origin(), visitor.actor());
    let limit = match (req.method(), req.uri().path()) {
        (&Method::POST, "/sign-in") => Some(check(
            limits,
            Limit::SignIn,
            (&None, None),
            &limits.sign_in_address,
            origin,
        )),
        // A family starting or sending a request for help: counted by address, as nobody
        // is signed in.
        (&Method::POST, "/ask/start" | "/ask/check") => Some(check(
            limits,
            Limit::FamilyAsk,
            (&None, None),
            &limits.ask_address,
            origin,
        )),
        // Asking for a link to the family's own page and using one: guesses are limited like
        // sign-in attempts (ADR 0045).
        (&Method::POST, p) if p == "/my-family/link" || p.starts_with("/my-family/sign-in/") => {
            Some(check(
                limits,
                Limit::SignIn,
                (&None, None),
                &limits.sign_in_address,
                origin,
            ))
        }
        // Starting and finishing a family's sign-in at GOV.UK One Login (ADR 0056): each
        // start asks the provider and keeps a row, each answer looks one up; limited alike.
        (
            &Method::GET,
            crate::pages::own::ONE_LOGIN_PATH | hearth_app::own::FAMILY_CALLBACK_PATH,
        ) => Some(check(
            limits,
            Limit::SignIn,
            (&None, None),
            &limits.sign_in_address,
            origin,
        )),
        // An SMS gateway's delivery reports: a machine calling, limited like the API by
        // address, so guessing a report's token is limited too (ADR 0049).
        (&Method::GET, p) if crate::pages::texts::is_delivery_report(p) => Some(check(
            limits,
            Limit::Api,
            (&None, None),
            &limits.api_address,
            origin,
        )),
        (&Method::POST, "/people/search") => Some(check(
            limits,
            Limit::PeopleSearch,
            (&limits.search_user, actor),
            &limits.search_address,
            origin,
        )),
        _ => None,
    };
    match limit {
        Some(Err(refused)) => {
            record(&state, &refused, actor, origin).await;
            page_refusal(&refused)
        }
        Some(Ok(())) => {
            if let (true, Some(actor)) = (is_people_search(req.uri().path()), actor) {
                watch_volume(&state, actor).await;
            }
            next.run(req).await
        }
        None => next.run(req).await,
    }
}

/// The routes that search people: the page and the API.
fn is_people_search(path: &str) -> bool {
    path == "/people/search" || path == "/api/v1/people"
}

/// The API before its token is checked: calls by address (so guessing tokens is limited too).
pub async fn api_by_address(state: &AppState, origin: &Origin) -> Result<(), Response> {
    let limits = &state.rate_limits;
    match check(
        limits,
        Limit::Api,
        (&None, None),
        &limits.api_address,
        origin,
    ) {
        Ok(()) => Ok(()),
        Err(refused) => {
            record(state, &refused, None, origin).await;
            Err(json_refusal(&refused))
        }
    }
}

/// The API once the caller is known: calls by user, and people searches by user and address.
pub async fn api_by_user(state: &AppState, actor: &Actor, path: &str) -> Result<(), Response> {
    let limits = &state.rate_limits;
    let origin = &actor.origin;
    let mut result = check(
        limits,
        Limit::Api,
        (&limits.api_user, Some(actor)),
        &None,
        origin,
    );
    let searching = is_people_search(path);
    if result.is_ok() && searching {
        result = check(
            limits,
            Limit::PeopleSearch,
            (&limits.search_user, Some(actor)),
            &limits.search_address,
            origin,
        );
    }
    match result {
        Ok(()) => {
            if searching {
                watch_volume(state, actor).await;
            }
            Ok(())
        }
        Err(refused) => {
            record(state, &refused, Some(actor), origin).await;
            Err(json_refusal(&refused))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(ip: &str) -> Origin {
        Origin {
            ip: Some(ip.into()),
            user_agent: None,
        }
    }

    #[test]
    fn an_address_over_its_limit_is_refused_with_a_wait_and_others_are_not() {
        let limits = RateLimits::new(&RateLimitSettings {
            sign_in_per_address: 2,
            ..RateLimitSettings::default()
        });
        let a = origin("192.0.2.1");
        let attempt = |o: &Origin| {
            check(
                &limits,
                Limit::SignIn,
                (&None, None),
                &limits.sign_in_address,
                o,
            )
        };
        assert!(attempt(&a).is_ok());
        assert!(attempt(&a).is_ok());
        let refused = attempt(&a).err().map(|r| (r.by, r.wait > Duration::ZERO));
        assert_eq!(refused, Some((By::Address, true)));
        assert!(attempt(&origin("192.0.2.2")).is_ok());
    }

    #[test]
    fn a_limit_of_zero_is_off() {
        let limits = RateLimits::new(&RateLimitSettings {
            sign_in_per_address: 0,
            ..RateLimitSettings::default()
        });
        for _ in 0..1000 {
            assert!(limits.check(&limits.sign_in_address, "x").is_ok());
        }
    }

    #[test]
    fn each_refusal_is_reported_once_an_hour() {
        let limits = RateLimits::new(&RateLimitSettings::default());
        assert!(limits.first_report("api:user:1".into()));
        assert!(!limits.first_report("api:user:1".into()));
        assert!(limits.first_report("api:user:2".into()));
    }

    #[test]
    fn retry_after_is_in_whole_seconds_rounded_up() {
        let res = with_retry_after(StatusCode::OK.into_response(), Duration::from_millis(1500));
        assert_eq!(res.headers()[header::RETRY_AFTER], "2");
    }
}
