//! Partners' files for early identification, from a synthetic population: a school census of
//! termly attendance, police notifications, housing (rent arrears, homelessness, temporary
//! accommodation), health visiting contacts, benefits and worklessness, and youth justice
//! outcomes, each with the noise real files have — a missing date of birth, day and month
//! swapped, a nickname for the given name, a surname mistyped, a postcode left off or in lower
//! case, a date written the British way, people the record does not hold, and the odd row a
//! partner typed wrongly.

use crate::population::Population;
use chrono::{Datelike, Duration, NaiveDate};
use rand::prelude::*;
use rand::rngs::StdRng;

const HEADER_SCHOOL: &str =
    "reference,given_names,family_name,dob,postcode,upn,event,date,attendance";
const HEADER_POLICE: &str = "reference,given_names,family_name,dob,postcode,event,date";
/// Housing, benefits and youth justice files have the police file's columns.
const HEADER_EVENTS: &str = HEADER_POLICE;
const HEADER_HEALTH: &str = "reference,given_names,family_name,dob,postcode,nhs_number,event,date";

/// A given name as a partner may write it: now and then the nickname or other spelling a
/// clerk uses (Bill for William), from the table the matcher itself knows.
fn given_as_written(rng: &mut StdRng, given: &str) -> String {
    let mut parts = given.split_whitespace();
    let first = parts.next().unwrap_or_default();
    if !rng.gen_bool(0.06) {
        return given.to_string();
    }
    let variants = hearth_linkage::nicknames::variants_of(&first.to_lowercase());
    let Some(v) = variants.choose(rng) else {
        return given.to_string();
    };
    let mut chars = v.chars();
    let nick: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    std::iter::once(nick.as_str())
        .chain(parts)
        .collect::<Vec<_>>()
        .join(" ")
}

/// An event's date as a partner's system writes it: mostly 2025-03-14, sometimes 14/03/2025.
fn date_as_written(rng: &mut StdRng, on: NaiveDate) -> String {
    if rng.gen_bool(0.2) {
        on.format("%d/%m/%Y").to_string()
    } else {
        on.to_string()
    }
}

/// One person as a partner writes them, with the noise of real files.
fn noisy(
    rng: &mut StdRng,
    given: &str,
    family: &str,
    dob: NaiveDate,
    postcode: &str,
) -> [String; 4] {
    let dob = match rng.gen_range(0..100) {
        0..=7 => String::new(),
        8..=11 if dob.day() <= 12 => format!("{}-{:02}-{:02}", dob.year(), dob.day(), dob.month()),
        _ => dob.to_string(),
    };
    // A letter dropped: by characters, as surnames like Wiśniewska are not all ASCII.
    let letters: Vec<char> = family.chars().collect();
    let family = if rng.gen_bool(0.05) && letters.len() > 3 {
        let cut = rng.gen_range(1..letters.len() - 1);
        letters[..cut].iter().chain(&letters[cut + 1..]).collect()
    } else {
        family.to_string()
    };
    let postcode = match rng.gen_range(0..100) {
        0..=9 => String::new(),
        10..=19 => postcode.to_lowercase(),
        _ => postcode.to_string(),
    };
    [given_as_written(rng, given), family, dob, postcode]
}

/// The people of `population` aged `from` to `to` on `today`, each drawn with chance `share`,
/// with the household's postcode: whom a partner's file is about.
fn drawn<'a>(
    population: &'a Population,
    rng: &mut StdRng,
    share: f64,
    (from, to): (u32, u32),
    today: NaiveDate,
) -> Vec<(usize, &'a crate::population::Person, &'a str)> {
    population
        .people
        .iter()
        .enumerate()
        .filter(|(_, p)| (from..=to).contains(&today.years_since(p.dob).unwrap_or(0)))
        .filter(|_| rng.gen_bool(share))
        .map(|(i, p)| {
            let postcode =
                population.postcodes[population.households[p.household].postcode].as_str();
            (i, p, postcode)
        })
        .collect()
}

