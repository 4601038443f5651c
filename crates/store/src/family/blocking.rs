//! Blocking: which people of the register a search scores at all. The rules are typed
//! ([`Rule`], [`Ask`]) and read two ways: as SQL, one search at a time
//! ([`super::people::candidates`]), and against the register held in memory for a partner's
//! whole file ([`crate::identification::register`]). One list of rules, so the two cannot
//! drift apart.

use chrono::{Datelike, NaiveDate};

/// One reading of the names typed, as blocking keys: the Soundex of a surname and of one
/// given name, and the first two letters of each. A search reads its words both ways round
/// and each given name separately, so a middle name typed first still finds the person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameKeys {
    pub family_key: String,
    pub given_key: String,
    pub family_start: String,
    pub given_start: String,
    /// A one-word surname as typed (lower case), which may be a later part of a held surname
    /// of several words (Okoro for Brennan-Okoro).
    pub family_part: String,
}

/// The beginning of a name as typed (lower case), for names typed in part: a given name, a
/// surname or both must start with these. An empty part is not constrained.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamePrefix {
    pub given: String,
    pub family: String,
}

/// What narrows the people considered: any that share one of these keys. Each name rule is
/// conjunctive (surname *and* first-name sound, or a sound and the other name's first
/// letters) so that a common surname in a city-sized register brings tens of candidates,
/// not thousands; a surname alone is a broad rule with a small cap.
#[derive(Debug, Clone, Default)]
pub struct Blocking {
    pub names: Vec<NameKeys>,
    pub prefixes: Vec<NamePrefix>,
    pub dobs: Vec<NaiveDate>,
    pub postcode_key: Option<String>,
    pub nhs_number: Option<String>,
    pub upn: Option<String>,
}

/// Rows one keyed rule may bring (a name sound, a date of birth, a postcode).
const KEYED_LIMIT: i64 = 200;
/// Rows a broad rule may bring (a surname alone, the start of a word): beyond this the
/// practitioner needs to type more, and the page says so by showing only close matches.
const BROAD_LIMIT: i64 = 30;
/// Rows a name sound with the other name's first letters may bring.
const START_LIMIT: i64 = 100;

/// What one rule asks of a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ask {
    /// The surname's and a given name's sounds.
    Sounds {
        family: String,
        given: String,
    },
    /// The surname's sound alone.
    FamilySound(String),
    /// The surname's sound, the given names beginning with these letters.
    FamilySoundGivenStart {
        family: String,
        given_start: String,
    },
    /// A given name's sound, a later word of the surname beginning with `part`.
    GivenSoundFamilyPart {
        given: String,
        part: String,
    },
    /// A given name's sound, the surname beginning with these letters.
    GivenSoundFamilyStart {
        given: String,
        family_start: String,
    },
    /// The names beginning with these.
    Starts(NamePrefix),
    Dob(NaiveDate),
    /// A compact postcode, of any address held, now or before.
    Postcode(String),
    NhsNumber(String),
    Upn(String),
}

/// One blocking rule: what it asks, of which names, and how many rows the SQL may bring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rule {
    pub(crate) ask: Ask,
    /// Asked of the other names a person has been known by rather than their current name.
    pub(crate) other_names: bool,
    /// Only people whose date of birth is near one typed ([`near_dob`]), or not recorded.
    pub(crate) near_dob: bool,
    pub(crate) limit: i64,
}

/// With a date of birth typed, name rules keep people whose date agrees in at least two of
/// year, month and day with one of the dates typed (one mistyped digit changes only one), or
/// who have no date recorded: among the hundreds of Mohammed Khans and Olivia Smiths of a city,
/// these are the ones worth scoring. [`dob_condition`] is the same rule in SQL.
pub(crate) fn near_dob(dobs: &[NaiveDate], held: Option<NaiveDate>) -> bool {
    let Some(h) = held else { return true };
    dobs.is_empty()
        || dobs.iter().any(|d| {
            let agree = [
                d.year() == h.year(),
                d.month() == h.month(),
                d.day() == h.day(),
            ];
            agree.iter().filter(|a| **a).count() >= 2
        })
}

