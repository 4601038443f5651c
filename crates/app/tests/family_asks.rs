//! A family asks for help themselves (issue 24 item 1, ADR 0044): the draft kept without an
//! account, sending, the front door's desk with the records each person may be, taking it in
//! (linking one person, adding another) and deciding it like any request. Through the app's
//! public interface, on both engines.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::Duration;
use hearth_app::family::{PersonForm, SearchForm};
use hearth_app::family_asks::{AskDraft, AskStatus, TakeInForm};
use hearth_app::front_door::DecisionForm;
use hearth_app::records::AuditQuery;
use hearth_app::{AppError, Hearth, Origin};
use hearth_domain::family_ask::{
    Answers, Asker, Born, Consent, NamedPerson, Relation, Step, Worry,
};
use hearth_domain::ids::PersonId;
use hearth_domain::routing::RequestStatus;
use hearth_store::{Engine, Store};
use hearth_testkit::app::{actor, hearth, hearth_with_clock, years_ago};
use hearth_testkit::both_engines;
use sqlx::Row;

async fn audited(h: &Hearth, action: &str) -> Vec<hearth_app::records::AuditEvent> {
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
}

fn answers(mum: &str, child: &str, child_dob: chrono::NaiveDate) -> Answers {
    Answers {
        asker: Some(Asker::Parent),
        worry: "نحن على وشك أن نفقد بيتنا ولا نستطيع دفع الإيجار".into(),
        worries: vec![Worry::Home, Worry::Money],
        people: vec![
            NamedPerson {
                name: mum.into(),
                born: Born::Aged(34),
                relation: Relation::Me,
            },
            NamedPerson {
                name: child.into(),
                born: Born::On(child_dob),
                relation: Relation::Child,
            },
        ],
        postcode: "NG7 2AB".into(),
        address: "12 Hill Street".into(),
        phone: "07700 900123".into(),
        email: String::new(),
        safe_to_text: Some(false),
        safe_to_leave_message: Some(false),
        safe_times: "Weekdays after 3pm".into(),
        language: "ar".into(),
        language_other: String::new(),
        consent: Some(Consent::Agree),
    }
}

/// Adds a person as a practitioner would, after a search.
async fn on_record(h: &Hearth, given: &str, family: &str, dob: &str) -> PersonId {
    let who = actor(h, "practitioner@demo.hearth.test").await;
    let s = h
        .search_people(
            &who,
            &SearchForm {
                name: format!("{given} {family}"),
                dob: dob.into(),
                ..SearchForm::default()
            },
        )
        .await
        .unwrap();
    h.add_person(
        &who,
        &PersonForm {
            search_id: s.search_id.to_string(),
            given_names: given.into(),
            family_name: family.into(),
            dob: dob.into(),
            ..PersonForm::default()
        },
    )
    .await
    .unwrap()
}

