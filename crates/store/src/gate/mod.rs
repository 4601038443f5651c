//! **The gate: the one door to personal data** (ADR 0014).
//!
//! Everything about who may see or change a family's record is decided here and nowhere else:
//! the gate gathers a user's relationships to a person or an episode (each honoured only inside
//! its time window), applies consent and lawful basis, restriction, break-glass and the split
//! between reading a family and working an episode, and asks the pure decision in
//! [`hearth_domain::access`]. It hands back **proofs** ([`OpenedPerson`], [`OpenedEpisode`],
//! [`ChronologyScope`]) that only this module can make; store functions over personal data take
//! them, so a use case that skips the gate does not compile. Every refusal is written to the
//! audit log here, once, and comes back as a [`Refusal`] that nothing else can make.
//!
//! The gate lives in the store crate because Rust's privacy is per crate: the proof must be
//! made where the data is read for "only the gate can make it" to be checked by the compiler.

mod care;
mod documents;
mod family_asks;
mod hubs;
mod insight;
mod messages;
mod openings;
mod own;
mod partner_data;
mod practice;
mod programme;
mod proof;
mod quality;
mod retention;
mod returns;
mod scope;
mod standing;
mod subject_access;
mod training;
mod voice;

pub use care::{
    CareAdmission, CareCaseload, CareImport, CareStanding, OpenedChildInCare,
    OpenedPlacementRequest, PlacementsDesk, SufficiencyDesk,
};
pub use documents::OpenedDocument;
pub use family_asks::{FamilyAskDesk, OpenedFamilyAsk};
pub use hubs::{HubDesk, OpenedHubFamily, OpenedProgramme};
pub use insight::{BoardDesk, OpenedExtract};
pub use messages::{OpenedOutbox, ReminderRound};
pub use openings::BreakGlassUse;
pub use own::{
    EmailOutcome, FamilyConsents, FamilyEpisode, FamilyMember, FamilyTerms, LinkOutcome,
};
pub use partner_data::{IdentificationFairness, IdentificationWorklist, MatchingDesk, ReviewQueue};
pub use practice::{AdviceDesk, ChallengeableRequest};
pub use programme::{ClaimSigner, ProgrammeDesk};
pub use proof::{ChronologyScope, Ground, OpenedEpisode, OpenedPerson, Refusal, Together};
pub use quality::{AuditedCaseFile, QualityDesk};
pub use retention::RetentionDesk;
pub use returns::OpenedReturn;
pub use subject_access::{OpenedSubject, PersonTrail, SubjectCandidate};
pub use training::{OpenedTeamTraining, OpenedTraining};
pub use voice::{
    AnsweringLink, CaseStudyReview, CaseStudyRevision, CaseStudySource, SurveyingEpisode, VoiceDesk,
};

use crate::episodes::{self, tasks, Episode};
use crate::family::people::{self, Person};
use crate::requests::RequestRecord;
use crate::{audit, Store, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::access::{
    decide, episode_permissions, may_see_restricted, Decision, EpisodePermissions, EpisodeStanding,
    RecordAction, Relationship,
};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::episode::EpisodeStatus;
use hearth_domain::ids::{EpisodeId, PersonId, TeamId, UserId};
use hearth_domain::role::{Capability, Role, RoleSet};
use standing::Tie;

/// The user at the gate: who they are, their team and roles, and how the audit log names them.
#[derive(Debug, Clone)]
pub struct Viewer<'a> {
    pub user: UserId,
    pub team: Option<TeamId>,
    pub roles: &'a RoleSet,
    /// Who, when and from where, as the audit log records them; the gate fills in the rest.
    pub audit: NewAuditEvent,
}

impl Viewer<'_> {
    fn now(&self) -> DateTime<Utc> {
        self.audit.at
    }
}

/// How long the windows the gate keeps last; each partnership may set its own.
#[derive(Debug, Clone)]
pub struct GatePolicy {
    /// Days a practitioner who added a person may work on what they recorded, unless a
    /// request about the person is decided first.
    pub recorder_days: i64,
    /// Days the officer who decided a request may still read the family's record.
    pub deciding_officer_days: i64,
    /// Minutes a reason given to open a restricted record holds for its other pages.
    pub reason_minutes: i64,
    /// Minutes a break-glass opening lasts.
    pub break_glass_minutes: i64,
    /// The age from which a young person sees their own part of the plan on the family's
    /// own page (ADR 0045); younger children see nothing there.
    pub young_person_age: u32,
    /// Days after closure that the family's own page still shows the episode.
    pub family_closed_days: i64,
}

