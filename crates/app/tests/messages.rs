//! Messages through the app's public interface on both engines, sent to a real SMTP server
//! (aiosmtpd, started by the test): a family's feedback link and a TAF invitation arrive in
//! Polish; a mail server that is down keeps messages queued until it is back; a sender that
//! stopped mid-send never has its message sent again by another; the outbox is for
//! administrators only, each look and each refusal audited.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{DateTime, Duration, Utc};
use hearth_app::episodes::plan::{ActionForm, ActionUpdateForm, OutcomeForm, PlanForm};
use hearth_app::episodes::{ClosureForm, MemberForm, SignOff};
use hearth_app::messages::{Mailer, MailerSettings, MessagePolicy, Preferences, SmtpSecurity};
use hearth_app::records::AuditQuery;
use hearth_app::{AppError, Hearth, Policies};
use hearth_domain::audit::AuditAction;
use hearth_domain::message::{Channel, Language, MessageState, Template};
use hearth_store::messages::sending::{self, INTERRUPTED};
use hearth_store::Store;
use hearth_testkit::app::{actor, years_ago, PASSWORD};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::{self, Targeted};
use hearth_testkit::mail::MailServer;
use std::sync::{Arc, Mutex};

type Clock = Arc<Mutex<DateTime<Utc>>>;

/// A demo Hearth whose messages link to `https://hearth.example`, on a clock the test moves.
async fn hearth(store: Store) -> (Hearth, Clock) {
    let now: Clock = Arc::new(Mutex::new(Utc::now()));
    let clock = now.clone();
    let h = Hearth::with_clock(
        store,
        Policies {
            messages: MessagePolicy {
                public_url: "https://hearth.example".into(),
                email_delivered: true,
            },
            ..Policies::default()
        },
        Arc::new(move || *clock.lock().unwrap()),
    );
    h.seed_demo(PASSWORD).await.unwrap();
    (h, now)
}

fn mailer(server: &MailServer) -> Mailer {
    Mailer::new(&MailerSettings {
        host: "127.0.0.1".into(),
        port: server.port,
        security: SmtpSecurity::None,
        username: None,
        password: None,
        from: "Family Help <no-reply@hearth.example>".into(),
    })
    .unwrap()
}

async fn family(h: &Hearth) -> Targeted {
    episodes::Family::new("Nowak")
        .child("Zofia", &years_ago(14))
        .parent("Agnieszka", &years_ago(38))
        .need("family_relationships")
        .detail("family_relationships", "Arguments at home")
        .told("Mum asked for help")
        .targeted(h, hearth_app::Origin::default())
        .await
}

async fn audited(h: &Hearth, action: AuditAction) -> usize {
    h.search_audit(
        &actor(h, "admin@demo.hearth.test").await,
        &AuditQuery::default(),
    )
    .await
    .unwrap()
    .into_iter()
    .filter(|e| e.action == action)
    .count()
}

async fn body_kept(store: &Store, to: &str) -> Vec<String> {
    let mut conn = store.read().await.unwrap();
    sqlx::query_scalar("SELECT body_text FROM messages WHERE recipient = $1")
        .bind(to)
        .fetch_all(&mut *conn)
        .await
        .unwrap()
}

