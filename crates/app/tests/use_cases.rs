//! The use cases through the app's public interface, on both engines.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::Duration;
use hearth_app::accounts::admin::{OrganisationForm, UserForm};
use hearth_app::accounts::auth::{SessionProblem, SignInRefused};
use hearth_app::records::{AuditQuery, UserFilter, Verification};
use hearth_app::{Actor, AppError, Hearth, Origin, Store};
use hearth_testkit::app::{hearth_with_clock, Clock, PASSWORD};
use hearth_testkit::both_engines;

/// An application whose clock the test moves.
struct Fixture {
    hearth: Hearth,
    now: Clock,
}

impl Fixture {
    async fn new(store: Store) -> Self {
        let (hearth, now) = hearth_with_clock(store).await;
        Self { hearth, now }
    }

    fn advance(&self, by: Duration) {
        *self.now.lock().unwrap() += by;
    }

    async fn sign_in(&self, email: &str) -> (String, Actor) {
        let s = self
            .hearth
            .sign_in(email, PASSWORD, origin())
            .await
            .unwrap();
        (s.token, s.actor)
    }
}

fn origin() -> Origin {
    Origin {
        ip: Some("192.0.2.10".into()),
        user_agent: Some("test".into()),
    }
}

async fn events(hearth: &Hearth, admin: &Actor, action: &str) -> usize {
    hearth
        .search_audit(
            admin,
            &AuditQuery {
                action: Some(action.into()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .len()
}

both_engines!(
    signing_in_opens_a_session_that_times_out_when_idle,
    |store| async move {
        let f = Fixture::new(store).await;
        let (token, actor) = f.sign_in("LEAD@demo.hearth.test ").await;
        assert_eq!(actor.email, "lead@demo.hearth.test");
        assert_eq!(
            f.hearth
                .authenticate(&token, origin())
                .await
                .unwrap()
                .user_id,
            actor.user_id
        );
        f.advance(Duration::minutes(29));
        assert!(
            f.hearth.authenticate(&token, origin()).await.is_ok(),
            "activity keeps it alive"
        );
        f.advance(Duration::minutes(29));
        assert!(f.hearth.authenticate(&token, origin()).await.is_ok());
        f.advance(Duration::minutes(31));
        assert!(matches!(
            f.hearth.authenticate(&token, origin()).await.unwrap_err(),
            SessionProblem::Expired(_)
        ));
        assert_eq!(
            f.hearth.authenticate(&token, origin()).await.unwrap_err(),
            SessionProblem::Unknown,
            "an expired session is gone"
        );
    }
);

both_engines!(
    sessions_end_after_twelve_hours_however_active,
    |store| async move {
        let f = Fixture::new(store).await;
        let (token, _) = f.sign_in("lead@demo.hearth.test").await;
        for _ in 0..24 {
            f.advance(Duration::minutes(29));
            let _ = f.hearth.authenticate(&token, origin()).await;
        }
        f.advance(Duration::minutes(29));
        assert!(matches!(
            f.hearth.authenticate(&token, origin()).await.unwrap_err(),
            SessionProblem::Expired(_)
        ));
    }
);

/// The answer to a sign-in, reduced to what the person is told.
fn told(r: &Result<hearth_app::accounts::auth::SignedIn, SignInRefused>) -> String {
    match r {
        Ok(_) => "signed in".into(),
        Err(SignInRefused::WrongCredentials) => "wrong".into(),
        // In whole minutes, as the page says it: the database keeps times to the millisecond.
        Err(SignInRefused::Throttled { wait }) => {
            format!(
                "wait {} min",
                hearth_domain::sign_in::minutes_to_wait(*wait)
            )
        }
        Err(other) => format!("{other:?}"),
    }
}

both_engines!(
    failures_make_the_next_attempt_wait_longer_each_time_then_are_forgiven,
    |store| async move {
        let f = Fixture::new(store).await;
        let lead = "lead@demo.hearth.test";
        let mut answers = Vec::new();
        for _ in 0..5 {
            answers.push(told(
                &f.hearth.sign_in(lead, "wrong password!", origin()).await,
            ));
        }
        assert_eq!(answers, ["wrong", "wrong", "wrong", "wrong", "wait 1 min"]);
        assert_eq!(
            told(&f.hearth.sign_in(lead, PASSWORD, origin()).await),
            "wait 1 min",
            "even the right password waits, unchecked"
        );
        f.advance(Duration::seconds(61));
        assert_eq!(
            told(&f.hearth.sign_in(lead, "wrong again!", origin()).await),
            "wait 2 min",
            "the wait doubles"
        );
        f.advance(Duration::seconds(121));
        f.sign_in(lead).await;
        assert_eq!(
            told(&f.hearth.sign_in(lead, "wrong again!", origin()).await),
            "wrong",
            "signing in forgives the account's failures"
        );

        let (_, admin) = f.sign_in("admin@demo.hearth.test").await;
        assert_eq!(events(&f.hearth, &admin, "sign_in_failed").await, 7);
        assert_eq!(events(&f.hearth, &admin, "sign_in_throttled").await, 1);
    }
);

both_engines!(
    an_unknown_email_is_slowed_and_answered_exactly_like_a_real_one,
    |store| async move {
        let f = Fixture::new(store).await;
        let mut known = Vec::new();
        let mut unknown = Vec::new();
        for _ in 0..7 {
            known.push(told(
                &f.hearth
                    .sign_in("lead@demo.hearth.test", "wrong password!", origin())
                    .await,
            ));
            unknown.push(told(
                &f.hearth
                    .sign_in("nobody@demo.hearth.test", "wrong password!", origin())
                    .await,
            ));
        }
        assert_eq!(known, unknown);
        assert_eq!(known.last().map(String::as_str), Some("wait 1 min"));
    }
);

both_engines!(
    an_administrator_unlocking_an_account_ends_its_wait,
    |store| async move {
        let f = Fixture::new(store).await;
        let (_, admin) = f.sign_in("admin@demo.hearth.test").await;
        for _ in 0..9 {
            let _ = f
                .hearth
                .sign_in("lead@demo.hearth.test", "wrong password!", origin())
                .await;
        }
        let lead = f
            .hearth
            .users(
                &admin,
                &UserFilter {
                    text: Some("lead@".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.email == "lead@demo.hearth.test")
            .unwrap();
        assert!(
            lead.locked_until.is_some(),
            "the administrator sees the wait"
        );
        f.hearth.unlock_user(&admin, lead.id).await.unwrap();
        assert!(f
            .hearth
            .user(&admin, lead.id)
            .await
            .unwrap()
            .locked_until
            .is_none());
        f.sign_in("lead@demo.hearth.test").await;
    }
);

both_engines!(
    an_unknown_email_and_a_wrong_password_are_refused_alike,
    |store| async move {
        let f = Fixture::new(store).await;
        let unknown = f
            .hearth
            .sign_in("nobody@demo.hearth.test", PASSWORD, origin())
            .await;
        let wrong = f
            .hearth
            .sign_in("lead@demo.hearth.test", "not the password", origin())
            .await;
        assert!(matches!(unknown, Err(SignInRefused::WrongCredentials)));
        assert!(matches!(wrong, Err(SignInRefused::WrongCredentials)));
        match f.hearth.sign_in("not-an-email", "", origin()).await {
            Err(SignInRefused::Invalid(e)) => {
                assert!(e.get("email").is_some());
                assert_eq!(e.get("password"), Some("Enter your password"));
            }
            other => panic!("expected form errors, got {other:?}"),
        }
    }
);

both_engines!(
    many_failures_from_one_address_make_it_wait_whatever_the_accounts,
    |store| async move {
        let f = Fixture::new(store).await;
        let mut last = String::new();
        for i in 0..20 {
            last = told(
                &f.hearth
                    .sign_in(
                        &format!("guess{i}@demo.hearth.test"),
                        "password guess",
                        origin(),
                    )
                    .await,
            );
        }
        assert_eq!(last, "wait 1 min", "the twentieth failure from one address");
        assert_eq!(
            told(
                &f.hearth
                    .sign_in("lead@demo.hearth.test", PASSWORD, origin())
                    .await
            ),
            "wait 1 min"
        );
        let elsewhere = Origin {
            ip: Some("198.51.100.7".into()),
            user_agent: None,
        };
        assert!(f
            .hearth
            .sign_in("lead@demo.hearth.test", PASSWORD, elsewhere)
            .await
            .is_ok());
    }
);

both_engines!(
    changing_a_password_ends_other_sessions,
    |store| async move {
        let f = Fixture::new(store).await;
        let (here, actor) = f.sign_in("lead@demo.hearth.test").await;
        let (elsewhere, _) = f.sign_in("lead@demo.hearth.test").await;
        let err = f
            .hearth
            .change_password(
                &actor,
                "wrong",
                "a brand new passphrase",
                "a brand new passphrase",
            )
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Invalid(e) if e.get("current_password").is_some()));
        let err = f
            .hearth
            .change_password(&actor, PASSWORD, "short", "short")
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Invalid(e) if e.get("new_password").is_some()));
        f.hearth
            .change_password(
                &actor,
                PASSWORD,
                "a brand new passphrase",
                "a brand new passphrase",
            )
            .await
            .unwrap();
        assert!(f.hearth.authenticate(&here, origin()).await.is_ok());
        assert!(f.hearth.authenticate(&elsewhere, origin()).await.is_err());
        assert!(f
            .hearth
            .sign_in("lead@demo.hearth.test", "a brand new passphrase", origin())
            .await
            .is_ok());
    }
);

both_engines!(
    only_administrators_manage_accounts_and_refusals_are_recorded,
    |store| async move {
        let f = Fixture::new(store).await;
        let (_, lead) = f.sign_in("lead@demo.hearth.test").await;
        let err = f
            .hearth
            .users(&lead, &UserFilter::default())
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Forbidden(_)));
        let (_, admin) = f.sign_in("admin@demo.hearth.test").await;
        assert_eq!(
            f.hearth
                .users(&admin, &UserFilter::default())
                .await
                .unwrap()
                .len(),
            20
        );
        assert_eq!(events(&f.hearth, &admin, "access_denied").await, 1);
        let (_, dpo) = f.sign_in("dpo@demo.hearth.test").await;
        assert!(
            f.hearth
                .search_audit(&dpo, &AuditQuery::default())
                .await
                .is_ok(),
            "the DPO reads the log"
        );
    }
);

