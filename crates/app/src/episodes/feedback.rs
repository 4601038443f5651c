//! The family's feedback when their help ends. Signing off the closure invites the family:
//! a link, with no account, to a short page where they rate the help and say in their own
//! words what changed. The link's token is kept only as a hash, works once and expires; the
//! answers are kept on the episode. The owning team or last lead can make a new link (the old
//! one stops working) if the family lost theirs.

use crate::accounts::auth::{event, random_token, token_hash};
use crate::messages::queue::Letter;
use crate::{Actor, AppError, Hearth, Origin};
use chrono::{DateTime, Utc};
use hearth_domain::audit::AuditAction;
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode::EpisodeStatus;
use hearth_domain::episode::NoteVisibility;
use hearth_domain::feedback::{self, LinkProblem};
use hearth_domain::ids::EpisodeId;
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::message::{writes_to_family_member, Template};
use hearth_domain::person::{DateOfBirth, DobCertainty};
pub use hearth_store::episodes::feedback::Invitation;
use hearth_store::episodes::feedback::{self as store, Answer, LinkFor};
use hearth_store::episodes::Episode;
use hearth_store::family::chronology::{self, NewEntry};
use hearth_store::family::{consents, people};
use hearth_store::{audit, Conn, Store};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

/// A link for the family, shown once to the person who made it: only its hash is kept.
#[derive(Debug, Clone)]
pub struct FeedbackLink {
    pub episode: EpisodeId,
    /// The path the family open, e.g. `/feedback/<token>`.
    pub path: String,
    pub expires_at: DateTime<Utc>,
}

/// What the family typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    pub rating: String,
    #[serde(default)]
    pub what_changed: String,
    #[serde(default)]
    pub anything_else: String,
}

impl FeedbackForm {
    /// The form's answer, or what is wrong with it.
    pub(crate) fn checked(&self, at: DateTime<Utc>) -> Result<Answer, FieldErrors> {
        self.check(at)
    }

    fn check(&self, at: DateTime<Utc>) -> Result<Answer, FieldErrors> {
        let mut e = FieldErrors::new();
        let rating = self
            .rating
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|r| feedback::rating_label(*r).is_some());
        if rating.is_none() {
            e.add("rating", "Choose how the help was for your family");
        }
        let what_changed = input::required_text(
            &mut e,
            "what_changed",
            "what has changed for your family",
            &self.what_changed,
            5000,
        );
        let anything_else = input::optional_text(
            &mut e,
            "anything_else",
            "anything else",
            &self.anything_else,
            5000,
        );
        let (Some(rating), true) = (rating, e.is_empty()) else {
            return Err(e);
        };
        Ok(Answer {
            at,
            rating,
            what_changed,
            anything_else,
        })
    }
}

impl Hearth {
    /// Records an invitation inside the caller's transaction (with its audit event and a
    /// line in the chronology) and returns the link, which is not kept.
    pub(crate) async fn invite_feedback(
        &self,
        tx: &mut Conn,
        actor: &Actor,
        e: &Episode,
        now: DateTime<Utc>,
    ) -> Result<FeedbackLink, AppError> {
        let token = random_token();
        let id = Uuid::now_v7();
        let expires_at = feedback::expires(now);
        store::invite(
            tx,
            id,
            e.id,
            &token_hash(&token),
            actor.user_id,
            now,
            expires_at,
            LinkFor::closure(&self.policies.surveys.version),
        )
        .await?;
        chronology::append(
            tx,
            &NewEntry {
                at: now,
                occurred_on: now.date_naive(),
                kind: EntryKind::Closure,
                episode: Some(e.id),
                organisation: None,
                actor: Some(actor.user_id),
                summary: format!(
                    "The family were invited to say how the help went (the link works until {})",
                    expires_at.format("%-d %B %Y")
                ),
                record_type: Some("episode"),
                record_id: Some(e.id.to_string()),
                visibility: NoteVisibility::Taf,
                people: &e.people,
            },
        )
        .await?;
        let mut a = event(
            Some(actor),
            &actor.email,
            AuditAction::FeedbackInvited,
            &actor.origin,
            now,
        );
        a.record_type = Some("episode");
        a.record_id = Some(e.id.to_string());
        a.detail = Some(serde_json::json!({ "invitation": id.to_string() }).to_string());
        audit::append(tx, &a).await?;
        let path = format!("/feedback/{token}");
        self.send_feedback_link(tx, e, &path, expires_at, now)
            .await?;
        Ok(FeedbackLink {
            episode: e.id,
            path,
            expires_at,
        })
    }

