//! Retention, erasure and restriction through the app's public interface, on both engines: a
//! run lists what is due, the data protection officer approves it, it is stopped half-way and
//! resumed with nothing lost or half-done, a legal hold stops it, the KPIs are the same after,
//! the removal log names nobody; erasure and restriction decisions with their exemptions; and
//! everyone else refused, on the record.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Datelike, Months};
use hearth_app::episodes::{ClosureForm, SignOff};
use hearth_app::information_rights::{DecisionForm, HoldForm, RightsForm};
use hearth_app::insight::{ReportFilter, Scope};
use hearth_app::records::AuditQuery;
use hearth_app::{Actor, AppError, Hearth, Store};
use hearth_domain::ids::{EpisodeId, PersonId};
use hearth_domain::insight::{Figure, Quarter};
use hearth_domain::retention::{RecordType, RightsRequestStatus, RunStatus};
use hearth_store::family::people;
use hearth_store::retention::ItemStatus;
use hearth_testkit::app::{actor, hearth_with_clock, years_ago};
use hearth_testkit::both_engines;
use hearth_testkit::episodes::Family;

const DPO: &str = "dpo@demo.hearth.test";

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

/// An Early Family Help episode led by the school, closed and signed off; its people.
async fn closed_family(h: &Hearth, name: &str) -> (EpisodeId, Vec<PersonId>) {
    let lead = actor(h, "lead@demo.hearth.test").await;
    let opened = Family::new(name)
        .child("Ava", &years_ago(8))
        .address("12 Retention Road", "NG5 1AA")
        .parent("Jo", &years_ago(35))
        .need("education")
        .early_help(h, &lead, "Needs help with school attendance")
        .await;
    let v = h
        .episode(&lead, opened.episode)
        .await
        .unwrap()
        .episode
        .version;
    let form = ClosureForm::from_pairs(&[
        ("reason".into(), "outcomes_met".into()),
        (
            "summary".into(),
            format!("The {name} family are doing well"),
        ),
        ("result_education".into(), "achieved".into()),
        ("version".into(), v.to_string()),
    ]);
    h.record_closure(&lead, opened.episode, &form)
        .await
        .unwrap();
    let approver = actor(h, "manager@demo.hearth.test").await;
    h.decide_closure(&approver, opened.episode, &SignOff::Approve, v + 1)
        .await
        .unwrap();
    (opened.episode, opened.people)
}

async fn person(store: &Store, id: PersonId) -> people::Person {
    let mut conn = store.read().await.unwrap();
    people::get(&mut conn, id).await.unwrap()
}

async fn kpis(h: &Hearth, quarter: Quarter) -> Vec<(String, Vec<Option<Figure>>)> {
    let dpo = actor(h, DPO).await;
    h.dashboard(
        &dpo,
        Scope::Partnership,
        ReportFilter::default(),
        quarter,
        4,
    )
    .await
    .unwrap()
    .lines
    .into_iter()
    .map(|l| (l.kpi.code.clone(), l.counts))
    .collect()
}

