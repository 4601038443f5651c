//! Children in care through the app's public interface, on both engines: a social worker
//! records a 14-year-old coming into care and asks for a home with his brother, in his own
//! words; the placements team keeps homes and sees them ranked in the strategy's order with
//! why, places him (the vacancies go), and his record shows the placement local and near
//! home; breakdowns raise a warning; no suitable home keeps the unmet need; and everyone else
//! is refused, each refusal audited.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Datelike, Utc};
use hearth_app::care::{
    CareStanding, ContractForm, EndCareForm, EndForm, HomeForm, PlaceForm, ProviderForm,
    RequestForm, RequestView, StartForm, UnmetForm,
};
use hearth_app::{Actor, AppError, Hearth, Store};
use hearth_domain::care::{RequestStatus, Route};
use hearth_domain::ids::{CareHomeId, PersonId, PlacementRequestId};
use hearth_testkit::app::{actor, hearth, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use sqlx::Row;

async fn events(store: &Store, action: &str) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

fn home(name: &str, route: &str, kind: &str, postcode: &str, offers: &[&str]) -> HomeForm {
    HomeForm {
        name: name.into(),
        provider_id: String::new(),
        provider: format!("{name} provider"),
        route: route.into(),
        placement_type: kind.into(),
        ofsted_urn: "SC123456".into(),
        rating: "good".into(),
        rated_day: "12".into(),
        rated_month: "5".into(),
        rated_year: "2025".into(),
        registered_places: "4".into(),
        vacancies: "2".into(),
        age_from: "8".into(),
        age_to: "17".into(),
        offers: offers.iter().map(|o| o.to_string()).collect(),
        postcode: postcode.into(),
        weekly_cost: "950".into(),
        version: String::new(),
    }
}

fn today_parts() -> (String, String, String) {
    let t = Utc::now().date_naive();
    (
        t.day().to_string(),
        t.month().to_string(),
        t.year().to_string(),
    )
}

/// Three homes: the council's own carers a little further away, a nearer spot purchase, and
/// a block-contract home that takes no sibling groups.
async fn homes(h: &Hearth, officer: &Actor) -> (CareHomeId, CareHomeId, CareHomeId) {
    let in_house = h
        .save_care_home(
            officer,
            None,
            &home(
                "Clifton carers",
                "in_house",
                "U4",
                "NG11 9BB",
                &["teenagers", "sibling_groups"],
            ),
        )
        .await
        .unwrap();
    let spot = h
        .save_care_home(
            officer,
            None,
            &home(
                "Radford House",
                "spot",
                "K2",
                "NG7 5HY",
                &["teenagers", "sibling_groups"],
            ),
        )
        .await
        .unwrap();
    let block = h
        .save_care_home(
            officer,
            None,
            &home("Aspley Lodge", "block", "K2", "NG8 4FF", &["teenagers"]),
        )
        .await
        .unwrap();
    (in_house, spot, block)
}

/// Daniel, 14, from NG7 5AA, in care from today, allocated to the demo social worker.
async fn daniel_in_care(h: &Hearth, sw: &Actor) -> PersonId {
    let people = Family::new("Okafor")
        .child("Daniel", &years_ago(14))
        .address("1 Gregory Boulevard", "NG7 5AA")
        .add(h, sw)
        .await;
    let (d, m, y) = today_parts();
    h.start_care(
        sw,
        people[0],
        &StartForm {
            start_day: d,
            start_month: m,
            start_year: y,
            legal_status: "C2".into(),
            category_of_need: "N1".into(),
            home_postcode: "NG7 5AA".into(),
            uasc: String::new(),
        },
    )
    .await
    .unwrap();
    people[0]
}

fn with_brother() -> RequestForm {
    RequestForm {
        urgency: "this_week".into(),
        needs: vec!["teenagers".into(), "sibling_groups".into()],
        wishes: "I want to live with my brother Sam and keep going to Trentside.".into(),
        siblings: "1".into(),
        school: "Trentside Academy".into(),
        max_miles: "20".into(),
        ..RequestForm::default()
    }
}

fn place_in(home: CareHomeId, end_reason: &str, version: i64) -> PlaceForm {
    let (d, m, y) = today_parts();
    PlaceForm {
        home: home.to_string(),
        start_day: d,
        start_month: m,
        start_year: y,
        end_reason: end_reason.into(),
        note: String::new(),
        version: version.to_string(),
    }
}

async fn requested(h: &Hearth, sw: &Actor, child: PersonId) -> PlacementRequestId {
    h.request_placement(sw, child, &with_brother())
        .await
        .unwrap()
}

both_engines!(
    a_social_worker_asks_and_the_placements_team_places_the_child_in_the_strategys_order,
    |store| async move {
        let h = hearth(store.clone()).await;
        let officer = actor(&h, "placements@demo.hearth.test").await;
        let sw = actor(&h, "social-worker@demo.hearth.test").await;
        let (in_house, spot, block) = homes(&h, &officer).await;
        let daniel = daniel_in_care(&h, &sw).await;
        let id = requested(&h, &sw, daniel).await;

        // The social worker sees the request, without the ranking.
        let mine = h.placement_request(&sw, id).await.unwrap();
        assert!(!mine.may_decide && mine.proposed.is_empty());
        assert!(mine.request.request.wishes.contains("my brother Sam"));

        let desk = h.placement_requests(&officer).await.unwrap();
        assert_eq!(desk.len(), 1);
        assert_eq!(desk[0].child, "Daniel Okafor");
        let view = h.placement_request(&officer, id).await.unwrap();
        assert_eq!(view.age, Some(14));
        let order: Vec<CareHomeId> = view.proposed.iter().map(|p| p.home.id).collect();
        assert_eq!(
            order,
            vec![in_house, spot],
            "in-house first, though the spot home is nearer"
        );
        assert_eq!(view.proposed[0].reasons[0], "In-house");
        assert!(view.proposed[0].reasons[1].ends_with("miles from home"));
        assert_eq!(view.proposed[0].local, Some(true));
        assert_eq!(view.left_out.len(), 1);
        assert_eq!(view.left_out[0].0.id, block);
        assert_eq!(view.left_out[0].1, vec!["does not offer sibling groups"]);

        // A home not proposed cannot be chosen.
        let err = h
            .place_child(&officer, id, &place_in(block, "", view.request.version))
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Invalid(e) if e.get("home").is_some()));

        h.place_child(&officer, id, &place_in(in_house, "", view.request.version))
            .await
            .unwrap();
        assert_eq!(
            h.care_home(&officer, in_house)
                .await
                .unwrap()
                .fields
                .vacancies,
            0
        );
        let record = h.child_in_care(&sw, daniel).await.unwrap();
        let current = record.current().unwrap();
        assert_eq!(current.home, in_house);
        let placed = &record.placements[0];
        assert!(placed.locality.inside_boundary);
        assert_eq!(placed.local, Some(true));
        let miles = placed.locality.from_home_miles.unwrap();
        assert!(miles > 3.0 && miles < 6.0, "NG7 5AA to NG11 9BB: {miles}");
        assert_eq!(record.requests[0].status, RequestStatus::Placed);
        assert_eq!(record.breakdowns, None);

        // Placed once: a second decision on the same request is a conflict.
        let again = h
            .place_child(&officer, id, &place_in(spot, "", view.request.version))
            .await;
        assert!(matches!(again, Err(AppError::Conflict)));

        for (action, n) in [
            ("care_started", 1),
            ("placement_requested", 1),
            ("child_placed", 1),
            ("care_home_changed", 3),
        ] {
            assert_eq!(events(&store, action).await, n, "{action}");
        }
        assert!(events(&store, "placement_request_viewed").await >= 3);
        assert!(events(&store, "child_in_care_viewed").await >= 1);
    }
);

