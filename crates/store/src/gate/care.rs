//! The gate for children in care (ADR 0034). A child's care record — periods, placements and
//! placement requests — opens for the placements team (who place every child the council
//! looks after) and for the child's allocated social worker or their team, never for anyone
//! else; a social worker records a child coming into care only on a record the ordinary gate
//! lets them contribute to. Each opening is audited as such, and each refusal.

use super::{Closed, Gate, Viewer};
use crate::care::periods;
use crate::{audit, Store};
use hearth_domain::access::RecordAction;
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::{CarePeriodId, PersonId, PlacementRequestId, TeamId, UserId};
use hearth_domain::role::Capability;

/// The placements team's desk: homes, vacancies and the requests waiting. Only the gate
/// makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::PlacementsDesk { officer: hearth_domain::ids::UserId::new() };
/// ```
#[derive(Debug, Clone, Copy)]
pub struct PlacementsDesk {
    pub(super) officer: UserId,
}

impl PlacementsDesk {
    pub fn officer(&self) -> UserId {
        self.officer
    }
}

/// The placements team importing a 903 return from the social care system (ADR 0055): it
/// looks for each child among the record's people and saves their care. Only the gate makes
/// one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::CareImport { officer: hearth_domain::ids::UserId::new() };
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CareImport {
    pub(super) officer: UserId,
}

impl CareImport {
    pub fn officer(&self) -> UserId {
        self.officer
    }
}

/// The sufficiency picture's desk: aggregate figures of every child in care, for users who
/// read reports (team managers, analysts) or commission placements. Only the gate makes one.
///
/// ```compile_fail
/// let _ = hearth_store::gate::SufficiencyDesk { user: hearth_domain::ids::UserId::new() };
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SufficiencyDesk {
    pub(super) user: UserId,
}

impl SufficiencyDesk {
    pub fn user(&self) -> UserId {
        self.user
    }
}

/// A person a social worker may record as coming into care: their record opened by the
/// ordinary gate for them to contribute to, and the worker's roles ask for placements.
#[derive(Debug, Clone, Copy)]
pub struct CareAdmission {
    pub(super) person: PersonId,
    pub(super) worker: UserId,
}

impl CareAdmission {
    pub fn person(&self) -> PersonId {
        self.person
    }

    pub fn worker(&self) -> UserId {
        self.worker
    }
}

/// A child's care record, opened for their social worker (or team) or the placements team.
///
/// ```compile_fail
/// let _ = hearth_store::gate::OpenedChildInCare {
///     person: hearth_domain::ids::PersonId::new(),
///     period: hearth_domain::ids::CarePeriodId::new(),
///     user: hearth_domain::ids::UserId::new(),
/// };
/// ```
#[derive(Debug, Clone, Copy)]
pub struct OpenedChildInCare {
    pub(super) person: PersonId,
    /// The latest period of care.
    pub(super) period: CarePeriodId,
    pub(super) user: UserId,
}

impl OpenedChildInCare {
    pub fn person(&self) -> PersonId {
        self.person
    }

    pub fn period(&self) -> CarePeriodId {
        self.period
    }

    pub fn user(&self) -> UserId {
        self.user
    }
}

/// The children in care allocated to a social worker or their team: their list.
///
/// ```compile_fail
/// let _ = hearth_store::gate::CareCaseload { worker: hearth_domain::ids::UserId::new(), team: None };
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CareCaseload {
    pub(super) worker: UserId,
    pub(super) team: Option<TeamId>,
}

impl CareCaseload {
    pub fn worker(&self) -> UserId {
        self.worker
    }

    pub fn team(&self) -> Option<TeamId> {
        self.team
    }
}

/// Which ways into care a person's record offers this user: their care record, when it
/// would open for them, and recording them coming into care, when they are not in care now
/// and the user asks for placements.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CareStanding {
    pub care_record: bool,
    pub may_admit: bool,
}

/// One placement request, opened with its child's care record.
#[derive(Debug, Clone, Copy)]
pub struct OpenedPlacementRequest {
    pub(super) child: OpenedChildInCare,
    pub(super) id: PlacementRequestId,
}

impl OpenedPlacementRequest {
    pub fn id(&self) -> PlacementRequestId {
        self.id
    }

    pub fn child(&self) -> &OpenedChildInCare {
        &self.child
    }
}

impl Gate {
    /// The placements desk, or a refusal (audited) for a user whose roles do not commission
    /// placements.
    pub async fn placements_desk(&self, viewer: &Viewer<'_>) -> Result<PlacementsDesk, Closed> {
        if viewer.roles.can(Capability::CommissionPlacements) {
            Ok(PlacementsDesk {
                officer: viewer.user,
            })
        } else {
            Err(self
                .refused(
                    viewer,
                    "placements",
                    String::new(),
                    "not a placements officer",
                )
                .await)
        }
    }

    /// The import of a 903 return, for the placements team; refused (audited) for anyone
    /// else. Each child it saves is audited as it is saved (`care_child_imported`).
    pub async fn care_import(&self, viewer: &Viewer<'_>) -> Result<CareImport, Closed> {
        if viewer.roles.can(Capability::CommissionPlacements) {
            Ok(CareImport {
                officer: viewer.user,
            })
        } else {
            Err(self
                .refused(
                    viewer,
                    "ssda903_import",
                    String::new(),
                    "not a placements officer",
                )
                .await)
        }
    }

