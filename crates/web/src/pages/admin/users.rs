use super::organisations::askama_escape;
use super::{ActiveForm, Done, Refusal, Version};
use crate::components::{
    BackLink, Button, Checkboxes, ErrorSummary, Input, NotificationBanner, Select, Table, Textarea,
};
use crate::dates::{UkDate, UkMoment};
use crate::error::WebError;
use crate::fields;
use crate::form::{Form, FormParts};
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::accounts::admin::UserForm;
use hearth_app::records::{
    ApiToken, Organisation, PasswordReset, RoleChange, Team, User, UserFilter,
};
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
    /// How many role changes wait for a second administrator.
    waiting: usize,
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
    Query(done): Query<Done>,
) -> Result<Response, WebError> {
    let filter = UserFilter {
        text: Some(q.q.trim().to_string()).filter(|t| !t.is_empty()),
        organisation_id: q.organisation_id.parse().ok(),
    };
    let users = state.hearth.users(&actor, &filter).await?;
    let orgs = state.hearth.organisation_choices(&actor).await?;
    let waiting = state.hearth.pending_role_changes(&actor).await?.len();
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
        banner: done.banner("User"),
        waiting,
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
    /// Tokens are made by their owner; an administrator sees and may revoke them.
    tokens: Vec<ApiToken>,
    /// A role change waiting for a second administrator.
    pending: Option<RoleChange>,
    /// The viewer proposed the waiting change (so may withdraw it, never approve it).
    proposed_by_me: bool,
    /// The account's latest password reset link (never its token).
    reset: Option<PasswordReset>,
    /// The account has a second factor an administrator may reset, with a reason.
    has_second_factor: bool,
    reset_reason: Textarea,
    /// A link just made, shown this once to hand over.
    new_reset: Option<(String, chrono::DateTime<chrono::Utc>)>,
    /// Where a link just made was emailed, and until when it works.
    reset_sent: Option<(String, chrono::DateTime<chrono::Utc>)>,
    now: chrono::DateTime<chrono::Utc>,
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
        roles: fields::checkboxes_with_hint(fields::checkboxes("roles", "Roles", roles, &form.roles, errors), "Removing a role takes effect at once. Giving a role that reaches families' records, or the administrator role, waits until another administrator approves it; so does a new team for someone who holds such a role."),
        password: existing.is_none().then(|| {
            fields::with_hint(
                fields::password("password", "First password", "new-password", errors),
                &format!("At least {PASSWORD_MIN} characters. Give it to the person privately; they must choose their own when they first sign in."),
            )
        }),
        submit: fields::submit("Save user"),
        version: existing.as_ref().map(|u| u.version).unwrap_or(0),
        locked: existing.as_ref().is_some_and(|u| u.locked_until.is_some_and(|t| t > now)),
        tokens: Vec::new(),
        pending: None,
        proposed_by_me: false,
        reset: None,
        has_second_factor: false,
        reset_reason: fields::textarea(
            "reason",
            "Why are you resetting it?",
            "",
            errors,
        ),
        new_reset: None,
        reset_sent: None,
        now,
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
        Role::HubWorker => {
            "Registers families at a Family Hub and marks its registers; does not see family records."
        }
        Role::TafWorker => {
            "Advises lead professionals from a Family Hub, and writes the partnership's practice guidance."
        }
        Role::QualityAuditor => {
            "Audits and moderates samples of case files; opens a family's record only for a file in a sample."
        }
        Role::SocialWorker => {
            "Records children coming into care and asks the placements team for a home for the children they hold."
        }
        Role::PlacementsOfficer => {
            "Keeps homes, carers and vacancies current and places children in care; opens only children in care."
        }
        Role::PartnerDataAnalyst => {
            "Imports partners' data for early identification and decides uncertain matches, seeing the people in them."
        }
        Role::ProgrammeLead => {
            "Makes the Supporting Families claims, audits their samples and sends the programme's data return."
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
    let mut page = form_page(
        &state,
        &visitor,
        &choices,
        &UserForm::from_record(&user),
        &FieldErrors::new(),
        Some(user.clone()),
    );
    with_account_state(&state, &actor, &mut page, user.id).await?;
    page.banner = done.banner("User");
    Ok(render(StatusCode::OK, &page))
}

/// A user's page as saved, with its account's state, showing `errors` from one of its forms.
async fn account_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: UserId,
    errors: &FieldErrors,
) -> Result<FormPage, WebError> {
    let user = state.hearth.user(actor, id).await?;
    let choices = choices(state, actor).await?;
    let mut page = form_page(
        state,
        visitor,
        &choices,
        &UserForm::from_record(&user),
        errors,
        Some(user.clone()),
    );
    with_account_state(state, actor, &mut page, user.id).await?;
    Ok(page)
}

