//! Why a pair scored as it did: the weight each field contributed and a sentence a
//! practitioner can read ("same date of birth, surname similar (Jaro–Winkler 0.94), same
//! postcode district").

use crate::cluster::compatible;
use crate::compare::{compare, Field, FIELDS, JW_CLOSE};
use crate::dob::{self, Dob, DobAgreement};
use crate::intern::NONE;
use crate::jaro::jaro_winkler;
use crate::model::probability;
use crate::record::Prepared;
use crate::score::Scorer;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldWeight {
    pub field: Field,
    pub level: &'static str,
    pub weight: f64,
    /// The phrase for this field; empty when the field is missing on either side.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub match_weight: f64,
    pub probability: f64,
    pub prior_weight: f64,
    pub fields: Vec<FieldWeight>,
    /// Reasons the two records cannot be one person, whatever the score says.
    pub conflicts: Vec<String>,
    pub text: String,
}

/// Explains the pair `a`, `b` under `scorer`.
pub fn explain(scorer: &Scorer, a: &Prepared, b: &Prepared) -> Explanation {
    let levels = compare(a, b);
    let weights = scorer.field_weights(a, &levels);
    let household = scorer.is_household_pair(&levels);
    let mut fields = Vec::with_capacity(FIELDS.len());
    let mut total = scorer.prior_weight();
    for field in FIELDS {
        let level = levels[field.index()];
        let weight = weights[field.index()];
        total += weight;
        let mut reason = if household {
            household_phrase(field, &levels).unwrap_or_else(|| phrase(field, level, a, b))
        } else {
            phrase(field, level, a, b)
        };
        if level == Field::EXACT && !household && !reason.is_empty() {
            let base = scorer.base_weight(field, level);
            // Say when the value's frequency moved the weight noticeably.
            if weight < base - 1.0 {
                reason.push_str(" (a common value)");
            } else if weight > base + 1.0 {
                reason.push_str(" (an uncommon value)");
            }
        }
        fields.push(FieldWeight {
            field,
            level: field.levels()[level as usize],
            weight,
            reason,
        });
    }
    let mut conflicts = Vec::new();
    if a.generation.conflicts_with(b.generation) {
        conflicts.push(format!(
            "generation markers differ ({} and {})",
            a.generation.label(),
            b.generation.label()
        ));
    } else if !compatible(a, b) {
        conflicts.push(format!(
            "dates of birth too far apart to be one person ({} and {})",
            a.dob, b.dob
        ));
    }
    let mut ordered: Vec<&FieldWeight> = fields.iter().filter(|f| !f.reason.is_empty()).collect();
    // Strongest evidence first, for or against.
    ordered.sort_by(|x, y| y.weight.total_cmp(&x.weight));
    let mut parts: Vec<String> = ordered.iter().map(|f| f.reason.clone()).collect();
    parts.extend(conflicts.iter().cloned());
    Explanation {
        match_weight: total,
        probability: probability(total),
        prior_weight: scorer.prior_weight(),
        fields,
        conflicts,
        text: parts.join(", "),
    }
}

/// For a household pair the surname, postcode and address are weighed together, so they are
/// described together on the surname and not again.
fn household_phrase(field: Field, levels: &crate::compare::Levels) -> Option<String> {
    let postcode = levels[Field::Postcode.index()] == 1;
    let address = matches!(levels[Field::Address.index()], 1 | 2);
    match field {
        Field::Surname => {
            let place = match (postcode, address) {
                (true, true) => "postcode and address",
                (true, false) => "postcode",
                _ => "address",
            };
            Some(format!(
                "same family name at the same {place} (weighed once: family members share these)"
            ))
        }
        Field::Postcode if postcode => Some(String::new()),
        Field::Address if address => Some(String::new()),
        Field::Locality if levels[Field::Locality.index()] == Field::EXACT => Some(String::new()),
        _ => None,
    }
}

fn jw(a: &[u8], b: &[u8]) -> String {
    format!("Jaro–Winkler {:.2}", jaro_winkler(a, b))
}

