//! Find-before-create: one person against the register, answered in milliseconds from an
//! in-memory index built once. A practitioner about to add a child sees the likely existing
//! records first, each with the reasons for its score.

use crate::blocking::{BlockingRule, NO_KEY};
use crate::dataset::Dataset;
use crate::explain::{explain, Explanation};
use crate::intern::Lookup;
use crate::model::{MatchClass, Model};
use crate::record::{Normalised, PersonRecord};
use crate::score::Scorer;
use rustc_hash::FxHashMap;

pub struct Register {
    dataset: Dataset,
    model: Model,
    scorer: Scorer,
    /// For each blocking rule, the records under each key.
    index: Vec<(BlockingRule, FxHashMap<u64, Vec<u32>>)>,
}

#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: String,
    /// Position of the record in the register.
    pub index: u32,
    pub class: MatchClass,
    pub explanation: Explanation,
}

impl Register {
    /// Indexes `records` for searching with `model`.
    pub fn build(model: &Model, records: &[PersonRecord]) -> Register {
        let dataset = Dataset::dedupe(records);
        let scorer = Scorer::new(model, &dataset.records, dataset.interner.len());
        let index = model
            .blocking
            .iter()
            .map(|&rule| {
                let mut map: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
                for (i, r) in dataset.records.iter().enumerate() {
                    let key = rule.key(r);
                    if key != NO_KEY {
                        map.entry(key).or_default().push(i as u32);
                    }
                }
                (rule, map)
            })
            .collect();
        Register {
            dataset,
            model: model.clone(),
            scorer,
            index,
        }
    }

    pub fn len(&self) -> usize {
        self.dataset.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dataset.is_empty()
    }

    /// The best `limit` candidates for `query` whose probability reaches `min_probability`,
    /// best first (ties by register position, so answers are stable).
    pub fn find(&self, query: &PersonRecord, limit: usize, min_probability: f64) -> Vec<Candidate> {
        let q = Normalised::of(query).intern(&mut Lookup(&self.dataset.interner));
        let mut seen: Vec<u32> = Vec::new();
        for (rule, map) in &self.index {
            let key = rule.key(&q);
            if key == NO_KEY {
                continue;
            }
            if let Some(hits) = map.get(&key) {
                seen.extend_from_slice(hits);
            }
        }
        seen.sort_unstable();
        seen.dedup();
        let mut scored: Vec<(f64, u32)> = seen
            .into_iter()
            .map(|i| {
                (
                    self.scorer.score(&q, &self.dataset.records[i as usize]).0,
                    i,
                )
            })
            .filter(|(w, _)| crate::model::probability(*w) >= min_probability)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.truncate(limit);
        scored
            .into_iter()
            .map(|(_, i)| {
                // Explained from the register record's side so term frequencies are the
                // register's.
                let explanation = explain(&self.scorer, &self.dataset.records[i as usize], &q);
                Candidate {
                    id: self.dataset.ids[i as usize].clone(),
                    index: i,
                    class: self.model.class(explanation.probability),
                    explanation,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, f: &str, s: &str, d: &str, p: &str) -> PersonRecord {
        PersonRecord {
            id: id.into(),
            first_name: f.into(),
            surname: s.into(),
            dob: d.into(),
            postcode: p.into(),
            address: String::new(),
            locality: String::new(),
        }
    }

    #[test]
    fn finds_the_person_despite_nickname_and_typo() {
        let mut records = vec![
            person("a", "William", "Thompson", "1980-05-06", "NG7 2RD"),
            person("b", "William", "Thompson", "1955-01-20", "NG7 2RD"),
            person("c", "Sarah", "Khan", "1990-02-02", "NG1 1AA"),
        ];
        for i in 0..200 {
            records.push(person(
                &format!("x{i}"),
                "Ann",
                &format!("Other{i}"),
                "1970-01-01",
                "M1 1AE",
            ));
        }
        let register = Register::build(&Model::untrained(), &records);
        let query = person("", "Bill", "Thomson", "1980-05-06", "NG7 2RD");
        let found = register.find(&query, 5, 0.0);
        assert_eq!(found[0].id, "a", "{found:?}");
        assert!(found[0].explanation.text.contains("same date of birth"));
        assert!(found.iter().all(|c| c.id != "c"));
        if let Some(b) = found.iter().find(|c| c.id == "b") {
            assert!(b.explanation.match_weight < found[0].explanation.match_weight);
        }
    }

    #[test]
    fn an_unknown_person_finds_nobody() {
        let records = vec![person("a", "William", "Thompson", "1980-05-06", "NG7 2RD")];
        let register = Register::build(&Model::untrained(), &records);
        let found = register.find(
            &person("", "Zed", "Zebedee", "2001-01-01", "ZE1 1AA"),
            5,
            0.0,
        );
        assert!(found.is_empty());
    }
}
