//! Each ward's under-fives and the Family Hub whose area it is in (imported figures, no
//! personal data), and the under-fives the hubs reached by ward: a family's ward is its
//! postcode district's (`report_areas`), and a child counts once however often they came.

use super::uuid;
use crate::family::people::placeholders;
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::hub::BORN_UNDER_FIVE;
use hearth_domain::ids::UserId;
use hearth_domain::time::to_text;
use sqlx::Row;
use uuid::Uuid;

/// A ward's figure as imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WardPopulation {
    pub ward: String,
    pub hub: Uuid,
    pub under_fives: u64,
}

/// Puts a ward's under-fives and hub (again: replaces them).
pub async fn put_ward(
    tx: &mut Conn,
    w: &WardPopulation,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("DELETE FROM ward_populations WHERE ward = $1")
        .bind(&w.ward)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO ward_populations (ward, hub_location_id, under_fives, imported_by, imported_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&w.ward)
    .bind(w.hub.to_string())
    .bind(i64::try_from(w.under_fives).map_err(|_| StoreError::Corrupt("population".into()))?)
    .bind(by.map(|u| u.to_string()))
    .bind(to_text(now))
    .execute(tx)
    .await?;
    Ok(())
}

/// One ward's reach of its under-fives over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WardReach {
    pub ward: String,
    pub hub: Uuid,
    pub hub_name: String,
    pub under_fives: u64,
    /// Registered children living in the ward who came to a hub session while under five.
    pub reached: u64,
}

/// Every ward with a population, with the under-fives living there the hubs reached from
/// `from` to `to`, by hub then ward.
pub async fn ward_reach(conn: &mut Conn, from: NaiveDate, to: NaiveDate) -> Result<Vec<WardReach>> {
    let bands = placeholders(BORN_UNDER_FIVE.len(), 3);
    // The family's postcode district is its postcode without the space and the last three
    // characters (the inward code), as the dashboards read it; a postcode too short to have
    // both is in no ward (and PostgreSQL refuses a negative length).
    let sql = format!(
        "SELECT w.ward, w.hub_location_id, l.name AS hub_name, w.under_fives,
                COALESCE(r.reached, 0) AS reached
         FROM ward_populations w JOIN directory_locations l ON l.id = w.hub_location_id
         LEFT JOIN (
            SELECT ra.ward, COUNT(DISTINCT a.member_id) AS reached
            FROM hub_attendances a JOIN hub_members m ON m.id = a.member_id
            JOIN hub_families f ON f.id = m.family_id
            JOIN report_areas ra ON ra.district = CASE
                WHEN LENGTH(REPLACE(f.postcode, ' ', '')) > 4
                THEN SUBSTR(REPLACE(f.postcode, ' ', ''), 1, LENGTH(REPLACE(f.postcode, ' ', '')) - 3)
                END
            WHERE a.on_date >= $1 AND a.on_date <= $2 AND a.age_band IN ({bands})
            GROUP BY ra.ward
         ) r ON r.ward = w.ward
         ORDER BY l.name, w.ward"
    );
    let mut q = sqlx::query(&sql)
        .bind(from.to_string())
        .bind(to.to_string());
    for b in BORN_UNDER_FIVE {
        q = q.bind(b.code());
    }
    let rows = q.fetch_all(conn).await?;
    let n = |r: &sqlx::any::AnyRow, c: &str| -> Result<u64> {
        u64::try_from(r.try_get::<i64, _>(c)?)
            .map_err(|_| StoreError::Corrupt(format!("not a count: {c}")))
    };
    rows.iter()
        .map(|r| {
            Ok(WardReach {
                ward: r.try_get("ward")?,
                hub: uuid(r, "hub_location_id")?,
                hub_name: r.try_get("hub_name")?,
                under_fives: n(r, "under_fives")?,
                reached: n(r, "reached")?,
            })
        })
        .collect()
}
