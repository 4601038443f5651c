//! Writing results as CSV: one row per matched pair with its score, class, cluster, per-field
//! weights and explanation; one row per record with its cluster.

use crate::compare::FIELDS;
use crate::dataset::Dataset;
use crate::error::LinkageError;
use crate::explain::explain;
use crate::linkage::Outcome;
use crate::model::Model;
use crate::score::Scorer;
use rayon::prelude::*;
use std::io::Write;

fn io(e: impl std::fmt::Display) -> LinkageError {
    LinkageError::Io(format!("cannot write the output: {e}"))
}

/// Pairs: `id_l, id_r, match_weight, match_probability, match_class, cluster_id`, then the
/// weight of each field (`w_first_name`, ...) and the `explanation`. `cluster_id` is empty
/// when clustering kept the two records apart.
pub fn write_matches(
    out: impl Write,
    dataset: &Dataset,
    model: &Model,
    scorer: &Scorer,
    outcome: &Outcome,
) -> Result<(), LinkageError> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec![
        "id_l".to_string(),
        "id_r".into(),
        "match_weight".into(),
        "match_probability".into(),
        "match_class".into(),
        "cluster_id".into(),
    ];
    header.extend(FIELDS.iter().map(|f| format!("w_{}", f.name())));
    header.push("explanation".into());
    w.write_record(&header).map_err(io)?;
    // Explanations are the expensive part; build them in parallel a slice at a time so the
    // rows still come out in order.
    for chunk in outcome.matches.chunks(1 << 14) {
        let rows: Vec<Vec<String>> = chunk
            .par_iter()
            .map(|m| {
                let a = &dataset.records[m.left as usize];
                let b = &dataset.records[m.right as usize];
                let e = explain(scorer, a, b);
                let (ca, cb) = (
                    outcome.clusters.of[m.left as usize],
                    outcome.clusters.of[m.right as usize],
                );
                let mut row = vec![
                    dataset.ids[m.left as usize].clone(),
                    dataset.ids[m.right as usize].clone(),
                    format!("{:.3}", e.match_weight),
                    format!("{:.6}", e.probability),
                    model.class(e.probability).as_str().to_string(),
                    if ca == cb {
                        dataset.ids[ca as usize].clone()
                    } else {
                        String::new()
                    },
                ];
                row.extend(e.fields.iter().map(|f| format!("{:.3}", f.weight)));
                row.push(e.text);
                row
            })
            .collect();
        for row in rows {
            w.write_record(&row).map_err(io)?;
        }
    }
    w.flush().map_err(io)
}

/// Clusters: `id, cluster_id, cluster_size` for every record, in input order. A record with
/// no match is its own cluster.
pub fn write_clusters(
    out: impl Write,
    dataset: &Dataset,
    outcome: &Outcome,
) -> Result<(), LinkageError> {
    let of = &outcome.clusters.of;
    let mut sizes = vec![0u32; of.len()];
    for &c in of {
        sizes[c as usize] += 1;
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["id", "cluster_id", "cluster_size"])
        .map_err(io)?;
    for (i, &c) in of.iter().enumerate() {
        w.write_record([
            dataset.ids[i].as_str(),
            dataset.ids[c as usize].as_str(),
            &sizes[c as usize].to_string(),
        ])
        .map_err(io)?;
    }
    w.flush().map_err(io)
}

/// Problem rows: `file, line, id, kept, reason`.
pub fn write_problems(
    out: impl Write,
    problems: &[(String, &crate::input::RowProblem)],
) -> Result<(), LinkageError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["file", "line", "id", "kept", "reason"])
        .map_err(io)?;
    for (file, p) in problems {
        w.write_record([
            file.as_str(),
            &p.line.to_string(),
            p.id.as_deref().unwrap_or(""),
            if p.kept { "true" } else { "false" },
            &p.reason,
        ])
        .map_err(io)?;
    }
    w.flush().map_err(io)
}