    /// Sends the link to each grown-up in the family, in their first language, by the channels
    /// they chose (email, text or both; a text only where texting is safe, held to their safe
    /// hours), unless their consent was withdrawn; one email an address.
    async fn send_feedback_link(
        &self,
        tx: &mut Conn,
        e: &Episode,
        path: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let letter = Letter {
            template: Template::FeedbackLink,
            values: vec![("expires", expires_at.format("%d/%m/%Y").to_string())],
            path,
            record_type: "episode",
            record_id: e.id.to_string(),
        };
        let mut sent_to: Vec<String> = Vec::new();
        for mut person in people::summaries(tx, &e.people).await? {
            let age = person.dob.map(|date| {
                DateOfBirth {
                    date,
                    certainty: person.dob_certainty.unwrap_or(DobCertainty::Exact),
                }
                .age_on(now.date_naive())
            });
            let consents = consents::for_person(tx, person.id).await?;
            let withdrawn =
                !consents.is_empty() && consents.iter().all(|c| c.withdrawn_on.is_some());
            if !writes_to_family_member(age) || withdrawn {
                continue;
            }
            // Two grown-ups sharing an address get one email between them.
            let address = person.email.as_deref().map(|a| a.trim().to_lowercase());
            if address.as_ref().is_some_and(|a| sent_to.contains(a)) {
                person.email = None;
            }
            if self.queue_by_choice(tx, &person, &letter, now).await? {
                sent_to.extend(address);
            }
        }
        Ok(())
    }

    /// A new link for a closed episode's family (the earlier one stops working), for the
    /// owning team or the last lead: they are the ones in touch with the family.
    pub async fn new_feedback_link(
        &self,
        actor: &Actor,
        id: EpisodeId,
    ) -> Result<FeedbackLink, AppError> {
        // A closed episode is read-only; "restricted notes" is what its owning team and last
        // lead keep, so it marks who still looks after the family's follow-up.
        let opened = self.episode_for(actor, id, |m| m.restricted_notes).await?;
        let e = opened.episode();
        if e.status != EpisodeStatus::Closed {
            return Err(AppError::Conflict);
        }
        let mut tx = self.store.write().await?;
        let link = self.invite_feedback(&mut tx, actor, e, self.now()).await?;
        Store::commit(tx).await?;
        Ok(link)
    }

    /// Whether a feedback link can be used now (the public page asks before showing the form).
    /// It says nothing about the family.
    pub async fn feedback_link(&self, token: &str) -> Result<Result<(), LinkProblem>, AppError> {
        let mut conn = self.store.read().await?;
        let Some(inv) = store::by_token(&mut conn, &token_hash(token)).await? else {
            return Err(AppError::NotFound);
        };
        Ok(feedback::usable(
            self.now(),
            inv.expires_at,
            inv.answered_at.is_some(),
            inv.withdrawn_at.is_some(),
        ))
    }

    /// The family's answer to the closure feedback through their link, in English: the
    /// survey's answer with only the feedback form's fields (ADR 0037).
    pub async fn give_feedback(
        &self,
        token: &str,
        form: &FeedbackForm,
        origin: &Origin,
    ) -> Result<Result<(), LinkProblem>, AppError> {
        let sent: HashMap<String, String> = [
            ("rating", &form.rating),
            ("what_changed", &form.what_changed),
            ("anything_else", &form.anything_else),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
        self.answer_survey(token, "en", &sent, origin).await
    }
}
