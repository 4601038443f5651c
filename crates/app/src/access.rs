//! The one place where capabilities are checked before a use case runs, and where refusals
//! are recorded.

use crate::auth::event;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::role::Capability;
use hearth_store::{audit, Store};

impl Hearth {
    /// Allows the actor through when one of their roles grants `capability`; otherwise records
    /// the refusal in the audit log and returns [`AppError::Forbidden`].
    pub(crate) async fn require(
        &self,
        actor: &Actor,
        capability: Capability,
    ) -> Result<(), AppError> {
        if actor.can(capability) {
            return Ok(());
        }
        let mut e = self.denial(actor);
        e.detail = Some(format!(r#"{{"capability":"{capability:?}"}}"#));
        Err(self.record_denial(&e).await)
    }

    /// Records that the actor was refused a record, and returns [`AppError::Forbidden`] (or
    /// the error that stopped the record being written). Call it with no write transaction
    /// open: it writes its own, so the refusal is kept whatever the caller does next.
    pub(crate) async fn refused(
        &self,
        actor: &Actor,
        record_type: &'static str,
        record_id: String,
    ) -> AppError {
        let mut e = self.denial(actor);
        e.record_type = Some(record_type);
        e.record_id = Some(record_id);
        self.record_denial(&e).await
    }

    fn denial(&self, actor: &Actor) -> NewAuditEvent {
        event(
            Some(actor),
            &actor.email,
            AuditAction::AccessDenied,
            &actor.origin,
            self.now(),
        )
    }

    async fn record_denial(&self, e: &NewAuditEvent) -> AppError {
        let written = async {
            let mut tx = self.store.write().await?;
            audit::append(&mut tx, e).await?;
            Store::commit(tx).await?;
            Ok::<_, AppError>(())
        };
        match written.await {
            Ok(()) => AppError::Forbidden,
            Err(err) => err,
        }
    }
}