/// [`near_dob`] as a condition on `people.dob` (stored as `YYYY-MM-DD`), with its binds.
fn dob_condition(dobs: &[NaiveDate]) -> (String, Vec<String>) {
    if dobs.is_empty() {
        return (String::new(), Vec::new());
    }
    let mut parts = vec!["dob IS NULL".to_string()];
    let mut binds = Vec::new();
    for d in dobs {
        let text = d.to_string();
        let (y, m, day) = (
            text[0..4].to_string(),
            text[5..7].to_string(),
            text[8..10].to_string(),
        );
        parts.push("(substr(dob, 1, 4) = ? AND substr(dob, 6, 2) = ?)".into());
        parts.push("(substr(dob, 1, 4) = ? AND substr(dob, 9, 2) = ?)".into());
        parts.push("(substr(dob, 6, 2) = ? AND substr(dob, 9, 2) = ?)".into());
        binds.extend([y.clone(), m.clone(), y, day.clone(), m, day]);
    }
    (format!(" AND ({})", parts.join(" OR ")), binds)
}

/// The rules a search's keys make.
pub(crate) fn rules(b: &Blocking) -> Vec<Rule> {
    let mut rules = Vec::new();
    let near = !b.dobs.is_empty();
    let mut add = |ask: Ask, other_names: bool, near_dob: bool, limit: i64| {
        rules.push(Rule {
            ask,
            other_names,
            near_dob,
            limit,
        })
    };
    for n in &b.names {
        let (fk, gk) = (n.family_key.clone(), n.given_key.clone());
        match (fk.is_empty(), gk.is_empty()) {
            (false, false) => {
                let sounds = Ask::Sounds {
                    family: fk.clone(),
                    given: gk.clone(),
                };
                add(sounds.clone(), false, near, KEYED_LIMIT);
                add(sounds, true, false, KEYED_LIMIT);
            }
            (false, true) => {
                add(Ask::FamilySound(fk.clone()), false, false, BROAD_LIMIT);
                add(Ask::FamilySound(fk.clone()), true, false, BROAD_LIMIT);
            }
            _ => {}
        }
        // A slip that changes one name's Soundex (Hughes typed Hughws), or a short form the
        // scorer does not know (Leo for Leon): the other name's sound and the first letters.
        if !fk.is_empty() && !n.given_start.is_empty() {
            let ask = Ask::FamilySoundGivenStart {
                family: fk,
                given_start: n.given_start.clone(),
            };
            add(ask, false, near, START_LIMIT);
        }
        if !gk.is_empty() && !n.family_part.is_empty() {
            let ask = Ask::GivenSoundFamilyPart {
                given: gk.clone(),
                part: n.family_part.clone(),
            };
            add(ask, false, near, START_LIMIT);
        }
        if !gk.is_empty() && !n.family_start.is_empty() {
            let ask = Ask::GivenSoundFamilyStart {
                given: gk,
                family_start: n.family_start.clone(),
            };
            add(ask, false, near, START_LIMIT);
        }
    }
    for p in &b.prefixes {
        let limit = match (p.given.is_empty(), p.family.is_empty()) {
            (true, true) => continue,
            (false, false) => KEYED_LIMIT,
            _ => BROAD_LIMIT,
        };
        add(Ask::Starts(p.clone()), false, false, limit);
    }
    for d in &b.dobs {
        add(Ask::Dob(*d), false, false, KEYED_LIMIT);
    }
    if let Some(p) = &b.postcode_key {
        add(Ask::Postcode(p.clone()), false, false, KEYED_LIMIT);
    }
    if let Some(n) = &b.nhs_number {
        add(Ask::NhsNumber(n.clone()), false, false, KEYED_LIMIT);
    }
    if let Some(u) = &b.upn {
        add(Ask::Upn(u.clone()), false, false, KEYED_LIMIT);
    }
    rules
}

