//! The audit log: an append-only chain of events in which each event carries the hash of the
//! one before it, so altering or removing any row shows when the chain is verified.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
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
    RequestDecisionConfirmed,
    RequestDecisionSentBack,
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
    /// An administrator made a one-time link for a user to choose a new password.
    PasswordResetLinkMade,
    /// A user chose a new password through a reset link.
    PasswordReset,
    /// The events matching a search were exported from the audit log.
    AuditExported,
    DraftRefused,
    /// A person-level return (Annex A, the safeguarding dataset) was produced for a period.
    ReturnProduced,
    /// A family registered at a Family Hub (light-touch, not a full record).
    HubFamilyRegistered,
    /// A hub family's registration and attendance read by hub staff.
    HubFamilyViewed,
    /// A family member booked on a hub programme (or put on its waiting list).
    HubBookingMade,
    /// A hub programme and its sessions set up from a directory service.
    HubProgrammeCreated,
    /// A hub session cancelled (those booked listed to call).
    HubSessionCancelled,
    /// A session's register read by hub staff.
    HubRegisterViewed,
    /// Who came to a hub session marked (or unmarked), walk-ins added.
    HubRegisterMarked,
    /// The hubs' reach report read (aggregate).
    HubReachViewed,
    /// A partnership indicator's figure for a period was entered (or replaced).
    IndicatorEntered,
    /// The records behind a dashboard's figure were listed (those the gate let the user see).
    ReportDrilled,
    /// A subject access request logged by the data protection officer.
    SubjectAccessLogged,
    /// A subject access request's due date extended, with the reason.
    SubjectAccessExtended,
    /// Everything held about the person gathered for a subject access request (read through the gate).
    SubjectAccessGathered,
    /// What a subject access request's release leaves out, changed.
    SubjectAccessRedacted,
    /// A subject access request released to the person who asked.
    SubjectAccessReleased,
    /// The released document (HTML, PDF or JSON) downloaded.
    SubjectAccessDownloaded,
    /// The data protection officer's report of who viewed one person's data.
    PersonViewersReported,
    ThresholdPublished,
    ToolkitPagePublished,
    DecisionChallenged,
    DecisionChallengeUpdated,
    ConsultationAsked,
    ConsultationAnswered,
    ConsultationsViewed,
    CaseAuditSampleDrawn,
    CaseFileOpenedForAudit,
    CaseAuditGraded,
    CaseAuditModerated,
    CaseAuditActionSet,
    CaseAuditActionDone,
    /// A hub worker noted a concern about a registered family: it went to the front door as a
    /// request for support, its people found (or added) on the shared record.
    HubConcernNoted,
    /// A hub family's agreement to keep their attendance withdrawn (their attendance lines
    /// taken out of the chronology) or given again.
    HubAttendanceConsentChanged,
    /// A completed Family Hub course recorded as progress on an outcome of a family's plan.
    HubCompletionRecorded,
    /// Wards' under-fives populations (and the hub whose area each ward is in) imported.
    WardPopulationsImported,
    /// A retention run listed what is due, for the data protection officer's review.
    RetentionListed,
    /// The data protection officer approved a retention run.
    RetentionApproved,
    /// A retention run's items were deleted or anonymised (counts only).
    RetentionCarriedOut,
    /// A legal hold placed on a person or an episode: retention and erasure stop.
    LegalHoldPlaced,
    /// A legal hold lifted.
    LegalHoldLifted,
    /// An erasure or restriction request logged.
    RightsRequestLogged,
    /// An erasure or restriction request decided, with reasons and any exemptions.
    RightsRequestDecided,
    /// A child came into care: a period of care started (legal status, category of need).
    CareStarted,
    /// A child in care's record (periods, placements, requests) opened.
    ChildInCareViewed,
    /// A social worker asked the placements team for a home for a child in care.
    PlacementRequested,
    /// A placement request opened, with the homes ranked for it.
    PlacementRequestViewed,
    /// A child placed in a home from a request (the placement made, any current one ended).
    ChildPlaced,
    /// No suitable home for a request: the unmet need recorded.
    PlacementUnmet,
    /// A placement ended, with the DfE's reason.
    PlacementEnded,
    /// A home or fostering household added or changed (vacancies included).
    CareHomeChanged,
    /// A child's period of care ended, with the DfE's reason (any placement ended with it).
    CareEnded,
    /// A child's legal status changed within their period of care (the 903's new episode).
    LegalStatusChanged,
    /// A contact with a care leaver recorded: in touch, activity, accommodation (OC3 codes).
    CareLeaverContactRecorded,
    /// A child's care imported from a 903 return: the person, their CHILD and what was made.
    CareChildImported,
    /// A 903 return imported (counts only: children imported, to resolve, rows rejected).
    Ssda903Imported,
    /// A provider of homes added or changed, with its framework and block contracts.
    CareProviderChanged,
    /// The sufficiency picture read (aggregate figures of children in care).
    SufficiencyViewed,
    /// A partner's dataset registered with its agreement, lawful basis and retention.
    PartnerDatasetRegistered,
    /// A partner's file imported (counts only: rows, matched, for review, rejected).
    PartnerDataImported,
    /// The clerical review queue of partner matches opened (personal data side by side).
    PartnerMatchesViewed,
    /// A reviewer decided whether a partner's row is a person on the record.
    PartnerMatchDecided,
    /// The worklist of families identified, not yet supported, opened.
    IdentificationWorklistOpened,
    /// What was done about a family on the worklist recorded.
    IdentificationOutreachRecorded,
    /// Who early identification identifies, compared with the population, read (figures).
    IdentificationFairnessViewed,
    /// An early identification indicator added, changed or retired (a new version).
    IdentificationIndicatorChanged,
    /// The outbox of messages looked at by an administrator (never a message's text).
    MessagesViewed,
    /// A failed message queued again by an administrator.
    MessageRetried,
    /// A user turned email on or off or chose its language.
    MessagePreferenceChanged,
    /// A text message queued (the detail names its template and the number's last three
    /// digits, never its words).
    TextQueued,
    /// A text's delivery report from the gateway recorded (delivered, failed with a reason).
    TextDeliveryReported,
    /// A delivery report refused: an unknown message or a wrong token.
    TextDeliveryRefused,
    /// A social worker's list of their children in care opened.
    ChildrenInCareListed,
    /// A survey link made for a family or a child.
    SurveySent,
    /// A family or child answered a survey.
    SurveyAnswered,
    /// An episode's surveys listed.
    SurveysViewed,
    /// The family's voice viewed in aggregate.
    SurveyResultsViewed,
    /// A case study written from a closed episode.
    CaseStudyWritten,
    /// A returned case study put right by its writer and sent back for review.
    CaseStudyRevised,
    /// A case study published or returned.
    CaseStudyReviewed,
    /// The board's case studies read.
    CaseStudiesRead,
    /// A quarterly report to the partnership's boards started as a draft.
    BoardReportDrafted,
    /// A draft board report's title or sections changed.
    BoardReportChanged,
    /// A board report published: its figures and text frozen.
    BoardReportPublished,
    /// A board report read (as a page or a PDF).
    BoardReportRead,
    /// The records opened for the pseudonymised analytics extract (where it goes, never a row).
    AnalyticsExtractProduced,
    /// An episode's Supporting Families standing, or its sustainment check, read (with the
    /// partner data behind it).
    ProgrammeViewed,
    /// Whether a closed episode's outcomes were sustained, answered.
    SustainmentRecorded,
    /// A family's record opened for the programme's claim or data return (by the programme lead).
    ProgrammeFamilyOpened,
    /// A quarter's Supporting Families claim made, with its audit sample drawn.
    ProgrammeClaimMade,
    /// The internal auditor's verdict on one family of a claim's sample.
    ProgrammeClaimAudited,
    /// A quarter's claim signed off (families not upheld taken out).
    ProgrammeClaimSignedOff,
    /// A problem the data return's checks found, explained instead of fixed.
    ProgrammeReturnExplained,
    /// The programme's family-level quarterly data return downloaded (or refused while problems remain).
    ProgrammeReturnDownloaded,
    /// The Supporting Families dashboard read (counts only).
    ProgrammeDashboardViewed,
    /// A document attached to a person or an episode.
    DocumentUploaded,
    /// A document downloaded.
    DocumentRead,
    /// An upload refused: infected, too large, of a kind not accepted, or the virus scanner could not be reached.
    DocumentRefused,
    /// A document's bytes moved from the database to the object store (ADR 0052).
    DocumentMoved,
    /// A letter made as a PDF in the family's language (the family plan, a TAF invitation, a closure letter).
    LetterProduced,
    /// The partnership's wording of a letter changed by an administrator.
    LetterTemplateChanged,
    /// A sign-in through an organisation's identity provider refused (wrong state, nonce or code,
    /// a token that did not verify, the provider down, no rule for the person); the reason in
    /// the detail.
    SingleSignOnRefused,
    /// An account made by the rules at a person's first sign-in through their organisation's
    /// identity provider.
    AccountCreatedBySingleSignOn,
    /// An organisation's identity provider registered (never its secret).
    IdentityProviderCreated,
    /// An identity provider's settings changed (whether the secret changed, never the secret).
    IdentityProviderChanged,
    /// A rule mapping first sign-ins to roles and a team added to a provider.
    SignOnRuleAdded,
    /// A second administrator confirmed a rule giving a role over families' records.
    SignOnRuleConfirmed,
    /// A single sign-on rule removed.
    SignOnRuleRemoved,
    /// A user set up an authenticator app as their second factor.
    SecondFactorEnrolled,
    /// A code from the authenticator app, or a recovery code (said in the detail), accepted
    /// after a password.
    SecondFactorPassed,
    /// A code that was wrong, used before or too old; counted like a wrong password.
    SecondFactorFailed,
    /// A family sent their own request for help (by nobody signed in; the detail names only
    /// its reference and how many people it names).
    FamilyAskReceived,
    /// The front door opened the list of families' requests, or one of them.
    FamilyAskViewed,
    /// The front door took a family's request in as a request for support, each person
    /// linked to a record or added.
    FamilyAskTakenIn,
    /// A one-time link to a family member's own page queued for them (invited by a practitioner, or asked for by the family).
    FamilyLinkSent,
    /// A family member used a one-time link: a family session began.
    FamilySignedIn,
    /// A family member ended their family session.
    FamilySignedOut,
    /// A family member read their episode on their own page.
    FamilyPageViewed,
    /// A message in the thread between a family and the lead professional (from either side).
    FamilyMessageSent,
    /// A practitioner read the thread with the family on the episode.
    FamilyMessagesViewed,
    /// A practitioner marked a case note shared with the family, or took the mark off.
    NoteSharedWithFamily,
    /// A completion of a course recorded on a member of staff's training (ADR 0048).
    TrainingRecorded,
    /// A recorded completion corrected (its dates or evidence).
    TrainingChanged,
    /// Someone else's training read: a member of staff's by their manager or an
    /// administrator, or a manager's team's.
    TrainingViewed,
    /// The workforce development report read or downloaded (counts only).
    TrainingReportViewed,
    /// An administrator took away a user's lost second factor, with a reason; the user sets
    /// one up again at their next sign-in.
    SecondFactorReset,
    /// A user registered a passkey (WebAuthn) as a second factor, after giving their password
    /// again (ADR 0051); the detail names the passkey.
    PasskeyRegistered,
    /// A passkey's signed answer accepted after a password, in place of a code.
    PasskeyUsed,
    /// A passkey's answer refused (not one of the user's, a bad signature or counter, an
    /// expired or used challenge); counted like a wrong password.
    PasskeyFailed,
    /// A user removed one of their passkeys, after giving their password again.
    PasskeyRemoved,
}

