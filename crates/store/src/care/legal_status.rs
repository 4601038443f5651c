//! A child's legal status over their care (ADR 0055): `care_periods.legal_status` is the status
//! care began with, and each later change is a row of `care_legal_status_changes`, recorded on
//! the child's page or imported from a 903 return.

use crate::decode::{coded, date, opt_date, parse_id};
use crate::gate::OpenedChildInCare;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::care::{LegalStatus, StatusHistory};
use hearth_domain::ids::CarePeriodId;
use hearth_domain::time::to_text;
use sqlx::Row;

/// A change of legal status as the child's record lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub period: CarePeriodId,
    pub changed_on: NaiveDate,
    pub legal_status: LegalStatus,
    /// Who recorded it (or imported it).
    pub recorded_by: String,
}

/// Every change of legal status in every period of the child's care, the latest first.
pub async fn changes(conn: &mut Conn, child: &OpenedChildInCare) -> Result<Vec<StatusChange>> {
    let rows = sqlx::query(
        "SELECT s.period_id, s.changed_on, s.legal_status, u.display_name
         FROM care_legal_status_changes s JOIN users u ON u.id = s.recorded_by
         WHERE s.person_id = $1 ORDER BY s.changed_on DESC",
    )
    .bind(child.person().to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StatusChange {
                period: parse_id(&r.try_get::<String, _>("period_id")?)?,
                changed_on: date(&r.try_get::<String, _>("changed_on")?)?,
                legal_status: coded(r, "legal_status", LegalStatus::from_code)?,
                recorded_by: r.try_get("display_name")?,
            })
        })
        .collect()
}

/// The child's latest period's legal status history.
pub async fn history(conn: &mut Conn, child: &OpenedChildInCare) -> Result<StatusHistory> {
    let period = sqlx::query(
        "SELECT started_on, legal_status, ended_on FROM care_periods WHERE id = $1 AND person_id = $2",
    )
    .bind(child.period().to_string())
    .bind(child.person().to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let changes = sqlx::query(
        "SELECT changed_on, legal_status FROM care_legal_status_changes WHERE period_id = $1",
    )
    .bind(child.period().to_string())
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok((
            date(&r.try_get::<String, _>("changed_on")?)?,
            coded(r, "legal_status", LegalStatus::from_code)?,
        ))
    })
    .collect::<Result<Vec<_>>>()?;
    Ok(StatusHistory {
        began_on: date(&period.try_get::<String, _>("started_on")?)?,
        began_with: coded(&period, "legal_status", LegalStatus::from_code)?,
        ended_on: opt_date(period.try_get("ended_on")?)?,
        changes,
    })
}

/// Records the child's legal status changing on `on` in their latest period, by the user the
/// gate opened the record to. False when that period has a change that day already (one a day,
/// as the return has).
pub async fn record(
    conn: &mut Conn,
    child: &OpenedChildInCare,
    on: NaiveDate,
    status: LegalStatus,
    at: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO care_legal_status_changes (period_id, person_id, changed_on, legal_status,
            recorded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (period_id, changed_on) DO NOTHING",
    )
    .bind(child.period().to_string())
    .bind(child.person().to_string())
    .bind(on.to_string())
    .bind(status.code())
    .bind(child.user().to_string())
    .bind(to_text(at))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
