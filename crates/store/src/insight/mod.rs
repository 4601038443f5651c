//! Measuring impact: the facts the dashboards count (one row per request or episode, no
//! personal details, narrowed by the filters in SQL), the partnership's areas, and the
//! indicators entered from outside. Aggregate figures, not personal data: the app asks for
//! the `ViewReports` capability (or narrows to the viewer's own work) before calling these;
//! listing the records behind a figure goes through the gate.

pub mod board;
pub mod extract;
pub mod identification;

use crate::decode::{code, date, opt_date, parse_id, parse_time};
use crate::{Conn, Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::episode::{ClosureReason, EpisodeLevel};
use hearth_domain::ids::{EpisodeId, OrganisationId, PersonId, RequestId, TeamId, UserId};
use hearth_domain::insight::{AgeBand, EpisodeFact, OutcomeCode, RequestFact};
use hearth_domain::person::{Ethnicity, Sex};
use hearth_domain::routing::{Outcome, Urgency};
use hearth_domain::time::to_text;
use sqlx::Row;
use std::collections::HashMap;

/// What a dashboard is narrowed to; nothing is everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ReportFilter {
    pub locality: Option<String>,
    pub ward: Option<String>,
    /// The agency that asked for help.
    pub agency: Option<OrganisationId>,
    /// The team that owns the episode (for requests: the episode the request opened).
    pub team: Option<TeamId>,
    /// The worker leading the episode (for requests: the episode the request opened).
    pub lead: Option<UserId>,
    pub age_band: Option<AgeBand>,
    pub sex: Option<Sex>,
    pub ethnicity: Option<Ethnicity>,
    /// First language, as recorded (`Urdu`).
    pub language: Option<String>,
    /// Only people with special educational needs or a disability recorded.
    pub send: bool,
}

impl ReportFilter {
    /// Whether the filter narrows to work done: who asked, the team or the lead. The
    /// worklist's families have none of these (nobody asked, nobody helps them yet), so such
    /// a filter leaves them out rather than count none.
    pub fn narrows_to_work(&self) -> bool {
        self.agency.is_some() || self.team.is_some() || self.lead.is_some()
    }
}

enum Param {
    Text(String),
    Int(i64),
}

/// The filter as SQL conditions on one record (`r` a request or `e` an episode) and their
/// parameters, numbered from `first`.
struct Conditions {
    sql: String,
    params: Vec<Param>,
    next: usize,
}

impl Conditions {
    fn from(first: usize) -> Conditions {
        Conditions {
            sql: String::new(),
            params: Vec::new(),
            next: first,
        }
    }

    /// Adds a parameter; its placeholder.
    fn param(&mut self, p: Param) -> String {
        self.params.push(p);
        self.next += 1;
        format!("${}", self.next - 1)
    }
}

/// The conditions about people (`p`, and with an area `ra`, the area of their current
/// address): SQL to follow a `WHERE` over `people p`, and whether the area's joins
/// ([`AREA_JOINS`]) are needed; `None` when the filter says nothing about people. An age is
/// the age on `when`, an SQL expression for a date or instant as text.
fn person_conditions(
    filter: &ReportFilter,
    when: &str,
    c: &mut Conditions,
) -> Option<(String, bool)> {
    let mut person = String::new();
    let mut area = false;
    if let Some(l) = &filter.locality {
        area = true;
        person += &format!(" AND ra.locality = {}", c.param(Param::Text(l.clone())));
    }
    if let Some(w) = &filter.ward {
        area = true;
        person += &format!(" AND ra.ward = {}", c.param(Param::Text(w.clone())));
    }
    if let Some(s) = filter.sex {
        person += &format!(" AND p.sex = {}", c.param(Param::Text(s.code().into())));
    }
    if let Some(e) = filter.ethnicity {
        person += &format!(
            " AND p.ethnicity = {}",
            c.param(Param::Text(e.code().into()))
        );
    }
    if let Some(l) = &filter.language {
        person += &format!(
            " AND LOWER(p.first_language) = {}",
            c.param(Param::Text(l.to_lowercase()))
        );
    }
    if filter.send {
        person += " AND p.send IS NOT NULL AND p.send <> ''";
    }
    if let Some(band) = filter.age_band {
        // A birthday `years` before the record's date, as text: the year moved back, the
        // month and day kept (stored dates are `YYYY-MM-DD`, instants RFC 3339).
        let (from, to) = band.years();
        let birthday = |p: &str| {
            format!(
                "CAST(CAST(SUBSTR({when}, 1, 4) AS INTEGER) - {p} AS TEXT) || SUBSTR({when}, 5, 6)"
            )
        };
        let p = c.param(Param::Int(i64::from(from)));
        person += &format!(" AND p.dob IS NOT NULL AND p.dob <= {}", birthday(&p));
        if let Some(to) = to {
            let p = c.param(Param::Int(i64::from(to)));
            person += &format!(" AND p.dob > {}", birthday(&p));
        }
    }
    (!person.is_empty()).then_some((person, area))
}

