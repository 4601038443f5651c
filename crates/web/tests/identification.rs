//! Early identification over real HTTP, on both engines: the partner data analyst registers a
//! dataset, pastes one file and uploads another through the no-JavaScript forms (a bad row named by its line, a
//! missing field coming back with what to fix), decides an uncertain match with a button, and a
//! front door officer sees the family on the worklist with its reasons and records what was
//! done. Other roles, other families' ids and made-up ids are refused, each audited.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Duration, Utc};
use hearth_app::Store;
use hearth_testkit::app::actor;
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use hearth_testkit::server::Server;
use reqwest::StatusCode;
use sqlx::Row;

async fn count(store: &Store, sql: &str) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query(sql)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

/// Follows an import to its page and checks again until it has finished, as the analyst does
/// without JavaScript; the finished page.
async fn finished(browser: &Server, res: reqwest::Response) -> String {
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()[reqwest::header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(to.starts_with("/identification/imports/"), "{to}");
    for _ in 0..600 {
        let res = browser.get(&to).await;
        assert_eq!(res.status(), StatusCode::OK);
        let body = res.text().await.unwrap();
        if !body.contains("Check again") {
            return body;
        }
        let progress = browser.get(&format!("{to}/progress")).await;
        assert_eq!(progress.status(), StatusCode::OK);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the import did not finish");
}

both_engines!(
    an_analyst_imports_and_reviews_and_the_front_door_works_the_family,
    |store| async move {
        let s = Server::start(store.clone()).await;
        let lead = actor(&s.hearth, "lead@demo.hearth.test").await;
        let today = Utc::now().date_naive();
        let mia = today - Duration::days(9 * 365);
        let grace = today - Duration::days(35 * 365);
        Family::new("Okafor")
            .child("Mia", &mia.format("%d/%m/%Y").to_string())
            .address("1 Oak Street", "NG7 2RD")
            .parent("Grace", &grace.format("%d/%m/%Y").to_string())
            .address("1 Oak Street", "NG7 2RD")
            .add(&s.hearth, &lead)
            .await;
        // Another Grace Okafor, across the city (added alone, in no household): the police's
        // rows without a date of birth do not settle which Grace they mean.
        Family::new("Okafor")
            .parent("Grace", "02/02/1960")
            .address("5 Ash Road", "NG5 1AB")
            .add(&s.hearth, &lead)
            .await;

        let analyst = s.new_browser();
        analyst.sign_in("matching@demo.hearth.test").await;
        let csrf = analyst.csrf("/identification").await;
        let owner: String = {
            let mut conn = store.read().await.unwrap();
            sqlx::query(
                "SELECT id FROM organisations WHERE name = 'Nottingham City Council (demo)'",
            )
            .fetch_one(&mut *conn)
            .await
            .unwrap()
            .get(0)
        };
        let (from, to) = (
            (today - Duration::days(10)).to_string(),
            (today + Duration::days(700)).to_string(),
        );
        let dataset = |code: &'static str, kind: &'static str, days: &'static str| {
            vec![
                ("csrf_token", csrf.clone()),
                ("code", code.to_string()),
                ("name", format!("{code} feed")),
                ("kind", kind.to_string()),
                ("owner", owner.clone()),
                ("agreement_reference", "DSA-2025-07".to_string()),
                ("agreement_from", from.clone()),
                ("agreement_to", to.clone()),
                ("lawful_basis", "public_task".to_string()),
                (
                    "fields",
                    "names, date of birth, postcode, event, date".to_string(),
                ),
                ("refresh", "monthly".to_string()),
                ("unmatched_days", days.to_string()),
            ]
        };
        let as_refs =
            |v: &Vec<(&'static str, String)>| -> Vec<(&'static str, String)> { v.clone() };
        // A missing retention comes back with the error and what was typed.
        let form = as_refs(&dataset("attendance", "school_census", ""));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = analyst.post("/identification/datasets", &pairs).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(body.contains("<title>Error: "));
        assert!(body.contains("Enter how many days rows that match nobody may be kept"));
        assert!(body.contains(r#"value="DSA-2025-07""#));
        for (code, kind) in [
            ("attendance", "school_census"),
            ("police", "police_notifications"),
        ] {
            let form = dataset(code, kind, "30");
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = analyst.post("/identification/datasets", &pairs).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
        }

        let recent = (today - Duration::days(20)).to_string();
        let older = (today - Duration::days(200)).to_string();
        let file = format!(
            "reference,given_names,family_name,dob,postcode,event,date,attendance\r\n\
             A1,Mia,Okafor,{mia},NG7 2RD,attendance,{recent},84.2\r\n\
             A2,Mia,Okafor,{mia},NG7 2RD,attendance,next week,80\r\n"
        );
        let res = analyst
            .post(
                "/identification/imports",
                &[
                    ("csrf_token", &csrf),
                    ("dataset", "attendance"),
                    ("file", &file),
                ],
            )
            .await;
        let body = finished(&analyst, res).await;
        assert!(
            body.contains("2 rows read: 1 matched, 0 for review, 0 unmatched, 1 not imported."),
            "{body}"
        );
        assert!(
            body.contains(">line 3<") && body.contains("date &#39;next week&#39; is not a date"),
            "{body}"
        );

        let police = format!(
            "reference,given_names,family_name,dob,postcode,event,date\n\
             P1,Grace,Okafor,,NG7 2RD,domestic_abuse,{recent}\n\
             P2,Grace,Okafor,,NG7 2RD,domestic_abuse,{older}\n"
        );
        // The police file is uploaded as a file (multipart, its token in the form). With
        // neither a file nor pasted text, the form says what to do.
        let upload = |bytes: Option<Vec<u8>>| {
            let form = reqwest::multipart::Form::new()
                .text("csrf_token", csrf.clone())
                .text("dataset", "police")
                .text("sheet", "")
                .text("file", "");
            let form = match bytes {
                Some(b) => form.part(
                    "upload",
                    reqwest::multipart::Part::bytes(b).file_name("police-q3.csv"),
                ),
                None => form,
            };
            analyst
                .client
                .post(analyst.url("/identification/imports"))
                .multipart(form)
                .send()
        };
        let res = upload(None).await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(
            body.contains("Choose a file to upload, or paste the file")
                && body.contains("href=\"#upload\""),
            "{body}"
        );
        let res = upload(Some(b"reference,name\nP1,Grace\n".to_vec()))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(
            body.contains("police-q3.csv: the first line must name the columns")
                && body.contains("id=\"upload-error\""),
            "{body}"
        );
        let res = upload(Some(police.into_bytes())).await.unwrap();
        let job = res.headers()[reqwest::header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        let body = finished(&analyst, res).await;
        assert!(body.contains("0 matched, 2 for review"), "{body}");

        // The queue: Grace's rows beside Grace's record; one button decides both.
        let res = analyst.get("/identification/review").await;
        assert_eq!(res.status(), StatusCode::OK);
        let body = res.text().await.unwrap();
        assert!(body.contains("same postcode"), "{body}");
        let id: String = {
            let mut conn = store.read().await.unwrap();
            sqlx::query(
                "SELECT id FROM partner_records WHERE state = 'review' ORDER BY line LIMIT 1",
            )
            .fetch_one(&mut *conn)
            .await
            .unwrap()
            .get(0)
        };
        let res = analyst
            .post(
                &format!("/identification/review/{id}"),
                &[("csrf_token", &csrf), ("decision", "same")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM partner_records WHERE state = 'review'"
            )
            .await,
            0
        );

        // The front door sees the Okafors with their reasons, and records a contact.
        let frontdoor = s.new_browser();
        frontdoor.sign_in("frontdoor@demo.hearth.test").await;
        let res = frontdoor.get("/identification/worklist").await;
        assert_eq!(res.status(), StatusCode::OK);
        let body = res.text().await.unwrap();
        assert!(
            body.contains("Attendance under 90% in a term") && body.contains("84.2%"),
            "{body}"
        );
        assert!(body.contains("Two or more domestic abuse notifications in 12 months"));
        assert!(body.contains("Grace Okafor") && body.contains("police feed"));
        let household: String = {
            let mut conn = store.read().await.unwrap();
            sqlx::query("SELECT household_id FROM household_members hm JOIN people p ON p.id = hm.person_id WHERE p.given_names = 'Grace'")
                .fetch_one(&mut *conn)
                .await
                .unwrap()
                .get(0)
        };
        // The worklist names a household's family `household-<id>`.
        let household = format!("household-{household}");
        let fd_csrf = frontdoor.csrf("/identification/worklist").await;
        let path = format!("/identification/worklist/{household}/outreach");
        // Nothing chosen: the error names the field.
        let res = frontdoor.post(&path, &[("csrf_token", &fd_csrf)]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(body.contains("<title>Error: ") && body.contains("Choose what was done"));
        let (o, n) = (format!("outreach-{household}"), format!("note-{household}"));
        let res = frontdoor
            .post(
                &path,
                &[
                    ("csrf_token", &fd_csrf),
                    (&o, "offered_help"),
                    (&n, "Offered a Family Hub course"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let body = frontdoor
            .get("/identification/worklist")
            .await
            .text()
            .await
            .unwrap();
        assert!(body.contains("Offered help, by") && body.contains("Offered a Family Hub course"));

        // The council's analyst reads who is identified, compared with everyone, and the CSV.
        let reader = s.new_browser();
        reader.sign_in("analyst@demo.hearth.test").await;
        let res = reader.get("/identification/fairness").await;
        assert_eq!(res.status(), StatusCode::OK);
        let body = res.text().await.unwrap();
        assert!(
            body.contains("are in a family on the early identification worklist"),
            "{body}"
        );
        let res = reader.get("/identification/fairness.csv").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let csv = res.text().await.unwrap();
        assert!(
            csv.starts_with("dimension,group,people,identified,"),
            "{csv}"
        );
        assert!(csv.contains("\nArea (ward),"), "{csv}");

        // Refusals, as an attacker would try them, each audited.
        let denied = || {
            count(
                &store,
                "SELECT COUNT(*) FROM audit_events WHERE action = 'access_denied'",
            )
        };
        let before = denied().await;
        let lead_browser = s.new_browser();
        lead_browser.sign_in("lead@demo.hearth.test").await;
        let lead_csrf = lead_browser.csrf("/").await;
        for path in [
            "/identification",
            "/identification/review",
            "/identification/worklist",
            "/identification/fairness",
        ] {
            assert_eq!(
                lead_browser.get(path).await.status(),
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
        assert_eq!(
            frontdoor.get("/identification/review").await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            analyst.get("/identification/worklist").await.status(),
            StatusCode::FORBIDDEN
        );
        let res = lead_browser
            .post(
                &format!("/identification/review/{id}"),
                &[("csrf_token", &lead_csrf), ("decision", "not_same")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let res = lead_browser
            .post(&path, &[("csrf_token", &lead_csrf), (&o, "declined")])
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        // A household that is not on the worklist (another family's, made up) is refused.
        let other = format!("household-{}", hearth_domain::ids::HouseholdId::new());
        let res = frontdoor
            .post(
                &format!("/identification/worklist/{other}/outreach"),
                &[
                    ("csrf_token", &fd_csrf),
                    (&format!("outreach-{other}"), "declined"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        // An import's page and progress are the matching desk's alone.
        for path in [job.clone(), format!("{job}/progress")] {
            assert_eq!(
                lead_browser.get(&path).await.status(),
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
        assert_eq!(denied().await - before, 11);
        // Without the form's token, nothing is recorded.
        let res = frontdoor.post(&path, &[(&o, "declined")]).await;
        assert_ne!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM identification_outreach").await,
            1
        );
    }
);

both_engines!(
    the_data_lead_edits_the_indicators_in_a_page,
    |store| async move {
        let s = Server::start(store.clone()).await;
        let analyst = s.new_browser();
        analyst.sign_in("matching@demo.hearth.test").await;
        let list = analyst.get("/identification/indicators").await;
        assert_eq!(list.status(), StatusCode::OK);
        let body = list.text().await.unwrap();
        assert!(body.contains("Attendance under 90% in a term"));
        assert!(body.contains("Attendance below 90%, within 12 months"));
        assert!(body.contains("Level 3: Targeted Family Help"));
        let csrf = analyst.csrf("/identification/indicators").await;

        // Without the form's token nothing is kept.
        let refused = analyst
            .post(
                "/identification/indicators",
                &[("code", "rent_arrears"), ("label", "Rent arrears")],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "no CSRF token");

        // A bad indicator comes back with what to fix, and what was typed.
        let bad = analyst
            .post(
                "/identification/indicators",
                &[
                    ("csrf_token", &csrf),
                    ("code", "rent_arrears"),
                    ("label", "Rent arrears, twice"),
                    ("feed", "housing"),
                    ("event", "domestic_abuse"),
                    ("rule", "at_least"),
                    ("count", "two"),
                    ("months", "12"),
                    ("needs", "housing"),
                ],
            )
            .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = bad.text().await.unwrap();
        assert!(body.contains("<title>Error: "));
        assert!(body.contains("Domestic abuse notification is not in housing"));
        assert!(body.contains("Enter how many events it needs"));
        assert!(body.contains("Choose at least one level of the Continuum of Need"));
        assert!(body.contains(r#"value="Rent arrears, twice""#));

        let good = [
            ("csrf_token", csrf.as_str()),
            ("code", "rent_arrears"),
            ("label", "Rent arrears, twice"),
            ("feed", "housing"),
            ("event", "rent_arrears"),
            ("rule", "at_least"),
            ("count", "2"),
            ("months", "12"),
            ("needs", "housing"),
            ("needs", "financial"),
            ("levels", "2"),
        ];
        let added = analyst.post("/identification/indicators", &good).await;
        assert_eq!(added.status(), StatusCode::SEE_OTHER);
        let page = analyst.get("/identification/indicators/rent_arrears").await;
        assert_eq!(page.status(), StatusCode::OK);
        let body = page.text().await.unwrap();
        assert!(body.contains("Indicator rent_arrears, version 1"));
        assert!(body.contains("Secure housing; Financial stability"));

        // Changed from version 1: now 3 in 12 months, version 2, by the analyst.
        let mut changed: Vec<(&str, &str)> = good.to_vec();
        changed.retain(|(k, _)| *k != "count" && *k != "code");
        changed.extend([("count", "3"), ("from_version", "1")]);
        let res = analyst
            .post("/identification/indicators/rent_arrears", &changed)
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let body = analyst
            .get("/identification/indicators/rent_arrears")
            .await
            .text()
            .await
            .unwrap();
        assert!(body.contains("Indicator rent_arrears, version 2"));
        assert!(body.contains("At least 3 of: rent arrears, within 12 months"));
        assert!(body.contains("2: Changed"));
        assert!(body.contains("1: Added"));
        // The same change made again from version 1: someone changed it meanwhile; the typed
        // values come back, to be saved again from version 2.
        let stale = analyst
            .post("/identification/indicators/rent_arrears", &changed)
            .await;
        assert_eq!(stale.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = stale.text().await.unwrap();
        assert!(body.contains("it is now version 2"));
        assert!(body.contains(r#"name="from_version" value="2""#));

        // Retired: marked on the list, and in the audit log with every change.
        let res = analyst
            .post(
                "/identification/indicators/rent_arrears/retire",
                &[("csrf_token", &csrf), ("from_version", "2")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let body = analyst
            .get("/identification/indicators")
            .await
            .text()
            .await
            .unwrap();
        assert!(body.contains("Retired"));
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM audit_events WHERE action = 'identification_indicator_changed'"
            )
            .await,
            3
        );

        // Not the data lead: refused.
        let frontdoor = s.new_browser();
        frontdoor.sign_in("frontdoor@demo.hearth.test").await;
        let res = frontdoor.get("/identification/indicators").await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let res = frontdoor
            .get("/identification/indicators/rent_arrears")
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
);
