//! What the worklist is made from: the partner events matched to people, the households they
//! live in now (or, for a person in no household, that person alone: a family of one) with
//! whether anyone in them has an open episode, and what people recorded doing about each
//! family. The rule of who shows is the domain's.

use crate::decode::{coded, date, opt_date, parse_id, parse_time};
use crate::gate::IdentificationWorklist;
use crate::{Conn, Result};
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::identification::feed::EventKind;
use hearth_domain::identification::worklist::{FamilyKey, Outreach};
use hearth_domain::ids::{PartnerRecordId, PersonId};
use hearth_domain::time::to_text;
use sqlx::any::AnyRow;
use sqlx::Row;

/// One matched partner event, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedEvent {
    pub id: PartnerRecordId,
    pub person: PersonId,
    pub event: EventKind,
    pub on: NaiveDate,
    pub attendance: Option<u32>,
    pub dataset_name: String,
    pub owner_name: String,
}

/// Partner events matched to people; callers add `AND …` and the order.
pub(crate) const MATCHED: &str =
    "SELECT r.id, r.person_id, r.event, r.event_on, r.attendance, d.name AS dataset_name,
        o.name AS owner_name
     FROM partner_records r
     JOIN partner_datasets d ON d.id = r.dataset_id
     JOIN organisations o ON o.id = d.owner_organisation_id
     WHERE r.state = 'matched'";

pub(crate) fn matched_event(r: &AnyRow) -> Result<MatchedEvent> {
    let attendance: Option<i64> = r.try_get("attendance")?;
    Ok(MatchedEvent {
        id: parse_id(&r.try_get::<String, _>("id")?)?,
        person: parse_id(&r.try_get::<String, _>("person_id")?)?,
        event: coded(r, "event", EventKind::from_code)?,
        on: date(&r.try_get::<String, _>("event_on")?)?,
        attendance: attendance.map(|a| a.clamp(0, 1000) as u32),
        dataset_name: r.try_get("dataset_name")?,
        owner_name: r.try_get("owner_name")?,
    })
}

/// Every partner event matched to a person now in a household.
pub async fn matched_events(
    conn: &mut Conn,
    _list: &IdentificationWorklist,
) -> Result<Vec<MatchedEvent>> {
    let rows = sqlx::query(&format!("{MATCHED} ORDER BY r.event_on, r.id"))
        .fetch_all(conn)
        .await?;
    rows.iter().map(matched_event).collect()
}

/// A current member of a family where some partner event was matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub family: FamilyKey,
    /// The household's name; empty for a family of one.
    pub household_name: String,
    pub person: PersonId,
    pub given_names: String,
    pub family_name: String,
    pub dob: Option<NaiveDate>,
    pub restricted: bool,
    /// In an episode that is not closed.
    pub supported: bool,
}

/// The person's columns, with whether they are in an open episode.
const PERSON: &str = "p.id, p.given_names, p.family_name, p.dob, p.restricted,
    (SELECT COUNT(*) FROM episode_people ep JOIN episodes e ON e.id = ep.episode_id
      WHERE ep.person_id = p.id AND e.status <> 'closed') AS open_episodes";

/// The current members of every household in which a partner event was matched to someone,
/// then each person matched who lives in no household, as a family of one.
pub async fn members(conn: &mut Conn, _list: &IdentificationWorklist) -> Result<Vec<Member>> {
    let households = sqlx::query(&format!(
        "SELECT hm.household_id, h.name AS household_name, {PERSON}
         FROM household_members hm
         JOIN households h ON h.id = hm.household_id
         JOIN people p ON p.id = hm.person_id
         WHERE hm.to_date IS NULL AND p.merged_into IS NULL AND hm.household_id IN (
            SELECT m.household_id FROM household_members m
            JOIN partner_records r ON r.person_id = m.person_id
            WHERE m.to_date IS NULL AND r.state = 'matched')
         ORDER BY hm.household_id, p.dob, p.id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let alone = sqlx::query(&format!(
        "SELECT CAST(NULL AS TEXT) AS household_id, '' AS household_name, {PERSON}
         FROM people p
         WHERE p.merged_into IS NULL
           AND p.id IN (SELECT r.person_id FROM partner_records r WHERE r.state = 'matched')
           AND NOT EXISTS (SELECT 1 FROM household_members m
                           WHERE m.person_id = p.id AND m.to_date IS NULL)
         ORDER BY p.id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    households.iter().chain(&alone).map(member).collect()
}

fn member(r: &AnyRow) -> Result<Member> {
    let restricted: i64 = r.try_get("restricted")?;
    let open: i64 = r.try_get("open_episodes")?;
    let person: PersonId = parse_id(&r.try_get::<String, _>("id")?)?;
    let household: Option<String> = r.try_get("household_id")?;
    Ok(Member {
        family: match household {
            Some(h) => FamilyKey::Household(parse_id(&h)?),
            None => FamilyKey::OfOne(person),
        },
        household_name: r.try_get("household_name")?,
        person,
        given_names: r.try_get("given_names")?,
        family_name: r.try_get("family_name")?,
        dob: opt_date(r.try_get("dob")?)?,
        restricted: restricted != 0,
        supported: open > 0,
    })
}

/// What someone recorded doing about a family on the worklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub family: FamilyKey,
    pub outreach: Outreach,
    pub note: String,
    pub by_name: String,
    pub at: DateTime<Utc>,
}

pub async fn record(
    conn: &mut Conn,
    list: &IdentificationWorklist,
    family: FamilyKey,
    outreach: Outreach,
    note: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let (household, person) = match family {
        FamilyKey::Household(h) => (Some(h.to_string()), None),
        FamilyKey::OfOne(p) => (None, Some(p.to_string())),
    };
    sqlx::query(
        "INSERT INTO identification_outreach (id, household_id, person_id, outreach, note,
            recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(household)
    .bind(person)
    .bind(outreach.code())
    .bind(note)
    .bind(list.worker().to_string())
    .bind(to_text(at))
    .execute(conn)
    .await?;
    Ok(())
}

/// Everything recorded about the worklist's families, newest first.
pub async fn done(conn: &mut Conn, _list: &IdentificationWorklist) -> Result<Vec<Done>> {
    let rows = sqlx::query(
        "SELECT o.household_id, o.person_id, o.outreach, o.note, u.display_name, o.recorded_at
         FROM identification_outreach o JOIN users u ON u.id = o.recorded_by
         ORDER BY o.recorded_at DESC, o.id DESC",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let household: Option<String> = r.try_get("household_id")?;
            let person: Option<String> = r.try_get("person_id")?;
            let family = match (household, person) {
                (Some(h), _) => FamilyKey::Household(parse_id(&h)?),
                (None, Some(p)) => FamilyKey::OfOne(parse_id(&p)?),
                (None, None) => {
                    return Err(crate::StoreError::Corrupt(
                        "outreach about no family".into(),
                    ))
                }
            };
            Ok(Done {
                family,
                outreach: coded(r, "outreach", Outreach::from_code)?,
                note: r.try_get("note")?,
                by_name: r.try_get("display_name")?,
                at: parse_time(&r.try_get::<String, _>("recorded_at")?)?,
            })
        })
        .collect()
}
