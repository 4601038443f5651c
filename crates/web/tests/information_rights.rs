//! The data protection officer's pages over real HTTP, on both engines: a subject access
//! request logged with the form's problems named, released, downloaded as a readable PDF and
//! as JSON; everyone else refused (and recorded) on every one of its pages.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Datelike, Utc};
use hearth_app::records::AuditQuery;
use hearth_testkit::app::{actor, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use hearth_testkit::server::Server;
use reqwest::{header, StatusCode};

both_engines!(
    the_officer_logs_releases_and_downloads_a_request_and_nobody_else_reaches_it,
    |store| async move {
        let s = Server::start(store).await;
        let h = s.hearth.clone();
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let dpo = actor(&h, "dpo@demo.hearth.test").await;
        let family = Family::new("Quennell")
            .child("Ivo", &years_ago(7))
            .need("education")
            .early_help(&h, &lead, "School")
            .await;
        let child = family.people[0].to_string();
        s.sign_in("dpo@demo.hearth.test").await;

        let (status, page) = s.page("/information-rights/new?name=Ivo+Quennell").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.html().contains(&child), "the child is offered");
        let csrf = s.csrf("/information-rights/new?name=Ivo+Quennell").await;
        let res = s
            .post(
                "/information-rights/new",
                &[("csrf_token", csrf.as_str()), ("name", "Ivo Quennell")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("<title>Error: "), "the title says so");
        assert!(html.contains("Select the person the request is about"));
        assert!(
            html.contains(r##"href="#received-day""##),
            "the date's first box is linked"
        );

        let t = Utc::now().date_naive();
        let (d, m, y) = (
            t.day().to_string(),
            t.month().to_string(),
            t.year().to_string(),
        );
        let res = s
            .post(
                "/information-rights/new",
                &[
                    ("csrf_token", csrf.as_str()),
                    ("name", "Ivo Quennell"),
                    ("person", child.as_str()),
                    ("requested_by", "His father"),
                    ("identity_checked", "Driving licence seen"),
                    ("received-day", d.as_str()),
                    ("received-month", m.as_str()),
                    ("received-year", y.as_str()),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let path = res.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        let (status, review) = s.page(&path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(review.html().contains("Ivo Quennell"));

        let res = s
            .post(&format!("{path}/release"), &[("csrf_token", csrf.as_str())])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let pdf = s.get(&format!("{path}/document.pdf")).await;
        assert_eq!(pdf.status(), StatusCode::OK);
        assert_eq!(pdf.headers()[header::CONTENT_TYPE], "application/pdf");
        let bytes = pdf.bytes().await.unwrap();
        let text = hearth_testkit::pdf::text(&bytes);
        assert!(
            text.contains("Information held about Ivo Quennell"),
            "{text}"
        );
        let json: serde_json::Value = s
            .get(&format!("{path}/document.json"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(json["person"], "Ivo Quennell");
        let (status, document) = s.page(&format!("{path}/document")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(document
            .html()
            .contains("Information held about Ivo Quennell"));

        // The lead professional, who works with Ivo, may not reach any of it.
        let other = s.new_browser();
        other.sign_in("lead@demo.hearth.test").await;
        let denied = |h: hearth_app::Hearth, dpo: hearth_app::Actor| async move {
            h.search_audit(
                &dpo,
                &AuditQuery {
                    action: Some("access_denied".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .len()
        };
        for p in [
            "/information-rights".to_string(),
            path.clone(),
            format!("{path}/document"),
            format!("{path}/document.pdf"),
            format!("{path}/document.json"),
            format!("/information-rights/viewers?person={child}"),
        ] {
            let before = denied(h.clone(), dpo.clone()).await;
            let res = other.get(&p).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{p}");
            let body = res.text().await.unwrap();
            assert!(!body.contains("Quennell"), "{p}");
            assert_eq!(
                denied(h.clone(), dpo.clone()).await,
                before + 1,
                "{p} recorded"
            );
        }
    }
);

/// Where a form's answer sends the browser.
fn location(res: &reqwest::Response) -> String {
    res.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string()
}

both_engines!(
    retention_and_erasure_pages_are_the_officers_alone,
    |store| async move {
        let s = Server::start(store).await;
        let h = s.hearth.clone();
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let dpo = actor(&h, "dpo@demo.hearth.test").await;
        let family = Family::new("Wetherby-Quist")
            .child("Nell", &years_ago(6))
            .need("education")
            .early_help(&h, &lead, "School")
            .await;
        let child = family.people[0].to_string();
        s.sign_in("dpo@demo.hearth.test").await;

        // The officer lists a run, places a hold and logs an erasure request through the pages.
        let csrf = s.csrf("/information-rights/retention").await;
        let res = s
            .post(
                "/information-rights/retention/runs",
                &[("csrf_token", &csrf)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let run = location(&res);
        assert!(run.starts_with("/information-rights/retention/"), "{run}");
        let (status, page) = s.page(&run).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.html().contains("Approve this run"));

        let hold_form = "/information-rights/retention/holds/new?name=Nell+Wetherby-Quist";
        let csrf = s.csrf(hold_form).await;
        let res = s
            .post(
                "/information-rights/retention/holds/new",
                &[
                    ("csrf_token", &csrf),
                    ("name", "Nell Wetherby-Quist"),
                    ("person", &child),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(
            body.contains("<title>Error: "),
            "the title says there is an error"
        );
        assert!(body.contains("Enter why the record must be kept"));
        let res = s
            .post(
                "/information-rights/retention/holds/new",
                &[
                    ("csrf_token", &csrf),
                    ("person", &child),
                    ("reason", "Care proceedings"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, page) = s.page(&location(&res)).await;
        assert!(page.html().contains("Legal hold placed"));

        let t = Utc::now().date_naive();
        let (d, m, y) = (
            t.day().to_string(),
            t.month().to_string(),
            t.year().to_string(),
        );
        let csrf = s.csrf("/information-rights/erasure/new?name=Nell").await;
        let res = s
            .post(
                "/information-rights/erasure/new",
                &[
                    ("csrf_token", &csrf),
                    ("person", &child),
                    ("kind", "restriction"),
                    ("requested_by", "Her mother"),
                    ("grounds", "The address is wrong"),
                    ("received-day", &d),
                    ("received-month", &m),
                    ("received-year", &y),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let request = location(&res);
        assert!(
            request.starts_with("/information-rights/erasure/"),
            "{request}"
        );

        // The lead professional, who works with Nell, reaches none of it; each refusal recorded.
        let other = s.new_browser();
        other.sign_in("lead@demo.hearth.test").await;
        let denied = |h: hearth_app::Hearth, dpo: hearth_app::Actor| async move {
            h.search_audit(
                &dpo,
                &AuditQuery {
                    action: Some("access_denied".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .len()
        };
        for p in [
            "/information-rights/retention".to_string(),
            run.clone(),
            "/information-rights/erasure".to_string(),
            request.clone(),
        ] {
            let before = denied(h.clone(), dpo.clone()).await;
            let res = other.get(&p).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{p}");
            let body = res.text().await.unwrap();
            assert!(!body.contains("Wetherby-Quist"), "{p}");
            assert_eq!(
                denied(h.clone(), dpo.clone()).await,
                before + 1,
                "{p} recorded"
            );
        }
        let csrf = other.csrf("/").await;
        for p in [format!("{run}/approve"), format!("{request}/decide")] {
            let before = denied(h.clone(), dpo.clone()).await;
            let res = other
                .post(
                    &p,
                    &[
                        ("csrf_token", &csrf),
                        ("version", "1"),
                        ("outcome", "uphold"),
                        ("reasons", "Because"),
                    ],
                )
                .await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{p}");
            assert_eq!(
                denied(h.clone(), dpo.clone()).await,
                before + 1,
                "{p} recorded"
            );
        }
        let (_, page) = s.page(&request).await;
        assert!(page.html().contains("Record the decision"), "still open");
    }
);