/// The joins from `people p` to the area (`ra`) of their current address.
const AREA_JOINS: &str = " JOIN addresses a ON a.person_id = p.id AND a.to_date IS NULL
              JOIN report_areas ra ON ra.district = SUBSTR(a.postcode_key, 1, LENGTH(a.postcode_key) - 3)";

/// The record a filter's conditions are on.
#[derive(Clone, Copy)]
enum Record {
    Request,
    Episode,
}

fn conditions(filter: &ReportFilter, record: Record, first: usize) -> Conditions {
    let mut c = Conditions::from(first);
    let (alias, link, key, when) = match record {
        Record::Request => ("r", "request_people", "request_id", "r.submitted_at"),
        Record::Episode => ("e", "episode_people", "episode_id", "e.started_on"),
    };
    if let Some(agency) = filter.agency {
        let p = c.param(Param::Text(agency.to_string()));
        match record {
            Record::Request => c.sql += &format!(" AND r.requester_organisation_id = {p}"),
            Record::Episode => {
                c.sql += &format!(
                    " AND EXISTS (SELECT 1 FROM requests q WHERE q.id = e.request_id AND q.requester_organisation_id = {p})"
                )
            }
        }
    }
    for (value, column) in [
        (filter.team.map(|t| t.to_string()), "owning_team_id"),
        (filter.lead.map(|u| u.to_string()), "lead_user_id"),
    ] {
        let Some(value) = value else { continue };
        let p = c.param(Param::Text(value));
        match record {
            Record::Episode => c.sql += &format!(" AND e.{column} = {p}"),
            Record::Request => {
                c.sql += &format!(
                    " AND EXISTS (SELECT 1 FROM episodes x WHERE x.request_id = r.id AND x.{column} = {p})"
                )
            }
        }
    }
    // One person on the record must match every condition about people.
    if let Some((person, area)) = person_conditions(filter, when, &mut c) {
        let areas = if area { AREA_JOINS } else { "" };
        c.sql += &format!(
            " AND EXISTS (SELECT 1 FROM {link} fp JOIN people p ON p.id = fp.person_id{areas}
                          WHERE fp.{key} = {alias}.id{person})"
        );
    }
    c
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    params: &'q [Param],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for p in params {
        q = match p {
            Param::Text(t) => q.bind(t.as_str()),
            Param::Int(i) => q.bind(*i),
        };
    }
    q
}

fn outcome_code(text: &str) -> Option<OutcomeCode> {
    Outcome::codes()
        .into_iter()
        .find(|c| *c == text)
        .map(OutcomeCode)
}

