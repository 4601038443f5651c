//! The services a family plan refers the family to: chosen from the partnership's directory
//! (or typed, for a service the directory does not list), each shown with where any request
//! for it made for the family stands.

use crate::directory::service_requests::{receiver, write_request};
use crate::episodes::assessment::named_people;
use crate::{Actor, AppError, Hearth};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::access::consent_names;
use hearth_domain::directory::ServiceRequestStatus;
use hearth_domain::ids::{EpisodeId, OrganisationId, PersonId};
pub use hearth_store::directory::service_requests::ServiceRequest;
use hearth_store::directory::service_requests::{self as sr, NewServiceRequest};
use hearth_store::episodes::plans;
pub use hearth_store::episodes::plans::{PlannedService, ServiceChoice};
use hearth_store::family::consents;
use hearth_store::{Conn, Store};
use uuid::Uuid;

/// Where a request for a service stands, in words a practitioner reads at a glance.
pub fn request_standing(r: &ServiceRequest) -> String {
    let day = |t: DateTime<Utc>| t.format("%-d %B %Y").to_string();
    match r.status {
        ServiceRequestStatus::Sent => match r.first_opened_at {
            Some(at) => format!(
                "Opened by the service on {}; waiting for an answer",
                day(at)
            ),
            None => format!("Sent on {}; not opened yet", day(r.created_at)),
        },
        ServiceRequestStatus::Accepted => format!(
            "Accepted{}: {}",
            r.answered_at
                .map(|t| format!(" on {}", day(t)))
                .unwrap_or_default(),
            r.answer_reason.clone().unwrap_or_default()
        ),
        ServiceRequestStatus::Declined => format!(
            "Declined{}: {}",
            r.answered_at
                .map(|t| format!(" on {}", day(t)))
                .unwrap_or_default(),
            r.answer_reason.clone().unwrap_or_default()
        ),
    }
}

/// One service on the plan and the requests for it made for the family, newest first.
#[derive(Debug, Clone)]
pub struct ServiceOnPlan {
    /// Empty for a service typed in free text.
    pub service_id: Option<Uuid>,
    pub name: String,
    /// For one family member, by name; none for everyone in the episode.
    pub for_person: Option<String>,
    pub requests: Vec<ServiceRequest>,
    /// The requests the plan calls for that have not gone, and why.
    pub not_sent: Vec<NotSent>,
}

/// The plan's services, each with its requests, then the requests made for the family to
/// services the plan does not name (so none is out of sight).
pub fn services_on_plan(
    directory: &[PlannedService],
    free_text: &[String],
    requests: &[ServiceRequest],
    people: &[(PersonId, String)],
    not_sent: &[(Uuid, PersonId, NotSent)],
) -> (Vec<ServiceOnPlan>, Vec<ServiceRequest>) {
    let mut on_plan: Vec<ServiceOnPlan> = directory
        .iter()
        .map(|s| {
            let for_this = |person: &PersonId| s.person_id.is_none_or(|p| p == *person);
            ServiceOnPlan {
                service_id: Some(s.service_id),
                name: s.name.clone(),
                for_person: s.person_id.map(|p| {
                    people
                        .iter()
                        .find(|(id, _)| *id == p)
                        .map(|(_, n)| n.clone())
                        .unwrap_or_default()
                }),
                requests: requests
                    .iter()
                    .filter(|r| r.service_id == s.service_id && for_this(&r.person_id))
                    .cloned()
                    .collect(),
                not_sent: not_sent
                    .iter()
                    .filter(|(service, person, _)| *service == s.service_id && for_this(person))
                    .map(|(_, _, n)| n.clone())
                    .collect(),
            }
        })
        .collect();
    on_plan.extend(free_text.iter().map(|name| ServiceOnPlan {
        service_id: None,
        name: name.clone(),
        for_person: None,
        requests: Vec::new(),
        not_sent: Vec::new(),
    }));
    let others = requests
        .iter()
        .filter(|r| !directory.iter().any(|s| s.service_id == r.service_id))
        .cloned()
        .collect();
    (on_plan, others)
}

/// A request the plan calls for that has not gone, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotSent {
    /// No live consent of this person names the service's organisation.
    NoConsent {
        person_id: PersonId,
        person: String,
        organisation: String,
    },
    /// The service does not take requests through Hearth (another partnership's entry, or one
    /// no longer running): the family is referred to it directly.
    NotThroughHearth { person: String },
    /// Nothing stands in its way; it goes the next time the plan's requests are sent.
    NotYet { person: String },
}

impl NotSent {
    /// What a practitioner reads beside the service.
    pub fn describe(&self) -> String {
        match self {
            NotSent::NoConsent {
                person,
                organisation,
                ..
            } => format!("Not sent: {person} has not consented to share with {organisation}"),
            NotSent::NotThroughHearth { person } => format!(
                "Not sent for {person}: this service does not take requests through Hearth; contact it directly"
            ),
            NotSent::NotYet { person } => format!("Not sent yet for {person}"),
        }
    }
}

