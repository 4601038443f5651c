//! Times the comparators on random pairs of synthetic records (a development aid).
use hearth_linkage::compare::{compare, FIELD_COUNT};
use hearth_linkage::jaro::jaro_winkler;
use hearth_linkage::rng::SplitMix64;
use hearth_linkage::synthetic::{generate, Config};
use hearth_linkage::Dataset;
use std::time::Instant;

fn main() {
    let data = generate(&Config {
        records: 10_000,
        seed: 1,
    });
    let ds = Dataset::dedupe(&data.records);
    let n = ds.len() as u64;
    let mut rng = SplitMix64::new(1);
    let pairs: Vec<(usize, usize)> = (0..1_000_000)
        .map(|_| (rng.below(n) as usize, rng.below(n) as usize))
        .collect();
    let t = Instant::now();
    let mut acc = [0u64; FIELD_COUNT];
    for &(i, j) in &pairs {
        let l = compare(&ds.records[i], &ds.records[j]);
        for f in 0..FIELD_COUNT {
            acc[f] += l[f] as u64;
        }
    }
    println!("compare: {:?} per pair ({acc:?})", t.elapsed() / 1_000_000);
    let t = Instant::now();
    let mut s = 0.0;
    for &(i, j) in &pairs {
        s += jaro_winkler(
            ds.records[i].first.text.as_bytes(),
            ds.records[j].first.text.as_bytes(),
        );
    }
    println!("jaro-winkler: {:?} per pair ({s})", t.elapsed() / 1_000_000);
    let t = Instant::now();
    let mut c = 0;
    for &(i, j) in &pairs {
        c += hearth_linkage::dob::compare(ds.records[i].dob, ds.records[j].dob) as u32;
    }
    println!("dob: {:?} per pair ({c})", t.elapsed() / 1_000_000);
}
