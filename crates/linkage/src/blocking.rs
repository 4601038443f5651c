//! Blocking: which pairs are compared at all. Comparing every pair of a million records is
//! half a trillion comparisons; each rule instead pairs only records that share a key (the
//! same date of birth, the same name keys, ...). Several rules are unioned so a typo in one
//! field does not hide a match, and a pair found by more than one rule is scored once.
//!
//! Keys are found by sorting (record, key) lists, not by building hash sets of pairs: the
//! pairs are streamed straight into scoring and never stored. A pair found by rule `r` is
//! skipped when an earlier rule would also have paired it, which deduplicates without memory.

use crate::compare::Field;
use crate::intern::UNSEEN;
use crate::progress::Progress;
use crate::record::Prepared;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockingRule {
    /// The same complete date of birth.
    Dob,
    /// The same forename (by nickname group, else by spelling key) and the same surname
    /// spelling key: catches wrong or missing dates of birth.
    Names,
    /// The same postcode and forename: catches surname changes.
    PostcodeFirstName,
    /// The same postcode and surname key: catches forename typos with a wrong date.
    PostcodeSurname,
    /// The same year of birth and surname key.
    YearSurname,
    /// The same two name keys in either order: catches first name and surname swapped.
    NamesEitherOrder,
    /// The same postcode and house number: catches both names mistyped with a wrong date.
    PostcodeNumber,
    /// The same postcode and street name: catches both names and the date mistyped where
    /// the house number is wrong or missing.
    PostcodeStreet,
    /// The same town or suburb and street name: catches a mistyped postcode as well.
    LocalityStreet,
    /// The same postcode and town or suburb: catches a mistyped street too.
    PostcodeLocality,
    /// The same town or suburb and house number: catches a street written differently.
    LocalityNumber,
    /// The same surname key, house number and street name: catches a wrong postcode, town
    /// and date.
    SurnameAddress,
    /// Deterministic: the same first name, surname and date of birth, spelled exactly.
    ExactNameDob,
    /// Deterministic: the same surname, date of birth and postcode, spelled exactly.
    ExactSurnameDobPostcode,
}

/// The key no record shares: a missing value never blocks two records together.
pub const NO_KEY: u64 = u64::MAX;

impl BlockingRule {
    /// The rules used to find candidate pairs unless the model says otherwise.
    pub const DEFAULT: [BlockingRule; 11] = [
        BlockingRule::Dob,
        BlockingRule::Names,
        BlockingRule::PostcodeFirstName,
        BlockingRule::PostcodeSurname,
        BlockingRule::NamesEitherOrder,
        BlockingRule::PostcodeNumber,
        BlockingRule::PostcodeStreet,
        BlockingRule::LocalityStreet,
        BlockingRule::PostcodeLocality,
        BlockingRule::LocalityNumber,
        BlockingRule::SurnameAddress,
    ];

    /// The rules whose pairs train m-probabilities: between them every field is free in at
    /// least one of them.
    pub const TRAINING: [BlockingRule; 2] = [BlockingRule::Dob, BlockingRule::Names];

    /// Rules that pick out pairs almost certainly the same person, to estimate the prior.
    pub const DETERMINISTIC: [BlockingRule; 2] = [
        BlockingRule::ExactNameDob,
        BlockingRule::ExactSurnameDobPostcode,
    ];

