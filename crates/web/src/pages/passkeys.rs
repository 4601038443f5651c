//! Passkeys' steps (ADR 0051). The browser's script asks for a challenge (`…/options`,
//! answered as JSON, with the form's CSRF token like any POST), hands it to
//! `navigator.credentials`, and submits the form with the answer; the answer comes back as an
//! ordinary page. Adding and removing a passkey need the password again.

use crate::components::{Button, ErrorSummary, Input};
use crate::error::WebError;
use crate::fields;
use crate::form::{safe_path, Form};
use crate::pages::render;
use crate::pages::second_factor::{code_page, enrol_page, explain};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::accounts::second_factor::CodeRefused;
use hearth_domain::ids::PasskeyId;
use hearth_domain::input::FieldErrors;
use hearth_domain::second_factor::SessionFactor;
use serde::Deserialize;

/// A challenge's options as JSON, or what went wrong as `{"message": …}`.
/// Said when a passkey, or the password before adding or removing one, was not accepted.
const NOT_ACCEPTED: &str =
    "That did not work: the password was wrong, or the passkey was not accepted, or took too long. Try again.";
/// Said at sign-in.
const PASSKEY_REFUSED: &str =
    "The passkey was not accepted, or took too long. Try again, or enter a code.";

fn options_answer(result: Result<String, CodeRefused>, wrong: &str) -> Result<Response, WebError> {
    match result {
        Ok(json) => Ok((
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            json,
        )
            .into_response()),
        Err(refused) => {
            let (errors, status) = explain_passkey(refused, wrong)?;
            let message = errors
                .iter()
                .map(|(_, m)| m.to_string())
                .collect::<Vec<_>>()
                .join(". ");
            Ok((
                status,
                [(header::CACHE_CONTROL, "no-store")],
                axum::Json(serde_json::json!({ "message": message })),
            )
                .into_response())
        }
    }
}

/// What to tell someone whose passkey (or password before one) was not accepted.
fn explain_passkey(
    refused: CodeRefused,
    wrong: &str,
) -> Result<(FieldErrors, StatusCode), WebError> {
    match refused {
        CodeRefused::Wrong => {
            let mut errors = FieldErrors::new();
            errors.add("passkey", wrong);
            Ok((errors, StatusCode::UNAUTHORIZED))
        }
        other => explain(other),
    }
}

/// The same messages, each shown at `field` (the one the page has).
fn at_field(errors: &FieldErrors, field: &str) -> FieldErrors {
    let mut shown = FieldErrors::new();
    for (_, m) in errors.iter() {
        shown.add(field, m.to_string());
    }
    shown
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    credential: String,
}

/// `POST /account/two-factor/passkeys/options`: the password again and a name; the
/// options for making a passkey.
pub async fn registration_options(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Form(f): Form<RegisterForm>,
) -> Result<Response, WebError> {
    options_answer(
        state
            .hearth
            .begin_passkey_registration(&actor, &f.name, &f.password)
            .await,
        NOT_ACCEPTED,
    )
}

#[derive(Template)]
#[template(path = "second_factor/passkey_added.html")]
struct AddedPage {
    shell: Shell,
    name: String,
    codes: Vec<String>,
}

/// `POST /account/two-factor/passkeys`: the new passkey, from the browser.
pub async fn register(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<RegisterForm>,
) -> Result<Response, WebError> {
    match state
        .hearth
        .finish_passkey_registration(&actor, &f.credential)
        .await
    {
        Ok(added) => {
            let page = AddedPage {
                shell: Shell::new(&state, &visitor, "Passkey added"),
                name: added.name,
                codes: added.recovery_codes,
            };
            Ok(render(StatusCode::OK, &page))
        }
        Err(refused) => {
            let (errors, status) = explain_passkey(refused, NOT_ACCEPTED)?;
            let errors = match errors.get("password") {
                Some(_) => errors,
                None => at_field(&errors, "name"),
            };
            enrol_page(&state, &visitor, &actor, &errors, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "second_factor/passkey_remove.html")]
struct RemovePage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    id: PasskeyId,
    name: String,
    password: Input,
    submit: Button,
}

async fn remove_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &hearth_app::Actor,
    id: &str,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let id: PasskeyId = id.parse().map_err(|_| WebError::NotFound)?;
    let Some(passkey) = state
        .hearth
        .passkeys(actor)
        .await?
        .into_iter()
        .find(|p| p.id == id)
    else {
        return Err(WebError::NotFound);
    };
    let mut submit = fields::submit("Remove the passkey");
    submit.classes = Some("govuk-button--warning".into());
    let page = RemovePage {
        shell: Shell::new(state, visitor, "Remove a passkey").with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        id,
        name: passkey.name,
        password: fields::password("password", "Your password", "current-password", errors),
        submit,
    };
    Ok(render(status, &page))
}

/// `GET /account/two-factor/passkeys/{id}/remove`.
pub async fn remove_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    remove_page(
        &state,
        &visitor,
        &actor,
        &id,
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

/// `POST /account/two-factor/passkeys/{id}/remove`.
pub async fn remove(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let passkey: PasskeyId = id.parse().map_err(|_| WebError::NotFound)?;
    match state
        .hearth
        .remove_passkey(&actor, passkey, &f.password)
        .await
    {
        Ok(_) => Ok(Redirect::to("/account/two-factor#passkeys").into_response()),
        Err(CodeRefused::Wrong) => {
            let mut errors = FieldErrors::new();
            errors.add("password", "Your password is not correct");
            remove_page(
                &state,
                &visitor,
                &actor,
                &id,
                &errors,
                StatusCode::UNAUTHORIZED,
            )
            .await
        }
        Err(refused) => {
            let (errors, status) = explain_passkey(refused, NOT_ACCEPTED)?;
            let shown = at_field(&errors, "password");
            remove_page(&state, &visitor, &actor, &id, &shown, status).await
        }
    }
}

/// `POST /sign-in/code/passkey/options`: the options for giving a passkey after the
/// password.
pub async fn sign_in_options(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    if actor.second_factor != SessionFactor::CodeNeeded {
        return Err(WebError::NotFound);
    }
    options_answer(
        state.hearth.begin_passkey_sign_in(&actor).await,
        PASSKEY_REFUSED,
    )
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    credential: String,
    #[serde(default)]
    next: String,
}

/// `POST /sign-in/code/passkey`: the passkey's answer, from the browser.
pub async fn sign_in(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<SignInForm>,
) -> Result<Response, WebError> {
    if actor.second_factor != SessionFactor::CodeNeeded {
        return Ok(Redirect::to(safe_path(&f.next)).into_response());
    }
    match state.hearth.pass_with_passkey(&actor, &f.credential).await {
        Ok(()) => Ok(Redirect::to(safe_path(&f.next)).into_response()),
        Err(refused) => {
            let (errors, status) = explain_passkey(refused, PASSKEY_REFUSED)?;
            let shown = at_field(&errors, "code");
            Ok(render(
                status,
                &code_page(&state, &visitor, &actor, &shown, &f.next).await?,
            ))
        }
    }
}
