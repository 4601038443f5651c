//! GOV.UK One Login for families (ADR 0056) against a real OpenID Connect provider (panva's
//! oidc-provider, started by `hearth_testkit::oidc` with a families' client that proves itself
//! with a signed JWT, `private_key_jwt`, as One Login's clients do), over real HTTP, on both
//! engines. The mother signs in in Arabic and reaches the same page a link gives; the button
//! shows only where the partnership set a provider; an address the provider did not verify,
//! nobody with the address, two people with it, a forged or replayed `state`, an answer in
//! another browser, a wrong `nonce`, a replayed code and a provider that is down each meet a
//! kind page, audited, that says nothing of who is known; a withdrawn consent and a mother
//! who moved out fare exactly as with a link.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::family::consent::ConsentForm;
use hearth_app::messages::MessagePolicy;
use hearth_app::own::{ClientAuth, FamilyOneLogin, FAMILY_CALLBACK_PATH};
use hearth_app::Store;
use hearth_testkit::app::{actor, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::{Family, Opened};
use hearth_testkit::oidc::{
    family_client_key, sign_in_at_provider, OidcProvider, FAMILY_CLIENT_ID,
};
use hearth_testkit::server::Server;
use reqwest::StatusCode;

/// The address the provider gives its `mother` (and, unverified, its `unverified`).
const MOTHER: &str = "amina.one-login@family.test";
/// The address the provider gives `shared`, which two people on the record have.
const SHARED: &str = "shared.one-login@family.test";

async fn count(store: &Store, sql: &str, bind: &str) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

async fn exec(store: &Store, sql: &str, binds: &[&str]) {
    let mut conn = store.write().await.unwrap();
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(&mut *conn).await.unwrap();
    Store::commit(conn).await.unwrap();
}

/// Family refusals audited with this reason.
async fn refused(store: &Store, reason: &str) -> i64 {
    count(
        store,
        "SELECT COUNT(*) FROM audit_events WHERE action = 'single_sign_on_refused'
         AND record_type = 'family_sign_in' AND detail LIKE $1",
        &format!(r#"%"reason":"{reason}"%"#),
    )
    .await
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("a Location header")
        .to_string()
}

/// A server whose partnership offers One Login through a provider started for it (emails
/// delivered, so links reach the outbox too); `None` when the provider is not installed.
async fn start(store: &Store) -> Option<(Server, OidcProvider)> {
    let mut provider = None;
    let s = Server::start_with_policies(store.clone(), |p, base| {
        p.messages = MessagePolicy {
            public_url: base.to_string(),
            email_delivered: true,
        };
        p.single_sign_on.provider_timeout = std::time::Duration::from_secs(5);
        provider = OidcProvider::start_with_families(
            &[format!("{base}/sign-in/provider/callback")],
            &[format!("{base}{FAMILY_CALLBACK_PATH}")],
        );
        if let Some(idp) = &provider {
            p.own.one_login = Some(
                FamilyOneLogin::new(
                    &idp.issuer(),
                    FAMILY_CLIENT_ID,
                    ClientAuth::PrivateKeyJwt {
                        key_pem: std::fs::read_to_string(family_client_key()).unwrap(),
                        key_id: None,
                    },
                    Some(hearth_app::own::DEFAULT_VTR.into()),
                )
                .unwrap(),
            );
        }
    })
    .await;
    Some((s, provider?))
}

/// The Haddads: Layla (9) and her mother Amina, whose address is the one the provider knows
/// and who reads Arabic, with a consent for the health service.
async fn family(s: &Server, store: &Store) -> (Opened, uuid::Uuid) {
    let lead = actor(&s.hearth, "lead@demo.hearth.test").await;
    let opened = Family::new("Haddad")
        .child("Layla", &years_ago(9))
        .parent("Amina", &years_ago(36))
        .need("family_relationships")
        .detail("family_relationships", "Arguments at home")
        .early_help(&s.hearth, &lead, "School knows the family best")
        .await;
    exec(
        store,
        "UPDATE people SET email = $1, first_language = 'ar' WHERE id = $2",
        &[MOTHER, &opened.people[1].to_string()],
    )
    .await;
    let today = chrono::Utc::now()
        .date_naive()
        .format("%d/%m/%Y")
        .to_string();
    let consent = s
        .hearth
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
    (opened, consent)
}

/// `login` starts at Hearth's family page in `lang` in a new browser and signs in at the
/// provider; returns the browser and the provider's answer (Hearth's callback address).
async fn at_provider(s: &Server, login: &str, lang: &str) -> (Server, String) {
    let b = s.new_browser();
    let res = b.get(&format!("/my-family/one-login?lang={lang}")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "sent to the provider");
    let url = location(&res);
    let callback = sign_in_at_provider(&b.client, &url, login, &s.base).await;
    (b, callback)
}

async fn open(b: &Server, url: &str) -> reqwest::Response {
    b.client.get(url).send().await.unwrap()
}

both_engines!(
    the_mother_signs_in_with_one_login_in_arabic_and_answers_not_hers_are_refused,
    |store| async move {
        // Without a provider set, families are not offered it.
        let plain = Server::start_with_policies(store.clone(), |p, base| {
            p.messages.public_url = base.to_string();
        })
        .await;
        let page = plain.get("/my-family?lang=ar").await.text().await.unwrap();
        assert!(!page.contains("GOV.UK One Login"));
        assert_eq!(
            plain.get("/my-family/one-login?lang=ar").await.status(),
            StatusCode::NOT_FOUND
        );

        let Some((s, _idp)) = start(&store).await else {
            return;
        };
        let (haddads, _) = family(&s, &store).await;
        let amina = haddads.people[1].to_string();

        // The page where she would ask for a link offers One Login, in Arabic.
        let page = s.get("/my-family?lang=ar").await.text().await.unwrap();
        assert!(page.contains("سجّل الدخول باستخدام GOV.UK One Login"));
        assert!(page.contains(r#"href="/my-family/one-login?lang=ar""#));

        // Sent to the provider with One Login's parameters: only `openid email`, her
        // language, the vector of trust, PKCE, state and nonce.
        let b = s.new_browser();
        let res = b.get("/my-family/one-login?lang=ar").await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let cookie = res
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with("hearth_family_sign_on="))
            .expect("the sign-in's own cookie");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        let url = reqwest::Url::parse(&location(&res)).unwrap();
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["scope"], "openid email");
        assert_eq!(q["ui_locales"], "ar");
        assert_eq!(q["vtr"], r#"["Cl.Cm"]"#);
        assert_eq!(q["code_challenge_method"], "S256");
        assert!(q.contains_key("state") && q.contains_key("nonce"));
        assert_eq!(q["client_id"], FAMILY_CLIENT_ID);

        // She signs in there, and comes back to her own page: the same family session a
        // link gives, in Arabic.
        let callback = sign_in_at_provider(&b.client, url.as_str(), "mother", &s.base).await;
        let res = open(&b, &callback).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/my-family?lang=ar");
        let res = b.get("/my-family?lang=ar").await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "one episode: to it");
        let own = format!("/my-family/episodes/{}?lang=ar", haddads.episode);
        let html = b.get(&own).await.text().await.unwrap();
        assert!(html.contains(r#"lang="ar" dir="rtl""#));
        assert!(html.contains("خطة عائلتك"), "her plan's page in Arabic");
        assert!(html.contains("City 0-19 Health Service (demo)"));
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM audit_events WHERE action = 'family_signed_in'
                 AND record_id = $1 AND detail LIKE '%one_login%'",
                &amina
            )
            .await,
            1
        );
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM family_sessions WHERE person_id = $1
                 AND signed_in_with = 'one_login' AND link_id IS NULL",
                &amina
            )
            .await,
            1
        );
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM people WHERE email = $1",
                MOTHER
            )
            .await,
            1,
            "nobody was made"
        );

        // The same answer again (a replayed state): refused, in her language, audited.
        let res = open(&b, &callback).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(res.text().await.unwrap().contains("لم يتم تسجيل دخولك"));
        assert_eq!(refused(&store, "wrong_state").await, 1);

        // A state nobody started.
        let stranger = s.new_browser();
        let res = stranger
            .get(&format!(
                "{FAMILY_CALLBACK_PATH}?state=made-up&code=made-up"
            ))
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(refused(&store, "wrong_state").await, 2);

        // An answer opened in another browser than the one that started it.
        let (_, callback) = at_provider(&s, "mother", "ar").await;
        let res = open(&s.new_browser(), &callback).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(refused(&store, "wrong_state").await, 3);

        // An ID token made for another sign-in: the nonce kept is not the token's.
        let b = s.new_browser();
        let res = b.get("/my-family/one-login?lang=en").await;
        exec(
            &store,
            "UPDATE family_sign_on_attempts SET nonce = 'a-nonce-of-another-sign-in'",
            &[],
        )
        .await;
        let callback = sign_in_at_provider(&b.client, &location(&res), "mother", &s.base).await;
        let res = open(&b, &callback).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(res.text().await.unwrap().contains("You were not signed in"));
        assert_eq!(refused(&store, "wrong_nonce").await, 1);

        // A code used once already, brought back with a new sign-in's state: the provider
        // refuses it.
        let (b, callback) = at_provider(&s, "mother", "en").await;
        let used = reqwest::Url::parse(&callback).unwrap();
        let code = used
            .query_pairs()
            .find(|(k, _)| k == "code")
            .unwrap()
            .1
            .into_owned();
        assert_eq!(open(&b, &callback).await.status(), StatusCode::SEE_OTHER);
        let res = b.get("/my-family/one-login?lang=en").await;
        let state = reqwest::Url::parse(&location(&res))
            .unwrap()
            .query_pairs()
            .find(|(k, _)| k == "state")
            .unwrap()
            .1
            .into_owned();
        let mut replay = reqwest::Url::parse(&format!("{}{FAMILY_CALLBACK_PATH}", s.base)).unwrap();
        replay
            .query_pairs_mut()
            .append_pair("code", &code)
            .append_pair("state", &state);
        let res = open(&b, replay.as_str()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(refused(&store, "code_refused").await, 1);
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM family_sessions WHERE person_id = $1",
                &amina
            )
            .await,
            2,
            "only her two sign-ins made sessions"
        );
    }
);

