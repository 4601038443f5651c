//! Needs: the ten headline outcomes of the Supporting Families programme, and the concerns
//! within them that decide who should help.

use serde::{Deserialize, Serialize};

/// Kept (in a plan's saved versions, say) by its code, the same as in its own columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum NeedDomain {
    GoodEducation,
    EarlyYears,
    Health,
    SubstanceUse,
    FamilyRelationships,
    SafeFromAbuseAndExploitation,
    CrimePrevention,
    DomesticAbuse,
    SecureHousing,
    FinancialStability,
}

impl NeedDomain {
    pub const ALL: [NeedDomain; 10] = [
        NeedDomain::GoodEducation,
        NeedDomain::EarlyYears,
        NeedDomain::Health,
        NeedDomain::SubstanceUse,
        NeedDomain::FamilyRelationships,
        NeedDomain::SafeFromAbuseAndExploitation,
        NeedDomain::CrimePrevention,
        NeedDomain::DomesticAbuse,
        NeedDomain::SecureHousing,
        NeedDomain::FinancialStability,
    ];

    pub fn code(self) -> &'static str {
        match self {
            NeedDomain::GoodEducation => "education",
            NeedDomain::EarlyYears => "early_years",
            NeedDomain::Health => "health",
            NeedDomain::SubstanceUse => "substance_use",
            NeedDomain::FamilyRelationships => "family_relationships",
            NeedDomain::SafeFromAbuseAndExploitation => "abuse_exploitation",
            NeedDomain::CrimePrevention => "crime",
            NeedDomain::DomesticAbuse => "domestic_abuse",
            NeedDomain::SecureHousing => "housing",
            NeedDomain::FinancialStability => "financial",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            NeedDomain::GoodEducation => "Getting a good education",
            NeedDomain::EarlyYears => "Good early years development",
            NeedDomain::Health => "Improved mental and physical health",
            NeedDomain::SubstanceUse => "Better managed substance use",
            NeedDomain::FamilyRelationships => "Improved family relationships",
            NeedDomain::SafeFromAbuseAndExploitation => "Children safe from abuse and exploitation",
            NeedDomain::CrimePrevention => "Crime prevention and tackling crime",
            NeedDomain::DomesticAbuse => "Safe from domestic abuse",
            NeedDomain::SecureHousing => "Secure housing",
            NeedDomain::FinancialStability => "Financial stability",
        }
    }
}

impl From<NeedDomain> for &'static str {
    fn from(d: NeedDomain) -> Self {
        d.code()
    }
}

impl TryFrom<String> for NeedDomain {
    type Error = String;

    fn try_from(code: String) -> Result<Self, Self::Error> {
        NeedDomain::from_code(&code).ok_or_else(|| format!("{code:?} is not a need domain"))
    }
}

/// A specific concern that changes who should help (seed 002: the Adolescence Service).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Concern {
    Exploitation,
    MissingEpisodes,
    AntiSocialBehaviour,
    Criminality,
    EducationAttendanceOrExclusion,
}

impl Concern {
    pub const ALL: [Concern; 5] = [
        Concern::Exploitation,
        Concern::MissingEpisodes,
        Concern::AntiSocialBehaviour,
        Concern::Criminality,
        Concern::EducationAttendanceOrExclusion,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Concern::Exploitation => "exploitation",
            Concern::MissingEpisodes => "missing",
            Concern::AntiSocialBehaviour => "asb",
            Concern::Criminality => "criminality",
            Concern::EducationAttendanceOrExclusion => "education",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The headline domain a concern belongs to.
    pub fn domain(self) -> NeedDomain {
        match self {
            Concern::Exploitation | Concern::MissingEpisodes => {
                NeedDomain::SafeFromAbuseAndExploitation
            }
            Concern::AntiSocialBehaviour | Concern::Criminality => NeedDomain::CrimePrevention,
            Concern::EducationAttendanceOrExclusion => NeedDomain::GoodEducation,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Concern::Exploitation => "Exploitation (criminal or sexual)",
            Concern::MissingEpisodes => "Missing from home or care",
            Concern::AntiSocialBehaviour => "Anti-social behaviour",
            Concern::Criminality => "Offending or criminality",
            Concern::EducationAttendanceOrExclusion => {
                "School attendance, exclusion or not in education"
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn a_need_domain_is_kept_by_its_code_and_an_unknown_code_is_refused() {
        for d in NeedDomain::ALL {
            let json = serde_json::to_string(&d).unwrap();
            assert_eq!(json, format!("\"{}\"", d.code()));
            assert_eq!(serde_json::from_str::<NeedDomain>(&json).unwrap(), d);
        }
        assert!(serde_json::from_str::<NeedDomain>("\"GoodEducation\"").is_err());
    }
}
