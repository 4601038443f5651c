//! Sending the outbox's text messages (ADR 0049) through an SMS gateway behind
//! [`TextTransport`], with the same leases, back-off and no-double-send rules as email
//! ([`super::sender`]); and recording the gateway's delivery reports, which come back to a
//! route naming the message with a token made for that try (only its hash is kept).
//!
//! One transport today: Kannel's `sendsms` interface ([`Kannel`]). GOV.UK Notify would be a
//! second one; it waits for a Notify the tests can reach (ADR 0049).

use crate::accounts::auth::{random_token, token_hash};
use crate::{AppError, Hearth};
use hearth_domain::audit::{AuditAction, NewAuditEvent};
use hearth_domain::ids::MessageId;
use hearth_domain::message::Channel;
use hearth_domain::sms::{length, Delivery, KANNEL_DLR_MASK};
use hearth_store::messages::sending;
use hearth_store::{audit, Store};
use std::fmt;
use std::future::Future;
use std::time::Duration;

use super::sender::BATCH;
use super::SendReport;

/// A text handed to a gateway.
#[derive(Debug, Clone)]
pub struct OutgoingText<'a> {
    pub id: MessageId,
    /// E.164.
    pub to: &'a str,
    pub text: &'a str,
    /// Where the gateway reports delivery: a Hearth route with this try's token. The gateway
    /// adds its own report fields to it.
    pub report_url: &'a str,
}

/// An SMS gateway. `Ok` carries the gateway's answer (its id for the text, where it gives
/// one); `Err` whether the refusal is for good and what was said.
pub trait TextTransport: Send + Sync {
    fn send(
        &self,
        text: &OutgoingText<'_>,
    ) -> impl Future<Output = Result<String, (bool, String)>> + Send;
}

/// Where and how to reach a Kannel gateway's `sendsms` interface.
#[derive(Clone)]
pub struct KannelSettings {
    /// e.g. `http://127.0.0.1:13013/cgi-bin/sendsms`.
    pub sendsms_url: String,
    pub username: String,
    /// A secret, never printed.
    pub password: String,
    /// The sender name or number the family sees, where the network allows one.
    pub from: Option<String>,
}

impl fmt::Debug for KannelSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KannelSettings")
            .field("sendsms_url", &self.sendsms_url)
            .field("username", &self.username)
            .field("password", &"****")
            .field("from", &self.from)
            .finish()
    }
}

/// How long one text may take to hand over: well inside the lease.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// Kannel's smsbox `sendsms` interface over HTTP.
#[derive(Clone)]
pub struct Kannel {
    settings: KannelSettings,
    client: reqwest::Client,
}

impl fmt::Debug for Kannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kannel")
            .field("settings", &self.settings)
            .finish()
    }
}

impl Kannel {
    /// A transport for these settings; an error names what is wrong with them.
    pub fn new(settings: &KannelSettings) -> Result<Self, String> {
        let url = reqwest::Url::parse(&settings.sendsms_url)
            .map_err(|e| format!("sms_kannel_url is not an address: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err("sms_kannel_url must start with http:// or https://".into());
        }
        if settings.username.trim().is_empty() || settings.password.is_empty() {
            return Err("sms_kannel_username and sms_kannel_password are both needed".into());
        }
        let client = reqwest::Client::builder()
            .timeout(SEND_TIMEOUT)
            .build()
            .map_err(|e| format!("the HTTP client: {e}"))?;
        Ok(Self {
            settings: settings.clone(),
            client,
        })
    }
}

impl TextTransport for Kannel {
    async fn send(&self, t: &OutgoingText<'_>) -> Result<String, (bool, String)> {
        let coding = length(t.text).coding.kannel_code().to_string();
        let mask = KANNEL_DLR_MASK.to_string();
        let mut query = vec![
            ("username", self.settings.username.as_str()),
            ("password", self.settings.password.as_str()),
            ("to", t.to),
            ("text", t.text),
            ("charset", "UTF-8"),
            ("coding", coding.as_str()),
            ("dlr-mask", mask.as_str()),
            ("dlr-url", t.report_url),
        ];
        if let Some(from) = &self.settings.from {
            query.push(("from", from.as_str()));
        }
        let answer = self
            .client
            .get(&self.settings.sendsms_url)
            .query(&query)
            .send()
            .await
            // The URL holds the password: never in an error, a log or the outbox.
            .map_err(|e| (false, e.without_url().to_string()))?;
        let status = answer.status();
        let body = answer.text().await.unwrap_or_default();
        let said = format!("{} {}", status.as_u16(), body.trim());
        if status.is_success() {
            Ok(said)
        } else {
            // 4xx: refused (a wrong password, a bad number) — trying again will not help;
            // 5xx: the gateway or its SMS centre is not ready — try again later.
            Err((status.is_client_error(), said))
        }
    }
}

/// The route delivery reports come back to, for one message and token, with Kannel's report
/// type (`%d`) and the SMS centre's words (`%A`) added by the gateway.
fn report_url(hearth: &Hearth, id: MessageId, token: &str) -> String {
    hearth.policies.messages.link(&format!(
        "/texts/{id}/delivery?token={token}&type=%d&answer=%A"
    ))
}

/// A delivery report as the gateway sends it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct DeliveryReport {
    #[serde(default)]
    pub token: String,
    /// Kannel's report type.
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub answer: String,
}