/// Plans, does and closes the family's help, and the manager signs the closure off.
async fn close(h: &Hearth, t: &Targeted) -> String {
    let due = Utc::now().date_naive() + Duration::days(14);
    let uk = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    h.save_plan(
        &t.worker,
        t.episode,
        &PlanForm {
            outcomes: vec![OutcomeForm {
                id: String::new(),
                text: "We want to eat tea together without rows".into(),
                needs: vec!["family_relationships".into()],
            }],
            actions: vec![ActionForm {
                outcome: "0".into(),
                what: "Family meal on Sundays".into(),
                owner: format!("user:{}", t.worker.user_id),
                due_on: uk(due),
                ..ActionForm::default()
            }],
            directory_services: Vec::new(),
            directory_services_for: Vec::new(),
            services: String::new(),
            agreed: "yes".into(),
            agreed_on: uk(due - Duration::days(14)),
            agreed_by: "Agnieszka and Zofia".into(),
            version: 0,
        },
    )
    .await
    .unwrap();
    let plan = h.plan(&t.worker, t.episode).await.unwrap().plan.unwrap();
    for a in &plan.fields.actions {
        h.update_action(
            &t.worker,
            t.episode,
            &a.id,
            &ActionUpdateForm {
                status: "done".into(),
                note: "Done".into(),
            },
        )
        .await
        .unwrap();
    }
    let e = h.episode(&t.worker, t.episode).await.unwrap().episode;
    h.record_closure(
        &t.worker,
        t.episode,
        &ClosureForm::from_pairs(&[
            ("reason".into(), "outcomes_met".into()),
            ("summary".into(), "Things are calmer".into()),
            ("result_family_relationships".into(), "achieved".into()),
            ("version".into(), e.version.to_string()),
        ]),
    )
    .await
    .unwrap();
    let v = h
        .episode(&t.manager, t.episode)
        .await
        .unwrap()
        .episode
        .version;
    h.decide_closure(&t.manager, t.episode, &SignOff::Approve, v)
        .await
        .unwrap()
        .unwrap()
        .path
}

both_engines!(
    a_familys_feedback_link_arrives_in_polish_and_is_then_kept_nowhere,
    |store| async move {
        let Some(server) = MailServer::start() else {
            return;
        };
        let (h, _) = hearth(store.clone()).await;
        let t = family(&h).await;
        // The mother gave her address and speaks Polish; the child's address is not written to.
        let mut conn = store.write().await.unwrap();
        for (person, email, language) in [
            (t.people[1], "agnieszka@nowak.example", "Polish"),
            (t.people[0], "zofia@nowak.example", "Polish"),
        ] {
            sqlx::query("UPDATE people SET email = $1, first_language = $2 WHERE id = $3")
                .bind(email)
                .bind(language)
                .bind(person.to_string())
                .execute(&mut *conn)
                .await
                .unwrap();
        }
        Store::commit(conn).await.unwrap();
        let path = close(&h, &t).await;

        let report = h.send_due(&mailer(&server), "sender-a").await.unwrap();
        assert_eq!(report.failed, 0);
        let received = server.received();
        let to_family: Vec<_> = received
            .iter()
            .filter(|m| m.to.contains("nowak.example"))
            .collect();
        assert_eq!(to_family.len(), 1, "the mother only: {received:?}");
        let m = to_family[0];
        assert_eq!(m.to, "agnieszka@nowak.example");
        assert_eq!(
            m.subject,
            "Jak oceniasz pomoc, którą otrzymała Twoja rodzina?"
        );
        assert!(m.text.contains("Pomoc dla Twojej rodziny dobiegła końca"));
        assert!(m.text.contains(&format!("https://hearth.example{path}")));
        assert!(m.html.contains("lang=\"pl\""));
        assert!(m
            .html
            .contains(&format!("href=\"https://hearth.example{path}\"")));
        assert!(m.message_id.ends_with("@hearth>"));
        // Sent: the link is no longer kept in the outbox.
        assert_eq!(
            body_kept(&store, "agnieszka@nowak.example").await,
            vec![String::new()]
        );
        // Nothing is sent twice.
        let again = h.send_due(&mailer(&server), "sender-a").await.unwrap();
        assert_eq!(again.sent, 0);
        assert_eq!(server.received().len(), received.len());
    }
);

