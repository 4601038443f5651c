//! A child's care record: coming into care, where they have lived (how far from home and the
//! centre, local or not), the DfE's stability measures and any warning of breakdowns, and a
//! placement's end.

use super::{care_event, locate, EndCareForm, EndForm, StartForm};
use crate::{Actor, AppError, Hearth};
use chrono::NaiveDate;
use hearth_domain::audit::AuditAction;
use hearth_domain::care::leavers::{self, Contact};
use hearth_domain::care::{self, Locality, Stay, SufficiencyKind};
use hearth_domain::ids::{CarePeriodId, PersonId};
use hearth_domain::input::FieldErrors;
use hearth_store::care::leavers as leaver_contacts;
use hearth_store::care::legal_status::{self, StatusChange};
use hearth_store::care::periods::{self, CaseloadChild, Period, Placement};
use hearth_store::care::requests::{self, RequestLine};
use hearth_store::family::people;
use hearth_store::gate::CareStanding;
use hearth_store::{audit, Store};

/// One placement with where it is from the child's home and the centre.
#[derive(Debug, Clone)]
pub struct PlacedView {
    pub placement: Placement,
    pub kind: SufficiencyKind,
    pub locality: Locality,
    pub local: Option<bool>,
}

/// A child's care record as their social worker and the placements team see it.
#[derive(Debug, Clone)]
pub struct ChildInCare {
    pub person: PersonId,
    pub name: String,
    pub dob: Option<NaiveDate>,
    /// Every period, the latest first.
    pub periods: Vec<Period>,
    /// Every change of legal status within them, the latest first.
    pub status_changes: Vec<StatusChange>,
    /// Every placement, the latest first.
    pub placements: Vec<PlacedView>,
    pub requests: Vec<RequestLine>,
    /// The 31 March the DfE's measures are taken at: the latest on or before today.
    pub year_end: NaiveDate,
    pub three_or_more: Option<bool>,
    pub long_term_stable: Option<bool>,
    /// Breakdowns in the last year, when enough for a warning.
    pub breakdowns: Option<usize>,
    /// Contacts with them as a care leaver, the latest first.
    pub leaver_contacts: Vec<Contact>,
    /// 16 to 21 today: of an age to record contacts as a care leaver.
    pub leaving_age: bool,
}

impl ChildInCare {
    /// True while the child's latest period of care goes on.
    pub fn in_care(&self) -> bool {
        self.periods.first().is_some_and(|p| p.ended_on.is_none())
    }

    /// The placement going on now, if any.
    pub fn current(&self) -> Option<&Placement> {
        self.placements
            .iter()
            .map(|p| &p.placement)
            .find(|p| p.ended_on.is_none())
    }
}

/// The latest 31 March on or before `today`.
fn year_end(today: NaiveDate) -> NaiveDate {
    care::ssda903::CollectionYear::last_ended(today).last_day()
}

fn stays(placements: &[Placement]) -> Vec<Stay> {
    placements
        .iter()
        .map(|p| Stay {
            from: p.started_on,
            to: p.ended_on,
            ended: p.end_reason,
        })
        .collect()
}

