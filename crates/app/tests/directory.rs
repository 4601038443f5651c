//! The directory through the app's public interface, on both engines: a family's search, a
//! partner's change reviewed and published, an import, and a request for a service.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::directory::places::LocationForm;
use hearth_app::directory::service_requests::ServiceRequestForm;
use hearth_app::directory::{FindForm, OrukQuery, ServiceForm};
use hearth_app::family::{PersonForm, SearchForm};
use hearth_app::records::{AuditQuery, Written};
use hearth_app::{Actor, AppError, Hearth};
use hearth_domain::directory::{EditRoute, SearchProblem};
use hearth_testkit::app::{actor, hearth};
use hearth_testkit::both_engines;

fn names(f: &hearth_app::directory::Findings) -> Vec<String> {
    f.hits.iter().map(|h| h.entry.name.clone()).collect()
}

both_engines!(
    a_family_finds_a_free_parenting_group_near_ng7_for_a_three_year_old,
    |store| async move {
        let h = hearth(store).await;
        let found = h
            .find_services(&FindForm {
                need: "parenting".into(),
                age: "3".into(),
                postcode: "ng7".into(),
                distance: "2".into(),
                free: "yes".into(),
                ..FindForm::default()
            })
            .await
            .unwrap();
        assert!(found.problems.is_empty());
        let n = names(&found);
        assert!(
            n.contains(&"Incredible Years parenting group".to_string()),
            "{n:?}"
        );
        // Teenagers' groups, paid groups and far-away groups are left out.
        assert!(!n.contains(&"Parenting teenagers group".to_string()));
        assert!(
            !n.contains(&"Young parents together".to_string()),
            "Bestwood is over 2 miles from NG7"
        );
        let d: Vec<f64> = found
            .hits
            .iter()
            .map(|h| h.at.as_ref().unwrap().distance_metres.unwrap())
            .collect();
        assert!(d.windows(2).all(|w| w[0] <= w[1]), "nearest first: {d:?}");
        assert!(d.iter().all(|m| *m <= 2.0 * 1609.344));
        // Wider, everything at the hubs within 20 miles is found.
        let wide = h
            .find_services(&FindForm {
                need: "parenting".into(),
                postcode: "NG7 5AA".into(),
                distance: "20".into(),
                ..FindForm::default()
            })
            .await
            .unwrap();
        assert!(names(&wide).contains(&"Young parents together".to_string()));
    }
);

async fn keyword(h: &Hearth, q: &str, postcode: &str) -> Vec<String> {
    let found = h
        .find_services(&FindForm {
            q: q.into(),
            postcode: postcode.into(),
            distance: if postcode.is_empty() { "" } else { "20" }.into(),
            ..FindForm::default()
        })
        .await
        .unwrap();
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    assert_eq!(found.total as usize, found.hits.len(), "one page: {q}");
    let mut n = names(&found);
    n.sort();
    n
}

both_engines!(
    a_keyword_finds_services_by_the_start_of_their_words,
    |store| async move {
        let h = hearth(store).await;
        // Each word must start a word of the name, description, organisation or needs, in
        // any case, with or without a postcode.
        for postcode in ["", "NG7 5AA"] {
            assert_eq!(
                keyword(&h, "DADS group", postcode).await,
                vec!["Dads' group"],
                "{postcode}"
            );
            assert_eq!(
                keyword(&h, "crèche", postcode).await,
                vec!["Incredible Years parenting group"]
            );
            let parent = keyword(&h, "parent", postcode).await;
            for n in [
                "Incredible Years parenting group",
                "Parenting teenagers group",
                "Young parents together",
            ] {
                assert!(parent.contains(&n.to_string()), "{n} in {parent:?}");
            }
            assert!(!parent.contains(&"Youth club".to_string()));
            // Only the start of a word matches, not the inside of one.
            assert!(keyword(&h, "arenting", postcode).await.is_empty());
            assert!(keyword(&h, "zzzz", postcode).await.is_empty());
            // Punctuation typed by a family is not a word.
            assert_eq!(
                keyword(&h, "debt!", postcode).await,
                // the pantry by its need, "Money, debt and benefits"
                vec!["Community pantry", "Money and debt advice"]
            );
        }
        // The API's `search` is the same keyword search, with a correct total.
        let page = h
            .oruk_services(&OrukQuery {
                search: "feeding".into(),
                ..OrukQuery::default()
            })
            .await
            .unwrap();
        let found: Vec<&str> = page.contents.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(found, vec!["Infant feeding drop-in"]);
        assert_eq!(page.total_items, 1);
    }
);

