//! Documents attached to a person or an episode (ADR 0043). What describes a document is a
//! row of `documents`; its bytes are kept apart, in the database's `document_contents` or in
//! an S3-compatible object store (ADR 0052; [`storage`]), so lists never read them. Every
//! function over a family's documents takes the gate's proof of the record they are attached
//! to, or of the document itself.

mod objects;
pub mod storage;

pub use objects::{ObjectKey, ObjectStoreSettings, Objects};
pub use storage::{DocumentStore, Keeping, Staged, Stored};

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
    /// Where its bytes are.
    pub stored: Stored,
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
    d.size_bytes, d.sha256, d.storage, d.object_key, d.uploaded_by, u.display_name, d.uploaded_at";

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
        stored: Stored::from_row(
            &r.try_get::<String, _>("storage")?,
            r.try_get("object_key")?,
        )?,
        uploaded_by: parse_id(&r.try_get::<String, _>("uploaded_by")?)?,
        uploaded_by_name: r.try_get("display_name")?,
        uploaded_at: parse_time(&r.try_get::<String, _>("uploaded_at")?)?,
    })
}

/// Keeps a document on the record the gate opened, in the caller's transaction: its bytes
/// beside it in the database, or already staged in the object store (whose reservation for
/// the sweep goes in the same transaction).
pub async fn insert(
    conn: &mut Conn,
    holder: Holder<'_>,
    keeping: Keeping<'_>,
    d: &NewDocument<'_>,
) -> Result<()> {
    let (person, episode) = match holder.attached_to() {
        AttachedTo::Person(p) => (Some(p.to_string()), None),
        AttachedTo::Episode(e) => (None, Some(e.to_string())),
    };
    let stored = match keeping {
        Keeping::InDatabase => Stored::Database,
        Keeping::Staged(s) => Stored::Object(s.key.clone()),
    };
    let key = match &stored {
        Stored::Object(k) => Some(k.as_str().to_string()),
        Stored::Database => None,
    };
    sqlx::query(
        "INSERT INTO documents (id, person_id, episode_id, kind, title, file_name, file_type,
            size_bytes, sha256, storage, object_key, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
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
    .bind(stored.code())
    .bind(key)
    .bind(d.by.to_string())
    .bind(to_text(d.at))
    .execute(&mut *conn)
    .await?;
    match keeping {
        Keeping::InDatabase => storage::put_in_database(conn, d.id, d.content).await,
        Keeping::Staged(s) => storage::unreserve(conn, &s.key).await,
    }
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

/// The bytes of a document the gate opened, from wherever its row says they are (a
/// partnership part-way through moving to an object store has some in each).
pub async fn content(
    conn: &mut Conn,
    opened: &OpenedDocument,
    objects: Option<&Objects>,
) -> Result<Vec<u8>> {
    let d = opened.document();
    match (&d.stored, objects) {
        (Stored::Database, _) => storage::get_from_database(conn, d.id).await,
        (Stored::Object(key), Some(objects)) => objects.get(key).await,
        (Stored::Object(key), None) => Err(StoreError::ObjectStore(format!(
            "document {} is in the object store ({key}) but document_store is not \"s3\"",
            d.id
        ))),
    }
}
