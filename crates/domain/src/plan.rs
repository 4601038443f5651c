//! The work of an episode: the whole-family assessment, the family plan and its reviews.
//! Pure rules: the 0–10 scale, when the assessment and reviews fall due, what stops a
//! closure, and how far the family has come.

use chrono::{Duration, NaiveDate};

/// The scale used in the assessment and at every review, so progress can be compared.
pub const SCALE_MAX: u8 = 10;

/// A scale as typed: empty is "not scored", otherwise a whole number from 0 to 10.
pub fn scale(value: &str) -> Result<Option<u8>, &'static str> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    match value.parse::<u8>() {
        Ok(n) if n <= SCALE_MAX => Ok(Some(n)),
        _ => Err("Enter a whole number from 0 to 10"),
    }
}

/// When the assessment is due: the partnership gives so many days from the episode's start.
pub fn assessment_due(started: NaiveDate, days: i64) -> NaiveDate {
    started + Duration::days(days)
}

/// When the next review falls if the team does not choose a date.
pub fn next_review(held_on: NaiveDate, interval_weeks: i64) -> NaiveDate {
    held_on + Duration::weeks(interval_weeks)
}

/// Where the assessment is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentStatus {
    Draft,
    Submitted,
    SignedOff,
}

impl AssessmentStatus {
    pub const ALL: [AssessmentStatus; 3] = [
        AssessmentStatus::Draft,
        AssessmentStatus::Submitted,
        AssessmentStatus::SignedOff,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AssessmentStatus::Draft => "draft",
            AssessmentStatus::Submitted => "submitted",
            AssessmentStatus::SignedOff => "signed_off",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            AssessmentStatus::Draft => "Draft",
            AssessmentStatus::Submitted => "Waiting for a manager's sign-off",
            AssessmentStatus::SignedOff => "Signed off",
        }
    }
}

/// Where an action in the plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionStatus {
    NotStarted,
    InProgress,
    Done,
    Dropped,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 4] = [
        ActionStatus::NotStarted,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::Dropped,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActionStatus::NotStarted => "not_started",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::NotStarted => "Not started",
            ActionStatus::InProgress => "In progress",
            ActionStatus::Done => "Done",
            ActionStatus::Dropped => "Dropped",
        }
    }

    /// Still to be finished: an episode cannot close while one is.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::NotStarted | ActionStatus::InProgress)
    }
}

/// Why a closure must wait, naming the plan's open actions; `None` when none are open.
pub fn closing_with_open_actions(open: &[String]) -> Option<String> {
    if open.is_empty() {
        return None;
    }
    let named: Vec<String> = open.iter().map(|a| format!("“{a}”")).collect();
    Some(format!(
        "Finish or drop the open actions before closing: {}",
        named.join(", ")
    ))
}

/// How far the family has come on one outcome or need: the first score and the latest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distance<K> {
    pub key: K,
    pub first: u8,
    pub latest: u8,
}

impl<K> Distance<K> {
    /// Positive when things got better.
    pub fn travelled(&self) -> i16 {
        i16::from(self.latest) - i16::from(self.first)
    }
}

/// Distance travelled from scores `(key, when, scale)` in any order: for each key, the
/// earliest score against the latest. Keys keep the order they first appear in.
pub fn distance_travelled<K: PartialEq + Clone, W: Ord + Clone>(
    scores: &[(K, W, u8)],
) -> Vec<Distance<K>> {
    let mut out: Vec<(Distance<K>, W, W)> = Vec::new();
    for (key, when, score) in scores {
        match out.iter_mut().find(|(d, _, _)| d.key == *key) {
            Some((d, first_at, latest_at)) => {
                if when < first_at {
                    d.first = *score;
                    *first_at = when.clone();
                }
                if when >= latest_at {
                    d.latest = *score;
                    *latest_at = when.clone();
                }
            }
            None => out.push((
                Distance {
                    key: key.clone(),
                    first: *score,
                    latest: *score,
                },
                when.clone(),
                when.clone(),
            )),
        }
    }
    out.into_iter().map(|(d, _, _)| d).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn scale_is_zero_to_ten() {
        assert_eq!(scale(""), Ok(None));
        assert_eq!(scale(" 0 "), Ok(Some(0)));
        assert_eq!(scale("10"), Ok(Some(10)));
        assert!(scale("11").is_err());
        assert!(scale("-1").is_err());
        assert!(scale("5.5").is_err());
        assert!(scale("five").is_err());
    }

    #[test]
    fn due_dates() {
        assert_eq!(assessment_due(d("2026-11-01"), 45), d("2026-12-16"));
        assert_eq!(next_review(d("2026-11-22"), 6), d("2027-01-03"));
    }

    #[test]
    fn codes_round_trip() {
        for s in AssessmentStatus::ALL {
            assert_eq!(AssessmentStatus::from_code(s.code()), Some(s));
        }
        for s in ActionStatus::ALL {
            assert_eq!(ActionStatus::from_code(s.code()), Some(s));
        }
        assert!(ActionStatus::InProgress.is_open());
        assert!(!ActionStatus::Dropped.is_open());
    }

    #[test]
    fn closing_names_the_open_actions() {
        assert_eq!(closing_with_open_actions(&[]), None);
        let msg = closing_with_open_actions(&["Book a GP visit".into(), "Call school".into()])
            .unwrap_or_default();
        assert_eq!(
            msg,
            "Finish or drop the open actions before closing: “Book a GP visit”, “Call school”"
        );
    }

    #[test]
    fn distance_from_first_to_latest() {
        let scores = [
            ("sleep", 2, 5u8),
            ("school", 1, 3),
            ("sleep", 1, 2),
            ("sleep", 3, 8),
            ("school", 2, 3),
        ];
        let got = distance_travelled(&scores);
        assert_eq!(
            got,
            vec![
                Distance {
                    key: "sleep",
                    first: 2,
                    latest: 8
                },
                Distance {
                    key: "school",
                    first: 3,
                    latest: 3
                },
            ]
        );
        assert_eq!(got[0].travelled(), 6);
        assert_eq!(got[1].travelled(), 0);
    }
}