/// The demo's dads' group, found as a family would find it.
async fn dads_group(h: &Hearth) -> uuid::Uuid {
    h.find_services(&FindForm {
        q: "dads".into(),
        ..FindForm::default()
    })
    .await
    .unwrap()
    .hits[0]
        .entry
        .id
}

/// A service's entry as its edit form shows it, for the test to change.
async fn edit_form(h: &Hearth, who: &Actor, id: uuid::Uuid) -> ServiceForm {
    let (service, _, _) = h.service_for_editing(who, id).await.unwrap();
    let needs = h.directory_needs().await.unwrap();
    ServiceForm::from_entry(&service, &needs)
}

both_engines!(
    a_published_change_is_found_by_its_new_words_only,
    |store| async move {
        let h = hearth(store).await;
        let reviewer = actor(&h, "reviewer@demo.hearth.test").await;
        let id = dads_group(&h).await;
        let mut form = edit_form(&h, &reviewer, id).await;
        form.name = "Fathers' Saturday club".into();
        form.description = "A monthly Saturday club for fathers and their children.".into();
        h.change_service(&reviewer, Some(id), &form).await.unwrap();
        // With and without a postcode (the search by distance reads its own copy of each
        // service's words, places and conditions: migration 0014).
        for postcode in ["", "NG7 5AA"] {
            assert_eq!(
                keyword(&h, "fathers", postcode).await,
                vec!["Fathers' Saturday club"]
            );
            assert!(keyword(&h, "dads", postcode).await.is_empty());
        }
        // Its conditions follow too: the ages it takes, then whether it runs at all.
        let for_age = |age: &'static str| {
            let h = h.clone();
            async move {
                h.find_services(&FindForm {
                    q: "fathers".into(),
                    postcode: "NG7 5AA".into(),
                    distance: "20".into(),
                    age: age.into(),
                    ..FindForm::default()
                })
                .await
                .unwrap()
                .total
            }
        };
        assert_eq!(for_age("4").await, 1);
        let mut form = edit_form(&h, &reviewer, id).await;
        form.minimum_age = "5".into();
        form.maximum_age = "11".into();
        h.change_service(&reviewer, Some(id), &form).await.unwrap();
        assert_eq!(for_age("4").await, 0);
        assert_eq!(for_age("7").await, 1);
        let mut form = edit_form(&h, &reviewer, id).await;
        form.status = "inactive".into();
        h.change_service(&reviewer, Some(id), &form).await.unwrap();
        assert_eq!(for_age("7").await, 0);
    }
);

both_engines!(
    opening_times_are_kept_per_day_and_checked_at_each_field,
    |store| async move {
        let h = hearth(store).await;
        let reviewer = actor(&h, "reviewer@demo.hearth.test").await;
        let id = dads_group(&h).await;
        let mut form = edit_form(&h, &reviewer, id).await;
        // The demo group runs on Saturdays, 10:00 to 12:00.
        let sa = form.hours.iter().find(|d| d.day == "SA").unwrap();
        assert_eq!((sa.opens.as_str(), sa.closes.as_str()), ("10:00", "12:00"));
        let hours = |f: &mut ServiceForm, day: &str, opens: &str, closes: &str| {
            f.set_hours(day, Some(opens.into()), Some(closes.into()))
        };
        let mut bad = form.clone();
        hours(&mut bad, "MO", "10:00", "09:00");
        hours(&mut bad, "TU", "25:00", "12:00");
        hours(&mut bad, "WE", "", "12:00");
        hours(&mut bad, "TH", "13:00", "");
        match h.change_service(&reviewer, Some(id), &bad).await {
            Err(AppError::Invalid(e)) => {
                assert_eq!(
                    e.get("closes_at_MO"),
                    Some("The closing time on Monday must be after the opening time")
                );
                assert_eq!(
                    e.get("opens_at_TU"),
                    Some("Enter the time it opens on Tuesday as hours and minutes, like 09:30")
                );
                assert!(e
                    .get("opens_at_WE")
                    .unwrap()
                    .starts_with("Enter the time it opens on Wednesday"));
                assert!(e
                    .get("closes_at_TH")
                    .unwrap()
                    .starts_with("Enter the time it closes on Thursday"));
                assert_eq!(e.get("opens_at_SA"), None, "a good day is not flagged");
            }
            other => panic!("{other:?}"),
        }
        // Different times on different days; a day left empty does not run.
        hours(&mut form, "MO", "9:30", "11:30");
        hours(&mut form, "SA", "", "");
        hours(&mut form, "SU", "14:00", "16:30");
        h.change_service(&reviewer, Some(id), &form).await.unwrap();
        let public = h.published_service(id).await.unwrap();
        let times: Vec<(String, Option<String>, Option<String>)> = public
            .service
            .entry
            .schedules
            .iter()
            .map(|s| (s.byday.clone(), s.opens_at.clone(), s.closes_at.clone()))
            .collect();
        assert_eq!(
            times,
            vec![
                ("MO".into(), Some("09:30".into()), Some("11:30".into())),
                ("SU".into(), Some("14:00".into()), Some("16:30".into())),
            ]
        );
        // Found on its days only.
        for (day, found) in [("MO", true), ("SA", false)] {
            let f = h
                .find_services(&FindForm {
                    q: "dads".into(),
                    day: day.into(),
                    ..FindForm::default()
                })
                .await
                .unwrap();
            assert_eq!(f.total == 1, found, "{day}");
        }
    }
);

