//! Text messages (ADR 0049) through the app's public interface on both engines, sent to a
//! real SMS gateway (Debian's Kannel with its test SMS centre, started by the test): a
//! family's link arrives as a text in their language, UCS-2 where it must be; texts and email
//! are claimed apart; a gateway that refuses fails the text for good and one that is down
//! keeps it queued; a delivery report needs the token made for its text, and each report and
//! refusal is audited without the number or the words.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Duration, Utc};
use hearth_app::accounts::auth::token_hash;
use hearth_app::messages::queue::Letter;
use hearth_app::messages::{DeliveryReport, Kannel, KannelSettings, ReportOutcome};
use hearth_app::records::AuditQuery;
use hearth_app::Hearth;
use hearth_domain::audit::AuditAction;
use hearth_domain::ids::MessageId;
use hearth_domain::message::{Channel, MessageState, Template};
use hearth_domain::sms::{Delivery, MobileNumber};
use hearth_store::family::people;
use hearth_store::messages::sending;
use hearth_store::Store;
use hearth_testkit::app::{actor, hearth_linking_to, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::{self, Targeted};
use hearth_testkit::sms::{SmsGateway, PASSWORD as GATEWAY_PASSWORD, USERNAME};

async fn hearth(store: Store) -> Hearth {
    hearth_linking_to(store, "https://hearth.example").await
}

fn kannel(url: String, password: &str) -> Kannel {
    Kannel::new(&KannelSettings {
        sendsms_url: url,
        username: USERNAME.into(),
        password: password.into(),
        from: Some("FamilyHelp".into()),
    })
    .unwrap()
}

/// A family with an open episode (the parent's first language is set to Polish below).
async fn family(h: &Hearth) -> Targeted {
    episodes::Family::new("Nowak")
        .child("Zofia", &years_ago(14))
        .parent("Agnieszka", &years_ago(38))
        .need("housing")
        .targeted(h, hearth_app::Origin::default())
        .await
}

/// Queues the family's page link to the parent by text, as the practitioner's choice would.
async fn text_parent(h: &Hearth, store: &Store, t: &Targeted, typed: &str) -> MessageId {
    let mut tx = store.write().await.unwrap();
    sqlx::query("UPDATE people SET first_language = 'Polish' WHERE id = $1")
        .bind(t.people[1].to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let parent = people::get(&mut tx, t.people[1]).await.unwrap();
    let number = MobileNumber::parse(typed).unwrap();
    let id = h
        .queue_text_for_person(
            &mut tx,
            &parent,
            &number,
            &Letter {
                template: Template::FamilyPageLink,
                values: vec![("expires", "07/12/2026".into())],
                path: "/own/link/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
                record_type: "episode",
                record_id: t.episode.to_string(),
            },
            h.now(),
        )
        .await
        .unwrap()
        .unwrap();
    Store::commit(tx).await.unwrap();
    id
}

async fn audited(h: &Hearth, action: AuditAction) -> Vec<Option<String>> {
    h.search_audit(
        &actor(h, "admin@demo.hearth.test").await,
        &AuditQuery::default(),
    )
    .await
    .unwrap()
    .into_iter()
    .filter(|e| e.action == action)
    .map(|e| e.detail)
    .collect()
}

async fn state(store: &Store, id: MessageId) -> (String, String) {
    let mut conn = store.read().await.unwrap();
    sqlx::query_as("SELECT state, body_text FROM messages WHERE id = $1")
        .bind(id.to_string())
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

both_engines!(
    a_family_link_arrives_as_a_text_in_their_language,
    |store| async move {
        let Some(gateway) = SmsGateway::start() else {
            return;
        };
        let h = hearth(store.clone()).await;
        let t = family(&h).await;
        let id = text_parent(&h, &store, &t, "07700 900123").await;

        // The email sender never takes a text.
        let email = sending::claim(&store, Channel::Email, "mail", h.now(), 10)
            .await
            .unwrap();
        assert!(email
            .iter()
            .all(|m| m.channel == Channel::Email && m.id != id));

        let report = h
            .send_texts_due(&kannel(gateway.sendsms_url(), GATEWAY_PASSWORD), "texts")
            .await
            .unwrap();
        assert_eq!((report.sent, report.failed, report.retrying), (1, 0, 0));
        let got = gateway.wait_for_texts(1);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].to, "+447700900123");
        assert_eq!(got[0].from, "FamilyHelp");
        // Three network texts put back together, as the domain's count said.
        assert_eq!(gateway.parts_received(), 3);
        // Polish letters outside GSM-7: the whole text is UCS-2.
        assert_eq!(got[0].coding, "ucs-2");
        assert!(
            got[0]
                .text
                .starts_with("Family Help: link do strony Twojej rodziny."),
            "{}",
            got[0].text
        );
        assert!(got[0].text.ends_with(
            "https://hearth.example/own/link/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
        ));

        // Sent: the link is kept nowhere, and a second round sends nothing again.
        let (s, body) = state(&store, id).await;
        assert_eq!((s.as_str(), body.as_str()), (MessageState::Sent.code(), ""));
        let again = h
            .send_texts_due(&kannel(gateway.sendsms_url(), GATEWAY_PASSWORD), "texts")
            .await
            .unwrap();
        assert_eq!(again.sent, 0);
        assert_eq!(gateway.wait_for_texts(2).len(), 1);

        // Audited without the number or the words: its last three digits only.
        let queued = audited(&h, AuditAction::TextQueued).await;
        assert_eq!(queued.len(), 1);
        let detail = queued[0].clone().unwrap();
        assert!(detail.contains("\"number_ends\":\"123\""), "{detail}");
        assert!(
            !detail.contains("7700") && !detail.contains("abcdefgh"),
            "{detail}"
        );
    }
);

both_engines!(
    a_gateway_that_refuses_fails_the_text_and_one_that_is_down_keeps_it,
    |store| async move {
        let Some(gateway) = SmsGateway::start() else {
            return;
        };
        let h = hearth(store.clone()).await;
        let t = family(&h).await;
        let id = text_parent(&h, &store, &t, "+44 7700 900456").await;

        // Nothing listening: queued again for later.
        let down = format!("http://127.0.0.1:{}/cgi-bin/sendsms", {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        });
        let r = h
            .send_texts_due(&kannel(down, GATEWAY_PASSWORD), "texts")
            .await
            .unwrap();
        assert_eq!((r.sent, r.retrying), (0, 1));
        assert_eq!(state(&store, id).await.0, MessageState::Queued.code());

        // A wrong password: Kannel refuses (403), for good — and the password is in no error.
        let mut conn = store.write().await.unwrap();
        sqlx::query("UPDATE messages SET next_try_at = $1 WHERE id = $2")
            .bind(hearth_domain::time::to_text(
                Utc::now() - Duration::seconds(1),
            ))
            .bind(id.to_string())
            .execute(&mut *conn)
            .await
            .unwrap();
        Store::commit(conn).await.unwrap();
        let r = h
            .send_texts_due(&kannel(gateway.sendsms_url(), "not-the-password"), "texts")
            .await
            .unwrap();
        assert_eq!((r.sent, r.failed), (0, 1));
        let mut conn = store.read().await.unwrap();
        let (s, error): (String, String) =
            sqlx::query_as("SELECT state, last_error FROM messages WHERE id = $1")
                .bind(id.to_string())
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert_eq!(s, MessageState::Failed.code());
        assert!(error.starts_with("403"), "{error}");
        assert!(!error.contains("not-the-password"));
        assert!(gateway.received().is_empty());
    }
);

both_engines!(
    a_delivery_report_needs_its_texts_token,
    |store| async move {
        let h = hearth(store.clone()).await;
        let t = family(&h).await;
        let id = text_parent(&h, &store, &t, "07700 900789").await;
        let mut conn = store.write().await.unwrap();
        sqlx::query("UPDATE messages SET delivery_token_hash = $1 WHERE id = $2")
            .bind(token_hash("the-texts-own-token"))
            .bind(id.to_string())
            .execute(&mut *conn)
            .await
            .unwrap();
        Store::commit(conn).await.unwrap();
        let report = |token: &str, kind: &str| DeliveryReport {
            token: token.into(),
            kind: kind.into(),
            answer: "id:1 stat:DELIVRD".into(),
        };

        // A wrong token, none, an unknown or malformed id: refused and audited.
        let other = MessageId::new().to_string();
        for (msg, r) in [
            (id.to_string(), report("a-guess", "1")),
            (id.to_string(), report("", "1")),
            (other, report("the-texts-own-token", "1")),
            ("../../etc".to_string(), report("the-texts-own-token", "1")),
        ] {
            assert_eq!(
                h.record_text_delivery(&msg, &r, None).await.unwrap(),
                ReportOutcome::Refused
            );
        }
        assert_eq!(audited(&h, AuditAction::TextDeliveryRefused).await.len(), 4);

        let ok = |kind: &str| report("the-texts-own-token", kind);
        let mine = id.to_string();
        assert_eq!(
            h.record_text_delivery(&mine, &ok("8"), None).await.unwrap(),
            ReportOutcome::Recorded(Delivery::Accepted)
        );
        assert_eq!(
            h.record_text_delivery(&mine, &ok("1"), None).await.unwrap(),
            ReportOutcome::Recorded(Delivery::Delivered)
        );
        // A late "accepted" does not undo "delivered"; a type not asked for is ignored.
        for kind in ["8", "4x", ""] {
            assert_eq!(
                h.record_text_delivery(&mine, &ok(kind), None)
                    .await
                    .unwrap(),
                ReportOutcome::Ignored
            );
        }
        let reported = audited(&h, AuditAction::TextDeliveryReported).await;
        assert_eq!(reported.len(), 2);
        assert!(reported.iter().flatten().all(|d| !d.contains("789")));
        let mut conn = store.read().await.unwrap();
        let (delivery, detail): (String, String) =
            sqlx::query_as("SELECT delivery, delivery_detail FROM messages WHERE id = $1")
                .bind(id.to_string())
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert_eq!(delivery, "delivered");
        assert_eq!(detail, "id:1 stat:DELIVRD");
    }
);

#[test]
fn a_number_that_cannot_be_texted_is_refused_with_what_to_fix() {
    let e = MobileNumber::parse("0161 496 0000").unwrap_err();
    assert!(e.message().contains("landline"));
}
