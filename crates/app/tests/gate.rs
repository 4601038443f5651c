//! The gate, tried as an attacker would: each side door found when a signed-in school
//! practitioner and a community volunteer tried the demo (issue 15's findings 1–7, 15 and
//! 16), through the app's public use cases, on both engines.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::Utc;
use hearth_app::episodes::case_notes::NoteForm;
use hearth_app::episodes::MemberForm;
use hearth_app::family::{PersonForm, PersonView, SearchForm};
use hearth_app::front_door::{DecisionForm, RequestForm};
use hearth_app::records::AuditQuery;
use hearth_app::{Actor, AppError, Hearth};
use hearth_domain::ids::{PersonId, RequestId};
use hearth_store::{audit, Store};
use hearth_testkit::app::{actor, hearth, hearth_with_clock, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;

fn today() -> String {
    Utc::now().date_naive().format("%d/%m/%Y").to_string()
}

/// How many refusals the audit log holds for this user.
async fn refusals(store: &Store, who: &Actor) -> usize {
    let mut conn = store.read().await.unwrap();
    audit::search(
        &mut conn,
        &AuditQuery {
            who: Some(who.email.clone()),
            action: Some("access_denied".into()),
            ..AuditQuery::default()
        },
        &[],
        10_000,
    )
    .await
    .unwrap()
    .len()
}

/// Adds one person as `by` (after the search the rules ask for), optionally restricted.
async fn add(h: &Hearth, by: &Actor, given: &str, family: &str, form: PersonForm) -> PersonId {
    let search = h
        .search_people(
            by,
            &SearchForm {
                name: format!("{given} {family}"),
                ..SearchForm::default()
            },
        )
        .await
        .unwrap();
    h.add_person(
        by,
        &PersonForm {
            search_id: search.search_id.to_string(),
            given_names: given.into(),
            family_name: family.into(),
            ..form
        },
    )
    .await
    .unwrap()
}

/// Sends the front door a request about people already on the record.
async fn ask_about(h: &Hearth, by: &Actor, people: &[PersonId]) -> RequestId {
    let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
    let pairs: Vec<(String, String)> = people
        .iter()
        .map(|p| pair("people", &p.to_string()))
        .chain([
            pair("needs", "education"),
            pair("detail_education", "Missing mornings"),
            pair("family_told", "Mum knows"),
            pair("consent", "given"),
            pair("urgency", "routine"),
            pair("safeguarding", "no"),
        ])
        .collect();
    h.save_request(by, None, &RequestForm::from_pairs(&pairs), true)
        .await
        .unwrap()
}

fn no_further_action() -> DecisionForm {
    DecisionForm {
        level: "1".into(),
        outcome: "no_further_action".into(),
        rationale: "Universal services meet the needs".into(),
        nfa_reason: "Needs met by the school".into(),
        ..DecisionForm::default()
    }
}

fn note(body: &str, visibility: &str) -> NoteForm {
    NoteForm {
        kind: "visit".into(),
        occurred_on: today(),
        participants: "Mia and her mum".into(),
        child_seen: "yes".into(),
        body: body.into(),
        visibility: visibility.into(),
        ..NoteForm::default()
    }
}

both_engines!(
    asking_for_help_about_someone_gives_no_access_to_their_record,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let opened = Family::new("Okafor")
            .child("Mia", &years_ago(8))
            .need("education")
            .early_help(&h, &lead, "School knows the family best")
            .await;
        let child = opened.people[0];
        // A health practitioner with no part finds the child by contact search, and asks.
        let outsider = actor(&h, "practitioner@demo.hearth.test").await;
        let request = ask_about(&h, &outsider, &[child]).await;
        assert!(
            matches!(
                h.person(&outsider, child, None).await.unwrap(),
                PersonView::ContactOnly(_)
            ),
            "asking is not a way into the record"
        );
        assert!(matches!(
            h.episode(&outsider, opened.episode).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.chronology(&outsider, child, &[], None, 1, None).await,
            Err(AppError::Forbidden(_))
        ));
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        h.decide_request(&officer, request, &no_further_action())
            .await
            .unwrap();
        // The requester sees where their own request stands, and still not the record.
        let mine = h.request(&outsider, request).await.unwrap();
        assert_eq!(
            mine.request.status,
            hearth_domain::routing::RequestStatus::Decided
        );
        assert!(matches!(
            h.person(&outsider, child, None).await.unwrap(),
            PersonView::ContactOnly(_)
        ));
    }
);