both_engines!(
    a_run_is_reviewed_approved_stopped_half_way_resumed_and_held,
    |store| async move {
        let (h, clock) = hearth_with_clock(store.clone()).await;
        let dpo = actor(&h, DPO).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let (_, kept) = closed_family(&h, "Ashdown").await;
        let (_, also) = closed_family(&h, "Brierley").await;
        let (held_episode, held) = closed_family(&h, "Cotgrave").await;
        let quarter = Quarter::containing(clock.lock().unwrap().date_naive());
        let before = kpis(&h, quarter).await;

        // Nothing of theirs is due yet: the child is 8.
        let id = h.list_retention(Some(&dpo)).await.unwrap();
        let review = h.retention_run(&dpo, id).await.unwrap();
        assert!(review
            .items
            .iter()
            .all(|i| !kept.iter().any(|p| p.to_string() == i.record_id)));

        // Eighteen years on, the youngest child is 26: the family records are due.
        {
            let mut now = clock.lock().unwrap();
            *now = now.checked_add_months(Months::new(18 * 12)).unwrap();
        }
        let dpo = actor(&h, DPO).await;
        let lead = {
            drop(lead);
            actor(&h, "lead@demo.hearth.test").await
        };

        // Nobody but the officer may list, review or approve; each refusal is recorded.
        let refused = audited(&h, &dpo, "access_denied").await;
        assert!(matches!(
            h.list_retention(Some(&lead)).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.retention_run(&lead, id).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.approve_retention(&lead, id).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(audited(&h, &dpo, "access_denied").await, refused + 3);

        let run = h.list_retention(Some(&dpo)).await.unwrap();
        let review = h.retention_run(&dpo, run).await.unwrap();
        assert_eq!(review.run.status, RunStatus::Review);
        let ours: Vec<PersonId> = kept.iter().chain(&also).chain(&held).copied().collect();
        for p in &ours {
            let item = review
                .items
                .iter()
                .find(|i| i.record_id == p.to_string())
                .unwrap_or_else(|| panic!("{p} is listed"));
            assert_eq!(item.record_type, RecordType::EarlyHelpFamilyRecord);
            assert_eq!(item.status, ItemStatus::Pending);
        }
        assert!(review.items.iter().any(|i| i.label == "Ava Ashdown"));
        let total = review.items.len();

        // Not approved: the job leaves it alone.
        let none = h.carry_out_retention(run, None).await.unwrap();
        assert_eq!((none.done, none.finished), (0, false));
        assert_eq!(person(&store, kept[0]).await.given_names, "Ava");

        // A legal hold placed after the listing still stops it.
        let hold = h
            .place_legal_hold(
                &dpo,
                &HoldForm {
                    episode: held_episode.to_string(),
                    reason: "Care proceedings: the court asked for the record".into(),
                    ..HoldForm::default()
                },
            )
            .await
            .unwrap();
        assert!(matches!(
            h.place_legal_hold(&lead, &HoldForm::default()).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.place_legal_hold(
                &dpo,
                &HoldForm {
                    person: "nobody".into(),
                    ..HoldForm::default()
                }
            )
            .await,
            Err(AppError::Invalid(_))
        ));

        h.approve_retention(&dpo, run).await.unwrap();
        assert!(matches!(
            h.approve_retention(&dpo, run).await,
            Err(AppError::Conflict)
        ));

        // Stopped after two records: exactly two are finished, each whole; nothing else moved.
        let first = h.carry_out_retention(run, Some(2)).await.unwrap();
        assert_eq!(first.done + first.held + first.kept, 2);
        assert!(!first.finished);
        let review = h.retention_run(&dpo, run).await.unwrap();
        assert_eq!(review.run.status, RunStatus::Approved);
        let finished: Vec<_> = review
            .items
            .iter()
            .filter(|i| i.status != ItemStatus::Pending)
            .collect();
        assert_eq!(finished.len(), 2);
        assert_eq!(review.items.len(), total);
        for i in &review.items {
            let Ok(p) = i.record_id.parse::<PersonId>() else {
                continue;
            };
            let p = person(&store, p).await;
            let anonymised = p.given_names == "Removed" && p.family_name == "Removed";
            assert_eq!(
                anonymised,
                i.status == ItemStatus::Done,
                "{} is {:?}",
                i.record_id,
                i.status
            );
        }

        // Resumed: it finishes, the held family is kept, everyone else anonymised.
        let rest = h.carry_out_retention(run, None).await.unwrap();
        assert!(rest.finished);
        assert_eq!(
            first.done + first.held + first.kept + rest.done + rest.held + rest.kept,
            total
        );
        for p in kept.iter().chain(&also) {
            let p = person(&store, *p).await;
            assert_eq!(
                (p.given_names.as_str(), p.family_name.as_str()),
                ("Removed", "Removed")
            );
            assert_eq!(p.phone, None);
        }
        for p in &held {
            assert_eq!(person(&store, *p).await.family_name, "Cotgrave");
        }
        let review = h.retention_run(&dpo, run).await.unwrap();
        assert_eq!(review.run.status, RunStatus::Done);
        assert!(review.items.is_empty(), "only the removal log stays");
        let line = review
            .removals
            .iter()
            .find(|r| r.record_type == RecordType::EarlyHelpFamilyRecord)
            .unwrap();
        assert!(line.removed >= 4 && line.held >= 2, "{line:?}");
        let log = format!("{:?}", review.removals);
        for name in ["Ashdown", "Brierley", "Cotgrave", "Ava", "Jo "] {
            assert!(!log.contains(name), "the removal log names nobody");
        }
        assert_eq!(
            audited(&h, &dpo, "retention_carried_out").await,
            total,
            "each record carried out is audited"
        );
        assert_eq!(audited(&h, &dpo, "retention_approved").await, 1);

        // What the figures count is kept.
        assert_eq!(kpis(&h, quarter).await, before);

        // Lifting the hold lets the next run take the held family.
        h.lift_legal_hold(&dpo, hold).await.unwrap();
        assert!(matches!(
            h.lift_legal_hold(&dpo, hold).await,
            Err(AppError::Conflict)
        ));
        let next = h.list_retention(Some(&dpo)).await.unwrap();
        h.approve_retention(&dpo, next).await.unwrap();
        h.carry_out_retention(next, None).await.unwrap();
        assert_eq!(person(&store, held[0]).await.family_name, "Removed");
        assert_eq!(kpis(&h, quarter).await, before);
    }
);

fn rights(person: PersonId, kind: &str) -> RightsForm {
    let t = chrono::Utc::now().date_naive();
    RightsForm {
        person: person.to_string(),
        kind: kind.into(),
        requested_by: "Jo, for herself".into(),
        grounds: "I no longer want the council to hold my details".into(),
        received_day: t.day().to_string(),
        received_month: t.month().to_string(),
        received_year: t.year().to_string(),
        ..RightsForm::default()
    }
}

fn decision(outcome: &str, exemptions: &[&str], version: i64) -> DecisionForm {
    DecisionForm {
        version: version.to_string(),
        outcome: outcome.into(),
        exemptions: exemptions.iter().map(|e| e.to_string()).collect(),
        reasons: "Considered against the record and the partnership's duties".into(),
    }
}

both_engines!(
    erasure_and_restriction_are_decided_with_reasons_and_exemptions,
    |store| async move {
        let (h, _clock) = hearth_with_clock(store.clone()).await;
        let dpo = actor(&h, DPO).await;
        let lead = actor(&h, "lead@demo.hearth.test").await;
        let (episode, family) = closed_family(&h, "Dunkirk").await;
        let (child, parent) = (family[0], family[1]);

        // Someone else may not log one: refused and recorded.
        let refused = audited(&h, &dpo, "access_denied").await;
        assert!(matches!(
            h.log_rights_request(&lead, &rights(parent, "erasure"))
                .await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            h.rights_requests(&lead).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(audited(&h, &dpo, "access_denied").await, refused + 2);

        // Erasure of a safeguarding record: refused under the exemption, with reasons.
        let id = h
            .log_rights_request(&dpo, &rights(child, "erasure"))
            .await
            .unwrap();
        let (r, _) = h.rights_request(&dpo, id).await.unwrap();
        assert!(matches!(
            h.decide_rights_request(&dpo, id, &decision("refuse", &[], r.version))
                .await,
            Err(AppError::Invalid(e)) if e.get("exemptions").is_some()
        ));
        assert_eq!(
            h.decide_rights_request(&dpo, id, &decision("refuse", &["safeguarding"], r.version))
                .await
                .unwrap(),
            RightsRequestStatus::Refused
        );
        assert!(matches!(
            h.decide_rights_request(&dpo, id, &decision("uphold", &[], r.version + 1))
                .await,
            Err(AppError::Conflict)
        ));
        assert_eq!(person(&store, child).await.given_names, "Ava");

        // Restriction upheld: the record is restricted, and the gate asks for a reason.
        let id = h
            .log_rights_request(&dpo, &rights(parent, "restriction"))
            .await
            .unwrap();
        let (r, _) = h.rights_request(&dpo, id).await.unwrap();
        h.decide_rights_request(&dpo, id, &decision("uphold", &[], r.version))
            .await
            .unwrap();
        let p = person(&store, parent).await;
        assert!(p.restricted);
        assert!(p
            .restriction_reason
            .as_deref()
            .is_some_and(|r| r.contains("Article 18")));

        // Erasure upheld, but not under a legal hold; then through the retention path.
        let hold = h
            .place_legal_hold(
                &dpo,
                &HoldForm {
                    person: parent.to_string(),
                    reason: "Complaint to the ombudsman open".into(),
                    ..HoldForm::default()
                },
            )
            .await
            .unwrap();
        let id = h
            .log_rights_request(&dpo, &rights(parent, "erasure"))
            .await
            .unwrap();
        let (r, held) = h.rights_request(&dpo, id).await.unwrap();
        assert!(held);
        assert!(matches!(
            h.decide_rights_request(&dpo, id, &decision("uphold", &[], r.version))
                .await,
            Err(AppError::Invalid(e)) if e.get("outcome").is_some()
        ));
        h.lift_legal_hold(&dpo, hold).await.unwrap();
        h.decide_rights_request(&dpo, id, &decision("uphold", &[], r.version))
            .await
            .unwrap();
        let p = person(&store, parent).await;
        assert_eq!(
            (p.given_names.as_str(), p.family_name.as_str()),
            ("Removed", "Removed")
        );
        // The child is still kept, so the episode's shared free text stays with them.
        assert_eq!(person(&store, child).await.family_name, "Dunkirk");
        let _ = episode;

        let overview = h.retention_overview(&dpo).await.unwrap();
        assert!(overview
            .removals
            .iter()
            .any(|r| r.run_id.is_none() && r.removed == 1));
        assert_eq!(audited(&h, &dpo, "rights_request_logged").await, 3);
        assert_eq!(audited(&h, &dpo, "rights_request_decided").await, 3);
        let list = h.rights_requests(&dpo).await.unwrap();
        assert_eq!(list.len(), 3);
    }
);
