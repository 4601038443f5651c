use super::organisations::askama_escape;
use super::{ActiveForm, Done, Refusal, Version};
use crate::components::{
    BackLink, Button, ErrorSummary, Input, NotificationBanner, Select, Table, Textarea,
};
use crate::error::WebError;
use crate::fields;
use crate::form::{Form, FormParts};
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::accounts::admin::TeamForm;
use hearth_app::records::{Organisation, Team};
use hearth_app::AppError;
use hearth_domain::ids::TeamId;
use hearth_domain::input::FieldErrors;

#[derive(Template)]
#[template(path = "admin/teams.html")]
struct ListPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    table: Table,
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(done): Query<Done>,
) -> Result<Response, WebError> {
    let teams = state.hearth.teams(&actor).await?;
    let rows = teams
        .iter()
        .map(|t| {
            vec![
                fields::html_cell(format!(
                    r#"<a class="govuk-link" href="/admin/teams/{}">{}</a>"#,
                    t.id,
                    askama_escape(&t.name)
                )),
                fields::text_cell(&t.organisation_name),
                fields::text_cell(if t.active { "Active" } else { "Deactivated" }),
            ]
        })
        .collect();
    let page = ListPage {
        shell: Shell::new(&state, &visitor, "Teams").at("/admin/teams"),
        banner: done.banner("Team"),
        table: fields::table(
            &format!("{} teams", teams.len()),
            &["Team", "Organisation", "Status"],
            rows,
        ),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "admin/team_form.html")]
struct FormPage {
    shell: Shell,
    back: BackLink,
    heading: String,
    action: String,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    organisation: Select,
    name: Input,
    description: Textarea,
    submit: Button,
    version: i64,
    existing: Option<Team>,
    theirs: Option<Team>,
}

fn form_page(
    state: &AppState,
    visitor: &Visitor,
    orgs: &[Organisation],
    form: &TeamForm,
    errors: &FieldErrors,
    existing: Option<Team>,
) -> FormPage {
    let heading = match &existing {
        Some(t) => format!("Edit {}", t.name),
        None => "Add a team".to_string(),
    };
    let mut choices = vec![(String::new(), "Select the organisation".to_string())];
    choices.extend(
        orgs.iter()
            .filter(|o| o.active || o.id.to_string() == form.organisation_id)
            .map(|o| (o.id.to_string(), o.name.clone())),
    );
    FormPage {
        back: BackLink {
            text: Some("Back to teams".into()),
            ..BackLink::to("/admin/teams")
        },
        shell: Shell::new(state, visitor, &heading)
            .at("/admin/teams")
            .with_errors(!errors.is_empty()),
        action: existing
            .as_ref()
            .map(|t| format!("/admin/teams/{}", t.id))
            .unwrap_or_else(|| "/admin/teams/new".into()),
        heading,
        banner: None,
        error_summary: fields::error_summary(errors),
        organisation: fields::select(
            "organisation_id",
            "Organisation",
            choices,
            &form.organisation_id,
            errors,
        ),
        name: fields::text("name", "Team name", &form.name, errors),
        description: fields::textarea(
            "description",
            "What the team does (optional)",
            &form.description,
            errors,
        ),
        submit: fields::submit("Save team"),
        version: existing.as_ref().map(|t| t.version).unwrap_or(0),
        existing,
        theirs: None,
    }
}

fn parse_id(id: &str) -> Result<TeamId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let orgs = state.hearth.organisations(&actor).await?;
    Ok(render(
        StatusCode::OK,
        &form_page(
            &state,
            &visitor,
            &orgs,
            &TeamForm::default(),
            &FieldErrors::new(),
            None,
        ),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(form): Form<TeamForm>,
) -> Result<Response, WebError> {
    match state.hearth.create_team(Some(&actor), &form).await {
        Ok(_) => Ok(Redirect::to("/admin/teams?done=created").into_response()),
        Err(AppError::Invalid(errors)) => {
            let orgs = state.hearth.organisations(&actor).await?;
            Ok(render(
                status_for(true),
                &form_page(&state, &visitor, &orgs, &form, &errors, None),
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
    let team = state.hearth.team(&actor, parse_id(&id)?).await?;
    let orgs = state.hearth.organisations(&actor).await?;
    let mut page = form_page(
        &state,
        &visitor,
        &orgs,
        &TeamForm::from_record(&team),
        &FieldErrors::new(),
        Some(team),
    );
    page.banner = done.banner("Team");
    Ok(render(StatusCode::OK, &page))
}

pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    FormParts(Version { version }, form): FormParts<Version, TeamForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let result = state.hearth.update_team(&actor, id, version, &form).await;
    let Some(refusal) = Refusal::of(result)? else {
        return Ok(Redirect::to(&format!("/admin/teams/{id}?done=saved")).into_response());
    };
    let saved = state.hearth.team(&actor, id).await?;
    let orgs = state.hearth.organisations(&actor).await?;
    let mut page = form_page(
        &state,
        &visitor,
        &orgs,
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
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ActiveForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    state.hearth.set_team_active(&actor, id, f.active()).await?;
    Ok(Redirect::to(&format!("/admin/teams/{id}?done={}", f.done())).into_response())
}
