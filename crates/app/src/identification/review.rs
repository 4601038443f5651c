//! The clerical review queue: rows whose match is uncertain, each beside the person on the
//! record it may be, with the reasons; a reviewer says whether they are the same person, and
//! the decision is kept so the pair is not asked again.

use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::identification::matching::ReviewDecision;
use hearth_domain::ids::PartnerRecordId;
use hearth_domain::input::FieldErrors;
use hearth_store::identification::records::{self, Pending};
use hearth_store::{audit, Store};
use serde::Deserialize;

/// How many waiting rows the queue shows at once.
const QUEUE_SHOWN: i64 = 50;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReviewForm {
    /// `same` or `not_same`.
    #[serde(default)]
    pub decision: String,
}

impl Hearth {
    /// The rows waiting for review (partner data analysts only). Opening it is audited.
    pub async fn review_queue(&self, actor: &Actor) -> Result<Vec<Pending>, AppError> {
        let queue = self.gate.open_review_queue(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        Ok(records::pending(&mut conn, &queue, QUEUE_SHOWN).await?)
    }

    /// One waiting row beside its candidate, for deciding. Opening it is audited.
    pub async fn pending_match(
        &self,
        actor: &Actor,
        id: PartnerRecordId,
    ) -> Result<Pending, AppError> {
        let queue = self.gate.open_review_queue(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        records::pending_one(&mut conn, &queue, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Decides whether a waiting row is the person it was put beside (partner data analysts
    /// only), settling every row waiting on the same pair. Each decision is audited.
    pub async fn decide_match(
        &self,
        actor: &Actor,
        id: PartnerRecordId,
        form: &ReviewForm,
    ) -> Result<u64, AppError> {
        let desk = self.gate.matching_desk(&self.viewer(actor)).await?;
        let Some(decision) = ReviewDecision::from_code(form.decision.trim()) else {
            let mut e = FieldErrors::new();
            e.add("decision", "Choose whether this is the same person");
            return Err(AppError::Invalid(e));
        };
        let mut tx = self.store.write().await?;
        let settled = records::decide(&mut tx, &desk, id, decision, self.now()).await?;
        if settled == 0 {
            return Err(AppError::NotFound);
        }
        let mut ev = self.identification_event(actor, AuditAction::PartnerMatchDecided);
        ev.record_type = Some("partner_record");
        ev.record_id = Some(id.to_string());
        ev.detail = Some(
            serde_json::json!({ "decision": decision.code(), "rows_settled": settled }).to_string(),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(settled)
    }
}
