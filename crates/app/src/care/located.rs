//! The homes the placement search ranks, kept between requests while they are unchanged: each
//! search reads a stamp of the homes, providers and contracts (one small query) and reads every
//! home again only when it differs, the day has changed, or the kept homes are a few minutes
//! old (so postcode data loaded since shows where homes are). Homes hold no child's data; the
//! placements desk's proof is needed for both reads.

use chrono::NaiveDate;
use hearth_domain::directory::Coordinates;
use hearth_store::care::homes::{self, Home, HomesStamp};
use hearth_store::gate::PlacementsDesk;
use hearth_store::{Conn, StoreError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Every home with where its postcode is, in the strategy's order.
pub(crate) type Located = Vec<(Home, Option<Coordinates>)>;

/// How long the places of homes' postcodes are trusted without reading them again.
const PLACES_TRUSTED: Duration = Duration::from_secs(300);

struct Kept {
    stamp: HomesStamp,
    on: NaiveDate,
    read_at: Instant,
    homes: Arc<Located>,
}

#[derive(Default)]
pub(crate) struct LocatedHomes {
    kept: Mutex<Option<Kept>>,
}

impl LocatedHomes {
    /// Every home as it is on `on`, read again only when something changed. A change landing
    /// between the stamp and the read is kept under the older stamp, so the next search reads
    /// again: never a home older than its stamp.
    pub(crate) async fn on(
        &self,
        conn: &mut Conn,
        desk: &PlacementsDesk,
        on: NaiveDate,
    ) -> Result<Arc<Located>, StoreError> {
        let stamp = homes::stamp(conn, desk).await?;
        {
            let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(k) = kept
                .as_ref()
                .filter(|k| k.stamp == stamp && k.on == on && k.read_at.elapsed() < PLACES_TRUSTED)
            {
                return Ok(Arc::clone(&k.homes));
            }
        }
        let read_at = Instant::now();
        let located = Arc::new(homes::list_located(conn, desk, on).await?);
        *self.kept.lock().unwrap_or_else(PoisonError::into_inner) = Some(Kept {
            stamp,
            on,
            read_at,
            homes: Arc::clone(&located),
        });
        Ok(located)
    }
}
