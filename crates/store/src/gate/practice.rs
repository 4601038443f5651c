//! The gate's openings for practice support: a request whose decision may be challenged (or
//! whose challenges the front door settles), and a Family Hub's desk of consultations.

use super::{Closed, Gate, Viewer};
use crate::practice::challenges;
use crate::requests::{self, RequestRecord};
use hearth_domain::ids::{RequestId, TeamId};
use hearth_domain::role::Capability;

/// A decided request opened for its challenges: who may raise one, who may settle one.
/// Only the gate makes one (its fields are private).
#[derive(Debug, Clone)]
pub struct ChallengeableRequest {
    request: RequestRecord,
    may_raise: bool,
    may_settle: bool,
}

impl ChallengeableRequest {
    pub fn id(&self) -> RequestId {
        self.request.id
    }

    pub fn request(&self) -> &RequestRecord {
        &self.request
    }

    /// The requester, or another agency who may open the whole family's record.
    pub fn may_raise(&self) -> bool {
        self.may_raise
    }

    /// The front door (deciders and their managers) moves a challenge on and resolves it.
    pub fn may_settle(&self) -> bool {
        self.may_settle
    }
}

/// A Family Hub's desk: the team whose consultations a TAF Worker sees and answers.
#[derive(Debug, Clone, Copy)]
pub struct AdviceDesk {
    team: TeamId,
}

impl AdviceDesk {
    pub fn team(&self) -> TeamId {
        self.team
    }
}

impl Gate {
    /// Opens a decided request for its challenges, or refuses (audited). Whoever may read
    /// the request may raise one (the requester always; another agency when they may open the
    /// whole family's record); the front door settles them, the request's content included,
    /// since a challenge asks it to look at its decision again.
    pub async fn open_challenges(
        &self,
        viewer: &Viewer<'_>,
        id: RequestId,
    ) -> Result<ChallengeableRequest, Closed> {
        let mut conn = self.store.read().await?;
        let request = requests::get(&mut conn, id).await?;
        let challenged = challenges::any_for(&mut conn, id).await?;
        drop(conn);
        let decided = request.decision.is_some()
            && request.status == hearth_domain::routing::RequestStatus::Decided;
        // The front door reads a decided request again only when it is challenged.
        let may_settle = decided && challenged && viewer.roles.can(Capability::DecideRequests);
        let may_raise = decided
            && viewer.roles.can(Capability::RequestSupport)
            && self.may_read_request(viewer, &request).await?;
        if !(may_raise || may_settle) {
            return Err(self
                .refused(viewer, "request", id.to_string(), "challenge")
                .await);
        }
        Ok(ChallengeableRequest {
            request,
            may_raise,
            may_settle,
        })
    }

    /// The TAF Worker's own Family Hub desk, or a refusal (audited) for anyone whose roles do
    /// not advise lead professionals or who is in no team.
    pub async fn advice_desk(&self, viewer: &Viewer<'_>) -> Result<AdviceDesk, Closed> {
        match viewer.team {
            Some(team) if viewer.roles.can(Capability::AdviseLeadProfessionals) => {
                Ok(AdviceDesk { team })
            }
            _ => Err(self
                .refused(
                    viewer,
                    "consultations",
                    String::new(),
                    "not a TAF Worker in a hub",
                )
                .await),
        }
    }
}