both_engines!(
    unverified_unknown_and_shared_addresses_and_a_provider_down_are_refused_kindly,
    |store| async move {
        let Some((s, mut idp)) = start(&store).await else {
            return;
        };
        let (haddads, _) = family(&s, &store).await;
        let sessions = "SELECT COUNT(*) FROM family_sessions WHERE signed_in_with = $1";

        // The provider has not verified the address (the mother's own): refused before any
        // look-up, with what to do.
        let (b, callback) = at_provider(&s, "unverified", "en").await;
        let res = open(&b, &callback).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("Confirm your email address first"));
        assert_eq!(refused(&store, "email_not_verified").await, 1);

        // Nobody has the address; two people have it: the same words, so the page tells a
        // stranger nothing; the log tells them apart and names the two for an officer.
        let (b, callback) = at_provider(&s, "stranger", "pl").await;
        let res = open(&b, &callback).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let nobody = res.text().await.unwrap();
        assert!(nobody.contains("Nie znaleźliśmy strony Twojej rodziny"));
        assert_eq!(refused(&store, "no_match").await, 1);

        exec(
            &store,
            "UPDATE people SET email = $1 WHERE id = $2 OR id = $3",
            &[
                SHARED,
                &haddads.people[0].to_string(),
                &haddads.people[1].to_string(),
            ],
        )
        .await;
        let (b, callback) = at_provider(&s, "shared", "pl").await;
        let res = open(&b, &callback).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let several = res.text().await.unwrap();
        let main = |page: &str| {
            let from = page.find("<main").unwrap();
            let to = page.find("</main>").unwrap();
            page[from..to].to_string()
        };
        assert_eq!(main(&nobody), main(&several), "indistinguishable");
        assert!(!several.contains("Haddad") && !several.contains("Layla"));
        assert_eq!(refused(&store, "several_matches").await, 1);
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM audit_events WHERE detail LIKE $1
                 AND detail LIKE '%several_matches%'",
                &format!("%{}%", haddads.people[1])
            )
            .await,
            1
        );
        assert_eq!(count(&store, sessions, "one_login").await, 0);

        // The provider is down: a kind page, not an error, audited.
        idp.down();
        let res = s.new_browser().get("/my-family/one-login?lang=ur").await;
        assert_eq!(res.status(), StatusCode::BAD_GATEWAY);
        let html = res.text().await.unwrap();
        assert!(html.contains(r#"lang="ur" dir="rtl""#));
        assert!(html.contains("GOV.UK One Login دستیاب نہیں"));
        assert_eq!(refused(&store, "provider_unavailable").await, 1);
        assert_eq!(count(&store, sessions, "one_login").await, 0);
    }
);

