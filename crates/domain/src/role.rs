//! Roles and the capabilities they grant.
//!
//! A role says what kind of work someone does; a capability is one thing the system lets them
//! do. Access to a particular family's record needs a *relationship* too (see [`crate::access`]).

use crate::ids::TeamId;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The roles a partnership gives its staff. A user may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Practitioner,
    LeadProfessional,
    FrontDoorOfficer,
    FamilyHelpWorker,
    TeamManager,
    DirectoryEditor,
    DirectoryReviewer,
    Analyst,
    DataProtectionOfficer,
    Administrator,
    /// Family Hub staff: register families light-touch, run sessions and mark registers,
    /// without opening families' full records.
    HubWorker,
    /// A TAF Worker in a Family Hub: advises lead professionals and writes practice guidance.
    TafWorker,
    /// A quality assurance officer: audits and moderates case files in samples, and reads the
    /// themes; opens a family's record only for a case file in a sample.
    QualityAuditor,
    /// A social worker in children's social care: records children coming into care, asks
    /// the placements team for a home, with the child's wishes in their own words.
    SocialWorker,
    /// A commissioning officer in the placements team: keeps homes, carers and vacancies
    /// current, ranks homes for a request and places children.
    PlacementsOfficer,
    /// An analyst of partners' data for early identification: registers datasets, imports
    /// partners' files and decides uncertain matches, seeing the people in them (unlike an
    /// analyst, who sees aggregates only).
    PartnerDataAnalyst,
    /// The Supporting Families programme lead: makes the quarter's claim, audits its sample,
    /// signs it off and sends the programme's data return, opening the families in them.
    ProgrammeLead,
}

impl Role {
    pub const ALL: [Role; 17] = [
        Role::Practitioner,
        Role::LeadProfessional,
        Role::FrontDoorOfficer,
        Role::FamilyHelpWorker,
        Role::TeamManager,
        Role::DirectoryEditor,
        Role::DirectoryReviewer,
        Role::Analyst,
        Role::DataProtectionOfficer,
        Role::Administrator,
        Role::HubWorker,
        Role::TafWorker,
        Role::QualityAuditor,
        Role::SocialWorker,
        Role::PlacementsOfficer,
        Role::PartnerDataAnalyst,
        Role::ProgrammeLead,
    ];

