//! The rows of the SSDA903 return (ADR 0053): every period of care open on any day of the
//! collection year, and every period of the young people who turn 17 to 21 in it (the care
//! leavers of OC3), with the child's sex, date of birth, ethnicity and unique pupil number;
//! every placement of those periods with its home's Ofsted URN; each change of legal status
//! (ADR 0055); and the care leavers' contacts. Four reads, whatever the number of children;
//! only the gate's `OpenedReturn` for the 903 opens them.

use super::{leavers, postcode};
use crate::decode::{coded, date, opt_coded, opt_date};
use crate::gate::OpenedReturn;
use crate::{Conn, Result, StoreError};
use chrono::Months;
use hearth_domain::care::providers::ProviderKind;
use hearth_domain::care::ssda903::{Child, Period, Placement};
use hearth_domain::care::{
    CategoryOfNeed, CeaseReason, EndReason, LegalStatus, PlacementType, Route,
};
use hearth_domain::person::{Ethnicity, Sex};
use hearth_domain::returns::ReturnKind;
use sqlx::Row;
use std::collections::HashMap;

/// The children looked after at any time in the opened return's window, oldest period and
/// placement first.
pub async fn children(conn: &mut Conn, opened: &OpenedReturn) -> Result<Vec<Child>> {
    if opened.kind() != ReturnKind::Ssda903 {
        return Err(StoreError::Corrupt(format!(
            "the {} return was opened, not the 903",
            opened.kind().code()
        )));
    }
    let window = opened.window();
    let (first, last) = (window.from.to_string(), window.to.to_string());
    // Born after the day 22 years before the year began and on or before the day 17 years
    // before it ended: a 17th to 21st birthday in the year.
    let years_before = |d: chrono::NaiveDate, y: u32| {
        d.checked_sub_months(Months::new(12 * y))
            .unwrap_or(chrono::NaiveDate::MIN)
            .to_string()
    };
    let (born_after, born_by) = (years_before(window.from, 22), years_before(window.to, 17));
    let taken = "(c.started_on <= $1 AND (c.ended_on IS NULL OR c.ended_on >= $2))
        OR (p.dob > $3 AND p.dob <= $4)";
    let periods = sqlx::query(&format!(
        "SELECT c.id, c.person_id, c.started_on, c.ended_on, c.end_reason, c.legal_status,
            c.category_of_need, c.home_postcode, c.uasc, p.sex, p.dob, p.ethnicity, p.upn,
            k.child AS reference
         FROM care_periods c JOIN people p ON p.id = c.person_id
         LEFT JOIN care_903_children k ON k.person_id = p.id
         WHERE {taken}
         ORDER BY c.person_id, c.started_on, c.id"
    ))
    .bind(&last)
    .bind(&first)
    .bind(&born_after)
    .bind(&born_by)
    .fetch_all(&mut *conn)
    .await?;
    let mut children: Vec<Child> = Vec::new();
    // a period's id → (child, index of the period in the child's)
    let mut period_of: HashMap<String, (usize, usize)> = HashMap::new();
    for r in &periods {
        let person: String = r.try_get("person_id")?;
        if children.last().is_none_or(|c| c.id.to_string() != person) {
            children.push(Child {
                id: crate::decode::parse_id(&person)?,
                reference: r.try_get("reference")?,
                sex: opt_coded(r, "sex", Sex::from_code)?,
                born: opt_date(r.try_get("dob")?)?,
                ethnicity: opt_coded(r, "ethnicity", Ethnicity::from_code)?,
                upn: r.try_get("upn")?,
                periods: Vec::new(),
                leaver_contacts: Vec::new(),
            });
        }
        let c = children.len() - 1;
        let child = &mut children[c];
        child.periods.push(Period {
            started_on: date(&r.try_get::<String, _>("started_on")?)?,
            ended_on: opt_date(r.try_get("ended_on")?)?,
            end_reason: opt_coded(r, "end_reason", CeaseReason::from_code)?,
            legal_status: coded(r, "legal_status", LegalStatus::from_code)?,
            status_changes: Vec::new(),
            category_of_need: coded(r, "category_of_need", CategoryOfNeed::from_code)?,
            home_postcode: r
                .try_get::<Option<String>, _>("home_postcode")?
                .map(|p| postcode(&p))
                .transpose()?,
            uasc: r.try_get::<i64, _>("uasc")? != 0,
            placements: Vec::new(),
        });
        period_of.insert(r.try_get("id")?, (c, child.periods.len() - 1));
    }
    let placements = sqlx::query(&format!(
        "SELECT pl.period_id, pl.placement_type, pl.route, pl.postcode, pl.started_on,
            pl.ended_on, pl.end_reason, h.ofsted_urn,
            COALESCE(pr.kind, h.provider_kind) AS provider_kind
         FROM care_placements pl
         JOIN care_periods c ON c.id = pl.period_id
         JOIN people p ON p.id = c.person_id
         JOIN care_homes h ON h.id = pl.home_id
         LEFT JOIN care_providers pr ON pr.id = h.provider_id
         WHERE {taken}
         ORDER BY pl.period_id, pl.started_on, pl.id"
    ))
    .bind(&last)
    .bind(&first)
    .bind(&born_after)
    .bind(&born_by)
    .fetch_all(&mut *conn)
    .await?;
    for r in &placements {
        let Some((c, i)) = period_of
            .get(&r.try_get::<String, _>("period_id")?)
            .copied()
        else {
            continue;
        };
        children[c].periods[i].placements.push(Placement {
            placement_type: coded(r, "placement_type", PlacementType::from_code)?,
            route: coded(r, "route", Route::from_code)?,
            provider: opt_coded(r, "provider_kind", ProviderKind::from_code)?,
            postcode: postcode(&r.try_get::<String, _>("postcode")?)?,
            urn: r.try_get("ofsted_urn")?,
            started_on: date(&r.try_get::<String, _>("started_on")?)?,
            ended_on: opt_date(r.try_get("ended_on")?)?,
            end_reason: opt_coded(r, "end_reason", EndReason::from_code)?,
        });
    }
    let changes = sqlx::query(&format!(
        "SELECT s.period_id, s.changed_on, s.legal_status
         FROM care_legal_status_changes s
         JOIN care_periods c ON c.id = s.period_id
         JOIN people p ON p.id = c.person_id
         WHERE {taken}
         ORDER BY s.period_id, s.changed_on"
    ))
    .bind(&last)
    .bind(&first)
    .bind(&born_after)
    .bind(&born_by)
    .fetch_all(&mut *conn)
    .await?;
    for r in &changes {
        if let Some((c, i)) = period_of
            .get(&r.try_get::<String, _>("period_id")?)
            .copied()
        {
            children[c].periods[i].status_changes.push((
                date(&r.try_get::<String, _>("changed_on")?)?,
                coded(r, "legal_status", LegalStatus::from_code)?,
            ));
        }
    }
    let contacts = sqlx::query(&format!(
        "SELECT {} FROM care_leaver_contacts l JOIN people p ON p.id = l.person_id
         WHERE p.dob > $1 AND p.dob <= $2",
        leavers::COLUMNS
    ))
    .bind(&born_after)
    .bind(&born_by)
    .fetch_all(conn)
    .await?;
    let child_of: HashMap<String, usize> = children
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.to_string(), i))
        .collect();
    for r in &contacts {
        if let Some(c) = child_of.get(&leavers::person(r)?.to_string()) {
            children[*c].leaver_contacts.push(leavers::contact(r)?);
        }
    }
    Ok(children)
}