impl Hearth {
    /// Records a child coming into care, allocated to the social worker who records it (and
    /// their team). A child already in care has a period going on: that is a conflict.
    pub async fn start_care(
        &self,
        actor: &Actor,
        person: PersonId,
        form: &StartForm,
    ) -> Result<CarePeriodId, AppError> {
        let admission = self.gate.admit_to_care(&self.viewer(actor), person).await?;
        let now = self.now();
        let mut period = form.check(now.date_naive()).map_err(AppError::Invalid)?;
        period.team = actor.team_id;
        let mut tx = self.store.write().await?;
        if periods::in_care(&mut tx, &admission).await? {
            let mut errors = FieldErrors::new();
            errors.add("start", "This child is already in care");
            return Err(AppError::Invalid(errors));
        }
        let id = periods::start(&mut tx, &admission, &period, now).await?;
        let e = care_event(
            actor,
            AuditAction::CareStarted,
            "person",
            person.to_string(),
            now,
            Some(serde_json::json!({
                "period": id.to_string(),
                "legal_status": period.legal_status.code(),
                "category_of_need": period.category_of_need.code(),
            })),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(id)
    }

    /// The name of a person the actor may record as coming into care (the form's heading).
    pub async fn care_admission(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<String, AppError> {
        let admission = self.gate.admit_to_care(&self.viewer(actor), person).await?;
        let mut conn = self.store.read().await?;
        let found = people::summaries(&mut conn, &[admission.person()]).await?;
        let who = found.first().ok_or(AppError::NotFound)?;
        Ok(format!("{} {}", who.given_names, who.family_name))
    }

    /// The social worker's children in care now (allocated to them or their team), through
    /// the gate (audited).
    pub async fn children_in_care(&self, actor: &Actor) -> Result<Vec<CaseloadChild>, AppError> {
        let caseload = self.gate.care_caseload(&self.viewer(actor)).await?;
        let mut conn = self.store.read().await?;
        Ok(periods::caseload(&mut conn, &caseload).await?)
    }

    /// The ways into care the person's record offers the actor; asked for a record the gate
    /// has just opened to them.
    pub async fn care_standing(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<CareStanding, AppError> {
        Ok(self.gate.care_standing(&self.viewer(actor), person).await?)
    }

    /// A child's care record, opened through the gate (audited).
    pub async fn child_in_care(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<ChildInCare, AppError> {
        let child = self
            .gate
            .open_child_in_care(&self.viewer(actor), person)
            .await?;
        let today = self.now().date_naive();
        let area = &self.policies().care;
        let mut conn = self.store.read().await?;
        let found = people::summaries(&mut conn, &[person]).await?;
        let who = found.first().ok_or(AppError::NotFound)?;
        let periods = periods::periods(&mut conn, &child).await?;
        let placed = periods::placements(&mut conn, &child).await?;
        let requests = requests::for_child(&mut conn, &child).await?;
        let leaver_contacts = leaver_contacts::contacts(&mut conn, &child).await?;
        let status_changes = legal_status::changes(&mut conn, &child).await?;
        let mut placements = Vec::with_capacity(placed.len());
        for p in placed.iter().rev() {
            let home = periods
                .iter()
                .find(|c| c.id == p.period)
                .and_then(|c| c.home_postcode.as_ref());
            let from = locate(&mut conn, home).await?;
            let at = locate(&mut conn, Some(&p.postcode)).await?;
            let locality = Locality::of(area, &p.postcode, at, from);
            placements.push(PlacedView {
                kind: p.placement_type.kind(p.route == care::Route::InHouse),
                local: locality.local(area),
                locality,
                placement: p.clone(),
            });
        }
        let stays = stays(&placed);
        let end = year_end(today);
        let care_since = periods.first().map(|p| p.started_on);
        // The DfE leaves children on short breaks out of both measures.
        let counted = !periods
            .first()
            .is_some_and(|p| p.legal_status.is_short_break());
        Ok(ChildInCare {
            person,
            name: format!("{} {}", who.given_names, who.family_name),
            dob: who.dob,
            three_or_more: care::three_or_more(end, &stays).filter(|_| counted),
            long_term_stable: who
                .dob
                .zip(care_since)
                .filter(|_| counted)
                .and_then(|(born, since)| care::long_term_stable(end, born, since, &stays)),
            breakdowns: care::breakdowns_warning(today, &stays),
            leaving_age: who
                .dob
                .is_some_and(|born| (16..=21).contains(&leavers::age_on(born, today))),
            leaver_contacts,
            year_end: end,
            periods,
            status_changes,
            placements,
            requests,
        })
    }

    /// Ends the child's current placement with the DfE's reason (audited).
    pub async fn end_placement(
        &self,
        actor: &Actor,
        person: PersonId,
        form: &EndForm,
    ) -> Result<(), AppError> {
        let child = self
            .gate
            .open_child_in_care(&self.viewer(actor), person)
            .await?;
        let now = self.now();
        let (placement, on, reason) = form.check(now.date_naive()).map_err(AppError::Invalid)?;
        let mut tx = self.store.write().await?;
        periods::end_placement(&mut tx, &child, placement, on, reason).await?;
        let e = care_event(
            actor,
            AuditAction::PlacementEnded,
            "placement",
            placement.to_string(),
            now,
            Some(serde_json::json!({ "person": person.to_string(), "reason": reason.code() })),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}

impl Hearth {
    /// Ends the child's period of care with the DfE's reason, through the gate (the child's
    /// social worker or their team, or the placements team): the placement going on ends the
    /// same day and its places go back to the home, any request waiting is withdrawn, and the
    /// child leaves "Children in care" — one transaction, audited.
    pub async fn end_care(
        &self,
        actor: &Actor,
        person: PersonId,
        form: &EndCareForm,
    ) -> Result<(), AppError> {
        let child = self
            .gate
            .open_child_in_care(&self.viewer(actor), person)
            .await?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        let latest = periods::periods(&mut tx, &child).await?;
        let Some(period) = latest.first().filter(|p| p.ended_on.is_none()) else {
            let mut errors = FieldErrors::new();
            errors.add("cease_reason", "This child's care has ended already");
            return Err(AppError::Invalid(errors));
        };
        let current = periods::placements(&mut tx, &child)
            .await?
            .into_iter()
            .filter(|p| p.ended_on.is_none())
            .map(|p| p.started_on)
            .max();
        let earliest = current.map_or(period.started_on, |c| c.max(period.started_on));
        let (on, reason) = form
            .check(now.date_naive(), earliest)
            .map_err(AppError::Invalid)?;
        let ending = periods::end_period(&mut tx, &child, on, reason).await?;
        let e = care_event(
            actor,
            AuditAction::CareEnded,
            "person",
            person.to_string(),
            now,
            Some(serde_json::json!({
                "period": child.period().to_string(),
                "reason": reason.code(),
                "ended_on": on.to_string(),
                "placement": ending.placement.map(|p| p.to_string()),
                "requests_withdrawn": ending.withdrawn,
            })),
        );
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::year_end;
    use chrono::NaiveDate;

    #[test]
    fn the_measures_year_ends_on_the_latest_31_march() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("a date");
        assert_eq!(year_end(d(2026, 12, 5)), d(2026, 3, 31));
        assert_eq!(year_end(d(2026, 3, 31)), d(2026, 3, 31));
        assert_eq!(year_end(d(2026, 3, 30)), d(2025, 3, 31));
    }
}