    /// The stable code stored in the database and used in forms.
    pub fn code(self) -> &'static str {
        match self {
            Role::Practitioner => "practitioner",
            Role::LeadProfessional => "lead_professional",
            Role::FrontDoorOfficer => "front_door_officer",
            Role::FamilyHelpWorker => "family_help_worker",
            Role::TeamManager => "team_manager",
            Role::DirectoryEditor => "directory_editor",
            Role::DirectoryReviewer => "directory_reviewer",
            Role::Analyst => "analyst",
            Role::DataProtectionOfficer => "data_protection_officer",
            Role::Administrator => "administrator",
            Role::HubWorker => "hub_worker",
            Role::TafWorker => "taf_worker",
            Role::QualityAuditor => "quality_auditor",
            Role::SocialWorker => "social_worker",
            Role::PlacementsOfficer => "placements_officer",
            Role::PartnerDataAnalyst => "partner_data_analyst",
            Role::ProgrammeLead => "programme_lead",
        }
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Role::Practitioner => "Practitioner",
            Role::LeadProfessional => "Lead professional",
            Role::FrontDoorOfficer => "Front door officer",
            Role::FamilyHelpWorker => "Family Help Worker",
            Role::TeamManager => "Team manager",
            Role::DirectoryEditor => "Directory editor",
            Role::DirectoryReviewer => "Directory reviewer",
            Role::Analyst => "Analyst",
            Role::DataProtectionOfficer => "Data protection officer",
            Role::Administrator => "Administrator",
            Role::HubWorker => "Family Hub worker",
            Role::TafWorker => "TAF Worker",
            Role::QualityAuditor => "Quality auditor",
            Role::SocialWorker => "Social worker",
            Role::PlacementsOfficer => "Placements commissioning officer",
            Role::PartnerDataAnalyst => "Partner data analyst",
            Role::ProgrammeLead => "Supporting Families programme lead",
        }
    }

    /// What the role lets someone do, anywhere in the system.
    pub fn capabilities(self) -> &'static [Capability] {
        use Capability::*;
        match self {
            Role::Practitioner => &[RequestSupport, SearchFamilies, AnswerServiceRequests],
            Role::LeadProfessional => &[
                RequestSupport,
                SearchFamilies,
                LeadFamilies,
                AnswerServiceRequests,
            ],
            Role::FrontDoorOfficer => &[
                RequestSupport,
                SearchFamilies,
                DecideRequests,
                BreakGlass,
                WorkIdentification,
            ],
            Role::FamilyHelpWorker => &[
                RequestSupport,
                SearchFamilies,
                LeadFamilies,
                AnswerServiceRequests,
            ],
            Role::TeamManager => &[
                RequestSupport,
                AnswerServiceRequests,
                SearchFamilies,
                LeadFamilies,
                DecideRequests,
                AllocateWork,
                SignOff,
                BreakGlass,
                MergeRecords,
                ViewReports,
                EditPracticeGuidance,
                AuditCaseFiles,
            ],
            Role::DirectoryEditor => &[EditDirectory],
            Role::DirectoryReviewer => &[EditDirectory, ReviewDirectory],
            Role::Analyst => &[ViewReports, ProduceReturns],
            Role::DataProtectionOfficer => &[ViewAuditLog, ManageInformationRights, ViewReports],
            Role::Administrator => &[ManageOrganisations, ManageUsers, ViewAuditLog],
            Role::HubWorker => &[RunHubSessions],
            Role::TafWorker => &[
                RequestSupport,
                SearchFamilies,
                AdviseLeadProfessionals,
                EditPracticeGuidance,
                WorkIdentification,
            ],
            Role::QualityAuditor => &[AuditCaseFiles, ViewReports],
            Role::SocialWorker => &[
                RequestSupport,
                SearchFamilies,
                LeadFamilies,
                RequestPlacements,
            ],
            Role::PlacementsOfficer => &[CommissionPlacements],
            Role::PartnerDataAnalyst => &[MatchPartnerData, ViewReports],
            Role::ProgrammeLead => &[ClaimProgrammeResults, ViewReports],
        }
    }

    /// True when the role reaches families' records (see [`Capability::over_family_records`]).
    pub fn over_family_records(self) -> bool {
        self.capabilities().iter().any(|c| c.over_family_records())
    }

    /// Roles one administrator cannot give alone (separation of duties): every role that
    /// reaches families' records, and the administrator role itself — otherwise one
    /// administrator could make a second administrator account to approve their own changes.
    pub fn needs_second_administrator(self) -> bool {
        self.over_family_records() || self == Role::Administrator
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A role code that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a role; choose one of: practitioner, lead_professional, front_door_officer, family_help_worker, team_manager, directory_editor, directory_reviewer, analyst, data_protection_officer, administrator, hub_worker, taf_worker, quality_auditor, social_worker, placements_officer, partner_data_analyst, programme_lead")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s.trim())
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

/// One thing the system lets a user do, independent of any particular family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capability {
    /// Ask for help for a family (a request for support).
    RequestSupport,
    /// Search for people and see the contact-search view (who is involved, never the content).
    SearchFamilies,
    /// Act as lead professional or allocated worker for a family.
    LeadFamilies,
    /// Decide requests for support at the front door.
    DecideRequests,
    /// Allocate and re-allocate work within a team.
    AllocateWork,
    /// Sign off assessments, plans and closures.
    SignOff,
    /// Open a record without a relationship, giving a reason that is reported.
    BreakGlass,
    /// Merge two records of the same person, and undo a merge.
    MergeRecords,
    /// Edit the directory of services (one's own organisation's; the changes are reviewed).
    EditDirectory,
    /// Publish changes to any service in the directory, and review partners' changes.
    ReviewDirectory,
    /// See and answer the requests for a service that families' practitioners send to one's
    /// organisation.
    AnswerServiceRequests,
    /// See reports and KPIs (aggregate, not personal records).
    ViewReports,
    /// Search the audit log.
    ViewAuditLog,
    /// Consent, subject access requests and retention.
    ManageInformationRights,
    /// Create and change organisations and teams.
    ManageOrganisations,
    /// Create, change and deactivate user accounts.
    ManageUsers,
    /// Produce the person-level returns an inspection or a regional dataset asks for (Ofsted's
    /// Annex A, the Standard Safeguarding Dataset): ids, sex, ethnicity and dates of birth of
    /// children, in bulk, never names.
    ProduceReturns,
    /// Register families at a Family Hub, set up its programmes and sessions, book families
    /// on them and mark registers: the hub's own registration and attendance, never the
    /// family's full record.
    RunHubSessions,
    /// Write and publish the partnership's practice guidance: the Threshold of Need and the
    /// toolkits.
    EditPracticeGuidance,
    /// Answer lead professionals' requests for advice sent to one's Family Hub (TAF Workers).
    AdviseLeadProfessionals,
    /// Draw samples of case files, audit and moderate them, set actions to workers and read
    /// the themes: a case file opens only while it is in a sample.
    AuditCaseFiles,
    /// Record children coming into care and ask the placements team for a home for a child
    /// in care one is allocated to (or whose team holds their care).
    RequestPlacements,
    /// Keep homes, carers and vacancies current, read placement requests with the homes ranked
    /// for them, and place children (the placements team).
    CommissionPlacements,
    /// Register partners' datasets, import their files and decide uncertain matches in the
    /// clerical review queue (early identification).
    MatchPartnerData,
    /// Work the early identification worklist: families identified from partners' data, not
    /// yet supported, with their reasons; record what was done.
    WorkIdentification,
    /// Make the Supporting Families claims and data return: opens the families in them (their
    /// needs, working, outcomes and evidence), each opening audited.
    ClaimProgrammeResults,
}

