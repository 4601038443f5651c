//! The family register held in memory for matching a partner's whole file: every person not
//! merged, with their other names, the postcodes of their addresses now and before, NHS number
//! and UPN, read once, a page at a time, and indexed by the keys find-before-create blocks on.
//! A row's candidates are then found with no query at all, by the same typed rules
//! ([`crate::family::blocking`]) the SQL reads one search at a time, without the SQL's caps: the
//! index brings every person those rules would bring and never fewer.
//!
//! A restricted person is found like anyone else, but is held without their postcodes, so a
//! match never tells where they live.

use crate::decode::{opt_date, parse_id};
use crate::family::blocking::{near_dob, rules, Ask, Blocking, NamePrefix, Rule};
use crate::family::people::{dob_of, first_and_family};
use crate::gate::MatchingDesk;
use crate::{Conn, Result};
use chrono::NaiveDate;
use hearth_domain::ids::PersonId;
use hearth_linkage::find::{Candidate, PreparedCandidate};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

/// Rows read per query: pages keep the memory of one result small whatever the register's
/// size, and are few enough (fifty for half a million people) not to cost round trips.
const PAGE: i64 = 10_000;

/// How many letters the start-of-name keys hold: find-before-create's starts are two letters
/// (a slip rarely reaches them), and a later surname word is looked for from three.
const START: usize = 2;
const PART: usize = 3;

/// One person as the index sees them.
#[derive(Debug)]
struct Held {
    id: PersonId,
    family_lower: String,
    given_lower: String,
    dob: Option<NaiveDate>,
}

/// A person's name sounds (kept only while indexing) and whether their record is restricted.
struct Keys {
    family: String,
    given: String,
    restricted: bool,
}

/// The register, indexed. Each map lists positions in `people` (sorted by id), in order.
#[derive(Debug, Default)]
pub struct Register {
    people: Vec<Held>,
    /// What each person is scored on, by position: prepared once for every row of the file.
    prepared: Vec<PreparedCandidate>,
    sounds: HashMap<(String, String), Vec<u32>>,
    other_sounds: HashMap<(String, String), Vec<u32>>,
    family_sound: HashMap<String, Vec<u32>>,
    other_family_sound: HashMap<String, Vec<u32>>,
    given_sound: HashMap<String, Vec<u32>>,
    /// By the surname's sound and the given names' first letters.
    family_sound_given_start: HashMap<(String, String), Vec<u32>>,
    /// By a given name's sound and the surname's first letters.
    given_sound_family_start: HashMap<(String, String), Vec<u32>>,
    /// By a given name's sound and the first letters of a later word of the surname.
    given_sound_later_word: HashMap<(String, String), Vec<u32>>,
    /// Positions sorted by surname then given names, and by given names.
    by_family: Vec<u32>,
    by_given: Vec<u32>,
    dob: HashMap<NaiveDate, Vec<u32>>,
    postcode: HashMap<String, Vec<u32>>,
    nhs_number: HashMap<String, Vec<u32>>,
    upn: HashMap<String, Vec<u32>>,
    /// Who holds each first name and surname ([`first_and_family`]), now or before.
    holders: HashMap<(String, String), Vec<u32>>,
}

/// The first `n` characters of `s`, or `None` when it is shorter.
fn first(s: &str, n: usize) -> Option<String> {
    (s.chars().count() >= n).then(|| s.chars().take(n).collect())
}

fn push<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<u32>>, key: K, at: u32) {
    map.entry(key).or_default().push(at);
}

