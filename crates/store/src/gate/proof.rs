//! The proofs the gate hands out. Their fields are private to the gate, so nothing outside it
//! can make one: a store function that takes a proof cannot be reached around the gate.

use crate::episodes::Episode;
use crate::family::people::Person;
use chrono::NaiveDate;
use hearth_domain::access::{EpisodePermissions, Relationship};
use hearth_domain::ids::{EpisodeId, PersonId};

/// What an opening stands on, for the audit log and the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ground {
    /// A relationship to the family (the strongest that allowed it).
    Relationship(Relationship),
    /// Break-glass: no relationship, a reason, for a limited time.
    BreakGlass,
}

/// A person's record, opened by the gate for one user, with what they may do with it.
///
/// Store functions over a person's details take this proof. With it, they compile:
///
/// ```no_run
/// # async fn f(conn: &mut hearth_store::Conn, opened: &hearth_store::gate::OpenedPerson) {
/// let _ = hearth_store::family::people::addresses(conn, opened).await;
/// # }
/// ```
///
/// A use case that skipped the gate has only an id, and does not compile:
///
/// ```compile_fail
/// # async fn f(conn: &mut hearth_store::Conn, id: hearth_domain::ids::PersonId) {
/// let _ = hearth_store::family::people::addresses(conn, id).await;
/// # }
/// ```
///
/// Nor can it make a proof for itself (the fields are the gate's):
///
/// ```compile_fail
/// # fn f(person: hearth_store::family::people::Person) {
/// let _ = hearth_store::gate::OpenedPerson {
///     person,
///     ground: hearth_store::gate::Ground::BreakGlass,
///     relationships: Vec::new(),
///     contribute: true,
///     edit: true,
///     details_withheld: false,
///     reason: None,
/// };
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct OpenedPerson {
    pub(super) person: Person,
    pub(super) ground: Ground,
    pub(super) relationships: Vec<Relationship>,
    pub(super) contribute: bool,
    pub(super) edit: bool,
    pub(super) details_withheld: bool,
    pub(super) reason: Option<String>,
}

impl OpenedPerson {
    pub fn id(&self) -> PersonId {
        self.person.id
    }

    /// The person as this user may see them: contact details blank when a restriction
    /// withholds them from this user's roles.
    pub fn person(&self) -> &Person {
        &self.person
    }

    pub fn ground(&self) -> &Ground {
        &self.ground
    }

    pub fn relationships(&self) -> &[Relationship] {
        &self.relationships
    }

    pub fn may_contribute(&self) -> bool {
        self.contribute
    }

    /// May change the person's details (`RecordAction::Edit`).
    pub fn may_edit(&self) -> bool {
        self.edit
    }

    /// A restriction hides the address and contact details from this user.
    pub fn details_withheld(&self) -> bool {
        self.details_withheld
    }

    /// The reason given to open a restricted record, or to break the glass.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }
}

/// An episode, opened by the gate for one user, with what they may do with it.
#[derive(Debug, Clone)]
pub struct OpenedEpisode {
    pub(super) episode: Episode,
    pub(super) may: EpisodePermissions,
}

impl OpenedEpisode {
    pub fn id(&self) -> EpisodeId {
        self.episode.id
    }

    pub fn episode(&self) -> &Episode {
        &self.episode
    }

    pub fn may(&self) -> EpisodePermissions {
        self.may
    }

    pub fn into_episode(self) -> Episode {
        self.episode
    }
}

/// The part of a family's timeline one user may read through one person's record: the person
/// themselves; each household member only for the time they lived together and only where
/// consent (or a lawful basis) and any restriction allow; owning-team entries only of the
/// episodes this user owns.
#[derive(Debug, Clone)]
pub struct ChronologyScope {
    pub(super) person: PersonId,
    pub(super) members: Vec<Together>,
    pub(super) owned_episodes: Vec<EpisodeId>,
}

/// A household member's time living with the person: from the first day, to the day they
/// stopped (exclusive), or still.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Together {
    pub person: PersonId,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl ChronologyScope {
    pub fn person(&self) -> PersonId {
        self.person
    }

    pub fn members(&self) -> &[Together] {
        &self.members
    }

    pub fn owned_episodes(&self) -> &[EpisodeId] {
        &self.owned_episodes
    }

    /// Everyone whose entries may show, the person first.
    pub fn people(&self) -> Vec<PersonId> {
        let mut out = vec![self.person];
        out.extend(self.members.iter().map(|m| m.person));
        out.dedup();
        out
    }
}

/// A refusal the gate has written to the audit log. [`crate`] users cannot make one, so every
/// "forbidden" answer in Hearth has been recorded.
///
/// ```compile_fail
/// let unrecorded = hearth_store::gate::Refusal { _recorded: () };
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub(super) _recorded: (),
}
