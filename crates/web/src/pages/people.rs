//! Finding people, adding them after a search, and opening their record.

use crate::components::{
    Button, Checkboxes, DateInput, ErrorSummary, Input, NotificationBanner, Radios, Select,
    SummaryList, Textarea,
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
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::family::consent::ConsentForm;
use hearth_app::family::{
    ContactView, Found, FullRecord, JoinHouseholdForm, PersonForm, PersonView, SearchForm,
};
use hearth_app::AppError;
use hearth_domain::access::{DEFAULT_RESTRICTION_ROLES, RESTRICTION_ROLES};
use hearth_domain::ids::PersonId;
use hearth_domain::input::FieldErrors;
use hearth_domain::person::{DobCertainty, Ethnicity, HouseholdRelationship, Sex};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "people/search.html")]
struct SearchPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    name: Input,
    dob: Input,
    postcode: Input,
    nhs_number: Input,
    upn: Input,
    submit: Button,
    searched: bool,
    results: Vec<Found>,
    search_id: String,
    form: SearchForm,
    /// Looking for someone to add to this person's household.
    household_of: String,
    /// The user may ask for help (for a person found, even one they may not open).
    may_request: bool,
}

fn search_page(
    state: &AppState,
    visitor: &Visitor,
    form: &SearchForm,
    errors: &FieldErrors,
) -> SearchPage {
    SearchPage {
        may_request: false,
        shell: Shell::new(state, visitor, "Find a person")
            .at("/people")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        name: fields::with_hint(
            fields::text("name", "Name", &form.name, errors),
            "First name, last name or both, in any order. Part of a name works too.",
        ),
        dob: fields::with_hint(
            fields::text("dob", "Date of birth", &form.dob, errors),
            "For example, 27/03/2012",
        ),
        postcode: fields::text("postcode", "Postcode", &form.postcode, errors),
        nhs_number: fields::text("nhs_number", "NHS number", &form.nhs_number, errors),
        upn: fields::text("upn", "Unique pupil number (UPN)", &form.upn, errors),
        submit: fields::submit("Search"),
        searched: false,
        results: Vec::new(),
        search_id: String::new(),
        form: form.clone(),
        household_of: String::new(),
    }
}

/// Where a search comes from: a person's record, to find someone for their household.
#[derive(Deserialize, Default)]
pub struct SearchContext {
    #[serde(default)]
    household_of: String,
}

/// A household id from a form or link: a person's id, or nothing.
fn household_context(raw: &str) -> String {
    raw.trim()
        .parse::<PersonId>()
        .map(|id| id.to_string())
        .unwrap_or_default()
}

pub async fn search_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(_): SignedIn,
    Query(context): Query<SearchContext>,
) -> Response {
    let mut page = search_page(
        &state,
        &visitor,
        &SearchForm::default(),
        &FieldErrors::new(),
    );
    page.household_of = household_context(&context.household_of);
    render(StatusCode::OK, &page)
}

