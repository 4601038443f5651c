//! Ten years of children in care for the city demo, shaped like seed 001 (the Placements
//! Commissioning and Sufficiency Strategy 2023–28): about 720 children looked after at the
//! end, up 14% over the last four years; six in ten fostered, half of them with the council's
//! own carers; residential and supported accommodation mostly bought; 79% placed within 20
//! miles and 40% inside the boundary (each kind as the strategy gives it: external fostering
//! 21% inside and 72% within 20 miles, external residential half beyond 20, supported
//! accommodation three quarters inside); about one in eight children with three or more
//! placements in a year; weekly costs so a year's spend is near the strategy's £57m; and requests that found
//! no suitable home, by the strategy's gaps.
//!
//! The children are the generated city's own, each coming into care at an age drawn from the
//! DfE's shape (two thirds 10 or over at any time), and leaving by 18. Homes and carers are
//! generated with places in and around the city and further away, their postcodes put in the
//! postcode data so distances are real. The same seed, scale and end date give the same data.

use crate::population::Ids;
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use hearth_domain::care::{
    CeaseReason, EndReason, LegalStatus, Offer, OfstedRating, PlacementType, RequestStatus, Route,
    SufficiencyKind as Kind,
};
use hearth_domain::directory::{Coordinates, Postcode};
use hearth_domain::time::to_text;
use hearth_store::bulk::{Kind::Int, Kind::Text, Table};
use hearth_store::Store;
use rand::prelude::*;
use rand::rngs::StdRng;
use serde_json::{json, Value};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Children looked after at the end, at scale 1 (seed 001: 721 at 31 March 2023).
pub const LOOKED_AFTER: f64 = 720.0;
/// At least this many at any scale, so a small town still has a picture with a shape.
const MIN_LOOKED_AFTER: f64 = 60.0;
/// Requests with no suitable home a year, at scale 1.
const UNMET_PER_YEAR: f64 = 60.0;

/// Who the records are allocated to and recorded by.
#[derive(Debug, Clone)]
pub struct CareSetup {
    pub social_worker: String,
    pub team: Option<String>,
    pub officer: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CareReport {
    pub homes: usize,
    /// Providers of those homes, with their framework memberships and block contracts.
    pub providers: usize,
    pub periods: usize,
    pub placements: usize,
    pub looked_after: usize,
    pub unmet: usize,
}

/// Districts with a point in each: inside the boundary, within 20 miles of the centre
/// outside it, and further away.
const INSIDE: [(&str, f64, f64); 8] = [
    ("NG1", 52.955, -1.150),
    ("NG2", 52.938, -1.140),
    ("NG3", 52.968, -1.128),
    ("NG5", 52.990, -1.150),
    ("NG6", 53.003, -1.190),
    ("NG7", 52.950, -1.180),
    ("NG8", 52.962, -1.212),
    ("NG11", 52.905, -1.180),
];
const NEAR: [(&str, f64, f64); 10] = [
    ("NG4", 52.962, -1.080),
    ("NG9", 52.927, -1.222),
    ("NG10", 52.900, -1.270),
    ("NG12", 52.900, -1.050),
    ("NG14", 53.030, -1.050),
    ("NG15", 53.040, -1.200),
    ("NG16", 53.020, -1.280),
    ("DE7", 52.970, -1.310),
    ("LE11", 52.772, -1.205),
    ("NG17", 53.120, -1.260),
];
const FAR: [(&str, f64, f64); 8] = [
    ("S1", 53.380, -1.470),
    ("LE1", 52.634, -1.131),
    ("LN1", 53.230, -0.540),
    ("B1", 52.480, -1.900),
    ("ST1", 53.020, -2.180),
    ("PE1", 52.570, -0.240),
    ("DN1", 53.520, -1.130),
    ("LE4", 52.670, -1.110),
];

/// Where a home is: inside the boundary, within 20 miles, or beyond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Band {
    Inside,
    Near,
    Far,
}

