//! The family record and the front door, through the app's public interface, on both engines.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Duration, Utc};
use hearth_app::family::{JoinHouseholdForm, PersonForm, PersonView, SearchForm};
use hearth_app::front_door::{DecisionForm, RequestForm};
use hearth_app::records::AuditQuery;
use hearth_app::{Actor, AppError, Hearth, Origin};
use hearth_domain::ids::PersonId;
use hearth_domain::routing::{Outcome, TargetedService};
use hearth_testkit::app::{actor_from, hearth, years_ago};
use hearth_testkit::both_engines;

async fn actor(h: &Hearth, email: &str) -> Actor {
    actor_from(
        h,
        email,
        Origin {
            ip: Some("192.0.2.1".into()),
            user_agent: None,
        },
    )
    .await
}

async fn search(h: &Hearth, a: &Actor, name: &str, dob: &str) -> hearth_app::family::SearchOutcome {
    h.search_people(
        a,
        &SearchForm {
            name: name.into(),
            dob: dob.into(),
            ..SearchForm::default()
        },
    )
    .await
    .unwrap()
}

/// A school practitioner searches, finds no one, adds a 14-year-old and her mother.
async fn add_family(h: &Hearth, lead: &Actor) -> (PersonId, PersonId) {
    let s = search(h, lead, "Kayla Brennan", &years_ago(14)).await;
    assert!(s.results.is_empty());
    let child = h
        .add_person(
            lead,
            &PersonForm {
                search_id: s.search_id.to_string(),
                given_names: "Kayla".into(),
                family_name: "Brennan".into(),
                dob: years_ago(14),
                address_line1: "1 Example Street".into(),
                postcode: "NG7 1AA".into(),
                ..PersonForm::default()
            },
        )
        .await
        .unwrap();
    let s = search(h, lead, "Donna Brennan", "").await;
    let mother = h
        .add_person(
            lead,
            &PersonForm {
                search_id: s.search_id.to_string(),
                given_names: "Donna".into(),
                family_name: "Brennan".into(),
                dob: years_ago(38),
                with_person: child.to_string(),
                relationship: "parent".into(),
                ..PersonForm::default()
            },
        )
        .await
        .unwrap();
    (child, mother)
}

fn missing_episodes_request(people: &[PersonId], safeguarding: bool) -> RequestForm {
    let pairs: Vec<(String, String)> = people
        .iter()
        .map(|p| ("people".to_string(), p.to_string()))
        .chain([
            ("needs".into(), "family_relationships".into()),
            (
                "detail_family_relationships".into(),
                "Arguments at home since Dad left".into(),
            ),
            ("concerns".into(), "missing".into()),
            (
                "detail_abuse_exploitation".into(),
                "Missing overnight three times this term".into(),
            ),
            (
                "family_told".into(),
                "Mum knows we are asking for help".into(),
            ),
            ("consent".into(), "given".into()),
            ("urgency".into(), "soon".into()),
            (
                "safeguarding".into(),
                if safeguarding { "yes" } else { "no" }.into(),
            ),
        ])
        .collect();
    RequestForm::from_pairs(&pairs)
}

