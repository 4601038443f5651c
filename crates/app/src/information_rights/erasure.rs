//! Erasure (Article 17) and restriction (Article 18) requests: the data protection officer logs
//! what a person asked, then decides with reasons — refusing under a named exemption
//! (safeguarding records are often kept) or upholding: a restriction marks the record
//! restricted, an erasure anonymises it through the retention path and writes the removal log.

use super::received_on;
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::date_parts::DateParts;
use hearth_domain::ids::PersonId;
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::retention::{
    check_decision, DecisionProblem, Exemption, Outcome, RecordType, RightsRequestKind,
    RightsRequestStatus,
};
use hearth_store::family::people;
use hearth_store::retention::rights::{self, NewRightsRequest, RightsRequest};
use hearth_store::retention::{anonymise, holds};
use hearth_store::{audit, Store};
use serde::Deserialize;
use uuid::Uuid;

/// The form that logs a request, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RightsForm {
    /// The name searched for, kept so the page can show its people again.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub requested_by: String,
    #[serde(default)]
    pub grounds: String,
    #[serde(default, rename = "received-day")]
    pub received_day: String,
    #[serde(default, rename = "received-month")]
    pub received_month: String,
    #[serde(default, rename = "received-year")]
    pub received_year: String,
}

impl RightsForm {
    pub fn received(&self) -> DateParts {
        DateParts {
            day: self.received_day.clone(),
            month: self.received_month.clone(),
            year: self.received_year.clone(),
        }
    }
}

/// The decision, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub version: String,
    /// `uphold` or `refuse`.
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub exemptions: Vec<String>,
    #[serde(default)]
    pub reasons: String,
}

