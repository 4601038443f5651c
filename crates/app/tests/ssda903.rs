//! The SSDA903 return through the app's public interface, on both engines: a record built
//! through the use cases (children coming into care, placed, moved, returned home, an
//! unaccompanied child), on top of the demo's own children in care; the 903 files for the
//! year pass the DfE's validation rules (data-to-insight's validator, a real one); the return
//! is for those who may produce returns, each opening and refusal audited.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Datelike, NaiveDate};
use hearth_app::care::{
    EndCareForm, HomeForm, LeaverForm, LegalStatusForm, PlaceForm, RequestForm, ReturnFile,
    StartForm,
};
use hearth_app::family::{PersonForm, SearchForm};
use hearth_app::{Actor, AppError, Hearth, Store};
use hearth_domain::care::ssda903::CollectionYear;
use hearth_domain::ids::{CareHomeId, PersonId};
use hearth_testkit::app::{actor, hearth};
use hearth_testkit::both_engines;
use sqlx::Row;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn dmy(on: NaiveDate) -> (String, String, String) {
    (
        on.day().to_string(),
        on.month().to_string(),
        on.year().to_string(),
    )
}

async fn events(store: &Store, action: &str) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

async fn home(
    h: &Hearth,
    officer: &Actor,
    name: &str,
    route: &str,
    kind: &str,
    postcode: &str,
    urn: &str,
) -> CareHomeId {
    h.save_care_home(
        officer,
        None,
        &HomeForm {
            name: name.into(),
            provider: format!("{name} provider"),
            route: route.into(),
            placement_type: kind.into(),
            ofsted_urn: urn.into(),
            registered_places: "6".into(),
            vacancies: "6".into(),
            age_from: "0".into(),
            age_to: "25".into(),
            postcode: postcode.into(),
            weekly_cost: "900".into(),
            ..HomeForm::default()
        },
    )
    .await
    .unwrap()
}

/// A child on the social worker's record, searched for first, with their sex recorded.
async fn child(
    h: &Hearth,
    sw: &Actor,
    name: &str,
    born: &str,
    postcode: &str,
    sex: &str,
) -> PersonId {
    let search = h
        .search_people(
            sw,
            &SearchForm {
                name: format!("Test {name}"),
                dob: born.into(),
                ..SearchForm::default()
            },
        )
        .await
        .unwrap();
    h.add_person(
        sw,
        &PersonForm {
            search_id: search.search_id.to_string(),
            given_names: "Test".into(),
            family_name: name.into(),
            dob: born.into(),
            address_line1: "1 Test Street".into(),
            postcode: postcode.into(),
            sex: sex.into(),
            ethnicity: "WBRI".into(),
            ..PersonForm::default()
        },
    )
    .await
    .unwrap()
}

#[allow(clippy::too_many_arguments)]
async fn admit(
    h: &Hearth,
    sw: &Actor,
    id: PersonId,
    on: NaiveDate,
    ls: &str,
    cin: &str,
    home: &str,
    uasc: bool,
) {
    let (start_day, start_month, start_year) = dmy(on);
    h.start_care(
        sw,
        id,
        &StartForm {
            start_day,
            start_month,
            start_year,
            legal_status: ls.into(),
            category_of_need: cin.into(),
            home_postcode: home.into(),
            uasc: if uasc { "yes".into() } else { String::new() },
        },
    )
    .await
    .unwrap();
}

async fn place(
    h: &Hearth,
    sw: &Actor,
    officer: &Actor,
    id: PersonId,
    home: CareHomeId,
    on: NaiveDate,
    end_reason: &str,
) {
    let request = h
        .request_placement(
            sw,
            id,
            &RequestForm {
                urgency: "planned".into(),
                wishes: "I want to stay near my friends.".into(),
                siblings: "0".into(),
                ..RequestForm::default()
            },
        )
        .await
        .unwrap();
    let view = h.placement_request(officer, request).await.unwrap();
    let (start_day, start_month, start_year) = dmy(on);
    h.place_child(
        officer,
        request,
        &PlaceForm {
            home: home.to_string(),
            start_day,
            start_month,
            start_year,
            end_reason: end_reason.into(),
            version: view.request.version.to_string(),
            ..PlaceForm::default()
        },
    )
    .await
    .unwrap();
}

