//! The privacy notice, accessibility statement and cookies page over real HTTP: in each
//! family language, linked from every page's footer, and the partnership's own Markdown
//! shown safely in place of Hearth's.

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

fn attr(doc: &scraper::Html, selector: &str, name: &str) -> Option<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr(name))
        .map(str::to_string)
}

both_engines!(
    the_pages_exist_in_every_family_language_and_every_footer_links_them,
    |store| async move {
        let s = Server::start(store).await;
        for (lang, dir, heading) in [
            ("en", "ltr", "Privacy notice"),
            ("ar", "rtl", "إشعار الخصوصية"),
            ("ur", "rtl", "رازداری کا نوٹس"),
            ("pa", "ltr", "ਪਰਦੇਦਾਰੀ ਨੋਟਿਸ"),
            ("ro", "ltr", "Notificare privind confidențialitatea"),
            ("pl", "ltr", "Informacja o prywatności"),
        ] {
            let (status, doc) = s.page(&format!("/privacy?lang={lang}")).await;
            assert_eq!(status, StatusCode::OK, "{lang}");
            assert_eq!(attr(&doc, "html", "lang").as_deref(), Some(lang));
            assert_eq!(attr(&doc, "html", "dir").as_deref(), Some(dir));
            assert_eq!(texts(&doc, "h1"), vec![heading.to_string()], "{lang}");
            let body = doc.root_element().html();
            assert!(
                body.contains("Test Partnership"),
                "{lang}: the partnership is named"
            );
            assert!(
                !body.contains("{partnership}"),
                "{lang}: no placeholder left"
            );
            assert!(!body.contains("{privacy_contact}"), "{lang}");
            for page in ["accessibility", "cookies"] {
                let (status, doc) = s.page(&format!("/{page}?lang={lang}")).await;
                assert_eq!(status, StatusCode::OK, "{page} {lang}");
                assert_eq!(texts(&doc, "h1").len(), 1, "{page} {lang}");
            }
        }
        // No contact set: the family is told who to ask instead of an empty gap. (The last
        // language chosen, Polish, is remembered until another is chosen.)
        let (_, doc) = s.page("/privacy").await;
        assert_eq!(attr(&doc, "html", "lang").as_deref(), Some("pl"));
        let (_, doc) = s.page("/privacy?lang=en").await;
        assert!(doc
            .root_element()
            .html()
            .contains("contact <bdi>the practitioner who works with your family</bdi>"));
        // Every cookie Hearth sets is on the cookies page.
        let (_, doc) = s.page("/cookies").await;
        let cookies = doc.root_element().html();
        for name in ["hearth_lang", "hearth_csrf", "hearth_session"] {
            assert!(cookies.contains(name), "{name}");
        }
        // The footer of a family page and of a staff page links all three, in the page's
        // language.
        let (_, find) = s.page("/find?lang=pl").await;
        let links = texts(&find, "footer a");
        assert_eq!(links, vec!["Prywatność", "Dostępność", "Pliki cookie"]);
        assert_eq!(
            attr(&find, "footer a", "href").as_deref(),
            Some("/privacy?lang=pl")
        );
        let (_, sign_in) = s.page("/sign-in").await;
        assert_eq!(
            texts(&sign_in, "footer a"),
            vec!["Privacy", "Accessibility", "Cookies"]
        );
    }
);

both_engines!(
    the_partnerships_own_pages_replace_hearths_and_are_shown_safely,
    |store| async move {
        let dir = std::env::temp_dir().join(format!(
            "hearth-site-pages-{}-{:?}",
            std::process::id(),
            store.engine()
        ));
        std::fs::create_dir_all(dir.join("en")).unwrap();
        std::fs::create_dir_all(dir.join("ar")).unwrap();
        std::fs::write(
            dir.join("en/privacy.md"),
            "# Our privacy notice\n\nWrite to {privacy_contact}.\n\n<script>alert(1)</script>\n\n[Bad](javascript:alert(1)) [Good](https://example.org/)",
        )
        .unwrap();
        std::fs::write(dir.join("ar/cookies.md"), "# ملفاتنا\n\nنص الشراكة.").unwrap();
        let pages = dir.clone();
        let s = Server::start_with_settings(store, move |w| {
            w.site_pages_dir = Some(pages);
            w.privacy_contact = Some("dpo@example.org".into());
        })
        .await;

        let (_, doc) = s.page("/privacy").await;
        assert_eq!(texts(&doc, "h1"), vec!["Our privacy notice"]);
        let html = doc.root_element().html();
        assert!(html.contains(r#"href="mailto:dpo@example.org""#), "{html}");
        assert!(!html.contains("<script>alert"), "written HTML is not run");
        assert!(html.contains("alert(1)"), "it is shown as text");
        assert!(
            !html.contains("javascript:"),
            "unsafe links lose their address"
        );
        assert!(html.contains(r#"href="https://example.org/""#));

        // Arabic: the partnership wrote no Arabic privacy notice, so its English one is
        // shown, marked as English inside the Arabic page.
        let (_, doc) = s.page("/privacy?lang=ar").await;
        assert_eq!(attr(&doc, "html", "dir").as_deref(), Some("rtl"));
        assert_eq!(
            attr(&doc, "main .govuk-grid-column-two-thirds", "lang").as_deref(),
            Some("en")
        );
        assert_eq!(texts(&doc, "h1"), vec!["Our privacy notice"]);
        // Its own Arabic cookies page is used, and Hearth's for the page it did not write.
        let (_, doc) = s.page("/cookies?lang=ar").await;
        assert_eq!(texts(&doc, "h1"), vec!["ملفاتنا"]);
        let (_, doc) = s.page("/accessibility?lang=ar").await;
        assert_eq!(texts(&doc, "h1"), vec!["بيان إمكانية الوصول"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
);
