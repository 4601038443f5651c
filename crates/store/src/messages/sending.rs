//! The sender's side of the outbox. A sender claims due messages by a compare-and-set on their
//! state (the same on both engines: of two senders updating one row, one changes it and the
//! other changes nothing), holds each until its lease ends, and records what the mail server
//! said. A message still `sending` when its lease ended belonged to a sender that stopped
//! mid-send: it may have gone, so it is marked failed for an administrator to decide, never
//! sent again on its own.

use crate::decode::{coded, parse_id};
use crate::{Conn, Result, Store};
use chrono::{DateTime, Duration, Utc};
use hearth_domain::ids::MessageId;
use hearth_domain::message::{
    AfterFailure, Channel, Language, MessageState, Template, LEASE_SECONDS,
};
use hearth_domain::sms::Delivery;
use hearth_domain::time::to_text;
use sqlx::Row;

/// The note on a message whose sender stopped while sending it.
pub const INTERRUPTED: &str =
    "The server stopped while sending this message: it may have arrived. Send it again only if it did not.";

/// A message claimed for sending, with what to send.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: MessageId,
    pub channel: Channel,
    pub template: Template,
    pub language: Language,
    pub address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// The tries so far, this one included.
    pub attempts: u32,
}

/// Claims up to `limit` due messages of one channel for `sender` (a name unique to this
/// running server), first marking as failed any whose sender stopped mid-send. Each claim is
/// its own compare-and-set, so two senders never hold one message.
pub async fn claim(
    store: &Store,
    channel: Channel,
    sender: &str,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Claimed>> {
    let at = to_text(now);
    let mut tx = store.write().await?;
    sqlx::query(
        "UPDATE messages SET state = $1, last_error = $2, claimed_by = NULL, lease_until = NULL
         WHERE state = $3 AND lease_until < $4",
    )
    .bind(MessageState::Failed.code())
    .bind(INTERRUPTED)
    .bind(MessageState::Sending.code())
    .bind(&at)
    .execute(&mut *tx)
    .await?;
    let due: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM messages WHERE channel = $1 AND state = $2 AND next_try_at <= $3
         ORDER BY next_try_at, id LIMIT $4",
    )
    .bind(channel.code())
    .bind(MessageState::Queued.code())
    .bind(&at)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    let lease = to_text(now + Duration::seconds(LEASE_SECONDS));
    let mut claimed = Vec::with_capacity(due.len());
    for id in due {
        let took = sqlx::query(
            "UPDATE messages SET state = $1, claimed_by = $2, lease_until = $3,
                 attempts = attempts + 1
             WHERE id = $4 AND state = $5",
        )
        .bind(MessageState::Sending.code())
        .bind(sender)
        .bind(&lease)
        .bind(&id)
        .bind(MessageState::Queued.code())
        .execute(&mut *tx)
        .await?;
        if took.rows_affected() != 1 {
            continue;
        }
        let r = sqlx::query(
            "SELECT id, channel, template, language, recipient, subject, body_text, body_html,
                 attempts
             FROM messages WHERE id = $1",
        )
        .bind(&id)
        .fetch_one(&mut *tx)
        .await?;
        claimed.push(Claimed {
            id: parse_id(&r.try_get::<String, _>("id")?)?,
            channel: coded(&r, "channel", Channel::from_code)?,
            template: coded(&r, "template", Template::from_code)?,
            language: coded(&r, "language", Language::from_code)?,
            address: r.try_get("recipient")?,
            subject: r.try_get("subject")?,
            body_text: r.try_get("body_text")?,
            body_html: r.try_get("body_html")?,
            attempts: u32::try_from(r.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        });
    }
    Store::commit(tx).await?;
    Ok(claimed)
}

/// Records that the mail server accepted a message, with its answer, and empties the body: a
/// link in it is then kept nowhere. False if `sender` no longer held it.
pub async fn sent(
    conn: &mut Conn,
    id: MessageId,
    sender: &str,
    provider_message_id: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE messages SET state = $1, sent_at = $2, provider_message_id = $3,
             body_text = '', body_html = '', claimed_by = NULL, lease_until = NULL,
             last_error = NULL
         WHERE id = $4 AND claimed_by = $5 AND state = $6",
    )
    .bind(MessageState::Sent.code())
    .bind(to_text(now))
    .bind(provider_message_id)
    .bind(id.to_string())
    .bind(sender)
    .bind(MessageState::Sending.code())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a try that failed: queued again for later, or failed for good.
pub async fn not_sent(
    conn: &mut Conn,
    id: MessageId,
    sender: &str,
    error: &str,
    next: AfterFailure,
) -> Result<bool> {
    let (state, next_try) = match next {
        AfterFailure::RetryAt(at) => (MessageState::Queued, Some(to_text(at))),
        AfterFailure::GiveUp => (MessageState::Failed, None),
    };
    let done = sqlx::query(
        "UPDATE messages SET state = $1, next_try_at = COALESCE($2, next_try_at),
             last_error = $3, claimed_by = NULL, lease_until = NULL
         WHERE id = $4 AND claimed_by = $5 AND state = $6",
    )
    .bind(state.code())
    .bind(next_try)
    .bind(error)
    .bind(id.to_string())
    .bind(sender)
    .bind(MessageState::Sending.code())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Keeps the hash of the token a text's delivery reports will carry, before it is handed to
/// the gateway (a report can arrive before the gateway's answer is recorded). False if
/// `sender` no longer holds it.
pub async fn arm_delivery(
    store: &Store,
    id: MessageId,
    sender: &str,
    token_hash: &str,
) -> Result<bool> {
    let mut tx = store.write().await?;
    let done = sqlx::query(
        "UPDATE messages SET delivery_token_hash = $1
         WHERE id = $2 AND claimed_by = $3 AND state = $4",
    )
    .bind(token_hash)
    .bind(id.to_string())
    .bind(sender)
    .bind(MessageState::Sending.code())
    .execute(&mut *tx)
    .await?;
    Store::commit(tx).await?;
    Ok(done.rows_affected() == 1)
}

/// A text a delivery report names, as the report's check needs it.
#[derive(Debug, Clone)]
pub struct ReportedText {
    pub token_hash: Option<String>,
    pub delivery: Option<Delivery>,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub template: Template,
}

/// The text `id` names, if there is one (an email is not reported on).
pub async fn reported_text(conn: &mut Conn, id: MessageId) -> Result<Option<ReportedText>> {
    let row = sqlx::query(
        "SELECT delivery_token_hash, delivery, record_type, record_id, template
         FROM messages WHERE id = $1 AND channel = $2",
    )
    .bind(id.to_string())
    .bind(Channel::Text.code())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(ReportedText {
            token_hash: r.try_get("delivery_token_hash")?,
            delivery: crate::decode::opt_coded(&r, "delivery", Delivery::from_code)?,
            record_type: r.try_get("record_type")?,
            record_id: r.try_get("record_id")?,
            template: coded(&r, "template", Template::from_code)?,
        })
    })
    .transpose()
}

/// Records a delivery report on a text, unless the last word (delivered, failed) is already
/// there and this is a late "accepted". False when nothing changed.
pub async fn record_delivery(
    conn: &mut Conn,
    id: MessageId,
    delivery: Delivery,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE messages SET delivery = $1, delivery_detail = $2, delivery_at = $3
         WHERE id = $4 AND channel = $5
           AND ($6 = 1 OR delivery IS NULL OR delivery = $7)",
    )
    .bind(delivery.code())
    .bind(detail)
    .bind(to_text(now))
    .bind(id.to_string())
    .bind(Channel::Text.code())
    .bind(i64::from(delivery.is_final()))
    .bind(Delivery::Accepted.code())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
