//! Family Hubs through the app's public interface on both engines: a family registered light
//! touch and linked to the shared record without the hub seeing it, a course with a waiting
//! list, a register marked twice over (resends kept once), attendance in the chronology only
//! with consent, a cancelled session's list to call, the reach figures, and the refusals
//! (another organisation's hub, a role that does not run hubs), each audited.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use hearth_app::episodes::plan::{OutcomeForm, PlanForm};
use hearth_app::hubs::{
    CompletionForm, ConcernForm, MarkInput, PopulationImport, ProgrammeForm, RegistrationForm,
};
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
            .hub_reach(&manager, today - chrono::Duration::days(30), today, false)
            .await
            .unwrap()
            .0;
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
                false,
            )
            .await
            .unwrap()
            .0;
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
            .hub_reach(&analyst, h.now().date_naive(), h.now().date_naive(), false)
            .await
            .is_ok());
        assert!(matches!(
            h.hub_family(&analyst, family).await,
            Err(AppError::Forbidden(_))
        ));
        // The hub worker may not read the reach (no reports capability).
        assert!(matches!(
            h.hub_reach(&hub, h.now().date_naive(), h.now().date_naive(), false)
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

/// How many lines of `person`'s chronology are hub attendance, as `who` reads it.
async fn hub_lines(h: &Hearth, who: &Actor, person: hearth_domain::ids::PersonId) -> usize {
    h.chronology(who, person, &[], None, 0, None)
        .await
        .unwrap()
        .entries
        .iter()
        .filter(|e| e.kind == hearth_domain::chronology::EntryKind::HubAttendance)
        .count()
}

fn concern(members: &[Uuid]) -> ConcernForm {
    ConcernForm {
        members: members.iter().map(Uuid::to_string).collect(),
        needs: vec!["family_relationships".into()],
        concern: "Mum was tearful at the group and said there is shouting at home".into(),
        family_told: "Mum knows we are asking for help".into(),
        consent: "given".into(),
        lawful_basis: String::new(),
        urgency: "soon".into(),
        safeguarding: "no".into(),
    }
}

both_engines!(
    a_concern_noted_at_the_hub_reaches_the_front_door_found_or_added_on_the_record,
    |store| async move {
        let h = hearth(store).await;
        let hub = actor(&h, "hub@demo.hearth.test").await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let mum_dob = years_ago(33);
        let opened = Family::new("Okafor-Lund")
            .parent("Amina", &mum_dob)
            .address("9 Bestwood Road", "NG5 5AB")
            .need("education")
            .early_help(&h, &lead, "Known to school")
            .await;
        let amina = opened.people[0];
        let hubs = bestwood(&h).await;
        let family = h
            .register_hub_family(
                &hub,
                &family_form(
                    &hubs,
                    &[
                        ("Amina", "Okafor-Lund", &mum_dob, "born"),
                        ("Idris", "Okafor-Lund", &years_ago(2), "born"),
                    ],
                    true,
                ),
            )
            .await
            .unwrap();
        let members = h.hub_family(&hub, family).await.unwrap().family.members;
        let idris = members.iter().find(|m| m.given_names == "Idris").unwrap();
        assert!(!idris.linked);
        let ids: Vec<Uuid> = members.iter().map(|m| m.id).collect();

        // Nothing chosen, no need, nothing said: each problem at its field, nothing sent.
        match h
            .note_hub_concern(&hub, family, &ConcernForm::default())
            .await
        {
            Err(AppError::Invalid(e)) => {
                for f in [
                    "members",
                    "concern",
                    "needs",
                    "consent",
                    "urgency",
                    "safeguarding",
                ] {
                    assert!(e.get(f).is_some(), "{f}");
                }
            }
            other => panic!("{other:?}"),
        }
        // Without consent the front door's rule holds: a lawful basis is needed.
        let mut refused = concern(&ids);
        refused.consent = "refused".into();
        match h.note_hub_concern(&hub, family, &refused).await {
            Err(AppError::Invalid(e)) => assert!(e.get("lawful_basis").is_some()),
            other => panic!("{other:?}"),
        }

        // Sent: Amina is the person already on the record; Idris is added from the registration.
        let request = h
            .note_hub_concern(&hub, family, &concern(&ids))
            .await
            .unwrap();
        let front_door = actor(&h, "frontdoor@demo.hearth.test").await;
        let queue = h.front_door_queue(&front_door, false).await.unwrap();
        let sent = queue.iter().find(|r| r.request.id == request).unwrap();
        assert_eq!(sent.request.requester_id, hub.user_id);
        assert_eq!(sent.request.people.len(), 2);
        assert!(sent.request.people.contains(&amina));
        assert!(sent
            .people
            .iter()
            .any(|(_, name, _)| name == "Idris Okafor-Lund"));
        let view = h.request(&front_door, request).await.unwrap();
        assert!(view.request.needs[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("Noted at Bestwood Family Hub: Mum was tearful"));
        // Idris's registration is now linked, and a second concern finds him, not a twin.
        let members = h.hub_family(&hub, family).await.unwrap().family.members;
        assert!(members.iter().all(|m| m.linked));
        let idris_person = *sent.request.people.iter().find(|p| **p != amina).unwrap();
        let again = h
            .note_hub_concern(&hub, family, &concern(&[idris.id]))
            .await
            .unwrap();
        assert_eq!(
            h.request(&front_door, again).await.unwrap().request.people,
            vec![idris_person]
        );
        // The hub sent it, but still may not open the record.
        assert!(matches!(
            h.person(&hub, idris_person, None).await,
            Err(AppError::Forbidden(_))
        ));

        let audited = actions(&h, &family.to_string()).await;
        assert_eq!(
            audited
                .iter()
                .filter(|a| **a == AuditAction::HubConcernNoted)
                .count(),
            2
        );
        assert!(actions(&h, &request.to_string())
            .await
            .contains(&AuditAction::RequestSubmitted));
        assert!(actions(&h, &idris_person.to_string())
            .await
            .contains(&AuditAction::PersonCreated));

        // Refused, audited: a member of another family, another organisation, a non-hub role.
        let other = h
            .register_hub_family(
                &hub,
                &family_form(&hubs, &[("Ewa", "Kowalska", &years_ago(30), "born")], false),
            )
            .await
            .unwrap();
        let ewa = h.hub_family(&hub, other).await.unwrap().family.members[0].id;
        let before = actions(&h, &family.to_string())
            .await
            .iter()
            .filter(|a| **a == AuditAction::AccessDenied)
            .count();
        assert!(matches!(
            h.note_hub_concern(&hub, family, &concern(&[ewa])).await,
            Err(AppError::Forbidden(_))
        ));
        let mut elsewhere = hub.clone();
        elsewhere.organisation_id = actor(&h, "vcs-worker@demo.hearth.test")
            .await
            .organisation_id;
        assert!(matches!(
            h.note_hub_concern(&elsewhere, family, &concern(&ids)).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.note_hub_concern(&lead, family, &concern(&ids)).await,
            Err(AppError::Forbidden(_))
        ));
        let after = actions(&h, &family.to_string())
            .await
            .iter()
            .filter(|a| **a == AuditAction::AccessDenied)
            .count();
        assert_eq!(after, before + 3);
        // Nothing was sent by the refused tries.
        assert_eq!(h.my_requests(&hub).await.unwrap().len(), 2);
    }
);

both_engines!(
    withdrawing_consent_takes_attendance_out_of_the_chronology_but_keeps_it_counted,
    |store| async move {
        let h = hearth(store).await;
        let hub = actor(&h, "hub@demo.hearth.test").await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let dob = years_ago(35);
        let opened = Family::new("Ionescu")
            .parent("Maria", &dob)
            .address("1 Bestwood Road", "NG5 5AB")
            .need("education")
            .early_help(&h, &lead, "Known to school")
            .await;
        let maria = opened.people[0];
        let hubs = bestwood(&h).await;
        let family = h
            .register_hub_family(
                &hub,
                &family_form(&hubs, &[("Maria", "Ionescu", &dob, "born")], true),
            )
            .await
            .unwrap();
        let member = h.hub_family(&hub, family).await.unwrap().family.members[0].id;
        let programme = course(&h, &hub, 12).await;
        let sessions = h.hub_programme(&hub, programme).await.unwrap().sessions;
        for (i, s) in sessions.iter().take(2).enumerate() {
            h.mark_register(&hub, s.id, &[mark(&format!("m{i}"), member, true)])
                .await
                .unwrap();
        }
        assert_eq!(hub_lines(&h, &lead, maria).await, 2);

        // Another organisation's hub worker, and a lead, may not change it: refused, audited.
        let mut elsewhere = hub.clone();
        elsewhere.organisation_id = actor(&h, "vcs-worker@demo.hearth.test")
            .await
            .organisation_id;
        assert!(matches!(
            h.set_hub_attendance_consent(&elsewhere, family, false)
                .await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.set_hub_attendance_consent(&lead, family, false).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(hub_lines(&h, &lead, maria).await, 2);

        // Withdrawn: both lines leave the chronology at once; sent twice, nothing more happens.
        assert_eq!(
            h.set_hub_attendance_consent(&hub, family, false)
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            h.set_hub_attendance_consent(&hub, family, false)
                .await
                .unwrap(),
            0
        );
        assert_eq!(hub_lines(&h, &lead, maria).await, 0);
        assert!(
            !h.hub_family(&hub, family)
                .await
                .unwrap()
                .family
                .consent_attendance
        );
        // A later session is counted but not shared.
        h.mark_register(&hub, sessions[2].id, &[mark("m2", member, true)])
            .await
            .unwrap();
        assert_eq!(hub_lines(&h, &lead, maria).await, 0);
        let manager = actor(&h, "manager@demo.hearth.test").await;
        let today = h.now().date_naive();
        let reach = h
            .hub_reach(
                &manager,
                today - chrono::Duration::days(30),
                today + chrono::Duration::days(30),
                false,
            )
            .await
            .unwrap()
            .0;
        assert_eq!(reach.total.attendances, 3);
        // Agreed again: from then on attendance is shared; what was withdrawn stays out.
        assert_eq!(
            h.set_hub_attendance_consent(&hub, family, true)
                .await
                .unwrap(),
            0
        );
        h.mark_register(&hub, sessions[3].id, &[mark("m3", member, true)])
            .await
            .unwrap();
        assert_eq!(hub_lines(&h, &lead, maria).await, 1);

        let audited = actions(&h, &family.to_string()).await;
        assert_eq!(
            audited
                .iter()
                .filter(|a| **a == AuditAction::HubAttendanceConsentChanged)
                .count(),
            2
        );
        assert!(audited.contains(&AuditAction::AccessDenied));
    }
);

/// A four-week course that finished five weeks ago.
async fn past_course(h: &Hearth, hub: &Actor, name: &str) -> Uuid {
    let service = h
        .programme_services()
        .await
        .unwrap()
        .into_iter()
        .find(|(_, n)| n.starts_with("Incredible Years"))
        .unwrap()
        .0;
    h.create_programme(
        hub,
        &ProgrammeForm {
            service: service.to_string(),
            location: bestwood(h).await,
            name: name.into(),
            kind: "course".into(),
            first_date: (h.now().date_naive() - chrono::Duration::days(56))
                .format("%d/%m/%Y")
                .to_string(),
            weeks: "4".into(),
            starts: "10:00".into(),
            ends: "12:00".into(),
            facilitators: "Sam".into(),
            capacity: "10".into(),
        },
    )
    .await
    .unwrap()
}

both_engines!(
    a_completed_course_is_recorded_as_progress_on_the_plan_by_the_team_only,
    |store| async move {
        let h = hearth(store).await;
        let hub = actor(&h, "hub@demo.hearth.test").await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let dob = years_ago(28);
        let opened = Family::new("Begum")
            .parent("Nasima", &dob)
            .address("5 Bestwood Road", "NG5 5AB")
            .need("family_relationships")
            .early_help(&h, &lead, "Known to school")
            .await;
        h.save_plan(
            &lead,
            opened.episode,
            &PlanForm {
                outcomes: vec![OutcomeForm {
                    id: String::new(),
                    text: "Nasima feels confident with the children's behaviour".into(),
                    needs: vec!["family_relationships".into()],
                }],
                ..PlanForm::default()
            },
        )
        .await
        .unwrap();
        let outcome = h
            .plan(&lead, opened.episode)
            .await
            .unwrap()
            .plan
            .unwrap()
            .fields
            .outcomes[0]
            .id
            .clone();
        let hubs = bestwood(&h).await;
        let family = h
            .register_hub_family(
                &hub,
                &family_form(&hubs, &[("Nasima", "Begum", &dob, "born")], true),
            )
            .await
            .unwrap();
        let member = h.hub_family(&hub, family).await.unwrap().family.members[0].id;
        // Three of four sessions of one course (75%: completed), one of the other (not).
        let done = past_course(&h, &hub, "Incredible Years (winter)").await;
        let partly = past_course(&h, &hub, "Baby massage").await;
        for (p, n) in [(done, 3), (partly, 1)] {
            h.book_on_programme(&hub, family, &member.to_string(), &p.to_string())
                .await
                .unwrap();
            let sessions = h.hub_programme(&hub, p).await.unwrap().sessions;
            for (i, s) in sessions.iter().take(n).enumerate() {
                h.mark_register(&hub, s.id, &[mark(&format!("{p}-{i}"), member, true)])
                    .await
                    .unwrap();
            }
        }
        let view = h.episode_courses(&lead, opened.episode).await.unwrap();
        assert_eq!(view.courses.len(), 2);
        let completed: Vec<_> = view.courses.iter().filter(|(_, d)| *d).collect();
        assert_eq!(completed.len(), 1);
        assert_eq!(completed[0].0.programme, done);
        assert_eq!((completed[0].0.attended, completed[0].0.held), (3, 4));
        assert!(view.may_record);

        let form = |p: Uuid, o: &str| CompletionForm {
            course: format!("{p}:{member}"),
            outcome: o.into(),
            note: "Nasima says bedtimes are calmer".into(),
        };
        // Not completed, or no such outcome: refused at the field.
        match h
            .record_course_completion(&lead, opened.episode, &form(partly, &outcome))
            .await
        {
            Err(AppError::Invalid(e)) => assert!(e.get("course").unwrap().contains("1 of 4")),
            other => panic!("{other:?}"),
        }
        match h
            .record_course_completion(&lead, opened.episode, &form(done, "nope"))
            .await
        {
            Err(AppError::Invalid(e)) => assert!(e.get("outcome").is_some()),
            other => panic!("{other:?}"),
        }
        // Recorded once, in the chronology with the plan, audited; a second time is refused.
        h.record_course_completion(&lead, opened.episode, &form(done, &outcome))
            .await
            .unwrap();
        assert!(matches!(
            h.record_course_completion(&lead, opened.episode, &form(done, &outcome))
                .await,
            Err(AppError::Invalid(_))
        ));
        let view = h.episode_courses(&lead, opened.episode).await.unwrap();
        assert_eq!(view.recorded.len(), 1);
        assert_eq!(view.recorded[0].outcome, outcome);
        let chronology = h
            .chronology(&lead, opened.people[0], &[], None, 0, None)
            .await
            .unwrap();
        assert!(chronology.entries.iter().any(|e| e.summary.contains(
            "completed the Family Hub course Incredible Years (winter) (3 of 4 sessions)"
        )));
        let audited = actions(&h, &opened.episode.to_string()).await;
        assert!(audited.contains(&AuditAction::HubCompletionRecorded));

        // Nobody outside the family's team: the hub worker, a worker with no part in it.
        for who in ["hub@demo.hearth.test", "vcs-worker@demo.hearth.test"] {
            let a = actor(&h, who).await;
            assert!(matches!(
                h.episode_courses(&a, opened.episode).await,
                Err(AppError::Forbidden(_))
            ));
            assert!(matches!(
                h.record_course_completion(&a, opened.episode, &form(done, &outcome))
                    .await,
                Err(AppError::Forbidden(_))
            ));
        }
        let audited = actions(&h, &opened.episode.to_string()).await;
        assert!(
            audited
                .iter()
                .filter(|a| **a == AuditAction::AccessDenied)
                .count()
                >= 4
        );

        // The family withdraws their agreement: their courses are no longer shared.
        h.set_hub_attendance_consent(&hub, family, false)
            .await
            .unwrap();
        assert!(h
            .episode_courses(&lead, opened.episode)
            .await
            .unwrap()
            .courses
            .is_empty());
    }
);

both_engines!(
    wards_populations_are_imported_whole_and_give_the_share_of_under_fives_reached,
    |store| async move {
        let h = hearth(store).await;
        let hub = actor(&h, "hub@demo.hearth.test").await;
        let analyst = actor(&h, "analyst@demo.hearth.test").await;
        let today = h.now().date_naive();
        let (from, to) = (today - chrono::Duration::days(30), today);

        // A bad file: every bad row by its line, and nothing imported.
        let bad = "ward,hub,under_fives\nBestwood,Bestwood Family Hub,400\nBulwell,Nowhere,3\nAspley,Broxtowe,lots\n";
        match h.import_ward_populations(&analyst, bad).await.unwrap() {
            PopulationImport::Refused(p) => {
                assert_eq!(p.iter().map(|p| p.line).collect::<Vec<_>>(), vec![3, 4]);
            }
            other => panic!("{other:?}"),
        }
        assert!(h
            .under_fives_reached(&analyst, from, to, false)
            .await
            .unwrap()
            .by_ward
            .is_empty());

        // Two children under five and a parent from Bestwood (NG5) come to a session.
        let hubs = bestwood(&h).await;
        let family = h
            .register_hub_family(
                &hub,
                &family_form(
                    &hubs,
                    &[
                        ("Lena", "Novak", &years_ago(30), "born"),
                        ("Ema", "Novak", &years_ago(1), "born"),
                        ("Ivo", "Novak", &years_ago(3), "born"),
                    ],
                    false,
                ),
            )
            .await
            .unwrap();
        // A child whose postcode was typed too short to have a district: in no ward.
        let mut short = family_form(&hubs, &[("Tom", "Short", &years_ago(2), "born")], false);
        short.postcode = "N1".into();
        let short = h.register_hub_family(&hub, &short).await.unwrap();
        let mut members = h.hub_family(&hub, family).await.unwrap().family.members;
        members.extend(h.hub_family(&hub, short).await.unwrap().family.members);
        let programme = course(&h, &hub, 12).await;
        let session = h.hub_programme(&hub, programme).await.unwrap().sessions[0].id;
        let marks: Vec<MarkInput> = members
            .iter()
            .enumerate()
            .map(|(i, m)| mark(&format!("w{i}"), m.id, true))
            .collect();
        h.mark_register(&hub, session, &marks).await.unwrap();

        let good = "ward,hub,under_fives\nBestwood,Bestwood Family Hub,400\nBulwell,Bestwood,100\nMeadows,Meadows Family Hub,250\n";
        assert_eq!(
            h.import_ward_populations(&analyst, good).await.unwrap(),
            PopulationImport::Imported(3)
        );
        let shares = h
            .under_fives_reached(&analyst, from, to, false)
            .await
            .unwrap();
        let bestwood_ward = shares
            .by_ward
            .iter()
            .find(|w| w.label == "Bestwood")
            .unwrap();
        assert_eq!((bestwood_ward.reached, bestwood_ward.population), (2, 400));
        assert_eq!(bestwood_ward.share, Some(5));
        let bestwood_hub = shares
            .by_hub
            .iter()
            .find(|w| w.label == "Bestwood Family Hub")
            .unwrap();
        assert_eq!((bestwood_hub.reached, bestwood_hub.population), (2, 500));
        assert_eq!(bestwood_hub.share, Some(4));
        let meadows = shares
            .by_ward
            .iter()
            .find(|w| w.label == "Meadows")
            .unwrap();
        assert_eq!((meadows.reached, meadows.share), (0, Some(0)));
        // Imported again: the ward's figure is replaced, not added.
        h.import_ward_populations(&analyst, "ward,hub,under_fives\nBestwood,Bestwood,200\n")
            .await
            .unwrap();
        let shares = h
            .under_fives_reached(&analyst, from, to, false)
            .await
            .unwrap();
        assert_eq!(shares.by_ward.len(), 3);
        assert_eq!(
            shares
                .by_ward
                .iter()
                .find(|w| w.label == "Bestwood")
                .unwrap()
                .share,
            Some(10)
        );

        // Neither a hub worker nor a lead may import or read it: refused, audited.
        for who in ["hub@demo.hearth.test", "lead@demo.hearth.test"] {
            let a = actor(&h, who).await;
            assert!(matches!(
                h.import_ward_populations(&a, good).await,
                Err(AppError::Forbidden(_))
            ));
            assert!(matches!(
                h.under_fives_reached(&a, from, to, false).await,
                Err(AppError::Forbidden(_))
            ));
        }
        let admin = actor(&h, "admin@demo.hearth.test").await;
        let imports = h
            .search_audit(
                &admin,
                &AuditQuery {
                    action: Some("ward_populations_imported".into()),
                    ..AuditQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(imports.len(), 2);
        let refused = h
            .search_audit(
                &admin,
                &AuditQuery {
                    who: Some("hub@demo.hearth.test".into()),
                    action: Some("access_denied".into()),
                    ..AuditQuery::default()
                },
            )
            .await
            .unwrap();
        assert!(refused.len() >= 2);
    }
);

both_engines!(
    the_city_demo_hubs_reproduce_the_seeds_fourteen_months,
    |store| async move {
        let h = hearth(store).await;
        let report = h.seed_hub_activity(1.0, 20_261_122).await.unwrap();
        assert_eq!(
            (report.sessions, report.attendances, report.people),
            (3_778, 18_712, 3_242)
        );
        let manager = actor(&h, "manager@demo.hearth.test").await;
        let (first, last) = hearth_synthetic::hubs::period();
        let reach = h.hub_reach(&manager, first, last, false).await.unwrap().0;
        assert_eq!(
            (
                reach.total.sessions,
                reach.total.attendances,
                reach.total.people
            ),
            (3_778, 18_712, 3_242)
        );
        // 61% of registered people are adults; all four hubs ran sessions.
        let adults = reach
            .by_age_band
            .iter()
            .find(|b| b.label == "adult")
            .unwrap()
            .people;
        assert_eq!(adults, 1_978);
        assert_eq!((adults * 100 + 3_242 / 2) / 3_242, 61);
        let hubs: Vec<&str> = reach.by_hub.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(hubs.len(), 4, "{hubs:?}");
        for hub in ["Bestwood", "Broxtowe", "Meadows", "Hyson Green"] {
            assert!(hubs.iter().any(|h| h.starts_with(hub)), "{hub} in {hubs:?}");
        }
        // Nothing outside the period, and generating again is refused.
        let after = h
            .hub_reach(
                &manager,
                last + chrono::Duration::days(1),
                h.now().date_naive(),
                false,
            )
            .await
            .unwrap()
            .0;
        assert_eq!(after.total.attendances, 0);
        assert!(h.seed_hub_activity(1.0, 20_261_122).await.is_err());
    }
);

both_engines!(
    a_small_demos_hub_activity_is_in_proportion_and_every_session_had_someone,
    |store| async move {
        // The load test's demo (scale 0.005, the default seed): a few families and more
        // sessions per hub than they came to on their own.
        let h = hearth(store).await;
        let report = h.seed_hub_activity(0.005, 20_261_122).await.unwrap();
        assert_eq!((report.sessions, report.people), (19, 16));
        assert!(report.attendances >= report.sessions, "{report:?}");
        let manager = actor(&h, "manager@demo.hearth.test").await;
        let (first, last) = hearth_synthetic::hubs::period();
        let reach = h.hub_reach(&manager, first, last, false).await.unwrap().0;
        assert_eq!(
            (
                reach.total.sessions,
                reach.total.attendances,
                reach.total.people
            ),
            (
                report.sessions as u64,
                report.attendances as u64,
                report.people as u64
            )
        );
    }
);