both_engines!(
    a_request_travels_from_a_school_to_the_adolescence_service,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let (child, mother) = add_family(&h, &lead).await;

        let id = h
            .save_request(
                &lead,
                None,
                &missing_episodes_request(&[child, mother], false),
                true,
            )
            .await
            .unwrap();
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        let queue = h.front_door_queue(&officer, false).await.unwrap();
        assert_eq!(queue.len(), 1);
        let ctx = h.decision_context(&officer, id).await.unwrap();
        assert_eq!(
            ctx.proposed_service,
            hearth_domain::routing::TargetedService::Adolescence
        );
        assert!(ctx.rerequest.is_none());

        let decision = DecisionForm {
            level: "3".into(),
            outcome: "targeted".into(),
            rationale: "Repeated missing episodes".into(),
            ..DecisionForm::default()
        };
        h.decide_request(&officer, id, &decision).await.unwrap();
        let second = h.decide_request(&officer, id, &decision).await.unwrap_err();
        assert!(
            matches!(second, AppError::Conflict),
            "a second decision overwrites nothing"
        );

        // The requester is told the outcome.
        let mine = h.my_requests(&lead).await.unwrap();
        assert_eq!(
            mine[0].request.decision.as_ref().unwrap().outcome,
            Outcome::OpenTargeted {
                service: TargetedService::Adolescence,
                override_reason: None
            }
        );
        assert_eq!(mine[0].people.len(), 2, "the family is named");

        // A health practitioner with no part in the family sees only who is involved.
        let other = actor(&h, "practitioner@demo.hearth.test").await;
        let found = search(&h, &other, "Kayla Brennan", "").await;
        let kayla = found.results.iter().find(|r| r.id == child).unwrap();
        assert!(!kayla.may_open);
        assert!(kayla
            .involved
            .iter()
            .any(|i| i.team_name.as_deref() == Some("Adolescence Service")));
        match h.person(&other, child, None).await.unwrap() {
            PersonView::ContactOnly(v) => assert_eq!(v.area.as_deref(), Some("NG7")),
            other => panic!("expected contact search only, got {other:?}"),
        }
        // The lead professional who asked can open the record.
        assert!(matches!(
            h.person(&lead, child, None).await.unwrap(),
            PersonView::Full(_)
        ));

        let dpo = actor(&h, "dpo@demo.hearth.test").await;
        let log = |action: &str| {
            let h = h.clone();
            let dpo = dpo.clone();
            let action = action.to_string();
            async move {
                h.search_audit(
                    &dpo,
                    &AuditQuery {
                        action: Some(action),
                        ..Default::default()
                    },
                )
                .await
                .unwrap()
                .len()
            }
        };
        assert!(log("person_searched").await >= 3);
        assert_eq!(log("person_contact_viewed").await, 1);
        assert_eq!(log("person_viewed").await, 1);
        assert_eq!(log("request_decided").await, 1);
        assert_eq!(log("person_created").await, 2);
    }
);

both_engines!(
    a_person_can_only_be_added_after_a_search,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let err = h
            .add_person(
                &lead,
                &PersonForm {
                    given_names: "No".into(),
                    family_name: "Search".into(),
                    ..PersonForm::default()
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Invalid(e) if e.get("search").is_some()));
        let other = actor(&h, "practitioner@demo.hearth.test").await;
        let theirs = search(&h, &other, "Someone", "").await;
        let err = h
            .add_person(
                &lead,
                &PersonForm {
                    search_id: theirs.search_id.to_string(),
                    given_names: "No".into(),
                    family_name: "Search".into(),
                    ..PersonForm::default()
                },
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, AppError::Invalid(_)),
            "someone else's search does not count"
        );
    }
);

both_engines!(
    impossible_details_are_refused_at_their_fields,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let s = search(&h, &lead, "Test Person", "").await;
        let tomorrow = (Utc::now() + Duration::days(2))
            .format("%d/%m/%Y")
            .to_string();
        let err = h
            .add_person(
                &lead,
                &PersonForm {
                    search_id: s.search_id.to_string(),
                    given_names: "Test".into(),
                    family_name: "Person".into(),
                    dob: tomorrow,
                    nhs_number: "943 476 5918".into(),
                    upn: "A12".into(),
                    ..PersonForm::default()
                },
            )
            .await
            .unwrap_err();
        let AppError::Invalid(e) = err else {
            panic!("{err:?}")
        };
        assert_eq!(
            e.get("dob"),
            Some("Date of birth must be today or in the past")
        );
        assert!(e
            .get("nhs_number")
            .unwrap()
            .contains("not a valid NHS number"));
        assert!(e.get("upn").is_some());
        let err = h
            .save_request(
                &lead,
                None,
                &RequestForm::from_pairs(&[("urgency".into(), "soon".into())]),
                true,
            )
            .await
            .unwrap_err();
        let AppError::Invalid(e) = err else { panic!() };
        assert!(
            e.get("people").is_some() && e.get("needs").is_some() && e.get("consent").is_some()
        );
    }
);