    /// The sufficiency picture for `on` (audited as `sufficiency_viewed`, with the date), or a
    /// refusal (audited) for a user who neither reads reports nor commissions placements: the
    /// figures are aggregates, but they are counted from every child's record.
    pub async fn sufficiency_desk(
        &self,
        viewer: &Viewer<'_>,
        on: chrono::NaiveDate,
    ) -> Result<SufficiencyDesk, Closed> {
        if !(viewer.roles.can(Capability::ViewReports)
            || viewer.roles.can(Capability::CommissionPlacements))
        {
            return Err(self
                .refused(
                    viewer,
                    "sufficiency",
                    on.to_string(),
                    "neither reads reports nor commissions placements",
                )
                .await);
        }
        self.record_care_opening(
            viewer,
            AuditAction::SufficiencyViewed,
            "sufficiency",
            on.to_string(),
        )
        .await?;
        Ok(SufficiencyDesk { user: viewer.user })
    }

    /// A person a social worker may record as coming into care: the worker's roles ask for
    /// placements and the ordinary gate opens the person's record to them to contribute to.
    pub async fn admit_to_care(
        &self,
        viewer: &Viewer<'_>,
        person: PersonId,
    ) -> Result<CareAdmission, Closed> {
        if !viewer.roles.can(Capability::RequestPlacements) {
            return Err(self
                .refused(viewer, "person", person.to_string(), "not a social worker")
                .await);
        }
        self.open_person(viewer, person, RecordAction::Contribute, None)
            .await?;
        Ok(CareAdmission {
            person,
            worker: viewer.user,
        })
    }

    /// Opens a child's care record (audited as `child_in_care_viewed`); refuses (audited)
    /// anyone but the placements team and the child's social worker or their team. A person
    /// who has never been in care opens nothing.
    pub async fn open_child_in_care(
        &self,
        viewer: &Viewer<'_>,
        person: PersonId,
    ) -> Result<OpenedChildInCare, Closed> {
        let child = self.reach_child(viewer, person).await?;
        self.record_care_opening(
            viewer,
            AuditAction::ChildInCareViewed,
            "person",
            person.to_string(),
        )
        .await?;
        Ok(child)
    }

    /// Opens a placement request with its child's care record (audited as
    /// `placement_request_viewed`), for whoever may open the child's record.
    pub async fn open_placement_request(
        &self,
        viewer: &Viewer<'_>,
        id: PlacementRequestId,
    ) -> Result<OpenedPlacementRequest, Closed> {
        let mut conn = self.store.read().await?;
        let person = crate::care::requests::person_of(&mut conn, id).await?;
        drop(conn);
        let child = self.reach_child(viewer, person).await?;
        self.record_care_opening(
            viewer,
            AuditAction::PlacementRequestViewed,
            "placement_request",
            id.to_string(),
        )
        .await?;
        Ok(OpenedPlacementRequest { child, id })
    }

    /// The social worker's children in care (audited as `children_in_care_listed`); refuses
    /// (audited) a user whose roles do not ask for placements.
    pub async fn care_caseload(&self, viewer: &Viewer<'_>) -> Result<CareCaseload, Closed> {
        if !viewer.roles.can(Capability::RequestPlacements) {
            return Err(self
                .refused(
                    viewer,
                    "care_caseload",
                    String::new(),
                    "not a social worker",
                )
                .await);
        }
        self.record_care_opening(
            viewer,
            AuditAction::ChildrenInCareListed,
            "user",
            viewer.user.to_string(),
        )
        .await?;
        Ok(CareCaseload {
            worker: viewer.user,
            team: viewer.team,
        })
    }

    /// The ways into care a person's record offers the viewer. Asked only for a record the
    /// gate has just opened to them (whose opening is audited); users without a care role
    /// learn nothing, and nothing is read for them.
    pub async fn care_standing(
        &self,
        viewer: &Viewer<'_>,
        person: PersonId,
    ) -> Result<CareStanding, Closed> {
        let requests = viewer.roles.can(Capability::RequestPlacements);
        if !(requests || viewer.roles.can(Capability::CommissionPlacements)) {
            return Ok(CareStanding::default());
        }
        let mut conn = self.store.read().await?;
        let period = periods::latest(&mut conn, person).await?;
        Ok(CareStanding {
            care_record: period.is_some_and(|p| reaches(viewer, &p)),
            may_admit: requests && !period.is_some_and(|p| p.ongoing),
        })
    }

    async fn reach_child(
        &self,
        viewer: &Viewer<'_>,
        person: PersonId,
    ) -> Result<OpenedChildInCare, Closed> {
        let mut conn = self.store.read().await?;
        let period = periods::latest(&mut conn, person).await?;
        drop(conn);
        let Some(period) = period else {
            return Err(Closed::NotFound);
        };
        if !reaches(viewer, &period) {
            return Err(self
                .refused(
                    viewer,
                    "person",
                    person.to_string(),
                    "not this child's social worker or the placements team",
                )
                .await);
        }
        Ok(OpenedChildInCare {
            person,
            period: period.id,
            user: viewer.user,
        })
    }

    async fn record_care_opening(
        &self,
        viewer: &Viewer<'_>,
        action: AuditAction,
        record_type: &'static str,
        id: String,
    ) -> Result<(), Closed> {
        let mut e = viewer.audit.clone();
        e.action = action;
        e.record_type = Some(record_type);
        e.record_id = Some(id);
        let mut tx = self.store.write().await?;
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(())
    }
}

/// The placements team reaches every child in care; a social worker, the children allocated
/// to them or their team.
fn reaches(viewer: &Viewer<'_>, period: &periods::Allocation) -> bool {
    let allocated = viewer.roles.can(Capability::RequestPlacements)
        && (period.social_worker == viewer.user
            || (period.team.is_some() && period.team == viewer.team));
    allocated || viewer.roles.can(Capability::CommissionPlacements)
}
