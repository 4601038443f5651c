//! Case-file audits over real HTTP, on both engines: the manager draws a sample and grades a
//! file through the no-JavaScript forms (a missing grade comes back with "Error: " and what to
//! fix), the quality auditor moderates it, the themes count it, and the family's own worker is
//! refused the desk and the file.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Datelike, Duration, Utc};
use hearth_app::Origin;
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use hearth_testkit::server::Server;
use reqwest::StatusCode;

const QUESTIONS: [&str; 5] = ["voice", "assessment", "plan", "progress", "management"];

both_engines!(
    a_manager_grades_a_case_file_and_the_quality_auditor_moderates_it,
    |store| async move {
        let mut s = Server::start(store).await;
        let family = Family::new("Larkspur")
            .child("Nell", "07/08/2016")
            .need("housing")
            .targeted(&s.hearth, Origin::default())
            .await;
        s.sign_in("manager@demo.hearth.test").await;
        let csrf = s.csrf("/quality").await;
        let (today, from) = (
            Utc::now().date_naive(),
            Utc::now().date_naive() - Duration::days(30),
        );
        let (fd, fm, fy) = (
            from.day().to_string(),
            from.month().to_string(),
            from.year().to_string(),
        );
        let (td, tm, ty) = (
            today.day().to_string(),
            today.month().to_string(),
            today.year().to_string(),
        );
        let res = s
            .post(
                "/quality/samples",
                &[
                    ("csrf_token", &csrf),
                    ("team", ""),
                    ("level", "targeted"),
                    ("state", "open"),
                    ("from-day", &fd),
                    ("from-month", &fm),
                    ("from-year", &fy),
                    ("to-day", &td),
                    ("to-month", &tm),
                    ("to-year", &ty),
                    ("size", "3"),
                    ("how", "random"),
                    ("seed", "2026"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let desk = s.get("/quality?done=1").await.text().await.unwrap();
        assert!(desk.contains("1 case file was drawn for audit."));
        assert!(!desk.contains("Larkspur"), "the desk names no family");
        let at = desk.find("/quality/audits/").unwrap();
        let path = desk[at..at + "/quality/audits/".len() + 36].to_string();

        let file = s.get(&path).await.text().await.unwrap();
        assert!(file.contains("Nell Larkspur"));
        // One question left ungraded: the form comes back saying what to fix.
        let mut form: Vec<(String, String)> = vec![
            ("csrf_token".into(), csrf.clone()),
            ("comments".into(), "Warm work; the plan lacks dates".into()),
        ];
        for q in &QUESTIONS[1..] {
            form.push((format!("grade_{q}"), "good".into()));
        }
        let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let res = s.post(&format!("{path}/grade"), &refs).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(body.contains("<title>Error: "));
        assert!(body.contains("Choose a grade for the child"));
        form.push(("grade_voice".into(), "requires_improvement".into()));
        let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let res = s.post(&format!("{path}/grade"), &refs).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let file = s.get(&path).await.text().await.unwrap();
        assert!(file.contains("you cannot moderate your own audit"));

        s.sign_in_fresh("quality@demo.hearth.test").await;
        let file = s.get(&path).await.text().await.unwrap();
        assert!(file.contains("Record the moderation"));
        let version = {
            let at = file.find("name=\"version\" value=\"").unwrap() + 22;
            file[at..].split('"').next().unwrap().to_string()
        };
        let csrf = s.csrf(&path).await;
        let res = s
            .post(
                &format!("{path}/moderation"),
                &[
                    ("csrf_token", &csrf),
                    ("version", &version),
                    ("grade", "agree"),
                    ("reasons", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let file = s.get(&path).await.text().await.unwrap();
        assert!(file.contains("Moderated grade"));
        let themes = s.get("/quality/themes").await.text().await.unwrap();
        assert!(themes.contains("1 case file graded"));

        // The family's own worker reaches neither the desk nor the file.
        s.sign_in_fresh("worker@demo.hearth.test").await;
        assert_eq!(s.get("/quality").await.status(), StatusCode::FORBIDDEN);
        let res = s.get(&path).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(!res.text().await.unwrap().contains("Larkspur"));
        drop(family);
    }
);
