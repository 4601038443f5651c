//! A deterministic synthetic population: households of one to six sharing a surname and an
//! address, twins, previous surnames and previous addresses, NHS numbers for most people.
//! Everything (ids included) follows from the seed, so a database seeded earlier can be
//! measured again without reseeding and the labelled truth still matches.

use crate::names::{self, Community, COMMUNITIES, DISTRICTS, UNIT_LETTERS};
use chrono::{Duration, NaiveDate};
use hearth_domain::identifiers::nhs_with_check_digit;
use rand::distributions::WeightedIndex;
use rand::prelude::*;
use rand::rngs::StdRng;
use std::collections::HashSet;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Female,
    Male,
}

impl Sex {
    pub fn code(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Person {
    pub id: Uuid,
    /// All given names as held, e.g. "Oliver James".
    pub given: String,
    pub family: String,
    pub dob: NaiveDate,
    pub sex: Sex,
    pub nhs_number: Option<String>,
    pub language: &'static str,
    pub restricted: bool,
    pub household: usize,
    pub relationship: &'static str,
    /// A surname held before (a maiden name), recorded in `person_names`.
    pub previous_family: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Household {
    pub id: Uuid,
    pub name: String,
    pub line1: String,
    pub postcode: usize,
    pub moved_in: NaiveDate,
    /// Where the household lived before, if it moved.
    pub previous: Option<(String, usize)>,
}

pub struct Population {
    pub people: Vec<Person>,
    pub households: Vec<Household>,
    pub postcodes: Vec<String>,
}

/// "Today" for the population: fixed so ages (and so the data) do not depend on the run date.
pub fn reference_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()
}

/// Milliseconds since the epoch of the ids' timestamps: 2025-01-01, one step per record.
const ID_EPOCH_MS: u64 = 1_735_689_600_000;

/// Ids are UUIDv7 like the application's, but drawn from the seeded generator.
pub struct Ids {
    rng: StdRng,
    next_ms: u64,
}

impl Ids {
    pub fn new(seed: u64) -> Self {
        Self {
            rng: StdRng::seed_from_u64(seed ^ 0x1d5),
            next_ms: ID_EPOCH_MS,
        }
    }

    pub fn next_id(&mut self) -> Uuid {
        let mut bytes = [0u8; 10];
        self.rng.fill(&mut bytes);
        self.next_ms += 1;
        uuid::Builder::from_unix_timestamp_millis(self.next_ms, &bytes).into_uuid()
    }
}

/// Weighted pickers for one community's lists, built once.
struct Pickers {
    surname: WeightedIndex<f64>,
    male_adult: WeightedIndex<f64>,
    female_adult: WeightedIndex<f64>,
    male_child: WeightedIndex<f64>,
    female_child: WeightedIndex<f64>,
}

fn index(list: &[&str]) -> anyhow::Result<WeightedIndex<f64>> {
    Ok(WeightedIndex::new(names::weights(list.len()))?)
}

impl Pickers {
    fn new(c: &Community) -> anyhow::Result<Self> {
        Ok(Self {
            surname: index(c.surnames)?,
            male_adult: index(c.male_adult)?,
            female_adult: index(c.female_adult)?,
            male_child: index(c.male_child)?,
            female_child: index(c.female_child)?,
        })
    }
}

struct Generator {
    rng: StdRng,
    ids: Ids,
    pickers: Vec<Pickers>,
    community: WeightedIndex<f64>,
    next_nhs_stem: u64,
    today: NaiveDate,
}

impl Generator {
    fn surname(&mut self, c: usize) -> &'static str {
        let i = self.pickers[c].surname.sample(&mut self.rng);
        COMMUNITIES[c].surnames[i]
    }

    fn one_given(&mut self, c: usize, sex: Sex, child: bool) -> &'static str {
        let com = &COMMUNITIES[c];
        let p = &self.pickers[c];
        let (list, idx) = match (sex, child) {
            (Sex::Male, false) => (com.male_adult, &p.male_adult),
            (Sex::Female, false) => (com.female_adult, &p.female_adult),
            (Sex::Male, true) => (com.male_child, &p.male_child),
            (Sex::Female, true) => (com.female_child, &p.female_child),
        };
        list[idx.sample(&mut self.rng)]
    }

    /// A first name and, for about a third of people, a middle name.
    fn given(&mut self, c: usize, sex: Sex, child: bool) -> String {
        let first = self.one_given(c, sex, child);
        if self.rng.gen_bool(0.35) {
            let middle = self.one_given(c, sex, child);
            if middle != first {
                return format!("{first} {middle}");
            }
        }
        first.to_string()
    }

    fn nhs(&mut self) -> Option<String> {
        // Most people known to services have an NHS number on the record; not all.
        if !self.rng.gen_bool(0.7) {
            return None;
        }
        loop {
            let stem = self.next_nhs_stem;
            self.next_nhs_stem += 1;
            if let Some(n) = nhs_with_check_digit(&stem.to_string()) {
                return Some(n);
            }
        }
    }

