//! People as they arrive ([`PersonRecord`]) and as they are compared ([`Prepared`]).
//!
//! Preparing does all the string work once per record (folding, tokenising, nickname and
//! transliteration keys, postcode parts) so that comparing two records touches only integers
//! and short inline byte strings.

use crate::dob::Dob;
use crate::intern::{Ids, NONE};
use crate::nicknames::Groups;
use crate::postcode::{self, UkPostcode};
use crate::text::{self, Generation};
use crate::translit::name_key;
use serde::{Deserialize, Serialize};

/// One person as a source system holds them. Every field is free text; `dob` is
/// YYYY-MM-DD, YYYY-MM, YYYY (or YYYYMMDD, DD/MM/YYYY) or empty. `address` is the house
/// number and street lines; `locality` the town or suburb when the source keeps it apart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub id: String,
    pub first_name: String,
    pub surname: String,
    pub dob: String,
    pub postcode: String,
    pub address: String,
    #[serde(default)]
    pub locality: String,
}

/// A short ASCII string stored inline, for Jaro–Winkler without chasing pointers. Longer
/// values are cut at `N` bytes, which only matters for similarity, never for equality
/// (equality uses interned ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Short<const N: usize> {
    len: u8,
    bytes: [u8; N],
}

impl<const N: usize> Short<N> {
    pub fn new(s: &str) -> Self {
        let mut bytes = [0u8; N];
        let len = s.len().min(N);
        bytes[..len].copy_from_slice(&s.as_bytes()[..len]);
        Short {
            len: len as u8,
            bytes,
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }

    pub fn as_str(&self) -> &str {
        // Only ever built from folded ASCII, cut on a byte boundary of ASCII.
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A name ready to compare: its interned spelling, its transliteration key and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name {
    pub id: u32,
    pub key: u32,
    pub text: Short<24>,
    /// Which letters a-z occur: lets most hopeless Jaro–Winkler comparisons be skipped.
    pub letters: u32,
}

/// The set of letters in a folded string, one bit per letter.
pub fn letter_set(s: &str) -> u32 {
    s.bytes()
        .filter(u8::is_ascii_lowercase)
        .fold(0, |acc, b| acc | 1 << (b - b'a'))
}

/// Postcode parts as interned ids; `NONE` for parts a non-UK code does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostcodeParts {
    pub unit: u32,
    pub sector: u32,
    pub district: u32,
    pub area: u32,
    pub text: Short<8>,
}

/// A town or suburb: its letters alone, interned, so "North Ryde" and "northryde" are one
/// place, and its folded text for a spelling comparison and the explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub id: u32,
    pub text: Short<24>,
    pub letters: u32,
}

/// Most addresses have fewer distinctive words than this once street types are dropped.
pub const ADDRESS_WORDS: usize = 6;

/// An address as a house number and a small sorted set of distinctive words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressParts {
    pub whole: u32,
    /// The address's letters alone, for a spelling comparison when its words disagree
    /// ("north ryde" / "northryyde").
    pub text: Short<48>,
    pub number: u32,
    /// The first distinctive word as written, usually the street's name: blocking pairs
    /// records on it within a postcode or a town.
    pub street: u32,
    pub words: [u32; ADDRESS_WORDS],
    pub word_count: u8,
}

impl AddressParts {
    pub fn words(&self) -> &[u32] {
        &self.words[..self.word_count as usize]
    }
}

/// A record prepared for comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prepared {
    pub first: Name,
    pub first_groups: Groups,
    pub surname: Name,
    /// The first and last words of a multi-word (double-barrelled) surname; `NONE` otherwise.
    pub surname_parts: [u32; 2],
    pub generation: Generation,
    pub dob: Dob,
    pub postcode: PostcodeParts,
    pub address: AddressParts,
    pub locality: Place,
}

/// The string work for one record, done in parallel before the (sequential) interning.
#[derive(Debug, Clone, Default)]
pub struct Normalised {
    first: String,
    first_key: String,
    first_groups: Option<Groups>,
    surname: String,
    surname_key: String,
    surname_parts: [String; 2],
    generation: Generation,
    dob: Dob,
    postcode: String,
    uk_postcode: Option<UkPostcode>,
    address_whole: String,
    address_number: String,
    address_words: Vec<String>,
    address_text: String,
    locality: String,
    locality_text: String,
}

impl Normalised {
    pub fn of(record: &PersonRecord) -> Normalised {
        let first_folded = text::fold(&record.first_name);
        let (first_words, first_generation) = text::strip_generation(&first_folded);
        let surname_folded = text::fold(&record.surname);
        let (surname_words, surname_generation) = text::strip_generation(&surname_folded);
        // Middle names are ignored: agencies record them too inconsistently to compare.
        let first = first_words.first().copied().unwrap_or("").to_string();
        let surname = surname_words.join(" ");
        let surname_parts = if surname_words.len() > 1 {
            [
                surname_words[0].to_string(),
                surname_words[surname_words.len() - 1].to_string(),
            ]
        } else {
            [String::new(), String::new()]
        };
        let generation = if surname_generation != Generation::Unmarked {
            surname_generation
        } else {
            first_generation
        };
        let compact = postcode::compact(&record.postcode);
        let uk_postcode = postcode::parse_uk(&compact);
        let (address_whole, address_number, address_words) = address_parts(&record.address);
        Normalised {
            first_key: name_key(&first),
            first_groups: Some(Groups::of(&first)),
            first,
            surname_key: name_key(&surname_words.concat()),
            surname,
            surname_parts,
            generation,
            // Unreadable dates are reported when the file is read; here out-of-range ones are
            // kept for typo matching and shapeless ones count as missing.
            dob: Dob::parse_lenient(&record.dob).unwrap_or_default(),
            postcode: compact,
            uk_postcode,
            address_text: letters(&record.address),
            address_whole,
            address_number,
            address_words,
            locality: letters(&record.locality),
            locality_text: text::fold(&record.locality),
        }
    }

