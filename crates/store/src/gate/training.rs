//! Opening a member of staff's training record (ADR 0048). It is personal data about staff:
//! each person reads their own; their team's manager reads and records it; an administrator
//! reads and records anyone's; nobody records their own. The decision is the domain's
//! [`hearth_domain::training::may`]; each look at someone else's record is recorded, and each
//! refusal too.

use super::{Closed, Gate, Viewer};
use crate::{audit, Store};
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::{TeamId, UserId};
use hearth_domain::role::Capability;
use hearth_domain::training::{may, Looker, TrainingAction};

/// One member of staff's training, opened for reading (and recording, if `may_record`). Only
/// the gate makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::OpenedTraining { user: hearth_domain::ids::UserId::new(), may_record: true };
/// ```
#[derive(Debug, Clone)]
pub struct OpenedTraining {
    user: UserId,
    may_record: bool,
}

impl OpenedTraining {
    /// Whose training it is.
    pub fn user(&self) -> UserId {
        self.user
    }

    /// Whether the viewer may record and correct completions on it.
    pub fn may_record(&self) -> bool {
        self.may_record
    }
}

/// A manager's own team's training, opened for reading. Only the gate makes one.
#[derive(Debug, Clone)]
pub struct OpenedTeamTraining {
    team: TeamId,
}

impl OpenedTeamTraining {
    pub fn team(&self) -> TeamId {
        self.team
    }
}

impl Gate {
    /// Opens `whose` training (a member of team `team`) for `action`, or refuses (audited).
    /// Reading someone else's is recorded as `training_viewed`.
    pub async fn open_training(
        &self,
        viewer: &Viewer<'_>,
        whose: UserId,
        team: Option<TeamId>,
        action: TrainingAction,
    ) -> Result<OpenedTraining, Closed> {
        let looker = Looker {
            user: viewer.user,
            team: viewer.team,
            roles: viewer.roles,
        };
        if !may(looker, whose, team, action) {
            let why = match action {
                TrainingAction::Read => "not their training to read",
                TrainingAction::Record => "not their training to record",
            };
            return Err(self
                .refused(viewer, "training", whose.to_string(), why)
                .await);
        }
        if whose != viewer.user && action == TrainingAction::Read {
            let mut e = viewer.audit.clone();
            e.action = AuditAction::TrainingViewed;
            e.record_type = Some("training");
            e.record_id = Some(whose.to_string());
            let mut tx = self.store.write().await?;
            audit::append(&mut tx, &e).await?;
            Store::commit(tx).await?;
        }
        Ok(OpenedTraining {
            user: whose,
            may_record: may(looker, whose, team, TrainingAction::Record),
        })
    }

    /// Opens the viewer's own team's training for a manager (recorded as `training_viewed`
    /// of the team); refuses (audited) anyone who manages no team.
    pub async fn open_team_training(
        &self,
        viewer: &Viewer<'_>,
    ) -> Result<OpenedTeamTraining, Closed> {
        let team = match viewer.team {
            Some(team) if viewer.roles.can(Capability::AllocateWork) => team,
            _ => {
                return Err(self
                    .refused(viewer, "team_training", String::new(), "manages no team")
                    .await)
            }
        };
        let mut e = viewer.audit.clone();
        e.action = AuditAction::TrainingViewed;
        e.record_type = Some("team");
        e.record_id = Some(team.to_string());
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(OpenedTeamTraining { team })
    }
}
