//! Requests for a service: a practitioner asks a service in the directory to help a family
//! member, with the family's consent; the service's organisation opens the request and accepts
//! or declines it with a reason; the practitioner sees where it stands on the family record.

use crate::accounts::auth::event;
use crate::{Actor, AppError, Hearth};
use chrono::{DateTime, Utc};
use hearth_domain::access::RecordAction;
use hearth_domain::audit::AuditAction;
use hearth_domain::directory::{
    contact_preference_label, may_answer_service_requests, ServiceRequestStatus, ServiceStatus,
};
use hearth_domain::ids::{OrganisationId, PersonId};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::role::Capability;
use hearth_store::directory::service_requests::{self as sr, NewServiceRequest, ServiceRequest};
use hearth_store::directory::{self as dir, LOCAL};
use hearth_store::{audit, Conn, Store, StoreError};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ServiceRequestForm {
    #[serde(default)]
    pub service: String,
    #[serde(default)]
    pub reason: String,
    /// "yes" when the family agreed to their details going to the service.
    #[serde(default)]
    pub consent: String,
    #[serde(default)]
    pub consent_given_by: String,
    #[serde(default)]
    pub contact_preference: String,
    #[serde(default)]
    pub contact_detail: String,
}

/// A service that can take requests through Hearth: a running local service of a partner.
#[derive(Debug, Clone)]
pub struct RequestableService {
    pub id: Uuid,
    pub name: String,
    pub organisation: String,
}

