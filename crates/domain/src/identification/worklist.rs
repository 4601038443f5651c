//! The worklist of families identified, not yet supported: which families it shows, and what
//! a person records having done. Hearth never acts on a family itself (UK GDPR Article 22):
//! the list only brings a family to someone's attention.

use crate::need::NeedDomain;
use std::collections::BTreeSet;

/// A family shows with indicators in at least this many headline needs.
pub const MIN_NEEDS: usize = 2;

/// True when a family whose members' indicators point to `needs` belongs on the worklist: in
/// enough headline needs, and not already supported (no open episode for any member).
pub fn identified(needs: &BTreeSet<NeedDomain>, open_episode: bool) -> bool {
    !open_episode && needs.len() >= MIN_NEEDS
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
    fn codes_read_back() {
        for o in Outreach::ALL {
            assert_eq!(Outreach::from_code(o.code()), Some(o));
        }
    }
}
