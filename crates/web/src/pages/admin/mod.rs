//! Administration pages: organisations, teams, users, single sign-on and the audit log.

mod audit;
mod audit_details;
mod identity_providers;
mod letters;
mod messages;
mod organisations;
mod sharing;
mod teams;
mod users;

use crate::components::NotificationBanner;
use crate::error::WebError;
use crate::AppState;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use hearth_app::AppError;
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/organisations", get(organisations::list))
        .route(
            "/admin/organisations/new",
            get(organisations::new_form).post(organisations::create),
        )
        .route(
            "/admin/organisations/{id}",
            get(organisations::edit_form).post(organisations::update),
        )
        .route(
            "/admin/organisations/{id}/active",
            post(organisations::set_active),
        )
        .route("/admin/teams", get(teams::list))
        .route("/admin/teams/new", get(teams::new_form).post(teams::create))
        .route(
            "/admin/teams/{id}",
            get(teams::edit_form).post(teams::update),
        )
        .route("/admin/teams/{id}/active", post(teams::set_active))
        .route("/admin/users", get(users::list))
        .route("/admin/users/new", get(users::new_form).post(users::create))
        .route(
            "/admin/users/{id}",
            get(users::edit_form).post(users::update),
        )
        .route("/admin/users/{id}/active", post(users::set_active))
        .route("/admin/users/{id}/unlock", post(users::unlock))
        .route(
            "/admin/users/{id}/second-factor/reset",
            post(users::reset_second_factor),
        )
        .route("/admin/users/{id}/password-reset", post(users::make_reset))
        .route("/admin/role-changes", get(users::role_changes))
        .route(
            "/admin/users/{id}/role-changes/{change}/{decision}",
            post(users::decide_role_change),
        )
        .route(
            "/admin/users/{id}/tokens/{token}/revoke",
            post(users::revoke_token),
        )
        .route("/admin/identity-providers", get(identity_providers::list))
        .route(
            "/admin/identity-providers/new",
            get(identity_providers::new_form).post(identity_providers::create),
        )
        .route(
            "/admin/identity-providers/{id}",
            get(identity_providers::edit_form).post(identity_providers::update),
        )
        .route(
            "/admin/identity-providers/{id}/rules",
            post(identity_providers::add_rule),
        )
        .route(
            "/admin/identity-providers/{id}/rules/{rule}/{decision}",
            post(identity_providers::decide_rule),
        )
        .route("/admin/audit", get(audit::search))
        .route("/admin/audit/export", get(audit::export))
        .route("/admin/sharing", get(sharing::report))
        .route("/admin/break-glass", get(sharing::break_glass))
        .route("/admin/messages", get(messages::list))
        .route("/admin/letters", get(letters::list))
        .route(
            "/admin/letters/{kind}/{language}",
            get(letters::edit_form).post(letters::update),
        )
        .route("/admin/messages/{id}/retry", post(messages::retry))
}

/// `?done=…` after a change, so the next page can say what happened.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

impl Done {
    /// A success banner for the change named in the query, if any.
    pub fn banner(&self, what: &str) -> Option<NotificationBanner> {
        let message = match self.done.as_deref()? {
            "created" => format!("{what} created."),
            "saved" => format!("{what} saved."),
            "deactivated" => format!("{what} deactivated. Its history is kept."),
            "reactivated" => format!("{what} reactivated."),
            "unlocked" => format!("{what} unlocked."),
            "factor_reset" => {
                "Second factor reset: they set one up again when they next sign in.".to_string()
            }
            "revoked" => "API token revoked: it no longer works.".to_string(),
            "approved" => "Role change approved: it applies now.".to_string(),
            "rejected" => "Role change rejected: nothing was given.".to_string(),
            "retried" => format!("{what} queued to be sent again."),
            _ => return None,
        };
        Some(crate::fields::success(&message))
    }
}

/// The `active` form on an edit page: deactivate or reactivate.
#[derive(Debug, Deserialize)]
pub struct ActiveForm {
    active: String,
}

impl ActiveForm {
    pub fn active(&self) -> bool {
        self.active == "true"
    }

    pub fn done(&self) -> &'static str {
        if self.active() {
            "reactivated"
        } else {
            "deactivated"
        }
    }
}

/// The hidden version that protects an edit from overwriting someone else's; read beside
/// the edit's fields (`FormParts<Version, …>`).
#[derive(Debug, Deserialize)]
pub struct Version {
    #[serde(default)]
    pub version: i64,
}

/// Why a save was turned away: what was typed needs fixing, or someone else saved first.
/// Either way nothing was saved and the form is shown again with the user's input.
pub enum Refusal {
    Invalid(FieldErrors),
    Conflict,
}

impl Refusal {
    /// `None` when the save went through; other errors pass on as errors.
    pub fn of(result: Result<(), AppError>) -> Result<Option<Refusal>, WebError> {
        match result {
            Ok(()) => Ok(None),
            Err(AppError::Invalid(errors)) => Ok(Some(Refusal::Invalid(errors))),
            Err(AppError::Conflict) => Ok(Some(Refusal::Conflict)),
            Err(e) => Err(e.into()),
        }
    }

    pub fn errors(&self) -> FieldErrors {
        match self {
            Refusal::Invalid(errors) => errors.clone(),
            Refusal::Conflict => {
                let mut errors = FieldErrors::new();
                errors.add("theirs", CONFLICT);
                errors
            }
        }
    }

    pub fn is_conflict(&self) -> bool {
        matches!(self, Refusal::Conflict)
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::Conflict => StatusCode::CONFLICT,
        }
    }
}

const CONFLICT: &str = "Someone else changed this record after you opened it. Your changes have not been saved: they are still in the form below, and the version now saved is shown beside them. Check both, then save again.";
