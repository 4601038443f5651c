//! Retention, erasure and restriction (UK GDPR Articles 5(1)(e), 17 and 18): the partnership's
//! schedule of how long each kind of record is kept and what happens then, the rule that says
//! when a record falls due, legal holds, and the decisions on a person's request to erase their
//! data or restrict its processing, with the exemptions that may refuse them.

use chrono::{Months, NaiveDate};

/// The kinds of record the schedule covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordType {
    /// A person's family record once every episode of Family Help they were part of has closed.
    EarlyHelpFamilyRecord,
    /// A person whose only involvement was requests for support closed with no further action.
    ClosedRequestNoFurtherAction,
    /// Decided proposals to change the directory of services (who proposed what).
    DirectoryHistory,
    /// The audit log.
    AuditEvents,
    /// Sign-in sessions.
    SignInSessions,
    /// The copy kept of a released subject access document.
    SarDocuments,
}

impl RecordType {
    pub const ALL: [RecordType; 6] = [
        RecordType::EarlyHelpFamilyRecord,
        RecordType::ClosedRequestNoFurtherAction,
        RecordType::DirectoryHistory,
        RecordType::AuditEvents,
        RecordType::SignInSessions,
        RecordType::SarDocuments,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RecordType::EarlyHelpFamilyRecord => "early_help_family_record",
            RecordType::ClosedRequestNoFurtherAction => "closed_request_nfa",
            RecordType::DirectoryHistory => "directory_history",
            RecordType::AuditEvents => "audit_events",
            RecordType::SignInSessions => "sign_in_sessions",
            RecordType::SarDocuments => "sar_documents",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            RecordType::EarlyHelpFamilyRecord => "Early help family record",
            RecordType::ClosedRequestNoFurtherAction => {
                "Request for support closed with no further action or signposted"
            }
            RecordType::DirectoryHistory => "Directory change history",
            RecordType::AuditEvents => "Audit log",
            RecordType::SignInSessions => "Sign-in sessions",
            RecordType::SarDocuments => "Released subject access documents",
        }
    }
}

/// How long a kind of record is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Until the youngest child in the family reaches this age (without a known date of birth:
    /// this many years after the record's date).
    UntilYoungestChildIs(u32),
    /// This many years after the record's date (closure, decision, release).
    YearsAfter(u32),
    /// Expired sessions go within minutes: the server's housekeeping removes them.
    UntilExpired,
}

/// What happens to a record when it falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposal {
    /// Removed entirely.
    Delete,
    /// Names, contact details, identifiers and free text removed; what the figures count
    /// (dates, levels, outcomes, closure reasons, agency, locality) kept.
    Anonymise,
    /// Not removed by Hearth: the audit log is hash-chained, so it is archived whole outside
    /// Hearth (docs/operations.md), never thinned inside it.
    Archive,
}

impl Disposal {
    pub fn code(self) -> &'static str {
        match self {
            Disposal::Delete => "delete",
            Disposal::Anonymise => "anonymise",
            Disposal::Archive => "archive",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Disposal::Delete, Disposal::Anonymise, Disposal::Archive]
            .into_iter()
            .find(|d| d.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Disposal::Delete => "Deleted",
            Disposal::Anonymise => "Anonymised",
            Disposal::Archive => "Archived outside Hearth",
        }
    }
}

/// One line of the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub record_type: RecordType,
    pub keep: Keep,
    pub disposal: Disposal,
}

impl Rule {
    /// The rule in words, as the schedule page and the removal log state it.
    pub fn meaning(&self) -> String {
        let keep = match self.keep {
            Keep::UntilYoungestChildIs(age) => format!(
                "kept until the youngest child in the family is {age} (or {age} years after the last episode closed, when no child's date of birth is known)"
            ),
            Keep::YearsAfter(years) => format!(
                "kept for {years} {} after {}",
                if years == 1 { "year" } else { "years" },
                match self.record_type {
                    RecordType::ClosedRequestNoFurtherAction => "the decision",
                    RecordType::DirectoryHistory => "the change was decided",
                    RecordType::SarDocuments => "the document was released",
                    _ => "the event",
                }
            ),
            Keep::UntilExpired => "removed once expired".to_string(),
        };
        let then = match self.disposal {
            Disposal::Delete => "then deleted",
            Disposal::Anonymise => {
                "then anonymised: names, contact details, identifiers and free text removed; dates, levels, outcomes, closure reasons, agency and locality kept for the figures"
            }
            Disposal::Archive => "then archived whole outside Hearth (the log is hash-chained)",
        };
        format!("{keep}; {then}")
    }

    /// Whether retention runs list records of this kind (the others are looked after by the
    /// server's housekeeping or by archiving outside Hearth).
    pub fn in_runs(&self) -> bool {
        !matches!(self.keep, Keep::UntilExpired) && self.disposal != Disposal::Archive
    }
}