/// The chance of each band for a kind bought in-house or not (the strategy's figures).
fn bands(kind: Kind, in_house: bool) -> [f64; 3] {
    match (kind, in_house) {
        (Kind::InHouseFostering, _) => [0.40, 0.58, 0.02],
        (Kind::Kinship, _) => [0.55, 0.37, 0.08],
        (Kind::ExternalFostering, _) => [0.21, 0.51, 0.28],
        (Kind::Residential | Kind::SupportedAccommodation, true) => [1.0, 0.0, 0.0],
        (Kind::Residential, false) => [0.15, 0.36, 0.49],
        (Kind::SupportedAccommodation, false) => [0.74, 0.13, 0.13],
        (Kind::SupportedLodgings, _) => [0.80, 0.20, 0.0],
        (Kind::Secure, _) => [0.0, 0.20, 0.80],
        _ => [0.30, 0.40, 0.30],
    }
}

/// The kind of a placement by the child's age then (weights).
fn kinds(age: u32) -> &'static [(Kind, f64)] {
    if age >= 16 {
        &[
            (Kind::SupportedAccommodation, 52.0),
            (Kind::SupportedLodgings, 4.0),
            (Kind::ExternalFostering, 16.0),
            (Kind::InHouseFostering, 12.0),
            (Kind::Residential, 14.0),
            (Kind::Secure, 2.0),
        ]
    } else {
        &[
            (Kind::InHouseFostering, 30.0),
            (Kind::Kinship, 8.0),
            (Kind::ExternalFostering, 36.0),
            (Kind::Residential, 23.0),
            (Kind::Secure, 1.0),
            (Kind::ParentAndChild, 1.0),
        ]
    }
}

/// How a kind is bought (weights over in-house, block, framework, spot).
fn routes(kind: Kind) -> [f64; 4] {
    match kind {
        Kind::InHouseFostering | Kind::Kinship | Kind::SupportedLodgings => [1.0, 0.0, 0.0, 0.0],
        Kind::ExternalFostering => [0.0, 0.0, 0.85, 0.15],
        Kind::Residential => [0.12, 0.30, 0.33, 0.25],
        Kind::SupportedAccommodation => [0.10, 0.30, 0.30, 0.30],
        Kind::Secure => [0.0, 0.0, 0.0, 1.0],
        _ => [0.0, 0.0, 0.5, 0.5],
    }
}

/// The DfE placement code, weekly cost in pounds, places and ages of a home of a kind.
fn shape(kind: Kind, in_house: bool) -> (PlacementType, i64, i64, (i64, i64)) {
    match (kind, in_house) {
        (Kind::InHouseFostering, _) => (PlacementType::U4, 480, 2, (0, 17)),
        (Kind::Kinship, _) => (PlacementType::U3, 320, 2, (0, 17)),
        (Kind::ExternalFostering, _) => (PlacementType::U6, 1_000, 2, (0, 17)),
        (Kind::Residential, true) => (PlacementType::K2, 3_800, 3, (8, 17)),
        (Kind::Residential, false) => (PlacementType::K2, 5_000, 4, (8, 17)),
        (Kind::SupportedAccommodation, true) => (PlacementType::H5, 1_300, 4, (16, 17)),
        (Kind::SupportedAccommodation, false) => (PlacementType::H5, 2_000, 6, (16, 17)),
        (Kind::SupportedLodgings, _) => (PlacementType::P2, 450, 1, (16, 17)),
        (Kind::Secure, _) => (PlacementType::K1, 7_500, 8, (10, 17)),
        _ => (PlacementType::R3, 2_800, 2, (0, 17)),
    }
}

fn pick<T: Copy>(rng: &mut StdRng, choices: &[(T, f64)]) -> T {
    let total: f64 = choices.iter().map(|(_, w)| w).sum();
    let mut roll = rng.gen::<f64>() * total;
    for (c, w) in choices {
        if roll < *w {
            return *c;
        }
        roll -= w;
    }
    choices[choices.len() - 1].0
}