async fn end_care(h: &Hearth, sw: &Actor, id: PersonId, on: NaiveDate, reason: &str) {
    let (ceased_day, ceased_month, ceased_year) = dmy(on);
    h.end_care(
        sw,
        id,
        &EndCareForm {
            cease_reason: reason.into(),
            ceased_day,
            ceased_month,
            ceased_year,
        },
    )
    .await
    .unwrap();
}

/// Five young people over the collection year 2025-26 (and the demo's two): Daniel moved
/// from the council's carers to a children's home at his own asking; Amira, unaccompanied, in
/// supported accommodation; Sophie went home as planned; Leon with his aunt; and Chloe, a care
/// leaver of 19 at university, staying put with her former foster carers.
async fn record(h: &Hearth) {
    let sw = actor(h, "social-worker@demo.hearth.test").await;
    let officer = actor(h, "placements@demo.hearth.test").await;
    let carers = home(
        h,
        &officer,
        "Clifton carers",
        "in_house",
        "U4",
        "NG11 9BB",
        "SC900010",
    )
    .await;
    let radford = home(
        h,
        &officer,
        "Radford House",
        "spot",
        "K2",
        "NG7 5HY",
        "SC123456",
    )
    .await;
    let framework = home(
        h,
        &officer,
        "Beeston fostering",
        "framework",
        "U6",
        "NG9 1AA",
        "SC654321",
    )
    .await;
    let supported = home(
        h,
        &officer,
        "Sherwood rooms",
        "block",
        "H5",
        "NG5 1AB",
        "SC900020",
    )
    .await;
    let aunt = home(
        h,
        &officer,
        "Leon's aunt",
        "in_house",
        "U3",
        "NG3 1AA",
        "SC900010",
    )
    .await;

    let daniel = child(h, &sw, "Okafor", "10/03/2011", "NG7 5AA", "male").await;
    admit(h, &sw, daniel, d(2024, 6, 3), "C2", "N1", "NG7 5AA", false).await;
    place(h, &sw, &officer, daniel, carers, d(2024, 6, 3), "").await;
    place(h, &sw, &officer, daniel, radford, d(2025, 9, 15), "CHILD").await;

    let amira = child(h, &sw, "Haile", "01/03/2009", "NG1 1AA", "female").await;
    admit(h, &sw, amira, d(2025, 5, 2), "V2", "N8", "", true).await;
    place(h, &sw, &officer, amira, supported, d(2025, 5, 2), "").await;

    let sophie = child(h, &sw, "Walsh", "14/02/2019", "NG3 2FS", "female").await;
    admit(
        h,
        &sw,
        sophie,
        d(2023, 11, 20),
        "V2",
        "N4",
        "NG3 2FS",
        false,
    )
    .await;
    place(h, &sw, &officer, sophie, framework, d(2023, 11, 20), "").await;
    end_care(h, &sw, sophie, d(2025, 8, 1), "E4A").await;

    // Chloe, 19 in June 2025, left care on 1 June 2024 staying put with her foster carers.
    let chloe = child(h, &sw, "Adeyemi", "01/06/2006", "NG5 1DD", "female").await;
    admit(h, &sw, chloe, d(2021, 1, 4), "C2", "N1", "NG5 1DD", false).await;
    place(h, &sw, &officer, chloe, carers, d(2021, 1, 4), "").await;
    end_care(h, &sw, chloe, d(2024, 6, 1), "E17").await;
    h.record_leaver_contact(
        &sw,
        chloe,
        &LeaverForm {
            contact_day: "20".into(),
            contact_month: "5".into(),
            contact_year: "2025".into(),
            in_touch: "YES".into(),
            activity: "F1".into(),
            accommodation: "Z".into(),
            suitable: "yes".into(),
            staying: vec!["put".into()],
        },
    )
    .await
    .unwrap();

    let leon = child(h, &sw, "Price", "05/10/2014", "NG2 4AA", "male").await;
    admit(h, &sw, leon, d(2025, 10, 1), "C1", "N1", "NG2 4AA", false).await;
    place(h, &sw, &officer, leon, aunt, d(2025, 10, 1), "").await;
}

