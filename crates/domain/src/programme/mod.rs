//! The Supporting Families programme: its outcome framework (the ten headline outcomes, what
//! shows each need and each outcome, and how long an outcome must last), whether a family
//! counts for the programme at the start, and whether an outcome achieved at closure was
//! sustained, from partners' data where there is some and the practitioner's evidence
//! otherwise (ADR 0042).
//!
//! The framework is the partnership's configuration over the national defaults, versioned: an
//! episode keeps the version it started under, so a later change of words or months does not
//! change what an earlier family was measured against.

pub mod claims;

use crate::episode::NeedResult;
use crate::identification::feed::EventKind;
use crate::identification::indicators::Fact;
use crate::need::NeedDomain;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The version of the national defaults.
pub const DEFAULT_VERSION: &str = "national-2022";
/// A family is in the programme with at least this many headline needs.
pub const NEEDS_REQUIRED: usize = 3;
/// Months after closure an outcome must last to count as sustained.
pub const SUSTAIN_MONTHS: u32 = 6;
/// A term's attendance at or above this share (per cent) counts as good attendance.
pub const ATTENDANCE_PERCENT: u32 = 90;

/// One headline outcome: what it means, what shows the need, what shows the outcome, and how
/// long it must last after closure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub need: NeedDomain,
    pub descriptor: String,
    pub need_evidence: String,
    pub outcome_evidence: String,
    pub sustain_months: u32,
}

/// The outcome framework an episode is measured against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Framework {
    pub version: String,
    pub needs_required: usize,
    pub attendance_percent: u32,
    /// One per headline need, in [`NeedDomain::ALL`]'s order.
    pub outcomes: Vec<Outcome>,
}

/// The national descriptors and evidence (the programme's outcome framework, in short).
fn national(need: NeedDomain) -> (&'static str, &'static str, &'static str) {
    use NeedDomain::*;
    match need {
        GoodEducation => (
            "A child is persistently absent, excluded, or not in suitable education.",
            "School attendance under 90% in a term, an exclusion, or the school's concern.",
            "Every term's attendance since closure at or above the threshold, and no exclusion.",
        ),
        EarlyYears => (
            "A child under five is not reaching their developmental milestones, or the \
             parents need help with their early years.",
            "The health visitor's or the setting's concern, or the assessment's.",
            "The child is reaching milestones, and the family uses early years services.",
        ),
        Health => (
            "A family member's mental or physical health affects the family.",
            "A health professional's concern, or the assessment's.",
            "The health need is managed, with support in place.",
        ),
        SubstanceUse => (
            "Drug or alcohol use affects the family.",
            "A treatment service's or another professional's concern, or the assessment's.",
            "Use is reduced or managed, and the person stays engaged with treatment.",
        ),
        FamilyRelationships => (
            "Parenting, or conflict between family members, puts the family under strain.",
            "The assessment's, and the family's own words.",
            "Relationships are better, in the family's words and the practitioner's.",
        ),
        SafeFromAbuseAndExploitation => (
            "A child is at risk of abuse or exploitation, or goes missing.",
            "A missing episode, or a concern from the police or another partner.",
            "No missing episode and no new concern since closure.",
        ),
        CrimePrevention => (
            "A family member is involved in crime or anti-social behaviour.",
            "Police anti-social behaviour records or a youth justice outcome.",
            "No new anti-social behaviour and no youth justice outcome since closure.",
        ),
        DomesticAbuse => (
            "A family member experiences or perpetrates domestic abuse.",
            "Police domestic abuse notifications, or a disclosure.",
            "No new domestic abuse notification since closure.",
        ),
        SecureHousing => (
            "The family is homeless, at risk of it, or in unsuitable housing.",
            "Housing's records: homelessness, temporary accommodation, rent arrears.",
            "The home is kept: no homelessness or temporary accommodation since closure.",
        ),
        FinancialStability => (
            "Worklessness, debt or money worries affect the family.",
            "Benefits data (worklessness), or the assessment's.",
            "Income maximised and debt managed, or an adult in work or training.",
        ),
    }
}

impl Default for Framework {
    fn default() -> Self {
        Self {
            version: DEFAULT_VERSION.into(),
            needs_required: NEEDS_REQUIRED,
            attendance_percent: ATTENDANCE_PERCENT,
            outcomes: NeedDomain::ALL
                .into_iter()
                .map(|need| {
                    let (descriptor, need_evidence, outcome_evidence) = national(need);
                    Outcome {
                        need,
                        descriptor: descriptor.into(),
                        need_evidence: need_evidence.into(),
                        outcome_evidence: outcome_evidence.into(),
                        sustain_months: SUSTAIN_MONTHS,
                    }
                })
                .collect(),
        }
    }
}

