//! The demo's children in care: the placements team's homes and fostering households (one of
//! each route, the council's own carers offering sibling places), two children in care with a
//! placement history, and a 14-year-old and his brother on the social worker's record, not in
//! care, for the journey of asking for a home. All of it recorded by the demo social worker
//! and placements officer through the same use cases (and gate) as anyone else.

use crate::care::{ContractForm, HomeForm, PlaceForm, ProviderForm, RequestForm, StartForm};
use crate::family::{PersonForm, SearchForm};
use crate::{Actor, AppError, Hearth, Origin};
use chrono::{Datelike, Duration, NaiveDate};
use hearth_domain::ids::{CareHomeId, PersonId};
use hearth_store::accounts::users;

const SOCIAL_WORKER: &str = "social-worker@demo.hearth.test";
const PLACEMENTS: &str = "placements@demo.hearth.test";

struct DemoHome {
    name: &'static str,
    provider: &'static str,
    route: &'static str,
    placement_type: &'static str,
    rating: &'static str,
    places: u32,
    vacancies: u32,
    ages: (u32, u32),
    offers: &'static [&'static str],
    postcode: &'static str,
    weekly_cost: &'static str,
    /// The home's Ofsted URN, or the fostering service's that approved the carers.
    urn: &'static str,
}

/// Postcodes from the demo directory's postcode data, so distances are known. Vacancies are
/// before the demo's own placements take theirs: the in-house sibling home and the framework
/// one keep two each, for a child and a brother or sister.
const HOMES: &[DemoHome] = &[
    DemoHome {
        name: "The Adeyemi household, Clifton",
        provider: "Nottingham City Council fostering",
        route: "in_house",
        placement_type: "U4",
        rating: "",
        places: 4,
        vacancies: 3,
        ages: (8, 17),
        offers: &["teenagers", "sibling_groups"],
        postcode: "NG11 9BB",
        weekly_cost: "450.00",
        urn: "SC900010",
    },
    DemoHome {
        name: "The Hughes household, Bestwood",
        provider: "Nottingham City Council fostering",
        route: "in_house",
        placement_type: "U6",
        rating: "",
        places: 2,
        vacancies: 1,
        ages: (0, 10),
        offers: &["under_threes"],
        postcode: "NG5 5GH",
        weekly_cost: "420.00",
        urn: "SC900010",
    },
    DemoHome {
        name: "Aspley Lodge",
        provider: "Aspley Care (block contract)",
        route: "block",
        placement_type: "K2",
        rating: "good",
        places: 4,
        vacancies: 1,
        ages: (11, 17),
        offers: &["teenagers"],
        postcode: "NG8 4FF",
        weekly_cost: "3800.00",
        urn: "SC900011",
    },
    DemoHome {
        name: "Trent View Fostering, Beeston",
        provider: "Trent View Fostering (D2N2 framework)",
        route: "framework",
        placement_type: "U6",
        rating: "outstanding",
        places: 4,
        vacancies: 3,
        ages: (5, 17),
        offers: &["teenagers", "sibling_groups"],
        postcode: "NG9 1AA",
        weekly_cost: "950.00",
        urn: "SC900001",
    },
    DemoHome {
        name: "Radford House",
        provider: "Radford Care Ltd",
        route: "spot",
        placement_type: "K2",
        rating: "requires_improvement",
        places: 3,
        vacancies: 1,
        ages: (12, 17),
        offers: &["teenagers", "therapeutic"],
        postcode: "NG7 5HY",
        weekly_cost: "5200.00",
        urn: "SC900012",
    },
];

