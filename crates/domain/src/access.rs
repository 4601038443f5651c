//! Who may do what to a family's record: one pure function, [`decide`].
//!
//! A role grants capabilities; a **relationship** to the family grants access to its record.
//! Partners see a record because of their part in the family's help, not because they have an
//! account. Break-glass access is possible for the roles that carry it, needs a reason and is
//! reported. The `app` layer calls [`decide`] before every read or change of personal data.

use crate::ids::TeamId;
use crate::role::{Capability, Role, RoleSet};

/// How the user stands to the family whose record they want.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relationship {
    /// None at all.
    Unrelated,
    /// A member of the family's Team Around the Family.
    TafMember,
    /// The family's lead professional.
    LeadProfessional,
    /// The Family Help Worker allocated to the family.
    AllocatedWorker,
    /// A member of the team that owns the family's episode.
    OwningTeam,
    /// The front door, while a request for support about the family is open.
    FrontDoorOpenRequest,
    /// The front-door officer who decided a request about the family, for a few days after
    /// (to answer the requester's questions): reading only.
    DecidingOfficer,
    /// The practitioner who added the person to the record, until a request about them is
    /// decided (or the window closes): they may read and add to what they recorded.
    Recorder,
    /// The practitioner who asked for help. Asking gives no access to the family's record:
    /// they see their own request's status; a decision or a TAF gives them a part.
    Requester,
}

impl Relationship {
    pub const ALL: [Relationship; 9] = [
        Relationship::Unrelated,
        Relationship::TafMember,
        Relationship::LeadProfessional,
        Relationship::AllocatedWorker,
        Relationship::OwningTeam,
        Relationship::FrontDoorOpenRequest,
        Relationship::DecidingOfficer,
        Relationship::Recorder,
        Relationship::Requester,
    ];

    /// Partners in the family's help by agreement, whose access rests on consent.
    pub fn rests_on_consent(self) -> bool {
        matches!(
            self,
            Relationship::TafMember | Relationship::Requester | Relationship::Recorder
        )
    }

    /// Relationships that come with responsibility for an episode's work (and its
    /// owning-team notes).
    pub fn owns_work(self) -> bool {
        matches!(
            self,
            Relationship::OwningTeam
                | Relationship::LeadProfessional
                | Relationship::AllocatedWorker
        )
    }
}

/// A practitioner's or a team's recorded part in a person's life, as the store keeps it. Each
/// is a [`Relationship`] to the family while it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvolvementRole {
    LeadProfessional,
    AllocatedWorker,
    TafMember,
    OwningTeam,
    /// Asked for help for the person (no access to the record by itself).
    Requester,
    /// Added the person to the record (access until a request about them is decided, or the
    /// gate's window closes).
    Recorder,
    /// Decided a request about the person, for a few days after.
    DecidingOfficer,
}

impl InvolvementRole {
    pub const ALL: [InvolvementRole; 7] = [
        InvolvementRole::LeadProfessional,
        InvolvementRole::AllocatedWorker,
        InvolvementRole::TafMember,
        InvolvementRole::OwningTeam,
        InvolvementRole::Requester,
        InvolvementRole::Recorder,
        InvolvementRole::DecidingOfficer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            InvolvementRole::LeadProfessional => "lead_professional",
            InvolvementRole::AllocatedWorker => "allocated_worker",
            InvolvementRole::TafMember => "taf_member",
            InvolvementRole::OwningTeam => "owning_team",
            InvolvementRole::Requester => "requester",
            InvolvementRole::Recorder => "recorder",
            InvolvementRole::DecidingOfficer => "deciding_officer",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// As a practitioner would say it on a page.
    pub fn label(self) -> &'static str {
        match self {
            InvolvementRole::LeadProfessional => "Lead professional",
            InvolvementRole::AllocatedWorker => "Family Help Worker",
            InvolvementRole::TafMember => "Team Around the Family",
            InvolvementRole::OwningTeam => "Team responsible",
            InvolvementRole::Requester => "Asked for help",
            InvolvementRole::Recorder => "Added to the record",
            InvolvementRole::DecidingOfficer => "Front door decision",
        }
    }

