//! The partnership's wording of its letters to families (ADR 0043): each letter in each of
//! the six languages, with the placeholders it may use; saved only when every placeholder is
//! known, and never over someone else's newer save.

use super::{Done, Refusal};
use crate::components::{ErrorSummary, NotificationBanner, Textarea};
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::render;
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hearth_app::letters::TemplateView;
use hearth_app::Actor;
use hearth_domain::input::FieldErrors;
use hearth_domain::letter::LetterKind;
use hearth_domain::message::Language;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/letters.html")]
struct ListPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    letters: Vec<LetterKind>,
    languages: Vec<Language>,
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Query(done): Query<Done>,
) -> Result<Response, WebError> {
    // Reading one wording checks the administrator's capability (and records a refusal).
    state
        .hearth
        .letter_template(&actor, LetterKind::FamilyPlan, Language::En)
        .await?;
    Ok(render(
        StatusCode::OK,
        &ListPage {
            shell: Shell::new(&state, &visitor, "Letters").at("/admin/letters"),
            banner: done.banner("Letter"),
            letters: LetterKind::ALL.to_vec(),
            languages: Language::ALL.to_vec(),
        },
    ))
}

#[derive(Template)]
#[template(path = "admin/letter_form.html")]
struct FormPage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    kind: LetterKind,
    language: Language,
    action: String,
    version: i64,
    body: Textarea,
    /// The wording saved by someone else since this copy was opened.
    theirs: Option<String>,
}

fn which(kind: &str, language: &str) -> Result<(LetterKind, Language), WebError> {
    Ok((
        LetterKind::from_code(kind).ok_or(WebError::NotFound)?,
        Language::from_code(language).ok_or(WebError::NotFound)?,
    ))
}

fn form_page(
    state: &AppState,
    visitor: &Visitor,
    view: &TemplateView,
    typed: &str,
    errors: &FieldErrors,
    theirs: Option<String>,
) -> FormPage {
    let mut body = fields::textarea("body", "Wording", typed, errors);
    body.rows = Some(18);
    body.attributes.insert("dir", view.language.dir());
    body.attributes.insert("lang", view.language.code());
    FormPage {
        shell: Shell::new(
            state,
            visitor,
            &format!("{} in {}", view.kind.label(), view.language.english_name()),
        )
        .at("/admin/letters")
        .with_errors(!errors.is_empty()),
        error_summary: fields::error_summary(errors),
        kind: view.kind,
        language: view.language,
        action: format!(
            "/admin/letters/{}/{}",
            view.kind.code(),
            view.language.code()
        ),
        version: view.version,
        body,
        theirs,
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((kind, language)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (kind, language) = which(&kind, &language)?;
    let view = state.hearth.letter_template(&actor, kind, language).await?;
    let page = form_page(
        &state,
        &visitor,
        &view,
        &view.body,
        &FieldErrors::new(),
        None,
    );
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct LetterForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    version: i64,
}

async fn save(
    state: &AppState,
    actor: &Actor,
    (kind, language): (LetterKind, Language),
    f: &LetterForm,
) -> Result<Option<Refusal>, WebError> {
    Refusal::of(
        state
            .hearth
            .save_letter_template(actor, kind, language, &f.body, f.version)
            .await,
    )
}

pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path((kind, language)): Path<(String, String)>,
    Form(f): Form<LetterForm>,
) -> Result<Response, WebError> {
    let which = which(&kind, &language)?;
    let Some(refusal) = save(&state, &actor, which, &f).await? else {
        return Ok(Redirect::to("/admin/letters?done=saved").into_response());
    };
    let now = state
        .hearth
        .letter_template(&actor, which.0, which.1)
        .await?;
    let theirs = refusal.is_conflict().then(|| now.body.clone());
    // A form that failed its checks keeps the version it started from; after a conflict, the
    // next save is from the version now shown beside it.
    let view = TemplateView {
        version: if refusal.is_conflict() {
            now.version
        } else {
            f.version
        },
        ..now
    };
    let page = form_page(&state, &visitor, &view, &f.body, &refusal.errors(), theirs);
    Ok(render(refusal.status(), &page))
}