/// A few people the record does not hold, one for every twenty rows, in a file with
/// `columns` after the date of birth and postcode (`event,date`).
fn strangers(out: &mut Vec<String>, prefix: &str, tail: &str) {
    for s in 0..(out.len() / 20) {
        out.push(format!(
            "{prefix}{s},Stranger{s},Notonrecord,1990-03-0{},ZZ9 9ZZ,{tail}",
            1 + s % 9
        ));
    }
}

/// A quarter's housing events (the 90 days before `today`) about `share` of the adults: rent
/// arrears for most, homelessness for some, and for about half of those a placement in
/// temporary accommodation a few weeks later.
pub fn housing(population: &Population, share: f64, seed: u64, today: NaiveDate) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = vec![HEADER_EVENTS.to_string()];
    for (i, p, postcode) in drawn(population, &mut rng, share, (18, 90), today) {
        let [given, family, dob, postcode] = noisy(&mut rng, &p.given, &p.family, p.dob, postcode);
        let on = today - Duration::days(rng.gen_range(30..90));
        if rng.gen_bool(0.7) {
            let date = date_as_written(&mut rng, on);
            out.push(format!(
                "H{i}a,{given},{family},{dob},{postcode},rent_arrears,{date}"
            ));
        } else {
            let date = date_as_written(&mut rng, on);
            out.push(format!(
                "H{i}h,{given},{family},{dob},{postcode},homelessness,{date}"
            ));
            if rng.gen_bool(0.5) {
                let placed = on + Duration::days(rng.gen_range(1..28));
                let date = date_as_written(&mut rng, placed);
                out.push(format!(
                    "H{i}t,{given},{family},{dob},{postcode},temporary_accommodation,{date}"
                ));
            }
        }
    }
    strangers(
        &mut out,
        "HN",
        &format!("rent_arrears,{}", today - Duration::days(40)),
    );
    out.join("\n") + "\n"
}

/// A quarter's health visiting contacts: most children under five seen once or twice, with
/// their NHS number where the health visitor's system holds it.
pub fn health_visiting(population: &Population, share: f64, seed: u64, today: NaiveDate) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = vec![HEADER_HEALTH.to_string()];
    for (i, p, postcode) in drawn(population, &mut rng, share, (0, 4), today) {
        let [given, family, dob, postcode] = noisy(&mut rng, &p.given, &p.family, p.dob, postcode);
        let nhs = p
            .nhs_number
            .clone()
            .filter(|_| rng.gen_bool(0.8))
            .unwrap_or_default();
        for n in 0..rng.gen_range(1..=2) {
            let on = (today - Duration::days(rng.gen_range(1..90))).max(p.dob);
            let date = date_as_written(&mut rng, on);
            out.push(format!(
                "V{i}-{n},{given},{family},{dob},{postcode},{nhs},health_visiting_contact,{date}"
            ));
        }
    }
    strangers(
        &mut out,
        "VN",
        &format!(",health_visiting_contact,{}", today - Duration::days(20)),
    );
    out.join("\n") + "\n"
}

/// Worklessness recorded in the quarter about `share` of working-age adults (18 to 66).
pub fn benefits(population: &Population, share: f64, seed: u64, today: NaiveDate) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = vec![HEADER_EVENTS.to_string()];
    for (i, p, postcode) in drawn(population, &mut rng, share, (18, 66), today) {
        let [given, family, dob, postcode] = noisy(&mut rng, &p.given, &p.family, p.dob, postcode);
        let on = today - Duration::days(rng.gen_range(1..90));
        let date = date_as_written(&mut rng, on);
        out.push(format!(
            "B{i},{given},{family},{dob},{postcode},worklessness,{date}"
        ));
    }
    strangers(
        &mut out,
        "BN",
        &format!("worklessness,{}", today - Duration::days(10)),
    );
    out.join("\n") + "\n"
}

