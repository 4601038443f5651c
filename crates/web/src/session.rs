//! Who is asking, and is their form genuine?
//!
//! One middleware in front of every page resolves the session cookie into a [`Visitor`] and
//! checks the CSRF token of every state-changing request, so no handler can forget to. A form
//! that arrives with the token of a session that has ended is kept as a draft on the server
//! and shown back in its form once the same user has signed in again. A form without a token
//! (or sent from another site) is not saved: its answers are shown as text to copy, with no
//! button that would send them (it may have been forged by another site).

use crate::error::WebError;
use crate::form::{self, ResumedForm};
use crate::pages::sign_in;
use crate::{AppState, WebSettings};
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use hearth_app::accounts::auth::{anonymous_csrf_token, SessionProblem};
use hearth_app::{Actor, Origin};
use std::net::{IpAddr, SocketAddr};

pub const SESSION_COOKIE: &str = "hearth_session";
pub const CSRF_COOKIE: &str = "hearth_csrf";
/// The form field every form carries.
pub const CSRF_FIELD: &str = "csrf_token";
/// The token of a form kept when whose it was is not known (signed out in another tab): it
/// comes back only in the browser holding this cookie.
pub const DRAFT_COOKIE: &str = "hearth_draft";
/// Forms sent by visitors who are not signed in; one refused there is never kept as a draft
/// (there is no account to bring it back to).
const PUBLIC_FORMS: [&str; 5] = [
    "/sign-in",
    "/reset-password/",
    "/feedback/",
    "/ask/",
    "/my-family/",
];
/// The largest form we accept.
pub const FORM_LIMIT: usize = 1024 * 1024;

/// The person making the request.
#[derive(Debug, Clone)]
pub enum Visitor {
    SignedIn(Box<Actor>),
    /// Not signed in; `csrf` protects the forms they can send (the sign-in form).
    Anonymous {
        csrf: String,
        origin: Origin,
    },
}

impl Visitor {
    pub fn csrf(&self) -> &str {
        match self {
            Visitor::SignedIn(a) => &a.csrf_token,
            Visitor::Anonymous { csrf, .. } => csrf,
        }
    }

    pub fn actor(&self) -> Option<&Actor> {
        match self {
            Visitor::SignedIn(a) => Some(a),
            Visitor::Anonymous { .. } => None,
        }
    }

    pub fn origin(&self) -> &Origin {
        match self {
            Visitor::SignedIn(a) => &a.origin,
            Visitor::Anonymous { origin, .. } => origin,
        }
    }
}

pub(crate) fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// Who sent the request: the peer's address, or with `trust_proxy` the client's address as
/// our own proxies recorded it in `X-Forwarded-For`.
pub(crate) fn origin_of(req: &Request, settings: &WebSettings) -> Origin {
    let forwarded = settings
        .trust_proxy
        .then(|| forwarded_client(req.headers(), settings.trusted_proxies))
        .flatten();
    let ip = forwarded.or_else(|| {
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
    });
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(300).collect());
    Origin { ip, user_agent }
}

/// The client's address from `X-Forwarded-For`, read from the right: each proxy appends the
/// address it was called from, so the last `trusted_proxies` entries were written by our own
/// proxies and the one they name is the client. Anything further left came from the client,
/// who can write whatever they like there, so it is never used. An entry that is not an IP
/// address is not believed either.
fn forwarded_client(headers: &HeaderMap, trusted_proxies: usize) -> Option<String> {
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    // With fewer entries than proxies every entry was written by one of ours: the left-most
    // is the client.
    let index = entries.len().saturating_sub(trusted_proxies.max(1));
    let entry = entries.get(index)?;
    entry.parse::<IpAddr>().ok().map(|ip| ip.to_string())
}

