//! The signed-in user's own account: changing their password.

use crate::components::{Button, ErrorSummary, Input, NotificationBanner};
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::AppError;
use hearth_domain::input::{FieldErrors, PASSWORD_MIN};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    current: Input,
    new: Input,
    confirm: Input,
    submit: Button,
}

fn page(state: &AppState, visitor: &Visitor, errors: &FieldErrors, changed: bool) -> PasswordPage {
    PasswordPage {
        shell: Shell::new(state, visitor, "Change your password").at("/account/password").with_errors(!errors.is_empty()),
        banner: changed.then(|| crate::fields::success("Your password has been changed. You have been signed out everywhere else.")),
        error_summary: fields::error_summary(errors),
        current: fields::password("current_password", "Current password", "current-password", errors),
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
        Ok(()) => Ok(Redirect::to("/account/password?changed=1").into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &page(&state, &visitor, &errors, false),
        )),
        Err(e) => Err(e.into()),
    }
}
