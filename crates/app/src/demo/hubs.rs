//! The city demo's Family Hub activity: the seed's fourteen months (January 2023 to February
//! 2024) at the four hubs, recorded by the demo hub worker's organisation (see
//! `hearth_synthetic::hubs`).

use crate::{AppError, Hearth};
use hearth_store::accounts::users;
pub use hearth_synthetic::hubs::HubReport;
use hearth_synthetic::hubs::{period, HubSetup};

/// The demo account the activity is recorded by.
const HUB_WORKER: &str = "hub@demo.hearth.test";

impl Hearth {
    /// Generates the hubs' fourteen months into a database with the demo partnership and no
    /// hub activity in that period yet; at `scale` 1 its totals are the seed's.
    pub async fn seed_hub_activity(&self, scale: f64, seed: u64) -> Result<HubReport, AppError> {
        let (first, last) = period();
        let worker = {
            let mut conn = self.store.read().await?;
            let before = hearth_store::hubs::reach::reach(&mut conn, first, last).await?;
            if before.total.attendances > 0 {
                return Err(AppError::Internal(
                    "this database already holds hub activity for 2023 and early 2024".into(),
                ));
            }
            // Looked up by the address it signs in with; its password hash is not used.
            users::find_for_sign_in(&mut conn, HUB_WORKER)
                .await?
                .ok_or_else(|| AppError::Internal(format!("no demo account {HUB_WORKER}")))?
                .0
        };
        let setup = HubSetup {
            organisation: worker.organisation_id.to_string(),
            user: worker.id.to_string(),
            hubs: self.hub_places().await?,
            services: self.programme_services().await?,
        };
        hearth_synthetic::hubs::generate(&self.store, &setup, scale, seed)
            .await
            .map_err(|e| AppError::Internal(format!("generating the hubs' activity: {e:#}")))
    }
}
