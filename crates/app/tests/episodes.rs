//! Episodes of Family Help through the app's public interface, on both engines: opening from
//! a decision, the TAF granting and removing access, notes that are never overwritten, step-up
//! and step-down, closure with sign-off, disagreements and the chronology.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{NaiveTime, SecondsFormat, Utc};
use hearth_app::demo::families::DEMO_FAMILIES;
use hearth_app::episodes::case_notes::{NoteEdit, NoteForm};
use hearth_app::episodes::{
    AllocationForm, ClosureForm, EscalationForm, EscalationUpdate, MemberForm, StepForm,
};
use hearth_app::family::PersonView;
use hearth_app::{Actor, AppError, Hearth, Policies};
use hearth_domain::episode::{EpisodeLevel, EpisodeStatus};
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_testkit::app::{actor, hearth, years_ago, PASSWORD};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;
use std::sync::Arc;

fn today() -> String {
    Utc::now().date_naive().format("%d/%m/%Y").to_string()
}

/// A school's lead professional adds a child, asks for help, and the front door opens Early
/// Family Help with them as lead. Returns the episode and the child.
async fn early_help_episode(h: &Hearth, lead: &Actor) -> (EpisodeId, PersonId) {
    let opened = Family::new("Okafor")
        .child("Mia", &years_ago(8))
        .address("2 Example Road", "NG5 1AA")
        .need("family_relationships")
        .need("education")
        .told("Dad knows")
        .early_help(h, lead, "Emerging needs; school knows the family best")
        .await;
    (opened.episode, opened.people[0])
}

// Seeded late in the evening, the demo dates nothing after now: a decision dated tomorrow
// opened an episode whose lead could not yet open it (the e2e journeys after 20:00 UTC).
both_engines!(
    the_demo_seeded_late_in_the_evening_dates_nothing_after_now,
    |store| async move {
        let late = Utc::now()
            .date_naive()
            .and_time(NaiveTime::from_hms_opt(23, 30, 0).unwrap())
            .and_utc();
        let h = Hearth::with_clock(store.clone(), Policies::default(), Arc::new(move || late));
        h.seed_demo(PASSWORD).await.unwrap();
        h.seed_demo_families(DEMO_FAMILIES).await.unwrap();
        let mut conn = store.read().await.unwrap();
        let now = late.to_rfc3339_opts(SecondsFormat::Micros, true);
        for (what, sql) in [
            (
                "episodes created",
                "SELECT COUNT(*) FROM episodes WHERE created_at > $1",
            ),
            (
                "episodes started",
                "SELECT COUNT(*) FROM episodes WHERE started_on > substr($1, 1, 10)",
            ),
            (
                "decisions",
                "SELECT COUNT(*) FROM decisions WHERE decided_at > $1",
            ),
            (
                "requests",
                "SELECT COUNT(*) FROM requests WHERE submitted_at > $1",
            ),
        ] {
            let after_now: i64 = sqlx::query_scalar(sql)
                .bind(&now)
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            assert_eq!(after_now, 0, "{what} dated after now");
        }
        let led: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM episodes e JOIN users u ON u.id = e.lead_user_id
             WHERE u.email = 'lead@demo.hearth.test' AND e.status = 'open'",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        drop(conn);
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let caseload = h.my_work(&lead).await.unwrap().caseload;
        assert!(led > 0, "the demo lead leads families");
        assert_eq!(
            caseload.len() as i64,
            led,
            "every family the lead leads is on their caseload"
        );
        for row in &caseload {
            h.episode(&lead, row.episode.id).await.unwrap();
        }
    }
);

fn note(body: &str) -> NoteForm {
    NoteForm {
        kind: "visit".into(),
        occurred_on: today(),
        participants: "Mia and her dad".into(),
        child_seen: "yes".into(),
        body: body.into(),
        ..NoteForm::default()
    }
}