pub async fn search(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    FormParts(form, context): FormParts<SearchForm, SearchContext>,
) -> Result<Response, WebError> {
    let household_of = household_context(&context.household_of);
    match state.hearth.search_people(&actor, &form).await {
        Ok(outcome) => {
            let mut page = search_page(&state, &visitor, &form, &FieldErrors::new());
            page.searched = true;
            page.may_request = actor.can(hearth_domain::role::Capability::RequestSupport);
            page.results = outcome.results;
            page.search_id = outcome.search_id.to_string();
            page.household_of = household_of;
            Ok(render(StatusCode::OK, &page))
        }
        Err(AppError::Invalid(errors)) => {
            let mut page = search_page(&state, &visitor, &form, &errors);
            page.household_of = household_of;
            Ok(render(status_for(true), &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "people/new.html")]
struct NewPersonPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    search_id: String,
    with_person: String,
    given_names: Input,
    family_name: Input,
    other_names: Textarea,
    dob: DateInput,
    dob_certainty: Radios,
    sex: Select,
    gender: Input,
    ethnicity: Select,
    first_language: Input,
    interpreter: Checkboxes,
    send: Input,
    disability: Input,
    nhs_number: Input,
    upn: Input,
    phone: Input,
    email: Input,
    address_line1: Input,
    address_town: Input,
    postcode: Input,
    relationship: Option<Select>,
    restricted: Checkboxes,
    restriction_roles: Checkboxes,
    restriction_reason: Textarea,
    submit: Button,
    /// People already on the record whom this person closely matches.
    matches: Vec<Found>,
    different_reason: Textarea,
}

fn new_person_page(
    state: &AppState,
    visitor: &Visitor,
    f: &PersonForm,
    errors: &FieldErrors,
) -> NewPersonPage {
    let opt = |items: &[(&str, &str)], first: &str| {
        let mut v = vec![(String::new(), first.to_string())];
        v.extend(items.iter().map(|(c, l)| (c.to_string(), l.to_string())));
        v
    };
    NewPersonPage {
        shell: Shell::new(state, visitor, "Add a person").at("/people").with_errors(!errors.is_empty()),
        error_summary: fields::error_summary_with_dates(errors, &[("dob", &f.dob_parts())]),
        search_id: f.search_id.clone(),
        with_person: f.with_person.clone(),
        given_names: fields::text("given_names", "First names", &f.given_names, errors),
        family_name: fields::text("family_name", "Last name", &f.family_name, errors),
        other_names: fields::textarea("other_names", "Previous or other names (optional)", &f.other_names, errors),
        dob: fields::date("dob", "Date of birth (optional)", Some("For example, 27 3 2012. For an unborn baby, the expected date."), &f.dob_parts(), errors),
        dob_certainty: dob_certainty(&f.dob_certainty, errors),
        sex: fields::select("sex", "Sex (optional)", opt(&coded(Sex::ALL.iter().map(|s| (s.code(), s.label()))), "Select"), &f.sex, errors),
        gender: fields::text("gender", "Gender, in the person's words (optional)", &f.gender, errors),
        ethnicity: fields::select("ethnicity", "Ethnicity (optional)", opt(&coded(Ethnicity::ALL.iter().map(|e| (e.code(), e.label()))), "Select"), &f.ethnicity, errors),
        first_language: fields::text("first_language", "First language (optional)", &f.first_language, errors),
        interpreter: fields::checkboxes("interpreter_needed", "Interpreter", vec![("yes".into(), "Needs an interpreter".into(), None)], &f.interpreter_needed.iter().cloned().collect::<Vec<_>>(), errors),
        send: fields::text("send", "Special educational needs (optional)", &f.send, errors),
        disability: fields::text("disability", "Disability (optional)", &f.disability, errors),
        nhs_number: fields::text("nhs_number", "NHS number (optional)", &f.nhs_number, errors),
        upn: fields::text("upn", "Unique pupil number (optional)", &f.upn, errors),
        phone: fields::text("phone", "Phone (optional)", &f.phone, errors),
        email: fields::email("email", "Email address (optional)", &f.email, errors),
        address_line1: fields::text("address_line1", "Address line 1 (optional)", &f.address_line1, errors),
        address_town: fields::text("address_town", "Town or city (optional)", &f.address_town, errors),
        postcode: fields::text("postcode", "Postcode (optional)", &f.postcode, errors),
        relationship: (!f.with_person.is_empty()).then(|| fields::select("relationship", "Their relationship to the person you came from", opt(&coded(HouseholdRelationship::chosen().map(|r| (r.code(), r.label()))), "Select"), &f.relationship, errors)),
        restricted: fields::checkboxes("restricted", "Restriction", vec![("yes".into(), "Hide this person's address and contact details".into(), Some("For example, an address withheld because of domestic abuse. Only the roles you choose will see them, and every view of the record is recorded with a reason.".into()))], &f.restricted.iter().cloned().collect::<Vec<_>>(), errors),
        restriction_roles: fields::checkboxes_with_hint(
            fields::checkboxes(
                "restriction_roles",
                "If restricted, who may see the address and contact details",
                RESTRICTION_ROLES.iter().map(|r| (r.code().to_string(), r.label().to_string(), None)).collect(),
                // A new form offers the front door and managers; a returned one keeps the choice.
                &if f.restriction_roles.is_empty() && f.restricted.is_none() {
                    DEFAULT_RESTRICTION_ROLES.iter().map(|r| r.code().to_string()).collect()
                } else {
                    f.restriction_roles.clone()
                },
                errors,
            ),
            "Everyone else who may open the record sees that details are hidden, not what they are.",
        ),
        restriction_reason: fields::textarea("restriction_reason", "Reason for the restriction", &f.restriction_reason, errors),
        submit: fields::submit("Add person"),
        matches: Vec::new(),
        different_reason: fields::textarea(
            "different_reason",
            "If none of them is this person: why you are sure this is a different person",
            &f.different_reason,
            errors,
        ),
    }
}

/// Codes and labels for a select.
pub(crate) fn coded<'a>(
    items: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<(&'a str, &'a str)> {
    items.collect()
}

/// How sure a date of birth is, as radios (on adding a person and on changing their date).
pub(crate) fn dob_certainty(chosen: &str, errors: &FieldErrors) -> Radios {
    fields::radios(
        "dob_certainty",
        "How sure is the date of birth?",
        DobCertainty::ALL
            .iter()
            .map(|c| {
                let hint = match c {
                    DobCertainty::Estimated => {
                        Some("For example, a child who arrived without documents".into())
                    }
                    DobCertainty::Expected => {
                        Some("An unborn baby's expected date of delivery".into())
                    }
                    DobCertainty::Exact => None,
                };
                (c.code().into(), c.label().into(), hint)
            })
            .collect(),
        if chosen.is_empty() { "exact" } else { chosen },
        errors,
    )
}

/// Where a multi-step form is: `start` opens it, anything else sends it.
#[derive(Deserialize)]
pub struct Stage {
    #[serde(default)]
    stage: String,
}

/// `stage=start` opens the form (from search results); otherwise the person is saved.
pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    FormParts(Stage { stage }, person): FormParts<Stage, PersonForm>,
) -> Result<Response, WebError> {
    if stage == "start" {
        return Ok(render(
            StatusCode::OK,
            &new_person_page(&state, &visitor, &person, &FieldErrors::new()),
        ));
    }
    match state.hearth.add_person(&actor, &person).await {
        Ok(id) => Ok(Redirect::to(&format!("/people/{id}?done=created")).into_response()),
        Err(AppError::Invalid(errors)) if errors.get("search").is_some() => {
            Ok(Redirect::to("/people").into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let mut page = new_person_page(&state, &visitor, &person, &errors);
            if errors.get("different_reason").is_some() {
                page.matches = state.hearth.close_matches(&actor, &person).await?;
            }
            Ok(render(status_for(true), &page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "people/record.html")]
struct RecordPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    record: FullRecord,
    details: SummaryList,
    consents: Vec<hearth_app::records::Consent>,
    consent_given_by: Input,
    consent_share_with: Input,
    consent_given_on: Input,
    consent_expires_on: Input,
    withdraw_reason: Input,
    /// The live consent the page offers to withdraw (one form, so field ids stay unique).
    withdrawable: Option<uuid::Uuid>,
    service_requests: Vec<hearth_app::records::ServiceRequest>,
    /// The ways into children in care this record offers the user.
    care: hearth_app::care::CareStanding,
}

#[derive(Template)]
#[template(path = "people/contact.html")]
struct ContactPage {
    shell: Shell,
    view: ContactView,
    error_summary: Option<ErrorSummary>,
    /// The break-glass reason, when the user's roles carry it.
    reason: Textarea,
    /// Asking for help for this person needs no access to their record.
    may_request: bool,
}

#[derive(Template)]
#[template(path = "people/reason.html")]
struct ReasonPage {
    shell: Shell,
    id: PersonId,
    name: String,
    error_summary: Option<ErrorSummary>,
    reason: Textarea,
    submit: Button,
}

#[derive(Debug, Default, Deserialize)]
pub struct OpenQuery {
    done: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

fn person_id(id: &str) -> Result<PersonId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

async fn open(
    state: &AppState,
    visitor: &Visitor,
    actor: &hearth_app::Actor,
    id: PersonId,
    reason: Option<&str>,
    done: Option<&str>,
) -> Result<Response, WebError> {
    open_with(
        state,
        visitor,
        actor,
        id,
        reason,
        done,
        &ConsentForm::default(),
        &FieldErrors::new(),
    )
    .await
}

/// Opens the record, showing the consent form with what was typed and its problems.
#[allow(clippy::too_many_arguments)]
async fn open_with(
    state: &AppState,
    visitor: &Visitor,
    actor: &hearth_app::Actor,
    id: PersonId,
    reason: Option<&str>,
    done: Option<&str>,
    consent: &ConsentForm,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    Ok(match state.hearth.person(actor, id, reason).await? {
        PersonView::Full(record) => {
            let p = &record.person;
            let details = crate::pages::person_details::summary(&record);
            let consents = state.hearth.consents(actor, p.id).await?;
            let service_requests = state.hearth.service_requests_for(actor, p.id).await?;
            let care = state.hearth.care_standing(actor, p.id).await?;
            let page = RecordPage {
                shell: Shell::new(state, visitor, &format!("{} {}", p.given_names, p.family_name)).at("/people").with_errors(!errors.is_empty()),
                banner: match done {
                    Some("created") => Some(fields::success("Person added.")),
                    Some("consent") => Some(fields::success("Consent recorded.")),
                    Some("left") => Some(fields::success("Recorded that they left the household. They stay in the family's history.")),
                    Some("joined") => Some(fields::success("Added to the household. Any other household they live in is kept.")),
                    Some("withdrawn") => Some(fields::success("Consent withdrawn. Partners who relied on it can no longer open this record.")),
                    Some("service_request") => Some(fields::success("Request sent. The service will answer here.")),
                    Some("changed") => Some(fields::success("Details changed. The change is in the history of changes below.")),
                    _ => None,
                },
                error_summary: fields::error_summary(errors),
                details,
                withdrawable: consents.iter().find(|c| c.withdrawn_on.is_none()).map(|c| c.id),
                consents,
                consent_given_by: fields::text("given_by", "Who gave consent, and their relationship", &consent.given_by, errors),
                consent_share_with: fields::with_hint(fields::text("share_with", "Who it may be shared with", &consent.share_with, errors), "For example: the Team Around the Family; the school and health visitor"),
                consent_given_on: fields::with_hint(fields::text("given_on", "Date given", &consent.given_on, errors), "For example, 22/11/2026"),
                consent_expires_on: fields::text("expires_on", "Until (optional)", &consent.expires_on, errors),
                withdraw_reason: fields::text("withdrawn_reason", "What the family said", "", errors),
                service_requests,
                care,
                record: *record,
            };
            render(status_for(!errors.is_empty()), &page)
        }
        PersonView::ContactOnly(view) => {
            let page = ContactPage {
                shell: Shell::new(
                    state,
                    visitor,
                    &format!("Who is involved with {}", view.name),
                )
                .at("/people")
                .with_errors(!errors.is_empty()),
                view,
                may_request: actor.can(hearth_domain::role::Capability::RequestSupport),
                error_summary: fields::error_summary(errors),
                reason: fields::textarea(
                    "reason",
                    "Why must you open this record now?",
                    reason.unwrap_or(""),
                    errors,
                ),
            };
            render(status_for(!errors.is_empty()), &page)
        }
        PersonView::ReasonNeeded { id, name } => {
            let mut errors = FieldErrors::new();
            if reason.is_some() {
                errors.add(
                    "reason",
                    "Give your reason in a sentence or more (at least 10 characters)",
                );
            }
            let page = ReasonPage {
                shell: Shell::new(state, visitor, "This record is restricted")
                    .at("/people")
                    .with_errors(!errors.is_empty()),
                id,
                name,
                error_summary: fields::error_summary(&errors),
                reason: fields::textarea(
                    "reason",
                    "Why do you need to open this record?",
                    reason.unwrap_or(""),
                    &errors,
                ),
                submit: fields::submit("Open the record"),
            };
            render(status_for(!errors.is_empty()), &page)
        }
    })
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<OpenQuery>,
) -> Result<Response, WebError> {
    open(
        &state,
        &visitor,
        &actor,
        person_id(&id)?,
        None,
        q.done.as_deref(),
    )
    .await
}

/// Opening a restricted record with a reason (a POST so the reason stays out of URLs).
pub async fn show_with_reason(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ReasonForm>,
) -> Result<Response, WebError> {
    open(
        &state,
        &visitor,
        &actor,
        person_id(&id)?,
        Some(&f.reason),
        None,
    )
    .await
}

/// Breaking the glass: a user whose roles carry it opens a record they have no part in, with
/// a reason; a reason too short comes back with what to fix.
pub async fn break_glass(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ReasonForm>,
) -> Result<Response, WebError> {
    let id = person_id(&id)?;
    match state.hearth.break_glass(&actor, id, &f.reason).await {
        Ok(()) => Ok(Redirect::to(&format!("/people/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            open_with(
                &state,
                &visitor,
                &actor,
                id,
                Some(&f.reason),
                None,
                &ConsentForm::default(),
                &errors,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "people/duplicates.html")]
struct DuplicatesPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    banner: Option<NotificationBanner>,
    id: PersonId,
    name: String,
    duplicates: Vec<hearth_app::family::merging::PossibleDuplicate>,
    merges: Vec<hearth_app::records::Merge>,
    reason: Textarea,
}

async fn duplicates_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &hearth_app::Actor,
    id: PersonId,
    errors: &FieldErrors,
    reason: &str,
    done: Option<&str>,
) -> Result<Response, WebError> {
    let (name, duplicates) = state.hearth.possible_duplicates(actor, id).await?;
    let merges = state.hearth.merges_into(actor, id).await?;
    let page = DuplicatesPage {
        shell: Shell::new(state, visitor, &format!("Possible duplicates of {name}")).at("/people").with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        banner: match done {
            Some("merged") => Some(fields::success("Records merged. Everything recorded about both is now on this record.")),
            Some("undone") => Some(fields::success("Merge undone. Both records are back as they were.")),
            _ => None,
        },
        id,
        name,
        duplicates,
        merges,
        reason: fields::with_textarea_hint(fields::textarea("reason", "Why are these the same person?", reason, errors), "For example: same date of birth and school; the health visitor confirmed the spelling with the family."),
    };
    Ok(render(status_for(!errors.is_empty()), &page))
}

pub async fn duplicates(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<OpenQuery>,
) -> Result<Response, WebError> {
    duplicates_page(
        &state,
        &visitor,
        &actor,
        person_id(&id)?,
        &FieldErrors::new(),
        "",
        q.done.as_deref(),
    )
    .await
}

#[derive(Deserialize)]
pub struct MergeForm {
    #[serde(default)]
    merged: String,
    #[serde(default)]
    reason: String,
}

pub async fn merge(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<MergeForm>,
) -> Result<Response, WebError> {
    let survivor = person_id(&id)?;
    let merged = person_id(&f.merged)?;
    match state.hearth.merge_people(&actor, survivor, merged, &f.reason).await {
        Ok(_) => Ok(Redirect::to(&format!("/people/{survivor}/duplicates?done=merged")).into_response()),
        Err(AppError::Invalid(errors)) => duplicates_page(&state, &visitor, &actor, survivor, &errors, &f.reason, None).await,
        Err(AppError::Conflict) => Err(WebError::BadRequest("That record has already been merged into another. Search again to see where it is now.".into())),
        Err(e) => Err(e.into()),
    }
}

pub async fn undo_merge(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(merge): Path<String>,
) -> Result<Response, WebError> {
    let merge = merge.parse().map_err(|_| WebError::NotFound)?;
    match state.hearth.undo_merge(&actor, merge).await {
        Ok((survivor, _)) => {
            Ok(Redirect::to(&format!("/people/{survivor}/duplicates?done=undone")).into_response())
        }
        Err(AppError::Conflict) => Err(WebError::BadRequest(
            "This merge has already been undone.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn record_consent(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ConsentForm>,
) -> Result<Response, WebError> {
    let id = person_id(&id)?;
    match state.hearth.record_consent(&actor, id, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/people/{id}?done=consent")).into_response()),
        Err(AppError::Invalid(errors)) => {
            open_with(&state, &visitor, &actor, id, None, None, &f, &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    withdrawn_reason: String,
}

pub async fn withdraw_consent(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((id, consent)): Path<(String, String)>,
    Form(f): Form<WithdrawForm>,
) -> Result<Response, WebError> {
    let id = person_id(&id)?;
    let consent = consent.parse().map_err(|_| WebError::NotFound)?;
    match state
        .hearth
        .withdraw_consent(&actor, id, consent, &f.withdrawn_reason)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/people/{id}?done=withdrawn")).into_response()),
        Err(AppError::Invalid(errors)) => {
            open_with(
                &state,
                &visitor,
                &actor,
                id,
                None,
                None,
                &ConsentForm::default(),
                &errors,
            )
            .await
        }
        Err(AppError::Conflict) => Err(WebError::BadRequest(
            "This consent has already been withdrawn.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct LeaveForm {
    #[serde(default)]
    membership: String,
}

/// Someone moved out of the household shown on this person's page.
pub async fn leave_household(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<LeaveForm>,
) -> Result<Response, WebError> {
    let id = person_id(&id)?;
    match state
        .hearth
        .end_household_membership(&actor, id, &f.membership)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/people/{id}?done=left")).into_response()),
        Err(AppError::Conflict) => Err(WebError::BadRequest(
            "That person has already left the household.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "people/join.html")]
struct JoinPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    household_of: String,
    member: String,
    member_name: String,
    relationship: Select,
    submit: Button,
}

#[derive(Deserialize)]
pub struct JoinStep {
    #[serde(default)]
    stage: String,
    /// The name shown in the search result, carried to the question page.
    #[serde(default)]
    member_name: String,
}

fn join_page(
    state: &AppState,
    visitor: &Visitor,
    of: PersonId,
    step: &JoinStep,
    join: &JoinHouseholdForm,
    errors: &FieldErrors,
) -> JoinPage {
    let mut relationships = vec![(String::new(), "Select".to_string())];
    relationships.extend(
        HouseholdRelationship::chosen().map(|r| (r.code().to_string(), r.label().to_string())),
    );
    JoinPage {
        shell: Shell::new(state, visitor, "Add to this household")
            .at("/people")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        household_of: of.to_string(),
        member: join.member.clone(),
        member_name: step.member_name.clone(),
        relationship: fields::select(
            "relationship",
            "Their relationship to the person whose household they join",
            relationships,
            &join.relationship,
            errors,
        ),
        submit: fields::submit("Add to household"),
    }
}

/// Someone found by a search joins this person's household: `stage=start` (from the search
/// results) asks how they are related; otherwise they are added.
pub async fn join_household(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    FormParts(step, join): FormParts<JoinStep, JoinHouseholdForm>,
) -> Result<Response, WebError> {
    let of = person_id(&id)?;
    if step.stage == "start" {
        return Ok(render(
            StatusCode::OK,
            &join_page(&state, &visitor, of, &step, &join, &FieldErrors::new()),
        ));
    }
    match state.hearth.join_household(&actor, of, &join).await {
        Ok(()) => Ok(Redirect::to(&format!("/people/{of}?done=joined")).into_response()),
        Err(AppError::Invalid(errors)) => Ok(render(
            status_for(true),
            &join_page(&state, &visitor, of, &step, &join, &errors),
        )),
        Err(e) => Err(e.into()),
    }
}
