//! The web application over real HTTP, in-process, against a real database on both engines.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Duration, Utc};
use hearth_app::Origin;
use hearth_app::{Hearth, Policies, Store};
use hearth_testkit::app::actor;
use hearth_testkit::app::PASSWORD;
use hearth_testkit::both_engines;
use hearth_testkit::episodes::{Family, Targeted};
use hearth_testkit::server::Server;
use reqwest::header;
use reqwest::StatusCode;

fn location(res: &reqwest::Response) -> &str {
    res.headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

both_engines!(
    every_response_carries_the_security_headers,
    |store| async move {
        let s = Server::start_with_clock(store).await;
        for path in ["/sign-in", "/healthz", "/no-such-page", "/"] {
            let res = s.get(path).await;
            let h = res.headers();
            let csp = h
                .get(header::CONTENT_SECURITY_POLICY)
                .unwrap()
                .to_str()
                .unwrap();
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            assert!(!csp.contains("unsafe-inline"), "{path}");
            assert_eq!(
                h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
                "nosniff",
                "{path}"
            );
            assert!(h.get(header::REFERRER_POLICY).is_some(), "{path}");
            assert!(
                h.get(header::STRICT_TRANSPORT_SECURITY).is_none(),
                "no HSTS without TLS"
            );
        }
    }
);

both_engines!(
    pages_need_sign_in_and_return_you_afterwards,
    |store| async move {
        let s = Server::start_with_clock(store).await;
        let res = s.get("/admin/users?q=ada").await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/sign-in?next=%2Fadmin%2Fusers%3Fq%3Dada");
        let csrf = s.csrf("/sign-in").await;
        let res = s
            .post(
                "/sign-in",
                &[
                    ("csrf_token", &csrf),
                    ("email", "admin@demo.hearth.test"),
                    ("password", PASSWORD),
                    ("next", "/admin/users?q=ada"),
                ],
            )
            .await;
        assert_eq!(location(&res), "/admin/users?q=ada");
        let cookie = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with("hearth_session="))
            .unwrap();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let page = s.get("/admin/users?q=ada").await.text().await.unwrap();
        assert!(page.contains("Ada Administrator"));
        assert!(page.contains("Signed in as"));
    }
);

