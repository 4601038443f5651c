//! The audit log: an append-only chain of events in which each event carries the hash of the
//! one before it, so altering or removing any row shows when the chain is verified.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::fmt;

/// What happened. The code is what is stored; new kinds of event are added here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    SignIn,
    SignInFailed,
    SignInLocked,
    SignOut,
    SessionExpired,
    PasswordChanged,
    PasswordChangeFailed,
    AccessDenied,
    OrganisationCreated,
    OrganisationChanged,
    OrganisationDeactivated,
    OrganisationReactivated,
    TeamCreated,
    TeamChanged,
    TeamDeactivated,
    TeamReactivated,
    UserCreated,
    UserChanged,
    UserDeactivated,
    UserReactivated,
    UserUnlocked,
    AuditSearched,
    DemoSeeded,
    PersonSearched,
    PersonViewed,
    RestrictedPersonViewed,
    PersonContactViewed,
    PersonCreated,
    RequestDrafted,
    RequestSubmitted,
    RequestViewed,
    RequestAssigned,
    RequestDecided,
    FrontDoorQueueViewed,
    ApiTokenCreated,
    ApiTokenRevoked,
    PersonMerged,
    PersonMergeUndone,
    ConsentRecorded,
    ConsentWithdrawn,
    SharingReportViewed,
    PersonChanged,
    EpisodeOpened,
    EpisodeViewed,
    EpisodeChanged,
    EpisodeAllocated,
    TafMemberAdded,
    TafMemberLeft,
    CaseNoteAdded,
    CaseNoteEdited,
    ChronologyViewed,
    EpisodeStepped,
    ClosureRecorded,
    ClosureSignedOff,
    ClosureReturned,
    EscalationRaised,
    EscalationUpdated,
    AssessmentSaved,
    AssessmentSubmitted,
    AssessmentSignedOff,
    PlanSaved,
    PlanActionUpdated,
    ReviewRecorded,
    DirectoryChangeProposed,
    DirectoryChangePublished,
    DirectoryChangeRejected,
    DirectoryServiceConfirmed,
    DirectoryImported,
    DirectoryLocationAdded,
    DirectoryLocationChanged,
    PostcodesImported,
    ServiceRequestSent,
    ServiceRequestsListed,
    ServiceRequestViewed,
    ServiceRequestAnswered,
    ReviewEdited,
    FeedbackInvited,
    FeedbackGiven,
    BreakGlassUsed,
    ApiTokenRefused,
    ApiScopeRefused,
    RoleChangeProposed,
    RoleChangeApproved,
    RoleChangeRejected,
    /// A sign-in refused without checking the password: too many failures for that email
    /// address or from that address (it replaces `SignInLocked`, kept for older events).
    SignInThrottled,
    /// A request refused by a rate limit (recorded once per limit, key and window).
    RateLimited,
    /// An alert for the data protection officer: one user's volume of searches is unusual.
    UnusualVolume,
}

