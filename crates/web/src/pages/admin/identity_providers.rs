//! Single sign-on administration: each organisation's identity provider and the rules that
//! give a first sign-in its roles and team (ADR 0041).

use super::organisations::askama_escape;
use super::{Done, Refusal, Version};
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
use hearth_app::accounts::single_sign_on::{ProviderForm, RuleForm, CALLBACK_PATH};
use hearth_app::records::{IdentityProvider, SignOnRule};
use hearth_app::{Actor, AppError};
use hearth_domain::ids::{IdentityProviderId, SignOnRuleId};
use hearth_domain::input::FieldErrors;
use hearth_domain::role::Role;

const LIST: &str = "/admin/identity-providers";

#[derive(Template)]
#[template(path = "admin/identity_providers.html")]
struct ListPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    table: Table,
    callback: String,
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(done): Query<Done>,
) -> Result<Response, WebError> {
    let providers = state.hearth.identity_providers(&actor).await?;
    let rows = providers
        .iter()
        .map(|p| {
            vec![
                fields::html_cell(format!(
                    r#"<a class="govuk-link" href="{LIST}/{}">{}</a>"#,
                    p.id,
                    askama_escape(&p.organisation_name)
                )),
                fields::text_cell(p.issuer.clone()),
                fields::text_cell(p.email_domains.join(", ")),
                fields::text_cell(if p.active { "On" } else { "Off" }),
            ]
        })
        .collect();
    let page = ListPage {
        shell: Shell::new(&state, &visitor, "Single sign-on").at(LIST),
        banner: done.banner("Identity provider"),
        table: fields::table(
            &format!("{} identity providers", providers.len()),
            &["Organisation", "Issuer", "Email domains", "Sign-in"],
            rows,
        ),
        callback: state.hearth.public_link(CALLBACK_PATH),
    };
    Ok(render(StatusCode::OK, &page))
}

/// A rule as the provider's page lists it.
struct RuleRow {
    id: SignOnRuleId,
    condition: String,
    role: &'static str,
    team: String,
    /// Waiting for a second administrator; `true` when this administrator may confirm it.
    waiting: Option<bool>,
}

#[derive(Template)]
#[template(path = "admin/identity_provider_form.html")]
struct FormPage {
    shell: Shell,
    back: BackLink,
    heading: String,
    action: String,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    organisation: Select,
    issuer: Input,
    client_id: Input,
    client_secret: Input,
    scopes: Input,
    email_domains: Input,
    active: bool,
    submit: Button,
    version: i64,
    callback: String,
    existing: Option<IdentityProvider>,
    rules: Vec<RuleRow>,
    claim: Input,
    value: Input,
    role: Select,
    team: Select,
    add_rule: Button,
}

struct Typed<'a> {
    provider: &'a ProviderForm,
    rule: &'a RuleForm,
}

async fn form_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    typed: Typed<'_>,
    errors: &FieldErrors,
    existing: Option<(IdentityProvider, Vec<SignOnRule>)>,
) -> Result<FormPage, WebError> {
    let form = typed.provider;
    let heading = match &existing {
        Some((p, _)) => format!("Single sign-on for {}", p.organisation_name),
        None => "Add an identity provider".to_string(),
    };
    let mut organisations = vec![(String::new(), "Select the organisation".to_string())];
    organisations.extend(
        state
            .hearth
            .organisations(actor)
            .await?
            .into_iter()
            .filter(|o| o.active)
            .map(|o| (o.id.to_string(), o.name)),
    );
    let mut teams = vec![(String::new(), "No team".to_string())];
    if let Some((p, _)) = &existing {
        teams.extend(
            state
                .hearth
                .teams(actor)
                .await?
                .into_iter()
                .filter(|t| t.active && t.organisation_id == p.organisation_id)
                .map(|t| (t.id.to_string(), t.name)),
        );
    }
    let mut roles = vec![(String::new(), "Select the role".to_string())];
    roles.extend(Role::ALL.into_iter().map(|r| {
        let label = if r.needs_second_administrator() {
            format!("{} (another administrator confirms)", r.label())
        } else {
            r.label().to_string()
        };
        (r.code().to_string(), label)
    }));
    let (existing, rules) = match existing {
        Some((p, rules)) => (Some(p), rules),
        None => (None, Vec::new()),
    };
    let rules = rules
        .into_iter()
        .map(|r| RuleRow {
            id: r.id,
            condition: format!(
                "{} is {}",
                r.rule.condition.claim(),
                r.rule.condition.value()
            ),
            role: r.rule.role.label(),
            team: r.team_name.unwrap_or_else(|| "No team".into()),
            waiting: r
                .confirmed_by
                .is_none()
                .then_some(r.created_by != actor.user_id),
        })
        .collect();
    let is_new = existing.is_none();
    Ok(FormPage {
        back: BackLink {
            text: Some("Back to single sign-on".into()),
            ..BackLink::to(LIST)
        },
        shell: Shell::new(state, visitor, &heading)
            .at(LIST)
            .with_errors(!errors.is_empty()),
        action: existing
            .as_ref()
            .map(|p| format!("{LIST}/{}", p.id))
            .unwrap_or_else(|| format!("{LIST}/new")),
        heading,
        banner: None,
        error_summary: fields::error_summary(errors),
        organisation: fields::select(
            "organisation_id",
            "Organisation",
            organisations,
            &form.organisation_id,
            errors,
        ),
        issuer: fields::with_hint(
            fields::text("issuer", "Issuer URL", &form.issuer, errors),
            "From the provider's OpenID Connect settings, like https://login.microsoftonline.com/<tenant>/v2.0 or https://accounts.google.com.",
        ),
        client_id: fields::text("client_id", "Client ID", &form.client_id, errors),
        client_secret: fields::with_hint(
            fields::password("client_secret", "Client secret", "off", errors),
            if is_new {
                "Kept by Hearth and never shown again."
            } else {
                "Leave blank to keep the secret already saved. It is never shown."
            },
        ),
        scopes: fields::with_hint(
            fields::text("scopes", "Scopes", &form.scopes, errors),
            "openid is always asked for. Add email and profile, and any scope that sends the groups or roles your rules use.",
        ),
        email_domains: fields::with_hint(
            fields::text("email_domains", "Email domains", &form.email_domains, errors),
            "The domains of the email addresses this provider signs in, separated by spaces, like school.example.org.",
        ),
        active: form.active.is_some() || is_new,
        submit: fields::submit("Save provider"),
        version: existing.as_ref().map(|p| p.version).unwrap_or(0),
        callback: state.hearth.public_link(CALLBACK_PATH),
        existing,
        rules,
        claim: fields::with_hint(
            fields::text("claim", "Claim", &typed.rule.claim, errors),
            "email_domain for the domain of the email address, or the name of a claim the provider sends, like groups.",
        ),
        value: fields::text("value", "Value", &typed.rule.value, errors),
        role: fields::select("role", "Role it gives", roles, &typed.rule.role, errors),
        team: fields::select("team_id", "Team it gives", teams, &typed.rule.team_id, errors),
        add_rule: fields::submit("Add rule"),
    })
}

