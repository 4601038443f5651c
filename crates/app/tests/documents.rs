//! Documents and letters through the app's public interface on both engines (ADR 0043), with a
//! real ClamAV daemon (clamd, started by the test with the EICAR signature): a signed consent
//! uploaded to an episode and downloaded through the gate, in the chronology and in a subject
//! access release; another team's user refused (audited); the EICAR file, a scanner that is
//! down, a file too large and a file of the wrong type each refused with what to do and nothing
//! stored; the family plan made as a PDF in Arabic, read back with pdftotext.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::documents::{Attach, DocumentPolicy, ScannerSettings, Upload};
use hearth_app::episodes::plan::{ActionForm, OutcomeForm, PlanForm};
use hearth_app::letters::LetterForm;
use hearth_app::records::AuditQuery;
use hearth_app::{AppError, Hearth, Policies};
use hearth_domain::audit::AuditAction;
use hearth_domain::document::{DocumentKind, FileType, UploadLimits};
use hearth_domain::letter::LetterKind;
use hearth_store::Store;
use hearth_testkit::app::{actor, subject_access, years_ago, PASSWORD};
use hearth_testkit::both_engines;
use hearth_testkit::clamav::{ClamAv, EICAR, EICAR_SIGNATURE};
use hearth_testkit::episodes::{self, Targeted};
use std::time::Duration;

/// A small PDF: only its opening bytes matter to the type check.
const CONSENT: &[u8] = b"%PDF-1.4\n% Consent to share information, signed\n%%EOF\n";

