//! Reminders of work due (issue 23 item 3) through the app's public interface on both engines:
//! the lead of a family is reminded a few days before the assessment and the Team Around the
//! Family review fall due, and any practitioner before a plan action they own or a task
//! assigned to them does; once per piece of work and date, however often the round runs (and a
//! date moved later is reminded again); in the user's language, received by a real SMTP server
//! or as a text by a real Kannel, by the channels the user chose on their account; naming only
//! the kind of work and its date, never the family. A choice of texts without a number, or a
//! number that is not a UK mobile, is refused with a message at the field and nothing changes.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{DateTime, Duration, NaiveDate, Utc};
use hearth_app::episodes::plan::{ActionForm, OutcomeForm, PlanEdit, PlanForm};
use hearth_app::episodes::review::ReviewForm;
use hearth_app::messages::outbox::PreferencesForm;
use hearth_app::messages::reminders::WorkReminderPolicy;
use hearth_app::messages::{
    Kannel, KannelSettings, Mailer, MailerSettings, MessagePolicy, SmtpSecurity,
};
use hearth_app::{AppError, Hearth, Origin, Policies};
use hearth_domain::reminder::RemindBy;
use hearth_domain::task::TaskKind;
use hearth_store::episodes::tasks::{self, NewTask};
use hearth_store::Store;
use hearth_testkit::app::{years_ago, PASSWORD};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::{self, Targeted};
use hearth_testkit::mail::MailServer;
use hearth_testkit::sms::{SmsGateway, PASSWORD as GATEWAY_PASSWORD, USERNAME};
use std::sync::{Arc, Mutex};

type Clock = Arc<Mutex<DateTime<Utc>>>;

/// A demo Hearth linking to `https://hearth.example`, reminding three days before, on a clock
/// the test moves.
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
            work_reminders: WorkReminderPolicy { days_before: 3 },
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

