//! Where a document's bytes are kept. The database is the default and, today, the only one:
//! the bytes go in the same transaction as the row that describes them, so an upload is kept
//! whole or not at all. An S3-compatible object store for larger partnerships would be another
//! `Storage` (ADR 0043 says what it must do); none is built yet.

use crate::{Conn, Result, StoreError};
use hearth_domain::ids::DocumentId;
use std::future::Future;

/// Keeps and gives back a document's bytes.
pub trait Storage {
    /// The name written with each document (`documents.storage`), so a partnership that
    /// moves to another storage knows where each document's bytes are.
    fn name(&self) -> &'static str;

    fn put(
        &self,
        conn: &mut Conn,
        id: DocumentId,
        bytes: &[u8],
    ) -> impl Future<Output = Result<()>> + Send;

    fn get(&self, conn: &mut Conn, id: DocumentId) -> impl Future<Output = Result<Vec<u8>>> + Send;
}

/// The bytes in the database's `document_contents`.
#[derive(Debug, Clone, Copy, Default)]
pub struct InDatabase;

impl Storage for InDatabase {
    fn name(&self) -> &'static str {
        "database"
    }

    async fn put(&self, conn: &mut Conn, id: DocumentId, bytes: &[u8]) -> Result<()> {
        sqlx::query("INSERT INTO document_contents (document_id, content) VALUES ($1, $2)")
            .bind(id.to_string())
            .bind(bytes.to_vec())
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    async fn get(&self, conn: &mut Conn, id: DocumentId) -> Result<Vec<u8>> {
        sqlx::query_scalar::<_, Vec<u8>>(
            "SELECT content FROM document_contents WHERE document_id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)
    }
}