both_engines!(
    an_open_request_does_not_let_the_front_door_manage_another_teams_episode,
    |store| async move {
        let h = hearth(store).await;
        let t = Family::new("Brennan")
            .child("Kai", &years_ago(13))
            .need("education")
            .targeted(&h, Default::default())
            .await;
        let child = t.people[0];
        // A new request about the child: the front door reads the family while it is open …
        ask_about(&h, &t.lead, &[child]).await;
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        let view = h.episode(&officer, t.episode).await.unwrap();
        // … but works no episode of another team's because of it.
        assert_eq!(view.may, Default::default(), "reading only");
        let refused = h
            .add_taf_member(
                &officer,
                t.episode,
                &MemberForm {
                    user_id: officer.user_id.to_string(),
                    role: "Front door".into(),
                    ..MemberForm::default()
                },
            )
            .await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))));
    }
);

both_engines!(
    nobody_joins_or_ends_a_household_they_may_not_change,
    |store| async move {
        let h = hearth(store.clone()).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let opened = Family::new("Okafor")
            .child("Mia", &years_ago(8))
            .parent("Grace", &years_ago(35))
            .need("education")
            .early_help(&h, &lead, "School knows the family best")
            .await;
        let child = opened.people[0];
        let volunteer = actor(&h, "practitioner@demo.hearth.test").await;
        let before = refusals(&store, &volunteer).await;

        // Finding 2: a made-up person may not be added to another family's household.
        let search = h
            .search_people(
                &volunteer,
                &SearchForm {
                    name: "Made Up".into(),
                    ..SearchForm::default()
                },
            )
            .await
            .unwrap();
        let joined = h
            .add_person(
                &volunteer,
                &PersonForm {
                    search_id: search.search_id.to_string(),
                    given_names: "Made".into(),
                    family_name: "Up".into(),
                    with_person: child.to_string(),
                    relationship: "parent".into(),
                    ..PersonForm::default()
                },
            )
            .await;
        assert!(matches!(joined, Err(AppError::Forbidden(_))));

        // Finding 3: ending a membership of another family through one's own person.
        let own = add(&h, &volunteer, "Sam", "Own", PersonForm::default()).await;
        let PersonView::Full(record) = h.person(&lead, child, None).await.unwrap() else {
            panic!("the lead opens the child's record");
        };
        let theirs = record
            .family
            .iter()
            .find(|m| m.person_id != child)
            .unwrap()
            .membership_id
            .clone();
        let ended = h.end_household_membership(&volunteer, own, &theirs).await;
        assert!(matches!(ended, Err(AppError::Forbidden(_))));

        let PersonView::Full(after) = h.person(&lead, child, None).await.unwrap() else {
            panic!("the lead opens the child's record");
        };
        assert_eq!(after.family.len(), 2, "nobody joined: {:?}", after.family);
        assert!(
            after.family.iter().all(|m| m.to_date.is_none()),
            "nobody left"
        );
        assert_eq!(
            refusals(&store, &volunteer).await,
            before + 2,
            "both refusals are in the audit log"
        );
    }
);

