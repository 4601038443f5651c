//! The family's own voice at the end of an episode: when the closure is signed off the family
//! is invited, by a link that needs no account, to say how the help was and what changed.
//! The link works once and only for a while, so an old letter cannot be used by someone else.

use chrono::{DateTime, Duration, Utc};

/// How long a feedback link works: long enough for a letter to arrive and be read.
pub const LINK_DAYS: i64 = 42;

/// When a link made now stops working.
pub fn expires(made: DateTime<Utc>) -> DateTime<Utc> {
    made + Duration::days(LINK_DAYS)
}

/// How the family rate the help, in plain words, best first (5 to 1).
pub const RATINGS: [(u8, &str); 5] = [
    (5, "Very good"),
    (4, "Good"),
    (3, "OK"),
    (2, "Not very good"),
    (1, "Bad"),
];

pub fn rating_label(rating: u8) -> Option<&'static str> {
    RATINGS.iter().find(|(r, _)| *r == rating).map(|(_, l)| *l)
}

/// Why a link cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// The family have already answered.
    Used,
    /// Too old, or replaced by a newer link.
    Expired,
}

impl LinkProblem {
    pub const ALL: [LinkProblem; 2] = [LinkProblem::Used, LinkProblem::Expired];

    /// Names the problem; the family's page says it in their language, kindly and without
    /// naming anyone.
    pub fn code(self) -> &'static str {
        match self {
            LinkProblem::Used => "used",
            LinkProblem::Expired => "expired",
        }
    }
}

/// Whether a link may be used now.
pub fn usable(
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    answered: bool,
    withdrawn: bool,
) -> Result<(), LinkProblem> {
    if answered {
        Err(LinkProblem::Used)
    } else if withdrawn || now >= expires_at {
        Err(LinkProblem::Expired)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_works_once_and_until_it_expires() {
        let made = Utc::now();
        let end = expires(made);
        assert_eq!(end - made, Duration::days(LINK_DAYS));
        assert_eq!(usable(made, end, false, false), Ok(()));
        assert_eq!(
            usable(end - Duration::seconds(1), end, false, false),
            Ok(())
        );
        assert_eq!(usable(end, end, false, false), Err(LinkProblem::Expired));
        assert_eq!(usable(made, end, true, false), Err(LinkProblem::Used));
        assert_eq!(usable(made, end, false, true), Err(LinkProblem::Expired));
        // An answered link says so even after it expired.
        assert_eq!(usable(end, end, true, false), Err(LinkProblem::Used));
    }

    #[test]
    fn ratings_have_words() {
        for (r, label) in RATINGS {
            assert_eq!(rating_label(r), Some(label));
        }
        assert_eq!(rating_label(0), None);
        assert_eq!(rating_label(6), None);
    }
}