impl AuditAction {
    pub const ALL: [AuditAction; 222] = [
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
        AuditAction::RequestDecisionConfirmed,
        AuditAction::RequestDecisionSentBack,
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
        AuditAction::PasswordResetLinkMade,
        AuditAction::PasswordReset,
        AuditAction::AuditExported,
        AuditAction::DraftRefused,
        AuditAction::ReturnProduced,
        AuditAction::HubFamilyRegistered,
        AuditAction::HubFamilyViewed,
        AuditAction::HubBookingMade,
        AuditAction::HubProgrammeCreated,
        AuditAction::HubSessionCancelled,
        AuditAction::HubRegisterViewed,
        AuditAction::HubRegisterMarked,
        AuditAction::HubReachViewed,
        AuditAction::IndicatorEntered,
        AuditAction::ReportDrilled,
        AuditAction::SubjectAccessLogged,
        AuditAction::SubjectAccessExtended,
        AuditAction::SubjectAccessGathered,
        AuditAction::SubjectAccessRedacted,
        AuditAction::SubjectAccessReleased,
        AuditAction::SubjectAccessDownloaded,
        AuditAction::PersonViewersReported,
        AuditAction::ThresholdPublished,
        AuditAction::ToolkitPagePublished,
        AuditAction::DecisionChallenged,
        AuditAction::DecisionChallengeUpdated,
        AuditAction::ConsultationAsked,
        AuditAction::ConsultationAnswered,
        AuditAction::ConsultationsViewed,
        AuditAction::CaseAuditSampleDrawn,
        AuditAction::CaseFileOpenedForAudit,
        AuditAction::CaseAuditGraded,
        AuditAction::CaseAuditModerated,
        AuditAction::CaseAuditActionSet,
        AuditAction::CaseAuditActionDone,
        AuditAction::HubConcernNoted,
        AuditAction::HubAttendanceConsentChanged,
        AuditAction::HubCompletionRecorded,
        AuditAction::WardPopulationsImported,
        AuditAction::RetentionListed,
        AuditAction::RetentionApproved,
        AuditAction::RetentionCarriedOut,
        AuditAction::LegalHoldPlaced,
        AuditAction::LegalHoldLifted,
        AuditAction::RightsRequestLogged,
        AuditAction::RightsRequestDecided,
        AuditAction::CareStarted,
        AuditAction::ChildInCareViewed,
        AuditAction::PlacementRequested,
        AuditAction::PlacementRequestViewed,
        AuditAction::ChildPlaced,
        AuditAction::PlacementUnmet,
        AuditAction::PlacementEnded,
        AuditAction::CareHomeChanged,
        AuditAction::CareEnded,
        AuditAction::LegalStatusChanged,
        AuditAction::CareLeaverContactRecorded,
        AuditAction::CareChildImported,
        AuditAction::Ssda903Imported,
        AuditAction::CareProviderChanged,
        AuditAction::SufficiencyViewed,
        AuditAction::PartnerDatasetRegistered,
        AuditAction::PartnerDataImported,
        AuditAction::PartnerMatchesViewed,
        AuditAction::PartnerMatchDecided,
        AuditAction::IdentificationWorklistOpened,
        AuditAction::IdentificationOutreachRecorded,
        AuditAction::IdentificationFairnessViewed,
        AuditAction::IdentificationIndicatorChanged,
        AuditAction::MessagesViewed,
        AuditAction::MessageRetried,
        AuditAction::MessagePreferenceChanged,
        AuditAction::TextQueued,
        AuditAction::TextDeliveryReported,
        AuditAction::TextDeliveryRefused,
        AuditAction::ChildrenInCareListed,
        AuditAction::SurveySent,
        AuditAction::SurveyAnswered,
        AuditAction::SurveysViewed,
        AuditAction::SurveyResultsViewed,
        AuditAction::CaseStudyWritten,
        AuditAction::CaseStudyRevised,
        AuditAction::CaseStudyReviewed,
        AuditAction::CaseStudiesRead,
        AuditAction::BoardReportDrafted,
        AuditAction::BoardReportChanged,
        AuditAction::BoardReportPublished,
        AuditAction::BoardReportRead,
        AuditAction::AnalyticsExtractProduced,
        AuditAction::ProgrammeViewed,
        AuditAction::SustainmentRecorded,
        AuditAction::ProgrammeFamilyOpened,
        AuditAction::ProgrammeClaimMade,
        AuditAction::ProgrammeClaimAudited,
        AuditAction::ProgrammeClaimSignedOff,
        AuditAction::ProgrammeReturnExplained,
        AuditAction::ProgrammeReturnDownloaded,
        AuditAction::ProgrammeDashboardViewed,
        AuditAction::DocumentUploaded,
        AuditAction::DocumentRead,
        AuditAction::DocumentRefused,
        AuditAction::DocumentMoved,
        AuditAction::LetterProduced,
        AuditAction::LetterTemplateChanged,
        AuditAction::SingleSignOnRefused,
        AuditAction::AccountCreatedBySingleSignOn,
        AuditAction::IdentityProviderCreated,
        AuditAction::IdentityProviderChanged,
        AuditAction::SignOnRuleAdded,
        AuditAction::SignOnRuleConfirmed,
        AuditAction::SignOnRuleRemoved,
        AuditAction::SecondFactorEnrolled,
        AuditAction::SecondFactorPassed,
        AuditAction::SecondFactorFailed,
        AuditAction::FamilyAskReceived,
        AuditAction::FamilyAskViewed,
        AuditAction::FamilyAskTakenIn,
        AuditAction::FamilyLinkSent,
        AuditAction::FamilySignedIn,
        AuditAction::FamilySignedOut,
        AuditAction::FamilyPageViewed,
        AuditAction::FamilyMessageSent,
        AuditAction::FamilyMessagesViewed,
        AuditAction::NoteSharedWithFamily,
        AuditAction::TrainingRecorded,
        AuditAction::TrainingChanged,
        AuditAction::TrainingViewed,
        AuditAction::TrainingReportViewed,
        AuditAction::SecondFactorReset,
        AuditAction::PasskeyRegistered,
        AuditAction::PasskeyUsed,
        AuditAction::PasskeyFailed,
        AuditAction::PasskeyRemoved,
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
            AuditAction::RequestDecisionConfirmed => "request_decision_confirmed",
            AuditAction::RequestDecisionSentBack => "request_decision_sent_back",
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
            AuditAction::PasswordResetLinkMade => "password_reset_link_made",
            AuditAction::PasswordReset => "password_reset",
            AuditAction::AuditExported => "audit_exported",
            AuditAction::DraftRefused => "draft_refused",
            AuditAction::ReturnProduced => "return_produced",
            AuditAction::HubFamilyRegistered => "hub_family_registered",
            AuditAction::HubFamilyViewed => "hub_family_viewed",
            AuditAction::HubBookingMade => "hub_booking_made",
            AuditAction::HubProgrammeCreated => "hub_programme_created",
            AuditAction::HubSessionCancelled => "hub_session_cancelled",
            AuditAction::HubRegisterViewed => "hub_register_viewed",
            AuditAction::HubRegisterMarked => "hub_register_marked",
            AuditAction::HubReachViewed => "hub_reach_viewed",
            AuditAction::IndicatorEntered => "indicator_entered",
            AuditAction::ReportDrilled => "report_drilled",
            AuditAction::SubjectAccessLogged => "subject_access_logged",
            AuditAction::SubjectAccessExtended => "subject_access_extended",
            AuditAction::SubjectAccessGathered => "subject_access_gathered",
            AuditAction::SubjectAccessRedacted => "subject_access_redacted",
            AuditAction::SubjectAccessReleased => "subject_access_released",
            AuditAction::SubjectAccessDownloaded => "subject_access_downloaded",
            AuditAction::PersonViewersReported => "person_viewers_reported",
            AuditAction::ThresholdPublished => "threshold_published",
            AuditAction::ToolkitPagePublished => "toolkit_page_published",
            AuditAction::DecisionChallenged => "decision_challenged",
            AuditAction::DecisionChallengeUpdated => "decision_challenge_updated",
            AuditAction::ConsultationAsked => "consultation_asked",
            AuditAction::ConsultationAnswered => "consultation_answered",
            AuditAction::ConsultationsViewed => "consultations_viewed",
            AuditAction::CaseAuditSampleDrawn => "case_audit_sample_drawn",
            AuditAction::CaseFileOpenedForAudit => "case_file_opened_for_audit",
            AuditAction::CaseAuditGraded => "case_audit_graded",
            AuditAction::CaseAuditModerated => "case_audit_moderated",
            AuditAction::CaseAuditActionSet => "case_audit_action_set",
            AuditAction::CaseAuditActionDone => "case_audit_action_done",
            AuditAction::HubConcernNoted => "hub_concern_noted",
            AuditAction::HubAttendanceConsentChanged => "hub_attendance_consent_changed",
            AuditAction::HubCompletionRecorded => "hub_completion_recorded",
            AuditAction::WardPopulationsImported => "ward_populations_imported",
            AuditAction::RetentionListed => "retention_listed",
            AuditAction::RetentionApproved => "retention_approved",
            AuditAction::RetentionCarriedOut => "retention_carried_out",
            AuditAction::LegalHoldPlaced => "legal_hold_placed",
            AuditAction::LegalHoldLifted => "legal_hold_lifted",
            AuditAction::RightsRequestLogged => "rights_request_logged",
            AuditAction::RightsRequestDecided => "rights_request_decided",
            AuditAction::CareStarted => "care_started",
            AuditAction::ChildInCareViewed => "child_in_care_viewed",
            AuditAction::PlacementRequested => "placement_requested",
            AuditAction::PlacementRequestViewed => "placement_request_viewed",
            AuditAction::ChildPlaced => "child_placed",
            AuditAction::PlacementUnmet => "placement_unmet",
            AuditAction::PlacementEnded => "placement_ended",
            AuditAction::CareHomeChanged => "care_home_changed",
            AuditAction::CareEnded => "care_ended",
            AuditAction::LegalStatusChanged => "legal_status_changed",
            AuditAction::CareLeaverContactRecorded => "care_leaver_contact_recorded",
            AuditAction::CareChildImported => "care_child_imported",
            AuditAction::Ssda903Imported => "ssda903_imported",
            AuditAction::CareProviderChanged => "care_provider_changed",
            AuditAction::SufficiencyViewed => "sufficiency_viewed",
            AuditAction::PartnerDatasetRegistered => "partner_dataset_registered",
            AuditAction::PartnerDataImported => "partner_data_imported",
            AuditAction::PartnerMatchesViewed => "partner_matches_viewed",
            AuditAction::PartnerMatchDecided => "partner_match_decided",
            AuditAction::IdentificationWorklistOpened => "identification_worklist_opened",
            AuditAction::IdentificationOutreachRecorded => "identification_outreach_recorded",
            AuditAction::IdentificationFairnessViewed => "identification_fairness_viewed",
            AuditAction::IdentificationIndicatorChanged => "identification_indicator_changed",
            AuditAction::MessagesViewed => "messages_viewed",
            AuditAction::MessageRetried => "message_retried",
            AuditAction::MessagePreferenceChanged => "message_preference_changed",
            AuditAction::TextQueued => "text_queued",
            AuditAction::TextDeliveryReported => "text_delivery_reported",
            AuditAction::TextDeliveryRefused => "text_delivery_refused",
            AuditAction::ChildrenInCareListed => "children_in_care_listed",
            AuditAction::SurveySent => "survey_sent",
            AuditAction::SurveyAnswered => "survey_answered",
            AuditAction::SurveysViewed => "surveys_viewed",
            AuditAction::SurveyResultsViewed => "survey_results_viewed",
            AuditAction::CaseStudyWritten => "case_study_written",
            AuditAction::CaseStudyRevised => "case_study_revised",
            AuditAction::CaseStudyReviewed => "case_study_reviewed",
            AuditAction::CaseStudiesRead => "case_studies_read",
            AuditAction::BoardReportDrafted => "board_report_drafted",
            AuditAction::BoardReportChanged => "board_report_changed",
            AuditAction::BoardReportPublished => "board_report_published",
            AuditAction::BoardReportRead => "board_report_read",
            AuditAction::AnalyticsExtractProduced => "analytics_extract_produced",
            AuditAction::ProgrammeViewed => "programme_viewed",
            AuditAction::SustainmentRecorded => "sustainment_recorded",
            AuditAction::ProgrammeFamilyOpened => "programme_family_opened",
            AuditAction::ProgrammeClaimMade => "programme_claim_made",
            AuditAction::ProgrammeClaimAudited => "programme_claim_audited",
            AuditAction::ProgrammeClaimSignedOff => "programme_claim_signed_off",
            AuditAction::ProgrammeReturnExplained => "programme_return_explained",
            AuditAction::ProgrammeReturnDownloaded => "programme_return_downloaded",
            AuditAction::ProgrammeDashboardViewed => "programme_dashboard_viewed",
            AuditAction::DocumentUploaded => "document_uploaded",
            AuditAction::DocumentRead => "document_read",
            AuditAction::DocumentRefused => "document_refused",
            AuditAction::DocumentMoved => "document_moved",
            AuditAction::LetterProduced => "letter_produced",
            AuditAction::LetterTemplateChanged => "letter_template_changed",
            AuditAction::SingleSignOnRefused => "single_sign_on_refused",
            AuditAction::AccountCreatedBySingleSignOn => "account_created_by_single_sign_on",
            AuditAction::IdentityProviderCreated => "identity_provider_created",
            AuditAction::IdentityProviderChanged => "identity_provider_changed",
            AuditAction::SignOnRuleAdded => "sign_on_rule_added",
            AuditAction::SignOnRuleConfirmed => "sign_on_rule_confirmed",
            AuditAction::SignOnRuleRemoved => "sign_on_rule_removed",
            AuditAction::SecondFactorEnrolled => "second_factor_enrolled",
            AuditAction::SecondFactorPassed => "second_factor_passed",
            AuditAction::SecondFactorFailed => "second_factor_failed",
            AuditAction::FamilyAskReceived => "family_ask_received",
            AuditAction::FamilyAskViewed => "family_ask_viewed",
            AuditAction::FamilyAskTakenIn => "family_ask_taken_in",
            AuditAction::FamilyLinkSent => "family_link_sent",
            AuditAction::FamilySignedIn => "family_signed_in",
            AuditAction::FamilySignedOut => "family_signed_out",
            AuditAction::FamilyPageViewed => "family_page_viewed",
            AuditAction::FamilyMessageSent => "family_message_sent",
            AuditAction::FamilyMessagesViewed => "family_messages_viewed",
            AuditAction::NoteSharedWithFamily => "note_shared_with_family",
            AuditAction::TrainingRecorded => "training_recorded",
            AuditAction::TrainingChanged => "training_changed",
            AuditAction::TrainingViewed => "training_viewed",
            AuditAction::TrainingReportViewed => "training_report_viewed",
            AuditAction::SecondFactorReset => "second_factor_reset",
            AuditAction::PasskeyRegistered => "passkey_registered",
            AuditAction::PasskeyUsed => "passkey_used",
            AuditAction::PasskeyFailed => "passkey_failed",
            AuditAction::PasskeyRemoved => "passkey_removed",
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
            AuditAction::RequestDecisionConfirmed => "A manager confirmed a front-door decision",
            AuditAction::RequestDecisionSentBack => "A manager sent a front-door decision back",
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
            AuditAction::PasswordResetLinkMade => "Password reset link made",
            AuditAction::PasswordReset => "Password reset by link",
            AuditAction::AuditExported => "Audit log exported",
            AuditAction::DraftRefused => "Kept form refused: it belongs to another user",
            AuditAction::ReturnProduced => "Produced a return (person-level lists)",
            AuditAction::HubFamilyRegistered => "Family registered at a Family Hub",
            AuditAction::HubFamilyViewed => "Viewed a hub family's registration",
            AuditAction::HubBookingMade => "Booked on a hub programme",
            AuditAction::HubProgrammeCreated => "Hub programme set up",
            AuditAction::HubSessionCancelled => "Hub session cancelled",
            AuditAction::HubRegisterViewed => "Viewed a hub session's register",
            AuditAction::HubRegisterMarked => "Hub session register marked",
            AuditAction::HubReachViewed => "Viewed the Family Hubs' reach",
            AuditAction::IndicatorEntered => "Partnership indicator entered",
            AuditAction::ReportDrilled => "Records behind a dashboard figure listed",
            AuditAction::SubjectAccessLogged => "Subject access request logged",
            AuditAction::SubjectAccessExtended => "Subject access request extended",
            AuditAction::SubjectAccessGathered => "Subject access: everything held gathered",
            AuditAction::SubjectAccessRedacted => "Subject access: what is left out changed",
            AuditAction::SubjectAccessReleased => "Subject access request released",
            AuditAction::SubjectAccessDownloaded => "Subject access document downloaded",
            AuditAction::PersonViewersReported => "Report viewed: who saw a person's data",
            AuditAction::ThresholdPublished => "Threshold of Need published",
            AuditAction::ToolkitPagePublished => "Toolkit page published",
            AuditAction::DecisionChallenged => "Front-door decision challenged",
            AuditAction::DecisionChallengeUpdated => "Challenge to a decision moved on or resolved",
            AuditAction::ConsultationAsked => "TAF Worker asked for advice",
            AuditAction::ConsultationAnswered => "TAF Worker's advice given",
            AuditAction::ConsultationsViewed => "Hub's consultations viewed",
            AuditAction::CaseAuditSampleDrawn => "Case files drawn for quality audit",
            AuditAction::CaseFileOpenedForAudit => "Case file opened for a quality audit",
            AuditAction::CaseAuditGraded => "Case file graded in a quality audit",
            AuditAction::CaseAuditModerated => "Case-file audit moderated",
            AuditAction::CaseAuditActionSet => "Action set for the worker after a case-file audit",
            AuditAction::CaseAuditActionDone => "Worker marked a case-file audit action done",
            AuditAction::HubConcernNoted => "Concern noted at a Family Hub, sent to the front door",
            AuditAction::HubAttendanceConsentChanged => {
                "Hub family's agreement to keep attendance changed"
            }
            AuditAction::HubCompletionRecorded => {
                "Family Hub course recorded as progress on a plan"
            }
            AuditAction::WardPopulationsImported => "Wards' under-fives populations imported",
            AuditAction::RetentionListed => "Retention: what is due listed for review",
            AuditAction::RetentionApproved => "Retention run approved",
            AuditAction::RetentionCarriedOut => "Retention run carried out",
            AuditAction::LegalHoldPlaced => "Legal hold placed",
            AuditAction::LegalHoldLifted => "Legal hold lifted",
            AuditAction::RightsRequestLogged => "Erasure or restriction request logged",
            AuditAction::RightsRequestDecided => "Erasure or restriction request decided",
            AuditAction::CareStarted => "A child came into care: a period of care started",
            AuditAction::ChildInCareViewed => "A child in care's placements viewed",
            AuditAction::PlacementRequested => "Placement requested for a child in care",
            AuditAction::PlacementRequestViewed => "Placement request and its ranked homes viewed",
            AuditAction::ChildPlaced => "Child in care placed",
            AuditAction::PlacementUnmet => "No suitable home: placement need recorded as unmet",
            AuditAction::PlacementEnded => "Placement ended",
            AuditAction::CareHomeChanged => "Home or carers' details or vacancies changed",
            AuditAction::CareEnded => "A child's period of care ended",
            AuditAction::LegalStatusChanged => "A child's legal status changed",
            AuditAction::CareLeaverContactRecorded => "A contact with a care leaver recorded",
            AuditAction::CareChildImported => "A child's care imported from a 903 return",
            AuditAction::Ssda903Imported => "A 903 return imported (counts only)",
            AuditAction::CareProviderChanged => "A provider of homes or its contracts changed",
            AuditAction::SufficiencyViewed => "The sufficiency picture of children in care read",
            AuditAction::PartnerDatasetRegistered => "Partner dataset registered",
            AuditAction::PartnerDataImported => "Partner data imported",
            AuditAction::PartnerMatchesViewed => "Clerical review queue opened",
            AuditAction::PartnerMatchDecided => "Partner match decided",
            AuditAction::IdentificationWorklistOpened => "Early identification worklist opened",
            AuditAction::IdentificationOutreachRecorded => "Early identification outreach recorded",
            AuditAction::IdentificationFairnessViewed => "Early identification's fairness read",
            AuditAction::IdentificationIndicatorChanged => "Early identification indicator changed",
            AuditAction::MessagesViewed => "Outbox of messages viewed",
            AuditAction::MessageRetried => "Failed message sent again",
            AuditAction::MessagePreferenceChanged => "Email preference changed",
            AuditAction::TextQueued => "Text message queued",
            AuditAction::TextDeliveryReported => "Text message delivery reported",
            AuditAction::TextDeliveryRefused => "Text message delivery report refused",
            AuditAction::ChildrenInCareListed => "A social worker's children in care listed",
            AuditAction::SurveySent => "A survey link made for a family or a child",
            AuditAction::SurveyAnswered => "A family or child answered a survey",
            AuditAction::SurveysViewed => "An episode's surveys listed",
            AuditAction::SurveyResultsViewed => "The family's voice viewed in aggregate",
            AuditAction::CaseStudyWritten => "A case study written from a closed episode",
            AuditAction::CaseStudyRevised => {
                "A returned case study changed and sent back for review"
            }
            AuditAction::CaseStudyReviewed => "A case study published or returned",
            AuditAction::CaseStudiesRead => "The board's case studies read",
            AuditAction::BoardReportDrafted => "Board report drafted",
            AuditAction::BoardReportChanged => "Board report changed",
            AuditAction::BoardReportPublished => "Board report published",
            AuditAction::BoardReportRead => "Board report read",
            AuditAction::AnalyticsExtractProduced => {
                "Analytics extract produced (records opened for it)"
            }
            AuditAction::ProgrammeViewed => "Supporting Families standing viewed",
            AuditAction::SustainmentRecorded => "Sustained outcomes answered",
            AuditAction::ProgrammeFamilyOpened => {
                "A family opened for the programme's claim or return"
            }
            AuditAction::ProgrammeClaimMade => "A Supporting Families claim made",
            AuditAction::ProgrammeClaimAudited => "A claimed family audited",
            AuditAction::ProgrammeClaimSignedOff => "A Supporting Families claim signed off",
            AuditAction::ProgrammeReturnExplained => "A problem in the data return explained",
            AuditAction::ProgrammeReturnDownloaded => "The programme's data return downloaded",
            AuditAction::ProgrammeDashboardViewed => "The programme dashboard viewed",
            AuditAction::DocumentUploaded => "A document uploaded",
            AuditAction::DocumentRead => "A document downloaded",
            AuditAction::DocumentRefused => "A document upload refused",
            AuditAction::DocumentMoved => "A document moved to the object store",
            AuditAction::LetterProduced => "A letter produced",
            AuditAction::LetterTemplateChanged => "A letter's wording changed",
            AuditAction::SingleSignOnRefused => "Sign-in through an identity provider refused",
            AuditAction::AccountCreatedBySingleSignOn => {
                "Account made at a first sign-in through an identity provider"
            }
            AuditAction::IdentityProviderCreated => "Identity provider added",
            AuditAction::IdentityProviderChanged => "Identity provider changed",
            AuditAction::SignOnRuleAdded => "Single sign-on rule added",
            AuditAction::SignOnRuleConfirmed => {
                "Single sign-on rule confirmed by a second administrator"
            }
            AuditAction::SignOnRuleRemoved => "Single sign-on rule removed",
            AuditAction::SecondFactorEnrolled => "Second factor set up",
            AuditAction::SecondFactorPassed => "Second factor given at sign-in",
            AuditAction::SecondFactorFailed => "Second factor refused: wrong, used or old code",
            AuditAction::FamilyAskReceived => "A family asked for help themselves",
            AuditAction::FamilyAskViewed => "Families' own requests opened at the front door",
            AuditAction::FamilyAskTakenIn => "A family's own request taken in by the front door",
            AuditAction::FamilyLinkSent => "Family member sent a one-time link to their own page",
            AuditAction::FamilySignedIn => {
                "Family member signed in to their own page with a one-time link"
            }
            AuditAction::FamilySignedOut => "Family member signed out of their own page",
            AuditAction::FamilyPageViewed => "Family member read their own page",
            AuditAction::FamilyMessageSent => {
                "Message in a family's thread with the lead professional"
            }
            AuditAction::FamilyMessagesViewed => "Practitioner read a family's message thread",
            AuditAction::NoteSharedWithFamily => "Case note shared with the family (or no longer)",
            AuditAction::TrainingRecorded => "Training recorded for a member of staff",
            AuditAction::TrainingChanged => "A member of staff's training record corrected",
            AuditAction::TrainingViewed => "Someone else's training record read",
            AuditAction::TrainingReportViewed => "Workforce training report read",
            AuditAction::SecondFactorReset => "Second factor reset by an administrator",
            AuditAction::PasskeyRegistered => "Passkey registered",
            AuditAction::PasskeyUsed => "Passkey used at sign-in",
            AuditAction::PasskeyFailed => "Passkey refused at sign-in or registration",
            AuditAction::PasskeyRemoved => "Passkey removed",
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

/// Feeds the previous hash and every field to `out`, each length-prefixed (absent fields
/// marked) so that no two different events give the same input. A keyed event also binds the
/// id of its key, so the id cannot be swapped for another key's.
fn encode(
    prev_hash: &str,
    event: &ChainedFields<'_>,
    key_id: Option<&str>,
    mut out: impl FnMut(&[u8]),
) {
    let mut put = |field: Option<&str>| match field {
        Some(s) => {
            out(&(s.len() as u64).to_be_bytes());
            out(s.as_bytes());
        }
        None => out(&u64::MAX.to_be_bytes()),
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
    // still verify; length-prefixed, so no event with a token hashes like one without.
    if event.api_token_id.is_some() {
        put(event.api_token_id);
    }
    if key_id.is_some() {
        put(key_id);
    }
}

/// The unkeyed hash of an event given the hash of the one before it: how events were chained
/// before the audit key existed. Only verification uses it now.
pub fn chain_hash(prev_hash: &str, event: &ChainedFields<'_>) -> String {
    let mut h = Sha256::new();
    encode(prev_hash, event, None, |b| h.update(b));
    hex::encode(h.finalize())
}

/// The keyed hash (HMAC-SHA256) of an event given the hash of the one before it. Without the
/// key nobody can make a chain that verifies, even with write access to the database.
pub fn keyed_chain_hash(key: &AuditKey, prev_hash: &str, event: &ChainedFields<'_>) -> String {
    let mut mac = key.mac.clone();
    encode(prev_hash, event, Some(&key.id), |b| mac.update(b));
    hex::encode(mac.finalize().into_bytes())
}

/// The secret that keys the audit chain. It is kept outside the database (a file or the
/// environment) so that write access to the database is not enough to rewrite the log.
#[derive(Clone)]
pub struct AuditKey {
    id: String,
    mac: Hmac<Sha256>,
}

/// The shortest key accepted, in bytes (256 bits, the size of the hash).
pub const AUDIT_KEY_MIN_BYTES: usize = 32;

impl AuditKey {
    /// A key from its secret bytes; at least [`AUDIT_KEY_MIN_BYTES`].
    pub fn new(secret: &[u8]) -> Result<Self, String> {
        if secret.len() < AUDIT_KEY_MIN_BYTES {
            return Err(format!(
                "an audit key must be at least {AUDIT_KEY_MIN_BYTES} bytes ({} hex digits), this one has {}",
                AUDIT_KEY_MIN_BYTES * 2,
                secret.len()
            ));
        }
        let mac = Hmac::<Sha256>::new_from_slice(secret)
            .map_err(|_| "the audit key could not be used".to_string())?;
        Ok(Self {
            id: hex::encode(Sha256::digest(secret))[..8].to_string(),
            mac,
        })
    }

    /// A key written as hex digits (as in an audit key file), surrounding space ignored.
    pub fn from_hex(text: &str) -> Result<Self, String> {
        let secret = hex::decode(text.trim())
            .map_err(|_| "an audit key must be written as hex digits".to_string())?;
        Self::new(&secret)
    }

    /// Names the key in each event it signs (the first 8 hex digits of its SHA-256), so that
    /// verification can pick the right key after a rotation without revealing the key.
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuditKey({})", self.id)
    }
}

/// The key that signs new events and the retired keys older events were signed with.
#[derive(Debug, Clone)]
pub struct AuditKeyRing {
    current: AuditKey,
    retired: Vec<AuditKey>,
}

impl AuditKeyRing {
    pub fn new(current: AuditKey, retired: Vec<AuditKey>) -> Self {
        Self { current, retired }
    }

    /// The key new events are signed with.
    pub fn current(&self) -> &AuditKey {
        &self.current
    }

    /// The key an event names, current or retired.
    pub fn find(&self, id: &str) -> Option<&AuditKey> {
        std::iter::once(&self.current)
            .chain(&self.retired)
            .find(|k| k.id == id)
    }
}

/// The head of the chain as written outside the database now and then: which event was last
/// and its hash. A later log that lacks the event, or holds a different one at that place, was
/// cut short or rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
    /// The key the anchored event was signed with (`None` for an unkeyed event or none).
    pub key_id: Option<String>,
    pub at: DateTime<Utc>,
}

impl Anchor {
    /// One line of the anchors file: `<time> seq=<n> hash=<hex> key=<id or ->`.
    pub fn to_line(&self) -> String {
        format!(
            "{} seq={} hash={} key={}",
            self.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            self.seq,
            self.hash,
            self.key_id.as_deref().unwrap_or("-")
        )
    }

