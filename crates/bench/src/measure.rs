//! Timing the real use case, one query after another as one practitioner would, and checking
//! where the true person landed in what came back.

use crate::queries::Labelled;
use hearth_app::family::{SearchForm, SearchOutcome};
use hearth_app::{Actor, Hearth};
use indicatif::{ProgressBar, ProgressStyle};
use std::future::Future;
use std::time::Instant;
use uuid::Uuid;

/// Latencies and where the truth ranked, for one way of searching over the query set.
#[derive(Debug, Clone, Default)]
pub struct Run {
    pub label: String,
    pub millis: Vec<f64>,
    /// Position of the true person in the results (0 = first), if shown at all.
    pub ranks: Vec<Option<usize>>,
    /// How many results each query returned.
    pub shown: Vec<usize>,
}

impl Run {
    pub fn percentile(&self, p: f64) -> f64 {
        percentile(&self.millis, p)
    }

    /// Share of queries whose true person is within the first `k` results.
    pub fn recall(&self, k: usize) -> f64 {
        if self.ranks.is_empty() {
            return 0.0;
        }
        let hits = self
            .ranks
            .iter()
            .filter(|r| r.is_some_and(|r| r < k))
            .count();
        hits as f64 / self.ranks.len() as f64
    }

    pub fn mean_shown(&self) -> f64 {
        if self.shown.is_empty() {
            return 0.0;
        }
        self.shown.iter().sum::<usize>() as f64 / self.shown.len() as f64
    }
}

/// Nearest-rank percentile of unsorted samples, in the samples' unit.
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn bar(len: usize, label: &str) -> anyhow::Result<ProgressBar> {
    let bar = ProgressBar::new(len as u64);
    bar.set_style(ProgressStyle::with_template(
        "{msg} [{elapsed_precise}] {wide_bar} {pos}/{len}",
    )?);
    bar.set_message(label.to_string());
    Ok(bar)
}

/// Runs `search` for every query after warming up on the first few, recording latency and
/// where the truth ranked in the ids returned.
pub async fn run<'q, F, Fut>(
    label: &str,
    queries: &'q [Labelled],
    warmup: usize,
    mut search: F,
) -> anyhow::Result<Run>
where
    F: FnMut(&'q Labelled) -> Fut,
    Fut: Future<Output = anyhow::Result<Vec<Uuid>>>,
{
    // Warm caches and prepared statements the way a running server would have them.
    for q in queries.iter().take(warmup) {
        search(q).await?;
    }
    let progress = bar(queries.len(), label)?;
    let mut out = Run {
        label: label.to_string(),
        ..Run::default()
    };
    for q in queries {
        let started = Instant::now();
        let ids = search(q).await?;
        out.millis.push(started.elapsed().as_secs_f64() * 1000.0);
        out.ranks.push(ids.iter().position(|id| *id == q.truth));
        out.shown.push(ids.len());
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok(out)
}

fn ids(outcome: SearchOutcome) -> Vec<Uuid> {
    outcome.results.into_iter().map(|f| f.id.0).collect()
}

/// The full find-before-create use case: name, date of birth and (sometimes) postcode.
pub async fn full(hearth: &Hearth, actor: &Actor, q: &Labelled) -> anyhow::Result<Vec<Uuid>> {
    let form = SearchForm {
        name: q.name.clone(),
        dob: q.dob.clone(),
        postcode: q.postcode.clone(),
        ..SearchForm::default()
    };
    Ok(ids(hearth.search_people(actor, &form).await?))
}

/// Name search: only the name field filled in.
pub async fn name_only(hearth: &Hearth, actor: &Actor, q: &Labelled) -> anyhow::Result<Vec<Uuid>> {
    let form = SearchForm {
        name: q.name.clone(),
        ..SearchForm::default()
    };
    Ok(ids(hearth.search_people(actor, &form).await?))
}