both_engines!(
    a_duplicate_organisation_is_refused_with_a_message,
    |store| async move {
        let f = Fixture::new(store).await;
        let (_, admin) = f.sign_in("admin@demo.hearth.test").await;
        let form = OrganisationForm {
            name: "trentside academy (DEMO)".into(),
            kind: "school".into(),
            identifier: "".into(),
        };
        match f.hearth.create_organisation(Some(&admin), &form).await {
            Err(AppError::Invalid(e)) => assert!(e.get("name").unwrap().contains("already exists")),
            other => panic!("expected a duplicate error, got {other:?}"),
        }
        let bad = OrganisationForm {
            name: "x".repeat(201),
            kind: "school".into(),
            identifier: "12".into(),
        };
        match f.hearth.create_organisation(Some(&admin), &bad).await {
            Err(AppError::Invalid(e)) => {
                assert_eq!(
                    e.get("name"),
                    Some("Organisation name must be 200 characters or fewer")
                );
                assert_eq!(
                    e.get("identifier"),
                    Some("Enter a URN of 6 digits, like 100012")
                );
            }
            other => panic!("expected form errors, got {other:?}"),
        }
    }
);

both_engines!(
    a_deactivated_user_is_signed_out_and_kept,
    |store| async move {
        let f = Fixture::new(store).await;
        let (_, admin) = f.sign_in("admin@demo.hearth.test").await;
        let (token, lead) = f.sign_in("lead@demo.hearth.test").await;
        f.hearth
            .set_user_active(&admin, lead.user_id, false)
            .await
            .unwrap();
        assert!(f.hearth.authenticate(&token, origin()).await.is_err());
        assert!(matches!(
            f.hearth
                .sign_in("lead@demo.hearth.test", PASSWORD, origin())
                .await,
            Err(SignInRefused::WrongCredentials)
        ));
        let kept = f.hearth.user(&admin, lead.user_id).await.unwrap();
        assert!(!kept.active);
        let err = f
            .hearth
            .set_user_active(&admin, admin.user_id, false)
            .await
            .unwrap_err();
        assert!(
            matches!(err, AppError::Invalid(_)),
            "nobody deactivates themselves"
        );
    }
);

