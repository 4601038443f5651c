//! The Fellegi–Sunter model: for each field and comparison level the probability of that
//! level among true matches (m) and among non-matches (u), the prior probability that two
//! records match (λ), the blocking rules and the decision thresholds. Saved as a versioned
//! JSON file so a model trained once gives the same answers later.

use crate::blocking::BlockingRule;
use crate::compare::{Field, FIELDS};
use crate::error::LinkageError;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What the `format` field of every model file says.
pub const FORMAT: &str = "hearth-linkage-model";
/// The model file layout this build reads and writes. Version 2 added the locality field.
pub const VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub format: String,
    pub version: u32,
    /// λ: the probability that two records drawn at random are the same person.
    pub probability_two_random_records_match: f64,
    pub fields: Vec<FieldParams>,
    pub thresholds: Thresholds,
    /// Rules that choose which pairs are scored at all.
    pub blocking: Vec<BlockingRule>,
    pub term_frequency: TermFrequency,
    /// Parameters for pairs from the same household; absent until trained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<Household>,
    /// How the model was trained: kept so a reader can judge the numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training: Option<TrainingReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldParams {
    pub field: Field,
    /// Levels 1.. of the field's comparison, in order; level 0 ("missing") has no
    /// parameters because it carries no weight.
    pub levels: Vec<LevelParams>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelParams {
    pub level: String,
    pub m: f64,
    pub u: f64,
}

/// Match probabilities at or above `certain` are matches nobody needs to check; at or above
/// `review` a person should look; below `review` the pair is not a match.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    pub certain: f64,
    pub review: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            certain: 0.99,
            review: 0.5,
        }
    }
}

/// Which fields' exact agreement is weighted by how common the value is, and the smallest
/// frequency used (so a value seen once does not get an unbounded weight).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermFrequency {
    pub fields: Vec<Field>,
    pub minimum_u: f64,
}

impl Default for TermFrequency {
    fn default() -> Self {
        TermFrequency {
            fields: vec![
                Field::FirstName,
                Field::Surname,
                Field::Postcode,
                Field::Locality,
            ],
            minimum_u: 1e-6,
        }
    }
}

/// Family members share a surname, a postcode and an address, so for a pair from one
/// household those agreements are one fact, not three independent ones, and the first name
/// and date of birth are what tell a duplicate from a brother, a twin or a father. These are
/// the non-match probabilities that apply inside a household.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Household {
    /// P(two different people agree on surname and postcode): how often two records that
    /// are not the same person come from one household.
    pub u_same_household: f64,
    /// u for each first-name level (1..) between different people of one household.
    pub u_first_name: Vec<f64>,
    /// u for each date-of-birth level (1..) between different people of one household.
    pub u_dob: Vec<f64>,
    /// Household pairs the estimate came from and the share of them that were duplicates.
    pub pairs: u64,
    pub proportion_matched: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingReport {
    pub records: usize,
    pub seed: u64,
    pub random_pairs: usize,
    pub deterministic_pairs: u64,
    pub assumed_recall: f64,
    pub sessions: Vec<EmSession>,
}

/// One expectation–maximisation run over the pairs of one blocking rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmSession {
    pub blocking: BlockingRule,
    pub pairs: u64,
    pub iterations: usize,
    pub converged: bool,
    /// The fields whose m-probabilities this session estimated (the others are fixed by the
    /// blocking rule and so say nothing).
    pub estimated: Vec<Field>,
    pub proportion_matched: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchClass {
    Certain,
    Review,
    NoMatch,
}

impl MatchClass {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchClass::Certain => "certain",
            MatchClass::Review => "review",
            MatchClass::NoMatch => "no_match",
        }
    }
}

/// Match probability from a match weight (log2 of the odds).
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// Match weight (log2 odds) from a probability.
pub fn weight_of(probability: f64) -> f64 {
    let p = probability.clamp(1e-15, 1.0 - 1e-15);
    (p / (1.0 - p)).log2()
}