    /// The fields a rule holds (nearly) equal; their levels in its pairs say nothing about
    /// whether the pair matches, so training on its pairs leaves them alone.
    pub fn fields(self) -> &'static [Field] {
        match self {
            BlockingRule::Dob => &[Field::Dob],
            BlockingRule::Names => &[Field::FirstName, Field::Surname],
            BlockingRule::PostcodeFirstName => &[Field::Postcode, Field::FirstName],
            BlockingRule::PostcodeSurname => &[Field::Postcode, Field::Surname],
            BlockingRule::YearSurname => &[Field::Dob, Field::Surname],
            BlockingRule::NamesEitherOrder => &[Field::FirstName, Field::Surname],
            BlockingRule::PostcodeNumber | BlockingRule::PostcodeStreet => {
                &[Field::Postcode, Field::Address]
            }
            BlockingRule::LocalityStreet => &[Field::Locality, Field::Address],
            BlockingRule::PostcodeLocality => &[Field::Postcode, Field::Locality],
            BlockingRule::LocalityNumber => &[Field::Locality, Field::Address],
            BlockingRule::SurnameAddress => &[Field::Surname, Field::Address],
            BlockingRule::ExactNameDob => &[Field::FirstName, Field::Surname, Field::Dob],
            BlockingRule::ExactSurnameDobPostcode => &[Field::Surname, Field::Dob, Field::Postcode],
        }
    }

    pub fn key(self, r: &Prepared) -> u64 {
        match self {
            BlockingRule::Dob => dob_key(r),
            BlockingRule::Names => pack(forename_key(r), valid(r.surname.key)),
            BlockingRule::PostcodeFirstName => pack(valid(r.postcode.unit), forename_key(r)),
            BlockingRule::PostcodeSurname => pack(valid(r.postcode.unit), valid(r.surname.key)),
            BlockingRule::YearSurname => pack(
                (r.dob.year != 0).then_some(r.dob.year as u32),
                valid(r.surname.key),
            ),
            BlockingRule::NamesEitherOrder => {
                let (a, b) = (valid(r.first.key), valid(r.surname.key));
                match (a, b) {
                    (Some(a), Some(b)) => pack(Some(a.min(b)), Some(a.max(b))),
                    _ => NO_KEY,
                }
            }
            BlockingRule::PostcodeNumber => pack(valid(r.postcode.unit), valid(r.address.number)),
            BlockingRule::PostcodeStreet => pack(valid(r.postcode.unit), valid(r.address.street)),
            BlockingRule::LocalityStreet => pack(valid(r.locality.id), valid(r.address.street)),
            BlockingRule::PostcodeLocality => pack(valid(r.postcode.unit), valid(r.locality.id)),
            BlockingRule::LocalityNumber => pack(valid(r.locality.id), valid(r.address.number)),
            BlockingRule::SurnameAddress => mix3(
                valid(r.surname.key),
                valid(r.address.street),
                valid(r.address.number).map_or(NO_KEY, u64::from),
            ),
            BlockingRule::ExactNameDob => mix3(valid(r.first.id), valid(r.surname.id), dob_key(r)),
            BlockingRule::ExactSurnameDobPostcode => {
                mix3(valid(r.surname.id), valid(r.postcode.unit), dob_key(r))
            }
        }
    }
}

fn valid(id: u32) -> Option<u32> {
    (id < UNSEEN).then_some(id)
}

/// The forename as blocking sees it: its nickname group when it has one (so Bill meets
/// William), otherwise its spelling key. Groups are tagged with the top bit to keep them
/// apart from interned ids.
fn forename_key(r: &Prepared) -> Option<u32> {
    match r.first_groups.primary() {
        Some(g) => Some(0x8000_0000 | g as u32),
        None => valid(r.first.key),
    }
}

fn dob_key(r: &Prepared) -> u64 {
    if r.dob.is_full() {
        // Decimal packing: out-of-range (mistyped) months and days up to 99 stay distinct.
        r.dob.year as u64 * 10_000 + r.dob.month as u64 * 100 + r.dob.day as u64
    } else {
        NO_KEY
    }
}

fn pack(a: Option<u32>, b: Option<u32>) -> u64 {
    match (a, b) {
        (Some(a), Some(b)) => ((a as u64) << 32) | b as u64,
        _ => NO_KEY,
    }
}

/// Three parts into one key by multiply–rotate hashing. A collision only ever adds a pair to
/// score, never loses one.
fn mix3(a: Option<u32>, b: Option<u32>, c: u64) -> u64 {
    let (Some(a), Some(b)) = (a, b) else {
        return NO_KEY;
    };
    if c == NO_KEY {
        return NO_KEY;
    }
    let mut h: u64 = 0;
    for x in [a as u64, b as u64, c] {
        h = (h.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    if h == NO_KEY {
        h - 1
    } else {
        h
    }
}

/// Deduplicating one dataset, or linking two: then records `0..left` are dataset A and the
/// rest dataset B, and only pairs across the two are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Dedupe,
    Link { left: u32 },
}

impl Shape {
    #[inline]
    fn allows(self, i: u32, j: u32) -> bool {
        match self {
            Shape::Dedupe => true,
            Shape::Link { left } => (i < left) != (j < left),
        }
    }

    /// Puts a pair in its canonical order: lower index first, which in linking is A's.
    #[inline]
    fn order(i: u32, j: u32) -> (u32, u32) {
        if i < j {
            (i, j)
        } else {
            (j, i)
        }
    }
}

/// Groups for one rule: record indices sorted by key, and for each position the end of its
/// group.
struct RuleBlocks {
    rule: BlockingRule,
    keys: Vec<u64>,
    order: Vec<u32>,
    ends: Vec<u32>,
}

/// A block too big to compare in full, reported rather than silently skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OversizedBlock {
    pub rule: BlockingRule,
    pub records: usize,
}