    /// Reads a line written by [`Anchor::to_line`].
    pub fn parse(line: &str) -> Result<Self, String> {
        let mut words = line.split_whitespace();
        let at = words
            .next()
            .and_then(|w| DateTime::parse_from_rfc3339(w).ok())
            .ok_or("it does not start with a time")?
            .with_timezone(&Utc);
        let mut field = |name: &str| {
            words
                .next()
                .and_then(|w| w.strip_prefix(name))
                .ok_or(format!("its {name} is missing"))
        };
        let seq = field("seq=")?
            .parse()
            .map_err(|_| "its seq= is not a number")?;
        let hash = field("hash=")?.to_string();
        let key_id = match field("key=")? {
            "-" => None,
            id => Some(id.to_string()),
        };
        Ok(Self {
            seq,
            hash,
            key_id,
            at,
        })
    }
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
    /// An unkeyed event after a keyed one: written or rewritten without the key.
    Unkeyed { seq: i64, id: String },
    /// The event names a key that is not in the key ring: made with another key, or the
    /// retired key is missing from the configuration.
    UnknownKey {
        seq: i64,
        id: String,
        key_id: String,
    },
    /// The anchored event is there but is not the one anchored: the chain was rewritten.
    AnchorMismatch { line: usize, seq: i64 },
    /// The log ends before an anchored event: events at the end were removed.
    BehindAnchor {
        line: usize,
        anchor_seq: i64,
        last_seq: i64,
    },
    /// An anchor records an earlier event than the line before it: the anchors file was
    /// edited.
    AnchorOutOfOrder { line: usize },
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
            ChainBreak::Unkeyed { seq, id } => write!(
                f,
                "event {seq} ({id}) is not signed with the audit key although events before it are: it was written or rewritten without the key"
            ),
            ChainBreak::UnknownKey { seq, id, key_id } => write!(
                f,
                "event {seq} ({id}) is signed with key {key_id}, which is not configured: it was made with another key, or a retired key is missing from audit_retired_key_files"
            ),
            ChainBreak::AnchorMismatch { line, seq } => write!(
                f,
                "event {seq} is not the event anchored at line {line} of the anchors file: the log was rewritten (or the anchors file belongs to another database)"
            ),
            ChainBreak::BehindAnchor {
                line,
                anchor_seq,
                last_seq,
            } => write!(
                f,
                "the log ends at event {last_seq} but line {line} of the anchors file anchored event {anchor_seq}: events at the end were removed"
            ),
            ChainBreak::AnchorOutOfOrder { line } => write!(
                f,
                "line {line} of the anchors file anchors an earlier event than the line before it: the anchors file was edited"
            ),
        }
    }
}

