//! Find-before-create against Hearth's own record: how likely a person already held is the one
//! a practitioner is about to add, and why, in words they can check ("Bill and William are the
//! same name", "date of birth has day and month swapped", "same postcode").
//!
//! One interface, [`Search`]: built once from what was typed, it [`scores`](Search::score)
//! every candidate the store's blocking fetched without building any text, and
//! [`explains`](Search::explain) only the few that will be shown. A candidate scored against
//! many searches (a partner's file against the register) is [`PreparedCandidate`]: its names
//! split into words with their sounds and nickname groups, once. The comparisons are the
//! linkage crate's own: Jaro–Winkler ([`crate::jaro`]), the nickname and transliteration table
//! ([`crate::nicknames`]), dates of birth and their typing mistakes ([`crate::dob`], worded by
//! [`crate::explain`]) and postcode parts ([`crate::postcode`]). The points are fixed rather than
//! trained: a practitioner's search has no register-wide model to learn from, and fixed points
//! keep the order of results explainable.

use crate::dob::{self, Dob, DobAgreement};
use crate::explain::dob_words;
use crate::jaro::jaro_winkler;
use crate::nicknames::groups;
use crate::postcode::compact;
use crate::search_keys::{normalise, soundex_code};

/// What was typed into a search.
#[derive(Debug, Clone, Default)]
pub struct PersonQuery {
    /// Names in any order: the last word is read as the surname, and the first as well.
    pub name: String,
    pub dob: Option<Dob>,
    pub postcode: Option<String>,
    pub nhs_number: Option<String>,
    pub upn: Option<String>,
}

/// A person on the record, with every name they have been known by (current name first).
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    pub names: Vec<(String, String)>,
    pub dob: Option<Dob>,
    pub postcodes: Vec<String>,
    pub nhs_number: Option<String>,
    pub upn: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// 0–100: how strongly the evidence points to the same person.
    pub score: u32,
    /// Why, strongest first: "same NHS number", "first name: Bill and William are the same name".
    pub reasons: Vec<String>,
}

/// Scores below this are not shown as likely matches.
pub const SHOW_FROM: u32 = 35;

/// From this score a match rests on more than a shared name: the same full name scores 50,
/// and a date of birth, a postcode or an identifier that agrees lifts it past this.
pub const STRONG_FROM: u32 = 60;

/// Taking the typed words the other way round costs this much, so that a straight reading
/// wins a tie.
const SWAPPED_PENALTY: u32 = 8;

/// A candidate made ready to be scored against many searches: every name normalised and
/// split into words with their sounds and nickname groups, postcodes compacted. Scoring a
/// [`Candidate`] prepares it on the way; a register scored against a whole file prepares each
/// person once.
#[derive(Debug, Clone)]
pub struct PreparedCandidate {
    candidate: Candidate,
    /// Current name first, as in `candidate.names`.
    names: Vec<Name>,
    postcodes: Vec<String>,
}

impl PreparedCandidate {
    pub fn new(candidate: Candidate) -> PreparedCandidate {
        PreparedCandidate {
            names: candidate
                .names
                .iter()
                .map(|(g, f)| Name::new(&normalise(g), &normalise(f)))
                .collect(),
            postcodes: candidate.postcodes.iter().map(|p| compact(p)).collect(),
            candidate,
        }
    }

    /// The candidate as held.
    pub fn candidate(&self) -> &Candidate {
        &self.candidate
    }
}

/// One word of a name, normalised, with what comparing it needs.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    sound: [u8; 4],
    groups: &'static [u16],
}

impl Word {
    fn new(text: &str) -> Word {
        Word {
            text: text.to_string(),
            sound: soundex_code(text),
            groups: groups(text),
        }
    }
}

/// Given names and a surname as words: a name held, or one reading of the words typed.
#[derive(Debug, Clone)]
struct Name {
    given: Vec<Word>,
    family: Vec<Word>,
}

impl Name {
    /// From normalised text (lower case letters, words separated by single spaces).
    fn new(given: &str, family: &str) -> Name {
        let words = |s: &str| {
            s.split(' ')
                .filter(|w| !w.is_empty())
                .map(Word::new)
                .collect()
        };
        Name {
            given: words(given),
            family: words(family),
        }
    }

