//! Consent to share, its withdrawal, and the report of sharing without consent.

use crate::accounts::auth::event;
use crate::family::parse_date;
use crate::{Actor, AppError, Hearth};
use hearth_domain::access::RecordAction;
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::PersonId;
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::role::Capability;
use hearth_store::family::consents::{self, Consent, NewConsent, SharedWithoutConsent};
use hearth_store::{audit, family::people, Store, StoreError};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConsentForm {
    #[serde(default)]
    pub given_by: String,
    #[serde(default)]
    pub share_with: String,
    #[serde(default)]
    pub given_on: String,
    #[serde(default)]
    pub expires_on: String,
}

pub use hearth_store::family::consents::state as consent_state;

impl Hearth {
    async fn require_record_access(
        &self,
        actor: &Actor,
        person: PersonId,
        action: RecordAction,
        information_rights: bool,
    ) -> Result<PersonId, AppError> {
        // The data protection officer answers for consent across the partnership, so reads
        // it anywhere. Recording or withdrawing it is done by those who work with the family,
        // through the gate like any contribution.
        if information_rights && actor.can(Capability::ManageInformationRights) {
            let mut conn = self.store.read().await?;
            return Ok(people::get(&mut conn, person).await?.id);
        }
        Ok(self
            .gate
            .open_person(&self.viewer(actor), person, action, None)
            .await?
            .id())
    }

    pub async fn consents(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Vec<Consent>, AppError> {
        let id = self
            .require_record_access(actor, person, RecordAction::View, true)
            .await?;
        let mut conn = self.store.read().await?;
        Ok(consents::for_person(&mut conn, id).await?)
    }

    pub async fn record_consent(
        &self,
        actor: &Actor,
        person: PersonId,
        form: &ConsentForm,
    ) -> Result<Uuid, AppError> {
        let person = self
            .require_record_access(actor, person, RecordAction::Contribute, false)
            .await?;
        let mut e = FieldErrors::new();
        let given_by = input::required_text(
            &mut e,
            "given_by",
            "who gave consent, and their relationship to the family",
            &form.given_by,
            200,
        );
        let share_with = input::required_text(
            &mut e,
            "share_with",
            "who the information may be shared with",
            &form.share_with,
            1000,
        );
        let today = self.now().date_naive();
        let given_on = parse_date(&mut e, "given_on", &form.given_on);
        if form.given_on.trim().is_empty() {
            e.add("given_on", "Enter the date consent was given");
        }
        if given_on.is_some_and(|d| d > today) {
            e.add(
                "given_on",
                "The date consent was given must be today or in the past",
            );
        }
        let expires_on = parse_date(&mut e, "expires_on", &form.expires_on);
        if let (Some(g), Some(x)) = (given_on, expires_on) {
            if x <= g {
                e.add(
                    "expires_on",
                    "The end date must be after the date consent was given",
                );
            }
        }
        let (Some(given_on), true) = (given_on, e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let id = Uuid::now_v7();
        let now = self.now();
        let mut tx = self.store.write().await?;
        consents::insert(
            &mut tx,
            id,
            &NewConsent {
                person,
                given_by: &given_by,
                share_with: &share_with,
                given_on,
                expires_on,
            },
            actor.user_id,
            now,
        )
        .await?;
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::ConsentRecorded,
            &actor.origin,
            now,
        );
        ev.record_type = Some("person");
        ev.record_id = Some(person.to_string());
        ev.detail = Some(serde_json::json!({"consent_id": id.to_string(), "given_by": given_by, "share_with": share_with}).to_string());
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    pub async fn withdraw_consent(
        &self,
        actor: &Actor,
        person: PersonId,
        consent: Uuid,
        reason: &str,
    ) -> Result<(), AppError> {
        let person = self
            .require_record_access(actor, person, RecordAction::Contribute, false)
            .await?;
        let mut e = FieldErrors::new();
        let reason = input::required_text(
            &mut e,
            "withdrawn_reason",
            "what the family said",
            reason,
            1000,
        );
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        let of = match consents::withdraw(&mut tx, consent, now.date_naive(), &reason).await {
            Err(StoreError::Conflict) => return Err(AppError::Conflict),
            other => other?,
        };
        if of != person {
            return Err(AppError::NotFound);
        }
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::ConsentWithdrawn,
            &actor.origin,
            now,
        );
        ev.record_type = Some("person");
        ev.record_id = Some(person.to_string());
        ev.reason = Some(reason);
        ev.detail = Some(serde_json::json!({"consent_id": consent.to_string()}).to_string());
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// For the data protection officer: every request sent without the family's consent, with
    /// its lawful basis.
    pub async fn sharing_without_consent(
        &self,
        actor: &Actor,
    ) -> Result<Vec<SharedWithoutConsent>, AppError> {
        self.require(actor, Capability::ManageInformationRights)
            .await?;
        let mut conn = self.store.read().await?;
        let list = consents::shared_without_consent(&mut conn, 500).await?;
        drop(conn);
        let ev = event(
            Some(actor),
            &actor.email,
            AuditAction::SharingReportViewed,
            &actor.origin,
            self.now(),
        );
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(list)
    }
}

/// How far ahead the report of consents expiring looks.
pub const EXPIRING_DAYS: i64 = 30;

impl Hearth {
    /// For the data protection officer: live consents that expire in the next
    /// [`EXPIRING_DAYS`] days (the report's view is recorded with the sharing report's).
    pub async fn consents_expiring(
        &self,
        actor: &Actor,
    ) -> Result<Vec<consents::Expiring>, AppError> {
        self.require(actor, Capability::ManageInformationRights)
            .await?;
        let today = self.now().date_naive();
        let mut conn = self.store.read().await?;
        Ok(consents::expiring(
            &mut conn,
            today,
            today + chrono::Duration::days(EXPIRING_DAYS),
            500,
        )
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use hearth_domain::access::ConsentState;

    fn consent(withdrawn: Option<&str>, expires: Option<&str>) -> Consent {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        Consent {
            id: Uuid::nil(),
            person_id: PersonId::new(),
            given_by: "Mum".into(),
            share_with: "TAF".into(),
            given_on: d("2026-01-01"),
            expires_on: expires.map(d),
            withdrawn_on: withdrawn.map(d),
            withdrawn_reason: None,
            recorded_by: "x".into(),
        }
    }

    #[test]
    fn consent_state_follows_the_records() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(consent_state(&[], today), ConsentState::NotRecorded);
        assert_eq!(
            consent_state(&[consent(None, None)], today),
            ConsentState::Given
        );
        assert_eq!(
            consent_state(&[consent(Some("2026-06-01"), None)], today),
            ConsentState::Withdrawn
        );
        assert_eq!(
            consent_state(&[consent(None, Some("2026-11-01"))], today),
            ConsentState::Withdrawn,
            "expired"
        );
        assert_eq!(
            consent_state(
                &[consent(Some("2026-06-01"), None), consent(None, None)],
                today
            ),
            ConsentState::Given,
            "given again"
        );
    }
}
