//! The DfE's placement stability measures, as the DfE computes them for children looked
//! after at 31 March (short breaks left out), and the warning of repeated breakdowns.
//!
//! - **Three or more placements**: a child looked after at the year's end who had three or
//!   more separate placements during the year (1 April to 31 March).
//! - **Long-term stability**: a child under 16 at the year's end, looked after continuously
//!   for at least two and a half years, who has lived in the same placement for at least two.

use super::codes::EndReason;
use chrono::{Months, NaiveDate};

/// One placement: from its first day to its end (`None` while it lasts), and why it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stay {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub ended: Option<EndReason>,
}

impl Stay {
    fn open_on(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|t| t > day)
    }
}

/// The first day of the year that ends on `year_end` (a 31 March).
fn year_start(year_end: NaiveDate) -> NaiveDate {
    year_end
        .checked_sub_months(Months::new(12))
        .and_then(|d| d.succ_opt())
        .unwrap_or(year_end)
}

/// Three or more placements during the year ending `year_end`, for a child still placed on
/// that day; `None` when the child was not looked after then and so is not counted.
pub fn three_or_more(year_end: NaiveDate, stays: &[Stay]) -> Option<bool> {
    if !stays.iter().any(|s| s.open_on(year_end)) {
        return None;
    }
    let start = year_start(year_end);
    let during = stays
        .iter()
        .filter(|s| s.from <= year_end && s.to.is_none_or(|t| t > start))
        .count();
    Some(during >= 3)
}

/// Long-term stability at `year_end`: `None` for a child the measure does not count (16 or
/// over, not looked after then, or for less than two and a half years continuously since
/// `care_since`).
pub fn long_term_stable(
    year_end: NaiveDate,
    born: NaiveDate,
    care_since: NaiveDate,
    stays: &[Stay],
) -> Option<bool> {
    let sixteen = born.checked_add_months(Months::new(16 * 12))?;
    let counted_since = year_end.checked_sub_months(Months::new(30))?;
    if sixteen <= year_end || care_since > counted_since {
        return None;
    }
    let current = stays.iter().find(|s| s.open_on(year_end))?;
    let two_years = year_end.checked_sub_months(Months::new(24))?;
    Some(current.from <= two_years)
}

/// Breakdowns in a year that call for a warning on the child's record.
pub const BREAKDOWNS_WARN: usize = 2;

/// How many placements broke down in the year to `today`, when that is enough for a warning.
pub fn breakdowns_warning(today: NaiveDate, stays: &[Stay]) -> Option<usize> {
    let since = today.checked_sub_months(Months::new(12))?;
    let n = stays
        .iter()
        .filter(|s| s.ended.is_some_and(EndReason::is_breakdown))
        .filter(|s| s.to.is_some_and(|t| t > since && t <= today))
        .count();
    (n >= BREAKDOWNS_WARN).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a date")
    }

    fn stay(from: NaiveDate, to: Option<NaiveDate>) -> Stay {
        Stay {
            from,
            to,
            ended: to.map(|_| EndReason::CarePlan),
        }
    }

    #[test]
    fn three_or_more_placements_in_the_year() {
        let end = d(2023, 3, 31);
        let table: Vec<(Vec<Stay>, Option<bool>)> = vec![
            // one long placement
            (vec![stay(d(2020, 1, 1), None)], Some(false)),
            // three in the year, the first begun the year before
            (
                vec![
                    stay(d(2022, 1, 1), Some(d(2022, 6, 1))),
                    stay(d(2022, 6, 1), Some(d(2022, 9, 1))),
                    stay(d(2022, 9, 1), None),
                ],
                Some(true),
            ),
            // one ended on the year's first day... before it: not during the year
            (
                vec![
                    stay(d(2021, 1, 1), Some(d(2022, 4, 1))),
                    stay(d(2022, 4, 1), Some(d(2022, 9, 1))),
                    stay(d(2022, 9, 1), None),
                ],
                Some(false),
            ),
            // three in the year but left care before 31 March: not counted
            (
                vec![
                    stay(d(2022, 5, 1), Some(d(2022, 6, 1))),
                    stay(d(2022, 6, 1), Some(d(2022, 9, 1))),
                    stay(d(2022, 9, 1), Some(d(2023, 3, 1))),
                ],
                None,
            ),
            // a placement beginning after the year end is not in it
            (
                vec![
                    stay(d(2022, 5, 1), Some(d(2022, 6, 1))),
                    stay(d(2022, 6, 1), None),
                    stay(d(2023, 4, 2), None),
                ],
                Some(false),
            ),
        ];
        for (i, (stays, expected)) in table.into_iter().enumerate() {
            assert_eq!(three_or_more(end, &stays), expected, "case {i}");
        }
    }

    #[test]
    fn long_term_stability_for_under_sixteens() {
        let end = d(2023, 3, 31);
        let table = [
            // 12, in care 3 years, same home 2 years and a day
            (d(2011, 1, 1), d(2020, 3, 1), d(2021, 3, 30), Some(true)),
            // moved 18 months ago
            (d(2011, 1, 1), d(2020, 3, 1), d(2021, 10, 1), Some(false)),
            // exactly two years in the placement counts
            (d(2011, 1, 1), d(2020, 3, 1), d(2021, 3, 31), Some(true)),
            // in care only two years: not counted
            (d(2011, 1, 1), d(2021, 3, 1), d(2021, 3, 1), None),
            // 16 by the year end: not counted
            (d(2007, 3, 1), d(2015, 1, 1), d(2015, 1, 1), None),
        ];
        for (born, since, placed, expected) in table {
            let stays = [stay(placed, None)];
            assert_eq!(
                long_term_stable(end, born, since, &stays),
                expected,
                "born {born}, in care since {since}, placed {placed}"
            );
        }
    }

    #[test]
    fn repeated_breakdowns_raise_a_warning() {
        let today = d(2026, 12, 5);
        let broke = |to| Stay {
            from: d(2025, 1, 1),
            to: Some(to),
            ended: Some(EndReason::CarerBehaviour),
        };
        let planned = stay(d(2025, 1, 1), Some(d(2026, 6, 1)));
        assert_eq!(breakdowns_warning(today, &[broke(d(2026, 3, 1))]), None);
        assert_eq!(
            breakdowns_warning(
                today,
                &[broke(d(2026, 3, 1)), broke(d(2026, 9, 1)), planned]
            ),
            Some(2)
        );
        // a breakdown more than a year ago no longer counts
        assert_eq!(
            breakdowns_warning(today, &[broke(d(2025, 11, 1)), broke(d(2026, 9, 1))]),
            None
        );
    }
}
