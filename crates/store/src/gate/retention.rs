//! The gate's door for retention, erasure and restriction: the data protection officer (the
//! `ManageInformationRights` capability) reviews and approves what is due, places legal holds
//! and decides erasure and restriction requests; the server's daily job (or `hearth retention`)
//! lists what is due and carries out only runs the officer approved. The proof,
//! [`RetentionDesk`], is what the store's retention functions take.

use super::{Closed, Gate, Viewer};
use hearth_domain::ids::UserId;
use hearth_domain::role::Capability;

/// Leave to list, delete and anonymise under the retention schedule. Only the gate makes one:
///
/// ```compile_fail
/// let _ = hearth_store::gate::RetentionDesk { officer: None };
/// ```
#[derive(Debug, Clone)]
pub struct RetentionDesk {
    pub(super) officer: Option<UserId>,
}

impl RetentionDesk {
    /// The data protection officer at the desk; none for the scheduled job, which may carry
    /// out only what an officer approved (the store checks the run's approval).
    pub fn officer(&self) -> Option<UserId> {
        self.officer
    }
}

impl Gate {
    /// The retention desk for the data protection officer; anyone else is refused, and the
    /// refusal recorded.
    pub async fn retention_desk(&self, viewer: &Viewer<'_>) -> Result<RetentionDesk, Closed> {
        if !viewer.roles.can(Capability::ManageInformationRights) {
            return Err(self
                .refused(viewer, "retention", String::new(), "no capability")
                .await);
        }
        Ok(RetentionDesk {
            officer: Some(viewer.user),
        })
    }

    /// The retention desk for the scheduled job and the `hearth retention` command: it lists
    /// what is due and carries out approved runs, and its events name "system".
    pub fn retention_job(&self) -> RetentionDesk {
        RetentionDesk { officer: None }
    }
}