/// Reads the register for matching a partner's file, at the matching desk: everyone not
/// merged, their other names and their addresses' postcodes.
pub async fn read(conn: &mut Conn, _desk: &MatchingDesk) -> Result<Register> {
    let mut loaded: Vec<(Held, Candidate, Keys)> = Vec::new();
    let mut after = String::new();
    loop {
        let rows = sqlx::query(
            "SELECT id, given_names, family_name, family_key, given_key, family_lower,
                given_lower, dob, nhs_number, upn, restricted
             FROM people WHERE merged_into IS NULL AND id > $1 ORDER BY id LIMIT $2",
        )
        .bind(&after)
        .bind(PAGE)
        .fetch_all(&mut *conn)
        .await?;
        for r in &rows {
            let dob = opt_date(r.try_get("dob")?)?;
            let held = Held {
                id: parse_id(&r.try_get::<String, _>("id")?)?,
                family_lower: r.try_get("family_lower")?,
                given_lower: r.try_get("given_lower")?,
                dob,
            };
            let candidate = Candidate {
                names: vec![(r.try_get("given_names")?, r.try_get("family_name")?)],
                dob: dob.map(dob_of),
                postcodes: Vec::new(),
                nhs_number: r.try_get("nhs_number")?,
                upn: r.try_get("upn")?,
            };
            let keys = Keys {
                family: r.try_get("family_key")?,
                given: r.try_get("given_key")?,
                restricted: r.try_get::<i64, _>("restricted")? != 0,
            };
            loaded.push((held, candidate, keys));
        }
        if !next_page(&rows, &mut after)? {
            break;
        }
    }
    // Sorted by id in memory too (the database's text order may differ): a row's candidates
    // are scored in the same order whichever way they were found, and equal scores keep it.
    loaded.sort_by_key(|(held, ..)| held.id);
    let mut people = Vec::with_capacity(loaded.len());
    let mut candidates = Vec::with_capacity(loaded.len());
    let mut keys = Vec::with_capacity(loaded.len());
    for (held, candidate, key) in loaded {
        people.push(held);
        candidates.push(candidate);
        keys.push(key);
    }
    let position: HashMap<PersonId, u32> = people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i as u32))
        .collect();
    let mut register = Register {
        people,
        ..Register::default()
    };
    register.index(&keys, &candidates);
    register
        .read_other_names(conn, &position, &mut candidates)
        .await?;
    register
        .read_postcodes(conn, &position, &keys, &mut candidates)
        .await?;
    register.prepared = candidates.into_iter().map(PreparedCandidate::new).collect();
    Ok(register)
}

