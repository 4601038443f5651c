//! The episode, one section to a page, over real HTTP on both engines: the overview carries
//! no forms but links to those the user may use; each section has its own page; each form has
//! its own page, which keeps what was typed when it comes back with problems; and a form's
//! page is open only to those who may use it.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::episodes::case_notes::NoteForm;
use hearth_app::episodes::{ClosureForm, MemberForm};
use hearth_app::{Hearth, Origin, Policies, Store};
use hearth_domain::ids::EpisodeId;
use hearth_testkit::app::actor;
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use hearth_testkit::server::Server;
use reqwest::StatusCode;

const LEAD: &str = "lead@demo.hearth.test";

/// An Early Family Help episode led by the lead, with a practitioner in its TAF and a note.
async fn early_help(store: Store) -> EpisodeId {
    let h = Hearth::new(store, Policies::default());
    let lead = actor(&h, LEAD).await;
    let episode = Family::new("Achterberg")
        .child("Ruby", "01/02/2017")
        .need("education")
        .early_help(&h, &lead, "School knows the family best")
        .await
        .episode;
    h.add_taf_member(
        &lead,
        episode,
        &MemberForm {
            user_id: actor(&h, "practitioner@demo.hearth.test")
                .await
                .user_id
                .to_string(),
            role: "School nurse".into(),
            ..MemberForm::default()
        },
    )
    .await
    .unwrap();
    h.add_note(
        &lead,
        episode,
        &NoteForm {
            kind: "visit".into(),
            occurred_on: h.now().format("%d/%m/%Y").to_string(),
            body: "Ruby read to me at home".into(),
            ..NoteForm::default()
        },
    )
    .await
    .unwrap();
    episode
}

async fn page(s: &Server, path: &str) -> (StatusCode, String) {
    let res = s.get(path).await;
    (res.status(), res.text().await.unwrap())
}

