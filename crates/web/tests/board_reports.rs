//! The board's quarterly reports over real HTTP on both engines: started, written and
//! published with CSRF on every form, a gap named in the error summary with what was typed
//! kept, a save from an out-of-date page shown again unsaved, the published page and its PDF;
//! and no way in for a user without reports.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_testkit::both_engines;
use hearth_testkit::server::Server;
use reqwest::StatusCode;

fn sections<'a>(csrf: &'a str, version: &'a str, worries: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf_token", csrf),
        ("version", version),
        ("title", "The board's report"),
        ("summary", "A steady quarter <script>alert(1)</script>"),
        ("going_well", "Decisions on time."),
        ("worries", worries),
        ("actions", "Audit re-requests (quality lead, by June)."),
    ]
}

both_engines!(
    the_analyst_starts_writes_publishes_and_downloads_a_report,
    |store| async move {
        let s = Server::start(store).await;
        s.sign_in("analyst@demo.hearth.test").await;
        let (status, list) = s.page("/reports/board").await;
        assert_eq!(status, StatusCode::OK);
        assert!(list.html().contains("No reports yet."));
        let csrf = s.csrf("/reports/board").await;
        let refused = s.post("/reports/board", &[("quarter", "2026-Q1")]).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "no CSRF token");
        let res = s
            .post("/reports/board", &[("csrf_token", &csrf), ("quarter", "")])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("Select the quarter the report is about"));
        let res = s
            .post(
                "/reports/board",
                &[("csrf_token", &csrf), ("quarter", "2026-Q1")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let edit = res.headers()["location"].to_str().unwrap().to_string();
        assert!(edit.ends_with("/edit"), "{edit}");
        let report = edit.trim_end_matches("/edit").to_string();

        // Publishing with a gap names it and keeps what was typed.
        let res = s
            .post(&edit, &{
                let mut f = sections(&csrf, "1", "");
                f.push(("action", "publish"));
                f
            })
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("href=\"#worries\""),
            "the error summary links to it"
        );
        assert!(html.contains("Decisions on time."), "kept as typed");
        assert!(!html.contains("<script>alert(1)"), "escaped");

        // Saved as a draft, then a second save from the same (now old) page is not lost.
        let res = s
            .post(&edit, &{
                let mut f = sections(&csrf, "1", "Re-requests are rising.");
                f.push(("action", "save"));
                f
            })
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let res = s
            .post(&edit, &{
                let mut f = sections(&csrf, "1", "Written in another tab.");
                f.push(("action", "save"));
                f
            })
            .await;
        assert_eq!(res.status(), StatusCode::CONFLICT);
        let html = res.text().await.unwrap();
        assert!(html.contains("Someone else saved this report"));
        assert!(html.contains("Written in another tab."));
        assert!(
            html.contains("name=\"version\" value=\"2\""),
            "against the newer version"
        );

        let res = s
            .post(&edit, &{
                let mut f = sections(&csrf, "2", "Re-requests are rising.");
                f.push(("action", "publish"));
                f
            })
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (status, page) = s.page(&format!("{report}?done=published")).await;
        assert_eq!(status, StatusCode::OK);
        let html = page.html();
        assert!(html.contains("The report is published."));
        assert!(html.contains("Re-requests are rising."));
        assert!(html.contains("Requests for support received"));
        assert!(
            html.contains("&lt;script&gt;"),
            "the analyst's text is escaped"
        );
        assert!(
            !html.contains("/edit\""),
            "a published report is not written again"
        );
        let (_, list) = s.page("/reports/board").await;
        assert!(list.html().contains("Published"));

        let pdf = s.get(&format!("{report}/report.pdf")).await;
        assert_eq!(pdf.status(), StatusCode::OK);
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        assert_eq!(
            pdf.headers()["content-disposition"],
            "attachment; filename=\"board-report-2026-Q1.pdf\""
        );
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));

        // The edit page of a published report goes back to the report.
        let res = s.get(&edit).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
);

both_engines!(
    a_user_without_reports_reaches_no_board_report,
    |store| async move {
        let analyst = Server::start(store).await;
        analyst.sign_in("analyst@demo.hearth.test").await;
        let csrf = analyst.csrf("/reports/board").await;
        let res = analyst
            .post(
                "/reports/board",
                &[("csrf_token", &csrf), ("quarter", "2026-Q1")],
            )
            .await;
        let edit = res.headers()["location"].to_str().unwrap().to_string();
        let report = edit.trim_end_matches("/edit").to_string();

        let lead = analyst.new_browser();
        lead.sign_in("lead@demo.hearth.test").await;
        for path in [
            "/reports/board".to_string(),
            report.clone(),
            edit.clone(),
            format!("{report}/report.pdf"),
        ] {
            let res = lead.get(&path).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
        }
        let csrf = lead.csrf("/").await;
        let res = lead.post(&edit, &sections(&csrf, "1", "x")).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let res = analyst.get("/reports/board/not-an-id").await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
);