/// The partnership's retention schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule(pub Vec<Rule>);

impl Default for Schedule {
    /// Defaults from common local authority practice: early help records until the youngest
    /// child is 25; a request closed with no further action for 3 years; directory history 6
    /// years; the audit log 7 years; a released subject access document 2 years.
    fn default() -> Self {
        Self(vec![
            Rule {
                record_type: RecordType::EarlyHelpFamilyRecord,
                keep: Keep::UntilYoungestChildIs(25),
                disposal: Disposal::Anonymise,
            },
            Rule {
                record_type: RecordType::ClosedRequestNoFurtherAction,
                keep: Keep::YearsAfter(3),
                disposal: Disposal::Anonymise,
            },
            Rule {
                record_type: RecordType::DirectoryHistory,
                keep: Keep::YearsAfter(6),
                disposal: Disposal::Delete,
            },
            Rule {
                record_type: RecordType::AuditEvents,
                keep: Keep::YearsAfter(7),
                disposal: Disposal::Archive,
            },
            Rule {
                record_type: RecordType::SignInSessions,
                keep: Keep::UntilExpired,
                disposal: Disposal::Delete,
            },
            Rule {
                record_type: RecordType::SarDocuments,
                keep: Keep::YearsAfter(2),
                disposal: Disposal::Delete,
            },
        ])
    }
}

impl Schedule {
    pub fn rule(&self, record_type: RecordType) -> Option<&Rule> {
        self.0.iter().find(|r| r.record_type == record_type)
    }

    /// The default schedule with the partnership's own periods: lines of `code = years`
    /// (`#` starts a comment), e.g. `early_help_family_record = 25`.
    pub fn with_overrides(text: &str) -> Result<Self, String> {
        let mut schedule = Self::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let (code, years) = line
                .split_once('=')
                .ok_or_else(|| format!("line {}: expected `record_type = years`", n + 1))?;
            let t = RecordType::from_code(code.trim())
                .ok_or_else(|| format!("line {}: no record type `{}`", n + 1, code.trim()))?;
            let years: u32 = years
                .trim()
                .parse()
                .ok()
                .filter(|y| (1..=100).contains(y))
                .ok_or_else(|| format!("line {}: years must be 1 to 100", n + 1))?;
            for rule in schedule.0.iter_mut().filter(|r| r.record_type == t) {
                rule.keep = match rule.keep {
                    Keep::UntilYoungestChildIs(_) => Keep::UntilYoungestChildIs(years),
                    Keep::YearsAfter(_) => Keep::YearsAfter(years),
                    Keep::UntilExpired => {
                        return Err(format!(
                            "line {}: sessions are removed when they expire",
                            n + 1
                        ))
                    }
                };
            }
        }
        Ok(schedule)
    }
}

/// What the rule needs to know of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The record's date: the last closure, the decision, the release.
    pub date: NaiveDate,
    /// The dates of birth of the children in the family (for the youngest-child rule).
    pub children_born: Vec<NaiveDate>,
}

/// The day a record falls due under `keep`; `None` for kinds runs do not list.
pub fn due_on(keep: Keep, facts: &Facts) -> Option<NaiveDate> {
    let add = |d: NaiveDate, years: u32| d.checked_add_months(Months::new(years * 12));
    match keep {
        Keep::UntilYoungestChildIs(age) => match facts.children_born.iter().max() {
            // Never before the record itself is that old a day: a family without children
            // recorded is kept as long from its last closure.
            Some(youngest) => add(*youngest, age).map(|d| d.max(facts.date)),
            None => add(facts.date, age),
        },
        Keep::YearsAfter(years) => add(facts.date, years),
        Keep::UntilExpired => None,
    }
}

/// Whether a record is due on `today`: its due day has come and no legal hold stops it.
pub fn is_due(due: Option<NaiveDate>, today: NaiveDate, held: bool) -> bool {
    !held && due.is_some_and(|d| d <= today)
}

/// Where a retention run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// Listed: waiting for the data protection officer's review.
    Review,
    /// Approved: the daily job (or `hearth retention carry-out`) carries it out.
    Approved,
    /// Carried out; only the removal log stays.
    Done,
}

impl RunStatus {
    pub const ALL: [RunStatus; 3] = [RunStatus::Review, RunStatus::Approved, RunStatus::Done];

    pub fn code(self) -> &'static str {
        match self {
            RunStatus::Review => "review",
            RunStatus::Approved => "approved",
            RunStatus::Done => "done",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            RunStatus::Review => "Waiting for review",
            RunStatus::Approved => "Approved",
            RunStatus::Done => "Carried out",
        }
    }
}

/// What a person asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RightsRequestKind {
    /// Article 17: erase their data.
    Erasure,
    /// Article 18: restrict its processing.
    Restriction,
}

