//! The labelled query set: real people from the population, typed the way a practitioner types
//! them on a doorstep or a phone call — a short form of the first name, a slip of one letter in
//! the surname, day and month the wrong way round, half a name. The truth is the person's id.

use chrono::{Datelike, NaiveDate};
use hearth_linkage::search_keys::{canonical_given, normalise};
use hearth_synthetic::names::{KNOWN_VARIANTS, SURNAME_VARIANTS, UNKNOWN_VARIANTS};
use hearth_synthetic::population::{Person, Population};
use rand::prelude::*;
use rand::rngs::StdRng;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Labelled {
    pub truth: Uuid,
    /// The name field as typed.
    pub name: String,
    /// The date of birth as typed (dd/mm/yyyy), or empty.
    pub dob: String,
    /// The postcode as typed, or empty.
    pub postcode: String,
    /// What was changed, for recall by kind of error.
    pub changes: Vec<&'static str>,
}

/// Picks `n` distinct people and perturbs each; deterministic from `seed`.
pub fn labelled(pop: &Population, n: usize, seed: u64) -> Vec<Labelled> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x9e3779b97f4a7c15);
    let picked = rand::seq::index::sample(&mut rng, pop.people.len(), n.min(pop.people.len()));
    picked
        .into_iter()
        .map(|i| perturb(&mut rng, pop, &pop.people[i]))
        .collect()
}

fn perturb(rng: &mut StdRng, pop: &Population, p: &Person) -> Labelled {
    let mut changes = Vec::new();
    let given_words: Vec<&str> = p.given.split(' ').collect();
    let first = given_words.first().copied().unwrap_or("");
    let mut given = if given_words.len() > 1 && rng.gen_bool(0.15) {
        changes.push("all given names");
        p.given.clone()
    } else {
        first.to_string()
    };
    let roll: f64 = rng.gen();
    if roll < 0.35 {
        if let Some(v) = known_variant(rng, first) {
            given = v;
            changes.push("short form or spelling (known)");
        } else if let Some(v) = unknown_variant(first) {
            given = v.to_string();
            changes.push("short form (unknown to scorer)");
        }
    } else if roll < 0.45 && first.chars().count() >= 4 {
        given = typo(rng, first);
        changes.push("given-name typo");
    }

    let mut family = p.family.clone();
    let roll: f64 = rng.gen();
    if roll < 0.30 && family.chars().count() >= 4 {
        family = typo(rng, &family);
        changes.push("surname typo");
    } else if roll < 0.42 {
        if let Some(v) = surname_variant(rng, &family) {
            family = v;
            changes.push("surname transliteration");
        } else if let Some(male) = masculine(&family) {
            family = male;
            changes.push("surname gender form");
        }
    } else if roll < 0.50 {
        if let Some(prev) = &p.previous_family {
            family = prev.clone();
            changes.push("previous surname");
        }
    }

    let roll: f64 = rng.gen();
    let name = if roll < 0.08 {
        changes.push("surname only");
        family
    } else if roll < 0.13 && given.chars().count() > 3 {
        changes.push("first name abbreviated");
        format!("{} {family}", given.chars().take(3).collect::<String>())
    } else if roll < 0.18 {
        changes.push("surname first");
        format!("{family} {given}")
    } else {
        format!("{given} {family}")
    };
    let name = if rng.gen_bool(0.2) {
        name.to_lowercase()
    } else {
        name
    };

    let roll: f64 = rng.gen();
    let dob = if roll < 0.10 {
        changes.push("no date of birth");
        None
    } else if roll < 0.25 {
        match swapped(p.dob) {
            Some(d) => {
                changes.push("day and month swapped");
                Some(d)
            }
            None => {
                changes.push("dob digit wrong");
                Some(one_digit(rng, p.dob))
            }
        }
    } else if roll < 0.40 {
        changes.push("dob digit wrong");
        Some(one_digit(rng, p.dob))
    } else {
        Some(p.dob)
    };

    let household = &pop.households[p.household];
    let postcode = if rng.gen_bool(0.35) {
        let pc = match &household.previous {
            Some((_, old)) if rng.gen_bool(0.1) => {
                changes.push("previous postcode");
                &pop.postcodes[*old]
            }
            _ => &pop.postcodes[household.postcode],
        };
        match rng.gen_range(0..3) {
            0 => pc.clone(),
            1 => pc.to_lowercase(),
            _ => pc.replace(' ', ""),
        }
    } else {
        String::new()
    };
    if changes.is_empty() {
        changes.push("typed exactly");
    }
    Labelled {
        truth: p.id,
        name,
        dob: dob
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default(),
        postcode,
        changes,
    }
}

