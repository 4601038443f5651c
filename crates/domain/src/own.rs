//! The family's own page (issue 24, ADR 0045): what a family member who proved who they are
//! may see of an episode, whose consents they decide there, and the rules of their messages
//! to the lead professional. Pure decisions; the gate gathers the facts and asks them.

use crate::episode::EpisodeStatus;
use crate::person::HouseholdRelationship;
use chrono::{Duration, NaiveDate};

/// What a family member may see of an episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FamilySight {
    /// An adult: the whole plan, the Team Around the Family, the messages.
    WholePlan,
    /// A young person at or above the partnership's age: their own part of the plan (the
    /// outcomes and actions about them), the team and the messages.
    OwnPart,
}

/// Why a family member may not open an episode. The page says the same kind thing for each
/// and for a link nobody knows, so a refusal reveals nothing about the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FamilyRefusal {
    /// Not in this episode's family, or taken out of its Team Around the Family.
    NotMember,
    /// Below the age the partnership sets for seeing their own part.
    TooYoung,
    /// Closed longer ago than the partnership keeps families' pages open.
    Ended,
}

impl FamilyRefusal {
    pub fn code(self) -> &'static str {
        match self {
            FamilyRefusal::NotMember => "not_member",
            FamilyRefusal::TooYoung => "too_young",
            FamilyRefusal::Ended => "ended",
        }
    }
}

/// The age from which a person counts as an adult on their family's page.
pub const ADULT_AGE: u32 = 18;

/// The facts the gate gathered about one family member and one episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FamilyStanding {
    /// In the episode's family.
    pub in_family: bool,
    /// Taken out of the episode's Team Around the Family (and not back in it), or moved out of
    /// the household they shared with the rest of the episode's family.
    pub removed: bool,
    /// Age in whole years today; `None` when no date of birth is recorded.
    pub age: Option<u32>,
    pub status: EpisodeStatus,
    pub ended_on: Option<NaiveDate>,
}

/// Whether and how a family member may see an episode. An unknown age is treated as too
/// young: a page that shows a family's plan needs to know it is not a child's. A closed
/// episode stays readable for `closed_days` so the family can read how it ended and say so.
pub fn family_sight(
    s: &FamilyStanding,
    young_person_age: u32,
    closed_days: i64,
    today: NaiveDate,
) -> Result<FamilySight, FamilyRefusal> {
    if !s.in_family || s.removed {
        return Err(FamilyRefusal::NotMember);
    }
    if s.status == EpisodeStatus::Closed
        && s.ended_on
            .is_none_or(|d| d + Duration::days(closed_days) < today)
    {
        return Err(FamilyRefusal::Ended);
    }
    match s.age {
        Some(a) if a >= ADULT_AGE => Ok(FamilySight::WholePlan),
        Some(a) if a >= young_person_age => Ok(FamilySight::OwnPart),
        _ => Err(FamilyRefusal::TooYoung),
    }
}

/// Why a family member may not give or withdraw another person's consents on their page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentForRefusal {
    /// The other person is not in this episode's family.
    NotInFamily,
    /// The family member is not an adult (or their age is not known).
    NotAnAdult,
    /// Not a parent or carer in a household the other person lives in now.
    NoParentalResponsibility,
    /// The other person is of the age at which a young person decides for themselves.
    DecidesForThemselves,
    /// The other person's age is not known: they may be old enough to decide.
    AgeUnknown,
}

impl ConsentForRefusal {
    pub fn code(self) -> &'static str {
        match self {
            ConsentForRefusal::NotInFamily => "not_in_family",
            ConsentForRefusal::NotAnAdult => "not_an_adult",
            ConsentForRefusal::NoParentalResponsibility => "no_parental_responsibility",
            ConsentForRefusal::DecidesForThemselves => "decides_for_themselves",
            ConsentForRefusal::AgeUnknown => "age_unknown",
        }
    }
}

