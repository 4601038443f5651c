//! Separation of duties on both engines: administrators manage accounts, not families. A role
//! that reaches families' records waits for a second administrator; removing one does not.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::accounts::admin::UserForm;
use hearth_app::records::AuditQuery;
use hearth_app::{Actor, AppError, Hearth};
use hearth_domain::role::{Role, RoleSet};
use hearth_testkit::app::{actor, hearth, PASSWORD};
use hearth_testkit::both_engines;

/// A second administrator, made at the server's console as on a fresh install.
async fn second_administrator(h: &Hearth, first: &Actor) -> Actor {
    h.create_user(
        None,
        &UserForm {
            email: "second-admin@demo.hearth.test".into(),
            display_name: "Sam Second".into(),
            organisation_id: first.organisation_id.to_string(),
            roles: vec!["administrator".into()],
            password: PASSWORD.into(),
            ..UserForm::default()
        },
    )
    .await
    .unwrap();
    actor(h, "second-admin@demo.hearth.test").await
}

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

both_engines!(
    an_administrator_cannot_give_themselves_a_practitioner_role_alone,
    |store| async move {
        let h = hearth(store).await;
        let admin = actor(&h, "admin@demo.hearth.test").await;
        let second = second_administrator(&h, &admin).await;

        let me = h.user(&admin, admin.user_id).await.unwrap();
        let mut form = UserForm::from_record(&me);
        form.roles.push("practitioner".into());
        h.update_user(&admin, me.id, me.version, &form)
            .await
            .unwrap();
        assert!(!h
            .user(&admin, me.id)
            .await
            .unwrap()
            .roles
            .has(Role::Practitioner));
        let waiting = h.pending_role_change(&admin, me.id).await.unwrap().unwrap();
        assert_eq!(waiting.grant.roles, RoleSet::new([Role::Practitioner]));
        assert_eq!(waiting.proposed_by, admin.user_id);
        assert_eq!(h.pending_role_changes(&second).await.unwrap().len(), 1);

        // The proposer cannot approve their own proposal: refused and audited.
        let denied_before = audited(&h, &second, "access_denied").await.len();
        assert!(matches!(
            h.approve_role_change(&admin, waiting.id).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(
            audited(&h, &second, "access_denied").await.len(),
            denied_before + 1
        );
        assert!(!h
            .user(&admin, me.id)
            .await
            .unwrap()
            .roles
            .has(Role::Practitioner));

        // A second administrator approves; then it applies, once.
        h.approve_role_change(&second, waiting.id).await.unwrap();
        let me = h.user(&admin, me.id).await.unwrap();
        assert!(me.roles.has(Role::Practitioner) && me.roles.has(Role::Administrator));
        assert!(matches!(
            h.approve_role_change(&second, waiting.id).await,
            Err(AppError::Conflict)
        ));
        assert!(h
            .pending_role_change(&admin, me.id)
            .await
            .unwrap()
            .is_none());
        assert_eq!(audited(&h, &second, "role_change_proposed").await.len(), 1);
        let approved = audited(&h, &second, "role_change_approved").await;
        assert_eq!(approved.len(), 1);
        assert_eq!(approved[0].actor_user_id, Some(second.user_id.to_string()));
        assert_eq!(approved[0].record_id, Some(me.id.to_string()));

        // Removing it takes effect at once: it only reduces access.
        let mut form = UserForm::from_record(&me);
        form.roles.retain(|r| r != "practitioner");
        h.update_user(&admin, me.id, me.version, &form)
            .await
            .unwrap();
        assert!(!h
            .user(&admin, me.id)
            .await
            .unwrap()
            .roles
            .has(Role::Practitioner));
        assert!(h
            .pending_role_change(&admin, me.id)
            .await
            .unwrap()
            .is_none());
    }
);

both_engines!(
    a_new_account_reaches_families_only_when_a_second_administrator_approves,
    |store| async move {
        let h = hearth(store).await;
        let admin = actor(&h, "admin@demo.hearth.test").await;
        let second = second_administrator(&h, &admin).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let form = |email: &str, roles: &[&str]| UserForm {
            email: email.into(),
            display_name: "Pat New".into(),
            organisation_id: lead.organisation_id.to_string(),
            team_id: lead.team_id.map(|t| t.to_string()).unwrap_or_default(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            password: PASSWORD.into(),
            ..UserForm::default()
        };

        // One administrator alone: the account exists, with what one may give.
        let id = h
            .create_user(
                Some(&admin),
                &form(
                    "pat@demo.hearth.test",
                    &["practitioner", "directory_editor"],
                ),
            )
            .await
            .unwrap();
        let pat = h.user(&admin, id).await.unwrap();
        assert_eq!(pat.roles, RoleSet::new([Role::DirectoryEditor]));
        assert_eq!(pat.team_id, None, "the team waits with the role");
        let waiting = h.pending_role_change(&admin, id).await.unwrap().unwrap();
        assert_eq!(waiting.grant.team, Some(lead.team_id));

        // The second administrator rejects it: nothing is given.
        h.reject_role_change(&second, waiting.id).await.unwrap();
        let pat = h.user(&admin, id).await.unwrap();
        assert_eq!(pat.roles, RoleSet::new([Role::DirectoryEditor]));
        assert!(h.pending_role_change(&admin, id).await.unwrap().is_none());
        assert_eq!(audited(&h, &admin, "role_change_rejected").await.len(), 1);

        // Nobody approves a change to their own account either.
        let mut mine = UserForm::from_record(&h.user(&admin, second.user_id).await.unwrap());
        mine.roles.push("team_manager".into());
        let me = h.user(&admin, second.user_id).await.unwrap();
        h.update_user(&admin, me.id, me.version, &mine)
            .await
            .unwrap();
        let waiting = h
            .pending_role_change(&admin, second.user_id)
            .await
            .unwrap()
            .unwrap();
        assert!(matches!(
            h.approve_role_change(&second, waiting.id).await,
            Err(AppError::Forbidden(_))
        ));

        // The operator at the console gives roles at once, and the log says so.
        let console = h
            .create_user(None, &form("console@demo.hearth.test", &["practitioner"]))
            .await
            .unwrap();
        assert!(h
            .user(&admin, console)
            .await
            .unwrap()
            .roles
            .has(Role::Practitioner));
        let created = audited(&h, &admin, "user_created").await;
        assert!(created[0].detail.as_deref().unwrap().contains("console"));

        // Roles that reach no family record apply at once.
        let editor = h
            .create_user(
                Some(&admin),
                &form("editor@demo.hearth.test", &["directory_editor"]),
            )
            .await
            .unwrap();
        let editor = h.user(&admin, editor).await.unwrap();
        assert!(editor.roles.has(Role::DirectoryEditor));
        assert_eq!(editor.team_id, lead.team_id);
        assert!(h
            .pending_role_change(&admin, editor.id)
            .await
            .unwrap()
            .is_none());
    }
);