async fn hearth(store: Store, clam: &ClamAv, max_bytes: usize) -> Hearth {
    let h = Hearth::new(
        store,
        Policies {
            partnership_name: "Hearth Test Partnership".into(),
            documents: DocumentPolicy {
                limits: UploadLimits {
                    max_bytes,
                    types: vec![FileType::Pdf, FileType::Png, FileType::Jpeg],
                },
                scanner: Some(ScannerSettings {
                    address: clam.address(),
                    timeout: Duration::from_secs(60),
                }),
                ..DocumentPolicy::default()
            },
            ..Policies::default()
        },
    );
    h.seed_demo(PASSWORD).await.unwrap();
    h
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

fn upload(kind: DocumentKind, title: &str, name: &str, bytes: &[u8]) -> Upload {
    Upload {
        kind: kind.code().into(),
        title: title.into(),
        file_name: name.into(),
        bytes: bytes.to_vec(),
    }
}

fn choose(kind: LetterKind, language: &str) -> LetterForm {
    LetterForm {
        letter: kind.code().into(),
        language: language.into(),
    }
}

async fn audited(h: &Hearth, action: AuditAction) -> Vec<hearth_app::records::AuditEvent> {
    h.search_audit(
        &actor(h, "admin@demo.hearth.test").await,
        &AuditQuery::default(),
    )
    .await
    .unwrap()
    .into_iter()
    .filter(|e| e.action == action)
    .collect()
}

async fn stored(store: &Store) -> (i64, i64) {
    let mut conn = store.read().await.unwrap();
    let documents: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let contents: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM document_contents")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    (documents, contents)
}

/// The message at the file field of a refused upload.
fn file_message(result: Result<impl std::fmt::Debug, AppError>) -> String {
    match result {
        Err(AppError::Invalid(errors)) => errors.get("file").unwrap().to_string(),
        other => panic!("expected a refusal at the file field, got {other:?}"),
    }
}

both_engines!(
    a_signed_consent_is_uploaded_and_read_only_through_the_gate,
    |store| async move {
        let Some(clam) = ClamAv::start() else {
            return;
        };
        let h = hearth(store.clone(), &clam, 1024 * 1024).await;
        let t = family(&h).await;
        let on = Attach::Episode(t.episode);
        let id = h
            .upload_document(
                &t.worker,
                on,
                &upload(
                    DocumentKind::SignedConsent,
                    "Consent to share, signed by Amal",
                    "C:\\scans\\consent.pdf",
                    CONSENT,
                ),
            )
            .await
            .unwrap();
        let list = h.documents(&t.worker, on, None).await.unwrap();
        assert_eq!(list.documents.len(), 1);
        let d = &list.documents[0];
        assert_eq!(d.id, id);
        assert_eq!(
            d.file_name, "consent.pdf",
            "the path a browser sent is dropped"
        );
        assert_eq!(d.file_type, FileType::Pdf);
        assert_eq!(d.kind, DocumentKind::SignedConsent);
        assert!(list.may_add);
        let (got, bytes) = h.document(&t.worker, id, None).await.unwrap();
        assert_eq!(bytes, CONSENT);
        assert_eq!(got.title, "Consent to share, signed by Amal");
        // The owning team's manager reads it too.
        let (_, again) = h.document(&t.manager, id, None).await.unwrap();
        assert_eq!(again, CONSENT);

        // In each family member's chronology.
        for person in &t.people {
            let page = h
                .chronology(&t.worker, *person, &["document".into()], None, 1, None)
                .await
                .unwrap();
            assert_eq!(page.entries.len(), 1, "{person}");
            assert!(page.entries[0]
                .summary
                .starts_with("Signed consent added: Consent to share, signed by Amal (PDF"));
        }

        // Someone from another team, with no part in the family's help: refused, audited,
        // and never given the bytes or the list.
        let stranger = actor(&h, "practitioner@demo.hearth.test").await;
        let denied_before = audited(&h, AuditAction::AccessDenied).await.len();
        assert!(matches!(
            h.document(&stranger, id, None).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.documents(&stranger, on, None).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.upload_document(
                &stranger,
                on,
                &upload(DocumentKind::Report, "Report", "r.pdf", CONSENT)
            )
            .await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(
            audited(&h, AuditAction::AccessDenied).await.len(),
            denied_before + 3
        );
        assert_eq!(audited(&h, AuditAction::DocumentUploaded).await.len(), 1);
        assert_eq!(audited(&h, AuditAction::DocumentRead).await.len(), 2);
        assert_eq!(stored(&store).await, (1, 1));

        // A document on a person's own record, too.
        let child = Attach::Person(t.people[0]);
        h.upload_document(
            &t.worker,
            child,
            &upload(DocumentKind::Report, "School report", "report.pdf", CONSENT),
        )
        .await
        .unwrap();
        assert_eq!(
            h.documents(&t.worker, child, None)
                .await
                .unwrap()
                .documents
                .len(),
            1
        );
        assert!(matches!(
            h.documents(&stranger, child, None).await,
            Err(AppError::Forbidden(_))
        ));

        // A subject access release lists them.
        let review = subject_access(&h, t.people[0], "Her mother").await;
        let listed = review
            .sections
            .iter()
            .find(|s| s.key == "documents")
            .unwrap();
        let headings: Vec<&str> = listed.items.iter().map(|i| i.heading.as_str()).collect();
        assert_eq!(
            headings,
            ["Consent to share, signed by Amal", "School report"],
            "the episode's and the child's own"
        );
    }
);

both_engines!(
    the_eicar_file_and_a_scanner_that_is_down_are_refused_and_nothing_is_kept,
    |store| async move {
        let Some(mut clam) = ClamAv::start() else {
            return;
        };
        let h = hearth(store.clone(), &clam, 1024 * 1024).await;
        let t = family(&h).await;
        let on = Attach::Episode(t.episode);
        let message = file_message(
            h.upload_document(
                &t.worker,
                on,
                &upload(DocumentKind::SignedConsent, "Consent", "consent.pdf", EICAR),
            )
            .await,
        );
        assert!(
            message.starts_with(&format!(
                "The selected file contains a virus ({EICAR_SIGNATURE}). It has not been saved"
            )),
            "{message}"
        );
        assert_eq!(stored(&store).await, (0, 0));
        let refused = audited(&h, AuditAction::DocumentRefused).await;
        assert_eq!(refused.len(), 1);
        assert!(refused[0].detail.as_deref().unwrap().contains("virus"));

        // The scanner stops: a clean file is not kept either (fail closed).
        clam.down();
        let message = file_message(
            h.upload_document(
                &t.worker,
                on,
                &upload(
                    DocumentKind::SignedConsent,
                    "Consent",
                    "consent.pdf",
                    CONSENT,
                ),
            )
            .await,
        );
        assert!(
            message
                .starts_with("The file could not be checked for viruses, so it has not been saved"),
            "{message}"
        );
        assert_eq!(stored(&store).await, (0, 0));
        assert_eq!(audited(&h, AuditAction::DocumentRefused).await.len(), 2);

        // Back up: the same file goes in.
        clam.up();
        h.upload_document(
            &t.worker,
            on,
            &upload(
                DocumentKind::SignedConsent,
                "Consent",
                "consent.pdf",
                CONSENT,
            ),
        )
        .await
        .unwrap();
        assert_eq!(stored(&store).await, (1, 1));
    }
);

both_engines!(
    files_too_large_or_of_the_wrong_type_are_refused_with_what_to_do,
    |store| async move {
        let Some(clam) = ClamAv::start() else {
            return;
        };
        let h = hearth(store.clone(), &clam, 1024).await;
        let t = family(&h).await;
        let on = Attach::Episode(t.episode);
        let big = [CONSENT, &[b' '; 2048]].concat();
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        for (name, bytes, want) in [
            (
                "big.pdf",
                &big[..],
                "The selected file must be smaller than 1 KB".to_string(),
            ),
            (
                "setup.pdf",
                &b"MZ\x90\0\x03 a program"[..],
                "The selected file must be a PDF, PNG image or JPEG image".to_string(),
            ),
            (
                "photo.pdf",
                &png[..],
                "The selected file is a PNG image but its name ends differently. Rename it to end in .png and choose it again".to_string(),
            ),
        ] {
            let message = file_message(
                h.upload_document(
                    &t.worker,
                    on,
                    &upload(DocumentKind::Photo, "A photo", name, bytes),
                )
                .await,
            );
            assert_eq!(message, want, "{name}");
        }
        // What else the form lacked is said too, and still nothing is kept.
        let no_title = h
            .upload_document(
                &t.worker,
                on,
                &upload(DocumentKind::Photo, " ", "x.pdf", &big),
            )
            .await;
        match no_title {
            Err(AppError::Invalid(e)) => {
                assert_eq!(e.get("title"), Some("Enter a title for the document"));
                assert!(e.get("file").is_some());
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(stored(&store).await, (0, 0));
        assert_eq!(audited(&h, AuditAction::DocumentRefused).await.len(), 4);
    }
);

both_engines!(
    the_family_plan_comes_out_as_a_pdf_in_arabic_and_is_kept_on_the_episode,
    |store| async move {
        let Some(clam) = ClamAv::start() else {
            return;
        };
        let h = hearth(store.clone(), &clam, 1024 * 1024).await;
        let t = family(&h).await;
        // Amal's first language is Arabic; Yusuf's is not recorded.
        let mut conn = store.write().await.unwrap();
        sqlx::query("UPDATE people SET first_language = 'Arabic' WHERE id = $1")
            .bind(t.people[1].to_string())
            .execute(&mut *conn)
            .await
            .unwrap();
        Store::commit(conn).await.unwrap();
        h.save_plan(
            &t.worker,
            t.episode,
            &PlanForm {
                outcomes: vec![OutcomeForm {
                    id: String::new(),
                    text: "نريد أن نأكل معا".into(),
                    needs: vec!["family_relationships".into()],
                }],
                actions: vec![ActionForm {
                    outcome: "0".into(),
                    what: "Family meal on Sundays".into(),
                    owner: format!("user:{}", t.worker.user_id),
                    due_on: (chrono::Utc::now() + chrono::Duration::days(14))
                        .format("%d/%m/%Y")
                        .to_string(),
                    ..ActionForm::default()
                }],
                ..PlanForm::default()
            },
        )
        .await
        .unwrap();
        let letter = h
            .produce_letter(&t.worker, t.episode, &choose(LetterKind::FamilyPlan, ""))
            .await
            .unwrap();
        assert_eq!(letter.file_name, "family-plan-ar.pdf");
        let text = hearth_testkit::pdf::text(&letter.pdf);
        for words in [
            "خطة",
            "عائلتك",
            "Amal",
            "Haddad",
            "نأكل",
            "Family meal on Sundays",
            "Hearth Test Partnership",
        ] {
            assert!(text.contains(words), "{words} in the letter: {text}");
        }
        // Kept on the episode as a letter, read back through the gate as it was made.
        let (d, bytes) = h.document(&t.worker, letter.document, None).await.unwrap();
        assert_eq!(d.kind, DocumentKind::Letter);
        assert_eq!(bytes, letter.pdf);
        assert_eq!(audited(&h, AuditAction::LetterProduced).await.len(), 1);

        // A choice that is not on the list says what to fix.
        match h
            .produce_letter(&t.worker, t.episode, &choose(LetterKind::Closure, "xx"))
            .await
        {
            Err(AppError::Invalid(e)) => {
                assert_eq!(e.get("language"), Some("Choose a language from the list"))
            }
            other => panic!("{:?}", other.map(|l| l.file_name)),
        }
        // In English when chosen, and refused to someone with no part in the help.
        let english = h
            .produce_letter(
                &t.worker,
                t.episode,
                &choose(LetterKind::TafInvitation, "en"),
            )
            .await
            .unwrap();
        // Whitespace folded: the heading wraps where the page ends.
        let text = hearth_testkit::pdf::text(&english.pdf)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains(
                "Invitation to a Team Around the Family meeting Dear Yusuf Haddad, Amal Haddad,"
            ),
            "{text}"
        );
        let stranger = actor(&h, "practitioner@demo.hearth.test").await;
        assert!(matches!(
            h.produce_letter(&stranger, t.episode, &choose(LetterKind::Closure, ""))
                .await,
            Err(AppError::Forbidden(_))
        ));
    }
);

both_engines!(
    an_administrator_words_the_letters_and_the_words_are_checked,
    |store| async move {
        let Some(clam) = ClamAv::start() else {
            return;
        };
        let h = hearth(store.clone(), &clam, 1024 * 1024).await;
        let admin = actor(&h, "admin@demo.hearth.test").await;
        let pl = hearth_domain::message::Language::Pl;
        let shipped = h
            .letter_template(&admin, LetterKind::Closure, pl)
            .await
            .unwrap();
        assert_eq!(shipped.version, 0);
        assert!(shipped.body.contains("{family}"));
        match h
            .save_letter_template(&admin, LetterKind::Closure, pl, "Drodzy {rodzina}", 0)
            .await
        {
            Err(AppError::Invalid(e)) => assert!(e
                .get("body")
                .unwrap()
                .starts_with("{rodzina} is not a placeholder this letter has")),
            other => panic!("{other:?}"),
        }
        h.save_letter_template(
            &admin,
            LetterKind::Closure,
            pl,
            "Drodzy {family}, {summary}",
            0,
        )
        .await
        .unwrap();
        // A second save from the same (now out-of-date) copy is refused.
        assert!(matches!(
            h.save_letter_template(&admin, LetterKind::Closure, pl, "Inne", 0)
                .await,
            Err(AppError::Conflict)
        ));
        let saved = h
            .letter_template(&admin, LetterKind::Closure, pl)
            .await
            .unwrap();
        assert_eq!(saved.body, "Drodzy {family}, {summary}");
        assert_eq!(saved.version, 1);
        assert_eq!(
            audited(&h, AuditAction::LetterTemplateChanged).await.len(),
            1
        );
        // Only administrators.
        let worker = actor(&h, "worker@demo.hearth.test").await;
        assert!(matches!(
            h.letter_template(&worker, LetterKind::Closure, pl).await,
            Err(AppError::Forbidden(_))
        ));
    }
);