both_engines!(
    an_editor_adds_a_place_from_its_postcode_and_runs_a_service_there,
    |store| async move {
        let h = hearth(store).await;
        let editor = actor(&h, "vcs-editor@demo.hearth.test").await;
        let place = |postcode: &str, hub: &str| LocationForm {
            name: "Sherwood Library".into(),
            address_1: "Sherwood Hall Road".into(),
            city: "Nottingham".into(),
            postcode: postcode.into(),
            accessibility: "Step-free entrance and a hearing loop.".into(),
            family_hub: hub.into(),
            ..LocationForm::default()
        };
        // Each problem at its field; nothing saved.
        let problems = |r: Result<_, AppError>| match r {
            Err(AppError::Invalid(e)) => e,
            other => panic!("{other:?}"),
        };
        let e = problems(
            h.add_directory_location(&editor, &place("NG7 9ZZ", ""))
                .await,
        );
        assert_eq!(
            e.get("postcode"),
            Some("We do not know where NG7 9ZZ is. Check the postcode; if it is right, ask an administrator to import the latest postcodes")
        );
        let e = problems(h.add_directory_location(&editor, &place("NG7", "")).await);
        assert!(e
            .get("postcode")
            .unwrap()
            .starts_with("Enter the whole postcode"));
        let e = problems(
            h.add_directory_location(&editor, &place("not one", ""))
                .await,
        );
        assert_eq!(
            e.get("postcode"),
            Some("Enter a real postcode, like NG7 5AA")
        );
        // A voluntary group's editor may not mark a Family Hub; the council's may.
        assert!(!h.may_mark_family_hub(&editor).await.unwrap());
        let e = problems(
            h.add_directory_location(&editor, &place("ng5 1dd", "yes"))
                .await,
        );
        assert_eq!(
            e.get("family_hub"),
            Some("Only the council's directory editors can mark a place as a Family Hub")
        );
        let before = h.directory_locations(&editor).await.unwrap().len();
        let council = actor(&h, "directory@demo.hearth.test").await;
        assert!(h.may_mark_family_hub(&council).await.unwrap());
        let hub = h
            .add_directory_location(&council, &place("NG5 5CC", "yes"))
            .await
            .unwrap();
        let id = h
            .add_directory_location(&editor, &place("ng5 1dd", ""))
            .await
            .unwrap();
        let places = h.directory_locations(&editor).await.unwrap();
        assert_eq!(places.len(), before + 2);
        let added = places.iter().find(|l| l.id == id).unwrap();
        assert_eq!(added.postal_code, "NG5 1DD");
        assert_eq!(
            (added.latitude, added.longitude),
            (Some(52.9841), Some(-1.1512)),
            "where the postcode table puts it"
        );
        assert!(!added.family_hub);
        assert!(places.iter().find(|l| l.id == hub).unwrap().family_hub);
        // The editor's service runs there too, once a reviewer publishes the change.
        let (lines, _) = h.directory_desk(&editor).await.unwrap();
        let service_id = lines[0].id;
        let mut form = edit_form(&h, &editor, service_id).await;
        form.locations.push(id.to_string());
        h.change_service(&editor, Some(service_id), &form)
            .await
            .unwrap();
        let reviewer = actor(&h, "reviewer@demo.hearth.test").await;
        let (_, pending) = h.directory_desk(&reviewer).await.unwrap();
        assert_eq!(pending[0].summary, "Changed: places");
        h.decide_directory_change(&reviewer, pending[0].id, true, "")
            .await
            .unwrap();
        let public = h.published_service(service_id).await.unwrap();
        assert!(public
            .locations
            .iter()
            .any(|(_, l)| l.name == "Sherwood Library"));
        // Audited, with who added it.
        let events = h
            .search_audit(
                &actor(&h, "admin@demo.hearth.test").await,
                &AuditQuery {
                    record_id: Some(id.to_string()),
                    ..AuditQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].action.code(), "directory_location_added");
    }
);

