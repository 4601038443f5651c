//! A second factor for password accounts: time-based one-time codes (RFC 6238) from an
//! authenticator app, with single-use recovery codes, required for the roles the partnership
//! chooses. The codes themselves are made and compared in `app` (with `totp-rs`); what counts
//! as a code, which time steps may still be used, and who must enrol are decided here.

use crate::role::{Role, RoleSet};

/// Seconds in one time step (RFC 6238's default, what every authenticator app uses).
pub const STEP_SECONDS: u64 = 30;
/// How many recovery codes an enrolment gives.
pub const RECOVERY_CODES: usize = 10;

/// Where a session stands with the second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionFactor {
    /// Nothing more is asked (a second factor given, none enrolled and none required, or a
    /// sign-in through the organisation's provider, which keeps its own).
    Done,
    /// The password was right; a code from the app or a recovery code comes next.
    CodeNeeded,
    /// The user's role requires a second factor they have not set up: they enrol before
    /// anything else.
    MustEnrol,
}

impl SessionFactor {
    pub fn code(self) -> &'static str {
        match self {
            SessionFactor::Done => "done",
            SessionFactor::CodeNeeded => "code_needed",
            SessionFactor::MustEnrol => "must_enrol",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            SessionFactor::Done,
            SessionFactor::CodeNeeded,
            SessionFactor::MustEnrol,
        ]
        .into_iter()
        .find(|f| f.code() == code)
    }

    /// What a password sign-in leads to: a code for someone enrolled, enrolment for someone
    /// whose roles require it or whose lost factor an administrator reset.
    pub fn after_password(enrolled: bool, roles: &RoleSet, required: &[Role], reset: bool) -> Self {
        if enrolled {
            SessionFactor::CodeNeeded
        } else if reset || required_for(roles, required) {
            SessionFactor::MustEnrol
        } else {
            SessionFactor::Done
        }
    }
}

/// Whether any of the user's roles is one the partnership requires a second factor for.
pub fn required_for(roles: &RoleSet, required: &[Role]) -> bool {
    required.iter().any(|r| roles.has(*r))
}

/// What someone typed at the code prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    /// Six digits from the authenticator app.
    Totp(String),
    /// One of the recovery codes, normalised (lower case, no spaces or dashes).
    Recovery(String),
}

/// Reads the code prompt's answer: six digits (spaces allowed, as apps show `123 456`), or a
/// recovery code (ten letters and digits, dashes and spaces ignored).
pub fn read_code(typed: &str) -> Result<Code, &'static str> {
    let compact: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_lowercase();
    if compact.is_empty() {
        return Err("Enter the 6-digit code from your authenticator app, or a recovery code");
    }
    if compact.len() == 6 && compact.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Code::Totp(compact));
    }
    if compact.len() == 10 && compact.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Ok(Code::Recovery(compact));
    }
    Err("Enter the 6 digits your authenticator app shows now, like 123456, or a 10-character recovery code")
}

/// The time steps a code may come from at `step` (one either side, for clocks a little
/// apart), leaving out any at or before the last step used: a code cannot be used twice.
pub fn usable_steps(step: u64, last_used: Option<u64>) -> Vec<u64> {
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .filter(|s| last_used.is_none_or(|last| *s > last))
        .fold(Vec::new(), |mut out, s| {
            if !out.contains(&s) {
                out.push(s);
            }
            out
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_is_asked_for_what_after_their_password() {
        let manager = RoleSet::new(vec![Role::TeamManager, Role::Practitioner]);
        let worker = RoleSet::new(vec![Role::Practitioner]);
        let required = [Role::TeamManager, Role::Administrator];
        let cases = [
            (true, &worker, false, SessionFactor::CodeNeeded),
            (true, &manager, false, SessionFactor::CodeNeeded),
            (false, &manager, false, SessionFactor::MustEnrol),
            (false, &worker, false, SessionFactor::Done),
            // An administrator reset a lost factor: set up again, whatever the role.
            (false, &worker, true, SessionFactor::MustEnrol),
        ];
        for (enrolled, roles, reset, expected) in cases {
            assert_eq!(
                SessionFactor::after_password(enrolled, roles, &required, reset),
                expected,
                "{enrolled} {roles:?}"
            );
        }
        assert_eq!(
            SessionFactor::after_password(false, &manager, &[], false),
            SessionFactor::Done
        );
        for f in [
            SessionFactor::Done,
            SessionFactor::CodeNeeded,
            SessionFactor::MustEnrol,
        ] {
            assert_eq!(SessionFactor::from_code(f.code()), Some(f));
        }
    }

    #[test]
    fn codes_are_read_as_typed() {
        let cases = [
            ("123456", Ok(Code::Totp("123456".into()))),
            (" 123 456 ", Ok(Code::Totp("123456".into()))),
            ("ABCDE-12345", Ok(Code::Recovery("abcde12345".into()))),
            ("", Err(())),
            ("12345", Err(())),
            ("1234567", Err(())),
            ("abc!e12345", Err(())),
        ];
        for (typed, expected) in cases {
            assert_eq!(read_code(typed).map_err(|_| ()), expected, "{typed:?}");
        }
    }

    #[test]
    fn a_step_used_once_is_not_usable_again() {
        assert_eq!(usable_steps(100, None), vec![99, 100, 101]);
        assert_eq!(usable_steps(100, Some(99)), vec![100, 101]);
        assert_eq!(usable_steps(100, Some(100)), vec![101]);
        assert_eq!(usable_steps(100, Some(101)), Vec::<u64>::new());
        assert_eq!(usable_steps(0, None), vec![0, 1]);
    }
}
