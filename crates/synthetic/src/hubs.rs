//! Fourteen months of Family Hub activity as the seed records it (seed 001: 3,778 group
//! sessions, 18,712 attendances and 3,242 registered people from January 2023 to February
//! 2024; 61% of them adults) at the four hubs, deterministic from a seed. At scale 1 the
//! totals are the seed's exactly; other scales shrink them in proportion.
//!
//! Each hub runs a timetable of weekly slots: some drop-ins that run all period, the rest ten-
//! week courses one after another. Families register at one hub, living in one of its
//! postcode districts, and come together: each family draws the sessions it comes to (those
//! nobody came to yet first, so every session held had someone), and each member comes to the
//! first of them (a parent to more than a baby, say), so every registered person comes at least
//! once and the totals add up to the figures.

use crate::names::{weights, COMMUNITIES};
use crate::population::Ids;
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use hearth_domain::hub::{AgeBand, ProgrammeKind};
use hearth_domain::time::to_text;
use hearth_store::bulk::{Kind::Int, Kind::Text, Table};
use hearth_store::Store;
use rand::distributions::WeightedIndex;
use rand::prelude::*;
use rand::rngs::StdRng;
use serde_json::{json, Value};
use uuid::Uuid;

/// The seed's first and last days.
pub fn period() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(2024, 2, 28).unwrap_or_default(),
    )
}

pub const SESSIONS: f64 = 3_778.0;
pub const ATTENDANCES: f64 = 18_712.0;
pub const PEOPLE: f64 = 3_242.0;
/// The share of registered people who are adults.
pub const ADULT_SHARE: f64 = 0.61;

/// Weekly slots each hub runs; every third is a drop-in, the rest courses.
const SLOTS: usize = 16;
const COURSE_WEEKS: usize = 10;

/// Where the activity goes: the organisation that runs the hubs, the user it is recorded by,
/// each hub's place and name, and the services programmes are set up from.
#[derive(Debug, Clone)]
pub struct HubSetup {
    pub organisation: String,
    pub user: String,
    pub hubs: Vec<(Uuid, String)>,
    pub services: Vec<(Uuid, String)>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HubReport {
    pub programmes: usize,
    pub sessions: usize,
    pub families: usize,
    pub people: usize,
    pub adults: usize,
    pub attendances: usize,
}

const PROGRAMMES: Table = Table {
    name: "hub_programmes",
    columns: &[
        ("id", Text),
        ("organisation_id", Text),
        ("service_id", Text),
        ("location_id", Text),
        ("name", Text),
        ("kind", Text),
        ("capacity", Int),
        ("created_by", Text),
        ("created_at", Text),
    ],
};

const SESSION_ROWS: Table = Table {
    name: "hub_sessions",
    columns: &[
        ("id", Text),
        ("programme_id", Text),
        ("location_id", Text),
        ("on_date", Text),
        ("starts", Text),
        ("ends", Text),
        ("facilitators", Text),
        ("capacity", Int),
    ],
};

const FAMILIES: Table = Table {
    name: "hub_families",
    columns: &[
        ("id", Text),
        ("organisation_id", Text),
        ("hub_location_id", Text),
        ("postcode", Text),
        ("language", Text),
        ("consent_contact", Int),
        ("consent_attendance", Int),
        ("registered_by", Text),
        ("registered_at", Text),
    ],
};

const MEMBERS: Table = Table {
    name: "hub_members",
    columns: &[
        ("id", Text),
        ("family_id", Text),
        ("given_names", Text),
        ("family_name", Text),
        ("dob", Text),
        ("expected", Int),
    ],
};

const ATTENDANCE_ROWS: Table = Table {
    name: "hub_attendances",
    columns: &[
        ("id", Text),
        ("session_id", Text),
        ("member_id", Text),
        ("mark_id", Text),
        ("on_date", Text),
        ("location_id", Text),
        ("service_id", Text),
        ("age_band", Text),
        ("marked_by", Text),
        ("marked_at", Text),
    ],
};

/// A hub's postcode districts, by the hub's name (the demo's areas: see `demo/areas.rs`).
fn districts(hub: &str) -> &'static [&'static str] {
    let hub = hub.to_lowercase();
    if hub.contains("bestwood") {
        &["NG5", "NG6"]
    } else if hub.contains("broxtowe") {
        &["NG8", "NG9"]
    } else if hub.contains("meadows") {
        &["NG2", "NG11"]
    } else {
        &["NG7", "NG1", "NG3"]
    }
}

