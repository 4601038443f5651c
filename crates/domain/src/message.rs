//! Messages Hearth sends (ADR 0036): what each one is, the language it is written in, and the
//! rules of the outbox — when a message that could not go is tried again, when the outbox
//! gives up, and how long a sender holds a message it is sending.

use crate::person::Age;
use chrono::{DateTime, Duration, Utc};

/// The languages messages are written in: the partnership's language audit, as on the
/// families' pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    En,
    Ar,
    Ur,
    Pa,
    Ro,
    Pl,
}

impl Language {
    pub const ALL: [Language; 6] = [
        Language::En,
        Language::Ar,
        Language::Ur,
        Language::Pa,
        Language::Ro,
        Language::Pl,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ar => "ar",
            Language::Ur => "ur",
            Language::Pa => "pa",
            Language::Ro => "ro",
            Language::Pl => "pl",
        }
    }

    /// The language's name in English, as a person's first language is recorded.
    pub fn english_name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Ar => "Arabic",
            Language::Ur => "Urdu",
            Language::Pa => "Punjabi",
            Language::Ro => "Romanian",
            Language::Pl => "Polish",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language to write to someone in, from their recorded first language (a name such
    /// as "Polish", or a code such as "pl" or "pl-PL"); English when it is not one we write.
    pub fn for_first_language(first_language: Option<&str>) -> Self {
        let Some(said) = first_language.map(str::trim).filter(|s| !s.is_empty()) else {
            return Language::En;
        };
        let primary = said
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|l| l.code() == primary || l.english_name().eq_ignore_ascii_case(said))
            .unwrap_or(Language::En)
    }

    /// `rtl` for the languages written right to left.
    pub fn dir(self) -> &'static str {
        match self {
            Language::Ar | Language::Ur => "rtl",
            _ => "ltr",
        }
    }
}

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// The family's invitation to say how the help went, when it ends.
    FeedbackLink,
    /// A one-time link for a user to choose a new password.
    PasswordReset,
    /// A practitioner has been asked to join a family's Team Around the Family.
    TafInvitation,
    /// The front door's decision on a request for support, to whoever asked.
    RequestOutcome,
    /// A family's link to a short survey during their help (ADR 0037).
    SurveyLink,
    /// A family member's one-time link to their own page (ADR 0045).
    FamilyPageLink,
    /// A new message in the thread between a family and the lead professional: only that
    /// there is one, never its words.
    FamilyMessage,
    /// A member of staff's course runs out soon: book it again (ADR 0048). Once per expiry.
    TrainingReminder,
    /// An assessment, a review, a plan action or a task of the practitioner's falls due soon:
    /// once per piece of work and date, naming only the kind of work and its date.
    WorkReminder,
}

impl Template {
    pub const ALL: [Template; 9] = [
        Template::FeedbackLink,
        Template::PasswordReset,
        Template::TafInvitation,
        Template::RequestOutcome,
        Template::SurveyLink,
        Template::FamilyPageLink,
        Template::FamilyMessage,
        Template::TrainingReminder,
        Template::WorkReminder,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Template::FeedbackLink => "feedback_link",
            Template::PasswordReset => "password_reset",
            Template::TafInvitation => "taf_invitation",
            Template::RequestOutcome => "request_outcome",
            Template::SurveyLink => "survey_link",
            Template::FamilyPageLink => "family_page_link",
            Template::FamilyMessage => "family_message",
            Template::TrainingReminder => "training_reminder",
            Template::WorkReminder => "work_reminder",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// How the outbox page names it.
    pub fn label(self) -> &'static str {
        match self {
            Template::FeedbackLink => "Family's feedback link",
            Template::PasswordReset => "Password reset link",
            Template::TafInvitation => "Invitation to a Team Around the Family",
            Template::RequestOutcome => "Outcome of a request for support",
            Template::SurveyLink => "Family's survey link",
            Template::FamilyPageLink => "Family's link to their own page",
            Template::FamilyMessage => "New message in a family's thread",
            Template::TrainingReminder => "Reminder: training runs out soon",
            Template::WorkReminder => "Reminder: work falls due soon",
        }
    }
}

/// Where a message is in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageState {
    /// Waiting to be sent (for the first time, or again after the mail server refused it).
    Queued,
    /// Claimed by a sender, which holds it until its lease ends.
    Sending,
    /// The mail server accepted it.
    Sent,
    /// Given up on: tried too often, refused for good, or a sender stopped while sending it
    /// (it may have gone, so it is not sent again unless an administrator says so).
    Failed,
}

impl MessageState {
    pub const ALL: [MessageState; 4] = [
        MessageState::Queued,
        MessageState::Sending,
        MessageState::Sent,
        MessageState::Failed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MessageState::Queued => "queued",
            MessageState::Sending => "sending",
            MessageState::Sent => "sent",
            MessageState::Failed => "failed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            MessageState::Queued => "Waiting to be sent",
            MessageState::Sending => "Being sent",
            MessageState::Sent => "Sent",
            MessageState::Failed => "Not sent",
        }
    }
}

/// How long a sender holds a message it claimed. Long enough for a slow mail server to
/// answer; once it has passed, the sender is taken to have stopped.
pub const LEASE_SECONDS: i64 = 120;

