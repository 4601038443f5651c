//! The facts the worklist's figures are counted from (ADR 0057): for every family with a
//! partner event matched to someone in it, its current members' events (with the day each
//! file was imported) and episodes of help, and what people recorded doing about it. Ids,
//! codes and dates only, no names, like every other fact the dashboards count (ADR 0027).

use super::{bind_all, person_conditions, Conditions, Param, ReportFilter, AREA_JOINS};
use crate::decode::{coded, date, opt_date, parse_id, parse_time};
use crate::{Conn, Result};
use chrono::NaiveDate;
use hearth_domain::identification::feed::EventKind;
use hearth_domain::identification::indicators::Fact;
use hearth_domain::identification::measures::{Known, MemberHistory};
use hearth_domain::identification::worklist::{FamilyKey, Outreach};
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::insight::PartnerEventFact;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Each family's members' histories, and what was recorded about each family, oldest first.
#[derive(Debug, Clone, Default)]
pub struct IdentificationFacts {
    pub families: BTreeMap<FamilyKey, Vec<MemberHistory>>,
    pub outreach: BTreeMap<FamilyKey, Vec<(NaiveDate, Outreach)>>,
}

/// Narrowed by `filter`'s conditions about people to the families one of whose current
/// members matches them all (an age is their age `today`, an area their current address's);
/// a filter by who asked, team or lead ([`ReportFilter::narrows_to_work`]) is the caller's to
/// leave out, as nobody asked for these families or helps them yet.
pub async fn identification_facts(
    conn: &mut Conn,
    filter: &ReportFilter,
    today: NaiveDate,
) -> Result<IdentificationFacts> {
    // Who is in which family now: the worklist's grouping (a household, or a person in none).
    let members = sqlx::query(
        "SELECT hm.household_id, p.id AS person_id
         FROM household_members hm JOIN people p ON p.id = hm.person_id
         WHERE hm.to_date IS NULL AND p.merged_into IS NULL AND hm.household_id IN (
            SELECT m.household_id FROM household_members m
            JOIN partner_records r ON r.person_id = m.person_id
            WHERE m.to_date IS NULL AND r.state = 'matched')
         UNION ALL
         SELECT CAST(NULL AS TEXT) AS household_id, p.id AS person_id
         FROM people p
         WHERE p.merged_into IS NULL
           AND p.id IN (SELECT r.person_id FROM partner_records r WHERE r.state = 'matched')
           AND NOT EXISTS (SELECT 1 FROM household_members m
                           WHERE m.person_id = p.id AND m.to_date IS NULL)",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut family_of: BTreeMap<PersonId, Vec<FamilyKey>> = BTreeMap::new();
    let mut histories: BTreeMap<PersonId, MemberHistory> = BTreeMap::new();
    for r in &members {
        let person: PersonId = parse_id(&r.try_get::<String, _>("person_id")?)?;
        let household: Option<String> = r.try_get("household_id")?;
        let key = match household {
            Some(h) => FamilyKey::Household(parse_id(&h)?),
            None => FamilyKey::OfOne(person),
        };
        family_of.entry(person).or_default().push(key);
        histories.entry(person).or_default();
    }
    let events = sqlx::query(
        "SELECT r.person_id, r.event, r.event_on, r.attendance, i.imported_at
         FROM partner_records r JOIN partner_imports i ON i.id = r.import_id
         WHERE r.state = 'matched'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in &events {
        let person: PersonId = parse_id(&r.try_get::<String, _>("person_id")?)?;
        let Some(history) = histories.get_mut(&person) else {
            continue;
        };
        let attendance: Option<i64> = r.try_get("attendance")?;
        history.known.push(Known {
            fact: Fact {
                event: coded(r, "event", EventKind::from_code)?,
                on: date(&r.try_get::<String, _>("event_on")?)?,
                attendance: attendance.map(|a| a.clamp(0, 1000) as u32),
                source: (),
            },
            known_on: parse_time(&r.try_get::<String, _>("imported_at")?)?.date_naive(),
        });
    }
    let helped = sqlx::query(
        "SELECT ep.person_id, e.started_on, e.ended_on
         FROM episode_people ep JOIN episodes e ON e.id = ep.episode_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in &helped {
        let person: PersonId = parse_id(&r.try_get::<String, _>("person_id")?)?;
        if let Some(history) = histories.get_mut(&person) {
            history.helped.push((
                date(&r.try_get::<String, _>("started_on")?)?,
                opt_date(r.try_get("ended_on")?)?,
            ));
        }
    }
    if let Some(matching) = people_matching(conn, filter, today).await? {
        let kept: BTreeSet<FamilyKey> = family_of
            .iter()
            .filter(|(person, _)| matching.contains(*person))
            .flat_map(|(_, keys)| keys.iter().copied())
            .collect();
        for keys in family_of.values_mut() {
            keys.retain(|k| kept.contains(k));
        }
    }
    let mut facts = IdentificationFacts::default();
    for (person, history) in histories {
        for key in family_of.get(&person).into_iter().flatten() {
            facts
                .families
                .entry(*key)
                .or_default()
                .push(history.clone());
        }
    }
    let done = sqlx::query(
        "SELECT household_id, person_id, outreach, recorded_at FROM identification_outreach
         ORDER BY recorded_at, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in &done {
        let household: Option<String> = r.try_get("household_id")?;
        let person: Option<String> = r.try_get("person_id")?;
        let key = match (household, person) {
            (Some(h), _) => FamilyKey::Household(parse_id(&h)?),
            (None, Some(p)) => FamilyKey::OfOne(parse_id(&p)?),
            (None, None) => continue,
        };
        if !facts.families.contains_key(&key) {
            continue; // narrowed out by the filter, or no longer anyone's family
        }
        facts.outreach.entry(key).or_default().push((
            parse_time(&r.try_get::<String, _>("recorded_at")?)?.date_naive(),
            coded(r, "outreach", Outreach::from_code)?,
        ));
    }
    Ok(facts)
}

/// The people in a family with a matched partner row who match the filter's conditions about
/// people; `None` when it has none.
async fn people_matching(
    conn: &mut Conn,
    filter: &ReportFilter,
    today: NaiveDate,
) -> Result<Option<BTreeSet<PersonId>>> {
    let mut c = Conditions::from(1);
    let on = c.param(Param::Text(today.to_string()));
    let Some((person, area)) = person_conditions(filter, &on, &mut c) else {
        return Ok(None);
    };
    let areas = if area { AREA_JOINS } else { "" };
    let sql = format!(
        "SELECT p.id FROM people p{areas}
         WHERE p.merged_into IS NULL
           AND (p.id IN (SELECT r.person_id FROM partner_records r WHERE r.state = 'matched')
                OR p.id IN (SELECT hm.person_id FROM household_members hm
                            WHERE hm.to_date IS NULL AND hm.household_id IN (
                                SELECT m.household_id FROM household_members m
                                JOIN partner_records r ON r.person_id = m.person_id
                                WHERE m.to_date IS NULL AND r.state = 'matched'))){person}"
    );
    let rows = bind_all(sqlx::query(&sql), &c.params)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| parse_id(&r.try_get::<String, _>("id")?))
        .collect::<Result<BTreeSet<PersonId>>>()
        .map(Some)
}

/// The events the dashboards read about supported families: partners' rows matched to
/// someone in an episode, dated in `[from, to)` while the episode was open, by episode.
pub async fn partner_events(
    conn: &mut Conn,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<EpisodeId, Vec<PartnerEventFact>>> {
    let rows = sqlx::query(
        "SELECT ep.episode_id, r.event, r.event_on, r.attendance
         FROM partner_records r
         JOIN episode_people ep ON ep.person_id = r.person_id
         JOIN episodes e ON e.id = ep.episode_id
         WHERE r.state = 'matched' AND r.event_on >= $1 AND r.event_on < $2
           AND r.event IN ($3, $4, $5)
           AND r.event_on >= e.started_on
           AND (e.status <> 'closed' OR e.ended_on IS NULL OR r.event_on <= e.ended_on)
         ORDER BY r.event_on",
    )
    .bind(from.to_string())
    .bind(to.to_string())
    .bind(EventKind::Attendance.code())
    .bind(EventKind::Exclusion.code())
    .bind(EventKind::DomesticAbuse.code())
    .fetch_all(&mut *conn)
    .await?;
    let mut by_episode: HashMap<EpisodeId, Vec<PartnerEventFact>> = HashMap::new();
    for r in &rows {
        let attendance: Option<i64> = r.try_get("attendance")?;
        by_episode
            .entry(parse_id(&r.try_get::<String, _>("episode_id")?)?)
            .or_default()
            .push(PartnerEventFact {
                event: coded(r, "event", EventKind::from_code)?,
                on: date(&r.try_get::<String, _>("event_on")?)?,
                attendance: attendance.map(|a| a.clamp(0, 1000) as u32),
            });
    }
    Ok(by_episode)
}