struct PlannedSession {
    id: Uuid,
    hub: usize,
    on: NaiveDate,
    service: Uuid,
}

/// One attendance row: the member came to the session (at noon, marked by the hub's worker).
fn attendance(
    id: Uuid,
    session: &PlannedSession,
    setup: &HubSetup,
    member: Uuid,
    dob: NaiveDate,
    user: &str,
) -> Value {
    let id = id.to_string();
    json!([
        id,
        session.id.to_string(),
        member.to_string(),
        id,
        session.on.to_string(),
        setup.hubs[session.hub].0.to_string(),
        session.service.to_string(),
        AgeBand::on(Some(dob), false, session.on).code(),
        user,
        to_text(Utc.from_utc_datetime(&session.on.and_hms_opt(12, 0, 0).unwrap_or_default())),
    ])
}

/// `n` scaled, at least one.
fn scaled(n: f64, scale: f64) -> usize {
    ((n * scale).round() as usize).max(1)
}

/// Generates the activity into `store` (which must hold none for the period yet).
pub async fn generate(
    store: &Store,
    setup: &HubSetup,
    scale: f64,
    seed: u64,
) -> anyhow::Result<HubReport> {
    anyhow::ensure!(
        !setup.hubs.is_empty() && !setup.services.is_empty(),
        "the demo directory has no Family Hubs or no services to run at them"
    );
    let mut rng = StdRng::seed_from_u64(seed ^ 0x4ab5);
    let mut ids = Ids::new(seed ^ 0x4ab);
    let (first, last) = period();
    let (user, organisation) = (&setup.user, &setup.organisation);
    let created = to_text(
        Utc.from_utc_datetime(
            &(first - Duration::days(14))
                .and_hms_opt(9, 0, 0)
                .unwrap_or_default(),
        ),
    );
    let mut report = HubReport::default();

    // The timetable: every slot's weekly dates over the period, then as many of them as the
    // figures say, spread evenly (the weeks a session did not run: holidays, closures).
    let monday = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let mut candidates: Vec<(usize, usize, NaiveDate)> = Vec::new();
    for hub in 0..setup.hubs.len() {
        for slot in 0..SLOTS {
            let mut on = monday + Duration::days((slot % 5) as i64);
            while on <= last {
                if on >= first {
                    candidates.push((hub, slot, on));
                }
                on += Duration::weeks(1);
            }
        }
    }
    candidates.sort_by_key(|(hub, slot, on)| (*on, *hub, *slot));
    let wanted = scaled(SESSIONS, scale).min(candidates.len());
    let kept: Vec<(usize, usize, NaiveDate)> = (0..wanted)
        .map(|k| candidates[k * candidates.len() / wanted])
        .collect();

    // Programmes: a drop-in per drop-in slot; a course per ten sessions of a course slot.
    let mut programmes: Vec<Value> = Vec::new();
    let mut sessions: Vec<Value> = Vec::new();
    let mut planned: Vec<PlannedSession> = Vec::with_capacity(kept.len());
    let mut slot_programme: Vec<Option<(Uuid, Uuid, usize)>> = vec![None; setup.hubs.len() * SLOTS];
    let mut by_slot: Vec<Vec<(usize, usize, NaiveDate)>> =
        vec![Vec::new(); setup.hubs.len() * SLOTS];
    for s in kept {
        by_slot[s.0 * SLOTS + s.1].push(s);
    }
    for (index, list) in by_slot.iter().enumerate() {
        let (hub, slot) = (index / SLOTS, index % SLOTS);
        let kind = if slot % 3 == 0 {
            ProgrammeKind::DropIn
        } else {
            ProgrammeKind::Course
        };
        for (n, (_, _, on)) in list.iter().enumerate() {
            let new_course = kind == ProgrammeKind::Course && n % COURSE_WEEKS == 0;
            if slot_programme[index].is_none() || new_course {
                let (service, name) = &setup.services[(hub * SLOTS + slot) % setup.services.len()];
                let id = ids.next_id();
                let label = match kind {
                    ProgrammeKind::DropIn => format!("{name} drop-in"),
                    ProgrammeKind::Course => format!("{name} ({})", on.format("%B %Y")),
                };
                programmes.push(json!([
                    id.to_string(),
                    organisation,
                    service.to_string(),
                    setup.hubs[hub].0.to_string(),
                    label,
                    kind.code(),
                    20,
                    user,
                    created,
                ]));
                slot_programme[index] = Some((id, *service, 0));
            }
            let Some((programme, service, _)) = slot_programme[index] else {
                continue;
            };
            let id = ids.next_id();
            let starts = 9 + (slot / 5) as u32 * 2;
            sessions.push(json!([
                id.to_string(),
                programme.to_string(),
                setup.hubs[hub].0.to_string(),
                on.to_string(),
                format!("{starts:02}:30"),
                format!("{:02}:00", starts + 2),
                "Family Hub team",
                20,
            ]));
            planned.push(PlannedSession {
                id,
                hub,
                on: *on,
                service,
            });
        }
    }
    report.programmes = programmes.len();
    report.sessions = planned.len();
    let mut hub_sessions: Vec<Vec<usize>> = vec![Vec::new(); setup.hubs.len()];
    for (i, s) in planned.iter().enumerate() {
        hub_sessions[s.hub].push(i);
    }

    // People: adults and under-fives, in families of one or two adults and up to three
    // children, until both counts are reached.
    let people = scaled(PEOPLE, scale);
    let mut adults_left = ((people as f64) * ADULT_SHARE).round() as usize;
    let mut children_left = people - adults_left;
    report.adults = adults_left;
    let communities = WeightedIndex::new(COMMUNITIES.iter().map(|c| c.share))?;
    // Each person's attendances: one each, the rest drawn with a skew (a few come often).
    // Nobody comes to more sessions than the smallest hub held: at small scales that bounds the
    // attendances too (else the draw below would look for ever for someone under the cap).
    let cap = hub_sessions.iter().map(Vec::len).min().unwrap_or(1).max(1);
    let total = scaled(ATTENDANCES, scale).max(people).min(people * cap);
    let mut times = vec![1usize; people];
    let favour = WeightedIndex::new(weights(people))?;
    let mut extra = total - people;
    while extra > 0 {
        let p = favour.sample(&mut rng);
        if times[p] < cap {
            times[p] += 1;
            extra -= 1;
        }
    }
    times.shuffle(&mut rng);
    let mut uncovered = hub_sessions.clone();
    for list in &mut uncovered {
        list.shuffle(&mut rng);
    }

    let mut families: Vec<Value> = Vec::new();
    let mut members: Vec<Value> = Vec::new();
    let mut attendances: Vec<Value> = Vec::new();
    // Each hub's members, with their date of birth and the day their family registered.
    let mut hub_members: Vec<Vec<(Uuid, NaiveDate, NaiveDate)>> =
        vec![Vec::new(); setup.hubs.len()];
    let mut person = 0;
    while adults_left + children_left > 0 {
        let adults = if adults_left >= 2 && rng.gen_bool(0.3) {
            2
        } else {
            adults_left.min(1)
        };
        let children = children_left.min(match adults_left - adults {
            0 => children_left,
            _ => rng.gen_range(0..=2),
        });
        adults_left -= adults;
        children_left -= children;
        let size = adults + children;
        let hub = families.len() % setup.hubs.len();
        let c = &COMMUNITIES[communities.sample(&mut rng)];
        let surname = *c.surnames.choose(&mut rng).unwrap_or(&"Smith");
        let language = *c.languages.choose(&mut rng).unwrap_or(&"English");
        let district = *districts(&setup.hubs[hub].1)
            .choose(&mut rng)
            .unwrap_or(&"NG5");
        let postcode = format!(
            "{district} {}{}{}",
            rng.gen_range(1..=9),
            char::from(b'A' + rng.gen_range(0..26u8)),
            char::from(b'A' + rng.gen_range(0..26u8))
        );
        // The family's sessions, in date order; each member comes to the first few.
        let most = times[person..person + size]
            .iter()
            .copied()
            .max()
            .unwrap_or(1);
        // Sessions nobody has come to yet first, so that every session held had someone.
        let pool = &hub_sessions[hub];
        let mut chosen: Vec<usize> = Vec::with_capacity(most);
        while chosen.len() < most {
            match uncovered[hub].pop() {
                Some(s) => chosen.push(s),
                None => break,
            }
        }
        while chosen.len() < most {
            let s = pool[rng.gen_range(0..pool.len())];
            if !chosen.contains(&s) {
                chosen.push(s);
            }
        }
        chosen.sort_unstable();
        let family = ids.next_id();
        let registered = planned[chosen[0]].on;
        families.push(json!([
            family.to_string(),
            organisation,
            setup.hubs[hub].0.to_string(),
            postcode,
            language,
            0,
            i64::from(rng.gen_bool(0.7)),
            user,
            to_text(Utc.from_utc_datetime(&registered.and_hms_opt(9, 0, 0).unwrap_or_default())),
        ]));
        for m in 0..size {
            let adult = m < adults;
            let dob = if adult {
                first - Duration::days(rng.gen_range(19 * 365..45 * 365))
            } else {
                // Under five all period: born from March 2019 to the end of 2022.
                NaiveDate::from_ymd_opt(2019, 3, 1).unwrap_or_default()
                    + Duration::days(rng.gen_range(0..1400))
            };
            let given = if adult {
                *c.female_adult.choose(&mut rng).unwrap_or(&"Sam")
            } else if rng.gen_bool(0.5) {
                *c.male_child.choose(&mut rng).unwrap_or(&"Sam")
            } else {
                *c.female_child.choose(&mut rng).unwrap_or(&"Sam")
            };
            let member = ids.next_id();
            members.push(json!([
                member.to_string(),
                family.to_string(),
                given,
                surname,
                dob.to_string(),
                0,
            ]));
            for s in chosen.iter().take(times[person]) {
                let row = attendance(ids.next_id(), &planned[*s], setup, member, dob, user);
                attendances.push(row);
            }
            hub_members[hub].push((member, dob, registered));
            person += 1;
        }
    }
    // At small scales a hub can hold more sessions than its few families came to: someone
    // registered by then (else the hub's first member) came to each of the rest, so that every
    // session held had someone. At the city's scale every session is already covered.
    for (hub, list) in uncovered.iter().enumerate() {
        for s in list {
            let session = &planned[*s];
            let who = hub_members[hub]
                .iter()
                .find(|(_, _, registered)| *registered <= session.on)
                .or_else(|| hub_members[hub].first());
            let Some((member, dob, _)) = who else {
                anyhow::bail!("no family came to a Family Hub that held sessions");
            };
            attendances.push(attendance(
                ids.next_id(),
                session,
                setup,
                *member,
                *dob,
                user,
            ));
        }
    }
    report.families = families.len();
    report.people = members.len();
    report.attendances = attendances.len();

    let engine = store.engine();
    let mut tx = store.write().await?;
    PROGRAMMES.insert(&mut tx, engine, &programmes).await?;
    SESSION_ROWS.insert(&mut tx, engine, &sessions).await?;
    FAMILIES.insert(&mut tx, engine, &families).await?;
    MEMBERS.insert(&mut tx, engine, &members).await?;
    ATTENDANCE_ROWS
        .insert(&mut tx, engine, &attendances)
        .await?;
    Store::commit(tx).await?;
    Ok(report)
}
