//! Early identification through the app's public interface, on both engines: datasets
//! registered, partners' files imported (bad rows named by line, certain matches attached,
//! uncertain ones queued, unknown people kept only as long as the dataset allows), a reviewer's
//! decision kept for the next file, the worklist with its reasons and what was done, and the
//! refusals, each audited.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Duration, Utc};
use hearth_app::identification::{DatasetForm, OutreachForm, PartnerFile, ReviewForm};
use hearth_app::{AppError, Hearth, Policies, Store};
use hearth_domain::identification::worklist::FamilyKey;
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
/// The school's attendance dataset (code `attendance`), kept 30 days unmatched.
async fn attendance_dataset(h: &Hearth, store: &Store) {
    register(
        h,
        store,
        "attendance",
        "school_census",
        "Oakfield Primary School (demo)",
        "30",
    )
    .await;
}

/// The police's notifications (code `police`), kept 30 days unmatched.
async fn police_dataset(h: &Hearth, store: &Store) {
    register(
        h,
        store,
        "police",
        "police_notifications",
        "Nottingham City Council (demo)",
        "30",
    )
    .await;
}

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
        attendance_dataset(&h, &store).await;
        police_dataset(&h, &store).await;
        assert_eq!(events(&store, "partner_dataset_registered").await, 2);
        let (mia, _) = okafors(&h).await;
        // Another Grace Okafor, across the city.
        Family::new("Okafor")
            .parent("Grace", "02/02/1960")
            .address("5 Ash Road", "NG5 1AB")
            .add(&h, &actor(&h, "lead@demo.hearth.test").await)
            .await;
        let analyst = actor(&h, "matching@demo.hearth.test").await;
        let recent = (Utc::now().date_naive() - Duration::days(20)).to_string();

        // Mia by name, date of birth and postcode: certain. Grace without a date of birth:
        // only a name and a postcode, and another Grace Okafor on the record, so a person
        // decides. A bad date, a stranger.
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
            // The code as someone types it: registered codes are found in any case.
            .import_partner_data(&analyst, "Police", "police.csv", &police)
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
            .find(|r| r.needs.contains(&NeedDomain::GoodEducation))
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
            .find(|r| r.needs.contains(&NeedDomain::DomesticAbuse))
            .unwrap();
        assert_eq!(
            (abuse.who.as_str(), abuse.evidence.len()),
            ("Grace Okafor", 2)
        );
        assert_eq!(events(&store, "identification_worklist_opened").await, 1);

        h.record_outreach(
            &frontdoor,
            family.family,
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

        // The worklist's measures on the partnership's dashboard, with their definitions: one
        // family identified this quarter (the day its files were imported) and contacted the
        // same day. Narrowed by people's filters they count the families one of whose members
        // matches (Mia is 8); narrowed to an agency, team or lead they are not shown: nobody
        // asked for these families, nobody helps them yet.
        use hearth_app::insight::{ReportFilter, Scope};
        use hearth_domain::insight::AgeBand;
        let reader = actor(&h, "analyst@demo.hearth.test").await;
        let quarter = hearth_domain::insight::Quarter::containing(Utc::now().date_naive());
        let dashboard = |filter: ReportFilter| {
            let (h, reader) = (h.clone(), reader.clone());
            async move {
                h.dashboard(&reader, Scope::Partnership, filter, quarter, 1)
                    .await
                    .unwrap()
            }
        };
        let figure = |d: &hearth_app::insight::Dashboard, code: &str| {
            let l = d.lines.iter().find(|l| l.kpi.code == code)?;
            assert!(!l.kpi.numerator.is_empty());
            Some(l.figures[0].text())
        };
        let d = dashboard(ReportFilter::default()).await;
        assert_eq!(figure(&d, "families_identified").as_deref(), Some("1"));
        assert_eq!(figure(&d, "families_contacted").as_deref(), Some("1"));
        assert_eq!(figure(&d, "families_offered_help").as_deref(), Some("0"));
        assert_eq!(figure(&d, "days_to_contact").as_deref(), Some("0.0"));
        let aged = |band| ReportFilter {
            age_band: Some(band),
            ..ReportFilter::default()
        };
        let mia = dashboard(aged(AgeBand::FiveToNine)).await;
        assert_eq!(figure(&mia, "families_identified").as_deref(), Some("1"));
        assert_eq!(figure(&mia, "families_contacted").as_deref(), Some("1"));
        let teenagers = dashboard(aged(AgeBand::TenToFifteen)).await;
        assert_eq!(
            figure(&teenagers, "families_identified").as_deref(),
            Some("0")
        );
        assert_eq!(
            figure(&teenagers, "families_contacted").as_deref(),
            Some("0")
        );
        let send = dashboard(ReportFilter {
            send: true,
            ..ReportFilter::default()
        })
        .await;
        assert_eq!(figure(&send, "families_identified").as_deref(), Some("0"));
        let school = organisation(&store, "Oakfield Primary School (demo)").await;
        let asked = dashboard(ReportFilter {
            agency: Some(school.parse().unwrap()),
            ..ReportFilter::default()
        })
        .await;
        assert_eq!(figure(&asked, "families_identified"), None, "not shown");
        assert!(figure(&asked, "requests").is_some());
    }
);