/// Youth justice outcomes in the half-year before `today` about `share` of those aged 10 to
/// 17, a few with a second.
pub fn youth_justice(population: &Population, share: f64, seed: u64, today: NaiveDate) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = vec![HEADER_EVENTS.to_string()];
    for (i, p, postcode) in drawn(population, &mut rng, share, (10, 17), today) {
        let [given, family, dob, postcode] = noisy(&mut rng, &p.given, &p.family, p.dob, postcode);
        for n in 0..(1 + usize::from(rng.gen_bool(0.2))) {
            let on = today - Duration::days(rng.gen_range(1..180));
            let date = date_as_written(&mut rng, on);
            out.push(format!(
                "Y{i}-{n},{given},{family},{dob},{postcode},youth_justice_outcome,{date}"
            ));
        }
    }
    strangers(
        &mut out,
        "YN",
        &format!("youth_justice_outcome,{}", today - Duration::days(30)),
    );
    out.join("\n") + "\n"
}

/// Termly attendance for `share` of the population's school-age children (5 to 15 on
/// `today`), a few with an exclusion, plus strangers and a bad row in every hundred or so.
pub fn school_census(population: &Population, share: f64, seed: u64, today: NaiveDate) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = vec![HEADER_SCHOOL.to_string()];
    let term_end = today - Duration::days(30);
    for (i, p) in population.people.iter().enumerate() {
        let age = today.years_since(p.dob).unwrap_or(0);
        if !(5..=15).contains(&age) || !rng.gen_bool(share) {
            continue;
        }
        let postcode = &population.postcodes[population.households[p.household].postcode];
        let [given, family, dob, postcode] = noisy(&mut rng, &p.given, &p.family, p.dob, postcode);
        // Most children attend well; about one in eight falls under 90%.
        let attendance = if rng.gen_bool(0.12) {
            rng.gen_range(600..900)
        } else {
            rng.gen_range(900..=1000)
        };
        let date = if rng.gen_bool(0.01) {
            "last term".to_string()
        } else {
            term_end.to_string()
        };
        out.push(format!(
            "S{i},{given},{family},{dob},{postcode},,attendance,{date},{}.{}",
            attendance / 10,
            attendance % 10
        ));
        if rng.gen_bool(0.02) {
            out.push(format!(
                "X{i},{given},{family},{dob},{postcode},,exclusion,{term_end},"
            ));
        }
    }
    for s in 0..(out.len() / 20) {
        out.push(format!(
            "N{s},Stranger{s},Notonrecord,2014-02-0{},ZZ9 9ZZ,,attendance,{term_end},91.0",
            1 + s % 9
        ));
    }
    out.join("\n") + "\n"
}

