//! Saving a child's care read from a 903 return (ADR 0055), through the gate's `CareImport`:
//! who the child is (their `CHILD` kept against the person), their periods of care with each
//! change of legal status, their placements and the homes those were at (found by Ofsted URN,
//! kind and postcode, else made), and their care leaver contacts. The caller saves one child
//! in one transaction, so a crash leaves no child half imported; a period already in the
//! record (the same person and first day) is left as it is, so importing again changes
//! nothing.

use crate::decode::{opt_coded, parse_id};
use crate::gate::CareImport;
use crate::{Conn, Result};
use chrono::{DateTime, Utc};
use hearth_domain::care::import903::ImportedChild;
use hearth_domain::care::ssda903::Placement;
use hearth_domain::care::Route;
use hearth_domain::ids::{CareHomeId, CarePeriodId, PersonId, PlacementId};
use hearth_domain::person::Sex;
use hearth_domain::time::to_text;
use sqlx::Row;

/// The person an earlier import kept this `CHILD` against.
pub async fn person_of_child(
    conn: &mut Conn,
    _import: &CareImport,
    child: &str,
) -> Result<Option<PersonId>> {
    let id: Option<String> =
        sqlx::query_scalar("SELECT person_id FROM care_903_children WHERE child = $1")
            .bind(child)
            .fetch_optional(conn)
            .await?;
    id.map(|i| parse_id(&i)).transpose()
}

/// The people (not merged into another) with this unique pupil number.
pub async fn people_with_upn(
    conn: &mut Conn,
    _import: &CareImport,
    upn: &str,
) -> Result<Vec<PersonId>> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM people WHERE upn = $1 AND merged_into IS NULL")
            .bind(upn)
            .fetch_all(conn)
            .await?;
    ids.iter().map(|i| parse_id(i)).collect()
}

/// A person's recorded sex, to check a match by name against the return's `SEX`.
pub async fn sex_of(
    conn: &mut Conn,
    _import: &CareImport,
    person: PersonId,
) -> Result<Option<Sex>> {
    let row = sqlx::query("SELECT sex FROM people WHERE id = $1")
        .bind(person.to_string())
        .fetch_optional(conn)
        .await?;
    match row {
        Some(r) => opt_coded(&r, "sex", Sex::from_code),
        None => Ok(None),
    }
}

/// What saving a child made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Saved {
    pub periods: u64,
    pub placements: u64,
    pub homes: u64,
    pub contacts: u64,
    /// Periods already in the record, left as they were.
    pub already: u64,
}

/// Saves the child's care on `person`, in the caller's transaction.
pub async fn save_child(
    conn: &mut Conn,
    import: &CareImport,
    person: PersonId,
    child: &ImportedChild,
    at: DateTime<Utc>,
) -> Result<Saved> {
    let officer = import.officer().to_string();
    let now = to_text(at);
    let mut saved = Saved::default();
    sqlx::query(
        "INSERT INTO care_903_children (child, person_id, created_by, created_at)
         SELECT $1, $2, $3, $4 WHERE NOT EXISTS
            (SELECT 1 FROM care_903_children WHERE child = $5 OR person_id = $6)",
    )
    .bind(&child.child)
    .bind(person.to_string())
    .bind(&officer)
    .bind(&now)
    .bind(&child.child)
    .bind(person.to_string())
    .execute(&mut *conn)
    .await?;
    let started: Vec<String> =
        sqlx::query_scalar("SELECT started_on FROM care_periods WHERE person_id = $1")
            .bind(person.to_string())
            .fetch_all(&mut *conn)
            .await?;
    for p in &child.periods {
        if started.contains(&p.started_on.to_string()) {
            saved.already += 1;
            continue;
        }
        let period = CarePeriodId::new();
        sqlx::query(
            "INSERT INTO care_periods (id, person_id, started_on, legal_status, category_of_need,
                home_postcode, social_worker_id, team_id, created_at, uasc, ended_on, end_reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10, $11)",
        )
        .bind(period.to_string())
        .bind(person.to_string())
        .bind(p.started_on.to_string())
        .bind(p.legal_status.code())
        .bind(p.category_of_need.code())
        .bind(p.home_postcode.as_ref().map(|c| c.as_str().to_string()))
        .bind(&officer)
        .bind(&now)
        .bind(i64::from(p.uasc))
        .bind(p.ended_on.map(|d| d.to_string()))
        .bind(p.end_reason.map(|r| r.code()))
        .execute(&mut *conn)
        .await?;
        saved.periods += 1;
        for (on, status) in &p.status_changes {
            sqlx::query(
                "INSERT INTO care_legal_status_changes (period_id, person_id, changed_on,
                    legal_status, recorded_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(period.to_string())
            .bind(person.to_string())
            .bind(on.to_string())
            .bind(status.code())
            .bind(&officer)
            .bind(&now)
            .execute(&mut *conn)
            .await?;
        }
        for pl in &p.placements {
            let (home, route, made) = home_for(conn, import, pl, &now).await?;
            saved.homes += u64::from(made);
            sqlx::query(
                "INSERT INTO care_placements (id, period_id, person_id, home_id, placement_type,
                    route, postcode, weekly_cost_pence, started_on, ended_on, end_reason,
                    created_by, created_at, places)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10, $11, $12, 1)",
            )
            .bind(PlacementId::new().to_string())
            .bind(period.to_string())
            .bind(person.to_string())
            .bind(home.to_string())
            .bind(pl.placement_type.code())
            .bind(route.code())
            .bind(pl.postcode.as_str())
            .bind(pl.started_on.to_string())
            .bind(pl.ended_on.map(|d| d.to_string()))
            .bind(pl.end_reason.map(|r| r.code()))
            .bind(&officer)
            .bind(&now)
            .execute(&mut *conn)
            .await?;
            saved.placements += 1;
        }
    }
    for c in &child.leaver_contacts {
        let done = sqlx::query(
            "INSERT INTO care_leaver_contacts (id, person_id, recorded_on, in_touch, activity,
                accommodation, accommodation_suitable, staying_put, staying_close, recorded_by,
                created_at)
             SELECT $1, $2, $3, $4, $5, $6, $7, 0, 0, $8, $9 WHERE NOT EXISTS
                (SELECT 1 FROM care_leaver_contacts WHERE person_id = $10 AND recorded_on = $11)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(person.to_string())
        .bind(c.recorded_on.to_string())
        .bind(c.in_touch.code())
        .bind(c.activity.map(|a| a.code()))
        .bind(c.accommodation.map(|(a, _)| a.code()))
        .bind(i64::from(c.accommodation.is_none_or(|(_, s)| s)))
        .bind(&officer)
        .bind(&now)
        .bind(person.to_string())
        .bind(c.recorded_on.to_string())
        .execute(&mut *conn)
        .await?;
        saved.contacts += done.rows_affected();
    }
    Ok(saved)
}

