//! Requests for a service: a practitioner asks a service in the directory to take on a family
//! member, and the service's organisation accepts or declines.

use crate::decode::{coded, parse_id, parse_time};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, Utc};
use hearth_domain::directory::ServiceRequestStatus;
use hearth_domain::ids::{OrganisationId, PersonId, UserId};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRequest {
    pub id: Uuid,
    pub service_id: Uuid,
    pub service_name: String,
    pub person_id: PersonId,
    pub person_name: String,
    pub requester_name: String,
    pub requester_email: String,
    pub requester_organisation: String,
    pub receiving_organisation_id: OrganisationId,
    pub reason: String,
    pub consent_given_by: String,
    pub contact_preference: String,
    pub contact_detail: Option<String>,
    pub status: ServiceRequestStatus,
    pub answer_reason: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub first_opened_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

pub struct NewServiceRequest<'a> {
    pub id: Uuid,
    pub service_id: Uuid,
    pub person_id: PersonId,
    pub requester_id: UserId,
    pub requester_organisation_id: OrganisationId,
    pub receiving_organisation_id: OrganisationId,
    pub reason: &'a str,
    pub consent_given_by: &'a str,
    pub contact_preference: &'a str,
    pub contact_detail: Option<&'a str>,
}

pub async fn insert(conn: &mut Conn, r: &NewServiceRequest<'_>, now: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "INSERT INTO service_requests (id, service_id, person_id, requester_id, requester_organisation_id,
         receiving_organisation_id, reason, consent_given_by, contact_preference, contact_detail, status, version, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'sent', 1, $11)",
    )
    .bind(r.id.to_string())
    .bind(r.service_id.to_string())
    .bind(r.person_id.to_string())
    .bind(r.requester_id.to_string())
    .bind(r.requester_organisation_id.to_string())
    .bind(r.receiving_organisation_id.to_string())
    .bind(r.reason)
    .bind(r.consent_given_by)
    .bind(r.contact_preference)
    .bind(r.contact_detail)
    .bind(to_text(now))
    .execute(conn)
    .await?;
    Ok(())
}

const SELECT: &str = "SELECT r.id, r.service_id, s.name AS service_name, r.person_id,
    p.given_names, p.family_name, u.display_name AS requester_name, u.email AS requester_email,
    o.name AS requester_organisation, r.receiving_organisation_id, r.reason, r.consent_given_by,
    r.contact_preference, r.contact_detail, r.status, r.answer_reason, a.display_name AS answered_by,
    r.answered_at, r.first_opened_at, r.version, r.created_at
    FROM service_requests r JOIN directory_services s ON s.id = r.service_id
    JOIN people p ON p.id = r.person_id JOIN users u ON u.id = r.requester_id
    JOIN organisations o ON o.id = r.requester_organisation_id LEFT JOIN users a ON a.id = r.answered_by";

fn time(row: &AnyRow, column: &str) -> Result<Option<DateTime<Utc>>> {
    row.try_get::<Option<String>, _>(column)?
        .as_deref()
        .map(parse_time)
        .transpose()
}

fn from_row(row: &AnyRow) -> Result<ServiceRequest> {
    Ok(ServiceRequest {
        id: parse_id(&row.try_get::<String, _>("id")?)?,
        service_id: parse_id(&row.try_get::<String, _>("service_id")?)?,
        service_name: row.try_get("service_name")?,
        person_id: parse_id(&row.try_get::<String, _>("person_id")?)?,
        person_name: format!(
            "{} {}",
            row.try_get::<String, _>("given_names")?,
            row.try_get::<String, _>("family_name")?
        ),
        requester_name: row.try_get("requester_name")?,
        requester_email: row.try_get("requester_email")?,
        requester_organisation: row.try_get("requester_organisation")?,
        receiving_organisation_id: parse_id(
            &row.try_get::<String, _>("receiving_organisation_id")?,
        )?,
        reason: row.try_get("reason")?,
        consent_given_by: row.try_get("consent_given_by")?,
        contact_preference: row.try_get("contact_preference")?,
        contact_detail: row.try_get("contact_detail")?,
        status: coded(row, "status", ServiceRequestStatus::from_code)?,
        answer_reason: row.try_get("answer_reason")?,
        answered_by: row.try_get("answered_by")?,
        answered_at: time(row, "answered_at")?,
        first_opened_at: time(row, "first_opened_at")?,
        version: row.try_get("version")?,
        created_at: parse_time(&row.try_get::<String, _>("created_at")?)?,
    })
}

pub async fn get(conn: &mut Conn, id: Uuid) -> Result<ServiceRequest> {
    let row = sqlx::query(&format!("{SELECT} WHERE r.id = $1"))
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    from_row(&row)
}

/// Requests sent to an organisation's services: those waiting first, then the newest.
pub async fn for_receiver(conn: &mut Conn, org: OrganisationId) -> Result<Vec<ServiceRequest>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE r.receiving_organisation_id = $1
         ORDER BY CASE WHEN r.status = 'sent' THEN 0 ELSE 1 END, r.created_at DESC LIMIT 500"
    ))
    .bind(org.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Requests for a service made for any of these people, newest first.
pub async fn for_people(conn: &mut Conn, people: &[PersonId]) -> Result<Vec<ServiceRequest>> {
    let mut out = Vec::new();
    for p in people {
        let rows = sqlx::query(&format!(
            "{SELECT} WHERE r.person_id = $1 ORDER BY r.created_at DESC"
        ))
        .bind(p.to_string())
        .fetch_all(&mut *conn)
        .await?;
        for r in &rows {
            out.push(from_row(r)?);
        }
    }
    out.sort_by_key(|r| std::cmp::Reverse(r.created_at));
    Ok(out)
}

/// Notes the first time the receiving organisation opened the request.
pub async fn mark_opened(conn: &mut Conn, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "UPDATE service_requests SET first_opened_at = $1 WHERE id = $2 AND first_opened_at IS NULL",
    )
    .bind(to_text(now))
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Accepts or declines a request still waiting at `version`; otherwise [`StoreError::Conflict`].
pub async fn answer(
    conn: &mut Conn,
    id: Uuid,
    version: i64,
    status: ServiceRequestStatus,
    reason: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE service_requests SET status = $1, answer_reason = $2, answered_by = $3, answered_at = $4,
         version = version + 1 WHERE id = $5 AND version = $6 AND status = 'sent'",
    )
    .bind(status.code())
    .bind(reason)
    .bind(by.to_string())
    .bind(to_text(now))
    .bind(id.to_string())
    .bind(version)
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}
