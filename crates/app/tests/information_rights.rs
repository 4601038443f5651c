//! Information rights through the app's public interface, on both engines: a subject access
//! request from logging to release (a merged person's two records gathered, redactions removed
//! from every format), who may not, extensions, disputed corrections, the report of who
//! viewed a person, and audit minimisation.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Datelike, Months, Utc};
use hearth_app::episodes::case_notes::NoteForm;
use hearth_app::family::details::DetailForm;
use hearth_app::family::SearchForm;
use hearth_app::information_rights::pdf::pdf;
use hearth_app::information_rights::{ExtendForm, SarForm};
use hearth_app::records::{AuditQuery, ViewPath};
use hearth_app::{Actor, AppError, Hearth};
use hearth_domain::information_rights::{passage_key, SarStatus};
use hearth_domain::person::DetailPage;
use hearth_testkit::app::{actor, hearth, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;

/// A note in the scripts the family might write their names in.
const WORDS_IN_SIX_LANGUAGES: &str =
    "Babcia Łucja mówi: dziękujemy. Ștefan a spus: mulțumesc. قال الأب: شكرا";

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

fn note(body: &str) -> NoteForm {
    NoteForm {
        kind: "visit".into(),
        occurred_on: today().format("%d/%m/%Y").to_string(),
        participants: "The family".into(),
        child_seen: "yes".into(),
        body: body.into(),
        ..NoteForm::default()
    }
}

fn sar(person: &str) -> SarForm {
    let t = today();
    SarForm {
        person: person.into(),
        requested_by: "Her mother, with parental responsibility".into(),
        identity_checked: "Passport seen at the Family Hub".into(),
        received_day: t.day().to_string(),
        received_month: t.month().to_string(),
        received_year: t.year().to_string(),
        ..SarForm::default()
    }
}

async fn audited(h: &Hearth, dpo: &Actor, action: &str) -> usize {
    h.search_audit(
        dpo,
        &AuditQuery {
            action: Some(action.into()),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .len()
}

async fn searches(h: &Hearth, who: &Actor) -> Vec<hearth_app::records::AuditEvent> {
    h.search_audit(
        who,
        &AuditQuery {
            action: Some("person_searched".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

both_engines!(
    a_subject_access_request_gathers_both_records_of_a_merged_child_and_releases_without_what_was_left_out,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let manager = actor(&h, "manager@demo.hearth.test").await;
        let dpo = actor(&h, "dpo@demo.hearth.test").await;
        let mia = Family::new("Okafor")
            .child("Mia", &years_ago(8))
            .parent("Grace", &years_ago(35))
            .need("education")
            .early_help(&h, &lead, "School knows the family best")
            .await;
        h.add_note(&lead, mia.episode, &note("Grace said the word marmalade"))
            .await
            .unwrap();
        h.add_note(&lead, mia.episode, &note(WORDS_IN_SIX_LANGUAGES))
            .await
            .unwrap();
        h.add_note(
            &lead,
            mia.episode,
            &note("Mia read well today. Her aunt Beata was arrested last week. Mia wants to join the choir."),
        )
        .await
        .unwrap();
        // The same child, recorded again elsewhere with her own help, then joined.
        let twin = Family::new("Okafor-Smith")
            .child("Mia", &years_ago(8))
            .need("health")
            .early_help(&h, &lead, "Health visitor's referral")
            .await;
        h.add_note(&lead, twin.episode, &note("Seen under her other record"))
            .await
            .unwrap();
        h.merge_people(&manager, mia.people[0], twin.people[0], "Same child")
            .await
            .unwrap();

        // Only the data protection officer logs a request, and everything about it is asked.
        let refused = h.log_subject_access(&lead, &sar(&mia.people[0].to_string())).await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))), "{refused:?}");
        let empty = h.log_subject_access(&dpo, &SarForm::default()).await;
        match empty {
            Err(AppError::Invalid(e)) => {
                for f in ["person", "requested_by", "identity_checked", "received"] {
                    assert!(e.get(f).is_some(), "{f}: {e:?}");
                }
            }
            other => panic!("{other:?}"),
        }
        // Logged under the merged id, it is about the surviving record.
        let id = h
            .log_subject_access(&dpo, &sar(&twin.people[0].to_string()))
            .await
            .unwrap();
        let queue = h.subject_access_queue(&dpo).await.unwrap();
        let row = queue.iter().find(|r| r.request.id == id).unwrap();
        assert_eq!(row.request.person, mia.people[0]);
        assert_eq!(row.request.due_on, today().checked_add_months(Months::new(1)).unwrap());
        assert!(matches!(h.subject_access_queue(&lead).await, Err(AppError::Forbidden(_))));

        let review = h.subject_access(&dpo, id).await.unwrap();
        assert_eq!(review.record_ids.len(), 2, "both records");
        let notes = review.sections.iter().find(|s| s.key == "notes").unwrap();
        let said = |text: &str| {
            notes
                .items
                .iter()
                .find(|i| i.fields.iter().any(|f| f.value.contains(text)))
                .cloned()
        };
        let marmalade = said("marmalade").expect("the note from her first record");
        assert!(said("Seen under her other record").is_some(), "the merged record's episode");
        assert!(
            marmalade.third_party.is_some(),
            "a note in an episode with her mother tells of someone else"
        );
        let households = review.sections.iter().find(|s| s.key == "households").unwrap();
        assert!(households
            .items
            .iter()
            .any(|i| i.heading.contains("Grace") && i.third_party.is_some()));
        let viewers = review.sections.iter().find(|s| s.key == "viewers").unwrap();
        assert!(viewers.items.iter().any(|i| i.heading.contains("Lee Lead")), "{viewers:?}");
        // Nobody else may open the request, and the refusal is recorded.
        let denied_before = audited(&h, &dpo, "access_denied").await;
        assert!(matches!(h.subject_access(&lead, id).await, Err(AppError::Forbidden(_))));
        assert_eq!(audited(&h, &dpo, "access_denied").await, denied_before + 1);

        // Leave the note out, and one sentence of another; keys not gathered for this request
        // (an item, a sentence past the end) are ignored.
        let choir = said("join the choir").expect("the note with a sentence about her aunt");
        let field = choir.fields.iter().position(|f| f.value.contains("choir")).unwrap();
        let aunt = passage_key(&choir.key, field, 1);
        h.redact_subject_access(
            &dpo,
            id,
            &[
                marmalade.key.clone(),
                "notes:not-here".into(),
                aunt.clone(),
                passage_key(&choir.key, field, 3),
            ],
        )
        .await
        .unwrap();
        let again = h.subject_access(&dpo, id).await.unwrap();
        assert_eq!(again.redacted.len(), 2, "{:?}", again.redacted);
        assert!(again.redacted.contains(&marmalade.key) && again.redacted.contains(&aunt));
        assert!(matches!(
            h.released_subject_access(&dpo, id, "pdf").await,
            Err(AppError::NotFound)
        ));
        h.release_subject_access(&dpo, id).await.unwrap();
        assert!(matches!(h.release_subject_access(&dpo, id).await, Err(AppError::Conflict)));
        assert!(matches!(
            h.redact_subject_access(&dpo, id, &[]).await,
            Err(AppError::Conflict)
        ));

        let document = h.released_subject_access(&dpo, id, "json").await.unwrap();
        // The note, and what repeats it (its entry in the chronology).
        assert!(document.left_out >= 1);
        let json = serde_json::to_string(&document).unwrap();
        assert!(!json.contains("marmalade"), "left out of the data");
        // The sentence about her aunt is gone from the note and from its chronology entry;
        // the rest of the note is released, with a mark where it was.
        assert!(!json.contains("Beata"), "the sentence left out of the data");
        assert!(json.contains("Mia read well today. [Left out: about someone else] Mia wants to join the choir."));
        assert!(document.passages_left_out >= 1);
        assert!(json.contains("Seen under her other record"));
        let bytes = pdf(&document).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        // Read back as a reader's viewer reads it: every script's letters are there.
        let text = hearth_testkit::pdf::text(&bytes);
        assert!(text.contains("Information held about Mia Okafor"), "{text}");
        assert!(text.contains("Seen under her other record"));
        for words in ["Łucja", "mówi", "Ștefan", "mulțumesc", "شكرا"] {
            assert!(text.contains(words), "{words} in the PDF: {text}");
        }
        assert!(!text.contains("marmalade"), "left out of the PDF");
        assert!(!text.contains("Beata"), "the sentence left out of the PDF");
        assert!(text.contains("Mia wants to join the choir"));
        let released = h.subject_access_queue(&dpo).await.unwrap();
        assert_eq!(
            released.iter().find(|r| r.request.id == id).unwrap().request.status,
            SarStatus::Released
        );
        for action in [
            "subject_access_logged",
            "subject_access_gathered",
            "subject_access_redacted",
            "subject_access_released",
            "subject_access_downloaded",
        ] {
            assert!(audited(&h, &dpo, action).await >= 1, "{action}");
        }
    }
);

both_engines!(
    a_request_is_extended_by_at_most_two_months_with_a_reason,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let dpo = actor(&h, "dpo@demo.hearth.test").await;
        let family = Family::new("Novak")
            .child("Ola", &years_ago(12))
            .need("education")
            .early_help(&h, &lead, "School")
            .await;
        let id = h
            .log_subject_access(&dpo, &sar(&family.people[0].to_string()))
            .await
            .unwrap();
        let review = h.subject_access(&dpo, id).await.unwrap();
        let date = |d: chrono::NaiveDate, reason: &str| ExtendForm {
            version: review.request.version.to_string(),
            reason: reason.into(),
            due_day: d.day().to_string(),
            due_month: d.month().to_string(),
            due_year: d.year().to_string(),
        };
        let too_late = today().checked_add_months(Months::new(4)).unwrap();
        let e = h
            .extend_subject_access(&dpo, id, &date(too_late, "Complex"))
            .await;
        assert!(
            matches!(e, Err(AppError::Invalid(ref e)) if e.get("due").is_some()),
            "{e:?}"
        );
        let later = today().checked_add_months(Months::new(3)).unwrap();
        let e = h.extend_subject_access(&dpo, id, &date(later, " ")).await;
        assert!(
            matches!(e, Err(AppError::Invalid(ref e)) if e.get("reason").is_some()),
            "{e:?}"
        );
        h.extend_subject_access(&dpo, id, &date(later, "Several requests at once"))
            .await
            .unwrap();
        let stale = h
            .extend_subject_access(&dpo, id, &date(later - chrono::Days::new(1), "Again"))
            .await;
        assert!(
            matches!(stale, Err(AppError::Invalid(_) | AppError::Conflict)),
            "{stale:?}"
        );
        let now = h.subject_access(&dpo, id).await.unwrap().request;
        assert_eq!(now.due_on, later);
        assert_eq!(
            now.extension_reason.as_deref(),
            Some("Several requests at once")
        );
    }
);

both_engines!(
    a_correction_the_person_disputes_keeps_their_view_and_an_out_of_date_form_shows_what_it_said,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let family = Family::new("Begum")
            .child("Aisha", "01/02/2016")
            .need("education")
            .early_help(&h, &lead, "School")
            .await;
        let child = family.people[0];
        let now = h
            .details_to_change(&lead, child, DetailPage::DateOfBirth)
            .await
            .unwrap();
        let mut form = DetailForm::of(&now.person);
        form.dob_day = "3".into();
        form.reason = "Birth certificate seen".into();
        form.disputed = Some("yes".into());
        let e = h
            .change_details(&lead, child, DetailPage::DateOfBirth, &form)
            .await;
        assert!(
            matches!(e, Err(AppError::Invalid(ref e)) if e.get("disputed_note").is_some()),
            "{e:?}"
        );
        form.disputed_note = "Mum says the certificate is wrong".into();
        let old_form = form.clone();
        h.change_details(&lead, child, DetailPage::DateOfBirth, &form)
            .await
            .unwrap();
        let record = h.person(&lead, child, None).await.unwrap();
        let hearth_app::family::PersonView::Full(full) = record else {
            panic!("opened");
        };
        let change = full
            .history
            .iter()
            .find(|c| c.new.as_deref() == Some("2016-02-03"))
            .unwrap();
        assert_eq!(
            change.disputed.as_deref(),
            Some("Mum says the certificate is wrong")
        );
        assert_eq!(
            change.old.as_deref(),
            Some("2016-02-01"),
            "the earlier value is kept"
        );
        // A second save from the same, now out-of-date, page is refused; what it said can be
        // shown beside the record's.
        let mut stale = old_form;
        stale.dob_day = "4".into();
        let e = h
            .change_details(&lead, child, DetailPage::DateOfBirth, &stale)
            .await;
        assert!(matches!(e, Err(AppError::Conflict)), "{e:?}");
        assert!(stale
            .typed(DetailPage::DateOfBirth, today())
            .iter()
            .any(|(_, v)| v.as_deref() == Some("2016-02-04")));
    }
);

