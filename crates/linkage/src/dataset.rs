//! A dataset ready for linkage: every record prepared once, with one interner for all values.

use crate::blocking::Shape;
use crate::intern::Interner;
use crate::record::{Normalised, PersonRecord, Prepared};
use rayon::prelude::*;

pub struct Dataset {
    pub ids: Vec<String>,
    pub records: Vec<Prepared>,
    pub interner: Interner,
    pub shape: Shape,
}

impl Dataset {
    /// One dataset to deduplicate.
    pub fn dedupe(records: &[PersonRecord]) -> Dataset {
        Dataset::build(&[records], Shape::Dedupe)
    }

    /// Two datasets to link; A's records come first.
    pub fn link(left: &[PersonRecord], right: &[PersonRecord]) -> Dataset {
        Dataset::build(
            &[left, right],
            Shape::Link {
                left: left.len() as u32,
            },
        )
    }

    fn build(parts: &[&[PersonRecord]], shape: Shape) -> Dataset {
        // The string work runs in parallel a chunk at a time; interning is sequential. Chunks
        // keep the intermediate strings of a million records from all being alive at once.
        const CHUNK: usize = 1 << 16;
        let total: usize = parts.iter().map(|p| p.len()).sum();
        let mut interner = Interner::default();
        let mut prepared = Vec::with_capacity(total);
        let mut ids = Vec::with_capacity(total);
        for part in parts {
            for chunk in part.chunks(CHUNK) {
                let normalised: Vec<Normalised> = chunk.par_iter().map(Normalised::of).collect();
                prepared.extend(normalised.iter().map(|n| n.intern(&mut interner)));
                ids.extend(chunk.iter().map(|r| r.id.clone()));
            }
        }
        Dataset {
            ids,
            records: prepared,
            interner,
            shape,
        }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// How many pairs could be compared without blocking: the denominator of the prior.
    pub fn total_pairs(&self) -> f64 {
        let n = self.records.len() as f64;
        match self.shape {
            Shape::Dedupe => n * (n - 1.0) / 2.0,
            Shape::Link { left } => left as f64 * (n - left as f64),
        }
    }
}
