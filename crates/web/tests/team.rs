//! A team manager's pages over real HTTP on both engines: the team view with its filters, and
//! sending an assessment back with a reason.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::Duration;
use hearth_app::episodes::assessment::{AssessmentForm, EntryForm};
use hearth_app::Origin;
use hearth_testkit::app::years_ago;
use hearth_testkit::both_engines;
use hearth_testkit::episodes::{Family, Targeted};
use hearth_testkit::server::Server;
use reqwest::StatusCode;

async fn targeted(s: &Server) -> Targeted {
    Family::new("Quenby")
        .child("Kayla", &years_ago(14))
        .need("family_relationships")
        .urgency("soon")
        .targeted(&s.hearth, Origin::default())
        .await
}

both_engines!(
    the_team_view_lists_caseloads_and_filters_what_is_overdue,
    |store| async move {
        let s = Server::start_with_clock(store).await;
        let t = targeted(&s).await;
        s.advance(Duration::days(50));
        s.sign_in("manager@demo.hearth.test").await;
        let (status, doc) = s.page("/team").await;
        assert_eq!(status, StatusCode::OK);
        let html = doc.html();
        assert!(html.contains(&t.worker.display_name));
        assert!(html.contains("Visit: Kayla Quenby"));
        assert!(html.contains("Whole-family assessment: Kayla Quenby"));
        assert!(html.contains("Team Around the Family review: Kayla Quenby"));

        let (_, doc) = s.page("/team?overdue=visit").await;
        let html = doc.html();
        assert!(html.contains("Visit: Kayla Quenby"));
        assert!(!html.contains("Whole-family assessment: Kayla Quenby"));
        let (_, doc) = s.page("/team?worker=unallocated").await;
        assert!(doc.html().contains("Nothing that matches is overdue"));

        let worker = s.new_browser();
        worker.sign_in("worker@demo.hearth.test").await;
        assert_eq!(worker.get("/team").await.status(), StatusCode::FORBIDDEN);
    }
);

both_engines!(
    an_assessment_is_sent_back_only_with_a_reason,
    |store| async move {
        let s = Server::start(store).await;
        let h = s.hearth.clone();
        let t = targeted(&s).await;
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
        h.save_assessment(&t.worker, t.episode, &form)
            .await
            .unwrap();
        let a = h.assessment(&t.worker, t.episode).await.unwrap();
        let version = a.assessment.unwrap().version;
        h.submit_assessment(&t.worker, t.episode, version)
            .await
            .unwrap();
        let version = h
            .assessment(&t.manager, t.episode)
            .await
            .unwrap()
            .assessment
            .unwrap()
            .version
            .to_string();

        s.sign_in("manager@demo.hearth.test").await;
        let (_, home) = s.page("/").await;
        assert!(home
            .html()
            .contains("Sign off the whole-family assessment: Kayla Quenby"));
        let page = format!("/episodes/{}/assessment", t.episode);
        let csrf = s.csrf(&page).await;
        let res = s
            .post(
                &page,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("version", version.as_str()),
                    ("decision", "return"),
                    ("send_back_reason", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("send_back_reason"));
        let why = "Say what Kayla thinks would help in the evenings.";
        let res = s
            .post(
                &page,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("version", version.as_str()),
                    ("decision", "return"),
                    ("send_back_reason", why),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let work = h.my_work(&t.worker).await.unwrap();
        assert!(work.tasks.iter().any(|x| x.task.kind
            == hearth_domain::task::TaskKind::ReworkAssessment
            && x.family.as_deref().is_some_and(|f| f.contains("Kayla"))));
    }
);