both_engines!(
    a_taf_invitation_waits_while_the_mail_server_is_down_and_arrives_in_polish,
    |store| async move {
        let Some(mut server) = MailServer::start() else {
            return;
        };
        let (h, clock) = hearth(store.clone()).await;
        let t = family(&h).await;
        let practitioner = actor(&h, "practitioner@demo.hearth.test").await;
        h.set_message_preferences(
            &practitioner,
            Preferences {
                email: true,
                language: Language::Pl,
            },
        )
        .await
        .unwrap();
        // Someone who turned email off is told nothing.
        let reviewer = actor(&h, "reviewer@demo.hearth.test").await;
        h.set_message_preferences(
            &reviewer,
            Preferences {
                email: false,
                language: Language::En,
            },
        )
        .await
        .unwrap();
        assert_eq!(audited(&h, AuditAction::MessagePreferenceChanged).await, 2);
        for who in [&practitioner, &reviewer] {
            h.add_taf_member(
                &t.worker,
                t.episode,
                &MemberForm {
                    user_id: who.user_id.to_string(),
                    role: "School nurse".into(),
                    ..MemberForm::default()
                },
            )
            .await
            .unwrap();
        }
        assert!(body_kept(&store, "reviewer@demo.hearth.test")
            .await
            .is_empty());

        server.down();
        let m = mailer(&server);
        let report = h.send_due(&m, "sender-a").await.unwrap();
        assert_eq!(report.sent, 0);
        assert!(report.retrying >= 1, "{report:?}");
        assert_eq!(report.failed, 0);
        // Not due again for a minute: nothing is tried meanwhile.
        let report = h.send_due(&m, "sender-a").await.unwrap();
        assert_eq!(report, Default::default());
        let admin = actor(&h, "admin@demo.hearth.test").await;
        let outbox = h.outbox(&admin, MessageState::Queued).await.unwrap();
        let waiting = outbox
            .messages
            .iter()
            .find(|m| m.recipient == "practitioner@demo.hearth.test")
            .unwrap();
        assert_eq!(waiting.template, Template::TafInvitation);
        assert_eq!(waiting.language, Language::Pl);
        assert_eq!(waiting.attempts, 1);
        assert!(waiting.last_error.is_some());

        server.up();
        *clock.lock().unwrap() += Duration::minutes(2);
        let report = h.send_due(&m, "sender-b").await.unwrap();
        assert!(report.sent >= 1, "{report:?}");
        assert_eq!(report.retrying, 0);
        let received = server.received();
        let invitation: Vec<_> = received
            .iter()
            .filter(|m| m.to == "practitioner@demo.hearth.test")
            .collect();
        assert_eq!(invitation.len(), 1);
        assert_eq!(invitation[0].subject, "Dołączyłeś do zespołu wokół rodziny");
        assert!(invitation[0]
            .text
            .contains(&format!("https://hearth.example/episodes/{}", t.episode)));
        // No family's details travel by email.
        assert!(!invitation[0].text.contains("Nowak"));
        let sent = h.outbox(&admin, MessageState::Sent).await.unwrap();
        let s = sent
            .messages
            .iter()
            .find(|m| m.recipient == "practitioner@demo.hearth.test")
            .unwrap();
        assert_eq!(s.attempts, 2);
        assert!(s.provider_message_id.as_deref().unwrap().starts_with("250"));
        // The lead heard the front door's decision on their request, in English.
        assert!(received.iter().any(|m| m.to == "lead@demo.hearth.test"
            && m.subject == "A decision on your request for support"));
    }
);

