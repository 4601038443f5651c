//! Episodes of Family Help: opening one from a decision, allocation, the Team Around the
//! Family, step-up and step-down, closure with sign-off, and professional disagreements.
//! Access to an episode is access to its family's record, decided by the access core from the
//! actor's relationships with the family.

pub mod assessment;
pub mod case_notes;
pub mod distance;
pub mod feedback;
pub mod plan;
pub mod plan_services;
pub(crate) mod record;
pub mod review;

mod closure;
mod escalations;
mod opening;
mod steps;
mod team;
mod view;

pub use closure::ClosureForm;
pub use escalations::{EscalationForm, EscalationUpdate};
pub(crate) use opening::Opening;
pub use steps::StepForm;
pub use team::{AllocationForm, MemberForm};
pub use view::PossibleTeam;

use crate::accounts::auth::event;
use crate::episodes::distance::NeedProgress;
use crate::episodes::feedback::Invitation;
use crate::Actor;
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::access::InvolvementRole;
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::NoteVisibility;
use hearth_domain::episode::{EpisodeLevel, NeedResult, Route};
use hearth_domain::ids::{EpisodeId, OrganisationId, PersonId, UserId};
use hearth_domain::need::NeedDomain;
use hearth_store::episodes::case_notes::Note;
use hearth_store::episodes::escalations::Escalation;
use hearth_store::episodes::{Allocation, Episode, LevelPeriod, TafMember};
use hearth_store::family::chronology::NewEntry;

pub use hearth_domain::access::EpisodePermissions;

pub struct EpisodeView {
    pub episode: Episode,
    pub people: Vec<(PersonId, String)>,
    pub needs: Vec<(NeedDomain, Option<NeedResult>)>,
    pub levels: Vec<LevelPeriod>,
    pub allocations: Vec<Allocation>,
    pub members: Vec<TafMember>,
    pub escalations: Vec<Escalation>,
    /// The latest notes the actor may read.
    pub notes: Vec<Note>,
    /// Per need: the assessment's scores against the latest review's.
    pub needs_progress: Vec<NeedProgress>,
    /// The family's feedback invitations and answers, newest first.
    pub feedback: Vec<Invitation>,
    pub may: EpisodePermissions,
    pub today: NaiveDate,
}

impl EpisodeView {
    pub fn level(&self) -> EpisodeLevel {
        self.episode.level
    }

    pub fn route(&self) -> Route {
        self.episode.route
    }
}

fn ev(actor: &Actor, action: AuditAction, episode: EpisodeId, now: DateTime<Utc>) -> NewAuditEvent {
    let mut e = event(Some(actor), &actor.email, action, &actor.origin, now);
    e.record_type = Some("episode");
    e.record_id = Some(episode.to_string());
    e
}

fn lead_role(level: EpisodeLevel) -> InvolvementRole {
    match level {
        EpisodeLevel::Early => InvolvementRole::LeadProfessional,
        EpisodeLevel::Targeted | EpisodeLevel::SocialCare => InvolvementRole::AllocatedWorker,
    }
}

/// A chronology entry about the episode itself, which everyone who may open the family's
/// record may read.
pub(crate) fn episode_entry<'a>(
    episode: EpisodeId,
    people: &'a [PersonId],
    kind: EntryKind,
    organisation: Option<OrganisationId>,
    actor: UserId,
    summary: String,
    at: DateTime<Utc>,
) -> NewEntry<'a> {
    NewEntry {
        at,
        kind,
        episode: Some(episode),
        organisation,
        actor: Some(actor),
        summary,
        record_type: Some("episode"),
        record_id: Some(episode.to_string()),
        visibility: NoteVisibility::Taf,
        people,
    }
}
