//! The worklist of families identified, not yet supported: which families it shows, and what
//! a person records having done. Hearth never acts on a family itself (UK GDPR Article 22):
//! the list only brings a family to someone's attention.

use crate::ids::{HouseholdId, PersonId};
use crate::need::NeedDomain;
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// A family shows with indicators in at least this many headline needs.
pub const MIN_NEEDS: usize = 2;

/// True when a family whose members' indicators point to `needs` belongs on the worklist: in
/// enough headline needs, and not already supported (no open episode for any member).
pub fn identified(needs: &BTreeSet<NeedDomain>, open_episode: bool) -> bool {
    !open_episode && needs.len() >= MIN_NEEDS
}

/// Which family the worklist shows: the people of a household, or a person on the record who
/// lives in no household (added alone, nobody joined them), a family of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FamilyKey {
    Household(HouseholdId),
    OfOne(PersonId),
}

/// Written `household-<id>` or `person-<id>`, so one address names either kind.
impl fmt::Display for FamilyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FamilyKey::Household(h) => write!(f, "household-{h}"),
            FamilyKey::OfOne(p) => write!(f, "person-{p}"),
        }
    }
}

impl FromStr for FamilyKey {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(h) = s.strip_prefix("household-") {
            h.parse().map(FamilyKey::Household).map_err(|_| ())
        } else if let Some(p) = s.strip_prefix("person-") {
            p.parse().map(FamilyKey::OfOne).map_err(|_| ())
        } else {
            Err(())
        }
    }
}

/// What someone did about a family on the worklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outreach {
    Contacted,
    OfferedHelp,
    Declined,
    NotAppropriate,
}

impl Outreach {
    pub const ALL: [Outreach; 4] = [
        Outreach::Contacted,
        Outreach::OfferedHelp,
        Outreach::Declined,
        Outreach::NotAppropriate,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Outreach::Contacted => "contacted",
            Outreach::OfferedHelp => "offered_help",
            Outreach::Declined => "declined",
            Outreach::NotAppropriate => "not_appropriate",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Outreach::Contacted => "Contacted the family",
            Outreach::OfferedHelp => "Offered help",
            Outreach::Declined => "The family declined",
            Outreach::NotAppropriate => "Not appropriate",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NeedDomain::*;

    #[test]
    fn families_show_with_needs_in_two_areas_and_no_open_episode() {
        let cases: &[(&[NeedDomain], bool, bool)] = &[
            (&[], false, false),
            (&[GoodEducation], false, false),
            (&[GoodEducation, DomesticAbuse], false, true),
            (&[GoodEducation, DomesticAbuse], true, false),
            (&[GoodEducation, DomesticAbuse, SecureHousing], false, true),
        ];
        for (needs, open, want) in cases {
            let set: BTreeSet<NeedDomain> = needs.iter().copied().collect();
            assert_eq!(identified(&set, *open), *want, "{needs:?} open={open}");
        }
    }

    #[test]
    fn family_keys_read_back_and_nothing_else_does() {
        for key in [
            FamilyKey::Household(HouseholdId::new()),
            FamilyKey::OfOne(PersonId::new()),
        ] {
            assert_eq!(key.to_string().parse::<FamilyKey>(), Ok(key));
        }
        let id = HouseholdId::new();
        for bad in [
            id.to_string(),
            format!("team-{id}"),
            "person-x".into(),
            String::new(),
        ] {
            assert!(bad.parse::<FamilyKey>().is_err(), "{bad}");
        }
    }

    #[test]
    fn codes_read_back() {
        for o in Outreach::ALL {
            assert_eq!(Outreach::from_code(o.code()), Some(o));
        }
    }
}