both_engines!(
    a_message_is_held_by_one_sender_and_never_sent_again_after_a_stop_mid_send,
    |store| async move {
        let (h, _) = hearth(store.clone()).await;
        let admin = actor(&h, "admin@demo.hearth.test").await;
        let worker = actor(&h, "worker@demo.hearth.test").await;
        // A password reset link is queued in the same transaction as the link.
        let made = h.make_password_reset(&admin, worker.user_id).await.unwrap();
        assert_eq!(made.sent_to.as_deref(), Some("worker@demo.hearth.test"));
        assert!(made.token.is_none(), "the administrator never sees it");

        // Two senders at once: one holds it.
        let now = Utc::now() + Duration::seconds(1);
        let (a, b) = tokio::join!(
            sending::claim(&store, Channel::Email, "sender-a", now, 10),
            sending::claim(&store, Channel::Email, "sender-b", now, 10)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        let held: Vec<_> = a
            .iter()
            .chain(b.iter())
            .filter(|m| m.address == "worker@demo.hearth.test")
            .collect();
        assert_eq!(held.len(), 1, "claimed by exactly one sender");
        let id = held[0].id;
        let holder = if a.iter().any(|m| m.id == id) {
            "sender-a"
        } else {
            "sender-b"
        };
        // The holder stops mid-send (a restart). Another sender, before the lease ends: nothing.
        let later = sending::claim(
            &store,
            Channel::Email,
            "sender-c",
            now + Duration::seconds(60),
            10,
        )
        .await
        .unwrap();
        assert!(later.iter().all(|m| m.id != id));
        // After the lease: still not sent again; failed, for an administrator to decide.
        let after = sending::claim(
            &store,
            Channel::Email,
            "sender-c",
            now + Duration::seconds(600),
            10,
        )
        .await
        .unwrap();
        assert!(after.iter().all(|m| m.id != id));
        let failed = h.outbox(&admin, MessageState::Failed).await.unwrap();
        let f = failed.messages.iter().find(|m| m.id == id).unwrap();
        assert_eq!(f.last_error.as_deref(), Some(INTERRUPTED));
        // The stopped sender's late word changes nothing.
        let mut tx = store.write().await.unwrap();
        assert!(!sending::sent(&mut tx, id, holder, "250 late", now)
            .await
            .unwrap());
        Store::commit(tx).await.unwrap();

        // An administrator sends it again (audited); the refusal of anyone else is audited.
        let retried = audited(&h, AuditAction::MessageRetried).await;
        h.retry_message(&admin, id).await.unwrap();
        assert_eq!(audited(&h, AuditAction::MessageRetried).await, retried + 1);
        assert!(matches!(
            h.retry_message(&admin, id).await,
            Err(AppError::Conflict)
        ));
        let denied = audited(&h, AuditAction::AccessDenied).await;
        assert!(matches!(
            h.retry_message(&worker, id).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.outbox(&worker, MessageState::Queued).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(audited(&h, AuditAction::AccessDenied).await, denied + 2);
        let again = sending::claim(
            &store,
            Channel::Email,
            "sender-d",
            Utc::now() + Duration::seconds(1),
            10,
        )
        .await
        .unwrap();
        assert!(again.iter().any(|m| m.id == id));
        let views = audited(&h, AuditAction::MessagesViewed).await;
        assert!(views >= 2, "each look at the outbox is audited");
    }
);

both_engines!(
    a_stored_state_template_or_language_that_does_not_decode_is_an_error,
    |store| async move {
        let (h, _) = hearth(store.clone()).await;
        let admin = actor(&h, "admin@demo.hearth.test").await;
        let worker = actor(&h, "worker@demo.hearth.test").await;
        h.make_password_reset(&admin, worker.user_id).await.unwrap();
        let corrupt = |sql: &'static str| {
            let store = store.clone();
            async move {
                let mut tx = store.write().await.unwrap();
                sqlx::query(sql).execute(&mut *tx).await.unwrap();
                Store::commit(tx).await.unwrap();
            }
        };
        let is_corrupt = |r: Result<(), AppError>| {
            assert!(
                matches!(
                    r,
                    Err(AppError::Store(hearth_store::StoreError::Corrupt(_)))
                ),
                "{r:?}"
            )
        };
        for (bad, good) in [
            (
                "UPDATE messages SET template = 'memo'",
                "UPDATE messages SET template = 'password_reset'",
            ),
            (
                "UPDATE messages SET language = 'xx'",
                "UPDATE messages SET language = 'en'",
            ),
            (
                "UPDATE messages SET state = 'lost'",
                "UPDATE messages SET state = 'queued'",
            ),
        ] {
            corrupt(bad).await;
            is_corrupt(h.outbox(&admin, MessageState::Queued).await.map(|_| ()));
            corrupt(good).await;
            assert!(h.outbox(&admin, MessageState::Queued).await.is_ok());
        }
        corrupt("UPDATE users SET message_language = 'klingon'").await;
        is_corrupt(h.message_preferences(&worker).await.map(|_| ()));
    }
);

// A measurement, not a check: run with `-- --ignored --nocapture` (docs/benchmarks.md).
mod measure {
    use super::*;
    use hearth_store::messages::{enqueue, NewMessage, Recipient};

    async fn send_200(store: Store, engine: &str) {
        let Some(server) = MailServer::start() else {
            return;
        };
        let (h, _) = hearth(store.clone()).await;
        let worker = actor(&h, "worker@demo.hearth.test").await;
        let mut tx = store.write().await.unwrap();
        let queued_at = h.now() - Duration::seconds(1);
        for _ in 0..200 {
            enqueue(
                &mut tx,
                &NewMessage {
                    channel: hearth_domain::message::Channel::Email,
                    template: Template::TafInvitation,
                    language: Language::Pl,
                    address: "worker@demo.hearth.test",
                    recipient: Recipient::User(worker.user_id),
                    record_type: None,
                    record_id: None,
                    subject: "Dołączyłeś do zespołu wokół rodziny",
                    body_text: "Dzień dobry.",
                    body_html: "<p>Dzień dobry.</p>",
                    not_before: None,
                },
                queued_at,
            )
            .await
            .unwrap();
        }
        Store::commit(tx).await.unwrap();
        let before = server.received().len();
        let started = std::time::Instant::now();
        let mut sent = 0;
        while sent < 200 {
            let r = h.send_due(&mailer(&server), "measure").await.unwrap();
            assert_eq!(r.retrying + r.failed, 0);
            sent += r.sent;
        }
        let took = started.elapsed();
        assert_eq!(server.received().len() - before, 200);
        println!(
            "{engine}: 200 messages sent to aiosmtpd in {:.2} s ({:.0} a second)",
            took.as_secs_f64(),
            200.0 / took.as_secs_f64()
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "a measurement"]
    async fn sending_200_messages_sqlite() {
        let (_url, store) = hearth_testkit::sqlite().await;
        send_200(store, "SQLite").await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "a measurement"]
    async fn sending_200_messages_postgres() {
        let Some((_url, store)) = hearth_testkit::postgres().await else {
            return;
        };
        send_200(store, "PostgreSQL").await;
    }
}

both_engines!(
    a_feedback_link_goes_by_the_channels_each_grown_up_chose,
    |store| async move {
        let (h, clock) = hearth(store.clone()).await;
        let t = family(&h).await;
        // The mother chose email and text, and said texting is safe between 09:00 and 17:00.
        let mut conn = store.write().await.unwrap();
        sqlx::query(
            "UPDATE people SET email = 'agnieszka@nowak.example', first_language = 'Polish',
                 mobile = '+447700900123', safe_to_text = 'yes', safe_hours = '09:00-17:00',
                 contact_by = 'both' WHERE id = $1",
        )
        .bind(t.people[1].to_string())
        .execute(&mut *conn)
        .await
        .unwrap();
        Store::commit(conn).await.unwrap();
        close(&h, &t).await;
        let mut conn = store.read().await.unwrap();
        let sent: Vec<(String, String)> = sqlx::query_as(
            "SELECT channel, recipient FROM messages WHERE template = 'feedback_link'
             ORDER BY channel",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        drop(conn);
        assert_eq!(sent.len(), 2, "{sent:?}");
        assert_eq!(
            (sent[0].0.as_str(), sent[0].1.as_str()),
            ("email", "agnieszka@nowak.example")
        );
        assert_eq!(
            (sent[1].0.as_str(), sent[1].1.as_str()),
            ("sms", "+447700900123")
        );

        // Text alone, but texting is no longer safe: the link goes by email rather than not
        // at all.
        let mut conn = store.write().await.unwrap();
        sqlx::query("UPDATE people SET safe_to_text = 'no', contact_by = 'text' WHERE id = $1")
            .bind(t.people[1].to_string())
            .execute(&mut *conn)
            .await
            .unwrap();
        Store::commit(conn).await.unwrap();
        *clock.lock().unwrap() += Duration::minutes(1);
        h.new_feedback_link(&t.worker, t.episode).await.unwrap();
        let mut conn = store.read().await.unwrap();
        let channels: Vec<String> = sqlx::query_scalar(
            "SELECT channel FROM messages WHERE template = 'feedback_link' ORDER BY created_at, channel",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        assert_eq!(channels, vec!["email", "sms", "email"]);
    }
);