fn phrase(field: Field, level: u8, a: &Prepared, b: &Prepared) -> String {
    let (fa, fb) = (a.first.text.as_str(), b.first.text.as_str());
    let (sa, sb) = (a.surname.text.as_str(), b.surname.text.as_str());
    match (field, level) {
        (_, 0) => String::new(),
        (Field::FirstName, 1) => "same first name".into(),
        (Field::FirstName, 2) => format!("first names are variants of one name ({fa} / {fb})"),
        (Field::FirstName, 3) | (Field::Surname, 4) => {
            if field == Field::FirstName {
                "first name and surname swapped".into()
            } else {
                String::new()
            }
        }
        (Field::FirstName, 4) | (Field::FirstName, 5) => format!(
            "first name {} ({})",
            if level == 4 {
                "similar"
            } else {
                "somewhat similar"
            },
            jw(a.first.text.as_bytes(), b.first.text.as_bytes())
        ),
        (Field::FirstName, 6) => format!("first name matches an initial ({fa} / {fb})"),
        (Field::FirstName, _) => format!("different first names ({fa} / {fb})"),
        (Field::Surname, 1) => "same surname".into(),
        (Field::Surname, 2) => format!("surnames are spellings of one name ({sa} / {sb})"),
        (Field::Surname, 3) => format!("part of a double-barrelled surname agrees ({sa} / {sb})"),
        (Field::Surname, 5) | (Field::Surname, 6) => {
            let s = jaro_winkler(a.surname.text.as_bytes(), b.surname.text.as_bytes());
            format!(
                "surname {} (Jaro–Winkler {s:.2})",
                if s >= JW_CLOSE {
                    "similar"
                } else {
                    "somewhat similar"
                }
            )
        }
        (Field::Surname, _) => format!("different surnames ({sa} / {sb})"),
        (Field::Dob, 1) => "same date of birth".into(),
        (Field::Dob, _) => dob_phrase(dob_words(dob::compare(a.dob, b.dob)), a.dob, b.dob),
        (Field::Postcode, 1) => "same postcode".into(),
        (Field::Postcode, 2) => "same postcode sector".into(),
        (Field::Postcode, 3) => {
            if a.postcode.area == NONE || b.postcode.area == NONE {
                "postcodes differ by one typing mistake".into()
            } else {
                "same postcode district".into()
            }
        }
        (Field::Postcode, 4) => "same postcode area".into(),
        (Field::Postcode, _) => "different postcodes".into(),
        (Field::Address, 1) => "same address".into(),
        (Field::Address, 2) => "same house number and street".into(),
        (Field::Address, 3) => "address mostly agrees".into(),
        (Field::Address, 4) => format!(
            "address spelled alike ({})",
            jw(a.address.text.as_bytes(), b.address.text.as_bytes())
        ),
        (Field::Address, 5) => "addresses share a word".into(),
        (Field::Address, _) => "different addresses".into(),
        (Field::Locality, 1) => "same town or suburb".into(),
        (Field::Locality, 2) | (Field::Locality, 3) => format!(
            "town or suburb spelled alike ({} / {}, {})",
            a.locality.text.as_str(),
            b.locality.text.as_str(),
            jw(a.locality.text.as_bytes(), b.locality.text.as_bytes())
        ),
        (Field::Locality, _) => format!(
            "different towns or suburbs ({} / {})",
            a.locality.text.as_str(),
            b.locality.text.as_str()
        ),
    }
}

/// How two dates of birth agree, in words (find-before-create uses these too).
pub fn dob_words(agreement: DobAgreement) -> &'static str {
    match agreement {
        DobAgreement::Missing => "",
        DobAgreement::Exact => "same date of birth",
        DobAgreement::DayMonthSwapped => "date of birth has day and month swapped",
        DobAgreement::OneTypo => "date of birth differs by one typing mistake",
        DobAgreement::PartialAgrees => "date of birth agrees as far as both are known",
        DobAgreement::SameYear => "same year of birth only",
        DobAgreement::Differs => "different dates of birth",
    }
}

