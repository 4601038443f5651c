//! Signing in and out.

use crate::components::{Button, ErrorSummary, Input};
use crate::error::WebError;
use crate::fields;
use crate::form::{safe_path, Form};
use crate::pages::render;
use crate::session::{
    cookie_header, cookie_value, expired_cookie_header, SignedIn, Visitor, SESSION_COOKIE,
};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::SameSite;
use hearth_app::accounts::auth::SignInRefused;
use hearth_app::accounts::single_sign_on::{
    ProviderAnswer, SignOnRefused, SignedOn, SIGNED_OUT_PATH,
};
use hearth_domain::ids::IdentityProviderId;
use hearth_domain::input::FieldErrors;
use hearth_domain::sign_in::minutes_to_wait;
use hearth_domain::single_sign_on::Refusal;
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
    /// Organisations whose staff sign in with their own provider: (link, name). Links, not
    /// forms: the content security policy lets forms go only to Hearth, and a form's redirect
    /// to the provider would be stopped.
    providers: Vec<(String, String)>,
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
            providers: Vec::new(),
        }
    }

    /// Lists the organisations whose staff sign in with their own provider.
    async fn with_providers(mut self, state: &AppState) -> Result<Self, WebError> {
        self.providers = state
            .hearth
            .sign_in_providers()
            .await?
            .into_iter()
            .map(|p| (p.id.to_string(), p.organisation_name))
            .collect();
        Ok(self)
    }

    /// The providers as links that return to `next` (or the kept form) afterwards.
    fn provider_links(&mut self) {
        let mut query = vec![("next", self.next.as_str())];
        if !self.draft.is_empty() {
            query.push(("draft", self.draft.as_str()));
        }
        let query = serde_urlencoded::to_string(query).unwrap_or_default();
        for (link, _) in &mut self.providers {
            *link = format!("/sign-in/provider/{link}?{query}");
        }
    }
}

const FEDERATED: &str = "Your organisation signs you in to Hearth with its own sign-in: continue with the button below. You do not need a Hearth password.";
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
    let mut page = match SignInPage::new(&state, &visitor, "", &FieldErrors::new())
        .with_providers(&state)
        .await
    {
        Ok(page) => page,
        Err(e) => return e.into_response(),
    };
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
    page.provider_links();
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
    // An email address at a domain an organisation's provider serves, with no password: the
    // person is shown the way to sign in there.
    if f.password.is_empty() {
        match state.hearth.provider_for_email(&f.email).await {
            Ok(Some(p)) => {
                let mut page = SignInPage::new(&state, &visitor, &f.email, &FieldErrors::new());
                page.next = safe_path(&f.next).to_string();
                if draft_page(&f.draft).is_some() {
                    page.draft = f.draft;
                }
                page.notice = Some(FEDERATED);
                page.providers = vec![(p.id.to_string(), p.organisation_name)];
                page.provider_links();
                return render(StatusCode::OK, &page);
            }
            Ok(None) => {}
            Err(e) => return WebError::from(e).into_response(),
        }
    }
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
    let mut page = match SignInPage::new(&state, &visitor, &f.email, &errors)
        .with_providers(&state)
        .await
    {
        Ok(page) => page,
        Err(e) => return e.into_response(),
    };
    page.next = safe_path(&f.next).to_string();
    if draft_page(&f.draft).is_some() {
        page.notice = Some(KEPT);
        page.draft = f.draft;
    }
    page.provider_links();
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
    let at_provider = state.hearth.sign_out(&actor).await?;
    // Signed in through an organisation's provider: a link to sign out there too (a link, as
    // the content security policy stops a form's redirect to another site), which comes back
    // to the signed-out page.
    let mut res = match at_provider {
        Some(url) => {
            let visitor = Visitor::Anonymous {
                csrf: String::new(),
                origin: actor.origin.clone(),
            };
            render(
                StatusCode::OK,
                &SignedOutPage {
                    shell: Shell::new(&state, &visitor, "You have signed out of Hearth"),
                    organisation: actor.organisation_name.clone(),
                    provider_sign_out: url,
                },
            )
        }
        None => Redirect::to(SIGNED_OUT_PATH).into_response(),
    };
    res.headers_mut().append(
        header::SET_COOKIE,
        expired_cookie_header(SESSION_COOKIE, state.settings.secure),
    );
    Ok(res)
}