impl Hearth {
    /// Logs an erasure or restriction request about a person.
    pub async fn log_rights_request(
        &self,
        actor: &Actor,
        form: &RightsForm,
    ) -> Result<Uuid, AppError> {
        let desk = self.gate.retention_desk(&self.viewer(actor)).await?;
        let today = self.now().date_naive();
        let mut e = FieldErrors::new();
        let person: Option<PersonId> = form.person.trim().parse().ok();
        if person.is_none() {
            e.add("person", "Select the person the request is about");
        }
        let kind = RightsRequestKind::from_code(form.kind.trim());
        if kind.is_none() {
            e.add(
                "kind",
                "Select whether they asked for erasure or restriction",
            );
        }
        let requested_by = input::required_text(
            &mut e,
            "requested_by",
            "who made the request",
            &form.requested_by,
            200,
        );
        let grounds = input::required_text(
            &mut e,
            "grounds",
            "what they asked for and why, in their words",
            &form.grounds,
            2000,
        );
        let received = received_on(&mut e, &form.received(), today);
        let (Some(person), Some(kind), Some(received)) = (person, kind, received) else {
            return Err(AppError::Invalid(e));
        };
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let mut tx = self.store.write().await?;
        let person = match people::get(&mut tx, person).await {
            Ok(p) => p.id,
            Err(hearth_store::StoreError::NotFound) => {
                let mut e = FieldErrors::new();
                e.add("person", "Select the person the request is about");
                return Err(AppError::Invalid(e));
            }
            Err(other) => return Err(other.into()),
        };
        let id = rights::insert(
            &mut tx,
            &desk,
            &NewRightsRequest {
                person,
                kind,
                requested_by: &requested_by,
                grounds: &grounds,
                received_on: received,
                logged_by: actor.user_id,
            },
            self.now(),
        )
        .await?;
        let mut ev = self.viewer(actor).audit;
        ev.action = AuditAction::RightsRequestLogged;
        ev.record_type = Some("rights_request");
        ev.record_id = Some(id.to_string());
        ev.detail = Some(
            serde_json::json!({ "person": person.to_string(), "kind": kind.code() }).to_string(),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// Every erasure and restriction request, open ones first.
    pub async fn rights_requests(&self, actor: &Actor) -> Result<Vec<RightsRequest>, AppError> {
        let desk = self.gate.retention_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        Ok(rights::list(&mut conn, &desk).await?)
    }

    /// One request, with whether a legal hold covers its person.
    pub async fn rights_request(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<(RightsRequest, bool), AppError> {
        let desk = self.gate.retention_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        let request = rights::get(&mut conn, &desk, id).await?;
        let held = holds::is_held(&mut conn, request.person).await?;
        Ok((request, held))
    }

    /// Decides a request. Refused: under the exemptions named, with reasons. Upheld: a
    /// restriction marks the record restricted; an erasure anonymises it (not while a legal
    /// hold stands) and writes the removal log — all in one transaction with the decision.
    pub async fn decide_rights_request(
        &self,
        actor: &Actor,
        id: Uuid,
        form: &DecisionForm,
    ) -> Result<RightsRequestStatus, AppError> {
        let desk = self.gate.retention_desk(&self.viewer(actor)).await?;
        let mut e = FieldErrors::new();
        let outcome = match form.outcome.as_str() {
            "uphold" => Some(Outcome::Uphold),
            "refuse" => Some(Outcome::Refuse),
            _ => {
                e.add("outcome", "Select whether the request is upheld or refused");
                None
            }
        };
        let exemptions: Vec<Exemption> = form
            .exemptions
            .iter()
            .filter_map(|c| Exemption::from_code(c))
            .collect();
        let reasons = input::required_text(
            &mut e,
            "reasons",
            "the reasons for the decision",
            &form.reasons,
            4000,
        );
        let version: i64 = form
            .version
            .trim()
            .parse()
            .map_err(|_| AppError::Conflict)?;
        let mut tx = self.store.write().await?;
        let request = rights::get(&mut tx, &desk, id).await?;
        let held = holds::is_held(&mut tx, request.person).await?;
        let Some(outcome) = outcome.filter(|_| e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let status = match check_decision(
            request.kind,
            request.status,
            outcome,
            &exemptions,
            &reasons,
            held,
        ) {
            Ok(s) => s,
            Err(DecisionProblem::AlreadyDecided) => return Err(AppError::Conflict),
            Err(p) => {
                let (field, message) = match p {
                    DecisionProblem::RefusedWithoutExemption => (
                        "exemptions",
                        "Select the exemption the refusal rests on",
                    ),
                    DecisionProblem::UpheldWithExemption => (
                        "exemptions",
                        "An upheld request has no exemption: clear them, or refuse it",
                    ),
                    DecisionProblem::UnderLegalHold => (
                        "outcome",
                        "A legal hold covers this record: it cannot be erased until the hold is lifted",
                    ),
                    _ => ("reasons", "Enter the reasons for the decision"),
                };
                e.add(field, message);
                return Err(AppError::Invalid(e));
            }
        };
        rights::decide(
            &mut tx,
            &desk,
            id,
            version,
            status,
            &exemptions,
            &reasons,
            actor.user_id,
            self.now(),
        )
        .await?;
        if status == RightsRequestStatus::Upheld {
            match request.kind {
                RightsRequestKind::Restriction => {
                    rights::restrict(
                        &mut tx,
                        &desk,
                        request.person,
                        &format!(
                            "Processing restricted under UK GDPR Article 18 (request received {})",
                            request.received_on.format("%-d %B %Y")
                        ),
                    )
                    .await?;
                }
                RightsRequestKind::Erasure => {
                    anonymise::person(&mut tx, &desk, request.person, self.now().date_naive())
                        .await?;
                    if let Some(rule) = self
                        .policies
                        .retention
                        .rule(RecordType::EarlyHelpFamilyRecord)
                    {
                        hearth_store::retention::record(
                            &mut tx,
                            None,
                            rule,
                            "Erasure request upheld (UK GDPR Article 17)",
                            1,
                            0,
                            self.now(),
                        )
                        .await?;
                    }
                }
            }
        }
        let mut ev = self.viewer(actor).audit;
        ev.action = AuditAction::RightsRequestDecided;
        ev.record_type = Some("rights_request");
        ev.record_id = Some(id.to_string());
        ev.reason = Some(reasons);
        ev.detail = Some(
            serde_json::json!({
                "person": request.person.to_string(),
                "kind": request.kind.code(),
                "status": status.code(),
                "exemptions": exemptions.iter().map(|x| x.code()).collect::<Vec<_>>(),
            })
            .to_string(),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        // Documents in the object store whose rows the erasure deleted (ADR 0052).
        self.sweep_after_erasure().await;
        Ok(status)
    }
}