both_engines!(
    a_restricted_address_plays_no_part_in_a_search,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        add(
            &h,
            &lead,
            "Amira",
            "Haddad",
            PersonForm {
                dob: years_ago(30),
                address_line1: "1 Refuge Road".into(),
                postcode: "NG7 1AA".into(),
                restricted: Some("yes".into()),
                restriction_reason: "Address withheld: domestic abuse".into(),
                restriction_roles: vec!["front_door_officer".into()],
                ..PersonForm::default()
            },
        )
        .await;
        let outsider = actor(&h, "practitioner@demo.hearth.test").await;
        let look = |postcode: &str| SearchForm {
            name: "Amira Haddad".into(),
            postcode: postcode.into(),
            ..SearchForm::default()
        };
        let right = h.search_people(&outsider, &look("NG7 1AA")).await.unwrap();
        let wrong = h.search_people(&outsider, &look("NG1 9ZZ")).await.unwrap();
        let hit = |o: &hearth_app::family::SearchOutcome| {
            o.results
                .iter()
                .find(|r| r.name == "Amira Haddad")
                .cloned()
                .unwrap()
        };
        let (right, wrong) = (hit(&right), hit(&wrong));
        assert_eq!(right.score, wrong.score, "a correct guess ranks no higher");
        assert!(
            right
                .reasons
                .iter()
                .all(|r| !r.to_lowercase().contains("postcode")),
            "{:?}",
            right.reasons
        );
        assert_eq!(right.area, None);
        // The guess alone finds nobody: dob and postcode with no name.
        let guess = h
            .search_people(
                &outsider,
                &SearchForm {
                    dob: "01/01/1990".into(),
                    postcode: "NG7 1AA".into(),
                    ..SearchForm::default()
                },
            )
            .await
            .unwrap();
        assert!(guess.results.iter().all(|r| r.name != "Amira Haddad"));
    }
);

both_engines!(
    a_restricted_chronology_needs_the_reason_too,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let id = add(
            &h,
            &lead,
            "Amira",
            "Haddad",
            PersonForm {
                restricted: Some("yes".into()),
                restriction_reason: "Address withheld: domestic abuse".into(),
                restriction_roles: vec!["lead_professional".into()],
                ..PersonForm::default()
            },
        )
        .await;
        assert!(matches!(
            h.chronology(&lead, id, &[], None, 1, None).await,
            Err(AppError::ReasonNeeded { .. })
        ));
        let reason = "Planning the home visit with the health visitor";
        assert!(matches!(
            h.person(&lead, id, Some(reason)).await.unwrap(),
            PersonView::Full(_)
        ));
        // The reason holds for the record's other pages for a while.
        h.chronology(&lead, id, &[], None, 1, None).await.unwrap();
    }
);

