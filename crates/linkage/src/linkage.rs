//! Deduplicating a dataset and linking two: block, score every candidate pair in parallel,
//! keep the pairs worth reporting, cluster.

use crate::blocking::{Blocks, OversizedBlock};
use crate::cluster::{cluster, Clusters, DOB_CONFLICT_MAX_M};
use crate::compare::Field;
use crate::dataset::Dataset;
use crate::model::{weight_of, Model};
use crate::progress::Progress;
use crate::score::{Match, Scorer};

#[derive(Debug, Clone)]
pub struct RunSettings {
    /// Blocks larger than this are not compared (and are reported).
    pub max_block: usize,
    /// Pairs below this probability are not kept. Defaults to the model's review threshold.
    pub min_probability: Option<f64>,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            max_block: 10_000,
            min_probability: None,
        }
    }
}

pub struct Outcome {
    /// Kept pairs, ordered by (left, right).
    pub matches: Vec<Match>,
    /// Every pair the blocking rules proposed and the scorer compared.
    pub candidate_pairs: u64,
    pub oversized: Vec<OversizedBlock>,
    /// Clusters over the pairs at or above the review threshold.
    pub clusters: Clusters,
}

/// Scores all candidate pairs of `dataset` and clusters the matches.
pub fn run(
    dataset: &Dataset,
    model: &Model,
    scorer: &Scorer,
    settings: &RunSettings,
    progress: &dyn Progress,
) -> Outcome {
    let blocks = Blocks::build(
        &dataset.records,
        dataset.shape,
        &model.blocking,
        settings.max_block,
    );
    progress.stage("scoring candidate pairs", blocks.positions());
    let floor = weight_of(settings.min_probability.unwrap_or(model.thresholds.review));
    let records = &dataset.records;
    let (mut matches, candidate_pairs) = blocks.fold_pairs(
        progress,
        || (Vec::new(), 0u64),
        |(mut kept, n), i, j| {
            let (w, levels) = scorer.score(&records[i as usize], &records[j as usize]);
            if w >= floor {
                kept.push(Match {
                    left: i,
                    right: j,
                    weight: w as f32,
                    levels,
                });
            }
            (kept, n + 1)
        },
        |(mut a, n), (b, m)| {
            a.extend(b);
            (a, n + m)
        },
    );
    matches.sort_unstable_by_key(|m| (m.left, m.right));
    progress.stage("clustering", 0);
    let dob_different = model
        .params(Field::Dob)
        .levels
        .last()
        .map(|l| l.m)
        .unwrap_or(1.0);
    let dates_decide = dob_different <= DOB_CONFLICT_MAX_M;
    let clusters = cluster(
        records,
        &matches,
        weight_of(model.thresholds.review),
        dates_decide,
    );
    Outcome {
        matches,
        candidate_pairs,
        oversized: blocks.oversized,
        clusters,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;
    use crate::synthetic::{generate, Config};
    use crate::train::{train, TrainingSettings};

    /// End to end on synthetic families: siblings, twins and fathers and sons share surname,
    /// postcode and address, and must not be linked as one person.
    #[test]
    fn deduplicates_families_without_linking_relatives() {
        let data = generate(&Config {
            records: 4000,
            seed: 3,
        });
        let dataset = Dataset::dedupe(&data.records);
        let settings = TrainingSettings {
            random_pairs: 200_000,
            ..TrainingSettings::default()
        };
        let model = train(&dataset, &Model::untrained(), &settings, &Silent);
        assert!(
            model.household.is_some(),
            "families in the data are modelled"
        );
        let scorer = Scorer::new(&model, &dataset.records, dataset.interner.len());
        let outcome = run(&dataset, &model, &scorer, &RunSettings::default(), &Silent);
        let truth = &data.person;
        let same = |a: u32, b: u32| truth[a as usize] == truth[b as usize];
        let predicted = outcome.matches.len();
        let correct = outcome
            .matches
            .iter()
            .filter(|m| same(m.left, m.right))
            .count();
        let mut per_person = std::collections::HashMap::new();
        for p in truth {
            *per_person.entry(p).or_insert(0usize) += 1;
        }
        let true_pairs: usize = per_person.values().map(|c| c * (c - 1) / 2).sum();
        let precision = correct as f64 / predicted as f64;
        let recall = correct as f64 / true_pairs as f64;
        assert!(precision > 0.9, "precision {precision}");
        assert!(recall > 0.9, "recall {recall}");
        // No cluster mixes a Jr and a Sr.
        for m in &outcome.matches {
            let (a, b) = (
                &dataset.records[m.left as usize],
                &dataset.records[m.right as usize],
            );
            if outcome.clusters.of[m.left as usize] == outcome.clusters.of[m.right as usize] {
                assert!(!a.generation.conflicts_with(b.generation));
            }
        }
    }
}