/// What a delivery report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportOutcome {
    Recorded(Delivery),
    /// A late report that says less than what is already recorded, or a type not asked for.
    Ignored,
    /// An unknown message or a wrong token (audited).
    Refused,
}

/// The most of the gateway's words kept with a report.
const DETAIL_MAX: usize = 200;

impl Hearth {
    /// Sends the texts that are due through `transport`, as `sender` (a name unique to this
    /// running server).
    pub async fn send_texts_due<T: TextTransport>(
        &self,
        transport: &T,
        sender: &str,
    ) -> Result<SendReport, AppError> {
        let mut report = SendReport::default();
        let claimed = sending::claim(&self.store, Channel::Text, sender, self.now(), BATCH).await?;
        for m in &claimed {
            let token = random_token();
            if !sending::arm_delivery(&self.store, m.id, sender, &token_hash(&token)).await? {
                continue;
            }
            let url = report_url(self, m.id, &token);
            let outcome = transport
                .send(&OutgoingText {
                    id: m.id,
                    to: &m.address,
                    text: &m.body_text,
                    report_url: &url,
                })
                .await;
            self.settle(m, sender, outcome, &mut report).await?;
        }
        Ok(report)
    }

    /// Records a gateway's delivery report on the text `id` names, if its token is the one
    /// made for it; anything else is refused and audited. Every change is audited, without
    /// the text's words or number.
    pub async fn record_text_delivery(
        &self,
        id: &str,
        report: &DeliveryReport,
        ip: Option<String>,
    ) -> Result<ReportOutcome, AppError> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let id_parsed: Option<MessageId> = id.parse().ok();
        let known = match id_parsed {
            Some(m) => sending::reported_text(&mut tx, m).await?,
            None => None,
        };
        let matches = known.as_ref().is_some_and(|k| {
            !report.token.is_empty()
                && k.token_hash.as_deref() == Some(token_hash(&report.token).as_str())
        });
        let mut e = NewAuditEvent {
            at: now,
            actor_user_id: None,
            actor_label: "SMS gateway".into(),
            action: AuditAction::TextDeliveryRefused,
            record_type: Some("message"),
            record_id: Some(id.chars().take(40).collect()),
            ip,
            reason: None,
            detail: None,
            api_token_id: None,
        };
        let (Some(message), true) = (id_parsed, matches) else {
            audit::append(&mut tx, &e).await?;
            Store::commit(tx).await?;
            return Ok(ReportOutcome::Refused);
        };
        let delivery = report
            .kind
            .trim()
            .parse()
            .ok()
            .and_then(Delivery::from_kannel);
        let Some(delivery) = delivery else {
            return Ok(ReportOutcome::Ignored);
        };
        let detail: String = report.answer.chars().take(DETAIL_MAX).collect();
        if !sending::record_delivery(&mut tx, message, delivery, &detail, now).await? {
            return Ok(ReportOutcome::Ignored);
        }
        e.action = AuditAction::TextDeliveryReported;
        e.detail = Some(serde_json::json!({ "delivery": delivery.code() }).to_string());
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(ReportOutcome::Recorded(delivery))
    }
}
