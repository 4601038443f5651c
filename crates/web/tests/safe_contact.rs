//! Safe contact and the family's link by text over real HTTP, on both engines (ADR 0050): the
//! lead records the mother's mobile and that texting is safe between 09:00 and 17:00 on the
//! person's details page (a wrong number answered with what to fix, nothing saved); the
//! episode's Family tab offers "By text message" only once someone can be texted; the link
//! goes into the outbox as a text. An attacker's tries: another family's person in the
//! invitation form, the safe-contact page of a person not theirs to change, a form without
//! its token.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::messages::MessagePolicy;
use hearth_app::Store;
use hearth_testkit::app::{actor, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::{Family, Opened};
use hearth_testkit::server::Server;
use reqwest::StatusCode;

async fn family(s: &Server, name: &str) -> Opened {
    let lead = actor(&s.hearth, "lead@demo.hearth.test").await;
    Family::new(name)
        .child("Layla", &years_ago(9))
        .parent("Amina", &years_ago(36))
        .need("family_relationships")
        .detail("family_relationships", "Arguments at home")
        .early_help(&s.hearth, &lead, "School knows the family best")
        .await
}

async fn server(store: &Store) -> Server {
    Server::start_with_policies(store.clone(), |p, base| {
        p.messages = MessagePolicy {
            public_url: base.to_string(),
            email_delivered: true,
        };
    })
    .await
}

async fn texts(store: &Store) -> Vec<(String, String)> {
    let mut conn = store.read().await.unwrap();
    sqlx::query_as(
        "SELECT recipient, body_text FROM messages WHERE channel = 'sms' ORDER BY created_at",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap()
}

both_engines!(
    the_lead_records_safe_contact_and_sends_the_link_by_text,
    |store| async move {
        let s = server(&store).await;
        let ours = family(&s, "Haddad").await;
        let theirs = family(&s, "Nowak").await;
        let amina = ours.people[1];
        s.sign_in("lead@demo.hearth.test").await;

        // Nobody can be texted yet: the Family tab offers email only.
        let tab = format!("/episodes/{}/family", ours.episode);
        let html = s.get(&tab).await.text().await.unwrap();
        assert!(html.contains("By email") && !html.contains("By text message"));

        // A landline: what to fix, beside the field; nothing saved.
        let page = format!("/people/{amina}/change/safe-contact");
        let (status, doc) = s.page(&page).await;
        assert_eq!(status, StatusCode::OK);
        let version = doc
            .select(&scraper::Selector::parse("input[name=version]").unwrap())
            .next()
            .unwrap()
            .value()
            .attr("value")
            .unwrap()
            .to_string();
        let csrf = s.csrf(&page).await;
        let form = |mobile: &'static str| {
            vec![
                ("csrf_token", csrf.clone()),
                ("version", version.clone()),
                ("mobile", mobile.to_string()),
                ("safe_to_text", "yes".to_string()),
                ("safe_to_leave_message", "no".to_string()),
                ("safe_from", "09:00".to_string()),
                ("safe_until", "17:00".to_string()),
                ("contact_by", "both".to_string()),
            ]
        };
        let post = |f: Vec<(&'static str, String)>| {
            let s = &s;
            let page = page.clone();
            async move {
                let borrowed: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                s.post(&page, &borrowed).await
            }
        };
        let res = post(form("01632 960001")).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("texts cannot go to a landline"), "{html}");
        assert!(html.contains("href=\"#mobile\""));

        // Without its token the form is refused.
        let mut no_token = form("07700 900123");
        no_token.remove(0);
        assert_ne!(post(no_token).await.status(), StatusCode::SEE_OTHER);
        let html = s
            .get(&format!("/people/{amina}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(!html.contains("+447700900123"), "nothing saved");

        // The mobile, safe to text between 09:00 and 17:00.
        let res = post(form("07700 900123")).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let html = s
            .get(&format!("/people/{amina}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("+447700900123; safe to text: yes"),
            "the person's details show the safe contact"
        );
        assert!(html.contains("texts between 09:00 and 17:00"));

        // Now "By text message" is offered, and the link goes into the outbox as a text.
        let html = s.get(&tab).await.text().await.unwrap();
        assert!(html.contains("By text message"));
        let invite = format!("/episodes/{}/family/invite", ours.episode);
        let csrf = s.csrf(&tab).await;
        let res = s
            .post(
                &invite,
                &[
                    ("csrf_token", &csrf),
                    ("person", &amina.to_string()),
                    ("channel", "text"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let sent = texts(&store).await;
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].0, "+447700900123");
        assert!(sent[0].1.contains("/my-family/sign-in/"));

        // Another family's person in our form: refused, nothing sent to them.
        let res = s
            .post(
                &invite,
                &[
                    ("csrf_token", &csrf),
                    ("person", &theirs.people[1].to_string()),
                    ("channel", "text"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("Choose who in the family to invite"));
        assert_eq!(texts(&store).await.len(), 1);

        // The daughter (9) cannot be invited, by text or otherwise.
        let res = s
            .post(
                &invite,
                &[
                    ("csrf_token", &csrf),
                    ("person", &ours.people[0].to_string()),
                    ("channel", "text"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // Someone not in the family's team cannot open or save another family's safe contact.
        let mut other = s.new_browser();
        other.sign_in_fresh("practitioner@demo.hearth.test").await;
        let theirs_page = format!("/people/{}/change/safe-contact", theirs.people[1]);
        let status = other.get(&theirs_page).await.status();
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
            "{status}"
        );
    }
);