fn dob_phrase(what: &str, a: Dob, b: Dob) -> String {
    format!("{what} ({a} / {b})")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intern::Interner;
    use crate::model::Model;
    use crate::record::{Normalised, PersonRecord};

    fn pair(a: [&str; 5], b: [&str; 5]) -> (Vec<Prepared>, usize) {
        let mut ids = Interner::default();
        let v = [a, b]
            .iter()
            .map(|r| {
                Normalised::of(&PersonRecord {
                    id: String::new(),
                    first_name: r[0].into(),
                    surname: r[1].into(),
                    dob: r[2].into(),
                    postcode: r[3].into(),
                    address: r[4].into(),
                    locality: String::new(),
                })
                .intern(&mut ids)
            })
            .collect();
        (v, ids.len())
    }

    #[test]
    fn explains_in_words_with_weights() {
        let (r, n) = pair(
            ["Bill", "Thompson", "1980-05-06", "NG7 2RD", "14 High St"],
            ["William", "Thomson", "1980-05-06", "NG7 1AB", ""],
        );
        let scorer = Scorer::new(&Model::untrained(), &r, n);
        let e = explain(&scorer, &r[0], &r[1]);
        assert!(e.text.contains("same date of birth"), "{}", e.text);
        assert!(
            e.text
                .contains("first names are variants of one name (bill / william)"),
            "{}",
            e.text
        );
        assert!(e.text.contains("same postcode district"), "{}", e.text);
        assert!(
            !e.text.contains("address"),
            "missing address is not mentioned: {}",
            e.text
        );
        assert!(
            e.text.starts_with("same date of birth"),
            "strongest first: {}",
            e.text
        );
        let sum: f64 = e.prior_weight + e.fields.iter().map(|f| f.weight).sum::<f64>();
        assert!((sum - e.match_weight).abs() < 1e-9);
        let (w, _) = scorer.score(&r[0], &r[1]);
        assert!((w - e.match_weight).abs() < 1e-9);
        assert_eq!(e.fields[4].level, "missing");
        assert_eq!(e.fields[4].weight, 0.0);
    }

    #[test]
    fn names_a_jaro_winkler_similarity() {
        let (r, n) = pair(
            ["Ann", "Thompsen", "", "", ""],
            ["Ann", "Thomasen", "", "", ""],
        );
        let scorer = Scorer::new(&Model::untrained(), &r, n);
        let e = explain(&scorer, &r[0], &r[1]);
        assert!(
            e.text.contains("surname similar (Jaro–Winkler 0.9"),
            "{}",
            e.text
        );
    }

    #[test]
    fn reports_conflicts() {
        let (r, n) = pair(
            ["John", "Smith Jr", "", "", ""],
            ["John", "Smith Sr", "", "", ""],
        );
        let scorer = Scorer::new(&Model::untrained(), &r, n);
        let e = explain(&scorer, &r[0], &r[1]);
        assert_eq!(
            e.conflicts,
            vec!["generation markers differ (Jr and Sr)".to_string()]
        );
        let (r, n) = pair(
            ["John", "Smith", "1970-01-01", "", ""],
            ["John", "Smith", "1999-01-01", "", ""],
        );
        let scorer = Scorer::new(&Model::untrained(), &r, n);
        let e = explain(&scorer, &r[0], &r[1]);
        assert!(
            e.text
                .contains("different dates of birth (1970-01-01 / 1999-01-01)"),
            "{}",
            e.text
        );
        assert!(e.conflicts[0].contains("too far apart"));
    }

    #[test]
    fn names_the_town_or_suburb() {
        let mut ids = Interner::default();
        let r: Vec<Prepared> = ["Mount Helen", "Mount Hellen", "Hackham"]
            .iter()
            .map(|town| {
                Normalised::of(&PersonRecord {
                    first_name: "Alicia".into(),
                    locality: town.to_string(),
                    ..PersonRecord::default()
                })
                .intern(&mut ids)
            })
            .collect();
        let scorer = Scorer::new(&Model::untrained(), &r, ids.len());
        let e = explain(&scorer, &r[0], &r[0]);
        assert!(e.text.contains("same town or suburb"), "{}", e.text);
        let e = explain(&scorer, &r[0], &r[1]);
        assert!(
            e.text.contains(
                "town or suburb spelled alike (mount helen / mount hellen, Jaro–Winkler 0.98)"
            ),
            "{}",
            e.text
        );
        let e = explain(&scorer, &r[0], &r[2]);
        assert!(
            e.text
                .contains("different towns or suburbs (mount helen / hackham)"),
            "{}",
            e.text
        );
    }
}
