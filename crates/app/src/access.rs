//! Capability checks before a use case runs, and the way to the gate
//! ([`hearth_store::gate`]), which decides access to records and records every refusal.

use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::role::Capability;
use hearth_store::gate::Viewer;

impl Actor {
    /// The actor as the gate sees them, at `now`.
    pub(crate) fn viewer(&self, now: chrono::DateTime<chrono::Utc>) -> Viewer<'_> {
        Viewer {
            user: self.user_id,
            team: self.team_id,
            roles: &self.roles,
            audit: event(
                Some(self),
                &self.email,
                AuditAction::AccessDenied,
                &self.origin,
                now,
            ),
        }
    }
}

impl Hearth {
    /// The actor at the gate now.
    pub(crate) fn viewer<'a>(&self, actor: &'a Actor) -> Viewer<'a> {
        actor.viewer(self.now())
    }

    /// Allows the actor through when one of their roles grants `capability`; otherwise the
    /// gate records the refusal and it comes back as [`AppError::Forbidden(_)`].
    pub(crate) async fn require(
        &self,
        actor: &Actor,
        capability: Capability,
    ) -> Result<(), AppError> {
        if actor.can(capability) {
            return Ok(());
        }
        let refusal = self
            .gate
            .refuse_capability(&self.viewer(actor), capability)
            .await?;
        Err(AppError::Forbidden(refusal))
    }

    /// Records that the actor was refused a record, and returns [`AppError::Forbidden(_)`] (or
    /// the error that stopped the record being written). Call it with no write transaction
    /// open: it writes its own, so the refusal is kept whatever the caller does next.
    pub async fn refused(
        &self,
        actor: &Actor,
        record_type: &'static str,
        record_id: String,
    ) -> AppError {
        match self
            .gate
            .refuse(
                &self.viewer(actor),
                Some(record_type),
                Some(record_id),
                None,
            )
            .await
        {
            Ok(r) => AppError::Forbidden(r),
            Err(e) => e.into(),
        }
    }
}