/// Checks events one at a time, in sequence order, so a log of any size can be streamed:
/// each event against its key (unkeyed events only before the first keyed one, as written
/// before the key existed) and against the anchors written outside the database.
#[derive(Debug)]
pub struct ChainVerifier<'k> {
    keys: &'k AuditKeyRing,
    expected_seq: i64,
    prev_hash: String,
    keyed_seen: bool,
    /// Anchors not yet reached, with their line numbers, latest last.
    anchors: Vec<(usize, Anchor)>,
}

impl<'k> ChainVerifier<'k> {
    /// `anchors` in the order of the anchors file.
    pub fn new(keys: &'k AuditKeyRing, anchors: Vec<Anchor>) -> Result<Self, ChainBreak> {
        let mut lines: Vec<(usize, Anchor)> = anchors
            .into_iter()
            .enumerate()
            .map(|(i, a)| (i + 1, a))
            .collect();
        for pair in lines.windows(2) {
            if pair[1].1.seq < pair[0].1.seq {
                return Err(ChainBreak::AnchorOutOfOrder { line: pair[1].0 });
            }
        }
        // An anchor of the empty log holds nothing to compare with.
        lines.retain(|(_, a)| a.seq > 0);
        lines.reverse();
        Ok(Self {
            keys,
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_string(),
            keyed_seen: false,
            anchors: lines,
        })
    }