fn title(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Another name the scorer groups with this one (Bill for William, Muhammad for Mohammed).
fn known_variant(rng: &mut StdRng, given: &str) -> Option<String> {
    let n = normalise(given);
    let canon = canonical_given(&n);
    let others: Vec<&str> = KNOWN_VARIANTS
        .iter()
        .copied()
        .filter(|v| *v != n && canonical_given(v) == canon)
        .collect();
    others.choose(rng).map(|v| title(v))
}

fn unknown_variant(given: &str) -> Option<&'static str> {
    let n = normalise(given);
    UNKNOWN_VARIANTS
        .iter()
        .find(|(full, _)| normalise(full) == n)
        .map(|(_, short)| *short)
}

fn surname_variant(rng: &mut StdRng, family: &str) -> Option<String> {
    let group = SURNAME_VARIANTS.iter().find(|g| g.contains(&family))?;
    group
        .iter()
        .filter(|v| **v != family)
        .copied()
        .collect::<Vec<_>>()
        .choose(rng)
        .map(|v| v.to_string())
}

/// Kowalska typed as Kowalski: the family's name in the other form.
fn masculine(family: &str) -> Option<String> {
    for (f, m) in [("ska", "ski"), ("cka", "cki"), ("dzka", "dzki")] {
        if let Some(stem) = family.strip_suffix(f) {
            return Some(format!("{stem}{m}"));
        }
    }
    None
}

const KEYBOARD: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

/// A key next to this one, as a finger slips.
fn neighbour(rng: &mut StdRng, c: char) -> char {
    let lower = c.to_ascii_lowercase();
    for row in KEYBOARD {
        if let Some(i) = row.find(lower) {
            let keys: Vec<char> = row.chars().collect();
            let left = i.checked_sub(1).map(|j| keys[j]);
            let right = keys.get(i + 1).copied();
            let pick = match (left, right) {
                (Some(l), Some(r)) => {
                    if rng.gen_bool(0.5) {
                        l
                    } else {
                        r
                    }
                }
                (Some(l), None) => l,
                (None, Some(r)) => r,
                (None, None) => lower,
            };
            return if c.is_uppercase() {
                pick.to_ascii_uppercase()
            } else {
                pick
            };
        }
    }
    'e'
}

/// One slip: a neighbouring key, a dropped letter, a doubled letter or two letters swapped.
/// Mostly after the first letter, which people rarely get wrong.
pub fn typo(rng: &mut StdRng, word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 2 {
        return word.to_string();
    }
    let from = if rng.gen_bool(0.9) { 1 } else { 0 };
    let i = rng.gen_range(from..chars.len());
    match rng.gen_range(0..4) {
        0 => chars[i] = neighbour(rng, chars[i]),
        1 if chars.len() > 3 => {
            chars.remove(i);
        }
        2 => chars.insert(i, chars[i].to_ascii_lowercase()),
        _ if i + 1 < chars.len() && chars[i] != chars[i + 1] => chars.swap(i, i + 1),
        _ => chars[i] = neighbour(rng, chars[i]),
    }
    let out: String = chars.into_iter().collect();
    if out == word {
        format!("{word}e")
    } else {
        out
    }
}

fn swapped(d: NaiveDate) -> Option<NaiveDate> {
    (d.day() != d.month())
        .then(|| NaiveDate::from_ymd_opt(d.year(), d.day(), d.month()))
        .flatten()
}

/// One digit of the day, month or last two of the year typed wrong, still a real date.
fn one_digit(rng: &mut StdRng, d: NaiveDate) -> NaiveDate {
    let text = d.format("%Y%m%d").to_string();
    for _ in 0..50 {
        let mut b = text.clone().into_bytes();
        let i = *[2usize, 3, 4, 5, 6, 7].choose(rng).unwrap_or(&7);
        let digit = b'0' + rng.gen_range(0..10u8);
        if digit == b[i] {
            continue;
        }
        b[i] = digit;
        let Ok(s) = String::from_utf8(b) else {
            continue;
        };
        if let Ok(nd) = NaiveDate::parse_from_str(&s, "%Y%m%d") {
            if nd <= hearth_synthetic::population::reference_date() {
                return nd;
            }
        }
    }
    d.succ_opt().unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_synthetic::population::generate;

    #[test]
    fn queries_are_deterministic_and_perturbed() {
        let pop = generate(5_000, 3).expect("generate");
        let a = labelled(&pop, 300, 3);
        let b = labelled(&pop, 300, 3);
        assert_eq!(a.len(), 300);
        assert!(a
            .iter()
            .zip(&b)
            .all(|(x, y)| x.name == y.name && x.truth == y.truth));
        let exact = a.iter().filter(|q| q.changes == ["typed exactly"]).count();
        assert!(exact < 150, "{exact}");
        assert!(a
            .iter()
            .any(|q| q.changes.contains(&"short form or spelling (known)")));
    }

    #[test]
    fn a_typo_changes_one_thing() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..100 {
            let t = typo(&mut rng, "Kowalski");
            assert_ne!(t, "Kowalski");
            assert!((7..=9).contains(&t.chars().count()), "{t}");
        }
    }
}