/// The age coming into care, in whole years below the child's age then: the DfE's shape,
/// many teenagers (the child is born in the year before, so is this age to two years older).
fn entry_age(rng: &mut StdRng) -> u32 {
    pick(
        rng,
        &[
            (0, 12.0),
            (2, 10.0),
            (6, 12.0),
            (11, 24.0),
            (14, 28.0),
            (16, 14.0),
        ],
    ) + rng.gen_range(0..2)
}

/// How long a period of care is planned to last, before the 18th birthday ends it.
fn planned_length(rng: &mut StdRng) -> Duration {
    match rng.gen_range(0..10) {
        0..=2 => Duration::days(rng.gen_range(14..180)),
        3..=6 => Duration::days(rng.gen_range(180..1100)),
        _ => Duration::days(rng.gen_range(1100..3650)),
    }
}

/// The mean years a period of care lasts, from the generator's own draws: the 18th birthday
/// cuts many teenagers' periods short (and a child already 18 never comes in), so the planned
/// lengths' mean would leave the city with far fewer children looked after than the target.
/// A fixed sample, so the rate of coming into care is the same every run.
fn mean_stay_years() -> f64 {
    let mut rng = StdRng::seed_from_u64(0x57a7);
    let draws = 50_000;
    let total: f64 = (0..draws)
        .map(|_| {
            let age = f64::from(entry_age(&mut rng)) + rng.gen::<f64>() + rng.gen::<f64>();
            let planned = planned_length(&mut rng).num_days() as f64 / 365.25;
            planned.min((18.0 - age).max(0.0))
        })
        .sum();
    total / f64::from(draws)
}

/// Children coming into care a day, from the rate at the end: steady, then up 14% over the
/// last four years (`days_into_rise` counts from their start; negative before it).
fn rate_on(end_rate: f64, days_into_rise: i64) -> f64 {
    let rise = (days_into_rise as f64 / 1461.0).clamp(0.0, 1.0);
    end_rate * (0.88 + 0.12 * rise)
}

/// The children looked after at the end came in over the years before it, at about this share
/// of the end's rate (the rise): the end's rate is the target's over it.
const RISE_MEAN: f64 = 0.96;

fn years(y: f64) -> Duration {
    Duration::days((y * 365.25) as i64)
}

/// A home or household, as generated.
struct Home {
    id: String,
    kind: Kind,
    route: Route,
    postcode: String,
    placement_type: PlacementType,
    weekly_pence: i64,
    places: i64,
    ages: (i64, i64),
    rating: Option<OfstedRating>,
}

struct Generator {
    rng: StdRng,
    ids: Ids,
    /// Postcodes made, with where they are.
    postcodes: Vec<(String, Coordinates)>,
    taken: HashSet<String>,
    homes: Vec<Home>,
    pools: HashMap<(Kind, Route, Band), Vec<usize>>,
    /// Homes per pool at this scale.
    pool_size: usize,
}

impl Generator {
    /// A new unit postcode in one of `districts`, near its point.
    fn postcode(&mut self, districts: &[(&str, f64, f64)]) -> String {
        loop {
            let (d, la, lo) = districts[self.rng.gen_range(0..districts.len())];
            const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
            let code = format!(
                "{d} {}{}{}",
                self.rng.gen_range(0..10),
                LETTERS[self.rng.gen_range(0..LETTERS.len())] as char,
                LETTERS[self.rng.gen_range(0..LETTERS.len())] as char
            );
            if self.taken.insert(code.clone()) {
                let at = Coordinates {
                    latitude: la + self.rng.gen_range(-0.012..0.012),
                    longitude: lo + self.rng.gen_range(-0.018..0.018),
                };
                self.postcodes.push((code.clone(), at));
                return code;
            }
        }
    }

