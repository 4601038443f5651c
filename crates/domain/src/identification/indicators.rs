//! Indicators: configuration that says which partner events, how many and how recent, point to
//! which Supporting Families headline need. A partnership words its own; [`standard`] is the
//! set issue 19 names.

use super::feed::EventKind;
use crate::need::NeedDomain;
use chrono::{Months, NaiveDate};

/// When an indicator is met by the events of one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// At least `count` events within the last `months`.
    AtLeast { count: usize, months: u32 },
    /// An attendance below `tenths` (tenths of a per cent) within the last `months`.
    AttendanceBelow { tenths: u32, months: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub code: &'static str,
    /// What the worklist says, in plain words.
    pub label: &'static str,
    pub event: EventKind,
    pub rule: Rule,
    pub need: NeedDomain,
}

/// The indicators issue 19 names, each mapped to its headline need.
pub fn standard() -> Vec<Indicator> {
    vec![
        Indicator {
            code: "attendance_under_90",
            label: "Attendance under 90% in a term",
            event: EventKind::Attendance,
            rule: Rule::AttendanceBelow {
                tenths: 900,
                months: 12,
            },
            need: NeedDomain::GoodEducation,
        },
        Indicator {
            code: "exclusion",
            label: "An exclusion from school",
            event: EventKind::Exclusion,
            rule: Rule::AtLeast {
                count: 1,
                months: 12,
            },
            need: NeedDomain::GoodEducation,
        },
        Indicator {
            code: "domestic_abuse_twice",
            label: "Two or more domestic abuse notifications in 12 months",
            event: EventKind::DomesticAbuse,
            rule: Rule::AtLeast {
                count: 2,
                months: 12,
            },
            need: NeedDomain::DomesticAbuse,
        },
        Indicator {
            code: "missing_episode",
            label: "A missing episode",
            event: EventKind::MissingEpisode,
            rule: Rule::AtLeast {
                count: 1,
                months: 12,
            },
            need: NeedDomain::SafeFromAbuseAndExploitation,
        },
        Indicator {
            code: "temporary_accommodation",
            label: "In temporary accommodation",
            event: EventKind::TemporaryAccommodation,
            rule: Rule::AtLeast {
                count: 1,
                months: 12,
            },
            need: NeedDomain::SecureHousing,
        },
    ]
}

/// One partner event about a person, with `S` saying where it came from (the app's row id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact<S> {
    pub event: EventKind,
    pub on: NaiveDate,
    pub attendance: Option<u32>,
    pub source: S,
}

/// An indicator met, with the facts that meet it (the reasons shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Met<'a, S> {
    pub indicator: &'a Indicator,
    pub evidence: Vec<&'a Fact<S>>,
}

/// The indicators met by one person's `facts` on `today`, in the configuration's order.
pub fn assess<'a, S>(
    indicators: &'a [Indicator],
    facts: &'a [Fact<S>],
    today: NaiveDate,
) -> Vec<Met<'a, S>> {
    let since = |months: u32| {
        today
            .checked_sub_months(Months::new(months))
            .unwrap_or(today)
    };
    indicators
        .iter()
        .filter_map(|i| {
            let of_kind = facts.iter().filter(|f| f.event == i.event && f.on <= today);
            let (evidence, met): (Vec<&Fact<S>>, bool) = match i.rule {
                Rule::AtLeast { count, months } => {
                    let e: Vec<_> = of_kind.filter(|f| f.on > since(months)).collect();
                    let met = count > 0 && e.len() >= count;
                    (e, met)
                }
                Rule::AttendanceBelow { tenths, months } => {
                    let e: Vec<_> = of_kind
                        .filter(|f| {
                            f.on > since(months) && f.attendance.is_some_and(|a| a < tenths)
                        })
                        .collect();
                    let met = !e.is_empty();
                    (e, met)
                }
            };
            met.then_some(Met {
                indicator: i,
                evidence,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    fn fact(event: EventKind, on: &str, attendance: Option<u32>) -> Fact<u32> {
        Fact {
            event,
            on: d(on),
            attendance,
            source: 0,
        }
    }

    /// What the case is, the facts, and the indicators met.
    type Case<'a> = (&'a str, Vec<Fact<u32>>, &'a [&'a str]);

    #[test]
    fn each_standard_indicator_is_met_or_not_as_its_rule_says() {
        use EventKind::*;
        let today = d("2025-09-01");
        let cases: &[Case] = &[
            ("nothing", vec![], &[]),
            (
                "a poor term",
                vec![fact(Attendance, "2025-07-18", Some(899))],
                &["attendance_under_90"],
            ),
            (
                "exactly 90% is not under",
                vec![fact(Attendance, "2025-07-18", Some(900))],
                &[],
            ),
            (
                "a poor term too long ago",
                vec![fact(Attendance, "2024-07-18", Some(700))],
                &[],
            ),
            (
                "one DA notification",
                vec![fact(DomesticAbuse, "2025-05-01", None)],
                &[],
            ),
            (
                "two DA notifications in 12 months",
                vec![
                    fact(DomesticAbuse, "2025-05-01", None),
                    fact(DomesticAbuse, "2024-10-01", None),
                ],
                &["domestic_abuse_twice"],
            ),
            (
                "two DA notifications 13 months apart",
                vec![
                    fact(DomesticAbuse, "2025-05-01", None),
                    fact(DomesticAbuse, "2024-08-01", None),
                ],
                &[],
            ),
            (
                "a missing episode",
                vec![fact(MissingEpisode, "2025-08-30", None)],
                &["missing_episode"],
            ),
            (
                "temporary accommodation",
                vec![fact(TemporaryAccommodation, "2025-01-10", None)],
                &["temporary_accommodation"],
            ),
            (
                "an exclusion",
                vec![fact(Exclusion, "2025-03-03", None)],
                &["exclusion"],
            ),
            (
                "rent arrears alone point nowhere",
                vec![fact(RentArrears, "2025-03-03", None)],
                &[],
            ),
            (
                "an event after today is ignored",
                vec![fact(MissingEpisode, "2025-09-02", None)],
                &[],
            ),
        ];
        let indicators = standard();
        for (what, facts, want) in cases {
            let got: Vec<&str> = assess(&indicators, facts, today)
                .iter()
                .map(|m| m.indicator.code)
                .collect();
            assert_eq!(&got, want, "{what}");
        }
    }

    #[test]
    fn the_evidence_is_the_facts_that_meet_the_rule() {
        let indicators = standard();
        let facts = vec![
            Fact {
                event: EventKind::Attendance,
                on: d("2025-07-18"),
                attendance: Some(950),
                source: 1,
            },
            Fact {
                event: EventKind::Attendance,
                on: d("2025-04-04"),
                attendance: Some(850),
                source: 2,
            },
        ];
        let met = assess(&indicators, &facts, d("2025-09-01"));
        assert_eq!(met.len(), 1);
        let sources: Vec<u32> = met[0].evidence.iter().map(|f| f.source).collect();
        assert_eq!(sources, vec![2]);
    }

    #[test]
    fn every_standard_indicator_points_to_a_headline_need() {
        for i in standard() {
            assert!(NeedDomain::ALL.contains(&i.need), "{}", i.code);
        }
    }
}
