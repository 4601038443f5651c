//! Training (ADR 0048) over real HTTP on both engines: with the partnership's hold on, a user
//! missing required training reaches no other page by URL (GET or a form) and no API call
//! with a token (refused and audited), and their training page says which course and whom to
//! ask; a manager records a completion in the form (bad input said at the field, nothing
//! typed lost) and a practitioner cannot open or record a colleague's (refused, audited);
//! the workforce report downloads as CSV for a report reader only; and an administrator
//! resets a lost second factor from the user's page, never their own.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::Datelike;
use hearth_app::accounts::api_tokens::TokenForm;
use hearth_app::Store;
use hearth_testkit::app::{actor, confirmed_second_factor};
use hearth_testkit::both_engines;
use hearth_testkit::server::Server;
use reqwest::StatusCode;

const PRACTITIONER: &str = "practitioner@demo.hearth.test";

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn audited(store: &Store, action: &str, detail: &str) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE action = $1 AND COALESCE(detail, '') LIKE $2",
    )
    .bind(action)
    .bind(format!("%{detail}%"))
    .fetch_one(&mut *conn)
    .await
    .unwrap()
}

both_engines!(
    a_user_missing_required_training_is_held_at_their_training_page,
    |store| async move {
        let s = Server::start_with_policies(store.clone(), |p, _| {
            p.training.hold_access = true;
        })
        .await;
        let b = s.new_browser();
        let res = b.sign_in(PRACTITIONER).await;
        let first = location(&res);
        assert_eq!(location(&b.get(&first).await), "/account/training");
        for path in [
            "/people",
            "/account/messages",
            "/reports/training",
            "/team/training",
        ] {
            let res = b.get(path).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
            assert_eq!(location(&res), "/account/training", "{path}");
        }
        let (status, page) = b.page("/account/training").await;
        assert_eq!(status, StatusCode::OK);
        let text = page.root_element().text().collect::<String>();
        assert!(text.contains("You cannot use Hearth until your required training is recorded"));
        assert!(text.contains("Signs of Safety"), "names the course");
        assert!(text.contains("Hearth administrator"), "whom to ask");
        // A form sent to another page is held too.
        let csrf = b.csrf("/account/training").await;
        let res = b
            .post("/people/search", &[("csrf_token", &csrf), ("name", "Ada")])
            .await;
        assert_eq!(location(&res), "/account/training");

        // An API token of the held user is refused, and the refusal audited.
        let owner = actor(&s.hearth, PRACTITIONER).await;
        let token = s
            .hearth
            .create_api_token(
                &owner,
                &TokenForm {
                    token_name: "School MIS".into(),
                    access: "read".into(),
                    resources: vec!["people".into()],
                    lifetime_days: "90".into(),
                },
            )
            .await
            .unwrap();
        let res = reqwest::Client::new()
            .get(s.url("/api/v1/people?q=ada"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            audited(&store, "api_token_refused", "training_due").await,
            1
        );

        // Once the administrator records the courses, Hearth opens.
        let admin = actor(&s.hearth, "admin@demo.hearth.test").await;
        let today = s.hearth.now().date_naive();
        for course in [
            "induction",
            "whole_family_working",
            "signs_of_safety",
            "trauma_aware",
        ] {
            s.hearth
                .record_training(
                    &admin,
                    owner.user_id,
                    &hearth_app::training::record::TrainingForm {
                        course: course.into(),
                        done_day: today.day().to_string(),
                        done_month: today.month().to_string(),
                        done_year: today.year().to_string(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
        }
        assert_eq!(b.get("/people").await.status(), StatusCode::OK);
    }
);

/// Sends the form recording a completion of `course` on 4 January 2026.
async fn send_completion(b: &Server, path: &str, csrf: &str, course: &str) -> reqwest::Response {
    b.post(
        path,
        &[
            ("csrf_token", csrf),
            ("course", course),
            ("done-day", "4"),
            ("done-month", "1"),
            ("done-year", "2026"),
            ("evidence", "Certificate SOS-778"),
        ],
    )
    .await
}

both_engines!(
    a_manager_records_training_in_the_form_and_others_are_refused,
    |store| async move {
        let s = Server::start(store.clone()).await;
        let worker = actor(&s.hearth, "worker@demo.hearth.test").await;
        let staff = format!("/training/staff/{}", worker.user_id);

        let m = s.new_browser();
        m.sign_in("manager@demo.hearth.test").await;
        let (status, team) = m.page("/team/training").await;
        assert_eq!(status, StatusCode::OK);
        assert!(team
            .root_element()
            .text()
            .collect::<String>()
            .contains("Wren Worker"));
        let csrf = m.csrf(&staff).await;
        // Bad input: said at the field, what was typed kept.
        let res = m
            .post(
                &staff,
                &[
                    ("csrf_token", &csrf),
                    ("course", "signs_of_safety"),
                    ("done-day", "40"),
                    ("done-month", "1"),
                    ("done-year", "2026"),
                    ("evidence", "Certificate SOS-778"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(body.contains("must be a real date"), "{body}");
        assert!(body.contains("Certificate SOS-778"));
        let res = send_completion(&m, &staff, &csrf, "signs_of_safety").await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, page) = m.page(&location(&res)).await;
        let text = page.root_element().text().collect::<String>();
        assert!(text.contains("Recorded by Morgan Manager"), "{text}");
        assert!(
            text.contains("4 January 2029"),
            "runs out by the course's months"
        );

        // The practitioner sees their own, not a colleague's; nor records either.
        let p = s.new_browser();
        p.sign_in(PRACTITIONER).await;
        assert_eq!(p.get("/account/training").await.status(), StatusCode::OK);
        let before = audited(&store, "access_denied", "training").await;
        assert_eq!(p.get(&staff).await.status(), StatusCode::FORBIDDEN);
        let csrf = p.csrf("/account/training").await;
        let res = send_completion(&p, &staff, &csrf, "induction").await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let own = format!(
            "/training/staff/{}",
            actor(&s.hearth, PRACTITIONER).await.user_id
        );
        let res = send_completion(&p, &own, &csrf, "induction").await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "nobody records their own"
        );
        assert_eq!(
            audited(&store, "access_denied", "training").await,
            before + 3
        );
        assert_eq!(
            p.get("/team/training").await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            p.get("/reports/training").await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            p.get("/training/staff/not-an-id").await.status(),
            StatusCode::NOT_FOUND
        );

        // The report as CSV, for a reader of reports.
        let a = s.new_browser();
        a.sign_in("analyst@demo.hearth.test").await;
        let (status, _) = a.page("/reports/training?within=60&by=organisation").await;
        assert_eq!(status, StatusCode::OK);
        let res = a
            .get("/reports/training?within=60&by=team&format=csv")
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let csv = res.text().await.unwrap();
        assert!(
            csv.starts_with("course,course_title,organisation,team,"),
            "{csv}"
        );
        assert!(csv.contains("signs_of_safety,Signs of Safety,Nottingham City Council (demo),Targeted Family Help core team,"));
        let (status, page) = a.page("/reports/training?within=lots").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page
            .root_element()
            .text()
            .collect::<String>()
            .contains("Days ahead must be a whole number"));
    }
);

both_engines!(
    an_administrator_resets_a_second_factor_from_the_users_page,
    |store| async move {
        let s = Server::start(store.clone()).await;
        let worker = actor(&s.hearth, "worker@demo.hearth.test").await;
        confirmed_second_factor(&s.hearth, &store, &worker).await;
        let a = s.new_browser();
        a.sign_in("admin@demo.hearth.test").await;
        let user_page = format!("/admin/users/{}", worker.user_id);
        let (_, page) = a.page(&user_page).await;
        assert!(page
            .root_element()
            .text()
            .collect::<String>()
            .contains("Reset their second factor"));
        let csrf = a.csrf(&user_page).await;
        let reset = format!("{user_page}/second-factor/reset");
        let res = a
            .post(&reset, &[("csrf_token", &csrf), ("reason", "")])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let res = a
            .post(
                &reset,
                &[
                    ("csrf_token", &csrf),
                    ("reason", "Lost phone, checked by a call"),
                ],
            )
            .await;
        assert_eq!(location(&res), format!("{user_page}?done=factor_reset"));
        assert_eq!(audited(&store, "second_factor_reset", "").await, 1);
        // Never their own.
        let admin = actor(&s.hearth, "admin@demo.hearth.test").await;
        let res = a
            .post(
                &format!("/admin/users/{}/second-factor/reset", admin.user_id),
                &[("csrf_token", &csrf), ("reason", "Mine")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            audited(&store, "access_denied", "own second factor").await,
            1
        );
    }
);
