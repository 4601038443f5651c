//! Sending the outbox by SMTP (the `lettre` crate, over tokio with rustls). The server's sender
//! loop calls [`Hearth::send_due`] now and then: it claims due messages with a lease, sends each,
//! and records what the mail server said — accepted (with its answer, the provider's id),
//! refused for good (a 5xx: failed), or not reached (down, timed out, a 4xx: queued again
//! after a back-off). A password is never logged: [`MailerSettings`]'s `Debug` hides it.

use crate::{AppError, Hearth};
use hearth_domain::message::{after_failure, AfterFailure, Channel};
use hearth_store::messages::sending::{self, Claimed};
use hearth_store::Store;
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::fmt;
use std::time::Duration;

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// No TLS: only for a mail server on the same machine or a test.
    None,
    /// Plain connection upgraded with STARTTLS (port 587).
    StartTls,
    /// TLS from the start (port 465).
    Tls,
}

impl SmtpSecurity {
    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "none" => Some(Self::None),
            "starttls" => Some(Self::StartTls),
            "tls" => Some(Self::Tls),
            _ => None,
        }
    }
}

/// Where and how to send email.
#[derive(Clone)]
pub struct MailerSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    /// A secret, never printed.
    pub password: Option<String>,
    /// The sender, e.g. `Family Help <no-reply@example.org>`.
    pub from: String,
}

impl fmt::Debug for MailerSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailerSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "****"))
            .field("from", &self.from)
            .finish()
    }
}

/// How long one message may take to send: well inside the lease, so a sender that is still
/// running never loses a message it holds to the "stopped mid-send" rule.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// A connection to a mail server.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from).finish()
    }
}

impl Mailer {
    /// A mailer for these settings; an error names what is wrong with them.
    pub fn new(s: &MailerSettings) -> Result<Self, String> {
        let from: Mailbox = s
            .from
            .parse()
            .map_err(|e| format!("the sender address (smtp_from) is not an address: {e}"))?;
        let builder = match s.security {
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host),
            SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&s.host)
                .map_err(|e| format!("smtp_host: {e}"))?,
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&s.host)
                .map_err(|e| format!("smtp_host: {e}"))?,
        };
        let mut builder = builder.port(s.port).timeout(Some(SEND_TIMEOUT));
        if let (Some(user), Some(password)) = (&s.username, &s.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Self {
            transport: builder.build(),
            from,
        })
    }

    /// Sends one message; `Ok` carries the server's answer, `Err` whether the refusal is for
    /// good and what was said.
    async fn send(&self, m: &Claimed) -> Result<String, (bool, String)> {
        let to: Mailbox = m
            .address
            .parse()
            .map_err(|e| (true, format!("not an address: {e}")))?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            // The outbox's id: the message names itself the same way whatever happens to it.
            .message_id(Some(format!("<{}@hearth>", m.id)))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(m.body_text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(m.body_html.clone()),
                    ),
            )
            .map_err(|e| (true, format!("could not be written: {e}")))?;
        match self.transport.send(email).await {
            Ok(answer) => Ok(format!(
                "{} {}",
                answer.code(),
                answer.message().collect::<Vec<_>>().join(" ")
            )),
            Err(e) => Err((e.is_permanent(), e.to_string())),
        }
    }
}

/// A name for this running server as a sender, unique to it, so a restart is a different
/// sender and cannot take over what the stopped one held.
pub fn name() -> String {
    format!("{}-{}", std::process::id(), uuid::Uuid::now_v7())
}

/// What one round of sending did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendReport {
    pub sent: usize,
    /// Not sent now; queued to try again.
    pub retrying: usize,
    /// Given up on.
    pub failed: usize,
}

/// Messages claimed in one round: a small batch, so one server does not hold them all.
pub(crate) const BATCH: i64 = 20;

impl Hearth {
    /// Whether a mail server is configured, so that messages go.
    pub fn email_delivered(&self) -> bool {
        self.policies.messages.email_delivered
    }

    /// Sends what is due, as `sender` (a name unique to this running server).
    pub async fn send_due(&self, mailer: &Mailer, sender: &str) -> Result<SendReport, AppError> {
        let mut report = SendReport::default();
        let claimed =
            sending::claim(&self.store, Channel::Email, sender, self.now(), BATCH).await?;
        for m in &claimed {
            let outcome = mailer.send(m).await;
            self.settle(m, sender, outcome, &mut report).await?;
        }
        Ok(report)
    }

    /// Records what the mail server or gateway said about a claimed message: sent (with its
    /// answer), queued again after a back-off, or failed for good. Shared by every channel.
    pub(crate) async fn settle(
        &self,
        m: &Claimed,
        sender: &str,
        outcome: Result<String, (bool, String)>,
        report: &mut SendReport,
    ) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        match outcome {
            Ok(answer) => {
                sending::sent(&mut tx, m.id, sender, &answer, now).await?;
                report.sent += 1;
            }
            Err((permanent, error)) => {
                let next = after_failure(m.attempts, permanent, now);
                if next == AfterFailure::GiveUp {
                    report.failed += 1;
                } else {
                    report.retrying += 1;
                }
                tracing::warn!(message = %m.id, channel = m.channel.code(), attempts = m.attempts, %error, "a message was not sent");
                sending::not_sent(&mut tx, m.id, sender, &error, next).await?;
            }
        }
        Store::commit(tx).await?;
        Ok(())
    }
}