both_engines!(
    the_officer_sees_who_reached_a_person_by_every_path_and_administrators_do_not_see_search_terms,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let admin = actor(&h, "admin@demo.hearth.test").await;
        let dpo = actor(&h, "dpo@demo.hearth.test").await;
        let family = Family::new("Kowalczyk")
            .child("Zofia", &years_ago(9))
            .parent("Piotr", &years_ago(40))
            .need("education")
            .early_help(&h, &lead, "School")
            .await;
        let (child, father) = (family.people[0], family.people[1]);
        h.search_people(
            &lead,
            &SearchForm {
                name: "Zofia Kowalczyk".into(),
                ..SearchForm::default()
            },
        )
        .await
        .unwrap();
        h.person(&lead, child, None).await.unwrap();
        h.episode(&lead, family.episode).await.unwrap();
        h.chronology(&lead, father, &[], None, 1, None)
            .await
            .unwrap();

        assert!(matches!(
            h.person_viewings(&lead, child).await,
            Err(AppError::Forbidden(_))
        ));
        let report = h.person_viewings(&dpo, child).await.unwrap();
        let paths: Vec<ViewPath> = report
            .viewings
            .iter()
            .filter(|v| v.who == "Lee Lead")
            .map(|v| v.path)
            .collect();
        for p in [
            ViewPath::SearchResults,
            ViewPath::TheirRecord,
            ViewPath::Episode,
            ViewPath::RelativesChronology,
        ] {
            assert!(paths.contains(&p), "{p:?} in {paths:?}");
        }

        let for_admin = searches(&h, &admin).await;
        assert!(!for_admin.is_empty());
        assert!(for_admin
            .iter()
            .all(|e| !e.detail.as_deref().unwrap_or("").contains("Kowalczyk")));
        assert!(
            for_admin.iter().any(|e| e
                .detail
                .as_deref()
                .unwrap_or("")
                .contains(&child.to_string())),
            "which records a search showed stays"
        );
        let for_dpo = searches(&h, &dpo).await;
        assert!(for_dpo
            .iter()
            .any(|e| e.detail.as_deref().unwrap_or("").contains("Kowalczyk")));
    }
);