/// Tries before the outbox gives up on a message; with [`retry_after`] that is about a day
/// of a mail server being down.
pub const MAX_ATTEMPTS: u32 = 12;

/// How long to wait before trying again after `attempts` tries failed: one minute, doubling,
/// at most four hours, so a mail server that is down for a while is not hammered.
pub fn retry_after(attempts: u32) -> Duration {
    let minutes = 1i64 << attempts.saturating_sub(1).min(8);
    Duration::minutes(minutes.min(240))
}

/// What happens to a message whose try just failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Queued again, to be tried at this time.
    RetryAt(DateTime<Utc>),
    /// Failed for good.
    GiveUp,
}

/// After the `attempts`-th try failed at `now`: try again later, unless the failure is
/// permanent (the mail server refused the address or the message) or there were too many.
pub fn after_failure(attempts: u32, permanent: bool, now: DateTime<Utc>) -> AfterFailure {
    if permanent || attempts >= MAX_ATTEMPTS {
        AfterFailure::GiveUp
    } else {
        AfterFailure::RetryAt(now + retry_after(attempts))
    }
}

/// The age from which a family member is written to about the family's help: a young person
/// of 16 may consent for themselves; a younger child's family hears through the grown-ups.
pub const WRITE_FROM_AGE: u32 = 16;

/// Whether a family member of this age (unknown when no date of birth is recorded) is
/// written to: not a child under [`WRITE_FROM_AGE`]; someone whose age is unknown gave the
/// address themselves.
pub fn writes_to_family_member(age: Option<Age>) -> bool {
    match age {
        None => true,
        Some(Age::Unborn) => false,
        Some(Age::Years(y)) => y >= WRITE_FROM_AGE,
    }
}

/// Whether an email address is one a message can be sent to: one `@`, something on both
/// sides, a dot in the domain, no spaces or line breaks (which could forge headers).
pub fn sendable_address(address: &str) -> bool {
    let a = address.trim();
    match a.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !a.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for l in Language::ALL {
            assert_eq!(Language::from_code(l.code()), Some(l));
        }
        for t in Template::ALL {
            assert_eq!(Template::from_code(t.code()), Some(t));
        }
        for s in MessageState::ALL {
            assert_eq!(MessageState::from_code(s.code()), Some(s));
        }
        assert_eq!(MessageState::from_code("lost"), None);
    }

    #[test]
    fn the_language_comes_from_the_first_language_recorded() {
        let cases = [
            (Some("Polish"), Language::Pl),
            (Some("polish"), Language::Pl),
            (Some("pl"), Language::Pl),
            (Some("pl-PL"), Language::Pl),
            (Some(" Urdu "), Language::Ur),
            (Some("Arabic"), Language::Ar),
            (Some("Punjabi"), Language::Pa),
            (Some("Romanian"), Language::Ro),
            (Some("Ukrainian"), Language::En),
            (Some(""), Language::En),
            (None, Language::En),
        ];
        for (said, want) in cases {
            assert_eq!(Language::for_first_language(said), want, "{said:?}");
        }
    }

    #[test]
    fn retries_back_off_and_end() {
        let cases = [
            (1, 1),
            (2, 2),
            (3, 4),
            (4, 8),
            (8, 128),
            (9, 240),
            (11, 240),
        ];
        for (attempts, minutes) in cases {
            assert_eq!(
                retry_after(attempts),
                Duration::minutes(minutes),
                "{attempts}"
            );
        }
        let now = Utc::now();
        assert_eq!(
            after_failure(1, false, now),
            AfterFailure::RetryAt(now + Duration::minutes(1))
        );
        assert_eq!(after_failure(1, true, now), AfterFailure::GiveUp);
        assert_eq!(
            after_failure(MAX_ATTEMPTS, false, now),
            AfterFailure::GiveUp
        );
        assert!(matches!(
            after_failure(MAX_ATTEMPTS - 1, false, now),
            AfterFailure::RetryAt(_)
        ));
    }

    #[test]
    fn only_family_members_of_sixteen_or_more_are_written_to() {
        let cases = [
            (None, true),
            (Some(Age::Unborn), false),
            (Some(Age::Years(0)), false),
            (Some(Age::Years(15)), false),
            (Some(Age::Years(16)), true),
            (Some(Age::Years(40)), true),
        ];
        for (age, want) in cases {
            assert_eq!(writes_to_family_member(age), want, "{age:?}");
        }
    }

    #[test]
    fn only_plain_addresses_are_sent_to() {
        let cases = [
            ("anna@example.org", true),
            ("  anna@example.org ", true),
            ("anna@localhost", false),
            ("anna", false),
            ("@example.org", false),
            ("anna@.org", false),
            ("anna@example.", false),
            ("anna@b@example.org", false),
            ("anna@example.org\r\nBcc: x@y.org", false),
            ("an na@example.org", false),
        ];
        for (a, want) in cases {
            assert_eq!(sendable_address(a), want, "{a:?}");
        }
    }
}

/// How a message travels: by email, or as a text message (ADR 0049). Both go through the one
/// outbox with the same leases and back-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Text,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Email, Channel::Text];

    /// The outbox's `channel` column.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Text => "sms",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Email => "Email",
            Channel::Text => "Text message",
        }
    }
}