    fn words(&self) -> impl Iterator<Item = &Word> {
        self.given.iter().chain(&self.family)
    }
}

/// A search, prepared once and run against each candidate.
#[derive(Debug, Clone)]
pub struct Search {
    words: Vec<String>,
    /// Surname last; then, with two words or more, surname first. Never empty.
    readings: Vec<Name>,
    dob: Option<Dob>,
    postcode: Option<String>,
    nhs_number: Option<String>,
    upn: Option<String>,
}

impl Search {
    pub fn new(query: &PersonQuery) -> Search {
        let words: Vec<String> = normalise(&query.name)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        let mut readings = Vec::with_capacity(2);
        match words.as_slice() {
            // No name: the reading is empty and only identifiers, date and postcode count.
            [] => readings.push(Name::new("", "")),
            [one] => readings.push(Name::new("", one)),
            [first @ .., last] => {
                readings.push(Name::new(&first.join(" "), last));
                readings.push(Name::new(&words[1..].join(" "), &words[0]));
            }
        }
        let filled = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        Search {
            words,
            readings,
            dob: query.dob.filter(|d| !d.is_missing()),
            postcode: query
                .postcode
                .as_deref()
                .map(compact)
                .filter(|p| !p.is_empty()),
            nhs_number: filled(&query.nhs_number),
            upn: filled(&query.upn),
        }
    }

    /// The name typed, normalised and split into words (what blocking keys are made from).
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// How strongly `candidate` looks like the person searched for, without saying why.
    /// `None` when there is nothing in common worth showing.
    pub fn score(&self, candidate: &Candidate) -> Option<u32> {
        self.best(&PreparedCandidate::new(candidate.clone()))
            .map(|(score, _, _)| score)
    }

