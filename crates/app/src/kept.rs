//! Figures kept for a few minutes (ADR 0040).
//!
//! The partnership's dashboards, the hubs' reach and the sufficiency picture count the whole record: about half a second
//! of work on a city's ten years, the same whoever asks. Readers of the same figures share one
//! working-out, kept for the partnership's `figures_kept` time and labelled with when it was
//! worked out; anyone may ask for them to be worked out again. Only counts are kept, never a
//! person, and the key always carries the viewer's own narrowing (their team, their families),
//! so kept figures never reach someone the dashboard would not have shown them to. A set read
//! after its kept time is shown at once and worked out again in the background, so the sets
//! people read stay warm; a set nobody reads for twice that time is dropped.

use crate::hubs::{Reach, UnderFives};
use crate::insight::{FilterChoices, ReportFilter};
use crate::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use hearth_domain::care::sufficiency::Table as SufficiencyTable;
use hearth_domain::insight::{Figure, Measure, Quarter};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Figures and when they were worked out.
#[derive(Debug)]
pub struct Kept<V> {
    pub at: DateTime<Utc>,
    pub value: V,
}

/// How many sets of figures are kept at most: each filter a reader chooses is one set.
const CAPACITY: u64 = 512;

/// A kept set and the moment it was worked out on this server's monotonic clock (the app's
/// clock may be moved by tests; renewal must not be).
type Entry<V> = (Instant, Arc<Kept<V>>);

/// Figures by what they are of; working out is done once however many readers ask at once.
pub struct KeptFigures<K, V> {
    /// How long figures are current; zero works them out on every view.
    keep: Duration,
    /// Sets are held for twice `keep`: a reader in the second half is shown them while new
    /// ones are worked out in the background, so a set that is read keeps being warm.
    cache: Option<moka::future::Cache<K, Entry<V>>>,
    /// Sets being worked out again in the background: one renewal per set at a time.
    renewing: Arc<Mutex<HashSet<K>>>,
}

impl<K, V> KeptFigures<K, V>
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    /// Keeps figures for `keep`; zero works them out on every view.
    pub fn new(keep: Duration) -> Self {
        Self {
            keep,
            cache: (!keep.is_zero()).then(|| {
                moka::future::Cache::builder()
                    .max_capacity(CAPACITY)
                    .time_to_live(keep.saturating_mul(2))
                    .build()
            }),
            renewing: Arc::default(),
        }
    }

    /// The kept figures of `key`, or `work_out`'s when there are none or `again` asks for them
    /// to be worked out now. Figures older than the time they are kept are still shown (never
    /// older than twice that time), and worked out again in the background for the next reader:
    /// a reader waits for figures only when nobody has read them for a while.
    pub async fn get<F, W>(
        &self,
        key: K,
        again: bool,
        work_out: W,
    ) -> Result<Arc<Kept<V>>, AppError>
    where
        W: FnOnce() -> F,
        F: Future<Output = Result<Kept<V>, AppError>> + Send + 'static,
    {
        let Some(cache) = &self.cache else {
            return work_out().await.map(Arc::new);
        };
        if again {
            cache.invalidate(&key).await;
        } else if let Some((since, kept)) = cache.get(&key).await {
            if since.elapsed() >= self.keep {
                self.renew(cache, key, work_out());
            }
            return Ok(kept);
        }
        cache
            .try_get_with(key, async {
                let kept = Arc::new(work_out().await?);
                Ok::<_, AppError>((Instant::now(), kept))
            })
            .await
            .map(|(_, kept)| kept)
            .map_err(|e| match &*e {
                AppError::Busy => AppError::Busy,
                other => AppError::Internal(other.to_string()),
            })
    }

    /// Works `key`'s figures out again in the background, unless that is already under way.
    fn renew<F>(&self, cache: &moka::future::Cache<K, Entry<V>>, key: K, work_out: F)
    where
        F: Future<Output = Result<Kept<V>, AppError>> + Send + 'static,
    {
        let first = self
            .renewing
            .lock()
            .map(|mut under_way| under_way.insert(key.clone()))
            .unwrap_or(false);
        if !first {
            return;
        }
        let (cache, renewing) = (cache.clone(), self.renewing.clone());
        tokio::spawn(async move {
            match work_out.await {
                Ok(kept) => {
                    cache
                        .insert(key.clone(), (Instant::now(), Arc::new(kept)))
                        .await
                }
                // The kept figures stay until they expire; the next reader tries again.
                Err(e) => tracing::warn!(error = %e, "kept figures could not be worked out again"),
            }
            if let Ok(mut under_way) = renewing.lock() {
                under_way.remove(&key);
            }
        });
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
    /// The sufficiency picture's tables by their date, before small numbers are hidden.
    pub sufficiency: KeptFigures<NaiveDate, Vec<SufficiencyTable>>,
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
            sufficiency: KeptFigures::new(keep),
        }
    }
}