both_engines!(
    the_taf_grants_access_and_leaving_removes_it,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let (episode, _) = early_help_episode(&h, &lead).await;
        let view = h.episode(&lead, episode).await.unwrap();
        assert_eq!(view.episode.level, EpisodeLevel::Early);
        assert_eq!(view.episode.lead_user_id, Some(lead.user_id));
        assert!(view.may.manage && view.may.contribute);
        assert!(
            view.members.iter().any(|m| m.person_name.is_some()),
            "the family are members of their own TAF"
        );

        let health = actor(&h, "practitioner@demo.hearth.test").await;
        assert!(matches!(
            h.episode(&health, episode).await,
            Err(AppError::Forbidden(_))
        ));
        h.add_taf_member(
            &lead,
            episode,
            &MemberForm {
                user_id: health.user_id.to_string(),
                role: "Health visitor".into(),
                ..MemberForm::default()
            },
        )
        .await
        .unwrap();
        let seen = h.episode(&health, episode).await.unwrap();
        assert!(seen.may.contribute && !seen.may.manage);
        h.add_note(&health, episode, &note("Weighed the baby; Mia was chatty"))
            .await
            .unwrap();
        let again = h
            .add_taf_member(
                &lead,
                episode,
                &MemberForm {
                    user_id: health.user_id.to_string(),
                    role: "Health visitor".into(),
                    ..MemberForm::default()
                },
            )
            .await;
        assert!(matches!(again, Err(AppError::Invalid(e)) if e.get("user_id").is_some()));

        let member = seen
            .members
            .iter()
            .find(|m| m.user_id == Some(health.user_id))
            .unwrap()
            .id
            .clone();
        h.leave_taf(&lead, episode, &member, "Health visiting finished")
            .await
            .unwrap();
        assert!(matches!(
            h.episode(&health, episode).await,
            Err(AppError::Forbidden(_))
        ));
        let history = h.episode(&lead, episode).await.unwrap().members;
        let left = history
            .iter()
            .find(|m| m.user_id == Some(health.user_id))
            .unwrap();
        assert!(left.left_on.is_some(), "leaving is kept in the history");
    }
);

both_engines!(a_note_is_never_silently_overwritten, |store| async move {
    let h = hearth(store).await;
    let lead = actor(&h, "lead@demo.hearth.test").await;
    let (episode, _) = early_help_episode(&h, &lead).await;

    let empty = h.add_note(&lead, episode, &note("  ")).await.unwrap_err();
    assert!(matches!(empty, AppError::Invalid(e) if e.get("body").is_some()));
    let mut early = note("Before it began");
    early.occurred_on = "01/01/2000".into();
    let refused = h.add_note(&lead, episode, &early).await.unwrap_err();
    assert!(
        matches!(refused, AppError::Invalid(e) if e.get("occurred_on").unwrap().contains("on or after"))
    );

    let id = h
        .add_note(&lead, episode, &note("First visit, all well"))
        .await
        .unwrap();
    let (saved, _, may_edit) = h.note(&lead, id).await.unwrap();
    assert!(may_edit);
    let mut first = NoteForm::from_note(&saved);
    let mut second = NoteForm::from_note(&saved);
    first.body = "First visit, all well; Dad tired".into();
    second.body = "First visit; school uniform needed".into();
    assert!(matches!(
        h.edit_note(&lead, id, &first).await.unwrap(),
        NoteEdit::Saved
    ));
    match h.edit_note(&lead, id, &second).await.unwrap() {
        NoteEdit::Conflict(c) => {
            assert_eq!(c.saved.fields.body, "First visit, all well; Dad tired");
            assert_eq!(c.yours.body, "First visit; school uniform needed");
        }
        NoteEdit::Saved => panic!("an edit from an old version must be refused"),
    }
    let (now, revisions, _) = h.note(&lead, id).await.unwrap();
    assert_eq!(now.fields.body, "First visit, all well; Dad tired");
    assert_eq!(revisions.len(), 1);
    assert_eq!(revisions[0].body, "First visit, all well");
});