both_engines!(
    moves_end_placements_with_the_dfe_reason_and_repeated_breakdowns_warn,
    |store| async move {
        let h = hearth(store).await;
        let officer = actor(&h, "placements@demo.hearth.test").await;
        let sw = actor(&h, "social-worker@demo.hearth.test").await;
        let (in_house, spot, _) = homes(&h, &officer).await;
        let daniel = daniel_in_care(&h, &sw).await;
        let first = requested(&h, &sw, daniel).await;
        h.place_child(&officer, first, &place_in(in_house, "", 1))
            .await
            .unwrap();
        // A move: placing again ends the current placement with the reason given.
        let second = requested(&h, &sw, daniel).await;
        let missing = h
            .place_child(&officer, second, &place_in(spot, "", 1))
            .await;
        assert!(matches!(missing, Err(AppError::Invalid(e)) if e.get("end_reason").is_some()));
        h.place_child(&officer, second, &place_in(spot, "CREQB", 1))
            .await
            .unwrap();
        let record = h.child_in_care(&sw, daniel).await.unwrap();
        assert_eq!(record.placements.len(), 2);
        assert_eq!(record.current().unwrap().home, spot);
        assert_eq!(
            record.breakdowns, None,
            "one breakdown is not yet a pattern"
        );
        // The social worker ends the second: the child asked. Two breakdowns in a year.
        let (d, m, y) = today_parts();
        h.end_placement(
            &sw,
            daniel,
            &EndForm {
                placement: record.current().unwrap().id.to_string(),
                reason: "CHILD".into(),
                end_day: d,
                end_month: m,
                end_year: y,
            },
        )
        .await
        .unwrap();
        let record = h.child_in_care(&sw, daniel).await.unwrap();
        assert!(record.current().is_none());
        assert_eq!(record.breakdowns, Some(2));
    }
);

