//! The directory over real HTTP on both engines: the families' pages in six languages, the Open
//! Referral UK API checked against the ORUK 3.0 JSON schemas, editing with review, and a
//! request for a service from a family's record to the receiving organisation.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod oruk_schema;

use hearth_testkit::both_engines;
use hearth_testkit::server::Server;
use oruk_schema::{check, schema};
use reqwest::{header, StatusCode};
use serde_json::Value;

/// An ORUK API answer, which any site may read.
async fn json(s: &Server, path: &str) -> (StatusCode, Value) {
    let res = s.get(path).await;
    let status = res.status();
    assert_eq!(
        res.headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .unwrap(),
        "*",
        "{path}"
    );
    (status, res.json().await.unwrap())
}

fn texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn attr(doc: &scraper::Html, selector: &str, name: &str) -> String {
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr(name))
        .unwrap_or_default()
        .to_string()
}

fn link_to(doc: &scraper::Html, text: &str) -> String {
    let sel = scraper::Selector::parse("main a").unwrap();
    doc.select(&sel)
        .find(|e| e.text().collect::<String>().trim() == text)
        .and_then(|e| e.value().attr("href"))
        .unwrap_or_else(|| panic!("no link {text}"))
        .to_string()
}

/// What a browser would send for the form: its fields as they are filled in now.
fn form_values(doc: &scraper::Html, form: &str) -> Vec<(String, String)> {
    let sel = |s: &str| scraper::Selector::parse(&format!("{form} {s}")).unwrap();
    let mut out = Vec::new();
    for e in doc.select(&sel("input")) {
        let v = e.value();
        let (Some(name), kind) = (v.attr("name"), v.attr("type").unwrap_or("text")) else {
            continue;
        };
        if (kind == "checkbox" || kind == "radio") && v.attr("checked").is_none() {
            continue;
        }
        out.push((name.to_string(), v.attr("value").unwrap_or("").to_string()));
    }
    for e in doc.select(&sel("textarea")) {
        out.push((
            e.value().attr("name").unwrap().to_string(),
            e.text().collect::<String>(),
        ));
    }
    for e in doc.select(&sel("select")) {
        let chosen = e
            .select(&scraper::Selector::parse("option[selected]").unwrap())
            .next()
            .and_then(|o| o.value().attr("value"))
            .unwrap_or("");
        out.push((
            e.value().attr("name").unwrap().to_string(),
            chosen.to_string(),
        ));
    }
    out
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

fn check_page(v: &Value, item: &jsonschema::Validator, what: &str) {
    for key in [
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    ] {
        assert!(v.get(key).is_some(), "{what}: no {key} in {v}");
    }
    for c in v["contents"].as_array().unwrap() {
        check(item, c, what);
    }
}

both_engines!(
    a_family_finds_a_parenting_group_near_ng7_in_urdu,
    |store| async move {
        let s = Server::start(store).await;
        let (status, doc) = s
            .page("/find?lang=ur&need=parenting&age=3&postcode=NG7&distance=2&free=yes")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(attr(&doc, "html", "lang"), "ur");
        assert_eq!(attr(&doc, "html", "dir"), "rtl");
        assert_eq!(texts(&doc, "h1"), vec!["اپنے خاندان کے لیے خدمات تلاش کریں"]);
        let found = texts(&doc, "main h3 a");
        // Under the name its editor translated into Urdu.
        let group = "انکریڈیبل ایئرز والدین گروپ";
        assert!(found.contains(&group.to_string()), "{found:?}");
        // The choice is remembered: the next page comes in Urdu without asking again.
        let (_, again) = s.page("/find").await;
        assert_eq!(attr(&again, "html", "lang"), "ur");
        let href = link_to(&doc, group);
        let (status, service) = s.page(&href).await;
        assert_eq!(status, StatusCode::OK);
        let body = texts(&service, "main").join(" ");
        assert!(body.contains("منگل"), "Tuesday in Urdu: {body}");
        assert!(body.contains("Hyson Green Family Hub"));
        assert!(
            body.contains("openstreetmap")
                || !attr(&service, "main a[href*=openstreetmap]", "href").is_empty()
        );
        // Every language has its own words on the page.
        let mut titles = Vec::new();
        for lang in ["en", "ar", "ur", "pa", "ro", "pl"] {
            let (_, d) = s.page(&format!("/find?lang={lang}")).await;
            assert_eq!(attr(&d, "html", "lang"), lang);
            titles.push(texts(&d, "h1").join(""));
        }
        titles.sort();
        titles.dedup();
        assert_eq!(titles.len(), 6, "{titles:?}");
    }
);

/// The names of the services a family's search for `q` finds, on the page in `lang`.
async fn names_found(s: &Server, lang: &str, q: &str) -> Vec<String> {
    let query = serde_urlencoded::to_string([("lang", lang), ("q", q)]).unwrap();
    let (status, doc) = s.page(&format!("/find?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{lang}: {q}");
    texts(&doc, "main h3 a")
}

both_engines!(
    a_family_finds_services_by_everyday_words_and_by_the_pages_own_examples,
    |store| async move {
        let s = Server::start(store).await;
        // The demo's editors translated the parenting group into Arabic, Urdu and Punjabi,
        // and the money advice into Polish and Romanian: each is listed in the family's
        // language where it has a translation.
        let parenting = |lang: &str| match lang {
            "ar" => "مجموعة السنوات المذهلة للوالدين",
            "ur" => "انکریڈیبل ایئرز والدین گروپ",
            "pa" => "ਇਨਕ੍ਰੈਡੀਬਲ ਈਅਰਜ਼ ਮਾਪਿਆਂ ਦਾ ਗਰੁੱਪ",
            _ => "Incredible Years parenting group",
        };
        let money = |lang: &str| match lang {
            "pl" => "Porady w sprawie pieniędzy i długów",
            "ro" => "Consiliere pentru bani și datorii",
            _ => "Money and debt advice",
        };
        for (lang, q, expected) in [
            ("en", "parenting course", parenting("en")),
            ("en", "Parenting courses", parenting("en")),
            ("en", "money worries", money("en")),
            ("en", "food bank", money("en")),
            ("ur", "والدین کی مدد", parenting("ur")),
            ("ar", "دعم الوالدين", parenting("ar")),
            ("pa", "ਮਾਪਿਆਂ ਦੀ ਮਦਦ", parenting("pa")),
            ("ro", "curs pentru părinți", parenting("ro")),
            ("pl", "kurs dla rodziców", parenting("pl")),
            ("pl", "bank żywności", money("pl")),
            ("ar", "نصائح حول الديون", money("ar")),
            // English typed on the Urdu page finds the Urdu name.
            ("ur", "parenting course", parenting("ur")),
        ] {
            let found = names_found(&s, lang, q).await;
            assert!(found.iter().any(|f| f == expected), "{lang} {q}: {found:?}");
        }
        // A word the vocabulary does not know is still found by its stem in the services'
        // text ("families" finds "family"), and one nobody wrote finds nothing.
        assert!(names_found(&s, "en", "families")
            .await
            .contains(&"Domestic abuse support for families".to_string()));
        assert!(names_found(&s, "en", "zebra crossing").await.is_empty());
        // Every example the search page gives, in every language, finds services.
        for lang in ["en", "ar", "ur", "pa", "ro", "pl"] {
            let (_, doc) = s.page(&format!("/find?lang={lang}")).await;
            let hint = texts(&doc, "#q-hint").join("");
            let examples = hint
                .split_once([':', '：'])
                .map_or(hint.as_str(), |(_, e)| e);
            let examples: Vec<&str> = examples
                .split([',', '،', '、'])
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .collect();
            assert!(examples.len() >= 3, "{lang}: {hint}");
            for q in examples {
                let found = names_found(&s, lang, q).await;
                assert!(
                    !found.is_empty(),
                    "{lang}: the example \"{q}\" finds nothing"
                );
            }
        }
    }
);

both_engines!(
    bad_searches_are_explained_at_the_field_and_keep_the_input,
    |store| async move {
        let s = Server::start(store).await;
        let (status, doc) = s
            .page("/find?lang=en&q=stay+and+play&age=-2&postcode=NOT+A+POSTCODE")
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            texts(&doc, ".govuk-error-summary__list a"),
            vec![
                "Age must be 0 or more",
                "Enter a real postcode, like NG7 5AA, or the first part, like NG7"
            ]
        );
        assert_eq!(attr(&doc, "#q", "value"), "stay and play", "input kept");
        assert!(texts(&doc, "#age-error")
            .join("")
            .contains("Age must be 0 or more"));
        let (status, doc) = s.page("/find?lang=en&postcode=ZE2+9XX").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(texts(&doc, "#postcode-error")
            .join("")
            .contains("We do not know where that postcode is"));
        let (status, doc) = s.page("/find/services/not-a-service?lang=pl").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(texts(&doc, "h1"), vec!["Nie znaleziono usługi"]);
        // The API says what is wrong with a query, and keeps pages small.
        let (status, v) = json(&s, "/openreferral/services?per_page=100000").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(v["fields"]["per_page"], "per_page must be 100 or fewer");
        let (status, v) = json(&s, "/openreferral/service_at_locations?postcode=XX").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(v["fields"]["postcode"]
            .as_str()
            .unwrap()
            .contains("postcode"));
        let (status, v) = json(&s, "/openreferral/services?minimum_age=-1&page=0").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(v["fields"]["minimum_age"].is_string() && v["fields"]["page"].is_string());
    }
);

both_engines!(
    the_open_referral_endpoints_pass_the_oruk_schemas,
    |store| async move {
        let s = Server::start(store).await;
        let (status, about) = json(&s, "/openreferral/").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(about["version"], "3.0");
        assert!(about["profile"].is_string() && about["openapi_url"].is_string());

        let list = schema("compiled/service_list.json");
        let full = schema("compiled/service.json");
        let (_, page) = json(&s, "/openreferral/services?per_page=5").await;
        check_page(&page, &list, "/services");
        assert_eq!(page["size"], 5);
        assert_eq!(page["first_page"], true);
        assert_eq!(page["last_page"], false);
        let total = page["total_items"].as_u64().unwrap();
        assert!(total >= 18);
        let id = page["contents"][0]["id"].as_str().unwrap().to_string();
        let (status, service) = json(&s, &format!("/openreferral/services/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        check(&full, &service, "/services/{id}");

        // Parameters combine: a search within a term, for ages, of one organisation.
        let (_, terms) = json(&s, "/openreferral/taxonomy_terms?per_page=100").await;
        check_page(&terms, &schema("taxonomy_term.json"), "/taxonomy_terms");
        let parenting = terms["contents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["term"] == "parenting")
            .unwrap();
        let term_id = parenting["id"].as_str().unwrap();
        let taxonomy_id = parenting["taxonomy_id"].as_str().unwrap();
        let (_, found) = json(
            &s,
            &format!(
                "/openreferral/services?search=group&taxonomy_term_id={term_id}&maximum_age=5"
            ),
        )
        .await;
        check_page(&found, &list, "/services filtered");
        let names: Vec<&str> = found["contents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            vec!["Incredible Years parenting group", "Young parents together"]
        );
        let org = found["contents"][0]["organization_id"].as_str().unwrap();
        let (_, by_org) = json(&s, &format!(
                "/openreferral/services?organization_id={org}&taxonomy_id={taxonomy_id}&modified_after=2000-01-01"
            ))
            .await;
        assert!(by_org["total_items"].as_u64().unwrap() >= 1);
        for c in by_org["contents"].as_array().unwrap() {
            assert_eq!(c["organization_id"], org);
        }

        let (_, taxonomies) = json(&s, "/openreferral/taxonomies").await;
        let taxonomy = schema("taxonomy.json");
        check_page(&taxonomies, &taxonomy, "/taxonomies");
        assert_eq!(taxonomies["total_items"], 3);
        let (_, one) = json(&s, &format!("/openreferral/taxonomies/{taxonomy_id}")).await;
        check(&taxonomy, &one, "/taxonomies/{id}");
        let (_, t) = json(&s, &format!("/openreferral/taxonomy_terms/{term_id}")).await;
        check(&schema("taxonomy_term.json"), &t, "/taxonomy_terms/{id}");

        // Near a postcode, by proximity in metres, nearest first.
        let (_, near) = json(
            &s,
            "/openreferral/service_at_locations?postcode=NG7%205AA&proximity=1500",
        )
        .await;
        check_page(
            &near,
            &schema("compiled/service_at_location_list.json"),
            "/service_at_locations",
        );
        assert!(near["total_items"].as_u64().unwrap() >= 1);
        let (_, all) = json(&s, "/openreferral/service_at_locations?per_page=100").await;
        assert!(all["total_items"].as_u64().unwrap() > near["total_items"].as_u64().unwrap());
        // With a keyword and an age as well, a proximity wide enough for every place finds
        // exactly what the same search without one does.
        let query = "/openreferral/service_at_locations?search=parent&maximum_age=18&per_page=100";
        let (_, everywhere) = json(&s, query).await;
        let (_, wide) = json(&s, &format!("{query}&postcode=NG7%205AA&proximity=30000")).await;
        assert!(everywhere["total_items"].as_u64().unwrap() > 0);
        assert_eq!(wide["total_items"], everywhere["total_items"]);
        let sal = near["contents"][0]["id"].as_str().unwrap();
        let (status, one) = json(&s, &format!("/openreferral/service_at_locations/{sal}")).await;
        assert_eq!(status, StatusCode::OK);
        check(
            &schema("compiled/service_at_location.json"),
            &one,
            "/service_at_locations/{id}",
        );
        let (status, _) = json(
            &s,
            "/openreferral/services/00000000-0000-7000-8000-000000000000",
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
);

both_engines!(
    a_voluntary_groups_change_is_published_by_a_reviewer,
    |store| async move {
        let mut s = Server::start(store).await;
        s.sign_in_fresh("vcs-editor@demo.hearth.test").await;
        let (_, desk) = s.page("/directory").await;
        let edit = link_to(&desk, "Family Friends home visiting");
        let (_, form) = s.page(&edit).await;
        let mut values = form_values(&form, "main form[novalidate]");
        let new_text = "Weekly visits from a trained volunteer, now on Saturdays too.";
        for (k, v) in values.iter_mut() {
            if k == "description" {
                *v = new_text.into();
            }
        }
        let pairs: Vec<(&str, &str)> = values
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let res = s.post(&edit, &pairs).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/directory?done=review");
        let public = edit.replace("/directory/services/", "/find/services/");
        let (_, before) = s.page(&public).await;
        assert!(!texts(&before, "main").join(" ").contains(new_text));

        s.sign_in_fresh("reviewer@demo.hearth.test").await;
        let (_, desk) = s.page("/directory").await;
        let sel = scraper::Selector::parse("main a[href^='/directory/changes/']").unwrap();
        let review = desk
            .select(&sel)
            .next()
            .and_then(|e| e.value().attr("href"))
            .unwrap()
            .to_string();
        let (_, page) = s.page(&review).await;
        assert!(texts(&page, "td strong").contains(&new_text.to_string()));
        let csrf = attr(&page, r#"input[name="csrf_token"]"#, "value");
        let res = s
            .post(
                &review,
                &[("csrf_token", &csrf), ("decision", "publish"), ("note", "")],
            )
            .await;
        assert_eq!(location(&res), "/directory?done=published");
        let (_, after) = s.page(&public).await;
        assert!(texts(&after, "main").join(" ").contains(new_text));
    }
);

both_engines!(
    opening_times_are_typed_per_day_and_a_wrong_one_is_shown_at_its_field,
    |store| async move {
        let mut s = Server::start(store).await;
        s.sign_in_fresh("reviewer@demo.hearth.test").await;
        let (_, desk) = s.page("/directory").await;
        let edit = link_to(&desk, "Dads' group");
        let (_, form) = s.page(&edit).await;
        // Seven days, each with its own times; the group runs on Saturdays.
        assert_eq!(
            attr(&form, r#"input[name="opens_at_SA"]"#, "value"),
            "10:00"
        );
        assert_eq!(attr(&form, r#"input[name="opens_at_MO"]"#, "value"), "");
        let mut values = form_values(&form, "main form[novalidate]");
        let mut set = |name: &str, value: &str| match values.iter_mut().find(|(k, _)| k == name) {
            Some((_, v)) => *v = value.into(),
            None => values.push((name.into(), value.into())),
        };
        set(
            "description",
            "A monthly group for dads, now on Mondays too.",
        );
        set("opens_at_MO", "18:00");
        set("closes_at_MO", "17:00");
        let pairs: Vec<(&str, &str)> = values
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let res = s.post(&edit, &pairs).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = scraper::Html::parse_document(&res.text().await.unwrap());
        let message = "The closing time on Monday must be after the opening time";
        assert!(
            texts(&page, ".govuk-error-summary a").contains(&message.to_string()),
            "in the summary"
        );
        assert_eq!(
            attr(&page, ".govuk-error-summary a", "href"),
            "#closes_at_MO",
            "the summary links to the field"
        );
        assert!(
            texts(&page, "#closes_at_MO-error")
                .join(" ")
                .contains(message),
            "at the field"
        );
        // What was typed is kept.
        assert_eq!(attr(&page, "#opens_at_MO", "value"), "18:00");
        assert_eq!(attr(&page, "#closes_at_MO", "value"), "17:00");
        assert_eq!(attr(&page, "#opens_at_SA", "value"), "10:00");
        assert!(texts(&page, "textarea")
            .join(" ")
            .contains("now on Mondays too"));
        // Put right, it is published with both days.
        let pairs: Vec<(&str, &str)> = values
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str(),
                    if k == "closes_at_MO" {
                        "20:00"
                    } else {
                        v.as_str()
                    },
                )
            })
            .collect();
        let res = s.post(&edit, &pairs).await;
        assert_eq!(location(&res), "/directory?done=published");
        let public = edit.replace("/directory/services/", "/find/services/");
        let (_, after) = s.page(&format!("{public}?lang=en")).await;
        let main = texts(&after, "main").join(" ");
        assert!(main.contains("Monday"), "{main}");
        assert!(main.contains("Saturday"), "{main}");
    }
);

both_engines!(
    a_translated_service_is_shown_and_found_in_the_familys_language_and_the_feed_stays_english,
    |store| async move {
        let mut s = Server::start(store).await;
        s.sign_in_fresh("reviewer@demo.hearth.test").await;
        let (_, desk) = s.page("/directory").await;
        let edit = link_to(&desk, "Dads' group");
        let (_, form) = s.page(&edit).await;
        // Typed in its own language and direction.
        assert_eq!(attr(&form, "#name_ur", "lang"), "ur");
        assert_eq!(attr(&form, "#description_ar", "dir"), "auto");
        let mut values = form_values(&form, "main form[novalidate]");
        fn set(values: &mut Vec<(String, String)>, name: &str, value: &str) {
            match values.iter_mut().find(|(k, _)| k == name) {
                Some((_, v)) => *v = value.into(),
                None => values.push((name.into(), value.into())),
            }
        }
        fn pairs(values: &[(String, String)]) -> Vec<(&str, &str)> {
            values
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect()
        }
        let urdu_name = "والد حضرات کا گروپ";
        set(&mut values, "name_ur", urdu_name);
        // A name alone is not a translation: the description is asked for.
        let res = s.post(&edit, &pairs(&values)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = scraper::Html::parse_document(&res.text().await.unwrap());
        assert_eq!(
            texts(&page, ".govuk-error-summary a"),
            vec!["Enter the description in Urdu too, or clear the name"]
        );
        assert_eq!(attr(&page, "#name_ur", "value"), urdu_name, "kept");
        set(
            &mut values,
            "description_ur",
            "والد، سوتیلے والد اور مرد دیکھ بھال کرنے والوں کے لیے ماہانہ گروپ۔",
        );
        let res = s.post(&edit, &pairs(&values)).await;
        assert_eq!(location(&res), "/directory?done=published");
        let id = edit.trim_start_matches("/directory/services/").to_string();

        // In Urdu: the name and description in Urdu, marked as Urdu.
        let (_, page) = s.page(&format!("/find/services/{id}?lang=ur")).await;
        assert_eq!(texts(&page, "h1"), vec![urdu_name]);
        assert_eq!(attr(&page, "h1", "lang"), "ur");
        assert_eq!(attr(&page, "main p[dir=auto]", "lang"), "ur");
        // In Arabic, which has no translation: the English, marked as English.
        let (_, page) = s.page(&format!("/find/services/{id}?lang=ar")).await;
        assert_eq!(texts(&page, "h1"), vec!["Dads' group"]);
        assert_eq!(attr(&page, "h1", "lang"), "en");
        // Found by its Urdu words, and listed under its Urdu name.
        let found = names_found(&s, "ur", "گروپ والد").await;
        assert!(found.contains(&urdu_name.to_string()), "{found:?}");
        // The Open Referral feed is the provider's English.
        let (_, v) = json(&s, &format!("/openreferral/services/{id}")).await;
        assert_eq!(v["name"], "Dads' group");
        assert!(!v.to_string().contains(urdu_name));
    }
);

both_engines!(
    an_editor_adds_a_place_and_can_then_choose_it_for_a_service,
    |store| async move {
        let mut s = Server::start(store).await;
        s.sign_in_fresh("vcs-editor@demo.hearth.test").await;
        let (_, desk) = s.page("/directory").await;
        let new = link_to(&desk, "Add a place where services run");
        let (status, form) = s.page(&new).await;
        assert_eq!(status, StatusCode::OK);
        let hub = scraper::Selector::parse(r#"input[name="family_hub"]"#).unwrap();
        assert!(
            form.select(&hub).next().is_none(),
            "a voluntary group's editor is not offered the Family Hub mark"
        );
        let csrf = attr(&form, r#"input[name="csrf_token"]"#, "value");
        let mut fields = vec![
            ("csrf_token", csrf.as_str()),
            ("name", "Sherwood Library"),
            ("address_1", "Sherwood Hall Road"),
            ("city", "Nottingham"),
            ("postcode", "NG7 9ZZ"),
            ("accessibility", "Step-free entrance"),
        ];
        let res = s.post(&new, &fields).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = scraper::Html::parse_document(&res.text().await.unwrap());
        assert!(texts(&page, "#postcode-error")
            .join(" ")
            .contains("We do not know where NG7 9ZZ is"));
        assert_eq!(attr(&page, ".govuk-error-summary a", "href"), "#postcode");
        assert_eq!(
            attr(&page, "#name", "value"),
            "Sherwood Library",
            "input kept"
        );
        assert_eq!(attr(&page, "#postcode", "value"), "NG7 9ZZ");
        fields[4] = ("postcode", "ng5 1dd");
        let res = s.post(&new, &fields).await;
        assert_eq!(location(&res), "/directory/locations?done=added");
        // The editor can change the place they added: the form opens filled in, a bad
        // postcode is explained at the field with the typing kept, a good change is saved.
        let (_, places) = s.page("/directory/locations?done=added").await;
        assert!(texts(&places, ".govuk-notification-banner")
            .join(" ")
            .contains("The place has been added"));
        let change = link_to(&places, "Sherwood Library");
        let (status, form) = s.page(&change).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(texts(&form, "h1"), ["Change Sherwood Library"]);
        assert_eq!(attr(&form, "#postcode", "value"), "NG5 1DD");
        let stamp = attr(&form, r#"input[name="stamp"]"#, "value");
        assert!(!stamp.is_empty());
        let mut changed = fields.clone();
        changed.push(("stamp", stamp.as_str()));
        changed[4] = ("postcode", "NG5");
        changed[5] = ("accessibility", "Step-free entrance and a hearing loop");
        let res = s.post(&change, &changed).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = scraper::Html::parse_document(&res.text().await.unwrap());
        assert!(texts(&page, "#postcode-error")
            .join(" ")
            .contains("Enter the whole postcode"));
        assert_eq!(
            texts(&page, "#accessibility"),
            ["Step-free entrance and a hearing loop"],
            "typing kept"
        );
        changed[4] = ("postcode", "NG5 2AB");
        let res = s.post(&change, &changed).await;
        assert_eq!(location(&res), "/directory/locations?done=changed");
        // The same form saved again is someone else's older copy now: refused, typing kept.
        let res = s.post(&change, &changed).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = scraper::Html::parse_document(&res.text().await.unwrap());
        assert!(texts(&page, "#name-error")
            .join(" ")
            .contains("Someone else changed this place while you were editing it"));
        // A place where the council's services run is not theirs to change.
        let (_, places) = s.page("/directory/locations").await;
        let (status, _) = s.page(&link_to(&places, "Bestwood Family Hub")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // The new place is one of the choices in the service's entry.
        let (_, desk) = s.page("/directory").await;
        let edit = link_to(&desk, "Family Friends home visiting");
        let (_, form) = s.page(&edit).await;
        assert!(
            texts(&form, "main form[novalidate] label")
                .contains(&"Sherwood Library, NG5 2AB".to_string()),
            "{:?}",
            texts(&form, "main form[novalidate] label")
        );
        // The council's directory editor may mark a Family Hub.
        s.sign_in_fresh("directory@demo.hearth.test").await;
        let (_, form) = s.page(&new).await;
        assert_eq!(attr(&form, r#"input[name="family_hub"]"#, "value"), "yes");
    }
);

both_engines!(
    a_practitioners_request_is_accepted_by_the_receiving_organisation,
    |store| async move {
        let mut s = Server::start(store).await;
        let h = s.hearth.clone();
        let hv = hearth_testkit::app::actor(&h, "practitioner@demo.hearth.test").await;
        let found = h
            .search_people(
                &hv,
                &hearth_app::family::SearchForm {
                    name: "Amara Webtest".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let person = h
            .add_person(
                &hv,
                &hearth_app::family::PersonForm {
                    search_id: found.search_id.to_string(),
                    given_names: "Amara".into(),
                    family_name: "Webtest".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        s.sign_in_fresh("practitioner@demo.hearth.test").await;
        let path = format!("/people/{person}/service-requests");
        let (_, form) = s.page(&path).await;
        let sel = scraper::Selector::parse("select[name=service] option").unwrap();
        let service = form
            .select(&sel)
            .find(|o| {
                o.text()
                    .collect::<String>()
                    .starts_with("Family Friends home visiting")
            })
            .and_then(|o| o.value().attr("value"))
            .unwrap()
            .to_string();
        let csrf = attr(&form, r#"input[name="csrf_token"]"#, "value");
        // Without consent it is refused, with the typed reason kept.
        let res = s
            .post(
                &path,
                &[
                    ("csrf_token", &csrf),
                    ("service", &service),
                    ("reason", "Isolated new mum"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let doc = scraper::Html::parse_document(&res.text().await.unwrap());
        assert!(texts(&doc, "#reason").join("").contains("Isolated new mum"));
        assert!(!texts(&doc, "#consent-error").is_empty());
        let res = s
            .post(
                &path,
                &[
                    ("csrf_token", &csrf),
                    ("service", &service),
                    ("reason", "Isolated new mum"),
                    ("consent", "yes"),
                    ("consent_given_by", "Amara (mother)"),
                    ("contact_preference", "text"),
                    ("contact_detail", "07700 900123"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);

        s.sign_in_fresh("vcs-worker@demo.hearth.test").await;
        let (_, inbox) = s.page("/service-requests").await;
        let open = link_to(&inbox, "Amara Webtest");
        let (_, request) = s.page(&open).await;
        let csrf = attr(&request, r#"input[name="csrf_token"]"#, "value");
        let version = attr(&request, r#"input[name="version"]"#, "value");
        let res = s
            .post(
                &open,
                &[
                    ("csrf_token", &csrf),
                    ("version", &version),
                    ("answer", "accept"),
                    ("answer_reason", "A volunteer will text this week."),
                ],
            )
            .await;
        assert_eq!(location(&res), "/service-requests?done=answered");

        s.sign_in_fresh("practitioner@demo.hearth.test").await;
        let (_, record) = s.page(&format!("/people/{person}")).await;
        let section = texts(&record, "main").join(" ");
        assert!(section.contains("Accepted"), "{section}");
        assert!(section.contains("A volunteer will text this week."));
    }
);