both_engines!(
    owning_team_notes_stay_with_the_owning_team,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let (episode, child) = early_help_episode(&h, &lead).await;
        let health = actor(&h, "practitioner@demo.hearth.test").await;
        h.add_taf_member(
            &lead,
            episode,
            &MemberForm {
                user_id: health.user_id.to_string(),
                role: "School nurse".into(),
                ..MemberForm::default()
            },
        )
        .await
        .unwrap();
        let mut private = note("Dad disclosed his own history");
        private.visibility = "owning_team".into();
        h.add_note(&lead, episode, &private).await.unwrap();
        h.add_note(&lead, episode, &note("Shared with the team"))
            .await
            .unwrap();
        assert_eq!(h.episode(&lead, episode).await.unwrap().notes.len(), 2);
        let theirs = h.episode(&health, episode).await.unwrap().notes;
        assert_eq!(theirs.len(), 1);
        assert_eq!(theirs[0].fields.body, "Shared with the team");
        // Nor does it show in their chronology.
        let chron = h
            .chronology(&health, child, &[], None, 1, None)
            .await
            .unwrap();
        assert!(chron
            .entries
            .iter()
            .all(|e| !e.summary.contains("own history")));
        let mine = h
            .chronology(&lead, child, &[], None, 1, None)
            .await
            .unwrap();
        assert!(mine
            .entries
            .iter()
            .any(|e| e.summary.contains("own history")));
    }
);

