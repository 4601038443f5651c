//! Queuing messages inside the transaction of the change that causes them: if the change is
//! rolled back so is the message, and once it commits the message cannot be lost. Who gets
//! one is decided here: a user who turned email off gets none (but for a password reset link
//! they asked an administrator for); a person gets one only at an address we can send to.

use crate::messages::render::{render, render_text};
use crate::{AppError, Hearth};
use chrono::{DateTime, Utc};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::ids::{MessageId, UserId};
use hearth_domain::message::{sendable_address, Channel, Language, Template};
use hearth_domain::safe_contact::channels_for;
use hearth_domain::sms::MobileNumber;
use hearth_domain::time::to_text;
use hearth_store::accounts::users;
use hearth_store::family::people::Person;
use hearth_store::messages::{self, NewMessage, Recipient};
use hearth_store::{audit, Conn};

/// A message to write: what it is, the values its words name, the path its link opens, and
/// the record it is about (as the audit log names records).
#[derive(Clone)]
pub struct Letter<'a> {
    pub template: Template,
    pub values: Vec<(&'static str, String)>,
    pub path: &'a str,
    pub record_type: &'static str,
    pub record_id: String,
}

impl Hearth {
    /// Queues a letter for a user, in their language, greeting them by name; none if they
    /// turned email off or their address cannot be sent to.
    pub(crate) async fn queue_for_user(
        &self,
        tx: &mut Conn,
        user: UserId,
        mut letter: Letter<'_>,
        now: DateTime<Utc>,
    ) -> Result<Option<MessageId>, AppError> {
        let prefs = messages::preferences(tx, user).await?;
        if !prefs.email && letter.template != Template::PasswordReset {
            return Ok(None);
        }
        let account = users::get(tx, user).await?;
        if !account.active || !sendable_address(&account.email) {
            return Ok(None);
        }
        letter.values.push(("name", account.display_name.clone()));
        let to = (account.email.as_str(), Recipient::User(user));
        Ok(Some(
            self.queue(tx, &letter, prefs.language, to, now).await?,
        ))
    }

    /// Queues a letter for a person on the record at the address they gave, in their first
    /// language (English when we do not write theirs); none without an address to send to.
    pub(crate) async fn queue_for_person(
        &self,
        tx: &mut Conn,
        person: &Person,
        letter: &Letter<'_>,
        now: DateTime<Utc>,
    ) -> Result<Option<MessageId>, AppError> {
        let Some(address) = person.email.as_deref().filter(|a| sendable_address(a)) else {
            return Ok(None);
        };
        let language = Language::for_first_language(person.first_language.as_deref());
        let to = (address, Recipient::Person(person.id));
        Ok(Some(self.queue(tx, letter, language, to, now).await?))
    }

    async fn queue(
        &self,
        tx: &mut Conn,
        letter: &Letter<'_>,
        language: Language,
        (address, recipient): (&str, Recipient),
        now: DateTime<Utc>,
    ) -> Result<MessageId, AppError> {
        let written = render(
            letter.template,
            language,
            &letter.values,
            &self.policies.messages.link(letter.path),
        );
        let id = messages::enqueue(
            tx,
            &NewMessage {
                channel: Channel::Email,
                template: letter.template,
                language,
                address,
                recipient,
                record_type: Some(letter.record_type),
                record_id: Some(letter.record_id.clone()),
                subject: &written.subject,
                body_text: &written.text,
                body_html: &written.html,
                not_before: None,
            },
            now,
        )
        .await?;
        Ok(id)
    }

