//! Turning goose's metrics into the table docs/benchmarks.md records: per step, requests,
//! throughput, p50/p95/p99 and errors, with `/healthz` in the same run as the ceiling.

use crate::journeys::STEPS;
use goose::metrics::{GooseMetrics, GooseRequestMetricAggregate};
use serde_json::json;
use std::collections::BTreeMap;

pub struct Step {
    pub name: String,
    pub requests: usize,
    pub errors: usize,
    pub per_second: f64,
    pub p50: usize,
    pub p95: usize,
    pub p99: usize,
}

pub struct Report {
    label: String,
    users: usize,
    think: Option<(u64, u64)>,
    seconds: usize,
    ceiling: Option<Step>,
    steps: Vec<Step>,
    /// (step, what went wrong, how often)
    failures: Vec<(String, String, usize)>,
    rss_kib: Option<u64>,
}

/// The smallest time with at least `p` per cent of the requests at or below it (goose keeps
/// times in milliseconds, rounded more coarsely above 100 ms).
fn percentile(times: &BTreeMap<usize, usize>, p: f64) -> usize {
    let total: usize = times.values().sum();
    let wanted = ((total as f64) * p / 100.0).ceil() as usize;
    let mut seen = 0;
    for (ms, n) in times {
        seen += n;
        if seen >= wanted.max(1) {
            return *ms;
        }
    }
    0
}

fn step(name: &str, aggregates: &[&GooseRequestMetricAggregate], seconds: usize) -> Step {
    let mut times = BTreeMap::new();
    let (mut ok, mut failed) = (0, 0);
    for a in aggregates {
        ok += a.success_count;
        failed += a.fail_count;
        for (ms, n) in &a.raw_data.times {
            *times.entry(*ms).or_insert(0) += n;
        }
    }
    Step {
        name: name.to_string(),
        requests: ok + failed,
        errors: failed,
        per_second: (ok + failed) as f64 / seconds.max(1) as f64,
        p50: percentile(&times, 50.0),
        p95: percentile(&times, 95.0),
        p99: percentile(&times, 99.0),
    }
}

fn steps(metrics: &GooseMetrics) -> Vec<Step> {
    let mut names: Vec<String> = STEPS.iter().map(|s| s.to_string()).collect();
    // Sign-in and anything not listed come last, so nothing measured is left out.
    let mut others: Vec<String> = metrics
        .requests
        .values()
        .map(|a| a.path.clone())
        .filter(|n| !names.contains(n))
        .collect();
    others.sort();
    others.dedup();
    names.extend(others);
    names
        .iter()
        .filter_map(|name| {
            let of: Vec<&GooseRequestMetricAggregate> = metrics
                .requests
                .values()
                .filter(|a| &a.path == name)
                .collect();
            (!of.is_empty()).then(|| step(name, &of, metrics.duration))
        })
        .collect()
}

/// The server's resident memory, from /proc (Linux).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

impl Report {
    pub fn new(
        label: &str,
        users: usize,
        think: Option<(u64, u64)>,
        ceiling: &GooseMetrics,
        journeys: &GooseMetrics,
        server_pid: Option<u32>,
    ) -> Self {
        Self {
            label: label.to_string(),
            users,
            think,
            seconds: journeys.duration,
            ceiling: steps(ceiling).into_iter().next(),
            steps: steps(journeys),
            failures: journeys
                .errors
                .values()
                .map(|e| (e.name.clone(), e.error.clone(), e.occurrences))
                .collect(),
            rss_kib: server_pid.and_then(rss_kib),
        }
    }

    pub fn errors(&self) -> usize {
        self.steps.iter().map(|s| s.errors).sum()
    }

    pub fn requests(&self) -> usize {
        self.steps.iter().map(|s| s.requests).sum()
    }

    pub fn markdown(&self) -> String {
        let think = match self.think {
            Some((a, b)) => format!(
                "think time {:.1}–{:.1} s",
                a as f64 / 1000.0,
                b as f64 / 1000.0
            ),
            None => "no think time".into(),
        };
        let mut md = format!(
            "**{}**: {} users, {think}, {} s measured; {} requests, {:.1} req/s, {} errors{}\n\n",
            self.label,
            self.users,
            self.seconds,
            self.requests(),
            self.requests() as f64 / self.seconds.max(1) as f64,
            self.errors(),
            self.rss_kib
                .map(|k| format!("; server resident memory {:.0} MiB", k as f64 / 1024.0))
                .unwrap_or_default()
        );
        md.push_str("| step | requests | req/s | p50 ms | p95 ms | p99 ms | errors |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for s in self.ceiling.iter().chain(&self.steps) {
            md.push_str(&format!(
                "| {} | {} | {:.1} | {} | {} | {} | {} |\n",
                s.name, s.requests, s.per_second, s.p50, s.p95, s.p99, s.errors
            ));
        }
        for (step, error, n) in &self.failures {
            md.push_str(&format!("\n- {step}: {error} ({n}×)"));
        }
        md
    }

    pub fn json(&self) -> serde_json::Value {
        let step = |s: &Step| {
            json!({"step": s.name, "requests": s.requests, "per_second": s.per_second,
                "p50_ms": s.p50, "p95_ms": s.p95, "p99_ms": s.p99, "errors": s.errors})
        };
        json!({
            "label": self.label,
            "users": self.users,
            "think_ms": self.think,
            "seconds": self.seconds,
            "ceiling": self.ceiling.as_ref().map(step),
            "steps": self.steps.iter().map(step).collect::<Vec<_>>(),
            "failures": self.failures,
            "server_rss_kib": self.rss_kib,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_come_from_the_counts() {
        let times: BTreeMap<usize, usize> = [(1, 50), (2, 45), (10, 4), (100, 1)].into();
        assert_eq!(percentile(&times, 50.0), 1);
        assert_eq!(percentile(&times, 95.0), 2);
        assert_eq!(percentile(&times, 99.0), 10);
        assert_eq!(percentile(&times, 100.0), 100);
        assert_eq!(percentile(&BTreeMap::new(), 95.0), 0);
    }
}
