//! Keeping the directory current: editors change their organisation's services, reviewers
//! publish partners' changes, and everyone sees which entries are due for review.

use crate::components::{
    Attributes, Button, Checkboxes, ErrorSummary, Input, NotificationBanner, Radios, Textarea,
};
use crate::dates::UkDate;
use crate::error::WebError;
use crate::fields;
use crate::i18n::{Lang, Tr};
use crate::pages::find::ages;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::directory::{
    language_label, next_review, DayHours, ServiceForm, TranslationFields, TRANSLATED_LANGUAGES,
};
use hearth_app::records::{
    DirectoryChange, DirectoryEntry, DirectoryLocation, DirectoryServiceLine, DirectoryTerm,
};
use hearth_app::{Actor, AppError};
use hearth_domain::directory::{
    AccessMethod, ChangeStatus, EditRoute, ServiceStatus, SERVICE_LANGUAGES, WEEKDAYS,
};
use hearth_domain::input::FieldErrors;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "directory/desk.html")]
struct DeskPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    reviewer: bool,
    lines: Vec<(DirectoryServiceLine, String, bool)>,
    pending: Vec<DirectoryChange>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    pub done: Option<String>,
}

pub async fn desk(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let (lines, pending) = state.hearth.directory_desk(&actor).await?;
    let today = state.hearth.now().date_naive();
    let page = DeskPage {
        shell: Shell::new(&state, &visitor, "Directory of services").at("/directory"),
        banner: match q.done.as_deref() {
            Some("review") => Some(fields::success("Your change has been sent to a reviewer. It will be published when they have checked it.")),
            Some("published") => Some(fields::success("Published. Families and the Open Referral feed see the change now.")),
            Some("rejected") => Some(fields::success("Sent back to the editor with your note.")),
            Some("confirmed") => Some(fields::success("Recorded as checked today.")),
            _ => None,
        },
        reviewer: actor.can(hearth_domain::role::Capability::ReviewDirectory),
        lines: lines
            .into_iter()
            .map(|l| {
                let due = next_review(&l);
                (l, due.uk(), due <= today)
            })
            .collect(),
        pending,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "directory/edit.html")]
struct EditPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    heading: String,
    action: String,
    route: EditRoute,
    version: i64,
    service_id: Option<Uuid>,
    name: Input,
    description: Textarea,
    status: Radios,
    minimum_age: Input,
    maximum_age: Input,
    free: Radios,
    cost_description: Input,
    access: Radios,
    needs: Checkboxes,
    /// Each weekday's name and its opening and closing times.
    hours: Vec<(&'static str, Input, Input)>,
    /// True when any of the times has a problem (the group is marked as in error).
    hours_error: bool,
    locations: Checkboxes,
    languages: Checkboxes,
    contact_name: Input,
    phone: Input,
    email: Input,
    url: Input,
    service_area: Input,
    /// Each of the families' other languages: its name, and the fields for the service's name
    /// and description in it.
    translations: Vec<(String, Input, Textarea)>,
    submit: Button,
    history: Vec<DirectoryChange>,
}

/// The colour of a change's status tag: waiting yellow, sent back red, published green.
pub fn change_tag(status: &ChangeStatus) -> &'static str {
    match *status {
        ChangeStatus::Pending => "govuk-tag--yellow",
        ChangeStatus::Rejected => "govuk-tag--red",
        ChangeStatus::Published => "govuk-tag--green",
    }
}

fn radios_of(
    items: impl Iterator<Item = (String, String)>,
) -> Vec<(String, String, Option<String>)> {
    items.map(|(v, t)| (v, t, None)).collect()
}