/// The facts the gate gathered about a family member and another person of the episode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentStanding {
    /// The family member's age in whole years; `None` when not known.
    pub adult_age: Option<u32>,
    /// How the family member is recorded in each household they live in now with the other
    /// person.
    pub roles_with_child: Vec<HouseholdRelationship>,
    /// The other person's age in whole years (0 for a child not yet born); `None` when no
    /// date of birth is recorded.
    pub child_age: Option<u32>,
    /// The other person is in the episode's family.
    pub child_in_family: bool,
}

/// Whether a family member may give and withdraw another person's consents on their page:
/// an adult who is a parent or carer in a household the other person lives in now, for a
/// child of the episode's family below the age at which a young person decides for
/// themselves (the age from which they see their own part of the plan). A step-parent or a
/// grandparent does not hold parental responsibility by being one, so their role alone does
/// not give it; a child with no date of birth might be old enough, so is not decided for.
pub fn may_decide_consent_for(
    s: &ConsentStanding,
    young_person_age: u32,
) -> Result<(), ConsentForRefusal> {
    if !s.child_in_family {
        return Err(ConsentForRefusal::NotInFamily);
    }
    if s.adult_age.is_none_or(|a| a < ADULT_AGE) {
        return Err(ConsentForRefusal::NotAnAdult);
    }
    if !s.roles_with_child.iter().any(|r| {
        matches!(
            r,
            HouseholdRelationship::Parent | HouseholdRelationship::Carer
        )
    }) {
        return Err(ConsentForRefusal::NoParentalResponsibility);
    }
    match s.child_age {
        None => Err(ConsentForRefusal::AgeUnknown),
        Some(a) if a >= young_person_age => Err(ConsentForRefusal::DecidesForThemselves),
        Some(_) => Ok(()),
    }
}

/// The longest message a family member or a practitioner may send in the thread.
pub const MESSAGE_MAX_CHARS: usize = 2000;

/// Why a message was not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageProblem {
    Empty,
    TooLong,
    /// Too many messages in the last hour: flood protection.
    TooMany,
}

impl MessageProblem {
    pub fn code(self) -> &'static str {
        match self {
            MessageProblem::Empty => "empty",
            MessageProblem::TooLong => "too_long",
            MessageProblem::TooMany => "too_many",
        }
    }
}

