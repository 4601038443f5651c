//! Placement requests: what the child needs, their wishes and feelings in their own words,
//! constraints and urgency; the placements team's decision (placed, or no suitable home).

use super::{offers_of, offers_text};
use crate::decode::{coded, opt_date, parse_id, parse_time};
use crate::gate::{OpenedChildInCare, OpenedPlacementRequest, PlacementsDesk};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::care::{Offer, RequestStatus, Urgency};
use hearth_domain::ids::{PersonId, PlacementId, PlacementRequestId};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A request as the social worker makes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRequest {
    pub urgency: Urgency,
    pub needs: Vec<Offer>,
    /// The child's wishes and feelings, in their own words.
    pub wishes: String,
    /// Brothers and sisters to live with the child (places needed beyond the child's own).
    pub siblings: i64,
    pub school: Option<String>,
    pub max_miles: Option<i64>,
    pub culture: Option<String>,
    pub language: Option<String>,
    pub faith: Option<String>,
}

pub async fn insert(
    conn: &mut Conn,
    child: &OpenedChildInCare,
    r: &NewRequest,
    at: DateTime<Utc>,
) -> Result<PlacementRequestId> {
    let id = PlacementRequestId::new();
    sqlx::query(
        "INSERT INTO placement_requests (id, period_id, person_id, requested_by, requested_at,
            urgency, needs, wishes, siblings, school, max_miles, culture, language, faith, status,
            version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1)",
    )
    .bind(id.to_string())
    .bind(child.period().to_string())
    .bind(child.person().to_string())
    .bind(child.user().to_string())
    .bind(to_text(at))
    .bind(r.urgency.code())
    .bind(offers_text(&r.needs))
    .bind(&r.wishes)
    .bind(r.siblings)
    .bind(r.school.as_deref())
    .bind(r.max_miles)
    .bind(r.culture.as_deref())
    .bind(r.language.as_deref())
    .bind(r.faith.as_deref())
    .bind(RequestStatus::Open.code())
    .execute(conn)
    .await?;
    Ok(id)
}

/// The child a request is about; only the gate asks, to open it.
pub(crate) async fn person_of(conn: &mut Conn, id: PlacementRequestId) -> Result<PersonId> {
    let person: Option<String> =
        sqlx::query_scalar("SELECT person_id FROM placement_requests WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(conn)
            .await?;
    parse_id(&person.ok_or(StoreError::NotFound)?)
}

/// A request in full.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacementRequest {
    pub id: PlacementRequestId,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub request: NewRequest,
    pub status: RequestStatus,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub placement: Option<PlacementId>,
    pub version: i64,
}

pub async fn get(conn: &mut Conn, opened: &OpenedPlacementRequest) -> Result<PlacementRequest> {
    let r = sqlx::query(
        "SELECT r.id, u.display_name AS requester, r.requested_at, r.urgency, r.needs, r.wishes,
            r.siblings, r.school, r.max_miles, r.culture, r.language, r.faith, r.status,
            d.display_name AS decider, r.decision_note, r.placement_id, r.version
         FROM placement_requests r JOIN users u ON u.id = r.requested_by
         LEFT JOIN users d ON d.id = r.decided_by
         WHERE r.id = $1 AND r.person_id = $2",
    )
    .bind(opened.id().to_string())
    .bind(opened.child().person().to_string())
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(PlacementRequest {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        requested_by: r.try_get("requester")?,
        requested_at: parse_time(&r.try_get::<String, _>("requested_at")?)?,
        request: NewRequest {
            urgency: coded(&r, "urgency", Urgency::from_code)?,
            needs: offers_of(&r.try_get::<String, _>("needs")?)?,
            wishes: r.try_get("wishes")?,
            siblings: r.try_get("siblings")?,
            school: r.try_get("school")?,
            max_miles: r.try_get("max_miles")?,
            culture: r.try_get("culture")?,
            language: r.try_get("language")?,
            faith: r.try_get("faith")?,
        },
        status: coded(&r, "status", RequestStatus::from_code)?,
        decided_by: r.try_get("decider")?,
        decision_note: r.try_get("decision_note")?,
        placement: r
            .try_get::<Option<String>, _>("placement_id")?
            .map(|p| parse_id(&p))
            .transpose()?,
        version: r.try_get("version")?,
    })
}

/// A request in a list: the child's name and age, urgency and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestLine {
    pub id: PlacementRequestId,
    pub person: PersonId,
    pub child: String,
    pub dob: Option<NaiveDate>,
    pub urgency: Urgency,
    pub requested_at: DateTime<Utc>,
    pub status: RequestStatus,
}

const LINE: &str = "SELECT r.id, r.person_id, p.given_names, p.family_name, p.dob, r.urgency,
        r.requested_at, r.status
     FROM placement_requests r JOIN people p ON p.id = r.person_id";

fn line(r: &AnyRow) -> Result<RequestLine> {
    Ok(RequestLine {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        person: parse_id(&r.try_get::<String, _>("person_id")?)?,
        child: format!(
            "{} {}",
            r.try_get::<String, _>("given_names")?,
            r.try_get::<String, _>("family_name")?
        ),
        dob: opt_date(r.try_get("dob")?)?,
        urgency: coded(r, "urgency", Urgency::from_code)?,
        requested_at: parse_time(&r.try_get::<String, _>("requested_at")?)?,
        status: coded(r, "status", RequestStatus::from_code)?,
    })
}

/// The requests waiting for a home, the most urgent first, then the oldest.
pub async fn waiting(conn: &mut Conn, _desk: &PlacementsDesk) -> Result<Vec<RequestLine>> {
    let rows = sqlx::query(&format!(
        "{LINE} WHERE r.status = $1 ORDER BY r.requested_at, r.id"
    ))
    .bind(RequestStatus::Open.code())
    .fetch_all(conn)
    .await?;
    let mut lines = rows.iter().map(line).collect::<Result<Vec<_>>>()?;
    lines.sort_by_key(|l| l.urgency);
    Ok(lines)
}

/// Every request for the child, the newest first.
pub async fn for_child(conn: &mut Conn, child: &OpenedChildInCare) -> Result<Vec<RequestLine>> {
    let rows = sqlx::query(&format!(
        "{LINE} WHERE r.person_id = $1 ORDER BY r.requested_at DESC, r.id DESC"
    ))
    .bind(child.person().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(line).collect()
}

/// Records the decision on a request still open at `version`: placed (with the placement) or
/// no suitable home (with why).
pub async fn decide(
    conn: &mut Conn,
    opened: &OpenedPlacementRequest,
    status: RequestStatus,
    note: Option<&str>,
    placement: Option<PlacementId>,
    at: DateTime<Utc>,
    version: i64,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE placement_requests SET status = $1, decision_note = $2, placement_id = $3,
            decided_by = $4, decided_at = $5, version = version + 1
         WHERE id = $6 AND person_id = $7 AND status = $8 AND version = $9",
    )
    .bind(status.code())
    .bind(note)
    .bind(placement.map(|p| p.to_string()))
    .bind(opened.child().user().to_string())
    .bind(to_text(at))
    .bind(opened.id().to_string())
    .bind(opened.child().person().to_string())
    .bind(RequestStatus::Open.code())
    .bind(version)
    .execute(conn)
    .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict)
    }
}
