//! The second factor's pages (ADR 0041): setting up an authenticator app (a QR code, and the
//! secret as text for those who type it), the recovery codes shown once, and the code asked
//! for after a password.

use crate::components::{Button, ErrorSummary, Input};
use crate::dates;
use crate::error::WebError;
use crate::fields;
use crate::form::{safe_path, Form};
use crate::pages::render;
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::accounts::second_factor::{svg_data_uri, CodeRefused};
use hearth_domain::input::FieldErrors;
use hearth_domain::second_factor::SessionFactor;
use hearth_domain::sign_in::minutes_to_wait;
use serde::Deserialize;

/// The one field of both forms.
fn code_input(errors: &FieldErrors, hint: &str) -> Input {
    let mut input = fields::with_hint(fields::text("code", "Code", "", errors), hint);
    input.autocomplete = Some("one-time-code".into());
    input.spellcheck = Some(false);
    input.classes = Some("govuk-input--width-10".into());
    input
}

#[derive(Template)]
#[template(path = "second_factor/enrol.html")]
struct EnrolPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    /// Required by the user's role: nothing else is reachable until it is set up.
    required: bool,
    /// Set up already: how many recovery codes are left.
    enrolled: Option<i64>,
    qr: String,
    secret: String,
    code: Input,
    submit: Button,
    /// The user's passkeys, and whether this Hearth can offer them (ADR 0051).
    passkeys: Vec<PasskeyRow>,
    offered: bool,
    passkey_name: Input,
    passkey_password: Input,
    passkey_submit: Button,
}

/// A passkey as its row in the list shows it.
struct PasskeyRow {
    id: String,
    name: String,
    added: String,
    last_used: String,
}

pub(crate) async fn enrol_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &hearth_app::Actor,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let enrolled = state.hearth.second_factor_status(actor).await?;
    let (qr, secret) = match enrolled {
        Some(_) => (String::new(), String::new()),
        None => {
            let start = state.hearth.begin_second_factor(actor).await?;
            (svg_data_uri(&start.qr_svg), start.secret_text)
        }
    };
    let page = EnrolPage {
        shell: Shell::new(state, visitor, "Sign in with a code from an app")
            .at("/account/two-factor")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        required: actor.second_factor == SessionFactor::MustEnrol,
        enrolled,
        qr,
        secret,
        code: code_input(
            errors,
            "The 6 digits your app shows for Hearth, like 123456.",
        ),
        submit: fields::submit("Set up"),
        passkeys: state
            .hearth
            .passkeys(actor)
            .await?
            .into_iter()
            .map(|p| PasskeyRow {
                id: p.id.to_string(),
                name: p.name,
                added: dates::day_of(p.created_at),
                last_used: p
                    .last_used_at
                    .map_or_else(|| "Not yet".to_string(), dates::moment),
            })
            .collect(),
        offered: state.hearth.passkeys_offered(),
        passkey_name: fields::with_hint(
            fields::text("name", "Name", "", errors),
            "So you can tell your passkeys apart, like Work laptop or Blue security key.",
        ),
        passkey_password: fields::password("password", "Your password", "current-password", errors),
        passkey_submit: fields::submit("Add a passkey"),
    };
    Ok(render(status, &page))
}

/// `GET /account/two-factor`.
pub async fn enrol_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    enrol_page(
        &state,
        &visitor,
        &actor,
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "second_factor/recovery_codes.html")]
struct RecoveryCodesPage {
    shell: Shell,
    codes: Vec<String>,
}

/// `POST /account/two-factor`: the first code from the app; the recovery codes, once.
pub async fn enrol(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<CodeForm>,
) -> Result<Response, WebError> {
    match state.hearth.confirm_second_factor(&actor, &f.code).await {
        Ok(codes) => {
            let page = RecoveryCodesPage {
                shell: Shell::new(&state, &visitor, "Your recovery codes"),
                codes,
            };
            Ok(render(StatusCode::OK, &page))
        }
        Err(refused) => {
            let (errors, status) = explain(refused)?;
            enrol_page(&state, &visitor, &actor, &errors, status).await
        }
    }
}

/// What to tell someone whose code was not accepted, and the status to answer with.
pub(crate) fn explain(refused: CodeRefused) -> Result<(FieldErrors, StatusCode), WebError> {
    let mut errors = FieldErrors::new();
    let status = match refused {
        CodeRefused::Invalid(e) => {
            errors = e;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        CodeRefused::Wrong => {
            errors.add("code", "That code is not right, or was used already. Enter the code your app shows now, or one of your recovery codes.");
            StatusCode::UNAUTHORIZED
        }
        CodeRefused::Throttled { wait } => {
            let minutes = minutes_to_wait(wait);
            errors.add(
                "code",
                format!(
                    "Too many codes were wrong. Wait and try again in about {minutes} minute{}.",
                    if minutes == 1 { "" } else { "s" }
                ),
            );
            StatusCode::TOO_MANY_REQUESTS
        }
        CodeRefused::Error(e) => return Err(e.into()),
    };
    Ok((errors, status))
}

#[derive(Template)]
#[template(path = "second_factor/code.html")]
pub(crate) struct CodePage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    code: Input,
    submit: Button,
    next: String,
    /// The user has a passkey to give instead (shown only with JavaScript; ADR 0051).
    passkey: bool,
    passkey_submit: Button,
}

pub(crate) async fn code_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &hearth_app::Actor,
    errors: &FieldErrors,
    next: &str,
) -> Result<CodePage, WebError> {
    let passkey = state.hearth.passkeys_offered() && state.hearth.has_passkeys(actor).await?;
    Ok(CodePage {
        shell: Shell::new(
            state,
            visitor,
            if passkey {
                "Use your passkey or a code"
            } else {
                "Enter the code from your app"
            },
        )
        .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        code: code_input(
            errors,
            "The 6 digits your authenticator app shows for Hearth now, or one of your recovery codes.",
        ),
        submit: fields::submit("Continue"),
        next: safe_path(next).to_string(),
        passkey,
        passkey_submit: fields::submit("Use a passkey"),
    })
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /sign-in/code`.
pub async fn code_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    let next = q.next.unwrap_or_else(|| "/".into());
    if actor.second_factor != SessionFactor::CodeNeeded {
        return Ok(Redirect::to(safe_path(&next)).into_response());
    }
    Ok(render(
        StatusCode::OK,
        &code_page(&state, &visitor, &actor, &FieldErrors::new(), &next).await?,
    ))
}

/// `POST /sign-in/code`.
pub async fn check_code(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<CodeForm>,
) -> Result<Response, WebError> {
    if actor.second_factor != SessionFactor::CodeNeeded {
        return Ok(Redirect::to(safe_path(&f.next)).into_response());
    }
    match state.hearth.pass_second_factor(&actor, &f.code).await {
        Ok(()) => Ok(Redirect::to(safe_path(&f.next)).into_response()),
        Err(refused) => {
            let (errors, status) = explain(refused)?;
            Ok(render(
                status,
                &code_page(&state, &visitor, &actor, &errors, &f.next).await?,
            ))
        }
    }
}
