//! Quality assurance of case files: a sample of episodes drawn at random (with a seed, so the
//! draw can be shown to be fair and repeated) or by criteria, each graded question by question
//! against the partnership's audit form, the overall grade by one published rule, a second
//! auditor's moderation, and actions back to the worker.

use crate::episode::EpisodeLevel;
use crate::ids::{EpisodeId, TeamId, UserId};
use chrono::NaiveDate;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

/// The four grades inspection uses, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grade {
    Outstanding,
    Good,
    RequiresImprovement,
    Inadequate,
}

impl Grade {
    pub const ALL: [Grade; 4] = [
        Grade::Outstanding,
        Grade::Good,
        Grade::RequiresImprovement,
        Grade::Inadequate,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Grade::Outstanding => "outstanding",
            Grade::Good => "good",
            Grade::RequiresImprovement => "requires_improvement",
            Grade::Inadequate => "inadequate",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Grade::Outstanding => "Outstanding",
            Grade::Good => "Good",
            Grade::RequiresImprovement => "Requires improvement",
            Grade::Inadequate => "Inadequate",
        }
    }

    /// 4 for outstanding down to 1 for inadequate: how the rule and the themes count.
    pub fn score(self) -> u8 {
        match self {
            Grade::Outstanding => 4,
            Grade::Good => 3,
            Grade::RequiresImprovement => 2,
            Grade::Inadequate => 1,
        }
    }

    fn from_score(score: u8) -> Grade {
        match score {
            4.. => Grade::Outstanding,
            3 => Grade::Good,
            2 => Grade::RequiresImprovement,
            _ => Grade::Inadequate,
        }
    }
}

/// The overall grade of a case file from its answers: the average to the nearest grade, a
/// half rounded down (a file is only as good as it has shown), and never more than one grade
/// better than its worst answer, so one inadequate answer cannot be averaged away. None when
/// nothing was graded.
pub fn overall(grades: &[Grade]) -> Option<Grade> {
    let worst = grades.iter().map(|g| g.score()).min()?;
    let total: usize = grades.iter().map(|g| usize::from(g.score())).sum();
    let n = grades.len();
    // total / n to the nearest whole number, halves down, in integers.
    let average = u8::try_from((2 * total + n - 1) / (2 * n)).unwrap_or(4);
    Some(Grade::from_score(average.min(worst + 1)))
}

/// Which episodes a sample is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseState {
    Open,
    Closed,
    Any,
}

impl CaseState {
    pub const ALL: [CaseState; 3] = [CaseState::Any, CaseState::Open, CaseState::Closed];

    pub fn code(self) -> &'static str {
        match self {
            CaseState::Open => "open",
            CaseState::Closed => "closed",
            CaseState::Any => "any",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseState::Open => "Open case files",
            CaseState::Closed => "Closed case files",
            CaseState::Any => "Open or closed",
        }
    }
}

/// The criteria a sample is drawn by: episodes that started in the period, of one team and
/// one level if chosen, open or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Criteria {
    pub team: Option<TeamId>,
    pub level: Option<EpisodeLevel>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub state: CaseState,
}

/// How the files are chosen among those that meet the criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Draw {
    /// At random, from this seed: the same seed over the same files gives the same sample.
    Random { seed: u64 },
    /// The most recently started files.
    Latest,
}

/// The most files one sample may hold: an audit is hours of reading each.
pub const SAMPLE_MAX: usize = 20;

/// Chooses `size` of the `candidates` (the most recently started first). A random draw
/// shuffles them in their id order with a generator seeded from the sample's seed, so the
/// same seed over the same files gives the same sample.
pub fn draw(mut candidates: Vec<EpisodeId>, size: usize, how: Draw) -> Vec<EpisodeId> {
    let size = size.min(SAMPLE_MAX);
    if let Draw::Random { seed } = how {
        candidates.sort();
        candidates.shuffle(&mut StdRng::seed_from_u64(seed));
    }
    candidates.truncate(size);
    candidates
}

