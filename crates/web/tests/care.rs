//! Children in care over real HTTP, on both engines, through the no-JavaScript forms: the
//! placements officer adds homes, the social worker records a 14-year-old coming into care and
//! asks for a home with his brother in his own words (a blank wish comes back with "Error: "
//! and what was typed kept), the officer sees the homes ranked with why and places him; and
//! others, trying the child's and the request's ids, are refused (403, audited).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Datelike, Utc};
use hearth_testkit::app::{actor, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use hearth_testkit::server::Server;
use reqwest::StatusCode;
use sqlx::Row;

fn home<'a>(
    csrf: &'a str,
    name: &'a str,
    route: &'a str,
    postcode: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf_token", csrf),
        ("name", name),
        ("provider", "Demo provider"),
        ("route", route),
        ("placement_type", "U4"),
        ("ofsted_urn", ""),
        ("rating", ""),
        ("registered_places", "3"),
        ("vacancies", "2"),
        ("age_from", "10"),
        ("age_to", "17"),
        ("offers", "teenagers"),
        ("offers", "sibling_groups"),
        ("postcode", postcode),
        ("weekly_cost", "640.00"),
    ]
}

both_engines!(
    a_social_worker_asks_and_the_placements_officer_places_through_the_forms,
    |store| async move {
        let mut s = Server::start(store.clone()).await;
        s.sign_in("placements@demo.hearth.test").await;
        let csrf = s.csrf("/care/homes/new").await;
        // A home without a postcode comes back saying so.
        let mut bad = home(&csrf, "Clifton carers", "in_house", "");
        bad.retain(|(k, _)| *k != "postcode");
        let res = s.post("/care/homes/new", &bad).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(body.contains("<title>Error: ") && body.contains("Enter the home"));
        assert!(body.contains("Clifton carers"), "what was typed is kept");
        for (name, route, pc) in [
            ("Clifton carers", "in_house", "NG11 9BB"),
            ("Radford House", "spot", "NG7 5HY"),
        ] {
            let res = s
                .post("/care/homes/new", &home(&csrf, name, route, pc))
                .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
        }
        let homes = s.get("/care/homes").await.text().await.unwrap();
        assert!(homes.find("Clifton carers").unwrap() < homes.find("Radford House").unwrap());

        let sw = actor(&s.hearth, "social-worker@demo.hearth.test").await;
        let daniel = Family::new("Okafor")
            .child("Daniel", &years_ago(14))
            .address("1 Gregory Boulevard", "NG7 5AA")
            .add(&s.hearth, &sw)
            .await[0];
        s.sign_in_fresh("social-worker@demo.hearth.test").await;
        // The way in: the navigation's list, and the links on the person's record.
        let list = s.get("/care/children").await.text().await.unwrap();
        assert!(list.contains("No child in care is allocated to you"));
        let person = s
            .get(&format!("/people/{daniel}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(person.contains(&format!("href=\"/care/children/{daniel}/start\"")));
        assert!(!person.contains(&format!("href=\"/care/children/{daniel}\"")));
        let start = format!("/care/children/{daniel}/start");
        let csrf = s.csrf(&start).await;
        let t = Utc::now().date_naive();
        let (d, m, y) = (
            t.day().to_string(),
            t.month().to_string(),
            t.year().to_string(),
        );
        let res = s
            .post(
                &start,
                &[
                    ("csrf_token", &csrf),
                    ("start-day", &d),
                    ("start-month", &m),
                    ("start-year", &y),
                    ("legal_status", "C2"),
                    ("category_of_need", "N1"),
                    ("home_postcode", "NG7 5AA"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let person = s
            .get(&format!("/people/{daniel}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(person.contains(&format!("href=\"/care/children/{daniel}\"")));
        assert!(
            !person.contains(&format!("href=\"/care/children/{daniel}/start\"")),
            "already in care"
        );
        let list = s.get("/care/children").await.text().await.unwrap();
        assert!(list.contains("Daniel Okafor") && list.contains("Not placed yet"));
        let ask = format!("/care/children/{daniel}/request");
        let mut form = vec![
            ("csrf_token", csrf.as_str()),
            ("urgency", "this_week"),
            ("needs", "teenagers"),
            ("needs", "sibling_groups"),
            ("siblings", "1"),
            ("school", "Trentside Academy"),
            ("wishes", ""),
        ];
        let res = s.post(&ask, &form).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(body.contains("<title>Error: ") && body.contains("Enter the child"));
        assert!(body.contains("Trentside Academy"), "what was typed is kept");
        form.pop();
        form.push((
            "wishes",
            "I want to stay with my brother Sam & keep my school.",
        ));
        let res = s.post(&ask, &form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let record = s
            .get(&format!("/care/children/{daniel}?done=requested"))
            .await
            .text()
            .await
            .unwrap();
        assert!(record.contains("The placements team has the request."));
        assert!(record.contains("Waiting for a home"));

        s.sign_in_fresh("placements@demo.hearth.test").await;
        let desk = s.get("/care").await.text().await.unwrap();
        let at = desk.find("/care/requests/").unwrap();
        let path = desk[at..at + "/care/requests/".len() + 36].to_string();
        let page = s.get(&path).await.text().await.unwrap();
        assert!(
            page.contains("my brother Sam") && !page.contains("Sam & keep"),
            "in his words, escaped"
        );
        let clifton = page.find("Clifton carers").unwrap();
        assert!(
            clifton < page.find("Radford House").unwrap(),
            "in-house first"
        );
        assert!(page.contains("In-house · ") && page.contains("miles from home"));
        let home_id = {
            let at = page
                .find("name=\"home\" type=\"radio\" value=\"")
                .map(|i| i + 32)
                .or_else(|| page.find("name=\"home\" value=\"").map(|i| i + 19))
                .unwrap();
            page[at..at + 36].to_string()
        };
        let csrf = s.csrf(&path).await;
        let res = s
            .post(
                &format!("{path}/place"),
                &[
                    ("csrf_token", &csrf),
                    ("version", "1"),
                    ("home", &home_id),
                    ("start-day", &d),
                    ("start-month", &m),
                    ("start-year", &y),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let record = s
            .get(&format!("/care/children/{daniel}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(record.contains("Clifton carers") && record.contains("inside the boundary"));

        // Others, with the child's and the request's ids: refused, each refusal audited.
        let count = || async {
            let mut conn = store.read().await.unwrap();
            sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'access_denied'")
                .fetch_one(&mut *conn)
                .await
                .unwrap()
                .try_get::<i64, _>("n")
                .unwrap()
        };
        let before = count().await;
        s.sign_in_fresh("lead@demo.hearth.test").await;
        for p in [
            format!("/care/children/{daniel}"),
            path.clone(),
            "/care/children".into(),
            "/care".into(),
            "/care/homes".into(),
        ] {
            let res = s.get(&p).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{p}");
            assert!(!res.text().await.unwrap().contains("brother Sam"));
        }
        let csrf = s.csrf("/").await;
        let res = s
            .post(
                &format!("{path}/unmet"),
                &[("csrf_token", &csrf), ("why", "x"), ("version", "2")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        s.sign_in_fresh("social-worker@demo.hearth.test").await;
        let list = s.get("/care/children").await.text().await.unwrap();
        assert!(list.contains("Daniel Okafor") && list.contains("Clifton carers"));
        assert_eq!(s.get("/care/homes").await.status(), StatusCode::FORBIDDEN);
        assert_eq!(count().await, before + 7);
    }
);

/// Daniel, 14, in care from `start`, allocated to the demo social worker.
async fn daniel_in_care(s: &Server, start: chrono::NaiveDate) -> hearth_domain::ids::PersonId {
    let sw = actor(&s.hearth, "social-worker@demo.hearth.test").await;
    let daniel = Family::new("Okafor")
        .child("Daniel", &years_ago(14))
        .address("1 Gregory Boulevard", "NG7 5AA")
        .add(&s.hearth, &sw)
        .await[0];
    s.hearth
        .start_care(
            &sw,
            daniel,
            &hearth_app::care::StartForm {
                start_day: start.day().to_string(),
                start_month: start.month().to_string(),
                start_year: start.year().to_string(),
                legal_status: "C2".into(),
                category_of_need: "N1".into(),
                home_postcode: "NG7 5AA".into(),
                uasc: "yes".into(),
            },
        )
        .await
        .unwrap();
    daniel
}

async fn denied(store: &hearth_app::Store) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'access_denied'")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get::<i64, _>("n")
        .unwrap()
}

both_engines!(
    a_social_worker_ends_a_childs_care_through_the_form,
    |store| async move {
        let mut s = Server::start(store.clone()).await;
        let t = Utc::now().date_naive();
        let daniel = daniel_in_care(&s, t - chrono::Duration::days(30)).await;
        let page = format!("/care/children/{daniel}");
        let end = format!("{page}/end-care");
        let (d, m, y) = (
            t.day().to_string(),
            t.month().to_string(),
            t.year().to_string(),
        );
        // Others are refused, with this child's id: audited, nothing changed.
        let before = denied(&store).await;
        for email in [
            "lead@demo.hearth.test",
            "practitioner@demo.hearth.test",
            "hub@demo.hearth.test",
        ] {
            s.sign_in_fresh(email).await;
            let csrf = s.csrf("/").await;
            let res = s
                .post(
                    &end,
                    &[
                        ("csrf_token", &csrf),
                        ("cease_reason", "E4A"),
                        ("ceased-day", &d),
                        ("ceased-month", &m),
                        ("ceased-year", &y),
                    ],
                )
                .await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{email}");
        }
        assert_eq!(denied(&store).await, before + 3);

        s.sign_in_fresh("social-worker@demo.hearth.test").await;
        let body = s.get(&page).await.text().await.unwrap();
        assert!(
            body.contains("End the child&#x27;s care") || body.contains("End the child's care")
        );
        assert!(body.contains("Unaccompanied asylum-seeking child"));
        let csrf = s.csrf(&page).await;
        // A person never in care: nothing to end.
        let sw = actor(&s.hearth, "social-worker@demo.hearth.test").await;
        let never = Family::new("Nobody")
            .child("Ann", &years_ago(9))
            .add(&s.hearth, &sw)
            .await[0];
        let res = s
            .post(
                &format!("/care/children/{never}/end-care"),
                &[
                    ("csrf_token", &csrf),
                    ("cease_reason", "E4A"),
                    ("ceased-day", &d),
                    ("ceased-month", &m),
                    ("ceased-year", &y),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        // No reason: the form comes back saying so, the day typed kept.
        let res = s
            .post(
                &end,
                &[
                    ("csrf_token", &csrf),
                    ("cease_reason", ""),
                    ("ceased-day", &d),
                    ("ceased-month", &m),
                    ("ceased-year", "1999"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(body.contains("<title>Error: ") && body.contains("Choose why the child"));
        assert!(body.contains("value=\"1999\""), "what was typed is kept");
        let res = s
            .post(
                &end,
                &[
                    ("csrf_token", &csrf),
                    ("cease_reason", "E4A"),
                    ("ceased-day", &d),
                    ("ceased-month", &m),
                    ("ceased-year", &y),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let body = s
            .get(&format!("{page}?done=care_ended"))
            .await
            .text()
            .await
            .unwrap();
        assert!(body.contains("The end of the child") && body.contains("E4A"));
        assert!(body.contains("This child") && body.contains("care has ended"));
        assert!(
            !body.contains(&format!("{page}/end-care")),
            "nothing more to end"
        );
        let list = s.get("/care/children").await.text().await.unwrap();
        assert!(!list.contains("Daniel Okafor"), "no longer in care");
    }
);

both_engines!(
    the_sufficiency_picture_reads_as_tables_and_a_csv_for_the_placements_team_only,
    |store| async move {
        let mut s = Server::start(store.clone()).await;
        let t = Utc::now().date_naive();
        daniel_in_care(&s, t - chrono::Duration::days(30)).await;
        // Signed out, and anyone who neither reads reports nor commissions placements.
        let res = s.get("/care/sufficiency").await;
        assert_ne!(res.status(), StatusCode::OK);
        assert!(!res.text().await.unwrap().contains("Children looked after"));
        let before = denied(&store).await;
        for email in [
            "practitioner@demo.hearth.test",
            "hub@demo.hearth.test",
            "social-worker@demo.hearth.test",
        ] {
            s.sign_in_fresh(email).await;
            for p in ["/care/sufficiency", "/care/sufficiency.csv"] {
                let res = s.get(p).await;
                assert_eq!(res.status(), StatusCode::FORBIDDEN, "{email} {p}");
            }
        }
        assert_eq!(denied(&store).await, before + 6);

        s.sign_in_fresh("placements@demo.hearth.test").await;
        let body = s.get("/care/sufficiency").await.text().await.unwrap();
        for words in [
            "Children looked after",
            "Rate per 10,000 children",
            "By age",
            "Unaccompanied asylum-seeking children",
            "Placement mix",
            "In-house and external",
            "Within 20 miles",
            "Stability",
            "Spend by kind of placement",
            "Ofsted ratings of the homes used",
            "Gaps: no suitable home",
            "How this is counted",
        ] {
            assert!(body.contains(words), "{words}");
        }
        // A date that is not one comes back saying what to fix, what was typed kept.
        let res = s
            .get("/care/sufficiency?on-day=31&on-month=13&on-year=2025")
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(body.contains("<title>Error: ") && body.contains("value=\"13\""));
        let res = s
            .get("/care/sufficiency?on-day=31&on-month=3&on-year=2025")
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.text().await.unwrap().contains("On 31 March 2025"));
        let res = s
            .get("/care/sufficiency.csv?on-day=31&on-month=3&on-year=2025")
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let csv = res.text().await.unwrap();
        assert!(csv.starts_with("on,table,title,line,column,value\r\n"));
        assert!(
            csv.contains("2025-03-31,looked_after,Children looked after,Looked after,Children,0")
        );
    }
);

/// Posts the legal-status form for the child at `action`: the status their care changed to
/// and the day, with the form's token when given.
async fn post_status(
    s: &Server,
    action: &str,
    csrf: &str,
    status: &str,
    day: chrono::NaiveDate,
) -> reqwest::Response {
    let (d, m, y) = (
        day.day().to_string(),
        day.month().to_string(),
        day.year().to_string(),
    );
    let mut form = vec![
        ("new_status", status),
        ("changed-day", d.as_str()),
        ("changed-month", m.as_str()),
        ("changed-year", y.as_str()),
    ];
    if !csrf.is_empty() {
        form.push(("csrf_token", csrf));
    }
    s.post(action, &form).await
}

both_engines!(
    a_social_worker_records_a_change_of_legal_status_through_the_form,
    |store| async move {
        let mut s = Server::start(store.clone()).await;
        let t = Utc::now().date_naive();
        let daniel = daniel_in_care(&s, t - chrono::Duration::days(60)).await;
        let page = format!("/care/children/{daniel}");
        let action = format!("{page}/legal-status");
        let day = t - chrono::Duration::days(10);
        // Someone with no part in his care, with his id: refused, audited, nothing changed.
        let before = denied(&store).await;
        s.sign_in("hub@demo.hearth.test").await;
        let csrf = s.csrf("/").await;
        let res = post_status(&s, &action, &csrf, "E1", day).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(denied(&store).await, before + 1);

        s.sign_in_fresh("social-worker@demo.hearth.test").await;
        let body = s.get(&page).await.text().await.unwrap();
        assert!(body.contains("No change since care began"));
        assert!(body.contains("Record a change of legal status"));
        let csrf = s.csrf(&page).await;
        // Without the form's token: refused.
        let res = post_status(&s, &action, "", "E1", day).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        // The status he has already: sent back saying so, the day typed kept.
        let res = post_status(&s, &action, &csrf, "C2", day).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(body.contains("<title>Error: "), "{body}");
        assert!(body.contains("is C2 already: choose the status it changed to"));
        assert!(
            body.contains(&format!("value=\"{}\"", day.year())),
            "the year typed is kept"
        );
        // A placement order granted.
        let res = post_status(&s, &action, &csrf, "E1", day).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(res.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("?done=status#legal-status"));
        let body = s.get(&page).await.text().await.unwrap();
        assert!(body.contains("E1: Placement order granted"));
        assert!(body.contains("Changes of legal status, the latest first"));
    }
);