#[allow(clippy::too_many_arguments)]
fn edit_page(
    state: &AppState,
    visitor: &Visitor,
    id: Option<Uuid>,
    route: EditRoute,
    f: &ServiceForm,
    errors: &FieldErrors,
    needs: &[DirectoryTerm],
    places: &[DirectoryLocation],
    history: Vec<DirectoryChange>,
) -> EditPage {
    let heading = if id.is_some() {
        format!("Change {}", f.name)
    } else {
        "Add a service".to_string()
    };
    let age = |name: &str, label: &str, value: &str| Input {
        inputmode: Some("decimal".into()),
        classes: Some("govuk-input--width-3".into()),
        ..fields::text(name, label, value, errors)
    };
    let time = |name: &str, label: &str, value: &str| Input {
        classes: Some("govuk-input--width-5".into()),
        inputmode: Some("numeric".into()),
        autocomplete: Some("off".into()),
        ..fields::text(name, label, value, errors)
    };
    let hours: Vec<(&'static str, Input, Input)> = WEEKDAYS
        .iter()
        .map(|(code, day)| {
            let h = f.hours.iter().find(|h| h.day == *code);
            let value = |get: fn(&DayHours) -> &str| h.map(get).unwrap_or_default().to_string();
            (
                *day,
                time(&format!("opens_at_{code}"), "Opens", &value(|h| &h.opens)),
                time(
                    &format!("closes_at_{code}"),
                    "Closes",
                    &value(|h| &h.closes),
                ),
            )
        })
        .collect();
    let hours_error = hours
        .iter()
        .any(|(_, o, c)| o.error_message.is_some() || c.error_message.is_some());
    EditPage {
        shell: Shell::new(state, visitor, &heading)
            .at("/directory")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        action: match id {
            Some(id) => format!("/directory/services/{id}"),
            None => "/directory/services/new".into(),
        },
        heading,
        route,
        version: f.version,
        service_id: id,
        name: fields::text("name", "Name of the service", &f.name, errors),
        description: fields::with_textarea_hint(
            fields::textarea(
                "description",
                "What it does and who it is for",
                &f.description,
                errors,
            ),
            "Plain words a family would use. This is what families read first.",
        ),
        status: fields::radios(
            "status",
            "Is it running?",
            radios_of(
                ServiceStatus::ALL
                    .iter()
                    .map(|s| (s.code().to_string(), s.label().to_string())),
            ),
            &f.status,
            errors,
        ),
        minimum_age: age("minimum_age", "Youngest age (optional)", &f.minimum_age),
        maximum_age: age("maximum_age", "Oldest age (optional)", &f.maximum_age),
        free: fields::radios(
            "free",
            "Is it free?",
            vec![
                ("yes".into(), "Yes, it is free".into(), None),
                ("no".into(), "No, there is a charge".into(), None),
            ],
            &f.free,
            errors,
        ),
        cost_description: fields::text(
            "cost_description",
            "What it costs (if not free)",
            &f.cost_description,
            errors,
        ),
        access: fields::radios(
            "access",
            "How do families get in?",
            radios_of(
                AccessMethod::ALL
                    .iter()
                    .map(|a| (a.code().to_string(), a.label().to_string())),
            ),
            &f.access,
            errors,
        ),
        needs: fields::checkboxes(
            "needs",
            "What it helps with",
            needs
                .iter()
                .map(|t| (t.code.clone(), t.name.clone(), None))
                .collect(),
            &f.needs,
            errors,
        ),
        hours,
        hours_error,
        locations: fields::checkboxes(
            "locations",
            "Where it runs",
            places
                .iter()
                .map(|l| {
                    (
                        l.id.to_string(),
                        format!("{}, {}", l.name, l.postal_code),
                        l.family_hub.then(|| "Family Hub".to_string()),
                    )
                })
                .collect(),
            &f.locations,
            errors,
        ),
        languages: fields::checkboxes(
            "languages",
            "Languages spoken at the service",
            SERVICE_LANGUAGES
                .iter()
                .map(|(c, n)| (c.to_string(), n.to_string(), None))
                .collect(),
            &f.languages,
            errors,
        ),
        contact_name: fields::text(
            "contact_name",
            "Who to contact (optional)",
            &f.contact_name,
            errors,
        ),
        phone: Input {
            type_: Some("tel".into()),
            autocomplete: Some("off".into()),
            classes: Some("govuk-input--width-20".into()),
            ..fields::text("phone", "Phone (optional)", &f.phone, errors)
        },
        email: fields::email("email", "Email address (optional)", &f.email, errors),
        url: fields::text("url", "Website (optional)", &f.url, errors),
        service_area: fields::text(
            "service_area",
            "Area served (optional)",
            &f.service_area,
            errors,
        ),
        translations: TRANSLATED_LANGUAGES
            .iter()
            .map(|language| {
                let t = f
                    .translations
                    .iter()
                    .find(|t| t.language == *language)
                    .cloned()
                    .unwrap_or(TranslationFields {
                        language,
                        ..TranslationFields::default()
                    });
                let label = language_label(language);
                // Typed and shown in its own language and direction.
                let own = Attributes::new()
                    .with("lang", *language)
                    .with("dir", "auto");
                (
                    label.clone(),
                    Input {
                        attributes: own.clone(),
                        ..fields::text(
                            &t.name_field(),
                            &format!("Name in {label}"),
                            &t.name,
                            errors,
                        )
                    },
                    Textarea {
                        attributes: own,
                        ..fields::textarea(
                            &t.description_field(),
                            &format!("Description in {label}"),
                            &t.description,
                            errors,
                        )
                    },
                )
            })
            .collect(),
        submit: fields::submit(match route {
            EditRoute::Publish => "Publish",
            EditRoute::Review => "Send for review",
        }),
        history,
    }
}

fn service_id(id: &str) -> Result<Uuid, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

pub async fn edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = service_id(&id)?;
    let (service, route, history) = state.hearth.service_for_editing(&actor, id).await?;
    let needs = state.hearth.directory_needs().await?;
    let places = state.hearth.directory_locations(&actor).await?;
    let form = ServiceForm::from_entry(&service, &needs);
    Ok(render(
        StatusCode::OK,
        &edit_page(
            &state,
            &visitor,
            Some(id),
            route,
            &form,
            &FieldErrors::new(),
            &needs,
            &places,
            history,
        ),
    ))
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let (_, _) = state.hearth.directory_desk(&actor).await?;
    let needs = state.hearth.directory_needs().await?;
    let places = state.hearth.directory_locations(&actor).await?;
    let route = if actor.can(hearth_domain::role::Capability::ReviewDirectory) {
        EditRoute::Publish
    } else {
        EditRoute::Review
    };
    let form = ServiceForm {
        status: "active".into(),
        free: "yes".into(),
        ..ServiceForm::default()
    };
    Ok(render(
        StatusCode::OK,
        &edit_page(
            &state,
            &visitor,
            None,
            route,
            &form,
            &FieldErrors::new(),
            &needs,
            &places,
            Vec::new(),
        ),
    ))
}