impl Register {
    /// How many people the register holds.
    pub fn len(&self) -> usize {
        self.people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// How many people hold this first given name and surname, now or before: as
    /// [`crate::family::people::holding_name`] counts them.
    pub fn holding_name(&self, given_names: &str, family_name: &str) -> usize {
        self.holders
            .get(&first_and_family(given_names, family_name))
            .map_or(0, Vec::len)
    }

    /// Indexes the current names, dates of birth and identifiers.
    fn index(&mut self, keys: &[Keys], candidates: &[Candidate]) {
        for (i, ((p, k), c)) in self.people.iter().zip(keys).zip(candidates).enumerate() {
            let (at, family_key, given_key) = (i as u32, &k.family, &k.given);
            push(
                &mut self.sounds,
                (family_key.clone(), given_key.clone()),
                at,
            );
            push(&mut self.family_sound, family_key.clone(), at);
            push(&mut self.given_sound, given_key.clone(), at);
            if let Some(start) = first(&p.given_lower, START) {
                push(
                    &mut self.family_sound_given_start,
                    (family_key.clone(), start),
                    at,
                );
            }
            if let Some(start) = first(&p.family_lower, START) {
                push(
                    &mut self.given_sound_family_start,
                    (given_key.clone(), start),
                    at,
                );
            }
            for word in p.family_lower.split(' ').skip(1) {
                if let Some(start) = first(word, PART) {
                    push(
                        &mut self.given_sound_later_word,
                        (given_key.clone(), start),
                        at,
                    );
                }
            }
            let (given_names, family_name) = &c.names[0];
            push(
                &mut self.holders,
                first_and_family(given_names, family_name),
                at,
            );
            if let Some(d) = p.dob {
                push(&mut self.dob, d, at);
            }
            if let Some(n) = &c.nhs_number {
                push(&mut self.nhs_number, n.clone(), at);
            }
            if let Some(u) = &c.upn {
                push(&mut self.upn, u.clone(), at);
            }
        }
        let people = &self.people;
        self.by_family = (0..people.len() as u32).collect();
        self.by_family.sort_by(|&a, &b| {
            let (a, b) = (&people[a as usize], &people[b as usize]);
            (&a.family_lower, &a.given_lower).cmp(&(&b.family_lower, &b.given_lower))
        });
        self.by_given = (0..people.len() as u32).collect();
        self.by_given.sort_by(|&a, &b| {
            people[a as usize]
                .given_lower
                .cmp(&people[b as usize].given_lower)
        });
    }

    /// Other names (previous surnames, names known by), each beside the person's current one.
    async fn read_other_names(
        &mut self,
        conn: &mut Conn,
        position: &HashMap<PersonId, u32>,
        candidates: &mut [Candidate],
    ) -> Result<()> {
        each_row(
            conn,
            "SELECT id, person_id, given_names, family_name, family_key, given_key
             FROM person_names WHERE id > $1 ORDER BY id LIMIT $2",
            |r| {
                let Some(&at) = position.get(&parse_id(&r.try_get::<String, _>("person_id")?)?)
                else {
                    return Ok(()); // merged into someone else: matched as the survivor
                };
                let family_key: String = r.try_get("family_key")?;
                push(
                    &mut self.other_sounds,
                    (family_key.clone(), r.try_get("given_key")?),
                    at,
                );
                push(&mut self.other_family_sound, family_key, at);
                let (given, family): (String, String) =
                    (r.try_get("given_names")?, r.try_get("family_name")?);
                push(&mut self.holders, first_and_family(&given, &family), at);
                candidates[at as usize].names.push((given, family));
                Ok(())
            },
        )
        .await?;
        for list in self.other_sounds.values_mut() {
            list.sort_unstable();
        }
        for list in self.other_family_sound.values_mut() {
            list.sort_unstable();
        }
        for list in self.holders.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        Ok(())
    }

    /// The postcodes of every address held, now or before; a restricted person's are indexed
    /// (they are found by them) but not held for scoring.
    async fn read_postcodes(
        &mut self,
        conn: &mut Conn,
        position: &HashMap<PersonId, u32>,
        keys: &[Keys],
        candidates: &mut [Candidate],
    ) -> Result<()> {
        each_row(
            conn,
            "SELECT id, person_id, postcode, postcode_key
             FROM addresses WHERE id > $1 ORDER BY id LIMIT $2",
            |r| {
                let Some(&at) = position.get(&parse_id(&r.try_get::<String, _>("person_id")?)?)
                else {
                    return Ok(());
                };
                push(&mut self.postcode, r.try_get("postcode_key")?, at);
                if !keys[at as usize].restricted {
                    candidates[at as usize]
                        .postcodes
                        .push(r.try_get("postcode")?);
                }
                Ok(())
            },
        )
        .await?;
        for list in self.postcode.values_mut() {
            list.sort_unstable();
        }
        Ok(())
    }

    /// The people sharing a blocking key with the search, by id, with what they are scored
    /// on: every person [`crate::family::people::candidates`] could bring, and more where
    /// its rules' caps would have cut them off.
    pub fn candidates(&self, b: &Blocking) -> Vec<(PersonId, &PreparedCandidate)> {
        let mut found: Vec<u32> = Vec::new();
        for rule in rules(b) {
            self.ask(&rule, &b.dobs, &mut found);
        }
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .map(|i| (self.people[i as usize].id, &self.prepared[i as usize]))
            .collect()
    }

    /// Adds the positions one rule brings.
    fn ask(&self, rule: &Rule, dobs: &[NaiveDate], found: &mut Vec<u32>) {
        let people = &self.people;
        let (brought, keep): (&[u32], Keep) = match (&rule.ask, rule.other_names) {
            (Ask::Sounds { family, given }, false) => {
                (paired(&self.sounds, family, given), Keep::All)
            }
            (Ask::Sounds { family, given }, true) => {
                (paired(&self.other_sounds, family, given), Keep::All)
            }
            (Ask::FamilySound(f), false) => (list(self.family_sound.get(f)), Keep::All),
            (Ask::FamilySound(f), true) => (list(self.other_family_sound.get(f)), Keep::All),
            (
                Ask::FamilySoundGivenStart {
                    family,
                    given_start,
                },
                _,
            ) => (
                started(
                    &self.family_sound_given_start,
                    &self.family_sound,
                    family,
                    given_start,
                    START,
                ),
                Keep::GivenStarting(given_start),
            ),
            (Ask::GivenSoundFamilyPart { given, part }, _) => (
                started(
                    &self.given_sound_later_word,
                    &self.given_sound,
                    given,
                    part,
                    PART,
                ),
                Keep::LaterWordStarting(format!(" {part}")),
            ),
            (
                Ask::GivenSoundFamilyStart {
                    given,
                    family_start,
                },
                _,
            ) => (
                started(
                    &self.given_sound_family_start,
                    &self.given_sound,
                    given,
                    family_start,
                    START,
                ),
                Keep::FamilyStarting(family_start),
            ),
            (Ask::Starts(p), _) => {
                found.extend(self.starting(p));
                return;
            }
            (Ask::Dob(d), _) => (list(self.dob.get(d)), Keep::All),
            (Ask::Postcode(p), _) => (list(self.postcode.get(p)), Keep::All),
            (Ask::NhsNumber(n), _) => (list(self.nhs_number.get(n)), Keep::All),
            (Ask::Upn(u), _) => (list(self.upn.get(u)), Keep::All),
        };
        found.extend(brought.iter().copied().filter(|&i| {
            let p = &people[i as usize];
            let named = match &keep {
                Keep::All => true,
                Keep::GivenStarting(s) => p.given_lower.starts_with(*s),
                Keep::FamilyStarting(s) => p.family_lower.starts_with(*s),
                Keep::LaterWordStarting(s) => p.family_lower.contains(s.as_str()),
            };
            named && (!rule.near_dob || near_dob(dobs, p.dob))
        }));
    }

    /// The people whose names begin as typed: a range of the surnames (then, within each
    /// surname, a range of the given names), or of the given names alone.
    fn starting(&self, p: &NamePrefix) -> Vec<u32> {
        let people = &self.people;
        let family = |i: u32| people[i as usize].family_lower.as_str();
        let given = |i: u32| people[i as usize].given_lower.as_str();
        fn range(
            sorted: &[u32],
            key: impl Fn(u32) -> bool,
            starts: impl Fn(u32) -> bool,
        ) -> (usize, usize) {
            let from = sorted.partition_point(|&i| key(i));
            (from, from + sorted[from..].partition_point(|&i| starts(i)))
        }
        let by_given = |prefix: &str, sorted: &[u32]| {
            range(
                sorted,
                |i| given(i) < prefix,
                |i| given(i).starts_with(prefix),
            )
        };
        let by_family = |prefix: &str, sorted: &[u32]| {
            range(
                sorted,
                |i| family(i) < prefix,
                |i| family(i).starts_with(prefix),
            )
        };
        match (p.given.is_empty(), p.family.is_empty()) {
            (true, true) => Vec::new(),
            (false, true) => {
                let (from, to) = by_given(&p.given, &self.by_given);
                self.by_given[from..to].to_vec()
            }
            (true, false) => {
                let (from, to) = by_family(&p.family, &self.by_family);
                self.by_family[from..to].to_vec()
            }
            (false, false) => {
                let (mut at, to) = by_family(&p.family, &self.by_family);
                let mut out = Vec::new();
                while at < to {
                    let surname = family(self.by_family[at]);
                    let end =
                        at + self.by_family[at..to].partition_point(|&i| family(i) == surname);
                    let (from, upto) = by_given(&p.given, &self.by_family[at..end]);
                    out.extend_from_slice(&self.by_family[at + from..at + upto]);
                    at = end;
                }
                out
            }
        }
    }
}

fn list(v: Option<&Vec<u32>>) -> &[u32] {
    v.map_or(&[], Vec::as_slice)
}

fn paired<'m>(map: &'m HashMap<(String, String), Vec<u32>>, a: &str, b: &str) -> &'m [u32] {
    list(map.get(&(a.to_string(), b.to_string())))
}

