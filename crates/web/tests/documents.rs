//! Documents and letters over real HTTP (ADR 0043), with a real clamd: the upload form is a
//! multipart form whose CSRF token the session layer checks like any other (without it nothing
//! is kept); the EICAR file comes back on the form with the message at the file field; a clean
//! PDF is kept, listed and downloaded with its own type and name; the family plan comes out as
//! a PDF in Arabic; another team's user is refused the document.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::documents::{DocumentPolicy, ScannerSettings};
use hearth_app::{Hearth, Policies, Store};
use hearth_testkit::app::{years_ago, PASSWORD};
use hearth_testkit::both_engines;
use hearth_testkit::clamav::{ClamAv, EICAR};
use hearth_testkit::episodes::Family;
use hearth_testkit::server::Server;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use std::time::Duration;

const CONSENT: &[u8] = b"%PDF-1.4\n% Consent to share information, signed\n%%EOF\n";

fn upload(csrf: Option<&str>, title: &str, name: &str, bytes: &[u8]) -> Form {
    let mut form = Form::new();
    if let Some(token) = csrf {
        form = form.text("csrf_token", token.to_string());
    }
    form.text("kind", "signed_consent")
        .text("title", title.to_string())
        .part(
            "file",
            Part::bytes(bytes.to_vec())
                .file_name(name.to_string())
                .mime_str("application/pdf")
                .unwrap(),
        )
}

async fn documents(store: &Store) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query_scalar("SELECT COUNT(*) FROM documents")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

both_engines!(
    a_consent_is_uploaded_by_a_multipart_form_with_its_csrf_token,
    |store| async move {
        let Some(clam) = ClamAv::start() else {
            return;
        };
        let h = Hearth::new(
            store.clone(),
            Policies {
                documents: DocumentPolicy {
                    scanner: Some(ScannerSettings {
                        address: clam.address(),
                        timeout: Duration::from_secs(60),
                    }),
                    ..DocumentPolicy::default()
                },
                ..Policies::default()
            },
        );
        h.seed_demo(PASSWORD).await.unwrap();
        let lead = hearth_testkit::app::actor(&h, "lead@demo.hearth.test").await;
        let opened = Family::new("Haddad")
            .child("Yusuf", &years_ago(9))
            .parent("Amal", &years_ago(34))
            .need("education")
            .early_help(&h, &lead, "School knows the family best")
            .await;
        let mut s = Server::start_hearth(h).await;
        s.sign_in_fresh("lead@demo.hearth.test").await;
        let path = format!("/episodes/{}/documents", opened.episode);
        let csrf = s.csrf(&path).await;
        let post = |form: Form| s.client.post(s.url(&path)).multipart(form).send();

        // Without its token the form is not kept.
        let res = post(upload(None, "Consent", "consent.pdf", CONSENT))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(documents(&store).await, 0);

        // The EICAR file: the form again, the message at the file field, the title kept.
        let res = post(upload(
            Some(&csrf),
            "A report from a partner",
            "report.pdf",
            EICAR,
        ))
        .await
        .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("id=\"file-error\""), "{html}");
        assert!(html.contains("The selected file contains a virus"));
        assert!(
            html.contains("value=\"A report from a partner\""),
            "the title typed is kept"
        );
        assert_eq!(documents(&store).await, 0);

        // A clean PDF is kept, listed and downloaded as it was sent.
        let res = post(upload(
            Some(&csrf),
            "Consent, signed",
            "consent.pdf",
            CONSENT,
        ))
        .await
        .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert!(res.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("?done=uploaded"));
        assert_eq!(documents(&store).await, 1);
        let (_, page) = s.page(&path).await;
        let link = scraper::Selector::parse("a[href^='/documents/']").unwrap();
        let href = page
            .select(&link)
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap()
            .to_string();
        let res = s.get(&href).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert_eq!(
            res.headers()["content-disposition"],
            "attachment; filename=\"consent.pdf\""
        );
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        assert_eq!(res.bytes().await.unwrap().as_ref(), CONSENT);

        // The family plan, in Arabic, downloaded from where it is kept.
        let res = s
            .post(
                &format!("/episodes/{}/letters", opened.episode),
                &[
                    ("csrf_token", &csrf),
                    ("letter", "family_plan"),
                    ("language", "ar"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let letter = res.headers()["location"].to_str().unwrap().to_string();
        let res = s.get(&letter).await;
        assert_eq!(
            res.headers()["content-disposition"],
            "attachment; filename=\"family-plan-ar.pdf\""
        );
        let text = hearth_testkit::pdf::text(&res.bytes().await.unwrap());
        assert!(text.contains("خطة") && text.contains("عائلتك"), "{text}");

        // Someone with no part in the family's help is refused the document.
        s.sign_in_fresh("vcs-worker@demo.hearth.test").await;
        assert_eq!(s.get(&href).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(s.get(&path).await.status(), StatusCode::FORBIDDEN);
    }
);
