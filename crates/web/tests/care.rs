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