both_engines!(
    safeguarding_concerns_go_to_the_front_of_the_queue,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let (child, _) = add_family(&h, &lead).await;
        let routine = h
            .save_request(
                &lead,
                None,
                &missing_episodes_request(&[child], false),
                true,
            )
            .await
            .unwrap();
        let urgent = h
            .save_request(&lead, None, &missing_episodes_request(&[child], true), true)
            .await
            .unwrap();
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        let queue = h.front_door_queue(&officer, false).await.unwrap();
        assert_eq!(
            queue.iter().map(|v| v.request.id).collect::<Vec<_>>(),
            vec![urgent, routine]
        );
        let ctx = h.decision_context(&officer, urgent).await.unwrap();
        assert!(
            ctx.rerequest.is_some(),
            "the earlier request is within 12 months"
        );
        let bad = DecisionForm {
            level: "2".into(),
            outcome: "step_up".into(),
            rationale: "".into(),
            ..DecisionForm::default()
        };
        let AppError::Invalid(e) = h.decide_request(&officer, urgent, &bad).await.unwrap_err()
        else {
            panic!()
        };
        assert!(e.get("rationale").is_some());
        assert!(e.get("outcome").unwrap().contains("does not fit"));
    }
);

both_engines!(drafts_keep_everything_typed, |store| async move {
    let h = hearth(store).await;
    let lead = actor(&h, "lead@demo.hearth.test").await;
    let (child, _) = add_family(&h, &lead).await;
    let mut form = missing_episodes_request(&[child], false);
    form.consent.clear();
    let id = h.save_request(&lead, None, &form, false).await.unwrap();
    let saved = h.request(&lead, id).await.unwrap().request;
    assert_eq!(saved.status, hearth_domain::routing::RequestStatus::Draft);
    let again = RequestForm::from_record(&saved);
    assert_eq!(again.people, vec![child.to_string()]);
    assert_eq!(again.concerns, vec!["missing".to_string()]);
    assert_eq!(
        again.details.get("abuse_exploitation").map(String::as_str),
        Some("Missing overnight three times this term")
    );
    let officer = actor(&h, "frontdoor@demo.hearth.test").await;
    assert!(
        h.front_door_queue(&officer, false)
            .await
            .unwrap()
            .is_empty(),
        "drafts are not in the queue"
    );
});

both_engines!(
    a_manager_merges_duplicates_and_can_undo_it_exactly,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let other = actor(&h, "practitioner@demo.hearth.test").await;
        let manager = actor(&h, "manager@demo.hearth.test").await;
        let (child, _) = add_family(&h, &lead).await;
        // The health visitor records the same child with a nickname and a different address:
        // she is warned, and goes on only by saying why this is someone else.
        let s = search(&h, &other, "Kaylah Brenan", "").await;
        let mut form = PersonForm {
            search_id: s.search_id.to_string(),
            given_names: "Kaylah".into(),
            family_name: "Brenan".into(),
            dob: years_ago(14),
            address_line1: "9 Other Road".into(),
            postcode: "NG5 2BB".into(),
            ..PersonForm::default()
        };
        let warned = h.add_person(&other, &form).await.unwrap_err();
        assert!(
            matches!(warned, AppError::Invalid(ref e) if e.get("different_reason").is_some_and(|m| m.contains("Kayla Brennan"))),
            "{warned:?}"
        );
        form.different_reason = "Another address, so I think another child".into();
        let duplicate = h.add_person(&other, &form).await.unwrap();
        let r1 = h
            .save_request(
                &lead,
                None,
                &missing_episodes_request(&[child], false),
                true,
            )
            .await
            .unwrap();
        let r2 = h
            .save_request(
                &other,
                None,
                &missing_episodes_request(&[duplicate], false),
                true,
            )
            .await
            .unwrap();

        let err = h
            .merge_people(&lead, child, duplicate, "same child")
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Forbidden(_)), "only managers merge");
        let (_, dups) = h.possible_duplicates(&manager, child).await.unwrap();
        assert!(dups.iter().any(|d| d.id == duplicate), "{dups:?}");

        let merge = h
            .merge_people(
                &manager,
                child,
                duplicate,
                "Same child: school and health records",
            )
            .await
            .unwrap();
        // Both ids resolve to the survivor, which now carries everything.
        let PersonView::Full(record) = h.person(&lead, duplicate, None).await.unwrap() else {
            panic!("the lead asked for help for both")
        };
        assert_eq!(record.person.id, child);
        assert!(record.other_names.iter().any(|n| n.given_names == "Kaylah"));
        assert_eq!(record.addresses.len(), 2);
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        assert_eq!(
            h.request(&officer, r2).await.unwrap().request.people,
            vec![child]
        );
        let found = search(&h, &other, "Kaylah Brenan", "").await;
        assert!(
            found.results.iter().all(|r| r.id != duplicate),
            "the merged record is not offered again"
        );
        assert!(
            found.results.iter().any(|r| r.id == child),
            "the old name finds the survivor"
        );

        h.undo_merge(&manager, merge).await.unwrap();
        assert!(matches!(
            h.undo_merge(&manager, merge).await.unwrap_err(),
            AppError::Conflict
        ));
        let PersonView::Full(restored) = h.person(&other, duplicate, None).await.unwrap() else {
            panic!()
        };
        assert_eq!(restored.person.id, duplicate);
        assert_eq!(restored.addresses.len(), 1);
        let PersonView::Full(kept) = h.person(&lead, child, None).await.unwrap() else {
            panic!()
        };
        assert!(kept.other_names.is_empty());
        assert_eq!(kept.addresses.len(), 1);
        assert_eq!(
            h.request(&officer, r2).await.unwrap().request.people,
            vec![duplicate]
        );
        assert_eq!(
            h.request(&officer, r1).await.unwrap().request.people,
            vec![child]
        );
    }
);

