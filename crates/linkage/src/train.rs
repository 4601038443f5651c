//! Estimating the model without labels, the way Splink does:
//!
//! 1. u-probabilities from pairs drawn at random (nearly all of them non-matches);
//! 2. the prior λ from deterministic rules: pairs that agree exactly on name and date of
//!    birth are taken as matches, scaled up by an assumed recall;
//! 3. m-probabilities by expectation–maximisation over the pairs of each training blocking
//!    rule, holding u fixed. A rule's own fields are left out of its session (its pairs
//!    agree on them by construction) and the estimates of the sessions are averaged.

use crate::blocking::{BlockingRule, Blocks, Shape};
use crate::compare::{compare, Field, Levels, FIELDS, FIELD_COUNT, MAX_LEVELS};
use crate::dataset::Dataset;
use crate::model::{EmSession, Model, TrainingReport};
use crate::progress::Progress;
use crate::rng::SplitMix64;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

#[derive(Debug, Clone)]
pub struct TrainingSettings {
    pub seed: u64,
    /// Random pairs for the u-probabilities.
    pub random_pairs: usize,
    pub max_iterations: usize,
    /// EM stops when no m-probability moves by more than this.
    pub tolerance: f64,
    /// The share of true matches the deterministic rules are assumed to find.
    pub assumed_recall: f64,
    pub training_rules: Vec<BlockingRule>,
    pub deterministic_rules: Vec<BlockingRule>,
    pub max_block: usize,
}

impl Default for TrainingSettings {
    fn default() -> Self {
        TrainingSettings {
            seed: 42,
            random_pairs: 1_000_000,
            max_iterations: 100,
            tolerance: 1e-6,
            assumed_recall: 0.8,
            training_rules: BlockingRule::TRAINING.to_vec(),
            deterministic_rules: BlockingRule::DETERMINISTIC.to_vec(),
            max_block: 10_000,
        }
    }
}

/// Trains a model for `dataset`, starting from `base` (whose thresholds, blocking rules and
/// term-frequency settings are kept).
pub fn train(
    dataset: &Dataset,
    base: &Model,
    settings: &TrainingSettings,
    progress: &dyn Progress,
) -> Model {
    let mut model = base.clone();
    let random_pairs = estimate_u(dataset, &mut model, settings, progress);
    let deterministic_pairs = estimate_prior(dataset, &mut model, settings, progress);
    let sessions = estimate_m(dataset, &mut model, settings, progress);
    model.training = Some(TrainingReport {
        records: dataset.len(),
        seed: settings.seed,
        random_pairs,
        deterministic_pairs,
        assumed_recall: settings.assumed_recall,
        sessions,
    });
    model
}

/// Draws a pair of distinct records (across the datasets when linking).
fn random_pair(rng: &mut SplitMix64, n: u64, shape: Shape) -> (usize, usize) {
    match shape {
        Shape::Dedupe => loop {
            let i = rng.below(n);
            let j = rng.below(n);
            if i != j {
                return (i as usize, j as usize);
            }
        },
        Shape::Link { left } => {
            let left = left as u64;
            (
                rng.below(left) as usize,
                (left + rng.below(n - left)) as usize,
            )
        }
    }
}

type LevelCounts = [[u64; MAX_LEVELS]; FIELD_COUNT];

fn add_counts(mut a: LevelCounts, b: LevelCounts) -> LevelCounts {
    for f in 0..FIELD_COUNT {
        for l in 0..MAX_LEVELS {
            a[f][l] += b[f][l];
        }
    }
    a
}