both_engines!(
    a_form_without_its_token_is_refused_and_the_answers_kept,
    |store| async move {
        let s = Server::start_with_clock(store).await;
        s.get("/sign-in").await;
        let res = s
            .post(
                "/sign-in",
                &[("email", "lead@demo.hearth.test"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let page = res.text().await.unwrap();
        assert!(page.contains("Your answers have not been saved yet"));
        assert!(page.contains("lead@demo.hearth.test"), "the email is kept");
        assert!(!page.contains(PASSWORD), "the password is never echoed");
        let forged = s
            .post(
                "/sign-in",
                &[
                    ("csrf_token", "forged-token-forged-token-forged-token"),
                    ("email", "lead@demo.hearth.test"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);

        s.sign_in("admin@demo.hearth.test").await;
        let res = s
            .post(
                "/admin/organisations/new",
                &[
                    ("name", "Hyson Green Youth Club"),
                    ("kind", "voluntary_community"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let page = res.text().await.unwrap();
        assert!(
            page.contains("Hyson Green Youth Club"),
            "the answers are shown, to copy"
        );
        let doc = scraper::Html::parse_document(&page);
        let resend = scraper::Selector::parse(
            r#"form[action="/admin/organisations/new"], input[value="Hyson Green Youth Club"]"#,
        )
        .unwrap();
        assert_eq!(
            doc.select(&resend).count(),
            0,
            "a refused form never comes back ready to send with a fresh token: {page}"
        );
        assert!(!page.contains("Send again"));
        let orgs = s.get("/admin/organisations").await.text().await.unwrap();
        assert!(
            !orgs.contains("Hyson Green Youth Club"),
            "nothing was saved"
        );
    }
);

both_engines!(
    wrong_passwords_are_explained_on_the_sign_in_page,
    |store| async move {
        let s = Server::start_with_clock(store).await;
        let csrf = s.csrf("/sign-in").await;
        let res = s
            .post(
                "/sign-in",
                &[
                    ("csrf_token", &csrf),
                    ("email", "lead@demo.hearth.test"),
                    ("password", "nope nope nope"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let page = res.text().await.unwrap();
        assert!(page.contains("There is a problem"));
        assert!(page.contains("Enter a correct email address and password"));
        assert!(
            page.contains(r#"value="lead@demo.hearth.test""#),
            "the email is kept"
        );
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("<title>Error: Sign in"));
        let res = s
            .post(
                "/sign-in",
                &[("csrf_token", &csrf), ("email", "lead@"), ("password", "")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = res.text().await.unwrap();
        assert!(page.contains("Enter an email address in the correct format"));
        assert!(page.contains("Enter your password"));
    }
);

both_engines!(
    an_idle_session_times_out_and_the_form_can_be_sent_after_signing_in,
    |store| async move {
        let s = Server::start_with_clock(store).await;
        s.sign_in("admin@demo.hearth.test").await;
        let csrf = s.csrf("/admin/organisations/new").await;
        s.advance(Duration::minutes(31));
        let res = s.get("/admin/organisations").await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(location(&res).starts_with("/sign-in?timed_out=1"));

        s.sign_in("admin@demo.hearth.test").await;
        s.advance(Duration::minutes(31));
        let res = s
            .post(
                "/admin/organisations/new",
                &[
                    ("csrf_token", &csrf),
                    ("name", "Bulwell Toy Library"),
                    ("kind", "voluntary_community"),
                    ("identifier", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let to = location(&res).to_string();
        assert!(to.starts_with("/sign-in?timed_out=1&draft="), "{to}");
        let page = s.get(&to).await.text().await.unwrap();
        assert!(page.contains("You were signed out before your answers were saved"));
        assert!(
            !page.contains("Bulwell"),
            "the answers are kept on the server, not in the sign-in form"
        );

        let doc = scraper::Html::parse_document(&page);
        let value = |name: &str| {
            let sel = scraper::Selector::parse(&format!(r#"input[name="{name}"]"#)).unwrap();
            doc.select(&sel)
                .next()
                .and_then(|e| e.value().attr("value"))
                .unwrap_or("")
                .to_string()
        };
        let res = s
            .post(
                "/sign-in",
                &[
                    ("csrf_token", &value("csrf_token")),
                    ("email", "admin@demo.hearth.test"),
                    ("password", PASSWORD),
                    ("next", &value("next")),
                    ("draft", &value("draft")),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let res = s.get(location(&res)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let page = res.text().await.unwrap();
        assert!(page.contains("You are signed in again"));
        let doc = scraper::Html::parse_document(&page);
        let sel = scraper::Selector::parse(
            r#"form[action="/admin/organisations/new"] input[type="hidden"]"#,
        )
        .unwrap();
        let fields: Vec<(String, String)> = doc
            .select(&sel)
            .map(|e| {
                (
                    e.value().attr("name").unwrap().to_string(),
                    e.value().attr("value").unwrap_or("").to_string(),
                )
            })
            .collect();
        assert!(fields
            .iter()
            .any(|(n, v)| n == "name" && v == "Bulwell Toy Library"));
        let resend: Vec<(&str, &str)> = fields
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let res = s.post("/admin/organisations/new", &resend).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let orgs = s.get("/admin/organisations").await.text().await.unwrap();
        assert!(orgs.contains("Bulwell Toy Library"));
    }
);

both_engines!(
    a_duplicate_organisation_is_explained_and_the_input_kept,
    |store| async move {
        let s = Server::start_with_clock(store).await;
        s.sign_in("admin@demo.hearth.test").await;
        let csrf = s.csrf("/admin/organisations/new").await;
        let res = s
            .post(
                "/admin/organisations/new",
                &[
                    ("csrf_token", &csrf),
                    ("name", "Oakfield Primary School (demo)"),
                    ("kind", "school"),
                    ("identifier", "123456"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = res.text().await.unwrap();
        assert!(page.contains("An organisation with this name already exists"));
        assert!(
            page.contains(r##"href="#name""##),
            "the summary links to the field"
        );
        assert!(page.contains(r#"value="123456""#), "other input is kept");
        let long = "x".repeat(201);
        let res = s
            .post(
                "/admin/organisations/new",
                &[
                    ("csrf_token", &csrf),
                    ("name", &long),
                    ("kind", "school"),
                    ("identifier", ""),
                ],
            )
            .await;
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("Organisation name must be 200 characters or fewer"));
    }
);

both_engines!(
    people_without_the_role_are_refused_without_details,
    |store| async move {
        let s = Server::start_with_clock(store).await;
        s.sign_in("lead@demo.hearth.test").await;
        for path in ["/admin/users", "/admin/organisations", "/admin/audit"] {
            let res = s.get(path).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
            assert!(res
                .text()
                .await
                .unwrap()
                .contains("You do not have permission to see this page"));
        }
        let home = s.get("/").await.text().await.unwrap();
        assert!(
            !home.contains(r#"href="/admin/users""#),
            "no navigation to what you cannot use"
        );
        let missing = s.get("/admin/users/not-an-id").await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        let none = s.get("/nothing-here").await;
        assert_eq!(none.status(), StatusCode::NOT_FOUND);
        assert!(none.text().await.unwrap().contains("Page not found"));
    }
);

both_engines!(signing_out_ends_the_session, |store| async move {
    let s = Server::start_with_clock(store).await;
    s.sign_in("lead@demo.hearth.test").await;
    let csrf = s.csrf("/").await;
    let res = s.post("/sign-out", &[("csrf_token", &csrf)]).await;
    assert_eq!(location(&res), "/sign-in?signed_out=1");
    assert_eq!(s.get("/").await.status(), StatusCode::SEE_OTHER);
});

both_engines!(
    operations_endpoints_report_health_readiness_and_metrics,
    |store| async move {
        let s = Server::start_with_clock(store).await;
        assert_eq!(s.get("/healthz").await.status(), StatusCode::OK);
        assert_eq!(s.get("/readyz").await.status(), StatusCode::OK);
        s.get("/sign-in").await;
        let metrics = s.metrics().await;
        assert!(metrics.contains("http_requests_total"), "{metrics}");
        assert!(metrics.contains(r#"route="/sign-in""#));
        assert!(metrics.contains("http_request_duration_seconds_bucket"));
        assert!(metrics.contains("db_pool_connections"));
    }
);

both_engines!(
    assets_are_fingerprinted_and_cached_for_a_year,
    |store| async move {
        let s = Server::start_with_clock(store).await;
        let page = s.get("/sign-in").await.text().await.unwrap();
        let start = page.find("/assets/hearth.").unwrap();
        let href: String = page[start..].chars().take_while(|c| *c != '"').collect();
        assert!(
            href.ends_with(".css") && href.len() > "/assets/hearth.css".len(),
            "{href}"
        );
        let res = s.get(&href).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers().get(header::CACHE_CONTROL).unwrap(),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(res.headers().get(header::CONTENT_TYPE).unwrap(), "text/css");
        assert_eq!(
            s.get("/assets/hearth.css").await.status(),
            StatusCode::NOT_FOUND,
            "only fingerprinted names"
        );
    }
);

/// The value of a named input in a page.
fn input_value(html: &str, name: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(&format!(r#"input[name="{name}"]"#)).unwrap();
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or("")
        .to_string()
}

both_engines!(
    a_family_is_found_added_and_referred_through_the_pages,
    |store| async move {
        let s = Server::start_with_clock(store).await;
        s.sign_in("lead@demo.hearth.test").await;
        let csrf = s.csrf("/people").await;
        let res = s
            .post(
                "/people/search",
                &[
                    ("csrf_token", &csrf),
                    ("name", "Tyler Okafor"),
                    ("dob", "03/04/2012"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let page = res.text().await.unwrap();
        assert!(page.contains("No one found"));
        let search_id = input_value(&page, "search_id");
        let res = s
            .post(
                "/people/new",
                &[
                    ("csrf_token", &csrf),
                    ("stage", "start"),
                    ("search_id", &search_id),
                    ("family_name", "Okafor"),
                    ("dob", "03/04/2012"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.text().await.unwrap().contains("Add a person"));
        let res = s
            .post(
                "/people/new",
                &[
                    ("csrf_token", &csrf),
                    ("search_id", &search_id),
                    ("given_names", "Tyler"),
                    ("family_name", "Okafor"),
                    ("dob", "03/04/2012"),
                    ("dob_certainty", "exact"),
                    ("nhs_number", "123"),
                    ("address_line1", "2 Example Road"),
                    ("postcode", "NG5 1AB"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = res.text().await.unwrap();
        assert!(page.contains("Enter an NHS number of 10 digits"));
        assert!(
            page.contains(r#"value="2 Example Road""#),
            "other input kept"
        );
        let res = s
            .post(
                "/people/new",
                &[
                    ("csrf_token", &csrf),
                    ("search_id", &search_id),
                    ("given_names", "Tyler"),
                    ("family_name", "Okafor"),
                    ("dob", "03/04/2012"),
                    ("dob_certainty", "exact"),
                    ("address_line1", "2 Example Road"),
                    ("postcode", "NG5 1AB"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let person = location(&res).trim_end_matches("?done=created").to_string();
        let record = s.get(&person).await.text().await.unwrap();
        assert!(record.contains("Tyler Okafor") && record.contains("2 Example Road"));
        let id = person.trim_start_matches("/people/").to_string();

        let form = s
            .get(&format!("/requests/new?person={id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(form.contains("Ask for help for a family"));
        let res = s
            .post(
                "/requests/new",
                &[
                    ("csrf_token", &csrf),
                    ("people", &id),
                    ("concerns", "missing"),
                    ("consent", "given"),
                    ("urgency", "soon"),
                    ("safeguarding", "yes"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let sent = s.get(location(&res)).await.text().await.unwrap();
        assert!(sent.contains("You raised a safeguarding concern. Do this now"));
        assert!(sent.contains("call 999"));

        let officer = s.new_browser();
        officer.sign_in("frontdoor@demo.hearth.test").await;
        let queue = officer.get("/front-door").await.text().await.unwrap();
        assert!(queue.contains("Tyler Okafor") && queue.contains("Safeguarding"));
        let start = queue.find("/requests/").unwrap();
        let request: String = queue[start..].chars().take_while(|c| *c != '"').collect();
        let decide = officer
            .get(&format!("{request}/decide"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            decide.contains("propose the <strong>Adolescence Service</strong>"),
            "a 14-year-old missing from home"
        );
        let csrf = input_value(&decide, "csrf_token");
        let res = officer
            .post(
                &format!("{request}/decide"),
                &[
                    ("csrf_token", &csrf),
                    ("level", "3"),
                    ("outcome", "targeted"),
                    ("service", "core"),
                    ("rationale", "Needs intensive help"),
                ],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "overriding the proposal needs a reason"
        );
        assert!(
            res.text().await.unwrap().contains("Needs intensive help"),
            "the rationale typed is kept"
        );
        let res = officer
            .post(
                &format!("{request}/decide"),
                &[
                    ("csrf_token", &csrf),
                    ("level", "3"),
                    ("outcome", "targeted"),
                    ("service", "adolescence"),
                    ("rationale", "Needs intensive help"),
                ],
            )
            .await;
        assert_eq!(location(&res), "/front-door?done=decided");
    }
);

both_engines!(
    a_manager_merges_and_unmerges_from_the_pages,
    |store| async move {
        let s = Server::start_with_clock(store).await;
        s.sign_in("lead@demo.hearth.test").await;
        let csrf = s.csrf("/people").await;
        let mut ids = Vec::new();
        for (given, family) in [("Jayden", "Mensah"), ("Jaden", "Mensah")] {
            let page = s
                .post(
                    "/people/search",
                    &[
                        ("csrf_token", &csrf),
                        ("name", &format!("{given} {family}")),
                    ],
                )
                .await
                .text()
                .await
                .unwrap();
            let search_id = input_value(&page, "search_id");
            let mut form = vec![
                ("csrf_token", csrf.as_str()),
                ("search_id", &search_id),
                ("given_names", given),
                ("family_name", family),
                ("dob", "05/06/2015"),
                ("dob_certainty", "exact"),
            ];
            let mut res = s.post("/people/new", &form).await;
            if !ids.is_empty() {
                // The second record closely matches the first: the page says so, shows the
                // match, keeps what was typed, and asks why this is someone else.
                assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
                let warned = res.text().await.unwrap();
                assert!(warned.contains("This person may already be on the record"));
                assert!(warned.contains("Jayden Mensah"));
                assert!(warned.contains(r##"href="#different_reason""##));
                assert!(warned.contains(r#"value="Jaden""#));
                form.push(("different_reason", "Different spelling, so another boy"));
                res = s.post("/people/new", &form).await;
            }
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
            ids.push(
                location(&res)
                    .trim_start_matches("/people/")
                    .trim_end_matches("?done=created")
                    .to_string(),
            );
        }
        assert_eq!(
            s.get(&format!("/people/{}/duplicates", ids[0]))
                .await
                .status(),
            StatusCode::FORBIDDEN,
            "only managers"
        );

        let manager = s.new_browser();
        manager.sign_in("manager@demo.hearth.test").await;
        let page = manager
            .get(&format!("/people/{}/duplicates", ids[0]))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Jaden Mensah"),
            "the near-duplicate is offered"
        );
        let csrf = input_value(&page, "csrf_token");
        let res = manager
            .post(
                &format!("/people/{}/merge", ids[0]),
                &[("csrf_token", &csrf), ("merged", &ids[1]), ("reason", "")],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "a merge needs a reason"
        );
        let res = manager
            .post(
                &format!("/people/{}/merge", ids[0]),
                &[
                    ("csrf_token", &csrf),
                    ("merged", &ids[1]),
                    ("reason", "Same child, spelling differs"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let page = manager.get(location(&res)).await.text().await.unwrap();
        assert!(page.contains("Records merged"));
        let lead = manager.new_browser();
        lead.sign_in("lead@demo.hearth.test").await;
        let record = lead
            .get(&format!("/people/{}", ids[1]))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            record.contains("Jayden Mensah") && record.contains("Jaden"),
            "the merged id opens the survivor, with the other name"
        );
        let manager = lead.new_browser();
        manager.sign_in("manager@demo.hearth.test").await;
        let start = page.find("/people/merges/").unwrap();
        let undo: String = page[start..].chars().take_while(|c| *c != '"').collect();
        let csrf = manager
            .csrf(&format!("/people/{}/duplicates", ids[0]))
            .await;
        let res = manager.post(&undo, &[("csrf_token", &csrf)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let record = manager
            .get(&format!("/people/{}", ids[1]))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            record.contains(">Jaden Mensah</h1>"),
            "the merged record is itself again"
        );
    }
);

/// An Early Family Help episode led by the demo lead professional, opened through the app.
async fn early_help_episode(store: Store) -> String {
    let h = Hearth::new(store, Policies::default());
    let lead = actor(&h, "lead@demo.hearth.test").await;
    Family::new("Achterberg")
        .child("Ruby", "01/02/2017")
        .need("education")
        .early_help(&h, &lead, "School knows the family best")
        .await
        .people[0]
        .to_string()
}

both_engines!(
    a_lead_keeps_notes_on_the_episode_page_and_outsiders_are_refused,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let child = early_help_episode(store).await;
        s.sign_in("lead@demo.hearth.test").await;
        let home = s.get("/").await.text().await.unwrap();
        assert!(home.contains("Your caseload"));
        let start = home.find("/episodes/").unwrap();
        let path = home[start..start + 46].to_string();
        assert!(
            home.contains("Ruby Achterberg"),
            "the family is on the caseload"
        );

        let page = s.get(&path).await.text().await.unwrap();
        assert!(page.contains("Early Family Help"));
        let csrf = s.csrf(&path).await;
        let notes = format!("{path}/notes");
        let res = s
            .post(
                &notes,
                &[
                    ("csrf_token", &csrf),
                    ("kind", "visit"),
                    ("occurred_on", "31/02/2026"),
                    ("participants", "Ruby and her mum"),
                    ("body", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("Enter a real date"));
        assert!(html.contains("Enter what happened"));
        assert!(
            html.contains(r#"value="Ruby and her mum""#),
            "other input kept"
        );
        let res = s
            .post(
                &notes,
                &[
                    ("csrf_token", &csrf),
                    ("kind", "visit"),
                    ("occurred_on", &Utc::now().format("%d/%m/%Y").to_string()),
                    ("child_seen", "yes"),
                    ("body", "Ruby showed me her reading book <b>proudly</b>"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let page = s.get(location(&res)).await.text().await.unwrap();
        assert!(page.contains("Your note has been added."));
        assert!(page.contains("reading book"));
        assert!(!page.contains("<b>proudly</b>"), "note text is escaped");
        let res = s.post(&notes, &[("kind", "visit"), ("body", "x")]).await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "no CSRF token, no note"
        );

        let chronology = s
            .get(&format!("/people/{child}/chronology?kind=note"))
            .await
            .text()
            .await
            .unwrap();
        assert!(chronology.contains("Ruby showed me her reading book"));
        assert!(
            !chronology.contains("Front door decision: "),
            "filtered to notes"
        );

        let outsider = s.new_browser();
        outsider.sign_in("practitioner@demo.hearth.test").await;
        assert_eq!(outsider.get(&path).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            outsider
                .get(&format!("/people/{child}/chronology"))
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
    }
);

both_engines!(
    the_printed_chronology_has_whole_notes_and_no_links_or_staff_menu,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let child = early_help_episode(store).await;
        s.sign_in("lead@demo.hearth.test").await;
        let home = s.get("/").await.text().await.unwrap();
        let start = home.find("/episodes/").unwrap();
        let path = home[start..start + 46].to_string();
        let csrf = s.csrf(&path).await;
        let long = format!(
            "Ruby read to me. {}The end of the note.",
            "More detail. ".repeat(30)
        );
        let res = s
            .post(
                &format!("{path}/notes"),
                &[
                    ("csrf_token", &csrf),
                    ("kind", "visit"),
                    ("occurred_on", &Utc::now().format("%d/%m/%Y").to_string()),
                    ("body", &long),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);

        let screen = s
            .get(&format!("/people/{child}/chronology"))
            .await
            .text()
            .await
            .unwrap();
        assert!(screen.contains(r#"href="/episodes/"#));
        assert!(screen.contains("govuk-service-navigation"));
        assert!(
            !screen.contains("The end of the note."),
            "the screen shows its start"
        );

        let print = s
            .get(&format!("/people/{child}/chronology?print=yes"))
            .await
            .text()
            .await
            .unwrap();
        assert!(print.contains("The end of the note."), "the whole text");
        assert!(!print.contains(r#"href="/episodes/"#), "no links to print");
        assert!(!print.contains(r#"href="/notes/"#), "no links to print");
        assert!(!print.contains("govuk-service-navigation"), "no staff menu");
    }
);

/// A Targeted Family Help episode for one child, allocated to the demo Family Help Worker.
async fn targeted_episode(h: &Hearth) -> Targeted {
    Family::new("Okonkwo-Reyes")
        .child("Tia", "03/04/2012")
        .need("family_relationships")
        .told("Mum asked for help")
        .urgency("soon")
        .targeted(h, Origin::default())
        .await
}

/// [`targeted_episode`] with its closure recorded, waiting for the team manager.
async fn episode_waiting_for_sign_off(store: Store) -> String {
    use hearth_app::episodes::ClosureForm;
    let h = Hearth::new(store, Policies::default());
    let Targeted {
        episode: id,
        worker,
        ..
    } = targeted_episode(&h).await;
    let version = h.episode(&worker, id).await.unwrap().episode.version;
    h.record_closure(
        &worker,
        id,
        &ClosureForm::from_pairs(&[
            ("reason".into(), "outcomes_met".into()),
            ("summary".into(), "Home is calmer".into()),
            ("result_family_relationships".into(), "achieved".into()),
            ("version".into(), version.to_string()),
        ]),
    )
    .await
    .unwrap();
    id.to_string()
}

both_engines!(
    the_family_answer_their_feedback_link_once_without_signing_in,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let episode = episode_waiting_for_sign_off(store).await;
        let path = format!("/episodes/{episode}");
        s.sign_in("manager@demo.hearth.test").await;
        let html = s
            .get(&format!("{path}/closure/sign-off"))
            .await
            .text()
            .await
            .unwrap();
        let version = input_value(&html, "version");
        let csrf = s.csrf(&path).await;
        let res = s
            .post(
                &format!("{path}/closure/sign-off"),
                &[
                    ("csrf_token", &csrf),
                    ("decision", "sign_off"),
                    ("version", &version),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let letter = res.text().await.unwrap();
        assert!(letter.contains("The closure has been signed off"));
        assert!(letter.contains("feedback invitation</h1>"));
        let start = letter.find("/feedback/").unwrap();
        let link: String = letter[start..].chars().take_while(|c| *c != '<').collect();
        assert!(
            letter.contains(&format!("{}{link}", s.base)),
            "the whole address"
        );

        // A family reading Arabic: the page, its problems and its words are theirs.
        let arabic = s.new_browser();
        let (status, doc) = arabic.page(&format!("{link}?lang=ar")).await;
        assert_eq!(status, StatusCode::OK);
        let html = doc.root_element().html();
        assert!(html.contains(r#"dir="rtl""#));
        assert!(html.contains("أخبرنا عن المساعدة التي تلقيتها"));
        assert!(html.contains("جيدة جدًا"), "the ratings too");
        let csrf = arabic.csrf(&format!("{link}?lang=ar")).await;
        let res = arabic
            .post(
                &format!("{link}?lang=ar"),
                &[("csrf_token", &csrf), ("what_changed", "")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("<title>خطأ: "), "the title says so first");
        assert!(html.contains("اختر كيف كانت المساعدة لعائلتك"));
        assert!(html.contains("أخبرنا بكلماتك الخاصة ما الذي تغيّر لعائلتك"));
        assert!(!html.contains("Choose how the help"), "no English left");

        // The family, with no account.
        let family = s.new_browser();
        let ask = family.get(&link).await;
        assert_eq!(ask.status(), StatusCode::OK);
        assert!(ask
            .text()
            .await
            .unwrap()
            .contains("How was the help your family had?"));
        let res = family
            .post(&link, &[("rating", "4"), ("what_changed", "x")])
            .await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "no CSRF token, no answer"
        );
        let csrf = family.csrf(&link).await;
        let res = family
            .post(
                &link,
                &[
                    ("csrf_token", &csrf),
                    ("what_changed", "We talk <b>more</b>"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("Choose how the help was for your family"));
        assert!(
            html.contains("We talk &#60;b&#62;more&#60;/b&#62;"),
            "what they wrote is kept"
        );
        let answer = [
            ("csrf_token", csrf.as_str()),
            ("rating", "4"),
            ("what_changed", "We talk <b>more</b>"),
            ("anything_else", "Wren was kind"),
        ];
        let res = family.post(&link, &answer).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.text().await.unwrap().contains("Thank you"));
        let again = family.post(&link, &answer).await;
        assert_eq!(again.status(), StatusCode::GONE);
        assert!(again
            .text()
            .await
            .unwrap()
            .contains("Each link can be used once"));
        assert_eq!(family.get(&link).await.status(), StatusCode::GONE);

        // The answers are on the episode, escaped.
        let page = s
            .get(&format!("{path}/feedback"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("The family's feedback</h1>"));
        assert!(page.contains("We talk &#60;b&#62;more&#60;/b&#62;"));
        assert!(!page.contains("<b>more</b>"));
        assert!(page.contains("Wren was kind"));
        assert!(page.contains(">Good<"));
    }
);

/// The value of the first `<option>` whose text starts with `text`.
fn option_value(html: &str, text: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("option").unwrap();
    doc.select(&sel)
        .find(|o| o.text().collect::<String>().trim().starts_with(text))
        .and_then(|o| o.value().attr("value"))
        .unwrap()
        .to_string()
}

both_engines!(
    the_plan_takes_services_from_the_directory_and_a_stale_review_correction_is_refused,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let h = Hearth::new(store, Policies::default());
        let episode = targeted_episode(&h).await.episode;
        let plan = format!("/episodes/{episode}/plan");
        s.sign_in("worker@demo.hearth.test").await;
        let html = s
            .get(&format!("{plan}?change=all"))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains(r#"name="directory_service.0""#));
        let visiting = option_value(&html, "Family Friends home visiting");
        let csrf = s.csrf(&plan).await;
        let today = Utc::now().format("%d/%m/%Y").to_string();
        let mut form = vec![
            ("csrf_token", csrf.as_str()),
            ("version", "0"),
            ("outcome.0.text", "We eat tea together without rows"),
            ("outcome.0.needs", "family_relationships"),
            ("action.0.what", "Family meal on Sundays"),
            ("action.0.outcome", "0"),
            ("action.0.due_on", &today),
            ("directory_service.0", "not-a-service"),
            ("services", "Parenting course at Bestwood Family Hub"),
        ];
        let res = s.post(&plan, &form).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("Choose a service from the directory"));
        assert!(
            html.contains("Parenting course at Bestwood Family Hub"),
            "other input kept"
        );
        let owner = option_value(&html, "Wren Worker");
        form.retain(|(k, _)| *k != "directory_service.0");
        form.push(("directory_service.0", &visiting));
        form.push(("action.0.owner", &owner));
        let res = s.post(&plan, &form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let html = s.get(&plan).await.text().await.unwrap();
        let saved = html
            .split("Services the family is referred to")
            .nth(1)
            .unwrap();
        assert!(saved.contains("Family Friends home visiting"));
        assert!(saved.contains("Parenting course at Bestwood Family Hub"));
        assert!(
            saved.contains("has not consented to share with"),
            "no consent names the service's organisation, so nothing went"
        );
        let family = s.get(&format!("{plan}/family")).await.text().await.unwrap();
        assert!(family.contains("Family Friends home visiting"));

        // The worker asks the service to help; the plan shows the answer where it names it.
        let worker = actor(&h, "worker@demo.hearth.test").await;
        let child = h.episode(&worker, episode).await.unwrap().episode.people[0];
        let request = h
            .request_service(
                &worker,
                child,
                &hearth_app::directory::service_requests::ServiceRequestForm {
                    service: visiting.clone(),
                    reason: "Mum is isolated since the move".into(),
                    consent: "yes".into(),
                    consent_given_by: "Tia's mum".into(),
                    contact_preference: "letter".into(),
                    contact_detail: String::new(),
                },
            )
            .await
            .unwrap();
        let html = s.get(&plan).await.text().await.unwrap();
        assert!(html.contains("Request for Tia Okonkwo-Reyes: Sent on"));
        let kit = actor(&h, "vcs-worker@demo.hearth.test").await;
        let (r, _) = h.service_request(&kit, request).await.unwrap();
        h.answer_service_request(
            &kit,
            request,
            Some(true),
            "A volunteer will call <soon>",
            r.version,
        )
        .await
        .unwrap();
        let html = s.get(&plan).await.text().await.unwrap();
        assert!(html.contains("Request for Tia Okonkwo-Reyes: Accepted on"));
        assert!(
            html.contains("A volunteer will call &#60;soon&#62;"),
            "escaped"
        );

        // A review, then two corrections from the same copy: the second is refused.
        let html = s
            .get(&format!("{plan}?change=outcomes"))
            .await
            .text()
            .await
            .unwrap();
        let outcome = input_value(&html, "outcome.0.id");
        let scale = format!("progress.{outcome}.scale");
        let review = [
            ("csrf_token", csrf.as_str()),
            ("held_on", today.as_str()),
            ("attendees", "Donna and Tia"),
            ("decisions", "Keep going"),
            (scale.as_str(), "5"),
        ];
        let res = s
            .post(&format!("/episodes/{episode}/reviews/new"), &review)
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let html = s.get(&plan).await.text().await.unwrap();
        let edit = html
            .match_indices(&format!("/episodes/{episode}/reviews/"))
            .map(|(i, _)| {
                html[i..]
                    .chars()
                    .take_while(|c| *c != '"')
                    .collect::<String>()
            })
            .find(|link| link.ends_with("/edit"))
            .unwrap();
        let page = s.get(&edit).await.text().await.unwrap();
        assert_eq!(input_value(&page, "version"), "1");
        let correct = |decisions: &'static str| {
            let mut f = review.to_vec();
            f[3] = ("decisions", decisions);
            f.push(("version", "1"));
            f
        };
        let res = s
            .post(&edit, &correct("Keep going; Dad joins next time"))
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let res = s.post(&edit, &correct("Close at the next review")).await;
        assert_eq!(res.status(), StatusCode::CONFLICT);
        let html = res.text().await.unwrap();
        assert!(html.contains("corrected this review while you were working on it"));
        assert!(
            html.contains("Keep going; Dad joins next time"),
            "theirs shown"
        );
        assert!(html.contains("Close at the next review"), "yours kept");
        assert_eq!(input_value(&html, "version"), "2");
        let page = s.get(&edit).await.text().await.unwrap();
        assert!(page.contains("Earlier versions"));
        assert!(page.contains("Version 1, saved by Wren Worker"));
    }
);

/// The `<input …>` tag of the checkbox `name` with `value`.
fn checkbox<'a>(html: &'a str, name: &str, value: &str) -> &'a str {
    html.split('<')
        .find(|tag| {
            tag.starts_with("input")
                && tag.contains(&format!(r#"name="{name}""#))
                && tag.contains(&format!(r#"value="{value}""#))
        })
        .unwrap_or_else(|| panic!("no {name}={value} checkbox"))
}

both_engines!(
    the_roles_that_see_a_restricted_person_are_chosen_on_the_form,
    |store| async move {
        let s = Server::start_with_clock(store).await;
        s.sign_in("lead@demo.hearth.test").await;
        let csrf = s.csrf("/people").await;
        let res = s
            .post(
                "/people/search",
                &[("csrf_token", &csrf), ("name", "Nia Hallam")],
            )
            .await;
        let search_id = input_value(&res.text().await.unwrap(), "search_id");
        let start = s
            .post(
                "/people/new",
                &[
                    ("csrf_token", &csrf),
                    ("stage", "start"),
                    ("search_id", &search_id),
                ],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(
            checkbox(&start, "restriction_roles", "front_door_officer").contains("checked"),
            "the front door and managers are offered first"
        );
        assert!(!checkbox(&start, "restriction_roles", "lead_professional").contains("checked"));

        let person = |roles: &'static [&'static str]| {
            let mut form: Vec<(&str, &str)> = vec![
                ("csrf_token", &csrf),
                ("search_id", &search_id),
                ("given_names", "Nia"),
                ("family_name", "Hallam"),
                ("address_line1", "2 Refuge Row"),
                ("postcode", "NG7 2RD"),
                ("restricted", "yes"),
                ("restriction_reason", "Address withheld: domestic abuse"),
                ("different_reason", "A second test record, on purpose"),
            ];
            form.extend(roles.iter().map(|r| ("restriction_roles", *r)));
            form.into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let post = |form: Vec<(String, String)>| {
            let s = &s;
            async move {
                let pairs: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                s.post("/people/new", &pairs).await
            }
        };

        let res = post(person(&[])).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = res.text().await.unwrap();
        assert!(page.contains("Choose the roles that may see this person"));
        assert!(
            page.contains("Address withheld: domestic abuse"),
            "input kept"
        );
        assert!(
            !checkbox(&page, "restriction_roles", "front_door_officer").contains("checked"),
            "the choice made is kept, not the defaults"
        );

        // One role ticked arrives as a single value, several as a list: both are read.
        let res = post(person(&["lead_professional"])).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let res = post(person(&["lead_professional", "team_manager"])).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let record = location(&res).trim_end_matches("?done=created").to_string();
        let asked = s.get(&record).await.text().await.unwrap();
        assert!(asked.contains("this record is restricted"));
        assert!(!asked.contains("2 Refuge Row"));
        let opened = s
            .post(
                &record,
                &[
                    ("csrf_token", &csrf),
                    ("reason", "Planning a home visit with the school"),
                ],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(
            opened.contains("2 Refuge Row"),
            "a named role sees the address"
        );
    }
);

both_engines!(
    someone_on_the_record_joins_a_second_household_from_the_pages,
    |store| async move {
        let s = Server::start_with_clock(store).await;
        s.sign_in("lead@demo.hearth.test").await;
        let csrf = s.csrf("/people").await;
        let add = |given: &'static str, family: &'static str| {
            let (s, csrf) = (&s, csrf.clone());
            async move {
                let res = s
                    .post(
                        "/people/search",
                        &[
                            ("csrf_token", &csrf),
                            ("name", &format!("{given} {family}")),
                        ],
                    )
                    .await;
                let search_id = input_value(&res.text().await.unwrap(), "search_id");
                let res = s
                    .post(
                        "/people/new",
                        &[
                            ("csrf_token", &csrf),
                            ("search_id", &search_id),
                            ("given_names", given),
                            ("family_name", family),
                        ],
                    )
                    .await;
                assert_eq!(res.status(), StatusCode::SEE_OTHER);
                location(&res)
                    .trim_end_matches("?done=created")
                    .trim_start_matches("/people/")
                    .to_string()
            }
        };
        let child = add("Kayla", "Brennan").await;
        let father = add("Marcus", "Okafor").await;

        let record = s
            .get(&format!("/people/{father}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(record.contains(&format!("/people?household_of={father}")));
        let page = s
            .get(&format!("/people?household_of={father}"))
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(input_value(&page, "household_of"), father);
        let found = s
            .post(
                "/people/search",
                &[
                    ("csrf_token", &csrf),
                    ("name", "Kayla Brennan"),
                    ("household_of", &father),
                ],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(found.contains("Add to the household"));
        assert_eq!(
            input_value(&found, "with_person"),
            father,
            "or add someone new"
        );

        let join = format!("/people/{father}/households/join");
        let ask = s
            .post(
                &join,
                &[
                    ("csrf_token", &csrf),
                    ("stage", "start"),
                    ("member", &child),
                    ("member_name", "Kayla Brennan"),
                ],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(ask.contains("How is Kayla Brennan related?"));
        let res = s
            .post(
                &join,
                &[
                    ("csrf_token", &csrf),
                    ("member", &child),
                    ("member_name", "Kayla Brennan"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = res.text().await.unwrap();
        assert!(page.contains("Select how this person is related"));
        assert!(page.contains("How is Kayla Brennan related?"), "input kept");
        let res = s
            .post(
                &join,
                &[
                    ("csrf_token", &csrf),
                    ("member", &child),
                    ("relationship", "child"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), format!("/people/{father}?done=joined"));
        let record = s.get(location(&res)).await.text().await.unwrap();
        assert!(record.contains("Added to the household"));
        assert!(record.contains("Kayla Brennan</a> (Child)"));
    }
);

both_engines!(
    a_second_administrator_approves_a_family_record_role_on_the_users_page,
    |store| async move {
        let mut first = Server::start(store).await;
        let h = first.hearth.clone();
        let admin = actor(&h, "admin@demo.hearth.test").await;
        h.create_user(
            None,
            &hearth_app::accounts::admin::UserForm {
                email: "second-admin@demo.hearth.test".into(),
                display_name: "Sam Second".into(),
                organisation_id: admin.organisation_id.to_string(),
                roles: vec!["administrator".into()],
                password: PASSWORD.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let user = h.user(&admin, analyst.user_id).await.unwrap();
        let page = format!("/admin/users/{}", user.id);

        first.sign_in_fresh("admin@demo.hearth.test").await;
        let csrf = first.csrf(&page).await;
        let version = user.version.to_string();
        let org = user.organisation_id.to_string();
        let team = user.team_id.map(|t| t.to_string()).unwrap_or_default();
        let res = first
            .post(
                &page,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("version", &version),
                    ("display_name", &user.display_name),
                    ("email", &user.email),
                    ("organisation_id", &org),
                    ("team_id", &team),
                    ("roles", "analyst"),
                    ("roles", "practitioner"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let shown = first.get(&page).await.text().await.unwrap();
        assert!(shown.contains("Waiting for a second administrator"));
        assert!(shown.contains("Withdraw the change") && !shown.contains("Approve the change"));
        let waiting = first.get("/admin/role-changes").await.text().await.unwrap();
        assert!(waiting.contains(&user.display_name) && waiting.contains("Practitioner"));
        let change = h
            .pending_role_change(&admin, user.id)
            .await
            .unwrap()
            .unwrap();
        let approve = format!("{page}/role-changes/{}/approve", change.id);
        // The proposer's own approval is refused.
        let res = first.post(&approve, &[("csrf_token", csrf.as_str())]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);

        let mut second = first.new_browser();
        second.sign_in_fresh("second-admin@demo.hearth.test").await;
        let shown = second.get(&page).await.text().await.unwrap();
        assert!(shown.contains("Approve the change"));
        let csrf = second.csrf(&page).await;
        let res = second
            .post(&approve, &[("csrf_token", csrf.as_str())])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), format!("{page}?done=approved"));
        let after = h.user(&admin, user.id).await.unwrap();
        assert!(after.roles.has(hearth_domain::role::Role::Practitioner));
    }
);

both_engines!(
    a_submitted_assessment_reads_whole_for_the_signing_manager_and_prints_clean,
    |store| async move {
        let s = Server::start(store.clone()).await;
        let h = Hearth::new(store, Policies::default());
        let Targeted {
            episode, people, ..
        } = targeted_episode(&h).await;
        let path = format!("/episodes/{episode}/assessment");
        s.sign_in("worker@demo.hearth.test").await;
        let html = s.get(&path).await.text().await.unwrap();
        let version = input_value(&html, "version");
        let csrf = s.csrf(&path).await;
        let child = people[0].to_string();
        let strengths = format!("entry.{child}.family_relationships.strengths");
        let scale = format!("entry.{child}.family_relationships.scale");
        let res = s
            .post(
                &path,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("version", version.as_str()),
                    (
                        "child_voice",
                        "I like it when we eat together.\nNot when they shout.",
                    ),
                    ("parent_voice", "We want calmer mornings"),
                    (strengths.as_str(), "Tia & her mum <talk> every evening"),
                    (scale.as_str(), "4"),
                ],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "saved, back to the form"
        );
        let html = s.get(&path).await.text().await.unwrap();
        assert!(html.contains("Read or print the whole assessment as saved"));
        let version = input_value(&html, "version");
        let res = s
            .post(
                &path,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("version", version.as_str()),
                    ("submit", "yes"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);

        // The manager who signs it off reads all of it first, escaped, with its lines kept.
        let manager = s.new_browser();
        manager.sign_in("manager@demo.hearth.test").await;
        let (status, doc) = manager.page(&path).await;
        assert_eq!(status, StatusCode::OK);
        let html = doc.root_element().html();
        assert!(html.contains("I like it when we eat together.\nNot when they shout."));
        assert!(
            html.contains("Tia &amp; her mum &lt;talk&gt; every evening"),
            "{html}"
        );
        assert!(html.contains("4 out of 10"));
        assert!(html.contains("Sign off the assessment"));
        assert!(html.contains("Waiting for a manager"));
        // Its print-friendly page has the assessment and no forms.
        let (_, print) = manager.page(&format!("{path}?print=yes")).await;
        let printed = print.root_element().html();
        assert!(printed.contains("We want calmer mornings"));
        assert!(!printed.contains("Sign off the assessment"));
        assert!(!printed.contains("<form method=\"post\" action=\"/episodes"));

        // Someone with no part in the family reads none of it.
        let outsider = s.new_browser();
        outsider.sign_in("practitioner@demo.hearth.test").await;
        let res = outsider.get(&path).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(!res.text().await.unwrap().contains("calmer mornings"));
    }
);

both_engines!(
    error_pages_keep_the_signed_in_header_and_menu,
    |store| async move {
        let s = Server::start(store).await;
        let (status, doc) = s.page("/no-such-page").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!doc.root_element().html().contains("Signed in as"));
        s.sign_in("lead@demo.hearth.test").await;
        for (path, status) in [
            ("/no-such-page", StatusCode::NOT_FOUND),
            ("/episodes/not-an-id", StatusCode::NOT_FOUND),
            ("/admin/users", StatusCode::FORBIDDEN),
        ] {
            let (got, doc) = s.page(path).await;
            assert_eq!(got, status, "{path}");
            let html = doc.root_element().html();
            assert!(html.contains("Signed in as"), "{path}: the header");
            assert!(html.contains(r#"href="/people""#), "{path}: the menu");
            assert!(html.contains("Sign out"), "{path}");
        }
    }
);

both_engines!(
    the_brief_assessment_is_a_short_form_extended_with_every_answer_in_place,
    |store| async move {
        let s = Server::start(store.clone()).await;
        let h = Hearth::new(store, Policies::default());
        let Targeted {
            episode,
            people,
            manager,
            ..
        } = targeted_episode(&h).await;
        let e = h.episode(&manager, episode).await.unwrap().episode;
        h.set_route(&manager, episode, "brief", e.version)
            .await
            .unwrap();
        let path = format!("/episodes/{episode}/assessment");
        s.sign_in("worker@demo.hearth.test").await;
        let html = s.get(&path).await.text().await.unwrap();
        assert!(html.contains(r#"<h1 class="govuk-heading-l">Early Help Brief Assessment</h1>"#));
        assert!(html.contains("Tia Okonkwo-Reyes"), "who is in the family");
        let child = people[0].to_string();
        assert!(html.contains(&format!(r#"name="identified.{child}""#)));
        assert!(
            !html.contains(&format!("entry.{child}.")),
            "no per-need write-up in the brief form"
        );
        assert!(html.matches("<textarea").count() <= 5, "a short form");
        let csrf = s.csrf(&path).await;
        let identified = format!("identified.{child}");
        let res = s
            .post(
                &path,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("version", "0"),
                    ("going_well", "Tia is back at school"),
                    ("worries", "Rows <most> evenings"),
                    ("child_voice", "Less shouting"),
                    ("parent_voice", "Help with evenings"),
                    (identified.as_str(), "family_relationships"),
                    ("next_step", "A family plan"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let html = s.get(&path).await.text().await.unwrap();
        let version = input_value(&html, "version");
        assert!(html.contains("Extend into the whole-family assessment"));
        let res = s
            .post(
                &path,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("version", version.as_str()),
                    ("extend", "yes"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let html = s.get(&path).await.text().await.unwrap();
        assert!(html.contains(r#"<h1 class="govuk-heading-l">Whole-family assessment</h1>"#));
        for kept in [
            "Tia is back at school",
            "Rows &#60;most&#62; evenings",
            "Less shouting",
            "A family plan",
        ] {
            assert!(html.contains(kept), "{kept} carried over");
        }
        assert!(html.contains(&format!("entry.{child}.family_relationships.strengths")));
        assert!(!html.contains("Extend into the whole-family assessment"));
        let printed = s
            .get(&format!("{path}?print=yes"))
            .await
            .text()
            .await
            .unwrap();
        assert!(printed.contains("What is going well"));
        assert!(printed.contains("Identified as a need."));
    }
);

both_engines!(
    the_plan_reads_as_a_summary_and_each_part_changes_on_its_own_page,
    |store| async move {
        let s = Server::start_with_clock(store.clone()).await;
        let h = Hearth::new(store, Policies::default());
        let episode = targeted_episode(&h).await.episode;
        let plan = format!("/episodes/{episode}/plan");
        s.sign_in("worker@demo.hearth.test").await;
        let summary = s.get(&plan).await.text().await.unwrap();
        assert!(
            !summary.contains("<textarea"),
            "the summary has no long form"
        );
        for link in [
            "?change=outcomes",
            "?change=actions",
            "?change=services",
            "?change=agreement",
        ] {
            assert!(summary.contains(link), "{link}");
        }
        // Whose plan it is, and the way back to their episode.
        assert!(summary.contains("Okonkwo-Reyes"), "the family is named");
        assert!(summary.contains(r#"<nav class="hearth-sub-navigation"#));
        assert!(summary.contains(&format!(r#"href="/episodes/{episode}">Overview"#)));
        assert!(summary.contains(&format!(
            r#"href="/episodes/{episode}/plan" aria-current="page">Plan"#
        )));
        let page = s
            .get(&format!("{plan}?change=outcomes"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains(r#"name="outcome.0.text""#));
        assert!(!page.contains(r#"name="directory_service.0""#));
        let csrf = s.csrf(&plan).await;
        let res = s
            .post(
                &plan,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("version", "0"),
                    ("part", "outcomes"),
                    ("outcome.0.text", "We eat tea together"),
                    ("outcome.0.needs", "family_relationships"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        // The agreement, on its own page, leaves the outcomes as they are.
        let page = s
            .get(&format!("{plan}?change=agreement"))
            .await
            .text()
            .await
            .unwrap();
        assert!(!page.contains(r#"name="outcome.0.text""#));
        let version = input_value(&page, "version");
        let today = Utc::now().format("%d/%m/%Y").to_string();
        let res = s
            .post(
                &plan,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("version", version.as_str()),
                    ("part", "agreement"),
                    ("agreed", "yes"),
                    ("agreed_on", today.as_str()),
                    ("agreed_by", "Donna"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let summary = s.get(&plan).await.text().await.unwrap();
        assert!(summary.contains("We eat tea together"));
        assert!(summary.contains("Agreed with the family (Donna)"));
        // A part page with a problem comes back as that page, with what was typed.
        let page = s
            .get(&format!("{plan}?change=services"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains(r#"name="directory_service_for.0""#));
        let version = input_value(&page, "version");
        let res = s
            .post(
                &plan,
                &[
                    ("csrf_token", csrf.as_str()),
                    ("version", version.as_str()),
                    ("part", "services"),
                    ("directory_service.0", "not-a-service"),
                    ("services", "Bestwood parenting course"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("Bestwood parenting course"));
        assert!(!html.contains(r#"name="outcome.0.text""#));
    }
);
