//! The front door's rules: which queue a request joins, who should provide Targeted Family
//! Help, and what the officer must be warned of before deciding. Pure functions, table-tested.

use crate::continuum::ContinuumLevel;
use crate::need::{Concern, NeedDomain};
use crate::person::Age;
use chrono::{DateTime, Duration, Utc};

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
            Urgency::Routine => "Routine: within 10 working days",
            Urgency::Soon => "Soon: within 3 working days",
            Urgency::Urgent => "Urgent: today",
        }
    }
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
    pub fn code(self) -> &'static str {
        match self {
            Queue::Safeguarding => "safeguarding",
            Queue::Standard => "standard",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Queue::Safeguarding, Queue::Standard]
            .into_iter()
            .find(|q| q.code() == code)
    }
}

/// Where a request for support stands: being written, waiting for the front door, decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestStatus {
    Draft,
    Submitted,
    Decided,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 3] = [
        RequestStatus::Draft,
        RequestStatus::Submitted,
        RequestStatus::Decided,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Draft => "draft",
            RequestStatus::Submitted => "submitted",
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
            RequestStatus::Decided => "Decided",
        }
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

/// What a practitioner who has raised a safeguarding concern must do now, not later.
pub const SAFEGUARDING_NOW: [&str; 3] = [
    "If a child is in immediate danger, call 999 now.",
    "Phone the front door (MASH) today to talk the concern through; do not wait for this request to be read.",
    "Tell your organisation's designated safeguarding lead, and record what you saw and heard, in the words used.",
];

/// Who provides Targeted Family Help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetedService {
    /// The council's core Family Help service.
    Core,
    /// The Adolescence Service.
    Adolescence,
}

impl TargetedService {
    pub fn code(self) -> &'static str {
        match self {
            TargetedService::Core => "core",
            TargetedService::Adolescence => "adolescence",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [TargetedService::Core, TargetedService::Adolescence]
            .into_iter()
            .find(|s| s.code() == code)
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
        lead_user_id: String,
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
