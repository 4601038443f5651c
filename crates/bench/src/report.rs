//! The results as Markdown, ready for docs/benchmarks.md.

use crate::measure::Run;
use crate::queries::Labelled;
use hearth_synthetic::load::SeedReport;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Everything measured on one engine.
pub struct EngineResult {
    pub engine: &'static str,
    pub seed: SeedReport,
    pub full: Run,
    pub name_only: Run,
    pub peer: Option<crate::peer::Peer>,
}

pub fn machine() -> String {
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    format!("{cpus} CPUs ({model})")
}

pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

pub fn seeding(results: &[EngineResult]) -> String {
    let mut out = String::new();
    out.push_str("| Engine | People | Addresses | Previous names | Households | Seeding | People/s | ANALYZE |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in results {
        let s = &r.seed;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {:.1} s | {:.0} | {:.1} s |",
            r.engine,
            s.people,
            s.addresses,
            s.other_names,
            s.households,
            s.seconds,
            s.people as f64 / s.seconds.max(1e-9),
            s.analyze_seconds
        );
    }
    out
}

fn row(out: &mut String, engine: &str, run: &Run, what: &str) {
    let recall25 = if run.label == "pg_trgm" {
        "—".to_string()
    } else {
        pct(run.recall(25))
    };
    let _ = writeln!(
        out,
        "| {engine} | {what} | {:.2} | {:.2} | {:.2} | {} | {} | {:.1} |",
        run.percentile(50.0),
        run.percentile(95.0),
        run.percentile(99.0),
        pct(run.recall(5)),
        recall25,
        run.mean_shown()
    );
}

pub fn results(results: &[EngineResult]) -> String {
    let mut out = String::new();
    out.push_str(
        "| Engine | Search | p50 ms | p95 ms | p99 ms | Recall@5 | Recall@25 | Mean results |\n",
    );
    out.push_str("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for r in results {
        row(
            &mut out,
            r.engine,
            &r.full,
            "Hearth find-before-create (name + dob ± postcode)",
        );
        row(&mut out, r.engine, &r.name_only, "Hearth name only");
        if let Some(p) = &r.peer {
            let what = format!("pg_trgm `%` + similarity, GIN (threshold {})", p.threshold);
            row(&mut out, r.engine, &p.run, &what);
        }
    }
    out
}

pub fn comparison(results: &[EngineResult]) -> String {
    let mut out = String::new();
    for r in results {
        let Some(p) = &r.peer else { continue };
        let peer = &p.run;
        let _ = writeln!(
            out,
            "- {}: Hearth find-before-create p95 is {:.2}× pg_trgm's ({:.2} ms vs {:.2} ms); \
             name-only p95 is {:.2}× ({:.2} ms). Recall@5: find-before-create {} vs pg_trgm {} \
             ({:+.1} points); name only {} ({:+.1} points). Trigram index build: {:.1} s.",
            r.engine,
            r.full.percentile(95.0) / peer.percentile(95.0),
            r.full.percentile(95.0),
            peer.percentile(95.0),
            r.name_only.percentile(95.0) / peer.percentile(95.0),
            r.name_only.percentile(95.0),
            pct(r.full.recall(5)),
            pct(peer.recall(5)),
            (r.full.recall(5) - peer.recall(5)) * 100.0,
            pct(r.name_only.recall(5)),
            (r.name_only.recall(5) - peer.recall(5)) * 100.0,
            p.index_seconds
        );
    }
    out
}

/// Recall@5 by the kind of change made to the query: where each approach loses the person.
pub fn by_change(queries: &[Labelled], r: &EngineResult) -> String {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, q) in queries.iter().enumerate() {
        for c in &q.changes {
            groups.entry(c).or_default().push(i);
        }
    }
    let hit = |run: &Run, i: usize| run.ranks.get(i).copied().flatten().is_some_and(|r| r < 5);
    let mut out = String::new();
    let peer_head = if r.peer.is_some() { " pg_trgm |" } else { "" };
    let peer_rule = if r.peer.is_some() { "---:|" } else { "" };
    let _ = writeln!(
        out,
        "| Change in the query ({}) | Queries | Find-before-create | Name only |{peer_head}",
        r.engine
    );
    let _ = writeln!(out, "|---|---:|---:|---:|{peer_rule}");
    for (change, idx) in groups {
        let share =
            |run: &Run| pct(idx.iter().filter(|i| hit(run, **i)).count() as f64 / idx.len() as f64);
        let peer = r
            .peer
            .as_ref()
            .map(|p| format!(" {} |", share(&p.run)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {change} | {} | {} | {} |{peer}",
            idx.len(),
            share(&r.full),
            share(&r.name_only)
        );
    }
    out
}
