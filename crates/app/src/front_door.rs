//! Requests for support and the front door: drafts, sending, the queue, and the decision
//! against the Continuum of Need.

use crate::accounts::auth::event;
use crate::episodes::Opening;
use crate::family::describe_age;
use crate::family::merging::PossibleDuplicate;
use crate::messages::queue::Letter;
use crate::{Actor, AppError, Hearth};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::access::InvolvementRole;
use hearth_domain::audit::AuditAction;
use hearth_domain::chronology::EntryKind;
use hearth_domain::continuum::ContinuumLevel;
use hearth_domain::episode::EpisodeLevel;
use hearth_domain::episode::NoteVisibility;
use hearth_domain::ids::{OrganisationId, PersonId, RequestId, TeamId, UserId};
use hearth_domain::input::{self, FieldErrors};
use hearth_domain::message::Template;
use hearth_domain::need::{Concern, NeedDomain};
use hearth_domain::person::{DateOfBirth, DobCertainty};
use hearth_domain::role::{Capability, Role};
use hearth_domain::routing::{
    self, NeedSummary, Outcome, RequestStatus, SharingConsent, TargetedService, Urgency,
};
use hearth_domain::task::TaskKind;
use hearth_linkage::find::STRONG_FROM;
use hearth_store::accounts::users::{self, User, UserFilter};
use hearth_store::episodes::tasks;
use hearth_store::family::chronology::{self, Entry, NewEntry};
use hearth_store::family::distinct::{self, Distinction};
use hearth_store::family::involvements::{self, Involvement, NewInvolvement};
use hearth_store::gate::Closed;
use hearth_store::requests::{self, DecisionRow, NeedRow, RequestFields, RequestRecord};
use hearth_store::{accounts::teams, audit, family::people, Conn, Store, StoreError};
use std::collections::BTreeMap;

/// A request as typed: built from the form's fields, including repeated ones.
#[derive(Debug, Clone, Default)]
pub struct RequestForm {
    pub people: Vec<String>,
    pub needs: Vec<String>,
    pub concerns: Vec<String>,
    /// Detail per need domain code.
    pub details: BTreeMap<String, String>,
    pub family_told: String,
    pub consent: String,
    pub consent_detail: String,
    pub lawful_basis: String,
    pub urgency: String,
    /// "yes" or "no".
    pub safeguarding: String,
    pub version: i64,
}

/// The first person listed more than once on a request, if any: a request names each family
/// member once.
pub fn repeated_person(people: &[String]) -> Option<PersonId> {
    let mut seen = std::collections::HashSet::new();
    people
        .iter()
        .filter_map(|p| p.parse::<PersonId>().ok())
        .find(|p| !seen.insert(*p))
}

