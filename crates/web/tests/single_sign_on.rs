//! Single sign-on against a real OpenID Connect provider (panva's oidc-provider, started by
//! `hearth_testkit::oidc`; installed by `scripts/install-test-deps.sh --oidc`), over real
//! HTTP, on both engines. An administrator registers the school's provider and its rules (a
//! rule giving a role over families' records waits for a second administrator); a first
//! sign-in makes the account with the mapped organisation, team and roles, a second reuses
//! it; a person no rule fits, and one deactivated in Hearth, are refused with a clear page;
//! a forged or replayed `state`, a callback in another browser, a wrong `nonce`, a replayed
//! code and a provider that is down or never answers are refused and audited, never a 500.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::accounts::admin::UserForm;
use hearth_app::accounts::single_sign_on::CALLBACK_PATH;
use hearth_app::Store;
use hearth_testkit::both_engines;
use hearth_testkit::oidc::{sign_in_at_provider, OidcProvider, CLIENT_ID, CLIENT_SECRET};
use hearth_testkit::server::Server;
use reqwest::StatusCode;

const SCHOOL: &str = "Oakfield Primary School (demo)";

async fn scalar_text(store: &Store, sql: &str, bind: &str) -> String {
    let mut conn = store.read().await.unwrap();
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

async fn count(store: &Store, sql: &str, bind: &str) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

/// Refusals of single sign-on audited with this reason.
async fn refused(store: &Store, reason: &str) -> i64 {
    count(
        store,
        "SELECT COUNT(*) FROM audit_events WHERE action = 'single_sign_on_refused'
         AND detail = $1",
        &format!(r#"{{"reason":"{reason}"}}"#),
    )
    .await
}

/// Follows a full URL (the provider's answer) in browser `b`.
async fn open(b: &Server, url: &str) -> reqwest::Response {
    b.client.get(url).send().await.unwrap()
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("a Location header")
        .to_string()
}

/// A server whose public address is its own, and the school's provider running for it.
async fn start(store: &Store, timeout_secs: u64) -> Option<(Server, OidcProvider)> {
    let s = Server::start_with_policies(store.clone(), |p, base| {
        p.messages.public_url = base.to_string();
        p.single_sign_on.provider_timeout = std::time::Duration::from_secs(timeout_secs);
    })
    .await;
    let provider = OidcProvider::start(
        &[format!("{}{CALLBACK_PATH}", s.base)],
        &[format!("{}/sign-in?signed_out=1", s.base)],
    )?;
    Some((s, provider))
}

/// The administrator registers the provider for the school's two domains, with a rule for
/// each: everyone at school.test is a practitioner in the pastoral team, and the designated
/// safeguarding leads are lead professionals too. Both rules give roles over families'
/// records, so a second administrator confirms them. Returns the provider's id.
async fn register(s: &Server, store: &Store, issuer: &str) -> String {
    // Only administrators see or change providers; a refusal is audited.
    let worker = s.new_browser();
    worker.sign_in("practitioner@demo.hearth.test").await;
    let denied = "SELECT COUNT(*) FROM audit_events WHERE action = $1";
    let before = count(store, denied, "access_denied").await;
    assert_eq!(
        worker.get("/admin/identity-providers").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(count(store, denied, "access_denied").await, before + 1);

    let admin = s.new_browser();
    admin.sign_in("admin@demo.hearth.test").await;
    let school = scalar_text(
        store,
        "SELECT id FROM organisations WHERE name = $1",
        SCHOOL,
    )
    .await;
    let team = scalar_text(
        store,
        "SELECT id FROM teams WHERE name = $1",
        "Pastoral team",
    )
    .await;
    let csrf = admin.csrf("/admin/identity-providers/new").await;

    // Bad input first: every problem named at its field, and nothing saved.
    let res = admin
        .post(
            "/admin/identity-providers/new",
            &[
                ("csrf_token", &csrf),
                ("organisation_id", &school),
                ("issuer", "not a url"),
                ("client_id", CLIENT_ID),
                ("client_secret", ""),
                ("scopes", "openid email"),
                ("email_domains", "school"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Enter the issuer as a full web address"));
    assert!(page.contains("Enter the client secret"));
    assert!(page.contains("Enter each email domain like school.example.org"));
    assert_eq!(
        count(
            store,
            "SELECT COUNT(*) FROM identity_providers WHERE client_id = $1",
            CLIENT_ID
        )
        .await,
        0
    );

    let res = admin
        .post(
            "/admin/identity-providers/new",
            &[
                ("csrf_token", &csrf),
                ("organisation_id", &school),
                ("issuer", issuer),
                ("client_id", CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
                ("scopes", "openid email profile groups"),
                ("email_domains", "school.test elsewhere.test"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page_url = location(&res);
    let provider = page_url
        .trim_start_matches("/admin/identity-providers/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let page = admin.get(&page_url).await.text().await.unwrap();
    assert!(page.contains("Single sign-on for Oakfield Primary School (demo)"));
    assert!(!page.contains(CLIENT_SECRET), "the secret is never shown");
    assert_eq!(
        count(
            store,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'identity_provider_created'
             AND detail LIKE $1",
            &format!("%{CLIENT_SECRET}%"),
        )
        .await,
        0,
        "the secret is never audited"
    );

    let rules = format!("/admin/identity-providers/{provider}/rules");
    for (claim, value, role, team) in [
        ("email_domain", "school.test", "practitioner", team.as_str()),
        ("groups", "safeguarding-leads", "lead_professional", ""),
    ] {
        let res = admin
            .post(
                &rules,
                &[
                    ("csrf_token", &csrf),
                    ("claim", claim),
                    ("value", value),
                    ("role", role),
                    ("team_id", team),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{claim}");
    }
    let rule_ids: Vec<String> = {
        let mut conn = store.read().await.unwrap();
        sqlx::query_scalar("SELECT id FROM sign_on_rules WHERE provider_id = $1 ORDER BY id")
            .bind(&provider)
            .fetch_all(&mut *conn)
            .await
            .unwrap()
    };
    assert_eq!(rule_ids.len(), 2);
    // One administrator cannot confirm their own rule.
    let res = admin
        .post(
            &format!("{rules}/{}/confirm", rule_ids[0]),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Another administrator must confirm a rule you added"));

    // A second administrator, made at the console, confirms both.
    let council = scalar_text(
        store,
        "SELECT id FROM organisations WHERE name = $1",
        "Nottingham City Council (demo)",
    )
    .await;
    s.hearth
        .create_user(
            None,
            &UserForm {
                email: "second.admin@demo.hearth.test".into(),
                display_name: "Sam Second".into(),
                organisation_id: council,
                roles: vec!["administrator".into()],
                password: hearth_testkit::app::PASSWORD.into(),
                ..UserForm::default()
            },
        )
        .await
        .unwrap();
    let second = s.new_browser();
    second.sign_in("second.admin@demo.hearth.test").await;
    let csrf2 = second
        .csrf(&format!("/admin/identity-providers/{provider}"))
        .await;
    for id in &rule_ids {
        let res = second
            .post(&format!("{rules}/{id}/confirm"), &[("csrf_token", &csrf2)])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(
        count(
            store,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'sign_on_rule_confirmed'
             AND record_id = $1",
            &provider,
        )
        .await,
        2
    );
    provider
}

/// Starts signing in with the school in `b` (its button is a link); returns the provider's
/// authorization URL.
async fn start_sign_in(b: &Server, provider: &str) -> String {
    let page = b.get("/sign-in").await.text().await.unwrap();
    assert!(page.contains("Sign in with Oakfield Primary School (demo)"));
    let link = format!("/sign-in/provider/{provider}?next=%2F");
    assert!(page.contains(&link), "the button links to {link}");
    let res = b.get(&link).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "to the provider");
    location(&res)
}

/// Signs `login` in at the provider from a fresh browser; returns the browser and the
/// callback URL the provider sent it back to.
async fn at_provider(s: &Server, provider: &str, login: &str) -> (Server, String) {
    let b = s.new_browser();
    let url = start_sign_in(&b, provider).await;
    let callback = sign_in_at_provider(&b.client, &url, login, &s.base).await;
    (b, callback)
}

both_engines!(
    a_first_sign_in_makes_the_account_by_the_rules_and_a_second_reuses_it,
    |store| async move {
        let Some((s, idp)) = start(&store, 10).await else {
            return;
        };
        let provider = register(&s, &store, &idp.issuer()).await;

        // The teacher's first sign-in makes her account: the school, its pastoral team,
        // practitioner.
        let (teacher, callback) = at_provider(&s, &provider, "teacher").await;
        let res = open(&teacher, &callback).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/");
        let home = teacher.get("/").await;
        assert_eq!(home.status(), StatusCode::OK);
        assert!(home.text().await.unwrap().contains("Ann Teacher"));
        let user = scalar_text(
            &store,
            "SELECT id FROM users WHERE email = $1",
            "ann.teacher@school.test",
        )
        .await;
        assert_eq!(
            scalar_text(
                &store,
                "SELECT o.name FROM users u JOIN organisations o ON o.id = u.organisation_id
                 WHERE u.id = $1",
                &user
            )
            .await,
            SCHOOL
        );
        assert_eq!(
            scalar_text(
                &store,
                "SELECT t.name FROM users u JOIN teams t ON t.id = u.team_id WHERE u.id = $1",
                &user
            )
            .await,
            "Pastoral team"
        );
        assert_eq!(
            scalar_text(
                &store,
                "SELECT role FROM user_roles WHERE user_id = $1",
                &user
            )
            .await,
            "practitioner"
        );
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM user_roles WHERE user_id = $1",
                &user
            )
            .await,
            1
        );
        let made = "SELECT COUNT(*) FROM audit_events
                    WHERE action = 'account_created_by_single_sign_on' AND record_id = $1";
        assert_eq!(count(&store, made, &user).await, 1);
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM audit_events WHERE action = 'sign_in' AND actor_user_id = $1
                 AND record_type = 'identity_provider'",
                &user
            )
            .await,
            1
        );
        // She has no Hearth password to guess.
        let res = s.new_browser();
        let csrf = res.csrf("/sign-in").await;
        let refused_password = res
            .post(
                "/sign-in",
                &[
                    ("csrf_token", &csrf),
                    ("email", "ann.teacher@school.test"),
                    ("password", "!federated"),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(refused_password.status(), StatusCode::UNAUTHORIZED);

        // Signing out ends the Hearth session and sends her to the provider's end-session
        // endpoint.
        let csrf = teacher.csrf("/account/password").await;
        let res = teacher.post("/sign-out", &[("csrf_token", &csrf)]).await;
        assert_eq!(res.status(), StatusCode::OK);
        let page = res.text().await.unwrap();
        assert!(page.contains("You have signed out of Hearth"));
        assert!(page.contains(&format!(r#"href="{}/session/end?client_id="#, idp.issuer())));
        assert_eq!(
            teacher.get("/").await.status(),
            StatusCode::SEE_OTHER,
            "signed out of Hearth"
        );

        // A second sign-in reuses the account.
        let (again, callback) = at_provider(&s, &provider, "teacher").await;
        assert_eq!(
            open(&again, &callback).await.status(),
            StatusCode::SEE_OTHER
        );
        assert_eq!(again.get("/").await.status(), StatusCode::OK);
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM users WHERE email = $1",
                "ann.teacher@school.test"
            )
            .await,
            1
        );
        assert_eq!(count(&store, made, &user).await, 1);

        // The safeguarding lead's groups claim gives her a second role.
        let (dsl, callback) = at_provider(&s, &provider, "dsl").await;
        assert_eq!(open(&dsl, &callback).await.status(), StatusCode::SEE_OTHER);
        let dsl_id = scalar_text(
            &store,
            "SELECT id FROM users WHERE email = $1",
            "dev.lead@school.test",
        )
        .await;
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM user_roles WHERE user_id = $1 AND role IN ('practitioner', 'lead_professional')", &dsl_id).await,
            2
        );

        // Someone at a domain the provider serves whom no rule fits: refused, told to ask.
        let before = refused(&store, "unmapped").await;
        let (stranger, callback) = at_provider(&s, &provider, "stranger").await;
        let res = open(&stranger, &callback).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let page = res.text().await.unwrap();
        assert!(page.contains("You could not be signed in"));
        assert!(page.contains("Hearth administrator to add you"));
        assert_eq!(refused(&store, "unmapped").await, before + 1);
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM users WHERE email = $1",
                "sam.stranger@elsewhere.test"
            )
            .await,
            0
        );

        // Deactivated in Hearth: refused though the provider still signs her in.
        let admin = hearth_testkit::app::actor(&s.hearth, "admin@demo.hearth.test").await;
        s.hearth
            .set_user_active(&admin, user.parse().unwrap(), false)
            .await
            .unwrap();
        let (gone, callback) = at_provider(&s, &provider, "teacher").await;
        let res = open(&gone, &callback).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(res.text().await.unwrap().contains("has been turned off"));
        assert_eq!(refused(&store, "deactivated").await, 1);
        assert_eq!(gone.get("/").await.status(), StatusCode::SEE_OTHER);
    }
);

both_engines!(
    forged_replayed_and_misdirected_answers_are_refused_and_audited,
    |store| async move {
        let Some((s, mut idp)) = start(&store, 2).await else {
            return;
        };
        let provider = register(&s, &store, &idp.issuer()).await;

        // A forged state.
        let (b, callback) = at_provider(&s, &provider, "teacher").await;
        let forged = callback.replace("state=", "state=forged");
        let res = open(&b, &forged).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("This sign-in could not be checked"));
        assert_eq!(refused(&store, "wrong_state").await, 1);

        // The right answer in another browser (no cookie from the start of the sign-in).
        let (_, callback) = at_provider(&s, &provider, "teacher").await;
        let other = s.new_browser();
        assert_eq!(
            open(&other, &callback).await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(refused(&store, "wrong_state").await, 2);
        assert_eq!(other.get("/").await.status(), StatusCode::SEE_OTHER);

        // Signed in properly, then the same answer again: its state was used.
        let (b, callback) = at_provider(&s, &provider, "teacher").await;
        assert_eq!(open(&b, &callback).await.status(), StatusCode::SEE_OTHER);
        assert_eq!(open(&b, &callback).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(refused(&store, "wrong_state").await, 3);

        // The used code under a fresh state, in a browser that started that sign-in: the
        // provider refuses the code.
        let b = s.new_browser();
        let fresh = start_sign_in(&b, &provider).await;
        let state = fresh
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("state="))
            .unwrap()
            .to_string();
        let code = callback
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("code="))
            .unwrap()
            .to_string();
        let replayed = format!("{}{CALLBACK_PATH}?code={code}&state={state}", s.base);
        let res = open(&b, &replayed).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(refused(&store, "code_refused").await, 1);

        // An ID token made for another sign-in: the nonce Hearth keeps is not the token's.
        let (b, callback) = at_provider(&s, &provider, "teacher").await;
        {
            let mut conn = store.write().await.unwrap();
            sqlx::query("UPDATE sign_on_attempts SET nonce = 'a-nonce-of-another-sign-in'")
                .execute(&mut *conn)
                .await
                .unwrap();
            Store::commit(conn).await.unwrap();
        }
        let res = open(&b, &callback).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(refused(&store, "wrong_nonce").await, 1);
        assert_eq!(b.get("/").await.status(), StatusCode::SEE_OTHER);

        // The person cancels at the provider.
        let b = s.new_browser();
        let url = start_sign_in(&b, &provider).await;
        let state = url
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("state="))
            .unwrap()
            .to_string();
        let res = b
            .get(&format!(
                "{CALLBACK_PATH}?error=access_denied&state={state}"
            ))
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("You did not finish signing in"));
        assert_eq!(refused(&store, "cancelled_at_provider").await, 1);

        // A provider that never answers, then one that is down: a clear page, not a 500.
        let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let silent_issuer = format!("http://{}", silent.local_addr().unwrap());
        {
            let mut conn = store.write().await.unwrap();
            sqlx::query("UPDATE identity_providers SET issuer = $1 WHERE id = $2")
                .bind(&silent_issuer)
                .bind(&provider)
                .execute(&mut *conn)
                .await
                .unwrap();
            Store::commit(conn).await.unwrap();
        }
        let b = s.new_browser();
        let res = b
            .get(&format!("/sign-in/provider/{provider}?next=%2F"))
            .await;
        assert_eq!(res.status(), StatusCode::BAD_GATEWAY);
        assert!(res.text().await.unwrap().contains("did not answer in time"));
        assert_eq!(refused(&store, "provider_unavailable").await, 1);
        drop(silent);

        idp.down();
        {
            let mut conn = store.write().await.unwrap();
            sqlx::query("UPDATE identity_providers SET issuer = $1 WHERE id = $2")
                .bind(idp.issuer())
                .bind(&provider)
                .execute(&mut *conn)
                .await
                .unwrap();
            Store::commit(conn).await.unwrap();
        }
        // Asked for by email with no password, as someone at the school would.
        let csrf = b.csrf("/sign-in").await;
        let res = b
            .post(
                "/sign-in",
                &[
                    ("csrf_token", &csrf),
                    ("email", "ann.teacher@school.test"),
                    ("password", ""),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let page = res.text().await.unwrap();
        assert!(page.contains("Your organisation signs you in to Hearth with its own sign-in"));
        let link = format!("/sign-in/provider/{provider}?next=%2F");
        assert!(page.contains(&link));
        let res = b.get(&link).await;
        assert_eq!(res.status(), StatusCode::BAD_GATEWAY);
        assert_eq!(refused(&store, "provider_unavailable").await, 2);
    }
);
