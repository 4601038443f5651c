//! Messages (ADR 0036): email written in the recipient's language ([`render`]), queued in the
//! outbox in the same transaction as the change that causes it ([`queue`]), sent by the
//! server's sender loop over SMTP ([`sender`]), and watched by administrators ([`outbox`]).
//! A message carries no family's details: a link, and words that say what it is for.

pub mod outbox;
pub mod queue;
pub mod reminders;
pub mod render;
pub mod sender;
pub mod texts;

pub use hearth_store::messages::{Listed, Preferences, Reminding};
pub use sender::{Mailer, MailerSettings, SendReport, SmtpSecurity};
pub use texts::{DeliveryReport, Kannel, KannelSettings, ReportOutcome, TextTransport};

/// How messages are made.
#[derive(Debug, Clone)]
pub struct MessagePolicy {
    /// The address users and families reach Hearth at, for the links in messages.
    pub public_url: String,
    /// A mail server is configured, so messages go: a password reset link is then sent to
    /// its user and no longer shown to the administrator who made it.
    pub email_delivered: bool,
}

impl Default for MessagePolicy {
    fn default() -> Self {
        Self {
            public_url: "http://localhost:8080".into(),
            email_delivered: false,
        }
    }
}

impl MessagePolicy {
    /// The full address of a path in Hearth, for a message.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url.trim_end_matches('/'))
    }
}
