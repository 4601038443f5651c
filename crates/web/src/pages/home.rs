//! The start page after signing in: who you are and what you can do here.

use crate::pages::render;
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hearth_domain::role::Capability;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    shell: Shell,
    name: String,
    organisation: String,
    team: Option<String>,
    roles: Vec<&'static str>,
    /// (href, title, description) of what the user's roles let them do.
    tasks: Vec<(&'static str, &'static str, &'static str)>,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Response {
    let mut tasks = Vec::new();
    if actor.can(Capability::ManageUsers) {
        tasks.push((
            "/admin/users",
            "Users",
            "Create accounts, give roles, unlock and deactivate them.",
        ));
    }
    if actor.can(Capability::ManageOrganisations) {
        tasks.push(("/admin/organisations", "Organisations", "The council, schools, health, police, housing, DWP and community groups in the partnership."));
        tasks.push((
            "/admin/teams",
            "Teams",
            "Teams within each organisation: the front door, Family Hubs, pastoral teams.",
        ));
    }
    if actor.can(Capability::ViewAuditLog) {
        tasks.push(("/admin/audit", "Audit log", "Every sign-in, change and view of personal data, searchable by person, record and date."));
    }
    tasks.push((
        "/account/password",
        "Change your password",
        "Use a long password: three random words work well.",
    ));
    let page = HomePage {
        shell: Shell::new(&state, &visitor, "My work").at("/"),
        name: actor.display_name.clone(),
        organisation: actor.organisation_name.clone(),
        team: actor.team_name.clone(),
        roles: actor.roles.roles().iter().map(|r| r.label()).collect(),
        tasks,
    };
    render(StatusCode::OK, &page)
}
