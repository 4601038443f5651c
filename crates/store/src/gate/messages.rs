//! Opening the outbox (ADR 0036). Its messages hold personal data — families' and users'
//! addresses, and until they are sent, their words and links — so only a user whose roles
//! manage accounts opens it, each opening is recorded, and each refusal too.

use super::{Closed, Gate, Viewer};
use crate::{audit, Store};
use hearth_domain::audit::AuditAction;
use hearth_domain::role::Capability;

/// The outbox, opened for an administrator. Only the gate makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::OpenedOutbox { _private: () };
/// ```
#[derive(Debug, Clone)]
pub struct OpenedOutbox {
    pub(super) _private: (),
}

impl Gate {
    /// Opens the outbox for a user whose roles manage accounts, recording the opening with
    /// `what` they are looking at; refuses (audited) anyone else.
    pub async fn open_outbox(
        &self,
        viewer: &Viewer<'_>,
        what: &str,
    ) -> Result<OpenedOutbox, Closed> {
        if !viewer.roles.can(Capability::ManageUsers) {
            return Err(self
                .refused(viewer, "outbox", what.to_string(), "no capability")
                .await);
        }
        let mut e = viewer.audit.clone();
        e.action = AuditAction::MessagesViewed;
        e.record_type = Some("outbox");
        e.record_id = Some(what.to_string());
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(OpenedOutbox { _private: () })
    }
}

/// Leave for the server's scheduled round of reminders of work due: it reads which work falls
/// due and whose it is — dates and ids, never a family's details — to queue each owner's
/// reminder. Only the gate makes one:
///
/// ```compile_fail
/// let _ = hearth_store::gate::ReminderRound { _private: () };
/// ```
#[derive(Debug, Clone)]
pub struct ReminderRound {
    pub(super) _private: (),
}

impl Gate {
    /// The round of reminders of work due, for the scheduled job.
    pub fn reminder_round(&self) -> ReminderRound {
        ReminderRound { _private: () }
    }
}