impl AuditAction {
    pub const ALL: [AuditAction; 87] = [
        AuditAction::SignIn,
        AuditAction::SignInFailed,
        AuditAction::SignInLocked,
        AuditAction::SignOut,
        AuditAction::SessionExpired,
        AuditAction::PasswordChanged,
        AuditAction::PasswordChangeFailed,
        AuditAction::AccessDenied,
        AuditAction::OrganisationCreated,
        AuditAction::OrganisationChanged,
        AuditAction::OrganisationDeactivated,
        AuditAction::OrganisationReactivated,
        AuditAction::TeamCreated,
        AuditAction::TeamChanged,
        AuditAction::TeamDeactivated,
        AuditAction::TeamReactivated,
        AuditAction::UserCreated,
        AuditAction::UserChanged,
        AuditAction::UserDeactivated,
        AuditAction::UserReactivated,
        AuditAction::UserUnlocked,
        AuditAction::AuditSearched,
        AuditAction::DemoSeeded,
        AuditAction::PersonSearched,
        AuditAction::PersonViewed,
        AuditAction::RestrictedPersonViewed,
        AuditAction::PersonContactViewed,
        AuditAction::PersonCreated,
        AuditAction::RequestDrafted,
        AuditAction::RequestSubmitted,
        AuditAction::RequestViewed,
        AuditAction::RequestAssigned,
        AuditAction::RequestDecided,
        AuditAction::FrontDoorQueueViewed,
        AuditAction::ApiTokenCreated,
        AuditAction::ApiTokenRevoked,
        AuditAction::PersonMerged,
        AuditAction::PersonMergeUndone,
        AuditAction::ConsentRecorded,
        AuditAction::ConsentWithdrawn,
        AuditAction::SharingReportViewed,
        AuditAction::PersonChanged,
        AuditAction::EpisodeOpened,
        AuditAction::EpisodeViewed,
        AuditAction::EpisodeChanged,
        AuditAction::EpisodeAllocated,
        AuditAction::TafMemberAdded,
        AuditAction::TafMemberLeft,
        AuditAction::CaseNoteAdded,
        AuditAction::CaseNoteEdited,
        AuditAction::ChronologyViewed,
        AuditAction::EpisodeStepped,
        AuditAction::ClosureRecorded,
        AuditAction::ClosureSignedOff,
        AuditAction::ClosureReturned,
        AuditAction::EscalationRaised,
        AuditAction::EscalationUpdated,
        AuditAction::AssessmentSaved,
        AuditAction::AssessmentSubmitted,
        AuditAction::AssessmentSignedOff,
        AuditAction::PlanSaved,
        AuditAction::PlanActionUpdated,
        AuditAction::ReviewRecorded,
        AuditAction::DirectoryChangeProposed,
        AuditAction::DirectoryChangePublished,
        AuditAction::DirectoryChangeRejected,
        AuditAction::DirectoryServiceConfirmed,
        AuditAction::DirectoryImported,
        AuditAction::DirectoryLocationAdded,
        AuditAction::DirectoryLocationChanged,
        AuditAction::PostcodesImported,
        AuditAction::ServiceRequestSent,
        AuditAction::ServiceRequestsListed,
        AuditAction::ServiceRequestViewed,
        AuditAction::ServiceRequestAnswered,
        AuditAction::ReviewEdited,
        AuditAction::FeedbackInvited,
        AuditAction::FeedbackGiven,
        AuditAction::BreakGlassUsed,
        AuditAction::ApiTokenRefused,
        AuditAction::ApiScopeRefused,
        AuditAction::RoleChangeProposed,
        AuditAction::RoleChangeApproved,
        AuditAction::RoleChangeRejected,
        AuditAction::SignInThrottled,
        AuditAction::RateLimited,
        AuditAction::UnusualVolume,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AuditAction::SignIn => "sign_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::SignInLocked => "sign_in_locked",
            AuditAction::SignOut => "sign_out",
            AuditAction::SessionExpired => "session_expired",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::PasswordChangeFailed => "password_change_failed",
            AuditAction::AccessDenied => "access_denied",
            AuditAction::OrganisationCreated => "organisation_created",
            AuditAction::OrganisationChanged => "organisation_changed",
            AuditAction::OrganisationDeactivated => "organisation_deactivated",
            AuditAction::OrganisationReactivated => "organisation_reactivated",
            AuditAction::TeamCreated => "team_created",
            AuditAction::TeamChanged => "team_changed",
            AuditAction::TeamDeactivated => "team_deactivated",
            AuditAction::TeamReactivated => "team_reactivated",
            AuditAction::UserCreated => "user_created",
            AuditAction::UserChanged => "user_changed",
            AuditAction::UserDeactivated => "user_deactivated",
            AuditAction::UserReactivated => "user_reactivated",
            AuditAction::UserUnlocked => "user_unlocked",
            AuditAction::AuditSearched => "audit_searched",
            AuditAction::DemoSeeded => "demo_seeded",
            AuditAction::PersonSearched => "person_searched",
            AuditAction::PersonViewed => "person_viewed",
            AuditAction::RestrictedPersonViewed => "restricted_person_viewed",
            AuditAction::PersonContactViewed => "person_contact_viewed",
            AuditAction::PersonCreated => "person_created",
            AuditAction::RequestDrafted => "request_drafted",
            AuditAction::RequestSubmitted => "request_submitted",
            AuditAction::RequestViewed => "request_viewed",
            AuditAction::RequestAssigned => "request_assigned",
            AuditAction::RequestDecided => "request_decided",
            AuditAction::FrontDoorQueueViewed => "front_door_queue_viewed",
            AuditAction::ApiTokenCreated => "api_token_created",
            AuditAction::ApiTokenRevoked => "api_token_revoked",
            AuditAction::PersonMerged => "person_merged",
            AuditAction::PersonMergeUndone => "person_merge_undone",
            AuditAction::ConsentRecorded => "consent_recorded",
            AuditAction::ConsentWithdrawn => "consent_withdrawn",
            AuditAction::SharingReportViewed => "sharing_report_viewed",
            AuditAction::PersonChanged => "person_changed",
            AuditAction::EpisodeOpened => "episode_opened",
            AuditAction::EpisodeViewed => "episode_viewed",
            AuditAction::EpisodeChanged => "episode_changed",
            AuditAction::EpisodeAllocated => "episode_allocated",
            AuditAction::TafMemberAdded => "taf_member_added",
            AuditAction::TafMemberLeft => "taf_member_left",
            AuditAction::CaseNoteAdded => "case_note_added",
            AuditAction::CaseNoteEdited => "case_note_edited",
            AuditAction::ChronologyViewed => "chronology_viewed",
            AuditAction::EpisodeStepped => "episode_stepped",
            AuditAction::ClosureRecorded => "closure_recorded",
            AuditAction::ClosureSignedOff => "closure_signed_off",
            AuditAction::ClosureReturned => "closure_returned",
            AuditAction::EscalationRaised => "escalation_raised",
            AuditAction::EscalationUpdated => "escalation_updated",
            AuditAction::AssessmentSaved => "assessment_saved",
            AuditAction::AssessmentSubmitted => "assessment_submitted",
            AuditAction::AssessmentSignedOff => "assessment_signed_off",
            AuditAction::PlanSaved => "plan_saved",
            AuditAction::PlanActionUpdated => "plan_action_updated",
            AuditAction::ReviewRecorded => "review_recorded",
            AuditAction::DirectoryChangeProposed => "directory_change_proposed",
            AuditAction::DirectoryChangePublished => "directory_change_published",
            AuditAction::DirectoryChangeRejected => "directory_change_rejected",
            AuditAction::DirectoryServiceConfirmed => "directory_service_confirmed",
            AuditAction::DirectoryImported => "directory_imported",
            AuditAction::DirectoryLocationAdded => "directory_location_added",
            AuditAction::DirectoryLocationChanged => "directory_location_changed",
            AuditAction::PostcodesImported => "postcodes_imported",
            AuditAction::ServiceRequestSent => "service_request_sent",
            AuditAction::ServiceRequestsListed => "service_requests_listed",
            AuditAction::ServiceRequestViewed => "service_request_viewed",
            AuditAction::ServiceRequestAnswered => "service_request_answered",
            AuditAction::ReviewEdited => "review_edited",
            AuditAction::FeedbackInvited => "feedback_invited",
            AuditAction::FeedbackGiven => "feedback_given",
            AuditAction::BreakGlassUsed => "break_glass_used",
            AuditAction::ApiTokenRefused => "api_token_refused",
            AuditAction::ApiScopeRefused => "api_scope_refused",
            AuditAction::RoleChangeProposed => "role_change_proposed",
            AuditAction::RoleChangeApproved => "role_change_approved",
            AuditAction::RoleChangeRejected => "role_change_rejected",
            AuditAction::SignInThrottled => "sign_in_throttled",
            AuditAction::RateLimited => "rate_limited",
            AuditAction::UnusualVolume => "unusual_volume",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// How the event reads in the audit log page.
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::SignIn => "Signed in",
            AuditAction::SignInFailed => "Sign-in failed",
            AuditAction::SignInLocked => "Sign-in refused: account locked (before throttling)",
            AuditAction::SignOut => "Signed out",
            AuditAction::SessionExpired => "Session timed out",
            AuditAction::PasswordChanged => "Password changed",
            AuditAction::PasswordChangeFailed => "Password change failed",
            AuditAction::AccessDenied => "Access denied",
            AuditAction::OrganisationCreated => "Organisation created",
            AuditAction::OrganisationChanged => "Organisation changed",
            AuditAction::OrganisationDeactivated => "Organisation deactivated",
            AuditAction::OrganisationReactivated => "Organisation reactivated",
            AuditAction::TeamCreated => "Team created",
            AuditAction::TeamChanged => "Team changed",
            AuditAction::TeamDeactivated => "Team deactivated",
            AuditAction::TeamReactivated => "Team reactivated",
            AuditAction::UserCreated => "User created",
            AuditAction::UserChanged => "User changed",
            AuditAction::UserDeactivated => "User deactivated",
            AuditAction::UserReactivated => "User reactivated",
            AuditAction::UserUnlocked => "User unlocked",
            AuditAction::AuditSearched => "Audit log searched",
            AuditAction::DemoSeeded => "Demo partnership loaded",
            AuditAction::PersonSearched => "Searched for people",
            AuditAction::PersonViewed => "Viewed a person's record",
            AuditAction::RestrictedPersonViewed => "Viewed a restricted record",
            AuditAction::PersonContactViewed => "Viewed who is involved (contact search)",
            AuditAction::PersonCreated => "Person added",
            AuditAction::RequestDrafted => "Request for support saved as a draft",
            AuditAction::RequestSubmitted => "Request for support sent",
            AuditAction::RequestViewed => "Viewed a request for support",
            AuditAction::RequestAssigned => "Request assigned",
            AuditAction::RequestDecided => "Request decided",
            AuditAction::FrontDoorQueueViewed => "Viewed the front door queue",
            AuditAction::ApiTokenCreated => "API token created",
            AuditAction::ApiTokenRevoked => "API token revoked",
            AuditAction::PersonMerged => "Records merged",
            AuditAction::PersonMergeUndone => "Merge undone",
            AuditAction::ConsentRecorded => "Consent recorded",
            AuditAction::ConsentWithdrawn => "Consent withdrawn",
            AuditAction::SharingReportViewed => "Viewed the information sharing report",
            AuditAction::PersonChanged => "Person details changed",
            AuditAction::EpisodeOpened => "Episode opened",
            AuditAction::EpisodeViewed => "Episode viewed",
            AuditAction::EpisodeChanged => "Episode changed",
            AuditAction::EpisodeAllocated => "Episode allocated",
            AuditAction::TafMemberAdded => "Joined the Team Around the Family",
            AuditAction::TafMemberLeft => "Left the Team Around the Family",
            AuditAction::CaseNoteAdded => "Case note added",
            AuditAction::CaseNoteEdited => "Case note edited",
            AuditAction::ChronologyViewed => "Chronology viewed",
            AuditAction::EpisodeStepped => "Episode stepped up or down",
            AuditAction::ClosureRecorded => "Closure recorded",
            AuditAction::ClosureSignedOff => "Closure signed off",
            AuditAction::ClosureReturned => "Closure returned to the lead",
            AuditAction::EscalationRaised => "Disagreement raised",
            AuditAction::EscalationUpdated => "Disagreement moved on or resolved",
            AuditAction::AssessmentSaved => "Assessment saved",
            AuditAction::AssessmentSubmitted => "Assessment submitted for sign-off",
            AuditAction::AssessmentSignedOff => "Assessment signed off",
            AuditAction::PlanSaved => "Family plan saved",
            AuditAction::PlanActionUpdated => "Plan action updated",
            AuditAction::ReviewRecorded => "Review recorded",
            AuditAction::DirectoryChangeProposed => "Directory change sent for review",
            AuditAction::DirectoryChangePublished => "Directory change published",
            AuditAction::DirectoryChangeRejected => "Directory change sent back",
            AuditAction::DirectoryServiceConfirmed => "Directory entry checked and still current",
            AuditAction::DirectoryImported => "Services imported from another directory",
            AuditAction::DirectoryLocationAdded => "Directory place added",
            AuditAction::DirectoryLocationChanged => "Directory place changed",
            AuditAction::PostcodesImported => "Postcodes imported",
            AuditAction::ServiceRequestSent => "Request for a service sent",
            AuditAction::ServiceRequestsListed => "Viewed requests for a service",
            AuditAction::ServiceRequestViewed => "Viewed a request for a service",
            AuditAction::ServiceRequestAnswered => "Request for a service accepted or declined",
            AuditAction::ReviewEdited => "Review corrected",
            AuditAction::FeedbackInvited => "Family invited to give feedback",
            AuditAction::FeedbackGiven => "Family gave feedback",
            AuditAction::BreakGlassUsed => "Broke the glass to open a record",
            AuditAction::ApiTokenRefused => "API token refused (unknown, revoked or expired)",
            AuditAction::ApiScopeRefused => "API call refused: the token lacks the scope",
            AuditAction::RoleChangeProposed => {
                "Role change proposed (waits for a second administrator)"
            }
            AuditAction::RoleChangeApproved => "Role change approved",
            AuditAction::RoleChangeRejected => "Role change rejected",
            AuditAction::SignInThrottled => "Sign-in refused: wait after too many failures",
            AuditAction::RateLimited => "Refused: too many requests (rate limit)",
            AuditAction::UnusualVolume => "Alert: unusual volume of searches",
        }
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The hash that starts the chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an event that the chain protects, in the order they are hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainedFields<'a> {
    pub seq: i64,
    pub id: &'a str,
    pub at: &'a str,
    pub actor_user_id: Option<&'a str>,
    pub actor_label: &'a str,
    pub action: &'a str,
    pub record_type: Option<&'a str>,
    pub record_id: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub detail: Option<&'a str>,
    /// The API token the event came through, if any.
    pub api_token_id: Option<&'a str>,
}

