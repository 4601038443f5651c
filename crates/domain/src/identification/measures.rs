//! When a family was identified, for the worklist's measures in the KPI catalogue (ADR 0057):
//! the first day on which its members' partner events, as far as the partnership knew them
//! that day (imported by then), met indicators in enough headline needs, with nobody in the
//! family in an open episode. Worked out from the record under today's indicators, like every
//! other figure (ADR 0027), so no day is stored that a later change to the record or the
//! indicators would make wrong.

use super::indicators::{assess, Fact, Indicator};
use super::worklist::identified;
use crate::need::NeedDomain;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// One partner event about a family member, with the day the partnership knew it (its file's
/// import).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub fact: Fact<()>,
    pub known_on: NaiveDate,
}

/// What one member of a family brings: their partner events, and their episodes of help (the
/// day each started, and ended if it has).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberHistory {
    pub known: Vec<Known>,
    pub helped: Vec<(NaiveDate, Option<NaiveDate>)>,
}

/// The first day, up to `today`, on which a family whose members are `members` belonged on the
/// worklist under `indicators`, if it ever did. A family can only become identified on a day
/// something was learnt about it or a member's help ended, so only those days are tried.
pub fn identified_on(
    indicators: &[Indicator],
    members: &[MemberHistory],
    today: NaiveDate,
) -> Option<NaiveDate> {
    let days: BTreeSet<NaiveDate> = members
        .iter()
        .flat_map(|m| {
            m.known
                .iter()
                .map(|k| k.known_on)
                .chain(m.helped.iter().filter_map(|(_, end)| *end))
        })
        .filter(|d| *d <= today)
        .collect();
    days.into_iter().find(|day| {
        let needs: BTreeSet<NeedDomain> = members
            .iter()
            .flat_map(|m| {
                let facts: Vec<Fact<()>> = m
                    .known
                    .iter()
                    .filter(|k| k.known_on <= *day)
                    .map(|k| k.fact.clone())
                    .collect();
                assess(indicators, &facts, *day)
                    .into_iter()
                    .flat_map(|met| met.indicator.needs.clone())
                    .collect::<Vec<_>>()
            })
            .collect();
        let helped = members.iter().any(|m| {
            m.helped
                .iter()
                .any(|(start, end)| *start <= *day && end.is_none_or(|e| e > *day))
        });
        identified(&needs, helped)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identification::feed::EventKind;
    use crate::identification::indicators::standard;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    fn known(event: EventKind, on: &str, attendance: Option<u32>, known_on: &str) -> Known {
        Known {
            fact: Fact {
                event,
                on: d(on),
                attendance,
                source: (),
            },
            known_on: d(known_on),
        }
    }

    #[test]
    fn a_family_is_identified_on_the_first_day_the_partnership_knew_enough() {
        use EventKind::*;
        let today = d("2025-09-01");
        let poor_term = known(Attendance, "2025-04-01", Some(850), "2025-04-20");
        let missing = known(MissingEpisode, "2025-05-02", None, "2025-05-10");
        let housed = known(TemporaryAccommodation, "2025-06-01", None, "2025-07-01");
        let old_missing = known(MissingEpisode, "2023-05-02", None, "2023-05-10");
        let member = |known: Vec<Known>| MemberHistory {
            known,
            helped: vec![],
        };
        // What the case is, the members, and the day identified.
        let cases: Vec<(&str, Vec<MemberHistory>, Option<&str>)> = vec![
            ("nothing known", vec![], None),
            ("one need only", vec![member(vec![poor_term.clone()])], None),
            (
                "two needs, the day the second was imported",
                vec![
                    member(vec![poor_term.clone()]),
                    member(vec![missing.clone()]),
                ],
                Some("2025-05-10"),
            ),
            (
                "the needs of one person count too",
                vec![member(vec![housed.clone(), poor_term.clone()])],
                Some("2025-07-01"),
            ),
            (
                "an event past its window when the other was known does not count",
                vec![member(vec![poor_term.clone(), old_missing])],
                None,
            ),
            (
                "in help then: identified the day the help ended",
                vec![
                    member(vec![poor_term.clone()]),
                    MemberHistory {
                        known: vec![missing.clone()],
                        helped: vec![(d("2025-01-01"), Some(d("2025-06-15")))],
                    },
                ],
                Some("2025-06-15"),
            ),
            (
                "in help still: not identified",
                vec![MemberHistory {
                    known: vec![poor_term.clone(), missing.clone()],
                    helped: vec![(d("2025-01-01"), None)],
                }],
                None,
            ),
            (
                "known only after today: not yet",
                vec![member(vec![
                    poor_term,
                    known(MissingEpisode, "2025-08-30", None, "2025-09-02"),
                ])],
                None,
            ),
        ];
        let indicators = standard();
        for (what, members, want) in cases {
            assert_eq!(
                identified_on(&indicators, &members, today),
                want.map(d),
                "{what}"
            );
        }
    }
}
