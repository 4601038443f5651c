//! Challenging a front-door decision: the requester, or another agency who may open the
//! family's record, says why they think the level or the outcome is wrong; the front door
//! takes it through the same stages as a disagreement on an episode (conversation, managers,
//! senior managers) to a resolution, each stage's dates kept.

use super::practice_event;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::continuum::ContinuumLevel;
use hearth_domain::disagreement::{self, ChallengeOutcome, Move, Stage, Step};
use hearth_domain::ids::{ChallengeId, RequestId};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::role::Capability;
use hearth_store::gate::ChallengeableRequest;
use hearth_store::practice::challenges::{self, Challenge, Figures};
use hearth_store::Store;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChallengeForm {
    #[serde(default)]
    pub about: String,
    /// The level the challenger thinks right, as its number; empty when it is the outcome
    /// they challenge.
    #[serde(default)]
    pub level_sought: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChallengeUpdate {
    /// "next_stage" or "resolve".
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub resolution: String,
    #[serde(default)]
    pub version: i64,
}

/// A request's challenges, with what the reader may do.
#[derive(Debug, Clone)]
pub struct Challenges {
    pub request: RequestId,
    pub list: Vec<Challenge>,
    pub may_raise: bool,
    pub may_settle: bool,
    pub today: chrono::NaiveDate,
}

impl Challenges {
    /// A challenge still open: another is not raised beside it.
    pub fn open(&self) -> Option<&Challenge> {
        self.list.iter().find(|c| c.resolved_on.is_none())
    }
}

impl Hearth {
    async fn open_challenges(
        &self,
        actor: &Actor,
        id: RequestId,
    ) -> Result<ChallengeableRequest, AppError> {
        Ok(self.gate.open_challenges(&self.viewer(actor), id).await?)
    }

    /// The request's challenges, for who may raise or settle one (refused, audited, for
    /// anyone else).
    pub async fn challenges(&self, actor: &Actor, id: RequestId) -> Result<Challenges, AppError> {
        let opened = self.open_challenges(actor, id).await?;
        let mut conn = self.store.read().await?;
        let list = challenges::for_request(&mut conn, &opened).await?;
        Ok(Challenges {
            request: id,
            list,
            may_raise: opened.may_raise(),
            may_settle: opened.may_settle(),
            today: self.now().date_naive(),
        })
    }

    /// Raises a challenge to the request's decision, at stage 1. One is open at a time.
    pub async fn challenge_decision(
        &self,
        actor: &Actor,
        id: RequestId,
        form: &ChallengeForm,
    ) -> Result<ChallengeId, AppError> {
        let opened = self.open_challenges(actor, id).await?;
        if !opened.may_raise() {
            return Err(self.refused(actor, "request", id.to_string()).await);
        }
        let mut errors = FieldErrors::new();
        let about = input::required_text(
            &mut errors,
            "about",
            "why you think the decision is wrong",
            &form.about,
            5000,
        );
        let level_sought = match form.level_sought.trim() {
            "" => None,
            n => {
                let level = n.parse().ok().and_then(ContinuumLevel::from_number);
                if level.is_none() {
                    errors.add(
                        "level_sought",
                        "Choose the level you think is right, or none",
                    );
                }
                level
            }
        };
        let now = self.now();
        let today = now.date_naive();
        let mut tx = self.store.write().await?;
        if challenges::for_request(&mut tx, &opened)
            .await?
            .iter()
            .any(|c| c.resolved_on.is_none())
        {
            errors.add(
                "about",
                "This decision is already being challenged; add to that challenge through the front door",
            );
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let challenge = challenges::insert(
            &mut tx,
            &opened,
            actor.user_id,
            &about,
            level_sought,
            today,
            Stage::Conversation.deadline(today),
            now,
        )
        .await?;
        let mut e = practice_event(
            actor,
            AuditAction::DecisionChallenged,
            "request",
            id.to_string(),
            now,
        );
        e.detail = Some(serde_json::json!({ "challenge": challenge.to_string() }).to_string());
        hearth_store::audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(challenge)
    }

    /// Moves a challenge on a stage or records how it ended (the front door only).
    pub async fn update_challenge(
        &self,
        actor: &Actor,
        id: RequestId,
        challenge: ChallengeId,
        form: &ChallengeUpdate,
    ) -> Result<(), AppError> {
        let opened = self.open_challenges(actor, id).await?;
        if !opened.may_settle() {
            return Err(self.refused(actor, "request", id.to_string()).await);
        }
        let now = self.now();
        let today = now.date_naive();
        let mut tx = self.store.write().await?;
        let current = challenges::for_request(&mut tx, &opened)
            .await?
            .into_iter()
            .find(|c| c.id == challenge)
            .ok_or(AppError::NotFound)?;
        let mut errors = FieldErrors::new();
        let detail = match disagreement::take(current.stage, Step::from_code(&form.action), today) {
            Err(refusal) => {
                errors.add("action", refusal);
                return Err(AppError::Invalid(errors));
            }
            Ok(Move::To { stage, deadline }) => {
                challenges::advance(
                    &mut tx,
                    &opened,
                    challenge,
                    form.version,
                    stage,
                    today,
                    deadline,
                )
                .await?;
                serde_json::json!({ "challenge": challenge.to_string(), "stage": stage.number() })
            }
            Ok(Move::Resolve) => {
                let outcome = ChallengeOutcome::from_code(&form.outcome);
                if outcome.is_none() {
                    errors.add(
                        "outcome",
                        "Choose whether the decision stands or is changed",
                    );
                }
                let resolution = input::required_text(
                    &mut errors,
                    "resolution",
                    "how it was resolved",
                    &form.resolution,
                    5000,
                );
                let Some(outcome) = outcome.filter(|_| errors.is_empty()) else {
                    return Err(AppError::Invalid(errors));
                };
                challenges::resolve(
                    &mut tx,
                    &opened,
                    challenge,
                    form.version,
                    outcome,
                    &resolution,
                    actor.user_id,
                    today,
                )
                .await?;
                serde_json::json!({ "challenge": challenge.to_string(), "outcome": outcome.code() })
            }
        };
        let mut e = practice_event(
            actor,
            AuditAction::DecisionChallengeUpdated,
            "request",
            id.to_string(),
            now,
        );
        e.detail = Some(detail.to_string());
        hearth_store::audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Figures about challenges across the partnership (no family in them), for those who see
    /// reports or decide requests.
    pub async fn challenge_figures(&self, actor: &Actor) -> Result<Figures, AppError> {
        if !actor.can(Capability::DecideRequests) {
            self.require(actor, Capability::ViewReports).await?;
        }
        let mut conn = self.store.read().await?;
        Ok(challenges::figures(&mut conn).await?)
    }
}
