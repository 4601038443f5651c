//! `hearth-linkage-synth`: writes a synthetic UK family dataset and its truth.
//!
//! hearth-linkage-synth --records 50000 --seed 1 --out people.csv --truth truth.csv

use hearth_linkage::synthetic::{generate, Config};
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hearth-linkage-synth: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut config = Config::default();
    let mut out = None;
    let mut truth = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--records" => {
                config.records = value()?.parse().map_err(|e| format!("--records: {e}"))?
            }
            "--seed" => config.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => out = Some(value()?),
            "--truth" => truth = Some(value()?),
            "-h" | "--help" => {
                println!("usage: hearth-linkage-synth --records N [--seed S] --out FILE.csv --truth TRUTH.csv");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let out = out.ok_or("--out FILE.csv is required")?;
    let truth = truth.ok_or("--truth TRUTH.csv is required")?;
    let data = generate(&config);
    let mut w = csv::Writer::from_path(&out).map_err(|e| format!("{out}: {e}"))?;
    w.write_record(["id", "first_name", "surname", "dob", "postcode", "address"])
        .map_err(|e| e.to_string())?;
    for r in &data.records {
        w.write_record([
            &r.id,
            &r.first_name,
            &r.surname,
            &r.dob,
            &r.postcode,
            &r.address,
        ])
        .map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())?;
    let mut t = csv::Writer::from_path(&truth).map_err(|e| format!("{truth}: {e}"))?;
    t.write_record(["id", "person_id"])
        .map_err(|e| e.to_string())?;
    for (r, p) in data.records.iter().zip(&data.person) {
        t.write_record([r.id.as_str(), &format!("p{p}")])
            .map_err(|e| e.to_string())?;
    }
    t.flush().map_err(|e| e.to_string())?;
    let people = data.person.iter().max().map(|m| m + 1).unwrap_or(0);
    eprintln!(
        "wrote {} records of {people} people to {out}; truth in {truth}",
        data.records.len()
    );
    Ok(())
}
