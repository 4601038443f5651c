//! The outbox (ADR 0036): messages written in the same transaction as the change that causes
//! them ([`enqueue`]), sent by the server's sender loop ([`sending`]), and listed for an
//! administrator through the gate's [`crate::gate::OpenedOutbox`].

pub mod reminders;
pub mod sending;

use crate::decode::{coded, opt_coded, parse_id, parse_time};
use crate::gate::OpenedOutbox;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::ids::{MessageId, PersonId, UserId};
use hearth_domain::message::{Channel, Language, MessageState, Template};
use hearth_domain::reminder::RemindBy;
use hearth_domain::sms::{Delivery, MobileNumber};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Who a message goes to: an address, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    User(UserId),
    Person(PersonId),
}

/// A message rendered and ready to queue.
pub struct NewMessage<'a> {
    pub channel: Channel,
    pub template: Template,
    pub language: Language,
    pub address: &'a str,
    pub recipient: Recipient,
    pub record_type: Option<&'static str>,
    pub record_id: Option<String>,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
    /// Held until then (a text outside the hours the family said are safe); due at once
    /// when none.
    pub not_before: Option<DateTime<Utc>>,
}

/// Queues a message inside the caller's transaction, due at once or when it is held until:
/// if the change that causes it is rolled back, so is the message, and once it commits the
/// message cannot be lost.
pub async fn enqueue(conn: &mut Conn, m: &NewMessage<'_>, now: DateTime<Utc>) -> Result<MessageId> {
    let id = MessageId::new();
    let (user, person) = match &m.recipient {
        Recipient::User(u) => (Some(u.to_string()), None),
        Recipient::Person(p) => (None, Some(p.to_string())),
    };
    let due = to_text(m.not_before.unwrap_or(now));
    let now = to_text(now);
    sqlx::query(
        "INSERT INTO messages (id, channel, template, language, recipient, recipient_user_id,
             recipient_person_id, record_type, record_id, subject, body_text, body_html, state,
             attempts, next_try_at, created_at)
         VALUES ($1, $14, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $15, $13)",
    )
    .bind(id.to_string())
    .bind(m.template.code())
    .bind(m.language.code())
    .bind(m.address.trim())
    .bind(user)
    .bind(person)
    .bind(m.record_type)
    .bind(m.record_id.clone())
    .bind(m.subject)
    .bind(m.body_text)
    .bind(m.body_html)
    .bind(MessageState::Queued.code())
    .bind(now)
    .bind(m.channel.code())
    .bind(due)
    .execute(conn)
    .await?;
    Ok(id)
}

/// A message as the outbox page lists it: never its body, which may hold a one-time link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub id: MessageId,
    pub channel: Channel,
    pub template: Template,
    pub language: Language,
    pub recipient: String,
    pub state: MessageState,
    pub attempts: u32,
    pub next_try_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub provider_message_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// A text's last delivery report, with the gateway's words.
    pub delivery: Option<Delivery>,
    pub delivery_detail: Option<String>,
}

