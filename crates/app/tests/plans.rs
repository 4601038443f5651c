//! The work of an episode through the app's public interface, on both engines: the
//! assessment and its sign-off, the family plan with its versions and conflicts, reviews,
//! and the closure rule about open actions.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Duration, Utc};
use hearth_app::directory::service_requests::ServiceRequestForm;
use hearth_app::episodes::assessment::{AssessmentEdit, AssessmentForm, EntryForm};
use hearth_app::episodes::feedback::FeedbackForm;
use hearth_app::episodes::plan::{ActionForm, ActionUpdateForm, OutcomeForm, PlanEdit, PlanForm};
use hearth_app::episodes::review::{ReviewEdit, ReviewForm};
use hearth_app::episodes::ClosureForm;
use hearth_app::records::AuditQuery;
use hearth_app::{Actor, AppError, Hearth, Origin};
use hearth_domain::audit::AuditAction;
use hearth_domain::episode::Due;
use hearth_domain::feedback::LinkProblem;
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::need::NeedDomain;
use hearth_domain::plan::{AssessmentStatus, Tenths};
use hearth_store::{Store, StoreError};
use hearth_testkit::app::{actor_from, hearth_with_clock, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes;

/// Where the tests' staff sign in from.
fn origin() -> Origin {
    Origin {
        ip: Some("192.0.2.1".into()),
        user_agent: None,
    }
}

async fn actor(h: &Hearth, email: &str) -> Actor {
    actor_from(h, email, origin()).await
}

fn uk(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

struct Family {
    episode: EpisodeId,
    child: PersonId,
    mother: PersonId,
    lead: Actor,
    worker: Actor,
    manager: Actor,
}

/// A school asks for help, the front door opens Targeted Family Help and the team manager
/// allocates the Family Help Worker.
async fn open_episode(h: &Hearth) -> Family {
    let t = episodes::Family::new("Brennan")
        .child("Kayla", &years_ago(14))
        .parent("Donna", &years_ago(38))
        .need("family_relationships")
        .detail("family_relationships", "Arguments at home")
        .told("Mum asked for help")
        .urgency("soon")
        .targeted(h, origin())
        .await;
    Family {
        episode: t.episode,
        child: t.people[0],
        mother: t.people[1],
        lead: t.lead,
        worker: t.worker,
        manager: t.manager,
    }
}

fn invalid(e: AppError) -> hearth_domain::input::FieldErrors {
    match e {
        AppError::Invalid(f) => f,
        other => panic!("expected field errors, got {other:?}"),
    }
}

both_engines!(
    an_assessment_is_saved_submitted_and_signed_off,
    |store| async move {
        let (h, _) = hearth_with_clock(store).await;
        let f = open_episode(&h).await;
        let view = h.assessment(&f.worker, f.episode).await.unwrap();
        assert!(view.assessment.is_none());
        let started = view.episode.started_on;
        assert_eq!(view.due_on, started + Duration::days(45));

        let mut form = AssessmentForm {
            child_voice: "I want us to stop shouting".into(),
            parent_voice: "I need help with her staying out".into(),
            ..AssessmentForm::default()
        };
        form.entries.insert(
            (f.child.to_string(), "family_relationships".into()),
            EntryForm {
                identified: false,
                strengths: "Loves her little brother".into(),
                needs: "Calmer evenings".into(),
                risks: String::new(),
                scale: "11".into(),
            },
        );
        let errors = invalid(
            h.save_assessment(&f.worker, f.episode, &form)
                .await
                .unwrap_err(),
        );
        assert_eq!(
            errors.get(&format!("entry.{}.family_relationships.scale", f.child)),
            Some(
                "Kayla Brennan, “improved family relationships”: enter a whole number from 0 to 10"
            ),
            "the error names whose need it is, and which"
        );
        form.entries.values_mut().for_each(|e| e.scale = "3".into());
        assert!(matches!(
            h.save_assessment(&f.worker, f.episode, &form)
                .await
                .unwrap(),
            AssessmentEdit::Saved
        ));
        let a = h
            .assessment(&f.worker, f.episode)
            .await
            .unwrap()
            .assessment
            .unwrap();
        assert_eq!(a.fields.entries[0].scale, Some(3));

        // The worker who wrote it may not sign it off.
        assert!(matches!(
            h.sign_off_assessment(
                &f.worker,
                f.episode,
                &hearth_app::episodes::SignOff::Approve,
                a.version
            )
            .await,
            Err(AppError::Forbidden(_))
        ));
        h.submit_assessment(&f.worker, f.episode, a.version)
            .await
            .unwrap();
        let a = h
            .assessment(&f.manager, f.episode)
            .await
            .unwrap()
            .assessment
            .unwrap();
        assert_eq!(a.status, AssessmentStatus::Submitted);
        h.sign_off_assessment(
            &f.manager,
            f.episode,
            &hearth_app::episodes::SignOff::Approve,
            a.version,
        )
        .await
        .unwrap();
        let v = h.assessment(&f.worker, f.episode).await.unwrap();
        assert_eq!(v.assessment.unwrap().status, AssessmentStatus::SignedOff);
        assert_eq!(v.due, None, "a signed-off assessment is no longer due");
    }
);

both_engines!(
    two_people_editing_the_assessment_lose_nothing,
    |store| async move {
        let (h, _) = hearth_with_clock(store).await;
        let f = open_episode(&h).await;
        let first = AssessmentForm {
            child_voice: "First".into(),
            ..AssessmentForm::default()
        };
        h.save_assessment(&f.worker, f.episode, &first)
            .await
            .unwrap();
        let v = h
            .assessment(&f.worker, f.episode)
            .await
            .unwrap()
            .assessment
            .unwrap()
            .version;
        let mine = AssessmentForm {
            child_voice: "Worker's words".into(),
            version: v,
            ..AssessmentForm::default()
        };
        let theirs = AssessmentForm {
            child_voice: "Manager's words".into(),
            version: v,
            ..AssessmentForm::default()
        };
        assert!(matches!(
            h.save_assessment(&f.worker, f.episode, &mine)
                .await
                .unwrap(),
            AssessmentEdit::Saved
        ));
        match h
            .save_assessment(&f.manager, f.episode, &theirs)
            .await
            .unwrap()
        {
            AssessmentEdit::Conflict(c) => {
                assert_eq!(c.saved.fields.child_voice, "Worker's words");
                assert_eq!(c.yours.child_voice, "Manager's words");
            }
            AssessmentEdit::Saved => panic!("the second save must be refused"),
        }
    }
);

fn plan_form(f: &Family, due: chrono::NaiveDate) -> PlanForm {
    PlanForm {
        outcomes: vec![OutcomeForm {
            id: String::new(),
            text: "We want to eat tea together without rows".into(),
            needs: vec!["family_relationships".into()],
        }],
        actions: vec![
            ActionForm {
                outcome: "0".into(),
                what: "Family meal on Sundays".into(),
                owner: format!("person:{}", f.mother),
                due_on: uk(due),
                ..ActionForm::default()
            },
            ActionForm {
                outcome: "0".into(),
                what: "Refer to parenting course".into(),
                owner: format!("user:{}", f.worker.user_id),
                due_on: uk(due),
                ..ActionForm::default()
            },
        ],
        directory_services: Vec::new(),
        directory_services_for: Vec::new(),
        services: "Parenting course at Bestwood Family Hub\n".into(),
        agreed: "yes".into(),
        agreed_on: uk(due - Duration::days(14)),
        agreed_by: "Donna and Kayla".into(),
        version: 0,
    }
}

both_engines!(
    the_plan_keeps_versions_and_refuses_an_out_of_date_save,
    |store| async move {
        let (h, _) = hearth_with_clock(store).await;
        let f = open_episode(&h).await;
        let today = Utc::now().date_naive();
        let form = plan_form(&f, today + Duration::days(14));
        assert!(matches!(
            h.save_plan(&f.worker, f.episode, &form).await.unwrap(),
            PlanEdit::Saved { version: 1 }
        ));
        let view = h.plan(&f.worker, f.episode).await.unwrap();
        let plan = view.plan.unwrap();
        assert_eq!(plan.version, 1);
        assert_eq!(plan.fields.actions.len(), 2);
        assert_eq!(
            plan.fields.services,
            vec!["Parenting course at Bestwood Family Hub"]
        );
        assert!(plan.fields.agreed_with_family);

        // Two people open version 1; the first saves, the second is refused with both versions.
        let mut worker_edit = PlanForm::from_plan(&plan);
        let mut manager_edit = PlanForm::from_plan(&plan);
        worker_edit.services = "Parenting course\nYoung carers group".into();
        manager_edit.outcomes[0].text = "Tea together, calmly".into();
        assert!(matches!(
            h.save_plan(&f.worker, f.episode, &worker_edit)
                .await
                .unwrap(),
            PlanEdit::Saved { version: 2 }
        ));
        match h
            .save_plan(&f.manager, f.episode, &manager_edit)
            .await
            .unwrap()
        {
            PlanEdit::Conflict(c) => {
                assert_eq!(c.saved.version, 2);
                assert_eq!(c.saved.fields.services.len(), 2);
                assert_eq!(c.yours.outcomes[0].text, "Tea together, calmly");
            }
            PlanEdit::Saved { .. } => panic!("the second save must be refused"),
        }
        let view = h.plan(&f.worker, f.episode).await.unwrap();
        assert_eq!(view.versions.len(), 2, "every saved version is kept");
        assert_eq!(view.versions[1].fields.services.len(), 1);

        // A TAF member from another agency (the school) updates an action.
        let action = view.plan.as_ref().unwrap().fields.actions[1].id.clone();
        h.update_action(
            &f.lead,
            f.episode,
            &action,
            &ActionUpdateForm {
                status: "in_progress".into(),
                note: "Booked on the April course".into(),
            },
        )
        .await
        .unwrap();
        let view = h.plan(&f.worker, f.episode).await.unwrap();
        assert_eq!(view.updates.len(), 1);
        assert_eq!(view.updates[0].by_name, "Lee Lead");
        assert_eq!(
            view.plan.unwrap().fields.actions[1].status,
            hearth_domain::plan::ActionStatus::InProgress
        );
    }
);

both_engines!(bad_plan_input_is_refused_at_the_field, |store| async move {
    let (h, _) = hearth_with_clock(store).await;
    let f = open_episode(&h).await;
    let today = Utc::now().date_naive();
    let mut form = plan_form(&f, today + Duration::days(14));
    form.actions[0].owner = String::new();
    form.actions[1].due_on = uk(today + Duration::days(365 * 5));
    let errors = invalid(h.save_plan(&f.worker, f.episode, &form).await.unwrap_err());
    assert_eq!(
        errors.get("action.0.owner"),
        Some("Choose who will do action 1: someone in the Team Around the Family or in the family")
    );
    assert_eq!(
        errors.get("action.1.due_on"),
        Some("The date action 2 will be done by must be within the next two years")
    );
    assert!(
        errors.get("outcome.0.text").is_none(),
        "other input is fine"
    );
    assert!(h.plan(&f.worker, f.episode).await.unwrap().plan.is_none());
});

both_engines!(reviews_check_dates_and_fall_due, |store| async move {
    let (h, clock) = hearth_with_clock(store).await;
    let f = open_episode(&h).await;
    let started = Utc::now().date_naive();
    h.save_plan(
        &f.worker,
        f.episode,
        &plan_form(&f, started + Duration::days(14)),
    )
    .await
    .unwrap();
    let outcome = h
        .plan(&f.worker, f.episode)
        .await
        .unwrap()
        .plan
        .unwrap()
        .fields
        .outcomes[0]
        .id
        .clone();
    let mut form = ReviewForm {
        held_on: uk(started - Duration::days(3)),
        attendees: "Donna, Kayla, Wren".into(),
        decisions: "Keep going".into(),
        ..ReviewForm::default()
    };
    form.progress
        .insert(outcome.clone(), ("4".into(), "Fewer rows".into()));
    let errors = invalid(
        h.record_review(&f.worker, f.episode, &form)
            .await
            .unwrap_err(),
    );
    assert!(errors
        .get("held_on")
        .unwrap()
        .starts_with("The review date must be on or after the episode began"));

    // Eight weeks on the first review (due at six weeks) is overdue.
    *clock.lock().unwrap() += Duration::weeks(8);
    let view = h.plan(&f.worker, f.episode).await.unwrap();
    assert_eq!(view.review_due, Some(Due::Overdue(14)));
    let a = h.assessment(&f.worker, f.episode).await.unwrap();
    assert!(
        a.due.unwrap().is_overdue(),
        "the assessment was due after 45 days"
    );

    form.held_on = uk(started + Duration::weeks(8));
    h.record_review(&f.worker, f.episode, &form).await.unwrap();
    let view = h.plan(&f.worker, f.episode).await.unwrap();
    assert_eq!(view.next_review_on, started + Duration::weeks(14));
    assert_eq!(view.review_due, Some(Due::Later(42)));
    form.held_on = uk(started + Duration::weeks(8));
    form.progress
        .insert(outcome.clone(), ("7".into(), String::new()));
    h.record_review(&f.worker, f.episode, &form).await.unwrap();
    let view = h.plan(&f.worker, f.episode).await.unwrap();
    assert_eq!(view.distance[0].first, 4);
    assert_eq!(view.distance[0].latest, 7);
});

both_engines!(closing_with_open_actions_is_refused, |store| async move {
    let (h, _) = hearth_with_clock(store).await;
    let f = open_episode(&h).await;
    let today = Utc::now().date_naive();
    h.save_plan(
        &f.worker,
        f.episode,
        &plan_form(&f, today + Duration::days(14)),
    )
    .await
    .unwrap();
    let e = h.episode(&f.worker, f.episode).await.unwrap().episode;
    let closure = ClosureForm::from_pairs(&[
        ("reason".into(), "outcomes_met".into()),
        ("summary".into(), "Things are calmer".into()),
        ("result_family_relationships".into(), "achieved".into()),
        ("version".into(), e.version.to_string()),
    ]);
    let errors = invalid(
        h.record_closure(&f.worker, f.episode, &closure)
            .await
            .unwrap_err(),
    );
    assert_eq!(
        errors.get("reason"),
        Some(
            "Finish or drop the open actions before closing: “Family meal on Sundays”, “Refer to parenting course”"
        )
    );
    let plan = h.plan(&f.worker, f.episode).await.unwrap().plan.unwrap();
    for a in &plan.fields.actions {
        h.update_action(
            &f.worker,
            f.episode,
            &a.id,
            &ActionUpdateForm {
                status: "done".into(),
                note: "Done".into(),
            },
        )
        .await
        .unwrap();
    }
    h.record_closure(&f.worker, f.episode, &closure)
        .await
        .unwrap();
});

both_engines!(
    the_plan_names_directory_services_and_shows_where_requests_stand,
    |store| async move {
        let (h, _) = hearth_with_clock(store).await;
        let f = open_episode(&h).await;
        let today = Utc::now().date_naive();
        let view = h.plan(&f.worker, f.episode).await.unwrap();
        let visiting = view
            .service_choices
            .iter()
            .find(|c| c.name == "Family Friends home visiting")
            .unwrap()
            .clone();
        // Something not in the directory is refused at its row; the rest is kept.
        let mut form = plan_form(&f, today + Duration::days(14));
        form.directory_services = vec!["not-a-service".into()];
        match h.save_plan(&f.worker, f.episode, &form).await {
            Err(AppError::Invalid(e)) => {
                assert!(e.get("directory_service.0").is_some());
                assert!(e.get("services").is_none());
            }
            other => panic!("{other:?}"),
        }
        // Chosen twice (and a blank row) refers the family to it once.
        form.directory_services = vec![
            visiting.id.to_string(),
            String::new(),
            visiting.id.to_string(),
        ];
        assert!(matches!(
            h.save_plan(&f.worker, f.episode, &form).await.unwrap(),
            PlanEdit::Saved { version: 1 }
        ));
        let view = h.plan(&f.worker, f.episode).await.unwrap();
        let plan = view.plan.clone().unwrap();
        assert_eq!(plan.fields.directory_services.len(), 1);
        assert_eq!(plan.fields.directory_services[0].service_id, visiting.id);
        assert_eq!(
            plan.fields.services,
            vec!["Parenting course at Bestwood Family Hub".to_string()]
        );
        let names: Vec<&str> = view.services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Family Friends home visiting",
                "Parenting course at Bestwood Family Hub"
            ]
        );
        assert!(view.services[0].requests.is_empty());
        // The form for the next edit starts from what was chosen.
        let again = PlanForm::from_plan(&plan);
        assert_eq!(again.directory_services, vec![visiting.id.to_string()]);

        // The worker asks the service to help; the plan shows it sent, opened, then declined.
        let request = h
            .request_service(
                &f.worker,
                f.mother,
                &ServiceRequestForm {
                    service: visiting.id.to_string(),
                    reason: "Isolated since the move; would value a befriender.".into(),
                    consent: "yes".into(),
                    consent_given_by: "Donna (mother)".into(),
                    contact_preference: "letter".into(),
                    contact_detail: String::new(),
                },
            )
            .await
            .unwrap();
        let standing = |v: &hearth_app::episodes::plan::PlanView| {
            hearth_app::episodes::plan_services::request_standing(&v.services[0].requests[0])
        };
        let view = h.plan(&f.worker, f.episode).await.unwrap();
        assert_eq!(view.services[0].requests.len(), 1);
        assert!(
            standing(&view).starts_with("Sent on"),
            "{}",
            standing(&view)
        );
        let kit = actor(&h, "vcs-worker@demo.hearth.test").await;
        let (r, _) = h.service_request(&kit, request).await.unwrap();
        let view = h.plan(&f.worker, f.episode).await.unwrap();
        assert!(standing(&view).starts_with("Opened by the service"));
        h.answer_service_request(
            &kit,
            request,
            Some(false),
            "Our volunteers are full until spring; try Home-Start.",
            r.version,
        )
        .await
        .unwrap();
        let view = h.plan(&f.worker, f.episode).await.unwrap();
        assert!(standing(&view).starts_with("Declined"));
        assert!(standing(&view).ends_with("Our volunteers are full until spring; try Home-Start."));
        assert!(view.other_requests.is_empty());
        // A request to a service the plan does not name is still shown, apart.
        let other = h
            .requestable_services()
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.id != visiting.id)
            .unwrap();
        h.request_service(
            &f.worker,
            f.child,
            &ServiceRequestForm {
                service: other.id.to_string(),
                reason: "Kayla wants something to do after school".into(),
                consent: "yes".into(),
                consent_given_by: "Donna (mother)".into(),
                contact_preference: "through_referrer".into(),
                contact_detail: String::new(),
            },
        )
        .await
        .unwrap();
        let view = h.plan(&f.worker, f.episode).await.unwrap();
        assert_eq!(view.services[0].requests.len(), 1);
        assert_eq!(view.other_requests.len(), 1);
        assert_eq!(view.other_requests[0].service_id, other.id);
    }
);