pub struct Blocks {
    shape: Shape,
    rules: Vec<RuleBlocks>,
    pub oversized: Vec<OversizedBlock>,
}

impl Blocks {
    /// Builds the groups for `rules`. Blocks of more than `max_block` records are left out
    /// (and listed in `oversized`): one such block costs more than the rest of the run.
    pub fn build(
        records: &[Prepared],
        shape: Shape,
        rules: &[BlockingRule],
        max_block: usize,
    ) -> Blocks {
        let mut oversized = Vec::new();
        let rules = rules
            .iter()
            .map(|&rule| {
                let keys: Vec<u64> = records.par_iter().map(|r| rule.key(r)).collect();
                let mut order: Vec<u32> = (0..records.len() as u32)
                    .filter(|&i| keys[i as usize] != NO_KEY)
                    .collect();
                order.par_sort_unstable_by_key(|&i| (keys[i as usize], i));
                let mut ends = vec![0u32; order.len()];
                let mut start = 0usize;
                while start < order.len() {
                    let key = keys[order[start] as usize];
                    let mut end = start + 1;
                    while end < order.len() && keys[order[end] as usize] == key {
                        end += 1;
                    }
                    let size = end - start;
                    for (p, e) in ends.iter_mut().enumerate().take(end).skip(start) {
                        *e = if size > max_block {
                            p as u32 + 1
                        } else {
                            end as u32
                        };
                    }
                    if size > max_block {
                        oversized.push(OversizedBlock {
                            rule,
                            records: size,
                        });
                    }
                    start = end;
                }
                RuleBlocks {
                    rule,
                    keys,
                    order,
                    ends,
                }
            })
            .collect();
        Blocks {
            shape,
            rules,
            oversized,
        }
    }

    /// Folds every candidate pair once, in parallel: `fold(acc, i, j)` with `i < j`.
    /// Progress advances by record positions across all rules.
    pub fn fold_pairs<T, Id, F, R>(
        &self,
        progress: &dyn Progress,
        identity: Id,
        fold: F,
        reduce: R,
    ) -> T
    where
        T: Send,
        Id: Fn() -> T + Sync + Send,
        F: Fn(T, u32, u32) -> T + Sync + Send,
        R: Fn(T, T) -> T + Sync + Send,
    {
        const CHUNK: usize = 2048;
        let mut total = identity();
        for (r, rb) in self.rules.iter().enumerate() {
            let earlier = &self.rules[..r];
            let chunks = rb.order.len().div_ceil(CHUNK);
            let part = (0..chunks)
                .into_par_iter()
                .fold(&identity, |mut acc, c| {
                    let lo = c * CHUNK;
                    let hi = (lo + CHUNK).min(rb.order.len());
                    for p in lo..hi {
                        let i = rb.order[p];
                        for q in p + 1..rb.ends[p] as usize {
                            let j = rb.order[q];
                            if !self.shape.allows(i, j) {
                                continue;
                            }
                            let seen = earlier.iter().any(|e| {
                                let k = e.keys[i as usize];
                                k != NO_KEY && k == e.keys[j as usize]
                            });
                            if seen {
                                continue;
                            }
                            let (a, b) = Shape::order(i, j);
                            acc = fold(acc, a, b);
                        }
                    }
                    progress.advance((hi - lo) as u64);
                    acc
                })
                .reduce(&identity, &reduce);
            total = reduce(total, part);
        }
        total
    }

    /// Positions to walk, for sizing a progress bar.
    pub fn positions(&self) -> u64 {
        self.rules.iter().map(|r| r.order.len() as u64).sum()
    }

    /// Number of candidate pairs, counted without scoring.
    pub fn count_pairs(&self) -> u64 {
        self.fold_pairs(
            &crate::progress::Silent,
            || 0u64,
            |n, _, _| n + 1,
            |a, b| a + b,
        )
    }

