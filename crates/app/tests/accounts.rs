//! Passwords an administrator handles, on both engines: a first password chosen by an
//! administrator is changed before anything else, and a reset link works once, for the user
//! only, never for the administrator's own account, and is audited.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::Duration;
use hearth_app::accounts::admin::UserForm;
use hearth_app::accounts::auth::{SessionProblem, SignInRefused};
use hearth_app::accounts::password_reset::{ResetRefused, LINK_HOURS};
use hearth_app::records::AuditQuery;
use hearth_app::{Actor, AppError, Hearth, Origin};
use hearth_testkit::app::{actor, hearth, hearth_with_clock, PASSWORD};
use hearth_testkit::both_engines;

const NEW_PASSWORD: &str = "kettle violin orchard";

async fn audited(h: &Hearth, admin: &Actor, action: &str) -> Vec<hearth_app::records::AuditEvent> {
    h.search_audit(
        admin,
        &AuditQuery {
            action: Some(action.into()),
            ..AuditQuery::default()
        },
    )
    .await
    .unwrap()
}

fn new_user(admin: &Actor, email: &str) -> UserForm {
    UserForm {
        email: email.into(),
        display_name: "Pat Newcomer".into(),
        organisation_id: admin.organisation_id.to_string(),
        roles: vec!["directory_editor".into()],
        password: PASSWORD.into(),
        ..UserForm::default()
    }
}