/// Records a review scoring the plan's first outcome; returns the outcome's id.
async fn review_scoring(h: &Hearth, f: &Family, held_on: chrono::NaiveDate, scale: &str) -> String {
    let outcome = h
        .plan(&f.worker, f.episode)
        .await
        .unwrap()
        .plan
        .unwrap()
        .fields
        .outcomes[0]
        .id
        .clone();
    let mut form = ReviewForm {
        held_on: uk(held_on),
        attendees: "Donna, Kayla, Wren".into(),
        decisions: "Keep going".into(),
        ..ReviewForm::default()
    };
    form.progress
        .insert(outcome.clone(), (scale.into(), String::new()));
    h.record_review(&f.worker, f.episode, &form).await.unwrap();
    outcome
}

/// Finishes every action and records the closure, ready for a manager's sign-off.
async fn close(h: &Hearth, f: &Family) {
    let plan = h.plan(&f.worker, f.episode).await.unwrap().plan.unwrap();
    for a in &plan.fields.actions {
        h.update_action(
            &f.worker,
            f.episode,
            &a.id,
            &ActionUpdateForm {
                status: "done".into(),
                note: "Done".into(),
            },
        )
        .await
        .unwrap();
    }
    let e = h.episode(&f.worker, f.episode).await.unwrap().episode;
    h.record_closure(
        &f.worker,
        f.episode,
        &ClosureForm::from_pairs(&[
            ("reason".into(), "outcomes_met".into()),
            ("summary".into(), "Things are calmer".into()),
            ("result_family_relationships".into(), "achieved".into()),
            ("version".into(), e.version.to_string()),
        ]),
    )
    .await
    .unwrap();
}