/// The hash of an event given the hash of the one before it. Every field is length-prefixed
/// (and absent fields marked) so that no two different events hash the same input.
pub fn chain_hash(prev_hash: &str, event: &ChainedFields<'_>) -> String {
    let mut h = Sha256::new();
    let mut put = |field: Option<&str>| match field {
        Some(s) => {
            h.update((s.len() as u64).to_be_bytes());
            h.update(s.as_bytes());
        }
        None => h.update(u64::MAX.to_be_bytes()),
    };
    put(Some(prev_hash));
    put(Some(&event.seq.to_string()));
    put(Some(event.id));
    put(Some(event.at));
    put(event.actor_user_id);
    put(Some(event.actor_label));
    put(Some(event.action));
    put(event.record_type);
    put(event.record_id);
    put(event.ip);
    put(event.reason);
    put(event.detail);
    // Added after the chain began: hashed only when present, so the events written before
    // still verify, and (being last and length-prefixed) no event with a token hashes like
    // one without.
    if event.api_token_id.is_some() {
        put(event.api_token_id);
    }
    hex::encode(h.finalize())
}

/// Where a chain first goes wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The event's stored hash is not the hash of its contents: it was altered.
    Altered { seq: i64, id: String },
    /// The event does not point at the one before it: one was removed or reordered.
    Unlinked { seq: i64, id: String },
    /// Sequence numbers skip: events between were removed.
    Gap { expected_seq: i64, found_seq: i64 },
    /// The chain ends before the last event the log recorded: events at the end were removed.
    Truncated { head_seq: i64, last_seq: i64 },
}