/// Who answers requests for a service, and the directory's name for them, if the service takes
/// requests through Hearth: a published, running local service of a partner organisation.
pub(crate) async fn receiver(
    conn: &mut Conn,
    service: Uuid,
) -> Result<Option<(OrganisationId, String)>, AppError> {
    match dir::service(conn, service).await {
        Ok(s) if s.published && s.source == LOCAL && s.entry.status == ServiceStatus::Active => {
            Ok(s.organisation
                .partner_organisation_id
                .map(|o| (o, s.organisation.name)))
        }
        Ok(_) | Err(StoreError::NotFound) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// Writes a request and its audit event on the person's record.
pub(crate) async fn write_request(
    tx: &mut Conn,
    actor: &Actor,
    r: &NewServiceRequest<'_>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sr::insert(tx, r, now).await?;
    let mut ev = event(
        Some(actor),
        &actor.email,
        AuditAction::ServiceRequestSent,
        &actor.origin,
        now,
    );
    ev.record_type = Some("person");
    ev.record_id = Some(r.person_id.to_string());
    ev.detail = Some(
        serde_json::json!({"service_request_id": r.id.to_string(), "service_id": r.service_id.to_string(),
            "receiving_organisation_id": r.receiving_organisation_id.to_string(), "consent_given_by": r.consent_given_by})
        .to_string(),
    );
    audit::append(tx, &ev).await?;
    Ok(())
}

impl Hearth {
    /// Checks the actor may add to this person's record (a request shares it with a service).
    pub(crate) async fn require_contribute(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::RequestSupport).await?;
        self.gate
            .open_person(&self.viewer(actor), person, RecordAction::Contribute, None)
            .await?;
        Ok(())
    }

    /// The services a practitioner can send a request to.
    pub async fn requestable_services(&self) -> Result<Vec<RequestableService>, AppError> {
        let mut conn = self.store.read().await?;
        let lines = dir::service_lines(&mut conn, None).await?;
        let mut out = Vec::new();
        for l in lines
            .into_iter()
            .filter(|l| l.published && l.status == ServiceStatus::Active)
        {
            out.push(RequestableService {
                id: l.id,
                name: l.name,
                organisation: l.organisation,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Sends a request for a service for a family member. Audited on the person's record.
    pub async fn request_service(
        &self,
        actor: &Actor,
        person: PersonId,
        form: &ServiceRequestForm,
    ) -> Result<Uuid, AppError> {
        self.require_contribute(actor, person).await?;
        let mut e = FieldErrors::new();
        let service_id: Option<Uuid> = form.service.parse().ok();
        if service_id.is_none() {
            e.add("service", "Select the service you are asking");
        }
        let reason = input::required_text(
            &mut e,
            "reason",
            "why the family needs this service",
            &form.reason,
            2000,
        );
        if form.consent != "yes" {
            e.add(
                "consent",
                "Confirm the family agreed to their details going to the service",
            );
        }
        let consent_given_by = input::required_text(
            &mut e,
            "consent_given_by",
            "who agreed, and their relationship to the family",
            &form.consent_given_by,
            200,
        );
        if contact_preference_label(&form.contact_preference).is_none() {
            e.add(
                "contact_preference",
                "Select how the family would like to be contacted",
            );
        }
        let contact_detail = input::optional_text(
            &mut e,
            "contact_detail",
            "the number or address to use",
            &form.contact_detail,
            300,
        );
        if ["phone", "text", "email"].contains(&form.contact_preference.as_str())
            && contact_detail.is_none()
        {
            e.add(
                "contact_detail",
                "Enter the number or email address the service should use",
            );
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        let receiver = match service_id {
            Some(id) => receiver(&mut tx, id).await?.map(|(org, _)| org),
            None => None,
        };
        if service_id.is_some() && receiver.is_none() {
            e.add(
                "service",
                "That service cannot take requests through Hearth. Choose another, or contact it directly.",
            );
        }
        let (Some(service_id), Some(receiver), true) = (service_id, receiver, e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let id = Uuid::now_v7();
        write_request(
            &mut tx,
            actor,
            &NewServiceRequest {
                id,
                service_id,
                person_id: person,
                requester_id: actor.user_id,
                requester_organisation_id: actor.organisation_id,
                receiving_organisation_id: receiver,
                reason: &reason,
                consent_given_by: &consent_given_by,
                contact_preference: &form.contact_preference,
                contact_detail: contact_detail.as_deref(),
            },
            now,
        )
        .await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// The requests for a person, for their record (the caller has already opened it).
    pub async fn service_requests_for(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Vec<ServiceRequest>, AppError> {
        let opened = self
            .gate
            .open_person(&self.viewer(actor), person, RecordAction::View, None)
            .await?;
        let mut conn = self.store.read().await?;
        Ok(sr::for_people(&mut conn, &[opened.id()]).await?)
    }

    /// The requests sent to the actor's organisation's services. Audited: it lists people.
    pub async fn service_requests_received(
        &self,
        actor: &Actor,
    ) -> Result<Vec<ServiceRequest>, AppError> {
        self.require(actor, Capability::AnswerServiceRequests)
            .await?;
        let mut conn = self.store.read().await?;
        let list = sr::for_receiver(&mut conn, actor.organisation_id).await?;
        drop(conn);
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::ServiceRequestsListed,
            &actor.origin,
            self.now(),
        );
        ev.detail = Some(serde_json::json!({"shown": list.len()}).to_string());
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(list)
    }

    /// Opens a request: for the receiving organisation (noting when it was first opened), or
    /// for the practitioner who sent it. Audited on the person's record.
    pub async fn service_request(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<(ServiceRequest, bool), AppError> {
        let mut conn = self.store.read().await?;
        let r = sr::get(&mut conn, id).await?;
        drop(conn);
        let answerer = may_answer_service_requests(
            &actor.roles,
            actor.organisation_id,
            Some(r.receiving_organisation_id),
        );
        let sender = r.requester_email == actor.email;
        if !answerer && !sender {
            self.require(actor, Capability::ManageInformationRights)
                .await?;
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        if answerer {
            sr::mark_opened(&mut tx, id, now).await?;
        }
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::ServiceRequestViewed,
            &actor.origin,
            now,
        );
        ev.record_type = Some("person");
        ev.record_id = Some(r.person_id.to_string());
        ev.detail = Some(serde_json::json!({"service_request_id": id.to_string()}).to_string());
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        let may_answer = answerer && r.status.can_answer();
        Ok((r, may_answer))
    }

    /// The receiving organisation accepts or declines, saying why. Audited.
    pub async fn answer_service_request(
        &self,
        actor: &Actor,
        id: Uuid,
        accept: Option<bool>,
        reason: &str,
        version: i64,
    ) -> Result<(), AppError> {
        let mut conn = self.store.read().await?;
        let r = sr::get(&mut conn, id).await?;
        drop(conn);
        if !may_answer_service_requests(
            &actor.roles,
            actor.organisation_id,
            Some(r.receiving_organisation_id),
        ) {
            return Err(self.refused(actor, "service_request", id.to_string()).await);
        }
        let mut e = FieldErrors::new();
        if accept.is_none() {
            e.add("answer", "Select whether you can take this request on");
        }
        let reason = input::required_text(
            &mut e,
            "answer_reason",
            match accept {
                Some(false) => "why you cannot take it on, and where the family could go instead",
                _ => "what happens next for the family",
            },
            reason,
            2000,
        );
        let Some(accept) = accept.filter(|_| e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let status = if accept {
            ServiceRequestStatus::Accepted
        } else {
            ServiceRequestStatus::Declined
        };
        let now = self.now();
        let mut tx = self.store.write().await?;
        sr::answer(&mut tx, id, version, status, &reason, actor.user_id, now).await?;
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::ServiceRequestAnswered,
            &actor.origin,
            now,
        );
        ev.record_type = Some("person");
        ev.record_id = Some(r.person_id.to_string());
        ev.reason = Some(reason);
        ev.detail = Some(
            serde_json::json!({"service_request_id": id.to_string(), "status": status.code()})
                .to_string(),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