    pub fn relationship(self) -> Relationship {
        match self {
            InvolvementRole::LeadProfessional => Relationship::LeadProfessional,
            InvolvementRole::AllocatedWorker => Relationship::AllocatedWorker,
            InvolvementRole::TafMember => Relationship::TafMember,
            InvolvementRole::OwningTeam => Relationship::OwningTeam,
            InvolvementRole::Requester => Relationship::Requester,
            InvolvementRole::Recorder => Relationship::Recorder,
            InvolvementRole::DecidingOfficer => Relationship::DecidingOfficer,
        }
    }
}

/// What the user wants to do with the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordAction {
    /// See name, age, area and who is involved, never the content.
    ContactSearch,
    /// Open and read the record.
    View,
    /// Add a case note or other contribution.
    Contribute,
    /// Change the family's details, assessment or plan.
    Edit,
    /// Allocate, step up or down, close.
    ManageEpisode,
}

impl RecordAction {
    pub const ALL: [RecordAction; 5] = [
        RecordAction::ContactSearch,
        RecordAction::View,
        RecordAction::Contribute,
        RecordAction::Edit,
        RecordAction::ManageEpisode,
    ];
}

/// A reason given for break-glass access; it must say something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakGlassReason(String);

impl BreakGlassReason {
    /// At least a short sentence: a reviewer must be able to judge it later.
    pub fn new(text: &str) -> Option<Self> {
        let text = text.trim();
        (text.chars().count() >= 10).then(|| Self(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The answer, with the ground it stands on so it can be audited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow(Relationship),
    /// Allowed only because the user broke the glass; report it.
    AllowBreakGlass,
    Deny(DenyReason),
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        !matches!(self, Decision::Deny(_))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenyReason {
    /// No role the user holds lets them do this at all.
    NoCapability,
    /// The user's roles allow it, but they have no part in this family's help.
    NoRelationship,
}

/// Decide whether someone holding `roles`, standing to a family in `relationships`, may take
/// `action` on its record. `break_glass` is only honoured for viewing, by roles that carry it.
pub fn decide(
    roles: &RoleSet,
    relationships: &[Relationship],
    action: RecordAction,
    break_glass: Option<&BreakGlassReason>,
) -> Decision {
    use Relationship::*;

    if !roles.can(Capability::SearchFamilies) {
        return Decision::Deny(DenyReason::NoCapability);
    }
    if action == RecordAction::ContactSearch {
        return Decision::Allow(Unrelated);
    }
    if action == RecordAction::ManageEpisode
        && !(roles.can(Capability::LeadFamilies) || roles.can(Capability::DecideRequests))
    {
        return Decision::Deny(DenyReason::NoCapability);
    }

    let grants = |rel: Relationship| match action {
        RecordAction::ContactSearch => true,
        RecordAction::View => !matches!(rel, Unrelated | Requester),
        RecordAction::Contribute => matches!(
            rel,
            TafMember | LeadProfessional | AllocatedWorker | OwningTeam | Recorder
        ),
        RecordAction::Edit => matches!(
            rel,
            LeadProfessional | AllocatedWorker | OwningTeam | FrontDoorOpenRequest
        ),
        // The front door decides requests; it manages no episode because a request is open.
        RecordAction::ManageEpisode => match rel {
            LeadProfessional | AllocatedWorker => roles.can(Capability::LeadFamilies),
            OwningTeam => roles.can(Capability::AllocateWork),
            TafMember | Unrelated | Requester | Recorder | FrontDoorOpenRequest
            | DecidingOfficer => false,
        },
    };
    if let Some(rel) = relationships.iter().copied().find(|r| grants(*r)) {
        return Decision::Allow(rel);
    }
    if action == RecordAction::View && break_glass.is_some() && roles.can(Capability::BreakGlass) {
        return Decision::AllowBreakGlass;
    }
    Decision::Deny(DenyReason::NoRelationship)
}

/// The roles a restriction may name to see what it hides (a person's address and contact
/// details): the roles that work with families' records.
pub const RESTRICTION_ROLES: [Role; 5] = [
    Role::Practitioner,
    Role::LeadProfessional,
    Role::FrontDoorOfficer,
    Role::FamilyHelpWorker,
    Role::TeamManager,
];

/// The roles offered first when a restriction is recorded: the front door, which decides who
/// helps, and the managers who answer for it.
pub const DEFAULT_RESTRICTION_ROLES: [Role; 2] = [Role::FrontDoorOfficer, Role::TeamManager];

/// Whether someone holding `roles` may see the details a restriction hides on a record that
/// names `named`. Opening the record at all is still [`decide`]'s answer; this only says
/// whether, once open, the hidden details show.
pub fn may_see_restricted(roles: &RoleSet, named: &[Role]) -> bool {
    named.iter().any(|r| roles.has(*r))
}

/// Where a person's consent to share stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentState {
    /// Consent given and neither expired nor withdrawn.
    Given,
    /// Consent was given and has been withdrawn (or has expired).
    Withdrawn,
    /// No consent recorded.
    NotRecorded,
}

/// Whether a consent's "who it may be shared with" covers an organisation: it names it (any
/// case, any spacing). A consent to share with "the TAF" does not send a family's details to
/// a service outside it; the practitioner records consent naming the organisation.
pub fn consent_names(share_with: &str, organisation: &str) -> bool {
    let words = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let organisation = words(organisation);
    !organisation.is_empty() && words(share_with).contains(&organisation)
}

/// Where consent stands for sharing with one organisation, from a person's consent records
/// as (who it may be shared with, live today). Records that name the organisation decide for
/// it (given if any is live, withdrawn otherwise), so a family who withdraw consent for one
/// agency on their own page take that agency out at once and leave the others; with no record
/// naming it, `None`: the person's consent as a whole decides, as before.
pub fn consent_for_organisation(
    records: &[(&str, bool)],
    organisation: &str,
) -> Option<ConsentState> {
    let naming: Vec<bool> = records
        .iter()
        .filter(|(share_with, _)| consent_names(share_with, organisation))
        .map(|(_, live)| *live)
        .collect();
    match naming.as_slice() {
        [] => None,
        live if live.contains(&true) => Some(ConsentState::Given),
        _ => Some(ConsentState::Withdrawn),
    }
}

/// Whether a relationship still grants access given the person's consent. Partners who are in
/// the family's help by agreement (TAF members, requesters) lose access when consent is
/// withdrawn, unless sharing rests on a recorded lawful basis; those who hold a statutory or
/// lead role keep it, so that safeguarding work can continue.
pub fn consent_allows(
    relationship: Relationship,
    consent: ConsentState,
    lawful_basis_recorded: bool,
) -> bool {
    !relationship.rests_on_consent() || consent != ConsentState::Withdrawn || lawful_basis_recorded
}

/// What a user may do with one episode. Only relationships *to that episode* (its TAF, its
/// lead, its owning team) give work on it; a relationship to the family from elsewhere (an
/// open request, another episode, having recorded a person) lets them read it, no more.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EpisodePermissions {
    pub contribute: bool,
    pub edit: bool,
    pub manage: bool,
    /// Read (and write) notes restricted to the owning team.
    pub restricted_notes: bool,
    pub allocate: bool,
    pub sign_off: bool,
    /// After closure: answer whether the family's outcomes were sustained (its last lead and
    /// owning team, who set the outcomes with the family).
    pub follow_up: bool,
}

/// How the user stands to one episode, gathered by the gate.
#[derive(Debug, Clone, Default)]
pub struct EpisodeStanding {
    /// Relationships to the family from anywhere (they decide reading).
    pub to_family: Vec<Relationship>,
    /// Relationships to this episode (they decide working on it).
    pub to_episode: Vec<Relationship>,
    /// The episode has no owning team yet and waits for allocation.
    pub unowned: bool,
    pub closed: bool,
    /// The user led it, or is in the team that owned it, before it closed.
    pub former_owner: bool,
    /// The closure waits for sign-off by the user's team (see [`closure_signing_team`]).
    pub signs_closure: bool,
}

/// A team that could sign off a closure, and whether anyone active in it holds a manager's
/// sign-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningCandidate {
    pub team: TeamId,
    pub has_signer: bool,
}

/// Which team signs off a recorded closure: the team that owns the episode when it has a
/// manager; else the lead's own team when it has one (a partner's lead answers to their own
/// line manager); else the team the partnership names to sign partner-led closures. Without
/// any of these the owning team keeps it, as before.
pub fn closure_signing_team(
    owning: Option<SigningCandidate>,
    lead_team: Option<SigningCandidate>,
    approver: Option<TeamId>,
) -> Option<TeamId> {
    [owning, lead_team]
        .into_iter()
        .flatten()
        .find(|c| c.has_signer)
        .map(|c| c.team)
        .or(approver)
        .or(owning.map(|c| c.team))
}

/// Whether the user may read the episode at all, and what they may do with it.
pub fn episode_permissions(roles: &RoleSet, s: &EpisodeStanding) -> Option<EpisodePermissions> {
    let all: Vec<Relationship> = s.to_family.iter().chain(&s.to_episode).copied().collect();
    // Whoever must sign a closure off reads the episode to judge it, related or not.
    let signer = s.signs_closure && !s.closed && roles.can(Capability::SignOff);
    let may_view = decide(roles, &all, RecordAction::View, None).is_allowed()
        || (s.closed && s.former_owner && roles.can(Capability::SearchFamilies))
        || signer;
    if !may_view {
        return None;
    }
    let owning = s.to_episode.iter().any(|r| r.owns_work());
    if s.closed {
        // A closed episode is read-only; its last lead and owning team still read all of it
        // (to follow up whether outcomes were sustained, and for supervision).
        return Some(EpisodePermissions {
            restricted_notes: owning || s.former_owner,
            follow_up: (owning || s.former_owner) && roles.can(Capability::SearchFamilies),
            ..EpisodePermissions::default()
        });
    }
    let allowed = |a| decide(roles, &s.to_episode, a, None).is_allowed();
    let of_team = s.to_episode.contains(&Relationship::OwningTeam)
        || (s.unowned && roles.can(Capability::AllocateWork));
    Some(EpisodePermissions {
        contribute: allowed(RecordAction::Contribute),
        edit: allowed(RecordAction::Edit),
        manage: allowed(RecordAction::ManageEpisode),
        restricted_notes: owning,
        allocate: of_team && roles.can(Capability::AllocateWork),
        sign_off: (of_team && roles.can(Capability::SignOff)) || signer,
        // Whether outcomes lasted is asked once the help has ended.
        follow_up: false,
    })
}

#[cfg(test)]
mod consent_names_tests {
    use super::consent_names;

