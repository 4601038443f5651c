//! The Open Referral UK validator's walk, over real HTTP on both engines: it reads `/`, walks the
//! first, middle and last pages of each list, calls every `{id}` endpoint it finds there and
//! checks each answer against the ORUK 3.0 JSON schemas (`standards/oruk-3.0`); then the
//! filters the profile declares (`day`, `start_time`, `end_time`), JSON for unknown paths and
//! CORS preflights, which a script on another site sends first.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod oruk_schema;

use hearth_testkit::both_engines;
use hearth_testkit::server::Server;
use oruk_schema::{check, schema};
use reqwest::{header, Method, StatusCode};
use serde_json::Value;
use std::collections::BTreeSet;

/// An answer of the open API: JSON, readable from any site.
async fn get(s: &Server, path: &str) -> (StatusCode, Value) {
    let res = s.get(path).await;
    let status = res.status();
    assert_eq!(
        res.headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .map(|v| v.to_str().unwrap()),
        Some("*"),
        "{path}"
    );
    let kind = res.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(kind.starts_with("application/json"), "{path}: {kind}");
    (status, res.json().await.unwrap())
}

/// One list and how its items are checked.
struct List {
    path: &'static str,
    /// The schema of an item in a page (the profile's `*_list` schemas: one-to-one fields).
    item_schema: &'static str,
    /// The schema of the `{id}` answer.
    full_schema: &'static str,
}

const LISTS: [List; 4] = [
    List {
        path: "/openreferral/services",
        item_schema: "compiled/service_list.json",
        full_schema: "compiled/service.json",
    },
    List {
        path: "/openreferral/service_at_locations",
        item_schema: "compiled/service_at_location_list.json",
        full_schema: "compiled/service_at_location.json",
    },
    List {
        path: "/openreferral/taxonomies",
        item_schema: "taxonomy.json",
        full_schema: "taxonomy.json",
    },
    List {
        path: "/openreferral/taxonomy_terms",
        item_schema: "taxonomy_term.json",
        full_schema: "taxonomy_term.json",
    },
];

/// Checks a page's own fields agree with each other and with the page asked for.
fn check_paging(page: &Value, number: u64, per_page: u64, what: &str) -> u64 {
    let total = page["total_items"].as_u64().unwrap();
    let pages = page["total_pages"].as_u64().unwrap();
    let contents = page["contents"].as_array().unwrap();
    assert_eq!(
        pages,
        total.div_ceil(per_page).max(1),
        "{what}: total_pages"
    );
    assert_eq!(page["page_number"].as_u64(), Some(number), "{what}");
    assert_eq!(page["size"].as_u64(), Some(contents.len() as u64), "{what}");
    assert_eq!(page["first_page"].as_bool(), Some(number == 1), "{what}");
    assert_eq!(page["last_page"].as_bool(), Some(number == pages), "{what}");
    assert_eq!(page["empty"].as_bool(), Some(contents.is_empty()), "{what}");
    let expected = if number < pages {
        per_page
    } else {
        total - per_page * (pages - 1)
    };
    assert_eq!(contents.len() as u64, expected, "{what}: items on the page");
    pages
}

