//! Where a document's bytes are kept: in the database (the default), in the same transaction
//! as the row that describes them, so an upload is kept whole or not at all; or in an
//! S3-compatible object store (ADR 0052), put *before* the row's transaction so that no row
//! is ever written without its object.
//!
//! An object put but whose row then never commits (the transaction failed, or the server
//! stopped between the two) would be left in the bucket with nothing pointing at it. So its
//! key is first written to `document_object_sweep`, committed on its own, with a time before
//! which it is left alone; the row's transaction removes that line. A line still there after
//! its time names an object that has no row, and [`sweep`] deletes the object and the line.
//! Erasure writes a line for each object whose row it deletes, due at once.

use super::objects::{ObjectKey, Objects};
use super::Holder;
use crate::gate::RetentionDesk;
use crate::{Conn, Result, Store, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::ids::DocumentId;
use hearth_domain::time::to_text;

/// Where the bytes of new documents go: the partnership's `document_store`.
#[derive(Debug, Clone, Default)]
pub enum DocumentStore {
    /// `document_contents`, beside the row.
    #[default]
    Database,
    /// An S3-compatible bucket.
    Objects(Objects),
}

impl DocumentStore {
    /// The object store, when documents go to one.
    pub fn objects(&self) -> Option<&Objects> {
        match self {
            DocumentStore::Database => None,
            DocumentStore::Objects(o) => Some(o),
        }
    }
}

/// Where one document's bytes are (`documents.storage` and `documents.object_key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    Database,
    Object(ObjectKey),
}

impl Stored {
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Stored::Database => "database",
            Stored::Object(_) => "s3",
        }
    }

    pub(crate) fn from_row(storage: &str, key: Option<String>) -> Result<Self> {
        match (storage, key) {
            ("database", None) => Ok(Stored::Database),
            ("s3", Some(k)) => Ok(Stored::Object(ObjectKey::stored(k))),
            (s, k) => Err(StoreError::Corrupt(format!(
                "a document stored in {s:?} with{} an object key",
                if k.is_some() { "" } else { "out" }
            ))),
        }
    }
}

/// A new document's bytes already in the object store, their key reserved for the sweep
/// until the row that names them commits ([`super::insert`]). Only [`stage`] makes one.
#[derive(Debug)]
pub struct Staged {
    pub(crate) key: ObjectKey,
}

/// How a new document's bytes are kept by [`super::insert`].
#[derive(Debug, Clone, Copy)]
pub enum Keeping<'a> {
    /// In `document_contents`, in the row's transaction.
    InDatabase,
    /// Already in the object store.
    Staged(&'a Staged),
}

/// Reserves `key` for the sweep from `not_before` on (committed at once, on its own), so
/// that an object whose row never commits is found and deleted.
async fn reserve(
    store: &Store,
    key: &ObjectKey,
    why: &str,
    not_before: DateTime<Utc>,
) -> Result<()> {
    let mut tx = store.write().await?;
    sqlx::query(
        "INSERT INTO document_object_sweep (object_key, why, not_before) VALUES ($1, $2, $3)
         ON CONFLICT (object_key) DO UPDATE SET why = excluded.why, not_before = excluded.not_before",
    )
    .bind(key.as_str())
    .bind(why)
    .bind(to_text(not_before))
    .execute(&mut *tx)
    .await?;
    Store::commit(tx).await
}

