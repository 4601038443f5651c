//! Case-file audits through the app's public interface, on both engines: a sample drawn by
//! criteria, a file opened for its audit (audited as such), graded, moderated by a second
//! auditor (never the first), an action that lands on the worker's task list, the themes, and
//! the refusals, each audited.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Datelike, Duration, Utc};
use hearth_app::quality::{ActionForm, GradeForm, ModerationForm, SampleForm};
use hearth_app::{AppError, Hearth, Origin, Store};
use hearth_domain::quality::{Grade, Stage};
use hearth_domain::task::TaskKind;
use hearth_testkit::app::{actor, hearth};
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

/// Open case files of every team that started in the last month, the latest first.
fn sample(how: &str, seed: &str) -> SampleForm {
    let today = Utc::now().date_naive();
    let from = today - Duration::days(30);
    SampleForm {
        state: "open".into(),
        from_day: from.day().to_string(),
        from_month: from.month().to_string(),
        from_year: from.year().to_string(),
        to_day: today.day().to_string(),
        to_month: today.month().to_string(),
        to_year: today.year().to_string(),
        size: "5".into(),
        how: how.into(),
        seed: seed.into(),
        ..SampleForm::default()
    }
}

/// Every question of the form answered `grade`, with the auditor's comments.
async fn graded(h: &Hearth, grade: Grade, last: Grade) -> GradeForm {
    let desk = actor(h, "quality@demo.hearth.test").await;
    let d = h.quality_desk(&desk).await.unwrap();
    let file = h.case_file(&desk, d.audits[0].id).await.unwrap();
    let mut form = GradeForm::new();
    let n = file.questions.len();
    for (i, q) in file.questions.iter().enumerate() {
        let g = if i + 1 == n { last } else { grade };
        form.insert(format!("grade_{}", q.id), g.code().into());
        form.insert(format!("comment_{}", q.id), "Seen in the notes".into());
    }
    form.insert(
        "comments".into(),
        "A caring file; the plan lacks dates".into(),
    );
    form
}

