//! Asking a Family Hub's TAF Workers for advice about a family: the lead professional (or
//! whoever works on the episode) asks from the episode, naming the family or not; the hub's
//! TAF Workers see their queue with how long each has waited and answer it; the answer is
//! kept with the episode, seen by whoever may see the episode.

use super::practice_event;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::{ConsultationId, EpisodeId, TeamId};
use hearth_domain::input::{self, FieldErrors};
use hearth_store::practice::consultations::{self, Consultation, Waiting};
use hearth_store::Store;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConsultationForm {
    #[serde(default)]
    pub hub: String,
    /// "yes" to name the family to the hub.
    #[serde(default)]
    pub named: String,
    #[serde(default)]
    pub question: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub answer: String,
}

/// The hub's queue, for its TAF Workers.
#[derive(Debug, Clone)]
pub struct HubQueue {
    pub hub: String,
    pub waiting: Vec<Waiting>,
    pub answered: Vec<Waiting>,
    pub now: chrono::DateTime<chrono::Utc>,
}

/// How many answered consultations the queue shows below those waiting.
const ANSWERED_SHOWN: i64 = 20;

impl Hearth {
    /// The Family Hubs a lead may ask (teams with a TAF Worker).
    pub async fn hubs(&self) -> Result<Vec<(TeamId, String)>, AppError> {
        let mut conn = self.store.read().await?;
        Ok(consultations::hubs(&mut conn).await?)
    }

    /// The episode's consultations, for whoever may see the episode (refused, audited,
    /// otherwise).
    pub async fn consultations(
        &self,
        actor: &Actor,
        id: EpisodeId,
    ) -> Result<Vec<Consultation>, AppError> {
        let opened = self.episode_for(actor, id, |_| true).await?;
        let mut conn = self.store.read().await?;
        Ok(consultations::for_episode(&mut conn, &opened).await?)
    }

    /// Asks a hub's TAF Workers for advice about the episode's family; those who work on the
    /// episode may.
    pub async fn ask_taf_worker(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &ConsultationForm,
    ) -> Result<ConsultationId, AppError> {
        let opened = self.episode_for(actor, id, |m| m.contribute).await?;
        let mut errors = FieldErrors::new();
        let hubs = self.hubs().await?;
        let hub = form
            .hub
            .parse::<TeamId>()
            .ok()
            .filter(|h| hubs.iter().any(|(t, _)| t == h));
        if hub.is_none() {
            errors.add("hub", "Choose the Family Hub to ask");
        }
        let named = match form.named.as_str() {
            "yes" => true,
            "no" => false,
            _ => {
                errors.add("named", "Choose whether to name the family to the hub");
                false
            }
        };
        let question = input::required_text(
            &mut errors,
            "question",
            "what you want to know",
            &form.question,
            5000,
        );
        let Some(hub) = hub.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let now = self.now();
        let mut tx = self.store.write().await?;
        let c = consultations::insert(&mut tx, &opened, hub, actor.user_id, named, &question, now)
            .await?;
        let mut e = practice_event(
            actor,
            AuditAction::ConsultationAsked,
            "episode",
            id.to_string(),
            now,
        );
        e.detail = Some(
            serde_json::json!({ "consultation": c.to_string(), "hub": hub.to_string(), "named": named })
                .to_string(),
        );
        hearth_store::audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(c)
    }

    /// The TAF Worker's hub queue: waiting consultations, oldest first, then the latest
    /// answered. Seeing it is audited (named consultations name families).
    pub async fn hub_queue(&self, actor: &Actor) -> Result<HubQueue, AppError> {
        let desk = self.gate.advice_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        let hub = hearth_store::accounts::teams::get(&mut conn, desk.team())
            .await?
            .name;
        let (waiting, answered) = consultations::queue(&mut conn, &desk, ANSWERED_SHOWN)
            .await?
            .into_iter()
            .partition(|w| w.answered_at.is_none());
        drop(conn);
        let now = self.now();
        let queue = HubQueue {
            hub,
            waiting,
            answered,
            now,
        };
        let named: Vec<String> = queue
            .waiting
            .iter()
            .chain(&queue.answered)
            .filter_map(|w| w.family.as_ref().map(|(e, _)| e.to_string()))
            .collect();
        let mut e = practice_event(
            actor,
            AuditAction::ConsultationsViewed,
            "team",
            desk.team().to_string(),
            now,
        );
        e.detail = Some(serde_json::json!({ "named_episodes": named }).to_string());
        let mut tx = self.store.write().await?;
        hearth_store::audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(queue)
    }

    /// Answers a consultation waiting at the TAF Worker's own hub.
    pub async fn answer_consultation(
        &self,
        actor: &Actor,
        id: ConsultationId,
        form: &AnswerForm,
    ) -> Result<(), AppError> {
        let desk = self.gate.advice_desk(&self.viewer(actor)).await?;
        let mut errors = FieldErrors::new();
        let answer = input::required_text(&mut errors, "answer", "your advice", &form.answer, 5000);
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        let episode =
            consultations::answer(&mut tx, &desk, id, &answer, actor.user_id, now).await?;
        let mut e = practice_event(
            actor,
            AuditAction::ConsultationAnswered,
            "episode",
            episode.to_string(),
            now,
        );
        e.detail = Some(serde_json::json!({ "consultation": id.to_string() }).to_string());
        hearth_store::audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
