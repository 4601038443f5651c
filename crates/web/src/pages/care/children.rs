//! A child's care record: where they have lived, how far from home, the DfE's stability
//! measures and any warning; coming into care; a placement's end.

use super::{id, DoneQuery};
use crate::components::{Checkboxes, DateInput, ErrorSummary, Input, NotificationBanner, Select};
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
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::care::{
    CaseloadChild, ChildInCare, EndCareForm, EndForm, LeaverForm, LegalStatusForm, StartForm,
};
use hearth_app::{Actor, AppError};
use hearth_domain::care::leavers::{Accommodation, Activity, InTouch};
use hearth_domain::care::{CategoryOfNeed, CeaseReason, EndReason, LegalStatus};
use hearth_domain::ids::PersonId;
use hearth_domain::input::FieldErrors;

#[derive(Template)]
#[template(path = "care/children.html")]
struct ChildrenPage {
    shell: Shell,
    children: Vec<CaseloadChild>,
}

/// The social worker's children in care.
pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
) -> Result<Response, WebError> {
    let children = state.hearth.children_in_care(&actor).await?;
    let page = ChildrenPage {
        shell: Shell::new(&state, &visitor, "Children in care").at("/care/children"),
        children,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "care/child.html")]
struct ChildPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    child: ChildInCare,
    reason: Select,
    end: DateInput,
    cease_reason: Select,
    ceased: DateInput,
    contact: DateInput,
    in_touch: Select,
    activity: Select,
    accommodation: Select,
    suitable: Select,
    staying: Checkboxes,
    new_status: Select,
    changed: DateInput,
}

/// The forms on a child's page as typed: ending the placement, ending the care, a contact
/// with a care leaver, or a change of legal status.
#[derive(Default)]
struct Typed {
    end: EndForm,
    care: EndCareForm,
    leaver: LeaverForm,
    status: LegalStatusForm,
}

/// A list to choose from: a first empty choice, then each code with its words.
fn choices(
    first: &str,
    all: impl Iterator<Item = (&'static str, &'static str)>,
) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), first.to_string())];
    out.extend(all.map(|(c, l)| (c.to_string(), format!("{c}: {l}"))));
    out
}

