//! The comparators: for each field, how closely two prepared records agree, as a comparison
//! level. Level 0 always means "missing on one side" and carries no weight; the other levels
//! run from the strongest agreement to "different".

use crate::dob::{self, DobAgreement};
use crate::intern::{same, NONE};
use crate::jaro::{jaro_winkler, jaro_winkler_bound};
use crate::record::Prepared;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    FirstName,
    Surname,
    Dob,
    Postcode,
    Address,
    Locality,
}

pub const FIELD_COUNT: usize = 6;
pub const FIELDS: [Field; FIELD_COUNT] = [
    Field::FirstName,
    Field::Surname,
    Field::Dob,
    Field::Postcode,
    Field::Address,
    Field::Locality,
];

/// Every field has at most this many levels, level 0 included, so a comparison vector packs
/// into 3 bits a field.
pub const MAX_LEVELS: usize = 8;

/// One comparison vector: the level each field reached.
pub type Levels = [u8; FIELD_COUNT];

/// Jaro–Winkler thresholds for the two "similar spelling" levels of names.
pub const JW_CLOSE: f64 = 0.92;
pub const JW_LOOSE: f64 = 0.80;

impl Field {
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Field::FirstName => "first_name",
            Field::Surname => "surname",
            Field::Dob => "dob",
            Field::Postcode => "postcode",
            Field::Address => "address",
            Field::Locality => "locality",
        }
    }

    /// Short labels of the levels, level 0 ("missing") first. They name the levels in the
    /// model file.
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Field::FirstName => &[
                "missing",
                "exact",
                "nickname_or_variant",
                "swapped_with_surname",
                "jaro_winkler_0.92",
                "jaro_winkler_0.80",
                "initial",
                "different",
            ],
            Field::Surname => &[
                "missing",
                "exact",
                "transliteration",
                "double_barrelled_part",
                "swapped_with_first_name",
                "jaro_winkler_0.92",
                "jaro_winkler_0.80",
                "different",
            ],
            Field::Dob => &[
                "missing",
                "exact",
                "day_month_swapped",
                "one_typo",
                "partial_agrees",
                "same_year",
                "different",
            ],
            Field::Postcode => &["missing", "unit", "sector", "district", "area", "different"],
            Field::Address => &[
                "missing",
                "exact",
                "number_and_most_words",
                "most_words",
                "similar_text",
                "some_word",
                "different",
            ],
            Field::Locality => &[
                "missing",
                "exact",
                "jaro_winkler_0.92",
                "jaro_winkler_0.80",
                "different",
            ],
        }
    }

    /// The level that means plain exact agreement: where term-frequency adjustment applies.
    pub const EXACT: u8 = 1;
}

/// Whether a pair looks like two records from one household: the same surname (or a
/// spelling of it) at the same postcode or address. Such pairs are scored with the household
/// parameters, because family members agree on all of these without being one person.
#[inline]
pub fn same_household(levels: &Levels) -> bool {
    let surname = levels[Field::Surname.index()];
    let postcode = levels[Field::Postcode.index()];
    let address = levels[Field::Address.index()];
    (surname == 1 || surname == 2) && (postcode == 1 || address == 1 || address == 2)
}

/// First name and surname written the other way round: one fact, which both name fields
/// report (first name level 3, surname level 4). Scoring weighs it once, on the first name.
#[inline]
pub fn names_swapped(levels: &Levels) -> bool {
    levels[Field::FirstName.index()] == 3 && levels[Field::Surname.index()] == 4
}

/// Compares two records on every field.
#[inline]
pub fn compare(a: &Prepared, b: &Prepared) -> Levels {
    [
        first_name(a, b),
        surname(a, b),
        dob_level(a, b),
        postcode(a, b),
        address(a, b),
        locality(a, b),
    ]
}

/// First name and surname written the other way round, each spelled the same or alike
/// ("David Sydorenko" / "Sydoernko David").
fn swapped(a: &Prepared, b: &Prepared) -> bool {
    if same(a.first.id, b.surname.id) && same(a.surname.id, b.first.id) {
        return true;
    }
    // Nearly every pair has different names: a typo seldom reaches the first letter of both,
    // so pairs whose crossed names start with different letters are not spelled out.
    let initial = |x: &crate::record::Name, y: &crate::record::Name| {
        x.text.as_bytes().first() == y.text.as_bytes().first()
    };
    if !initial(&a.first, &b.surname) && !initial(&a.surname, &b.first) {
        return false;
    }
    alike(&a.first, &b.surname) && alike(&a.surname, &b.first)
}

