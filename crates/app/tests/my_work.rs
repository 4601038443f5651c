//! *My work* on both engines: a partner practitioner in a family's Team Around the Family sees
//! that family, and every task and action names its family, but only a family the gate lets
//! the user see.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Duration, Utc};
use hearth_app::episodes::plan::{ActionForm, OutcomeForm, PlanForm};
use hearth_app::episodes::MemberForm;
use hearth_testkit::app::{actor, hearth, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;

fn uk(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

both_engines!(
    a_taf_member_sees_the_family_and_their_actions_named_until_they_leave,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let opened = Family::new("Quenby")
            .child("Mia", &years_ago(8))
            .parent("Grace", &years_ago(35))
            .need("education")
            .early_help(&h, &lead, "School asked for help with attendance.")
            .await;
        let health = actor(&h, "practitioner@demo.hearth.test").await;
        let before = h.my_work(&health).await.unwrap();
        assert!(before.taf.is_empty() && before.caseload.is_empty());

        h.add_taf_member(
            &lead,
            opened.episode,
            &MemberForm {
                user_id: health.user_id.to_string(),
                role: "School nurse".into(),
                ..MemberForm::default()
            },
        )
        .await
        .unwrap();
        let due = Utc::now().date_naive() + Duration::days(3);
        h.save_plan(
            &lead,
            opened.episode,
            &PlanForm {
                outcomes: vec![OutcomeForm {
                    id: String::new(),
                    text: "Mia is at school every day".into(),
                    needs: vec!["education".into()],
                }],
                actions: vec![ActionForm {
                    outcome: "0".into(),
                    what: "Check Mia's hearing".into(),
                    owner: format!("user:{}", health.user_id),
                    due_on: uk(due),
                    ..ActionForm::default()
                }],
                ..PlanForm::default()
            },
        )
        .await
        .unwrap();

        let work = h.my_work(&health).await.unwrap();
        assert!(work.caseload.is_empty(), "the nurse leads no family");
        assert_eq!(work.taf.len(), 1);
        assert_eq!(work.taf[0].episode.id, opened.episode);
        assert!(work.taf[0].family.contains("Mia Quenby"));
        let action = work
            .due
            .iter()
            .find(|d| d.what == "Action: Check Mia's hearing")
            .expect("the nurse's action");
        assert!(action.family.contains("Quenby"));
        // The review is theirs to come to; the assessment is the lead's.
        assert!(work
            .due
            .iter()
            .any(|d| d.what == "Team Around the Family review" && d.family.contains("Quenby")));
        assert!(!work.due.iter().any(|d| d.what == "Whole-family assessment"));

        // Once they leave, neither the family nor the action's words reach them.
        let member = h
            .episode(&lead, opened.episode)
            .await
            .unwrap()
            .members
            .into_iter()
            .find(|m| m.user_id == Some(health.user_id))
            .unwrap()
            .id;
        h.leave_taf(&lead, opened.episode, &member, "School term ended")
            .await
            .unwrap();
        let after = h.my_work(&health).await.unwrap();
        assert!(after.taf.is_empty());
        assert!(!after.due.iter().any(|d| d.what.contains("hearing")));
    }
);

both_engines!(
    a_managers_tasks_name_the_family_they_are_about,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        Family::new("Quenby")
            .child("Mia", &years_ago(12))
            .need("family_relationships")
            .urgency("soon")
            .targeted(&h, hearth_app::Origin::default())
            .await;
        // A second family is asked for and decided, so an allocation task waits.
        let (_, request) = Family::new("Ravenscroft")
            .child("Leo", &years_ago(13))
            .need("family_relationships")
            .ask(&h, &lead)
            .await;
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        h.decide_request(
            &officer,
            request,
            &hearth_app::front_door::DecisionForm {
                level: "3".into(),
                outcome: "targeted".into(),
                rationale: "Arguments at home need a family help worker.".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let manager = actor(&h, "manager@demo.hearth.test").await;
        let work = h.my_work(&manager).await.unwrap();
        let allocate = work
            .tasks
            .iter()
            .find(|t| t.task.kind == hearth_domain::task::TaskKind::Allocate)
            .expect("an allocation task");
        assert!(allocate
            .family
            .as_deref()
            .is_some_and(|f| f.contains("Leo Ravenscroft")));

        // A user with no part in the family sees no name, even on a task for them.
        let dpo = actor(&h, "dpo@demo.hearth.test").await;
        assert!(h
            .my_work(&dpo)
            .await
            .unwrap()
            .tasks
            .iter()
            .all(|t| t.family.is_none()));
    }
);
