//! Documents in an S3-compatible object store (ADR 0052) through the app's public interface on
//! both engines, against a real S3 server (moto's, started by the test) and a real clamd: an
//! upload goes to the bucket under a key that names no one, with only its description in the
//! database, and reads back checked against its hash (a changed object is refused); a store
//! that is down refuses the upload with what to do and keeps nothing; an object whose row never
//! committed is swept once its grace has passed, and not before; erasure deletes the object;
//! `move-to-object-store` moves the database's documents a few at a time, resumably, audited.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{DateTime, Duration, Utc};
use hearth_app::documents::{
    Attach, DocumentPolicy, DocumentStore, ObjectStoreSettings, Objects, ScannerSettings, Upload,
};
use hearth_app::information_rights::{DecisionForm, RightsForm};
use hearth_app::records::AuditQuery;
use hearth_app::{AppError, Hearth, Policies};
use hearth_domain::audit::AuditAction;
use hearth_domain::document::{DocumentKind, FileType, UploadLimits};
use hearth_domain::ids::DocumentId;
use hearth_store::Store;
use hearth_testkit::app::{actor, years_ago, PASSWORD};
use hearth_testkit::both_engines;
use hearth_testkit::clamav::ClamAv;
use hearth_testkit::episodes::{self, Targeted};
use hearth_testkit::s3::{S3Server, ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY};
use std::sync::{Arc, Mutex};

type Clock = Arc<Mutex<DateTime<Utc>>>;

/// A small PDF: only its opening bytes matter to the type check.
const CONSENT: &[u8] = b"%PDF-1.4\n% Consent to share information, signed\n%%EOF\n";

fn objects(s3: &S3Server) -> Objects {
    Objects::new(&ObjectStoreSettings {
        endpoint: Some(s3.endpoint()),
        bucket: s3.bucket.clone(),
        region: REGION.into(),
        path_style: true,
        access_key_id: Some(ACCESS_KEY_ID.into()),
        secret_access_key: Some(SECRET_ACCESS_KEY.into()),
        timeout: std::time::Duration::from_secs(5),
    })
    .unwrap()
}

/// A demo Hearth keeping documents in `store_to`, on a clock the test moves.
async fn hearth(
    store: Store,
    clam: &ClamAv,
    store_to: DocumentStore,
    seed: bool,
) -> (Hearth, Clock) {
    let now: Clock = Arc::new(Mutex::new(Utc::now()));
    let clock = now.clone();
    let h = Hearth::with_clock(
        store,
        Policies {
            documents: DocumentPolicy {
                limits: UploadLimits {
                    max_bytes: 1024 * 1024,
                    types: vec![FileType::Pdf, FileType::Png, FileType::Jpeg],
                },
                scanner: Some(ScannerSettings {
                    address: clam.address(),
                    timeout: std::time::Duration::from_secs(60),
                }),
                store: store_to,
            },
            ..Policies::default()
        },
        Arc::new(move || *clock.lock().unwrap()),
    );
    if seed {
        h.seed_demo(PASSWORD).await.unwrap();
    }
    (h, now)
}

async fn family(h: &Hearth) -> Targeted {
    episodes::Family::new("Haddad")
        .child("Yusuf", &years_ago(9))
        .parent("Amal", &years_ago(34))
        .need("family_relationships")
        .detail("family_relationships", "Arguments at home")
        .told("Mum asked for help")
        .targeted(h, hearth_app::Origin::default())
        .await
}

fn consent(title: &str) -> Upload {
    Upload {
        kind: DocumentKind::SignedConsent.code().into(),
        title: title.into(),
        file_name: "consent.pdf".into(),
        bytes: CONSENT.to_vec(),
    }
}

async fn count(store: &Store, sql: &str) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut *conn).await.unwrap()
}

async fn audited(h: &Hearth, action: AuditAction) -> usize {
    h.search_audit(
        &actor(h, "admin@demo.hearth.test").await,
        &AuditQuery {
            action: Some(action.code().into()),
            ..AuditQuery::default()
        },
    )
    .await
    .unwrap()
    .len()
}

fn key(id: DocumentId) -> String {
    format!("documents/{id}")
}

