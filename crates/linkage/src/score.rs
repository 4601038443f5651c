//! Scoring a pair: the prior's log-odds plus one match weight, log2(m/u), per field. Exact
//! agreement on a field with term-frequency adjustment uses the value's own frequency in
//! place of u, so two records that are both "Smith" gain less than two that are both
//! "Featherstonehaugh".

use crate::compare::{
    compare, names_swapped, same_household, Field, Levels, FIELDS, FIELD_COUNT, MAX_LEVELS,
};
use crate::intern::UNSEEN;
use crate::model::{probability, Model};
use crate::record::Prepared;

/// A model compiled for one dataset: weights in flat tables and term frequencies per
/// interned value.
pub struct Scorer {
    prior: f64,
    m: [[f64; MAX_LEVELS]; FIELD_COUNT],
    u: [[f64; MAX_LEVELS]; FIELD_COUNT],
    weights: [[f64; MAX_LEVELS]; FIELD_COUNT],
    /// Per field, each interned value's frequency (`NaN` where the value does not occur);
    /// empty for fields without term-frequency adjustment.
    tf: [Vec<f32>; FIELD_COUNT],
    /// The exact-agreement weight of each value, log2(m / frequency), precomputed.
    tf_weight: [Vec<f32>; FIELD_COUNT],
    household: Option<HouseholdWeights>,
}

/// The household parameters as weights.
struct HouseholdWeights {
    first: [f64; MAX_LEVELS],
    dob: [f64; MAX_LEVELS],
    u_pair: f64,
}

/// One scored candidate pair. `left < right`; in linking `left` is in dataset A.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    pub left: u32,
    pub right: u32,
    pub weight: f32,
    pub levels: Levels,
}

impl Match {
    pub fn probability(&self) -> f64 {
        probability(self.weight as f64)
    }
}

/// The interned value term frequencies are counted on, per field.
fn tf_value(field: Field, r: &Prepared) -> Option<u32> {
    let id = match field {
        Field::FirstName => r.first.id,
        Field::Surname => r.surname.id,
        Field::Postcode => r.postcode.unit,
        Field::Address => r.address.whole,
        Field::Locality => r.locality.id,
        Field::Dob => return None,
    };
    (id < UNSEEN).then_some(id)
}

impl Scorer {
    /// Compiles `model` with term frequencies counted over `records`, whose ids run below
    /// `id_count`.
    pub fn new(model: &Model, records: &[Prepared], id_count: usize) -> Scorer {
        let mut m = [[1.0; MAX_LEVELS]; FIELD_COUNT];
        let mut u = [[1.0; MAX_LEVELS]; FIELD_COUNT];
        let mut weights = [[0.0; MAX_LEVELS]; FIELD_COUNT];
        for field in FIELDS {
            for (i, level) in model.params(field).levels.iter().enumerate() {
                let f = field.index();
                m[f][i + 1] = level.m;
                u[f][i + 1] = level.u;
                weights[f][i + 1] = (level.m / level.u).log2();
            }
        }
        let lambda = model.probability_two_random_records_match;
        let mut tf: [Vec<f32>; FIELD_COUNT] = Default::default();
        for &field in &model.term_frequency.fields {
            if field == Field::Dob {
                continue;
            }
            let mut counts = vec![0u32; id_count];
            let mut present = 0u64;
            for r in records {
                if let Some(id) = tf_value(field, r) {
                    counts[id as usize] += 1;
                    present += 1;
                }
            }
            let floor = model.term_frequency.minimum_u;
            tf[field.index()] = counts
                .iter()
                .map(|&c| {
                    if c == 0 {
                        f32::NAN
                    } else {
                        (c as f64 / present as f64).max(floor) as f32
                    }
                })
                .collect();
        }
        let mut tf_weight: [Vec<f32>; FIELD_COUNT] = Default::default();
        for field in FIELDS {
            let m_exact = m[field.index()][Field::EXACT as usize];
            tf_weight[field.index()] = tf[field.index()]
                .iter()
                .map(|&freq| (m_exact / freq as f64).log2() as f32)
                .collect();
        }
        let household = model.household.as_ref().map(|h| {
            let mut first = [0.0; MAX_LEVELS];
            let mut dob = [0.0; MAX_LEVELS];
            for (i, u_h) in h.u_first_name.iter().enumerate() {
                first[i + 1] = (m[Field::FirstName.index()][i + 1] / u_h).log2();
            }
            for (i, u_h) in h.u_dob.iter().enumerate() {
                dob[i + 1] = (m[Field::Dob.index()][i + 1] / u_h).log2();
            }
            HouseholdWeights {
                first,
                dob,
                u_pair: h.u_same_household,
            }
        });
        Scorer {
            prior: (lambda / (1.0 - lambda)).log2(),
            m,
            u,
            weights,
            tf,
            tf_weight,
            household,
        }
    }