both_engines!(
    those_who_do_not_work_the_list_or_match_data_are_refused_and_audited,
    |store| async move {
        let h = hearth(store.clone()).await;
        attendance_dataset(&h, &store).await;
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
        let household = FamilyKey::Household(hearth_domain::ids::HouseholdId::new());
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
                &PartnerFile {
                    name: "f.csv",
                    bytes: b"reference\n",
                    sheet: None,
                },
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
        attendance_dataset(&h, &store).await;
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

both_engines!(
    a_person_in_no_household_is_a_family_of_one_on_the_worklist,
    |store| async move {
        let h = hearth(store.clone()).await;
        attendance_dataset(&h, &store).await;
        police_dataset(&h, &store).await;
        // Sam (15) was added alone: nobody joined him, so he lives in no household.
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let dob = Utc::now().date_naive() - Duration::days(15 * 365);
        let sam = Family::new("Reid")
            .child("Sam", &dob.format("%d/%m/%Y").to_string())
            .address("9 Elm Road", "NG5 1AA")
            .add(&h, &lead)
            .await[0];
        assert_eq!(
            count(
                &store,
                &format!("SELECT COUNT(*) FROM household_members WHERE person_id = '{sam}'")
            )
            .await,
            0
        );
        let analyst = actor(&h, "matching@demo.hearth.test").await;
        let recent = (Utc::now().date_naive() - Duration::days(10)).to_string();
        let school = format!(
            "reference,given_names,family_name,dob,postcode,event,date,attendance\n\
             S1,Sam,Reid,{dob},NG5 1AA,attendance,{recent},81.5\n"
        );
        let police = format!(
            "reference,given_names,family_name,dob,postcode,event,date\n\
             P1,Sam,Reid,{dob},NG5 1AA,missing_episode,{recent}\n"
        );
        for (code, file) in [("attendance", &school), ("police", &police)] {
            let report = h
                .import_partner_data(&analyst, code, "f.csv", file)
                .await
                .unwrap();
            assert_eq!(report.counts.matched, 1, "{report:?}");
        }

        // The same reasons as any family: education and a missing episode, both Sam's.
        let frontdoor = actor(&h, "frontdoor@demo.hearth.test").await;
        let list = h.identification_worklist(&frontdoor).await.unwrap();
        assert_eq!(list.families.len(), 1, "{list:?}");
        let family = &list.families[0];
        assert_eq!(family.family, FamilyKey::OfOne(sam));
        assert_eq!(family.name, "Sam Reid (a family of one)");
        assert_eq!(family.members, vec!["Sam Reid".to_string()]);
        assert_eq!(
            family.needs,
            vec![
                NeedDomain::GoodEducation,
                NeedDomain::SafeFromAbuseAndExploitation
            ]
        );
        assert!(family.reasons.iter().all(|r| r.who == "Sam Reid"));

        // The same outreach, recorded about Sam and audited as about him.
        h.record_outreach(
            &frontdoor,
            family.family,
            &OutreachForm {
                outreach: "offered_help".into(),
                note: "Offered a youth worker".into(),
            },
        )
        .await
        .unwrap();
        let list = h.identification_worklist(&frontdoor).await.unwrap();
        assert_eq!(list.families[0].done[0].note, "Offered a youth worker");
        assert_eq!(
            count(
                &store,
                &format!(
                    "SELECT COUNT(*) FROM audit_events WHERE action = 'identification_outreach_recorded' AND record_type = 'person' AND record_id = '{sam}'"
                ),
            )
            .await,
            1
        );

        // Once someone joins him, he is in a household: the family is that household.
        let _mum = h
            .add_person(
                &lead,
                &hearth_app::family::PersonForm {
                    search_id: h
                        .search_people(
                            &lead,
                            &hearth_app::family::SearchForm {
                                name: "Ann Reid".into(),
                                dob: "01/01/1985".into(),
                                ..Default::default()
                            },
                        )
                        .await
                        .unwrap()
                        .search_id
                        .to_string(),
                    given_names: "Ann".into(),
                    family_name: "Reid".into(),
                    dob: "01/01/1985".into(),
                    with_person: sam.to_string(),
                    relationship: "parent".into(),
                    different_reason: "Sam's mother".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let list = h.identification_worklist(&frontdoor).await.unwrap();
        assert_eq!(list.families.len(), 1, "{list:?}");
        assert!(matches!(list.families[0].family, FamilyKey::Household(_)));
        assert_eq!(list.families[0].members.len(), 2);
    }
);

/// A term's attendance as a school's spreadsheet holds it: a notes sheet first, then the
/// term's sheet with dates as date cells and attendance as numbers; one row has a bad event.
fn attendance_workbook(mia: chrono::NaiveDate, on: chrono::NaiveDate) -> Vec<u8> {
    use chrono::Datelike;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let date = |d: chrono::NaiveDate| {
        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).unwrap()
    };
    let mut book = Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("Notes").unwrap();
    notes.write_string(0, 0, "Autumn term attendance").unwrap();
    let term = book.add_worksheet();
    term.set_name("Autumn").unwrap();
    let header = [
        "reference",
        "given_names",
        "family_name",
        "dob",
        "postcode",
        "event",
        "date",
        "attendance",
    ];
    for (c, h) in header.iter().enumerate() {
        term.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (reference, event)) in [("A1", "attendance"), ("A2", "exclusions")]
        .iter()
        .enumerate()
    {
        let r = r as u32 + 1;
        term.write_string(r, 0, *reference).unwrap();
        term.write_string(r, 1, "Mia").unwrap();
        term.write_string(r, 2, "Okafor").unwrap();
        term.write_with_format(r, 3, date(mia), &day).unwrap();
        term.write_string(r, 4, "NG7 2RD").unwrap();
        term.write_string(r, 5, *event).unwrap();
        term.write_with_format(r, 6, date(on), &day).unwrap();
        term.write_number(r, 7, 84.2).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// A quarter's police notifications as an OpenDocument spreadsheet, written by hand as a
/// spreadsheet program writes one: dates are date cells.
fn police_ods(grace: &str, on: &str) -> Vec<u8> {
    use std::io::Write;
    let cell = |v: &str| {
        format!(
            r#"<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>"#
        )
    };
    let date = |v: &str| {
        format!(
            r#"<table:table-cell office:value-type="date" office:date-value="{v}"><text:p>{v}</text:p></table:table-cell>"#
        )
    };
    let row = |cells: Vec<String>| format!("<table:table-row>{}</table:table-row>", cells.concat());
    let header = [
        "reference",
        "given_names",
        "family_name",
        "dob",
        "postcode",
        "event",
        "date",
    ];
    let rows = [
        row(header.iter().map(|h| cell(h)).collect()),
        row(vec![
            cell("P1"),
            cell("Grace"),
            cell("Okafor"),
            date(grace),
            cell("NG7 2RD"),
            cell("domestic_abuse"),
            date(on),
        ]),
        row(vec![
            cell("P2"),
            cell("Grace"),
            cell("Okafor"),
            date(grace),
            cell("NG7 2RD"),
            cell("domestic_abuse"),
            date(on),
        ]),
    ];
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Quarter">{}</table:table></office:spreadsheet></office:body></office:document-content>"#,
        rows.concat()
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", content.as_str()),
        ("META-INF/manifest.xml", manifest),
    ] {
        zip.start_file(name, stored).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

both_engines!(
    spreadsheets_import_like_csv_with_each_bad_row_named_by_sheet_and_line,
    |store| async move {
        let h = hearth(store.clone()).await;
        attendance_dataset(&h, &store).await;
        police_dataset(&h, &store).await;
        let (mia, grace) = okafors(&h).await;
        let analyst = actor(&h, "matching@demo.hearth.test").await;
        let recent = Utc::now().date_naive() - Duration::days(20);
        let book = attendance_workbook(mia.parse().unwrap(), recent);
        let file = |sheet| PartnerFile {
            name: "autumn.xlsx",
            bytes: &book,
            sheet,
        };

        // The first sheet is read unless one is named: here it is the notes, refused whole.
        let first = h
            .import_partner_file(&analyst, "attendance", &file(None))
            .await;
        assert!(
            matches!(&first, Err(AppError::Invalid(e)) if e.get("file").is_some_and(|m| m.contains("autumn.xlsx") && m.contains("given_names"))),
            "{first:?}"
        );
        let missing = h
            .import_partner_file(&analyst, "attendance", &file(Some("Spring")))
            .await;
        assert!(
            matches!(&missing, Err(AppError::Invalid(e)) if e.get("file").is_some_and(|m| m.contains("no sheet called \"Spring\"") && m.contains("Notes, Autumn"))),
            "{missing:?}"
        );
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM partner_imports").await,
            0
        );

        // The named sheet: Mia's dates read as dates, so she is matched; the bad row is named.
        let report = h
            .import_partner_file(&analyst, "attendance", &file(Some("autumn")))
            .await
            .unwrap();
        assert_eq!(
            (report.counts.rows_read, report.counts.matched),
            (2, 1),
            "{report:?}"
        );
        assert_eq!(report.problems.len(), 1);
        assert_eq!(report.problems[0].place(), "sheet Autumn, line 3");
        assert!(report.problems[0].reason.contains("event 'exclusions'"));
        assert_eq!(
            count(&store, &format!("SELECT COUNT(*) FROM partner_records WHERE attendance = 842 AND event_on = '{recent}'")).await,
            1
        );

        // An OpenDocument spreadsheet of police notifications, its dates as date cells.
        let ods = police_ods(&grace, &recent.to_string());
        let report = h
            .import_partner_file(
                &analyst,
                "police",
                &PartnerFile {
                    name: "quarter.ods",
                    bytes: &ods,
                    sheet: None,
                },
            )
            .await
            .unwrap();
        assert_eq!(
            (report.counts.matched, report.problems.len()),
            (2, 0),
            "{report:?}"
        );
        let list = h
            .identification_worklist(&actor(&h, "frontdoor@demo.hearth.test").await)
            .await
            .unwrap();
        assert_eq!(list.families.len(), 1, "{list:?}");
    }
);

both_engines!(
    a_file_too_large_is_refused_with_the_limit_and_what_to_do,
    |store| async move {
        let mut policies = Policies::default();
        policies.partner_files.max_bytes = 100;
        let h = Hearth::new(store.clone(), policies);
        h.seed_demo(hearth_testkit::app::PASSWORD).await.unwrap();
        attendance_dataset(&h, &store).await;
        let analyst = actor(&h, "matching@demo.hearth.test").await;
        let big = format!(
            "reference,given_names,family_name,dob,postcode,event,date,attendance\n{}",
            "A1,Zed,Zebedee,2014-01-01,ZE1 1AA,attendance,2025-01-01,70\n".repeat(3)
        );
        let got = h
            .import_partner_data(&analyst, "attendance", "big.csv", &big)
            .await;
        assert!(
            matches!(&got, Err(AppError::Invalid(e)) if e.get("file").is_some_and(|m| m.contains("smaller than") && m.contains("split it"))),
            "{got:?}"
        );
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM partner_imports").await,
            0
        );
    }
);

both_engines!(
    fairness_compares_who_is_identified_with_everyone_and_is_audited,
    |store| async move {
        let h = hearth(store.clone()).await;
        attendance_dataset(&h, &store).await;
        police_dataset(&h, &store).await;
        let (mia, grace) = okafors(&h).await;
        // Two other families, not identified.
        let lead = actor(&h, "lead@demo.hearth.test").await;
        for name in ["Nowak", "Khan"] {
            Family::new(name)
                .child("Ola", "01/02/2016")
                .address("2 Elm Road", "NG5 1AA")
                .parent("Ewa", "01/02/1985")
                .add(&h, &lead)
                .await;
        }
        {
            let mut conn = store.write().await.unwrap();
            for (family, ethnicity) in [("Okafor", "Black African"), ("Nowak", "White Polish")] {
                sqlx::query("UPDATE people SET ethnicity = $1 WHERE family_name = $2")
                    .bind(ethnicity)
                    .bind(family)
                    .execute(&mut *conn)
                    .await
                    .unwrap();
            }
            Store::commit(conn).await.unwrap();
        }
        let analyst = actor(&h, "matching@demo.hearth.test").await;
        let recent = (Utc::now().date_naive() - Duration::days(20)).to_string();
        let school = format!(
            "reference,given_names,family_name,dob,postcode,event,date,attendance\n\
             A1,Mia,Okafor,{mia},NG7 2RD,attendance,{recent},80\n"
        );
        let police = format!(
            "reference,given_names,family_name,dob,postcode,event,date\n\
             P1,Grace,Okafor,{grace},NG7 2RD,domestic_abuse,{recent}\n\
             P2,Grace,Okafor,{grace},NG7 2RD,domestic_abuse,{recent}\n"
        );
        for (code, file) in [("attendance", &school), ("police", &police)] {
            h.import_partner_data(&analyst, code, "f.csv", file)
                .await
                .unwrap();
        }

        // The council's analyst reads it, unsuppressed: two of six identified, all Okafors.
        let reader = actor(&h, "analyst@demo.hearth.test").await;
        let fairness = h.identification_fairness(&reader).await.unwrap();
        assert_eq!((fairness.population, fairness.identified), (6, 2));
        assert!(!fairness.suppressed);
        let (_, ethnicity) = &fairness.by[0];
        let row = |group: &str| ethnicity.iter().find(|g| g.group == group).unwrap();
        let okafor = row("Black African");
        assert_eq!(
            (
                okafor.population.text(),
                okafor.identified.text(),
                okafor.rate.text(),
                okafor.ratio.text()
            ),
            ("2".into(), "2".into(), "100.0%".into(), "3.00".into())
        );
        assert_eq!(row("White Polish").ratio.text(), "0.00");
        assert_eq!(row("Not recorded").population.text(), "2");
        assert_eq!(events(&store, "identification_fairness_viewed").await, 1);

        // Someone who does not read reports is refused, audited.
        let before = events(&store, "access_denied").await;
        assert!(matches!(
            h.identification_fairness(&lead).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(events(&store, "access_denied").await - before, 1);
    }
);

both_engines!(
    the_data_lead_adds_changes_and_retires_indicators_and_the_worklist_names_the_version,
    |store| async move {
        use hearth_app::identification::IndicatorForm;
        let h = hearth(store.clone()).await;
        let analyst = actor(&h, "matching@demo.hearth.test").await;
        let frontdoor = actor(&h, "frontdoor@demo.hearth.test").await;

        // The standard set, each at its first version, made by nobody (Hearth's own).
        let list = h.identification_indicators(&analyst).await.unwrap();
        assert_eq!(list.latest.len(), 5);
        assert!(list
            .latest
            .iter()
            .all(|v| v.indicator.version == 1 && v.by.is_none() && !v.retired));
        // Migration 0075 stores exactly the domain's standard set.
        let mut standard = hearth_domain::identification::indicators::standard();
        standard.sort_by(|a, b| a.code.cmp(&b.code));
        let stored: Vec<_> = list.latest.iter().map(|v| v.indicator.clone()).collect();
        assert_eq!(stored, standard);
        let attendance = list
            .latest
            .iter()
            .find(|v| v.indicator.code == "attendance_under_90")
            .unwrap()
            .indicator
            .clone();

        // Only the data lead: the front door is refused, and the refusal audited.
        let refusals = events(&store, "access_denied").await;
        assert!(matches!(
            h.identification_indicators(&frontdoor).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.save_indicator(&frontdoor, None, &IndicatorForm::of(&attendance))
                .await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(events(&store, "access_denied").await, refusals + 2);

        // A new indicator: rent arrears, pointing to two needs. A bad one says what to fix.
        let arrears = IndicatorForm {
            code: "rent_arrears".into(),
            label: "Rent arrears".into(),
            feed: "housing".into(),
            event: "rent_arrears".into(),
            rule: "presence".into(),
            months: "6".into(),
            needs: vec!["housing".into(), "financial".into()],
            levels: vec!["2".into()],
            ..IndicatorForm::default()
        };
        let Err(AppError::Invalid(e)) = h
            .save_indicator(
                &analyst,
                None,
                &IndicatorForm {
                    needs: vec![],
                    event: "domestic_abuse".into(),
                    ..arrears.clone()
                },
            )
            .await
        else {
            panic!("a bad indicator was kept")
        };
        assert!(e.get("needs").unwrap().starts_with("Choose at least one"));
        assert!(e.get("event").unwrap().contains("is not in housing"));
        let added = h.save_indicator(&analyst, None, &arrears).await.unwrap();
        assert_eq!(added.version, 1);
        assert!(matches!(
            h.save_indicator(&analyst, None, &arrears).await,
            Err(AppError::Invalid(e)) if e.get("code").is_some()
        ));

        // Attendance: the threshold raised to 95%, as version 2.
        let raised = IndicatorForm {
            label: "Attendance under 95% in a term".into(),
            threshold: "95".into(),
            ..IndicatorForm::of(&attendance)
        };
        let v2 = h
            .save_indicator(&analyst, Some("attendance_under_90"), &raised)
            .await
            .unwrap();
        assert_eq!(v2.version, 2);
        // Made again from version 1: someone changed it meanwhile; nothing is kept.
        let Err(AppError::Invalid(e)) = h
            .save_indicator(&analyst, Some("attendance_under_90"), &raised)
            .await
        else {
            panic!("a stale change was kept")
        };
        assert!(e.get("label").unwrap().contains("now version 2"), "{e:?}");
        // From version 2 but the same: nothing to keep.
        let Err(AppError::Invalid(e)) = h
            .save_indicator(
                &analyst,
                Some("attendance_under_90"),
                &IndicatorForm::of(&v2),
            )
            .await
        else {
            panic!("an unchanged version was kept")
        };
        assert!(e.get("label").unwrap().starts_with("Nothing was changed"));

        // The exclusion retired: it fires no more, and its history says so.
        h.retire_indicator(&analyst, "exclusion", "1")
            .await
            .unwrap();
        assert!(matches!(
            h.retire_indicator(&analyst, "rent_arrears", "7").await,
            Err(AppError::Conflict)
        ));
        let list = h.identification_indicators(&analyst).await.unwrap();
        let history: Vec<(u32, bool)> = list
            .history("exclusion")
            .iter()
            .map(|v| (v.indicator.version, v.retired))
            .collect();
        assert_eq!(history, vec![(1, false), (2, true)]);
        let v2_kept = list.history("attendance_under_90")[1];
        assert_eq!(v2_kept.by, Some(analyst.user_id));
        assert_eq!(v2_kept.indicator, v2);
        assert_eq!(
            events(&store, "identification_indicator_changed").await,
            3,
            "added, changed, retired"
        );

        // The worklist: Mia at 92% (under the new 95%, not the old 90%) and an exclusion
        // (retired), Grace in rent arrears: education and housing (and financial), named by the
        // versions that fired.
        attendance_dataset(&h, &store).await;
        register(
            &h,
            &store,
            "housing",
            "housing",
            "Nottingham City Council (demo)",
            "30",
        )
        .await;
        let (mia, grace) = okafors(&h).await;
        let recent = (Utc::now().date_naive() - Duration::days(20)).to_string();
        h.import_partner_data(
            &analyst,
            "attendance",
            "census.csv",
            &format!(
                "reference,given_names,family_name,dob,postcode,event,date,attendance\n\
                 A1,Mia,Okafor,{mia},NG7 2RD,attendance,{recent},92\n\
                 A2,Mia,Okafor,{mia},NG7 2RD,exclusion,{recent},\n"
            ),
        )
        .await
        .unwrap();
        h.import_partner_data(
            &analyst,
            "housing",
            "housing.csv",
            &format!(
                "reference,given_names,family_name,dob,postcode,event,date\n\
                 H1,Grace,Okafor,{grace},NG7 2RD,rent_arrears,{recent}\n"
            ),
        )
        .await
        .unwrap();
        let list = h.identification_worklist(&frontdoor).await.unwrap();
        assert_eq!(list.families.len(), 1, "{list:?}");
        let family = &list.families[0];
        assert_eq!(
            family.needs,
            vec![
                NeedDomain::GoodEducation,
                NeedDomain::SecureHousing,
                NeedDomain::FinancialStability
            ]
        );
        let mut fired: Vec<String> = family.reasons.iter().map(|r| r.fired()).collect();
        fired.sort();
        assert_eq!(
            fired,
            vec![
                "indicator attendance_under_90, version 2",
                "indicator rent_arrears, version 1"
            ]
        );
    }
);

both_engines!(
    the_citys_datasets_are_registered_once_and_each_synthetic_feed_imports_as_its_kind,
    |store| async move {
        use hearth_synthetic::partner_feeds::{benefits, health_visiting, housing, youth_justice};
        let h = hearth(store.clone()).await;
        let today = Utc::now().date_naive();
        assert_eq!(h.seed_city_datasets(today).await.unwrap(), 6);
        assert_eq!(h.seed_city_datasets(today).await.unwrap(), 0, "once");
        let analyst = actor(&h, "matching@demo.hearth.test").await;
        let datasets = h.partner_datasets(&analyst).await.unwrap();
        let housing_set = datasets.iter().find(|d| d.code == "city-housing").unwrap();
        assert_eq!(housing_set.owner_name, "City Homes (demo)");
        assert_eq!(housing_set.refresh, "monthly");
        assert_eq!(housing_set.unmatched_days, 60);
        let youth = datasets
            .iter()
            .find(|d| d.code == "city-youth-justice")
            .unwrap();
        assert_eq!(youth.lawful_basis.code(), "legal_obligation");

        // Each new feed's file, from a small town's people, imports as its kind: nearly every
        // row read, the odd mistyped one named.
        let people = hearth_synthetic::population::generate(800, 3).unwrap();
        for (code, text) in [
            ("city-housing", housing(&people, 0.2, 1, today)),
            (
                "city-health-visiting",
                health_visiting(&people, 0.9, 2, today),
            ),
            ("city-benefits", benefits(&people, 0.2, 3, today)),
            ("city-youth-justice", youth_justice(&people, 0.4, 4, today)),
        ] {
            let report = h
                .import_partner_data(&analyst, code, "synthetic.csv", &text)
                .await
                .unwrap();
            let c = &report.counts;
            assert!(
                c.rows_read > 10 && c.rejected * 20 <= c.rows_read,
                "{code}: {c:?} {:?}",
                report.problems
            );
            assert_eq!(c.rows_read, text.lines().count() as i64 - 1, "{code}");
        }
    }
);

/// Where each row of an import went, in line order: state, person, candidate, score, reasons.
async fn placements(
    store: &Store,
    import: &str,
) -> Vec<(i64, String, String, String, i64, String)> {
    let mut conn = store.read().await.unwrap();
    sqlx::query(
        "SELECT line, state, person_id, candidate_id, score, reasons FROM partner_records
         WHERE import_id = $1 ORDER BY line",
    )
    .bind(import)
    .fetch_all(&mut *conn)
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.try_get("line").unwrap(),
            r.try_get("state").unwrap(),
            r.try_get::<Option<String>, _>("person_id")
                .unwrap()
                .unwrap_or_default(),
            r.try_get::<Option<String>, _>("candidate_id")
                .unwrap()
                .unwrap_or_default(),
            r.try_get::<Option<i64>, _>("score").unwrap().unwrap_or(-1),
            r.try_get("reasons").unwrap(),
        )
    })
    .collect()
}

both_engines!(
    a_file_is_placed_the_same_row_by_row_and_against_the_register_held_in_memory,
    |store| async move {
        use hearth_app::identification::Matching;
        use hearth_synthetic::{load, partner_feeds, population};
        let with = |matching: Matching| {
            let mut policies = Policies::default();
            policies.partner_files.matching = matching;
            Hearth::new(store.clone(), policies)
        };
        let row_by_row = with(Matching::RowByRow);
        let in_memory = with(Matching::Bulk);
        row_by_row
            .seed_demo(hearth_testkit::app::PASSWORD)
            .await
            .unwrap();
        // A small city: households sharing surnames and postcodes, twins, previous surnames
        // and addresses, restricted records; and the police's file about some of them, with
        // the noise of real files (no date of birth, day and month swapped, nicknames,
        // surnames mistyped, postcodes left off).
        let people = population::generate(3_000, 11).unwrap();
        load::load(&store, &people, 11, "test").await.unwrap();
        register(
            &row_by_row,
            &store,
            "police",
            "police_notifications",
            "Nottingham City Council (demo)",
            "30",
        )
        .await;
        let file = partner_feeds::police_notifications(&people, 0.12, 5, Utc::now().date_naive());
        let analyst = actor(&row_by_row, "matching@demo.hearth.test").await;
        let first = row_by_row
            .import_partner_data(&analyst, "police", "police.csv", &file)
            .await
            .unwrap();
        // A reviewer says one waiting row is its candidate and another is not: both ways read
        // those decisions for the next file.
        let mut queue = row_by_row.review_queue(&analyst).await.unwrap();
        // One row for each pair: a decision settles every row waiting on its pair.
        queue.dedup_by(|a, b| {
            (&a.given_names, &a.family_name, a.dob, &a.postcode)
                == (&b.given_names, &b.family_name, b.dob, &b.postcode)
        });
        assert!(queue.len() >= 2, "{:?}", first.counts);
        for (pending, decision) in queue.iter().zip(["same", "not_same"]) {
            row_by_row
                .decide_match(
                    &analyst,
                    pending.id,
                    &ReviewForm {
                        decision: decision.into(),
                    },
                )
                .await
                .unwrap();
        }

        let one = row_by_row
            .import_partner_data(&analyst, "police", "police.csv", &file)
            .await
            .unwrap();
        let other = in_memory
            .import_partner_data(&analyst, "police", "police.csv", &file)
            .await
            .unwrap();
        assert_eq!(one.counts, other.counts);
        let (one, other) = (
            placements(&store, &one.import.to_string()).await,
            placements(&store, &other.import.to_string()).await,
        );
        assert!(one.len() > 300, "{}", one.len());
        for (a, b) in one.iter().zip(&other) {
            assert_eq!(a, b, "line {} placed differently", a.0);
        }
        assert_eq!(one.len(), other.len());
        // Every way a row can go is in the file, the reviewer's decision among them.
        for state in ["matched", "review", "unmatched"] {
            assert!(one.iter().any(|p| p.1 == state), "no row {state}");
        }
        assert!(one
            .iter()
            .any(|p| p.5 == "a reviewer decided this is the same person"));
    }
);

// Issue 19 item 7: partners' data attached to a family Hearth helps feeds the dashboard — a
// term's attendance under 90% and an exclusion, dated while the episode is open.
both_engines!(
    partners_data_about_a_family_being_helped_feeds_the_dashboard,
    |store| async move {
        let h = hearth(store.clone()).await;
        attendance_dataset(&h, &store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let today = Utc::now().date_naive();
        let dob = today - Duration::days(9 * 365);
        let opened = Family::new("Adeyemi")
            .child("Tobi", &dob.format("%d/%m/%Y").to_string())
            .address("4 Elm Road", "NG5 1AA")
            .need("education")
            .told("Mum knows")
            .early_help(&h, &lead, "The school is worried about his attendance")
            .await;
        let analyst = actor(&h, "matching@demo.hearth.test").await;
        let file = format!(
            "reference,given_names,family_name,dob,postcode,upn,event,date,attendance\n\
             A1,Tobi,Adeyemi,{dob},NG5 1AA,,attendance,{today},84.2\n\
             A2,Tobi,Adeyemi,{dob},NG5 1AA,,exclusion,{today},\n"
        );
        let report = h
            .import_partner_data(&analyst, "attendance", "autumn.csv", &file)
            .await
            .unwrap();
        assert_eq!(report.counts.matched, 2, "{report:?}");

        use hearth_app::insight::{ReportFilter, Scope};
        let reader = actor(&h, "analyst@demo.hearth.test").await;
        let quarter = hearth_domain::insight::Quarter::containing(today);
        let d = h
            .dashboard(
                &reader,
                Scope::Partnership,
                ReportFilter::default(),
                quarter,
                1,
            )
            .await
            .unwrap();
        let figure = |code: &str| {
            let l = d.lines.iter().find(|l| l.kpi.code == code).unwrap();
            (l.figures[0].text(), l.counts[0])
        };
        let (attendance, counted) = figure("supported_attendance");
        assert_eq!(attendance, "0.0%");
        assert_eq!(counted.and_then(|f| f.denominator), Some(1), "one family");
        assert_eq!(figure("supported_exclusions").0, "1");
        assert_eq!(figure("supported_domestic_abuse").0, "0");

        // The lead drills into the figure and finds the family they help; narrowed to another
        // team, the family is not counted.
        let drill = h
            .drill(
                &lead,
                Scope::Mine,
                ReportFilter::default(),
                "supported_attendance",
                quarter,
            )
            .await
            .unwrap();
        assert!(
            drill.shown.iter().any(|r| matches!(
                r,
                hearth_app::insight::DrillRecord::Episode { id, .. } if *id == opened.episode
            )),
            "{:?}",
            drill.shown.len()
        );
        let other_team = h
            .dashboard(
                &reader,
                Scope::Partnership,
                ReportFilter {
                    lead: Some(reader.user_id),
                    ..ReportFilter::default()
                },
                quarter,
                1,
            )
            .await
            .unwrap();
        let l = other_team
            .lines
            .iter()
            .find(|l| l.kpi.code == "supported_exclusions")
            .unwrap();
        assert_eq!(l.figures[0].text(), "0");
    }
);
