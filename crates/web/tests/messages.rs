//! The outbox page and one's own choices about email over real HTTP, on both engines: the
//! administrator reads the outbox (told that nothing goes without a mail server) and sends a
//! failed message again through its no-JavaScript form; every other role is refused both,
//! each refusal audited; a user's choice comes back with "Error: " and what to fix when it
//! is not one of the choices, and is kept when it is.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::Origin;
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use hearth_testkit::server::Server;
use reqwest::StatusCode;

async fn denied(store: &hearth_app::Store) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'access_denied'")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

both_engines!(
    the_outbox_is_for_administrators_and_a_failed_message_goes_again,
    |store| async move {
        let s = Server::start(store.clone()).await;
        // The front door's decision queues a message to the requester.
        Family::new("Wren")
            .child("Ada", "07/08/2016")
            .need("housing")
            .targeted(&s.hearth, Origin::default())
            .await;
        let mut conn = store.write().await.unwrap();
        let id: String = sqlx::query_scalar(
            "UPDATE messages SET state = 'failed', last_error = 'Mailbox unavailable'
             WHERE recipient = 'lead@demo.hearth.test' RETURNING id",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        hearth_app::Store::commit(conn).await.unwrap();

        for role in ["worker", "manager", "frontdoor", "dpo"] {
            let w = s.new_browser();
            w.sign_in(&format!("{role}@demo.hearth.test")).await;
            let before = denied(&store).await;
            assert_eq!(
                w.get("/admin/messages").await.status(),
                StatusCode::FORBIDDEN,
                "{role}"
            );
            let csrf = w.csrf("/account/password").await;
            let res = w
                .post(
                    &format!("/admin/messages/{id}/retry"),
                    &[("csrf_token", &csrf)],
                )
                .await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{role}");
            assert_eq!(
                denied(&store).await,
                before + 2,
                "{role}: each refusal audited"
            );
        }

        s.sign_in("admin@demo.hearth.test").await;
        let page = s.get("/admin/messages").await.text().await.unwrap();
        assert!(page.contains("No mail server is set up"));
        let failed = s
            .get("/admin/messages?state=failed")
            .await
            .text()
            .await
            .unwrap();
        assert!(failed.contains("lead@demo.hearth.test"));
        assert!(failed.contains("Mailbox unavailable"));
        assert!(failed.contains("Outcome of a request for support"));
        assert!(
            !failed.contains("Sign in to read the decision"),
            "never its words"
        );
        let csrf = s.csrf("/admin/messages?state=failed").await;
        // Without the form's token: refused, nothing changes.
        let res = s.post(&format!("/admin/messages/{id}/retry"), &[]).await;
        assert_ne!(res.status(), StatusCode::SEE_OTHER);
        let res = s
            .post(
                &format!("/admin/messages/{id}/retry"),
                &[("csrf_token", &csrf)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let queued = s
            .get("/admin/messages?state=queued&done=retried")
            .await
            .text()
            .await
            .unwrap();
        assert!(queued.contains("Message queued to be sent again."));
        assert!(queued.contains("lead@demo.hearth.test"));
        let mut conn = store.read().await.unwrap();
        let looks: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_events WHERE action IN ('messages_viewed', 'message_retried')",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        assert!(looks >= 4, "each look and the retry are audited: {looks}");
    }
);

both_engines!(
    a_user_chooses_no_email_in_polish_and_a_bad_choice_says_what_to_fix,
    |store| async move {
        let s = Server::start(store).await;
        s.sign_in("worker@demo.hearth.test").await;
        let csrf = s.csrf("/account/messages").await;
        let res = s
            .post(
                "/account/messages",
                &[
                    ("csrf_token", &csrf),
                    ("email", "maybe"),
                    ("language", "pl"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = res.text().await.unwrap();
        assert!(page.contains("Choose whether Hearth may email you"));
        assert!(page.contains("Error:"));
        assert!(
            page.contains(r#"value="pl" selected"#),
            "what was chosen is kept"
        );
        let res = s
            .post(
                "/account/messages",
                &[
                    ("csrf_token", &csrf),
                    ("email", "off"),
                    ("language", "pl"),
                    ("remind_by", "email"),
                    ("mobile", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let page = s
            .get("/account/messages?saved=1")
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Your choices about messages have been saved."));
        assert!(page.contains(r#"value="off" checked"#));
        assert!(page.contains(r#"value="pl" selected"#));
    }
);

both_engines!(
    a_user_chooses_reminders_by_text_and_a_missing_number_says_what_to_fix,
    |store| async move {
        let s = Server::start(store).await;
        s.sign_in("worker@demo.hearth.test").await;
        let page = s.get("/account/messages").await.text().await.unwrap();
        assert!(page.contains("Reminders of work due"));
        assert!(
            page.contains(r#"value="email" checked"#),
            "email by default"
        );
        let csrf = s.csrf("/account/messages").await;
        let choice = |remind_by, mobile| {
            [
                ("csrf_token", csrf.as_str()),
                ("email", "on"),
                ("language", "en"),
                ("remind_by", remind_by),
                ("mobile", mobile),
            ]
        };
        let pairs = choice("text", "");
        let res = s.post("/account/messages", &pairs).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = res.text().await.unwrap();
        assert!(page.contains("Enter your mobile phone number, for reminders by text message"));
        assert!(
            page.contains(r##"href="#mobile""##),
            "the summary links to the field"
        );
        assert!(
            page.contains(r#"value="text" checked"#),
            "what was chosen is kept"
        );

        let pairs = choice("both", "07700 900987");
        let res = s.post("/account/messages", &pairs).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let page = s
            .get("/account/messages?saved=1")
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains(r#"value="both" checked"#));
        assert!(page.contains(r#"value="+447700900987""#), "{page}");
    }
);
