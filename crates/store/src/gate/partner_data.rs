//! The gate for early identification (ADR 0035). Partners' rows name people, so each door to
//! them is a proof: the matching desk (a partner data analyst registers datasets, imports files
//! and decides matches), the review queue opened (audited as it opens: it shows partners'
//! people beside the record's), and the worklist opened (audited as it opens: it names families
//! and why they were noticed). Refusals are audited here like every other.

use super::{Closed, Gate, Viewer};
use crate::{audit, Store};
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::UserId;
use hearth_domain::role::Capability;

/// A partner data analyst at their desk. Only the gate makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::MatchingDesk { analyst: hearth_domain::ids::UserId::new() };
/// ```
#[derive(Debug, Clone, Copy)]
pub struct MatchingDesk {
    pub(super) analyst: UserId,
}

impl MatchingDesk {
    pub fn analyst(&self) -> UserId {
        self.analyst
    }
}

/// The clerical review queue, opened (and its opening audited) for a partner data analyst.
/// Only the gate makes one.
#[derive(Debug, Clone, Copy)]
pub struct ReviewQueue {
    pub(super) desk: MatchingDesk,
}

impl ReviewQueue {
    pub fn desk(&self) -> MatchingDesk {
        self.desk
    }
}

/// The worklist of families identified, not yet supported, opened (and its opening audited)
/// for someone who works it. Only the gate makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::IdentificationWorklist { worker: hearth_domain::ids::UserId::new() };
/// ```
#[derive(Debug, Clone, Copy)]
pub struct IdentificationWorklist {
    pub(super) worker: UserId,
}

impl IdentificationWorklist {
    pub fn worker(&self) -> UserId {
        self.worker
    }
}

/// The fairness of early identification opened (and its opening audited) for someone who
/// reads reports: the worklist's families are worked out to be counted, never shown. Only the
/// gate makes one.
#[derive(Debug, Clone, Copy)]
pub struct IdentificationFairness {
    list: IdentificationWorklist,
}

impl IdentificationFairness {
    /// The worklist, to count who is on it by group; what it names must go no further.
    pub fn worklist(&self) -> IdentificationWorklist {
        self.list
    }
}

impl Gate {
    /// The matching desk for a user whose roles match partners' data; refused (audited) for
    /// anyone else.
    pub async fn matching_desk(&self, viewer: &Viewer<'_>) -> Result<MatchingDesk, Closed> {
        if viewer.roles.can(Capability::MatchPartnerData) {
            Ok(MatchingDesk {
                analyst: viewer.user,
            })
        } else {
            Err(self
                .refused(
                    viewer,
                    "partner_data",
                    String::new(),
                    "not a partner data analyst",
                )
                .await)
        }
    }

    /// Opens the clerical review queue, recording the opening (`partner_matches_viewed`);
    /// refused (audited) for anyone whose roles do not match partners' data.
    pub async fn open_review_queue(&self, viewer: &Viewer<'_>) -> Result<ReviewQueue, Closed> {
        let desk = self.matching_desk(viewer).await?;
        self.record_opening(viewer, AuditAction::PartnerMatchesViewed, "partner_matches")
            .await?;
        Ok(ReviewQueue { desk })
    }

    /// Opens the worklist, recording the opening (`identification_worklist_opened`); refused
    /// (audited) for anyone whose roles do not work it.
    pub async fn open_identification_worklist(
        &self,
        viewer: &Viewer<'_>,
    ) -> Result<IdentificationWorklist, Closed> {
        if !viewer.roles.can(Capability::WorkIdentification) {
            return Err(self
                .refused(
                    viewer,
                    "identification_worklist",
                    String::new(),
                    "does not work the early identification worklist",
                )
                .await);
        }
        self.record_opening(
            viewer,
            AuditAction::IdentificationWorklistOpened,
            "identification_worklist",
        )
        .await?;
        Ok(IdentificationWorklist {
            worker: viewer.user,
        })
    }

    /// Opens the fairness of early identification (who is identified, compared with the
    /// population), recording the opening (`identification_fairness_viewed`); for those who
    /// read reports. Refused (audited) for anyone else.
    pub async fn open_identification_fairness(
        &self,
        viewer: &Viewer<'_>,
    ) -> Result<IdentificationFairness, Closed> {
        if !viewer.roles.can(Capability::ViewReports) {
            return Err(self
                .refused(
                    viewer,
                    "identification_fairness",
                    String::new(),
                    "does not read reports",
                )
                .await);
        }
        self.record_opening(
            viewer,
            AuditAction::IdentificationFairnessViewed,
            "identification_fairness",
        )
        .await?;
        Ok(IdentificationFairness {
            list: IdentificationWorklist {
                worker: viewer.user,
            },
        })
    }

    async fn record_opening(
        &self,
        viewer: &Viewer<'_>,
        action: AuditAction,
        record_type: &'static str,
    ) -> Result<(), Closed> {
        let mut e = viewer.audit.clone();
        e.action = action;
        e.record_type = Some(record_type);
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
