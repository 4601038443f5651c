//! Text messages over real HTTP on both engines (ADR 0049): a family's link goes through a
//! real SMS gateway (Kannel with its test SMS centre) and the gateway's own delivery report
//! comes back to Hearth's route and shows on the administrator's outbox page; a report with a
//! wrong token, none, another text's, or for an unknown message is refused and audited, and
//! changes nothing.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::messages::queue::Letter;
use hearth_app::messages::{Kannel, KannelSettings, MessagePolicy};
use hearth_app::{Origin, Store};
use hearth_domain::message::Template;
use hearth_domain::sms::MobileNumber;
use hearth_store::family::people;
use hearth_testkit::app::audited;
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use hearth_testkit::server::Server;
use hearth_testkit::sms::{SmsGateway, PASSWORD, USERNAME};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

async fn delivery(store: &Store, id: &str) -> Option<String> {
    let mut conn = store.read().await.unwrap();
    sqlx::query_scalar("SELECT delivery FROM messages WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

both_engines!(
    the_gateways_delivery_report_is_recorded_and_a_forged_one_refused,
    |store| async move {
        let Some(gateway) = SmsGateway::start() else {
            return;
        };
        // Hearth's own address is where the gateway reports delivery.
        let s = Server::start_with_policies(store.clone(), |p, base| {
            p.messages = MessagePolicy {
                public_url: base.to_string(),
                email_delivered: false,
            };
        })
        .await;
        let t = Family::new("Wren")
            .child("Ada", "07/08/2016")
            .parent("Bea", "01/02/1990")
            .need("housing")
            .targeted(&s.hearth, Origin::default())
            .await;
        let mut tx = store.write().await.unwrap();
        let parent = people::get(&mut tx, t.people[1]).await.unwrap();
        let id = s
            .hearth
            .queue_text_for_person(
                &mut tx,
                &parent,
                &MobileNumber::parse("07700 900321").unwrap(),
                &Letter {
                    template: Template::FeedbackLink,
                    values: vec![("expires", "07/12/2026".into())],
                    path: "/feedback/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
                    record_type: "episode",
                    record_id: t.episode.to_string(),
                },
                s.hearth.now(),
            )
            .await
            .unwrap()
            .unwrap()
            .to_string();
        Store::commit(tx).await.unwrap();

        let kannel = Kannel::new(&KannelSettings {
            sendsms_url: gateway.sendsms_url(),
            username: USERNAME.into(),
            password: PASSWORD.into(),
            from: None,
        })
        .unwrap();
        let sent = s.hearth.send_texts_due(&kannel, "web-test").await.unwrap();
        assert_eq!(sent.sent, 1);
        let got = gateway.wait_for_texts(1);
        assert_eq!(got.len(), 1, "{got:?}");
        // English in GSM-7, in as many texts as the network counts for what arrived (the
        // link's length depends on Hearth's address: two here).
        assert_eq!(got[0].coding, "text");
        let counted = hearth_domain::sms::length(&got[0].text);
        assert_eq!(counted.coding, hearth_domain::sms::Coding::Gsm7);
        assert_eq!(gateway.parts_received(), counted.segments);
        assert!(got[0]
            .text
            .contains("/feedback/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"));

        // Kannel's own report reaches the route and is recorded.
        let started = Instant::now();
        while delivery(&store, &id).await.as_deref() != Some("delivered") {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no delivery report: {:?}",
                delivery(&store, &id).await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(audited(&store, "text_delivery_reported").await >= 1);

        s.sign_in("admin@demo.hearth.test").await;
        let page = s
            .get("/admin/messages?state=sent")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Text message: Family&#39;s feedback link")
                || page.contains("Text message: Family's feedback link"),
            "{page}"
        );
        assert!(page.contains("Delivered to the phone"));
        assert!(
            !page.contains("abcdefghijklmnopqrstuvwxyz"),
            "the link is kept nowhere"
        );

        // Forged reports: refused, audited, nothing changed.
        let anon = s.new_browser();
        let before = audited(&store, "text_delivery_refused").await;
        let unknown = hearth_domain::ids::MessageId::new();
        for path in [
            format!("/texts/{id}/delivery?token=guess&type=2&answer=forged"),
            format!("/texts/{id}/delivery?type=2&answer=forged"),
            format!("/texts/{unknown}/delivery?token=guess&type=2"),
            "/texts/not-an-id/delivery?token=guess&type=2".to_string(),
        ] {
            assert_eq!(
                anon.get(&path).await.status(),
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        assert_eq!(audited(&store, "text_delivery_refused").await, before + 4);
        assert_eq!(delivery(&store, &id).await.as_deref(), Some("delivered"));
    }
);
