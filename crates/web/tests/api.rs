//! The JSON API over real HTTP, on both engines: tokens (made by their owner, scoped,
//! expiring), access rules, the audit of every call and refusal, and the OpenAPI document.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::accounts::api_tokens::TokenForm;
use hearth_app::family::{PersonForm, SearchForm};
use hearth_app::records::AuditQuery;
use hearth_app::{Actor, Hearth, Store};
use hearth_testkit::app::actor;
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use hearth_testkit::server::Server;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn start(store: Store) -> (String, Hearth) {
    let s = Server::start(store).await;
    (s.base, s.hearth)
}

/// A token its owner makes for everything the API offers, read and write, for 90 days.
async fn full_token(hearth: &Hearth, owner: &Actor, name: &str) -> String {
    token(
        hearth,
        owner,
        name,
        "read_write",
        &["people", "requests", "episodes"],
    )
    .await
}

async fn token(
    hearth: &Hearth,
    owner: &Actor,
    name: &str,
    access: &str,
    resources: &[&str],
) -> String {
    hearth
        .create_api_token(
            owner,
            &TokenForm {
                token_name: name.into(),
                access: access.into(),
                resources: resources.iter().map(|r| r.to_string()).collect(),
                lifetime_days: "90".into(),
            },
        )
        .await
        .unwrap()
}

/// What is wrong with an answer by its schema in the served OpenAPI document (JSON Schema
/// 2020-12, formats checked).
async fn misfits(base: &str, schema: &str, answer: &Value) -> Vec<String> {
    let doc: Value = reqwest::get(format!("{base}/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{schema}"),
        "components": doc["components"],
    });
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap();
    validator
        .iter_errors(answer)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Checks an answer against its description, so the two cannot drift apart.
async fn fits_description(base: &str, schema: &str, answer: &Value) {
    let problems = misfits(base, schema, answer).await;
    assert!(
        problems.is_empty(),
        "{schema} does not fit: {problems:#?}\n{answer}"
    );
}

/// The audit events of one kind, newest first.
async fn audited(hearth: &Hearth, action: &str) -> Vec<hearth_app::records::AuditEvent> {
    let dpo = actor(hearth, "dpo@demo.hearth.test").await;
    hearth
        .search_audit(
            &dpo,
            &AuditQuery {
                action: Some(action.into()),
                ..AuditQuery::default()
            },
        )
        .await
        .unwrap()
}

