//! Providers of homes, kept by the commissioning (placements) team (ADR 0055): the list with
//! each provider's route today, adding and changing one, and its framework memberships and
//! block contracts — added, and ended on a day. Every form works without JavaScript.

use super::{id, DoneQuery};
use crate::components::{DateInput, ErrorSummary, Input, NotificationBanner, Select};
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
use chrono::NaiveDate;
use hearth_app::care::{ContractForm, Provider, ProviderForm};
use hearth_app::{Actor, AppError};
use hearth_domain::care::providers::{ContractKind, ProviderKind};
use hearth_domain::date_parts::DateParts;
use hearth_domain::ids::{CareProviderId, ProviderContractId};
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

/// A provider as the list shows it: its route today.
pub struct ProviderLine {
    pub provider: Provider,
    pub route: &'static str,
}

#[derive(Template)]
#[template(path = "care/providers.html")]
struct ProvidersPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    providers: Vec<ProviderLine>,
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let today = state.hearth.now().date_naive();
    let providers = state
        .hearth
        .care_providers(&actor)
        .await?
        .into_iter()
        .map(|p| ProviderLine {
            route: p.route_on(today).label(),
            provider: p,
        })
        .collect();
    let page = ProvidersPage {
        shell: Shell::new(&state, &visitor, "Providers").at("/care/homes"),
        banner: q.banner(&[
            ("saved", "The provider was saved."),
            ("contract", "The contract was saved."),
        ]),
        providers,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "care/provider.html")]
struct ProviderPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    action: String,
    heading: String,
    version: String,
    name: Input,
    ofsted_urn: Input,
    kind: Select,
    /// The provider being changed: its contracts and the forms to add and end them.
    existing: Option<Existing>,
}

struct Existing {
    id: CareProviderId,
    route: &'static str,
    contracts: Vec<ContractLine>,
    contract_kind: Select,
    contract_name: Input,
    places: Input,
    starts: DateInput,
    ends: DateInput,
}

struct ContractLine {
    id: ProviderContractId,
    kind: &'static str,
    name: String,
    places: Option<i64>,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
}

fn kinds() -> Vec<(String, String)> {
    let mut k = vec![(String::new(), "Choose who runs its homes".to_string())];
    k.extend(
        ProviderKind::ALL
            .iter()
            .map(|k| (k.code().into(), k.label().into())),
    );
    k
}