    fn home(&mut self, kind: Kind, route: Route, band: Band) -> usize {
        let size = match kind {
            Kind::InHouseFostering | Kind::ExternalFostering => self.pool_size * 3,
            Kind::Kinship | Kind::Residential => self.pool_size * 2,
            _ => self.pool_size,
        };
        let key = (kind, route, band);
        if self.pools.get(&key).is_none_or(|p| p.len() < size) {
            let (placement_type, pounds, places, ages) = shape(kind, route == Route::InHouse);
            let postcode = self.postcode(match band {
                Band::Inside => &INSIDE,
                Band::Near => &NEAR,
                Band::Far => &FAR,
            });
            let rated = matches!(
                kind,
                Kind::Residential | Kind::Secure | Kind::ParentAndChild | Kind::ExternalFostering
            );
            let rating = rated.then(|| {
                pick(
                    &mut self.rng,
                    &[
                        (OfstedRating::Outstanding, 15.0),
                        (OfstedRating::Good, 64.0),
                        (OfstedRating::RequiresImprovement, 18.0),
                        (OfstedRating::Inadequate, 3.0),
                    ],
                )
            });
            // costs vary a little from home to home
            let spread = 85 + self.rng.gen_range(0..30);
            self.homes.push(Home {
                id: self.ids.next_id().to_string(),
                kind,
                route,
                postcode,
                placement_type,
                weekly_pence: pounds * spread,
                places,
                ages,
                rating,
            });
            self.pools
                .entry(key)
                .or_default()
                .push(self.homes.len() - 1);
            return self.homes.len() - 1;
        }
        let pool = &self.pools[&key];
        pool[self.rng.gen_range(0..pool.len())]
    }

    fn placement_home(&mut self, age: u32) -> usize {
        let kind = pick(&mut self.rng, kinds(age));
        let r = routes(kind);
        let route = pick(
            &mut self.rng,
            &[
                (Route::InHouse, r[0]),
                (Route::Block, r[1]),
                (Route::Framework, r[2]),
                (Route::Spot, r[3]),
            ],
        );
        let b = bands(kind, route == Route::InHouse);
        let band = pick(
            &mut self.rng,
            &[(Band::Inside, b[0]), (Band::Near, b[1]), (Band::Far, b[2])],
        );
        self.home(kind, route, band)
    }
}

const HOMES: Table = Table {
    name: "care_homes",
    columns: &[
        ("id", Text),
        ("name", Text),
        ("provider", Text),
        ("route", Text),
        ("placement_type", Text),
        ("ofsted_urn", Text),
        ("rating", Text),
        ("rated_on", Text),
        ("registered_places", Int),
        ("vacancies", Int),
        ("age_from", Int),
        ("age_to", Int),
        ("offers", Text),
        ("postcode", Text),
        ("weekly_cost_pence", Int),
        ("updated_at", Text),
        ("updated_by", Text),
        ("version", Int),
        ("provider_id", Text),
    ],
};

const PROVIDERS: Table = Table {
    name: "care_providers",
    columns: &[
        ("id", Text),
        ("name", Text),
        ("kind", Text),
        ("updated_at", Text),
        ("updated_by", Text),
        ("version", Int),
    ],
};

const CONTRACTS: Table = Table {
    name: "care_provider_contracts",
    columns: &[
        ("id", Text),
        ("provider_id", Text),
        ("kind", Text),
        ("name", Text),
        ("places", Int),
        ("starts_on", Text),
        ("created_by", Text),
        ("created_at", Text),
    ],
};

const PERIODS: Table = Table {
    name: "care_periods",
    columns: &[
        ("id", Text),
        ("person_id", Text),
        ("started_on", Text),
        ("legal_status", Text),
        ("category_of_need", Text),
        ("home_postcode", Text),
        ("social_worker_id", Text),
        ("team_id", Text),
        ("ended_on", Text),
        ("created_at", Text),
        ("end_reason", Text),
        ("uasc", Int),
    ],
};

const PLACEMENTS: Table = Table {
    name: "care_placements",
    columns: &[
        ("id", Text),
        ("period_id", Text),
        ("person_id", Text),
        ("home_id", Text),
        ("placement_type", Text),
        ("route", Text),
        ("postcode", Text),
        ("weekly_cost_pence", Int),
        ("started_on", Text),
        ("ended_on", Text),
        ("end_reason", Text),
        ("created_by", Text),
        ("created_at", Text),
        ("places", Int),
    ],
};

