//! Opening the partnership's records for a return: Ofsted's Annex A lists or the Standard
//! Safeguarding Dataset. These are the only person-level rows that leave Hearth in bulk, so
//! the gate lets through only a user whose roles may produce returns, and records each
//! opening (which return, which period) in the audit log, as it records each refusal.

use super::{Closed, Gate, Viewer};
use crate::{audit, Store};
use hearth_domain::audit::AuditAction;
use hearth_domain::returns::{ReturnKind, Window};
use hearth_domain::role::Capability;

/// The records of one period, opened for one return. Only the gate makes one.
///
/// ```compile_fail
/// # fn f(window: hearth_domain::returns::Window) {
/// let _ = hearth_store::gate::OpenedReturn { kind: hearth_domain::returns::ReturnKind::AnnexA, window };
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct OpenedReturn {
    pub(super) kind: ReturnKind,
    pub(super) window: Window,
}

impl OpenedReturn {
    pub fn kind(&self) -> ReturnKind {
        self.kind
    }

    pub fn window(&self) -> Window {
        self.window
    }
}

impl Gate {
    /// Opens the records of `window` for a return, recording the opening; refuses (audited)
    /// a user whose roles may not produce returns.
    pub async fn open_return(
        &self,
        viewer: &Viewer<'_>,
        kind: ReturnKind,
        window: Window,
    ) -> Result<OpenedReturn, Closed> {
        let detail = serde_json::json!({
            "return": kind.code(),
            "from": window.from.to_string(),
            "to": window.to.to_string(),
        })
        .to_string();
        if !viewer.roles.can(Capability::ProduceReturns) {
            return Err(
                match self
                    .refuse(viewer, Some("return"), None, Some(detail))
                    .await
                {
                    Ok(r) => Closed::Refused(r),
                    Err(e) => Closed::Store(e),
                },
            );
        }
        let mut e = viewer.audit.clone();
        e.action = AuditAction::ReturnProduced;
        e.record_type = Some("return");
        e.record_id = Some(kind.code().to_string());
        e.detail = Some(detail);
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(OpenedReturn { kind, window })
    }
}