    /// Checks the next event, given the key it names and the hashes it stored.
    pub fn check(
        &mut self,
        event: &ChainedFields<'_>,
        key_id: Option<&str>,
        stored_prev_hash: &str,
        stored_hash: &str,
    ) -> Result<(), ChainBreak> {
        let at = |seq: i64| (seq, event.id.to_string());
        if event.seq != self.expected_seq {
            return Err(ChainBreak::Gap {
                expected_seq: self.expected_seq,
                found_seq: event.seq,
            });
        }
        if stored_prev_hash != self.prev_hash {
            let (seq, id) = at(event.seq);
            return Err(ChainBreak::Unlinked { seq, id });
        }
        let hash = match key_id {
            None if self.keyed_seen => {
                let (seq, id) = at(event.seq);
                return Err(ChainBreak::Unkeyed { seq, id });
            }
            None => chain_hash(stored_prev_hash, event),
            Some(key_id) => {
                let Some(key) = self.keys.find(key_id) else {
                    let (seq, id) = at(event.seq);
                    return Err(ChainBreak::UnknownKey {
                        seq,
                        id,
                        key_id: key_id.to_string(),
                    });
                };
                self.keyed_seen = true;
                keyed_chain_hash(key, stored_prev_hash, event)
            }
        };
        if hash != stored_hash {
            let (seq, id) = at(event.seq);
            return Err(ChainBreak::Altered { seq, id });
        }
        while let Some((line, anchor)) = self.anchors.last() {
            if anchor.seq != event.seq {
                break;
            }
            if anchor.hash != stored_hash {
                return Err(ChainBreak::AnchorMismatch {
                    line: *line,
                    seq: event.seq,
                });
            }
            self.anchors.pop();
        }
        self.expected_seq += 1;
        self.prev_hash = hash;
        Ok(())
    }

