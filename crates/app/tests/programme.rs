//! Supporting Families through the app's public interface, on both engines: an episode's
//! standing at the start (needs with their evidence from the assessment and partners' data,
//! in the programme or not, whole-family working met or missing), the evidence kept with each
//! need's result at closure, and the sustainment check set at closure answered from *My work*
//! once due, with partners' data deciding where it can; another team's practitioner is refused
//! it, and every read, answer and refusal is audited.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Duration, Months, NaiveDate};
use hearth_app::episodes::{ClosureForm, MemberForm, SignOff};
use hearth_app::identification::DatasetForm;
use hearth_app::programme::SustainmentForm;
use hearth_app::{AppError, Hearth, Store};
use hearth_domain::need::NeedDomain;
use hearth_domain::programme::{Criterion, Source};
use hearth_domain::task::TaskKind;
use hearth_testkit::app::{actor, hearth_with_clock};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use sqlx::Row;

async fn events(store: &Store, action: &str) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query("SELECT COUNT(*) FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

async fn register(h: &Hearth, store: &Store, code: &str, kind: &str, today: NaiveDate) {
    let owner: String = {
        let mut conn = store.read().await.unwrap();
        sqlx::query("SELECT id FROM organisations WHERE name = 'Nottingham City Council (demo)'")
            .fetch_one(&mut *conn)
            .await
            .unwrap()
            .try_get(0)
            .unwrap()
    };
    let analyst = actor(h, "matching@demo.hearth.test").await;
    h.register_dataset(
        &analyst,
        &DatasetForm {
            code: code.into(),
            name: format!("City {kind}"),
            kind: kind.into(),
            owner,
            agreement_reference: format!("DSA-{code}"),
            agreement_from: (today - Duration::days(400)).to_string(),
            agreement_to: (today + Duration::days(900)).to_string(),
            lawful_basis: "public_task".into(),
            fields: "names, date of birth, postcode, event, date".into(),
            refresh: "monthly".into(),
            unmatched_days: "30".into(),
        },
    )
    .await
    .unwrap();
}

fn form(pairs: &[(&str, &str)]) -> SustainmentForm {
    SustainmentForm::from_pairs(
        &pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>(),
    )
}

both_engines!(
    the_six_month_check_of_a_closed_episode_is_answered_with_data_evidence,
    |store| async move {
        let (h, clock) = hearth_with_clock(store.clone()).await;
        let start = clock.lock().unwrap().date_naive();
        register(&h, &store, "attendance", "school_census", start).await;
        register(&h, &store, "police", "police_notifications", start).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let manager = actor(&h, "manager@demo.hearth.test").await;
        let analyst = actor(&h, "matching@demo.hearth.test").await;
        // Another team's practitioner, in the family's TAF while the help lasted.
        let visitor = actor(&h, "practitioner@demo.hearth.test").await;
        let mia = start - Duration::days(9 * 365);
        let opened = Family::new("Okafor")
            .child("Mia", &mia.format("%d/%m/%Y").to_string())
            .address("1 Oak Street", "NG7 2RD")
            .need("education")
            .need("domestic_abuse")
            .need("family_relationships")
            .need("housing")
            .early_help(&h, &lead, "School knows the family best")
            .await;
        let episode = opened.episode;
        // The school's data before the help began: a term under 90%.
        let before = (start - Duration::days(30)).to_string();
        h.import_partner_data(
            &analyst,
            "attendance",
            "pasted",
            &format!(
                "reference,given_names,family_name,dob,postcode,upn,event,date,attendance\n\
                 A1,Mia,Okafor,{mia},NG7 2RD,,attendance,{before},82.5\n"
            ),
        )
        .await
        .unwrap();

        // At the start: four needs, so in the programme; a lead, and the TAF once the
        // health visitor joins; no assessment or plan yet, so it does not count.
        h.add_taf_member(
            &lead,
            episode,
            &MemberForm {
                user_id: visitor.user_id.to_string(),
                role: "Health visitor".into(),
                ..MemberForm::default()
            },
        )
        .await
        .unwrap();
        let viewed = events(&store, "programme_viewed").await;
        let s = h.programme_start(&lead, episode).await.unwrap();
        assert_eq!(events(&store, "programme_viewed").await, viewed + 1);
        assert_eq!(s.framework_version, "national-2022");
        let needs: Vec<NeedDomain> = s.needs.iter().map(|n| n.outcome.need).collect();
        assert_eq!(
            needs,
            vec![
                NeedDomain::GoodEducation,
                NeedDomain::FamilyRelationships,
                NeedDomain::DomesticAbuse,
                NeedDomain::SecureHousing
            ]
        );
        let education = &s.needs[0];
        assert!(education.assessed);
        assert_eq!(education.from_data.len(), 1, "the school's term under 90%");
        assert_eq!(education.from_data[0].who, "Mia Okafor");
        assert!(education.from_data[0].evidence[0]
            .describe()
            .contains("82.5%"));
        assert!(s.in_programme && !s.counts);
        assert_eq!(
            s.criteria,
            vec![
                (Criterion::LeadPractitioner, true),
                (Criterion::WholeFamilyAssessment, false),
                (Criterion::FamilyPlan, false),
                (Criterion::TeamAroundTheFamily, true),
            ]
        );

        // Closure: each need's result with its evidence; three achieved, housing partly.
        let v = h.episode(&lead, episode).await.unwrap().episode.version;
        let mut pairs: Vec<(String, String)> = [
            ("reason", "outcomes_met"),
            ("summary", "Mia is settled at school and home is calmer"),
            ("result_education", "achieved"),
            ("evidence_education", "Attendance 96% this term"),
            ("result_domestic_abuse", "achieved"),
            ("result_family_relationships", "achieved"),
            ("result_housing", "partly"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        pairs.push(("evidence_housing".into(), "x".repeat(2001)));
        pairs.push(("version".into(), v.to_string()));
        let too_long = h
            .record_closure(&lead, episode, &ClosureForm::from_pairs(&pairs))
            .await
            .unwrap_err();
        assert!(
            matches!(&too_long, AppError::Invalid(e) if e.get("evidence_housing").is_some()),
            "{too_long:?}"
        );
        pairs.retain(|(k, _)| k != "evidence_housing");
        h.record_closure(&lead, episode, &ClosureForm::from_pairs(&pairs))
            .await
            .unwrap();
        h.decide_closure(&manager, episode, &SignOff::Approve, v + 1)
            .await
            .unwrap();
        let closed_on = clock.lock().unwrap().date_naive();
        let due = closed_on.checked_add_months(Months::new(6)).unwrap();
        let tasks = h.my_work(&lead).await.unwrap().tasks;
        let task = tasks
            .iter()
            .find(|t| t.task.kind == TaskKind::SustainedFollowUp)
            .expect("the lead has the check in My work");
        assert_eq!(task.task.due_on, due);
        assert_eq!(task.task.episode_id, Some(episode));

        // Before it is due it can be read, not answered.
        let check = h.sustainment_check(&lead, episode).await.unwrap();
        assert!(!check.answerable && !check.answered);
        assert_eq!(check.due_on, due);
        let early = h
            .answer_sustainment(&lead, episode, &form(&[]))
            .await
            .unwrap_err();
        assert!(matches!(&early, AppError::Invalid(e) if e.get("sustained").is_some()));

        // Another team's practitioner is refused both, and each refusal is audited.
        let denied = events(&store, "access_denied").await;
        assert!(matches!(
            h.sustainment_check(&visitor, episode).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.answer_sustainment(
                &visitor,
                episode,
                &form(&[("sustained_family_relationships", "yes")])
            )
            .await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(events(&store, "access_denied").await, denied + 2);

        // Seven months on, the partners' files since closure are in: two good terms, and the
        // police file has nothing for the family.
        *clock.lock().unwrap() += Duration::days(212);
        let (t1, t2) = (
            closed_on + Duration::days(60),
            closed_on + Duration::days(150),
        );
        h.import_partner_data(
            &analyst,
            "attendance",
            "pasted",
            &format!(
                "reference,given_names,family_name,dob,postcode,upn,event,date,attendance\n\
                 A2,Mia,Okafor,{mia},NG7 2RD,,attendance,{t1},95.5\n\
                 A3,Mia,Okafor,{mia},NG7 2RD,,attendance,{t2},93\n"
            ),
        )
        .await
        .unwrap();
        h.import_partner_data(
            &analyst,
            "police",
            "pasted",
            &format!(
                "reference,given_names,family_name,dob,postcode,event,date\n\
                 P1,Zed,Zebedee,2014-01-01,ZE1 1AA,domestic_abuse,{t1}\n"
            ),
        )
        .await
        .unwrap();
        let check = h.sustainment_check(&lead, episode).await.unwrap();
        assert!(check.answerable);
        let by = |need: NeedDomain| {
            check
                .outcomes
                .iter()
                .find(|o| o.outcome.need == need)
                .unwrap()
        };
        let education = by(NeedDomain::GoodEducation);
        assert!(education.asked);
        assert_eq!(education.closure_evidence, "Attendance 96% this term");
        assert_eq!(education.data, Some(true));
        assert_eq!(education.data_evidence.len(), 2);
        assert_eq!(by(NeedDomain::DomesticAbuse).data, Some(true));
        assert_eq!(by(NeedDomain::FamilyRelationships).data, None);
        assert!(!by(NeedDomain::SecureHousing).asked, "partly achieved");

        // Family relationships has no data: the practitioner says, with evidence.
        let refused = h
            .answer_sustainment(&lead, episode, &form(&[]))
            .await
            .unwrap_err();
        assert!(
            matches!(&refused, AppError::Invalid(e)
                if e.get("sustained_family_relationships").is_some()
                    && e.get("sustained_education").is_none()),
            "{refused:?}"
        );
        let refused = h
            .answer_sustainment(
                &lead,
                episode,
                &form(&[("sustained_family_relationships", "yes")]),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&refused, AppError::Invalid(e) if e.get("evidence_family_relationships").is_some())
        );
        assert_eq!(events(&store, "sustainment_recorded").await, 0);
        h.answer_sustainment(
            &lead,
            episode,
            &form(&[
                ("sustained_family_relationships", "yes"),
                (
                    "evidence_family_relationships",
                    "Mum says the rows have stopped",
                ),
                // Data decides education: a choice against it changes nothing.
                ("sustained_education", "no"),
            ]),
        )
        .await
        .unwrap();
        assert_eq!(events(&store, "sustainment_recorded").await, 1);
        let check = h.sustainment_check(&lead, episode).await.unwrap();
        assert!(check.answered && !check.answerable);
        let answer = |need: NeedDomain| {
            check
                .outcomes
                .iter()
                .find(|o| o.outcome.need == need)
                .unwrap()
                .answer
                .clone()
        };
        let education = answer(NeedDomain::GoodEducation).unwrap();
        assert!(education.sustained);
        assert_eq!(education.source, Source::PartnerData);
        assert!(
            education.evidence.contains("95.5%"),
            "{}",
            education.evidence
        );
        let relationships = answer(NeedDomain::FamilyRelationships).unwrap();
        assert_eq!(
            (
                relationships.sustained,
                relationships.source,
                relationships.evidence.as_str()
            ),
            (true, Source::Practitioner, "Mum says the rows have stopped")
        );
        assert!(answer(NeedDomain::SecureHousing).is_none());
        // Answering completed the task, and it is answered once.
        assert!(!h
            .my_work(&lead)
            .await
            .unwrap()
            .tasks
            .iter()
            .any(|t| t.task.kind == TaskKind::SustainedFollowUp));
        assert!(matches!(
            h.answer_sustainment(&lead, episode, &form(&[])).await,
            Err(AppError::Conflict)
        ));
    }
);

both_engines!(
    data_showing_a_new_notification_means_the_outcome_did_not_last,
    |store| async move {
        let (h, clock) = hearth_with_clock(store.clone()).await;
        let start = clock.lock().unwrap().date_naive();
        register(&h, &store, "police", "police_notifications", start).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let manager = actor(&h, "manager@demo.hearth.test").await;
        let analyst = actor(&h, "matching@demo.hearth.test").await;
        let mia = start - Duration::days(9 * 365);
        let opened = Family::new("Adeyemi")
            .child("Mia", &mia.format("%d/%m/%Y").to_string())
            .address("2 Elm Road", "NG5 1AA")
            .need("domestic_abuse")
            .early_help(&h, &lead, "The school knows the family")
            .await;
        let v = h
            .episode(&lead, opened.episode)
            .await
            .unwrap()
            .episode
            .version;
        h.record_closure(
            &lead,
            opened.episode,
            &ClosureForm::from_pairs(&[
                ("reason".into(), "outcomes_met".into()),
                ("summary".into(), "Safety plan in place".into()),
                ("result_domestic_abuse".into(), "achieved".into()),
                ("version".into(), v.to_string()),
            ]),
        )
        .await
        .unwrap();
        h.decide_closure(&manager, opened.episode, &SignOff::Approve, v + 1)
            .await
            .unwrap();
        let closed_on = clock.lock().unwrap().date_naive();
        *clock.lock().unwrap() += Duration::days(200);
        let on = closed_on + Duration::days(40);
        h.import_partner_data(
            &analyst,
            "police",
            "pasted",
            &format!(
                "reference,given_names,family_name,dob,postcode,event,date\n\
                 P1,Mia,Adeyemi,{mia},NG5 1AA,domestic_abuse,{on}\n"
            ),
        )
        .await
        .unwrap();
        let check = h.sustainment_check(&lead, opened.episode).await.unwrap();
        assert_eq!(check.outcomes[0].data, Some(false));
        h.answer_sustainment(&lead, opened.episode, &form(&[]))
            .await
            .unwrap();
        let check = h.sustainment_check(&lead, opened.episode).await.unwrap();
        let a = check.outcomes[0].answer.clone().unwrap();
        assert!(!a.sustained);
        assert_eq!(a.source, Source::PartnerData);
        assert!(
            a.evidence.contains("Domestic abuse notification"),
            "{}",
            a.evidence
        );
    }
);

both_engines!(
    the_demo_has_a_closed_family_whose_check_is_due_with_partners_data,
    |store| async move {
        let (h, _clock) = hearth_with_clock(store.clone()).await;
        assert!(h.seed_demo_programme().await.unwrap());
        assert!(!h.seed_demo_programme().await.unwrap(), "seeded once");
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let task = h
            .my_work(&lead)
            .await
            .unwrap()
            .tasks
            .into_iter()
            .find(|t| t.task.kind == TaskKind::SustainedFollowUp)
            .expect("the check is in the lead's My work");
        assert_eq!(task.family.as_deref(), Some("Amara Mensah"));
        let episode = task.task.episode_id.unwrap();
        let start = h.programme_start(&lead, episode).await.unwrap();
        assert!(start.in_programme);
        assert_eq!(start.needs.len(), 3);
        assert!(start.needs.iter().all(|n| n.assessed));
        assert_eq!(
            start
                .needs
                .iter()
                .filter(|n| !n.from_data.is_empty())
                .count(),
            2,
            "the school's and the police's data"
        );
        let check = h.sustainment_check(&lead, episode).await.unwrap();
        assert!(check.answerable);
        let data: Vec<Option<bool>> = check.outcomes.iter().map(|o| o.data).collect();
        // In the framework's order: education, family relationships, domestic abuse.
        assert_eq!(data, vec![Some(true), None, Some(true)]);
    }
);

both_engines!(
    each_outcome_is_judged_after_its_own_months_and_the_task_waits_for_the_next,
    |store| async move {
        use hearth_app::Policies;
        use hearth_domain::programme::Framework;
        use std::sync::{Arc, Mutex};
        let now = Arc::new(Mutex::new(chrono::Utc::now()));
        let clock = now.clone();
        let h = Hearth::with_clock(
            store.clone(),
            Policies {
                programme: Framework::with_overrides(
                    "version = quick-education\neducation.sustain_months = 3\n",
                )
                .unwrap(),
                ..Policies::default()
            },
            Arc::new(move || *clock.lock().unwrap()),
        );
        h.seed_demo(hearth_testkit::app::PASSWORD).await.unwrap();
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let manager = actor(&h, "manager@demo.hearth.test").await;
        let start = now.lock().unwrap().date_naive();
        let opened = Family::new("Nowak")
            .child(
                "Ola",
                &(start - Duration::days(8 * 365))
                    .format("%d/%m/%Y")
                    .to_string(),
            )
            .address("3 Ash Close", "NG3 1AA")
            .need("education")
            .need("family_relationships")
            .early_help(&h, &lead, "The school knows the family")
            .await;
        let episode = opened.episode;
        let v = h.episode(&lead, episode).await.unwrap().episode.version;
        h.record_closure(
            &lead,
            episode,
            &ClosureForm::from_pairs(&[
                ("reason".into(), "outcomes_met".into()),
                ("summary".into(), "Ola is at school every day".into()),
                ("result_education".into(), "achieved".into()),
                ("result_family_relationships".into(), "achieved".into()),
                ("version".into(), v.to_string()),
            ]),
        )
        .await
        .unwrap();
        h.decide_closure(&manager, episode, &SignOff::Approve, v + 1)
            .await
            .unwrap();
        let closed_on = now.lock().unwrap().date_naive();
        let (three, six) = (
            closed_on.checked_add_months(Months::new(3)).unwrap(),
            closed_on.checked_add_months(Months::new(6)).unwrap(),
        );
        let task_due = |h: Hearth, lead: hearth_app::Actor| async move {
            h.my_work(&lead)
                .await
                .unwrap()
                .tasks
                .into_iter()
                .find(|t| t.task.kind == TaskKind::SustainedFollowUp)
                .map(|t| t.task.due_on)
        };
        assert_eq!(
            task_due(h.clone(), lead.clone()).await,
            Some(three),
            "the first outcome's day"
        );

        // Three months on: education may be judged, family relationships not yet.
        *now.lock().unwrap() += Duration::days(100);
        let check = h.sustainment_check(&lead, episode).await.unwrap();
        let of = |c: &hearth_app::programme::SustainmentCheck, n: NeedDomain| {
            c.outcomes
                .iter()
                .find(|o| o.outcome.need == n)
                .unwrap()
                .clone()
        };
        assert!(check.answerable && !check.answered);
        assert_eq!(of(&check, NeedDomain::GoodEducation).due_on, three);
        assert!(of(&check, NeedDomain::GoodEducation).answerable);
        assert!(!of(&check, NeedDomain::FamilyRelationships).answerable);
        h.answer_sustainment(
            &lead,
            episode,
            &form(&[
                ("sustained_education", "yes"),
                (
                    "evidence_education",
                    "The school says she is there every day",
                ),
            ]),
        )
        .await
        .unwrap();
        let check = h.sustainment_check(&lead, episode).await.unwrap();
        assert!(
            !check.answered && !check.answerable,
            "the next is not due yet"
        );
        assert_eq!(check.due_on, six);
        assert!(of(&check, NeedDomain::GoodEducation).answer.is_some());
        assert_eq!(
            task_due(h.clone(), lead.clone()).await,
            Some(six),
            "the task waits"
        );

        // Six months on: the last outcome, and the task is done.
        *now.lock().unwrap() += Duration::days(90);
        h.answer_sustainment(
            &lead,
            episode,
            &form(&[
                ("sustained_family_relationships", "yes"),
                (
                    "evidence_family_relationships",
                    "Mum says the rows have stopped",
                ),
            ]),
        )
        .await
        .unwrap();
        let check = h.sustainment_check(&lead, episode).await.unwrap();
        assert!(check.answered);
        assert_eq!(task_due(h.clone(), lead.clone()).await, None);
        assert_eq!(events(&store, "sustainment_recorded").await, 2);
    }
);

both_engines!(
    the_dashboard_attaches_a_family_by_its_needs_at_the_start_with_partners_data,
    |store| async move {
        let (h, clock) = hearth_with_clock(store.clone()).await;
        let start = clock.lock().unwrap().date_naive();
        register(&h, &store, "attendance", "school_census", start).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let analyst = actor(&h, "matching@demo.hearth.test").await;
        let programme = actor(&h, "programme@demo.hearth.test").await;
        let count = |s: &hearth_domain::insight::Shown| s.text().parse::<usize>().unwrap();
        let at_start = |d: &hearth_app::programme::ProgrammeDashboard, need: NeedDomain| {
            count(&d.by_need.iter().find(|n| n.need == need).unwrap().at_start)
        };
        let before = h.programme_dashboard(&programme).await.unwrap();
        let dob = start - Duration::days(9 * 365);
        let born = dob.format("%d/%m/%Y").to_string();

        // The Okafors: two needs recorded, and the school's term under 90% before the help
        // began, a third need at the start: attached. The Ashbys: three needs recorded:
        // attached. The Nowaks: two needs recorded, and a term under 90% only after the help
        // began, not a need at the start: not attached.
        let families: [(&str, &str, &str, &str, &[&str]); 3] = [
            (
                "Okafor",
                "Mia",
                "1 Oak Street",
                "NG7 2RD",
                &["family_relationships", "health"],
            ),
            (
                "Ashby",
                "Sam",
                "2 Elm Street",
                "NG5 1AB",
                &["education", "housing", "domestic_abuse"],
            ),
            (
                "Nowak",
                "Ola",
                "3 Ash Street",
                "NG3 4CD",
                &["family_relationships", "health"],
            ),
        ];
        for (family, child, street, postcode, needs) in families {
            let mut f = Family::new(family)
                .child(child, &born)
                .address(street, postcode);
            for need in needs {
                f = f.need(need);
            }
            f.early_help(&h, &lead, "School knows the family best")
                .await;
        }
        let terms = [
            ("A1", "Mia", "Okafor", "NG7 2RD", start - Duration::days(30)),
            ("A2", "Ola", "Nowak", "NG3 4CD", start + Duration::days(5)),
        ];
        for (reference, given, family, postcode, on) in terms {
            if on > start {
                *clock.lock().unwrap() += Duration::days(10);
            }
            h.import_partner_data(
                &analyst,
                "attendance",
                "pasted",
                &format!(
                    "reference,given_names,family_name,dob,postcode,upn,event,date,attendance\n\
                     {reference},{given},{family},{dob},{postcode},,attendance,{on},82.5\n"
                ),
            )
            .await
            .unwrap();
        }

        let d = h.programme_dashboard(&programme).await.unwrap();
        assert_eq!(
            count(&d.families_attached) - count(&before.families_attached),
            2,
            "the Okafors (by partners' data) and the Ashbys"
        );
        for (need, more) in [
            (NeedDomain::GoodEducation, 2),
            (NeedDomain::FamilyRelationships, 1),
            (NeedDomain::Health, 1),
            (NeedDomain::SecureHousing, 1),
            (NeedDomain::DomesticAbuse, 1),
            (NeedDomain::FinancialStability, 0),
        ] {
            assert_eq!(
                at_start(&d, need) - at_start(&before, need),
                more,
                "{need:?} at the start"
            );
        }
    }
);