/// The account's tokens and any role change waiting for it.
async fn with_account_state(
    state: &AppState,
    actor: &Actor,
    page: &mut FormPage,
    user: UserId,
) -> Result<(), WebError> {
    page.tokens = state.hearth.api_tokens(actor, user).await?;
    page.reset = state.hearth.latest_password_reset(actor, user).await?;
    page.has_second_factor = state.hearth.user_has_second_factor(actor, user).await?;
    page.pending = state.hearth.pending_role_change(actor, user).await?;
    page.proposed_by_me = page
        .pending
        .as_ref()
        .is_some_and(|c| c.proposed_by == actor.user_id);
    Ok(())
}

pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    FormParts(Version { version }, form): FormParts<Version, UserForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let result = state.hearth.update_user(&actor, id, version, &form).await;
    let Some(refusal) = Refusal::of(result)? else {
        return Ok(Redirect::to(&format!("/admin/users/{id}?done=saved")).into_response());
    };
    let saved = state.hearth.user(&actor, id).await?;
    let choices = choices(&state, &actor).await?;
    let mut page = form_page(
        &state,
        &visitor,
        &choices,
        &form,
        &refusal.errors(),
        Some(saved.clone()),
    );
    if refusal.is_conflict() {
        page.theirs = Some(saved);
    } else {
        page.version = version;
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

/// Makes a one-time link for the user to choose a new password, and shows it this once.
pub async fn make_reset(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let made = state.hearth.make_password_reset(&actor, id).await;
    let (errors, link) = match made {
        Ok(link) => (FieldErrors::new(), Some(link)),
        Err(AppError::Invalid(errors)) => (errors, None),
        Err(e) => return Err(e.into()),
    };
    let mut page = account_page(&state, &visitor, &actor, id, &errors).await?;
    if let Some(l) = link {
        match (l.token, l.sent_to) {
            (_, Some(to)) => page.reset_sent = Some((to, l.expires_at)),
            (Some(token), None) => {
                page.new_reset = Some((reset_url(&state, &headers, &token), l.expires_at));
            }
            (None, None) => {}
        }
    }
    Ok(render(status_for(!errors.is_empty()), &page))
}

#[derive(Debug, Deserialize)]
pub struct ResetFactorForm {
    #[serde(default)]
    reason: String,
}

/// Takes away a user's lost second factor, with a reason (ADR 0048); they set one up again
/// at their next sign-in.
pub async fn reset_second_factor(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ResetFactorForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    match state
        .hearth
        .reset_second_factor(&actor, id, &f.reason)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/admin/users/{id}?done=factor_reset")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let mut page = account_page(&state, &visitor, &actor, id, &errors).await?;
            page.reset_reason.value = Some(f.reason);
            Ok(render(status_for(true), &page))
        }
        Err(e) => Err(e.into()),
    }
}

/// The link in full, on the address the administrator reached Hearth by.
fn reset_url(state: &AppState, headers: &HeaderMap, token: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.settings.secure {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}/reset-password/{token}")
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

#[derive(Template)]
#[template(path = "admin/role_changes.html")]
struct RoleChangesPage {
    shell: Shell,
    changes: Vec<RoleChange>,
    me: UserId,
}

/// Every role change waiting for a second administrator.
pub async fn role_changes(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let changes = state.hearth.pending_role_changes(&actor).await?;
    let page = RoleChangesPage {
        shell: Shell::new(&state, &visitor, "Role changes waiting for approval").at("/admin/users"),
        changes,
        me: actor.user_id,
    };
    Ok(render(StatusCode::OK, &page))
}

/// Approves or rejects (or, by its proposer, withdraws) a waiting role change.
pub async fn decide_role_change(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path((id, change, decision)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let change = change.parse().map_err(|_| WebError::NotFound)?;
    let done = match decision.as_str() {
        "approve" => {
            state.hearth.approve_role_change(&actor, change).await?;
            "approved"
        }
        "reject" => {
            state.hearth.reject_role_change(&actor, change).await?;
            "rejected"
        }
        _ => return Err(WebError::NotFound),
    };
    Ok(Redirect::to(&format!("/admin/users/{id}?done={done}")).into_response())
}