both_engines!(
    a_distance_search_pages_through_every_service_nearest_first,
    |store| async move {
        let h = hearth(store).await;
        let search = |page: &str, hub: &str| FindForm {
            postcode: "NG7 5AA".into(),
            distance: "20".into(),
            page: page.into(),
            hub: hub.into(),
            ..FindForm::default()
        };
        let first = h.find_services(&search("1", "")).await.unwrap();
        let second = h.find_services(&search("2", "")).await.unwrap();
        let beyond = h.find_services(&search("9", "")).await.unwrap();
        assert!(first.total > 10, "more than a page: {}", first.total);
        assert_eq!(second.total, first.total);
        assert_eq!(beyond.total, first.total, "the total past the last page");
        assert!(beyond.hits.is_empty());
        let all: Vec<_> = first.hits.iter().chain(&second.hits).collect();
        assert_eq!(all.len() as u64, first.total, "every service once");
        let mut ids: Vec<_> = all.iter().map(|h| h.entry.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), all.len());
        let d: Vec<f64> = all
            .iter()
            .map(|h| h.at.as_ref().unwrap().distance_metres.unwrap())
            .collect();
        assert!(d.windows(2).all(|w| w[0] <= w[1]), "nearest first: {d:?}");
        // With "Family Hub only", each service is shown at its nearest Family Hub.
        let hubs = h.find_services(&search("", "yes")).await.unwrap();
        assert!(hubs.total >= 1 && hubs.total < first.total);
        assert!(hubs
            .hits
            .iter()
            .all(|h| h.at.as_ref().unwrap().location.family_hub));
    }
);

both_engines!(bad_searches_say_what_to_fix, |store| async move {
    let h = hearth(store).await;
    let found = h
        .find_services(&FindForm {
            age: "-3".into(),
            postcode: "NG7 ZZZ".into(),
            ..FindForm::default()
        })
        .await
        .unwrap();
    assert_eq!(
        found.problems,
        vec![
            ("age", SearchProblem::AgeNegative),
            ("postcode", SearchProblem::PostcodeMalformed)
        ]
    );
    let unknown = h
        .find_services(&FindForm {
            postcode: "ZE2 9XX".into(),
            ..FindForm::default()
        })
        .await
        .unwrap();
    assert_eq!(
        unknown.problems,
        vec![("postcode", SearchProblem::PostcodeUnknown)]
    );
    let huge = h
        .oruk_services(&OrukQuery {
            per_page: "100000".into(),
            ..OrukQuery::default()
        })
        .await;
    match huge {
        Err(AppError::Invalid(e)) => {
            assert_eq!(e.get("per_page"), Some("per_page must be 100 or fewer"))
        }
        other => panic!("{other:?}"),
    }
});