    #[test]
    fn a_consent_covers_the_organisations_it_names() {
        assert!(consent_names(
            "The school and  Riverside family   HUB",
            "Riverside Family Hub"
        ));
        assert!(!consent_names(
            "The Team Around the Family",
            "Riverside Family Hub"
        ));
        assert!(!consent_names("Anyone", ""));
    }

    #[test]
    fn consent_for_one_organisation_is_decided_by_the_records_naming_it() {
        use super::{consent_for_organisation, ConsentState::*};
        let records = [
            ("Riverside School", false),
            ("Meadows Health Visiting", true),
            ("Riverside School and the TAF", false),
            ("Bestwood Housing", false),
            ("Bestwood Housing", true),
        ];
        let table = [
            ("Riverside School", Some(Withdrawn)),
            ("Meadows Health Visiting", Some(Given)),
            ("Bestwood Housing", Some(Given)),
            ("Police", None),
            ("", None),
        ];
        for (organisation, expected) in table {
            assert_eq!(
                consent_for_organisation(&records, organisation),
                expected,
                "{organisation}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_roles_a_restriction_names_see_what_it_hides() {
        let named = [Role::FamilyHelpWorker];
        assert!(may_see_restricted(
            &RoleSet::new([Role::Practitioner, Role::FamilyHelpWorker]),
            &named
        ));
        assert!(!may_see_restricted(
            &RoleSet::new([Role::TeamManager, Role::Administrator]),
            &named
        ));
        assert!(!may_see_restricted(&RoleSet::new(Role::ALL), &[]));
    }

    /// The access matrix, written out by hand so the rules are visible in one place.
    /// Columns are the roles in [`Role::ALL`] order:
    /// Practitioner, Lead professional, Front door officer, Family Help Worker, Team manager,
    /// Directory editor, Directory reviewer, Analyst, Data protection officer, Administrator,
    /// Family Hub worker (who never opens a family's record: hub registrations are their own).
    /// `Y` allowed, `.` denied.
    const MATRIX: &[(RecordAction, Relationship, &str)] = {
        use RecordAction as A;
        use Relationship as R;
        &[
            (A::ContactSearch, R::Unrelated, "YYYYY......"),
            (A::ContactSearch, R::TafMember, "YYYYY......"),
            (A::ContactSearch, R::LeadProfessional, "YYYYY......"),
            (A::ContactSearch, R::AllocatedWorker, "YYYYY......"),
            (A::ContactSearch, R::OwningTeam, "YYYYY......"),
            (A::ContactSearch, R::FrontDoorOpenRequest, "YYYYY......"),
            (A::ContactSearch, R::DecidingOfficer, "YYYYY......"),
            (A::ContactSearch, R::Recorder, "YYYYY......"),
            (A::ContactSearch, R::Requester, "YYYYY......"),
            (A::View, R::Unrelated, "..........."),
            (A::View, R::TafMember, "YYYYY......"),
            (A::View, R::LeadProfessional, "YYYYY......"),
            (A::View, R::AllocatedWorker, "YYYYY......"),
            (A::View, R::OwningTeam, "YYYYY......"),
            (A::View, R::FrontDoorOpenRequest, "YYYYY......"),
            (A::View, R::DecidingOfficer, "YYYYY......"),
            (A::View, R::Recorder, "YYYYY......"),
            (A::View, R::Requester, "..........."),
            (A::Contribute, R::Unrelated, "..........."),
            (A::Contribute, R::TafMember, "YYYYY......"),
            (A::Contribute, R::LeadProfessional, "YYYYY......"),
            (A::Contribute, R::AllocatedWorker, "YYYYY......"),
            (A::Contribute, R::OwningTeam, "YYYYY......"),
            (A::Contribute, R::FrontDoorOpenRequest, "..........."),
            (A::Contribute, R::DecidingOfficer, "..........."),
            (A::Contribute, R::Recorder, "YYYYY......"),
            (A::Contribute, R::Requester, "..........."),
            (A::Edit, R::Unrelated, "..........."),
            (A::Edit, R::TafMember, "..........."),
            (A::Edit, R::LeadProfessional, "YYYYY......"),
            (A::Edit, R::AllocatedWorker, "YYYYY......"),
            (A::Edit, R::OwningTeam, "YYYYY......"),
            (A::Edit, R::FrontDoorOpenRequest, "YYYYY......"),
            (A::Edit, R::DecidingOfficer, "..........."),
            (A::Edit, R::Recorder, "..........."),
            (A::Edit, R::Requester, "..........."),
            (A::ManageEpisode, R::Unrelated, "..........."),
            (A::ManageEpisode, R::TafMember, "..........."),
            (A::ManageEpisode, R::LeadProfessional, ".Y.YY......"),
            (A::ManageEpisode, R::AllocatedWorker, ".Y.YY......"),
            (A::ManageEpisode, R::OwningTeam, "....Y......"),
            (A::ManageEpisode, R::FrontDoorOpenRequest, "..........."),
            (A::ManageEpisode, R::DecidingOfficer, "..........."),
            (A::ManageEpisode, R::Recorder, "..........."),
            (A::ManageEpisode, R::Requester, "..........."),
        ]
    };

    #[test]
    fn the_matrix_covers_every_action_and_relationship() {
        assert_eq!(
            MATRIX.len(),
            RecordAction::ALL.len() * Relationship::ALL.len()
        );
        for action in RecordAction::ALL {
            for rel in Relationship::ALL {
                assert!(
                    MATRIX.iter().any(|(a, r, _)| *a == action && *r == rel),
                    "{action:?} × {rel:?} missing from the matrix"
                );
            }
        }
    }

    #[test]
    fn every_role_relationship_and_action_decides_as_the_matrix_says() {
        for (action, rel, row) in MATRIX {
            for (role, expected) in Role::ALL.iter().zip(row.chars()) {
                let decision = decide(&RoleSet::new([*role]), &[*rel], *action, None);
                assert_eq!(
                    decision.is_allowed(),
                    expected == 'Y',
                    "{role:?} with {rel:?} doing {action:?}: got {decision:?}"
                );
            }
        }
    }

    #[test]
    fn break_glass_lets_only_its_roles_view_and_is_marked() {
        let reason = BreakGlassReason::new("Police called out of hours about the children");
        for role in Role::ALL {
            let roles = RoleSet::new([role]);
            let d = decide(
                &roles,
                &[Relationship::Unrelated],
                RecordAction::View,
                reason.as_ref(),
            );
            if roles.can(Capability::BreakGlass) {
                assert_eq!(d, Decision::AllowBreakGlass, "{role:?}");
            } else {
                assert!(!d.is_allowed(), "{role:?} must not break the glass");
            }
            let edit = decide(
                &roles,
                &[Relationship::Unrelated],
                RecordAction::Edit,
                reason.as_ref(),
            );
            assert!(
                !edit.is_allowed(),
                "break-glass never grants {role:?} an edit"
            );
        }
    }

    #[test]
    fn withdrawn_consent_removes_partners_unless_there_is_a_lawful_basis() {
        use ConsentState::*;
        use Relationship::*;
        let table = [
            (TafMember, Given, false, true),
            (TafMember, NotRecorded, false, true),
            (TafMember, Withdrawn, false, false),
            (TafMember, Withdrawn, true, true),
            (Requester, Withdrawn, false, false),
            (Recorder, Withdrawn, false, false),
            (Recorder, Withdrawn, true, true),
            (LeadProfessional, Withdrawn, false, true),
            (OwningTeam, Withdrawn, false, true),
            (FrontDoorOpenRequest, Withdrawn, false, true),
        ];
        for (rel, consent, basis, expected) in table {
            assert_eq!(
                consent_allows(rel, consent, basis),
                expected,
                "{rel:?} {consent:?} {basis}"
            );
        }
    }

    #[test]
    fn a_break_glass_reason_must_say_something() {
        assert!(BreakGlassReason::new("   because ").is_none());
        assert!(BreakGlassReason::new("Urgent call from A&E about the baby").is_some());
    }

    #[test]
    fn the_strongest_of_several_relationships_is_used() {
        let roles = RoleSet::new([Role::TeamManager]);
        let d = decide(
            &roles,
            &[Relationship::TafMember, Relationship::OwningTeam],
            RecordAction::ManageEpisode,
            None,
        );
        assert_eq!(d, Decision::Allow(Relationship::OwningTeam));
    }

    #[test]
    fn only_a_relationship_to_the_episode_gives_work_on_it() {
        let manager = RoleSet::new([Role::TeamManager, Role::FrontDoorOfficer]);
        // Owning another episode of the same family, with a request open: read only.
        let elsewhere = EpisodeStanding {
            to_family: vec![Relationship::OwningTeam, Relationship::FrontDoorOpenRequest],
            ..EpisodeStanding::default()
        };
        assert_eq!(
            episode_permissions(&manager, &elsewhere),
            Some(EpisodePermissions::default())
        );
        let owner = EpisodeStanding {
            to_episode: vec![Relationship::OwningTeam],
            ..EpisodeStanding::default()
        };
        let may = episode_permissions(&manager, &owner).expect("the owning team reads it");
        assert!(may.manage && may.restricted_notes && may.allocate && may.sign_off);
        let closed = EpisodeStanding {
            closed: true,
            former_owner: true,
            ..EpisodeStanding::default()
        };
        let may = episode_permissions(&manager, &closed).expect("its former owner reads it");
        assert!(may.restricted_notes && may.follow_up && !may.contribute && !may.manage);
        // Another team's practitioner in the family's TAF reads it, but does not follow it up.
        let taf = EpisodeStanding {
            closed: true,
            to_family: vec![Relationship::TafMember],
            ..EpisodeStanding::default()
        };
        let may = episode_permissions(&RoleSet::new([Role::Practitioner]), &taf)
            .expect("a TAF member reads it");
        assert!(!may.follow_up && !may.restricted_notes);
        assert_eq!(
            episode_permissions(&manager, &EpisodeStanding::default()),
            None
        );
    }

    #[test]
    fn a_closure_is_signed_by_the_owning_team_then_the_leads_own_manager_then_the_approver() {
        let (owning, lead, approver) = (TeamId::new(), TeamId::new(), TeamId::new());
        let with = |team, has_signer| Some(SigningCandidate { team, has_signer });
        assert_eq!(
            closure_signing_team(with(owning, true), with(lead, true), Some(approver)),
            Some(owning)
        );
        // A partner's lead whose team has a manager: their own line manager signs.
        assert_eq!(
            closure_signing_team(with(owning, false), with(lead, true), Some(approver)),
            Some(lead)
        );
        // Nobody in the partner's team may sign: the partnership's approver does.
        assert_eq!(
            closure_signing_team(with(lead, false), with(lead, false), Some(approver)),
            Some(approver)
        );
        assert_eq!(
            closure_signing_team(with(owning, false), None, None),
            Some(owning)
        );
    }

    #[test]
    fn whoever_must_sign_a_closure_off_reads_it_and_signs_only_with_a_managers_role() {
        let signing = EpisodeStanding {
            signs_closure: true,
            ..EpisodeStanding::default()
        };
        let manager = RoleSet::new([Role::TeamManager]);
        let may = episode_permissions(&manager, &signing).expect("the signer reads it");
        assert!(may.sign_off && !may.manage && !may.contribute && !may.restricted_notes);
        let worker = RoleSet::new([Role::FamilyHelpWorker]);
        assert_eq!(episode_permissions(&worker, &signing), None);
        let closed = EpisodeStanding {
            closed: true,
            ..signing
        };
        assert_eq!(episode_permissions(&manager, &closed), None);
    }

    #[test]
    fn roles_without_family_work_are_denied_for_lack_of_capability() {
        let analyst = RoleSet::new([Role::Analyst]);
        let d = decide(
            &analyst,
            &[Relationship::TafMember],
            RecordAction::View,
            None,
        );
        assert_eq!(d, Decision::Deny(DenyReason::NoCapability));
    }
}
