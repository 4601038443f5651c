//! Documents on a person's or an episode's record (ADR 0043): uploaded through the gate with
//! the same access as the record, scanned for viruses before anything is kept, checked for size
//! and type by content, shown in the chronology, and read back only through the gate. Every
//! upload, download and refusal is audited.

mod moving;
mod scanner;

pub use moving::MoveReport;
pub use scanner::{Scan, ScannerSettings};

use crate::accounts::auth::event;
use crate::episodes::record::record_step;
use crate::{Actor, AppError, Hearth};
use hearth_domain::access::RecordAction;
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::chronology::EntryKind;
use hearth_domain::document::{self, DocumentKind, FileProblem, FileType, UploadLimits};
use hearth_domain::episode::NoteVisibility;
use hearth_domain::ids::{DocumentId, EpisodeId, PersonId};
use hearth_domain::input::{self, FieldErrors};
use hearth_store::documents::{self, storage, Holder, Keeping, NewDocument};
pub use hearth_store::documents::{Document, DocumentStore, ObjectStoreSettings, Objects};
use hearth_store::family::chronology::NewEntry;
use hearth_store::family::people;
use hearth_store::gate::{OpenedEpisode, OpenedPerson};
use hearth_store::StoreError;
use sha2::{Digest, Sha256};

/// The partnership's rules for documents.
#[derive(Debug, Clone, Default)]
pub struct DocumentPolicy {
    pub limits: UploadLimits,
    /// clamd; unset, every upload is refused (nothing unscanned is kept).
    pub scanner: Option<ScannerSettings>,
    /// Where new documents' bytes go: the database, or an S3-compatible object store
    /// (ADR 0052).
    pub store: DocumentStore,
}

/// How long an object put in the store may wait for its row's transaction before the sweep
/// takes it for an orphan and deletes it: far longer than any transaction takes.
const STAGED_GRACE: chrono::Duration = chrono::Duration::hours(1);

/// What a person is told when the object store could not keep their file.
const STORE_DOWN: &str = "The file could not be saved because the document store could not be reached. Nothing has been saved: try again in a few minutes; if it keeps happening, tell your administrator";

/// The record a document goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attach {
    Person(PersonId),
    Episode(EpisodeId),
}

/// The documents on one record.
#[derive(Debug, Clone)]
pub struct DocumentList {
    /// Whose record: the person, or the episode's family.
    pub names: Vec<String>,
    /// This user may add documents to it.
    pub may_add: bool,
    pub documents: Vec<Document>,
}

/// A file as sent, with what the person said it is.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    pub kind: String,
    pub title: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The record, opened by the gate for a use case on its documents.
pub(crate) enum Opened {
    Person(Box<OpenedPerson>),
    Episode(Box<OpenedEpisode>),
}

impl Opened {
    fn holder(&self) -> Holder<'_> {
        match self {
            Opened::Person(p) => Holder::Person(p),
            Opened::Episode(e) => Holder::Episode(e),
        }
    }
}

/// A document to keep, and how its keeping is audited.
pub(crate) struct Kept<'a> {
    pub action: AuditAction,
    pub kind: DocumentKind,
    pub title: &'a str,
    pub file_name: &'a str,
    pub file_type: FileType,
    pub bytes: &'a [u8],
}

/// The longest title kept.
const TITLE_MAX: usize = 200;

impl Hearth {
    async fn open_for_documents(
        &self,
        actor: &Actor,
        to: Attach,
        write: bool,
        reason: Option<&str>,
    ) -> Result<Opened, AppError> {
        Ok(match to {
            Attach::Person(id) => {
                let action = if write {
                    RecordAction::Contribute
                } else {
                    RecordAction::View
                };
                Opened::Person(Box::new(
                    self.gate
                        .open_person(&self.viewer(actor), id, action, reason)
                        .await?,
                ))
            }
            Attach::Episode(id) => Opened::Episode(Box::new(
                self.episode_for(actor, id, |m| !write || m.contribute)
                    .await?,
            )),
        })
    }