impl RequestForm {
    /// From the submitted form's name–value pairs.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = RequestForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "people" => f.people.push(v.clone()),
                "needs" => f.needs.push(v.clone()),
                "concerns" => f.concerns.push(v.clone()),
                "family_told" => f.family_told = v.clone(),
                "consent" => f.consent = v.clone(),
                "consent_detail" => f.consent_detail = v.clone(),
                "lawful_basis" => f.lawful_basis = v.clone(),
                "urgency" => f.urgency = v.clone(),
                "safeguarding" => f.safeguarding = v.clone(),
                "version" => f.version = v.parse().unwrap_or(0),
                other => {
                    if let Some(domain) = other.strip_prefix("detail_") {
                        f.details.insert(domain.to_string(), v.clone());
                    }
                }
            }
        }
        f
    }

    pub fn from_record(r: &RequestRecord) -> Self {
        Self {
            people: r.people.iter().map(|p| p.to_string()).collect(),
            needs: r.needs.iter().map(|n| n.domain.code().into()).collect(),
            concerns: r
                .needs
                .iter()
                .flat_map(|n| n.concerns.iter().map(|c| c.code().into()))
                .collect(),
            details: r
                .needs
                .iter()
                .filter_map(|n| Some((n.domain.code().into(), n.detail.clone()?)))
                .collect(),
            family_told: r.family_told.clone().unwrap_or_default(),
            consent: r.consent.map(|c| c.code().into()).unwrap_or_default(),
            consent_detail: r.consent_detail.clone().unwrap_or_default(),
            lawful_basis: r.lawful_basis.clone().unwrap_or_default(),
            urgency: r.urgency.code().into(),
            safeguarding: if r.safeguarding { "yes" } else { "no" }.into(),
            version: r.version,
        }
    }

    /// Checks the form. A draft only needs to be storable; a request being sent must be complete.
    pub(crate) fn check(&self, sending: bool) -> Result<RequestFields, FieldErrors> {
        let mut e = FieldErrors::new();
        // Checked in the order the questions appear, so the error summary reads the same way.
        let safeguarding = match self.safeguarding.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        };
        if sending && safeguarding.is_none() {
            e.add(
                "safeguarding",
                "Select yes if you are worried a child is at risk of significant harm",
            );
        }

        let people: Vec<PersonId> = self.people.iter().filter_map(|p| p.parse().ok()).collect();
        if sending && people.is_empty() {
            e.add(
                "people",
                "Select at least one family member the request is about",
            );
        }
        if let Some(p) = repeated_person(&self.people) {
            e.add("people", format!("Person {p} is listed more than once"));
        }
        let concerns: Vec<Concern> = self
            .concerns
            .iter()
            .filter_map(|c| Concern::from_code(c))
            .collect();
        let mut domains: Vec<NeedDomain> = self
            .needs
            .iter()
            .filter_map(|d| NeedDomain::from_code(d))
            .collect();
        domains.extend(concerns.iter().map(|c| c.domain()));
        domains.sort();
        domains.dedup();
        if sending && domains.is_empty() {
            e.add("needs", "Select at least one need");
        }
        let needs = domains
            .iter()
            .map(|d| NeedRow {
                domain: *d,
                concerns: concerns
                    .iter()
                    .filter(|c| c.domain() == *d)
                    .copied()
                    .collect(),
                detail: self
                    .details
                    .get(d.code())
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty()),
            })
            .collect::<Vec<_>>();
        // A need ticked is a need the front door decides on: it reads what is happening, in
        // the requester's words. (A need reached only through a concern ticked is described
        // by that concern.)
        let ticked: Vec<NeedDomain> = self
            .needs
            .iter()
            .filter_map(|d| NeedDomain::from_code(d))
            .collect();
        for n in &needs {
            let field = format!("detail_{}", n.domain.code());
            if sending && n.detail.is_none() && ticked.contains(&n.domain) {
                e.add(
                    &field,
                    format!(
                        "Describe what is happening for \"{}\", and for whom",
                        n.domain.label()
                    ),
                );
            }
            if n.detail
                .as_deref()
                .is_some_and(|d| d.chars().count() > 4000)
            {
                e.add(
                    &field,
                    format!(
                        "{}: the detail must be 4000 characters or fewer",
                        n.domain.label()
                    ),
                );
            }
        }
        let family_told = input::optional_text(
            &mut e,
            "family_told",
            "what the family has been told",
            &self.family_told,
            4000,
        );
        let consent = SharingConsent::from_code(&self.consent);
        if sending && consent.is_none() {
            e.add(
                "consent",
                "Select whether the family agreed to share their information",
            );
        }
        let consent_detail = input::optional_text(
            &mut e,
            "consent_detail",
            "who agreed and to what",
            &self.consent_detail,
            2000,
        );
        let lawful_basis = input::optional_text(
            &mut e,
            "lawful_basis",
            "the lawful basis",
            &self.lawful_basis,
            2000,
        );
        if sending && consent.is_some_and(|c| c != SharingConsent::Given) && lawful_basis.is_none()
        {
            e.add("lawful_basis", "Without the family's consent, give the lawful basis for sharing and why (for example, a safeguarding concern)");
        }
        let urgency = Urgency::from_code(&self.urgency);
        if sending && urgency.is_none() {
            e.add("urgency", "Select how soon the family needs help");
        }
        let safeguarding = safeguarding.unwrap_or(false);
        e.into_result(RequestFields {
            urgency: urgency.unwrap_or(Urgency::Routine),
            safeguarding,
            queue: routing::queue_for(safeguarding),
            family_told,
            consent,
            consent_detail,
            lawful_basis,
            people,
            needs,
        })
    }
}

/// A request with its people as the viewer may see them.
#[derive(Debug, Clone)]
pub struct RequestView {
    pub request: RequestRecord,
    /// (id, name, age) of each family member in the request.
    pub people: Vec<(PersonId, String, String)>,
    /// While it is the front door's: the working day by whose end it must be decided.
    pub due: Option<NaiveDate>,
    pub overdue: bool,
    /// Whether the decision's rationale is shown: it draws on the family's record, so a
    /// requester who may not open the record sees the outcome only.
    pub shows_rationale: bool,
}

/// What the officer reads beside the decision: the family's history, other requests about
/// them still at the front door, and records that may be the same people.
#[derive(Debug, Clone, Default)]
pub struct DecisionAside {
    pub history: History,
    pub other_requests: Vec<RequestView>,
    pub duplicates: Vec<FamilyDuplicate>,
}

