//! A period of care's legal status over time (ADR 0055): the status care began with, then each
//! change on its day. The 903 return writes a new episode for each change (`RNE` `L`), so a
//! change must fall within the period, be the only one that day, and change something.

use super::LegalStatus;
use chrono::NaiveDate;

/// Why a change cannot be recorded, on the part of it that is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeProblem {
    /// The day it changed.
    Day(String),
    /// The status it changed to.
    Status(String),
}

impl ChangeProblem {
    pub fn message(&self) -> &str {
        match self {
            ChangeProblem::Day(m) | ChangeProblem::Status(m) => m,
        }
    }
}

/// One period's legal status history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusHistory {
    pub began_on: NaiveDate,
    pub began_with: LegalStatus,
    pub ended_on: Option<NaiveDate>,
    /// Each change with its day, in any order.
    pub changes: Vec<(NaiveDate, LegalStatus)>,
}

impl StatusHistory {
    /// The legal status in force on `day`: the latest change on or before it, else the one care
    /// began with.
    pub fn on(&self, day: NaiveDate) -> LegalStatus {
        self.changes
            .iter()
            .filter(|(d, _)| *d <= day)
            .max_by_key(|(d, _)| *d)
            .map_or(self.began_with, |(_, s)| *s)
    }

    /// Whether the status may change to `to` on `day` (`today` the latest day allowed); the
    /// reason, in words for the person recording it, when not.
    pub fn check(
        &self,
        day: NaiveDate,
        to: LegalStatus,
        today: NaiveDate,
    ) -> Result<(), ChangeProblem> {
        use ChangeProblem::{Day, Status};
        let uk = |d: NaiveDate| d.format("%-d %B %Y").to_string();
        if day > today {
            return Err(Day(
                "The day the legal status changed must be today or in the past".into(),
            ));
        }
        if day <= self.began_on {
            return Err(Day(format!(
                "The day the legal status changed must be after the child came into care ({}); to correct the status care began with, end this period and record it again",
                uk(self.began_on)
            )));
        }
        if let Some(ended) = self.ended_on.filter(|e| day > *e) {
            return Err(Day(format!(
                "The day the legal status changed must be on or before the care ended ({})",
                uk(ended)
            )));
        }
        if self.changes.iter().any(|(d, _)| *d == day) {
            return Err(Day(format!(
                "A change of legal status is recorded on {} already: the 903 return has one a day",
                uk(day)
            )));
        }
        let before = self.on(day);
        if before == to {
            return Err(Status(format!(
                "The legal status on {} is {} already: choose the status it changed to",
                uk(day),
                to.code()
            )));
        }
        let next = self
            .changes
            .iter()
            .filter(|(d, _)| *d > day)
            .min_by_key(|(d, _)| *d);
        if let Some((d, s)) = next.filter(|(_, s)| *s == to) {
            return Err(Day(format!(
                "The status changes to {} on {} already: record the day it first changed instead",
                s.code(),
                uk(*d)
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LegalStatus::{C1, C2, E1, V2};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a date")
    }

    fn history() -> StatusHistory {
        StatusHistory {
            began_on: d(2025, 1, 10),
            began_with: V2,
            ended_on: None,
            changes: vec![(d(2025, 6, 1), C2), (d(2025, 3, 1), C1)],
        }
    }

    #[test]
    fn the_status_on_a_day_is_the_latest_change_by_then() {
        let h = history();
        assert_eq!(h.on(d(2025, 1, 10)), V2);
        assert_eq!(h.on(d(2025, 2, 28)), V2);
        assert_eq!(h.on(d(2025, 3, 1)), C1);
        assert_eq!(h.on(d(2025, 5, 31)), C1);
        assert_eq!(h.on(d(2026, 1, 1)), C2);
    }

    #[test]
    fn a_change_must_fall_within_the_period_and_change_something() {
        let h = history();
        let today = d(2026, 12, 6);
        let cases: [(NaiveDate, LegalStatus, Option<&str>); 8] = [
            (d(2026, 1, 5), E1, None),
            (
                d(2025, 4, 1),
                C2,
                Some("changes to C2 on 1 June 2025 already"),
            ),
            (d(2025, 4, 1), V2, None),
            (d(2026, 12, 7), E1, Some("today or in the past")),
            (
                d(2025, 1, 10),
                C1,
                Some("after the child came into care (10 January 2025)"),
            ),
            (d(2024, 12, 1), C1, Some("after the child came into care")),
            (d(2025, 6, 1), E1, Some("recorded on 1 June 2025 already")),
            (d(2025, 7, 1), C2, Some("is C2 already")),
        ];
        for (day, to, why) in cases {
            match (h.check(day, to, today), why) {
                (Ok(()), None) => {}
                (Err(e), Some(w)) => assert!(e.message().contains(w), "{day} {to:?}: {e:?}"),
                (got, want) => panic!("{day} {to:?}: got {got:?}, wanted {want:?}"),
            }
        }
    }

    #[test]
    fn an_ended_period_takes_changes_only_up_to_its_end() {
        let mut h = history();
        h.ended_on = Some(d(2025, 9, 30));
        let today = d(2026, 12, 6);
        assert!(h.check(d(2025, 9, 30), E1, today).is_ok());
        let e = h
            .check(d(2025, 10, 1), E1, today)
            .expect_err("after the end");
        assert!(
            matches!(&e, ChangeProblem::Day(m) if m.contains("on or before the care ended (30 September 2025)")),
            "{e:?}"
        );
        let e = h.check(d(2025, 7, 1), C2, today).expect_err("no change");
        assert!(matches!(e, ChangeProblem::Status(_)), "{e:?}");
    }
}