both_engines!(
    no_suitable_home_keeps_the_unmet_need_and_bad_input_names_its_field,
    |store| async move {
        let h = hearth(store.clone()).await;
        let officer = actor(&h, "placements@demo.hearth.test").await;
        let sw = actor(&h, "social-worker@demo.hearth.test").await;
        let daniel = daniel_in_care(&h, &sw).await;
        let blank = RequestForm {
            wishes: "  ".into(),
            siblings: "many".into(),
            ..with_brother()
        };
        match h.request_placement(&sw, daniel, &blank).await {
            Err(AppError::Invalid(e)) => {
                assert!(e.get("wishes").is_some() && e.get("siblings").is_some())
            }
            other => panic!("{other:?}"),
        }
        let id = requested(&h, &sw, daniel).await;
        // One request waits at a time.
        assert!(matches!(
            h.request_placement(&sw, daniel, &with_brother()).await,
            Err(AppError::Invalid(_))
        ));
        let view = h.placement_request(&officer, id).await.unwrap();
        assert!(view.proposed.is_empty(), "no homes yet");
        h.no_suitable_home(
            &officer,
            id,
            &UnmetForm {
                why: "No sibling placement for teenagers within 20 miles".into(),
                version: view.request.version.to_string(),
            },
        )
        .await
        .unwrap();
        let view = h.placement_request(&sw, id).await.unwrap();
        assert_eq!(view.request.status, RequestStatus::Unmet);
        assert!(h.placement_requests(&officer).await.unwrap().is_empty());
        assert_eq!(events(&store, "placement_unmet").await, 1);
    }
);