/// u-probabilities: how often each level turns up among random pairs. Returns the number of
/// pairs drawn.
fn estimate_u(
    dataset: &Dataset,
    model: &mut Model,
    settings: &TrainingSettings,
    progress: &dyn Progress,
) -> usize {
    let n = dataset.len() as u64;
    let possible = dataset.total_pairs();
    if n < 2 || possible < 1.0 {
        return 0;
    }
    let pairs = (settings.random_pairs as f64).min(possible) as usize;
    // Fixed-size chunks, each with its own seed, keep the sample identical whatever the
    // number of threads.
    const CHUNK: usize = 1 << 16;
    let chunks = pairs.div_ceil(CHUNK);
    progress.stage("estimating u from random pairs", pairs as u64);
    let counts = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut rng =
                SplitMix64::new(settings.seed ^ (c as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let mut counts: LevelCounts = [[0; MAX_LEVELS]; FIELD_COUNT];
            let todo = CHUNK.min(pairs - c * CHUNK);
            for _ in 0..todo {
                let (i, j) = random_pair(&mut rng, n, dataset.shape);
                let levels = compare(&dataset.records[i], &dataset.records[j]);
                for f in 0..FIELD_COUNT {
                    counts[f][levels[f] as usize] += 1;
                }
            }
            progress.advance(todo as u64);
            counts
        })
        .reduce(|| [[0; MAX_LEVELS]; FIELD_COUNT], add_counts);
    for field in FIELDS {
        let row = &counts[field.index()];
        let present: u64 = row[1..].iter().sum();
        if present == 0 {
            continue;
        }
        for (i, level) in model.params_mut(field).levels.iter_mut().enumerate() {
            // A level never seen among the random pairs gets half a pair's worth rather
            // than zero, which would make its weight infinite.
            level.u = (row[i + 1] as f64).max(0.5) / present as f64;
        }
        normalise(model.params_mut(field).levels.iter_mut().map(|l| &mut l.u));
    }
    pairs
}

/// The prior from deterministic rules. Returns the number of pairs they found.
fn estimate_prior(
    dataset: &Dataset,
    model: &mut Model,
    settings: &TrainingSettings,
    progress: &dyn Progress,
) -> u64 {
    progress.stage("estimating the prior from deterministic rules", 0);
    let blocks = Blocks::build(
        &dataset.records,
        dataset.shape,
        &settings.deterministic_rules,
        settings.max_block,
    );
    let found = blocks.count_pairs();
    let total = dataset.total_pairs().max(1.0);
    let expected = (found.max(1) as f64) / settings.assumed_recall.clamp(0.01, 1.0);
    model.probability_two_random_records_match = (expected / total).clamp(1e-12, 0.5);
    found
}

/// One comparison vector packed into an integer: 3 bits a field.
fn pack(levels: &Levels) -> u16 {
    levels
        .iter()
        .enumerate()
        .fold(0u16, |acc, (f, &l)| acc | ((l as u16) << (3 * f)))
}

fn unpack(code: u16) -> Levels {
    let mut levels = [0u8; FIELD_COUNT];
    for (f, l) in levels.iter_mut().enumerate() {
        *l = ((code >> (3 * f)) & 7) as u8;
    }
    levels
}

/// The distinct comparison vectors among a rule's pairs and how often each occurs, in a
/// fixed order so EM sums in the same order every run.
pub fn patterns(
    dataset: &Dataset,
    rule: BlockingRule,
    max_block: usize,
    progress: &dyn Progress,
) -> Vec<(Levels, f64)> {
    let blocks = Blocks::build(&dataset.records, dataset.shape, &[rule], max_block);
    let counts = blocks.fold_pairs(
        progress,
        FxHashMap::<u16, u64>::default,
        |mut map, i, j| {
            let levels = compare(&dataset.records[i as usize], &dataset.records[j as usize]);
            *map.entry(pack(&levels)).or_insert(0) += 1;
            map
        },
        |mut a, b| {
            for (k, v) in b {
                *a.entry(k).or_insert(0) += v;
            }
            a
        },
    );
    let mut out: Vec<(u16, u64)> = counts.into_iter().collect();
    out.sort_unstable();
    out.into_iter()
        .map(|(k, v)| (unpack(k), v as f64))
        .collect()
}