impl Framework {
    /// The national defaults changed by the partnership's lines: `version = …`,
    /// `needs_required = 3`, `attendance_percent = 90`, or `<need>.<field> = …` where the
    /// field is `descriptor`, `need_evidence`, `outcome_evidence` or `sustain_months`
    /// (`housing.sustain_months = 12`). `#` starts a comment; an error names its line. Any
    /// change needs a new `version`, so that episodes measured under the old one keep it.
    pub fn with_overrides(text: &str) -> Result<Self, String> {
        let mut f = Self::default();
        let mut changed = false;
        let mut versioned = false;
        for line in crate::overrides::lines(text) {
            let line = line?;
            let at = |why: &str| line.error(why);
            let (key, value) = (line.key, line.value);
            let number = |least: u32, most: u32| {
                value
                    .parse::<u32>()
                    .ok()
                    .filter(|v| (least..=most).contains(v))
                    .ok_or_else(|| at(&format!("{key} is a whole number from {least} to {most}")))
            };
            match key {
                "version" if !value.is_empty() && value != DEFAULT_VERSION => {
                    f.version = value.into();
                    versioned = true;
                    continue;
                }
                "version" => return Err(at("give the partnership's framework its own version")),
                "needs_required" => f.needs_required = number(1, 10)? as usize,
                "attendance_percent" => f.attendance_percent = number(1, 100)?,
                _ => {
                    let (need, field) = key
                        .split_once('.')
                        .ok_or_else(|| at("expected `need.field = value`"))?;
                    let need = NeedDomain::from_code(need)
                        .ok_or_else(|| at(&format!("no headline need `{need}`")))?;
                    let o = f
                        .outcomes
                        .iter_mut()
                        .find(|o| o.need == need)
                        .ok_or_else(|| at("the framework lost a need"))?;
                    match field {
                        "sustain_months" => o.sustain_months = number(1, 36)?,
                        _ if value.is_empty() => return Err(at("the words are missing")),
                        "descriptor" => o.descriptor = value.into(),
                        "need_evidence" => o.need_evidence = value.into(),
                        "outcome_evidence" => o.outcome_evidence = value.into(),
                        _ => return Err(at(&format!("no field `{field}` for a need"))),
                    }
                }
            }
            changed = true;
        }
        if changed && !versioned {
            return Err("the framework changed: give it a new `version`".into());
        }
        Ok(f)
    }

    /// The outcome for a need (every need has one).
    pub fn outcome(&self, need: NeedDomain) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.need == need)
    }

    /// When one outcome of an episode closed on `closed_on` may be judged: once its own
    /// months have passed.
    pub fn outcome_due(&self, closed_on: NaiveDate, need: NeedDomain) -> NaiveDate {
        let months = self
            .outcome(need)
            .map_or(SUSTAIN_MONTHS, |o| o.sustain_months);
        closed_on
            .checked_add_months(Months::new(months))
            .unwrap_or(closed_on)
    }

    /// When the check next falls due: the earliest of the `asked` outcomes not yet
    /// `answered`; `None` once every one is answered.
    pub fn next_due(
        &self,
        closed_on: NaiveDate,
        asked: &[NeedDomain],
        answered: &[NeedDomain],
    ) -> Option<NaiveDate> {
        asked
            .iter()
            .filter(|n| !answered.contains(n))
            .map(|n| self.outcome_due(closed_on, *n))
            .min()
    }

    /// When the last of the episode's `needs` has had its time (the whole check is over).
    pub fn sustainment_due(&self, closed_on: NaiveDate, needs: &[NeedDomain]) -> NaiveDate {
        let months = needs
            .iter()
            .filter_map(|n| self.outcome(*n))
            .map(|o| o.sustain_months)
            .max()
            .unwrap_or(SUSTAIN_MONTHS);
        closed_on
            .checked_add_months(Months::new(months))
            .unwrap_or(closed_on)
    }
}

/// The whole-family working the programme asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Criterion {
    LeadPractitioner,
    WholeFamilyAssessment,
    FamilyPlan,
    TeamAroundTheFamily,
}