both_engines!(
    a_partners_change_waits_for_a_reviewer_and_is_kept_in_history,
    |store| async move {
        let h = hearth(store).await;
        let editor = actor(&h, "vcs-editor@demo.hearth.test").await;
        let reviewer = actor(&h, "reviewer@demo.hearth.test").await;
        let (lines, _) = h.directory_desk(&editor).await.unwrap();
        assert_eq!(
            lines.len(),
            1,
            "an editor sees only their organisation's services"
        );
        let id = lines[0].id;
        let (service, route, _) = h.service_for_editing(&editor, id).await.unwrap();
        assert_eq!(route, EditRoute::Review);
        let needs = h.directory_needs().await.unwrap();
        let mut form = ServiceForm::from_entry(&service, &needs);
        form.description =
            "Weekly home visits by a trained volunteer, now also on Saturdays.".into();
        form.set_hours("SA", Some("10:00".into()), Some("12:00".into()));
        let (_, route) = h.change_service(&editor, Some(id), &form).await.unwrap();
        assert_eq!(route, EditRoute::Review);
        // Not published yet: families still see the old text.
        let public = h.published_service(id).await.unwrap();
        assert_ne!(public.service.entry.description, form.description);
        // An editor may not touch another organisation's service.
        let (all, pending) = h.directory_desk(&reviewer).await.unwrap();
        let other = all.iter().find(|l| l.id != id).unwrap().id;
        assert!(matches!(
            h.service_for_editing(&editor, other).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].summary, "Changed: description, times");
        h.decide_directory_change(&reviewer, pending[0].id, true, "")
            .await
            .unwrap();
        let public = h.published_service(id).await.unwrap();
        assert_eq!(public.service.entry.description, form.description);
        assert_eq!(public.service.entry.last_reviewed, h.now().date_naive());
        let (_, _, history) = h.service_for_editing(&reviewer, id).await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(
            history[0].status,
            hearth_domain::directory::ChangeStatus::Published
        );
        let events = h
            .search_audit(
                &actor(&h, "admin@demo.hearth.test").await,
                &AuditQuery {
                    record_id: Some(id.to_string()),
                    ..AuditQuery::default()
                },
            )
            .await
            .unwrap();
        let actions: Vec<&str> = events.iter().map(|e| e.action.code()).collect();
        assert_eq!(
            actions,
            vec!["directory_change_published", "directory_change_proposed"]
        );
    }
);

/// Gives each part a new id, as another publisher of the same service would.
fn renew_ids<T>(parts: &mut Option<Vec<T>>, id: fn(&mut T) -> &mut uuid::Uuid) {
    for p in parts.iter_mut().flatten() {
        *id(p) = uuid::Uuid::now_v7();
    }
}

both_engines!(
    an_import_is_idempotent_and_reports_bad_records,
    |store| async move {
        let h = hearth(store).await;
        let mine = h
            .directory_desk(&actor(&h, "reviewer@demo.hearth.test").await)
            .await
            .unwrap()
            .0[0]
            .id;
        let mut published = h.oruk_service(mine).await.unwrap();
        // The same service from another publisher, under new ids.
        published.id = uuid::Uuid::now_v7();
        let org = published.organization.as_mut().unwrap();
        org.id = uuid::Uuid::now_v7();
        published.organization_id = Some(org.id);
        let new = uuid::Uuid::now_v7;
        for sal in published.service_at_locations.iter_mut().flatten() {
            sal.id = new();
            let l = sal.location.as_mut().unwrap();
            l.id = new();
            for a in l.addresses.iter_mut().flatten() {
                a.id = new();
            }
            for a in l.accessibility.iter_mut().flatten() {
                a.id = new();
            }
        }
        renew_ids(&mut published.schedules, |x| &mut x.id);
        renew_ids(&mut published.languages, |x| &mut x.id);
        renew_ids(&mut published.attributes, |x| &mut x.id);
        renew_ids(&mut published.cost_options, |x| &mut x.id);
        renew_ids(&mut published.service_areas, |x| &mut x.id);
        for c in published.contacts.iter_mut().flatten() {
            c.id = new();
            for p in c.phones.iter_mut().flatten() {
                p.id = new();
            }
        }
        let source = "https://directory.example.org/openreferral";
        assert_eq!(
            h.import_oruk_service(source, &published).await,
            Ok(Written::Added)
        );
        assert_eq!(
            h.import_oruk_service(source, &published).await,
            Ok(Written::Unchanged)
        );
        published.name = "Renamed by its publisher".into();
        assert_eq!(
            h.import_oruk_service(source, &published).await,
            Ok(Written::Changed)
        );
        // A feed may not overwrite the partnership's own entry.
        let own = h.oruk_service(mine).await.unwrap();
        let refused = h.import_oruk_service(source, &own).await.unwrap_err();
        assert!(
            refused[0].contains("already in the directory"),
            "{refused:?}"
        );
        let mut bad = published.clone();
        bad.status = "open".into();
        bad.organization = None;
        assert!(h.import_oruk_service(source, &bad).await.is_err());
        // A feed's link that would run script is refused with the reason, as the editor
        // refuses it; the entry already imported keeps its good link.
        let mut script = published.clone();
        script.url = Some("javascript:alert(document.cookie)".into());
        let reasons = h.import_oruk_service(source, &script).await.unwrap_err();
        assert!(
            reasons
                .iter()
                .any(|r| r.starts_with("url ") && r.contains("javascript:")),
            "{reasons:?}"
        );
        let mut script = published.clone();
        script.organization.as_mut().unwrap().website = Some("JavaScript:alert(1)".into());
        let reasons = h.import_oruk_service(source, &script).await.unwrap_err();
        assert!(
            reasons
                .iter()
                .any(|r| r.starts_with("organization.website ")),
            "{reasons:?}"
        );
        assert_eq!(
            h.oruk_service(published.id).await.unwrap().url,
            published.url
        );
    }
);

