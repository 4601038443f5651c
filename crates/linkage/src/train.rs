//! Estimating the model without labels, the way Splink does:
//!
//! 1. u-probabilities from pairs drawn at random (nearly all of them non-matches);
//! 2. the prior λ from deterministic rules: pairs that agree exactly on name and date of
//!    birth are taken as matches, scaled up by an assumed recall;
//! 3. m-probabilities by expectation–maximisation over the pairs of each training blocking
//!    rule, holding u fixed. A rule's own fields are left out of its session (its pairs
//!    agree on them by construction) and the estimates of the sessions are averaged.

use crate::blocking::{BlockingRule, Blocks, Shape};
use crate::compare::{compare, same_household, Field, Levels, FIELDS, FIELD_COUNT, MAX_LEVELS};
use crate::dataset::Dataset;
use crate::model::{EmSession, Household, Model, TrainingReport};
use crate::progress::Progress;
use crate::rng::SplitMix64;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

#[derive(Debug, Clone)]
pub struct TrainingSettings {
    pub seed: u64,
    /// Random pairs for the u-probabilities. Half a million give the same F1 as a million on
    /// FEBRL 3, FEBRL 4 and the synthetic UK families (docs/benchmarks.md) in half the time;
    /// a level as rare as one pair in 30,000 (the same date of birth) is still seen about 17
    /// times, a weight good to about a third of a bit.
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
            random_pairs: 500_000,
            max_iterations: 100,
            tolerance: 1e-4,
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
    // Twice: the household parameters need m, and m is only clean once households are
    // modelled in the EM.
    let rule_patterns: RulePatterns = settings
        .training_rules
        .iter()
        .map(|&rule| {
            progress.stage(&format!("comparing {rule:?} pairs for training"), 0);
            (rule, patterns(dataset, rule, settings.max_block, progress))
        })
        .collect();
    progress.stage("comparing pairs within households", 0);
    let household_patterns = patterns(
        dataset,
        BlockingRule::PostcodeSurname,
        settings.max_block,
        progress,
    );
    progress.stage("expectation-maximisation", 0);
    let mut sessions = estimate_m(&rule_patterns, &mut model, settings, None);
    model.household = estimate_household(dataset, &household_patterns, &model, settings);
    if let Some(household) = model.household.clone() {
        sessions = estimate_m(&rule_patterns, &mut model, settings, Some(&household));
        model.household = estimate_household(dataset, &household_patterns, &model, settings);
    }
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
fn pack(levels: &Levels) -> u32 {
    levels
        .iter()
        .enumerate()
        .fold(0u32, |acc, (f, &l)| acc | ((l as u32) << (3 * f)))
}

fn unpack(code: u32) -> Levels {
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
        FxHashMap::<u32, u64>::default,
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
    let mut out: Vec<(u32, u64)> = counts.into_iter().collect();
    out.sort_unstable();
    out.into_iter()
        .map(|(k, v)| (unpack(k), v as f64))
        .collect()
}

/// The comparison patterns of each training rule's pairs, computed once: EM runs over them
/// twice.
type RulePatterns = Vec<(BlockingRule, Vec<(Levels, f64)>)>;

fn estimate_m(
    rule_patterns: &RulePatterns,
    model: &mut Model,
    settings: &TrainingSettings,
    household: Option<&Household>,
) -> Vec<EmSession> {
    let mut sums = [[0.0f64; MAX_LEVELS]; FIELD_COUNT];
    let mut sessions_per_field = [0usize; FIELD_COUNT];
    let mut sessions = Vec::new();
    for (rule, pats) in rule_patterns {
        let rule = *rule;
        let active: Vec<Field> = FIELDS
            .iter()
            .copied()
            .filter(|f| !rule.fields().contains(f))
            .collect();
        let outcome = expectation_maximisation(model, pats, &active, settings, household);
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
///
/// With `household` parameters the non-matches are a mixture: pairs from one household (whose
/// surname and place agree whoever they are, and whose first names and dates follow the
/// household u-probabilities) and other pairs. Without that, a father and son who share a
/// name look like one person with a mistyped date, and teach the model that dates of birth
/// often disagree among matches.
pub fn expectation_maximisation(
    model: &Model,
    patterns: &[(Levels, f64)],
    active: &[Field],
    settings: &TrainingSettings,
    household: Option<&Household>,
) -> EmOutcome {
    let mut household_u = [[1.0f64; MAX_LEVELS]; FIELD_COUNT];
    if let Some(h) = household {
        for (i, u) in h.u_first_name.iter().enumerate() {
            household_u[Field::FirstName.index()][i + 1] = *u;
        }
        for (i, u) in h.u_dob.iter().enumerate() {
            household_u[Field::Dob.index()][i + 1] = *u;
        }
    }
    let mut rho = if household.is_some() { 0.1 } else { 0.0 };
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
        let mut in_households = 0.0;
        for (levels, count) in patterns {
            let mut pm = lambda;
            let mut pu = (1.0 - lambda) * (1.0 - rho);
            let mut ph = if rho > 0.0 && same_household(levels) {
                (1.0 - lambda) * rho
            } else {
                0.0
            };
            for field in active {
                let l = levels[field.index()] as usize;
                if l != 0 {
                    pm *= m[field.index()][l];
                    pu *= u[field.index()][l];
                    // The household's place fields agree by definition: only first name and
                    // date of birth say anything inside it.
                    ph *= household_u[field.index()][l];
                }
            }
            let all = pm + pu + ph;
            let posterior = if all > 0.0 { pm / all } else { 0.0 };
            if all > 0.0 {
                in_households += ph / all * count;
            }
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
        if household.is_some() && total > matched {
            let new_rho = (in_households / (total - matched)).clamp(1e-9, 1.0 - 1e-9);
            change = change.max((new_rho - rho).abs());
            rho = new_rho;
        }
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

/// Households are modelled only when at most this share of the pairs sharing a surname and a
/// postcode are duplicates, i.e. when different people of one family are at least as common
/// there as the same person twice. UK family data is far below (about 0.25 in the synthetic
/// data); FEBRL, which has no households, is far above (0.89-0.95).
pub const HOUSEHOLDS_PRESENT_MAX_MATCHED: f64 = 0.5;

/// Pseudo-pairs pulling household u-probabilities towards the population's: where a
/// dataset has few households (FEBRL has none) the estimate stays near the ordinary one.
const HOUSEHOLD_PRIOR_PAIRS: f64 = 50.0;

/// The household parameters: EM over pairs sharing a surname key and a postcode, with m held
/// at the trained values and u free for first name and date of birth, since how often family
/// members share those (twins, a son named after his father) is what the data must tell.
fn estimate_household(
    dataset: &Dataset,
    pats: &[(Levels, f64)],
    model: &Model,
    settings: &TrainingSettings,
) -> Option<Household> {
    let pairs: f64 = pats.iter().map(|(_, c)| c).sum();
    if pairs == 0.0 {
        return None;
    }
    let fields = [Field::FirstName, Field::Dob];
    let mut m = [[1.0f64; MAX_LEVELS]; 2];
    let mut prior_u = [[1.0f64; MAX_LEVELS]; 2];
    for (k, field) in fields.iter().enumerate() {
        for (i, level) in model.params(*field).levels.iter().enumerate() {
            m[k][i + 1] = level.m;
            prior_u[k][i + 1] = level.u;
        }
    }
    let mut u = prior_u;
    let mut lambda = 0.5;
    for _ in 0..settings.max_iterations {
        let mut non_match = [[0.0f64; MAX_LEVELS]; 2];
        let mut matched = 0.0;
        for (levels, count) in pats {
            let mut pm = lambda;
            let mut pu = 1.0 - lambda;
            for (k, field) in fields.iter().enumerate() {
                let l = levels[field.index()] as usize;
                if l != 0 {
                    pm *= m[k][l];
                    pu *= u[k][l];
                }
            }
            let r = if pm + pu > 0.0 { pm / (pm + pu) } else { 0.0 };
            matched += r * count;
            for (k, field) in fields.iter().enumerate() {
                non_match[k][levels[field.index()] as usize] += (1.0 - r) * count;
            }
        }
        let mut change: f64 = 0.0;
        for (k, field) in fields.iter().enumerate() {
            let n = field.levels().len();
            let seen: f64 = non_match[k][1..n].iter().sum();
            for l in 1..n {
                let new = ((non_match[k][l] + HOUSEHOLD_PRIOR_PAIRS * prior_u[k][l])
                    / (seen + HOUSEHOLD_PRIOR_PAIRS))
                    .max(1e-9);
                change = change.max((new - u[k][l]).abs());
                u[k][l] = new;
            }
        }
        let new_lambda = (matched / pairs).clamp(1e-9, 1.0 - 1e-9);
        change = change.max((new_lambda - lambda).abs());
        lambda = new_lambda;
        if change < settings.tolerance {
            break;
        }
    }
    if lambda > HOUSEHOLDS_PRESENT_MAX_MATCHED {
        // Same surname at the same postcode nearly always means the same person here: the
        // data has no households to model (FEBRL is like this), and a household component
        // would only explain away real matches.
        return None;
    }
    let lambda_all = model.probability_two_random_records_match;
    let u_same_household = (pairs * (1.0 - lambda)
        / (dataset.total_pairs().max(1.0) * (1.0 - lambda_all)))
        .clamp(1e-15, 0.5);
    let level_values = |k: usize, field: Field| u[k][1..field.levels().len()].to_vec();
    Some(Household {
        u_same_household,
        u_first_name: level_values(0, Field::FirstName),
        u_dob: level_values(1, Field::Dob),
        pairs: pairs as u64,
        proportion_matched: lambda,
    })
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
        let l: Levels = [7, 0, 3, 5, 1, 4];
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
        let mut counts: FxHashMap<u32, u64> = FxHashMap::default();
        for _ in 0..200_000 {
            let is_match = rng.unit() < 0.3;
            let p = if is_match { &true_m } else { &true_u };
            let levels: Levels = [draw(&mut rng, p), draw(&mut rng, p), 0, 0, 0, 0];
            *counts.entry(pack(&levels)).or_insert(0) += 1;
        }
        let mut pats: Vec<(u32, u64)> = counts.into_iter().collect();
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
            None,
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