fn estimate_m(
    dataset: &Dataset,
    model: &mut Model,
    settings: &TrainingSettings,
    progress: &dyn Progress,
) -> Vec<EmSession> {
    let mut sums = [[0.0f64; MAX_LEVELS]; FIELD_COUNT];
    let mut sessions_per_field = [0usize; FIELD_COUNT];
    let mut sessions = Vec::new();
    for &rule in &settings.training_rules {
        progress.stage(&format!("expectation-maximisation on {rule:?} pairs"), 0);
        let pats = patterns(dataset, rule, settings.max_block, progress);
        let active: Vec<Field> = FIELDS
            .iter()
            .copied()
            .filter(|f| !rule.fields().contains(f))
            .collect();
        let outcome = expectation_maximisation(model, &pats, &active, settings);
        for &field in &active {
            sessions_per_field[field.index()] += 1;
            for (l, m) in outcome.m[field.index()].iter().enumerate() {
                sums[field.index()][l] += m;
            }
        }
        sessions.push(EmSession {
            blocking: rule,
            pairs: pats.iter().map(|(_, c)| *c as u64).sum(),
            iterations: outcome.iterations,
            converged: outcome.converged,
            estimated: active,
            proportion_matched: outcome.lambda,
        });
    }
    for field in FIELDS {
        let k = sessions_per_field[field.index()];
        if k == 0 {
            continue;
        }
        for (i, level) in model.params_mut(field).levels.iter_mut().enumerate() {
            level.m = sums[field.index()][i + 1] / k as f64;
        }
        normalise(model.params_mut(field).levels.iter_mut().map(|l| &mut l.m));
    }
    sessions
}

/// What one EM session found.
pub struct EmOutcome {
    /// m per field and level (index 0 unused); only the active fields are meaningful.
    pub m: [[f64; MAX_LEVELS]; FIELD_COUNT],
    pub lambda: f64,
    pub iterations: usize,
    pub converged: bool,
}

/// Expectation–maximisation over aggregated comparison vectors with u held at the model's
/// values. Only `active` fields enter the likelihood.
pub fn expectation_maximisation(
    model: &Model,
    patterns: &[(Levels, f64)],
    active: &[Field],
    settings: &TrainingSettings,
) -> EmOutcome {
    let mut m = [[0.0f64; MAX_LEVELS]; FIELD_COUNT];
    let mut u = [[1.0f64; MAX_LEVELS]; FIELD_COUNT];
    for field in FIELDS {
        for (i, level) in model.params(field).levels.iter().enumerate() {
            m[field.index()][i + 1] = level.m;
            u[field.index()][i + 1] = level.u;
        }
    }
    let total: f64 = patterns.iter().map(|(_, c)| c).sum();
    let mut lambda = 0.1;
    let mut iterations = 0;
    let mut converged = false;
    if total == 0.0 || active.is_empty() {
        return EmOutcome {
            m,
            lambda: 0.0,
            iterations,
            converged: true,
        };
    }
    while iterations < settings.max_iterations {
        iterations += 1;
        let mut num = [[0.0f64; MAX_LEVELS]; FIELD_COUNT];
        let mut matched = 0.0;
        for (levels, count) in patterns {
            let mut pm = lambda;
            let mut pu = 1.0 - lambda;
            for field in active {
                let l = levels[field.index()] as usize;
                if l != 0 {
                    pm *= m[field.index()][l];
                    pu *= u[field.index()][l];
                }
            }
            let posterior = if pm + pu > 0.0 { pm / (pm + pu) } else { 0.0 };
            let w = posterior * count;
            matched += w;
            for field in active {
                num[field.index()][levels[field.index()] as usize] += w;
            }
        }
        let mut change: f64 = 0.0;
        for field in active {
            let f = field.index();
            let k = field.levels().len();
            let present: f64 = num[f][1..k].iter().sum();
            if present <= 0.0 {
                continue;
            }
            for l in 1..k {
                // Floored so a level EM never saw keeps a finite weight.
                let new = (num[f][l] / present).max(1e-6);
                change = change.max((new - m[f][l]).abs());
                m[f][l] = new;
            }
            let s: f64 = m[f][1..k].iter().sum();
            for v in &mut m[f][1..k] {
                *v /= s;
            }
        }
        let new_lambda = (matched / total).clamp(1e-9, 1.0 - 1e-9);
        change = change.max((new_lambda - lambda).abs());
        lambda = new_lambda;
        if change < settings.tolerance {
            converged = true;
            break;
        }
    }
    EmOutcome {
        m,
        lambda,
        iterations,
        converged,
    }
}

