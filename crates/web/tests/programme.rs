//! Supporting Families pages over real HTTP, on both engines: the episode's standing for the
//! programme, the closure's evidence field, and the sustainment check reached from *My work*:
//! not due, then answered (a missing answer comes back saying what to fix, with what was
//! typed), and refused to another team's practitioner.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::Duration;
use hearth_app::episodes::{ClosureForm, MemberForm, SignOff};
use hearth_app::identification::DatasetForm;
use hearth_testkit::app::actor;
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use hearth_testkit::server::Server;
use reqwest::StatusCode;
use sqlx::Row;

const LEAD: &str = "lead@demo.hearth.test";

async fn text(s: &Server, path: &str) -> (StatusCode, String) {
    let res = s.get(path).await;
    (res.status(), res.text().await.unwrap())
}

both_engines!(
    the_programme_pages_show_the_start_and_answer_the_sustainment_check,
    |store| async move {
        let mut s = Server::start_with_clock(store.clone()).await;
        let h = s.hearth.clone();
        let lead = actor(&h, LEAD).await;
        let today = h.now().date_naive();
        let owner: String = {
            let mut conn = store.read().await.unwrap();
            sqlx::query(
                "SELECT id FROM organisations WHERE name = 'Nottingham City Council (demo)'",
            )
            .fetch_one(&mut *conn)
            .await
            .unwrap()
            .try_get(0)
            .unwrap()
        };
        let analyst = actor(&h, "matching@demo.hearth.test").await;
        h.register_dataset(
            &analyst,
            &DatasetForm {
                code: "attendance".into(),
                name: "City schools attendance".into(),
                kind: "school_census".into(),
                owner,
                agreement_reference: "DSA-1".into(),
                agreement_from: (today - Duration::days(10)).to_string(),
                agreement_to: (today + Duration::days(900)).to_string(),
                lawful_basis: "public_task".into(),
                fields: "names, date of birth, postcode, event, date".into(),
                refresh: "termly".into(),
                unmatched_days: "30".into(),
            },
        )
        .await
        .unwrap();
        let ruby = today - Duration::days(10 * 365);
        let e = Family::new("Achterberg")
            .child("Ruby", &ruby.format("%d/%m/%Y").to_string())
            .address("3 Ash Lane", "NG3 1AB")
            .need("education")
            .need("family_relationships")
            .early_help(&h, &lead, "School knows the family best")
            .await
            .episode;
        let nurse = actor(&h, "practitioner@demo.hearth.test").await;
        h.add_taf_member(
            &lead,
            e,
            &MemberForm {
                user_id: nurse.user_id.to_string(),
                role: "School nurse".into(),
                ..MemberForm::default()
            },
        )
        .await
        .unwrap();

        // The start: two needs of three, so not yet in the programme; what is missing named.
        s.sign_in(LEAD).await;
        let (status, overview) = text(&s, &format!("/episodes/{e}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(overview.contains(&format!(r#"href="/episodes/{e}/programme""#)));
        assert!(!overview.contains("/sustainment"), "only once closed");
        let (status, start) = text(&s, &format!("/episodes/{e}/programme")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(start.contains("national-2022"));
        assert!(
            start.contains("the programme asks for at least 3"),
            "{start}"
        );
        assert!(start.contains("Getting a good education"));
        assert!(start.contains("Improved family relationships"));
        assert!(!start.contains("Secure housing"), "only needs present");
        assert_eq!(start.matches(">Met<").count(), 2, "lead and TAF");
        assert_eq!(start.matches(">Missing<").count(), 2, "assessment and plan");

        // The closure form asks for each need's evidence.
        let (_, close) = text(&s, &format!("/episodes/{e}/closure")).await;
        assert!(close.contains(r#"name="evidence_education""#));
        let v = h.episode(&lead, e).await.unwrap().episode.version;
        h.record_closure(
            &lead,
            e,
            &ClosureForm::from_pairs(&[
                ("reason".into(), "outcomes_met".into()),
                ("summary".into(), "Ruby is back in school".into()),
                ("result_education".into(), "achieved".into()),
                ("evidence_education".into(), "Ruby-closure-evidence".into()),
                ("result_family_relationships".into(), "achieved".into()),
                ("version".into(), v.to_string()),
            ]),
        )
        .await
        .unwrap();
        let manager = actor(&h, "manager@demo.hearth.test").await;
        h.decide_closure(&manager, e, &SignOff::Approve, v + 1)
            .await
            .unwrap();
        let closed_on = h.now().date_naive();

        // My work links the task to the check; before it is due there is nothing to answer.
        let (_, home) = text(&s, "/").await;
        let check = format!("/episodes/{e}/sustainment");
        assert!(home.contains(&format!(r#"href="{check}""#)), "{home}");
        let (status, page) = text(&s, &check).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Not due yet"));
        assert!(page.contains("Ruby-closure-evidence"));
        assert!(!page.contains(r#"name="sustained_family_relationships""#));

        // Seven months on, the school's terms since closure are in.
        s.advance(Duration::days(212));
        let t1 = closed_on + Duration::days(100);
        h.import_partner_data(
            &analyst,
            "attendance",
            "pasted",
            &format!(
                "reference,given_names,family_name,dob,postcode,upn,event,date,attendance\n\
                 A1,Ruby,Achterberg,{ruby},NG3 1AB,,attendance,{t1},97.5\n"
            ),
        )
        .await
        .unwrap();
        s.sign_in_fresh(LEAD).await;
        let (status, page) = text(&s, &check).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("97.5%"), "the data's evidence");
        assert!(page.contains(r#"name="sustained_family_relationships""#));
        assert!(
            !page.contains(r#"name="sustained_education""#),
            "data decides education"
        );
        let csrf = s.csrf(&check).await;
        let res = s
            .post(
                &check,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("evidence_family_relationships", "Typed-and-kept"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(body.contains("govuk-error-summary"));
        assert!(body.contains(r##"href="#sustained_family_relationships""##));
        assert!(body.contains("Typed-and-kept"), "what was typed is kept");
        let res = s
            .post(
                &check,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("sustained_family_relationships", "no"),
                    ("evidence_family_relationships", "Arguments are back"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, page) = text(&s, &format!("{check}?done=answered")).await;
        assert!(page.contains("The sustainment check has been answered."));
        assert!(page.contains(">Sustained<") && page.contains(">Not sustained<"));
        assert!(page.contains("Arguments are back"));
        let (_, home) = text(&s, "/").await;
        assert!(
            !home.contains(&format!(r#"href="{check}""#)),
            "the task is done"
        );

        // Another team's practitioner, in the TAF while it lasted, is refused.
        s.sign_in_fresh("practitioner@demo.hearth.test").await;
        assert_eq!(text(&s, &check).await.0, StatusCode::FORBIDDEN);
    }
);
