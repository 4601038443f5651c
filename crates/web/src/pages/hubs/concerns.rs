//! Noting a concern about a family registered at the hub: it goes to the front door as a
//! request for support, the hub its requester (issue 21). Reached from the family's page and
//! from a session's register; one form, no JavaScript needed.

use super::id;
use crate::components::{Checkboxes, ErrorSummary, Radios, Textarea};
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::requests::safeguarding_steps;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::hubs::ConcernForm;
use hearth_app::{Actor, AppError};
use hearth_domain::input::FieldErrors;
use hearth_domain::need::NeedDomain;
use hearth_domain::routing::{SharingConsent, Urgency};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "hubs/concern.html")]
struct ConcernPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    heading: String,
    family: Uuid,
    safeguarding: Radios,
    members: Checkboxes,
    needs: Checkboxes,
    concern: Textarea,
    family_told: Textarea,
    consent: Radios,
    lawful_basis: Textarea,
    urgency: Radios,
}

async fn page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    family: Uuid,
    f: &ConcernForm,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let view = state.hearth.hub_family(actor, family).await?;
    let names = view
        .family
        .members
        .first()
        .map(|m| m.family_name.clone())
        .unwrap_or_default();
    let mut safeguarding = fields::radios(
        "safeguarding",
        "Are you worried a child is at risk of significant harm?",
        vec![
            ("yes".to_string(), "Yes".to_string(), None),
            ("no".to_string(), "No".to_string(), None),
        ],
        &f.safeguarding,
        errors,
    );
    fields::reveal_under(
        &mut safeguarding,
        "yes",
        fields::reveal(&[&safeguarding_steps(
            state,
            "Do this now, before you send the concern:",
        )]),
    );
    let due = &state.hearth.policies().front_door.due;
    let heading = format!("Note a concern about the {names} family");
    let out = ConcernPage {
        shell: Shell::new(state, visitor, &heading)
            .at("/hubs")
            .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        heading,
        family,
        safeguarding,
        members: fields::checkboxes(
            "members",
            "Who is the concern about?",
            view.family
                .members
                .iter()
                .map(|m| {
                    (
                        m.id.to_string(),
                        format!("{} {}", m.given_names, m.family_name),
                        None,
                    )
                })
                .collect(),
            &f.members,
            errors,
        ),
        needs: fields::checkboxes(
            "needs",
            "What does the family need help with?",
            NeedDomain::ALL
                .iter()
                .map(|d| (d.code().to_string(), d.label().to_string(), None))
                .collect(),
            &f.needs,
            errors,
        ),
        concern: fields::with_textarea_hint(
            fields::textarea(
                "concern",
                "What did you see or hear that worries you?",
                &f.concern,
                errors,
            ),
            "In the family's words where you can. The front door reads this.",
        ),
        family_told: fields::textarea(
            "family_told",
            "What has the family been told about this request?",
            &f.family_told,
            errors,
        ),
        consent: fields::radios(
            "consent",
            "Did the family agree to share their information with the partnership?",
            SharingConsent::ALL
                .into_iter()
                .map(|c| (c.code().to_string(), c.answer().to_string(), None))
                .collect(),
            &f.consent,
            errors,
        ),
        lawful_basis: fields::textarea(
            "lawful_basis",
            "If they did not agree: the lawful basis for sharing and why",
            &f.lawful_basis,
            errors,
        ),
        urgency: fields::radios(
            "urgency",
            "How soon does the family need help?",
            Urgency::ALL
                .iter()
                .map(|u| (u.code().to_string(), u.promise(due), None))
                .collect(),
            &f.urgency,
            errors,
        ),
    };
    Ok(render(status_for(!errors.is_empty()), &out))
}

#[derive(Debug, Default, Deserialize)]
pub struct About {
    /// The member chosen on the register, ticked to begin with.
    #[serde(default)]
    member: String,
}

pub async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(family): Path<String>,
    Query(q): Query<About>,
) -> Result<Response, WebError> {
    let f = ConcernForm {
        members: vec![q.member],
        ..ConcernForm::default()
    };
    page(
        &state,
        &visitor,
        &actor,
        id(&family)?,
        &f,
        &FieldErrors::new(),
    )
    .await
}

pub async fn send(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(family): Path<String>,
    Form(f): Form<ConcernForm>,
) -> Result<Response, WebError> {
    let family = id(&family)?;
    match state.hearth.note_hub_concern(&actor, family, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/hubs/families/{family}?done=concern")).into_response()),
        Err(AppError::Invalid(errors)) => page(&state, &visitor, &actor, family, &f, &errors).await,
        Err(e) => Err(e.into()),
    }
}
