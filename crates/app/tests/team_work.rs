//! A team manager's work on both engines: assessments waiting for sign-off are tasks, sending
//! work back needs a reason the lead is given, and the team view shows each worker's caseload
//! and what is overdue, for the manager's own team only.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::Duration;
use hearth_app::episodes::assessment::{AssessmentForm, EntryForm};
use hearth_app::episodes::case_notes::NoteForm;
use hearth_app::episodes::SignOff;
use hearth_app::records::AuditQuery;
use hearth_app::team_work::{TeamFilter, Worker};
use hearth_app::{AppError, Hearth, Origin};
use hearth_domain::episode::DueKind;
use hearth_testkit::app::{hearth_with_clock, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::{Family, Targeted};

async fn targeted(h: &Hearth) -> Targeted {
    Family::new("Quenby")
        .child("Kayla", &years_ago(14))
        .parent("Donna", &years_ago(38))
        .need("family_relationships")
        .urgency("soon")
        .targeted(h, Origin::default())
        .await
}

async fn submit_assessment(h: &Hearth, t: &Targeted) {
    let mut form = AssessmentForm {
        child_voice: "I want us to stop shouting".into(),
        parent_voice: "I need help with her staying out".into(),
        ..AssessmentForm::default()
    };
    form.entries.insert(
        (t.people[0].to_string(), "family_relationships".into()),
        EntryForm {
            identified: false,
            needs: "Calmer evenings".into(),
            scale: "3".into(),
            ..EntryForm::default()
        },
    );
    let current = h.assessment(&t.worker, t.episode).await.unwrap();
    form.version = current.assessment.map(|a| a.version).unwrap_or(0);
    h.save_assessment(&t.worker, t.episode, &form)
        .await
        .unwrap();
    let a = h
        .assessment(&t.worker, t.episode)
        .await
        .unwrap()
        .assessment
        .unwrap();
    h.submit_assessment(&t.worker, t.episode, a.version)
        .await
        .unwrap();
}

async fn assessment_version(h: &Hearth, t: &Targeted) -> i64 {
    h.assessment(&t.manager, t.episode)
        .await
        .unwrap()
        .assessment
        .unwrap()
        .version
}

fn open_tasks(work: &hearth_app::my_work::MyWork, kind: hearth_domain::task::TaskKind) -> usize {
    work.tasks.iter().filter(|t| t.task.kind == kind).count()
}

both_engines!(
    an_assessment_waits_as_a_task_and_goes_back_only_with_a_reason,
    |store| async move {
        let (h, _) = hearth_with_clock(store).await;
        let t = targeted(&h).await;
        submit_assessment(&h, &t).await;

        let work = h.my_work(&t.manager).await.unwrap();
        let task = work
            .tasks
            .iter()
            .find(|x| x.task.kind == hearth_domain::task::TaskKind::SignOffAssessment)
            .expect("the assessment waits for the manager");
        assert!(task
            .family
            .as_deref()
            .is_some_and(|f| f.contains("Kayla Quenby")));

        let v = assessment_version(&h, &t).await;
        let blank = SignOff::SendBack {
            reason: "  ".into(),
        };
        let Err(AppError::Invalid(errors)) = h
            .sign_off_assessment(&t.manager, t.episode, &blank, v)
            .await
        else {
            panic!("sending back needs a reason");
        };
        assert!(errors.get("send_back_reason").is_some());

        let why = "Say what Kayla thinks would help in the evenings.";
        h.sign_off_assessment(
            &t.manager,
            t.episode,
            &SignOff::SendBack { reason: why.into() },
            v,
        )
        .await
        .unwrap();
        let manager_work = h.my_work(&t.manager).await.unwrap();
        assert_eq!(
            open_tasks(
                &manager_work,
                hearth_domain::task::TaskKind::SignOffAssessment
            ),
            0
        );
        let worker_work = h.my_work(&t.worker).await.unwrap();
        assert_eq!(
            open_tasks(
                &worker_work,
                hearth_domain::task::TaskKind::ReworkAssessment
            ),
            1
        );
        let events = h
            .search_audit(
                &hearth_testkit::app::actor(&h, "dpo@demo.hearth.test").await,
                &AuditQuery {
                    action: Some("assessment_signed_off".into()),
                    ..AuditQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(events[0].reason.as_deref(), Some(why));

        // Submitted again: the rework is done and the sign-off waits again; then signed off.
        submit_assessment(&h, &t).await;
        assert_eq!(
            open_tasks(
                &h.my_work(&t.worker).await.unwrap(),
                hearth_domain::task::TaskKind::ReworkAssessment
            ),
            0
        );
        assert_eq!(
            open_tasks(
                &h.my_work(&t.manager).await.unwrap(),
                hearth_domain::task::TaskKind::SignOffAssessment
            ),
            1
        );
        let v = assessment_version(&h, &t).await;
        h.sign_off_assessment(&t.manager, t.episode, &SignOff::Approve, v)
            .await
            .unwrap();
        assert_eq!(
            open_tasks(
                &h.my_work(&t.manager).await.unwrap(),
                hearth_domain::task::TaskKind::SignOffAssessment
            ),
            0
        );
    }
);

both_engines!(
    the_team_view_shows_caseloads_and_overdue_work_by_worker_and_kind,
    |store| async move {
        let (h, clock) = hearth_with_clock(store).await;
        let t = targeted(&h).await;
        let view = h
            .team_work(&t.manager, TeamFilter::default())
            .await
            .unwrap();
        assert!(view.team_name.is_some());
        let worker = view
            .workers
            .iter()
            .find(|w| w.worker == Worker::Lead(t.worker.user_id))
            .expect("the worker is in the team view");
        assert_eq!(worker.families, 1);
        assert!(view.overdue.is_empty(), "nothing is overdue on day one");

        // Fifty days on: the assessment (45 days), the review (6 weeks) and a visit (28 days).
        *clock.lock().unwrap() += Duration::days(50);
        let view = h
            .team_work(&t.manager, TeamFilter::default())
            .await
            .unwrap();
        let worker = view
            .workers
            .iter()
            .find(|w| w.worker == Worker::Lead(t.worker.user_id))
            .unwrap();
        assert_eq!(
            (worker.assessments, worker.reviews, worker.visits),
            (1, 1, 1)
        );
        assert_eq!(view.overdue.len(), 3);
        assert!(view
            .overdue
            .iter()
            .all(|o| o.family.contains("Kayla Quenby")));

        let visits = h
            .team_work(
                &t.manager,
                TeamFilter {
                    overdue: Some(DueKind::Visit),
                    ..TeamFilter::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(visits.overdue.len(), 1);
        assert_eq!(visits.overdue[0].kind, DueKind::Visit);
        assert!(visits.overdue[0].due.is_overdue());
        let nobody = h
            .team_work(
                &t.manager,
                TeamFilter {
                    worker: Some(Worker::Unallocated),
                    ..TeamFilter::default()
                },
            )
            .await
            .unwrap();
        assert!(nobody.overdue.is_empty());

        // A visit recorded today puts the next one four weeks away.
        let today = h.now().date_naive().format("%d/%m/%Y").to_string();
        h.add_note(
            &t.worker,
            t.episode,
            &NoteForm {
                kind: "visit".into(),
                occurred_on: today,
                participants: "Kayla and Donna".into(),
                child_seen: "yes".into(),
                body: "Talked about evenings".into(),
                ..NoteForm::default()
            },
        )
        .await
        .unwrap();
        let view = h
            .team_work(&t.manager, TeamFilter::default())
            .await
            .unwrap();
        assert!(!view.overdue.iter().any(|o| o.kind == DueKind::Visit));

        // Only a manager's roles open the team view.
        assert!(matches!(
            h.team_work(&t.worker, TeamFilter::default()).await,
            Err(AppError::Forbidden(_))
        ));
    }
);
