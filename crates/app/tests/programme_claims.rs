//! Supporting Families claims, the data return and the dashboard through the app's public
//! interface, on both engines (ADR 0046), on the demo's quarter: the families that count and
//! why the others do not, the claim with its audit sample, verdicts and sign-off, no outcome
//! claimed twice, the return's problems fixed or explained before it may leave, and the
//! dashboard's counts. Only the programme lead reaches the families, each opening audited; a
//! practitioner is refused, and the refusal audited. Whoever audited the sample does not sign
//! the claim off. The claims' words (the auditor's reason, the return's explanations, the
//! outcomes' evidence) are in subject access and go when the family is anonymised.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::{Datelike, Duration};
use hearth_app::information_rights::{DecisionForm, RightsForm};
use hearth_app::programme::{ExplanationForm, QuarterView, VerdictForm};
use hearth_app::{AppError, Hearth, Store};
use hearth_domain::ids::PersonId;
use hearth_domain::insight::Quarter;
use hearth_domain::need::NeedDomain;
use hearth_domain::programme::claims::{NotClaimable, Verdict};
use hearth_testkit::app::{actor, hearth_with_clock, subject_access};
use hearth_testkit::both_engines;
use sqlx::Row;

const LEAD: &str = "programme@demo.hearth.test";
/// The internal auditor: someone other than the lead who signs the claim off.
const AUDITOR: &str = "programme-audit@demo.hearth.test";

