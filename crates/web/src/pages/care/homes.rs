//! Homes and fostering households, kept by the placements team.

use super::{id, DoneQuery};
use crate::components::{Checkboxes, DateInput, ErrorSummary, Input, NotificationBanner, Select};
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
use hearth_app::care::{Home, HomeForm, Provider};
use hearth_app::{Actor, AppError};
use hearth_domain::care::{Offer, OfstedRating, PlacementType, Route};
use hearth_domain::ids::CareHomeId;
use hearth_domain::input::FieldErrors;

#[derive(Template)]
#[template(path = "care/homes.html")]
struct HomesPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    homes: Vec<Home>,
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let homes = state.hearth.care_homes(&actor).await?;
    let page = HomesPage {
        shell: Shell::new(&state, &visitor, "Homes and carers").at("/care/homes"),
        banner: q.banner(&[("saved", "The home was saved.")]),
        homes,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "care/home.html")]
struct HomePage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    action: String,
    heading: String,
    version: String,
    name: Input,
    provider_id: Select,
    provider: Input,
    route: Select,
    placement_type: Select,
    ofsted_urn: Input,
    rating: Select,
    rated: DateInput,
    registered_places: Input,
    vacancies: Input,
    age_from: Input,
    age_to: Input,
    offers: Checkboxes,
    postcode: Input,
    weekly_cost: Input,
}

fn home_page(
    state: &AppState,
    visitor: &Visitor,
    home: Option<CareHomeId>,
    f: &HomeForm,
    errors: &FieldErrors,
    providers: &[Provider],
) -> HomePage {
    let mut choices = vec![(
        String::new(),
        "Not in the providers list: name it below".to_string(),
    )];
    choices.extend(
        providers
            .iter()
            .map(|p| (p.id.to_string(), p.fields.name.clone())),
    );
    let (action, heading) = match home {
        Some(id) => (format!("/care/homes/{id}"), format!("Change {}", f.name)),
        None => (
            "/care/homes/new".to_string(),
            "Add a home or carers".to_string(),
        ),
    };
    let mut routes = vec![(String::new(), "Choose how the home is bought".to_string())];
    routes.extend(
        Route::ALL
            .iter()
            .map(|r| (r.code().into(), r.label().into())),
    );
    let mut types = vec![(String::new(), "Choose the type of placement".to_string())];
    types.extend(
        PlacementType::ALL
            .iter()
            .map(|t| (t.code().into(), format!("{}: {}", t.code(), t.label()))),
    );
    let mut ratings = vec![(String::new(), "Not yet rated".to_string())];
    ratings.extend(
        OfstedRating::ALL
            .iter()
            .map(|r| (r.code().into(), r.label().into())),
    );
    let rated = f.rated_parts();
    HomePage {
        shell: Shell::new(state, visitor, &heading)
            .at("/care/homes")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary_with_dates(errors, &[("rated", &rated)]),
        action,
        heading,
        version: f.version.clone(),
        name: fields::text("name", "Name of the home or carers", &f.name, errors),
        provider_id: fields::select_with_hint(
            fields::select("provider_id", "Provider", choices, &f.provider_id, errors),
            "How the home is bought follows from the provider's framework membership and block contracts on the day",
        ),
        provider: fields::with_hint(
            fields::text(
                "provider",
                "Provider's name, if not in the list",
                &f.provider,
                errors,
            ),
            "Add the provider to the providers list to record its contracts",
        ),
        route: fields::select(
            "route",
            "How it is bought, if its provider is not in the list",
            routes,
            &f.route,
            errors,
        ),
        placement_type: fields::select(
            "placement_type",
            "Type of placement (DfE code)",
            types,
            &f.placement_type,
            errors,
        ),
        ofsted_urn: fields::text("ofsted_urn", "Ofsted URN (optional)", &f.ofsted_urn, errors),
        rating: fields::select("rating", "Ofsted rating", ratings, &f.rating, errors),
        rated: fields::date(
            "rated",
            "Date of the rating",
            Some("For example, 12 5 2025"),
            &rated,
            errors,
        ),
        registered_places: fields::text(
            "registered_places",
            "Places registered or approved for",
            &f.registered_places,
            errors,
        ),
        vacancies: fields::text("vacancies", "Vacancies today", &f.vacancies, errors),
        age_from: fields::text("age_from", "Youngest age taken", &f.age_from, errors),
        age_to: fields::text("age_to", "Oldest age taken", &f.age_to, errors),
        offers: fields::checkboxes(
            "offers",
            "What the home offers",
            Offer::ALL
                .iter()
                .map(|o| (o.code().to_string(), o.label().to_string(), None))
                .collect(),
            &f.offers,
            errors,
        ),
        postcode: fields::text("postcode", "Postcode", &f.postcode, errors),
        weekly_cost: fields::with_hint(
            fields::text(
                "weekly_cost",
                "Weekly cost in pounds",
                &f.weekly_cost,
                errors,
            ),
            "For example, 950 or 950.50",
        ),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    // The desk's own door: anyone else is refused (audited) before the form shows.
    let providers = state.hearth.care_providers(&actor).await?;
    let page = home_page(
        &state,
        &visitor,
        None,
        &HomeForm::default(),
        &FieldErrors::new(),
        &providers,
    );
    Ok(render(StatusCode::OK, &page))
}

async fn save(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    home: Option<CareHomeId>,
    f: &HomeForm,
) -> Result<Response, WebError> {
    match state.hearth.save_care_home(actor, home, f).await {
        Ok(_) => Ok(Redirect::to("/care/homes?done=saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            let providers = state.hearth.care_providers(actor).await?;
            Ok(render(
                status_for(true),
                &home_page(state, visitor, home, f, &errors, &providers),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<HomeForm>,
) -> Result<Response, WebError> {
    save(&state, &visitor, &actor, None, &f).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(home): Path<String>,
) -> Result<Response, WebError> {
    let home: CareHomeId = id(&home)?;
    let found = state.hearth.care_home(&actor, home).await?;
    let f = HomeForm::of(&found.fields, found.version);
    let providers = state.hearth.care_providers(&actor).await?;
    let page = home_page(
        &state,
        &visitor,
        Some(home),
        &f,
        &FieldErrors::new(),
        &providers,
    );
    Ok(render(StatusCode::OK, &page))
}

pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(home): Path<String>,
    Form(f): Form<HomeForm>,
) -> Result<Response, WebError> {
    let home: CareHomeId = id(&home)?;
    save(&state, &visitor, &actor, Some(home), &f).await
}