fn listed(r: &AnyRow) -> Result<Listed> {
    let opt_time = |c: &str| -> Result<Option<DateTime<Utc>>> {
        r.try_get::<Option<String>, _>(c)?
            .as_deref()
            .map(parse_time)
            .transpose()
    };
    Ok(Listed {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        channel: coded(r, "channel", Channel::from_code)?,
        template: coded(r, "template", Template::from_code)?,
        language: coded(r, "language", Language::from_code)?,
        recipient: r.try_get("recipient")?,
        state: coded(r, "state", MessageState::from_code)?,
        attempts: u32::try_from(r.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        next_try_at: parse_time(&r.try_get::<String, _>("next_try_at")?)?,
        last_error: r.try_get("last_error")?,
        provider_message_id: r.try_get("provider_message_id")?,
        created_at: parse_time(&r.try_get::<String, _>("created_at")?)?,
        sent_at: opt_time("sent_at")?,
        delivery: opt_coded(r, "delivery", Delivery::from_code)?,
        delivery_detail: r.try_get("delivery_detail")?,
    })
}

const LISTED: &str = "SELECT id, channel, template, language, recipient, state, attempts,
        next_try_at, last_error, provider_message_id, created_at, sent_at, delivery,
        delivery_detail FROM messages";

/// The latest messages in one state, newest first.
pub async fn list(
    conn: &mut Conn,
    _outbox: &OpenedOutbox,
    state: MessageState,
    limit: i64,
) -> Result<Vec<Listed>> {
    let rows = sqlx::query(&format!(
        "{LISTED} WHERE state = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
    ))
    .bind(state.code())
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(listed).collect()
}

/// One message, for a test or a page that names it.
pub async fn get(conn: &mut Conn, _outbox: &OpenedOutbox, id: MessageId) -> Result<Listed> {
    let row = sqlx::query(&format!("{LISTED} WHERE id = $1"))
        .bind(id.to_string())
        .fetch_one(conn)
        .await?;
    listed(&row)
}

/// How many messages are in each state, in [`MessageState::ALL`]'s order.
pub async fn counts(conn: &mut Conn) -> Result<Vec<(MessageState, i64)>> {
    let rows = sqlx::query("SELECT state, COUNT(*) AS n FROM messages GROUP BY state")
        .fetch_all(&mut *conn)
        .await?;
    let mut counted = Vec::with_capacity(rows.len());
    for r in &rows {
        counted.push((
            coded(r, "state", MessageState::from_code)?,
            r.try_get::<i64, _>("n")?,
        ));
    }
    Ok(MessageState::ALL
        .into_iter()
        .map(|s| {
            let n = counted.iter().find(|(c, _)| *c == s).map_or(0, |(_, n)| *n);
            (s, n)
        })
        .collect())
}

/// Queues a failed message again, due now, with its tries counted afresh; false if it was
/// not failed (already retried, or sent meanwhile).
pub async fn retry(
    conn: &mut Conn,
    _outbox: &OpenedOutbox,
    id: MessageId,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE messages SET state = $1, attempts = 0, next_try_at = $2, claimed_by = NULL,
             lease_until = NULL
         WHERE id = $3 AND state = $4",
    )
    .bind(MessageState::Queued.code())
    .bind(to_text(now))
    .bind(id.to_string())
    .bind(MessageState::Failed.code())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A user's choices about messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preferences {
    /// Email from Hearth on or off (a password reset link is sent whatever it says).
    pub email: bool,
    pub language: Language,
}

pub async fn preferences(conn: &mut Conn, user: UserId) -> Result<Preferences> {
    let r = sqlx::query("SELECT email_messages, message_language FROM users WHERE id = $1")
        .bind(user.to_string())
        .fetch_one(conn)
        .await?;
    Ok(Preferences {
        email: r.try_get::<i64, _>("email_messages")? != 0,
        language: coded(&r, "message_language", Language::from_code)?,
    })
}

pub async fn set_preferences(conn: &mut Conn, user: UserId, p: Preferences) -> Result<()> {
    sqlx::query("UPDATE users SET email_messages = $1, message_language = $2 WHERE id = $3")
        .bind(i64::from(p.email))
        .bind(p.language.code())
        .bind(user.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// How a user wants reminders of work due, and the mobile number texts go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminding {
    pub by: RemindBy,
    pub mobile: Option<MobileNumber>,
}

pub async fn reminding(conn: &mut Conn, user: UserId) -> Result<Reminding> {
    let r = sqlx::query("SELECT remind_by, mobile FROM users WHERE id = $1")
        .bind(user.to_string())
        .fetch_one(conn)
        .await?;
    let mobile = r
        .try_get::<Option<String>, _>("mobile")?
        .map(|m| {
            MobileNumber::parse(&m)
                .map_err(|_| StoreError::Corrupt("users.mobile is not a mobile number".into()))
        })
        .transpose()?;
    Ok(Reminding {
        by: coded(&r, "remind_by", RemindBy::from_code)?,
        mobile,
    })
}

pub async fn set_reminding(conn: &mut Conn, user: UserId, r: &Reminding) -> Result<()> {
    sqlx::query("UPDATE users SET remind_by = $1, mobile = $2 WHERE id = $3")
        .bind(r.by.code())
        .bind(r.mobile.as_ref().map(|m| m.e164().to_string()))
        .bind(user.to_string())
        .execute(conn)
        .await?;
    Ok(())
}
