//! The family's voice over real HTTP, on both engines (ADR 0037): the worker makes a survey
//! link through the no-JavaScript form; the family answer it in Polish (and read it right to
//! left in Urdu) without an account, once; a used link and a made-up one are refused; another
//! team's worker is refused the episode's surveys; the analyst sees the answer in the
//! aggregate and the dashboard; a case study with the family's name is refused, then written,
//! reviewed by the manager and read on the board's list.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::Origin;
use hearth_testkit::app::years_ago;
use hearth_testkit::both_engines;
use hearth_testkit::episodes::{Family, Targeted};
use hearth_testkit::server::Server;
use reqwest::StatusCode;

async fn family(s: &Server) -> Targeted {
    Family::new("Nowak")
        .child("Zofia", &years_ago(12))
        .parent("Agata", &years_ago(37))
        .need("family_relationships")
        .targeted(&s.hearth, Origin::default())
        .await
}

/// The link on the page the worker is shown once.
fn link_in(html: &str) -> String {
    let start = html.find("/feedback/").unwrap();
    html[start..].chars().take_while(|c| *c != '<').collect()
}

both_engines!(
    a_family_answers_a_survey_in_polish_once_and_it_shows_in_the_figures,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let t = family(&s).await;
        let path = format!("/episodes/{}/surveys", t.episode);
        s.sign_in("worker@demo.hearth.test").await;
        let page = s.get(&path).await.text().await.unwrap();
        assert!(page.contains("Surveys for the family and children</h1>"));
        assert!(
            page.contains("Zofia Nowak"),
            "the child may have the children's version"
        );
        let csrf = s.csrf(&path).await;
        // Nothing chosen: the form says what to fix.
        let res = s.post(&path, &[("csrf_token", &csrf)]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("Choose when in the help this survey is for"));
        let res = s
            .post(
                &path,
                &[
                    ("csrf_token", &csrf),
                    ("moment", "review"),
                    ("who", "family"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("It has not been emailed to anyone"),
            "no address given"
        );
        let link = link_in(&html);

        // Urdu reads right to left.
        let urdu = s.new_browser();
        let (status, doc) = urdu.page(&format!("{link}?lang=ur")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(doc.root_element().html().contains(r#"dir="rtl""#));

        // The family, on a phone, in Polish, with no account.
        let phone = s.new_browser();
        let (status, doc) = phone.page(&format!("{link}?lang=pl")).await;
        assert_eq!(status, StatusCode::OK);
        let html = doc.root_element().html();
        assert!(html.contains("Kilka pytań o pomoc"));
        assert!(html.contains("Czy od początku pomocy sytuacja Twojej rodziny jest lepsza"));
        assert!(!html.contains("Nowak"), "the page names nobody");
        let csrf = phone.csrf(&format!("{link}?lang=pl")).await;
        let res = phone
            .post(
                &format!("{link}?lang=pl"),
                &[("csrf_token", &csrf), ("better", "better")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("Wybierz odpowiedź"));
        assert!(!html.contains("Choose an answer"), "no English left");
        let answer = [
            ("csrf_token", csrf.as_str()),
            ("better", "better"),
            ("listened", "yes"),
            ("comment", "Jest <b>spokojniej</b>"),
        ];
        let res = phone.post(&format!("{link}?lang=pl"), &answer).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.text().await.unwrap().contains("Dziękujemy"));
        // Used: refused.
        let again = phone.post(&format!("{link}?lang=pl"), &answer).await;
        assert_eq!(again.status(), StatusCode::GONE);
        assert_eq!(phone.get(&link).await.status(), StatusCode::GONE);
        // Another family's link that does not exist: nothing.
        assert_eq!(
            phone
                .get("/feedback/0000000000000000000000000000000000000000000")
                .await
                .status(),
            StatusCode::NOT_FOUND
        );

        // The worker sees it answered and the choice, not the family's words.
        let page = s.get(&path).await.text().await.unwrap();
        assert!(page.contains("Answered on"));
        assert!(page.contains(">Better<"));
        assert!(!page.contains("spokojniej"));

        // Another team's worker is refused the episode's surveys.
        let other = s.new_browser();
        other.sign_in("taf-worker@demo.hearth.test").await;
        assert_eq!(other.get(&path).await.status(), StatusCode::FORBIDDEN);

        // The analyst: the aggregate, and the dashboard's figure.
        let analyst = s.new_browser();
        analyst.sign_in("analyst@demo.hearth.test").await;
        let r = analyst.get("/reports/surveys").await.text().await.unwrap();
        assert!(r.contains("id=\"survey-results\""), "{r}");
        assert!(r.contains("After a review"));
        assert!(r.contains("100.0%"));
        let d = analyst.get("/reports").await.text().await.unwrap();
        assert!(d.contains("Families who say things are better"));
    }
);

both_engines!(
    a_case_study_is_refused_with_a_name_then_reviewed_and_published,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let t = family(&s).await;
        {
            let mut tx = store.write().await.unwrap();
            sqlx::query(
                "UPDATE episodes SET status = 'closed', ended_on = '2026-01-20',
                     closure_reason = 'outcomes_met' WHERE id = $1",
            )
            .bind(t.episode.to_string())
            .execute(&mut *tx)
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        let path = format!("/episodes/{}/case-study", t.episode);
        s.sign_in("worker@demo.hearth.test").await;
        let csrf = s.csrf(&path).await;
        let agata = t.people[1].to_string();
        let mut form = vec![
            ("csrf_token", csrf.as_str()),
            ("consent_person", agata.as_str()),
            ("consent-day", "12"),
            ("consent-month", "1"),
            ("consent-year", "2026"),
            ("consent_way", "verbally"),
            ("title", "Calmer mornings"),
            (
                "story",
                "Agata and her daughter argued before school every day.",
            ),
            ("anonymised", "yes"),
        ];
        let res = s.post(&path, &form).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("Take the family&#39;s names out: the story names Agata"),
            "{html}"
        );
        form[7].1 =
            "A mother and her daughter argued before school every day. Now mornings are calm.";
        let res = s.post(&path, &form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);

        let manager = s.new_browser();
        manager.sign_in("manager@demo.hearth.test").await;
        let list = manager.get("/case-studies").await.text().await.unwrap();
        let at = list.find("/case-studies/").unwrap();
        let review: String = list[at..].chars().take_while(|c| *c != '"').collect();
        let page = manager.get(&review).await.text().await.unwrap();
        assert!(page.contains("Now mornings are calm."));
        let csrf = manager.csrf(&review).await;
        let res = manager
            .post(&review, &[("csrf_token", &csrf), ("decision", "publish")])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);

        // The worker who wrote it cannot review it; nor read the board's list.
        assert_eq!(s.get(&review).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            s.get("/reports/case-studies").await.status(),
            StatusCode::FORBIDDEN
        );
        let analyst = s.new_browser();
        analyst.sign_in("analyst@demo.hearth.test").await;
        let board = analyst
            .get("/reports/case-studies")
            .await
            .text()
            .await
            .unwrap();
        assert!(board.contains("Calmer mornings"));
        assert!(!board.contains("Nowak"));
    }
);

both_engines!(
    a_returned_case_study_is_changed_from_the_writers_list_and_reviewed_again,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let t = family(&s).await;
        {
            let mut tx = store.write().await.unwrap();
            sqlx::query(
                "UPDATE episodes SET status = 'closed', ended_on = '2026-01-20',
                     closure_reason = 'outcomes_met' WHERE id = $1",
            )
            .bind(t.episode.to_string())
            .execute(&mut *tx)
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        let path = format!("/episodes/{}/case-study", t.episode);
        s.sign_in("worker@demo.hearth.test").await;
        let csrf = s.csrf(&path).await;
        let agata = t.people[1].to_string();
        let form = [
            ("csrf_token", csrf.as_str()),
            ("consent_person", agata.as_str()),
            ("consent-day", "12"),
            ("consent-month", "1"),
            ("consent-year", "2026"),
            ("consent_way", "verbally"),
            ("title", "Calmer mornings"),
            ("story", "A mother and her daughter on Hyson Green argued."),
            ("anonymised", "yes"),
        ];
        assert_eq!(s.post(&path, &form).await.status(), StatusCode::SEE_OTHER);

        let manager = s.new_browser();
        manager.sign_in("manager@demo.hearth.test").await;
        let list = manager.get("/case-studies").await.text().await.unwrap();
        let at = list.find("/case-studies/").unwrap();
        let review: String = list[at..].chars().take_while(|c| *c != '"').collect();
        let csrf = manager.csrf(&review).await;
        let res = manager
            .post(
                &review,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("decision", "return"),
                    ("note", "Take out Hyson Green"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);

        // The writer's list offers the change, with the reason.
        let mine = s.get("/case-studies").await.text().await.unwrap();
        assert!(mine.contains("Take out Hyson Green"), "{mine}");
        let at = mine.find("/change").unwrap();
        let start = mine[..at].rfind('"').unwrap() + 1;
        let change = mine[start..at + "/change".len()].to_string();
        // Nobody else opens it.
        assert_eq!(manager.get(&change).await.status(), StatusCode::FORBIDDEN);
        let page = s.get(&change).await.text().await.unwrap();
        assert!(page.contains("Why it was returned"));
        assert!(page.contains("A mother and her daughter on Hyson Green argued."));
        let csrf = s.csrf(&change).await;
        let mut changed = form;
        changed[0].1 = csrf.as_str();
        changed[7].1 = "A mother and her daughter argued before school.";
        changed[8].1 = "";
        let res = s.post(&change, &changed).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("Confirm you took out names"), "{html}");
        assert!(html.contains("A mother and her daughter argued before school."));
        changed[8].1 = "yes";
        assert_eq!(
            s.post(&change, &changed).await.status(),
            StatusCode::SEE_OTHER
        );

        // Back in the manager's queue with the new words.
        let page = manager.get(&review).await.text().await.unwrap();
        assert!(page.contains("A mother and her daughter argued before school."));
        assert_eq!(s.get(&change).await.status(), StatusCode::FORBIDDEN);
    }
);
