//! A session's register, marked at the session on a phone or tablet. Without JavaScript the
//! whole register is one form; with it, each tick is sent at once as a mark with its own id
//! (kept on the device while the connection is lost, sent again when it is back). Every mark
//! id is kept once, so nothing sent twice counts twice.

use super::id;
use crate::components::{ErrorSummary, Hint, Input, NotificationBanner, Select};
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
use hearth_app::hubs::{MarkInput, RegisterView};
use hearth_app::{Actor, AppError};
use hearth_domain::hub::AgeBand;
use hearth_domain::input::FieldErrors;
use serde::Deserialize;
use uuid::Uuid;

/// The most walk-ins counted in one go.
const MOST_COUNTED: u32 = 50;

#[derive(Template)]
#[template(path = "hubs/register.html")]
struct RegisterPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    view: RegisterView,
    /// This page's id: the marks of its form are keyed by it, so sending the form twice
    /// keeps them once.
    submission: String,
    walk_in: Select,
    counted_band: Select,
    counted_number: Input,
}

#[derive(Debug, Default, Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    submission: String,
    #[serde(default)]
    listed: Vec<String>,
    #[serde(default)]
    present: Vec<String>,
    #[serde(default)]
    walk_in: String,
    #[serde(default)]
    counted_band: String,
    #[serde(default)]
    counted_number: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

async fn page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    session: Uuid,
    f: &RegisterForm,
    done: bool,
    errors: &FieldErrors,
) -> Result<Response, WebError> {
    let view = state.hearth.session_register(actor, session).await?;
    let mut walk_ins = vec![(String::new(), "Nobody else".to_string())];
    walk_ins.extend(
        view.walk_in_choices
            .iter()
            .map(|(id, name)| (id.to_string(), name.clone())),
    );
    let mut bands = vec![(String::new(), "Select an age band".to_string())];
    bands.extend(
        AgeBand::ALL
            .iter()
            .filter(|b| **b != AgeBand::Expected)
            .map(|b| (b.code().to_string(), b.label().to_string())),
    );
    let page = RegisterPage {
        shell: Shell::new(
            state,
            visitor,
            &format!("Register: {}", view.programme.name),
        )
        .at("/hubs")
        .with_errors(!errors.is_empty()),
        banner: done.then(|| fields::success("Register saved.")),
        error_summary: fields::error_summary(errors),
        submission: Uuid::now_v7().to_string(),
        walk_in: Select {
            hint: Some(Hint::text(
                "Someone not registered yet: register their family first, or count them below",
            )),
            ..fields::select(
                "walk_in",
                "A registered family member who walked in",
                walk_ins,
                &f.walk_in,
                errors,
            )
        },
        counted_band: fields::select(
            "counted_band",
            "Age band of those counted",
            bands,
            &f.counted_band,
            errors,
        ),
        counted_number: fields::text(
            "counted_number",
            "How many walk-ins to count only (not registered)",
            &f.counted_number,
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
    Path(session): Path<String>,
    Query(q): Query<Done>,
) -> Result<Response, WebError> {
    page(
        &state,
        &visitor,
        &actor,
        id(&session)?,
        &RegisterForm::default(),
        q.done == "saved",
        &FieldErrors::new(),
    )
    .await
}

/// The marks a submitted register form makes: each listed person present or not, a
/// registered walk-in, and walk-ins counted only, all keyed by the page's submission id.
fn marks(f: &RegisterForm, errors: &mut FieldErrors) -> Vec<MarkInput> {
    let submission = f.submission.trim();
    let mut out: Vec<MarkInput> = f
        .listed
        .iter()
        .map(|m| {
            let present = f.present.contains(m);
            MarkInput {
                mark_id: format!("{submission}:{m}:{present}"),
                member: Some(m.clone()),
                present: Some(present),
                counted: None,
            }
        })
        .collect();
    if !f.walk_in.trim().is_empty() {
        out.push(MarkInput {
            mark_id: format!("{submission}:walk-in:{}", f.walk_in.trim()),
            member: Some(f.walk_in.trim().to_string()),
            present: Some(true),
            counted: None,
        });
    }
    let counted = match f.counted_number.trim() {
        "" => 0,
        n => match n.parse::<u32>() {
            Ok(n) if n <= MOST_COUNTED => n,
            _ => {
                errors.add(
                    "counted_number",
                    format!("Enter how many walk-ins to count, from 0 to {MOST_COUNTED}"),
                );
                0
            }
        },
    };
    if counted > 0 && AgeBand::from_code(&f.counted_band).is_none() {
        errors.add(
            "counted_band",
            "Select the age band of the walk-ins you count",
        );
    }
    for k in 0..counted {
        out.push(MarkInput {
            mark_id: format!("{submission}:counted:{k}"),
            member: None,
            present: None,
            counted: Some(f.counted_band.clone()),
        });
    }
    out
}

pub async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(session): Path<String>,
    Form(f): Form<RegisterForm>,
) -> Result<Response, WebError> {
    let session = id(&session)?;
    let mut errors = FieldErrors::new();
    let marks = marks(&f, &mut errors);
    if f.submission.trim().is_empty() {
        return Err(WebError::NotFound);
    }
    if !errors.is_empty() {
        return page(&state, &visitor, &actor, session, &f, false, &errors).await;
    }
    match state.hearth.mark_register(&actor, session, &marks).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/hubs/sessions/{session}/register?done=saved")).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            page(&state, &visitor, &actor, session, &f, false, &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// One mark sent by the register's script.
#[derive(Debug, Default, Deserialize)]
pub struct MarkForm {
    #[serde(default)]
    mark_id: String,
    #[serde(default)]
    member: String,
    #[serde(default)]
    present: String,
}

/// Keeps one mark sent by the register's script: 204 whether it changed the register or was
/// already kept (a resend), so the device can forget it.
pub async fn mark(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(session): Path<String>,
    Form(f): Form<MarkForm>,
) -> Result<Response, WebError> {
    let mark = MarkInput {
        mark_id: f.mark_id,
        member: Some(f.member),
        present: Some(f.present == "true"),
        counted: None,
    };
    match state
        .hearth
        .mark_register(&actor, id(&session)?, &[mark])
        .await
    {
        Ok(_) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(AppError::Invalid(_)) => Err(WebError::BadRequest(
            "This session was cancelled: its register cannot be marked.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}