both_engines!(
    the_903_files_for_the_year_pass_the_dfes_validation_rules,
    |store| async move {
        let h = hearth(store.clone()).await;
        record(&h).await;
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let year = CollectionYear::ending(2026).unwrap();
        let r = h.ssda903(&analyst, year).await.unwrap();
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert!(r.header.rows.len() >= 4, "{:?}", r.header.rows);
        assert_eq!(r.uasc.rows.len(), 1, "Amira");
        assert_eq!(r.oc3.rows.len(), 1, "Chloe");
        let oc3: Vec<String> = r.oc3.rows[0].iter().map(|c| c.text()).collect();
        assert_eq!(oc3[1..], ["01/06/2006", "YES", "F1", "Z1"]);
        let files: Vec<(&str, String)> = r.files().iter().map(|s| (s.name, s.csv())).collect();
        if let Some(errors) = hearth_testkit::ssda903::validate(&files, 2026, "E06000018") {
            assert!(
                errors.is_empty(),
                "the DfE's rules found:\n{}",
                errors.join("\n")
            );
        }
        assert_eq!(events(&store, "return_produced").await, 1);

        // A social worker may not produce returns: refused, and the refusal audited.
        let sw = actor(&h, "social-worker@demo.hearth.test").await;
        let refused = events(&store, "access_denied").await;
        assert!(matches!(
            h.ssda903(&sw, year).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(events(&store, "access_denied").await, refused + 1);
    }
);

both_engines!(
    a_care_leavers_contact_is_checked_recorded_and_counted,
    |store| async move {
        let h = hearth(store.clone()).await;
        let sw = actor(&h, "social-worker@demo.hearth.test").await;
        let officer = actor(&h, "placements@demo.hearth.test").await;
        let carers = home(
            &h,
            &officer,
            "Clifton carers",
            "in_house",
            "U4",
            "NG11 9BB",
            "SC900010",
        )
        .await;
        let chloe = child(&h, &sw, "Adeyemi", "01/06/2006", "NG5 1DD", "female").await;
        admit(&h, &sw, chloe, d(2021, 1, 4), "C2", "N1", "NG5 1DD", false).await;
        place(&h, &sw, &officer, chloe, carers, d(2021, 1, 4), "").await;
        end_care(&h, &sw, chloe, d(2024, 6, 1), "E17").await;

        // In touch but nothing asked: each missing answer named; nothing saved.
        let mut form = LeaverForm {
            contact_day: "20".into(),
            contact_month: "5".into(),
            contact_year: "2025".into(),
            in_touch: "YES".into(),
            staying: vec!["put".into()],
            ..LeaverForm::default()
        };
        match h.record_leaver_contact(&sw, chloe, &form).await {
            Err(AppError::Invalid(e)) => {
                assert_eq!(
                    e.get("activity"),
                    Some("Select what the young person is doing")
                );
                assert!(e.get("accommodation").is_some());
            }
            other => panic!("{other:?}"),
        }
        form.activity = "F5".into();
        form.accommodation = "U".into();
        match h.record_leaver_contact(&sw, chloe, &form).await {
            Err(AppError::Invalid(e)) => assert!(e
                .get("accommodation")
                .unwrap()
                .starts_with("Staying put means living with former foster carers")),
            other => panic!("{other:?}"),
        }
        form.accommodation = "Z".into();
        h.record_leaver_contact(&sw, chloe, &form).await.unwrap();
        assert_eq!(events(&store, "care_leaver_contact_recorded").await, 1);
        let page = h.child_in_care(&sw, chloe).await.unwrap();
        assert_eq!(page.leaver_contacts.len(), 1);
        assert!(page.leaver_contacts[0].staying_put);

        // A lead professional is refused, the refusal audited.
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let refused = events(&store, "access_denied").await;
        assert!(matches!(
            h.record_leaver_contact(&lead, chloe, &form).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(events(&store, "access_denied").await, refused + 1);

        // The sufficiency picture counts her by her latest contact.
        let today = chrono::Utc::now().date_naive();
        let on = d(2025, 12, 31).min(today);
        let p = h.sufficiency(&officer, on, false).await.unwrap();
        let t = p.tables.iter().find(|t| t.key == "care_leavers").unwrap();
        let line = |label: &str| {
            t.lines
                .iter()
                .find(|(l, _)| l == label)
                .unwrap_or_else(|| panic!("{label}"))
                .1[0]
                .clone()
        };
        assert_eq!(line("Care leavers aged 17 to 21"), "1");
        assert_eq!(line("Staying put"), "1");
        assert_eq!(line("Activity: Full-time in employment"), "1");
    }
);

/// The authority's extra columns on the Header file: each child's forename, surname and
/// postcode, read from the partnership the return was written from.
async fn with_names(store: &Store, header: &str) -> String {
    let mut conn = store.read().await.unwrap();
    let mut out = String::new();
    for (i, line) in header.lines().enumerate() {
        out.push_str(line);
        if i == 0 {
            out.push_str(",FORENAME,SURNAME,POSTCODE\n");
            continue;
        }
        let child = line.split(',').next().unwrap();
        let r = sqlx::query(
            "SELECT p.given_names, p.family_name,
                (SELECT a.postcode FROM addresses a WHERE a.person_id = p.id LIMIT 1) AS postcode
             FROM people p WHERE p.id = $1",
        )
        .bind(child)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        let postcode: Option<String> = r.try_get("postcode").unwrap();
        out.push_str(&format!(
            ",{},{},{}\n",
            r.try_get::<String, _>("given_names").unwrap(),
            r.try_get::<String, _>("family_name").unwrap(),
            postcode.unwrap_or_default()
        ));
    }
    out
}

async fn care_rows(store: &Store) -> (i64, i64, i64) {
    let mut conn = store.read().await.unwrap();
    let mut n = [0i64; 3];
    for (i, table) in ["care_periods", "care_placements", "care_homes"]
        .iter()
        .enumerate()
    {
        n[i] = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    }
    (n[0], n[1], n[2])
}

both_engines!(
    a_903_return_imported_into_a_partnership_with_the_same_people_is_written_again_the_same,
    |store| async move {
        // The test town's return for two years, written from its record.
        let town = hearth(store.clone()).await;
        record(&town).await;
        let analyst = actor(&town, "analyst@demo.hearth.test").await;
        let mut files = Vec::new();
        let mut written = Vec::new();
        for ends in [2025, 2026] {
            let r = town
                .ssda903(&analyst, CollectionYear::ending(ends).unwrap())
                .await
                .unwrap();
            for sheet in r.files() {
                let mut text = sheet.csv();
                if sheet.name == "header" {
                    text = with_names(&store, &text).await;
                }
                files.push(ReturnFile {
                    name: format!("{ends}/{}.csv", sheet.name),
                    bytes: text.into_bytes(),
                });
            }
            written.push(r.files().map(|s| s.csv()));
        }

        // A partnership of its own with the same people (the demo's, and the town's five
        // added as anyone is), and no care recorded for the town's.
        let other = match store.engine() {
            hearth_app::Engine::Sqlite => hearth_testkit::sqlite().await.1,
            hearth_app::Engine::Postgres => hearth_testkit::postgres().await.unwrap().1,
        };
        let h = hearth(other.clone()).await;
        let sw = actor(&h, "social-worker@demo.hearth.test").await;
        child(&h, &sw, "Okafor", "10/03/2011", "NG7 5AA", "male").await;
        child(&h, &sw, "Haile", "01/03/2009", "NG1 1AA", "female").await;
        child(&h, &sw, "Walsh", "14/02/2019", "NG3 2FS", "female").await;
        child(&h, &sw, "Adeyemi", "01/06/2006", "NG5 1DD", "female").await;
        child(&h, &sw, "Price", "05/10/2014", "NG2 4AA", "male").await;

        // Only the placements team imports; a social worker is refused, audited.
        let refused = events(&other, "access_denied").await;
        assert!(matches!(
            h.import_ssda903(&sw, &files).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(events(&other, "access_denied").await, refused + 1);

        let officer = actor(&h, "placements@demo.hearth.test").await;
        let before = care_rows(&other).await;
        let report = h.import_ssda903(&officer, &files).await.unwrap();
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
        assert!(report.unresolved.is_empty(), "{:?}", report.unresolved);
        let made: u64 = report.imported.iter().map(|l| l.saved.periods).sum();
        assert_eq!(
            made, 5,
            "the town's five children's care; the demo's was there"
        );
        assert_eq!(
            events(&other, "care_child_imported").await,
            report.imported.len() as i64
        );
        assert_eq!(events(&other, "ssda903_imported").await, 1);

        // Written again from the imported record: the same files, line for line.
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        for (i, ends) in [2025, 2026].into_iter().enumerate() {
            let again = h
                .ssda903(&analyst, CollectionYear::ending(ends).unwrap())
                .await
                .unwrap();
            assert_eq!(again.files().map(|s| s.csv()), written[i], "{ends}");
        }

        // Imported again: nothing changes.
        let after = care_rows(&other).await;
        assert!(after.0 > before.0);
        let again = h.import_ssda903(&officer, &files).await.unwrap();
        assert_eq!(again.unchanged(), again.imported.len());
        assert_eq!(care_rows(&other).await, after);
    }
);

both_engines!(
    every_row_not_taken_is_reported_with_its_file_line_and_why,
    |store| async move {
        let h = hearth(store.clone()).await;
        let sw = actor(&h, "social-worker@demo.hearth.test").await;
        child(&h, &sw, "Okafor", "10/03/2011", "NG7 5AA", "male").await;
        let officer = actor(&h, "placements@demo.hearth.test").await;
        let header = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,FORENAME,SURNAME\n\
            D1,M,10/03/2011,WBRI,UN5,,,Test,Okafor\n\
            X9,F,01/01/2012,WBRI,UN5,,,Nobody,Known\n";
        let episodes = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
            D1,03/06/2024,S,V2,N1,U4,PR1,01/09/2025,X1,,NG7 5AA,NG11 9BB,SC900010\n\
            D1,01/09/2025,L,C2,N1,U4,PR1,,,,NG7 5AA,NG11 9BB,SC900010\n\
            X9,01/05/2025,S,C2,N1,Q9,PR4,,,,NG7 5AA,NG5 1AB,SC1\n";
        let files = [
            ReturnFile {
                name: "2026/header.csv".into(),
                bytes: header.as_bytes().to_vec(),
            },
            ReturnFile {
                name: "2026/episodes.csv".into(),
                bytes: episodes.as_bytes().to_vec(),
            },
        ];
        let report = h.import_ssda903(&officer, &files).await.unwrap();
        assert_eq!(report.rejected.len(), 1, "{:?}", report.rejected);
        let bad = &report.rejected[0];
        assert_eq!((bad.file.as_str(), bad.line), ("2026/episodes.csv", 4));
        assert!(bad.reason.starts_with("PLACE is \"Q9\""), "{}", bad.reason);
        assert!(report.unresolved.is_empty(), "{:?}", report.unresolved);
        assert_eq!(report.imported.len(), 1);
        let daniel = report.imported[0].person;

        // The change of legal status is on his record, and in the return as an L episode.
        let page = h.child_in_care(&officer, daniel).await.unwrap();
        assert_eq!(page.periods[0].legal_status.code(), "C2");
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let r = h
            .ssda903(&analyst, CollectionYear::ending(2026).unwrap())
            .await
            .unwrap();
        let rows: Vec<Vec<String>> = r
            .episodes
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.text()).collect())
            .filter(|r: &Vec<String>| r[0] == "D1")
            .collect();
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[1][1..4], ["01/09/2025", "L", "C2"]);

        // A child no one in the record is: listed to resolve, never made a person.
        let files = [
            ReturnFile {
                name: "header.csv".into(),
                bytes: "CHILD,SEX,DOB,UPN\nZ7,F,02/02/2013,UN5\n"
                    .as_bytes()
                    .to_vec(),
            },
            ReturnFile {
                name: "episodes.csv".into(),
                bytes: format!(
                    "{}Z7,01/05/2025,S,C2,N1,U4,PR1,,,,NG7 5AA,NG11 9BB,SC900010\n",
                    episodes.lines().next().unwrap().to_owned() + "\n"
                )
                .into_bytes(),
            },
        ];
        let report = h.import_ssda903(&officer, &files).await.unwrap();
        assert!(report.imported.is_empty());
        assert_eq!(report.unresolved.len(), 1);
        assert!(report.unresolved[0].why.contains("FORENAME and SURNAME"));
    }
);

fn status_change(ls: &str, on: NaiveDate) -> LegalStatusForm {
    let (changed_day, changed_month, changed_year) = dmy(on);
    LegalStatusForm {
        new_status: ls.into(),
        changed_day,
        changed_month,
        changed_year,
    }
}

fn problems(r: Result<(), AppError>) -> hearth_domain::input::FieldErrors {
    match r {
        Err(AppError::Invalid(e)) => e,
        other => panic!("expected the form sent back, got {other:?}"),
    }
}

both_engines!(
    a_change_of_legal_status_is_checked_recorded_audited_and_written_as_a_new_episode,
    |store| async move {
        let h = hearth(store.clone()).await;
        let sw = actor(&h, "social-worker@demo.hearth.test").await;
        let officer = actor(&h, "placements@demo.hearth.test").await;
        let carers = home(
            &h,
            &officer,
            "Bulwell carers",
            "in_house",
            "U4",
            "NG6 8AA",
            "SC900077",
        )
        .await;
        let maya = child(&h, &sw, "Okoro", "03/02/2015", "NG5 1AA", "female").await;
        admit(&h, &sw, maya, d(2025, 9, 1), "C1", "N1", "NG5 1AA", false).await;
        place(&h, &sw, &officer, maya, carers, d(2025, 9, 1), "").await;

        // Each mistake named on its field; nothing recorded, nothing audited.
        let e = problems(
            h.change_legal_status(&sw, maya, &LegalStatusForm::default())
                .await,
        );
        assert_eq!(
            e.get("new_status"),
            Some("Choose the legal status it changed to")
        );
        assert!(e.get("changed").is_some(), "{e:?}");
        let e = problems(
            h.change_legal_status(&sw, maya, &status_change("C1", d(2026, 1, 15)))
                .await,
        );
        assert!(
            e.get("new_status").unwrap().contains("is C1 already"),
            "{e:?}"
        );
        let e = problems(
            h.change_legal_status(&sw, maya, &status_change("C2", d(2025, 8, 1)))
                .await,
        );
        assert!(
            e.get("changed")
                .unwrap()
                .contains("after the child came into care (1 September 2025)"),
            "{e:?}"
        );
        assert_eq!(events(&store, "legal_status_changed").await, 0);

        // The interim order becomes a full care order.
        h.change_legal_status(&sw, maya, &status_change("C2", d(2026, 1, 15)))
            .await
            .unwrap();
        let record = h.child_in_care(&sw, maya).await.unwrap();
        assert_eq!(record.periods[0].legal_status.code(), "C2");
        assert_eq!(record.status_changes.len(), 1);
        assert_eq!(record.status_changes[0].changed_on, d(2026, 1, 15));
        assert_eq!(events(&store, "legal_status_changed").await, 1);
        let e = problems(
            h.change_legal_status(&sw, maya, &status_change("E1", d(2026, 1, 15)))
                .await,
        );
        assert!(
            e.get("changed")
                .unwrap()
                .contains("recorded on 15 January 2026 already"),
            "{e:?}"
        );

        // Someone with no part in her care is refused, and the refusal audited.
        let refused = events(&store, "access_denied").await;
        let hub = actor(&h, "hub@demo.hearth.test").await;
        assert!(matches!(
            h.change_legal_status(&hub, maya, &status_change("E1", d(2026, 2, 1)))
                .await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(events(&store, "access_denied").await, refused + 1);
        assert_eq!(events(&store, "legal_status_changed").await, 1);

        // The 2025-26 return writes a new episode on the day: RNE L, the new status, the same
        // placement; and the files still pass the DfE's rules.
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let r = h
            .ssda903(&analyst, CollectionYear::ending(2026).unwrap())
            .await
            .unwrap();
        let rows: Vec<Vec<String>> = r
            .episodes
            .rows
            .iter()
            .map(|row| row.iter().map(|c| c.text()).collect())
            .collect();
        let started = rows
            .iter()
            .find(|row| row[1] == "01/09/2025" && row[3] == "C1" && row[5] == "U4")
            .unwrap_or_else(|| panic!("her first episode, in {rows:?}"));
        let changed = rows
            .iter()
            .find(|row| row[1] == "15/01/2026")
            .unwrap_or_else(|| panic!("the episode of the change, in {rows:?}"));
        assert_eq!(changed[0], started[0], "the same child");
        assert_eq!(&changed[2..6], ["L", "C2", "N1", "U4"]);
        assert_eq!(
            started[7], "15/01/2026",
            "the first episode ends on the day"
        );
        let files: Vec<(&str, String)> = r.files().iter().map(|s| (s.name, s.csv())).collect();
        if let Some(errors) = hearth_testkit::ssda903::validate(&files, 2026, "E06000018") {
            assert!(
                errors.is_empty(),
                "the DfE's rules found:\n{}",
                errors.join("\n")
            );
        }
    }
);
