//! The signed-in user's own account: changing their password, their API tokens, and their
//! choices about email.

use crate::components::{Button, Checkboxes, ErrorSummary, Input, NotificationBanner, Radios};
use crate::dates::{UkDate, UkMoment};
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::accounts::api_tokens::TokenForm;
use hearth_app::accounts::password_reset::{ResetFor, ResetRefused};
use hearth_app::messages::outbox::PreferencesForm;
use hearth_app::records::ApiToken;
use hearth_app::AppError;
use hearth_domain::api_scope::{ApiAccess, ApiResource};
use hearth_domain::input::{FieldErrors, PASSWORD_MIN};
use hearth_domain::message::Language;
use hearth_domain::reminder::RemindBy;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    shell: Shell,
    /// The password was chosen by an administrator: the user chooses their own first.
    first: bool,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    current: Input,
    new: Input,
    confirm: Input,
    submit: Button,
}

fn page(state: &AppState, visitor: &Visitor, errors: &FieldErrors, changed: bool) -> PasswordPage {
    let first = visitor.actor().is_some_and(|a| a.must_change_password);
    let title = if first {
        "Choose your own password"
    } else {
        "Change your password"
    };
    PasswordPage {
        first,
        shell: Shell::new(state, visitor, title).at("/account/password").with_errors(!errors.is_empty()),
        banner: changed.then(|| crate::fields::success("Your password has been changed. You have been signed out everywhere else.")),
        error_summary: fields::error_summary(errors),
        current: fields::password("current_password", if first { "The password you were given" } else { "Current password" }, "current-password", errors),
        new: fields::with_hint(
            fields::password("new_password", "New password", "new-password", errors),
            &format!("At least {PASSWORD_MIN} characters. Three random words work well, like ‘kettle violin orchard’."),
        ),
        confirm: fields::password("confirm_password", "Confirm new password", "new-password", errors),
        submit: fields::submit("Change password"),
    }
}

#[derive(Deserialize)]
pub struct Done {
    changed: Option<String>,
}

pub async fn password_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(_): SignedIn,
    Query(q): Query<Done>,
) -> Response {
    render(
        StatusCode::OK,
        &page(&state, &visitor, &FieldErrors::new(), q.changed.is_some()),
    )
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<PasswordForm>,
) -> Result<Response, WebError> {
    match state
        .hearth
        .change_password(
            &actor,
            &f.current_password,
            &f.new_password,
            &f.confirm_password,
        )
        .await
    {
        // Someone who had to choose their own password goes on to their work.
        Ok(()) if actor.must_change_password => Ok(Redirect::to("/").into_response()),
        Ok(()) => Ok(Redirect::to("/account/password?changed=1").into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &page(&state, &visitor, &errors, false),
        )),
        Err(e) => Err(e.into()),
    }
}

// ---- choosing a new password through a reset link ----

#[derive(Template)]
#[template(path = "reset_password.html")]
struct ResetPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    /// The link's account, while the link works and nobody is signed in.
    account: Option<ResetFor>,
    /// Someone is signed in in this browser: a link is used signed out.
    signed_in_as: Option<String>,
    action: String,
    new: Input,
    confirm: Input,
    submit: Button,
}

fn reset_page(
    state: &AppState,
    visitor: &Visitor,
    token: &str,
    account: Option<ResetFor>,
    errors: &FieldErrors,
) -> ResetPage {
    let title = if account.is_some() {
        "Choose a new password"
    } else {
        "This link does not work"
    };
    ResetPage {
        shell: Shell::new(state, visitor, title).with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        signed_in_as: visitor.actor().map(|a| a.display_name.clone()),
        account,
        action: format!("/reset-password/{token}"),
        new: fields::with_hint(
            fields::password("new_password", "New password", "new-password", errors),
            &format!("At least {PASSWORD_MIN} characters. Three random words work well, like ‘kettle violin orchard’."),
        ),
        confirm: fields::password("confirm_password", "Confirm new password", "new-password", errors),
        submit: fields::submit("Set my new password"),
    }
}

