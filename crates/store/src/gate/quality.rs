//! The gate's openings for quality assurance: the auditors' desk (drawing samples, the list of
//! audits, the themes, which name no family) and one case file opened for its audit. An
//! auditor reaches a family's record only through a case file in a sample, read-only, and each
//! opening is in the audit log as such, so the data protection officer can tell an audit's
//! reading from casework.

use super::{Closed, Gate, OpenedEpisode, Viewer};
use crate::family::people;
use crate::{audit, episodes, quality, Store};
use hearth_domain::access::EpisodePermissions;
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::{CaseAuditId, UserId};
use hearth_domain::role::Capability;

/// The quality auditors' desk: a user whose roles audit case files. Only the gate makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::QualityDesk { auditor: hearth_domain::ids::UserId::new() };
/// ```
#[derive(Debug, Clone, Copy)]
pub struct QualityDesk {
    pub(super) auditor: UserId,
}

impl QualityDesk {
    pub fn auditor(&self) -> UserId {
        self.auditor
    }
}

/// A case file opened for its audit: the episode, read-only (no casework permission at all),
/// and the audit it is opened for. Only the gate makes one.
#[derive(Debug, Clone)]
pub struct AuditedCaseFile {
    pub(super) desk: QualityDesk,
    pub(super) audit: CaseAuditId,
    pub(super) opened: OpenedEpisode,
}

impl AuditedCaseFile {
    pub fn audit(&self) -> CaseAuditId {
        self.audit
    }

    pub fn desk(&self) -> &QualityDesk {
        &self.desk
    }

    /// The episode, for the store's readers of an opened episode (notes, plan, reviews).
    pub fn episode(&self) -> &OpenedEpisode {
        &self.opened
    }
}

impl Gate {
    /// The auditors' desk, or a refusal (audited) for a user whose roles do not audit case
    /// files.
    pub async fn quality_desk(&self, viewer: &Viewer<'_>) -> Result<QualityDesk, Closed> {
        if viewer.roles.can(Capability::AuditCaseFiles) {
            Ok(QualityDesk {
                auditor: viewer.user,
            })
        } else {
            Err(self
                .refused(viewer, "quality", String::new(), "not a case-file auditor")
                .await)
        }
    }

    /// Opens the case file of one audit in a sample for an auditor, read-only, recording the
    /// opening (`case_file_opened_for_audit`); refuses (audited) anyone else, the file's own
    /// lead, and a file whose family includes a restricted record. An audit that does not exist opens nothing.
    pub async fn open_for_audit(
        &self,
        viewer: &Viewer<'_>,
        audit_id: CaseAuditId,
    ) -> Result<AuditedCaseFile, Closed> {
        if !viewer.roles.can(Capability::AuditCaseFiles) {
            return Err(self
                .refused(
                    viewer,
                    "case_audit",
                    audit_id.to_string(),
                    "not a case-file auditor",
                )
                .await);
        }
        let mut conn = self.store.read().await?;
        let episode_id = quality::episode_of(&mut conn, audit_id).await?;
        let episode = episodes::get(&mut conn, episode_id).await?;
        let restricted = people::summaries(&mut conn, &episode.people)
            .await?
            .iter()
            .any(|p| p.restricted);
        drop(conn);
        // A restricted record opens only with a reason given through the person's own page;
        // an audit is no way round that (a file restricted after it was drawn stays shut).
        // And no one audits, or moderates, a file they lead: the audit is a second pair of eyes.
        let why = if restricted {
            Some("a restricted record")
        } else if episode.lead_user_id == Some(viewer.user) {
            Some("the auditor leads this case file")
        } else {
            None
        };
        if let Some(why) = why {
            return Err(self
                .refused(viewer, "case_audit", audit_id.to_string(), why)
                .await);
        }
        let mut e = viewer.audit.clone();
        e.action = AuditAction::CaseFileOpenedForAudit;
        e.record_type = Some("episode");
        e.record_id = Some(episode_id.to_string());
        e.detail = Some(serde_json::json!({ "case_audit": audit_id.to_string() }).to_string());
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(AuditedCaseFile {
            desk: QualityDesk {
                auditor: viewer.user,
            },
            audit: audit_id,
            opened: OpenedEpisode {
                episode,
                may: EpisodePermissions::default(),
            },
        })
    }
}