impl Capability {
    /// True for what reaches families' personal records: searching them, asking for or
    /// deciding help, leading, allocating, signing off, break-glass, merging, answering
    /// requests for a service, consent and subject access, and person-level returns. Reports
    /// (aggregate), the
    /// directory, the audit log and administration do not.
    pub fn over_family_records(self) -> bool {
        use Capability::*;
        match self {
            RequestSupport
            | SearchFamilies
            | LeadFamilies
            | DecideRequests
            | AllocateWork
            | SignOff
            | BreakGlass
            | MergeRecords
            | AnswerServiceRequests
            | ManageInformationRights
            | ProduceReturns
            | RunHubSessions
            | AdviseLeadProfessionals
            | AuditCaseFiles
            | RequestPlacements
            | CommissionPlacements
            | MatchPartnerData
            | WorkIdentification
            | ClaimProgrammeResults => true,
            EditDirectory | ReviewDirectory | ViewReports | ViewAuditLog | ManageOrganisations
            | ManageUsers | EditPracticeGuidance => false,
        }
    }
}

/// The roles one user holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleSet(Vec<Role>);

impl RoleSet {
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        let mut roles: Vec<Role> = roles.into_iter().collect();
        roles.sort();
        roles.dedup();
        Self(roles)
    }

    pub fn roles(&self) -> &[Role] {
        &self.0
    }

    pub fn has(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    /// True when any of the roles grants the capability.
    pub fn can(&self, capability: Capability) -> bool {
        self.0
            .iter()
            .any(|r| r.capabilities().contains(&capability))
    }
}

/// An administrator's change to an account, split by separation of duties into what takes
/// effect at once and what waits for a second administrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeparatedChange {
    /// The roles the account holds at once: removals apply now (they only reduce access),
    /// and so do additions of roles that reach no family record.
    pub roles_now: RoleSet,
    /// The team the account is in at once.
    pub team_now: Option<TeamId>,
    /// What waits for a second administrator, if anything.
    pub pending: Option<PendingGrant>,
}

/// Where a role change waiting for a second administrator stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleChangeStatus {
    Pending,
    Approved,
    Rejected,
    /// Replaced by a newer proposal for the same account, or taken back by its proposer,
    /// before anyone decided it.
    Withdrawn,
}

