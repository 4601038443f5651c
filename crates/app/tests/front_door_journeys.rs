//! Every journey through the front door reaches its end (issue 16): asking for help for a
//! child already on the record, close matches, due times, the decision's rationale and a
//! manager's confirmation. Through the app's public interface, on both engines.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{TimeZone, Utc};
use hearth_app::family::{PersonForm, PersonView, SearchForm};
use hearth_app::front_door::{ConfirmationForm, DecisionForm, History, RequestForm};
use hearth_app::records::AuditQuery;
use hearth_app::{Actor, AppError, Hearth};
use hearth_domain::ids::{PersonId, RequestId};
use hearth_domain::routing::RequestStatus;
use hearth_testkit::app::{actor, hearth, hearth_with_clock, years_ago};
use hearth_testkit::both_engines;

async fn add(h: &Hearth, who: &Actor, given: &str, family: &str, dob: &str) -> PersonId {
    add_saying(h, who, given, family, dob, "").await.unwrap()
}

async fn add_saying(
    h: &Hearth,
    who: &Actor,
    given: &str,
    family: &str,
    dob: &str,
    different_reason: &str,
) -> Result<PersonId, AppError> {
    let s = h
        .search_people(
            who,
            &SearchForm {
                name: format!("{given} {family}"),
                dob: dob.into(),
                ..SearchForm::default()
            },
        )
        .await
        .unwrap();
    h.add_person(
        who,
        &PersonForm {
            search_id: s.search_id.to_string(),
            given_names: given.into(),
            family_name: family.into(),
            dob: dob.into(),
            different_reason: different_reason.into(),
            ..PersonForm::default()
        },
    )
    .await
}

fn request(people: &[PersonId], urgency: &str, safeguarding: bool) -> RequestForm {
    let mut pairs: Vec<(String, String)> = people
        .iter()
        .map(|p| ("people".to_string(), p.to_string()))
        .collect();
    pairs.extend([
        ("needs".into(), "education".into()),
        (
            "detail_education".into(),
            "Not in school for three weeks; bruising seen on Monday".into(),
        ),
        ("family_told".into(), "Dad knows".into()),
        ("consent".into(), "given".into()),
        ("urgency".into(), urgency.into()),
        (
            "safeguarding".into(),
            if safeguarding { "yes" } else { "no" }.into(),
        ),
    ]);
    RequestForm::from_pairs(&pairs)
}

async fn ask(h: &Hearth, who: &Actor, people: &[PersonId], urgency: &str, sg: bool) -> RequestId {
    h.save_request(who, None, &request(people, urgency, sg), true)
        .await
        .unwrap()
}