impl Rule {
    /// The rule as a query for ids, with `?` for each bind, in order.
    pub(crate) fn sql(&self, dobs: &[NaiveDate]) -> (String, Vec<String>) {
        let upper = |p: &str| format!("{p}\u{10FFFF}");
        let people = |condition: &str| format!("SELECT id FROM people WHERE {condition}");
        let (sql, mut binds) = match (&self.ask, self.other_names) {
            (Ask::Sounds { family, given }, true) => (
                "SELECT person_id AS id FROM person_names WHERE family_key = ? AND given_key = ?"
                    .to_string(),
                vec![family.clone(), given.clone()],
            ),
            (Ask::FamilySound(family), true) => (
                "SELECT person_id AS id FROM person_names WHERE family_key = ?".to_string(),
                vec![family.clone()],
            ),
            (Ask::Sounds { family, given }, false) => (
                people("family_key = ? AND given_key = ? AND merged_into IS NULL"),
                vec![family.clone(), given.clone()],
            ),
            (Ask::FamilySound(family), false) => (
                people("family_key = ? AND merged_into IS NULL"),
                vec![family.clone()],
            ),
            (
                Ask::FamilySoundGivenStart {
                    family,
                    given_start,
                },
                _,
            ) => (
                people(
                    "family_key = ? AND given_lower >= ? AND given_lower < ? AND merged_into IS NULL",
                ),
                vec![family.clone(), given_start.clone(), upper(given_start)],
            ),
            (Ask::GivenSoundFamilyPart { given, part }, _) => (
                people("given_key = ? AND family_lower LIKE ? AND merged_into IS NULL"),
                vec![given.clone(), format!("% {part}%")],
            ),
            (
                Ask::GivenSoundFamilyStart {
                    given,
                    family_start,
                },
                _,
            ) => (
                people(
                    "given_key = ? AND family_lower >= ? AND family_lower < ? AND merged_into IS NULL",
                ),
                vec![given.clone(), family_start.clone(), upper(family_start)],
            ),
            (Ask::Starts(p), _) => {
                let family = "family_lower >= ? AND family_lower < ?";
                let given = "given_lower >= ? AND given_lower < ?";
                match (p.given.is_empty(), p.family.is_empty()) {
                    (true, _) => (
                        people(&format!("{family} AND merged_into IS NULL")),
                        vec![p.family.clone(), upper(&p.family)],
                    ),
                    (false, true) => (
                        people(&format!("{given} AND merged_into IS NULL")),
                        vec![p.given.clone(), upper(&p.given)],
                    ),
                    (false, false) => (
                        people(&format!("{family} AND {given} AND merged_into IS NULL")),
                        vec![
                            p.family.clone(),
                            upper(&p.family),
                            p.given.clone(),
                            upper(&p.given),
                        ],
                    ),
                }
            }
            (Ask::Dob(d), _) => (
                people("dob = ? AND merged_into IS NULL"),
                vec![d.to_string()],
            ),
            (Ask::Postcode(p), _) => (
                "SELECT person_id AS id FROM addresses WHERE postcode_key = ?".to_string(),
                vec![p.clone()],
            ),
            (Ask::NhsNumber(n), _) => (people("nhs_number = ?"), vec![n.clone()]),
            (Ask::Upn(u), _) => (people("upn = ?"), vec![u.clone()]),
        };
        if !self.near_dob {
            return (sql, binds);
        }
        let (near, near_binds) = dob_condition(dobs);
        binds.extend(near_binds);
        (format!("{sql}{near}"), binds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn a_date_is_near_when_two_of_its_three_parts_agree() {
        let typed = [date("2012-03-04")];
        let cases = [
            ("2012-03-04", true),
            ("2012-03-09", true),
            ("2012-07-04", true),
            ("2019-03-04", true),
            ("2012-04-03", false),
            ("2011-04-04", false),
        ];
        for (held, want) in cases {
            assert_eq!(near_dob(&typed, Some(date(held))), want, "{held}");
        }
        assert!(near_dob(&typed, None), "no date held is never ruled out");
        assert!(near_dob(&[], Some(date("1990-01-01"))), "no date typed");
    }

    #[test]
    fn name_rules_are_narrowed_by_a_date_typed_and_other_names_are_not() {
        let b = Blocking {
            names: vec![NameKeys {
                family_key: "S530".into(),
                given_key: "O416".into(),
                family_start: "sm".into(),
                given_start: "ol".into(),
                family_part: "smith".into(),
            }],
            dobs: vec![date("2012-03-04")],
            postcode_key: Some("NG71AA".into()),
            ..Blocking::default()
        };
        let rules = rules(&b);
        let narrowed: Vec<bool> = rules.iter().map(|r| r.near_dob).collect();
        // Sounds (current, other), sound and given start, part, family start, dob, postcode.
        assert_eq!(
            narrowed,
            vec![true, false, true, true, true, false, false],
            "{rules:?}"
        );
        let (sql, binds) = rules[0].sql(&b.dobs);
        assert_eq!(sql.matches('?').count(), binds.len(), "{sql}");
        assert!(sql.contains("dob IS NULL"), "{sql}");
        let (sql, binds) = rules[1].sql(&b.dobs);
        assert!(sql.starts_with("SELECT person_id AS id FROM person_names"));
        assert_eq!(binds, vec!["S530".to_string(), "O416".to_string()]);
    }
}
