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

/// When the assessment is still to be done, its date: the date recorded on it while it is a
/// draft, or the partnership's days from the start before one is begun; `None` once it is
/// submitted. `recorded` is the assessment's status and date, if there is one.
pub fn assessment_pending(
    recorded: Option<(AssessmentStatus, NaiveDate)>,
    started: NaiveDate,
    due_days: i64,
) -> Option<NaiveDate> {
    match recorded {
        None => Some(assessment_due(started, due_days)),
        Some((AssessmentStatus::Draft, on)) => Some(on),
        Some(_) => None,
    }
}

/// The date of an episode's next review: the one the latest review chose, or the partnership's
/// interval from the start before any review is held.
pub fn review_due(
    latest_chosen: Option<NaiveDate>,
    started: NaiveDate,
    interval_weeks: i64,
) -> NaiveDate {
    latest_chosen.unwrap_or_else(|| next_review(started, interval_weeks))
}

/// When the next visit is due: so many days after the last one recorded (or, before any, after
/// the help began).
pub fn next_visit(last: NaiveDate, interval_days: i64) -> NaiveDate {
    last + Duration::days(interval_days)
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

/// What an assessment has answered, for deciding whether it can go for sign-off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Answered {
    pub child_voice: bool,
    pub parent_voice: bool,
    /// At least one need assessed (or, in the brief assessment, identified) for someone.
    pub needs: bool,
    pub next_step: bool,
}

/// What is still missing before an assessment on this route can be submitted: (field,
/// message) pairs. Both routes hear the child and the parents and name a need; the brief
/// assessment, being short, must also say what happens next.
pub fn missing_for_submission(
    route: crate::episode::Route,
    a: Answered,
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if !a.child_voice {
        out.push(("child_voice", "Enter what the child says, in their words"));
    }
    if !a.parent_voice {
        out.push(("parent_voice", "Enter what the parents say, in their words"));
    }
    if !a.needs {
        out.push((
            "entries",
            match route {
                crate::episode::Route::Brief => {
                    "Choose at least one need identified for one family member before submitting"
                }
                crate::episode::Route::Full => {
                    "Assess at least one need for one family member before submitting"
                }
            },
        ));
    }
    if route == crate::episode::Route::Brief && !a.next_step {
        out.push(("next_step", "Enter the next step agreed with the family"));
    }
    out
}

/// Where an action in the plan stands. Kept in a plan's saved versions by its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
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

/// A mean of 0–10 scores, kept in tenths so it compares and prints exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tenths(pub u16);

impl Tenths {
    /// The mean, rounded to the nearest tenth; `None` for no scores.
    pub fn mean(scores: &[u8]) -> Option<Tenths> {
        if scores.is_empty() {
            return None;
        }
        let sum: u32 = scores.iter().map(|s| u32::from(*s)).sum();
        let n = scores.len() as u32;
        u16::try_from((sum * 20 + n) / (2 * n)).ok().map(Tenths)
    }
}

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_multiple_of(10) {
            write!(f, "{}", self.0 / 10)
        } else {
            write!(f, "{}.{}", self.0 / 10, self.0 % 10)
        }
    }
}

/// How far the family has come on one need: where the whole-family assessment put each
/// member on it, against the latest review's scores on the outcomes that work on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedDistance<D, P, W> {
    pub domain: D,
    /// Each scored member's 0–10 at the assessment.
    pub start: Vec<(P, u8)>,
    /// The latest review that scored an outcome on this need: when, and its mean score.
    pub now: Option<(W, Tenths)>,
}

impl<D, P, W> NeedDistance<D, P, W> {
    /// The members' mean at the start.
    pub fn start_mean(&self) -> Option<Tenths> {
        let scores: Vec<u8> = self.start.iter().map(|(_, s)| *s).collect();
        Tenths::mean(&scores)
    }

    /// Tenths gained (negative when things got worse); `None` until both ends are scored.
    pub fn travelled(&self) -> Option<i32> {
        let start = self.start_mean()?;
        let (_, now) = self.now.as_ref()?;
        Some(i32::from(now.0) - i32::from(start.0))
    }
}

