//! Finding a placement: the social worker's request, the placements team's list of requests
//! waiting, each request with the homes ranked for it in the strategy's order and why, and
//! the decision — the child placed (any current placement ended, the vacancy taken) or no
//! suitable home, the unmet need kept with why.

use super::{care_event, locate, PlaceForm, RequestForm, UnmetForm};
use crate::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::care::{self, Candidate, Locality, RequestStatus, Search};
use hearth_domain::ids::{CareHomeId, PersonId, PlacementId, PlacementRequestId};
use hearth_domain::input::FieldErrors;
use hearth_domain::person::{Age, DateOfBirth, DobCertainty};
use hearth_domain::role::Capability;
use hearth_store::care::homes::{self, Home};
use hearth_store::care::periods::{self, NewPlacement, Placement};
use hearth_store::care::requests::{self, PlacementRequest, RequestLine};
use hearth_store::family::people;
use hearth_store::gate::OpenedPlacementRequest;
use hearth_store::{audit, Store};

/// A home proposed for a request, with why it stands where it does.
#[derive(Debug, Clone)]
pub struct ProposedHome {
    pub home: Home,
    pub reasons: Vec<String>,
    pub local: Option<bool>,
}

/// A request with its child and the homes ranked for it.
#[derive(Debug, Clone)]
pub struct RequestView {
    pub request: PlacementRequest,
    pub person: PersonId,
    pub child: String,
    pub age: Option<u32>,
    pub current: Option<Placement>,
    /// The homes proposed, in order: empty unless the viewer places children.
    pub proposed: Vec<ProposedHome>,
    /// The homes that cannot take the child, with why.
    pub left_out: Vec<(Home, Vec<String>)>,
    pub may_decide: bool,
}

