//! Signing in as an attacker would try it, and the anti-automation limits, over real HTTP on
//! both engines: the same answers for unknown and known accounts, waits that grow by account
//! and by address, `X-Forwarded-For` read from the right, common passwords refused, and rate
//! limits on people search and the API that answer 429 and are audited once.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::Duration;
use hearth_app::records::AuditQuery;
use hearth_app::Hearth;
use hearth_testkit::app::{actor, PASSWORD};
use hearth_testkit::both_engines;
use hearth_testkit::server::Server;
use reqwest::header;
use reqwest::StatusCode;

const LEAD: &str = "lead@demo.hearth.test";

/// A server behind one trusted proxy, so each test chooses the addresses its requests come
/// from with `X-Forwarded-For`.
async fn behind_a_proxy(store: hearth_app::Store) -> Server {
    Server::start_with_settings(store, |s| {
        s.trust_proxy = true;
        s.trusted_proxies = 1;
    })
    .await
}

/// What a sign-in attempt was answered.
#[derive(Debug, PartialEq, Eq)]
struct Answer {
    status: StatusCode,
    retry_after: Option<String>,
    /// The page, with the email typed replaced so that two emails' pages can be compared.
    page: String,
}

/// Tries to sign in as `email` from `forwarded_for` in a fresh browser.
async fn attempt(s: &Server, email: &str, password: &str, forwarded_for: &str) -> Answer {
    let b = s.new_browser();
    let csrf = b.csrf("/sign-in").await;
    let res = b
        .client
        .post(b.url("/sign-in"))
        .header("x-forwarded-for", forwarded_for)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", email),
            ("password", password),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    let status = res.status();
    let retry_after = res
        .headers()
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().unwrap().to_string());
    let page = res
        .text()
        .await
        .unwrap()
        .replace(email, "EMAIL")
        .replace(&csrf, "CSRF");
    Answer {
        status,
        retry_after,
        page,
    }
}

/// The audit events of kind `action`, newest first.
async fn audited(hearth: &Hearth, action: &str) -> Vec<hearth_app::records::AuditEvent> {
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
}

both_engines!(
    unknown_and_known_emails_get_the_same_answers_across_repeated_failures,
    |store| async move {
        let s = behind_a_proxy(store).await;
        for i in 1..=8 {
            let known = attempt(&s, LEAD, "not the password", "203.0.113.1").await;
            let unknown = attempt(
                &s,
                "nobody@demo.hearth.test",
                "not the password",
                "203.0.113.2",
            )
            .await;
            assert_eq!(known, unknown, "attempt {i}");
            if i < 5 {
                assert_eq!(known.status, StatusCode::UNAUTHORIZED, "attempt {i}");
                assert!(known
                    .page
                    .contains("Enter a correct email address and password"));
            } else {
                assert_eq!(known.status, StatusCode::TOO_MANY_REQUESTS, "attempt {i}");
                assert!(known.page.contains("Wait and try again in about"));
            }
            assert!(!known.page.contains("locked"), "no word of a lock: {i}");
        }
    }
);

both_engines!(
    waits_grow_and_are_kept_by_account_and_by_address,
    |store| async move {
        let s = behind_a_proxy(store).await;
        for _ in 0..4 {
            let a = attempt(&s, LEAD, "not the password", "203.0.113.10").await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        }
        let fifth = attempt(&s, LEAD, "not the password", "203.0.113.10").await;
        assert_eq!(fifth.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(fifth.retry_after.as_deref(), Some("60"));
        assert!(fifth.page.contains("about 1 minute."), "{}", fifth.page);

        let elsewhere = attempt(&s, LEAD, PASSWORD, "198.51.100.20").await;
        assert_eq!(
            elsewhere.status,
            StatusCode::TOO_MANY_REQUESTS,
            "the account waits, from any address, even with the right password"
        );
        let other_account = attempt(
            &s,
            "worker@demo.hearth.test",
            "not the password",
            "203.0.113.10",
        )
        .await;
        assert_eq!(
            other_account.status,
            StatusCode::UNAUTHORIZED,
            "the address itself is not held up by one account's failures"
        );

        s.advance(Duration::seconds(61));
        let again = attempt(&s, LEAD, "still not it", "203.0.113.10").await;
        assert_eq!(
            again.retry_after.as_deref(),
            Some("120"),
            "the wait doubles"
        );
        assert!(again.page.contains("about 2 minutes."));
        s.advance(Duration::seconds(121));
        assert_eq!(
            attempt(&s, LEAD, PASSWORD, "203.0.113.10").await.status,
            StatusCode::SEE_OTHER,
            "after the wait the right password works"
        );

        // One address guessing at many accounts waits after 20 failures, whatever the account.
        for i in 0..19 {
            let a = attempt(
                &s,
                &format!("guess{i}@demo.hearth.test"),
                "password guess!",
                "192.0.2.30",
            )
            .await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "guess {i}");
        }
        let twentieth = attempt(
            &s,
            "guess19@demo.hearth.test",
            "password guess!",
            "192.0.2.30",
        )
        .await;
        assert_eq!(twentieth.status, StatusCode::TOO_MANY_REQUESTS);
        let real = attempt(&s, "manager@demo.hearth.test", PASSWORD, "192.0.2.30").await;
        assert_eq!(
            real.status,
            StatusCode::TOO_MANY_REQUESTS,
            "the address waits"
        );
        let real = attempt(&s, "manager@demo.hearth.test", PASSWORD, "192.0.2.31").await;
        assert_eq!(
            real.status,
            StatusCode::SEE_OTHER,
            "another address does not"
        );
        assert!(!audited(&s.hearth, "sign_in_throttled").await.is_empty());
    }
);