impl Model {
    /// An untrained model: m-probabilities that favour agreement, u-probabilities that
    /// favour disagreement. Training replaces both.
    pub fn untrained() -> Model {
        let fields = FIELDS
            .iter()
            .map(|&field| {
                let labels = &field.levels()[1..];
                let k = labels.len();
                let levels = labels
                    .iter()
                    .enumerate()
                    .map(|(i, label)| LevelParams {
                        level: (*label).to_string(),
                        m: starting_m(i, k),
                        u: starting_m(k - 1 - i, k),
                    })
                    .collect();
                FieldParams { field, levels }
            })
            .collect();
        Model {
            format: FORMAT.into(),
            version: VERSION,
            probability_two_random_records_match: 1e-4,
            fields,
            thresholds: Thresholds::default(),
            blocking: BlockingRule::DEFAULT.to_vec(),
            term_frequency: TermFrequency::default(),
            household: None,
            training: None,
        }
    }

    pub fn params(&self, field: Field) -> &FieldParams {
        // `validate` guarantees fields are stored in FIELDS order.
        &self.fields[field.index()]
    }

    pub fn params_mut(&mut self, field: Field) -> &mut FieldParams {
        &mut self.fields[field.index()]
    }

    pub fn class(&self, probability: f64) -> MatchClass {
        if probability >= self.thresholds.certain {
            MatchClass::Certain
        } else if probability >= self.thresholds.review {
            MatchClass::Review
        } else {
            MatchClass::NoMatch
        }
    }

    pub fn to_json(&self) -> Result<String, LinkageError> {
        serde_json::to_string_pretty(self).map_err(|e| LinkageError::Model(e.to_string()))
    }

    pub fn from_json(json: &str) -> Result<Model, LinkageError> {
        let model: Model = serde_json::from_str(json)
            .map_err(|e| LinkageError::Model(format!("not a readable model file: {e}")))?;
        model.validate()?;
        Ok(model)
    }

    pub fn save(&self, path: &Path) -> Result<(), LinkageError> {
        std::fs::write(path, self.to_json()? + "\n")
            .map_err(|e| LinkageError::Io(format!("cannot write {}: {e}", path.display())))
    }

    pub fn load(path: &Path) -> Result<Model, LinkageError> {
        let json = std::fs::read_to_string(path)
            .map_err(|e| LinkageError::Io(format!("cannot read {}: {e}", path.display())))?;
        Model::from_json(&json)
    }

