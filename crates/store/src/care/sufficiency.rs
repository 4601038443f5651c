//! The facts the sufficiency picture is worked out from (ADR 0047): every period of care
//! and every placement begun by the date, with what the picture counts of the child (date of
//! birth, sex, ethnicity) and where things are; and the requests that found no suitable home.
//! Three reads, whatever the number of children; only the gate's `SufficiencyDesk` opens them.

use super::{offers_of, postcode};
use crate::decode::{code, date, opt_coded, opt_date, parse_time};
use crate::gate::SufficiencyDesk;
use crate::{Conn, Result};
use chrono::NaiveDate;
use hearth_domain::care::sufficiency::{ChildFacts, Facts, PeriodFact, PlacementFact, UnmetFact};
use hearth_domain::care::{
    EndReason, LegalStatus, OfstedRating, PlacementType, RequestStatus, Route,
};
use hearth_domain::directory::Coordinates;
use hearth_domain::person::{Ethnicity, Sex};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

fn place(r: &AnyRow) -> Result<Option<Coordinates>> {
    let la: Option<f64> = r.try_get("latitude")?;
    let lo: Option<f64> = r.try_get("longitude")?;
    Ok(la.zip(lo).and_then(|(la, lo)| Coordinates::new(la, lo)))
}

/// Every child's periods and placements begun on or before `on`, and the unmet requests
/// decided by then.
pub async fn facts(conn: &mut Conn, _desk: &SufficiencyDesk, on: NaiveDate) -> Result<Facts> {
    let day = on.to_string();
    let periods = sqlx::query(
        "SELECT c.id, c.person_id, c.started_on, c.ended_on, c.legal_status, c.uasc,
            p.dob, p.sex, p.ethnicity, pc.latitude, pc.longitude
         FROM care_periods c
         JOIN people p ON p.id = c.person_id
         LEFT JOIN postcodes pc ON pc.postcode = c.home_postcode
         WHERE c.started_on <= $1
         ORDER BY c.person_id, c.started_on, c.id",
    )
    .bind(&day)
    .fetch_all(&mut *conn)
    .await?;
    let mut children: Vec<ChildFacts> = Vec::new();
    let mut child_of: HashMap<String, usize> = HashMap::new();
    // a period's id → (child, index of the period in the child's)
    let mut period_of: HashMap<String, (usize, usize)> = HashMap::new();
    for r in &periods {
        let person: String = r.try_get("person_id")?;
        let c = match child_of.get(&person) {
            Some(c) => *c,
            None => {
                children.push(ChildFacts {
                    born: opt_date(r.try_get("dob")?)?,
                    sex: opt_coded(r, "sex", Sex::from_code)?,
                    ethnicity: opt_coded(r, "ethnicity", Ethnicity::from_code)?,
                    ..ChildFacts::default()
                });
                child_of.insert(person, children.len() - 1);
                children.len() - 1
            }
        };
        let status: String = r.try_get("legal_status")?;
        let child = &mut children[c];
        child.periods.push(PeriodFact {
            started_on: date(&r.try_get::<String, _>("started_on")?)?,
            ended_on: opt_date(r.try_get("ended_on")?)?,
            short_break: code(&status, LegalStatus::from_code, "legal status")?.is_short_break(),
            uasc: r.try_get::<i64, _>("uasc")? != 0,
            home: place(r)?,
        });
        period_of.insert(r.try_get("id")?, (c, child.periods.len() - 1));
    }
    let placements = sqlx::query(
        "SELECT pl.period_id, pl.started_on, pl.ended_on, pl.end_reason, pl.placement_type,
            pl.route, pl.postcode, pl.weekly_cost_pence, pl.home_id, h.rating,
            pc.latitude, pc.longitude
         FROM care_placements pl
         JOIN care_homes h ON h.id = pl.home_id
         LEFT JOIN postcodes pc ON pc.postcode = pl.postcode
         WHERE pl.started_on <= $1
         ORDER BY pl.period_id, pl.started_on, pl.id",
    )
    .bind(&day)
    .fetch_all(&mut *conn)
    .await?;
    for r in &placements {
        let period: String = r.try_get("period_id")?;
        let Some((c, i)) = period_of.get(&period).copied() else {
            continue;
        };
        let route = code(&r.try_get::<String, _>("route")?, Route::from_code, "route")?;
        let placement_type = code(
            &r.try_get::<String, _>("placement_type")?,
            PlacementType::from_code,
            "placement type",
        )?;
        children[c].placements.push(PlacementFact {
            period: i,
            started_on: date(&r.try_get::<String, _>("started_on")?)?,
            ended_on: opt_date(r.try_get("ended_on")?)?,
            end_reason: opt_coded(r, "end_reason", EndReason::from_code)?,
            kind: placement_type.kind(route == Route::InHouse),
            route,
            postcode: postcode(&r.try_get::<String, _>("postcode")?)?,
            at: place(r)?,
            weekly_cost_pence: r.try_get("weekly_cost_pence")?,
            home: r.try_get("home_id")?,
            rating: opt_coded(r, "rating", OfstedRating::from_code)?,
        });
    }
    let contacts = sqlx::query(&format!(
        "SELECT {} FROM care_leaver_contacts l WHERE l.recorded_on <= $1",
        super::leavers::COLUMNS
    ))
    .bind(&day)
    .fetch_all(&mut *conn)
    .await?;
    for r in &contacts {
        if let Some(c) = child_of.get(&super::leavers::person(r)?.to_string()) {
            children[*c]
                .leaver_contacts
                .push(super::leavers::contact(r)?);
        }
    }
    let unmet = sqlx::query(
        "SELECT decided_at, needs, siblings FROM placement_requests
         WHERE status = $1 AND decided_at IS NOT NULL",
    )
    .bind(RequestStatus::Unmet.code())
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok(UnmetFact {
            decided_on: parse_time(&r.try_get::<String, _>("decided_at")?)?.date_naive(),
            needs: offers_of(&r.try_get::<String, _>("needs")?)?,
            siblings: r.try_get("siblings")?,
        })
    })
    .collect::<Result<Vec<_>>>()?
    .into_iter()
    .filter(|u| u.decided_on <= on)
    .collect();
    Ok(Facts { children, unmet })
}