both_engines!(
    a_spoofed_left_most_forwarded_for_neither_forges_the_address_nor_escapes_the_wait,
    |store| async move {
        let s = behind_a_proxy(store).await;
        // The client writes "6.6.6.6"; our proxy appends the address it really came from.
        let signed_in = attempt(&s, LEAD, PASSWORD, "6.6.6.6, 203.0.113.40").await;
        assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
        let sign_ins = audited(&s.hearth, "sign_in").await;
        let lead_in = sign_ins.iter().find(|e| e.actor_label == LEAD).unwrap();
        assert_eq!(lead_in.ip.as_deref(), Some("203.0.113.40"));

        let mut last = StatusCode::OK;
        for i in 0..20 {
            let spoofed = format!("10.9.{}.{}, 203.0.113.41", i / 250, i % 250);
            last = attempt(
                &s,
                &format!("guess{i}@demo.hearth.test"),
                "password guess!",
                &spoofed,
            )
            .await
            .status;
        }
        assert_eq!(
            last,
            StatusCode::TOO_MANY_REQUESTS,
            "a new first hop each time does not make a new address"
        );
        let failures = audited(&s.hearth, "sign_in_failed").await;
        assert!(failures
            .iter()
            .all(|e| e.ip.as_deref() == Some("203.0.113.41")));
    }
);

both_engines!(
    a_common_password_is_refused_whatever_its_case,
    |store| async move {
        let s = Server::start_with_clock(store).await;
        s.sign_in(LEAD).await;
        let csrf = s.csrf("/account/password").await;
        let res = s
            .post(
                "/account/password",
                &[
                    ("csrf_token", &csrf),
                    ("current_password", PASSWORD),
                    ("new_password", "QWERTY123456"),
                    ("confirm_password", "QWERTY123456"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = res.text().await.unwrap();
        assert!(page.contains("Choose a less common password"), "{page}");
    }
);

/// Searches for people on the page as the signed-in user of `s`.
async fn search(s: &Server, csrf: &str) -> reqwest::Response {
    s.post(
        "/people/search",
        &[("csrf_token", csrf), ("name", "Tyler Okafor")],
    )
    .await
}

both_engines!(
    people_search_over_its_limit_is_refused_with_429_and_audited_once,
    |store| async move {
        let s = Server::start_with_settings(store, |s| s.rate_limits.search_per_user = 1).await;
        s.sign_in(LEAD).await;
        let csrf = s.csrf("/people").await;
        assert_eq!(search(&s, &csrf).await.status(), StatusCode::OK);
        for _ in 0..3 {
            let res = search(&s, &csrf).await;
            assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
            let wait: u64 = res.headers()[header::RETRY_AFTER]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=60).contains(&wait), "{wait}");
            assert!(res.text().await.unwrap().contains("too many requests"));
        }
        let events = audited(&s.hearth, "rate_limited").await;
        assert_eq!(events.len(), 1, "audited once, not once a refusal");
        assert_eq!(events[0].actor_label, LEAD);
        assert!(events[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("people_search"));

        let other = s.new_browser();
        other.sign_in("worker@demo.hearth.test").await;
        let csrf = other.csrf("/people").await;
        assert_eq!(
            search(&other, &csrf).await.status(),
            StatusCode::OK,
            "the limit is the user's own"
        );
        let metrics = s.metrics().await;
        assert!(
            metrics.contains("http_requests_rate_limited_total"),
            "{metrics}"
        );
    }
);

both_engines!(
    the_api_over_its_limit_answers_429_in_json,
    |store| async move {
        let s = Server::start_with_settings(store, |s| s.rate_limits.api_per_address = 2).await;
        let client = reqwest::Client::new();
        for _ in 0..2 {
            let res = client
                .get(s.url("/api/v1/people?q=Okafor"))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        }
        let res = client
            .get(s.url("/api/v1/people?q=Okafor"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(res.headers().contains_key(header::RETRY_AFTER));
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"], "rate_limited");
        assert_eq!(
            client.get(s.url("/healthz")).send().await.unwrap().status(),
            StatusCode::OK,
            "health checks are never limited"
        );
        let events = audited(&s.hearth, "rate_limited").await;
        assert_eq!(events.len(), 1);
        assert!(events[0]
            .detail
            .as_deref()
            .unwrap()
            .contains(r#""by":"address""#));
    }
);

both_engines!(
    an_unusual_volume_of_searches_alerts_the_data_protection_officer_once,
    |store| async move {
        let s = Server::start_with_settings(store, |s| {
            s.rate_limits.search_per_user = 0;
            s.rate_limits.search_alert_per_hour = 2;
        })
        .await;
        s.sign_in(LEAD).await;
        let csrf = s.csrf("/people").await;
        for _ in 0..2 {
            assert_eq!(search(&s, &csrf).await.status(), StatusCode::OK);
        }
        assert!(audited(&s.hearth, "unusual_volume").await.is_empty());
        for _ in 0..3 {
            assert_eq!(
                search(&s, &csrf).await.status(),
                StatusCode::OK,
                "an alert, not a refusal"
            );
        }
        let alerts = audited(&s.hearth, "unusual_volume").await;
        assert_eq!(alerts.len(), 1, "once a window");
        assert_eq!(alerts[0].actor_label, LEAD);
    }
);
