//! The hubs' reach over a period: unique people, sessions and attendances, in all and by hub,
//! service, age band, language and ethnicity. Aggregate figures with no person in them; read
//! from the attendances alone (the session's day, hub and service are copied onto each) so a
//! decade of a city is one indexed range.

use crate::{Conn, Result, StoreError};
use chrono::NaiveDate;
use sqlx::Row;

/// One row of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub label: String,
    /// Registered people who came at least once (walk-ins counted only are not people here).
    pub people: u64,
    pub sessions: u64,
    pub attendances: u64,
}

#[derive(Debug, Clone)]
pub struct Reach {
    pub total: Figures,
    /// Attendances of walk-ins counted only.
    pub counted_only: u64,
    pub by_hub: Vec<Figures>,
    pub by_service: Vec<Figures>,
    /// Age band codes as labels (the app names them).
    pub by_age_band: Vec<Figures>,
    pub by_language: Vec<Figures>,
    pub by_ethnicity: Vec<Figures>,
}

fn n(r: &sqlx::any::AnyRow, c: &str) -> Result<u64> {
    u64::try_from(r.try_get::<i64, _>(c)?)
        .map_err(|_| StoreError::Corrupt(format!("not a count: {c}")))
}

/// Figures grouped by `label` (an SQL expression over `a`, the attendances, `m` the members,
/// `f` their families), from `from` to `to` inclusive.
async fn grouped(
    conn: &mut Conn,
    label: &str,
    joins: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Figures>> {
    let rows = sqlx::query(&format!(
        "SELECT {label} AS label, COUNT(DISTINCT a.member_id) AS people,
                COUNT(DISTINCT a.session_id) AS sessions, COUNT(*) AS attendances
         FROM hub_attendances a {joins}
         WHERE a.on_date >= $1 AND a.on_date <= $2
         GROUP BY {label} ORDER BY {label}"
    ))
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Figures {
                label: r.try_get::<Option<String>, _>("label")?.unwrap_or_default(),
                people: n(r, "people")?,
                sessions: n(r, "sessions")?,
                attendances: n(r, "attendances")?,
            })
        })
        .collect()
}

const MEMBERS: &str = "LEFT JOIN hub_members m ON m.id = a.member_id
    LEFT JOIN hub_families f ON f.id = m.family_id";

pub async fn reach(conn: &mut Conn, from: NaiveDate, to: NaiveDate) -> Result<Reach> {
    let r = sqlx::query(
        "SELECT COUNT(DISTINCT a.member_id) AS people, COUNT(DISTINCT a.session_id) AS sessions,
                COUNT(*) AS attendances
         FROM hub_attendances a WHERE a.on_date >= $1 AND a.on_date <= $2",
    )
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_one(&mut *conn)
    .await?;
    let total = Figures {
        label: String::new(),
        people: n(&r, "people")?,
        sessions: n(&r, "sessions")?,
        attendances: n(&r, "attendances")?,
    };
    let counted: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM hub_attendances a
         WHERE a.on_date >= $1 AND a.on_date <= $2 AND a.member_id IS NULL",
    )
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_one(&mut *conn)
    .await?;
    Ok(Reach {
        total,
        counted_only: u64::try_from(counted).unwrap_or(0),
        by_hub: grouped(
            conn,
            "l.name",
            "JOIN directory_locations l ON l.id = a.location_id",
            from,
            to,
        )
        .await?,
        by_service: grouped(
            conn,
            "s.name",
            "JOIN directory_services s ON s.id = a.service_id",
            from,
            to,
        )
        .await?,
        by_age_band: grouped(conn, "a.age_band", "", from, to).await?,
        by_language: grouped(conn, "f.language", MEMBERS, from, to).await?,
        by_ethnicity: grouped(conn, "m.ethnicity", MEMBERS, from, to).await?,
    })
}
