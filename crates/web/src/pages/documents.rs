//! Documents on a person's or an episode's record, and letters made from an episode (ADR
//! 0043). One page lists a record's documents with the form to add one (a multipart form, its
//! CSRF token checked by the session layer like any other); a document downloads only through
//! the gate. Works without JavaScript.

use crate::components::{ErrorSummary, Input, NotificationBanner, Radios, Select};
use crate::dates::UkMoment;
use crate::error::WebError;
use crate::fields;
use crate::form::Form;
use crate::pages::{render, status_for};
use crate::session::{SignedIn, Visitor};
use crate::shell::Shell;
use crate::AppState;
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use hearth_app::documents::{Attach, Document, DocumentList, Upload};
use hearth_app::letters::LetterForm;
use hearth_app::{Actor, AppError};
use hearth_domain::document::{self, DocumentKind};
use hearth_domain::ids::DocumentId;
use hearth_domain::input::FieldErrors;
use hearth_domain::letter::LetterKind;
use hearth_domain::message::Language;
use serde::Deserialize;

pub fn routes(state: &AppState) -> Router<AppState> {
    // The session layer has already read the body within the largest document accepted.
    let limit = DefaultBodyLimit::max(
        state.hearth.policies().documents.limits.max_bytes + crate::session::FORM_LIMIT,
    );
    Router::new()
        .route(
            "/episodes/{id}/documents",
            get(episode_list).post(episode_upload).layer(limit),
        )
        .route(
            "/people/{id}/documents",
            get(person_list).post(person_upload).layer(limit),
        )
        .route("/documents/{id}", get(download))
        .route("/episodes/{id}/letters", post(letter))
}

#[derive(Template)]
#[template(path = "documents/list.html")]
struct ListPage {
    shell: Shell,
    banner: Option<NotificationBanner>,
    error_summary: Option<ErrorSummary>,
    back: String,
    back_text: &'static str,
    action: String,
    names: Vec<String>,
    may_add: bool,
    documents: Vec<Document>,
    kind: Radios,
    title: Input,
    file_error: Option<String>,
    accepted: String,
    /// The episode, for its letters; none on a person's record.
    letters: Option<Letters>,
}

struct Letters {
    action: String,
    kind: Radios,
    language: Select,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    done: Option<String>,
}

impl ListPage {
    /// A document's size as people read it.
    fn size(&self, d: &Document) -> String {
        document::size(usize::try_from(d.size_bytes).unwrap_or(0))
    }
}

async fn page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    on: Attach,
    typed: &Upload,
    errors: FieldErrors,
    banner: Option<NotificationBanner>,
) -> Result<ListPage, WebError> {
    let DocumentList {
        names,
        may_add,
        documents,
    } = state.hearth.documents(actor, on, None).await?;
    let (back, back_text, action) = match on {
        Attach::Person(p) => (
            format!("/people/{p}"),
            "Back to the record",
            format!("/people/{p}/documents"),
        ),
        Attach::Episode(e) => (
            format!("/episodes/{e}"),
            "Back to the episode",
            format!("/episodes/{e}/documents"),
        ),
    };
    let limits = &state.hearth.policies().documents.limits;
    let accepted = format!(
        "{}, smaller than {}",
        limits
            .types
            .iter()
            .map(|t| t.label())
            .collect::<Vec<_>>()
            .join(", "),
        document::size(limits.max_bytes)
    );
    let letters = match on {
        Attach::Episode(e) if may_add => Some(Letters {
            action: format!("/episodes/{e}/letters"),
            kind: fields::radios(
                "letter",
                "Which letter?",
                LetterKind::ALL
                    .iter()
                    .map(|k| (k.code().to_string(), k.label().to_string(), None))
                    .collect(),
                LetterKind::FamilyPlan.code(),
                &errors,
            ),
            language: fields::select(
                "language",
                "In which language?",
                std::iter::once((String::new(), "The family's first language".to_string()))
                    .chain(
                        Language::ALL
                            .iter()
                            .map(|l| (l.code().to_string(), l.english_name().to_string())),
                    )
                    .collect(),
                "",
                &errors,
            ),
        }),
        _ => None,
    };
    Ok(ListPage {
        shell: Shell::new(state, visitor, "Documents")
            .at("/")
            .with_errors(!errors.is_empty()),
        banner,
        error_summary: fields::error_summary(&errors),
        back,
        back_text,
        action,
        names,
        may_add,
        documents,
        kind: fields::radios(
            "kind",
            "What is it?",
            DocumentKind::UPLOADED
                .iter()
                .map(|k| (k.code().to_string(), k.label().to_string(), None))
                .collect(),
            &typed.kind,
            &errors,
        ),
        title: fields::with_hint(
            fields::text("title", "Title", &typed.title, &errors),
            "For example, Consent to share information signed by Amal",
        ),
        file_error: errors.get("file").map(str::to_string),
        accepted,
        letters,
    })
}