impl Default for GatePolicy {
    fn default() -> Self {
        Self {
            recorder_days: 30,
            deciding_officer_days: 14,
            reason_minutes: 60,
            break_glass_minutes: 240,
            young_person_age: 13,
            family_closed_days: 28,
        }
    }
}

/// Why the gate did not open.
#[derive(Debug)]
pub enum Closed {
    /// Refused, and the refusal is in the audit log.
    Refused(Refusal),
    /// The record is restricted and the user must say why before it opens.
    ReasonNeeded {
        id: PersonId,
        name: String,
    },
    NotFound,
    Store(StoreError),
}

impl From<StoreError> for Closed {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Closed::NotFound,
            other => Closed::Store(other),
        }
    }
}

/// What a user may learn of a person they may not open: that they exist, their age and area,
/// and who is involved (contact search), never the content.
#[derive(Debug, Clone)]
pub struct ContactCard {
    pub person: PersonId,
    /// Break-glass is open to this user, should they need it.
    pub may_break_glass: bool,
}

/// The outcome of looking a person up: their record, or only how to reach who is involved.
#[derive(Debug, Clone)]
pub enum Sight {
    Opened(Box<OpenedPerson>),
    Contact(ContactCard),
}

/// How a search result shows to one user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glimpse {
    pub person: PersonId,
    pub may_open: bool,
    /// A restriction hides this person's address, contact details and what they match on
    /// from this user.
    pub hidden: bool,
}

/// A person an audit search names, and the episodes they were part of: the log's events about
/// them carry these ids.
#[derive(Debug, Clone)]
pub struct AuditSubject {
    pub person: PersonId,
    pub name: String,
    pub episodes: Vec<EpisodeId>,
}

/// The gate over one store, with the partnership's windows.
#[derive(Debug, Clone)]
pub struct Gate {
    store: Store,
    policy: GatePolicy,
}

impl Gate {
    pub fn new(store: Store, policy: GatePolicy) -> Self {
        Self { store, policy }
    }

    /// Records a refusal and hands back its proof. Use it for refusals the gate cannot judge
    /// by itself (a capability the user's roles lack, a form about something else's child).
    pub async fn refuse(
        &self,
        viewer: &Viewer<'_>,
        record_type: Option<&'static str>,
        record_id: Option<String>,
        detail: Option<String>,
    ) -> Result<Refusal, StoreError> {
        let mut e = viewer.audit.clone();
        e.action = AuditAction::AccessDenied;
        e.record_type = record_type;
        e.record_id = record_id;
        e.detail = detail;
        self.refuse_as(&e).await
    }

