//! Retention, erasure and restriction through the app's public interface, on both engines: a
//! run lists what is due, the data protection officer approves it, it is stopped half-way and
//! resumed with nothing lost or half-done, a legal hold stops it, the KPIs are the same after,
//! the removal log names nobody; erasure and restriction decisions with their exemptions; and
//! everyone else refused, on the record.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::Utc;
use chrono::{Datelike, Months};
use hearth_app::episodes::assessment::{AssessmentForm, EntryForm};
use hearth_app::episodes::plan::{ActionForm, ActionUpdateForm, OutcomeForm, PlanForm};
use hearth_app::episodes::review::ReviewForm;
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
    closed_family_with(h, name, false).await
}

/// The same, and when `written` the lead also writes the family's name into an assessment,
/// a plan and a review first, as practitioners do.
async fn closed_family_with(h: &Hearth, name: &str, written: bool) -> (EpisodeId, Vec<PersonId>) {
    let lead = actor(h, "lead@demo.hearth.test").await;
    let opened = Family::new(name)
        .child("Ava", &years_ago(8))
        .address("12 Retention Road", "NG5 1AA")
        .parent("Jo", &years_ago(35))
        .need("education")
        .early_help(h, &lead, "Needs help with school attendance")
        .await;
    if written {
        write_about(h, &lead, opened.episode, opened.people[0], name).await;
    }
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

/// An assessment, a plan and a review that name the family in every free-text field.
async fn write_about(h: &Hearth, lead: &Actor, episode: EpisodeId, child: PersonId, name: &str) {
    let mut assessment = AssessmentForm {
        child_voice: format!("Ava {name} says school is hard"),
        parent_voice: format!("Jo {name} wants mornings calmer"),
        going_well: format!("The {name} family talk to each other"),
        worries: format!("{name} mornings"),
        next_step: format!("Plan with the {name} family"),
        ..AssessmentForm::default()
    };
    assessment.entries.insert(
        (child.to_string(), "education".into()),
        EntryForm {
            identified: true,
            strengths: format!("Ava {name} reads well"),
            needs: format!("Ava {name} misses Mondays"),
            risks: format!("{name} exclusion"),
            scale: "4".into(),
        },
    );
    h.save_assessment(lead, episode, &assessment).await.unwrap();
    let due = Utc::now().date_naive() + chrono::Duration::days(14);
    let plan = PlanForm {
        outcomes: vec![OutcomeForm {
            id: String::new(),
            text: format!("Ava {name} goes to school every day"),
            needs: vec!["education".into()],
        }],
        actions: vec![ActionForm {
            outcome: "0".into(),
            what: format!("Walk Ava {name} to school"),
            owner: format!("person:{child}"),
            due_on: due.format("%d/%m/%Y").to_string(),
            ..ActionForm::default()
        }],
        agreed: "yes".into(),
        agreed_on: Utc::now().date_naive().format("%d/%m/%Y").to_string(),
        agreed_by: format!("Jo {name}"),
        ..PlanForm::default()
    };
    h.save_plan(lead, episode, &plan).await.unwrap();
    let outcome = h
        .plan(lead, episode)
        .await
        .unwrap()
        .plan
        .unwrap()
        .fields
        .outcomes[0]
        .id
        .clone();
    let mut review = ReviewForm {
        held_on: Utc::now().date_naive().format("%d/%m/%Y").to_string(),
        attendees: format!("Jo {name}, Ava {name}"),
        decisions: format!("The {name} family carry on"),
        ..ReviewForm::default()
    };
    review
        .progress
        .insert(outcome, ("6".into(), format!("Ava {name} went four days")));
    h.record_review(lead, episode, &review).await.unwrap();
    let plan = h.plan(lead, episode).await.unwrap().plan.unwrap();
    for a in &plan.fields.actions {
        let done = ActionUpdateForm {
            status: "done".into(),
            note: format!("Ava {name} walked in with Jo"),
        };
        h.update_action(lead, episode, &a.id, &done).await.unwrap();
    }
    // The thread with the family (ADR 0045), kept like the episode's other free text.
    h.message_family(lead, episode, &format!("Jo {name}, see you on Thursday"))
        .await
        .unwrap();
}

/// Every table and text column holding `needle`, outside the hash-chained audit log (kept
/// whole and archived outside Hearth, ADR 0030).
async fn where_written(store: &Store, needle: &str) -> Vec<String> {
    use sqlx::Row;
    let mut conn = store.read().await.unwrap();
    let postgres = conn.backend_name() == "PostgreSQL";
    let columns: Vec<(String, String)> = if postgres {
        sqlx::query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND data_type = 'text'",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
    } else {
        let tables: Vec<String> = sqlx::query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
        let mut out = Vec::new();
        for t in tables {
            for r in sqlx::query(&format!("SELECT name, type FROM pragma_table_info('{t}')"))
                .fetch_all(&mut *conn)
                .await
                .unwrap()
            {
                let (name, kind): (String, String) = (r.get(0), r.get(1));
                if kind.eq_ignore_ascii_case("TEXT") {
                    out.push((t.clone(), name));
                }
            }
        }
        out
    };
    let mut found = Vec::new();
    for (table, column) in columns {
        if table.starts_with("audit_") || table.starts_with("_sqlx") {
            continue;
        }
        let n: i64 = sqlx::query(&format!(
            "SELECT COUNT(*) FROM {table} WHERE {column} LIKE $1"
        ))
        .bind(format!("%{needle}%"))
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .get(0);
        if n > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
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

both_engines!(
    an_anonymised_family_is_named_nowhere_but_the_audit_log,
    |store| async move {
        let (h, clock) = hearth_with_clock(store.clone()).await;
        let (_, people) = closed_family_with(&h, "Dunholme", true).await;
        let before = where_written(&store, "Dunholme").await;
        for written in [
            "assessments.child_voice",
            "assessment_entries.strengths",
            "plan_outcomes.text",
            "plan_actions.what",
            "reviews.attendees",
            "review_progress.comment",
            "plan_action_updates.note",
            "family_messages.body",
        ] {
            assert!(
                before.contains(&written.to_string()),
                "{written} in {before:?}"
            );
        }
        {
            let mut now = clock.lock().unwrap();
            *now = now.checked_add_months(Months::new(18 * 12)).unwrap();
        }
        let dpo = actor(&h, DPO).await;
        let run = h.list_retention(Some(&dpo)).await.unwrap();
        h.approve_retention(&dpo, run).await.unwrap();
        assert!(h.carry_out_retention(run, None).await.unwrap().finished);
        // The daily housekeeping forgets the searches made before the family was added.
        h.prune_sessions().await.unwrap();
        for p in &people {
            assert_eq!(person(&store, *p).await.family_name, "Removed");
        }
        assert_eq!(
            where_written(&store, "Dunholme").await,
            Vec::<String>::new(),
            "nothing outside the audit log names the family after anonymisation"
        );
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