impl fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainBreak::Altered { seq, id } => {
                write!(f, "event {seq} ({id}) was altered: its hash does not match its contents")
            }
            ChainBreak::Unlinked { seq, id } => write!(
                f,
                "event {seq} ({id}) does not follow the event before it: an event was removed or changed"
            ),
            ChainBreak::Gap {
                expected_seq,
                found_seq,
            } => write!(
                f,
                "event {expected_seq} is missing (the next event found is {found_seq}): events were removed"
            ),
            ChainBreak::Truncated { head_seq, last_seq } => write!(
                f,
                "the log recorded {head_seq} events but only {last_seq} remain: events at the end were removed"
            ),
        }
    }
}

/// Checks events one at a time, in sequence order, so a log of any size can be streamed.
#[derive(Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_string(),
        }
    }
}

impl ChainVerifier {
    /// Checks the next event, given the previous hash it stored and its own stored hash.
    pub fn check(
        &mut self,
        event: &ChainedFields<'_>,
        stored_prev_hash: &str,
        stored_hash: &str,
    ) -> Result<(), ChainBreak> {
        if event.seq != self.expected_seq {
            return Err(ChainBreak::Gap {
                expected_seq: self.expected_seq,
                found_seq: event.seq,
            });
        }
        if stored_prev_hash != self.prev_hash {
            return Err(ChainBreak::Unlinked {
                seq: event.seq,
                id: event.id.to_string(),
            });
        }
        if chain_hash(stored_prev_hash, event) != stored_hash {
            return Err(ChainBreak::Altered {
                seq: event.seq,
                id: event.id.to_string(),
            });
        }
        self.expected_seq += 1;
        self.prev_hash = stored_hash.to_string();
        Ok(())
    }