fn token(path: &str) -> String {
    path.strip_prefix("/feedback/").unwrap().to_string()
}

both_engines!(
    signing_off_a_closure_invites_the_family_to_give_feedback_once,
    |store| async move {
        let (h, clock) = hearth_with_clock(store).await;
        let f = open_episode(&h).await;
        let today = Utc::now().date_naive();
        h.save_plan(
            &f.worker,
            f.episode,
            &plan_form(&f, today + Duration::days(14)),
        )
        .await
        .unwrap();
        close(&h, &f).await;
        let v = h
            .episode(&f.manager, f.episode)
            .await
            .unwrap()
            .episode
            .version;
        // Sending the closure back needs a reason, and invites nobody.
        assert!(matches!(
            h.decide_closure(
                &f.manager,
                f.episode,
                &hearth_app::episodes::SignOff::SendBack { reason: String::new() },
                v
            )
            .await,
            Err(AppError::Invalid(e)) if e.get("send_back_reason").is_some()
        ));
        assert!(h
            .decide_closure(
                &f.manager,
                f.episode,
                &hearth_app::episodes::SignOff::SendBack {
                    reason: "The summary does not say what changed for Kayla.".into()
                },
                v
            )
            .await
            .unwrap()
            .is_none());
        let rework = |h: Hearth, who: Actor| async move {
            h.my_work(&who)
                .await
                .unwrap()
                .tasks
                .iter()
                .filter(|t| t.task.kind == hearth_domain::task::TaskKind::ReworkClosure)
                .count()
        };
        assert_eq!(
            rework(h.clone(), f.worker.clone()).await,
            1,
            "the lead reworks it"
        );
        close(&h, &f).await;
        assert_eq!(
            rework(h.clone(), f.worker.clone()).await,
            0,
            "recorded again: done"
        );
        let v = h
            .episode(&f.manager, f.episode)
            .await
            .unwrap()
            .episode
            .version;
        let link = h
            .decide_closure(
                &f.manager,
                f.episode,
                &hearth_app::episodes::SignOff::Approve,
                v,
            )
            .await
            .unwrap()
            .unwrap();
        let first = token(&link.path);
        assert_eq!(link.expires_at - h.now(), Duration::days(42));
        assert!(matches!(h.feedback_link(&first).await.unwrap(), Ok(())));
        assert!(matches!(
            h.feedback_link("not-a-token").await,
            Err(AppError::NotFound)
        ));
        let origin = Origin {
            ip: Some("198.51.100.7".into()),
            user_agent: None,
        };

        // Nothing chosen or said: asked again at the fields.
        let errors = invalid(
            h.give_feedback(&first, &FeedbackForm::default(), &origin)
                .await
                .unwrap_err(),
        );
        assert!(errors.get("rating").is_some());
        assert!(errors.get("what_changed").is_some());
        let errors = invalid(
            h.give_feedback(
                &first,
                &FeedbackForm {
                    rating: "9".into(),
                    what_changed: "We talk now".into(),
                    ..FeedbackForm::default()
                },
                &origin,
            )
            .await
            .unwrap_err(),
        );
        assert!(errors.get("rating").is_some());
        assert!(errors.get("what_changed").is_none());

        let answer = FeedbackForm {
            rating: "4".into(),
            what_changed: "We eat tea together and Kayla is home by ten.".into(),
            anything_else: String::new(),
        };
        assert!(matches!(
            h.give_feedback(&first, &answer, &origin).await.unwrap(),
            Ok(())
        ));
        // The link works once.
        assert_eq!(
            h.give_feedback(&first, &answer, &origin).await.unwrap(),
            Err(LinkProblem::Used)
        );
        let view = h.episode(&f.manager, f.episode).await.unwrap();
        assert_eq!(view.feedback.len(), 1);
        let given = view.feedback[0].answer.clone().unwrap();
        assert_eq!(given.rating, 4);
        assert_eq!(
            given.what_changed,
            "We eat tea together and Kayla is home by ten."
        );
        assert_eq!(given.anything_else, None);

        // The last lead makes a new link; making another replaces it; links expire.
        let second = token(
            &h.new_feedback_link(&f.worker, f.episode)
                .await
                .unwrap()
                .path,
        );
        let third = token(
            &h.new_feedback_link(&f.worker, f.episode)
                .await
                .unwrap()
                .path,
        );
        assert_eq!(
            h.feedback_link(&second).await.unwrap(),
            Err(LinkProblem::Expired)
        );
        assert_eq!(h.feedback_link(&third).await.unwrap(), Ok(()));
        assert_eq!(
            h.feedback_link(&first).await.unwrap(),
            Err(LinkProblem::Used),
            "an answered link is not withdrawn by a newer one"
        );
        *clock.lock().unwrap() += Duration::days(43);
        assert_eq!(
            h.give_feedback(&third, &answer, &origin).await.unwrap(),
            Err(LinkProblem::Expired)
        );
        // Someone outside the family's team cannot make one.
        let outsider = actor(&h, "practitioner@demo.hearth.test").await;
        assert!(matches!(
            h.new_feedback_link(&outsider, f.episode).await,
            Err(AppError::Forbidden(_))
        ));

        let events = h
            .search_audit(
                &actor(&h, "admin@demo.hearth.test").await,
                &AuditQuery {
                    record_id: Some(f.episode.to_string()),
                    ..AuditQuery::default()
                },
            )
            .await
            .unwrap();
        let count = |action| events.iter().filter(|e| e.action == action).count();
        assert_eq!(count(AuditAction::FeedbackInvited), 3);
        assert_eq!(count(AuditAction::FeedbackGiven), 1);
    }
);