/// The validator's walk of one list at one page size; returns the ids it met.
async fn walk(s: &Server, list: &List, per_page: u64) -> BTreeSet<String> {
    let item = schema(list.item_schema);
    let full = schema(list.full_schema);
    let first = format!("{}?per_page={per_page}", list.path);
    let (status, page) = get(s, &first).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let pages = check_paging(&page, 1, per_page, &first);
    let mut numbers: Vec<u64> = vec![1, pages.div_ceil(2).max(1), pages];
    numbers.dedup();
    let mut ids = BTreeSet::new();
    for n in numbers {
        let path = format!("{}?per_page={per_page}&page={n}", list.path);
        let (status, page) = get(s, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        check_paging(&page, n, per_page, &path);
        for c in page["contents"].as_array().unwrap() {
            check(&item, c, &path);
            let id = c["id"].as_str().unwrap().to_string();
            let one = format!("{}/{id}", list.path);
            let (status, v) = get(s, &one).await;
            assert_eq!(status, StatusCode::OK, "{one}");
            assert_eq!(v["id"], c["id"], "{one}");
            check(&full, &v, &one);
            assert!(ids.insert(id), "{path}: an item on two pages");
        }
    }
    ids
}

both_engines!(
    the_validators_walk_of_every_list_and_item_passes_the_schemas,
    |store| async move {
        let s = Server::start(store).await;
        let (status, about) = get(&s, "/openreferral/").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(about["version"], "3.0");
        for key in ["profile", "openapi_url"] {
            assert!(
                about[key].as_str().unwrap().starts_with("https://"),
                "{key}"
            );
        }
        for list in &LISTS {
            // The default page size, as the validator asks, then pages small enough that the
            // first, middle and last differ.
            let (_, whole) = get(&s, list.path).await;
            let total = whole["total_items"].as_u64().unwrap();
            assert!(total >= 3, "{}: too few items to walk", list.path);
            let seen = walk(&s, list, 50).await;
            assert_eq!(seen.len() as u64, total.min(50 * 3), "{}", list.path);
            walk(&s, list, 2).await;
        }
        // The local property is named by the convention, and the old name is gone.
        let (_, sal) = get(&s, "/openreferral/service_at_locations?per_page=100").await;
        let locations: Vec<&Value> = sal["contents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| &c["location"])
            .collect();
        assert!(locations.iter().any(|l| l["x_hearth_family_hub"] == true));
        assert!(locations.iter().all(|l| l.get("family_hub").is_none()));
    }
);

/// The names of the services a query finds (one page of up to 100).
async fn names(s: &Server, query: &str) -> Vec<String> {
    let (status, page) = get(s, &format!("/openreferral/services?per_page=100&{query}")).await;
    assert_eq!(status, StatusCode::OK, "{query}: {page}");
    let mut names: Vec<String> = page["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

both_engines!(
    day_and_times_filter_services_by_one_schedule,
    |store| async move {
        let s = Server::start(store).await;
        let all = names(&s, "").await;
        assert!(all.len() >= 18);
        // Nothing in the demo runs on Sundays: before, every service came back.
        assert!(names(&s, "day=SU").await.is_empty());
        assert_eq!(
            names(&s, "day=SA").await,
            vec!["Community pantry", "Dads' group"]
        );
        // Closing by noon on Saturday: the group (10–12), not the pantry (10–13).
        assert_eq!(
            names(&s, "day=SA&end_time=12:00").await,
            vec!["Dads' group"]
        );
        assert_eq!(
            names(&s, "start_time=18:00:00").await,
            vec!["Parenting teenagers group", "Youth club"]
        );
        // The same day and times on the other list.
        let (_, sal) = get(
            &s,
            "/openreferral/service_at_locations?day=sa&start_time=10:00&end_time=12:00",
        )
        .await;
        let found: BTreeSet<&str> = sal["contents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["service"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(found, BTreeSet::from(["Dads' group"]));
        // A day or time that is not one is the caller's to fix, and said so.
        let (status, v) = get(
            &s,
            "/openreferral/services?day=Sunday&start_time=9am&end_time=25:00",
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        for field in ["day", "start_time", "end_time"] {
            assert!(v["fields"][field].is_string(), "{field}: {v}");
        }
    }
);

both_engines!(
    unknown_addresses_are_json_and_preflights_are_answered,
    |store| async move {
        let s = Server::start(store).await;
        for path in [
            "/openreferral/organizations",
            "/openreferral/services/x/y",
            "/openreferral/nothing-here",
        ] {
            let (status, v) = get(&s, path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(v["error"], "not_found", "{path}");
        }
        // Outside the API, a page as before.
        let res = s.get("/no-such-page").await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert!(res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        let res = s
            .client
            .request(Method::OPTIONS, s.url("/openreferral/services"))
            .header(header::ORIGIN, "https://example.org")
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "accept")
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{}", res.status());
        let h = res.headers();
        assert_eq!(h[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        assert!(h[header::ACCESS_CONTROL_ALLOW_METHODS]
            .to_str()
            .unwrap()
            .contains("GET"));
        assert!(h.contains_key(header::ACCESS_CONTROL_ALLOW_HEADERS));
    }
);