impl Criterion {
    pub const ALL: [Criterion; 4] = [
        Criterion::LeadPractitioner,
        Criterion::WholeFamilyAssessment,
        Criterion::FamilyPlan,
        Criterion::TeamAroundTheFamily,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Criterion::LeadPractitioner => "A lead practitioner",
            Criterion::WholeFamilyAssessment => "A whole-family assessment",
            Criterion::FamilyPlan => "A family plan",
            Criterion::TeamAroundTheFamily => "A Team Around the Family",
        }
    }
}

/// What the record shows of an episode's whole-family working.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Working {
    pub lead: bool,
    /// An assessment submitted or signed off (a draft is not yet one).
    pub assessment: bool,
    /// A plan with at least one outcome.
    pub plan: bool,
    /// Someone in the Team Around the Family besides the lead.
    pub taf: bool,
}

/// Each criterion, met or missing.
pub fn criteria(w: Working) -> Vec<(Criterion, bool)> {
    Criterion::ALL
        .into_iter()
        .map(|c| {
            let met = match c {
                Criterion::LeadPractitioner => w.lead,
                Criterion::WholeFamilyAssessment => w.assessment,
                Criterion::FamilyPlan => w.plan,
                Criterion::TeamAroundTheFamily => w.taf,
            };
            (c, met)
        })
        .collect()
}

/// Whether the family is in the programme: needs in enough headline outcomes.
pub fn in_programme(needs: usize, f: &Framework) -> bool {
    needs >= f.needs_required
}

/// Whether the family counts for the programme: in it, with every whole-family criterion met.
pub fn counts(needs: usize, w: Working, f: &Framework) -> bool {
    in_programme(needs, f) && criteria(w).iter().all(|(_, met)| *met)
}

/// How partners' data can show an outcome lasted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataCheck {
    /// Every term's attendance since closure at or above the threshold (at least one term
    /// reported), and no exclusion.
    Attendance,
    /// No event of these kinds since closure, in feeds imported since the check fell due.
    NoneOf(&'static [EventKind]),
}

/// The partners' data that can verify an outcome, where there is such data.
pub fn data_check(need: NeedDomain) -> Option<DataCheck> {
    use EventKind::*;
    match need {
        NeedDomain::GoodEducation => Some(DataCheck::Attendance),
        NeedDomain::DomesticAbuse => Some(DataCheck::NoneOf(&[DomesticAbuse])),
        NeedDomain::SafeFromAbuseAndExploitation => Some(DataCheck::NoneOf(&[MissingEpisode])),
        NeedDomain::CrimePrevention => Some(DataCheck::NoneOf(&[
            AntiSocialBehaviour,
            YouthJusticeOutcome,
        ])),
        NeedDomain::SecureHousing => {
            Some(DataCheck::NoneOf(&[Homelessness, TemporaryAccommodation]))
        }
        _ => None,
    }
}

/// What partners' data says about one outcome, with the facts it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict<'a, S> {
    Sustained(Vec<&'a Fact<S>>),
    NotSustained(Vec<&'a Fact<S>>),
    /// No data that can say: the practitioner's evidence decides.
    NoData,
}

impl<S> Verdict<'_, S> {
    /// The data's answer, if it has one.
    pub fn sustained(&self) -> Option<bool> {
        match self {
            Verdict::Sustained(_) => Some(true),
            Verdict::NotSustained(_) => Some(false),
            Verdict::NoData => None,
        }
    }
}

/// What partners' data says about whether `need`'s outcome lasted from `closed_on` to `due`.
/// `facts` are the family's matched partner events; `imported` says, per kind of event, the
/// latest day a feed carrying it was imported (absence in a feed only counts once it is
/// imported past the end of the window).
pub fn verify<'a, S>(
    need: NeedDomain,
    f: &Framework,
    closed_on: NaiveDate,
    due: NaiveDate,
    facts: &'a [Fact<S>],
    imported: impl Fn(EventKind) -> Option<NaiveDate>,
) -> Verdict<'a, S> {
    let within = |x: &&Fact<S>| x.on >= closed_on && x.on <= due;
    match data_check(need) {
        None => Verdict::NoData,
        Some(DataCheck::Attendance) => {
            let threshold = f.attendance_percent * 10;
            let terms: Vec<&Fact<S>> = facts
                .iter()
                .filter(within)
                .filter(|x| x.event == EventKind::Attendance && x.attendance.is_some())
                .collect();
            let against: Vec<&Fact<S>> = facts
                .iter()
                .filter(within)
                .filter(|x| {
                    x.event == EventKind::Exclusion
                        || (x.event == EventKind::Attendance
                            && x.attendance.is_some_and(|a| a < threshold))
                })
                .collect();
            if !against.is_empty() {
                Verdict::NotSustained(against)
            } else if terms.is_empty() {
                Verdict::NoData
            } else {
                Verdict::Sustained(terms)
            }
        }
        Some(DataCheck::NoneOf(kinds)) => {
            let against: Vec<&Fact<S>> = facts
                .iter()
                .filter(within)
                .filter(|x| kinds.contains(&x.event))
                .collect();
            if !against.is_empty() {
                Verdict::NotSustained(against)
            } else if kinds.iter().all(|k| imported(*k).is_some_and(|d| d >= due)) {
                Verdict::Sustained(Vec::new())
            } else {
                Verdict::NoData
            }
        }
    }
}