    /// Queues a letter as a text message to a person's mobile number, in their first language,
    /// audited without its words or the number (its last three digits only). None when the
    /// template is not sent by text. Outside the hours the person said texts are safe it is
    /// held until they next begin (ADR 0050). Whether texting them is safe at all is the
    /// caller's check
    /// ([`SafeContact::may_text`](hearth_store::family::people::SafeContact::may_text)).
    pub async fn queue_text_for_person(
        &self,
        tx: &mut Conn,
        person: &Person,
        number: &MobileNumber,
        letter: &Letter<'_>,
        now: DateTime<Utc>,
    ) -> Result<Option<MessageId>, AppError> {
        let language = Language::for_first_language(person.first_language.as_deref());
        let to = (number, Recipient::Person(person.id));
        let held_until = person
            .contact
            .safe_hours
            .map(|h| h.next_safe(now))
            .filter(|at| *at > now);
        self.queue_text(tx, letter, language, to, held_until, now)
            .await
    }

    /// Queues a letter as a text message to a user's mobile number, in the language they
    /// chose, audited as a person's is. None when the template is not sent by text.
    pub(crate) async fn queue_text_for_user(
        &self,
        tx: &mut Conn,
        user: UserId,
        number: &MobileNumber,
        letter: &Letter<'_>,
        now: DateTime<Utc>,
    ) -> Result<Option<MessageId>, AppError> {
        let language = messages::preferences(tx, user).await?.language;
        let to = (number, Recipient::User(user));
        self.queue_text(tx, letter, language, to, None, now).await
    }

    async fn queue_text(
        &self,
        tx: &mut Conn,
        letter: &Letter<'_>,
        language: Language,
        (number, recipient): (&MobileNumber, Recipient),
        // Not sent before this: a family's safe hours (users have none).
        held_until: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Option<MessageId>, AppError> {
        let Some(text) = render_text(
            letter.template,
            language,
            &letter.values,
            &self.policies.messages.link(letter.path),
        ) else {
            return Ok(None);
        };
        let id = messages::enqueue(
            tx,
            &NewMessage {
                channel: Channel::Text,
                template: letter.template,
                language,
                address: number.e164(),
                recipient,
                record_type: Some(letter.record_type),
                record_id: Some(letter.record_id.clone()),
                subject: letter.template.label(),
                body_text: &text,
                body_html: "",
                not_before: held_until,
            },
            now,
        )
        .await?;
        audit::append(
            tx,
            &NewAuditEvent {
                at: now,
                actor_user_id: None,
                actor_label: "system".into(),
                action: AuditAction::TextQueued,
                record_type: Some("message"),
                record_id: Some(id.to_string()),
                ip: None,
                reason: None,
                detail: Some(
                    serde_json::json!({
                        "template": letter.template.code(),
                        "number_ends": number.last_three(),
                        "held_until": held_until.map(to_text),
                    })
                    .to_string(),
                ),
                api_token_id: None,
            },
        )
        .await?;
        Ok(Some(id))
    }

    /// Queues a letter Hearth sends a person on its own (not a practitioner's chosen send) by
    /// the channels they chose: email, text or both (email when they chose nothing). A text
    /// goes only where texting is safe and the letter has a text form; a person who chose
    /// text alone but cannot be texted now is written to by email rather than not at all,
    /// when they have an address. Whether anything was queued.
    pub(crate) async fn queue_by_choice(
        &self,
        tx: &mut Conn,
        person: &Person,
        letter: &Letter<'_>,
        now: DateTime<Utc>,
    ) -> Result<bool, AppError> {
        let mut queued = false;
        for channel in channels_for(person.contact.contact_by) {
            queued |= match channel {
                Channel::Email => self.queue_for_person(tx, person, letter, now).await?,
                Channel::Text => match person.contact.may_text() {
                    Ok(number) => {
                        let number = number.clone();
                        self.queue_text_for_person(tx, person, &number, letter, now)
                            .await?
                    }
                    Err(_) => None,
                },
            }
            .is_some();
        }
        if !queued && channels_for(person.contact.contact_by) == [Channel::Text] {
            queued = self
                .queue_for_person(tx, person, letter, now)
                .await?
                .is_some();
        }
        Ok(queued)
    }
}
