//! Case notes: the episode's notes a page at a time, the page to add one, and one note's own
//! page (to read its history and correct it).

use super::{answer, episode_id, section, SectionQuery};
use crate::components::{ErrorSummary, Input, NotificationBanner, Radios, Textarea};
use crate::dates::{UkDate, UkMoment};
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
use hearth_app::accounts::drafts::KeptForm;
use hearth_app::episodes::case_notes::{NoteEdit, NoteForm};
use hearth_app::episodes::EpisodeView;
use hearth_app::records::{Note, Revision};
use hearth_app::{Actor, AppError};
use hearth_domain::episode::NoteKind;
use hearth_domain::ids::{EpisodeId, NoteId};
use hearth_domain::input::FieldErrors;

#[derive(Template)]
#[template(path = "episodes/notes.html")]
struct NotesPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    episode: EpisodeId,
    section: &'static str,
    view: EpisodeView,
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<SectionQuery>,
) -> Result<Response, WebError> {
    let view = state
        .hearth
        .episode_section(&actor, episode_id(&id)?, |_| true, q.page.unwrap_or(1))
        .await?;
    Ok(render(
        StatusCode::OK,
        &NotesPage {
            shell: Shell::new(&state, &visitor, "Case notes").at("/"),
            banner: q.banner(),
            error_summary: None,
            episode: view.episode.id,
            section: section::NOTES,
            view,
        },
    ))
}

/// The kind of contact, as radios (the new note's page and a note's own page ask the same).
fn kind_radios(value: &str, errors: &FieldErrors) -> Radios {
    fields::radios(
        "kind",
        "What kind of contact was it?",
        NoteKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), k.label().to_string(), None))
            .collect(),
        value,
        errors,
    )
}

#[derive(Template)]
#[template(path = "episodes/note_new.html")]
struct NewNotePage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    back: String,
    view: EpisodeView,
    kind: Radios,
    occurred_on: Input,
    participants: Input,
    seen: bool,
    seen_alone: bool,
    body: Textarea,
    restricted: bool,
}

async fn new_note_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    id: EpisodeId,
    n: &NoteForm,
    errors: FieldErrors,
) -> Result<NewNotePage, WebError> {
    let errors = &errors;
    let view = state
        .hearth
        .episode_section(actor, id, |m| m.contribute, 1)
        .await?;
    let today = view.today.format("%d/%m/%Y").to_string();
    Ok(NewNotePage {
        shell: Shell::new(state, visitor, "Add a case note")
            .at("/")
            .with_errors(!errors.is_empty()),
        banner: None,
        error_summary: fields::error_summary(errors),
        back: format!("/episodes/{id}/notes"),
        kind: kind_radios(&n.kind, errors),
        occurred_on: fields::with_hint(
            fields::text(
                "occurred_on",
                "When did it happen?",
                if n.occurred_on.is_empty() {
                    &today
                } else {
                    &n.occurred_on
                },
                errors,
            ),
            "For example, 27/03/2026",
        ),
        participants: fields::text(
            "participants",
            "Who took part (optional)",
            &n.participants,
            errors,
        ),
        seen: n.child_seen == "yes",
        seen_alone: n.child_seen_alone == "yes",
        body: fields::textarea("body", "What happened", &n.body, errors),
        restricted: n.visibility == "owning_team",
        view,
    })
}

