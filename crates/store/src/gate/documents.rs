//! Documents open with the record they are attached to: the same relationships, restriction
//! (a reason) and break-glass as the person or the episode, and the same audited refusal.

use super::{Closed, Gate, Viewer};
use crate::documents::storage::MoveJob;
use crate::documents::{self, AttachedTo, Document};
use hearth_domain::access::RecordAction;
use hearth_domain::ids::DocumentId;

/// A document the gate opened for one user, because they may open the record it belongs to.
/// Only with it are the document's bytes read ([`documents::content`]).
#[derive(Debug, Clone)]
pub struct OpenedDocument {
    document: Document,
}

impl OpenedDocument {
    pub fn document(&self) -> &Document {
        &self.document
    }
}

impl Gate {
    /// Opens a document for reading, or refuses (audited) as its person or episode would.
    pub async fn open_document(
        &self,
        viewer: &Viewer<'_>,
        id: DocumentId,
        reason: Option<&str>,
    ) -> Result<OpenedDocument, Closed> {
        let mut conn = self.store.read().await?;
        let document = documents::get(&mut conn, id).await?;
        drop(conn);
        match document.attached_to {
            AttachedTo::Person(p) => {
                self.open_person(viewer, p, RecordAction::View, reason)
                    .await?;
            }
            AttachedTo::Episode(e) => {
                self.open_episode(viewer, e, |_| true).await?;
            }
        }
        Ok(OpenedDocument { document })
    }
}

impl Gate {
    /// Leave for `hearth documents move-to-object-store` to move documents' bytes from the
    /// database to the object store (ADR 0052): it reads them to copy them, never shows them,
    /// and each document moved is audited by the caller.
    pub fn document_move(&self) -> MoveJob {
        MoveJob { _private: () }
    }
}