both_engines!(
    stepping_up_and_down_keeps_the_record_and_closure_needs_sign_off,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let (episode, child) = early_help_episode(&h, &lead).await;
        h.add_note(&lead, episode, &note("Known to school since reception"))
            .await
            .unwrap();
        let v = h.episode(&lead, episode).await.unwrap().episode.version;

        let no_handover = h
            .step_episode(
                &lead,
                episode,
                &StepForm {
                    direction: "up".into(),
                    level: "targeted".into(),
                    service: "core".into(),
                    version: v,
                    ..StepForm::default()
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(no_handover, AppError::Invalid(e) if e.get("handover").is_some()));
        let wrong_way = h
            .step_episode(
                &lead,
                episode,
                &StepForm {
                    direction: "down".into(),
                    level: "targeted".into(),
                    service: "core".into(),
                    handover: "x".into(),
                    version: v,
                    ..StepForm::default()
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(wrong_way, AppError::Invalid(e) if e.get("level").is_some()));
        h.step_episode(
            &lead,
            episode,
            &StepForm {
                direction: "up".into(),
                level: "targeted".into(),
                service: "core".into(),
                handover: "Needs have grown; Dad asked for more help".into(),
                version: v,
                ..StepForm::default()
            },
        )
        .await
        .unwrap();

        // The receiving team is told: its manager has a task to allocate.
        let manager = actor(&h, "manager@demo.hearth.test").await;
        let work = h.my_work(&manager).await.unwrap();
        assert!(work
            .tasks
            .iter()
            .any(|t| t.task.kind == hearth_domain::task::TaskKind::Allocate
                && t.task.episode_id == Some(episode)));
        let worker = actor(&h, "worker@demo.hearth.test").await;
        let v = h.episode(&manager, episode).await.unwrap().episode.version;
        h.allocate(
            &manager,
            episode,
            &AllocationForm {
                lead_user_id: worker.user_id.to_string(),
                version: v,
                ..AllocationForm::default()
            },
        )
        .await
        .unwrap();
        // A stale allocation is refused rather than overwriting.
        let stale = h
            .allocate(
                &manager,
                episode,
                &AllocationForm {
                    lead_user_id: lead.user_id.to_string(),
                    version: v,
                    ..AllocationForm::default()
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(stale, AppError::Conflict));
        let view = h.episode(&worker, episode).await.unwrap();
        assert_eq!(view.episode.level, EpisodeLevel::Targeted);
        assert_eq!(view.episode.lead_user_id, Some(worker.user_id));
        assert_eq!(view.notes.len(), 1, "the record came with the family");
        assert!(
            view.members
                .iter()
                .any(|m| m.user_id == Some(lead.user_id) && m.left_on.is_none()),
            "the earlier lead stays in the TAF"
        );
        let work = h.my_work(&worker).await.unwrap();
        assert_eq!(work.caseload.len(), 1);
        let due: Vec<&str> = work.due.iter().map(|d| d.what.as_str()).collect();
        assert_eq!(
            due,
            vec!["Team Around the Family review", "Whole-family assessment"],
            "the review (six weeks) falls before the assessment (45 days)"
        );
        assert!(work.due.iter().all(|d| !d.due.is_overdue()));

        // Back down to Early Family Help with the school's lead professional.
        h.step_episode(
            &worker,
            episode,
            &StepForm {
                direction: "down".into(),
                level: "early".into(),
                lead_user_id: lead.user_id.to_string(),
                handover: "Things are calmer; school will lead again".into(),
                version: view.episode.version,
                ..StepForm::default()
            },
        )
        .await
        .unwrap();
        let view = h.episode(&lead, episode).await.unwrap();
        assert_eq!(view.episode.level, EpisodeLevel::Early);
        assert_eq!(view.episode.lead_user_id, Some(lead.user_id));
        assert_eq!(view.levels.len(), 3);

        // A disagreement goes through its stages.
        h.raise_escalation(
            &lead,
            episode,
            &EscalationForm {
                about: "Housing will not attend TAF meetings".into(),
            },
        )
        .await
        .unwrap();
        let x = h.episode(&lead, episode).await.unwrap().escalations[0].clone();
        h.update_escalation(
            &lead,
            episode,
            x.id,
            &EscalationUpdate {
                action: "next_stage".into(),
                version: x.version,
                ..EscalationUpdate::default()
            },
        )
        .await
        .unwrap();
        let x = h.episode(&lead, episode).await.unwrap().escalations[0].clone();
        assert_eq!(x.stage, 2);
        h.update_escalation(
            &lead,
            episode,
            x.id,
            &EscalationUpdate {
                action: "resolve".into(),
                resolution: "Housing manager agreed to attend".into(),
                version: x.version,
            },
        )
        .await
        .unwrap();

        // Closure: every need needs a result; then a manager signs it off.
        let v = h.episode(&lead, episode).await.unwrap().episode.version;
        let partial = ClosureForm::from_pairs(&[
            ("reason".into(), "outcomes_met".into()),
            ("summary".into(), "Family doing well".into()),
            ("result_family_relationships".into(), "achieved".into()),
            ("version".into(), v.to_string()),
        ]);
        let refused = h
            .record_closure(&lead, episode, &partial)
            .await
            .unwrap_err();
        assert!(matches!(refused, AppError::Invalid(e) if e.get("result_education").is_some()));
        let mut full = partial.clone();
        full.results.insert("education".into(), "partly".into());
        h.record_closure(&lead, episode, &full).await.unwrap();
        assert!(matches!(
            h.decide_closure(
                &lead,
                episode,
                &hearth_app::episodes::SignOff::Approve,
                v + 1
            )
            .await,
            Err(AppError::Forbidden(_))
        ));
        h.decide_closure(
            &manager,
            episode,
            &hearth_app::episodes::SignOff::Approve,
            v + 1,
        )
        .await
        .unwrap();
        let closed = h.episode(&manager, episode).await.unwrap();
        assert_eq!(
            closed.may,
            hearth_app::episodes::EpisodePermissions {
                restricted_notes: true,
                follow_up: true,
                ..Default::default()
            },
            "a closed episode is read-only, for its owning team too, but for following it up"
        );
        assert!(matches!(
            h.add_note(&lead, episode, &note("After closing")).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(
            matches!(
                h.person(&manager, child, None).await.unwrap(),
                PersonView::ContactOnly(_)
            ),
            "closing ends the access to the family's record the episode gave"
        );
        let view = h.episode(&lead, episode).await.unwrap();
        assert_eq!(view.episode.status, EpisodeStatus::Closed);
        assert!(view.episode.ended_on.is_some());
        let follow_up = h.my_work(&lead).await.unwrap().tasks;
        assert!(follow_up.iter().any(|t| t.task.kind
            == hearth_domain::task::TaskKind::SustainedFollowUp
            && t.task.due_on > Utc::now().date_naive() + chrono::Duration::days(170)));

        // Closing ended the lead's part in the family's wider record; the officer who decided
        // the request still reads it for a few days after the decision.
        assert!(matches!(
            h.chronology(&lead, child, &[], None, 1, None).await,
            Err(AppError::Forbidden(_))
        ));
        let officer = actor(&h, "frontdoor@demo.hearth.test").await;
        // The chronology tells the story in order, and filters by kind.
        let all = h
            .chronology(&officer, child, &[], None, 1, None)
            .await
            .unwrap();
        for kind in [
            "decision",
            "episode",
            "step_up",
            "step_down",
            "closure",
            "note",
        ] {
            assert!(
                all.entries.iter().any(|e| e.kind.code() == kind),
                "no {kind} entry"
            );
        }
        let steps = h
            .chronology(&officer, child, &["step_up".to_string()], None, 1, None)
            .await
            .unwrap();
        assert_eq!(steps.entries.len(), 1);
        assert!(steps.entries[0].summary.contains("Dad asked for more help"));
    }
);

/// A team manager added to the team `like` works in (same organisation and team).
async fn manager_beside(h: &Hearth, like: &Actor, email: &str) -> Actor {
    h.create_user(
        None,
        &hearth_app::accounts::admin::UserForm {
            email: email.into(),
            display_name: "Sam Supervisor".into(),
            organisation_id: like.organisation_id.to_string(),
            team_id: like.team_id.map(|t| t.to_string()).unwrap_or_default(),
            roles: vec!["team_manager".into()],
            password: hearth_testkit::app::PASSWORD.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    actor(h, email).await
}

/// The school's lead records the closure of their Early Family Help episode.
async fn partner_records_closure(h: &Hearth, lead: &Actor) -> (EpisodeId, i64) {
    let (episode, _) = early_help_episode(h, lead).await;
    let v = h.episode(lead, episode).await.unwrap().episode.version;
    let form = ClosureForm::from_pairs(&[
        ("reason".into(), "outcomes_met".into()),
        ("summary".into(), "Family doing well".into()),
        ("result_family_relationships".into(), "achieved".into()),
        ("result_education".into(), "partly".into()),
        ("version".into(), v.to_string()),
    ]);
    h.record_closure(lead, episode, &form).await.unwrap();
    (episode, v + 1)
}

fn waits_for_sign_off(work: &hearth_app::my_work::MyWork, episode: EpisodeId) -> bool {
    work.tasks.iter().any(|t| {
        t.task.kind == hearth_domain::task::TaskKind::SignOffClosure
            && t.task.episode_id == Some(episode)
    })
}

both_engines!(
    a_partner_led_closure_is_signed_by_the_leads_own_manager,
    |store| async move {
        let h = hearth(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let own_manager = manager_beside(&h, &lead, "head@demo.hearth.test").await;
        let (episode, version) = partner_records_closure(&h, &lead).await;

        let view = h.episode(&lead, episode).await.unwrap();
        assert_eq!(view.closure_signer.as_deref(), Some("Pastoral team"));
        assert!(waits_for_sign_off(
            &h.my_work(&own_manager).await.unwrap(),
            episode
        ));
        let council_manager = actor(&h, "manager@demo.hearth.test").await;
        assert!(!waits_for_sign_off(
            &h.my_work(&council_manager).await.unwrap(),
            episode
        ));
        assert!(matches!(
            h.decide_closure(
                &council_manager,
                episode,
                &hearth_app::episodes::SignOff::Approve,
                version
            )
            .await,
            Err(AppError::Forbidden(_))
        ));

        let signer = h.episode(&own_manager, episode).await.unwrap();
        assert!(signer.may.sign_off && !signer.may.manage);
        h.decide_closure(
            &own_manager,
            episode,
            &hearth_app::episodes::SignOff::Approve,
            version,
        )
        .await
        .unwrap();
        let view = h.episode(&lead, episode).await.unwrap();
        assert_eq!(view.episode.status, EpisodeStatus::Closed);
        assert!(!waits_for_sign_off(
            &h.my_work(&own_manager).await.unwrap(),
            episode
        ));
    }
);

both_engines!(
    a_partner_led_closure_without_a_manager_in_the_partners_team_goes_to_the_approver,
    |store| async move {
        let h = hearth(store.clone()).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let (episode, version) = partner_records_closure(&h, &lead).await;

        // The school's team has no manager: the partnership's approver (the core team) signs.
        let view = h.episode(&lead, episode).await.unwrap();
        assert_eq!(
            view.closure_signer.as_deref(),
            Some("Targeted Family Help core team")
        );
        let approver = actor(&h, "manager@demo.hearth.test").await;
        assert!(waits_for_sign_off(
            &h.my_work(&approver).await.unwrap(),
            episode
        ));

        // Another team's manager is still refused, and the refusal is audited.
        let health = actor(&h, "practitioner@demo.hearth.test").await;
        let other = manager_beside(&h, &health, "health-manager@demo.hearth.test").await;
        assert!(!waits_for_sign_off(
            &h.my_work(&other).await.unwrap(),
            episode
        ));
        let before = refusals(&store, &other).await;
        assert!(matches!(
            h.decide_closure(
                &other,
                episode,
                &hearth_app::episodes::SignOff::Approve,
                version
            )
            .await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(refusals(&store, &other).await, before + 1, "audited");

        h.decide_closure(
            &approver,
            episode,
            &hearth_app::episodes::SignOff::Approve,
            version,
        )
        .await
        .unwrap();
        assert_eq!(
            h.episode(&lead, episode).await.unwrap().episode.status,
            EpisodeStatus::Closed
        );
    }
);

/// How many refusals the audit log holds for this user.
async fn refusals(store: &hearth_store::Store, who: &Actor) -> usize {
    let mut conn = store.read().await.unwrap();
    hearth_store::audit::search(
        &mut conn,
        &hearth_app::records::AuditQuery {
            who: Some(who.email.clone()),
            action: Some("access_denied".into()),
            ..Default::default()
        },
        &[],
        10_000,
    )
    .await
    .unwrap()
    .len()
}

both_engines!(
    the_chronology_is_in_the_order_things_happened_and_names_each_actors_own_agency,
    |store| async move {
        let (h, clock) = hearth_testkit::app::hearth_with_clock(store).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let (episode, child) = early_help_episode(&h, &lead).await;
        let start = *clock.lock().unwrap();
        *clock.lock().unwrap() = start + chrono::Duration::days(10);
        let on = |days: i64| {
            (start + chrono::Duration::days(days))
                .date_naive()
                .format("%d/%m/%Y")
                .to_string()
        };
        let mut today = note("Visit today: things are calmer at home");
        today.occurred_on = on(10);
        h.add_note(&lead, episode, &today).await.unwrap();
        // Written after today's note, about a visit a week earlier.
        let long = format!(
            "Earlier visit, written up late. {}",
            "More detail. ".repeat(40)
        );
        let mut earlier = note(&long);
        earlier.occurred_on = on(3);
        h.add_note(&lead, episode, &earlier).await.unwrap();

        let page = h
            .chronology(&lead, child, &[], None, 1, None)
            .await
            .unwrap();
        let at = |start: &str| {
            page.entries
                .iter()
                .position(|e| e.summary.contains(start))
                .unwrap_or_else(|| panic!("no entry with {start}"))
        };
        assert!(
            at("Visit today") < at("Earlier visit") && at("Earlier visit") < at("began"),
            "newest first by the day it happened, not the day it was typed"
        );
        let late = &page.entries[at("Earlier visit")];
        assert_eq!(
            late.occurred_on,
            (start + chrono::Duration::days(3)).date_naive()
        );
        assert_eq!(
            late.at.date_naive(),
            (start + chrono::Duration::days(10)).date_naive()
        );
        assert_eq!(
            late.note.as_ref().map(|(_, body)| body.as_str()),
            Some(long.trim()),
            "the whole text"
        );

        // The front door officer opened the episode: the council is named beside them, not
        // the school whose lead took it on.
        let began = &page.entries[at("began")];
        assert_eq!(began.actor_name.as_deref(), Some("Frankie Frontdoor"));
        assert_eq!(
            began.organisation_name.as_deref(),
            Some("Nottingham City Council (demo)")
        );
    }
);
