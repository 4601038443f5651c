//! A second factor for password accounts over real HTTP, on both engines, with the codes an
//! authenticator app would show computed by `totp-rs` from the key the page gives as text.
//! The partnership requires it of managers: a manager's first sign-in goes to setting up the
//! app before anything else; afterwards a code follows the password, a code is never accepted
//! twice, a recovery code works once, wrong codes are audited and wait like wrong passwords,
//! and a practitioner (not required) signs in with a password alone.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::Duration;
use hearth_app::Store;
use hearth_domain::role::Role;
use hearth_testkit::both_engines;
use hearth_testkit::server::Server;
use reqwest::StatusCode;
use totp_rs::{Builder, Secret};

const MANAGER: &str = "manager@demo.hearth.test";

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

/// The code the app shows at the server's (standing) clock.
fn code_now(secret: &str, s: &Server) -> String {
    let totp = Builder::new()
        .with_secret(Secret::try_from_base32(secret).unwrap())
        .build()
        .unwrap();
    let now = u64::try_from(s.hearth.now().timestamp()).unwrap();
    totp.generate(now).to_string()
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

async fn send_code(b: &Server, path: &str, code: &str) -> reqwest::Response {
    let csrf = b.csrf(path).await;
    let action = if path.starts_with("/sign-in/code") {
        "/sign-in/code"
    } else {
        "/account/two-factor"
    };
    b.post(
        action,
        &[("csrf_token", &csrf), ("code", code), ("next", "/")],
    )
    .await
}

both_engines!(
    a_manager_sets_up_an_app_and_signs_in_with_its_codes,
    |store| async move {
        let s = Server::start_with_policies(store.clone(), |p, _| {
            p.second_factor.required_roles = vec![Role::TeamManager, Role::Administrator];
        })
        .await;

        // Not required of a practitioner: the password is enough.
        let (_, next) = password(&s, "practitioner@demo.hearth.test").await;
        assert_eq!(next, "/");

        // The manager's first sign-in: set up the app before anything else.
        let (b, next) = password(&s, MANAGER).await;
        assert_eq!(next, "/account/two-factor");
        assert_eq!(
            location(&b.get("/team").await),
            "/account/two-factor",
            "nothing else is reachable"
        );
        let (status, page) = b.page("/account/two-factor").await;
        assert_eq!(status, StatusCode::OK);
        let text = |sel: &str| {
            let sel = scraper::Selector::parse(sel).unwrap();
            page.select(&sel)
                .next()
                .map(|e| e.text().collect::<String>())
                .unwrap_or_default()
        };
        let secret: String = text("#secret").split_whitespace().collect();
        assert_eq!(secret.len(), 32, "a 160-bit key as base32 text");
        let img = scraper::Selector::parse(r#"img[src^="data:image/svg+xml;base64,"]"#).unwrap();
        assert!(page.select(&img).next().is_some(), "the QR code");

        // A wrong code: said at the field, nothing set up.
        let right = code_now(&secret, &s);
        let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
        let res = send_code(&b, "/account/two-factor", &wrong).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert!(res.text().await.unwrap().contains("That code is not right"));
        let res = send_code(&b, "/account/two-factor", "12345").await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // The right one: set up, ten recovery codes shown once, and on to work.
        let res = send_code(&b, "/account/two-factor", &right).await;
        assert_eq!(res.status(), StatusCode::OK);
        let page = scraper::Html::parse_document(&res.text().await.unwrap());
        let li = scraper::Selector::parse("#recovery-codes li").unwrap();
        let recovery: Vec<String> = page
            .select(&li)
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect();
        assert_eq!(recovery.len(), 10);
        assert_eq!(b.get("/team").await.status(), StatusCode::OK);
        assert_eq!(audited(&store, "second_factor_enrolled").await, 1);

        // Next sign-in: the password, then the code. The code just used is not accepted
        // again; the app's next one is.
        let (b, next) = password(&s, MANAGER).await;
        assert_eq!(next, "/sign-in/code?next=%2F");
        let res = send_code(&b, &next, &right).await;
        assert_eq!(
            res.status(),
            StatusCode::UNAUTHORIZED,
            "a code is used once"
        );
        assert_eq!(
            location(&b.get("/team").await),
            "/sign-in/code?next=%2Fteam"
        );
        s.advance(Duration::seconds(30));
        let res = send_code(&b, &next, &code_now(&secret, &s)).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/");
        assert_eq!(b.get("/team").await.status(), StatusCode::OK);

        // A recovery code works once.
        let (b, next) = password(&s, MANAGER).await;
        let res = send_code(&b, &next, &recovery[0].to_uppercase()).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (b, next) = password(&s, MANAGER).await;
        let res = send_code(&b, &next, &recovery[0]).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(audited(&store, "second_factor_passed").await, 2);

        // Wrong codes wait like wrong passwords, and then even the right code waits.
        let mut status = StatusCode::UNAUTHORIZED;
        for _ in 0..10 {
            status = send_code(&b, &next, "000000").await.status();
            if status == StatusCode::TOO_MANY_REQUESTS {
                break;
            }
        }
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        s.advance(Duration::seconds(30));
        let res = send_code(&b, &next, &code_now(&secret, &s)).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("Too many codes were wrong"));
        assert!(audited(&store, "second_factor_failed").await >= 5);

        // The key is in no audit event.
        let mut conn = store.read().await.unwrap();
        let leaked: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_events WHERE detail LIKE $1 OR reason LIKE $1",
        )
        .bind(format!("%{secret}%"))
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        assert_eq!(leaked, 0);
    }
);
