//! Providers of homes through the app's public interface, on both engines (ADR 0055): the
//! commissioning team adds a provider and its framework membership and block contract; a
//! home belonging to it takes its route from the contracts in force on the day, and the
//! placement search orders homes by it; a contract ended changes the route without anyone
//! editing the home; bad input is named on its field; anyone else is refused, audited.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Datelike, Duration, Utc};
use hearth_app::care::{ContractForm, HomeForm, ProviderForm};
use hearth_app::AppError;
use hearth_domain::care::Route;
use hearth_domain::date_parts::DateParts;
use hearth_testkit::app::{actor, audited, hearth};
use hearth_testkit::both_engines;

fn home(name: &str, provider: &str) -> HomeForm {
    HomeForm {
        name: name.into(),
        provider_id: provider.into(),
        placement_type: "K2".into(),
        ofsted_urn: "SC765432".into(),
        registered_places: "4".into(),
        vacancies: "2".into(),
        age_from: "8".into(),
        age_to: "17".into(),
        postcode: "NG7 5HY".into(),
        weekly_cost: "4200".into(),
        ..HomeForm::default()
    }
}

fn parts(d: chrono::NaiveDate) -> (String, String, String) {
    (
        d.day().to_string(),
        d.month().to_string(),
        d.year().to_string(),
    )
}

both_engines!(
    a_homes_route_follows_its_providers_contracts_on_the_day,
    |store| async move {
        let h = hearth(store.clone()).await;
        let officer = actor(&h, "placements@demo.hearth.test").await;
        let today = Utc::now().date_naive();
        let changes = audited(&store, "care_provider_changed").await;

        // Bad input named on its field; nothing saved.
        match h
            .save_care_provider(&officer, None, &ProviderForm::default())
            .await
        {
            Err(AppError::Invalid(e)) => {
                assert_eq!(e.get("name"), Some("Enter the provider's name"));
                assert_eq!(e.get("kind"), Some("Choose who runs the provider's homes"));
            }
            other => panic!("{other:?}"),
        }
        let provider = h
            .save_care_provider(
                &officer,
                None,
                &ProviderForm {
                    name: "Hillside Care Ltd".into(),
                    ofsted_urn: "SC100200".into(),
                    kind: "private".into(),
                    version: String::new(),
                },
            )
            .await
            .unwrap();
        let radford = h
            .save_care_home(
                &officer,
                None,
                &home("Radford House", &provider.to_string()),
            )
            .await
            .unwrap();
        let route = |h: hearth_app::care::Home| (h.fields.route, h.fields.provider);
        assert_eq!(
            route(h.care_home(&officer, radford).await.unwrap()),
            (Route::Spot, "Hillside Care Ltd".to_string()),
            "no contract: a spot purchase"
        );

        // On the D2N2 framework since last year, and a block contract from a month ago.
        let (sd, sm, sy) = parts(today - Duration::days(400));
        h.add_provider_contract(
            &officer,
            provider,
            &ContractForm {
                kind: "framework".into(),
                name: "D2N2 residential framework".into(),
                starts_day: sd,
                starts_month: sm,
                starts_year: sy,
                ..ContractForm::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            h.care_home(&officer, radford).await.unwrap().fields.route,
            Route::Framework
        );
        // A block contract with no places: named on its field.
        let (sd, sm, sy) = parts(today - Duration::days(30));
        let mut block = ContractForm {
            kind: "block".into(),
            name: "Hillside block".into(),
            starts_day: sd,
            starts_month: sm,
            starts_year: sy,
            ..ContractForm::default()
        };
        match h.add_provider_contract(&officer, provider, &block).await {
            Err(AppError::Invalid(e)) => assert_eq!(
                e.get("places"),
                Some("Enter the places the block contract buys, from 1 to 999")
            ),
            other => panic!("{other:?}"),
        }
        block.places = "3".into();
        let contract = h
            .add_provider_contract(&officer, provider, &block)
            .await
            .unwrap();
        let homes = h.care_homes(&officer).await.unwrap();
        let ours = homes.iter().find(|x| x.id == radford).unwrap();
        assert_eq!(ours.fields.route, Route::Block, "block before framework");
        // The list is in the strategy's order: in-house, then block, framework, spot.
        let order: Vec<Route> = homes.iter().map(|x| x.fields.route).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);

        // The block contract ended yesterday: back on the framework, the home unedited.
        let (ed, em, ey) = parts(today - Duration::days(1));
        h.end_provider_contract(
            &officer,
            provider,
            contract,
            &DateParts {
                day: ed,
                month: em,
                year: ey,
            },
        )
        .await
        .unwrap();
        assert_eq!(
            h.care_home(&officer, radford).await.unwrap().fields.route,
            Route::Framework
        );
        let p = h.care_provider(&officer, provider).await.unwrap();
        assert_eq!((p.contracts.len(), p.homes), (2, 1));
        assert_eq!(audited(&store, "care_provider_changed").await, changes + 4);

        // A social worker may not commission: refused, audited.
        let sw = actor(&h, "social-worker@demo.hearth.test").await;
        let refused = audited(&store, "access_denied").await;
        assert!(matches!(
            h.care_providers(&sw).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(audited(&store, "access_denied").await, refused + 1);
    }
);