/// Distance travelled per need. `assessed` is (member, need, score) from the assessment;
/// `reviewed` is (need, review date, score) for every outcome score at every review, once
/// for each need the outcome works on. Needs keep the order they first appear in, assessed
/// first.
pub fn need_distance<D: PartialEq + Clone, P: Clone, W: Ord + Clone>(
    assessed: &[(P, D, u8)],
    reviewed: &[(D, W, u8)],
) -> Vec<NeedDistance<D, P, W>> {
    let mut out: Vec<NeedDistance<D, P, W>> = Vec::new();
    let domains = assessed
        .iter()
        .map(|(_, d, _)| d)
        .chain(reviewed.iter().map(|(d, _, _)| d));
    for d in domains {
        if out.iter().any(|n| n.domain == *d) {
            continue;
        }
        let start = assessed
            .iter()
            .filter(|(_, ad, _)| ad == d)
            .map(|(p, _, s)| (p.clone(), *s))
            .collect();
        let latest = reviewed
            .iter()
            .filter(|(rd, _, _)| rd == d)
            .map(|(_, w, _)| w)
            .max();
        let now = latest.and_then(|w| {
            let scores: Vec<u8> = reviewed
                .iter()
                .filter(|(rd, rw, _)| rd == d && rw == w)
                .map(|(_, _, s)| *s)
                .collect();
            Tenths::mean(&scores).map(|m| (w.clone(), m))
        });
        out.push(NeedDistance {
            domain: d.clone(),
            start,
            now,
        });
    }
    out
}

#[cfg(test)]
mod submission_tests {
    use super::*;
    use crate::episode::Route;

    #[test]
    fn the_brief_assessment_needs_a_next_step_and_the_full_one_does_not() {
        let all = Answered {
            child_voice: true,
            parent_voice: true,
            needs: true,
            next_step: false,
        };
        assert_eq!(missing_for_submission(Route::Full, all), vec![]);
        let brief = missing_for_submission(Route::Brief, all);
        assert_eq!(brief.len(), 1);
        assert_eq!(brief[0].0, "next_step");
    }

    #[test]
    fn nothing_answered_names_every_gap() {
        let fields: Vec<_> = missing_for_submission(Route::Brief, Answered::default())
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            ["child_voice", "parent_voice", "entries", "next_step"]
        );
    }
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
        let start = d("2026-11-01");
        assert_eq!(assessment_pending(None, start, 45), Some(d("2026-12-16")));
        assert_eq!(
            assessment_pending(Some((AssessmentStatus::Draft, d("2026-12-01"))), start, 45),
            Some(d("2026-12-01"))
        );
        assert_eq!(
            assessment_pending(
                Some((AssessmentStatus::Submitted, d("2026-12-01"))),
                start,
                45
            ),
            None
        );
        assert_eq!(
            assessment_pending(
                Some((AssessmentStatus::SignedOff, d("2026-12-01"))),
                start,
                45
            ),
            None
        );
        assert_eq!(review_due(None, start, 6), d("2026-12-13"));
        assert_eq!(review_due(Some(d("2027-01-05")), start, 6), d("2027-01-05"));
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

    #[test]
    fn tenths_round_to_the_nearest() {
        assert_eq!(Tenths::mean(&[]), None);
        assert_eq!(Tenths::mean(&[3]), Some(Tenths(30)));
        assert_eq!(Tenths::mean(&[3, 4]), Some(Tenths(35)));
        // 10/3 = 3.33… and 20/3 = 6.66…
        assert_eq!(Tenths::mean(&[3, 3, 4]), Some(Tenths(33)));
        assert_eq!(Tenths::mean(&[6, 7, 7]), Some(Tenths(67)));
        assert_eq!(Tenths(35).to_string(), "3.5");
        assert_eq!(Tenths(70).to_string(), "7");
    }

    #[test]
    fn need_distance_compares_the_assessment_with_the_latest_review() {
        let assessed = [
            ("Kayla", "relationships", 3),
            ("Donna", "relationships", 4),
            ("Kayla", "education", 2),
            ("Donna", "housing", 5),
        ];
        let reviewed = [
            ("relationships", d("2026-01-10"), 5),
            ("relationships", d("2026-03-01"), 8),
            ("relationships", d("2026-03-01"), 7),
            ("education", d("2026-01-10"), 4),
            ("health", d("2026-03-01"), 6),
        ];
        let out = need_distance(&assessed, &reviewed);
        let keys: Vec<&str> = out.iter().map(|n| n.domain).collect();
        assert_eq!(keys, ["relationships", "education", "housing", "health"]);
        let rel = &out[0];
        assert_eq!(rel.start, vec![("Kayla", 3), ("Donna", 4)]);
        assert_eq!(rel.start_mean(), Some(Tenths(35)));
        assert_eq!(rel.now, Some((d("2026-03-01"), Tenths(75))));
        assert_eq!(rel.travelled(), Some(40));
        assert_eq!(out[1].travelled(), Some(20));
        // Scored at the start, not reviewed yet; reviewed, not scored at the start.
        assert_eq!(out[2].now, None);
        assert_eq!(out[2].travelled(), None);
        assert!(out[3].start.is_empty());
        assert_eq!(out[3].travelled(), None);
        assert!(need_distance::<&str, &str, NaiveDate>(&[], &[]).is_empty());
    }
}