    fn born_aged(&mut self, min_years: i64, max_years: i64) -> NaiveDate {
        let days = self.rng.gen_range(min_years * 365..=max_years * 365 + 364);
        self.today - Duration::days(days)
    }

    fn person(&mut self, household: usize, c: usize, spec: PersonSpec) -> Person {
        let family = gendered(spec.family, spec.sex);
        Person {
            id: self.ids.next_id(),
            given: spec.given,
            family,
            dob: spec.dob,
            sex: spec.sex,
            nhs_number: self.nhs(),
            language: COMMUNITIES[c].languages
                [self.rng.gen_range(0..COMMUNITIES[c].languages.len())],
            restricted: self.rng.gen_bool(0.003),
            household,
            relationship: spec.relationship,
            previous_family: spec.previous_family.map(|f| gendered(&f, spec.sex)),
        }
    }
}

struct PersonSpec {
    given: String,
    family: &'static str,
    dob: NaiveDate,
    sex: Sex,
    relationship: &'static str,
    previous_family: Option<String>,
}

/// Polish surnames agree with sex: Kowalski, Kowalska. A household shares the name in both
/// forms, which is exactly the kind of difference search must see through.
fn gendered(family: &str, sex: Sex) -> String {
    if sex == Sex::Female {
        for (m, f) in [("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")] {
            if let Some(stem) = family.strip_suffix(m) {
                return format!("{stem}{f}");
            }
        }
    }
    family.to_string()
}

fn household_size(rng: &mut StdRng) -> usize {
    // Roughly the shape of households with children in contact with family help, plus
    // single adults: most have two to four people.
    const SIZES: [(usize, u32); 6] = [(1, 22), (2, 24), (3, 20), (4, 18), (5, 10), (6, 6)];
    let total: u32 = SIZES.iter().map(|s| s.1).sum();
    let mut roll = rng.gen_range(0..total);
    for (size, w) in SIZES {
        if roll < w {
            return size;
        }
        roll -= w;
    }
    1
}

fn postcodes(rng: &mut StdRng, n: usize) -> anyhow::Result<Vec<String>> {
    let weights = WeightedIndex::new(DISTRICTS.iter().map(|d| d.1))?;
    let mut seen = HashSet::with_capacity(n);
    let mut out = Vec::with_capacity(n);
    // Each district has 10 sectors × 400 units, far more than any run asks for.
    while out.len() < n {
        let district = DISTRICTS[weights.sample(rng)].0;
        let sector = rng.gen_range(0..10);
        let a = UNIT_LETTERS[rng.gen_range(0..UNIT_LETTERS.len())] as char;
        let b = UNIT_LETTERS[rng.gen_range(0..UNIT_LETTERS.len())] as char;
        let code = format!("{district} {sector}{a}{b}");
        if seen.insert(code.clone()) {
            out.push(code);
        }
    }
    Ok(out)
}

/// Generates `count` people in households, deterministically from `seed`.
pub fn generate(count: usize, seed: u64) -> anyhow::Result<Population> {
    let mut rng = StdRng::seed_from_u64(seed);
    // About 40 people per unit postcode, like a real street's worth of households.
    let postcodes = postcodes(&mut rng, (count / 40).max(50))?;
    let mut g = Generator {
        ids: Ids::new(seed),
        pickers: COMMUNITIES
            .iter()
            .map(Pickers::new)
            .collect::<anyhow::Result<_>>()?,
        community: WeightedIndex::new(COMMUNITIES.iter().map(|c| c.share))?,
        next_nhs_stem: 400_000_000 + rng.gen_range(0..50_000_000),
        today: reference_date(),
        rng,
    };
    let mut people = Vec::with_capacity(count);
    let mut households = Vec::with_capacity(count / 2);
    while people.len() < count {
        let size = household_size(&mut g.rng).min(count - people.len());
        let h = households.len();
        let household = new_household(&mut g, postcodes.len());
        let members = members(&mut g, size);
        let name = format!(
            "{} household",
            members.first().map(|m| m.1.family).unwrap_or("")
        );
        households.push(Household { name, ..household });
        for (c, spec) in members {
            let p = g.person(h, c, spec);
            people.push(p);
        }
    }
    Ok(Population {
        people,
        households,
        postcodes,
    })
}

fn new_household(g: &mut Generator, postcodes: usize) -> Household {
    let street = names::STREETS[g.rng.gen_range(0..names::STREETS.len())];
    let line1 = format!("{} {street}", g.rng.gen_range(1..300));
    let moved_in = g.today - Duration::days(g.rng.gen_range(30..6000));
    // A quarter of households moved within the city: search by an old postcode still works.
    let previous = g.rng.gen_bool(0.25).then(|| {
        let street = names::STREETS[g.rng.gen_range(0..names::STREETS.len())];
        (
            format!("{} {street}", g.rng.gen_range(1..300)),
            g.rng.gen_range(0..postcodes),
        )
    });
    Household {
        id: g.ids.next_id(),
        name: String::new(),
        line1,
        postcode: g.rng.gen_range(0..postcodes),
        moved_in,
        previous,
    }
}