/// The outcomes a sustainment check asks about: the needs achieved at closure (an outcome not
/// achieved cannot have lasted).
pub fn to_check(results: &[(NeedDomain, Option<NeedResult>)]) -> Vec<NeedDomain> {
    results
        .iter()
        .filter(|(_, r)| *r == Some(NeedResult::Achieved))
        .map(|(n, _)| *n)
        .collect()
}

/// Whose word an answer rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    PartnerData,
    Practitioner,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::PartnerData => "partner_data",
            Source::Practitioner => "practitioner",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Source::PartnerData, Source::Practitioner]
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Source::PartnerData => "Partners' data",
            Source::Practitioner => "The practitioner's evidence",
        }
    }
}

/// What is wrong with one outcome's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerProblem {
    /// Without data, the practitioner says whether it lasted…
    Choose,
    /// …and what shows it.
    Evidence,
}

/// One outcome's answer: partners' data decides where it can (the practitioner may add to
/// it); otherwise the practitioner's choice, with their evidence.
pub fn answer(
    data: Option<bool>,
    chosen: Option<bool>,
    evidence: &str,
) -> Result<(bool, Source), AnswerProblem> {
    if let Some(sustained) = data {
        return Ok((sustained, Source::PartnerData));
    }
    let sustained = chosen.ok_or(AnswerProblem::Choose)?;
    if evidence.trim().is_empty() {
        return Err(AnswerProblem::Evidence);
    }
    Ok((sustained, Source::Practitioner))
}