async fn events(store: &Store, action: &str) -> i64 {
    let mut conn = store.read().await.unwrap();
    sqlx::query("SELECT COUNT(*) FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

fn counting(v: &QuarterView) -> Vec<String> {
    let mut names: Vec<String> = v
        .families
        .iter()
        .filter(|f| f.counts)
        .map(|f| f.family.name.clone())
        .collect();
    names.sort();
    names
}

async fn seeded(store: &Store) -> (Hearth, hearth_testkit::app::Clock, Quarter) {
    let (h, clock) = hearth_with_clock(store.clone()).await;
    assert!(h.seed_demo_programme().await.unwrap());
    let today = clock.lock().unwrap().date_naive();
    (h, clock, Quarter::containing(today))
}

both_engines!(
    a_quarter_is_claimed_audited_and_signed_off_and_no_outcome_is_claimed_twice,
    |store| async move {
        let (h, clock, q) = seeded(&store).await;
        let lead = actor(&h, LEAD).await;

        // A practitioner is refused the quarter, and the refusal is audited.
        let practitioner = actor(&h, "practitioner@demo.hearth.test").await;
        let denied = events(&store, "access_denied").await;
        assert!(matches!(
            h.programme_quarter(&practitioner, q).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(events(&store, "access_denied").await, denied + 1);

        // The quarter: two families count; the Haddads, checked today, do not, and say why.
        let opened = events(&store, "programme_family_opened").await;
        let view = h.programme_quarter(&lead, q).await.unwrap();
        assert_eq!(
            events(&store, "programme_family_opened").await,
            opened + 3,
            "each family opened for the quarter is audited"
        );
        assert_eq!(counting(&view), vec!["Tobi Adebayo", "Zofia Kowalska"]);
        let haddad = view
            .families
            .iter()
            .find(|f| f.family.name == "Yusuf Haddad")
            .expect("checked this quarter, shown with why not");
        assert!(!haddad.counts);
        assert!(haddad
            .outcomes
            .iter()
            .all(|o| o.claimable == Err(NotClaimable::WholeFamilyWorkingMissing)));
        assert!(view.claim.is_none() && view.may_make_claim);
        assert_eq!(view.sample_percent, 10);
        assert_eq!(view.sample_would_take, 1);

        // The claim: both families' outcomes, one family in the sample.
        h.make_programme_claim(&lead, q).await.unwrap();
        assert_eq!(events(&store, "programme_claim_made").await, 1);
        assert!(matches!(
            h.make_programme_claim(&lead, q).await,
            Err(AppError::Conflict)
        ));
        let view = h.programme_quarter(&lead, q).await.unwrap();
        let claim = view.claim.clone().unwrap();
        assert_eq!(claim.families.len(), 2);
        assert_eq!(
            claim
                .families
                .iter()
                .map(|f| f.outcomes.len())
                .sum::<usize>(),
            6
        );
        let sampled: Vec<_> = view.families.iter().filter(|f| f.in_sample).collect();
        assert_eq!(sampled.len(), 1);
        let sampled_id = sampled[0].family.episode();
        let other_id = view
            .families
            .iter()
            .find(|f| f.counts && !f.in_sample)
            .unwrap()
            .family
            .episode();

        // Not signed off before the sample is audited; a verdict must be chosen, and one not
        // upheld needs its reason.
        let e = h.sign_off_programme_claim(&lead, q).await.unwrap_err();
        assert!(
            matches!(&e, AppError::Invalid(x) if x.get("sign_off").unwrap().contains("1 still to audit")),
            "{e:?}"
        );
        let e = h
            .record_claim_verdict(&lead, q, sampled_id, &VerdictForm::default())
            .await
            .unwrap_err();
        assert!(
            matches!(&e, AppError::Invalid(x) if x.get(&format!("verdict_{sampled_id}")).is_some())
        );
        let e = h
            .record_claim_verdict(
                &lead,
                q,
                sampled_id,
                &VerdictForm {
                    verdict: "not_upheld".into(),
                    note: " ".into(),
                },
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&e, AppError::Invalid(x) if x.get(&format!("note_{sampled_id}")).is_some())
        );
        // A family outside the sample takes no verdict.
        assert!(matches!(
            h.record_claim_verdict(
                &lead,
                q,
                other_id,
                &VerdictForm {
                    verdict: "upheld".into(),
                    note: String::new(),
                },
            )
            .await,
            Err(AppError::Conflict)
        ));
        let auditor = actor(&h, AUDITOR).await;
        h.record_claim_verdict(
            &auditor,
            q,
            sampled_id,
            &VerdictForm {
                verdict: "not_upheld".into(),
                note: "The TAF met once only".into(),
            },
        )
        .await
        .unwrap();
        assert_eq!(events(&store, "programme_claim_audited").await, 1);
        // Who audited the sample does not sign the claim off: refused, on the record, and
        // told why on the sign-off button.
        let denied = events(&store, "access_denied").await;
        let e = h.sign_off_programme_claim(&auditor, q).await.unwrap_err();
        assert!(
            matches!(&e, AppError::Invalid(x) if x.get("sign_off").unwrap().contains("another programme lead must sign it off")),
            "{e:?}"
        );
        assert_eq!(events(&store, "access_denied").await, denied + 1);
        assert_eq!(events(&store, "programme_claim_signed_off").await, 0);
        assert!(
            h.programme_quarter(&auditor, q)
                .await
                .unwrap()
                .viewer_audited,
            "the auditor is told another lead signs off"
        );
        assert!(!h.programme_quarter(&lead, q).await.unwrap().viewer_audited);
        h.sign_off_programme_claim(&lead, q).await.unwrap();
        assert_eq!(events(&store, "programme_claim_signed_off").await, 1);
        assert!(matches!(
            h.sign_off_programme_claim(&lead, q).await,
            Err(AppError::Conflict)
        ));
        let view = h.programme_quarter(&lead, q).await.unwrap();
        let claim = view.claim.unwrap();
        assert!(claim.signed_off.is_some());
        let f = claim
            .families
            .iter()
            .find(|f| f.episode == sampled_id)
            .unwrap();
        assert_eq!(f.verdict, Some(Verdict::NotUpheld));
        assert!(
            f.outcomes.iter().all(|(_, withdrawn)| *withdrawn),
            "taken out"
        );

        // The next quarter: the family claimed is never claimed again; the one taken out
        // may be, once put right.
        *clock.lock().unwrap() += Duration::days(95);
        let next = q.next();
        let view = h.programme_quarter(&lead, next).await.unwrap();
        assert!(
            view.families.iter().all(|f| f.family.episode() != other_id),
            "claimed already, and not checked this quarter: not listed"
        );
        let taken_out = view
            .families
            .iter()
            .find(|f| f.family.episode() == sampled_id)
            .unwrap();
        assert!(taken_out.counts);
        h.make_programme_claim(&lead, next).await.unwrap();
        let claim = h
            .programme_quarter(&lead, next)
            .await
            .unwrap()
            .claim
            .unwrap();
        assert_eq!(claim.families.len(), 1);
        assert_eq!(claim.families[0].episode, sampled_id);

        // A quarter not yet begun cannot be claimed.
        let e = h
            .make_programme_claim(&lead, next.next().next())
            .await
            .unwrap_err();
        assert!(
            matches!(&e, AppError::Invalid(x) if x.get("claim").is_some()),
            "{e:?}"
        );
    }
);

both_engines!(
    the_data_return_leaves_only_with_every_problem_fixed_or_explained,
    |store| async move {
        let (h, _clock, q) = seeded(&store).await;
        let lead = actor(&h, LEAD).await;
        let practitioner = actor(&h, "practitioner@demo.hearth.test").await;
        assert!(matches!(
            h.programme_return(&practitioner, q).await,
            Err(AppError::Forbidden(_))
        ));

        let r = h.programme_return(&lead, q).await.unwrap();
        assert_eq!(r.lines.len(), 3, "the three families checked this quarter");
        let haddad = r
            .lines
            .iter()
            .find(|l| l.family.name == "Yusuf Haddad")
            .unwrap();
        let codes: Vec<String> = haddad.problems.iter().map(|(p, _)| p.code()).collect();
        assert_eq!(codes, vec!["missing_team_around_the_family"]);
        assert!(haddad.problems[0]
            .0
            .what_to_fix()
            .contains("Team Around the Family"));
        assert!(!r.ready);
        let haddad_id = haddad.family.episode();

        // Not downloadable yet: refused, and the attempt audited.
        let e = h.download_programme_return(&lead, q).await.unwrap_err();
        assert!(matches!(&e, AppError::Invalid(x) if x.get("download").is_some()));
        assert_eq!(events(&store, "programme_return_downloaded").await, 1);

        // An explanation must say something, and only of a problem the checks find.
        let field = format!("explanation_{haddad_id}_missing_team_around_the_family");
        let e = h
            .explain_return_problem(
                &lead,
                q,
                haddad_id,
                &ExplanationForm {
                    problem: "missing_team_around_the_family".into(),
                    explanation: "  ".into(),
                },
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&e, AppError::Invalid(x) if x.get(&field).is_some()),
            "{e:?}"
        );
        assert!(matches!(
            h.explain_return_problem(
                &lead,
                q,
                haddad_id,
                &ExplanationForm {
                    problem: "check_overdue".into(),
                    explanation: "No".into(),
                },
            )
            .await,
            Err(AppError::NotFound)
        ));
        h.explain_return_problem(
            &lead,
            q,
            haddad_id,
            &ExplanationForm {
                problem: "missing_team_around_the_family".into(),
                explanation: "The school nurse worked with the family but was never added".into(),
            },
        )
        .await
        .unwrap();
        assert_eq!(events(&store, "programme_return_explained").await, 1);
        let r = h.programme_return(&lead, q).await.unwrap();
        assert!(r.ready);

        let sheet = h.download_programme_return(&lead, q).await.unwrap();
        assert_eq!(sheet.rows.len(), 3);
        assert_eq!(sheet.columns[0], "family_reference");
        assert!(sheet.columns.contains(&"need_domestic_abuse"));
        let text: String = sheet
            .rows
            .iter()
            .flat_map(|r| r.iter().map(|c| c.text()))
            .collect::<Vec<_>>()
            .join(",");
        for name in ["Haddad", "Adebayo", "Kowalska", "Yusuf"] {
            assert!(!text.contains(name), "no names leave: {name}");
        }
        assert!(
            text.contains("missing_team_around_the_family"),
            "explained problems are named"
        );
        assert_eq!(events(&store, "programme_return_downloaded").await, 2);
    }
);

both_engines!(
    the_dashboard_counts_families_needs_outcomes_and_claims,
    |store| async move {
        let (h, _clock, q) = seeded(&store).await;
        let lead = actor(&h, LEAD).await;
        assert!(matches!(
            h.programme_dashboard(&actor(&h, "practitioner@demo.hearth.test").await)
                .await,
            Err(AppError::Forbidden(_))
        ));
        let d = h.programme_dashboard(&lead).await.unwrap();
        assert!(!d.suppressed, "the council sees small counts");
        assert_eq!(d.families_attached.text(), "4");
        assert_eq!(d.outcomes_claimed.text(), "0");
        // Sustained and unclaimed: 3 + 3 + 2 (the Haddads' domestic abuse lapsed); the
        // Mensahs' three achieved outcomes await their check.
        assert_eq!(d.outcomes_expected.text(), "11");
        let education = d
            .by_need
            .iter()
            .find(|n| n.need == NeedDomain::GoodEducation)
            .unwrap();
        assert_eq!(education.at_start.text(), "4");
        assert_eq!(education.sustained.text(), "3");
        assert_eq!(events(&store, "programme_dashboard_viewed").await, 1);

        h.make_programme_claim(&lead, q).await.unwrap();
        let sampled = h
            .programme_quarter(&lead, q)
            .await
            .unwrap()
            .families
            .into_iter()
            .find(|f| f.in_sample)
            .unwrap()
            .family
            .episode();
        h.record_claim_verdict(
            &actor(&h, AUDITOR).await,
            q,
            sampled,
            &VerdictForm {
                verdict: "upheld".into(),
                note: String::new(),
            },
        )
        .await
        .unwrap();
        h.sign_off_programme_claim(&lead, q).await.unwrap();
        let d = h.programme_dashboard(&lead).await.unwrap();
        assert_eq!(d.outcomes_claimed.text(), "6");
        assert_eq!(d.outcomes_expected.text(), "5");
    }
);

/// The texts a statement selects for one bound value.
async fn texts(store: &Store, sql: &str, bind: &str) -> Vec<String> {
    let mut conn = store.read().await.unwrap();
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_all(&mut *conn)
        .await
        .unwrap()
}

/// The subject access gathering for one person, section by section: (key, every value).
async fn gathered(h: &Hearth, person: PersonId) -> Vec<(String, Vec<String>)> {
    subject_access(h, person, "The person themselves")
        .await
        .sections
        .into_iter()
        .map(|s| {
            let values = s
                .items
                .iter()
                .flat_map(|i| i.fields.iter().map(|f| f.value.clone()))
                .collect();
            (s.key, values)
        })
        .collect()
}

/// Erases a person (an upheld erasure request), as the data protection officer does.
async fn erase(h: &Hearth, person: PersonId) {
    let dpo = actor(h, "dpo@demo.hearth.test").await;
    let today = h.now().date_naive();
    let id = h
        .log_rights_request(
            &dpo,
            &RightsForm {
                person: person.to_string(),
                kind: "erasure".into(),
                requested_by: "The person themselves".into(),
                grounds: "No longer needed".into(),
                received_day: today.day().to_string(),
                received_month: today.month().to_string(),
                received_year: today.year().to_string(),
                ..RightsForm::default()
            },
        )
        .await
        .unwrap();
    let (r, _) = h.rights_request(&dpo, id).await.unwrap();
    h.decide_rights_request(
        &dpo,
        id,
        &DecisionForm {
            version: r.version.to_string(),
            outcome: "uphold".into(),
            exemptions: Vec::new(),
            reasons: "Nothing requires the record to be kept".into(),
        },
    )
    .await
    .unwrap();
}

both_engines!(
    the_claims_words_are_in_subject_access_and_go_when_the_family_is_anonymised,
    |store| async move {
        let (h, _clock, q) = seeded(&store).await;
        let lead = actor(&h, LEAD).await;
        h.make_programme_claim(&lead, q).await.unwrap();
        let view = h.programme_quarter(&lead, q).await.unwrap();
        let sampled = view.families.iter().find(|f| f.in_sample).unwrap();
        let sampled_id = sampled.family.episode();
        let sampled_people = sampled.family.start.episode.people.clone();
        let surname = sampled.family.name.split(' ').nth(1).unwrap().to_string();
        let note = format!("The {surname} family's TAF met once only");
        h.record_claim_verdict(
            &actor(&h, AUDITOR).await,
            q,
            sampled_id,
            &VerdictForm {
                verdict: "not_upheld".into(),
                note: note.clone(),
            },
        )
        .await
        .unwrap();
        let haddad = h
            .programme_return(&lead, q)
            .await
            .unwrap()
            .lines
            .into_iter()
            .find(|l| l.family.name == "Yusuf Haddad")
            .unwrap()
            .family;
        let explanation = "The Haddads' school nurse worked with them but was never added";
        h.explain_return_problem(
            &lead,
            q,
            haddad.episode(),
            &ExplanationForm {
                problem: "missing_team_around_the_family".into(),
                explanation: explanation.into(),
            },
        )
        .await
        .unwrap();

        // Subject access finds the auditor's reason, the explanation and the outcomes'
        // evidence, like any other words about the family.
        let of = |sections: &[(String, Vec<String>)], key: &str| {
            sections
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("no section {key}"))
        };
        let sar = gathered(&h, sampled_people[0]).await;
        assert!(of(&sar, "programme_claims").contains(&note), "{sar:?}");
        assert!(!of(&sar, "programme_outcomes").is_empty());
        let sar = gathered(&h, haddad.start.episode.people[0]).await;
        assert!(
            of(&sar, "programme_return")
                .iter()
                .any(|v| v == explanation),
            "{sar:?}"
        );
        assert!(of(&sar, "programme_outcomes").contains(&"Yes".to_string()));

        // Once everyone in each family is anonymised, the words go; that words were given
        // stays, so the claim and the return read as before.
        for p in sampled_people.iter().chain(&haddad.start.episode.people) {
            erase(&h, *p).await;
        }
        let sampled_id = sampled_id.to_string();
        let haddad_id = haddad.episode().to_string();
        assert_eq!(
            texts(
                &store,
                "SELECT verdict_note FROM programme_claim_families WHERE episode_id = $1",
                &sampled_id
            )
            .await,
            vec!["Removed"]
        );
        assert_eq!(
            texts(
                &store,
                "SELECT explanation FROM programme_return_explanations WHERE episode_id = $1",
                &haddad_id
            )
            .await,
            vec!["Removed"]
        );
        for id in [&sampled_id, &haddad_id] {
            for sql in [
                "SELECT evidence FROM episode_needs WHERE episode_id = $1",
                "SELECT evidence FROM sustainment_answers WHERE episode_id = $1",
            ] {
                let left = texts(&store, sql, id).await;
                assert!(!left.is_empty(), "{sql}");
                assert!(
                    left.iter().all(|e| e.is_empty() || e == "Removed"),
                    "{sql}: {left:?}"
                );
            }
        }
        let r = h.programme_return(&lead, q).await.unwrap();
        assert!(r.ready, "the explanation still stands");
    }
);
