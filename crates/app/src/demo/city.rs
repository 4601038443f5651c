//! The demo at city scale: the demo partnership, then a synthetic Nottingham-sized history
//! (see `hearth_synthetic::city`) for load tests and for seeing how Hearth feels with ten
//! years of records in it.

use crate::accounts::auth::event;
use crate::identification::DatasetForm;
use crate::{accounts::password, AppError, Hearth, Origin};
use chrono::{Duration, NaiveDate};
use hearth_domain::audit::AuditAction;
use hearth_domain::identification::feed::{FeedKind, LawfulBasis};
use hearth_store::accounts::users;
use hearth_store::{audit, family::people, Store};
pub use hearth_synthetic::care::CareReport;
use hearth_synthetic::care::CareSetup;
pub use hearth_synthetic::city::{CityReport, EMAIL_DOMAIN};

/// The demo accounts the city's children in care are allocated to and placed by.
const SOCIAL_WORKER: &str = "social-worker@demo.hearth.test";
const PLACEMENTS_OFFICER: &str = "placements@demo.hearth.test";

/// The demo's data lead, who registers the city's datasets.
const ANALYST: &str = "matching@demo.hearth.test";

/// One of the city's partner datasets, as registered.
pub struct CityDataset {
    /// The code `hearth data import --dataset` names; the file `synthetic-feeds` writes for
    /// it is named after it without `city-`.
    pub code: &'static str,
    pub name: &'static str,
    pub kind: FeedKind,
    pub owner: &'static str,
    pub basis: LawfulBasis,
    pub fields: &'static str,
    pub refresh: &'static str,
    pub unmatched_days: u32,
}

/// The city's partner datasets, one for each file `hearth data synthetic-feeds` writes.
pub const CITY_DATASETS: [CityDataset; 6] = [
    CityDataset {
        code: "city-attendance",
        name: "School census: attendance and exclusions",
        kind: FeedKind::SchoolCensus,
        owner: "Nottingham City Council (demo)",
        basis: LawfulBasis::PublicTask,
        fields: "names, date of birth, postcode, UPN, event, date, attendance",
        refresh: "termly",
        unmatched_days: 120,
    },
    CityDataset {
        code: "city-police",
        name: "Police notifications",
        kind: FeedKind::PoliceNotifications,
        owner: "Nottinghamshire Police (demo)",
        basis: LawfulBasis::PublicTask,
        fields: "names, date of birth, postcode, event, date",
        refresh: "weekly",
        unmatched_days: 30,
    },
    CityDataset {
        code: "city-housing",
        name: "Housing: arrears, homelessness and temporary accommodation",
        kind: FeedKind::Housing,
        owner: "City Homes (demo)",
        basis: LawfulBasis::PublicTask,
        fields: "names, date of birth, postcode, event, date",
        refresh: "monthly",
        unmatched_days: 60,
    },
    CityDataset {
        code: "city-health-visiting",
        name: "Health visiting contacts",
        kind: FeedKind::HealthVisiting,
        owner: "City 0-19 Health Service (demo)",
        basis: LawfulBasis::PublicTask,
        fields: "names, date of birth, postcode, NHS number, event, date",
        refresh: "monthly",
        unmatched_days: 30,
    },
    CityDataset {
        code: "city-benefits",
        name: "Benefits and worklessness",
        kind: FeedKind::Benefits,
        owner: "DWP Jobcentre Plus (demo)",
        basis: LawfulBasis::PublicTask,
        fields: "names, date of birth, postcode, event, date",
        refresh: "quarterly",
        unmatched_days: 30,
    },
    CityDataset {
        code: "city-youth-justice",
        name: "Youth justice outcomes",
        kind: FeedKind::YouthJustice,
        owner: "Nottingham City Council (demo)",
        basis: LawfulBasis::LegalObligation,
        fields: "names, date of birth, postcode, event, date",
        refresh: "monthly",
        unmatched_days: 60,
    },
];

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
        self.seed_city_datasets(city.today).await?;
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

    /// Registers the datasets `hearth data synthetic-feeds` writes files for, each with its
    /// owner, agreement, lawful basis, fields, refresh and retention, as the demo's data lead
    /// (unless already there), so the files import by upload, the command line or the watched
    /// folder. Returns how many were registered.
    pub async fn seed_city_datasets(&self, today: NaiveDate) -> Result<usize, AppError> {
        let analyst = self
            .demo_actor(ANALYST)
            .await?
            .ok_or_else(|| AppError::Internal(format!("no demo account {ANALYST}")))?;
        let registered = self.partner_datasets(&analyst).await?;
        let mut added = 0;
        for d in CITY_DATASETS {
            if registered.iter().any(|r| r.code == d.code) {
                continue;
            }
            let owner = self
                .find_organisation(d.owner)
                .await?
                .ok_or_else(|| AppError::Internal(format!("no demo organisation {}", d.owner)))?;
            self.register_dataset(
                &analyst,
                &DatasetForm {
                    code: d.code.into(),
                    name: d.name.into(),
                    kind: d.kind.code().into(),
                    owner: owner.id.to_string(),
                    agreement_reference: format!("DSA-{}", d.code.to_uppercase()),
                    agreement_from: (today - Duration::days(365)).to_string(),
                    agreement_to: (today + Duration::days(2 * 365)).to_string(),
                    lawful_basis: d.basis.code().into(),
                    fields: d.fields.into(),
                    refresh: d.refresh.into(),
                    unmatched_days: d.unmatched_days.to_string(),
                },
            )
            .await?;
            added += 1;
        }
        Ok(added)
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
