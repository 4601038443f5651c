//! Claims where the programme pays by results, the family-level data return and the
//! programme's dashboard (issue 20, items 4–6; ADR 0046). The rules are pure: which outcome of
//! a family may be claimed and why not, how big the internal-audit sample is and which
//! families it takes, when a claim may be signed off, what the return's checks find before it
//! leaves, and the dashboard's counts.

use super::Criterion;
use crate::episode::NeedResult;
use crate::insight::{show, Figure, Shown, Unit};
use crate::need::NeedDomain;
use chrono::NaiveDate;

/// The share of a claim's families the internal audit looks at, unless configured.
pub const SAMPLE_PERCENT: u32 = 10;

/// What the record shows of one outcome of one family, for a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeFacts {
    /// The family had enough headline needs at the start.
    pub in_programme: bool,
    /// Every whole-family criterion was met.
    pub whole_family: bool,
    pub result: Option<NeedResult>,
    /// The sustainment check's answer, once given.
    pub sustained: Option<bool>,
    /// Claimed in a claim that stands (not withdrawn), in another quarter's claim.
    pub claimed_elsewhere: bool,
}

/// Why an outcome may not be claimed, in the order the rules are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotClaimable {
    NotInProgramme,
    WholeFamilyWorkingMissing,
    NotAchieved,
    NotYetChecked,
    NotSustained,
    AlreadyClaimed,
}

impl NotClaimable {
    pub fn reason(self) -> &'static str {
        match self {
            NotClaimable::NotInProgramme => "The family did not have enough headline needs",
            NotClaimable::WholeFamilyWorkingMissing => "Whole-family working was not all met",
            NotClaimable::NotAchieved => "Not achieved at closure",
            NotClaimable::NotYetChecked => "The sustainment check is not answered yet",
            NotClaimable::NotSustained => "Not sustained",
            NotClaimable::AlreadyClaimed => "Already claimed in another quarter",
        }
    }
}

/// Whether the outcome may be claimed: a family in the programme, worked with as a whole
/// family, the outcome achieved at closure and sustained, and never claimed before.
pub fn claimable(f: OutcomeFacts) -> Result<(), NotClaimable> {
    if !f.in_programme {
        Err(NotClaimable::NotInProgramme)
    } else if !f.whole_family {
        Err(NotClaimable::WholeFamilyWorkingMissing)
    } else if f.result != Some(NeedResult::Achieved) {
        Err(NotClaimable::NotAchieved)
    } else if f.sustained.is_none() {
        Err(NotClaimable::NotYetChecked)
    } else if f.sustained == Some(false) {
        Err(NotClaimable::NotSustained)
    } else if f.claimed_elsewhere {
        Err(NotClaimable::AlreadyClaimed)
    } else {
        Ok(())
    }
}

/// How many of `families` the internal audit takes: `percent` of them rounded up, at least one
/// when there are any, never more than there are.
pub fn sample_size(families: usize, percent: u32) -> usize {
    if families == 0 {
        return 0;
    }
    let wanted = (families * percent as usize).div_ceil(100);
    wanted.clamp(1, families)
}

/// A stable, well-spread number for a key under a seed (FNV-1a), so that a draw can be
/// repeated from its stored seed and shown to be fair.
fn score(seed: u64, key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.to_be_bytes().iter().chain(key.as_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Which of `keys` (the families of a claim) the sample takes: [`sample_size`] of them, those
/// scoring lowest under `seed`. The same seed and families give the same sample.
pub fn draw_sample<'a>(keys: &[&'a str], percent: u32, seed: u64) -> Vec<&'a str> {
    let mut scored: Vec<(u64, &str)> = keys.iter().map(|k| (score(seed, k), *k)).collect();
    scored.sort();
    scored
        .into_iter()
        .take(sample_size(keys.len(), percent))
        .map(|(_, k)| k)
        .collect()
}

/// The internal auditor's verdict on one family of the sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The record bears the claim out.
    Upheld,
    /// It does not: the family's outcomes come out of the claim at sign-off.
    NotUpheld,
}