    /// Records a refusal described by the caller, whose action names what was refused (an API
    /// token's missing scope, say), in a transaction of its own, and hands back its proof.
    pub async fn refuse_as(&self, e: &NewAuditEvent) -> Result<Refusal, StoreError> {
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, e).await?;
        Store::commit(tx).await?;
        Ok(Refusal { _recorded: () })
    }

    /// Records that a capability was refused.
    pub async fn refuse_capability(
        &self,
        viewer: &Viewer<'_>,
        capability: Capability,
    ) -> Result<Refusal, StoreError> {
        self.refuse(
            viewer,
            None,
            None,
            Some(serde_json::json!({ "capability": format!("{capability:?}") }).to_string()),
        )
        .await
    }

    async fn refused(
        &self,
        viewer: &Viewer<'_>,
        record_type: &'static str,
        id: String,
        why: &str,
    ) -> Closed {
        match self
            .refuse(
                viewer,
                Some(record_type),
                Some(id),
                Some(serde_json::json!({ "refused": why }).to_string()),
            )
            .await
        {
            Ok(r) => Closed::Refused(r),
            Err(e) => Closed::Store(e),
        }
    }

    /// Opens a person's record for `action`, or refuses (audited). A restricted record needs
    /// a reason (given now, or within the last while); break-glass opens it for reading.
    pub async fn open_person(
        &self,
        viewer: &Viewer<'_>,
        id: PersonId,
        action: RecordAction,
        reason: Option<&str>,
    ) -> Result<OpenedPerson, Closed> {
        match self.look(viewer, id, action, reason).await? {
            Sight::Opened(p) => Ok(*p),
            Sight::Contact(c) => Err(self
                .refused(viewer, "person", c.person.to_string(), "no relationship")
                .await),
        }
    }

    /// Looks a person up: their record when the user may open it, otherwise what contact
    /// search shows (not a refusal: searching users may always see who is involved).
    pub async fn look_up(
        &self,
        viewer: &Viewer<'_>,
        id: PersonId,
        reason: Option<&str>,
    ) -> Result<Sight, Closed> {
        self.look(viewer, id, RecordAction::View, reason).await
    }

    async fn look(
        &self,
        viewer: &Viewer<'_>,
        id: PersonId,
        action: RecordAction,
        reason: Option<&str>,
    ) -> Result<Sight, Closed> {
        if !viewer.roles.can(Capability::SearchFamilies) {
            return Err(self
                .refused(viewer, "person", id.to_string(), "no capability")
                .await);
        }
        let today = viewer.now().date_naive();
        let mut conn = self.store.read().await?;
        let person = people::get(&mut conn, id).await?;
        let ties = standing::ties(&mut conn, viewer, &self.policy, &[person.id], today).await?;
        let rels = standing::relationships(ties.iter());
        let glass = openings::active(&mut conn, viewer, person.id, openings::BREAK_GLASS).await?;
        drop(conn);
        let break_glass = glass
            .as_deref()
            .and_then(hearth_domain::access::BreakGlassReason::new);
        let ground = match decide(viewer.roles, &rels, action, break_glass.as_ref()) {
            Decision::Allow(r) => Ground::Relationship(r),
            Decision::AllowBreakGlass => Ground::BreakGlass,
            Decision::Deny(_) if action == RecordAction::View => {
                return Ok(Sight::Contact(ContactCard {
                    person: person.id,
                    may_break_glass: viewer.roles.can(Capability::BreakGlass),
                }))
            }
            Decision::Deny(_) => {
                return Err(self
                    .refused(viewer, "person", person.id.to_string(), "no relationship")
                    .await)
            }
        };
        let reason = match (&ground, person.restricted) {
            (Ground::BreakGlass, _) => glass,
            (_, false) => None,
            (_, true) => Some(self.restricted_reason(viewer, &person, reason).await?),
        };
        Ok(Sight::Opened(Box::new(
            self.opened(viewer, person, ground, rels, reason),
        )))
    }

    /// The reason to open a restricted record: the one given now (remembered for a while), or
    /// one given within that while.
    async fn restricted_reason(
        &self,
        viewer: &Viewer<'_>,
        person: &Person,
        given: Option<&str>,
    ) -> Result<String, Closed> {
        if let Some(r) = given
            .map(str::trim)
            .filter(|r| r.chars().count() >= openings::MIN_REASON)
        {
            let r: String = r.chars().take(500).collect();
            let mut tx = self.store.write().await?;
            openings::insert(
                &mut tx,
                viewer,
                person.id,
                openings::REASON,
                &r,
                self.policy.reason_minutes,
            )
            .await?;
            Store::commit(tx).await?;
            return Ok(r);
        }
        let mut conn = self.store.read().await?;
        match openings::active(&mut conn, viewer, person.id, openings::REASON).await? {
            Some(r) => Ok(r),
            None => Err(Closed::ReasonNeeded {
                id: person.id,
                name: format!("{} {}", person.given_names, person.family_name),
            }),
        }
    }

    fn opened(
        &self,
        viewer: &Viewer<'_>,
        person: Person,
        ground: Ground,
        relationships: Vec<Relationship>,
        reason: Option<String>,
    ) -> OpenedPerson {
        let allowed = |a| decide(viewer.roles, &relationships, a, None).is_allowed();
        let details_withheld =
            person.restricted && !may_see_restricted(viewer.roles, &person.restriction_roles);
        OpenedPerson {
            contribute: allowed(RecordAction::Contribute),
            edit: allowed(RecordAction::Edit),
            details_withheld,
            person: if details_withheld {
                Person {
                    phone: None,
                    email: None,
                    contact: Default::default(),
                    ..person
                }
            } else {
                person
            },
            ground,
            relationships,
            reason,
        }
    }

    /// How each of these people shows to the user in a list or search: whether they may open
    /// the record, and whether a restriction hides its details (and what it matches on).
    pub async fn glimpses(
        &self,
        viewer: &Viewer<'_>,
        people: &[(PersonId, bool, Vec<Role>)],
    ) -> Result<Vec<Glimpse>, StoreError> {
        let today = viewer.now().date_naive();
        let ids: Vec<PersonId> = people.iter().map(|(p, _, _)| *p).collect();
        let mut conn = self.store.read().await?;
        let ties = standing::ties(&mut conn, viewer, &self.policy, &ids, today).await?;
        drop(conn);
        Ok(people
            .iter()
            .map(|(id, restricted, roles)| {
                let rels = standing::relationships(ties.iter().filter(|t| t.person == *id));
                let may_open = decide(viewer.roles, &rels, RecordAction::View, None).is_allowed();
                Glimpse {
                    person: *id,
                    may_open,
                    hidden: *restricted && !(may_open && may_see_restricted(viewer.roles, roles)),
                }
            })
            .collect())
    }

    /// Whether the user may read a request for support: the requester, their own; the front
    /// door, while it waits for a decision (or for a manager's confirmation of one); anyone else only if they may open the record of
    /// everyone it is about (it tells the family's story).
    pub async fn may_read_request(
        &self,
        viewer: &Viewer<'_>,
        request: &RequestRecord,
    ) -> Result<bool, StoreError> {
        if request.requester_id == viewer.user {
            return Ok(true);
        }
        if request.status.is_open() && viewer.roles.can(Capability::DecideRequests) {
            return Ok(true);
        }
        let people: Vec<(PersonId, bool, Vec<Role>)> = request
            .people
            .iter()
            .map(|p| (*p, false, Vec::new()))
            .collect();
        Ok(!people.is_empty()
            && self
                .glimpses(viewer, &people)
                .await?
                .iter()
                .all(|g| g.may_open))
    }

    /// Opens an episode for what `need` asks of the user's permissions, or refuses (audited).
    /// Reading needs a relationship to the family; working on it needs one to this episode.
    pub async fn open_episode(
        &self,
        viewer: &Viewer<'_>,
        id: EpisodeId,
        need: impl Fn(&EpisodePermissions) -> bool,
    ) -> Result<OpenedEpisode, Closed> {
        if !viewer.roles.can(Capability::SearchFamilies) {
            return Err(self
                .refused(viewer, "episode", id.to_string(), "no capability")
                .await);
        }
        let today = viewer.now().date_naive();
        let mut conn = self.store.read().await?;
        let episode = episodes::get(&mut conn, id).await?;
        let ties = standing::ties(&mut conn, viewer, &self.policy, &episode.people, today).await?;
        // A restricted person's content needs the reason wherever it appears, episodes too.
        let restricted: Vec<PersonId> = people::restricted_among(&mut conn, &episode.people)
            .await?
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        let with_reason = openings::with_reason(&mut conn, viewer, &restricted).await?;
        let unexplained = restricted.into_iter().find(|p| !with_reason.contains(p));
        let signers = tasks::closure_signers(&mut conn, &[id]).await?;
        drop(conn);
        let standing = standing_to(&episode, viewer, &ties, &signers);
        let may = match episode_permissions(viewer.roles, &standing) {
            Some(may) if need(&may) => may,
            _ => {
                return Err(self
                    .refused(viewer, "episode", id.to_string(), "episode")
                    .await)
            }
        };
        if let Some(person) = unexplained {
            let mut conn = self.store.read().await?;
            let p = people::get(&mut conn, person).await?;
            return Err(Closed::ReasonNeeded {
                id: p.id,
                name: format!("{} {}", p.given_names, p.family_name),
            });
        }
        Ok(OpenedEpisode { episode, may })
    }

    /// The user's own worklist (their caseload, their team's): each episode they still stand
    /// to, opened for the dates and statuses a list shows. Lists are not audited one by one,
    /// and nothing in a restricted person's record is read through them; opening one asks
    /// the reason as usual.
    pub async fn worklist(
        &self,
        viewer: &Viewer<'_>,
        list: Vec<Episode>,
    ) -> Result<Vec<OpenedEpisode>, StoreError> {
        if !viewer.roles.can(Capability::SearchFamilies) {
            return Ok(Vec::new());
        }
        let today = viewer.now().date_naive();
        let mut people: Vec<PersonId> = list.iter().flat_map(|e| e.people.clone()).collect();
        people.sort();
        people.dedup();
        let mut conn = self.store.read().await?;
        let ties = standing::ties(&mut conn, viewer, &self.policy, &people, today).await?;
        let ids: Vec<EpisodeId> = list.iter().map(|e| e.id).collect();
        let signers = tasks::closure_signers(&mut conn, &ids).await?;
        drop(conn);
        Ok(list
            .into_iter()
            .filter_map(|episode| {
                let family: Vec<Tie> = ties
                    .iter()
                    .filter(|t| episode.people.contains(&t.person))
                    .copied()
                    .collect();
                episode_permissions(
                    viewer.roles,
                    &standing_to(&episode, viewer, &family, &signers),
                )
                .map(|may| OpenedEpisode { episode, may })
            })
            .collect())
    }

    /// The part of a person's family timeline this user may read (see [`ChronologyScope`]).
    pub async fn chronology_scope(
        &self,
        viewer: &Viewer<'_>,
        opened: &OpenedPerson,
    ) -> Result<ChronologyScope, StoreError> {
        scope::chronology(&self.store, viewer, opened).await
    }

    /// Breaks the glass: a user whose roles carry it opens, for a limited time and with a
    /// reason, a record they have no relationship to. Refused (audited) for anyone else, and
    /// for a record they could open anyway. The caller tells the team manager and the data
    /// protection officer.
    pub async fn break_glass(
        &self,
        viewer: &Viewer<'_>,
        id: PersonId,
        reason: &hearth_domain::access::BreakGlassReason,
    ) -> Result<DateTime<Utc>, Closed> {
        let today = viewer.now().date_naive();
        let mut conn = self.store.read().await?;
        let person = people::get(&mut conn, id).await?;
        let ties = standing::ties(&mut conn, viewer, &self.policy, &[person.id], today).await?;
        drop(conn);
        let rels = standing::relationships(ties.iter());
        if decide(viewer.roles, &rels, RecordAction::View, Some(reason))
            != Decision::AllowBreakGlass
        {
            return Err(self
                .refused(viewer, "person", person.id.to_string(), "break-glass")
                .await);
        }
        let mut tx = self.store.write().await?;
        let until = openings::insert(
            &mut tx,
            viewer,
            person.id,
            openings::BREAK_GLASS,
            reason.as_str(),
            self.policy.break_glass_minutes,
        )
        .await?;
        let mut e = viewer.audit.clone();
        e.action = AuditAction::BreakGlassUsed;
        e.record_type = Some("person");
        e.record_id = Some(person.id.to_string());
        e.reason = Some(reason.as_str().to_string());
        e.detail = Some(serde_json::json!({ "until": until.to_rfc3339() }).to_string());
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(until)
    }

    /// The people (at most `limit`) whose names have every word of `name`, and their
    /// episodes, for someone who may read the audit log (administrators, the data protection
    /// officer) to trace what was done to a person's record without opening it; for anyone
    /// else, nobody. The search is audited by its use case.
    pub async fn audit_subjects(
        &self,
        viewer: &Viewer<'_>,
        name: &str,
        limit: i64,
    ) -> Result<Vec<AuditSubject>, StoreError> {
        if !viewer.roles.can(Capability::ViewAuditLog) {
            return Ok(Vec::new());
        }
        let words: Vec<String> = name.split_whitespace().map(str::to_string).collect();
        let mut conn = self.store.read().await?;
        let named = people::named(&mut conn, &words, limit).await?;
        let ids: Vec<PersonId> = named.iter().map(|(p, _)| *p).collect();
        let episodes = episodes::for_people(&mut conn, &ids).await?;
        Ok(named
            .into_iter()
            .map(|(person, name)| AuditSubject {
                person,
                name,
                episodes: episodes
                    .iter()
                    .filter(|e| e.people.contains(&person))
                    .map(|e| e.id)
                    .collect(),
            })
            .collect())
    }

    /// Every break-glass opening since `since`, newest first, for the report.
    pub async fn break_glass_uses(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<BreakGlassUse>, StoreError> {
        let mut conn = self.store.read().await?;
        openings::break_glass_since(&mut conn, since).await
    }
}

/// How the user stands to one episode, from their ties to its people.
fn standing_to(
    episode: &Episode,
    viewer: &Viewer<'_>,
    ties: &[Tie],
    closure_signers: &[(EpisodeId, TeamId)],
) -> EpisodeStanding {
    EpisodeStanding {
        signs_closure: episode.status == EpisodeStatus::Closing
            && viewer
                .team
                .is_some_and(|t| closure_signers.contains(&(episode.id, t))),
        to_family: standing::relationships(ties.iter()),
        to_episode: standing::relationships(ties.iter().filter(|t| t.episode == Some(episode.id))),
        unowned: episode.owning_team_id.is_none(),
        closed: episode.status == EpisodeStatus::Closed,
        former_owner: episode.lead_user_id == Some(viewer.user)
            || (episode.owning_team_id.is_some() && episode.owning_team_id == viewer.team),
    }
}
