//! Identifiers. Every record id is a UUIDv7, which sorts by creation time and is stored as text.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! record_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

record_id!(
    /// A member of staff (or volunteer) with an account.
    UserId
);
record_id!(
    /// One of a user's registered passkeys (ADR 0051).
    PasskeyId
);
record_id!(
    /// An organisation in the partnership: the council, a school, a health trust, a charity.
    OrganisationId
);
record_id!(
    /// A team within an organisation: the front door, a Family Hub, a school's pastoral team.
    TeamId
);
record_id!(
    /// One audit event.
    AuditEventId
);
record_id!(
    /// A person on the family record: a child, a parent, anyone in a household.
    PersonId
);
record_id!(
    /// A household: the people who live together, over time.
    HouseholdId
);
record_id!(
    /// A request for support.
    RequestId
);
record_id!(
    /// An episode of Family Help.
    EpisodeId
);
record_id!(
    /// A family's own request for help, before the front door takes it in.
    FamilyAskId
);
record_id!(
    /// A case note in an episode.
    NoteId
);
record_id!(
    /// A task on someone's or a team's list.
    TaskId
);
record_id!(
    /// A professional disagreement raised on an episode.
    EscalationId
);
record_id!(
    /// A page of practice guidance in the partnership's toolkits.
    ToolkitPageId
);
record_id!(
    /// A challenge to a front-door decision.
    ChallengeId
);
record_id!(
    /// A lead professional's request for a TAF Worker's advice.
    ConsultationId
);
record_id!(
    /// A sample of case files drawn for quality audit.
    AuditSampleId
);
record_id!(
    /// One case file's quality audit.
    CaseAuditId
);
record_id!(
    /// A period of care: a child looked after, from coming into care to leaving it.
    CarePeriodId
);
record_id!(
    /// One placement of a child in care in a home.
    PlacementId
);
record_id!(
    /// A home or a fostering household children can be placed in.
    CareHomeId
);
record_id!(
    /// A provider of homes and fostering households: the council, a company or a charity.
    CareProviderId
);
record_id!(
    /// A provider's framework membership or block contract.
    ProviderContractId
);
record_id!(
    /// A social worker's request to the placements team for a home for a child.
    PlacementRequestId
);

record_id!(
    /// A partner's dataset registered for early identification.
    PartnerDatasetId
);
record_id!(
    /// One import of a partner's file.
    PartnerImportId
);
record_id!(
    /// An import started from the page, whose progress the analyst watches.
    ImportJobId
);
record_id!(
    /// One row of a partner's file, as kept.
    PartnerRecordId
);

record_id!(
    /// A message in the outbox.
    MessageId
);

record_id!(
    /// A quarterly report to the partnership's boards.
    BoardReportId
);

record_id!(
    /// An organisation's OpenID Connect identity provider, its staff's single sign-on.
    IdentityProviderId
);
record_id!(
    /// One of an identity provider's rules mapping a first sign-in to roles and a team.
    SignOnRuleId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text() {
        let id = UserId::new();
        let parsed: UserId = id.to_string().parse().unwrap();
        assert_eq!(id, parsed);
        assert!("not-an-id".parse::<UserId>().is_err());
    }

    #[test]
    fn later_ids_sort_after_earlier_ones() {
        let a = TeamId::new();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = TeamId::new();
        assert!(a.to_string() < b.to_string());
    }
}

record_id!(
    /// A case study written from a closed episode, for the partnership's board.
    CaseStudyId
);

record_id!(
    /// A file attached to a person or an episode (a signed consent, a report, a photo, a letter).
    DocumentId
);

record_id!(
    /// One completion of a course on a member of staff's training record.
    TrainingRecordId
);
