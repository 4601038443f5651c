//! Figures kept for a few minutes (ADR 0040).
//!
//! The partnership's dashboards and the hubs' reach count the whole record: about half a second
//! of work on a city's ten years, the same whoever asks. Readers of the same figures share one
//! working-out, kept for the partnership's `figures_kept` time and labelled with when it was
//! worked out; anyone may ask for them to be worked out again. Only counts are kept, never a
//! person, and the key always carries the viewer's own narrowing (their team, their families),
//! so kept figures never reach someone the dashboard would not have shown them to.

use crate::hubs::{Reach, UnderFives};
use crate::insight::{FilterChoices, ReportFilter};
use crate::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::insight::{Figure, Measure, Quarter};
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::Arc;
use std::time::Duration;

/// Figures and when they were worked out.
#[derive(Debug)]
pub struct Kept<V> {
    pub at: DateTime<Utc>,
    pub value: V,
}

/// How many sets of figures are kept at most: each filter a reader chooses is one set.
const CAPACITY: u64 = 512;

/// Figures by what they are of; working out is done once however many readers ask at once.
pub struct KeptFigures<K, V> {
    /// None: figures are worked out on every view.
    cache: Option<moka::future::Cache<K, Arc<Kept<V>>>>,
}

impl<K, V> KeptFigures<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    /// Keeps figures for `keep`; zero works them out on every view.
    pub fn new(keep: Duration) -> Self {
        Self {
            cache: (!keep.is_zero()).then(|| {
                moka::future::Cache::builder()
                    .max_capacity(CAPACITY)
                    .time_to_live(keep)
                    .build()
            }),
        }
    }

    /// The kept figures of `key`, or `work_out`'s when there are none, they are older than the
    /// time figures are kept, or `again` asks for them to be worked out now.
    pub async fn get<F>(&self, key: K, again: bool, work_out: F) -> Result<Arc<Kept<V>>, AppError>
    where
        F: Future<Output = Result<Kept<V>, AppError>>,
    {
        let Some(cache) = &self.cache else {
            return work_out.await.map(Arc::new);
        };
        if again {
            cache.invalidate(&key).await;
        }
        cache
            .try_get_with(key, async { work_out.await.map(Arc::new) })
            .await
            .map_err(|e| match &*e {
                AppError::Busy => AppError::Busy,
                other => AppError::Internal(other.to_string()),
            })
    }
}

impl<K, V> std::fmt::Debug for KeptFigures<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeptFigures")
            .field("kept", &self.cache.is_some())
            .finish()
    }
}

/// The figures Hearth keeps, each set by what it is of: a dashboard's by its filter (the
/// viewer's own narrowing included) and quarters, the reach by its period.
#[derive(Debug)]
pub(crate) struct KeptSets {
    pub dashboards: KeptFigures<(ReportFilter, Quarter, Quarter), DashboardFigures>,
    pub filter_choices: KeptFigures<(), FilterChoices>,
    pub reach: KeptFigures<(NaiveDate, NaiveDate), Reach>,
    pub under_fives: KeptFigures<(NaiveDate, NaiveDate), UnderFives>,
}

/// A dashboard's counted figures: per measure, one per quarter, oldest first.
pub(crate) type DashboardFigures = HashMap<Measure, Vec<Figure>>;

impl KeptSets {
    pub fn new(keep: Duration) -> Self {
        Self {
            dashboards: KeptFigures::new(keep),
            filter_choices: KeptFigures::new(keep),
            reach: KeptFigures::new(keep),
            under_fives: KeptFigures::new(keep),
        }
    }
}