/// Removes the reservation of a key whose row is being written in `conn`'s transaction.
pub(crate) async fn unreserve(conn: &mut Conn, key: &ObjectKey) -> Result<()> {
    sqlx::query("DELETE FROM document_object_sweep WHERE object_key = $1")
        .bind(key.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Puts a new document's bytes in the object store, for the record the gate opened, before
/// its row is written: the key is reserved for the sweep from `not_before` (a grace long
/// enough for the row's transaction to commit), then the object is put. A store that cannot
/// be reached is an error and nothing is kept but the reservation, which the sweep clears.
pub async fn stage(
    store: &Store,
    objects: &Objects,
    _holder: Holder<'_>,
    id: DocumentId,
    bytes: &[u8],
    not_before: DateTime<Utc>,
) -> Result<Staged> {
    let key = ObjectKey::for_document(id);
    reserve(store, &key, "upload", not_before).await?;
    objects.put(&key, bytes).await?;
    Ok(Staged { key })
}

/// Deletes a staged object whose row was not written (best effort: if this fails too, the
/// sweep deletes it once its reservation is due).
pub async fn unstage(objects: &Objects, staged: Staged) -> Result<()> {
    objects.delete(&staged.key).await
}

/// Writes the bytes of a new document kept in the database.
pub(crate) async fn put_in_database(conn: &mut Conn, id: DocumentId, bytes: &[u8]) -> Result<()> {
    sqlx::query("INSERT INTO document_contents (document_id, content) VALUES ($1, $2)")
        .bind(id.to_string())
        .bind(bytes.to_vec())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Reads the bytes of a document kept in the database.
pub(crate) async fn get_from_database(conn: &mut Conn, id: DocumentId) -> Result<Vec<u8>> {
    sqlx::query_scalar::<_, Vec<u8>>("SELECT content FROM document_contents WHERE document_id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Deletes the objects whose reservations are due and that no document names (an upload or
/// a move whose row never committed, or a document erased), and their reservations; a
/// reservation whose key a document does name (its row committed after all) is only
/// removed. How many objects were deleted. Safe with several servers: deleting an object
/// twice is not an error. Run by the server's housekeeping and after erasure.
pub async fn sweep(
    store: &Store,
    _desk: &RetentionDesk,
    objects: &Objects,
    now: DateTime<Utc>,
) -> Result<usize> {
    const BATCH: i64 = 100;
    let mut deleted = 0;
    let mut after = String::new();
    loop {
        let mut conn = store.read().await?;
        let due: Vec<String> = sqlx::query_scalar(
            "SELECT object_key FROM document_object_sweep
              WHERE (not_before IS NULL OR not_before <= $1) AND object_key > $2
              ORDER BY object_key LIMIT $3",
        )
        .bind(to_text(now))
        .bind(after.clone())
        .bind(BATCH)
        .fetch_all(&mut *conn)
        .await?;
        drop(conn);
        let Some(last) = due.last() else {
            return Ok(deleted);
        };
        after = last.clone();
        for key in due {
            let key = ObjectKey::stored(key);
            let mut conn = store.read().await?;
            let in_use: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE object_key = $1")
                    .bind(key.as_str())
                    .fetch_one(&mut *conn)
                    .await?;
            drop(conn);
            if in_use == 0 {
                // The object first: if this fails the line stays and the next sweep tries again.
                objects.delete(&key).await?;
                deleted += 1;
            }
            let mut tx = store.write().await?;
            sqlx::query(
                "DELETE FROM document_object_sweep WHERE object_key = $1
                   AND (not_before IS NULL OR not_before <= $2)",
            )
            .bind(key.as_str())
            .bind(to_text(now))
            .execute(&mut *tx)
            .await?;
            Store::commit(tx).await?;
        }
    }
}

/// Leave for the `hearth documents move-to-object-store` command to read documents' bytes
/// from the database and move them to the object store, never showing them. Only the gate
/// makes one ([`crate::gate::Gate::document_move`]).
#[derive(Debug)]
pub struct MoveJob {
    pub(crate) _private: (),
}

/// Documents whose bytes are still in the database, after `after` in id order, at most
/// `limit`.
pub async fn still_in_database(
    conn: &mut Conn,
    _job: &MoveJob,
    after: Option<DocumentId>,
    limit: i64,
) -> Result<Vec<DocumentId>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM documents WHERE storage = 'database' AND id > $1 ORDER BY id LIMIT $2",
    )
    .bind(after.map(|a| a.to_string()).unwrap_or_default())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    ids.iter().map(|i| crate::decode::parse_id(i)).collect()
}

/// A document's bytes in the database and the hash kept when it was uploaded; `None` when
/// its bytes have been moved already (or it is gone).
pub async fn bytes_to_move(
    conn: &mut Conn,
    _job: &MoveJob,
    id: DocumentId,
) -> Result<Option<(Vec<u8>, String)>> {
    Ok(sqlx::query_as(
        "SELECT c.content, d.sha256 FROM documents d
           JOIN document_contents c ON c.document_id = d.id
          WHERE d.id = $1 AND d.storage = 'database'",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?)
}

/// Puts a document's bytes, read by [`bytes_to_move`], in the object store, its key
/// reserved as an upload's is.
pub async fn stage_move(
    store: &Store,
    objects: &Objects,
    _job: &MoveJob,
    id: DocumentId,
    bytes: &[u8],
    not_before: DateTime<Utc>,
) -> Result<Staged> {
    let key = ObjectKey::for_document(id);
    reserve(store, &key, "move", not_before).await?;
    objects.put(&key, bytes).await?;
    Ok(Staged { key })
}

/// In the caller's transaction: the document now reads from the object store, its bytes leave
/// the database and the reservation goes. False (and nothing changed) when another run moved
/// it first.
pub async fn moved(
    conn: &mut Conn,
    _job: &MoveJob,
    id: DocumentId,
    staged: &Staged,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE documents SET storage = 's3', object_key = $2 WHERE id = $1 AND storage = 'database'",
    )
    .bind(id.to_string())
    .bind(staged.key.as_str())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if done == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM document_contents WHERE document_id = $1")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    unreserve(conn, &staged.key).await?;
    Ok(true)
}
