//! The start page after signing in: who you are and what you can do here.

use crate::dates::UkDate;
use crate::pages::render;
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hearth_app::my_work::MyWork;
use hearth_domain::role::Capability;
use hearth_domain::routing::RequestStatus;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    shell: Shell,
    name: String,
    organisation: String,
    team: Option<String>,
    roles: Vec<&'static str>,
    /// A caseload section only for those who work with families.
    works_with_families: bool,
    /// (href, title, description) of what the user's roles let them do.
    tasks: Vec<(&'static str, &'static str, &'static str)>,
    /// The user's own requests for support and what became of them.
    requests: Vec<(String, String, String, String)>,
    /// Caseload and tasks, for those who work with families.
    work: Option<MyWork>,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Response {
    let mut tasks = Vec::new();
    if actor.can(Capability::SearchFamilies) {
        tasks.push((
            "/people",
            "Find a person or ask for help",
            "Search the family record before adding anyone; then ask for help for the family.",
        ));
    }
    if actor.can(Capability::DecideRequests) {
        tasks.push((
            "/front-door",
            "Front door",
            "Requests waiting for a decision, safeguarding first.",
        ));
    }
    if actor.can(Capability::AllocateWork) {
        tasks.push((
            "/team",
            "Your team",
            "Each worker's caseload and what is overdue: assessments, reviews and visits.",
        ));
    }
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
    let requests = if actor.can(Capability::RequestSupport) {
        match state.hearth.my_requests(&actor).await {
            Ok(list) => list
                .into_iter()
                .map(|v| {
                    let r = &v.request;
                    let status = match (r.status, &r.decision) {
                        (RequestStatus::Draft, _) => "Draft: not sent yet".to_string(),
                        (RequestStatus::Decided, Some(d)) => {
                            format!("Decided: {}", d.outcome.label())
                        }
                        (status, _) => status.label().to_string(),
                    };
                    (
                        r.id.to_string(),
                        r.created_at.uk(),
                        v.people
                            .iter()
                            .map(|(_, name, _)| name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        status,
                    )
                })
                .collect(),
            Err(e) => return crate::error::WebError::from(e).into_response(),
        }
    } else {
        Vec::new()
    };
    let work = match state.hearth.my_work(&actor).await {
        Ok(w) => Some(w),
        Err(e) => return crate::error::WebError::from(e).into_response(),
    };
    let page = HomePage {
        works_with_families: actor.can(Capability::SearchFamilies),
        work,
        requests,
        shell: Shell::new(&state, &visitor, "My work").at("/"),
        name: actor.display_name.clone(),
        organisation: actor.organisation_name.clone(),
        team: actor.team_name.clone(),
        roles: actor.roles.roles().iter().map(|r| r.label()).collect(),
        tasks,
    };
    render(StatusCode::OK, &page)
}
