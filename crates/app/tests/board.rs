//! The board's quarterly report, on both engines: an analyst builds a draft from the
//! partnership dashboard's figures, writes its sections and publishes it; the published
//! figures and text stay as they were whatever the record does next; small counts are hidden
//! even for a viewer inside the council; everyone without reports is refused, and recorded.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{NaiveDate, TimeZone, Utc};
use hearth_app::insight::{BoardReportForm, BoardReportView, ReadAs, ReportFilter, Scope};
use hearth_app::records::AuditQuery;
use hearth_app::{Actor, AppError, Hearth};
use hearth_domain::board::ReportStatus;
use hearth_domain::insight::Quarter;
use hearth_testkit::app::{actor, hearth_with_clock};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(clock: &hearth_testkit::app::Clock, day: NaiveDate) {
    *clock.lock().unwrap() = Utc.from_utc_datetime(&day.and_hms_opt(10, 0, 0).unwrap());
}

/// Families asking for help, one request each, with names unlike each other's.
async fn requests(h: &Hearth, lead: &Actor, names: &[&str]) {
    const GIVEN: [&str; 6] = ["Ada", "Bilal", "Cerys", "Dawid", "Ebony", "Farah"];
    for (i, name) in names.iter().enumerate() {
        Family::new(name)
            .child(
                GIVEN[i % GIVEN.len()],
                &format!("{:02}/0{}/203{}", 10 + i, 1 + i % 9, i % 8),
            )
            .need("education")
            .ask(h, lead)
            .await;
    }
}

/// The text of one indicator's latest figure in a report.
fn latest(view: &BoardReportView, code: &str) -> String {
    let line = view
        .figures
        .lines
        .iter()
        .find(|l| l.code == code)
        .unwrap_or_else(|| panic!("no {code} in the report"));
    line.figures.last().unwrap().text.clone()
}

fn written(version: i64) -> BoardReportForm {
    BoardReportForm {
        title: "Family Help: the board's report for Q4".into(),
        summary: "More families asked for help this quarter.".into(),
        going_well: "Requests are decided on time.".into(),
        worries: "Re-requests within a year are rising.".into(),
        actions: "Audit ten re-requests by the end of April (quality lead).".into(),
        version: version.to_string(),
    }
}

async fn audited(h: &Hearth, action: &str) -> Vec<hearth_app::records::AuditEvent> {
    let admin = actor(h, "admin@demo.hearth.test").await;
    h.search_audit(
        &admin,
        &AuditQuery {
            action: Some(action.into()),
            ..AuditQuery::default()
        },
    )
    .await
    .unwrap()
}

