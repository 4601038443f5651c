//! The school practitioner's and the front-door officer's journeys over HTTP (issue 16):
//! asking for help from a contact-search result, the safeguarding steps, the decision form's
//! conditional reveal by a plain POST, due dates, and a manager's confirmation.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::family::{PersonForm, SearchForm};
use hearth_app::Hearth;
use hearth_domain::ids::PersonId;
use hearth_testkit::app::{actor, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::server::Server;
use reqwest::StatusCode;

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The health visitor records a child the school cannot open.
async fn child_the_school_cannot_open(h: &Hearth) -> PersonId {
    let health = actor(h, "practitioner@demo.hearth.test").await;
    let s = h
        .search_people(
            &health,
            &SearchForm {
                name: "Tyler Okafor".into(),
                ..SearchForm::default()
            },
        )
        .await
        .unwrap();
    h.add_person(
        &health,
        &PersonForm {
            search_id: s.search_id.to_string(),
            given_names: "Tyler".into(),
            family_name: "Okafor".into(),
            dob: years_ago(9),
            ..PersonForm::default()
        },
    )
    .await
    .unwrap()
}

/// The school sends a request about the child through the pages; its id.
async fn ask(s: &Server, child: PersonId, safeguarding: &str) -> String {
    let form_path = format!("/requests/new?person={child}");
    let csrf = s.csrf(&form_path).await;
    let child = child.to_string();
    let res = s
        .post(
            "/requests/new",
            &[
                ("csrf_token", &csrf),
                ("version", "0"),
                ("offered", &child),
                ("safeguarding", safeguarding),
                ("people", &child),
                ("needs", "education"),
                ("detail_education", "Not in school for three weeks"),
                ("family_told", "Dad knows"),
                ("consent", "given"),
                ("urgency", "routine"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(to.ends_with("?done=sent"), "{to}");
    to.trim_start_matches("/requests/")
        .trim_end_matches("?done=sent")
        .to_string()
}

both_engines!(
    a_school_asks_for_help_from_a_contact_search_result,
    |store| async move {
        let s = Server::start(store).await;
        let child = child_the_school_cannot_open(&s.hearth).await;
        s.sign_in("lead@demo.hearth.test").await;
        let csrf = s.csrf("/people").await;
        let found = s
            .post(
                "/people/search",
                &[("csrf_token", &csrf), ("name", "Tyler Okafor")],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(found.contains("You cannot open this record"));
        assert!(found.contains(&format!(r#"href="/requests/new?person={child}""#)));
        assert!(found.contains("Ask for help for this person"));

        // The form offers the child by the contact-level id alone, and the safeguarding
        // question reveals what to do now under "yes", first of all.
        let form = s
            .get(&format!("/requests/new?person={child}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(form.contains(&format!(r#"value="{child}""#)));
        assert!(form.contains("Tyler Okafor"));
        let yes = form.find("conditional-safeguarding").unwrap();
        assert!(form[yes..].contains("call 999 now"));
        assert!(
            form.find("call 999 now").unwrap() < form.find("Who is the request about?").unwrap(),
            "what to do now comes before anything else"
        );

        // A need ticked is described before the request goes: the question is under the
        // need, and the page keeps what was typed.
        let csrf = s.csrf(&format!("/requests/new?person={child}")).await;
        let child_id = child.to_string();
        let res = s
            .post(
                "/requests/new",
                &[
                    ("csrf_token", &csrf),
                    ("offered", &child_id),
                    ("people", &child_id),
                    ("safeguarding", "no"),
                    ("needs", "housing"),
                    ("family_told", "Mum knows about the eviction notice"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = res.text().await.unwrap();
        assert!(page.contains(r##"href="#detail_housing""##));
        assert!(page.contains("Describe what is happening for"));
        assert!(page.contains("Mum knows about the eviction notice"));
        let under = page.find(r#"id="conditional-needs-"#).unwrap();
        assert!(page[under..].contains(r#"name="detail_"#));

        let id = ask(&s, child, "yes").await;
        let sent = s
            .get(&format!("/requests/{id}?done=sent"))
            .await
            .text()
            .await
            .unwrap();
        assert!(sent.contains("You raised a safeguarding concern. Do this now"));
        assert!(sent.contains("Waiting for the front door"));
        assert!(sent.contains("To be decided by"));
        // Asking opened nothing: the child's page is still the contact card.
        let card = s
            .get(&format!("/people/{child}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(card.contains("Contact search"));
        assert!(card.contains("Ask for help for this person"));
    }
);

both_engines!(
    the_front_door_decides_by_a_plain_post_with_only_the_chosen_outcome,
    |store| async move {
        let mut s = Server::start(store).await;
        let child = child_the_school_cannot_open(&s.hearth).await;
        s.sign_in("lead@demo.hearth.test").await;
        let id = ask(&s, child, "no").await;

        s.sign_in_fresh("frontdoor@demo.hearth.test").await;
        let queue = s.get("/front-door").await.text().await.unwrap();
        assert!(queue.contains("Decide by"));
        let page = s
            .get(&format!("/requests/{id}/decide"))
            .await
            .text()
            .await
            .unwrap();
        // Each outcome's questions sit under it, revealed when it is chosen.
        assert!(page.contains(r#"data-aria-controls="conditional-outcome-5""#));
        assert!(page.contains(r#"id="conditional-outcome""#));
        assert!(page.contains("govuk-radios__conditional--hidden"));
        assert!(page.contains("The family's history"));
        assert!(page.contains("Other requests waiting"));

        // No JavaScript: the form is sent with the chosen outcome's field and nothing else.
        let csrf = s.csrf(&format!("/requests/{id}/decide")).await;
        let res = s
            .post(
                &format!("/requests/{id}/decide"),
                &[
                    ("csrf_token", &csrf),
                    ("level", "1"),
                    ("outcome", "signpost"),
                    ("signposted_to", "Family Hub homework club"),
                    (
                        "rationale",
                        "Attendance is improving with the school's support",
                    ),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/front-door?done=decided");
        let decided = s
            .get(&format!("/requests/{id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(decided.contains("Rationale"));
        assert!(decided.contains("Attendance is improving with the school"));
        let chronology = s
            .get(&format!("/people/{child}/chronology"))
            .await
            .text()
            .await
            .unwrap();
        assert!(chronology.contains("Rationale: Attendance is improving"));

        // The school sees the outcome, not the rationale drawn from the record.
        s.sign_in_fresh("lead@demo.hearth.test").await;
        let theirs = s
            .get(&format!("/requests/{id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(theirs.contains("Signposted to universal services"));
        assert!(!theirs.contains("Attendance is improving"));
    }
);

both_engines!(
    a_manager_confirms_or_sends_back_a_closed_safeguarding_concern,
    |store| async move {
        let mut s = Server::start_with_clock(store).await;
        let child = child_the_school_cannot_open(&s.hearth).await;
        s.sign_in("lead@demo.hearth.test").await;
        let id = ask(&s, child, "yes").await;

        // Past its working day, the safeguarding concern is overdue in the queue.
        s.advance(chrono::Duration::days(4));
        s.sign_in_fresh("frontdoor@demo.hearth.test").await;
        let queue = s.get("/front-door").await.text().await.unwrap();
        assert!(queue.contains("Overdue"));

        let csrf = s.csrf(&format!("/requests/{id}/decide")).await;
        let res = s
            .post(
                &format!("/requests/{id}/decide"),
                &[
                    ("csrf_token", &csrf),
                    ("level", "2"),
                    ("outcome", "no_further_action"),
                    ("nfa_reason", "The GP has seen him"),
                    ("rationale", "Explained injury"),
                ],
            )
            .await;
        assert_eq!(location(&res), format!("/requests/{id}?done=held"));
        let held = s.get(&location(&res)).await.text().await.unwrap();
        assert!(held.contains("a manager must confirm it"));
        assert!(held.contains("Decision waiting for a manager"));

        s.sign_in_fresh("manager@demo.hearth.test").await;
        let home = s.get("/").await.text().await.unwrap();
        assert!(home.contains(&format!(r#"href="/requests/{id}""#)));
        let page = s
            .get(&format!("/requests/{id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Confirm or send back"));
        let csrf = s.csrf(&format!("/requests/{id}")).await;
        let res = s
            .post(
                &format!("/requests/{id}/confirm"),
                &[
                    ("csrf_token", &csrf),
                    ("answer", "send_back"),
                    ("reason", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains(r##"href="#reason""##));
        let res = s
            .post(
                &format!("/requests/{id}/confirm"),
                &[
                    ("csrf_token", &csrf),
                    ("answer", "send_back"),
                    ("reason", "Ask the school nurse first"),
                ],
            )
            .await;
        assert_eq!(location(&res), "/front-door?done=sent_back");

        s.sign_in_fresh("frontdoor@demo.hearth.test").await;
        let again = s
            .get(&format!("/requests/{id}/decide"))
            .await
            .text()
            .await
            .unwrap();
        assert!(again.contains("Ask the school nurse first"));
    }
);