    /// The prior's contribution: log2 of the odds that two random records match.
    pub fn prior_weight(&self) -> f64 {
        self.prior
    }

    /// u for `field` at `level`, or the value's own frequency for exact agreement on a
    /// field with term-frequency adjustment.
    #[inline]
    fn u_of(&self, field: Field, level: u8, a: &Prepared) -> f64 {
        let f = field.index();
        if level == Field::EXACT && !self.tf[f].is_empty() {
            if let Some(id) = tf_value(field, a) {
                if let Some(&freq) = self.tf[f].get(id as usize) {
                    if !freq.is_nan() {
                        return freq as f64;
                    }
                }
            }
        }
        self.u[f][level as usize]
    }

    /// The weight field `field` contributes at `level` for a pair whose first record is `a`,
    /// scored as an ordinary (not same-household) pair.
    #[inline]
    pub fn field_weight(&self, field: Field, level: u8, a: &Prepared) -> f64 {
        let f = field.index();
        if level == Field::EXACT && !self.tf[f].is_empty() {
            if let Some(id) = tf_value(field, a) {
                if let Some(&w) = self.tf_weight[f].get(id as usize) {
                    if !w.is_nan() {
                        return w as f64;
                    }
                }
            }
        }
        self.weights[f][level as usize]
    }

    /// The weight a field contributes without term-frequency adjustment.
    pub fn base_weight(&self, field: Field, level: u8) -> f64 {
        self.weights[field.index()][level as usize]
    }

    /// Whether this pair is scored as two records from one household.
    pub fn is_household_pair(&self, levels: &Levels) -> bool {
        self.household.is_some() && same_household(levels)
    }

    /// The weight of each field for the pair. For a household pair the surname, postcode,
    /// address and locality agreements are weighed once, together, on the surname (the place
    /// fields then show 0), and first name and date of birth use household u-probabilities.
    #[inline]
    pub fn field_weights(&self, a: &Prepared, levels: &Levels) -> [f64; FIELD_COUNT] {
        let mut w = [0.0; FIELD_COUNT];
        let h = match &self.household {
            Some(h) if same_household(levels) => h,
            _ => {
                for field in FIELDS {
                    w[field.index()] = self.field_weight(field, levels[field.index()], a);
                }
                // The swap's u is the chance that both names cross over: counting it on the
                // surname as well would weigh one coincidence twice.
                if names_swapped(levels) {
                    w[Field::Surname.index()] = 0.0;
                }
                return w;
            }
        };
        let (fi, di) = (Field::FirstName.index(), Field::Dob.index());
        w[fi] = h.first[levels[fi] as usize];
        w[di] = h.dob[levels[di] as usize];
        let (s, p, ad) = (Field::Surname, Field::Postcode, Field::Address);
        let ls = levels[s.index()];
        let mut joint_m = self.m[s.index()][ls as usize];
        let mut independent_u = self.u_of(s, ls, a);
        let lp = levels[p.index()];
        if lp == 1 {
            joint_m *= self.m[p.index()][1];
            independent_u *= self.u_of(p, 1, a);
        } else {
            w[p.index()] = self.field_weight(p, lp, a);
        }
        let la = levels[ad.index()];
        if la == 1 || la == 2 {
            joint_m *= self.m[ad.index()][la as usize];
            independent_u *= self.u_of(ad, la, a);
        } else {
            w[ad.index()] = self.field_weight(ad, la, a);
        }
        // A family shares its town as it shares its address.
        let lo = Field::Locality;
        let ll = levels[lo.index()];
        if ll == Field::EXACT {
            joint_m *= self.m[lo.index()][1];
            independent_u *= self.u_of(lo, 1, a);
        } else {
            w[lo.index()] = self.field_weight(lo, ll, a);
        }
        // Never more evidence than independent fields would give: in data without
        // households (or where a surname is rare) the household estimate is the smaller.
        w[s.index()] = (joint_m / h.u_pair.max(independent_u)).log2();
        w
    }

