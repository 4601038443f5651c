//! Why a family member was not signed in with the partnership's provider (GOV.UK One Login,
//! ADR 0056), and which of the family's kind pages says so. The pages group the reasons so
//! that none tells a stranger whether a family is known: nobody with that address and more
//! than one person with it read the same.

use crate::single_sign_on::Refusal;

/// A refused family sign-in at the provider: audited with its code, shown as its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FamilyRefusal {
    /// The sign-in itself did not check out (state, nonce, code, token, cancelled, or the
    /// provider down); the staff's reasons, which mean the same here.
    Protocol(Refusal),
    /// The provider gave no email address, or did not say it had verified it.
    EmailNotVerified,
    /// Nobody on the record has the address.
    NoMatch,
    /// More than one person on the record has it.
    SeveralMatches,
}

/// The family's kind page for a refusal: its words are `own-one-login-{code}` in each language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FamilyRefusalPage {
    /// Start again (or ask for a link).
    TryAgain,
    /// The provider could not be reached or answered wrongly.
    Unavailable,
    /// Confirm your email address at GOV.UK One Login.
    NotVerified,
    /// We could not match you: ask for a link, or ask your lead professional. The same for no
    /// match and several, so the page reveals nothing.
    NotMatched,
}

impl FamilyRefusal {
    /// The stable code written to the audit log.
    pub fn code(self) -> &'static str {
        match self {
            FamilyRefusal::Protocol(r) => r.code(),
            FamilyRefusal::EmailNotVerified => "email_not_verified",
            FamilyRefusal::NoMatch => "no_match",
            FamilyRefusal::SeveralMatches => "several_matches",
        }
    }

    pub fn page(self) -> FamilyRefusalPage {
        match self {
            FamilyRefusal::Protocol(Refusal::ProviderUnavailable) => FamilyRefusalPage::Unavailable,
            FamilyRefusal::Protocol(_) => FamilyRefusalPage::TryAgain,
            FamilyRefusal::EmailNotVerified => FamilyRefusalPage::NotVerified,
            FamilyRefusal::NoMatch | FamilyRefusal::SeveralMatches => FamilyRefusalPage::NotMatched,
        }
    }
}

impl FamilyRefusalPage {
    /// The words' key: `own-one-login-{code}` and `own-one-login-{code}-title`.
    pub fn code(self) -> &'static str {
        match self {
            FamilyRefusalPage::TryAgain => "try-again",
            FamilyRefusalPage::Unavailable => "unavailable",
            FamilyRefusalPage::NotVerified => "not-verified",
            FamilyRefusalPage::NotMatched => "not-matched",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_match_and_several_matches_read_the_same() {
        assert_eq!(
            FamilyRefusal::NoMatch.page(),
            FamilyRefusal::SeveralMatches.page()
        );
        assert_ne!(
            FamilyRefusal::NoMatch.code(),
            FamilyRefusal::SeveralMatches.code(),
            "the audit log tells them apart"
        );
    }

    #[test]
    fn a_provider_down_is_not_a_problem_with_the_family() {
        assert_eq!(
            FamilyRefusal::Protocol(Refusal::ProviderUnavailable).page(),
            FamilyRefusalPage::Unavailable
        );
        for r in Refusal::ALL {
            if r != Refusal::ProviderUnavailable {
                assert_eq!(
                    FamilyRefusal::Protocol(r).page(),
                    FamilyRefusalPage::TryAgain
                );
            }
        }
    }
}