both_engines!(
    a_request_for_a_service_is_accepted_by_the_receiving_organisation,
    |store| async move {
        let h = hearth(store).await;
        let hv = actor(&h, "practitioner@demo.hearth.test").await;
        let s = h
            .search_people(
                &hv,
                &SearchForm {
                    name: "Amara Testcase".into(),
                    ..SearchForm::default()
                },
            )
            .await
            .unwrap();
        let person = h
            .add_person(
                &hv,
                &PersonForm {
                    search_id: s.search_id.to_string(),
                    given_names: "Amara".into(),
                    family_name: "Testcase".into(),
                    ..PersonForm::default()
                },
            )
            .await
            .unwrap();
        let service = h
            .requestable_services()
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.name == "Family Friends home visiting")
            .unwrap();
        let missing = h
            .request_service(&hv, person, &ServiceRequestForm::default())
            .await;
        match missing {
            Err(AppError::Invalid(e)) => {
                assert!(e.get("consent").is_some());
                assert!(e.get("reason").is_some());
            }
            other => panic!("{other:?}"),
        }
        let id = h
            .request_service(
                &hv,
                person,
                &ServiceRequestForm {
                    service: service.id.to_string(),
                    reason: "First baby, isolated since moving to the city.".into(),
                    consent: "yes".into(),
                    consent_given_by: "Amara (mother)".into(),
                    contact_preference: "phone".into(),
                    contact_detail: "07700 900123".into(),
                },
            )
            .await
            .unwrap();
        // Someone in another organisation cannot see it.
        let lead = actor(&h, "lead@demo.hearth.test").await;
        assert!(h.service_request(&lead, id).await.is_err());
        let kit = actor(&h, "vcs-worker@demo.hearth.test").await;
        let inbox = h.service_requests_received(&kit).await.unwrap();
        assert_eq!(inbox.len(), 1);
        let (r, may_answer) = h.service_request(&kit, id).await.unwrap();
        assert!(may_answer);
        assert!(matches!(
            h.answer_service_request(&kit, id, Some(false), "", r.version)
                .await,
            Err(AppError::Invalid(_))
        ));
        h.answer_service_request(
            &kit,
            id,
            Some(true),
            "A volunteer will call this week.",
            r.version,
        )
        .await
        .unwrap();
        let mine = h.service_requests_for(&hv, person).await.unwrap();
        assert_eq!(
            mine[0].status,
            hearth_domain::directory::ServiceRequestStatus::Accepted
        );
        assert_eq!(
            mine[0].answer_reason.as_deref(),
            Some("A volunteer will call this week.")
        );
        // Answered once only.
        assert!(matches!(
            h.answer_service_request(&kit, id, Some(false), "Changed our mind", r.version)
                .await,
            Err(AppError::Conflict)
        ));
        let events = h
            .search_audit(
                &actor(&h, "admin@demo.hearth.test").await,
                &AuditQuery {
                    record_id: Some(person.to_string()),
                    ..AuditQuery::default()
                },
            )
            .await
            .unwrap();
        let actions: Vec<&str> = events.iter().map(|e| e.action.code()).collect();
        for a in [
            "service_request_sent",
            "service_request_viewed",
            "service_request_answered",
        ] {
            assert!(actions.contains(&a), "{a} in {actions:?}");
        }
    }
);