    /// The documents on a record, newest first, with whose record it is and whether this
    /// user may add one, for whoever may open the record (the list is audited as a view of it).
    pub async fn documents(
        &self,
        actor: &Actor,
        on: Attach,
        reason: Option<&str>,
    ) -> Result<DocumentList, AppError> {
        let opened = self.open_for_documents(actor, on, false, reason).await?;
        let mut conn = self.store.read().await?;
        let documents = documents::on(&mut conn, opened.holder()).await?;
        let (names, may_add) = match &opened {
            Opened::Person(p) => (
                vec![format!(
                    "{} {}",
                    p.person().given_names,
                    p.person().family_name
                )],
                p.may_contribute(),
            ),
            Opened::Episode(e) => (
                people::summaries(&mut conn, &e.episode().people)
                    .await?
                    .iter()
                    .map(|p| format!("{} {}", p.given_names, p.family_name))
                    .collect(),
                e.may().contribute,
            ),
        };
        drop(conn);
        let action = match on {
            Attach::Person(_) => AuditAction::PersonViewed,
            Attach::Episode(_) => AuditAction::EpisodeViewed,
        };
        let mut e = self.document_event(actor, action, on);
        e.detail = Some(r#"{"documents":"listed"}"#.into());
        self.append_event(&e).await?;
        Ok(DocumentList {
            names,
            may_add,
            documents,
        })
    }

    /// Keeps an uploaded file on the record, or refuses it with what to fix (audited): too
    /// large or empty, infected, not scanned because the scanner is down (fail closed), or not
    /// a type accepted. Nothing is kept unless every check passed.
    pub async fn upload_document(
        &self,
        actor: &Actor,
        to: Attach,
        upload: &Upload,
    ) -> Result<DocumentId, AppError> {
        let opened = self.open_for_documents(actor, to, true, None).await?;
        let mut e = FieldErrors::new();
        let kind =
            DocumentKind::from_code(&upload.kind).filter(|k| DocumentKind::UPLOADED.contains(k));
        if kind.is_none() {
            e.add(
                "kind",
                "Choose what the document is: signed consent, report, photo or other",
            );
        }
        let title = input::required_text(
            &mut e,
            "title",
            "a title for the document",
            &upload.title,
            TITLE_MAX,
        );
        let limits = &self.policies.documents.limits;
        let checked = document::check(&upload.file_name, &upload.bytes, limits);
        if upload.file_name.is_empty() && upload.bytes.is_empty() {
            e.add("file", "Choose a file to upload");
            return Err(AppError::Invalid(e));
        }
        if let Err(p @ (FileProblem::Empty | FileProblem::TooLarge { .. })) = &checked {
            return Err(self.refuse_upload(actor, to, upload, e, p.message()).await);
        }
        // Every file is scanned before anything else is believed about its content.
        match scanner::scan(self.policies.documents.scanner.as_ref(), &upload.bytes).await {
            Scan::Clean => {}
            Scan::Infected(signature) => {
                let message = format!(
                    "The selected file contains a virus ({signature}). It has not been saved: delete it and ask whoever sent it for a clean copy"
                );
                return Err(self.refuse_upload(actor, to, upload, e, message).await);
            }
            Scan::Unavailable(why) => {
                tracing::warn!(why = %why, "virus scanner unavailable: upload refused");
                let message = "The file could not be checked for viruses, so it has not been saved. Try again in a few minutes; if it keeps happening, tell your administrator".to_string();
                return Err(self.refuse_upload(actor, to, upload, e, message).await);
            }
        }
        let file_type = match checked {
            Ok(t) => t,
            Err(p) => return Err(self.refuse_upload(actor, to, upload, e, p.message()).await),
        };
        let (Some(kind), true) = (kind, e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let file_name = document::safe_name(&upload.file_name);
        let kept = self
            .keep_document(
                actor,
                &opened,
                to,
                Kept {
                    action: AuditAction::DocumentUploaded,
                    kind,
                    title: &title,
                    file_name: &file_name,
                    file_type,
                    bytes: &upload.bytes,
                },
            )
            .await;
        match kept {
            Err(AppError::Store(StoreError::ObjectStore(why))) => {
                tracing::warn!(why = %why, "document store unavailable: upload not saved");
                Err(self
                    .refuse_upload(actor, to, upload, e, STORE_DOWN.to_string())
                    .await)
            }
            other => other,
        }
    }

    /// Writes the document, its chronology entry and its audit event in one transaction; with
    /// an object store, puts the object first (so no row is ever without its object) and
    /// deletes it again if the transaction fails. A store that cannot be reached is
    /// `StoreError::ObjectStore`, and nothing is saved.
    pub(crate) async fn keep_document(
        &self,
        actor: &Actor,
        opened: &Opened,
        to: Attach,
        k: Kept<'_>,
    ) -> Result<DocumentId, AppError> {
        let id = DocumentId::new();
        let now = self.now();
        let holder = opened.holder();
        let objects = self.policies.documents.store.objects();
        let staged = match objects {
            Some(o) => {
                Some(storage::stage(&self.store, o, holder, id, k.bytes, now + STAGED_GRACE).await?)
            }
            None => None,
        };
        let keeping = match &staged {
            Some(s) => Keeping::Staged(s),
            None => Keeping::InDatabase,
        };
        let written = self
            .write_document(actor, holder, to, keeping, id, &k)
            .await;
        if let (Err(_), Some(o), Some(s)) = (&written, objects, staged) {
            // The row was not written: its object goes now, or else with the sweep.
            if let Err(e) = storage::unstage(o, s).await {
                tracing::warn!(error = %e, "a staged document left for the sweep");
            }
        }
        written.map(|()| id)
    }

    /// The document's row, its chronology entry and its audit event, in one transaction.
    async fn write_document(
        &self,
        actor: &Actor,
        holder: Holder<'_>,
        to: Attach,
        keeping: Keeping<'_>,
        id: DocumentId,
        k: &Kept<'_>,
    ) -> Result<(), AppError> {
        let &Kept {
            action,
            kind,
            title,
            file_name,
            file_type,
            bytes,
        } = k;
        let now = self.now();
        let sha = hex::encode(Sha256::digest(bytes));
        let mut tx = self.store.write().await?;
        documents::insert(
            &mut tx,
            holder,
            keeping,
            &NewDocument {
                id,
                kind,
                title,
                file_name,
                file_type,
                content: bytes,
                sha256: &sha,
                by: actor.user_id,
                at: now,
            },
        )
        .await?;
        let people = holder.people();
        let entry = NewEntry {
            at: now,
            occurred_on: now.date_naive(),
            kind: EntryKind::Document,
            episode: match to {
                Attach::Episode(e) => Some(e),
                Attach::Person(_) => None,
            },
            organisation: None,
            actor: Some(actor.user_id),
            summary: format!(
                "{} added: {title} ({}, {})",
                kind.label(),
                file_type.label(),
                document::size(bytes.len())
            ),
            record_type: Some("document"),
            record_id: Some(id.to_string()),
            visibility: NoteVisibility::Taf,
            people: &people,
        };
        let mut a = self.document_event(actor, action, to);
        a.record_type = Some("document");
        a.record_id = Some(id.to_string());
        a.detail = Some(
            serde_json::json!({
                "on": attach_detail(to),
                "kind": kind.code(),
                "type": file_type.code(),
                "bytes": bytes.len(),
                "sha256": sha,
                "stored": keeping_code(keeping),
            })
            .to_string(),
        );
        record_step(tx, &entry, &a).await
    }

    /// Records a refused upload (nothing of the file kept but its size and why) and returns
    /// the message at the file field, with any other problems of the form.
    async fn refuse_upload(
        &self,
        actor: &Actor,
        to: Attach,
        upload: &Upload,
        mut errors: FieldErrors,
        message: String,
    ) -> AppError {
        let mut a = self.document_event(actor, AuditAction::DocumentRefused, to);
        a.detail = Some(
            serde_json::json!({
                "on": attach_detail(to),
                "bytes": upload.bytes.len(),
                "why": message,
            })
            .to_string(),
        );
        if let Err(e) = self.append_event(&a).await {
            return e;
        }
        errors.add("file", message);
        AppError::Invalid(errors)
    }

    /// A document and its bytes, for whoever may open the record it is on; the bytes are
    /// checked against the hash kept when it was uploaded. Audited.
    pub async fn document(
        &self,
        actor: &Actor,
        id: DocumentId,
        reason: Option<&str>,
    ) -> Result<(Document, Vec<u8>), AppError> {
        let opened = self
            .gate
            .open_document(&self.viewer(actor), id, reason)
            .await?;
        let mut conn = self.store.read().await?;
        let bytes =
            documents::content(&mut conn, &opened, self.policies.documents.store.objects()).await?;
        drop(conn);
        let d = opened.document().clone();
        if hex::encode(Sha256::digest(&bytes)) != d.sha256 {
            return Err(AppError::Internal(format!(
                "document {id} does not match the hash kept when it was uploaded"
            )));
        }
        let to = match d.attached_to {
            documents::AttachedTo::Person(p) => Attach::Person(p),
            documents::AttachedTo::Episode(e) => Attach::Episode(e),
        };
        let mut a = self.document_event(actor, AuditAction::DocumentRead, to);
        a.record_type = Some("document");
        a.record_id = Some(id.to_string());
        self.append_event(&a).await?;
        Ok((d, bytes))
    }

    fn document_event(&self, actor: &Actor, action: AuditAction, on: Attach) -> NewAuditEvent {
        let mut a = event(Some(actor), &actor.email, action, &actor.origin, self.now());
        let (t, id) = match on {
            Attach::Person(p) => ("person", p.to_string()),
            Attach::Episode(e) => ("episode", e.to_string()),
        };
        a.record_type = Some(t);
        a.record_id = Some(id);
        a
    }
}

fn keeping_code(k: Keeping<'_>) -> &'static str {
    match k {
        Keeping::InDatabase => "database",
        Keeping::Staged(_) => "s3",
    }
}

fn attach_detail(to: Attach) -> String {
    match to {
        Attach::Person(p) => format!("person:{p}"),
        Attach::Episode(e) => format!("episode:{e}"),
    }
}