both_engines!(
    a_published_report_keeps_its_figures_and_text_whatever_the_record_does_next,
    |store| async move {
        let (h, clock) = hearth_with_clock(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        at(&clock, d(2040, 1, 10));
        requests(
            &h,
            &lead,
            &[
                "Abernethy",
                "Blackwood",
                "Carrington",
                "Dunleavy",
                "Ellesmere",
            ],
        )
        .await;
        let quarter = Quarter::containing(d(2040, 1, 10));
        at(&clock, d(2040, 4, 2));
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let id = h.start_board_report(&analyst, quarter).await.unwrap();

        let draft = h.board_report(&analyst, id, ReadAs::Page).await.unwrap();
        assert_eq!(draft.report.status, ReportStatus::Draft);
        assert_eq!(
            latest(&draft, "requests"),
            "5",
            "five requests in the quarter"
        );
        assert_eq!(
            draft.figures.quarters.len(),
            4,
            "the quarter and three before"
        );
        assert_eq!(draft.figures.quarters[3].code, quarter.code());
        let requests_line = draft
            .figures
            .lines
            .iter()
            .find(|l| l.code == "requests")
            .unwrap();
        assert_eq!(
            requests_line.figures[2].text, "0",
            "none the quarter before"
        );
        assert_eq!(requests_line.change, "Up", "a volume to watch");
        let national = draft
            .figures
            .lines
            .iter()
            .find(|l| l.code == "rerequests")
            .unwrap();
        assert_eq!(
            national.national_average.as_deref(),
            Some("20–25% (re-referrals)")
        );
        assert_eq!(national.direction, "Lower is better");

        // A draft is saved with gaps; publishing it with a gap is refused, saying which.
        let mut form = written(draft.report.version);
        form.worries = String::new();
        h.save_board_report(&analyst, id, &form).await.unwrap();
        let saved = h.board_report(&analyst, id, ReadAs::Editing).await.unwrap();
        assert_eq!(saved.report.sections.summary, form.summary);
        assert_eq!(saved.report.version, 2);
        let refused = h.publish_board_report(&analyst, id, &form).await;
        assert!(
            matches!(&refused, Err(AppError::Invalid(e)) if e.get("worries").is_some()),
            "{refused:?}"
        );
        let done = h.publish_board_report(&analyst, id, &written(2)).await;
        assert!(done.is_ok(), "{done:?}");
        let published = h.board_report(&analyst, id, ReadAs::Page).await.unwrap();
        assert_eq!(published.report.status, ReportStatus::Published);
        assert!(published.report.published_at.is_some());

        // The record moves on: a sixth request in the same quarter (entered late).
        at(&clock, d(2040, 1, 20));
        requests(&h, &lead, &["Fairweather"]).await;
        at(&clock, d(2040, 4, 3));
        let live = h
            .dashboard(
                &analyst,
                Scope::Partnership,
                ReportFilter::default(),
                quarter,
                1,
            )
            .await
            .unwrap();
        let live_requests = live
            .lines
            .iter()
            .find(|l| l.kpi.code == "requests")
            .unwrap();
        assert_eq!(
            live_requests.figures[0].text(),
            "6",
            "the dashboard counts it"
        );

        let again = h.board_report(&analyst, id, ReadAs::Page).await.unwrap();
        assert_eq!(
            latest(&again, "requests"),
            "5",
            "the published figure stands"
        );
        assert_eq!(
            again.figures, published.figures,
            "every figure as published"
        );
        assert_eq!(
            again.report.sections.worries,
            "Re-requests within a year are rising."
        );

        // Neither the text nor the figures change once published.
        let mut late = written(again.report.version);
        late.summary = "Rewritten afterwards".into();
        let refused = h.save_board_report(&analyst, id, &late).await;
        assert!(matches!(refused, Err(AppError::Conflict)), "{refused:?}");
        let refused = h.publish_board_report(&analyst, id, &late).await;
        assert!(matches!(refused, Err(AppError::Conflict)), "{refused:?}");

        // A new draft of the same quarter counts the record as it is now.
        let second = h.start_board_report(&analyst, quarter).await.unwrap();
        let fresh = h
            .board_report(&analyst, second, ReadAs::Page)
            .await
            .unwrap();
        assert_eq!(latest(&fresh, "requests"), "6");
        let listed = h.board_reports(&analyst).await.unwrap();
        assert_eq!(listed.len(), 2);

        let (name, pdf) = h.board_report_pdf(&analyst, id).await.unwrap();
        assert_eq!(name, format!("board-report-{}.pdf", quarter.code()));
        assert!(pdf.starts_with(b"%PDF"));
        let text = hearth_testkit::pdf::text(&pdf);
        assert!(text.contains("What we are worried about"), "the sections");
        assert!(text.contains("Re-requests within a year are rising."));
        assert!(
            text.contains("Requests for support received"),
            "the figures"
        );

        let published_events = audited(&h, "board_report_published").await;
        assert_eq!(published_events.len(), 1);
        assert_eq!(
            published_events[0].actor_user_id.as_deref(),
            Some(analyst.user_id.to_string().as_str())
        );
        assert_eq!(
            published_events[0].record_id.as_deref(),
            Some(id.to_string().as_str())
        );
        assert_eq!(audited(&h, "board_report_drafted").await.len(), 2);
        let reads = audited(&h, "board_report_read").await;
        assert!(
            reads
                .iter()
                .any(|e| e.detail.as_deref().is_some_and(|d| d.contains("\"pdf\""))),
            "the download is recorded"
        );
    }
);

both_engines!(
    small_counts_are_hidden_in_the_pack_even_for_an_analyst_in_the_council,
    |store| async move {
        let (h, clock) = hearth_with_clock(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        at(&clock, d(2040, 1, 10));
        requests(&h, &lead, &["Gainsborough", "Hollingworth"]).await;
        let quarter = Quarter::containing(d(2040, 1, 10));
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let dashboard = h
            .dashboard(
                &analyst,
                Scope::Partnership,
                ReportFilter::default(),
                quarter,
                1,
            )
            .await
            .unwrap();
        assert!(!dashboard.suppressed, "the analyst works in the council");
        let id = h.start_board_report(&analyst, quarter).await.unwrap();
        let view = h.board_report(&analyst, id, ReadAs::Page).await.unwrap();
        assert_eq!(latest(&view, "requests"), "Fewer than 5");
        assert_eq!(view.figures.suppressed_below, 5);
        h.publish_board_report(&analyst, id, &written(view.report.version))
            .await
            .unwrap();
        let published = h.board_report(&analyst, id, ReadAs::Page).await.unwrap();
        assert_eq!(latest(&published, "requests"), "Fewer than 5");
    }
);

both_engines!(
    only_those_who_see_reports_reach_the_board_reports_and_refusals_are_recorded,
    |store| async move {
        let (h, _clock) = hearth_with_clock(store).await;
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let quarter = Quarter::containing(h.now().date_naive());
        let id = h.start_board_report(&analyst, quarter).await.unwrap();
        for email in [
            "lead@demo.hearth.test",
            "admin@demo.hearth.test",
            "frontdoor@demo.hearth.test",
        ] {
            let who = actor(&h, email).await;
            let refused = h.board_reports(&who).await;
            assert!(matches!(refused, Err(AppError::Forbidden(_))), "{email}");
            let refused = h.board_report(&who, id, ReadAs::Page).await;
            assert!(matches!(refused, Err(AppError::Forbidden(_))), "{email}");
            let refused = h.start_board_report(&who, quarter).await;
            assert!(matches!(refused, Err(AppError::Forbidden(_))), "{email}");
            let refused = h.save_board_report(&who, id, &written(1)).await;
            assert!(matches!(refused, Err(AppError::Forbidden(_))), "{email}");
        }
        let refusals: Vec<_> = audited(&h, "access_denied")
            .await
            .into_iter()
            .filter(|e| e.record_type.as_deref() == Some("board_report"))
            .collect();
        assert_eq!(refusals.len(), 12, "each refusal recorded once");
        let untouched = h.board_report(&analyst, id, ReadAs::Page).await.unwrap();
        assert_eq!(untouched.report.version, 1, "nothing was saved");
    }
);