both_engines!(
    api_clients_act_as_their_user_and_revoked_tokens_stop_working,
    |store| async move {
        let (base, hearth) = start(store).await;
        let admin = actor(&hearth, "admin@demo.hearth.test").await;
        let lead = actor(&hearth, "lead@demo.hearth.test").await;
        let token = full_token(&hearth, &lead, "School MIS").await;
        assert!(token.starts_with("hearth_"));

        let search = hearth
            .search_people(
                &lead,
                &SearchForm {
                    name: "Ada Lovelace".into(),
                    ..SearchForm::default()
                },
            )
            .await
            .unwrap();
        let person = hearth
            .add_person(
                &lead,
                &PersonForm {
                    search_id: search.search_id.to_string(),
                    given_names: "Ada".into(),
                    family_name: "Lovelace".into(),
                    dob: "10/12/2013".into(),
                    ..PersonForm::default()
                },
            )
            .await
            .unwrap();

        let client = reqwest::Client::new();
        let get = |path: &str, token: Option<&str>| {
            let mut r = client.get(format!("{base}{path}"));
            if let Some(t) = token {
                r = r.bearer_auth(t);
            }
            r.send()
        };
        let res = get("/api/v1/people?q=ada", None).await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        assert_eq!(
            get("/api/v1/people?q=ada", Some("hearth_not-a-token"))
                .await
                .unwrap()
                .status(),
            StatusCode::UNAUTHORIZED
        );

        let res = get("/api/v1/people?q=lovelace%20ada", Some(&token))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let body: Value = res.json().await.unwrap();
        fits_description(&base, "PeopleFound", &body).await;
        assert_eq!(body["results"][0]["id"], json!(person.to_string()));
        assert_eq!(body["results"][0]["may_open"], json!(true));

        let res = get("/api/v1/people?dob=31/02/2013", Some(&token))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = res.json().await.unwrap();
        assert_eq!(
            body["fields"]["dob"],
            json!("Enter a real date, like 27/03/2012")
        );

        let post = client
            .post(format!("{base}/api/v1/requests"))
            .bearer_auth(&token);
        let res = post.json(&json!({"people": [person.to_string()], "needs": ["education"], "details": {"education": "Late most mornings"}, "consent": "given", "urgency": "routine", "safeguarding": false})).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let created: Value = res.json().await.unwrap();
        fits_description(&base, "Request", &created).await;
        assert_eq!(created["status"], json!("submitted"));
        let id = created["id"].as_str().unwrap().to_string();
        let res = get(&format!("/api/v1/requests/{id}"), Some(&token))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.json::<Value>().await.unwrap()["people"][0]["name"],
            json!("Ada Lovelace")
        );

        let res = client
            .post(format!("{base}/api/v1/requests"))
            .bearer_auth(&token)
            .json(&json!({"urgency": "routine"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = res.json().await.unwrap();
        fits_description(&base, "Error", &body).await;
        assert!(body["fields"]["people"].is_string() && body["fields"]["needs"].is_string());
        let res = client
            .post(format!("{base}/api/v1/requests"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);

        // Someone else's token cannot read the lead's request.
        let worker = actor(&hearth, "practitioner@demo.hearth.test").await;
        let theirs = full_token(&hearth, &worker, "Health system").await;
        assert_eq!(
            get(&format!("/api/v1/requests/{id}"), Some(&theirs))
                .await
                .unwrap()
                .status(),
            StatusCode::FORBIDDEN
        );

        let tokens = hearth.api_tokens(&admin, lead.user_id).await.unwrap();
        assert!(tokens[0].last_used_at.is_some());
        hearth
            .revoke_api_token(&admin, lead.user_id, tokens[0].id)
            .await
            .unwrap();
        assert_eq!(
            get("/api/v1/people?q=ada", Some(&token))
                .await
                .unwrap()
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
);

both_engines!(
    the_openapi_document_describes_routes_that_exist,
    |store| async move {
        let (base, hearth) = start(store).await;
        let lead = actor(&hearth, "lead@demo.hearth.test").await;
        let token = full_token(&hearth, &lead, "Checker").await;
        let doc: Value = reqwest::get(format!("{base}/api/v1/openapi.json"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(doc["openapi"], json!("3.1.0"));
        let paths = doc["paths"].as_object().unwrap();
        assert!(paths.len() >= 4);
        let client = reqwest::Client::new();
        for (path, ops) in paths {
            let concrete = path.replace("{id}", "0190f5d2-0000-7000-8000-000000000000");
            for method in ops.as_object().unwrap().keys() {
                let res = client
                    .request(
                        method.to_uppercase().parse().unwrap(),
                        format!("{base}{concrete}"),
                    )
                    .bearer_auth(&token)
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap();
                let documented: Vec<String> = ops[method]["responses"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .cloned()
                    .collect();
                assert!(
                    documented.contains(&res.status().as_u16().to_string()),
                    "{method} {path} answered {} which is not documented ({documented:?})",
                    res.status()
                );
            }
        }
    }
);

both_engines!(
    an_episode_and_its_plan_are_read_through_the_api,
    |store| async move {
        let (base, hearth) = start(store).await;
        let lead = actor(&hearth, "lead@demo.hearth.test").await;
        let episode = Family::new("Oyelaran")
            .child("Nia", "02/03/2016")
            .need("education")
            .early_help(&hearth, &lead, "School knows the family best")
            .await
            .episode;
        let token = full_token(&hearth, &lead, "Case system").await;
        let client = reqwest::Client::new();
        let get = |path: String| {
            client
                .get(format!("{base}{path}"))
                .bearer_auth(&token)
                .send()
        };
        let res = get(format!("/api/v1/episodes/{episode}")).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let body: Value = res.json().await.unwrap();
        fits_description(&base, "Episode", &body).await;
        assert_eq!(body["level"], json!("early"));
        assert_eq!(body["lead"], json!("Lee Lead"));
        assert_eq!(body["needs"][0]["domain"], json!("education"));
        let res = get(format!("/api/v1/episodes/{episode}/plan"))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "no plan yet");

        let plan = hearth_app::episodes::plan::PlanForm::from_pairs(&[
            ("outcome.0.text".into(), "Nia reads every night".into()),
            ("outcome.0.needs".into(), "education".into()),
            ("action.0.what".into(), "Library visit".into()),
            ("action.0.outcome".into(), "0".into()),
            ("action.0.owner".into(), format!("user:{}", lead.user_id)),
            (
                "action.0.due_on".into(),
                (chrono::Utc::now().date_naive() + chrono::Duration::days(14))
                    .format("%d/%m/%Y")
                    .to_string(),
            ),
            ("action.0.status".into(), "not_started".into()),
            ("services".into(), "Reading club at the library".into()),
        ]);
        hearth.save_plan(&lead, episode, &plan).await.unwrap();
        let body: Value = get(format!("/api/v1/episodes/{episode}/plan"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        fits_description(&base, "Plan", &body).await;
        assert_eq!(body["outcomes"][0]["text"], json!("Nia reads every night"));
        assert_eq!(body["actions"][0]["what"], json!("Library visit"));
        assert_eq!(body["actions"][0]["status"], json!("not_started"));
        assert_eq!(
            body["services"],
            json!([{"name": "Reading club at the library", "service_id": null, "requests": []}])
        );

        // Someone with no part in the family's help is refused.
        let health = actor(&hearth, "practitioner@demo.hearth.test").await;
        let theirs = full_token(&hearth, &health, "Health system").await;
        let res = client
            .get(format!("{base}/api/v1/episodes/{episode}"))
            .bearer_auth(&theirs)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
);

both_engines!(
    a_token_does_only_what_its_scopes_allow_and_every_call_names_it,
    |store| async move {
        let (base, hearth) = start(store).await;
        let lead = actor(&hearth, "lead@demo.hearth.test").await;
        let reader = token(&hearth, &lead, "Dashboard", "read", &["people", "requests"]).await;
        let client = reqwest::Client::new();

        // Reading what it was given works, and the event names the token.
        let res = client
            .get(format!("{base}/api/v1/people?q=ada"))
            .bearer_auth(&reader)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let tokens = hearth.own_api_tokens(&lead).await.unwrap();
        let reader_id = tokens[0].id.to_string();
        let searched = audited(&hearth, "person_searched").await;
        assert_eq!(
            searched[0].api_token_id.as_deref(),
            Some(reader_id.as_str())
        );

        // A read-only token may not send a request for support: 403 naming the scope, audited.
        let res = client
            .post(format!("{base}/api/v1/requests"))
            .bearer_auth(&reader)
            .json(&json!({"people": [], "needs": ["education"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(res.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains(r#"scope="requests:write""#));
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"], json!("insufficient_scope"));
        assert_eq!(body["missing_scope"], json!("requests:write"));
        let refused = audited(&hearth, "api_scope_refused").await;
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].actor_user_id, Some(lead.user_id.to_string()));
        assert_eq!(refused[0].api_token_id.as_deref(), Some(reader_id.as_str()));
        assert!(refused[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("requests:write"));

        // Nor read a resource it was not given.
        let res = client
            .get(format!(
                "{base}/api/v1/episodes/0190f5d2-0000-7000-8000-000000000000"
            ))
            .bearer_auth(&reader)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["missing_scope"], json!("episodes:read"));
        assert_eq!(audited(&hearth, "api_scope_refused").await.len(), 2);

        // A token cannot make tokens, and the page for making them is the owner's own.
        let api_actor = hearth
            .authenticate_token(&reader, hearth_app::Origin::default())
            .await
            .unwrap();
        assert!(hearth
            .create_api_token(
                &api_actor,
                &TokenForm {
                    token_name: "Escalated".into(),
                    access: "read_write".into(),
                    resources: vec!["requests".into()],
                    lifetime_days: "30".into(),
                },
            )
            .await
            .is_err());
    }
);

both_engines!(
    unknown_revoked_and_expired_tokens_are_refused_and_audited_without_the_token,
    |store| async move {
        let server = Server::start_with_clock(store).await;
        let (base, hearth) = (server.base.clone(), server.hearth.clone());
        let lead = actor(&hearth, "lead@demo.hearth.test").await;
        let admin = actor(&hearth, "admin@demo.hearth.test").await;
        let client = reqwest::Client::new();
        let call = |t: String| {
            client
                .get(format!("{base}/api/v1/people?q=ada"))
                .bearer_auth(t)
                .send()
        };

        let unknown = "hearth_this-token-was-never-made";
        assert_eq!(
            call(unknown.into()).await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
        let refused = audited(&hearth, "api_token_refused").await;
        assert_eq!(refused.len(), 1);
        let detail = refused[0].detail.clone().unwrap();
        assert!(detail.contains(r#""reason":"unknown""#), "{detail}");
        assert!(
            !detail.contains("never-made"),
            "the token itself is never logged"
        );

        // An administrator revokes a user's token; it stops working, and both are audited.
        let revoked = full_token(&hearth, &lead, "Old MIS").await;
        let id = hearth.own_api_tokens(&lead).await.unwrap()[0].id;
        hearth
            .revoke_api_token(&admin, lead.user_id, id)
            .await
            .unwrap();
        assert_eq!(audited(&hearth, "api_token_revoked").await.len(), 1);
        assert_eq!(
            call(revoked).await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
        let refused = audited(&hearth, "api_token_refused").await;
        assert_eq!(refused[0].api_token_id, Some(id.to_string()));
        assert!(refused[0].detail.as_deref().unwrap().contains("revoked"));

        // A 90-day token works until its 90 days are over.
        let expiring = full_token(&hearth, &lead, "Trial").await;
        assert_eq!(
            call(expiring.clone()).await.unwrap().status(),
            StatusCode::OK
        );
        server.advance(chrono::Duration::days(91));
        assert_eq!(
            call(expiring).await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
        let refused = audited(&hearth, "api_token_refused").await;
        assert!(refused[0].detail.as_deref().unwrap().contains("expired"));
    }
);

both_engines!(
    people_make_their_own_tokens_on_their_account_page,
    |store| async move {
        let mut s = Server::start(store).await;
        s.sign_in_fresh("lead@demo.hearth.test").await;
        let csrf = s.csrf("/account/tokens").await;
        // Nothing chosen: every question says what to fix.
        let res = s
            .post(
                "/account/tokens",
                &[("csrf_token", &csrf), ("token_name", "MIS")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = res.text().await.unwrap();
        assert!(page.contains("Choose what the token may use"));
        let res = s
            .post(
                "/account/tokens",
                &[
                    ("csrf_token", &csrf),
                    ("token_name", "School MIS"),
                    ("access", "read"),
                    ("resources", "people"),
                    ("lifetime_days", "30"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let page = res.text().await.unwrap();
        assert!(page.contains("it will not be shown again"));
        assert!(page.contains("hearth_"));
        let again = s.get("/account/tokens").await.text().await.unwrap();
        assert!(again.contains("School MIS") && !again.contains("hearth_"));
        // The administrators' pages no longer make tokens for other people.
        let mut admin = s.new_browser();
        admin.sign_in_fresh("admin@demo.hearth.test").await;
        let lead = actor(&s.hearth, "lead@demo.hearth.test").await;
        let csrf = admin.csrf(&format!("/admin/users/{}", lead.user_id)).await;
        let res = admin
            .post(
                &format!("/admin/users/{}/tokens", lead.user_id),
                &[("csrf_token", &csrf), ("token_name", "Sneaky")],
            )
            .await;
        assert!(
            matches!(
                res.status(),
                StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
            ),
            "{}",
            res.status()
        );
        assert_eq!(s.hearth.own_api_tokens(&lead).await.unwrap().len(), 1);
    }
);

both_engines!(
    a_person_listed_twice_on_a_request_is_a_bad_request_naming_them,
    |store| async move {
        let (base, hearth) = start(store).await;
        let lead = actor(&hearth, "lead@demo.hearth.test").await;
        let token = token(
            &hearth,
            &lead,
            "School MIS",
            "read_write",
            &["people", "requests"],
        )
        .await;
        let search = hearth
            .search_people(
                &lead,
                &SearchForm {
                    name: "Grace Hopper".into(),
                    ..SearchForm::default()
                },
            )
            .await
            .unwrap();
        let person = hearth
            .add_person(
                &lead,
                &PersonForm {
                    search_id: search.search_id.to_string(),
                    given_names: "Grace".into(),
                    family_name: "Hopper".into(),
                    dob: "09/12/2012".into(),
                    ..PersonForm::default()
                },
            )
            .await
            .unwrap()
            .to_string();
        let res = reqwest::Client::new()
            .post(format!("{base}/api/v1/requests"))
            .bearer_auth(&token)
            .json(&json!({"people": [person, person], "needs": ["education"],
                "consent": "given", "urgency": "routine", "safeguarding": false}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"], json!("duplicate_person"));
        assert_eq!(body["person"], json!(person));
        assert!(body["message"].as_str().unwrap().contains(&person));
    }
);

/// The API's routes, read from its router's source (as `every_route` reads the whole web
/// crate's), so a route added without a description, or described without a route, fails.
fn api_routes_in_source() -> Vec<String> {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src/api/mod.rs");
    let text = std::fs::read_to_string(src).unwrap();
    let mut out: Vec<String> = text
        .match_indices(".route(")
        .filter_map(|(at, _)| {
            let rest = text[at + ".route(".len()..].trim_start();
            rest.strip_prefix('"')
                .map(|q| q.split('"').next().unwrap().to_string())
        })
        .collect();
    out.sort();
    out
}

both_engines!(
    every_api_route_is_described_and_every_description_is_routed,
    |store| async move {
        let (base, hearth) = start(store).await;
        let lead = actor(&hearth, "lead@demo.hearth.test").await;
        let token = full_token(&hearth, &lead, "Checker").await;
        let doc: Value = reqwest::get(format!("{base}/api/v1/openapi.json"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();

        // An OpenAPI 3.1 document: its required keys, and every operation with an id.
        assert_eq!(doc["openapi"], json!("3.1.0"));
        assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
        assert_eq!(
            doc["components"]["securitySchemes"]["token"]["scheme"],
            json!("bearer")
        );
        let paths = doc["paths"].as_object().unwrap();
        let mut described: Vec<String> = paths.keys().cloned().collect();
        described.sort();
        assert_eq!(described, api_routes_in_source());

        let client = reqwest::Client::new();
        let mut ids = Vec::new();
        for (path, ops) in paths {
            let concrete = path.replace("{id}", "0190f5d2-0000-7000-8000-000000000000");
            for method in ["get", "post", "put", "patch", "delete"] {
                let res = client
                    .request(
                        method.to_uppercase().parse().unwrap(),
                        format!("{base}{concrete}"),
                    )
                    .bearer_auth(&token)
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap();
                let Some(op) = ops.get(method) else {
                    // A method the document does not describe is not routed.
                    assert_eq!(
                        res.status(),
                        StatusCode::METHOD_NOT_ALLOWED,
                        "{method} {path}"
                    );
                    continue;
                };
                assert_ne!(
                    res.status(),
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path}"
                );
                ids.push(op["operationId"].as_str().unwrap().to_string());
                for (status, response) in op["responses"].as_object().unwrap() {
                    assert!(
                        response["description"].is_string(),
                        "{method} {path} {status}"
                    );
                }
            }
        }
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count, "operationIds are unique: {ids:?}");
        assert_eq!(count, 6);
        // The schemas say something: a made-up episode does not fit.
        let made_up = json!({"id": "x", "level": "nope", "closure_reason": 3});
        assert!(misfits(&base, "Episode", &made_up).await.len() >= 3);
    }
);

both_engines!(
    each_operation_describes_the_scope_its_route_enforces,
    |store| async move {
        let (base, hearth) = start(store).await;
        let lead = actor(&hearth, "lead@demo.hearth.test").await;
        let doc: Value = reqwest::get(format!("{base}/api/v1/openapi.json"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let client = reqwest::Client::new();
        for (path, ops) in doc["paths"].as_object().unwrap() {
            let concrete = path.replace("{id}", "0190f5d2-0000-7000-8000-000000000000");
            for (method, op) in ops.as_object().unwrap() {
                let Some(scope) = op["security"][0]["token"][0].as_str() else {
                    // Only the document itself is open without a token.
                    assert_eq!(path, "/api/v1/openapi.json");
                    continue;
                };
                assert_eq!(op["x-hearth-scope"], json!(scope), "{method} {path}");
                assert!(op["description"].as_str().unwrap().contains(scope));
                let (resource, access) = scope.split_once(':').unwrap();
                // A token with every scope but this one is refused, naming it;
                let others: Vec<&str> = ["people", "requests", "episodes"]
                    .into_iter()
                    .filter(|r| *r != resource)
                    .collect();
                let without = token(&hearth, &lead, "Without", "read_write", &others).await;
                let res = client
                    .request(
                        method.to_uppercase().parse().unwrap(),
                        format!("{base}{concrete}"),
                    )
                    .bearer_auth(&without)
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), StatusCode::FORBIDDEN, "{method} {path}");
                let body: Value = res.json().await.unwrap();
                assert_eq!(body["missing_scope"], json!(scope), "{method} {path}");
                // a token with just this one gets past the scope check.
                let access = if access == "write" {
                    "read_write"
                } else {
                    "read"
                };
                let with = token(&hearth, &lead, "With", access, &[resource]).await;
                let res = client
                    .request(
                        method.to_uppercase().parse().unwrap(),
                        format!("{base}{concrete}"),
                    )
                    .bearer_auth(&with)
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap();
                let body: Value = res.json().await.unwrap();
                assert_ne!(
                    body["error"],
                    json!("insufficient_scope"),
                    "{method} {path}"
                );
            }
        }
    }
);

both_engines!(
    the_search_parameter_is_named_as_its_errors_name_it,
    |store| async move {
        let (base, hearth) = start(store).await;
        let lead = actor(&hearth, "lead@demo.hearth.test").await;
        let token = full_token(&hearth, &lead, "Case system").await;
        let client = reqwest::Client::new();
        let doc: Value = reqwest::get(format!("{base}/api/v1/openapi.json"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let params: Vec<&str> = doc["paths"]["/api/v1/people"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert!(
            params.contains(&"name") && !params.contains(&"q"),
            "{params:?}"
        );
        let res = client
            .get(format!("{base}/api/v1/people?name=ada&dob=31/02/2020"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = res.json().await.unwrap();
        assert!(body["fields"]["dob"].is_string(), "{body}");

        // A person unknown to Hearth is the documented 404, as JSON.
        let res = client
            .post(format!("{base}/api/v1/requests"))
            .bearer_auth(&token)
            .json(
                &json!({"people": ["0190f5d2-0000-7000-8000-000000000000"], "needs": ["education"],
                "details": {"education": "Late most mornings"}, "consent": "given",
                "urgency": "routine", "safeguarding": false}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let documented = &doc["paths"]["/api/v1/requests"]["post"]["responses"];
        assert!(documented.get("404").is_some());
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"], json!("not_found"));
    }
);
