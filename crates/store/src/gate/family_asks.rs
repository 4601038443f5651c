//! The gate for families' own requests for help (ADR 0044). A family's request names people
//! not yet linked to any record, so the front door's desk is the only way to them: the list
//! and each request are opened (and audited as they open) for someone who decides requests,
//! and refused (audited) for anyone else. The family's own sending is written here too, with
//! its audit event in the same transaction.

use super::{Closed, Gate, Viewer};
use crate::family_asks::{self, NewAsk};
use crate::{audit, Store};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::ids::{FamilyAskId, UserId};
use hearth_domain::role::Capability;

/// A front-door officer at the desk of families' requests. Only the gate makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::FamilyAskDesk { officer: hearth_domain::ids::UserId::new() };
/// ```
#[derive(Debug, Clone, Copy)]
pub struct FamilyAskDesk {
    pub(super) officer: UserId,
}

impl FamilyAskDesk {
    pub fn officer(&self) -> UserId {
        self.officer
    }
}

/// One family's request, opened (and its opening audited) at the desk. Only the gate makes
/// one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::OpenedFamilyAsk { id: hearth_domain::ids::FamilyAskId::new(), officer: hearth_domain::ids::UserId::new() };
/// ```
#[derive(Debug, Clone, Copy)]
pub struct OpenedFamilyAsk {
    pub(super) id: FamilyAskId,
    pub(super) officer: UserId,
}

impl OpenedFamilyAsk {
    pub fn id(&self) -> FamilyAskId {
        self.id
    }

    pub fn officer(&self) -> UserId {
        self.officer
    }
}

impl Gate {
    /// The desk, for a user who decides requests; refused (audited) for anyone else.
    pub async fn family_ask_desk(&self, viewer: &Viewer<'_>) -> Result<FamilyAskDesk, Closed> {
        if viewer.roles.can(Capability::DecideRequests) {
            Ok(FamilyAskDesk {
                officer: viewer.user,
            })
        } else {
            Err(self
                .refused(
                    viewer,
                    "family_ask",
                    String::new(),
                    "does not decide requests",
                )
                .await)
        }
    }

    /// Records that the desk read the list of families' requests waiting
    /// (`family_ask_viewed`, no record id), with how many it showed.
    pub async fn record_family_asks_listed(
        &self,
        viewer: &Viewer<'_>,
        _desk: &FamilyAskDesk,
        shown: usize,
    ) -> Result<(), Closed> {
        let mut e = viewer.audit.clone();
        e.action = AuditAction::FamilyAskViewed;
        e.record_type = Some("family_ask");
        e.detail = Some(serde_json::json!({ "waiting_shown": shown }).to_string());
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Opens one family's request for the desk, recording the opening (`family_ask_viewed`).
    pub async fn open_family_ask(
        &self,
        viewer: &Viewer<'_>,
        id: FamilyAskId,
    ) -> Result<OpenedFamilyAsk, Closed> {
        let desk = self.family_ask_desk(viewer).await?;
        let mut tx = self.store.write().await?;
        if !family_asks::exists(&mut tx, id).await? {
            return Err(Closed::NotFound);
        }
        let mut e = viewer.audit.clone();
        e.action = AuditAction::FamilyAskViewed;
        e.record_type = Some("family_ask");
        e.record_id = Some(id.to_string());
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(OpenedFamilyAsk {
            id,
            officer: desk.officer,
        })
    }

    /// Writes what a family sent, and its audit event (`family_ask_received`, by nobody
    /// signed in, naming only the request and how many people it names), together.
    pub async fn receive_family_ask(
        &self,
        ask: &NewAsk<'_>,
        event: &NewAuditEvent,
    ) -> Result<(), Closed> {
        let mut tx = self.store.write().await?;
        family_asks::insert(&mut tx, ask).await?;
        let mut e = event.clone();
        e.action = AuditAction::FamilyAskReceived;
        e.record_type = Some("family_ask");
        e.record_id = Some(ask.id.to_string());
        e.detail = Some(
            serde_json::json!({ "reference": ask.reference, "people": ask.answers.people.len() })
                .to_string(),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