const REQUESTS: Table = Table {
    name: "placement_requests",
    columns: &[
        ("id", Text),
        ("period_id", Text),
        ("person_id", Text),
        ("requested_by", Text),
        ("requested_at", Text),
        ("urgency", Text),
        ("needs", Text),
        ("wishes", Text),
        ("siblings", Int),
        ("status", Text),
        ("decided_by", Text),
        ("decided_at", Text),
        ("decision_note", Text),
        ("version", Int),
    ],
};

fn moment(day: NaiveDate) -> String {
    to_text(Utc.from_utc_datetime(&day.and_hms_opt(10, 0, 0).unwrap_or_default()))
}

/// One period as generated: who, when, and where it started from.
struct Period {
    id: String,
    person: String,
    born: NaiveDate,
    start: NaiveDate,
    end: Option<NaiveDate>,
}

/// Generates the homes, periods, placements and unmet requests into `store`, which must hold
/// the city's people and no generated care yet.
pub async fn generate(
    store: &Store,
    setup: &CareSetup,
    scale: f64,
    seed: u64,
    today: NaiveDate,
) -> anyhow::Result<CareReport> {
    let target = (LOOKED_AFTER * scale).max(MIN_LOOKED_AFTER);
    let care_scale = target / LOOKED_AFTER;
    let mut report = CareReport::default();
    // The city's children and young people, by year of birth, never in care yet.
    let mut by_year: BTreeMap<i32, Vec<(String, NaiveDate)>> = BTreeMap::new();
    let mut taken = HashSet::new();
    {
        let mut conn = store.read().await?;
        let since = today - years(40.0);
        let rows = sqlx::query(
            "SELECT id, dob FROM people WHERE dob IS NOT NULL AND dob > $1 AND merged_into IS NULL
             AND id NOT IN (SELECT person_id FROM care_periods) ORDER BY id",
        )
        .bind(since.to_string())
        .fetch_all(&mut *conn)
        .await?;
        for r in rows {
            let dob: String = r.try_get("dob")?;
            if let Ok(dob) = dob.parse::<NaiveDate>() {
                by_year
                    .entry(dob.year())
                    .or_default()
                    .push((r.try_get("id")?, dob));
            }
        }
        let known: Vec<String> = sqlx::query_scalar("SELECT postcode FROM postcodes")
            .fetch_all(&mut *conn)
            .await?;
        taken.extend(known);
    }
    let mut g = Generator {
        rng: StdRng::seed_from_u64(seed ^ 0xca4e),
        ids: Ids::new(seed ^ 0xca4),
        postcodes: Vec::new(),
        taken,
        homes: Vec::new(),
        pools: HashMap::new(),
        pool_size: ((6.0 * care_scale).round() as usize).max(1),
    };
    for list in by_year.values_mut() {
        list.shuffle(&mut g.rng);
    }
    let home_postcodes: Vec<String> = (0..((300.0 * care_scale) as usize).max(20))
        .map(|_| g.postcode(&INSIDE))
        .collect();

    // Coming into care: steady, then up 14% over the last four years; from four years
    // before the history begins, so the first years start with children already in care.
    let first = today - years(14.0);
    let rise_from = today - years(4.0);
    let end_rate = target / mean_stay_years() / 365.25 / RISE_MEAN;
    let mut periods: Vec<Period> = Vec::new();
    let mut period_rows = Vec::new();
    let mut placement_rows = Vec::new();
    let mut occupants: Vec<i64> = Vec::new();
    let created = moment(first);
    let mut day = first;
    while day <= today {
        let n = crate::city::poisson(&mut g.rng, rate_on(end_rate, (day - rise_from).num_days()));
        for _ in 0..n {
            let age = entry_age(&mut g.rng);
            // Born the year the age says, or near it when the city has no one left then.
            let year = day.year() - age as i32 - 1;
            let Some((person, born)) = [0, 1, -1, 2, -2, 3].iter().find_map(|d| {
                by_year
                    .get_mut(&(year + d))
                    .filter(|l| l.last().is_some_and(|(_, b)| *b < day))
                    .and_then(Vec::pop)
            }) else {
                continue;
            };
            let Some(eighteen) = born.checked_add_months(chrono::Months::new(216)) else {
                continue;
            };
            if day >= eighteen || day < born {
                continue;
            }
            let length = planned_length(&mut g.rng);
            let planned = day + length;
            let (end, aged_out) = if planned >= eighteen {
                (eighteen, true)
            } else {
                (planned, false)
            };
            let end = (end <= today).then_some(end);
            let age_now = day.years_since(born).unwrap_or(0);
            let uasc = age_now >= 14 && g.rng.gen_bool(0.15);
            let reason = end.map(|_| {
                use CeaseReason::*;
                if aged_out {
                    pick(
                        &mut g.rng,
                        &[
                            (StayingPut, 15.0),
                            (IndependentSupported, 50.0),
                            (IndependentUnsupported, 15.0),
                            (Other, 20.0),
                        ],
                    )
                } else if age_now < 5 {
                    pick(
                        &mut g.rng,
                        &[
                            (AdoptedUnopposed, 20.0),
                            (AdoptedConsentDispensed, 10.0),
                            (SgoCarerRelative, 30.0),
                            (HomePlanned, 30.0),
                            (Other, 10.0),
                        ],
                    )
                } else {
                    pick(
                        &mut g.rng,
                        &[
                            (HomePlanned, 40.0),
                            (HomeUnplanned, 10.0),
                            (ChildArrangementOrder, 10.0),
                            (SgoFosterRelative, 15.0),
                            (LivesWithoutResponsibility, 10.0),
                            (OtherAuthority, 5.0),
                            (Other, 10.0),
                        ],
                    )
                }
            });
            let legal = if uasc {
                LegalStatus::V2
            } else {
                pick(
                    &mut g.rng,
                    &[
                        (LegalStatus::C2, 60.0),
                        (LegalStatus::C1, 15.0),
                        (LegalStatus::V2, 20.0),
                        (LegalStatus::E1, 5.0),
                    ],
                )
            };
            let need = if uasc {
                "N8"
            } else {
                pick(
                    &mut g.rng,
                    &[
                        ("N1", 62.0),
                        ("N4", 10.0),
                        ("N5", 14.0),
                        ("N2", 5.0),
                        ("N3", 4.0),
                        ("N8", 5.0),
                    ],
                )
            };
            let id = g.ids.next_id().to_string();
            let home_postcode = home_postcodes[g.rng.gen_range(0..home_postcodes.len())].clone();
            period_rows.push(json!([
                id,
                person,
                day.to_string(),
                legal.code(),
                need,
                home_postcode,
                setup.social_worker,
                setup.team,
                end.map(|e| e.to_string()),
                created,
                reason.map(|r| r.code()),
                i64::from(uasc),
            ]));
            // Placements: most children settle; one in seven moves again and again.
            let unsettled = g.rng.gen_bool(0.14);
            let mut at = day;
            let mut first_one = true;
            loop {
                let age_then = at.years_since(born).unwrap_or(0);
                let home = g.placement_home(age_then);
                let mean_days = if unsettled {
                    110.0
                } else if first_one && g.rng.gen_bool(0.2) {
                    45.0
                } else {
                    2_900.0
                };
                first_one = false;
                let stay = (-(1.0 - g.rng.gen::<f64>()).ln() * mean_days).max(7.0) as i64;
                let next = at + Duration::days(stay);
                let over = end.unwrap_or(today + Duration::days(1));
                let (ended, why) = if next >= over {
                    (end, None)
                } else if unsettled && g.rng.gen_bool(0.7) {
                    (
                        Some(next),
                        Some(pick(
                            &mut g.rng,
                            &[
                                (EndReason::CarerBehaviour, 40.0),
                                (EndReason::Child, 30.0),
                                (EndReason::CarerOther, 20.0),
                                (EndReason::Allegation, 10.0),
                            ],
                        )),
                    )
                } else {
                    (Some(next), Some(EndReason::CarePlan))
                };
                let h = &g.homes[home];
                if occupants.len() < g.homes.len() {
                    occupants.resize(g.homes.len(), 0);
                }
                if ended.is_none() {
                    occupants[home] += 1;
                }
                placement_rows.push(json!([
                    g.ids.next_id().to_string(),
                    id,
                    person,
                    h.id,
                    h.placement_type.code(),
                    h.route.code(),
                    h.postcode,
                    h.weekly_pence,
                    at.to_string(),
                    ended.map(|e| e.to_string()),
                    why.map(|r| r.code()),
                    setup.officer,
                    created,
                    1,
                ]));
                match (ended, why) {
                    (Some(e), Some(_)) => at = e,
                    _ => break,
                }
            }
            periods.push(Period {
                id,
                person,
                born,
                start: day,
                end,
            });
        }
        day += Duration::days(1);
    }
    report.periods = period_rows.len();
    report.placements = placement_rows.len();
    report.looked_after = periods.iter().filter(|p| p.end.is_none()).count();

    // Requests that found no suitable home, over the last three years, by the strategy's gaps.
    let mut request_rows = Vec::new();
    let unmet = (UNMET_PER_YEAR * care_scale * 3.0).round() as usize;
    for _ in 0..unmet {
        let asked = today - Duration::days(g.rng.gen_range(3..1095));
        let open: Vec<&Period> = (0..40)
            .filter_map(|_| periods.choose(&mut g.rng))
            .filter(|p| p.start <= asked && p.end.is_none_or(|e| e > asked))
            .collect();
        let Some(p) = open.first() else {
            continue;
        };
        let age = asked.years_since(p.born).unwrap_or(0);
        let mut needs = vec![pick(
            &mut g.rng,
            &[
                (Offer::Teenagers, if age >= 13 { 40.0 } else { 0.0 }),
                (Offer::UnderThrees, if age < 3 { 40.0 } else { 0.0 }),
                (Offer::SiblingGroups, 20.0),
                (Offer::ParentAndChild, 8.0),
                (Offer::Disability, 12.0),
                (Offer::Therapeutic, 20.0),
            ],
        )];
        if g.rng.gen_bool(0.3) {
            needs.push(Offer::Therapeutic);
        }
        needs.sort();
        needs.dedup();
        let siblings = if needs.contains(&Offer::SiblingGroups) {
            g.rng.gen_range(1..4)
        } else {
            0
        };
        request_rows.push(json!([
            g.ids.next_id().to_string(),
            p.id,
            p.person,
            setup.social_worker,
            moment(asked),
            "this_week",
            needs.iter().map(|n| n.code()).collect::<Vec<_>>().join(" "),
            "I want to stay near my school and my friends.",
            siblings,
            RequestStatus::Unmet.code(),
            setup.officer,
            moment(asked + Duration::days(g.rng.gen_range(1..6))),
            "No suitable home with a vacancy for these needs within 20 miles.",
            2,
        ]));
    }
    report.unmet = request_rows.len();

    // The providers (ADR 0055): the council for its own homes, and forty companies and
    // charities for each bought route, each with the framework membership or block contract
    // that makes its homes' route, from the history's first day.
    let mut provider_rows: Vec<Value> = Vec::new();
    let mut contract_rows: Vec<Value> = Vec::new();
    let mut provider_of: std::collections::HashMap<(Route, usize), String> =
        std::collections::HashMap::new();
    for (i, h) in g.homes.iter().enumerate() {
        let key = match h.route {
            Route::InHouse => (Route::InHouse, 0),
            r => (r, i % 40),
        };
        if provider_of.contains_key(&key) {
            continue;
        }
        let id = g.ids.next_id().to_string();
        let (name, kind) = match key {
            (Route::InHouse, _) => ("Nottingham City Council".to_string(), "local_authority"),
            (r, n) => (
                format!("{} provider {}", r.label(), n + 1),
                if n % 4 == 0 { "voluntary" } else { "private" },
            ),
        };
        provider_rows.push(json!([id, name, kind, created, setup.officer, 1]));
        let contract = match key.0 {
            Route::Block => Some(("block", "Block contract", Some(6))),
            Route::Framework => Some(("framework", "D2N2 framework", None)),
            _ => None,
        };
        if let Some((kind, name, places)) = contract {
            contract_rows.push(json!([
                g.ids.next_id().to_string(),
                id,
                kind,
                name,
                places,
                first.to_string(),
                setup.officer,
                created,
            ]));
        }
        provider_of.insert(key, id);
    }
    report.providers = provider_rows.len();

    // The homes, with the places the children there now take.
    occupants.resize(g.homes.len(), 0);
    let home_rows: Vec<Value> = g
        .homes
        .iter()
        .zip(&occupants)
        .enumerate()
        .map(|(i, (h, taken))| {
            let registered = h.places.max(*taken);
            let offers = match h.kind {
                Kind::ParentAndChild => "parent_and_child",
                Kind::InHouseFostering | Kind::ExternalFostering if i % 3 == 0 => {
                    "under_threes sibling_groups"
                }
                Kind::InHouseFostering | Kind::ExternalFostering => "teenagers",
                Kind::Residential if i % 4 == 0 => "teenagers therapeutic",
                Kind::Residential | Kind::SupportedAccommodation | Kind::Secure => "teenagers",
                _ => "",
            };
            let key = match h.route {
                Route::InHouse => (Route::InHouse, 0),
                r => (r, i % 40),
            };
            let provider_id = provider_of.get(&key).cloned();
            let provider = match key {
                (Route::InHouse, _) => "Nottingham City Council".to_string(),
                (r, n) => format!("{} provider {}", r.label(), n + 1),
            };
            json!([
                h.id,
                format!("{} {}", h.kind.label(), i + 1),
                provider,
                h.route.code(),
                h.placement_type.code(),
                h.rating.map(|_| format!("SC{:06}", 500_000 + i)),
                h.rating.map(|r| r.code()),
                h.rating
                    .map(|_| (today - Duration::days(200 + (i as i64 * 37) % 700)).to_string()),
                registered,
                registered - taken,
                h.ages.0,
                h.ages.1,
                offers,
                h.postcode,
                h.weekly_pence,
                created,
                setup.officer,
                1,
                provider_id,
            ])
        })
        .collect();
    report.homes = home_rows.len();

    let engine = store.engine();
    let mut tx = store.write().await?;
    for (code, at) in &g.postcodes {
        if let Some(pc) = Postcode::parse(code) {
            hearth_store::directory::put_postcode(&mut tx, &pc, *at).await?;
        }
    }
    PROVIDERS.insert(&mut tx, engine, &provider_rows).await?;
    CONTRACTS.insert(&mut tx, engine, &contract_rows).await?;
    HOMES.insert(&mut tx, engine, &home_rows).await?;
    PERIODS.insert(&mut tx, engine, &period_rows).await?;
    PLACEMENTS.insert(&mut tx, engine, &placement_rows).await?;
    REQUESTS.insert(&mut tx, engine, &request_rows).await?;
    Store::commit(tx).await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Children coming into care at the generator's rate, each staying as long as its draws
    /// say and never past 18, leave about the target looked after after fourteen years.
    #[test]
    fn the_rate_of_coming_into_care_leaves_the_target_looked_after() {
        let mut rng = StdRng::seed_from_u64(11);
        let target = LOOKED_AFTER;
        let end_rate = target / mean_stay_years() / 365.25 / RISE_MEAN;
        let days = (14.0 * 365.25) as i64;
        let rise_from = days - (4.0 * 365.25) as i64;
        let mut ends = Vec::new();
        for day in 0..days {
            for _ in 0..crate::city::poisson(&mut rng, rate_on(end_rate, day - rise_from)) {
                let age = f64::from(entry_age(&mut rng)) + rng.gen::<f64>() + rng.gen::<f64>();
                if age >= 18.0 {
                    continue;
                }
                let until_eighteen = ((18.0 - age) * 365.25) as i64;
                ends.push(day + planned_length(&mut rng).num_days().min(until_eighteen));
            }
        }
        let looked_after = ends.iter().filter(|&&end| end > days).count() as f64;
        assert!(
            (0.93 * target..=1.07 * target).contains(&looked_after),
            "{looked_after} looked after at the end, for a target of {target}"
        );
    }
}