    /// Checks the end of the chain against the head the log keeps separately.
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        let last_seq = self.expected_seq - 1;
        if head_seq != last_seq || head_hash != self.prev_hash {
            return Err(ChainBreak::Truncated { head_seq, last_seq });
        }
        Ok(last_seq)
    }
}

/// A request to record an event; the store gives it its place in the chain.
#[derive(Debug, Clone)]
pub struct NewAuditEvent {
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<String>,
    /// Who, as people read it (an email address, or "system").
    pub actor_label: String,
    pub action: AuditAction,
    pub record_type: Option<&'static str>,
    pub record_id: Option<String>,
    /// The client's address, when the event came from the web.
    pub ip: Option<String>,
    /// Why, where a reason is required (break-glass, restricted records).
    pub reason: Option<String>,
    /// Further facts as JSON (what changed). Never secrets.
    pub detail: Option<String>,
    /// The API token the actor acted through (never the token itself), or that was refused.
    pub api_token_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: i64, id: &str) -> ChainedFields<'_> {
        ChainedFields {
            seq,
            id,
            at: "2026-11-22T10:00:00.000000Z",
            actor_user_id: None,
            actor_label: "admin@example.test",
            action: "sign_in",
            record_type: None,
            record_id: None,
            ip: Some("127.0.0.1"),
            reason: None,
            detail: None,
            api_token_id: None,
        }
    }

    fn chain(n: i64) -> Vec<(ChainedFields<'static>, String, String)> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let e = event(seq, "e");
                let h = chain_hash(&prev, &e);
                let out = (e, prev.clone(), h.clone());
                prev = h;
                out
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let events = chain(5);
        let mut v = ChainVerifier::default();
        for (e, prev, h) in &events {
            v.check(e, prev, h).unwrap();
        }
        assert_eq!(v.finish(5, &events[4].2), Ok(5));
    }

    #[test]
    fn an_altered_field_is_found() {
        let mut events = chain(3);
        events[1].0.actor_label = "someone-else@example.test";
        let mut v = ChainVerifier::default();
        v.check(&events[0].0, &events[0].1, &events[0].2).unwrap();
        let err = v
            .check(&events[1].0, &events[1].1, &events[1].2)
            .unwrap_err();
        assert_eq!(
            err,
            ChainBreak::Altered {
                seq: 2,
                id: "e".into()
            }
        );
    }

    #[test]
    fn a_removed_event_is_found() {
        let events = chain(3);
        let mut v = ChainVerifier::default();
        v.check(&events[0].0, &events[0].1, &events[0].2).unwrap();
        let err = v
            .check(&events[2].0, &events[2].1, &events[2].2)
            .unwrap_err();
        assert_eq!(
            err,
            ChainBreak::Gap {
                expected_seq: 2,
                found_seq: 3
            }
        );
    }

    #[test]
    fn removing_the_last_events_is_found_against_the_head() {
        let events = chain(3);
        let mut v = ChainVerifier::default();
        for (e, prev, h) in &events[..2] {
            v.check(e, prev, h).unwrap();
        }
        assert_eq!(
            v.finish(3, &events[2].2),
            Err(ChainBreak::Truncated {
                head_seq: 3,
                last_seq: 2
            })
        );
    }

    #[test]
    fn absent_and_empty_fields_hash_differently() {
        let mut a = event(1, "e");
        let mut b = event(1, "e");
        a.reason = None;
        b.reason = Some("");
        assert_ne!(chain_hash(GENESIS_HASH, &a), chain_hash(GENESIS_HASH, &b));
    }

    #[test]
    fn the_api_token_is_covered_by_the_hash() {
        let plain = event(1, "e");
        let mut with_token = event(1, "e");
        with_token.api_token_id = Some("0190f5d2-0000-7000-8000-000000000000");
        let mut other_token = with_token.clone();
        other_token.api_token_id = Some("0190f5d2-0000-7000-8000-000000000001");
        let hashes = [&plain, &with_token, &other_token].map(|e| chain_hash(GENESIS_HASH, e));
        assert_ne!(hashes[0], hashes[1]);
        assert_ne!(hashes[1], hashes[2]);
    }

    #[test]
    fn action_codes_round_trip() {
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(a.code()), Some(a));
        }
    }
}