fn uk(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn move_to(clock: &Clock, start: DateTime<Utc>, days: i64) {
    *clock.lock().unwrap() = start + Duration::days(days);
}

/// The Nowak family, led by the demo worker, with a plan whose one action the worker owns
/// (due in ten days) and one the mother owns; a task assigned to the worker due in two days,
/// and one for the whole team.
async fn family(h: &Hearth, store: &Store) -> Targeted {
    let t = episodes::Family::new("Nowak")
        .child("Zofia", &years_ago(14))
        .parent("Agnieszka", &years_ago(38))
        .need("family_relationships")
        .targeted(h, Origin::default())
        .await;
    let today = h.now().date_naive();
    let action = |what: &str, owner: String| ActionForm {
        outcome: "0".into(),
        what: what.into(),
        owner,
        due_on: uk(today + Duration::days(10)),
        ..ActionForm::default()
    };
    let plan = PlanForm {
        outcomes: vec![OutcomeForm {
            id: String::new(),
            text: "Zofia feels safe at home".into(),
            needs: vec!["family_relationships".into()],
        }],
        actions: vec![
            action(
                "Refer Zofia to young carers",
                format!("user:{}", t.worker.user_id),
            ),
            action(
                "Agnieszka calls the school",
                format!("person:{}", t.people[1]),
            ),
        ],
        directory_services: Vec::new(),
        directory_services_for: Vec::new(),
        services: String::new(),
        agreed: "yes".into(),
        agreed_on: uk(today),
        agreed_by: "Agnieszka".into(),
        version: 0,
    };
    assert!(matches!(
        h.save_plan(&t.worker, t.episode, &plan).await.unwrap(),
        PlanEdit::Saved { .. }
    ));
    let mut tx = store.write().await.unwrap();
    for (user, team) in [(Some(t.worker.user_id), None), (None, t.worker.team_id)] {
        tasks::insert(
            &mut tx,
            &NewTask {
                kind: TaskKind::QualityAction,
                episode: Some(t.episode),
                request: None,
                user,
                team,
                title: "Nowak family: record Zofia's wishes".into(),
                due_on: today + Duration::days(2),
            },
            h.now(),
        )
        .await
        .unwrap();
    }
    Store::commit(tx).await.unwrap();
    t
}

fn choose(language: &str, remind_by: RemindBy, mobile: &str) -> PreferencesForm {
    PreferencesForm {
        email: "on".into(),
        language: language.into(),
        remind_by: remind_by.code().into(),
        mobile: mobile.into(),
    }
}

both_engines!(
    each_piece_of_work_is_reminded_once_by_email_in_the_users_language,
    |store| async move {
        let Some(server) = MailServer::start() else {
            return;
        };
        let (h, clock) = hearth(store.clone()).await;
        let start = h.now();
        let t = family(&h, &store).await;
        h.save_message_preferences(&t.worker, &choose("pl", RemindBy::Email, ""))
            .await
            .unwrap();

        // Today: the worker's own task (in two days); not the team's, not the action yet.
        assert_eq!(h.queue_work_reminders().await.unwrap(), 1);
        // Again, as a second server or a restarted one would: nothing more.
        assert_eq!(h.queue_work_reminders().await.unwrap(), 0);
        // Eight days on: the worker's action (the mother's is not theirs to be reminded of).
        move_to(&clock, start, 8);
        assert_eq!(h.queue_work_reminders().await.unwrap(), 1);
        // Forty days on: the review, in six weeks by default (not yet the assessment, at 45).
        move_to(&clock, start, 40);
        assert_eq!(h.queue_work_reminders().await.unwrap(), 1);
        // Forty-three days on: the assessment; the review's date has passed.
        move_to(&clock, start, 43);
        assert_eq!(h.queue_work_reminders().await.unwrap(), 1);
        assert_eq!(h.queue_work_reminders().await.unwrap(), 0);

        // The outbox also holds the decision sent to whoever asked for the family's help.
        let report = h.send_due(&mailer(&server), "reminders").await.unwrap();
        assert_eq!((report.sent, report.failed), (5, 0), "{report:?}");
        let got: Vec<_> = server
            .received()
            .into_iter()
            .filter(|m| m.to == "worker@demo.hearth.test")
            .collect();
        assert_eq!(got.len(), 4, "{got:?}");
        let day = |n: i64| uk(start.date_naive() + Duration::days(n));
        let episode = t.episode.to_string();
        let want = [
            (
                format!(
                    "Przypomnienie: termin Twojego działania w planie to {}",
                    day(10)
                ),
                format!("https://hearth.example/episodes/{episode}/plan"),
            ),
            (
                format!("Przypomnienie: termin Twojego zadania to {}", day(2)),
                format!("https://hearth.example/episodes/{episode}"),
            ),
            (
                format!("Przypomnienie: termin oceny to {}", day(45)),
                format!("https://hearth.example/episodes/{episode}/assessment"),
            ),
            (
                format!(
                    "Przypomnienie: termin przeglądu Team Around the Family to {}",
                    day(42)
                ),
                format!("https://hearth.example/episodes/{episode}/reviews/new"),
            ),
        ];
        for m in &got {
            let (_, link) = want
                .iter()
                .find(|(subject, _)| *subject == m.subject)
                .unwrap_or_else(|| panic!("an unexpected subject: {}", m.subject));
            assert!(m.text.contains(&format!("\n{link}\n")), "{}", m.text);
            assert!(m.text.starts_with("Dzień dobry, "), "{}", m.text);
            // Nothing about the family: no names, not the action's or the task's words.
            for said in [&m.subject, &m.text, &m.html] {
                for name in ["Nowak", "Zofia", "Agnieszka", "young carers", "wishes"] {
                    assert!(!said.contains(name), "{name} in {said}");
                }
            }
        }
    }
);

both_engines!(
    a_done_task_is_not_reminded_and_a_review_moved_later_is_reminded_again,
    |store| async move {
        let (h, clock) = hearth(store.clone()).await;
        let start = h.now();
        let t = family(&h, &store).await;
        // The tasks are done before their reminder would go: nothing today.
        let mut tx = store.write().await.unwrap();
        tasks::complete(
            &mut tx,
            t.episode,
            TaskKind::QualityAction,
            t.worker.user_id,
            None,
            h.now(),
        )
        .await
        .unwrap();
        Store::commit(tx).await.unwrap();
        assert_eq!(h.queue_work_reminders().await.unwrap(), 0);
        move_to(&clock, start, 40);
        assert_eq!(h.queue_work_reminders().await.unwrap(), 1, "the review");
        // A review held on day 40 moves the next one to day 60.
        let outcome = h
            .plan(&t.worker, t.episode)
            .await
            .unwrap()
            .plan
            .unwrap()
            .fields
            .outcomes[0]
            .id
            .clone();
        let mut review = ReviewForm {
            held_on: uk(start.date_naive() + Duration::days(40)),
            attendees: "The team".into(),
            decisions: "Carry on".into(),
            next_review_on: uk(start.date_naive() + Duration::days(60)),
            ..ReviewForm::default()
        };
        review.progress.insert(outcome, ("5".into(), String::new()));
        h.record_review(&t.worker, t.episode, &review)
            .await
            .unwrap();
        move_to(&clock, start, 58);
        // The assessment's date (45) has passed; the new review date is reminded.
        assert_eq!(h.queue_work_reminders().await.unwrap(), 1);
        assert_eq!(h.queue_work_reminders().await.unwrap(), 0);
    }
);

both_engines!(
    a_user_who_chose_texts_gets_their_reminder_as_a_text_and_both_gets_both,
    |store| async move {
        let Some(gateway) = SmsGateway::start() else {
            return;
        };
        let (h, _) = hearth(store.clone()).await;
        let t = family(&h, &store).await;
        h.save_message_preferences(&t.worker, &choose("en", RemindBy::Both, "07700 900321"))
            .await
            .unwrap();
        assert_eq!(h.queue_work_reminders().await.unwrap(), 1);
        let kannel = Kannel::new(&KannelSettings {
            sendsms_url: gateway.sendsms_url(),
            username: USERNAME.into(),
            password: GATEWAY_PASSWORD.into(),
            from: Some("Hearth".into()),
        })
        .unwrap();
        let report = h.send_texts_due(&kannel, "texts").await.unwrap();
        assert_eq!(report.sent, 1, "{report:?}");
        let got = gateway.wait_for_texts(1);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].to, "+447700900321");
        let day = uk(h.now().date_naive() + Duration::days(2));
        assert_eq!(
            got[0].text,
            format!(
                "Hearth reminder: a task is due on {day}: https://hearth.example/episodes/{}",
                t.episode
            )
        );
        // And by email too: one of each in the outbox.
        let mut conn = store.read().await.unwrap();
        let channels: Vec<String> = sqlx::query_scalar(
            "SELECT channel FROM messages WHERE template = 'work_reminder' ORDER BY channel",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        assert_eq!(channels, vec!["email", "sms"]);
    }
);

