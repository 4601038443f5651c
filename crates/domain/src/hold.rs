//! What a signed-in user must do, or wait for, before any other page opens: choose their own
//! password (ADR 0019), give or set up a second factor (ADR 0041), or have their required
//! training recorded (ADR 0048). One rule for all of them, so the pages and the API hold a
//! user the same way whatever the reason.

use crate::second_factor::SessionFactor;

/// Why a user is held, in the order they are asked to put things right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    ChoosePassword,
    SecondFactorCode,
    SecondFactorEnrol,
    Training,
}

/// Signing out is always open.
pub const SIGN_OUT: &str = "/sign-out";

impl Hold {
    /// The first thing holding the user, if anything: a password chosen by an administrator
    /// comes before the second factor, and both before training (which says whom to ask).
    pub fn first(
        must_change_password: bool,
        factor: SessionFactor,
        training_held: bool,
    ) -> Option<Hold> {
        if must_change_password {
            Some(Hold::ChoosePassword)
        } else if factor == SessionFactor::CodeNeeded {
            Some(Hold::SecondFactorCode)
        } else if factor == SessionFactor::MustEnrol {
            Some(Hold::SecondFactorEnrol)
        } else if training_held {
            Some(Hold::Training)
        } else {
            None
        }
    }

    /// The page that puts it right (or says whom to ask).
    pub fn page(self) -> &'static str {
        match self {
            Hold::ChoosePassword => "/account/password",
            Hold::SecondFactorCode => "/sign-in/code",
            Hold::SecondFactorEnrol => "/account/two-factor",
            Hold::Training => "/account/training",
        }
    }

    /// Whether `path` opens while held: the hold's own page and signing out, and for the
    /// second factor the passkey steps under its page (ADR 0051), which give or set it up.
    pub fn allows(self, path: &str) -> bool {
        let passkey_step = matches!(self, Hold::SecondFactorCode | Hold::SecondFactorEnrol)
            && path
                .strip_prefix(self.page())
                .is_some_and(|rest| rest.starts_with("/passkey"));
        path == self.page() || path == SIGN_OUT || passkey_step
    }

    /// Whether the page sought is kept to go on to afterwards: only the code asked for at
    /// sign-in, where the user was on their way somewhere.
    pub fn keeps_next(self) -> bool {
        self == Hold::SecondFactorCode
    }

    /// The reason an API token of a held user is refused, as the audit log records it.
    pub fn code(self) -> &'static str {
        match self {
            Hold::ChoosePassword => "password_change_due",
            Hold::SecondFactorCode | Hold::SecondFactorEnrol => "second_factor_due",
            Hold::Training => "training_due",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_hold_and_what_it_lets_through() {
        use SessionFactor::*;
        let cases = [
            (false, Done, false, None),
            (true, CodeNeeded, true, Some(Hold::ChoosePassword)),
            (false, CodeNeeded, true, Some(Hold::SecondFactorCode)),
            (false, MustEnrol, true, Some(Hold::SecondFactorEnrol)),
            (false, Done, true, Some(Hold::Training)),
        ];
        for (password, factor, training, expected) in cases {
            assert_eq!(
                Hold::first(password, factor, training),
                expected,
                "{password} {factor:?} {training}"
            );
        }
        assert!(Hold::Training.allows("/account/training"));
        assert!(Hold::Training.allows("/sign-out"));
        assert!(!Hold::Training.allows("/people"));
        assert!(!Hold::Training.allows("/account/training/x"));
        assert!(Hold::SecondFactorCode.allows("/sign-in/code/passkey"));
        assert!(Hold::SecondFactorCode.allows("/sign-in/code/passkey/options"));
        assert!(Hold::SecondFactorEnrol.allows("/account/two-factor/passkeys/options"));
        assert!(!Hold::SecondFactorEnrol.allows("/account/two-factor/other"));
        assert!(!Hold::SecondFactorCode.allows("/sign-in/codepasskey"));
        assert!(Hold::SecondFactorCode.keeps_next());
        assert!(!Hold::Training.keeps_next());
    }
}