both_engines!(
    access_follows_consent_and_sharing_without_it_is_reported,
    |store| async move {
        use hearth_app::family::consent::ConsentForm;
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let (child, _) = add_family(&h, &lead).await;
        let today = Utc::now().format("%d/%m/%Y").to_string();
        let bad = h
            .record_consent(
                &lead,
                child,
                &ConsentForm {
                    given_by: "".into(),
                    share_with: "".into(),
                    given_on: "31/02/2026".into(),
                    expires_on: "".into(),
                },
            )
            .await
            .unwrap_err();
        let AppError::Invalid(e) = bad else { panic!() };
        assert!(
            e.get("given_by").is_some()
                && e.get("share_with").is_some()
                && e.get("given_on").is_some()
        );
        let consent = h
            .record_consent(
                &lead,
                child,
                &ConsentForm {
                    given_by: "Donna Brennan (mother)".into(),
                    share_with: "The Team Around the Family".into(),
                    given_on: today,
                    expires_on: "".into(),
                },
            )
            .await
            .unwrap();
        assert!(matches!(
            h.person(&lead, child, None).await.unwrap(),
            PersonView::Full(_)
        ));
        h.withdraw_consent(
            &lead,
            child,
            consent,
            "Mum no longer wants the school involved",
        )
        .await
        .unwrap();
        assert!(
            matches!(
                h.person(&lead, child, None).await.unwrap(),
                PersonView::ContactOnly(_)
            ),
            "the requester loses access"
        );
        assert!(matches!(
            h.withdraw_consent(&lead, child, consent, "again")
                .await
                .unwrap_err(),
            AppError::Forbidden(_) | AppError::Conflict
        ));

        // A safeguarding request on a lawful basis keeps the requester's access and is reported.
        let other = actor(&h, "practitioner@demo.hearth.test").await;
        let mut form = missing_episodes_request(&[child], true);
        form.consent = "not_asked".into();
        let err = h.save_request(&other, None, &form, true).await.unwrap_err();
        assert!(
            matches!(err, AppError::Invalid(ref e) if e.get("lawful_basis").is_some()),
            "{err:?}"
        );
        form.lawful_basis =
            "Safeguarding: a child at risk of significant harm (Children Act 1989 s47)".into();
        h.save_request(&other, None, &form, true).await.unwrap();
        assert!(
            matches!(
                h.person(&lead, child, None).await.unwrap(),
                PersonView::Full(_)
            ),
            "sharing rests on a lawful basis"
        );
        let dpo = actor(&h, "dpo@demo.hearth.test").await;
        let report = h.sharing_without_consent(&dpo).await.unwrap();
        assert_eq!(report.len(), 1);
        assert!(report[0].lawful_basis.contains("s47"));
        assert!(matches!(
            h.sharing_without_consent(&lead).await.unwrap_err(),
            AppError::Forbidden(_)
        ));
    }
);