/// Two names the same or spelled alike (Jaro–Winkler at least [`JW_CLOSE`]).
fn alike(x: &crate::record::Name, y: &crate::record::Name) -> bool {
    if x.id == NONE || y.id == NONE {
        return false;
    }
    if same(x.id, y.id) {
        return true;
    }
    let (xt, yt) = (x.text.as_bytes(), y.text.as_bytes());
    jaro_winkler_bound(xt, x.letters, yt, y.letters) >= JW_CLOSE && jaro_winkler(xt, yt) >= JW_CLOSE
}

pub fn first_name(a: &Prepared, b: &Prepared) -> u8 {
    let (x, y) = (&a.first, &b.first);
    if x.id == NONE || y.id == NONE {
        return 0;
    }
    if same(x.id, y.id) {
        return 1;
    }
    if a.first_groups.shares_with(b.first_groups) || same(x.key, y.key) {
        return 2;
    }
    if swapped(a, b) {
        return 3;
    }
    let (xt, yt) = (x.text.as_bytes(), y.text.as_bytes());
    // An initial ("J") against a full name: weaker than a spelling match, better than nothing.
    if (xt.len() == 1 || yt.len() == 1) && xt.first() == yt.first() {
        return 6;
    }
    if jaro_winkler_bound(xt, x.letters, yt, y.letters) < JW_LOOSE {
        return 7;
    }
    let jw = jaro_winkler(xt, yt);
    if jw >= JW_CLOSE {
        4
    } else if jw >= JW_LOOSE {
        5
    } else {
        7
    }
}

pub fn surname(a: &Prepared, b: &Prepared) -> u8 {
    let (x, y) = (&a.surname, &b.surname);
    if x.id == NONE || y.id == NONE {
        return 0;
    }
    if same(x.id, y.id) {
        return 1;
    }
    if same(x.key, y.key) {
        return 2;
    }
    if shares_surname_part(a, b) {
        return 3;
    }
    if swapped(a, b) {
        return 4;
    }
    let (xt, yt) = (x.text.as_bytes(), y.text.as_bytes());
    if jaro_winkler_bound(xt, x.letters, yt, y.letters) < JW_LOOSE {
        return 7;
    }
    let jw = jaro_winkler(xt, yt);
    if jw >= JW_CLOSE {
        5
    } else if jw >= JW_LOOSE {
        6
    } else {
        7
    }
}

/// "Smith-Jones" against "Jones", or "Smith Jones" against "Smith Brown": one part of a
/// double-barrelled surname is the other record's surname or one of its parts.
fn shares_surname_part(a: &Prepared, b: &Prepared) -> bool {
    let pa = [a.surname_parts[0], a.surname_parts[1], a.surname.id];
    let pb = [b.surname_parts[0], b.surname_parts[1], b.surname.id];
    pa.iter().any(|x| pb.iter().any(|y| same(*x, *y)))
}

pub fn dob_level(a: &Prepared, b: &Prepared) -> u8 {
    match dob::compare(a.dob, b.dob) {
        DobAgreement::Missing => 0,
        DobAgreement::Exact => 1,
        DobAgreement::DayMonthSwapped => 2,
        DobAgreement::OneTypo => 3,
        DobAgreement::PartialAgrees => 4,
        DobAgreement::SameYear => 5,
        DobAgreement::Differs => 6,
    }
}

pub fn postcode(a: &Prepared, b: &Prepared) -> u8 {
    let (x, y) = (&a.postcode, &b.postcode);
    if x.unit == NONE || y.unit == NONE {
        return 0;
    }
    if same(x.unit, y.unit) {
        return 1;
    }
    if same(x.sector, y.sector) {
        return 2;
    }
    if same(x.district, y.district) {
        return 3;
    }
    if same(x.area, y.area) {
        return 4;
    }
    // Codes that are not UK-shaped (a typo can break the shape; overseas data has other
    // schemes) count as "near" when they differ in one character only.
    if (x.area == NONE || y.area == NONE) && one_substitution(x.text.as_bytes(), y.text.as_bytes())
    {
        return 3;
    }
    5
}