impl Verdict {
    pub const ALL: [Verdict; 2] = [Verdict::Upheld, Verdict::NotUpheld];

    pub fn code(self) -> &'static str {
        match self {
            Verdict::Upheld => "upheld",
            Verdict::NotUpheld => "not_upheld",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Upheld => "Upheld: the record bears the claim out",
            Verdict::NotUpheld => "Not upheld: take the family out of the claim",
        }
    }
}

/// What is wrong with a verdict as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerdictProblem {
    Choose,
    /// A family taken out needs the reason, for the programme's auditors.
    Reason,
}

/// A verdict from the form: chosen, and with the reason when it is not upheld.
pub fn verdict(chosen: Option<Verdict>, note: &str) -> Result<Verdict, VerdictProblem> {
    let v = chosen.ok_or(VerdictProblem::Choose)?;
    if v == Verdict::NotUpheld && note.trim().is_empty() {
        return Err(VerdictProblem::Reason);
    }
    Ok(v)
}

/// Why a claim may not be signed off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOffProblem {
    /// This many families of the sample have no verdict yet.
    SampleNotAudited(usize),
    /// Nothing would be claimed.
    Empty,
    /// The signer gave one of the sample's verdicts: internal audit means someone other than
    /// the one who signs off checks the sample.
    SignerAudited,
}

/// Whether `signer` may sign a claim off whose sample's verdicts were given by `auditors`:
/// not when any of them is theirs.
pub fn may_sign_as<U: PartialEq>(signer: &U, auditors: &[U]) -> Result<(), SignOffProblem> {
    if auditors.contains(signer) {
        Err(SignOffProblem::SignerAudited)
    } else {
        Ok(())
    }
}

/// Whether a claim may be signed off, from its families' (in the sample, verdict): every
/// family of the sample audited, and something left to claim.
pub fn may_sign_off(families: &[(bool, Option<Verdict>)]) -> Result<(), SignOffProblem> {
    let unaudited = families
        .iter()
        .filter(|(sampled, v)| *sampled && v.is_none())
        .count();
    if unaudited > 0 {
        return Err(SignOffProblem::SampleNotAudited(unaudited));
    }
    if !families.iter().any(|(_, v)| *v != Some(Verdict::NotUpheld)) {
        return Err(SignOffProblem::Empty);
    }
    Ok(())
}

/// One family as the data return carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnFamily {
    pub attached_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub needs: Vec<NeedDomain>,
    pub criteria: Vec<(Criterion, bool)>,
    /// Per need: its result at closure and whether evidence was given with it.
    pub results: Vec<(NeedDomain, Option<NeedResult>, bool)>,
    /// When the next outcome of the sustainment check still to answer falls due.
    pub check_due: Option<NaiveDate>,
    /// Every outcome of the check answered.
    pub checked: bool,
}

/// A problem the return's checks find in one family's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReturnProblem {
    Missing(Criterion),
    NoResult(NeedDomain),
    NoEvidence(NeedDomain),
    CheckOverdue,
}

impl ReturnProblem {
    /// The stable code an explanation is kept under.
    pub fn code(self) -> String {
        match self {
            ReturnProblem::Missing(c) => format!("missing_{}", criterion_code(c)),
            ReturnProblem::NoResult(n) => format!("no_result_{}", n.code()),
            ReturnProblem::NoEvidence(n) => format!("no_evidence_{}", n.code()),
            ReturnProblem::CheckOverdue => "check_overdue".into(),
        }
    }

    /// What is wrong and what fixes it.
    pub fn what_to_fix(self) -> String {
        match self {
            ReturnProblem::Missing(Criterion::LeadPractitioner) => {
                "No lead practitioner: allocate one on the episode".into()
            }
            ReturnProblem::Missing(Criterion::WholeFamilyAssessment) => {
                "No whole-family assessment: submit the family's assessment".into()
            }
            ReturnProblem::Missing(Criterion::FamilyPlan) => {
                "No family plan with outcomes: write the plan's outcomes".into()
            }
            ReturnProblem::Missing(Criterion::TeamAroundTheFamily) => {
                "No Team Around the Family: add the professionals working with the family".into()
            }
            ReturnProblem::NoResult(n) => format!(
                "No result for “{}” at closure: record whether it was achieved",
                n.label()
            ),
            ReturnProblem::NoEvidence(n) => format!(
                "“{}” was achieved with no evidence: add what shows it",
                n.label()
            ),
            ReturnProblem::CheckOverdue => {
                "The sustainment check is overdue: answer it from My work".into()
            }
        }
    }
}