/// A quarter's police notifications (the 90 days before `today`) about `share` of the
/// population: domestic abuse about adults (some repeated), missing episodes about children
/// and anti-social behaviour, with the same noise.
pub fn police_notifications(
    population: &Population,
    share: f64,
    seed: u64,
    today: NaiveDate,
) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = vec![HEADER_POLICE.to_string()];
    for (i, p) in population.people.iter().enumerate() {
        if !rng.gen_bool(share) {
            continue;
        }
        let postcode = &population.postcodes[population.households[p.household].postcode];
        let [given, family, dob, postcode] = noisy(&mut rng, &p.given, &p.family, p.dob, postcode);
        let adult = today.years_since(p.dob).unwrap_or(0) >= 18;
        let (event, times) = match (adult, rng.gen_range(0..10)) {
            (true, 0..=5) => ("domestic_abuse", rng.gen_range(1..=3)),
            (false, 0..=3) => ("missing_episode", 1),
            _ => ("anti_social_behaviour", 1),
        };
        for n in 0..times {
            let on = today - Duration::days(rng.gen_range(1..90));
            out.push(format!(
                "P{i}-{n},{given},{family},{dob},{postcode},{event},{on}"
            ));
        }
    }
    out.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::{generate, reference_date};
    use hearth_domain::identification::feed::{read_row, FeedKind};
    use std::collections::HashMap;

    fn rows(kind: FeedKind, text: &str, today: NaiveDate) -> (usize, usize) {
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
        let (mut ok, mut bad) = (0, 0);
        for line in lines {
            let values: HashMap<String, String> = header
                .iter()
                .map(|h| h.to_string())
                .zip(line.split(',').map(str::to_string))
                .collect();
            match read_row(kind, &values, today) {
                Ok(_) => ok += 1,
                Err(_) => bad += 1,
            }
        }
        (ok, bad)
    }

    #[test]
    fn the_files_read_as_their_feeds_with_a_little_noise_and_the_same_seed_gives_the_same_file() {
        let today = reference_date();
        let population = generate(2_000, 7).unwrap_or_else(|e| panic!("{e}"));
        let school = school_census(&population, 0.5, 1, today);
        assert_eq!(school, school_census(&population, 0.5, 1, today));
        let (ok, bad) = rows(FeedKind::SchoolCensus, &school, today);
        assert!(ok > 100 && bad < ok / 20, "{ok} {bad}");
        assert!(school.contains(",,attendance,") || school.contains(",attendance,"));
        let police = police_notifications(&population, 0.05, 2, today);
        let (ok, bad) = rows(FeedKind::PoliceNotifications, &police, today);
        // A few babies born after the date drawn are refused, as a partner's typing mistake would be.
        assert!(ok > 50 && bad < ok / 20, "{ok} {bad}");
        assert!(police.contains("domestic_abuse"));
    }

    #[test]
    fn a_mistyped_surname_drops_a_whole_letter_even_when_it_is_not_ascii() {
        let today = reference_date();
        let mut rng = StdRng::seed_from_u64(3);
        let mut dropped = 0;
        for _ in 0..2_000 {
            let [_, family, _, _] = noisy(&mut rng, "Zofia", "Król", today, "NG7 1AA");
            if family != "Król" {
                dropped += 1;
                assert_eq!(
                    family.chars().count(),
                    3,
                    "one letter dropped from Król: {family}"
                );
            }
        }
        assert!(dropped > 0, "about one in twenty surnames is mistyped");
    }

    #[test]
    fn the_other_feeds_read_as_their_kinds_with_a_little_noise() {
        let today = reference_date();
        let population = generate(3_000, 7).unwrap_or_else(|e| panic!("{e}"));
        let files = [
            (
                FeedKind::Housing,
                housing(&population, 0.1, 3, today),
                "temporary_accommodation",
            ),
            (
                FeedKind::HealthVisiting,
                health_visiting(&population, 0.8, 4, today),
                "health_visiting_contact",
            ),
            (
                FeedKind::Benefits,
                benefits(&population, 0.1, 5, today),
                "worklessness",
            ),
            (
                FeedKind::YouthJustice,
                youth_justice(&population, 0.1, 6, today),
                "youth_justice_outcome",
            ),
        ];
        for (kind, text, event) in &files {
            let (ok, bad) = rows(*kind, text, today);
            assert!(ok > 20 && bad <= ok / 20, "{kind:?}: {ok} {bad}");
            assert!(text.contains(event), "{kind:?}");
            // Strangers the record does not hold, and dates written the British way.
            assert!(text.contains("Notonrecord"), "{kind:?}");
            assert!(text.contains('/'), "{kind:?}");
        }
        assert_eq!(files[0].1, housing(&population, 0.1, 3, today));
        // Some names are written as a clerk would, a nickname for the name on the record.
        let all: String = files.iter().map(|(_, t, _)| t.as_str()).collect();
        let given: std::collections::HashSet<&str> =
            population.people.iter().map(|p| p.given.as_str()).collect();
        let written_otherwise = all
            .lines()
            .filter_map(|l| l.split(',').nth(1))
            .filter(|g| !g.starts_with("Stranger") && *g != "given_names")
            .filter(|g| !given.contains(g))
            .count();
        assert!(written_otherwise > 0);
    }
}