/// A message's text as it will be kept (trimmed), or why it cannot be sent, given how many the
/// sender sent in the last hour and how many the partnership allows.
pub fn check_message(
    text: &str,
    sent_last_hour: u32,
    per_hour: u32,
) -> Result<String, MessageProblem> {
    let text = text.trim();
    if text.is_empty() {
        Err(MessageProblem::Empty)
    } else if text.chars().count() > MESSAGE_MAX_CHARS {
        Err(MessageProblem::TooLong)
    } else if sent_last_hour >= per_hour {
        Err(MessageProblem::TooMany)
    } else {
        Ok(text.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn who_sees_what_of_an_episode() {
        let today = day("2026-12-06");
        let open = FamilyStanding {
            in_family: true,
            removed: false,
            age: Some(38),
            status: EpisodeStatus::Open,
            ended_on: None,
        };
        let closed = |ended: &str| FamilyStanding {
            status: EpisodeStatus::Closed,
            ended_on: Some(day(ended)),
            ..open
        };
        use FamilyRefusal::*;
        use FamilySight::*;
        let table: Vec<(&str, FamilyStanding, Result<FamilySight, FamilyRefusal>)> = vec![
            ("an adult in the family", open, Ok(WholePlan)),
            (
                "at 18",
                FamilyStanding {
                    age: Some(18),
                    ..open
                },
                Ok(WholePlan),
            ),
            (
                "at 17",
                FamilyStanding {
                    age: Some(17),
                    ..open
                },
                Ok(OwnPart),
            ),
            (
                "at the age set",
                FamilyStanding {
                    age: Some(13),
                    ..open
                },
                Ok(OwnPart),
            ),
            (
                "below it",
                FamilyStanding {
                    age: Some(12),
                    ..open
                },
                Err(TooYoung),
            ),
            (
                "no date of birth",
                FamilyStanding { age: None, ..open },
                Err(TooYoung),
            ),
            (
                "not in the family",
                FamilyStanding {
                    in_family: false,
                    ..open
                },
                Err(NotMember),
            ),
            (
                "taken out of the TAF",
                FamilyStanding {
                    removed: true,
                    ..open
                },
                Err(NotMember),
            ),
            (
                "not a member beats too young",
                FamilyStanding {
                    in_family: false,
                    age: Some(3),
                    ..open
                },
                Err(NotMember),
            ),
            ("closed 28 days ago", closed("2026-11-08"), Ok(WholePlan)),
            ("closed 29 days ago", closed("2026-11-07"), Err(Ended)),
            (
                "closing",
                FamilyStanding {
                    status: EpisodeStatus::Closing,
                    ..open
                },
                Ok(WholePlan),
            ),
        ];
        for (what, standing, expected) in table {
            assert_eq!(family_sight(&standing, 13, 28, today), expected, "{what}");
        }
    }

    #[test]
    fn a_parent_or_carer_decides_consent_for_a_child_below_the_age_set() {
        use ConsentForRefusal::*;
        use HouseholdRelationship::*;
        let mother = ConsentStanding {
            adult_age: Some(38),
            roles_with_child: vec![Parent],
            child_age: Some(8),
            child_in_family: true,
        };
        let table: Vec<(&str, ConsentStanding, Result<(), ConsentForRefusal>)> = vec![
            ("a mother for her son of 8", mother.clone(), Ok(())),
            (
                "a carer",
                ConsentStanding {
                    roles_with_child: vec![Carer],
                    ..mother.clone()
                },
                Ok(()),
            ),
            (
                "a child not yet born",
                ConsentStanding {
                    child_age: Some(0),
                    ..mother.clone()
                },
                Ok(()),
            ),
            (
                "a child of 12 when the age set is 13",
                ConsentStanding {
                    child_age: Some(12),
                    ..mother.clone()
                },
                Ok(()),
            ),
            (
                "a young person of 13 decides for themselves",
                ConsentStanding {
                    child_age: Some(13),
                    ..mother.clone()
                },
                Err(DecidesForThemselves),
            ),
            (
                "a child with no date of birth",
                ConsentStanding {
                    child_age: None,
                    ..mother.clone()
                },
                Err(AgeUnknown),
            ),
            (
                "a parent of 17",
                ConsentStanding {
                    adult_age: Some(17),
                    ..mother.clone()
                },
                Err(NotAnAdult),
            ),
            (
                "an adult of unknown age",
                ConsentStanding {
                    adult_age: None,
                    ..mother.clone()
                },
                Err(NotAnAdult),
            ),
            (
                "a step-parent",
                ConsentStanding {
                    roles_with_child: vec![StepParent],
                    ..mother.clone()
                },
                Err(NoParentalResponsibility),
            ),
            (
                "a grandparent and a sibling",
                ConsentStanding {
                    roles_with_child: vec![Grandparent, Sibling],
                    ..mother.clone()
                },
                Err(NoParentalResponsibility),
            ),
            (
                "a parent who no longer lives with the child",
                ConsentStanding {
                    roles_with_child: Vec::new(),
                    ..mother.clone()
                },
                Err(NoParentalResponsibility),
            ),
            (
                "a child of another family",
                ConsentStanding {
                    child_in_family: false,
                    ..mother.clone()
                },
                Err(NotInFamily),
            ),
        ];
        for (what, standing, expected) in table {
            assert_eq!(may_decide_consent_for(&standing, 13), expected, "{what}");
        }
    }

    #[test]
    fn messages_are_checked_for_length_and_flooding() {
        assert_eq!(check_message("  Hello  ", 0, 10), Ok("Hello".into()));
        assert_eq!(check_message("   ", 0, 10), Err(MessageProblem::Empty));
        let long = "a".repeat(MESSAGE_MAX_CHARS + 1);
        assert_eq!(check_message(&long, 0, 10), Err(MessageProblem::TooLong));
        let just = "ب".repeat(MESSAGE_MAX_CHARS);
        assert!(check_message(&just, 0, 10).is_ok(), "characters, not bytes");
        assert_eq!(check_message("Hi", 9, 10), Ok("Hi".into()));
        assert_eq!(check_message("Hi", 10, 10), Err(MessageProblem::TooMany));
    }
}