    /// The total match weight of a pair and its comparison vector.
    #[inline]
    pub fn score(&self, a: &Prepared, b: &Prepared) -> (f64, Levels) {
        let levels = compare(a, b);
        let w = self.field_weights(a, &levels);
        (self.prior + w.iter().sum::<f64>(), levels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intern::Interner;
    use crate::record::{Normalised, PersonRecord};

    fn records(rows: &[(&str, &str)]) -> (Vec<Prepared>, usize) {
        let mut ids = Interner::default();
        let v = rows
            .iter()
            .map(|(f, s)| {
                Normalised::of(&PersonRecord {
                    first_name: f.to_string(),
                    surname: s.to_string(),
                    ..PersonRecord::default()
                })
                .intern(&mut ids)
            })
            .collect();
        (v, ids.len())
    }

    #[test]
    fn common_surnames_count_for_less_than_rare_ones() {
        let mut rows = vec![("Ann", "Smith"); 50];
        rows.push(("Ann", "Featherstonehaugh"));
        rows.push(("Bob", "Featherstonehaugh"));
        let (recs, n) = records(&rows);
        let scorer = Scorer::new(&Model::untrained(), &recs, n);
        let (common, l1) = scorer.score(&recs[0], &recs[1]);
        let (rare, l2) = scorer.score(&recs[50], &recs[51]);
        assert_eq!(l1[1], 1);
        assert_eq!(l2[1], 1);
        let w_common = scorer.field_weight(Field::Surname, 1, &recs[0]);
        let w_rare = scorer.field_weight(Field::Surname, 1, &recs[50]);
        assert!(w_rare > w_common + 4.0, "rare {w_rare} common {w_common}");
        // The first names differ in the rare pair, yet the surname's rarity is visible in it.
        assert!(rare - common < w_rare - w_common);
    }

    #[test]
    fn missing_fields_weigh_nothing() {
        let (recs, n) = records(&[("Ann", ""), ("Ann", "")]);
        let scorer = Scorer::new(&Model::untrained(), &recs, n);
        let (w, levels) = scorer.score(&recs[0], &recs[1]);
        assert_eq!(levels[1], 0);
        let expected = scorer.prior_weight() + scorer.field_weight(Field::FirstName, 1, &recs[0]);
        assert!((w - expected).abs() < 1e-9);
    }

    #[test]
    fn swapped_names_count_once() {
        let (recs, n) = records(&[("Grace", "Morrison"), ("Morrison", "Grace"), ("Ann", "Lee")]);
        let mut model = Model::untrained();
        model.params_mut(Field::Surname).levels[3].m = 0.3;
        let scorer = Scorer::new(&model, &recs, n);
        let (w, levels) = scorer.score(&recs[0], &recs[1]);
        assert!(names_swapped(&levels));
        let expected = scorer.prior_weight() + scorer.field_weight(Field::FirstName, 3, &recs[0]);
        assert!((w - expected).abs() < 1e-9, "{w} against {expected}");
        assert!(scorer.field_weight(Field::Surname, 4, &recs[0]) > 0.0);
    }
}
