//! Signing in and out.

use crate::components::{Button, ErrorSummary, Input};
use crate::error::WebError;
use crate::fields;
use crate::form::{safe_path, Form};
use crate::pages::render;
use crate::session::{cookie_header, expired_cookie_header, SignedIn, Visitor, SESSION_COOKIE};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::SameSite;
use hearth_app::accounts::auth::SignInRefused;
use hearth_domain::input::FieldErrors;
use hearth_domain::sign_in::minutes_to_wait;
use serde::Deserialize;

/// `/sign-in`, returning to `next` afterwards.
pub fn url_with_next(next: Option<&str>) -> String {
    match next.map(safe_path) {
        Some(next) if next != "/" => format!(
            "/sign-in?{}",
            serde_urlencoded::to_string([("next", next)]).unwrap_or_default()
        ),
        _ => "/sign-in".into(),
    }
}

/// `/sign-in` bringing back a kept form afterwards: only the draft's token is in the address,
/// never what was typed.
pub fn draft_url(token: &str, timed_out: bool) -> String {
    let mut query = vec![("draft", token)];
    if timed_out {
        query.insert(0, ("timed_out", "1"));
    }
    format!(
        "/sign-in?{}",
        serde_urlencoded::to_string(query).unwrap_or_default()
    )
}

/// Where a kept form is shown back; a token that could not be one leads nowhere.
fn draft_page(token: &str) -> Option<String> {
    let plausible = !token.is_empty()
        && token.len() <= 64
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    plausible.then(|| format!("/drafts/{token}"))
}

/// `/sign-in` saying the session timed out, returning to `next`.
pub fn timed_out_url(next: Option<&str>) -> String {
    let next = safe_path(next.unwrap_or("/"));
    format!(
        "/sign-in?{}",
        serde_urlencoded::to_string([("timed_out", "1"), ("next", next)]).unwrap_or_default()
    )
}

#[derive(Template)]
#[template(path = "sign_in.html")]
pub struct SignInPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    notice: Option<&'static str>,
    email: Input,
    password: Input,
    submit: Button,
    next: String,
    /// The token of a kept form to show back after signing in.
    draft: String,
}

impl SignInPage {
    fn new(state: &AppState, visitor: &Visitor, email: &str, errors: &FieldErrors) -> Self {
        Self {
            shell: Shell::new(state, visitor, "Sign in").with_errors(!errors.is_empty()),
            error_summary: fields::error_summary(errors),
            notice: None,
            email: fields::email("email", "Email address", email, errors),
            password: fields::password("password", "Password", "current-password", errors),
            submit: fields::submit("Sign in"),
            next: "/".into(),
            draft: String::new(),
        }
    }
}

const TIMED_OUT: &str =
    "You were signed out because you had not used Hearth for a while. Sign in again to carry on.";
const KEPT: &str = "You were signed out before your answers were saved. They are kept: sign in again and they will be back in the form for you to check and send.";

#[derive(Deserialize)]
pub struct SignInQuery {
    next: Option<String>,
    timed_out: Option<String>,
    signed_out: Option<String>,
    reset: Option<String>,
    draft: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<SignInQuery>,
) -> Response {
    let next = safe_path(q.next.as_deref().unwrap_or("/")).to_string();
    let draft = q.draft.as_deref().and_then(draft_page);
    if visitor.actor().is_some() {
        return Redirect::to(draft.as_deref().unwrap_or(&next)).into_response();
    }
    let mut page = SignInPage::new(&state, &visitor, "", &FieldErrors::new());
    page.next = next;
    if draft.is_some() {
        page.notice = Some(KEPT);
        page.draft = q.draft.unwrap_or_default();
    } else if q.timed_out.is_some() {
        page.notice = Some(TIMED_OUT);
    } else if q.signed_out.is_some() {
        page.notice = Some("You have signed out.");
    } else if q.reset.is_some() {
        page.notice = Some("Your new password is set, and any sessions you had were ended. Sign in with your new password.");
    }
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    draft: String,
}

pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(f): Form<SignInForm>,
) -> Response {
    let refusal = match state
        .hearth
        .sign_in(&f.email, &f.password, visitor.origin().clone())
        .await
    {
        Ok(signed_in) => {
            let cookie = cookie_header(
                SESSION_COOKIE,
                &signed_in.token,
                state.settings.secure,
                SameSite::Lax,
            );
            let target = draft_page(&f.draft).unwrap_or_else(|| safe_path(&f.next).to_string());
            let mut res = Redirect::to(&target).into_response();
            res.headers_mut().append(header::SET_COOKIE, cookie);
            return res;
        }
        Err(refusal) => refusal,
    };
    let mut errors = FieldErrors::new();
    let mut retry_after = None;
    let status = match refusal {
        SignInRefused::Invalid(e) => {
            errors = e;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        SignInRefused::WrongCredentials => {
            errors.add("email", WRONG_CREDENTIALS);
            StatusCode::UNAUTHORIZED
        }
        SignInRefused::Throttled { wait } => {
            errors.add("email", throttled_message(wait));
            retry_after = Some(wait);
            StatusCode::TOO_MANY_REQUESTS
        }
        SignInRefused::Error(e) => return WebError::from(e).into_response(),
    };
    let mut page = SignInPage::new(&state, &visitor, &f.email, &errors);
    page.next = safe_path(&f.next).to_string();
    if draft_page(&f.draft).is_some() {
        page.notice = Some(KEPT);
        page.draft = f.draft;
    }
    let mut res = render(status, &page);
    if let Some(wait) = retry_after {
        res = crate::rate_limit::with_retry_after(res, wait.to_std().unwrap_or_default());
    }
    res
}

/// The same for unknown and known accounts, so the page never tells which emails exist.
const WRONG_CREDENTIALS: &str = "Enter a correct email address and password. After several wrong attempts you will have to wait before you can try again.";

/// Whether the wait is for the email address or the network, and whether the account exists,
/// is not said: the message is the same for all of them.
fn throttled_message(wait: chrono::Duration) -> String {
    let minutes = minutes_to_wait(wait);
    format!(
        "Too many attempts to sign in have failed. Wait and try again in about {minutes} minute{}. If you have forgotten your password, ask your organisation's Hearth administrator.",
        if minutes == 1 { "" } else { "s" }
    )
}

pub async fn sign_out(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    state.hearth.sign_out(&actor).await?;
    let mut res = Redirect::to("/sign-in?signed_out=1").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        expired_cookie_header(SESSION_COOKIE, state.settings.secure),
    );
    Ok(res)
}
