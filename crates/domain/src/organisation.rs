//! Organisations in a partnership and the official identifiers that go with each kind.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    LocalAuthority,
    School,
    Health,
    Police,
    Housing,
    Dwp,
    VoluntaryCommunity,
    Other,
}

/// The register an organisation's identifier comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentifierScheme {
    /// DfE Unique Reference Number for a school: six digits.
    Urn,
    /// NHS Organisation Data Service code: three to six letters and digits.
    OdsCode,
    /// Charity Commission registered number: six or seven digits, with an optional `-N` subsidiary.
    CharityNumber,
    /// Any other reference, e.g. a council's GSS code.
    Reference,
}

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 8] = [
        OrganisationKind::LocalAuthority,
        OrganisationKind::School,
        OrganisationKind::Health,
        OrganisationKind::Police,
        OrganisationKind::Housing,
        OrganisationKind::Dwp,
        OrganisationKind::VoluntaryCommunity,
        OrganisationKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrganisationKind::LocalAuthority => "local_authority",
            OrganisationKind::School => "school",
            OrganisationKind::Health => "health",
            OrganisationKind::Police => "police",
            OrganisationKind::Housing => "housing",
            OrganisationKind::Dwp => "dwp",
            OrganisationKind::VoluntaryCommunity => "voluntary_community",
            OrganisationKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OrganisationKind::LocalAuthority => "Local authority",
            OrganisationKind::School => "School",
            OrganisationKind::Health => "Health",
            OrganisationKind::Police => "Police",
            OrganisationKind::Housing => "Housing",
            OrganisationKind::Dwp => "Department for Work and Pensions",
            OrganisationKind::VoluntaryCommunity => "Voluntary and community",
            OrganisationKind::Other => "Other",
        }
    }

    /// Which identifier this kind of organisation carries.
    pub fn identifier_scheme(self) -> IdentifierScheme {
        match self {
            OrganisationKind::School => IdentifierScheme::Urn,
            OrganisationKind::Health => IdentifierScheme::OdsCode,
            OrganisationKind::VoluntaryCommunity => IdentifierScheme::CharityNumber,
            _ => IdentifierScheme::Reference,
        }
    }
}

impl FromStr for OrganisationKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.code() == s).ok_or(())
    }
}

impl IdentifierScheme {
    pub fn label(self) -> &'static str {
        match self {
            IdentifierScheme::Urn => "URN (Unique Reference Number)",
            IdentifierScheme::OdsCode => "ODS code",
            IdentifierScheme::CharityNumber => "Charity number",
            IdentifierScheme::Reference => "Reference",
        }
    }

    /// Normalises an identifier, or says what is wrong with it in words a user can act on.
    pub fn normalise(self, raw: &str) -> Result<String, String> {
        let value: String = raw.split_whitespace().collect::<String>().to_uppercase();
        let ok = match self {
            IdentifierScheme::Urn => value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()),
            IdentifierScheme::OdsCode => {
                (3..=6).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric())
            }
            IdentifierScheme::CharityNumber => {
                let (main, sub) = value.split_once('-').unwrap_or((&value, "0"));
                (6..=7).contains(&main.len())
                    && main.bytes().all(|b| b.is_ascii_digit())
                    && !sub.is_empty()
                    && sub.len() <= 2
                    && sub.bytes().all(|b| b.is_ascii_digit())
            }
            IdentifierScheme::Reference => {
                (1..=40).contains(&value.chars().count())
                    && value
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-/.".contains(c))
            }
        };
        if ok {
            Ok(value)
        } else {
            Err(match self {
                IdentifierScheme::Urn => "Enter a URN of 6 digits, like 100012".into(),
                IdentifierScheme::OdsCode => {
                    "Enter an ODS code of 3 to 6 letters and numbers, like RX1".into()
                }
                IdentifierScheme::CharityNumber => {
                    "Enter a charity number of 6 or 7 digits, like 1123456 or 1123456-1".into()
                }
                IdentifierScheme::Reference => {
                    "Enter a reference of up to 40 letters, numbers, dashes, slashes or dots".into()
                }
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_checked_by_scheme() {
        assert_eq!(
            IdentifierScheme::Urn.normalise(" 122 512 "),
            Ok("122512".into())
        );
        assert!(IdentifierScheme::Urn.normalise("12251").is_err());
        assert!(IdentifierScheme::Urn.normalise("12251A").is_err());
        assert_eq!(IdentifierScheme::OdsCode.normalise("rx1"), Ok("RX1".into()));
        assert!(IdentifierScheme::OdsCode.normalise("R").is_err());
        assert_eq!(
            IdentifierScheme::CharityNumber.normalise("1123456-1"),
            Ok("1123456-1".into())
        );
        assert!(IdentifierScheme::CharityNumber.normalise("12345").is_err());
        assert!(IdentifierScheme::CharityNumber
            .normalise("1123456-")
            .is_err());
        assert!(IdentifierScheme::Reference.normalise("E06000018").is_ok());
        assert!(IdentifierScheme::Reference.normalise("<script>").is_err());
    }

    #[test]
    fn kinds_round_trip_and_carry_their_scheme() {
        for k in OrganisationKind::ALL {
            assert_eq!(k.code().parse::<OrganisationKind>(), Ok(k));
        }
        assert_eq!(
            OrganisationKind::School.identifier_scheme(),
            IdentifierScheme::Urn
        );
        assert_eq!(
            OrganisationKind::Health.identifier_scheme(),
            IdentifierScheme::OdsCode
        );
    }
}
