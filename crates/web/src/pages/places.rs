//! The places where the directory's services run: the list, adding one and changing one.

use crate::components::{Button, Checkboxes, ErrorSummary, Input, NotificationBanner, Textarea};
use crate::error::WebError;
use crate::fields;
use crate::pages::directory::DoneQuery;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use hearth_app::directory::places::{LocationForm, PlaceSave, PlaceToChange};
use hearth_app::records::DirectoryLocation;
use hearth_app::AppError;
use hearth_domain::input::FieldErrors;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/directory/locations", get(list))
        .route("/directory/locations/new", get(new_form).post(add))
        .route("/directory/locations/{id}", get(change_form).post(change))
}

#[derive(Template)]
#[template(path = "directory/locations.html")]
struct ListPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    places: Vec<DirectoryLocation>,
}

async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let page = ListPage {
        shell: Shell::new(&state, &visitor, "Places where services run").at("/directory"),
        banner: match q.done.as_deref() {
            Some("added") => Some(fields::success("The place has been added. Choose it under \u{201c}Where it runs\u{201d} in a service's entry.")),
            Some("changed") => Some(fields::success("The place has been changed. Families see the change on the pages of the services that run there.")),
            _ => None,
        },
        places: state.hearth.directory_locations(&actor).await?,
    };
    Ok(render(StatusCode::OK, &page))
}

/// Adding a new place, or changing one (with how many services run there).
enum Purpose {
    Add,
    Change {
        id: Uuid,
        name: String,
        services: u64,
    },
}

#[derive(Template)]
#[template(path = "directory/location.html")]
struct LocationPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    heading: String,
    action: String,
    /// For a change: when the place was last changed as the form was opened.
    stamp: Option<String>,
    /// For a change: how many services' pages show the place.
    services: Option<u64>,
    name: Input,
    address_1: Input,
    city: Input,
    postcode: Input,
    accessibility: Textarea,
    /// Only for those who may mark a Family Hub.
    family_hub: Option<Checkboxes>,
    submit: Button,
}

fn location_page(
    state: &AppState,
    visitor: &Visitor,
    purpose: &Purpose,
    f: &LocationForm,
    errors: &FieldErrors,
    may_mark_hub: bool,
) -> LocationPage {
    let (heading, action, submit, stamp, services) = match purpose {
        Purpose::Add => (
            "Add a place".to_string(),
            "/directory/locations/new".to_string(),
            "Add the place",
            None,
            None,
        ),
        Purpose::Change { id, name, services } => (
            format!("Change {name}"),
            format!("/directory/locations/{id}"),
            "Save the place",
            Some(f.stamp.clone()),
            Some(*services),
        ),
    };
    LocationPage {
        shell: Shell::new(state, visitor, &heading)
            .at("/directory")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        heading,
        action,
        stamp,
        services,
        name: fields::with_hint(
            fields::text("name", "Name of the place", &f.name, errors),
            "As families know it, for example Bulwell Riverside",
        ),
        address_1: Input {
            autocomplete: Some("address-line1".into()),
            ..fields::text("address_1", "Building and street", &f.address_1, errors)
        },
        city: Input {
            autocomplete: Some("address-level2".into()),
            classes: Some("govuk-!-width-two-thirds".into()),
            ..fields::text("city", "Town or city", &f.city, errors)
        },
        postcode: Input {
            autocomplete: Some("postal-code".into()),
            classes: Some("govuk-input--width-10".into()),
            ..fields::with_hint(
                fields::text("postcode", "Postcode", &f.postcode, errors),
                "Families' distance searches use it to find the place",
            )
        },
        accessibility: fields::textarea(
            "accessibility",
            "Access (optional)",
            &f.accessibility,
            errors,
        ),
        family_hub: may_mark_hub.then(|| {
            fields::checkboxes(
                "family_hub",
                "Is it a Family Hub?",
                vec![(
                    "yes".into(),
                    "Yes, it is one of the council's Family Hubs".into(),
                    None,
                )],
                std::slice::from_ref(&f.family_hub),
                errors,
            )
        }),
        submit: fields::submit(submit),
    }
}

fn read_form(body: &Bytes) -> Result<LocationForm, WebError> {
    serde_urlencoded::from_bytes(body).map_err(|_| {
        WebError::BadRequest("The form could not be read. Go back and try again.".into())
    })
}

async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let may_mark_hub = state.hearth.may_mark_family_hub(&actor).await?;
    let form = LocationForm {
        city: "Nottingham".into(),
        ..LocationForm::default()
    };
    let page = location_page(
        &state,
        &visitor,
        &Purpose::Add,
        &form,
        &FieldErrors::new(),
        may_mark_hub,
    );
    Ok(render(StatusCode::OK, &page))
}

async fn add(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = read_form(&body)?;
    match state.hearth.add_directory_location(&actor, &form).await {
        Ok(_) => Ok(Redirect::to("/directory/locations?done=added").into_response()),
        Err(AppError::Invalid(errors)) => {
            let may_mark_hub = state.hearth.may_mark_family_hub(&actor).await?;
            let page = location_page(
                &state,
                &visitor,
                &Purpose::Add,
                &form,
                &errors,
                may_mark_hub,
            );
            Ok(render(status_for(true), &page))
        }
        Err(e) => Err(e.into()),
    }
}

async fn change_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    let place = state.hearth.place_to_change(&actor, id).await?;
    let page = change_page(&state, &visitor, &place, &place.form, &FieldErrors::new());
    Ok(render(StatusCode::OK, &page))
}

/// The change form for `place`, showing `form` as typed.
fn change_page(
    state: &AppState,
    visitor: &Visitor,
    place: &PlaceToChange,
    form: &LocationForm,
    errors: &FieldErrors,
) -> LocationPage {
    let purpose = Purpose::Change {
        id: place.location.id,
        name: place.location.name.clone(),
        services: place.services,
    };
    location_page(state, visitor, &purpose, form, errors, place.may_mark_hub)
}

async fn change(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<Uuid>,
    body: Bytes,
) -> Result<Response, WebError> {
    let mut form = read_form(&body)?;
    let mut errors = FieldErrors::new();
    match state
        .hearth
        .change_directory_location(&actor, id, &form)
        .await
    {
        Ok(PlaceSave::Saved) => {
            return Ok(Redirect::to("/directory/locations?done=changed").into_response())
        }
        // What the person typed stays in the form; saving again goes over the newer change
        // once they have seen it.
        Ok(PlaceSave::Stale { now, stamp }) => {
            errors.add(
                "name",
                format!(
                    "Someone else changed this place while you were editing it. It is now {}, {}, {}{}. Check your changes below and save again",
                    now.name,
                    now.address_1,
                    now.postal_code,
                    if now.family_hub { " (a Family Hub)" } else { "" }
                ),
            );
            form.stamp = stamp;
        }
        Err(AppError::Invalid(e)) => errors = e,
        Err(e) => return Err(e.into()),
    }
    let place = state.hearth.place_to_change(&actor, id).await?;
    let page = change_page(&state, &visitor, &place, &form, &errors);
    Ok(render(status_for(true), &page))
}