impl RightsRequestKind {
    pub const ALL: [RightsRequestKind; 2] =
        [RightsRequestKind::Erasure, RightsRequestKind::Restriction];

    pub fn code(self) -> &'static str {
        match self {
            RightsRequestKind::Erasure => "erasure",
            RightsRequestKind::Restriction => "restriction",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            RightsRequestKind::Erasure => "Erasure (Article 17)",
            RightsRequestKind::Restriction => "Restriction of processing (Article 18)",
        }
    }
}

/// Where an erasure or restriction request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RightsRequestStatus {
    Open,
    /// Agreed and carried out.
    Upheld,
    /// Refused under one or more exemptions, with the reasons.
    Refused,
}

impl RightsRequestStatus {
    pub const ALL: [RightsRequestStatus; 3] = [
        RightsRequestStatus::Open,
        RightsRequestStatus::Upheld,
        RightsRequestStatus::Refused,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RightsRequestStatus::Open => "open",
            RightsRequestStatus::Upheld => "upheld",
            RightsRequestStatus::Refused => "refused",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            RightsRequestStatus::Open => "Open",
            RightsRequestStatus::Upheld => "Upheld",
            RightsRequestStatus::Refused => "Refused",
        }
    }
}

/// Why a request may be refused (Article 17(3), Article 18(2), DPA 2018 Schedule 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exemption {
    /// Safeguarding children: the record is needed to protect a child (Article 17(3)(b) and
    /// the Children Act duties). Safeguarding records are usually kept.
    Safeguarding,
    /// A legal obligation to keep the data (Article 17(3)(b)).
    LegalObligation,
    /// A task in the public interest or official authority (Article 17(3)(b)).
    PublicTask,
    /// Needed for legal claims (Article 17(3)(e), 18(2)).
    LegalClaims,
    /// Archiving, research or statistics in the public interest (Article 17(3)(d)).
    ArchivingOrStatistics,
}

impl Exemption {
    pub const ALL: [Exemption; 5] = [
        Exemption::Safeguarding,
        Exemption::LegalObligation,
        Exemption::PublicTask,
        Exemption::LegalClaims,
        Exemption::ArchivingOrStatistics,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Exemption::Safeguarding => "safeguarding",
            Exemption::LegalObligation => "legal_obligation",
            Exemption::PublicTask => "public_task",
            Exemption::LegalClaims => "legal_claims",
            Exemption::ArchivingOrStatistics => "archiving_or_statistics",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Exemption::Safeguarding => "Safeguarding: needed to protect a child",
            Exemption::LegalObligation => "A legal obligation to keep it",
            Exemption::PublicTask => "A task in the public interest",
            Exemption::LegalClaims => "Needed for legal claims",
            Exemption::ArchivingOrStatistics => "Archiving or statistics in the public interest",
        }
    }
}

/// What the data protection officer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Uphold,
    Refuse,
}

/// Why a decision cannot be recorded as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionProblem {
    /// Every decision needs its reasons.
    NoReasons,
    /// A refusal names at least one exemption.
    RefusedWithoutExemption,
    /// An upheld request has no exemption to name.
    UpheldWithExemption,
    /// A legal hold stops erasure until it is lifted.
    UnderLegalHold,
    /// Only an open request is decided.
    AlreadyDecided,
}

