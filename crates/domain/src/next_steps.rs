//! What an episode's team has to do next, read from where its work stands: the first thing a
//! lead or manager looks for on the episode's overview.

use crate::episode::{due, Due, EpisodeStatus};
use crate::plan::AssessmentStatus;
use chrono::NaiveDate;

/// Where an episode's work stands, as the overview reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub status: EpisodeStatus,
    pub has_lead: bool,
    /// The assessment's status, `None` until one is started.
    pub assessment: Option<AssessmentStatus>,
    pub assessment_due_on: NaiveDate,
    pub next_review_on: NaiveDate,
    /// Disagreements not resolved by their deadline.
    pub overdue_disagreements: usize,
    pub today: NaiveDate,
}

/// One thing to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    Allocate,
    StartAssessment(Due),
    FinishAssessment(Due),
    AssessmentAwaitsSignOff,
    Review(Due),
    OverdueDisagreements(usize),
    ClosureAwaitsSignOff,
}

impl NextStep {
    pub fn describe(self) -> String {
        match self {
            NextStep::Allocate => "Allocate a lead".into(),
            NextStep::StartAssessment(d) => format!("Start the assessment ({})", d.describe()),
            NextStep::FinishAssessment(d) => format!("Finish the assessment ({})", d.describe()),
            NextStep::AssessmentAwaitsSignOff => "The assessment is waiting for sign-off".into(),
            NextStep::Review(d) => format!("Hold the plan's review ({})", d.describe()),
            NextStep::OverdueDisagreements(1) => "A disagreement is overdue".into(),
            NextStep::OverdueDisagreements(n) => format!("{n} disagreements are overdue"),
            NextStep::ClosureAwaitsSignOff => "The closure is waiting for sign-off".into(),
        }
    }

    /// Past its date: shown as a warning.
    pub fn is_overdue(self) -> bool {
        match self {
            NextStep::StartAssessment(d) | NextStep::FinishAssessment(d) | NextStep::Review(d) => {
                d.is_overdue()
            }
            NextStep::OverdueDisagreements(_) => true,
            _ => false,
        }
    }
}

/// What to do next, most pressing kind first. A closed episode has nothing to do; a review
/// shows only once it is near (within a week) or past.
pub fn next_steps(s: &Standing) -> Vec<NextStep> {
    let mut out = Vec::new();
    match s.status {
        EpisodeStatus::Closed => return out,
        EpisodeStatus::Closing => {
            out.push(NextStep::ClosureAwaitsSignOff);
            return out;
        }
        EpisodeStatus::Open => {}
    }
    if !s.has_lead {
        out.push(NextStep::Allocate);
    }
    let assessment_due = due(s.assessment_due_on, s.today);
    match s.assessment {
        None => out.push(NextStep::StartAssessment(assessment_due)),
        Some(AssessmentStatus::Draft) => out.push(NextStep::FinishAssessment(assessment_due)),
        Some(AssessmentStatus::Submitted) => out.push(NextStep::AssessmentAwaitsSignOff),
        Some(AssessmentStatus::SignedOff) => {}
    }
    let review = due(s.next_review_on, s.today);
    if !matches!(review, Due::Later(_)) {
        out.push(NextStep::Review(review));
    }
    if s.overdue_disagreements > 0 {
        out.push(NextStep::OverdueDisagreements(s.overdue_disagreements));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default()
    }

    fn open() -> Standing {
        Standing {
            status: EpisodeStatus::Open,
            has_lead: true,
            assessment: Some(AssessmentStatus::SignedOff),
            assessment_due_on: day(1),
            next_review_on: day(30),
            overdue_disagreements: 0,
            today: day(10),
        }
    }

    #[test]
    fn a_settled_episode_has_nothing_to_do() {
        assert!(next_steps(&open()).is_empty());
    }

    #[test]
    fn a_new_episode_needs_a_lead_and_an_assessment() {
        let s = Standing {
            has_lead: false,
            assessment: None,
            assessment_due_on: day(12),
            ..open()
        };
        assert_eq!(
            next_steps(&s),
            vec![NextStep::Allocate, NextStep::StartAssessment(Due::Soon(2))]
        );
        assert_eq!(
            next_steps(&s)[1].describe(),
            "Start the assessment (due in 2 days)"
        );
    }

    #[test]
    fn overdue_work_is_flagged() {
        let s = Standing {
            assessment: Some(AssessmentStatus::Draft),
            next_review_on: day(8),
            overdue_disagreements: 2,
            ..open()
        };
        let steps = next_steps(&s);
        assert_eq!(
            steps,
            vec![
                NextStep::FinishAssessment(Due::Overdue(9)),
                NextStep::Review(Due::Overdue(2)),
                NextStep::OverdueDisagreements(2),
            ]
        );
        assert!(steps.iter().all(|s| s.is_overdue()));
        assert_eq!(steps[2].describe(), "2 disagreements are overdue");
    }

    #[test]
    fn a_review_far_off_waits_and_a_submitted_assessment_waits_on_its_signer() {
        let s = Standing {
            assessment: Some(AssessmentStatus::Submitted),
            ..open()
        };
        assert_eq!(next_steps(&s), vec![NextStep::AssessmentAwaitsSignOff]);
    }

    #[test]
    fn a_closing_episode_waits_only_on_sign_off_and_a_closed_one_on_nothing() {
        let closing = Standing {
            status: EpisodeStatus::Closing,
            has_lead: false,
            ..open()
        };
        assert_eq!(next_steps(&closing), vec![NextStep::ClosureAwaitsSignOff]);
        let closed = Standing {
            status: EpisodeStatus::Closed,
            ..closing
        };
        assert!(next_steps(&closed).is_empty());
    }
}