    /// Checks the end of the chain against the head the log keeps separately and against
    /// the latest anchor.
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        let last_seq = self.expected_seq - 1;
        if let Some((line, anchor)) = self.anchors.last() {
            return Err(ChainBreak::BehindAnchor {
                line: *line,
                anchor_seq: anchor.seq,
                last_seq,
            });
        }
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

    fn key(byte: u8) -> AuditKey {
        AuditKey::new(&[byte; 32]).unwrap()
    }

    fn ring() -> AuditKeyRing {
        AuditKeyRing::new(key(1), vec![])
    }

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

    /// Events 1..=n, the first `unkeyed` of them as written before the key existed.
    #[derive(Clone)]
    struct Stored {
        fields: ChainedFields<'static>,
        key_id: Option<String>,
        prev: String,
        hash: String,
    }

    fn chain(n: i64, unkeyed: i64, key: &AuditKey) -> Vec<Stored> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let fields = event(seq, "e");
                let (hash, key_id) = if seq <= unkeyed {
                    (chain_hash(&prev, &fields), None)
                } else {
                    (
                        keyed_chain_hash(key, &prev, &fields),
                        Some(key.id().to_string()),
                    )
                };
                let out = Stored {
                    fields,
                    key_id,
                    prev: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                out
            })
            .collect()
    }

    fn verify(
        keys: &AuditKeyRing,
        events: &[Stored],
        anchors: Vec<Anchor>,
        head: (i64, &str),
    ) -> Result<i64, ChainBreak> {
        let mut v = ChainVerifier::new(keys, anchors)?;
        for e in events {
            v.check(&e.fields, e.key_id.as_deref(), &e.prev, &e.hash)?;
        }
        v.finish(head.0, head.1)
    }

    fn anchor(e: &Stored) -> Anchor {
        Anchor {
            seq: e.fields.seq,
            hash: e.hash.clone(),
            key_id: e.key_id.clone(),
            at: Utc::now(),
        }
    }

    #[test]
    fn an_intact_chain_verifies() {
        let events = chain(5, 0, &key(1));
        assert_eq!(
            verify(&ring(), &events, vec![], (5, &events[4].hash)),
            Ok(5)
        );
    }

    #[test]
    fn an_unkeyed_prefix_from_before_the_key_verifies() {
        let events = chain(5, 2, &key(1));
        assert_eq!(
            verify(&ring(), &events, vec![], (5, &events[4].hash)),
            Ok(5)
        );
    }

    #[test]
    fn an_unkeyed_event_after_a_keyed_one_is_found() {
        let mut events = chain(3, 0, &key(1));
        events[2].key_id = None;
        events[2].hash = chain_hash(&events[2].prev, &events[2].fields);
        assert_eq!(
            verify(&ring(), &events, vec![], (3, &events[2].hash)),
            Err(ChainBreak::Unkeyed {
                seq: 3,
                id: "e".into()
            })
        );
    }

    #[test]
    fn a_chain_made_with_another_key_is_found() {
        let events = chain(2, 0, &key(9));
        assert!(matches!(
            verify(&ring(), &events, vec![], (2, &events[1].hash)),
            Err(ChainBreak::UnknownKey { seq: 1, .. })
        ));
    }

    #[test]
    fn a_retired_key_still_verifies_its_events() {
        let old = chain(2, 0, &key(1));
        let keys = AuditKeyRing::new(key(2), vec![key(1)]);
        assert_eq!(verify(&keys, &old, vec![], (2, &old[1].hash)), Ok(2));
    }

    #[test]
    fn an_altered_field_is_found() {
        let mut events = chain(3, 0, &key(1));
        events[1].fields.actor_label = "someone-else@example.test";
        assert_eq!(
            verify(&ring(), &events, vec![], (3, &events[2].hash)),
            Err(ChainBreak::Altered {
                seq: 2,
                id: "e".into()
            })
        );
    }

    #[test]
    fn a_removed_event_is_found() {
        let events = chain(3, 0, &key(1));
        let kept = [events[0].clone(), events[2].clone()];
        assert_eq!(
            verify(&ring(), &kept, vec![], (3, &kept[1].hash)),
            Err(ChainBreak::Gap {
                expected_seq: 2,
                found_seq: 3
            })
        );
    }

    #[test]
    fn removing_the_last_events_is_found_against_the_head() {
        let events = chain(3, 0, &key(1));
        assert_eq!(
            verify(&ring(), &events[..2], vec![], (3, &events[2].hash)),
            Err(ChainBreak::Truncated {
                head_seq: 3,
                last_seq: 2
            })
        );
    }

    #[test]
    fn a_log_cut_back_before_its_last_anchor_is_found_even_with_its_head_moved_back() {
        let events = chain(4, 0, &key(1));
        let anchors = vec![anchor(&events[1]), anchor(&events[3])];
        assert_eq!(
            verify(&ring(), &events[..3], anchors, (3, &events[2].hash)),
            Err(ChainBreak::BehindAnchor {
                line: 2,
                anchor_seq: 4,
                last_seq: 3
            })
        );
    }

    #[test]
    fn a_rewritten_chain_is_found_against_an_anchor() {
        let events = chain(3, 3, &key(1));
        let anchors = vec![anchor(&events[1])];
        let mut rewritten = chain(3, 3, &key(1));
        rewritten[0].fields.actor_label = "x";
        let mut prev = GENESIS_HASH.to_string();
        for e in &mut rewritten {
            e.prev = prev.clone();
            e.hash = chain_hash(&prev, &e.fields);
            prev = e.hash.clone();
        }
        assert_eq!(
            verify(&ring(), &rewritten, anchors, (3, &prev)),
            Err(ChainBreak::AnchorMismatch { line: 1, seq: 2 })
        );
    }

    #[test]
    fn anchors_out_of_order_are_found() {
        let events = chain(3, 0, &key(1));
        let anchors = vec![anchor(&events[2]), anchor(&events[1])];
        assert_eq!(
            verify(&ring(), &events, anchors, (3, &events[2].hash)),
            Err(ChainBreak::AnchorOutOfOrder { line: 2 })
        );
    }

    #[test]
    fn an_anchor_reads_back_from_its_line() {
        let a = Anchor {
            seq: 42,
            hash: "ab".repeat(32),
            key_id: Some("0a1b2c3d".into()),
            at: DateTime::parse_from_rfc3339("2026-12-04T17:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
        };
        assert_eq!(Anchor::parse(&a.to_line()), Ok(a.clone()));
        let none = Anchor { key_id: None, ..a };
        assert_eq!(Anchor::parse(&none.to_line()), Ok(none));
        assert!(Anchor::parse("garbage").is_err());
    }

    #[test]
    fn keys_are_named_by_their_hash_and_short_keys_refused() {
        let k = AuditKey::from_hex(&"01".repeat(32)).unwrap();
        assert_eq!(k.id().len(), 8);
        assert_ne!(k.id(), key(2).id());
        assert!(!format!("{k:?}").contains("0101"));
        assert!(AuditKey::from_hex(&"01".repeat(16)).is_err());
        assert!(AuditKey::from_hex("not hex").is_err());
    }

    #[test]
    fn keyed_and_unkeyed_hashes_differ() {
        let e = event(1, "e");
        assert_ne!(
            chain_hash(GENESIS_HASH, &e),
            keyed_chain_hash(&key(1), GENESIS_HASH, &e)
        );
        assert_ne!(
            keyed_chain_hash(&key(1), GENESIS_HASH, &e),
            keyed_chain_hash(&key(2), GENESIS_HASH, &e)
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
