//! Returns over real HTTP, on both engines: the analyst downloads Annex A as a workbook (read
//! back with a spreadsheet reader) and a table of the safeguarding dataset as CSV; neither
//! holds a name or an address; a bad date comes back to the form with what to fix; and
//! anyone else is refused.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use calamine::{Data, Reader, Xlsx};
use chrono::Datelike;
use hearth_testkit::app::{actor, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use hearth_testkit::server::Server;
use reqwest::StatusCode;
use std::io::Cursor;

fn today_query(name: &str) -> String {
    let today = chrono::Utc::now().date_naive();
    format!(
        "{name}-day={}&{name}-month={}&{name}-year={}",
        today.day(),
        today.month(),
        today.year()
    )
}

both_engines!(
    the_analyst_downloads_annex_a_and_the_dataset,
    |store| async move {
        let s = Server::start(store).await;
        let lead = actor(&s.hearth, "lead@demo.hearth.test").await;
        let opened = Family::new("Quillfeather")
            .child("Marigold", &years_ago(9))
            .address("1 Quillfeather Lane", "NG7 1AA")
            .need("education")
            .early_help(&s.hearth, &lead, "School knows the family best")
            .await;
        let child = opened.people[0].to_string();
        s.sign_in("analyst@demo.hearth.test").await;

        let (status, page) = s.page("/returns").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.html().contains("Ofsted Annex A"));

        let res = s
            .get(&format!("/returns/annex-a?{}", today_query("on")))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".xlsx"));
        let bytes = res.bytes().await.unwrap().to_vec();
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        assert_eq!(
            book.sheet_names(),
            ["About", "List 1 Contacts", "List 2 Early help"]
        );
        for sheet in ["List 1 Contacts", "List 2 Early help"] {
            let range = book.worksheet_range(sheet).unwrap();
            let found = range
                .rows()
                .any(|r| r.first() == Some(&Data::String(child.clone())));
            assert!(found, "{sheet} lists the child");
            let text = format!("{range:?}");
            assert!(
                !text.contains("Quillfeather") && !text.contains("Marigold"),
                "no names or addresses in {sheet}"
            );
        }

        let res = s
        .get(&format!("/returns/ssd?from-day=1&from-month=1&from-year=2000&{}&table=ssd_early_help_episodes", today_query("to")))
        .await;
        assert_eq!(res.status(), StatusCode::OK);
        let csv = res.text().await.unwrap();
        assert!(csv.starts_with("earl_episode_id,earl_person_id,"), "{csv}");
        assert!(csv.contains(&format!("{}:{child}", opened.episode)));
        assert!(!csv.contains("Quillfeather") && !csv.contains("Marigold"));
    }
);

both_engines!(a_bad_date_comes_back_with_what_to_fix, |store| async move {
    let s = Server::start(store).await;
    s.sign_in("analyst@demo.hearth.test").await;
    let (status, page) = s
        .page("/returns/annex-a?on-day=31&on-month=2&on-year=2026")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = page.html();
    assert!(html.contains("<title>Error: Returns"), "the title says so");
    assert!(html.contains("value=\"31\""), "what was typed is kept");
    let (status, page) = s
        .page("/returns/ssd?from-day=1&from-month=6&from-year=2026&to-day=1&to-month=1&to-year=2026&table=ssd_person")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page
        .html()
        .contains("The start of the period must be on or before its end"));
    let (status, page) = s
        .page("/returns/ssd?from-day=1&from-month=1&from-year=2026&to-day=1&to-month=6&to-year=2026&table=passwords")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html().contains("Choose a table to download"));
});

both_engines!(no_one_else_gets_a_return, |store| async move {
    let mut s = Server::start(store).await;
    for email in [
        "practitioner@demo.hearth.test",
        "lead@demo.hearth.test",
        "manager@demo.hearth.test",
        "admin@demo.hearth.test",
        "dpo@demo.hearth.test",
    ] {
        s.sign_in_fresh(email).await;
        let res = s
            .get(&format!("/returns/annex-a?{}", today_query("on")))
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{email}");
        let res = s
            .get(&format!(
                "/returns/ssd?from-day=1&from-month=1&from-year=2000&{}&table=ssd_person",
                today_query("to")
            ))
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{email}");
    }
});