/// An assessment scoring family relationships for each of `scores`, and a plan working on it.
async fn assessed_and_planned(h: &Hearth, f: &Family, scores: &[(PersonId, &str)]) {
    let mut form = AssessmentForm {
        child_voice: "I want us to stop shouting".into(),
        parent_voice: "I need help with her staying out".into(),
        ..AssessmentForm::default()
    };
    for (who, scale) in scores {
        form.entries.insert(
            (who.to_string(), "family_relationships".into()),
            EntryForm {
                identified: false,
                strengths: "They care about each other".into(),
                needs: "Calmer evenings".into(),
                risks: String::new(),
                scale: (*scale).into(),
            },
        );
    }
    h.save_assessment(&f.worker, f.episode, &form)
        .await
        .unwrap();
    let started = Utc::now().date_naive();
    h.save_plan(
        &f.worker,
        f.episode,
        &plan_form(f, started + Duration::days(14)),
    )
    .await
    .unwrap();
}

both_engines!(
    distance_travelled_per_need_runs_from_the_assessment_to_the_latest_review,
    |store| async move {
        let (h, clock) = hearth_with_clock(store).await;
        let f = open_episode(&h).await;
        let started = Utc::now().date_naive();
        assessed_and_planned(&h, &f, &[(f.child, "3"), (f.mother, "4")]).await;
        let before = h
            .episode(&f.worker, f.episode)
            .await
            .unwrap()
            .needs_progress;
        assert_eq!(before.len(), 1);
        assert_eq!(before[0].domain, NeedDomain::FamilyRelationships);
        assert_eq!(before[0].start_mean(), Some(Tenths(35)));
        assert_eq!(before[0].now, None, "no review yet");

        *clock.lock().unwrap() += Duration::weeks(12);
        review_scoring(&h, &f, started + Duration::weeks(6), "5").await;
        review_scoring(&h, &f, started + Duration::weeks(12), "8").await;
        // Both were recorded today; the chronology places each on the day it was held.
        let reviews: Vec<chrono::NaiveDate> = h
            .chronology(&f.worker, f.child, &["review".to_string()], None, 1, None)
            .await
            .unwrap()
            .entries
            .iter()
            .map(|e| e.occurred_on)
            .collect();
        assert_eq!(
            reviews,
            [started + Duration::weeks(12), started + Duration::weeks(6)]
        );
        for progress in [
            h.episode(&f.worker, f.episode)
                .await
                .unwrap()
                .needs_progress,
            h.plan(&f.worker, f.episode).await.unwrap().needs_progress,
        ] {
            let need = &progress[0];
            let names: Vec<&str> = need.start.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(names, ["Kayla Brennan", "Donna Brennan"]);
            assert_eq!(
                need.now,
                Some((started + Duration::weeks(12), Tenths(80))),
                "the latest review, not the first"
            );
            assert_eq!(need.travelled(), Some(45));
        }
    }
);

