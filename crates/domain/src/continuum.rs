//! The Continuum of Need and the help each level brings.

use serde::{Deserialize, Serialize};

/// The four levels of the Continuum (Threshold) of Need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ContinuumLevel {
    /// Needs met by universal services.
    Universal = 1,
    /// Emerging needs: a TAF with a lead professional who knows the family best.
    EarlyFamilyHelp = 2,
    /// Increasing problems needing intensive multi-agency support, via the MASH.
    TargetedFamilyHelp = 3,
    /// Child in Need, Child Protection, Children in Care: children's social care.
    Specialist = 4,
}

impl ContinuumLevel {
    pub const ALL: [ContinuumLevel; 4] = [
        ContinuumLevel::Universal,
        ContinuumLevel::EarlyFamilyHelp,
        ContinuumLevel::TargetedFamilyHelp,
        ContinuumLevel::Specialist,
    ];

    pub fn number(self) -> i64 {
        self as i64
    }

    pub fn from_number(n: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.number() == n)
    }

    pub fn label(self) -> &'static str {
        match self {
            ContinuumLevel::Universal => "Level 1: Universal",
            ContinuumLevel::EarlyFamilyHelp => "Level 2: Early Family Help",
            ContinuumLevel::TargetedFamilyHelp => "Level 3: Targeted Family Help",
            ContinuumLevel::Specialist => "Level 4: Specialist and statutory",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip_by_number_in_order() {
        for l in ContinuumLevel::ALL {
            assert_eq!(ContinuumLevel::from_number(l.number()), Some(l));
        }
        assert_eq!(ContinuumLevel::from_number(5), None);
        assert!(ContinuumLevel::Universal < ContinuumLevel::Specialist);
    }
}