    /// Checks a model (typically one read from a file) fits this build: its format and
    /// version, one entry per field in order with that field's levels, probabilities in range
    /// and thresholds that make sense.
    pub fn validate(&self) -> Result<(), LinkageError> {
        let bad = |m: String| Err(LinkageError::Model(m));
        if self.format != FORMAT {
            return bad(format!("format is {:?}, expected {FORMAT:?}", self.format));
        }
        if self.version != VERSION {
            return bad(format!(
                "model file version {} cannot be read by this build (it reads version {VERSION}): train a new model with --train-out",
                self.version
            ));
        }
        let lambda = self.probability_two_random_records_match;
        if !(lambda > 0.0 && lambda < 1.0) {
            return bad(format!(
                "probability_two_random_records_match {lambda} is not between 0 and 1"
            ));
        }
        if self.fields.len() != FIELDS.len() {
            return bad(format!(
                "{} fields, expected {}",
                self.fields.len(),
                FIELDS.len()
            ));
        }
        for (params, field) in self.fields.iter().zip(FIELDS) {
            if params.field != field {
                return bad(format!(
                    "field {:?} where {:?} was expected",
                    params.field, field
                ));
            }
            let labels = &field.levels()[1..];
            if params.levels.len() != labels.len() {
                return bad(format!(
                    "{} has {} levels, expected {}",
                    field.name(),
                    params.levels.len(),
                    labels.len()
                ));
            }
            for (level, label) in params.levels.iter().zip(labels) {
                if level.level != *label {
                    return bad(format!(
                        "{} level {:?}, expected {label:?}",
                        field.name(),
                        level.level
                    ));
                }
                for (name, p) in [("m", level.m), ("u", level.u)] {
                    if !(p > 0.0 && p <= 1.0) {
                        return bad(format!(
                            "{} {label} {name}={p} is not in (0, 1]",
                            field.name()
                        ));
                    }
                }
            }
        }
        let t = self.thresholds;
        if !(0.0 < t.review && t.review <= t.certain && t.certain <= 1.0) {
            return bad(format!(
                "thresholds must satisfy 0 < review <= certain <= 1 (review {}, certain {})",
                t.review, t.certain
            ));
        }
        if self.blocking.is_empty() {
            return bad("at least one blocking rule is needed".into());
        }
        if let Some(h) = &self.household {
            let ok = |v: &[f64], f: Field| {
                v.len() == f.levels().len() - 1 && v.iter().all(|p| *p > 0.0 && *p <= 1.0)
            };
            if !ok(&h.u_first_name, Field::FirstName) || !ok(&h.u_dob, Field::Dob) {
                return bad(
                    "household u-probabilities must have one value in (0, 1] per level".into(),
                );
            }
            if !(h.u_same_household > 0.0 && h.u_same_household < 1.0) {
                return bad(format!(
                    "household u_same_household {} is not between 0 and 1",
                    h.u_same_household
                ));
            }
        }
        let floor = self.term_frequency.minimum_u;
        if floor.is_nan() || floor <= 0.0 {
            return bad("term_frequency.minimum_u must be positive".into());
        }
        Ok(())
    }
}

/// Starting values for level `i` of `k`: most of the mass on the first level, the rest
/// falling away geometrically.
fn starting_m(i: usize, k: usize) -> f64 {
    let tail: f64 = (1..k).map(|j| 0.5f64.powi(j as i32)).sum();
    if i == 0 {
        0.8
    } else {
        0.2 * 0.5f64.powi(i as i32) / tail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrained_model_is_valid_and_sums_to_one() {
        let m = Model::untrained();
        m.validate().expect("valid");
        for f in &m.fields {
            let sm: f64 = f.levels.iter().map(|l| l.m).sum();
            let su: f64 = f.levels.iter().map(|l| l.u).sum();
            assert!((sm - 1.0).abs() < 1e-9 && (su - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn round_trips_through_json() {
        let mut m = Model::untrained();
        m.probability_two_random_records_match = 0.000123;
        m.thresholds.certain = 0.97;
        let back = Model::from_json(&m.to_json().expect("json")).expect("valid");
        assert_eq!(back, m);
    }

    #[test]
    fn saves_and_loads_a_file() {
        let dir = std::env::temp_dir().join(format!("hearth-linkage-model-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("model.json");
        let m = Model::untrained();
        m.save(&path).expect("save");
        assert_eq!(Model::load(&path).expect("load"), m);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn refuses_wrong_version_and_bad_numbers() {
        let mut m = Model::untrained();
        m.version = 99;
        let e = Model::from_json(&m.to_json().expect("json")).expect_err("version");
        assert!(e.to_string().contains("version 99"), "{e}");
        let mut m = Model::untrained();
        m.fields[2].levels[0].m = 1.5;
        assert!(Model::from_json(&m.to_json().expect("json")).is_err());
        let mut m = Model::untrained();
        m.thresholds.review = 0.999;
        assert!(m.validate().is_err());
        assert!(Model::from_json("{\"format\": 1}").is_err());
    }

    #[test]
    fn classes_follow_thresholds() {
        let m = Model::untrained();
        assert_eq!(m.class(0.995), MatchClass::Certain);
        assert_eq!(m.class(0.7), MatchClass::Review);
        assert_eq!(m.class(0.1), MatchClass::NoMatch);
        assert!((probability(weight_of(0.8)) - 0.8).abs() < 1e-12);
    }
}
