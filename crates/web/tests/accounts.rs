//! Administering accounts over real HTTP on both engines: saving a user whatever their roles,
//! password reset links, the first password changed before anything else, and the audit
//! log searched by name and exported.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_domain::role::Role;
use hearth_testkit::app::actor;
use hearth_testkit::both_engines;
use hearth_testkit::server::Server;
use reqwest::header;
use reqwest::StatusCode;

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

both_engines!(a_user_is_saved_with_one_role_or_none, |store| async move {
    let s = Server::start(store).await;
    let h = s.hearth.clone();
    let admin = actor(&h, "admin@demo.hearth.test").await;
    let analyst = actor(&h, "analyst@demo.hearth.test").await;
    let page = format!("/admin/users/{}", analyst.user_id);
    s.sign_in("admin@demo.hearth.test").await;

    // One role ticked: a single value where a list is wanted.
    let user = h.user(&admin, analyst.user_id).await.unwrap();
    let csrf = s.csrf(&page).await;
    let version = user.version.to_string();
    let org = user.organisation_id.to_string();
    let team = user.team_id.map(|t| t.to_string()).unwrap_or_default();
    let res = s
        .post(
            &page,
            &[
                ("csrf_token", csrf.as_str()),
                ("version", version.as_str()),
                ("display_name", user.display_name.as_str()),
                ("email", user.email.as_str()),
                ("job_title", "Data analyst"),
                ("organisation_id", org.as_str()),
                ("team_id", team.as_str()),
                ("roles", "analyst"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("{page}?done=saved"));
    let after = h.user(&admin, analyst.user_id).await.unwrap();
    assert_eq!(after.job_title.as_deref(), Some("Data analyst"));
    assert!(after.roles.has(Role::Analyst));

    // None ticked: the form is read, and the page asks for a role, keeping what was typed.
    let user = h.user(&admin, analyst.user_id).await.unwrap();
    let csrf = s.csrf(&page).await;
    let version = user.version.to_string();
    let org = user.organisation_id.to_string();
    let res = s
        .post(
            &page,
            &[
                ("csrf_token", csrf.as_str()),
                ("version", version.as_str()),
                ("display_name", user.display_name.as_str()),
                ("email", user.email.as_str()),
                ("job_title", "Analyst on leave"),
                ("organisation_id", org.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("Select at least one role"));
    assert!(body.contains(r#"value="Analyst on leave""#));
    let after = h.user(&admin, analyst.user_id).await.unwrap();
    assert!(after.roles.has(Role::Analyst));
    assert_eq!(after.job_title.as_deref(), Some("Data analyst"));
});

const NEW_PASSWORD: &str = "kettle violin orchard";

/// Signs in this browser with any password; the response as it came.
async fn sign_in_with(s: &Server, email: &str, password: &str) -> reqwest::Response {
    let csrf = s.csrf("/sign-in").await;
    s.post(
        "/sign-in",
        &[
            ("csrf_token", csrf.as_str()),
            ("email", email),
            ("password", password),
            ("next", "/"),
        ],
    )
    .await
}

both_engines!(
    a_reset_link_from_the_users_page_lets_the_user_choose_a_password,
    |store| async move {
        let admin_browser = Server::start(store).await;
        let h = admin_browser.hearth.clone();
        let worker = actor(&h, "worker@demo.hearth.test").await;
        let page = format!("/admin/users/{}", worker.user_id);
        admin_browser.sign_in("admin@demo.hearth.test").await;
        let shown = admin_browser.get(&page).await.text().await.unwrap();
        assert!(shown.contains("Make a password reset link"));

        let csrf = admin_browser.csrf(&page).await;
        let res = admin_browser
            .post(
                &format!("{page}/password-reset"),
                &[("csrf_token", csrf.as_str())],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let body = res.text().await.unwrap();
        let start = body.find("/reset-password/").expect("the link is shown");
        let link: String = body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "/-_".contains(*c))
            .collect();
        // Shown once: the user's page afterwards tells of the link, not the link.
        let later = admin_browser.get(&page).await.text().await.unwrap();
        assert!(!later.contains(&link) && later.contains("not used yet"));

        // The administrator's own browser cannot use it.
        let (_, doc) = admin_browser.page(&link).await;
        assert!(doc.html().contains("You are signed in as"));
        let res = admin_browser
            .post(
                &link,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("new_password", NEW_PASSWORD),
                    ("confirm_password", NEW_PASSWORD),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);

        // The worker, signed out, chooses a new password; the policy holds.
        let user = admin_browser.new_browser();
        let (status, doc) = user.page(&link).await;
        assert_eq!(status, StatusCode::OK);
        assert!(doc.html().contains("worker@demo.hearth.test"));
        let csrf = user.csrf(&link).await;
        let res = user
            .post(
                &link,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("new_password", "password1234"),
                    ("confirm_password", "password1234"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("govuk-error-summary"));
        let res = user
            .post(
                &link,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("new_password", NEW_PASSWORD),
                    ("confirm_password", NEW_PASSWORD),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/sign-in?reset=1");
        assert_eq!(user.get(&link).await.status(), StatusCode::GONE);
        let res = sign_in_with(&user, "worker@demo.hearth.test", NEW_PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(user.get("/").await.status(), StatusCode::OK);

        // No link for the administrator's own account.
        let own = format!(
            "/admin/users/{}",
            actor(&h, "admin@demo.hearth.test").await.user_id
        );
        let shown = admin_browser.get(&own).await.text().await.unwrap();
        assert!(!shown.contains("Make a password reset link"));
        let csrf = admin_browser.csrf(&own).await;
        let res = admin_browser
            .post(
                &format!("{own}/password-reset"),
                &[("csrf_token", csrf.as_str())],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
);

both_engines!(
    a_new_user_chooses_their_own_password_before_anything_else,
    |store| async move {
        let admin_browser = Server::start(store).await;
        let h = admin_browser.hearth.clone();
        let admin = actor(&h, "admin@demo.hearth.test").await;
        admin_browser.sign_in("admin@demo.hearth.test").await;
        let csrf = admin_browser.csrf("/admin/users/new").await;
        let org = admin.organisation_id.to_string();
        let first = "first password given";
        let res = admin_browser
            .post(
                "/admin/users/new",
                &[
                    ("csrf_token", csrf.as_str()),
                    ("display_name", "Pat Newcomer"),
                    ("email", "pat@demo.hearth.test"),
                    ("organisation_id", org.as_str()),
                    ("roles", "analyst"),
                    ("password", first),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);

        let pat = admin_browser.new_browser();
        let res = sign_in_with(&pat, "pat@demo.hearth.test", first).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        for path in ["/", "/admin/audit", "/account/tokens"] {
            let res = pat.get(path).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
            assert_eq!(location(&res), "/account/password");
        }
        let (_, doc) = pat.page("/account/password").await;
        assert!(doc.html().contains("Choose your own password"));
        let csrf = pat.csrf("/account/password").await;
        let res = pat
            .post(
                "/account/password",
                &[
                    ("csrf_token", csrf.as_str()),
                    ("current_password", first),
                    ("new_password", NEW_PASSWORD),
                    ("confirm_password", NEW_PASSWORD),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/");
        assert_eq!(pat.get("/").await.status(), StatusCode::OK);
    }
);

both_engines!(
    the_audit_page_finds_a_family_by_name_pages_and_exports_csv,
    |store| async move {
        let s = Server::start(store).await;
        let h = s.hearth.clone();
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let opened = hearth_testkit::episodes::Family::new("Quenby")
            .child("Mia", &hearth_testkit::app::years_ago(8))
            .need("education")
            .early_help(&h, &lead, "School asked for help with attendance.")
            .await;
        h.person(&lead, opened.people[0], None).await.unwrap();
        s.sign_in("dpo@demo.hearth.test").await;

        let (status, doc) = s.page("/admin/audit?who=Quenby").await;
        assert_eq!(status, StatusCode::OK);
        let html = doc.html();
        assert!(html.contains("Mia Quenby"));
        assert!(html.contains(&opened.people[0].to_string()));
        assert!(html.contains("govuk-summary-card"));
        // Details read as lines, not raw JSON, and codes in words.
        assert!(!html.contains("{&quot;"));
        let (_, doc) = s.page("/admin/audit?action=request_decided").await;
        let html = doc.html();
        assert!(html.contains("Outcome: Early Family Help opened"), "{html}");
        assert!(html.contains("Level: Level 2: Early Family Help"));
        assert!(!html.contains("early_help"));

        // Paging: the first page of everything links to older events, and back.
        let (_, doc) = s.page("/admin/audit").await;
        let older = doc
            .select(&scraper::Selector::parse(".govuk-pagination__next a").unwrap())
            .next()
            .and_then(|a| a.value().attr("href"))
            .expect("a link to older events")
            .to_string();
        let (status, doc) = s.page(&older).await;
        assert_eq!(status, StatusCode::OK);
        assert!(doc
            .select(&scraper::Selector::parse(".govuk-pagination__prev a").unwrap())
            .next()
            .is_some());

        let res = s.get("/admin/audit/export?who=Quenby").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/csv")));
        assert!(res
            .headers()
            .get(header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("attachment")));
        let csv = res.text().await.unwrap();
        assert!(csv.starts_with("No.,When (UTC),Who"));
        assert!(csv.contains(&opened.people[0].to_string()));
        let (_, doc) = s.page("/admin/audit?action=audit_exported").await;
        assert!(doc.html().contains("Audit log exported"));

        // A bad date is explained, and nothing is exported.
        let res = s.get("/admin/audit/export?from=yesterday").await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("Enter a date like"));
    }
);

both_engines!(
    my_work_shows_a_taf_member_the_families_they_help,
    |store| async move {
        let s = Server::start(store).await;
        let h = s.hearth.clone();
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let opened = hearth_testkit::episodes::Family::new("Quenby")
            .child("Mia", &hearth_testkit::app::years_ago(8))
            .need("education")
            .early_help(&h, &lead, "School asked for help with attendance.")
            .await;
        let nurse = actor(&h, "practitioner@demo.hearth.test").await;
        h.add_taf_member(
            &lead,
            opened.episode,
            &hearth_app::episodes::MemberForm {
                user_id: nurse.user_id.to_string(),
                role: "School nurse".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        s.sign_in("practitioner@demo.hearth.test").await;
        let (_, doc) = s.page("/").await;
        let html = doc.html();
        assert!(html.contains("Families whose Team Around the Family you are in"));
        assert!(html.contains("Mia Quenby"));
        assert!(html.contains(&format!("/episodes/{}", opened.episode)));
        assert!(!html.contains("No families allocated to you"));
    }
);