/// A criterion's code in the return's columns and problems.
pub fn criterion_code(c: Criterion) -> &'static str {
    match c {
        Criterion::LeadPractitioner => "lead_practitioner",
        Criterion::WholeFamilyAssessment => "whole_family_assessment",
        Criterion::FamilyPlan => "family_plan",
        Criterion::TeamAroundTheFamily => "team_around_the_family",
    }
}

/// What the return's checks find in one family's line, as of the quarter's last day: each
/// whole-family criterion missing, each need closed without a result, each outcome achieved
/// without evidence, and a sustainment check due by then but not answered.
pub fn return_problems(f: &ReturnFamily, quarter_end: NaiveDate) -> Vec<ReturnProblem> {
    let mut out: Vec<ReturnProblem> = f
        .criteria
        .iter()
        .filter(|(_, met)| !met)
        .map(|(c, _)| ReturnProblem::Missing(*c))
        .collect();
    if f.closed_on.is_some() {
        for (need, result, evidence) in &f.results {
            match result {
                None => out.push(ReturnProblem::NoResult(*need)),
                Some(NeedResult::Achieved) if !evidence => {
                    out.push(ReturnProblem::NoEvidence(*need));
                }
                Some(_) => {}
            }
        }
    }
    if !f.checked && f.check_due.is_some_and(|d| d <= quarter_end) {
        out.push(ReturnProblem::CheckOverdue);
    }
    out
}

/// Whether the return may leave: every problem fixed or explained.
pub fn may_download(problems: &[(ReturnProblem, bool)]) -> bool {
    problems.iter().all(|(_, explained)| *explained)
}

/// The headline needs a family had at the start, as the start page shows them: those recorded
/// on the episode, and those partners' data matched to a family member showed on the day the
/// help started; once each, in [`NeedDomain::ALL`]'s order.
pub fn needs_at_start(recorded: &[NeedDomain], shown_by_data: &[NeedDomain]) -> Vec<NeedDomain> {
    NeedDomain::ALL
        .into_iter()
        .filter(|n| recorded.contains(n) || shown_by_data.contains(n))
        .collect()
}

/// One family as the dashboard counts it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DashboardFamily {
    pub in_programme: bool,
    pub needs: Vec<NeedDomain>,
    pub achieved: Vec<NeedDomain>,
    pub sustained: Vec<NeedDomain>,
    /// Outcomes in a signed-off claim.
    pub claimed: Vec<NeedDomain>,
    /// Outcomes achieved whose check is still to come.
    pub awaiting_check: Vec<NeedDomain>,
}

/// The dashboard's counts, per headline need and in all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dashboard {
    pub families_attached: usize,
    /// Per need, in [`NeedDomain::ALL`]'s order: (at start, achieved, sustained, claimed).
    pub by_need: Vec<(NeedDomain, [usize; 4])>,
    pub outcomes_claimed: usize,
    /// Outcomes sustained and not yet claimed, and outcomes achieved whose check is to come:
    /// what later claims may carry.
    pub outcomes_expected: usize,
}

/// Counts the families attached to the programme (those outside it are not counted).
pub fn dashboard(families: &[DashboardFamily]) -> Dashboard {
    let attached: Vec<&DashboardFamily> = families.iter().filter(|f| f.in_programme).collect();
    let count = |pick: fn(&DashboardFamily) -> &Vec<NeedDomain>, need: NeedDomain| {
        attached.iter().filter(|f| pick(f).contains(&need)).count()
    };
    let by_need = NeedDomain::ALL
        .into_iter()
        .map(|n| {
            (
                n,
                [
                    count(|f| &f.needs, n),
                    count(|f| &f.achieved, n),
                    count(|f| &f.sustained, n),
                    count(|f| &f.claimed, n),
                ],
            )
        })
        .collect();
    let outcomes_claimed = attached.iter().map(|f| f.claimed.len()).sum();
    let outcomes_expected = attached
        .iter()
        .map(|f| {
            f.sustained
                .iter()
                .filter(|n| !f.claimed.contains(n))
                .count()
                + f.awaiting_check.len()
        })
        .sum();
    Dashboard {
        families_attached: attached.len(),
        by_need,
        outcomes_claimed,
        outcomes_expected,
    }
}

