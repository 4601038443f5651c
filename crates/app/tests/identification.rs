//! Early identification through the app's public interface, on both engines: datasets
//! registered, partners' files imported (bad rows named by line, certain matches attached,
//! uncertain ones queued, unknown people kept only as long as the dataset allows), a reviewer's
//! decision kept for the next file, the worklist with its reasons and what was done, and the
//! refusals, each audited.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Duration, Utc};
use hearth_app::identification::{DatasetForm, OutreachForm, ReviewForm};
use hearth_app::{AppError, Hearth, Store};
use hearth_domain::need::NeedDomain;
use hearth_testkit::app::{actor, hearth, hearth_with_clock};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use sqlx::Row;

async fn count(store: &Store, sql: &str) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query(sql)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

async fn events(store: &Store, action: &str) -> i64 {
    count(
        store,
        &format!("SELECT COUNT(*) FROM audit_events WHERE action = '{action}'"),
    )
    .await
}

async fn organisation(store: &Store, name: &str) -> String {
    let mut conn = store.read().await.unwrap();
    sqlx::query("SELECT id FROM organisations WHERE name = $1")
        .bind(name)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

async fn register(h: &Hearth, store: &Store, code: &str, kind: &str, owner: &str, days: &str) {
    let analyst = actor(h, "matching@demo.hearth.test").await;
    let today = Utc::now().date_naive();
    h.register_dataset(
        &analyst,
        &DatasetForm {
            code: code.into(),
            name: format!("{owner} {kind}"),
            kind: kind.into(),
            owner: organisation(store, owner).await,
            agreement_reference: format!("DSA-{code}"),
            agreement_from: (today - Duration::days(100)).to_string(),
            agreement_to: (today + Duration::days(700)).to_string(),
            lawful_basis: "public_task".into(),
            fields: "names, date of birth, postcode, event, date".into(),
            refresh: "monthly".into(),
            unmatched_days: days.into(),
        },
    )
    .await
    .unwrap();
}

/// Mia (9) and her mother Grace at 1 Oak Street, NG7 2RD: on the record, with no episode.
async fn okafors(h: &Hearth) -> (String, String) {
    let lead = actor(h, "lead@demo.hearth.test").await;
    let today = Utc::now().date_naive();
    let mia = today - Duration::days(9 * 365);
    let grace = today - Duration::days(35 * 365);
    Family::new("Okafor")
        .child("Mia", &mia.format("%d/%m/%Y").to_string())
        .address("1 Oak Street", "NG7 2RD")
        .parent("Grace", &grace.format("%d/%m/%Y").to_string())
        .address("1 Oak Street", "NG7 2RD")
        .add(h, &lead)
        .await;
    (mia.to_string(), grace.to_string())
}

both_engines!(
    partners_files_are_matched_reviewed_and_bring_a_family_to_the_worklist,
    |store| async move {
        let h = hearth(store.clone()).await;
        register(
            &h,
            &store,
            "attendance",
            "school_census",
            "Oakfield Primary School (demo)",
            "30",
        )
        .await;
        register(
            &h,
            &store,
            "police",
            "police_notifications",
            "Nottingham City Council (demo)",
            "30",
        )
        .await;
        assert_eq!(events(&store, "partner_dataset_registered").await, 2);
        let (mia, _) = okafors(&h).await;
        let analyst = actor(&h, "matching@demo.hearth.test").await;
        let recent = (Utc::now().date_naive() - Duration::days(20)).to_string();

        // Mia by name, date of birth and postcode: certain. Grace without a date of birth:
        // only a name and a postcode, so a person decides. A bad date, a stranger.
        let file = format!(
            "reference,given_names,family_name,dob,postcode,upn,event,date,attendance\n\
             A1,Mia,Okafor,{mia},NG7 2RD,,attendance,{recent},84.2\n\
             A2,Grace,Okafor,,NG7 2RD,,attendance,{recent},95\n\
             A3,Tom,Okafor,{mia},NG7 2RD,,attendance,yesterday,80\n\
             A4,Zed,Zebedee,2014-01-01,ZE1 1AA,,attendance,{recent},70\n"
        );
        let report = h
            .import_partner_data(&analyst, "attendance", "pasted", &file)
            .await
            .unwrap();
        assert_eq!(
            (
                report.counts.rows_read,
                report.counts.matched,
                report.counts.for_review,
                report.counts.unmatched,
                report.counts.rejected
            ),
            (4, 1, 1, 1, 1),
            "{report:?}"
        );
        assert_eq!(report.problems.len(), 1);
        assert_eq!(report.problems[0].line, 4);
        assert!(report.problems[0].reason.contains("date 'yesterday'"));

        // The queue: Grace's row beside Grace's record, with the reasons.
        let queue = h.review_queue(&analyst).await.unwrap();
        assert_eq!(queue.len(), 1);
        let pending = &queue[0];
        assert_eq!(
            (
                pending.given_names.as_str(),
                pending.candidate_given_names.as_str()
            ),
            ("Grace", "Grace")
        );
        assert_eq!(pending.candidate_postcode.as_deref(), Some("NG7 2RD"));
        assert!(
            pending.reasons.iter().any(|r| r.contains("postcode")),
            "{:?}",
            pending.reasons
        );
        assert_eq!(events(&store, "partner_matches_viewed").await, 1);
        let settled = h
            .decide_match(
                &analyst,
                pending.id,
                &ReviewForm {
                    decision: "same".into(),
                },
            )
            .await
            .unwrap();
        assert_eq!(settled, 1);
        assert_eq!(events(&store, "partner_match_decided").await, 1);
        // Decided once: deciding again finds nothing waiting.
        assert!(matches!(
            h.decide_match(
                &analyst,
                pending.id,
                &ReviewForm {
                    decision: "not_same".into()
                }
            )
            .await,
            Err(AppError::NotFound)
        ));

        // Police: two domestic abuse notifications about Grace, again without a date of birth.
        // The pair was decided, so nobody is asked again.
        let older = (Utc::now().date_naive() - Duration::days(200)).to_string();
        let police = format!(
            "reference,given_names,family_name,dob,postcode,event,date\n\
             P1,Grace,Okafor,,NG7 2RD,domestic_abuse,{recent}\n\
             P2,Grace,Okafor,,NG7 2RD,domestic_abuse,{older}\n"
        );
        let report = h
            .import_partner_data(&analyst, "police", "police.csv", &police)
            .await
            .unwrap();
        assert_eq!(
            (report.counts.matched, report.counts.for_review),
            (2, 0),
            "{report:?}"
        );
        assert!(h.review_queue(&analyst).await.unwrap().is_empty());

        // The worklist: the Okafors, in education and domestic abuse, with every reason.
        let frontdoor = actor(&h, "frontdoor@demo.hearth.test").await;
        let list = h.identification_worklist(&frontdoor).await.unwrap();
        assert_eq!(list.families.len(), 1, "{list:?}");
        let family = &list.families[0];
        assert_eq!(
            family.needs,
            vec![NeedDomain::GoodEducation, NeedDomain::DomesticAbuse]
        );
        let attendance = family
            .reasons
            .iter()
            .find(|r| r.need == NeedDomain::GoodEducation)
            .unwrap();
        assert_eq!(attendance.who, "Mia Okafor");
        assert_eq!(attendance.evidence[0].attendance, Some(842));
        assert_eq!(
            attendance.evidence[0].from,
            "Oakfield Primary School (demo)"
        );
        let abuse = family
            .reasons
            .iter()
            .find(|r| r.need == NeedDomain::DomesticAbuse)
            .unwrap();
        assert_eq!(
            (abuse.who.as_str(), abuse.evidence.len()),
            ("Grace Okafor", 2)
        );
        assert_eq!(events(&store, "identification_worklist_opened").await, 1);

        h.record_outreach(
            &frontdoor,
            family.household,
            &OutreachForm {
                outreach: "contacted".into(),
                note: "Spoke to Grace".into(),
            },
        )
        .await
        .unwrap();
        let list = h.identification_worklist(&frontdoor).await.unwrap();
        assert_eq!(list.families[0].done[0].note, "Spoke to Grace");
        assert_eq!(events(&store, "identification_outreach_recorded").await, 1);

        // A TAF Worker in a hub works it too.
        let taf = actor(&h, "taf-worker@demo.hearth.test").await;
        assert_eq!(
            h.identification_worklist(&taf)
                .await
                .unwrap()
                .families
                .len(),
            1
        );
    }
);

both_engines!(
    those_who_do_not_work_the_list_or_match_data_are_refused_and_audited,
    |store| async move {
        let h = hearth(store.clone()).await;
        register(
            &h,
            &store,
            "attendance",
            "school_census",
            "Oakfield Primary School (demo)",
            "30",
        )
        .await;
        let denied = || events(&store, "access_denied");
        let before = denied().await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let frontdoor = actor(&h, "frontdoor@demo.hearth.test").await;
        let matching = actor(&h, "matching@demo.hearth.test").await;
        let forbidden = |r: Result<_, AppError>| matches!(r, Err(AppError::Forbidden(_)));
        assert!(forbidden(
            h.identification_worklist(&lead).await.map(|_| ())
        ));
        assert!(forbidden(
            h.identification_worklist(&matching).await.map(|_| ())
        ));
        assert!(forbidden(h.review_queue(&analyst).await.map(|_| ())));
        assert!(forbidden(h.review_queue(&frontdoor).await.map(|_| ())));
        assert!(forbidden(
            h.import_partner_data(&frontdoor, "attendance", "x", "reference\n")
                .await
                .map(|_| ())
        ));
        assert!(forbidden(h.partner_datasets(&lead).await.map(|_| ())));
        // A family that is not on the worklist cannot have outreach recorded against it.
        let household = hearth_domain::ids::HouseholdId::new();
        assert!(forbidden(
            h.record_outreach(
                &frontdoor,
                household,
                &OutreachForm {
                    outreach: "contacted".into(),
                    note: String::new()
                },
            )
            .await
        ));
        assert_eq!(denied().await - before, 7);
        // Nobody's command-line import goes through without the role either.
        assert!(forbidden(
            h.import_partner_data_as(
                "analyst@demo.hearth.test",
                "attendance",
                "f.csv",
                "reference\n"
            )
            .await
            .map(|_| ())
        ));
    }
);

both_engines!(
    unmatched_rows_go_when_their_retention_ends_and_bad_files_import_nothing,
    |store| async move {
        let (h, clock) = hearth_with_clock(store.clone()).await;
        register(
            &h,
            &store,
            "attendance",
            "school_census",
            "Oakfield Primary School (demo)",
            "30",
        )
        .await;
        let analyst = actor(&h, "matching@demo.hearth.test").await;
        let header = "reference,given_names,family_name,dob,postcode,event,date,attendance\n";
        let day = (Utc::now().date_naive() - Duration::days(5)).to_string();
        let stranger = format!("{header}A1,Zed,Zebedee,2014-01-01,ZE1 1AA,attendance,{day},70\n");
        let report = h
            .import_partner_data(&analyst, "attendance", "f1", &stranger)
            .await
            .unwrap();
        assert_eq!(report.counts.unmatched, 1);
        let rows = "SELECT COUNT(*) FROM partner_records";
        assert_eq!(count(&store, rows).await, 1);

        // Thirty days on it is still kept; thirty-one, the next import removes it.
        *clock.lock().unwrap() += Duration::days(30);
        let report = h
            .import_partner_data(&analyst, "attendance", "f2", header)
            .await
            .unwrap();
        assert_eq!(report.removed, 0);
        *clock.lock().unwrap() += Duration::days(1);
        let report = h
            .import_partner_data(&analyst, "attendance", "f3", header)
            .await
            .unwrap();
        assert_eq!(report.removed, 1);
        assert_eq!(count(&store, rows).await, 0);

        // A file whose header lacks columns, or for an unknown dataset, imports nothing at all.
        let imports = "SELECT COUNT(*) FROM partner_imports";
        let before = count(&store, imports).await;
        let bad = h
            .import_partner_data(&analyst, "attendance", "f4", "reference,name\nA1,Zed\n")
            .await;
        assert!(
            matches!(bad, Err(AppError::Invalid(e)) if e.get("file").is_some_and(|m| m.contains("given_names")))
        );
        let bad = h.import_partner_data(&analyst, "nope", "f5", header).await;
        assert!(matches!(bad, Err(AppError::Invalid(e)) if e.get("dataset").is_some()));
        assert_eq!(count(&store, imports).await, before);
    }
);