both_engines!(
    each_section_has_its_page_and_the_overview_only_links_to_the_forms,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let e = early_help(store).await;
        s.sign_in(LEAD).await;

        let (status, overview) = page(&s, &format!("/episodes/{e}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(overview.contains(r#"<nav class="hearth-sub-navigation"#));
        assert!(overview.contains(r#"aria-label="Episode""#));
        assert!(overview.contains(&format!(
            r#"href="/episodes/{e}" aria-current="page">Overview"#
        )));
        assert!(
            overview.contains("Ruby read to me at home"),
            "the latest note"
        );
        assert!(overview.contains("What needs doing next"));
        assert!(overview.contains("Start the assessment"));
        for form in [
            "/notes",
            "/taf",
            "/allocate",
            "/step",
            "/closure",
            "/escalations",
        ] {
            assert!(
                !overview.contains(&format!(r#"action="/episodes/{e}{form}""#)),
                "no {form} form on the overview"
            );
        }
        for link in ["/notes/new", "/step", "/closure", "/taf"] {
            assert!(
                overview.contains(&format!(r#"href="/episodes/{e}{link}""#)),
                "the overview links to {link}"
            );
        }

        for (section, says) in [
            ("team", "School nurse"),
            ("notes", "Ruby read to me at home"),
            ("disagreements", "None raised."),
            ("history", "Levels of help"),
            ("assessment", ">Due<"),
            ("plan", "Family plan"),
        ] {
            let (status, html) = page(&s, &format!("/episodes/{e}/{section}")).await;
            assert_eq!(status, StatusCode::OK, "{section}");
            assert!(html.contains(says), "{section} says {says}");
            assert!(
                html.contains(&format!(r#"/{section}" aria-current="page""#)),
                "{section} is the current section"
            );
        }
        for (form, says) in [
            ("notes/new", "Save note"),
            ("taf", "Add to the team"),
            ("step", "Step up"),
            ("closure", "Record the closure"),
            ("disagreements/new", "Raise it"),
        ] {
            let (status, html) = page(&s, &format!("/episodes/{e}/{form}")).await;
            assert_eq!(status, StatusCode::OK, "{form}");
            assert!(html.contains(says), "{form} has its form");
        }
        let team = page(&s, &format!("/episodes/{e}/team")).await.1;
        let start = team.find("/taf/").unwrap();
        let leave: String = team[start..].chars().take_while(|c| *c != '"').collect();
        let (status, html) = page(&s, &format!("/episodes/{e}{leave}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Why are they leaving?"));
    }
);

both_engines!(
    a_note_with_problems_comes_back_on_its_own_page_with_what_was_typed,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let e = early_help(store).await;
        s.sign_in(LEAD).await;
        let new = format!("/episodes/{e}/notes/new");
        let csrf = s.csrf(&new).await;
        let res = s
            .post(
                &format!("/episodes/{e}/notes"),
                &[
                    ("csrf_token", csrf.as_str()),
                    ("kind", "visit"),
                    ("occurred_on", "31/02/2026"),
                    ("body", "Mum says mornings are calmer"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("Enter a real date"));
        assert!(
            html.contains("Mum says mornings are calmer"),
            "the text kept"
        );
        assert!(
            html.contains("Add a case note</h1>"),
            "on the note's own page"
        );

        let res = s
            .post(
                &format!("/episodes/{e}/notes"),
                &[
                    ("csrf_token", csrf.as_str()),
                    ("kind", "visit"),
                    (
                        "occurred_on",
                        &s.hearth.now().format("%d/%m/%Y").to_string(),
                    ),
                    ("body", "Mum says mornings are calmer"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let to = res
            .headers()
            .get(reqwest::header::LOCATION)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(to, format!("/episodes/{e}/notes?done=note"));
        let html = page(&s, &to).await.1;
        assert!(html.contains("Your note has been added."));
        assert!(html.contains("Mum says mornings are calmer"));
    }
);

both_engines!(
    a_taf_member_sees_the_notes_but_not_the_lead_or_managers_forms,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let e = early_help(store).await;
        s.sign_in("practitioner@demo.hearth.test").await;
        let (status, overview) = page(&s, &format!("/episodes/{e}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(overview.contains(&format!(r#"href="/episodes/{e}/notes""#)));
        assert!(overview.contains(&format!(r#"href="/episodes/{e}/notes/new""#)));
        for link in [
            "/allocate",
            "/step",
            "/closure",
            "/closure/sign-off",
            "/taf",
        ] {
            assert!(
                !overview.contains(&format!(r#"href="/episodes/{e}{link}""#)),
                "no link to {link}"
            );
        }
        assert_eq!(
            page(&s, &format!("/episodes/{e}/notes/new")).await.0,
            StatusCode::OK
        );
        for form in ["allocate", "step", "closure", "closure/sign-off", "taf"] {
            assert_eq!(
                page(&s, &format!("/episodes/{e}/{form}")).await.0,
                StatusCode::FORBIDDEN,
                "{form}"
            );
        }
    }
);

both_engines!(
    a_manager_reaches_the_sign_off_page_only_where_their_team_signs,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let h = Hearth::new(store.clone(), Policies::default());
        let other = early_help(store).await;
        let targeted = Family::new("Okonkwo-Reyes")
            .child("Tia", "03/04/2012")
            .need("family_relationships")
            .told("Mum asked for help")
            .urgency("soon")
            .targeted(&h, Origin::default())
            .await;
        let e = targeted.episode;
        let version = h
            .episode(&targeted.worker, e)
            .await
            .unwrap()
            .episode
            .version;
        h.record_closure(
            &targeted.worker,
            e,
            &ClosureForm::from_pairs(&[
                ("reason".into(), "outcomes_met".into()),
                ("summary".into(), "Home is calmer".into()),
                ("result_family_relationships".into(), "achieved".into()),
                ("version".into(), version.to_string()),
            ]),
        )
        .await
        .unwrap();

        s.sign_in("manager@demo.hearth.test").await;
        let (status, overview) = page(&s, &format!("/episodes/{e}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(overview.contains(&format!(r#"href="/episodes/{e}/closure/sign-off""#)));
        let (status, html) = page(&s, &format!("/episodes/{e}/closure/sign-off")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Home is calmer"), "what is signed off");
        assert!(html.contains("Send it back to the lead"));
        assert_eq!(
            page(&s, &format!("/episodes/{other}/closure/sign-off"))
                .await
                .0,
            StatusCode::FORBIDDEN,
            "not where another team signs"
        );
    }
);

both_engines!(
    the_notes_come_a_page_at_a_time_newest_first,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let e = early_help(store.clone()).await;
        let h = Hearth::new(store, Policies::default());
        let lead = actor(&h, LEAD).await;
        // With the setup's note, 21: a page of 20 and one more.
        for n in 1..=20 {
            h.add_note(
                &lead,
                e,
                &NoteForm {
                    kind: "visit".into(),
                    occurred_on: h.now().format("%d/%m/%Y").to_string(),
                    body: format!("Visit number {n:02}"),
                    ..NoteForm::default()
                },
            )
            .await
            .unwrap();
        }
        s.sign_in(LEAD).await;
        let first = page(&s, &format!("/episodes/{e}/notes")).await.1;
        assert!(first.contains("Visit number 20"), "the newest first");
        assert!(
            !first.contains("Ruby read to me at home"),
            "the oldest is on page 2"
        );
        assert!(first.contains(&format!(r#"href="/episodes/{e}/notes?page=2""#)));
        assert!(!first.contains("Newer notes"));
        let second = page(&s, &format!("/episodes/{e}/notes?page=2")).await.1;
        assert!(second.contains("Ruby read to me at home"));
        assert!(!second.contains("Visit number 20"));
        assert!(second.contains("Newer notes"));
        assert!(!second.contains("Older notes"));
        let overview = page(&s, &format!("/episodes/{e}")).await.1;
        assert_eq!(
            overview
                .matches(r#"<a class="govuk-link" href="/notes/"#)
                .count(),
            3,
            "the overview shows the latest three"
        );
    }
);