fn provider_page(
    state: &AppState,
    visitor: &Visitor,
    found: Option<&Provider>,
    f: &ProviderForm,
    c: &ContractForm,
    errors: &FieldErrors,
) -> ProviderPage {
    let heading = match found {
        Some(p) => format!("Change {}", p.fields.name),
        None => "Add a provider".to_string(),
    };
    let starts = c.starts_parts();
    let ends = c.ends_parts();
    let today = state.hearth.now().date_naive();
    let existing = found.map(|p| {
        let mut contract_kinds = vec![(String::new(), "Choose the kind".to_string())];
        contract_kinds.extend(
            ContractKind::ALL
                .iter()
                .map(|k| (k.code().into(), k.label().into())),
        );
        Existing {
            id: p.id,
            route: p.route_on(today).label(),
            contracts: p
                .contracts
                .iter()
                .map(|(id, c)| ContractLine {
                    id: *id,
                    kind: c.kind.label(),
                    name: c.name.clone(),
                    places: c.places,
                    starts_on: c.starts_on,
                    ends_on: c.ends_on,
                })
                .collect(),
            contract_kind: fields::select("kind", "Kind", contract_kinds, &c.kind, errors),
            contract_name: fields::with_hint(
                fields::text("contract_name", "Name", &c.name, errors),
                "For example, D2N2 fostering framework",
            ),
            places: fields::with_hint(
                fields::text("places", "Places bought", &c.places, errors),
                "A block contract's places; leave empty for a framework",
            ),
            starts: fields::date(
                "starts",
                "The day it begins",
                Some("For example, 1 4 2025"),
                &starts,
                errors,
            ),
            ends: fields::date(
                "ends",
                "The day it ends (optional)",
                Some("Its last day; leave empty when it has no end yet"),
                &ends,
                errors,
            ),
        }
    });
    ProviderPage {
        banner: None,
        shell: Shell::new(state, visitor, &heading)
            .at("/care/homes")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary_with_dates(
            errors,
            &[("starts", &starts), ("ends", &ends)],
        ),
        action: found.map_or_else(
            || "/care/providers/new".to_string(),
            |p| format!("/care/providers/{}", p.id),
        ),
        heading,
        version: f.version.clone(),
        name: fields::text("name", "Name", &f.name, errors),
        ofsted_urn: fields::text(
            "ofsted_urn",
            "Ofsted provider URN (optional)",
            &f.ofsted_urn,
            errors,
        ),
        kind: fields::select("kind", "Who runs its homes", kinds(), &f.kind, errors),
        existing,
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    // The desk's own door: anyone else is refused (audited) before the form shows.
    state.hearth.care_providers(&actor).await?;
    let page = provider_page(
        &state,
        &visitor,
        None,
        &ProviderForm::default(),
        &ContractForm::default(),
        &FieldErrors::new(),
    );
    Ok(render(StatusCode::OK, &page))
}

async fn save(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    provider: Option<CareProviderId>,
    f: &ProviderForm,
) -> Result<Response, WebError> {
    match state.hearth.save_care_provider(actor, provider, f).await {
        Ok(_) => Ok(Redirect::to("/care/providers?done=saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let found = match provider {
                Some(p) => Some(state.hearth.care_provider(actor, p).await?),
                None => None,
            };
            Ok(render(
                status_for(true),
                &provider_page(
                    state,
                    visitor,
                    found.as_ref(),
                    f,
                    &ContractForm::default(),
                    &errors,
                ),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<ProviderForm>,
) -> Result<Response, WebError> {
    save(&state, &visitor, &actor, None, &f).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(provider): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let provider: CareProviderId = id(&provider)?;
    let found = state.hearth.care_provider(&actor, provider).await?;
    let mut page = provider_page(
        &state,
        &visitor,
        Some(&found),
        &ProviderForm::of(&found),
        &ContractForm::default(),
        &FieldErrors::new(),
    );
    page.banner = q.banner(&[("contract", "The contract was saved.")]);
    Ok(render(StatusCode::OK, &page))
}

pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(provider): Path<String>,
    Form(f): Form<ProviderForm>,
) -> Result<Response, WebError> {
    let provider: CareProviderId = id(&provider)?;
    save(&state, &visitor, &actor, Some(provider), &f).await
}

pub async fn add_contract(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(provider): Path<String>,
    Form(c): Form<ContractForm>,
) -> Result<Response, WebError> {
    let provider: CareProviderId = id(&provider)?;
    match state
        .hearth
        .add_provider_contract(&actor, provider, &c)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/care/providers/{provider}?done=contract")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let found = state.hearth.care_provider(&actor, provider).await?;
            Ok(render(
                status_for(true),
                &provider_page(
                    &state,
                    &visitor,
                    Some(&found),
                    &ProviderForm::of(&found),
                    &c,
                    &errors,
                ),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct EndForm {
    #[serde(default, rename = "ends-day")]
    ends_day: String,
    #[serde(default, rename = "ends-month")]
    ends_month: String,
    #[serde(default, rename = "ends-year")]
    ends_year: String,
}

pub async fn end_contract(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((provider, contract)): Path<(String, String)>,
    Form(f): Form<EndForm>,
) -> Result<Response, WebError> {
    let provider: CareProviderId = id(&provider)?;
    let contract: ProviderContractId = id(&contract)?;
    let parts = DateParts {
        day: f.ends_day,
        month: f.ends_month,
        year: f.ends_year,
    };
    match state
        .hearth
        .end_provider_contract(&actor, provider, contract, &parts)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/care/providers/{provider}?done=contract")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let found = state.hearth.care_provider(&actor, provider).await?;
            let c = ContractForm {
                ends_day: parts.day,
                ends_month: parts.month,
                ends_year: parts.year,
                ..ContractForm::default()
            };
            Ok(render(
                status_for(true),
                &provider_page(
                    &state,
                    &visitor,
                    Some(&found),
                    &ProviderForm::of(&found),
                    &c,
                    &errors,
                ),
            ))
        }
        Err(e) => Err(e.into()),
    }
}