/// Whether the check may be answered today: not before it falls due, since an outcome can
/// only be seen to have lasted once its time has passed.
pub fn may_answer(today: NaiveDate, due: NaiveDate) -> bool {
    today >= due
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;
    use NeedDomain::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn fact(event: EventKind, on: &str, attendance: Option<u32>) -> Fact<u8> {
        Fact {
            event,
            on: d(on),
            attendance,
            source: 0,
        }
    }

    #[test]
    fn a_family_is_in_the_programme_with_enough_needs_and_counts_with_whole_family_working() {
        let all = Working {
            lead: true,
            assessment: true,
            plan: true,
            taf: true,
        };
        let f = Framework::default();
        let cases: &[(usize, Working, bool, bool)] = &[
            (3, all, true, true),
            (10, all, true, true),
            (2, all, false, false),
            (0, all, false, false),
            (3, Working { taf: false, ..all }, true, false),
            (4, Working { plan: false, ..all }, true, false),
            (3, Working::default(), true, false),
            (2, Working::default(), false, false),
        ];
        for (needs, w, in_it, counted) in cases {
            assert_eq!(in_programme(*needs, &f), *in_it, "{needs} {w:?}");
            assert_eq!(counts(*needs, *w, &f), *counted, "{needs} {w:?}");
        }
        let two = Framework {
            needs_required: 2,
            ..Framework::default()
        };
        assert!(counts(2, all, &two));
    }

    #[test]
    fn each_criterion_is_shown_met_or_missing() {
        let w = Working {
            lead: true,
            assessment: false,
            plan: true,
            taf: false,
        };
        assert_eq!(
            criteria(w),
            vec![
                (Criterion::LeadPractitioner, true),
                (Criterion::WholeFamilyAssessment, false),
                (Criterion::FamilyPlan, true),
                (Criterion::TeamAroundTheFamily, false),
            ]
        );
    }

    #[test]
    fn partners_data_verifies_an_outcome_where_it_can() {
        use EventKind as E;
        let f = Framework::default();
        let (closed, due) = (d("2026-01-10"), d("2026-07-10"));
        let imported_after = |_| Some(d("2026-07-31"));
        let imported_before = |_| Some(d("2026-06-30"));
        let never = |_| None;
        type Case<'a> = (
            NeedDomain,
            Vec<Fact<u8>>,
            &'a dyn Fn(EventKind) -> Option<NaiveDate>,
            Option<bool>,
            usize,
        );
        let cases: Vec<Case> = vec![
            // Good attendance every term since closure: sustained, the terms as evidence.
            (
                GoodEducation,
                vec![
                    fact(E::Attendance, "2026-04-01", Some(950)),
                    fact(E::Attendance, "2026-07-01", Some(900)),
                    // before closure, low: not in the window
                    fact(E::Attendance, "2025-12-01", Some(700)),
                ],
                &never,
                Some(true),
                2,
            ),
            // One term under the threshold: not sustained.
            (
                GoodEducation,
                vec![
                    fact(E::Attendance, "2026-04-01", Some(950)),
                    fact(E::Attendance, "2026-07-01", Some(899)),
                ],
                &never,
                Some(false),
                1,
            ),
            // An exclusion since closure: not sustained.
            (
                GoodEducation,
                vec![
                    fact(E::Attendance, "2026-04-01", Some(990)),
                    fact(E::Exclusion, "2026-05-01", None),
                ],
                &never,
                Some(false),
                1,
            ),
            // No term reported since closure: the practitioner decides.
            (
                GoodEducation,
                vec![fact(E::Attendance, "2025-12-01", Some(990))],
                &never,
                None,
                0,
            ),
            // A new notification since closure: not sustained, whatever was imported.
            (
                DomesticAbuse,
                vec![fact(E::DomesticAbuse, "2026-03-03", None)],
                &never,
                Some(false),
                1,
            ),
            // None since closure, the feed imported after the window: sustained.
            (
                DomesticAbuse,
                vec![fact(E::DomesticAbuse, "2025-11-03", None)],
                &imported_after,
                Some(true),
                0,
            ),
            // None since closure, but the feed not yet imported past the window: no data.
            (DomesticAbuse, vec![], &imported_before, None, 0),
            (DomesticAbuse, vec![], &never, None, 0),
            // After the window is not this check's business.
            (
                SecureHousing,
                vec![fact(E::TemporaryAccommodation, "2026-07-11", None)],
                &imported_after,
                Some(true),
                0,
            ),
            (
                CrimePrevention,
                vec![fact(E::YouthJusticeOutcome, "2026-07-10", None)],
                &imported_after,
                Some(false),
                1,
            ),
            // No partner data can show family relationships.
            (FamilyRelationships, vec![], &imported_after, None, 0),
        ];
        for (need, facts, imported, expected, evidence) in cases {
            let v = verify(need, &f, closed, due, &facts, imported);
            assert_eq!(v.sustained(), expected, "{need:?} {facts:?}");
            let n = match &v {
                Verdict::Sustained(e) | Verdict::NotSustained(e) => e.len(),
                Verdict::NoData => 0,
            };
            assert_eq!(n, evidence, "{need:?} {facts:?}");
        }
    }

    #[test]
    fn the_partnership_sets_its_own_threshold() {
        let f = Framework::with_overrides("version = ours-1\nattendance_percent = 95\n").unwrap();
        let facts = [fact(EventKind::Attendance, "2026-04-01", Some(940))];
        let v = verify(
            GoodEducation,
            &f,
            d("2026-01-10"),
            d("2026-07-10"),
            &facts,
            |_| None,
        );
        assert_eq!(v.sustained(), Some(false));
    }

    #[test]
    fn data_decides_where_it_can_and_the_practitioner_gives_evidence_otherwise() {
        type Case<'a> = (
            Option<bool>,
            Option<bool>,
            &'a str,
            Result<(bool, Source), AnswerProblem>,
        );
        let cases: &[Case] = &[
            (Some(true), None, "", Ok((true, Source::PartnerData))),
            (
                Some(false),
                Some(true),
                "They say it is fine",
                Ok((false, Source::PartnerData)),
            ),
            (
                None,
                Some(true),
                "School reports",
                Ok((true, Source::Practitioner)),
            ),
            (
                None,
                Some(false),
                "Back in arrears",
                Ok((false, Source::Practitioner)),
            ),
            (None, None, "Some words", Err(AnswerProblem::Choose)),
            (None, Some(true), "  ", Err(AnswerProblem::Evidence)),
        ];
        for (data, chosen, evidence, expected) in cases {
            assert_eq!(
                answer(*data, *chosen, evidence),
                *expected,
                "{data:?} {chosen:?}"
            );
        }
    }

    #[test]
    fn only_achieved_outcomes_are_checked_and_only_once_due() {
        let results = [
            (GoodEducation, Some(NeedResult::Achieved)),
            (Health, Some(NeedResult::Partly)),
            (SecureHousing, Some(NeedResult::NotAchieved)),
            (DomesticAbuse, None),
            (CrimePrevention, Some(NeedResult::Achieved)),
        ];
        assert_eq!(to_check(&results), vec![GoodEducation, CrimePrevention]);
        assert!(!may_answer(d("2026-07-09"), d("2026-07-10")));
        assert!(may_answer(d("2026-07-10"), d("2026-07-10")));
        assert!(may_answer(d("2026-08-01"), d("2026-07-10")));
    }

    #[test]
    fn each_outcome_falls_due_after_its_own_months_and_the_check_at_the_next_one() {
        let f =
            Framework::with_overrides("version = ours-1\nhousing.sustain_months = 12\n").unwrap();
        let closed = d("2026-08-31");
        assert_eq!(f.outcome_due(closed, GoodEducation), d("2027-02-28"));
        assert_eq!(f.outcome_due(closed, SecureHousing), d("2027-08-31"));
        let cases: Vec<(Vec<NeedDomain>, Vec<NeedDomain>, Option<&str>)> = vec![
            (
                vec![GoodEducation, SecureHousing],
                vec![],
                Some("2027-02-28"),
            ),
            (vec![SecureHousing], vec![], Some("2027-08-31")),
            (
                vec![GoodEducation, SecureHousing],
                vec![GoodEducation],
                Some("2027-08-31"),
            ),
            (
                vec![GoodEducation, SecureHousing],
                vec![GoodEducation, SecureHousing],
                None,
            ),
            (vec![], vec![], None),
        ];
        for (asked, answered, want) in cases {
            assert_eq!(
                f.next_due(closed, &asked, &answered),
                want.map(d),
                "{asked:?} {answered:?}"
            );
        }
    }

    #[test]
    fn the_check_falls_due_when_the_longest_outcome_has_had_its_time() {
        let f =
            Framework::with_overrides("version = ours-1\nhousing.sustain_months = 12\n").unwrap();
        let closed = d("2026-08-31");
        assert_eq!(f.sustainment_due(closed, &[GoodEducation]), d("2027-02-28"));
        assert_eq!(
            f.sustainment_due(closed, &[GoodEducation, SecureHousing]),
            d("2027-08-31")
        );
        assert_eq!(f.sustainment_due(closed, &[]), d("2027-02-28"));
    }

    #[test]
    fn the_partnership_changes_the_framework_under_a_new_version() {
        let f = Framework::with_overrides(
            "# ours\nversion = city-2027-1\nneeds_required = 2\n\
             education.descriptor = Our words\ndomestic_abuse.sustain_months = 12\n",
        )
        .unwrap();
        assert_eq!(f.version, "city-2027-1");
        assert_eq!(f.needs_required, 2);
        assert_eq!(f.outcome(GoodEducation).unwrap().descriptor, "Our words");
        assert_eq!(f.outcome(DomesticAbuse).unwrap().sustain_months, 12);
        assert_eq!(f.outcomes.len(), 10);
        let refused: &[(&str, &str)] = &[
            (
                "needs_required = 4\n",
                "the framework changed: give it a new `version`",
            ),
            (
                "version = national-2022\n",
                "line 1: give the partnership's framework its own version",
            ),
            (
                "version = a\nneeds_required = 11\n",
                "line 2: needs_required is a whole number from 1 to 10",
            ),
            (
                "version = a\nschooling.descriptor = x\n",
                "line 2: no headline need `schooling`",
            ),
            (
                "version = a\nhousing.colour = x\n",
                "line 2: no field `colour` for a need",
            ),
            (
                "version = a\nhousing.descriptor =\n",
                "line 2: the words are missing",
            ),
            (
                "version = a\nhousing.sustain_months = 0\n",
                "line 2: housing.sustain_months is a whole number from 1 to 36",
            ),
            ("version a\n", "line 1: expected `key = value`"),
        ];
        for (text, why) in refused {
            assert_eq!(Framework::with_overrides(text).unwrap_err(), *why, "{text}");
        }
        assert_eq!(Framework::with_overrides("").unwrap(), Framework::default());
    }

    #[test]
    fn a_framework_keeps_to_its_stored_form() {
        let f = Framework::with_overrides("version = a\nhealth.sustain_months = 9\n").unwrap();
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(serde_json::from_str::<Framework>(&json).unwrap(), f);
    }
}