both_engines!(moving_out_keeps_the_household_history, |store| async move {
    let h = hearth(store).await;
    let lead = actor(&h, "lead@demo.hearth.test").await;
    let (child, mother) = add_family(&h, &lead).await;
    let PersonView::Full(before) = h.person(&lead, child, None).await.unwrap() else {
        panic!()
    };
    assert_eq!(before.family.len(), 2);
    let membership = before
        .family
        .iter()
        .find(|m| m.person_id == mother)
        .unwrap()
        .membership_id
        .clone();
    let other = actor(&h, "practitioner@demo.hearth.test").await;
    assert!(matches!(
        h.end_household_membership(&other, child, &membership)
            .await
            .unwrap_err(),
        AppError::Forbidden(_)
    ));
    h.end_household_membership(&lead, child, &membership)
        .await
        .unwrap();
    assert!(matches!(
        h.end_household_membership(&lead, child, &membership)
            .await
            .unwrap_err(),
        AppError::Conflict | AppError::Forbidden(_)
    ));
    let PersonView::Full(after) = h.person(&lead, child, None).await.unwrap() else {
        panic!()
    };
    let m = after.family.iter().find(|m| m.person_id == mother).unwrap();
    assert!(
        m.to_date.is_some(),
        "she is still in the history, with the date she left"
    );
});

both_engines!(
    a_surname_of_several_words_is_found_whole_or_in_part,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let s = search(&h, &lead, "Kayla Brennan-Okoro", "").await;
        let id = h
            .add_person(
                &lead,
                &PersonForm {
                    search_id: s.search_id.to_string(),
                    given_names: "Kayla".into(),
                    family_name: "Brennan-Okoro".into(),
                    dob: years_ago(14),
                    ..PersonForm::default()
                },
            )
            .await
            .unwrap();
        for typed in [
            "Kayla Brennan-Okoro",
            "Kayla Brennan Okoro",
            "Brennan-Okoro Kayla",
            "Kayla Brennan",
            "Kayla Okoro",
            "Kay Bren",
        ] {
            let found = search(&h, &lead, typed, "").await;
            assert!(
                found.results.iter().take(5).any(|r| r.id == id),
                "{typed} should find Kayla Brennan-Okoro"
            );
        }
    }
);

