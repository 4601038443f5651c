//! The programme lead's pages over real HTTP, on both engines (ADR 0046): the dashboard, the
//! quarter with the families that count and why the others do not, the claim made, the
//! sample's verdict given by the internal auditor, who may not sign it off, and the lead's
//! sign-off (one too early comes back saying what to do), the
//! data return refused while a problem is neither fixed nor explained, then downloaded as CSV
//! without names; a practitioner is refused, and has no link to it.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_domain::insight::Quarter;
use hearth_testkit::both_engines;
use hearth_testkit::server::Server;
use reqwest::StatusCode;

const LEAD: &str = "programme@demo.hearth.test";
const AUDITOR: &str = "programme-audit@demo.hearth.test";

/// Presses "Sign off the claim" on the quarter, as whoever is signed in.
async fn sign_off(s: &Server, quarter: &str) -> reqwest::Response {
    let csrf = s.csrf(quarter).await;
    s.post(
        &format!("{quarter}/sign-off"),
        &[("csrf_token", csrf.as_str())],
    )
    .await
}

async fn text(s: &Server, path: &str) -> (StatusCode, String) {
    let res = s.get(path).await;
    (res.status(), res.text().await.unwrap())
}

both_engines!(
    the_programme_lead_claims_the_quarter_and_sends_the_return,
    |store| async move {
        let mut s = Server::start_with_clock(store.clone()).await;
        let h = s.hearth.clone();
        assert!(h.seed_demo_programme().await.unwrap());
        let q = Quarter::containing(h.now().date_naive()).code();
        let quarter = format!("/programme/quarters/{q}");

        s.sign_in(LEAD).await;
        let (status, home) = text(&s, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(home.contains(r#"href="/programme""#), "in the navigation");
        let (status, dash) = text(&s, "/programme").await;
        assert_eq!(status, StatusCode::OK);
        assert!(dash.contains(r#"id="families-attached">4<"#), "{dash}");
        assert!(dash.contains(&format!(r#"href="{quarter}""#)));

        let (status, page) = text(&s, &quarter).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Families that count (2)"), "{page}");
        assert!(page.contains("Tobi Adebayo") && page.contains("Zofia Kowalska"));
        assert!(page.contains("Whole-family working was not all met"));

        let csrf = s.csrf(&quarter).await;
        let res = s
            .post(
                &format!("{quarter}/claim"),
                &[("csrf_token", csrf.as_str())],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let res = sign_off(&s, &quarter).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(body.contains(r##"href="#sign_off""##) && body.contains("1 still to audit"));

        // The verdict on the sampled family, through its own form, by the internal auditor.
        s.sign_in_fresh(AUDITOR).await;
        let csrf = s.csrf(&quarter).await;
        let (_, page) = text(&s, &quarter).await;
        let action = page
            .split(r#"action=""#)
            .filter_map(|a| a.split('"').next())
            .find(|a| a.ends_with("/verdict"))
            .unwrap()
            .to_string();
        let episode = action.split('/').nth(5).unwrap().to_string();
        let field = format!("verdict_{episode}");
        let res = s
            .post(
                &action,
                &[("csrf_token", csrf.as_str()), (field.as_str(), "upheld")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        // The auditor may not sign off what they audited: the page says so, and who does.
        let (_, page) = text(&s, &quarter).await;
        assert!(page.contains(r#"id="sign-off-by-another""#), "{page}");
        let res = sign_off(&s, &quarter).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(
            body.contains(r##"href="#sign_off""##)
                && body.contains("another programme lead must sign it off"),
            "{body}"
        );

        // The lead signs it off.
        s.sign_in_fresh(LEAD).await;
        let csrf = s.csrf(&quarter).await;
        let res = sign_off(&s, &quarter).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, page) = text(&s, &format!("{quarter}?done=signed")).await;
        assert!(page.contains("The claim is signed off."));

        // The return: refused while the Haddads' missing TAF is unexplained.
        let csv = format!("{quarter}/return.csv");
        let res = s.get(&csv).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.unwrap();
        assert!(body.contains("No Team Around the Family: add the professionals"));
        let explain = body
            .split(r#"action=""#)
            .filter_map(|a| a.split('"').next())
            .find(|a| a.ends_with("/missing_team_around_the_family"))
            .unwrap()
            .to_string();
        let haddad = explain.split('/').nth(5).unwrap().to_string();
        let field = format!("explanation_{haddad}_missing_team_around_the_family");
        let res = s
            .post(
                &explain,
                &[("csrf_token", csrf.as_str()), (field.as_str(), " ")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains(&format!(r##"href="#{field}""##)));
        let res = s
            .post(
                &explain,
                &[
                    ("csrf_token", csrf.as_str()),
                    (field.as_str(), "The school nurse was never added"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let res = s.get(&csv).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res
            .headers()
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap()
            .contains(&format!("supporting-families-{q}.csv")));
        let body = res.text().await.unwrap();
        assert!(body.starts_with("family_reference,framework_version,attached_on"));
        assert_eq!(body.lines().count(), 4, "a header and three families");
        assert!(!body.contains("Haddad"));

        s.sign_in_fresh("practitioner@demo.hearth.test").await;
        assert_eq!(text(&s, &quarter).await.0, StatusCode::FORBIDDEN);
        let (_, home) = text(&s, "/").await;
        assert!(!home.contains(r#"href="/programme""#));
    }
);
