//! The front door's rules: which queue a request joins, who should provide Targeted Family
//! Help, and what the officer must be warned of before deciding. Pure functions, table-tested.

use crate::continuum::ContinuumLevel;
use crate::ids::UserId;
use crate::need::{Concern, NeedDomain};
use crate::person::Age;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};

/// How soon the requester thinks the family needs help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Urgency {
    Routine,
    Soon,
    Urgent,
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Routine, Urgency::Soon, Urgency::Urgent];

    pub fn code(self) -> &'static str {
        match self {
            Urgency::Routine => "routine",
            Urgency::Soon => "soon",
            Urgency::Urgent => "urgent",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Urgency::Routine => "Routine",
            Urgency::Soon => "Soon",
            Urgency::Urgent => "Urgent",
        }
    }

    /// What the front door promises for this urgency, as the requester chooses it.
    pub fn promise(self, due: &DueTimes) -> String {
        match due.working_days(self, false) {
            0 => format!("{}: today", self.label()),
            1 => format!("{}: within 1 working day", self.label()),
            n => format!("{}: within {n} working days", self.label()),
        }
    }
}

/// Whether the family agreed to their information going to the front door with the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SharingConsent {
    Given,
    Refused,
    NotAsked,
}

impl SharingConsent {
    pub const ALL: [SharingConsent; 3] = [
        SharingConsent::Given,
        SharingConsent::Refused,
        SharingConsent::NotAsked,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SharingConsent::Given => "given",
            SharingConsent::Refused => "refused",
            SharingConsent::NotAsked => "not_asked",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The answer as the requester chose it on the form.
    pub fn answer(self) -> &'static str {
        match self {
            SharingConsent::Given => "Yes, they agreed",
            SharingConsent::Refused => "No, they did not agree",
            SharingConsent::NotAsked => "They have not been asked",
        }
    }

    /// What a reader of the request is told.
    pub fn label(self) -> &'static str {
        match self {
            SharingConsent::Given => "The family agreed to share their information",
            SharingConsent::Refused => "The family did not agree to share their information",
            SharingConsent::NotAsked => "The family was not asked",
        }
    }
}

/// How many working days the front door has to decide, by urgency; each partnership sets its
/// own. Urgent requests and safeguarding concerns are due the same working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueTimes {
    pub routine_working_days: u32,
    pub soon_working_days: u32,
}

impl Default for DueTimes {
    fn default() -> Self {
        Self {
            routine_working_days: 10,
            soon_working_days: 3,
        }
    }
}

impl DueTimes {
    pub fn working_days(&self, urgency: Urgency, safeguarding: bool) -> u32 {
        match (safeguarding, urgency) {
            (true, _) | (_, Urgency::Urgent) => 0,
            (false, Urgency::Soon) => self.soon_working_days,
            (false, Urgency::Routine) => self.routine_working_days,
        }
    }

    /// The working day by the end of which a request sent at `submitted` must be decided: the
    /// day it arrived (or the next working day, if it arrived at a weekend) and then as many
    /// working days on as its urgency allows. Bank holidays count as working days.
    pub fn due_on(
        &self,
        submitted: DateTime<Utc>,
        urgency: Urgency,
        safeguarding: bool,
    ) -> NaiveDate {
        let mut day = next_working_day(submitted.date_naive());
        for _ in 0..self.working_days(urgency, safeguarding) {
            day = next_working_day(day + Duration::days(1));
        }
        day
    }
}

fn next_working_day(mut day: NaiveDate) -> NaiveDate {
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day += Duration::days(1);
    }
    day
}

/// Whether a request due by the end of `due` is overdue at `now`.
pub fn is_overdue(due: NaiveDate, now: DateTime<Utc>) -> bool {
    now.date_naive() > due
}

/// The front door's two queues. A safeguarding concern never waits behind early help work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Queue {
    /// Safeguarding concerns: seen first, today.
    Safeguarding,
    /// Everything else, most urgent and oldest first.
    Standard,
}

impl Queue {
    pub const ALL: [Queue; 2] = [Queue::Safeguarding, Queue::Standard];

    pub fn code(self) -> &'static str {
        match self {
            Queue::Safeguarding => "safeguarding",
            Queue::Standard => "standard",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|q| q.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Queue::Safeguarding => "Safeguarding",
            Queue::Standard => "Standard",
        }
    }
}

