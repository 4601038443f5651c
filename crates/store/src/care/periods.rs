//! Periods of care and placements: a child coming into care, where they have lived since, and
//! each placement's end with the DfE's reason.

use super::postcode;
use crate::decode::{coded, date, opt_coded, opt_date, parse_id};
use crate::gate::{CareAdmission, CareCaseload, OpenedChildInCare, OpenedPlacementRequest};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::care::{
    CategoryOfNeed, CeaseReason, EndReason, LegalStatus, PlacementType, RequestStatus, Route,
};
use hearth_domain::directory::Postcode;
use hearth_domain::ids::{CareHomeId, CarePeriodId, PersonId, PlacementId, TeamId, UserId};
use hearth_domain::time::to_text;
use sqlx::Row;

/// Who a period of care is allocated to: what the gate asks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Allocation {
    pub id: CarePeriodId,
    pub social_worker: UserId,
    pub team: Option<TeamId>,
    /// The period is going on: the child is in care now.
    pub ongoing: bool,
}

/// The latest period of care of a person, if they have ever been in care.
pub(crate) async fn latest(conn: &mut Conn, person: PersonId) -> Result<Option<Allocation>> {
    let row = sqlx::query(
        "SELECT id, social_worker_id, team_id, ended_on FROM care_periods WHERE person_id = $1
         ORDER BY started_on DESC, id DESC LIMIT 1",
    )
    .bind(person.to_string())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(Allocation {
            id: parse_id(&r.try_get::<String, _>("id")?)?,
            social_worker: parse_id(&r.try_get::<String, _>("social_worker_id")?)?,
            team: r
                .try_get::<Option<String>, _>("team_id")?
                .map(|t| parse_id(&t))
                .transpose()?,
            ongoing: r.try_get::<Option<String>, _>("ended_on")?.is_none(),
        })
    })
    .transpose()
}

/// A child coming into care, as the social worker records it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPeriod {
    pub started_on: NaiveDate,
    pub legal_status: LegalStatus,
    pub category_of_need: CategoryOfNeed,
    pub home_postcode: Option<Postcode>,
    pub team: Option<TeamId>,
    /// An unaccompanied asylum-seeking child (the DfE's UASC).
    pub uasc: bool,
}

/// Starts a period of care, allocated to the social worker who records it.
pub async fn start(
    conn: &mut Conn,
    admission: &CareAdmission,
    p: &NewPeriod,
    at: DateTime<Utc>,
) -> Result<CarePeriodId> {
    let id = CarePeriodId::new();
    sqlx::query(
        "INSERT INTO care_periods (id, person_id, started_on, legal_status, category_of_need,
            home_postcode, social_worker_id, team_id, created_at, uasc)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id.to_string())
    .bind(admission.person().to_string())
    .bind(p.started_on.to_string())
    .bind(p.legal_status.code())
    .bind(p.category_of_need.code())
    .bind(p.home_postcode.as_ref().map(|c| c.as_str().to_string()))
    .bind(admission.worker().to_string())
    .bind(p.team.map(|t| t.to_string()))
    .bind(to_text(at))
    .bind(i64::from(p.uasc))
    .execute(conn)
    .await?;
    Ok(id)
}

/// A period of care as the child's record shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    pub id: CarePeriodId,
    pub started_on: NaiveDate,
    /// The legal status now: the latest change (ADR 0055), else the one care began with.
    pub legal_status: LegalStatus,
    pub category_of_need: CategoryOfNeed,
    pub home_postcode: Option<Postcode>,
    pub social_worker: String,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<CeaseReason>,
    pub uasc: bool,
}

/// Every period of the child's care, the latest first.
pub async fn periods(conn: &mut Conn, child: &OpenedChildInCare) -> Result<Vec<Period>> {
    let rows = sqlx::query(
        "SELECT c.id, c.started_on, c.category_of_need, c.home_postcode,
            COALESCE((SELECT s.legal_status FROM care_legal_status_changes s
                WHERE s.period_id = c.id ORDER BY s.changed_on DESC LIMIT 1), c.legal_status)
                AS legal_status,
            u.display_name, c.ended_on, c.end_reason, c.uasc
         FROM care_periods c JOIN users u ON u.id = c.social_worker_id
         WHERE c.person_id = $1 ORDER BY c.started_on DESC, c.id DESC",
    )
    .bind(child.person().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Period {
                id: parse_id(&r.try_get::<String, _>("id")?)?,
                started_on: date(&r.try_get::<String, _>("started_on")?)?,
                legal_status: coded(r, "legal_status", LegalStatus::from_code)?,
                category_of_need: coded(r, "category_of_need", CategoryOfNeed::from_code)?,
                home_postcode: r
                    .try_get::<Option<String>, _>("home_postcode")?
                    .map(|p| postcode(&p))
                    .transpose()?,
                social_worker: r.try_get("display_name")?,
                ended_on: opt_date(r.try_get("ended_on")?)?,
                end_reason: opt_coded(r, "end_reason", CeaseReason::from_code)?,
                uasc: r.try_get::<i64, _>("uasc")? != 0,
            })
        })
        .collect()
}

