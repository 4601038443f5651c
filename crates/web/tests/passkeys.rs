//! Passkeys (WebAuthn) as a second factor over real HTTP, on both engines (ADR 0051), answered
//! by a real software authenticator and client (`hearth_testkit::passkey`, 1Password's
//! passkey-rs) reading the same JSON a browser's script is given. A manager whose role needs a
//! second factor adds a passkey instead of an app (the password again first), gets recovery
//! codes, and signs in with it after the password; a challenge answers once and not after
//! five minutes; a copied key (its counter gone back) is refused; refusals are audited and
//! wait like wrong passwords; a passkey is removed with the password, and only by its owner.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::Duration;
use hearth_app::Store;
use hearth_domain::role::Role;
use hearth_testkit::app::PASSWORD;
use hearth_testkit::both_engines;
use hearth_testkit::passkey::SoftKey;
use hearth_testkit::server::Server;
use reqwest::StatusCode;

const MANAGER: &str = "manager@demo.hearth.test";
const PRACTITIONER: &str = "practitioner@demo.hearth.test";

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("a Location header")
        .to_string()
}

async fn audited(store: &Store, action: &str) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

/// Signs in with the password in a fresh browser; returns the browser and where it was sent.
async fn password(s: &Server, email: &str) -> (Server, String) {
    let b = s.new_browser();
    let res = b.sign_in(email).await;
    let to = location(&res);
    let res = b.get(&to).await;
    let next = if res.status() == StatusCode::SEE_OTHER {
        location(&res)
    } else {
        to
    };
    (b, next)
}

/// Asks for registration options as the page's script does: the form's fields, as a form.
async fn registration_options(b: &Server, name: &str, password: &str) -> reqwest::Response {
    let csrf = b.csrf("/account/two-factor").await;
    b.post(
        "/account/two-factor/passkeys/options",
        &[
            ("csrf_token", &csrf),
            ("name", name),
            ("password", password),
        ],
    )
    .await
}