async fn list(
    state: AppState,
    visitor: Visitor,
    actor: Actor,
    on: Attach,
    q: ListQuery,
) -> Result<Response, WebError> {
    let banner = match q.done.as_deref() {
        Some("uploaded") => Some(fields::success(
            "The document has been checked for viruses and saved.",
        )),
        _ => None,
    };
    let p = page(
        &state,
        &visitor,
        &actor,
        on,
        &Upload::default(),
        FieldErrors::new(),
        banner,
    )
    .await?;
    Ok(render(StatusCode::OK, &p))
}

pub async fn episode_list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let on = Attach::Episode(id.parse().map_err(|_| WebError::NotFound)?);
    list(state, visitor, actor, on, q).await
}

pub async fn person_list(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let on = Attach::Person(id.parse().map_err(|_| WebError::NotFound)?);
    list(state, visitor, actor, on, q).await
}

/// The upload form's fields: what it is, its title and the file.
async fn read_upload(mut form: Multipart) -> Result<Upload, WebError> {
    let unreadable = |_| {
        WebError::BadRequest(
            "The upload could not be read. Go back, choose the file again and try again.".into(),
        )
    };
    let mut upload = Upload::default();
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("kind") => upload.kind = field.text().await.map_err(unreadable)?,
            Some("title") => upload.title = field.text().await.map_err(unreadable)?,
            Some("file") => {
                upload.file_name = field.file_name().unwrap_or_default().to_string();
                upload.bytes = field.bytes().await.map_err(unreadable)?.to_vec();
            }
            _ => {}
        }
    }
    Ok(upload)
}

async fn upload(
    state: AppState,
    visitor: Visitor,
    actor: Actor,
    on: Attach,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    // A form that is not multipart carries no file: the gate still decides first, and the
    // answer then asks for the file.
    let typed = match form {
        Ok(form) => read_upload(form).await?,
        Err(_) => Upload::default(),
    };
    match state.hearth.upload_document(&actor, on, &typed).await {
        Ok(_) => {
            let to = match on {
                Attach::Person(p) => format!("/people/{p}/documents?done=uploaded"),
                Attach::Episode(e) => format!("/episodes/{e}/documents?done=uploaded"),
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            // What was typed comes back; the file itself must be chosen again (a browser
            // never fills a file field in for a page).
            let p = page(&state, &visitor, &actor, on, &typed, errors, None).await?;
            Ok(render(status_for(true), &p))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn episode_upload(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let on = Attach::Episode(id.parse().map_err(|_| WebError::NotFound)?);
    upload(state, visitor, actor, on, form).await
}

pub async fn person_upload(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let on = Attach::Person(id.parse().map_err(|_| WebError::NotFound)?);
    upload(state, visitor, actor, on, form).await
}

/// A document, as a file the browser saves: its type from its content, its kept name.
pub async fn download(
    State(state): State<AppState>,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: DocumentId = id.parse().map_err(|_| WebError::NotFound)?;
    let (d, bytes) = state.hearth.document(&actor, id, None).await?;
    Ok((
        [
            (header::CONTENT_TYPE, d.file_type.media_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", ascii_name(&d.file_name)),
            ),
            // Never shown inline or guessed at: it is saved as the type its content is.
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// The name in a header: ASCII only (a name in another script becomes `_`s, keeping its
/// ending), since a header value cannot carry it.
fn ascii_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Makes a letter, keeps it on the episode, and sends the browser to download it; a choice
/// that is not on the list comes back on the documents page saying what to fix.
pub async fn letter(
    State(state): State<AppState>,
    visitor: Visitor,
    SignedIn(actor): SignedIn,
    Path(id): Path<String>,
    Form(f): Form<LetterChoice>,
) -> Result<Response, WebError> {
    let episode = id.parse().map_err(|_| WebError::NotFound)?;
    let form = LetterForm {
        letter: f.letter,
        language: f.language,
    };
    match state.hearth.produce_letter(&actor, episode, &form).await {
        Ok(made) => Ok(Redirect::to(&format!("/documents/{}", made.document)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let on = Attach::Episode(episode);
            let p = page(
                &state,
                &visitor,
                &actor,
                on,
                &Upload::default(),
                errors,
                None,
            )
            .await?;
            Ok(render(status_for(true), &p))
        }
        Err(e) => Err(e.into()),
    }
}

/// The letter form as sent.
#[derive(Deserialize)]
pub struct LetterChoice {
    #[serde(default)]
    letter: String,
    #[serde(default)]
    language: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_are_ascii() {
        assert_eq!(ascii_name("consent form.pdf"), "consent form.pdf");
        assert_eq!(ascii_name("موافقة.pdf"), "______.pdf");
    }
}