/// A request the plan calls for that can go now.
pub(crate) struct RequestDue {
    pub service_id: Uuid,
    pub service_name: String,
    pub person_id: PersonId,
    pub person_name: String,
    pub receiver: OrganisationId,
    pub consent_given_by: String,
}

/// The requests the plan's directory services call for that have not been made: one for each
/// service and each family member it is for (everyone in the episode unless it names one).
/// A request already made for that person to that service, whatever its answer, is never
/// made again by the plan. Each either can go now (a service taking requests through Hearth,
/// and a live consent naming its organisation) or is held back with why.
pub(crate) async fn requests_due(
    conn: &mut Conn,
    directory: &[PlannedService],
    people: &[(PersonId, String)],
    made: &[ServiceRequest],
    today: NaiveDate,
) -> Result<(Vec<RequestDue>, Vec<(Uuid, PersonId, NotSent)>), AppError> {
    let mut due = Vec::new();
    let mut held = Vec::new();
    // Each person's consents and each service's receiver are read once, however many
    // services and people the plan pairs.
    let mut consents_of = std::collections::HashMap::new();
    for s in directory {
        let receiver = receiver(conn, s.service_id).await?;
        let targets = people.iter().filter(|(p, _)| {
            s.person_id.is_none_or(|named| named == *p)
                && !made
                    .iter()
                    .any(|r| r.service_id == s.service_id && r.person_id == *p)
        });
        for (person, name) in targets {
            let Some((receiver, organisation)) = receiver.clone() else {
                held.push((
                    s.service_id,
                    *person,
                    NotSent::NotThroughHearth {
                        person: name.clone(),
                    },
                ));
                continue;
            };
            if !consents_of.contains_key(person) {
                consents_of.insert(*person, consents::for_person(conn, *person).await?);
            }
            let consent = consents_of.get(person).and_then(|list| {
                list.iter()
                    .find(|c| c.is_live(today) && consent_names(&c.share_with, &organisation))
            });
            match consent {
                Some(c) => due.push(RequestDue {
                    service_id: s.service_id,
                    service_name: s.name.clone(),
                    person_id: *person,
                    person_name: name.clone(),
                    receiver,
                    consent_given_by: c.given_by.clone(),
                }),
                None => held.push((
                    s.service_id,
                    *person,
                    NotSent::NoConsent {
                        person_id: *person,
                        person: name.clone(),
                        organisation,
                    },
                )),
            }
        }
    }
    Ok((due, held))
}

impl Hearth {
    /// Sends the requests the plan calls for that can go now (see [`requests_due`]), each
    /// through the same request and audit as one sent from the person's record. Answers how
    /// many went. Sending again sends nothing twice.
    pub async fn send_plan_requests(
        &self,
        actor: &Actor,
        id: EpisodeId,
    ) -> Result<usize, AppError> {
        let opened = self.episode_for(actor, id, |m| m.edit).await?;
        let e = opened.episode();
        let today = self.now().date_naive();
        let mut conn = self.store.read().await?;
        let Some(plan) = plans::for_episode(&mut conn, &opened).await? else {
            return Ok(0);
        };
        let people = named_people(&mut conn, e).await?;
        let made = sr::for_people(&mut conn, &e.people).await?;
        let (due, _) = requests_due(
            &mut conn,
            &plan.fields.directory_services,
            &people,
            &made,
            today,
        )
        .await?;
        drop(conn);
        if due.is_empty() {
            return Ok(0);
        }
        // A request shares the person's record with the service: the gate decides, as it does
        // for a request sent from their page.
        for d in &due {
            self.require_contribute(actor, d.person_id).await?;
        }
        let wants: Vec<String> = plan
            .fields
            .outcomes
            .iter()
            .map(|o| o.text.clone())
            .collect();
        let now = self.now();
        let mut tx = self.store.write().await?;
        // Made since it was read (another save): not made twice.
        let made = sr::for_people(&mut tx, &e.people).await?;
        let mut sent = 0;
        for d in &due {
            if made
                .iter()
                .any(|r| r.service_id == d.service_id && r.person_id == d.person_id)
            {
                continue;
            }
            let mut reason = format!(
                "The family plan refers {} to {}.",
                d.person_name, d.service_name
            );
            if !wants.is_empty() {
                reason.push_str(&format!(" What the family wants: {}", wants.join("; ")));
            }
            let reason: String = reason.chars().take(2000).collect();
            write_request(
                &mut tx,
                actor,
                &NewServiceRequest {
                    id: Uuid::now_v7(),
                    service_id: d.service_id,
                    person_id: d.person_id,
                    requester_id: actor.user_id,
                    requester_organisation_id: actor.organisation_id,
                    receiving_organisation_id: d.receiver,
                    reason: &reason,
                    consent_given_by: &d.consent_given_by,
                    contact_preference: "through_referrer",
                    contact_detail: None,
                },
                now,
            )
            .await?;
            sent += 1;
        }
        Store::commit(tx).await?;
        Ok(sent)
    }
}