/// Where a case-file audit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// In the sample, waiting for an auditor.
    Drawn,
    /// Graded by the first auditor, waiting for moderation.
    Graded,
    /// A second auditor agreed or changed the grade.
    Moderated,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Drawn, Stage::Graded, Stage::Moderated];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Drawn => "drawn",
            Stage::Graded => "graded",
            Stage::Moderated => "moderated",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Drawn => "To audit",
            Stage::Graded => "To moderate",
            Stage::Moderated => "Moderated",
        }
    }
}

/// Why a moderation cannot be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModerationProblem {
    /// Moderation is a second pair of eyes: the first auditor cannot moderate their own grade.
    OwnAudit,
    /// Changing the grade needs the reasons, for the first auditor to learn from.
    ReasonsNeeded,
}

/// Whether `moderator` may moderate `auditor`'s grade to `moderated` with these `reasons`.
pub fn moderate(
    auditor: UserId,
    moderator: UserId,
    graded: Grade,
    moderated: Grade,
    reasons: &str,
) -> Result<(), ModerationProblem> {
    if auditor == moderator {
        Err(ModerationProblem::OwnAudit)
    } else if graded != moderated && reasons.trim().is_empty() {
        Err(ModerationProblem::ReasonsNeeded)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Grade::*;

    #[test]
    fn codes_read_back() {
        for g in Grade::ALL {
            assert_eq!(Grade::from_code(g.code()), Some(g));
        }
        for s in Stage::ALL {
            assert_eq!(Stage::from_code(s.code()), Some(s));
        }
        for s in CaseState::ALL {
            assert_eq!(CaseState::from_code(s.code()), Some(s));
        }
        assert_eq!(Grade::from_code("excellent"), None);
    }

    #[test]
    fn the_overall_grade_is_the_nearest_halves_down_and_within_one_of_the_worst() {
        assert_eq!(overall(&[]), None);
        assert_eq!(overall(&[Outstanding, Outstanding]), Some(Outstanding));
        assert_eq!(overall(&[Outstanding, Good]), Some(Good));
        assert_eq!(overall(&[Good, Good, RequiresImprovement]), Some(Good));
        assert_eq!(
            overall(&[Good, RequiresImprovement]),
            Some(RequiresImprovement)
        );
        // one inadequate answer among outstanding ones limits the file to requires improvement
        assert_eq!(
            overall(&[Outstanding, Outstanding, Outstanding, Inadequate]),
            Some(RequiresImprovement)
        );
        assert_eq!(overall(&[Inadequate]), Some(Inadequate));
    }

    #[test]
    fn a_random_draw_is_repeatable_from_its_seed_and_holds_no_duplicates() {
        let files: Vec<EpisodeId> = (0..30).map(|_| EpisodeId::new()).collect();
        let mut reversed = files.clone();
        reversed.reverse();
        let a = draw(files.clone(), 5, Draw::Random { seed: 42 });
        // the order the files were found in does not change the sample
        assert_eq!(a, draw(reversed, 5, Draw::Random { seed: 42 }));
        assert_ne!(a, draw(files.clone(), 5, Draw::Random { seed: 43 }));
        let mut unique = a.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 5);
        assert!(a.iter().all(|e| files.contains(e)));
    }

    #[test]
    fn a_draw_by_criteria_takes_the_first_files_and_no_more_than_the_maximum() {
        let files: Vec<EpisodeId> = (0..30).map(|_| EpisodeId::new()).collect();
        assert_eq!(draw(files.clone(), 3, Draw::Latest), files[..3].to_vec());
        assert_eq!(draw(files.clone(), 100, Draw::Latest).len(), SAMPLE_MAX);
        assert_eq!(
            draw(files[..2].to_vec(), 5, Draw::Random { seed: 1 }).len(),
            2
        );
    }

    #[test]
    fn moderation_needs_a_second_auditor_and_reasons_for_a_change() {
        let (a, b) = (UserId::new(), UserId::new());
        assert_eq!(
            moderate(a, a, Good, Good, "agree"),
            Err(ModerationProblem::OwnAudit)
        );
        assert_eq!(moderate(a, b, Good, Good, ""), Ok(()));
        assert_eq!(
            moderate(a, b, Good, RequiresImprovement, "  "),
            Err(ModerationProblem::ReasonsNeeded)
        );
        assert_eq!(
            moderate(a, b, Good, RequiresImprovement, "the plan has no dates"),
            Ok(())
        );
    }
}
