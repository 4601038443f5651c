//! The audit log's integrity on both engines: a keyed chain and anchors kept outside the
//! database find each way of tampering with the log, given write access to the database.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::Utc;
use hearth_domain::audit::{
    chain_hash, keyed_chain_hash, Anchor, AuditAction, AuditKey, AuditKeyRing, ChainBreak,
    NewAuditEvent, GENESIS_HASH,
};
use hearth_domain::ids::AuditEventId;
use hearth_store::audit::{self, AuditEvent, AuditQuery, Verification};
use hearth_store::{Conn, Store};
use hearth_testkit::{audit_key, both_engines};

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
        detail: Some(r#"{"n":1}"#.into()),
        api_token_id: None,
    }
}

fn ring() -> AuditKeyRing {
    AuditKeyRing::new(audit_key(), vec![])
}

fn other_key(byte: u8) -> AuditKey {
    AuditKey::new(&[byte; 32]).unwrap()
}

/// Appends `n` events signed with `key`.
async fn append(store: &Store, key: &AuditKey, n: usize) {
    for i in 0..n {
        let mut tx = store.write().await.unwrap();
        audit::append_signed(&mut tx, key, &event(&format!("user{i}@example.org")))
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
}

async fn anchor(conn: &mut Conn) -> Anchor {
    audit::head(conn, Utc::now()).await.unwrap()
}

async fn verify(conn: &mut Conn, keys: &AuditKeyRing, anchors: &[Anchor]) -> Verification {
    audit::verify(conn, keys, anchors.to_vec()).await.unwrap()
}

async fn exec(conn: &mut Conn, sql: &str) {
    sqlx::query(sql).execute(&mut *conn).await.unwrap();
}

/// Every event, oldest first.
async fn events(conn: &mut Conn) -> Vec<AuditEvent> {
    let mut all = audit::search(conn, &AuditQuery::default(), &[], 10_000)
        .await
        .unwrap();
    all.reverse();
    all
}

/// What someone with write access to the database (but not the key) can do after removing
/// events: re-chain every event from `from_seq` on with `sign` and move the head to match.
async fn rechain(
    conn: &mut Conn,
    from_seq: i64,
    sign: impl Fn(&str, &AuditEvent) -> (String, Option<String>),
) {
    let mut prev = GENESIS_HASH.to_string();
    let mut last = 0;
    for e in events(conn).await {
        if e.seq >= from_seq {
            let (hash, key_id) = sign(&prev, &e);
            sqlx::query(
                "UPDATE audit_events SET prev_hash = $1, hash = $2, key_id = $3 WHERE seq = $4",
            )
            .bind(&prev)
            .bind(&hash)
            .bind(&key_id)
            .bind(e.seq)
            .execute(&mut *conn)
            .await
            .unwrap();
            prev = hash;
        } else {
            prev = e.hash.clone();
        }
        last = e.seq;
    }
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(last)
        .bind(&prev)
        .execute(&mut *conn)
        .await
        .unwrap();
}

/// Removes event `seq` and closes the gap in the numbering.
async fn delete_and_renumber(conn: &mut Conn, seq: i64) {
    exec(conn, &format!("DELETE FROM audit_events WHERE seq = {seq}")).await;
    // Two steps so that no two rows hold one number in between (PostgreSQL checks the key
    // row by row).
    exec(
        conn,
        &format!("UPDATE audit_events SET seq = -seq WHERE seq > {seq}"),
    )
    .await;
    exec(conn, "UPDATE audit_events SET seq = -seq - 1 WHERE seq < 0").await;
}

both_engines!(
    a_keyed_chain_verifies_with_its_anchors,
    |store| async move {
        append(&store, &audit_key(), 3).await;
        let mut conn = store.read().await.unwrap();
        let first = anchor(&mut conn).await;
        assert_eq!(first.key_id.as_deref(), Some(audit_key().id()));
        drop(conn);
        append(&store, &audit_key(), 3).await;
        let mut conn = store.read().await.unwrap();
        let anchors = [first, anchor(&mut conn).await];
        assert_eq!(
            verify(&mut conn, &ring(), &anchors).await,
            Verification::Intact { events: 6 }
        );
        assert!(events(&mut conn)
            .await
            .iter()
            .all(|e| e.key_id.as_deref() == Some(audit_key().id())));
    }
);

both_engines!(a_deleted_event_is_found, |store| async move {
    append(&store, &audit_key(), 5).await;
    let mut conn = store.read().await.unwrap();
    exec(&mut conn, "DELETE FROM audit_events WHERE seq = 3").await;
    assert_eq!(
        verify(&mut conn, &ring(), &[]).await,
        Verification::Broken(ChainBreak::Gap {
            expected_seq: 3,
            found_seq: 4
        })
    );
});

both_engines!(
    a_tail_cut_off_with_the_head_moved_back_is_found_by_the_anchor,
    |store| async move {
        append(&store, &audit_key(), 6).await;
        let mut conn = store.read().await.unwrap();
        let anchors = [anchor(&mut conn).await];
        exec(&mut conn, "DELETE FROM audit_events WHERE seq > 4").await;
        exec(
            &mut conn,
            "UPDATE audit_head SET seq = 4,
             hash = (SELECT hash FROM audit_events WHERE seq = 4) WHERE id = 1",
        )
        .await;
        // Without the anchor the shortened log looks whole.
        assert_eq!(
            verify(&mut conn, &ring(), &[]).await,
            Verification::Intact { events: 4 }
        );
        assert_eq!(
            verify(&mut conn, &ring(), &anchors).await,
            Verification::Broken(ChainBreak::BehindAnchor {
                line: 1,
                anchor_seq: 6,
                last_seq: 4
            })
        );
    }
);

both_engines!(reordered_events_are_found, |store| async move {
    append(&store, &audit_key(), 4).await;
    let mut conn = store.read().await.unwrap();
    exec(&mut conn, "UPDATE audit_events SET seq = -2 WHERE seq = 2").await;
    exec(&mut conn, "UPDATE audit_events SET seq = 2 WHERE seq = 3").await;
    exec(&mut conn, "UPDATE audit_events SET seq = 3 WHERE seq = -2").await;
    assert!(matches!(
        verify(&mut conn, &ring(), &[]).await,
        Verification::Broken(ChainBreak::Unlinked { seq: 2, .. })
    ));
});

both_engines!(a_modified_event_is_found, |store| async move {
    append(&store, &audit_key(), 4).await;
    let mut conn = store.read().await.unwrap();
    exec(
        &mut conn,
        "UPDATE audit_events SET detail = '{\"n\":2}' WHERE seq = 2",
    )
    .await;
    assert!(matches!(
        verify(&mut conn, &ring(), &[]).await,
        Verification::Broken(ChainBreak::Altered { seq: 2, .. })
    ));
});

both_engines!(
    a_chain_recomputed_without_the_key_is_found,
    |store| async move {
        append(&store, &audit_key(), 6).await;
        let mut conn = store.read().await.unwrap();
        let anchors = [anchor(&mut conn).await];
        delete_and_renumber(&mut conn, 3).await;

        // Re-signed with a key of their own, named as theirs or passed off as the real one.
        let theirs = other_key(0x42);
        rechain(&mut conn, 3, |prev, e| {
            (
                keyed_chain_hash(&theirs, prev, &e.chained()),
                Some(theirs.id().to_string()),
            )
        })
        .await;
        assert!(matches!(
            verify(&mut conn, &ring(), &[]).await,
            Verification::Broken(ChainBreak::UnknownKey { seq: 3, .. })
        ));
        rechain(&mut conn, 3, |prev, e| {
            (
                keyed_chain_hash(&theirs, prev, &e.chained()),
                Some(audit_key().id().to_string()),
            )
        })
        .await;
        assert!(matches!(
            verify(&mut conn, &ring(), &[]).await,
            Verification::Broken(ChainBreak::Altered { seq: 3, .. })
        ));

        // Re-chained with plain SHA-256 as if from before the key: from the gap on…
        rechain(&mut conn, 3, |prev, e| {
            (chain_hash(prev, &e.chained()), None)
        })
        .await;
        assert!(matches!(
            verify(&mut conn, &ring(), &[]).await,
            Verification::Broken(ChainBreak::Unkeyed { seq: 3, .. })
        ));
        // …or the whole log, which looks like an old unkeyed log until the anchor is read.
        rechain(&mut conn, 1, |prev, e| {
            (chain_hash(prev, &e.chained()), None)
        })
        .await;
        assert_eq!(
            verify(&mut conn, &ring(), &[]).await,
            Verification::Intact { events: 5 }
        );
        assert_eq!(
            verify(&mut conn, &ring(), &anchors).await,
            Verification::Broken(ChainBreak::BehindAnchor {
                line: 1,
                anchor_seq: 6,
                last_seq: 5
            })
        );
    }
);

both_engines!(
    a_rewritten_event_under_an_anchor_is_found,
    |store| async move {
        append(&store, &audit_key(), 4).await;
        let mut conn = store.read().await.unwrap();
        let anchors = [anchor(&mut conn).await];
        append(&store, &audit_key(), 2).await;
        // Even re-signed with the real key (someone who has it), the anchored event differs.
        exec(
            &mut conn,
            "UPDATE audit_events SET actor_label = 'x' WHERE seq = 2",
        )
        .await;
        let key = audit_key();
        rechain(&mut conn, 2, |prev, e| {
            (
                keyed_chain_hash(&key, prev, &e.chained()),
                Some(key.id().to_string()),
            )
        })
        .await;
        assert_eq!(
            verify(&mut conn, &ring(), &[]).await,
            Verification::Intact { events: 6 }
        );
        assert_eq!(
            verify(&mut conn, &ring(), &anchors).await,
            Verification::Broken(ChainBreak::AnchorMismatch { line: 1, seq: 4 })
        );
    }
);

both_engines!(
    events_signed_before_a_key_rotation_verify_with_the_retired_key,
    |store| async move {
        let old = other_key(0x01);
        let new = other_key(0x02);
        append(&store, &old, 3).await;
        let mut conn = store.read().await.unwrap();
        let before = anchor(&mut conn).await;
        drop(conn);
        append(&store, &new, 3).await;
        let mut conn = store.read().await.unwrap();
        let anchors = [before, anchor(&mut conn).await];
        let rotated = AuditKeyRing::new(new.clone(), vec![old.clone()]);
        assert_eq!(
            verify(&mut conn, &rotated, &anchors).await,
            Verification::Intact { events: 6 }
        );
        // Without the retired key its events cannot be checked, and verification says so.
        let without_old = AuditKeyRing::new(new, vec![]);
        assert!(matches!(
            verify(&mut conn, &without_old, &anchors).await,
            Verification::Broken(ChainBreak::UnknownKey { seq: 1, ref key_id, .. })
                if key_id == old.id()
        ));
    }
);

both_engines!(
    an_unkeyed_log_from_before_the_key_verifies_up_to_the_first_keyed_event,
    |store| async move {
        // Events as an older Hearth wrote them: chained with plain SHA-256, no key id.
        append(&store, &audit_key(), 3).await;
        let mut conn = store.read().await.unwrap();
        rechain(&mut conn, 1, |prev, e| {
            (chain_hash(prev, &e.chained()), None)
        })
        .await;
        drop(conn);
        append(&store, &audit_key(), 2).await;
        let mut conn = store.read().await.unwrap();
        let anchors = [anchor(&mut conn).await];
        assert_eq!(
            verify(&mut conn, &ring(), &anchors).await,
            Verification::Intact { events: 5 }
        );
    }
);

both_engines!(bulk_appended_events_are_keyed, |store| async move {
    append(&store, &audit_key(), 1).await;
    let batch: Vec<_> = (0..3)
        .map(|i| (AuditEventId::new(), event(&format!("bulk{i}@example.org"))))
        .collect();
    let mut tx = store.write().await.unwrap();
    audit::append_many(&mut tx, store.engine(), &batch)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = store.read().await.unwrap();
    let anchors = [anchor(&mut conn).await];
    assert_eq!(
        verify(&mut conn, &ring(), &anchors).await,
        Verification::Intact { events: 4 }
    );
    assert!(events(&mut conn)
        .await
        .iter()
        .all(|e| e.key_id.as_deref() == Some(audit_key().id())));
});

both_engines!(
    an_event_hearth_cannot_read_back_is_found_altered_not_a_crash,
    |store| async move {
        append(&store, &audit_key(), 3).await;
        let mut conn = store.write().await.unwrap();
        exec(
            &mut conn,
            "UPDATE audit_events SET action = 'sign_inn' WHERE seq = 2",
        )
        .await;
        assert!(matches!(
            verify(&mut conn, &ring(), &[]).await,
            Verification::Broken(ChainBreak::Altered { seq: 2, .. })
        ));
        // Reading the log back is an error, never an event with a made-up action.
        assert!(matches!(
            audit::search(&mut conn, &AuditQuery::default(), &[], 10).await,
            Err(hearth_store::StoreError::Corrupt(_))
        ));
        exec(
            &mut conn,
            "UPDATE audit_events SET action = 'sign_in', at = 'yesterday' WHERE seq = 2",
        )
        .await;
        assert!(matches!(
            verify(&mut conn, &ring(), &[]).await,
            Verification::Broken(ChainBreak::Altered { seq: 2, .. })
        ));
    }
);
