//! Reading the rows of a return (Ofsted's Annex A, the Standard Safeguarding Dataset) over a
//! period. Every function takes an [`OpenedReturn`], which only the gate makes, for a user
//! who may produce returns and with the opening audited: person-level rows leave Hearth in
//! bulk only this way.

use crate::decode::{coded, date, opt_coded, opt_date, parse_id, parse_time};
use crate::gate::OpenedReturn;
use crate::{Conn, Result};
use chrono::{Days, NaiveDate};
use hearth_domain::episode::{ClosureReason, EpisodeLevel};
use hearth_domain::need::NeedDomain;
use hearth_domain::organisation::OrganisationKind;
use hearth_domain::person::{DobCertainty, Ethnicity, Sex};
use hearth_domain::returns::{
    date_of_birth, Contact, ContactOutcome, EarlyHelp, Involvement, Subject, Window,
};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

const SUBJECT: &str = "p.id AS person_id, p.sex, p.ethnicity, p.dob, p.dob_certainty, p.nhs_number";

fn subject(row: &AnyRow) -> Result<Subject> {
    Ok(Subject {
        id: parse_id(&row.try_get::<String, _>("person_id")?)?,
        sex: opt_coded(row, "sex", Sex::from_code)?,
        ethnicity: opt_coded(row, "ethnicity", Ethnicity::from_code)?,
        dob: date_of_birth(
            opt_date(row.try_get("dob")?)?,
            opt_coded(row, "dob_certainty", DobCertainty::from_code)?,
        ),
        nhs_number: row.try_get("nhs_number")?,
    })
}

/// The window's first moment and the moment after its last day, as stored times compare.
fn moments(window: Window) -> (String, String) {
    let start = |d: NaiveDate| to_text(d.and_time(chrono::NaiveTime::MIN).and_utc());
    let after = window
        .to
        .checked_add_days(Days::new(1))
        .unwrap_or(window.to);
    (start(window.from), start(after))
}

/// Each person on each request submitted in the window, with who asked and what was decided.
pub async fn contacts(conn: &mut Conn, opened: &OpenedReturn) -> Result<Vec<Contact>> {
    let (from, until) = moments(opened.window());
    let rows = sqlx::query(&format!(
        "SELECT r.id, r.submitted_at, o.kind, o.name, d.outcome, {SUBJECT}
         FROM requests r
         JOIN request_people rp ON rp.request_id = r.id
         JOIN people p ON p.id = rp.person_id
         JOIN organisations o ON o.id = r.requester_organisation_id
         LEFT JOIN decisions d ON d.request_id = r.id
         WHERE r.submitted_at IS NOT NULL AND r.submitted_at >= $1 AND r.submitted_at < $2
         ORDER BY r.submitted_at, p.id"
    ))
    .bind(from)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Contact {
                request: parse_id(&row.try_get::<String, _>("id")?)?,
                subject: subject(row)?,
                received_on: parse_time(&row.try_get::<String, _>("submitted_at")?)?.date_naive(),
                source: coded(row, "kind", |c| c.parse::<OrganisationKind>().ok())?,
                source_name: row.try_get("name")?,
                outcome: opt_coded(row, "outcome", ContactOutcome::from_code)?,
            })
        })
        .collect()
}

/// Each person in each episode that was open at any time in the window, with its needs and
/// the organisation of the team that holds it.
pub async fn early_help(conn: &mut Conn, opened: &OpenedReturn) -> Result<Vec<EarlyHelp>> {
    let window = opened.window();
    let (from, to) = (window.from.to_string(), window.to.to_string());
    let overlapping = "e.started_on <= $2 AND (e.ended_on IS NULL OR e.ended_on >= $1)";
    let needs_rows = sqlx::query(&format!(
        "SELECT n.episode_id, n.domain FROM episode_needs n
         JOIN episodes e ON e.id = n.episode_id WHERE {overlapping}
         ORDER BY n.episode_id, n.domain"
    ))
    .bind(&from)
    .bind(&to)
    .fetch_all(&mut *conn)
    .await?;
    let mut needs: HashMap<String, Vec<NeedDomain>> = HashMap::new();
    for row in &needs_rows {
        needs
            .entry(row.try_get("episode_id")?)
            .or_default()
            .push(coded(row, "domain", NeedDomain::from_code)?);
    }
    let rows = sqlx::query(&format!(
        "SELECT e.id, e.level, e.started_on, e.ended_on, e.closure_reason, e.lead_user_id,
                o.name AS organisation, {SUBJECT}
         FROM episodes e
         JOIN episode_people ep ON ep.episode_id = e.id
         JOIN people p ON p.id = ep.person_id
         LEFT JOIN teams t ON t.id = e.owning_team_id
         LEFT JOIN organisations o ON o.id = t.organisation_id
         WHERE {overlapping}
         ORDER BY e.started_on, e.id, p.id"
    ))
    .bind(&from)
    .bind(&to)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let id: String = row.try_get("id")?;
            Ok(EarlyHelp {
                episode: parse_id(&id)?,
                subject: subject(row)?,
                level: coded(row, "level", EpisodeLevel::from_code)?,
                started_on: date(&row.try_get::<String, _>("started_on")?)?,
                ended_on: opt_date(row.try_get("ended_on")?)?,
                closure: opt_coded(row, "closure_reason", ClosureReason::from_code)?,
                needs: needs.get(&id).cloned().unwrap_or_default(),
                organisation: row.try_get("organisation")?,
                lead: row
                    .try_get::<Option<String>, _>("lead_user_id")?
                    .map(|u| parse_id(&u))
                    .transpose()?,
            })
        })
        .collect()
}

/// The workers and teams involved with people at any time in the window.
pub async fn involvements(conn: &mut Conn, opened: &OpenedReturn) -> Result<Vec<Involvement>> {
    let window = opened.window();
    let rows = sqlx::query(
        "SELECT i.id, i.person_id, i.user_id, i.role, t.name AS team, i.from_date, i.to_date,
                i.request_id
         FROM involvements i LEFT JOIN teams t ON t.id = i.team_id
         WHERE i.from_date <= $2 AND (i.to_date IS NULL OR i.to_date >= $1)
         ORDER BY i.from_date, i.id",
    )
    .bind(window.from.to_string())
    .bind(window.to.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let id_of = |column: &str| -> Result<Option<String>> { Ok(row.try_get(column)?) };
            Ok(Involvement {
                id: row.try_get("id")?,
                person: parse_id(&row.try_get::<String, _>("person_id")?)?,
                worker: id_of("user_id")?.map(|u| parse_id(&u)).transpose()?,
                role: row.try_get("role")?,
                team: row.try_get("team")?,
                from: date(&row.try_get::<String, _>("from_date")?)?,
                to: opt_date(row.try_get("to_date")?)?,
                request: id_of("request_id")?.map(|r| parse_id(&r)).transpose()?,
            })
        })
        .collect()
}