fn normalise<'a>(values: impl Iterator<Item = &'a mut f64>) {
    let mut v: Vec<&mut f64> = values.collect();
    let s: f64 = v.iter().map(|x| **x).sum();
    if s > 0.0 {
        for x in v.iter_mut() {
            **x /= s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    #[test]
    fn packing_round_trips() {
        let l: Levels = [7, 0, 3, 5, 1];
        assert_eq!(unpack(pack(&l)), l);
    }

    /// Patterns drawn from a known mixture: EM must recover the m-probabilities it was
    /// generated with.
    #[test]
    fn em_recovers_known_m_probabilities() {
        let mut model = Model::untrained();
        // True parameters for the first-name field (levels 1..=7) and surname.
        let true_m = [0.85, 0.05, 0.01, 0.04, 0.02, 0.01, 0.02];
        let true_u = [0.01, 0.01, 0.001, 0.02, 0.05, 0.009, 0.9];
        for field in [Field::FirstName, Field::Surname] {
            for (i, level) in model.params_mut(field).levels.iter_mut().enumerate() {
                level.u = true_u[i];
            }
        }
        let mut rng = SplitMix64::new(3);
        let draw = |rng: &mut SplitMix64, p: &[f64]| -> u8 {
            let x = rng.unit();
            let mut acc = 0.0;
            for (i, q) in p.iter().enumerate() {
                acc += q;
                if x < acc {
                    return (i + 1) as u8;
                }
            }
            p.len() as u8
        };
        let mut counts: FxHashMap<u16, u64> = FxHashMap::default();
        for _ in 0..200_000 {
            let is_match = rng.unit() < 0.3;
            let p = if is_match { &true_m } else { &true_u };
            let levels: Levels = [draw(&mut rng, p), draw(&mut rng, p), 0, 0, 0];
            *counts.entry(pack(&levels)).or_insert(0) += 1;
        }
        let mut pats: Vec<(u16, u64)> = counts.into_iter().collect();
        pats.sort_unstable();
        let pats: Vec<(Levels, f64)> = pats
            .into_iter()
            .map(|(k, v)| (unpack(k), v as f64))
            .collect();
        let out = expectation_maximisation(
            &model,
            &pats,
            &[Field::FirstName, Field::Surname],
            &TrainingSettings::default(),
        );
        assert!(
            out.converged,
            "did not converge in {} iterations",
            out.iterations
        );
        assert!((out.lambda - 0.3).abs() < 0.01, "lambda {}", out.lambda);
        for (i, m) in true_m.iter().enumerate() {
            let got = out.m[Field::FirstName.index()][i + 1];
            assert!(
                (got - m).abs() < 0.01,
                "level {} m {got} expected {m}",
                i + 1
            );
        }
    }

    #[test]
    fn training_on_synthetic_people_learns_sensible_weights() {
        let data = crate::synthetic::generate(&crate::synthetic::Config {
            records: 3000,
            seed: 11,
            ..crate::synthetic::Config::default()
        });
        let dataset = Dataset::dedupe(&data.records);
        let model = train(
            &dataset,
            &Model::untrained(),
            &TrainingSettings::default(),
            &Silent,
        );
        model.validate().expect("valid");
        let report = model.training.as_ref().expect("report");
        assert!(report.sessions.iter().all(|s| s.converged));
        let w = |f: Field, l: usize| {
            let p = &model.params(f).levels[l - 1];
            (p.m / p.u).log2()
        };
        assert!(w(Field::Dob, 1) > 8.0, "dob exact {}", w(Field::Dob, 1));
        assert!(
            w(Field::Dob, 6) < -3.0,
            "dob different {}",
            w(Field::Dob, 6)
        );
        assert!(w(Field::Surname, 1) > 4.0);
        assert!(w(Field::FirstName, 7) < -3.0);
        assert!(w(Field::Postcode, 1) > w(Field::Postcode, 4));
        let lambda = model.probability_two_random_records_match;
        assert!(lambda > 0.0 && lambda < 0.01, "lambda {lambda}");
        // Deterministic: the same data and seed give the same model.
        let again = train(
            &dataset,
            &Model::untrained(),
            &TrainingSettings::default(),
            &Silent,
        );
        assert_eq!(again, model);
    }
}