both_engines!(
    texts_need_a_uk_mobile_number_and_a_wrong_one_changes_nothing,
    |store| async move {
        let (h, _) = hearth(store.clone()).await;
        let worker = hearth_testkit::app::actor(&h, "worker@demo.hearth.test").await;
        let before = h.reminding(&worker).await.unwrap();
        assert_eq!(before.by, RemindBy::Email);
        for (by, typed, field, message) in [
            (
                RemindBy::Text,
                "",
                "mobile",
                "Enter your mobile phone number, for reminders by text message",
            ),
            (
                RemindBy::Both,
                "0115 496 0000",
                "mobile",
                "Enter a mobile phone number starting 07: texts cannot go to a landline",
            ),
            (
                RemindBy::Email,
                "07700 9001",
                "mobile",
                "Enter a mobile phone number of 11 digits, like 07700 900123",
            ),
        ] {
            let e = h
                .save_message_preferences(&worker, &choose("pl", by, typed))
                .await
                .unwrap_err();
            let AppError::Invalid(errors) = e else {
                panic!("{e:?}")
            };
            assert_eq!(errors.get(field), Some(message), "{typed}");
        }
        let mut no_choice = choose("pl", RemindBy::Email, "");
        no_choice.remind_by = String::new();
        assert!(matches!(
            h.save_message_preferences(&worker, &no_choice).await,
            Err(AppError::Invalid(_))
        ));
        // Nothing saved: not the language either.
        assert_eq!(h.reminding(&worker).await.unwrap(), before);
        assert_eq!(
            h.message_preferences(&worker)
                .await
                .unwrap()
                .language
                .code(),
            "en"
        );
        h.save_message_preferences(&worker, &choose("pl", RemindBy::Text, "+44 7700 900654"))
            .await
            .unwrap();
        let now = h.reminding(&worker).await.unwrap();
        assert_eq!(now.by, RemindBy::Text);
        assert_eq!(now.mobile.unwrap().e164(), "+447700900654");
    }
);
