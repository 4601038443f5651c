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
use hearth_domain::ids::{EpisodeId, PersonId, UserId};
use hearth_domain::need::NeedDomain;
use hearth_domain::task::TaskKind;
use hearth_store::episodes::case_notes::Note;
use hearth_store::episodes::escalations::Escalation;
use hearth_store::episodes::tasks;
use hearth_store::episodes::{Allocation, Episode, LevelPeriod, TafMember};
use hearth_store::family::chronology::NewEntry;

pub use hearth_domain::access::EpisodePermissions;
use hearth_domain::next_steps::NextStep;

/// How many notes an episode's notes page shows at a time.
pub const NOTES_PER_PAGE: i64 = 20;

pub struct EpisodeView {
    pub episode: Episode,
    pub people: Vec<(PersonId, String)>,
    pub needs: Vec<(NeedDomain, Option<NeedResult>)>,
    pub levels: Vec<LevelPeriod>,
    pub allocations: Vec<Allocation>,
    pub members: Vec<TafMember>,
    pub escalations: Vec<Escalation>,
    /// A page of the notes the actor may read, newest first.
    pub notes: Vec<Note>,
    /// Which page of notes `notes` is (from 1), and whether more follow.
    pub notes_page: i64,
    pub more_notes: bool,
    /// What the team has to do next, most pressing first.
    pub next_steps: Vec<NextStep>,
    /// Per need: the assessment's scores against the latest review's.
    pub needs_progress: Vec<NeedProgress>,
    /// The family's feedback invitations and answers, newest first.
    pub feedback: Vec<Invitation>,
    /// The team a recorded closure waits on to sign it off.
    pub closure_signer: Option<String>,
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

pub(crate) fn ev(
    actor: &Actor,
    action: AuditAction,
    episode: EpisodeId,
    now: DateTime<Utc>,
) -> NewAuditEvent {
    let mut e = event(Some(actor), &actor.email, action, &actor.origin, now);
    e.record_type = Some("episode");
    e.record_id = Some(episode.to_string());
    e
}

/// A manager's answer to work put to them for sign-off (an assessment, a closure).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignOff {
    Approve,
    /// Back to the lead, saying why: the reason goes in the family's chronology and the audit
    /// log, and the lead gets a task to rework it.
    SendBack {
        reason: String,
    },
}

/// The longest reason for sending work back.
const SEND_BACK_REASON_MAX: usize = 2000;

impl SignOff {
    /// From a form: `decision` is `return` to send back (with `reason`), anything else signs off.
    pub fn from_form(decision: &str, reason: &str) -> Self {
        match decision {
            "return" => SignOff::SendBack {
                reason: reason.to_string(),
            },
            _ => SignOff::Approve,
        }
    }

    pub fn approves(&self) -> bool {
        matches!(self, SignOff::Approve)
    }

    /// The reason for sending back, checked: it must be given, so the lead knows what to change.
    fn reason(&self) -> Result<Option<String>, crate::AppError> {
        let SignOff::SendBack { reason } = self else {
            return Ok(None);
        };
        let mut errors = hearth_domain::input::FieldErrors::new();
        let reason = hearth_domain::input::required_text(
            &mut errors,
            "send_back_reason",
            "why you are sending it back, so the lead knows what to change",
            reason,
            SEND_BACK_REASON_MAX,
        );
        errors
            .into_result(Some(reason))
            .map_err(crate::AppError::Invalid)
    }
}

/// Who reworks what was sent back: the lead, or the owning team while nobody leads.
fn rework_task(e: &Episode, kind: TaskKind, title: &str, today: NaiveDate) -> tasks::NewTask {
    tasks::NewTask {
        kind,
        episode: Some(e.id),
        user: e.lead_user_id,
        team: if e.lead_user_id.is_none() {
            e.owning_team_id
        } else {
            None
        },
        title: title.into(),
        due_on: today + chrono::Duration::days(5),
        request: None,
    }
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
    actor: UserId,
    summary: String,
    at: DateTime<Utc>,
) -> NewEntry<'a> {
    NewEntry {
        at,
        occurred_on: at.date_naive(),
        kind,
        episode: Some(episode),
        organisation: None,
        actor: Some(actor),
        summary,
        record_type: Some("episode"),
        record_id: Some(episode.to_string()),
        visibility: NoteVisibility::Taf,
        people,
    }
}