both_engines!(
    an_upload_goes_to_the_bucket_and_reads_back_checked,
    |store| async move {
        let (Some(clam), Some(s3)) = (ClamAv::start(), S3Server::start()) else {
            return;
        };
        let (h, _) = hearth(
            store.clone(),
            &clam,
            DocumentStore::Objects(objects(&s3)),
            true,
        )
        .await;
        let t = family(&h).await;
        let on = Attach::Episode(t.episode);
        let id = h
            .upload_document(&t.worker, on, &consent("Consent to share, signed by Amal"))
            .await
            .unwrap();
        // In the bucket under its id; in the database only what describes it.
        assert_eq!(s3.keys(), vec![key(id)]);
        assert_eq!(s3.object(&key(id)).unwrap(), CONSENT);
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM document_contents").await,
            0
        );
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM documents WHERE storage = 's3'"
            )
            .await,
            1
        );
        // The reservation for the sweep went with the row's transaction.
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM document_object_sweep").await,
            0
        );
        let (d, bytes) = h.document(&t.worker, id, None).await.unwrap();
        assert_eq!((d.id, bytes.as_slice()), (id, CONSENT));
        assert_eq!(audited(&h, AuditAction::DocumentRead).await, 1);

        // Someone else's copy put in its place is refused, not shown.
        s3.put(&key(id), b"%PDF-1.4\n% something else\n%%EOF\n");
        match h.document(&t.worker, id, None).await {
            Err(AppError::Internal(why)) => assert!(why.contains("does not match"), "{why}"),
            other => panic!("a changed object was shown: {:?}", other.map(|(d, _)| d.id)),
        }
        // Nothing in the bucket says whose file it is.
        assert!(!s3
            .keys()
            .iter()
            .any(|k| k.contains("Haddad") || k.contains("consent")));
    }
);

both_engines!(
    a_store_that_is_down_keeps_nothing_and_orphans_are_swept_after_their_grace,
    |store| async move {
        let (Some(clam), Some(mut s3)) = (ClamAv::start(), S3Server::start()) else {
            return;
        };
        let (h, clock) = hearth(
            store.clone(),
            &clam,
            DocumentStore::Objects(objects(&s3)),
            true,
        )
        .await;
        let start = h.now();
        let t = family(&h).await;
        let on = Attach::Episode(t.episode);

        s3.down();
        match h.upload_document(&t.worker, on, &consent("Consent")).await {
            Err(AppError::Invalid(e)) => assert_eq!(
                e.get("file"),
                Some("The file could not be saved because the document store could not be reached. Nothing has been saved: try again in a few minutes; if it keeps happening, tell your administrator")
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(count(&store, "SELECT COUNT(*) FROM documents").await, 0);
        assert_eq!(audited(&h, AuditAction::DocumentRefused).await, 1);

        s3.up();
        let kept = h
            .upload_document(&t.worker, on, &consent("Consent, again"))
            .await
            .unwrap();
        // What a server that stopped between putting an object and committing its row leaves:
        // the object, and its reservation for the sweep.
        let orphan = key(DocumentId::new());
        s3.put(&orphan, CONSENT);
        let mut tx = store.write().await.unwrap();
        sqlx::query(
            "INSERT INTO document_object_sweep (object_key, why, not_before) VALUES ($1, 'upload', $2)",
        )
        .bind(&orphan)
        .bind(hearth_domain::time::to_text(start + Duration::hours(1)))
        .execute(&mut *tx)
        .await
        .unwrap();
        Store::commit(tx).await.unwrap();

        // Within the grace nothing is touched: its row may still be on its way.
        assert_eq!(h.sweep_document_objects().await.unwrap(), 0);
        assert_eq!(s3.keys().len(), 2);
        // After it, the orphan goes (and the failed upload's key, which has no object); the
        // document whose row committed stays, and still reads back.
        *clock.lock().unwrap() = start + Duration::hours(2);
        assert_eq!(h.sweep_document_objects().await.unwrap(), 2);
        assert_eq!(s3.keys(), vec![key(kept)]);
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM document_object_sweep").await,
            0
        );
        assert_eq!(h.document(&t.worker, kept, None).await.unwrap().1, CONSENT);
    }
);

both_engines!(
    erasure_deletes_the_object_from_the_bucket,
    |store| async move {
        let (Some(clam), Some(s3)) = (ClamAv::start(), S3Server::start()) else {
            return;
        };
        let (h, _) = hearth(
            store.clone(),
            &clam,
            DocumentStore::Objects(objects(&s3)),
            true,
        )
        .await;
        let t = family(&h).await;
        let amal = t.people[1];
        let id = h
            .upload_document(&t.worker, Attach::Person(amal), &consent("Amal's consent"))
            .await
            .unwrap();
        assert_eq!(s3.keys(), vec![key(id)]);
        let dpo = actor(&h, "dpo@demo.hearth.test").await;
        let today = h.now().date_naive();
        let request = h
            .log_rights_request(
                &dpo,
                &RightsForm {
                    person: amal.to_string(),
                    kind: "erasure".into(),
                    requested_by: "Amal, for herself".into(),
                    grounds: "I no longer want the council to hold my details".into(),
                    received_day: today.format("%-d").to_string(),
                    received_month: today.format("%-m").to_string(),
                    received_year: today.format("%Y").to_string(),
                    ..RightsForm::default()
                },
            )
            .await
            .unwrap();
        let (r, _) = h.rights_request(&dpo, request).await.unwrap();
        h.decide_rights_request(
            &dpo,
            request,
            &DecisionForm {
                version: r.version.to_string(),
                outcome: "uphold".into(),
                exemptions: vec![],
                reasons: "Considered against the record and the partnership's duties".into(),
            },
        )
        .await
        .unwrap();
        // Gone from the database and, once the erasure committed, from the bucket.
        assert_eq!(count(&store, "SELECT COUNT(*) FROM documents").await, 0);
        assert!(s3.keys().is_empty(), "{:?}", s3.keys());
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM document_object_sweep").await,
            0
        );
    }
);