fn corrupt<T>(sql: &str, read: Result<T, AppError>) {
    match read {
        Err(AppError::Store(StoreError::Corrupt(_))) => {}
        Err(other) => panic!("{sql}: expected a corrupt-row error, got {other:?}"),
        Ok(_) => panic!("{sql}: read back as if nothing were wrong"),
    }
}

async fn run(store: &Store, sql: &str) {
    let mut tx = store.write().await.unwrap();
    sqlx::query(sql).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

both_engines!(
    an_assessment_plan_or_review_value_that_does_not_decode_is_an_error_not_a_default,
    |store| async move {
        let (h, _) = hearth_with_clock(store.clone()).await;
        let f = open_episode(&h).await;
        let started = Utc::now().date_naive();
        assessed_and_planned(&h, &f, &[(f.child, "3")]).await;
        review_scoring(&h, &f, started, "5").await;
        // Each stored value is spoiled, read, then put right before the next.
        let cases = [
            (
                "UPDATE assessment_entries SET domain = 'relationships'",
                "UPDATE assessment_entries SET domain = 'family_relationships'",
            ),
            (
                "UPDATE plan_outcome_needs SET domain = 'houses'",
                "UPDATE plan_outcome_needs SET domain = 'family_relationships'",
            ),
            (
                "UPDATE review_progress SET scale = 11",
                "UPDATE review_progress SET scale = 5",
            ),
            (
                "UPDATE assessment_entries SET scale = -1",
                "UPDATE assessment_entries SET scale = 3",
            ),
        ];
        for (sql, undo) in cases {
            run(&store, sql).await;
            if sql.contains("assessment_entries") {
                corrupt(sql, h.assessment(&f.worker, f.episode).await);
            }
            if sql.contains("plan_outcome_needs") {
                corrupt(sql, h.plan(&f.worker, f.episode).await);
            }
            corrupt(sql, h.episode(&f.worker, f.episode).await);
            run(&store, undo).await;
            let progress = h
                .episode(&f.worker, f.episode)
                .await
                .unwrap()
                .needs_progress;
            assert_eq!(progress[0].domain, NeedDomain::FamilyRelationships);
        }
        let plan = h.plan(&f.worker, f.episode).await.unwrap().plan.unwrap();
        assert_eq!(
            plan.fields.outcomes[0].needs,
            vec![NeedDomain::FamilyRelationships]
        );
    }
);

both_engines!(
    a_corrected_review_keeps_its_earlier_version_and_refuses_a_stale_save,
    |store| async move {
        let (h, clock) = hearth_with_clock(store).await;
        let f = open_episode(&h).await;
        let started = Utc::now().date_naive();
        h.save_plan(
            &f.worker,
            f.episode,
            &plan_form(&f, started + Duration::days(14)),
        )
        .await
        .unwrap();
        *clock.lock().unwrap() += Duration::weeks(6);
        let outcome = review_scoring(&h, &f, started + Duration::weeks(6), "5").await;
        let review = h.plan(&f.worker, f.episode).await.unwrap().reviews[0].clone();
        assert_eq!(review.version, 1);

        let edit = h
            .review_to_edit(&f.worker, f.episode, &review.id)
            .await
            .unwrap();
        assert!(edit.versions.is_empty());
        assert_eq!(edit.outcomes.len(), 1);
        let opened = ReviewForm::from_review(&edit.review);
        assert_eq!(opened.version, 1);
        assert_eq!(opened.progress[&outcome].0, "5");

        // A bad date is refused at its field and nothing is saved.
        let mut bad = opened.clone();
        bad.held_on = uk(started - Duration::days(1));
        let errors = invalid(
            h.edit_review(&f.worker, f.episode, &review.id, &bad)
                .await
                .unwrap_err(),
        );
        assert!(errors.get("held_on").is_some());

        let mut mine = opened.clone();
        mine.decisions = "Keep going; Dad to join the next review".into();
        mine.progress
            .insert(outcome.clone(), ("6".into(), "Calmer".into()));
        assert!(matches!(
            h.edit_review(&f.worker, f.episode, &review.id, &mine)
                .await
                .unwrap(),
            ReviewEdit::Saved { version: 2 }
        ));
        // The manager started from the same copy: refused, with both versions.
        let mut theirs = opened.clone();
        theirs.decisions = "Close at the next review".into();
        match h
            .edit_review(&f.manager, f.episode, &review.id, &theirs)
            .await
            .unwrap()
        {
            ReviewEdit::Conflict(c) => {
                assert_eq!(
                    c.saved.fields.decisions,
                    "Keep going; Dad to join the next review"
                );
                assert_eq!(c.saved.version, 2);
                assert_eq!(c.yours.decisions, "Close at the next review");
            }
            ReviewEdit::Saved { .. } => panic!("the second save must be refused"),
        }
        let view = h.plan(&f.worker, f.episode).await.unwrap();
        assert_eq!(view.reviews.len(), 1);
        assert_eq!(view.reviews[0].fields.progress[0].scale, 6);
        assert_eq!(view.distance[0].latest, 6);
        let edit = h
            .review_to_edit(&f.worker, f.episode, &review.id)
            .await
            .unwrap();
        assert_eq!(edit.versions.len(), 1);
        assert_eq!(edit.versions[0].version, 1);
        assert_eq!(edit.versions[0].fields.decisions, "Keep going");
        assert_eq!(edit.versions[0].fields.progress[0].scale, 5);
        assert_eq!(edit.versions[0].saved_by_name, review.recorded_by_name);
    }
);

both_engines!(
    two_people_updating_actions_at_once_both_succeed,
    |store| async move {
        // Found by the load test: an action update is made from no one's copy of the plan,
        // so a second update at the same moment must queue, not be refused as a conflict.
        let (h, _) = hearth_with_clock(store).await;
        let f = open_episode(&h).await;
        let today = Utc::now().date_naive();
        h.save_plan(
            &f.worker,
            f.episode,
            &plan_form(&f, today + Duration::days(14)),
        )
        .await
        .unwrap();
        let plan = h.plan(&f.worker, f.episode).await.unwrap().plan.unwrap();
        let (first, second) = (
            plan.fields.actions[0].id.clone(),
            plan.fields.actions[1].id.clone(),
        );
        let update = |note: &str| ActionUpdateForm {
            status: "in_progress".into(),
            note: note.into(),
        };
        let (started, booked, confirmed) =
            (update("Started"), update("Booked"), update("Confirmed"));
        let (a, b, c) = tokio::join!(
            h.update_action(&f.worker, f.episode, &first, &started),
            h.update_action(&f.lead, f.episode, &second, &booked),
            h.update_action(&f.worker, f.episode, &second, &confirmed),
        );
        assert!(a.is_ok() && b.is_ok() && c.is_ok(), "{a:?} {b:?} {c:?}");
        let view = h.plan(&f.worker, f.episode).await.unwrap();
        assert_eq!(view.updates.len(), 3, "every update is kept");
        assert_eq!(view.versions.len(), 4, "each update keeps a version");
    }
);

both_engines!(
    a_brief_assessment_extends_into_the_whole_family_one_without_losing_an_answer,
    |store| async move {
        let (h, _) = hearth_with_clock(store).await;
        let f = open_episode(&h).await;
        let e = h.episode(&f.manager, f.episode).await.unwrap().episode;
        h.set_route(&f.manager, f.episode, "brief", e.version)
            .await
            .unwrap();
        let view = h.assessment(&f.worker, f.episode).await.unwrap();
        assert_eq!(view.route(), hearth_domain::episode::Route::Brief);

        // The brief form: the family-level questions and the needs identified, no more.
        let mut form = AssessmentForm::from_pairs(&[
            ("going_well".into(), "Kayla is back at school".into()),
            ("worries".into(), "Rows most evenings".into()),
            ("child_voice".into(), "I want us to stop shouting".into()),
            ("parent_voice".into(), "We need help with evenings".into()),
            (
                format!("identified.{}", f.child),
                "family_relationships".into(),
            ),
            (format!("identified.{}", f.mother), "housing".into()),
            ("version".into(), "0".into()),
        ]);
        h.save_assessment(&f.worker, f.episode, &form)
            .await
            .unwrap();
        let brief = h
            .assessment(&f.worker, f.episode)
            .await
            .unwrap()
            .assessment
            .unwrap();
        assert_eq!(brief.route, hearth_domain::episode::Route::Brief);
        assert_eq!(brief.fields.entries.len(), 2, "needs identified are kept");

        // A brief assessment says what happens next before it goes for sign-off.
        let errors = invalid(
            h.submit_assessment(&f.worker, f.episode, brief.version)
                .await
                .unwrap_err(),
        );
        assert!(errors.get("next_step").is_some());
        form.next_step = "A family plan with the school".into();
        form.version = brief.version;
        h.save_assessment(&f.worker, f.episode, &form)
            .await
            .unwrap();
        let brief = h
            .assessment(&f.worker, f.episode)
            .await
            .unwrap()
            .assessment
            .unwrap();

        // Extended: the whole-family form, every answer carried over, nothing retyped.
        h.extend_assessment(&f.worker, f.episode, brief.version)
            .await
            .unwrap();
        let view = h.assessment(&f.worker, f.episode).await.unwrap();
        assert_eq!(view.route(), hearth_domain::episode::Route::Full);
        assert_eq!(view.episode.route, hearth_domain::episode::Route::Full);
        let full = view.assessment.unwrap();
        assert_eq!(full.status, AssessmentStatus::Draft);
        assert_eq!(full.fields, brief.fields);
        let mut carried = AssessmentForm::from_assessment(&full);
        let mut before = AssessmentForm::from_assessment(&brief);
        before.version = carried.version;
        assert_eq!(carried, before);

        // Saving the whole-family form with one need written up keeps the others.
        carried
            .entries
            .get_mut(&(f.child.to_string(), "family_relationships".to_string()))
            .unwrap()
            .strengths = "Loves her little brother".into();
        h.save_assessment(&f.worker, f.episode, &carried)
            .await
            .unwrap();
        let saved = h
            .assessment(&f.worker, f.episode)
            .await
            .unwrap()
            .assessment
            .unwrap();
        assert_eq!(saved.fields.entries.len(), 2);
        assert_eq!(saved.fields.going_well, "Kayla is back at school");
        assert_eq!(saved.fields.next_step, "A family plan with the school");
        h.submit_assessment(&f.worker, f.episode, saved.version)
            .await
            .unwrap();
        // Once extended there is nothing brief left to extend.
        let v = h.assessment(&f.worker, f.episode).await.unwrap();
        assert!(matches!(
            h.extend_assessment(&f.worker, f.episode, v.assessment.unwrap().version)
                .await,
            Err(AppError::Conflict)
        ));
    }
);

both_engines!(
    a_service_chosen_on_the_plan_is_asked_once_where_consent_allows,
    |store| async move {
        use hearth_app::episodes::plan_services::NotSent;
        let (h, _) = hearth_with_clock(store).await;
        let f = open_episode(&h).await;
        let today = Utc::now().date_naive();
        let view = h.plan(&f.worker, f.episode).await.unwrap();
        let visiting = view
            .service_choices
            .iter()
            .find(|c| c.name == "Family Friends home visiting")
            .unwrap()
            .clone();

        // Another family's person cannot be named on this plan.
        let other = episodes::Family::new("Marsh")
            .child("Ellis", &years_ago(9))
            .add(&h, &f.lead)
            .await;
        let mut form = plan_form(&f, today + Duration::days(14));
        form.directory_services = vec![visiting.id.to_string()];
        form.directory_services_for = vec![other[0].to_string()];
        let errors = invalid(h.save_plan(&f.worker, f.episode, &form).await.unwrap_err());
        assert!(errors.get("directory_service_for.0").is_some());

        // For the mother, without her consent naming the organisation: nothing is sent.
        form.directory_services_for = vec![f.mother.to_string()];
        h.save_plan(&f.worker, f.episode, &form).await.unwrap();
        let view = h.plan(&f.worker, f.episode).await.unwrap();
        assert!(view.services[0].requests.is_empty());
        assert_eq!(view.services[0].not_sent.len(), 1);
        let NotSent::NoConsent {
            person_id,
            organisation,
            ..
        } = &view.services[0].not_sent[0]
        else {
            panic!("{:?}", view.services[0].not_sent);
        };
        assert_eq!(*person_id, f.mother);
        assert!(view.services[0].not_sent[0]
            .describe()
            .starts_with("Not sent: Donna Brennan has not consented to share with"));
        // Consent to share with someone else does not cover it.
        let consent = |share_with: String| hearth_app::family::consent::ConsentForm {
            given_by: "Donna (mother)".into(),
            share_with,
            given_on: uk(today),
            expires_on: String::new(),
        };
        h.record_consent(&f.worker, f.mother, &consent("The school".into()))
            .await
            .unwrap();
        assert_eq!(h.send_plan_requests(&f.worker, f.episode).await.unwrap(), 0);

        // Consent recorded naming it: sent once, through the usual request, and audited.
        h.record_consent(
            &f.worker,
            f.mother,
            &consent(format!("The TAF and {organisation}")),
        )
        .await
        .unwrap();
        assert_eq!(h.send_plan_requests(&f.worker, f.episode).await.unwrap(), 1);
        let view = h.plan(&f.worker, f.episode).await.unwrap();
        assert_eq!(view.services[0].requests.len(), 1);
        assert!(view.services[0].not_sent.is_empty());
        assert_eq!(view.services[0].requests[0].person_id, f.mother);
        assert_eq!(
            view.services[0].requests[0].consent_given_by,
            "Donna (mother)"
        );

        // Saved again, and sent again: nothing goes twice.
        form = PlanForm::from_plan(view.plan.as_ref().unwrap());
        h.save_plan(&f.worker, f.episode, &form).await.unwrap();
        assert_eq!(h.send_plan_requests(&f.worker, f.episode).await.unwrap(), 0);
        let view = h.plan(&f.worker, f.episode).await.unwrap();
        assert_eq!(view.services[0].requests.len(), 1);

        // The service's organisation has it.
        let kit = actor(&h, "vcs-worker@demo.hearth.test").await;
        let received = h.service_requests_received(&kit).await.unwrap();
        assert!(received.iter().any(|r| r.person_id == f.mother));
        let events = h
            .search_audit(
                &actor(&h, "admin@demo.hearth.test").await,
                &AuditQuery {
                    record_id: Some(f.mother.to_string()),
                    ..AuditQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            events
                .iter()
                .filter(|e| e.action == AuditAction::ServiceRequestSent)
                .count(),
            1
        );
    }
);