/// The page a reset link opens: the form while the link works, for the account it was made
/// for; otherwise why not, with nothing about the account.
pub async fn reset_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let account = match state.hearth.password_reset_for(&token).await {
        Ok(account) => Some(account),
        Err(ResetRefused::Dead | ResetRefused::Invalid(_)) => None,
        Err(ResetRefused::Error(e)) => return Err(e.into()),
    };
    let status = if account.is_some() {
        StatusCode::OK
    } else {
        StatusCode::GONE
    };
    let page = reset_page(&state, &visitor, &token, account, &FieldErrors::new());
    Ok(render(status, &page))
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn reset(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(f): Form<ResetForm>,
) -> Result<Response, WebError> {
    let done = state
        .hearth
        .reset_password(
            &token,
            &f.new_password,
            &f.confirm_password,
            visitor.actor(),
            visitor.origin().clone(),
        )
        .await;
    match done {
        Ok(()) => Ok(Redirect::to("/sign-in?reset=1").into_response()),
        Err(ResetRefused::Invalid(errors)) => {
            let account = state.hearth.password_reset_for(&token).await.ok();
            let page = reset_page(&state, &visitor, &token, account, &errors);
            Ok(render(status_for(true), &page))
        }
        Err(ResetRefused::Dead) => Ok(render(
            StatusCode::GONE,
            &reset_page(&state, &visitor, &token, None, &FieldErrors::new()),
        )),
        Err(ResetRefused::Error(e)) => Err(e.into()),
    }
}

// ---- the user's own API tokens ----

#[derive(Template)]
#[template(path = "account_tokens.html")]
struct TokensPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    tokens: Vec<ApiToken>,
    /// A token just made: shown once, never again.
    new_token: Option<String>,
    token_name: Input,
    access: Radios,
    resources: Checkboxes,
    lifetime: Radios,
    submit: Button,
    now: chrono::DateTime<chrono::Utc>,
}

fn tokens_page(
    state: &AppState,
    visitor: &Visitor,
    form: &TokenForm,
    errors: &FieldErrors,
    tokens: Vec<ApiToken>,
) -> TokensPage {
    let access = [ApiAccess::Read, ApiAccess::ReadWrite]
        .into_iter()
        .map(|a| {
            let hint = match a {
                ApiAccess::Read => "The system can look things up but change nothing.",
                ApiAccess::ReadWrite => {
                    "The system can also send requests for support in your name."
                }
            };
            (
                a.code().to_string(),
                a.label().to_string(),
                Some(hint.to_string()),
            )
        })
        .collect();
    let resources = ApiResource::ALL
        .into_iter()
        .map(|r| (r.code().to_string(), r.label().to_string(), None))
        .collect();
    let lifetime = state
        .hearth
        .token_lifetimes()
        .into_iter()
        .map(|d| (d.to_string(), format!("{d} days"), None))
        .collect();
    TokensPage {
        shell: Shell::new(state, visitor, "Your API tokens")
            .at("/account/password")
            .with_errors(!errors.is_empty()),
        banner: None,
        error_summary: fields::error_summary(errors),
        tokens,
        new_token: None,
        token_name: fields::with_hint(
            fields::text("token_name", "Name of the system that will use the token", &form.token_name, errors),
            "For example, the school's MIS. The token acts as you, with your roles, and only within what you choose below.",
        ),
        access: fields::radios("access", "What may it do?", access, &form.access, errors),
        resources: fields::checkboxes("resources", "What may it use?", resources, &form.resources, errors),
        lifetime: fields::radios("lifetime_days", "How long should it last?", lifetime, &form.lifetime_days, errors),
        submit: fields::submit("Make an API token"),
        now: state.hearth.now(),
    }
}

#[derive(Deserialize)]
pub struct TokensDone {
    revoked: Option<String>,
}

pub async fn tokens(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<TokensDone>,
) -> Result<Response, WebError> {
    let tokens = state.hearth.own_api_tokens(&actor).await?;
    let mut page = tokens_page(
        &state,
        &visitor,
        &TokenForm::default(),
        &FieldErrors::new(),
        tokens,
    );
    page.banner = q
        .revoked
        .is_some()
        .then(|| fields::success("The token was revoked: it no longer works."));
    Ok(render(StatusCode::OK, &page))
}

