//! The gate's openings for the Supporting Families programme's claims and data return (ADR
//! 0046): the programme lead's desk, and one family's episode opened for a claim or a return.
//! A programme lead reads a family's needs, working, outcomes and evidence only this way,
//! read-only, and each opening is in the audit log with the quarter it was for.

use super::{Closed, Gate, OpenedEpisode, Viewer};
use crate::family::people;
use crate::programme::claims;
use crate::{audit, episodes, Store};
use hearth_domain::access::EpisodePermissions;
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::{EpisodeId, UserId};
use hearth_domain::programme::claims::may_sign_as;
use hearth_domain::role::Capability;

/// The programme lead's desk: a user whose roles make the programme's claims. Only the gate
/// makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::ProgrammeDesk { lead: hearth_domain::ids::UserId::new() };
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ProgrammeDesk {
    pub(super) lead: UserId,
}

impl ProgrammeDesk {
    pub fn lead(&self) -> UserId {
        self.lead
    }
}

/// A programme lead cleared to sign one quarter's claim off: none of its sample's verdicts is
/// theirs. Only the gate makes one, and signing off takes it.
///
/// ```compile_fail
/// let _ = hearth_store::gate::ClaimSigner {
///     lead: hearth_domain::ids::UserId::new(),
///     quarter: String::new(),
/// };
/// ```
#[derive(Debug, Clone)]
pub struct ClaimSigner {
    lead: UserId,
    quarter: String,
}

impl ClaimSigner {
    pub fn lead(&self) -> UserId {
        self.lead
    }

    pub fn quarter(&self) -> &str {
        &self.quarter
    }
}

impl Gate {
    /// The programme lead's desk, or a refusal (audited) for a user whose roles do not make
    /// the programme's claims.
    pub async fn programme_desk(&self, viewer: &Viewer<'_>) -> Result<ProgrammeDesk, Closed> {
        if viewer.roles.can(Capability::ClaimProgrammeResults) {
            Ok(ProgrammeDesk { lead: viewer.user })
        } else {
            Err(self
                .refused(viewer, "programme", String::new(), "not a programme lead")
                .await)
        }
    }

    /// Clears the desk's lead to sign `quarter`'s claim off, or refuses (audited) a lead who
    /// gave any of its sample's verdicts: internal audit means someone other than the one who
    /// signs off checks the sample.
    pub async fn claim_signer(
        &self,
        viewer: &Viewer<'_>,
        desk: &ProgrammeDesk,
        quarter: &str,
    ) -> Result<ClaimSigner, Closed> {
        let mut conn = self.store.read().await?;
        let auditors = claims::auditors(&mut conn, desk, quarter).await?;
        drop(conn);
        match may_sign_as(&desk.lead, &auditors) {
            Ok(()) => Ok(ClaimSigner {
                lead: desk.lead,
                quarter: quarter.into(),
            }),
            Err(_) => Err(self
                .refused(
                    viewer,
                    "programme_claim",
                    quarter.into(),
                    "the signer gave a verdict of the sample",
                )
                .await),
        }
    }

    /// Opens one family's episode, read-only, for the claim or return of `quarter`, recording
    /// the opening (`programme_family_opened`); refuses (audited) a family with a restricted
    /// record, which opens only with a reason given through the person's own page.
    pub async fn open_for_programme(
        &self,
        viewer: &Viewer<'_>,
        desk: &ProgrammeDesk,
        id: EpisodeId,
        quarter: &str,
    ) -> Result<OpenedEpisode, Closed> {
        let mut conn = self.store.read().await?;
        let episode = episodes::get(&mut conn, id).await?;
        let restricted = people::summaries(&mut conn, &episode.people)
            .await?
            .iter()
            .any(|p| p.restricted);
        drop(conn);
        if restricted {
            return Err(self
                .refused(viewer, "episode", id.to_string(), "a restricted record")
                .await);
        }
        let mut e = viewer.audit.clone();
        e.action = AuditAction::ProgrammeFamilyOpened;
        e.record_type = Some("episode");
        e.record_id = Some(id.to_string());
        e.detail = Some(
            serde_json::json!({ "quarter": quarter, "lead": desk.lead.to_string() }).to_string(),
        );
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(OpenedEpisode {
            episode,
            may: EpisodePermissions::default(),
        })
    }
}
