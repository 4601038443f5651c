//! Deduplicating a dataset and linking two: block, score every candidate pair in parallel,
//! keep the pairs worth reporting, cluster.

use crate::blocking::{Blocks, OversizedBlock};
use crate::cluster::{cluster, Clusters};
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
    let clusters = cluster(records, &matches, weight_of(model.thresholds.review));
    Outcome {
        matches,
        candidate_pairs,
        oversized: blocks.oversized,
        clusters,
    }
}
