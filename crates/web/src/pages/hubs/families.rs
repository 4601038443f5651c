//! Registering a family at a hub, their registration page and booking them on a programme.

use super::id;
use crate::components::{
    Checkboxes, ErrorMessage, ErrorSummary, Input, NotificationBanner, Select,
};
use crate::dates::UkDate;
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::hubs::{FamilyView, RegistrationForm, MEMBER_ROWS};
use hearth_app::{Actor, AppError};
use hearth_domain::hub::BookingStatus;
use hearth_domain::input::FieldErrors;
use serde::Deserialize;

/// One member's row of the registration form.
struct MemberRow {
    number: usize,
    given_names: Input,
    family_name: Input,
    born: Select,
    dob: Input,
    ethnicity: Input,
}

#[derive(Template)]
#[template(path = "hubs/register_family.html")]
struct NewPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    hub: Select,
    postcode: Input,
    language: Input,
    phone: Input,
    consent_contact: Checkboxes,
    consent_attendance: Checkboxes,
    rows: Vec<MemberRow>,
}

/// A row's input named `name` (one of the parallel lists), its id and error numbered.
fn row_input(name: &str, label: &str, i: usize, list: &[String], errors: &FieldErrors) -> Input {
    let id = format!("{name}-{i}");
    Input {
        id: Some(id.clone()),
        error_message: errors.get(&id).map(ErrorMessage::text),
        ..fields::text(
            name,
            label,
            RegistrationForm::at(list, i),
            &FieldErrors::new(),
        )
    }
}

