//! The tasks Hearth sets by itself when work waits for someone: no form creates them, and the
//! step that does the work marks them done.

/// What a task asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskKind {
    /// Allocate a family help worker to an episode that arrived.
    Allocate,
    /// A manager of the owning team signs off a recorded closure…
    SignOffClosure,
    /// …or a submitted assessment.
    SignOffAssessment,
    /// The lead reworks an assessment, or a closure, the manager sent back.
    ReworkAssessment,
    ReworkClosure,
    /// After closing, once the outcomes have had their time (six months unless the outcome
    /// framework says otherwise): were they sustained? Answered on the sustainment check.
    SustainedFollowUp,
    /// A manager or the data protection officer reviews a break-glass opening.
    BreakGlassReview,
    /// A manager confirms (or sends back) a front-door decision that closes a safeguarding
    /// concern.
    ConfirmDecision,
    /// The worker acts on what a case-file audit found, by the date the auditor set.
    QualityAction,
}

impl TaskKind {
    pub const ALL: [TaskKind; 9] = [
        TaskKind::Allocate,
        TaskKind::SignOffClosure,
        TaskKind::SignOffAssessment,
        TaskKind::ReworkAssessment,
        TaskKind::ReworkClosure,
        TaskKind::SustainedFollowUp,
        TaskKind::BreakGlassReview,
        TaskKind::ConfirmDecision,
        TaskKind::QualityAction,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TaskKind::Allocate => "allocate",
            TaskKind::SignOffClosure => "sign_off_closure",
            TaskKind::SignOffAssessment => "sign_off_assessment",
            TaskKind::ReworkAssessment => "rework_assessment",
            TaskKind::ReworkClosure => "rework_closure",
            TaskKind::SustainedFollowUp => "sustained_follow_up",
            TaskKind::BreakGlassReview => "break_glass_review",
            TaskKind::ConfirmDecision => "confirm_decision",
            TaskKind::QualityAction => "quality_action",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_code() {
        for k in TaskKind::ALL {
            assert_eq!(TaskKind::from_code(k.code()), Some(k));
        }
        assert_eq!(TaskKind::from_code("tidy_up"), None);
    }
}