/// The family's chronology, as the gate lets the front door read it.
#[derive(Debug, Clone, Default)]
pub enum History {
    #[default]
    Unknown,
    /// The newest entries of the first person's family chronology.
    Entries {
        person: PersonId,
        entries: Vec<Entry>,
        more: bool,
    },
    /// A restricted person's chronology opens only with a reason, given on its own page.
    ReasonNeeded { person: PersonId, name: String },
}

/// A record that may be the same as one of the request's people: found by the search, or
/// recorded as a different person by whoever added them (with their reason).
#[derive(Debug, Clone)]
pub struct FamilyDuplicate {
    /// The request's person it may duplicate.
    pub of: String,
    pub other: PersonId,
    pub other_name: String,
    pub other_age: String,
    pub reasons: Vec<String>,
    /// Said to be a different person when added, by whom and why.
    pub said_different: Option<Distinction>,
    /// More than a shared name (a date of birth, a postcode or an identifier agrees too):
    /// shown first. A common name alone matches many records, which the page folds away.
    pub strong: bool,
}

impl DecisionAside {
    /// The possible duplicates that rest on little more than a shared name.
    pub fn weak_duplicates(&self) -> usize {
        self.duplicates.iter().filter(|d| !d.strong).count()
    }
}

/// A manager's answer to a decision held for confirmation.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ConfirmationForm {
    /// "confirm" or "send_back".
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub reason: String,
}

/// How many chronology entries the decision page shows beside the form.
const HISTORY_SHOWN: usize = 10;

/// What the front door sees before deciding.
#[derive(Debug, Clone)]
pub struct DecisionContext {
    pub view: RequestView,
    pub proposed_service: TargetedService,
    /// The latest earlier request for this family within 12 months.
    pub rerequest: Option<DateTime<Utc>>,
    /// Current lead professionals, workers and teams: join their TAF rather than start another.
    pub existing: Vec<(String, Involvement)>,
    /// People who can lead Early Family Help.
    pub leads: Vec<User>,
}

/// The decision as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub rationale: String,
    #[serde(default)]
    pub signposted_to: String,
    #[serde(default)]
    pub lead_user_id: String,
    #[serde(default)]
    pub service: String,
    #[serde(default)]
    pub override_reason: String,
    #[serde(default)]
    pub nfa_reason: String,
}

impl DecisionForm {
    fn check(
        &self,
        proposed: TargetedService,
    ) -> Result<(ContinuumLevel, Outcome, String), FieldErrors> {
        let mut e = FieldErrors::new();
        let level = self
            .level
            .parse::<i64>()
            .ok()
            .and_then(ContinuumLevel::from_number);
        if level.is_none() {
            e.add("level", "Select the level of need on the Continuum");
        }
        let rationale = input::required_text(
            &mut e,
            "rationale",
            "the rationale for your decision",
            &self.rationale,
            4000,
        );
        let mut need = |field: &str, what: &str, value: &str| {
            input::required_text(&mut e, field, what, value, 2000)
        };
        let outcome = match self.outcome.as_str() {
            "signpost" => Some(Outcome::Signpost {
                suggested: need(
                    "signposted_to",
                    "the services suggested to the family",
                    &self.signposted_to,
                ),
            }),
            "early_help" => match self.lead_user_id.parse::<UserId>() {
                Ok(lead) => Some(Outcome::OpenEarlyHelp { lead }),
                Err(_) => {
                    e.add("lead_user_id", "Select the lead professional");
                    None
                }
            },
            "targeted" => {
                let service = TargetedService::from_code(&self.service).unwrap_or(proposed);
                let override_reason = if service != proposed {
                    Some(input::required_text(
                        &mut e,
                        "override_reason",
                        "why a different service should help",
                        &self.override_reason,
                        2000,
                    ))
                } else {
                    None
                };
                Some(Outcome::OpenTargeted {
                    service,
                    override_reason,
                })
            }
            "step_up" => Some(Outcome::StepUpToSocialCare),
            "no_further_action" => Some(Outcome::NoFurtherAction {
                reason: need(
                    "nfa_reason",
                    "the reason for no further action",
                    &self.nfa_reason,
                ),
            }),
            _ => {
                e.add("outcome", "Select what happens next");
                None
            }
        };
        if let (Some(l), Some(o)) = (level, &outcome) {
            if !o.fits(l) {
                e.add(
                    "outcome",
                    format!(
                        "{} does not fit {}: change the level or the outcome",
                        o.label(),
                        l.label()
                    ),
                );
            }
        }
        let (Some(level), Some(outcome)) = (level, outcome) else {
            return Err(e);
        };
        e.into_result((level, outcome, rationale))
    }
}