/// Requests submitted, or decided, in `[from, to)` that match the filter, with their people.
pub async fn request_facts(
    conn: &mut Conn,
    filter: &ReportFilter,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<RequestFact>> {
    let c = conditions(filter, Record::Request, 3);
    // The requests are found through their two dates' indexes (submitted, decided): with an
    // OR of the two, every request of ten years was read and the filter's EXISTS run for each
    // (on the city three times slower, twelve times with a locality and language).
    let sql = format!(
        "SELECT r.id, r.submitted_at, r.urgency, r.safeguarding, r.requester_organisation_id,
                d.decided_at, d.outcome
         FROM requests r LEFT JOIN decisions d ON d.request_id = r.id AND r.status = 'decided'
         WHERE r.id IN (SELECT q.id FROM requests q WHERE q.submitted_at >= $1 AND q.submitted_at < $2
                        UNION SELECT x.request_id FROM decisions x
                              WHERE x.decided_at >= $1 AND x.decided_at < $2)
           AND r.submitted_at IS NOT NULL
           AND ((r.submitted_at >= $1 AND r.submitted_at < $2)
                OR (d.decided_at >= $1 AND d.decided_at < $2)){}
         ORDER BY r.submitted_at",
        c.sql
    );
    let (from, to) = (to_text(from), to_text(to));
    let q = sqlx::query(&sql).bind(&from).bind(&to);
    let rows = bind_all(q, &c.params).fetch_all(&mut *conn).await?;
    let mut facts = Vec::with_capacity(rows.len());
    for r in &rows {
        let decided = match r.try_get::<Option<String>, _>("decided_at")? {
            Some(at) => Some((
                parse_time(&at)?,
                code(&r.try_get::<String, _>("outcome")?, outcome_code, "outcome")?,
            )),
            None => None,
        };
        let submitted: String = r.try_get("submitted_at")?;
        facts.push(RequestFact {
            id: parse_id(&r.try_get::<String, _>("id")?)?,
            submitted: parse_time(&submitted)?,
            urgency: code(
                &r.try_get::<String, _>("urgency")?,
                Urgency::from_code,
                "urgency",
            )?,
            safeguarding: r.try_get::<i64, _>("safeguarding")? != 0,
            agency: parse_id(&r.try_get::<String, _>("requester_organisation_id")?)?,
            people: Vec::new(),
            decided,
        });
    }
    let people = people_of_requests_between(conn, &from, &to).await?;
    for f in &mut facts {
        if let Some(p) = people.get(&f.id) {
            f.people.clone_from(p);
        }
    }
    Ok(facts)
}

async fn people_of_requests_between(
    conn: &mut Conn,
    from: &str,
    to: &str,
) -> Result<HashMap<RequestId, Vec<PersonId>>> {
    let rows = sqlx::query(
        "SELECT rp.request_id, rp.person_id FROM requests r
         JOIN request_people rp ON rp.request_id = r.id
         WHERE r.submitted_at >= $1 AND r.submitted_at < $2",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let mut map: HashMap<RequestId, Vec<PersonId>> = HashMap::new();
    for r in &rows {
        map.entry(parse_id(&r.try_get::<String, _>("request_id")?)?)
            .or_default()
            .push(parse_id(&r.try_get::<String, _>("person_id")?)?);
    }
    Ok(map)
}

/// Every request submitted in `[from, to)`, whoever it came from, with its people: what a
/// re-request is looked for in (the earlier request need not match the filter).
pub async fn request_history(
    conn: &mut Conn,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(RequestId, DateTime<Utc>, Vec<PersonId>)>> {
    let rows = sqlx::query(
        "SELECT r.id, r.submitted_at, rp.person_id FROM requests r
         JOIN request_people rp ON rp.request_id = r.id
         WHERE r.submitted_at >= $1 AND r.submitted_at < $2
         ORDER BY r.submitted_at, r.id",
    )
    .bind(to_text(from))
    .bind(to_text(to))
    .fetch_all(&mut *conn)
    .await?;
    let mut list: Vec<(RequestId, DateTime<Utc>, Vec<PersonId>)> = Vec::new();
    for r in &rows {
        let id: RequestId = parse_id(&r.try_get::<String, _>("id")?)?;
        let person: PersonId = parse_id(&r.try_get::<String, _>("person_id")?)?;
        match list.last_mut() {
            Some((last, _, people)) if *last == id => people.push(person),
            _ => list.push((
                id,
                parse_time(&r.try_get::<String, _>("submitted_at")?)?,
                vec![person],
            )),
        }
    }
    Ok(list)
}

/// Episodes open at any time in `[from, to)` (started before `to`, not ended before `from`)
/// that match the filter, with their assessment, needs met and the family's rating.
/// `assessment_days` dates an assessment not yet begun.
pub async fn episode_facts(
    conn: &mut Conn,
    filter: &ReportFilter,
    from: NaiveDate,
    to: NaiveDate,
    assessment_days: i64,
) -> Result<Vec<EpisodeFact>> {
    let c = conditions(filter, Record::Episode, 4);
    let sql = format!(
        "SELECT e.id, e.started_on, e.ended_on, e.status, e.level, e.closure_reason, e.lead_user_id,
                a.due_on, a.submitted_at,
                (SELECT COUNT(*) FROM episode_needs n WHERE n.episode_id = e.id AND n.result IS NOT NULL) AS needs_with_result,
                (SELECT COUNT(*) FROM episode_needs n WHERE n.episode_id = e.id AND n.result = 'achieved') AS needs_achieved,
                (SELECT MAX(f.rating) FROM feedback_invitations f WHERE f.episode_id = e.id AND f.rating IS NOT NULL) AS rating
         FROM episodes e LEFT JOIN assessments a ON a.episode_id = e.id
         WHERE e.started_on < $2 AND (e.ended_on IS NULL OR e.ended_on >= $1
                OR (e.ended_on >= $3 AND EXISTS (SELECT 1 FROM feedback_invitations f
                    WHERE f.episode_id = e.id AND f.answered_at >= $1 AND f.answered_at < $2))){}
         ORDER BY e.started_on",
        c.sql
    );
    // A family answers after closure by a link that lasts six weeks (a new link, longer):
    // episodes closed up to a year before still count where an answer falls in the period.
    let q = sqlx::query(&sql)
        .bind(from.format("%Y-%m-%d").to_string())
        .bind(to.format("%Y-%m-%d").to_string())
        .bind(
            (from - chrono::Duration::days(366))
                .format("%Y-%m-%d")
                .to_string(),
        );
    let rows = bind_all(q, &c.params).fetch_all(&mut *conn).await?;
    let mut said_better = crate::voice::said_better(conn, from, to).await?;
    let mut partner_events = identification::partner_events(conn, from, to).await?;
    rows.iter()
        .map(|r| {
            let started_on = date(&r.try_get::<String, _>("started_on")?)?;
            let closed = r.try_get::<String, _>("status")? == "closed";
            let ended_on = opt_date(r.try_get("ended_on")?)?.filter(|_| closed);
            let assessment_due = match opt_date(r.try_get("due_on")?)? {
                Some(d) => d,
                None => started_on + chrono::Duration::days(assessment_days),
            };
            let rating = r
                .try_get::<Option<i64>, _>("rating")?
                .map(|v| {
                    u8::try_from(v)
                        .ok()
                        .filter(|v| (1..=5).contains(v))
                        .ok_or_else(|| StoreError::Corrupt(format!("not a rating: {v}")))
                })
                .transpose()?;
            let count = |column: &str| -> Result<u64> {
                let n: i64 = r.try_get(column)?;
                u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("{column}: {n}")))
            };
            let id = parse_id::<EpisodeId>(&r.try_get::<String, _>("id")?)?;
            Ok(EpisodeFact {
                id,
                said_better: said_better.remove(&id).unwrap_or_default(),
                partner_events: partner_events.remove(&id).unwrap_or_default(),
                started_on,
                ended_on,
                level: code(
                    &r.try_get::<String, _>("level")?,
                    EpisodeLevel::from_code,
                    "level",
                )?,
                closure_reason: r
                    .try_get::<Option<String>, _>("closure_reason")?
                    .filter(|_| closed)
                    .map(|c| code(&c, ClosureReason::from_code, "closure reason"))
                    .transpose()?,
                lead: r
                    .try_get::<Option<String>, _>("lead_user_id")?
                    .as_deref()
                    .map(parse_id)
                    .transpose()?,
                assessment_due,
                assessment_done: r
                    .try_get::<Option<String>, _>("submitted_at")?
                    .as_deref()
                    .map(parse_time)
                    .transpose()?
                    .map(|t| t.date_naive()),
                needs_with_result: count("needs_with_result")?,
                needs_achieved: count("needs_achieved")?,
                rating,
            })
        })
        .collect()
}

/// The partnership's localities and wards, for the filters.
pub async fn areas(conn: &mut Conn) -> Result<Vec<(String, String)>> {
    let rows =
        sqlx::query("SELECT DISTINCT locality, ward FROM report_areas ORDER BY locality, ward")
            .fetch_all(conn)
            .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("locality")?, r.try_get("ward")?)))
        .collect()
}

