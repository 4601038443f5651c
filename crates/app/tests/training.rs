//! Each practitioner's training (ADR 0048) through the app's public interface, on both
//! engines: a manager records a completion for their team (audited, with who did it), the
//! practitioner sees what is required, done, due and expired; nobody records their own, another
//! team's manager neither reads nor records, a practitioner cannot touch a colleague's (each
//! refusal audited); a correction on a stale version is a conflict; with the hold on, a user
//! missing a required course is held (sessions and API tokens) until it is recorded; one
//! reminder per course expiry is queued in the user's language, by email, text or both as they
//! chose (received by a real SMTP server and a real Kannel); the workforce report counts
//! for those who read reports and refuses others. And an administrator resets a lost second
//! factor (never their own).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Datelike, Duration, NaiveDate};
use hearth_app::accounts::admin::UserForm;
use hearth_app::messages::outbox::PreferencesForm;
use hearth_app::messages::{
    Kannel, KannelSettings, Mailer, MailerSettings, MessagePolicy, Preferences, SmtpSecurity,
};
use hearth_app::records::AuditQuery;
use hearth_app::training::record::TrainingForm;
use hearth_app::training::report::GroupBy;
use hearth_app::training::TrainingPolicy;
use hearth_app::{Actor, AppError, Hearth, Origin, Policies, Store};
use hearth_domain::message::Language;
use hearth_domain::second_factor::SessionFactor;
use hearth_domain::training::Standing;
use hearth_testkit::app::{actor, confirmed_second_factor, hearth, PASSWORD};
use hearth_testkit::both_engines;
use hearth_testkit::mail::MailServer;
use hearth_testkit::sms::{SmsGateway, PASSWORD as GATEWAY_PASSWORD, USERNAME};

const MANAGER: &str = "manager@demo.hearth.test";
const WORKER: &str = "worker@demo.hearth.test";
const PRACTITIONER: &str = "practitioner@demo.hearth.test";
const ADMIN: &str = "admin@demo.hearth.test";

fn form(course: &str, done: NaiveDate, expires: Option<NaiveDate>) -> TrainingForm {
    let (ed, em, ey) = expires
        .map(|e| {
            (
                e.day().to_string(),
                e.month().to_string(),
                e.year().to_string(),
            )
        })
        .unwrap_or_default();
    TrainingForm {
        course: course.into(),
        done_day: done.day().to_string(),
        done_month: done.month().to_string(),
        done_year: done.year().to_string(),
        expires_day: ed,
        expires_month: em,
        expires_year: ey,
        evidence: "Register signed".into(),
        version: String::new(),
    }
}

async fn count(h: &Hearth, action: &str) -> usize {
    h.search_audit(
        &actor(h, "dpo@demo.hearth.test").await,
        &AuditQuery {
            action: Some(action.into()),
            ..AuditQuery::default()
        },
    )
    .await
    .unwrap()
    .len()
}

async fn denied(h: &Hearth) -> usize {
    count(h, "access_denied").await
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, AppError>) {
    assert!(matches!(r, Err(AppError::Forbidden(_))), "{r:?}");
}

/// A manager of another team (made at the console, as an installer would).
async fn other_manager(h: &Hearth) -> Actor {
    let admin = actor(h, ADMIN).await;
    let team = h
        .teams(&admin)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == "Front door (MASH)")
        .unwrap();
    h.create_user(
        None,
        &UserForm {
            email: "mash-manager@demo.hearth.test".into(),
            display_name: "Mo Mash".into(),
            organisation_id: team.organisation_id.to_string(),
            team_id: team.id.to_string(),
            roles: vec!["team_manager".into()],
            password: PASSWORD.into(),
            ..UserForm::default()
        },
    )
    .await
    .unwrap();
    actor(h, "mash-manager@demo.hearth.test").await
}