impl Hearth {
    /// Saves a request as a draft, or sends it. Returns its id.
    pub async fn save_request(
        &self,
        actor: &Actor,
        id: Option<RequestId>,
        form: &RequestForm,
        send: bool,
    ) -> Result<RequestId, AppError> {
        self.require(actor, Capability::RequestSupport).await?;
        // Someone else's request is refused before its form is read.
        if let Some(id) = id {
            let mut conn = self.store.read().await?;
            let existing = requests::get(&mut conn, id).await?;
            drop(conn);
            if existing.requester_id != actor.user_id {
                return Err(self.refused(actor, "request", id.to_string()).await);
            }
        }
        let fields = form.check(send).map_err(AppError::Invalid)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        let id = write_request(&mut tx, actor, id, form.version, &fields, send, now).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// A request, for its requester or the front door.
    pub async fn request(&self, actor: &Actor, id: RequestId) -> Result<RequestView, AppError> {
        let mut conn = self.store.read().await?;
        let request = requests::get(&mut conn, id).await?;
        drop(conn);
        if !self
            .gate
            .may_read_request(&self.viewer(actor), &request)
            .await?
        {
            return Err(self.refused(actor, "request", id.to_string()).await);
        }
        // A requester reads the rationale only if they may open the whole family's record.
        let shows_rationale = request.requester_id != actor.user_id || {
            let people: Vec<(PersonId, bool, Vec<Role>)> = request
                .people
                .iter()
                .map(|p| (*p, false, Vec::new()))
                .collect();
            self.gate
                .glimpses(&self.viewer(actor), &people)
                .await?
                .iter()
                .all(|g| g.may_open)
        };
        let mut conn = self.store.read().await?;
        let mut view = self.with_people(&mut conn, vec![request]).await?.remove(0);
        view.shows_rationale = shows_rationale;
        drop(conn);
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::RequestViewed,
            &actor.origin,
            self.now(),
        );
        ev.record_type = Some("request");
        ev.record_id = Some(id.to_string());
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(view)
    }

    /// Names and ages of the people in each request, loaded together.
    async fn with_people(
        &self,
        conn: &mut hearth_store::Conn,
        list: Vec<RequestRecord>,
    ) -> Result<Vec<RequestView>, AppError> {
        let ids: Vec<PersonId> = list.iter().flat_map(|r| r.people.iter().copied()).collect();
        let found = people::summaries(conn, &ids).await?;
        let now = self.now();
        let today = now.date_naive();
        Ok(list
            .into_iter()
            .map(|request| {
                let due = request
                    .submitted_at
                    .filter(|_| request.status.is_open())
                    .map(|at| {
                        self.policies.front_door.due.due_on(
                            at,
                            request.urgency,
                            request.safeguarding,
                        )
                    });
                let people = request
                    .people
                    .iter()
                    .filter_map(|id| found.iter().find(|p| p.id == *id))
                    .map(|p| {
                        (
                            p.id,
                            format!("{} {}", p.given_names, p.family_name),
                            describe_age(p.dob, p.dob_certainty, today),
                        )
                    })
                    .collect();
                RequestView {
                    request,
                    people,
                    overdue: due.is_some_and(|d| routing::is_overdue(d, now)),
                    due,
                    // Only `request` weighs who is reading; a list never shows it.
                    shows_rationale: false,
                }
            })
            .collect())
    }

    /// The requests a practitioner has made, with their outcomes.
    pub async fn my_requests(&self, actor: &Actor) -> Result<Vec<RequestView>, AppError> {
        let mut conn = self.store.read().await?;
        let list = requests::made_by(&mut conn, actor.user_id, 20).await?;
        self.with_people(&mut conn, list).await
    }

