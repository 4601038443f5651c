//! The staged way partners settle a professional disagreement: first a conversation between
//! the practitioners, then their managers, then senior managers, each stage with days to
//! resolve it in. One set of rules for a disagreement inside an episode and for a challenge to
//! a front-door decision (seed 002: "different views about the level of support are explored
//! in conversation, then the agreed escalation process").

use chrono::{Duration, NaiveDate};

/// A stage of the escalation process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// The practitioners talk it through.
    Conversation = 1,
    /// Their managers.
    Manager = 2,
    /// Senior managers; the last stage.
    SeniorManager = 3,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Conversation, Stage::Manager, Stage::SeniorManager];

    pub fn number(self) -> i64 {
        self as i64
    }

    pub fn from_number(n: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.number() == n)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Conversation => "Stage 1: conversation",
            Stage::Manager => "Stage 2: managers",
            Stage::SeniorManager => "Stage 3: senior managers",
        }
    }

    /// Days a stage has to be resolved in.
    pub fn days(self) -> i64 {
        match self {
            Stage::Conversation => 5,
            Stage::Manager | Stage::SeniorManager => 10,
        }
    }

    /// When a disagreement raised or moved to this stage on `on` must be resolved by.
    pub fn deadline(self, on: NaiveDate) -> NaiveDate {
        on + Duration::days(self.days())
    }

    pub fn next(self) -> Option<Stage> {
        Stage::from_number(self.number() + 1)
    }
}

/// What someone asked to do with an open disagreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    NextStage,
    Resolve,
}

impl Step {
    /// The form's `action`; anything else is a resolution, the form's main button.
    pub fn from_code(code: &str) -> Self {
        if code == "next_stage" {
            Step::NextStage
        } else {
            Step::Resolve
        }
    }
}

/// What the step does to a disagreement at `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// On to `stage`, to be resolved by `deadline`.
    To {
        stage: Stage,
        deadline: NaiveDate,
    },
    Resolve,
}

/// Refused: the last stage has no next one.
pub const NO_STAGE_AFTER_THE_LAST: &str = "Stage 3 is the last stage; record the resolution";

/// Decides a step taken on `today` from `stage`.
pub fn take(stage: Stage, step: Step, today: NaiveDate) -> Result<Move, &'static str> {
    match step {
        Step::Resolve => Ok(Move::Resolve),
        Step::NextStage => stage
            .next()
            .map(|stage| Move::To {
                stage,
                deadline: stage.deadline(today),
            })
            .ok_or(NO_STAGE_AFTER_THE_LAST),
    }
}

/// How a challenge to a front-door decision ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChallengeOutcome {
    /// The decision stands.
    Upheld,
    /// The decision is to change (the front door decides again or steps the help up or down).
    Changed,
}

impl ChallengeOutcome {
    pub const ALL: [ChallengeOutcome; 2] = [ChallengeOutcome::Upheld, ChallengeOutcome::Changed];

    pub fn code(self) -> &'static str {
        match self {
            ChallengeOutcome::Upheld => "upheld",
            ChallengeOutcome::Changed => "changed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ChallengeOutcome::Upheld => "The decision stands",
            ChallengeOutcome::Changed => "The decision is changed",
        }
    }
}

/// Whole days a stage took (or has taken so far), from its start to its end or `today`.
pub fn days_taken(started: NaiveDate, ended: Option<NaiveDate>, today: NaiveDate) -> i64 {
    (ended.unwrap_or(today) - started).num_days().max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn each_stage_has_its_days_to_resolve() {
        assert_eq!(
            Stage::Conversation.deadline(d("2026-11-22")),
            d("2026-11-27")
        );
        assert_eq!(Stage::Manager.deadline(d("2026-11-22")), d("2026-12-02"));
        assert_eq!(Stage::from_number(4), None);
        for s in Stage::ALL {
            assert_eq!(Stage::from_number(s.number()), Some(s));
        }
    }

    #[test]
    fn a_disagreement_moves_on_until_the_last_stage_then_only_resolves() {
        let today = d("2026-11-22");
        assert_eq!(
            take(Stage::Conversation, Step::NextStage, today),
            Ok(Move::To {
                stage: Stage::Manager,
                deadline: d("2026-12-02")
            })
        );
        assert_eq!(
            take(Stage::SeniorManager, Step::NextStage, today),
            Err(NO_STAGE_AFTER_THE_LAST)
        );
        assert_eq!(
            take(Stage::SeniorManager, Step::Resolve, today),
            Ok(Move::Resolve)
        );
        assert_eq!(Step::from_code("next_stage"), Step::NextStage);
        assert_eq!(Step::from_code("anything"), Step::Resolve);
    }

    #[test]
    fn days_taken_counts_to_the_end_or_today() {
        assert_eq!(
            days_taken(d("2026-11-01"), Some(d("2026-11-04")), d("2026-12-01")),
            3
        );
        assert_eq!(days_taken(d("2026-11-01"), None, d("2026-11-02")), 1);
    }
}
