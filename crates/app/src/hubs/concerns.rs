//! A concern a hub worker notes about a family registered at the hub becomes a request for
//! support at the front door (issue 21). The hub is the requester; the people it is about
//! are found on the shared record through find-before-create, or added to it from the
//! registration when nobody likely is found, and the registration is linked to them. The hub
//! still never opens the record: it sees the request it sent, nothing more.

use super::linked_person;
use crate::accounts::auth::event;
use crate::front_door::{record_requester, request_event, RequestForm};
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::{PersonId, RequestId};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::person::DobCertainty;
use hearth_domain::routing::RequestStatus;
use hearth_store::family::people::{self, PersonFields};
use hearth_store::hubs::families::{self, NewMember};
use hearth_store::{audit, requests, Store};
use serde::Deserialize;
use uuid::Uuid;

/// A concern as typed: who in the family it is about, the needs it touches, what the hub saw
/// and heard, and the request's own questions (named as on the request form).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConcernForm {
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default)]
    pub needs: Vec<String>,
    #[serde(default)]
    pub concern: String,
    #[serde(default)]
    pub family_told: String,
    #[serde(default)]
    pub consent: String,
    #[serde(default)]
    pub lawful_basis: String,
    #[serde(default)]
    pub urgency: String,
    #[serde(default)]
    pub safeguarding: String,
}

/// What the shared record is given of a member nobody likely was found for: only what the
/// hub registered (names, the date of birth or due date, the family's language).
fn person_from(m: &NewMember, language: &str) -> PersonFields {
    PersonFields {
        given_names: m.given_names.clone(),
        family_name: m.family_name.clone(),
        dob: m.dob,
        dob_certainty: m.dob.map(|_| {
            if m.expected {
                DobCertainty::Expected
            } else {
                DobCertainty::Exact
            }
        }),
        first_language: Some(language.to_string()),
        ..PersonFields::default()
    }
}

impl Hearth {
    /// Sends a hub worker's concern about a registered family to the front door as a request
    /// for support, the hub's organisation its requester. Opened through the gate's hub
    /// proof (another organisation's registration is refused, audited); the request is checked
    /// by the front door's own rules. Audited as the request sent, each person added, and the
    /// concern noted at the hub.
    pub async fn note_hub_concern(
        &self,
        actor: &Actor,
        family: Uuid,
        form: &ConcernForm,
    ) -> Result<RequestId, AppError> {
        let opened = self
            .gate
            .open_hub_family(&self.viewer(actor), actor.organisation_id, family)
            .await?;
        let (registration, members) = {
            let mut conn = self.store.read().await?;
            (
                families::family(&mut conn, &opened).await?,
                families::members_with_links(&mut conn, &opened).await?,
            )
        };
        let mut e = FieldErrors::new();
        let mut chosen = Vec::new();
        for m in &form.members {
            match members.iter().find(|(id, _)| id.to_string() == *m) {
                Some(found) => chosen.push(found),
                // A member of another family is not this hub's to send.
                None => return Err(self.refused(actor, "hub_family", family.to_string()).await),
            }
        }
        if chosen.is_empty() {
            e.add("members", "Select who in the family the concern is about");
        }
        let concern = input::required_text(
            &mut e,
            "concern",
            "what the hub saw or heard that worries you",
            &form.concern,
            4000,
        );
        // The front door's own checks, each chosen member standing in for a person until they
        // are found; the concern is the detail of every need it touches.
        let request = RequestForm {
            people: chosen.iter().map(|_| PersonId::new().to_string()).collect(),
            needs: form.needs.clone(),
            details: form
                .needs
                .iter()
                .map(|n| {
                    (
                        n.clone(),
                        format!("Noted at {}: {concern}", registration.hub_name),
                    )
                })
                .collect(),
            family_told: form.family_told.clone(),
            consent: form.consent.clone(),
            lawful_basis: form.lawful_basis.clone(),
            urgency: form.urgency.clone(),
            safeguarding: form.safeguarding.clone(),
            ..RequestForm::default()
        };
        let mut fields = match request.check(true) {
            Ok(f) if e.is_empty() => f,
            Ok(_) => return Err(AppError::Invalid(e)),
            Err(front_door) => {
                for (field, message) in front_door.iter() {
                    if e.get(field).is_none() {
                        e.add(field, message);
                    }
                }
                return Err(AppError::Invalid(e));
            }
        };
        // Find before create: the link made at registration, or one likely person now.
        let mut found = Vec::with_capacity(chosen.len());
        {
            let mut conn = self.store.read().await?;
            for (id, m) in &chosen {
                let person = match m.person {
                    Some(p) => Some(p),
                    None if m.expected => None,
                    None => linked_person(&mut conn, m, &registration.postcode).await?,
                };
                found.push((*id, person, m));
            }
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        let mut added = Vec::new();
        fields.people.clear();
        // Each member is the person found before or now, or one added from the registration.
        for (member, found, m) in found {
            let person = match found {
                Some(p) => p,
                None => {
                    let id = PersonId::new();
                    let person = person_from(m, &registration.language);
                    people::insert(&mut tx, id, &person, Some(actor.user_id), now).await?;
                    let mut ev = event(
                        Some(actor),
                        &actor.email,
                        AuditAction::PersonCreated,
                        &actor.origin,
                        now,
                    );
                    ev.record_type = Some("person");
                    ev.record_id = Some(id.to_string());
                    ev.detail = Some(
                        serde_json::json!({"from_hub_family": family.to_string()}).to_string(),
                    );
                    audit::append(&mut tx, &ev).await?;
                    added.push(id);
                    id
                }
            };
            families::link_member(&mut tx, &opened, member, person).await?;
            // Two members found to be one person (a registration typed twice) are one name
            // on the request.
            if !fields.people.contains(&person) {
                fields.people.push(person);
            }
        }
        let id = RequestId::new();
        requests::insert(
            &mut tx,
            id,
            actor.user_id,
            actor.organisation_id,
            &fields,
            RequestStatus::Submitted,
            now,
        )
        .await?;
        record_requester(&mut tx, actor, id, &fields.people, now).await?;
        audit::append(&mut tx, &request_event(actor, id, &fields, true, now)).await?;
        let mut ev = self.hub_event(actor, AuditAction::HubConcernNoted);
        ev.record_type = Some("hub_family");
        ev.record_id = Some(family.to_string());
        ev.detail = Some(
            serde_json::json!({
                "request": id.to_string(),
                "members": chosen.len(),
                "people_added": added.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
                "safeguarding": fields.safeguarding,
            })
            .to_string(),
        );
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(id)
    }
}
