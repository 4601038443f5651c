use super::{ActiveForm, Done, Refusal, Version};
use crate::components::{BackLink, Button, ErrorSummary, Input, NotificationBanner, Select, Table};
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
use hearth_app::accounts::admin::OrganisationForm;
use hearth_app::records::Organisation;
use hearth_app::AppError;
use hearth_domain::ids::OrganisationId;
use hearth_domain::input::FieldErrors;
use hearth_domain::organisation::OrganisationKind;

#[derive(Template)]
#[template(path = "admin/organisations.html")]
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
    let orgs = state.hearth.organisations(&actor).await?;
    let rows = orgs
        .iter()
        .map(|o| {
            vec![
                fields::html_cell(format!(
                    r#"<a class="govuk-link" href="/admin/organisations/{}">{}</a>"#,
                    o.id,
                    askama_escape(&o.name)
                )),
                fields::text_cell(o.kind.label()),
                fields::text_cell(o.identifier.as_deref().unwrap_or("")),
                fields::text_cell(if o.active { "Active" } else { "Deactivated" }),
            ]
        })
        .collect();
    let page = ListPage {
        shell: Shell::new(&state, &visitor, "Organisations").at("/admin/organisations"),
        banner: done.banner("Organisation"),
        table: fields::table(
            &format!("{} organisations", orgs.len()),
            &["Name", "Type", "Identifier", "Status"],
            rows,
        ),
    };
    Ok(render(StatusCode::OK, &page))
}

pub(crate) fn askama_escape(text: &str) -> String {
    askama::filters::escape(text, askama::filters::Html)
        .map(|e| e.to_string())
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "admin/organisation_form.html")]
struct FormPage {
    shell: Shell,
    back: BackLink,
    heading: String,
    action: String,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    name: Input,
    kind: Select,
    identifier: Input,
    submit: Button,
    version: i64,
    /// The saved record, when editing.
    existing: Option<Organisation>,
    /// The version someone else saved, when this save was refused.
    theirs: Option<Organisation>,
}

fn form_page(
    state: &AppState,
    visitor: &Visitor,
    form: &OrganisationForm,
    errors: &FieldErrors,
    existing: Option<Organisation>,
) -> FormPage {
    let heading = match &existing {
        Some(o) => format!("Edit {}", o.name),
        None => "Add an organisation".to_string(),
    };
    let mut kinds = vec![(String::new(), "Select the type".to_string())];
    kinds.extend(
        OrganisationKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), k.label().to_string())),
    );
    FormPage {
        back: BackLink {
            text: Some("Back to organisations".into()),
            ..BackLink::to("/admin/organisations")
        },
        shell: Shell::new(state, visitor, &heading).at("/admin/organisations").with_errors(!errors.is_empty()),
        action: existing.as_ref().map(|o| format!("/admin/organisations/{}", o.id)).unwrap_or_else(|| "/admin/organisations/new".into()),
        heading,
        banner: None,
        error_summary: fields::error_summary(errors),
        name: fields::text("name", "Name", &form.name, errors),
        kind: fields::select("kind", "Type of organisation", kinds, &form.kind, errors),
        identifier: fields::with_hint(
            fields::text("identifier", "Identifier (optional)", &form.identifier, errors),
            "A school's URN (6 digits), a health organisation's ODS code, a charity's registered number, or another reference.",
        ),
        submit: fields::submit("Save organisation"),
        version: existing.as_ref().map(|o| o.version).unwrap_or(0),
        existing,
        theirs: None,
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    state.hearth.organisations(&actor).await?;
    Ok(render(
        StatusCode::OK,
        &form_page(
            &state,
            &visitor,
            &OrganisationForm::default(),
            &FieldErrors::new(),
            None,
        ),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(form): Form<OrganisationForm>,
) -> Result<Response, WebError> {
    match state.hearth.create_organisation(Some(&actor), &form).await {
        Ok(_) => Ok(Redirect::to("/admin/organisations?done=created").into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &form_page(&state, &visitor, &form, &errors, None),
        )),
        Err(e) => Err(e.into()),
    }
}

fn parse_id(id: &str) -> Result<OrganisationId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

pub async fn edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, WebError> {
    let org = state.hearth.organisation(&actor, parse_id(&id)?).await?;
    let mut page = form_page(
        &state,
        &visitor,
        &OrganisationForm::from_record(&org),
        &FieldErrors::new(),
        Some(org),
    );
    page.banner = done.banner("Organisation");
    Ok(render(StatusCode::OK, &page))
}

pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    FormParts(Version { version }, form): FormParts<Version, OrganisationForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let result = state
        .hearth
        .update_organisation(&actor, id, version, &form)
        .await;
    let Some(refusal) = Refusal::of(result)? else {
        return Ok(Redirect::to(&format!("/admin/organisations/{id}?done=saved")).into_response());
    };
    let saved = state.hearth.organisation(&actor, id).await?;
    let mut page = form_page(
        &state,
        &visitor,
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
    state
        .hearth
        .set_organisation_active(&actor, id, f.active())
        .await?;
    Ok(Redirect::to(&format!("/admin/organisations/{id}?done={}", f.done())).into_response())
}