impl RoleChangeStatus {
    pub const ALL: [RoleChangeStatus; 4] = [
        RoleChangeStatus::Pending,
        RoleChangeStatus::Approved,
        RoleChangeStatus::Rejected,
        RoleChangeStatus::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RoleChangeStatus::Pending => "pending",
            RoleChangeStatus::Approved => "approved",
            RoleChangeStatus::Rejected => "rejected",
            RoleChangeStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Roles to add and a team to move to, waiting for a second administrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingGrant {
    /// Roles to add (never empty unless the team changes).
    pub roles: RoleSet,
    /// `Some(team)` when the account moves team (to `None`: no team).
    pub team: Option<Option<TeamId>>,
}

/// Splits a change from (`before`, `before_team`) to (`after`, `after_team`): roles that
/// [need a second administrator](Role::needs_second_administrator) wait, and so does a new
/// team for an account that will hold a family-record role (the team decides which families'
/// records it reaches). An account being made has no roles and no team before.
pub fn separate_duties(
    before: &RoleSet,
    before_team: Option<TeamId>,
    after: &RoleSet,
    after_team: Option<TeamId>,
) -> SeparatedChange {
    let (waiting, now): (Vec<Role>, Vec<Role>) = after
        .roles()
        .iter()
        .partition(|r| !before.has(**r) && r.needs_second_administrator());
    let roles_now = RoleSet::new(now);
    let will_reach_families = roles_now
        .roles()
        .iter()
        .chain(waiting.iter())
        .any(|r| r.over_family_records());
    let team_waits = after_team != before_team && will_reach_families;
    let pending = (!waiting.is_empty() || team_waits).then(|| PendingGrant {
        roles: RoleSet::new(waiting),
        team: team_waits.then_some(after_team),
    });
    SeparatedChange {
        roles_now,
        team_now: if team_waits { before_team } else { after_team },
        pending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_record_roles_and_the_administrator_role_wait_for_a_second_administrator() {
        for role in Role::ALL {
            // the analyst produces person-level returns, so reaches family records
            let expected = !matches!(role, Role::DirectoryEditor | Role::DirectoryReviewer);
            assert_eq!(role.needs_second_administrator(), expected, "{role:?}");
        }
    }

    #[test]
    fn an_administrator_giving_themselves_a_practitioner_role_waits_and_removals_apply_at_once() {
        let team = TeamId::new();
        let before = RoleSet::new([Role::Administrator, Role::Analyst]);
        let after = RoleSet::new([Role::Administrator, Role::Practitioner]);
        let split = separate_duties(&before, None, &after, Some(team));
        assert_eq!(split.roles_now, RoleSet::new([Role::Administrator]));
        assert_eq!(split.team_now, None);
        assert_eq!(
            split.pending,
            Some(PendingGrant {
                roles: RoleSet::new([Role::Practitioner]),
                team: Some(Some(team)),
            })
        );
    }

    #[test]
    fn a_team_move_waits_only_for_accounts_that_reach_families() {
        let (a, b) = (TeamId::new(), TeamId::new());
        let editor = RoleSet::new([Role::DirectoryEditor]);
        let split = separate_duties(&editor, Some(a), &editor, Some(b));
        assert_eq!((split.team_now, split.pending), (Some(b), None));
        let lead = RoleSet::new([Role::LeadProfessional]);
        let split = separate_duties(&lead, Some(a), &lead, Some(b));
        assert_eq!(split.team_now, Some(a));
        assert_eq!(split.pending.and_then(|p| p.team), Some(Some(b)));
        // Losing every family-record role while moving: nothing reaches families, so no wait.
        let split = separate_duties(&lead, Some(a), &editor, Some(b));
        assert_eq!((split.roles_now, split.pending), (editor, None));
    }

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.code().parse::<Role>(), Ok(role));
        }
        assert!("superuser".parse::<Role>().is_err());
    }

    #[test]
    fn administrators_manage_accounts_but_cannot_search_families() {
        let admin = RoleSet::new([Role::Administrator]);
        assert!(admin.can(Capability::ManageUsers));
        assert!(!admin.can(Capability::SearchFamilies));
        assert!(!admin.can(Capability::BreakGlass));
    }

    #[test]
    fn capabilities_of_several_roles_combine() {
        let both = RoleSet::new([Role::Analyst, Role::DirectoryEditor]);
        assert!(both.can(Capability::ViewReports));
        assert!(both.can(Capability::EditDirectory));
        assert!(!both.can(Capability::ManageUsers));
    }
}