both_engines!(
    a_restriction_hides_details_from_every_role_it_does_not_name,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let add = |given: &str, roles: &[&str]| {
            let (h, lead) = (h.clone(), lead.clone());
            let given = given.to_string();
            let roles: Vec<String> = roles.iter().map(|r| r.to_string()).collect();
            async move {
                let s = search(&h, &lead, &format!("{given} Hallam"), "").await;
                h.add_person(
                    &lead,
                    &PersonForm {
                        search_id: s.search_id.to_string(),
                        given_names: given,
                        family_name: "Hallam".into(),
                        address_line1: "2 Refuge Row".into(),
                        postcode: "NG7 2RD".into(),
                        phone: "0115 496 0000".into(),
                        restricted: Some("yes".into()),
                        restriction_reason: "Address withheld: domestic abuse".into(),
                        restriction_roles: roles,
                        different_reason: "Sisters at the same address".into(),
                        ..PersonForm::default()
                    },
                )
                .await
            }
        };

        // The roles are chosen per record; none, or one that cannot be named, is refused there.
        for roles in [
            &[][..],
            &["administrator"][..],
            &["lead_professional", "nonsense"][..],
        ] {
            let err = add("Nia", roles).await.unwrap_err();
            assert!(
                matches!(err, AppError::Invalid(ref e) if e.get("restriction_roles").is_some()),
                "{roles:?}: {err:?}"
            );
        }

        let named = add("Nia", &["lead_professional"]).await.unwrap();
        let not_named = add("Ola", &["team_manager", "front_door_officer"])
            .await
            .unwrap();

        for id in [named, not_named] {
            assert!(
                matches!(
                    h.person(&lead, id, None).await.unwrap(),
                    PersonView::ReasonNeeded { .. }
                ),
                "a restricted record opens only with a reason"
            );
        }
        let PersonView::Full(seen) = h
            .person(&lead, named, Some("Planning a home visit with the school"))
            .await
            .unwrap()
        else {
            panic!("the lead may open the record they made")
        };
        assert!(!seen.details_withheld);
        assert_eq!(seen.addresses.len(), 1);
        assert_eq!(
            seen.person.restriction_roles,
            vec![hearth_domain::role::Role::LeadProfessional]
        );

        let PersonView::Full(hidden) = h
            .person(
                &lead,
                not_named,
                Some("Planning a home visit with the school"),
            )
            .await
            .unwrap()
        else {
            panic!("the lead may open the record they made")
        };
        assert!(hidden.details_withheld);
        assert!(hidden.addresses.is_empty());
        assert_eq!(hidden.person.phone, None);

        // Every view of a restricted record is in the log, with its reason.
        let dpo = actor(&h, "dpo@demo.hearth.test").await;
        let views = h
            .search_audit(
                &dpo,
                &AuditQuery {
                    action: Some("restricted_person_viewed".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(views.len(), 2);
        for v in &views {
            assert_eq!(
                v.reason.as_deref(),
                Some("Planning a home visit with the school")
            );
            assert!(
                [named.to_string(), not_named.to_string()].contains(v.record_id.as_ref().unwrap())
            );
        }
    }
);

both_engines!(
    a_child_joins_a_second_household_and_keeps_the_first,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let (child, mother) = add_family(&h, &lead).await;
        let s = search(&h, &lead, "Marcus Okafor", "").await;
        let father = h
            .add_person(
                &lead,
                &PersonForm {
                    search_id: s.search_id.to_string(),
                    given_names: "Marcus".into(),
                    family_name: "Okafor".into(),
                    dob: years_ago(40),
                    ..PersonForm::default()
                },
            )
            .await
            .unwrap();
        let join = |relationship: &str| JoinHouseholdForm {
            member: child.to_string(),
            relationship: relationship.into(),
        };

        let err = h
            .join_household(&lead, father, &join(""))
            .await
            .unwrap_err();
        assert!(
            matches!(err, AppError::Invalid(ref e) if e.get("relationship").is_some()),
            "{err:?}"
        );
        let stranger = actor(&h, "practitioner@demo.hearth.test").await;
        assert!(matches!(
            h.join_household(&stranger, father, &join("child"))
                .await
                .unwrap_err(),
            AppError::Forbidden(_)
        ));

        h.join_household(&lead, father, &join("child"))
            .await
            .unwrap();
        let err = h
            .join_household(&lead, father, &join("child"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, AppError::Invalid(ref e) if e.get("relationship").is_some()),
            "joining twice is refused: {err:?}"
        );

        let family = |id| {
            let (h, lead) = (h.clone(), lead.clone());
            async move {
                let PersonView::Full(r) = h.person(&lead, id, None).await.unwrap() else {
                    panic!()
                };
                r.family
            }
        };
        let kayla = family(child).await;
        assert!(kayla
            .iter()
            .any(|m| m.person_id == mother && m.to_date.is_none()));
        assert!(kayla
            .iter()
            .any(|m| m.person_id == father && m.to_date.is_none()));
        let households: std::collections::HashSet<_> =
            kayla.iter().map(|m| m.household_id).collect();
        assert_eq!(households.len(), 2, "she lives in two households");
        let at_fathers = family(father).await;
        let membership = at_fathers.iter().find(|m| m.person_id == child).unwrap();
        assert_eq!(
            membership.relationship,
            hearth_domain::person::HouseholdRelationship::Child
        );

        // Leaving the father's household keeps it in the history and the mother's as it was.
        h.end_household_membership(&lead, father, &membership.membership_id)
            .await
            .unwrap();
        let at_fathers = family(father).await;
        assert!(at_fathers
            .iter()
            .any(|m| m.person_id == child && m.to_date.is_some()));
        assert!(family(child)
            .await
            .iter()
            .any(|m| m.person_id == mother && m.to_date.is_none()));
    }
);