both_engines!(
    a_manager_audits_a_case_file_a_second_auditor_moderates_and_the_worker_gets_the_action,
    |store| async move {
        let h = hearth(store.clone()).await;
        let family = Family::new("Quartermain")
            .child("Ivy", "03/04/2015")
            .need("housing")
            .targeted(&h, Origin::default())
            .await;
        let manager = family.manager.clone();
        let auditor = actor(&h, "quality@demo.hearth.test").await;

        let (_, drawn) = h
            .draw_sample(&manager, &sample("latest", ""))
            .await
            .unwrap();
        assert_eq!(drawn, 1);
        assert_eq!(events(&store, "case_audit_sample_drawn").await, 1);
        // The file is waiting in the sample, so a second draw finds nothing to audit.
        assert!(matches!(
            h.draw_sample(&manager, &sample("random", "7")).await,
            Err(AppError::Invalid(_))
        ));

        let desk = h.quality_desk(&manager).await.unwrap();
        assert_eq!(desk.audits.len(), 1);
        let line = desk.audits[0].clone();
        assert_eq!(
            (line.stage, line.grade, line.closed),
            (Stage::Drawn, None, false)
        );
        assert_eq!(line.team.as_deref(), Some("Targeted Family Help core team"));

        let opened_before = events(&store, "case_file_opened_for_audit").await;
        let file = h.case_file(&manager, line.id).await.unwrap();
        assert_eq!(file.episode.id, family.episode);
        assert!(file.family.iter().any(|(_, n)| n == "Ivy Quartermain"));
        assert_eq!(file.questions.len(), 5);
        assert_eq!(
            events(&store, "case_file_opened_for_audit").await,
            opened_before + 1
        );

        // A question left ungraded is named; nothing is saved.
        let mut partial = graded(&h, Grade::Good, Grade::Good).await;
        partial.remove("grade_plan");
        match h.grade_case_file(&manager, line.id, &partial).await {
            Err(AppError::Invalid(errors)) => assert!(errors.get("grade_plan").is_some()),
            other => panic!("{other:?}"),
        }
        // Four outstanding answers and one inadequate: the file requires improvement.
        let form = graded(&h, Grade::Outstanding, Grade::Inadequate).await;
        assert_eq!(
            h.grade_case_file(&manager, line.id, &form).await.unwrap(),
            Grade::RequiresImprovement
        );
        // Graded once: grading again is a conflict, not a second grade.
        assert!(matches!(
            h.grade_case_file(&auditor, line.id, &form).await,
            Err(AppError::Conflict)
        ));

        // The first auditor cannot moderate their own grade: refused, and audited.
        let refused = events(&store, "access_denied").await;
        let version = h.case_file(&manager, line.id).await.unwrap().audit.version;
        let agree = ModerationForm {
            grade: "agree".into(),
            reasons: String::new(),
            version: version.to_string(),
        };
        assert!(matches!(
            h.moderate_case_file(&manager, line.id, &agree).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(events(&store, "access_denied").await, refused + 1);

        // A second auditor changes the grade only with reasons.
        let mut change = ModerationForm {
            grade: Grade::Inadequate.code().into(),
            reasons: " ".into(),
            version: version.to_string(),
        };
        match h.moderate_case_file(&auditor, line.id, &change).await {
            Err(AppError::Invalid(errors)) => assert!(errors.get("reasons").is_some()),
            other => panic!("{other:?}"),
        }
        change.reasons = "No plan was agreed with the family for four months".into();
        assert_eq!(
            h.moderate_case_file(&auditor, line.id, &change)
                .await
                .unwrap(),
            Grade::Inadequate
        );
        assert_eq!(events(&store, "case_audit_moderated").await, 1);
        let file = h.case_file(&auditor, line.id).await.unwrap();
        assert_eq!(file.audit.stage, Stage::Moderated);
        assert_eq!(file.audit.grade, Some(Grade::RequiresImprovement));
        assert_eq!(file.audit.moderated_grade, Some(Grade::Inadequate));

        // An action back to the worker, with a due date, is a task on their list.
        let due = Utc::now().date_naive() + Duration::days(14);
        let past = Utc::now().date_naive() - Duration::days(1);
        let action = |d: chrono::NaiveDate| ActionForm {
            what: "Agree a dated plan with the family".into(),
            due_day: d.day().to_string(),
            due_month: d.month().to_string(),
            due_year: d.year().to_string(),
        };
        match h.set_audit_action(&auditor, line.id, &action(past)).await {
            Err(AppError::Invalid(errors)) => assert!(errors.get("due").is_some()),
            other => panic!("{other:?}"),
        }
        h.set_audit_action(&auditor, line.id, &action(due))
            .await
            .unwrap();
        assert_eq!(events(&store, "case_audit_action_set").await, 1);
        let work = h.my_work(&family.worker).await.unwrap();
        let task = work
            .tasks
            .iter()
            .find(|t| t.task.kind == TaskKind::QualityAction)
            .unwrap();
        assert_eq!(
            (task.task.episode_id, task.task.due_on),
            (Some(family.episode), due)
        );
        let file = h.case_file(&manager, line.id).await.unwrap();
        assert_eq!(file.actions.len(), 1);
        assert_eq!(file.actions[0].worker.as_deref(), Some("Wren Worker"));
        assert!(!file.actions[0].done);
        // Only the worker marks it done, from their own list; anyone else finds nothing.
        assert!(matches!(
            h.complete_audit_action(&manager, task.task.id).await,
            Err(AppError::NotFound)
        ));
        h.complete_audit_action(&family.worker, task.task.id)
            .await
            .unwrap();
        assert_eq!(events(&store, "case_audit_action_done").await, 1);
        assert!(matches!(
            h.complete_audit_action(&family.worker, task.task.id).await,
            Err(AppError::NotFound)
        ));
        let file = h.case_file(&manager, line.id).await.unwrap();
        assert!(file.actions[0].done);

        // The themes count the file once, with the moderated grade, by team and by question.
        let today = Utc::now().date_naive();
        let themes = h
            .quality_themes(&auditor, today - Duration::days(1), today)
            .await
            .unwrap();
        assert_eq!(themes.files, 1);
        assert_eq!(
            themes.by_team,
            vec![("Targeted Family Help core team".to_string(), [0, 0, 0, 1])]
        );
        assert_eq!(themes.by_question.len(), 5);
        assert_eq!(themes.by_question[0].1, [1, 0, 0, 0]);
    }
);

both_engines!(
    those_who_do_not_audit_case_files_are_refused_and_the_refusals_audited,
    |store| async move {
        let h = hearth(store.clone()).await;
        let family = Family::new("Redfern")
            .child("Otto", "05/06/2014")
            .need("housing")
            .targeted(&h, Origin::default())
            .await;
        // A family with a restricted record is never drawn: it opens only with a reason.
        let lead = actor(&h, "lead@demo.hearth.test").await;
        Family::new("Hollis")
            .child("Ada", "02/03/2017")
            .restricted("Fled domestic abuse", &["team_manager"])
            .need("housing")
            .early_help(&h, &lead, "School knows the family best")
            .await;
        let (_, drawn) = h
            .draw_sample(&family.manager, &sample("random", "42"))
            .await
            .unwrap();
        assert_eq!(drawn, 1);
        let audit = h.quality_desk(&family.manager).await.unwrap().audits[0].id;
        let refused = events(&store, "access_denied").await;
        // The family's own worker, an analyst (figures, not files) and the administrator.
        for who in [
            "worker@demo.hearth.test",
            "analyst@demo.hearth.test",
            "admin@demo.hearth.test",
        ] {
            let a = actor(&h, who).await;
            assert!(
                matches!(h.quality_desk(&a).await, Err(AppError::Forbidden(_))),
                "{who}"
            );
            assert!(
                matches!(h.case_file(&a, audit).await, Err(AppError::Forbidden(_))),
                "{who}"
            );
            assert!(matches!(
                h.draw_sample(&a, &sample("latest", "")).await,
                Err(AppError::Forbidden(_))
            ));
        }
        assert_eq!(events(&store, "access_denied").await, refused + 9);
        assert_eq!(events(&store, "case_file_opened_for_audit").await, 0);
        // An audit that does not exist opens nothing.
        let auditor = actor(&h, "quality@demo.hearth.test").await;
        assert!(matches!(
            h.case_file(&auditor, hearth_domain::ids::CaseAuditId::new())
                .await,
            Err(AppError::NotFound)
        ));
        // The manager leads a file themselves: they may not audit it (refused, audited).
        let file = h.case_file(&auditor, audit).await.unwrap();
        h.allocate(
            &family.manager,
            family.episode,
            &hearth_app::episodes::AllocationForm {
                lead_user_id: family.manager.user_id.to_string(),
                reason: "Covering while Wren is away".into(),
                version: file.episode.version,
            },
        )
        .await
        .unwrap();
        let refused = events(&store, "access_denied").await;
        assert!(matches!(
            h.case_file(&family.manager, audit).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(events(&store, "access_denied").await, refused + 1);
        // A random draw records its seed with the sample.
        let mut conn = store.read().await.unwrap();
        let seed: Option<String> = sqlx::query_scalar("SELECT seed FROM audit_samples")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(seed.as_deref(), Some("42"));
    }
);
