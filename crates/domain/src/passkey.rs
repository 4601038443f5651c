//! Passkeys (WebAuthn) as a second factor (ADR 0051). The ceremonies themselves, and every
//! check of a signature, are `webauthn-rs`'s, in `app`; what a challenge is for, how long it
//! lasts, and what a passkey may be called are decided here.

use crate::input::{self, FieldErrors};

/// How long a challenge may be answered. Long enough to find a security key and type its PIN
/// (WCAG's "enough time": the browser's own prompt says what to do), short enough that an old
/// one left in a page is no use.
pub const CHALLENGE_MINUTES: i64 = 5;

/// The longest name a passkey may be given.
pub const NAME_MAX: usize = 60;

/// What a challenge was handed out for. A session has at most one of each under way: a new one
/// replaces the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Adding a passkey to one's account.
    Registration,
    /// Giving a passkey after one's password, in place of a code.
    SignIn,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Registration => "registration",
            Purpose::SignIn => "sign_in",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Purpose::Registration, Purpose::SignIn]
            .into_iter()
            .find(|p| p.code() == code)
    }
}

/// Reads the name a user gives a passkey, so they can tell their passkeys apart ("Work
/// laptop", "Blue security key"); what to fix goes in `errors` under `field`.
pub fn read_name(errors: &mut FieldErrors, field: &str, typed: &str) -> String {
    let name = input::required_text(errors, field, "a name for the passkey", typed, NAME_MAX);
    if name.chars().any(char::is_control) {
        errors.add(field, "The passkey's name must be on one line");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_round_trip() {
        for p in [Purpose::Registration, Purpose::SignIn] {
            assert_eq!(Purpose::from_code(p.code()), Some(p));
        }
        assert_eq!(Purpose::from_code("other"), None);
    }

    #[test]
    fn a_passkey_is_named_on_one_short_line() {
        let read = |typed: &str| {
            let mut errors = FieldErrors::new();
            let name = read_name(&mut errors, "name", typed);
            (name, errors.is_empty())
        };
        assert_eq!(read("  Work laptop "), ("Work laptop".into(), true));
        assert!(!read("").1);
        assert!(!read("   ").1);
        assert!(!read("Work\nlaptop").1);
        assert!(!read(&"x".repeat(NAME_MAX + 1)).1);
        assert!(read(&"x".repeat(NAME_MAX)).1);
    }
}