/// The people listed under a sound and the start of the other name: a start of `len` letters
/// or more is looked up by its first `len`; a shorter one (never made by find-before-create,
/// but allowed by the type) by the sound alone.
fn started<'m>(
    map: &'m HashMap<(String, String), Vec<u32>>,
    by_sound: &'m HashMap<String, Vec<u32>>,
    sound: &str,
    start: &str,
    len: usize,
) -> &'m [u32] {
    match first(start, len) {
        Some(key) => paired(map, sound, &key),
        None => list(by_sound.get(sound)),
    }
}

/// What a rule's key leaves to be checked of each person it lists.
enum Keep<'a> {
    All,
    GivenStarting(&'a str),
    FamilyStarting(&'a str),
    /// `" part"`: a later word of the surname begins with `part`.
    LaterWordStarting(String),
}

/// Runs `sql` (`$1` the last id read, `$2` the page's size) a page at a time in order of id,
/// handing each row to `each`.
async fn each_row(
    conn: &mut Conn,
    sql: &str,
    mut each: impl FnMut(&AnyRow) -> Result<()>,
) -> Result<()> {
    let mut after = String::new();
    loop {
        let rows = sqlx::query(sql)
            .bind(&after)
            .bind(PAGE)
            .fetch_all(&mut *conn)
            .await?;
        for r in &rows {
            each(r)?;
        }
        if !next_page(&rows, &mut after)? {
            return Ok(());
        }
    }
}

/// Moves `after` to the last id of a full page; `false` when this was the last page.
fn next_page(rows: &[AnyRow], after: &mut String) -> Result<bool> {
    match rows.last() {
        Some(last) if rows.len() as i64 == PAGE => {
            *after = last.try_get("id")?;
            Ok(true)
        }
        _ => Ok(false),
    }
}