async fn register(b: &Server, key: &mut SoftKey, name: &str) -> reqwest::Response {
    let res = registration_options(b, name, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    let options = res.text().await.unwrap();
    let answer = key.register(&options).await.unwrap();
    let csrf = b.csrf("/account/two-factor").await;
    b.post(
        "/account/two-factor/passkeys",
        &[("csrf_token", &csrf), ("credential", &answer)],
    )
    .await
}

/// The sign-in challenge, as the code page's script asks for it.
async fn sign_in_options(b: &Server, next: &str) -> String {
    let csrf = b.csrf(next).await;
    let res = b
        .post("/sign-in/code/passkey/options", &[("csrf_token", &csrf)])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.text().await.unwrap()
}

async fn send_answer(b: &Server, next: &str, answer: &str) -> reqwest::Response {
    let csrf = b.csrf(next).await;
    b.post(
        "/sign-in/code/passkey",
        &[("csrf_token", &csrf), ("credential", answer), ("next", "/")],
    )
    .await
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

both_engines!(
    a_manager_adds_a_passkey_and_signs_in_with_it,
    |store| async move {
        let mut origin = String::new();
        let s = Server::start_with_policies(store.clone(), |p, base| {
            p.second_factor.required_roles = vec![Role::TeamManager, Role::Administrator];
            // WebAuthn names the site by its domain: the server is reached as localhost.
            origin = base.replace("127.0.0.1", "localhost");
            p.messages.public_url = origin.clone();
        })
        .await;
        let mut key = SoftKey::new(&origin);

        // The manager's first sign-in: a second factor before anything else. The page offers
        // a passkey to a browser with JavaScript (the form is hidden until the script shows
        // it) beside the app's code, which works without.
        let (b, next) = password(&s, MANAGER).await;
        assert_eq!(next, "/account/two-factor");
        let (_, page) = b.page("/account/two-factor").await;
        let hidden_form =
            scraper::Selector::parse(r#"form[data-hearth-passkey="register"][hidden]"#).unwrap();
        assert!(page.select(&hidden_form).next().is_some());
        let code =
            scraper::Selector::parse(r#"form[action="/account/two-factor"] input[name="code"]"#)
                .unwrap();
        assert!(page.select(&code).next().is_some(), "the app's way stays");

        // The password again before a passkey is made; a name to know it by.
        let res = registration_options(&b, "Laptop", "not my password").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert!(json(&res.text().await.unwrap())["message"]
            .as_str()
            .unwrap()
            .contains("password was wrong"));
        assert_eq!(audited(&store, "passkey_failed").await, 1);
        let res = registration_options(&b, " ", PASSWORD).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(json(&res.text().await.unwrap())["message"]
            .as_str()
            .unwrap()
            .contains("Enter a name for the passkey"));

        // The options ask for user verification and no attestation, for this site.
        let res = registration_options(&b, "Laptop", PASSWORD).await;
        let options = json(&res.text().await.unwrap());
        let public_key = &options["publicKey"];
        assert_eq!(public_key["rp"]["id"], "localhost");
        assert_eq!(
            public_key["authenticatorSelection"]["userVerification"],
            "required"
        );
        assert_eq!(public_key["attestation"], "none");

        // Made and registered: the first second factor comes with recovery codes, and the
        // manager is let through.
        let res = register(&b, &mut key, "Laptop").await;
        assert_eq!(res.status(), StatusCode::OK);
        let added = scraper::Html::parse_document(&res.text().await.unwrap());
        let li = scraper::Selector::parse("#recovery-codes li").unwrap();
        assert_eq!(added.select(&li).count(), 10);
        assert_eq!(b.get("/team").await.status(), StatusCode::OK);
        assert_eq!(audited(&store, "passkey_registered").await, 1);

        // The same key cannot be registered twice: the options exclude it.
        let res = registration_options(&b, "Laptop again", PASSWORD).await;
        let options = json(&res.text().await.unwrap());
        assert_eq!(
            options["publicKey"]["excludeCredentials"]
                .as_array()
                .unwrap()
                .len(),
            1
        );

        // Next sign-in: the password, then the passkey instead of a code.
        let (b, next) = password(&s, MANAGER).await;
        assert_eq!(next, "/sign-in/code?next=%2F");
        let (_, page) = b.page(&next).await;
        let passkey_form =
            scraper::Selector::parse(r#"form[data-hearth-passkey="sign-in"][hidden]"#).unwrap();
        assert!(page.select(&passkey_form).next().is_some());
        let options = sign_in_options(&b, &next).await;
        assert_eq!(json(&options)["publicKey"]["userVerification"], "required");
        let copied = key.passkey();
        let answer = key.sign_in(&options).await.unwrap();
        let res = send_answer(&b, &next, &answer).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/");
        assert_eq!(b.get("/team").await.status(), StatusCode::OK);
        assert_eq!(audited(&store, "passkey_used").await, 1);
        let (_, page) = b.page("/account/two-factor").await;
        let list = scraper::Selector::parse("#passkey-list tbody tr").unwrap();
        let row: String = page.select(&list).next().unwrap().text().collect();
        assert!(row.contains("Laptop") && !row.contains("Not yet"), "{row}");

        // An answer is good for its own challenge only, once.
        let (b, next) = password(&s, MANAGER).await;
        let _ = sign_in_options(&b, &next).await;
        let res = send_answer(&b, &next, &answer).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            location(&b.get("/team").await),
            "/sign-in/code?next=%2Fteam"
        );

        // A challenge is not answered after five minutes.
        let options = sign_in_options(&b, &next).await;
        let late = key.sign_in(&options).await.unwrap();
        s.advance(Duration::minutes(6));
        let res = send_answer(&b, &next, &late).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

        // A copy of the key made before its last use (its counter behind) is refused.
        let mut copy = SoftKey::new(&origin);
        copy.set_passkey(copied);
        let options = sign_in_options(&b, &next).await;
        let cloned = copy.sign_in(&options).await.unwrap();
        let res = send_answer(&b, &next, &cloned).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

        // The key itself still works.
        let options = sign_in_options(&b, &next).await;
        let res = send_answer(&b, &next, &key.sign_in(&options).await.unwrap()).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(audited(&store, "passkey_failed").await >= 4);

        // Another user cannot see or remove the manager's passkey.
        let mut conn = store.read().await.unwrap();
        let id: String = sqlx::query_scalar("SELECT id FROM user_passkeys")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        let (other, _) = password(&s, PRACTITIONER).await;
        let remove = format!("/account/two-factor/passkeys/{id}/remove");
        assert_eq!(other.get(&remove).await.status(), StatusCode::NOT_FOUND);

        // Its owner removes it with the password.
        let csrf = b.csrf(&remove).await;
        let res = b
            .post(&remove, &[("csrf_token", &csrf), ("password", "wrong")])
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let res = b
            .post(&remove, &[("csrf_token", &csrf), ("password", PASSWORD)])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(audited(&store, "passkey_removed").await, 1);
        let (_, page) = b.page("/account/two-factor").await;
        assert!(page.select(&list).next().is_none());
    }
);

both_engines!(
    refused_passkeys_wait_like_wrong_passwords,
    |store| async move {
        let mut origin = String::new();
        let s = Server::start_with_policies(store.clone(), |p, base| {
            origin = base.replace("127.0.0.1", "localhost");
            p.messages.public_url = origin.clone();
        })
        .await;
        let mut key = SoftKey::new(&origin);
        let (b, _) = password(&s, MANAGER).await;
        assert_eq!(
            register(&b, &mut key, "Blue key").await.status(),
            StatusCode::OK
        );

        let (b, next) = password(&s, MANAGER).await;
        let mut status = StatusCode::UNAUTHORIZED;
        for _ in 0..10 {
            let csrf = b.csrf(&next).await;
            b.post("/sign-in/code/passkey/options", &[("csrf_token", &csrf)])
                .await;
            status = send_answer(&b, &next, r#"{"id":"forged"}"#).await.status();
            if status == StatusCode::TOO_MANY_REQUESTS {
                break;
            }
        }
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        // Even the right passkey waits now, and the page says so.
        let csrf = b.csrf(&next).await;
        let res = b
            .post("/sign-in/code/passkey/options", &[("csrf_token", &csrf)])
            .await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(json(&res.text().await.unwrap())["message"]
            .as_str()
            .unwrap()
            .contains("Wait and try again"));
        assert!(audited(&store, "passkey_failed").await >= 5);

        // An administrator resets the manager's lost second factor: the passkey goes too, and
        // the manager sets one up again at the next sign-in.
        // (Read from the database: the manager's own sign-in is still held back.)
        let mut conn = store.read().await.unwrap();
        let manager: String = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(MANAGER)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        let a = s.new_browser();
        a.sign_in("admin@demo.hearth.test").await;
        let user_page = format!("/admin/users/{manager}");
        let csrf = a.csrf(&user_page).await;
        let res = a
            .post(
                &format!("{user_page}/second-factor/reset"),
                &[
                    ("csrf_token", &csrf),
                    ("reason", "Lost laptop, checked by a call"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let mut conn = store.read().await.unwrap();
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_passkeys")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(left, 0);
    }
);
