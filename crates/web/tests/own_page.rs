//! The family's own page over real HTTP, on both engines (ADR 0045): the lead invites the
//! mother from the episode; she opens the link in Arabic (right to left), once; she reads her
//! plan, withdraws a consent and writes to the lead, who reads it escaped on the episode.
//! An attacker's tries: the link used twice or altered, another family's episode in every
//! family URL, a form without its token, a staff session on family URLs and a family
//! session on staff URLs. Each meets a kind page that names nobody.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::family::consent::ConsentForm;
use hearth_app::messages::MessagePolicy;
use hearth_app::Store;
use hearth_testkit::app::{actor, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::{Family, Opened};
use hearth_testkit::server::Server;
use reqwest::StatusCode;

async fn family(s: &Server, store: &Store, name: &str) -> Opened {
    let lead = actor(&s.hearth, "lead@demo.hearth.test").await;
    let opened = Family::new(name)
        .child("Layla", &years_ago(9))
        .parent("Amina", &years_ago(36))
        .need("family_relationships")
        .detail("family_relationships", "Arguments at home")
        .early_help(&s.hearth, &lead, "School knows the family best")
        .await;
    let mut conn = store.write().await.unwrap();
    sqlx::query("UPDATE people SET email = $1, first_language = 'ar' WHERE id = $2")
        .bind(format!("amina.{}@example.org", name.to_lowercase()))
        .bind(opened.people[1].to_string())
        .execute(&mut *conn)
        .await
        .unwrap();
    Store::commit(conn).await.unwrap();
    let today = chrono::Utc::now()
        .date_naive()
        .format("%d/%m/%Y")
        .to_string();
    s.hearth
        .record_consent(
            &lead,
            opened.people[1],
            &ConsentForm {
                given_by: "Amina".into(),
                share_with: "City 0-19 Health Service (demo)".into(),
                given_on: today,
                expires_on: String::new(),
            },
        )
        .await
        .unwrap();
    opened
}

/// The web app with email delivered, so links reach the outbox.
async fn server(store: &Store) -> Server {
    Server::start_with_policies(store.clone(), |p, base| {
        p.messages = MessagePolicy {
            public_url: base.to_string(),
            email_delivered: true,
        };
    })
    .await
}

async fn token_for(store: &Store, address: &str) -> String {
    let mut conn = store.read().await.unwrap();
    let body: String = sqlx::query_scalar(
        "SELECT body_text FROM messages WHERE recipient = $1 AND template = 'family_page_link'
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(address)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    let at = body.find("/my-family/sign-in/").unwrap() + "/my-family/sign-in/".len();
    body[at..].chars().take_while(|c| *c != '?').collect()
}

async fn count(store: &Store, sql: &str) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut *conn).await.unwrap()
}

