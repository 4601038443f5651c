//! Measuring impact over real HTTP on both engines: the analyst's partnership dashboard with
//! its charts and tables, filters, the records behind a figure, the CSV export, the form for
//! partners' published figures; and the narrower dashboards of those outside the analysts.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::Origin;
use hearth_testkit::app::years_ago;
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use hearth_testkit::server::Server;
use reqwest::StatusCode;

fn hrefs(doc: &scraper::Html, starting: &str) -> Vec<String> {
    let sel = scraper::Selector::parse("a[href]").unwrap();
    doc.select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| h.starts_with(starting))
        .map(String::from)
        .collect()
}

both_engines!(
    the_analyst_filters_the_partnership_dashboard_drills_in_and_exports,
    |store| async move {
        let s = Server::start(store).await;
        Family::new("Quenby")
            .child("Kayla", &years_ago(14))
            .need("family_relationships")
            .targeted(&s.hearth, Origin::default())
            .await;
        s.sign_in("analyst@demo.hearth.test").await;
        let (status, doc) = s.page("/reports").await;
        assert_eq!(status, StatusCode::OK);
        let html = doc.html();
        assert!(html.contains("Measuring impact"));
        assert!(html.contains("Needs met through the early help assessment process"));
        assert!(html.contains("How this is counted"));
        // Each trend is an image with a title and a description giving every figure, and
        // a table beside it.
        let svg = scraper::Selector::parse(r#"svg[role="img"] desc"#).unwrap();
        let descs: Vec<String> = doc.select(&svg).map(|d| d.text().collect()).collect();
        assert!(descs.len() >= 12, "{descs:?}");
        assert_eq!(
            descs[0].matches("; ").count(),
            7,
            "eight quarters: {}",
            descs[0]
        );
        let tables = scraper::Selector::parse("table.govuk-table").unwrap();
        assert_eq!(doc.select(&tables).count(), descs.len());
        // The Targeted Family Help just opened is in this quarter's count.
        let drills = hrefs(&doc, "/reports/drill?kpi=episodes_opened");
        assert!(!drills.is_empty());

        // The page says when its figures were worked out and how to work them out again
        // (ADR 0040), with the filters kept.
        assert!(html.contains("Figures worked out at"));
        let again = hrefs(&doc, "/reports?")
            .into_iter()
            .find(|h| h.contains("again=yes"));
        let again = again.expect("a link to work the figures out again");
        assert!(again.contains("scope=partnership"), "{again}");
        let (status, worked_out) = s.page(&again).await;
        assert_eq!(status, StatusCode::OK);
        assert!(worked_out
            .html()
            .contains("Needs met through the early help assessment process"));

        let (status, filtered) = s
            .page("/reports?scope=partnership&locality=Hyson+Green&language=Urdu")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(filtered.html().contains("Clear the filters"));
        let selected = scraper::Selector::parse("select#locality option[selected]").unwrap();
        assert_eq!(
            filtered
                .select(&selected)
                .next()
                .map(|o| o.text().collect::<String>()),
            Some("Hyson Green".to_string())
        );

        let (status, drill) = s.page(drills.last().unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            drill.html().contains("only their number is shown"),
            "the analyst opens no family's record"
        );
        assert!(!drill.html().contains("Kayla"));

        let export = hrefs(&doc, "/reports/export.csv").remove(0);
        let res = s.get(&export).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let csv = res.text().await.unwrap();
        assert!(csv.starts_with("indicator,title,quarter,figure,value,numerator,denominator"));
        assert!(csv.contains("episodes_opened,Episodes of Family Help opened,"));
        assert_eq!(
            csv.lines().count(),
            1 + 8 * 33,
            "eight quarters of 33 indicators (the worklist's six and partners' data about supported families' three among them)"
        );
        assert!(csv.contains("families_identified,Families identified early from partners' data,"));
        assert!(csv.contains(
            "supported_attendance,Supported families whose children attend 90% or more,"
        ));
    }
);

both_engines!(
    partners_figures_are_entered_through_a_form_that_keeps_what_was_typed,
    |store| async move {
        let s = Server::start(store).await;
        s.sign_in("analyst@demo.hearth.test").await;
        let csrf = s.csrf("/reports/indicators").await;
        let refused = s
            .post(
                "/reports/indicators",
                &[
                    ("indicator", "neet"),
                    ("period", "2025-Q1"),
                    ("value", "3.1"),
                ],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "no CSRF token");
        let res = s
            .post(
                "/reports/indicators",
                &[
                    ("csrf_token", &csrf),
                    ("indicator", "neet"),
                    ("period", "2025-Q1"),
                    ("value", "three"),
                    ("note", "DfE NCCIS"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("<title>Error: "));
        assert!(html.contains("The figure must be a number"));
        assert!(html.contains("value=\"three\""), "kept as typed");
        assert!(html.contains("DfE NCCIS"));
        let res = s
            .post(
                "/reports/indicators",
                &[
                    ("csrf_token", &csrf),
                    ("indicator", "neet"),
                    ("period", "2025-Q1"),
                    ("value", "3.1"),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(res.headers()["location"], "/reports/indicators?done=saved");
        let (_, list) = s.page("/reports/indicators?done=saved").await;
        let html = list.html();
        assert!(html.contains("The figure has been saved"));
        assert!(html.contains("Young people in years 12–14 not in education"));
        assert!(html.contains("Ari Analyst"), "who entered it");
    }
);

both_engines!(
    those_outside_the_analysts_see_only_their_own_work,
    |store| async move {
        let s = Server::start(store).await;
        s.sign_in("lead@demo.hearth.test").await;
        let (status, doc) = s.page("/reports").await;
        assert_eq!(status, StatusCode::OK);
        assert!(doc.html().contains("Your families"));
        assert!(
            doc.html().contains("Counts from 1 to 4 are shown as"),
            "a school sees small numbers hidden"
        );
        assert_eq!(
            s.get("/reports?scope=partnership").await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            s.get("/reports/indicators").await.status(),
            StatusCode::FORBIDDEN
        );
        let (status, agency) = s.page("/reports?scope=agency").await;
        assert_eq!(status, StatusCode::OK);
        assert!(agency.html().contains("Oakfield Primary School (demo)"));

        let manager = s.new_browser();
        manager.sign_in("manager@demo.hearth.test").await;
        let (status, team) = manager.page("/reports?scope=team").await;
        assert_eq!(status, StatusCode::OK);
        assert!(team.html().contains("Targeted Family Help core team"));
    }
);