/// The demo's providers: name, kind, and the contract (kind, name, places) their homes are
/// bought on, if any.
type DemoProvider = (
    &'static str,
    &'static str,
    Option<(&'static str, &'static str, &'static str)>,
);

const DEMO_PROVIDERS: [DemoProvider; 4] = [
    ("Nottingham City Council fostering", "local_authority", None),
    (
        "Aspley Care (block contract)",
        "private",
        Some(("block", "Aspley Lodge block contract", "4")),
    ),
    (
        "Trent View Fostering (D2N2 framework)",
        "voluntary",
        Some(("framework", "D2N2 fostering framework", "")),
    ),
    ("Radford Care Ltd", "private", None),
];

fn home_form(h: &DemoHome) -> HomeForm {
    let rated = !h.rating.is_empty();
    let part = |s: &str| if rated { s.to_string() } else { String::new() };
    HomeForm {
        name: h.name.into(),
        provider_id: String::new(),
        provider: h.provider.into(),
        route: h.route.into(),
        placement_type: h.placement_type.into(),
        ofsted_urn: h.urn.into(),
        rating: h.rating.into(),
        rated_day: part("14"),
        rated_month: part("3"),
        rated_year: part("2025"),
        registered_places: h.places.to_string(),
        vacancies: h.vacancies.to_string(),
        age_from: h.ages.0.to_string(),
        age_to: h.ages.1.to_string(),
        offers: h.offers.iter().map(|o| o.to_string()).collect(),
        postcode: h.postcode.into(),
        weekly_cost: h.weekly_cost.into(),
        version: String::new(),
    }
}

fn dmy(d: NaiveDate) -> (String, String, String) {
    (
        d.day().to_string(),
        d.month().to_string(),
        d.year().to_string(),
    )
}

/// A date of birth `years` and three months before `today`, as the person form takes it:
/// not a birthday today, so no journey's "born exactly N years ago" person is matched by it.
fn born(today: NaiveDate, years: u32) -> String {
    today
        .checked_sub_months(chrono::Months::new(years * 12 + 3))
        .unwrap_or(today)
        .format("%d/%m/%Y")
        .to_string()
}

impl Hearth {
    /// Seeds the demo's children in care unless the placements team already has homes.
    /// Returns how many homes were added.
    pub async fn seed_demo_care(&self) -> Result<usize, AppError> {
        let (Some(worker), Some(officer)) = (
            self.demo_actor(SOCIAL_WORKER).await?,
            self.demo_actor(PLACEMENTS).await?,
        ) else {
            return Ok(0);
        };
        if !self.care_homes(&officer).await?.is_empty() {
            return Ok(0);
        }
        let today = self.now().date_naive();
        // The homes' providers (ADR 0055), each with the contract that makes its homes'
        // route: the council's own carers, a block contract, the D2N2 framework, a spot buy.
        let mut providers: Vec<(&str, String)> = Vec::new();
        for (provider, kind, contract) in DEMO_PROVIDERS {
            let id = self
                .save_care_provider(
                    &officer,
                    None,
                    &ProviderForm {
                        name: provider.to_string(),
                        kind: kind.to_string(),
                        ..ProviderForm::default()
                    },
                )
                .await?;
            if let Some((kind, name, places)) = contract {
                let (starts_day, starts_month, starts_year) = dmy(today - Duration::days(1000));
                self.add_provider_contract(
                    &officer,
                    id,
                    &ContractForm {
                        kind: kind.to_string(),
                        name: name.to_string(),
                        places: places.to_string(),
                        starts_day,
                        starts_month,
                        starts_year,
                        ..ContractForm::default()
                    },
                )
                .await?;
            }
            providers.push((provider, id.to_string()));
        }
        let mut homes = Vec::with_capacity(HOMES.len());
        for h in HOMES {
            let mut form = home_form(h);
            if let Some((_, id)) = providers.iter().find(|(p, _)| *p == h.provider) {
                form.provider_id.clone_from(id);
            }
            homes.push(self.save_care_home(&officer, None, &form).await?);
        }
        // Two children in care: Jayden, 11, moved once; Leah, 7, placed since coming in.
        let jayden = self
            .demo_person(
                &worker,
                ("Jayden", "Clarke"),
                &born(today, 11),
                "NG3 2FS",
                "male",
                None,
            )
            .await?;
        let since = today - Duration::days(400);
        self.demo_admit(&worker, jayden, since, "C2", "N1", "NG3 2FS")
            .await?;
        self.demo_place(&worker, &officer, jayden, homes[3], since, "", 0)
            .await?;
        self.demo_place(
            &worker,
            &officer,
            jayden,
            homes[0],
            today - Duration::days(120),
            "CARPL",
            0,
        )
        .await?;
        let leah = self
            .demo_person(
                &worker,
                ("Leah", "Brennan"),
                &born(today, 7),
                "NG6 8HH",
                "female",
                None,
            )
            .await?;
        let since = today - Duration::days(60);
        self.demo_admit(&worker, leah, since, "V2", "N4", "NG6 8HH")
            .await?;
        self.demo_place(&worker, &officer, leah, homes[1], since, "", 0)
            .await?;
        // Not in care: Daniel, 14, and his brother Sam, for asking for a home.
        let daniel = self
            .demo_person(
                &worker,
                ("Daniel", "Okafor"),
                &born(today, 14),
                "NG7 5AA",
                "male",
                None,
            )
            .await?;
        self.demo_person(
            &worker,
            ("Sam", "Okafor"),
            &born(today, 12),
            "NG7 5AA",
            "male",
            Some(daniel),
        )
        .await?;
        Ok(homes.len())
    }

    pub(super) async fn demo_actor(&self, email: &str) -> Result<Option<Actor>, AppError> {
        let mut conn = self.store.read().await?;
        Ok(users::find_for_sign_in(&mut conn, email)
            .await?
            .map(|(user, _)| {
                Actor::from_user(user, String::new(), String::new(), Origin::default())
            }))
    }

    /// Adds a person after searching for them first, as the app insists.
    pub(super) async fn demo_person(
        &self,
        worker: &Actor,
        (given, family): (&str, &str),
        dob: &str,
        postcode: &str,
        sex: &str,
        sibling: Option<PersonId>,
    ) -> Result<PersonId, AppError> {
        let search = self
            .search_people(
                worker,
                &SearchForm {
                    name: format!("{given} {family}"),
                    dob: dob.into(),
                    ..SearchForm::default()
                },
            )
            .await?;
        self.add_person(
            worker,
            &PersonForm {
                search_id: search.search_id.to_string(),
                given_names: given.into(),
                family_name: family.into(),
                dob: dob.into(),
                address_line1: "12 Demo Street".into(),
                postcode: postcode.into(),
                sex: sex.into(),
                with_person: sibling.map(|s| s.to_string()).unwrap_or_default(),
                relationship: sibling.map(|_| "sibling".to_string()).unwrap_or_default(),
                different_reason: format!("The demo's {family} family"),
                ..PersonForm::default()
            },
        )
        .await
    }

    async fn demo_admit(
        &self,
        worker: &Actor,
        child: PersonId,
        since: NaiveDate,
        legal_status: &str,
        need: &str,
        home_postcode: &str,
    ) -> Result<(), AppError> {
        let (start_day, start_month, start_year) = dmy(since);
        self.start_care(
            worker,
            child,
            &StartForm {
                start_day,
                start_month,
                start_year,
                legal_status: legal_status.into(),
                category_of_need: need.into(),
                home_postcode: home_postcode.into(),
                uasc: String::new(),
            },
        )
        .await
        .map(|_| ())
    }

    /// The social worker asks and the placements officer places the child in `home`.
    #[allow(clippy::too_many_arguments)]
    async fn demo_place(
        &self,
        worker: &Actor,
        officer: &Actor,
        child: PersonId,
        home: CareHomeId,
        on: NaiveDate,
        end_reason: &str,
        siblings: u32,
    ) -> Result<(), AppError> {
        let request = self
            .request_placement(
                worker,
                child,
                &RequestForm {
                    urgency: "this_week".into(),
                    wishes: "I want to stay near my school and my friends.".into(),
                    siblings: siblings.to_string(),
                    ..RequestForm::default()
                },
            )
            .await?;
        let view = self.placement_request(officer, request).await?;
        let (start_day, start_month, start_year) = dmy(on);
        self.place_child(
            officer,
            request,
            &PlaceForm {
                home: home.to_string(),
                start_day,
                start_month,
                start_year,
                end_reason: end_reason.into(),
                version: view.request.version.to_string(),
                ..PlaceForm::default()
            },
        )
        .await
        .map(|_| ())
    }
}
