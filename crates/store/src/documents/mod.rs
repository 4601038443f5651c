//! Documents attached to a person or an episode (ADR 0043). What describes a document is a
//! row of `documents`; its bytes are kept by a [`Storage`] (the database's `document_contents`
//! today), so lists never read them. Every function over a family's documents takes the gate's
//! proof of the record they are attached to, or of the document itself.

mod storage;

pub use storage::{InDatabase, Storage};

use crate::decode::{code, parse_id, parse_time};
use crate::gate::{OpenedDocument, OpenedEpisode, OpenedPerson};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::document::{DocumentKind, FileType};
use hearth_domain::ids::{DocumentId, EpisodeId, PersonId, UserId};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

/// The record a document is attached to, as the gate opened it.
#[derive(Debug, Clone, Copy)]
pub enum Holder<'a> {
    Person(&'a OpenedPerson),
    Episode(&'a OpenedEpisode),
}

/// Where a document belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachedTo {
    Person(PersonId),
    Episode(EpisodeId),
}

impl Holder<'_> {
    pub fn attached_to(&self) -> AttachedTo {
        match self {
            Holder::Person(p) => AttachedTo::Person(p.id()),
            Holder::Episode(e) => AttachedTo::Episode(e.id()),
        }
    }

    /// The people whose chronology shows the document.
    pub fn people(&self) -> Vec<PersonId> {
        match self {
            Holder::Person(p) => vec![p.id()],
            Holder::Episode(e) => e.episode().people.clone(),
        }
    }
}

/// What describes a document (never its bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: DocumentId,
    pub attached_to: AttachedTo,
    pub kind: DocumentKind,
    pub title: String,
    pub file_name: String,
    pub file_type: FileType,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: UserId,
    pub uploaded_by_name: String,
    pub uploaded_at: DateTime<Utc>,
}

/// A document to keep.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub id: DocumentId,
    pub kind: DocumentKind,
    pub title: &'a str,
    pub file_name: &'a str,
    pub file_type: FileType,
    pub content: &'a [u8],
    pub sha256: &'a str,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

const COLUMNS: &str = "d.id, d.person_id, d.episode_id, d.kind, d.title, d.file_name, d.file_type,
    d.size_bytes, d.sha256, d.uploaded_by, u.display_name, d.uploaded_at";

fn from_row(r: &AnyRow) -> Result<Document> {
    let person: Option<String> = r.try_get("person_id")?;
    let episode: Option<String> = r.try_get("episode_id")?;
    let attached_to = match (person, episode) {
        (Some(p), None) => AttachedTo::Person(parse_id(&p)?),
        (None, Some(e)) => AttachedTo::Episode(parse_id(&e)?),
        _ => return Err(StoreError::Corrupt("a document on both or neither".into())),
    };
    Ok(Document {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        attached_to,
        kind: code(
            &r.try_get::<String, _>("kind")?,
            DocumentKind::from_code,
            "document kind",
        )?,
        title: r.try_get("title")?,
        file_name: r.try_get("file_name")?,
        file_type: code(
            &r.try_get::<String, _>("file_type")?,
            FileType::from_code,
            "file type",
        )?,
        size_bytes: r.try_get("size_bytes")?,
        sha256: r.try_get("sha256")?,
        uploaded_by: parse_id(&r.try_get::<String, _>("uploaded_by")?)?,
        uploaded_by_name: r.try_get("display_name")?,
        uploaded_at: parse_time(&r.try_get::<String, _>("uploaded_at")?)?,
    })
}

/// Keeps a document on the record the gate opened, its bytes in `storage`, in the caller's
/// transaction.
pub async fn insert(
    conn: &mut Conn,
    holder: Holder<'_>,
    storage: &impl Storage,
    d: &NewDocument<'_>,
) -> Result<()> {
    let (person, episode) = match holder.attached_to() {
        AttachedTo::Person(p) => (Some(p.to_string()), None),
        AttachedTo::Episode(e) => (None, Some(e.to_string())),
    };
    sqlx::query(
        "INSERT INTO documents (id, person_id, episode_id, kind, title, file_name, file_type,
            size_bytes, sha256, storage, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(d.id.to_string())
    .bind(person)
    .bind(episode)
    .bind(d.kind.code())
    .bind(d.title)
    .bind(d.file_name)
    .bind(d.file_type.code())
    .bind(d.content.len() as i64)
    .bind(d.sha256)
    .bind(storage.name())
    .bind(d.by.to_string())
    .bind(to_text(d.at))
    .execute(&mut *conn)
    .await?;
    storage.put(conn, d.id, d.content).await
}

/// The documents on a record the gate opened, newest first.
pub async fn on(conn: &mut Conn, holder: Holder<'_>) -> Result<Vec<Document>> {
    let (column, id) = match holder.attached_to() {
        AttachedTo::Person(p) => ("person_id", p.to_string()),
        AttachedTo::Episode(e) => ("episode_id", e.to_string()),
    };
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM documents d JOIN users u ON u.id = d.uploaded_by
         WHERE d.{column} = $1 ORDER BY d.uploaded_at DESC, d.id DESC"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// One document's description, for the gate to open the record it belongs to.
pub(crate) async fn get(conn: &mut Conn, id: DocumentId) -> Result<Document> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM documents d JOIN users u ON u.id = d.uploaded_by WHERE d.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    from_row(&row)
}

/// The bytes of a document the gate opened.
pub async fn content(
    conn: &mut Conn,
    opened: &OpenedDocument,
    storage: &impl Storage,
) -> Result<Vec<u8>> {
    storage.get(conn, opened.document().id).await
}