/// Where a request for support stands: being written, waiting for the front door, decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestStatus {
    Draft,
    Submitted,
    /// Decided, but the decision waits for a manager's confirmation (see
    /// [`needs_confirmation`]); the front door still holds the request.
    AwaitingConfirmation,
    Decided,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 4] = [
        RequestStatus::Draft,
        RequestStatus::Submitted,
        RequestStatus::AwaitingConfirmation,
        RequestStatus::Decided,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Draft => "draft",
            RequestStatus::Submitted => "submitted",
            RequestStatus::AwaitingConfirmation => "awaiting_confirmation",
            RequestStatus::Decided => "decided",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestStatus::Draft => "Draft",
            RequestStatus::Submitted => "Waiting for the front door",
            RequestStatus::AwaitingConfirmation => "Decision waiting for a manager's confirmation",
            RequestStatus::Decided => "Decided",
        }
    }

    /// Still the front door's: waiting for a decision, or for its confirmation.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            RequestStatus::Submitted | RequestStatus::AwaitingConfirmation
        )
    }
}

pub fn queue_for(safeguarding_concern: bool) -> Queue {
    if safeguarding_concern {
        Queue::Safeguarding
    } else {
        Queue::Standard
    }
}

/// The order the front door works in: safeguarding first, then urgency, then the oldest.
pub fn queue_order(
    queue: Queue,
    urgency: Urgency,
    submitted: DateTime<Utc>,
) -> (Queue, std::cmp::Reverse<Urgency>, DateTime<Utc>) {
    (queue, std::cmp::Reverse(urgency), submitted)
}

/// What a practitioner who has raised a safeguarding concern must do now, not later: the
/// front door's (MASH's) number is the partnership's own, when it has given one.
pub fn safeguarding_now(mash_phone: Option<&str>) -> [String; 3] {
    let phone = match mash_phone.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => format!("Phone the front door (MASH) on {p} today to talk the concern through; do not wait for this request to be read."),
        None => "Phone the front door (MASH) today to talk the concern through; do not wait for this request to be read.".to_string(),
    };
    [
        "If a child is in immediate danger, call 999 now.".to_string(),
        phone,
        "Tell your organisation's designated safeguarding lead, and record what you saw and heard, in the words used.".to_string(),
    ]
}

/// A safeguarding concern closed at the front door — universal services only, or no further
/// action — is not closed on one officer's word: a manager confirms it first.
pub fn needs_confirmation(safeguarding: bool, level: ContinuumLevel, outcome: &Outcome) -> bool {
    safeguarding
        && (level == ContinuumLevel::Universal
            || matches!(outcome, Outcome::NoFurtherAction { .. }))
}

/// Who provides Targeted Family Help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetedService {
    /// The council's core Family Help service.
    Core,
    /// The Adolescence Service.
    Adolescence,
}

impl TargetedService {
    pub const ALL: [TargetedService; 2] = [TargetedService::Core, TargetedService::Adolescence];

    pub fn code(self) -> &'static str {
        match self {
            TargetedService::Core => "core",
            TargetedService::Adolescence => "adolescence",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            TargetedService::Core => "Core Family Help service",
            TargetedService::Adolescence => "Adolescence Service",
        }
    }
}

/// One need in a request: its domain and the specific concerns ticked within it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedSummary {
    pub domain: NeedDomain,
    pub concerns: Vec<Concern>,
}

/// The age from which adolescent needs go to the Adolescence Service (seed 002).
pub const ADOLESCENCE_FROM_AGE: u32 = 10;

/// Seed 002: where needs relate to a child aged 10 or over and are connected to exploitation,
/// missing incidents, anti-social behaviour, criminality or education, the Family Help Worker
/// comes from the Adolescence Service; otherwise from the core service.
pub fn propose_targeted_service(children: &[Age], needs: &[NeedSummary]) -> TargetedService {
    let adolescent = children.iter().any(|a| {
        a.years()
            .is_some_and(|y| (ADOLESCENCE_FROM_AGE..18).contains(&y))
    });
    let adolescent_need = needs.iter().any(|n| {
        matches!(
            n.domain,
            NeedDomain::GoodEducation | NeedDomain::CrimePrevention
        ) || !n.concerns.is_empty()
    });
    if adolescent && adolescent_need {
        TargetedService::Adolescence
    } else {
        TargetedService::Core
    }
}

/// The most recent earlier request for the family within the last 12 months, if any: the
/// decision screen says so, because re-requests show help that did not last.
pub fn rerequest_within_year(
    earlier_requests: &[DateTime<Utc>],
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    earlier_requests
        .iter()
        .copied()
        .filter(|at| *at <= now && now - *at <= Duration::days(365))
        .max()
}

/// What the front door decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Universal services; what was suggested is recorded.
    Signpost {
        suggested: String,
    },
    /// Early Family Help led by a professional in a partner organisation.
    OpenEarlyHelp {
        lead: UserId,
    },
    /// Targeted Family Help, by the proposed service or another with a reason.
    OpenTargeted {
        service: TargetedService,
        override_reason: Option<String>,
    },
    /// Children's social care.
    StepUpToSocialCare,
    NoFurtherAction {
        reason: String,
    },
}