pub async fn add_form(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let page = new_note_page(
        &state,
        &visitor,
        &actor,
        id,
        &NoteForm::default(),
        FieldErrors::new(),
    )
    .await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn add(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<NoteForm>,
) -> Result<Response, WebError> {
    let id = episode_id(&id)?;
    let result = state.hearth.add_note(&actor, id, &f).await.map(|_| ());
    answer(result, &format!("/episodes/{id}/notes"), "note", |errors| {
        new_note_page(&state, &visitor, &actor, id, &f, errors)
    })
    .await
}

/// A case note kept when its session ended, back in the new note's page to check and add;
/// `None` when the kept form was not a new note.
pub async fn kept_note(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    kept: &KeptForm,
) -> Result<Option<Response>, WebError> {
    let Some(id) = kept
        .path
        .strip_prefix("/episodes/")
        .and_then(|rest| rest.strip_suffix("/notes"))
        .and_then(|id| id.parse::<EpisodeId>().ok())
    else {
        return Ok(None);
    };
    let Ok(note) = serde_html_form::from_str::<NoteForm>(&kept.fields) else {
        return Ok(None);
    };
    let mut page = new_note_page(state, visitor, actor, id, &note, FieldErrors::new()).await?;
    page.banner = Some(fields::important(
        "You were signed out before your note was added. It was kept and is in the form below: check it, then add it.",
    ));
    Ok(Some(render(StatusCode::OK, &page)))
}

#[derive(Template)]
#[template(path = "episodes/note.html")]
struct NotePage {
    shell: Shell,
    error_summary: Option<ErrorSummary>,
    note: Note,
    revisions: Vec<Revision>,
    may_edit: bool,
    /// Set when an edit was refused because someone else saved first.
    conflict: Option<String>,
    version: i64,
    kind: Radios,
    occurred_on: Input,
    participants: Input,
    seen: bool,
    seen_alone: bool,
    body: Textarea,
}

fn note_page(
    state: &AppState,
    visitor: &Visitor,
    (note, revisions, may_edit): (Note, Vec<Revision>, bool),
    f: &NoteForm,
    errors: &FieldErrors,
    conflict: Option<String>,
) -> NotePage {
    NotePage {
        shell: Shell::new(state, visitor, "Case note")
            .at("/")
            .with_errors(!errors.is_empty() || conflict.is_some()),
        error_summary: fields::error_summary(errors),
        version: note.version,
        kind: kind_radios(&f.kind, errors),
        occurred_on: fields::text("occurred_on", "When did it happen?", &f.occurred_on, errors),
        participants: fields::text(
            "participants",
            "Who took part (optional)",
            &f.participants,
            errors,
        ),
        seen: f.child_seen == "yes",
        seen_alone: f.child_seen_alone == "yes",
        body: fields::textarea("body", "What happened", &f.body, errors),
        note,
        revisions,
        may_edit,
        conflict,
    }
}

fn note_id(id: &str) -> Result<NoteId, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let loaded = state.hearth.note(&actor, note_id(&id)?).await?;
    let form = NoteForm::from_note(&loaded.0);
    Ok(render(
        StatusCode::OK,
        &note_page(&state, &visitor, loaded, &form, &FieldErrors::new(), None),
    ))
}

pub async fn edit(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<NoteForm>,
) -> Result<Response, WebError> {
    let id = note_id(&id)?;
    match state.hearth.edit_note(&actor, id, &f).await {
        Ok(NoteEdit::Saved) => {
            let (note, _, _) = state.hearth.note(&actor, id).await?;
            Ok(Redirect::to(&format!(
                "/episodes/{}/notes?done=note_saved",
                note.episode_id
            ))
            .into_response())
        }
        Ok(NoteEdit::Conflict(c)) => {
            let loaded = state.hearth.note(&actor, id).await?;
            let message = format!(
                "{} saved this note on {} after you opened it, so your changes were not saved. The saved text is shown above; your text is in the form below — copy what you need and save again.",
                c.saved.author_name,
                crate::dates::moment(c.saved.updated_at)
            );
            Ok(render(
                StatusCode::CONFLICT,
                &note_page(
                    &state,
                    &visitor,
                    loaded,
                    &c.yours,
                    &FieldErrors::new(),
                    Some(message),
                ),
            ))
        }
        Err(AppError::Invalid(errors)) => {
            let loaded = state.hearth.note(&actor, id).await?;
            Ok(render(
                status_for(true),
                &note_page(&state, &visitor, loaded, &f, &errors, None),
            ))
        }
        Err(e) => Err(e.into()),
    }
}