both_engines!(
    the_mother_reads_her_plan_in_arabic_and_nothing_else_opens,
    |store| async move {
        let s = server(&store).await;
        let ours = family(&s, &store, "Haddad").await;
        let theirs = family(&s, &store, "Kowalski").await;
        let amina = ours.people[1];

        // The lead invites the mother from the episode's family tab.
        s.sign_in("lead@demo.hearth.test").await;
        let tab = format!("/episodes/{}/family", ours.episode);
        let page = s.get(&tab).await.text().await.unwrap();
        assert!(page.contains("Messages with the family</h1>"));
        assert!(
            page.contains("Cannot be invited: too young to have their own page"),
            "Layla is 9"
        );
        assert!(
            page.contains("By email only. Not by text: Record their mobile number"),
            "Amina has no mobile"
        );
        let csrf = s.csrf(&tab).await;
        let res = s
            .post(
                &format!("{tab}/invite"),
                &[
                    ("csrf_token", &csrf),
                    ("person", &amina.to_string()),
                    // Checked already on the page when no one can be texted.
                    ("channel", "email"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let token = token_for(&store, "amina.haddad@example.org").await;

        // Her browser: the link's page, in Arabic, right to left; a tap uses it.
        let mum = s.new_browser();
        let link = format!("/my-family/sign-in/{token}?lang=ar");
        let res = mum.get(&link).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers().get("referrer-policy").unwrap(),
            "same-origin",
            "the token in the address never reaches another site"
        );
        let html = res.text().await.unwrap();
        assert!(html.contains(r#"lang="ar" dir="rtl""#));
        assert!(html.contains("افتح صفحتي"));
        let csrf = mum.csrf(&link).await;
        // A form without its token is refused and uses nothing.
        let res = mum.post(&link, &[]).await;
        assert_ne!(res.status(), StatusCode::SEE_OTHER);
        let res = mum.post(&link, &[("csrf_token", &csrf)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "the link opened");
        let res = mum.get("/my-family?lang=ar").await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "one episode: straight to it"
        );
        let own = format!("/my-family/episodes/{}", ours.episode);
        let html = mum
            .get(&format!("{own}?lang=ar"))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("خطة عائلتك"), "her plan's page in Arabic");
        assert!(html.contains("Lee Lead"), "her lead and how to reach them");
        assert!(
            html.contains("City 0-19 Health Service (demo)"),
            "her consents"
        );
        assert!(
            !html.contains("Arguments at home"),
            "the request's words are not shown"
        );

        // The link again, in another browser: a kind page, in Arabic.
        let again = s.new_browser();
        let csrf2 = again.csrf(&link).await;
        let res = again.post(&link, &[("csrf_token", &csrf2)]).await;
        assert_eq!(res.status(), StatusCode::GONE);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("استُخدم هذا الرابط من قبل"));
        // An altered link: the same kind of page, naming nobody.
        let last = if token.ends_with('A') { "B" } else { "A" };
        let altered = format!(
            "/my-family/sign-in/{}{last}?lang=ar",
            &token[..token.len() - 1]
        );
        let res = again.post(&altered, &[("csrf_token", &csrf2)]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let html = res.text().await.unwrap();
        assert!(html.contains("هذا الرابط لا يعمل") && !html.contains("Haddad"));

        // Another family's episode in every family URL: the same page as one that does
        // not exist, and nothing of theirs.
        let csrf = mum.csrf(&format!("{own}?lang=ar")).await;
        let other = format!("/my-family/episodes/{}", theirs.episode);
        let consent: String = {
            let mut conn = store.read().await.unwrap();
            sqlx::query_scalar("SELECT id FROM consents WHERE person_id = $1")
                .bind(theirs.people[1].to_string())
                .fetch_one(&mut *conn)
                .await
                .unwrap()
        };
        let missing = mum
            .get(&format!(
                "/my-family/episodes/{}",
                hearth_domain::ids::EpisodeId::new()
            ))
            .await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        let missing = missing.text().await.unwrap();
        let res = mum.get(&other).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            res.text().await.unwrap(),
            missing,
            "indistinguishable from nothing"
        );
        for path in [
            format!("{other}/messages"),
            format!("{other}/consents/{consent}/withdraw"),
            format!("{other}/consents/{consent}/give"),
            format!("{own}/consents/{consent}/withdraw"),
        ] {
            let res = mum
                .post(&path, &[("csrf_token", &csrf), ("message", "hello")])
                .await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
            assert!(!res.text().await.unwrap().contains("Kowalski"));
        }
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM family_messages").await,
            0,
            "nothing was written"
        );
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM consents WHERE withdrawn_on IS NOT NULL"
            )
            .await,
            0
        );

        // A family session on staff pages is nobody signed in.
        for path in [
            format!("/episodes/{}", ours.episode),
            tab.clone(),
            format!("/people/{amina}"),
        ] {
            let res = mum.get(&path).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
            let to = res.headers().get("location").unwrap().to_str().unwrap();
            assert!(to.starts_with("/sign-in"), "{path} -> {to}");
        }
        // A staff session on family pages is asked for a link, and sees nothing.
        let res = s.get(&own).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let html = s.get("/my-family").await.text().await.unwrap();
        assert!(html.contains(r#"name="email""#) && !html.contains("Amina"));

        // An empty message: the error summary links to the field, in Arabic.
        let res = mum
            .post(
                &format!("{own}/messages?lang=ar"),
                &[("csrf_token", &csrf), ("message", " ")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains(r##"href="#message""##) && html.contains("اكتب رسالتك"));
        // She writes to the lead; the lead reads it escaped on the episode.
        let res = mum
            .post(
                &format!("{own}/messages?lang=ar"),
                &[
                    ("csrf_token", &csrf),
                    ("message", "<script>alert(1)</script> شكرا"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let html = s.get(&tab).await.text().await.unwrap();
        let at = html.find("alert(1)").unwrap();
        assert!(
            html[at.saturating_sub(30)..at].contains("script&"),
            "escaped: {}",
            &html[at.saturating_sub(30)..at + 30]
        );
        assert!(!html.contains("<script>alert(1)"));
        assert!(html.contains("Amina Haddad (family)"));

        // She withdraws her consent for the health service.
        let mine: String = {
            let mut conn = store.read().await.unwrap();
            sqlx::query_scalar("SELECT id FROM consents WHERE person_id = $1")
                .bind(amina.to_string())
                .fetch_one(&mut *conn)
                .await
                .unwrap()
        };
        let res = mum
            .post(
                &format!("{own}/consents/{mine}/withdraw?lang=ar"),
                &[("csrf_token", &csrf)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let html = mum
            .get(&format!("{own}?lang=ar&done=withdrawn"))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("لا تتم المشاركة"), "not sharing now");
        assert!(html.contains("استأنف المشاركة"), "and may start again");

        // Signing out ends the family session.
        let res = mum
            .post("/my-family/sign-out?lang=ar", &[("csrf_token", &csrf)])
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(mum.get(&own).await.status(), StatusCode::SEE_OTHER);
    }
);

both_engines!(
    a_mother_withdraws_her_young_daughters_consent_on_her_page,
    |store| async move {
        let s = server(&store).await;
        let ours = family(&s, &store, "Haddad").await;
        let (layla, amina) = (ours.people[0], ours.people[1]);
        let lead = actor(&s.hearth, "lead@demo.hearth.test").await;
        let today = chrono::Utc::now()
            .date_naive()
            .format("%d/%m/%Y")
            .to_string();
        let laylas = s
            .hearth
            .record_consent(
                &lead,
                layla,
                &ConsentForm {
                    given_by: "Amina".into(),
                    share_with: "City Homes (demo)".into(),
                    given_on: today,
                    expires_on: String::new(),
                },
            )
            .await
            .unwrap();
        s.hearth
            .invite_to_own_page(&lead, ours.episode, &amina.to_string(), "email")
            .await
            .unwrap();
        let token = token_for(&store, "amina.haddad@example.org").await;
        let link = format!("/my-family/sign-in/{token}?lang=ar");
        let csrf = s.csrf(&link).await;
        let res = s.post(&link, &[("csrf_token", &csrf)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);

        // Her page, in Arabic: her own consents, then her daughter's (9), which she decides.
        let own = format!("/my-family/episodes/{}?lang=ar", ours.episode);
        let html = s.get(&own).await.text().await.unwrap();
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("#consents ~ h3").unwrap();
        let headings: Vec<String> = doc
            .select(&sel)
            .map(|e| e.text().collect::<String>())
            .collect();
        assert!(
            headings
                .iter()
                .any(|h| h.contains("مع من تُشارَك معلومات") && h.contains("Layla")),
            "{headings:?}"
        );
        let withdraw = format!(
            "/my-family/episodes/{}/consents/{laylas}/withdraw?lang=ar",
            ours.episode
        );
        assert!(doc
            .root_element()
            .html()
            .contains(&withdraw.replace('&', "&amp;")));
        let csrf = s.csrf(&own).await;
        let res = s.post(&withdraw, &[("csrf_token", &csrf)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            count(
                &store,
                &format!(
                    "SELECT COUNT(*) FROM consents WHERE id = '{laylas}'
                     AND withdrawn_on IS NOT NULL AND withdrawn_by_person_id = '{amina}'"
                )
            )
            .await,
            1
        );
    }
);