/// A cookie only this site's pages can send: HttpOnly, SameSite, and Secure under TLS.
pub fn cookie_header(name: &str, value: &str, secure: bool, same_site: SameSite) -> HeaderValue {
    let c = Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(same_site)
        .build();
    HeaderValue::from_str(&c.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn expired_cookie_header(name: &str, secure: bool) -> HeaderValue {
    let c = Cookie::build((name, ""))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(cookie::time::Duration::ZERO)
        .build();
    HeaderValue::from_str(&c.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let secure = state.settings.secure;
    let origin = origin_of(&req, &state.settings);
    let token = cookie_value(req.headers(), SESSION_COOKIE).map(str::to_string);
    let (visitor, session_problem) = match token {
        Some(token) => match state.hearth.authenticate(&token, origin.clone()).await {
            Ok(actor) => (Some(Visitor::SignedIn(Box::new(actor))), None),
            Err(problem) => (None, Some(problem)),
        },
        None => (None, None),
    };
    let anon_cookie = cookie_value(req.headers(), CSRF_COOKIE)
        .filter(|v| v.len() >= 32)
        .map(str::to_string);
    let new_anon = visitor.is_none() && anon_cookie.is_none();
    let visitor = visitor.unwrap_or_else(|| Visitor::Anonymous {
        csrf: anon_cookie.unwrap_or_else(anonymous_csrf_token),
        origin: origin.clone(),
    });

    let is_write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let (parts, body) = req.into_parts();
    // A multipart form (a file upload) may be as large as the largest file accepted: a
    // document, or a partner's file for early identification.
    let boundary = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok());
    let limit = match boundary {
        Some(_) => {
            let policies = state.hearth.policies();
            let largest = policies
                .documents
                .limits
                .max_bytes
                .max(policies.partner_files.max_bytes);
            FORM_LIMIT.max(largest + FORM_LIMIT)
        }
        None => FORM_LIMIT,
    };
    let mut req = if is_write {
        let bytes =
            match axum::body::to_bytes(body, limit).await {
                Ok(b) => b,
                Err(_) => return WebError::BadRequest(
                    if boundary.is_some() {
                        "The file was too large to send. Go back, choose a smaller file (the form says the largest accepted) and try again."
                    } else {
                        "The form was too large to send. Shorten the longest answers and try again."
                    }
                    .into(),
                )
                .into_response(),
            };
        let cross_site = parts
            .headers
            .get("sec-fetch-site")
            .is_some_and(|v| v.as_bytes() == b"cross-site");
        let sent = match &boundary {
            Some(b) => multipart_field(bytes.clone(), b, CSRF_FIELD).await,
            None => form::field(&bytes, CSRF_FIELD),
        };
        if cross_site || !tokens_match(sent.as_deref(), visitor.csrf()) {
            let resumed = ResumedForm::from_body(parts.uri.path(), &bytes);
            // A token that is there but belongs to a session that has ended (timed out,
            // signed out in another tab, or replaced by a newer one) is a form someone was
            // filling in: it is kept and comes back in its form after signing in.
            if !cross_site
                && sent.is_some()
                && !resumed.is_empty()
                && !is_public_form(&resumed.path)
            {
                let owner = match (&visitor, &session_problem) {
                    (Visitor::SignedIn(actor), _) => Some(actor.user_id),
                    (_, Some(SessionProblem::Expired(user))) => Some(*user),
                    _ => None,
                };
                let (res, held_here) = match state.hearth.keep_draft(owner, &resumed.kept()).await {
                    Ok(token) if visitor.actor().is_some() => (
                        Redirect::to(&format!("/drafts/{token}")).into_response(),
                        None,
                    ),
                    Ok(token) => (
                        Redirect::to(&sign_in::draft_url(
                            &token,
                            matches!(session_problem, Some(SessionProblem::Expired(_))),
                        ))
                        .into_response(),
                        owner.is_none().then_some(token),
                    ),
                    Err(e) => (WebError::from(e).into_response(), None),
                };
                let mut res = finish(res, &visitor, new_anon, session_problem.is_some(), secure);
                if let Some(token) = held_here {
                    res.headers_mut().append(
                        header::SET_COOKIE,
                        cookie_header(DRAFT_COOKIE, &token, secure, SameSite::Strict),
                    );
                }
                return res;
            }
            // Shown read-only, never with a fresh token: a form without its token may have
            // been forged by another site and must not come back ready to send.
            let page = form::ResubmitPage::refused(&state, &visitor, resumed);
            return finish(page.into_response(), &visitor, new_anon, false, secure);
        }
        Request::from_parts(parts, Body::from(bytes))
    } else {
        if matches!(session_problem, Some(SessionProblem::Expired(_))) {
            let target = sign_in::timed_out_url(parts.uri.path_and_query().map(|p| p.as_str()));
            let res = Redirect::to(&target).into_response();
            return finish(res, &visitor, new_anon, true, secure);
        }
        Request::from_parts(parts, body)
    };
    if let Some(page) = visitor.actor().and_then(|a| held_at(a, req.uri())) {
        // Something comes before any other page (ADR 0048): the user's own password (an
        // administrator chose this one, ADR 0019), the second factor (ADR 0041), or the
        // required training. Nothing sent here was meant for another page yet.
        let res = Redirect::to(&page).into_response();
        return finish(res, &visitor, new_anon, false, secure);
    }
    req.extensions_mut().insert(visitor.clone());
    // Error pages are made far from the handler; they find who is asking here, to keep the
    // signed-in header and menu.
    let res = VISITOR.scope(visitor.clone(), next.run(req)).await;
    finish(res, &visitor, new_anon, session_problem.is_some(), secure)
}

/// A text field of a multipart form (not a file), read with the parser axum's `Multipart`
/// uses; `None` when the form has no such field or cannot be read.
async fn multipart_field(body: axum::body::Bytes, boundary: &str, name: &str) -> Option<String> {
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(name) && field.file_name().is_none() {
            return field.text().await.ok();
        }
    }
    None
}

/// Where a user who is held must go instead of `uri`, if anywhere; the page sought is kept
/// when the hold is the code asked for at sign-in.
fn held_at(actor: &Actor, uri: &axum::http::Uri) -> Option<String> {
    let hold = actor.hold().filter(|h| !h.allows(uri.path()))?;
    if !hold.keeps_next() {
        return Some(hold.page().into());
    }
    Some(format!(
        "{}?{}",
        hold.page(),
        serde_urlencoded::to_string([("next", uri.path_and_query().map_or("/", |p| p.as_str()))])
            .unwrap_or_default()
    ))
}

fn is_public_form(path: &str) -> bool {
    PUBLIC_FORMS
        .iter()
        .any(|p| path == *p || (p.ends_with('/') && path.starts_with(p)))
}

tokio::task_local! {
    static VISITOR: Visitor;
}

/// Who is asking, within the session layer; `None` outside it.
pub fn current_visitor() -> Option<Visitor> {
    VISITOR.try_with(Clone::clone).ok()
}

/// Constant-time comparison, so the token cannot be guessed a byte at a time.
/// Compares in constant time, so timing does not tell how much of a guess was right.
pub(crate) fn tokens_match(sent: Option<&str>, expected: &str) -> bool {
    let Some(sent) = sent else { return false };
    sent.len() == expected.len()
        && sent
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn finish(
    mut res: Response,
    visitor: &Visitor,
    new_anon: bool,
    clear_session: bool,
    secure: bool,
) -> Response {
    let h = res.headers_mut();
    if clear_session && !h.contains_key(header::SET_COOKIE) {
        h.append(
            header::SET_COOKIE,
            expired_cookie_header(SESSION_COOKIE, secure),
        );
    }
    if new_anon {
        if let Visitor::Anonymous { csrf, .. } = visitor {
            h.append(
                header::SET_COOKIE,
                cookie_header(CSRF_COOKIE, csrf, secure, SameSite::Strict),
            );
        }
    }
    res
}

/// The signed-in user; pages that need one take this, and visitors who are not signed in are
/// sent to the sign-in page (and brought back afterwards).
pub struct SignedIn(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Visitor>() {
            Some(Visitor::SignedIn(actor)) => Ok(SignedIn((**actor).clone())),
            _ => {
                let next = if parts.method == Method::GET {
                    parts.uri.path_and_query().map(|p| p.as_str())
                } else {
                    None
                };
                Err(Redirect::to(&sign_in::url_with_next(next)).into_response())
            }
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_must_match_exactly() {
        assert!(tokens_match(Some("abc"), "abc"));
        assert!(!tokens_match(Some("abd"), "abc"));
        assert!(!tokens_match(Some("ab"), "abc"));
        assert!(!tokens_match(None, "abc"));
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("")),
        );
        h
    }

    #[test]
    fn the_client_is_read_from_the_right_past_our_own_proxies() {
        let spoofed = forwarded("6.6.6.6, 203.0.113.9");
        assert_eq!(
            forwarded_client(&spoofed, 1).as_deref(),
            Some("203.0.113.9")
        );
        let two = forwarded("6.6.6.6, 203.0.113.9, 10.0.0.2");
        assert_eq!(forwarded_client(&two, 2).as_deref(), Some("203.0.113.9"));
        assert_eq!(
            forwarded_client(&forwarded("203.0.113.9"), 2).as_deref(),
            Some("203.0.113.9")
        );
        assert_eq!(forwarded_client(&forwarded("not an address"), 1), None);
        assert_eq!(forwarded_client(&HeaderMap::new(), 1), None);
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; hearth_session=xyz; b=2"),
        );
        assert_eq!(cookie_value(&h, SESSION_COOKIE), Some("xyz"));
        assert_eq!(cookie_value(&h, CSRF_COOKIE), None);
    }
}