    /// The front door's queue: safeguarding first, then urgency, then age.
    pub async fn front_door_queue(
        &self,
        actor: &Actor,
        mine_only: bool,
    ) -> Result<Vec<RequestView>, AppError> {
        self.require(actor, Capability::DecideRequests).await?;
        let mut conn = self.store.read().await?;
        let list = requests::queue(&mut conn, mine_only.then_some(actor.user_id), 200).await?;
        let out = self.with_people(&mut conn, list).await?;
        drop(conn);
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::FrontDoorQueueViewed,
            &actor.origin,
            self.now(),
        );
        ev.detail = Some(serde_json::json!({"requests": out.len()}).to_string());
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(out)
    }

    /// "Assign to me".
    pub async fn assign_request(
        &self,
        actor: &Actor,
        id: RequestId,
        version: i64,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::DecideRequests).await?;
        let mut conn = self.store.read().await?;
        let waiting = requests::get(&mut conn, id).await?.status == RequestStatus::Submitted;
        drop(conn);
        // Only a request waiting for the front door is the front door's to take.
        if !waiting {
            return Err(self.refused(actor, "request", id.to_string()).await);
        }
        let mut tx = self.store.write().await?;
        requests::assign(&mut tx, id, version, actor.user_id, self.now()).await?;
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::RequestAssigned,
            &actor.origin,
            self.now(),
        );
        ev.record_type = Some("request");
        ev.record_id = Some(id.to_string());
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }

    /// Everything the officer needs to decide: the proposed service and the warnings.
    pub async fn decision_context(
        &self,
        actor: &Actor,
        id: RequestId,
    ) -> Result<DecisionContext, AppError> {
        self.require(actor, Capability::DecideRequests).await?;
        let view = self.request(actor, id).await?;
        let mut conn = self.store.read().await?;
        let today = self.now().date_naive();
        let mut ages = Vec::new();
        let mut existing = Vec::new();
        for p in &view.request.people {
            let person = people::get(&mut conn, *p).await?;
            if let Some(date) = person.dob {
                let certainty = person.dob_certainty.unwrap_or(DobCertainty::Exact);
                ages.push(DateOfBirth { date, certainty }.age_on(today));
            }
            for i in involvements::current_for(&mut conn, *p).await? {
                if i.role != InvolvementRole::Requester && i.role != InvolvementRole::Recorder {
                    existing.push((format!("{} {}", person.given_names, person.family_name), i));
                }
            }
        }
        let needs: Vec<NeedSummary> = view
            .request
            .needs
            .iter()
            .map(|n| NeedSummary {
                domain: n.domain,
                concerns: n.concerns.clone(),
            })
            .collect();
        let earlier = requests::earlier_for_people(&mut conn, &view.request.people, id).await?;
        let leads = users::list(&mut conn, &UserFilter::default(), 500)
            .await?
            .into_iter()
            .filter(|u| {
                u.active && (u.roles.has(Role::LeadProfessional) || u.roles.has(Role::Practitioner))
            })
            .collect();
        Ok(DecisionContext {
            proposed_service: routing::propose_targeted_service(&ages, &needs),
            rerequest: routing::rerequest_within_year(
                &earlier,
                view.request.submitted_at.unwrap_or_else(|| self.now()),
            ),
            existing,
            leads,
            view,
        })
    }

    /// What the officer reads beside the decision, each part through the gate as the front
    /// door stands to the family: the chronology of the first person's family, other requests
    /// about them waiting at the front door, and records that may be the same people.
    pub async fn decision_aside(
        &self,
        actor: &Actor,
        ctx: &DecisionContext,
    ) -> Result<DecisionAside, AppError> {
        let request = &ctx.view.request;
        let history = match request.people.first() {
            None => History::Unknown,
            Some(first) => match self.chronology(actor, *first, &[], None, 1, None).await {
                Ok(page) => History::Entries {
                    person: *first,
                    more: page.more || page.entries.len() > HISTORY_SHOWN,
                    entries: page.entries.into_iter().take(HISTORY_SHOWN).collect(),
                },
                Err(AppError::ReasonNeeded { id, name }) => {
                    History::ReasonNeeded { person: id, name }
                }
                Err(e) => return Err(e),
            },
        };
        let viewer = self.viewer(actor);
        let mut conn = self.store.read().await?;
        let others = requests::open_about(&mut conn, &request.people, request.id).await?;
        let others = self.with_people(&mut conn, others).await?;
        drop(conn);
        let mut other_requests = Vec::new();
        for r in others {
            if self.gate.may_read_request(&viewer, &r.request).await? {
                other_requests.push(r);
            }
        }
        let mut duplicates = Vec::new();
        for (id, name, _) in &ctx.view.people {
            let opened = match self
                .gate
                .open_person(
                    &viewer,
                    *id,
                    hearth_domain::access::RecordAction::View,
                    None,
                )
                .await
            {
                Ok(o) => o,
                // A restricted person's record waits for its reason, given on their page.
                Err(Closed::ReasonNeeded { .. }) => continue,
                Err(e) => return Err(e.into()),
            };
            let mut conn = self.store.read().await?;
            let said = distinct::of(&mut conn, &opened).await?;
            let said_people =
                people::summaries(&mut conn, &said.iter().map(|d| d.other).collect::<Vec<_>>())
                    .await?;
            drop(conn);
            // The family's other members share a surname and a postcode with each other:
            // they are the family, not duplicates of one another.
            let found: Vec<PossibleDuplicate> = self
                .likely_same(actor, *id)
                .await?
                .into_iter()
                .filter(|d| !request.people.contains(&d.id))
                .collect();
            let today = self.now().date_naive();
            for d in &found {
                duplicates.push(FamilyDuplicate {
                    of: name.clone(),
                    other: d.id,
                    other_name: d.name.clone(),
                    other_age: d.age.clone(),
                    reasons: d.reasons.clone(),
                    said_different: said.iter().find(|s| s.other == d.id).cloned(),
                    strong: d.score >= STRONG_FROM,
                });
            }
            for s in said.iter().filter(|s| {
                !found.iter().any(|d| d.id == s.other) && !request.people.contains(&s.other)
            }) {
                let Some(p) = said_people.iter().find(|p| p.id == s.other) else {
                    continue;
                };
                duplicates.push(FamilyDuplicate {
                    of: name.clone(),
                    other: p.id,
                    other_name: format!("{} {}", p.given_names, p.family_name),
                    other_age: describe_age(p.dob, p.dob_certainty, today),
                    reasons: Vec::new(),
                    said_different: Some(s.clone()),
                    strong: true,
                });
            }
        }
        // The strongest first (the search ranks each person's own; this orders the family's).
        duplicates.sort_by_key(|d| !d.strong);
        Ok(DecisionAside {
            history,
            other_requests,
            duplicates,
        })
    }

    /// Records the decision; a second officer deciding the same request is told it was already
    /// decided and nothing is overwritten. Closing a safeguarding concern (universal services
    /// or no further action) is held until a manager confirms it. Returns where the request
    /// now stands: decided, or awaiting confirmation.
    pub async fn decide_request(
        &self,
        actor: &Actor,
        id: RequestId,
        form: &DecisionForm,
    ) -> Result<RequestStatus, AppError> {
        let ctx = self.decision_context(actor, id).await?;
        if ctx.view.request.status != RequestStatus::Submitted {
            return Err(AppError::Conflict);
        }
        let (level, outcome, rationale) = form
            .check(ctx.proposed_service)
            .map_err(AppError::Invalid)?;
        let held = routing::needs_confirmation(ctx.view.request.safeguarding, level, &outcome);
        let now = self.now();
        let row = DecisionRow {
            decided_by: actor.user_id,
            decided_by_name: actor.display_name.clone(),
            decided_at: now,
            level,
            outcome: outcome.clone(),
            rationale,
            proposed_service: Some(ctx.proposed_service),
            confirmed: None,
        };
        let mut tx = self.store.write().await?;
        let request = &ctx.view.request;
        let opening = |level, service, team, lead| Opening {
            request: Some(id),
            level,
            service,
            team,
            lead,
            requester: Some(request.requester_id),
            people: request.people.clone(),
            needs: request.needs.iter().map(|n| n.domain).collect(),
        };
        let mut open = None;
        match &outcome {
            Outcome::Signpost { .. } => {}
            Outcome::OpenEarlyHelp { lead } => {
                let lead = users::get(&mut tx, *lead).await?;
                // Help led by a partner stays overseen by the deciding team, whose manager
                // signs off its closure; a council lead's own team oversees it otherwise.
                let team = (lead.organisation_id != actor.organisation_id)
                    .then_some(actor.team_id)
                    .flatten();
                open = Some(opening(EpisodeLevel::Early, None, team, Some(lead)));
            }
            Outcome::OpenTargeted { service, .. } => {
                let name = match service {
                    TargetedService::Core => &self.policies.routing.core,
                    TargetedService::Adolescence => &self.policies.routing.adolescence,
                };
                let team = teams::list(&mut tx, None)
                    .await?
                    .into_iter()
                    .find(|t| t.active && t.name == *name)
                    .map(|t| t.id);
                open = Some(opening(EpisodeLevel::Targeted, Some(*service), team, None));
            }
            Outcome::StepUpToSocialCare | Outcome::NoFurtherAction { .. } => {}
        }
        let status = if held {
            RequestStatus::AwaitingConfirmation
        } else {
            RequestStatus::Decided
        };
        match requests::decide(&mut tx, id, &row, status).await {
            Err(StoreError::Conflict) => return Err(AppError::Conflict),
            other => other?,
        }
        if held {
            self.ask_for_confirmation(&mut tx, actor, &ctx.view, now)
                .await?;
        } else {
            let decider = Decider {
                user: actor.user_id,
                team: actor.team_id,
                organisation: actor.organisation_id,
            };
            self.record_decision(&mut tx, request, &row, &decider, None, now)
                .await?;
            if let Some(o) = &open {
                self.open_episode(&mut tx, o, actor.user_id, now).await?;
            }
        }
        let mut ev = event(
            Some(actor),
            &actor.email,
            AuditAction::RequestDecided,
            &actor.origin,
            now,
        );
        ev.record_type = Some("request");
        ev.record_id = Some(id.to_string());
        ev.detail = Some(serde_json::json!({"level": level.number(), "outcome": outcome.code(), "service": outcome.targeted_service().map(|s| s.code()), "proposed_service": ctx.proposed_service.code(), "held_for_confirmation": held}).to_string());
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(status)
    }

    /// A held decision goes to the deciding team's managers (every team manager, if that
    /// team has none, so that it never waits unseen), as a task due the same working day.
    async fn ask_for_confirmation(
        &self,
        tx: &mut Conn,
        actor: &Actor,
        view: &RequestView,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let managers: Vec<User> = users::list(&mut *tx, &UserFilter::default(), 1000)
            .await?
            .into_iter()
            .filter(|u| u.active && u.roles.can(Capability::SignOff) && u.id != actor.user_id)
            .collect();
        let own: Vec<&User> = managers
            .iter()
            .filter(|u| u.team_id.is_some() && u.team_id == actor.team_id)
            .collect();
        let chosen: Vec<&User> = if own.is_empty() {
            managers.iter().collect()
        } else {
            own
        };
        let family = view
            .people
            .iter()
            .map(|(_, name, _)| name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let due = self
            .policies
            .front_door
            .due
            .due_on(now, view.request.urgency, true);
        for m in chosen {
            tasks::insert(
                &mut *tx,
                &tasks::NewTask {
                    kind: TaskKind::ConfirmDecision,
                    request: Some(view.request.id),
                    episode: None,
                    user: Some(m.id),
                    team: None,
                    title: format!(
                        "Confirm or send back {}'s decision to close a safeguarding concern: {family}",
                        actor.display_name
                    ),
                    due_on: due,
                },
                now,
            )
            .await?;
        }
        Ok(())
    }

    /// What a final decision changes: the requester's and recorders' access ends, the
    /// deciding officer keeps reading the family for a few days, and the decision with its
    /// rationale joins the family's chronology.
    async fn record_decision(
        &self,
        tx: &mut Conn,
        request: &RequestRecord,
        row: &DecisionRow,
        decider: &Decider,
        confirmed_by: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let id = request.id;
        // Asking and recording gave access only until the decision; the deciding officer
        // keeps reading the family for a few days, to answer the requester's questions.
        involvements::end_for_decided_request(&mut *tx, id, &request.people, now.date_naive())
            .await?;
        let until =
            now.date_naive() + chrono::Duration::days(self.policies.gate.deciding_officer_days);
        for p in &request.people {
            involvements::insert(
                &mut *tx,
                &NewInvolvement {
                    person: *p,
                    user: Some(decider.user),
                    team: decider.team,
                    organisation: decider.organisation,
                    role: InvolvementRole::DecidingOfficer,
                    request: Some(id),
                    episode: None,
                    until: Some(until),
                },
                now,
            )
            .await?;
        }
        let level = row.level.label();
        let outcome = row.outcome.label();
        let confirmed = confirmed_by
            .map(|m| format!(" Confirmed by {m}."))
            .unwrap_or_default();
        chronology::append(
            &mut *tx,
            &NewEntry {
                at: now,
                occurred_on: now.date_naive(),
                kind: EntryKind::Decision,
                episode: None,
                organisation: None,
                actor: Some(decider.user),
                summary: format!(
                    "Front door decision: {level} — {outcome}. Rationale: {}{confirmed}",
                    row.rationale
                ),
                record_type: Some("request"),
                record_id: Some(id.to_string()),
                visibility: NoteVisibility::Taf,
                people: &request.people,
            },
        )
        .await?;
        // The requester hears that it is decided; what was decided they read signed in.
        let path = format!("/requests/{id}");
        let letter = Letter {
            template: Template::RequestOutcome,
            values: Vec::new(),
            path: &path,
            record_type: "request",
            record_id: id.to_string(),
        };
        self.queue_for_user(tx, request.requester_id, letter, now)
            .await?;
        Ok(())
    }

    /// A manager confirms a decision held for confirmation, which then takes effect, or sends
    /// it back to the front door with a reason. Someone other than the deciding officer
    /// must answer.
    pub async fn confirm_decision(
        &self,
        actor: &Actor,
        id: RequestId,
        form: &ConfirmationForm,
    ) -> Result<(), AppError> {
        self.require(actor, Capability::SignOff).await?;
        let view = self.request(actor, id).await?;
        let request = view.request;
        let Some(row) = request
            .decision
            .clone()
            .filter(|_| request.status == RequestStatus::AwaitingConfirmation)
        else {
            return Err(AppError::Conflict);
        };
        let mut e = FieldErrors::new();
        if row.decided_by == actor.user_id {
            e.add(
                "answer",
                "Another manager must confirm a decision you made yourself",
            );
        }
        let send_back = match form.answer.as_str() {
            "confirm" => false,
            "send_back" => true,
            _ => {
                e.add(
                    "answer",
                    "Select whether you confirm the decision or send it back",
                );
                false
            }
        };
        let reason = if send_back {
            input::required_text(
                &mut e,
                "reason",
                "why the decision is sent back, so the officer knows what to look at again",
                &form.reason,
                2000,
            )
        } else {
            String::new()
        };
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        let done = if send_back {
            requests::send_back(&mut tx, id, actor.user_id, &reason, now).await
        } else {
            requests::confirm(&mut tx, id, actor.user_id, now).await
        };
        match done {
            Err(StoreError::Conflict) => return Err(AppError::Conflict),
            other => other?,
        }
        if !send_back {
            let officer = users::get(&mut tx, row.decided_by).await?;
            let decider = Decider {
                user: officer.id,
                team: officer.team_id,
                organisation: officer.organisation_id,
            };
            self.record_decision(
                &mut tx,
                &request,
                &row,
                &decider,
                Some(&actor.display_name),
                now,
            )
            .await?;
        }
        tasks::complete_for_request(
            &mut tx,
            id,
            TaskKind::ConfirmDecision,
            actor.user_id,
            Some(if send_back { "sent_back" } else { "confirmed" }),
            now,
        )
        .await?;
        let mut ev = event(
            Some(actor),
            &actor.email,
            if send_back {
                AuditAction::RequestDecisionSentBack
            } else {
                AuditAction::RequestDecisionConfirmed
            },
            &actor.origin,
            now,
        );
        ev.record_type = Some("request");
        ev.record_id = Some(id.to_string());
        ev.reason = send_back.then_some(reason);
        ev.detail = Some(serde_json::json!({"decided_by": row.decided_by.to_string(), "level": row.level.number(), "outcome": row.outcome.code(), "rationale": row.rationale}).to_string());
        audit::append(&mut tx, &ev).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}

/// Who a final decision is recorded as made by.
struct Decider {
    user: UserId,
    team: Option<TeamId>,
    organisation: OrganisationId,
}

/// Writes a request checked by `RequestForm::check` in the caller's transaction: a new one
/// (`id` none) or a draft's next version, sent or kept as a draft, with the requester's
/// involvement when sent and the audit event. Every person must be on the record.
pub(crate) async fn write_request(
    tx: &mut Conn,
    actor: &Actor,
    id: Option<RequestId>,
    version: i64,
    fields: &RequestFields,
    send: bool,
    now: DateTime<Utc>,
) -> Result<RequestId, AppError> {
    let status = if send {
        RequestStatus::Submitted
    } else {
        RequestStatus::Draft
    };
    for p in &fields.people {
        people::get(tx, *p).await?;
    }
    let id = match id {
        Some(id) => {
            requests::update_draft(tx, id, version, fields, status, now).await?;
            id
        }
        None => {
            let id = RequestId::new();
            requests::insert(
                tx,
                id,
                actor.user_id,
                actor.organisation_id,
                fields,
                status,
                now,
            )
            .await?;
            id
        }
    };
    if send {
        record_requester(tx, actor, id, &fields.people, now).await?;
    }
    let ev = request_event(actor, id, fields, send, now);
    audit::append(tx, &ev).await?;
    Ok(id)
}

/// Records the requester as involved with each person of a request just sent (their
/// organisation's part in the family's story, shown to the contact search tool).
pub(crate) async fn record_requester(
    tx: &mut Conn,
    actor: &Actor,
    id: RequestId,
    people: &[PersonId],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for p in people {
        involvements::insert(
            tx,
            &NewInvolvement {
                person: *p,
                user: Some(actor.user_id),
                team: actor.team_id,
                organisation: actor.organisation_id,
                role: InvolvementRole::Requester,
                request: Some(id),
                episode: None,
                until: None,
            },
            now,
        )
        .await?;
    }
    Ok(())
}

/// The audit event of a request saved as a draft or sent.
pub(crate) fn request_event(
    actor: &Actor,
    id: RequestId,
    fields: &RequestFields,
    send: bool,
    now: DateTime<Utc>,
) -> hearth_domain::audit::NewAuditEvent {
    let mut ev = event(
        Some(actor),
        &actor.email,
        if send {
            AuditAction::RequestSubmitted
        } else {
            AuditAction::RequestDrafted
        },
        &actor.origin,
        now,
    );
    ev.record_type = Some("request");
    ev.record_id = Some(id.to_string());
    ev.detail = Some(serde_json::json!({"people": fields.people.iter().map(|p| p.to_string()).collect::<Vec<_>>(), "safeguarding": fields.safeguarding, "queue": fields.queue.code()}).to_string());
    ev
}

/// When a request was sent, in days, for the queue.
pub fn days_waiting(submitted: Option<DateTime<Utc>>, now: DateTime<Utc>) -> i64 {
    submitted.map(|s| (now - s).num_days()).unwrap_or(0)
}
