//! How sure a match of a partner's row to a person on the record is. Certain matches attach to
//! the person; uncertain ones wait for a person to decide, side by side; the rest stay
//! unmatched. Scores are find-before-create's (0–100): the same full name is 50, the same date
//! of birth 30, the same postcode 12, the same UPN or NHS number 60.

/// From this score, with no close second, the match is certain: the same name and date of
/// birth at least.
pub const CERTAIN_FROM: u32 = 80;

/// From this score a person is asked: more than a shared name.
pub const REVIEW_FROM: u32 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchState {
    /// Attached to a person on the record.
    Matched,
    /// Waiting in the clerical review queue.
    Review,
    /// Nobody on the record; kept only as long as the dataset allows.
    Unmatched,
}

impl MatchState {
    pub const ALL: [MatchState; 3] = [
        MatchState::Matched,
        MatchState::Review,
        MatchState::Unmatched,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MatchState::Matched => "matched",
            MatchState::Review => "review",
            MatchState::Unmatched => "unmatched",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A reviewer's answer about one pair: a row's person and a person on the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewDecision {
    SamePerson,
    NotSamePerson,
}

impl ReviewDecision {
    pub const ALL: [ReviewDecision; 2] =
        [ReviewDecision::SamePerson, ReviewDecision::NotSamePerson];

    pub fn code(self) -> &'static str {
        match self {
            ReviewDecision::SamePerson => "same",
            ReviewDecision::NotSamePerson => "not_same",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Where a row goes, from the scores of its best and second-best candidates (after pairs a
/// reviewer already said are not the same person are left out). A close second (twins,
/// a father and son of one name) always goes to a person, however high the best.
pub fn classify(best: Option<u32>, second: Option<u32>) -> MatchState {
    match best {
        Some(b) if b >= CERTAIN_FROM && second.is_none_or(|s| s < REVIEW_FROM) => {
            MatchState::Matched
        }
        Some(b) if b >= REVIEW_FROM => MatchState::Review,
        _ => MatchState::Unmatched,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_classified_by_their_best_two_candidates() {
        use MatchState::*;
        let cases = [
            (None, None, Unmatched),
            (Some(50), None, Unmatched),
            (Some(59), Some(10), Unmatched),
            (Some(60), None, Review),
            (Some(79), None, Review),
            (Some(80), None, Matched),
            (Some(92), Some(59), Matched),
            (Some(92), Some(60), Review),
            (Some(100), Some(92), Review),
        ];
        for (best, second, want) in cases {
            assert_eq!(classify(best, second), want, "{best:?} {second:?}");
        }
    }

    #[test]
    fn codes_read_back() {
        for s in MatchState::ALL {
            assert_eq!(MatchState::from_code(s.code()), Some(s));
        }
        for d in ReviewDecision::ALL {
            assert_eq!(ReviewDecision::from_code(d.code()), Some(d));
        }
    }
}