/// A count as the dashboard shows it: by the reports' rule, a count from 1 to 4 is hidden from
/// viewers outside the council.
pub fn shown(n: usize, suppress_small: bool) -> Shown {
    show(
        Figure {
            numerator: n as u64,
            denominator: None,
        },
        Unit::Count,
        suppress_small,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;
    use NeedDomain::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn an_outcome_is_claimable_only_when_every_rule_holds() {
        let ok = OutcomeFacts {
            in_programme: true,
            whole_family: true,
            result: Some(NeedResult::Achieved),
            sustained: Some(true),
            claimed_elsewhere: false,
        };
        use NotClaimable as N;
        let cases: Vec<(OutcomeFacts, Result<(), NotClaimable>)> = vec![
            (ok, Ok(())),
            (
                OutcomeFacts {
                    in_programme: false,
                    ..ok
                },
                Err(N::NotInProgramme),
            ),
            (
                OutcomeFacts {
                    whole_family: false,
                    ..ok
                },
                Err(N::WholeFamilyWorkingMissing),
            ),
            (
                OutcomeFacts {
                    result: Some(NeedResult::Partly),
                    ..ok
                },
                Err(N::NotAchieved),
            ),
            (OutcomeFacts { result: None, ..ok }, Err(N::NotAchieved)),
            (
                OutcomeFacts {
                    sustained: None,
                    ..ok
                },
                Err(N::NotYetChecked),
            ),
            (
                OutcomeFacts {
                    sustained: Some(false),
                    ..ok
                },
                Err(N::NotSustained),
            ),
            // No outcome of a family is claimed twice.
            (
                OutcomeFacts {
                    claimed_elsewhere: true,
                    ..ok
                },
                Err(N::AlreadyClaimed),
            ),
            // The first rule broken is the one given.
            (
                OutcomeFacts {
                    in_programme: false,
                    sustained: Some(false),
                    claimed_elsewhere: true,
                    ..ok
                },
                Err(N::NotInProgramme),
            ),
        ];
        for (facts, want) in cases {
            assert_eq!(claimable(facts), want, "{facts:?}");
        }
    }

    #[test]
    fn the_sample_is_a_tenth_rounded_up_at_least_one() {
        let cases = [
            (0, 10, 0),
            (1, 10, 1),
            (9, 10, 1),
            (10, 10, 1),
            (11, 10, 2),
            (25, 10, 3),
            (100, 10, 10),
            (7, 50, 4),
            (3, 100, 3),
            (4, 1, 1),
        ];
        for (families, percent, want) in cases {
            assert_eq!(
                sample_size(families, percent),
                want,
                "{families} at {percent}%"
            );
        }
    }

    #[test]
    fn the_same_seed_draws_the_same_sample_and_another_seed_may_not() {
        let keys: Vec<String> = (0..40).map(|i| format!("family-{i}")).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let a = draw_sample(&keys, 10, 7);
        assert_eq!(a.len(), 4);
        assert_eq!(a, draw_sample(&keys, 10, 7));
        let mut reversed = keys.clone();
        reversed.reverse();
        let mut b = draw_sample(&reversed, 10, 7);
        let mut a2 = a.clone();
        a2.sort();
        b.sort();
        assert_eq!(a2, b, "the order families are listed in does not matter");
        assert!(
            (1..20).any(|seed| draw_sample(&keys, 10, seed) != a),
            "the seed decides"
        );
        assert!(a.iter().all(|k| keys.contains(k)));
    }

    #[test]
    fn a_verdict_not_upheld_needs_its_reason() {
        use Verdict::*;
        let cases = [
            (None, "", Err(VerdictProblem::Choose)),
            (Some(Upheld), "", Ok(Upheld)),
            (Some(NotUpheld), "  ", Err(VerdictProblem::Reason)),
            (Some(NotUpheld), "No TAF recorded", Ok(NotUpheld)),
        ];
        for (chosen, note, want) in cases {
            assert_eq!(verdict(chosen, note), want, "{chosen:?} {note:?}");
        }
        for v in Verdict::ALL {
            assert_eq!(Verdict::from_code(v.code()), Some(v));
        }
    }

    #[test]
    fn a_claim_is_signed_off_once_its_sample_is_audited_and_something_is_left() {
        use Verdict::*;
        type Case = (Vec<(bool, Option<Verdict>)>, Result<(), SignOffProblem>);
        let cases: Vec<Case> = vec![
            (vec![(true, Some(Upheld)), (false, None)], Ok(())),
            (
                vec![(true, None), (true, None), (false, None)],
                Err(SignOffProblem::SampleNotAudited(2)),
            ),
            (vec![(true, Some(NotUpheld)), (false, None)], Ok(())),
            (vec![(true, Some(NotUpheld))], Err(SignOffProblem::Empty)),
            (vec![], Err(SignOffProblem::Empty)),
        ];
        for (families, want) in cases {
            assert_eq!(may_sign_off(&families), want, "{families:?}");
        }
    }

    #[test]
    fn whoever_audited_the_sample_does_not_sign_the_claim_off() {
        let cases: [(&str, &[&str], Result<(), SignOffProblem>); 5] = [
            ("lead", &[], Ok(())),
            ("lead", &["auditor"], Ok(())),
            ("lead", &["auditor", "auditor"], Ok(())),
            // One verdict of the sample is enough to be refused.
            (
                "lead",
                &["auditor", "lead"],
                Err(SignOffProblem::SignerAudited),
            ),
            ("auditor", &["auditor"], Err(SignOffProblem::SignerAudited)),
        ];
        for (signer, auditors, want) in cases {
            assert_eq!(
                may_sign_as(&signer, auditors),
                want,
                "{signer} {auditors:?}"
            );
        }
    }

    #[test]
    fn the_return_checks_name_each_problem_and_what_fixes_it() {
        let met: Vec<(Criterion, bool)> = Criterion::ALL.into_iter().map(|c| (c, true)).collect();
        let fine = ReturnFamily {
            attached_on: d("2026-01-05"),
            closed_on: Some(d("2026-03-01")),
            needs: vec![GoodEducation, Health, SecureHousing],
            criteria: met.clone(),
            results: vec![
                (GoodEducation, Some(NeedResult::Achieved), true),
                (Health, Some(NeedResult::NotAchieved), false),
                (SecureHousing, Some(NeedResult::Partly), false),
            ],
            check_due: Some(d("2026-09-01")),
            checked: false,
        };
        let end = d("2026-06-30");
        let no_taf: Vec<(Criterion, bool)> = met
            .iter()
            .map(|(c, m)| (*c, *m && *c != Criterion::TeamAroundTheFamily))
            .collect();
        let cases: Vec<(ReturnFamily, NaiveDate, Vec<ReturnProblem>)> = vec![
            (fine.clone(), end, vec![]),
            (
                ReturnFamily {
                    criteria: no_taf,
                    ..fine.clone()
                },
                end,
                vec![ReturnProblem::Missing(Criterion::TeamAroundTheFamily)],
            ),
            (
                ReturnFamily {
                    results: vec![
                        (GoodEducation, Some(NeedResult::Achieved), false),
                        (Health, None, false),
                    ],
                    ..fine.clone()
                },
                end,
                vec![
                    ReturnProblem::NoResult(Health),
                    ReturnProblem::NoEvidence(GoodEducation),
                ],
            ),
            // Still open: no results yet, and that is no problem.
            (
                ReturnFamily {
                    closed_on: None,
                    results: vec![(Health, None, false)],
                    check_due: None,
                    ..fine.clone()
                },
                end,
                vec![],
            ),
            // The check fell due in the quarter and is not answered.
            (
                fine.clone(),
                d("2026-09-30"),
                vec![ReturnProblem::CheckOverdue],
            ),
            (
                ReturnFamily {
                    checked: true,
                    ..fine.clone()
                },
                d("2026-09-30"),
                vec![],
            ),
        ];
        for (family, quarter_end, mut want) in cases {
            let mut got = return_problems(&family, quarter_end);
            got.sort();
            want.sort();
            assert_eq!(got, want, "{family:?}");
        }
        assert_eq!(
            ReturnProblem::NoEvidence(GoodEducation).code(),
            "no_evidence_education"
        );
        assert!(ReturnProblem::Missing(Criterion::LeadPractitioner)
            .what_to_fix()
            .contains("allocate"));
        assert!(may_download(&[]));
        assert!(may_download(&[(ReturnProblem::CheckOverdue, true)]));
        assert!(!may_download(&[
            (ReturnProblem::CheckOverdue, true),
            (ReturnProblem::NoResult(Health), false)
        ]));
    }

    #[test]
    fn needs_at_the_start_are_the_records_and_those_partners_data_showed() {
        let cases: Vec<(Vec<NeedDomain>, Vec<NeedDomain>, Vec<NeedDomain>)> = vec![
            (vec![], vec![], vec![]),
            (
                vec![Health, FamilyRelationships],
                vec![],
                vec![Health, FamilyRelationships],
            ),
            // Partners' data adds a need the record does not have: three, so attached.
            (
                vec![FamilyRelationships, Health],
                vec![GoodEducation],
                vec![GoodEducation, Health, FamilyRelationships],
            ),
            // Shown both ways: counted once.
            (
                vec![GoodEducation, DomesticAbuse],
                vec![DomesticAbuse, GoodEducation, DomesticAbuse],
                vec![GoodEducation, DomesticAbuse],
            ),
            (vec![], vec![SecureHousing], vec![SecureHousing]),
        ];
        for (recorded, data, want) in cases {
            assert_eq!(
                needs_at_start(&recorded, &data),
                want,
                "{recorded:?} {data:?}"
            );
        }
    }

    #[test]
    fn the_dashboard_counts_attached_families_and_what_later_claims_may_carry() {
        let families = vec![
            DashboardFamily {
                in_programme: true,
                needs: vec![GoodEducation, Health, DomesticAbuse],
                achieved: vec![GoodEducation, DomesticAbuse],
                sustained: vec![GoodEducation, DomesticAbuse],
                claimed: vec![GoodEducation],
                awaiting_check: vec![],
            },
            DashboardFamily {
                in_programme: true,
                needs: vec![GoodEducation, SecureHousing, Health],
                achieved: vec![SecureHousing],
                awaiting_check: vec![SecureHousing],
                ..DashboardFamily::default()
            },
            // Not attached: not counted at all.
            DashboardFamily {
                in_programme: false,
                needs: vec![GoodEducation],
                achieved: vec![GoodEducation],
                ..DashboardFamily::default()
            },
        ];
        let got = dashboard(&families);
        assert_eq!(got.families_attached, 2);
        assert_eq!(got.outcomes_claimed, 1);
        // Domestic abuse sustained, unclaimed; housing awaiting its check.
        assert_eq!(got.outcomes_expected, 2);
        let of = |n: NeedDomain| got.by_need.iter().find(|(x, _)| *x == n).unwrap().1;
        assert_eq!(of(GoodEducation), [2, 1, 1, 1]);
        assert_eq!(of(Health), [2, 0, 0, 0]);
        assert_eq!(of(SecureHousing), [1, 1, 0, 0]);
        assert_eq!(of(FinancialStability), [0, 0, 0, 0]);
        assert_eq!(got.by_need.len(), NeedDomain::ALL.len());
        assert_eq!(shown(3, true), Shown::Suppressed);
        assert_eq!(shown(3, false).text(), "3");
        assert_eq!(shown(0, true).text(), "0");
        assert_eq!(shown(5, true).text(), "5");
    }
}
