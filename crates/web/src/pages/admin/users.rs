use super::organisations::askama_escape;
use super::{ActiveForm, Done, Refusal, Versioned};
use crate::components::{
    BackLink, Button, Checkboxes, ErrorSummary, Input, NotificationBanner, Select, Table,
};
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
use hearth_app::admin::UserForm;
use hearth_app::records::{ApiToken, Organisation, Team, User, UserFilter};
use hearth_app::{Actor, AppError};
use hearth_domain::ids::UserId;
use hearth_domain::input::{FieldErrors, PASSWORD_MIN};
use hearth_domain::role::Role;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/users.html")]
struct ListPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    search: Input,
    organisation: Select,
    table: Table,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    organisation_id: String,
    #[serde(flatten)]
    done: Done,
}

fn status(u: &User, now: chrono::DateTime<chrono::Utc>) -> &'static str {
    if !u.active {
        "Deactivated"
    } else if u.locked_until.is_some_and(|t| t > now) {
        // Waiting after too many wrong passwords (the sign-in throttle), until unlocked.
        "Waiting to sign in"
    } else {
        "Active"
    }
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let filter = UserFilter {
        text: Some(q.q.trim().to_string()).filter(|t| !t.is_empty()),
        organisation_id: q.organisation_id.parse().ok(),
    };
    let users = state.hearth.users(&actor, &filter).await?;
    let orgs = state.hearth.organisation_choices(&actor).await?;
    let now = state.hearth.now();
    let rows = users
        .iter()
        .map(|u| {
            vec![
                fields::html_cell(format!(
                    r#"<a class="govuk-link" href="/admin/users/{}">{}</a>"#,
                    u.id,
                    askama_escape(&u.display_name)
                )),
                fields::text_cell(&u.email),
                fields::text_cell(&u.organisation_name),
                fields::text_cell(
                    u.roles
                        .roles()
                        .iter()
                        .map(|r| r.label())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                fields::text_cell(status(u, now)),
            ]
        })
        .collect();
    let mut org_choices = vec![(String::new(), "All organisations".to_string())];
    org_choices.extend(orgs.iter().map(|o| (o.id.to_string(), o.name.clone())));
    let page = ListPage {
        shell: Shell::new(&state, &visitor, "Users").at("/admin/users"),
        banner: q.done.banner("User"),
        search: fields::text("q", "Name or email address", &q.q, &FieldErrors::new()),
        organisation: fields::select(
            "organisation_id",
            "Organisation",
            org_choices,
            &q.organisation_id,
            &FieldErrors::new(),
        ),
        table: fields::table(
            &format!("{} users", users.len()),
            &["Name", "Email address", "Organisation", "Roles", "Status"],
            rows,
        ),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "admin/user_form.html")]
struct FormPage {
    shell: Shell,
    back: BackLink,
    heading: String,
    action: String,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    display_name: Input,
    email: Input,
    job_title: Input,
    phone: Input,
    organisation: Select,
    team: Select,
    roles: Checkboxes,
    password: Option<Input>,
    submit: Button,
    version: i64,
    existing: Option<User>,
    theirs: Option<User>,
    locked: bool,
    is_self: bool,
    tokens: Vec<ApiToken>,
    /// A token just made: shown once, never again.
    new_token: Option<String>,
    token_name: Input,
}

struct Choices {
    orgs: Vec<Organisation>,
    teams: Vec<Team>,
}

async fn choices(state: &AppState, actor: &Actor) -> Result<Choices, WebError> {
    Ok(Choices {
        orgs: state.hearth.organisation_choices(actor).await?,
        teams: state.hearth.team_choices(actor).await?,
    })
}

fn form_page(
    state: &AppState,
    visitor: &Visitor,
    choices: &Choices,
    form: &UserForm,
    errors: &FieldErrors,
    existing: Option<User>,
) -> FormPage {
    let heading = match &existing {
        Some(u) => format!("Edit {}", u.display_name),
        None => "Add a user".to_string(),
    };
    let mut orgs = vec![(String::new(), "Select the organisation".to_string())];
    orgs.extend(
        choices
            .orgs
            .iter()
            .filter(|o| o.active || o.id.to_string() == form.organisation_id)
            .map(|o| (o.id.to_string(), o.name.clone())),
    );
    let mut teams = vec![(String::new(), "No team".to_string())];
    teams.extend(
        choices
            .teams
            .iter()
            .filter(|t| t.active || t.id.to_string() == form.team_id)
            .map(|t| {
                (
                    t.id.to_string(),
                    format!("{} – {}", t.organisation_name, t.name),
                )
            }),
    );
    let roles = Role::ALL
        .iter()
        .map(|r| {
            (
                r.code().to_string(),
                r.label().to_string(),
                Some(role_hint(*r).to_string()),
            )
        })
        .collect();
    let now = state.hearth.now();
    FormPage {
        back: BackLink {
            text: Some("Back to users".into()),
            ..BackLink::to("/admin/users")
        },
        shell: Shell::new(state, visitor, &heading).at("/admin/users").with_errors(!errors.is_empty()),
        action: existing.as_ref().map(|u| format!("/admin/users/{}", u.id)).unwrap_or_else(|| "/admin/users/new".into()),
        heading,
        banner: None,
        error_summary: fields::error_summary(errors),
        display_name: fields::text("display_name", "Full name", &form.display_name, errors),
        email: fields::email("email", "Email address", &form.email, errors),
        job_title: fields::text("job_title", "Job title (optional)", &form.job_title, errors),
        phone: fields::with_hint(fields::text("phone", "Work phone number (optional)", &form.phone, errors), "Other practitioners see this when they need to contact this person about a family."),
        organisation: fields::select("organisation_id", "Organisation", orgs, &form.organisation_id, errors),
        team: fields::select("team_id", "Team", teams, &form.team_id, errors),
        roles: fields::checkboxes("roles", "Roles", roles, &form.roles, errors),
        password: existing.is_none().then(|| {
            fields::with_hint(
                fields::password("password", "First password", "new-password", errors),
                &format!("At least {PASSWORD_MIN} characters. Give it to the person privately; they can change it after signing in."),
            )
        }),
        submit: fields::submit("Save user"),
        version: existing.as_ref().map(|u| u.version).unwrap_or(0),
        locked: existing.as_ref().is_some_and(|u| u.locked_until.is_some_and(|t| t > now)),
        tokens: Vec::new(),
        new_token: None,
        token_name: fields::with_hint(fields::text("token_name", "Name of the system that will use the token", "", errors), "For example, the school's MIS. The token acts as this user, with their roles."),
        is_self: existing.as_ref().is_some_and(|u| Some(u.id) == visitor.actor().map(|a| a.user_id)),
        existing,
        theirs: None,
    }
}