/// One placement, as it was on the day.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub id: PlacementId,
    pub period: CarePeriodId,
    pub home: CareHomeId,
    pub home_name: String,
    pub placement_type: PlacementType,
    pub route: Route,
    pub postcode: Postcode,
    pub weekly_cost_pence: i64,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<EndReason>,
}

/// Every placement of the child, in every period, oldest first.
pub async fn placements(conn: &mut Conn, child: &OpenedChildInCare) -> Result<Vec<Placement>> {
    let rows = sqlx::query(
        "SELECT p.id, p.period_id, p.home_id, h.name, p.placement_type, p.route, p.postcode,
            p.weekly_cost_pence, p.started_on, p.ended_on, p.end_reason
         FROM care_placements p JOIN care_homes h ON h.id = p.home_id
         WHERE p.person_id = $1 ORDER BY p.started_on, p.id",
    )
    .bind(child.person().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Placement {
                id: parse_id(&r.try_get::<String, _>("id")?)?,
                period: parse_id(&r.try_get::<String, _>("period_id")?)?,
                home: parse_id(&r.try_get::<String, _>("home_id")?)?,
                home_name: r.try_get("name")?,
                placement_type: coded(r, "placement_type", PlacementType::from_code)?,
                route: coded(r, "route", Route::from_code)?,
                postcode: postcode(&r.try_get::<String, _>("postcode")?)?,
                weekly_cost_pence: r.try_get("weekly_cost_pence")?,
                started_on: date(&r.try_get::<String, _>("started_on")?)?,
                ended_on: opt_date(r.try_get("ended_on")?)?,
                end_reason: opt_coded(r, "end_reason", EndReason::from_code)?,
            })
        })
        .collect()
}

/// Ends the child's placement that is still going on `on`, with the DfE's reason, and gives
/// its places back to the home; not found when the placement is not this child's or has
/// ended already.
pub async fn end_placement(
    conn: &mut Conn,
    child: &OpenedChildInCare,
    id: PlacementId,
    on: NaiveDate,
    reason: EndReason,
) -> Result<()> {
    close_placement(conn, child, id, on, Some(reason)).await
}

/// Ends a placement (with the DfE's reason for a move; none when the care itself ended) and
/// gives the places it took back to its home, never above the home's registered places. The
/// home's version moves on, so an officer's edit of the home read before this conflicts
/// rather than writing back the old vacancies.
async fn close_placement(
    conn: &mut Conn,
    child: &OpenedChildInCare,
    id: PlacementId,
    on: NaiveDate,
    reason: Option<EndReason>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE care_placements SET ended_on = $1, end_reason = $2
         WHERE id = $3 AND person_id = $4 AND ended_on IS NULL AND started_on <= $5",
    )
    .bind(on.to_string())
    .bind(reason.map(|r| r.code()))
    .bind(id.to_string())
    .bind(child.person().to_string())
    .bind(on.to_string())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    let (home, places): (String, i64) =
        sqlx::query_as("SELECT home_id, places FROM care_placements WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(&mut *conn)
            .await?;
    sqlx::query(
        "UPDATE care_homes SET version = version + 1,
            vacancies = CASE WHEN vacancies + $1 > registered_places THEN registered_places
                ELSE vacancies + $2 END
         WHERE id = $3",
    )
    .bind(places)
    .bind(places)
    .bind(home)
    .execute(conn)
    .await?;
    Ok(())
}

/// The end of a period of care as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CareEnding {
    /// The placement that ended with the care, if the child was placed.
    pub placement: Option<PlacementId>,
    /// Requests for a home that were waiting, now withdrawn.
    pub withdrawn: u64,
}

