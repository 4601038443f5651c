//! Professional disagreements on an episode.

use super::{episode_entry, ev};
use crate::episodes::record::record_step;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::chronology::EntryKind;
use hearth_domain::disagreement::{self, Move, Stage, Step};
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
        let deadline = Stage::Conversation.deadline(today);
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
        let stage = Stage::from_number(current.stage).ok_or_else(|| {
            AppError::from(hearth_store::StoreError::Corrupt(format!(
                "disagreement stage {}",
                current.stage
            )))
        })?;
        let step = disagreement::take(stage, Step::from_code(&form.action), today);
        let summary = match step {
            Err(refusal) => {
                errors.add("action", refusal);
                return Err(AppError::Invalid(errors));
            }
            Ok(Move::To { stage, deadline }) => {
                escalations::advance(
                    &mut tx,
                    &opened,
                    escalation,
                    form.version,
                    stage.number(),
                    today,
                    deadline,
                )
                .await?;
                format!("Disagreement moved to stage {}", stage.number())
            }
            Ok(Move::Resolve) => {
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