both_engines!(
    two_administrators_editing_one_user_cannot_lose_an_update,
    |store| async move {
        let f = Fixture::new(store).await;
        let (_, admin) = f.sign_in("admin@demo.hearth.test").await;
        let (_, lead) = f.sign_in("lead@demo.hearth.test").await;
        let user = f.hearth.user(&admin, lead.user_id).await.unwrap();
        let mut first = UserForm::from_record(&user);
        first.job_title = "Deputy head".into();
        let mut second = UserForm::from_record(&user);
        second.job_title = "SENCo".into();
        f.hearth
            .update_user(&admin, user.id, user.version, &first)
            .await
            .unwrap();
        let err = f
            .hearth
            .update_user(&admin, user.id, user.version, &second)
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Conflict));
        assert_eq!(
            f.hearth
                .user(&admin, user.id)
                .await
                .unwrap()
                .job_title
                .as_deref(),
            Some("Deputy head")
        );
    }
);

both_engines!(
    seeding_the_demo_twice_changes_nothing_and_the_log_verifies,
    |store| async move {
        let f = Fixture::new(store).await;
        let again = f.hearth.seed_demo("another password").await.unwrap();
        assert_eq!(
            (
                again.organisations_added,
                again.teams_added,
                again.users_added
            ),
            (0, 0, 0)
        );
        f.sign_in("admin@demo.hearth.test").await;
        match f.hearth.verify_audit(vec![]).await.unwrap() {
            Verification::Intact { events } => assert!(events > 30, "{events}"),
            other => panic!("{other:?}"),
        }
    }
);
