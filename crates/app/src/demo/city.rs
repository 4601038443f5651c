//! The demo at city scale: the demo partnership, then a synthetic Nottingham-sized history
//! (see `hearth_synthetic::city`) for load tests and for seeing how Hearth feels with ten
//! years of records in it.

use crate::accounts::auth::event;
use crate::{accounts::password, AppError, Hearth, Origin};
use chrono::NaiveDate;
use hearth_domain::audit::AuditAction;
use hearth_store::accounts::users;
use hearth_store::{audit, family::people, Store};
pub use hearth_synthetic::care::CareReport;
use hearth_synthetic::care::CareSetup;
pub use hearth_synthetic::city::{CityReport, EMAIL_DOMAIN};

/// The demo accounts the city's children in care are allocated to and placed by.
const SOCIAL_WORKER: &str = "social-worker@demo.hearth.test";
const PLACEMENTS_OFFICER: &str = "placements@demo.hearth.test";

/// How big, from which seed, ending when.
#[derive(Debug, Clone)]
pub struct CityDemo {
    /// 1.0 is Nottingham City; smaller numbers make a town for quick tests.
    pub scale: f64,
    pub seed: u64,
    pub years: u32,
    pub today: NaiveDate,
}

impl Hearth {
    /// Seeds the demo partnership (as `seed_demo`) and generates the city's history into a
    /// database with no family records yet; every generated account gets `password`.
    pub async fn seed_city(&self, password: &str, city: &CityDemo) -> Result<CityReport, AppError> {
        if !(0.0..=2.0).contains(&city.scale) || city.scale == 0.0 {
            return Err(AppError::Internal(format!(
                "the scale must be above 0 and at most 2 (1 is the city), not {}",
                city.scale
            )));
        }
        self.seed_demo(password).await?;
        {
            let mut conn = self.store.read().await?;
            let people = people::count(&mut conn).await?;
            if people > 0 {
                return Err(AppError::Internal(format!(
                    "this database already holds {people} people: generate the city into a new, empty database"
                )));
            }
        }
        let hash = password::hash(password.to_string()).await?;
        let report = hearth_synthetic::city::generate(
            &self.store,
            &hearth_synthetic::city::CityOptions {
                scale: city.scale,
                seed: city.seed,
                years: city.years,
                today: city.today,
                password_hash: hash,
            },
        )
        .await
        .map_err(|e| AppError::Internal(format!("generating the city: {e:#}")))?;
        // The Supporting Families families, so the programme lead has a real quarter: in the
        // city its own core team owns their help, and that team's manager signs the closures off.
        self.seed_demo_programme().await?;
        let hubs = self.seed_hub_activity(city.scale, city.seed).await?;
        let care = self.seed_city_care(city).await?;
        let mut tx = self.store.write().await?;
        let mut e = event(
            None,
            "system",
            AuditAction::DemoSeeded,
            &Origin::default(),
            self.now(),
        );
        e.detail = Some(format!(
            r#"{{"scale":{},"seed":{},"people":{},"episodes":{},"notes":{},"hub_attendances":{},"children_looked_after":{}}}"#,
            city.scale,
            city.seed,
            report.people,
            report.episodes,
            report.notes,
            hubs.attendances,
            care.looked_after
        ));
        audit::append(&mut tx, &e).await?;
        Store::commit(tx).await?;
        Ok(report)
    }

    /// The city's children in care (see `hearth_synthetic::care`): ten years of periods and
    /// placements, allocated to the demo social worker's team and recorded by the demo
    /// placements officer, with the homes and carers used and the requests no home was found for.
    pub async fn seed_city_care(&self, city: &CityDemo) -> Result<CareReport, AppError> {
        let (worker, officer) = {
            let mut conn = self.store.read().await?;
            let worker = users::find_for_sign_in(&mut conn, SOCIAL_WORKER)
                .await?
                .ok_or_else(|| AppError::Internal(format!("no demo account {SOCIAL_WORKER}")))?
                .0;
            let officer = users::find_for_sign_in(&mut conn, PLACEMENTS_OFFICER)
                .await?
                .ok_or_else(|| AppError::Internal(format!("no demo account {PLACEMENTS_OFFICER}")))?
                .0;
            (worker, officer)
        };
        let setup = CareSetup {
            social_worker: worker.id.to_string(),
            team: worker.team_id.map(|t| t.to_string()),
            officer: officer.id.to_string(),
        };
        hearth_synthetic::care::generate(&self.store, &setup, city.scale, city.seed, city.today)
            .await
            .map_err(|e| AppError::Internal(format!("generating children in care: {e:#}")))
    }
}