fn parse_id(id: &str) -> Result<IdentityProviderId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    state.hearth.identity_providers(&actor).await?;
    let form = ProviderForm {
        scopes: "openid email profile".into(),
        ..ProviderForm::default()
    };
    let typed = Typed {
        provider: &form,
        rule: &RuleForm::default(),
    };
    let page = form_page(&state, &visitor, &actor, typed, &FieldErrors::new(), None).await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(form): Form<ProviderForm>,
) -> Result<Response, WebError> {
    match state.hearth.create_identity_provider(&actor, &form).await {
        Ok(id) => Ok(Redirect::to(&format!("{LIST}/{id}?done=created")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let typed = Typed {
                provider: &form,
                rule: &RuleForm::default(),
            };
            let page = form_page(&state, &visitor, &actor, typed, &errors, None).await?;
            Ok(render(status_for(true), &page))
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
    let saved = state
        .hearth
        .identity_provider(&actor, parse_id(&id)?)
        .await?;
    let form = ProviderForm::from_record(&saved.0);
    let typed = Typed {
        provider: &form,
        rule: &RuleForm::default(),
    };
    let mut page = form_page(
        &state,
        &visitor,
        &actor,
        typed,
        &FieldErrors::new(),
        Some(saved),
    )
    .await?;
    page.banner = done.banner("Identity provider");
    Ok(render(StatusCode::OK, &page))
}

pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    FormParts(Version { version }, form): FormParts<Version, ProviderForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let result = state
        .hearth
        .update_identity_provider(&actor, id, version, &form)
        .await;
    let Some(refusal) = Refusal::of(result)? else {
        return Ok(Redirect::to(&format!("{LIST}/{id}?done=saved")).into_response());
    };
    let saved = state.hearth.identity_provider(&actor, id).await?;
    let saved_version = saved.0.version;
    let typed = Typed {
        provider: &form,
        rule: &RuleForm::default(),
    };
    let mut page = form_page(
        &state,
        &visitor,
        &actor,
        typed,
        &refusal.errors(),
        Some(saved),
    )
    .await?;
    page.version = if refusal.is_conflict() {
        saved_version
    } else {
        version
    };
    Ok(render(refusal.status(), &page))
}

pub async fn add_rule(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(rule): Form<RuleForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    match state.hearth.add_sign_on_rule(&actor, id, &rule).await {
        Ok(_) => Ok(Redirect::to(&format!("{LIST}/{id}?done=saved#rules")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let saved = state.hearth.identity_provider(&actor, id).await?;
            let form = ProviderForm::from_record(&saved.0);
            let typed = Typed {
                provider: &form,
                rule: &rule,
            };
            let page = form_page(&state, &visitor, &actor, typed, &errors, Some(saved)).await?;
            Ok(render(status_for(true), &page))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn decide_rule(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((id, rule, decision)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let rule: SignOnRuleId = rule.parse().map_err(|_| WebError::NotFound)?;
    let result = match decision.as_str() {
        "confirm" => state.hearth.confirm_sign_on_rule(&actor, id, rule).await,
        "remove" => state.hearth.remove_sign_on_rule(&actor, id, rule).await,
        _ => return Err(WebError::NotFound),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("{LIST}/{id}?done=saved#rules")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let saved = state.hearth.identity_provider(&actor, id).await?;
            let form = ProviderForm::from_record(&saved.0);
            let typed = Typed {
                provider: &form,
                rule: &RuleForm::default(),
            };
            let page = form_page(&state, &visitor, &actor, typed, &errors, Some(saved)).await?;
            Ok(render(status_for(true), &page))
        }
        Err(e) => Err(e.into()),
    }
}