both_engines!(
    a_manager_records_their_teams_training_and_others_are_refused,
    |store| async move {
        let h = hearth(store).await;
        let manager = actor(&h, MANAGER).await;
        let worker = actor(&h, WORKER).await;
        let practitioner = actor(&h, PRACTITIONER).await;
        let today = h.now().date_naive();

        // Nothing yet: every required course is "not done".
        let own = h.own_training(&worker).await.unwrap();
        assert_eq!(own.missing().count(), 4);
        assert!(!own.may_record, "nobody records their own");

        let id = h
            .record_training(
                &worker,
                worker.user_id,
                &form("signs_of_safety", today - Duration::days(10), None),
            )
            .await;
        forbidden(id);

        let before = count(&h, "training_recorded").await;
        h.record_training(
            &manager,
            worker.user_id,
            &form("signs_of_safety", today - Duration::days(10), None),
        )
        .await
        .unwrap();
        h.record_training(
            &manager,
            worker.user_id,
            &form(
                "trauma_aware",
                today - Duration::days(1000),
                Some(today + Duration::days(5)),
            ),
        )
        .await
        .unwrap();
        assert_eq!(count(&h, "training_recorded").await, before + 2);

        let own = h.own_training(&worker).await.unwrap();
        let standing = |code: &str| {
            own.lines
                .iter()
                .find(|l| l.course.code == code)
                .map(|l| l.standing.code())
                .unwrap()
        };
        assert_eq!(standing("signs_of_safety"), "done");
        assert_eq!(standing("trauma_aware"), "due");
        assert_eq!(standing("induction"), "never_done");
        let sos = own
            .records
            .iter()
            .find(|r| r.course == "signs_of_safety")
            .unwrap();
        assert_eq!(sos.recorded_by, "Morgan Manager");
        assert_eq!(
            sos.completion.expires_on,
            (today - Duration::days(10)).checked_add_months(chrono::Months::new(36)),
            "by the course's own months"
        );

        // The manager's team: the worker, with their standings.
        let team = h.team_training(&manager).await.unwrap();
        let row = team
            .members
            .iter()
            .find(|m| m.user == worker.user_id)
            .unwrap();
        assert!(row
            .standings
            .iter()
            .any(|s| matches!(s, Some(Standing::DueSoon(_)))));

        // Refusals, each audited.
        let refused = denied(&h).await;
        forbidden(h.staff_training(&practitioner, worker.user_id).await);
        forbidden(
            h.record_training(
                &practitioner,
                worker.user_id,
                &form("induction", today, None),
            )
            .await,
        );
        forbidden(
            h.record_training(
                &practitioner,
                practitioner.user_id,
                &form("induction", today, None),
            )
            .await,
        );
        let mash = other_manager(&h).await;
        forbidden(h.staff_training(&mash, worker.user_id).await);
        forbidden(
            h.record_training(&mash, worker.user_id, &form("induction", today, None))
                .await,
        );
        forbidden(h.team_training(&practitioner).await);
        forbidden(
            h.staff_training(&manager, hearth_domain::ids::UserId::new())
                .await,
        );
        assert_eq!(denied(&h).await, refused + 7);

        // A correction made on a stale version does not overwrite another.
        let mut first = TrainingForm::of(sos);
        first.evidence = "Certificate 1234".into();
        let stale = first.clone();
        h.change_training(&manager, worker.user_id, sos.id, &first)
            .await
            .unwrap();
        assert!(matches!(
            h.change_training(&manager, worker.user_id, sos.id, &stale)
                .await,
            Err(AppError::Conflict)
        ));
        assert_eq!(count(&h, "training_changed").await, 1);
        // Another person's record id under a team member's record is not there.
        let admin_view = actor(&h, ADMIN).await;
        let elsewhere = h
            .record_training(
                &admin_view,
                practitioner.user_id,
                &form("induction", today, None),
            )
            .await
            .unwrap();
        assert!(matches!(
            h.training_record(&manager, worker.user_id, elsewhere).await,
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            h.change_training(&manager, worker.user_id, elsewhere, &first)
                .await,
            Err(AppError::NotFound)
        ));
        // The administrator corrects too; and bad input says what to fix.
        let admin = actor(&h, ADMIN).await;
        let mut bad = form("juggling", today + Duration::days(3), None);
        bad.expires_day = "31".into();
        bad.expires_month = "2".into();
        bad.expires_year = "2027".into();
        match h.record_training(&admin, worker.user_id, &bad).await {
            Err(AppError::Invalid(e)) => {
                assert!(e.get("course").is_some());
                assert!(e.get("done").unwrap().contains("today or in the past"));
                assert!(e.get("expires").unwrap().contains("real date"));
            }
            other => panic!("{other:?}"),
        }
    }
);