async fn child_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    person: PersonId,
    typed: &Typed,
    errors: &FieldErrors,
    banner: Option<NotificationBanner>,
) -> Result<ChildPage, WebError> {
    let f = &typed.end;
    let child = state.hearth.child_in_care(actor, person).await?;
    let mut ceases = vec![(String::new(), "Choose why the care ended".to_string())];
    ceases.extend(
        CeaseReason::ALL
            .iter()
            .map(|r| (r.code().into(), format!("{}: {}", r.code(), r.label()))),
    );
    let ceased = typed.care.ceased_parts();
    let mut reasons = vec![(String::new(), "Choose why the placement ended".to_string())];
    reasons.extend(
        EndReason::ALL
            .iter()
            .map(|r| (r.code().into(), r.label().into())),
    );
    let end = f.end_parts();
    let l = &typed.leaver;
    let contact = l.contact_parts();
    let changed = typed.status.changed_parts();
    Ok(ChildPage {
        shell: Shell::new(state, visitor, &child.name)
            .at("/care")
            .with_errors(!errors.is_empty()),
        banner,
        error_summary: fields::error_summary_with_dates(
            errors,
            &[
                ("end", &end),
                ("ceased", &ceased),
                ("contact", &contact),
                ("changed", &changed),
            ],
        ),
        new_status: fields::select(
            "new_status",
            "The legal status it changed to",
            choices(
                "Choose the legal status",
                LegalStatus::ALL.iter().map(|s| (s.code(), s.label())),
            ),
            &typed.status.new_status,
            errors,
        ),
        changed: fields::date(
            "changed",
            "The day it changed",
            Some("The day of the order, for example 27 3 2026"),
            &changed,
            errors,
        ),
        reason: fields::select("reason", "Why did it end?", reasons, &f.reason, errors),
        end: fields::date("end", "The day it ended", None, &end, errors),
        cease_reason: fields::select(
            "cease_reason",
            "Why did the child's care end?",
            ceases,
            &typed.care.cease_reason,
            errors,
        ),
        ceased: fields::date(
            "ceased",
            "The day the care ended",
            Some("The placement going on ends the same day."),
            &ceased,
            errors,
        ),
        contact: fields::date("contact", "The day of the contact", None, &contact, errors),
        in_touch: fields::select(
            "in_touch",
            "In touch?",
            choices("Choose", InTouch::ALL.iter().map(|c| (c.code(), c.label()))),
            &l.in_touch,
            errors,
        ),
        activity: fields::select(
            "activity",
            "What are they doing? (when in touch)",
            choices(
                "Not asked",
                Activity::ALL.iter().map(|c| (c.code(), c.label())),
            ),
            &l.activity,
            errors,
        ),
        accommodation: fields::select(
            "accommodation",
            "Where do they live? (when in touch)",
            choices(
                "Not asked",
                Accommodation::ALL.iter().map(|c| (c.code(), c.label())),
            ),
            &l.accommodation,
            errors,
        ),
        suitable: fields::select(
            "suitable",
            "Does the accommodation suit them?",
            vec![
                ("yes".into(), "Yes, suitable".into()),
                ("no".into(), "No, not suitable".into()),
            ],
            &l.suitable,
            errors,
        ),
        staying: fields::checkboxes(
            "staying",
            "Staying put or staying close",
            vec![
                (
                    "put".into(),
                    "Staying put: living on with their former foster carers after 18".into(),
                    None,
                ),
                (
                    "close".into(),
                    "Staying close: living near the children's home they left, with its support"
                        .into(),
                    None,
                ),
            ],
            &l.staying,
            errors,
        ),
        child,
    })
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(person): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let banner = q.banner(&[
        ("started", "The child's coming into care was recorded."),
        ("requested", "The placements team has the request."),
        ("ended", "The placement's end was recorded."),
        ("care_ended", "The end of the child's care was recorded."),
        ("leaver", "The contact with the care leaver was recorded."),
        ("status", "The change of legal status was recorded."),
    ]);
    let page = child_page(
        &state,
        &visitor,
        &actor,
        id(&person)?,
        &Typed::default(),
        &FieldErrors::new(),
        banner,
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn end(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(person): Path<String>,
    Form(f): Form<EndForm>,
) -> Result<Response, WebError> {
    let person: PersonId = id(&person)?;
    match state.hearth.end_placement(&actor, person, &f).await {
        Ok(()) => Ok(Redirect::to(&format!("/care/children/{person}?done=ended")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let typed = Typed {
                end: f,
                ..Typed::default()
            };
            Ok(render(
                status_for(true),
                &child_page(&state, &visitor, &actor, person, &typed, &errors, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Ends the child's care with the DfE's reason.
pub async fn end_care(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(person): Path<String>,
    Form(f): Form<EndCareForm>,
) -> Result<Response, WebError> {
    let person: PersonId = id(&person)?;
    match state.hearth.end_care(&actor, person, &f).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/care/children/{person}?done=care_ended")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let typed = Typed {
                care: f,
                ..Typed::default()
            };
            Ok(render(
                status_for(true),
                &child_page(&state, &visitor, &actor, person, &typed, &errors, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Records a contact with a care leaver.
pub async fn leaver(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(person): Path<String>,
    Form(f): Form<LeaverForm>,
) -> Result<Response, WebError> {
    let person: PersonId = id(&person)?;
    match state.hearth.record_leaver_contact(&actor, person, &f).await {
        Ok(()) => Ok(
            Redirect::to(&format!("/care/children/{person}?done=leaver#leaver")).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let typed = Typed {
                leaver: f,
                ..Typed::default()
            };
            Ok(render(
                status_for(true),
                &child_page(&state, &visitor, &actor, person, &typed, &errors, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Records a change of the child's legal status.
pub async fn legal_status(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(person): Path<String>,
    Form(f): Form<LegalStatusForm>,
) -> Result<Response, WebError> {
    let person: PersonId = id(&person)?;
    match state.hearth.change_legal_status(&actor, person, &f).await {
        Ok(()) => Ok(
            Redirect::to(&format!("/care/children/{person}?done=status#legal-status"))
                .into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let typed = Typed {
                status: f,
                ..Typed::default()
            };
            Ok(render(
                status_for(true),
                &child_page(&state, &visitor, &actor, person, &typed, &errors, None).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "care/start.html")]
struct StartPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    person: PersonId,
    name: String,
    start: DateInput,
    legal_status: Select,
    category_of_need: Select,
    home_postcode: Input,
    uasc: Checkboxes,
}

async fn start_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    person: PersonId,
    f: &StartForm,
    errors: &FieldErrors,
) -> Result<StartPage, WebError> {
    let name = state.hearth.care_admission(actor, person).await?;
    let mut statuses = vec![(String::new(), "Choose the legal status".to_string())];
    statuses.extend(
        LegalStatus::ALL
            .iter()
            .map(|s| (s.code().into(), format!("{}: {}", s.code(), s.label()))),
    );
    let mut needs = vec![(String::new(), "Choose the category of need".to_string())];
    needs.extend(
        CategoryOfNeed::ALL
            .iter()
            .map(|n| (n.code().into(), format!("{}: {}", n.code(), n.label()))),
    );
    let start = f.start_parts();
    Ok(StartPage {
        shell: Shell::new(state, visitor, "Record coming into care")
            .at("/care")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary_with_dates(errors, &[("start", &start)]),
        person,
        name,
        start: fields::date(
            "start",
            "The day the child came into care",
            Some("For example, 27 3 2026"),
            &start,
            errors,
        ),
        legal_status: fields::select(
            "legal_status",
            "Legal status",
            statuses,
            &f.legal_status,
            errors,
        ),
        category_of_need: fields::select(
            "category_of_need",
            "Why the child came into care",
            needs,
            &f.category_of_need,
            errors,
        ),
        home_postcode: fields::with_hint(
            fields::text(
                "home_postcode",
                "Postcode of the home the child came from (optional)",
                &f.home_postcode,
                errors,
            ),
            "Placements are measured from here, as the DfE measures them.",
        ),
        uasc: fields::checkboxes(
            "uasc",
            "Unaccompanied asylum-seeking child",
            vec![(
                "yes".into(),
                "The child is an unaccompanied asylum-seeking child".into(),
                Some("Counted as the DfE counts UASC in the sufficiency picture.".into()),
            )],
            std::slice::from_ref(&f.uasc),
            errors,
        ),
    })
}

pub async fn start_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(person): Path<String>,
) -> Result<Response, WebError> {
    let page = start_page(
        &state,
        &visitor,
        &actor,
        id(&person)?,
        &StartForm::default(),
        &FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn start(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(person): Path<String>,
    Form(f): Form<StartForm>,
) -> Result<Response, WebError> {
    let person: PersonId = id(&person)?;
    match state.hearth.start_care(&actor, person, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/care/children/{person}?done=started")).into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &start_page(&state, &visitor, &actor, person, &f, &errors).await?,
        )),
        Err(e) => Err(e.into()),
    }
}