async fn save(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: Option<Uuid>,
    body: &[u8],
) -> Result<Response, WebError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|_| {
        WebError::BadRequest("The form could not be read. Go back and try again.".into())
    })?;
    let form = ServiceForm::from_pairs(&pairs);
    match state.hearth.change_service(actor, id, &form).await {
        Ok((_, EditRoute::Publish)) => Ok(Redirect::to("/directory?done=published").into_response()),
        Ok((_, EditRoute::Review)) => Ok(Redirect::to("/directory?done=review").into_response()),
        Err(AppError::Invalid(errors)) => {
            let needs = state.hearth.directory_needs().await?;
            let places = state.hearth.directory_locations(actor).await?;
            let (route, history) = match id {
                Some(id) => {
                    let (_, r, h) = state.hearth.service_for_editing(actor, id).await?;
                    (r, h)
                }
                None if actor.can(hearth_domain::role::Capability::ReviewDirectory) => (EditRoute::Publish, Vec::new()),
                None => (EditRoute::Review, Vec::new()),
            };
            Ok(render(status_for(true), &edit_page(state, visitor, id, route, &form, &errors, &needs, &places, history)))
        }
        Err(AppError::Conflict) => Err(WebError::BadRequest("Someone else changed this service while you were editing it. Go back, reload it and make your change again.".into())),
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    body: Bytes,
) -> Result<Response, WebError> {
    save(&state, &visitor, &actor, None, &body).await
}

pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let id = service_id(&id)?;
    save(&state, &visitor, &actor, Some(id), &body).await
}

pub async fn confirm(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    state
        .hearth
        .confirm_service_current(&actor, service_id(&id)?)
        .await?;
    Ok(Redirect::to("/directory?done=confirmed").into_response())
}

#[derive(Template)]
#[template(path = "directory/review.html")]
struct ReviewPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    change: DirectoryChange,
    /// (what, now, proposed) for each part that differs.
    rows: Vec<(&'static str, String, String)>,
    note: Textarea,
}

async fn review_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: Uuid,
    errors: &FieldErrors,
    note: &str,
) -> Result<Response, WebError> {
    let (change, current) = state.hearth.directory_change(actor, id).await?;
    let before = describe(&current.entry);
    let after = describe(&change.entry);
    let rows = after
        .into_iter()
        .map(|(what, new)| {
            let old = before
                .iter()
                .find(|(w, _)| *w == what)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            (
                what,
                if current.published {
                    old
                } else {
                    "(new service)".into()
                },
                new,
            )
        })
        .collect();
    let page = ReviewPage {
        shell: Shell::new(state, visitor, &format!("Review: {}", change.service_name))
            .at("/directory")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        rows,
        note: fields::with_textarea_hint(
            fields::textarea("note", "Note for the editor", note, errors),
            "Needed if you send the change back: say what to put right.",
        ),
        change,
    };
    Ok(render(status_for(!errors.is_empty()), &page))
}

pub async fn review(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    review_page(
        &state,
        &visitor,
        &actor,
        service_id(&id)?,
        &FieldErrors::new(),
        "",
    )
    .await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

pub async fn decide(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    crate::form::Form(f): crate::form::Form<DecisionForm>,
) -> Result<Response, WebError> {
    let id = service_id(&id)?;
    let publish = f.decision == "publish";
    match state
        .hearth
        .decide_directory_change(&actor, id, publish, &f.note)
        .await
    {
        Ok(_) => Ok(Redirect::to(if publish {
            "/directory?done=published"
        } else {
            "/directory?done=rejected"
        })
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            review_page(&state, &visitor, &actor, id, &errors, &f.note).await
        }
        Err(AppError::Conflict) => Err(WebError::BadRequest(
            "This change has already been published or sent back.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// A service's entry as lines a reviewer compares, in the order of the edit form.
fn describe(e: &DirectoryEntry) -> Vec<(&'static str, String)> {
    let days: Vec<String> = e
        .schedules
        .iter()
        .map(|s| {
            format!(
                "{} {}–{}",
                s.byday,
                s.opens_at.clone().unwrap_or_default(),
                s.closes_at.clone().unwrap_or_default()
            )
        })
        .collect();
    vec![
        ("Name", e.name.clone()),
        ("Description", e.description.clone()),
        ("Status", e.status.label().to_string()),
        (
            "Ages",
            ages(&Tr::new(Lang::En), e.minimum_age, e.maximum_age),
        ),
        (
            "Cost",
            if e.free {
                "Free".into()
            } else {
                e.cost_description.clone().unwrap_or_default()
            },
        ),
        ("How to get in", e.access.label().to_string()),
        ("Times", days.join(", ")),
        (
            "Languages",
            e.languages
                .iter()
                .map(|l| l.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("Places", e.locations.len().to_string()),
        (
            "Translations",
            e.translations
                .iter()
                .map(|t| {
                    format!(
                        "{}: {} – {}",
                        language_label(&t.language),
                        t.name,
                        t.description
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        ("Phone", e.phone.clone().unwrap_or_default()),
        ("Email", e.email.clone().unwrap_or_default()),
        ("Website", e.url.clone().unwrap_or_default()),
    ]
}
