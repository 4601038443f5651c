//! Family Hubs through the app's public interface on both engines: a family registered light
//! touch and linked to the shared record without the hub seeing it, a course with a waiting
//! list, a register marked twice over (resends kept once), attendance in the chronology only
//! with consent, a cancelled session's list to call, the reach figures, and the refusals
//! (another organisation's hub, a role that does not run hubs), each audited.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::hubs::{MarkInput, ProgrammeForm, RegistrationForm};
use hearth_app::records::AuditQuery;
use hearth_app::{Actor, AppError, Hearth};
use hearth_domain::audit::AuditAction;
use hearth_domain::hub::BookingStatus;
use hearth_testkit::app::{actor, hearth, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use uuid::Uuid;

async fn actions(h: &Hearth, record: &str) -> Vec<AuditAction> {
    h.search_audit(
        &actor(h, "admin@demo.hearth.test").await,
        &AuditQuery {
            record_id: Some(record.to_string()),
            ..AuditQuery::default()
        },
    )
    .await
    .unwrap()
    .into_iter()
    .map(|e| e.action)
    .collect()
}

async fn bestwood(h: &Hearth) -> String {
    let places = h.hub_places().await.unwrap();
    places
        .iter()
        .find(|(_, n)| n == "Bestwood Family Hub")
        .unwrap()
        .0
        .to_string()
}

fn family_form(
    hub: &str,
    people: &[(&str, &str, &str, &str)],
    attendance: bool,
) -> RegistrationForm {
    let col = |k: usize| {
        people
            .iter()
            .map(|p| [p.0, p.1, p.2, p.3][k].to_string())
            .collect()
    };
    RegistrationForm {
        hub: hub.into(),
        postcode: "NG5 5AB".into(),
        language: "Urdu".into(),
        phone: "07700 900123".into(),
        consent_contact: "yes".into(),
        consent_attendance: if attendance {
            "yes".into()
        } else {
            String::new()
        },
        given_names: col(0),
        family_name: col(1),
        dob: col(2),
        born: col(3),
        ethnicity: Vec::new(),
    }
}

async fn course(h: &Hearth, hub: &Actor, places: u32) -> Uuid {
    let service = h
        .programme_services()
        .await
        .unwrap()
        .into_iter()
        .find(|(_, n)| n.starts_with("Incredible Years"))
        .unwrap()
        .0;
    let first = (h.now().date_naive() - chrono::Duration::days(14))
        .format("%d/%m/%Y")
        .to_string();
    h.create_programme(
        hub,
        &ProgrammeForm {
            service: service.to_string(),
            location: bestwood(h).await,
            name: "Incredible Years (spring)".into(),
            kind: "course".into(),
            first_date: first,
            weeks: "10".into(),
            starts: "10:00".into(),
            ends: "12:00".into(),
            facilitators: "Sam and Ali".into(),
            capacity: places.to_string(),
        },
    )
    .await
    .unwrap()
}

fn mark(id: &str, member: Uuid, present: bool) -> MarkInput {
    MarkInput {
        mark_id: id.into(),
        member: Some(member.to_string()),
        present: Some(present),
        counted: None,
    }
}

both_engines!(
    a_family_is_registered_booked_marked_and_reached_without_opening_their_record,
    |store| async move {
        let h = hearth(store).await;
        let hub = actor(&h, "hub@demo.hearth.test").await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        // A family already on the shared record, with a school-led episode.
        let mum_dob = years_ago(31);
        let opened = Family::new("Rahman")
            .child("Ayaan", &years_ago(4))
            .parent("Saima", &mum_dob)
            .address("3 Bestwood Road", "NG5 5AB")
            .need("education")
            .early_help(&h, &lead, "School knows the family")
            .await;
        let saima = opened.people[1];

        // Bad input: each problem at its field, and nothing registered.
        let hubs = bestwood(&h).await;
        let mut bad = family_form(&hubs, &[("Saima", "", "31/02/1990", "born")], true);
        bad.postcode = String::new();
        match h.register_hub_family(&hub, &bad).await {
            Err(AppError::Invalid(e)) => {
                assert!(e.get("family_name-0").is_some());
                assert!(e.get("dob-0").is_some());
                assert!(e.get("postcode").is_some());
            }
            other => panic!("{other:?}"),
        }

        // Registered: Saima is linked (find-before-create found her), the expected baby is not.
        let due = (h.now().date_naive() + chrono::Duration::days(60))
            .format("%d/%m/%Y")
            .to_string();
        let family = h
            .register_hub_family(
                &hub,
                &family_form(
                    &hubs,
                    &[
                        ("Saima", "Rahman", &mum_dob, "born"),
                        ("Baby", "Rahman", &due, "expected"),
                    ],
                    true,
                ),
            )
            .await
            .unwrap();
        let view = h.hub_family(&hub, family).await.unwrap();
        assert_eq!(view.family.members.len(), 2);
        let saima_member = view
            .family
            .members
            .iter()
            .find(|m| m.given_names == "Saima")
            .unwrap();
        assert!(saima_member.linked);
        assert!(view.family.members.iter().any(|m| m.expected && !m.linked));
        // The hub worker may not open Saima's record: linking opened nothing.
        assert!(matches!(
            h.person(&hub, saima, None).await,
            Err(AppError::Forbidden(_))
        ));

        // A course of ten weeks with one place: Saima takes it, a second family waits.
        let programme = course(&h, &hub, 1).await;
        let view = h.hub_programme(&hub, programme).await.unwrap();
        assert_eq!(view.sessions.len(), 10);
        let status = h
            .book_on_programme(
                &hub,
                family,
                &saima_member.id.to_string(),
                &programme.to_string(),
            )
            .await
            .unwrap();
        assert_eq!(status, BookingStatus::Booked);
        let other = h
            .register_hub_family(
                &hub,
                &family_form(&hubs, &[("Zofia", "Nowak", &years_ago(29), "born")], false),
            )
            .await
            .unwrap();
        let zofia = h.hub_family(&hub, other).await.unwrap().family.members[0].id;
        assert_eq!(
            h.book_on_programme(&hub, other, &zofia.to_string(), &programme.to_string())
                .await
                .unwrap(),
            BookingStatus::Waiting
        );

        // The first session's register: Saima came; sent twice, kept once. Zofia walked in
        // (registered, no consent to share), and two walk-ins were counted only.
        let session = view.sessions[0].id;
        let register = h.session_register(&hub, session).await.unwrap();
        assert_eq!(register.register.lines.len(), 2);
        let marks = vec![
            mark("tablet-1", saima_member.id, true),
            mark("tablet-2", zofia, true),
            MarkInput {
                mark_id: "tablet-3".into(),
                member: None,
                present: None,
                counted: Some("2_to_4".into()),
            },
            MarkInput {
                mark_id: "tablet-4".into(),
                member: None,
                present: None,
                counted: Some("adult".into()),
            },
        ];
        assert_eq!(h.mark_register(&hub, session, &marks).await.unwrap(), 4);
        assert_eq!(h.mark_register(&hub, session, &marks).await.unwrap(), 0);
        // A different device marking Saima again changes nothing either.
        assert_eq!(
            h.mark_register(&hub, session, &[mark("phone-9", saima_member.id, true)])
                .await
                .unwrap(),
            0
        );
        let register = h.session_register(&hub, session).await.unwrap();
        assert_eq!(register.register.counted, 2);
        assert!(register.register.lines.iter().all(|l| l.present));

        // Saima's attendance is in her chronology, for the lead who may read it; Zofia has no
        // record, and the walk-ins none either.
        let chronology = h
            .chronology(&lead, saima, &[], None, 0, None)
            .await
            .unwrap();
        let hub_lines: Vec<_> = chronology
            .entries
            .iter()
            .filter(|e| e.kind == hearth_domain::chronology::EntryKind::HubAttendance)
            .collect();
        assert_eq!(hub_lines.len(), 1);
        assert!(hub_lines[0].summary.contains("Incredible Years (spring)"));
        // Unticked by mistake: the attendance and its chronology line go.
        assert_eq!(
            h.mark_register(&hub, session, &[mark("tablet-5", saima_member.id, false)])
                .await
                .unwrap(),
            1
        );
        let chronology = h
            .chronology(&lead, saima, &[], None, 0, None)
            .await
            .unwrap();
        assert!(!chronology
            .entries
            .iter()
            .any(|e| e.kind == hearth_domain::chronology::EntryKind::HubAttendance));
        h.mark_register(&hub, session, &[mark("tablet-6", saima_member.id, true)])
            .await
            .unwrap();

        // Cancelling the second session lists who to call, with the number they agreed to.
        let to_call = h
            .cancel_hub_session(&hub, view.sessions[1].id, "Hub closed: heating broken")
            .await
            .unwrap();
        assert_eq!(
            to_call,
            vec![("Saima Rahman".to_string(), Some("07700 900123".to_string()))]
        );
        match h
            .mark_register(
                &hub,
                view.sessions[1].id,
                &[mark("late", saima_member.id, true)],
            )
            .await
        {
            Err(AppError::Invalid(e)) => assert!(e.get("present").is_some()),
            other => panic!("{other:?}"),
        }

        // The reach over the period: two registered people, one session, four attendances.
        let manager = actor(&h, "manager@demo.hearth.test").await;
        let today = h.now().date_naive();
        let reach = h
            .hub_reach(&manager, today - chrono::Duration::days(30), today)
            .await
            .unwrap();
        assert_eq!(
            (
                reach.total.people,
                reach.total.sessions,
                reach.total.attendances
            ),
            (2, 1, 4)
        );
        assert_eq!(reach.counted_only, 2);
        assert_eq!(reach.by_hub.len(), 1);
        assert_eq!(reach.by_hub[0].label, "Bestwood Family Hub");
        assert!(reach
            .by_language
            .iter()
            .any(|f| f.label == "Urdu" && f.people == 2));
        // Before the course: nothing.
        let before = h
            .hub_reach(
                &manager,
                today - chrono::Duration::days(400),
                today - chrono::Duration::days(300),
            )
            .await
            .unwrap();
        assert_eq!(before.total.attendances, 0);

        let audited = actions(&h, &family.to_string()).await;
        assert!(audited.contains(&AuditAction::HubFamilyRegistered));
        assert!(audited.contains(&AuditAction::HubFamilyViewed));
        assert!(audited.contains(&AuditAction::HubBookingMade));
        let audited = actions(&h, &session.to_string()).await;
        assert!(audited.contains(&AuditAction::HubRegisterMarked));
    }
);

both_engines!(
    other_organisations_and_roles_are_refused_and_each_refusal_audited,
    |store| async move {
        let h = hearth(store).await;
        let hub = actor(&h, "hub@demo.hearth.test").await;
        let hubs = bestwood(&h).await;
        let family = h
            .register_hub_family(
                &hub,
                &family_form(&hubs, &[("Ana", "Popescu", &years_ago(27), "born")], true),
            )
            .await
            .unwrap();
        let programme = course(&h, &hub, 12).await;
        let session = h.hub_programme(&hub, programme).await.unwrap().sessions[0].id;

        // A lead professional has no hub role: refused, audited.
        let lead = actor(&h, "lead@demo.hearth.test").await;
        assert!(matches!(
            h.hub_family(&lead, family).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.session_register(&lead, session).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.hub_families(&lead, "").await,
            Err(AppError::Forbidden(_))
        ));
        // An analyst may read the reach, but no family.
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        assert!(h
            .hub_reach(&analyst, h.now().date_naive(), h.now().date_naive())
            .await
            .is_ok());
        assert!(matches!(
            h.hub_family(&analyst, family).await,
            Err(AppError::Forbidden(_))
        ));
        // The hub worker may not read the reach (no reports capability).
        assert!(matches!(
            h.hub_reach(&hub, h.now().date_naive(), h.now().date_naive())
                .await,
            Err(AppError::Forbidden(_))
        ));

        // A hub worker of another organisation: refused the family and the programme, and a
        // member of this organisation's family sent on their own register is refused too.
        let mut elsewhere = hub.clone();
        elsewhere.organisation_id = actor(&h, "vcs-worker@demo.hearth.test")
            .await
            .organisation_id;
        assert!(matches!(
            h.hub_family(&elsewhere, family).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.session_register(&elsewhere, session).await,
            Err(AppError::Forbidden(_))
        ));
        let theirs = course(&h, &elsewhere, 5).await;
        let their_session = h.hub_programme(&elsewhere, theirs).await.unwrap().sessions[0].id;
        let ana = h.hub_family(&hub, family).await.unwrap().family.members[0].id;
        assert!(matches!(
            h.mark_register(&elsewhere, their_session, &[mark("x", ana, true)])
                .await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(
            h.session_register(&elsewhere, their_session)
                .await
                .unwrap()
                .register
                .lines
                .len(),
            0
        );
        // Nor may they book this organisation's family on their programme.
        assert!(matches!(
            h.book_on_programme(&elsewhere, family, &ana.to_string(), &theirs.to_string())
                .await,
            Err(AppError::Forbidden(_))
        ));

        let refused = actions(&h, &family.to_string()).await;
        assert!(
            refused
                .iter()
                .filter(|a| **a == AuditAction::AccessDenied)
                .count()
                >= 4
        );
        let refused = actions(&h, &their_session.to_string()).await;
        assert!(refused.contains(&AuditAction::AccessDenied));
    }
);