fn role_hint(role: Role) -> &'static str {
    match role {
        Role::Practitioner => "Asks for help for families and joins their Team Around the Family.",
        Role::LeadProfessional => "Leads a family's early help.",
        Role::FrontDoorOfficer => "Decides requests for support at the front door (MASH).",
        Role::FamilyHelpWorker => "Works with families who need Targeted Family Help.",
        Role::TeamManager => {
            "Allocates work, oversees caseloads, signs off assessments, plans and closures."
        }
        Role::DirectoryEditor => {
            "Keeps their organisation's services in the directory up to date; changes are reviewed."
        }
        Role::DirectoryReviewer => {
            "Reviews and publishes changes to the directory, and keeps any service current."
        }
        Role::Analyst => "Sees reports and KPIs, not family records.",
        Role::DataProtectionOfficer => "Consent, the audit log and subject access requests.",
        Role::Administrator => {
            "Manages accounts, organisations and teams; does not see family records."
        }
    }
}

fn parse_id(id: &str) -> Result<UserId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let choices = choices(&state, &actor).await?;
    Ok(render(
        StatusCode::OK,
        &form_page(
            &state,
            &visitor,
            &choices,
            &UserForm::default(),
            &FieldErrors::new(),
            None,
        ),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(form): Form<UserForm>,
) -> Result<Response, WebError> {
    match state.hearth.create_user(Some(&actor), &form).await {
        Ok(id) => Ok(Redirect::to(&format!("/admin/users/{id}?done=created")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let choices = choices(&state, &actor).await?;
            Ok(render(
                status_for(true),
                &form_page(&state, &visitor, &choices, &form, &errors, None),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, WebError> {
    let user = state.hearth.user(&actor, parse_id(&id)?).await?;
    let choices = choices(&state, &actor).await?;
    let tokens = state.hearth.api_tokens(&actor, user.id).await?;
    let mut page = form_page(
        &state,
        &visitor,
        &choices,
        &UserForm::from_record(&user),
        &FieldErrors::new(),
        Some(user),
    );
    page.tokens = tokens;
    page.banner = done.banner("User");
    Ok(render(StatusCode::OK, &page))
}

pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Versioned<UserForm>>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let result = state
        .hearth
        .update_user(&actor, id, f.version, &f.fields)
        .await;
    let Some(refusal) = Refusal::of(result)? else {
        return Ok(Redirect::to(&format!("/admin/users/{id}?done=saved")).into_response());
    };
    let saved = state.hearth.user(&actor, id).await?;
    let choices = choices(&state, &actor).await?;
    let mut page = form_page(
        &state,
        &visitor,
        &choices,
        &f.fields,
        &refusal.errors(),
        Some(saved.clone()),
    );
    if refusal.is_conflict() {
        page.theirs = Some(saved);
    } else {
        page.version = f.version;
    }
    Ok(render(refusal.status(), &page))
}

pub async fn set_active(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ActiveForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    match state.hearth.set_user_active(&actor, id, f.active()).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/users/{id}?done={}", f.done())).into_response()),
        Err(AppError::Invalid(errors)) => {
            let user = state.hearth.user(&actor, id).await?;
            let choices = choices(&state, &actor).await?;
            Ok(render(
                status_for(true),
                &form_page(
                    &state,
                    &visitor,
                    &choices,
                    &UserForm::from_record(&user),
                    &errors,
                    Some(user),
                ),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn unlock(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    state.hearth.unlock_user(&actor, id).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}?done=unlocked")).into_response())
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    token_name: String,
}

/// Makes an API token and shows it once, on the user's page.
pub async fn create_token(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<TokenForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let made = state
        .hearth
        .create_api_token(&actor, id, &f.token_name)
        .await;
    let user = state.hearth.user(&actor, id).await?;
    let choices = choices(&state, &actor).await?;
    let errors = match &made {
        Err(AppError::Invalid(e)) => e.clone(),
        _ => FieldErrors::new(),
    };
    let mut page = form_page(
        &state,
        &visitor,
        &choices,
        &UserForm::from_record(&user),
        &errors,
        Some(user),
    );
    page.tokens = state.hearth.api_tokens(&actor, id).await?;
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
    Path((id, token)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let token = token.parse().map_err(|_| WebError::NotFound)?;
    state.hearth.revoke_api_token(&actor, id, token).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}?done=revoked")).into_response())
}