both_engines!(
    only_the_childs_social_worker_and_the_placements_team_reach_the_record,
    |store| async move {
        let h = hearth(store.clone()).await;
        let officer = actor(&h, "placements@demo.hearth.test").await;
        let sw = actor(&h, "social-worker@demo.hearth.test").await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let worker = actor(&h, "worker@demo.hearth.test").await;
        let (in_house, _, _) = homes(&h, &officer).await;
        let daniel = daniel_in_care(&h, &sw).await;
        let id = requested(&h, &sw, daniel).await;
        let before = events(&store, "access_denied").await;
        let refused = |r: Result<_, AppError>| matches!(r, Err(AppError::Forbidden(_)));
        // Someone else's child in care, their request, the desk and the homes.
        assert!(refused(h.child_in_care(&lead, daniel).await.map(|_| ())));
        assert!(refused(h.child_in_care(&worker, daniel).await.map(|_| ())));
        assert!(refused(h.placement_request(&lead, id).await.map(|_| ())));
        assert!(refused(
            h.request_placement(&lead, daniel, &with_brother())
                .await
                .map(|_| ())
        ));
        assert!(refused(h.placement_requests(&sw).await.map(|_| ())));
        assert!(refused(h.care_homes(&sw).await.map(|_| ())));
        // The social worker does not place, nor change homes; the officer does not start care.
        assert!(refused(
            h.place_child(&sw, id, &place_in(in_house, "", 1))
                .await
                .map(|_| ())
        ));
        assert!(refused(
            h.save_care_home(
                &sw,
                Some(in_house),
                &home("X", "spot", "K2", "NG7 5HY", &[])
            )
            .await
            .map(|_| ())
        ));
        let (d, m, y) = today_parts();
        let start = StartForm {
            start_day: d,
            start_month: m,
            start_year: y,
            legal_status: "V2".into(),
            category_of_need: "N4".into(),
            home_postcode: String::new(),
            uasc: String::new(),
        };
        assert!(refused(
            h.start_care(&officer, daniel, &start).await.map(|_| ())
        ));
        // Only a social worker has a list of children in care.
        assert!(refused(h.children_in_care(&lead).await.map(|_| ())));
        assert_eq!(events(&store, "access_denied").await, before + 10);
        let listed = h.children_in_care(&sw).await.unwrap();
        assert_eq!(
            listed.iter().map(|c| c.person).collect::<Vec<_>>(),
            vec![daniel]
        );
        assert_eq!(events(&store, "children_in_care_listed").await, 1);
        // The ways in from the person's record: the care record for those it opens to,
        // recording coming into care only for a social worker and a child not in care now.
        let standing = |care_record, may_admit| CareStanding {
            care_record,
            may_admit,
        };
        assert_eq!(
            h.care_standing(&sw, daniel).await.unwrap(),
            standing(true, false)
        );
        assert_eq!(
            h.care_standing(&officer, daniel).await.unwrap(),
            standing(true, false)
        );
        assert_eq!(
            h.care_standing(&lead, daniel).await.unwrap(),
            standing(false, false)
        );
        // Nothing changed: the request still waits.
        assert_eq!(h.placement_requests(&officer).await.unwrap().len(), 1);
        // A person never in care opens nothing.
        let never = Family::new("Nobody")
            .child("Ann", &years_ago(9))
            .add(&h, &sw)
            .await;
        assert!(matches!(
            h.child_in_care(&sw, never[0]).await,
            Err(AppError::NotFound)
        ));
        assert_eq!(
            h.care_standing(&sw, never[0]).await.unwrap(),
            standing(false, true)
        );
    }
);

