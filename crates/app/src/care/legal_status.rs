//! A child's legal status changing during their care (an interim care order becoming a full
//! one, a placement order granted): recorded by their social worker on the child's page,
//! through the gate, audited, and written to the 903 return as a new episode.

use super::care_event;
use super::forms::{chosen, required_date};
use crate::{Actor, AppError, Hearth};
use chrono::NaiveDate;
use hearth_domain::audit::AuditAction;
use hearth_domain::care::{ChangeProblem, LegalStatus};
use hearth_domain::date_parts::DateParts;
use hearth_domain::ids::PersonId;
use hearth_domain::input::FieldErrors;
use hearth_store::care::legal_status;
use hearth_store::{audit, Store};
use serde::Deserialize;

/// A change of legal status as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LegalStatusForm {
    #[serde(default)]
    pub new_status: String,
    #[serde(default, rename = "changed-day")]
    pub changed_day: String,
    #[serde(default, rename = "changed-month")]
    pub changed_month: String,
    #[serde(default, rename = "changed-year")]
    pub changed_year: String,
}

impl LegalStatusForm {
    pub fn changed_parts(&self) -> DateParts {
        DateParts {
            day: self.changed_day.clone(),
            month: self.changed_month.clone(),
            year: self.changed_year.clone(),
        }
    }

    fn check(&self) -> Result<(NaiveDate, LegalStatus), FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = chosen(
            &mut errors,
            "new_status",
            "Choose the legal status it changed to",
            &self.new_status,
            LegalStatus::from_code,
        );
        let on = required_date(
            &mut errors,
            "changed",
            "The day the legal status changed",
            self.changed_parts(),
        );
        match (on, status) {
            (Some(on), Some(status)) if errors.is_empty() => Ok((on, status)),
            _ => Err(errors),
        }
    }
}

impl Hearth {
    /// Records the child's legal status changing within their latest period of care, through
    /// the gate (their social worker or team, or the placements team); checked against the
    /// period's history (ADR 0055) and audited with what it changed from.
    pub async fn change_legal_status(
        &self,
        actor: &Actor,
        person: PersonId,
        form: &LegalStatusForm,
    ) -> Result<(), AppError> {
        let child = self
            .gate
            .open_child_in_care(&self.viewer(actor), person)
            .await?;
        let (on, to) = form.check().map_err(AppError::Invalid)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        let history = legal_status::history(&mut tx, &child).await?;
        history.check(on, to, now.date_naive()).map_err(|problem| {
            let mut errors = FieldErrors::new();
            let field = match problem {
                ChangeProblem::Day(_) => "changed",
                ChangeProblem::Status(_) => "new_status",
            };
            errors.add(field, problem.message());
            AppError::Invalid(errors)
        })?;
        let from = history.on(on);
        if !legal_status::record(&mut tx, &child, on, to, now).await? {
            // Another change on the same day landed between the check and the insert.
            return Err(AppError::Conflict);
        }
        let e = care_event(
            actor,
            AuditAction::LegalStatusChanged,
            "person",
            person.to_string(),
            now,
            Some(serde_json::json!({
                "period": child.period().to_string(),
                "changed_on": on.to_string(),
                "from": from.code(),
                "to": to.code(),
            })),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
