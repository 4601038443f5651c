//! Storage tests: each runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Duration, Utc};
use hearth_domain::audit::{AuditAction, ChainBreak, NewAuditEvent};
use hearth_domain::ids::{OrganisationId, TeamId, UserId};
use hearth_domain::organisation::OrganisationKind;
use hearth_domain::role::{Role, RoleSet};
use hearth_store::accounts::organisations::{self, OrganisationFields};
use hearth_store::accounts::teams::{self, TeamFields};
use hearth_store::accounts::users::{self, UserFields, UserFilter};
use hearth_store::audit::{self, AuditQuery, Verification};
use hearth_store::{accounts::sessions, Store, StoreError};
use hearth_testkit::both_engines;

fn org_fields(name: &str) -> OrganisationFields {
    OrganisationFields {
        name: name.into(),
        kind: OrganisationKind::School,
        identifier: Some("100012".into()),
    }
}

async fn new_org(store: &Store, name: &str) -> OrganisationId {
    let id = OrganisationId::new();
    let mut tx = store.write().await.unwrap();
    organisations::insert(&mut tx, id, &org_fields(name), Utc::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

fn event(label: &str) -> NewAuditEvent {
    NewAuditEvent {
        at: Utc::now(),
        actor_user_id: None,
        actor_label: label.into(),
        action: AuditAction::SignIn,
        record_type: None,
        record_id: None,
        ip: Some("127.0.0.1".into()),
        reason: None,
        detail: None,
        api_token_id: None,
    }
}

both_engines!(
    organisation_names_are_unique_ignoring_case,
    |store| async move {
        new_org(&store, "Bestwood Primary").await;
        let mut tx = store.write().await.unwrap();
        let err = organisations::insert(
            &mut tx,
            OrganisationId::new(),
            &org_fields("bestwood primary"),
            Utc::now(),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, StoreError::Duplicate), "{err:?}");
    }
);

both_engines!(
    a_stale_version_is_refused_not_overwritten,
    |store| async move {
        let id = new_org(&store, "Meadows Academy").await;
        let mut conn = store.read().await.unwrap();
        let read = organisations::get(&mut conn, id).await.unwrap();
        drop(conn);
        let mut tx = store.write().await.unwrap();
        organisations::update(
            &mut tx,
            id,
            read.version,
            &org_fields("Meadows Academy Trust"),
            Utc::now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.write().await.unwrap();
        let err = organisations::update(
            &mut tx,
            id,
            read.version,
            &org_fields("Meadows School"),
            Utc::now(),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, StoreError::Conflict));
        drop(tx);
        let mut conn = store.read().await.unwrap();
        assert_eq!(
            organisations::get(&mut conn, id).await.unwrap().name,
            "Meadows Academy Trust"
        );
    }
);

both_engines!(
    users_keep_their_roles_team_and_organisation,
    |store| async move {
        let org = new_org(&store, "Nottingham City Council").await;
        let team = TeamId::new();
        let mut tx = store.write().await.unwrap();
        teams::insert(
            &mut tx,
            team,
            &TeamFields {
                organisation_id: org,
                name: "MASH".into(),
                description: None,
            },
            Utc::now(),
        )
        .await
        .unwrap();
        let id = UserId::new();
        let fields = UserFields {
            email: "sam@example.org".into(),
            display_name: "Sam Example".into(),
            job_title: None,
            phone: None,
            organisation_id: org,
            team_id: Some(team),
            roles: RoleSet::new([Role::TeamManager, Role::Practitioner]),
        };
        users::insert(
            &mut tx,
            id,
            &fields,
            "hash",
            users::FirstPassword::AtConsole,
            Utc::now(),
        )
        .await
        .unwrap();
        users::insert(
            &mut tx,
            UserId::new(),
            &UserFields {
                email: "alex@example.org".into(),
                display_name: "Alex 100% Example".into(),
                roles: RoleSet::new([]),
                ..fields.clone()
            },
            "hash",
            users::FirstPassword::AtConsole,
            Utc::now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let mut conn = store.read().await.unwrap();
        let user = users::get(&mut conn, id).await.unwrap();
        assert_eq!(
            user.roles,
            RoleSet::new([Role::Practitioner, Role::TeamManager])
        );
        assert_eq!(user.team_name.as_deref(), Some("MASH"));
        assert_eq!(user.organisation_name, "Nottingham City Council");

        let all = users::list(&mut conn, &UserFilter::default(), 100)
            .await
            .unwrap();
        assert_eq!(all.len(), 2);
        let found = users::list(
            &mut conn,
            &UserFilter {
                text: Some("100%".into()),
                ..Default::default()
            },
            100,
        )
        .await
        .unwrap();
        assert_eq!(
            found.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(),
            vec!["alex@example.org"]
        );
        // Text and organisation together, and the limit counting users.
        let in_org = |organisation_id, text: &str| UserFilter {
            text: Some(text.into()),
            organisation_id: Some(organisation_id),
        };
        let both = users::list(&mut conn, &in_org(user.organisation_id, "example"), 100)
            .await
            .unwrap();
        assert_eq!(both.len(), 2);
        let elsewhere = users::list(&mut conn, &in_org(OrganisationId::new(), "example"), 100)
            .await
            .unwrap();
        assert!(elsewhere.is_empty());
        let first = users::list(&mut conn, &UserFilter::default(), 1)
            .await
            .unwrap();
        assert_eq!(first.len(), 1);
        let (signin, hash) = users::find_for_sign_in(&mut conn, "sam@example.org")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((signin.id, hash.as_str()), (id, "hash"));
    }
);

/// Verifies with the test key and no anchors.
async fn verify(conn: &mut hearth_store::Conn) -> Verification {
    audit::verify(conn, audit::keys().unwrap(), vec![])
        .await
        .unwrap()
}

both_engines!(
    the_audit_chain_verifies_and_catches_tampering,
    |store| async move {
        for i in 0..5 {
            let mut tx = store.write().await.unwrap();
            audit::append(&mut tx, &event(&format!("user{i}@example.org")))
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        let mut conn = store.read().await.unwrap();
        assert_eq!(verify(&mut conn).await, Verification::Intact { events: 5 });

        let found = audit::search(
            &mut conn,
            &AuditQuery {
                who: Some("user3".into()),
                ..Default::default()
            },
            &[],
            10,
        )
        .await
        .unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].seq, 4);

        sqlx::query("UPDATE audit_events SET actor_label = 'someone@else.org' WHERE seq = 3")
            .execute(&mut *conn)
            .await
            .unwrap();
        match verify(&mut conn).await {
            Verification::Broken(ChainBreak::Altered { seq: 3, .. }) => {}
            other => panic!("expected event 3 altered, got {other:?}"),
        }
    }
);

both_engines!(removing_audit_events_is_caught, |store| async move {
    for _ in 0..4 {
        let mut tx = store.write().await.unwrap();
        audit::append(&mut tx, &event("a@example.org"))
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let mut conn = store.read().await.unwrap();
    sqlx::query("DELETE FROM audit_events WHERE seq = 4")
        .execute(&mut *conn)
        .await
        .unwrap();
    assert_eq!(
        verify(&mut conn).await,
        Verification::Broken(ChainBreak::Truncated {
            head_seq: 4,
            last_seq: 3
        })
    );
    sqlx::query("DELETE FROM audit_events WHERE seq = 2")
        .execute(&mut *conn)
        .await
        .unwrap();
    assert_eq!(
        verify(&mut conn).await,
        Verification::Broken(ChainBreak::Gap {
            expected_seq: 2,
            found_seq: 3
        })
    );
});

both_engines!(concurrent_appends_keep_one_chain, |store| async move {
    let mut handles = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            for j in 0..5 {
                let mut tx = store.write().await.unwrap();
                audit::append(&mut tx, &event(&format!("w{i}-{j}@example.org")))
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let mut conn = store.read().await.unwrap();
    assert_eq!(verify(&mut conn).await, Verification::Intact { events: 40 });
});

both_engines!(sessions_are_found_touched_and_pruned, |store| async move {
    let org = new_org(&store, "Org").await;
    let user = UserId::new();
    let mut tx = store.write().await.unwrap();
    users::insert(
        &mut tx,
        user,
        &UserFields {
            email: "s@example.org".into(),
            display_name: "S".into(),
            job_title: None,
            phone: None,
            organisation_id: org,
            team_id: None,
            roles: RoleSet::new([]),
        },
        "h",
        users::FirstPassword::AtConsole,
        Utc::now(),
    )
    .await
    .unwrap();
    let old = Utc::now() - Duration::hours(2);
    for token in ["old", "new"] {
        let at = if token == "old" { old } else { Utc::now() };
        sessions::insert(
            &mut tx,
            &sessions::NewSession {
                token_hash: token,
                user_id: user,
                csrf_token: "c",
                ip: None,
                user_agent: None,
            },
            at,
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let mut conn = store.read().await.unwrap();
    assert_eq!(
        sessions::get(&mut conn, "new")
            .await
            .unwrap()
            .unwrap()
            .user_id,
        user
    );
    let pruned = sessions::prune(
        &mut conn,
        Utc::now() - Duration::minutes(30),
        Utc::now() - Duration::hours(12),
    )
    .await
    .unwrap();
    assert_eq!(pruned, 1);
    assert!(sessions::get(&mut conn, "old").await.unwrap().is_none());
    assert_eq!(
        sessions::delete_for_user(&mut conn, user, Some("new"))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        sessions::delete_for_user(&mut conn, user, None)
            .await
            .unwrap(),
        1
    );
});

both_engines!(
    migrations_report_ready_and_rerun_cleanly,
    |store| async move {
        assert!(store.is_ready().await);
        store.migrate().await.unwrap();
        assert!(store.is_ready().await);
    }
);

mod directory_words {
    use super::*;
    use hearth_domain::directory::Paging;
    use hearth_domain::vocabulary::Vocabulary;
    use hearth_store::directory::{self as dir, Criteria, DirectoryOrganisation, ServiceEntry};
    use uuid::Uuid;

    fn entry(organisation_id: Uuid, name: &str) -> ServiceEntry {
        ServiceEntry {
            id: Uuid::now_v7(),
            organisation_id,
            name: name.into(),
            description: "Songs, stories and messy play.".into(),
            url: None,
            email: None,
            status: hearth_domain::directory::ServiceStatus::Active,
            minimum_age: None,
            maximum_age: None,
            free: true,
            cost_option_id: Uuid::now_v7(),
            cost_description: None,
            access: hearth_domain::directory::AccessMethod::DropIn,
            contact_id: Uuid::now_v7(),
            contact_name: None,
            phone_id: Uuid::now_v7(),
            phone: None,
            service_area_id: Uuid::now_v7(),
            service_area: None,
            last_reviewed: Utc::now().date_naive(),
            schedules: Vec::new(),
            languages: Vec::new(),
            locations: Vec::new(),
            attributes: Vec::new(),
            translations: Vec::new(),
        }
    }

    fn riverside_trust() -> DirectoryOrganisation {
        DirectoryOrganisation {
            id: Uuid::now_v7(),
            name: "Riverside Trust".into(),
            description: "A charity".into(),
            email: None,
            website: None,
            partner_organisation_id: None,
            source: dir::LOCAL.into(),
        }
    }

    async fn found(store: &Store, word: &str) -> (u64, Vec<String>) {
        let mut conn = store.read().await.unwrap();
        let (total, hits) = dir::services_page(
            &mut conn,
            &Criteria {
                words: vec![word.into()],
                ..Criteria::default()
            },
            Paging {
                page: 1,
                per_page: 10,
            },
        )
        .await
        .unwrap();
        (total, hits.into_iter().map(|h| h.entry.name).collect())
    }

    fn vocabulary() -> Vocabulary {
        Vocabulary::default()
    }

    both_engines!(
        services_are_indexed_again_once_when_the_vocabulary_changes,
        |store| async move {
            let now = Utc::now();
            let org = riverside_trust();
            let mut tx = store.write().await.unwrap();
            dir::put_organisation(&mut tx, &vocabulary(), &org, now)
                .await
                .unwrap();
            for name in ["Stay and Play", "Rhyme time"] {
                dir::put_service(
                    &mut tx,
                    &vocabulary(),
                    &entry(org.id, name),
                    true,
                    dir::LOCAL,
                    None,
                    now,
                )
                .await
                .unwrap();
            }
            tx.commit().await.unwrap();
            // By a word of the name, the description and the organisation, as a prefix.
            assert_eq!(found(&store, "rhym").await, (1, vec!["Rhyme time".into()]));
            assert_eq!(found(&store, "messy").await.0, 2);
            assert_eq!(found(&store, "riverside").await.0, 2);
            // A database from before migration 0022 has services but no vocabulary's words
            // for them (here: none at all).
            let mut tx = store.write().await.unwrap();
            sqlx::query("DELETE FROM directory_service_words")
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            assert_eq!(found(&store, "rhym").await.0, 0);
            let mut tx = store.write().await.unwrap();
            assert_eq!(
                dir::index_services(&mut tx, &vocabulary()).await.unwrap(),
                2
            );
            assert_eq!(
                dir::index_services(&mut tx, &vocabulary()).await.unwrap(),
                0
            );
            tx.commit().await.unwrap();
            // The partnership adds a phrase: every service is indexed again, once, and
            // found by the need the phrase stands for.
            assert_eq!(found(&store, "~play_learning").await.0, 2, "messy play");
            assert_eq!(found(&store, "~wellbeing").await.0, 0);
            let ours = Vocabulary::with_additions("[en]\nsongs = wellbeing\n").unwrap();
            let mut tx = store.write().await.unwrap();
            assert_eq!(dir::index_services(&mut tx, &ours).await.unwrap(), 2);
            assert_eq!(dir::index_services(&mut tx, &ours).await.unwrap(), 0);
            tx.commit().await.unwrap();
            assert_eq!(found(&store, "~wellbeing").await.0, 2);
            assert_eq!(found(&store, "rhym").await, (1, vec!["Rhyme time".into()]));
            assert_eq!(
                found(&store, "stay").await,
                (1, vec!["Stay and Play".into()])
            );
        }
    );

    both_engines!(
        renaming_an_organisation_or_a_need_reaches_keyword_search,
        |store| async move {
            let now = Utc::now();
            let mut org = riverside_trust();
            let taxonomy = dir::Taxonomy {
                id: Uuid::now_v7(),
                name: "Needs".into(),
                description: "What families need help with".into(),
                uri: None,
                version: None,
            };
            let mut need = dir::Term {
                id: Uuid::now_v7(),
                taxonomy_id: taxonomy.id,
                taxonomy_name: taxonomy.name.clone(),
                code: "cooking".into(),
                name: "Cookery".into(),
                description: "Cooking on a budget".into(),
                parent_id: None,
            };
            let mut tx = store.write().await.unwrap();
            dir::put_organisation(&mut tx, &vocabulary(), &org, now)
                .await
                .unwrap();
            dir::put_taxonomy(&mut tx, &taxonomy).await.unwrap();
            dir::put_term(&mut tx, &vocabulary(), &need).await.unwrap();
            let mut with_need = entry(org.id, "Stay and Play");
            with_need.attributes.push(dir::Attribute {
                id: Uuid::now_v7(),
                term_id: need.id,
            });
            dir::put_service(
                &mut tx,
                &vocabulary(),
                &with_need,
                true,
                dir::LOCAL,
                None,
                now,
            )
            .await
            .unwrap();
            dir::put_service(
                &mut tx,
                &vocabulary(),
                &entry(org.id, "Rhyme time"),
                true,
                dir::LOCAL,
                None,
                now,
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            assert_eq!(found(&store, "riverside").await.0, 2);
            assert_eq!(found(&store, "cookery").await.0, 1);

            org.name = "Meadows Trust".into();
            need.name = "Healthy eating".into();
            let mut tx = store.write().await.unwrap();
            dir::put_organisation(&mut tx, &vocabulary(), &org, now)
                .await
                .unwrap();
            dir::put_term(&mut tx, &vocabulary(), &need).await.unwrap();
            tx.commit().await.unwrap();
            assert_eq!(found(&store, "meadows").await.0, 2, "the new name");
            assert_eq!(found(&store, "riverside").await.0, 0, "not the old");
            assert_eq!(
                found(&store, "healthy").await,
                (1, vec!["Stay and Play".into()])
            );
            assert_eq!(found(&store, "cookery").await.0, 0);
        }
    );

    /// Services with `word` within a mile of a place in Nottingham, by the family's search.
    async fn found_near(store: &Store, word: &str) -> u64 {
        let mut conn = store.read().await.unwrap();
        let (total, _) = dir::nearest_services(
            &mut conn,
            &Criteria {
                words: vec![word.into()],
                active_only: true,
                ..Criteria::default()
            },
            dir::Near {
                centre: hearth_domain::directory::Coordinates::new(52.955, -1.15).unwrap(),
                radius_metres: 1609.344,
            },
            Paging {
                page: 1,
                per_page: 10,
            },
        )
        .await
        .unwrap();
        total
    }

    async fn word_places(tx: &mut hearth_store::Tx) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM directory_word_places")
            .fetch_one(&mut **tx)
            .await
            .unwrap()
    }

    both_engines!(
        a_database_from_before_the_word_places_is_given_them_by_its_migration,
        |store| async move {
            let now = Utc::now();
            let org = riverside_trust();
            let place = dir::Location {
                id: Uuid::now_v7(),
                name: "Riverside Centre".into(),
                description: None,
                address_id: Uuid::now_v7(),
                address_1: "1 Canal Street".into(),
                city: "Nottingham".into(),
                postal_code: "NG1 7EH".into(),
                latitude: Some(52.95),
                longitude: Some(-1.15),
                family_hub: false,
                accessibility_id: Uuid::now_v7(),
                accessibility: None,
                source: dir::LOCAL.into(),
            };
            let mut tx = store.write().await.unwrap();
            dir::put_organisation(&mut tx, &vocabulary(), &org, now)
                .await
                .unwrap();
            dir::put_location(&mut tx, &place, now).await.unwrap();
            for name in ["Stay and Play", "Rhyme time"] {
                let mut e = entry(org.id, name);
                e.locations = vec![dir::ServiceAtLocation {
                    id: Uuid::now_v7(),
                    location_id: place.id,
                }];
                dir::put_service(&mut tx, &vocabulary(), &e, true, dir::LOCAL, None, now)
                    .await
                    .unwrap();
            }
            tx.commit().await.unwrap();
            assert_eq!(found_near(&store, "messy").await, 2);
            assert_eq!(found_near(&store, "rhyme").await, 1);

            // As a database migrated to 0013 was: services and places, no word places.
            let mut tx = store.write().await.unwrap();
            let written = word_places(&mut tx).await;
            assert!(written > 0);
            sqlx::query("DELETE FROM directory_word_places")
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            assert_eq!(found_near(&store, "messy").await, 0);

            // The migration's last statement fills the table from what is there: the same
            // rows the store writes.
            let migration = include_str!("../migrations/0014_directory_word_places.sql");
            let backfill = migration
                .split(';')
                .map(str::trim)
                .rfind(|s| !s.is_empty())
                .unwrap();
            assert!(backfill.starts_with("INSERT INTO directory_word_places"));
            let mut tx = store.write().await.unwrap();
            sqlx::query(backfill).execute(&mut *tx).await.unwrap();
            assert_eq!(word_places(&mut tx).await, written);
            tx.commit().await.unwrap();
            assert_eq!(found_near(&store, "messy").await, 2);
            assert_eq!(found_near(&store, "rhyme").await, 1);
        }
    );
}

/// A writer that waits out SQLite's busy timeout (an overloaded server) is told the database
/// is busy, which the web answers with 503 and "try again", not with an internal error.
#[tokio::test]
async fn a_write_lock_held_past_the_busy_timeout_is_busy_not_a_fault() {
    use sqlx::Connection;
    let (url, store) = hearth_testkit::sqlite().await;
    let held = store.write().await.unwrap(); // BEGIN IMMEDIATE: holds the write lock
    let mut other = sqlx::AnyConnection::connect(&url).await.unwrap();
    sqlx::query("PRAGMA busy_timeout = 0")
        .execute(&mut other)
        .await
        .unwrap();
    let err = sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap_err();
    assert!(matches!(StoreError::from(err), StoreError::Busy));
    // Any other database error is still a fault to look into.
    let err = sqlx::query("SELECT * FROM no_such_table")
        .execute(&mut other)
        .await
        .unwrap_err();
    assert!(matches!(StoreError::from(err), StoreError::Database(_)));
    drop(held);
}

/// A user for the passkey tests, in an organisation of their own.
async fn passkey_user(store: &Store, email: &str) -> UserId {
    let org = new_org(store, &format!("Org of {email}")).await;
    let user = UserId::new();
    let mut tx = store.write().await.unwrap();
    users::insert(
        &mut tx,
        user,
        &UserFields {
            email: email.into(),
            display_name: email.into(),
            job_title: None,
            phone: None,
            organisation_id: org,
            team_id: None,
            roles: RoleSet::new([]),
        },
        "h",
        users::FirstPassword::AtConsole,
        Utc::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    user
}

both_engines!(
    passkeys_are_kept_per_user_and_never_shared,
    |store| async move {
        use hearth_domain::ids::PasskeyId;
        use hearth_store::accounts::passkeys::{self, StoredPasskey};
        let ann = passkey_user(&store, "ann@example.org").await;
        let bob = passkey_user(&store, "bob@example.org").await;
        let now = Utc::now();
        let key = |user, name: &str, cred: &str, at| StoredPasskey {
            id: PasskeyId::new(),
            user_id: user,
            name: name.into(),
            credential_id: cred.into(),
            passkey: format!(r#"{{"cred":"{cred}"}}"#),
            created_at: at,
            last_used_at: None,
        };
        let laptop = key(ann, "Laptop", "cred-a", now - Duration::minutes(2));
        let phone = key(ann, "Phone", "cred-b", now);
        let mut tx = store.write().await.unwrap();
        passkeys::add(&mut tx, &laptop).await.unwrap();
        passkeys::add(&mut tx, &phone).await.unwrap();
        tx.commit().await.unwrap();

        // One credential never belongs to two accounts (nor twice to one).
        let mut tx = store.write().await.unwrap();
        let again = passkeys::add(&mut tx, &key(bob, "Stolen", "cred-a", now)).await;
        assert!(matches!(again, Err(StoreError::Duplicate)), "{again:?}");
        drop(tx);

        let mut conn = store.read().await.unwrap();
        let mine = passkeys::for_user(&mut conn, ann).await.unwrap();
        assert_eq!(
            mine.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            ["Laptop", "Phone"]
        );
        assert_eq!(passkeys::count(&mut conn, bob).await.unwrap(), 0);
        drop(conn);

        // A use moves the credential on (its counter) and says when.
        let mut tx = store.write().await.unwrap();
        passkeys::record_use(&mut tx, laptop.id, r#"{"counter":2}"#, now)
            .await
            .unwrap();
        // Bob cannot remove Ann's passkey; Ann can.
        assert_eq!(
            passkeys::remove(&mut tx, bob, phone.id).await.unwrap(),
            None
        );
        assert_eq!(
            passkeys::remove(&mut tx, ann, phone.id).await.unwrap(),
            Some("Phone".into())
        );
        tx.commit().await.unwrap();
        let mut conn = store.read().await.unwrap();
        let mine = passkeys::for_user(&mut conn, ann).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].passkey, r#"{"counter":2}"#);
        assert!(mine[0].last_used_at.is_some());
        drop(conn);
        let mut tx = store.write().await.unwrap();
        assert_eq!(passkeys::remove_all(&mut tx, ann).await.unwrap(), 1);
        tx.commit().await.unwrap();
    }
);

both_engines!(
    a_passkey_challenge_is_taken_once_and_old_ones_pruned,
    |store| async move {
        use hearth_domain::passkey::Purpose;
        use hearth_store::accounts::passkeys::{self, Challenge};
        let ann = passkey_user(&store, "ann@example.org").await;
        let now = Utc::now();
        let challenge = |state: &str, at| Challenge {
            user_id: ann,
            name: Some("Laptop".into()),
            state: state.into(),
            created_at: at,
        };
        let mut tx = store.write().await.unwrap();
        passkeys::put_challenge(
            &mut tx,
            "s1",
            Purpose::Registration,
            &challenge("first", now),
        )
        .await
        .unwrap();
        // A new challenge for the same session and purpose replaces the last.
        passkeys::put_challenge(
            &mut tx,
            "s1",
            Purpose::Registration,
            &challenge("second", now),
        )
        .await
        .unwrap();
        passkeys::put_challenge(
            &mut tx,
            "s1",
            Purpose::SignIn,
            &challenge("sign-in", now - Duration::minutes(30)),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let mut tx = store.write().await.unwrap();
        let taken = passkeys::take_challenge(&mut tx, "s1", Purpose::Registration)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(taken.state, "second");
        assert_eq!(taken.name.as_deref(), Some("Laptop"));
        assert!(
            passkeys::take_challenge(&mut tx, "s1", Purpose::Registration)
                .await
                .unwrap()
                .is_none()
        );
        assert!(passkeys::take_challenge(&mut tx, "s2", Purpose::SignIn)
            .await
            .unwrap()
            .is_none());
        assert_eq!(
            passkeys::prune_challenges(&mut tx, now - Duration::minutes(5))
                .await
                .unwrap(),
            1
        );
        assert!(passkeys::take_challenge(&mut tx, "s1", Purpose::SignIn)
            .await
            .unwrap()
            .is_none());
        tx.commit().await.unwrap();
    }
);
