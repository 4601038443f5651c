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

/// A best candidate this far ahead of the second is certain even with a second from
/// [`REVIEW_FROM`]: a whole first name's worth (a short form of it scores 20), as between
/// twins (the same surname, date of birth and postcode) when the row names one of them.
pub const AHEAD_BY: u32 = 20;

/// A name is uncommon when no more than one person in this many on the record holds it (or
/// only the person matched does, on a small record): then another of that name living at the
/// same postcode, a few dozen households, is a one-in-hundreds coincidence.
pub const UNCOMMON_NAME_ONE_IN: usize = 10_000;

/// What a partner's row and its best candidates show: their scores, and, for a row without a
/// date of birth, what else decides it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evidence {
    pub best: Option<u32>,
    pub second: Option<u32>,
    /// The row has no date of birth and the best candidate has its first name, surname and
    /// postcode, all the same.
    pub name_and_postcode_only: bool,
    /// Someone else who lives at the row's postcode, or whose address is not known (a
    /// restricted record's never is), has a name like the row's: a mother Amelia beside her
    /// daughter Amelia Rebecca whose record is restricted, a sister Amelia beside an Emily
    /// written as Amelia.
    pub alike_at_postcode: bool,
    /// How many people on the record hold the row's first name and surname (as their name now
    /// or one they were known by), the best candidate among them.
    pub holders: usize,
    /// How many people the record holds.
    pub register: usize,
}

impl Evidence {
    fn uncommon_name(&self) -> bool {
        self.holders >= 1 && self.holders <= (self.register / UNCOMMON_NAME_ONE_IN).max(1)
    }
}

/// Where a row goes and, when more than its scores decided it, why in words. Beyond
/// [`classify`]: a best a whole first name ahead of its second ([`AHEAD_BY`]) is certain; and
/// so is a row without a date of birth whose best candidate has its name and postcode, when
/// the name is uncommon ([`UNCOMMON_NAME_ONE_IN`]), nobody else at the postcode has a name
/// like it and nobody else scores from [`REVIEW_FROM`].
pub fn classify_row(e: &Evidence) -> (MatchState, Option<String>) {
    let by_scores = classify(e.best, e.second);
    let (Some(best), second) = (e.best, e.second.unwrap_or(0)) else {
        return (by_scores, None);
    };
    match by_scores {
        MatchState::Review if best >= CERTAIN_FROM && best >= second + AHEAD_BY => (
            MatchState::Matched,
            Some(format!(
                "the next closest person on the record is {} points behind",
                best - second
            )),
        ),
        MatchState::Review
            if e.name_and_postcode_only
                && e.uncommon_name()
                && !e.alike_at_postcode
                && second < REVIEW_FROM =>
        {
            let why = match e.holders {
                1 => "no date of birth given: the only person on the record with this name, at the same postcode".to_string(),
                n => format!(
                    "no date of birth given: the same name and postcode, a name {n} people on the record hold, none other at this postcode"
                ),
            };
            (MatchState::Matched, Some(why))
        }
        state => (state, None),
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
    fn a_clear_lead_or_the_only_holder_of_a_name_at_the_postcode_is_certain() {
        use MatchState::*;
        let e = |best: u32, second: Option<u32>, named: bool, holders: usize| Evidence {
            best: Some(best),
            second,
            name_and_postcode_only: named,
            alike_at_postcode: false,
            holders,
            register: 500,
        };
        let city = |holders: usize| Evidence {
            holders,
            register: 500_000,
            ..e(62, None, true, 0)
        };
        let cases = [
            // Twins named apart: the row's first name puts one a name's worth ahead.
            (e(92, Some(67), false, 0), Matched, true),
            (e(87, Some(67), false, 0), Matched, true),
            // Closer than a first name: twins of alike names, duplicates, a typo away.
            (e(92, Some(84), false, 0), Review, false),
            (e(100, Some(92), false, 0), Review, false),
            (e(80, Some(61), false, 0), Review, false),
            // Below certain, however far ahead.
            (e(79, None, false, 0), Review, false),
            (e(79, Some(10), false, 1), Review, false),
            // No date of birth: name and postcode, and nobody else holds the name.
            (e(62, None, true, 1), Matched, true),
            (e(62, Some(37), true, 1), Matched, true),
            (e(62, None, true, 2), Review, false),
            (e(62, None, true, 0), Review, false),
            (e(62, Some(60), true, 1), Review, false),
            (e(62, None, false, 1), Review, false),
            // Someone else at the postcode has a name like it: a sibling, a nickname.
            (
                Evidence {
                    alike_at_postcode: true,
                    ..e(62, Some(57), true, 1)
                },
                Review,
                false,
            ),
            // On a city's record, a name fifty hold is uncommon; fifty-one is not.
            (city(50), Matched, true),
            (city(51), Review, false),
            (city(0), Review, false),
            // What the scores already decide is left alone.
            (e(92, Some(59), false, 0), Matched, false),
            (e(50, None, true, 1), Unmatched, false),
        ];
        for (evidence, want, worded) in cases {
            let (state, why) = classify_row(&evidence);
            assert_eq!((state, why.is_some()), (want, worded), "{evidence:?}");
        }
        assert_eq!(classify_row(&Evidence::default()), (Unmatched, None));
        let (_, why) = classify_row(&e(92, Some(67), false, 0));
        assert_eq!(
            why.as_deref(),
            Some("the next closest person on the record is 25 points behind")
        );
        let (_, why) = classify_row(&city(12));
        assert!(why.is_some_and(|w| w.contains("a name 12 people on the record hold")));
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