/// Puts a postcode district in a ward and locality (again: moves it).
pub async fn put_area(conn: &mut Conn, district: &str, ward: &str, locality: &str) -> Result<()> {
    sqlx::query("DELETE FROM report_areas WHERE district = $1")
        .bind(district)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO report_areas (district, ward, locality) VALUES ($1, $2, $3)")
        .bind(district)
        .bind(ward)
        .bind(locality)
        .execute(conn)
        .await?;
    Ok(())
}

/// First languages recorded for anyone, most common first (for the filter's choices).
pub async fn languages(conn: &mut Conn) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT first_language, COUNT(*) AS n FROM people
         WHERE first_language IS NOT NULL AND first_language <> ''
         GROUP BY first_language ORDER BY n DESC, first_language LIMIT 40",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok(r.try_get("first_language")?))
        .collect()
}

/// One entered figure of a partnership indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    pub indicator: String,
    pub period: String,
    pub value: f64,
    pub note: Option<String>,
    pub entered_by_name: String,
    pub entered_at: DateTime<Utc>,
}

/// Every entered figure, by indicator and period.
pub async fn indicator_values(conn: &mut Conn) -> Result<Vec<IndicatorValue>> {
    let rows = sqlx::query(
        "SELECT v.indicator, v.period, v.value, v.note, u.display_name, v.entered_at
         FROM indicator_values v JOIN users u ON u.id = v.entered_by
         ORDER BY v.indicator, v.period",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let value: String = r.try_get("value")?;
            Ok(IndicatorValue {
                indicator: r.try_get("indicator")?,
                period: r.try_get("period")?,
                value: value
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("not a figure: {value}")))?,
                note: r.try_get("note")?,
                entered_by_name: r.try_get("display_name")?,
                entered_at: parse_time(&r.try_get::<String, _>("entered_at")?)?,
            })
        })
        .collect()
}

