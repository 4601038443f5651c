//! The demo partnership's areas: Nottingham's postcode districts in a ward and the locality
//! of one of the four Family Hubs, for the dashboards' locality and ward filters.

use crate::{AppError, Hearth};
use hearth_store::insight;
use hearth_store::Store;

/// (postcode district, ward, locality)
const AREAS: &[(&str, &str, &str)] = &[
    ("NG1", "Castle", "Hyson Green"),
    ("NG2", "Meadows", "Meadows"),
    ("NG3", "St Ann's", "Hyson Green"),
    ("NG5", "Bestwood", "Bestwood"),
    ("NG6", "Bulwell", "Bestwood"),
    ("NG7", "Hyson Green and Arboretum", "Hyson Green"),
    ("NG8", "Aspley", "Broxtowe"),
    ("NG9", "Wollaton West", "Broxtowe"),
    ("NG11", "Clifton East", "Meadows"),
];

impl Hearth {
    /// Puts the demo's postcode districts in their wards and localities (again: no change).
    pub(crate) async fn seed_demo_areas(&self) -> Result<(), AppError> {
        let mut tx = self.store.write().await?;
        for (district, ward, locality) in AREAS {
            insight::put_area(&mut tx, district, ward, locality).await?;
        }
        Store::commit(tx).await?;
        Ok(())
    }
}
