//! Care leavers (ADR 0053): a contact with a young person who was looked after, recorded on
//! their care record by those the gate lets at it (their social worker or team, or the
//! placements team), audited.

use super::{care_event, LeaverForm};
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::PersonId;
use hearth_store::care::leavers;
use hearth_store::{audit, Store};

impl Hearth {
    /// Records a contact with a care leaver. Nothing is saved when the form has a problem.
    pub async fn record_leaver_contact(
        &self,
        actor: &Actor,
        person: PersonId,
        form: &LeaverForm,
    ) -> Result<(), AppError> {
        let child = self
            .gate
            .open_child_in_care(&self.viewer(actor), person)
            .await?;
        let now = self.now();
        let contact = form.check(now.date_naive()).map_err(AppError::Invalid)?;
        let mut tx = self.store.write().await?;
        leavers::record(&mut tx, &child, &contact, now).await?;
        let e = care_event(
            actor,
            AuditAction::CareLeaverContactRecorded,
            "person",
            person.to_string(),
            now,
            Some(serde_json::json!({
                "recorded_on": contact.recorded_on.to_string(),
                "in_touch": contact.in_touch.code(),
            })),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
