//! Roles and the capabilities they grant.
//!
//! A role says what kind of work someone does; a capability is one thing the system lets them
//! do. Access to a particular family's record needs a *relationship* too (see [`crate::access`]).

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
}

impl Role {
    pub const ALL: [Role; 10] = [
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
            Role::FrontDoorOfficer => &[RequestSupport, SearchFamilies, DecideRequests, BreakGlass],
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
            ],
            Role::DirectoryEditor => &[EditDirectory],
            Role::DirectoryReviewer => &[EditDirectory, ReviewDirectory],
            Role::Analyst => &[ViewReports],
            Role::DataProtectionOfficer => &[ViewAuditLog, ManageInformationRights, ViewReports],
            Role::Administrator => &[ManageOrganisations, ManageUsers, ViewAuditLog],
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A role code that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a role; choose one of: practitioner, lead_professional, front_door_officer, family_help_worker, team_manager, directory_editor, directory_reviewer, analyst, data_protection_officer, administrator")]
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

#[cfg(test)]
mod tests {
    use super::*;

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