/// Checks a decision: reasons always; a refusal names an exemption, an upheld request none;
/// an erasure cannot be upheld while a legal hold stands.
pub fn check_decision(
    kind: RightsRequestKind,
    status: RightsRequestStatus,
    outcome: Outcome,
    exemptions: &[Exemption],
    reasons: &str,
    held: bool,
) -> Result<RightsRequestStatus, DecisionProblem> {
    if status != RightsRequestStatus::Open {
        return Err(DecisionProblem::AlreadyDecided);
    }
    if reasons.trim().is_empty() {
        return Err(DecisionProblem::NoReasons);
    }
    match outcome {
        Outcome::Refuse if exemptions.is_empty() => Err(DecisionProblem::RefusedWithoutExemption),
        Outcome::Refuse => Ok(RightsRequestStatus::Refused),
        Outcome::Uphold if !exemptions.is_empty() => Err(DecisionProblem::UpheldWithExemption),
        Outcome::Uphold if held && kind == RightsRequestKind::Erasure => {
            Err(DecisionProblem::UnderLegalHold)
        }
        Outcome::Uphold => Ok(RightsRequestStatus::Upheld),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a date")
    }

    #[test]
    fn an_early_help_record_is_kept_until_the_youngest_child_is_25() {
        let keep = Keep::UntilYoungestChildIs(25);
        let facts = Facts {
            date: d(2015, 6, 1),
            children_born: vec![d(2001, 3, 4), d(2004, 2, 29)],
        };
        assert_eq!(due_on(keep, &facts), Some(d(2029, 2, 28)));
        // Without a child's date of birth: 25 years from the last closure.
        let none = Facts {
            date: d(2015, 6, 1),
            children_born: Vec::new(),
        };
        assert_eq!(due_on(keep, &none), Some(d(2040, 6, 1)));
        // Never before the record's own date.
        let old = Facts {
            date: d(2030, 1, 1),
            children_born: vec![d(2000, 1, 1)],
        };
        assert_eq!(due_on(keep, &old), Some(d(2030, 1, 1)));
    }

    #[test]
    fn other_records_are_kept_for_years_after_their_date_and_sessions_are_not_listed() {
        let f = Facts {
            date: d(2020, 5, 5),
            children_born: Vec::new(),
        };
        assert_eq!(due_on(Keep::YearsAfter(3), &f), Some(d(2023, 5, 5)));
        assert_eq!(due_on(Keep::UntilExpired, &f), None);
    }

    #[test]
    fn a_legal_hold_stops_a_due_record() {
        let today = d(2026, 1, 1);
        assert!(is_due(Some(d(2025, 12, 31)), today, false));
        assert!(is_due(Some(today), today, false));
        assert!(!is_due(Some(d(2026, 1, 2)), today, false));
        assert!(!is_due(Some(d(2025, 12, 31)), today, true));
        assert!(!is_due(None, today, false));
    }

    #[test]
    fn the_default_schedule_covers_every_record_type_and_reads_in_words() {
        let s = Schedule::default();
        for t in RecordType::ALL {
            let rule = s.rule(t).expect("a rule for each type");
            assert!(!rule.meaning().is_empty());
            assert_eq!(RecordType::from_code(t.code()), Some(t));
        }
        let eh = s.rule(RecordType::EarlyHelpFamilyRecord).expect("rule");
        assert_eq!(eh.disposal, Disposal::Anonymise);
        assert!(eh.meaning().contains("youngest child in the family is 25"));
        assert!(!s.rule(RecordType::AuditEvents).expect("rule").in_runs());
        assert!(!s.rule(RecordType::SignInSessions).expect("rule").in_runs());
        assert!(s
            .rule(RecordType::DirectoryHistory)
            .expect("rule")
            .in_runs());
    }

    #[test]
    fn a_partnership_sets_its_own_periods() {
        let s =
            Schedule::with_overrides("# ours\nearly_help_family_record = 30\nsar_documents=1\n")
                .expect("valid");
        assert_eq!(
            s.rule(RecordType::EarlyHelpFamilyRecord)
                .expect("rule")
                .keep,
            Keep::UntilYoungestChildIs(30)
        );
        assert_eq!(
            s.rule(RecordType::SarDocuments).expect("rule").keep,
            Keep::YearsAfter(1)
        );
        assert!(Schedule::with_overrides("nothing = 3").is_err());
        assert!(Schedule::with_overrides("sar_documents = 0").is_err());
        assert!(Schedule::with_overrides("sign_in_sessions = 2").is_err());
        assert!(Schedule::with_overrides("sar_documents 2").is_err());
    }

    #[test]
    fn decisions_need_reasons_and_refusals_an_exemption() {
        use RightsRequestKind::*;
        use RightsRequestStatus::*;
        let safe = [Exemption::Safeguarding];
        assert_eq!(
            check_decision(
                Erasure,
                Open,
                Outcome::Refuse,
                &safe,
                "Child protection",
                false
            ),
            Ok(Refused)
        );
        assert_eq!(
            check_decision(Erasure, Open, Outcome::Refuse, &[], "No", false),
            Err(DecisionProblem::RefusedWithoutExemption)
        );
        assert_eq!(
            check_decision(Erasure, Open, Outcome::Uphold, &[], "  ", false),
            Err(DecisionProblem::NoReasons)
        );
        assert_eq!(
            check_decision(Erasure, Open, Outcome::Uphold, &safe, "Yes", false),
            Err(DecisionProblem::UpheldWithExemption)
        );
        assert_eq!(
            check_decision(Erasure, Open, Outcome::Uphold, &[], "Yes", true),
            Err(DecisionProblem::UnderLegalHold)
        );
        // A hold does not stop restricting processing: restriction keeps the data.
        assert_eq!(
            check_decision(
                Restriction,
                Open,
                Outcome::Uphold,
                &[],
                "Accuracy contested",
                true
            ),
            Ok(Upheld)
        );
        assert_eq!(
            check_decision(Erasure, Upheld, Outcome::Uphold, &[], "Again", false),
            Err(DecisionProblem::AlreadyDecided)
        );
        for e in Exemption::ALL {
            assert_eq!(Exemption::from_code(e.code()), Some(e));
        }
        for s in RightsRequestStatus::ALL {
            assert_eq!(RightsRequestStatus::from_code(s.code()), Some(s));
        }
    }
}