/// One character replaced, or two neighbours swapped ("2617" / "2167").
fn one_substitution(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diffs: [usize; 3] = {
        let mut d = [usize::MAX; 3];
        let mut n = 0;
        for i in 0..a.len() {
            if a[i] != b[i] {
                if n == 3 {
                    return false;
                }
                d[n] = i;
                n += 1;
            }
        }
        d
    };
    match diffs {
        [_, usize::MAX, _] => diffs[0] != usize::MAX,
        [i, j, usize::MAX] => j == i + 1 && a[i] == b[j] && a[j] == b[i],
        _ => false,
    }
}

pub fn address(a: &Prepared, b: &Prepared) -> u8 {
    let (x, y) = (&a.address, &b.address);
    if x.whole == NONE || y.whole == NONE {
        return 0;
    }
    if same(x.whole, y.whole) {
        return 1;
    }
    let shared = shared_sorted(x.words(), y.words());
    // "Most" is judged against the shorter address, so a record that leaves off the town
    // still agrees with one that has it.
    let most = shared > 0 && shared * 2 > x.word_count.min(y.word_count) as usize;
    if most && same(x.number, y.number) {
        return 2;
    }
    if most {
        return 3;
    }
    // Words broken or joined by a typo ("s treet", "northryyde") defeat word matching; the
    // letters still agree. Only checked at the same house number (or, with a shared word,
    // where one is missing): spelling similarity of long strings is too slow to try on
    // every pair sharing a town.
    // The same house number is enough to try when the letters start alike: "fuhrman street"
    // and "fuhrmans treet" share no word.
    let number_fits = same(x.number, y.number) || x.number == NONE || y.number == NONE;
    let (xt, yt) = (x.text.as_bytes(), y.text.as_bytes());
    let starts_alike = xt.first() == yt.first();
    let worth_spelling = (shared > 0 && number_fits) || (same(x.number, y.number) && starts_alike);
    if worth_spelling && jaro_winkler(xt, yt) >= ADDRESS_SIMILAR {
        return 4;
    }
    if shared > 0 {
        return 5;
    }
    6
}

/// The town or suburb: the same letters, or spelled alike (a typo, words run together).
pub fn locality(a: &Prepared, b: &Prepared) -> u8 {
    let (x, y) = (&a.locality, &b.locality);
    if x.id == NONE || y.id == NONE {
        return 0;
    }
    if same(x.id, y.id) {
        return 1;
    }
    let (xt, yt) = (x.text.as_bytes(), y.text.as_bytes());
    if jaro_winkler_bound(xt, x.letters, yt, y.letters) < JW_LOOSE {
        return 4;
    }
    let jw = jaro_winkler(xt, yt);
    if jw >= JW_CLOSE {
        2
    } else if jw >= JW_LOOSE {
        3
    } else {
        4
    }
}

/// Jaro–Winkler on an address's letters at or above which the spelling "agrees".
pub const ADDRESS_SIMILAR: f64 = 0.90;