    /// Interns the strings. `ids` decides whether unknown values are added (loading a
    /// dataset) or marked unseen (querying a register).
    pub fn intern(&self, ids: &mut impl Ids) -> Prepared {
        let mut words = [NONE; ADDRESS_WORDS];
        let mut count = 0usize;
        for w in &self.address_words {
            let id = ids.id(w);
            if count < ADDRESS_WORDS && !words[..count].contains(&id) {
                words[count] = id;
                count += 1;
            }
        }
        words[..count].sort_unstable();
        let (sector, district, area) = match &self.uk_postcode {
            Some(p) => (ids.id(&p.sector), ids.id(&p.district), ids.id(&p.area)),
            None => (NONE, NONE, NONE),
        };
        Prepared {
            first: Name {
                id: ids.id(&self.first),
                key: ids.id(&self.first_key),
                text: Short::new(&self.first),
                letters: letter_set(&self.first),
            },
            first_groups: self.first_groups.unwrap_or_else(Groups::none),
            surname: Name {
                id: ids.id(&self.surname),
                key: ids.id(&self.surname_key),
                text: Short::new(&self.surname),
                letters: letter_set(&self.surname),
            },
            surname_parts: [
                ids.id(&self.surname_parts[0]),
                ids.id(&self.surname_parts[1]),
            ],
            generation: self.generation,
            dob: self.dob,
            postcode: PostcodeParts {
                unit: ids.id(&self.postcode),
                sector,
                district,
                area,
                text: Short::new(&self.postcode),
            },
            address: AddressParts {
                whole: ids.id(&self.address_whole),
                text: Short::new(&self.address_text),
                number: ids.id(&self.address_number),
                street: self
                    .address_words
                    .first()
                    .map(|w| ids.id(w))
                    .unwrap_or(NONE),
                words,
                word_count: count as u8,
            },
            locality: Place {
                id: ids.id(&self.locality),
                text: Short::new(&self.locality_text),
                letters: letter_set(&self.locality),
            },
        }
    }
}

/// The folded letters of a value, spaces and punctuation dropped.
fn letters(raw: &str) -> String {
    text::fold(raw)
        .bytes()
        .filter(u8::is_ascii_lowercase)
        .map(char::from)
        .collect()
}

/// Splits an address into its normalised whole, house number and distinctive words. The
/// house number is the number written just before the street name, so "Flat 2, 14 High
/// Street" is number 14.
fn address_parts(raw: &str) -> (String, String, Vec<String>) {
    let folded = text::fold(raw);
    let kept: Vec<&str> = folded
        .split(' ')
        .filter(|w| !w.is_empty() && !text::is_address_filler(w))
        .collect();
    let numeric = |w: &str| w.as_bytes()[0].is_ascii_digit();
    let number = kept
        .windows(2)
        .find(|pair| numeric(pair[0]) && !numeric(pair[1]))
        .map(|pair| pair[0])
        .or_else(|| kept.iter().copied().find(|w| numeric(w)))
        .unwrap_or("")
        .to_string();
    let words = kept
        .iter()
        .filter(|w| !numeric(w))
        .map(|w| w.to_string())
        .collect();
    (kept.join(" "), number, words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intern::Interner;

    fn record(first: &str, surname: &str, address: &str) -> PersonRecord {
        PersonRecord {
            id: "1".into(),
            first_name: first.into(),
            surname: surname.into(),
            dob: "1980-01-02".into(),
            postcode: "ng7 2rd".into(),
            address: address.into(),
            locality: String::new(),
        }
    }

    #[test]
    fn prepares_names_postcode_and_address() {
        let mut ids = Interner::default();
        let p = Normalised::of(&record(
            "Mary Jane",
            "Smith-Jones Jr",
            "Flat 2, 14 High Street, Lenton",
        ))
        .intern(&mut ids);
        assert_eq!(p.first.text.as_str(), "mary");
        assert_eq!(p.surname.text.as_str(), "smith jones");
        assert_eq!(ids.text(p.surname_parts[0]), "smith");
        assert_eq!(ids.text(p.surname_parts[1]), "jones");
        assert_eq!(p.generation, Generation::Junior);
        assert_eq!(ids.text(p.postcode.district), "NG7");
        assert_eq!(ids.text(p.address.number), "14");
        assert_eq!(ids.text(p.address.whole), "2 14 high lenton");
        assert_eq!(p.address.words().len(), 2);
        assert_eq!(ids.text(p.address.street), "high");
        assert_eq!(p.dob.year, 1980);
    }

    #[test]
    fn short_strings_cut_safely() {
        let s: Short<4> = Short::new("abcdef");
        assert_eq!(s.as_str(), "abcd");
        assert!(Short::<4>::new("").is_empty());
    }
}