both_engines!(
    documents_in_the_database_move_to_the_bucket_resumably,
    |store| async move {
        let (Some(clam), Some(s3)) = (ClamAv::start(), S3Server::start()) else {
            return;
        };
        // Uploaded while the partnership kept documents in the database.
        let (before, _) = hearth(store.clone(), &clam, DocumentStore::Database, true).await;
        let t = family(&before).await;
        let on = Attach::Episode(t.episode);
        let mut ids = Vec::new();
        for n in 0..3 {
            ids.push(
                before
                    .upload_document(&t.worker, on, &consent(&format!("Consent {n}")))
                    .await
                    .unwrap(),
            );
        }
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM document_contents").await,
            3
        );
        assert!(matches!(
            before.move_documents_to_object_store(None).await,
            Err(AppError::Internal(_))
        ));

        // Then set to the object store: two now (a run stopped part-way), the rest later.
        let (h, _) = hearth(
            store.clone(),
            &clam,
            DocumentStore::Objects(objects(&s3)),
            false,
        )
        .await;
        assert_eq!(
            h.move_documents_to_object_store(Some(2))
                .await
                .unwrap()
                .moved,
            2
        );
        assert_eq!(s3.keys().len(), 2);
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM document_contents").await,
            1
        );
        // Every document reads back meanwhile, from wherever it is.
        for id in &ids {
            assert_eq!(h.document(&t.worker, *id, None).await.unwrap().1, CONSENT);
        }
        let rest = h.move_documents_to_object_store(None).await.unwrap();
        assert_eq!((rest.moved, rest.damaged.len()), (1, 0));
        assert_eq!(
            h.move_documents_to_object_store(None).await.unwrap().moved,
            0
        );
        let mut want: Vec<String> = ids.iter().map(|i| key(*i)).collect();
        want.sort();
        assert_eq!(s3.keys(), want);
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM document_contents").await,
            0
        );
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM documents WHERE storage = 's3'"
            )
            .await,
            3
        );
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM document_object_sweep").await,
            0
        );
        assert_eq!(audited(&h, AuditAction::DocumentMoved).await, 3);
        for id in &ids {
            assert_eq!(h.document(&t.worker, *id, None).await.unwrap().1, CONSENT);
        }
    }
);