impl Hearth {
    /// A social worker asks the placements team for a home for a child in care they hold
    /// (audited). One request waits at a time.
    pub async fn request_placement(
        &self,
        actor: &Actor,
        person: PersonId,
        form: &RequestForm,
    ) -> Result<PlacementRequestId, AppError> {
        let viewer = self.viewer(actor);
        let child = self.gate.open_child_in_care(&viewer, person).await?;
        if !actor.can(Capability::RequestPlacements) {
            let refusal = self
                .gate
                .refuse_capability(&viewer, Capability::RequestPlacements)
                .await?;
            return Err(AppError::Forbidden(refusal));
        }
        let request = form.check().map_err(AppError::Invalid)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        if periods::periods(&mut tx, &child)
            .await?
            .first()
            .is_none_or(|p| p.ended_on.is_some())
        {
            let mut errors = FieldErrors::new();
            errors.add(
                "urgency",
                "This child's care has ended: there is no placement to ask for",
            );
            return Err(AppError::Invalid(errors));
        }
        if requests::for_child(&mut tx, &child)
            .await?
            .iter()
            .any(|r| r.status == RequestStatus::Open)
        {
            let mut errors = FieldErrors::new();
            errors.add(
                "urgency",
                "A request for this child is already waiting with the placements team",
            );
            return Err(AppError::Invalid(errors));
        }
        let id = requests::insert(&mut tx, &child, &request, now).await?;
        let e = care_event(
            actor,
            AuditAction::PlacementRequested,
            "placement_request",
            id.to_string(),
            now,
            Some(serde_json::json!({
                "person": person.to_string(),
                "urgency": request.urgency.code(),
                "needs": request.needs.iter().map(|n| n.code()).collect::<Vec<_>>(),
            })),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// The placements team's requests waiting for a home, the most urgent first.
    pub async fn placement_requests(&self, actor: &Actor) -> Result<Vec<RequestLine>, AppError> {
        let desk = self.gate.placements_desk(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        Ok(requests::waiting(&mut conn, &desk).await?)
    }

    /// A request with its child, and — for the placements team — the homes ranked for it.
    pub async fn placement_request(
        &self,
        actor: &Actor,
        id: PlacementRequestId,
    ) -> Result<RequestView, AppError> {
        let opened = self
            .gate
            .open_placement_request(&self.viewer(actor), id)
            .await?;
        self.request_view(actor, &opened).await
    }

    async fn request_view(
        &self,
        actor: &Actor,
        opened: &OpenedPlacementRequest,
    ) -> Result<RequestView, AppError> {
        let child = opened.child();
        let today = self.now().date_naive();
        let mut conn = self.store.read().await?;
        let request = requests::get(&mut conn, opened).await?;
        let found = people::summaries(&mut conn, &[child.person()]).await?;
        let who = found.first().ok_or(AppError::NotFound)?;
        let age = who.dob.and_then(|date| {
            match (DateOfBirth {
                date,
                certainty: DobCertainty::Exact,
            })
            .age_on(today)
            {
                Age::Years(y) => Some(y),
                Age::Unborn => None,
            }
        });
        let current = periods::placements(&mut conn, child)
            .await?
            .into_iter()
            .find(|p| p.ended_on.is_none());
        let may_decide = actor.can(Capability::CommissionPlacements);
        let (mut proposed, mut left_out) = (Vec::new(), Vec::new());
        if may_decide {
            let desk = self.gate.placements_desk(&self.viewer(actor)).await?;
            let area = &self.policies().care;
            let period = periods::periods(&mut conn, child)
                .await?
                .into_iter()
                .find(|p| p.id == child.period());
            let from = locate(
                &mut conn,
                period.as_ref().and_then(|p| p.home_postcode.as_ref()),
            )
            .await?;
            let located = self.located_homes.on(&mut conn, &desk, today).await?;
            let mut candidates = Vec::with_capacity(located.len());
            let mut local = Vec::with_capacity(located.len());
            for (h, at) in located.iter() {
                let l = Locality::of(area, &h.fields.postcode, *at, from);
                local.push((h.id, l.local(area)));
                let years = |n: i64| u32::try_from(n).unwrap_or(0);
                candidates.push(Candidate {
                    id: h.id,
                    route: h.fields.route,
                    vacancies: years(h.fields.vacancies),
                    age_from: years(h.fields.age_from),
                    age_to: years(h.fields.age_to),
                    offers: h.fields.offers.clone(),
                    rating: h.fields.rating,
                    weekly_cost_pence: h.fields.weekly_cost_pence,
                    miles_from_home: l.from_home_miles,
                });
            }
            let search = Search {
                age: age.unwrap_or(0),
                needs: request.request.needs.clone(),
                places: 1 + u32::try_from(request.request.siblings).unwrap_or(0),
                max_miles: request.request.max_miles.map(|m| m as f64),
            };
            let ranked = care::rank(&search, candidates);
            let index: std::collections::HashMap<CareHomeId, usize> = located
                .iter()
                .enumerate()
                .map(|(i, (h, _))| (h.id, i))
                .collect();
            let home = |id: CareHomeId| index.get(&id).map(|i| located[*i].0.clone());
            let local: std::collections::HashMap<CareHomeId, Option<bool>> =
                local.into_iter().collect();
            for p in ranked.proposed {
                if let Some(h) = home(p.id) {
                    proposed.push(ProposedHome {
                        local: local.get(&p.id).copied().flatten(),
                        home: h,
                        reasons: p.reasons.iter().map(|r| r.to_string()).collect(),
                    });
                }
            }
            for (id, why) in ranked.left_out {
                if let Some(h) = home(id) {
                    left_out.push((h, why.iter().map(|r| r.to_string()).collect()));
                }
            }
        }
        Ok(RequestView {
            person: child.person(),
            child: format!("{} {}", who.given_names, who.family_name),
            age,
            current,
            proposed,
            left_out,
            may_decide,
            request,
        })
    }

    /// Places the request's child in one of the homes proposed: any current placement ends
    /// with the reason given, the new placement starts, the vacancies go, and the request is
    /// decided, in one transaction (audited).
    pub async fn place_child(
        &self,
        actor: &Actor,
        id: PlacementRequestId,
        form: &PlaceForm,
    ) -> Result<PlacementId, AppError> {
        let viewer = self.viewer(actor);
        let desk = self.gate.placements_desk(&viewer).await?;
        let opened = self.gate.open_placement_request(&viewer, id).await?;
        let view = self.request_view(actor, &opened).await?;
        if view.request.status != RequestStatus::Open {
            return Err(AppError::Conflict);
        }
        let placing = form
            .check(view.current.is_some())
            .map_err(AppError::Invalid)?;
        let Some(chosen) = view.proposed.iter().find(|p| p.home.id == placing.home) else {
            let mut errors = FieldErrors::new();
            errors.add("home", "Choose one of the homes proposed");
            return Err(AppError::Invalid(errors));
        };
        if let Some(current) = &view.current {
            if placing.started_on < current.started_on {
                let mut errors = FieldErrors::new();
                errors.add(
                    "start",
                    "The day the child moves in must be on or after the current placement began",
                );
                return Err(AppError::Invalid(errors));
            }
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        if let (Some(current), Some(reason)) = (&view.current, placing.end_reason) {
            periods::end_placement(
                &mut tx,
                opened.child(),
                current.id,
                placing.started_on,
                reason,
            )
            .await?;
            let e = care_event(
                actor,
                AuditAction::PlacementEnded,
                "placement",
                current.id.to_string(),
                now,
                Some(serde_json::json!({ "reason": reason.code() })),
            );
            audit::append(&mut tx, &e).await?;
        }
        let home = &chosen.home;
        let placement = periods::place(
            &mut tx,
            &opened,
            &NewPlacement {
                home: home.id,
                placement_type: home.fields.placement_type,
                route: home.fields.route,
                postcode: home.fields.postcode.clone(),
                weekly_cost_pence: home.fields.weekly_cost_pence,
                started_on: placing.started_on,
                places: 1 + view.request.request.siblings,
            },
            now,
        )
        .await?;
        homes::take_places(&mut tx, &desk, home.id, 1 + view.request.request.siblings).await?;
        requests::decide(
            &mut tx,
            &opened,
            RequestStatus::Placed,
            placing.note.as_deref(),
            Some(placement),
            now,
            placing.version,
        )
        .await?;
        let e = care_event(
            actor,
            AuditAction::ChildPlaced,
            "placement_request",
            id.to_string(),
            now,
            Some(serde_json::json!({
                "person": view.person.to_string(),
                "placement": placement.to_string(),
                "home": home.id.to_string(),
                "route": home.fields.route.code(),
                "rank": view.proposed.iter().position(|p| p.home.id == home.id),
            })),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(placement)
    }

    /// No suitable home: the request is decided with why, and stays on record as unmet need
    /// (audited).
    pub async fn no_suitable_home(
        &self,
        actor: &Actor,
        id: PlacementRequestId,
        form: &UnmetForm,
    ) -> Result<(), AppError> {
        let viewer = self.viewer(actor);
        self.gate.placements_desk(&viewer).await?;
        let opened = self.gate.open_placement_request(&viewer, id).await?;
        let (why, version) = form.check().map_err(AppError::Invalid)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        requests::decide(
            &mut tx,
            &opened,
            RequestStatus::Unmet,
            Some(&why),
            None,
            now,
            version,
        )
        .await?;
        let e = care_event(
            actor,
            AuditAction::PlacementUnmet,
            "placement_request",
            id.to_string(),
            now,
            None,
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}