/// The home a placement was at: one of the same kind at the same postcode with the same
/// Ofsted URN (a fostering service's URN covers many households, so the URN alone is not one
/// home), else one with no URN there; else a new one, named by what the return says of it,
/// with no vacancies, for the placements team to complete. The placement's route is the
/// council's own for `PR0`/`PR1`, else the home's.
async fn home_for(
    conn: &mut Conn,
    _import: &CareImport,
    pl: &Placement,
    now: &str,
) -> Result<(CareHomeId, Route, bool)> {
    let row = match &pl.urn {
        Some(urn) => {
            sqlx::query(
                "SELECT id, route FROM care_homes
                 WHERE ofsted_urn = $1 AND placement_type = $2 AND postcode = $3
                 ORDER BY id LIMIT 1",
            )
            .bind(urn)
            .bind(pl.placement_type.code())
            .bind(pl.postcode.as_str())
            .fetch_optional(&mut *conn)
            .await?
        }
        None => {
            sqlx::query(
                "SELECT id, route FROM care_homes
                 WHERE ofsted_urn IS NULL AND placement_type = $1 AND postcode = $2
                 ORDER BY id LIMIT 1",
            )
            .bind(pl.placement_type.code())
            .bind(pl.postcode.as_str())
            .fetch_optional(&mut *conn)
            .await?
        }
    };
    let in_house = pl.route == Route::InHouse;
    if let Some(r) = row {
        let id: CareHomeId = parse_id(&r.try_get::<String, _>("id")?)?;
        let route = crate::decode::coded(&r, "route", Route::from_code)?;
        let route = if in_house { Route::InHouse } else { route };
        return Ok((id, route, false));
    }
    let id = CareHomeId::new();
    let name = format!(
        "{} at {}{}",
        pl.placement_type.code(),
        pl.postcode.as_str(),
        pl.urn
            .as_deref()
            .map(|u| format!(" ({u})"))
            .unwrap_or_default()
    );
    sqlx::query(
        "INSERT INTO care_homes (id, name, provider, route, placement_type, ofsted_urn,
            registered_places, vacancies, age_from, age_to, offers, postcode, weekly_cost_pence,
            updated_at, version, provider_kind)
         VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0, 25, '', $7, 0, $8, 1, $9)",
    )
    .bind(id.to_string())
    .bind(&name)
    .bind("Imported from the 903 return")
    .bind(pl.route.code())
    .bind(pl.placement_type.code())
    .bind(pl.urn.as_deref())
    .bind(pl.postcode.as_str())
    .bind(now)
    .bind(pl.provider.map(|k| k.code()))
    .execute(&mut *conn)
    .await?;
    Ok((id, pl.route, true))
}