/// The people of one household: one or two adults and children, sharing a surname mostly.
fn members(g: &mut Generator, size: usize) -> Vec<(usize, PersonSpec)> {
    let c = g.community.sample(&mut g.rng);
    let family = g.surname(c);
    let mut out = Vec::with_capacity(size);
    let adults = match size {
        1 => 1,
        2 => {
            if g.rng.gen_bool(0.55) {
                2
            } else {
                1
            }
        }
        _ => {
            if g.rng.gen_bool(0.7) {
                2
            } else {
                1
            }
        }
    };
    let children = size - adults;
    // Most lone parents are mothers; otherwise either.
    let female_share = if adults == 1 && children > 0 {
        0.9
    } else {
        0.5
    };
    let first_sex = if g.rng.gen_bool(female_share) {
        Sex::Female
    } else {
        Sex::Male
    };
    let parent_age_max = if children > 0 { 50 } else { 85 };
    let first_dob = g.born_aged(19, parent_age_max);
    let first = PersonSpec {
        given: g.given(c, first_sex, false),
        family,
        dob: first_dob,
        sex: first_sex,
        relationship: "parent",
        previous_family: None,
    };
    out.push((c, first));
    if adults == 2 {
        // One couple in twelve is from two communities.
        let pc = if g.rng.gen_bool(0.08) {
            g.community.sample(&mut g.rng)
        } else {
            c
        };
        let sex = if first_sex == Sex::Female {
            Sex::Male
        } else {
            Sex::Female
        };
        let shares_name = g.rng.gen_bool(0.75);
        let own = g.surname(pc);
        let (partner_family, previous_family) = if shares_name {
            // Some who took the family's name have their previous surname on the record.
            let maiden = (own != family && g.rng.gen_bool(0.4)).then(|| own.to_string());
            (family, maiden)
        } else {
            (own, None)
        };
        let age_gap = g.rng.gen_range(-6..=6);
        let dob = first_dob + Duration::days(age_gap * 365 + g.rng.gen_range(0..365));
        let spec = PersonSpec {
            given: g.given(pc, sex, false),
            family: partner_family,
            dob: dob.min(g.today - Duration::days(18 * 365)),
            sex,
            relationship: "partner",
            previous_family,
        };
        out.push((pc, spec));
    }
    if children == 0 {
        return out;
    }
    // Children born while the youngest parent was 18 to 45, and aged 0 to 17 now.
    let youngest_parent = out.iter().map(|(_, s)| s.dob).max().unwrap_or(first_dob);
    let earliest =
        (youngest_parent + Duration::days(18 * 365)).max(g.today - Duration::days(17 * 365 + 364));
    let latest = (youngest_parent + Duration::days(45 * 365)).min(g.today);
    let span = (latest - earliest).num_days().max(1);
    let twins_at =
        (children >= 2 && g.rng.gen_bool(0.06)).then(|| g.rng.gen_range(0..children - 1));
    let mut dob = earliest;
    for k in 0..children {
        let sex = if g.rng.gen_bool(0.5) {
            Sex::Female
        } else {
            Sex::Male
        };
        let twin_of_previous = twins_at.is_some_and(|t| k == t + 1);
        if !twin_of_previous {
            dob = earliest + Duration::days(g.rng.gen_range(0..span));
        }
        let mut given = g.given(c, sex, true);
        if twin_of_previous {
            // Twins: same dob and surname, never the same first name.
            let sibling_first = out
                .last()
                .and_then(|(_, s)| s.given.split(' ').next())
                .unwrap_or("")
                .to_string();
            while given.split(' ').next() == Some(sibling_first.as_str()) {
                given = g.given(c, sex, true);
            }
        }
        // Most children carry the household's surname; some the other parent's.
        let child_family = match out.get(1) {
            Some((_, p)) if p.family != family && g.rng.gen_bool(0.25) => p.family,
            _ => family,
        };
        out.push((
            c,
            PersonSpec {
                given,
                family: child_family,
                dob,
                sex,
                relationship: "child",
                previous_family: None,
            },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let a = generate(2_000, 7).expect("generate");
        let b = generate(2_000, 7).expect("generate");
        assert_eq!(a.people.len(), 2_000);
        assert!(a
            .people
            .iter()
            .zip(&b.people)
            .all(|(x, y)| x.id == y.id && x.given == y.given && x.dob == y.dob));
    }

    #[test]
    fn there_are_twins_and_shared_surnames() {
        let p = generate(20_000, 1).expect("generate");
        let twins = p
            .people
            .windows(2)
            .filter(|w| {
                w[0].household == w[1].household
                    && w[0].relationship == "child"
                    && w[1].relationship == "child"
                    && w[0].dob == w[1].dob
            })
            .count();
        assert!(twins > 20, "{twins}");
        let smiths = p.people.iter().filter(|x| x.family == "Smith").count();
        assert!((100..1_000).contains(&smiths), "{smiths}");
    }
}