both_engines!(
    a_first_password_from_an_administrator_must_be_changed,
    |store| async move {
        let h = hearth(store).await;
        let admin = actor(&h, "admin@demo.hearth.test").await;
        h.create_user(Some(&admin), &new_user(&admin, "pat@demo.hearth.test"))
            .await
            .unwrap();
        let pat = actor(&h, "pat@demo.hearth.test").await;
        assert!(pat.must_change_password);

        h.change_password(&pat, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
            .await
            .unwrap();
        let again = h
            .sign_in("pat@demo.hearth.test", NEW_PASSWORD, Origin::default())
            .await
            .unwrap();
        assert!(!again.actor.must_change_password);

        // The console's operator chooses their own (the first administrator of an install).
        h.create_user(None, &new_user(&admin, "console@demo.hearth.test"))
            .await
            .unwrap();
        assert!(
            !actor(&h, "console@demo.hearth.test")
                .await
                .must_change_password
        );
    }
);

both_engines!(
    a_reset_link_works_once_for_the_user_and_is_audited,
    |store| async move {
        let h = hearth(store).await;
        let admin = actor(&h, "admin@demo.hearth.test").await;
        let session = h
            .sign_in("worker@demo.hearth.test", PASSWORD, Origin::default())
            .await
            .unwrap();
        let worker = session.actor.clone();

        let link = h.make_password_reset(&admin, worker.user_id).await.unwrap();
        let made = audited(&h, &admin, "password_reset_link_made").await;
        assert_eq!(made.len(), 1);
        assert_eq!(made[0].record_id, Some(worker.user_id.to_string()));
        assert!(!made[0]
            .detail
            .clone()
            .unwrap()
            .contains(link.token.as_deref().unwrap()));
        let account = h
            .password_reset_for(link.token.as_deref().unwrap())
            .await
            .unwrap();
        assert_eq!(account.email, "worker@demo.hearth.test");

        // Followed by someone signed in (the administrator's own browser): refused, audited.
        let denied = audited(&h, &admin, "access_denied").await.len();
        assert!(matches!(
            h.reset_password(
                link.token.as_deref().unwrap(),
                NEW_PASSWORD,
                NEW_PASSWORD,
                Some(&admin),
                Origin::default()
            )
            .await,
            Err(ResetRefused::Error(AppError::Forbidden(_)))
        ));
        assert_eq!(audited(&h, &admin, "access_denied").await.len(), denied + 1);

        // The password policy holds: a common password and a mistyped confirmation.
        let Err(ResetRefused::Invalid(errors)) = h
            .reset_password(
                link.token.as_deref().unwrap(),
                "password1234",
                "password1234",
                None,
                Origin::default(),
            )
            .await
        else {
            panic!("a common password is refused");
        };
        assert!(errors.get("new_password").is_some());
        let Err(ResetRefused::Invalid(errors)) = h
            .reset_password(
                link.token.as_deref().unwrap(),
                NEW_PASSWORD,
                "kettle violin",
                None,
                Origin::default(),
            )
            .await
        else {
            panic!("the confirmation must match");
        };
        assert!(errors.get("confirm_password").is_some());

        h.reset_password(
            link.token.as_deref().unwrap(),
            NEW_PASSWORD,
            NEW_PASSWORD,
            None,
            Origin::default(),
        )
        .await
        .unwrap();
        // The old password and the worker's sessions end; the new one signs in.
        assert!(matches!(
            h.sign_in("worker@demo.hearth.test", PASSWORD, Origin::default())
                .await,
            Err(SignInRefused::WrongCredentials)
        ));
        assert_eq!(
            h.authenticate(&session.token, Origin::default())
                .await
                .err(),
            Some(SessionProblem::Unknown)
        );
        let signed_in = h
            .sign_in("worker@demo.hearth.test", NEW_PASSWORD, Origin::default())
            .await
            .unwrap();
        assert!(!signed_in.actor.must_change_password);
        let used = audited(&h, &admin, "password_reset").await;
        assert_eq!(used.len(), 1);
        assert_eq!(used[0].actor_user_id, Some(worker.user_id.to_string()));

        // Once only.
        assert!(matches!(
            h.reset_password(
                link.token.as_deref().unwrap(),
                "another long phrase",
                "another long phrase",
                None,
                Origin::default()
            )
            .await,
            Err(ResetRefused::Dead)
        ));
        assert!(matches!(
            h.password_reset_for(link.token.as_deref().unwrap()).await,
            Err(ResetRefused::Dead)
        ));
        let latest = h
            .latest_password_reset(&admin, worker.user_id)
            .await
            .unwrap()
            .unwrap();
        assert!(latest.used_at.is_some() && latest.made_by == admin.user_id);
    }
);

both_engines!(
    an_administrator_cannot_reset_their_own_account,
    |store| async move {
        let h = hearth(store).await;
        let admin = actor(&h, "admin@demo.hearth.test").await;
        let denied = audited(&h, &admin, "access_denied").await.len();
        assert!(matches!(
            h.make_password_reset(&admin, admin.user_id).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(audited(&h, &admin, "access_denied").await.len(), denied + 1);
        assert!(h
            .latest_password_reset(&admin, admin.user_id)
            .await
            .unwrap()
            .is_none());

        // Nor may anyone without the role make one.
        let manager = actor(&h, "manager@demo.hearth.test").await;
        assert!(matches!(
            h.make_password_reset(&manager, admin.user_id).await,
            Err(AppError::Forbidden(_))
        ));
    }
);

both_engines!(
    a_reset_link_expires_and_a_newer_one_replaces_it,
    |store| async move {
        let (h, clock) = hearth_with_clock(store).await;
        let admin = actor(&h, "admin@demo.hearth.test").await;
        let worker = actor(&h, "worker@demo.hearth.test").await;

        let first = h.make_password_reset(&admin, worker.user_id).await.unwrap();
        let second = h.make_password_reset(&admin, worker.user_id).await.unwrap();
        assert!(matches!(
            h.password_reset_for(first.token.as_deref().unwrap()).await,
            Err(ResetRefused::Dead)
        ));
        assert!(h
            .password_reset_for(second.token.as_deref().unwrap())
            .await
            .is_ok());

        *clock.lock().unwrap() += Duration::hours(LINK_HOURS) + Duration::minutes(1);
        assert!(matches!(
            h.reset_password(
                second.token.as_deref().unwrap(),
                NEW_PASSWORD,
                NEW_PASSWORD,
                None,
                Origin::default()
            )
            .await,
            Err(ResetRefused::Dead)
        ));
        assert!(h
            .sign_in("worker@demo.hearth.test", PASSWORD, Origin::default())
            .await
            .is_ok());

        // A deactivated account gets no link.
        h.set_user_active(&admin, worker.user_id, false)
            .await
            .unwrap();
        assert!(matches!(
            h.make_password_reset(&admin, worker.user_id).await,
            Err(AppError::Invalid(_))
        ));
    }
);

both_engines!(
    the_audit_log_is_searched_by_a_name_and_exported,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let opened = hearth_testkit::episodes::Family::new("Quenby")
            .child("Mia", &hearth_testkit::app::years_ago(8))
            .need("education")
            .early_help(&h, &lead, "School asked for help with attendance.")
            .await;
        h.person(&lead, opened.people[0], None).await.unwrap();
        h.episode(&lead, opened.episode).await.unwrap();
        let dpo = actor(&h, "dpo@demo.hearth.test").await;

        // A family's name finds the events about the person and their episode.
        let page = h
            .audit_page(
                &dpo,
                &AuditQuery {
                    who: Some("quenby".into()),
                    ..AuditQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(page.named.len(), 1);
        assert!(!page.named[0].is_user && page.named[0].name == "Mia Quenby");
        let records: Vec<Option<String>> =
            page.events.iter().map(|e| e.record_id.clone()).collect();
        assert!(records.contains(&Some(opened.people[0].to_string())));
        assert!(records.contains(&Some(opened.episode.to_string())));
        assert!(page
            .events
            .iter()
            .all(|e| e.record_id == Some(opened.people[0].to_string())
                || e.record_id == Some(opened.episode.to_string())
                || e.actor_label.contains("quenby")));

        // A user's name finds what they did.
        let admin = actor(&h, "admin@demo.hearth.test").await;
        let by_lead = h
            .audit_page(
                &admin,
                &AuditQuery {
                    who: Some(lead.display_name.clone()),
                    action: Some("person_viewed".into()),
                    ..AuditQuery::default()
                },
            )
            .await
            .unwrap();
        assert!(by_lead
            .named
            .iter()
            .any(|n| n.is_user && n.name == lead.display_name));
        assert!(!by_lead.events.is_empty());
        assert!(by_lead
            .events
            .iter()
            .all(|e| e.actor_user_id == Some(lead.user_id.to_string())));

        // The export holds every match and is itself recorded, with its count.
        let export = h
            .export_audit(
                &dpo,
                &AuditQuery {
                    who: Some("Quenby".into()),
                    ..AuditQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(export.events.len(), page.events.len());
        assert!(!export.cut_short);
        let exports = audited(&h, &dpo, "audit_exported").await;
        assert_eq!(exports.len(), 1);
        assert!(exports[0].detail.clone().unwrap().contains(r#""events":"#));

        // Only administrators and the data protection officer read the log.
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        assert!(matches!(
            h.export_audit(&analyst, &AuditQuery::default()).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.audit_page(&lead, &AuditQuery::default()).await,
            Err(AppError::Forbidden(_))
        ));
    }
);

both_engines!(
    api_tokens_wait_until_the_first_password_is_changed,
    |store| async move {
        let h = hearth(store).await;
        let admin = actor(&h, "admin@demo.hearth.test").await;
        h.create_user(Some(&admin), &new_user(&admin, "pat@demo.hearth.test"))
            .await
            .unwrap();
        let pat = actor(&h, "pat@demo.hearth.test").await;
        let token = h
            .create_api_token(
                &pat,
                &hearth_app::accounts::api_tokens::TokenForm {
                    token_name: "Reports".into(),
                    access: "read".into(),
                    resources: vec!["episodes".into()],
                    lifetime_days: "30".into(),
                },
            )
            .await
            .unwrap();
        assert!(h
            .authenticate_token(&token, Origin::default())
            .await
            .is_none());
        let refused = audited(&h, &admin, "api_token_refused").await;
        assert!(refused[0]
            .detail
            .clone()
            .unwrap()
            .contains("password_change_due"));

        h.change_password(&pat, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
            .await
            .unwrap();
        assert!(h
            .authenticate_token(&token, Origin::default())
            .await
            .is_some());
    }
);
