//! Moving documents' bytes from the database to the object store
//! (`hearth documents move-to-object-store`, ADR 0052), and sweeping the store of objects no
//! document names (after erasure, or an upload whose row never committed).
//!
//! A move goes one document at a time: the bytes are checked against the hash kept at upload,
//! put in the store (their key reserved for the sweep first, as an upload's is), and then, in
//! one transaction, the row names the object, the bytes leave the database and the move is
//! audited. Stopped at any point, the next run carries on with the documents still in the
//! database; an object put by a run that stopped before its transaction is overwritten by the
//! next run or, if that document has gone, swept.

use super::STAGED_GRACE;
use crate::{AppError, Hearth};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::ids::DocumentId;
use hearth_store::documents::storage;
use hearth_store::{audit, Store};
use sha2::{Digest, Sha256};

/// What a move did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MoveReport {
    /// Documents whose bytes are now in the object store.
    pub moved: usize,
    /// Documents left in the database because their bytes no longer match the hash kept at
    /// upload (each named in the log): moving them would hide the damage.
    pub damaged: Vec<DocumentId>,
    /// Objects swept afterwards.
    pub swept: usize,
}

/// Documents read at a time.
const BATCH: i64 = 50;

impl Hearth {
    /// Moves every document whose bytes are in the database to the object store, or `at_most`
    /// of them; run again, it carries on. An error (the store cannot be reached) stops the
    /// run with every document moved so far moved and the rest where they were.
    pub async fn move_documents_to_object_store(
        &self,
        at_most: Option<usize>,
    ) -> Result<MoveReport, AppError> {
        let Some(objects) = self.policies.documents.store.objects() else {
            return Err(AppError::Internal(
                "set document_store = \"s3\" and the document store's address, bucket and credentials first".into(),
            ));
        };
        let job = self.gate.document_move();
        let mut report = MoveReport::default();
        let mut after = None;
        'batches: loop {
            let mut conn = self.store.read().await?;
            let ids = storage::still_in_database(&mut conn, &job, after, BATCH).await?;
            drop(conn);
            let Some(last) = ids.last() else { break };
            after = Some(*last);
            for id in ids {
                if at_most.is_some_and(|m| report.moved >= m) {
                    break 'batches;
                }
                let mut conn = self.store.read().await?;
                let found = storage::bytes_to_move(&mut conn, &job, id).await?;
                drop(conn);
                let Some((bytes, sha)) = found else { continue };
                if hex::encode(Sha256::digest(&bytes)) != sha {
                    tracing::error!(document = %id, "not moved: its bytes do not match the hash kept when it was uploaded");
                    report.damaged.push(id);
                    continue;
                }
                let now = self.now();
                let staged =
                    storage::stage_move(&self.store, objects, &job, id, &bytes, now + STAGED_GRACE)
                        .await?;
                let mut tx = self.store.write().await?;
                if storage::moved(&mut tx, &job, id, &staged).await? {
                    audit::append(
                        &mut tx,
                        &moved_event(id, bytes.len(), objects.bucket(), now),
                    )
                    .await?;
                    report.moved += 1;
                }
                Store::commit(tx).await?;
            }
        }
        report.swept = self.sweep_document_objects().await?;
        Ok(report)
    }

    /// Deletes from the object store the objects no document names whose time has come
    /// (documents erased; uploads and moves whose row never committed); how many. Nothing
    /// to do when documents are kept in the database. The server runs it now and then, and
    /// erasure and retention after they commit.
    pub async fn sweep_document_objects(&self) -> Result<usize, AppError> {
        let Some(objects) = self.policies.documents.store.objects() else {
            return Ok(0);
        };
        let desk = self.gate.retention_job();
        Ok(storage::sweep(&self.store, &desk, objects, self.now()).await?)
    }

    /// Sweeps after a change that deleted documents has committed: a store that cannot be
    /// reached now is logged, and the server's next sweep deletes the objects.
    pub(crate) async fn sweep_after_erasure(&self) {
        if let Err(e) = self.sweep_document_objects().await {
            tracing::warn!(error = %e, "documents' objects left for the next sweep");
        }
    }
}

/// The audit event of one document moved: which, its size and the bucket; the actor is the
/// command ("system").
fn moved_event(
    id: DocumentId,
    bytes: usize,
    bucket: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> NewAuditEvent {
    NewAuditEvent {
        at,
        actor_user_id: None,
        actor_label: "system".into(),
        action: AuditAction::DocumentMoved,
        record_type: Some("document"),
        record_id: Some(id.to_string()),
        ip: None,
        reason: None,
        detail: Some(serde_json::json!({"to": "s3", "bucket": bucket, "bytes": bytes}).to_string()),
        api_token_id: None,
    }
}