/// Ends the child's period of care on `on` with the DfE's reason: the placement going on
/// ends the same day (its places back to the home), and any request waiting for a home is
/// withdrawn. Not found when the period has ended already or began after `on`.
pub async fn end_period(
    conn: &mut Conn,
    child: &OpenedChildInCare,
    on: NaiveDate,
    reason: CeaseReason,
) -> Result<CareEnding> {
    let done = sqlx::query(
        "UPDATE care_periods SET ended_on = $1, end_reason = $2
         WHERE id = $3 AND person_id = $4 AND ended_on IS NULL AND started_on <= $5",
    )
    .bind(on.to_string())
    .bind(reason.code())
    .bind(child.period().to_string())
    .bind(child.person().to_string())
    .bind(on.to_string())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    let current: Option<String> = sqlx::query_scalar(
        "SELECT id FROM care_placements WHERE period_id = $1 AND ended_on IS NULL",
    )
    .bind(child.period().to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let placement = current.map(|p| parse_id(&p)).transpose()?;
    if let Some(p) = placement {
        close_placement(conn, child, p, on, None).await?;
    }
    let withdrawn = sqlx::query(
        "UPDATE placement_requests SET status = $1, version = version + 1
         WHERE period_id = $2 AND status = $3",
    )
    .bind(RequestStatus::Withdrawn.code())
    .bind(child.period().to_string())
    .bind(RequestStatus::Open.code())
    .execute(conn)
    .await?
    .rows_affected();
    Ok(CareEnding {
        placement,
        withdrawn,
    })
}

/// A placement as made from a request: the home as it is today.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlacement {
    pub home: CareHomeId,
    pub placement_type: PlacementType,
    pub route: Route,
    pub postcode: Postcode,
    pub weekly_cost_pence: i64,
    pub started_on: NaiveDate,
    /// The home's places the placement takes: the child and any brothers or sisters with them.
    pub places: i64,
}

/// Places the request's child, in their latest period of care.
pub async fn place(
    conn: &mut Conn,
    request: &OpenedPlacementRequest,
    p: &NewPlacement,
    at: DateTime<Utc>,
) -> Result<PlacementId> {
    let id = PlacementId::new();
    let child = request.child();
    sqlx::query(
        "INSERT INTO care_placements (id, period_id, person_id, home_id, placement_type, route,
            postcode, weekly_cost_pence, started_on, created_by, created_at, places)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(id.to_string())
    .bind(child.period().to_string())
    .bind(child.person().to_string())
    .bind(p.home.to_string())
    .bind(p.placement_type.code())
    .bind(p.route.code())
    .bind(p.postcode.as_str())
    .bind(p.weekly_cost_pence)
    .bind(p.started_on.to_string())
    .bind(child.user().to_string())
    .bind(to_text(at))
    .bind(p.places)
    .execute(conn)
    .await?;
    Ok(id)
}

/// True while the person has a period of care going on.
pub async fn in_care(conn: &mut Conn, admission: &CareAdmission) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM care_periods WHERE person_id = $1 AND ended_on IS NULL",
    )
    .bind(admission.person().to_string())
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// A child in care on a social worker's caseload, as their list shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseloadChild {
    pub person: PersonId,
    pub name: String,
    pub started_on: NaiveDate,
    pub legal_status: LegalStatus,
    /// Where they live now, if placed.
    pub home_name: Option<String>,
}

/// The children in care now allocated to the worker or their team, by family name.
pub async fn caseload(conn: &mut Conn, caseload: &CareCaseload) -> Result<Vec<CaseloadChild>> {
    let rows = sqlx::query(
        "SELECT c.person_id, p.given_names, p.family_name, c.started_on,
            COALESCE((SELECT s.legal_status FROM care_legal_status_changes s
                WHERE s.period_id = c.id ORDER BY s.changed_on DESC LIMIT 1), c.legal_status)
                AS legal_status,
            h.name AS home_name
         FROM care_periods c
         JOIN people p ON p.id = c.person_id
         LEFT JOIN care_placements pl ON pl.period_id = c.id AND pl.ended_on IS NULL
         LEFT JOIN care_homes h ON h.id = pl.home_id
         WHERE c.ended_on IS NULL AND (c.social_worker_id = $1 OR c.team_id = $2)
         ORDER BY p.family_name, p.given_names, c.person_id",
    )
    .bind(caseload.worker().to_string())
    .bind(caseload.team().map(|t| t.to_string()))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CaseloadChild {
                person: parse_id(&r.try_get::<String, _>("person_id")?)?,
                name: format!(
                    "{} {}",
                    r.try_get::<String, _>("given_names")?,
                    r.try_get::<String, _>("family_name")?
                ),
                started_on: date(&r.try_get::<String, _>("started_on")?)?,
                legal_status: coded(r, "legal_status", LegalStatus::from_code)?,
                home_name: r.try_get("home_name")?,
            })
        })
        .collect()
}
