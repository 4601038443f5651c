//! Partners' files for early identification, from a synthetic population: a school census of
//! termly attendance and police notifications, each with the noise real files have — a missing
//! date of birth, day and month swapped, a surname mistyped, a postcode left off or in lower
//! case, people the record does not hold, and the odd row a partner typed wrongly.

use crate::population::Population;
use chrono::{Datelike, Duration, NaiveDate};
use rand::prelude::*;
use rand::rngs::StdRng;

const HEADER_SCHOOL: &str =
    "reference,given_names,family_name,dob,postcode,upn,event,date,attendance";
const HEADER_POLICE: &str = "reference,given_names,family_name,dob,postcode,event,date";

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
    let letters: Vec<char> = family.chars().collect();
    // A letter dropped, counted in letters: names such as Król are not all ASCII.
    let family = if rng.gen_bool(0.05) && letters.len() > 3 {
        let cut = rng.gen_range(1..letters.len() - 1);
        letters
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != cut)
            .map(|(_, c)| c)
            .collect()
    } else {
        family.to_string()
    };
    let postcode = match rng.gen_range(0..100) {
        0..=9 => String::new(),
        10..=19 => postcode.to_lowercase(),
        _ => postcode.to_string(),
    };
    [given.to_string(), family, dob, postcode]
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
}