/// Makes a token and shows it once.
pub async fn create_token(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(form): Form<TokenForm>,
) -> Result<Response, WebError> {
    let made = state.hearth.create_api_token(&actor, &form).await;
    let errors = match &made {
        Err(AppError::Invalid(e)) => e.clone(),
        _ => FieldErrors::new(),
    };
    let tokens = state.hearth.own_api_tokens(&actor).await?;
    let shown = if errors.is_empty() {
        TokenForm::default()
    } else {
        form
    };
    let mut page = tokens_page(&state, &visitor, &shown, &errors, tokens);
    match made {
        Ok(token) => page.new_token = Some(token),
        Err(AppError::Invalid(_)) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(render(status_for(!errors.is_empty()), &page))
}

pub async fn revoke_token(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let token = token.parse().map_err(|_| WebError::NotFound)?;
    state.hearth.revoke_own_api_token(&actor, token).await?;
    Ok(Redirect::to("/account/tokens?revoked=1").into_response())
}

// ---- the user's choices about messages ----

#[derive(Template)]
#[template(path = "account_messages.html")]
struct MessagesPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    email: Radios,
    language: crate::components::Select,
    remind_by: Radios,
    mobile: Input,
    submit: Button,
}

fn messages_page(
    state: &AppState,
    visitor: &Visitor,
    form: &PreferencesForm,
    errors: &FieldErrors,
    saved: bool,
) -> MessagesPage {
    MessagesPage {
        shell: Shell::new(state, visitor, "Messages from Hearth")
            .at("/account/messages")
            .with_errors(!errors.is_empty()),
        banner: saved.then(|| fields::success("Your choices about messages have been saved.")),
        error_summary: fields::error_summary(errors),
        email: fields::radios(
            "email",
            "May Hearth email you?",
            vec![
                ("on".into(), "Yes".into(), Some("When you join a Team Around the Family, and when the front door decides a request you made".into())),
                ("off".into(), "No".into(), Some("A password reset link is still sent: you asked for it".into())),
            ],
            &form.email,
            errors,
        ),
        language: fields::select(
            "language",
            "Language of your messages",
            Language::ALL
                .into_iter()
                .map(|l| (l.code().to_string(), l.english_name().to_string()))
                .collect(),
            &form.language,
            errors,
        ),
        remind_by: fields::radios(
            "remind_by",
            "How should Hearth remind you of work due?",
            RemindBy::ALL
                .into_iter()
                .map(|r| (r.code().to_string(), r.label().to_string(), None))
                .collect(),
            &form.remind_by,
            errors,
        ),
        mobile: fields::with_hint(
            Input {
                type_: Some("tel".into()),
                autocomplete: Some("tel".into()),
                spellcheck: Some(false),
                classes: Some("govuk-input--width-20".into()),
                ..fields::text("mobile", "Mobile phone number (optional)", &form.mobile, errors)
            },
            "Needed for reminders by text message. A UK mobile number, like 07700 900123",
        ),
        submit: fields::submit("Save"),
    }
}

#[derive(Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

pub async fn messages_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<Saved>,
) -> Result<Response, WebError> {
    let form = PreferencesForm::from_choice(
        state.hearth.message_preferences(&actor).await?,
        &state.hearth.reminding(&actor).await?,
    );
    Ok(render(
        StatusCode::OK,
        &messages_page(
            &state,
            &visitor,
            &form,
            &FieldErrors::new(),
            q.saved.is_some(),
        ),
    ))
}

pub async fn save_messages(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(form): Form<PreferencesForm>,
) -> Result<Response, WebError> {
    match state.hearth.save_message_preferences(&actor, &form).await {
        Ok(()) => Ok(Redirect::to("/account/messages?saved=1").into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &messages_page(&state, &visitor, &form, &errors, false),
        )),
        Err(e) => Err(e.into()),
    }
}