    pub fn rules(&self) -> impl Iterator<Item = BlockingRule> + '_ {
        self.rules.iter().map(|r| r.rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intern::Interner;
    use crate::record::{Normalised, PersonRecord};

    fn prepare(rows: &[(&str, &str, &str, &str)]) -> Vec<Prepared> {
        let mut ids = Interner::default();
        rows.iter()
            .map(|(f, s, d, p)| {
                Normalised::of(&PersonRecord {
                    id: String::new(),
                    first_name: f.to_string(),
                    surname: s.to_string(),
                    dob: d.to_string(),
                    postcode: p.to_string(),
                    address: String::new(),
                    locality: String::new(),
                })
                .intern(&mut ids)
            })
            .collect()
    }

    fn pairs(blocks: &Blocks) -> Vec<(u32, u32)> {
        let mut v = blocks.fold_pairs(
            &crate::progress::Silent,
            Vec::new,
            |mut v, a, b| {
                v.push((a, b));
                v
            },
            |mut a, b| {
                a.extend(b);
                a
            },
        );
        v.sort_unstable();
        v
    }

    #[test]
    fn unions_rules_and_scores_each_pair_once() {
        let records = prepare(&[
            ("Bill", "Smith", "1980-01-01", "NG7 2RD"),
            ("William", "Smyth", "1980-01-01", "NG7 2RD"),
            ("Ann", "Jones", "1990-02-02", "NG7 2RD"),
            ("Ann", "Jones", "", "M1 1AE"),
            ("Zed", "Brown", "", ""),
        ]);
        let blocks = Blocks::build(&records, Shape::Dedupe, &BlockingRule::DEFAULT, 100);
        // 0-1 share dob, names (bill/william, smith/smyth), postcode: found once.
        // 2-3 share names only. 0-2 and 1-2 share postcode but no name.
        assert_eq!(pairs(&blocks), vec![(0, 1), (2, 3)]);
        assert_eq!(blocks.count_pairs(), 2);
    }

    #[test]
    fn linking_pairs_only_across_datasets() {
        let records = prepare(&[
            ("Ann", "Jones", "1990-02-02", ""),
            ("Ann", "Jones", "1990-02-02", ""),
            ("Ann", "Jones", "1990-02-02", ""),
        ]);
        let blocks = Blocks::build(&records, Shape::Link { left: 2 }, &[BlockingRule::Dob], 100);
        assert_eq!(pairs(&blocks), vec![(0, 2), (1, 2)]);
    }

    #[test]
    fn oversized_blocks_are_reported_not_compared() {
        let records = prepare(&[
            ("A", "X", "1990-02-02", ""),
            ("B", "Y", "1990-02-02", ""),
            ("C", "Z", "1990-02-02", ""),
        ]);
        let blocks = Blocks::build(&records, Shape::Dedupe, &[BlockingRule::Dob], 2);
        assert_eq!(blocks.count_pairs(), 0);
        assert_eq!(
            blocks.oversized,
            vec![OversizedBlock {
                rule: BlockingRule::Dob,
                records: 3
            }]
        );
    }

    /// Records whose names and date are all mistyped are still paired through where they
    /// live: street and town, postcode and town, or surname, house number and street.
    #[test]
    fn pairs_records_through_their_address() {
        let mut ids = Interner::default();
        let mut at = |first: &str, surname: &str, postcode: &str, address: &str, town: &str| {
            Normalised::of(&PersonRecord {
                first_name: first.into(),
                surname: surname.into(),
                postcode: postcode.into(),
                address: address.into(),
                locality: town.into(),
                ..PersonRecord::default()
            })
            .intern(&mut ids)
        };
        let records = vec![
            at("Biana", "Cbobett", "3083", "Yerralee Road", "Woodend"),
            at("Bianca", "Cobbett", "3038", "32 Yerralee Road", "Woodend"),
            at("Charlee", "", "2548", "Coane Street", "Thornlands"),
            at("Joel", "", "2548", "Coane St Mount View", "Thornlnads"),
            at("Kynan", "Sincovich", "4222", "95", "Barrack Heights"),
            at(
                "Matthew",
                "Sincovich",
                "4221",
                "95 Grylls Crescent",
                "Barrack Heights",
            ),
            at("Zachary", "Berry", "6320", "95 Leahy Place", "Shento Mpark"),
            at("Joshua", "Berry", "6302", "95 Leahy Place", "Shenton Park"),
            at("Lily", "Green", "3016", "Hawker Place", "Currambine"),
            at(
                "Brandon",
                "Tallaxdira",
                "3016",
                "Chippendale Village",
                "Currambine",
            ),
        ];
        let found =
            |rule: BlockingRule| pairs(&Blocks::build(&records, Shape::Dedupe, &[rule], 100));
        assert_eq!(found(BlockingRule::LocalityStreet), vec![(0, 1)]);
        assert_eq!(found(BlockingRule::PostcodeStreet), vec![(2, 3)]);
        assert_eq!(found(BlockingRule::LocalityNumber), vec![(4, 5)]);
        assert_eq!(found(BlockingRule::SurnameAddress), vec![(6, 7)]);
        assert_eq!(found(BlockingRule::PostcodeLocality), vec![(8, 9)]);
    }
}