/// How many ids two sorted id lists share.
fn shared_sorted(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intern::Interner;
    use crate::record::{Normalised, PersonRecord};

    fn prep(ids: &mut Interner, f: &str, s: &str, dob: &str, pc: &str, addr: &str) -> Prepared {
        Normalised::of(&PersonRecord {
            id: "x".into(),
            first_name: f.into(),
            surname: s.into(),
            dob: dob.into(),
            postcode: pc.into(),
            address: addr.into(),
            locality: String::new(),
        })
        .intern(ids)
    }

    fn levels(a: (&str, &str, &str, &str, &str), b: (&str, &str, &str, &str, &str)) -> Levels {
        let mut ids = Interner::default();
        let x = prep(&mut ids, a.0, a.1, a.2, a.3, a.4);
        let y = prep(&mut ids, b.0, b.1, b.2, b.3, b.4);
        compare(&x, &y)
    }

    const BASE: (&str, &str, &str, &str, &str) = (
        "William",
        "Smith",
        "1980-05-06",
        "NG7 2RD",
        "14 High Street, Lenton",
    );

    #[test]
    fn identical_records_agree_exactly_everywhere() {
        assert_eq!(levels(BASE, BASE), [1, 1, 1, 1, 1, 0]);
    }

    #[test]
    fn first_name_levels() {
        let l = |f: &str| levels(BASE, (f, "Smith", "", "", ""))[0];
        assert_eq!(l("bill"), 2, "nickname");
        assert_eq!(l("Wilkiam"), 4, "typo");
        assert_eq!(l("W"), 6, "initial");
        assert_eq!(l("Zara"), 7);
        assert_eq!(l(""), 0);
        let m = levels(
            ("Mohammed", "Khan", "", "", ""),
            ("Muhammad", "Khan", "", "", ""),
        );
        assert_eq!(m[0], 2, "transliteration");
    }

    #[test]
    fn surname_levels() {
        let l = |s: &str| levels(BASE, ("William", s, "", "", ""))[1];
        assert_eq!(l("smith"), 1);
        assert_eq!(l("Smyth"), 2, "same key");
        assert_eq!(l("Smith-Jones"), 3, "double-barrelled");
        assert_eq!(l("Smithers"), 5);
        assert_eq!(l("Brown"), 7);
        let c = levels(
            ("A", "Chaudhry", "", "", ""),
            ("A", "Chowdhury", "", "", ""),
        );
        assert_eq!(c[1], 2);
    }

    #[test]
    fn swapped_names_are_recognised() {
        let l = levels(BASE, ("Smith", "William", "", "", ""));
        assert_eq!((l[0], l[1]), (3, 4));
        let l = levels(
            ("David", "Sydorenko", "", "", ""),
            ("Sydoernko", "David", "", "", ""),
        );
        assert_eq!((l[0], l[1]), (3, 4), "swapped, one of them mistyped");
        let l = levels(
            ("David", "Smith", "", "", ""),
            ("Smith", "Jones", "", "", ""),
        );
        assert_eq!((l[0], l[1]), (7, 7), "only one name crosses over");
    }

    #[test]
    fn dob_levels() {
        let l = |d: &str| levels(BASE, ("William", "Smith", d, "", ""))[2];
        assert_eq!(l("1980-06-05"), 2);
        assert_eq!(l("1980-05-07"), 3);
        assert_eq!(l("1980"), 4);
        assert_eq!(l("1980-11-30"), 5);
        assert_eq!(l("2004-11-30"), 6);
        assert_eq!(l(""), 0);
    }

    #[test]
    fn postcode_levels() {
        let l = |p: &str| levels(BASE, ("William", "Smith", "", p, ""))[3];
        assert_eq!(l("ng72rd"), 1);
        assert_eq!(l("NG7 2AB"), 2);
        assert_eq!(l("NG7 1AB"), 3);
        assert_eq!(l("NG1 1AB"), 4);
        assert_eq!(l("M1 1AE"), 5);
        let l = levels(("a", "b", "", "2615", ""), ("a", "b", "", "2614", ""));
        assert_eq!(l[3], 3, "one character apart, non-UK");
        let l = levels(("a", "b", "", "2617", ""), ("a", "b", "", "2167", ""));
        assert_eq!(l[3], 3, "neighbours swapped, non-UK");
        let l = levels(("a", "b", "", "2617", ""), ("a", "b", "", "7162", ""));
        assert_eq!(l[3], 5);
    }

    #[test]
    fn address_levels() {
        let l = |a: &str| levels(BASE, ("William", "Smith", "", "", a))[4];
        assert_eq!(l("14 High St Lenton"), 1, "street type dropped");
        assert_eq!(l("14 High Street"), 2);
        assert_eq!(l("15 High Street Lenton"), 3);
        assert_eq!(l("14 High Street, Lentonn"), 4, "typo in a word");
        assert_eq!(
            levels(
                (BASE.0, BASE.1, "", "", "12 Fuhrman Street The Manor"),
                (BASE.0, BASE.1, "", "", "12 Fuhrmans Treet The Mano"),
            )[4],
            4,
            "no word in common, same number, letters alike"
        );
        assert_eq!(l("3 Church Lane Lenton"), 5);
        assert_eq!(l("3 Church Lane Radford"), 6);
    }

    #[test]
    fn locality_levels() {
        let l = |x: &str, y: &str| {
            let mut ids = Interner::default();
            let at = |ids: &mut Interner, place: &str| {
                Normalised::of(&PersonRecord {
                    locality: place.into(),
                    ..PersonRecord::default()
                })
                .intern(ids)
            };
            let (a, b) = (at(&mut ids, x), at(&mut ids, y));
            locality(&a, &b)
        };
        assert_eq!(l("North Ryde", "northryde"), 1, "words run together");
        assert_eq!(l("Kambah", "kambha"), 2, "a typo");
        assert_eq!(l("Granville", "Grenvale"), 3, "loosely alike");
        assert_eq!(l("Dapto", "Richlands"), 4);
        assert_eq!(l("", "Dapto"), 0);
    }
}
