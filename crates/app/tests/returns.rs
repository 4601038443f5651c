//! Returns: Ofsted's Annex A lists and the Standard Safeguarding Dataset's early-help tables,
//! on a small known set of families whose expected rows are worked out by hand, on both
//! engines; and who may produce them (the gate refuses, and records, everyone else).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{NaiveDate, TimeZone, Utc};
use hearth_app::records::AuditQuery;
use hearth_app::{Actor, AppError, Hearth};
use hearth_domain::returns::{Cell, Window};
use hearth_testkit::app::{actor, hearth_with_clock};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(clock: &hearth_testkit::app::Clock, day: NaiveDate) {
    *clock.lock().unwrap() = Utc.from_utc_datetime(&day.and_hms_opt(10, 0, 0).unwrap());
}

/// The rows of a sheet about one person (by the id in its first column or in `column`).
fn rows_about(rows: &[Vec<Cell>], column: usize, id: &str) -> Vec<Vec<Cell>> {
    rows.iter()
        .filter(|r| r[column] == Cell::Text(id.to_string()))
        .cloned()
        .collect()
}

both_engines!(
    annex_a_lists_the_childrens_contacts_and_early_help_of_six_months,
    |store| async move {
        let (h, clock) = hearth_with_clock(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        // Before the six months: a contact about Ben, which list 1 leaves out.
        at(&clock, d(2039, 11, 1));
        let (ben, _) = Family::new("Quarrington")
            .child("Ben", "01/05/2031")
            .need("education")
            .ask(&h, &lead)
            .await;
        // In them: Amy (ten on the inspection date) and her father, in Early Family Help.
        at(&clock, d(2040, 1, 10));
        let amy = Family::new("Quillfeather")
            .child("Amy", "01/04/2030")
            .parent("Tom", "12/07/1990")
            .need("health")
            .early_help(&h, &lead, "The school knows the family best")
            .await;
        at(&clock, d(2040, 7, 1));
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let lists = h.annex_a(&analyst, d(2040, 6, 30)).await.unwrap();

        assert_eq!(
            lists.window,
            Window::new(d(2039, 12, 30), d(2040, 6, 30)).unwrap()
        );
        let amy_id = amy.people[0].to_string();
        let contacts = rows_about(&lists.contacts.rows, 0, &amy_id);
        assert_eq!(contacts.len(), 1, "one contact about Amy");
        assert_eq!(
            contacts[0][3..],
            [
                Cell::Date(d(2030, 4, 1)),
                Cell::Number(10),
                Cell::Date(d(2040, 1, 10)),
                Cell::Text("2A – Oakfield Primary School (demo)".into()),
            ]
        );
        assert!(
            rows_about(&lists.contacts.rows, 0, &amy.people[1].to_string()).is_empty(),
            "not her father"
        );
        assert!(
            rows_about(&lists.contacts.rows, 0, &ben[0].to_string()).is_empty(),
            "Ben's contact was before"
        );

        let help = rows_about(&lists.early_help.rows, 0, &amy_id);
        assert_eq!(help.len(), 1);
        assert_eq!(help[0][5], Cell::Date(d(2040, 1, 10)));
        assert_eq!(help[0][6], Cell::Empty, "still open");
        assert!(
            matches!(&help[0][7], Cell::Text(org) if !org.is_empty()),
            "{:?}",
            help[0][7]
        );

        // The dataset over the same months: Amy and her episode, her father nowhere.
        let data = h
            .safeguarding_dataset(&analyst, lists.window)
            .await
            .unwrap();
        let [people, contacts, episodes, involvements] = &data.tables;
        assert_eq!(rows_about(&people.rows, 0, &amy_id).len(), 1);
        assert!(rows_about(&people.rows, 0, &amy.people[1].to_string()).is_empty());
        let amy_contacts = rows_about(&contacts.rows, 1, &amy_id);
        assert_eq!(amy_contacts.len(), 1);
        assert!(amy_contacts[0][5]
            .text()
            .contains("\"OTHER_OUTCOMES_EXIST_FLAG\": \"Y\""));
        let amy_episodes = rows_about(&episodes.rows, 1, &amy_id);
        assert_eq!(amy_episodes.len(), 1);
        assert_eq!(
            amy_episodes[0][0],
            Cell::Text(format!("{}:{amy_id}", amy.episode))
        );
        assert_eq!(
            amy_episodes[0][7],
            Cell::Text(lead.user_id.to_string()),
            "the lead professional"
        );
        assert!(
            !rows_about(&involvements.rows, 7, &amy_id).is_empty(),
            "the lead's involvement"
        );

        // Each opening is in the audit log, with its return and period.
        let admin = actor(&h, "admin@demo.hearth.test").await;
        let opened = audited(&h, &admin, "return_produced").await;
        assert_eq!(opened.len(), 2, "Annex A and the dataset");
        assert!(opened
            .iter()
            .all(|e| e.actor_user_id.as_deref() == Some(analyst.user_id.to_string().as_str())));
        assert!(opened.iter().any(|e| e
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("\"annex_a\"") && d.contains("2039-12-30"))));
    }
);

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
    only_those_who_produce_returns_may_and_refusals_are_recorded,
    |store| async move {
        let (h, _clock) = hearth_with_clock(store).await;
        for email in [
            "lead@demo.hearth.test",
            "frontdoor@demo.hearth.test",
            "admin@demo.hearth.test",
            "dpo@demo.hearth.test",
        ] {
            let who = actor(&h, email).await;
            let refused = h.annex_a(&who, d(2026, 6, 30)).await;
            assert!(
                matches!(refused, Err(AppError::Forbidden(_))),
                "{email}: {refused:?}"
            );
            let refused = h
                .safeguarding_dataset(&who, Window::new(d(2026, 1, 1), d(2026, 6, 30)).unwrap())
                .await;
            assert!(matches!(refused, Err(AppError::Forbidden(_))), "{email}");
        }
        let admin = actor(&h, "admin@demo.hearth.test").await;
        let refusals = audited(&h, &admin, "access_denied").await;
        let returns: Vec<_> = refusals
            .iter()
            .filter(|e| e.record_type.as_deref() == Some("return"))
            .collect();
        assert_eq!(returns.len(), 8, "each refusal recorded once");
        assert!(
            audited(&h, &admin, "return_produced").await.is_empty(),
            "nothing was produced"
        );
    }
);