both_engines!(
    a_mother_asks_and_the_front_door_takes_it_in_and_opens_early_help,
    |store| async move {
        let h = hearth(store).await;
        // The boy is already known to the record; his mother is not.
        let dob = chrono::NaiveDate::parse_from_str(&years_ago(8), "%d/%m/%Y").unwrap();
        let known = on_record(&h, "Yusuf", "Haddad", &years_ago(8)).await;

        // Her answers are kept as she goes, without an account.
        let token = h.start_family_ask().await.unwrap();
        let half = Answers {
            asker: Some(Asker::Parent),
            ..Answers::default()
        };
        h.keep_family_answers(&token, &half).await.unwrap();
        assert_eq!(
            h.family_ask_draft(&token).await.unwrap(),
            Some(AskDraft::Answering(half))
        );
        // Sending before every page is answered goes back to the first unanswered.
        assert_eq!(
            h.send_family_ask(&token, "ar", &Origin::default())
                .await
                .unwrap(),
            Err(Step::Worry)
        );
        h.keep_family_answers(&token, &answers("Layla Haddad", "Yusuf Haddad", dob))
            .await
            .unwrap();
        let reference = h
            .send_family_ask(&token, "ar", &Origin::default())
            .await
            .unwrap()
            .unwrap();
        assert!(reference.starts_with("FH-"));
        // Only the reference stays with the browser; the answers cannot be changed now.
        assert_eq!(
            h.family_ask_draft(&token).await.unwrap(),
            Some(AskDraft::Sent(reference.clone()))
        );
        assert!(matches!(
            h.keep_family_answers(&token, &Answers::default()).await,
            Err(AppError::NotFound)
        ));
        let received = audited(&h, "family_ask_received").await;
        assert_eq!(received.len(), 1);
        // The log names the request, not the family.
        let detail = received[0].detail.clone().unwrap_or_default();
        assert!(
            detail.contains(&reference) && !detail.contains("Haddad"),
            "{detail}"
        );

        // Someone who does not decide requests is refused the desk, and the refusal audited.
        let school = actor(&h, "lead@demo.hearth.test").await;
        let refusals = audited(&h, "access_denied").await.len();
        assert!(matches!(
            h.family_asks_waiting(&school).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(audited(&h, "access_denied").await.len(), refusals + 1);

        // The front door sees it from the family, with the safety marks and the matches.
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        let waiting = h.family_asks_waiting(&officer).await.unwrap();
        let ask = waiting.iter().find(|a| a.reference == reference).unwrap();
        assert_eq!(ask.safe_to_text, Some(false));
        assert_eq!(ask.safe_to_leave_message, Some(false));
        assert_eq!(h.family_asks_waiting_count(&officer).await.unwrap(), 1);
        let at = h.family_ask_at_the_door(&officer, ask.id).await.unwrap();
        let boy = at
            .people
            .iter()
            .find(|p| p.named.name == "Yusuf Haddad")
            .unwrap();
        let best = boy.matches.first().unwrap();
        assert_eq!(best.id, known);
        assert!(
            best.likely,
            "name and date of birth agree: {:?}",
            best.reasons
        );
        assert!(!best.reasons.is_empty());
        let mum = at
            .people
            .iter()
            .find(|p| p.named.name == "Layla Haddad")
            .unwrap();
        assert!(mum.matches.iter().all(|m| m.id != known || !m.likely));

        // Taking it in needs a choice for every person, and says which is missing.
        let mut form = TakeInForm {
            version: at.ask.version,
            needs: vec!["housing".into(), "financial".into()],
            urgency: "routine".into(),
            safeguarding: "no".into(),
            ..TakeInForm::default()
        };
        form.links.insert(boy.named.position, known.to_string());
        match h.take_in_family_ask(&officer, ask.id, &form).await {
            Err(AppError::Invalid(e)) => {
                assert!(e.get(&format!("person_{}", mum.named.position)).is_some())
            }
            other => panic!("expected the mother's choice to be asked for: {other:?}"),
        }
        form.links.insert(mum.named.position, "new".into());
        let request = h.take_in_family_ask(&officer, ask.id, &form).await.unwrap();

        // The request is the family's, in their words, about the boy known and his mother.
        let view = h.request(&officer, request).await.unwrap();
        assert_eq!(view.request.status, RequestStatus::Submitted);
        assert!(view.request.people.contains(&known));
        assert_eq!(view.request.people.len(), 2);
        assert!(view.request.needs.iter().all(|n| n
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("نفقد بيتنا"))));
        let from = h
            .family_ask_for_request(&officer, request)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(from.reference, reference);
        assert_eq!(from.status, AskStatus::TakenIn);
        assert!(from.people.iter().all(|p| p.person.is_some()));
        assert_eq!(h.family_asks_waiting_count(&officer).await.unwrap(), 0);
        assert_eq!(audited(&h, "family_ask_taken_in").await.len(), 1);
        assert!(audited(&h, "family_ask_viewed").await.len() >= 2);
        // Taking it in twice is a conflict, not a second request.
        assert!(matches!(
            h.take_in_family_ask(&officer, ask.id, &form).await,
            Err(AppError::Conflict)
        ));
        // Only the front door reads where it came from.
        assert!(h
            .family_ask_for_request(&school, request)
            .await
            .unwrap()
            .is_none());

        // Decided like any request: Early Family Help opens.
        let ctx = h.decision_context(&officer, request).await.unwrap();
        let lead = ctx.leads.first().unwrap().id;
        h.decide_request(
            &officer,
            request,
            &DecisionForm {
                level: "2".into(),
                outcome: "early_help".into(),
                rationale: "The family asked for help with housing and money.".into(),
                lead_user_id: lead.to_string(),
                ..DecisionForm::default()
            },
        )
        .await
        .unwrap();
        let decided = h.request(&officer, request).await.unwrap();
        assert_eq!(decided.request.status, RequestStatus::Decided);
        let lead_actor_email = ctx.leads.first().unwrap().email.clone();
        let lead_actor = actor(&h, &lead_actor_email).await;
        let work = h.person(&lead_actor, known, None).await.unwrap();
        match work {
            hearth_app::family::PersonView::Full(r) => assert!(!r.episodes.is_empty()),
            other => panic!("the lead opens the boy's record: {other:?}"),
        }
    }
);

both_engines!(
    drafts_expire_and_housekeeping_removes_them,
    |store| async move {
        let (h, clock) = hearth_with_clock(store).await;
        let token = h.start_family_ask().await.unwrap();
        assert!(h.family_ask_draft(&token).await.unwrap().is_some());
        assert_eq!(h.prune_family_ask_drafts().await.unwrap(), 0);
        let minutes = h.policies().family_asks.draft_minutes;
        *clock.lock().unwrap() += Duration::minutes(minutes + 1);
        // Expired: gone for the family at once, and removed by housekeeping.
        assert!(h.family_ask_draft(&token).await.unwrap().is_none());
        assert!(matches!(
            h.keep_family_answers(&token, &Answers::default()).await,
            Err(AppError::NotFound)
        ));
        assert_eq!(h.prune_family_ask_drafts().await.unwrap(), 1);
        // A token nobody was given finds nothing.
        assert!(h.family_ask_draft("not-a-token").await.unwrap().is_none());
    }
);

/// How many rows `table` holds.
async fn rows(store: &Store, table: &str) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

/// Runs statements in one committed transaction (the test's own changes to the schema).
async fn run(store: &Store, statements: &[&str]) {
    let mut tx = store.write().await.unwrap();
    for sql in statements {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    Store::commit(tx).await.unwrap();
}

/// A family's request sent for a mother and her boy, neither on the record; its id at the
/// front door and the officer's answers adding both as new people.
async fn sent_for_two_new_people(h: &Hearth) -> (hearth_domain::ids::FamilyAskId, TakeInForm) {
    let dob = chrono::NaiveDate::parse_from_str(&years_ago(6), "%d/%m/%Y").unwrap();
    let token = h.start_family_ask().await.unwrap();
    h.keep_family_answers(&token, &answers("Noor Qasim", "Adam Qasim", dob))
        .await
        .unwrap();
    let reference = h
        .send_family_ask(&token, "ar", &Origin::default())
        .await
        .unwrap()
        .unwrap();
    let officer = actor(h, "frontdoor@demo.hearth.test").await;
    let waiting = h.family_asks_waiting(&officer).await.unwrap();
    let ask = waiting.iter().find(|a| a.reference == reference).unwrap();
    let mut form = TakeInForm {
        version: ask.version,
        needs: vec!["housing".into()],
        urgency: "routine".into(),
        safeguarding: "no".into(),
        ..TakeInForm::default()
    };
    for p in &ask.people {
        form.links.insert(p.position, "new".into());
    }
    (ask.id, form)
}

both_engines!(
    a_take_in_that_fails_after_its_first_writes_leaves_nothing,
    |store| async move {
        let h = hearth(store.clone()).await;
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        let (id, form) = sent_for_two_new_people(&h).await;
        let (people, requests) = (rows(&store, "people").await, rows(&store, "requests").await);
        let created = audited(&h, "person_created").await.len();

        // Marking the family's request taken in, the last write, fails: the people added and
        // the request sent before it in the same take-in are not left behind.
        match store.engine() {
            Engine::Sqlite => {
                run(
                    &store,
                    &[
                        "CREATE TRIGGER refuse_taking_in BEFORE UPDATE ON family_asks
                   BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
                    ],
                )
                .await
            }
            Engine::Postgres => {
                run(
                    &store,
                    &[
                        "CREATE FUNCTION refuse_taking_in() RETURNS trigger AS $$
                     BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql",
                        "CREATE TRIGGER refuse_taking_in BEFORE UPDATE ON family_asks
                     FOR EACH ROW EXECUTE FUNCTION refuse_taking_in()",
                    ],
                )
                .await
            }
        }
        assert!(h.take_in_family_ask(&officer, id, &form).await.is_err());
        assert_eq!(rows(&store, "people").await, people);
        assert_eq!(rows(&store, "requests").await, requests);
        assert_eq!(audited(&h, "person_created").await.len(), created);
        assert!(audited(&h, "family_ask_taken_in").await.is_empty());
        assert_eq!(h.family_asks_waiting_count(&officer).await.unwrap(), 1);

        // Once the failure is gone the same answers take it in whole.
        match store.engine() {
            Engine::Sqlite => run(&store, &["DROP TRIGGER refuse_taking_in"]).await,
            Engine::Postgres => {
                run(&store, &["DROP TRIGGER refuse_taking_in ON family_asks"]).await
            }
        }
        let request = h.take_in_family_ask(&officer, id, &form).await.unwrap();
        assert_eq!(rows(&store, "people").await, people + 2);
        assert_eq!(rows(&store, "requests").await, requests + 1);
        let view = h.request(&officer, request).await.unwrap();
        assert_eq!(view.request.people.len(), 2);
        assert_eq!(audited(&h, "person_created").await.len(), created + 2);
        assert_eq!(h.family_asks_waiting_count(&officer).await.unwrap(), 0);
    }
);

both_engines!(
    two_officers_taking_the_same_request_in_at_once_make_one_request,
    |store| async move {
        let h = hearth(store.clone()).await;
        let first = actor(&h, "frontdoor@demo.hearth.test").await;
        let second = actor(&h, "frontdoor@demo.hearth.test").await;
        let (id, form) = sent_for_two_new_people(&h).await;
        let (people, requests) = (rows(&store, "people").await, rows(&store, "requests").await);

        // Whichever order the two take-ins run in, one wins and the other adds nobody.
        let (a, b) = tokio::join!(
            h.take_in_family_ask(&first, id, &form),
            h.take_in_family_ask(&second, id, &form)
        );
        let won = [&a, &b].iter().filter(|r| r.is_ok()).count();
        assert_eq!(won, 1, "{a:?} {b:?}");
        assert!(
            [&a, &b]
                .iter()
                .any(|r| matches!(r, Err(AppError::Conflict))),
            "{a:?} {b:?}"
        );
        assert_eq!(rows(&store, "people").await, people + 2);
        assert_eq!(rows(&store, "requests").await, requests + 1);
        assert_eq!(audited(&h, "family_ask_taken_in").await.len(), 1);
    }
);