both_engines!(
    the_demo_holds_homes_of_every_route_and_children_in_care_with_a_history,
    |store| async move {
        let h = hearth(store.clone()).await;
        assert_eq!(h.seed_demo_care().await.unwrap(), 5);
        assert_eq!(h.seed_demo_care().await.unwrap(), 0, "seeded once");
        let officer = actor(&h, "placements@demo.hearth.test").await;
        let sw = actor(&h, "social-worker@demo.hearth.test").await;
        let homes = h.care_homes(&officer).await.unwrap();
        let mut routes: Vec<_> = homes.iter().map(|h| h.fields.route.code()).collect();
        routes.dedup();
        assert_eq!(routes, ["in_house", "block", "framework", "spot"]);
        // Room left, after the demo's placements, for a child with a brother or sister.
        let siblings: Vec<_> = homes
            .iter()
            .filter(|h| h.fields.vacancies >= 2)
            .map(|h| h.fields.route.code())
            .collect();
        assert_eq!(siblings, ["in_house", "framework"]);
        let listed = h.children_in_care(&sw).await.unwrap();
        let names: Vec<_> = listed.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Leah Brennan", "Jayden Clarke"]);
        let jayden = h.child_in_care(&sw, listed[1].person).await.unwrap();
        let places: Vec<_> = jayden
            .placements
            .iter()
            .map(|p| (p.placement.home_name.as_str(), p.placement.end_reason))
            .collect();
        assert_eq!(
            places,
            [
                ("The Adeyemi household, Clifton", None),
                (
                    "Trent View Fostering, Beeston",
                    Some(hearth_domain::care::EndReason::CarePlan)
                ),
            ]
        );
        assert!(jayden.placements.iter().all(|p| p.local == Some(true)));
        // Daniel, 14, and his brother are on the social worker's record, not in care.
        let found = h
            .search_people(
                &sw,
                &hearth_app::family::SearchForm {
                    name: "Daniel Okafor".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let daniel = found.results[0].id;
        assert_eq!(
            h.care_standing(&sw, daniel).await.unwrap(),
            CareStanding {
                care_record: false,
                may_admit: true
            }
        );
    }
);

async fn vacancies(h: &Hearth, officer: &Actor, home: CareHomeId) -> i64 {
    h.care_homes(officer)
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.id == home)
        .unwrap()
        .fields
        .vacancies
}

fn end_care_today(reason: &str) -> EndCareForm {
    let (d, m, y) = today_parts();
    EndCareForm {
        cease_reason: reason.into(),
        ceased_day: d,
        ceased_month: m,
        ceased_year: y,
    }
}

both_engines!(
    places_go_back_to_the_home_when_a_placement_or_the_care_ends,
    |store| async move {
        let h = hearth(store.clone()).await;
        let officer = actor(&h, "placements@demo.hearth.test").await;
        let sw = actor(&h, "social-worker@demo.hearth.test").await;
        let (in_house, spot, _) = homes(&h, &officer).await;
        let daniel = daniel_in_care(&h, &sw).await;
        // Placed with his brother: two places taken.
        let first = requested(&h, &sw, daniel).await;
        h.place_child(&officer, first, &place_in(in_house, "", 1))
            .await
            .unwrap();
        assert_eq!(vacancies(&h, &officer, in_house).await, 0);
        // A move gives the in-house carers their two places back.
        let second = requested(&h, &sw, daniel).await;
        h.place_child(&officer, second, &place_in(spot, "CARPL", 1))
            .await
            .unwrap();
        assert_eq!(vacancies(&h, &officer, in_house).await, 2);
        assert_eq!(vacancies(&h, &officer, spot).await, 0);
        // An officer's edit of the home read before the give-back conflicts, not overwrites.
        let stale = h
            .care_homes(&officer)
            .await
            .unwrap()
            .into_iter()
            .find(|x| x.id == spot)
            .unwrap();
        // A request waits when the care ends: it is withdrawn with it.
        let waiting = requested(&h, &sw, daniel).await;
        // Bad input names its field; nothing is changed.
        let future = EndCareForm {
            ceased_year: "2999".into(),
            ..end_care_today("E4A")
        };
        match h.end_care(&sw, daniel, &future).await {
            Err(AppError::Invalid(e)) => assert!(e.get("ceased").is_some()),
            other => panic!("{other:?}"),
        }
        match h.end_care(&sw, daniel, &end_care_today("X1")).await {
            Err(AppError::Invalid(e)) => assert!(e.get("cease_reason").is_some()),
            other => panic!("{other:?}"),
        }
        let before = end_care_today("E4A");
        let before = EndCareForm {
            ceased_year: (before.ceased_year.parse::<i32>().unwrap() - 1).to_string(),
            ..before
        };
        match h.end_care(&sw, daniel, &before).await {
            Err(AppError::Invalid(e)) => {
                assert!(e.get("ceased").unwrap().contains("on or after"))
            }
            other => panic!("{other:?}"),
        }
        h.end_care(&sw, daniel, &end_care_today("E4A"))
            .await
            .unwrap();
        assert_eq!(vacancies(&h, &officer, spot).await, 2);
        let mut form = home("Radford House", "spot", "K2", "NG7 5HY", &[]);
        form.version = stale.version.to_string();
        assert!(matches!(
            h.save_care_home(&officer, Some(spot), &form).await,
            Err(AppError::Conflict)
        ));
        // The record shows the end; the list no longer holds him; the request is withdrawn.
        let record = h.child_in_care(&sw, daniel).await.unwrap();
        assert!(!record.in_care());
        assert_eq!(
            record.periods[0].end_reason,
            Some(hearth_domain::care::CeaseReason::HomePlanned)
        );
        assert!(record.current().is_none());
        assert!(h.children_in_care(&sw).await.unwrap().is_empty());
        let view = h.placement_request(&sw, waiting).await.unwrap();
        assert_eq!(view.request.status, RequestStatus::Withdrawn);
        assert!(h.placement_requests(&officer).await.unwrap().is_empty());
        // Nothing more to ask for, nor to end.
        assert!(matches!(
            h.request_placement(&sw, daniel, &with_brother()).await,
            Err(AppError::Invalid(_))
        ));
        assert!(matches!(
            h.end_care(&sw, daniel, &end_care_today("E8")).await,
            Err(AppError::Invalid(_))
        ));
        assert_eq!(events(&store, "care_ended").await, 1);
        // He may come into care again.
        assert_eq!(
            h.care_standing(&sw, daniel).await.unwrap(),
            CareStanding {
                care_record: true,
                may_admit: true
            }
        );
    }
);

both_engines!(
    only_the_childs_social_worker_or_the_placements_team_end_the_care,
    |store| async move {
        let h = hearth(store.clone()).await;
        let officer = actor(&h, "placements@demo.hearth.test").await;
        let sw = actor(&h, "social-worker@demo.hearth.test").await;
        let daniel = daniel_in_care(&h, &sw).await;
        let before = events(&store, "access_denied").await;
        for email in [
            "practitioner@demo.hearth.test",
            "hub@demo.hearth.test",
            "lead@demo.hearth.test",
            "manager@demo.hearth.test",
        ] {
            let other = actor(&h, email).await;
            assert!(
                matches!(
                    h.end_care(&other, daniel, &end_care_today("E4A")).await,
                    Err(AppError::Forbidden(_))
                ),
                "{email}"
            );
        }
        assert_eq!(events(&store, "access_denied").await, before + 4);
        assert_eq!(events(&store, "care_ended").await, 0);
        // The placements team may (a child moving to another authority, say).
        h.end_care(&officer, daniel, &end_care_today("E3"))
            .await
            .unwrap();
        assert_eq!(events(&store, "care_ended").await, 1);
    }
);

both_engines!(
    the_sufficiency_picture_is_for_report_readers_and_the_placements_team,
    |store| async move {
        let h = hearth(store.clone()).await;
        let officer = actor(&h, "placements@demo.hearth.test").await;
        let sw = actor(&h, "social-worker@demo.hearth.test").await;
        let (in_house, _, _) = homes(&h, &officer).await;
        let daniel = daniel_in_care(&h, &sw).await;
        let id = requested(&h, &sw, daniel).await;
        h.place_child(&officer, id, &place_in(in_house, "", 1))
            .await
            .unwrap();
        let today = Utc::now().date_naive();
        let before = events(&store, "access_denied").await;
        for email in [
            "practitioner@demo.hearth.test",
            "hub@demo.hearth.test",
            "social-worker@demo.hearth.test",
        ] {
            let other = actor(&h, email).await;
            assert!(
                matches!(
                    h.sufficiency(&other, today, false).await,
                    Err(AppError::Forbidden(_))
                ),
                "{email}"
            );
        }
        assert_eq!(events(&store, "access_denied").await, before + 3);
        for email in [
            "placements@demo.hearth.test",
            "manager@demo.hearth.test",
            "analyst@demo.hearth.test",
        ] {
            let reader = actor(&h, email).await;
            let p = h.sufficiency(&reader, today, false).await.unwrap();
            let table = |key: &str| p.tables.iter().find(|t| t.key == key).unwrap().clone();
            let line = |key: &str, label: &str| {
                table(key)
                    .lines
                    .iter()
                    .find(|(l, _)| l == label)
                    .unwrap()
                    .1
                    .clone()
            };
            let one = if p.small_hidden { "Fewer than 5" } else { "1" };
            assert_eq!(line("looked_after", "Looked after")[0], one, "{email}");
            assert_eq!(line("placement_mix", "In-house fostering")[0], one);
            assert_eq!(line("age", "10 to 15")[0], one);
            assert!(!table("looked_after").definition.is_empty());
            // The CSV holds every cell with its table, line and column.
            let sheet = p.sheet();
            assert_eq!(
                sheet.columns,
                ["on", "table", "title", "line", "column", "value"]
            );
            assert!(sheet.rows.len() > 50);
        }
        assert_eq!(events(&store, "sufficiency_viewed").await, 3);
        // A date in the future is read as today; the care before it began counts nothing.
        let p = h
            .sufficiency(&officer, today - chrono::Duration::days(400), false)
            .await
            .unwrap();
        let looked = p.tables.iter().find(|t| t.key == "looked_after").unwrap();
        assert_eq!(looked.lines[0].1[0], "0");
    }
);

/// A share as the picture shows it ("79.0%"), as a number.
fn percent(text: &str) -> f64 {
    text.trim_end_matches('%').parse().unwrap()
}

both_engines!(
    the_generated_citys_children_in_care_have_the_strategys_shape,
    |store| async move {
        // A fixed day on a clock that stands still: the generated city, and so every share
        // below, is the same on every run (at this small scale a day's shift moves the spend
        // per child by a tenth).
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let noon = today.and_hms_opt(12, 0, 0).unwrap().and_utc();
        let h = Hearth::with_clock(
            store.clone(),
            hearth_app::Policies::default(),
            std::sync::Arc::new(move || noon),
        );
        h.seed_city(
            hearth_testkit::app::PASSWORD,
            &hearth_app::demo::city::CityDemo {
                scale: 0.01,
                seed: 3,
                years: 2,
                today,
            },
        )
        .await
        .unwrap();
        let officer = actor(&h, "placements@demo.hearth.test").await;
        // The city's homes belong to providers, whose contracts give their routes (ADR 0055).
        let homes = h.care_homes(&officer).await.unwrap();
        assert!(homes.iter().all(|x| x.fields.provider_id.is_some()));
        let providers = h.care_providers(&officer).await.unwrap();
        for route in [Route::InHouse, Route::Block, Route::Framework, Route::Spot] {
            assert!(
                providers.iter().any(|p| p.route_on(today) == route),
                "a provider on {route:?}"
            );
        }
        let p = h.sufficiency(&officer, today, false).await.unwrap();
        assert!(
            !p.small_hidden,
            "the council's own officer sees every count"
        );
        let line = |key: &str, label: &str| {
            p.tables
                .iter()
                .find(|t| t.key == key)
                .unwrap()
                .lines
                .iter()
                .find(|(l, _)| l == label)
                .unwrap_or_else(|| panic!("{key} {label}"))
                .1
                .clone()
        };
        let looked: f64 = line("looked_after", "Looked after")[0].parse().unwrap();
        assert!((40.0..=90.0).contains(&looked), "{looked}");
        let all = line("local", "All placements");
        let home = percent(&all[1]);
        assert!(
            (70.0..=88.0).contains(&home),
            "within 20 miles of home {home}"
        );
        let inside = percent(&all[3]);
        assert!(
            (28.0..=52.0).contains(&inside),
            "inside the boundary {inside}"
        );
        let fostered: f64 = ["In-house fostering", "External fostering", "Kinship care"]
            .iter()
            .map(|k| percent(&line("placement_mix", k)[1]))
            .sum();
        assert!((45.0..=75.0).contains(&fostered), "fostered {fostered}");
        // About sixty children at a time are few for a share of one in eight: three year-ends
        // are pooled (the picture is for any date).
        let (mut three, mut of) = (0.0, 0.0);
        for years_back in 0..3 {
            let on = today - chrono::Duration::days(365 * years_back);
            let p = h.sufficiency(&officer, on, false).await.unwrap();
            let cells = |key: &str, label: &str| -> f64 {
                let t = p.tables.iter().find(|t| t.key == key).unwrap();
                let l = t.lines.iter().find(|(l, _)| l == label).unwrap();
                l.1[0].parse().unwrap()
            };
            three += cells("stability", "Three or more placements in the year");
            of += cells("looked_after", "Looked after");
        }
        let three = 100.0 * three / of;
        assert!((4.0..=22.0).contains(&three), "three or more {three}%");
        let gaps: f64 = line("gaps", "All requests with no suitable home")[0]
            .parse()
            .unwrap();
        assert!(gaps > 0.0);
        // The last complete year's spend per child looked after: about £57m over 720.
        let spend = line("spend", "All placements");
        let year = &spend[spend.len() - 2];
        let pounds: f64 = year
            .trim_start_matches('£')
            .replace(',', "")
            .parse()
            .unwrap();
        let per_child = pounds / looked;
        assert!(
            (55_000.0..=105_000.0).contains(&per_child),
            "spend per child {per_child}"
        );
    }
);

both_engines!(
    the_homes_ranked_follow_every_change_to_homes_providers_and_contracts_at_once,
    |store| async move {
        let h = hearth(store.clone()).await;
        let officer = actor(&h, "placements@demo.hearth.test").await;
        let sw = actor(&h, "social-worker@demo.hearth.test").await;
        let (in_house, spot, _block) = homes(&h, &officer).await;
        let daniel = daniel_in_care(&h, &sw).await;
        let id = requested(&h, &sw, daniel).await;
        let order = |v: &RequestView| v.proposed.iter().map(|p| p.home.id).collect::<Vec<_>>();
        let view = h.placement_request(&officer, id).await.unwrap();
        assert_eq!(order(&view), vec![in_house, spot]);
        // Read again with nothing changed: the same answer.
        let again = h.placement_request(&officer, id).await.unwrap();
        assert_eq!(order(&again), vec![in_house, spot]);

        // The spot home's vacancies go: it is left out at the next look, saying why.
        let radford = h.care_home(&officer, spot).await.unwrap();
        let mut form = HomeForm::of(&radford.fields, radford.version);
        form.vacancies = "0".into();
        h.save_care_home(&officer, Some(spot), &form).await.unwrap();
        let view = h.placement_request(&officer, id).await.unwrap();
        assert_eq!(order(&view), vec![in_house]);
        let (_, why) = view
            .left_out
            .iter()
            .find(|(home, _)| home.id == spot)
            .unwrap();
        assert_eq!(why, &vec!["0 vacancies, 2 places needed".to_string()]);

        // Back to two places, with a provider; then the provider wins a block contract from
        // today: the home is bought on the block at the next look (still after in-house).
        form.vacancies = "2".into();
        form.version = (radford.version + 1).to_string();
        let provider = h
            .save_care_provider(
                &officer,
                None,
                &ProviderForm {
                    name: "Radford Care Ltd".into(),
                    kind: "private".into(),
                    ..ProviderForm::default()
                },
            )
            .await
            .unwrap();
        form.provider_id = provider.to_string();
        h.save_care_home(&officer, Some(spot), &form).await.unwrap();
        let view = h.placement_request(&officer, id).await.unwrap();
        assert_eq!(order(&view), vec![in_house, spot]);
        assert_eq!(view.proposed[1].reasons[0], "Spot purchase");
        let (d, m, y) = today_parts();
        h.add_provider_contract(
            &officer,
            provider,
            &ContractForm {
                kind: "block".into(),
                name: "Radford block".into(),
                places: "4".into(),
                starts_day: d,
                starts_month: m,
                starts_year: y,
                ..ContractForm::default()
            },
        )
        .await
        .unwrap();
        let view = h.placement_request(&officer, id).await.unwrap();
        assert_eq!(view.proposed[1].home.id, spot);
        assert_eq!(view.proposed[1].reasons[0], "Block contract");

        // Placing the child takes the in-house carers' places: the next child's search sees it.
        h.place_child(&officer, id, &place_in(in_house, "", view.request.version))
            .await
            .unwrap();
        let view = h.placement_request(&officer, id).await.unwrap();
        assert!(view
            .left_out
            .iter()
            .any(|(home, why)| home.id == in_house && why[0].starts_with("0 vacancies")));
    }
);