async fn held_hearth(store: Store) -> Hearth {
    let h = Hearth::new(
        store,
        Policies {
            training: TrainingPolicy {
                hold_access: true,
                ..TrainingPolicy::default()
            },
            ..Policies::default()
        },
    );
    h.seed_demo(PASSWORD).await.unwrap();
    h
}

both_engines!(
    access_waits_for_required_training_when_the_partnership_says_so,
    |store| async move {
        let h = held_hearth(store).await;
        let signed = h
            .sign_in(PRACTITIONER, PASSWORD, Origin::default())
            .await
            .unwrap();
        let token = signed.token.clone();
        // The hold is read on each request, as the session is used.
        let practitioner = h.authenticate(&token, Origin::default()).await.unwrap();
        assert!(practitioner.training_held);
        let page = h.own_training(&practitioner).await.unwrap();
        assert!(page.held);
        assert!(page.ask.contains("administrator"), "{}", page.ask);

        // An administrator is never held; a directory editor has nothing required.
        let held = |email: &'static str| {
            let h = h.clone();
            async move {
                let s = h.sign_in(email, PASSWORD, Origin::default()).await.unwrap();
                h.authenticate(&s.token, Origin::default())
                    .await
                    .unwrap()
                    .training_held
            }
        };
        assert!(!held(ADMIN).await);
        assert!(!held("directory@demo.hearth.test").await);

        let today = h.now().date_naive();

        // Recorded by the administrator: the hold lifts on the next request.
        let admin = actor(&h, ADMIN).await;
        for course in ["induction", "whole_family_working", "signs_of_safety"] {
            h.record_training(&admin, practitioner.user_id, &form(course, today, None))
                .await
                .unwrap();
        }
        assert!(
            h.authenticate(&token, Origin::default())
                .await
                .unwrap()
                .training_held,
            "one still missing"
        );
        h.record_training(
            &admin,
            practitioner.user_id,
            &form("trauma_aware", today - Duration::days(2000), None),
        )
        .await
        .unwrap();
        assert!(
            h.authenticate(&token, Origin::default())
                .await
                .unwrap()
                .training_held,
            "one that ran out counts as missing"
        );
        h.record_training(
            &admin,
            practitioner.user_id,
            &form("trauma_aware", today, None),
        )
        .await
        .unwrap();
        assert!(
            !h.authenticate(&token, Origin::default())
                .await
                .unwrap()
                .training_held
        );
    }
);