impl Outcome {
    pub fn code(&self) -> &'static str {
        match self {
            Outcome::Signpost { .. } => "signpost",
            Outcome::OpenEarlyHelp { .. } => "early_help",
            Outcome::OpenTargeted { .. } => "targeted",
            Outcome::StepUpToSocialCare => "step_up",
            Outcome::NoFurtherAction { .. } => "no_further_action",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Signpost { .. } => "Signposted to universal services",
            Outcome::OpenEarlyHelp { .. } => "Early Family Help opened",
            Outcome::OpenTargeted { .. } => "Targeted Family Help opened",
            Outcome::StepUpToSocialCare => "Stepped up to children's social care",
            Outcome::NoFurtherAction { .. } => "No further action",
        }
    }

    /// One outcome of each kind, with empty details: what the kinds' codes and labels are
    /// read from.
    fn one_of_each() -> [Outcome; 5] {
        [
            Outcome::Signpost {
                suggested: String::new(),
            },
            Outcome::OpenEarlyHelp {
                lead: UserId::new(),
            },
            Outcome::OpenTargeted {
                service: TargetedService::Core,
                override_reason: None,
            },
            Outcome::StepUpToSocialCare,
            Outcome::NoFurtherAction {
                reason: String::new(),
            },
        ]
    }

    /// The code of every kind of outcome (what the API's description lists).
    pub fn codes() -> [&'static str; 5] {
        Self::one_of_each().map(|o| o.code())
    }

    /// The label of an outcome known only by its code (an audit event keeps the code alone).
    pub fn label_of_code(code: &str) -> Option<&'static str> {
        Self::one_of_each()
            .iter()
            .find(|o| o.code() == code)
            .map(Outcome::label)
    }

    /// The service that gives Targeted Family Help, where that was decided.
    pub fn targeted_service(&self) -> Option<TargetedService> {
        match self {
            Outcome::OpenTargeted { service, .. } => Some(*service),
            _ => None,
        }
    }

    /// The outcome with what it recorded, as the requester and the record read it.
    pub fn summary(&self) -> String {
        match self {
            Outcome::Signpost { suggested } => format!("{}: {suggested}", self.label()),
            Outcome::OpenEarlyHelp { .. } => {
                "Early Family Help opened with a lead professional".into()
            }
            Outcome::OpenTargeted { service, .. } => {
                format!("{}: {}", self.label(), service.label())
            }
            Outcome::StepUpToSocialCare => self.label().into(),
            Outcome::NoFurtherAction { reason } => format!("{}: {reason}", self.label()),
        }
    }

    /// The levels of the Continuum this outcome is consistent with.
    pub fn fits(&self, level: ContinuumLevel) -> bool {
        use ContinuumLevel::*;
        match self {
            Outcome::Signpost { .. } => level == Universal,
            Outcome::OpenEarlyHelp { .. } => level == EarlyFamilyHelp,
            Outcome::OpenTargeted { .. } => level == TargetedFamilyHelp,
            Outcome::StepUpToSocialCare => level == Specialist,
            Outcome::NoFurtherAction { .. } => matches!(level, Universal | EarlyFamilyHelp),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn need(domain: NeedDomain, concerns: &[Concern]) -> NeedSummary {
        NeedSummary {
            domain,
            concerns: concerns.to_vec(),
        }
    }

    #[test]
    fn the_adolescence_rule_as_a_table() {
        use Concern::*;
        use NeedDomain::*;
        use TargetedService::*;
        let y = Age::Years;
        let table: &[(&[Age], &[NeedSummary], TargetedService)] = &[
            (
                &[y(14)],
                &[need(FamilyRelationships, &[MissingEpisodes])],
                Adolescence,
            ),
            (
                &[y(10)],
                &[need(SafeFromAbuseAndExploitation, &[Exploitation])],
                Adolescence,
            ),
            (
                &[y(9)],
                &[need(SafeFromAbuseAndExploitation, &[Exploitation])],
                Core,
            ),
            (&[y(15)], &[need(GoodEducation, &[])], Adolescence),
            (&[y(16)], &[need(CrimePrevention, &[])], Adolescence),
            (
                &[y(12)],
                &[need(FamilyRelationships, &[AntiSocialBehaviour])],
                Adolescence,
            ),
            (
                &[y(13)],
                &[need(SecureHousing, &[]), need(FinancialStability, &[])],
                Core,
            ),
            (&[y(3), y(11)], &[need(Health, &[Criminality])], Adolescence),
            (
                &[y(3), y(7)],
                &[need(GoodEducation, &[EducationAttendanceOrExclusion])],
                Core,
            ),
            (&[Age::Unborn], &[need(DomesticAbuse, &[])], Core),
            (&[y(18)], &[need(CrimePrevention, &[Criminality])], Core),
            (&[], &[need(CrimePrevention, &[])], Core),
        ];
        for (children, needs, expected) in table {
            assert_eq!(
                propose_targeted_service(children, needs),
                *expected,
                "{children:?} {needs:?}"
            );
        }
    }

    #[test]
    fn safeguarding_concerns_go_first_whatever_their_age() {
        let t = |h| Utc.with_ymd_and_hms(2026, 11, 22, h, 0, 0).unwrap();
        let mut requests = [
            (
                "old routine",
                queue_order(queue_for(false), Urgency::Routine, t(8)),
            ),
            (
                "new safeguarding",
                queue_order(queue_for(true), Urgency::Routine, t(12)),
            ),
            (
                "urgent early help",
                queue_order(queue_for(false), Urgency::Urgent, t(11)),
            ),
            (
                "old safeguarding",
                queue_order(queue_for(true), Urgency::Soon, t(9)),
            ),
        ];
        requests.sort_by_key(|(_, k)| *k);
        let order: Vec<&str> = requests.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            order,
            [
                "old safeguarding",
                "new safeguarding",
                "urgent early help",
                "old routine"
            ]
        );
    }

    #[test]
    fn re_requests_within_twelve_months_are_found() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
        let ago = |days| now - Duration::days(days);
        assert_eq!(
            rerequest_within_year(&[ago(400), ago(200), ago(30)], now),
            Some(ago(30))
        );
        assert_eq!(rerequest_within_year(&[ago(365)], now), Some(ago(365)));
        assert_eq!(rerequest_within_year(&[ago(366)], now), None);
        assert_eq!(rerequest_within_year(&[], now), None);
    }

    #[test]
    fn due_times_count_working_days_from_the_day_it_arrived() {
        let due = DueTimes::default();
        // Friday 4 December 2026, late in the day.
        let friday = Utc.with_ymd_and_hms(2026, 12, 4, 16, 0, 0).unwrap();
        let saturday = Utc.with_ymd_and_hms(2026, 12, 5, 10, 0, 0).unwrap();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let table = [
            (friday, Urgency::Routine, true, d(2026, 12, 4)),
            (friday, Urgency::Urgent, false, d(2026, 12, 4)),
            (friday, Urgency::Soon, false, d(2026, 12, 9)),
            (friday, Urgency::Routine, false, d(2026, 12, 18)),
            (saturday, Urgency::Routine, true, d(2026, 12, 7)),
            (saturday, Urgency::Soon, false, d(2026, 12, 10)),
        ];
        for (at, urgency, safeguarding, expected) in table {
            assert_eq!(
                due.due_on(at, urgency, safeguarding),
                expected,
                "{at} {urgency:?} {safeguarding}"
            );
        }
        assert!(!is_overdue(d(2026, 12, 4), friday + Duration::hours(7)));
        assert!(is_overdue(d(2026, 12, 4), friday + Duration::hours(9)));
        assert_eq!(Urgency::Soon.promise(&due), "Soon: within 3 working days");
        assert_eq!(Urgency::Urgent.promise(&due), "Urgent: today");
    }

    #[test]
    fn closing_a_safeguarding_concern_at_the_front_door_needs_a_manager() {
        use ContinuumLevel::*;
        let nfa = Outcome::NoFurtherAction { reason: "x".into() };
        let signpost = Outcome::Signpost {
            suggested: "x".into(),
        };
        assert!(needs_confirmation(true, Universal, &signpost));
        assert!(needs_confirmation(true, EarlyFamilyHelp, &nfa));
        assert!(needs_confirmation(true, Universal, &nfa));
        assert!(!needs_confirmation(false, Universal, &nfa));
        assert!(!needs_confirmation(
            true,
            Specialist,
            &Outcome::StepUpToSocialCare
        ));
        let early = Outcome::OpenEarlyHelp {
            lead: UserId::new(),
        };
        assert!(!needs_confirmation(true, EarlyFamilyHelp, &early));
    }

    #[test]
    fn the_mash_number_is_said_when_configured() {
        assert!(safeguarding_now(Some("0115 000 0000"))[1].contains("0115 000 0000"));
        assert!(!safeguarding_now(None)[1].contains(" on "));
        assert!(safeguarding_now(None)[0].contains("999"));
    }

    #[test]
    fn outcomes_must_fit_the_level() {
        use ContinuumLevel::*;
        let targeted = Outcome::OpenTargeted {
            service: TargetedService::Core,
            override_reason: None,
        };
        assert!(targeted.fits(TargetedFamilyHelp));
        assert!(!targeted.fits(EarlyFamilyHelp));
        assert!(Outcome::StepUpToSocialCare.fits(Specialist));
        assert!(!Outcome::StepUpToSocialCare.fits(TargetedFamilyHelp));
        let nfa = Outcome::NoFurtherAction { reason: "x".into() };
        assert!(nfa.fits(Universal) && nfa.fits(EarlyFamilyHelp) && !nfa.fits(Specialist));
    }
}