/// Records a partnership indicator's figure for a period, replacing one entered before.
pub async fn put_indicator_value(
    conn: &mut Conn,
    indicator: &str,
    period: &str,
    value: f64,
    note: Option<&str>,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("DELETE FROM indicator_values WHERE indicator = $1 AND period = $2")
        .bind(indicator)
        .bind(period)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO indicator_values (indicator, period, value, note, entered_by, entered_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(indicator)
    .bind(period)
    .bind(value.to_string())
    .bind(note)
    .bind(by.to_string())
    .bind(to_text(at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The organisations that have asked for help, for the agency filter.
pub async fn requesting_agencies(conn: &mut Conn) -> Result<Vec<(OrganisationId, String)>> {
    let rows = sqlx::query(
        "SELECT o.id, o.name FROM organisations o
         WHERE EXISTS (SELECT 1 FROM requests r WHERE r.requester_organisation_id = o.id)
         ORDER BY o.name",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                parse_id(&r.try_get::<String, _>("id")?)?,
                r.try_get("name")?,
            ))
        })
        .collect()
}

/// Teams that own episodes, for the team filter.
pub async fn teams_with_episodes(conn: &mut Conn) -> Result<Vec<(TeamId, String)>> {
    let rows = sqlx::query(
        "SELECT t.id, t.name FROM teams t
         WHERE EXISTS (SELECT 1 FROM episodes e WHERE e.owning_team_id = t.id)
         ORDER BY t.name",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                parse_id(&r.try_get::<String, _>("id")?)?,
                r.try_get("name")?,
            ))
        })
        .collect()
}
