//! The SSDA903 return over real HTTP, on both engines: the analyst checks a collection year,
//! sees what to put right per child, file and field, and downloads each file as CSV with the
//! DfE's columns and no name; a bad year comes back with what to fix; anyone else is refused.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::care::{EndCareForm, StartForm};
use hearth_testkit::app::actor;
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use hearth_testkit::server::Server;
use reqwest::StatusCode;

both_engines!(
    the_analyst_checks_the_year_and_downloads_the_903_files,
    |store| async move {
        let s = Server::start(store).await;
        // A child in care since June 2025 whose placement was never recorded.
        let sw = actor(&s.hearth, "social-worker@demo.hearth.test").await;
        let child = Family::new("Quillfeather")
            .child("Marigold", "01/02/2012")
            .address("1 Quillfeather Lane", "NG7 1AA")
            .add(&s.hearth, &sw)
            .await[0];
        s.hearth
            .start_care(
                &sw,
                child,
                &StartForm {
                    start_day: "2".into(),
                    start_month: "6".into(),
                    start_year: "2025".into(),
                    legal_status: "C2".into(),
                    category_of_need: "N1".into(),
                    home_postcode: "NG7 1AA".into(),
                    uasc: String::new(),
                },
            )
            .await
            .unwrap();
        s.sign_in("analyst@demo.hearth.test").await;
        let (status, page) = s.page("/returns").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.html().contains("href=\"/returns/ssda903\""));

        let (status, page) = s.page("/returns/ssda903?year=2026").await;
        assert_eq!(status, StatusCode::OK);
        let html = page.html();
        assert!(html.contains("Collection year 2025-26"), "{html}");
        assert!(html.contains(&format!("href=\"/care/children/{child}\"")));
        assert!(html.contains("has no placement: record where the child lives"));
        assert!(html.contains("/returns/ssda903/episodes.csv?year=2026"));

        let res = s.get("/returns/ssda903/episodes.csv?year=2026").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("episodes-2025-26.csv"));
        let csv = res.text().await.unwrap();
        assert!(
            csv.starts_with("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n"),
            "{csv}"
        );
        let csv = s
            .get("/returns/ssda903/header.csv?year=2026")
            .await
            .text()
            .await
            .unwrap();
        assert!(csv.starts_with("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n"));
        assert!(!csv.contains("Quillfeather") && !csv.contains("Marigold"));
        let res = s.get("/returns/ssda903/passwords.csv?year=2026").await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);

        let (status, page) = s.page("/returns/ssda903?year=twenty").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = page.html();
        assert!(html.contains("Enter the year as 4 digits"));
        assert!(html.contains("value=\"twenty\""), "what was typed is kept");
    }
);

both_engines!(no_one_else_gets_the_903, |store| async move {
    let mut s = Server::start(store).await;
    for email in [
        "social-worker@demo.hearth.test",
        "placements@demo.hearth.test",
        "lead@demo.hearth.test",
    ] {
        s.sign_in_fresh(email).await;
        let (status, _) = s.page("/returns/ssda903").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{email}");
        let res = s.get("/returns/ssda903/header.csv?year=2026").await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{email}");
    }
});

both_engines!(
    a_social_worker_records_a_care_leavers_contact_through_the_form,
    |store| async move {
        let s = Server::start(store).await;
        let sw = actor(&s.hearth, "social-worker@demo.hearth.test").await;
        // Chloe, 19, looked after from 14 until 1 June 2024.
        let chloe = Family::new("Adeyemi")
            .child("Chloe", "01/06/2006")
            .address("1 Chloe Street", "NG5 1DD")
            .add(&s.hearth, &sw)
            .await[0];
        s.hearth
            .start_care(
                &sw,
                chloe,
                &StartForm {
                    start_day: "4".into(),
                    start_month: "1".into(),
                    start_year: "2021".into(),
                    legal_status: "C2".into(),
                    category_of_need: "N1".into(),
                    home_postcode: "NG5 1DD".into(),
                    uasc: String::new(),
                },
            )
            .await
            .unwrap();
        s.hearth
            .end_care(
                &sw,
                chloe,
                &EndCareForm {
                    cease_reason: "E5".into(),
                    ceased_day: "1".into(),
                    ceased_month: "6".into(),
                    ceased_year: "2024".into(),
                },
            )
            .await
            .unwrap();
        s.sign_in("social-worker@demo.hearth.test").await;
        let page = format!("/care/children/{chloe}");
        let (status, html) = s.page(&page).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.html().contains("No contact recorded yet."));
        let csrf = s.csrf(&page).await;
        let action = format!("{page}/leaver");
        let mut form = vec![
            ("csrf_token", csrf.as_str()),
            ("contact-day", "2"),
            ("contact-month", "6"),
            ("contact-year", "2025"),
            ("in_touch", "YES"),
            ("accommodation", "U"),
            ("suitable", "yes"),
        ];
        let res = s.post(&action, &form).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(
            body.contains("<title>Error: ")
                && body.contains("Select what the young person is doing")
        );
        assert!(
            body.contains("value=\"U\" selected"),
            "what was chosen is kept"
        );
        form.push(("activity", "F4"));
        let res = s.post(&action, &form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, html) = s.page(&format!("{page}?done=leaver")).await;
        let body = html.html();
        assert!(body.contains("The contact with the care leaver was recorded."));
        assert!(body.contains("Full-time in training") && body.contains("Independent living"));
    }
);