both_engines!(
    a_withdrawn_consent_and_a_mother_who_moved_out_fare_as_with_a_link,
    |store| async move {
        let Some((s, _idp)) = start(&store).await else {
            return;
        };
        let (haddads, consent) = family(&s, &store).await;
        let lead = actor(&s.hearth, "lead@demo.hearth.test").await;
        let amina = haddads.people[1];
        s.hearth
            .withdraw_consent(&lead, amina, consent, "She asked us to stop")
            .await
            .unwrap();

        // By a link.
        s.hearth
            .invite_to_own_page(&lead, haddads.episode, &amina.to_string(), "email")
            .await
            .unwrap();
        let token = {
            let mut conn = store.read().await.unwrap();
            let body: String = sqlx::query_scalar(
                "SELECT body_text FROM messages WHERE recipient = $1
                 AND template = 'family_page_link' ORDER BY created_at DESC LIMIT 1",
            )
            .bind(MOTHER)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
            let at = body.find("/my-family/sign-in/").unwrap() + "/my-family/sign-in/".len();
            body[at..]
                .chars()
                .take_while(|c| *c != '?')
                .collect::<String>()
        };
        let by_link = s.new_browser();
        let link = format!("/my-family/sign-in/{token}?lang=en");
        let csrf = by_link.csrf(&link).await;
        assert_eq!(
            by_link.post(&link, &[("csrf_token", &csrf)]).await.status(),
            StatusCode::SEE_OTHER
        );
        // By One Login.
        let (by_one_login, callback) = at_provider(&s, "mother", "en").await;
        assert_eq!(
            open(&by_one_login, &callback).await.status(),
            StatusCode::SEE_OTHER
        );

        // Consent withdrawn does not close the family's page (it is where she gives it
        // again): both read it, and see the consent withdrawn.
        let own = format!("/my-family/episodes/{}?lang=en", haddads.episode);
        for b in [&by_link, &by_one_login] {
            let res = b.get(&own).await;
            assert_eq!(res.status(), StatusCode::OK);
            assert!(res
                .text()
                .await
                .unwrap()
                .contains("City 0-19 Health Service (demo)"));
        }

        // She moves out of the household she shared with Layla: her page closes for both
        // sessions alike, and a new One Login sign-in still lands on the same quiet page.
        let membership: String = {
            let mut conn = store.read().await.unwrap();
            sqlx::query_scalar("SELECT id FROM household_members WHERE person_id = $1")
                .bind(amina.to_string())
                .fetch_one(&mut *conn)
                .await
                .unwrap()
        };
        s.hearth
            .end_household_membership(&lead, haddads.people[0], &membership)
            .await
            .unwrap();
        let (again, callback) = at_provider(&s, "mother", "en").await;
        assert_eq!(
            open(&again, &callback).await.status(),
            StatusCode::SEE_OTHER
        );
        let mut seen = Vec::new();
        for b in [&by_link, &by_one_login, &again] {
            let home = b.get("/my-family?lang=en").await;
            let home_status = home.status();
            let home_text = home.text().await.unwrap();
            assert!(
                home_text.contains("There is nothing to show yet"),
                "{home_text}"
            );
            let page = b.get(&own).await;
            seen.push((home_status, page.status()));
        }
        assert!(
            seen.iter().all(|s| *s == seen[0]),
            "a link and One Login fare alike: {seen:?}"
        );
        assert_eq!(seen[0].1, StatusCode::NOT_FOUND);
    }
);