    /// The `shown` best of `candidates`, best first, each with its position in `candidates`
    /// and its reasons: every candidate is scored, only those shown are explained. Equal
    /// scores go by how closely the name is spelt ([`Search::closeness`]), then keep the order
    /// given, those found only with the words read the other way round last.
    pub fn best_of<'c>(
        &self,
        candidates: impl IntoIterator<Item = &'c Candidate>,
        shown: usize,
    ) -> Vec<(usize, Match)> {
        let prepared: Vec<PreparedCandidate> = candidates
            .into_iter()
            .map(|c| PreparedCandidate::new(c.clone()))
            .collect();
        self.best_of_prepared(&prepared, shown)
    }

    /// [`Search::best_of`] for candidates prepared beforehand.
    pub fn best_of_prepared<'c>(
        &self,
        candidates: impl IntoIterator<Item = &'c PreparedCandidate>,
        shown: usize,
    ) -> Vec<(usize, Match)> {
        let candidates: Vec<&PreparedCandidate> = candidates.into_iter().collect();
        let mut scored: Vec<(u32, bool, usize)> = Vec::new();
        for (i, c) in candidates.iter().enumerate() {
            if let Some((score, _, as_typed)) = self.best(c) {
                scored.push((score, !as_typed, i));
            }
        }
        // Closeness only orders equal scores, so it is worked out only for the candidates
        // that can still be shown: those scoring at least the last place's score.
        scored.sort_by_key(|&(score, ..)| std::cmp::Reverse(score));
        if let Some(&(last, ..)) = scored.get(shown.saturating_sub(1)) {
            scored.retain(|&(score, ..)| score >= last);
        }
        let mut scored: Vec<(u32, u32, bool, usize)> = scored
            .into_iter()
            .map(|(score, rotated_only, i)| (score, self.closeness(candidates[i]), rotated_only, i))
            .collect();
        scored.sort_by_key(|&(score, closeness, rotated_only, i)| {
            (
                std::cmp::Reverse(score),
                std::cmp::Reverse(closeness),
                rotated_only,
                i,
            )
        });
        scored.truncate(shown);
        scored
            .into_iter()
            .filter_map(|(_, _, _, i)| self.explain_prepared(candidates[i]).map(|m| (i, m)))
            .collect()
    }

    /// How closely the words typed spell the candidate's current name, in thousandths: for
    /// each word typed, its best Jaro–Winkler against the words held. It only orders equal
    /// scores, whose points come in coarse steps: "Sam" is a short form of both Samuel and
    /// Samantha, and is spelt more like Samuel.
    fn closeness(&self, candidate: &PreparedCandidate) -> u32 {
        let Some(current) = candidate.names.first() else {
            return 0;
        };
        let total: f64 = self
            .words
            .iter()
            .map(|w| {
                current
                    .words()
                    .map(|h| jaro_winkler(w.as_bytes(), h.text.as_bytes()))
                    .fold(0.0, f64::max)
            })
            .sum();
        (total * 1000.0) as u32
    }

    /// The score and its reasons, for a candidate that will be shown. Agrees with
    /// [`Search::score`].
    pub fn explain(&self, candidate: &Candidate) -> Option<Match> {
        self.explain_prepared(&PreparedCandidate::new(candidate.clone()))
    }

    fn explain_prepared(&self, candidate: &PreparedCandidate) -> Option<Match> {
        let (score, how, _) = self.best(candidate)?;
        let reasons = match how {
            How::Reading(reading) => {
                let mut reasons = Vec::new();
                self.assess(reading, candidate, Some(&mut reasons));
                reasons.sort_by_key(|r| std::cmp::Reverse(r.0));
                reasons.into_iter().map(|(_, r)| r).collect()
            }
            How::Prefix => vec!["name begins with what was typed".to_string()],
        };
        Some(Match { score, reasons })
    }

    /// The best reading's score (capped at 100), which reading it was, and whether the words
    /// as typed (surname last, or the start of the names) found the candidate at all. Surname
    /// last is tried first, then the start of the names typed, then surname first if that
    /// does better.
    fn best<'s>(&'s self, candidate: &PreparedCandidate) -> Option<(u32, How<'s>, bool)> {
        let mut readings = self.readings.iter();
        let straight = readings.next()?;
        let as_typed = match self.assess(straight, candidate, None).min(100) {
            0 => self.prefix(candidate).map(|s| (s, How::Prefix)),
            points => Some((points, How::Reading(straight))),
        };
        let rotated = readings
            .next()
            .map(|r| (self.assess(r, candidate, None).min(100), How::Reading(r)))
            .filter(|(points, _)| *points > 0);
        match (as_typed, rotated) {
            (Some(t), Some(r)) if r.0 > t.0 => Some((r.0, r.1, true)),
            (Some(t), _) => Some((t.0, t.1, true)),
            (None, Some(r)) => Some((r.0, r.1, false)),
            (None, None) => None,
        }
    }

    /// Points for one reading; the reasons too when asked for.
    fn assess(
        &self,
        reading: &Name,
        prepared: &PreparedCandidate,
        mut reasons: Option<&mut Vec<(u32, String)>>,
    ) -> u32 {
        let candidate = &prepared.candidate;
        let mut points = 0u32;
        let mut add = |p: u32, reason: &dyn Fn() -> String| {
            points += p;
            if let Some(r) = reasons.as_deref_mut() {
                r.push((p, reason()));
            }
        };
        let same_id =
            |q: &Option<String>, c: &Option<String>| matches!((q, c), (Some(a), Some(b)) if a == b);
        if same_id(&self.nhs_number, &candidate.nhs_number) {
            add(60, &|| "same NHS number".into());
        }
        if same_id(&self.upn, &candidate.upn) {
            add(60, &|| "same UPN".into());
        }

        if let Some((hits, previous)) = best_names(reading, &prepared.names) {
            for hit in hits.iter().flatten() {
                add(hit.likeness.points(), &|| hit.reason(previous));
            }
        }

        if let (Some(q), Some(c)) = (self.dob, candidate.dob) {
            if let Some(p) = dob_points(q, c) {
                add(p, &|| dob_reason(q, c));
            }
        }

        if let Some(q) = &self.postcode {
            let keys = &prepared.postcodes;
            if keys.contains(q) {
                add(12, &|| "same postcode".into());
            } else if let Some(sector) = near_sector(q) {
                if keys.iter().any(|k| near_sector(k) == Some(sector)) {
                    add(6, &|| "same postcode sector".into());
                }
            }
        }
        points
    }

    /// A partial name typed as a prefix ("smi") still finds Smith, with a low score: every
    /// word typed must begin a word of the current name.
    fn prefix(&self, candidate: &PreparedCandidate) -> Option<u32> {
        let current = candidate.names.first()?;
        let starts = |w: &str| current.words().any(|h| h.text.starts_with(w));
        let all = !self.words.is_empty()
            && self
                .words
                .iter()
                .all(|w| w.len() >= 2 && starts(w.as_str()));
        all.then(|| 10 * self.words.len() as u32)
    }
}