both_engines!(
    owning_team_notes_stay_with_the_episode_they_belong_to,
    |store| async move {
        let h = hearth(store.clone()).await;
        let t = Family::new("Brennan")
            .child("Kai", &years_ago(13))
            .need("education")
            .targeted(&h, Default::default())
            .await;
        let child = t.people[0];
        let secret = h
            .add_note(
                &t.worker,
                t.episode,
                &note("Disclosure the owning team keeps", "owning_team"),
            )
            .await
            .unwrap();
        // The school's lead professional leads a second, Early Help, episode for the child.
        let request = ask_about(&h, &t.lead, &[child]).await;
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        h.decide_request(
            &officer,
            request,
            &DecisionForm {
                level: "2".into(),
                outcome: "early_help".into(),
                rationale: "The school knows Kai best".into(),
                lead_user_id: t.lead.user_id.to_string(),
                ..DecisionForm::default()
            },
        )
        .await
        .unwrap();
        let before = refusals(&store, &t.lead).await;
        assert!(matches!(
            h.note(&t.lead, secret).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(refusals(&store, &t.lead).await, before + 1, "audited");
        let chron = h
            .chronology(&t.lead, child, &[], None, 1, None)
            .await
            .unwrap();
        assert!(
            chron
                .entries
                .iter()
                .all(|e| !e.summary.contains("Disclosure the owning team keeps")),
            "another episode's owning-team note shows through the chronology"
        );
        let theirs = h
            .chronology(&t.worker, child, &[], None, 1, None)
            .await
            .unwrap();
        assert!(theirs
            .entries
            .iter()
            .any(|e| e.summary.contains("Disclosure the owning team keeps")));
    }
);

both_engines!(
    a_household_members_entries_show_only_while_they_lived_together_and_with_consent,
    |store| async move {
        let (h, clock) = hearth_with_clock(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let opened = Family::new("Okafor")
            .child("Mia", &years_ago(8))
            .parent("Grace", &years_ago(35))
            .need("education")
            .early_help(&h, &lead, "School knows the family best")
            .await;
        let (child, mum) = (opened.people[0], opened.people[1]);
        // A health visitor joins the TAF: their access rests on the family's agreement.
        let health = actor(&h, "practitioner@demo.hearth.test").await;
        h.add_taf_member(
            &lead,
            opened.episode,
            &MemberForm {
                user_id: health.user_id.to_string(),
                role: "Health visitor".into(),
                ..MemberForm::default()
            },
        )
        .await
        .unwrap();
        // A request about Mum alone, while she lives with Mia, decided.
        let about_mum = ask_about(&h, &lead, &[mum]).await;
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        h.decide_request(&officer, about_mum, &no_further_action())
            .await
            .unwrap();
        let shows_mum_alone = |entries: &[hearth_app::records::ChronologyEntry]| {
            entries
                .iter()
                .filter(|e| e.kind == hearth_domain::chronology::EntryKind::Decision)
                .count()
        };
        let seen = h
            .chronology(&health, child, &[], None, 1, None)
            .await
            .unwrap();
        assert_eq!(shows_mum_alone(&seen.entries), 2, "both decisions show");
        // Mum withdraws her consent: the health visitor no longer sees her entries through
        // Mia's chronology; the lead professional, whose part is not by agreement, does.
        let consent = h.consents(&lead, mum).await.unwrap();
        let mut form = hearth_app::family::consent::ConsentForm::default();
        if consent.is_empty() {
            form.given_by = "Grace Okafor, Mum".into();
            form.share_with = "The TAF".into();
            form.given_on = today();
            h.record_consent(&lead, mum, &form).await.unwrap();
        }
        let live = h.consents(&lead, mum).await.unwrap()[0].id;
        h.withdraw_consent(&lead, mum, live, "Mum no longer agrees")
            .await
            .unwrap();
        let seen = h
            .chronology(&health, child, &[], None, 1, None)
            .await
            .unwrap();
        assert_eq!(
            shows_mum_alone(&seen.entries),
            1,
            "only the family's decision"
        );
        let lead_sees = h
            .chronology(&lead, child, &[], None, 1, None)
            .await
            .unwrap();
        assert_eq!(shows_mum_alone(&lead_sees.entries), 2);

        // The next day Mum moves out; what happens with her after that is not Mia's story.
        *clock.lock().unwrap() += chrono::Duration::days(1);
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let PersonView::Full(record) = h.person(&lead, child, None).await.unwrap() else {
            panic!("the lead opens Mia's record");
        };
        let mums = record
            .family
            .iter()
            .find(|m| m.person_id == mum)
            .unwrap()
            .membership_id
            .clone();
        h.end_household_membership(&lead, child, &mums)
            .await
            .unwrap();
        *clock.lock().unwrap() += chrono::Duration::days(1);
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let later = ask_about(&h, &lead, &[mum]).await;
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        h.decide_request(&officer, later, &no_further_action())
            .await
            .unwrap();
        let lead_sees = h
            .chronology(&lead, child, &[], None, 1, None)
            .await
            .unwrap();
        assert_eq!(
            shows_mum_alone(&lead_sees.entries),
            2,
            "Mum's decision after she moved out stays out of Mia's chronology"
        );
    }
);

both_engines!(
    a_members_entry_dated_before_they_joined_stays_out_of_the_childs_chronology,
    |store| async move {
        let (h, clock) = hearth_with_clock(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let tobi = Family::new("Adeyemi")
            .child("Tobi", &years_ago(9))
            .need("education")
            .early_help(&h, &lead, "School knows the family best")
            .await
            .people[0];
        let dana = Family::new("Brook")
            .parent("Dana", &years_ago(31))
            .need("health")
            .early_help(&h, &lead, "The GP asked the school to lead")
            .await;
        let began = Utc::now();
        let on = |days: i64| {
            (began + chrono::Duration::days(days))
                .format("%d/%m/%Y")
                .to_string()
        };
        // Five days on, Dana moves in with Tobi; the next day her lead writes two notes:
        // one about a visit three days before she moved in, one about today.
        *clock.lock().unwrap() += chrono::Duration::days(5);
        let lead = actor(&h, "lead@demo.hearth.test").await;
        h.join_household(
            &lead,
            dana.people[0],
            &hearth_app::family::JoinHouseholdForm {
                member: tobi.to_string(),
                relationship: "parent".into(),
            },
        )
        .await
        .unwrap();
        *clock.lock().unwrap() += chrono::Duration::days(1);
        let lead = actor(&h, "lead@demo.hearth.test").await;
        for (day, body) in [(2, "Dana-before-moving-in"), (6, "Dana-living-with-Tobi")] {
            h.add_note(
                &lead,
                dana.episode,
                &NoteForm {
                    kind: "visit".into(),
                    occurred_on: on(day),
                    body: body.into(),
                    ..NoteForm::default()
                },
            )
            .await
            .unwrap();
        }
        let seen: Vec<String> = h
            .chronology(&lead, tobi, &[], None, 1, None)
            .await
            .unwrap()
            .entries
            .into_iter()
            .map(|e| e.summary)
            .collect();
        assert!(
            seen.iter().any(|s| s.contains("Dana-living-with-Tobi")),
            "{seen:?}"
        );
        assert!(
            !seen.iter().any(|s| s.contains("Dana-before-moving-in")),
            "what happened before she moved in is not Tobi's story, whenever it was typed: {seen:?}"
        );
    }
);

both_engines!(
    break_glass_opens_for_a_while_with_a_reason_and_is_reported,
    |store| async move {
        let (h, clock) = hearth_with_clock(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let id = add(&h, &lead, "Noah", "Kowalski", PersonForm::default()).await;
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        let PersonView::ContactOnly(card) = h.person(&officer, id, None).await.unwrap() else {
            panic!("the officer has no part in Noah's help");
        };
        assert!(card.may_break_glass);
        let short = h.break_glass(&officer, id, "urgent").await;
        assert!(matches!(short, Err(AppError::Invalid(e)) if e.get("reason").is_some()));
        h.break_glass(
            &officer,
            id,
            "Police called at 2am: Noah found alone at home",
        )
        .await
        .unwrap();
        let PersonView::Full(record) = h.person(&officer, id, None).await.unwrap() else {
            panic!("break-glass opens the record");
        };
        assert!(record.broke_glass);
        // Reading only.
        assert!(matches!(
            h.end_household_membership(&officer, id, "anything").await,
            Err(AppError::Forbidden(_))
        ));
        // The data protection officer is told and sees it in the report.
        let dpo = actor(&h, "dpo@demo.hearth.test").await;
        let tasks = h.my_work(&dpo).await.unwrap().tasks;
        assert!(tasks
            .iter()
            .any(|t| t.task.kind == hearth_domain::task::TaskKind::BreakGlassReview));
        let report = h.break_glass_report(&dpo, 90).await.unwrap();
        assert_eq!(report.len(), 1);
        assert!(report[0].reason.contains("Police called"));
        // Roles without it cannot break the glass.
        let health = actor(&h, "practitioner@demo.hearth.test").await;
        assert!(matches!(
            h.break_glass(&health, id, "I would like to see this record please")
                .await,
            Err(AppError::Forbidden(_))
        ));
        // It ends.
        *clock.lock().unwrap() += chrono::Duration::hours(5);
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        assert!(matches!(
            h.person(&officer, id, None).await.unwrap(),
            PersonView::ContactOnly(_)
        ));
    }
);

both_engines!(
    the_deciding_officers_reading_ends_after_its_window,
    |store| async move {
        let (h, clock) = hearth_with_clock(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let child = add(&h, &lead, "Mia", "Okafor", PersonForm::default()).await;
        let request = ask_about(&h, &lead, &[child]).await;
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        h.decide_request(&officer, request, &no_further_action())
            .await
            .unwrap();
        // Deciding ended the lead's tie as the one who recorded and asked.
        assert!(matches!(
            h.person(&lead, child, None).await.unwrap(),
            PersonView::ContactOnly(_)
        ));
        assert!(matches!(
            h.person(&officer, child, None).await.unwrap(),
            PersonView::Full(_)
        ));
        *clock.lock().unwrap() += chrono::Duration::days(15);
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        assert!(matches!(
            h.person(&officer, child, None).await.unwrap(),
            PersonView::ContactOnly(_)
        ));
    }
);
