//! Nothing typed is lost: a form sent after its session ended is kept on the server and
//! comes back in its form once the same user has signed in again; over real HTTP, on both
//! engines.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Duration, Utc};
use hearth_app::records::AuditQuery;
use hearth_app::{Hearth, Policies, Store};
use hearth_testkit::app::{actor, PASSWORD};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use hearth_testkit::server::Server;
use reqwest::header;
use reqwest::StatusCode;

const LEAD: &str = "lead@demo.hearth.test";
const NOTE: &str = "Ruby read her whole book to me and her mum";

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// The lead's Early Family Help episode page (`/episodes/{id}`).
async fn episode(store: Store) -> String {
    let h = Hearth::new(store, Policies::default());
    let lead = actor(&h, LEAD).await;
    let family = Family::new("Achterberg")
        .child("Ruby", "01/02/2017")
        .need("education")
        .early_help(&h, &lead, "School knows the family best")
        .await;
    format!("/episodes/{}", family.episode)
}

/// Sends the note form with `csrf`; answers where it was sent on to.
async fn send_note(s: &Server, path: &str, csrf: &str) -> String {
    let res = s
        .post(
            &format!("{path}/notes"),
            &[
                ("csrf_token", csrf),
                ("kind", "visit"),
                ("occurred_on", &Utc::now().format("%d/%m/%Y").to_string()),
                ("body", NOTE),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(!to.contains("Ruby"), "no typed text in the address: {to}");
    to
}

/// Signs in as `email` from the sign-in page at `sign_in` (which carries the draft's token);
/// answers where signing in leads.
async fn sign_in_from(s: &Server, sign_in: &str, email: &str) -> String {
    let (_, doc) = s.page(sign_in).await;
    let value = |name: &str| {
        let sel = scraper::Selector::parse(&format!(r#"input[name="{name}"]"#)).unwrap();
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr("value"))
            .unwrap_or("")
            .to_string()
    };
    let res = s
        .post(
            "/sign-in",
            &[
                ("csrf_token", &value("csrf_token")),
                ("email", email),
                ("password", PASSWORD),
                ("next", &value("next")),
                ("draft", &value("draft")),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    location(&res)
}

/// The text in the note form's box on a page.
fn note_box(page: &str) -> String {
    let doc = scraper::Html::parse_document(page);
    let sel = scraper::Selector::parse(r#"form[action$="/notes"] textarea[name="body"]"#).unwrap();
    doc.select(&sel)
        .next()
        .map(|e| e.text().collect())
        .unwrap_or_default()
}

async fn audited(hearth: &Hearth, action: &str) -> usize {
    let admin = actor(hearth, "admin@demo.hearth.test").await;
    hearth
        .search_audit(
            &admin,
            &AuditQuery {
                action: Some(action.into()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .len()
}

both_engines!(
    a_note_sent_after_the_session_timed_out_is_back_in_its_form_after_signing_in,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let path = episode(store).await;
        s.sign_in(LEAD).await;
        let csrf = s.csrf(&path).await;
        s.advance(Duration::minutes(31));

        let to = send_note(&s, &path, &csrf).await;
        assert!(to.starts_with("/sign-in?timed_out=1&draft="), "{to}");
        let sign_in = s.get(&to).await.text().await.unwrap();
        assert!(sign_in.contains("They are kept"), "{sign_in}");
        assert!(!sign_in.contains(NOTE), "the note stays on the server");

        let back = sign_in_from(&s, &to, LEAD).await;
        assert!(back.starts_with("/drafts/"), "{back}");
        let res = s.get(&back).await;
        assert_eq!(res.status(), StatusCode::OK);
        let page = res.text().await.unwrap();
        assert_eq!(note_box(&page).trim(), NOTE, "the note is back in its form");
        assert!(page.contains("check it, then add it"));
        assert!(
            !s.get(&path).await.text().await.unwrap().contains(NOTE),
            "nothing is sent for the user"
        );
        assert_eq!(
            s.get(&back).await.status(),
            StatusCode::NOT_FOUND,
            "a draft is shown back once"
        );

        let fresh = s.csrf(&path).await;
        let res = s
            .post(
                &format!("{path}/notes"),
                &[
                    ("csrf_token", fresh.as_str()),
                    ("kind", "visit"),
                    ("occurred_on", &Utc::now().format("%d/%m/%Y").to_string()),
                    ("body", NOTE),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(s.get(&path).await.text().await.unwrap().contains(NOTE));
    }
);

both_engines!(
    a_note_sent_after_signing_out_in_another_tab_is_kept_too,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let path = episode(store).await;
        s.sign_in(LEAD).await;
        let csrf = s.csrf(&path).await;
        // The other tab signs out: the session and its cookie are gone.
        let res = s.post("/sign-out", &[("csrf_token", csrf.as_str())]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);

        let to = send_note(&s, &path, &csrf).await;
        assert!(to.starts_with("/sign-in?draft="), "{to}");
        let back = sign_in_from(&s, &to, LEAD).await;
        let page = s.get(&back).await.text().await.unwrap();
        assert_eq!(note_box(&page).trim(), NOTE);
    }
);

both_engines!(
    another_user_signing_in_with_the_token_gets_nothing_and_is_audited,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let path = episode(store).await;
        s.sign_in(LEAD).await;
        let csrf = s.csrf(&path).await;
        s.advance(Duration::minutes(31));
        let to = send_note(&s, &path, &csrf).await;

        let other = s.new_browser();
        let back = sign_in_from(&other, &to, "practitioner@demo.hearth.test").await;
        let res = other.get(&back).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert!(!res.text().await.unwrap().contains(NOTE));
        assert_eq!(audited(&s.hearth, "draft_refused").await, 1);

        let back = sign_in_from(&s, &to, LEAD).await;
        let page = s.get(&back).await.text().await.unwrap();
        assert_eq!(note_box(&page).trim(), NOTE, "still kept for its owner");
    }
);

both_engines!(a_draft_expires_after_a_day, |store| async move {
    let s = Server::start_with_clock(store.clone()).await;
    let path = episode(store).await;
    s.sign_in(LEAD).await;
    let csrf = s.csrf(&path).await;
    s.advance(Duration::minutes(31));
    let to = send_note(&s, &path, &csrf).await;
    s.advance(Duration::hours(25));
    let back = sign_in_from(&s, &to, LEAD).await;
    assert_eq!(s.get(&back).await.status(), StatusCode::NOT_FOUND);
});

both_engines!(
    a_form_without_its_token_is_never_kept_or_sent_again,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let path = episode(store).await;
        s.sign_in(LEAD).await;
        s.advance(Duration::minutes(31));
        let res = s
            .post(
                &format!("{path}/notes"),
                &[("kind", "visit"), ("body", NOTE)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let page = res.text().await.unwrap();
        assert!(page.contains("Your answers have not been saved yet"));
        assert!(!page.contains("/drafts/"));
    }
);

both_engines!(
    a_form_kept_for_nobody_comes_back_only_in_the_browser_that_sent_it,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let path = episode(store).await;
        // Someone who is not signed in sends a note with a made-up token, keeps it, and sends
        // the link to the lead, hoping the lead signs in and sends it.
        let stranger = s.new_browser();
        let to = send_note(&stranger, &path, "made-up-token").await;
        assert!(to.starts_with("/sign-in?draft="), "{to}");
        let lead = s.new_browser();
        let back = sign_in_from(&lead, &to, LEAD).await;
        let res = lead.get(&back).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert!(!res.text().await.unwrap().contains(NOTE));
        assert_eq!(audited(&s.hearth, "draft_refused").await, 1);
    }
);

const WORRY: &str = "Sam has missed eleven days since half term";

both_engines!(
    a_request_for_support_sent_after_the_session_timed_out_is_back_in_its_own_form,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let h = Hearth::new(store, Policies::default());
        let lead = actor(&h, LEAD).await;
        let child = Family::new("Oyelaran")
            .child("Sam", "03/04/2015")
            .add(&h, &lead)
            .await[0]
            .to_string();
        s.sign_in(LEAD).await;
        let csrf = s.csrf(&format!("/requests/new?person={child}")).await;
        s.advance(Duration::minutes(31));
        let res = s
            .post(
                "/requests/new",
                &[
                    ("csrf_token", csrf.as_str()),
                    ("version", "0"),
                    ("offered", child.as_str()),
                    ("people", child.as_str()),
                    ("needs", "education"),
                    ("detail_education", WORRY),
                    ("family_told", "Mum asked us to"),
                    ("urgency", "soon"),
                    ("safeguarding", "no"),
                    ("send", "yes"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let to = location(&res);
        let back = sign_in_from(&s, &to, LEAD).await;
        assert!(back.starts_with("/drafts/"), "{back}");
        let page = s.get(&back).await.text().await.unwrap();
        let doc = scraper::Html::parse_document(&page);
        let one = |css: &str| {
            doc.select(&scraper::Selector::parse(css).unwrap())
                .next()
                .map(|e| {
                    (
                        e.text().collect::<String>(),
                        e.value().attr("checked").is_some(),
                    )
                })
        };
        assert_eq!(
            one(r#"form[action="/requests/new"] textarea[name="detail_education"]"#)
                .unwrap()
                .0
                .trim(),
            WORRY,
            "the worry is back under its need"
        );
        assert!(one(r#"input[name="needs"][value="education"]"#).unwrap().1);
        assert!(
            one(&format!(r#"input[name="people"][value="{child}"]"#))
                .unwrap()
                .1
        );
        assert!(page.contains("check it, then save or send it"));
        let mine = s.get("/front-door").await.text().await.unwrap();
        assert!(!mine.contains("Oyelaran"), "nothing is sent for the user");
    }
);

both_engines!(
    another_kept_form_is_shown_back_with_its_questions_in_words,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let h = Hearth::new(store, Policies::default());
        let lead = actor(&h, LEAD).await;
        let child = Family::new("Vasquez")
            .child("Lia", "03/04/2016")
            .add(&h, &lead)
            .await[0];
        let record = format!("/people/{child}");
        s.sign_in(LEAD).await;
        let csrf = s.csrf(&record).await;
        s.advance(Duration::minutes(31));
        let res = s
            .post(
                &format!("{record}/consents"),
                &[
                    ("csrf_token", csrf.as_str()),
                    ("given_by", "Her father, Tomas"),
                    ("share_with", "The school nurse"),
                    ("given_on", "01/12/2026"),
                ],
            )
            .await;
        let back = sign_in_from(&s, &location(&res), LEAD).await;
        let page = s.get(&back).await.text().await.unwrap();
        assert!(page.contains("Given by"), "{page}");
        assert!(page.contains("Her father, Tomas"));
        assert!(!page.contains(">given_by<"), "no field names on the page");
    }
);
