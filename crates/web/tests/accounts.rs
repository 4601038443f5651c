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
