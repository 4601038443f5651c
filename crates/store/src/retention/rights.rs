//! Erasure (Article 17) and restriction (Article 18) requests: logged by the data protection
//! officer, decided with reasons and any exemptions. An upheld restriction marks the record
//! restricted (the gate then asks everyone for a reason to open it and withholds its contact
//! details); an upheld erasure anonymises it through the retention path.

use crate::decode::{coded, date, parse_id, parse_time};
use crate::gate::RetentionDesk;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::ids::{PersonId, UserId};
use hearth_domain::retention::{Exemption, RightsRequestKind, RightsRequestStatus};
use hearth_domain::time::to_text;
use sqlx::Row;
use uuid::Uuid;

/// A request, as the officer's list and its page show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RightsRequest {
    pub id: Uuid,
    pub person: PersonId,
    pub person_name: String,
    pub kind: RightsRequestKind,
    pub requested_by: String,
    pub grounds: String,
    pub received_on: NaiveDate,
    pub status: RightsRequestStatus,
    pub exemptions: Vec<Exemption>,
    pub decision_reasons: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub version: i64,
}

/// What the officer logs.
#[derive(Debug, Clone)]
pub struct NewRightsRequest<'a> {
    pub person: PersonId,
    pub kind: RightsRequestKind,
    pub requested_by: &'a str,
    pub grounds: &'a str,
    pub received_on: NaiveDate,
    pub logged_by: UserId,
}

pub async fn insert(
    conn: &mut Conn,
    _desk: &RetentionDesk,
    new: &NewRightsRequest<'_>,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO rights_requests (id, person_id, kind, requested_by, grounds, received_on,
            status, logged_by, logged_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id.to_string())
    .bind(new.person.to_string())
    .bind(new.kind.code())
    .bind(new.requested_by)
    .bind(new.grounds)
    .bind(new.received_on.to_string())
    .bind(RightsRequestStatus::Open.code())
    .bind(new.logged_by.to_string())
    .bind(to_text(now))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

const SELECT: &str = "SELECT r.id, r.person_id, p.given_names, p.family_name, r.kind,
    r.requested_by, r.grounds, r.received_on, r.status, r.exemptions, r.decision_reasons,
    u.display_name AS decided_by, r.decided_at, r.version
    FROM rights_requests r JOIN people p ON p.id = r.person_id
    LEFT JOIN users u ON u.id = r.decided_by";

fn from_row(r: &sqlx::any::AnyRow) -> Result<RightsRequest> {
    Ok(RightsRequest {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        person: parse_id(&r.try_get::<String, _>("person_id")?)?,
        person_name: format!(
            "{} {}",
            r.try_get::<String, _>("given_names")?,
            r.try_get::<String, _>("family_name")?
        ),
        kind: coded(r, "kind", RightsRequestKind::from_code)?,
        requested_by: r.try_get("requested_by")?,
        grounds: r.try_get("grounds")?,
        received_on: date(&r.try_get::<String, _>("received_on")?)?,
        status: coded(r, "status", RightsRequestStatus::from_code)?,
        exemptions: r
            .try_get::<Option<String>, _>("exemptions")?
            .unwrap_or_default()
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| {
                Exemption::from_code(c)
                    .ok_or_else(|| StoreError::Corrupt(format!("not a known exemption: {c}")))
            })
            .collect::<Result<_>>()?,
        decision_reasons: r.try_get("decision_reasons")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r
            .try_get::<Option<String>, _>("decided_at")?
            .as_deref()
            .map(parse_time)
            .transpose()?,
        version: r.try_get("version")?,
    })
}

/// Every request: open ones first, then newest.
pub async fn list(conn: &mut Conn, _desk: &RetentionDesk) -> Result<Vec<RightsRequest>> {
    let rows = sqlx::query(&format!(
        "{SELECT} ORDER BY CASE WHEN r.status = 'open' THEN 0 ELSE 1 END, r.received_on DESC, r.id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(conn: &mut Conn, _desk: &RetentionDesk, id: Uuid) -> Result<RightsRequest> {
    let row = sqlx::query(&format!("{SELECT} WHERE r.id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    from_row(&row)
}

/// Records the decision on an open request at the version the officer saw.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    conn: &mut Conn,
    _desk: &RetentionDesk,
    id: Uuid,
    version: i64,
    status: RightsRequestStatus,
    exemptions: &[Exemption],
    reasons: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let codes: Vec<&str> = exemptions.iter().map(|e| e.code()).collect();
    let done = sqlx::query(
        "UPDATE rights_requests SET status = $1, exemptions = $2, decision_reasons = $3,
            decided_by = $4, decided_at = $5, version = version + 1
         WHERE id = $6 AND version = $7 AND status = 'open'",
    )
    .bind(status.code())
    .bind(codes.join(","))
    .bind(reasons)
    .bind(by.to_string())
    .bind(to_text(now))
    .bind(id.to_string())
    .bind(version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// Restricts processing of a person's record: the gate's restriction, with the reason.
pub async fn restrict(
    conn: &mut Conn,
    _desk: &RetentionDesk,
    person: PersonId,
    reason: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE people SET restricted = 1, restriction_reason = $1, version = version + 1
         WHERE id = $2",
    )
    .bind(reason)
    .bind(person.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