#[derive(Debug, Clone, Copy)]
enum How<'s> {
    Reading(&'s Name),
    Prefix,
}

/// All of a compact postcode but its last two characters (`NG71AA` → `NG71A`): the sector and
/// the first letter of the unit, a few streets. The whole sector (`NG7 1`, thousands of
/// addresses) would lift too many strangers above the person searched for.
fn near_sector(compact: &str) -> Option<&str> {
    (compact.len() >= 5).then(|| &compact[..compact.len() - 2])
}

/// How alike two name words are, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Likeness {
    Same,
    Variant,
    SpeltSimilarly,
    SoundsAlike,
    PartlySimilar,
}

impl Likeness {
    fn points(self) -> u32 {
        match self {
            Likeness::Same => 25,
            Likeness::Variant => 20,
            Likeness::SpeltSimilarly => 17,
            Likeness::SoundsAlike => 14,
            Likeness::PartlySimilar => 10,
        }
    }

    fn of(query: &Word, held: &Word) -> Option<Likeness> {
        if query.text.is_empty() || held.text.is_empty() {
            return None;
        }
        if query.text == held.text {
            return Some(Likeness::Same);
        }
        // Variants share a group of the nickname table ("bert" is in three).
        if query.groups.iter().any(|g| held.groups.contains(g)) {
            return Some(Likeness::Variant);
        }
        let jw = jaro_winkler(query.text.as_bytes(), held.text.as_bytes());
        if jw >= 0.9 {
            return Some(Likeness::SpeltSimilarly);
        }
        if query.sound == held.sound {
            return Some(Likeness::SoundsAlike);
        }
        (jw >= 0.82).then_some(Likeness::PartlySimilar)
    }
}

/// Which part of the name a word was compared as.
#[derive(Debug, Clone, Copy)]
enum Part {
    FirstName,
    Surname,
    /// The first name typed, found in the surname held.
    Swapped,
}

impl Part {
    fn label(self) -> &'static str {
        match self {
            Part::FirstName => "first name",
            Part::Surname => "surname",
            Part::Swapped => "first name and surname swapped:",
        }
    }
}

/// The best agreement between one word typed and one word held.
#[derive(Debug, Clone, Copy)]
struct Hit<'a> {
    likeness: Likeness,
    part: Part,
    typed: &'a str,
    held: &'a str,
}

impl Hit<'_> {
    fn reason(&self, previous: bool) -> String {
        let what = self.part.label();
        let (q, c) = (title(self.typed), title(self.held));
        let reason = match self.likeness {
            Likeness::Same => format!("same {what}"),
            Likeness::Variant => format!("{what}: {q} and {c} are the same name"),
            Likeness::SpeltSimilarly => format!("{what} spelt similarly ({q} / {c})"),
            Likeness::SoundsAlike => format!("{what} sounds alike ({q} / {c})"),
            Likeness::PartlySimilar => format!("{what} partly similar ({q} / {c})"),
        };
        if previous {
            format!("{reason} (a previous or other name)")
        } else {
            reason
        }
    }
}

