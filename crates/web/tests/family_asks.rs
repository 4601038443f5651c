//! A family asks for help themselves over real HTTP (issue 24 item 1, ADR 0044): the start
//! page's signpost, one question a page in Arabic with the answers kept in a cookie's draft,
//! the family's language in every error, "Check your answers", sending, and the front door's
//! pages. On both engines.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_testkit::both_engines;
use hearth_testkit::server::Server;
use reqwest::StatusCode;

fn texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Sends one page's answers and returns where the family is sent next.
async fn answer(s: &Server, step: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let csrf = s.csrf(&format!("/ask/{step}?lang=ar")).await;
    let mut all = vec![("csrf_token", csrf.as_str())];
    all.extend_from_slice(form);
    s.post(&format!("/ask/{step}?lang=ar"), &all).await
}

both_engines!(
    a_mother_asks_in_arabic_and_the_front_door_finds_it,
    |store| async move {
        let s = Server::start(store).await;

        // The start page: in Arabic, right to left, the signpost first; linked from /find.
        let (_, find) = s.page("/find?lang=ar").await;
        assert!(find.root_element().html().contains("href=\"/ask?lang=ar\""));
        let (status, doc) = s.page("/ask?lang=ar").await;
        assert_eq!(status, StatusCode::OK);
        let html = doc.root_element().html();
        assert!(html.contains("dir=\"rtl\""));
        assert_eq!(texts(&doc, "h1"), vec!["اطلب المساعدة لعائلتك".to_string()]);
        assert!(html.contains("999"));

        // A question page without a started draft goes back to the start.
        let res = s.get("/ask/who?lang=ar").await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(location(&res).starts_with("/ask?"));

        let csrf = s.csrf("/ask?lang=ar").await;
        let res = s.post("/ask/start?lang=ar", &[("csrf_token", &csrf)]).await;
        assert_eq!(location(&res), "/ask/who?lang=ar");
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("hearth_ask="))
            .unwrap()
            .to_string();
        // The token lives in an HttpOnly cookie only for the asking pages, never an address.
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("Path=/ask"),
            "{cookie}"
        );
        assert!(!location(&res).contains(&cookie["hearth_ask=".len()..cookie.find(';').unwrap()]));

        // Nothing chosen: the problem is said in Arabic, linked to the field.
        let res = answer(&s, "who", &[]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let doc = scraper::Html::parse_document(&res.text().await.unwrap());
        let summary = texts(&doc, ".govuk-error-summary a");
        assert_eq!(summary, vec!["اختر من أنت".to_string()]);
        assert!(doc.root_element().html().contains("href=\"#asker\""));

        assert_eq!(
            location(&answer(&s, "who", &[("asker", "parent")]).await),
            "/ask/worry?lang=ar"
        );
        // A page with a problem keeps what was already typed.
        let res = answer(&s, "worry", &[("worry", ""), ("worries", "home")]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let res = answer(
            &s,
            "worry",
            &[("worry", "سنفقد بيتنا الشهر القادم"), ("worries", "home")],
        )
        .await;
        assert_eq!(location(&res), "/ask/people?lang=ar");
        // The family page asks for someone before it goes on.
        assert_eq!(
            answer(&s, "people", &[]).await.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let csrf = s.csrf("/ask/people/add?lang=ar").await;
        let bad = s
            .post(
                "/ask/people/add?lang=ar",
                &[
                    ("csrf_token", &csrf),
                    ("name", "ليلى حداد"),
                    ("born", "dob"),
                    ("dob", "31/02/1990"),
                    ("relation", "me"),
                ],
            )
            .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let bad = bad.text().await.unwrap();
        assert!(bad.contains("أدخل تاريخ ميلاد صحيحًا"));
        // What was typed is still there.
        assert!(bad.contains("ليلى حداد"));
        for (name, born, value, relation) in [
            ("Layla Haddad", "age", "٣٤", "me"),
            ("Yusuf Haddad", "dob", "01/02/2018", "child"),
        ] {
            let mut form = vec![
                ("csrf_token", csrf.as_str()),
                ("name", name),
                ("born", born),
                ("relation", relation),
            ];
            form.push((born, value));
            let res = s.post("/ask/people/add?lang=ar", &form).await;
            assert_eq!(location(&res), "/ask/people?lang=ar");
        }
        assert_eq!(
            location(&answer(&s, "people", &[]).await),
            "/ask/address?lang=ar"
        );
        assert_eq!(
            location(
                &answer(
                    &s,
                    "address",
                    &[("postcode", "ng7 2ab"), ("address", "12 Hill Street")]
                )
                .await
            ),
            "/ask/contact?lang=ar"
        );
        // A phone needs the two safety questions answered.
        let res = answer(&s, "contact", &[("phone", "07700 900123")]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let doc = scraper::Html::parse_document(&res.text().await.unwrap());
        assert_eq!(texts(&doc, ".govuk-error-summary a").len(), 2);
        assert_eq!(
            location(
                &answer(
                    &s,
                    "contact",
                    &[
                        ("phone", "07700 900123"),
                        ("safe_to_text", "no"),
                        ("safe_to_leave_message", "no")
                    ]
                )
                .await
            ),
            "/ask/language?lang=ar"
        );
        assert_eq!(
            location(&answer(&s, "language", &[("language", "ar")]).await),
            "/ask/consent?lang=ar"
        );
        // "Check your answers" waits for the last page.
        let res = s.get("/ask/check?lang=ar").await;
        assert_eq!(location(&res), "/ask/consent?lang=ar");
        assert_eq!(
            location(&answer(&s, "consent", &[("consent", "agree")]).await),
            "/ask/check?lang=ar"
        );
        let (status, check) = s.page("/ask/check?lang=ar").await;
        assert_eq!(status, StatusCode::OK);
        let rows = texts(&check, ".govuk-summary-list__value");
        assert!(rows.iter().any(|r| r.contains("Yusuf Haddad")));
        assert!(rows.iter().any(|r| r.contains("NG7 2AB")));
        // Each answer has its Change link, which comes back to the check.
        let changes = texts(&check, ".govuk-summary-list__actions a");
        assert_eq!(changes.len(), 8);
        let res = answer(
            &s,
            "address",
            &[
                ("postcode", "NG7 2AB"),
                ("address", "14 Hill Street"),
                ("change", "1"),
            ],
        )
        .await;
        assert_eq!(location(&res), "/ask/check?lang=ar");

        let csrf = s.csrf("/ask/check?lang=ar").await;
        let res = s.post("/ask/check?lang=ar", &[("csrf_token", &csrf)]).await;
        assert_eq!(location(&res), "/ask/sent?lang=ar");
        let (_, sent) = s.page("/ask/sent?lang=ar").await;
        let reference = texts(&sent, ".govuk-panel__body strong").remove(0);
        assert!(reference.starts_with("FH-"));
        // Sent: the pages go to the confirmation; nothing more can be changed.
        assert_eq!(
            location(&s.get("/ask/who?lang=ar").await),
            "/ask/sent?lang=ar"
        );

        // Another browser, with no draft, learns nothing about anyone's request.
        let stranger = s.new_browser();
        let res = stranger.get("/ask/sent?lang=ar").await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let res = stranger.get("/ask/check?lang=ar").await;
        assert!(location(&res).starts_with("/ask?"));

        // The front door: the count on the queue, the list, and the request with its marks.
        let mut officer = s.new_browser();
        officer.sign_in_fresh("frontdoor@demo.hearth.test").await;
        let (_, queue) = officer.page("/front-door").await;
        assert!(texts(&queue, "#from-families a")[0].starts_with("1 request from a family"));
        let (status, list) = officer.page("/front-door/family-asks").await;
        assert_eq!(status, StatusCode::OK);
        assert!(list.root_element().html().contains(&reference));
        let link = {
            let sel = scraper::Selector::parse("a[href^=\"/front-door/family-asks/\"]").unwrap();
            list.select(&sel)
                .next()
                .unwrap()
                .value()
                .attr("href")
                .unwrap()
                .to_string()
        };
        let (status, ask) = officer.page(&link).await;
        assert_eq!(status, StatusCode::OK);
        let html = ask.root_element().html();
        assert!(html.contains("Do not text: the family said texting is not safe."));
        assert!(html.contains("Do not leave a voice message"));
        assert!(html.contains("سنفقد بيتنا الشهر القادم"));
        assert!(html.contains("Add Yusuf Haddad as a new person"));

        // Taking it in with nothing chosen says what to choose, in the officer's words.
        let csrf = officer.csrf(&link).await;
        let res = officer
            .post(&link, &[("csrf_token", &csrf), ("version", "1")])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let doc = scraper::Html::parse_document(&res.text().await.unwrap());
        let problems = texts(&doc, ".govuk-error-summary a");
        assert!(
            problems.iter().any(|p| p.contains("Layla Haddad")),
            "{problems:?}"
        );
        let res = officer
            .post(
                &link,
                &[
                    ("csrf_token", &csrf),
                    ("version", "1"),
                    ("person_0", "new"),
                    ("person_1", "new"),
                    ("needs", "housing"),
                    ("urgency", "routine"),
                    ("safeguarding", "no"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let decide = location(&res);
        assert!(decide.ends_with("/decide"), "{decide}");
        let (status, page) = officer.page(&decide).await;
        assert_eq!(status, StatusCode::OK);
        let html = page.root_element().html();
        assert!(html.contains("From the family"));
        assert!(html.contains("Do not text"));

        // Someone not at the front door is refused the list.
        let mut school = s.new_browser();
        school.sign_in_fresh("lead@demo.hearth.test").await;
        let res = school.get("/front-door/family-asks").await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
);

both_engines!(
    easy_read_is_kept_and_the_pages_speak_each_language,
    |store| async move {
        let s = Server::start(store).await;
        for (lang, dir) in [
            ("en", "ltr"),
            ("ar", "rtl"),
            ("ur", "rtl"),
            ("pa", "ltr"),
            ("ro", "ltr"),
            ("pl", "ltr"),
        ] {
            let (status, doc) = s.page(&format!("/ask?lang={lang}")).await;
            assert_eq!(status, StatusCode::OK, "{lang}");
            let html = doc.root_element().html();
            assert!(html.contains(&format!("dir=\"{dir}\"")), "{lang}");
            // No message id shows where words should be.
            assert!(!html.contains("ask-"), "{lang}: a message is missing");
        }
        let (_, standard) = s.page("/ask?lang=en").await;
        assert!(standard
            .root_element()
            .html()
            .contains("It takes about 10 minutes."));
        let res = s.get("/ask?lang=en&easy=1").await;
        assert!(res
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap_or("").starts_with("hearth_easy_read=1")));
        // Kept on the next page without asking again.
        let (_, easy) = s.page("/ask?lang=en").await;
        assert!(easy.root_element().html().contains("It takes 10 minutes."));
    }
);

/// A page as the browser reads it (entities decoded).
fn serialised(html: &str) -> String {
    scraper::Html::parse_document(html).root_element().html()
}

/// The page's language, direction and heading.
fn frame_of(html: &str) -> (String, String, Vec<String>) {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("html").unwrap();
    let root = doc.select(&sel).next().unwrap().value();
    (
        root.attr("lang").unwrap_or_default().to_string(),
        root.attr("dir").unwrap_or_default().to_string(),
        texts(&doc, "h1"),
    )
}

both_engines!(
    refusals_on_the_familys_pages_are_in_their_language,
    |store| async move {
        let s = Server::start_with_settings(store, |s| s.rate_limits.ask_per_address = 1).await;

        // Over the limit on starting a request for help, in Arabic: right to left, kind,
        // saying to wait, with the 999 signpost; still a 429 with Retry-After.
        let csrf = s.csrf("/ask?lang=ar").await;
        let first = s.post("/ask/start?lang=ar", &[("csrf_token", &csrf)]).await;
        assert_eq!(first.status(), StatusCode::SEE_OTHER);
        let res = s.post("/ask/start?lang=ar", &[("csrf_token", &csrf)]).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(res.headers().get("retry-after").is_some());
        let html = serialised(&res.text().await.unwrap());
        let (lang, dir, h1) = frame_of(&html);
        assert_eq!((lang.as_str(), dir.as_str()), ("ar", "rtl"));
        assert_eq!(h1, vec!["يُرجى الانتظار بضع دقائق".to_string()]);
        assert!(html.contains("999") && html.contains("href=\"/ask?lang=ur\""));
        assert!(!html.contains("too many requests"), "no English: {html}");

        // A form whose token is wrong, in Urdu: nothing kept, what was typed shown to copy,
        // and no form that would send it.
        let res = s
            .post(
                "/ask/worry?lang=ur",
                &[
                    ("csrf_token", "not-the-token"),
                    ("worry", "ہمیں گھر کی فکر ہے"),
                    ("worries", "home"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let html = serialised(&res.text().await.unwrap());
        let (lang, dir, h1) = frame_of(&html);
        assert_eq!((lang.as_str(), dir.as_str()), ("ur", "rtl"));
        assert_eq!(h1, vec!["آپ کے جوابات ابھی نہیں بھیجے گئے".to_string()]);
        assert!(html.contains("ہمیں گھر کی فکر ہے"));
        assert!(
            !html.contains("<form"),
            "nothing that would send it: {html}"
        );
        assert!(html.contains("href=\"/ask/worry\""));

        // The language the family chose on their own page is remembered for its refusals.
        let family = s.new_browser();
        family.get("/my-family?lang=pl").await;
        let res = family
            .post("/my-family/link", &[("email", "a@b.org")])
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let (lang, _, h1) = frame_of(&res.text().await.unwrap());
        assert_eq!(lang, "pl");
        assert_eq!(
            h1,
            vec!["Twoje odpowiedzi nie zostały jeszcze wysłane".to_string()]
        );
        // An address that leads nowhere on the family's pages, in Romanian.
        let res = family.get("/my-family/nowhere?lang=ro").await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let (lang, _, h1) = frame_of(&res.text().await.unwrap());
        assert_eq!(lang, "ro");
        assert_eq!(h1, vec!["Pagina nu a fost găsită".to_string()]);

        // Staff pages keep their own refusal.
        let staff = s.new_browser();
        staff.get("/sign-in").await;
        let res = staff.post("/people/search", &[("name", "Amina")]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let (lang, _, h1) = frame_of(&res.text().await.unwrap());
        assert_eq!(lang, "en");
        assert_eq!(h1, vec!["Your answers have not been saved yet".to_string()]);
    }
);
