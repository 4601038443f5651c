//! Reading the record for the analytics extract (ADR 0038). Every function takes an
//! [`OpenedExtract`], which only the gate makes, for the server's own job, with the opening
//! audited. Only the columns the extract keeps are read: no name, address line, contact
//! detail or free text is selected here (requests and episodes come through the returns'
//! readers, which read none either).

use crate::decode::{coded, date, opt_coded, opt_date, parse_id};
use crate::gate::OpenedExtract;
use crate::{Conn, Result};
use hearth_domain::episode::NeedResult;
use hearth_domain::extract::{AttendanceFact, NeedFact, PersonFacts, ReviewFact};
use hearth_domain::need::NeedDomain;
use hearth_domain::person::{DobCertainty, Ethnicity, Sex};
use hearth_domain::returns::date_of_birth;
use sqlx::Row;
use std::collections::HashMap;

/// Everyone on the record, with the postcode of their current address; a record merged into
/// another is kept (its requests and episodes still name it) and says which.
pub async fn people(conn: &mut Conn, _opened: &OpenedExtract) -> Result<Vec<PersonFacts>> {
    let addresses = sqlx::query(
        "SELECT person_id, postcode FROM addresses WHERE to_date IS NULL
         ORDER BY person_id, created_at",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut postcode: HashMap<String, String> = HashMap::new();
    for row in &addresses {
        // The latest current address wins.
        postcode.insert(row.try_get("person_id")?, row.try_get("postcode")?);
    }
    let rows = sqlx::query(
        "SELECT id, dob, dob_certainty, sex, ethnicity, first_language, send, merged_into
         FROM people ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let id: String = row.try_get("id")?;
            let send: Option<String> = row.try_get("send")?;
            Ok(PersonFacts {
                id: parse_id(&id)?,
                dob: date_of_birth(
                    opt_date(row.try_get("dob")?)?,
                    opt_coded(row, "dob_certainty", DobCertainty::from_code)?,
                ),
                sex: opt_coded(row, "sex", Sex::from_code)?,
                ethnicity: opt_coded(row, "ethnicity", Ethnicity::from_code)?,
                first_language: row.try_get("first_language")?,
                postcode: postcode.remove(&id),
                send: send.is_some_and(|s| !s.trim().is_empty()),
                merged_into: row
                    .try_get::<Option<String>, _>("merged_into")?
                    .map(|m| parse_id(&m))
                    .transpose()?,
            })
        })
        .collect()
}

/// Each need of each episode, with its result and the day the episode closed.
pub async fn needs(conn: &mut Conn, _opened: &OpenedExtract) -> Result<Vec<NeedFact>> {
    let rows = sqlx::query(
        "SELECT n.episode_id, n.domain, n.result, e.ended_on
         FROM episode_needs n JOIN episodes e ON e.id = n.episode_id
         ORDER BY n.episode_id, n.domain",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(NeedFact {
                episode: parse_id(&row.try_get::<String, _>("episode_id")?)?,
                domain: coded(row, "domain", NeedDomain::from_code)?,
                result: opt_coded(row, "result", NeedResult::from_code)?,
                closed_on: opt_date(row.try_get("ended_on")?)?,
            })
        })
        .collect()
}

/// Each Team Around the Family review with the progress scores given at it (never the
/// comments, attendees or decisions).
pub async fn reviews(conn: &mut Conn, _opened: &OpenedExtract) -> Result<Vec<ReviewFact>> {
    let scores = sqlx::query("SELECT review_id, scale FROM review_progress")
        .fetch_all(&mut *conn)
        .await?;
    let mut by_review: HashMap<String, Vec<i64>> = HashMap::new();
    for row in &scores {
        by_review
            .entry(row.try_get("review_id")?)
            .or_default()
            .push(row.try_get("scale")?);
    }
    let rows = sqlx::query("SELECT id, episode_id, held_on FROM reviews ORDER BY held_on, id")
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| {
            let id: String = row.try_get("id")?;
            Ok(ReviewFact {
                episode: parse_id(&row.try_get::<String, _>("episode_id")?)?,
                held_on: date(&row.try_get::<String, _>("held_on")?)?,
                scores: by_review.remove(&id).unwrap_or_default(),
                id,
            })
        })
        .collect()
}

/// Each attendance at a Family Hub session, with the person on the record where the hub's
/// member is linked to one.
pub async fn attendances(conn: &mut Conn, _opened: &OpenedExtract) -> Result<Vec<AttendanceFact>> {
    let rows = sqlx::query(
        "SELECT a.id, a.member_id, m.person_id, a.on_date, a.service_id, a.location_id,
                a.age_band
         FROM hub_attendances a LEFT JOIN hub_members m ON m.id = a.member_id
         ORDER BY a.on_date, a.id",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(AttendanceFact {
                id: row.try_get("id")?,
                person: row
                    .try_get::<Option<String>, _>("person_id")?
                    .map(|p| parse_id(&p))
                    .transpose()?,
                member: row.try_get("member_id")?,
                on: date(&row.try_get::<String, _>("on_date")?)?,
                service: row.try_get("service_id")?,
                location: row.try_get("location_id")?,
                age_band: row.try_get("age_band")?,
            })
        })
        .collect()
}