fn title(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The best hit for a name part, comparing each word typed with each word held.
fn best_word<'a>(typed: &'a [Word], held: &'a [Word], part: Part) -> Option<Hit<'a>> {
    typed
        .iter()
        .flat_map(|t| {
            held.iter().filter_map(move |h| {
                Likeness::of(t, h).map(|likeness| Hit {
                    likeness,
                    part,
                    typed: &t.text,
                    held: &h.text,
                })
            })
        })
        .max_by_key(|hit| hit.likeness.points())
}

/// The best of the candidate's names for this reading, as given and surname hits, and
/// whether it was a previous or other name. The words may also have been typed the other way
/// round within the reading (first name in the surname box).
fn best_names<'a>(reading: &'a Name, held: &'a [Name]) -> Option<([Option<Hit<'a>>; 2], bool)> {
    let mut best: Option<(u32, [Option<Hit<'a>>; 2], bool)> = None;
    for (i, Name { given, family }) in held.iter().enumerate() {
        let straight = [
            best_word(&reading.given, given, Part::FirstName),
            best_word(&reading.family, family, Part::Surname),
        ];
        let swapped = [
            best_word(&reading.given, family, Part::Swapped),
            best_word(&reading.family, given, Part::Surname),
        ];
        for (hits, penalty) in [(straight, 0), (swapped, SWAPPED_PENALTY)] {
            let total = hits
                .iter()
                .flatten()
                .map(|h| h.likeness.points())
                .sum::<u32>()
                .saturating_sub(penalty);
            if total > best.as_ref().map_or(0, |b| b.0) {
                best = Some((total, hits, i > 0));
            }
        }
    }
    best.map(|(_, hits, previous)| (hits, previous))
}

/// Points for how the dates agree: the linkage crate's levels, plus a year apart on the same
/// day (a birthday remembered with the wrong year), which is not one typing mistake.
fn dob_points(query: Dob, held: Dob) -> Option<u32> {
    match dob::compare(query, held) {
        DobAgreement::Exact => Some(30),
        DobAgreement::DayMonthSwapped => Some(22),
        DobAgreement::OneTypo => Some(18),
        DobAgreement::Differs if a_year_apart(query, held) => Some(12),
        _ => None,
    }
}

fn a_year_apart(a: Dob, b: Dob) -> bool {
    a.is_full() && a.month == b.month && a.day == b.day && a.year.abs_diff(b.year) == 1
}

/// The words only, never the dates: a result the practitioner may not open must not show the
/// date of birth held.
fn dob_reason(query: Dob, held: Dob) -> String {
    if a_year_apart(query, held) {
        "date of birth a year apart".into()
    } else {
        dob_words(dob::compare(query, held)).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<Dob> {
        Dob::parse(s).ok().filter(|d| !d.is_missing())
    }

    fn candidate(given: &str, family: &str, dob: &str, postcode: &str) -> Candidate {
        Candidate {
            names: vec![(given.into(), family.into())],
            dob: d(dob),
            postcodes: vec![postcode.into()],
            ..Candidate::default()
        }
    }

    fn query(name: &str, dob: &str, postcode: &str) -> Search {
        Search::new(&PersonQuery {
            name: name.into(),
            dob: d(dob),
            postcode: Some(postcode.into()),
            ..PersonQuery::default()
        })
    }

    fn explained(search: &Search, held: &Candidate) -> Match {
        let m = search.explain(held).expect("a match");
        assert_eq!(search.score(held), Some(m.score), "score and explain agree");
        m
    }

    #[test]
    fn the_same_person_typed_differently_scores_high_with_reasons() {
        let held = candidate("William", "Smith", "2012-03-04", "NG7 1AA");
        let m = explained(&query("Bill Smyth", "2012-04-03", "NG71AA"), &held);
        assert!(m.score >= 60, "{m:?}");
        let has = |s: &str| m.reasons.iter().any(|r| r.contains(s));
        assert!(has("Bill and William are the same name"), "{m:?}");
        assert!(has("day and month swapped"), "{m:?}");
        assert!(m.reasons.iter().any(|r| r == "same postcode"), "{m:?}");
        assert!(!has("2012"), "the date held is never shown: {m:?}");
    }

    #[test]
    fn transliterations_and_typos_in_dates_are_recognised() {
        let held = candidate("Mohammed", "Khan", "2010-11-25", "NG7 5AB");
        let m = explained(&query("Muhammad Khan", "2010-12-25", "NG7 5AB"), &held);
        assert!(
            m.reasons.iter().any(|r| r.contains("one typing mistake")),
            "{m:?}"
        );
        assert!(m.score >= SHOW_FROM);
        let a_year = explained(&query("Mohammed Khan", "2009-11-25", ""), &held);
        assert!(a_year
            .reasons
            .iter()
            .any(|r| r == "date of birth a year apart"));
    }

    #[test]
    fn a_stranger_with_a_common_surname_does_not_reach_the_threshold() {
        let held = candidate("Grace", "Smith", "1985-01-01", "NG1 1AA");
        let m = explained(&query("Oliver Smith", "2015-06-07", "NG11 9ZZ"), &held);
        assert!(m.score < SHOW_FROM, "{m:?}");
    }

    #[test]
    fn a_previous_surname_and_names_in_any_order_still_match() {
        let held = Candidate {
            names: vec![
                ("Amy".into(), "Jones".into()),
                ("Amy".into(), "Taylor".into()),
            ],
            dob: d("2008-02-02"),
            ..Candidate::default()
        };
        let m = explained(&query("Amy Taylor", "2008-02-02", ""), &held);
        assert!(m.score >= 75, "{m:?}");
        assert!(
            m.reasons
                .iter()
                .any(|r| r.contains("previous or other name")),
            "{m:?}"
        );
        let surname_first = explained(&query("Jones Amy", "2008-02-02", ""), &held);
        assert!(surname_first.score >= 75, "{surname_first:?}");
    }

    #[test]
    fn an_nhs_number_match_is_decisive() {
        let held = Candidate {
            nhs_number: Some("9434765919".into()),
            ..candidate("Jo", "Bloggs", "2001-01-01", "")
        };
        let search = Search::new(&PersonQuery {
            nhs_number: Some("9434765919".into()),
            ..PersonQuery::default()
        });
        let m = explained(&search, &held);
        assert_eq!(m.reasons[0], "same NHS number");
        assert!(m.score >= 60);
    }

    #[test]
    fn the_start_of_a_name_finds_it_weakly() {
        let held = candidate("Kayla", "Brennan-Okoro", "", "");
        let m = explained(&query("Kay Bren", "", ""), &held);
        assert!(m.score > 0 && m.score < SHOW_FROM, "{m:?}");
    }

    #[test]
    fn nicknames_the_old_table_did_not_know_are_recognised() {
        let held = candidate("Alfred", "Jones", "", "");
        let m = explained(&query("Alf Jones", "", ""), &held);
        assert!(
            m.reasons
                .iter()
                .any(|r| r.contains("Alf and Alfred are the same name")),
            "{m:?}"
        );
    }

    #[test]
    fn the_best_are_explained_best_first_and_ties_keep_their_order() {
        let held = [
            candidate("Grace", "Smith", "", ""),
            candidate("Smith", "Grace", "", ""),
            candidate("Zed", "Zebedee", "", ""),
            candidate("Grace", "Smith", "", ""),
        ];
        let search = query("Smith Grace", "", "");
        let best = search.best_of(&held, 2);
        // Both names agree either way round: equal scores, in the order given.
        assert_eq!(best.iter().map(|(i, _)| *i).collect::<Vec<_>>(), vec![0, 1]);
        assert_eq!(best[0].1.score, best[1].1.score);
        assert!(best.iter().all(|(_, m)| !m.reasons.is_empty()));

        // A short form of two names: the one it is spelt more like comes first.
        let two = [
            candidate("Samantha", "Okoro", "", ""),
            candidate("Samuel", "Okoro", "", ""),
        ];
        let sam = query("Sam Okoro", "", "").best_of(&two, 2);
        assert_eq!(sam[0].1.score, sam[1].1.score);
        assert_eq!(sam[0].0, 1, "{sam:?}");
        assert_eq!(
            search.best_of(&held, 25).len(),
            3,
            "the stranger is not shown"
        );
    }
}
