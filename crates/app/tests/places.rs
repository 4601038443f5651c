//! Keeping the directory's places and names right, through the app's public interface on
//! both engines: changing a place (who may, bad input, someone else's newer change), and an
//! organisation's new name reaching the directory and its keyword search.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::accounts::admin::OrganisationForm;
use hearth_app::directory::places::{LocationForm, PlaceSave};
use hearth_app::directory::FindForm;
use hearth_app::records::AuditQuery;
use hearth_app::{AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_testkit::app::{actor, hearth};
use hearth_testkit::both_engines;
use uuid::Uuid;

/// The demo's Bestwood Family Hub, where the council's services run.
const BESTWOOD: &str = "0192a001-0000-7000-8000-000000000001";

fn problems<T: std::fmt::Debug>(r: Result<T, AppError>) -> hearth_domain::input::FieldErrors {
    match r {
        Err(AppError::Invalid(e)) => e,
        other => panic!("{other:?}"),
    }
}

async fn audited(h: &Hearth, record: Uuid) -> Vec<AuditAction> {
    h.search_audit(
        &actor(h, "admin@demo.hearth.test").await,
        &AuditQuery {
            record_id: Some(record.to_string()),
            ..AuditQuery::default()
        },
    )
    .await
    .unwrap()
    .into_iter()
    .map(|e| e.action)
    .collect()
}

both_engines!(
    an_editor_changes_their_own_place_and_a_reviewer_any,
    |store| async move {
        let h = hearth(store).await;
        let editor = actor(&h, "vcs-editor@demo.hearth.test").await;
        let id = h
            .add_directory_location(
                &editor,
                &LocationForm {
                    name: "Sherwood Library".into(),
                    address_1: "Sherwood Hall Road".into(),
                    city: "Nottingham".into(),
                    postcode: "NG5 1DD".into(),
                    ..LocationForm::default()
                },
            )
            .await
            .unwrap();
        let opened = h.place_to_change(&editor, id).await.unwrap();
        assert_eq!(opened.form.name, "Sherwood Library");
        assert_eq!(opened.form.postcode, "NG5 1DD");
        assert_eq!(opened.services, 0);
        assert!(!opened.may_mark_hub);

        // Bad input: every problem at its field, and nothing saved.
        let bad = LocationForm {
            name: " ".into(),
            postcode: "NG5".into(),
            family_hub: "yes".into(),
            ..opened.form.clone()
        };
        let e = problems(h.change_directory_location(&editor, id, &bad).await);
        assert!(e.get("name").is_some());
        assert!(e
            .get("postcode")
            .unwrap()
            .starts_with("Enter the whole postcode"));
        assert_eq!(
            e.get("family_hub"),
            Some("Only the council's directory editors can mark a place as a Family Hub")
        );
        assert_eq!(
            h.place_to_change(&editor, id).await.unwrap().form,
            opened.form
        );

        // A good change moves the place to where its new postcode is.
        let moved = LocationForm {
            postcode: "ng5 2ab".into(),
            accessibility: "Step-free entrance and a hearing loop.".into(),
            ..opened.form.clone()
        };
        assert!(matches!(
            h.change_directory_location(&editor, id, &moved)
                .await
                .unwrap(),
            PlaceSave::Saved
        ));
        let place = h
            .directory_locations(&editor)
            .await
            .unwrap()
            .into_iter()
            .find(|l| l.id == id)
            .unwrap();
        assert_eq!(place.postal_code, "NG5 2AB");
        assert_eq!(
            (place.latitude, place.longitude),
            (Some(52.9905), Some(-1.1430))
        );
        assert_eq!(
            place.accessibility.as_deref(),
            Some("Step-free entrance and a hearing loop.")
        );

        // Saving the form opened before that change is refused with the place as it is now.
        let stale = LocationForm {
            name: "Sherwood Library and Hub".into(),
            ..opened.form.clone()
        };
        match h
            .change_directory_location(&editor, id, &stale)
            .await
            .unwrap()
        {
            PlaceSave::Stale { now, stamp } => {
                assert_eq!(now.postal_code, "NG5 2AB");
                // Once seen, saving over it with the new stamp goes through.
                let again = LocationForm { stamp, ..stale };
                assert!(matches!(
                    h.change_directory_location(&editor, id, &again)
                        .await
                        .unwrap(),
                    PlaceSave::Saved
                ));
            }
            PlaceSave::Saved => panic!("a stale save went through"),
        }
        assert_eq!(
            audited(&h, id).await,
            [
                AuditAction::DirectoryLocationChanged,
                AuditAction::DirectoryLocationChanged,
                AuditAction::DirectoryLocationAdded
            ]
        );

        // The council's services run at Bestwood: the voluntary group's editor may not
        // change it (refused and audited); a reviewer may, and may unmark the Family Hub.
        let bestwood: Uuid = BESTWOOD.parse().unwrap();
        assert!(matches!(
            h.place_to_change(&editor, bestwood).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(audited(&h, bestwood).await, [AuditAction::AccessDenied]);
        let reviewer = actor(&h, "reviewer@demo.hearth.test").await;
        let hub = h.place_to_change(&reviewer, bestwood).await.unwrap();
        assert!(hub.services > 0);
        assert_eq!(hub.form.family_hub, "yes");
        let renamed = LocationForm {
            name: "Bestwood Family Hub (Padstow)".into(),
            ..hub.form
        };
        assert!(matches!(
            h.change_directory_location(&reviewer, bestwood, &renamed)
                .await
                .unwrap(),
            PlaceSave::Saved
        ));
        // Families see the new name on the services there.
        let near = h
            .find_services(&FindForm {
                postcode: "NG5 5GH".into(),
                distance: "1".into(),
                hub: "yes".into(),
                ..FindForm::default()
            })
            .await
            .unwrap();
        assert!(!near.hits.is_empty());
        assert!(near.hits.iter().all(|hit| hit
            .at
            .as_ref()
            .is_some_and(|at| at.location.name == "Bestwood Family Hub (Padstow)")));
        // Moved and no longer a Family Hub, its services are found where it is now, and not
        // by a search for Family Hubs.
        // With a keyword too: the search by keyword and distance reads its own copy of the
        // places' positions and marks (migration 0014). The keyword is the first word of a
        // service that runs there.
        let word = near.hits[0]
            .entry
            .name
            .split_whitespace()
            .next()
            .unwrap()
            .to_lowercase();
        let at_bestwood = |postcode: &'static str, hub: &'static str, q: String| {
            let h = h.clone();
            async move {
                h.find_services(&FindForm {
                    q,
                    postcode: postcode.into(),
                    distance: "1".into(),
                    hub: hub.into(),
                    ..FindForm::default()
                })
                .await
                .unwrap()
                .hits
                .iter()
                .filter(|hit| hit.at.as_ref().is_some_and(|at| at.location.id == bestwood))
                .count()
            }
        };
        let there = at_bestwood("NG5 5GH", "", String::new()).await;
        assert!(there > 0);
        let with_word = at_bestwood("NG5 5GH", "", word.clone()).await;
        assert!(with_word > 0);
        assert_eq!(at_bestwood("NG5 5GH", "yes", word.clone()).await, with_word);
        assert_eq!(at_bestwood("NG11 9BB", "", String::new()).await, 0);
        assert_eq!(at_bestwood("NG11 9BB", "", word.clone()).await, 0);
        let hub = h.place_to_change(&reviewer, bestwood).await.unwrap();
        let moved = LocationForm {
            postcode: "NG11 9BB".into(),
            family_hub: String::new(),
            ..hub.form
        };
        assert!(matches!(
            h.change_directory_location(&reviewer, bestwood, &moved)
                .await
                .unwrap(),
            PlaceSave::Saved
        ));
        assert_eq!(at_bestwood("NG5 5GH", "", String::new()).await, 0);
        assert_eq!(at_bestwood("NG5 5GH", "", word.clone()).await, 0);
        assert_eq!(at_bestwood("NG11 9BB", "", String::new()).await, there);
        assert_eq!(at_bestwood("NG11 9BB", "", word.clone()).await, with_word);
        assert_eq!(at_bestwood("NG11 9BB", "yes", String::new()).await, 0);
        assert_eq!(at_bestwood("NG11 9BB", "yes", word).await, 0);
    }
);

both_engines!(
    an_organisations_new_name_reaches_the_directory_and_its_search,
    |store| async move {
        let h = hearth(store).await;
        let admin = actor(&h, "admin@demo.hearth.test").await;
        let search = |q: &'static str| {
            let h = h.clone();
            async move {
                h.find_services(&FindForm {
                    q: q.into(),
                    ..FindForm::default()
                })
                .await
                .unwrap()
                .hits
                .into_iter()
                .map(|hit| (hit.entry.name, hit.organisation_name))
                .collect::<Vec<_>>()
            }
        };
        assert!(search("befrienders").await.is_empty());
        let org = h
            .organisations(&admin)
            .await
            .unwrap()
            .into_iter()
            .find(|o| o.name == "Family Friends Volunteers (demo)")
            .unwrap();
        let form = OrganisationForm {
            name: "Sherwood Befrienders (demo)".into(),
            ..OrganisationForm::from_record(&org)
        };
        h.update_organisation(&admin, org.id, org.version, &form)
            .await
            .unwrap();
        let found = search("befrienders").await;
        assert!(
            found.contains(&(
                "Family Friends home visiting".to_string(),
                "Sherwood Befrienders (demo)".to_string()
            )),
            "{found:?}"
        );
        assert!(found
            .iter()
            .all(|(_, o)| o == "Sherwood Befrienders (demo)"));
    }
);