async fn outbox(store: &Store) -> Vec<(String, String, String)> {
    let mut conn = store.read().await.unwrap();
    sqlx::query_as(
        "SELECT language, subject, body_text FROM messages WHERE template = 'training_reminder'",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap()
}

both_engines!(
    one_reminder_per_course_expiry_in_the_users_language,
    |store| async move {
        let h = hearth(store.clone()).await;
        let manager = actor(&h, MANAGER).await;
        let worker = actor(&h, WORKER).await;
        h.set_message_preferences(
            &worker,
            Preferences {
                email: true,
                language: Language::Pl,
            },
        )
        .await
        .unwrap();
        let today = h.now().date_naive();
        h.record_training(
            &manager,
            worker.user_id,
            &form(
                "signs_of_safety",
                today - Duration::days(1000),
                Some(today + Duration::days(10)),
            ),
        )
        .await
        .unwrap();
        // Not yet due: runs out beyond the window.
        h.record_training(
            &manager,
            worker.user_id,
            &form(
                "trauma_aware",
                today - Duration::days(100),
                Some(today + Duration::days(300)),
            ),
        )
        .await
        .unwrap();
        assert_eq!(h.queue_training_reminders().await.unwrap(), 1);
        assert_eq!(h.queue_training_reminders().await.unwrap(), 0, "once only");
        let sent = outbox(&store).await;
        assert_eq!(sent.len(), 1);
        let (language, subject, body) = &sent[0];
        assert_eq!(language, "pl");
        assert!(subject.contains("Signs of Safety"), "{subject}");
        assert!(subject.starts_with("Twoje szkolenie"), "{subject}");
        assert!(
            body.contains("Dzień dobry, Wren Worker") || body.contains("Dzień dobry,"),
            "{body}"
        );
        assert!(body.contains("/account/training"), "{body}");

        // A refresher recorded: the older completion's end is not reminded.
        let practitioner = actor(&h, PRACTITIONER).await;
        let admin = actor(&h, ADMIN).await;
        for (done, end) in [(1000, 5), (1, 1000)] {
            h.record_training(
                &admin,
                practitioner.user_id,
                &form(
                    "induction",
                    today - Duration::days(done),
                    Some(today + Duration::days(end)),
                ),
            )
            .await
            .unwrap();
        }
        assert_eq!(h.queue_training_reminders().await.unwrap(), 0);
    }
);

both_engines!(
    the_workforce_report_counts_for_report_readers_only,
    |store| async move {
        let h = hearth(store).await;
        let manager = actor(&h, MANAGER).await;
        let worker = actor(&h, WORKER).await;
        let today = h.now().date_naive();
        h.record_training(&manager, worker.user_id, &form("induction", today, None))
            .await
            .unwrap();
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let report = h
            .training_report(&analyst, 30, GroupBy::Team, "page")
            .await
            .unwrap();
        let row = report
            .rows
            .iter()
            .find(|r| r.course == "induction" && r.team == "Targeted Family Help core team")
            .unwrap();
        assert_eq!(row.done, 1);
        assert_eq!(
            row.required_of,
            row.done + row.due + row.expired + row.never_done
        );
        let by_org = h
            .training_report(&manager, 30, GroupBy::Organisation, "csv")
            .await
            .unwrap();
        assert!(by_org.rows.iter().all(|r| r.team.is_empty()));
        let sheet = by_org.sheet();
        assert_eq!(sheet.columns[0], "course");
        assert_eq!(count(&h, "training_report_viewed").await, 2);
        let refused = denied(&h).await;
        forbidden(
            h.training_report(&actor(&h, PRACTITIONER).await, 30, GroupBy::Team, "page")
                .await,
        );
        assert_eq!(denied(&h).await, refused + 1);
    }
);

both_engines!(
    an_administrator_resets_a_lost_second_factor_never_their_own,
    |store| async move {
        let h = hearth(store.clone()).await;
        // The worker sets up an app (as the second-factor tests do, through the pages' use
        // cases), then loses it.
        let worker = actor(&h, WORKER).await;
        confirmed_second_factor(&h, &store, &worker).await;
        let signed = h
            .sign_in(WORKER, PASSWORD, Origin::default())
            .await
            .unwrap();
        assert_eq!(signed.actor.second_factor, SessionFactor::CodeNeeded);

        let admin = actor(&h, ADMIN).await;
        let refused = denied(&h).await;
        forbidden(h.reset_second_factor(&admin, admin.user_id, "lost").await);
        forbidden(
            h.reset_second_factor(&actor(&h, MANAGER).await, worker.user_id, "lost")
                .await,
        );
        assert_eq!(denied(&h).await, refused + 2);
        match h.reset_second_factor(&admin, worker.user_id, "  ").await {
            Err(AppError::Invalid(e)) => assert!(e.get("reason").is_some()),
            other => panic!("{other:?}"),
        }

        h.reset_second_factor(
            &admin,
            worker.user_id,
            "Phone lost; identity checked by phone call to their manager",
        )
        .await
        .unwrap();
        let events = h
            .search_audit(
                &admin,
                &AuditQuery {
                    action: Some("second_factor_reset".into()),
                    ..AuditQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(events.len(), 1);
        assert!(events[0]
            .reason
            .as_deref()
            .unwrap_or("")
            .contains("Phone lost"));
        // Their sessions ended; at the next sign-in they set one up again, though their role
        // does not require one.
        assert!(h
            .authenticate(&signed.token, Origin::default())
            .await
            .is_err());
        let again = h
            .sign_in(WORKER, PASSWORD, Origin::default())
            .await
            .unwrap();
        assert_eq!(again.actor.second_factor, SessionFactor::MustEnrol);
        // Nothing left to reset now.
        assert!(matches!(
            h.reset_second_factor(&admin, worker.user_id, "again").await,
            Err(AppError::Invalid(_))
        ));
    }
);

both_engines!(
    the_demo_has_training_with_one_course_running_out_soon,
    |store| async move {
        let h = hearth(store).await;
        assert_eq!(h.seed_demo_training().await.unwrap(), 12);
        assert_eq!(h.seed_demo_training().await.unwrap(), 0, "seeded once");
        let own = h
            .own_training(&actor(&h, PRACTITIONER).await)
            .await
            .unwrap();
        let sos = own
            .lines
            .iter()
            .find(|l| l.course.code == "signs_of_safety")
            .unwrap();
        assert!(matches!(sos.standing, Standing::DueSoon(_)));
        assert_eq!(h.queue_training_reminders().await.unwrap(), 1);
    }
);

both_engines!(
    a_user_who_chose_texts_and_email_gets_their_training_reminder_by_both_once,
    |store| async move {
        let (Some(mail), Some(gateway)) = (MailServer::start(), SmsGateway::start()) else {
            return;
        };
        let h = Hearth::new(
            store.clone(),
            Policies {
                messages: MessagePolicy {
                    public_url: "https://hearth.example".into(),
                    email_delivered: true,
                },
                ..Policies::default()
            },
        );
        h.seed_demo(PASSWORD).await.unwrap();
        let manager = actor(&h, MANAGER).await;
        let worker = actor(&h, WORKER).await;
        let chose = |remind_by: &str, language: &str| PreferencesForm {
            email: "on".into(),
            language: language.into(),
            remind_by: remind_by.into(),
            mobile: "07700 900321".into(),
        };
        h.save_message_preferences(&worker, &chose("both", "en"))
            .await
            .unwrap();
        let today = h.now().date_naive();
        let expires = today + Duration::days(10);
        h.record_training(
            &manager,
            worker.user_id,
            &form(
                "signs_of_safety",
                today - Duration::days(1000),
                Some(expires),
            ),
        )
        .await
        .unwrap();
        assert_eq!(h.queue_training_reminders().await.unwrap(), 1);
        assert_eq!(h.queue_training_reminders().await.unwrap(), 0, "once only");

        let kannel = Kannel::new(&KannelSettings {
            sendsms_url: gateway.sendsms_url(),
            username: USERNAME.into(),
            password: GATEWAY_PASSWORD.into(),
            from: Some("Hearth".into()),
        })
        .unwrap();
        assert_eq!(h.send_texts_due(&kannel, "texts").await.unwrap().sent, 1);
        let texts = gateway.wait_for_texts(1);
        assert_eq!(texts.len(), 1, "{texts:?}");
        assert_eq!(texts[0].to, "+447700900321");
        assert_eq!(
            texts[0].text,
            format!(
                "Hearth reminder: your Signs of Safety training runs out on {}: https://hearth.example/account/training",
                expires.format("%d/%m/%Y")
            )
        );
        let mailer = Mailer::new(&MailerSettings {
            host: "127.0.0.1".into(),
            port: mail.port,
            security: SmtpSecurity::None,
            username: None,
            password: None,
            from: "Family Help <no-reply@hearth.example>".into(),
        })
        .unwrap();
        h.send_due(&mailer, "mail").await.unwrap();
        let emails: Vec<_> = mail
            .received()
            .into_iter()
            .filter(|m| m.to == WORKER)
            .collect();
        assert_eq!(emails.len(), 1, "{emails:?}");
        assert_eq!(
            emails[0].subject,
            "Your training runs out soon: Signs of Safety"
        );

        // A user who chose texts alone gets a text and no email, in their language.
        let practitioner = actor(&h, PRACTITIONER).await;
        h.save_message_preferences(&practitioner, &chose("text", "pl"))
            .await
            .unwrap();
        h.record_training(
            &actor(&h, ADMIN).await,
            practitioner.user_id,
            &form(
                "signs_of_safety",
                today - Duration::days(1000),
                Some(expires),
            ),
        )
        .await
        .unwrap();
        assert_eq!(h.queue_training_reminders().await.unwrap(), 1);
        let mut conn = store.read().await.unwrap();
        let theirs: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT channel, language, body_text FROM messages
              WHERE template = 'training_reminder' AND recipient_user_id = $1",
        )
        .bind(practitioner.user_id.to_string())
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        assert_eq!(theirs.len(), 1, "{theirs:?}");
        assert_eq!((theirs[0].0.as_str(), theirs[0].1.as_str()), ("sms", "pl"));
        assert!(
            theirs[0]
                .2
                .starts_with("Hearth, przypomnienie: szkolenie Signs of Safety wygasa"),
            "{}",
            theirs[0].2
        );
    }
);
