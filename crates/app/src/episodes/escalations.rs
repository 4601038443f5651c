//! Professional disagreements on an episode.

use super::{episode_entry, ev};
use crate::episodes::record::record_step;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::chronology::EntryKind;
use hearth_domain::episode;
use hearth_domain::ids::{EpisodeId, EscalationId};
use hearth_domain::input::{self, FieldErrors};
use hearth_store::episodes::escalations;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EscalationForm {
    #[serde(default)]
    pub about: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EscalationUpdate {
    /// "next_stage" or "resolve".
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub resolution: String,
    #[serde(default)]
    pub version: i64,
}

impl Hearth {
    /// Raises a professional disagreement on the episode (any TAF member may).
    pub async fn raise_escalation(
        &self,
        actor: &Actor,
        id: EpisodeId,
        form: &EscalationForm,
    ) -> Result<(), AppError> {
        let opened = self.episode_for(actor, id, |m| m.contribute).await?;
        let e = opened.episode();
        let mut tx = self.store.write().await?;
        let mut errors = FieldErrors::new();
        let about = input::required_text(
            &mut errors,
            "about",
            "what the disagreement is about",
            &form.about,
            5000,
        );
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        };
        let now = self.now();
        let today = now.date_naive();
        let deadline = episode::escalation_deadline(1, today).unwrap_or(today);
        escalations::insert(&mut tx, &opened, actor.user_id, &about, today, deadline).await?;
        let entry = episode_entry(
            id,
            &e.people,
            EntryKind::Escalation,
            actor.user_id,
            format!("Disagreement raised (stage 1): {about}"),
            now,
        );
        record_step(
            tx,
            &entry,
            &ev(actor, AuditAction::EscalationRaised, id, now),
        )
        .await?;
        Ok(())
    }

    /// Moves a disagreement to its next stage (with a new deadline) or records its resolution.
    pub async fn update_escalation(
        &self,
        actor: &Actor,
        id: EpisodeId,
        escalation: EscalationId,
        form: &EscalationUpdate,
    ) -> Result<(), AppError> {
        let opened = self.episode_for(actor, id, |m| m.contribute).await?;
        let e = opened.episode();
        let mut tx = self.store.write().await?;
        let current = escalations::for_episode(&mut tx, &opened)
            .await?
            .into_iter()
            .find(|x| x.id == escalation)
            .ok_or(AppError::NotFound)?;
        let now = self.now();
        let today = now.date_naive();
        let mut errors = FieldErrors::new();
        let summary = match form.action.as_str() {
            "next_stage" => {
                let stage = current.stage + 1;
                let Some(deadline) = episode::escalation_deadline(stage as u8, today) else {
                    errors.add("action", "Stage 3 is the last stage; record the resolution");
                    return Err(AppError::Invalid(errors));
                };
                escalations::advance(
                    &mut tx,
                    &opened,
                    escalation,
                    form.version,
                    stage,
                    today,
                    deadline,
                )
                .await?;
                format!("Disagreement moved to stage {stage}")
            }
            _ => {
                let resolution = input::required_text(
                    &mut errors,
                    "resolution",
                    "how it was resolved",
                    &form.resolution,
                    5000,
                );
                if !errors.is_empty() {
                    return Err(AppError::Invalid(errors));
                }
                escalations::resolve(
                    &mut tx,
                    &opened,
                    escalation,
                    form.version,
                    &resolution,
                    today,
                )
                .await?;
                format!("Disagreement resolved: {resolution}")
            }
        };
        let entry = episode_entry(
            id,
            &e.people,
            EntryKind::Escalation,
            actor.user_id,
            summary,
            now,
        );
        record_step(
            tx,
            &entry,
            &ev(actor, AuditAction::EscalationUpdated, id, now),
        )
        .await?;
        Ok(())
    }
}