/// The cookie that ties a provider's answer to the browser that went there. `Lax`, since the
/// answer arrives as a top-level navigation from the provider's site.
pub const SIGN_ON_COOKIE: &str = "hearth_sign_on";

#[derive(Deserialize)]
pub struct ProviderChoice {
    #[serde(default)]
    next: String,
    #[serde(default)]
    draft: String,
}

#[derive(Template)]
#[template(path = "signed_out.html")]
struct SignedOutPage {
    shell: Shell,
    organisation: String,
    provider_sign_out: String,
}

/// `GET /sign-in/provider/{id}`: "Sign in with <organisation>". Starting a sign-in changes
/// nothing of anyone's: its answer is accepted only in this browser (ADR 0041).
pub async fn provider(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(f): Query<ProviderChoice>,
) -> Response {
    let Ok(id) = id.parse::<IdentityProviderId>() else {
        return WebError::NotFound.into_response();
    };
    start_at_provider(&state, &visitor, id, &f.next, &f.draft).await
}

async fn start_at_provider(
    state: &AppState,
    visitor: &Visitor,
    id: IdentityProviderId,
    next: &str,
    draft: &str,
) -> Response {
    let next = draft_page(draft).unwrap_or_else(|| safe_path(next).to_string());
    match state
        .hearth
        .begin_single_sign_on(id, &next, visitor.origin().clone())
        .await
    {
        Ok(start) => {
            let mut res = Redirect::to(&start.provider_url).into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(
                    SIGN_ON_COOKIE,
                    &start.browser_token,
                    state.settings.secure,
                    SameSite::Lax,
                ),
            );
            res
        }
        Err(refused) => refused_page(state, visitor, refused),
    }
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
}

/// `GET /sign-in/provider/callback`: the provider's answer.
pub async fn provider_callback(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let answer = ProviderAnswer {
        state: q.state.as_deref(),
        code: q.code.as_deref(),
        error: q.error.as_deref(),
        browser_token: cookie_value(&headers, SIGN_ON_COOKIE),
    };
    let secure = state.settings.secure;
    let mut res = match state
        .hearth
        .finish_single_sign_on(answer, visitor.origin().clone())
        .await
    {
        Ok(SignedOn { signed_in, next }) => {
            let mut res = Redirect::to(&next).into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(SESSION_COOKIE, &signed_in.token, secure, SameSite::Lax),
            );
            res
        }
        Err(refused) => refused_page(&state, &visitor, refused),
    };
    res.headers_mut().append(
        header::SET_COOKIE,
        expired_cookie_header(SIGN_ON_COOKIE, secure),
    );
    res
}

#[derive(Template)]
#[template(path = "sign_in_refused.html")]
struct RefusedPage {
    shell: Shell,
    message: &'static str,
}

/// A refused single sign-on, explained (it was audited where it was refused).
fn refused_page(state: &AppState, visitor: &Visitor, refused: SignOnRefused) -> Response {
    let refusal = match refused {
        SignOnRefused::Refused(r) => r,
        SignOnRefused::Error(e) => return WebError::from(e).into_response(),
    };
    let status = match refusal {
        Refusal::ProviderUnavailable => StatusCode::BAD_GATEWAY,
        _ => StatusCode::FORBIDDEN,
    };
    let page = RefusedPage {
        shell: Shell::new(state, visitor, "You could not be signed in"),
        message: refusal.message(),
    };
    render(status, &page)
}