async fn audited(h: &Hearth, action: &str) -> usize {
    let dpo = actor(h, "dpo@demo.hearth.test").await;
    h.search_audit(
        &dpo,
        &AuditQuery {
            action: Some(action.into()),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .len()
}

both_engines!(
    a_school_asks_for_help_for_a_child_it_cannot_open,
    |store| async move {
        let h = hearth(store).await;
        // The health visitor recorded the child; the school may see only who is involved.
        let health = actor(&h, "practitioner@demo.hearth.test").await;
        let child = add(&h, &health, "Tyler", "Okafor", &years_ago(9)).await;
        let school = actor(&h, "lead@demo.hearth.test").await;
        let found = h
            .search_people(
                &school,
                &SearchForm {
                    name: "Tyler Okafor".into(),
                    ..SearchForm::default()
                },
            )
            .await
            .unwrap();
        let result = found.results.iter().find(|r| r.id == child).unwrap();
        assert!(!result.may_open);

        // Asking for help needs only the id the contact search showed.
        let id = ask(&h, &school, &[child], "soon", false).await;
        let mine = h.request(&school, id).await.unwrap();
        assert_eq!(mine.request.people, vec![child]);
        assert_eq!(mine.request.status, RequestStatus::Submitted);
        // … and opens nothing: the school still sees the contact card only.
        assert!(matches!(
            h.person(&school, child, None).await.unwrap(),
            PersonView::ContactOnly(_)
        ));

        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        let queue = h.front_door_queue(&officer, false).await.unwrap();
        assert!(queue.iter().any(|v| v.request.id == id));
        h.decide_request(
            &officer,
            id,
            &DecisionForm {
                level: "1".into(),
                outcome: "signpost".into(),
                rationale: "The health visitor already supports the family well".into(),
                signposted_to: "Family Hub stay and play".into(),
                ..DecisionForm::default()
            },
        )
        .await
        .unwrap();
        // The requester sees where their request stands, not the rationale drawn from the
        // family's record.
        let mine = h.request(&school, id).await.unwrap();
        assert_eq!(mine.request.status, RequestStatus::Decided);
        assert!(!mine.shows_rationale);
        assert!(h.request(&officer, id).await.unwrap().shows_rationale);
    }
);

both_engines!(
    a_close_match_needs_a_reason_and_the_front_door_sees_it,
    |store| async move {
        let h = hearth(store).await;
        let health = actor(&h, "practitioner@demo.hearth.test").await;
        let first = add(&h, &health, "Amira", "Haddad", &years_ago(6)).await;

        // The school does not know the child is on the record and adds her again.
        let school = actor(&h, "lead@demo.hearth.test").await;
        let warned = add_saying(&h, &school, "Amira", "Haddad", &years_ago(6), "")
            .await
            .unwrap_err();
        let AppError::Invalid(errors) = warned else {
            panic!("{warned:?}")
        };
        assert!(errors
            .get("different_reason")
            .is_some_and(|m| m.contains("Amira Haddad")));
        let second = add_saying(
            &h,
            &school,
            "Amira",
            "Haddad",
            &years_ago(6),
            "Her cousin, same name: a different mother and address",
        )
        .await
        .unwrap();
        assert_ne!(first, second);
        let id = ask(&h, &school, &[second], "routine", false).await;

        // The front door sees both the possible duplicate and the reason given.
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        let ctx = h.decision_context(&officer, id).await.unwrap();
        let aside = h.decision_aside(&officer, &ctx).await.unwrap();
        let dup = aside
            .duplicates
            .iter()
            .find(|d| d.other == first)
            .expect("the earlier record is shown");
        assert_eq!(dup.other_name, "Amira Haddad");
        assert_eq!(
            dup.said_different.as_ref().map(|s| s.reason.as_str()),
            Some("Her cousin, same name: a different mother and address")
        );
        assert!(matches!(aside.history, History::Entries { .. }));
        assert!(aside.other_requests.is_empty());

        // A second request about the family shows beside the first.
        let again = ask(&h, &school, &[second], "soon", false).await;
        let aside = h.decision_aside(&officer, &ctx).await.unwrap();
        assert_eq!(
            aside
                .other_requests
                .iter()
                .map(|v| v.request.id)
                .collect::<Vec<_>>(),
            vec![again]
        );
    }
);

both_engines!(
    the_rationale_is_on_the_request_and_in_the_chronology,
    |store| async move {
        let h = hearth(store).await;
        let school = actor(&h, "lead@demo.hearth.test").await;
        let child = add(&h, &school, "Jonah", "Price", &years_ago(12)).await;
        let id = ask(&h, &school, &[child], "routine", false).await;
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        h.decide_request(
            &officer,
            id,
            &DecisionForm {
                level: "1".into(),
                outcome: "signpost".into(),
                rationale: "Needs met by the youth club and the school nurse".into(),
                signposted_to: "Youth club on Thursdays".into(),
                ..DecisionForm::default()
            },
        )
        .await
        .unwrap();
        let seen = h.request(&officer, id).await.unwrap();
        assert_eq!(
            seen.request.decision.as_ref().unwrap().rationale,
            "Needs met by the youth club and the school nurse"
        );
        let chronology = h
            .chronology(&officer, child, &[], None, 1, None)
            .await
            .unwrap();
        assert!(chronology
            .entries
            .iter()
            .any(|e| e.kind == hearth_domain::chronology::EntryKind::Decision
                && e.summary
                    .contains("Rationale: Needs met by the youth club and the school nurse")));
    }
);

both_engines!(
    requests_fall_due_by_urgency_and_show_overdue,
    |store| async move {
        let (h, clock) = hearth_with_clock(store).await;
        // Wednesday 2 December 2026, mid-morning.
        *clock.lock().unwrap() = Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap();
        let school = actor(&h, "lead@demo.hearth.test").await;
        let a = add(&h, &school, "Rosa", "Vega", &years_ago(8)).await;
        let b = add(&h, &school, "Tom", "Reilly", &years_ago(11)).await;
        let safeguarding = ask(&h, &school, &[a], "routine", true).await;
        let routine = ask(&h, &school, &[b], "routine", false).await;
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        let due = |list: &[hearth_app::front_door::RequestView], id| {
            let v = list.iter().find(|v| v.request.id == id).unwrap();
            (v.due.map(|d| d.to_string()), v.overdue)
        };
        let queue = h.front_door_queue(&officer, false).await.unwrap();
        assert_eq!(
            due(&queue, safeguarding),
            (Some("2026-12-02".into()), false)
        );
        assert_eq!(due(&queue, routine), (Some("2026-12-16".into()), false));

        // The next morning the safeguarding concern is overdue; the routine one is not.
        *clock.lock().unwrap() = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();
        let queue = h.front_door_queue(&officer, false).await.unwrap();
        assert!(due(&queue, safeguarding).1);
        assert!(!due(&queue, routine).1);
        *clock.lock().unwrap() = Utc.with_ymd_and_hms(2026, 12, 17, 9, 0, 0).unwrap();
        let queue = h.front_door_queue(&officer, false).await.unwrap();
        assert!(due(&queue, routine).1);
    }
);

both_engines!(
    closing_a_safeguarding_concern_waits_for_a_manager,
    |store| async move {
        let h = hearth(store).await;
        let school = actor(&h, "lead@demo.hearth.test").await;
        let child = add(&h, &school, "Leah", "Marsh", &years_ago(7)).await;
        let id = ask(&h, &school, &[child], "urgent", true).await;
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        let nfa = DecisionForm {
            level: "2".into(),
            outcome: "no_further_action".into(),
            rationale: "Explained by a fall at the park, seen by the GP".into(),
            nfa_reason: "GP has seen the bruise and is satisfied".into(),
            ..DecisionForm::default()
        };
        h.decide_request(&officer, id, &nfa).await.unwrap();
        let held = h.request(&officer, id).await.unwrap();
        assert_eq!(held.request.status, RequestStatus::AwaitingConfirmation);
        // Nothing final yet: the school still has its part, and the chronology has no decision.
        let manager = actor(&h, "manager@demo.hearth.test").await;
        let work = h.my_work(&manager).await.unwrap();
        assert!(work.tasks.iter().any(|t| t.task.kind
            == hearth_domain::task::TaskKind::ConfirmDecision
            && t.task.request_id == Some(id)));
        // A second officer cannot decide it again, and the deciding officer cannot confirm.
        assert!(matches!(
            h.decide_request(&officer, id, &nfa).await.unwrap_err(),
            AppError::Conflict
        ));
        assert!(matches!(
            h.confirm_decision(
                &officer,
                id,
                &ConfirmationForm {
                    answer: "confirm".into(),
                    ..ConfirmationForm::default()
                }
            )
            .await
            .unwrap_err(),
            AppError::Forbidden(_)
        ));

        // Sent back, a reason is needed; the request waits for the front door again.
        let no_reason = h
            .confirm_decision(
                &manager,
                id,
                &ConfirmationForm {
                    answer: "send_back".into(),
                    reason: " ".into(),
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(no_reason, AppError::Invalid(ref e) if e.get("reason").is_some()));
        h.confirm_decision(
            &manager,
            id,
            &ConfirmationForm {
                answer: "send_back".into(),
                reason: "Speak to the school nurse before closing".into(),
            },
        )
        .await
        .unwrap();
        let back = h.request(&officer, id).await.unwrap();
        assert_eq!(back.request.status, RequestStatus::Submitted);
        assert!(back.request.decision.is_none());
        assert_eq!(
            back.request.sent_back.as_ref().map(|s| s.reason.as_str()),
            Some("Speak to the school nurse before closing")
        );
        assert!(h
            .my_work(&manager)
            .await
            .unwrap()
            .tasks
            .iter()
            .all(|t| t.task.request_id != Some(id)));

        // Decided again at level 1, and confirmed: now it takes effect.
        h.decide_request(
            &officer,
            id,
            &DecisionForm {
                level: "1".into(),
                outcome: "signpost".into(),
                rationale: "School nurse confirms; universal services".into(),
                signposted_to: "School nurse drop-in".into(),
                ..DecisionForm::default()
            },
        )
        .await
        .unwrap();
        h.confirm_decision(
            &manager,
            id,
            &ConfirmationForm {
                answer: "confirm".into(),
                ..ConfirmationForm::default()
            },
        )
        .await
        .unwrap();
        let done = h.request(&officer, id).await.unwrap();
        assert_eq!(done.request.status, RequestStatus::Decided);
        assert_eq!(
            done.request
                .decision
                .as_ref()
                .and_then(|d| d.confirmed.as_ref())
                .map(|(who, _)| who.as_str()),
            Some("Morgan Manager")
        );
        let chronology = h
            .chronology(&officer, child, &[], None, 1, None)
            .await
            .unwrap();
        assert!(chronology
            .entries
            .iter()
            .any(|e| e.kind == hearth_domain::chronology::EntryKind::Decision
                && e.summary.contains("Confirmed by Morgan Manager")));
        assert_eq!(audited(&h, "request_decision_sent_back").await, 1);
        assert_eq!(audited(&h, "request_decision_confirmed").await, 1);

        // A safeguarding concern that opens help is not held.
        let other = add(&h, &school, "Sam", "Marsh", &years_ago(9)).await;
        let id = ask(&h, &school, &[other], "urgent", true).await;
        h.decide_request(
            &officer,
            id,
            &DecisionForm {
                level: "4".into(),
                outcome: "step_up".into(),
                rationale: "Significant harm".into(),
                ..DecisionForm::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            h.request(&officer, id).await.unwrap().request.status,
            RequestStatus::Decided
        );
    }
);

both_engines!(
    a_need_ticked_is_described_before_it_is_sent,
    |store| async move {
        let h = hearth(store).await;
        let school = actor(&h, "lead@demo.hearth.test").await;
        let child = add(&h, &school, "Ivy", "Stone", &years_ago(10)).await;
        let mut pairs: Vec<(String, String)> = vec![
            ("people".into(), child.to_string()),
            ("needs".into(), "housing".into()),
            ("concerns".into(), "missing".into()),
            ("family_told".into(), "Mum knows".into()),
            ("consent".into(), "given".into()),
            ("urgency".into(), "soon".into()),
            ("safeguarding".into(), "no".into()),
        ];
        let err = h
            .save_request(&school, None, &RequestForm::from_pairs(&pairs), true)
            .await
            .unwrap_err();
        let AppError::Invalid(errors) = err else {
            panic!("{err:?}")
        };
        assert!(errors
            .get("detail_housing")
            .is_some_and(|m| m.contains("Secure housing")));
        // The concern describes itself: only the need ticked asks for words.
        assert!(errors.get("detail_abuse_exploitation").is_none());
        // A draft may wait for the words.
        h.save_request(&school, None, &RequestForm::from_pairs(&pairs), false)
            .await
            .unwrap();
        pairs.push(("detail_housing".into(), "Sofa-surfing at an aunt's".into()));
        h.save_request(&school, None, &RequestForm::from_pairs(&pairs), true)
            .await
            .unwrap();
    }
);

both_engines!(
    a_familys_own_members_are_not_shown_as_duplicates_of_each_other,
    |store| async move {
        let h = hearth(store).await;
        let school = actor(&h, "lead@demo.hearth.test").await;
        // Twins: one surname, one birthday — a likely match for each other by search alone.
        let dob = years_ago(7);
        let amal = add(&h, &school, "Amal", "Haddad-Oduya", &dob).await;
        let amir = add_saying(
            &h,
            &school,
            "Amir",
            "Haddad-Oduya",
            &dob,
            "Amal's twin brother",
        )
        .await
        .unwrap();
        let id = ask(&h, &school, &[amal, amir], "routine", false).await;
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        let ctx = h.decision_context(&officer, id).await.unwrap();
        let aside = h.decision_aside(&officer, &ctx).await.unwrap();
        assert!(
            aside
                .duplicates
                .iter()
                .all(|d| d.other != amal && d.other != amir),
            "{:?}",
            aside
                .duplicates
                .iter()
                .map(|d| (&d.of, &d.other_name))
                .collect::<Vec<_>>()
        );
    }
);

both_engines!(
    a_common_name_alone_is_a_weaker_match_shown_after_those_that_agree_on_more,
    |store| async move {
        let h = hearth(store).await;
        let health = actor(&h, "practitioner@demo.hearth.test").await;
        let namesake = add(&h, &health, "Lena", "Marsh", &years_ago(40)).await;
        let same_birthday = add_saying(
            &h,
            &health,
            "Lena",
            "Marsh",
            &years_ago(9),
            "A child; the other Lena Marsh is an adult",
        )
        .await
        .unwrap();
        let school = actor(&h, "lead@demo.hearth.test").await;
        let child = add_saying(
            &h,
            &school,
            "Lena",
            "Marsh",
            &years_ago(9),
            "New to the school from Leeds; not the girl at the health visitor's",
        )
        .await
        .unwrap();
        let id = ask(&h, &school, &[child], "routine", false).await;

        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        let ctx = h.decision_context(&officer, id).await.unwrap();
        let aside = h.decision_aside(&officer, &ctx).await.unwrap();
        let shown: Vec<(PersonId, bool)> = aside
            .duplicates
            .iter()
            .map(|d| (d.other, d.strong))
            .collect();
        assert_eq!(shown, vec![(same_birthday, true), (namesake, false)]);
        assert_eq!(aside.weak_duplicates(), 1);
    }
);