async fn new_page(
    state: &AppState,
    visitor: &Visitor,
    f: &RegistrationForm,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let mut hubs = vec![(String::new(), "Select a Family Hub".to_string())];
    hubs.extend(
        state
            .hearth
            .hub_places()
            .await?
            .into_iter()
            .map(|(id, name)| (id.to_string(), name)),
    );
    let rows = (0..MEMBER_ROWS)
        .map(|i| {
            let mut born = fields::select(
                "born",
                "Born, or expected",
                vec![
                    ("born".into(), "Born".into()),
                    ("expected".into(), "Expected baby".into()),
                ],
                RegistrationForm::at(&f.born, i),
                &FieldErrors::new(),
            );
            born.id = Some(format!("born-{i}"));
            MemberRow {
                number: i + 1,
                given_names: row_input("given_names", "First name", i, &f.given_names, errors),
                family_name: row_input("family_name", "Last name", i, &f.family_name, errors),
                born,
                dob: fields::with_hint(
                    row_input("dob", "Date of birth, or due date", i, &f.dob, errors),
                    "For example, 27/03/2019",
                ),
                ethnicity: row_input("ethnicity", "Ethnicity (optional)", i, &f.ethnicity, errors),
            }
        })
        .collect();
    let page = NewPage {
        shell: Shell::new(state, visitor, "Register a family")
            .at("/hubs")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        hub: fields::select("hub", "Family Hub", hubs, &f.hub, errors),
        postcode: fields::text("postcode", "Postcode", &f.postcode, errors),
        language: fields::with_hint(
            fields::text("language", "Language spoken at home", &f.language, errors),
            "For example, English, Arabic, Urdu, Punjabi, Romanian or Polish",
        ),
        phone: fields::text("phone", "Phone number (optional)", &f.phone, errors),
        consent_contact: fields::checkboxes(
            "consent_contact",
            "Keeping their contact details",
            vec![("yes".into(), "The family agreed that the hub keeps their phone number to contact them about sessions".into(), None)],
            std::slice::from_ref(&f.consent_contact),
            errors,
        ),
        consent_attendance: fields::checkboxes(
            "consent_attendance",
            "Keeping their attendance",
            vec![("yes".into(), "The family agreed that their attendance is kept, and shared with practitioners already working with them".into(), None)],
            std::slice::from_ref(&f.consent_attendance),
            errors,
        ),
        rows,
    };
    Ok(render(status_for(!errors.is_empty()), &page))
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    state.hearth.require_hub_desk(&actor).await?;
    new_page(
        &state,
        &visitor,
        &RegistrationForm::default(),
        &FieldErrors::new(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Form(f): Form<RegistrationForm>,
) -> Result<Response, WebError> {
    match state.hearth.register_hub_family(&actor, &f).await {
        Ok(id) => Ok(Redirect::to(&format!("/hubs/families/{id}?done=registered")).into_response()),
        Err(AppError::Invalid(errors)) => new_page(&state, &visitor, &f, &errors).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "hubs/family.html")]
struct ShowPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    heading: String,
    view: FamilyView,
    member: Select,
    programme: Select,
}

impl ShowPage {
    fn came(&self, member: &uuid::Uuid) -> String {
        match self.view.attendance.iter().find(|(m, _, _)| m == member) {
            Some((_, n, Some(last))) => format!(
                "{n} {}, last on {}",
                if *n == 1 { "session" } else { "sessions" },
                crate::dates::UkDate::uk(last)
            ),
            _ => "Not yet".into(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

async fn show_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    family: uuid::Uuid,
    typed: &BookForm,
    done: &str,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let view = state.hearth.hub_family(actor, family).await?;
    let mut members = vec![(String::new(), "Select who to book".to_string())];
    members.extend(view.family.members.iter().map(|m| {
        (
            m.id.to_string(),
            format!("{} {}", m.given_names, m.family_name),
        )
    }));
    let mut programmes = vec![(String::new(), "Select a programme".to_string())];
    programmes.extend(view.programmes.iter().map(|p| {
        (
            p.id.to_string(),
            format!(
                "{} at {} ({} of {} booked)",
                p.name, p.location_name, p.booked, p.capacity
            ),
        )
    }));
    let banner = match done {
        "registered" => Some(fields::success("Family registered.")),
        "booked" => Some(fields::success(BookingStatus::Booked.label())),
        "waiting" => Some(fields::success(
            "The programme is full: they are on the waiting list.",
        )),
        "concern" => Some(fields::success(
            "Concern sent to the front door as a request for support.",
        )),
        "withdrawn" => Some(fields::success(
            "Their attendance is no longer kept: it has left the Family Help record.",
        )),
        "agreed" => Some(fields::success("Their attendance is kept from now on.")),
        _ => None,
    };
    let names = view
        .family
        .members
        .first()
        .map(|m| m.family_name.clone())
        .unwrap_or_default();
    let page = ShowPage {
        shell: Shell::new(state, visitor, &format!("{names} family"))
            .at("/hubs")
            .with_errors(!errors.is_empty()),
        banner,
        error_summary: fields::error_summary(errors),
        heading: format!("{names} family"),
        member: fields::select("member", "Who", members, &typed.member, errors),
        programme: fields::select(
            "programme",
            "Programme",
            programmes,
            &typed.programme,
            errors,
        ),
        view,
    };
    Ok(render(status_for(!errors.is_empty()), &page))
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(family): Path<String>,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    show_page(
        &state,
        &visitor,
        &actor,
        id(&family)?,
        &BookForm::default(),
        &q.done,
        &FieldErrors::new(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct BookForm {
    #[serde(default)]
    member: String,
    #[serde(default)]
    programme: String,
}

pub async fn book(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(family): Path<String>,
    Form(f): Form<BookForm>,
) -> Result<Response, WebError> {
    let family = id(&family)?;
    match state
        .hearth
        .book_on_programme(&actor, family, &f.member, &f.programme)
        .await
    {
        Ok(status) => Ok(
            Redirect::to(&format!("/hubs/families/{family}?done={}", status.code()))
                .into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            show_page(&state, &visitor, &actor, family, &f, "", &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ConsentForm {
    #[serde(default)]
    agreed: String,
}

/// The family withdrew (or gave again) their agreement to their attendance being kept.
pub async fn attendance_consent(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(family): Path<String>,
    Form(f): Form<ConsentForm>,
) -> Result<Response, WebError> {
    let family = id(&family)?;
    let agreed = match f.agreed.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(WebError::NotFound),
    };
    state
        .hearth
        .set_hub_attendance_consent(&actor, family, agreed)
        .await?;
    let done = if agreed { "agreed" } else { "withdrawn" };
    Ok(Redirect::to(&format!("/hubs/families/{family}?done={done}")).into_response())
}
