//! Searching and verifying the audit log.

use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::{Anchor, AuditAction};
use hearth_domain::role::Capability;
use hearth_store::audit::{self, AuditEvent, AuditQuery, Verification};
use hearth_store::Store;

/// One page of results.
pub const PAGE_SIZE: i64 = 50;

impl Hearth {
    /// Searches the log, newest first. The search itself is recorded.
    pub async fn search_audit(
        &self,
        actor: &Actor,
        query: &AuditQuery,
    ) -> Result<Vec<AuditEvent>, AppError> {
        self.require(actor, Capability::ViewAuditLog).await?;
        let mut e = event(
            Some(actor),
            &actor.email,
            AuditAction::AuditSearched,
            &actor.origin,
            self.now(),
        );
        e.detail = Some(
            serde_json::json!({
                "actor": query.actor,
                "record_id": query.record_id,
                "action": query.action,
                "from": query.from.map(|t| t.to_rfc3339()),
                "to": query.to.map(|t| t.to_rfc3339()),
            })
            .to_string(),
        );
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        let mut conn = self.store.read().await?;
        Ok(audit::search(&mut conn, query, PAGE_SIZE).await?)
    }

    /// Checks every link of the chain with the process's audit keys, and the chain against
    /// the anchors written outside the database (for `hearth audit verify`, run on the server).
    pub async fn verify_audit(&self, anchors: Vec<Anchor>) -> Result<Verification, AppError> {
        let mut conn = self.store.read().await?;
        Ok(audit::verify(&mut conn, audit::keys()?, anchors).await?)
    }

    /// The head of the chain now, to be written outside the database as an anchor.
    pub async fn audit_anchor(&self) -> Result<Anchor, AppError> {
        let mut conn = self.store.read().await?;
        Ok(audit::head(&mut conn, self.now()).await?)
    }
}
